/*
 * config-kw.c - the keyword tables, one per block, and their handlers: they fill
 * struct vipd_config from the statements.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "config-kw.h"
#include "config-lex.h"
#include "config-stmt.h"
#include "config-track.h"
#include "packet.h"


/* -------------------------------------------------------------- global_defs */

#define G(m) offsetof(struct cfg_global, m)
#define S_US(s) ((long long)(s) * (long long)USEC_PER_SEC)

/* notify_fifo PATH [user [group]] and the others: which fifo a keyword is about. */
static struct cfg_fifo *fifo_of(struct cfg_global *g, const char *kw)
{
	return strncmp(kw, "vrrp_", 5) == 0 ? &g->vrrp_notify_fifo : &g->notify_fifo;
}

static void kw_fifo(struct parser *p, struct stmt *st, void *obj)
{
	bool script = strstr(st->kw.text, "_script") != NULL;
	struct cfg_fifo *f = fifo_of(obj, st->kw.text);
	char **dst = script ? &f->script : &f->path;
	char *user = script ? f->script_user : f->user;
	char *group = script ? f->script_group : f->group;

	if (!st->args[0].text[0] || (!script && st->args[0].text[0] != '/')) {
		cfg_err(p, &st->args[0].at, "%s: expected %s, got '%s'", st->kw.text,
			script ? "a command" : "an absolute path", st->args[0].text);
		return;
	}
	free(*dst);
	if (!(*dst = strdup(st->args[0].text))) {
		cfg_oom(p, &st->kw.at);
		return;
	}
	user[0] = group[0] = '\0';
	if (st->nargs > 1)
		val_name(p, st->kw.text, &st->args[1], user, CFG_NAME_MAX);
	if (st->nargs > 2)
		val_name(p, st->kw.text, &st->args[2], group, CFG_NAME_MAX);
}

/* keepalived takes no argument but ignores one: so does vipd, saying so. */
static void kw_script_security(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_global *g = obj;

	if (st->nargs)
		cfg_warn(p, &st->args[0].at, "enable_script_security takes no argument; '%s' is "
			 "ignored (as keepalived does) and script security is on",
			 st->args[0].text);
	g->enable_script_security = true;
}

static void kw_script_user(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_global *g = obj;

	if (!val_name(p, "script_user", &st->args[0], g->script_user, sizeof(g->script_user)))
		return;
	g->script_group[0] = '\0';
	if (st->nargs > 1)
		val_name(p, "script_user", &st->args[1], g->script_group, sizeof(g->script_group));
}

/*
 * keepalived sends to and listens on another group when told to; so does
 * vipd, with a warning, since standard VRRP routers will not hear it.
 */
static void kw_mcast_group(struct parser *p, struct stmt *st, void *obj)
{
	bool v6 = strchr(st->def->name, '6') != NULL;
	const char *std = v6 ? VRRP_MCAST_V6 : VRRP_MCAST_V4;
	struct cfg_global *g = obj;
	struct ipaddr a, b;

	if (!val_addr(p, st->def->name, &st->args[0], &a))
		return;
	if (a.family != (v6 ? AF_INET6 : AF_INET) || !ipaddr_is_multicast(&a)) {
		cfg_err(p, &st->args[0].at, "%s: expected an %s multicast group, got %s",
			st->def->name, v6 ? "IPv6" : "IPv4", st->args[0].text);
		return;
	}
	ipaddr_parse(std, &b, NULL);
	if (ipaddr_equal(&a, &b))
		return;
	cfg_warn(p, &st->args[0].at, "%s: adverts go to %s instead of the standard %s; only "
		 "routers set alike hear them", st->def->name, st->args[0].text, std);
	*(v6 ? &g->mcast_group6 : &g->mcast_group4) = a;
}

/* net_namespace NAME, in global_defs or (as keepalived also reads it) at the top level. */
static void kw_net_namespace(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_global *g = &p->cfg->global;
	const char *name = st->args[0].text;

	(void)obj;
	if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		cfg_err(p, &st->args[0].at, "net_namespace: expected a namespace name as in "
				    "'ip netns list', got '%s'", name);
		return;
	}
	val_name(p, "net_namespace", &st->args[0], g->net_namespace, sizeof(g->net_namespace));
}

static const char no_mail[] = "vipd sends no mail (use a notify script)";
static const char no_snmp[] = "vipd has no SNMP agent (see vipctl metrics)";
static const char no_lvs[] = "LVS is not part of vipd";
static const char no_tune[] = "not needed by vipd";
static const char no_fw[] = "vipd does not manage firewall rules";
static const char no_bfd[] = "vipd has no BFD";
static const char down_timer[] = "vipd waits the RFC's 3 advert intervals (and the skew "
				 "time); every router of an instance must wait alike";

