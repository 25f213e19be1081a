/*
 * config-priv.h - the parser's state, shared by the parts of the
 * configuration reader (config.c, config-lex.c, config-stmt.c,
 * config-kw.c, config-check.c) and by nothing else.
 *
 * Diagnostics go through cfg_err() and cfg_warn(): they record a message
 * with its file:line:column in the result and stop the parse after
 * CFG_ERRORS_MAX errors.
 */
#ifndef VIPD_CONFIG_PRIV_H
#define VIPD_CONFIG_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfgpp.h"
#include "config.h"
#include "timeunit.h"
#include "vrrp.h"

#define CFG_ERRORS_MAX 50          /* then stop: later errors are mostly echoes */
#define CFG_DIAGS_MAX 400          /* warnings included */
#define CFG_WORD_MAX 4096          /* longest word or quoted string */
#define CFG_ARGS_MAX 64            /* words after the keyword on one line */
#define CFG_INCLUDE_DEPTH_MAX 8
#define CFG_FILES_MAX 128          /* files read through includes, in total */
#define CFG_FILE_SIZE_MAX (1 << 20)
#define CFG_LIST_MAX 1024          /* entries of one list block */
#define CFG_EXCLUDED_MAX 16384     /* virtual_ipaddress_excluded: hosts with many addresses */
#define CFG_SUGGEST_LEN_MAX 64     /* longer words get no "did you mean" */


#define DEFAULT_GARP_DELAY_US (5 * USEC_PER_SEC)
#define DEFAULT_GARP_REPEAT 5
#define DEFAULT_GARP_REFRESH_REPEAT 1
#define DEFAULT_SCRIPT_INTERVAL_US USEC_PER_SEC
#define DEFAULT_GATEWAY_INTERVAL_US USEC_PER_SEC
#define DEFAULT_GATEWAY_TIMEOUT_US USEC_PER_SEC

/* "Not set in the file": replaced by the global or built-in default. */
#define UNSET_US UINT64_MAX
#define UNSET_COUNT UINT_MAX

/* ------------------------------------------------------------- parser state */

enum tok_type { TOK_EOF, TOK_WORD, TOK_LBRACE, TOK_RBRACE };

struct tok {
	enum tok_type type;
	bool bol;    /* first token on its line */
	bool quoted; /* some of it was in quotes: never a keyword of the lexer */
	char *text;  /* words only; owned */
	struct cfg_where at;
};

/* One file (or the string) being read; the top of the stack is current. */
struct src {
	char *path;     /* as built from the include pattern; NULL for strings */
	char *real;     /* canonical path, for cycle detection */
	char *dir;      /* where relative includes start; NULL = cwd */
	char *text;     /* NULL until the source reaches the top of the stack */
	size_t len, pos;
	int line, col;
	bool bol;
	const char *name; /* in cfg->files */
	int depth;
	struct cfgpp_pos *map;    /* after the preprocessor: where each byte of text was
				   * written (len + 1 entries); NULL when text is as read */
	struct src *parent;       /* the source whose include line named this one */
	struct cfg_where inc_at;  /* that include line, for messages */
};

/* Where an instance's keywords were, for the checks after parsing. */
struct inst_extra {
	bool version_set;
	struct cfg_where version, advert_int, auth, unicast_src, unicast_peer;
};

/* A name used before its definition may have been read: resolved later. */
enum ref_kind { REF_GATEWAY, REF_GROUP_MEMBER };
struct ref {
	enum ref_kind kind;
	size_t owner; /* instance or sync group index */
	size_t idx;   /* entry within the owner */
	struct cfg_where at;
};

struct parser {
	struct vipd_config *cfg;
	struct cfg_result *res;
	struct src **srcs;
	size_t nsrcs;
	size_t nread; /* files opened, main included */
	struct tok peek;
	bool have_peek;
	bool stopped; /* too many errors: the lexer reports EOF */
	struct cfgpp *pp;  /* keepalived's preprocessor: its definitions span the files */
	char config_id[CFGPP_ID_MAX];
	uint32_t random_seed;
	struct inst_extra *iextra; /* parallel to cfg->instances */
	struct ref *refs;
	size_t nrefs;
	struct cfg_instance *cur_inst; /* while inside a vrrp_instance block */
	struct inst_extra *cur_x;
};


struct kw;

/* A keyword, the words after it on its line, and whether a '{' follows. */
struct stmt {
	struct tok kw;
	struct tok args[CFG_ARGS_MAX];
	size_t nargs;
	bool block;
	struct tok open;
	const struct kw *def;
};

typedef void (*kw_fn)(struct parser *p, struct stmt *st, void *obj);

enum kw_form {
	KW_LINE,  /* a value on the line, no block */
	KW_BLOCK, /* a block follows */
	KW_ANY,   /* ignored or rejected keywords: either */
};

#define ARGS_ANY CFG_ARGS_MAX

/*
 * A keyword of one block. The generic setters (kw_set_*) write the field
 * at off in the block's structure, checking lo..hi; the others use what
 * they need. what says what a value must be, or why the keyword is
 * ignored or rejected.
 */
struct kw {
	const char *name;
	kw_fn fn;
	uint8_t min_args, max_args;
	enum kw_form form;
	const char *what;
	size_t off;
	long long lo, hi;
};

struct block_def {
	const char *name;
	const struct kw *kws;
	size_t nkws;
	const char *unknown_hint; /* added to "unknown keyword" when no suggestion */
};

#define FIELD(obj, off, type) ((type *)((char *)(obj) + (off)))

/* KW(name, handler, min args, max args, form, what[, field offset[, lo, hi]]) */
#define KW_REST(w, o, l, h, ...) .what = (w), .off = (o), .lo = (l), .hi = (h)
#define KW(n, f, mn, mx, fm, ...)                                                  \
	{                                                                          \
		.name = (n), .fn = (f), .min_args = (mn), .max_args = (mx), .form = (fm), \
		KW_REST(__VA_ARGS__, 0, 0, 0)                                      \
	}
#define WARN(n, why) KW(n, kw_warn, 0, ARGS_ANY, KW_ANY, why)
#define REJECT(n, why) KW(n, kw_reject, 0, ARGS_ANY, KW_ANY, why)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MEMBER_SIZE(type, m) sizeof(((type *)0)->m)

/* Record a message at at (NULL: about the whole configuration). */
void cfg_err(struct parser *p, const struct cfg_where *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_warn(struct parser *p, const struct cfg_where *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Report "out of memory" at at and stop parsing. */
void cfg_oom(struct parser *p, const struct cfg_where *at);
/* Grow arr of n elements by one zeroed element; NULL (reported) when out of memory. */
void *cfg_arr_grow(struct parser *p, const struct cfg_where *at, void *arr, size_t n,
		   size_t size);
/* Copy src into dst[size]; false (dst untouched) when it does not fit. */
bool cfg_copy_name(char *dst, size_t size, const char *src);

/* Append to arr (a typed pointer) counted by n: the new element, or NULL. */
#define ARR_PUSH(p, at, arr, n)                                                  \
	({                                                                       \
		__typeof__(arr) a_ = cfg_arr_grow((p), (at), (arr), (n), sizeof(*(arr))); \
		a_ ? ((arr) = a_, &a_[(n)++]) : NULL;                            \
	})

#endif /* VIPD_CONFIG_PRIV_H */
