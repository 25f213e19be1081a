/*
 * ahsock.c - auth_type AH on the wire (see ahsock.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ah.h"
#include "ahsock.h"
#include "daemon-priv.h"
#include "log.h"

#define AH_PKT_MAX 1500
#define AH_RECV_BATCH 16
#define IPV4_TTL_MAX 255

static bool iface_has_ah(const struct vipd_iface *ifc)
{
	const struct vipd *d = ifc->d;

	for (size_t i = 0; i < d->ninsts; i++)
		if (d->insts[i].iface == ifc && d->insts[i].cfg->auth_ah)
			return true;
	return false;
}

static size_t key_len(const struct vipd_instance *in)
{
	return strnlen(in->cfg->auth_pass, AH_KEY_MAX);
}

/* One received AH packet: the whole IPv4 packet, header included. */
static void ah_packet(struct vipd_iface *ifc, const uint8_t *pkt, size_t len)
{
	uint8_t msg[AH_PKT_MAX];
	struct vipd_instance *in;
	const uint8_t *vrrp;
	struct pkt_ip ip = { .ttl = 0 };
	size_t iplen, vlen;
	uint32_t seq;
	enum ah_result r;

	if (len < 20 || (pkt[0] >> 4) != 4)
		return;
	iplen = (size_t)(pkt[0] & 0x0f) * 4;
	ipaddr_set(&ip.src, AF_INET, pkt + 12);
	ipaddr_set(&ip.dst, AF_INET, pkt + 16);
	ip.ttl = pkt[8];
	if (len < iplen + AH_LEN + 2) {
		vipd_count_drop(NULL, ifc, PKT_DROP_IP_HEADER, &ip.src);
		return;
	}
	/* The VRID, before the check: it says whose key to check with. */
	in = ifc->by_vrid[0][pkt[iplen + AH_LEN + 1]];
	if (!in || !in->cfg->auth_ah) {
		vipd_count_drop(in, ifc, in ? PKT_DROP_AUTH_MISMATCH : PKT_DROP_UNKNOWN_VRID,
				&ip.src);
		return;
	}
	r = ah_verify(pkt, len, in->cfg->auth_pass, key_len(in), &vrrp, &vlen, &seq);
	if (r != AH_OK) {
		vipd_count_drop(in, ifc, r == AH_BAD_ICV ? PKT_DROP_AUTH_MISMATCH :
				PKT_DROP_IP_HEADER, &ip.src);
		return;
	}
	if (!ah_seq_fresh(in->ah_seq_in, seq)) {
		char buf[IPADDR_STRLEN];

		log_debug("%s: AH advert from %s replayed (sequence %u, last %u)", in->cfg->name,
			  ipaddr_str(&ip.src, buf, sizeof(buf)), seq, in->ah_seq_in);
		vipd_count_drop(in, ifc, PKT_DROP_AUTH_MISMATCH, &ip.src);
		return;
	}
	in->ah_seq_in = seq;
	if (vlen > sizeof(msg))
		return;
	memcpy(msg, vrrp, vlen);
	ah_vrrp_unmark(msg, vlen);
	vipd_handle_packet(ifc, NULL, msg, vlen, &ip, true);
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct vipd_iface *ifc = arg;
	uint8_t buf[AH_PKT_MAX];

	(void)l;
	(void)events;
	for (int i = 0; i < AH_RECV_BATCH; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			return;
		ah_packet(ifc, buf, (size_t)n);
	}
}

void ahsock_open(struct vipd_iface *ifc)
{
	struct ip_mreqn mreq = { .imr_ifindex = ifc->ifindex };
	int one = 1, zero = 0, fd;

	if (ifc->ah_fd >= 0 || ifc->ifindex <= 0 || !iface_has_ah(ifc))
		return;
	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, AH_PROTO);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifc->name, strlen(ifc->name) + 1) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    loop_add_fd(ifc->d->loop, fd, EPOLLIN, on_readable, ifc) < 0) {
		log_err("%s: cannot open the IPsec AH socket for auth_type AH: %s", ifc->name,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	ifc->ah_fd = fd;
}

void ahsock_close(struct vipd_iface *ifc)
{
	if (ifc->ah_fd < 0)
		return;
	loop_del_fd(ifc->d->loop, ifc->ah_fd);
	close(ifc->ah_fd);
	ifc->ah_fd = -1;
}

int ahsock_send(struct vipd_instance *in, uint8_t *msg, size_t len, const struct ipaddr *src,
		const struct ipaddr *dst)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst->v4 };
	uint8_t pkt[AH_PKT_MAX];
	ssize_t n;

	if (in->iface->ah_fd < 0)
		return -ENOTCONN;
	ah_vrrp_mark(msg, len);
	n = ah_encode(msg, len, src, dst, ++in->ah_ip_id, ++in->ah_seq_out, in->cfg->auth_pass,
		      key_len(in), pkt, sizeof(pkt));
	if (n < 0)
		return (int)n;
	if (sendto(in->iface->ah_fd, pkt, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}
