/*
 * logcapture.h - unit tests: collect the log lines a module writes (through
 * log_set_sink) so that tests can assert on them. Include after <cmocka.h>.
 */
#ifndef VIPD_TEST_LOGCAPTURE_H
#define VIPD_TEST_LOGCAPTURE_H

#include <stdlib.h>
#include <string.h>

struct captured {
	char **lines;
	int *levels;
	size_t n;
	size_t cap;
};

/* A log sink: log_set_sink(capture_sink, &captured). */
static inline void capture_sink(int level, const char *msg, void *arg)
{
	struct captured *c = arg;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->lines = realloc(c->lines, c->cap * sizeof(*c->lines));
		c->levels = realloc(c->levels, c->cap * sizeof(*c->levels));
		assert_non_null(c->lines);
		assert_non_null(c->levels);
	}
	c->levels[c->n] = level;
	c->lines[c->n++] = strdup(msg);
}

static inline void capture_clear(struct captured *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	c->n = 0;
}

/* Index of the first captured line equal to s, or -1. */
static inline int capture_index(const struct captured *c, const char *s)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->lines[i], s) == 0)
			return (int)i;
	return -1;
}

#endif
