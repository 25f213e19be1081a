/*
 * test_config.c - the vipd.conf parser: every keyword's good and bad forms,
 * the checks across blocks, includes, the sample configurations in conf/
 * and keepalived's own samples.
 *
 * Error cases are tables of snippets with the one diagnostic each must
 * produce: its exact "file:line:column: level: " prefix and its message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "packet.h"

#define CONF_DIR TEST_DATADIR "/../../conf"
#define DATA_DIR TEST_DATADIR "/config"
#define KEEPALIVED_SAMPLES "/usr/share/doc/keepalived/samples"
#define SEC 1000000ULL

/* Lines 1-6; the body given to INST starts on line 7, column 1. */
#define HEAD                                                                   \
	"vrrp_instance VI_1 {\n"                                               \
	"interface eth0\n"                                                     \
	"virtual_router_id 51\n"                                               \
	"virtual_ipaddress {\n"                                                \
	"192.0.2.100/24\n"                                                     \
	"}\n"
#define INST(body) HEAD body "}\n"

static int load(const char *text, struct cfg_result *r)
{
	return cfg_load_string(text, "t.conf", NULL, r);
}

static void print_diags(const struct cfg_result *r)
{
	char buf[1024];

	for (size_t i = 0; i < r->ndiags; i++)
		print_message("    %s\n", cfg_diag_format(&r->diags[i], buf, sizeof(buf)));
}

/* The index of the first diag whose text starts with where and contains msg. */
static long find_diag(const struct cfg_result *r, const char *where, const char *msg)
{
	char buf[1024];

	for (size_t i = 0; i < r->ndiags; i++) {
		cfg_diag_format(&r->diags[i], buf, sizeof(buf));
		if (strncmp(buf, where, strlen(where)) == 0 && strstr(buf + strlen(where), msg))
			return (long)i;
	}
	return -1;
}

static void expect_diag(const struct cfg_result *r, const char *where, const char *msg)
{
	if (find_diag(r, where, msg) < 0) {
		print_message("expected \"%s%s\" among:\n", where, msg);
		print_diags(r);
		fail();
	}
}

/* -------------------------------------------------------------- diagnostics */

struct diag_case {
	const char *name;
	const char *text;
	const char *where; /* "t.conf:LINE:COL: error: " */
	const char *msg;   /* contained in the message */
};

