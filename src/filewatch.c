/*
 * filewatch.c - track_file values on inotify (see filewatch.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "filewatch.h"
#include "log.h"
#include "trackproc.h"

#define FILE_READ_MAX 64 /* a number and some blanks; more is not a number */
#define DIR_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)

struct fw_file {
	char *path;
	char *dir;
	const char *base; /* into path */
	int wd;
	long value;
};

struct filewatch {
	struct loop *loop;
	int fd;
	struct fw_file *files;
	size_t nfiles;
	filewatch_cb cb;
	void *arg;
};

static long read_value(const char *path)
{
	char buf[FILE_READ_MAX + 1];
	long v = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return 0;
	if (n > FILE_READ_MAX || trackfile_parse(buf, (size_t)n, &v) < 0) {
		log_warn("track_file %s: the contents are not a number; read as 0", path);
		return 0;
	}
	return v;
}

static void reread(struct filewatch *fw, struct fw_file *f)
{
	long v = read_value(f->path);

	if (v == f->value)
		return;
	f->value = v;
	fw->cb((size_t)(f - fw->files), v, fw->arg);
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct filewatch *fw = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (int round = 0; round < 64; round++) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			p += sizeof(*ev) + ev->len;
			for (size_t i = 0; i < fw->nfiles; i++) {
				struct fw_file *f = &fw->files[i];

				/* Lost events: every file may have changed. */
				if ((ev->mask & IN_Q_OVERFLOW) ||
				    (ev->wd == f->wd && ev->len && strcmp(ev->name, f->base) == 0))
					reread(fw, f);
			}
		}
	}
}

struct filewatch *filewatch_new(struct loop *l, filewatch_cb cb, void *arg)
{
	struct filewatch *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return NULL;
	fw->loop = l;
	fw->fd = -1;
	fw->cb = cb;
	fw->arg = arg;
	return fw;
}

int filewatch_add(struct filewatch *fw, const char *path)
{
	struct fw_file *files = realloc(fw->files, (fw->nfiles + 1) * sizeof(*files));
	struct fw_file *f;
	const char *slash;

	if (!files)
		return -ENOMEM;
	fw->files = files;
	f = &files[fw->nfiles];
	memset(f, 0, sizeof(*f));
	f->wd = -1;
	f->path = strdup(path);
	slash = strrchr(path, '/');
	f->dir = slash ? (slash == path ? strdup("/") : strndup(path, (size_t)(slash - path)))
		       : strdup(".");
	if (!f->path || !f->dir) {
		free(f->path);
		free(f->dir);
		return -ENOMEM;
	}
	f->base = f->path + (slash ? (size_t)(slash - path) + 1 : 0);
	return (int)fw->nfiles++;
}

int filewatch_start(struct filewatch *fw)
{
	int rc;

	fw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fw->fd < 0)
		return -errno;
	for (size_t i = 0; i < fw->nfiles; i++) {
		struct fw_file *f = &fw->files[i];

		/* One watch per directory: inotify returns the same wd again. */
		f->wd = inotify_add_watch(fw->fd, f->dir, DIR_EVENTS | IN_ONLYDIR);
		if (f->wd < 0) {
			rc = -errno;
			log_err("track_file %s: cannot watch directory %s: %s", f->path, f->dir,
				strerror(errno));
			return rc;
		}
		f->value = read_value(f->path);
	}
	return loop_add_fd(fw->loop, fw->fd, EPOLLIN, on_readable, fw);
}

long filewatch_value(const struct filewatch *fw, size_t idx)
{
	return idx < fw->nfiles ? fw->files[idx].value : 0;
}

void filewatch_free(struct filewatch *fw)
{
	if (!fw)
		return;
	if (fw->fd >= 0) {
		loop_del_fd(fw->loop, fw->fd);
		close(fw->fd);
	}
	for (size_t i = 0; i < fw->nfiles; i++) {
		free(fw->files[i].path);
		free(fw->files[i].dir);
	}
	free(fw->files);
	free(fw);
}

int filewatch_init_file(const char *path, long value, bool overwrite)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0644);
	char buf[32];
	int len, rc = 0;

	if (fd < 0)
		return errno == EEXIST && !overwrite ? 0 : -errno;
	len = snprintf(buf, sizeof(buf), "%ld\n", value);
	if (write(fd, buf, (size_t)len) != len)
		rc = -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}
