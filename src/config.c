/*
 * config.c - reads vipd.conf (keepalived's configuration syntax, VRRP
 * subset) into struct vipd_config: the public interface and the
 * diagnostics every layer of the parser reports through.
 *
 * Four layers, one file each. config-lex.c turns files into tokens carrying
 * file:line:column and follows "include GLOB" lines. config-stmt.c groups
 * the words of one line and an optional { block } and dispatches them.
 * config-kw.c holds the keyword tables, one per block; their handlers fill
 * the structures. config-check.c runs the checks that need the whole
 * configuration and applies the defaults from global_defs. Their shared
 * state is struct parser (config-priv.h).
 *
 * The parser does not stop at the first error: it reports it, skips to the
 * next statement and goes on, up to CFG_ERRORS_MAX errors. Every loop is
 * bounded by the input and every buffer by a named limit, because it reads
 * untrusted files and is fuzzed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-check.h"
#include "config-kw.h"
#include "config-lex.h"
#include "config-stmt.h"

/* --------------------------------------------------- diagnostics and memory */

static void diag_store(struct cfg_result *r, enum cfg_level lvl, const struct cfg_where *at,
		       const char *msg)
{
	struct cfg_diag *d;

	if (r->ndiags >= CFG_DIAGS_MAX)
		return;
	d = realloc(r->diags, (r->ndiags + 1) * sizeof(*d));
	if (!d)
		return;
	r->diags = d;
	d = &r->diags[r->ndiags];
	d->level = lvl;
	d->file = strdup(at && at->file ? at->file : "(config)");
	d->msg = strdup(msg);
	d->line = at ? at->line : 0;
	d->column = at ? at->column : 0;
	if (d->file && d->msg) {
		r->ndiags++;
		return;
	}
	free(d->file);
	free(d->msg);
}

static void diag_v(struct parser *p, enum cfg_level lvl, const struct cfg_where *at,
		   const char *fmt, va_list ap)
{
	char msg[512], full[600];

	if (p->stopped)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Counted even if it cannot be stored: an error must fail the load. */
	if (lvl == CFG_ERROR && ++p->res->nerrors >= CFG_ERRORS_MAX) {
		snprintf(full, sizeof(full), "%s (too many errors; stopping here)", msg);
		diag_store(p->res, lvl, at, full);
		p->stopped = true;
		return;
	}
	diag_store(p->res, lvl, at, msg);
}

