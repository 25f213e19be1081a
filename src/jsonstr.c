/*
 * jsonstr.c - JSON string literals (RFC 8259 section 7). Only what the
 * grammar demands is escaped, so UTF-8 text stays readable; the output
 * claims no more validity than its input (invalid UTF-8 passes as is).
 */
#include "jsonstr.h"

#define JSON_CTRL_LIMIT 0x20 /* RFC 8259 7: U+0000..U+001F must be escaped */

/* Append one byte if it fits below the terminator's slot; count it anyway. */
static void json_put(char *buf, size_t size, size_t *len, char c)
{
	if (*len + 1 < size)
		buf[*len] = c;
	(*len)++;
}

size_t json_quote(char *buf, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = 0;

	json_put(buf, size, &len, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			json_put(buf, size, &len, '\\');
			json_put(buf, size, &len, (char)c);
		} else if (c < JSON_CTRL_LIMIT) {
			json_put(buf, size, &len, '\\');
			json_put(buf, size, &len, 'u');
			json_put(buf, size, &len, '0');
			json_put(buf, size, &len, '0');
			json_put(buf, size, &len, hex[c >> 4]);
			json_put(buf, size, &len, hex[c & 0xf]);
		} else {
			json_put(buf, size, &len, (char)c);
		}
	}
	json_put(buf, size, &len, '"');
	if (size > 0)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}
