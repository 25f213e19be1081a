/*
 * test_cfgpp.c - keepalived's configuration preprocessor: conditions,
 * definitions (single-line, multi-line, with parameters), substitution,
 * ~SEQ/~LST, the predefined names, and the positions every output byte
 * keeps in the original text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgpp.h"

struct run {
	struct cfgpp *pp;
	struct cfgpp_out out;
};

static const char *pp_run_id(struct run *r, const char *id, const char *text)
{
	r->pp = cfgpp_new(id, 1);
	assert_non_null(r->pp);
	assert_int_equal(cfgpp_run(r->pp, text, strlen(text), "/etc/vipd", &r->out), 0);
	return r->out.text;
}

static void run_free(struct run *r)
{
	cfgpp_out_free(&r->out);
	cfgpp_free(r->pp);
}

/* The output for text with config id "main", checked against want. */
static void expect_out(const char *text, const char *want)
{
	struct run r;

	pp_run_id(&r, "main", text);
	assert_string_equal(r.out.text, want);
	assert_int_equal(r.out.nerrors, 0);
	run_free(&r);
}

/* The one error text must give, at line:col, containing msg. */
static void expect_error(const char *text, int line, int col, const char *msg)
{
	struct run r;

	pp_run_id(&r, "main", text);
	assert_true(r.out.nerrors >= 1);
	assert_true(r.out.diags[0].error);
	if (!strstr(r.out.diags[0].msg, msg))
		fail_msg("message '%s' lacks '%s'", r.out.diags[0].msg, msg);
	assert_int_equal(r.out.diags[0].at.line, line);
	assert_int_equal(r.out.diags[0].at.col, col);
	run_free(&r);
}

static size_t off_of(const struct cfgpp_out *o, const char *needle)
{
	const char *p = strstr(o->text, needle);

	assert_non_null(p);
	return (size_t)(p - o->text);
}

static void test_plain_text_passes_through_without_comments(void **state)
{
	(void)state;
	expect_out("vrrp_instance VI_1 {\n  priority 100 # high\n\n! note\n}\n",
		   "vrrp_instance VI_1 {\npriority 100\n}\n");
}

static void test_condition_keeps_lines_for_the_config_id(void **state)
{
	(void)state;
	expect_out("@main router_id a\n@backup router_id b\n@^main x 1\n@^backup y 2\n",
		   "router_id a\ny 2\n");
}

static void test_condition_without_config_id_keeps_only_negations(void **state)
{
	struct run r;

	(void)state;
	pp_run_id(&r, "", "@main a\n@^main b\n");
	assert_string_equal(r.out.text, "b\n");
	run_free(&r);
}

static void test_definition_is_replaced_after_blank_or_in_braces(void **state)
{
	(void)state;
	expect_out("$PRIO=150\npriority $PRIO\nlabel x${PRIO}y\nkeep $PRIOz\n",
		   "priority 150\nlabel x150y\nkeep $PRIOz\n");
}

static void test_undefined_names_and_script_dollars_stay(void **state)
{
	(void)state;
	expect_out("notify \"/bin/echo $1 ${HOME}\"\n", "notify \"/bin/echo $1 ${HOME}\"\n");
}

static void test_replacement_is_recursive_at_use_time(void **state)
{
	(void)state;
	/* keepalived.conf(5)'s own example. */
	expect_out("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n"
		   "${ADDRESS_BASE}.100/32\n$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n",
		   "10.2.0.100/32\n10.2.10.100/32\n");
}

static void test_definition_can_be_conditional_and_expand_to_a_condition(void **state)
{
	(void)state;
	expect_out("@main $P=240\n@backup $P=200\npriority $P\n$IF_MAIN=@main\n$IF_MAIN x 1\n",
		   "priority 240\nx 1\n");
}

static void test_multiline_definition_expands_to_lines_with_conditions(void **state)
{
	(void)state;
	expect_out("$INST= \\\n"
		   "vrrp_instance VI_${NUM} { \\\n"
		   "  interface eth${NUM} \\\n"
		   "  @main priority 130 \\\n"
		   "  @low priority 120 \\\n"
		   "}\n"
		   "$NUM=0\n$INST\n$NUM=1\n$INST\n",
		   "vrrp_instance VI_0 {\ninterface eth0\npriority 130\n}\n"
		   "vrrp_instance VI_1 {\ninterface eth1\npriority 130\n}\n");
}

static void test_multiline_definition_can_define_and_nest(void **state)
{
	(void)state;
	expect_out("$RS=rs ${N}\n$VS= \\\nvs { \\\n$N=1 \\\n$RS \\\n$N=2 \\\n$RS \\\n}\n$VS\n",
		   "vs {\nrs 1\nrs 2\n}\n");
}

