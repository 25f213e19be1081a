/*
 * state.c - the daemon's side of the state record (see state.h): built from
 * the running instances, encoded by staterec.c, written by atomic rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "daemon-priv.h"
#include "log.h"
#include "state.h"
#include "staterec.h"
#include "vips.h"
#include "vmac.h"

/* Does the instance hold, or is it about to put in, its addresses? */
static bool inst_holds(const struct vipd_instance *in)
{
	return in->vips.installed || in->vrrp.state == VRRP_STATE_MASTER;
}

static bool fill_inst(struct vipd_instance *in, struct staterec_inst *out)
{
	const struct cfg_instance *c = in->cfg;
	const struct ipaddr *src = inst_source(in);
	size_t n = 0;

	if (in->iface->ifindex <= 0 || src->family != c->family)
		return false;
	snprintf(out->name, sizeof(out->name), "%s", c->name);
	out->family = c->family;
	out->version = c->version;
	out->vrid = c->vrid;
	out->auth_type = in->vrrp.p.auth_type;
	memcpy(out->auth_data, in->vrrp.p.auth_data, sizeof(out->auth_data));
	out->adver_int_cs = c->advert_int_cs;
	out->ifindex = in->iface->ifindex;
	out->vmac_ifindex = c->use_vmac && in->vmac.ifindex > 0 ? in->vmac.ifindex : 0;
	memcpy(out->vmac_mac, in->vmac.mac, sizeof(out->vmac_mac));
	out->source = *src;
	out->peers = c->unicast_peers;
	out->npeers = c->nunicast_peers;
	out->vips = calloc(c->nvips + c->nvips_excluded + 1, sizeof(*out->vips));
	if (!out->vips)
		return false;
	for (size_t pass = 0; pass < 2; pass++) {
		const struct cfg_vip *list = pass ? c->vips_excluded : c->vips;
		size_t count = pass ? c->nvips_excluded : c->nvips;

		for (size_t i = 0; i < count; i++) {
			int ifindex = vips_ifindex(in, &list[i]);

			/* An owner's own addresses stay when it dies. */
			if (ifindex <= 0 || vips_owned(in, &list[i].addr))
				continue;
			out->vips[n++] = (struct staterec_vip){
				.addr = list[i].addr,
				.prefix_len = list[i].prefix_len,
				.flags = pass ? 0 : STATEREC_VIP_ADVERTISED,
				.ifindex = ifindex,
			};
		}
	}
	out->nvips = n;
	return true;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	char tmp[4096];
	size_t off = 0;
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

void state_save(struct vipd *d, bool clean)
{
	struct staterec r = { .pid = (uint32_t)getpid(), .flags = clean ? STATEREC_CLEAN : 0 };
	uint8_t *buf = NULL;
	size_t need = 0;
	ssize_t len;
	int err;

	if (!d->state_path)
		return;
	r.insts = calloc(d->ninsts + 1, sizeof(*r.insts));
	if (!r.insts) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < d->ninsts && !clean; i++)
		if (inst_holds(&d->insts[i]) && fill_inst(&d->insts[i], &r.insts[r.ninsts]))
			r.ninsts++;
	len = staterec_encode(&r, NULL, 0, &need);
	if (len == -ENOSPC) {
		buf = malloc(need);
		len = buf ? staterec_encode(&r, buf, need, NULL) : -ENOMEM;
	}
	err = len < 0 ? (int)len : write_file(d->state_path, buf, (size_t)len);
out:
	if (err < 0)
		log_err("cannot write the state record %s: %s; if this process dies, its VIPs stay until it is restarted",
			d->state_path, strerror(-err));
	for (size_t i = 0; i < r.ninsts; i++)
		free(r.insts[i].vips);
	free(r.insts);
	free(buf);
}
