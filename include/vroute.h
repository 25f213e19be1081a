/*
 * vroute.h - keepalived's virtual_routes and virtual_rules lines, read
 * into routes and rules the daemon installs while an instance is master.
 * Pure: words in, a structure or a message out; no sockets.
 *
 * Route: [src ADDR] [to] PREFIX | TYPE PREFIX, then in any order:
 *   via|gw ADDR [or ADDR], dev IF, src ADDR, table N|main|local|default,
 *   metric|priority|preference N, scope NAME|N, proto|protocol NAME|N,
 *   onlink, no_track, inet6, add|append|prepend (accepted, no effect)
 *   TYPE: blackhole, unreachable, prohibit, throw (also "type TYPE")
 * Rule: in any order: from PREFIX|all, to PREFIX|all, table|lookup N,
 *   pref|preference|priority N, iif|oif IF, fwmark N[/MASK], tos N,
 *   blackhole|unreachable|prohibit, no_track, inet6
 */
#ifndef VIPD_VROUTE_H
#define VIPD_VROUTE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

#define VROUTE_NEXTHOPS_MAX 2 /* "via A or B" */

struct vroute {
	sa_family_t family;
	uint8_t type;  /* RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT, RTN_THROW */
	struct ipaddr dst;
	uint8_t dst_len;
	struct ipaddr src; /* preferred source; AF_UNSPEC = none */
	struct ipaddr via[VROUTE_NEXTHOPS_MAX];
	size_t nvia;
	char dev[IF_NAMESIZE]; /* "" = the instance's interface (when there is no via) */
	uint32_t table;        /* RT_TABLE_MAIN by default */
	uint32_t metric;
	bool metric_set;
	int scope;    /* RT_SCOPE_*; -1: the kernel's choice from the route */
	uint8_t protocol; /* RTPROT_*; RTPROT_BOOT by default, as ip route */
	bool onlink;
	bool no_track;
};

struct vrule {
	sa_family_t family;
	struct ipaddr from, to; /* AF_UNSPEC = all */
	uint8_t from_len, to_len;
	uint32_t table;         /* for FR_ACT_TO_TBL */
	uint8_t action;         /* FR_ACT_TO_TBL, FR_ACT_BLACKHOLE, ... */
	uint32_t priority;
	bool priority_set;
	char iif[IF_NAMESIZE], oif[IF_NAMESIZE];
	uint32_t fwmark, fwmask;
	bool fwmark_set;
	uint8_t tos;
	bool no_track;
};

/*
 * Parse the words of one line. On error returns -1 with a message in err
 * and *bad the index of the word it is about.
 */
int vroute_parse(const char *const *w, size_t n, struct vroute *r, char *err, size_t size,
		 size_t *bad);
int vrule_parse(const char *const *w, size_t n, struct vrule *r, char *err, size_t size,
		size_t *bad);

/* The same route or rule (as the kernel would see it)? For a reload's diff. */
bool vroute_equal(const struct vroute *a, const struct vroute *b);
bool vrule_equal(const struct vrule *a, const struct vrule *b);

/* "192.0.2.0/24 via 198.51.100.1 dev eth0 table 100" for messages. */
const char *vroute_str(const struct vroute *r, char *buf, size_t size);
const char *vrule_str(const struct vrule *r, char *buf, size_t size);

#endif
