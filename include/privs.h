/*
 * privs.h - least privilege: once the daemon is up, keep only the
 * capabilities it (and the scripts it runs) still need.
 */
#ifndef VIPD_PRIVS_H
#define VIPD_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Reduce the permitted, effective, inheritable and bounding sets to
 * CAP_NET_ADMIN and CAP_NET_RAW (addresses, links, raw sockets), plus
 * CAP_SETUID, CAP_SETGID and CAP_KILL when scripts run as another user
 * (switching to it, and killing its process group at a time limit).
 * Returns 0, or -errno with nothing changed.
 */
int privs_drop(bool scripts_switch_user);

/* The effective capabilities as text ("cap_net_admin,cap_net_raw"), for the log. */
const char *privs_describe(char *buf, size_t size);

#endif
