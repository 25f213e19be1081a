/*
 * netns.c - entering a named network namespace (see netns.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "netns.h"

#define NETNS_RUN_DIR "/run/netns"

int netns_enter(const char *name, int *origin)
{
	char path[256];
	int self, target, err = 0;

	*origin = -1;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (target < 0)
		return -errno;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		err = -errno;
		close(target);
		return err;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		err = -errno;
		close(self);
		self = -1;
	}
	close(target);
	*origin = self;
	return err;
}
