/*
 * probe.c - native health checks, the pure half: parsing the configured
 * target, building the HTTP request and judging the answer.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe.h"

#define HTTP_STATUS_MIN 100
#define HTTP_STATUS_MAX 599
#define HTTP_UP_MIN 200 /* without "status N": 2xx and 3xx are up */
#define HTTP_UP_MAX 399
#define QUOTE_MAX 40    /* how much of an unexpected answer a message quotes */

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t size, const char *fmt,
							  ...)
{
	va_list ap;

	if (err && size) {
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* "80" -> 80; 1..65535 only, digits only. */
static int parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/*
 * "192.0.2.1:80", "[2001:db8::1]:80", or the same without ":PORT" when
 * default_port is not 0. Fills addr and port.
 */
static int parse_authority(const char *s, size_t len, uint16_t default_port,
			   struct probe_spec *spec, char *err, size_t err_size)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port = NULL;
	size_t hlen;
	char copy[PROBE_HOST_MAX];

	if (len == 0)
		return fail(err, err_size, "no address");
	if (len >= sizeof(copy))
		return fail(err, err_size, "address '%.60s' is too long", s);
	memcpy(copy, s, len);
	copy[len] = '\0';
	if (memchr(s, '@', len))
		return fail(err, err_size, "'%s': user names in the address are not supported", copy);
	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (!close)
			return fail(err, err_size, "'%s': missing ']' after the IPv6 address", copy);
		hlen = (size_t)(close - s - 1);
		if (hlen >= sizeof(host))
			return fail(err, err_size, "'%s' is not an IPv6 address", copy);
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		if ((size_t)(close + 1 - s) < len) {
			if (close[1] != ':')
				return fail(err, err_size, "'%s': expected ':PORT' after ']'", copy);
			port = close + 2;
		}
		if (ipaddr_parse(host, &spec->addr, NULL) < 0 || spec->addr.family != AF_INET6)
			return fail(err, err_size, "'%s' is not an IPv6 address", host);
	} else {
		const char *colon = memchr(s, ':', len);

		hlen = colon ? (size_t)(colon - s) : len;
		if (hlen >= sizeof(host))
			return fail(err, err_size,
				    "'%s' is not an address (write IPv6 addresses in brackets: [2001:db8::1])",
				    copy);
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (colon)
			port = colon + 1;
		if (ipaddr_parse(host, &spec->addr, NULL) < 0 || spec->addr.family != AF_INET)
			return fail(err, err_size,
				    "'%s' is not an IPv4 address (names are not resolved; IPv6 goes in brackets: [2001:db8::1])",
				    host);
	}
	if (!port) {
		if (!default_port)
			return fail(err, err_size, "'%s': missing ':PORT'", copy);
		spec->port = default_port;
	} else if (parse_port(port, len - (size_t)(port - s), &spec->port) < 0) {
		return fail(err, err_size, "'%s': the port must be a number from 1 to 65535", copy);
	}
	memcpy(spec->host, copy, len + 1);
	return 0;
}

int probe_parse_http_url(const char *url, struct probe_spec *spec, char *err, size_t err_size)
{
	static const char scheme[] = "http://";
	const char *auth, *path;
	size_t plen;
	int rc;

	if (strncasecmp(url, "https://", 8) == 0)
		return fail(err, err_size, "'%s': https is not supported (vipd speaks plain HTTP only)",
			    url);
	if (strncasecmp(url, scheme, sizeof(scheme) - 1) != 0)
		return fail(err, err_size, "'%s': expected a URL starting with http://", url);
	auth = url + sizeof(scheme) - 1;
	path = auth + strcspn(auth, "/?#");
	rc = parse_authority(auth, (size_t)(path - auth), PROBE_HTTP_PORT, spec, err, err_size);
	if (rc < 0)
		return rc;
	plen = strcspn(path, "#"); /* a fragment is never sent */
	for (size_t i = 0; i < plen; i++)
		if ((unsigned char)path[i] <= ' ' || path[i] == 0x7f)
			return fail(err, err_size, "'%s': spaces and control characters must be %%-encoded in the path",
				    url);
	if (plen == 0) {
		strcpy(spec->path, "/");
	} else {
		if (plen + 2 > sizeof(spec->path))
			return fail(err, err_size, "'%.60s...': the path is too long", url);
		/* "http://h?x=1" asks for "/?x=1" */
		snprintf(spec->path, sizeof(spec->path), "%s%.*s", path[0] == '/' ? "" : "/",
			 (int)plen, path);
	}
	spec->kind = PROBE_HTTP_GET;
	return 0;
}

int probe_parse_tcp(const char *s, struct probe_spec *spec, char *err, size_t err_size)
{
	int rc = parse_authority(s, strlen(s), 0, spec, err, err_size);

	if (rc < 0)
		return rc;
	spec->kind = PROBE_TCP_CONNECT;
	return 0;
}

int probe_parse_status(const char *s, struct probe_spec *spec, char *err, size_t err_size)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < HTTP_STATUS_MIN || v > HTTP_STATUS_MAX)
		return fail(err, err_size, "status: expected an HTTP status from 100 to 599, got '%s'",
			    s);
	spec->status = (int)v;
	return 0;
}

int probe_set_body_contains(const char *text, struct probe_spec *spec, char *err,
			    size_t err_size)
{
	if (!text[0])
		return fail(err, err_size, "body_contains: the text is empty");
	if (strlen(text) >= sizeof(spec->body_contains))
		return fail(err, err_size, "body_contains: '%.40s...' is too long (at most 127 bytes)",
			    text);
	strcpy(spec->body_contains, text);
	return 0;
}

