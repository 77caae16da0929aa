/* Unit tests for the file pages the engine gives back while it indexes
 * (engine.c: engine_indexed, engine_drop_pages, engine_rate_touched,
 * engine_give_back). madvise() is interposed here: every MADV_DONTNEED the
 * core asks for is checked to fall on a file's pages, and the mapping it
 * falls on is measured just before, when it holds the most. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"
#include "source.h"
#include "msgindex.h"
#include "dialog.h"
#include "rules.h"
#include "engine.h"
#include "helpers.h"

/* What the interposed madvise() saw (any thread may call it). */
static pthread_mutex_t pg_mu = PTHREAD_MUTEX_INITIALIZER;
static int pg_bad;		/* asked of memory whose bytes would be lost */
static char pg_bad_what[512];
static size_t pg_file_calls;	/* asked of a file's pages */
static uintptr_t pg_watch;	/* the mapping measured, and its size */
static size_t pg_watch_len;
static long pg_watch_most;	/* its most resident kB, before a DONTNEED */

/* Whether all of [lo, hi) is in mappings whose bytes come back when they
 * are given back: a file's (a log, a temporary file), or read-only ones
 * (the zeros source_guard maps over a file cut short). Writable memory of
 * no file (the heap) would read as zeros. */
static int
pg_file_backed(uintptr_t lo, uintptr_t hi, char *why, size_t n)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long a, b, off, inode;
	char line[512], perms[8], dev[16];
	uintptr_t at = lo;
	int ok = 1;

	if (f == NULL)
		return 1;
	while (ok && at < hi && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu", &a, &b, perms,
			   &off, dev, &inode) != 6 || b <= at || a >= hi)
			continue;
		if (a > at) {
			snprintf(why, n, "%#lx: not mapped", (unsigned long)at);
			ok = 0;
		} else if (inode == 0 && perms[1] == 'w') {
			snprintf(why, n, "%#lx-%#lx in %.200s",
				 (unsigned long)lo, (unsigned long)hi, line);
			ok = 0;
		}
		at = b;
	}
	if (ok && at < hi) {
		snprintf(why, n, "%#lx: not mapped", (unsigned long)at);
		ok = 0;
	}
	fclose(f);
	return ok;
}

/* What is asked is checked, not what the kernel did: glibc's large blocks
 * start 16 bytes past a page, where madvise() fails (EINVAL), so a heap
 * copy given back by mistake keeps its bytes by chance; another
 * allocator's page-aligned blocks would read as zeros. */
int
madvise(void *addr, size_t len, int advice)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	char why[sizeof pg_bad_what];
	long rss;

	if (advice == MADV_DONTNEED && len > 0) {
		pthread_mutex_lock(&pg_mu);
		if (!pg_file_backed(lo, hi, why, sizeof why)) {
			if (pg_bad++ == 0)
				memcpy(pg_bad_what, why, sizeof why);
		} else {
			pg_file_calls++;
		}
		if (lo >= pg_watch && lo < pg_watch + pg_watch_len) {
			rss = test_mapping_rss_kb((const void *)pg_watch);
			if (rss > pg_watch_most)
				pg_watch_most = rss;
		}
		pthread_mutex_unlock(&pg_mu);
	}
	return (int)syscall(SYS_madvise, addr, len, advice);
}

static void
pg_reset(void)
{
	pthread_mutex_lock(&pg_mu);
	pg_bad = 0;
	pg_bad_what[0] = '\0';
	pg_file_calls = 0;
	pg_watch = 0;
	pg_watch_len = 0;
	pg_watch_most = 0;
	pthread_mutex_unlock(&pg_mu);
}


/* n copies of a registration log (6 messages, 7 kB), each of its own
 * Call-ID, appended to f; numbered from first. */
static void
pg_copies(FILE *f, size_t first, size_t n)
{
	static char *tmpl;
	static size_t len;
	const char *at, *eol, *end;
	size_t k;

	if (tmpl == NULL)
		tmpl = test_slurp(TEST_DATA "/remote-ntlm.cls.log", &len);
	ck_assert(tmpl != NULL && len > 0);
	for (k = first; k < first + n; k++) {
		for (at = tmpl, end = tmpl + len; at < end; at = eol) {
			eol = memchr(at, '\n', (size_t)(end - at));
			eol = eol != NULL ? eol + 1 : end;
			if ((size_t)(eol - at) > 9 &&
			    memcmp(at, "Call-ID: ", 9) == 0)
				fprintf(f, "%.*s-%zu\n", (int)(eol - at - 1),
					at, k);
			else
				fwrite(at, 1, (size_t)(eol - at), f);
		}
	}
}

