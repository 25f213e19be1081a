/*
 * monitor.c - election watching for vipdump: who is master of each VRID,
 * and what is wrong with the virtual router, judged from adverts alone.
 *
 * In steady state VRRP has exactly one advertiser per VRID: backups are
 * silent (RFC 5798 6.4.2). So a second source advertising with a non-zero
 * priority, while the first keeps advertising too, is two masters; and a
 * VRID nobody advertises for longer than a backup waits
 * (Master_Down_Interval) has no master at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"
#include "vrrp.h"

static const char *const problem_names[MON_P_COUNT_BITS] = {
	"bad_ttl",           "bad_checksum",   "bad_length",
	"auth_mismatch",     "addrs_mismatch", "interval_mismatch",
	"version_mismatch",  "split_brain",    "silent",
};

static const char *const problem_texts[MON_P_COUNT_BITS] = {
	"TTL not 255",
	"bad checksum",
	"bad length",
	"authentication differs between routers",
	"address lists differ between routers",
	"advert intervals differ between routers",
	"VRRP versions differ between routers",
	"two masters at once",
	"no advert for 3 x interval + skew",
};

static int problem_index(unsigned bit)
{
	for (int i = 0; i < MON_P_COUNT_BITS; i++)
		if (bit == 1u << i)
			return i;
	return -1;
}

const char *mon_problem_name(unsigned bit)
{
	int i = problem_index(bit);

	return i < 0 ? NULL : problem_names[i];
}

const char *mon_problem_text(unsigned bit)
{
	int i = problem_index(bit);

	return i < 0 ? NULL : problem_texts[i];
}

const char *mon_verdict_name(enum mon_verdict v)
{
	switch (v) {
	case MON_OK:
		return "OK";
	case MON_WARNING:
		return "WARNING";
	case MON_CRITICAL:
		return "CRITICAL";
	case MON_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

void mon_init(struct mon *m)
{
	memset(m, 0, sizeof(*m));
}

void mon_release(struct mon *m)
{
	for (int vrid = 0; vrid < 256; vrid++)
		for (int f = 0; f < 2; f++)
			free(m->vrids[vrid][f]);
	memset(m, 0, sizeof(*m));
}

uint64_t mon_down_interval_us(uint8_t version, uint16_t interval_cs, uint8_t priority)
{
	return vrrp_master_down_us(version, priority, interval_cs);
}

bool mon_router_live(const struct mon_router *r, uint64_t now_us)
{
	if (now_us < r->last_us)
		return true;
	return now_us - r->last_us <= mon_down_interval_us(r->adv.version, r->adv.interval_cs,
							   r->adv.priority);
}

static bool router_contends(const struct mon_router *r, uint64_t now_us)
{
	return r->adv.priority != 0 && mon_router_live(r, now_us);
}

static int family_index(sa_family_t family)
{
	if (family == AF_INET)
		return 0;
	if (family == AF_INET6)
		return 1;
	return -1;
}

static struct mon_vrid *vrid_get(struct mon *m, uint8_t vrid, sa_family_t family)
{
	int f = family_index(family);
	struct mon_vrid *v;

	if (f < 0)
		return NULL;
	v = m->vrids[vrid][f];
	if (v)
		return v;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->vrid = vrid;
	v->family = family;
	v->master = -1;
	v->changes = MON_CHG_NEW;
	m->vrids[vrid][f] = v;
	m->nvrids++;
	return v;
}

/* The router with this source, a fresh slot, or the longest silent one. */
static struct mon_router *router_get(struct mon_vrid *v, const struct ipaddr *src)
{
	struct mon_router *r;
	unsigned oldest = 0;

	for (unsigned i = 0; i < v->nrouters; i++) {
		if (ipaddr_equal(&v->routers[i].src, src))
			return &v->routers[i];
		if (v->routers[i].last_us < v->routers[oldest].last_us)
			oldest = i;
	}
	if (v->nrouters < MON_MAX_ROUTERS)
		r = &v->routers[v->nrouters++];
	else
		r = &v->routers[oldest];
	if ((int)(r - v->routers) == v->master)
		v->master = -1;
	memset(r, 0, sizeof(*r));
	r->src = *src;
	return r;
}

bool mon_same_addrs(const struct vrrp_advert *a, const struct vrrp_advert *b)
{
	if (a->naddr != b->naddr)
		return false;
	for (unsigned i = 0; i < a->naddr; i++) {
		bool found = false;

		for (unsigned j = 0; j < b->naddr && !found; j++)
			found = ipaddr_equal(&a->addrs[i], &b->addrs[j]);
		if (!found)
			return false;
	}
	return true;
}

