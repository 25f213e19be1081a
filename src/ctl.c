/*
 * ctl.c - control socket and the reports it serves. The reports read the
 * daemon's state and change nothing; "reload" is handed to the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "daemon.h"
#include "jsonstr.h"
#include "log.h"
#include "loop.h"
#include "tracked.h"
#include "tracking.h"

#define CTL_CMD_MAX 128
#define CTL_IO_TIMEOUT_MS 1000

struct ctl {
	struct loop *loop;
	struct vipd *d;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	ctl_reload_cb reload;
	void *arg;
	bool group_read; /* the socket's group may read status and metrics */
};

/* -------------------------------------------------------- a growable string */

struct sbuf {
	char *s;
	size_t len;
	size_t cap;
	bool failed;
};

/* Room for n more bytes and a terminator; false once out of memory. */
static bool sb_reserve(struct sbuf *b, size_t n)
{
	size_t cap;
	char *s;

	if (b->failed)
		return false;
	if (b->cap - b->len > n)
		return true;
	cap = b->cap ? b->cap * 2 : 4096;
	while (cap - b->len <= n)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		if (!sb_reserve(b, (size_t)n))
			return;
	}
}

/* A JSON string literal: quotes, backslashes and control characters escaped. */
static void sb_json_str(struct sbuf *b, const char *s)
{
	size_t n;

	if (b->failed)
		return;
	n = json_quote(b->s ? b->s + b->len : NULL, b->cap - b->len, s);
	if (n >= b->cap - b->len) {
		if (!sb_reserve(b, n))
			return;
		json_quote(b->s + b->len, b->cap - b->len, s);
	}
	b->len += n;
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static void sb_label(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			sb_printf(b, "\\%c", *s);
		else if (*s == '\n')
			sb_printf(b, "\\n");
		else
			sb_printf(b, "%c", *s);
	}
}

/* ------------------------------------------------------------------ helpers */

static const struct check *find_check(const struct vipd *d, enum check_kind kind,
				      const char *name)
{
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].kind == kind && strcmp(d->checks[i].name, name) == 0)
			return &d->checks[i];
	return NULL;
}

/* A track_file block is down while it holds an instance that tracks it in FAULT. */
static bool file_block_up(const struct vipd *d, size_t def)
{
	const struct vipd_config *cfg = d->cfg;
	long value;

	for (size_t i = 0; i < cfg->ninstances; i++)
		for (size_t k = 0; k < cfg->instances[i].ntrack_files; k++)
			if (cfg->instances[i].track_files[k].def == def &&
			    tracking_file_faults(d, &cfg->instances[i],
						 &cfg->instances[i].track_files[k], &value))
				return false;
	return true;
}

/* A track_process or track_file entry's weight and reverse: its own, or its block's. */
static int ref_weight(const struct cfg_track_ref *r, int block_weight, bool block_reverse,
		      bool *reverse)
{
	*reverse = r->weight_set ? r->reverse : block_reverse;
	return r->weight_set ? r->weight : block_weight;
}

static void master_text(const struct vipd_inst_snapshot *in, char *buf, size_t size)
{
	if (in->vrrp.state == VRRP_STATE_MASTER)
		snprintf(buf, size, "self");
	else if (in->vrrp.state == VRRP_STATE_BACKUP && !ipaddr_is_unset(&in->vrrp.master))
		ipaddr_str(&in->vrrp.master, buf, size);
	else
		snprintf(buf, size, "-");
}

static void vips_text(const struct cfg_instance *c, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nvips && off + 1 < size; i++) {
		char a[IPADDR_STRLEN];
		int n = snprintf(buf + off, size - off, "%s%s/%u", i ? "," : "",
				 ipaddr_str(&c->vips[i].addr, a, sizeof(a)), c->vips[i].prefix_len);

		if (n < 0 || (size_t)n >= size - off)
			break;
		off += (size_t)n;
	}
}

static uint64_t drops_total(const uint64_t *drops)
{
	uint64_t t = 0;

	for (int r = 1; r < PKT_DROP_COUNT; r++)
		t += drops[r];
	return t;
}

/* How a path stands, in words: "up, last advert 0.4 s ago", "silent for 12.3 s", ... */
static void path_text(const struct vipd_inst_snapshot *in, const struct vipd_path_snapshot *p,
		      char *buf, size_t size)
{
	double ago = p->heard_us ? (double)(in->now_us - p->heard_us) / 1e6 : 0;

	if (!p->link_up)
		snprintf(buf, size, "link down");
	else if (in->vrrp.state == VRRP_STATE_MASTER)
		snprintf(buf, size, "%s", p->carries ? "sending" : "not sending");
	else if (in->vrrp.state != VRRP_STATE_BACKUP)
		snprintf(buf, size, "idle");
	else if (p->carries)
		snprintf(buf, size, "up, last advert %.1f s ago", ago);
	else if (p->heard_us)
		snprintf(buf, size, "silent for %.1f s", ago);
	else
		snprintf(buf, size, "silent (nothing heard)");
}