static char *
pg_write_copies(const char *dir, const char *name, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	pg_copies(f, 0, n);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static void
pg_append_copies(const char *path, size_t first, size_t n)
{
	FILE *f = fopen(path, "a");

	ck_assert_ptr_nonnull(f);
	pg_copies(f, first, n);
	ck_assert_int_eq(fclose(f), 0);
}

/* Every message's text is still there: a page of the heap given back
 * would read as zeros. */
static void
pg_texts_whole(const struct engine *e, const char *what)
{
	size_t k, n = msgindex_count(engine_index(e));

	for (k = 0; k < n; k++) {
		struct span t = engine_record_text(e, (uint32_t)k);

		ck_assert_msg(t.n > 0 && t.p[0] != '\0' &&
			      t.p[t.n - 1] != '\0',
			      "%s: message %zu reads as zeros", what, k);
	}
}

/* The inputs whose bytes the engine may hold in memory of no file. */
enum pg_input {
	PG_FILE,		/* mapped: its pages are given back */
	PG_FILE_SLICES,		/* the same, in the viewer's slices */
	PG_MEMORY,		/* engine_add_mem: a copy on the heap */
	PG_GZIP,		/* inflated to the heap */
	PG_GZIP_SPILL,		/* inflated to a temporary file */
	PG_PIPE,		/* standard input, read to the heap */
	PG_PIPE_SPILL,		/* read to a temporary file */
	PG_PCAP,		/* canonical records on the heap */
	PG_PCAP_SPILL,		/* in a temporary file */
	PG_UTF16,		/* decoded to the heap */
	PG_TWO_FILES,		/* merged */
	PG_FOLLOW_LATER,	/* F after the first pass: a heap copy */
	PG_FOLLOW_LATER_SPILL,	/* F: the copy in a temporary file */
	PG_FOLLOW_ROTATED,	/* following, the file renamed, a new one */
	PG_FOLLOW_TRUNCATED,	/* following, the file cut and written again */
	PG__COUNT
};

static const char *const pg_input_names[PG__COUNT] = {
	"file", "file in slices", "memory", "gzip", "gzip, spilled", "pipe",
	"pipe, spilled", "pcap", "pcap, spilled", "UTF-16", "two files",
	"F later", "F later, spilled", "following, rotated",
	"following, truncated",
};

/* Copies of a capture's packets (UDP), each a copy of its SIP messages. */
static char *
pg_write_pcap(const char *dir, size_t copies)
{
	char *path = xasprintf("%s/big.pcap", dir);
	size_t n, k;
	char *cap = test_slurp(TEST_DATA "/pcap/udp-between.pcap", &n);
	FILE *f = fopen(path, "w");

	ck_assert(cap != NULL && n > 24 && f != NULL);
	fwrite(cap, 1, 24, f);
	for (k = 0; k < copies; k++)
		fwrite(cap + 24, 1, n - 24, f);
	ck_assert_int_eq(fclose(f), 0);
	free(cap);
	return path;
}

static char *
pg_write_gzip(const char *dir, const char *plain)
{
	char *path = xasprintf("%s/big.log.gz", dir), *data;
	size_t n;
	gzFile gz = gzopen(path, "wb1");

	data = test_slurp(plain, &n);
	ck_assert(gz != NULL && data != NULL);
	ck_assert_int_eq(gzwrite(gz, data, (unsigned)n), (int)n);
	ck_assert_int_eq(gzclose(gz), Z_OK);
	free(data);
	return path;
}

static char *
pg_write_utf16(const char *dir, const char *plain)
{
	char *path = xasprintf("%s/big16.log", dir), *data;
	size_t n, k;
	FILE *f = fopen(path, "w");

	data = test_slurp(plain, &n);
	ck_assert(f != NULL && data != NULL);
	fputc(0xff, f);
	fputc(0xfe, f);
	for (k = 0; k < n; k++) {
		fputc(data[k], f);
		fputc(0, f);
	}
	ck_assert_int_eq(fclose(f), 0);
	free(data);
	return path;
}

/* Standard input from a pipe a child writes path's bytes to. */
static int
pg_pipe_from(const char *path, pid_t *pid)
{
	int fds[2];
	size_t n;
	char *data = test_slurp(path, &n);

	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(pipe(fds), 0);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		size_t at = 0;
		ssize_t w;

		close(fds[0]);
		while (at < n && (w = write(fds[1], data + at, n - at)) > 0)
			at += (size_t)w;
		_exit(0);
	}
	close(fds[1]);
	free(data);
	return stdin_from(fds[0]);
}

