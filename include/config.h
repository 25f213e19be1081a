/*
 * config.h - vipd.conf: keepalived's configuration syntax for the VRRP
 * subset. The parser reads files (and include globs) and does nothing else:
 * no sockets, no interface look-ups. Checks that need the kernel (does the
 * interface exist, do we own the address of a priority-255 instance) are
 * the daemon's.
 *
 * Times are stored in microseconds (_us) or centiseconds where the protocol
 * speaks centiseconds (_cs). Lists are arrays with a count; the config owns
 * every pointer in it and cfg_free() releases all of it.
 */
#ifndef VIPD_CONFIG_H
#define VIPD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"
#include "probe.h"
#include "trackproc.h"
#include "vroute.h"

#define CFG_NAME_MAX 64

/* notify_timeout when global_defs does not set it: how long a notify script may run. */
#define CFG_DEFAULT_NOTIFY_TIMEOUT_US (30ULL * 1000000ULL)

enum cfg_level { CFG_WARNING, CFG_ERROR };

/* One message about the configuration, with where it points. */
struct cfg_diag {
	enum cfg_level level;
	char *file;
	int line;   /* 1-based; 0 when the message is about the whole file */
	int column; /* 1-based; 0 with line 0 */
	char *msg;  /* e.g. "priority: expected a number from 1 to 255, got 300" */
};

/* Where in the configuration something was defined, for later messages. */
struct cfg_where {
	const char *file; /* points into vipd_config.files */
	int line;
	int column;
};

struct cfg_vip {
	struct ipaddr addr;
	uint8_t prefix_len;      /* /32 or /128 when not given */
	char dev[IF_NAMESIZE];   /* "" = the instance interface */
	char label[IF_NAMESIZE]; /* "" = none */
	int scope;               /* RT_SCOPE_* value; RT_SCOPE_UNIVERSE by default */
	struct ipaddr broadcast; /* "brd"; AF_UNSPEC = none (IPv4 only) */
	bool no_track;           /* keepalived: a deleted VIP does not cause FAULT */
	struct cfg_where where;
};

/*
 * advert_path { IFACE PEER [PEER...] }: a further path to the peers; the
 * master's adverts go unicast to each PEER through IFACE as well.
 */
#define CFG_ADVERT_PATHS_MAX 8
struct cfg_advert_path {
	char interface[IF_NAMESIZE];
	struct ipaddr *peers;
	size_t npeers;
	struct cfg_where where;
};

struct cfg_track_if {
	char name[IF_NAMESIZE];
	int weight; /* 0: FAULT while down; otherwise added while down */
	struct cfg_where where;
};

struct cfg_script;

struct cfg_track_script {
	char name[CFG_NAME_MAX];
	bool weight_set;
	int weight;                /* overrides the script's weight when set */
	struct cfg_script *script; /* resolved after parsing */
	struct cfg_where where;
};

/* vrrp_script NAME { ... } */
struct cfg_script {
	char name[CFG_NAME_MAX];
	char *command;       /* the script line as written, unsplit; NULL for a native check */
	struct probe_spec probe; /* http_get / tcp_connect; kind PROBE_NONE for a script */
	uint64_t interval_us; /* default 1 s */
	uint64_t timeout_us;  /* default: interval */
	int weight;          /* -253..253, default 0 */
	bool weight_reverse; /* keepalived's "weight W reverse" */
	int rise;            /* default 1 */
	int fall;            /* default 1 */
	char user[CFG_NAME_MAX];  /* "" = global script_user */
	char group[CFG_NAME_MAX]; /* "" = the user's group */
	bool init_fail;      /* start in the failed state */
	struct cfg_where where;
};

/* track_gateway NAME { ... } (vipd extension) */
struct cfg_gateway {
	char name[CFG_NAME_MAX];
	struct ipaddr addr;
	char dev[IF_NAMESIZE]; /* "" = the instance interface */
	uint64_t interval_us;  /* default 1 s */
	uint64_t timeout_us;   /* default 1 s */
	int weight;
	int rise;
	int fall;
	struct cfg_where where;
};

/* vrrp_track_process NAME { ... } */
struct cfg_track_process {
	char name[CFG_NAME_MAX];
	struct trackproc_spec spec; /* process and params owned here */
	int weight;                 /* -254..254, default 1 */
	bool reverse;
	uint64_t fork_delay_us;
	uint64_t terminate_delay_us;
	struct cfg_where where;
};

/* track_file NAME { ... } (vrrp_track_file is keepalived's older name) */
struct cfg_track_file {
	char name[CFG_NAME_MAX];
	char *path;
	int weight; /* default 1 */
	bool reverse;
	bool init_file; /* write init_value at start when missing (or always: overwrite) */
	long init_value;
	bool init_overwrite;
	struct cfg_where where;
};

