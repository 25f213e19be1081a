/*
 * privs.h - least privilege: once the daemon is up, keep only the
 * capabilities it (and the scripts it runs) still need.
 */
#ifndef VIPD_PRIVS_H
#define VIPD_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "script.h"

/*
 * Reduce the permitted, effective, inheritable and bounding sets to
 * CAP_NET_ADMIN and CAP_NET_RAW (addresses, links, raw sockets), plus
 * CAP_SETUID, CAP_SETGID and CAP_KILL when scripts run as another user
 * (switching to it, and killing its process group at a time limit).
 * Returns 0, or -errno with nothing changed.
 */
int privs_drop(bool scripts_switch_user);

/*
 * The guard (guard.h): CAP_NET_ADMIN and CAP_NET_RAW only, to resign and
 * remove addresses for a dead daemon. The bounding set is left alone: the
 * daemon the guard starts runs vipd again as root and gets its own
 * capabilities from it. Returns 0 or -errno.
 */
int privs_guard(void);

/* The effective capabilities as text ("cap_net_admin,cap_net_raw"), for the log. */
const char *privs_describe(char *buf, size_t size);

/*
 * Look a user (and, when group is set, a group) up in a child process, so
 * that NSS never maps its modules into the daemon. Returns 0 with *uid and
 * *gid set, -ENOENT when either does not exist, or another -errno.
 */
int privs_lookup_user(const char *user, const char *group, uid_t *uid, gid_t *gid);

/*
 * Who scripts run as, into opts (uid, gid, timeout): script_user when set
 * (it must exist), else a vipd_script or keepalived_script user, else root
 * with a warning when there are scripts. 0 or -errno (logged).
 */
int privs_script_user(const struct vipd_config *cfg, struct script_opts *opts);

/* Every user the configuration names exists: 0, or -errno with msg saying which. */
int privs_check_users(const struct vipd_config *cfg, char *msg, size_t size);

#endif
