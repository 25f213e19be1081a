/*
 * filewatch.h - the running side of track_file: each file's number is read
 * at start and again whenever the file is written and closed, renamed
 * into place or removed, as inotify reports on its directory (editors and
 * "mv new file" replace the file, so the file itself is not watched). No
 * polling. A missing or unreadable file reads as 0, as in keepalived.
 */
#ifndef VIPD_FILEWATCH_H
#define VIPD_FILEWATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

struct filewatch;

/* Called when file idx's value changed. */
typedef void (*filewatch_cb)(size_t idx, long value, void *arg);

struct filewatch *filewatch_new(struct loop *l, filewatch_cb cb, void *arg);

/* Watch path (copied); its index, or -errno. */
int filewatch_add(struct filewatch *fw, const char *path);

/* Set up inotify and read every file. Returns 0 or -errno. */
int filewatch_start(struct filewatch *fw);

long filewatch_value(const struct filewatch *fw, size_t idx);

void filewatch_free(struct filewatch *fw);

/*
 * keepalived's init_file: write value to path when it does not exist, or
 * always with overwrite. Returns 0 or -errno.
 */
int filewatch_init_file(const char *path, long value, bool overwrite);

#endif