/* One line of an instance's track_process { } or track_file { } */
struct cfg_track_ref {
	char name[CFG_NAME_MAX];
	bool weight_set; /* else the block's weight and reverse */
	int weight;
	bool reverse;
	size_t def;      /* index of the block, resolved after parsing */
	struct cfg_where where;
};

/* One line of virtual_routes { } or virtual_rules { } */
struct cfg_route {
	struct vroute r;
	struct cfg_where where;
};

struct cfg_rule {
	struct vrule r;
	struct cfg_where where;
};

struct cfg_notify {
	char *master;
	char *backup;
	char *fault;
	char *stop;
	char *any; /* "notify": called with TYPE NAME STATE PRIORITY */
};

enum cfg_initial_state { CFG_STATE_DEFAULT, CFG_STATE_MASTER, CFG_STATE_BACKUP };

/* vrrp_instance NAME { ... } */
struct cfg_instance {
	char name[CFG_NAME_MAX];
	enum cfg_initial_state initial_state;
	char interface[IF_NAMESIZE];
	uint8_t vrid;
	uint8_t priority;       /* default 100 */
	uint16_t advert_int_cs; /* default 100 (1 s) */
	uint8_t version;        /* 2 or 3; from global vrrp_version when unset */
	sa_family_t family;     /* from the VIPs; AF_INET when none */
	bool preempt;           /* default true; nopreempt clears it */
	uint64_t preempt_delay_us;
	uint8_t auth_type;      /* enum vrrp_auth_type */
	char auth_pass[9];      /* up to 8 characters; the key with auth_ah */
	bool auth_ah;           /* auth_type AH: adverts in keepalived's IPsec AH (VRRPv2);
				 * auth_type is then VRRP_AUTH_NONE inside it */

	struct cfg_vip *vips;
	size_t nvips;
	struct cfg_vip *vips_excluded; /* installed, not advertised */
	size_t nvips_excluded;

	struct ipaddr unicast_src; /* AF_UNSPEC = interface primary address */
	struct ipaddr *unicast_peers;
	size_t nunicast_peers;

	struct cfg_advert_path *paths; /* advert_path entries, in order */
	size_t npaths;

	struct cfg_track_if *track_ifs;
	size_t ntrack_ifs;
	struct cfg_track_script *track_scripts;
	size_t ntrack_scripts;
	char (*track_gateways)[CFG_NAME_MAX]; /* names of track_gateway blocks */
	size_t ntrack_gateways;
	struct cfg_track_ref *track_processes; /* vrrp_track_process blocks */
	size_t ntrack_processes;
	struct cfg_track_ref *track_files;     /* track_file blocks */
	size_t ntrack_files;
	struct cfg_route *routes; /* virtual_routes: installed while master */
	size_t nroutes;
	struct cfg_rule *rules;   /* virtual_rules: likewise */
	size_t nrules;

	struct cfg_notify notify;
	bool smtp_alert; /* accepted for compatibility, ignored */

	bool use_vmac;
	char vmac_name[IF_NAMESIZE]; /* "" = vrrp.VRID */
	bool accept;                 /* accept mode; default true as keepalived */

	uint64_t garp_master_delay_us;   /* default 5 s */
	unsigned garp_master_repeat;     /* default 5 */
	uint64_t garp_master_refresh_us; /* 0 = off */
	unsigned garp_master_refresh_repeat; /* default 1 */
	uint64_t garp_interval_us;       /* between GARPs of one burst; default 0 */
	uint64_t gna_interval_us;        /* between unsolicited NAs of one burst; default 0 */
	/*
	 * A master that hears a lower-priority master (a split brain healing)
	 * re-announces: garp_lower_prio_repeat rounds at once (0 = none), a
	 * second set after garp_lower_prio_delay (0 = none); both default to
	 * the garp_master_* values. lower_prio_no_advert: do not answer with
	 * an advert; higher_prio_send_advert: a master that gives way to a
	 * higher-priority one sends one advert of its own first. 0 or 1.
	 */
	uint64_t garp_lower_prio_delay_us;
	unsigned garp_lower_prio_repeat;
	unsigned lower_prio_no_advert;
	unsigned higher_prio_send_advert;

	char sync_group[CFG_NAME_MAX]; /* filled when a group names it */
	struct cfg_where where;
};

/*
 * vrrp_sync_group NAME { group { ... } track_* notify_* }. The group's own
 * tracking lists are copied into every member's lists by the checks (a
 * member already tracking the same name keeps its own entry): in a group a
 * tracker can only mean FAULT, so each member following it is the group
 * following it.
 */
struct cfg_sync_group {
	char name[CFG_NAME_MAX];
	char (*members)[CFG_NAME_MAX];
	size_t nmembers;
	struct cfg_track_if *track_ifs;
	size_t ntrack_ifs;
	struct cfg_track_script *track_scripts;
	size_t ntrack_scripts;
	struct cfg_track_ref *track_processes;
	size_t ntrack_processes;
	struct cfg_track_ref *track_files;
	size_t ntrack_files;
	struct cfg_notify notify;
	struct cfg_where where;
};

