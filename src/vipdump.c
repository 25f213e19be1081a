/*
 * vipdump.c - VRRP advert monitor on libpcap: prints every advert on a link
 * or in a capture file, or a per-VRID summary with alarms, or one
 * Nagios-style verdict. Adverts are decoded with vipd's own codec, so what
 * vipdump calls damaged is exactly what vipd would drop.
 *
 * Decoding a frame down to its advert is seen.c's and the election
 * judgement monitor.c's (both pure); this file is options, capture and
 * output.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "config.h"
#include "ipaddr.h"
#include "jsonstr.h"
#include "packet.h"
#include "timeunit.h"
#include "monitor.h"
#include "seen.h"

#define EXIT_UNKNOWN 3
#define SNAPLEN 8192 /* the largest advert (255 IPv6 addresses) is 4128 bytes */
#define READ_TIMEOUT_MS 100
#define TICK_US USEC_PER_SEC
#define MAX_CHECK_S 86400.0

/* IPv4 VRRP, and IPv6 packets whose extension headers the codec walks. */
#define FILTER_BASE                                                                   \
	"ip proto 112 or (ip6 and (ip6[6] == 112 or ip6[6] == 0 or ip6[6] == 43 or " \
	"ip6[6] == 60))"

enum mode {
	MODE_ADVERTS,
	MODE_SUMMARY,
	MODE_CHECK,
};

struct opts {
	const char *iface;
	const char *file;
	const char *user;
	enum mode mode;
	double check_s;
	unsigned long count;
	bool json;
	bool promisc;
	bool vrid_filter;
	bool vrids[256];
};


struct dump {
	struct opts o;
	pcap_t *p;
	int dlt;
	struct mon mon;
	bool live;
	bool redraw;            /* live summary on a terminal */
	unsigned long seen;     /* VRRP packets that passed the VRID filter */
	uint64_t now_us;        /* monitor time: capture time offline, monotonic live */
	uint64_t start_us;      /* first packet (offline) or start (live) */
	bool started;
	uint64_t end_us;        /* check window end */
	bool stop;
	bool error;
	char errmsg[PCAP_ERRBUF_SIZE + 512];
	struct seen_pkt *pkt;   /* scratch for the packet being decoded */
};

static volatile sig_atomic_t got_signal;

/* ------------------------------------------------------------ small helpers */

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

/* Wall-clock time for display only: live events that no packet carries. */
static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static const char *fmt_time(uint64_t t_us, char *buf, size_t size)
{
	time_t sec = (time_t)(t_us / USEC_PER_SEC);
	struct tm tm;
	char hms[16];

	localtime_r(&sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06u", hms, (unsigned)(t_us % USEC_PER_SEC));
	return buf;
}

static const char *fmt_interval(uint16_t cs, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%02us", cs / 100u, cs % 100u);
	return buf;
}

/*
 * A JSON string literal. Most strings here are addresses and names, which
 * fit the stack buffer; a long --check message takes the heap.
 */
static void json_str(FILE *f, const char *s)
{
	char stack[256];
	size_t n = json_quote(stack, sizeof(stack), s);
	char *heap;

	if (n < sizeof(stack)) {
		fwrite(stack, 1, n, f);
		return;
	}
	heap = malloc(n + 1);
	if (!heap) {
		fputs("\"\"", f); /* out of memory: keep the line valid JSON */
		return;
	}
	json_quote(heap, n + 1, s);
	fwrite(heap, 1, n, f);
	free(heap);
}

static void json_addr(FILE *f, const struct ipaddr *a)
{
	char buf[IPADDR_STRLEN];

	json_str(f, ipaddr_str(a, buf, sizeof(buf)));
}

/* "vrid 51", or "vrid 51/IPv6" so the two families of one number differ. */
static const char *fmt_vrid(const struct mon_vrid *v, char *buf, size_t size)
{
	snprintf(buf, size, "vrid %u%s", v->vrid, v->family == AF_INET6 ? "/IPv6" : "");
	return buf;
}

static void print_problem_names(FILE *f, unsigned bits, bool json)
{
	bool first = true;

	for (int i = 0; i < MON_P_COUNT_BITS; i++) {
		if (!(bits & (1u << i)))
			continue;
		if (json) {
			fputs(first ? "" : ",", f);
			json_str(f, mon_problem_name(1u << i));
		} else {
			fprintf(f, "%s%s", first ? "" : ",", mon_problem_name(1u << i));
		}
		first = false;
	}
	if (first && !json)
		fputc('-', f);
}

static void print_addrs(FILE *f, const struct vrrp_advert *adv, bool json)
{
	char buf[IPADDR_STRLEN];

	for (unsigned i = 0; i < adv->naddr; i++) {
		if (json) {
			fputs(i ? "," : "", f);
			json_addr(f, &adv->addrs[i]);
		} else {
			fprintf(f, "%s%s", i ? "," : "", ipaddr_str(&adv->addrs[i], buf, sizeof(buf)));
		}
	}
}

/* ------------------------------------------------------------------ options */

static void usage(FILE *f)
{
	fputs("usage: vipdump (-i IFACE | -r FILE) [-v VRID[,VRID...]] [-c COUNT] [-p]\n"
	      "               [-Z USER] [--summary | --check SECONDS] [--json]\n"
	      "  -i, --interface IFACE   capture live on IFACE (\"any\" for all)\n"
	      "  -r, --read FILE         read a pcap or pcapng file (\"-\" for stdin)\n"
	      "  -v, --vrid LIST         only these VRIDs (repeatable, comma separated)\n"
	      "  -c, --count N           stop after N VRRP packets\n"
	      "  -p, --no-promiscuous-mode\n"
	      "  -Z, --user USER         drop root to USER after opening (default nobody)\n"
	      "      --summary           per-VRID table and alarms instead of adverts\n"
	      "      --check SECONDS     watch SECONDS, print one verdict, exit 0/1/2/3\n"
	      "      --json              JSON lines\n",
	      f);
}

static int parse_vrids(struct opts *o, const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long v;

		errno = 0;
		v = strtol(tok, &end, 10);
		if (errno || *end || end == tok || v < 1 || v > 255) {
			fprintf(stderr, "vipdump: -v %s: VRID must be 1..255\n", tok);
			ret = -EINVAL;
			break;
		}
		o->vrids[v] = true;
		o->vrid_filter = true;
	}
	free(copy);
	return ret;
}