static const struct diag_case error_cases[] = {
	/* vrrp_instance values */
	{ "priority_out_of_range", INST("priority 300\n"), "t.conf:7:10: error: ",
	  "priority: expected a number from 1 to 255, got 300" },
	{ "priority_missing", INST("priority\n"), "t.conf:7:1: error: ",
	  "priority: expected a number from 1 to 255" },
	{ "priority_two_values", INST("priority 100 200\n"), "t.conf:7:14: error: ",
	  "priority: unexpected '200' after the value" },
	{ "priority_zero", INST("priority 0\n"), "t.conf:7:10: error: ",
	  "priority: expected a number from 1 to 255, got 0" },
	{ "priority_negative", INST("priority -5\n"), "t.conf:7:10: error: ", "got -5" },
	{ "vrid_out_of_range", INST("virtual_router_id 256\n"), "t.conf:7:19: error: ",
	  "virtual_router_id: expected a number from 1 to 255, got 256" },
	{ "vrid_not_a_number", INST("virtual_router_id x\n"), "t.conf:7:19: error: ",
	  "virtual_router_id: expected a number from 1 to 255, got x" },
	{ "state_unknown", INST("state PRIMARY\n"), "t.conf:7:7: error: ",
	  "state: expected MASTER or BACKUP, got PRIMARY" },
	{ "advert_int_zero", INST("advert_int 0\n"), "t.conf:7:12: error: ",
	  "advert_int: expected seconds from 0.01 to 255, got 0" },
	{ "advert_int_too_long", INST("advert_int 256\n"), "t.conf:7:12: error: ",
	  "advert_int: expected seconds from 0.01 to 255, got 256" },
	{ "advert_int_not_centiseconds", INST("advert_int 0.015\n"), "t.conf:7:12: error: ",
	  "advert_int: expected seconds in steps of 0.01, got 0.015" },
	{ "advert_int_fraction_v2", INST("advert_int 1.5\n"), "t.conf:7:12: error: ",
	  "advert_int: VRRP version 2 needs whole seconds from 1 to 255, got 1.5" },
	{ "advert_int_over_v3_max", INST("version 3\nadvert_int 41\n"), "t.conf:8:12: error: ",
	  "advert_int: VRRP version 3 allows 0.01 to 40.95 seconds, got 41" },
	{ "version_unknown", INST("version 4\n"), "t.conf:7:9: error: ",
	  "version: expected 2 or 3, got 4" },
	{ "preempt_delay_too_long", INST("preempt_delay 1001\n"), "t.conf:7:15: error: ",
	  "preempt_delay: expected seconds from 0 to 1000, got 1001" },
	{ "preempt_delay_garbage", INST("preempt_delay 1.2.3\n"), "t.conf:7:15: error: ",
	  "preempt_delay: expected seconds from 0 to 1000, got 1.2.3" },
	{ "nopreempt_with_value", INST("nopreempt yes\n"), "t.conf:7:11: error: ",
	  "nopreempt: unexpected 'yes' after the keyword" },
	{ "interface_with_block", INST("interface eth0 {\n}\n"), "t.conf:7:16: error: ",
	  "interface: takes no block" },
	{ "interface_too_long", INST("interface averyveryverylongname\n"), "t.conf:7:11: error: ",
	  "interface: 'averyveryverylongname' is longer than 15 characters" },
	{ "unknown_keyword_suggests", INST("virtual_routr_id 5\n"), "t.conf:7:1: error: ",
	  "unknown keyword 'virtual_routr_id' in vrrp_instance; did you mean "
	  "'virtual_router_id'?" },
	{ "use_vmac_name_too_long", INST("use_vmac a_very_long_vmac_name\n"),
	  "t.conf:7:10: error: ",
	  "use_vmac: 'a_very_long_vmac_name' is longer than 15 characters" },
	{ "garp_repeat_zero", INST("garp_master_repeat 0\n"), "t.conf:7:20: error: ",
	  "garp_master_repeat: expected a number from 1 to 255, got 0" },
	{ "lower_prio_repeat_range", INST("garp_lower_prio_repeat 256\n"), "t.conf:7:24: error: ",
	  "garp_lower_prio_repeat: expected a number from 0 to 255, got 256" },
	{ "lower_prio_no_advert_garbage", INST("lower_prio_no_advert maybe\n"),
	  "t.conf:7:22: error: ", "lower_prio_no_advert: expected" },
	{ "garp_delay_garbage", INST("garp_master_delay x\n"), "t.conf:7:19: error: ",
	  "garp_master_delay: expected seconds from 0 to 1000, got x" },
	{ "garp_interval_too_long", INST("garp_interval 11\n"), "t.conf:7:15: error: ",
	  "garp_interval: expected seconds from 0 to 10, got 11" },
	{ "smtp_alert_not_bool", INST("smtp_alert maybe\n"), "t.conf:7:12: error: ",
	  "smtp_alert: expected on, off, true, false, yes or no, got maybe" },
	{ "notify_with_user", INST("notify_master /bin/x root\n"), "t.conf:7:22: error: ",
	  "notify_master: keepalived reads 'root' as the user to run the script as" },
	{ "notify_empty", INST("notify \"\"\n"), "t.conf:7:8: error: ",
	  "notify: expected a command, got an empty string" },

	/* authentication */
	{ "auth_ah_without_key", INST("authentication {\nauth_type AH\n}\n"),
	  "t.conf:7:1: error: ", "authentication: auth_type AH needs an auth_pass (its key)" },
	{ "auth_type_unknown", INST("authentication {\nauth_type MD5\n}\n"), "t.conf:8:11: error: ",
	  "auth_type: expected PASS or AH, got MD5" },
	{ "auth_pass_missing", INST("authentication {\nauth_type PASS\n}\n"), "t.conf:7:1: error: ",
	  "authentication: auth_type PASS needs an auth_pass" },
	{ "auth_pass_empty", INST("authentication {\nauth_pass \"\"\n}\n"), "t.conf:8:11: error: ",
	  "auth_pass: expected a password, got an empty string" },
	{ "auth_unknown_keyword", INST("authentication {\nauth_typ PASS\n}\n"),
	  "t.conf:8:1: error: ", "unknown keyword 'auth_typ' in authentication; did you mean "
				 "'auth_type'?" },
	{ "auth_without_block", INST("authentication PASS\n"), "t.conf:7:1: error: ",
	  "authentication: expected '{' to open its block" },

	/* virtual_ipaddress lines */
	{ "vip_bad_address", INST("virtual_ipaddress_excluded {\n192.0.2.300\n}\n"),
	  "t.conf:8:1: error: ",
	  "virtual_ipaddress_excluded: expected an address like 192.0.2.10/24 or "
	  "2001:db8::10/64, got 192.0.2.300" },
	{ "vip_bad_prefix", INST("virtual_ipaddress_excluded {\n192.0.2.5/33\n}\n"),
	  "t.conf:8:1: error: ", "got 192.0.2.5/33" },
	{ "vip_option_without_value", INST("virtual_ipaddress_excluded {\n192.0.2.5 dev\n}\n"),
	  "t.conf:8:11: error: ", "virtual_ipaddress_excluded: 'dev' needs a value" },
	{ "vip_peer_unsupported",
	  INST("virtual_ipaddress_excluded {\n192.0.2.5 peer 192.0.2.6\n}\n"),
	  "t.conf:8:11: error: ",
	  "virtual_ipaddress_excluded: the address option 'peer' is not supported by vipd" },
	{ "vip_option_typo", INST("virtual_ipaddress_excluded {\n192.0.2.5 lable eth0:1\n}\n"),
	  "t.conf:8:11: error: ",
	  "virtual_ipaddress_excluded: unknown address option 'lable'; did you mean 'label'?" },
	{ "vip_option_unknown", INST("virtual_ipaddress_excluded {\n192.0.2.5 frobnicate\n}\n"),
	  "t.conf:8:11: error: ",
	  "unknown address option 'frobnicate' (expected dev, label, scope, brd or no_track)" },
	{ "vip_scope_unknown", INST("virtual_ipaddress_excluded {\n192.0.2.5 scope galaxy\n}\n"),
	  "t.conf:8:17: error: ",
	  "scope: expected global, site, link, host, nowhere or a number from 0 to 255, got "
	  "galaxy" },
	{ "vip_brd_not_ipv4", INST("virtual_ipaddress {\n192.0.2.5 brd 2001:db8::1\n}\n"),
	  "t.conf:8:15: error: ", "brd: expected an IPv4 broadcast address, got 2001:db8::1" },
	{ "vip_ipv6_with_broadcast",
	  INST("virtual_ipaddress_excluded {\n2001:db8::5 broadcast 192.0.2.255\n}\n"),
	  "t.conf:8:1: error: ",
	  "virtual_ipaddress_excluded: an IPv6 address has no broadcast address" },
	{ "vip_label_not_interface", INST("virtual_ipaddress {\n192.0.2.5 label web:1\n}\n"),
	  "t.conf:8:1: error: ",
	  "label: web:1 must start with the interface name eth0 (for example eth0:1)" },
	{ "vip_label_not_dev",
	  INST("virtual_ipaddress_excluded {\n192.0.2.5 dev eth1 label eth0:1\n}\n"),
	  "t.conf:8:1: error: ", "label: eth0:1 must start with the interface name eth1" },
	{ "vip_label_too_long",
	  INST("virtual_ipaddress {\n192.0.2.5 label eth0:abcdefghijklm\n}\n"),
	  "t.conf:8:17: error: ", "label: 'eth0:abcdefghijklm' is longer than 15 characters" },
	{ "vip_line_with_block", INST("virtual_ipaddress_excluded {\n192.0.2.5 {\n}\n}\n"),
	  "t.conf:8:11: error: ", "unexpected '{' in a list" },
	{ "vips_mix_families", INST("virtual_ipaddress {\n2001:db8::1\n}\n"),
	  "t.conf:8:1: error: ",
	  "virtual_ipaddress: 2001:db8::1 is IPv6 but 192.0.2.100 (line 5) is IPv4; one "
	  "instance advertises one family" },

	/* unicast */
	{ "unicast_src_other_family", INST("unicast_src_ip 2001:db8::1\n"), "t.conf:7:16: error: ",
	  "unicast_src_ip: 2001:db8::1 is IPv6 but the instance's virtual addresses are IPv4" },
	{ "unicast_src_bad_address", INST("unicast_src_ip 192.0.2.300\n"),
	  "t.conf:7:16: error: ",
	  "unicast_src_ip: expected an IPv4 or IPv6 address, got 192.0.2.300" },
	{ "mcast_src_bad_address", INST("mcast_src_ip x\n"), "t.conf:7:14: error: ",
	  "mcast_src_ip: expected an IPv4 or IPv6 address, got x" },
	{ "unicast_peer_other_family", INST("unicast_peer {\n2001:db8::2\n}\n"),
	  "t.conf:7:1: error: ",
	  "unicast_peer: 2001:db8::2 is IPv6 but the instance's virtual addresses are IPv4" },
	{ "unicast_peer_bad_address", INST("unicast_peer {\nfoo\n}\n"), "t.conf:8:1: error: ",
	  "unicast_peer: expected an IPv4 or IPv6 address, got foo" },

	/* advert_path */
	{ "advert_path_no_peer", INST("advert_path {\neth1\n}\n"), "t.conf:8:1: error: ",
	  "advert_path: eth1: expected at least one peer address (INTERFACE PEER_ADDRESS "
	  "[PEER_ADDRESS...])" },
	{ "advert_path_bad_address", INST("advert_path {\neth1 198.51.100.300\n}\n"),
	  "t.conf:8:6: error: ", "advert_path: expected an IPv4 or IPv6 address, got 198.51.100.300" },
	{ "advert_path_own_interface", INST("advert_path {\neth0 192.0.2.12\n}\n"),
	  "t.conf:8:1: error: ",
	  "advert_path: eth0 is the instance's own interface; a path must be another link to "
	  "the peers" },
	{ "advert_path_twice", INST("advert_path {\neth1 198.51.100.12\neth1 198.51.100.13\n}\n"),
	  "t.conf:9:1: error: ", "advert_path: eth1 is listed twice (put all its peers on one line)" },
	{ "advert_path_other_family", INST("advert_path {\neth1 2001:db8:1::12\n}\n"),
	  "t.conf:8:1: error: ",
	  "advert_path: eth1: peer 2001:db8:1::12 is IPv6 but the instance's virtual addresses "
	  "are IPv4" },
	{ "advert_path_with_ah",
	  INST("version 2\nauthentication {\nauth_type AH\nauth_pass secret\n}\n"
	       "advert_path {\neth1 198.51.100.12\n}\n"),
	  "t.conf:13:1: error: ",
	  "advert_path: not available with auth_type AH (adverts on a path would travel without "
	  "it); use auth_type PASS or none" },
	{ "advert_path_block", INST("advert_path {\neth1 {\n}\n}\n"), "t.conf:8:6: error: ",
	  "unexpected '{' in a list" },
	{ "advert_path_vrid_clash",
	  "vrrp_instance VI_1 {\ninterface eth1\nvirtual_router_id 1\n}\n"
	  "vrrp_instance VI_2 {\ninterface eth0\nvirtual_router_id 1\n"
	  "advert_path {\neth1 198.51.100.12\n}\n}\n",
	  "t.conf:9:1: error: ",
	  "advert_path: virtual_router_id 1 on eth1 (IPv4) is already used by vrrp_instance VI_1 "
	  "at line 1" },
	{ "advert_path_vrid_clash_two_paths",
	  "vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 1\n"
	  "advert_path {\neth2 198.51.100.12\n}\n}\n"
	  "vrrp_instance VI_2 {\ninterface eth1\nvirtual_router_id 1\n"
	  "advert_path {\neth2 198.51.100.13\n}\n}\n",
	  "t.conf:12:1: error: ",
	  "advert_path: virtual_router_id 1 on eth2 (IPv4) is already used by vrrp_instance VI_1 "
	  "at line 1" },

	/* tracking */
	{ "track_if_weight_range", INST("track_interface {\neth1 weight 300\n}\n"),
	  "t.conf:8:13: error: ", "track_interface: expected a number from -253 to 253, got 300" },
	{ "track_if_weight_typo", INST("track_interface {\neth1 wieght 10\n}\n"),
	  "t.conf:8:6: error: ", "track_interface: expected 'weight' after eth1, got wieght" },
	{ "track_if_weight_missing", INST("track_interface {\neth1 weight\n}\n"),
	  "t.conf:8:6: error: ", "track_interface: weight: expected a number from -253 to 253" },
	{ "track_if_reverse", INST("track_interface {\neth1 weight 10 reverse\n}\n"),
	  "t.conf:8:16: error: ", "track_interface: 'reverse' is not supported by vipd" },
	{ "track_if_after_weight", INST("track_interface {\neth1 weight 10 sideways\n}\n"),
	  "t.conf:8:16: error: ",
	  "track_interface: expected 'reverse' or nothing after the weight, got sideways" },
	{ "track_if_trailing", INST("track_interface {\neth1 weight 10 reverse x\n}\n"),
	  "t.conf:8:24: error: ", "track_interface: unexpected 'x'" },
	{ "track_if_name_too_long", INST("track_interface {\naveryveryverylongname\n}\n"),
	  "t.conf:8:1: error: ", "track_interface: 'averyveryverylongname' is longer than 15" },
	{ "track_script_unknown", INST("track_script {\nchk_x\n}\n"), "t.conf:8:1: error: ",
	  "track_script: no vrrp_script named 'chk_x'" },
	{ "track_script_typo",
	  "vrrp_script chk_nginx {\nscript /bin/true\n}\n" INST("track_script {\nchk_ngnix\n}\n"),
	  "t.conf:11:1: error: ",
	  "track_script: no vrrp_script named 'chk_ngnix'; did you mean 'chk_nginx'?" },
	{ "track_script_reverse", INST("track_script {\nchk_x weight 5 reverse\n}\n"),
	  "t.conf:8:16: error: ", "track_script: 'reverse' is not supported by vipd" },
	{ "track_gateway_name_too_long",
	  INST("track_gateway {\n"
	       "g0123456789012345678901234567890123456789012345678901234567890123456789\n}\n"),
	  "t.conf:8:1: error: ", "track_gateway: 'g0123" },
	{ "track_gateway_unknown", INST("track_gateway {\ngw_x\n}\n"), "t.conf:8:1: error: ",
	  "track_gateway: no track_gateway block named 'gw_x'" },
	{ "track_process_unknown", "vrrp_track_process nginx {\nprocess nginx\n}\n"
	  INST("track_process {\nngnix\n}\n"), "t.conf:11:1: error: ",
	  "track_process: no vrrp_track_process named 'ngnix'; did you mean 'nginx'?" },
	{ "track_process_no_process", "vrrp_track_process nginx {\nquorum 2\n}\n",
	  "t.conf:1:20: error: ", "vrrp_track_process nginx: no 'process' line" },
	{ "track_process_weight_range", "vrrp_track_process p {\nprocess x\nweight 300\n}\n",
	  "t.conf:3:8: error: ", "weight: expected a number from -254 to 254, got 300" },
	{ "track_process_param_match", "vrrp_track_process p {\nprocess x\nparam_match "
	  "prefix\n}\n", "t.conf:3:13: error: ", "param_match: expected initial or partial" },
	{ "track_process_partial_without_params", "vrrp_track_process p {\nprocess x\n"
	  "param_match partial\n}\n", "t.conf:1:20: error: ",
	  "param_match initial or partial needs parameters" },
	{ "track_process_quorum_max", "vrrp_track_process p {\nprocess x\nquorum 3\n"
	  "quorum_max 2\n}\n", "t.conf:1:20: error: ", "quorum_max 2 is below quorum 3" },
	{ "track_process_duplicate", "vrrp_track_process p {\nprocess x\n}\n"
	  "vrrp_track_process p {\nprocess y\n}\n", "t.conf:4:20: error: ",
	  "vrrp_track_process p is already defined at t.conf:1" },
	{ "track_process_ref_weight", "vrrp_track_process p {\nprocess x\n}\n"
	  INST("track_process {\np weight 5 backwards\n}\n"), "t.conf:11:12: error: ",
	  "track_process: expected 'reverse' or 'noreverse' after the weight, got backwards" },
	{ "track_file_unknown", INST("track_file {\nf\n}\n"), "t.conf:8:1: error: ",
	  "track_file: no track_file named 'f'" },
	{ "track_file_no_file", "track_file f {\nweight 2\n}\n", "t.conf:1:12: error: ",
	  "track_file f: no 'file' line" },
	{ "track_file_init_file", "track_file f {\nfile /tmp/x\ninit_file 3 always\n}\n",
	  "t.conf:3:13: error: ", "init_file: expected [VALUE] [overwrite], got always" },
	{ "track_bfd_rejected", INST("track_bfd {\nb\n}\n"), "t.conf:7:1: error: ",
	  "track_bfd: vipd cannot track this" },
	{ "virtual_routes_unknown_option", INST("virtual_routes {\n192.0.2.0/24 via 192.0.2.1 "
	  "mtu 1400\n}\n"), "t.conf:8:28: error: ", "virtual_routes: unknown route option 'mtu'" },
	{ "virtual_routes_bad_gateway", INST("virtual_routes {\n192.0.2.0/24 via 2001:db8::1\n}\n"),
	  "t.conf:8:18: error: ", "virtual_routes: via: expected a gateway address of the "
	  "route's family, got 2001:db8::1" },
	{ "virtual_routes_no_destination", INST("virtual_routes {\nvia 192.0.2.1 dev eth0\n}\n"),
	  "t.conf:8:1: error: ", "virtual_routes: expected a destination" },
	{ "virtual_routes_blackhole_via", INST("virtual_routes {\nblackhole 192.0.2.0/24 via "
	  "192.0.2.1\n}\n"), "t.conf:8:1: error: ", "virtual_routes: a blackhole route takes no "
	  "via or dev" },
	{ "virtual_rules_no_table", INST("virtual_rules {\nfrom 192.0.2.0/24 preference 5\n}\n"),
	  "t.conf:8:1: error: ", "virtual_rules: expected 'table N'" },
	{ "virtual_rules_bad_prefix", INST("virtual_rules {\nto 192.168.200./24 table 2 "
	  "pref 5\n}\n"), "t.conf:8:4: error: ",
	  "virtual_rules: to: expected ADDRESS/PREFIX or all, got 192.168.200./24" },
	{ "old_unicast_checksum_rejected", INST("old_unicast_checksum\n"), "t.conf:7:1: error: ",
	  "old_unicast_checksum: vipd computes the standard checksum only" },

	/* global_defs */
	{ "global_version_unknown", "global_defs {\nvrrp_version 4\n}\n", "t.conf:2:14: error: ",
	  "vrrp_version: expected a number from 2 to 3, got 4" },
	{ "global_unknown_keyword", "global_defs {\nrouter_idd x\n}\n", "t.conf:2:1: error: ",
	  "unknown keyword 'router_idd' in global_defs; did you mean 'router_id'?" },
	{ "global_mcast_group_not_multicast", "global_defs {\nvrrp_mcast_group4 192.0.2.1\n}\n",
	  "t.conf:2:19: error: ", "vrrp_mcast_group4: expected an IPv4 multicast group, got 192.0.2.1" },
	{ "global_mcast_group_bad", "global_defs {\nvrrp_mcast_group6 x\n}\n",
	  "t.conf:2:19: error: ", "vrrp_mcast_group6: expected an IPv4 or IPv6 address, got x" },
	{ "global_notify_timeout_zero", "global_defs {\nnotify_timeout 0\n}\n",
	  "t.conf:2:16: error: ", "notify_timeout: expected seconds from 0.001 to 3600, got 0" },
	{ "notify_fifo_relative", "global_defs {\nnotify_fifo fifo\n}\n", "t.conf:2:13: error: ",
	  "notify_fifo: expected an absolute path, got 'fifo'" },
	{ "startup_delay_range", "global_defs {\nvrrp_startup_delay 7200\n}\n",
	  "t.conf:2:20: error: ", "vrrp_startup_delay: expected seconds from 0 to 3600, got 7200" },
	{ "net_namespace_path", "global_defs {\nnet_namespace ../x\n}\n", "t.conf:2:15: error: ",
	  "net_namespace: expected a namespace name as in 'ip netns list', got '../x'" },
	{ "global_script_user_extra", "global_defs {\nscript_user root wheel extra\n}\n",
	  "t.conf:2:24: error: ", "script_user: unexpected 'extra' after the value" },
	{ "global_script_group_too_long",
	  "global_defs {\nscript_user root "
	  "g0123456789012345678901234567890123456789012345678901234567890123456789\n}\n",
	  "t.conf:2:18: error: ", "script_user: 'g01234" },
	{ "global_script_user_too_long",
	  "global_defs {\nscript_user "
	  "u0123456789012345678901234567890123456789012345678901234567890123456789\n}\n",
	  "t.conf:2:13: error: ", "script_user: 'u01234" },
	{ "global_refresh_repeat_zero", "global_defs {\nvrrp_garp_master_refresh_repeat 0\n}\n",
	  "t.conf:2:33: error: ",
	  "vrrp_garp_master_refresh_repeat: expected a number from 1 to 255, got 0" },

	/* the top level and block structure */
	{ "top_unknown_suggests", "vrrp_instanse VI_1 {\n}\n", "t.conf:1:1: error: ",
	  "unknown keyword 'vrrp_instanse' in the top level; did you mean 'vrrp_instance'?" },
	{ "top_unknown_no_suggestion", "frobnicate\n", "t.conf:1:1: error: ",
	  "unknown keyword 'frobnicate' in the top level" },
	{ "missing_close_brace", "vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 1\n",
	  "t.conf:1:20: error: ", "missing '}' for the block opened here" },
	{ "missing_close_brace_skipped_block",
	  "virtual_server 192.0.2.1 80 {\nreal_server x {\n}\n",
	  "t.conf:1:29: error: ", "missing '}' for the block opened here" },
	{ "stray_close_brace", "}\n", "t.conf:1:1: error: ", "unexpected '}' (no block is open)" },
	{ "stray_open_brace", "{\n}\n", "t.conf:1:1: error: ",
	  "unexpected '{' (a block needs a keyword before it)" },
	{ "block_without_name", "vrrp_instance {\n}\n", "t.conf:1:1: error: ",
	  "vrrp_instance: expected one name before '{'" },
	{ "block_with_two_names", "vrrp_instance A B {\n}\n", "t.conf:1:17: error: ",
	  "vrrp_instance: unexpected 'B' after the value" },
	{ "block_name_too_long",
	  "vrrp_script s0123456789012345678901234567890123456789012345678901234567890123456789 "
	  "{\n}\n",
	  "t.conf:1:13: error: ", "vrrp_script: 's0123456789" },
	{ "sync_group_without_name", "vrrp_sync_group {\n}\n", "t.conf:1:1: error: ",
	  "vrrp_sync_group: expected one name before '{'" },
	{ "unknown_keyword_too_long_for_a_suggestion",
	  "vrrp_instance_with_a_name_so_long_that_no_keyword_can_be_what_was_meant_here\n",
	  "t.conf:1:1: error: ", "unknown keyword 'vrrp_instance_with_a_name_so_long" },
	{ "block_missing", "vrrp_instance VI_1\n", "t.conf:1:1: error: ",
	  "vrrp_instance: expected '{' to open its block" },

	/* checks across the configuration */
	{ "instance_without_interface", "vrrp_instance VI_1 {\nvirtual_router_id 1\n}\n",
	  "t.conf:1:15: error: ", "vrrp_instance VI_1: no 'interface'" },
	{ "instance_without_vrid", "vrrp_instance VI_1 {\ninterface eth0\n}\n",
	  "t.conf:1:15: error: ", "vrrp_instance VI_1: no 'virtual_router_id'" },
	{ "instance_duplicate_name",
	  "vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 1\n}\n"
	  "vrrp_instance VI_1 {\ninterface eth1\nvirtual_router_id 2\n}\n",
	  "t.conf:5:15: error: ", "vrrp_instance VI_1 is already defined at t.conf:1" },
	{ "instance_vrid_clash",
	  "vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 1\n}\n"
	  "vrrp_instance VI_2 {\ninterface eth0\nvirtual_router_id 1\n}\n",
	  "t.conf:5:15: error: ",
	  "vrrp_instance VI_2: virtual_router_id 1 on eth0 (IPv4) is already used by "
	  "vrrp_instance VI_1 at line 1" },
	{ "instance_v2_with_ipv6",
	  "vrrp_instance V6 {\ninterface eth0\nvirtual_router_id 1\nversion 2\n"
	  "virtual_ipaddress {\n2001:db8::1\n}\n}\n",
	  "t.conf:4:9: error: ", "version: VRRP version 2 is IPv4 only; use version 3 for V6's "
				 "IPv6 addresses" },
	{ "group_unknown_instance",
	  INST("") "vrrp_sync_group G {\ngroup {\nVI_1\nVI_X\n}\n}\n", "t.conf:11:1: error: ",
	  "group: no vrrp_instance named 'VI_X'; did you mean 'VI_1'?" },
	{ "group_instance_in_two_groups",
	  "vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 1\n}\n"
	  "vrrp_instance VI_2 {\ninterface eth0\nvirtual_router_id 2\n}\n"
	  "vrrp_sync_group G1 {\ngroup {\nVI_1 VI_2\n}\n}\n"
	  "vrrp_sync_group G2 {\ngroup {\nVI_2\n}\n}\n",
	  "t.conf:16:1: error: ",
	  "group: VI_2 is already in vrrp_sync_group G1 (an instance belongs to one group)" },
	{ "group_members_outside_group", "vrrp_sync_group G {\nVI_1\n}\n", "t.conf:2:1: error: ",
	  "unknown keyword 'VI_1' in vrrp_sync_group (instance names go inside 'group { ... }')" },
	{ "group_track_script_unknown", "vrrp_sync_group G {\ntrack_script {\nchk\n}\n}\n",
	  "t.conf:3:1: error: ", "track_script: no vrrp_script named 'chk'" },
	{ "group_track_process_unknown", "vrrp_track_process nginx {\nprocess nginx\n}\n"
	  "vrrp_sync_group G {\ntrack_process {\nngnix\n}\n}\n", "t.conf:6:1: error: ",
	  "track_process: no vrrp_track_process named 'ngnix'; did you mean 'nginx'?" },
	{ "group_track_file_unknown", "vrrp_sync_group G {\ntrack_file {\nf\n}\n}\n",
	  "t.conf:3:1: error: ", "track_file: no track_file named 'f'" },
	{ "group_track_interface_reverse",
	  "vrrp_sync_group G {\ntrack_interface {\neth1 weight 0 reverse\n}\n}\n",
	  "t.conf:3:15: error: ", "track_interface: 'reverse' is not supported by vipd" },
	{ "down_timer_adverts", INST("down_timer_adverts 5\n"), "t.conf:7:1: error: ",
	  "down_timer_adverts: vipd waits the RFC's 3 advert intervals" },
	{ "global_down_timer_adverts", "global_defs {\nvrrp_down_timer_adverts 5\n}\n",
	  "t.conf:2:1: error: ", "vrrp_down_timer_adverts: vipd waits the RFC's 3 advert intervals" },
	{ "mcast_dst_ip", INST("mcast_dst_ip 224.0.0.19\n"), "t.conf:7:1: error: ",
	  "mcast_dst_ip: vipd sets one group for every instance" },
	{ "use_ipvlan", INST("use_ipvlan\n"), "t.conf:7:1: error: ",
	  "use_ipvlan: vipd supports use_vmac only" },
	{ "vrf", INST("vrf blue\n"), "t.conf:7:1: error: ", "vrf: vipd does not run instances in a VRF" },
	{ "group_track_bfd", "vrrp_sync_group G {\ntrack_bfd {\nb\n}\n}\n",
	  "t.conf:2:1: error: ", "track_bfd: vipd cannot track this; ignoring it would change "
	  "when this group fails over" },
	{ "group_member_name_too_long",
	  "vrrp_sync_group G {\ngroup {\n"
	  "i0123456789012345678901234567890123456789012345678901234567890123456789\n}\n}\n",
	  "t.conf:3:1: error: ", "group: 'i0123" },

	/* vrrp_script */
	{ "script_without_command", "vrrp_script chk {\ninterval 2\n}\n", "t.conf:1:13: error: ",
	  "vrrp_script chk: no 'script' line (the command to run)" },
	{ "native_http_get_name", "vrrp_script chk {\nhttp_get http://localhost/\n}\n",
	  "t.conf:2:10: error: ",
	  "http_get: 'localhost' is not an IPv4 address (names are not resolved" },
	{ "native_https", "vrrp_script chk {\nhttp_get https://127.0.0.1/\n}\n",
	  "t.conf:2:10: error: ", "http_get: 'https://127.0.0.1/': https is not supported" },
	{ "native_tcp_no_port", "vrrp_script chk {\ntcp_connect 127.0.0.1\n}\n",
	  "t.conf:2:13: error: ", "tcp_connect: '127.0.0.1': missing ':PORT'" },
	{ "native_and_script", "vrrp_script chk {\nscript /bin/true\ntcp_connect 127.0.0.1:22\n}\n",
	  "t.conf:1:13: error: ",
	  "vrrp_script chk: both a 'script' line and tcp_connect; keep one of them" },
	{ "native_two", "vrrp_script chk {\ntcp_connect 127.0.0.1:22\nhttp_get http://127.0.0.1/\n}\n",
	  "t.conf:3:1: error: ", "http_get: this vrrp_script already names a native check" },
	{ "native_status_range", "vrrp_script chk {\nhttp_get http://127.0.0.1/\nstatus 700\n}\n",
	  "t.conf:3:8: error: ", "status: expected an HTTP status from 100 to 599, got '700'" },
	{ "native_status_without_http", "vrrp_script chk {\ntcp_connect 127.0.0.1:22\nstatus 200\n}\n",
	  "t.conf:1:13: error: ",
	  "vrrp_script chk: 'status' and 'body_contains' need an http_get line" },
	{ "script_weight_range", "vrrp_script chk {\nscript /bin/true\nweight 254\n}\n",
	  "t.conf:3:8: error: ", "weight: expected a number from -253 to 253, got 254" },
	{ "script_weight_trailing", "vrrp_script chk {\nscript /bin/true\nweight 10 backwards\n}\n",
	  "t.conf:3:11: error: ",
	  "weight: expected 'reverse' or nothing after the weight, got backwards" },
	{ "script_interval_zero", "vrrp_script chk {\nscript /bin/true\ninterval 0\n}\n",
	  "t.conf:3:10: error: ", "interval: expected seconds from 0.001 to 86400, got 0" },
	{ "script_user_three_words", "vrrp_script chk {\nscript /bin/true\nuser a b c\n}\n",
	  "t.conf:3:10: error: ", "user: unexpected 'c' after the value" },
	{ "script_rise_zero", "vrrp_script chk {\nscript /bin/true\nrise 0\n}\n",
	  "t.conf:3:6: error: ", "rise: expected a number from 1 to 1000000, got 0" },
	{ "script_command_empty", "vrrp_script chk {\nscript /bin/true\nscript \"\"\n}\n",
	  "t.conf:3:8: error: ",
	  "script: expected a command, got an empty string" },
	{ "script_duplicate",
	  "vrrp_script chk {\nscript /bin/true\n}\nvrrp_script chk {\nscript /bin/false\n}\n",
	  "t.conf:4:13: error: ", "vrrp_script chk is already defined at t.conf:1" },
	{ "script_user_too_long",
	  "vrrp_script chk {\nscript /bin/true\nuser "
	  "u0123456789012345678901234567890123456789012345678901234567890123456789\n}\n",
	  "t.conf:3:6: error: ", "user: 'u0123" },

	/* track_gateway */
	{ "gateway_without_address", "track_gateway gw {\ndev eth0\n}\n", "t.conf:1:15: error: ",
	  "track_gateway gw: no 'address' (the gateway to check)" },
	{ "gateway_bad_address", "track_gateway gw {\naddress 192.0.2.1\naddress x\n}\n",
	  "t.conf:3:9: error: ", "address: expected an IPv4 or IPv6 address, got x" },
	{ "gateway_weight_range", "track_gateway gw {\naddress 192.0.2.1\nweight 300\n}\n",
	  "t.conf:3:8: error: ", "weight: expected a number from -253 to 253, got 300" },
	{ "gateway_interval_zero", "track_gateway gw {\naddress 192.0.2.1\ninterval 0\n}\n",
	  "t.conf:3:10: error: ", "interval: expected seconds from 0.01 to 3600, got 0" },
	{ "gateway_duplicate",
	  "track_gateway gw {\naddress 192.0.2.1\n}\ntrack_gateway gw {\naddress 192.0.2.2\n}\n",
	  "t.conf:4:15: error: ", "track_gateway gw is already defined at t.conf:1" },
	{ "group_duplicate",
	  INST("") "vrrp_sync_group G {\ngroup {\nVI_1\n}\n}\nvrrp_sync_group G {\n}\n",
	  "t.conf:13:17: error: ", "vrrp_sync_group G is already defined at t.conf:8" },

	/* the lexer */
	{ "unterminated_quote", "vrrp_script s {\nscript \"abc\n}\n", "t.conf:2:8: error: ",
	  "unterminated quoted string (quotes end on the same line)" },
	{ "nul_escape", "vrrp_script s {\nscript \"a\\0b\"\n}\n", "t.conf:2:11: error: ",
	  "a NUL character cannot be part of a string" },
	/* keepalived's preprocessor: messages point into the text as written */
	{ "pp_value_error", "$PRIO=300\n" INST("priority $PRIO\n"), "t.conf:8:10: error: ",
	  "priority: expected a number from 1 to 255, got 300" },
	{ "pp_unclosed_brace", "vrrp_script s {\n  script \"/bin/true ${B\"\n}\n", "t.conf:2:21: error: ",
	  "'${' without a closing '}' on the same line" },
	{ "pp_seq_bad_number", INST("virtual_ipaddress_excluded {\n  ~SEQ(N, 1, x) 192.0.2.${N}\n}\n"),
	  "t.conf:8:14: error: ", "~SEQ: 'x' is not a number" },
	{ "pp_unknown_keyword_from_definition",
	  "$KW=priorty 100\n" INST("  $KW\n"), "t.conf:8:3: error: ",
	  "unknown keyword 'priorty' in vrrp_instance" },
	{ "pp_multiline_error_points_at_use",
	  "$I= \\\nvrrp_instance V { \\\n  interface eth0 \\\n  virtual_router_id 5 \\\n"
	  "  priority 300 \\\n  virtual_ipaddress { \\\n    192.0.2.1 \\\n  } \\\n}\n"
	  "\n    $I\n", "t.conf:11:5: error: ", "priority: expected a number from 1 to 255, got 300" },
	{ "hex_escapes",
	  "vrrp_script s {\nscript \"\\xaF\\xFa\"\n}\nvrrp_script s {\nscript /b\n}\n",
	  "t.conf:4:13: error: ", "vrrp_script s is already defined at t.conf:1" },
	{ "include_without_pattern", "include\n", "t.conf:1:1: error: ",
	  "include: expected a file name or glob pattern" },
	{ "include_missing_file", "include /nonexistent/vipd-test.conf\n", "t.conf:1:9: error: ",
	  "include: cannot read '/nonexistent/vipd-test.conf': No such file or directory" },
};

