/*
 * reload.h - SIGHUP: move a running daemon to a new configuration without
 * disturbing what did not change.
 */
#ifndef VIPD_RELOAD_H
#define VIPD_RELOAD_H

#include <stddef.h>

#include "config.h"
#include "daemon.h"

/*
 * Switch to a new configuration (taken). Instances with the same name,
 * interface, VRID, family, version and owner role keep their state and VIPs;
 * removed ones resign; new ones start. msg gets a one-line summary.
 */
int vipd_reload(struct vipd *d, struct vipd_config *cfg, char *msg, size_t size);

#endif /* VIPD_RELOAD_H */