static int parse_count(struct opts *o, const char *arg)
{
	char *end;

	errno = 0;
	o->count = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || o->count == 0 || arg[0] == '-') {
		fprintf(stderr, "vipdump: -c %s: expected a positive count\n", arg);
		return -EINVAL;
	}
	return 0;
}

static int parse_check(struct opts *o, const char *arg)
{
	char *end;

	errno = 0;
	o->check_s = strtod(arg, &end);
	if (errno || *end || end == arg || !(o->check_s > 0) || o->check_s > MAX_CHECK_S) {
		fprintf(stderr, "vipdump: --check %s: expected seconds, 0 < s <= %.0f\n", arg,
			MAX_CHECK_S);
		return -EINVAL;
	}
	o->mode = MODE_CHECK;
	return 0;
}

enum { OPT_SUMMARY = 256, OPT_CHECK, OPT_JSON, OPT_VERSION };

static const struct option long_opts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "read", required_argument, NULL, 'r' },
	{ "vrid", required_argument, NULL, 'v' },
	{ "count", required_argument, NULL, 'c' },
	{ "user", required_argument, NULL, 'Z' },
	{ "no-promiscuous-mode", no_argument, NULL, 'p' },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, 1 when done (help/version), or -EINVAL. */
static int parse_opt(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'i':
		o->iface = arg;
		return 0;
	case 'r':
		o->file = arg;
		return 0;
	case 'v':
		return parse_vrids(o, arg);
	case 'c':
		return parse_count(o, arg);
	case 'Z':
		o->user = arg;
		return 0;
	case 'p':
		o->promisc = false;
		return 0;
	case OPT_SUMMARY:
		o->mode = MODE_SUMMARY;
		return 0;
	case OPT_CHECK:
		return parse_check(o, arg);
	case OPT_JSON:
		o->json = true;
		return 0;
	case 'h':
		usage(stdout);
		return 1;
	case OPT_VERSION:
		printf("vipdump %s (%s)\n", PACKAGE_VERSION, pcap_lib_version());
		return 1;
	}
	usage(stderr);
	return -EINVAL;
}