/* ------------------------------------------------------------------- status */

static void render_status(const struct vipd *d, struct sbuf *b)
{
	sb_printf(b, "%-16s %-10s %4s %-7s %9s %-16s %6s %s\n", "INSTANCE", "INTERFACE", "VRID",
		  "STATE", "PRIO", "MASTER", "DROPS", "VIPS");
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;
		const struct vipd_inst_snapshot *in = vipd_inst_snapshot(&d->insts[i], &snap);
		const struct cfg_instance *c = in->cfg;
		char prio[16], master[IPADDR_STRLEN], vips[512];

		snprintf(prio, sizeof(prio), "%u/%u", c->priority, in->vrrp.priority);
		master_text(in, master, sizeof(master));
		vips_text(c, vips, sizeof(vips));
		sb_printf(b, "%-16s %-10s %4u %-7s %9s %-16s %6llu %s\n", c->name, c->interface,
			  c->vrid, vrrp_state_name(in->vrrp.state), prio, master,
			  (unsigned long long)drops_total(in->stats.drops), vips);
	}
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;
		const struct vipd_inst_snapshot *in = vipd_inst_snapshot(&d->insts[i], &snap);
		const struct cfg_instance *c = in->cfg;

		sb_printf(b, "\n%s: %s%s since %s", c->name, vrrp_state_name(in->vrrp.state),
			  in->vrrp.hold_backup ? " (maintenance)" : "",
			  in->stats.last_transition_wall ? "" : "start");
		if (in->stats.last_transition_wall) {
			char when[32];
			time_t t = (time_t)in->stats.last_transition_wall;
			struct tm tm;

			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
			sb_printf(b, "%s", when);
		}
		sb_printf(b, ": %s\n", in->stats.last_reason[0] ? in->stats.last_reason : "-");
		for (size_t k = 0; in->npaths > 1 && k < in->npaths; k++) {
			const struct vipd_path_snapshot *p = &in->paths[k];
			char text[64], peers[IPADDR_STRLEN * 2 + 8] = "(main)";

			if (!p->main) {
				char a[IPADDR_STRLEN];

				snprintf(peers, sizeof(peers), "%s%s",
					 ipaddr_str(&p->peers[0], a, sizeof(a)),
					 p->npeers > 1 ? " ..." : "");
			}
			path_text(in, p, text, sizeof(text));
			sb_printf(b, "  advert path %-10s %-20s %s\n", p->name, peers, text);
		}
		for (size_t k = 0; k < c->ntrack_scripts; k++) {
			const struct check *chk = find_check(d, CHECK_SCRIPT, c->track_scripts[k].name);

			sb_printf(b, "  track script %-16s %s%s%s\n", c->track_scripts[k].name,
				  !chk ? "not running" : chk->state.up ? "up" : "down",
				  chk && !chk->state.up && chk->last_error[0] ? ": " : "",
				  chk && !chk->state.up ? chk->last_error : "");
		}
		for (size_t k = 0; k < c->ntrack_gateways; k++) {
			const struct check *chk = find_check(d, CHECK_GATEWAY, c->track_gateways[k]);

			sb_printf(b, "  track gateway %-15s %s\n", c->track_gateways[k],
				  !chk ? "not running" : chk->state.up ? "up" : "down");
		}
		for (size_t k = 0; k < c->ntrack_processes; k++) {
			size_t def = c->track_processes[k].def;

			sb_printf(b, "  track process %-15s %s (%zu running)\n",
				  d->cfg->processes[def].name,
				  !tracked_process_watched(d, def) ? "not watched"
				  : tracked_process_up(d, def)	   ? "up"
								   : "down",
				  tracked_process_count(d, def));
		}
		for (size_t k = 0; k < c->ntrack_files; k++) {
			long value;
			bool fault = tracking_file_faults(d, c, &c->track_files[k], &value);

			sb_printf(b, "  track file %-18s %s (reads %ld)\n",
				  d->cfg->tfiles[c->track_files[k].def].name, fault ? "down" : "up",
				  value);
		}
		for (size_t k = 0; k < c->ntrack_ifs; k++) {
			const struct vipd_iface *ifc = NULL;

			for (size_t j = 0; j < d->nifaces; j++)
				if (strcmp(d->ifaces[j].name, c->track_ifs[k].name) == 0)
					ifc = &d->ifaces[j];
			sb_printf(b, "  track interface %-13s %s\n", c->track_ifs[k].name,
				  ifc && ifc->ifindex > 0 && ifc->up && ifc->running ? "up" : "down");
		}
	}
	if (d->guarded)
		sb_printf(b, "\nrestarts: %u%s%s\n", d->restarts, d->last_death[0] ? ", last: " : "",
			  d->last_death);
}