static void test_each_bad_form_reports_one_error_with_its_position(void **state)
{
	int failures = 0;

	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct diag_case *c = &error_cases[i];
		struct cfg_result r;
		int rc = load(c->text, &r);

		if (rc != -1 || r.config || r.nerrors != 1 || find_diag(&r, c->where, c->msg) < 0) {
			print_message("case %s: rc %d, %zu errors; expected \"%s%s\"; got:\n",
				      c->name, rc, r.nerrors, c->where, c->msg);
			print_diags(&r);
			failures++;
		}
		cfg_result_free(&r);
	}
	assert_int_equal(failures, 0);
}

static const struct diag_case warning_cases[] = {
	{ "smtp_alert_stored", INST("smtp_alert\n"), "t.conf:7:1: warning: ",
	  "smtp_alert: vipd sends no mail (use a notify script); stored but no mail is sent" },
	{ "dont_track_primary", INST("dont_track_primary\n"), "t.conf:7:1: warning: ",
	  "dont_track_primary: not supported by vipd: the instance still goes to FAULT" },
	{ "debug_ignored", INST("debug 2\n"), "t.conf:7:1: warning: ",
	  "debug: vipd has no per-instance debug level (use vipd -D); ignored" },
	{ "vmac_xmit_base", INST("use_vmac\nvmac_xmit_base\n"), "t.conf:8:1: warning: ",
	  "vmac_xmit_base: not supported by vipd" },
	{ "notification_email_block", "global_defs {\nnotification_email {\na@b\n}\n}\n",
	  "t.conf:2:1: warning: ", "notification_email: vipd sends no mail" },
	{ "lvs_block_skipped_whole",
	  "virtual_server 192.0.2.1 80 {\nreal_server 192.0.2.2 80 {\nTCP_CHECK {\n}\n}\n}\n",
	  "t.conf:1:1: warning: ", "virtual_server: LVS is not part of vipd; ignored" },
	{ "static_routes_skipped", "static_routes {\n192.0.2.0/24 dev eth0\n}\n",
	  "t.conf:1:1: warning: ", "static_routes: vipd manages only its instances' addresses" },
	{ "vrrp_strict", "global_defs {\nvrrp_strict\n}\n", "t.conf:2:1: warning: ",
	  "vrrp_strict: vipd does not implement keepalived's strict mode; ignored" },
	{ "mcast_group_nonstandard", "global_defs {\nvrrp_mcast_group4 224.0.0.19\n}\n",
	  "t.conf:2:19: warning: ", "vrrp_mcast_group4: adverts go to 224.0.0.19 instead of the "
	  "standard 224.0.0.18; only routers set alike hear them" },
	{ "script_security_argument", "global_defs {\nenable_script_security true\n}\n",
	  "t.conf:2:24: warning: ", "enable_script_security takes no argument; 'true' is ignored "
	  "(as keepalived does) and script security is on" },
	{ "unicast_src_prefix", INST("unicast_src_ip 192.0.2.1/24\n"), "t.conf:7:16: warning: ",
	  "unicast_src_ip: the prefix of 192.0.2.1/24 is ignored (as keepalived does); "
	  "192.0.2.1 is used" },
	{ "unicast_peer_prefix", INST("unicast_peer {\n192.0.2.2/32\n}\n"), "t.conf:8:1: warning: ",
	  "unicast_peer: the prefix of 192.0.2.2/32 is ignored" },
	{ "ipv6_label_ignored", INST("virtual_ipaddress_excluded {\n2001:db8::5 label eth0:6\n}\n"),
	  "t.conf:8:1: warning: ",
	  "virtual_ipaddress_excluded: IPv6 addresses have no label; label eth0:6 ignored" },
	{ "ipv6_scope_ignored", INST("virtual_ipaddress_excluded {\n2001:db8::5 scope link\n}\n"),
	  "t.conf:8:1: warning: ", "the scope of an IPv6 address comes from the address" },
	{ "auth_pass_truncated",
	  INST("authentication {\nauth_type PASS\nauth_pass 123456789\n}\n"),
	  "t.conf:9:11: warning: ",
	  "auth_pass: longer than 8 characters; only the first 8 are used (as keepalived does)" },
	{ "auth_pass_without_type", INST("authentication {\nauth_pass 1111\n}\n"),
	  "t.conf:7:1: warning: ", "authentication: auth_pass without auth_type PASS" },
	{ "auth_ignored_for_v3",
	  INST("version 3\nauthentication {\nauth_type PASS\nauth_pass x\n}\n"),
	  "t.conf:8:1: warning: ",
	  "authentication: VRRP version 3 has no authentication; ignored (as keepalived does)" },
	{ "duplicate_vip", INST("virtual_ipaddress {\n192.0.2.100\n}\n"), "t.conf:8:1: warning: ",
	  "virtual_ipaddress: 192.0.2.100 is already listed at line 5; this entry is ignored" },
	{ "duplicate_peer", INST("unicast_peer {\n192.0.2.2 192.0.2.2\n}\n"),
	  "t.conf:8:11: warning: ", "unicast_peer: 192.0.2.2 is listed twice" },
	{ "advert_path_duplicate_peer", INST("advert_path {\neth1 198.51.100.12 198.51.100.12\n}\n"),
	  "t.conf:8:20: warning: ", "advert_path: eth1: 198.51.100.12 is listed twice" },
	{ "nopreempt_with_master", INST("state MASTER\nnopreempt\n"), "t.conf:1:15: warning: ",
	  "vrrp_instance VI_1: nopreempt only works with state BACKUP" },
	{ "instance_without_vips", "vrrp_instance V {\ninterface eth0\nvirtual_router_id 1\n}\n",
	  "t.conf:1:15: warning: ", "vrrp_instance V: no virtual_ipaddress" },
	{ "group_with_one_instance", INST("") "vrrp_sync_group G {\ngroup {\nVI_1\n}\n}\n",
	  "t.conf:8:17: warning: ",
	  "vrrp_sync_group G has 1 instance; a group synchronises two or more" },
	{ "group_member_twice", INST("") "vrrp_sync_group G {\ngroup {\nVI_1 VI_1\n}\n}\n",
	  "t.conf:10:6: warning: ", "group: VI_1 is listed twice" },
	{ "group_smtp_alert", INST("") "vrrp_sync_group G {\nsmtp_alert\n}\n",
	  "t.conf:9:1: warning: ", "smtp_alert: vipd sends no mail" },
	{ "group_sync_group_tracking_weight",
	  INST("") "vrrp_sync_group G {\ngroup {\nVI_1\n}\nsync_group_tracking_weight\n}\n",
	  "t.conf:12:1: warning: ", "sync_group_tracking_weight: weights never apply in a sync group" },
	{ "interface_up_down_delays_block", "interface_up_down_delays {\neth0 1 2\n}\n" INST(""),
	  "t.conf:1:1: warning: ", "interface_up_down_delays: not supported by vipd: an interface "
	  "change acts at once; ignored" },
	{ "global_nftables", "global_defs {\nnftables\n}\n" INST(""), "t.conf:2:1: warning: ",
	  "nftables: vipd does not manage firewall rules; ignored" },
	{ "use_vmac_addr", INST("use_vmac_addr\n"), "t.conf:7:1: warning: ", "use_vmac_addr: not "
	  "supported by vipd" },
	{ "include_no_match", "include /nonexistent-dir/*.conf\n", "t.conf:1:9: warning: ",
	  "include: no file matches '/nonexistent-dir/*.conf'" },
};

