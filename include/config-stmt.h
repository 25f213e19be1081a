/*
 * config-stmt.h - statements and values: a keyword with the words on its
 * line and an optional { block }, dispatched through a block's keyword
 * table; parsers for the values the keywords take; and the generic
 * handlers (kw_set_*) that write a value into the field a table names.
 * Every function reports bad input itself, at the token's file:line.
 */
#ifndef VIPD_CONFIG_STMT_H
#define VIPD_CONFIG_STMT_H

#include "config-priv.h"

/* Handles one line of a list block (virtual_ipaddress, track_interface, ...). */
typedef void (*line_fn)(struct parser *p, struct stmt *st, void *obj);

/* Skip to the '}' matching an already read '{' (iterative: no recursion). */
void stmt_skip_block(struct parser *p, const struct tok *open);

/*
 * The one NAME before a named block's '{' (vrrp_script, vrrp_instance, ...),
 * checked for length into dst; false, with an error and the block skipped,
 * when it is missing, extra or bad.
 */
bool stmt_block_name(struct parser *p, struct stmt *st, char *dst, size_t size);

/* The closest of names[] (stride bytes apart) to word, if close enough to be a likely typo; or NULL. */
const char *cfg_suggest(const char *word, const char *const *names, size_t n, size_t stride);

/*
 * Read statements up to the '}' closing open (NULL: to the end of input),
 * each through b's keyword table, or each through line when b is NULL.
 */
void stmt_parse_stmts(struct parser *p, const struct block_def *b, line_fn line,
		      const struct tok *open, void *obj);

/* The body of the block opened by open, keywords from b filling obj. */
void stmt_parse_block(struct parser *p, const struct block_def *b, const struct tok *open,
		      void *obj);

/* The body of a list block opened by open, each line through line. */
void stmt_parse_list(struct parser *p, line_fn line, const struct tok *open, void *obj);

/* A decimal integer, optionally negative; false when not exactly that. */
bool val_ll(const char *s, long long *out);

/* Seconds for messages: "5", "0.01", "40.95"; returns buf. */
const char *val_fmt_seconds(long long us, char *buf, size_t size);

/* An integer in lo..hi; false (reported against kw) otherwise. */
bool val_int(struct parser *p, const char *kw, const struct tok *v, long long lo, long long hi,
	     long long *out);

/* "SECONDS[.FRACTION]" in lo_us..hi_us, as microseconds; false (reported) otherwise. */
bool val_seconds(struct parser *p, const char *kw, const struct tok *v, long long lo_us,
		 long long hi_us, long long *out_us);

/* A name that fits dst[size]; false (reported) when too long. */
bool val_name(struct parser *p, const char *kw, const struct tok *v, char *dst, size_t size);

/* An IPv4 or IPv6 address; false (reported) otherwise. */
bool val_addr(struct parser *p, const char *kw, const struct tok *v, struct ipaddr *a);

/* keepalived's <BOOL>: on|off|true|false|yes|no; false (reported) otherwise. */
bool val_bool(struct parser *p, const char *kw, const struct tok *v, bool *out);

/* The words of the statement as one script line for script_split(); NULL when out of memory. */
char *val_join_command(struct stmt *st);

/* Generic handlers: write the statement's value into the field st->def->off of obj. */
void kw_set_true(struct parser *p, struct stmt *st, void *obj);
void kw_set_false(struct parser *p, struct stmt *st, void *obj);
/* keepalived's optional <BOOL> (none means on), as 0 or 1 in an unsigned. */
void kw_set_flag(struct parser *p, struct stmt *st, void *obj);
void kw_set_int(struct parser *p, struct stmt *st, void *obj);
void kw_set_uint(struct parser *p, struct stmt *st, void *obj);
void kw_set_u8(struct parser *p, struct stmt *st, void *obj);
void kw_set_us(struct parser *p, struct stmt *st, void *obj);
/* st->def->hi is the size of the char array. */
void kw_set_name(struct parser *p, struct stmt *st, void *obj);

/* A keyword vipd accepts and ignores: warn with st->def->what. */
void kw_warn(struct parser *p, struct stmt *st, void *obj);

/* A keyword vipd refuses: an error with st->def->what. */
void kw_reject(struct parser *p, struct stmt *st, void *obj);

#endif /* VIPD_CONFIG_STMT_H */