/* --------------------------------------------------------------------- JSON */

static void json_drops(struct sbuf *b, const uint64_t *drops)
{
	sb_printf(b, "{");
	for (int r = 1; r < PKT_DROP_COUNT; r++)
		sb_printf(b, "%s\"%s\":%llu", r > 1 ? "," : "", pkt_drop_name((enum pkt_drop)r),
			  (unsigned long long)drops[r]);
	sb_printf(b, "}");
}

/* One {"kind":...,"name":...,"up":...,"weight":... entry of "tracks", left open. */
static void json_track(struct sbuf *b, size_t *n, const char *kind, const char *name, bool up,
		       int weight)
{
	sb_printf(b, "%s{\"kind\":\"%s\",\"name\":", (*n)++ ? "," : "", kind);
	sb_json_str(b, name);
	sb_printf(b, ",\"up\":%s,\"weight\":%d", up ? "true" : "false", weight);
}

/* Every tracked condition of c with its verdict and configured weight. */
static void json_tracks(const struct vipd *d, const struct cfg_instance *c, struct sbuf *b)
{
	size_t n = 0;

	for (size_t k = 0; k < c->ntrack_scripts; k++) {
		const struct check *chk = find_check(d, CHECK_SCRIPT, c->track_scripts[k].name);
		int w = c->track_scripts[k].weight_set ? c->track_scripts[k].weight :
							 c->track_scripts[k].script->weight;

		json_track(b, &n, "script", c->track_scripts[k].name, chk && chk->state.up, w);
		sb_printf(b, "}");
	}
	for (size_t k = 0; k < c->ntrack_gateways; k++) {
		const struct check *chk = find_check(d, CHECK_GATEWAY, c->track_gateways[k]);

		json_track(b, &n, "gateway", c->track_gateways[k], chk && chk->state.up,
			   chk ? chk->gateway->weight : 0);
		sb_printf(b, "}");
	}
	for (size_t k = 0; k < c->ntrack_processes; k++) {
		const struct cfg_track_ref *r = &c->track_processes[k];
		const struct cfg_track_process *tp = &d->cfg->processes[r->def];
		bool reverse;
		int w = ref_weight(r, tp->weight, tp->reverse, &reverse);

		json_track(b, &n, "process", tp->name, tracked_process_up(d, r->def), w);
		sb_printf(b, ",\"reverse\":%s,\"running\":%zu}", reverse ? "true" : "false",
			  tracked_process_count(d, r->def));
	}
	for (size_t k = 0; k < c->ntrack_files; k++) {
		const struct cfg_track_ref *r = &c->track_files[k];
		const struct cfg_track_file *tf = &d->cfg->tfiles[r->def];
		bool reverse;
		int w = ref_weight(r, tf->weight, tf->reverse, &reverse);
		long value;
		bool fault = tracking_file_faults(d, c, r, &value);

		json_track(b, &n, "file", tf->name, !fault, w);
		sb_printf(b, ",\"reverse\":%s,\"value\":%ld}", reverse ? "true" : "false", value);
	}
	for (size_t k = 0; k < c->ntrack_ifs; k++) {
		bool up = false;

		for (size_t j = 0; j < d->nifaces; j++)
			if (strcmp(d->ifaces[j].name, c->track_ifs[k].name) == 0)
				up = d->ifaces[j].ifindex > 0 && d->ifaces[j].up &&
				     d->ifaces[j].running;
		json_track(b, &n, "interface", c->track_ifs[k].name, up, c->track_ifs[k].weight);
		sb_printf(b, "}");
	}
}

