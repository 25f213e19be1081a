/*
 * evstream.h - "vipctl events": control connections that stay open and get
 * every new event (evlog.h) as one line, in order. Writing never blocks
 * the daemon: each subscriber is written to only as far as its socket
 * takes, and one that falls behind the ring is told how many events it
 * lost and carries on from the oldest kept.
 */
#ifndef VIPD_EVSTREAM_H
#define VIPD_EVSTREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "evlog.h"

struct loop;
struct evstream;

#define EVSTREAM_MAX_SUBSCRIBERS 16

/* Serve subscribers from log (not owned) on loop. NULL without memory. */
struct evstream *evstream_new(struct loop *l, struct evlog *log);

/*
 * Hand a connected socket over (taken: closed by evstream on error, when
 * the reader goes away or at evstream_free). json picks the line format.
 * Returns 0, or -EBUSY when there are too many subscribers, or -errno; on
 * an error fd is left to the caller.
 */
int evstream_subscribe(struct evstream *es, int fd, bool json);

/* New events were added to the log: send them to whoever can take them. */
void evstream_flush(struct evstream *es);

/* Subscribers connected now; events told as lost so far (for metrics). */
unsigned evstream_subscribers(const struct evstream *es);
uint64_t evstream_lost_total(const struct evstream *es);

void evstream_free(struct evstream *es);

#endif