static int parse_args(struct opts *o, int argc, char **argv)
{
	int c, ret;

	o->user = "nobody";
	o->promisc = true;
	while ((c = getopt_long(argc, argv, "i:r:v:c:Z:ph", long_opts, NULL)) != -1) {
		ret = parse_opt(o, c, optarg);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		fprintf(stderr, "vipdump: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (!o->iface == !o->file) {
		fprintf(stderr, "vipdump: give exactly one of -i IFACE or -r FILE\n");
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------------ capture */

static const char *source_name(const struct dump *d)
{
	return d->live ? d->o.iface : d->o.file;
}

/* Report a libpcap failure naming the interface or file; sets d->error. */
static void pcap_fail(struct dump *d, const char *what, const char *detail)
{
	snprintf(d->errmsg, sizeof(d->errmsg), "%s: %s: %s", source_name(d), what, detail);
	/* A check says it on its one line of output instead. */
	if (d->o.mode != MODE_CHECK)
		fprintf(stderr, "vipdump: %s\n", d->errmsg);
	d->error = true;
}

static int open_live(struct dump *d)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	int st;

	d->p = pcap_create(d->o.iface, errbuf);
	if (!d->p) {
		pcap_fail(d, "cannot open", errbuf);
		return -EIO;
	}
	pcap_set_snaplen(d->p, SNAPLEN);
	pcap_set_promisc(d->p, d->o.promisc);
	pcap_set_timeout(d->p, READ_TIMEOUT_MS);
	/* Adverts are a few per second: hand each over at once. */
	pcap_set_immediate_mode(d->p, 1);
	st = pcap_activate(d->p);
	if (st < 0) {
		/* These statuses come with a message of their own. */
		bool has_msg = st == PCAP_ERROR || st == PCAP_ERROR_NO_SUCH_DEVICE ||
			       st == PCAP_ERROR_PERM_DENIED || st == PCAP_ERROR_PROMISC_PERM_DENIED;

		pcap_fail(d, "cannot capture", has_msg ? pcap_geterr(d->p) : pcap_statustostr(st));
		return -EIO;
	}
	if (st > 0)
		fprintf(stderr, "vipdump: %s: warning: %s\n", d->o.iface,
			st == PCAP_WARNING ? pcap_geterr(d->p) : pcap_statustostr(st));
	if (pcap_setnonblock(d->p, 1, errbuf) < 0) {
		pcap_fail(d, "cannot set non-blocking mode", errbuf);
		return -EIO;
	}
	return 0;
}

static int open_file(struct dump *d)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	d->p = pcap_open_offline_with_tstamp_precision(d->o.file, PCAP_TSTAMP_PRECISION_MICRO,
						       errbuf);
	if (!d->p) {
		pcap_fail(d, "cannot read", errbuf);
		return -EIO;
	}
	return 0;
}

static bool dlt_supported(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL || dlt == DLT_LINUX_SLL2 ||
	       dlt == DLT_RAW || dlt == DLT_IPV4 || dlt == DLT_IPV6;
}

static int set_filter(struct dump *d)
{
	char expr[512];
	struct bpf_program prog;

	d->dlt = pcap_datalink(d->p);
	if (!dlt_supported(d->dlt)) {
		const char *name = pcap_datalink_val_to_name(d->dlt);
		char detail[128];

		snprintf(detail, sizeof(detail), "link type %s (%d); supported: EN10MB, "
			 "LINUX_SLL, LINUX_SLL2, RAW", name ? name : "unknown", d->dlt);
		pcap_fail(d, "unsupported", detail);
		return -EPROTONOSUPPORT;
	}
	if (d->dlt == DLT_EN10MB)
		snprintf(expr, sizeof(expr), "%s or (vlan and (%s))", FILTER_BASE, FILTER_BASE);
	else
		snprintf(expr, sizeof(expr), "%s", FILTER_BASE);
	if (pcap_compile(d->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		pcap_fail(d, "cannot compile filter", pcap_geterr(d->p));
		return -EINVAL;
	}
	if (pcap_setfilter(d->p, &prog) < 0) {
		pcap_freecode(&prog);
		pcap_fail(d, "cannot set filter", pcap_geterr(d->p));
		return -EINVAL;
	}
	pcap_freecode(&prog);
	return 0;
}

/*
 * Capturing needs root; reading adverts does not. Give up every privilege
 * (supplementary groups, gid, uid; capabilities go with uid 0) before the
 * first packet is parsed.
 */
static int drop_privileges(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0 || strcmp(user, "root") == 0)
		return 0;
	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "vipdump: -Z %s: no such user%s%s\n", user, errno ? ": " : "",
			errno ? strerror(errno) : "");
		return -ENOENT;
	}
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		fprintf(stderr, "vipdump: cannot drop privileges to %s: %s\n", user,
			strerror(errno));
		return -EPERM;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		fprintf(stderr, "vipdump: could regain root after switching to %s\n", user);
		return -EPERM;
	}
	return 0;
}

/* -------------------------------------------------------- per-advert output */

static void print_advert_text(const struct seen_pkt *s, unsigned problems)
{
	char t[32], src[IPADDR_STRLEN], dst[IPADDR_STRLEN], iv[16];
	const struct vrrp_advert *a = &s->adv;

	printf("%s %s > %s VRRPv%u vrid %u prio %u int %s", fmt_time(s->wall_us, t, sizeof(t)),
	       ipaddr_str(&s->ip.src, src, sizeof(src)), ipaddr_str(&s->ip.dst, dst, sizeof(dst)),
	       a->version, a->vrid, a->priority, fmt_interval(a->interval_cs, iv, sizeof(iv)));
	if (a->version == 2 && a->auth_type == VRRP_AUTH_PASS)
		fputs(" auth pass", stdout);
	fputs(" addrs ", stdout);
	print_addrs(stdout, a, false);
	for (int i = 0; i < MON_P_COUNT_BITS; i++) {
		unsigned bit = 1u << i;

		if (!(problems & bit))
			continue;
		if (bit == MON_P_TTL)
			printf(" [bad_ttl %u]", s->ip.ttl);
		else
			printf(" [%s]", mon_problem_name(bit));
	}
	if (a->legacy_checksum)
		fputs(" [legacy_checksum]", stdout);
	putchar('\n');
}