static const struct kw global_kws[] = {
	KW("router_id", kw_set_name, 1, 1, KW_LINE, "a name", G(router_id), 0,
	   MEMBER_SIZE(struct cfg_global, router_id)),
	KW("vrrp_version", kw_set_u8, 1, 1, KW_LINE, "2 or 3", G(vrrp_version), 2, 3),
	KW("script_user", kw_script_user, 1, 2, KW_LINE, "a user name [and a group name]"),
	KW("enable_script_security", kw_script_security, 0, ARGS_ANY, KW_LINE, NULL),
	KW("vrrp_garp_master_delay", kw_set_us, 1, 1, KW_LINE, "seconds", G(garp_master_delay_us),
	   0, S_US(1000)),
	KW("vrrp_garp_master_repeat", kw_set_uint, 1, 1, KW_LINE, "a count", G(garp_master_repeat),
	   1, 255),
	KW("vrrp_garp_master_refresh", kw_set_us, 1, 1, KW_LINE, "seconds",
	   G(garp_master_refresh_us), 0, S_US(86400)),
	KW("vrrp_garp_master_refresh_repeat", kw_set_uint, 1, 1, KW_LINE, "a count",
	   G(garp_master_refresh_repeat), 1, 255),
	KW("vrrp_garp_interval", kw_set_us, 1, 1, KW_LINE, "seconds", G(garp_interval_us), 0,
	   S_US(10)),
	KW("vrrp_gna_interval", kw_set_us, 1, 1, KW_LINE, "seconds", G(gna_interval_us), 0,
	   S_US(10)),
	KW("notify_timeout", kw_set_us, 1, 1, KW_LINE, "seconds", G(notify_timeout_us), 1000,
	   S_US(3600)),
	KW("vrrp_mcast_group4", kw_mcast_group, 1, 1, KW_LINE, "an IPv4 address"),
	KW("vrrp_mcast_group6", kw_mcast_group, 1, 1, KW_LINE, "an IPv6 address"),
	KW("net_namespace", kw_net_namespace, 1, 1, KW_LINE, "a namespace name"),
	WARN("notification_email", no_mail),
	WARN("notification_email_from", no_mail),
	WARN("smtp_server", no_mail),
	WARN("smtp_helo_name", no_mail),
	WARN("smtp_connect_timeout", no_mail),
	WARN("smtp_alert", no_mail),
	WARN("smtp_alert_vrrp", no_mail),
	WARN("smtp_alert_checker", no_mail),
	WARN("no_email_faults", no_mail),
	WARN("email_faults", no_mail),
	WARN("enable_snmp_vrrp", no_snmp),
	WARN("enable_snmp_checker", no_snmp),
	WARN("enable_snmp_rfc", no_snmp),
	WARN("enable_snmp_rfcv2", no_snmp),
	WARN("enable_snmp_rfcv3", no_snmp),
	WARN("enable_snmp_keepalived", no_snmp),
	WARN("enable_traps", no_snmp),
	WARN("snmp_socket", no_snmp),
	WARN("enable_dbus", "vipd has no D-Bus interface (see vipctl)"),
	WARN("lvs_id", no_lvs),
	WARN("lvs_sync_daemon", no_lvs),
	WARN("lvs_flush", no_lvs),
	WARN("lvs_flush_onstop", no_lvs),
	WARN("lvs_timeouts", no_lvs),
	WARN("checker_no_swap", no_lvs),
	WARN("checker_priority", no_lvs),
	WARN("checker_rt_priority", no_lvs),
	WARN("checker_process_name", no_lvs),
	WARN("vrrp_skip_check_adv_addr", "vipd always uses adverts with a differing address "
					 "list (and logs the difference)"),
	WARN("vrrp_strict", "vipd does not implement keepalived's strict mode"),
	WARN("vrrp_iptables", "vipd does not manage firewall rules"),
	WARN("vrrp_ipsets", "vipd does not manage firewall rules"),
	WARN("vrrp_check_unicast_src", "vipd always checks the source of unicast adverts"),
	WARN("dynamic_interfaces", "vipd always follows interfaces that come and go"),
	WARN("max_auto_priority", no_tune),
	WARN("vrrp_no_swap", no_tune),
	WARN("vrrp_priority", no_tune),
	WARN("vrrp_rt_priority", no_tune),
	WARN("vrrp_cpu_affinity", no_tune),
	WARN("vrrp_rlimit_rttime", no_tune),
	WARN("vrrp_netlink_cmd_rcv_bufs", no_tune),
	WARN("vrrp_netlink_monitor_rcv_bufs", no_tune),
	WARN("vrrp_rx_bufs_policy", no_tune),
	WARN("vrrp_rx_bufs_multiplier", no_tune),
	WARN("process_names", no_tune),
	WARN("vrrp_process_name", no_tune),
	WARN("instance", "vipd keeps one pid file per configuration (vipd -p)"),
	WARN("use_pid_dir", no_tune),
	KW("vrrp_startup_delay", kw_set_us, 1, 1, KW_LINE, "seconds", G(startup_delay_us), 0,
	   S_US(3600)),
	KW("vrrp_garp_lower_prio_delay", kw_set_us, 1, 1, KW_LINE, "seconds",
	   G(garp_lower_prio_delay_us), 0, S_US(1000)),
	KW("vrrp_garp_lower_prio_repeat", kw_set_uint, 1, 1, KW_LINE, "a count",
	   G(garp_lower_prio_repeat), 0, 255),
	KW("vrrp_lower_prio_no_advert", kw_set_flag, 0, 1, KW_LINE, "on or off",
	   G(lower_prio_no_advert)),
	KW("vrrp_higher_prio_send_advert", kw_set_flag, 0, 1, KW_LINE, "on or off",
	   G(higher_prio_send_advert)),
	WARN("vrrp_min_garp", "not supported by vipd; set the garp_* keywords"),
	KW("notify_fifo", kw_fifo, 1, 3, KW_LINE, "a FIFO path [user [group]]"),
	KW("notify_fifo_script", kw_fifo, 1, 3, KW_LINE, "a command [user [group]]"),
	KW("vrrp_notify_fifo", kw_fifo, 1, 3, KW_LINE, "a FIFO path [user [group]]"),
	KW("vrrp_notify_fifo_script", kw_fifo, 1, 3, KW_LINE, "a command [user [group]]"),
	WARN("fifo_write_vrrp_states_on_reload", "vipd writes state changes only, not the "
						  "states at a reload"),
	WARN("default_interface", "not needed by vipd"),
	WARN("linkbeat_use_polling", "vipd follows link state through netlink"),
	WARN("log_unknown_vrids", "vipd counts adverts for unknown VRIDs (see vipctl)"),
	WARN("random_seed", no_tune),
	WARN("umask", no_tune),
	REJECT("vrrp_down_timer_adverts", down_timer),
	WARN("vrrp_garp_extra_if", "vipd announces on the instances' interfaces only"),
	WARN("vrrp_netlink_cmd_rcv_bufs_force", no_tune),
	WARN("vrrp_netlink_monitor_rcv_bufs_force", no_tune),
	WARN("process_monitor_rcv_bufs", no_tune),
	WARN("process_monitor_rcv_bufs_force", no_tune),
	WARN("vrrp_notify_priority_changes", "vipd writes state changes only to the notify FIFO"),
	WARN("min_auto_priority_delay", no_tune),
	WARN("process_name", no_tune),
	WARN("vmac_prefix", "vipd names a VMAC vrrp.VRID unless use_vmac gives a name"),
	WARN("vmac_addr_prefix", "vipd names a VMAC vrrp.VRID unless use_vmac gives a name"),
	WARN("disable_local_igmp", "not supported by vipd"),
	WARN("nftables", no_fw),
	WARN("nftables_priority", no_fw),
	WARN("nftables_ifindex", no_fw),
	WARN("nftables_counters", no_fw),
	WARN("nftables_ipvs", no_lvs),
	WARN("nftables_ipvs_priority", no_lvs),
	WARN("nftables_ipvs_start_fwmark", no_lvs),
	WARN("startup_script", "run it from the service manager before vipd starts"),
	WARN("startup_script_timeout", "run it from the service manager before vipd starts"),
	WARN("shutdown_script", "run it from the service manager after vipd stops"),
	WARN("shutdown_script_timeout", "run it from the service manager after vipd stops"),
	WARN("tmp_config_directory", no_tune),
	WARN("config_save_dir", no_tune),
	WARN("reload_check_config", "check a configuration with vipd -t before reloading"),
	WARN("reload_time_file", "vipd reloads on SIGHUP or vipctl reload only"),
	WARN("reload_repeat", "vipd reloads on SIGHUP or vipctl reload only"),
	WARN("reload_file", "vipd reloads on SIGHUP or vipctl reload only"),
	WARN("include_check", "vipd reports a missing include as a warning"),
	WARN("data_use_instance", "vipd has no data file (see vipctl dump)"),
	WARN("dbus_service_name", "vipd has no D-Bus interface (see vipctl)"),
	WARN("no_checker_emails", no_mail),
	WARN("rs_init_notifies", no_lvs),
	WARN("checker_cpu_affinity", no_lvs),
	WARN("checker_rlimit_rttime", no_lvs),
	WARN("checker_log_all_failures", no_lvs),
	WARN("lvs_flush_on_stop", no_lvs),
	WARN("lvs_netlink_cmd_rcv_bufs", no_lvs),
	WARN("lvs_netlink_cmd_rcv_bufs_force", no_lvs),
	WARN("lvs_netlink_monitor_rcv_bufs", no_lvs),
	WARN("lvs_netlink_monitor_rcv_bufs_force", no_lvs),
	WARN("lvs_notify_fifo", no_lvs),
	WARN("lvs_notify_fifo_script", no_lvs),
	WARN("bfd_process_name", no_bfd),
	WARN("bfd_priority", no_bfd),
	WARN("bfd_rt_priority", no_bfd),
	WARN("bfd_no_swap", no_bfd),
	WARN("bfd_cpu_affinity", no_bfd),
	WARN("bfd_rlimit_rttime", no_bfd),
	WARN("child_wait_time", no_tune),
	WARN("namespace_with_ipsets", no_fw),
	WARN("net_namespace_ipvs", no_lvs),
};

static const struct block_def global_block = { "global_defs", global_kws, ARRAY_SIZE(global_kws),
					       NULL };

static void kw_global_defs(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_block(p, &global_block, &st->open, &p->cfg->global);
}

/* ------------------------------------------------- vrrp_script NAME { ... } */

#define SC(m) offsetof(struct cfg_script, m)