size_t probe_http_request(const struct probe_spec *spec, char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "GET %s HTTP/1.0\r\n"
			 "Host: %s\r\n"
			 "User-Agent: vipd\r\n"
			 "Accept: */*\r\n"
			 "Connection: close\r\n"
			 "\r\n",
			 spec->path, spec->host);

	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

/* The printable start of buf, for messages about an answer that makes no sense. */
static void quote(const char *buf, size_t len, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len && i < QUOTE_MAX && n + 1 < size; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\r' || c == '\n')
			break;
		out[n++] = isprint(c) ? (char)c : '?';
	}
	out[n] = '\0';
}

/* "HTTP/1.1 200 OK" -> 200; -1 when it is not a status line. */
static int status_code(const char *line, size_t len)
{
	size_t i = 5;
	int code = 0;

	if (len < 5 || memcmp(line, "HTTP/", 5) != 0)
		return -1;
	while (i < len && line[i] != ' ')
		i++;
	while (i < len && line[i] == ' ')
		i++;
	if (i + 3 > len)
		return -1;
	for (size_t k = 0; k < 3; k++) {
		if (!isdigit((unsigned char)line[i + k]))
			return -1;
		code = code * 10 + (line[i + k] - '0');
	}
	if (i + 3 < len && line[i + 3] != ' ' && line[i + 3] != '\r' && line[i + 3] != '\n')
		return -1;
	return code;
}

/* Where the body starts (after the blank line), or NULL while the headers go on. */
static const char *body_start(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return buf + i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return buf + i + 3;
	}
	return NULL;
}

/* Content-Length from the headers in [buf, end), or -1 when absent. */
static long content_length(const char *buf, const char *end)
{
	static const char name[] = "content-length:";
	const char *p = memchr(buf, '\n', (size_t)(end - buf));

	while (p && p + 1 < end) {
		p++;
		if ((size_t)(end - p) > sizeof(name) - 1 &&
		    strncasecmp(p, name, sizeof(name) - 1) == 0) {
			long v = 0;

			p += sizeof(name) - 1;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p >= end || !isdigit((unsigned char)*p))
				return -1;
			while (p < end && isdigit((unsigned char)*p) && v < 1000000000L)
				v = v * 10 + (*p++ - '0');
			return v;
		}
		p = memchr(p, '\n', (size_t)(end - p));
	}
	return -1;
}

static bool status_is_up(const struct probe_spec *spec, int code)
{
	if (spec->status)
		return code == spec->status;
	return code >= HTTP_UP_MIN && code <= HTTP_UP_MAX;
}

enum probe_verdict probe_http_judge(const struct probe_spec *spec, const char *buf, size_t len,
				    bool eof, bool full, char *why, size_t why_size)
{
	char dummy[1];
	const char *nl = memchr(buf, '\n', len);
	const char *body;
	char q[QUOTE_MAX + 1];
	long clen;
	int code;

	if (!why) {
		why = dummy;
		why_size = sizeof(dummy);
	}
	why[0] = '\0';
	if (!nl) {
		if (!eof && !full)
			return PROBE_PENDING;
		if (len == 0)
			snprintf(why, why_size, "connection closed without an answer");
		else if (status_code(buf, len) < 0)
			goto not_http;
		else
			snprintf(why, why_size, "answer cut short after the status line");
		return PROBE_DOWN;
	}
	code = status_code(buf, (size_t)(nl - buf));
	if (code < 0)
		goto not_http;
	if (!status_is_up(spec, code)) {
		if (spec->status)
			snprintf(why, why_size, "status %d, expected %d", code, spec->status);
		else
			snprintf(why, why_size, "status %d", code);
		return PROBE_DOWN;
	}
	if (!spec->body_contains[0]) {
		snprintf(why, why_size, "status %d", code);
		return PROBE_UP;
	}
	body = body_start(buf, len);
	if (!body) {
		if (!eof && !full)
			return PROBE_PENDING;
		snprintf(why, why_size, "status %d but the headers never ended%s", code,
			 full ? " (too long)" : "");
		return PROBE_DOWN;
	}
	if (memmem(body, (size_t)(buf + len - body), spec->body_contains,
		   strlen(spec->body_contains))) {
		snprintf(why, why_size, "status %d, body contains the text", code);
		return PROBE_UP;
	}
	clen = content_length(buf, body);
	if (eof || full || (clen >= 0 && buf + len - body >= clen)) {
		snprintf(why, why_size, "status %d but the body does not contain \"%s\"%s", code,
			 spec->body_contains, full ? " in its first bytes" : "");
		return PROBE_DOWN;
	}
	return PROBE_PENDING;

not_http:
	quote(buf, len, q, sizeof(q));
	snprintf(why, why_size, "not an HTTP answer: \"%s\"", q);
	return PROBE_DOWN;
}

const char *probe_describe(const struct probe_spec *spec, char *buf, size_t size)
{
	switch (spec->kind) {
	case PROBE_HTTP_GET:
		snprintf(buf, size, "http_get http://%s%s", spec->host, spec->path);
		break;
	case PROBE_TCP_CONNECT:
		snprintf(buf, size, "tcp_connect %s", spec->host);
		break;
	default:
		snprintf(buf, size, "none");
		break;
	}
	return buf;
}
