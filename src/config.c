/*
 * config.c - reads vipd.conf (keepalived's configuration syntax, VRRP
 * subset) into struct vipd_config.
 *
 * Three layers. The lexer turns files into tokens carrying file:line:column
 * and follows "include GLOB" lines. The statement reader groups the words
 * of one line and an optional { block }. Keyword tables, one per block,
 * say what each keyword takes; their handlers fill the structures. The
 * checks that need the whole configuration (names referring to each other,
 * duplicate VRIDs, advert_int against the version) and the defaults from
 * global_defs run after parsing.
 *
 * The parser does not stop at the first error: it reports it, skips to the
 * next statement and goes on, up to CFG_ERRORS_MAX errors. Every loop is
 * bounded by the input and every buffer by a named limit, because it reads
 * untrusted files and is fuzzed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "packet.h"

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

#define USEC_PER_SEC 1000000LL
#define USEC_PER_CS 10000LL
#define CS_PER_SEC 100

#define DEFAULT_PRIORITY 100
#define DEFAULT_ADVERT_INT_CS 100
#define DEFAULT_VRRP_VERSION 2
#define DEFAULT_GARP_DELAY_US (5 * USEC_PER_SEC)
#define DEFAULT_GARP_REPEAT 5
#define DEFAULT_GARP_REFRESH_REPEAT 1
#define DEFAULT_SCRIPT_INTERVAL_US USEC_PER_SEC
#define DEFAULT_GATEWAY_INTERVAL_US USEC_PER_SEC
#define DEFAULT_GATEWAY_TIMEOUT_US USEC_PER_SEC
#define DEFAULT_NOTIFY_TIMEOUT_US (30 * USEC_PER_SEC)
#define V2_ADVERT_INT_MAX_S 255
#define V3_ADVERT_INT_MAX_CS 4095
#define AUTH_PASS_MAX 8
#define WEIGHT_MAX 253

/* "Not set in the file": replaced by the global or built-in default. */
#define UNSET_US UINT64_MAX
#define UNSET_COUNT UINT_MAX

/* ------------------------------------------------------------------ */
/* Parser state                                                        */

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
	bool conditional_reported;
	struct inst_extra *iextra; /* parallel to cfg->instances */
	struct ref *refs;
	size_t nrefs;
	struct cfg_instance *cur_inst; /* while inside a vrrp_instance block */
	struct inst_extra *cur_x;
};

/* ------------------------------------------------------------------ */
/* Diagnostics and memory                                              */

static void diag_store(struct cfg_result *r, enum cfg_level lvl, const struct cfg_where *at,
		       const char *msg)
{
	struct cfg_diag *d;

	if (r->ndiags >= CFG_DIAGS_MAX)
		return;
	d = realloc(r->diags, (r->ndiags + 1) * sizeof(*d));
	if (!d)
		return;
	r->diags = d;
	d = &r->diags[r->ndiags];
	d->level = lvl;
	d->file = strdup(at && at->file ? at->file : "(config)");
	d->msg = strdup(msg);
	d->line = at ? at->line : 0;
	d->column = at ? at->column : 0;
	if (d->file && d->msg) {
		r->ndiags++;
		return;
	}
	free(d->file);
	free(d->msg);
}

static void diag_v(struct parser *p, enum cfg_level lvl, const struct cfg_where *at,
		   const char *fmt, va_list ap)
{
	char msg[512], full[600];

	if (p->stopped)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Counted even if it cannot be stored: an error must fail the load. */
	if (lvl == CFG_ERROR && ++p->res->nerrors >= CFG_ERRORS_MAX) {
		snprintf(full, sizeof(full), "%s (too many errors; stopping here)", msg);
		diag_store(p->res, lvl, at, full);
		p->stopped = true;
		return;
	}
	diag_store(p->res, lvl, at, msg);
}

__attribute__((format(printf, 3, 4)))
static void err(struct parser *p, const struct cfg_where *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(p, CFG_ERROR, at, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warn(struct parser *p, const struct cfg_where *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(p, CFG_WARNING, at, fmt, ap);
	va_end(ap);
}

/* Nothing sensible follows a failed allocation: report it and stop parsing. */
static void oom(struct parser *p, const struct cfg_where *at)
{
	err(p, at, "out of memory");
	p->stopped = true;
}

/* Grow an array by one zeroed element; NULL (reported) when out of memory. */
static void *arr_grow(struct parser *p, const struct cfg_where *at, void *arr, size_t n,
		      size_t size)
{
	char *a = n + 1 > SIZE_MAX / size ? NULL : realloc(arr, (n + 1) * size);

	if (!a) {
		oom(p, at);
		return NULL;
	}
	memset(a + n * size, 0, size);
	return a;
}

/* Append to arr (a typed pointer) counted by n: the new element, or NULL. */
#define ARR_PUSH(p, at, arr, n)                                                  \
	({                                                                       \
		__typeof__(arr) a_ = arr_grow((p), (at), (arr), (n), sizeof(*(arr))); \
		a_ ? ((arr) = a_, &a_[(n)++]) : NULL;                            \
	})

static bool copy_name(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return false;
	memcpy(dst, src, len + 1);
	return true;
}

/* ------------------------------------------------------------------ */
/* Sources: the main file, the string, included files                  */

static void src_free(struct src *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->real);
	free(s->dir);
	free(s->text);
	free(s);
}

/* The files array owns every file name; where.file points into it. */
static const char *file_register(struct parser *p, const char *name)
{
	struct vipd_config *c = p->cfg;
	char **slot;

	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], name) == 0)
			return c->files[i];
	slot = ARR_PUSH(p, NULL, c->files, c->nfiles);
	if (!slot)
		return NULL;
	*slot = strdup(name);
	if (!*slot) {
		c->nfiles--;
		return NULL;
	}
	return *slot;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return NULL;
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static struct src *src_new(struct parser *p, const char *name, struct src *parent)
{
	struct src *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->line = 1;
	s->col = 1;
	s->bol = true;
	s->parent = parent;
	s->depth = parent ? parent->depth + 1 : 0;
	/* Included files are registered when read, so files[] is in reading order. */
	if (!parent) {
		s->name = file_register(p, name);
		if (!s->name) {
			free(s);
			return NULL;
		}
	}
	return s;
}

static bool src_push(struct parser *p, struct src *s)
{
	struct src **slot = ARR_PUSH(p, NULL, p->srcs, p->nsrcs);

	if (!slot) {
		src_free(s);
		return false;
	}
	*slot = s;
	return true;
}

/* Read a whole regular file, bounded; errors are reported against at. */
static char *read_file(struct parser *p, const char *path, const struct cfg_where *at,
		       size_t *len)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		err(p, at, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err(p, at, "cannot read '%s': not a regular file", path);
		goto out;
	}
	if (st.st_size > CFG_FILE_SIZE_MAX) {
		err(p, at, "'%s' is larger than %d bytes", path, CFG_FILE_SIZE_MAX);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		oom(p, at);
		goto out;
	}
	n = read(fd, buf, (size_t)st.st_size);
	if (n < 0) {
		err(p, at, "cannot read '%s': %s", path, strerror(errno));
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n)) {
		err(p, at, "'%s' contains a NUL byte: not a text file", path);
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	close(fd);
	return buf;
}

/* Called when s reaches the top of the stack: read its text. */
static bool src_load(struct parser *p, struct src *s)
{
	struct cfg_where whole = { s->name, 0, 0 };

	if (s->text)
		return true;
	s->text = read_file(p, s->path, s->parent ? &s->inc_at : &whole, &s->len);
	if (s->text && !s->name && !(s->name = file_register(p, s->path))) {
		oom(p, &s->inc_at);
		return false;
	}
	return s->text != NULL;
}

/* Is real already being read by s or one of the files that included it? */
static bool src_in_chain(const struct src *s, const char *real)
{
	for (; s; s = s->parent)
		if (s->real && strcmp(s->real, real) == 0)
			return true;
	return false;
}

static void include_one(struct parser *p, struct src *from, const struct cfg_where *at,
			const char *path)
{
	char *real = realpath(path, NULL);
	struct src *s;

	if (!real) {
		err(p, at, "include: cannot read '%s': %s", path, strerror(errno));
		return;
	}
	if (src_in_chain(from, real)) {
		err(p, at, "include: '%s' is already being read (include cycle)", path);
		free(real);
		return;
	}
	if (from->depth + 1 > CFG_INCLUDE_DEPTH_MAX) {
		err(p, at, "include: nested more than %d levels deep at '%s'",
		    CFG_INCLUDE_DEPTH_MAX, path);
		free(real);
		return;
	}
	if (p->nread >= CFG_FILES_MAX) {
		err(p, at, "include: more than %d files in total", CFG_FILES_MAX);
		free(real);
		return;
	}
	s = src_new(p, path, from);
	if (!s || !(s->path = strdup(path))) {
		free(real);
		src_free(s);
		oom(p, at);
		return;
	}
	s->real = real;
	s->dir = dir_of(path);
	s->inc_at = *at;
	p->nread++;
	src_push(p, s);
}

static bool has_glob_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Expand one pattern and push the files in reverse, so the first is read first. */
static void include_pattern(struct parser *p, struct src *from, const struct tok *t)
{
	char *full = NULL;
	glob_t g = { 0 };
	int rc;

	if (t->text[0] != '/' && from->dir) {
		size_t len = strlen(from->dir) + strlen(t->text) + 2;

		full = malloc(len);
		if (full)
			snprintf(full, len, "%s/%s", from->dir, t->text);
	} else {
		full = strdup(t->text);
	}
	if (!full) {
		oom(p, &t->at);
		return;
	}
	rc = glob(full, 0, NULL, &g);
	if (rc == GLOB_NOMATCH && has_glob_magic(t->text))
		warn(p, &t->at, "include: no file matches '%s'", full);
	else if (rc == GLOB_NOMATCH)
		err(p, &t->at, "include: cannot read '%s': %s", full, strerror(ENOENT));
	else if (rc != 0)
		err(p, &t->at, "include: cannot expand '%s'", full);
	else
		for (size_t i = g.gl_pathc; i-- > 0 && !p->stopped;)
			include_one(p, from, &t->at, g.gl_pathv[i]);
	globfree(&g);
	free(full);
}

/* ------------------------------------------------------------------ */
/* Lexer                                                               */

struct wbuf {
	char s[CFG_WORD_MAX + 1];
	size_t len;
	bool overflow;
};

static void wbuf_add(struct wbuf *b, char c)
{
	if (b->len < CFG_WORD_MAX)
		b->s[b->len++] = c;
	else
		b->overflow = true;
}

static int src_peekc(const struct src *s)
{
	return s->pos < s->len ? (unsigned char)s->text[s->pos] : -1;
}

static int src_getc(struct src *s)
{
	int c = src_peekc(s);

	if (c < 0)
		return c;
	s->pos++;
	if (c == '\n') {
		s->line++;
		s->col = 1;
		s->bol = true;
	} else {
		s->col++;
	}
	return c;
}

static struct cfg_where src_where(const struct src *s)
{
	struct cfg_where w = { s->name, s->line, s->col };

