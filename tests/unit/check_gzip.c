/* Unit tests for gzip input (source): compressed files and memory are
 * inflated by their magic bytes, members one after another, damage and
 * truncation keep what came before with a note the engine turns into a
 * warning, and the inflate limit stops a gzip bomb. */
#include <check.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SIPSNOOP_HAVE_ZLIB
#include <zlib.h>
#endif

#include "util.h"
#include "source.h"
#include "engine.h"
#include "helpers.h"

#define CRLF "\r\n"

static const char log_text[] =
	"REGISTER sip:example.com SIP/2.0" CRLF
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKgz1" CRLF
	"From: <sip:alice@example.com>;tag=g1" CRLF
	"To: <sip:alice@example.com>" CRLF
	"Call-ID: gzip-1" CRLF
	"CSeq: 1 REGISTER" CRLF
	"Content-Length: 0" CRLF CRLF
	"SIP/2.0 200 OK" CRLF
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKgz1" CRLF
	"From: <sip:alice@example.com>;tag=g1" CRLF
	"To: <sip:alice@example.com>;tag=s1" CRLF
	"Call-ID: gzip-1" CRLF
	"CSeq: 1 REGISTER" CRLF
	"Content-Length: 0" CRLF CRLF
	"OPTIONS sip:example.com SIP/2.0" CRLF
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKgz2" CRLF
	"From: <sip:alice@example.com>;tag=g2" CRLF
	"To: <sip:example.com>" CRLF
	"Call-ID: gzip-2" CRLF
	"CSeq: 1 OPTIONS" CRLF
	"Content-Length: 0" CRLF CRLF;

static char tmpdir[64];

static char *
tmpfile_with(const char *name, const void *p, size_t n)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
	return path;
}

static void
setup(void)
{
	test_mkdtemp(tmpdir, "gz");
}

static void
teardown(void)
{
	test_rm_rf(tmpdir);
	source_set_inflate_limit(0);
}

#ifdef SIPSNOOP_HAVE_ZLIB

/* Appends p[0..n) as one gzip member. */
static void
gz_member(struct strbuf *out, const void *p, size_t n)
{
	z_stream z;
	unsigned char buf[4096];
	int rc;

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (unsigned)n;
	do {
		z.next_out = buf;
		z.avail_out = sizeof buf;
		rc = deflate(&z, Z_FINISH);
		strbuf_add(out, buf, sizeof buf - z.avail_out);
	} while (rc == Z_OK);
	ck_assert_int_eq(rc, Z_STREAM_END);
	deflateEnd(&z);
}

static size_t
count_records(struct engine *e)
{
	engine_run(e);
	return msgindex_count(engine_index(e));
}

static int
has_warning(const struct engine *e, const char *needle)
{
	size_t i;

	for (i = 0; i < engine_nwarnings(e); i++) {
		if (strstr(engine_warning(e, i)->msg, needle) != NULL)
			return 1;
	}
	return 0;
}

/* A gzipped log through source_open: the bytes are the log's, the file
 * is read once and not mapped; the engine reads it as raw SIP. */
START_TEST(test_file)
{
	struct strbuf gz;
	struct source *src;
	struct engine *e;
	char *path, *err = NULL;

	strbuf_init(&gz);
	gz_member(&gz, log_text, sizeof log_text - 1);
	path = tmpfile_with("trace.log.gz", gz.buf, gz.len);
	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(src->inflated, 1);
	ck_assert_int_eq(src->mapped, 0);
	ck_assert_ptr_null(src->note);
	ck_assert_uint_eq(src->len, sizeof log_text - 1);
	ck_assert_int_eq(memcmp(src->data, log_text, src->len), 0);
	source_free(src);

	e = engine_new();
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	ck_assert_str_eq(engine_file(e, 0)->fmt->name, "raw");
	ck_assert_uint_eq(count_records(e), 3);
	ck_assert_str_eq(engine_call_id(e, msgindex_get(engine_index(e), 2)->call_id),
			 "gzip-2");
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);
	free(path);
	strbuf_free(&gz);
}
END_TEST

/* cat a.gz b.gz: every member is read; zero padding after the last is
 * ignored quietly, other bytes with a note. */