static void print_advert_json(const struct seen_pkt *s, unsigned problems)
{
	const struct vrrp_advert *a = &s->adv;

	printf("{\"type\":\"advert\",\"time\":%" PRIu64 ".%06u,\"src\":", s->wall_us / USEC_PER_SEC,
	       (unsigned)(s->wall_us % USEC_PER_SEC));
	json_addr(stdout, &s->ip.src);
	fputs(",\"dst\":", stdout);
	json_addr(stdout, &s->ip.dst);
	printf(",\"ttl\":%u,\"version\":%u,\"vrid\":%u,\"priority\":%u,\"interval_cs\":%u",
	       s->ip.ttl, a->version, a->vrid, a->priority, a->interval_cs);
	if (a->version == 2)
		printf(",\"auth_type\":%u", a->auth_type);
	fputs(",\"addrs\":[", stdout);
	print_addrs(stdout, a, true);
	fputs("],\"problems\":[", stdout);
	print_problem_names(stdout, problems, true);
	printf("],\"legacy_checksum\":%s}\n", a->legacy_checksum ? "true" : "false");
}

static void print_malformed(const struct dump *d, const struct seen_pkt *s)
{
	char t[32], src[IPADDR_STRLEN], dst[IPADDR_STRLEN];

	if (d->o.json) {
		printf("{\"type\":\"malformed\",\"time\":%" PRIu64 ".%06u", s->wall_us / USEC_PER_SEC,
		       (unsigned)(s->wall_us % USEC_PER_SEC));
		if (s->have_ip) {
			fputs(",\"src\":", stdout);
			json_addr(stdout, &s->ip.src);
			fputs(",\"dst\":", stdout);
			json_addr(stdout, &s->ip.dst);
		}
		if (s->vrid >= 0)
			printf(",\"vrid\":%d", s->vrid);
		printf(",\"reason\":\"%s\",\"text\":", pkt_drop_name(s->drop));
		json_str(stdout, pkt_drop_text(s->drop));
		fputs("}\n", stdout);
		return;
	}
	printf("%s ", fmt_time(s->wall_us, t, sizeof(t)));
	if (s->have_ip)
		printf("%s > %s ", ipaddr_str(&s->ip.src, src, sizeof(src)),
		       ipaddr_str(&s->ip.dst, dst, sizeof(dst)));
	fputs("VRRP ", stdout);
	if (s->vrid >= 0)
		printf("vrid %d ", s->vrid);
	printf("malformed: %s (%s)\n", pkt_drop_name(s->drop), pkt_drop_text(s->drop));
}

/* ------------------------------------------------------------------ summary */

static double ago_s(uint64_t now_us, uint64_t then_us)
{
	return now_us > then_us ? (double)(now_us - then_us) / 1e6 : 0;
}

/* "192.0.2.12(100,5.2s) ..." for the routers other than the master. */
static const char *fmt_others(const struct mon_vrid *v, uint64_t now_us, char *buf, size_t size)
{
	char ad[IPADDR_STRLEN];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < v->nrouters && len < size; i++) {
		const struct mon_router *r = &v->routers[i];

		if ((int)i == v->master)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s(%u,%.1fs)", len ? " " : "",
					ipaddr_str(&r->src, ad, sizeof(ad)), r->adv.priority,
					ago_s(now_us, r->last_us));
	}
	return buf[0] ? buf : "-";
}

static void print_table(const struct dump *d)
{
	char vr[24], ad[IPADDR_STRLEN], iv[16], others[512];

	printf("%-12s %-26s %4s %6s %7s %7s %8s  %-24s %s\n", "VRID", "MASTER", "PRIO", "INT",
	       "RATE", "LAST", "ADVERTS", "OTHERS(prio,last)", "ALARMS");
	for (struct mon_vrid *v = mon_next(&d->mon, NULL); v; v = mon_next(&d->mon, v)) {
		const struct mon_router *m = mon_master(v);

		printf("%-12s %-26s %4u %6s %5.2f/s %6.1fs %8" PRIu64 "  ",
		       fmt_vrid(v, vr, sizeof(vr)), m ? ipaddr_str(&m->src, ad, sizeof(ad)) : "-",
		       m ? m->adv.priority : 0, m ? fmt_interval(m->adv.interval_cs, iv, sizeof(iv)) : "-",
		       mon_rate(v), ago_s(d->now_us, v->last_us), v->adverts);
		printf("%-24s ", fmt_others(v, d->now_us, others, sizeof(others)));
		print_problem_names(stdout, v->alarms, false);
		putchar('\n');
	}
	printf("%u VRID%s, %" PRIu64 " adverts, %" PRIu64 " malformed, status %s\n",
	       d->mon.nvrids, d->mon.nvrids == 1 ? "" : "s", d->mon.adverts, d->mon.malformed,
	       mon_verdict_name(mon_verdict(&d->mon)));
}