	return w;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The character after a backslash in "...", as keepalived and the shell read it. */
static int lex_escape(struct src *s)
{
	static const char simple[] = "a\ab\bE\033e\033f\fn\nr\rt\tv\v";
	int c = src_getc(s), v, d;
	const char *e;

	if (c >= '0' && c <= '7') {
		v = c - '0';
		for (int i = 0; i < 2 && (d = src_peekc(s)) >= '0' && d <= '7'; i++)
			v = v * 8 + (src_getc(s) - '0');
		return v & 0xff;
	}
	if (c == 'x' && hexval(src_peekc(s)) >= 0) {
		v = hexval(src_getc(s));
		if (hexval(src_peekc(s)) >= 0)
			v = v * 16 + hexval(src_getc(s));
		return v;
	}
	if (c == 'c' && src_peekc(s) > 0 && src_peekc(s) != '\n')
		return src_getc(s) & 0x1f;
	e = c > 0 ? strchr(simple, c) : NULL;
	if (e && (e - simple) % 2 == 0)
		return e[1];
	return c;
}

static void lex_quoted(struct parser *p, struct src *s, struct wbuf *b)
{
	struct cfg_where open = src_where(s);
	int q = src_getc(s), c;

	for (;;) {
		c = src_peekc(s);
		if (c < 0 || c == '\n') {
			err(p, &open, "unterminated quoted string (quotes end on the same line)");
			return;
		}
		src_getc(s);
		if (c == q)
			return;
		if (c == '\\' && q == '"' && src_peekc(s) > 0 && src_peekc(s) != '\n') {
			struct cfg_where at = src_where(s);

			c = lex_escape(s);
			if (c == 0) {
				err(p, &at, "a NUL character cannot be part of a string");
				continue;
			}
		}
		wbuf_add(b, (char)c);
	}
}

/*
 * A word runs to a blank, a brace or the end of the line; quoted parts
 * join the word without their quotes, as in keepalived ('a"b c"d' is one
 * word "ab cd").
 */
static bool lex_word(struct parser *p, struct src *s, struct tok *t)
{
	struct wbuf *b = malloc(sizeof(*b));
	int c;

	t->type = TOK_WORD;
	t->at = src_where(s);
	if (!b) {
		oom(p, &t->at);
		return false;
	}
	b->len = 0;
	b->overflow = false;
	while ((c = src_peekc(s)) >= 0 && c != '\n' && !is_blank(c) && c != '{' && c != '}') {
		if (c == '"' || c == '\'') {
			t->quoted = true;
			lex_quoted(p, s, b);
		} else {
			wbuf_add(b, (char)src_getc(s));
		}
	}
	if (b->overflow)
		err(p, &t->at, "word longer than %d characters", CFG_WORD_MAX);
	t->text = strndup(b->s, b->len);
	free(b);
	if (!t->text)
		oom(p, &t->at);
	return t->text != NULL;
}

/* Skip blanks and comments; false at the end of the source. */
static bool lex_skip(struct src *s)
{
	int c;

	while ((c = src_peekc(s)) >= 0) {
		if (c == '#' || c == '!') {
			while ((c = src_peekc(s)) >= 0 && c != '\n')
				src_getc(s);
		} else if (is_blank(c) || c == '\n') {
			src_getc(s);
		} else {
			return true;
		}
	}
	return false;
}

static void tok_clear(struct tok *t)
{
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static void lex_include(struct parser *p, struct src *s, struct tok *kw)
{
	struct tok pats[CFG_ARGS_MAX];
	bool too_many = false;
	size_t n = 0;
	struct tok t;

	s->bol = false;
	while (lex_skip(s) && !s->bol) {
		memset(&t, 0, sizeof(t));
		if (src_peekc(s) == '{' || src_peekc(s) == '}') {
			t.at = src_where(s);
			err(p, &t.at, "include: unexpected '%c'", src_getc(s));
			continue;
		}
		if (!lex_word(p, s, &t))
			continue;
		if (n < CFG_ARGS_MAX) {
			pats[n++] = t;
			continue;
		}
		if (!too_many)
			err(p, &t.at, "include: more than %d patterns on one line", CFG_ARGS_MAX);
		too_many = true;
		tok_clear(&t);
	}
	if (n == 0)
		err(p, &kw->at, "include: expected a file name or glob pattern");
	/* Last pattern pushed first: the stack then reads them in order. */
	for (size_t i = n; i-- > 0;) {
		include_pattern(p, s, &pats[i]);
		tok_clear(&pats[i]);
	}
}

/* keepalived's "@id" lines depend on its -i option: vipd has none. */
static void lex_conditional(struct parser *p, struct tok *t)
{
	if (!p->conditional_reported)
		err(p, &t->at,
		    "'%s': conditional lines (keepalived -i CONFIG_ID) are not supported; "
		    "write one configuration file per node", t->text);
	p->conditional_reported = true;
}

static void src_pop(struct parser *p)
{
	src_free(p->srcs[--p->nsrcs]);
}

/* The next token of the stream, across include boundaries. */
static void lex_next(struct parser *p, struct tok *t)
{
	struct src *s;

	memset(t, 0, sizeof(*t));
	while (!p->stopped && p->nsrcs > 0) {
		s = p->srcs[p->nsrcs - 1];
		if (!src_load(p, s) || !lex_skip(s)) {
			src_pop(p);
			continue;
		}
		t->bol = s->bol;
		s->bol = false;
		if (src_peekc(s) == '{' || src_peekc(s) == '}') {
			t->at = src_where(s);
			t->type = src_getc(s) == '{' ? TOK_LBRACE : TOK_RBRACE;
			return;
		}
		if (!lex_word(p, s, t))
			continue;
		if (t->bol && !t->quoted && strcmp(t->text, "include") == 0) {
			lex_include(p, s, t);
			tok_clear(t);
			continue;
		}
		if (t->bol && t->text[0] == '@' && !t->quoted) {
			lex_conditional(p, t);
			tok_clear(t);
			s->bol = true; /* what follows the @id starts a statement */
			continue;
		}
		return;
	}
	t->type = TOK_EOF;
}

/* ------------------------------------------------------------------ */
/* Statements and blocks                                               */

static void next_tok(struct parser *p, struct tok *t)
{
	if (p->have_peek) {
		*t = p->peek;
		p->have_peek = false;
		return;
	}
	lex_next(p, t);
}

static void push_back(struct parser *p, struct tok *t)
{
	p->peek = *t;
	p->have_peek = true;
}

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

static void stmt_clear(struct stmt *st)
{
	tok_clear(&st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		tok_clear(&st->args[i]);
	st->nargs = 0;
}

/*
 * A statement ends at the end of its line or at a brace. A '{' at the
 * start of the next line still opens the statement's block, as keepalived
 * allows.
 */
static void read_stmt(struct parser *p, struct stmt *st)
{
	struct tok t;
	bool too_many = false;

	memset(st, 0, sizeof(*st));
	next_tok(p, &st->kw);
	if (st->kw.type != TOK_WORD)
		return;
	for (;;) {
		next_tok(p, &t);
		if (t.type == TOK_LBRACE) {
			st->block = true;
			st->open = t;
			return;
		}
		if (t.type != TOK_WORD || t.bol) {
			push_back(p, &t);
			return;
		}
		if (st->nargs < CFG_ARGS_MAX) {
			st->args[st->nargs++] = t;
			continue;
		}
		if (!too_many)
			err(p, &t.at, "%s: more than %d words on one line", st->kw.text,
			    CFG_ARGS_MAX);
		too_many = true;
		tok_clear(&t);
	}
}

/* Skip to the '}' matching an already read '{' (iterative: no recursion). */
static void skip_block(struct parser *p, const struct tok *open)
{
	unsigned long depth = 1;
	struct tok t;

	while (depth > 0) {
		next_tok(p, &t);
		if (t.type == TOK_EOF) {
			err(p, &open->at, "missing '}' for the block opened here");
			return;
		}
		if (t.type == TOK_LBRACE)
			depth++;
		else if (t.type == TOK_RBRACE)
			depth--;
		tok_clear(&t);
	}
}

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

static const struct kw *kw_find(const struct block_def *b, const char *name)
{
	for (size_t i = 0; i < b->nkws; i++)
		if (strcmp(b->kws[i].name, name) == 0)
			return &b->kws[i];
	return NULL;
}

/* Edit distance, for "did you mean"; b is at most CFG_SUGGEST_LEN_MAX long. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[CFG_SUGGEST_LEN_MAX + 1];

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The closest of names[] to word, if close enough to be a likely typo. */
static const char *suggest(const char *word, const char *const *names, size_t n, size_t stride)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(word);

	if (len > CFG_SUGGEST_LEN_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *c = *(const char *const *)((const char *)names + i * stride);
		/* The row is as long as word, which is bounded; c may be any length. */
		size_t d = edit_distance(c, word);

		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	/* A third of the word may be wrong, at least 2 characters. */
	if (best && best_d <= (len / 3 > 2 ? len / 3 : 2) && best_d < len)
		return best;
	return NULL;
}

#define KWS_MAX 128

static void kw_reject(struct parser *p, struct stmt *st, void *obj);

/* Suggest only keywords that would be accepted, not the rejected ones. */
static void unknown_kw(struct parser *p, const struct block_def *b, const struct tok *t)
{
	const char *names[KWS_MAX];
	size_t n = 0;
	const char *s;

	for (size_t i = 0; i < b->nkws && n < KWS_MAX; i++)
		if (b->kws[i].fn != kw_reject)
			names[n++] = b->kws[i].name;
	s = suggest(t->text, names, n, sizeof(names[0]));

	if (s)
		err(p, &t->at, "unknown keyword '%s' in %s; did you mean '%s'?", t->text, b->name,
		    s);
	else
		err(p, &t->at, "unknown keyword '%s' in %s%s", t->text, b->name,
		    b->unknown_hint ? b->unknown_hint : "");
}

static void dispatch(struct parser *p, const struct block_def *b, struct stmt *st, void *obj)
{
	const struct kw *k = kw_find(b, st->kw.text);

	if (!k) {
		unknown_kw(p, b, &st->kw);
		goto skip;
	}
	if (k->form == KW_BLOCK && !st->block) {
		err(p, &st->kw.at, "%s: expected '{' to open its block", k->name);
		return;
	}
	if (k->form == KW_LINE && st->block) {
		err(p, &st->open.at, "%s: takes no block", k->name);
		goto skip;
	}
	if (st->nargs < k->min_args) {
		err(p, &st->kw.at, "%s: expected %s", k->name, k->what ? k->what : "a value");
		goto skip;
	}
	if (st->nargs > k->max_args) {
		err(p, &st->args[k->max_args].at, "%s: unexpected '%s' after %s", k->name,
		    st->args[k->max_args].text, k->max_args ? "the value" : "the keyword");
		goto skip;
	}
	st->def = k;
	k->fn(p, st, obj);
	return;
skip:
	if (st->block)
		skip_block(p, &st->open);
}

/*
 * Read statements up to the '}' closing open (or to EOF at the top level,
 * open == NULL), handing each to line() or, with a keyword table, to its
 * handler. Handlers of KW_BLOCK keywords read their own block.
 */
typedef void (*line_fn)(struct parser *p, struct stmt *st, void *obj);

static void parse_stmts(struct parser *p, const struct block_def *b, line_fn line,
			const struct tok *open, void *obj)
{
	struct stmt st;

	while (!p->stopped) {
		read_stmt(p, &st);
		if (st.kw.type == TOK_EOF) {
			if (open)
				err(p, &open->at, "missing '}' for the block opened here");
			return;
		}
		if (st.kw.type == TOK_RBRACE) {
			if (open)
				return;
			err(p, &st.kw.at, "unexpected '}' (no block is open)");
			continue;
		}
		if (st.kw.type == TOK_LBRACE) {
			err(p, &st.kw.at, "unexpected '{' (a block needs a keyword before it)");
			skip_block(p, &st.kw);
			continue;
		}
		if (b) {
			dispatch(p, b, &st, obj);
		} else if (st.block) {
			err(p, &st.open.at, "unexpected '{' in a list");
			skip_block(p, &st.open);
		} else {
			line(p, &st, obj);
		}
		stmt_clear(&st);
	}
}

static void parse_block(struct parser *p, const struct block_def *b, const struct tok *open,
			void *obj)
{
	parse_stmts(p, b, NULL, open, obj);
}

static void parse_list(struct parser *p, line_fn line, const struct tok *open, void *obj)
{
	parse_stmts(p, NULL, line, open, obj);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

/* A decimal integer, optionally negative; false when not exactly that. */
static bool parse_ll(const char *s, long long *out)
{
	bool neg = *s == '-';
	long long v = 0;

	if (neg)
		s++;
	if (!*s || strlen(s) > 12)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return true;
}

/* "SECONDS[.FRACTION]" to microseconds, exactly (no floating point). */
static bool parse_seconds_us(const char *s, long long *us)
{
	long long whole = 0, frac = 0, scale = USEC_PER_SEC;
	const char *dot = strchr(s, '.');
	size_t wlen = dot ? (size_t)(dot - s) : strlen(s);

	if (wlen > 9 || (wlen == 0 && !dot))
		return false;
	for (size_t i = 0; i < wlen; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		whole = whole * 10 + (s[i] - '0');
	}
	if (dot) {
		const char *f = dot + 1;

		if (!*f || strlen(f) > 6 || (wlen == 0 && !*f))
			return false;
		for (; *f; f++) {
			if (!isdigit((unsigned char)*f))
				return false;
			scale /= 10;
			frac += (*f - '0') * scale;
		}
	}
	*us = whole * USEC_PER_SEC + frac;
	return true;
}

/* Seconds for messages: "5", "0.01", "40.95". */
static const char *fmt_seconds(long long us, char *buf, size_t size)
{
	long long frac = us % USEC_PER_SEC;
	int digits = 6;

	if (!frac) {
		snprintf(buf, size, "%lld", us / USEC_PER_SEC);
		return buf;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, size, "%lld.%0*lld", us / USEC_PER_SEC, digits, frac);
	return buf;
}

static bool val_int(struct parser *p, const char *kw, const struct tok *v, long long lo,
		    long long hi, long long *out)
{
	long long n;

	if (parse_ll(v->text, &n) && n >= lo && n <= hi) {
		*out = n;
		return true;
	}
	err(p, &v->at, "%s: expected a number from %lld to %lld, got %s", kw, lo, hi, v->text);
	return false;
}

static bool val_seconds(struct parser *p, const char *kw, const struct tok *v, long long lo_us,
			long long hi_us, long long *out_us)
{
	char lo[32], hi[32];
	long long us;

	if (parse_seconds_us(v->text, &us) && us >= lo_us && us <= hi_us) {
		*out_us = us;
		return true;
	}
	err(p, &v->at, "%s: expected seconds from %s to %s, got %s", kw,
	    fmt_seconds(lo_us, lo, sizeof(lo)), fmt_seconds(hi_us, hi, sizeof(hi)), v->text);
	return false;
}

static bool val_name(struct parser *p, const char *kw, const struct tok *v, char *dst,
		     size_t size)
{
	if (!v->text[0]) {
		err(p, &v->at, "%s: expected a name, got an empty string", kw);
		return false;
	}
	if (copy_name(dst, size, v->text))
		return true;
	err(p, &v->at, "%s: '%.64s' is longer than %zu characters", kw, v->text, size - 1);
	return false;
}

static bool val_addr(struct parser *p, const char *kw, const struct tok *v, struct ipaddr *a)
{
	if (ipaddr_parse(v->text, a, NULL) == 0)
		return true;
	err(p, &v->at, "%s: expected an IPv4 or IPv6 address, got %s", kw, v->text);
	return false;
}

/* keepalived's <BOOL>: on|off|true|false|yes|no. */
static bool val_bool(struct parser *p, const char *kw, const struct tok *v, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };

	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(v->text, yes[i]) == 0 || strcasecmp(v->text, no[i]) == 0) {
			*out = strcasecmp(v->text, yes[i]) == 0;
			return true;
		}
	}
	err(p, &v->at, "%s: expected on, off, true, false, yes or no, got %s", kw, v->text);
	return false;
}

/* The words of the statement as one script line for script_split(). */
static char *join_command(struct stmt *st)
{
	size_t len = 1;
	char *s, *o;

	if (st->nargs == 1)
		return strdup(st->args[0].text);
	for (size_t i = 0; i < st->nargs; i++)
		len += 2 * strlen(st->args[i].text) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	o = s;
	for (size_t i = 0; i < st->nargs; i++) {
		/* Each word stays one argument: escape what would split it. */
		for (const char *c = st->args[i].text; *c; c++) {
			if (is_blank(*c) || *c == '\n' || *c == '"' || *c == '\'' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = i + 1 < st->nargs ? ' ' : '\0';
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* Generic keyword handlers                                            */

#define FIELD(obj, off, type) ((type *)((char *)(obj) + (off)))

static void kw_set_true(struct parser *p, struct stmt *st, void *obj)
{
	*FIELD(obj, st->def->off, bool) = true;
}

static void kw_set_false(struct parser *p, struct stmt *st, void *obj)
{
	*FIELD(obj, st->def->off, bool) = false;
}

static void kw_set_int(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_int(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, int) = (int)v;
}

static void kw_set_uint(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_int(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, unsigned) = (unsigned)v;
}

static void kw_set_u8(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_int(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, uint8_t) = (uint8_t)v;
}

static void kw_set_us(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_seconds(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, uint64_t) = (uint64_t)v;
}

/* hi is the size of the char array. */
static void kw_set_name(struct parser *p, struct stmt *st, void *obj)
{
	val_name(p, st->def->name, &st->args[0], FIELD(obj, st->def->off, char),
		 (size_t)st->def->hi);
}

static void kw_warn(struct parser *p, struct stmt *st, void *obj)
{
	warn(p, &st->kw.at, "%s: %s; ignored", st->def->name, st->def->what);
	if (st->block)
		skip_block(p, &st->open);
}

static void kw_reject(struct parser *p, struct stmt *st, void *obj)
{
	err(p, &st->kw.at, "%s: %s", st->def->name, st->def->what);
	if (st->block)
		skip_block(p, &st->open);
}

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

/* ------------------------------------------------------------------ */
/* global_defs                                                         */

#define G(m) offsetof(struct cfg_global, m)
#define S_US(s) ((long long)(s) * USEC_PER_SEC)

static void kw_script_user(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_global *g = obj;

	if (!val_name(p, "script_user", &st->args[0], g->script_user, sizeof(g->script_user)))
		return;
	g->script_group[0] = '\0';
	if (st->nargs > 1)
		val_name(p, "script_user", &st->args[1], g->script_group, sizeof(g->script_group));
}

/* A multicast group other than the standard one would stop interop: refuse it. */
static void kw_mcast_group(struct parser *p, struct stmt *st, void *obj)
{
	const char *std = strchr(st->def->name, '6') ? VRRP_MCAST_V6 : VRRP_MCAST_V4;
	struct ipaddr a, b;

	if (!val_addr(p, st->def->name, &st->args[0], &a))
		return;
	ipaddr_parse(std, &b, NULL);
	if (ipaddr_equal(&a, &b))
		warn(p, &st->kw.at, "%s: vipd always uses %s; ignored", st->def->name, std);
	else
		err(p, &st->args[0].at, "%s: vipd only uses the standard group %s, got %s",
		    st->def->name, std, st->args[0].text);
}

static const char no_mail[] = "vipd sends no mail (use a notify script)";
static const char no_snmp[] = "vipd has no SNMP agent (see vipctl metrics)";
static const char no_lvs[] = "LVS is not part of vipd";
static const char no_tune[] = "not needed by vipd";

static const struct kw global_kws[] = {
	KW("router_id", kw_set_name, 1, 1, KW_LINE, "a name", G(router_id), 0,
	   MEMBER_SIZE(struct cfg_global, router_id)),
	KW("vrrp_version", kw_set_u8, 1, 1, KW_LINE, "2 or 3", G(vrrp_version), 2, 3),
	KW("script_user", kw_script_user, 1, 2, KW_LINE, "a user name [and a group name]"),
	KW("enable_script_security", kw_set_true, 0, 0, KW_LINE, NULL, G(enable_script_security)),
	KW("vrrp_garp_master_delay", kw_set_us, 1, 1, KW_LINE, "seconds", G(garp_master_delay_us),
	   0, S_US(1000)),
	KW("vrrp_garp_master_repeat", kw_set_uint, 1, 1, KW_LINE, "a count", G(garp_master_repeat),
	   1, 255),
	KW("vrrp_garp_master_refresh", kw_set_us, 1, 1, KW_LINE, "seconds",
	   G(garp_master_refresh_us), 0, S_US(86400)),
	KW("vrrp_garp_master_refresh_repeat", kw_set_uint, 1, 1, KW_LINE, "a count",
	   G(garp_master_refresh_repeat), 1, 255),
	KW("vrrp_garp_interval", kw_set_us, 1, 1, KW_LINE, "seconds", G(garp_interval_us), 0,
	   S_US(10)),
	KW("vrrp_gna_interval", kw_set_us, 1, 1, KW_LINE, "seconds", G(gna_interval_us), 0,
	   S_US(10)),
	KW("notify_timeout", kw_set_us, 1, 1, KW_LINE, "seconds", G(notify_timeout_us), 1000,
	   S_US(3600)),
	KW("vrrp_mcast_group4", kw_mcast_group, 1, 1, KW_LINE, "an IPv4 address"),
	KW("vrrp_mcast_group6", kw_mcast_group, 1, 1, KW_LINE, "an IPv6 address"),
	REJECT("net_namespace", "vipd does not switch network namespaces; start it with "
				"'ip netns exec NAME vipd'"),
	WARN("notification_email", no_mail),
	WARN("notification_email_from", no_mail),
	WARN("smtp_server", no_mail),
	WARN("smtp_helo_name", no_mail),
	WARN("smtp_connect_timeout", no_mail),
	WARN("smtp_alert", no_mail),
	WARN("smtp_alert_vrrp", no_mail),
	WARN("smtp_alert_checker", no_mail),
	WARN("no_email_faults", no_mail),
	WARN("email_faults", no_mail),
	WARN("enable_snmp_vrrp", no_snmp),
	WARN("enable_snmp_checker", no_snmp),
	WARN("enable_snmp_rfc", no_snmp),
	WARN("enable_snmp_rfcv2", no_snmp),
	WARN("enable_snmp_rfcv3", no_snmp),
	WARN("enable_snmp_keepalived", no_snmp),
	WARN("enable_traps", no_snmp),
	WARN("snmp_socket", no_snmp),
	WARN("enable_dbus", "vipd has no D-Bus interface (see vipctl)"),
	WARN("lvs_id", no_lvs),
	WARN("lvs_sync_daemon", no_lvs),
	WARN("lvs_flush", no_lvs),
	WARN("lvs_flush_onstop", no_lvs),
	WARN("lvs_timeouts", no_lvs),
	WARN("checker_no_swap", no_lvs),
	WARN("checker_priority", no_lvs),
	WARN("checker_rt_priority", no_lvs),
	WARN("checker_process_name", no_lvs),
	WARN("vrrp_skip_check_adv_addr", "vipd always uses adverts with a differing address "
					 "list (and logs the difference)"),
	WARN("vrrp_strict", "vipd does not implement keepalived's strict mode"),
	WARN("vrrp_iptables", "vipd does not manage firewall rules"),
	WARN("vrrp_ipsets", "vipd does not manage firewall rules"),
	WARN("vrrp_check_unicast_src", "vipd always checks the source of unicast adverts"),
	WARN("dynamic_interfaces", "vipd always follows interfaces that come and go"),
	WARN("max_auto_priority", no_tune),
	WARN("vrrp_no_swap", no_tune),
	WARN("vrrp_priority", no_tune),
	WARN("vrrp_rt_priority", no_tune),
	WARN("vrrp_cpu_affinity", no_tune),
	WARN("vrrp_rlimit_rttime", no_tune),
	WARN("vrrp_netlink_cmd_rcv_bufs", no_tune),
	WARN("vrrp_netlink_monitor_rcv_bufs", no_tune),
	WARN("vrrp_rx_bufs_policy", no_tune),
	WARN("vrrp_rx_bufs_multiplier", no_tune),
	WARN("process_names", no_tune),
	WARN("vrrp_process_name", no_tune),
	WARN("instance", "vipd keeps one pid file per configuration (vipd -p)"),
	WARN("use_pid_dir", no_tune),
	WARN("vrrp_startup_delay", "not supported by vipd"),
	WARN("vrrp_lower_prio_no_advert", "not supported by vipd"),
	WARN("vrrp_higher_prio_send_advert", "not supported by vipd"),
	WARN("vrrp_garp_lower_prio_delay", "not supported by vipd"),
	WARN("vrrp_garp_lower_prio_repeat", "not supported by vipd"),
	WARN("vrrp_min_garp", "not supported by vipd; set the garp_* keywords"),
	WARN("notify_fifo", "vipd has no notify FIFO; use a notify script"),
	WARN("notify_fifo_script", "vipd has no notify FIFO; use a notify script"),
	WARN("vrrp_notify_fifo", "vipd has no notify FIFO; use a notify script"),
	WARN("vrrp_notify_fifo_script", "vipd has no notify FIFO; use a notify script"),
	WARN("default_interface", "not needed by vipd"),
	WARN("linkbeat_use_polling", "vipd follows link state through netlink"),
	WARN("log_unknown_vrids", "vipd counts adverts for unknown VRIDs (see vipctl)"),
	WARN("random_seed", no_tune),
	WARN("umask", no_tune),
};

static const struct block_def global_block = { "global_defs", global_kws, ARRAY_SIZE(global_kws),
					       NULL };

static void kw_global_defs(struct parser *p, struct stmt *st, void *obj)
{
	parse_block(p, &global_block, &st->open, &p->cfg->global);
}

/* ------------------------------------------------------------------ */
/* vrrp_script NAME { ... }                                            */

#define SC(m) offsetof(struct cfg_script, m)

static void kw_script_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;
	char *cmd = join_command(st);

	if (!cmd) {
		oom(p, &st->kw.at);
		return;
	}
	if (!cmd[0]) {
		err(p, &st->args[0].at, "script: expected a command, got an empty string");
		free(cmd);
		return;
	}
	free(s->command);
	s->command = cmd;
}

/* weight W [reverse]: shared by vrrp_script and track_script. */
static bool val_weight(struct parser *p, const char *kw, struct tok *args, size_t n,
		       int *weight, bool *reverse)
{
	long long w;

	if (!val_int(p, kw, &args[0], -WEIGHT_MAX, WEIGHT_MAX, &w))
		return false;
	*weight = (int)w;
	*reverse = false;
	if (n < 2)
		return true;
	if (strcmp(args[1].text, "reverse") == 0) {
		*reverse = true;
		return true;
	}
	if (strcmp(args[1].text, "noreverse") == 0 || strcmp(args[1].text, "no_reverse") == 0)
		return true;
	err(p, &args[1].at, "%s: expected 'reverse' or nothing after the weight, got %s", kw,
	    args[1].text);
	return false;
}

static void kw_script_weight(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;

	val_weight(p, "weight", st->args, st->nargs, &s->weight, &s->weight_reverse);
}

static void kw_script_run_as(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;

	if (!val_name(p, "user", &st->args[0], s->user, sizeof(s->user)))
		return;
	s->group[0] = '\0';
	if (st->nargs > 1)
		val_name(p, "user", &st->args[1], s->group, sizeof(s->group));
}

static const struct kw script_kws[] = {
	KW("script", kw_script_line, 1, ARGS_ANY, KW_LINE, "a command"),
	KW("interval", kw_set_us, 1, 1, KW_LINE, "seconds", SC(interval_us), 1000, S_US(86400)),
	KW("timeout", kw_set_us, 1, 1, KW_LINE, "seconds", SC(timeout_us), 1000, S_US(86400)),
	KW("weight", kw_script_weight, 1, 2, KW_LINE, "a number from -253 to 253 [reverse]"),
	KW("rise", kw_set_int, 1, 1, KW_LINE, "a count", SC(rise), 1, 1000000),
	KW("fall", kw_set_int, 1, 1, KW_LINE, "a count", SC(fall), 1, 1000000),
	KW("user", kw_script_run_as, 1, 2, KW_LINE, "a user name [and a group name]"),
	KW("init_fail", kw_set_true, 0, 0, KW_LINE, NULL, SC(init_fail)),
};

static const struct block_def script_block = { "vrrp_script", script_kws, ARRAY_SIZE(script_kws),
					       NULL };

/* NAME of a named block, checked for length; false (block skipped) when bad. */
static bool block_name(struct parser *p, struct stmt *st, char *dst, size_t size)
{
	if (st->nargs == 1 && val_name(p, st->kw.text, &st->args[0], dst, size))
		return true;
	if (st->nargs != 1)
		err(p, &st->kw.at, "%s: expected one name before '{'", st->kw.text);
	skip_block(p, &st->open);
	return false;
}

static struct cfg_where where_of(const struct tok *t)
{
	return t->at;
}

static void kw_vrrp_script(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_script *s;

	if (!block_name(p, st, name, sizeof(name)))
		return;
	s = ARR_PUSH(p, &st->kw.at, c->scripts, c->nscripts);
	if (!s)
		return; /* out of memory: parsing has stopped */
	memcpy(s->name, name, sizeof(name));
	s->where = where_of(&st->args[0]);
	parse_block(p, &script_block, &st->open, s);
}

/* ------------------------------------------------------------------ */
/* track_gateway NAME { ... } (vipd extension)                          */

#define GW(m) offsetof(struct cfg_gateway, m)

static void kw_gateway_address(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_gateway *g = obj;

	val_addr(p, "address", &st->args[0], &g->addr);
}

static const struct kw gateway_kws[] = {
	KW("address", kw_gateway_address, 1, 1, KW_LINE, "an IP address"),
	KW("dev", kw_set_name, 1, 1, KW_LINE, "an interface name", GW(dev), 0,
	   MEMBER_SIZE(struct cfg_gateway, dev)),
	KW("interval", kw_set_us, 1, 1, KW_LINE, "seconds", GW(interval_us), 10000, S_US(3600)),
	KW("timeout", kw_set_us, 1, 1, KW_LINE, "seconds", GW(timeout_us), 10000, S_US(3600)),
	KW("weight", kw_set_int, 1, 1, KW_LINE, "a number", GW(weight), -WEIGHT_MAX, WEIGHT_MAX),
	KW("rise", kw_set_int, 1, 1, KW_LINE, "a count", GW(rise), 1, 1000000),
	KW("fall", kw_set_int, 1, 1, KW_LINE, "a count", GW(fall), 1, 1000000),
};

static const struct block_def gateway_block = { "track_gateway", gateway_kws,
						ARRAY_SIZE(gateway_kws), NULL };

static void kw_track_gateway_def(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_gateway *g;

	if (!block_name(p, st, name, sizeof(name)))
		return;
	g = ARR_PUSH(p, &st->kw.at, c->gateways, c->ngateways);
	if (!g)
		return; /* out of memory: parsing has stopped */
	memcpy(g->name, name, sizeof(name));
	g->where = where_of(&st->args[0]);
	parse_block(p, &gateway_block, &st->open, g);
}

/* ------------------------------------------------------------------ */
/* vrrp_instance: authentication { }                                   */

static void kw_auth_type(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *v = st->args[0].text;

	if (strcasecmp(v, "PASS") == 0) {
		in->auth_type = VRRP_AUTH_PASS;
	} else if (strcasecmp(v, "AH") == 0) {
		err(p, &st->args[0].at,
		    "auth_type: AH (IPsec authentication header) is not supported by vipd; "
		    "use PASS or remove the authentication block");
		/* Only so that the end of the block does not also warn about auth_pass. */
		in->auth_type = VRRP_AUTH_AH;
	} else {
		err(p, &st->args[0].at, "auth_type: expected PASS or AH, got %s", v);
	}
}

static void kw_auth_pass(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *v = st->args[0].text;
	size_t len = strlen(v);

	if (len == 0) {
		err(p, &st->args[0].at, "auth_pass: expected a password, got an empty string");
		return;
	}
	if (len > AUTH_PASS_MAX) {
		warn(p, &st->args[0].at,
		     "auth_pass: longer than %d characters; only the first %d are used "
		     "(as keepalived does)", AUTH_PASS_MAX, AUTH_PASS_MAX);
		len = AUTH_PASS_MAX;
	}
	memset(in->auth_pass, 0, sizeof(in->auth_pass));
	memcpy(in->auth_pass, v, len);
}

static const struct kw auth_kws[] = {
	KW("auth_type", kw_auth_type, 1, 1, KW_LINE, "PASS or AH"),
	KW("auth_pass", kw_auth_pass, 1, 1, KW_LINE, "a password of up to 8 characters"),
};

static const struct block_def auth_block = { "authentication", auth_kws, ARRAY_SIZE(auth_kws),
					     NULL };

static void kw_authentication(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	in->auth_type = VRRP_AUTH_NONE;
	in->auth_pass[0] = '\0';
	p->cur_x->auth = st->kw.at;
	parse_block(p, &auth_block, &st->open, in);
	if (in->auth_type == VRRP_AUTH_AH)
		in->auth_type = VRRP_AUTH_NONE;
	else if (in->auth_type == VRRP_AUTH_PASS && !in->auth_pass[0])
		err(p, &st->kw.at, "authentication: auth_type PASS needs an auth_pass");
	else if (in->auth_type == VRRP_AUTH_NONE && in->auth_pass[0])
		warn(p, &st->kw.at, "authentication: auth_pass without auth_type PASS; "
				    "adverts carry no password");
}

/* ------------------------------------------------------------------ */
/* vrrp_instance: virtual_ipaddress { ADDR[/LEN] [options] }           */

struct vip_list {
	const char *kw;
	struct cfg_vip **vips;
	size_t *n;
	size_t max;
};

static int scope_parse(const char *s)
{
	static const struct {
		const char *name;
		int scope;
	} names[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
		{ "site", RT_SCOPE_SITE },       { "link", RT_SCOPE_LINK },
		{ "host", RT_SCOPE_HOST },       { "nowhere", RT_SCOPE_NOWHERE },
	};
	long long n;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].scope;
	if (parse_ll(s, &n) && n >= 0 && n <= 255)
		return (int)n;
	return -1;
}

enum vip_opt { VIP_DEV, VIP_LABEL, VIP_SCOPE, VIP_BRD, VIP_NO_TRACK, VIP_UNSUPPORTED };

static const struct vip_opt_def {
	const char *name;
	enum vip_opt opt;
	int nparams;
} vip_opts[] = {
	{ "dev", VIP_DEV, 1 },           { "label", VIP_LABEL, 1 },
	{ "scope", VIP_SCOPE, 1 },       { "brd", VIP_BRD, 1 },
	{ "broadcast", VIP_BRD, 1 },     { "no_track", VIP_NO_TRACK, 0 },
	{ "peer", VIP_UNSUPPORTED, 1 },  { "home", VIP_UNSUPPORTED, 0 },
	{ "-nodad", VIP_UNSUPPORTED, 0 }, { "nodad", VIP_UNSUPPORTED, 0 },
	{ "mngtmpaddr", VIP_UNSUPPORTED, 0 }, { "noprefixroute", VIP_UNSUPPORTED, 0 },
	{ "autojoin", VIP_UNSUPPORTED, 0 }, { "preferred_lft", VIP_UNSUPPORTED, 1 },
	{ "use_vmac", VIP_UNSUPPORTED, 0 }, { "track", VIP_UNSUPPORTED, 0 },
};

/* One option of a VIP line with its parameter; false to stop the line. */
static bool vip_option(struct parser *p, const struct vip_list *l, struct cfg_vip *v,
		       const struct vip_opt_def *o, const struct tok *name, const struct tok *val)
{
	switch (o->opt) {
	case VIP_DEV:
		return val_name(p, "dev", val, v->dev, sizeof(v->dev));
	case VIP_LABEL:
		return val_name(p, "label", val, v->label, sizeof(v->label));
	case VIP_SCOPE:
		v->scope = scope_parse(val->text);
		if (v->scope >= 0)
			return true;
		err(p, &val->at, "scope: expected global, site, link, host, nowhere or a number "
				 "from 0 to 255, got %s", val->text);
		return false;
	case VIP_BRD:
		if (ipaddr_parse(val->text, &v->broadcast, NULL) == 0 &&
		    v->broadcast.family == AF_INET)
			return true;
		err(p, &val->at, "%s: expected an IPv4 broadcast address, got %s", name->text,
		    val->text);
		return false;
	case VIP_NO_TRACK:
		v->no_track = true;
		return true;
	case VIP_UNSUPPORTED:
		break;
	}
	err(p, &name->at, "%s: the address option '%s' is not supported by vipd", l->kw,
	    name->text);
	return false;
}

static bool vip_options(struct parser *p, const struct vip_list *l, struct stmt *st,
			struct cfg_vip *v)
{
	for (size_t i = 0; i < st->nargs; i++) {
		const struct tok *name = &st->args[i];
		const struct vip_opt_def *o = NULL;

		for (size_t k = 0; k < ARRAY_SIZE(vip_opts) && !o; k++)
			if (strcmp(vip_opts[k].name, name->text) == 0)
				o = &vip_opts[k];
		if (!o) {
			const char *s = suggest(name->text, &vip_opts[0].name,
						ARRAY_SIZE(vip_opts), sizeof(vip_opts[0]));

			err(p, &name->at, "%s: unknown address option '%s'%s%s%s", l->kw,
			    name->text, s ? "; did you mean '" : " (expected dev, label, scope, "
								 "brd or no_track)",
			    s ? s : "", s ? "'?" : "");
			return false;
		}
		if (i + (size_t)o->nparams >= st->nargs && o->nparams) {
			err(p, &name->at, "%s: '%s' needs a value", l->kw, name->text);
			return false;
		}
		if (!vip_option(p, l, v, o, name, o->nparams ? &st->args[i + 1] : NULL))
			return false;
		i += (size_t)o->nparams;
	}
	return true;
}

/* IPv6 addresses have no label, scope or broadcast: keepalived drops the first two. */
static bool vip_check_v6(struct parser *p, const struct vip_list *l, struct cfg_vip *v)
{
	if (v->addr.family != AF_INET6)
		return true;
	if (v->broadcast.family != AF_UNSPEC) {
		err(p, &v->where, "%s: an IPv6 address has no broadcast address", l->kw);
		return false;
	}
	if (v->label[0])
		warn(p, &v->where, "%s: IPv6 addresses have no label; label %s ignored", l->kw,
		     v->label);
	if (v->scope != RT_SCOPE_UNIVERSE)
		warn(p, &v->where, "%s: the scope of an IPv6 address comes from the address; "
				   "scope ignored", l->kw);
	v->label[0] = '\0';
	v->scope = RT_SCOPE_UNIVERSE;
	return true;
}

static const struct cfg_vip *vip_find(const struct cfg_vip *vips, size_t n,
				      const struct ipaddr *a)
{
	for (size_t i = 0; i < n; i++)
		if (ipaddr_equal(&vips[i].addr, a))
			return &vips[i];
	return NULL;
}

static void vip_line(struct parser *p, struct stmt *st, void *obj)
{
	struct vip_list *l = obj;
	struct cfg_vip v = { .scope = RT_SCOPE_UNIVERSE, .where = st->kw.at };
	const struct cfg_vip *dup;
	struct cfg_vip *slot;

	if (ipaddr_parse(st->kw.text, &v.addr, &v.prefix_len) < 0) {
		err(p, &st->kw.at, "%s: expected an address like 192.0.2.10/24 or "
				   "2001:db8::10/64, got %s", l->kw, st->kw.text);
		return;
	}
	if (!vip_options(p, l, st, &v) || !vip_check_v6(p, l, &v))
		return;
	dup = vip_find(*l->vips, *l->n, &v.addr);
	if (dup) {
		warn(p, &st->kw.at, "%s: %s is already listed at line %d; this entry is ignored",
		     l->kw, st->kw.text, dup->where.line);
		return;
	}
	if (*l->n >= l->max) {
		err(p, &st->kw.at, "%s: more than %zu addresses%s", l->kw, l->max,
		    l->max == VRRP_MAX_ADDRS ? " (an advert carries at most 255; put the rest "
					       "in virtual_ipaddress_excluded)" : "");
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, *l->vips, *l->n);
	if (slot)
		*slot = v;
}

static void kw_vips(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	bool excluded = strcmp(st->kw.text, "virtual_ipaddress") != 0;
	struct vip_list l = {
		.kw = st->kw.text,
		.vips = excluded ? &in->vips_excluded : &in->vips,
		.n = excluded ? &in->nvips_excluded : &in->nvips,
		.max = excluded ? CFG_EXCLUDED_MAX : VRRP_MAX_ADDRS,
	};

	parse_list(p, vip_line, &st->open, &l);
}

/* ------------------------------------------------------------------ */
/* vrrp_instance: the other lists                                      */

static void kw_unicast_src(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	if (val_addr(p, st->kw.text, &st->args[0], &in->unicast_src))
		p->cur_x->unicast_src = st->args[0].at;
}

static void peer_add(struct parser *p, struct cfg_instance *in, const struct tok *t)
{
	struct ipaddr a, *slot;

	if (!val_addr(p, "unicast_peer", t, &a))
		return;
	for (size_t i = 0; i < in->nunicast_peers; i++) {
		if (ipaddr_equal(&in->unicast_peers[i], &a)) {
			warn(p, &t->at, "unicast_peer: %s is listed twice", t->text);
			return;
		}
	}
	if (in->nunicast_peers >= CFG_LIST_MAX) {
		err(p, &t->at, "unicast_peer: more than %d peers", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &t->at, in->unicast_peers, in->nunicast_peers);
	if (slot)
		*slot = a;
}

static void peer_line(struct parser *p, struct stmt *st, void *obj)
{
	peer_add(p, obj, &st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		peer_add(p, obj, &st->args[i]);
}

static void kw_unicast_peer(struct parser *p, struct stmt *st, void *obj)
{
	p->cur_x->unicast_peer = st->kw.at;
	parse_list(p, peer_line, &st->open, obj);
}

/*
 * The "weight W [reverse]" after a tracked NAME (at least one word follows).
 * vipd has no reverse tracking: it would invert failover.
 */
static bool track_weight(struct parser *p, const char *kw, struct stmt *st, int *weight)
{
	bool reverse;

	if (strcmp(st->args[0].text, "weight") != 0) {
		err(p, &st->args[0].at, "%s: expected 'weight' after %s, got %s", kw, st->kw.text,
		    st->args[0].text);
		return false;
	}
	if (st->nargs < 2) {
		err(p, &st->args[0].at, "%s: weight: expected a number from -253 to 253", kw);
		return false;
	}
	if (st->nargs > 3) {
		err(p, &st->args[3].at, "%s: unexpected '%s'", kw, st->args[3].text);
		return false;
	}
	if (!val_weight(p, kw, &st->args[1], st->nargs - 1, weight, &reverse))
		return false;
	if (reverse) {
		err(p, &st->args[2].at, "%s: 'reverse' is not supported by vipd", kw);
		return false;
	}
	return true;
}

static void track_if_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	struct cfg_track_if t = { .where = st->kw.at };
	struct cfg_track_if *slot;

	if (!val_name(p, "track_interface", &st->kw, t.name, sizeof(t.name)))
		return;
	if (st->nargs && !track_weight(p, "track_interface", st, &t.weight))
		return;
	if (in->ntrack_ifs >= CFG_LIST_MAX) {
		err(p, &st->kw.at, "track_interface: more than %d entries", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, in->track_ifs, in->ntrack_ifs);
	if (slot)
		*slot = t;
}

static void track_script_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	struct cfg_track_script t = { .where = st->kw.at };
	struct cfg_track_script *slot;

	if (!val_name(p, "track_script", &st->kw, t.name, sizeof(t.name)))
		return;
	if (st->nargs && !track_weight(p, "track_script", st, &t.weight))
		return;
	t.weight_set = st->nargs > 0;
	if (in->ntrack_scripts >= CFG_LIST_MAX) {
		err(p, &st->kw.at, "track_script: more than %d entries", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, in->track_scripts, in->ntrack_scripts);
	if (slot)
		*slot = t;
}

/* Remember a name that can only be resolved once everything is read. */
static void ref_add(struct parser *p, enum ref_kind kind, size_t owner, size_t idx,
		    const struct tok *t)
{
	struct ref *r = ARR_PUSH(p, &t->at, p->refs, p->nrefs);

	if (r) {
		r->kind = kind;
		r->owner = owner;
		r->idx = idx;
		r->at = t->at;
	}
}

static void gateway_ref(struct parser *p, struct cfg_instance *in, const struct tok *t)
{
	char name[CFG_NAME_MAX];
	char(*slot)[CFG_NAME_MAX];

	if (!val_name(p, "track_gateway", t, name, sizeof(name)))
		return;
	if (in->ntrack_gateways >= CFG_LIST_MAX) {
		err(p, &t->at, "track_gateway: more than %d entries", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &t->at, in->track_gateways, in->ntrack_gateways);
	if (!slot)
		return;
	memcpy(*slot, name, sizeof(name));
	ref_add(p, REF_GATEWAY, (size_t)(in - p->cfg->instances), in->ntrack_gateways - 1, t);
}

static void gateway_ref_line(struct parser *p, struct stmt *st, void *obj)
{
	gateway_ref(p, obj, &st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		gateway_ref(p, obj, &st->args[i]);
}

static void kw_track_ifs(struct parser *p, struct stmt *st, void *obj)
{
	parse_list(p, track_if_line, &st->open, obj);
}

static void kw_track_scripts(struct parser *p, struct stmt *st, void *obj)
{
	parse_list(p, track_script_line, &st->open, obj);
}

static void kw_track_gateways(struct parser *p, struct stmt *st, void *obj)
{
	parse_list(p, gateway_ref_line, &st->open, obj);
}

/* ------------------------------------------------------------------ */
/* vrrp_instance: single values                                        */

#define IN(m) offsetof(struct cfg_instance, m)

/*
 * notify_* SCRIPT: one word or a quoted string. keepalived reads further
 * words as the user and group to run it as, which vipd does not do: say
 * so rather than run the script differently.
 */
static void kw_notify(struct parser *p, struct stmt *st, void *obj)
{
	char **dst = FIELD(obj, st->def->off, char *);
	char *v;

	if (st->nargs > 1) {
		err(p, &st->args[1].at,
		    "%s: keepalived reads '%s' as the user to run the script as, which vipd does "
		    "not support; quote the command if these are its arguments",
		    st->kw.text, st->args[1].text);
		return;
	}
	if (!st->args[0].text[0]) {
		err(p, &st->args[0].at, "%s: expected a command, got an empty string", st->kw.text);
		return;
	}
	v = strdup(st->args[0].text);
	if (!v) {
		oom(p, &st->kw.at);
		return;
	}
	free(*dst);
	*dst = v;
}

static void kw_state(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *v = st->args[0].text;

	if (strcasecmp(v, "MASTER") == 0)
		in->initial_state = CFG_STATE_MASTER;
	else if (strcasecmp(v, "BACKUP") == 0)
		in->initial_state = CFG_STATE_BACKUP;
	else
		err(p, &st->args[0].at, "state: expected MASTER or BACKUP, got %s", v);
}

static void kw_version(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	long long v;

	if (!parse_ll(st->args[0].text, &v) || (v != 2 && v != 3)) {
		err(p, &st->args[0].at, "version: expected 2 or 3, got %s", st->args[0].text);
		return;
	}
	in->version = (uint8_t)v;
	p->cur_x->version_set = true;
	p->cur_x->version = st->args[0].at;
}

/* Centisecond steps; whether it suits the version is checked after parsing. */
static void kw_advert_int(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	long long us;

	if (!val_seconds(p, "advert_int", &st->args[0], USEC_PER_CS,
			 S_US(V2_ADVERT_INT_MAX_S), &us))
		return;
	if (us % USEC_PER_CS) {
		err(p, &st->args[0].at, "advert_int: expected seconds in steps of 0.01, got %s",
		    st->args[0].text);
		return;
	}
	in->advert_int_cs = (uint16_t)(us / USEC_PER_CS);
	p->cur_x->advert_int = st->args[0].at;
}

static void kw_use_vmac(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	in->vmac_name[0] = '\0';
	if (st->nargs && !val_name(p, "use_vmac", &st->args[0], in->vmac_name,
				   sizeof(in->vmac_name)))
		return;
	in->use_vmac = true;
}

static void kw_smtp_alert(struct parser *p, struct stmt *st, void *obj)
{
	bool on = true;

	if (st->nargs && !val_bool(p, st->kw.text, &st->args[0], &on))
		return;
	*FIELD(obj, st->def->off, bool) = on;
	warn(p, &st->kw.at, "%s: %s; stored but no mail is sent", st->kw.text, no_mail);
}

/*
 * RFC 5798 Accept_Mode false needs a firewall rule to refuse traffic to the
 * VIPs; vipd installs none, so say that the master will accept it.
 */
static void kw_no_accept(struct parser *p, struct stmt *st, void *obj)
{
	*FIELD(obj, st->def->off, bool) = false;
	warn(p, &st->kw.at,
	     "no_accept: vipd installs no firewall rules, so the master accepts traffic to the "
	     "virtual addresses as with 'accept'; add your own rules if it must not");
}

static const char no_routes[] =
	"vipd does not install routes or rules on transitions (ignoring this would leave the "
	"new master without them); use a notify script";
static const char tracking_only[] = "vipd cannot track this; ignoring it would change when this "
				    "instance fails over";

static const struct kw instance_kws[] = {
	KW("state", kw_state, 1, 1, KW_LINE, "MASTER or BACKUP"),
	KW("interface", kw_set_name, 1, 1, KW_LINE, "an interface name", IN(interface), 0,
	   MEMBER_SIZE(struct cfg_instance, interface)),
	KW("virtual_router_id", kw_set_u8, 1, 1, KW_LINE, "a number from 1 to 255", IN(vrid), 1,
	   255),
	KW("priority", kw_set_u8, 1, 1, KW_LINE, "a number from 1 to 255", IN(priority), 1, 255),
	KW("advert_int", kw_advert_int, 1, 1, KW_LINE, "seconds"),
	KW("version", kw_version, 1, 1, KW_LINE, "2 or 3"),
	KW("nopreempt", kw_set_false, 0, 0, KW_LINE, NULL, IN(preempt)),
	KW("preempt", kw_set_true, 0, 0, KW_LINE, NULL, IN(preempt)),
	KW("preempt_delay", kw_set_us, 1, 1, KW_LINE, "seconds", IN(preempt_delay_us), 0,
	   S_US(1000)),
	KW("authentication", kw_authentication, 0, 0, KW_BLOCK, NULL),
	KW("virtual_ipaddress", kw_vips, 0, 0, KW_BLOCK, NULL),
	KW("virtual_ipaddress_excluded", kw_vips, 0, 0, KW_BLOCK, NULL),
	KW("unicast_src_ip", kw_unicast_src, 1, 1, KW_LINE, "an IP address"),
	KW("mcast_src_ip", kw_unicast_src, 1, 1, KW_LINE, "an IP address"),
	KW("unicast_peer", kw_unicast_peer, 0, 0, KW_BLOCK, NULL),
	KW("track_interface", kw_track_ifs, 0, 0, KW_BLOCK, NULL),
	KW("track_script", kw_track_scripts, 0, 0, KW_BLOCK, NULL),
	KW("track_gateway", kw_track_gateways, 0, 0, KW_BLOCK, NULL),
	KW("notify_master", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.master)),
	KW("notify_backup", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.backup)),
	KW("notify_fault", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.fault)),
	KW("notify_stop", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.stop)),
	KW("notify", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.any)),
	KW("use_vmac", kw_use_vmac, 0, 1, KW_LINE, "an interface name"),
	KW("accept", kw_set_true, 0, 0, KW_LINE, NULL, IN(accept)),
	KW("no_accept", kw_no_accept, 0, 0, KW_LINE, NULL, IN(accept)),
	KW("garp_master_delay", kw_set_us, 1, 1, KW_LINE, "seconds", IN(garp_master_delay_us), 0,
	   S_US(1000)),
	KW("garp_master_repeat", kw_set_uint, 1, 1, KW_LINE, "a count", IN(garp_master_repeat), 1,
	   255),
	KW("garp_master_refresh", kw_set_us, 1, 1, KW_LINE, "seconds", IN(garp_master_refresh_us),
	   0, S_US(86400)),
	KW("garp_master_refresh_repeat", kw_set_uint, 1, 1, KW_LINE, "a count",
	   IN(garp_master_refresh_repeat), 1, 255),
	KW("garp_interval", kw_set_us, 1, 1, KW_LINE, "seconds", IN(garp_interval_us), 0, S_US(10)),
	KW("gna_interval", kw_set_us, 1, 1, KW_LINE, "seconds", IN(gna_interval_us), 0, S_US(10)),
	KW("smtp_alert", kw_smtp_alert, 0, 1, KW_LINE, "on or off", IN(smtp_alert)),
	WARN("dont_track_primary", "not supported by vipd: the instance still goes to FAULT "
				   "when its interface goes down"),
	WARN("debug", "vipd has no per-instance debug level (use vipd -D)"),
	WARN("vmac_xmit_base", "not supported by vipd: adverts leave through the VMAC"),
	WARN("native_ipv6", "the family comes from the virtual addresses"),
	WARN("lvs_sync_daemon_interface", no_lvs),
	WARN("strict_mode", "vipd does not implement keepalived's strict mode"),
	WARN("notify_deleted", "not supported by vipd"),
	WARN("notify_priority_changes", "vipd has no notify FIFO"),
	WARN("promote_secondaries", "set net.ipv4.conf.IF.promote_secondaries with sysctl"),
	WARN("skip_check_adv_addr", "vipd always uses adverts with a differing address list"),
	WARN("check_unicast_src", "vipd always checks the source of unicast adverts"),
	WARN("garp_lower_prio_delay", "not supported by vipd"),
	WARN("garp_lower_prio_repeat", "not supported by vipd"),
	WARN("lower_prio_no_advert", "not supported by vipd"),
	WARN("higher_prio_send_advert", "not supported by vipd"),
	WARN("kernel_rx_buf_size", no_tune),
	WARN("unicast_ttl", "vipd sends with TTL 255 and checks it, as the RFC says"),
	WARN("unicast_fault_no_peer", "not supported by vipd"),
	WARN("track_src_ip", "not supported by vipd"),
	REJECT("track_process", tracking_only),
	REJECT("track_file", tracking_only),
	REJECT("track_bfd", tracking_only),
	REJECT("virtual_routes", no_routes),
	REJECT("virtual_rules", no_routes),
	REJECT("old_unicast_checksum", "vipd computes the standard checksum only; upgrade the "
				       "keepalived peer"),
};

static const struct block_def instance_block = { "vrrp_instance", instance_kws,
						 ARRAY_SIZE(instance_kws), NULL };

static void instance_init(struct cfg_instance *in)
{
	in->priority = DEFAULT_PRIORITY;
	in->preempt = true;
	in->accept = true;
	in->garp_master_delay_us = UNSET_US;
	in->garp_master_repeat = UNSET_COUNT;
	in->garp_master_refresh_us = UNSET_US;
	in->garp_master_refresh_repeat = UNSET_COUNT;
	in->garp_interval_us = UNSET_US;
	in->gna_interval_us = UNSET_US;
}

static void kw_vrrp_instance(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct inst_extra *x;
	struct cfg_instance *in;
	size_t n = c->ninstances;

	if (!block_name(p, st, name, sizeof(name)))
		return;
	x = ARR_PUSH(p, &st->kw.at, p->iextra, n);
	in = x ? ARR_PUSH(p, &st->kw.at, c->instances, c->ninstances) : NULL;
	if (!in)
		return; /* out of memory: parsing has stopped */
	memcpy(in->name, name, sizeof(name));
	in->where = where_of(&st->args[0]);
	instance_init(in);
	p->cur_inst = in;
	p->cur_x = x;
	parse_block(p, &instance_block, &st->open, in);
	p->cur_inst = NULL;
	p->cur_x = NULL;
}

/* ------------------------------------------------------------------ */
/* vrrp_sync_group NAME { group { ... } notify_* }                     */

#define SG(m) offsetof(struct cfg_sync_group, m)

static void member_add(struct parser *p, struct cfg_sync_group *g, const struct tok *t)
{
	char name[CFG_NAME_MAX];
	char(*slot)[CFG_NAME_MAX];

	if (!val_name(p, "group", t, name, sizeof(name)))
		return;
	for (size_t i = 0; i < g->nmembers; i++) {
		if (strcmp(g->members[i], name) == 0) {
			warn(p, &t->at, "group: %s is listed twice", name);
			return;
		}
	}
	if (g->nmembers >= CFG_LIST_MAX) {
		err(p, &t->at, "group: more than %d instances", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &t->at, g->members, g->nmembers);
	if (!slot)
		return;
	memcpy(*slot, name, sizeof(name));
	ref_add(p, REF_GROUP_MEMBER, (size_t)(g - p->cfg->groups), g->nmembers - 1, t);
}

static void member_line(struct parser *p, struct stmt *st, void *obj)
{
	member_add(p, obj, &st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		member_add(p, obj, &st->args[i]);
}

static void kw_group_members(struct parser *p, struct stmt *st, void *obj)
{
	parse_list(p, member_line, &st->open, obj);
}

static const char group_tracking[] =
	"vipd tracks per instance; move it into each vrrp_instance of the group";

static const struct kw group_kws[] = {
	KW("group", kw_group_members, 0, 0, KW_BLOCK, NULL),
	KW("notify_master", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.master)),
	KW("notify_backup", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.backup)),
	KW("notify_fault", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.fault)),
	KW("notify_stop", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.stop)),
	KW("notify", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.any)),
	WARN("smtp_alert", no_mail),
	WARN("global_tracking", "vipd tracks per instance"),
	WARN("sync_group_tracking_weight", "vipd tracks per instance"),
	WARN("notify_priority_changes", "vipd has no notify FIFO"),
	REJECT("track_interface", group_tracking),
	REJECT("track_script", group_tracking),
	REJECT("track_file", group_tracking),
	REJECT("track_process", group_tracking),
	REJECT("track_bfd", group_tracking),
};