START_TEST(test_members)
{
	struct strbuf gz;
	struct source *src;
	size_t cut = 200;

	strbuf_init(&gz);
	gz_member(&gz, log_text, cut);
	gz_member(&gz, log_text + cut, sizeof log_text - 1 - cut);
	strbuf_add(&gz, "\0\0\0\0\0\0\0\0", 8);
	src = source_from_mem("mem.gz", gz.buf, gz.len);
	ck_assert_int_eq(src->inflated, 1);
	ck_assert_ptr_null(src->note);
	ck_assert_uint_eq(src->len, sizeof log_text - 1);
	ck_assert_int_eq(memcmp(src->data, log_text, src->len), 0);
	source_free(src);

	strbuf_adds(&gz, "tape junk");
	src = source_from_mem("mem.gz", gz.buf, gz.len);
	ck_assert_uint_eq(src->len, sizeof log_text - 1);
	ck_assert_ptr_nonnull(src->note);
	ck_assert_ptr_nonnull(strstr(src->note, "17 bytes after the gzip data"));
	source_free(src);
	strbuf_free(&gz);
}
END_TEST

/* A stream cut short keeps what was inflated; the engine warns, naming
 * the problem, and reads the messages before the cut. */
START_TEST(test_truncated)
{
	struct strbuf gz, big;
	struct source *src;
	struct engine *e;
	char *err = NULL;
	int i;

	/* Enough text that the cut leaves whole messages before it. */
	strbuf_init(&big);
	for (i = 0; i < 200; i++)
		strbuf_add(&big, log_text, sizeof log_text - 1);
	strbuf_init(&gz);
	gz_member(&gz, big.buf, big.len);
	src = source_from_mem("cut.gz", gz.buf, gz.len / 2);
	ck_assert_ptr_nonnull(src->note);
	ck_assert_ptr_nonnull(strstr(src->note, "cut short"));
	ck_assert_uint_gt(src->len, 0);
	ck_assert_uint_lt(src->len, big.len);
	ck_assert_int_eq(memcmp(src->data, big.buf, src->len), 0);
	source_free(src);

	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "cut.gz", gz.buf, gz.len / 2, NULL,
					&err), 0);
	ck_assert_uint_gt(count_records(e), 3);
	ck_assert(has_warning(e, "gzip data is cut short"));
	engine_free(e);

	/* Nothing readable before the cut: refused, and the error says
	 * why. */
	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "head.gz", gz.buf, 12, NULL, &err),
			 -1);
	ck_assert_str_eq(err, "head.gz: the gzip data is cut short (truncated "
			 "file?) before anything was decompressed: nothing to "
			 "read");
	free(err);
	engine_free(e);
	strbuf_free(&gz);
	strbuf_free(&big);
}
END_TEST

/* Damaged data: what was inflated before the damage is kept, with a
 * note; never a crash, whatever the bytes. */
START_TEST(test_corrupt)
{
	struct strbuf gz, bad;
	struct source *src;
	uint32_t seed = 7;
	size_t i, k;

	strbuf_init(&gz);
	gz_member(&gz, log_text, sizeof log_text - 1);
	strbuf_init(&bad);
	strbuf_add(&bad, gz.buf, gz.len);
	bad.buf[gz.len - 6] ^= 0x55;	/* the CRC */
	src = source_from_mem("crc.gz", bad.buf, bad.len);
	ck_assert_ptr_nonnull(src->note);
	ck_assert_ptr_nonnull(strstr(src->note, "damaged"));
	source_free(src);

	/* A broken header (unknown method byte). */
	bad.buf[2] = 9;
	src = source_from_mem("hdr.gz", bad.buf, bad.len);
	ck_assert_ptr_nonnull(src->note);
	ck_assert_uint_eq(src->len, 0);
	source_free(src);

	for (i = 0; i < 500; i++) {
		bad.len = 0;
		strbuf_add(&bad, gz.buf, gz.len);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			bad.buf[10 + (seed >> 8) % (gz.len - 10)] ^=
				(char)(1 + (seed >> 20) % 255);
		}
		src = source_from_mem("fuzz.gz", bad.buf, bad.len);
		ck_assert_uint_le(src->len, 1 << 20);
		source_free(src);
	}
	strbuf_free(&gz);
	strbuf_free(&bad);
}
END_TEST

/* A gzip bomb stops at the limit: source_open fails naming the file,
 * bytes in memory are refused by the engine with the reason. */
