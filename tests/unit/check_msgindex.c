/* Unit tests for msgindex and dialog: append across blocks, sort by time,
 * grouping by Call-ID and the outcome of the initial transaction. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "msgindex.h"
#include "dialog.h"
#include "helpers.h"

/* The method of the last entry made: msgindex_append() takes it. */
static uint32_t mk_method;

static struct msg
mk(uint32_t call_id, int kind, uint32_t method, uint16_t status, int64_t t)
{
	struct msg m;

	memset(&m, 0, sizeof m);
	m.call_id = call_id;
	m.kind = (uint8_t)kind;
	mk_method = method;
	m.status = status;
	m.time = t;
	return m;
}

/* URIs and endpoints for dialogs_add(). */
static const struct msg_kept none, user9 = { .from = 9, .to = 9 },
    five_six = { .from = 5, .to = 6 };

START_TEST(test_append_blocks)
{
	struct msgindex *ix = msgindex_new();
	struct msg m = mk(1, MSG_REQUEST, 1, 0, 0);
	struct msg *first;
	uint32_t i;

	first = msgindex_get(ix, msgindex_append(ix, &m, 1, 0));
	for (i = 1; i < 200000; i++)
		ck_assert_uint_eq(msgindex_append(ix, &m, 1, i), i);
	ck_assert_uint_eq(msgindex_count(ix), 200000);
	ck_assert_ptr_eq(first, msgindex_get(ix, 0));
	/* Lengths of 64 KiB and more are kept apart. */
	ck_assert_uint_eq(msgindex_len(ix, 150000), 150000);
	ck_assert_uint_eq(msgindex_len(ix, 65534), 65534);
	ck_assert_uint_eq(msgindex_len(ix, 65535), 65535);
	ck_assert_uint_eq(msgindex_len(ix, 199999), 199999);
	ck_assert_uint_eq(msgindex_method(ix, 199999), 1);
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
	m = mk(1, MSG_REQUEST, 1, 0, 10); m.file = 0; m.off = 1; msgindex_append(ix, &m, mk_method, 0);
	m = mk(1, MSG_REQUEST, 1, 0, 30); m.file = 0; m.off = 2; msgindex_append(ix, &m, mk_method, 0);
	m = mk(1, MSG_REQUEST, 1, 0, TIME_NONE); m.file = 0; m.off = 3; msgindex_append(ix, &m, mk_method, 0);
	m = mk(1, MSG_REQUEST, 1, 0, 20); m.file = 1; m.off = 1; msgindex_append(ix, &m, mk_method, 0);
	m = mk(1, MSG_REQUEST, 1, 0, 5); m.file = 1; m.off = 2; msgindex_append(ix, &m, mk_method, 0);
	perm = msgindex_sort_by_time(ix);
	ck_assert_uint_eq(perm[0], 4);
	ck_assert_uint_eq(perm[1], 0);
	ck_assert_uint_eq(perm[2], 3);
	ck_assert_uint_eq(perm[3], 1);
	ck_assert_uint_eq(perm[4], 2);	/* untimed stays after its neighbour */
	ck_assert_int_eq(msgindex_get(ix, 0)->time, 5);
	ck_assert_uint_eq(msgindex_get(ix, 4)->off, 3);
	free(perm);
	msgindex_free(ix);
}
END_TEST

/* An entry has a byte for its method and 16 bits for its length: past 254
 * methods and from 64 KiB, the index keeps them apart, by id, and a sort
 * takes them along with their entries. */