static const struct block_def group_block = {
	"vrrp_sync_group", group_kws, ARRAY_SIZE(group_kws),
	" (instance names go inside 'group { ... }')",
};

static void kw_vrrp_sync_group(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_sync_group *g;

	if (!block_name(p, st, name, sizeof(name)))
		return;
	g = ARR_PUSH(p, &st->kw.at, c->groups, c->ngroups);
	if (!g)
		return; /* out of memory: parsing has stopped */
	memcpy(g->name, name, sizeof(name));
	g->where = where_of(&st->args[0]);
	parse_block(p, &group_block, &st->open, g);
}

/* ------------------------------------------------------------------ */
/* The top level                                                       */

static const char not_vrrp[] = "not part of vipd (it has no effect on VRRP failover)";

static const struct kw top_kws[] = {
	KW("global_defs", kw_global_defs, 0, 0, KW_BLOCK, NULL),
	KW("vrrp_script", kw_vrrp_script, 0, 1, KW_BLOCK, "a name"),
	KW("vrrp_instance", kw_vrrp_instance, 0, 1, KW_BLOCK, "a name"),
	KW("vrrp_sync_group", kw_vrrp_sync_group, 0, 1, KW_BLOCK, "a name"),
	KW("track_gateway", kw_track_gateway_def, 0, 1, KW_BLOCK, "a name"),
	WARN("virtual_server", no_lvs),
	WARN("virtual_server_group", no_lvs),
	WARN("real_server", no_lvs),
	WARN("static_ipaddress", not_vrrp),
	WARN("static_routes", not_vrrp),
	WARN("static_rules", not_vrrp),
	WARN("static_track_group", not_vrrp),
	WARN("linkbeat_interfaces", not_vrrp),
	WARN("garp_group", not_vrrp),
	WARN("bfd_instance", "vipd has no BFD; an instance tracking it is an error"),
	WARN("vrrp_track_process", "vipd cannot track processes; an instance tracking it is an "
				   "error"),
	WARN("vrrp_track_file", "vipd cannot track files; an instance tracking it is an error"),
	WARN("track_file", "vipd cannot track files; an instance tracking it is an error"),
	REJECT("net_namespace", "vipd does not switch network namespaces; start it with "
				"'ip netns exec NAME vipd'"),
};