START_TEST(test_bomb)
{
	struct strbuf gz;
	struct engine *e;
	char *zeros, *path, *err = NULL;
	size_t n = 8 << 20;

	zeros = xcalloc(1, n);
	strbuf_init(&gz);
	gz_member(&gz, zeros, n);
	free(zeros);
	ck_assert_uint_lt(gz.len, 64 * 1024);
	source_set_inflate_limit(1 << 20);
	path = tmpfile_with("bomb.gz", gz.buf, gz.len);
	ck_assert_ptr_null(source_open(path, &err));
	ck_assert_ptr_nonnull(strstr(err, "bomb.gz: decompresses to more than "
				      "1 MiB"));
	free(err);
	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "bomb.gz", gz.buf, gz.len, NULL, &err),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "decompresses to more than"));
	free(err);
	engine_free(e);

	/* Under the limit the same bytes are fine. */
	source_set_inflate_limit(16 << 20);
	{
		struct source *src = source_open(path, &err);

		ck_assert_ptr_nonnull(src);
		ck_assert_uint_eq(src->len, n);
		ck_assert_ptr_null(src->note);
		source_free(src);
	}
	free(path);
	strbuf_free(&gz);
}
END_TEST

/* Only the magic bytes decide: a name ending in .gz is not enough, and
 * a file that merely starts with 0x1f is left alone; an empty member is
 * an empty input. */
START_TEST(test_magic)
{
	struct strbuf gz;
	struct source *src;
	char *path, *err = NULL;

	path = tmpfile_with("plain.log.gz", log_text, sizeof log_text - 1);
	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(src->inflated, 0);
	ck_assert_uint_eq(src->len, sizeof log_text - 1);
	source_free(src);
	free(path);

	src = source_from_mem("x", "\x1f", 1);
	ck_assert_int_eq(src->inflated, 0);
	ck_assert_uint_eq(src->len, 1);
	source_free(src);

	strbuf_init(&gz);
	gz_member(&gz, "", 0);
	src = source_from_mem("empty.gz", gz.buf, gz.len);
	ck_assert_int_eq(src->inflated, 1);
	ck_assert_uint_eq(src->len, 0);
	ck_assert_ptr_nonnull(src->data);
	ck_assert_ptr_null(src->note);
	source_free(src);
	strbuf_free(&gz);
}
END_TEST

static void
same_text(const struct engine *a, const struct engine *b, uint32_t id)
{
	struct span x = engine_record_text(a, id);
	struct span y = engine_record_text(b, id);

	ck_assert_uint_eq(x.n, y.n);
	ck_assert_int_eq(memcmp(x.p, y.p, x.n), 0);
}

/* In the background (as the viewer does), gzip input is inflated on the
 * conversion thread: the same messages, record texts and warnings as
 * inflating it when it is opened, for a log read in place and for a format
 * converted whole; past the inflate limit the file is a warning, where
 * opening it at once refuses it. */
