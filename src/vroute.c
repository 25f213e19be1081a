/*
 * vroute.c - virtual_routes and virtual_rules lines (see vroute.h). The
 * words mean what they mean to ip route / ip rule, as keepalived reads
 * them; anything else is an error naming the word.
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vroute.h"

struct name_val {
	const char *name;
	unsigned val;
};

static const struct name_val route_types[] = {
	{ "unicast", RTN_UNICAST },     { "blackhole", RTN_BLACKHOLE },
	{ "unreachable", RTN_UNREACHABLE }, { "prohibit", RTN_PROHIBIT },
	{ "throw", RTN_THROW },
};

static const struct name_val scopes[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
	{ "site", RT_SCOPE_SITE },       { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST },       { "nowhere", RT_SCOPE_NOWHERE },
};

static const struct name_val protos[] = {
	{ "redirect", RTPROT_REDIRECT }, { "kernel", RTPROT_KERNEL }, { "boot", RTPROT_BOOT },
	{ "static", RTPROT_STATIC },     { "ra", RTPROT_RA },         { "dhcp", RTPROT_DHCP },
	{ "keepalived", 18 },           { "bird", RTPROT_BIRD },     { "zebra", RTPROT_ZEBRA },
};

static const struct name_val tables[] = {
	{ "main", RT_TABLE_MAIN }, { "local", RT_TABLE_LOCAL }, { "default", RT_TABLE_DEFAULT },
};

static const struct name_val rule_actions[] = {
	{ "blackhole", FR_ACT_BLACKHOLE },
	{ "unreachable", FR_ACT_UNREACHABLE },
	{ "prohibit", FR_ACT_PROHIBIT },
};

#define NV_FIND(tab, s) nv_find(tab, sizeof(tab) / sizeof(tab[0]), s)

static const struct name_val *nv_find(const struct name_val *t, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, s) == 0)
			return &t[i];
	return NULL;
}

__attribute__((format(printf, 5, 6)))
static int fail(char *err, size_t size, size_t *bad, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	*bad = i;
	return -1;
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!s[0] || s[0] == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A number, or one of the names of t. */
static bool parse_named(const char *s, const struct name_val *t, size_t n, uint32_t max,
			uint32_t *out)
{
	const struct name_val *nv = nv_find(t, n, s);

	if (nv) {
		*out = nv->val;
		return true;
	}
	return parse_u32(s, max, out);
}

/* "default" / "all" or ADDR[/LEN]; the family must agree with *family once set. */
static bool parse_prefix(const char *s, sa_family_t *family, struct ipaddr *a, uint8_t *len)
{
	if (strcmp(s, "default") == 0 || strcmp(s, "all") == 0) {
		memset(a, 0, sizeof(*a));
		*len = 0;
		return true;
	}
	if (ipaddr_parse(s, a, len) < 0)
		return false;
	if (*family != AF_UNSPEC && *family != a->family)
		return false;
	*family = a->family;
	return true;
}

static bool parse_addr(const char *s, sa_family_t *family, struct ipaddr *a)
{
	if (ipaddr_parse(s, a, NULL) < 0)
		return false;
	if (*family != AF_UNSPEC && *family != a->family)
		return false;
	*family = a->family;
	return true;
}

#define NEED_ARG(kw)                                                                     \
	do {                                                                             \
		if (i + 1 >= n)                                                          \
			return fail(err, size, bad, i, "%s: expected a value after it", kw); \
	} while (0)

