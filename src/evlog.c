/*
 * evlog.c - the ring of recent events and their line formats.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evlog.h"
#include "jsonstr.h"
#include "timeunit.h"

int evlog_init(struct evlog *log, size_t cap)
{
	log->ring = calloc(cap ? cap : 1, sizeof(*log->ring));
	if (!log->ring)
		return -ENOMEM;
	log->cap = cap ? cap : 1;
	log->next_seq = 1;
	return 0;
}

void evlog_free(struct evlog *log)
{
	free(log->ring);
	log->ring = NULL;
	log->cap = 0;
}

uint64_t evlog_add(struct evlog *log, enum evlog_kind kind, const char *subject,
		   const char *from, const char *to, const char *detail, uint64_t wall_us)
{
	struct evlog_entry *e = &log->ring[log->next_seq % log->cap];

	e->seq = log->next_seq++;
	e->wall_us = wall_us;
	e->kind = kind;
	snprintf(e->subject, sizeof(e->subject), "%s", subject ? subject : "");
	snprintf(e->from, sizeof(e->from), "%s", from ? from : "");
	snprintf(e->to, sizeof(e->to), "%s", to ? to : "");
	snprintf(e->detail, sizeof(e->detail), "%s", detail ? detail : "");
	return e->seq;
}

const struct evlog_entry *evlog_next(const struct evlog *log, uint64_t *cursor, uint64_t *lost)
{
	uint64_t oldest = log->next_seq > log->cap ? log->next_seq - log->cap : 1;

	*lost = 0;
	if (*cursor < oldest) {
		*lost = oldest - *cursor;
		*cursor = oldest;
	}
	if (*cursor >= log->next_seq)
		return NULL;
	return &log->ring[(*cursor)++ % log->cap];
}

const char *evlog_kind_name(enum evlog_kind kind)
{
	switch (kind) {
	case EVLOG_STATE:
		return "state";
	case EVLOG_PRIORITY:
		return "priority";
	case EVLOG_TRACKER:
		return "tracker";
	case EVLOG_MAINTENANCE:
		return "maintenance";
	case EVLOG_SWITCHOVER:
		return "switchover";
	}
	return "unknown";
}

/* "2026-11-30T05:42:25.123456Z" */
static void iso_time(uint64_t wall_us, char *buf, size_t size)
{
	time_t t = (time_t)(wall_us / USEC_PER_SEC);
	struct tm tm;
	char date[32];

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06lluZ", date, (unsigned long long)(wall_us % USEC_PER_SEC));
}

static size_t json_field(char *buf, size_t size, size_t off, const char *name, const char *val)
{
	char q[2 * EVLOG_DETAIL_MAX + 8];

	json_quote(q, sizeof(q), val);
	return off + (size_t)snprintf(off < size ? buf + off : NULL, off < size ? size - off : 0,
				      ",\"%s\":%s", name, q);
}

size_t evlog_format(const struct evlog_entry *e, bool json, char *buf, size_t size)
{
	char when[40];
	size_t off;

	iso_time(e->wall_us, when, sizeof(when));
	if (!json) {
		return (size_t)snprintf(buf, size, "%s %llu %s %s%s%s%s%s%s%s\n", when,
					(unsigned long long)e->seq, evlog_kind_name(e->kind),
					e->subject, e->from[0] || e->to[0] ? " " : "", e->from,
					e->from[0] ? " -> " : "", e->to, e->detail[0] ? ": " : "",
					e->detail);
	}
	off = (size_t)snprintf(buf, size, "{\"seq\":%llu,\"time\":\"%s\",\"kind\":\"%s\"",
			       (unsigned long long)e->seq, when, evlog_kind_name(e->kind));
	off = json_field(buf, size, off, "subject", e->subject);
	off = json_field(buf, size, off, "from", e->from);
	off = json_field(buf, size, off, "to", e->to);
	off = json_field(buf, size, off, "detail", e->detail);
	off += (size_t)snprintf(off < size ? buf + off : NULL, off < size ? size - off : 0, "}\n");
	return off;
}

size_t evlog_format_lost(uint64_t n, bool json, char *buf, size_t size)
{
	if (json)
		return (size_t)snprintf(buf, size, "{\"kind\":\"lost\",\"count\":%llu}\n",
					(unsigned long long)n);
	return (size_t)snprintf(buf, size,
				"lost %llu events: this reader did not keep up, the daemon moved on\n",
				(unsigned long long)n);
}
