/*
 * netlink.h - the kernel's view through rtnetlink (libnl-route-3): virtual
 * addresses added and removed, links and addresses looked up, and link /
 * address changes reported as they happen.
 *
 * The prefix is netlink_ because libnl owns nl_ and rtnl_.
 */
#ifndef VIPD_NETLINK_H
#define VIPD_NETLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

struct netlink;

struct netlink_link {
	int ifindex;
	char name[IF_NAMESIZE];
	bool up;      /* IFF_UP: administratively up */
	bool running; /* IFF_RUNNING: carrier (operational) */
	uint8_t mac[6];
	unsigned mtu;
};

/* One address to add or delete. */
struct netlink_addr {
	int ifindex;
	struct ipaddr addr;
	uint8_t prefix_len;
	const char *label; /* NULL or "" = none; must start with the interface name */
	int scope;         /* RT_SCOPE_* */
	bool nodad;        /* IPv6: IFA_F_NODAD */
};

enum netlink_event_kind {
	NETLINK_EV_LINK,     /* link appeared or changed (flags, name) */
	NETLINK_EV_LINK_DEL, /* link removed */
	NETLINK_EV_ADDR_NEW,
	NETLINK_EV_ADDR_DEL,
};

struct netlink_event {
	enum netlink_event_kind kind;
	struct netlink_link link; /* LINK / LINK_DEL (ifindex and name at least) */
	int ifindex;              /* ADDR_*: the interface */
	struct ipaddr addr;       /* ADDR_* */
	uint8_t prefix_len;       /* ADDR_* */
	uint32_t addr_flags;      /* ADDR_*: IFA_F_* (IPv6 tentative, secondary, ...) */
};

typedef void (*netlink_event_cb)(const struct netlink_event *ev, void *arg);

/* Open the request socket and the monitor socket. Returns 0 or -errno. */
int netlink_open(struct netlink **out);
void netlink_close(struct netlink *nl);

/* Look up a link by name / index. Returns 0, -ENODEV, or -errno. */
int netlink_link_by_name(struct netlink *nl, const char *name, struct netlink_link *out);
int netlink_link_by_index(struct netlink *nl, int ifindex, struct netlink_link *out);

/*
 * The address VRRP sources adverts from on ifindex: for AF_INET the first
 * primary (non-secondary) IPv4 address, for AF_INET6 the link-local one.
 * Returns 0, -EADDRNOTAVAIL when there is none, or -errno.
 */
int netlink_primary_addr(struct netlink *nl, int ifindex, sa_family_t family,
			 struct ipaddr *out);

/*
 * Create (or find, when it exists) a macvlan NAME on parent_ifindex in private
 * mode with the given MAC, up. out describes the link. 0 or -errno.
 */
int netlink_macvlan_add(struct netlink *nl, int parent_ifindex, const char *name,
			const uint8_t mac[6], struct netlink_link *out);

/* Delete a link; a link already gone counts as success. */
int netlink_link_del(struct netlink *nl, int ifindex);

/* Is addr configured on ifindex (any prefix)? 1 yes, 0 no, -errno. */
int netlink_has_addr(struct netlink *nl, int ifindex, const struct ipaddr *addr);

/*
 * Which of addrs are configured now: present[i] is true when addrs[i].addr
 * is on addrs[i].ifindex (any prefix, any label, as netlink_has_addr).
 * One dump of the namespace's addresses answers the whole list, where
 * netlink_has_addr costs a dump per address. Returns 0 or -errno.
 */
int netlink_addrs_present(struct netlink *nl, const struct netlink_addr *addrs, size_t n,
			  bool *present);

/* Is addr configured on any interface of this namespace? 1/0/-errno. */
int netlink_addr_is_local(struct netlink *nl, const struct ipaddr *addr);

/*
 * Add (or replace) / delete addresses in one batch: requests go to the
 * kernel many per sendmsg, then their acknowledgements are read, so N
 * addresses cost a handful of system calls, not N round trips. EEXIST on
 * add, and on delete EADDRNOTAVAIL / ENOENT / ENODEV (the address or its
 * device is already gone), count as success. A delete matches address and
 * prefix length (not the label). Labels apply to IPv4 only (IPv6 has none).
 * Returns 0, or the first -errno; errs[i] (when not NULL) gets each
 * address's own result, and one bad address does not stop the others.
 */
int netlink_addrs_add(struct netlink *nl, const struct netlink_addr *addrs, size_t n, int *errs);
int netlink_addrs_del(struct netlink *nl, const struct netlink_addr *addrs, size_t n, int *errs);

/* Descriptor to watch for monitor events, and the call to drain it. */
int netlink_monitor_fd(struct netlink *nl);
/* Reads every pending message, calling cb for each event. Returns 0 or -errno
 * (-ENOBUFS: events were lost; the caller must re-read the state it tracks). */
int netlink_monitor_read(struct netlink *nl, netlink_event_cb cb, void *arg);

#endif