static void kw_script_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;
	char *cmd = val_join_command(st);

	if (!cmd) {
		cfg_oom(p, &st->kw.at);
		return;
	}
	if (!cmd[0]) {
		cfg_err(p, &st->args[0].at, "script: expected a command, got an empty string");
		free(cmd);
		return;
	}
	free(s->command);
	s->command = cmd;
}

/* http_get URL / tcp_connect ADDR:PORT: a native check instead of a script (vipd). */
static void kw_script_probe(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;
	struct probe_spec spec = s->probe; /* keeps status and body_contains */
	char msg[200];
	int rc;

	if (s->probe.kind != PROBE_NONE) {
		cfg_err(p, &st->kw.at,
			"%s: this vrrp_script already names a native check; one per block",
			st->kw.text);
		return;
	}
	if (strcmp(st->kw.text, "http_get") == 0)
		rc = probe_parse_http_url(st->args[0].text, &spec, msg, sizeof(msg));
	else
		rc = probe_parse_tcp(st->args[0].text, &spec, msg, sizeof(msg));
	if (rc < 0) {
		cfg_err(p, &st->args[0].at, "%s: %s", st->kw.text, msg);
		/* the block did name a check: no second error for a missing one */
		s->probe.kind = strcmp(st->kw.text, "http_get") == 0 ? PROBE_HTTP_GET
								     : PROBE_TCP_CONNECT;
		return;
	}
	s->probe = spec;
}

static void kw_script_status(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;
	char msg[200];

	if (probe_parse_status(st->args[0].text, &s->probe, msg, sizeof(msg)) < 0)
		cfg_err(p, &st->args[0].at, "%s", msg);
}

static void kw_script_body(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;
	char msg[200];

	if (probe_set_body_contains(st->args[0].text, &s->probe, msg, sizeof(msg)) < 0)
		cfg_err(p, &st->args[0].at, "%s", msg);
}

/* weight W [reverse]: shared by vrrp_script and track_script. */
static bool val_weight(struct parser *p, const char *kw, struct tok *args, size_t n,
		       int *weight, bool *reverse)
{
	long long w;

	if (!val_int(p, kw, &args[0], -VRRP_WEIGHT_MAX, VRRP_WEIGHT_MAX, &w))
		return false;
	*weight = (int)w;
	*reverse = false;
	if (n < 2)
		return true;
	if (strcmp(args[1].text, "reverse") == 0) {
		*reverse = true;
		return true;
	}
	if (strcmp(args[1].text, "noreverse") == 0 || strcmp(args[1].text, "no_reverse") == 0)
		return true;
	cfg_err(p, &args[1].at, "%s: expected 'reverse' or nothing after the weight, got %s", kw,
	    args[1].text);
	return false;
}

static void kw_script_weight(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;

	val_weight(p, "weight", st->args, st->nargs, &s->weight, &s->weight_reverse);
}

static void kw_script_run_as(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_script *s = obj;

	if (!val_name(p, "user", &st->args[0], s->user, sizeof(s->user)))
		return;
	s->group[0] = '\0';
	if (st->nargs > 1)
		val_name(p, "user", &st->args[1], s->group, sizeof(s->group));
}

static const struct kw script_kws[] = {
	KW("script", kw_script_line, 1, ARGS_ANY, KW_LINE, "a command"),
	KW("http_get", kw_script_probe, 1, 1, KW_LINE, "a URL (http://ADDRESS[:PORT]/PATH)"),
	KW("tcp_connect", kw_script_probe, 1, 1, KW_LINE, "ADDRESS:PORT"),
	KW("status", kw_script_status, 1, 1, KW_LINE, "an HTTP status"),
	KW("body_contains", kw_script_body, 1, 1, KW_LINE, "a text"),
	KW("interval", kw_set_us, 1, 1, KW_LINE, "seconds", SC(interval_us), 1000, S_US(86400)),
	KW("timeout", kw_set_us, 1, 1, KW_LINE, "seconds", SC(timeout_us), 1000, S_US(86400)),
	KW("weight", kw_script_weight, 1, 2, KW_LINE, "a number from -253 to 253 [reverse]"),
	KW("rise", kw_set_int, 1, 1, KW_LINE, "a count", SC(rise), 1, 1000000),
	KW("fall", kw_set_int, 1, 1, KW_LINE, "a count", SC(fall), 1, 1000000),
	KW("user", kw_script_run_as, 1, 2, KW_LINE, "a user name [and a group name]"),
	KW("init_fail", kw_set_true, 0, 0, KW_LINE, NULL, SC(init_fail)),
};

static const struct block_def script_block = { "vrrp_script", script_kws, ARRAY_SIZE(script_kws),
					       NULL };

static struct cfg_where where_of(const struct tok *t)
{
	return t->at;
}

static void kw_vrrp_script(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_script *s;

	if (!stmt_block_name(p, st, name, sizeof(name)))
		return;
	s = ARR_PUSH(p, &st->kw.at, c->scripts, c->nscripts);
	if (!s)
		return; /* out of memory: parsing has stopped */
	memcpy(s->name, name, sizeof(name));
	s->where = where_of(&st->args[0]);
	stmt_parse_block(p, &script_block, &st->open, s);
}

/* ------------------------------ track_gateway NAME { ... } (vipd extension) */

#define GW(m) offsetof(struct cfg_gateway, m)

static void kw_gateway_address(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_gateway *g = obj;

	val_addr(p, "address", &st->args[0], &g->addr);
}

static const struct kw gateway_kws[] = {
	KW("address", kw_gateway_address, 1, 1, KW_LINE, "an IP address"),
	KW("dev", kw_set_name, 1, 1, KW_LINE, "an interface name", GW(dev), 0,
	   MEMBER_SIZE(struct cfg_gateway, dev)),
	KW("interval", kw_set_us, 1, 1, KW_LINE, "seconds", GW(interval_us), 10000, S_US(3600)),
	KW("timeout", kw_set_us, 1, 1, KW_LINE, "seconds", GW(timeout_us), 10000, S_US(3600)),
	KW("weight", kw_set_int, 1, 1, KW_LINE, "a number", GW(weight), -VRRP_WEIGHT_MAX, VRRP_WEIGHT_MAX),
	KW("rise", kw_set_int, 1, 1, KW_LINE, "a count", GW(rise), 1, 1000000),
	KW("fall", kw_set_int, 1, 1, KW_LINE, "a count", GW(fall), 1, 1000000),
};

static const struct block_def gateway_block = { "track_gateway", gateway_kws,
						ARRAY_SIZE(gateway_kws), NULL };

static void kw_track_gateway_def(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_gateway *g;

	if (!stmt_block_name(p, st, name, sizeof(name)))
		return;
	g = ARR_PUSH(p, &st->kw.at, c->gateways, c->ngateways);
	if (!g)
		return; /* out of memory: parsing has stopped */
	memcpy(g->name, name, sizeof(name));
	g->where = where_of(&st->args[0]);
	stmt_parse_block(p, &gateway_block, &st->open, g);
}

/* ---------------------------------------- vrrp_instance: authentication { } */

static void kw_auth_type(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *v = st->args[0].text;

	if (strcasecmp(v, "PASS") == 0) {
		in->auth_type = VRRP_AUTH_PASS;
	} else if (strcasecmp(v, "AH") == 0) {
		in->auth_type = VRRP_AUTH_AH; /* until the end of the block */
	} else {
		cfg_err(p, &st->args[0].at, "auth_type: expected PASS or AH, got %s", v);
	}
}

