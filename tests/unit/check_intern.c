/* Unit tests for intern: ids are stable, dense and found again. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* This suite builds its own intern.c with room for 3 blocks, so that
 * the move to separately stored strings happens within a test. */
#define INTERN_MAX_BLOCKS 3
#include "../../src/core/intern.c"

START_TEST(test_basic)
{
	struct intern *t = intern_new();
	uint32_t a, b;
	size_t n;

	ck_assert_uint_eq(intern_add(t, "x", 0), 0);
	ck_assert_str_eq(intern_str(t, 0, &n), "");
	ck_assert_uint_eq(n, 0);
	a = intern_add(t, "REGISTER", 8);
	b = intern_add(t, "INVITE", 6);
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 2);
	ck_assert_uint_eq(intern_add(t, "REGISTERX", 8), a);
	ck_assert_uint_eq(intern_lookup(t, "INVITE", 6), b);
	ck_assert_uint_eq(intern_lookup(t, "invite", 6), 0);
	ck_assert_str_eq(intern_str(t, a, &n), "REGISTER");
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(intern_count(t), 3);
	/* Out of range ids read as "". */
	ck_assert_str_eq(intern_str(t, 999, NULL), "");
	intern_free(t);
	intern_free(NULL);
}
END_TEST

START_TEST(test_many)
{
	struct intern *t = intern_new();
	char buf[64];
	const char *first;
	uint32_t i, id;

	first = intern_str(t, intern_add(t, "call-0", 6), NULL);
	for (i = 0; i < 200000; i++) {
		int n = snprintf(buf, sizeof buf, "call-%u", i);
		id = intern_add(t, buf, (size_t)n);
		ck_assert_uint_eq(id, i + 1);
	}
	for (i = 0; i < 200000; i += 997) {
		int n = snprintf(buf, sizeof buf, "call-%u", i);
		ck_assert_uint_eq(intern_lookup(t, buf, (size_t)n), i + 1);
		ck_assert_str_eq(intern_str(t, i + 1, NULL), buf);
	}
	/* The slots grew by half each time they were three quarters full:
	 * at least half full now. */
	ck_assert_uint_ge(t->nstrs * 2, t->nslots);
	ck_assert_uint_le(t->nstrs * 4, t->nslots * 3);
	/* Strings never move. */
	ck_assert_str_eq(first, "call-0");
	ck_assert_ptr_eq(first, intern_str(t, 1, NULL));
	intern_free(t);
}
END_TEST

START_TEST(test_binary)
{
	struct intern *t = intern_new();
	uint32_t a = intern_add(t, "a\0b", 3), b = intern_add(t, "a\0c", 3);
	size_t n;

	ck_assert_uint_ne(a, b);
	ck_assert_int_eq(memcmp(intern_str(t, a, &n), "a\0b", 3), 0);
	ck_assert_uint_eq(n, 3);
	intern_free(t);
}
END_TEST

/* Strings of every size, across block ends, past the blocks' room and
 * longer than half a block: all are found again after the rehashes, with
 * their bytes, and none moves. */
static size_t
sized_string(char *buf, size_t i, const size_t *sizes, size_t nsz)
{
	size_t n = sizes[i % nsz];

	memset(buf, 'a' + (int)(i % 26), n);
	snprintf(buf, 12, "%06zu", i);	/* short ones keep a prefix */
	buf[6] = '-';
	return n;
}

START_TEST(test_sizes)
{
	struct intern *t = intern_new();
	enum { N = 3000 };
	static uint32_t ids[N];
	static const char *at[N];
	/* A length below 255 takes a byte before the string, others 5. */
	size_t sizes[] = { 1, 7, 100, 254, 255, 5000, INTERN_BLOCK / 2 - 1,
			   INTERN_BLOCK / 2, INTERN_BLOCK + 3 };
	size_t i, n, nsz = sizeof sizes / sizeof sizes[0];
	char *buf = malloc(INTERN_BLOCK + 16);
	const char *p;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < N; i++) {
		n = sized_string(buf, i, sizes, nsz);
		ids[i] = intern_add(t, buf, n);
		at[i] = intern_str(t, ids[i], NULL);
	}
	/* 3000 strings, a seventh of them over a block: the 3 blocks are
	 * full long before the end. */
	ck_assert_uint_eq(t->nblocks, INTERN_MAX_BLOCKS);
	ck_assert_uint_gt(t->nfar, N / nsz * 2);
	for (i = 0; i < N; i++) {
		n = sized_string(buf, i, sizes, nsz);
		ck_assert_uint_eq(intern_lookup(t, buf, n), ids[i]);
		ck_assert_uint_eq(intern_add(t, buf, n), ids[i]);
		p = intern_str(t, ids[i], &n);
		ck_assert_uint_eq(n, sizes[i % nsz]);
		ck_assert_ptr_eq(p, at[i]);
		ck_assert_int_eq(memcmp(p, buf, n), 0);
		ck_assert_int_eq(p[n], '\0');
	}
	free(buf);
	intern_free(t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("intern");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_binary);
	tcase_add_test(tc, test_sizes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
