/* Unit tests for source: mapped regular files, empty files, the messages
 * for missing, unreadable and directory inputs, FIFOs and stdin. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "spill.h"
#include "util.h"
#include "helpers.h"

static char tmpdir[64];

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/check_source.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static char *
write_file(const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(test_regular_file)
{
	static const char text[] = "REGISTER sip:uclab.org SIP/2.0\r\n\r\n";
	char *path = write_file("a.log", text, sizeof text - 1), *err = NULL;
	struct source *src;

	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(src->mapped, 1);
	ck_assert_uint_eq(src->len, sizeof text - 1);
	ck_assert(memcmp(src->data, text, src->len) == 0);
	ck_assert_str_eq(src->path, path);
	source_free(src);
	free(path);
}
END_TEST

START_TEST(test_empty_file)
{
	char *path = write_file("empty.log", "", 0), *err = NULL;
	struct source *src;

	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(src->len, 0);
	source_free(src);
	free(path);
}
END_TEST

/* Files that say they are empty but are not (/proc) are read, not
 * mapped. */
START_TEST(test_size_zero_with_content)
{
	struct source *src;
	char *err = NULL;

	if (access("/proc/self/status", R_OK) != 0)
		return;
	src = source_open("/proc/self/status", &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(src->mapped, 0);
	ck_assert_uint_gt(src->len, 0);
	ck_assert(memcmp(src->data, "Name:", 5) == 0);
	source_free(src);
}
END_TEST

START_TEST(test_missing_file)
{
	char *path = xasprintf("%s/no-such.log", tmpdir), *err = NULL;

	ck_assert_ptr_null(source_open(path, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
	free(err);
	free(path);
}
END_TEST

START_TEST(test_directory_refused)
{
	char *err = NULL;

	ck_assert_ptr_null(source_open(tmpdir, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, tmpdir));
	ck_assert_ptr_nonnull(strstr(err, "directory"));
	free(err);
}
END_TEST

START_TEST(test_unreadable_file)
{
	char *path = write_file("secret.log", "x\n", 2), *err = NULL;

	/* root reads anything: nothing to test then. */
	if (geteuid() == 0) {
		free(path);
		return;
	}
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_ptr_null(source_open(path, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, strerror(EACCES)));
	free(err);
	free(path);
}
END_TEST

/* Writes n bytes of a known pattern to fd from a child process. */
static pid_t
feed(const char *path, int fd, size_t n)
{
	pid_t pid = fork();
	char buf[4096];
	size_t i, done = 0, k;

	ck_assert_int_ne(pid, -1);
	if (pid != 0)
		return pid;
	if (path != NULL)
		fd = open(path, O_WRONLY);
	if (fd == -1)
		_exit(1);
	while (done < n) {
		k = n - done < sizeof buf ? n - done : sizeof buf;
		for (i = 0; i < k; i++)
			buf[i] = (char)('a' + (done + i) % 26);
		if (write(fd, buf, k) != (ssize_t)k)
			_exit(1);
		done += k;
	}
	close(fd);
	_exit(0);
}

static void
check_pattern_in(const struct source *src, size_t n, int mapped)
{
	size_t i;

	ck_assert_uint_eq(src->len, n);
	ck_assert_int_eq(src->mapped, mapped);
	for (i = 0; i < n; i++) {
		if (src->data[i] != (char)('a' + i % 26))
			ck_abort_msg("byte %zu differs", i);
	}
}

static void
check_pattern(const struct source *src, size_t n)
{
	check_pattern_in(src, n, 0);
}

START_TEST(test_fifo)
{
	char *path = xasprintf("%s/fifo", tmpdir), *err = NULL;
	struct source *src;
	pid_t pid;
	int status;
	size_t n = 300000;	/* more than any single pipe buffer */

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	pid = feed(path, -1, n);
	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_null(err);
	check_pattern(src, n);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	source_free(src);
	free(path);
}
END_TEST

/* A pipe read through a spill (engine_set_spill) ends mapped from its
 * temporary file, with the same bytes; one too short for a chunk stays on
 * the heap. */
START_TEST(test_fifo_spill)
{
	char *path = xasprintf("%s/fifo", tmpdir), *err = NULL;
	struct source *src;
	struct spill sp;
	pid_t pid;
	int status, big;

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	for (big = 1; big >= 0; big--) {
		size_t n = big ? 300000 : 1000;

		spill_init(&sp, tmpdir, 4096);
		pid = feed(path, -1, n);
		src = source_open_spill(path, &sp, &err);
		spill_free(&sp);
		ck_assert_ptr_nonnull(src);
		ck_assert_ptr_null(src->note);
		check_pattern_in(src, n, big);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		source_free(src);
	}
	free(path);
}
END_TEST

START_TEST(test_stdin_pipe)
{
	struct source *src;
	char *err = NULL;
	int fds[2], saved, status;
	pid_t pid;
	size_t n = 100000;

	ck_assert_int_eq(pipe(fds), 0);
	pid = feed(NULL, fds[1], n);
	close(fds[1]);
	saved = stdin_from(fds[0]);
	src = source_open("-", &err);
	stdin_restore(saved);
	ck_assert_ptr_nonnull(src);
	ck_assert_str_eq(src->path, "-");
	check_pattern(src, n);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	source_free(src);
}
END_TEST

/* Lazily, only the start of a pipe is read; source_read_rest() reads the
 * rest, all of it, or gives up when told to stop. A pipe shorter than
 * the start is read whole at once. */
START_TEST(test_stdin_pipe_lazy)
{
	struct source *src;
	char *err = NULL, *out, *note;
	int fds[2], saved, status, mapped, stop = 0;
	pid_t pid;
	size_t n = 100000, len, i, progress = 0, sizes[] = { 100000, 1000 };
	struct source whole;

	for (i = 0; i < 2; i++) {
		n = sizes[i];
		ck_assert_int_eq(pipe(fds), 0);
		pid = feed(NULL, fds[1], n);
		close(fds[1]);
		saved = stdin_from(fds[0]);
		src = source_open_lazy("-", NULL, &err);
		ck_assert_ptr_nonnull(src);
		if (n < 16384) {
			ck_assert_int_eq(src->pending, 0);
			check_pattern(src, n);
		} else {
			ck_assert_int_eq(src->pending, 1);
			ck_assert_uint_eq(src->len, 16384);
			check_pattern(src, src->len);
			ck_assert_int_eq(source_read_rest(src, NULL, &out,
			    &len, &mapped, &note, &err, &progress, &stop), 0);
			ck_assert_ptr_null(note);
			ck_assert_uint_eq(progress, n);
			whole = (struct source){ .data = out, .len = len };
			check_pattern(&whole, n);
			free(out);
			/* What is left of the pipe is nothing: its end. */
			stop = 1;
			ck_assert_int_eq(source_read_rest(src, NULL, &out,
			    &len, &mapped, &note, &err, NULL, &stop), -1);
			ck_assert_str_eq(err, "stopped");
			free(err);
			err = NULL;
			stop = 0;
		}
		stdin_restore(saved);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		source_free(src);
	}
}
END_TEST

struct rest_arg {
	struct source *src;
	int stop;
	int rc;
	char *err;
};

static void *
rest_thread(void *arg)
{
	struct rest_arg *a = arg;
	char *out = NULL, *note = NULL;
	size_t len;
	int mapped;

	a->rc = source_read_rest(a->src, NULL, &out, &len, &mapped, &note,
				 &a->err, NULL, &a->stop);
	free(out);
	free(note);
	return NULL;
}

static void
on_usr1(int sig)
{
	(void)sig;
}

/* Standard input from a socket that gives text, then fails: its peer is
 * closed with data it never read, so that the next read gets ECONNRESET
 * (a connection reset, as a terminal gone gives EIO). Returns the saved
 * standard input (stdin_restore). */
static int
stdin_failing(const char *text)
{
	int sv[2];
	size_t n = strlen(text);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[0], "x", 1), 1);	/* left unread */
	ck_assert_int_eq(write(sv[1], text, n), (ssize_t)n);
	close(sv[1]);
	return stdin_from(sv[0]);
}

/* A read that fails part way keeps what came before it (it dropped all of
 * it, and the input was refused), and the note says where it stopped: read
 * whole, lazily (its start) and as it comes. Before any byte it is still
 * an error. */
START_TEST(test_read_fails_part_way)
{
	static const char text[] = "line one\nline two\nthree";
	static const char want[] = "read failed after 23 bytes, in line 3 "
	    "(Connection reset by peer): what was read before is shown";
	struct source *src;
	char *err = NULL;
	int saved;

	saved = stdin_failing(text);
	src = source_open("-", &err);
	stdin_restore(saved);
	ck_assert_ptr_nonnull(src);
	ck_assert_uint_eq(src->len, strlen(text));
	ck_assert_int_eq(memcmp(src->data, text, src->len), 0);
	ck_assert_str_eq(src->note, want);
	source_free(src);

	saved = stdin_failing(text);
	src = source_open_lazy("-", NULL, &err);
	stdin_restore(saved);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(src->pending, 0);
	ck_assert_uint_eq(src->len, strlen(text));
	ck_assert_str_eq(src->note, want);
	source_free(src);

	saved = stdin_failing(text);
	src = source_open_stream("-", &err);
	ck_assert_ptr_nonnull(src);
	while (src->pending)
		ck_assert_int_ge(source_read_some(src, 4096, -1, &err), 0);
	stdin_restore(saved);
	ck_assert_uint_eq(src->len, strlen(text));
	ck_assert_int_eq(memcmp(src->data, text, src->len), 0);
	ck_assert_str_eq(src->note, want);
	source_free(src);

	saved = stdin_failing("");
	src = source_open("-", &err);
	stdin_restore(saved);
	ck_assert_ptr_null(src);
	ck_assert_str_eq(err, "standard input: Connection reset by peer");
	free(err);
}
END_TEST

/* Reading the rest of a pipe whose writer holds back gives up when told
 * to stop, also after signals interrupted its waiting (a signal must not
 * leave it blocked in read until the writer goes on). */
START_TEST(test_stop_after_signals)
{
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	struct sigaction sa, old;
	struct rest_arg a = { 0 };
	pthread_t th;
	int fds[2], hold[2], saved, status, i;
	char *err = NULL, c;
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;	/* no SA_RESTART */
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, &old), 0);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(pipe(hold), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		char buf[20000];

		close(fds[0]);
		close(hold[1]);
		memset(buf, 'x', sizeof buf);
		if (write(fds[1], buf, sizeof buf) != (ssize_t)sizeof buf ||
		    read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	close(hold[0]);
	saved = stdin_from(fds[0]);
	a.src = source_open_lazy("-", NULL, &err);
	ck_assert_ptr_nonnull(a.src);
	ck_assert_int_eq(a.src->pending, 1);
	ck_assert_int_eq(pthread_create(&th, NULL, rest_thread, &a), 0);
	for (i = 0; i < 40; i++) {
		pthread_kill(th, SIGUSR1);
		nanosleep(&tick, NULL);
	}
	__atomic_store_n(&a.stop, 1, __ATOMIC_RELAXED);
	/* Within Check's timeout, though the writer still holds back. */
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(a.rc, -1);
	ck_assert_str_eq(a.err, "stopped");
	free(a.err);
	close(hold[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	stdin_restore(saved);
	source_free(a.src);
	sigaction(SIGUSR1, &old, NULL);
}
END_TEST

START_TEST(test_device_refused)
{
	char *err = NULL;

	ck_assert_ptr_null(source_open("/dev/zero", &err));
	ck_assert_str_eq(err, "/dev/zero: is a device, not a log file");
	free(err);
}
END_TEST

/* Another program truncates a mapped file while it is being read: with the
 * guard the bytes past the new end read as zeros and the source says so. */
START_TEST(test_truncated_while_mapped)
{
	size_t n = 1 << 20, i;
	char *big = xmalloc(n), *path, *err = NULL;
	struct source *src;
	unsigned long sum = 0;

	memset(big, 'x', n);
	path = write_file("shrinks.log", big, n);
	ck_assert_int_eq(source_guard(), 0);
	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(src->mapped, 1);
	ck_assert_int_eq(src->truncated, 0);
	ck_assert_int_eq(truncate(path, 100), 0);
	for (i = 0; i < src->len; i++)
		sum += (unsigned char)src->data[i];
	ck_assert_uint_eq(sum, 100ul * 'x');
	ck_assert_int_eq(src->truncated, 1);
	source_free(src);
	free(path);
	free(big);
}
END_TEST

/* Sum of the bytes of a source, read the way the readers do. */
static unsigned long
sum_bytes(const struct source *src)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < src->len; i++)
		sum += (unsigned char)src->data[i];
	return sum;
}

/* The guard keeps its mappings in blocks of slots that never move: with
 * many files open (several blocks), some freed and their slots given to
 * others, and one grown in place (source_remap), it still finds each
 * truncated mapping, and marks that source only. */
START_TEST(test_truncated_many_mapped)
{
	enum { NSRC = 50, LEN = 3 * 4096 };
	struct source *src[NSRC + 10];
	char *path[NSRC + 10], *data = xmalloc(2 * LEN), *err = NULL, name[32];
	size_t i;
	FILE *f;

	memset(data, 'x', 2 * LEN);
	ck_assert_int_eq(source_guard(), 0);
	for (i = 0; i < NSRC + 10; i++) {
		snprintf(name, sizeof name, "f%zu.log", i);
		path[i] = write_file(name, data, LEN);
	}
	for (i = 0; i < NSRC; i++) {
		src[i] = source_open(path[i], &err);
		ck_assert_ptr_nonnull(src[i]);
		ck_assert_int_eq(src[i]->mapped, 1);
	}
	/* Every other one freed, and their slots taken by ten more. */
	for (i = 0; i < NSRC; i += 2) {
		source_free(src[i]);
		src[i] = NULL;
	}
	for (i = NSRC; i < NSRC + 10; i++) {
		src[i] = source_open(path[i], &err);
		ck_assert_ptr_nonnull(src[i]);
	}
	/* The last file grows and is mapped again, maybe elsewhere. */
	f = fopen(path[NSRC - 1], "ab");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, LEN, f), LEN);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(source_remap(src[NSRC - 1], 2 * LEN), 0);
	/* Truncated: one in the first block, one in the last, one in a
	 * slot given again, and the grown one past its first length. */
	ck_assert_int_eq(truncate(path[1], 10), 0);
	/* (To 1 byte, not 0: under valgrind a fault on a mapping's very
	 * first page is not handed to the guard as the kernel gives it.) */
	ck_assert_int_eq(truncate(path[NSRC - 3], 1), 0);
	ck_assert_int_eq(truncate(path[NSRC + 9], 4096), 0);
	ck_assert_int_eq(truncate(path[NSRC - 1], LEN + 100), 0);
	for (i = 0; i < NSRC + 10; i++) {
		unsigned long want = (unsigned long)LEN * 'x';
		int cut = 1;

		if (src[i] == NULL)
			continue;
		if (i == 1)
			want = 10ul * 'x';
		else if (i == NSRC - 3)
			want = 'x';
		else if (i == NSRC + 9)
			want = 4096ul * 'x';
		else if (i == NSRC - 1)
			want = (LEN + 100ul) * 'x';
		else
			cut = 0;
		ck_assert_msg(sum_bytes(src[i]) == want, "source %zu", i);
		ck_assert_msg(src[i]->truncated == cut, "source %zu", i);
	}
	for (i = 0; i < NSRC + 10; i++) {
		source_free(src[i]);
		free(path[i]);
	}
	free(data);
}
END_TEST