START_TEST(test_apart)
{
	struct msgindex *ix = msgindex_new();
	struct msg m;
	uint32_t *perm, i, n = 700, old;

	for (i = 0; i < n; i++) {
		/* 350 methods, each twice; times going back. */
		m = mk(1, MSG_REQUEST, 0, 0, (int64_t)(n - i));
		m.off = i;
		msgindex_append(ix, &m, 1000 + i % 350,
				i % 3 == 0 ? 70000 + i : i);
	}
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(msgindex_method(ix, i), 1000 + i % 350);
		ck_assert_uint_eq(msgindex_len(ix, i),
				  i % 3 == 0 ? 70000 + i : i);
	}
	/* Set anew: to a method kept apart, and back. */
	msgindex_set(ix, 5, 5000, 65535);
	ck_assert_uint_eq(msgindex_method(ix, 5), 5000);
	ck_assert_uint_eq(msgindex_len(ix, 5), 65535);
	msgindex_set(ix, 5, 1005, 5);
	ck_assert_uint_eq(msgindex_method(ix, 5), 1005);
	ck_assert_uint_eq(msgindex_len(ix, 5), 5);
	msgindex_set(ix, 5, 0, 0);
	ck_assert_uint_eq(msgindex_method(ix, 5), 0);
	msgindex_set(ix, 5, 1005, 5);
	perm = msgindex_sort_by_time(ix);
	for (i = 0; i < n; i++) {
		old = perm[i];
		ck_assert_uint_eq(old, n - 1 - i);
		ck_assert_uint_eq(msgindex_get(ix, i)->off, old);
		ck_assert_uint_eq(msgindex_method(ix, i), 1000 + old % 350);
		ck_assert_uint_eq(msgindex_len(ix, i),
				  old % 3 == 0 ? 70000 + old : old);
	}
	free(perm);
	msgindex_free(ix);
}
END_TEST

/* A time is kept in 56 bits: within 1142 years of 1970; one further is
 * no time. */
START_TEST(test_time_fit)
{
	struct msgindex *ix = msgindex_new();
	struct msg m;
	static const int64_t t[] = {
		0, -1, 1, MSG_TIME_MAX, -MSG_TIME_MAX, TIME_NONE,
		INT64_C(1800000000) * 1000000,	/* 2027 */
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		m = mk(1, MSG_REQUEST, 1, 0, msg_time_fit(t[i]));
		msgindex_append(ix, &m, 1, 0);
		ck_assert_int_eq(msgindex_get(ix, (uint32_t)i)->time, t[i]);
	}
	ck_assert_int_eq(msg_time_fit(MSG_TIME_MAX + 1), TIME_NONE);
	ck_assert_int_eq(msg_time_fit(TIME_NONE - 1), TIME_NONE);
	ck_assert_int_eq(msg_time_fit(INT64_MAX), TIME_NONE);
	/* Year 0, which a save of a message without a time once wrote. */
	ck_assert_int_eq(msg_time_fit(time_from_civil(0, 1, 1, 0, 0, 0, 0)),
			 TIME_NONE);
	ck_assert_int_ne(msg_time_fit(time_from_civil(1000, 1, 1, 0, 0, 0, 0)),
			 TIME_NONE);
	ck_assert_int_ne(msg_time_fit(time_from_civil(3000, 1, 1, 0, 0, 0, 0)),
			 TIME_NONE);
	msgindex_free(ix);
}
END_TEST

/* A dialog's kind and auth scheme are byte codes too: past 254, kept
 * apart by dialog id. */
