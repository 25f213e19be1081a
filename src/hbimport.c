/*
 * hbimport.c - "vipctl import-heartbeat": a heartbeat configuration (ha.cf,
 * haresources, authkeys) turned into an equivalent vipd.conf for one node.
 *
 * How heartbeat's ideas map:
 *   node A / node B        the pair; the node that owns a resource group in
 *                          haresources gets priority 150, the other 100
 *   keepalive T            advert_int T
 *   deadtime D             no equivalent: VRRP declares the master dead after
 *                          3 adverts missed plus a skew (3 x T + skew), said
 *                          in a comment with the advert_int that would match D
 *   ucast IF PEER          advert_path { IF PEER }
 *   bcast / mcast IF ...   a comment: advert_path needs the peer's address
 *   ping ADDR              track_gateway (weight -60: the node that lost its
 *                          gateway yields, as ipfail made it)
 *   auto_failback on|off   preempt (the default) | nopreempt
 *   IP/BITS/IF:LABEL       virtual_ipaddress with dev and label
 *   RESOURCE[::ARG...]     notify scripts that start it on MASTER and stop it
 *                          otherwise, as heartbeat did, and a check that
 *                          faults the node only where it should be running
 *   authkeys               a comment: VRRPv3 has no authentication
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "hbimport.h"

#define HB_MAX 32
#define HB_STR 256
#define HB_NOTE 512
#define HB_PRIO_OWNER 150
#define HB_PRIO_OTHER 100
#define HB_GATEWAY_WEIGHT (-60)

struct hb_path {
	char iface[HB_STR];
	char peer[HB_STR];
	int line;
	bool own; /* the node's own address: heartbeat skipped it */
};

struct hb_vip {
	char addr[64];
	int bits;
	char dev[HB_STR];
	char label[HB_STR];
	bool guessed_bits, guessed_dev;
};

struct hb_res {
	char name[HB_STR];
	char args[HB_STR]; /* blank separated */
	char path[HB_STR * 2];
};

struct hb_group {
	char owner[HB_STR];
	int line;
	struct hb_vip vips[HB_MAX];
	int nvips;
	struct hb_res res[HB_MAX];
	int nres;
};

struct hb {
	const char *dir;
	const char *const *local; /* the node's addresses, NULL-terminated; may be NULL */
	char nodes[HB_MAX][HB_STR];
	int nnodes;
	double keepalive, deadtime, warntime, initdead;
	bool have_keepalive, have_deadtime;
	int auto_failback; /* -1 unset, 0 off, 1 on, 2 legacy */
	struct hb_path paths[HB_MAX];
	int npaths;
	char pings[HB_MAX][HB_STR];
	int npings;
	char notes[HB_MAX * 2][HB_NOTE]; /* things not mapped, as comments */
	int nnotes;
	struct hb_group groups[HB_MAX];
	int ngroups;
	char auth_note[HB_NOTE];
};