int vroute_parse(const char *const *w, size_t n, struct vroute *r, char *err, size_t size,
		 size_t *bad)
{
	bool have_dst = false;
	const struct name_val *nv;
	uint32_t v;

	memset(r, 0, sizeof(*r));
	r->type = RTN_UNICAST;
	r->table = RT_TABLE_MAIN;
	r->scope = -1;
	r->protocol = RTPROT_BOOT;
	for (size_t i = 0; i < n; i++) {
		const char *k = w[i];

		if (strcmp(k, "src") == 0) {
			NEED_ARG(k);
			if (!parse_addr(w[++i], &r->family, &r->src))
				return fail(err, size, bad, i, "src: expected an address of the "
					    "route's family, got %s", w[i]);
		} else if (strcmp(k, "to") == 0) {
			NEED_ARG(k);
			if (!parse_prefix(w[++i], &r->family, &r->dst, &r->dst_len))
				return fail(err, size, bad, i, "to: expected ADDRESS/PREFIX, got %s",
					    w[i]);
			have_dst = true;
		} else if (strcmp(k, "via") == 0 || strcmp(k, "gw") == 0 || strcmp(k, "or") == 0) {
			NEED_ARG(k);
			if ((strcmp(k, "or") == 0) != (r->nvia > 0) || r->nvia >= VROUTE_NEXTHOPS_MAX)
				return fail(err, size, bad, i, "%s: expected 'via ADDRESS [or "
					    "ADDRESS]'", k);
			if (!parse_addr(w[++i], &r->family, &r->via[r->nvia]))
				return fail(err, size, bad, i, "%s: expected a gateway address of "
					    "the route's family, got %s", k, w[i]);
			r->nvia++;
		} else if (strcmp(k, "dev") == 0 || strcmp(k, "oif") == 0) {
			NEED_ARG(k);
			if (strlen(w[++i]) >= sizeof(r->dev) || !w[i][0])
				return fail(err, size, bad, i, "dev: '%s' is not an interface name",
					    w[i]);
			strcpy(r->dev, w[i]);
		} else if (strcmp(k, "table") == 0) {
			NEED_ARG(k);
			if (!parse_named(w[++i], tables, 3, UINT32_MAX, &r->table) || !r->table)
				return fail(err, size, bad, i, "table: expected a table number or "
					    "main, local, default, got %s", w[i]);
		} else if (strcmp(k, "metric") == 0 || strcmp(k, "priority") == 0 ||
			   strcmp(k, "preference") == 0) {
			NEED_ARG(k);
			if (!parse_u32(w[++i], UINT32_MAX, &r->metric))
				return fail(err, size, bad, i, "%s: expected a number, got %s", k,
					    w[i]);
			r->metric_set = true;
		} else if (strcmp(k, "scope") == 0) {
			NEED_ARG(k);
			if (!parse_named(w[++i], scopes, 6, 255, &v))
				return fail(err, size, bad, i, "scope: expected global, site, link, "
					    "host, nowhere or a number, got %s", w[i]);
			r->scope = (int)v;
		} else if (strcmp(k, "proto") == 0 || strcmp(k, "protocol") == 0) {
			NEED_ARG(k);
			if (!parse_named(w[++i], protos, sizeof(protos) / sizeof(protos[0]), 255, &v))
				return fail(err, size, bad, i, "%s: expected a protocol name or "
					    "number, got %s", k, w[i]);
			r->protocol = (uint8_t)v;
		} else if (strcmp(k, "type") == 0) {
			NEED_ARG(k);
			if (!(nv = NV_FIND(route_types, w[++i])))
				return fail(err, size, bad, i, "type: expected unicast, blackhole, "
					    "unreachable, prohibit or throw, got %s", w[i]);
			r->type = (uint8_t)nv->val;
		} else if ((nv = NV_FIND(route_types, k))) {
			r->type = (uint8_t)nv->val;
		} else if (strcmp(k, "onlink") == 0) {
			r->onlink = true;
		} else if (strcmp(k, "no_track") == 0) {
			r->no_track = true;
		} else if (strcmp(k, "inet6") == 0) {
			if (r->family == AF_INET)
				return fail(err, size, bad, i, "inet6: the route is IPv4");
			r->family = AF_INET6;
		} else if (strcmp(k, "add") == 0 || strcmp(k, "append") == 0 ||
			   strcmp(k, "prepend") == 0) {
			/* keepalived's choice among ip route's verbs: one route each way. */
		} else if (!have_dst && parse_prefix(k, &r->family, &r->dst, &r->dst_len)) {
			have_dst = true;
		} else {
			return fail(err, size, bad, i, "unknown route option '%s' (vipd reads src, "
				    "to, via/gw [or], dev, table, metric, scope, proto, onlink, "
				    "no_track, blackhole, unreachable, prohibit, throw)", k);
		}
	}
	if (!have_dst)
		return fail(err, size, bad, 0, "expected a destination (ADDRESS/PREFIX or default)");
	if (r->family == AF_UNSPEC)
		r->family = AF_INET; /* "default": IPv4 unless inet6, as keepalived */
	if (r->type != RTN_UNICAST && (r->nvia || r->dev[0]))
		return fail(err, size, bad, 0, "a %s route takes no via or dev",
			    r->type == RTN_BLACKHOLE ? "blackhole" : "typed");
	return 0;
}