START_TEST(test_dialog_codes)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	struct msg m;
	uint32_t i, id, n = 300;

	for (i = 0; i < n; i++) {
		/* An answer first: the kind is its dialog's first request's. */
		m = mk(i + 1, MSG_RESPONSE, 9000, 200, i);
		id = msgindex_append(ix, &m, 9000, 0);
		ck_assert_uint_eq(dialogs_add(ds, ix, id, &none), i);
		m = mk(i + 1, MSG_REQUEST, 1000 + i, 0, i);
		id = msgindex_append(ix, &m, 1000 + i, 0);
		dialogs_add(ds, ix, id, &five_six);
		dialogs_set_auth(ds, dialogs_get(ds, i), 5000 + i);
	}
	for (i = 0; i < n; i++) {
		const struct dialog *d = dialogs_get(ds, i);

		ck_assert_uint_eq(dialogs_kind(ds, ix, d), 1000 + i);
		ck_assert_uint_eq(dialogs_auth(ds, d), 5000 + i);
	}
	dialogs_set_auth(ds, dialogs_get(ds, 299), 0);
	ck_assert_uint_eq(dialogs_auth(ds, dialogs_get(ds, 299)), 0);
	dialogs_free(ds);
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
	int64_t first, last;
	int i;
	static const struct { int kind; uint16_t status; } seq[] = {
		{ MSG_REQUEST, 0 }, { MSG_RESPONSE, 401 }, { MSG_REQUEST, 0 },
		{ MSG_RESPONSE, 401 }, { MSG_REQUEST, 0 }, { MSG_RESPONSE, 200 },
	};

	for (i = 0; i < 6; i++) {
		m = mk(7, seq[i].kind, REGISTER, seq[i].status, 1000 + i);
		id = msgindex_append(ix, &m, mk_method, 0);
		ck_assert_uint_eq(dialogs_add(ds, ix, id, &user9), 0);
		if (i == 1)
			ck_assert_uint_eq(dialogs_get(ds, 0)->outcome, 401);
	}
	/* A message without Call-ID has no dialog. */
	m = mk(0, MSG_REQUEST, INVITE, 0, 2000);
	id = msgindex_append(ix, &m, mk_method, 0);
	ck_assert_uint_eq(dialogs_add(ds, ix, id, &none), NO_DIALOG);
	ck_assert_uint_eq(dialogs_of(ds, msgindex_get(ix, id)), NO_DIALOG);

	ck_assert_uint_eq(dialogs_count(ds), 1);
	d = dialogs_get(ds, 0);
	ck_assert_uint_eq(d->nmsgs, 6);
	ck_assert_uint_eq(dialogs_kind(ds, ix, d), REGISTER);
	ck_assert_uint_eq(d->outcome, 200);
	ck_assert_uint_eq(d->from, 9);
	dialogs_times(ds, ix, d, &first, &last);
	ck_assert_int_eq(first, 1000);
	ck_assert_int_eq(last, 1005);
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
	int64_t first, last;

	/* A response seen before its request, a 486 then a later BYE 200:
	 * the outcome is the INVITE's final answer. */
	m = mk(3, MSG_RESPONSE, INVITE, 100, 1); id = msgindex_append(ix, &m, mk_method, 0); dialogs_add(ds, ix, id, &none);
	m = mk(3, MSG_REQUEST, INVITE, 0, 0); id = msgindex_append(ix, &m, mk_method, 0); dialogs_add(ds, ix, id, &five_six);
	m = mk(3, MSG_RESPONSE, INVITE, 486, 2); id = msgindex_append(ix, &m, mk_method, 0); dialogs_add(ds, ix, id, &none);
	m = mk(3, MSG_REQUEST, ACK, 0, 3); id = msgindex_append(ix, &m, mk_method, 0); dialogs_add(ds, ix, id, &none);
	m = mk(3, MSG_RESPONSE, INVITE, 200, 4); id = msgindex_append(ix, &m, mk_method, 0); dialogs_add(ds, ix, id, &none);
	ck_assert_uint_eq(dialogs_kind(ds, ix, dialogs_get(ds, 0)), INVITE);
	ck_assert_uint_eq(dialogs_get(ds, 0)->from, 5);
	ck_assert_uint_eq(dialogs_get(ds, 0)->outcome, 486);
	dialogs_times(ds, ix, dialogs_get(ds, 0), &first, &last);
	ck_assert_int_eq(first, 0);
	ck_assert_int_eq(last, 4);
	dialogs_free(ds);
	msgindex_free(ix);
}
END_TEST

/* Each message gets back the URIs and endpoints it was added with: the
 * dialog's, swapped, none, or others kept apart; a dialog whose first
 * request comes after other messages keeps those against its new From
 * and To. */