START_TEST(test_background)
{
	struct engine *a, *b;
	struct source *fs;
	struct strbuf big, gz[3];
	char *path[3], *err = NULL;
	size_t i, n;

	strbuf_init(&big);
	for (i = 0; i < 300; i++)
		strbuf_add(&big, log_text, sizeof log_text - 1);
	fs = source_open(TEST_DATA "/fmt/freeswitch-new.log", &err);
	ck_assert_ptr_nonnull(fs);
	for (i = 0; i < 3; i++)
		strbuf_init(&gz[i]);
	gz_member(&gz[0], big.buf, big.len);
	gz_member(&gz[1], fs->data, fs->len);
	gz_member(&gz[2], big.buf, big.len);
	source_free(fs);
	path[0] = tmpfile_with("raw.log.gz", gz[0].buf, gz[0].len);
	path[1] = tmpfile_with("fs.log.gz", gz[1].buf, gz[1].len);
	path[2] = tmpfile_with("cut.log.gz", gz[2].buf, gz[2].len / 2);

	a = engine_new();
	b = engine_new();
	engine_set_background(b, 1);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(engine_add_file(a, path[i], NULL, &err), (int)i);
		ck_assert_int_eq(engine_add_file(b, path[i], NULL, &err), (int)i);
	}
	ck_assert_str_eq(engine_file(b, 1)->fmt->name, "freeswitch");
	/* Until engine_step() takes the first file in, it is on its thread,
	 * inflated or not yet. */
	ck_assert(strcmp(engine_activity(b), "decompressing") == 0 ||
		  strcmp(engine_activity(b), "converting") == 0);
	n = count_records(a);
	while (engine_step(b, 100))
		ck_assert_uint_le(engine_progress(b), 1000);
	ck_assert_str_eq(engine_activity(b), "indexing");
	ck_assert_uint_gt(n, 900);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), n);
	for (i = 0; i < n; i++) {
		struct span x = engine_record_text(a, (uint32_t)i);
		struct span y = engine_record_text(b, (uint32_t)i);

		ck_assert_uint_eq(x.n, y.n);
		ck_assert_int_eq(memcmp(x.p, y.p, x.n), 0);
	}
	ck_assert_uint_eq(engine_nwarnings(b), engine_nwarnings(a));
	ck_assert(has_warning(b, "gzip data is cut short"));
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(engine_file(b, i)->src->inflated,
				 engine_file(a, i)->src->inflated);
		ck_assert_int_eq(engine_file(b, i)->canon,
				 engine_file(a, i)->canon);
	}
	ck_assert_int_eq(engine_file(b, 0)->src->inflated, 1);
	engine_free(a);
	engine_free(b);

	source_set_inflate_limit(64 << 10);
	a = engine_new();
	ck_assert_int_eq(engine_add_file(a, path[0], NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "decompresses to more than"));
	free(err);
	err = NULL;
	engine_free(a);
	b = engine_new();
	engine_set_background(b, 1);
	ck_assert_int_eq(engine_add_file(b, path[0], NULL, &err), 0);
	engine_run(b);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), 0);
	ck_assert_int_eq(engine_file(b, 0)->unreadable, 1);
	ck_assert(has_warning(b, "raw.log.gz: decompresses to more than"));
	engine_free(b);

	for (i = 0; i < 3; i++) {
		free(path[i]);
		strbuf_free(&gz[i]);
	}
	strbuf_free(&big);
}
END_TEST

/* A child writes p[0..n) into the FIFO at path: the first half, then,
 * once a byte comes on the pipe hold (or its end), the rest. */
static pid_t
fifo_feed(const char *path, const char *p, size_t n, const int hold[2])
{
	pid_t pid = fork();
	char c;
	int fd;

	ck_assert_int_ne(pid, -1);
	if (pid != 0)
		return pid;
	signal(SIGPIPE, SIG_DFL);
	close(hold[1]);
	if ((fd = open(path, O_WRONLY)) < 0 ||
	    write(fd, p, n / 2) != (ssize_t)(n / 2) ||
	    read(hold[0], &c, 1) < 0 ||
	    write(fd, p + n / 2, n - n / 2) != (ssize_t)(n - n / 2))
		_exit(1);
	_exit(0);
}

/* In the background (as the viewer does), a pipe is read on the
 * conversion thread: engine_add_file() returns with its start read while
 * the writer still holds the rest back, engine_step() answers meanwhile,
 * and once the writer is done the messages, record texts and file kinds
 * are those of reading the same bytes from a file, for a log read in
 * place, a gzip log and a format converted whole. A pipe whose writer
 * never finishes does not hold up engine_free(). */
