/* ipaddr.c - one IPv4 or IPv6 address, and the few pure operations on it */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipaddr.h"

size_t ipaddr_len(const struct ipaddr *a)
{
	switch (a->family) {
	case AF_INET:
		return sizeof(a->v4);
	case AF_INET6:
		return sizeof(a->v6);
	default:
		return 0;
	}
}

const void *ipaddr_bytes(const struct ipaddr *a)
{
	return a->family == AF_INET ? (const void *)&a->v4 : (const void *)&a->v6;
}

void ipaddr_set(struct ipaddr *a, sa_family_t family, const void *bytes)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->family = AF_INET;
		memcpy(&a->v4, bytes, sizeof(a->v4));
	} else if (family == AF_INET6) {
		a->family = AF_INET6;
		memcpy(&a->v6, bytes, sizeof(a->v6));
	} else {
		a->family = AF_UNSPEC;
	}
}

/*
 * Strict decimal prefix length: digits only (no sign, no space, no
 * hex), at most three of them, and within max_len.
 */
static int ipaddr_parse_prefix(const char *s, unsigned int max_len, uint8_t *prefix_len)
{
	unsigned int val = 0;
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 3)
			return -EINVAL;
		val = val * 10 + (unsigned int)(s[n] - '0');
	}
	if (n == 0 || val > max_len)
		return -EINVAL;
	*prefix_len = (uint8_t)val;
	return 0;
}

int ipaddr_parse(const char *s, struct ipaddr *a, uint8_t *prefix_len)
{
	char text[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	struct ipaddr tmp;

	if (n == 0 || n >= sizeof(text))
		return -EINVAL;
	if (slash && !prefix_len)
		return -EINVAL;
	memcpy(text, s, n);
	text[n] = '\0';

	memset(&tmp, 0, sizeof(tmp));
	if (inet_pton(AF_INET, text, &tmp.v4) == 1)
		tmp.family = AF_INET;
	else if (inet_pton(AF_INET6, text, &tmp.v6) == 1)
		tmp.family = AF_INET6;
	else
		return -EINVAL;

	if (prefix_len) {
		unsigned int max_len = (unsigned int)ipaddr_len(&tmp) * 8;

		if (!slash)
			*prefix_len = (uint8_t)max_len;
		else if (ipaddr_parse_prefix(slash + 1, max_len, prefix_len) < 0)
			return -EINVAL;
	}
	*a = tmp;
	return 0;
}

const char *ipaddr_str(const struct ipaddr *a, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	if (ipaddr_is_unset(a)) {
		snprintf(buf, size, "unset");
		return buf;
	}
	if (!inet_ntop(a->family, ipaddr_bytes(a), buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return ipaddr_cmp(a, b) == 0;
}

int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	sa_family_t fa = ipaddr_is_unset(a) ? AF_UNSPEC : a->family;
	sa_family_t fb = ipaddr_is_unset(b) ? AF_UNSPEC : b->family;

	if (fa != fb)
		return fa < fb ? -1 : 1;
	/* memcmp on network-order bytes is the unsigned numeric order. */
	return memcmp(ipaddr_bytes(a), ipaddr_bytes(b), ipaddr_len(a));
}

bool ipaddr_is_unset(const struct ipaddr *a)
{
	return a->family != AF_INET && a->family != AF_INET6;
}

bool ipaddr_is_multicast(const struct ipaddr *a)
{
	if (a->family == AF_INET)
		return IN_MULTICAST(ntohl(a->v4.s_addr));
	if (a->family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&a->v6);
	return false;
}

bool ipaddr_is_linklocal6(const struct ipaddr *a)
{
	return a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->v6);
}

const char *ipaddr_family_name(sa_family_t family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

const char *ipaddr_family_key(sa_family_t family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}
