/*
 * daemon.h - the glue: one struct vipd owns the configuration, the event
 * loop, the kernel handles and every running instance, feeds events from
 * sockets, netlink and timers into the pure state machine (vrrp.c) and
 * performs the actions it returns.
 */
#ifndef VIPD_DAEMON_H
#define VIPD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "checks.h"
#include "config.h"
#include "fault.h"
#include "loop.h"
#include "packet.h"
#include "script.h"
#include "steer.h"
#include "vips.h"
#include "vmac.h"
#include "vrrp.h"

struct netlink;
struct vrrp_sock;

/* A VRID is one byte on the wire: every value indexes the per-interface table. */
#define VIPD_VRIDS 256

/* A sync group at run time. */
struct vipd_group {
	const struct cfg_sync_group *cfg;
	enum vrrp_state notified; /* the state its notify scripts last ran for */
};

/* One interface that instances run on (sockets are shared per family). */
struct vipd_iface {
	char name[IF_NAMESIZE];
	int ifindex;            /* 0 while the interface does not exist */
	bool up;
	bool running;
	uint8_t mac[6];
	struct ipaddr primary4; /* advert source for IPv4 */
	struct ipaddr primary6; /* link-local, advert source for IPv6 */
	struct vrrp_sock *sock4;
	struct vrrp_sock *sock6;
	int packet_fd;          /* AF_PACKET for GARP/NA; -1 until needed */
	int ah_fd;              /* raw IPsec AH socket for auth_type AH instances; -1 when none */
	bool dirty;             /* netlink said something changed; re-read after the batch */
	uint64_t drops[PKT_DROP_COUNT]; /* drops not attributable to an instance */
	/*
	 * The instance a received advert belongs to, by [IPv6?][VRID]: every
	 * advert is read from this interface's sockets or from the macvlan of
	 * one of its use_vmac instances, and an instance never changes its
	 * interface, so the table is filled once when the instances are built
	 * and stays right while the interface comes and goes.
	 */
	struct vipd_instance *by_vrid[2][VIPD_VRIDS];
	struct vipd *d;
};

/* What an instance has counted and logged; daemon.c changes it, ctl.c reports it. */
struct vipd_stats {
	uint64_t adverts_sent;
	uint64_t adverts_received;
	uint64_t transitions;
	uint64_t drops[PKT_DROP_COUNT];
	uint64_t last_transition_wall; /* seconds since the epoch, for status */
	char last_reason[VRRP_REASON_MAX];
	uint32_t addr_list_hash;       /* last mismatching address list logged (0 = none) */
	uint64_t drop_logged;          /* bit per pkt_drop reason already logged */
};

/*
 * One path an instance's adverts travel: paths[0] is its own interface,
 * then one per advert_path. Which paths carry the master's adverts is only
 * reported (the state machine hears every path alike).
 */
#define VIPD_PATHS_MAX (1 + CFG_ADVERT_PATHS_MAX)
struct vipd_path {
	struct vipd_iface *iface;
	const struct cfg_advert_path *cfg; /* NULL for the instance's own interface */
	uint64_t heard_us;  /* last advert accepted on it (monotonic); 0 = never */
	bool sent_ok;       /* our last advert went out on it */
	bool warned;        /* its silence is logged and not yet over */
};

struct vipd_instance {
	struct cfg_instance *cfg;
	struct vrrp_instance vrrp;
	struct vipd_iface *iface;
	unsigned faults;               /* enum fault_bit bits */
	int weight_sum;                /* tracking weights in force */
	char track_cause[96];          /* why tracking faults it, or last moved its priority */
	char track_down[FAULT_SUBJECT_MAX]; /* what tracking found down: a FAULT_TRACK's subject */
	struct fault_cause fault;      /* why it entered FAULT, for the message when it leaves */
	struct vipd_group *group;      /* NULL when not in a sync group */
	struct vipd_instance *group_next; /* ring of the group's members (itself when alone) */
	struct vmac vmac;               /* use_vmac: its macvlan (vmac.c) */
	bool routes_installed;          /* virtual_routes/rules are in (vrouting.c) */
	uint32_t ah_seq_out;            /* auth_type AH: last sequence number sent */
	uint32_t ah_seq_in;             /* ... and the greatest heard (anti-replay) */
	uint16_t ah_ip_id;              /* IP identification of the AH packets sent */
	struct loop_timer timer;       /* the state machine's next deadline */
	struct vips_state vips;        /* its VIPs on the interface, and their announcements (vips.c) */
	struct vipd_stats stats;       /* carried whole across a reload */
	struct steer_inst steer;       /* switchover, adverts heard (steer.c) */
	struct vipd_path paths[VIPD_PATHS_MAX];
	size_t npaths;                 /* 1 + its advert_path entries */
	struct vipd *d;
};

