/*
 * cfgpp.c - keepalived's configuration preprocessor (see cfgpp.h).
 *
 * The text is taken one physical line at a time. A line is a string whose
 * every byte carries its original position; it goes through, in order:
 * the @ID condition, a $NAME= definition, a ~SEQ/~LST repetition, and
 * substitution. When substitution changed the line, the result (split at
 * the newlines of multi-line definitions) goes through all of it again,
 * one level deeper, which is how keepalived's definitions can expand to
 * conditions, definitions and further uses.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cfgpp.h"

#define PP_DEPTH_MAX 32          /* nested expansions of one line */
#define PP_STEPS_MAX 1000000     /* lines processed in one file, expansions included */
#define PP_OUT_MAX (8u << 20)    /* bytes of output of one file */
#define PP_WORK_MAX (64u << 20)  /* bytes scanned by substitution in one file: a definition
				  * that doubles itself at every level must end quickly */
#define PP_DEFS_MAX 4096
#define PP_PARAMS_MAX 16         /* parameters of one definition */
#define PP_LIST_MAX 1024         /* values of one ~LST */
#define PP_SEQ_MAX 100000        /* values of one ~SEQ */
#define PP_DIAGS_MAX 100
#define PP_ERRORS_MAX 50 /* then the rest of the file is dropped: later errors are echoes */
#define PP_RANDOM_MAX_DEFAULT 32767

struct def {
	char *name;
	char *value;              /* lines joined by '\n' for multi-line ones */
	char *params[PP_PARAMS_MAX];
	size_t nparams;
	struct cfgpp_pos at;
};

/* A line being processed: bytes and where each came from. */
struct pline {
	char *s;
	struct cfgpp_pos *at;
	size_t len, cap;
};