static void kw_auth_pass(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *v = st->args[0].text;
	size_t len = strlen(v);

	if (len == 0) {
		cfg_err(p, &st->args[0].at, "auth_pass: expected a password, got an empty string");
		return;
	}
	if (len > VRRP_V2_AUTH_LEN) {
		cfg_warn(p, &st->args[0].at,
		     "auth_pass: longer than %d characters; only the first %d are used "
		     "(as keepalived does)", VRRP_V2_AUTH_LEN, VRRP_V2_AUTH_LEN);
		len = VRRP_V2_AUTH_LEN;
	}
	memset(in->auth_pass, 0, sizeof(in->auth_pass));
	memcpy(in->auth_pass, v, len);
}

static const struct kw auth_kws[] = {
	KW("auth_type", kw_auth_type, 1, 1, KW_LINE, "PASS or AH"),
	KW("auth_pass", kw_auth_pass, 1, 1, KW_LINE, "a password of up to 8 characters"),
};

static const struct block_def auth_block = { "authentication", auth_kws, ARRAY_SIZE(auth_kws),
					     NULL };

static void kw_authentication(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	in->auth_type = VRRP_AUTH_NONE;
	in->auth_pass[0] = '\0';
	p->cur_x->auth = st->kw.at;
	stmt_parse_block(p, &auth_block, &st->open, in);
	in->auth_ah = in->auth_type == VRRP_AUTH_AH;
	if (in->auth_ah) {
		in->auth_type = VRRP_AUTH_NONE;
		if (!in->auth_pass[0])
			cfg_err(p, &st->kw.at, "authentication: auth_type AH needs an auth_pass (its "
					   "key)");
	} else if (in->auth_type == VRRP_AUTH_PASS && !in->auth_pass[0])
		cfg_err(p, &st->kw.at, "authentication: auth_type PASS needs an auth_pass");
	else if (in->auth_type == VRRP_AUTH_NONE && in->auth_pass[0])
		cfg_warn(p, &st->kw.at, "authentication: auth_pass without auth_type PASS; "
				    "adverts carry no password");
}

/* ---------------- vrrp_instance: virtual_ipaddress { ADDR[/LEN] [options] } */

struct vip_list {
	const char *kw;
	struct cfg_vip **vips;
	size_t *n;
	size_t max;
};

static int scope_parse(const char *s)
{
	static const struct {
		const char *name;
		int scope;
	} names[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
		{ "site", RT_SCOPE_SITE },       { "link", RT_SCOPE_LINK },
		{ "host", RT_SCOPE_HOST },       { "nowhere", RT_SCOPE_NOWHERE },
	};
	long long n;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].scope;
	if (val_ll(s, &n) && n >= 0 && n <= 255)
		return (int)n;
	return -1;
}

enum vip_opt { VIP_DEV, VIP_LABEL, VIP_SCOPE, VIP_BRD, VIP_NO_TRACK, VIP_UNSUPPORTED };

static const struct vip_opt_def {
	const char *name;
	enum vip_opt opt;
	int nparams;
} vip_opts[] = {
	{ "dev", VIP_DEV, 1 },           { "label", VIP_LABEL, 1 },
	{ "scope", VIP_SCOPE, 1 },       { "brd", VIP_BRD, 1 },
	{ "broadcast", VIP_BRD, 1 },     { "no_track", VIP_NO_TRACK, 0 },
	{ "peer", VIP_UNSUPPORTED, 1 },  { "home", VIP_UNSUPPORTED, 0 },
	{ "-nodad", VIP_UNSUPPORTED, 0 }, { "nodad", VIP_UNSUPPORTED, 0 },
	{ "mngtmpaddr", VIP_UNSUPPORTED, 0 }, { "noprefixroute", VIP_UNSUPPORTED, 0 },
	{ "autojoin", VIP_UNSUPPORTED, 0 }, { "preferred_lft", VIP_UNSUPPORTED, 1 },
	{ "use_vmac", VIP_UNSUPPORTED, 0 }, { "track", VIP_UNSUPPORTED, 0 },
};

/* One option of a VIP line with its parameter; false to stop the line. */
static bool vip_option(struct parser *p, const struct vip_list *l, struct cfg_vip *v,
		       const struct vip_opt_def *o, const struct tok *name, const struct tok *val)
{
	switch (o->opt) {
	case VIP_DEV:
		return val_name(p, "dev", val, v->dev, sizeof(v->dev));
	case VIP_LABEL:
		return val_name(p, "label", val, v->label, sizeof(v->label));
	case VIP_SCOPE:
		v->scope = scope_parse(val->text);
		if (v->scope >= 0)
			return true;
		cfg_err(p, &val->at, "scope: expected global, site, link, host, nowhere or a number "
				 "from 0 to 255, got %s", val->text);
		return false;
	case VIP_BRD:
		if (ipaddr_parse(val->text, &v->broadcast, NULL) == 0 &&
		    v->broadcast.family == AF_INET)
			return true;
		cfg_err(p, &val->at, "%s: expected an IPv4 broadcast address, got %s", name->text,
		    val->text);
		return false;
	case VIP_NO_TRACK:
		v->no_track = true;
		return true;
	case VIP_UNSUPPORTED:
		break;
	}
	cfg_err(p, &name->at, "%s: the address option '%s' is not supported by vipd", l->kw,
	    name->text);
	return false;
}

static bool vip_options(struct parser *p, const struct vip_list *l, struct stmt *st,
			struct cfg_vip *v)
{
	for (size_t i = 0; i < st->nargs; i++) {
		const struct tok *name = &st->args[i];
		const struct vip_opt_def *o = NULL;

		for (size_t k = 0; k < ARRAY_SIZE(vip_opts) && !o; k++)
			if (strcmp(vip_opts[k].name, name->text) == 0)
				o = &vip_opts[k];
		if (!o) {
			const char *s = cfg_suggest(name->text, &vip_opts[0].name,
						ARRAY_SIZE(vip_opts), sizeof(vip_opts[0]));

			cfg_err(p, &name->at, "%s: unknown address option '%s'%s%s%s", l->kw,
			    name->text, s ? "; did you mean '" : " (expected dev, label, scope, "
								 "brd or no_track)",
			    s ? s : "", s ? "'?" : "");
			return false;
		}
		if (i + (size_t)o->nparams >= st->nargs && o->nparams) {
			cfg_err(p, &name->at, "%s: '%s' needs a value", l->kw, name->text);
			return false;
		}
		if (!vip_option(p, l, v, o, name, o->nparams ? &st->args[i + 1] : NULL))
			return false;
		i += (size_t)o->nparams;
	}
	return true;
}

/* IPv6 addresses have no label, scope or broadcast: keepalived drops the first two. */
static bool vip_check_v6(struct parser *p, const struct vip_list *l, struct cfg_vip *v)
{
	if (v->addr.family != AF_INET6)
		return true;
	if (v->broadcast.family != AF_UNSPEC) {
		cfg_err(p, &v->where, "%s: an IPv6 address has no broadcast address", l->kw);
		return false;
	}
	if (v->label[0])
		cfg_warn(p, &v->where, "%s: IPv6 addresses have no label; label %s ignored", l->kw,
		     v->label);
	if (v->scope != RT_SCOPE_UNIVERSE)
		cfg_warn(p, &v->where, "%s: the scope of an IPv6 address comes from the address; "
				   "scope ignored", l->kw);
	v->label[0] = '\0';
	v->scope = RT_SCOPE_UNIVERSE;
	return true;
}

static const struct cfg_vip *vip_find(const struct cfg_vip *vips, size_t n,
				      const struct ipaddr *a)
{
	for (size_t i = 0; i < n; i++)
		if (ipaddr_equal(&vips[i].addr, a))
			return &vips[i];
	return NULL;
}

