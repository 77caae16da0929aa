/* Unit tests for keymap: the keys of the spec map to their actions in each
 * context, prompt self-insertion, key names, and the help listing. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "keymap.h"

START_TEST(test_normal_keys)
{
	static const struct {
		uint32_t key;
		enum action a;
	} want[] = {
	    {KEYC_UP, ACT_UP},
	    {'k', ACT_UP},
	    {KEYC_DOWN, ACT_DOWN},
	    {'j', ACT_DOWN},
	    {KEYC_PPAGE, ACT_PAGE_UP},
	    {KEYC_NPAGE, ACT_PAGE_DOWN},
	    {KEYC_HOME, ACT_HOME},
	    {KEYC_END, ACT_END},
	    {'g', ACT_HOME},
	    {'G', ACT_END},
	    {KEYC_TAB, ACT_FOCUS_NEXT},
	    {KEYC_ENTER, ACT_OPEN},
	    {'\n', ACT_OPEN},
	    {KEYC_ESC, ACT_BACK},
	    {KEYC_BACKSPACE, ACT_BACK},
	    {0x7f, ACT_BACK},
	    {']', ACT_DIALOG_NEXT},
	    {'[', ACT_DIALOG_PREV},
	    {'/', ACT_SEARCH},
	    {'n', ACT_SEARCH_NEXT},
	    {'N', ACT_SEARCH_PREV},
	    {'f', ACT_FILTER},
	    {'c', ACT_FILTER_CALLID},
	    {'u', ACT_FILTER_USER},
	    {'e', ACT_NEXT_ERROR},
	    {'R', ACT_REGREPORT},
	    {'s', ACT_SAVE},
	    {'t', ACT_TIME_MODE},
	    {'w', ACT_WRAP},
	    {'?', ACT_HELP},
	    {KEYC_F1, ACT_HELP},
	    {'q', ACT_QUIT},
	    {'L', ACT_LAYOUT_NEXT},
	    {'z', ACT_MAXIMISE},
	    {'a', ACT_FLOW_SCOPE},
	};
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(
		    keymap_lookup(KM_NORMAL, want[i].key) == want[i].a,
		    "key %u: got %s, want %s", (unsigned)want[i].key,
		    keymap_action_name(keymap_lookup(KM_NORMAL, want[i].key)),
		    keymap_action_name(want[i].a));
	/* Unbound keys do nothing rather than something surprising. */
	ck_assert_int_eq(keymap_lookup(KM_NORMAL, 'Q'), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(KM_NORMAL, 0x263a), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(KM_NORMAL, KEYC_RESIZE), ACT_NONE);
	ck_assert_int_eq(keymap_lookup((enum keymap_ctx)99, 'q'), ACT_NONE);
}
END_TEST

START_TEST(test_prompt_keys)
{
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_ENTER), ACT_ACCEPT);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_ESC), ACT_CANCEL);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_UP), ACT_HISTORY_PREV);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_DOWN), ACT_HISTORY_NEXT);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_BACKSPACE),
			 ACT_DELETE_BACK);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_CTRL('u')),
			 ACT_KILL_LINE);
	/* Letters bound in the list are text in a prompt. */
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, 'q'), ACT_SELF_INSERT);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, '/'), ACT_SELF_INSERT);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, 0xe9), ACT_SELF_INSERT);
	/* Controls, C1 and special keys are never inserted. */
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, 0x1c), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, 0x9b), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(KM_PROMPT, KEYC_F1), ACT_NONE);
	ck_assert_int_eq(keymap_lookup(KM_HELP, 'q'), ACT_CANCEL);
	ck_assert_int_eq(keymap_lookup(KM_HELP, 'j'), ACT_DOWN);
}
END_TEST

START_TEST(test_key_names)
{
	char b[32];

	ck_assert_str_eq(keymap_key_name('j', b, sizeof b), "j");
	ck_assert_str_eq(keymap_key_name(KEYC_NPAGE, b, sizeof b), "PgDn");
	ck_assert_str_eq(keymap_key_name(KEYC_CTRL('l'), b, sizeof b), "C-l");
	ck_assert_str_eq(keymap_key_name(KEYC_ESC, b, sizeof b), "Esc");
	ck_assert_str_eq(keymap_key_name(KEYC_ENTER, b, sizeof b), "Enter");
	ck_assert_str_eq(keymap_key_name(KEYC_F1, b, sizeof b), "F1");
	ck_assert_str_eq(keymap_key_name(KEYC_BTAB, b, sizeof b), "S-Tab");
}
END_TEST

/* What a heading names: the first key of the action (the flow's scope is
 * a since F follows the files). */
START_TEST(test_action_key)
{
	char b[16];

	ck_assert_str_eq(keymap_action_key(KM_NORMAL, ACT_FLOW_SCOPE, b,
					   sizeof b), "a");
	ck_assert_str_eq(keymap_action_key(KM_NORMAL, ACT_FOLLOW, b, sizeof b),
			 "F");
	ck_assert_str_eq(keymap_action_key(KM_NORMAL, ACT_DOWN, b, sizeof b),
			 "Down");
	ck_assert_str_eq(keymap_action_key(KM_HELP, ACT_FILTER, b, sizeof b),
			 "");
}
END_TEST

static void
collect(void *arg, const char *keys, const char *help)
{
	strbuf_addf(arg, "%s|%s\n", keys, help);
}

START_TEST(test_help_lists_every_action_once)
{
	struct strbuf sb;
	int a;

	strbuf_init(&sb);
	keymap_help(KM_NORMAL, collect, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "Down, j|"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "Esc, Backspace|"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "?, F1|this help\n"));
	ck_assert_ptr_nonnull(
	    strstr(sb.buf, "]|next message of the same dialog\n"));
	/* Each bound action once, each with a description. */
	for (a = ACT_UP; a <= ACT_QUIT; a++) {
		const char *h = keymap_action_help((enum action)a);
		const char *p = strstr(sb.buf, h);

		ck_assert_msg(*h != '\0', "action %d has no help", a);
		ck_assert_msg(p != NULL, "action %s missing from help",
			      keymap_action_name((enum action)a));
		ck_assert_msg(strstr(p + 1, h) == NULL || strcmp(h, "") == 0,
			      "action %s listed twice",
			      keymap_action_name((enum action)a));
	}
	/* In the prompt, the cursor keys say what they do there. */
	strbuf_reset(&sb);
	keymap_help(KM_PROMPT, collect, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "Left, C-b|cursor left\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "Home, C-a|start of the line\n"));
	ck_assert_ptr_null(strstr(sb.buf, "scroll"));
	strbuf_free(&sb);
}
END_TEST

static Suite *
keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_normal_keys);
	tcase_add_test(tc, test_prompt_keys);
	tcase_add_test(tc, test_key_names);
	tcase_add_test(tc, test_action_key);
	tcase_add_test(tc, test_help_lists_every_action_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(keymap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
