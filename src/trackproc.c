/*
 * trackproc.c - process matching, quorum and track_file arithmetic (see
 * trackproc.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trackproc.h"

#define PRIO_DELTA_MAX 253
#define TRACKFILE_VALUE_MAX 2147483647L

bool trackproc_uses_cmdline(const struct trackproc_spec *s)
{
	return s->full_command || s->nparams > 0 || s->match != TRACKPROC_PARAMS_ANY;
}

/* comm is the name cut to 15 bytes: a longer configured name is cut alike. */
static bool comm_match(const char *want, const char *comm)
{
	return strncmp(want, comm, TRACKPROC_COMM_MAX) == 0 &&
	       (strlen(want) <= TRACKPROC_COMM_MAX || strlen(comm) == TRACKPROC_COMM_MAX);
}

static bool params_match(const struct trackproc_spec *s, const char *const *argv, size_t argc)
{
	size_t have = argc > 0 ? argc - 1 : 0;

	switch (s->match) {
	case TRACKPROC_PARAMS_ANY:
		return true;
	case TRACKPROC_PARAMS_EXACT:
		if (have != s->nparams)
			return false;
		break;
	case TRACKPROC_PARAMS_PARTIAL:
	case TRACKPROC_PARAMS_INITIAL:
		if (have < s->nparams)
			return false;
		break;
	}
	for (size_t i = 0; i < s->nparams; i++) {
		bool last = i + 1 == s->nparams;

		if (last && s->match == TRACKPROC_PARAMS_INITIAL) {
			if (strncmp(argv[i + 1], s->params[i], strlen(s->params[i])) != 0)
				return false;
		} else if (strcmp(argv[i + 1], s->params[i]) != 0) {
			return false;
		}
	}
	return true;
}

bool trackproc_match(const struct trackproc_spec *s, const char *comm, const char *const *argv,
		     size_t argc)
{
	if (!trackproc_uses_cmdline(s))
		return comm && comm_match(s->process, comm);
	/* A kernel thread or a zombie has no command line: never counted. */
	if (!argv || argc == 0 || strcmp(argv[0], s->process) != 0)
		return false;
	return params_match(s, argv, argc);
}

bool trackproc_quorum(const struct trackproc_spec *s, size_t count)
{
	return count >= s->quorum &&
	       (s->quorum_max == TRACKPROC_QUORUM_MAX_NONE || count <= s->quorum_max);
}

size_t trackproc_split_cmdline(char *buf, size_t len, const char **argv, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		argv[n++] = buf + i;
		while (i < len && buf[i])
			i++;
		i++; /* the NUL */
	}
	/* The last argument may lack its NUL when the buffer was cut short. */
	if (len > 0 && buf[len - 1] != '\0')
		buf[len - 1] = '\0';
	return n;
}

int trackfile_parse(const char *text, size_t len, long *value)
{
	char buf[32], *end;
	size_t a = 0, b = len;

	*value = 0;
	while (a < b && strchr(" \t\r\n", text[a]))
		a++;
	while (b > a && strchr(" \t\r\n", text[b - 1]))
		b--;
	if (a == b)
		return 0;
	if (b - a >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text + a, b - a);
	buf[b - a] = '\0';
	errno = 0;
	*value = strtol(buf, &end, 10);
	if (errno || *end) {
		*value = 0;
		return -EINVAL;
	}
	return 0;
}

void trackfile_effect(long value, int weight, bool reverse, int *delta, bool *fault)
{
	long long d;

	*delta = 0;
	if (weight == 0) {
		*fault = reverse ? value == 0 : value != 0;
		return;
	}
	/* Any value this large is past the fault line anyway; it cannot overflow. */
	if (value > TRACKFILE_VALUE_MAX)
		value = TRACKFILE_VALUE_MAX;
	if (value < -TRACKFILE_VALUE_MAX)
		value = -TRACKFILE_VALUE_MAX;
	d = (long long)value * weight;
	if (reverse)
		d = -d;
	*fault = d < -PRIO_DELTA_MAX;
	if (d > PRIO_DELTA_MAX)
		d = PRIO_DELTA_MAX;
	if (d < -PRIO_DELTA_MAX)
		d = -PRIO_DELTA_MAX;
	*delta = (int)d;
}