START_TEST(test_pipe_background)
{
	struct engine *a, *b;
	struct source *fs;
	struct strbuf in[3];
	char *path[3], *fifo, *err = NULL;
	int hold[2], status;
	size_t i, j, n;
	pid_t pid;

	uint32_t x = 12345;

	/* Distinct Call-IDs and tags, so that gzip leaves it large. */
	strbuf_init(&in[0]);
	for (i = 0; i < 2000; i++) {
		uint32_t r[4];

		for (j = 0; j < 4; j++)
			r[j] = x = x * 1103515245u + 12345u;
		strbuf_addf(&in[0],
		    "OPTIONS sip:example.com SIP/2.0" CRLF
		    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK%08x" CRLF
		    "From: <sip:u%u@example.com>;tag=%08x" CRLF
		    "To: <sip:example.com>" CRLF
		    "Call-ID: %08x%08x" CRLF
		    "CSeq: 1 OPTIONS" CRLF
		    "Content-Length: 0" CRLF CRLF, r[0], r[1] % 100, r[1],
		    r[2], r[3]);
	}
	strbuf_init(&in[1]);
	gz_member(&in[1], in[0].buf, in[0].len);
	strbuf_init(&in[2]);
	fs = source_open(TEST_DATA "/fmt/freeswitch-new.log", &err);
	ck_assert_ptr_nonnull(fs);
	for (i = 0; i < 20; i++)
		strbuf_add(&in[2], fs->data, fs->len);
	source_free(fs);
	ck_assert_uint_gt(in[1].len, 2 * 16384);
	path[0] = tmpfile_with("p.log", in[0].buf, in[0].len);
	path[1] = tmpfile_with("p.log.gz", in[1].buf, in[1].len);
	path[2] = tmpfile_with("p-fs.log", in[2].buf, in[2].len);
	fifo = xasprintf("%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);

	for (i = 0; i < 3; i++) {
		a = engine_new();
		ck_assert_int_eq(engine_add_file(a, path[i], NULL, &err), 0);
		n = count_records(a);
		ck_assert_uint_gt(n, 100);

		ck_assert_int_eq(pipe(hold), 0);
		pid = fifo_feed(fifo, in[i].buf, in[i].len, hold);
		b = engine_new();
		engine_set_background(b, 1);
		ck_assert_int_eq(engine_add_file(b, fifo, NULL, &err), 0);
		ck_assert_str_eq(engine_file(b, 0)->fmt->name,
				 engine_file(a, 0)->fmt->name);
		ck_assert_str_eq(engine_activity(b), "reading");
		ck_assert_uint_ge(engine_reading_bytes(b), 16384);
		ck_assert_uint_le(engine_reading_bytes(b), in[i].len / 2);
		ck_assert_int_eq(engine_step(b, 100), 1);
		ck_assert_uint_eq(msgindex_count(engine_index(b)), 0);
		ck_assert_int_eq(write(hold[1], "x", 1), 1);
		while (engine_step(b, 100))
			ck_assert_uint_le(engine_progress(b), 1000);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		ck_assert_uint_eq(engine_reading_bytes(b), 0);
		ck_assert_uint_eq(msgindex_count(engine_index(b)), n);
		for (j = 0; j < n; j += 37)
			same_text(a, b, (uint32_t)j);
		same_text(a, b, (uint32_t)(n - 1));
		ck_assert_int_eq(engine_file(b, 0)->src->inflated,
				 engine_file(a, 0)->src->inflated);
		ck_assert_int_eq(engine_file(b, 0)->canon,
				 engine_file(a, 0)->canon);
		ck_assert_uint_eq(engine_nwarnings(b), engine_nwarnings(a));
		engine_free(a);
		engine_free(b);
		close(hold[0]);
		close(hold[1]);
	}

	/* The writer never sends the rest. */
	ck_assert_int_eq(pipe(hold), 0);
	pid = fifo_feed(fifo, in[0].buf, in[0].len, hold);
	b = engine_new();
	engine_set_background(b, 1);
	ck_assert_int_eq(engine_add_file(b, fifo, NULL, &err), 0);
	ck_assert_int_eq(engine_step(b, 100), 1);
	engine_free(b);
	/* Nobody reads the FIFO now: the writer dies of SIGPIPE. */
	close(hold[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
	close(hold[0]);

	for (i = 0; i < 3; i++) {
		free(path[i]);
		strbuf_free(&in[i]);
	}
	free(fifo);
}
END_TEST

/* Followed (engine_follow), a pipe is read as it comes: what the writer
 * sent is indexed while it holds the rest back, the rest when it comes,
 * and when the writer is done the pipe is no longer followed; the records
 * are those of the same bytes read from a file. */
START_TEST(test_pipe_follow)
{
	struct engine *a, *b;
	struct strbuf in;
	char *path, *fifo, *err = NULL;
	int hold[2], status, bg;
	size_t i, n, mid;
	pid_t pid;

	strbuf_init(&in);
	for (i = 0; i < 300; i++)
		strbuf_add(&in, log_text, sizeof log_text - 1);
	path = tmpfile_with("s.log", in.buf, in.len);
	fifo = xasprintf("%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	a = engine_new();
	ck_assert_int_eq(engine_add_file(a, path, NULL, &err), 0);
	n = count_records(a);
	ck_assert_uint_eq(n, 900);

	/* In the foreground, in the background, and with what comes going
	 * to a temporary file past 100 kB. */
	for (bg = 0; bg < 3; bg++) {
		ck_assert_int_eq(pipe(hold), 0);
		pid = fifo_feed(fifo, in.buf, in.len, hold);
		b = engine_new();
		engine_set_background(b, bg == 1);
		if (bg == 2)
			engine_set_spill(b, tmpdir, 100000);
		engine_follow(b, 1);
		ck_assert_int_eq(engine_add_file(b, fifo, NULL, &err), 0);
		ck_assert_uint_eq(engine_nfollowed(b), 1);
		ck_assert_ptr_null(engine_file(b, 0)->xf);
		/* Everything of the first half, whenever it comes. */
		do {
			engine_poll(b);
			while (engine_step(b, 1000))
				;
			mid = msgindex_count(engine_index(b));
		} while (mid < 440);
		ck_assert_uint_lt(mid, n);
		ck_assert_int_eq(write(hold[1], "x", 1), 1);
		/* Small steps: what the pipe left when it ended is stepped
		 * on without a poll to say so. */
		while (engine_nfollowed(b) > 0) {
			engine_poll(b);
			engine_step(b, 7);
		}
		while (engine_step(b, 7))
			;
		ck_assert_uint_eq(msgindex_count(engine_index(b)), n);
		for (i = 0; i < n; i += 37)
			same_text(a, b, (uint32_t)i);
		same_text(a, b, (uint32_t)(n - 1));
		ck_assert_uint_eq(engine_nwarnings(b), 0);
		ck_assert_int_eq(engine_file(b, 0)->src->mapped, bg == 2);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		engine_free(b);
		close(hold[0]);
		close(hold[1]);
	}
	engine_free(a);
	free(path);
	free(fifo);
	strbuf_free(&in);
}
END_TEST

/* UTF-16 text from a pipe read to its end in the background (the viewer
 * on "cmd | sipsnoop -", not following it): larger than the start read for
 * the probe, it is read whole and converted as a file is, not refused. */
START_TEST(test_pipe_background_utf16)
{
	struct engine *a, *b;
	struct strbuf in, u16;
	char *path, *fifo, *err = NULL;
	int hold[2], status;
	size_t i;
	pid_t pid;

	strbuf_init(&in);
	for (i = 0; i < 300; i++)
		strbuf_add(&in, log_text, sizeof log_text - 1);
	strbuf_init(&u16);
	strbuf_add(&u16, "\xff\xfe", 2);
	for (i = 0; i < in.len; i++) {
		strbuf_addc(&u16, in.buf[i]);
		strbuf_addc(&u16, '\0');
	}
	ck_assert_uint_gt(u16.len, SOURCE_HEAD_BYTES);
	path = tmpfile_with("u8.log", in.buf, in.len);
	fifo = xasprintf("%s/fifo16", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	a = engine_new();
	ck_assert_int_eq(engine_add_file(a, path, NULL, &err), 0);
	ck_assert_uint_eq(count_records(a), 900);

	ck_assert_int_eq(pipe(hold), 0);
	pid = fifo_feed(fifo, u16.buf, u16.len, hold);
	close(hold[1]);		/* the writer does not wait */
	b = engine_new();
	engine_set_background(b, 1);
	if (engine_add_file(b, fifo, NULL, &err) != 0)
		ck_abort_msg("refused: %s", err);
	ck_assert_uint_eq(count_records(b), 900);
	same_text(a, b, 0);
	same_text(a, b, 899);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(hold[0]);
	engine_free(a);
	engine_free(b);
	unlink(fifo);
	free(path);
	free(fifo);
	strbuf_free(&in);
	strbuf_free(&u16);
}
END_TEST

/* Following in the background: gzip input is read once, with the warning
 * that says why; a pipe is followed to its end, a regular file on.
 * Standard input is read once: a second "-" is refused. */
START_TEST(test_background_follow)
{
	struct strbuf gz, big;
	struct engine *b;
	char *path[2], *fifo, *err = NULL;
	int hold[2], fds[2], saved, status, i;
	pid_t pid;

	/* More than the start read when it is added: it is still being
	 * read while the writer holds the second half back. */
	strbuf_init(&big);
	for (i = 0; i < 100; i++)
		strbuf_add(&big, log_text, sizeof log_text - 1);
	strbuf_init(&gz);
	gz_member(&gz, log_text, sizeof log_text - 1);
	path[0] = tmpfile_with("f.log.gz", gz.buf, gz.len);
	path[1] = tmpfile_with("f.log", log_text, sizeof log_text - 1);
	fifo = xasprintf("%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(pipe(hold), 0);
	pid = fifo_feed(fifo, big.buf, big.len, hold);

	b = engine_new();
	engine_set_background(b, 1);
	engine_follow(b, 1);
	ck_assert_int_eq(engine_add_file(b, path[0], NULL, &err), 0);
	ck_assert(has_warning(b, "gzip-compressed: read once, not followed"));
	ck_assert_uint_eq(engine_nfollowed(b), 0);
	ck_assert_int_eq(engine_add_file(b, fifo, NULL, &err), 1);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	ck_assert_int_eq(engine_add_file(b, path[1], NULL, &err), 2);
	ck_assert_uint_eq(engine_nfollowed(b), 2);
	ck_assert_int_eq(write(hold[1], "x", 1), 1);
	while (engine_nfollowed(b) > 1 || !engine_done(b)) {
		engine_poll(b);
		engine_step(b, 1000);
	}
	ck_assert_uint_eq(engine_nwarnings(b), 1);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), 3 + 300 + 3);
	engine_free(b);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(hold[0]);
	close(hold[1]);

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], log_text, sizeof log_text - 1),
			 (ssize_t)(sizeof log_text - 1));
	close(fds[1]);
	saved = dup(STDIN_FILENO);
	ck_assert_int_ne(dup2(fds[0], STDIN_FILENO), -1);
	close(fds[0]);
	b = engine_new();
	engine_set_background(b, 1);
	ck_assert_int_eq(engine_add_file(b, "-", NULL, &err), 0);
	ck_assert_int_eq(engine_add_file(b, "-", NULL, &err), -1);
	ck_assert_str_eq(err, "-: standard input is given twice");
	free(err);
	engine_run(b);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), 3);
	engine_free(b);
	ck_assert_int_ne(dup2(saved, STDIN_FILENO), -1);
	close(saved);

	free(path[0]);
	free(path[1]);
	free(fifo);
	strbuf_free(&gz);
	strbuf_free(&big);
}
END_TEST