static void vip_line(struct parser *p, struct stmt *st, void *obj)
{
	struct vip_list *l = obj;
	struct cfg_vip v = { .scope = RT_SCOPE_UNIVERSE, .where = st->kw.at };
	const struct cfg_vip *dup;
	struct cfg_vip *slot;

	if (ipaddr_parse(st->kw.text, &v.addr, &v.prefix_len) < 0) {
		cfg_err(p, &st->kw.at, "%s: expected an address like 192.0.2.10/24 or "
				   "2001:db8::10/64, got %s", l->kw, st->kw.text);
		return;
	}
	if (!vip_options(p, l, st, &v) || !vip_check_v6(p, l, &v))
		return;
	dup = vip_find(*l->vips, *l->n, &v.addr);
	if (dup) {
		cfg_warn(p, &st->kw.at, "%s: %s is already listed at line %d; this entry is ignored",
		     l->kw, st->kw.text, dup->where.line);
		return;
	}
	if (*l->n >= l->max) {
		cfg_err(p, &st->kw.at, "%s: more than %zu addresses%s", l->kw, l->max,
		    l->max == VRRP_MAX_ADDRS ? " (an advert carries at most 255; put the rest "
					       "in virtual_ipaddress_excluded)" : "");
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, *l->vips, *l->n);
	if (slot)
		*slot = v;
}

static void kw_vips(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	bool excluded = strcmp(st->kw.text, "virtual_ipaddress") != 0;
	struct vip_list l = {
		.kw = st->kw.text,
		.vips = excluded ? &in->vips_excluded : &in->vips,
		.n = excluded ? &in->nvips_excluded : &in->nvips,
		.max = excluded ? CFG_EXCLUDED_MAX : VRRP_MAX_ADDRS,
	};

	stmt_parse_list(p, vip_line, &st->open, &l);
}

/* ------------------------------------------- vrrp_instance: the other lists */

/*
 * An address with a /prefix, which keepalived reads and ignores for
 * unicast_src_ip and unicast_peer: the address alone, with a warning.
 */
static bool val_addr_no_prefix(struct parser *p, const char *kw, const struct tok *t,
			       struct ipaddr *a)
{
	const char *slash = strchr(t->text, '/');
	struct tok bare = *t;
	char buf[IPADDR_STRLEN + 1];
	bool ok;

	if (!slash || (size_t)(slash - t->text) >= sizeof(buf))
		return val_addr(p, kw, t, a);
	memcpy(buf, t->text, (size_t)(slash - t->text));
	buf[slash - t->text] = '\0';
	bare.text = buf;
	ok = val_addr(p, kw, &bare, a);
	if (ok)
		cfg_warn(p, &t->at, "%s: the prefix of %s is ignored (as keepalived does); %s is "
			 "used", kw, t->text, buf);
	return ok;
}

static void kw_unicast_src(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	if (val_addr_no_prefix(p, st->kw.text, &st->args[0], &in->unicast_src))
		p->cur_x->unicast_src = st->args[0].at;
}

static void peer_add(struct parser *p, struct cfg_instance *in, const struct tok *t)
{
	struct ipaddr a, *slot;

	if (!val_addr_no_prefix(p, "unicast_peer", t, &a))
		return;
	for (size_t i = 0; i < in->nunicast_peers; i++) {
		if (ipaddr_equal(&in->unicast_peers[i], &a)) {
			cfg_warn(p, &t->at, "unicast_peer: %s is listed twice", t->text);
			return;
		}
	}
	if (in->nunicast_peers >= CFG_LIST_MAX) {
		cfg_err(p, &t->at, "unicast_peer: more than %d peers", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &t->at, in->unicast_peers, in->nunicast_peers);
	if (slot)
		*slot = a;
}

static void peer_line(struct parser *p, struct stmt *st, void *obj)
{
	peer_add(p, obj, &st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		peer_add(p, obj, &st->args[i]);
}

static void kw_unicast_peer(struct parser *p, struct stmt *st, void *obj)
{
	p->cur_x->unicast_peer = st->kw.at;
	stmt_parse_list(p, peer_line, &st->open, obj);
}

/*
 * advert_path { IFACE PEER [PEER...] }: one line per path. The checks that
 * need the whole instance (its interface, its family) are config-check.c's.
 */
static void advert_path_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	struct cfg_advert_path path = { .where = st->kw.at }, *slot;

	if (!val_name(p, "advert_path", &st->kw, path.interface, sizeof(path.interface)))
		return;
	if (st->block) {
		cfg_err(p, &st->open.at, "advert_path: %s: expected peer addresses on the line, "
				 "not a block", st->kw.text);
		return;
	}
	if (!st->nargs) {
		cfg_err(p, &st->kw.at, "advert_path: %s: expected at least one peer address "
			       "(INTERFACE PEER_ADDRESS [PEER_ADDRESS...])", st->kw.text);
		return;
	}
	for (size_t i = 0; i < in->npaths; i++) {
		if (strcmp(in->paths[i].interface, path.interface) == 0) {
			cfg_err(p, &st->kw.at, "advert_path: %s is listed twice (put all its peers "
				       "on one line)", path.interface);
			return;
		}
	}
	if (in->npaths >= CFG_ADVERT_PATHS_MAX) {
		cfg_err(p, &st->kw.at, "advert_path: more than %d paths", CFG_ADVERT_PATHS_MAX);
		return;
	}
	for (size_t i = 0; i < st->nargs; i++) {
		struct ipaddr a, *peer;
		bool dup = false;

		if (!val_addr(p, "advert_path", &st->args[i], &a))
			continue;
		for (size_t k = 0; k < path.npeers && !dup; k++)
			dup = ipaddr_equal(&path.peers[k], &a);
		if (dup) {
			cfg_warn(p, &st->args[i].at, "advert_path: %s: %s is listed twice",
				 path.interface, st->args[i].text);
			continue;
		}
		peer = ARR_PUSH(p, &st->args[i].at, path.peers, path.npeers);
		if (peer)
			*peer = a;
	}
	if (!path.npeers)
		return;
	slot = ARR_PUSH(p, &st->kw.at, in->paths, in->npaths);
	if (slot)
		*slot = path;
	else
		free(path.peers);
}

static void kw_advert_path(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, advert_path_line, &st->open, obj);
}

/*
 * The "weight W [reverse]" after a tracked NAME (at least one word follows).
 * vipd has no reverse tracking: it would invert failover.
 */
static bool track_weight(struct parser *p, const char *kw, struct stmt *st, int *weight)
{
	bool reverse;

	if (strcmp(st->args[0].text, "weight") != 0) {
		cfg_err(p, &st->args[0].at, "%s: expected 'weight' after %s, got %s", kw, st->kw.text,
		    st->args[0].text);
		return false;
	}
	if (st->nargs < 2) {
		cfg_err(p, &st->args[0].at, "%s: weight: expected a number from -253 to 253", kw);
		return false;
	}
	if (st->nargs > 3) {
		cfg_err(p, &st->args[3].at, "%s: unexpected '%s'", kw, st->args[3].text);
		return false;
	}
	if (!val_weight(p, kw, &st->args[1], st->nargs - 1, weight, &reverse))
		return false;
	if (reverse) {
		cfg_err(p, &st->args[2].at, "%s: 'reverse' is not supported by vipd", kw);
		return false;
	}
	return true;
}