static const struct block_def top_block = { "the top level", top_kws, ARRAY_SIZE(top_kws),
					    NULL };

/* ------------------------------------------------------------------ */
/* Checks that need the whole configuration                            */

/*
 * Every named block starts with its name[CFG_NAME_MAX] and has a where:
 * one sorted index serves duplicate detection and look-ups for all.
 */
struct named {
	const char *name;
	size_t i;
	const struct cfg_where *where;
};

struct named_set {
	struct named *v;
	size_t n;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool named_index(struct parser *p, struct named_set *s, const void *base, size_t n,
			size_t stride, size_t where_off)
{
	s->n = 0;
	s->v = n ? calloc(n, sizeof(*s->v)) : NULL;
	if (n && !s->v) {
		oom(p, NULL);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * stride;

		s->v[i] = (struct named){ e, i, (const struct cfg_where *)(e + where_off) };
	}
	s->n = n;
	if (n > 1)
		qsort(s->v, n, sizeof(*s->v), named_cmp);
	return true;
}

/* The first definition of name (the lowest index among equals), or NULL. */
static const struct named *named_find(const struct named_set *s, const char *name)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(s->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && strcmp(s->v[lo].name, name) == 0 ? &s->v[lo] : NULL;
}

static void named_duplicates(struct parser *p, const struct named_set *s, const char *what)
{
	size_t first = 0;

	for (size_t k = 1; k < s->n && !p->stopped; k++) {
		const struct named *f = &s->v[first], *dup = &s->v[k];

		if (strcmp(f->name, dup->name) != 0) {
			first = k;
			continue;
		}
		err(p, dup->where, "%s %s is already defined at %s:%d", what, dup->name,
		    f->where->file, f->where->line);
	}
}

/* "did you mean" among the names of a set, for unknown references. */
static const char *named_suggest(const struct named_set *s, const char *word)
{
	return s->n ? suggest(word, &s->v[0].name, s->n, sizeof(s->v[0])) : NULL;
}

static void unknown_ref(struct parser *p, const struct cfg_where *at, const char *kw,
			const char *block, const char *name, const struct named_set *s)
{
	const char *hint;

	if (p->stopped)
		return; /* nothing more is reported: spare the search */
	hint = named_suggest(s, name);

	if (hint)
		err(p, at, "%s: no %s named '%s'; did you mean '%s'?", kw, block, name, hint);
	else
		err(p, at, "%s: no %s named '%s'", kw, block, name);
}

struct sets {
	struct named_set inst, script, gw, group;
};

static void check_scripts(struct parser *p)
{
	for (size_t i = 0; i < p->cfg->nscripts; i++) {
		struct cfg_script *s = &p->cfg->scripts[i];

		if (!s->command)
			err(p, &s->where, "vrrp_script %s: no 'script' line (the command to run)",
			    s->name);
		if (!s->interval_us)
			s->interval_us = DEFAULT_SCRIPT_INTERVAL_US;
		if (!s->timeout_us)
			s->timeout_us = s->interval_us;
		if (!s->rise)
			s->rise = 1;
		if (!s->fall)
			s->fall = 1;
	}
}

static void check_gateways(struct parser *p)
{
	for (size_t i = 0; i < p->cfg->ngateways; i++) {
		struct cfg_gateway *g = &p->cfg->gateways[i];

		if (g->addr.family == AF_UNSPEC)
			err(p, &g->where, "track_gateway %s: no 'address' (the gateway to check)",
			    g->name);
		if (!g->interval_us)
			g->interval_us = DEFAULT_GATEWAY_INTERVAL_US;
		if (!g->timeout_us)
			g->timeout_us = DEFAULT_GATEWAY_TIMEOUT_US;
		if (!g->rise)
			g->rise = 1;
		if (!g->fall)
			g->fall = 1;
	}
}

static const char *family_name(sa_family_t f)
{
	return f == AF_INET6 ? "IPv6" : "IPv4";
}

/* The advertised addresses are of one family; it is the instance's. */
static void inst_family(struct parser *p, struct cfg_instance *in)
{
	in->family = AF_INET;
	if (in->nvips)
		in->family = in->vips[0].addr.family;
	else if (in->unicast_src.family != AF_UNSPEC)
		in->family = in->unicast_src.family;
	for (size_t i = 1; i < in->nvips; i++) {
		const struct cfg_vip *v = &in->vips[i];
		char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

		if (v->addr.family == in->family)
			continue;
		err(p, &v->where,
		    "virtual_ipaddress: %s is %s but %s (line %d) is %s; one instance advertises "
		    "one family (use virtual_ipaddress_excluded or a second instance)",
		    ipaddr_str(&v->addr, a, sizeof(a)),
		    family_name(v->addr.family), ipaddr_str(&in->vips[0].addr, b, sizeof(b)),
		    in->vips[0].where.line, family_name(in->family));
	}
}

static const struct cfg_where *at_or(const struct cfg_where *w, const struct cfg_instance *in)
{
	return w->file ? w : &in->where;
}

static void inst_version(struct parser *p, struct cfg_instance *in, struct inst_extra *x)
{
	char buf[32];
	long long us;

	if (!x->version_set)
		in->version = in->family == AF_INET6 ? 3 : p->cfg->global.vrrp_version;
	else if (in->version == 2 && in->family == AF_INET6)
		err(p, &x->version, "version: VRRP version 2 is IPv4 only; use version 3 for %s's "
				    "IPv6 addresses", in->name);
	if (!in->advert_int_cs)
		in->advert_int_cs = DEFAULT_ADVERT_INT_CS;
	us = (long long)in->advert_int_cs * USEC_PER_CS;
	if (in->version == 2 && in->advert_int_cs % CS_PER_SEC)
		err(p, at_or(&x->advert_int, in), "advert_int: VRRP version 2 needs whole seconds "
						   "from 1 to 255, got %s",
		    fmt_seconds(us, buf, sizeof(buf)));
	if (in->version == 3 && in->advert_int_cs > V3_ADVERT_INT_MAX_CS)
		err(p, at_or(&x->advert_int, in), "advert_int: VRRP version 3 allows 0.01 to 40.95 "
						   "seconds, got %s",
		    fmt_seconds(us, buf, sizeof(buf)));
	if (in->version == 3 && in->auth_type != VRRP_AUTH_NONE) {
		warn(p, &x->auth, "authentication: VRRP version 3 has no authentication; ignored "
				  "(as keepalived does)");
		in->auth_type = VRRP_AUTH_NONE;
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
	}
}

static void inst_unicast(struct parser *p, struct cfg_instance *in, struct inst_extra *x)
{
	char a[IPADDR_STRLEN];

	if (in->unicast_src.family != AF_UNSPEC && in->unicast_src.family != in->family)
		err(p, &x->unicast_src,
		    "unicast_src_ip: %s is %s but the instance's virtual addresses are %s",
		    ipaddr_str(&in->unicast_src, a, sizeof(a)), family_name(in->unicast_src.family),
		    family_name(in->family));
	for (size_t i = 0; i < in->nunicast_peers; i++)
		if (in->unicast_peers[i].family != in->family)
			err(p, &x->unicast_peer,
			    "unicast_peer: %s is %s but the instance's virtual addresses are %s",
			    ipaddr_str(&in->unicast_peers[i], a, sizeof(a)),
			    family_name(in->unicast_peers[i].family), family_name(in->family));
}

/* The kernel names an IPv4 alias after its device: "eth0:web" on eth0. */
static void inst_labels(struct parser *p, struct cfg_instance *in, const struct cfg_vip *v,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *dev = v[i].dev[0] ? v[i].dev : in->interface;

		if (v[i].label[0] && dev[0] && strncmp(v[i].label, dev, strlen(dev)) != 0)
			err(p, &v[i].where, "label: %s must start with the interface name %s "
					    "(for example %s:1)", v[i].label, dev, dev);
	}
}