/* With a spill directory (engine_set_spill), what gzip input inflates to
 * and what a converted format becomes move to a temporary file once past
 * the chunk and are mapped from there: the same messages, record texts
 * and warnings as on the heap, at once or in the background, and nothing
 * left in the directory. A directory that cannot take the file keeps the
 * output on the heap, with a warning naming it. */
START_TEST(test_spill)
{
	struct engine *a, *b[3];
	struct source *fs;
	struct strbuf big, gz[2];
	char *path[2], *err = NULL, *sdir, *bad;
	size_t i, j, k, n;

	strbuf_init(&big);
	for (i = 0; i < 300; i++)
		strbuf_add(&big, log_text, sizeof log_text - 1);
	fs = source_open(TEST_DATA "/fmt/freeswitch-new.log", &err);
	ck_assert_ptr_nonnull(fs);
	strbuf_init(&gz[0]);
	strbuf_init(&gz[1]);
	gz_member(&gz[0], big.buf, big.len);
	gz_member(&gz[1], fs->data, fs->len);
	path[0] = tmpfile_with("raw.log.gz", gz[0].buf, gz[0].len);
	path[1] = tmpfile_with("fs.log", fs->data, fs->len);
	source_free(fs);
	sdir = xasprintf("%s/spill", tmpdir);
	ck_assert_int_eq(mkdir(sdir, 0700), 0);
	bad = xasprintf("%s/missing", tmpdir);

	a = engine_new();
	for (k = 0; k < 3; k++) {
		b[k] = engine_new();
		engine_set_spill(b[k], k < 2 ? sdir : bad, 256);
	}
	engine_set_background(b[1], 1);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(engine_add_file(a, path[i], NULL, &err), (int)i);
		for (k = 0; k < 3; k++)
			ck_assert_int_eq(engine_add_file(b[k], path[i], NULL,
							 &err), (int)i);
	}
	n = count_records(a);
	ck_assert_uint_gt(n, 900);
	for (k = 0; k < 3; k++) {
		ck_assert_uint_eq(count_records(b[k]), n);
		for (j = 0; j < n; j++)
			same_text(a, b[k], (uint32_t)j);
		for (i = 0; i < 2; i++) {
			ck_assert_int_eq(engine_file(b[k], i)->canon,
					 engine_file(a, i)->canon);
			ck_assert_int_eq(engine_file(b[k], i)->src->mapped,
					 k < 2);
		}
	}
	ck_assert_str_eq(engine_file(a, 1)->fmt->name, "freeswitch");
	ck_assert_uint_eq(engine_nwarnings(b[0]), engine_nwarnings(a));
	ck_assert_uint_eq(engine_nwarnings(b[1]), engine_nwarnings(a));
	ck_assert(!has_warning(b[0], "temporary file"));
	ck_assert(has_warning(b[2], "cannot create a temporary file in"));
	ck_assert(has_warning(b[2], bad));
	ck_assert_uint_eq(test_dir_entries(sdir), 0);
	engine_free(a);
	for (k = 0; k < 3; k++)
		engine_free(b[k]);

	/* The inflate limit holds whether the output is spilled or not. */
	source_set_inflate_limit(64 << 10);
	a = engine_new();
	engine_set_spill(a, sdir, 4096);
	ck_assert_int_eq(engine_add_file(a, path[0], NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "decompresses to more than"));
	free(err);
	engine_free(a);
	ck_assert_uint_eq(test_dir_entries(sdir), 0);

	for (i = 0; i < 2; i++) {
		free(path[i]);
		strbuf_free(&gz[i]);
	}
	free(sdir);
	free(bad);
	strbuf_free(&big);
}
END_TEST

