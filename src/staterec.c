/*
 * staterec.c - encoding and validating the state record (see staterec.h).
 *
 * Layout, all integers big-endian:
 *   "VIPDSREC" u16 format u16 0 u32 total-length u32 pid u32 flags u32 ninsts
 *   per instance:
 *     u8 name-length, name, u8 family, u8 version, u8 vrid, u8 auth_type,
 *     8 auth bytes, u16 interval (cs), s32 ifindex, s32 vmac ifindex,
 *     6 vmac bytes, address source, u16 npeers, u32 nvips,
 *     npeers x address, nvips x (address, u8 prefix, u8 flags, s32 ifindex)
 *   u32 CRC-32 of everything before it
 * where an address is u8 family (4 or 6) and 4 or 16 bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staterec.h"

static const char magic[8] = { 'V', 'I', 'P', 'D', 'S', 'R', 'E', 'C' };

#define HEADER_LEN (8 + 2 + 2 + 4 + 4 + 4 + 4)
#define TRAILER_LEN 4
#define MAX_INTERVAL_CS 4095

uint32_t staterec_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
	}
	return ~crc;
}

/* ------------------------------------------------------------ encoding */

struct out {
	uint8_t *buf;
	size_t size;
	size_t len; /* may run past size: then only counted */
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->len + n <= o->size)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void put_u8(struct out *o, uint8_t v)
{
	put(o, &v, 1);
}

static void put_u16(struct out *o, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put(o, b, 2);
}

static void put_u32(struct out *o, uint32_t v)
{
	uint8_t b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

	put(o, b, 4);
}

static void put_addr(struct out *o, const struct ipaddr *a)
{
	put_u8(o, a->family == AF_INET6 ? 6 : 4);
	put(o, ipaddr_bytes(a), ipaddr_len(a));
}

static bool family_ok(sa_family_t f)
{
	return f == AF_INET || f == AF_INET6;
}

static bool inst_ok(const struct staterec_inst *in)
{
	if (!family_ok(in->family) || in->source.family != in->family ||
	    (in->version != 2 && in->version != 3) || in->vrid == 0 || in->adver_int_cs == 0 ||
	    in->adver_int_cs > MAX_INTERVAL_CS || in->ifindex <= 0 || in->vmac_ifindex < 0 ||
	    in->npeers > STATEREC_MAX_PEERS || strnlen(in->name, sizeof(in->name)) >= sizeof(in->name))
		return false;
	for (size_t i = 0; i < in->npeers; i++)
		if (in->peers[i].family != in->family)
			return false;
	for (size_t i = 0; i < in->nvips; i++) {
		const struct staterec_vip *v = &in->vips[i];

		if (!family_ok(v->addr.family) || v->ifindex <= 0 ||
		    v->prefix_len > ipaddr_len(&v->addr) * 8)
			return false;
	}
	return true;
}

ssize_t staterec_encode(const struct staterec *r, uint8_t *buf, size_t size, size_t *need)
{
	struct out o = { .buf = buf, .size = size };
	size_t nvips = 0;

	if (r->ninsts > STATEREC_MAX_INSTS)
		return -EINVAL;
	for (size_t i = 0; i < r->ninsts; i++) {
		if (!inst_ok(&r->insts[i]))
			return -EINVAL;
		nvips += r->insts[i].nvips;
	}
	if (nvips > STATEREC_MAX_VIPS)
		return -EINVAL;

	put(&o, magic, sizeof(magic));
	put_u16(&o, STATEREC_FORMAT);
	put_u16(&o, 0);
	put_u32(&o, 0); /* total length, filled below */
	put_u32(&o, r->pid);
	put_u32(&o, r->flags);
	put_u32(&o, (uint32_t)r->ninsts);
	for (size_t i = 0; i < r->ninsts; i++) {
		const struct staterec_inst *in = &r->insts[i];
		size_t nlen = strlen(in->name);

		put_u8(&o, (uint8_t)nlen);
		put(&o, in->name, nlen);
		put_u8(&o, in->family == AF_INET6 ? 6 : 4);
		put_u8(&o, in->version);
		put_u8(&o, in->vrid);
		put_u8(&o, in->auth_type);
		put(&o, in->auth_data, sizeof(in->auth_data));
		put_u16(&o, in->adver_int_cs);
		put_u32(&o, (uint32_t)in->ifindex);
		put_u32(&o, (uint32_t)in->vmac_ifindex);
		put(&o, in->vmac_mac, sizeof(in->vmac_mac));
		put_addr(&o, &in->source);
		put_u16(&o, (uint16_t)in->npeers);
		put_u32(&o, (uint32_t)in->nvips);
		for (size_t k = 0; k < in->npeers; k++)
			put_addr(&o, &in->peers[k]);
		for (size_t k = 0; k < in->nvips; k++) {
			put_addr(&o, &in->vips[k].addr);
			put_u8(&o, in->vips[k].prefix_len);
			put_u8(&o, in->vips[k].flags);
			put_u32(&o, (uint32_t)in->vips[k].ifindex);
		}
	}
	if (o.len + TRAILER_LEN > STATEREC_MAX_BYTES)
		return -EINVAL;
	if (need)
		*need = o.len + TRAILER_LEN;
	if (o.len + TRAILER_LEN > size)
		return -ENOSPC;
	{
		struct out at = { .buf = buf + 12, .size = 4 };

		put_u32(&at, (uint32_t)(o.len + TRAILER_LEN));
	}
	put_u32(&o, staterec_crc32(buf, o.len));
	return (ssize_t)o.len;
}