/* One line of track_interface { }, into an instance's or a group's list. */
static void track_if_add(struct parser *p, struct stmt *st, struct cfg_track_if **list,
			 size_t *n)
{
	struct cfg_track_if t = { .where = st->kw.at };
	struct cfg_track_if *slot;

	if (!val_name(p, "track_interface", &st->kw, t.name, sizeof(t.name)))
		return;
	if (st->nargs && !track_weight(p, "track_interface", st, &t.weight))
		return;
	if (*n >= CFG_LIST_MAX) {
		cfg_err(p, &st->kw.at, "track_interface: more than %d entries", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, *list, *n);
	if (slot)
		*slot = t;
}

/* One line of track_script { }, likewise. */
static void track_script_add(struct parser *p, struct stmt *st, struct cfg_track_script **list,
			     size_t *n)
{
	struct cfg_track_script t = { .where = st->kw.at };
	struct cfg_track_script *slot;

	if (!val_name(p, "track_script", &st->kw, t.name, sizeof(t.name)))
		return;
	if (st->nargs && !track_weight(p, "track_script", st, &t.weight))
		return;
	t.weight_set = st->nargs > 0;
	if (*n >= CFG_LIST_MAX) {
		cfg_err(p, &st->kw.at, "track_script: more than %d entries", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, *list, *n);
	if (slot)
		*slot = t;
}

static void track_if_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	track_if_add(p, st, &in->track_ifs, &in->ntrack_ifs);
}

static void track_script_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	track_script_add(p, st, &in->track_scripts, &in->ntrack_scripts);
}

/* Remember a name that can only be resolved once everything is read. */
static void ref_add(struct parser *p, enum ref_kind kind, size_t owner, size_t idx,
		    const struct tok *t)
{
	struct ref *r = ARR_PUSH(p, &t->at, p->refs, p->nrefs);

	if (r) {
		r->kind = kind;
		r->owner = owner;
		r->idx = idx;
		r->at = t->at;
	}
}

static void gateway_ref(struct parser *p, struct cfg_instance *in, const struct tok *t)
{
	char name[CFG_NAME_MAX];
	char(*slot)[CFG_NAME_MAX];

	if (!val_name(p, "track_gateway", t, name, sizeof(name)))
		return;
	if (in->ntrack_gateways >= CFG_LIST_MAX) {
		cfg_err(p, &t->at, "track_gateway: more than %d entries", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &t->at, in->track_gateways, in->ntrack_gateways);
	if (!slot)
		return;
	memcpy(*slot, name, sizeof(name));
	ref_add(p, REF_GATEWAY, (size_t)(in - p->cfg->instances), in->ntrack_gateways - 1, t);
}

static void gateway_ref_line(struct parser *p, struct stmt *st, void *obj)
{
	gateway_ref(p, obj, &st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		gateway_ref(p, obj, &st->args[i]);
}

/* The keyword and its arguments as one word list, for vroute_parse. */
static size_t stmt_words(const struct stmt *st, const char **w)
{
	w[0] = st->kw.text;
	for (size_t i = 0; i < st->nargs; i++)
		w[i + 1] = st->args[i].text;
	return st->nargs + 1;
}

static const struct tok *stmt_word(const struct stmt *st, size_t i)
{
	return i == 0 ? &st->kw : &st->args[i - 1];
}

static void route_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *w[CFG_ARGS_MAX + 1];
	size_t n = stmt_words(st, w), bad = 0;
	struct cfg_route *slot;
	struct vroute r;
	char msg[256];

	if (vroute_parse(w, n, &r, msg, sizeof(msg), &bad) < 0) {
		cfg_err(p, &stmt_word(st, bad)->at, "virtual_routes: %s", msg);
		return;
	}
	if (in->nroutes >= CFG_LIST_MAX) {
		cfg_err(p, &st->kw.at, "virtual_routes: more than %d routes", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, in->routes, in->nroutes);
	if (slot) {
		slot->r = r;
		slot->where = st->kw.at;
	}
}

static void rule_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *w[CFG_ARGS_MAX + 1];
	size_t n = stmt_words(st, w), bad = 0;
	struct cfg_rule *slot;
	struct vrule r;
	char msg[256];

	if (vrule_parse(w, n, &r, msg, sizeof(msg), &bad) < 0) {
		cfg_err(p, &stmt_word(st, bad)->at, "virtual_rules: %s", msg);
		return;
	}
	if (!r.priority_set)
		cfg_warn(p, &st->kw.at, "virtual_rules: a rule without a preference gets one from "
			 "the kernel, so rules may end up in any order; add 'preference N'");
	if (in->nrules >= CFG_LIST_MAX) {
		cfg_err(p, &st->kw.at, "virtual_rules: more than %d rules", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, in->rules, in->nrules);
	if (slot) {
		slot->r = r;
		slot->where = st->kw.at;
	}
}

static void kw_vroutes(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, route_line, &st->open, obj);
}

static void kw_vrules(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, rule_line, &st->open, obj);
}

static void kw_track_ifs(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, track_if_line, &st->open, obj);
}

static void kw_track_scripts(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, track_script_line, &st->open, obj);
}

static void kw_track_gateways(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, gateway_ref_line, &st->open, obj);
}

/* --------------------------------------------- vrrp_instance: single values */

#define IN(m) offsetof(struct cfg_instance, m)

/*
 * notify_* SCRIPT: one word or a quoted string. keepalived reads further
 * words as the user and group to run it as, which vipd does not do: say
 * so rather than run the script differently.
 */
static void kw_notify(struct parser *p, struct stmt *st, void *obj)
{
	char **dst = FIELD(obj, st->def->off, char *);
	char *v;

	if (st->nargs > 1) {
		cfg_err(p, &st->args[1].at,
		    "%s: keepalived reads '%s' as the user to run the script as, which vipd does "
		    "not support; quote the command if these are its arguments",
		    st->kw.text, st->args[1].text);
		return;
	}
	if (!st->args[0].text[0]) {
		cfg_err(p, &st->args[0].at, "%s: expected a command, got an empty string", st->kw.text);
		return;
	}
	v = strdup(st->args[0].text);
	if (!v) {
		cfg_oom(p, &st->kw.at);
		return;
	}
	free(*dst);
	*dst = v;
}

static void kw_state(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	const char *v = st->args[0].text;

	if (strcasecmp(v, "MASTER") == 0)
		in->initial_state = CFG_STATE_MASTER;
	else if (strcasecmp(v, "BACKUP") == 0)
		in->initial_state = CFG_STATE_BACKUP;
	else
		cfg_err(p, &st->args[0].at, "state: expected MASTER or BACKUP, got %s", v);
}

static void kw_version(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	long long v;

	if (!val_ll(st->args[0].text, &v) || (v != 2 && v != 3)) {
		cfg_err(p, &st->args[0].at, "version: expected 2 or 3, got %s", st->args[0].text);
		return;
	}
	in->version = (uint8_t)v;
	p->cur_x->version_set = true;
	p->cur_x->version = st->args[0].at;
}

/* Centisecond steps; whether it suits the version is checked after parsing. */
static void kw_advert_int(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;
	long long us;

	if (!val_seconds(p, "advert_int", &st->args[0], USEC_PER_CS,
			 S_US(VRRP_V2_MAX_ADVER_INT_S), &us))
		return;
	if (us % USEC_PER_CS) {
		cfg_err(p, &st->args[0].at, "advert_int: expected seconds in steps of 0.01, got %s",
		    st->args[0].text);
		return;
	}
	in->advert_int_cs = (uint16_t)(us / USEC_PER_CS);
	p->cur_x->advert_int = st->args[0].at;
}

static void kw_use_vmac(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	in->vmac_name[0] = '\0';
	if (st->nargs && !val_name(p, "use_vmac", &st->args[0], in->vmac_name,
				   sizeof(in->vmac_name)))
		return;
	in->use_vmac = true;
}