static void test_each_ignored_keyword_is_warned_by_name(void **state)
{
	int failures = 0;

	for (size_t i = 0; i < sizeof(warning_cases) / sizeof(warning_cases[0]); i++) {
		const struct diag_case *c = &warning_cases[i];
		struct cfg_result r;
		int rc = load(c->text, &r);

		if (rc != 0 || !r.config || r.nerrors != 0 || find_diag(&r, c->where, c->msg) < 0) {
			print_message("case %s: rc %d, %zu errors; expected \"%s%s\"; got:\n",
				      c->name, rc, r.nerrors, c->where, c->msg);
			print_diags(&r);
			failures++;
		}
		cfg_result_free(&r);
	}
	assert_int_equal(failures, 0);
}

static void test_lvs_block_is_skipped_whole_with_one_warning(void **state)
{
	struct cfg_result r;

	assert_int_equal(load("virtual_server 192.0.2.1 80 {\nreal_server 192.0.2.2 80 {\n"
			      "HTTP_GET {\nurl {\npath /\n}\n}\n}\n}\n" INST(""),
			      &r),
			 0);
	assert_int_equal(r.ndiags, 1);
	assert_int_equal(r.config->ninstances, 1);
	cfg_result_free(&r);
}

/* ------------------------------------------------------ values and defaults */