static void json_instance(const struct vipd *d, const struct vipd_inst_snapshot *in, struct sbuf *b)
{
	const struct cfg_instance *c = in->cfg;
	char a[IPADDR_STRLEN];

	sb_printf(b, "{\"name\":");
	sb_json_str(b, c->name);
	sb_printf(b, ",\"interface\":");
	sb_json_str(b, c->interface);
	sb_printf(b, ",\"vrid\":%u,\"version\":%u,\"family\":\"%s\",\"state\":\"%s\"", c->vrid,
		  c->version, ipaddr_family_key(c->family), vrrp_state_name(in->vrrp.state));
	sb_printf(b, ",\"priority\":{\"base\":%u,\"effective\":%u}", c->priority, in->vrrp.priority);
	master_text(in, a, sizeof(a));
	sb_printf(b, ",\"master\":");
	if (strcmp(a, "-") == 0)
		sb_printf(b, "null");
	else
		sb_json_str(b, in->vrrp.state == VRRP_STATE_MASTER ?
				       ipaddr_str(&in->vrrp.primary, a, sizeof(a)) : a);
	sb_printf(b, ",\"advert_int_s\":%.2f,\"preempt\":%s", c->advert_int_cs / 100.0,
		  c->preempt ? "true" : "false");
	sb_printf(b, ",\"maintenance\":%s,\"switchover\":\"%s\"",
		  in->vrrp.hold_backup ? "true" : "false", steer_switchover_name(in->switchover));
	sb_printf(b, ",\"vips\":[");
	for (size_t i = 0; i < c->nvips; i++) {
		char v[IPADDR_STRLEN + 8];

		snprintf(v, sizeof(v), "%s/%u", ipaddr_str(&c->vips[i].addr, a, sizeof(a)),
			 c->vips[i].prefix_len);
		sb_printf(b, "%s", i ? "," : "");
		sb_json_str(b, v);
	}
	sb_printf(b, "],\"vips_installed\":%s", in->vips_installed ? "true" : "false");
	sb_printf(b, ",\"last_transition\":{\"time\":%llu,\"reason\":",
		  (unsigned long long)in->stats.last_transition_wall);
	sb_json_str(b, in->stats.last_reason);
	sb_printf(b, "},\"transitions\":%llu,\"adverts\":{\"sent\":%llu,\"received\":%llu}",
		  (unsigned long long)in->stats.transitions, (unsigned long long)in->stats.adverts_sent,
		  (unsigned long long)in->stats.adverts_received);
	sb_printf(b, ",\"drops\":");
	json_drops(b, in->stats.drops);
	sb_printf(b, ",\"advert_paths\":[");
	for (size_t k = 0; k < in->npaths; k++) {
		const struct vipd_path_snapshot *p = &in->paths[k];
		char text[64];

		sb_printf(b, "%s{\"interface\":", k ? "," : "");
		sb_json_str(b, p->name);
		sb_printf(b, ",\"main\":%s,\"peers\":[", p->main ? "true" : "false");
		for (size_t j = 0; j < p->npeers; j++) {
			sb_printf(b, "%s", j ? "," : "");
			sb_json_str(b, ipaddr_str(&p->peers[j], a, sizeof(a)));
		}
		path_text(in, p, text, sizeof(text));
		sb_printf(b, "],\"link_up\":%s,\"up\":%s,\"last_advert_s\":",
			  p->link_up ? "true" : "false", p->carries ? "true" : "false");
		if (p->heard_us)
			sb_printf(b, "%.3f", (double)(in->now_us - p->heard_us) / 1e6);
		else
			sb_printf(b, "null");
		sb_printf(b, ",\"status\":");
		sb_json_str(b, text);
		sb_printf(b, "}");
	}
	sb_printf(b, "],\"tracks\":[");
	json_tracks(d, c, b);
	sb_printf(b, "]}");
}

/* The watched vrrp_track_process and track_file blocks, after n other checks. */
static void json_tracked_blocks(const struct vipd *d, struct sbuf *b, size_t n)
{
	for (size_t i = 0; i < d->cfg->nprocesses; i++) {
		if (!tracked_process_watched(d, i))
			continue;
		sb_printf(b, "%s{\"kind\":\"process\",\"name\":", n++ ? "," : "");
		sb_json_str(b, d->cfg->processes[i].name);
		sb_printf(b, ",\"up\":%s,\"running\":%zu}",
			  tracked_process_up(d, i) ? "true" : "false", tracked_process_count(d, i));
	}
	for (size_t i = 0; i < d->cfg->ntfiles; i++) {
		if (!tracked_file_watched(d, i))
			continue;
		sb_printf(b, "%s{\"kind\":\"file\",\"name\":", n++ ? "," : "");
		sb_json_str(b, d->cfg->tfiles[i].name);
		sb_printf(b, ",\"up\":%s,\"value\":%ld,\"path\":",
			  file_block_up(d, i) ? "true" : "false", tracked_file_value(d, i));
		sb_json_str(b, d->cfg->tfiles[i].path);
		sb_printf(b, "}");
	}
}