struct churn {
	const struct source *src;
	unsigned long sum;
};

static void *
churn_read(void *arg)
{
	struct churn *c = arg;

	c->sum = sum_bytes(c->src);
	return NULL;
}

/* The guard runs on the thread that reads past the end (the second
 * indexing thread) while this one opens and frees other mapped files:
 * every page of the truncated file faults once, each time with the slots
 * changing beside it. Whether they change at the moment of a fault is up
 * to the scheduler: this shows the handler copes, not that it must race. */
START_TEST(test_truncated_other_thread)
{
	enum { LEN = 8 << 20, NOPEN = 40 };
	char *big = xmalloc(LEN), *path, *paths[NOPEN], *err = NULL, name[32];
	struct source *src, *o[NOPEN];
	struct churn c;
	pthread_t th;
	size_t i, round;

	memset(big, 'x', LEN);
	path = write_file("shrinks.log", big, LEN);
	for (i = 0; i < NOPEN; i++) {
		snprintf(name, sizeof name, "o%zu.log", i);
		paths[i] = write_file(name, "SIP/2.0 200 OK\r\n", 16);
	}
	ck_assert_int_eq(source_guard(), 0);
	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(truncate(path, 4096), 0);
	c.src = src;
	ck_assert_int_eq(pthread_create(&th, NULL, churn_read, &c), 0);
	for (round = 0; round < 50; round++) {
		for (i = 0; i < NOPEN; i++) {
			o[i] = source_open(paths[i], &err);
			ck_assert_ptr_nonnull(o[i]);
		}
		for (i = 0; i < NOPEN; i++)
			source_free(o[i]);
	}
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_uint_eq(c.sum, 4096ul * 'x');
	ck_assert_int_eq(src->truncated, 1);
	source_free(src);
	for (i = 0; i < NOPEN; i++)
		free(paths[i]);
	free(path);
	free(big);
}
END_TEST

