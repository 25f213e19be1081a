/* vipctl.h - the parts of vipctl that its commands share. */
#ifndef VIPD_VIPCTL_H
#define VIPD_VIPCTL_H

#define EXIT_REPLY_ERROR 1
#define EXIT_USAGE 2
#define EXIT_NO_DAEMON 3

/* Connect to the control socket at path; -1 (after saying why) on failure. */
int vipctl_connect(const char *path);

/*
 * Send cmd, copy the answer to stdout (an "error " answer to stderr).
 * Returns 0, EXIT_REPLY_ERROR or EXIT_NO_DAEMON.
 */
int vipctl_exchange(int fd, const char *cmd);

/* Is cmd one of the steering commands (maintenance, switchover, explain, events)? */
int steer_is_command(const char *cmd);

/*
 * Run a steering command with its arguments (args[0..nargs-1]) against
 * the daemon at sock. Returns the exit status.
 */
int steer_main(const char *sock, const char *cmd, int nargs, char **args);

#endif