struct cfgpp {
	char id[CFGPP_ID_MAX];
	uint32_t rand_state;
	struct def *defs;
	size_t ndefs;
	/* per run */
	const char *dir;
	struct cfgpp_out *out;
	struct pline text;        /* the output being built */
	struct def *open_def;     /* multi-line definition being read */
	unsigned long steps;
	unsigned long work;       /* bytes substitution has scanned */
	bool stopped;             /* a limit was hit: the rest of the file is dropped */
	bool oom;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool name_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool name_char(int c)
{
	return isalnum(c) || c == '_';
}

__attribute__((format(printf, 4, 5)))
static void diag(struct cfgpp *pp, bool error, struct cfgpp_pos at, const char *fmt, ...)
{
	struct cfgpp_out *o = pp->out;
	struct cfgpp_diag *d;
	va_list ap;

	if (error && ++o->nerrors >= PP_ERRORS_MAX)
		pp->stopped = true;
	if (o->ndiags >= PP_DIAGS_MAX)
		return;
	d = realloc(o->diags, (o->ndiags + 1) * sizeof(*d));
	if (!d) {
		pp->oom = true;
		return;
	}
	o->diags = d;
	d = &o->diags[o->ndiags++];
	d->error = error;
	d->at = at;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

static bool pl_reserve(struct cfgpp *pp, struct pline *l, size_t extra)
{
	size_t cap = l->cap ? l->cap : 64;
	char *s;
	struct cfgpp_pos *at;

	if (l->len + extra <= l->cap)
		return true;
	if (l->len + extra > PP_OUT_MAX + 1) {
		pp->oom = true; /* only reached past the output limit */
		return false;
	}
	while (cap < l->len + extra)
		cap *= 2;
	s = realloc(l->s, cap);
	if (!s)
		goto fail;
	l->s = s;
	at = realloc(l->at, cap * sizeof(*at));
	if (!at)
		goto fail;
	l->at = at;
	l->cap = cap;
	return true;
fail:
	pp->oom = true;
	return false;
}

static bool pl_add(struct cfgpp *pp, struct pline *l, char c, struct cfgpp_pos at)
{
	if (!pl_reserve(pp, l, 1))
		return false;
	l->s[l->len] = c;
	l->at[l->len++] = at;
	return true;
}

/* Append n bytes, all from position at. */
static bool pl_add_str(struct cfgpp *pp, struct pline *l, const char *s, size_t n,
		       struct cfgpp_pos at)
{
	if (n == 0)
		return true;
	if (!pl_reserve(pp, l, n))
		return false;
	memcpy(l->s + l->len, s, n);
	for (size_t i = 0; i < n; i++)
		l->at[l->len + i] = at;
	l->len += n;
	return true;
}

/* Append bytes [from, to) of src with their own positions. */
static bool pl_add_span(struct cfgpp *pp, struct pline *l, const struct pline *src, size_t from,
			size_t to)
{
	size_t n = to - from;

	if (n == 0)
		return true; /* src may still be empty, its buffers NULL */
	if (!pl_reserve(pp, l, n))
		return false;
	memcpy(l->s + l->len, src->s + from, n);
	memcpy(l->at + l->len, src->at + from, n * sizeof(*l->at));
	l->len += n;
	return true;
}

static void pl_free(struct pline *l)
{
	free(l->s);
	free(l->at);
	memset(l, 0, sizeof(*l));
}

/* The position just after the line, for messages about its end. */
static struct cfgpp_pos pl_end(const struct pline *l, size_t i)
{
	struct cfgpp_pos p = { 0, 0 };

	if (i < l->len)
		return l->at[i];
	if (l->len > 0) {
		p = l->at[l->len - 1];
		p.col++;
	}
	return p;
}

/*
 * Where a comment starts: '#' or '!' outside quotes at the start of a
 * word, as the lexer reads them. Returns len when there is none.
 */
static size_t comment_start(const char *s, size_t len)
{
	char q = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (q) {
			if (c == '\\' && q == '"' && i + 1 < len)
				i++;
			else if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if ((c == '#' || c == '!') &&
			   (i == 0 || is_blank(s[i - 1]) || s[i - 1] == '{' || s[i - 1] == '}')) {
			return i;
		}
	}
	return len;
}

static size_t trim_end(const char *s, size_t len)
{
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return len;
}

/* ------------------------------------------------------------------ */
/* Definitions                                                         */

static struct def *def_find(struct cfgpp *pp, const char *name, size_t n)
{
	for (size_t i = 0; i < pp->ndefs; i++)
		if (strlen(pp->defs[i].name) == n && memcmp(pp->defs[i].name, name, n) == 0)
			return &pp->defs[i];
	return NULL;
}

static void def_clear(struct def *d)
{
	free(d->name);
	free(d->value);
	for (size_t i = 0; i < d->nparams; i++)
		free(d->params[i]);
	memset(d, 0, sizeof(*d));
}

static void def_remove(struct cfgpp *pp, struct def *d)
{
	size_t i = (size_t)(d - pp->defs);

	def_clear(d);
	memmove(&pp->defs[i], &pp->defs[i + 1], (pp->ndefs - i - 1) * sizeof(*d));
	pp->ndefs--;
}

/* The definition named name (new and empty, or the old one emptied). */
static struct def *def_set(struct cfgpp *pp, const char *name, size_t n, struct cfgpp_pos at)
{
	struct def *d = def_find(pp, name, n), *defs;

	if (d) {
		char *keep = d->name;

		d->name = NULL;
		def_clear(d);
		d->name = keep;
		d->at = at;
		return d;
	}
	if (pp->ndefs >= PP_DEFS_MAX) {
		diag(pp, true, at, "more than %d definitions", PP_DEFS_MAX);
		return NULL;
	}
	defs = realloc(pp->defs, (pp->ndefs + 1) * sizeof(*defs));
	if (!defs) {
		pp->oom = true;
		return NULL;
	}
	pp->defs = defs;
	d = &defs[pp->ndefs];
	memset(d, 0, sizeof(*d));
	d->name = strndup(name, n);
	if (!d->name) {
		pp->oom = true;
		return NULL;
	}
	d->at = at;
	pp->ndefs++;
	return d;
}

static bool def_set_value(struct cfgpp *pp, const char *name, size_t n, const char *value,
			  struct cfgpp_pos at)
{
	struct def *d = def_set(pp, name, n, at);

	if (!d)
		return false;
	d->value = strdup(value);
	if (!d->value)
		pp->oom = true;
	return d->value != NULL;
}

/* Append one line of a multi-line definition. */
static void def_append(struct cfgpp *pp, struct def *d, const char *s, size_t n, bool first)
{
	size_t old = d->value ? strlen(d->value) : 0;
	char *v;

	if (first && n == 0)
		return;
	if (old + n + 2 > PP_OUT_MAX) {
		diag(pp, true, d->at, "the definition of $%s is longer than %u bytes", d->name,
		     PP_OUT_MAX);
		pp->stopped = true;
		return;
	}
	v = realloc(d->value, old + n + 2);
	if (!v) {
		pp->oom = true;
		return;
	}
	if (old > 0)
		v[old++] = '\n';
	if (n > 0)
		memcpy(v + old, s, n);
	v[old + n] = '\0';
	d->value = v;
}

/*
 * A line of a multi-line definition (comment already removed): it goes on
 * while the line ends in '\'.
 */
static void def_continue(struct cfgpp *pp, const char *s, size_t n, bool first, bool may_go_on)
{
	struct def *d = pp->open_def;
	bool more;

	n = trim_end(s, n);
	more = n > 0 && s[n - 1] == '\\';
	if (more)
		n = trim_end(s, n - 1);
	/*
	 * Only a line of the file can go on to the next line of the file: in a
	 * line made by an expansion or a repetition, the definition ends here
	 * (and ~SEQ/~LST may remove it before the next line is read).
	 */
	more = more && may_go_on;
	while (n > 0 && is_blank(*s) && first) {
		s++;
		n--;
	}
	def_append(pp, d, s, n, first);
	if (!d->value && !more) {
		d->value = strdup("");
		if (!d->value)
			pp->oom = true;
	}
	if (!more)
		pp->open_def = NULL;
}

/*
 * "$NAME=" or "$NAME(A,B)=" at s[i]: define it and return true. Anything
 * else (a use, a '$' of a script) returns false.
 */
static bool try_define(struct cfgpp *pp, const struct pline *l, size_t i, bool top)
{
	const char *s = l->s;
	size_t len = l->len, n0 = i + 1, n1 = n0, k, clen;
	char *params[PP_PARAMS_MAX];
	size_t nparams = 0;
	struct def *d;

	if (n0 >= len || !name_start(s[n0]))
		return false;
	while (n1 < len && name_char(s[n1]))
		n1++;
	k = n1;
	if (k < len && s[k] == '(') {
		size_t close = k + 1;

		while (close < len && s[close] != ')' && s[close] != '=')
			close++;
		if (close >= len || s[close] != ')' || close + 1 >= len || s[close + 1] != '=')
			return false;
		/* Parameter names, separated by commas. */
		for (size_t p = k + 1; p < close;) {
			size_t a, b;

			while (p < close && is_blank(s[p]))
				p++;
			a = p;
			while (p < close && name_char(s[p]))
				p++;
			b = p;
			while (p < close && is_blank(s[p]))
				p++;
			if (a == b || !name_start(s[a]) || (p < close && s[p] != ',')) {
				diag(pp, true, l->at[a < len ? a : k],
				     "$%.*s(...): parameter names are letters, digits and '_', "
				     "separated by commas", (int)(n1 - n0), s + n0);
				goto fail;
			}
			if (nparams >= PP_PARAMS_MAX) {
				diag(pp, true, l->at[a], "$%.*s: more than %d parameters",
				     (int)(n1 - n0), s + n0, PP_PARAMS_MAX);
				goto fail;
			}
			params[nparams] = strndup(s + a, b - a);
			if (!params[nparams]) {
				pp->oom = true;
				goto fail;
			}
			nparams++;
			if (p < close)
				p++; /* the comma */
		}
		k = close + 1;
	}
	if (k >= len || s[k] != '=')
		goto fail_quiet;
	d = def_set(pp, s + n0, n1 - n0, l->at[i]);
	if (!d)
		goto fail;
	memcpy(d->params, params, nparams * sizeof(*params));
	d->nparams = nparams;
	/* The value: the rest of the line without its comment. */
	k++;
	clen = comment_start(s + k, len - k);
	pp->open_def = d;
	def_continue(pp, s + k, clen, true, top);
	return true;
fail:
	for (size_t p = 0; p < nparams; p++)
		free(params[p]);
	return true; /* reported: the line is consumed */
fail_quiet:
	for (size_t p = 0; p < nparams; p++)
		free(params[p]);
	return false;
}

/* ------------------------------------------------------------------ */
/* Substitution                                                        */

static uint32_t pp_random(struct cfgpp *pp)
{
	/* xorshift32: repeatable for a given seed, which tests rely on. */
	uint32_t x = pp->rand_state ? pp->rand_state : 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	pp->rand_state = x;
	return x;
}

/*
 * ${_NAME ...}: the predefined names. Writes the value to buf and returns
 * true, or false when name is not one of them.
 */
static bool predefined(struct cfgpp *pp, const char *in, size_t n, bool quoted, char *buf,
		       size_t size)
{
	if (n == 4 && memcmp(in, "_PWD", 4) == 0) {
		snprintf(buf, size, "%s", pp->dir ? pp->dir : ".");
	} else if (n == 9 && memcmp(in, "_INSTANCE", 9) == 0) {
		snprintf(buf, size, "%s", pp->id);
	} else if (n == 5 && (memcmp(in, "_HASH", 5) == 0 || memcmp(in, "_BANG", 5) == 0)) {
		/* Quoted, so that the lexer does not take it for a comment. */
		char c = in[1] == 'H' ? '#' : '!';

		snprintf(buf, size, quoted ? "%c" : "\"%c\"", c);
	} else if (n >= 7 && memcmp(in, "_RANDOM", 7) == 0 && (n == 7 || is_blank(in[7]))) {
		char tmp[64];
		unsigned long lo = 0, hi = PP_RANDOM_MAX_DEFAULT;
		int got;

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(n - 7 < 63 ? n - 7 : 63), in + 7);
		got = sscanf(tmp, "%lu %lu", &lo, &hi);
		/* ${_RANDOM MIN}: MIN up to 32767 */
		if (got == 1)
			hi = lo > PP_RANDOM_MAX_DEFAULT ? lo : PP_RANDOM_MAX_DEFAULT;
		if (hi < lo)
			hi = lo;
		snprintf(buf, size, "%lu", lo + pp_random(pp) % (hi - lo + 1));
	} else {
		return false;
	}
	return true;
}

/* Split "a, b, c" (no nesting) into at most max trimmed pieces [start, end). */
static size_t split_args(const char *s, size_t len, size_t (*span)[2], size_t max)
{
	size_t n = 0, p = 0;

	while (p <= len && n < max) {
		size_t a = p, b;

		while (a < len && is_blank(s[a]))
			a++;
		b = a;
		while (b < len && s[b] != ',')
			b++;
		p = b + 1;
		while (b > a && is_blank(s[b - 1]))
			b--;
		span[n][0] = a;
		span[n][1] = b;
		n++;
		if (p > len)
			break;
	}
	return n;
}

/*
 * The value of a definition with parameters: every ${P} and $P (followed
 * by a blank or the end) of the value replaced by its argument.
 */
static char *bind_params(struct cfgpp *pp, const struct def *d, const char *args, size_t alen,
			 struct cfgpp_pos at)
{
	size_t span[PP_PARAMS_MAX][2], nargs = 0, cap, olen = 0;
	const char *v = d->value ? d->value : "";
	char *out;

