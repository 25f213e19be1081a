/*
 * tracked.c - vrrp_track_process and track_file in the daemon (see
 * tracked.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-priv.h"
#include "filewatch.h"
#include "log.h"
#include "procwatch.h"
#include "tracked.h"

#define NOT_WATCHED SIZE_MAX

/* The namespace vipd started in, when net_namespace moved it (vipd.c sets it). */
static int origin_netns = -1;

void tracked_set_origin_netns(int fd)
{
	origin_netns = fd;
}

struct tracked {
	struct procwatch *pw;
	struct filewatch *fw;
	size_t *proc_idx; /* per vrrp_track_process of the config: its procwatch index */
	size_t *file_idx; /* per track_file: its filewatch index */
	bool pw_failed;   /* no process events: tracked processes count as down */
};

static void refresh_all(struct vipd *d)
{
	for (size_t i = 0; i < d->ninsts; i++)
		inst_refresh(&d->insts[i]);
}

static void on_process(size_t idx, bool up, void *arg)
{
	struct vipd *d = arg;
	const struct tracked *t = d->tracked;

	for (size_t i = 0; i < d->cfg->nprocesses; i++)
		if (t->proc_idx[i] == idx)
			log_notice("vrrp_track_process %s: %s -> %s (%zu running)",
				   d->cfg->processes[i].name, up ? "down" : "up",
				   up ? "up" : "down", procwatch_count(t->pw, idx));
	refresh_all(d);
}

static void on_file(size_t idx, long value, void *arg)
{
	struct vipd *d = arg;
	const struct tracked *t = d->tracked;

	for (size_t i = 0; i < d->cfg->ntfiles; i++)
		if (t->file_idx[i] == idx)
			log_notice("track_file %s: %s now reads %ld", d->cfg->tfiles[i].name,
				   d->cfg->tfiles[i].path, value);
	refresh_all(d);
}

static bool process_used(const struct vipd_config *cfg, size_t def)
{
	for (size_t i = 0; i < cfg->ninstances; i++)
		for (size_t k = 0; k < cfg->instances[i].ntrack_processes; k++)
			if (cfg->instances[i].track_processes[k].def == def)
				return true;
	return false;
}

static bool file_used(const struct vipd_config *cfg, size_t def)
{
	for (size_t i = 0; i < cfg->ninstances; i++)
		for (size_t k = 0; k < cfg->instances[i].ntrack_files; k++)
			if (cfg->instances[i].track_files[k].def == def)
				return true;
	return false;
}

/* Map the config's blocks to watch indexes; unreferenced ones are not watched. */
static int bind_blocks(struct vipd *d, struct tracked *t, bool *any_proc, bool *any_file)
{
	const struct vipd_config *cfg = d->cfg;

	free(t->proc_idx);
	free(t->file_idx);
	t->proc_idx = calloc(cfg->nprocesses + 1, sizeof(*t->proc_idx));
	t->file_idx = calloc(cfg->ntfiles + 1, sizeof(*t->file_idx));
	if (!t->proc_idx || !t->file_idx)
		return -ENOMEM;
	*any_proc = *any_file = false;
	for (size_t i = 0; i < cfg->nprocesses; i++) {
		const struct cfg_track_process *p = &cfg->processes[i];
		int idx;

		t->proc_idx[i] = NOT_WATCHED;
		if (!process_used(cfg, i)) {
			log_warn("vrrp_track_process %s is not tracked by any instance; not watched",
				 p->name);
			continue;
		}
		if (!t->pw && !(t->pw = procwatch_new(d->loop, on_process, d)))
			return -ENOMEM;
		idx = procwatch_add(t->pw, &p->spec, p->fork_delay_us, p->terminate_delay_us);
		if (idx < 0)
			return idx;
		t->proc_idx[i] = (size_t)idx;
		*any_proc = true;
	}
	for (size_t i = 0; i < cfg->ntfiles; i++) {
		const struct cfg_track_file *f = &cfg->tfiles[i];
		int idx, err;

		t->file_idx[i] = NOT_WATCHED;
		if (!file_used(cfg, i))
			continue;
		if (f->init_file && (err = filewatch_init_file(f->path, f->init_value,
							       f->init_overwrite)) < 0)
			log_err("track_file %s: cannot write init_file %s: %s", f->name, f->path,
				strerror(-err));
		if (!t->fw && !(t->fw = filewatch_new(d->loop, on_file, d)))
			return -ENOMEM;
		idx = filewatch_add(t->fw, f->path);
		if (idx < 0)
			return idx;
		t->file_idx[i] = (size_t)idx;
		*any_file = true;
	}
	return 0;
}

