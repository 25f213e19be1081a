/*
 * config-track.c - vrrp_track_process and track_file blocks and the
 * instance lists that use them (see config-track.h). keepalived 2.2's
 * keywords and defaults: weight 1, quorum 1, no quorum_max, no delays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-stmt.h"
#include "config-track.h"

#define TRACK_WEIGHT_MAX 254      /* keepalived's range for these two */
#define TRACK_FILE_WEIGHT_MAX 2147483647LL
#define TRACK_DELAY_MAX_US (3600LL * USEC_PER_SEC)
#define QUORUM_MAX 65535

/* weight W [reverse|noreverse] from args[0..n) */
static bool weight_args(struct parser *p, const char *kw, const struct tok *args, size_t n,
			long long max, int *weight, bool *reverse)
{
	long long w;

	if (!val_int(p, kw, &args[0], -max, max, &w))
		return false;
	*weight = (int)w;
	*reverse = false;
	if (n < 2 || strcmp(args[1].text, "noreverse") == 0 ||
	    strcmp(args[1].text, "no_reverse") == 0)
		return true;
	if (strcmp(args[1].text, "reverse") == 0) {
		*reverse = true;
		return true;
	}
	cfg_err(p, &args[1].at, "%s: expected 'reverse' or 'noreverse' after the weight, got %s",
		kw, args[1].text);
	return false;
}

/* ------------------------------------------------------------------ */
/* vrrp_track_process NAME { ... }                                     */

#define TP(m) offsetof(struct cfg_track_process, m)

static void kw_process(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_process *t = obj;
	struct trackproc_spec *sp = &t->spec;
	char **params = NULL;

	if (!st->args[0].text[0]) {
		cfg_err(p, &st->args[0].at, "process: expected a process name, got an empty string");
		return;
	}
	if (st->nargs > 1 && !(params = calloc(st->nargs - 1, sizeof(*params)))) {
		cfg_oom(p, &st->kw.at);
		return;
	}
	free(sp->process);
	for (size_t i = 0; i < sp->nparams; i++)
		free(sp->params[i]);
	free(sp->params);
	sp->params = params;
	sp->nparams = 0;
	sp->process = strdup(st->args[0].text);
	for (size_t i = 1; i < st->nargs && sp->process; i++) {
		if (!(sp->params[i - 1] = strdup(st->args[i].text)))
			break;
		sp->nparams++;
	}
	if (!sp->process || sp->nparams + 1 != st->nargs)
		cfg_oom(p, &st->kw.at);
}

static void kw_param_match(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_process *t = obj;

	if (st->nargs == 0)
		t->spec.match = TRACKPROC_PARAMS_EXACT;
	else if (strcmp(st->args[0].text, "initial") == 0)
		t->spec.match = TRACKPROC_PARAMS_INITIAL;
	else if (strcmp(st->args[0].text, "partial") == 0)
		t->spec.match = TRACKPROC_PARAMS_PARTIAL;
	else
		cfg_err(p, &st->args[0].at, "param_match: expected initial or partial, got %s",
			st->args[0].text);
}

static void kw_tp_weight(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_process *t = obj;

	weight_args(p, "weight", st->args, st->nargs, TRACK_WEIGHT_MAX, &t->weight, &t->reverse);
}

static void kw_tp_delay(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_process *t = obj;
	long long us;

	if (!val_seconds(p, "delay", &st->args[0], 0, TRACK_DELAY_MAX_US, &us))
		return;
	t->fork_delay_us = (uint64_t)us;
	t->terminate_delay_us = (uint64_t)us;
}

static void kw_tp_quorum(struct parser *p, struct stmt *st, void *obj)
{
	unsigned *dst = FIELD(obj, st->def->off, unsigned);
	long long n;

	if (val_int(p, st->kw.text, &st->args[0], 0, QUORUM_MAX, &n))
		*dst = (unsigned)n;
}

