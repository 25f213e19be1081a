/*
 * privs.c - capability sets through the raw capget/capset system calls and
 * PR_CAPBSET_DROP, so no library is needed for something this small; and
 * who scripts run as, looked up without loading NSS into the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
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

/* A user (and optional group) by name; -ENOENT when either does not exist. */
static int lookup_user_nss(const char *user, const char *group, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(user);

	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group && group[0]) {
		struct group *gr = getgrnam(group);

		if (!gr)
			return -ENOENT;
		*gid = gr->gr_gid;
	}
	return 0;
}

/*
 * Look a user (and group) up in a child. The lookup goes through NSS, which
 * maps its modules into the process for good (libnss_systemd and what it
 * pulls in: about 650 KiB resident, twice vipd's own memory); the daemon
 * itself never needs them.
 */
int privs_lookup_user(const char *user, const char *group, uid_t *uid, gid_t *gid)
{
	struct {
		int err;
		uid_t uid;
		gid_t gid;
	} r = { .err = -EIO };
	int fds[2], err;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (pid == 0) {
		close(fds[0]);
		r.err = lookup_user_nss(user, group, &r.uid, &r.gid);
		_exit(write(fds[1], &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	do
		n = read(fds[0], &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(r))
		return -EIO;
	if (r.err == 0) {
		*uid = r.uid;
		*gid = r.gid;
	}
	return r.err;
}

/*
 * Who scripts run as: script_user when set (it must exist: running them as
 * root instead would be a silent escalation), else a dedicated vipd_script
 * or keepalived_script user when there is one, else root with a warning.
 */
int privs_script_user(const struct vipd_config *cfg, struct script_opts *opts)
{
	static const char *const defaults[] = { "vipd_script", "keepalived_script" };
	const struct cfg_global *g = &cfg->global;

	opts->uid = 0;
	opts->gid = 0;
	opts->timeout_us = g->notify_timeout_us;
	if (g->script_user[0]) {
		int err = privs_lookup_user(g->script_user, g->script_group, &opts->uid,
				       &opts->gid);

		if (err == 0)
			return 0;
		if (err == -ENOENT)
			log_err("script_user %s%s%s does not exist; create it or change script_user",
				g->script_user, g->script_group[0] ? " " : "", g->script_group);
		else
			log_err("cannot look up script_user %s: %s", g->script_user,
				strerror(-err));
		return err;
	}
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		int err = privs_lookup_user(defaults[i], NULL, &opts->uid, &opts->gid);

		if (err == 0)
			return 0;
		if (err != -ENOENT) {
			/* not knowing is not "no such user": never fall back to root on it */
			log_err("cannot look up user %s: %s", defaults[i], strerror(-err));
			return err;
		}
	}
	if (cfg_has_scripts(cfg))
		log_warn("scripts run as root: no script_user is set and there is no vipd_script user (useradd --system --no-create-home --shell /usr/sbin/nologin vipd_script)");
	return 0;
}

/* Every user the configuration names must exist before it is used. */
int privs_check_users(const struct vipd_config *cfg, char *msg, size_t size)
{
	uid_t uid;
	gid_t gid;

	int err = 0;

	if (cfg->global.script_user[0])
		err = privs_lookup_user(cfg->global.script_user, cfg->global.script_group, &uid, &gid);
	if (err < 0) {
		snprintf(msg, size, "script_user %s %s", cfg->global.script_user,
			 err == -ENOENT ? "does not exist" : "cannot be looked up");
		return err;
	}
	for (size_t s = 0; s < cfg->nscripts; s++) {
		const struct cfg_script *sc = &cfg->scripts[s];

		if (sc->user[0])
			err = privs_lookup_user(sc->user, sc->group, &uid, &gid);
		if (err < 0) {
			snprintf(msg, size, "vrrp_script %s: user %s %s", sc->name, sc->user,
				 err == -ENOENT ? "does not exist" : "cannot be looked up");
			return err;
		}
	}
	return 0;
}

int privs_guard(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	for (size_t i = 0; i < sizeof(kept_always) / sizeof(kept_always[0]); i++)
		set_bit(data, kept_always[i].cap);
	/*
	 * Under no_new_privs the worker, executed by the guard, gets no more
	 * than the guard's permitted set: keep what the daemon keeps for its
	 * scripts permitted, though not effective.
	 */
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		for (size_t i = 0; i < sizeof(kept_for_scripts) / sizeof(kept_for_scripts[0]); i++)
			data[kept_for_scripts[i].cap / 32].permitted |=
				1u << (kept_for_scripts[i].cap % 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}