static void note(struct hb *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct hb *h, const char *fmt, ...)
{
	va_list ap;

	if (h->nnotes >= (int)(sizeof(h->notes) / sizeof(h->notes[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(h->notes[h->nnotes++], HB_NOTE, fmt, ap);
	va_end(ap);
}

static void copy(char *dst, const char *src)
{
	snprintf(dst, HB_STR, "%s", src);
}

/* Split line into blank-separated words (comments removed). */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *save = NULL;

	line[strcspn(line, "#\r\n")] = '\0';
	for (char *t = strtok_r(line, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return n;
}

/* heartbeat times: "2", "2s", "500ms", "1500000us". Seconds, or -1. */
static double parse_time(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		return v;
	if (strcmp(end, "ms") == 0)
		return v / 1e3;
	if (strcmp(end, "us") == 0)
		return v / 1e6;
	return -1;
}

static FILE *open_in(const struct hb *h, const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", h->dir, name);
	return fopen(path, "r");
}

static int read_hacf(struct hb *h, char *err, size_t errsize)
{
	char path[4096], line[1024], copyline[1024];
	char *w[16];
	int lineno = 0;
	FILE *f = open_in(h, "ha.cf", path, sizeof(path));

	if (!f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		int n;

		lineno++;
		snprintf(copyline, sizeof(copyline), "%s", line);
		copyline[strcspn(copyline, "\r\n")] = '\0';
		n = split(line, w, 16);
		if (n == 0)
			continue;
		if (strcmp(w[0], "node") == 0) {
			for (int i = 1; i < n && h->nnodes < HB_MAX; i++)
				copy(h->nodes[h->nnodes++], w[i]);
		} else if (strcmp(w[0], "keepalive") == 0 || strcmp(w[0], "deadtime") == 0 ||
			   strcmp(w[0], "warntime") == 0 || strcmp(w[0], "initdead") == 0) {
			double t = n == 2 ? parse_time(w[1]) : -1;

			if (t < 0) {
				fclose(f);
				snprintf(err, errsize, "%s:%d: %s: expected one time (2, 2s, 500ms)",
					 path, lineno, w[0]);
				return -1;
			}
			if (w[0][0] == 'k') {
				h->keepalive = t;
				h->have_keepalive = true;
			} else if (w[0][0] == 'd') {
				h->deadtime = t;
				h->have_deadtime = true;
			} else if (w[0][0] == 'w') {
				h->warntime = t;
				note(h, "ha.cf:%d: '%s': vipd logs no warning before it declares the "
					"master dead; the alert VipdNoMaster (contrib/prometheus) watches "
					"for a group without master",
				     lineno, copyline);
			} else {
				h->initdead = t;
				note(h, "ha.cf:%d: '%s': no equivalent; at start a vipd backup waits one "
					"master-down interval (3 x advert_int + skew) before taking over",
				     lineno, copyline);
			}
		} else if (strcmp(w[0], "ucast") == 0) {
			if (n != 3) {
				fclose(f);
				snprintf(err, errsize, "%s:%d: ucast: expected 'ucast IFACE PEER'",
					 path, lineno);
				return -1;
			}
			if (h->npaths < HB_MAX) {
				struct hb_path *hp = &h->paths[h->npaths++];

				copy(hp->iface, w[1]);
				copy(hp->peer, w[2]);
				hp->line = lineno;
				for (const char *const *a = h->local; a && *a; a++)
					if (strcmp(*a, w[2]) == 0)
						hp->own = true;
			}
		} else if (strcmp(w[0], "bcast") == 0 || strcmp(w[0], "mcast") == 0) {
			note(h, "ha.cf:%d: '%s': heartbeat %s on %s; vipd sends its adverts by "
				"multicast on the instance's interface, and an extra path needs the "
				"peer's address: add 'advert_path { %s PEER }'",
			     lineno, copyline, w[0][0] == 'b' ? "broadcast" : "multicast",
			     n > 1 ? w[1] : "?", n > 1 ? w[1] : "IFACE");
		} else if (strcmp(w[0], "ping") == 0) {
			for (int i = 1; i < n && h->npings < HB_MAX; i++)
				copy(h->pings[h->npings++], w[i]);
		} else if (strcmp(w[0], "auto_failback") == 0) {
			if (n == 2 && strcmp(w[1], "on") == 0) {
				h->auto_failback = 1;
			} else if (n == 2 && strcmp(w[1], "off") == 0) {
				h->auto_failback = 0;
			} else if (n == 2 && strcmp(w[1], "legacy") == 0) {
				h->auto_failback = 2;
			} else {
				fclose(f);
				snprintf(err, errsize, "%s:%d: auto_failback: expected on, off or legacy",
					 path, lineno);
				return -1;
			}
		} else if (strcmp(w[0], "respawn") == 0 && n >= 3 && strstr(w[2], "ipfail")) {
			note(h, "ha.cf:%d: '%s': ipfail's job (give up the resources when the ping "
				"nodes are lost) is done by track_gateway below",
			     lineno, copyline);
		} else if (strcmp(w[0], "udpport") == 0) {
			note(h, "ha.cf:%d: '%s': not needed; VRRP is IP protocol 112, no port",
			     lineno, copyline);
		} else if (strcmp(w[0], "logfile") == 0 || strcmp(w[0], "debugfile") == 0 ||
			   strcmp(w[0], "logfacility") == 0 || strcmp(w[0], "use_logd") == 0) {
			note(h, "ha.cf:%d: '%s': vipd logs to syslog (daemon facility) or, with -l, "
				"to standard error; journalctl -u vipd",
			     lineno, copyline);
		} else {
			note(h, "ha.cf:%d: '%s': not mapped", lineno, copyline);
		}
	}
	fclose(f);
	if (h->nnodes == 0) {
		snprintf(err, errsize, "%s: no 'node' line: which nodes form the pair?", path);
		return -1;
	}
	return 0;
}

static bool is_ip_spec(const char *s)
{
	char addr[64];
	struct in_addr a;
	size_t len = strcspn(s, "/");

	if (len == 0 || len >= sizeof(addr))
		return false;
	memcpy(addr, s, len);
	addr[len] = '\0';
	return inet_pton(AF_INET, addr, &a) == 1;
}

static int mask_bits(const char *s)
{
	struct in_addr a;
	char *end;
	long v;

	if (inet_pton(AF_INET, s, &a) == 1) {
		uint32_t m = ntohl(a.s_addr);
		int bits = 0;

		while (m & 0x80000000u) {
			bits++;
			m <<= 1;
		}
		return m ? -1 : bits;
	}
	v = strtol(s, &end, 10);
	return (*s && !*end && v >= 0 && v <= 32) ? (int)v : -1;
}

/* "10.6.0.187/24/eth0:0[/broadcast]" into vip. */
static int parse_vip(const char *spec, struct hb_vip *v)
{
	char buf[HB_STR], *parts[4] = { 0 }, *save = NULL;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok_r(buf, "/", &save); t && n < 4; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n == 0 || !parts[0])
		return -1;
	memset(v, 0, sizeof(*v));
	snprintf(v->addr, sizeof(v->addr), "%s", parts[0]);
	v->bits = 32;
	v->guessed_bits = true;
	if (n > 1) {
		v->bits = mask_bits(parts[1]);
		if (v->bits < 0)
			return -1;
		v->guessed_bits = false;
	}
	copy(v->dev, "eth0");
	v->guessed_dev = true;
	if (n > 2) {
		size_t dev_len = strcspn(parts[2], ":");

		snprintf(v->dev, sizeof(v->dev), "%.*s", (int)dev_len, parts[2]);
		if (parts[2][dev_len] == ':')
			copy(v->label, parts[2]);
		v->guessed_dev = false;
	}
	return 0;
}

static int read_haresources(struct hb *h, char *err, size_t errsize)
{
	char path[4096], line[4096], joined[8192];
	char *w[HB_MAX * 2];
	int lineno = 0, start = 0;
	FILE *f = open_in(h, "haresources", path, sizeof(path));

	if (!f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	joined[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		size_t len;
		int n;

		lineno++;
		if (!joined[0])
			start = lineno;
		line[strcspn(line, "#\r\n")] = '\0';
		len = strlen(line);
		/* A backslash at the end continues the group on the next line. */
		if (len && line[len - 1] == '\\') {
			line[len - 1] = ' ';
			strncat(joined, line, sizeof(joined) - strlen(joined) - 1);
			continue;
		}
		strncat(joined, line, sizeof(joined) - strlen(joined) - 1);
		n = split(joined, w, HB_MAX * 2);
		if (n == 0) {
			joined[0] = '\0';
			continue;
		}
		if (h->ngroups >= HB_MAX) {
			fclose(f);
			snprintf(err, errsize, "%s:%d: more than %d resource groups", path, start,
				 HB_MAX);
			return -1;
		}
		struct hb_group *g = &h->groups[h->ngroups++];

		memset(g, 0, sizeof(*g));
		copy(g->owner, w[0]);
		g->line = start;
		for (int i = 1; i < n; i++) {
			const char *r = w[i];

			if (strncmp(r, "IPaddr::", 8) == 0)
				r += 8;
			else if (strncmp(r, "IPaddr2::", 9) == 0)
				r += 9;
			if (is_ip_spec(r)) {
				if (g->nvips >= HB_MAX || parse_vip(r, &g->vips[g->nvips]) < 0) {
					fclose(f);
					snprintf(err, errsize, "%s:%d: '%s': expected IP[/BITS[/IFACE[:LABEL]]]",
						 path, start, w[i]);
					return -1;
				}
				g->nvips++;
				continue;
			}
			if (g->nres >= HB_MAX)
				continue;
			struct hb_res *res = &g->res[g->nres++];
			char buf[HB_STR], *save = NULL, *tok;
			struct stat st;

			snprintf(buf, sizeof(buf), "%s", w[i]);
			tok = strtok_r(buf, ":", &save);
			copy(res->name, tok ? tok : w[i]);
			res->args[0] = '\0';
			while ((tok = strtok_r(NULL, ":", &save))) {
				strncat(res->args, " ", sizeof(res->args) - strlen(res->args) - 1);
				strncat(res->args, tok, sizeof(res->args) - strlen(res->args) - 1);
			}
			/* Where heartbeat looked: its resource.d first, then init.d. */
			char where[sizeof(res->path)], rname[HB_STR];

			copy(rname, res->name);
			snprintf(where, sizeof(where), "%s/resource.d/%s", h->dir, rname);
			if (stat(where, &st) != 0)
				snprintf(where, sizeof(where), "/etc/init.d/%s", rname);
			memcpy(res->path, where, sizeof(where));
		}
		if (g->nvips == 0) {
			fclose(f);
			snprintf(err, errsize, "%s:%d: resource group of %s has no IP address",
				 path, start, g->owner);
			return -1;
		}
		joined[0] = '\0';
	}
	fclose(f);
	if (h->ngroups == 0) {
		snprintf(err, errsize, "%s: no resource group", path);
		return -1;
	}
	return 0;
}

static void read_authkeys(struct hb *h)
{
	char path[4096], line[1024], *w[4];
	int lineno = 0, active = -1;
	FILE *f = open_in(h, "authkeys", path, sizeof(path));

	if (!f) {
		snprintf(h->auth_note, sizeof(h->auth_note), "%s: %s (nothing to carry over)",
			 "authkeys", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		int n;

		lineno++;
		n = split(line, w, 4);
		if (n >= 2 && strcmp(w[0], "auth") == 0)
			active = atoi(w[1]);
		else if (n >= 2 && atoi(w[0]) == active && active > 0)
			snprintf(h->auth_note, sizeof(h->auth_note),
				 "authkeys:%d: heartbeat signed its packets with %s (key %d)", lineno,
				 w[1], active);
	}
	fclose(f);
	if (!h->auth_note[0])
		snprintf(h->auth_note, sizeof(h->auth_note), "authkeys: no active key");
}

static bool known_node(const struct hb *h, const char *node)
{
	for (int i = 0; i < h->nnodes; i++)
		if (strcmp(h->nodes[i], node) == 0)
			return true;
	return false;
}

/* A name usable as a vipd identifier: letters, digits, '_', '-', '.'. */
static void ident(char *dst, size_t size, const char *prefix, const char *src)
{
	size_t n = (size_t)snprintf(dst, size, "%s", prefix);

	for (; *src && n + 1 < size; src++)
		dst[n++] = (isalnum((unsigned char)*src) || *src == '-') ? *src : '_';
	dst[n] = '\0';
}

/* Same first three octets: the heuristic that places a ping node on a link. */
static bool same_24(const char *a, const char *b)
{
	const char *da = strrchr(a, '.'), *db = strrchr(b, '.');

	return da && db && da - a == db - b && strncmp(a, b, (size_t)(da - a)) == 0;
}

/* The shell commands that run a group's resources, in order or reversed. */
static void res_cmds(const struct hb_group *g, const char *action, bool reverse, char *out,
		     size_t size)
{
	out[0] = '\0';
	for (int k = 0; k < g->nres; k++) {
		const struct hb_res *r = &g->res[reverse ? g->nres - 1 - k : k];
		size_t len = strlen(out);

		snprintf(out + len, size - len, "%s%s%s %s", k ? "; " : "", r->path, r->args,
			 action);
	}
}

static void write_conf(const struct hb *h, const char *node, FILE *out)
{
	double adv = h->have_keepalive ? h->keepalive : 2.0;
	char gwname[HB_MAX][HB_STR];

	fprintf(out, "# vipd.conf for %s, converted from heartbeat's %s by vipctl import-heartbeat.\n",
		node, h->dir);
	fprintf(out, "# The other node uses the same file converted with --node; read every\n"
		     "# comment, then check it with: vipd -t -f vipd.conf\n\n");
	fprintf(out, "# Not mapped, or mapped differently:\n");
	for (int i = 0; i < h->nnotes; i++)
		fprintf(out, "#   %s\n", h->notes[i]);
	fprintf(out, "#   %s. This file speaks VRRPv3, which has no authentication (RFC 5798,\n"
		     "#   section 9), so the key is not carried over. Either keep the adverts on\n"
		     "#   links you trust (unicast advert paths over the dedicated link, below, and\n"
		     "#   a firewall that drops IP protocol 112 from anywhere else), or use VRRPv2\n"
		     "#   with IPsec AH (HMAC-MD5-96, whole-second advert_int, a key of at most 8\n"
		     "#   characters) in each vrrp_instance: version 2 and\n"
		     "#   authentication { auth_type AH auth_pass KEY } (vipd.conf(5)).\n\n",
		h->auth_note);

	fprintf(out, "global_defs {\n\trouter_id %s\n\tvrrp_version 3\n", node);
	fprintf(out, "\t# heartbeat ran its resource scripts as root, and starting or stopping\n"
		     "\t# a service needs it: the notify scripts below do the same.\n"
		     "\tscript_user root\n}\n\n");

	for (int i = 0; i < h->npings; i++) {
		const char *dev = NULL;

		ident(gwname[i], HB_STR, "ping_", h->pings[i]);
		for (int p = 0; p < h->npaths; p++)
			if (same_24(h->pings[i], h->paths[p].peer))
				dev = h->paths[p].iface;
		fprintf(out, "# ping %s: a ping node. With ipfail the node that lost it gave up the\n"
			     "# resources; here it costs %d of priority, below the other node's.\n",
			h->pings[i], -HB_GATEWAY_WEIGHT);
		fprintf(out, "track_gateway %s {\n\taddress %s\n", gwname[i], h->pings[i]);
		if (dev)
			fprintf(out, "\tdev %s  # the ucast link on the same /24\n", dev);
		else
			fprintf(out, "\t# dev IFACE  # the probes leave from the instance's interface\n");
		fprintf(out, "\tinterval %g\n\ttimeout %g\n\tfall 3\n\trise 2\n\tweight %d\n}\n\n",
			adv, adv, HB_GATEWAY_WEIGHT);
	}

	for (int gi = 0; gi < h->ngroups; gi++) {
		const struct hb_group *g = &h->groups[gi];
		const struct hb_vip *v0 = &g->vips[0];
		bool owner = strcmp(g->owner, node) == 0;
		char name[HB_STR], chk[HB_STR], flag[HB_STR * 2], cmds[4096];
		unsigned vrid;
		struct in_addr a;

		snprintf(name, sizeof(name), "ha%d", gi + 1);
		snprintf(chk, sizeof(chk), "ha%d_resources", gi + 1);
		snprintf(flag, sizeof(flag), "/run/vipd/heartbeat-%s-%s.active", node, name);
		inet_pton(AF_INET, v0->addr, &a);
		vrid = ntohl(a.s_addr) & 0xff;
		if (vrid == 0)
			vrid = 1;

		if (g->nres > 0) {
			res_cmds(g, "status", false, cmds, sizeof(cmds));
			fprintf(out, "# The resources of haresources:%d (", g->line);
			for (int k = 0; k < g->nres; k++)
				fprintf(out, "%s%s", k ? ", " : "", g->res[k].name);
			fprintf(out, "). heartbeat started them on the node that took\n"
				     "# the group and stopped them on the other, without watching them.\n"
				     "# The notify scripts of %s do the same; this check watches them, but\n"
				     "# only where they should run (MASTER: the flag file exists), so that\n"
				     "# the backup, whose copies are stopped, stays ready to take over.\n"
				     "# Weight 0: a MASTER whose resource died goes to FAULT and hands over.\n",
				name);
			fprintf(out, "vrrp_script %s {\n\tscript \"/bin/sh -c 'test ! -e %s || { %s; }'\"\n",
				chk, flag, cmds);
			fprintf(out, "\tinterval %g\n\ttimeout %g\n\tfall 2\n\trise 2\n}\n\n",
				adv * 2.5 < 1 ? 1 : adv * 2.5, adv * 5 < 2 ? 2 : adv * 5);
		}

		fprintf(out, "vrrp_instance %s {\n\tstate BACKUP\n\tinterface %s\n", name, v0->dev);
		fprintf(out, "\t# heartbeat has no router id: the VIP's last octet, the same on both\n"
			     "\t# nodes. Change it if another VRRP group uses %u on this segment.\n",
			vrid);
		fprintf(out, "\tvirtual_router_id %u\n", vrid);
		fprintf(out, "\t# %s owns the group in haresources (priority %d); the other node %d.\n",
			g->owner, HB_PRIO_OWNER, HB_PRIO_OTHER);
		fprintf(out, "\tpriority %d\n", owner ? HB_PRIO_OWNER : HB_PRIO_OTHER);
		if (h->have_keepalive)
			fprintf(out, "\t# keepalive %g: one advert every %g s.\n", h->keepalive, adv);
		if (adv > 40.95) {
			fprintf(out, "\t# VRRPv3 adverts are at most 40.95 s apart.\n");
			adv = 40;
		}
		fprintf(out, "\tadvert_int %g\n", adv);
		if (h->have_deadtime) {
			double down = 3 * adv + (256 - (owner ? HB_PRIO_OWNER : HB_PRIO_OTHER)) * adv / 256;

			fprintf(out,
				"\t# deadtime %g: heartbeat declared the peer dead after %g s of silence.\n"
				"\t# VRRP declares the master dead after 3 missed adverts plus a skew,\n"
				"\t# 3 x advert_int + (256 - priority) / 256 x advert_int = %.1f s here.\n"
				"\t# To wait about as long as heartbeat did, set advert_int %.2g.\n",
				h->deadtime, h->deadtime, down, h->deadtime / 3.4 > 40.95 ? 40.95 : h->deadtime / 3.4);
		}
		if (h->auto_failback == 0) {
			fprintf(out, "\t# auto_failback off: the node holding the group keeps it.\n"
				     "\tnopreempt\n");
		} else if (h->auto_failback == 1) {
			fprintf(out, "\t# auto_failback on: %s takes the group back when it returns\n"
				     "\t# (preempt, the default).\n",
				g->owner);
		} else if (h->auto_failback == 2) {
			fprintf(out, "\t# auto_failback legacy: no equivalent; preempt (the default).\n");
		}
		fprintf(out, "\tvirtual_ipaddress {\n");
		for (int k = 0; k < g->nvips; k++) {
			const struct hb_vip *v = &g->vips[k];

			fprintf(out, "\t\t%s/%d dev %s", v->addr, v->bits, v->dev);
			if (v->label[0])
				fprintf(out, " label %s", v->label);
			fprintf(out, "\n");
			if (v->guessed_bits)
				fprintf(out, "\t\t# %s had no netmask: heartbeat took the route's; check /%d\n",
					v->addr, v->bits);
			if (v->guessed_dev)
				fprintf(out, "\t\t# %s had no interface: heartbeat took the route's; check dev %s\n",
					v->addr, v->dev);
		}
		fprintf(out, "\t}\n");
		fprintf(out, "\t# The public interface: down means FAULT and the other node takes over.\n"
			     "\ttrack_interface {\n\t\t%s\n\t}\n",
			v0->dev);
		for (int p = 0; p < h->npaths; p++) {
			if (h->paths[p].own) {
				fprintf(out, "\t# ucast %s %s (ha.cf:%d): this node's own address, which\n"
					     "\t# heartbeat ignored: no advert path to it.\n",
					h->paths[p].iface, h->paths[p].peer, h->paths[p].line);
				continue;
			}
			fprintf(out, "\t# ucast %s %s (ha.cf:%d): adverts go over this link too, so a\n"
				     "\t# failed public link alone does not make two masters. heartbeat\n"
				     "\t# ignored a ucast line to the node's own address; vipd does not:\n"
				     "\t# list only the peer's.\n",
				h->paths[p].iface, h->paths[p].peer, h->paths[p].line);
			fprintf(out, "\tadvert_path { %s %s }\n", h->paths[p].iface, h->paths[p].peer);
		}
		if (h->npings) {
			fprintf(out, "\ttrack_gateway {\n");
			for (int i = 0; i < h->npings; i++)
				fprintf(out, "\t\t%s\n", gwname[i]);
			fprintf(out, "\t}\n");
		}
		if (g->nres > 0) {
			fprintf(out, "\ttrack_script {\n\t\t%s\n\t}\n", chk);
			res_cmds(g, "start", false, cmds, sizeof(cmds));
			fprintf(out, "\t# MASTER starts the resources in haresources' order, the other\n"
				     "\t# states stop them in reverse, as heartbeat did.\n");
			fprintf(out, "\tnotify_master \"/bin/sh -c 'mkdir -p /run/vipd && touch %s && %s'\"\n",
				flag, cmds);
			res_cmds(g, "stop", true, cmds, sizeof(cmds));
			fprintf(out, "\tnotify_backup \"/bin/sh -c 'rm -f %s; %s'\"\n", flag, cmds);
			fprintf(out, "\tnotify_fault \"/bin/sh -c 'rm -f %s; %s'\"\n", flag, cmds);
			fprintf(out, "\tnotify_stop \"/bin/sh -c 'rm -f %s; %s'\"\n", flag, cmds);
		}
		fprintf(out, "}\n\n");
	}
}

int hb_convert(const char *dir, const char *node, const char *const *local, FILE *out, char *err,
	       size_t errsize)
{
	struct hb *h = calloc(1, sizeof(*h));
	int rc = -1;

	if (!h) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	h->dir = dir;
	h->local = local;
	h->auto_failback = -1;
	if (read_hacf(h, err, errsize) < 0 || read_haresources(h, err, errsize) < 0)
		goto out;
	read_authkeys(h);
	if (!known_node(h, node)) {
		snprintf(err, errsize, "%s/ha.cf: node '%s' is not one of its 'node' lines%s", dir,
			 node, " (give it with --node NAME)");
		goto out;
	}
	for (int i = 0; i < h->ngroups; i++)
		if (!known_node(h, h->groups[i].owner)) {
			snprintf(err, errsize, "%s/haresources:%d: owner '%s' is not a node of ha.cf",
				 dir, h->groups[i].line, h->groups[i].owner);
			goto out;
		}
	write_conf(h, node, out);
	rc = 0;
out:
	free(h);
	return rc;
}

/* This host's IPv4 addresses as strings, at most max; returns how many. */
static int local_addrs(char **out, int max)
{
	struct ifaddrs *ifa, *i;
	int n = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i && n < max; i = i->ifa_next) {
		char buf[INET_ADDRSTRLEN];

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		if (!inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
			       sizeof(buf)))
			continue;
		out[n] = strdup(buf);
		if (out[n])
			n++;
	}
	freeifaddrs(ifa);
	return n;
}

int hb_import_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = "/etc/ha.d", *node = NULL;
	char *local[HB_MAX * 2 + 1];
	struct utsname u;
	char err[4096];
	int c, rc, nlocal = 0;

	/* argv[0] is the first argument after the command: getopt skips it. */
	argc++;
	argv--;
	optind = 0; /* a fresh getopt scan: vipctl's main scanned its own options */
	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			node = optarg;
			break;
		case 'h':
			printf("Usage: vipctl import-heartbeat [DIR] [--node NAME]\n"
			       "Print a vipd.conf equivalent to heartbeat's DIR/ha.cf, haresources and\n"
			       "authkeys (default DIR /etc/ha.d) for node NAME (default: uname -n).\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "vipctl: import-heartbeat: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (uname(&u) < 0) {
		perror("vipctl: uname");
		return 1;
	}
	if (!node)
		node = u.nodename;
	/* Converting for this host: its addresses tell which ucast lines are its own. */
	if (strcmp(node, u.nodename) == 0)
		nlocal = local_addrs(local, HB_MAX * 2);
	local[nlocal] = NULL;
	rc = hb_convert(dir, node, (const char *const *)local, stdout, err, sizeof(err));
	for (int i = 0; i < nlocal; i++)
		free(local[i]);
	if (rc < 0) {
		fprintf(stderr, "vipctl: import-heartbeat: %s\n", err);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
