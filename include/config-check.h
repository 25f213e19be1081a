/*
 * config-check.h - what can only be checked once the whole configuration
 * is read: references by name, duplicate names and VRIDs, the address
 * family and version of each instance; then the defaults from global_defs
 * fill what the file left unset.
 */
#ifndef VIPD_CONFIG_CHECK_H
#define VIPD_CONFIG_CHECK_H

#include "config-priv.h"

/* Check p->cfg as a whole and apply the defaults; problems go to p's diagnostics. */
void cfg_check_all(struct parser *p);

#endif /* VIPD_CONFIG_CHECK_H */