static void render_json(const struct vipd *d, struct sbuf *b)
{
	sb_printf(b, "{\"version\":\"%s\",\"guarded\":%s,\"restarts\":%u,\"last_death\":",
		  PACKAGE_VERSION, d->guarded ? "true" : "false", d->restarts);
	sb_json_str(b, d->last_death);
	sb_printf(b, ",\"instances\":[");
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;

		sb_printf(b, "%s", i ? "," : "");
		json_instance(d, vipd_inst_snapshot(&d->insts[i], &snap), b);
	}
	sb_printf(b, "],\"checks\":[");
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct check *chk = &d->checks[i];

		sb_printf(b, "%s{\"kind\":\"%s\",\"name\":", i ? "," : "",
			  chk->kind == CHECK_SCRIPT ? "script" : "gateway");
		sb_json_str(b, chk->name);
		sb_printf(b, ",\"up\":%s,\"runs\":%llu,\"failures\":%llu,\"last_runtime_s\":%.6f,\"last_error\":",
			  chk->state.up ? "true" : "false", (unsigned long long)chk->runs,
			  (unsigned long long)chk->failures, chk->last_runtime_us / 1e6);
		sb_json_str(b, chk->last_error);
		sb_printf(b, "}");
	}
	json_tracked_blocks(d, b, d->nchecks);
	sb_printf(b, "],\"interfaces\":[");
	for (size_t i = 0; i < d->nifaces; i++) {
		const struct vipd_iface *ifc = &d->ifaces[i];

		sb_printf(b, "%s{\"name\":", i ? "," : "");
		sb_json_str(b, ifc->name);
		sb_printf(b, ",\"ifindex\":%d,\"up\":%s,\"carrier\":%s,\"drops\":", ifc->ifindex,
			  ifc->up ? "true" : "false", ifc->running ? "true" : "false");
		json_drops(b, ifc->drops);
		sb_printf(b, "}");
	}
	sb_printf(b, "]}\n");
}

/* ------------------------------------------------------------------ metrics */

static void metric_head(struct sbuf *b, const char *name, const char *type, const char *help)
{
	sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void inst_labels(struct sbuf *b, const struct vipd_inst_snapshot *in)
{
	sb_printf(b, "instance=\"");
	sb_label(b, in->cfg->name);
	sb_printf(b, "\",interface=\"");
	sb_label(b, in->cfg->interface);
	sb_printf(b, "\",vrid=\"%u\"", in->cfg->vrid);
}

/* One gauge or counter per instance, value from get(). */
static void metric_per_instance(const struct vipd *d, struct sbuf *b, const char *name,
				const char *type, const char *help,
				unsigned long long (*get)(const struct vipd_inst_snapshot *))
{
	metric_head(b, name, type, help);
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;

		vipd_inst_snapshot(&d->insts[i], &snap);
		sb_printf(b, "%s{", name);
		inst_labels(b, &snap);
		sb_printf(b, "} %llu\n", get(&snap));
	}
}

static unsigned long long m_state(const struct vipd_inst_snapshot *in)
{
	return in->vrrp.state;
}

static unsigned long long m_prio(const struct vipd_inst_snapshot *in)
{
	return in->vrrp.priority;
}

static unsigned long long m_base(const struct vipd_inst_snapshot *in)
{
	return in->cfg->priority;
}

static unsigned long long m_sent(const struct vipd_inst_snapshot *in)
{
	return in->stats.adverts_sent;
}

static unsigned long long m_received(const struct vipd_inst_snapshot *in)
{
	return in->stats.adverts_received;
}

static unsigned long long m_transitions(const struct vipd_inst_snapshot *in)
{
	return in->stats.transitions;
}

static unsigned long long m_vips(const struct vipd_inst_snapshot *in)
{
	return in->vips_installed;
}

static unsigned long long m_maintenance(const struct vipd_inst_snapshot *in)
{
	return in->vrrp.hold_backup;
}