static void inst_tracks(struct parser *p, struct cfg_instance *in, const struct sets *s)
{
	for (size_t i = 0; i < in->ntrack_scripts; i++) {
		struct cfg_track_script *t = &in->track_scripts[i];
		const struct named *f = named_find(&s->script, t->name);

		if (f)
			t->script = &p->cfg->scripts[f->i];
		else
			unknown_ref(p, &t->where, "track_script", "vrrp_script", t->name,
				    &s->script);
	}
}

static void inst_defaults(const struct cfg_global *g, struct cfg_instance *in)
{
	if (in->garp_master_delay_us == UNSET_US)
		in->garp_master_delay_us = g->garp_master_delay_us;
	if (in->garp_master_repeat == UNSET_COUNT)
		in->garp_master_repeat = g->garp_master_repeat;
	if (in->garp_master_refresh_us == UNSET_US)
		in->garp_master_refresh_us = g->garp_master_refresh_us;
	if (in->garp_master_refresh_repeat == UNSET_COUNT)
		in->garp_master_refresh_repeat = g->garp_master_refresh_repeat;
	if (in->garp_interval_us == UNSET_US)
		in->garp_interval_us = g->garp_interval_us;
	if (in->gna_interval_us == UNSET_US)
		in->gna_interval_us = g->gna_interval_us;
}

