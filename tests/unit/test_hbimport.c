/*
 * test_hbimport.c - vipctl import-heartbeat: the classic two-node
 * heartbeat setup converted for each node, the result loaded by vipd's own
 * parser, and the files it must refuse with the file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "hbimport.h"

/* The setup of the heartbeat documentation, on test1 and test2. */
static const char classic_hacf[] =
	"# ha.cf\n"
	"debugfile /var/log/ha-debug\n"
	"logfile /var/log/ha-log\n"
	"logfacility local0\n"
	"keepalive 2\n"
	"deadtime 30\n"
	"warntime 10\n"
	"initdead 60\n"
	"udpport 694\n"
	"ucast eth1 10.6.100.189\n"
	"auto_failback on\n"
	"node test1\n"
	"node test2\n"
	"ping 10.6.100.1\n"
	"respawn hacluster /usr/lib/heartbeat/ipfail\n";
static const char classic_haresources[] = "# haresources\ntest1 10.6.0.187/24/eth0:0 nginx\n";
static const char classic_authkeys[] = "# authkeys\nauth 3\n3 md5 Hello!\n";

struct fixture {
	char dir[64];
	char *out;
	size_t outlen;
	char err[4096];
};

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_hbimport.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	put(fx->dir, "ha.cf", classic_hacf);
	put(fx->dir, "haresources", classic_haresources);
	put(fx->dir, "authkeys", classic_authkeys);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx->out);
	free(fx);
	return 0;
}

/* Convert for node with these own addresses; hb_convert's result, output in fx->out. */
static int convert_local(struct fixture *fx, const char *node, const char *const *local)
{
	FILE *out;
	int rc;

	free(fx->out);
	fx->out = NULL;
	fx->err[0] = '\0';
	out = open_memstream(&fx->out, &fx->outlen);
	assert_non_null(out);
	rc = hb_convert(fx->dir, node, local, out, fx->err, sizeof(fx->err));
	fclose(out);
	return rc;
}

static int convert(struct fixture *fx, const char *node)
{
	return convert_local(fx, node, NULL);
}

#define assert_has(hay, needle)                                                        \
	do {                                                                           \
		if (!strstr((hay), (needle)))                                          \
			fail_msg("missing: \"%s\" in:\n%s", (needle), (hay));          \
	} while (0)

/* Load the output with vipd's parser: no error, and the instance as expected. */
static struct vipd_config *load(const struct fixture *fx)
{
	struct cfg_result res;
	struct vipd_config *cfg;

	cfg_load_string(fx->out, "converted.conf", NULL, &res);
	for (size_t i = 0; i < res.ndiags; i++) {
		char buf[1024];

		print_message("%s\n", cfg_diag_format(&res.diags[i], buf, sizeof(buf)));
	}
	assert_int_equal(res.nerrors, 0);
	cfg = res.config;
	res.config = NULL;
	cfg_result_free(&res);
	assert_non_null(cfg);
	return cfg;
}

static void test_classic_owner(void **state)
{
	struct fixture *fx = *state;
	struct vipd_config *cfg;
	const struct cfg_instance *in;
	char addr[64];

	assert_int_equal(convert(fx, "test1"), 0);
	/* Every heartbeat setting shows up, mapped or explained. */
	assert_has(fx->out, "priority 150\n");
	assert_has(fx->out, "advert_int 2\n");
	assert_has(fx->out, "# deadtime 30");
	assert_has(fx->out, "3 x advert_int + (256 - priority) / 256 x advert_int = 6.8 s");
	assert_has(fx->out, "10.6.0.187/24 dev eth0 label eth0:0\n");
	assert_has(fx->out, "\n\tadvert_path { eth1 10.6.100.189 }\n");
	assert_has(fx->out, "address 10.6.100.1\n");
	assert_has(fx->out, "dev eth1");
	assert_has(fx->out, "weight -60\n");
	assert_has(fx->out, "auto_failback on");
	assert_has(fx->out, "notify_master \"/bin/sh -c 'mkdir -p /run/vipd && touch "
			    "/run/vipd/heartbeat-test1-ha1.active && /etc/init.d/nginx start'\"");
	assert_has(fx->out, "notify_backup \"/bin/sh -c 'rm -f /run/vipd/heartbeat-test1-ha1.active; "
			    "/etc/init.d/nginx stop'\"");
	assert_has(fx->out, "/etc/init.d/nginx status");
	assert_has(fx->out, "heartbeat signed its packets with md5 (key 3)");
	assert_has(fx->out, "VRRPv3, which has no authentication");
	assert_has(fx->out, "authentication { auth_type AH auth_pass KEY }");
	assert_has(fx->out, "ha.cf:7: 'warntime 10'");
	assert_has(fx->out, "ha.cf:8: 'initdead 60'");
	assert_has(fx->out, "ha.cf:9: 'udpport 694'");
	assert_has(fx->out, "ha.cf:15: 'respawn hacluster /usr/lib/heartbeat/ipfail'");
	assert_null(strstr(fx->out, "nopreempt"));
	assert_null(strstr(fx->out, "Hello!"));

	cfg = load(fx);
	assert_int_equal(cfg->ninstances, 1);
	in = &cfg->instances[0];
	assert_string_equal(in->interface, "eth0");
	assert_int_equal(in->vrid, 187);
	assert_int_equal(in->priority, 150);
	assert_int_equal(in->advert_int_cs, 200);
	assert_true(in->preempt);
	assert_int_equal(in->nvips, 1);
	assert_string_equal(ipaddr_str(&in->vips[0].addr, addr, sizeof(addr)), "10.6.0.187");
	assert_int_equal(in->vips[0].prefix_len, 24);
	assert_string_equal(in->vips[0].label, "eth0:0");
	assert_int_equal(in->ntrack_gateways, 1);
	assert_string_equal(cfg->global.script_user, "root");
	cfg_free(cfg);
}

