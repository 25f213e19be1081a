/*
 * nfifo.h - keepalived's notify FIFOs (notify_fifo, vrrp_notify_fifo):
 * every instance and sync group state change is written as one line,
 *   INSTANCE "VI_1" MASTER 100
 *   GROUP "G1" BACKUP 0
 * in the order the changes happen, to a named pipe that another program
 * reads; optionally vipd starts that program (*_fifo_script, given the
 * FIFO's name as its last argument). Writes never block: when the reader
 * is too slow to keep 64 KiB of lines drained, lines are dropped and
 * counted.
 */
#ifndef VIPD_NFIFO_H
#define VIPD_NFIFO_H

#include <stdint.h>
#include <sys/types.h>

#include "loop.h"
#include "notify.h"
#include "script.h"

struct nfifo;

/*
 * Open (creating it when missing, owned by uid:gid when they are not -1)
 * the FIFO at path and, when script is not NULL, start it as opts says.
 * Returns 0 or -errno.
 */
int nfifo_open(struct loop *l, const char *path, uid_t uid, gid_t gid, const char *script,
	       const struct script_opts *opts, struct nfifo **out);

/* One state change; name is quoted as keepalived does. */
void nfifo_write(struct nfifo *f, enum notify_kind kind, const char *name,
		 enum notify_state s, uint8_t priority);

uint64_t nfifo_dropped(const struct nfifo *f);

/* Close; stop the script; remove the FIFO when vipd created it. */
void nfifo_close(struct nfifo *f);

#endif