static void test_parameterised_definition(void **state)
{
	(void)state;
	expect_out("$VIP(A, DEV)=192.0.2.${A}/24 dev $DEV\n$VIP(10, eth1)\n${VIP(11,eth2)}\n",
		   "192.0.2.10/24 dev eth1\n192.0.2.11/24 dev eth2\n");
}

static void test_parameterised_definition_wrong_argument_count(void **state)
{
	(void)state;
	expect_error("$V(A,B)=${A}${B}\n  x $V(1)\n", 2, 5, "$V takes 2 arguments, got 1");
}

static void test_seq_counts_up_down_and_in_hex(void **state)
{
	(void)state;
	expect_out("~SEQ(S, 0, 3) ip 10.0.${S}.1\n", "ip 10.0.0.1\nip 10.0.1.1\nip 10.0.2.1\n"
		   "ip 10.0.3.1\n");
	expect_out("~SEQ(S, 3) a${S}\n~SEQ(T, 2, 0) b${T}\n", "a1\na2\na3\nb2\nb1\nb0\n");
	expect_out("~SEQx(X, 0x90, 0x10, 0xc0) fe80::${X}\n",
		   "fe80::90\nfe80::a0\nfe80::b0\nfe80::c0\n");
}

static void test_seq_nests_and_combines_with_multiline(void **state)
{
	(void)state;
	expect_out("$V=v${A}.${B} \\\nw\n~SEQ(A,1,2) ~SEQ(B,1,2) $V\n",
		   "v1.1\nw\nv1.2\nw\nv2.1\nw\nv2.2\nw\n");
}

static void test_lst_single_and_grouped(void **state)
{
	(void)state;
	expect_out("~LST(IP, 1, 2) 192.0.2.${IP}\n", "192.0.2.1\n192.0.2.2\n");
	expect_out("~LST({IP, IP1}, {10,1},{20,4}) 192.${IP}.${IP1}\n", "192.10.1\n192.20.4\n");
	expect_out("~LST(A, 1, 2) ~LST(B, x, y) ${A}${B}\n", "1x\n1y\n2x\n2y\n");
}

static void test_predefined_names(void **state)
{
	(void)state;
	expect_out("a ${_PWD}/x ${_INSTANCE}\nb ${_HASH} \"${_BANG}\"\n",
		   "a /etc/vipd/x main\nb \"#\" \"!\"\n");
}

static void test_random_stays_in_range(void **state)
{
	struct run r;

	(void)state;
	pp_run_id(&r, "main", "~SEQ(I,1,200) ${_RANDOM 5 7}\n");
	for (char *p = r.out.text; *p; p += 2) {
		assert_true(*p >= '5' && *p <= '7');
		assert_int_equal(p[1], '\n');
	}
	run_free(&r);
}

static void test_positions_point_at_the_original_text(void **state)
{
	struct run r;
	struct cfgpp_pos at;

	(void)state;
	pp_run_id(&r, "main", "$P=300\n\n  @main   priority $P\n");
	assert_string_equal(r.out.text, "priority 300\n");
	at = cfgpp_where(&r.out, off_of(&r.out, "priority"));
	assert_int_equal(at.line, 3);
	assert_int_equal(at.col, 11);
	at = cfgpp_where(&r.out, off_of(&r.out, "300"));
	assert_int_equal(at.line, 3);
	assert_int_equal(at.col, 20);
	at = cfgpp_where(&r.out, r.out.len);
	assert_int_equal(at.line, 4);
	run_free(&r);
}

static void test_positions_of_repeated_lines(void **state)
{
	struct run r;
	struct cfgpp_pos at;

	(void)state;
	pp_run_id(&r, "main", "x\n~SEQ(N,1,2) vip 192.0.2.${N}\n");
	at = cfgpp_where(&r.out, off_of(&r.out, "192.0.2.2"));
	assert_int_equal(at.line, 2);
	assert_int_equal(at.col, 17);
	run_free(&r);
}

static void test_definitions_carry_across_files(void **state)
{
	struct cfgpp *pp = cfgpp_new("main", 1);
	struct cfgpp_out o1, o2;

	(void)state;
	assert_int_equal(cfgpp_run(pp, "$X=42\n", 6, NULL, &o1), 0);
	assert_int_equal(cfgpp_run(pp, "v $X\n", 5, NULL, &o2), 0);
	assert_string_equal(o2.text, "v 42\n");
	cfgpp_out_free(&o1);
	cfgpp_out_free(&o2);
	cfgpp_free(pp);
}

