/*
 * evlog.h - the daemon's recent events (state, priority and tracker
 * changes, maintenance, switchover) in a ring with sequence numbers, and
 * their one-line text and JSON forms, for "vipctl events". Pure: readers
 * keep their own cursor, and a reader the ring has overtaken learns how
 * many events it lost instead of holding anything up.
 */
#ifndef VIPD_EVLOG_H
#define VIPD_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVLOG_SUBJECT_MAX 80
#define EVLOG_WORD_MAX 16
#define EVLOG_DETAIL_MAX 200
#define EVLOG_LINE_MAX 512

enum evlog_kind {
	EVLOG_STATE,       /* subject: instance; from/to: state names */
	EVLOG_PRIORITY,    /* subject: instance; from/to: effective priorities */
	EVLOG_TRACKER,     /* subject: "vrrp_script NAME", ...; from/to: up, down */
	EVLOG_MAINTENANCE, /* subject: instance; from/to: off, on */
	EVLOG_SWITCHOVER,  /* subject: instance; to: requested, done, failed */
};

struct evlog_entry {
	uint64_t seq;     /* 1, 2, ...: gapless */
	uint64_t wall_us; /* wall clock, microseconds since the epoch */
	enum evlog_kind kind;
	char subject[EVLOG_SUBJECT_MAX];
	char from[EVLOG_WORD_MAX];
	char to[EVLOG_WORD_MAX];
	char detail[EVLOG_DETAIL_MAX];
};

struct evlog {
	struct evlog_entry *ring;
	size_t cap;
	uint64_t next_seq; /* the sequence number the next event gets */
};

/* A ring of cap events. Returns 0 or -ENOMEM. */
int evlog_init(struct evlog *log, size_t cap);
void evlog_free(struct evlog *log);

/* Record an event (strings may be NULL: empty); returns its sequence number. */
uint64_t evlog_add(struct evlog *log, enum evlog_kind kind, const char *subject,
		   const char *from, const char *to, const char *detail, uint64_t wall_us);

/* The sequence number a new reader starts at to see only what comes next. */
static inline uint64_t evlog_end(const struct evlog *log)
{
	return log->next_seq;
}

/*
 * The event at *cursor, or NULL when the reader is up to date. When the
 * ring has already overwritten events the reader had not seen, *lost gets
 * how many (else 0) and the reader resumes at the oldest one kept. The
 * cursor moves past the event returned.
 */
const struct evlog_entry *evlog_next(const struct evlog *log, uint64_t *cursor, uint64_t *lost);

const char *evlog_kind_name(enum evlog_kind kind);

/*
 * One line, '\n' included, like snprintf (returns the full length):
 *   2026-11-30T05:42:25.123456Z 17 state web BACKUP -> MASTER: no advert ...
 * or with json one object:
 *   {"seq":17,"time":"...","kind":"state","subject":"web","from":"BACKUP",...}
 */
size_t evlog_format(const struct evlog_entry *e, bool json, char *buf, size_t size);

/* The line that tells a reader it lost n events. */
size_t evlog_format_lost(uint64_t n, bool json, char *buf, size_t size);

#endif
