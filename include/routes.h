/*
 * routes.h - installing and removing virtual_routes and virtual_rules
 * through rtnetlink (one request, one acknowledgement at a time).
 */
#ifndef VIPD_ROUTES_H
#define VIPD_ROUTES_H

#include <stdbool.h>

#include "vroute.h"

struct routes;

int routes_open(struct routes **out);
void routes_close(struct routes *rt);

/*
 * Add (as keepalived: before any route with the same destination) or
 * delete a route; ifindex is the interface it goes out of (0: the
 * kernel's choice from the gateway). Returns 0 or -errno; deleting a
 * route that is not there is -ESRCH.
 */
int routes_route(struct routes *rt, const struct vroute *r, int ifindex, bool add);

/* Add or delete a rule. Returns 0 or -errno (-ENOENT when deleting an absent one). */
int routes_rule(struct routes *rt, const struct vrule *r, bool add);

#endif