static void print_router_json(const struct mon_router *r, uint64_t now_us)
{
	fputs("{\"src\":", stdout);
	json_addr(stdout, &r->src);
	printf(",\"version\":%u,\"priority\":%u,\"interval_cs\":%u,\"adverts\":%" PRIu64
	       ",\"last_seen_ago_s\":%.3f,\"live\":%s,\"addrs\":[",
	       r->adv.version, r->adv.priority, r->adv.interval_cs, r->adverts,
	       ago_s(now_us, r->last_us), mon_router_live(r, now_us) ? "true" : "false");
	print_addrs(stdout, &r->adv, true);
	fputs("]}", stdout);
}

/* The members of a VRID object, without braces. */
static void print_vrid_json(const struct mon_vrid *v, uint64_t now_us)
{
	const struct mon_router *m = mon_master(v);

	printf("\"vrid\":%u,\"family\":\"%s\",\"master\":", v->vrid, ipaddr_family_key(v->family));
	if (m)
		json_addr(stdout, &m->src);
	else
		fputs("null", stdout);
	printf(",\"priority\":%u,\"interval_cs\":%u,\"rate\":%.3f,\"last_seen_ago_s\":%.3f"
	       ",\"adverts\":%" PRIu64 ",\"bad_ttl\":%" PRIu64 ",\"bad_checksum\":%" PRIu64
	       ",\"bad_length\":%" PRIu64 ",\"alarms\":[",
	       m ? m->adv.priority : 0, m ? m->adv.interval_cs : 0, mon_rate(v),
	       ago_s(now_us, v->last_us), v->adverts, v->bad_ttl, v->bad_checksum, v->bad_length);
	print_problem_names(stdout, v->alarms, true);
	fputs("],\"seen_alarms\":[", stdout);
	print_problem_names(stdout, v->seen_alarms, true);
	fputs("],\"routers\":[", stdout);
	for (unsigned i = 0; i < v->nrouters; i++) {
		fputs(i ? "," : "", stdout);
		print_router_json(&v->routers[i], now_us);
	}
	fputs("]", stdout);
}

static void print_final_json(const struct dump *d)
{
	for (struct mon_vrid *v = mon_next(&d->mon, NULL); v; v = mon_next(&d->mon, v)) {
		fputs("{\"type\":\"vrid\",", stdout);
		print_vrid_json(v, d->now_us);
		fputs("}\n", stdout);
	}
	printf("{\"type\":\"summary\",\"vrids\":%u,\"adverts\":%" PRIu64 ",\"malformed\":%" PRIu64
	       ",\"status\":\"%s\"}\n",
	       d->mon.nvrids, d->mon.adverts, d->mon.malformed,
	       mon_verdict_name(mon_verdict(&d->mon)));
}

/* -------------------------------------- changes (summary to a pipe or file) */

static void report_master(const struct dump *d, const struct mon_vrid *v, const char *t,
			  uint64_t t_us)
{
	const struct mon_router *m = mon_master(v);
	char vr[24], ad[IPADDR_STRLEN], iv[16];
	bool is_new = v->changes & MON_CHG_NEW;

	if (!m)
		return;
	if (d->o.json) {
		printf("{\"type\":\"event\",\"time\":%" PRIu64 ".%06u,\"vrid\":%u,\"family\":\"%s\","
		       "\"event\":\"master\",\"new\":%s,\"master\":",
		       t_us / USEC_PER_SEC, (unsigned)(t_us % USEC_PER_SEC), v->vrid,
		       ipaddr_family_key(v->family), is_new ? "true" : "false");
		json_addr(stdout, &m->src);
		printf(",\"priority\":%u,\"interval_cs\":%u,\"addrs\":[", m->adv.priority,
		       m->adv.interval_cs);
		print_addrs(stdout, &m->adv, true);
		fputs("]}\n", stdout);
		return;
	}
	printf("%s %s: %smaster %s prio %u int %s addrs ", t, fmt_vrid(v, vr, sizeof(vr)),
	       is_new ? "new, " : "", ipaddr_str(&m->src, ad, sizeof(ad)), m->adv.priority,
	       fmt_interval(m->adv.interval_cs, iv, sizeof(iv)));
	print_addrs(stdout, &m->adv, false);
	putchar('\n');
}

static void report_alarm(const struct dump *d, const struct mon_vrid *v, unsigned bit,
			 bool raised, const char *t, uint64_t t_us)
{
	char vr[24], a[IPADDR_STRLEN], b[IPADDR_STRLEN];
	bool split = bit == MON_P_SPLIT_BRAIN && raised;

	ipaddr_str(&v->split[0], a, sizeof(a));
	ipaddr_str(&v->split[1], b, sizeof(b));
	if (d->o.json) {
		printf("{\"type\":\"event\",\"time\":%" PRIu64 ".%06u,\"vrid\":%u,\"family\":\"%s\","
		       "\"event\":\"alarm\",\"alarm\":\"%s\",\"state\":\"%s\"",
		       t_us / USEC_PER_SEC, (unsigned)(t_us % USEC_PER_SEC), v->vrid,
		       ipaddr_family_key(v->family), mon_problem_name(bit), raised ? "raised" : "cleared");
		if (split)
			printf(",\"masters\":[\"%s\",\"%s\"]", a, b);
		fputs("}\n", stdout);
		return;
	}
	fmt_vrid(v, vr, sizeof(vr));
	if (split)
		printf("%s %s: alarm split_brain: %s prio %u and %s prio %u both master\n", t, vr,
		       a, v->split_prio[0], b, v->split_prio[1]);
	else if (raised)
		printf("%s %s: alarm %s: %s\n", t, vr, mon_problem_name(bit), mon_problem_text(bit));
	else
		printf("%s %s: cleared %s\n", t, vr, mon_problem_name(bit));
}