static void check_instance(struct parser *p, size_t i, const struct sets *s)
{
	struct cfg_instance *in = &p->cfg->instances[i];
	struct inst_extra *x = &p->iextra[i];

	if (!in->interface[0])
		err(p, &in->where, "vrrp_instance %s: no 'interface' (the interface to run "
				   "VRRP on)", in->name);
	if (!in->vrid)
		err(p, &in->where, "vrrp_instance %s: no 'virtual_router_id' (1 to 255, the same "
				   "on every router of the group)", in->name);
	if (!in->preempt && in->initial_state == CFG_STATE_MASTER) {
		warn(p, &in->where, "vrrp_instance %s: nopreempt only works with state BACKUP "
				    "(as in keepalived); this instance preempts", in->name);
		in->preempt = true;
	}
	if (!in->nvips)
		warn(p, &in->where, "vrrp_instance %s: no virtual_ipaddress; its adverts carry no "
				    "address", in->name);
	inst_family(p, in);
	inst_version(p, in, x);
	inst_unicast(p, in, x);
	inst_labels(p, in, in->vips, in->nvips);
	inst_labels(p, in, in->vips_excluded, in->nvips_excluded);
	inst_tracks(p, in, s);
	inst_defaults(&p->cfg->global, in);
}

/* Two instances with one VRID on one interface and family would be one router. */
struct vrid_key {
	const struct cfg_instance *in;
};

