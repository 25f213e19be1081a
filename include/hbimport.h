/*
 * hbimport.h - "vipctl import-heartbeat": read a heartbeat (version 1
 * style) configuration directory, ha.cf, haresources and authkeys, and
 * write an equivalent vipd.conf for one of its nodes, with a comment for
 * everything that could not be mapped.
 */
#ifndef VIPD_HBIMPORT_H
#define VIPD_HBIMPORT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Convert dir (ha.cf, haresources, authkeys) for node into out. local, if
 * not NULL, lists the node's own IPv4 addresses (NULL-terminated): a ucast
 * line to one of them is skipped, as heartbeat did. Returns 0, or -1 with a
 * message naming the file and line in err (nothing usable was written then).
 */
int hb_convert(const char *dir, const char *node, const char *const *local, FILE *out, char *err,
	       size_t errsize);

/* "vipctl import-heartbeat [DIR] [--node NAME]": argv[0] is the first argument. */
int hb_import_main(int argc, char **argv);

#endif