/* Print what changed since the last call (t_us: wall-clock time to show). */
static void report_changes(struct dump *d, uint64_t t_us)
{
	char t[32];

	fmt_time(t_us, t, sizeof(t));
	for (struct mon_vrid *v = mon_next(&d->mon, NULL); v; v = mon_next(&d->mon, v)) {
		if (v->changes & (MON_CHG_NEW | MON_CHG_MASTER))
			report_master(d, v, t, t_us);
		for (int i = 0; i < MON_P_COUNT_BITS; i++) {
			if (v->raised & (1u << i))
				report_alarm(d, v, 1u << i, true, t, t_us);
			if (v->cleared & (1u << i))
				report_alarm(d, v, 1u << i, false, t, t_us);
		}
		v->changes = v->raised = v->cleared = 0;
	}
}

/* -------------------------------------------------------------------- check */

static void check_addrs_detail(FILE *f, const struct mon_vrid *v, unsigned bit)
{
	char ad[IPADDR_STRLEN], iv[16];

	for (unsigned i = 0; i < v->nrouters; i++) {
		const struct mon_router *r = &v->routers[i];

		fprintf(f, "%s%s ", i ? ", " : " (", ipaddr_str(&r->src, ad, sizeof(ad)));
		if (bit == MON_P_ADDRS)
			print_addrs(f, &r->adv, false);
		else if (bit == MON_P_INTERVAL)
			fputs(fmt_interval(r->adv.interval_cs, iv, sizeof(iv)), f);
		else
			fprintf(f, "v%u", r->adv.version);
	}
	fputc(')', f);
}

static void check_problem(FILE *f, const struct dump *d, const struct mon_vrid *v, unsigned bit)
{
	char vr[24], a[IPADDR_STRLEN], b[IPADDR_STRLEN];
	const struct mon_router *m = mon_master(v);
	bool now = v->alarms & bit;

	fprintf(f, "%s: ", fmt_vrid(v, vr, sizeof(vr)));
	if (bit == MON_P_SPLIT_BRAIN) {
		fprintf(f, "split brain, %s prio %u and %s prio %u both master%s",
			ipaddr_str(&v->split[0], a, sizeof(a)), v->split_prio[0],
			ipaddr_str(&v->split[1], b, sizeof(b)), v->split_prio[1],
			now ? "" : " (healed)");
	} else if (bit == MON_P_SILENT) {
		if (now)
			fprintf(f, "silent for %.1fs, last master %s", ago_s(d->now_us, v->last_us),
				m ? ipaddr_str(&m->src, a, sizeof(a)) : "-");
		else
			fputs("was silent (adverts resumed)", f);
	} else if (bit == MON_P_TTL || bit == MON_P_CHECKSUM || bit == MON_P_LENGTH) {
		uint64_t n = bit == MON_P_TTL ? v->bad_ttl :
			     bit == MON_P_CHECKSUM ? v->bad_checksum : v->bad_length;

		fprintf(f, "%" PRIu64 " advert%s with %s", n, n == 1 ? "" : "s",
			mon_problem_text(bit));
	} else {
		fputs(mon_problem_text(bit), f);
		if (bit != MON_P_AUTH)
			check_addrs_detail(f, v, bit);
	}
}

static void check_healthy(FILE *f, const struct dump *d)
{
	char vr[24], ad[IPADDR_STRLEN], iv[16];

	fprintf(f, "%u VRID%s", d->mon.nvrids, d->mon.nvrids == 1 ? "" : "s");
	for (struct mon_vrid *v = mon_next(&d->mon, NULL); v; v = mon_next(&d->mon, v)) {
		const struct mon_router *m = mon_master(v);

		if (!m)
			continue;
		fprintf(f, ", %s master %s prio %u int %s", fmt_vrid(v, vr, sizeof(vr)),
			ipaddr_str(&m->src, ad, sizeof(ad)), m->adv.priority,
			fmt_interval(m->adv.interval_cs, iv, sizeof(iv)));
	}
}

