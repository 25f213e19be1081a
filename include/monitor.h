/*
 * monitor.h - the pure part of vipdump (prefix mon_): watching VRRP elections from the
 * adverts seen on a link. Decoded adverts and their capture times go in; per
 * VRID state (who is master, who else spoke) and alarms (split brain,
 * silence, routers that disagree, damaged adverts) come out.
 *
 * No sockets, no clocks, no output. Time is microseconds on any clock that
 * does not jump (capture timestamps or CLOCK_MONOTONIC): only differences
 * matter.
 */
#ifndef VIPD_MONITOR_H
#define VIPD_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "ipaddr.h"
#include "packet.h"
#include "timeunit.h"

/* Routers remembered per VRID; when full, the longest silent is replaced. */
#define MON_MAX_ROUTERS 8
/* Advert times kept per VRID to measure the advert rate. */
#define MON_RATE_SAMPLES 16
/*
 * Adverts each of two live sources must send while the other is live before
 * it is a split brain: one overlapping advert is the normal race when a
 * higher priority router preempts (the old master's timer fires before the
 * new master's advert reaches it).
 */
#define MON_SPLIT_MIN_ADVERTS 2
/* A router unheard for this long is forgotten (its mismatches with it). */
#define MON_FORGET_US (300 * USEC_PER_SEC)
/* A damaged advert keeps its alarm raised this long. */
#define MON_DEFECT_HOLD_US MON_FORGET_US

/*
 * Problems, as bits. The first group is what one advert can carry (the
 * decoder finds TTL, checksum and length; the monitor finds disagreement with
 * other routers of its VRID); all of them can be alarms of a VRID.
 */
enum mon_problem {
	MON_P_TTL = 1u << 0,        /* TTL / hop limit not 255 */
	MON_P_CHECKSUM = 1u << 1,   /* checksum wrong */
	MON_P_LENGTH = 1u << 2,     /* bytes after the message (IP length too long) */
	MON_P_AUTH = 1u << 3,       /* v2 authentication differs between routers */
	MON_P_ADDRS = 1u << 4,      /* address lists differ between routers */
	MON_P_INTERVAL = 1u << 5,   /* advert intervals differ between routers */
	MON_P_VERSION = 1u << 6,    /* VRRP versions differ between routers */
	MON_P_SPLIT_BRAIN = 1u << 7, /* two live masters */
	MON_P_SILENT = 1u << 8,     /* no advert for 3 x interval + skew */
	MON_P_COUNT_BITS = 9,
};

#define MON_P_WIRE (MON_P_TTL | MON_P_CHECKSUM | MON_P_LENGTH)
#define MON_P_MISMATCH (MON_P_AUTH | MON_P_ADDRS | MON_P_INTERVAL | MON_P_VERSION)
#define MON_P_CRITICAL (MON_P_SPLIT_BRAIN | MON_P_SILENT)

/* "bad_ttl", "split_brain", ... for one bit; NULL for anything else. */
const char *mon_problem_name(unsigned bit);
/* "TTL not 255", "split brain", ... for one bit; NULL for anything else. */
const char *mon_problem_text(unsigned bit);

/* Nagios plugin states; the numbers are the exit codes. */
enum mon_verdict {
	MON_OK = 0,
	MON_WARNING = 1,
	MON_CRITICAL = 2,
	MON_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *mon_verdict_name(enum mon_verdict v);

/* What changed in a VRID since the caller last cleared mon_vrid.changes. */
enum mon_change {
	MON_CHG_NEW = 1u << 0,    /* first advert for this VRID */
	MON_CHG_MASTER = 1u << 1, /* master address or its priority changed */
	MON_CHG_ALARMS = 1u << 2, /* the set of current alarms changed */
};

/* One advert as the capture saw it. */
struct mon_obs {
	uint64_t now_us;
	struct ipaddr src;
	unsigned defects; /* MON_P_WIRE bits the decoder found */
	const struct vrrp_advert *adv;
};

struct mon_router {
	struct ipaddr src;
	struct vrrp_advert adv; /* its last advert */
	uint64_t first_us;
	uint64_t last_us;
	uint64_t adverts;
	unsigned overlap; /* adverts in a row sent while another source was live */
};

struct mon_vrid {
	uint8_t vrid;
	sa_family_t family;
	struct mon_router routers[MON_MAX_ROUTERS];
	unsigned nrouters;
	int master;            /* index in routers[], -1 before any live advert */
	uint64_t last_us;      /* last advert from any router */
	unsigned alarms;       /* mon_problem bits raised now */
	unsigned seen_alarms;  /* every bit raised since start (sticky) */
	unsigned changes;      /* mon_change bits; the caller clears them */
	unsigned raised;       /* alarm bits raised since the caller cleared them */
	unsigned cleared;      /* alarm bits cleared since the caller cleared them */
	uint64_t adverts;
	uint64_t bad_ttl;
	uint64_t bad_checksum;
	uint64_t bad_length;
	uint64_t defect_us[3]; /* last advert with TTL / checksum / length bit */
	struct ipaddr split[2];   /* the two masters of the last split brain */
	uint8_t split_prio[2];
	struct ipaddr prev_master; /* for MON_CHG_MASTER */
	uint8_t prev_prio;
	uint64_t rate_us[MON_RATE_SAMPLES]; /* ring of advert times */
	unsigned nrate;
};

struct mon {
	struct mon_vrid *vrids[256][2]; /* by VRID, then IPv4 / IPv6 */
	unsigned nvrids;
	uint64_t adverts;
	uint64_t malformed;
};

void mon_init(struct mon *m);
void mon_release(struct mon *m);

/*
 * Take one decoded advert. Returns its problems (the wire defects given plus
 * the mismatches with other routers of the VRID), or -ENOMEM, or -EINVAL
 * for an advert without a VRID or family.
 */
int mon_advert(struct mon *m, const struct mon_obs *obs);

/* Count a packet the codec refused. */
void mon_malformed(struct mon *m);

/*
 * Bring every VRID to time now_us: age out routers, elect the master shown,
 * raise and clear alarms, note changes. Call it before and after each advert
 * and periodically (a VRID only becomes silent here).
 */
void mon_update(struct mon *m, uint64_t now_us);

/* Iterate VRIDs by number, IPv4 first: pass NULL to start; NULL at the end. */
struct mon_vrid *mon_next(const struct mon *m, const struct mon_vrid *prev);

/* The master (router shown as master) of a VRID, or NULL. */
const struct mon_router *mon_master(const struct mon_vrid *v);

/* Whether a router's last advert is younger than its master down interval. */
bool mon_router_live(const struct mon_router *r, uint64_t now_us);

/*
 * Master_Down_Interval (3 x interval + Skew_Time) for an advert with this
 * version, interval and priority, in microseconds: RFC 5798 6.1 for version
 * 3, RFC 3768 6.1 (Skew_Time not scaled by the interval) for version 2.
 */
uint64_t mon_down_interval_us(uint8_t version, uint16_t interval_cs, uint8_t priority);

/* Adverts per second over the recent adverts of a VRID (0 with fewer than 2). */
double mon_rate(const struct mon_vrid *v);

/*
 * Verdict over everything seen since start: CRITICAL for a split brain or a
 * silent VRID or no advert at all, WARNING for mismatches, damaged or
 * malformed adverts, else OK.
 */
enum mon_verdict mon_verdict(const struct mon *m);

/* Whether two adverts carry the same set of addresses (order ignored). */
bool mon_same_addrs(const struct vrrp_advert *a, const struct vrrp_advert *b);

#endif