static void render_metrics(const struct vipd *d, struct sbuf *b)
{
	metric_per_instance(d, b, "vipd_instance_state", "gauge",
			    "VRRP state: 0 init, 1 backup, 2 master, 3 fault.", m_state);
	metric_per_instance(d, b, "vipd_instance_priority", "gauge",
			    "Effective priority, as advertised.", m_prio);
	metric_per_instance(d, b, "vipd_instance_base_priority", "gauge",
			    "Configured priority.", m_base);
	metric_per_instance(d, b, "vipd_instance_vips_installed", "gauge",
			    "1 while this node holds the instance's virtual addresses.", m_vips);
	metric_per_instance(d, b, "vipd_instance_maintenance", "gauge",
			    "1 while the instance is in maintenance (never master).", m_maintenance);
	metric_per_instance(d, b, "vipd_adverts_sent_total", "counter",
			    "Advertisements sent.", m_sent);
	metric_per_instance(d, b, "vipd_adverts_received_total", "counter",
			    "Advertisements received and accepted.", m_received);
	metric_per_instance(d, b, "vipd_transitions_total", "counter",
			    "State changes.", m_transitions);

	metric_head(b, "vipd_restarts_total", "counter",
		    "Times the guard restarted a daemon that died without cleaning up.");
	sb_printf(b, "vipd_restarts_total %u\n", d->restarts);
	metric_head(b, "vipd_advert_drops_total", "counter",
		    "Advertisements dropped, by reason.");
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;

		vipd_inst_snapshot(&d->insts[i], &snap);
		for (int r = 1; r < PKT_DROP_COUNT; r++) {
			sb_printf(b, "vipd_advert_drops_total{");
			inst_labels(b, &snap);
			sb_printf(b, ",reason=\"%s\"} %llu\n", pkt_drop_name((enum pkt_drop)r),
				  (unsigned long long)snap.stats.drops[r]);
		}
	}
	metric_head(b, "vipd_interface_drops_total", "counter",
		    "Packets dropped before an instance could be found, by reason.");
	for (size_t i = 0; i < d->nifaces; i++)
		for (int r = 1; r < PKT_DROP_COUNT; r++) {
			sb_printf(b, "vipd_interface_drops_total{interface=\"");
			sb_label(b, d->ifaces[i].name);
			sb_printf(b, "\",reason=\"%s\"} %llu\n", pkt_drop_name((enum pkt_drop)r),
				  (unsigned long long)d->ifaces[i].drops[r]);
		}

	metric_head(b, "vipd_advert_path_up", "gauge",
		    "Instances with advert_path: 1 while the path carries the master's adverts "
		    "(a backup heard them within Master_Down_Interval; a master sent them), 0 when "
		    "silent.");
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;

		vipd_inst_snapshot(&d->insts[i], &snap);
		for (size_t k = 0; snap.npaths > 1 && k < snap.npaths; k++) {
			sb_printf(b, "vipd_advert_path_up{instance=\"");
			sb_label(b, snap.cfg->name);
			sb_printf(b, "\",path=\"");
			sb_label(b, snap.paths[k].name);
			sb_printf(b, "\"} %d\n", snap.paths[k].carries);
		}
	}

	metric_head(b, "vipd_check_up", "gauge", "1 while a tracked check is up.");
	for (size_t i = 0; i < d->nchecks; i++) {
		sb_printf(b, "vipd_check_up{check=\"");
		sb_label(b, d->checks[i].name);
		sb_printf(b, "\",kind=\"%s\"} %d\n",
			  d->checks[i].kind == CHECK_SCRIPT ? "script" : "gateway",
			  d->checks[i].state.up);
	}
	for (size_t i = 0; i < d->cfg->nprocesses; i++) {
		if (!tracked_process_watched(d, i))
			continue;
		sb_printf(b, "vipd_check_up{check=\"");
		sb_label(b, d->cfg->processes[i].name);
		sb_printf(b, "\",kind=\"process\"} %d\n", tracked_process_up(d, i));
	}
	for (size_t i = 0; i < d->cfg->ntfiles; i++) {
		if (!tracked_file_watched(d, i))
			continue;
		sb_printf(b, "vipd_check_up{check=\"");
		sb_label(b, d->cfg->tfiles[i].name);
		sb_printf(b, "\",kind=\"file\"} %d\n", file_block_up(d, i));
	}
	metric_head(b, "vipd_check_processes", "gauge",
		    "Processes a vrrp_track_process counts.");
	for (size_t i = 0; i < d->cfg->nprocesses; i++) {
		if (!tracked_process_watched(d, i))
			continue;
		sb_printf(b, "vipd_check_processes{check=\"");
		sb_label(b, d->cfg->processes[i].name);
		sb_printf(b, "\"} %zu\n", tracked_process_count(d, i));
	}
	metric_head(b, "vipd_check_file_value", "gauge", "The number a track_file reads.");
	for (size_t i = 0; i < d->cfg->ntfiles; i++) {
		if (!tracked_file_watched(d, i))
			continue;
		sb_printf(b, "vipd_check_file_value{check=\"");
		sb_label(b, d->cfg->tfiles[i].name);
		sb_printf(b, "\"} %ld\n", tracked_file_value(d, i));
	}
	metric_head(b, "vipd_check_runs_total", "counter", "Check runs (script runs or probes).");
	for (size_t i = 0; i < d->nchecks; i++) {
		sb_printf(b, "vipd_check_runs_total{check=\"");
		sb_label(b, d->checks[i].name);
		sb_printf(b, "\"} %llu\n", (unsigned long long)d->checks[i].runs);
	}
	metric_head(b, "vipd_check_failures_total", "counter", "Failed check runs.");
	for (size_t i = 0; i < d->nchecks; i++) {
		sb_printf(b, "vipd_check_failures_total{check=\"");
		sb_label(b, d->checks[i].name);
		sb_printf(b, "\"} %llu\n", (unsigned long long)d->checks[i].failures);
	}
	metric_head(b, "vipd_check_last_runtime_seconds", "gauge",
		    "How long the last run of a check took.");
	for (size_t i = 0; i < d->nchecks; i++) {
		sb_printf(b, "vipd_check_last_runtime_seconds{check=\"");
		sb_label(b, d->checks[i].name);
		sb_printf(b, "\"} %.6f\n", d->checks[i].last_runtime_us / 1e6);
	}
	metric_head(b, "vipd_event_readers", "gauge", "Connections following vipctl events.");
	sb_printf(b, "vipd_event_readers %u\n", steer_event_subscribers(d));
	metric_head(b, "vipd_events_lost_total", "counter",
		    "Events skipped for readers that did not keep up.");
	sb_printf(b, "vipd_events_lost_total %llu\n", (unsigned long long)steer_events_lost(d));
}