static void
pg_follow_some(struct engine *e)
{
	int k;

	for (k = 0; k < 3; k++) {
		engine_poll(e);
		while (engine_step(e, 1000))
			;
	}
}

/* Only a file's pages are ever given back: those of a copy on the heap
 * (gzip inflated, a pipe read, a capture converted, UTF-16 decoded, a
 * followed file copied) would be lost, read again as zeros. A file's pages
 * are given back (the test would otherwise prove nothing). */
START_TEST(test_given_back_file_pages_only)
{
	char dir[64], *err = NULL, *path, *other = NULL, *in = NULL;
	struct rules *r = test_default_rules();
	struct engine *e = engine_new();
	int saved = -1, spill = 0, file_pages = 0, fd;
	size_t want = 0;
	pid_t pid = 0;

	test_mkdtemp(dir, "pages");
	/* 3 MB: past the runs an indexed page may wait for a rating. */
	path = pg_write_copies(dir, "big.log", 440);
	engine_set_rules(e, r);
	switch (_i) {
	case PG_FILE:
	case PG_FILE_SLICES:
		in = xstrdup(path);
		file_pages = 1;
		want = 440 * 6;
		break;
	case PG_MEMORY: {
		size_t n;
		char *data = test_slurp(path, &n);

		ck_assert_int_ge(engine_add_mem(e, "mem", data, n, NULL, &err),
				 0);
		free(data);
		want = 440 * 6;
		break;
	}
	case PG_GZIP_SPILL:
		spill = 1;
		/* fall through */
	case PG_GZIP:
		in = pg_write_gzip(dir, path);
		want = 440 * 6;
		break;
	case PG_PIPE_SPILL:
		spill = 1;
		/* fall through */
	case PG_PIPE:
		saved = pg_pipe_from(path, &pid);
		in = xstrdup("-");
		want = 440 * 6;
		break;
	case PG_PCAP_SPILL:
		spill = 1;
		/* fall through */
	case PG_PCAP:
		in = pg_write_pcap(dir, 2000);
		break;
	case PG_UTF16:
		in = pg_write_utf16(dir, path);
		want = 440 * 6;
		break;
	case PG_TWO_FILES:
		in = xstrdup(path);
		other = pg_write_copies(dir, "other.log", 300);
		file_pages = 1;
		want = 740 * 6;
		break;
	case PG_FOLLOW_LATER_SPILL:
		spill = 1;
		/* fall through */
	case PG_FOLLOW_LATER:
	case PG_FOLLOW_ROTATED:
	case PG_FOLLOW_TRUNCATED:
		in = xstrdup(path);
		file_pages = _i == PG_FOLLOW_LATER;
		break;
	}
	if (spill)
		engine_set_spill(e, dir, 64 << 10);
	if (_i == PG_FOLLOW_ROTATED || _i == PG_FOLLOW_TRUNCATED)
		engine_follow(e, 1);
	if (in != NULL)
		ck_assert_msg(engine_add_file(e, in, NULL, &err) >= 0, "%s",
			      err);
	if (other != NULL)
		ck_assert_msg(engine_add_file(e, other, NULL, &err) >= 0, "%s",
			      err);
	if (_i == PG_FILE_SLICES) {
		while (engine_step(e, 100))
			;
	} else {
		engine_run(e);
	}
	if (saved >= 0) {
		stdin_restore(saved);
		waitpid(pid, NULL, 0);
	}
	switch (_i) {
	case PG_FOLLOW_LATER:
	case PG_FOLLOW_LATER_SPILL:
		engine_follow_files(e);
		ck_assert_uint_eq(engine_nfollowed(e), 1);
		pg_append_copies(path, 1000, 300);
		pg_follow_some(e);
		want = 740 * 6;
		break;
	case PG_FOLLOW_ROTATED:
		other = xasprintf("%s/big.log.1", dir);
		ck_assert_int_eq(rename(path, other), 0);
		pg_append_copies(other, 1000, 10);
		free(pg_write_copies(dir, "big.log", 300));
		pg_follow_some(e);
		want = 750 * 6;
		break;
	case PG_FOLLOW_TRUNCATED:
		fd = open(path, O_WRONLY | O_TRUNC);
		ck_assert_int_ge(fd, 0);
		close(fd);
		pg_append_copies(path, 2000, 300);
		pg_follow_some(e);
		want = 740 * 6;
		break;
	}
	if (want > 0)
		ck_assert_uint_eq(msgindex_count(engine_index(e)), want);
	else
		ck_assert_uint_gt(msgindex_count(engine_index(e)), 4000);
	pg_texts_whole(e, pg_input_names[_i]);
	engine_give_back(e);
	pthread_mutex_lock(&pg_mu);
	ck_assert_msg(pg_bad == 0, "%s: %d given back that are not a file's: "
		      "%s", pg_input_names[_i], pg_bad, pg_bad_what);
	if (file_pages)
		ck_assert_msg(pg_file_calls > 0, "%s: no page given back",
			      pg_input_names[_i]);
	pthread_mutex_unlock(&pg_mu);
	pg_reset();
	engine_free(e);
	rules_free(r);
	free(in);
	free(other);
	free(path);
	test_rm_rf(dir);
}
END_TEST

