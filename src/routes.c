/*
 * routes.c - virtual_routes and virtual_rules through rtnetlink (see
 * routes.h). Raw messages: a route is a handful of attributes.
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "routes.h"

#define REQ_BUF 1024
#define ACK_TIMEOUT_MS 1000 /* the kernel answers at once; never wait forever */

struct routes {
	int fd;
	uint32_t seq;
};

struct req {
	struct nlmsghdr n;
	char buf[REQ_BUF];
};

int routes_open(struct routes **out)
{
	struct timeval tv = { .tv_sec = ACK_TIMEOUT_MS / 1000,
			      .tv_usec = (ACK_TIMEOUT_MS % 1000) * 1000 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct routes *rt = calloc(1, sizeof(*rt));
	int err;

	if (!rt)
		return -ENOMEM;
	rt->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (rt->fd < 0 || bind(rt->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(rt->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		err = -errno;
		routes_close(rt);
		return err;
	}
	*out = rt;
	return 0;
}

void routes_close(struct routes *rt)
{
	if (!rt)
		return;
	if (rt->fd >= 0)
		close(rt->fd);
	free(rt);
}

static void *tail(struct nlmsghdr *n)
{
	return (char *)n + NLMSG_ALIGN(n->nlmsg_len);
}

static int put(struct req *q, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = tail(&q->n);
	size_t need = NLMSG_ALIGN(q->n.nlmsg_len) + RTA_SPACE(len);

	if (need > sizeof(*q))
		return -EMSGSIZE;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	q->n.nlmsg_len = (uint32_t)need;
	return 0;
}

static int put_u32(struct req *q, unsigned short type, uint32_t v)
{
	return put(q, type, &v, sizeof(v));
}

static int put_addr(struct req *q, unsigned short type, const struct ipaddr *a)
{
	return put(q, type, ipaddr_bytes(a), ipaddr_len(a));
}

static int put_str(struct req *q, unsigned short type, const char *s)
{
	return put(q, type, s, strlen(s) + 1);
}

/* Send q and read its acknowledgement: 0 or the kernel's -errno. */
static int transact(struct routes *rt, struct req *q)
{
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	uint32_t seq = ++rt->seq;
	ssize_t n;

	q->n.nlmsg_seq = seq;
	q->n.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(rt->fd, q, q->n.nlmsg_len, 0) < 0)
		return -errno;
	for (int round = 0; round < 16; round++) {
		struct nlmsghdr *h;

		n = recv(rt->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return -EPROTO;
			return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
	return -EPROTO;
}

/* The scope the kernel wants: link for a route straight onto an interface. */
static uint8_t route_scope(const struct vroute *r, bool add)
{
	if (!add)
		return RT_SCOPE_NOWHERE; /* any: as "ip route del" */
	if (r->scope >= 0)
		return (uint8_t)r->scope;
	if (r->type == RTN_UNICAST && r->nvia == 0)
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

static int route_multipath(struct req *q, const struct vroute *r, int ifindex)
{
	char buf[128];
	size_t len = 0;

	for (size_t i = 0; i < r->nvia; i++) {
		struct rtnexthop *nh = (struct rtnexthop *)(buf + len);
		struct rtattr *a = RTNH_DATA(nh);
		size_t alen = ipaddr_len(&r->via[i]);

		if (len + RTNH_ALIGN(sizeof(*nh) + RTA_SPACE(alen)) > sizeof(buf))
			return -EMSGSIZE;
		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = ifindex;
		nh->rtnh_flags = r->onlink ? RTNH_F_ONLINK : 0;
		a->rta_type = RTA_GATEWAY;
		a->rta_len = (unsigned short)RTA_LENGTH(alen);
		memcpy(RTA_DATA(a), ipaddr_bytes(&r->via[i]), alen);
		nh->rtnh_len = (unsigned short)(sizeof(*nh) + RTA_SPACE(alen));
		len += RTNH_ALIGN(nh->rtnh_len);
	}
	return put(q, RTA_MULTIPATH, buf, len);
}

int routes_route(struct routes *rt, const struct vroute *r, int ifindex, bool add)
{
	struct req q;
	struct rtmsg *m;
	int err = 0;

	memset(&q, 0, sizeof(q));
	q.n.nlmsg_len = NLMSG_LENGTH(sizeof(*m));
	q.n.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	/* Create, neither replace nor fail on a match: keepalived's "prepend". */
	q.n.nlmsg_flags = add ? NLM_F_CREATE : 0;
	m = NLMSG_DATA(&q.n);
	m->rtm_family = (unsigned char)r->family;
	m->rtm_dst_len = r->dst_len;
	m->rtm_table = r->table < 256 ? (unsigned char)r->table : RT_TABLE_UNSPEC;
	m->rtm_protocol = add ? r->protocol : RTPROT_UNSPEC;
	m->rtm_scope = route_scope(r, add);
	m->rtm_type = r->type;
	if (r->onlink && r->nvia == 1)
		m->rtm_flags |= RTNH_F_ONLINK;
	if (r->dst.family != AF_UNSPEC)
		err = put_addr(&q, RTA_DST, &r->dst);
	if (!err && r->src.family != AF_UNSPEC)
		err = put_addr(&q, RTA_PREFSRC, &r->src);
	if (!err && r->nvia == 1)
		err = put_addr(&q, RTA_GATEWAY, &r->via[0]);
	if (!err && r->nvia > 1)
		err = route_multipath(&q, r, ifindex);
	if (!err && ifindex > 0 && r->nvia <= 1 && r->type == RTN_UNICAST)
		err = put_u32(&q, RTA_OIF, (uint32_t)ifindex);
	if (!err && r->metric_set)
		err = put_u32(&q, RTA_PRIORITY, r->metric);
	if (!err && r->table >= 256)
		err = put_u32(&q, RTA_TABLE, r->table);
	return err ? err : transact(rt, &q);
}

int routes_rule(struct routes *rt, const struct vrule *r, bool add)
{
	struct req q;
	struct fib_rule_hdr *h;
	int err = 0;

	memset(&q, 0, sizeof(q));
	q.n.nlmsg_len = NLMSG_LENGTH(sizeof(*h));
	q.n.nlmsg_type = add ? RTM_NEWRULE : RTM_DELRULE;
	q.n.nlmsg_flags = add ? NLM_F_CREATE : 0;
	h = NLMSG_DATA(&q.n);
	h->family = (unsigned char)r->family;
	h->dst_len = r->to_len;
	h->src_len = r->from_len;
	h->tos = r->tos;
	h->action = r->action;
	h->table = r->action == FR_ACT_TO_TBL && r->table < 256 ? (unsigned char)r->table : 0;
	if (r->from.family != AF_UNSPEC && r->from_len)
		err = put_addr(&q, FRA_SRC, &r->from);
	if (!err && r->to.family != AF_UNSPEC && r->to_len)
		err = put_addr(&q, FRA_DST, &r->to);
	if (!err && r->priority_set)
		err = put_u32(&q, FRA_PRIORITY, r->priority);
	if (!err && r->action == FR_ACT_TO_TBL && r->table >= 256)
		err = put_u32(&q, FRA_TABLE, r->table);
	if (!err && r->iif[0])
		err = put_str(&q, FRA_IFNAME, r->iif);
	if (!err && r->oif[0])
		err = put_str(&q, FRA_OIFNAME, r->oif);
	if (!err && r->fwmark_set)
		err = put_u32(&q, FRA_FWMARK, r->fwmark);
	if (!err && r->fwmark_set && r->fwmask != UINT32_MAX)
		err = put_u32(&q, FRA_FWMASK, r->fwmask);
	return err ? err : transact(rt, &q);
}
