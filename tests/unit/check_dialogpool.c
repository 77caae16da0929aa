/* Unit tests for the arrays of dialog.c's message ids once its slabs have
 * run out: this suite builds its own dialog.c with room for 2 slabs, so
 * that later arrays are malloc'd ones (named from big[]) within a test. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define DIALOG_MAX_SLABS 2
#include "../../src/core/dialog.c"
#include "helpers.h"

/* Enough dialogs, grown in turns, to fill both slabs (32K ids) and go on
 * in big arrays: small ones past the slabs grow in place, and each dialog
 * still lists exactly its own messages, in order. */
START_TEST(test_past_the_slabs)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	enum { ND = 3000 };
	size_t want[ND], i;

	for (i = 0; i < ND; i++) {
		want[i] = 1 + (i * 7) % 23;	/* 1 .. 23 */
		if (i % 500 == 0)
			want[i] = 300;		/* some past the pooled sizes */
	}
	test_dialogs_grow(ds, ix, want, ND);
	ck_assert_uint_eq(ds->nslabs, DIALOG_MAX_SLABS);
	/* Small arrays were made past the slabs, not only the large ones. */
	ck_assert_uint_gt(ds->nbig, ND / 500);
	test_dialogs_check(ds, ix, want, ND);
	dialogs_free(ds);
	msgindex_free(ix);
}
END_TEST

static Suite *
dialogpool_suite(void)
{
	Suite *s = suite_create("dialogpool");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_past_the_slabs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dialogpool_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