/* How two routers' adverts disagree, as MON_P_MISMATCH bits. */
static unsigned adverts_mismatch(const struct vrrp_advert *a, const struct vrrp_advert *b)
{
	unsigned p = 0;

	if (a->version != b->version)
		return MON_P_VERSION;
	if (a->interval_cs != b->interval_cs)
		p |= MON_P_INTERVAL;
	if (!mon_same_addrs(a, b))
		p |= MON_P_ADDRS;
	if (a->version == 2 && (a->auth_type != b->auth_type ||
				memcmp(a->auth_data, b->auth_data, sizeof(a->auth_data))))
		p |= MON_P_AUTH;
	return p;
}

static bool router_remembered(const struct mon_router *r, uint64_t now_us)
{
	return now_us < r->last_us || now_us - r->last_us <= MON_FORGET_US;
}

/* Mismatches of router r with the other routers still remembered. */
static unsigned router_mismatch(const struct mon_vrid *v, const struct mon_router *r,
				uint64_t now_us)
{
	unsigned p = 0;

	for (unsigned i = 0; i < v->nrouters; i++) {
		const struct mon_router *o = &v->routers[i];

		if (o == r || !router_remembered(o, now_us))
			continue;
		p |= adverts_mismatch(&r->adv, &o->adv);
	}
	return p;
}

static bool other_contends(const struct mon_vrid *v, const struct mon_router *r, uint64_t now_us)
{
	for (unsigned i = 0; i < v->nrouters; i++)
		if (&v->routers[i] != r && router_contends(&v->routers[i], now_us))
			return true;
	return false;
}

static void count_defects(struct mon_vrid *v, unsigned defects, uint64_t now_us)
{
	if (defects & MON_P_TTL) {
		v->bad_ttl++;
		v->defect_us[0] = now_us;
	}
	if (defects & MON_P_CHECKSUM) {
		v->bad_checksum++;
		v->defect_us[1] = now_us;
	}
	if (defects & MON_P_LENGTH) {
		v->bad_length++;
		v->defect_us[2] = now_us;
	}
}

int mon_advert(struct mon *m, const struct mon_obs *obs)
{
	const struct vrrp_advert *adv = obs->adv;
	struct mon_router *r;
	struct mon_vrid *v;

	if (!adv || adv->vrid == 0 || family_index(obs->src.family) < 0)
		return -EINVAL;
	v = vrid_get(m, adv->vrid, obs->src.family);
	if (!v)
		return -ENOMEM;
	r = router_get(v, &obs->src);
	/* Counted before r is updated: r's own previous advert is no rival. */
	if (adv->priority != 0 && other_contends(v, r, obs->now_us))
		r->overlap++;
	else
		r->overlap = 0;
	r->adv = *adv;
	if (!r->adverts)
		r->first_us = obs->now_us;
	r->last_us = obs->now_us;
	r->adverts++;
	v->last_us = obs->now_us;
	v->adverts++;
	m->adverts++;
	v->rate_us[v->nrate++ % MON_RATE_SAMPLES] = obs->now_us;
	count_defects(v, obs->defects & MON_P_WIRE, obs->now_us);
	return (int)((obs->defects & MON_P_WIRE) | router_mismatch(v, r, obs->now_us));
}

void mon_malformed(struct mon *m)
{
	m->malformed++;
}

/* RFC 5798 6.4.3: higher priority wins, then the higher primary address. */
static bool router_beats(const struct mon_router *a, const struct mon_router *b)
{
	if (a->adv.priority != b->adv.priority)
		return a->adv.priority > b->adv.priority;
	return ipaddr_cmp(&a->src, &b->src) > 0;
}

/*
 * The master shown: the best live router with a non-zero priority. When
 * none is live (silence, or the master resigned and nobody took over yet)
 * the last one shown stays, so the table says who went quiet.
 */
static void elect(struct mon_vrid *v, uint64_t now_us)
{
	int best = -1;

	for (unsigned i = 0; i < v->nrouters; i++) {
		const struct mon_router *r = &v->routers[i];

		if (!router_contends(r, now_us))
			continue;
		if (best < 0 || router_beats(r, &v->routers[best]))
			best = (int)i;
	}
	if (best >= 0)
		v->master = best;
}

/*
 * Two live routers that each kept advertising while the other did; noted
 * best first (as the election would rank them) so reports are stable.
 */