/* The text after "VRRP STATUS - ". */
static void check_message(FILE *f, const struct dump *d)
{
	const char *sep = "";

	if (!d->mon.adverts) {
		if (d->live)
			fprintf(f, "no VRRP adverts in %gs on %s", d->o.check_s, d->o.iface);
		else
			fprintf(f, "no VRRP adverts in %s", d->o.file);
	}
	for (struct mon_vrid *v = mon_next(&d->mon, NULL); v; v = mon_next(&d->mon, v)) {
		for (int i = MON_P_COUNT_BITS - 1; i >= 0; i--) {
			if (!(v->seen_alarms & (1u << i)))
				continue;
			fputs(sep, f);
			check_problem(f, d, v, 1u << i);
			sep = "; ";
		}
	}
	if (d->mon.malformed) {
		fprintf(f, "%s%" PRIu64 " malformed VRRP packet%s", sep, d->mon.malformed,
			d->mon.malformed == 1 ? "" : "s");
		sep = "; ";
	}
	if (d->mon.adverts) {
		fputs(sep, f);
		check_healthy(f, d);
	}
	fprintf(f, " | vrids=%u adverts=%" PRIu64 " malformed=%" PRIu64, d->mon.nvrids,
		d->mon.adverts, d->mon.malformed);
}

static void print_check(const struct dump *d, enum mon_verdict verdict)
{
	char *msg = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&msg, &size);

	if (!f) {
		printf("VRRP UNKNOWN - out of memory\n");
		return;
	}
	if (verdict == MON_UNKNOWN)
		fputs(d->errmsg, f);
	else
		check_message(f, d);
	fclose(f);
	if (!d->o.json) {
		printf("VRRP %s - %s\n", mon_verdict_name(verdict), msg);
		free(msg);
		return;
	}
	printf("{\"type\":\"check\",\"status\":\"%s\",\"code\":%d,\"message\":",
	       mon_verdict_name(verdict), (int)verdict);
	json_str(stdout, msg);
	printf(",\"adverts\":%" PRIu64 ",\"malformed\":%" PRIu64 ",\"vrids\":[", d->mon.adverts,
	       d->mon.malformed);
	for (struct mon_vrid *v = mon_next(&d->mon, NULL); v; v = mon_next(&d->mon, v)) {
		fputs(v == mon_next(&d->mon, NULL) ? "{" : ",{", stdout);
		print_vrid_json(v, d->now_us);
		fputs("}", stdout);
	}
	fputs("]}\n", stdout);
	free(msg);
}

/* --------------------------------------------------------- the capture loop */

static void stop_capture(struct dump *d)
{
	d->stop = true;
	pcap_breakloop(d->p);
}

static void feed_monitor(struct dump *d, struct seen_pkt *s)
{
	struct mon_obs obs = { .now_us = d->now_us, .src = s->ip.src, .defects = s->defects,
			       .adv = &s->adv };
	int problems;

	mon_update(&d->mon, d->now_us);
	if (s->drop != PKT_OK) {
		mon_malformed(&d->mon);
		if (d->o.mode == MODE_ADVERTS)
			print_malformed(d, s);
		return;
	}
	problems = mon_advert(&d->mon, &obs);
	if (problems < 0) {
		snprintf(d->errmsg, sizeof(d->errmsg), "%s", strerror(-problems));
		fprintf(stderr, "vipdump: %s\n", d->errmsg);
		d->error = true;
		stop_capture(d);
		return;
	}
	mon_update(&d->mon, d->now_us);
	if (d->o.mode != MODE_ADVERTS)
		return;
	if (d->o.json)
		print_advert_json(s, (unsigned)problems);
	else
		print_advert_text(s, (unsigned)problems);
}

/* Offline: the check window is the first SECONDS of capture time. */
static bool window_over(struct dump *d, uint64_t ts_us)
{
	if (!d->started) {
		d->started = true;
		d->start_us = ts_us;
		d->end_us = ts_us + (uint64_t)(d->o.check_s * 1e6);
	}
	return d->o.mode == MODE_CHECK && ts_us > d->end_us;
}

static void handle_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct dump *d = (struct dump *)user;
	struct seen_pkt *s = d->pkt;
	uint64_t ts_us = (uint64_t)h->ts.tv_sec * USEC_PER_SEC + (uint64_t)h->ts.tv_usec;
	const uint8_t *ip;
	size_t ip_len;

	if (got_signal || d->stop) {
		stop_capture(d);
		return;
	}
	if (!d->live && window_over(d, ts_us)) {
		d->now_us = d->end_us;
		stop_capture(d);
		return;
	}
	d->now_us = d->live ? mono_us() : ts_us;
	ip = seen_link_payload(d->dlt, bytes, h->caplen, &ip_len);
	if (!ip || !seen_decode(ip, ip_len, s))
		return;
	if (d->o.vrid_filter && (s->vrid < 0 || !d->o.vrids[s->vrid]))
		return;
	s->wall_us = ts_us;
	feed_monitor(d, s);
	if (d->o.mode == MODE_SUMMARY && !d->redraw)
		report_changes(d, ts_us);
	if (d->o.count && ++d->seen >= d->o.count)
		stop_capture(d);
}

