/* ctlpath.h - where the control socket is, shared by vipd and vipctl. */
#ifndef VIPD_CTLPATH_H
#define VIPD_CTLPATH_H

#include <stdio.h>
#include <string.h>

#define CTL_DEFAULT_PIDFILE "/run/vipd/vipd.pid"
#define CTL_DEFAULT_SOCKET "/run/vipd/vipd.sock"

/*
 * The socket that belongs with a pid file: "X.pid" -> "X.sock", anything
 * else -> "X.sock" appended. Several daemons on one host (one per network
 * namespace) then never collide when each has its own pid file.
 */
static inline void ctl_socket_from_pidfile(const char *pidfile, char *out, size_t size)
{
	size_t len = strlen(pidfile);

	if (len > 4 && strcmp(pidfile + len - 4, ".pid") == 0)
		snprintf(out, size, "%.*s.sock", (int)(len - 4), pidfile);
	else
		snprintf(out, size, "%s.sock", pidfile);
}

#endif
