/*
 * config-stmt.c - statements (a keyword, its words and an optional { block }),
 * dispatch through a block's keyword table, value parsing and the generic
 * keyword handlers.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-lex.h"
#include "config-stmt.h"


static void stmt_next_tok(struct parser *p, struct tok *t)
{
	if (p->have_peek) {
		*t = p->peek;
		p->have_peek = false;
		return;
	}
	lex_next(p, t);
}

static void stmt_push_back(struct parser *p, struct tok *t)
{
	p->peek = *t;
	p->have_peek = true;
}


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
static void stmt_read(struct parser *p, struct stmt *st)
{
	struct tok t;
	bool too_many = false;

	memset(st, 0, sizeof(*st));
	stmt_next_tok(p, &st->kw);
	if (st->kw.type != TOK_WORD)
		return;
	for (;;) {
		stmt_next_tok(p, &t);
		if (t.type == TOK_LBRACE) {
			st->block = true;
			st->open = t;
			return;
		}
		if (t.type != TOK_WORD || t.bol) {
			stmt_push_back(p, &t);
			return;
		}
		if (st->nargs < CFG_ARGS_MAX) {
			st->args[st->nargs++] = t;
			continue;
		}
		if (!too_many)
			cfg_err(p, &t.at, "%s: more than %d words on one line", st->kw.text,
			    CFG_ARGS_MAX);
		too_many = true;
		tok_clear(&t);
	}
}

/* Skip to the '}' matching an already read '{' (iterative: no recursion). */
void stmt_skip_block(struct parser *p, const struct tok *open)
{
	unsigned long depth = 1;
	struct tok t;

	while (depth > 0) {
		stmt_next_tok(p, &t);
		if (t.type == TOK_EOF) {
			cfg_err(p, &open->at, "missing '}' for the block opened here");
			return;
		}
		if (t.type == TOK_LBRACE)
			depth++;
		else if (t.type == TOK_RBRACE)
			depth--;
		tok_clear(&t);
	}
}


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
const char *cfg_suggest(const char *word, const char *const *names, size_t n, size_t stride)
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


/* Suggest only keywords that would be accepted, not the rejected ones. */
static void stmt_unknown_kw(struct parser *p, const struct block_def *b, const struct tok *t)
{
	const char *names[KWS_MAX];
	size_t n = 0;
	const char *s;

	for (size_t i = 0; i < b->nkws && n < KWS_MAX; i++)
		if (b->kws[i].fn != kw_reject)
			names[n++] = b->kws[i].name;
	s = cfg_suggest(t->text, names, n, sizeof(names[0]));

	if (s)
		cfg_err(p, &t->at, "unknown keyword '%s' in %s; did you mean '%s'?", t->text, b->name,
		    s);
	else
		cfg_err(p, &t->at, "unknown keyword '%s' in %s%s", t->text, b->name,
		    b->unknown_hint ? b->unknown_hint : "");
}

static void stmt_dispatch(struct parser *p, const struct block_def *b, struct stmt *st, void *obj)
{
	const struct kw *k = kw_find(b, st->kw.text);

	if (!k) {
		stmt_unknown_kw(p, b, &st->kw);
		goto skip;
	}
	if (k->form == KW_BLOCK && !st->block) {
		cfg_err(p, &st->kw.at, "%s: expected '{' to open its block", k->name);
		return;
	}
	if (k->form == KW_LINE && st->block) {
		cfg_err(p, &st->open.at, "%s: takes no block", k->name);
		goto skip;
	}
	if (st->nargs < k->min_args) {
		cfg_err(p, &st->kw.at, "%s: expected %s", k->name, k->what ? k->what : "a value");
		goto skip;
	}
	if (st->nargs > k->max_args) {
		cfg_err(p, &st->args[k->max_args].at, "%s: unexpected '%s' after %s", k->name,
		    st->args[k->max_args].text, k->max_args ? "the value" : "the keyword");
		goto skip;
	}
	st->def = k;
	k->fn(p, st, obj);
	return;
skip:
	if (st->block)
		stmt_skip_block(p, &st->open);
}

/*
 * Read statements up to the '}' closing open (or to EOF at the top level,
 * open == NULL), handing each to line() or, with a keyword table, to its
 * handler. Handlers of KW_BLOCK keywords read their own block.
 */

void stmt_parse_stmts(struct parser *p, const struct block_def *b, line_fn line,
		      const struct tok *open, void *obj)
{
	struct stmt st;

	while (!p->stopped) {
		stmt_read(p, &st);
		if (st.kw.type == TOK_EOF) {
			if (open)
				cfg_err(p, &open->at, "missing '}' for the block opened here");
			return;
		}
		if (st.kw.type == TOK_RBRACE) {
			if (open)
				return;
			cfg_err(p, &st.kw.at, "unexpected '}' (no block is open)");
			continue;
		}
		if (st.kw.type == TOK_LBRACE) {
			cfg_err(p, &st.kw.at, "unexpected '{' (a block needs a keyword before it)");
			stmt_skip_block(p, &st.kw);
			continue;
		}
		if (b) {
			stmt_dispatch(p, b, &st, obj);
		} else if (st.block) {
			cfg_err(p, &st.open.at, "unexpected '{' in a list");
			stmt_skip_block(p, &st.open);
		} else {
			line(p, &st, obj);
		}
		stmt_clear(&st);
	}
}

void stmt_parse_block(struct parser *p, const struct block_def *b, const struct tok *open,
		      void *obj)
{
	stmt_parse_stmts(p, b, NULL, open, obj);
}

void stmt_parse_list(struct parser *p, line_fn line, const struct tok *open, void *obj)
{
	stmt_parse_stmts(p, NULL, line, open, obj);
}