/* ------------------------------------------------------------ decoding */

struct in {
	const uint8_t *p;
	size_t len, off;
	char *why;
	size_t why_size;
	bool bad;
};

static bool fail(struct in *i, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct in *i, const char *fmt, ...)
{
	va_list ap;

	if (i->bad)
		return false;
	i->bad = true;
	va_start(ap, fmt);
	vsnprintf(i->why, i->why_size, fmt, ap);
	va_end(ap);
	return false;
}

static bool get(struct in *i, void *dst, size_t n)
{
	if (i->bad)
		return false;
	if (n > i->len - i->off)
		return fail(i, "truncated at byte %zu", i->off);
	memcpy(dst, i->p + i->off, n);
	i->off += n;
	return true;
}

static uint8_t get_u8(struct in *i)
{
	uint8_t v = 0;

	get(i, &v, 1);
	return v;
}

static uint16_t get_u16(struct in *i)
{
	uint8_t b[2] = { 0 };

	get(i, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t get_u32(struct in *i)
{
	uint8_t b[4] = { 0 };

	get(i, b, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static bool get_addr(struct in *i, struct ipaddr *a)
{
	uint8_t f = get_u8(i), bytes[16];
	size_t n = f == 6 ? 16 : 4;

	memset(a, 0, sizeof(*a));
	if (i->bad)
		return false;
	if (f != 4 && f != 6)
		return fail(i, "address family %u at byte %zu", f, i->off - 1);
	if (!get(i, bytes, n))
		return false;
	ipaddr_set(a, f == 6 ? AF_INET6 : AF_INET, bytes);
	return true;
}

static bool decode_inst(struct in *i, struct staterec_inst *in, size_t *vips_left)
{
	uint8_t nlen = get_u8(i), fam;
	size_t at = i->off;

	if (nlen >= sizeof(in->name))
		return fail(i, "instance name of %u bytes", nlen);
	get(i, in->name, nlen);
	in->name[nlen] = '\0';
	if (!i->bad && memchr(in->name, '\0', nlen))
		return fail(i, "instance name with a NUL byte at byte %zu", at);
	fam = get_u8(i);
	in->family = fam == 6 ? AF_INET6 : fam == 4 ? AF_INET : AF_UNSPEC;
	in->version = get_u8(i);
	in->vrid = get_u8(i);
	in->auth_type = get_u8(i);
	get(i, in->auth_data, sizeof(in->auth_data));
	in->adver_int_cs = get_u16(i);
	in->ifindex = (int32_t)get_u32(i);
	in->vmac_ifindex = (int32_t)get_u32(i);
	get(i, in->vmac_mac, sizeof(in->vmac_mac));
	get_addr(i, &in->source);
	in->npeers = get_u16(i);
	in->nvips = get_u32(i);
	if (i->bad)
		return false;
	if (in->npeers > STATEREC_MAX_PEERS || in->nvips > *vips_left)
		return fail(i, "instance %s: %zu peers and %zu VIPs exceed the bounds", in->name,
			    in->npeers, in->nvips);
	/* Every entry takes at least 5 bytes: never allocate for what is not there. */
	if ((in->npeers + in->nvips) * 5 > i->len - i->off)
		return fail(i, "instance %s: counts larger than the record", in->name);
	*vips_left -= in->nvips;
	in->peers = calloc(in->npeers + 1, sizeof(*in->peers));
	in->vips = calloc(in->nvips + 1, sizeof(*in->vips));
	if (!in->peers || !in->vips)
		return fail(i, "out of memory");
	for (size_t k = 0; k < in->npeers; k++)
		get_addr(i, &in->peers[k]);
	for (size_t k = 0; k < in->nvips; k++) {
		get_addr(i, &in->vips[k].addr);
		in->vips[k].prefix_len = get_u8(i);
		in->vips[k].flags = get_u8(i);
		in->vips[k].ifindex = (int32_t)get_u32(i);
	}
	if (i->bad)
		return false;
	if (!inst_ok(in))
		return fail(i, "instance %s: a field is out of range (family %u, version %u, VRID %u, interval %u cs, interface %d, macvlan %d)",
			    in->name, fam, in->version, in->vrid, in->adver_int_cs, in->ifindex,
			    in->vmac_ifindex);
	return true;
}

int staterec_decode(const uint8_t *buf, size_t len, struct staterec *out, char *why,
		    size_t why_size)
{
	struct in i = { .p = buf, .why = why, .why_size = why_size };
	uint8_t m[sizeof(magic)];
	uint32_t total, crc;
	uint16_t format;
	size_t vips_left = STATEREC_MAX_VIPS;

	memset(out, 0, sizeof(*out));
	if (why_size)
		why[0] = '\0';
	if (len < HEADER_LEN + TRAILER_LEN || len > STATEREC_MAX_BYTES) {
		fail(&i, "%zu bytes is not a possible length", len);
		return -EBADMSG;
	}
	i.len = len;
	get(&i, m, sizeof(m));
	if (memcmp(m, magic, sizeof(magic)) != 0) {
		fail(&i, "not a vipd state record");
		return -EBADMSG;
	}
	format = get_u16(&i);
	get_u16(&i);
	total = get_u32(&i);
	if (format != STATEREC_FORMAT) {
		fail(&i, "format %u, expected %u", format, STATEREC_FORMAT);
		return -EBADMSG;
	}
	if (total != len) {
		fail(&i, "says %u bytes, has %zu", total, len);
		return -EBADMSG;
	}
	crc = (uint32_t)buf[len - 4] << 24 | (uint32_t)buf[len - 3] << 16 |
	      (uint32_t)buf[len - 2] << 8 | buf[len - 1];
	if (crc != staterec_crc32(buf, len - TRAILER_LEN)) {
		fail(&i, "checksum mismatch");
		return -EBADMSG;
	}
	i.len = len - TRAILER_LEN;
	out->pid = get_u32(&i);
	out->flags = get_u32(&i);
	out->ninsts = get_u32(&i);
	if (out->ninsts > STATEREC_MAX_INSTS) {
		fail(&i, "%zu instances exceed the bound of %u", out->ninsts, STATEREC_MAX_INSTS);
		out->ninsts = 0;
		return -EBADMSG;
	}
	out->insts = calloc(out->ninsts + 1, sizeof(*out->insts));
	if (!out->insts) {
		out->ninsts = 0;
		return -ENOMEM;
	}
	for (size_t k = 0; k < out->ninsts; k++)
		if (!decode_inst(&i, &out->insts[k], &vips_left))
			break;
	if (!i.bad && i.off != i.len)
		fail(&i, "%zu bytes left over", i.len - i.off);
	if (i.bad) {
		staterec_free(out);
		return -EBADMSG;
	}
	return 0;
}

void staterec_free(struct staterec *r)
{
	for (size_t i = 0; r->insts && i < r->ninsts; i++) {
		free(r->insts[i].peers);
		free(r->insts[i].vips);
	}
	free(r->insts);
	memset(r, 0, sizeof(*r));
}