static void kw_smtp_alert(struct parser *p, struct stmt *st, void *obj)
{
	bool on = true;

	if (st->nargs && !val_bool(p, st->kw.text, &st->args[0], &on))
		return;
	*FIELD(obj, st->def->off, bool) = on;
	cfg_warn(p, &st->kw.at, "%s: %s; stored but no mail is sent", st->kw.text, no_mail);
}

/*
 * RFC 5798 Accept_Mode false needs a firewall rule to refuse traffic to the
 * VIPs; vipd installs none, so say that the master will accept it.
 */
static void kw_no_accept(struct parser *p, struct stmt *st, void *obj)
{
	*FIELD(obj, st->def->off, bool) = false;
	cfg_warn(p, &st->kw.at,
	     "no_accept: vipd installs no firewall rules, so the master accepts traffic to the "
	     "virtual addresses as with 'accept'; add your own rules if it must not");
}

static const char tracking_only[] = "vipd cannot track this; ignoring it would change when this "
				    "instance fails over";

static const struct kw instance_kws[] = {
	KW("state", kw_state, 1, 1, KW_LINE, "MASTER or BACKUP"),
	KW("interface", kw_set_name, 1, 1, KW_LINE, "an interface name", IN(interface), 0,
	   MEMBER_SIZE(struct cfg_instance, interface)),
	KW("virtual_router_id", kw_set_u8, 1, 1, KW_LINE, "a number from 1 to 255", IN(vrid), 1,
	   255),
	KW("priority", kw_set_u8, 1, 1, KW_LINE, "a number from 1 to 255", IN(priority), 1, 255),
	KW("advert_int", kw_advert_int, 1, 1, KW_LINE, "seconds"),
	KW("version", kw_version, 1, 1, KW_LINE, "2 or 3"),
	KW("nopreempt", kw_set_false, 0, 0, KW_LINE, NULL, IN(preempt)),
	KW("preempt", kw_set_true, 0, 0, KW_LINE, NULL, IN(preempt)),
	KW("preempt_delay", kw_set_us, 1, 1, KW_LINE, "seconds", IN(preempt_delay_us), 0,
	   S_US(1000)),
	KW("authentication", kw_authentication, 0, 0, KW_BLOCK, NULL),
	KW("virtual_ipaddress", kw_vips, 0, 0, KW_BLOCK, NULL),
	KW("virtual_ipaddress_excluded", kw_vips, 0, 0, KW_BLOCK, NULL),
	KW("unicast_src_ip", kw_unicast_src, 1, 1, KW_LINE, "an IP address"),
	KW("mcast_src_ip", kw_unicast_src, 1, 1, KW_LINE, "an IP address"),
	KW("unicast_peer", kw_unicast_peer, 0, 0, KW_BLOCK, NULL),
	KW("advert_path", kw_advert_path, 0, 0, KW_BLOCK, NULL),
	KW("track_interface", kw_track_ifs, 0, 0, KW_BLOCK, NULL),
	KW("track_script", kw_track_scripts, 0, 0, KW_BLOCK, NULL),
	KW("track_gateway", kw_track_gateways, 0, 0, KW_BLOCK, NULL),
	KW("notify_master", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.master)),
	KW("notify_backup", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.backup)),
	KW("notify_fault", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.fault)),
	KW("notify_stop", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.stop)),
	KW("notify", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", IN(notify.any)),
	KW("use_vmac", kw_use_vmac, 0, 1, KW_LINE, "an interface name"),
	KW("accept", kw_set_true, 0, 0, KW_LINE, NULL, IN(accept)),
	KW("no_accept", kw_no_accept, 0, 0, KW_LINE, NULL, IN(accept)),
	KW("garp_master_delay", kw_set_us, 1, 1, KW_LINE, "seconds", IN(garp_master_delay_us), 0,
	   S_US(1000)),
	KW("garp_master_repeat", kw_set_uint, 1, 1, KW_LINE, "a count", IN(garp_master_repeat), 1,
	   255),
	KW("garp_master_refresh", kw_set_us, 1, 1, KW_LINE, "seconds", IN(garp_master_refresh_us),
	   0, S_US(86400)),
	KW("garp_master_refresh_repeat", kw_set_uint, 1, 1, KW_LINE, "a count",
	   IN(garp_master_refresh_repeat), 1, 255),
	KW("garp_interval", kw_set_us, 1, 1, KW_LINE, "seconds", IN(garp_interval_us), 0, S_US(10)),
	KW("gna_interval", kw_set_us, 1, 1, KW_LINE, "seconds", IN(gna_interval_us), 0, S_US(10)),
	KW("smtp_alert", kw_smtp_alert, 0, 1, KW_LINE, "on or off", IN(smtp_alert)),
	WARN("dont_track_primary", "not supported by vipd: the instance still goes to FAULT "
				   "when its interface goes down"),
	WARN("debug", "vipd has no per-instance debug level (use vipd -D)"),
	WARN("vmac_xmit_base", "not supported by vipd: adverts leave through the VMAC"),
	WARN("native_ipv6", "the family comes from the virtual addresses"),
	WARN("lvs_sync_daemon_interface", no_lvs),
	WARN("strict_mode", "vipd does not implement keepalived's strict mode"),
	WARN("notify_deleted", "not supported by vipd"),
	WARN("notify_priority_changes", "vipd writes state changes only to the notify FIFO"),
	WARN("promote_secondaries", "set net.ipv4.conf.IF.promote_secondaries with sysctl"),
	WARN("skip_check_adv_addr", "vipd always uses adverts with a differing address list"),
	WARN("check_unicast_src", "vipd always checks the source of unicast adverts"),
	KW("garp_lower_prio_delay", kw_set_us, 1, 1, KW_LINE, "seconds",
	   IN(garp_lower_prio_delay_us), 0, S_US(1000)),
	KW("garp_lower_prio_repeat", kw_set_uint, 1, 1, KW_LINE, "a count",
	   IN(garp_lower_prio_repeat), 0, 255),
	KW("lower_prio_no_advert", kw_set_flag, 0, 1, KW_LINE, "on or off",
	   IN(lower_prio_no_advert)),
	KW("higher_prio_send_advert", kw_set_flag, 0, 1, KW_LINE, "on or off",
	   IN(higher_prio_send_advert)),
	WARN("kernel_rx_buf_size", no_tune),
	WARN("unicast_ttl", "vipd sends with TTL 255 and checks it, as the RFC says"),
	WARN("unicast_fault_no_peer", "not supported by vipd"),
	WARN("track_src_ip", "not supported by vipd"),
	KW("track_process", kw_inst_track_processes, 0, 0, KW_BLOCK, NULL),
	KW("track_file", kw_inst_track_files, 0, 0, KW_BLOCK, NULL),
	REJECT("track_bfd", tracking_only),
	KW("virtual_routes", kw_vroutes, 0, 0, KW_BLOCK, NULL),
	KW("virtual_rules", kw_vrules, 0, 0, KW_BLOCK, NULL),
	REJECT("down_timer_adverts", down_timer),
	WARN("garp_extra_if", "vipd announces on the instance's interface only"),
	WARN("linkbeat_use_polling", "vipd follows link state through netlink"),
	REJECT("mcast_dst_ip", "vipd sets one group for every instance (vrrp_mcast_group4/6 in "
			       "global_defs); its peers would not hear this one"),
	WARN("notify_master_rx_lower_pri", "not supported by vipd (the notify FIFO gets "
					   "state changes only)"),
	REJECT("use_ipvlan", "vipd supports use_vmac only; the addresses would go elsewhere"),
	WARN("use_vmac_addr", "not supported by vipd: addresses on another interface keep its "
			      "MAC address"),
	REJECT("vrf", "vipd does not run instances in a VRF; adverts would use the wrong "
		      "routing table"),
	REJECT("old_unicast_checksum", "vipd computes the standard checksum only; upgrade the "
				       "keepalived peer"),
};

