/* Unit tests for msgindex and dialog: append across blocks, sort by time,
 * grouping by Call-ID and the outcome of the initial transaction. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "msgindex.h"
#include "dialog.h"

static struct msg
mk(uint32_t call_id, int kind, uint32_t method, uint16_t status, int64_t t)
{
	struct msg m;

	memset(&m, 0, sizeof m);
	m.call_id = call_id;
	m.kind = (uint8_t)kind;
	m.method = method;
	m.status = status;
	m.time = t;
	return m;
}

START_TEST(test_append_blocks)
{
	struct msgindex *ix = msgindex_new();
	struct msg m = mk(1, MSG_REQUEST, 1, 0, 0);
	struct msg *first;
	uint32_t i;

	first = msgindex_get(ix, msgindex_append(ix, &m));
	for (i = 1; i < 200000; i++) {
		m.line = i;
		ck_assert_uint_eq(msgindex_append(ix, &m), i);
	}
	ck_assert_uint_eq(msgindex_count(ix), 200000);
	ck_assert_ptr_eq(first, msgindex_get(ix, 0));
	ck_assert_uint_eq(msgindex_get(ix, 150000)->line, 150000);
	ck_assert_ptr_null(msgindex_get(ix, 200000));
	msgindex_free(ix);
}
END_TEST

START_TEST(test_sort)
{
	struct msgindex *ix = msgindex_new();
	struct msg m;
	uint32_t *perm;

	/* file 0: t=10, t=30, (none); file 1: t=20, t=5 */
	m = mk(1, MSG_REQUEST, 1, 0, 10); m.file = 0; m.line = 1; msgindex_append(ix, &m);
	m = mk(1, MSG_REQUEST, 1, 0, 30); m.file = 0; m.line = 2; msgindex_append(ix, &m);
	m = mk(1, MSG_REQUEST, 1, 0, TIME_NONE); m.file = 0; m.line = 3; msgindex_append(ix, &m);
	m = mk(1, MSG_REQUEST, 1, 0, 20); m.file = 1; m.line = 1; msgindex_append(ix, &m);
	m = mk(1, MSG_REQUEST, 1, 0, 5); m.file = 1; m.line = 2; msgindex_append(ix, &m);
	perm = msgindex_sort_by_time(ix);
	ck_assert_uint_eq(perm[0], 4);
	ck_assert_uint_eq(perm[1], 0);
	ck_assert_uint_eq(perm[2], 3);
	ck_assert_uint_eq(perm[3], 1);
	ck_assert_uint_eq(perm[4], 2);	/* untimed stays after its neighbour */
	ck_assert_int_eq(msgindex_get(ix, 0)->time, 5);
	ck_assert_uint_eq(msgindex_get(ix, 4)->line, 3);
	free(perm);
	msgindex_free(ix);
}
END_TEST

START_TEST(test_severity_names)
{
	ck_assert_str_eq(severity_name(SEV_BENIGN), "benign");
	ck_assert_str_eq(severity_name((enum severity)99), "none");
	ck_assert_int_eq(severity_from_name("ERROR", 5), SEV_ERROR);
	ck_assert_int_eq(severity_from_name("err", 3), -1);
}
END_TEST

enum { REGISTER = 1, INVITE = 2, ACK = 3, BYE = 4 };

START_TEST(test_dialog_registration)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	struct msg m;
	struct dialog *d;
	uint32_t id;
	int i;
	static const struct { int kind; uint16_t status; } seq[] = {
		{ MSG_REQUEST, 0 }, { MSG_RESPONSE, 401 }, { MSG_REQUEST, 0 },
		{ MSG_RESPONSE, 401 }, { MSG_REQUEST, 0 }, { MSG_RESPONSE, 200 },
	};

	for (i = 0; i < 6; i++) {
		m = mk(7, seq[i].kind, REGISTER, seq[i].status, 1000 + i);
		m.from = 9;
		id = msgindex_append(ix, &m);
		ck_assert_uint_eq(dialogs_add(ds, ix, id), 0);
		if (i == 1)
			ck_assert_uint_eq(dialogs_get(ds, 0)->outcome, 401);
	}
	/* A message without Call-ID has no dialog. */
	m = mk(0, MSG_REQUEST, INVITE, 0, 2000);
	id = msgindex_append(ix, &m);
	ck_assert_uint_eq(dialogs_add(ds, ix, id), NO_DIALOG);
	ck_assert_uint_eq(dialogs_of(ds, msgindex_get(ix, id)), NO_DIALOG);

	ck_assert_uint_eq(dialogs_count(ds), 1);
	d = dialogs_get(ds, 0);
	ck_assert_uint_eq(d->nmsgs, 6);
	ck_assert_uint_eq(d->kind, REGISTER);
	ck_assert_uint_eq(d->outcome, 200);
	ck_assert_uint_eq(d->from, 9);
	ck_assert_int_eq(d->first, 1000);
	ck_assert_int_eq(d->last, 1005);
	ck_assert_uint_eq(dialogs_by_call_id(ds, 7), 0);
	ck_assert_uint_eq(dialogs_by_call_id(ds, 8), NO_DIALOG);
	ck_assert_ptr_null(dialogs_get(ds, 1));
	dialogs_free(ds);
	msgindex_free(ix);
}
END_TEST

START_TEST(test_dialog_call_outcome)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	struct msg m;
	uint32_t id;

	/* A response seen before its request, a 486 then a later BYE 200:
	 * the outcome is the INVITE's final answer. */
	m = mk(3, MSG_RESPONSE, INVITE, 100, 1); id = msgindex_append(ix, &m); dialogs_add(ds, ix, id);
	m = mk(3, MSG_REQUEST, INVITE, 0, 0); m.from = 5; id = msgindex_append(ix, &m); dialogs_add(ds, ix, id);
	m = mk(3, MSG_RESPONSE, INVITE, 486, 2); id = msgindex_append(ix, &m); dialogs_add(ds, ix, id);
	m = mk(3, MSG_REQUEST, ACK, 0, 3); id = msgindex_append(ix, &m); dialogs_add(ds, ix, id);
	m = mk(3, MSG_RESPONSE, INVITE, 200, 4); id = msgindex_append(ix, &m); dialogs_add(ds, ix, id);
	ck_assert_uint_eq(dialogs_get(ds, 0)->kind, INVITE);
	ck_assert_uint_eq(dialogs_get(ds, 0)->from, 5);
	ck_assert_uint_eq(dialogs_get(ds, 0)->outcome, 486);
	ck_assert_int_eq(dialogs_get(ds, 0)->first, 0);
	ck_assert_int_eq(dialogs_get(ds, 0)->last, 4);
	dialogs_free(ds);
	msgindex_free(ix);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("msgindex");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_append_blocks);
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_severity_names);
	tcase_add_test(tc, test_dialog_registration);
	tcase_add_test(tc, test_dialog_call_outcome);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
