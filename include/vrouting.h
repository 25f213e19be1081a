/*
 * vrouting.h - an instance's virtual_routes and virtual_rules: installed
 * when it becomes master, removed when it leaves, carried across a reload
 * like its addresses (only the difference is applied).
 */
#ifndef VIPD_VROUTING_H
#define VIPD_VROUTING_H

struct vipd;
struct vipd_instance;

/* Open the rtnetlink socket when some instance has routes or rules: 0 or -errno. */
int vrouting_open(struct vipd *d);
void vrouting_close(struct vipd *d);

void vrouting_install(struct vipd_instance *in);
void vrouting_remove(struct vipd_instance *in);

/* After a reload: in (new configuration) takes over from old, whose routes may be in. */
void vrouting_carry(struct vipd_instance *in, struct vipd_instance *old);

#endif