static const struct kw process_kws[] = {
	KW("process", kw_process, 1, ARGS_ANY, KW_LINE, "a process name [and its parameters]"),
	KW("param_match", kw_param_match, 0, 1, KW_LINE, "initial or partial"),
	KW("full_command", kw_set_true, 0, 0, KW_LINE, NULL, TP(spec.full_command)),
	KW("quorum", kw_tp_quorum, 1, 1, KW_LINE, "a count", TP(spec.quorum)),
	KW("quorum_max", kw_tp_quorum, 1, 1, KW_LINE, "a count", TP(spec.quorum_max)),
	KW("weight", kw_tp_weight, 1, 2, KW_LINE, "a number from -254 to 254 [reverse]"),
	KW("delay", kw_tp_delay, 1, 1, KW_LINE, "seconds"),
	KW("fork_delay", kw_set_us, 1, 1, KW_LINE, "seconds", TP(fork_delay_us), 0,
	   TRACK_DELAY_MAX_US),
	KW("terminate_delay", kw_set_us, 1, 1, KW_LINE, "seconds", TP(terminate_delay_us), 0,
	   TRACK_DELAY_MAX_US),
};

static const struct block_def process_block = { "vrrp_track_process", process_kws,
						ARRAY_SIZE(process_kws), NULL };

void kw_track_process_def(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_track_process *t;

	if (!stmt_block_name(p, st, name, sizeof(name)))
		return;
	t = ARR_PUSH(p, &st->kw.at, c->processes, c->nprocesses);
	if (!t)
		return;
	memcpy(t->name, name, sizeof(name));
	t->where = st->args[0].at;
	t->weight = 1;
	t->spec.quorum = 1;
	t->spec.quorum_max = TRACKPROC_QUORUM_MAX_NONE;
	t->spec.match = TRACKPROC_PARAMS_ANY;
	stmt_parse_block(p, &process_block, &st->open, t);
}

/* ------------------------------------------------------------------ */
/* track_file NAME { ... }                                             */

static void kw_file(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_file *t = obj;

	if (!st->args[0].text[0]) {
		cfg_err(p, &st->args[0].at, "file: expected a file name, got an empty string");
		return;
	}
	free(t->path);
	t->path = strdup(st->args[0].text);
	if (!t->path)
		cfg_oom(p, &st->kw.at);
}

static void kw_tf_weight(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_file *t = obj;

	weight_args(p, "weight", st->args, st->nargs, TRACK_FILE_WEIGHT_MAX, &t->weight,
		    &t->reverse);
}

static void kw_init_file(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_track_file *t = obj;
	size_t i = 0;
	long long v;

	t->init_file = true;
	t->init_value = 0;
	t->init_overwrite = false;
	if (i < st->nargs && strcmp(st->args[i].text, "overwrite") != 0) {
		if (!val_int(p, "init_file", &st->args[i], -TRACK_FILE_WEIGHT_MAX,
			     TRACK_FILE_WEIGHT_MAX, &v))
			return;
		t->init_value = (long)v;
		i++;
	}
	if (i < st->nargs && strcmp(st->args[i].text, "overwrite") == 0) {
		t->init_overwrite = true;
		i++;
	}
	if (i < st->nargs)
		cfg_err(p, &st->args[i].at, "init_file: expected [VALUE] [overwrite], got %s",
			st->args[i].text);
}

static const struct kw file_kws[] = {
	KW("file", kw_file, 1, 1, KW_LINE, "a file name"),
	KW("weight", kw_tf_weight, 1, 2, KW_LINE, "a number [reverse]"),
	KW("init_file", kw_init_file, 0, 2, KW_LINE, "[VALUE] [overwrite]"),
};

static const struct block_def file_block = { "track_file", file_kws, ARRAY_SIZE(file_kws),
					     NULL };