int vrule_parse(const char *const *w, size_t n, struct vrule *r, char *err, size_t size,
		size_t *bad)
{
	bool have_action = false;
	const struct name_val *nv;
	uint32_t v;

	memset(r, 0, sizeof(*r));
	r->action = FR_ACT_TO_TBL;
	for (size_t i = 0; i < n; i++) {
		const char *k = w[i];

		if (strcmp(k, "from") == 0 || strcmp(k, "to") == 0) {
			bool from = k[0] == 'f';

			NEED_ARG(k);
			if (!parse_prefix(w[++i], &r->family, from ? &r->from : &r->to,
					  from ? &r->from_len : &r->to_len))
				return fail(err, size, bad, i, "%s: expected ADDRESS/PREFIX or all, "
					    "got %s", k, w[i]);
		} else if (strcmp(k, "table") == 0 || strcmp(k, "lookup") == 0) {
			NEED_ARG(k);
			if (!parse_named(w[++i], tables, 3, UINT32_MAX, &r->table) || !r->table)
				return fail(err, size, bad, i, "%s: expected a table number or main, "
					    "local, default, got %s", k, w[i]);
			have_action = true;
		} else if (strcmp(k, "pref") == 0 || strcmp(k, "preference") == 0 ||
			   strcmp(k, "priority") == 0) {
			NEED_ARG(k);
			if (!parse_u32(w[++i], UINT32_MAX, &r->priority))
				return fail(err, size, bad, i, "%s: expected a number, got %s", k,
					    w[i]);
			r->priority_set = true;
		} else if (strcmp(k, "iif") == 0 || strcmp(k, "oif") == 0) {
			char *dst = k[0] == 'i' ? r->iif : r->oif;

			NEED_ARG(k);
			if (strlen(w[++i]) >= IF_NAMESIZE || !w[i][0])
				return fail(err, size, bad, i, "%s: '%s' is not an interface name", k,
					    w[i]);
			strcpy(dst, w[i]);
		} else if (strcmp(k, "fwmark") == 0) {
			char *slash, buf[32];

			NEED_ARG(k);
			snprintf(buf, sizeof(buf), "%s", w[++i]);
			slash = strchr(buf, '/');
			if (slash)
				*slash++ = '\0';
			r->fwmask = UINT32_MAX;
			if (!parse_u32(buf, UINT32_MAX, &r->fwmark) ||
			    (slash && !parse_u32(slash, UINT32_MAX, &r->fwmask)))
				return fail(err, size, bad, i, "fwmark: expected MARK[/MASK], got %s",
					    w[i]);
			r->fwmark_set = true;
		} else if (strcmp(k, "tos") == 0 || strcmp(k, "dsfield") == 0) {
			NEED_ARG(k);
			if (!parse_u32(w[++i], 255, &v))
				return fail(err, size, bad, i, "%s: expected a number, got %s", k, w[i]);
			r->tos = (uint8_t)v;
		} else if ((nv = NV_FIND(rule_actions, k))) {
			r->action = (uint8_t)nv->val;
			have_action = true;
		} else if (strcmp(k, "no_track") == 0) {
			r->no_track = true;
		} else if (strcmp(k, "inet6") == 0) {
			if (r->family == AF_INET)
				return fail(err, size, bad, i, "inet6: the rule is IPv4");
			r->family = AF_INET6;
		} else {
			return fail(err, size, bad, i, "unknown rule option '%s' (vipd reads from, "
				    "to, table, preference, iif, oif, fwmark, tos, blackhole, "
				    "unreachable, prohibit, no_track)", k);
		}
	}
	if (!have_action)
		return fail(err, size, bad, 0, "expected 'table N' (or blackhole, unreachable, "
			    "prohibit)");
	if (r->family == AF_UNSPEC)
		r->family = AF_INET;
	return 0;
}

bool vroute_equal(const struct vroute *a, const struct vroute *b)
{
	struct vroute x = *a, y = *b;

	x.no_track = y.no_track = false;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

bool vrule_equal(const struct vrule *a, const struct vrule *b)
{
	struct vrule x = *a, y = *b;

	x.no_track = y.no_track = false;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

static const char *type_name(unsigned type)
{
	for (size_t i = 0; i < sizeof(route_types) / sizeof(route_types[0]); i++)
		if (route_types[i].val == type)
			return route_types[i].name;
	return "unicast";
}

const char *vroute_str(const struct vroute *r, char *buf, size_t size)
{
	char a[IPADDR_STRLEN], g[IPADDR_STRLEN];
	int len;

	len = snprintf(buf, size, "%s%s%s/%u", r->type == RTN_UNICAST ? "" : type_name(r->type),
		       r->type == RTN_UNICAST ? "" : " ",
		       r->dst.family ? ipaddr_str(&r->dst, a, sizeof(a)) :
		       (r->family == AF_INET6 ? "::" : "0.0.0.0"), r->dst_len);
	for (size_t i = 0; i < r->nvia && len > 0 && (size_t)len < size; i++)
		len += snprintf(buf + len, size - (size_t)len, " %s %s", i ? "or" : "via",
				ipaddr_str(&r->via[i], g, sizeof(g)));
	if (r->dev[0] && len > 0 && (size_t)len < size)
		len += snprintf(buf + len, size - (size_t)len, " dev %s", r->dev);
	if (r->table != RT_TABLE_MAIN && len > 0 && (size_t)len < size)
		snprintf(buf + len, size - (size_t)len, " table %u", r->table);
	return buf;
}

const char *vrule_str(const struct vrule *r, char *buf, size_t size)
{
	char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

	snprintf(buf, size, "from %s/%u to %s/%u table %u",
		 r->from.family ? ipaddr_str(&r->from, a, sizeof(a)) : "all", r->from_len,
		 r->to.family ? ipaddr_str(&r->to, b, sizeof(b)) : "all", r->to_len, r->table);
	return buf;
}