__attribute__((format(printf, 3, 4)))
void cfg_err(struct parser *p, const struct cfg_where *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(p, CFG_ERROR, at, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
void cfg_warn(struct parser *p, const struct cfg_where *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(p, CFG_WARNING, at, fmt, ap);
	va_end(ap);
}

/* Nothing sensible follows a failed allocation: report it and stop parsing. */
void cfg_oom(struct parser *p, const struct cfg_where *at)
{
	cfg_err(p, at, "out of memory");
	p->stopped = true;
}

/* Grow an array by one zeroed element; NULL (reported) when out of memory. */
void *cfg_arr_grow(struct parser *p, const struct cfg_where *at, void *arr, size_t n,
		   size_t size)
{
	char *a = n + 1 > SIZE_MAX / size ? NULL : realloc(arr, (n + 1) * size);

	if (!a) {
		cfg_oom(p, at);
		return NULL;
	}
	memset(a + n * size, 0, size);
	return a;
}

bool cfg_copy_name(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return false;
	memcpy(dst, src, len + 1);
	return true;
}

/* --------------------------------------------------------- public interface */

static void global_init(struct cfg_global *g)
{
	g->vrrp_version = VRRP_DEFAULT_VERSION;
	g->garp_master_delay_us = UNSET_US;
	g->garp_master_repeat = UNSET_COUNT;
	g->garp_master_refresh_us = UNSET_US;
	g->garp_master_refresh_repeat = UNSET_COUNT;
	g->garp_interval_us = UNSET_US;
	g->gna_interval_us = UNSET_US;
	g->garp_lower_prio_delay_us = UNSET_US;
	g->garp_lower_prio_repeat = UNSET_COUNT;
	g->lower_prio_no_advert = UNSET_COUNT;
	g->higher_prio_send_advert = UNSET_COUNT;
}

static void parser_done(struct parser *p)
{
	while (p->nsrcs)
		src_pop(p);
	free(p->srcs);
	if (p->have_peek)
		tok_clear(&p->peek);
	free(p->iextra);
	free(p->refs);
	cfgpp_free(p->pp);
}

/* Parse from the root source (already on the stack) and check the result. */
static int cfg_parse(struct parser *p)
{
	struct cfg_result *res = p->res;

	stmt_parse_stmts(p, &cfg_top_block, NULL, NULL, p->cfg);
	if (!p->stopped)
		cfg_check_all(p);
	parser_done(p);
	if (res->nerrors) {
		cfg_free(p->cfg);
		res->config = NULL;
		return -1;
	}
	res->config = p->cfg;
	return 0;
}

/*
 * Set up the parser with an empty configuration and the root source. Out
 * of memory, it returns NULL with the error recorded and parsing stopped,
 * and cfg_parse() then only cleans up.
 */
static struct src *parser_init(struct parser *p, struct cfg_result *res, const char *name,
			       const struct cfg_opts *opts)
{
	struct src *root = NULL;

	memset(res, 0, sizeof(*res));
	memset(p, 0, sizeof(*p));
	p->res = res;
	if (opts && opts->config_id)
		snprintf(p->config_id, sizeof(p->config_id), "%s", opts->config_id);
	else
		cfgpp_default_id(p->config_id, sizeof(p->config_id));
	p->random_seed = opts ? opts->random_seed : 0;
	p->cfg = calloc(1, sizeof(*p->cfg));
	if (p->cfg)
		root = src_new(p, name, NULL);
	if (!root || !src_push(p, root)) {
		cfg_oom(p, NULL);
		return NULL;
	}
	global_init(&p->cfg->global);
	p->nread = 1;
	return root;
}

int cfg_load_file(const char *path, struct cfg_result *res)
{
	return cfg_load_file_opts(path, NULL, res);
}

int cfg_load_file_opts(const char *path, const struct cfg_opts *opts, struct cfg_result *res)
{
	struct parser p;
	struct src *root = parser_init(&p, res, path, opts);

	if (root) {
		root->path = strdup(path);
		root->real = realpath(path, NULL);
		root->dir = src_dir_of(path);
		if (!root->path)
			cfg_oom(&p, NULL);
	}
	return cfg_parse(&p);
}

int cfg_load_string(const char *text, const char *name, const char *basedir,
		    struct cfg_result *res)
{
	return cfg_load_string_opts(text, name, basedir, NULL, res);
}

int cfg_load_string_opts(const char *text, const char *name, const char *basedir,
			 const struct cfg_opts *opts, struct cfg_result *res)
{
	struct parser p;
	struct src *root = parser_init(&p, res, name ? name : "(string)", opts);

	if (root) {
		root->text = strdup(text ? text : "");
		root->len = root->text ? strlen(root->text) : 0;
		root->dir = basedir ? strdup(basedir) : NULL;
		if (!root->text || (basedir && !root->dir))
			cfg_oom(&p, NULL);
		else
			src_preprocess(&p, root);
	}
	return cfg_parse(&p);
}

const char *cfg_diag_format(const struct cfg_diag *d, char *buf, size_t size)
{
	const char *lvl = d->level == CFG_ERROR ? "error" : "warning";

	if (d->line > 0)
		snprintf(buf, size, "%s:%d:%d: %s: %s", d->file, d->line, d->column, lvl, d->msg);
	else
		snprintf(buf, size, "%s: %s: %s", d->file, lvl, d->msg);
	return buf;
}

static void notify_free(struct cfg_notify *n)
{
	free(n->master);
	free(n->backup);
	free(n->fault);
	free(n->stop);
	free(n->any);
}

void cfg_free(struct vipd_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->global.notify_fifo.path);
	free(cfg->global.notify_fifo.script);
	free(cfg->global.vrrp_notify_fifo.path);
	free(cfg->global.vrrp_notify_fifo.script);
	for (size_t i = 0; i < cfg->ninstances; i++) {
		struct cfg_instance *in = &cfg->instances[i];

		free(in->vips);
		free(in->vips_excluded);
		free(in->unicast_peers);
		for (size_t k = 0; k < in->npaths; k++)
			free(in->paths[k].peers);
		free(in->paths);
		free(in->track_ifs);
		free(in->track_scripts);
		free(in->track_gateways);
		free(in->track_processes);
		free(in->track_files);
		free(in->routes);
		free(in->rules);
		notify_free(&in->notify);
	}
	for (size_t i = 0; i < cfg->nscripts; i++)
		free(cfg->scripts[i].command);
	for (size_t i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].members);
		free(cfg->groups[i].track_ifs);
		free(cfg->groups[i].track_scripts);
		free(cfg->groups[i].track_processes);
		free(cfg->groups[i].track_files);
		notify_free(&cfg->groups[i].notify);
	}
	for (size_t i = 0; i < cfg->nprocesses; i++) {
		struct trackproc_spec *sp = &cfg->processes[i].spec;

		free(sp->process);
		for (size_t k = 0; k < sp->nparams; k++)
			free(sp->params[k]);
		free(sp->params);
	}
	for (size_t i = 0; i < cfg->ntfiles; i++)
		free(cfg->tfiles[i].path);
	free(cfg->processes);
	free(cfg->tfiles);
	for (size_t i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->instances);
	free(cfg->scripts);
	free(cfg->gateways);
	free(cfg->groups);
	free(cfg->files);
	free(cfg);
}

void cfg_result_free(struct cfg_result *res)
{
	for (size_t i = 0; i < res->ndiags; i++) {
		free(res->diags[i].file);
		free(res->diags[i].msg);
	}
	free(res->diags);
	cfg_free(res->config);
	memset(res, 0, sizeof(*res));
}

struct cfg_instance *cfg_find_instance(const struct vipd_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ninstances; i++)
		if (strcmp(cfg->instances[i].name, name) == 0)
			return &cfg->instances[i];
	return NULL;
}

struct cfg_script *cfg_find_script(const struct vipd_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nscripts; i++)
		if (strcmp(cfg->scripts[i].name, name) == 0)
			return &cfg->scripts[i];
	return NULL;
}

bool cfg_has_scripts(const struct vipd_config *cfg)
{
	for (size_t i = 0; i < cfg->nscripts; i++)
		if (cfg->scripts[i].command) /* native checks run no process */
			return true;
	for (size_t i = 0; i < cfg->ninstances; i++) {
		const struct cfg_notify *n = &cfg->instances[i].notify;

		if (n->master || n->backup || n->fault || n->stop || n->any)
			return true;
	}
	for (size_t i = 0; i < cfg->ngroups; i++) {
		const struct cfg_notify *n = &cfg->groups[i].notify;

		if (n->master || n->backup || n->fault || n->stop || n->any)
			return true;
	}
	return false;
}
