/* Unit tests for spill: output that stays on the heap while small, moves
 * to an unlinked temporary file once it passes its chunk, and comes back
 * whole, mapped; a directory that cannot take the file, or a write that
 * fails half way, keeps the output complete on the heap with a note. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "spill.h"
#include "helpers.h"

static char tmpdir[64];

static void
setup(void)
{
	test_mkdtemp(tmpdir, "spill");
}

static void
teardown(void)
{
	test_rm_rf(tmpdir);
}

/* Writes n numbered lines through s as a transform would, checking
 * spill_pos() on the way; expect gets the same bytes. */
static void
write_lines(struct spill *s, struct strbuf *out, struct strbuf *expect,
	    size_t n)
{
	size_t i, pos;
	char line[32];

	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "line %zu\n", i);
		pos = spill_pos(s, out);
		ck_assert_uint_eq(pos, expect->len);
		strbuf_adds(out, line);
		strbuf_adds(expect, line);
		spill_maybe(s, out);
		ck_assert_uint_eq(spill_pos(s, out), expect->len);
	}
}

/* Ends the output and checks it came back whole on the heap, with a note
 * holding want_note (NULL: no note). */
static void
finish_on_heap(struct spill *s, struct strbuf *out, struct strbuf *expect,
	       const char *want_note)
{
	char *data, *note, *err = NULL;
	size_t len;
	int mapped;

	ck_assert_int_eq(spill_finish(s, out, &data, &len, &mapped, &note,
				      &err), 0);
	ck_assert_int_eq(mapped, 0);
	if (want_note == NULL)
		ck_assert_ptr_null(note);
	else
		ck_assert_ptr_nonnull(strstr(note, want_note));
	ck_assert_uint_eq(len, expect->len);
	ck_assert_int_eq(memcmp(data, expect->buf, len), 0);
	ck_assert_uint_eq(out->len, 0);
	free(data);
	free(note);
	spill_free(s);
	strbuf_free(expect);
}

static void
release(char *data, size_t len, int mapped)
{
	if (mapped)
		ck_assert_int_eq(munmap(data, len), 0);
	else
		free(data);
}

/* Below the chunk nothing is written: the heap buffer is handed over. */
START_TEST(test_small)
{
	struct spill s;
	struct strbuf out, expect;

	spill_init(&s, tmpdir, 1 << 20);
	strbuf_init(&out);
	strbuf_init(&expect);
	write_lines(&s, &out, &expect, 100);
	ck_assert_int_eq(s.fd, -1);
	finish_on_heap(&s, &out, &expect, NULL);
}
END_TEST

/* Past the chunk, the output moves to a file nobody else can see, and
 * comes back mapped; the spill is then ready for another output. */
START_TEST(test_spilled)
{
	struct spill s;
	struct strbuf out, expect;
	char *data, *note, *err = NULL;
	size_t len, round;
	int mapped;

	spill_init(&s, tmpdir, 100);
	for (round = 0; round < 2; round++) {
		strbuf_init(&out);
		strbuf_init(&expect);
		write_lines(&s, &out, &expect, 1000 + round);
		ck_assert_int_ge(s.fd, 0);
		ck_assert_uint_gt(s.written, 0);
		ck_assert_uint_lt(out.len, 100);
		ck_assert_uint_eq(test_dir_entries(tmpdir), 0);
		ck_assert_int_eq(spill_finish(&s, &out, &data, &len, &mapped,
					      &note, &err), 0);
		ck_assert_int_eq(mapped, 1);
		ck_assert_ptr_null(note);
		ck_assert_uint_eq(len, expect.len);
		ck_assert_int_eq(memcmp(data, expect.buf, len), 0);
		ck_assert_int_eq(s.fd, -1);
		ck_assert_uint_eq(s.written, 0);
		release(data, len, mapped);
		strbuf_free(&expect);
	}
	ck_assert_uint_eq(test_dir_entries(tmpdir), 0);
	spill_free(&s);
}
END_TEST

/* No directory: never spill; a missing one: the output stays on the heap,
 * complete, and the note says why. */
START_TEST(test_no_dir)
{
	struct spill s;
	struct strbuf out, expect;
	char *missing = xasprintf("%s/not-there", tmpdir);

	spill_init(&s, NULL, 10);
	strbuf_init(&out);
	strbuf_init(&expect);
	write_lines(&s, &out, &expect, 50);
	ck_assert_int_eq(s.fd, -1);
	finish_on_heap(&s, &out, &expect, NULL);

	spill_init(&s, missing, 10);
	strbuf_init(&out);
	strbuf_init(&expect);
	write_lines(&s, &out, &expect, 50);
	ck_assert_int_eq(s.fd, -1);
	finish_on_heap(&s, &out, &expect, "cannot create a temporary file in "
		       "/tmp/sipsnoop-spill.");
	free(missing);
}
END_TEST