/* A CLS record of the long call (Call-ID longcall-1), at ms milliseconds. */
static void
pg_long_record(FILE *f, unsigned ms, int in, const char *start,
	       unsigned cseq, const char *method, const char *extra,
	       const char *body)
{
	static unsigned seq;

	seq++;
	fprintf(f, "TL_INFO(TF_PROTOCOL) [0]0A1C.0B2C::03/11/2025-%02u:%02u:"
		"%02u.%03u.%08x (SIPStack,SIPAdminLog::TraceProtocolRecord:"
		"SIPAdminLog.cpp(125))$$begin_record\n", 8 + ms / 3600000,
		ms / 60000 % 60, ms / 1000 % 60, ms % 1000, seq);
	fprintf(f, "Trace-Correlation-Id: %u\nInstance-Id: %08X\n"
		"Direction: %s\nPeer: 198.51.100.23:49721\n"
		"Message-Type: %s\nStart-Line: %s\n", seq, seq,
		in ? "incoming" : "outgoing",
		strncmp(start, "SIP/2.0", 7) == 0 ? "response" : "request",
		start);
	fprintf(f, "Via: SIP/2.0/TLS 198.51.100.23:49721;branch=z9hG4bK%u\n"
		"Max-Forwards: 70\n"
		"From: <sip:alice@uclab.org>;tag=a1b2c3\n"
		"To: <sip:bob@uclab.org>;tag=d4e5f6\n"
		"Call-ID: longcall-1\nCSeq: %u %s\n"
		"Contact: <sip:198.51.100.23:49721;transport=tls>\n"
		"User-Agent: UCCAPI/16.0.0 OC/16.0 (Skype for Business)\n%s"
		"Content-Length: %zu\nMessage-Body: %s\n$$end_record\n", cseq,
		cseq, method, extra, strlen(body), *body ? body : "-");
}

/* One call of n messages or a few more (33 MB for 40,000): answered, then
 * INFOs in it, some refused; with reread, some challenged and answered,
 * some retransmitted (the rating reads those again). */