/* A path as a report sees it. */
struct vipd_path_snapshot {
	char name[IF_NAMESIZE];
	bool main;          /* the instance's own interface */
	bool link_up;       /* the interface exists, is up and has carrier */
	bool carries;       /* BACKUP: heard within Master_Down_Interval; MASTER: our advert left */
	uint64_t heard_us;  /* 0 = never */
	size_t npeers;      /* advert_path peers (0 for the main interface) */
	const struct ipaddr *peers;
};

/* What the control socket reports about an instance: a copy, taken at once. */
struct vipd_inst_snapshot {
	const struct cfg_instance *cfg;
	struct vrrp_instance vrrp; /* state, priorities, master, timers */
	unsigned faults;           /* enum fault_bit bits */
	bool vips_installed;
	struct vipd_stats stats;
	enum steer_switchover switchover; /* the last switchover's outcome (steer.c) */
	uint64_t now_us;           /* the loop's clock when taken */
	struct vipd_path_snapshot paths[VIPD_PATHS_MAX];
	size_t npaths;
};

struct vipd {
	struct loop *loop;
	struct netlink *nl;
	struct vipd_config *cfg;
	struct vipd_iface *ifaces;
	size_t nifaces;
	struct vipd_instance *insts;
	size_t ninsts;
	struct script_opts script_opts; /* who notify and track scripts run as */
	struct check *checks;           /* one per vrrp_script, then one per track_gateway */
	struct vipd_group *groups;
	size_t ngroups;
	struct ipaddr *vip_set;         /* every configured VIP, sorted (vips_is_ours) */
	size_t nvip_set;
	size_t nchecks;
	struct tracked *tracked;        /* vrrp_track_process and track_file (tracked.c) */
	struct routes *routes;          /* rtnetlink for virtual_routes/rules; NULL when none */
#define VIPD_FIFOS_MAX 2
	struct nfifo *fifos[VIPD_FIFOS_MAX]; /* notify_fifo, vrrp_notify_fifo (fifos.c) */
	struct loop_timer startup;      /* vrrp_startup_delay */
	struct steer *steer;            /* maintenance, events (steer.c) */
	const char *pidfile;            /* the maintenance file lives beside it */
	bool stopping;
	int exit_code;
	/* the guard (guard.h): where the state record goes, NULL without a guard */
	const char *state_path;
	bool guarded;
	unsigned restarts;              /* by the guard, since it started */
	char last_death[64];            /* how the last daemon died ("" = none) */
};

/*
 * Take ownership of cfg, open the kernel handles, clean up VIPs a previous
 * run left behind, and start every instance. Returns 0 or -errno (after
 * logging why).
 */
int vipd_start(struct vipd *d, struct loop *l, struct vipd_config *cfg);

/* Does any configured script run as root (so vipd must keep root's capabilities)? */
bool vipd_scripts_as_root(const struct vipd *d);

/* Copy what a report needs of in into snap; returns snap. */
const struct vipd_inst_snapshot *vipd_inst_snapshot(const struct vipd_instance *in,
						    struct vipd_inst_snapshot *snap);

/* The interface of that name among those instances run on or track, or NULL. */
struct vipd_iface *vipd_iface_by_name(struct vipd *d, const char *name);

/* Resign every instance (priority-0 adverts, VIPs removed, notify_stop). */
void vipd_shutdown(struct vipd *d);

/* Release everything vipd_start took. */
void vipd_free(struct vipd *d);

#endif