/* In a child whose files may not pass 1000 bytes (as a full disk would
 * stop them): 0 when the output came back whole, on the heap, with a note
 * that the write failed, else which check failed. */
static int
write_fails_child(void)
{
	struct spill s;
	struct strbuf out, expect;
	struct rlimit rl = { 1000, 1000 };
	char *data, *note, *err = NULL, line[32];
	size_t len, i;
	int mapped;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return 1;
	spill_init(&s, tmpdir, 64);
	strbuf_init(&out);
	strbuf_init(&expect);
	for (i = 0; i < 500; i++) {
		snprintf(line, sizeof line, "line %zu\n", i);
		strbuf_adds(&out, line);
		strbuf_adds(&expect, line);
		spill_maybe(&s, &out);
		if (spill_pos(&s, &out) != expect.len)
			return 2;
	}
	if (s.written != 1000)
		return 3;
	if (spill_finish(&s, &out, &data, &len, &mapped, &note, &err) != 0)
		return 4;
	if (mapped || note == NULL ||
	    strstr(note, "cannot write a temporary file") == NULL)
		return 5;
	if (len != expect.len || memcmp(data, expect.buf, len) != 0)
		return 6;
	return 0;
}

/* A write that fails half way: what was written is read back, the rest
 * joins it on the heap. */
START_TEST(test_write_fails)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(write_fails_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* A growing file: made with two pieces and mapped, appended to, read
 * back; nothing to write and a missing directory are errors that say
 * so. */
START_TEST(test_grow)
{
	char *map = NULL, *err = NULL, *missing, back[16];
	int fd;

	fd = spill_grow_new(tmpdir, "abc", 3, "de", 2, &map, &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(memcmp(map, "abcde", 5), 0);
	ck_assert_uint_eq(test_dir_entries(tmpdir), 0);	/* unlinked */
	ck_assert_int_eq(spill_append(fd, "fgh", 3, 5, &err), 0);
	ck_assert_int_eq(pread(fd, back, sizeof back, 0), 8);
	ck_assert_int_eq(memcmp(back, "abcdefgh", 8), 0);
	munmap(map, 5);
	close(fd);

	ck_assert_int_eq(spill_grow_new(tmpdir, "", 0, "", 0, &map, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot write a temporary file in "));
	ck_assert_ptr_nonnull(strstr(err, "(nothing to write)"));
	free(err);
	err = NULL;
	missing = xasprintf("%s/not-there", tmpdir);
	ck_assert_int_eq(spill_grow_new(missing, "a", 1, "", 0, &map, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot create a temporary file in "));
	ck_assert_ptr_nonnull(strstr(err, "/not-there (No such file or directory)"));
	free(err);
	err = NULL;
	free(missing);
	/* Closed: the write fails with the system's reason. */
	ck_assert_int_eq(spill_append(-1, "a", 1, 0, &err), -1);
	ck_assert_str_eq(err, "Bad file descriptor");
	free(err);
}
END_TEST

/* An output given up half way leaves nothing behind. */
START_TEST(test_discard)
{
	struct spill s;
	struct strbuf out, expect;

	spill_init(&s, tmpdir, 16);
	strbuf_init(&out);
	strbuf_init(&expect);
	write_lines(&s, &out, &expect, 100);
	ck_assert_int_ge(s.fd, 0);
	spill_discard(&s);
	ck_assert_int_eq(s.fd, -1);
	ck_assert_uint_eq(s.written, 0);
	ck_assert_uint_eq(spill_pos(&s, &out), out.len);
	spill_discard(NULL);
	ck_assert_uint_eq(spill_pos(NULL, &out), out.len);
	strbuf_free(&out);
	strbuf_free(&expect);
	spill_free(&s);
	ck_assert_uint_eq(test_dir_entries(tmpdir), 0);
}
END_TEST

static Suite *
spill_suite(void)
{
	Suite *s = suite_create("spill");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_small);
	tcase_add_test(tc, test_spilled);
	tcase_add_test(tc, test_no_dir);
	tcase_add_test(tc, test_write_fails);
	tcase_add_test(tc, test_discard);
	tcase_add_test(tc, test_grow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(spill_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