START_TEST(test_dialog_kept)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	static const struct {
		uint32_t call_id;
		int kind;
		struct msg_kept k;
		unsigned party, ruri, ends;	/* how, at the end */
	} add[] = {
		/* 0: before the request, no endpoints */
		{ 3, MSG_RESPONSE, { 20, 21, 0, 0, 0 },
		  KEPT_APART, KEPT_NONE, KEPT_NONE },
		/* 1: odd one; dialog 3's first endpoints */
		{ 3, MSG_RESPONSE, { 50, 51, 0, 80, 81 },
		  KEPT_APART, KEPT_NONE, KEPT_SAME },
		/* 2: dialog 4 */
		{ 4, MSG_REQUEST, { 30, 31, 70, 82, 83 },
		  KEPT_SAME, KEPT_SAME, KEPT_SAME },
		/* 3: dialog 3's first request */
		{ 3, MSG_REQUEST, { 10, 11, 71, 81, 80 },
		  KEPT_SAME, KEPT_SAME, KEPT_SWAP },
		/* 4: no dialog */
		{ 0, MSG_REQUEST, { 40, 41, 72, 84, 85 },
		  KEPT_APART, KEPT_APART, KEPT_APART },
		/* 5: from the callee, elsewhere */
		{ 3, MSG_REQUEST, { 11, 10, 73, 80, 86 },
		  KEPT_SWAP, KEPT_APART, KEPT_APART },
		/* 6: an event */
		{ 4, MSG_DIAG, { 0, 0, 0, 82, 0 },
		  KEPT_NONE, KEPT_NONE, KEPT_APART },
		/* 7: nothing, no dialog */
		{ 0, MSG_DIAG, { 0, 0, 0, 0, 0 },
		  KEPT_NONE, KEPT_NONE, KEPT_NONE },
		/* 8 */
		{ 3, MSG_RESPONSE, { 10, 11, 0, 80, 81 },
		  KEPT_SAME, KEPT_NONE, KEPT_SAME },
		/* 9: odd To, the answer's way */
		{ 4, MSG_REQUEST, { 30, 99, 70, 83, 82 },
		  KEPT_APART, KEPT_SAME, KEPT_SWAP },
		/* 10: dialog 5 starts with an event of one end, its peer */
		{ 5, MSG_DIAG, { 0, 0, 0, 87, 0 },
		  KEPT_NONE, KEPT_NONE, KEPT_APART },
		/* 11: its first two ends: the dialog's from now on */
		{ 5, MSG_REQUEST, { 12, 13, 74, 87, 88 },
		  KEPT_SAME, KEPT_SAME, KEPT_SAME },
		/* 12 */
		{ 5, MSG_RESPONSE, { 12, 13, 0, 88, 87 },
		  KEPT_SAME, KEPT_NONE, KEPT_SWAP },
	};
	enum { N = sizeof add / sizeof add[0] };
	/* dialogs_kept_changes() after each: a dialog made before changes
	 * its ends (1), its From, To and request URI (3), all three (11). */
	static const unsigned changes[N] = { 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
					     3, 3 };
	struct msg_kept k;
	struct msg m;
	const struct msg *x;
	uint32_t i, id, a, b, pass;
	size_t hint[3] = { 0 };

	for (i = 0; i < N; i++) {
		m = mk(add[i].call_id, add[i].kind, INVITE, 0, i);
		id = msgindex_append(ix, &m, mk_method, 0);
		dialogs_add(ds, ix, id, &add[i].k);
		ck_assert_uint_eq(dialogs_kept_changes(ds), changes[i]);
		/* Every message so far reads back what it was given. */
		for (id = 0; id <= i; id++) {
			dialogs_kept(ds, msgindex_get(ix, id), id, &k);
			ck_assert_int_eq(memcmp(&k, &add[id].k, sizeof k), 0);
		}
		/* Message 0 made dialog 3: the same until the request. */
		ck_assert_uint_eq(msgindex_get(ix, 0)->kept_party,
				  i < 3 ? KEPT_SAME : KEPT_APART);
	}
	for (i = 0; i < N; i++) {
		x = msgindex_get(ix, i);
		ck_assert_uint_eq(x->kept_party, add[i].party);
		ck_assert_uint_eq(x->kept_ruri, add[i].ruri);
		ck_assert_uint_eq(x->kept_ends, add[i].ends);
	}
	/* What is kept apart reads back part by part, with the hints kept
	 * from one look to the next: in id order, then backwards (each
	 * hint then past the id), then again forwards. */
	for (pass = 0; pass < 3 * N; pass++) {
		i = pass / N == 1 ? N - 1 - pass % N : pass % N;
		x = msgindex_get(ix, i);
		if (x->kept_party == KEPT_APART) {
			dialogs_apart(ds, DIALOG_PARTY, i, &a, &b, &hint[0]);
			ck_assert_uint_eq(a, add[i].k.from);
			ck_assert_uint_eq(b, add[i].k.to);
		}
		if (x->kept_ruri == KEPT_APART) {
			dialogs_apart(ds, DIALOG_RURI, i, &a, &b, &hint[1]);
			ck_assert_uint_eq(a, add[i].k.ruri);
			ck_assert_uint_eq(b, 0);
		}
		if (x->kept_ends == KEPT_APART) {
			dialogs_apart(ds, DIALOG_ENDS, i, &a, &b, &hint[2]);
			ck_assert_uint_eq(a, add[i].k.src);
			ck_assert_uint_eq(b, add[i].k.dst);
		}
		/* Nothing apart: nothing read, whatever the hint. */
		if (x->kept_ends != KEPT_APART) {
			dialogs_apart(ds, DIALOG_ENDS, i, &a, &b, &hint[2]);
			ck_assert_uint_eq(a, 0);
			ck_assert_uint_eq(b, 0);
		}
	}
	ck_assert_uint_eq(dialogs_get(ds, 1)->ruri, 70);
	ck_assert_uint_eq(dialogs_get(ds, 0)->from, 10);
	ck_assert_uint_eq(dialogs_get(ds, 0)->to, 11);
	ck_assert_uint_eq(dialogs_get(ds, 0)->src, 80);
	ck_assert_uint_eq(dialogs_get(ds, 2)->src, 87);
	ck_assert_uint_eq(dialogs_get(ds, 2)->dst, 88);
	dialogs_free(ds);
	msgindex_free(ix);
}
END_TEST

