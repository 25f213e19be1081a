/*
 * cfgpp.h - keepalived's configuration preprocessor, run on each file's
 * text before the lexer sees it. Pure: no files, no clocks, no globals.
 *
 *   @ID line / @^ID line    the line is kept only when ID is (is not) the
 *                           config id (vipd -i, keepalived's --config-id)
 *   $NAME=value             a definition; a value ending in '\' continues
 *                           on the next line (multi-line definition)
 *   $NAME(A,B)=value        a definition with parameters, used as $NAME(x,y)
 *   $NAME  ${NAME}          replaced by the value ($NAME only when followed
 *                           by a blank or the end of the line); replacement
 *                           is repeated on the result; undefined names stay
 *   ${_PWD} ${_INSTANCE} ${_HASH} ${_BANG} ${_RANDOM [MIN [MAX]]}
 *   ~SEQ(VAR, START, STEP, END) rest   rest once per value (~SEQx: in hex)
 *   ~LST(VAR, V1, V2, ...) rest        rest once per value ({A,B} for pairs)
 *
 * Every byte of the output remembers where it came from in the original
 * text (file line and column), so the parser's messages point at what the
 * user wrote; replaced text points at the '$' that was replaced.
 *
 * Definitions live across the files of one load, in reading order, as in
 * keepalived. Every expansion is bounded (depth, steps, output size),
 * because the input is untrusted and fuzzed.
 */
#ifndef VIPD_CFGPP_H
#define VIPD_CFGPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFGPP_ID_MAX 64

/* A position in the original text: 1-based line and column (bytes). */
struct cfgpp_pos {
	int line;
	int col;
};

struct cfgpp_diag {
	bool error; /* false: a warning */
	struct cfgpp_pos at;
	char msg[256];
};

/* The text of one file after preprocessing. */
struct cfgpp_out {
	char *text;            /* NUL-terminated; lines end in '\n' */
	struct cfgpp_pos *at;  /* one per byte of text */
	size_t len;
	struct cfgpp_diag *diags;
	size_t ndiags;
	size_t nerrors;
};

struct cfgpp;

/*
 * A preprocessor for one load. config_id is what @ID lines are compared
 * with (NULL or "" = none matches); seed drives ${_RANDOM}. NULL when out
 * of memory.
 */
struct cfgpp *cfgpp_new(const char *config_id, uint32_t seed);
void cfgpp_free(struct cfgpp *pp);

/*
 * Preprocess one file's text; dir is its directory (${_PWD}). Fills out
 * (free with cfgpp_out_free) even on errors, which are in out->diags.
 * Returns 0, or -ENOMEM (out is then empty).
 */
int cfgpp_run(struct cfgpp *pp, const char *text, size_t len, const char *dir,
	      struct cfgpp_out *out);
void cfgpp_out_free(struct cfgpp_out *out);

/* Where output byte off came from; off == len gives the end of the text. */
struct cfgpp_pos cfgpp_where(const struct cfgpp_out *out, size_t off);

/* Does text use the preprocessor at all? (a '$', '@' or '~' anywhere) */
bool cfgpp_needed(const char *text, size_t len);

/*
 * keepalived's default config id: the host name up to its first '.'.
 * Writes "" when the name cannot be had.
 */
void cfgpp_default_id(char *buf, size_t size);

#endif
