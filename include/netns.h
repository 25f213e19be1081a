/*
 * netns.h - keepalived's net_namespace: vipd moves itself into a named
 * network namespace (/run/netns/NAME, as made by "ip netns add") at
 * start, keeping a handle on the namespace it came from for the few
 * sockets that must live there (the kernel's process events).
 */
#ifndef VIPD_NETNS_H
#define VIPD_NETNS_H

/*
 * Enter /run/netns/name. *origin gets an open descriptor of the namespace
 * vipd was in (the caller closes it). Returns 0 or -errno.
 */
int netns_enter(const char *name, int *origin);

#endif