/* Converting a large capture or log (a transform) hands back the pages of
 * a mapped input as it passes them (reader_release); gzip input is
 * inflated into memory, which must never be handed back. Both must index
 * exactly what the same bytes give from memory. */
START_TEST(test_large_transformed)
{
	struct engine *e[3];
	struct source *one;
	struct strbuf big, gz;
	char *path[2], *err = NULL;
	size_t i, j, n;

	one = source_open(TEST_DATA "/fmt/freeswitch-new.log", &err);
	ck_assert_ptr_nonnull(one);
	strbuf_init(&big);
	while (big.len < (3u << 20))
		strbuf_add(&big, one->data, one->len);
	source_free(one);
	strbuf_init(&gz);
	gz_member(&gz, big.buf, big.len);
	path[0] = tmpfile_with("big.log", big.buf, big.len);
	path[1] = tmpfile_with("big.log.gz", gz.buf, gz.len);
	for (i = 0; i < 3; i++)
		e[i] = engine_new();
	ck_assert_int_eq(engine_add_mem(e[0], "big.log", big.buf, big.len,
					NULL, &err), 0);
	ck_assert_int_eq(engine_add_file(e[1], path[0], NULL, &err), 0);
	ck_assert_int_eq(engine_add_file(e[2], path[1], NULL, &err), 0);
	n = count_records(e[0]);
	ck_assert_uint_gt(n, 1000);
	ck_assert_str_eq(engine_file(e[0], 0)->fmt->name, "freeswitch");
	for (i = 1; i < 3; i++) {
		ck_assert_uint_eq(count_records(e[i]), n);
		for (j = 0; j < n; j += 97)
			same_text(e[0], e[i], (uint32_t)j);
		same_text(e[0], e[i], (uint32_t)(n - 1));
	}
	for (i = 0; i < 3; i++)
		engine_free(e[i]);
	free(path[0]);
	free(path[1]);
	strbuf_free(&gz);
	strbuf_free(&big);
}
END_TEST

