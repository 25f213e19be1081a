/*
 * fifos.h - the daemon's notify FIFOs (notify_fifo, vrrp_notify_fifo;
 * nfifo.h): opened at start, fed every state change notify_run sees.
 */
#ifndef VIPD_FIFOS_H
#define VIPD_FIFOS_H

struct vipd;

/* Open the configured FIFOs and start their scripts; failures are logged. */
void fifos_start(struct vipd *d);

/* Close them (after the last STOP lines were written). */
void fifos_stop(struct vipd *d);

#endif
