/*
 * fifos.c - notify_fifo and vrrp_notify_fifo in the daemon (see fifos.h).
 */
#include <string.h>

#include "daemon.h"
#include "fifos.h"
#include "log.h"
#include "nfifo.h"
#include "privs.h"

static void sink(enum notify_kind kind, const char *name, enum notify_state s, uint8_t priority,
		 void *arg)
{
	struct vipd *d = arg;

	for (size_t i = 0; i < VIPD_FIFOS_MAX; i++)
		nfifo_write(d->fifos[i], kind, name, s, priority);
}

static void fifo_start(struct vipd *d, const struct cfg_fifo *f, struct nfifo **out)
{
	struct script_opts opts = d->script_opts;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int err;

	if (!f->path)
		return;
	if (f->user[0] && privs_lookup_user(f->user, f->group, &uid, &gid) < 0)
		log_warn("notify FIFO %s: user %s does not exist; the FIFO stays vipd's", f->path,
			 f->user);
	if (f->script && f->script_user[0] &&
	    privs_lookup_user(f->script_user, f->script_group, &opts.uid, &opts.gid) < 0) {
		log_err("notify FIFO %s: user %s does not exist; its script is not started",
			f->path, f->script_user);
		err = nfifo_open(d->loop, f->path, uid, gid, NULL, &opts, out);
	} else {
		err = nfifo_open(d->loop, f->path, uid, gid, f->script, &opts, out);
	}
	if (err < 0)
		log_err("notify FIFO %s: cannot open it: %s", f->path, strerror(-err));
	else
		log_info("notify FIFO %s: state changes are written to it", f->path);
}

void fifos_start(struct vipd *d)
{
	const struct cfg_global *g = &d->cfg->global;

	fifo_start(d, &g->notify_fifo, &d->fifos[0]);
	/* The same file named twice is one FIFO: keepalived wants them different anyway. */
	if (!g->notify_fifo.path || !g->vrrp_notify_fifo.path ||
	    strcmp(g->notify_fifo.path, g->vrrp_notify_fifo.path) != 0)
		fifo_start(d, &g->vrrp_notify_fifo, &d->fifos[1]);
	if (d->fifos[0] || d->fifos[1])
		notify_set_sink(sink, d);
}

void fifos_stop(struct vipd *d)
{
	notify_set_sink(NULL, NULL);
	for (size_t i = 0; i < VIPD_FIFOS_MAX; i++) {
		nfifo_close(d->fifos[i]);
		d->fifos[i] = NULL;
	}
}
