/*
 * vipctl.c - talk to a running vipd over its control socket: one command
 * out, the answer copied to standard output.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlpath.h"
#include "exporter.h"
#include "hbimport.h"
#include "vipctl.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vipctl [-S SOCKET | -p PIDFILE] COMMAND\n"
		"Query or steer a running vipd.\n"
		"\n"
		"Commands:\n"
		"  status          instances, states, priorities, masters, VIPs, tracking\n"
		"  status --json   the same as JSON (schema in vipctl(8))\n"
		"  metrics         Prometheus text exposition\n"
		"  metrics --listen ADDR:PORT\n"
		"                  serve them over HTTP for Prometheus (GET /metrics)\n"
		"  dump            full internal state\n"
		"  reload          re-read the configuration (as SIGHUP)\n"
		"  import-heartbeat [DIR] [--node NAME]\n"
		"                  print a vipd.conf equivalent to heartbeat's DIR (/etc/ha.d)\n"
		"  maintenance on|off [INSTANCE]\n"
		"                  never master while on (all instances without INSTANCE)\n"
		"  switchover [INSTANCE]\n"
		"                  hand the VIPs to the best backup, or take them over\n"
		"  explain INSTANCE\n"
		"                  why this node is in its state, what would change it\n"
		"  events [--json] follow state, priority and tracker changes live\n"
		"\n"
		"  -S, --socket PATH   control socket (default %s)\n"
		"  -p, --pid PIDFILE   find the socket next to this vipd pid file\n"
		"  -h, --help          this help\n",
		CTL_DEFAULT_SOCKET);
}

int vipctl_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "vipctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("vipctl: socket");
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr, "vipctl: vipd is not running (no control socket at %s)\n", path);
	else if (errno == EACCES || errno == EPERM)
		fprintf(stderr, "vipctl: %s: permission denied (run vipctl as root)\n", path);
	else
		fprintf(stderr, "vipctl: cannot connect to %s: %s\n", path, strerror(errno));
	close(fd);
	return -1;
}

/* Send the command, copy the answer; an answer starting "error " fails. */
int vipctl_exchange(int fd, const char *cmd)
{
	char buf[65536];
	bool first = true, error = false;
	ssize_t n;

	if (dprintf(fd, "%s\n", cmd) < 0) {
		perror("vipctl: write");
		return EXIT_NO_DAEMON;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 6 && memcmp(buf, "error ", 6) == 0) {
			error = true;
			fprintf(stderr, "vipctl: %.*s", (int)(n - 6), buf + 6);
		} else if (error) {
			fwrite(buf, 1, (size_t)n, stderr);
		} else if (first && n >= 3 && memcmp(buf, "ok ", 3) == 0) {
			fwrite(buf + 3, 1, (size_t)n - 3, stdout);
		} else {
			fwrite(buf, 1, (size_t)n, stdout);
		}
		first = false;
	}
	if (n < 0) {
		perror("vipctl: read");
		return EXIT_NO_DAEMON;
	}
	if (first) {
		fprintf(stderr, "vipctl: vipd closed the connection without answering\n");
		return EXIT_NO_DAEMON;
	}
	return error ? EXIT_REPLY_ERROR : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = NULL, *pidfile = NULL, *cmd, *listen_on = NULL;
	char derived[4096];
	bool json = false;
	int c, fd, rc;

	while ((c = getopt_long(argc, argv, "+S:p:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'S':
			sock = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	if (strcmp(cmd, "import-heartbeat") == 0)
		return hb_import_main(argc - optind, argv + optind);
	if (steer_is_command(cmd)) {
		if (!sock && pidfile) {
			ctl_socket_from_pidfile(pidfile, derived, sizeof(derived));
			sock = derived;
		}
		return steer_main(sock ? sock : CTL_DEFAULT_SOCKET, cmd, argc - optind,
				  argv + optind);
	}
	for (; optind < argc; optind++) {
		if (strcmp(argv[optind], "--json") == 0 || strcmp(argv[optind], "-j") == 0) {
			json = true;
			continue;
		}
		if (strcmp(argv[optind], "--listen") == 0 && optind + 1 < argc) {
			listen_on = argv[++optind];
			continue;
		}
		if (strncmp(argv[optind], "--listen=", 9) == 0) {
			listen_on = argv[optind] + 9;
			continue;
		}
		fprintf(stderr, "vipctl: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "json") == 0 || (strcmp(cmd, "status") == 0 && json)) {
		cmd = "status-json";
	} else if (json) {
		fprintf(stderr, "vipctl: --json goes with status\n");
		return EXIT_USAGE;
	} else if (strcmp(cmd, "status") != 0 && strcmp(cmd, "metrics") != 0 &&
		   strcmp(cmd, "dump") != 0 && strcmp(cmd, "reload") != 0) {
		fprintf(stderr, "vipctl: unknown command '%s'\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (listen_on && strcmp(cmd, "metrics") != 0) {
		fprintf(stderr, "vipctl: --listen goes with metrics\n");
		return EXIT_USAGE;
	}
	if (!sock && pidfile) {
		ctl_socket_from_pidfile(pidfile, derived, sizeof(derived));
		sock = derived;
	}
	if (listen_on)
		return exporter_run(listen_on, sock ? sock : CTL_DEFAULT_SOCKET);
	fd = vipctl_connect(sock ? sock : CTL_DEFAULT_SOCKET);
	if (fd < 0)
		return EXIT_NO_DAEMON;
	rc = vipctl_exchange(fd, cmd);
	close(fd);
	return rc;
}