static void test_minimal_instance_gets_keepalived_defaults(void **state)
{
	struct cfg_result r;
	const struct cfg_instance *in;
	const struct cfg_global *g;

	assert_int_equal(load(INST(""), &r), 0);
	assert_int_equal(r.ndiags, 0);
	assert_int_equal(r.config->ninstances, 1);
	in = &r.config->instances[0];
	g = &r.config->global;
	assert_string_equal(in->name, "VI_1");
	assert_string_equal(in->interface, "eth0");
	assert_int_equal(in->vrid, 51);
	assert_int_equal(in->initial_state, CFG_STATE_DEFAULT);
	assert_int_equal(in->priority, 100);
	assert_int_equal(in->advert_int_cs, 100);
	assert_int_equal(in->version, 2);
	assert_int_equal(in->family, AF_INET);
	assert_true(in->preempt);
	assert_int_equal(in->preempt_delay_us, 0);
	assert_true(in->accept);
	assert_int_equal(in->auth_type, VRRP_AUTH_NONE);
	assert_false(in->use_vmac);
	assert_int_equal(in->garp_master_delay_us, 5 * SEC);
	assert_int_equal(in->garp_master_repeat, 5);
	assert_int_equal(in->garp_master_refresh_us, 0);
	assert_int_equal(in->garp_master_refresh_repeat, 1);
	assert_int_equal(in->garp_interval_us, 0);
	assert_int_equal(in->gna_interval_us, 0);
	/* A lesser master is answered with an advert and the master's GARP burst. */
	assert_int_equal(in->garp_lower_prio_repeat, 5);
	assert_int_equal(in->garp_lower_prio_delay_us, 5 * SEC);
	assert_false(in->lower_prio_no_advert);
	assert_false(in->higher_prio_send_advert);
	assert_int_equal(in->nvips, 1);
	assert_int_equal(in->vips[0].prefix_len, 24);
	assert_int_equal(in->vips[0].scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(in->vips[0].broadcast.family, AF_UNSPEC);
	assert_string_equal(in->vips[0].dev, "");
	assert_string_equal(in->vips[0].label, "");
	assert_int_equal(in->vips[0].where.line, 5);
	assert_int_equal(in->vips[0].where.column, 1);
	assert_ptr_equal(in->vips[0].where.file, r.config->files[0]);
	assert_int_equal(in->unicast_src.family, AF_UNSPEC);
	assert_string_equal(in->sync_group, "");
	assert_int_equal(g->vrrp_version, 2);
	assert_int_equal(g->notify_timeout_us, 30 * SEC);
	assert_false(g->enable_script_security);
	assert_int_equal(r.config->nfiles, 1);
	assert_string_equal(r.config->files[0], "t.conf");
	assert_int_equal(in->where.line, 1);
	assert_int_equal(in->where.column, 15);
	cfg_result_free(&r);
}

static const char full_config[] =
	"global_defs {\n"
	"  router_id node-1\n"
	"  vrrp_version 3\n"
	"  script_user vipd daemon\n"
	"  enable_script_security\n"
	"  vrrp_garp_master_delay 2\n"
	"  vrrp_garp_master_repeat 3\n"
	"  vrrp_garp_master_refresh 60\n"
	"  vrrp_garp_master_refresh_repeat 2\n"
	"  vrrp_garp_interval 0.001\n"
	"  vrrp_gna_interval 0.002\n"
	"  vrrp_garp_lower_prio_repeat 1\n"
	"  vrrp_lower_prio_no_advert\n"
	"  vrrp_higher_prio_send_advert on\n"
	"  notify_timeout 7.5\n"
	"}\n"
	"vrrp_script chk_web {\n"
	"  script \"/usr/bin/curl -fsS http://127.0.0.1/\"\n"
	"  interval 2.5\n"
	"  timeout 1\n"
	"  weight -20 reverse\n"
	"  rise 3\n"
	"  fall 4\n"
	"  user www-data www\n"
	"  init_fail\n"
	"}\n"
	"vrrp_script chk_args {\n"
	"  script /bin/check --name 'a b' 'x\"y'\n"
	"}\n"
	"track_gateway gw_up {\n"
	"  address 192.0.2.1\n"
	"  dev eth1\n"
	"  interval 0.5\n"
	"  timeout 0.25\n"
	"  weight -30\n"
	"  rise 2\n"
	"  fall 3\n"
	"}\n"
	"vrrp_instance VI_WEB {\n"
	"  state MASTER\n"
	"  interface eth0\n"
	"  virtual_router_id 42\n"
	"  priority 200\n"
	"  advert_int 0.25\n"
	"  preempt_delay 1.5\n"
	"  no_accept\n"
	"  use_vmac vrrp42\n"
	"  garp_master_delay 1\n"
	"  garp_master_repeat 2\n"
	"  garp_master_refresh 30\n"
	"  garp_master_refresh_repeat 4\n"
	"  garp_interval 0.01\n"
	"  gna_interval 0.02\n"
	"  garp_lower_prio_delay 0\n"
	"  garp_lower_prio_repeat 0\n"
	"  lower_prio_no_advert off\n"
	"  higher_prio_send_advert no\n"
	"  smtp_alert off\n"
	"  unicast_src_ip 192.0.2.11\n"
	"  unicast_peer {\n"
	"    192.0.2.12\n"
	"    192.0.2.13 192.0.2.14\n"
	"  }\n"
	"  advert_path {\n"
	"    eth1 198.51.100.12   # the private link\n"
	"    eth2 203.0.113.12 203.0.113.13\n"
	"  }\n"
	"  virtual_ipaddress {\n"
	"    192.0.2.100/24 dev eth0 label eth0:web scope global brd 192.0.2.255\n"
	"    192.0.2.101 scope link no_track\n"
	"    192.0.2.102/32 scope 200\n"
	"  }\n"
	"  virtual_ipaddress_excluded {\n"
	"    2001:db8::100/64\n"
	"    198.51.100.7/24 dev eth1 label eth1:x broadcast 198.51.100.255\n"
	"  }\n"
	"  track_interface {\n"
	"    eth0\n"
	"    eth1 weight -10\n"
	"  }\n"
	"  track_script {\n"
	"    chk_web\n"
	"    chk_args weight 5 noreverse\n"
	"  }\n"
	"  track_gateway {\n"
	"    gw_up\n"
	"  }\n"
	"  notify_master \"/etc/vipd/notify.sh master\"\n"
	"  notify_backup /etc/vipd/backup.sh\n"
	"  notify_fault '/etc/vipd/notify.sh fault'\n"
	"  notify_stop /etc/vipd/stop.sh\n"
	"  notify /etc/vipd/any.sh\n"
	"}\n"
	"vrrp_instance VI_DB {\n"
	"  interface eth0\n"
	"  virtual_router_id 43\n"
	"  nopreempt\n"
	"  virtual_ipaddress {\n"
	"    192.0.2.200\n"
	"  }\n"
	"}\n"
	"vrrp_sync_group G {\n"
	"  group {\n"
	"    VI_WEB\n"
	"    VI_DB\n"
	"  }\n"
	"  notify_master /etc/vipd/group-master.sh\n"
	"  notify /etc/vipd/group-any.sh\n"
	"}\n";

static void test_every_keyword_value_is_stored(void **state)
{
	struct cfg_result r;
	const struct vipd_config *c;
	const struct cfg_instance *in, *db;
	const struct cfg_script *s;
	const struct cfg_gateway *gw;
	char buf[IPADDR_STRLEN];

	assert_int_equal(load(full_config, &r), 0);
	c = r.config;
	/* Only the no_accept and smtp_alert warnings. */
	assert_int_equal(r.ndiags, 2);
	assert_string_equal(c->global.router_id, "node-1");
	assert_int_equal(c->global.vrrp_version, 3);
	assert_string_equal(c->global.script_user, "vipd");
	assert_string_equal(c->global.script_group, "daemon");
	assert_true(c->global.enable_script_security);
	assert_int_equal(c->global.garp_master_delay_us, 2 * SEC);
	assert_int_equal(c->global.garp_master_repeat, 3);
	assert_int_equal(c->global.garp_master_refresh_us, 60 * SEC);
	assert_int_equal(c->global.garp_master_refresh_repeat, 2);
	assert_int_equal(c->global.garp_interval_us, 1000);
	assert_int_equal(c->global.gna_interval_us, 2000);
	assert_int_equal(c->global.notify_timeout_us, 7500000);

	assert_int_equal(c->nscripts, 2);
	s = cfg_find_script(c, "chk_web");
	assert_non_null(s);
	assert_string_equal(s->command, "/usr/bin/curl -fsS http://127.0.0.1/");
	assert_int_equal(s->interval_us, 2500000);
	assert_int_equal(s->timeout_us, 1 * SEC);
	assert_int_equal(s->weight, -20);
	assert_true(s->weight_reverse);
	assert_int_equal(s->rise, 3);
	assert_int_equal(s->fall, 4);
	assert_string_equal(s->user, "www-data");
	assert_string_equal(s->group, "www");
	assert_true(s->init_fail);
	assert_int_equal(s->where.line, 17);
	s = cfg_find_script(c, "chk_args");
	/* Several words: each stays one argument for script_split(). */
	assert_string_equal(s->command, "/bin/check --name a\\ b x\\\"y");
	assert_int_equal(s->interval_us, 1 * SEC);
	assert_int_equal(s->timeout_us, 1 * SEC);
	assert_int_equal(s->rise, 1);
	assert_int_equal(s->fall, 1);
	assert_null(cfg_find_script(c, "nope"));

	assert_int_equal(c->ngateways, 1);
	gw = &c->gateways[0];
	assert_string_equal(gw->name, "gw_up");
	assert_string_equal(ipaddr_str(&gw->addr, buf, sizeof(buf)), "192.0.2.1");
	assert_string_equal(gw->dev, "eth1");
	assert_int_equal(gw->interval_us, 500000);
	assert_int_equal(gw->timeout_us, 250000);
	assert_int_equal(gw->weight, -30);
	assert_int_equal(gw->rise, 2);
	assert_int_equal(gw->fall, 3);

	in = cfg_find_instance(c, "VI_WEB");
	assert_non_null(in);
	assert_int_equal(in->initial_state, CFG_STATE_MASTER);
	assert_int_equal(in->vrid, 42);
	assert_int_equal(in->priority, 200);
	assert_int_equal(in->advert_int_cs, 25);
	assert_int_equal(in->version, 3);
	assert_int_equal(in->preempt_delay_us, 1500000);
	assert_false(in->accept);
	assert_true(in->use_vmac);
	assert_string_equal(in->vmac_name, "vrrp42");
	assert_int_equal(in->garp_master_delay_us, 1 * SEC);
	assert_int_equal(in->garp_master_repeat, 2);
	assert_int_equal(in->garp_master_refresh_us, 30 * SEC);
	assert_int_equal(in->garp_master_refresh_repeat, 4);
	assert_int_equal(in->garp_interval_us, 10000);
	assert_int_equal(in->gna_interval_us, 20000);
	assert_int_equal(in->garp_lower_prio_delay_us, 0);
	assert_int_equal(in->garp_lower_prio_repeat, 0);
	assert_false(in->lower_prio_no_advert);
	assert_false(in->higher_prio_send_advert);
	assert_false(in->smtp_alert);
	assert_string_equal(ipaddr_str(&in->unicast_src, buf, sizeof(buf)), "192.0.2.11");
	assert_int_equal(in->nunicast_peers, 3);
	assert_string_equal(ipaddr_str(&in->unicast_peers[2], buf, sizeof(buf)), "192.0.2.14");
	assert_int_equal(in->npaths, 2);
	assert_string_equal(in->paths[0].interface, "eth1");
	assert_int_equal(in->paths[0].npeers, 1);
	assert_string_equal(ipaddr_str(&in->paths[0].peers[0], buf, sizeof(buf)), "198.51.100.12");
	assert_string_equal(in->paths[1].interface, "eth2");
	assert_int_equal(in->paths[1].npeers, 2);
	assert_string_equal(ipaddr_str(&in->paths[1].peers[1], buf, sizeof(buf)), "203.0.113.13");

	assert_int_equal(in->nvips, 3);
	assert_string_equal(in->vips[0].dev, "eth0");
	assert_string_equal(in->vips[0].label, "eth0:web");
	assert_int_equal(in->vips[0].scope, RT_SCOPE_UNIVERSE);
	assert_string_equal(ipaddr_str(&in->vips[0].broadcast, buf, sizeof(buf)), "192.0.2.255");
	assert_false(in->vips[0].no_track);
	assert_int_equal(in->vips[1].prefix_len, 32);
	assert_int_equal(in->vips[1].scope, RT_SCOPE_LINK);
	assert_true(in->vips[1].no_track);
	assert_int_equal(in->vips[2].scope, RT_SCOPE_SITE);
	assert_int_equal(in->nvips_excluded, 2);
	assert_int_equal(in->vips_excluded[0].addr.family, AF_INET6);
	assert_int_equal(in->vips_excluded[0].prefix_len, 64);
	assert_string_equal(in->vips_excluded[1].label, "eth1:x");

	assert_int_equal(in->ntrack_ifs, 2);
	assert_string_equal(in->track_ifs[0].name, "eth0");
	assert_int_equal(in->track_ifs[0].weight, 0);
	assert_int_equal(in->track_ifs[1].weight, -10);
	assert_int_equal(in->ntrack_scripts, 2);
	assert_false(in->track_scripts[0].weight_set);
	assert_ptr_equal(in->track_scripts[0].script, cfg_find_script(c, "chk_web"));
	assert_true(in->track_scripts[1].weight_set);
	assert_int_equal(in->track_scripts[1].weight, 5);
	assert_ptr_equal(in->track_scripts[1].script, cfg_find_script(c, "chk_args"));
	assert_int_equal(in->ntrack_gateways, 1);
	assert_string_equal(in->track_gateways[0], "gw_up");

	assert_string_equal(in->notify.master, "/etc/vipd/notify.sh master");
	assert_string_equal(in->notify.backup, "/etc/vipd/backup.sh");
	assert_string_equal(in->notify.fault, "/etc/vipd/notify.sh fault");
	assert_string_equal(in->notify.stop, "/etc/vipd/stop.sh");
	assert_string_equal(in->notify.any, "/etc/vipd/any.sh");
	assert_string_equal(in->sync_group, "G");

	/* Globals fill what the instance leaves unset. */
	db = cfg_find_instance(c, "VI_DB");
	assert_non_null(db);
	assert_false(db->preempt);
	assert_int_equal(db->version, 3);
	assert_int_equal(db->garp_master_delay_us, 2 * SEC);
	assert_int_equal(db->garp_master_repeat, 3);
	assert_int_equal(db->garp_master_refresh_us, 60 * SEC);
	assert_int_equal(db->garp_master_refresh_repeat, 2);
	assert_int_equal(db->garp_interval_us, 1000);
	assert_int_equal(db->gna_interval_us, 2000);
	/* The global repeat; the delay follows the instance's garp_master_delay. */
	assert_int_equal(db->garp_lower_prio_repeat, 1);
	assert_int_equal(db->garp_lower_prio_delay_us, 2 * SEC);
	assert_true(db->lower_prio_no_advert);
	assert_true(db->higher_prio_send_advert);
	assert_string_equal(db->sync_group, "G");
	assert_null(cfg_find_instance(c, "VI_NOPE"));

	assert_int_equal(c->ngroups, 1);
	assert_int_equal(c->groups[0].nmembers, 2);
	assert_string_equal(c->groups[0].members[1], "VI_DB");
	assert_string_equal(c->groups[0].notify.master, "/etc/vipd/group-master.sh");
	assert_string_equal(c->groups[0].notify.any, "/etc/vipd/group-any.sh");
	cfg_result_free(&r);
}

static void test_auth_pass_is_truncated_to_eight_characters(void **state)
{
	struct cfg_result r;

	assert_int_equal(load(INST("authentication {\nauth_type PASS\nauth_pass 123456789\n}\n"),
			      &r),
			 0);
	assert_int_equal(r.config->instances[0].auth_type, VRRP_AUTH_PASS);
	assert_string_equal(r.config->instances[0].auth_pass, "12345678");
	cfg_result_free(&r);
}

static void test_v3_instance_drops_authentication(void **state)
{
	struct cfg_result r;

	assert_int_equal(load(INST("version 3\nauthentication {\nauth_type pass\nauth_pass x\n}\n"),
			      &r),
			 0);
	assert_int_equal(r.config->instances[0].auth_type, VRRP_AUTH_NONE);
	assert_string_equal(r.config->instances[0].auth_pass, "");
	cfg_result_free(&r);
}

static void test_ipv6_instance_defaults_to_version_3(void **state)
{
	struct cfg_result r;
	const struct cfg_instance *in;

	assert_int_equal(load("global_defs {\nvrrp_version 2\n}\n"
			      "vrrp_instance V6 {\ninterface eth0\nvirtual_router_id 1\n"
			      "advert_int 0.5\nvirtual_ipaddress {\nfe80::1/64\n2001:db8::1/64\n"
			      "}\n}\n",
			      &r),
			 0);
	in = &r.config->instances[0];
	assert_int_equal(in->family, AF_INET6);
	assert_int_equal(in->version, 3);
	assert_int_equal(in->advert_int_cs, 50);
	cfg_result_free(&r);
}

static void test_same_vrid_for_ipv4_and_ipv6_is_two_routers(void **state)
{
	struct cfg_result r;

	assert_int_equal(load("vrrp_instance A {\ninterface eth0\nvirtual_router_id 9\n"
			      "virtual_ipaddress {\n192.0.2.9\n}\n}\n"
			      "vrrp_instance B {\ninterface eth0\nvirtual_router_id 9\n"
			      "virtual_ipaddress {\n2001:db8::9\n}\n}\n"
			      "vrrp_instance C {\ninterface eth1\nvirtual_router_id 9\n"
			      "virtual_ipaddress {\n192.0.2.19\n}\n}\n",
			      &r),
			 0);
	assert_int_equal(r.ndiags, 0);
	assert_int_equal(r.config->ninstances, 3);
	cfg_result_free(&r);
}

static void test_unicast_src_decides_family_without_vips(void **state)
{
	struct cfg_result r;

	assert_int_equal(load("vrrp_instance A {\ninterface eth0\nvirtual_router_id 9\n"
			      "unicast_src_ip 2001:db8::1\nunicast_peer {\n2001:db8::2\n}\n}\n",
			      &r),
			 0);
	assert_int_equal(r.config->instances[0].family, AF_INET6);
	assert_int_equal(r.config->instances[0].version, 3);
	cfg_result_free(&r);
}

static void test_later_keyword_overrides_earlier(void **state)
{
	struct cfg_result r;

	assert_int_equal(load(INST("priority 10\npriority 20\nnopreempt\npreempt\n"
				   "notify_master /a\nnotify_master /b\naccept\nuse_vmac\n"),
			      &r),
			 0);
	assert_int_equal(r.config->instances[0].priority, 20);
	assert_true(r.config->instances[0].preempt);
	assert_true(r.config->instances[0].accept);
	assert_string_equal(r.config->instances[0].notify.master, "/b");
	assert_true(r.config->instances[0].use_vmac);
	assert_string_equal(r.config->instances[0].vmac_name, "");
	cfg_result_free(&r);
}

static void test_seconds_accept_microsecond_fractions(void **state)
{
	static const struct {
		const char *text;
		uint64_t us;
	} cases[] = {
		{ "0", 0 },           { "1", SEC },         { ".5", 500000 },
		{ "0.000001", 1 },    { "2.71828", 2718280 }, { "1000", 1000 * SEC },
		{ "999.999999", 999999999 },
	};
	char text[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg_result r;

		snprintf(text, sizeof(text), INST("preempt_delay %s\n"), cases[i].text);
		assert_int_equal(load(text, &r), 0);
		assert_int_equal(r.config->instances[0].preempt_delay_us, cases[i].us);
		cfg_result_free(&r);
	}
}

/* ---------------------------------------------------------------- the lexer */

static void test_comments_quotes_and_escapes(void **state)
{
	struct cfg_result r;
	const struct cfg_instance *in;

	assert_int_equal(
		load("# comment\n! also a comment\r\n"
		     "vrrp_instance \"VI 1\" # the name has a space\n"
		     "{\n"
		     "interface eth0 ! trailing comment\n"
		     "virtual_router_id 5#not-a-comment-start-inside-a-word\n"
		     "virtual_ipaddress{192.0.2.5}\n"
		     "notify_master \"/bin/a\\tb\\x41\\101\\cA\\q\\\\\"\n"
		     "notify_backup '/bin/x \\t y'\n"
		     "notify_fault /bin/\"x y\"'z'\n"
		     "notify_stop \"#!\"\n"
		     "}\n",
		     &r),
		-1);
	/* "5#not..." is one word, not a number, so the instance has no VRID. */
	assert_int_equal(r.nerrors, 2);
	expect_diag(&r, "t.conf:6:19: error: ", "got 5#not-a-comment-start-inside-a-word");
	expect_diag(&r, "t.conf:3:15: error: ", "vrrp_instance VI 1: no 'virtual_router_id'");
	cfg_result_free(&r);

	assert_int_equal(load("vrrp_instance \"VI 1\" # the name has a space\r\n"
			      "{\r\n"
			      "interface eth0 ! trailing comment\n"
			      "virtual_router_id 5 # comment\n"
			      "virtual_ipaddress{192.0.2.5}\n"
			      "notify_master \"/bin/a\\tb\\x41\\101\\cA\\q\\\\\\\"\"\n"
			      "notify_backup '/bin/x \\t y'\n"
			      "notify_fault /bin/\"x y\"'z'\n"
			      "notify_stop \"#!\"\n"
			      "notify \"\\e\\E\\x4\\8\"\n"
			      "}\n",
			      &r),
			 0);
	in = &r.config->instances[0];
	assert_string_equal(in->name, "VI 1");
	assert_int_equal(in->vrid, 5);
	assert_int_equal(in->nvips, 1);
	assert_string_equal(in->notify.master, "/bin/a\tbAA\001q\\\"");
	assert_string_equal(in->notify.backup, "/bin/x \\t y");
	assert_string_equal(in->notify.fault, "/bin/x yz");
	assert_string_equal(in->notify.stop, "#!");
	assert_string_equal(in->notify.any, "\033\033\0048");
	cfg_result_free(&r);
}

static void test_too_many_words_and_long_words_are_bounded(void **state)
{
	struct cfg_result r;
	char *text = malloc(16384);
	size_t n;

	n = (size_t)sprintf(text, "vrrp_script s {\nscript");
	for (int i = 0; i < 70; i++)
		n += (size_t)sprintf(text + n, " w");
	sprintf(text + n, "\n}\n");
	assert_int_equal(load(text, &r), -1);
	assert_int_equal(r.nerrors, 1);
	expect_diag(&r, "t.conf:2:136: error: ", "script: more than 64 words on one line");
	cfg_result_free(&r);

	n = (size_t)sprintf(text, "vrrp_script s {\nscript ");
	memset(text + n, 'x', 5000);
	sprintf(text + n + 5000, "\n}\n");
	assert_int_equal(load(text, &r), -1);
	assert_int_equal(r.nerrors, 1);
	expect_diag(&r, "t.conf:2:8: error: ", "word longer than 4096 characters");
	cfg_result_free(&r);
	free(text);
}

static void test_parser_stops_after_fifty_errors(void **state)
{
	struct cfg_result r;
	char *text = malloc(8192);
	size_t n = 0;

	for (int i = 0; i < 80; i++)
		n += (size_t)sprintf(text + n, "bogus%d\n", i);
	assert_int_equal(load(text, &r), -1);
	assert_int_equal(r.nerrors, 50);
	assert_int_equal(r.ndiags, 50);
	expect_diag(&r, "t.conf:50:1: error: ", "(too many errors; stopping here)");
	cfg_result_free(&r);
	free(text);
}

static void test_parser_keeps_going_after_an_error(void **state)
{
	struct cfg_result r;

	assert_int_equal(load("vrrp_instance A {\npriority 300\nstate X\nbogus_key\n"
			      "interface eth0\n"
			      "virtual_router_id 1\n}\nvrrp_script s {\nweight 999\n}\n",
			      &r),
			 -1);
	assert_int_equal(r.nerrors, 5);
	expect_diag(&r, "t.conf:2:10: error: ", "priority");
	expect_diag(&r, "t.conf:3:7: error: ", "state");
	expect_diag(&r, "t.conf:4:1: error: ", "bogus_key");
	expect_diag(&r, "t.conf:9:8: error: ", "weight");
	expect_diag(&r, "t.conf:8:13: error: ", "no 'script' line");
	cfg_result_free(&r);
}

static void test_diag_format(void **state)
{
	struct cfg_diag d = { CFG_ERROR, "a.conf", 3, 7, "priority: bad" };
	char buf[128];

	assert_string_equal(cfg_diag_format(&d, buf, sizeof(buf)),
			    "a.conf:3:7: error: priority: bad");
	d.level = CFG_WARNING;
	d.line = 0;
	assert_string_equal(cfg_diag_format(&d, buf, sizeof(buf)),
			    "a.conf: warning: priority: bad");
}

static void test_missing_file_is_reported_against_the_file(void **state)
{
	struct cfg_result r;
	char buf[512];

	assert_int_equal(cfg_load_file("/nonexistent/vipd.conf", &r), -1);
	assert_null(r.config);
	assert_int_equal(r.ndiags, 1);
	assert_string_equal(cfg_diag_format(&r.diags[0], buf, sizeof(buf)),
			    "/nonexistent/vipd.conf: error: cannot read '/nonexistent/vipd.conf': "
			    "No such file or directory");
	cfg_result_free(&r);

	assert_int_equal(cfg_load_file("vipd-test-missing.conf", &r), -1);
	expect_diag(&r, "vipd-test-missing.conf: error: ", "cannot read");
	cfg_result_free(&r);
	assert_int_equal(cfg_load_file("/vipd-test-missing.conf", &r), -1);
	expect_diag(&r, "/vipd-test-missing.conf: error: ", "cannot read");
	cfg_result_free(&r);

	assert_int_equal(cfg_load_file(DATA_DIR, &r), -1);
	expect_diag(&r, DATA_DIR ": error: ", "not a regular file");
	cfg_result_free(&r);
}

/* A snippet with n generated lines inside one list block: addresses or names. */
static char *list_snippet(const char *block, char name, int n)
{
	size_t size = 256 + (size_t)n * 48;
	char *text = malloc(size);
	size_t len = (size_t)snprintf(text, size, HEAD "%s {\n", block);

	for (int i = 0; i < n; i++)
		if (name == '6')
			len += (size_t)snprintf(text + len, size - len, "2001:db8::%x\n", i + 1);
		else if (name)
			len += (size_t)snprintf(text + len, size - len, "%c%d\n", name, i);
		else
			len += (size_t)snprintf(text + len, size - len, "198.51.%d.%d\n", i / 250,
						i % 250 + 1);
	snprintf(text + len, size - len, "}\n}\n");
	return text;
}

static void test_lists_are_bounded(void **state)
{
	static const struct {
		const char *block;
		char name;
		int n;
		const char *msg;
	} cases[] = {
		/* The 256th address: the first five lines are the HEAD's. */
		{ "virtual_ipaddress", 0, 256,
		  "t.conf:262:1: error: virtual_ipaddress: more than 255 addresses (an advert "
		  "carries at most 255" },
		{ "virtual_ipaddress_excluded", '6', 16385,
		  "t.conf:16392:1: error: virtual_ipaddress_excluded: more than 16384 addresses" },
		{ "unicast_peer", 0, 1025,
		  "t.conf:1032:1: error: unicast_peer: more than 1024 peers" },
		{ "track_interface", 'e', 1025,
		  "t.conf:1032:1: error: track_interface: more than 1024 entries" },
		{ "track_script", 's', 1025,
		  "t.conf:1032:1: error: track_script: more than 1024 entries" },
		{ "track_gateway", 'g', 1025,
		  "t.conf:1032:1: error: track_gateway: more than 1024 entries" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg_result r;
		char *text = list_snippet(cases[i].block, cases[i].name, cases[i].n);

		assert_int_equal(load(text, &r), -1);
		expect_diag(&r, "", cases[i].msg);
		cfg_result_free(&r);
		free(text);
	}
}

static void test_group_members_are_bounded(void **state)
{
	struct cfg_result r;
	char *text = malloc(32768);
	size_t n = (size_t)sprintf(text, "vrrp_sync_group G {\ngroup {\n");

	for (int i = 0; i < 1025; i++)
		n += (size_t)sprintf(text + n, "VI_%d\n", i);
	sprintf(text + n, "}\n}\n");
	assert_int_equal(load(text, &r), -1);
	expect_diag(&r, "t.conf:1027:1: error: ", "group: more than 1024 instances");
	cfg_result_free(&r);
	free(text);
}

static void test_diagnostics_are_bounded(void **state)
{
	struct cfg_result r;
	char *text = malloc(16384);
	size_t n = (size_t)sprintf(text, HEAD);

	for (int i = 0; i < 500; i++)
		n += (size_t)sprintf(text + n, "debug\n");
	sprintf(text + n, "}\n");
	assert_int_equal(load(text, &r), 0);
	assert_int_equal(r.ndiags, 400);
	cfg_result_free(&r);
	free(text);
}

static void test_duplicate_names_resolve_to_the_first_definition(void **state)
{
	struct cfg_result r;

	assert_int_equal(load("vrrp_script s {\nscript /a\n}\nvrrp_script s {\nscript /b\n}\n"
			      "vrrp_script s {\nscript /c\n}\n" INST("track_script {\ns\n}\n"),
			      &r),
			 -1);
	assert_int_equal(r.nerrors, 2);
	expect_diag(&r, "t.conf:4:13: error: ", "vrrp_script s is already defined at t.conf:1");
	expect_diag(&r, "t.conf:7:13: error: ", "vrrp_script s is already defined at t.conf:1");
	cfg_result_free(&r);
}

/* ----------------------------------------------------------------- includes */

/* A scratch directory for files the tests write; removed by rm_tree. */
static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void rm_tree(const char *dir)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void test_track_process_and_track_file_are_stored(void **state)
{
	struct cfg_result r;
	const struct vipd_config *c;
	const struct cfg_track_process *tp;
	const struct cfg_track_file *tf;
	const struct cfg_instance *in;

	(void)state;
	assert_int_equal(load("vrrp_track_process nginx {\n"
			      "  process \"/usr/sbin/nginx\" -g \"daemon off;\"\n"
			      "  param_match partial\n  quorum 2\n  quorum_max 4\n"
			      "  weight -30 reverse\n  delay 0.5\n  fork_delay 0.25\n}\n"
			      "vrrp_track_process bare {\n  process haproxy\n  full_command\n}\n"
			      "vrrp_track_file prio {\n  file /run/prio\n  weight -5\n"
			      "  init_file 7 overwrite\n}\n"
			      INST("track_process {\n  nginx\n  bare weight 0 reverse\n}\n"
				   "track_file {\n  prio weight 2\n}\n"), &r), 0);
	c = r.config;
	assert_int_equal(c->nprocesses, 2);
	tp = &c->processes[0];
	assert_string_equal(tp->spec.process, "/usr/sbin/nginx");
	assert_int_equal(tp->spec.nparams, 2);
	assert_string_equal(tp->spec.params[1], "daemon off;");
	assert_int_equal(tp->spec.match, TRACKPROC_PARAMS_PARTIAL);
	assert_int_equal(tp->spec.quorum, 2);
	assert_int_equal(tp->spec.quorum_max, 4);
	assert_int_equal(tp->weight, -30);
	assert_true(tp->reverse);
	assert_int_equal(tp->terminate_delay_us, SEC / 2);
	assert_int_equal(tp->fork_delay_us, SEC / 4);
	tp = &c->processes[1];
	assert_int_equal(tp->weight, 1);
	assert_int_equal(tp->spec.match, TRACKPROC_PARAMS_ANY);
	assert_true(tp->spec.full_command);
	assert_int_equal(tp->spec.quorum, 1);
	assert_int_equal(tp->spec.quorum_max, TRACKPROC_QUORUM_MAX_NONE);
	assert_int_equal(c->ntfiles, 1);
	tf = &c->tfiles[0];
	assert_string_equal(tf->path, "/run/prio");
	assert_int_equal(tf->weight, -5);
	assert_true(tf->init_file);
	assert_int_equal(tf->init_value, 7);
	assert_true(tf->init_overwrite);
	in = &c->instances[0];
	assert_int_equal(in->ntrack_processes, 2);
	assert_false(in->track_processes[0].weight_set);
	assert_int_equal(in->track_processes[0].def, 0);
	assert_true(in->track_processes[1].weight_set);
	assert_int_equal(in->track_processes[1].weight, 0);
	assert_true(in->track_processes[1].reverse);
	assert_int_equal(in->track_processes[1].def, 1);
	assert_int_equal(in->ntrack_files, 1);
	assert_int_equal(in->track_files[0].weight, 2);
	cfg_result_free(&r);
}

/* keepalived: a group's trackers update every member; in vipd each member follows them. */
static void test_group_trackers_are_followed_by_every_member(void **state)
{
	struct cfg_result r;
	const struct vipd_config *c;
	const struct cfg_instance *a, *b;

	(void)state;
	assert_int_equal(load("vrrp_script chk {\nscript /bin/true\n}\n"
			      "vrrp_track_process nginx {\nprocess nginx\n}\n"
			      "track_file prio {\nfile /run/prio\n}\n"
			      "vrrp_instance A {\ninterface eth0\nvirtual_router_id 1\n"
			      "virtual_ipaddress {\n192.0.2.1\n}\n"
			      "track_file {\nprio weight 5\n}\n}\n"
			      "vrrp_instance B {\ninterface eth1\nvirtual_router_id 2\n"
			      "virtual_ipaddress {\n192.0.2.2\n}\n}\n"
			      "vrrp_sync_group G {\ngroup {\nA B\n}\n"
			      "track_interface {\neth2\n}\ntrack_script {\nchk weight 10\n}\n"
			      "track_process {\nnginx weight -20 reverse\n}\n"
			      "track_file {\nprio\n}\n}\n", &r), 0);
	c = r.config;
	a = &c->instances[0];
	b = &c->instances[1];
	assert_int_equal(a->ntrack_ifs, 1);
	assert_string_equal(a->track_ifs[0].name, "eth2");
	assert_int_equal(b->ntrack_ifs, 1);
	assert_string_equal(b->track_ifs[0].name, "eth2");
	assert_int_equal(b->ntrack_scripts, 1);
	assert_ptr_equal(b->track_scripts[0].script, &c->scripts[0]);
	assert_int_equal(a->ntrack_processes, 1);
	assert_int_equal(b->ntrack_processes, 1);
	assert_int_equal(b->track_processes[0].def, 0);
	assert_true(b->track_processes[0].reverse);
	/* A tracks prio itself: its own entry stays, not a second one. */
	assert_int_equal(a->ntrack_files, 1);
	assert_int_equal(a->track_files[0].weight, 5);
	assert_int_equal(b->ntrack_files, 1);
	assert_false(b->track_files[0].weight_set);
	assert_int_equal(b->track_files[0].def, 0);
	assert_int_equal(c->groups[0].ntrack_files, 1);
	cfg_result_free(&r);
}

static void test_auth_ah_is_stored_for_vrrpv2_only(void **state)
{
	struct cfg_result r;
	const struct cfg_instance *in;

	(void)state;
	assert_int_equal(load("global_defs {\nvrrp_version 2\n}\n"
			      INST("authentication {\nauth_type AH\nauth_pass secret\n}\n"), &r), 0);
	in = &r.config->instances[0];
	assert_true(in->auth_ah);
	assert_int_equal(in->auth_type, VRRP_AUTH_NONE);
	assert_string_equal(in->auth_pass, "secret");
	cfg_result_free(&r);
	assert_int_equal(load("global_defs {\nvrrp_version 3\n}\n"
			      INST("authentication {\nauth_type AH\nauth_pass secret\n}\n"), &r), 0);
	assert_false(r.config->instances[0].auth_ah);
	assert_true(find_diag(&r, "t.conf:10:1: warning: ",
			      "VRRP version 3 has no authentication; AH ignored") >= 0);
	cfg_result_free(&r);
}

static void test_virtual_routes_and_rules_are_stored(void **state)
{
	struct cfg_result r;
	const struct cfg_instance *in;
	const struct vroute *rt;
	const struct vrule *ru;
	char buf[128];

	(void)state;
	assert_int_equal(load(INST("virtual_routes {\n"
				   "  src 192.0.2.1 to 198.51.100.0/24 via 192.0.2.254 dev eth1\n"
				   "  203.0.113.0/24 via 192.0.2.253 or 192.0.2.252 metric 7\n"
				   "  blackhole 198.51.100.128/25\n"
				   "  0.0.0.0/0 gw 192.0.2.1 table 100 no_track\n"
				   "  default dev eth0 scope link proto static inet6\n"
				   "}\n"
				   "virtual_rules {\n"
				   "  from 198.51.100.0/24 table 100 preference 50\n"
				   "  to 203.0.113.0/24 lookup 7 pref 60 iif eth0 fwmark 0x10/0xff\n"
				   "  from all prohibit pref 70\n"
				   "}\n"), &r), 0);
	in = &r.config->instances[0];
	assert_int_equal(in->nroutes, 5);
	rt = &in->routes[0].r;
	assert_string_equal(vroute_str(rt, buf, sizeof(buf)),
			    "198.51.100.0/24 via 192.0.2.254 dev eth1");
	assert_string_equal(ipaddr_str(&rt->src, buf, sizeof(buf)), "192.0.2.1");
	rt = &in->routes[1].r;
	assert_int_equal(rt->nvia, 2);
	assert_true(rt->metric_set);
	assert_int_equal(rt->metric, 7);
	assert_int_equal(in->routes[2].r.type, RTN_BLACKHOLE);
	rt = &in->routes[3].r;
	assert_int_equal(rt->table, 100);
	assert_true(rt->no_track);
	assert_int_equal(rt->dst_len, 0);
	rt = &in->routes[4].r;
	assert_int_equal(rt->family, AF_INET6);
	assert_int_equal(rt->scope, RT_SCOPE_LINK);
	assert_int_equal(rt->protocol, RTPROT_STATIC);
	assert_int_equal(in->nrules, 3);
	ru = &in->rules[0].r;
	assert_int_equal(ru->table, 100);
	assert_int_equal(ru->priority, 50);
	assert_int_equal(ru->from_len, 24);
	ru = &in->rules[1].r;
	assert_int_equal(ru->table, 7);
	assert_string_equal(ru->iif, "eth0");
	assert_int_equal(ru->fwmark, 0x10);
	assert_int_equal(ru->fwmask, 0xff);
	assert_int_equal(in->rules[2].r.action, FR_ACT_PROHIBIT);
	cfg_result_free(&r);
}

/* keepalived's preprocessor: one templated file, two nodes told apart by -i. */
static void load_templated(const char *id, struct cfg_result *r)
{
	const struct cfg_opts opts = { .config_id = id };

	if (cfg_load_file_opts(DATA_DIR "/pp/templated.conf", &opts, r) != 0)
		print_diags(r);
	assert_non_null(r->config);
	assert_int_equal(r->nerrors, 0);
}

static void test_preprocessed_file_differs_by_config_id(void **state)
{
	struct cfg_result r1, r2;
	const struct vipd_config *a, *b;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	load_templated("node1", &r1);
	load_templated("node2", &r2);
	a = r1.config;
	b = r2.config;
	assert_string_equal(a->global.router_id, "lb-a");
	assert_string_equal(b->global.router_id, "lb-b");
	assert_int_equal(a->ninstances, 2);
	assert_int_equal(b->ninstances, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct cfg_instance *x = &a->instances[i], *y = &b->instances[i];
		char name[16], vip[32], label[16];

		snprintf(name, sizeof(name), "VI_%zu", i + 1);
		snprintf(vip, sizeof(vip), "192.0.2.%zu0", i + 1);
		snprintf(label, sizeof(label), "eth0:v%zu", i + 1);
		assert_string_equal(x->name, name);
		assert_int_equal(x->vrid, i + 1);
		assert_int_equal(x->priority, 150);
		assert_int_equal(y->priority, 100);
		assert_int_equal(x->nvips, 1);
		assert_string_equal(ipaddr_str(&x->vips[0].addr, buf, sizeof(buf)), vip);
		assert_int_equal(x->vips[0].prefix_len, 24);
		assert_string_equal(x->vips[0].label, label);
		assert_int_equal(x->nvips_excluded, 3);
		assert_string_equal(ipaddr_str(&x->vips_excluded[2].addr, buf, sizeof(buf)),
				    i == 0 ? "198.51.100.31" : "198.51.100.32");
		/* Each node names itself as source and the other as peer. */
		assert_string_equal(ipaddr_str(&x->unicast_src, buf, sizeof(buf)), "192.0.2.1");
		assert_int_equal(x->nunicast_peers, 1);
		assert_string_equal(ipaddr_str(&x->unicast_peers[0], buf, sizeof(buf)),
				    "192.0.2.2");
		assert_string_equal(ipaddr_str(&y->unicast_src, buf, sizeof(buf)), "192.0.2.2");
		assert_string_equal(ipaddr_str(&y->unicast_peers[0], buf, sizeof(buf)),
				    "192.0.2.1");
	}
	cfg_result_free(&r1);
	cfg_result_free(&r2);
}

/* Definitions made in one file are used in the files it includes. */
static void test_definitions_reach_included_files(void **state)
{
	struct cfg_result r;

	(void)state;
	assert_int_equal(cfg_load_string("$P=42\ninclude conf.d/20-script.conf\n"
					 INST("priority $P\n"), "s.conf", DATA_DIR, &r), 0);
	assert_int_equal(r.config->instances[0].priority, 42);
	cfg_result_free(&r);
}

static void test_included_files_must_be_small_text_files(void **state)
{
	char dir[] = "/tmp/vipd-test-config-XXXXXX";
	char path[256], where[300];
	struct cfg_result r;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	write_file(dir, "nul.conf", "global_defs {\0}\n", 16);
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 2 << 20), 0);
	fclose(f);
	snprintf(path, sizeof(path), "%s/dangling.conf", dir);
	assert_int_equal(symlink("/nonexistent/target", path), 0);
	write_file(dir, "main.conf", "include nul.conf\ninclude big.conf\ninclude dangl*.conf\n"
		   "include {\ninclude nul.conf nul.conf\n", 90);

	snprintf(path, sizeof(path), "%s/main.conf", dir);
	assert_int_equal(cfg_load_file(path, &r), -1);
	snprintf(where, sizeof(where), "%s:1:9: error: ", path);
	expect_diag(&r, where, "nul.conf' contains a NUL byte: not a text file");
	snprintf(where, sizeof(where), "%s:2:9: error: ", path);
	expect_diag(&r, where, "big.conf' is larger than 1048576 bytes");
	snprintf(where, sizeof(where), "%s:3:9: error: ", path);
	expect_diag(&r, where, "include: cannot read '");
	snprintf(where, sizeof(where), "%s:4:9: error: ", path);
	expect_diag(&r, where, "include: unexpected '{'");
	snprintf(where, sizeof(where), "%s:4:1: error: ", path);
	expect_diag(&r, where, "include: expected a file name or glob pattern");
	assert_int_equal(r.nerrors, 7);
	cfg_result_free(&r);
	rm_tree(dir);
}