#else

/* Without zlib a compressed input is refused with the reason; plain
 * input is read as always. */
START_TEST(test_no_zlib)
{
	static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03";
	struct engine *e = engine_new();
	struct source *src;
	char *path, *err = NULL;

	path = tmpfile_with("x.gz", gz, sizeof gz - 1);
	src = source_open(path, &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(src->inflated, 0);
	ck_assert_ptr_nonnull(strstr(src->note, "without zlib"));
	source_free(src);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "without zlib"));
	free(err);
	free(path);
	path = tmpfile_with("x.log", log_text, sizeof log_text - 1);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	free(path);
	engine_free(e);
}
END_TEST

#endif

int
main(void)
{
	Suite *s = suite_create("gzip");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
#ifdef SIPSNOOP_HAVE_ZLIB
	tcase_add_test(tc, test_file);
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_corrupt);
	tcase_add_test(tc, test_bomb);
	tcase_add_test(tc, test_magic);
	tcase_add_test(tc, test_large_transformed);
	tcase_add_test(tc, test_background);
	tcase_add_test(tc, test_pipe_background);
	tcase_add_test(tc, test_background_follow);
	tcase_add_test(tc, test_pipe_follow);
	tcase_add_test(tc, test_pipe_background_utf16);
	tcase_add_test(tc, test_spill);
#else
	tcase_add_test(tc, test_no_zlib);
#endif
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
