/* ipaddr.h - one IPv4 or IPv6 address, and the few pure operations on it */
#ifndef VIPD_IPADDR_H
#define VIPD_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Long enough for any IPv6 address plus "/128". */
#define IPADDR_STRLEN (INET6_ADDRSTRLEN + 4)

struct ipaddr {
	sa_family_t family; /* AF_INET, AF_INET6, or AF_UNSPEC when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* Byte length of the address for its family (4, 16, or 0 when unset). */
size_t ipaddr_len(const struct ipaddr *a);

/* Pointer to the raw address bytes (network order). */
const void *ipaddr_bytes(const struct ipaddr *a);

/* Fill from raw network-order bytes. */
void ipaddr_set(struct ipaddr *a, sa_family_t family, const void *bytes);

/*
 * Parse "192.0.2.1", "2001:db8::1", optionally followed by "/LEN" when
 * prefix_len is not NULL (then *prefix_len gets LEN, or the full length
 * when absent). Returns 0, or -EINVAL for anything else (including a
 * prefix when prefix_len is NULL, or a prefix out of range).
 */
int ipaddr_parse(const char *s, struct ipaddr *a, uint8_t *prefix_len);

/* Text form into buf (at least IPADDR_STRLEN bytes); returns buf. */
const char *ipaddr_str(const struct ipaddr *a, char *buf, size_t size);

bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b);

/*
 * Compare as unsigned numbers in network byte order (RFC 5798 6.4.3 tie
 * break); addresses of different families order by family. Returns <0, 0, >0.
 */
int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b);

/* "IPv4" or "IPv6": the family as messages to people name it. */
const char *ipaddr_family_name(sa_family_t family);
/* "ipv4" or "ipv6": the family as JSON values and vipdump's output spell it. */
const char *ipaddr_family_key(sa_family_t family);

bool ipaddr_is_unset(const struct ipaddr *a);
bool ipaddr_is_multicast(const struct ipaddr *a);
bool ipaddr_is_linklocal6(const struct ipaddr *a);

#endif