static void redraw(struct dump *d)
{
	char t[32];

	fputs("\033[H\033[2J", stdout);
	printf("vipdump on %s at %s (Ctrl-C to quit)\n\n", d->o.iface,
	       fmt_time(wall_us(), t, sizeof(t)));
	print_table(d);
	fflush(stdout);
}

/* Once a second when live: time passes for the monitor even without adverts. */
static void tick(struct dump *d)
{
	mon_update(&d->mon, d->now_us);
	if (d->o.mode != MODE_SUMMARY)
		return;
	if (d->redraw)
		redraw(d);
	else
		report_changes(d, wall_us());
}

static int live_wait_ms(const struct dump *d, uint64_t next_tick_us)
{
	uint64_t now = mono_us(), wake = next_tick_us;

	if (d->o.mode == MODE_CHECK && d->end_us < wake)
		wake = d->end_us;
	return wake > now ? (int)((wake - now + 999) / 1000) : 0;
}

static int run_live(struct dump *d)
{
	struct pollfd pfd = { .fd = pcap_get_selectable_fd(d->p), .events = POLLIN };
	uint64_t next_tick = mono_us() + TICK_US;

	if (pfd.fd < 0) {
		pcap_fail(d, "cannot poll", "no selectable file descriptor");
		return -EIO;
	}
	d->started = true;
	d->start_us = mono_us();
	d->end_us = d->start_us + (uint64_t)(d->o.check_s * 1e6);
	while (!d->stop && !got_signal) {
		int n = poll(&pfd, 1, live_wait_ms(d, next_tick));

		if (n < 0 && errno != EINTR) {
			pcap_fail(d, "poll", strerror(errno));
			return -EIO;
		}
		if (n > 0 && pcap_dispatch(d->p, -1, handle_packet, (u_char *)d) == PCAP_ERROR) {
			pcap_fail(d, "capture failed", pcap_geterr(d->p));
			return -EIO;
		}
		d->now_us = mono_us();
		if (d->o.mode == MODE_CHECK && d->now_us >= d->end_us)
			d->stop = true;
		if (d->now_us >= next_tick || d->stop) {
			tick(d);
			while (next_tick <= d->now_us)
				next_tick += TICK_US;
		}
	}
	return d->error ? -EIO : 0;
}

static int run_file(struct dump *d)
{
	if (pcap_loop(d->p, -1, handle_packet, (u_char *)d) == PCAP_ERROR) {
		pcap_fail(d, "read failed", pcap_geterr(d->p));
		return -EIO;
	}
	mon_update(&d->mon, d->now_us);
	if (d->o.mode == MODE_SUMMARY)
		report_changes(d, d->now_us);
	return d->error ? -EIO : 0;
}

static void report_kernel_drops(struct dump *d)
{
	struct pcap_stat st;

	if (d->live && pcap_stats(d->p, &st) == 0 && st.ps_drop > 0)
		fprintf(stderr, "vipdump: %s: %u packets dropped by the kernel\n", d->o.iface,
			st.ps_drop);
}

static void on_signal(int sig)
{
	got_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: poll() must return so the loop sees the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int open_capture(struct dump *d)
{
	int ret = d->live ? open_live(d) : open_file(d);

	if (!ret)
		ret = set_filter(d);
	if (!ret && drop_privileges(d->o.user) < 0) {
		snprintf(d->errmsg, sizeof(d->errmsg), "cannot drop privileges to %s", d->o.user);
		d->error = true;
		ret = -EPERM;
	}
	return ret;
}

static int finish(struct dump *d, int ret)
{
	if (ret < 0) {
		if (d->o.mode == MODE_CHECK)
			print_check(d, MON_UNKNOWN);
		return EXIT_UNKNOWN;
	}
	if (d->o.mode == MODE_CHECK) {
		enum mon_verdict v = mon_verdict(&d->mon);

		print_check(d, v);
		return (int)v;
	}
	if (d->o.mode == MODE_SUMMARY) {
		if (d->o.json)
			print_final_json(d);
		else
			print_table(d);
	}
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static struct dump d;
	static struct seen_pkt pkt;
	int ret;

	d.pkt = &pkt;
	ret = parse_args(&d.o, argc, argv);
	if (ret)
		return ret > 0 ? EXIT_SUCCESS : EXIT_UNKNOWN;
	mon_init(&d.mon);
	d.live = d.o.iface != NULL;
	d.redraw = d.live && d.o.mode == MODE_SUMMARY && !d.o.json && isatty(STDOUT_FILENO);
	if (!d.redraw)
		setvbuf(stdout, NULL, _IOLBF, 0);
	install_signals();
	ret = open_capture(&d);
	if (!ret)
		ret = d.live ? run_live(&d) : run_file(&d);
	if (d.p) {
		report_kernel_drops(&d);
		pcap_close(d.p);
	}
	ret = finish(&d, ret);
	mon_release(&d.mon);
	return ret;
}
