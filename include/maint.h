/*
 * maint.h - which instances an operator put in maintenance ("vipctl
 * maintenance on"), kept in a small file beside the pid file so that the
 * choice survives a restart and a reload. One instance name per line.
 * The set itself is pure; maint_load and maint_save are the only I/O.
 */
#ifndef VIPD_MAINT_H
#define VIPD_MAINT_H

#include <stdbool.h>
#include <stddef.h>

#define MAINT_NAME_MAX 64 /* as CFG_NAME_MAX */

struct maint_set {
	char (*names)[MAINT_NAME_MAX];
	size_t n;
};

/* Is inst in maintenance? */
bool maint_has(const struct maint_set *m, const char *inst);

/* Put inst in (on) or take it out of maintenance. Returns 0, -ENOMEM or -EINVAL (bad name). */
int maint_set(struct maint_set *m, const char *inst, bool on);

/* Take every instance out. */
void maint_clear(struct maint_set *m);

/*
 * Read the set from text: one name per line, blank lines and lines
 * starting with '#' ignored. Returns 0, or -EINVAL with the 1-based number
 * of the first bad line in *bad_line (a name too long or with blanks).
 */
int maint_parse(const char *text, struct maint_set *m, int *bad_line);

/* The file's text (a comment line, then the names); malloc'd, NULL without memory. */
char *maint_format(const struct maint_set *m);

/* The state file that goes with a pid file: "X.pid" -> "X.maintenance". */
void maint_path_from_pidfile(const char *pidfile, char *out, size_t size);

/*
 * Load path into m (emptied first); a missing file is an empty set.
 * Returns 0, or -errno, or -EINVAL with the bad line in *bad_line.
 */
int maint_load(const char *path, struct maint_set *m, int *bad_line);

/*
 * Write m to path atomically (a temporary file renamed over it); an empty
 * set removes the file. Returns 0 or -errno.
 */
int maint_save(const char *path, const struct maint_set *m);

void maint_free(struct maint_set *m);

#endif
