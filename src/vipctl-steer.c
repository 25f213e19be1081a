/*
 * vipctl-steer.c - the commands that steer a running vipd or follow it:
 * maintenance, switchover, explain, events.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vipctl.h"

#define CMD_MAX 128
#define NAME_MAX_LEN 64
#define SWITCHOVER_POLL_MS 100
#define SWITCHOVER_WAIT_MAX_S 60 /* the daemon bounds the wait; this only guards vipctl */

int steer_is_command(const char *cmd)
{
	return strcmp(cmd, "maintenance") == 0 || strcmp(cmd, "switchover") == 0 ||
	       strcmp(cmd, "explain") == 0 || strcmp(cmd, "events") == 0;
}

static bool name_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= NAME_MAX_LEN || s[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ')
			return false;
	return true;
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "vipctl: %s\n", msg);
	return EXIT_USAGE;
}

static int one_exchange(const char *sock, const char *cmd)
{
	int fd = vipctl_connect(sock);
	int rc;

	if (fd < 0)
		return EXIT_NO_DAEMON;
	rc = vipctl_exchange(fd, cmd);
	close(fd);
	return rc;
}

/* The daemon's one-line answer to cmd into buf; -1 when there is none. */
static int ask(const char *sock, const char *cmd, char *buf, size_t size)
{
	int fd = vipctl_connect(sock);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	if (dprintf(fd, "%s\n", cmd) < 0) {
		close(fd);
		return -1;
	}
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return len ? 0 : -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The daemon starts the switchover and bounds it; vipctl follows it
 * ("switchover-status") until it is done or has failed.
 */
static int switchover(const char *sock, const char *inst)
{
	char cmd[CMD_MAX], status[512];
	int rc;

	snprintf(cmd, sizeof(cmd), "switchover%s%s", inst ? " " : "", inst ? inst : "");
	rc = one_exchange(sock, cmd);
	if (rc)
		return rc;
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "switchover-status%s%s", inst ? " " : "", inst ? inst : "");
	for (int i = 0; i < SWITCHOVER_WAIT_MAX_S * 1000 / SWITCHOVER_POLL_MS; i++) {
		sleep_ms(SWITCHOVER_POLL_MS);
		if (ask(sock, cmd, status, sizeof(status)) < 0) {
			fprintf(stderr, "vipctl: lost the daemon while waiting for the switchover\n");
			return EXIT_NO_DAEMON;
		}
		if (strncmp(status, "pending", 7) == 0)
			continue;
		if (strncmp(status, "done", 4) == 0) {
			printf("%s\n", status);
			return 0;
		}
		fprintf(stderr, "vipctl: switchover %s\n", status);
		return EXIT_REPLY_ERROR;
	}
	fprintf(stderr, "vipctl: no outcome from the daemon within %d s\n", SWITCHOVER_WAIT_MAX_S);
	return EXIT_REPLY_ERROR;
}

/* Copy the stream as it comes, line by line, until the daemon or the reader goes. */
static int events(const char *sock, bool json)
{
	char buf[8192];
	int fd = vipctl_connect(sock);
	ssize_t n;
	bool first = true;

	if (fd < 0)
		return EXIT_NO_DAEMON;
	if (dprintf(fd, "%s\n", json ? "events-json" : "events") < 0) {
		perror("vipctl: write");
		close(fd);
		return EXIT_NO_DAEMON;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 6 && memcmp(buf, "error ", 6) == 0) {
			fprintf(stderr, "vipctl: %.*s", (int)(n - 6), buf + 6);
			close(fd);
			return EXIT_REPLY_ERROR;
		}
		first = false;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n || fflush(stdout) != 0)
			break; /* the reader went away */
	}
	close(fd);
	if (n < 0 && errno != EINTR) {
		perror("vipctl: read");
		return EXIT_NO_DAEMON;
	}
	fprintf(stderr, "vipctl: vipd closed the event stream\n");
	return EXIT_NO_DAEMON;
}

int steer_main(const char *sock, const char *cmd, int nargs, char **args)
{
	char line[CMD_MAX];
	const char *inst = NULL;

	if (strcmp(cmd, "events") == 0) {
		bool json = false;

		for (int i = 0; i < nargs; i++) {
			if (strcmp(args[i], "--json") != 0 && strcmp(args[i], "-j") != 0)
				return usage_error("usage: vipctl events [--json]");
			json = true;
		}
		return events(sock, json);
	}
	if (strcmp(cmd, "maintenance") == 0) {
		if (nargs < 1 || nargs > 2 || (strcmp(args[0], "on") != 0 && strcmp(args[0], "off") != 0))
			return usage_error("usage: vipctl maintenance on|off [INSTANCE]");
		if (nargs == 2 && !name_ok(args[1]))
			return usage_error("maintenance: not an instance name");
		snprintf(line, sizeof(line), "maintenance %s%s%s", args[0], nargs == 2 ? " " : "",
			 nargs == 2 ? args[1] : "");
		return one_exchange(sock, line);
	}
	if (nargs > 1 || (nargs == 1 && !name_ok(args[0])))
		return usage_error(strcmp(cmd, "explain") == 0 ? "usage: vipctl explain INSTANCE"
							     : "usage: vipctl switchover [INSTANCE]");
	inst = nargs ? args[0] : NULL;
	if (strcmp(cmd, "explain") == 0) {
		if (!inst)
			return usage_error("usage: vipctl explain INSTANCE");
		snprintf(line, sizeof(line), "explain %s", inst);
		return one_exchange(sock, line);
	}
	return switchover(sock, inst);
}
