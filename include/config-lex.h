/*
 * config-lex.h - the configuration's sources and lexer: files, the string
 * given to cfg_load_string() and included files, read one at a time from a
 * stack, turned into tokens that carry file:line:column.
 */
#ifndef VIPD_CONFIG_LEX_H
#define VIPD_CONFIG_LEX_H

#include "config-priv.h"

/* A source for name, included from parent (NULL: the root); NULL when out of memory. */
struct src *src_new(struct parser *p, const char *name, struct src *parent);

/* The directory part of path, allocated; NULL when out of memory. */
char *src_dir_of(const char *path);

/* Run keepalived's preprocessor over s's text (read or given) if it uses it. */
void src_preprocess(struct parser *p, struct src *s);

/* Put s on top of the source stack; false (s freed) when out of memory. */
bool src_push(struct parser *p, struct src *s);

/* Drop the source on top of the stack and free it. */
void src_pop(struct parser *p);

/* A blank between words: space, tab, carriage return. */
bool lex_is_blank(int c);

/* Free a token's text and make it an EOF token. */
void tok_clear(struct tok *t);

/* The next token of the stream, across include boundaries; TOK_EOF at the end or once stopped. */
void lex_next(struct parser *p, struct tok *t);

#endif /* VIPD_CONFIG_LEX_H */
