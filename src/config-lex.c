/*
 * config-lex.c - the sources (the main file, a string, included files) and the lexer
 * that turns them into tokens carrying file:line:column.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-lex.h"


static void src_free(struct src *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->real);
	free(s->dir);
	free(s->text);
	free(s->map);
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

char *src_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return NULL;
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

struct src *src_new(struct parser *p, const char *name, struct src *parent)
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

bool src_push(struct parser *p, struct src *s)
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
static char *src_read_file(struct parser *p, const char *path, const struct cfg_where *at,
		       size_t *len)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		cfg_err(p, at, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cfg_err(p, at, "cannot read '%s': not a regular file", path);
		goto out;
	}
	if (st.st_size > CFG_FILE_SIZE_MAX) {
		cfg_err(p, at, "'%s' is larger than %d bytes", path, CFG_FILE_SIZE_MAX);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		cfg_oom(p, at);
		goto out;
	}
	n = read(fd, buf, (size_t)st.st_size);
	if (n < 0) {
		cfg_err(p, at, "cannot read '%s': %s", path, strerror(errno));
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n)) {
		cfg_err(p, at, "'%s' contains a NUL byte: not a text file", path);
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	close(fd);
	return buf;
}

/*
 * Run keepalived's preprocessor over s's text when it uses it; the text
 * is then replaced and positions come from the map. Its messages point
 * into the original text.
 */
void src_preprocess(struct parser *p, struct src *s)
{
	struct cfgpp_out out;

	if (!s->text || s->map || !cfgpp_needed(s->text, s->len))
		return;
	if (!p->pp && !(p->pp = cfgpp_new(p->config_id, p->random_seed))) {
		cfg_oom(p, NULL);
		return;
	}
	if (cfgpp_run(p->pp, s->text, s->len, s->dir ? s->dir : ".", &out) < 0) {
		cfg_oom(p, NULL);
		return;
	}
	for (size_t i = 0; i < out.ndiags; i++) {
		struct cfg_where at = { s->name, out.diags[i].at.line, out.diags[i].at.col };

		if (out.diags[i].error)
			cfg_err(p, &at, "%s", out.diags[i].msg);
		else
			cfg_warn(p, &at, "%s", out.diags[i].msg);
	}
	free(s->text);
	free(out.diags);
	s->text = out.text;
	s->len = out.len;
	s->map = out.at;
}

/* Called when s reaches the top of the stack: read its text. */
static bool src_load(struct parser *p, struct src *s)
{
	struct cfg_where whole = { s->name, 0, 0 };

	if (s->text)
		return true;
	s->text = src_read_file(p, s->path, s->parent ? &s->inc_at : &whole, &s->len);
	if (s->text && !s->name && !(s->name = file_register(p, s->path))) {
		cfg_oom(p, &s->inc_at);
		return false;
	}
	if (s->text)
		src_preprocess(p, s);
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
		cfg_err(p, at, "include: cannot read '%s': %s", path, strerror(errno));
		return;
	}
	if (src_in_chain(from, real)) {
		cfg_err(p, at, "include: '%s' is already being read (include cycle)", path);
		free(real);
		return;
	}
	if (from->depth + 1 > CFG_INCLUDE_DEPTH_MAX) {
		cfg_err(p, at, "include: nested more than %d levels deep at '%s'",
		    CFG_INCLUDE_DEPTH_MAX, path);
		free(real);
		return;
	}
	if (p->nread >= CFG_FILES_MAX) {
		cfg_err(p, at, "include: more than %d files in total", CFG_FILES_MAX);
		free(real);
		return;
	}
	s = src_new(p, path, from);
	if (!s || !(s->path = strdup(path))) {
		free(real);
		src_free(s);
		cfg_oom(p, at);
		return;
	}
	s->real = real;
	s->dir = src_dir_of(path);
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
		cfg_oom(p, &t->at);
		return;
	}
	rc = glob(full, 0, NULL, &g);
	if (rc == GLOB_NOMATCH && has_glob_magic(t->text))
		cfg_warn(p, &t->at, "include: no file matches '%s'", full);
	else if (rc == GLOB_NOMATCH)
		cfg_err(p, &t->at, "include: cannot read '%s': %s", full, strerror(ENOENT));
	else if (rc != 0)
		cfg_err(p, &t->at, "include: cannot expand '%s'", full);
	else
		for (size_t i = g.gl_pathc; i-- > 0 && !p->stopped;)
			include_one(p, from, &t->at, g.gl_pathv[i]);
	globfree(&g);
	free(full);
}

/* -------------------------------------------------------------------- lexer */

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

	if (s->map) {
		w.line = s->map[s->pos < s->len ? s->pos : s->len].line;
		w.column = s->map[s->pos < s->len ? s->pos : s->len].col;
	}
	return w;
}

bool lex_is_blank(int c)
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
			cfg_err(p, &open, "unterminated quoted string (quotes end on the same line)");
			return;
		}
		src_getc(s);
		if (c == q)
			return;
		if (c == '\\' && q == '"' && src_peekc(s) > 0 && src_peekc(s) != '\n') {
			struct cfg_where at = src_where(s);

			c = lex_escape(s);
			if (c == 0) {
				cfg_err(p, &at, "a NUL character cannot be part of a string");
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
		cfg_oom(p, &t->at);
		return false;
	}
	b->len = 0;
	b->overflow = false;
	while ((c = src_peekc(s)) >= 0 && c != '\n' && !lex_is_blank(c) && c != '{' && c != '}') {
		if (c == '"' || c == '\'') {
			t->quoted = true;
			lex_quoted(p, s, b);
		} else {
			wbuf_add(b, (char)src_getc(s));
		}
	}
	if (b->overflow)
		cfg_err(p, &t->at, "word longer than %d characters", CFG_WORD_MAX);
	t->text = strndup(b->s, b->len);
	free(b);
	if (!t->text)
		cfg_oom(p, &t->at);
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
		} else if (lex_is_blank(c) || c == '\n') {
			src_getc(s);
		} else {
			return true;
		}
	}
	return false;
}

void tok_clear(struct tok *t)
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
			cfg_err(p, &t.at, "include: unexpected '%c'", src_getc(s));
			continue;
		}
		if (!lex_word(p, s, &t))
			continue;
		if (n < CFG_ARGS_MAX) {
			pats[n++] = t;
			continue;
		}
		if (!too_many)
			cfg_err(p, &t.at, "include: more than %d patterns on one line", CFG_ARGS_MAX);
		too_many = true;
		tok_clear(&t);
	}
	if (n == 0)
		cfg_err(p, &kw->at, "include: expected a file name or glob pattern");
	/* Last pattern pushed first: the stack then reads them in order. */
	for (size_t i = n; i-- > 0;) {
		include_pattern(p, s, &pats[i]);
		tok_clear(&pats[i]);
	}
}

void src_pop(struct parser *p)
{
	src_free(p->srcs[--p->nsrcs]);
}

/* The next token of the stream, across include boundaries. */
void lex_next(struct parser *p, struct tok *t)
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
		return;
	}
	t->type = TOK_EOF;
}