static void start_files(struct tracked *t)
{
	int err;

	if (!t->fw)
		return;
	err = filewatch_start(t->fw);
	if (err < 0)
		log_err("track_file: cannot watch the files (%s); they read as 0", strerror(-err));
}

int tracked_start(struct vipd *d)
{
	struct tracked *t = calloc(1, sizeof(*t));
	bool any_proc, any_file;
	int err;

	if (!t)
		return -ENOMEM;
	d->tracked = t;
	err = bind_blocks(d, t, &any_proc, &any_file);
	if (err < 0)
		return err;
	if (any_proc) {
		err = procwatch_start(t->pw, origin_netns);
		if (err < 0) {
			t->pw_failed = true;
			log_err("vrrp_track_process: cannot receive the kernel's process events (%s); "
				"tracked processes count as down", strerror(-err));
		}
	}
	start_files(t);
	return 0;
}

int tracked_reload(struct vipd *d)
{
	struct tracked *t = d->tracked;
	bool any_proc, any_file;
	int err;

	if (!t)
		return tracked_start(d);
	if (t->pw)
		procwatch_clear(t->pw);
	filewatch_free(t->fw);
	t->fw = NULL;
	err = bind_blocks(d, t, &any_proc, &any_file);
	if (err < 0)
		return err;
	if (any_proc && procwatch_started(t->pw)) {
		procwatch_rescan(t->pw);
	} else if (any_proc) {
		err = procwatch_start(t->pw, origin_netns);
		t->pw_failed = err < 0;
		if (err < 0)
			log_err("vrrp_track_process: cannot receive the kernel's process events "
				"(%s); tracked processes count as down", strerror(-err));
	}
	start_files(t);
	return 0;
}

void tracked_free(struct vipd *d)
{
	struct tracked *t = d->tracked;

	if (!t)
		return;
	procwatch_free(t->pw);
	filewatch_free(t->fw);
	free(t->proc_idx);
	free(t->file_idx);
	free(t);
	d->tracked = NULL;
}

bool tracked_process_up(const struct vipd *d, size_t def)
{
	const struct tracked *t = d->tracked;

	if (!t || def >= d->cfg->nprocesses || t->proc_idx[def] == NOT_WATCHED || t->pw_failed)
		return false;
	return procwatch_up(t->pw, t->proc_idx[def]);
}

long tracked_file_value(const struct vipd *d, size_t def)
{
	const struct tracked *t = d->tracked;

	if (!t || !t->fw || def >= d->cfg->ntfiles || t->file_idx[def] == NOT_WATCHED)
		return 0;
	return filewatch_value(t->fw, t->file_idx[def]);
}

bool tracked_process_watched(const struct vipd *d, size_t def)
{
	const struct tracked *t = d->tracked;

	return t && def < d->cfg->nprocesses && t->proc_idx[def] != NOT_WATCHED;
}

bool tracked_file_watched(const struct vipd *d, size_t def)
{
	const struct tracked *t = d->tracked;

	return t && t->fw && def < d->cfg->ntfiles && t->file_idx[def] != NOT_WATCHED;
}

size_t tracked_process_count(const struct vipd *d, size_t def)
{
	const struct tracked *t = d->tracked;

	if (!tracked_process_watched(d, def) || t->pw_failed)
		return 0;
	return procwatch_count(t->pw, t->proc_idx[def]);
}