static int vrid_key_cmp(const void *a, const void *b)
{
	const struct cfg_instance *x = ((const struct vrid_key *)a)->in;
	const struct cfg_instance *y = ((const struct vrid_key *)b)->in;
	int c = strcmp(x->interface, y->interface);

	if (c)
		return c;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->vrid != y->vrid)
		return x->vrid < y->vrid ? -1 : 1;
	return (x > y) - (x < y);
}

static void check_vrid_clash(struct parser *p)
{
	size_t n = p->cfg->ninstances;
	struct vrid_key *k = n ? calloc(n, sizeof(*k)) : NULL;

	if (n < 2 || !k) {
		free(k);
		return;
	}
	for (size_t i = 0; i < n; i++)
		k[i].in = &p->cfg->instances[i];
	qsort(k, n, sizeof(*k), vrid_key_cmp);
	for (size_t i = 1; i < n && !p->stopped; i++) {
		const struct cfg_instance *a = k[i - 1].in, *b = k[i].in;

		if (!b->vrid || !b->interface[0] || strcmp(a->interface, b->interface) ||
		    a->family != b->family || a->vrid != b->vrid)
			continue;
		err(p, &b->where, "vrrp_instance %s: virtual_router_id %u on %s (%s) is already "
				  "used by vrrp_instance %s at line %d", b->name, b->vrid,
		    b->interface, family_name(b->family), a->name, a->where.line);
	}
	free(k);
}