static void test_classic_other_node(void **state)
{
	struct fixture *fx = *state;
	struct vipd_config *cfg;

	assert_int_equal(convert(fx, "test2"), 0);
	assert_has(fx->out, "priority 100\n");
	assert_has(fx->out, "/run/vipd/heartbeat-test2-ha1.active");
	cfg = load(fx);
	assert_int_equal(cfg->instances[0].priority, 100);
	assert_int_equal(cfg->instances[0].vrid, 187);
	cfg_free(cfg);
}

/* The same ha.cf on test2, whose address the ucast line names: no path to itself. */
static void test_ucast_to_own_address_skipped(void **state)
{
	struct fixture *fx = *state;
	static const char *const test2_addrs[] = { "127.0.0.1", "10.6.100.189", NULL };

	assert_int_equal(convert_local(fx, "test2", test2_addrs), 0);
	assert_has(fx->out, "# ucast eth1 10.6.100.189 (ha.cf:10): this node's own address");
	assert_null(strstr(fx->out, "\tadvert_path {"));
	cfg_free(load(fx));
}

static void test_failback_off_and_resource_d(void **state)
{
	struct fixture *fx = *state;
	char path[128], expect[256];
	struct vipd_config *cfg;

	put(fx->dir, "ha.cf", "keepalive 500ms\nauto_failback off\nnode a\nnode b\nbcast eth1\n");
	put(fx->dir, "haresources",
	    "b IPaddr::192.0.2.5/255.255.255.0/eth0 \\\n  Filesystem::/dev/sdb1::/srv::ext4 web\n");
	snprintf(path, sizeof(path), "%s/resource.d", fx->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put(path, "web", "#!/bin/sh\n");
	assert_int_equal(convert(fx, "a"), 0);
	assert_has(fx->out, "nopreempt\n");
	assert_has(fx->out, "priority 100\n");
	assert_has(fx->out, "advert_int 0.5\n");
	assert_has(fx->out, "192.0.2.5/24 dev eth0\n");
	assert_has(fx->out, "ha.cf:5: 'bcast eth1'");
	/* Started in order, stopped in reverse; resource.d before init.d. */
	snprintf(expect, sizeof(expect), "/etc/init.d/Filesystem /dev/sdb1 /srv ext4 start; %s/web start",
		 path);
	assert_has(fx->out, expect);
	snprintf(expect, sizeof(expect), "%s/web stop; /etc/init.d/Filesystem /dev/sdb1 /srv ext4 stop",
		 path);
	assert_has(fx->out, expect);
	cfg = load(fx);
	assert_false(cfg->instances[0].preempt);
	assert_int_equal(cfg->instances[0].vrid, 5);
	cfg_free(cfg);
}

static void test_errors(void **state)
{
	struct fixture *fx = *state;
	char expect[256];

	assert_int_equal(convert(fx, "test3"), -1);
	assert_has(fx->err, "node 'test3' is not one of its 'node' lines");

	put(fx->dir, "ha.cf", "node a\nnode b\nucast eth1\n");
	assert_int_equal(convert(fx, "a"), -1);
	snprintf(expect, sizeof(expect), "%s/ha.cf:3: ucast: expected 'ucast IFACE PEER'", fx->dir);
	assert_string_equal(fx->err, expect);

	put(fx->dir, "ha.cf", "node a\nkeepalive soon\n");
	assert_int_equal(convert(fx, "a"), -1);
	snprintf(expect, sizeof(expect), "%s/ha.cf:2: keepalive: expected one time (2, 2s, 500ms)",
		 fx->dir);
	assert_string_equal(fx->err, expect);

	put(fx->dir, "ha.cf", "node a\nnode b\n");
	put(fx->dir, "haresources", "a nginx\n");
	assert_int_equal(convert(fx, "a"), -1);
	snprintf(expect, sizeof(expect), "%s/haresources:1: resource group of a has no IP address",
		 fx->dir);
	assert_string_equal(fx->err, expect);

	put(fx->dir, "haresources", "c 192.0.2.5\n");
	assert_int_equal(convert(fx, "a"), -1);
	assert_has(fx->err, "haresources:1: owner 'c' is not a node of ha.cf");

	put(fx->dir, "haresources", "a 192.0.2.5/33/eth0\n");
	assert_int_equal(convert(fx, "a"), -1);
	assert_has(fx->err, "haresources:1: '192.0.2.5/33/eth0': expected IP[/BITS[/IFACE[:LABEL]]]");

	snprintf(expect, sizeof(expect), "%s/ha.cf", fx->dir);
	unlink(expect);
	assert_int_equal(convert(fx, "a"), -1);
	snprintf(expect, sizeof(expect), "%s/ha.cf: No such file or directory", fx->dir);
	assert_string_equal(fx->err, expect);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_classic_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classic_other_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ucast_to_own_address_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failback_off_and_resource_d, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