static char *
pg_write_long_dialog(const char *dir, size_t n, int reread)
{
	static const char sdp[] = "v=0\r\no=- 0 0 IN IP4 10.0.0.1\r\n"
		"s=session\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
		"m=audio 5004 RTP/AVP 0 8 101\r\n";
	static const char *const none = "";
	/* 800 bytes a message: 33 MB, the ratings up to 13 MB apart. */
	static const char info[] = "<rtcp><report ssrc=\"0\" jitter=\"0\" "
		"loss=\"0\"/><note>a keep-alive of the call, as a client "
		"sends one every few seconds; long enough that a rating's "
		"worth of records is many runs of the file's pages; padded "
		"with this sentence, which says so and nothing else; padded "
		"with this sentence, which says so and nothing else; padded "
		"with this sentence, which says so and nothing else</note>"
		"</rtcp>";
	char *path = xasprintf("%s/long.log", dir);
	FILE *f = fopen(path, "w");
	unsigned cseq = 1, ms = 0;
	size_t k = 0;

	ck_assert_ptr_nonnull(f);
	pg_long_record(f, ms += 700, 1, "INVITE sip:bob@uclab.org SIP/2.0", cseq,
		       "INVITE", none, sdp);
	pg_long_record(f, ms += 700, 0, "SIP/2.0 100 Trying", cseq, "INVITE",
		       none, none);
	pg_long_record(f, ms += 700, 0, "SIP/2.0 200 OK", cseq, "INVITE", none,
		       sdp);
	pg_long_record(f, ms += 700, 1, "ACK sip:bob@uclab.org SIP/2.0", cseq,
		       "ACK", none, none);
	for (k = 4; k < n; k += 2) {
		cseq++;
		pg_long_record(f, ms += 700, 1, "INFO sip:bob@uclab.org SIP/2.0",
			       cseq, "INFO", none, info);
		if (reread && cseq % 10 == 3) {
			pg_long_record(f, ms += 700, 0, "SIP/2.0 401 Unauthorized",
				       cseq, "INFO", "WWW-Authenticate: Digest "
				       "realm=\"uclab.org\", nonce=\"1\"\n", none);
			cseq++;
			pg_long_record(f, ms += 700, 1,
				       "INFO sip:bob@uclab.org SIP/2.0", cseq,
				       "INFO", reread ? "Authorization: Digest "
				       "username=\"alice\"\n" : none, none);
			k += 2;
		} else if (reread && cseq % 20 == 7) {
			pg_long_record(f, ms += 700, 1,
				       "INFO sip:bob@uclab.org SIP/2.0", cseq,
				       "INFO", none, none);
			k++;
		}
		pg_long_record(f, ms += 700, 0, cseq % 25 == 11 ?
			       "SIP/2.0 488 Not Acceptable Here" :
			       "SIP/2.0 200 OK", cseq, "INFO", none, none);
	}
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* How the messages of a log came out: severity and rule of each, and of
 * its dialogs. Caller frees. */
static char *
pg_ratings(const struct engine *e)
{
	const struct msgindex *ix = engine_index(e);
	const struct dialogs *ds = engine_dialogs(e);
	struct strbuf sb;
	size_t k;

	strbuf_init(&sb);
	for (k = 0; k < msgindex_count(ix); k++) {
		const struct msg *m = msgindex_get(ix, (uint32_t)k);

		strbuf_addf(&sb, "%u.%u ", (unsigned)m->severity,
			    (unsigned)m->rule);
	}
	for (k = 0; k < dialogs_count(ds); k++) {
		const struct dialog *d = dialogs_get(ds, (uint32_t)k);

		strbuf_addf(&sb, "d%u.%u.%zu ", (unsigned)d->severity,
			    (unsigned)d->outcome, (size_t)d->nmsgs);
	}
	return strbuf_detach(&sb);
}

/* How a log is indexed: as engine_run() does (ratings spaced by half the
 * messages the last one read), with and without its second thread; as it
 * did before 2026-11-29 (a rating every 16384 records); in the viewer's
 * slices (engine_step of 2000 records, app.c), with and without the
 * second thread (a file of 16 MB or more). */
enum pg_way {
	PG_RUN,
	PG_RUN_ONE_THREAD,
	PG_STEPS_16384,
	PG_SLICES,
	PG_SLICES_TWO_THREADS,
	PG__WAYS
};

static const char *const pg_way_names[PG__WAYS] = {
	"engine_run", "engine_run, one thread", "steps of 16384",
	"viewer slices", "viewer slices, two threads",
};

/* Indexes path the way way does; the most its mapping held, in kB, just
 * before pages were given back, in *most. */
static struct engine *
pg_index(const char *path, const struct rules *r, enum pg_way way,
	 long *most)
{
	struct engine *e = engine_new();
	char *err = NULL;

	engine_set_rules(e, r);
	engine_set_parallel(e, way == PG_RUN || way == PG_SLICES_TWO_THREADS);
	ck_assert_msg(engine_add_file(e, path, NULL, &err) == 0, "%s", err);
	pg_reset();
	pthread_mutex_lock(&pg_mu);
	pg_watch = (uintptr_t)engine_file(e, 0)->src->data;
	pg_watch_len = engine_file(e, 0)->src->len;
	pthread_mutex_unlock(&pg_mu);
	switch (way) {
	case PG_RUN:
	case PG_RUN_ONE_THREAD:
		engine_run(e);
		break;
	case PG_STEPS_16384:
		while (engine_step(e, 16384))
			;
		break;
	case PG_SLICES:
	case PG_SLICES_TWO_THREADS:
		while (engine_step(e, 2000))
			;
		break;
	case PG__WAYS:
		break;
	}
	pthread_mutex_lock(&pg_mu);
	*most = pg_watch_most;
	ck_assert_msg(pg_bad == 0, "%s", pg_bad_what);
	pthread_mutex_unlock(&pg_mu);
	pg_reset();
	return e;
}

/* A call of 40,000 messages indexed every way: rated alike, and the
 * log's mapping held less than limit kB (0: not looked at). */
static void
pg_long_dialog(int reread, long limit)
{
	char dir[64], *path, *want, *got;
	struct rules *r = test_default_rules();
	struct engine *e;
	long most;
	int way;

	test_mkdtemp(dir, "longdialog");
	path = pg_write_long_dialog(dir, 40000, reread);
	e = pg_index(path, r, PG_STEPS_16384, &most);
	ck_assert_uint_ge(msgindex_count(engine_index(e)), 40000);
	ck_assert_uint_eq(dialogs_count(engine_dialogs(e)), 1);
	want = pg_ratings(e);
	/* Rated at all: the 488s are errors. */
	ck_assert_ptr_nonnull(strstr(want, "d5."));
	engine_free(e);
	for (way = 0; way < PG__WAYS; way++) {
		e = pg_index(path, r, (enum pg_way)way, &most);
		got = pg_ratings(e);
		ck_assert_msg(strcmp(got, want) == 0, "%s: rated otherwise",
			      pg_way_names[way]);
		ck_assert_msg(limit == 0 || (most > 0 && most < limit),
			      "%s: the log's mapping held %ld kB",
			      pg_way_names[way], most);
		free(got);
		engine_free(e);
	}
	free(want);
	rules_free(r);
	free(path);
	test_rm_rf(dir);
}

/* One call of 40,000 messages in a 33 MB log: the ratings come further
 * apart as the call grows (up to 16384 records, 13 MB of this log), and
 * the pages indexed do not wait for them past ENGINE_DROP_LAG runs (2 MiB
 * here): the log's mapping stays small on every way of indexing it, and
 * every way rates its messages alike. */
START_TEST(test_long_dialog_pages)
{
	pg_long_dialog(0, 5 * 1024);
}
END_TEST

/* The same call with challenges answered and retransmissions, which its
 * rating reads again: every way rates it alike. Its mapping is not looked
 * at: each rating reads those messages from the call's start to its end
 * and maps most of the log back (31 MB of 32) until the rating is over
 * (engine_give_back). Giving them back every 4 MiB within the rating
 * kept it at 6 MB, but a rating that goes back and forth between
 * messages far apart (a log of copies of one: each copy compared with
 * the first) then mapped a 2 MiB folio again at each read: four times
 * the CPU. */
START_TEST(test_long_dialog_rereads)
{
	pg_long_dialog(1, 0);
}
END_TEST

static Suite *
enginepages_suite(void)
{
	Suite *s = suite_create("enginepages");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_given_back_file_pages_only, 0, PG__COUNT);
	tcase_add_test(tc, test_long_dialog_pages);
	tcase_add_test(tc, test_long_dialog_rereads);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(enginepages_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
