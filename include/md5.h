/*
 * md5.h - MD5 (RFC 1321) and HMAC-MD5 (RFC 2104), for keepalived's IPsec
 * authentication header (auth_type AH) only: MD5 is no longer a secure
 * hash, and AH with it is there to interoperate, not to protect.
 */
#ifndef VIPD_MD5_H
#define VIPD_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16
#define MD5_BLOCK_LEN 64

struct md5 {
	uint32_t h[4];
	uint64_t len; /* bytes so far */
	uint8_t buf[MD5_BLOCK_LEN];
	size_t nbuf;
};

void md5_init(struct md5 *m);
void md5_update(struct md5 *m, const void *data, size_t len);
void md5_final(struct md5 *m, uint8_t out[MD5_DIGEST_LEN]);

/* HMAC-MD5 of the concatenation of n pieces. */
void hmac_md5(const void *key, size_t keylen, const void *const *pieces, const size_t *lens,
	      size_t n, uint8_t out[MD5_DIGEST_LEN]);

#endif