static void test_include_patterns_per_line_are_bounded(void **state)
{
	struct cfg_result r;
	char text[4096] = "include";

	for (int i = 0; i < 70; i++)
		strcat(text, " /nonexistent-dir/x*");
	strcat(text, "\n");
	assert_int_equal(load(text, &r), -1);
	assert_int_equal(r.nerrors, 1);
	expect_diag(&r, "t.conf:1:1289: error: ", "include: more than 64 patterns on one line");
	cfg_result_free(&r);
}

static void test_included_files_are_counted(void **state)
{
	char dir[] = "/tmp/vipd-test-config-XXXXXX";
	char path[256], name[32];
	struct cfg_result r;

	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 130; i++) {
		snprintf(name, sizeof(name), "part%03d.inc", i);
		write_file(dir, name, "", 0);
	}
	/* The same file twice is read twice but listed once. */
	write_file(dir, "main.conf", "include part000.inc part000.inc\ninclude *.inc\n", 46);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	assert_int_equal(cfg_load_file(path, &r), -1);
	expect_diag(&r, "", "include: more than 128 files in total");
	cfg_result_free(&r);

	write_file(dir, "main.conf", "include part000.inc part000.inc\n", 32);
	assert_int_equal(cfg_load_file(path, &r), 0);
	assert_int_equal(r.config->nfiles, 2);
	cfg_result_free(&r);
	rm_tree(dir);
}