START_TEST(test_from_mem_copies)
{
	char buf[] = "SIP/2.0 200 OK\r\n";
	struct source *src = source_from_mem("mem", buf, sizeof buf - 1);

	buf[0] = 'X';
	ck_assert_uint_eq(src->len, sizeof buf - 1);
	ck_assert(memcmp(src->data, "SIP/2.0 200 OK\r\n", src->len) == 0);
	ck_assert_str_eq(src->path, "mem");
	ck_assert_int_eq(src->mapped, 0);
	source_free(src);
	source_free(NULL);

	src = source_from_mem("empty", NULL, 0);
	ck_assert_uint_eq(src->len, 0);
	ck_assert_ptr_nonnull(src->data);
	source_free(src);
}
END_TEST

START_TEST(test_utf16_detect)
{
	static const char le[] = "\xff\xfe$\0$\0";
	static const char be[] = "\xfe\xff\0$\0$";
	static const char le_nomark[] = "$\0$\0b\0e\0g\0i\0n\0_\0r\0e\0";
	static const char be_nomark[] = "\0$\0$\0b\0e\0g\0i\0n\0_\0r\0e";
	static const char ascii[] = "$$begin_record\r\nLogType=connection\r\n";
	/* A pcap header: zeros, but not beside every byte. */
	static const char pcap[] = "\xd4\xc3\xb2\xa1\x02\0\x04\0\0\0\0\0\0\0\0\0"
				   "\xff\xff\0\0\x01\0\0\0";

	ck_assert_int_eq(source_utf16(le, sizeof le - 1), SOURCE_UTF16LE);
	ck_assert_int_eq(source_utf16(be, sizeof be - 1), SOURCE_UTF16BE);
	ck_assert_int_eq(source_utf16(le_nomark, sizeof le_nomark - 1),
			 SOURCE_UTF16LE);
	ck_assert_int_eq(source_utf16(be_nomark, sizeof be_nomark - 1),
			 SOURCE_UTF16BE);
	ck_assert_int_eq(source_utf16(ascii, sizeof ascii - 1), 0);
	ck_assert_int_eq(source_utf16(pcap, sizeof pcap - 1), 0);
	/* Too short to tell without a mark. */
	ck_assert_int_eq(source_utf16(le_nomark, 8), 0);
	ck_assert_int_eq(source_utf16("", 0), 0);
}
END_TEST

