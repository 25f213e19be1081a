/* jsonstr.h - JSON string literals, for vipctl's status and vipdump's output */
#ifndef VIPD_JSONSTR_H
#define VIPD_JSONSTR_H

#include <stddef.h>

/*
 * Write s as a JSON string literal, with its quotes, into buf: '"' and '\'
 * become \" and \\, bytes below 0x20 become \u00XX, and every other byte
 * (UTF-8 included) passes through unchanged.
 *
 * Like snprintf: at most size - 1 bytes are written and, when size > 0,
 * always terminated; buf may be NULL when size is 0. Returns the length of
 * the whole literal, not counting the terminator, so a return value of
 * size or more means the output was cut (at a byte, possibly mid-escape).
 */
size_t json_quote(char *buf, size_t size, const char *s);

#endif
