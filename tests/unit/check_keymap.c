/* Unit tests for keymap: the keys of the spec map to their actions in each
 * context, prompt self-insertion, key names, and the help listing. */
#include <check.h>
#include <stdio.h>
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
	    strstr(sb.buf, "]|next message of the same dialog (then of a "
			   "retry on a new Call-ID)\n"));
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

/* The keys column of path's list of keys, from the line that starts with
 * from to the one that starts with to: README's first 30 columns of a
 * line indented by four, or sipsnoop(1)'s line after each .TP, with
 * troff's \- as -. One line each; NULL when not found. */
static char *
doc_keys(const char *path, const char *from, const char *to, int man)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb;
	char line[4096], *p, *end;
	int in = 0, tp = 0;

	if (f == NULL)
		return NULL;
	strbuf_init(&sb);
	while (fgets(line, sizeof line, f) != NULL) {
		if (!in && strncmp(line, from, strlen(from)) == 0)
			in = 1;
		else if (in && strncmp(line, to, strlen(to)) == 0)
			break;
		if (!in)
			continue;
		if (man) {
			int key = tp;

			tp = strncmp(line, ".TP", 3) == 0;
			if (!key)
				continue;
			p = line;
			end = line + strlen(line);
		} else {
			if (strncmp(line, "    ", 4) != 0 || line[4] == ' ' ||
			    strlen(line) < 5)
				continue;
			p = line + 4;
			end = strlen(line) > 30 ? line + 30 : line + strlen(line);
		}
		for (; p < end && *p != '\n'; p++) {
			if (p[0] == '\\' && p[1] == '-')
				continue;
			strbuf_addc(&sb, *p);
		}
		strbuf_addc(&sb, '\n');
	}
	fclose(f);
	return in ? strbuf_detach(&sb) : NULL;
}

struct doc_keys {
	const char *doc, *name;
};

/* Each key of several letters (C-c, PgDn, F1) that the help lists must be
 * in the section, between separators. */
static void
doc_keys_check(void *arg, const char *keys, const char *help)
{
	const struct doc_keys *d = arg;
	char buf[128], *k, *save = NULL;

	(void)help;
	snprintf(buf, sizeof buf, "%s", keys);
	for (k = strtok_r(buf, ", ", &save); k != NULL;
	     k = strtok_r(NULL, ", ", &save)) {
		const char *at = d->doc;
		size_t n = strlen(k);
		int found = 0;

		/* Other codes of Backspace, not keys of their own. */
		if (n < 2 || strcmp(k, "DEL") == 0 || strcmp(k, "C-h") == 0)
			continue;
		while (!found && (at = strstr(at, k)) != NULL) {
			found = (at == d->doc || strchr(" /,\t\n", at[-1])) &&
				strchr(" /,\n", at[n]) != NULL;
			at += n;
		}
		ck_assert_msg(found, "key %s (%s) is not in %s's keys", k, keys,
			      d->name);
	}
}

/* README's and sipsnoop(1)'s lists of the viewer's keys name every key
 * the help does: C-c, which quits, was in neither. */
START_TEST(test_docs_list_every_key)
{
	struct doc_keys d;
	char *readme = doc_keys("README", "Keys of the viewer", "Filters", 0);
	char *man = doc_keys("man/sipsnoop.1", ".SS Keys", ".SH EXIT", 1);

	ck_assert_ptr_nonnull(readme);
	ck_assert_ptr_nonnull(man);
	d = (struct doc_keys){readme, "README"};
	keymap_help(KM_NORMAL, doc_keys_check, &d);
	d = (struct doc_keys){man, "sipsnoop(1)"};
	keymap_help(KM_NORMAL, doc_keys_check, &d);
	free(readme);
	free(man);
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
	tcase_add_test(tc, test_docs_list_every_key);
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