/* ------------------------------------------------------------------- values */

/* Seconds arithmetic on signed values (the parser's numbers may be negative). */
#define US_PER_SEC_LL ((long long)USEC_PER_SEC)

/* A decimal integer, optionally negative; false when not exactly that. */
bool val_ll(const char *s, long long *out)
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
static bool val_seconds_us(const char *s, long long *us)
{
	long long whole = 0, frac = 0, scale = US_PER_SEC_LL;
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
	*us = whole * US_PER_SEC_LL + frac;
	return true;
}

/* Seconds for messages: "5", "0.01", "40.95". */
const char *val_fmt_seconds(long long us, char *buf, size_t size)
{
	long long frac = us % US_PER_SEC_LL;
	int digits = 6;

	if (!frac) {
		snprintf(buf, size, "%lld", us / US_PER_SEC_LL);
		return buf;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, size, "%lld.%0*lld", us / US_PER_SEC_LL, digits, frac);
	return buf;
}

bool val_int(struct parser *p, const char *kw, const struct tok *v, long long lo,
	     long long hi, long long *out)
{
	long long n;

	if (val_ll(v->text, &n) && n >= lo && n <= hi) {
		*out = n;
		return true;
	}
	cfg_err(p, &v->at, "%s: expected a number from %lld to %lld, got %s", kw, lo, hi, v->text);
	return false;
}

bool val_seconds(struct parser *p, const char *kw, const struct tok *v, long long lo_us,
		 long long hi_us, long long *out_us)
{
	char lo[32], hi[32];
	long long us;

	if (val_seconds_us(v->text, &us) && us >= lo_us && us <= hi_us) {
		*out_us = us;
		return true;
	}
	cfg_err(p, &v->at, "%s: expected seconds from %s to %s, got %s", kw,
	    val_fmt_seconds(lo_us, lo, sizeof(lo)), val_fmt_seconds(hi_us, hi, sizeof(hi)), v->text);
	return false;
}

bool val_name(struct parser *p, const char *kw, const struct tok *v, char *dst,
	      size_t size)
{
	if (!v->text[0]) {
		cfg_err(p, &v->at, "%s: expected a name, got an empty string", kw);
		return false;
	}
	if (cfg_copy_name(dst, size, v->text))
		return true;
	cfg_err(p, &v->at, "%s: '%.64s' is longer than %zu characters", kw, v->text, size - 1);
	return false;
}

bool val_addr(struct parser *p, const char *kw, const struct tok *v, struct ipaddr *a)
{
	if (ipaddr_parse(v->text, a, NULL) == 0)
		return true;
	cfg_err(p, &v->at, "%s: expected an IPv4 or IPv6 address, got %s", kw, v->text);
	return false;
}

/* keepalived's <BOOL>: on|off|true|false|yes|no. */
bool val_bool(struct parser *p, const char *kw, const struct tok *v, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };

	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(v->text, yes[i]) == 0 || strcasecmp(v->text, no[i]) == 0) {
			*out = strcasecmp(v->text, yes[i]) == 0;
			return true;
		}
	}
	cfg_err(p, &v->at, "%s: expected on, off, true, false, yes or no, got %s", kw, v->text);
	return false;
}

/* The words of the statement as one script line for script_split(). */
char *val_join_command(struct stmt *st)
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
			if (lex_is_blank(*c) || *c == '\n' || *c == '"' || *c == '\'' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = i + 1 < st->nargs ? ' ' : '\0';
	}
	return s;
}

/* ------------------------------------------------- generic keyword handlers */

void kw_set_true(struct parser *p, struct stmt *st, void *obj)
{
	*FIELD(obj, st->def->off, bool) = true;
}

void kw_set_false(struct parser *p, struct stmt *st, void *obj)
{
	*FIELD(obj, st->def->off, bool) = false;
}

void kw_set_flag(struct parser *p, struct stmt *st, void *obj)
{
	bool on = true;

	if (st->nargs && !val_bool(p, st->kw.text, &st->args[0], &on))
		return;
	*FIELD(obj, st->def->off, unsigned) = on;
}

void kw_set_int(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_int(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, int) = (int)v;
}

void kw_set_uint(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_int(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, unsigned) = (unsigned)v;
}

void kw_set_u8(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_int(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, uint8_t) = (uint8_t)v;
}

void kw_set_us(struct parser *p, struct stmt *st, void *obj)
{
	long long v;

	if (val_seconds(p, st->def->name, &st->args[0], st->def->lo, st->def->hi, &v))
		*FIELD(obj, st->def->off, uint64_t) = (uint64_t)v;
}

/* hi is the size of the char array. */
void kw_set_name(struct parser *p, struct stmt *st, void *obj)
{
	val_name(p, st->def->name, &st->args[0], FIELD(obj, st->def->off, char),
		 (size_t)st->def->hi);
}

void kw_warn(struct parser *p, struct stmt *st, void *obj)
{
	cfg_warn(p, &st->kw.at, "%s: %s; ignored", st->def->name, st->def->what);
	if (st->block)
		stmt_skip_block(p, &st->open);
}

void kw_reject(struct parser *p, struct stmt *st, void *obj)
{
	cfg_err(p, &st->kw.at, "%s: %s", st->def->name, st->def->what);
	if (st->block)
		stmt_skip_block(p, &st->open);
}

bool stmt_block_name(struct parser *p, struct stmt *st, char *dst, size_t size)
{
	if (st->nargs == 1 && val_name(p, st->kw.text, &st->args[0], dst, size))
		return true;
	if (st->nargs != 1)
		cfg_err(p, &st->kw.at, "%s: expected one name before '{'", st->kw.text);
	stmt_skip_block(p, &st->open);
	return false;
}