/* Decodes the n bytes at in (UTF-16 of that order) in a source of memory,
 * with sp (or none); checks the result is want and the note note. */
static void
check_decode(const char *in, size_t n, int order, struct spill *sp,
	     const char *want, size_t wantlen, const char *note)
{
	int spilled = sp != NULL && sp->dir != NULL && wantlen >= sp->chunk;
	struct source *src = source_from_mem("mem", in, n);
	char *err = NULL;

	ck_assert_int_eq(source_decode_utf16(src, order, sp, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(src->decoded, 1);
	ck_assert_int_eq(src->mapped, spilled);	/* the spill file's */
	ck_assert_uint_eq(src->len, wantlen);
	ck_assert(memcmp(src->data, want, wantlen) == 0);
	if (note == NULL)
		ck_assert_ptr_null(src->note);
	else
		ck_assert_str_eq(src->note, note);
	source_free(src);
}

START_TEST(test_utf16_decode)
{
	/* "A", e acute, the euro sign, a grinning face (a surrogate pair),
	 * CR LF, after the mark. */
	static const char le[] = "\xff\xfe" "A\0" "\xe9\0" "\xac\x20"
				 "\x3d\xd8\x00\xde" "\r\0\n\0";
	static const char be[] = "\xfe\xff" "\0A" "\0\xe9" "\x20\xac"
				 "\xd8\x3d\xde\x00" "\0\r\0\n";
	static const char want[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\r\n";
	/* A high half alone, a low half alone, and an odd last byte. */
	static const char bad[] = "a\0" "\x3d\xd8" "b\0" "\x00\xde" "c\0" "d";
	static const char badwant[] = "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c"
				      "\xef\xbf\xbd";

	check_decode(le, sizeof le - 1, SOURCE_UTF16LE, NULL, want,
		     sizeof want - 1, NULL);
	check_decode(be, sizeof be - 1, SOURCE_UTF16BE, NULL, want,
		     sizeof want - 1, NULL);
	check_decode(bad, sizeof bad - 1, SOURCE_UTF16LE, NULL, badwant,
		     sizeof badwant - 1,
		     "3 invalid UTF-16 code units shown as U+FFFD");
	/* A pair split over the end of the data is a half alone. */
	check_decode("x\0\x3d\xd8", 4, SOURCE_UTF16LE, NULL,
		     "x\xef\xbf\xbd", 4,
		     "1 invalid UTF-16 code unit shown as U+FFFD");
	/* Only the mark: nothing. */
	check_decode("\xff\xfe", 2, SOURCE_UTF16LE, NULL, "", 0, NULL);
}
END_TEST

/* Large output goes to the spill file, pairs across the 64 Ki-unit steps
 * included, and reads back the same as decoded on the heap. */
START_TEST(test_utf16_decode_spill)
{
	size_t units = 300000, i, n = 2 + units * 2, wlen = 0;
	char *in = xmalloc(n), *want = xmalloc(units * 2 + 1);
	struct spill sp;

	in[0] = '\xff';
	in[1] = '\xfe';
	for (i = 0; i < units; i++) {
		if (i % 7 == 3 && i + 1 < units) {
			/* U+1F600 as a pair, starting on odd places too */
			memcpy(in + 2 + 2 * i, "\x3d\xd8\x00\xde", 4);
			memcpy(want + wlen, "\xf0\x9f\x98\x80", 4);
			wlen += 4;
			i++;
			continue;
		}
		in[2 + 2 * i] = (char)('a' + i % 26);
		in[3 + 2 * i] = 0;
		want[wlen++] = (char)('a' + i % 26);
	}
	spill_init(&sp, tmpdir, 65536);
	check_decode(in, n, SOURCE_UTF16LE, &sp, want, wlen, NULL);
	spill_free(&sp);
	free(in);
	free(want);
}
END_TEST

static Suite *
source_suite(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_regular_file);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_size_zero_with_content);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_directory_refused);
	tcase_add_test(tc, test_unreadable_file);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_fifo_spill);
	tcase_add_test(tc, test_stdin_pipe);
	tcase_add_test(tc, test_stdin_pipe_lazy);
	tcase_add_test(tc, test_stop_after_signals);
	tcase_add_test(tc, test_read_fails_part_way);
	tcase_add_test(tc, test_from_mem_copies);
	tcase_add_test(tc, test_device_refused);
	tcase_add_test(tc, test_truncated_while_mapped);
	tcase_add_test(tc, test_truncated_many_mapped);
	tcase_add_test(tc, test_truncated_other_thread);
	tcase_add_test(tc, test_utf16_detect);
	tcase_add_test(tc, test_utf16_decode);
	tcase_add_test(tc, test_utf16_decode_spill);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(source_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