static bool find_split(struct mon_vrid *v, uint64_t now_us)
{
	const struct mon_router *a = NULL, *b = NULL;

	for (unsigned i = 0; i < v->nrouters; i++) {
		const struct mon_router *r = &v->routers[i];

		if (!router_contends(r, now_us) || r->overlap < MON_SPLIT_MIN_ADVERTS)
			continue;
		if (!a || router_beats(r, a)) {
			b = a;
			a = r;
		} else if (!b || router_beats(r, b)) {
			b = r;
		}
	}
	if (!b)
		return false;
	v->split[0] = a->src;
	v->split_prio[0] = a->adv.priority;
	v->split[1] = b->src;
	v->split_prio[1] = b->adv.priority;
	return true;
}

static unsigned vrid_alarms(struct mon_vrid *v, uint64_t now_us)
{
	static const unsigned defect_bits[3] = { MON_P_TTL, MON_P_CHECKSUM, MON_P_LENGTH };
	const uint64_t defect_counts[3] = { v->bad_ttl, v->bad_checksum, v->bad_length };
	const struct mon_router *last = NULL;
	unsigned alarms = 0;

	for (unsigned i = 0; i < v->nrouters; i++) {
		const struct mon_router *r = &v->routers[i];

		if (router_remembered(r, now_us))
			alarms |= router_mismatch(v, r, now_us);
		if (!last || r->last_us > last->last_us)
			last = r;
	}
	if (find_split(v, now_us))
		alarms |= MON_P_SPLIT_BRAIN;
	if (last && !mon_router_live(last, now_us))
		alarms |= MON_P_SILENT;
	for (int i = 0; i < 3; i++)
		if (defect_counts[i] && now_us >= v->defect_us[i] &&
		    now_us - v->defect_us[i] <= MON_DEFECT_HOLD_US)
			alarms |= defect_bits[i];
	return alarms;
}

static void vrid_update(struct mon_vrid *v, uint64_t now_us)
{
	const struct mon_router *master;
	unsigned alarms;

	elect(v, now_us);
	master = mon_master(v);
	if (master && (!ipaddr_equal(&master->src, &v->prev_master) ||
		       master->adv.priority != v->prev_prio)) {
		v->changes |= MON_CHG_MASTER;
		v->prev_master = master->src;
		v->prev_prio = master->adv.priority;
	}
	alarms = vrid_alarms(v, now_us);
	if (alarms != v->alarms) {
		v->changes |= MON_CHG_ALARMS;
		v->raised |= alarms & ~v->alarms;
		v->cleared |= v->alarms & ~alarms;
	}
	v->alarms = alarms;
	v->seen_alarms |= alarms;
}

void mon_update(struct mon *m, uint64_t now_us)
{
	for (struct mon_vrid *v = mon_next(m, NULL); v; v = mon_next(m, v))
		vrid_update(v, now_us);
}

struct mon_vrid *mon_next(const struct mon *m, const struct mon_vrid *prev)
{
	int vrid = 0, f = 0;

	if (prev) {
		vrid = prev->vrid;
		f = family_index(prev->family) + 1;
	}
	for (; vrid < 256; vrid++, f = 0)
		for (; f < 2; f++)
			if (m->vrids[vrid][f])
				return m->vrids[vrid][f];
	return NULL;
}

const struct mon_router *mon_master(const struct mon_vrid *v)
{
	return v->master < 0 ? NULL : &v->routers[v->master];
}

double mon_rate(const struct mon_vrid *v)
{
	unsigned n = v->nrate < MON_RATE_SAMPLES ? v->nrate : MON_RATE_SAMPLES;
	uint64_t newest, oldest;

	if (n < 2)
		return 0;
	newest = v->rate_us[(v->nrate - 1) % MON_RATE_SAMPLES];
	oldest = v->rate_us[(v->nrate - n) % MON_RATE_SAMPLES];
	if (newest <= oldest)
		return 0;
	return (double)(n - 1) * 1e6 / (double)(newest - oldest);
}

enum mon_verdict mon_verdict(const struct mon *m)
{
	unsigned seen = 0;

	for (struct mon_vrid *v = mon_next(m, NULL); v; v = mon_next(m, v))
		seen |= v->seen_alarms;
	if (!m->adverts || (seen & MON_P_CRITICAL))
		return MON_CRITICAL;
	if (seen || m->malformed)
		return MON_WARNING;
	return MON_OK;
}