void kw_track_file_def(struct parser *p, struct stmt *st, void *obj)
{
	struct vipd_config *c = p->cfg;
	char name[CFG_NAME_MAX];
	struct cfg_track_file *t;

	if (!stmt_block_name(p, st, name, sizeof(name)))
		return;
	t = ARR_PUSH(p, &st->kw.at, c->tfiles, c->ntfiles);
	if (!t)
		return;
	memcpy(t->name, name, sizeof(name));
	t->where = st->args[0].at;
	t->weight = 1;
	stmt_parse_block(p, &file_block, &st->open, t);
}

/* ------------------------------------------------------------------ */
/* An instance's track_process { } and track_file { }                  */

static void ref_line(struct parser *p, struct stmt *st, const char *kw,
		     struct cfg_track_ref **refs, size_t *n)
{
	struct cfg_track_ref r = { .where = st->kw.at };
	struct cfg_track_ref *slot;

	if (!val_name(p, kw, &st->kw, r.name, sizeof(r.name)))
		return;
	if (st->nargs) {
		if (strcmp(st->args[0].text, "weight") != 0 || st->nargs < 2 || st->nargs > 3) {
			cfg_err(p, &st->args[0].at, "%s: expected NAME [weight W [reverse]], got %s",
				kw, st->args[0].text);
			return;
		}
		if (!weight_args(p, kw, &st->args[1], st->nargs - 1, TRACK_WEIGHT_MAX, &r.weight,
				 &r.reverse))
			return;
		r.weight_set = true;
	}
	if (*n >= CFG_LIST_MAX) {
		cfg_err(p, &st->kw.at, "%s: more than %d entries", kw, CFG_LIST_MAX);
		return;
	}
	slot = ARR_PUSH(p, &st->kw.at, *refs, *n);
	if (slot)
		*slot = r;
}

static void process_ref_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	ref_line(p, st, "track_process", &in->track_processes, &in->ntrack_processes);
}

static void file_ref_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_instance *in = obj;

	ref_line(p, st, "track_file", &in->track_files, &in->ntrack_files);
}

static void group_process_ref_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_sync_group *g = obj;

	ref_line(p, st, "track_process", &g->track_processes, &g->ntrack_processes);
}

static void group_file_ref_line(struct parser *p, struct stmt *st, void *obj)
{
	struct cfg_sync_group *g = obj;

	ref_line(p, st, "track_file", &g->track_files, &g->ntrack_files);
}

void kw_group_track_processes(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, group_process_ref_line, &st->open, obj);
}

void kw_group_track_files(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, group_file_ref_line, &st->open, obj);
}

void kw_inst_track_processes(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, process_ref_line, &st->open, obj);
}

