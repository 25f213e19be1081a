/*
 * probe.h - native health checks, the pure half: what a vrrp_script's
 * http_get or tcp_connect line means, the request an HTTP check sends, and
 * the verdict on the bytes a server answered. No sockets, no clocks, no
 * logging: the socket side lives in checks.c and feeds this.
 *
 * Only address literals are accepted (127.0.0.1, [2001:db8::1]): a name
 * would need a resolver, and a resolver can block the loop.
 */
#ifndef VIPD_PROBE_H
#define VIPD_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipaddr.h"

#define PROBE_HOST_MAX 64    /* "[" IPv6 "]:" port, as sent in Host: */
#define PROBE_PATH_MAX 256   /* path and query of the URL */
#define PROBE_BODY_TEXT_MAX 128
#define PROBE_REQUEST_MAX (PROBE_PATH_MAX + PROBE_HOST_MAX + 96)
/* How much of an answer is kept: the status line, headers and the start of the body. */
#define PROBE_RESPONSE_MAX 8192
#define PROBE_HTTP_PORT 80

enum probe_kind { PROBE_NONE, PROBE_HTTP_GET, PROBE_TCP_CONNECT };

/* A native check as configured. */
struct probe_spec {
	enum probe_kind kind;
	struct ipaddr addr;
	uint16_t port;
	char host[PROBE_HOST_MAX]; /* Host: header, as in the URL */
	char path[PROBE_PATH_MAX]; /* "/" when the URL has none */
	int status;                /* 0: any 2xx or 3xx is up; else exactly this */
	char body_contains[PROBE_BODY_TEXT_MAX]; /* "" = not looked for */
};

enum probe_verdict {
	PROBE_PENDING, /* not enough bytes yet to judge */
	PROBE_UP,
	PROBE_DOWN,
};

/*
 * Parse "http://ADDR[:PORT][/PATH]" (ADDR an IPv4 literal or a bracketed
 * IPv6 literal) into spec as an http_get check. Returns 0, or -EINVAL with
 * a message in err naming what is wrong.
 */
int probe_parse_http_url(const char *url, struct probe_spec *spec, char *err, size_t err_size);

/*
 * Parse "ADDR:PORT" (IPv6 as "[ADDR]:PORT") into spec as a tcp_connect
 * check. Returns 0, or -EINVAL with a message in err.
 */
int probe_parse_tcp(const char *s, struct probe_spec *spec, char *err, size_t err_size);

/* Parse the argument of "status N" (100..599). Returns 0 or -EINVAL with err. */
int probe_parse_status(const char *s, struct probe_spec *spec, char *err, size_t err_size);

/* Set the text "body_contains" looks for. Returns 0 or -EINVAL (empty, too long). */
int probe_set_body_contains(const char *text, struct probe_spec *spec, char *err,
			    size_t err_size);

/*
 * Write the HTTP/1.0 request for spec into buf. Returns its length, or 0
 * when it does not fit.
 */
size_t probe_http_request(const struct probe_spec *spec, char *buf, size_t size);

/*
 * Judge an HTTP answer from its first len bytes. eof says the server has
 * closed (nothing more will come); full says no more will be read (the
 * buffer is full). Without body_contains the status line decides; with it
 * the text must appear in the body (as received, within what was read).
 * why (may be NULL) gets the reason for PROBE_DOWN, or the status for
 * PROBE_UP ("status 200").
 */
enum probe_verdict probe_http_judge(const struct probe_spec *spec, const char *buf, size_t len,
				    bool eof, bool full, char *why, size_t why_size);

/* "http_get http://127.0.0.1/healthz" or "tcp_connect [2001:db8::1]:5432", for messages. */
const char *probe_describe(const struct probe_spec *spec, char *buf, size_t size);

#endif
