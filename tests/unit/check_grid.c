/* Unit tests for grid: writing and clipping text, wide characters at the
 * edge, combining marks, controls, roles, fill, and the text dump the pane
 * golden tests rely on. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "grid.h"
#include "theme.h"

static char *
dump(struct grid *g, int roles)
{
	struct strbuf sb;

	strbuf_init(&sb);
	grid_dump(g, &sb, roles);
	return strbuf_detach(&sb);
}

START_TEST(test_put_and_clip)
{
	struct grid *g = grid_new(10, 2);
	char *d;
	int x;

	x = grid_puts(g, 1, 0, 10, ROLE_DEFAULT, "hello world");
	ck_assert_int_eq(x, 10);
	x = grid_puts(g, 0, 1, 4, ROLE_SEV_ERROR, "abcdef");
	ck_assert_int_eq(x, 4);
	d = dump(g, 0);
	ck_assert_str_eq(d, " hello wor\nabcd\n");
	free(d);
	d = dump(g, 1);
	ck_assert_str_eq(d, " hello wor\n\nabcd\neeee\n");
	free(d);
	/* Outside the grid: nothing happens, nothing crashes. */
	ck_assert_int_eq(grid_puts(g, 0, 5, 10, 0, "x"), 0);
	ck_assert_int_eq(grid_puts(g, 0, -1, 10, 0, "x"), 0);
	ck_assert_ptr_null(grid_cell(g, 10, 0));
	ck_assert_ptr_null(grid_cell(g, -1, 0));
	grid_free(g);
}
END_TEST

START_TEST(test_wide_chars)
{
	struct grid *g = grid_new(6, 2);
	char *d;
	int x;

	/* Two CJK characters take four columns. */
	x = grid_puts(g, 0, 0, 6, 0, "漢字x");
	ck_assert_int_eq(x, 5);
	ck_assert_int_eq(grid_cell(g, 0, 0)->width, 2);
	ck_assert_int_eq(grid_cell(g, 1, 0)->width, 0);
	/* A wide character that does not fit at the edge leaves a blank. */
	x = grid_puts(g, 3, 1, 6, 0, "a漢字");
	ck_assert_int_eq(x, 6);
	d = dump(g, 0);
	ck_assert_str_eq(d, "漢字x\n   a漢\n");
	free(d);
	ck_assert_int_eq(grid_text_width("漢字x", strlen("漢字x")), 5);
	ck_assert_uint_eq(grid_text_fit("漢字x", strlen("漢字x"), 3), 3);
	grid_free(g);
}
END_TEST

START_TEST(test_combining_and_controls)
{
	struct grid *g = grid_new(8, 1);
	char *d;
	int x;

	/* e + COMBINING ACUTE is one cell. */
	x = grid_puts(g, 0, 0, 8, 0,
		      "e\xcc\x81"
		      "a\x1b"
		      "b\xff");
	ck_assert_int_eq(x, 5);
	d = dump(g, 0);
	/* Controls and bad bytes that reach the grid show as '?'. */
	ck_assert_str_eq(d, "e\xcc\x81"
			    "a?b?\n");
	free(d);
	grid_free(g);
}
END_TEST

START_TEST(test_put_log_sanitises)
{
	struct grid *g = grid_new(30, 1);
	char *d;

	grid_put_log(g, 0, 0, 30, 0, "x\x1b[31mred\x07", 10);
	d = dump(g, 0);
	ck_assert_str_eq(d, "x\\e[31mred\\x07\n");
	free(d);
	grid_free(g);
}
END_TEST

START_TEST(test_fill_roles_resize)
{
	struct grid *g = grid_new(5, 3);
	char *d;

	grid_puts(g, 0, 1, 5, 0, "abcde");
	grid_fill(g, (struct rect){1, 0, 3, 2}, ROLE_SELECTION);
	grid_set_role(g, 2, 3, 9, ROLE_MATCH);
	d = dump(g, 1);
	ck_assert_str_eq(d, "\n.SSS\na   e\n.SSS\n\n...MM\n");
	free(d);
	grid_resize(g, 2, 2);
	ck_assert_int_eq(g->w, 2);
	d = dump(g, 1);
	ck_assert_str_eq(d, "\n\n\n\n");
	free(d);
	grid_resize(g, 0, 0);
	d = dump(g, 0);
	ck_assert_str_eq(d, "");
	free(d);
	grid_free(g);
	grid_free(NULL);
}
END_TEST

START_TEST(test_printf)
{
	struct grid *g = grid_new(12, 1);
	char *d;

	grid_printf(g, 2, 0, 12, 0, "%d/%d", 3, 17);
	d = dump(g, 0);
	ck_assert_str_eq(d, "  3/17\n");
	free(d);
	grid_free(g);
}
END_TEST

static Suite *
grid_suite(void)
{
	Suite *s = suite_create("grid");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_put_and_clip);
	tcase_add_test(tc, test_wide_chars);
	tcase_add_test(tc, test_combining_and_controls);
	tcase_add_test(tc, test_put_log_sanitises);
	tcase_add_test(tc, test_fill_roles_resize);
	tcase_add_test(tc, test_printf);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* wcwidth needs a UTF-8 locale. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	sr = srunner_create(grid_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