void kw_inst_track_files(struct parser *p, struct stmt *st, void *obj)
{
	stmt_parse_list(p, file_ref_line, &st->open, obj);
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */

static void check_process(struct parser *p, struct cfg_track_process *t)
{
	struct trackproc_spec *sp = &t->spec;

	if (!sp->process) {
		cfg_err(p, &t->where, "vrrp_track_process %s: no 'process' line (the process to "
				      "look for)", t->name);
		return;
	}
	/* Parameters given without param_match must all match, and only they. */
	if (sp->nparams > 0 && sp->match == TRACKPROC_PARAMS_ANY)
		sp->match = TRACKPROC_PARAMS_EXACT;
	if (sp->match != TRACKPROC_PARAMS_EXACT && sp->match != TRACKPROC_PARAMS_ANY &&
	    sp->nparams == 0)
		cfg_err(p, &t->where, "vrrp_track_process %s: param_match initial or partial needs "
				      "parameters after the process name", t->name);
	if (sp->quorum_max != TRACKPROC_QUORUM_MAX_NONE && sp->quorum_max < sp->quorum)
		cfg_err(p, &t->where, "vrrp_track_process %s: quorum_max %u is below quorum %u",
			t->name, sp->quorum_max, sp->quorum);
	if (!trackproc_uses_cmdline(sp) && strlen(sp->process) > TRACKPROC_COMM_MAX)
		cfg_warn(p, &t->where, "vrrp_track_process %s: the kernel keeps only the first %d "
				       "characters of a process name; '%.*s' is compared",
			 t->name, TRACKPROC_COMM_MAX, TRACKPROC_COMM_MAX, sp->process);
}

static void dup_names(struct parser *p, const char *what, const char *name, size_t i,
		      const struct cfg_where *at, const char *(*name_of)(struct vipd_config *, size_t),
		      const struct cfg_where *(*where_of)(struct vipd_config *, size_t))
{
	for (size_t k = 0; k < i; k++) {
		if (strcmp(name_of(p->cfg, k), name) == 0) {
			cfg_err(p, at, "%s %s is already defined at %s:%d", what, name,
				where_of(p->cfg, k)->file, where_of(p->cfg, k)->line);
			return;
		}
	}
}

static const char *proc_name(struct vipd_config *c, size_t i)
{
	return c->processes[i].name;
}

static const struct cfg_where *proc_where(struct vipd_config *c, size_t i)
{
	return &c->processes[i].where;
}

static const char *file_name(struct vipd_config *c, size_t i)
{
	return c->tfiles[i].name;
}

static const struct cfg_where *file_where(struct vipd_config *c, size_t i)
{
	return &c->tfiles[i].where;
}

/* Resolve refs against names[0..n); unknown ones get a "did you mean". */
static void resolve(struct parser *p, const char *kw, const char *block,
		    struct cfg_track_ref *refs, size_t nrefs, const char *const *names, size_t n)
{
	for (size_t r = 0; r < nrefs && !p->stopped; r++) {
		const char *hint;
		size_t k;

		for (k = 0; k < n; k++)
			if (strcmp(names[k], refs[r].name) == 0)
				break;
		if (k < n) {
			refs[r].def = k;
			continue;
		}
		hint = n ? cfg_suggest(refs[r].name, names, n, sizeof(names[0])) : NULL;
		if (hint)
			cfg_err(p, &refs[r].where, "%s: no %s named '%s'; did you mean '%s'?", kw,
				block, refs[r].name, hint);
		else
			cfg_err(p, &refs[r].where, "%s: no %s named '%s'", kw, block, refs[r].name);
	}
}

void cfg_check_tracks(struct parser *p)
{
	struct vipd_config *c = p->cfg;
	const char **pn = calloc(c->nprocesses + 1, sizeof(*pn));
	const char **fn = calloc(c->ntfiles + 1, sizeof(*fn));

	if (!pn || !fn) {
		cfg_oom(p, NULL);
		goto out;
	}
	for (size_t i = 0; i < c->nprocesses; i++) {
		dup_names(p, "vrrp_track_process", c->processes[i].name, i, &c->processes[i].where,
			  proc_name, proc_where);
		check_process(p, &c->processes[i]);
		pn[i] = c->processes[i].name;
	}
	for (size_t i = 0; i < c->ntfiles; i++) {
		dup_names(p, "track_file", c->tfiles[i].name, i, &c->tfiles[i].where, file_name,
			  file_where);
		if (!c->tfiles[i].path)
			cfg_err(p, &c->tfiles[i].where, "track_file %s: no 'file' line (the file "
							"to read)", c->tfiles[i].name);
		fn[i] = c->tfiles[i].name;
	}
	for (size_t i = 0; i < c->ninstances && !p->stopped; i++) {
		struct cfg_instance *in = &c->instances[i];

		resolve(p, "track_process", "vrrp_track_process", in->track_processes,
			in->ntrack_processes, pn, c->nprocesses);
		resolve(p, "track_file", "track_file", in->track_files, in->ntrack_files, fn,
			c->ntfiles);
	}
	for (size_t i = 0; i < c->ngroups && !p->stopped; i++) {
		struct cfg_sync_group *g = &c->groups[i];

		resolve(p, "track_process", "vrrp_track_process", g->track_processes,
			g->ntrack_processes, pn, c->nprocesses);
		resolve(p, "track_file", "track_file", g->track_files, g->ntrack_files, fn,
			c->ntfiles);
	}
out:
	free(pn);
	free(fn);
}