/* --------------------------------------------------------------------- dump */

static void render_dump(const struct vipd *d, struct sbuf *b)
{
	uint64_t now = loop_now_us();

	render_status(d, b);
	sb_printf(b, "\n");
	for (size_t i = 0; i < d->ninsts; i++) {
		struct vipd_inst_snapshot snap;
		const struct vipd_inst_snapshot *in = vipd_inst_snapshot(&d->insts[i], &snap);
		const struct vrrp_instance *v = &in->vrrp;
		char p[IPADDR_STRLEN], m[IPADDR_STRLEN];

		sb_printf(b, "instance %s: vrid %u v%u %s prio %u/%u int %u cs master-int %u cs src %s master %s (prio %u)\n",
			  in->cfg->name, v->p.vrid, v->p.version, ipaddr_family_key(v->p.family),
			  in->cfg->priority, v->priority, v->p.adver_int_cs,
			  v->master_adver_int_cs, ipaddr_str(&v->primary, p, sizeof(p)),
			  ipaddr_str(&v->master, m, sizeof(m)), v->master_priority);
		sb_printf(b, "  down timer %s%.3f s, advert timer %s%.3f s, faults 0x%x, vips %s, sent %llu, received %llu\n",
			  v->down_deadline_us ? "in " : "off ",
			  v->down_deadline_us ? ((double)v->down_deadline_us - (double)now) / 1e6 : 0.0,
			  v->adver_deadline_us ? "in " : "off ",
			  v->adver_deadline_us ? ((double)v->adver_deadline_us - (double)now) / 1e6 : 0.0,
			  in->faults, in->vips_installed ? "installed" : "not installed",
			  (unsigned long long)in->stats.adverts_sent,
			  (unsigned long long)in->stats.adverts_received);
		for (int r = 1; r < PKT_DROP_COUNT; r++)
			if (in->stats.drops[r])
				sb_printf(b, "  dropped %s: %llu\n", pkt_drop_name((enum pkt_drop)r),
					  (unsigned long long)in->stats.drops[r]);
	}
	for (size_t i = 0; i < d->nifaces; i++) {
		const struct vipd_iface *ifc = &d->ifaces[i];
		char a4[IPADDR_STRLEN], a6[IPADDR_STRLEN];

		sb_printf(b, "interface %s: index %d %s %s v4 %s v6 %s\n", ifc->name, ifc->ifindex,
			  ifc->up ? "up" : "down", ifc->running ? "carrier" : "no-carrier",
			  ipaddr_str(&ifc->primary4, a4, sizeof(a4)),
			  ipaddr_str(&ifc->primary6, a6, sizeof(a6)));
		for (int r = 1; r < PKT_DROP_COUNT; r++)
			if (ifc->drops[r])
				sb_printf(b, "  dropped %s: %llu\n", pkt_drop_name((enum pkt_drop)r),
					  (unsigned long long)ifc->drops[r]);
	}
	for (size_t i = 0; i < d->nchecks; i++) {
		const struct check *chk = &d->checks[i];

		sb_printf(b, "check %s (%s): %s, streak %d, runs %llu, failures %llu, last %.3f s%s%s\n",
			  chk->name, chk->kind == CHECK_SCRIPT ? "script" : "gateway",
			  chk->state.up ? "up" : "down", chk->state.streak,
			  (unsigned long long)chk->runs, (unsigned long long)chk->failures,
			  chk->last_runtime_us / 1e6, chk->last_error[0] ? ", last error: " : "",
			  chk->last_error);
	}
	for (size_t i = 0; i < d->cfg->nprocesses; i++)
		if (tracked_process_watched(d, i))
			sb_printf(b, "check %s (process): %s, %zu running\n",
				  d->cfg->processes[i].name, tracked_process_up(d, i) ? "up" : "down",
				  tracked_process_count(d, i));
	for (size_t i = 0; i < d->cfg->ntfiles; i++)
		if (tracked_file_watched(d, i))
			sb_printf(b, "check %s (file): %s, %s reads %ld\n", d->cfg->tfiles[i].name,
				  file_block_up(d, i) ? "up" : "down", d->cfg->tfiles[i].path,
				  tracked_file_value(d, i));
}

