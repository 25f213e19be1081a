/*
 * privs.c - capability sets through the raw capget/capset system calls and
 * PR_CAPBSET_DROP, so no library is needed for something this small.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"

struct cap_name {
	int cap;
	const char *name;
};

static const struct cap_name kept_always[] = {
	{ CAP_NET_ADMIN, "cap_net_admin" },
	{ CAP_NET_RAW, "cap_net_raw" },
};

static const struct cap_name kept_for_scripts[] = {
	{ CAP_SETUID, "cap_setuid" },
	{ CAP_SETGID, "cap_setgid" },
	{ CAP_KILL, "cap_kill" },
};

static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

static void set_bit(struct __user_cap_data_struct *data, int cap)
{
	data[cap / 32].effective |= 1u << (cap % 32);
	data[cap / 32].permitted |= 1u << (cap % 32);
}

int privs_drop(bool scripts_switch_user)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	uint64_t keep = 0;

	memset(data, 0, sizeof(data));
	for (size_t i = 0; i < sizeof(kept_always) / sizeof(kept_always[0]); i++) {
		set_bit(data, kept_always[i].cap);
		keep |= 1ull << kept_always[i].cap;
	}
	if (scripts_switch_user) {
		for (size_t i = 0; i < sizeof(kept_for_scripts) / sizeof(kept_for_scripts[0]); i++) {
			set_bit(data, kept_for_scripts[i].cap);
			keep |= 1ull << kept_for_scripts[i].cap;
		}
	}
	/* Bounding set first (needs CAP_SETPCAP, which the capset below gives up). */
	for (int cap = 0; cap <= last_cap(); cap++) {
		if (keep & (1ull << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

const char *privs_describe(char *buf, size_t size)
{
	static const struct cap_name *const lists[] = { kept_always, kept_for_scripts };
	static const size_t lens[] = { sizeof(kept_always) / sizeof(kept_always[0]),
				       sizeof(kept_for_scripts) / sizeof(kept_for_scripts[0]) };
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	size_t off = 0;

	buf[0] = '\0';
	if (syscall(SYS_capget, &hdr, data) < 0)
		return buf;
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lens[l]; i++) {
			int cap = lists[l][i].cap;
			int n;

			if (!(data[cap / 32].effective & (1u << (cap % 32))))
				continue;
			n = snprintf(buf + off, size - off, "%s%s", off ? "," : "", lists[l][i].name);
			if (n < 0 || (size_t)n >= size - off)
				return buf;
			off += (size_t)n;
		}
	}
	return buf;
}