/* ----------------------------------------------------------------- includes */

static void test_include_globs_are_sorted_and_relative_to_the_file(void **state)
{
	struct cfg_result r;
	const struct vipd_config *c;
	const struct cfg_instance *in;

	assert_int_equal(cfg_load_file(DATA_DIR "/main.conf", &r), 0);
	c = r.config;
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.ndiags, 1);
	expect_diag(&r, DATA_DIR "/main.conf:3:9: warning: ", "include: no file matches '"
							      DATA_DIR "/nothing-here/*.conf'");
	assert_int_equal(c->nfiles, 4);
	assert_string_equal(c->files[0], DATA_DIR "/main.conf");
	assert_string_equal(c->files[1], DATA_DIR "/conf.d/10-global.conf");
	assert_string_equal(c->files[2], DATA_DIR "/conf.d/20-script.conf");
	assert_string_equal(c->files[3], DATA_DIR "/vips.inc");
	assert_string_equal(c->global.router_id, "from-include");
	assert_ptr_equal(c->scripts[0].where.file, c->files[2]);
	assert_int_equal(c->scripts[0].where.line, 1);
	in = &c->instances[0];
	assert_ptr_equal(in->where.file, c->files[0]);
	assert_int_equal(in->nvips, 2);
	assert_ptr_equal(in->vips[1].where.file, c->files[3]);
	assert_int_equal(in->vips[1].where.line, 2);
	assert_string_equal(in->vips[1].label, "eth0:vip");
	assert_ptr_equal(in->track_scripts[0].script, &c->scripts[0]);
	cfg_result_free(&r);
}