char *ctl_render(const struct vipd *d, const char *kind)
{
	struct sbuf b = { 0 };

	if (strcmp(kind, "status") == 0)
		render_status(d, &b);
	else if (strcmp(kind, "status-json") == 0)
		render_json(d, &b);
	else if (strcmp(kind, "metrics") == 0)
		render_metrics(d, &b);
	else if (strcmp(kind, "dump") == 0)
		render_dump(d, &b);
	else
		return NULL;
	sb_printf(&b, "%s", "");
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* ------------------------------------------------------------------- socket */

static void write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the client went away or timed out: nothing to do */
		s += n;
		len -= (size_t)n;
	}
}

static bool peer_is_root(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.uid == 0;
}

/* The reports a member of the status group may read: nothing that acts. */
static bool read_only_command(const char *cmd)
{
	return strcmp(cmd, "status") == 0 || strcmp(cmd, "status-json") == 0 ||
	       strcmp(cmd, "metrics") == 0;
}

/*
 * One short request per connection, answered at once; except "events",
 * which keeps the connection (true: the caller must not close fd).
 */
static bool ctl_serve(struct ctl *c, int fd, bool root)
{
	char cmd[CTL_CMD_MAX];
	size_t len = 0;
	char *out = NULL;
	char msg[512];
	bool taken = false;

	while (len + 1 < sizeof(cmd)) {
		ssize_t n = read(fd, cmd + len, sizeof(cmd) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(cmd, '\n', len))
			break;
	}
	cmd[len] = '\0';
	cmd[strcspn(cmd, "\r\n")] = '\0';

	if (!root && !read_only_command(cmd)) {
		dprintf(fd, "error permission denied: '%s' needs root (the status group may use "
			    "status, status-json and metrics)\n",
			cmd);
		return false;
	}
	if (strcmp(cmd, "reload") == 0) {
		int err = c->reload ? c->reload(c->arg, msg, sizeof(msg)) : -ENOTSUP;

		if (!c->reload)
			snprintf(msg, sizeof(msg), "reload is not available");
		dprintf(fd, "%s %s\n", err == 0 ? "ok" : "error", msg);
		return false;
	}
	/* maintenance, switchover, explain, events: steer.c acts and answers */
	out = steer_command(c->d, cmd, fd, &taken);
	if (!out)
		out = ctl_render(c->d, cmd);
	if (!out) {
		dprintf(fd, "error unknown command '%s' (status, status-json, metrics, dump, reload, maintenance, switchover, explain, events)\n",
			cmd);
		return taken;
	}
	if (!taken)
		write_all(fd, out, strlen(out));
	free(out);
	return taken;
}

static void on_accept(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct ctl *c = arg;

	(void)l;
	(void)events;
	for (int i = 0; i < 16; i++) {
		struct timeval tv = { .tv_sec = CTL_IO_TIMEOUT_MS / 1000,
				      .tv_usec = (CTL_IO_TIMEOUT_MS % 1000) * 1000 };
		int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (cfd < 0)
			return;
		/* Bounded blocking I/O: a stuck client costs at most a second or two. */
		setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		/*
		 * With a status group the socket is 0660 root:group, so the
		 * kernel let in only root and the group's members. An event
		 * reader's connection is steer.c's from then on.
		 */
		if (peer_is_root(cfd)) {
			if (ctl_serve(c, cfd, true))
				continue;
		} else if (c->group_read) {
			ctl_serve(c, cfd, false);
		} else {
			dprintf(cfd, "error permission denied: only root may use the control socket\n");
		}
		close(cfd);
	}
}

int ctl_open(struct loop *l, const char *path, struct vipd *d, ctl_reload_cb reload, void *arg,
	     struct ctl **out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ctl *c;
	int err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	c->loop = l;
	c->d = d;
	c->reload = reload;
	c->arg = arg;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		goto fail;
	/* The pid file lock already proved no other vipd owns this path. */
	unlink(path);
	mode_t old = umask(0177);
	err = bind(c->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (err < 0 || chmod(path, 0600) < 0 || listen(c->fd, 8) < 0)
		goto fail;
	err = loop_add_fd(l, c->fd, EPOLLIN, on_accept, c);
	if (err < 0) {
		errno = -err;
		goto fail;
	}
	*out = c;
	return 0;
fail:
	err = -errno;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return err;
}

int ctl_allow_group(struct ctl *c, gid_t gid)
{
	if (chown(c->path, 0, gid) < 0 || chmod(c->path, 0660) < 0)
		return -errno;
	c->group_read = true;
	return 0;
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	loop_del_fd(c->loop, c->fd);
	close(c->fd);
	unlink(c->path);
	free(c);
}
