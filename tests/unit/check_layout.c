/* Unit tests for layout: the rectangles of every mode at common sizes,
 * printed as text; the fallbacks for narrow terminals; maximising; the
 * "too small" threshold; and hit-testing for the mouse. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "layout.h"

static char *
lay(int w, int h, enum layout_mode mode, int max)
{
	struct layout l;
	struct strbuf sb;

	layout_compute(&l, w, h, mode, max);
	strbuf_init(&sb);
	layout_dump(&l, &sb);
	return strbuf_detach(&sb);
}

#define CHECK_LAYOUT(w, h, mode, max, want)                                    \
	do {                                                                   \
		char *got_ = lay((w), (h), (mode), (max));                     \
		ck_assert_str_eq(got_, (want));                                \
		free(got_);                                                    \
	} while (0)

START_TEST(test_split_80x24)
{
	CHECK_LAYOUT(80, 24, LAYOUT_SPLIT, LP_NONE,
		     "mode split\n"
		     "title 0,0 80x1\n"
		     "list 0,1 80x8\n"
		     "detail 0,9 39x14\n"
		     "flow 40,9 40x14\n"
		     "sep 39,9 1x14\n"
		     "status 0,23 80x1\n");
}
END_TEST

START_TEST(test_split_100x30)
{
	CHECK_LAYOUT(100, 30, LAYOUT_SPLIT, LP_NONE,
		     "mode split\n"
		     "title 0,0 100x1\n"
		     "list 0,1 100x11\n"
		     "detail 0,12 49x17\n"
		     "flow 50,12 50x17\n"
		     "sep 49,12 1x17\n"
		     "status 0,29 100x1\n");
}
END_TEST

START_TEST(test_narrow_falls_back_to_stack)
{
	/* 60 columns cannot hold two readable panes side by side. */
	CHECK_LAYOUT(60, 20, LAYOUT_SPLIT, LP_NONE,
		     "mode stack\n"
		     "title 0,0 60x1\n"
		     "list 0,1 60x6\n"
		     "detail 0,7 60x6\n"
		     "flow 0,13 60x6\n"
		     "status 0,19 60x1\n");
	/* Wide needs a really wide terminal, else split. */
	CHECK_LAYOUT(100, 30, LAYOUT_WIDE, LP_NONE,
		     "mode split\n"
		     "title 0,0 100x1\n"
		     "list 0,1 100x11\n"
		     "detail 0,12 49x17\n"
		     "flow 50,12 50x17\n"
		     "sep 49,12 1x17\n"
		     "status 0,29 100x1\n");
	CHECK_LAYOUT(200, 50, LAYOUT_WIDE, LP_NONE,
		     "mode wide\n"
		     "title 0,0 200x1\n"
		     "list 0,1 100x48\n"
		     "detail 101,1 99x24\n"
		     "flow 101,25 99x24\n"
		     "sep 100,1 1x48\n"
		     "status 0,49 200x1\n");
}
END_TEST

START_TEST(test_maximise)
{
	CHECK_LAYOUT(80, 24, LAYOUT_SPLIT, LP_DETAIL,
		     "mode split\n"
		     "title 0,0 80x1\n"
		     "list -\n"
		     "detail 0,1 80x22\n"
		     "flow -\n"
		     "status 0,23 80x1\n");
	CHECK_LAYOUT(80, 24, LAYOUT_SPLIT, LP_FLOW,
		     "mode split\n"
		     "title 0,0 80x1\n"
		     "list -\n"
		     "detail -\n"
		     "flow 0,1 80x22\n"
		     "status 0,23 80x1\n");
}
END_TEST

START_TEST(test_too_small)
{
	CHECK_LAYOUT(20, 6, LAYOUT_SPLIT, LP_NONE, "too small 20x6\n");
	CHECK_LAYOUT(39, 30, LAYOUT_SPLIT, LP_NONE, "too small 39x30\n");
	CHECK_LAYOUT(100, 9, LAYOUT_SPLIT, LP_NONE, "too small 100x9\n");
	CHECK_LAYOUT(0, 0, LAYOUT_SPLIT, LP_NONE, "too small 0x0\n");
	/* The minimum itself works, and every pane has a heading and a line. */
	CHECK_LAYOUT(LAYOUT_MIN_W, LAYOUT_MIN_H, LAYOUT_SPLIT, LP_NONE,
		     "mode stack\n"
		     "title 0,0 40x1\n"
		     "list 0,1 40x3\n"
		     "detail 0,4 40x2\n"
		     "flow 0,6 40x3\n"
		     "status 0,9 40x1\n");
}
END_TEST

START_TEST(test_every_size_is_sane)
{
	struct layout l;
	int w, h, m, i;

	/* Panes stay inside the body and never overlap the bars. */
	for (m = 0; m < LAYOUT__COUNT; m++)
		for (w = 0; w <= 260; w += 7)
			for (h = 0; h <= 90; h += 3) {
				layout_compute(&l, w, h, (enum layout_mode)m,
					       LP_NONE);
				if (l.too_small)
					continue;
				for (i = 0; i < LP__COUNT; i++) {
					struct rect r = l.pane[i];

					if (r.w == 0)
						continue;
					ck_assert_int_ge(r.x, 0);
					ck_assert_int_ge(r.y, 1);
					ck_assert_int_le(r.x + r.w, w);
					ck_assert_int_le(r.y + r.h, h - 1);
					ck_assert_int_ge(r.h, 2);
				}
			}
}
END_TEST

START_TEST(test_pane_at)
{
	struct layout l;

	layout_compute(&l, 80, 24, LAYOUT_SPLIT, LP_NONE);
	ck_assert_int_eq(layout_pane_at(&l, 5, 0), LP_NONE);
	ck_assert_int_eq(layout_pane_at(&l, 5, 1), LP_LIST);
	ck_assert_int_eq(layout_pane_at(&l, 79, 8), LP_LIST);
	ck_assert_int_eq(layout_pane_at(&l, 0, 9), LP_DETAIL);
	ck_assert_int_eq(layout_pane_at(&l, 39, 9), LP_NONE);
	ck_assert_int_eq(layout_pane_at(&l, 40, 22), LP_FLOW);
	ck_assert_int_eq(layout_pane_at(&l, 40, 23), LP_NONE);
	layout_compute(&l, 20, 6, LAYOUT_SPLIT, LP_NONE);
	ck_assert_int_eq(layout_pane_at(&l, 1, 1), LP_NONE);
	ck_assert_str_eq(layout_mode_name(LAYOUT_STACK), "stack");
}
END_TEST

static Suite *
layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_split_80x24);
	tcase_add_test(tc, test_split_100x30);
	tcase_add_test(tc, test_narrow_falls_back_to_stack);
	tcase_add_test(tc, test_maximise);
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_every_size_is_sane);
	tcase_add_test(tc, test_pane_at);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(layout_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
