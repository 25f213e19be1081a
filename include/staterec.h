/*
 * staterec.h - the state record: what a dead daemon was master of, for the
 * guard to resign and clean up after it. The daemon rewrites the record
 * (atomically, by rename) whenever an instance starts or stops holding its
 * virtual addresses; the guard reads it only after the daemon died.
 *
 * The format is the daemon's own and changes with it: a fixed magic and a
 * format version, every count bounded, a CRC-32 over the whole. Pure: no
 * I/O. The decoder trusts nothing in the buffer.
 */
#ifndef VIPD_STATEREC_H
#define VIPD_STATEREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipaddr.h"

#define STATEREC_FORMAT 1
#define STATEREC_MAX_INSTS 4096       /* far above 255 VRIDs x 2 families x a few links */
#define STATEREC_MAX_PEERS 255
#define STATEREC_MAX_VIPS (1u << 20)  /* all instances together */
#define STATEREC_MAX_BYTES (64u << 20)
#define STATEREC_NAME_MAX 64

/* The daemon stopped cleanly (it resigned and removed everything itself). */
#define STATEREC_CLEAN 0x1u

#define STATEREC_VIP_ADVERTISED 0x1u /* listed in adverts (not an excluded VIP) */

struct staterec_vip {
	struct ipaddr addr;
	uint8_t prefix_len;
	uint8_t flags;        /* STATEREC_VIP_* */
	int32_t ifindex;      /* the interface it was put on */
};

/* One instance that holds (or is putting in) its virtual addresses. */
struct staterec_inst {
	char name[STATEREC_NAME_MAX];
	uint8_t family;       /* AF_INET or AF_INET6 */
	uint8_t version;      /* 2 or 3 */
	uint8_t vrid;         /* 1..255 */
	uint8_t auth_type;    /* v2 */
	uint8_t auth_data[8]; /* v2 */
	uint16_t adver_int_cs; /* 1..4095 */
	int32_t ifindex;      /* where adverts go out */
	int32_t vmac_ifindex; /* its macvlan, 0 when none */
	uint8_t vmac_mac[6];
	struct ipaddr source; /* advert source address */
	struct ipaddr *peers; /* unicast peers; none: multicast */
	size_t npeers;
	struct staterec_vip *vips;
	size_t nvips;
};

struct staterec {
	uint32_t pid;         /* the daemon that wrote it */
	uint32_t flags;       /* STATEREC_CLEAN */
	struct staterec_inst *insts;
	size_t ninsts;
};

/*
 * Encode r into buf (size bytes). Returns the length, or -ENOSPC with the
 * length needed in *need (when need is not NULL), or -EINVAL when r breaks
 * a bound the decoder enforces.
 */
ssize_t staterec_encode(const struct staterec *r, uint8_t *buf, size_t size, size_t *need);

/*
 * Decode and validate a record. On success returns 0 and fills out (free it
 * with staterec_free); otherwise returns -EBADMSG (or -ENOMEM) with the
 * reason in why and out left empty.
 */
int staterec_decode(const uint8_t *buf, size_t len, struct staterec *out, char *why,
		    size_t why_size);

void staterec_free(struct staterec *r);

/* CRC-32 (IEEE 802.3, as zlib), for the trailer. */
uint32_t staterec_crc32(const uint8_t *p, size_t len);

#endif
