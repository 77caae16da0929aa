/* Unit tests for the arrays of dialog.c's message ids once its slabs have
 * run out: this suite builds its own dialog.c with room for 2 slabs, so
 * that later arrays are malloc'd ones (named from big[]) within a test. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define DIALOG_MAX_SLABS 2
#include "../../src/core/dialog.c"

static struct msg
mk(uint32_t call_id, int64_t t)
{
	struct msg m;

	memset(&m, 0, sizeof m);
	m.call_id = call_id;
	m.kind = MSG_REQUEST;
	m.time = t;
	return m;
}

/* Enough dialogs, grown in turns, to fill both slabs (32K ids) and go on
 * in big arrays: small ones past the slabs grow in place, and each dialog
 * still lists exactly its own messages, in order. */
START_TEST(test_past_the_slabs)
{
	static const struct msg_kept none;
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	enum { ND = 3000 };
	size_t want[ND], i, k, round, maxn = 0;
	struct msg m;
	uint32_t id;

	for (i = 0; i < ND; i++) {
		want[i] = 1 + (i * 7) % 23;	/* 1 .. 23 */
		if (i % 500 == 0)
			want[i] = 300;		/* some past the pooled sizes */
		if (want[i] > maxn)
			maxn = want[i];
	}
	for (round = 0; round < maxn; round++) {
		for (i = 0; i < ND; i++) {
			if (round >= want[i])
				continue;
			m = mk((uint32_t)i + 1, (int64_t)round);
			id = msgindex_append(ix, &m, 1, 0);
			ck_assert_uint_eq(dialogs_add(ds, ix, id, &none), i);
		}
	}
	ck_assert_uint_eq(ds->nslabs, DIALOG_MAX_SLABS);
	/* Small arrays were made past the slabs, not only the large ones. */
	ck_assert_uint_gt(ds->nbig, ND / 500);
	ck_assert_uint_eq(dialogs_count(ds), ND);
	for (i = 0; i < ND; i++) {
		const struct dialog *d = dialogs_get(ds, (uint32_t)i);
		const uint32_t *ids = dialogs_msgs(ds, d);

		ck_assert_uint_eq(d->nmsgs, want[i]);
		ck_assert_uint_eq(dialogs_call_id(ds, ix, d), i + 1);
		for (k = 0; k < d->nmsgs; k++) {
			ck_assert_uint_eq(msgindex_get(ix, ids[k])->call_id,
					  i + 1);
			ck_assert_int_eq(msgindex_get(ix, ids[k])->time,
					 (int64_t)k);
			if (k > 0)
				ck_assert_uint_lt(ids[k - 1], ids[k]);
		}
	}
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