static void resolve_member(struct parser *p, const struct ref *r, const struct sets *s)
{
	struct cfg_sync_group *g = &p->cfg->groups[r->owner];
	const char *name = g->members[r->idx];
	const struct named *f = named_find(&s->inst, name);
	struct cfg_instance *in;

	if (!f) {
		unknown_ref(p, &r->at, "group", "vrrp_instance", name, &s->inst);
		return;
	}
	in = &p->cfg->instances[f->i];
	if (in->sync_group[0] && strcmp(in->sync_group, g->name) != 0) {
		err(p, &r->at, "group: %s is already in vrrp_sync_group %s (an instance belongs "
			       "to one group)", name, in->sync_group);
		return;
	}
	memcpy(in->sync_group, g->name, sizeof(in->sync_group));
}

static void resolve_refs(struct parser *p, const struct sets *s)
{
	for (size_t i = 0; i < p->nrefs && !p->stopped; i++) {
		const struct ref *r = &p->refs[i];

		if (r->kind == REF_GROUP_MEMBER) {
			resolve_member(p, r, s);
		} else {
			const char *name = p->cfg->instances[r->owner].track_gateways[r->idx];

			if (!named_find(&s->gw, name))
				unknown_ref(p, &r->at, "track_gateway", "track_gateway block", name,
					    &s->gw);
		}
	}
	for (size_t i = 0; i < p->cfg->ngroups; i++) {
		const struct cfg_sync_group *g = &p->cfg->groups[i];

		if (g->nmembers < 2)
			warn(p, &g->where, "vrrp_sync_group %s has %zu instance%s; a group "
					   "synchronises two or more", g->name, g->nmembers,
			     g->nmembers == 1 ? "" : "s");
	}
}

static void global_defaults(struct cfg_global *g)
{
	if (g->garp_master_delay_us == UNSET_US)
		g->garp_master_delay_us = DEFAULT_GARP_DELAY_US;
	if (g->garp_master_repeat == UNSET_COUNT)
		g->garp_master_repeat = DEFAULT_GARP_REPEAT;
	if (g->garp_master_refresh_us == UNSET_US)
		g->garp_master_refresh_us = 0;
	if (g->garp_master_refresh_repeat == UNSET_COUNT)
		g->garp_master_refresh_repeat = DEFAULT_GARP_REFRESH_REPEAT;
	if (g->garp_interval_us == UNSET_US)
		g->garp_interval_us = 0;
	if (g->gna_interval_us == UNSET_US)
		g->gna_interval_us = 0;
	if (!g->notify_timeout_us)
		g->notify_timeout_us = DEFAULT_NOTIFY_TIMEOUT_US;
}

static void check_config(struct parser *p)
{
	struct vipd_config *c = p->cfg;
	struct sets s;

	memset(&s, 0, sizeof(s));
	global_defaults(&c->global);
	if (!named_index(p, &s.inst, c->instances, c->ninstances, sizeof(*c->instances),
			 offsetof(struct cfg_instance, where)) ||
	    !named_index(p, &s.script, c->scripts, c->nscripts, sizeof(*c->scripts),
			 offsetof(struct cfg_script, where)) ||
	    !named_index(p, &s.gw, c->gateways, c->ngateways, sizeof(*c->gateways),
			 offsetof(struct cfg_gateway, where)) ||
	    !named_index(p, &s.group, c->groups, c->ngroups, sizeof(*c->groups),
			 offsetof(struct cfg_sync_group, where)))
		goto out;
	named_duplicates(p, &s.script, "vrrp_script");
	named_duplicates(p, &s.gw, "track_gateway");
	named_duplicates(p, &s.inst, "vrrp_instance");
	named_duplicates(p, &s.group, "vrrp_sync_group");
	check_scripts(p);
	check_gateways(p);
	for (size_t i = 0; i < c->ninstances && !p->stopped; i++)
		check_instance(p, i, &s);
	check_vrid_clash(p);
	resolve_refs(p, &s);
out:
	free(s.inst.v);
	free(s.script.v);
	free(s.gw.v);
	free(s.group.v);
}

/* ------------------------------------------------------------------ */
/* Public interface                                                    */

static void global_init(struct cfg_global *g)
{
	g->vrrp_version = DEFAULT_VRRP_VERSION;
	g->garp_master_delay_us = UNSET_US;
	g->garp_master_repeat = UNSET_COUNT;
	g->garp_master_refresh_us = UNSET_US;
	g->garp_master_refresh_repeat = UNSET_COUNT;
	g->garp_interval_us = UNSET_US;
	g->gna_interval_us = UNSET_US;
}

static void parser_done(struct parser *p)
{
	while (p->nsrcs)
		src_pop(p);
	free(p->srcs);
	if (p->have_peek)
		tok_clear(&p->peek);
	free(p->iextra);
	free(p->refs);
}

/* Parse from the root source (already on the stack) and check the result. */
static int load(struct parser *p)
{
	struct cfg_result *res = p->res;

	parse_stmts(p, &top_block, NULL, NULL, p->cfg);
	if (!p->stopped)
		check_config(p);
	parser_done(p);
	if (res->nerrors) {
		cfg_free(p->cfg);
		res->config = NULL;
		return -1;
	}
	res->config = p->cfg;
	return 0;
}

/*
 * Set up the parser with an empty configuration and the root source. Out
 * of memory, it returns NULL with the error recorded and parsing stopped,
 * and load() then only cleans up.
 */
static struct src *parser_init(struct parser *p, struct cfg_result *res, const char *name)
{
	struct src *root = NULL;

	memset(res, 0, sizeof(*res));
	memset(p, 0, sizeof(*p));
	p->res = res;
	p->cfg = calloc(1, sizeof(*p->cfg));
	if (p->cfg)
		root = src_new(p, name, NULL);
	if (!root || !src_push(p, root)) {
		oom(p, NULL);
		return NULL;
	}
	global_init(&p->cfg->global);
	p->nread = 1;
	return root;
}

int cfg_load_file(const char *path, struct cfg_result *res)
{
	struct parser p;
	struct src *root = parser_init(&p, res, path);

	if (root) {
		root->path = strdup(path);
		root->real = realpath(path, NULL);
		root->dir = dir_of(path);
		if (!root->path)
			oom(&p, NULL);
	}
	return load(&p);
}

int cfg_load_string(const char *text, const char *name, const char *basedir,
		    struct cfg_result *res)
{
	struct parser p;
	struct src *root = parser_init(&p, res, name ? name : "(string)");

	if (root) {
		root->text = strdup(text ? text : "");
		root->len = root->text ? strlen(root->text) : 0;
		root->dir = basedir ? strdup(basedir) : NULL;
		if (!root->text || (basedir && !root->dir))
			oom(&p, NULL);
	}
	return load(&p);
}

const char *cfg_diag_format(const struct cfg_diag *d, char *buf, size_t size)
{
	const char *lvl = d->level == CFG_ERROR ? "error" : "warning";

	if (d->line > 0)
		snprintf(buf, size, "%s:%d:%d: %s: %s", d->file, d->line, d->column, lvl, d->msg);
	else
		snprintf(buf, size, "%s: %s: %s", d->file, lvl, d->msg);
	return buf;
}

static void notify_free(struct cfg_notify *n)
{
	free(n->master);
	free(n->backup);
	free(n->fault);
	free(n->stop);
	free(n->any);
}

void cfg_free(struct vipd_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->ninstances; i++) {
		struct cfg_instance *in = &cfg->instances[i];

		free(in->vips);
		free(in->vips_excluded);
		free(in->unicast_peers);
		free(in->track_ifs);
		free(in->track_scripts);
		free(in->track_gateways);
		notify_free(&in->notify);
	}
	for (size_t i = 0; i < cfg->nscripts; i++)
		free(cfg->scripts[i].command);
	for (size_t i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].members);
		notify_free(&cfg->groups[i].notify);
	}
	for (size_t i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->instances);
	free(cfg->scripts);
	free(cfg->gateways);
	free(cfg->groups);
	free(cfg->files);
	free(cfg);
}

void cfg_result_free(struct cfg_result *res)
{
	for (size_t i = 0; i < res->ndiags; i++) {
		free(res->diags[i].file);
		free(res->diags[i].msg);
	}
	free(res->diags);
	cfg_free(res->config);
	memset(res, 0, sizeof(*res));
}

struct cfg_instance *cfg_find_instance(const struct vipd_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ninstances; i++)
		if (strcmp(cfg->instances[i].name, name) == 0)
			return &cfg->instances[i];
	return NULL;
}

struct cfg_script *cfg_find_script(const struct vipd_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nscripts; i++)
		if (strcmp(cfg->scripts[i].name, name) == 0)
			return &cfg->scripts[i];
	return NULL;
}
