/*
 * ctl.h - the control socket: a Unix stream socket (mode 0600) on which a
 * client (vipctl) writes one command line and reads the answer until EOF.
 * Commands: "status", "status-json", "metrics", "dump", "reload". Peers
 * other than root are refused (SO_PEERCRED), unless ctl_allow_group()
 * opened the socket to a group, whose members may then read "status",
 * "status-json" and "metrics" (for an unprivileged metrics exporter).
 */
#ifndef VIPD_CTL_H
#define VIPD_CTL_H

#include <stddef.h>
#include <sys/types.h>

struct loop;
struct vipd;
struct ctl;

/* Asked to re-read the configuration; returns 0 or -errno, message in msg. */
typedef int (*ctl_reload_cb)(void *arg, char *msg, size_t size);

/* Listen on path (replacing a stale socket). Returns 0 or -errno. */
int ctl_open(struct loop *l, const char *path, struct vipd *d, ctl_reload_cb reload, void *arg,
	     struct ctl **out);
/* Make the socket 0660 root:gid and let its group read the reports. 0 or -errno. */
int ctl_allow_group(struct ctl *c, gid_t gid);
void ctl_close(struct ctl *c);

/*
 * Render a report: "status" (table), "status-json", "metrics" (Prometheus
 * text exposition) or "dump" (everything, for SIGUSR1 and debugging).
 * Returns a malloc'd NUL-terminated string, or NULL for an unknown kind.
 */
char *ctl_render(const struct vipd *d, const char *kind);

#endif