/* dialogs_apart() over a long table: every hint a look can leave (ids in
 * order by steps of any size, backwards, at random) finds the same. */
START_TEST(test_dialog_apart_hint)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	static const uint32_t steps[] = { 1, 2, 7, 64, 999 };
	struct msg_kept k;
	struct msg m;
	uint32_t i, id, a, b, s, r = 12345;
	size_t hint, j;

	for (i = 0; i < 1000; i++) {
		/* Messages without a Call-ID keep everything apart; every
		 * third has nothing, so no entry. */
		k = (struct msg_kept){ 0 };
		if (i % 3 != 0)
			k = (struct msg_kept){ i + 1, i + 2, i + 3, i + 4,
					       i + 5 };
		m = mk(0, MSG_REQUEST, INVITE, 0, i);
		id = msgindex_append(ix, &m, mk_method, 0);
		dialogs_add(ds, ix, id, &k);
	}
	for (j = 0; j < sizeof steps / sizeof steps[0]; j++) {
		for (s = 0; s < steps[j]; s++) {
			hint = 0;
			for (i = s; i < 1000; i += steps[j]) {
				dialogs_apart(ds, DIALOG_PARTY, i, &a, &b,
					      &hint);
				ck_assert_uint_eq(a, i % 3 ? i + 1 : 0);
				ck_assert_uint_eq(b, i % 3 ? i + 2 : 0);
			}
		}
	}
	for (hint = 0, i = 1000; i-- > 0;) {
		dialogs_apart(ds, DIALOG_ENDS, i, &a, &b, &hint);
		ck_assert_uint_eq(a, i % 3 ? i + 4 : 0);
	}
	for (hint = 0, j = 0; j < 5000; j++) {
		r = r * 1103515245u + 12345u;
		i = (r >> 8) % 1000;
		dialogs_apart(ds, DIALOG_RURI, i, &a, &b, &hint);
		ck_assert_uint_eq(a, i % 3 ? i + 3 : 0);
		ck_assert_uint_eq(b, 0);
	}
	/* A hint past the table, as a stale one could be. */
	hint = 5000;
	dialogs_apart(ds, DIALOG_PARTY, 998, &a, &b, &hint);
	ck_assert_uint_eq(a, 999);
	dialogs_free(ds);
	msgindex_free(ix);
}
END_TEST

/* Dialogs of every length up to well past the pooled sizes, grown in
 * turns (each growth frees an array another dialog reuses): each keeps
 * exactly its own messages, in order. */
START_TEST(test_dialog_arrays)
{
	struct msgindex *ix = msgindex_new();
	struct dialogs *ds = dialogs_new();
	enum { ND = 60 };
	size_t want[ND], i;

	for (i = 0; i < ND; i++)
		want[i] = i * i / 4 + 1;	/* 1 .. 871 */
	test_dialogs_grow(ds, ix, want, ND);
	test_dialogs_check(ds, ix, want, ND);
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
	tcase_add_test(tc, test_apart);
	tcase_add_test(tc, test_time_fit);
	tcase_add_test(tc, test_dialog_codes);
	tcase_add_test(tc, test_severity_names);
	tcase_add_test(tc, test_dialog_registration);
	tcase_add_test(tc, test_dialog_kept);
	tcase_add_test(tc, test_dialog_apart_hint);
	tcase_add_test(tc, test_dialog_arrays);
	tcase_add_test(tc, test_dialog_call_outcome);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
