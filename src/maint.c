/*
 * maint.c - the set of instances in maintenance and its state file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maint.h"

#define MAINT_FILE_MAX 65536

static bool name_ok(const char *s, size_t len)
{
	if (len == 0 || len >= MAINT_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

bool maint_has(const struct maint_set *m, const char *inst)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->names[i], inst) == 0)
			return true;
	return false;
}

int maint_set(struct maint_set *m, const char *inst, bool on)
{
	char(*names)[MAINT_NAME_MAX];

	if (!name_ok(inst, strlen(inst)))
		return -EINVAL;
	if (!on) {
		for (size_t i = 0; i < m->n; i++) {
			if (strcmp(m->names[i], inst) != 0)
				continue;
			memmove(m->names[i], m->names[i + 1], (m->n - i - 1) * sizeof(m->names[0]));
			m->n--;
			return 0;
		}
		return 0;
	}
	if (maint_has(m, inst))
		return 0;
	names = realloc(m->names, (m->n + 1) * sizeof(m->names[0]));
	if (!names)
		return -ENOMEM;
	m->names = names;
	snprintf(m->names[m->n++], MAINT_NAME_MAX, "%s", inst);
	return 0;
}

void maint_clear(struct maint_set *m)
{
	m->n = 0;
}

int maint_parse(const char *text, struct maint_set *m, int *bad_line)
{
	int line = 0;

	maint_clear(m);
	while (*text) {
		const char *end = text + strcspn(text, "\n");
		const char *s = text;
		size_t len;
		char name[MAINT_NAME_MAX];

		line++;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		len = (size_t)(end - s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len--;
		if (len && s[0] != '#') {
			int err;

			if (!name_ok(s, len)) {
				if (bad_line)
					*bad_line = line;
				return -EINVAL;
			}
			memcpy(name, s, len);
			name[len] = '\0';
			err = maint_set(m, name, true);
			if (err < 0)
				return err;
		}
		text = *end ? end + 1 : end;
	}
	return 0;
}

char *maint_format(const struct maint_set *m)
{
	static const char head[] = "# vipd: instances in maintenance (vipctl maintenance on|off)\n";
	size_t size = sizeof(head) + m->n * (MAINT_NAME_MAX + 1);
	char *s = malloc(size);
	size_t off;

	if (!s)
		return NULL;
	off = (size_t)snprintf(s, size, "%s", head);
	for (size_t i = 0; i < m->n; i++)
		off += (size_t)snprintf(s + off, size - off, "%s\n", m->names[i]);
	return s;
}

void maint_path_from_pidfile(const char *pidfile, char *out, size_t size)
{
	size_t len = strlen(pidfile);

	if (len > 4 && strcmp(pidfile + len - 4, ".pid") == 0)
		snprintf(out, size, "%.*s.maintenance", (int)(len - 4), pidfile);
	else
		snprintf(out, size, "%s.maintenance", pidfile);
}

int maint_load(const char *path, struct maint_set *m, int *bad_line)
{
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd, err;

	maint_clear(m);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	buf = malloc(MAINT_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (len < MAINT_FILE_MAX && (n = read(fd, buf + len, MAINT_FILE_MAX - len)) > 0)
		len += (size_t)n;
	err = n < 0 ? -errno : 0;
	close(fd);
	buf[len] = '\0';
	if (err == 0)
		err = maint_parse(buf, m, bad_line);
	free(buf);
	return err;
}

int maint_save(const char *path, const struct maint_set *m)
{
	char tmp[4096];
	char *text;
	size_t len;
	int fd, err = 0;

	if (m->n == 0)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	text = maint_format(m);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	errno = 0;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0)
		err = errno ? -errno : -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	free(text);
	return err;
}

void maint_free(struct maint_set *m)
{
	free(m->names);
	m->names = NULL;
	m->n = 0;
}