static const struct block_def instance_block = { "vrrp_instance", instance_kws,
						 ARRAY_SIZE(instance_kws), NULL };

static void instance_init(struct cfg_instance *in)
{
	in->priority = VRRP_DEFAULT_PRIORITY;
	in->preempt = true;
	in->accept = true;
	in->garp_master_delay_us = UNSET_US;
	in->garp_master_repeat = UNSET_COUNT;
	in->garp_master_refresh_us = UNSET_US;
	in->garp_master_refresh_repeat = UNSET_COUNT;
	in->garp_interval_us = UNSET_US;
	in->gna_interval_us = UNSET_US;
	in->garp_lower_prio_delay_us = UNSET_US;
	in->garp_lower_prio_repeat = UNSET_COUNT;
	in->lower_prio_no_advert = UNSET_COUNT;
	in->higher_prio_send_advert = UNSET_COUNT;
}

static void kw_vrrp_instance(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct inst_extra *x;
	struct cfg_instance *in;
	size_t n = c->ninstances;

	if (!stmt_block_name(p, st, name, sizeof(name)))
		return;
	x = ARR_PUSH(p, &st->kw.at, p->iextra, n);
	in = x ? ARR_PUSH(p, &st->kw.at, c->instances, c->ninstances) : NULL;
	if (!in)
		return; /* out of memory: parsing has stopped */
	memcpy(in->name, name, sizeof(name));
	in->where = where_of(&st->args[0]);
	instance_init(in);
	p->cur_inst = in;
	p->cur_x = x;
	stmt_parse_block(p, &instance_block, &st->open, in);
	p->cur_inst = NULL;
	p->cur_x = NULL;
}

/* -------------------------- vrrp_sync_group NAME { group { ... } notify_* } */

#define SG(m) offsetof(struct cfg_sync_group, m)

static void member_add(struct parser *p, struct cfg_sync_group *g, const struct tok *t)
{
	char name[CFG_NAME_MAX];
	char(*slot)[CFG_NAME_MAX];

	if (!val_name(p, "group", t, name, sizeof(name)))
		return;
	for (size_t i = 0; i < g->nmembers; i++) {
		if (strcmp(g->members[i], name) == 0) {
			cfg_warn(p, &t->at, "group: %s is listed twice", name);
			return;
		}
	}
	if (g->nmembers >= CFG_LIST_MAX) {
		cfg_err(p, &t->at, "group: more than %d instances", CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &t->at, g->members, g->nmembers);
	if (!slot)
		return;
	memcpy(*slot, name, sizeof(name));
	ref_add(p, REF_GROUP_MEMBER, (size_t)(g - p->cfg->groups), g->nmembers - 1, t);
}

static void member_line(struct parser *p, struct stmt *st, void *obj)
{
	member_add(p, obj, &st->kw);
	for (size_t i = 0; i < st->nargs; i++)
		member_add(p, obj, &st->args[i]);
}

static void kw_group_members(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, member_line, &st->open, obj);
}

static void group_if_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_sync_group *g = obj;

	track_if_add(p, st, &g->track_ifs, &g->ntrack_ifs);
}

static void group_script_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_sync_group *g = obj;

	track_script_add(p, st, &g->track_scripts, &g->ntrack_scripts);
}

static void kw_group_track_ifs(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, group_if_line, &st->open, obj);
}

static void kw_group_track_scripts(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, group_script_line, &st->open, obj);
}

static const struct kw group_kws[] = {
	KW("group", kw_group_members, 0, 0, KW_BLOCK, NULL),
	KW("notify_master", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.master)),
	KW("notify_backup", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.backup)),
	KW("notify_fault", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.fault)),
	KW("notify_stop", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.stop)),
	KW("notify", kw_notify, 1, ARGS_ANY, KW_LINE, "a command", SG(notify.any)),
	WARN("smtp_alert", no_mail),
	WARN("global_tracking", "a member's tracking already holds the whole group in FAULT"),
	WARN("sync_group_tracking_weight", "weights never apply in a sync group: a weight that "
					   "moved one member alone would split the group"),
	WARN("notify_priority_changes", "vipd writes state changes only to the notify FIFO"),
	WARN("notify_deleted", "not supported by vipd"),
	KW("track_interface", kw_group_track_ifs, 0, 0, KW_BLOCK, NULL),
	KW("track_script", kw_group_track_scripts, 0, 0, KW_BLOCK, NULL),
	KW("track_process", kw_group_track_processes, 0, 0, KW_BLOCK, NULL),
	KW("track_file", kw_group_track_files, 0, 0, KW_BLOCK, NULL),
	REJECT("track_bfd", "vipd cannot track this; ignoring it would change when this "
			    "group fails over"),
};

static const struct block_def group_block = {
	"vrrp_sync_group", group_kws, ARRAY_SIZE(group_kws),
	" (instance names go inside 'group { ... }')",
};

static void kw_vrrp_sync_group(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_sync_group *g;

	if (!stmt_block_name(p, st, name, sizeof(name)))
		return;
	g = ARR_PUSH(p, &st->kw.at, c->groups, c->ngroups);
	if (!g)
		return; /* out of memory: parsing has stopped */
	memcpy(g->name, name, sizeof(name));
	g->where = where_of(&st->args[0]);
	stmt_parse_block(p, &group_block, &st->open, g);
}

/* ------------------------------------------------------------ the top level */

static const char not_vrrp[] = "not part of vipd (it has no effect on VRRP failover)";
static const char not_static[] = "vipd manages only its instances' addresses, routes and "
				 "rules; set static ones in the system's network configuration";

static const struct kw top_kws[] = {
	KW("global_defs", kw_global_defs, 0, 0, KW_BLOCK, NULL),
	KW("vrrp_script", kw_vrrp_script, 0, 1, KW_BLOCK, "a name"),
	KW("vrrp_instance", kw_vrrp_instance, 0, 1, KW_BLOCK, "a name"),
	KW("vrrp_sync_group", kw_vrrp_sync_group, 0, 1, KW_BLOCK, "a name"),
	KW("track_gateway", kw_track_gateway_def, 0, 1, KW_BLOCK, "a name"),
	WARN("virtual_server", no_lvs),
	WARN("virtual_server_group", no_lvs),
	WARN("real_server", no_lvs),
	WARN("static_ipaddress", not_static),
	WARN("static_routes", not_static),
	WARN("static_rules", not_static),
	WARN("static_track_group", not_vrrp),
	WARN("linkbeat_interfaces", not_vrrp),
	WARN("garp_group", not_vrrp),
	WARN("bfd_instance", "vipd has no BFD; an instance tracking it is an error"),
	KW("vrrp_track_process", kw_track_process_def, 0, 1, KW_BLOCK, "a name"),
	KW("track_file", kw_track_file_def, 0, 1, KW_BLOCK, "a name"),
	KW("vrrp_track_file", kw_track_file_def, 0, 1, KW_BLOCK, "a name"),
	KW("net_namespace", kw_net_namespace, 1, 1, KW_LINE, "a namespace name"),
	WARN("net_namespace_ipvs", no_lvs),
	WARN("namespace_with_ipsets", no_fw),
	WARN("instance", "vipd keeps one pid file per configuration (vipd -p)"),
	WARN("use_pid_dir", no_tune),
	WARN("linkbeat_use_polling", "vipd follows link state through netlink"),
	WARN("child_wait_time", no_tune),
	WARN("interface_up_down_delays", "not supported by vipd: an interface change acts at "
					 "once"),
};

const struct block_def cfg_top_block = { "the top level", top_kws, ARRAY_SIZE(top_kws),
					    NULL };