static void test_include_errors_name_the_included_file(void **state)
{
	struct cfg_result r;

	assert_int_equal(cfg_load_file(DATA_DIR "/bad-include.conf", &r), -1);
	assert_int_equal(r.nerrors, 2);
	expect_diag(&r, DATA_DIR "/conf.d/30-bad.inc:4:11: error: ",
		    "priority: expected a number from 1 to 255, got 300");
	expect_diag(&r, DATA_DIR "/bad-include.conf:5:9: error: ",
		    "include: cannot read '" DATA_DIR "/missing.conf'");
	cfg_result_free(&r);
}

static void test_include_cycle_is_an_error(void **state)
{
	struct cfg_result r;

	assert_int_equal(cfg_load_file(DATA_DIR "/cycle/a.conf", &r), -1);
	assert_int_equal(r.nerrors, 1);
	expect_diag(&r, DATA_DIR "/cycle/b.conf:4:9: error: ",
		    "include: '" DATA_DIR "/cycle/a.conf' is already being read (include cycle)");
	cfg_result_free(&r);
}

static void test_include_from_string_uses_basedir(void **state)
{
	struct cfg_result r;

	assert_int_equal(cfg_load_string("include conf.d/20-script.conf\n", "s.conf", DATA_DIR, &r),
			 0);
	assert_int_equal(r.config->nscripts, 1);
	assert_string_equal(r.config->files[1], DATA_DIR "/conf.d/20-script.conf");
	cfg_result_free(&r);

	/* Relative to the current directory without one. */
	assert_int_equal(cfg_load_string("include conf.d/20-script.conf\n", NULL, NULL, &r), -1);
	expect_diag(&r, "(string):1:9: error: ", "include: cannot read 'conf.d/20-script.conf'");
	cfg_result_free(&r);
}

/* d0 includes d1 ... includes d9: more levels than allowed. */
static void test_include_depth_is_limited(void **state)
{
	char dir[] = "/tmp/vipd-test-config-XXXXXX";
	char path[128], next[64];
	struct cfg_result r;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "%s/d%d.conf", dir, i);
		snprintf(next, sizeof(next), "d%d.conf", i + 1);
		f = fopen(path, "w");
		assert_non_null(f);
		if (i < 9)
			fprintf(f, "include %s\n", next);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/d0.conf", dir);
	assert_int_equal(cfg_load_file(path, &r), -1);
	assert_int_equal(r.nerrors, 1);
	snprintf(path, sizeof(path), "%s/d8.conf:1:9: error: ", dir);
	expect_diag(&r, path, "include: nested more than 8 levels deep at");
	cfg_result_free(&r);
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "%s/d%d.conf", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

/* ---------------------------------------------------- sample configurations */

static void test_conf_samples_load_without_diagnostics(void **state)
{
	static const char *const files[] = {
		CONF_DIR "/vipd.conf",
		CONF_DIR "/vipd-node2.conf",
		CONF_DIR "/vipd-ipv6.conf",
		CONF_DIR "/vipd-unicast.conf",
		CONF_DIR "/vipd-native.conf",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct cfg_result r;

		if (cfg_load_file(files[i], &r) != 0 || r.ndiags) {
			print_message("%s:\n", files[i]);
			print_diags(&r);
			fail();
		}
		cfg_result_free(&r);
	}
}

static void test_vipd_conf_is_the_two_node_web_pair(void **state)
{
	struct cfg_result r1, r2;
	const struct cfg_instance *a, *b;
	const struct cfg_script *s;
	char buf[IPADDR_STRLEN];

	assert_int_equal(cfg_load_file(CONF_DIR "/vipd.conf", &r1), 0);
	assert_int_equal(cfg_load_file(CONF_DIR "/vipd-node2.conf", &r2), 0);
	a = cfg_find_instance(r1.config, "VI_WEB");
	b = cfg_find_instance(r2.config, "VI_WEB");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->vrid, 51);
	assert_string_equal(a->interface, "eth0");
	assert_int_equal(a->nvips, 1);
	assert_string_equal(ipaddr_str(&a->vips[0].addr, buf, sizeof(buf)), "192.0.2.100");
	assert_int_equal(a->vips[0].prefix_len, 24);
	assert_string_equal(a->vips[0].label, "eth0:0");
	assert_int_equal(a->ntrack_ifs, 1);
	assert_string_equal(a->track_ifs[0].name, "eth0");
	s = a->track_scripts[0].script;
	assert_non_null(s);
	assert_string_equal(s->name, "chk_nginx");
	assert_string_equal(s->command,
			    "/usr/bin/curl -fsS -o /dev/null --max-time 2 http://127.0.0.1/");
	/* A failing check must drop node 1 below node 2. */
	assert_true(a->priority + s->weight < b->priority);
	assert_int_equal(a->priority, 150);
	assert_int_equal(b->priority, 100);
	/* Everything the peers must agree on is the same. */
	assert_int_equal(a->vrid, b->vrid);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->advert_int_cs, b->advert_int_cs);
	assert_int_equal(a->auth_type, b->auth_type);
	assert_string_equal(a->auth_pass, b->auth_pass);
	assert_true(ipaddr_equal(&a->vips[0].addr, &b->vips[0].addr));
	cfg_result_free(&r1);
	cfg_result_free(&r2);
}

/*
 * keepalived's samples that use features vipd refuses, with the errors they
 * must produce; every other sample with a vrrp_instance loads with no error.
 */
static const struct {
	const char *file;
	const char *errors[3];
} sample_errors[] = {
	/* A typo in keepalived's own sample: "192.168.200./24". */
	{ "keepalived.conf.vrrp.rules",
	  { "virtual_rules: to: expected ADDRESS/PREFIX or all, got 192.168.200./24" } },
	{ "keepalived.conf.vrrp.lvs_syncd",
	  { "unknown keyword 'VI_2' in vrrp_sync_group (instance names go inside",
	    "unknown keyword 'VI_3' in vrrp_sync_group (instance names go inside" } },
};

static bool has_vrrp_instance(const char *path)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "vrrp_instance") != NULL;
	fclose(f);
	return found;
}

static int check_sample(const char *name, const char *path)
{
	struct cfg_result r;
	size_t expected = 0, k;
	int failures = 0;

	/* conditional_conf is written for "-i high" or "-i low". */
	cfg_load_file_opts(path, &(struct cfg_opts){ .config_id = "high" }, &r);
	for (k = 0; k < sizeof(sample_errors) / sizeof(sample_errors[0]); k++)
		if (strcmp(sample_errors[k].file, name) == 0)
			break;
	for (size_t e = 0; k < sizeof(sample_errors) / sizeof(sample_errors[0]) && e < 3 &&
			   sample_errors[k].errors[e];
	     e++, expected++) {
		/* Every expected message, as many times as listed. */
		size_t seen = 0;

		for (size_t i = 0; i < r.ndiags; i++)
			if (r.diags[i].level == CFG_ERROR &&
			    strstr(r.diags[i].msg, sample_errors[k].errors[e]))
				seen++;
		if (!seen)
			failures++;
	}
	if (failures || r.nerrors != expected || (expected == 0) != (r.config != NULL)) {
		print_message("%s: %zu errors, %zu expected:\n", name, r.nerrors, expected);
		print_diags(&r);
		failures++;
	}
	cfg_result_free(&r);
	return failures;
}

static void test_keepalived_samples_load_or_fail_as_documented(void **state)
{
	DIR *d = opendir(KEEPALIVED_SAMPLES);
	struct dirent *e;
	int failures = 0, checked = 0;
	char path[1024];

	if (!d) {
		print_message("# %s not found (apt-get install keepalived); skipped\n",
			      KEEPALIVED_SAMPLES);
		skip();
	}
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", KEEPALIVED_SAMPLES, e->d_name);
		if (e->d_name[0] == '.' || !has_vrrp_instance(path))
			continue;
		failures += check_sample(e->d_name, path);
		checked++;
	}
	closedir(d);
	print_message("# checked %d keepalived samples\n", checked);
	assert_true(checked > 0);
	assert_int_equal(failures, 0);
}

/* ----------- robustness: truncated and mangled input never crashes or leaks */

static void test_native_checks_parse_into_the_script(void **state)
{
	struct cfg_result r;
	const struct cfg_script *sc;

	(void)state;
	assert_int_equal(load("vrrp_script chk_nginx {\n"
			      "http_get http://[2001:db8::1]:8080/healthz\n"
			      "status 204\n"
			      "body_contains \"all good\"\n"
			      "interval 0.2\n"
			      "fall 2\n"
			      "}\n"
			      "vrrp_script chk_db {\ntcp_connect 127.0.0.1:5432\n}\n" INST(
				      "track_script {\nchk_nginx\nchk_db\n}\n"),
			      &r),
			 0);
	sc = cfg_find_script(r.config, "chk_nginx");
	assert_non_null(sc);
	assert_null(sc->command);
	assert_int_equal(sc->probe.kind, PROBE_HTTP_GET);
	assert_int_equal(sc->probe.port, 8080);
	assert_string_equal(sc->probe.path, "/healthz");
	assert_int_equal(sc->probe.status, 204);
	assert_string_equal(sc->probe.body_contains, "all good");
	assert_int_equal(sc->interval_us, 200000);
	assert_int_equal(sc->timeout_us, 200000); /* the interval, as for a script */
	sc = cfg_find_script(r.config, "chk_db");
	assert_int_equal(sc->probe.kind, PROBE_TCP_CONNECT);
	assert_int_equal(sc->probe.port, 5432);
	cfg_result_free(&r);
}

static void test_every_prefix_of_a_config_parses_without_crashing(void **state)
{
	size_t len = strlen(full_config);
	char *buf = malloc(len + 1);

	for (size_t n = 0; n <= len; n++) {
		struct cfg_result r;
		int rc;

		memcpy(buf, full_config, n);
		buf[n] = '\0';
		rc = load(buf, &r);
		assert_true(rc == 0 || rc == -1);
		assert_true((rc == 0) == (r.config != NULL));
		assert_true(r.nerrors <= 50);
		cfg_result_free(&r);
	}
	free(buf);
}

static void test_random_mutations_parse_without_crashing(void **state)
{
	static const char alphabet[] = "{}\"'\\#!@ \n\tx1.:/-";
	size_t len = strlen(full_config);
	char *buf = malloc(len + 1);
	uint32_t seed = 12345;

	for (int round = 0; round < 400; round++) {
		struct cfg_result r;

		memcpy(buf, full_config, len + 1);
		for (int k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
		}
		load(buf, &r);
		assert_true(r.nerrors <= 50);
		cfg_result_free(&r);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_bad_form_reports_one_error_with_its_position),
		cmocka_unit_test(test_each_ignored_keyword_is_warned_by_name),
		cmocka_unit_test(test_lvs_block_is_skipped_whole_with_one_warning),
		cmocka_unit_test(test_minimal_instance_gets_keepalived_defaults),
		cmocka_unit_test(test_every_keyword_value_is_stored),
		cmocka_unit_test(test_auth_pass_is_truncated_to_eight_characters),
		cmocka_unit_test(test_v3_instance_drops_authentication),
		cmocka_unit_test(test_ipv6_instance_defaults_to_version_3),
		cmocka_unit_test(test_same_vrid_for_ipv4_and_ipv6_is_two_routers),
		cmocka_unit_test(test_unicast_src_decides_family_without_vips),
		cmocka_unit_test(test_later_keyword_overrides_earlier),
		cmocka_unit_test(test_seconds_accept_microsecond_fractions),
		cmocka_unit_test(test_comments_quotes_and_escapes),
		cmocka_unit_test(test_too_many_words_and_long_words_are_bounded),
		cmocka_unit_test(test_parser_stops_after_fifty_errors),
		cmocka_unit_test(test_parser_keeps_going_after_an_error),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_missing_file_is_reported_against_the_file),
		cmocka_unit_test(test_lists_are_bounded),
		cmocka_unit_test(test_group_members_are_bounded),
		cmocka_unit_test(test_group_trackers_are_followed_by_every_member),
		cmocka_unit_test(test_diagnostics_are_bounded),
		cmocka_unit_test(test_duplicate_names_resolve_to_the_first_definition),
		cmocka_unit_test(test_track_process_and_track_file_are_stored),
		cmocka_unit_test(test_virtual_routes_and_rules_are_stored),
		cmocka_unit_test(test_auth_ah_is_stored_for_vrrpv2_only),
		cmocka_unit_test(test_preprocessed_file_differs_by_config_id),
		cmocka_unit_test(test_definitions_reach_included_files),
		cmocka_unit_test(test_included_files_must_be_small_text_files),
		cmocka_unit_test(test_include_patterns_per_line_are_bounded),
		cmocka_unit_test(test_included_files_are_counted),
		cmocka_unit_test(test_include_globs_are_sorted_and_relative_to_the_file),
		cmocka_unit_test(test_include_errors_name_the_included_file),
		cmocka_unit_test(test_include_cycle_is_an_error),
		cmocka_unit_test(test_include_from_string_uses_basedir),
		cmocka_unit_test(test_include_depth_is_limited),
		cmocka_unit_test(test_conf_samples_load_without_diagnostics),
		cmocka_unit_test(test_vipd_conf_is_the_two_node_web_pair),
		cmocka_unit_test(test_keepalived_samples_load_or_fail_as_documented),
		cmocka_unit_test(test_native_checks_parse_into_the_script),
		cmocka_unit_test(test_every_prefix_of_a_config_parses_without_crashing),
		cmocka_unit_test(test_random_mutations_parse_without_crashing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