/* notify_fifo / vrrp_notify_fifo and their *_fifo_script */
struct cfg_fifo {
	char *path;                     /* NULL = none */
	char user[CFG_NAME_MAX];        /* owner of a FIFO vipd creates; "" = vipd's */
	char group[CFG_NAME_MAX];
	char *script;                   /* started with the path as last argument; NULL = none */
	char script_user[CFG_NAME_MAX]; /* "" = script_user */
	char script_group[CFG_NAME_MAX];
};

struct cfg_global {
	char router_id[CFG_NAME_MAX];
	uint8_t vrrp_version;         /* default 2, as keepalived */
	char script_user[CFG_NAME_MAX];  /* default "" = keepalived_script if it exists, else root */
	char script_group[CFG_NAME_MAX];
	bool enable_script_security;
	uint64_t garp_master_delay_us;
	unsigned garp_master_repeat;
	uint64_t garp_master_refresh_us;
	unsigned garp_master_refresh_repeat;
	uint64_t garp_interval_us;
	uint64_t gna_interval_us;
	uint64_t garp_lower_prio_delay_us; /* unset: each instance's garp_master_delay */
	unsigned garp_lower_prio_repeat;   /* unset: each instance's garp_master_repeat */
	unsigned lower_prio_no_advert;
	unsigned higher_prio_send_advert;
	uint64_t notify_timeout_us; /* vipd: notify script time limit, default 30 s */
	char net_namespace[CFG_NAME_MAX]; /* "" = stay; else run in /run/netns/NAME */
	struct cfg_fifo notify_fifo;      /* notify_fifo: every state change */
	struct cfg_fifo vrrp_notify_fifo; /* vrrp_notify_fifo: the same (vipd has only VRRP) */
	uint64_t startup_delay_us;        /* vrrp_startup_delay: instances wait this long */
	struct ipaddr mcast_group4; /* vrrp_mcast_group4/6: AF_UNSPEC = the standard group */
	struct ipaddr mcast_group6;
};

struct vipd_config {
	struct cfg_global global;
	struct cfg_instance *instances;
	size_t ninstances;
	struct cfg_script *scripts;
	size_t nscripts;
	struct cfg_gateway *gateways;
	size_t ngateways;
	struct cfg_sync_group *groups;
	size_t ngroups;
	struct cfg_track_process *processes;
	size_t nprocesses;
	struct cfg_track_file *tfiles;
	size_t ntfiles;
	char **files; /* every file read, main first; cfg_where points here */
	size_t nfiles;
};

struct cfg_result {
	struct vipd_config *config; /* NULL when there was any error */
	struct cfg_diag *diags;     /* warnings and errors: in reading order, then
				     * the checks that need the whole configuration */
	size_t ndiags;
	size_t nerrors;
};

/* What keepalived takes from its command line and vipd from its own. */
struct cfg_opts {
	const char *config_id; /* @ID lines (vipd -i); NULL: the host name up to its first '.' */
	uint32_t random_seed;  /* ${_RANDOM}; 0 gives a fixed sequence */
};

/*
 * Load a configuration file and everything it includes. Always fills res
 * (call cfg_result_free); returns 0 when res->config is usable, -1 when
 * there were errors.
 */
int cfg_load_file(const char *path, struct cfg_result *res);

/*
 * The same from a string; name is used as the file name in messages and
 * includes are resolved relative to basedir (NULL: the current directory).
 */
int cfg_load_string(const char *text, const char *name, const char *basedir,
		    struct cfg_result *res);

/* The same with options; opts may be NULL (the defaults). */
int cfg_load_file_opts(const char *path, const struct cfg_opts *opts, struct cfg_result *res);
int cfg_load_string_opts(const char *text, const char *name, const char *basedir,
			 const struct cfg_opts *opts, struct cfg_result *res);

/* Format a diag as "file:line:col: error: msg" into buf; returns buf. */
const char *cfg_diag_format(const struct cfg_diag *d, char *buf, size_t size);

/* Frees diags and, unless taken (set res->config = NULL first), the config. */
void cfg_result_free(struct cfg_result *res);
void cfg_free(struct vipd_config *cfg);

/* Look-ups by name; NULL when absent. */
struct cfg_instance *cfg_find_instance(const struct vipd_config *cfg, const char *name);
struct cfg_script *cfg_find_script(const struct vipd_config *cfg, const char *name);

/*
 * Does the configuration run any script: a vrrp_script with a script line
 * (native checks run none) or a notify script?
 */
bool cfg_has_scripts(const struct vipd_config *cfg);

#endif