	if (alen > 0 || d->nparams > 0)
		nargs = split_args(args, alen, span, PP_PARAMS_MAX);
	if (nargs != d->nparams) {
		diag(pp, true, at, "$%s takes %zu argument%s, got %zu", d->name, d->nparams,
		     d->nparams == 1 ? "" : "s", nargs);
		return NULL;
	}
	cap = strlen(v) + 1;
	for (size_t i = 0; i < nargs; i++)
		cap += (span[i][1] - span[i][0]) * strlen(v);
	if (cap > PP_OUT_MAX) {
		diag(pp, true, at, "$%s expands to more than %u bytes", d->name, PP_OUT_MAX);
		pp->stopped = true;
		return NULL;
	}
	out = malloc(cap);
	if (!out) {
		pp->oom = true;
		return NULL;
	}
	for (size_t i = 0; v[i];) {
		size_t a = i + 1, b, e;
		bool brace = false, done = false;

		if (v[i] != '$') {
			out[olen++] = v[i++];
			continue;
		}
		if (v[a] == '{') {
			brace = true;
			a++;
		}
		b = a;
		while (name_char(v[b]))
			b++;
		e = b;
		if (brace && v[e] == '}')
			e++;
		else if (brace || (v[e] != '\0' && !is_blank(v[e]) && v[e] != '\n'))
			e = 0;
		for (size_t p = 0; e && p < d->nparams && !done; p++) {
			if (strlen(d->params[p]) != b - a || memcmp(d->params[p], v + a, b - a) != 0)
				continue;
			memcpy(out + olen, args + span[p][0], span[p][1] - span[p][0]);
			olen += span[p][1] - span[p][0];
			i = e;
			done = true;
		}
		if (!done)
			out[olen++] = v[i++];
	}
	out[olen] = '\0';
	return out;
}

/*
 * One pass over l from start: every use of a defined name replaced by its
 * value (replaced bytes take the position of the '$'). Returns true when
 * anything was replaced.
 */
static bool substitute(struct cfgpp *pp, const struct pline *l, size_t start, struct pline *r)
{
	const char *s = l->s;
	size_t len = l->len, i = start;
	bool changed = false;
	char pre[128];
	char q = 0;

	while (i < len && !pp->oom && !pp->stopped) {
		size_t a, b, e, argl = 0;
		const char *args = NULL, *val;
		char *bound = NULL;
		struct def *d;
		bool brace;

		if (q) {
			if (s[i] == '\\' && q == '"' && i + 1 < len) {
				pl_add_span(pp, r, l, i, i + 2);
				i += 2;
				continue;
			}
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		}
		if (s[i] != '$' || i + 1 >= len) {
			pl_add_span(pp, r, l, i, i + 1);
			i++;
			continue;
		}
		brace = s[i + 1] == '{';
		a = i + 1 + brace;
		b = a;
		while (b < len && name_char(s[b]))
			b++;
		e = b;
		if (brace) {
			size_t close = b;

			while (close < len && s[close] != '}')
				close++;
			if (close >= len) {
				diag(pp, true, l->at[i], "'${' without a closing '}' on the same line");
				pl_add_span(pp, r, l, i, len);
				return changed;
			}
			if (s[a] == '_' && predefined(pp, s + a, close - a, q != 0, pre, sizeof(pre))) {
				pl_add_str(pp, r, pre, strlen(pre), l->at[i]);
				changed = true;
				i = close + 1;
				continue;
			}
			if (b < close && s[b] == '(' && s[close - 1] == ')') {
				args = s + b + 1;
				argl = close - 1 - (b + 1);
			} else if (b != close) {
				b = a; /* not a name: left alone */
			}
			e = close + 1;
		} else if (b < len && s[b] == '(') {
			size_t close = b;

			while (close < len && s[close] != ')')
				close++;
			d = b > a ? def_find(pp, s + a, b - a) : NULL;
			if (close < len && d && d->nparams > 0) {
				args = s + b + 1;
				argl = close - (b + 1);
				e = close + 1;
			} else {
				b = a;
			}
		} else if (b < len && !is_blank(s[b])) {
			b = a; /* $NAME must be followed by a blank or the end of the line */
		}
		d = b > a && name_start(s[a]) ? def_find(pp, s + a, b - a) : NULL;
		if (!d || (d->nparams > 0 && !args)) {
			pl_add_span(pp, r, l, i, i + 1);
			i++;
			continue;
		}
		val = d->value ? d->value : "";
		if (args || d->nparams > 0) {
			bound = bind_params(pp, d, args, argl, l->at[i]);
			if (!bound) {
				pl_add_span(pp, r, l, i, e);
				i = e;
				continue;
			}
			val = bound;
		}
		pl_add_str(pp, r, val, strlen(val), l->at[i]);
		free(bound);
		changed = true;
		i = e;
	}
	return changed;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

static void process(struct cfgpp *pp, struct pline *l, size_t start, int depth);

static void emit(struct cfgpp *pp, const struct pline *l, size_t from, size_t to)
{
	if (from >= to)
		return;
	if (pp->text.len + (to - from) + 2 > PP_OUT_MAX) {
		diag(pp, true, l->at[from], "the configuration expands to more than %u bytes",
		     PP_OUT_MAX);
		pp->stopped = true;
		return;
	}
	if (pl_add_span(pp, &pp->text, l, from, to))
		pl_add(pp, &pp->text, '\n', pl_end(l, to));
}

/* A copy of l's bytes [from, to), positions included. */
static bool pl_copy(struct cfgpp *pp, struct pline *dst, const struct pline *l, size_t from,
		    size_t to)
{
	memset(dst, 0, sizeof(*dst));
	return pl_add_span(pp, dst, l, from, to);
}

/* Split s[0..len) at top-level commas (braces nest); trimmed [start, end) pairs. */
static size_t split_top(const char *s, size_t len, size_t (*span)[2], size_t max)
{
	size_t n = 0, a = 0;
	int depth = 0;

	for (size_t i = 0; i <= len && n < max; i++) {
		size_t b;

		if (i < len && s[i] == '{')
			depth++;
		else if (i < len && s[i] == '}')
			depth--;
		if (i < len && (s[i] != ',' || depth > 0))
			continue;
		b = i;
		while (a < b && is_blank(s[a]))
			a++;
		while (b > a && is_blank(s[b - 1]))
			b--;
		span[n][0] = a;
		span[n][1] = b;
		n++;
		a = i + 1;
	}
	return n;
}

/* {a, b} or a: the pieces, as spans relative to s. */
static size_t group_items(const char *s, size_t a, size_t b, size_t (*span)[2], size_t max)
{
	size_t n;

	if (b - a >= 2 && s[a] == '{' && s[b - 1] == '}') {
		n = split_args(s + a + 1, b - a - 2, span, max);
		for (size_t i = 0; i < n; i++) {
			span[i][0] += a + 1;
			span[i][1] += a + 1;
		}
		return n;
	}
	span[0][0] = a;
	span[0][1] = b;
	return 1;
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || !name_start(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

static bool parse_long(const char *s, size_t n, long *v)
{
	char buf[32], *end;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtol(buf, &end, 0);
	return errno == 0 && *end == '\0' && *v > -1000000000L && *v < 1000000000L;
}

/* Process the rest of l from rest once with the variables set as given. */
static void repeat_once(struct cfgpp *pp, const struct pline *l, size_t rest, int depth)
{
	struct pline copy;

	if (pl_copy(pp, &copy, l, rest, l->len))
		process(pp, &copy, 0, depth + 1);
	pl_free(&copy);
}

static void repeat_seq(struct cfgpp *pp, const struct pline *l, size_t i, size_t inner,
		       size_t close, bool hex, size_t rest, int depth)
{
	const char *s = l->s, *kw = hex ? "~SEQx" : "~SEQ";
	size_t span[5][2], n = split_args(s + inner, close - inner, span, 5), count = 0;
	long v[3], start, step, end;
	char buf[32];

	for (size_t k = 0; k < n; k++) {
		span[k][0] += inner;
		span[k][1] += inner;
	}
	if (n < 2 || n > 4) {
		diag(pp, true, l->at[i], "%s(VAR, [START,] [STEP,] END): expected 2 to 4 values, "
		     "got %zu", kw, n);
		return;
	}
	if (!valid_name(s + span[0][0], span[0][1] - span[0][0])) {
		diag(pp, true, l->at[span[0][0] < l->len ? span[0][0] : i],
		     "%s: '%.*s' is not a variable name", kw, (int)(span[0][1] - span[0][0]),
		     s + span[0][0]);
		return;
	}
	for (size_t k = 1; k < n; k++) {
		if (!parse_long(s + span[k][0], span[k][1] - span[k][0], &v[k - 1])) {
			diag(pp, true, l->at[span[k][0] < l->len ? span[k][0] : i],
			     "%s: '%.*s' is not a number", kw, (int)(span[k][1] - span[k][0]),
			     s + span[k][0]);
			return;
		}
	}
	end = v[n - 2];
	start = n >= 3 ? v[0] : (end < 0 ? -1 : 1);
	step = n == 4 ? v[1] : (end < start ? -1 : 1);
	if (step == 0) {
		diag(pp, true, l->at[span[2][0]], "%s: a step of 0 never ends", kw);
		return;
	}
	for (long x = start; step > 0 ? x <= end : x >= end; x += step) {
		if (++count > PP_SEQ_MAX) {
			diag(pp, true, l->at[i], "%s: more than %d values", kw, PP_SEQ_MAX);
			break;
		}
		if (hex)
			snprintf(buf, sizeof(buf), "%s%lx", x < 0 ? "-" : "", x < 0 ? -x : x);
		else
			snprintf(buf, sizeof(buf), "%ld", x);
		if (!def_set_value(pp, s + span[0][0], span[0][1] - span[0][0], buf, l->at[i]))
			break;
		repeat_once(pp, l, rest, depth);
		if (pp->stopped || pp->oom)
			break;
	}
	{
		struct def *d = def_find(pp, s + span[0][0], span[0][1] - span[0][0]);

		if (d)
			def_remove(pp, d);
	}
}

static void repeat_lst(struct cfgpp *pp, const struct pline *l, size_t i, size_t inner,
		       size_t close, size_t rest, int depth)
{
	const char *s = l->s;
	size_t vars[PP_PARAMS_MAX][2], vals[PP_PARAMS_MAX][2], nvars, nitems;
	/* Heap, not stack: a ~LST line can hold further ~LSTs, one frame each. */
	size_t (*items)[2] = calloc(PP_LIST_MAX + 1, sizeof(*items));

	if (!items) {
		pp->oom = true;
		return;
	}
	nitems = split_top(s + inner, close - inner, items, PP_LIST_MAX + 1);
	for (size_t k = 0; k < nitems; k++) {
		items[k][0] += inner;
		items[k][1] += inner;
	}
	if (nitems < 2 || nitems > PP_LIST_MAX) {
		diag(pp, true, l->at[i], nitems < 2 ? "~LST(VAR, VALUE, ...): expected a variable "
			     "and at least one value" : "~LST: more than %d values", PP_LIST_MAX);
		goto out;
	}
	nvars = group_items(s, items[0][0], items[0][1], vars, PP_PARAMS_MAX);
	for (size_t k = 0; k < nvars; k++) {
		if (!valid_name(s + vars[k][0], vars[k][1] - vars[k][0])) {
			diag(pp, true, l->at[i], "~LST: '%.*s' is not a variable name",
			     (int)(vars[k][1] - vars[k][0]), s + vars[k][0]);
			goto out;
		}
	}
	for (size_t it = 1; it < nitems && !pp->stopped && !pp->oom; it++) {
		size_t nv = group_items(s, items[it][0], items[it][1], vals, PP_PARAMS_MAX);
		bool ok = true;

		if (nv != nvars) {
			diag(pp, true, l->at[items[it][0] < l->len ? items[it][0] : i],
			     "~LST: %zu value%s for %zu variable%s", nv, nv == 1 ? "" : "s", nvars,
			     nvars == 1 ? "" : "s");
			break;
		}
		for (size_t k = 0; k < nvars && ok; k++) {
			char *val = strndup(s + vals[k][0], vals[k][1] - vals[k][0]);

			ok = val && def_set_value(pp, s + vars[k][0], vars[k][1] - vars[k][0], val,
						  l->at[i]);
			if (!val)
				pp->oom = true;
			free(val);
		}
		if (ok)
			repeat_once(pp, l, rest, depth);
	}
	for (size_t k = 0; k < nvars; k++) {
		struct def *d = def_find(pp, s + vars[k][0], vars[k][1] - vars[k][0]);

		if (d)
			def_remove(pp, d);
	}
out:
	free(items);
}

/* ~SEQ(...), ~SEQx(...) or ~LST(...) at s[i]: true when it was one. */
static bool try_repeat(struct cfgpp *pp, const struct pline *l, size_t i, int depth)
{
	const char *s = l->s;
	size_t len = l->len, p, close, rest;
	int kind; /* 0 SEQ, 1 SEQx, 2 LST */
	int braces = 0;

	if (len - i > 6 && memcmp(s + i, "~SEQx(", 6) == 0)
		kind = 1, p = i + 6;
	else if (len - i > 5 && memcmp(s + i, "~SEQ(", 5) == 0)
		kind = 0, p = i + 5;
	else if (len - i > 5 && memcmp(s + i, "~LST(", 5) == 0)
		kind = 2, p = i + 5;
	else
		return false;
	for (close = p; close < len; close++) {
		if (s[close] == '{')
			braces++;
		else if (s[close] == '}')
			braces--;
		else if (s[close] == ')' && braces <= 0)
			break;
	}
	if (close >= len) {
		diag(pp, true, l->at[i], "%.4s( without a closing ')' on the same line", s + i);
		return true;
	}
	rest = close + 1;
	while (rest < len && is_blank(s[rest]))
		rest++;
	if (kind == 2)
		repeat_lst(pp, l, i, p, close, rest, depth);
	else
		repeat_seq(pp, l, i, p, close, kind == 1, rest, depth);
	return true;
}

/* @ID / @^ID at s[i]: false when the line is not for this config id. */
static bool condition(struct cfgpp *pp, const struct pline *l, size_t *i, size_t end)
{
	const char *s = l->s;
	size_t j = *i + 1, a;
	bool neg = false, match;

	if (j < end && s[j] == '^') {
		neg = true;
		j++;
	}
	a = j;
	while (j < end && !is_blank(s[j]))
		j++;
	if (a == j) {
		diag(pp, true, l->at[*i], "'@' must be followed by a config id (@ID or @^ID)");
		return false;
	}
	match = pp->id[0] && strlen(pp->id) == j - a && memcmp(pp->id, s + a, j - a) == 0;
	while (j < end && is_blank(s[j]))
		j++;
	*i = j;
	return neg ? !match : match;
}

static void process(struct cfgpp *pp, struct pline *l, size_t start, int depth)
{
	struct pline view, r = { 0 };
	size_t i = start, end;

	if (pp->stopped || pp->oom || l->len == 0)
		return;
	if (++pp->steps > PP_STEPS_MAX) {
		diag(pp, true, pl_end(l, start), "expansion produces more than %d lines",
		     PP_STEPS_MAX);
		pp->stopped = true;
		return;
	}
	if (depth > PP_DEPTH_MAX) {
		diag(pp, true, pl_end(l, start), "definitions nested more than %d deep "
		     "(a definition that uses itself?)", PP_DEPTH_MAX);
		return;
	}
	pp->work += l->len;
	if (pp->work > PP_WORK_MAX) {
		diag(pp, true, pl_end(l, start), "expansion takes more than %u bytes of work "
		     "(definitions that multiply themselves?)", PP_WORK_MAX);
		pp->stopped = true;
		return;
	}
	end = trim_end(l->s, start + comment_start(l->s + start, l->len - start));
	while (i < end && is_blank(l->s[i]))
		i++;
	if (i >= end)
		return;
	if (l->s[i] == '@' && (!condition(pp, l, &i, end) || i >= end))
		return;
	if (l->s[i] == '$' && try_define(pp, l, i, depth == 0))
		return;
	if (l->s[i] == '~' && try_repeat(pp, l, i, depth))
		return;
	view = *l;
	view.len = end;
	if (!substitute(pp, &view, i, &r)) {
		emit(pp, l, i, end);
		pl_free(&r);
		return;
	}
	/* Each line of the result goes through everything again. */
	for (size_t a = 0, b; a <= r.len && !pp->stopped && !pp->oom; a = b + 1) {
		struct pline piece;

		for (b = a; b < r.len && r.s[b] != '\n';)
			b++;
		if (pl_copy(pp, &piece, &r, a, b) && piece.len > 0)
			process(pp, &piece, 0, depth + 1);
		pl_free(&piece);
	}
	pl_free(&r);
}

/* ------------------------------------------------------------------ */
/* Interface                                                           */

struct cfgpp *cfgpp_new(const char *config_id, uint32_t seed)
{
	struct cfgpp *pp = calloc(1, sizeof(*pp));

	if (!pp)
		return NULL;
	snprintf(pp->id, sizeof(pp->id), "%s", config_id ? config_id : "");
	pp->rand_state = seed;
	return pp;
}

void cfgpp_free(struct cfgpp *pp)
{
	if (!pp)
		return;
	for (size_t i = 0; i < pp->ndefs; i++)
		def_clear(&pp->defs[i]);
	free(pp->defs);
	free(pp);
}

void cfgpp_out_free(struct cfgpp_out *out)
{
	free(out->text);
	free(out->at);
	free(out->diags);
	memset(out, 0, sizeof(*out));
}

int cfgpp_run(struct cfgpp *pp, const char *text, size_t len, const char *dir,
	      struct cfgpp_out *out)
{
	struct pline line = { 0 };
	int lineno = 0;

	memset(out, 0, sizeof(*out));
	memset(&pp->text, 0, sizeof(pp->text));
	pp->out = out;
	pp->dir = dir;
	pp->open_def = NULL;
	pp->steps = 0;
	pp->work = 0;
	pp->stopped = false;
	pp->oom = false;
	for (size_t a = 0, b; a < len && !pp->stopped && !pp->oom; a = b + 1) {
		lineno++;
		for (b = a; b < len && text[b] != '\n';)
			b++;
		line.len = 0;
		for (size_t k = a; k < b; k++) {
			struct cfgpp_pos at = { lineno, (int)(k - a + 1) };

			if (!pl_add(pp, &line, text[k], at))
				break;
		}
		if (pp->oom)
			break;
		if (pp->open_def) {
			def_continue(pp, line.s, comment_start(line.s, line.len), false, true);
			continue;
		}
		if (line.len > 0)
			process(pp, &line, 0, 0);
	}
	pl_free(&line);
	if (pp->open_def && !pp->oom) {
		diag(pp, false, pp->open_def->at, "the definition of $%s ends with '\\' on the "
		     "last line of the file", pp->open_def->name);
		pp->open_def = NULL;
	}
	if (!pp->oom) {
		struct cfgpp_pos at = { lineno + 1, 1 };

		pl_add(pp, &pp->text, '\0', at);
	}
	if (pp->oom) {
		pl_free(&pp->text);
		cfgpp_out_free(out);
		pp->out = NULL;
		return -ENOMEM;
	}
	out->text = pp->text.s;
	out->at = pp->text.at;
	out->len = pp->text.len - 1;
	memset(&pp->text, 0, sizeof(pp->text));
	pp->out = NULL;
	return 0;
}

struct cfgpp_pos cfgpp_where(const struct cfgpp_out *out, size_t off)
{
	struct cfgpp_pos p = { 1, 1 };

	if (!out->at)
		return p;
	/* at[len] is the end of the text (the NUL's slot). */
	return out->at[off < out->len ? off : out->len];
}

bool cfgpp_needed(const char *text, size_t len)
{
	return memchr(text, '$', len) || memchr(text, '@', len) || memchr(text, '~', len);
}

void cfgpp_default_id(char *buf, size_t size)
{
	struct utsname u;
	size_t n;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (uname(&u) < 0)
		return;
	n = strcspn(u.nodename, ".");
	snprintf(buf, size, "%.*s", (int)n, u.nodename);
}