static void test_error_positions(void **state)
{
	(void)state;
	expect_error("a\n  b ${X\n", 2, 5, "'${' without a closing '}'");
	expect_error("~SEQ(A, 1, x) y\n", 1, 12, "'x' is not a number");
	expect_error("\n~SEQ(1A, 3) y\n", 2, 6, "'1A' is not a variable name");
	expect_error("~SEQ(A, 1, 0, 3) y\n", 1, 12, "a step of 0 never ends");
	expect_error("~SEQ(A, 1 y\n", 1, 1, "without a closing ')'");
	expect_error("  @ x\n", 1, 3, "'@' must be followed by a config id");
	expect_error("$L=a $L\n\n   $L\n", 3, 4, "nested more than");
	expect_error("~LST({A,B}, {1,2}, 3) x\n", 1, 20, "1 value for 2 variables");
}

static void test_huge_expansion_is_stopped(void **state)
{
	struct run r;

	(void)state;
	pp_run_id(&r, "main", "~SEQ(A,1,100000) ~SEQ(B,1,100000) ~SEQ(C,1,100000) x\n");
	assert_true(r.out.nerrors >= 1);
	assert_true(r.out.len <= (8u << 20));
	run_free(&r);
}

static void test_unterminated_multiline_definition_warns(void **state)
{
	struct run r;

	(void)state;
	pp_run_id(&r, "main", "$X=a \\\nb \\\n");
	assert_int_equal(r.out.nerrors, 0);
	assert_int_equal(r.out.ndiags, 1);
	assert_false(r.out.diags[0].error);
	assert_int_equal(r.out.diags[0].at.line, 1);
	run_free(&r);
}

static void test_empty_pieces_produce_nothing(void **state)
{
	(void)state;
	/* A repetition of nothing, an empty definition used, an empty continuation line. */
	expect_out("~SEQ(A, 1, 3)\n$E=\n$E\nx $E\n$M=a \\\n\\\n\n$M\n", "x\na\n");
}

static void test_only_a_file_line_continues_a_definition(void **state)
{
	(void)state;
	/* In a repeated line the definition ends there; the next line is read as a line. */
	expect_out("~SEQ(A, 1, 2) $X=v${A} \\\nnext $X\n", "next v${A}\n");
}

static void test_needed_only_for_preprocessor_characters(void **state)
{
	(void)state;
	assert_false(cfgpp_needed("vrrp_instance a {\n}\n", 19));
	assert_true(cfgpp_needed("a $B\n", 5));
	assert_true(cfgpp_needed("@x a\n", 5));
}

static void test_default_id_is_host_name_without_domain(void **state)
{
	char id[CFGPP_ID_MAX];

	(void)state;
	cfgpp_default_id(id, sizeof(id));
	assert_true(id[0] != '\0');
	assert_null(strchr(id, '.'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_passes_through_without_comments),
		cmocka_unit_test(test_condition_keeps_lines_for_the_config_id),
		cmocka_unit_test(test_condition_without_config_id_keeps_only_negations),
		cmocka_unit_test(test_definition_is_replaced_after_blank_or_in_braces),
		cmocka_unit_test(test_undefined_names_and_script_dollars_stay),
		cmocka_unit_test(test_replacement_is_recursive_at_use_time),
		cmocka_unit_test(test_definition_can_be_conditional_and_expand_to_a_condition),
		cmocka_unit_test(test_multiline_definition_expands_to_lines_with_conditions),
		cmocka_unit_test(test_multiline_definition_can_define_and_nest),
		cmocka_unit_test(test_parameterised_definition),
		cmocka_unit_test(test_parameterised_definition_wrong_argument_count),
		cmocka_unit_test(test_seq_counts_up_down_and_in_hex),
		cmocka_unit_test(test_seq_nests_and_combines_with_multiline),
		cmocka_unit_test(test_lst_single_and_grouped),
		cmocka_unit_test(test_predefined_names),
		cmocka_unit_test(test_random_stays_in_range),
		cmocka_unit_test(test_positions_point_at_the_original_text),
		cmocka_unit_test(test_positions_of_repeated_lines),
		cmocka_unit_test(test_definitions_carry_across_files),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_huge_expansion_is_stopped),
		cmocka_unit_test(test_unterminated_multiline_definition_warns),
		cmocka_unit_test(test_empty_pieces_produce_nothing),
		cmocka_unit_test(test_only_a_file_line_continues_a_definition),
		cmocka_unit_test(test_needed_only_for_preprocessor_characters),
		cmocka_unit_test(test_default_id_is_host_name_without_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
