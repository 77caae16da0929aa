/* Unit tests for engine_run's second thread: a log indexed with the reader
 * on its own thread must give exactly the index, dialogs, strings, ratings
 * and warnings of the one-thread path, whatever the batch boundaries. And
 * the facts the rules take while indexing must agree with auth.c. */
#include <check.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "helpers.h"
#include "auth.h"
#include "engine.h"
#include "intern.h"
#include "msgindex.h"
#include "reader.h"
#include "rules.h"
#include "source.h"

/* engine.c's ENGINE_PAR_BATCH: slices that end where its batches do. */
#define ENGINE_PAR_TEST_BATCH 256

static const char par_rules[] =
	"rule diagnostic-event\n"
	"\tkind diagnostic\n"
	"\tseverity log info\n"
	"\texplain ${level} event$[: ${header:Text}]\n"
	"rule retransmission\n"
	"\tretransmission yes\n"
	"\tseverity warning\n"
	"\texplain retransmission from ${src}\n"
	"rule auth-challenge-answered\n"
	"\tkind response\n"
	"\tstatus 401 407\n"
	"\tchallenge answered\n"
	"\tseverity benign\n"
	"\texplain server offers ${schemes}; answered with ${scheme}\n"
	"rule failure\n"
	"\tkind response\n"
	"\tstatus 400-699\n"
	"\tseverity error\n"
	"\texplain ${method} failed: ${status} ${reason}\n"
	"rule success\n"
	"\tkind response\n"
	"\tstatus 2xx\n"
	"\tseverity ok\n"
	"\texplain ${method} succeeded$[ with ${scheme}]\n"
	"rule no-response\n"
	"\tkind request\n"
	"\tnot method ACK\n"
	"\treply none\n"
	"\tseverity warning\n"
	"\texplain no response to ${method}\n";

/* One CLS protocol record. */
static void
par_record(struct strbuf *sb, unsigned seq, const char *dir, const char *peer,
	   const char *start, const char *callid, const char *cseq,
	   const char *extra)
{
	strbuf_addf(sb,
	    "TL_INFO(TF_PROTOCOL) [pool\\fe%u]0A1C.0B2C::03/05/2024-08:%02u:%02u"
	    ".%03u.%08x (SIPStack,SIPAdminLog::TraceProtocolRecord:"
	    "SIPAdminLog.cpp(125))$$begin_record\n"
	    "Trace-Correlation-Id: %u\n"
	    "Instance-Id: %08x\n"
	    "Direction: %s\n"
	    "Peer: %s\n"
	    "Message-Type: %s\n"
	    "Start-Line: %s\n"
	    "From: <sip:user%u@example.com>;tag=f%u\n"
	    "To: <sip:user%u@example.com>\n"
	    "Call-ID: %s\n"
	    "CSeq: %s\n"
	    "Via: SIP/2.0/TLS 10.1.%u.%u:5061;branch=z9hG4bK%u\n"
	    "%s"
	    "Content-Length: 0\n"
	    "Message-Body: -\n"
	    "$$end_record\n",
	    seq % 3, (seq / 60) % 60, seq % 60, seq % 1000, seq, seq, seq,
	    dir, peer, strncmp(start, "SIP/", 4) == 0 ? "response" : "request",
	    start, seq % 97, seq % 97, seq % 89, callid, cseq, seq % 7, seq % 11,
	    seq / 2, extra);
}

/* A server log: registrations challenged and answered, calls that fail,
 * retransmissions, diagnostic events, junk between records and a last
 * record cut short. */
static char *
par_log(size_t ndialogs, size_t *len)
{
	struct strbuf sb;
	char callid[64], peer[64];
	unsigned seq = 1;
	size_t i;

	strbuf_init(&sb);
	strbuf_adds(&sb, "junk before the first record\n\n");
	for (i = 0; i < ndialogs; i++) {
		snprintf(callid, sizeof callid, "c%zu-%zx", i, i * 2654435761u);
		snprintf(peer, sizeof peer, "192.0.2.%zu:%zu", i % 250,
			 40000 + i % 977);
		if (i % 3 == 0) {
			par_record(&sb, seq++, "incoming", peer,
			    "REGISTER sip:example.com SIP/2.0", callid,
			    "1 REGISTER", "");
			par_record(&sb, seq++, "outgoing", peer,
			    "SIP/2.0 401 Unauthorized", callid, "1 REGISTER",
			    "WWW-Authenticate: NTLM realm=\"SIP\", "
			    "targetname=\"fe.example.com\", version=4\n"
			    "WWW-Authenticate: Kerberos realm=\"SIP\"\n");
			par_record(&sb, seq++, "incoming", peer,
			    "REGISTER sip:example.com SIP/2.0", callid,
			    "2 REGISTER",
			    "Authorization: NTLM qop=\"auth\", realm=\"SIP\", "
			    "opaque=\"1\", gssapi-data=\"\"\n");
			par_record(&sb, seq++, "outgoing", peer,
			    "SIP/2.0 200 OK", callid, "2 REGISTER", "");
		} else if (i % 3 == 1) {
			/* The INVITE twice: a retransmission. */
			size_t before = sb.len;

			par_record(&sb, seq++, "incoming", peer,
			    "INVITE sip:bob@example.com SIP/2.0", callid,
			    "1 INVITE", "");
			if (i % 2 == 0) {
				char *dup = xstrndup(sb.buf + before,
						     sb.len - before);

				strbuf_adds(&sb, dup);
				free(dup);
			}
			par_record(&sb, seq++, "outgoing", peer,
			    "SIP/2.0 486 Busy Here", callid, "1 INVITE",
			    "ms-diagnostics: 1000;reason=\"busy\"\n");
			strbuf_addf(&sb,
			    "TL_ERROR(TF_DIAG) [pool\\fe1]0A1C.0B2C::03/05/2024-"
			    "09:00:00.000.%08x (SIPStack,Diag)$$begin_record\n"
			    "LogType: diagnostic\n"
			    "Severity: error\n"
			    "Text: routing failed\n"
			    "SIP-Call-ID: %s\n"
			    "SIP-CSeq: 1 INVITE\n"
			    "Peer: %s\n"
			    "$$end_record\n", seq++, callid, peer);
		} else {
			par_record(&sb, seq++, "outgoing", peer,
			    "OPTIONS sip:x@example.com SIP/2.0", callid,
			    "1 OPTIONS", "");
			if (i % 5 == 0)
				strbuf_adds(&sb, "stray line\n");
		}
	}
	par_record(&sb, seq, "incoming", "192.0.2.9:5061",
	    "BYE sip:bob@example.com SIP/2.0", "last", "2 BYE", "");
	sb.len -= 20;		/* cut short: no $$end_record */
	sb.buf[sb.len] = '\0';
	*len = sb.len;
	return strbuf_detach(&sb);
}

/* A new directory in dir (64 bytes) with the file name holding the len
 * bytes of log; returns its path (caller frees). */
static char *
par_file(char *dir, const char *name, const char *log, size_t len)
{
	char *path;
	FILE *f;

	test_mkdtemp(dir, "enginepar");
	path = xasprintf("%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(log, 1, len, f), len);
	fclose(f);
	return path;
}

/* An engine with the rules r and the files a (and b when not NULL), not
 * indexed yet. */
static struct engine *
par_engine(const struct rules *r, const char *a, size_t alen, const char *b,
	   size_t blen, size_t par_min)
{
	struct engine *e = engine_new();
	char *err = NULL;

	engine_set_rules(e, r);
	engine_set_parallel(e, par_min);
	ck_assert_int_eq(engine_add_mem(e, "a.log", a, alen, NULL, &err), 0);
	if (b != NULL)
		ck_assert_int_eq(engine_add_mem(e, "b.log", b, blen, NULL,
						&err), 1);
	return e;
}

static struct engine *
par_index(const struct rules *r, const char *a, size_t alen, const char *b,
	  size_t blen, size_t par_min)
{
	struct engine *e = par_engine(r, a, alen, b, blen, par_min);

	engine_run(e);
	ck_assert(engine_done(e));
	return e;
}

static void
par_compare(const struct rules *r, struct engine *x, struct engine *y)
{
	struct msgindex *ix = engine_index(x), *iy = engine_index(y);
	struct dialogs *dx = engine_dialogs(x), *dy = engine_dialogs(y);
	struct strbuf ex, ey;
	size_t i, n = msgindex_count(ix);

	ck_assert_uint_eq(n, msgindex_count(iy));
	ck_assert_uint_gt(n, 3000);
	ck_assert_uint_eq(intern_count(engine_strings(x)),
			  intern_count(engine_strings(y)));
	ck_assert_uint_eq(intern_count(engine_call_ids(x)),
			  intern_count(engine_call_ids(y)));
	strbuf_init(&ex);
	strbuf_init(&ey);
	for (i = 0; i < n; i++) {
		const struct msg *a = msgindex_get(ix, (uint32_t)i);
		const struct msg *b = msgindex_get(iy, (uint32_t)i);

		ck_assert_msg(memcmp(a, b, sizeof *a) == 0,
			      "message %zu differs", i);
		strbuf_reset(&ex);
		strbuf_reset(&ey);
		rules_explain(r, x, (uint32_t)i, &ex);
		rules_explain(r, y, (uint32_t)i, &ey);
		ck_assert_uint_eq(ex.len, ey.len);
		if (ex.len > 0)
			ck_assert_str_eq(ex.buf, ey.buf);
	}
	strbuf_free(&ex);
	strbuf_free(&ey);
	ck_assert_uint_eq(dialogs_count(dx), dialogs_count(dy));
	for (i = 0; i < dialogs_count(dx); i++) {
		const struct dialog *a = dialogs_get(dx, (uint32_t)i);
		const struct dialog *b = dialogs_get(dy, (uint32_t)i);

		ck_assert_uint_eq(dialogs_call_id(dx, engine_index(x), a),
				  dialogs_call_id(dy, engine_index(y), b));
		ck_assert_uint_eq(a->nmsgs, b->nmsgs);
		ck_assert(memcmp(dialogs_msgs(dx, a), dialogs_msgs(dy, b),
				 a->nmsgs * sizeof(uint32_t)) == 0);
		ck_assert_uint_eq(a->severity, b->severity);
		ck_assert_uint_eq(a->outcome, b->outcome);
		/* The same scheme: its id is interned when the dialog is
		 * rated, whose moment the slices change. */
		ck_assert_str_eq(intern_str(engine_strings(x),
					    dialogs_auth(dx, a), NULL),
				 intern_str(engine_strings(y),
					    dialogs_auth(dy, b), NULL));
	}
	ck_assert_uint_eq(engine_nwarnings(x), engine_nwarnings(y));
	ck_assert_uint_gt(engine_nwarnings(x), 0);
	for (i = 0; i < engine_nwarnings(x); i++) {
		const struct engine_warning *a = engine_warning(x, i);
		const struct engine_warning *b = engine_warning(y, i);

		ck_assert_uint_eq(a->file, b->file);
		ck_assert_uint_eq(a->line, b->line);
		ck_assert_str_eq(a->msg, b->msg);
	}
	for (i = 0; i < engine_nfiles(x); i++) {
		ck_assert_uint_eq(engine_file(x, i)->nmsgs,
				  engine_file(y, i)->nmsgs);
		ck_assert_str_eq(engine_file(x, i)->local_name,
				 engine_file(y, i)->local_name);
	}
}

/* par_compare(), then both engines are freed. */
static void
par_compare_free(const struct rules *r, struct engine *x, struct engine *y)
{
	par_compare(r, x, y);
	engine_free(x);
	engine_free(y);
}

static struct rules *
par_rules_new(void)
{
	struct strbuf errs;
	struct rules *r;

	strbuf_init(&errs);
	r = rules_parse("par", par_rules, sizeof par_rules - 1, &errs);
	ck_assert_msg(r != NULL, "%s", errs.buf != NULL ? errs.buf : "");
	strbuf_free(&errs);
	return r;
}

START_TEST(test_same_index)
{
	struct rules *r = par_rules_new();
	struct engine *x, *y;
	size_t len;
	char *log = par_log(1200, &len);
	size_t i, n;
	int retrans = 0, diag_err = 0, benign = 0;

	x = par_index(r, log, len, NULL, 0, 0);
	y = par_index(r, log, len, NULL, 0, 1);
	par_compare(r, x, y);
	/* The log says what it should: the comparison is not of two empty
	 * or unrated indexes. */
	n = msgindex_count(engine_index(y));
	for (i = 0; i < n; i++) {
		const struct msg *m = msgindex_get(engine_index(y), (uint32_t)i);

		retrans += (m->flags & RECF_RETRANS) != 0;
		diag_err += m->kind == MSG_DIAG && m->severity == SEV_ERROR;
		benign += m->severity == SEV_BENIGN;
	}
	ck_assert_int_eq(retrans, 200);
	ck_assert_int_eq(diag_err, 400);
	ck_assert_int_eq(benign, 400);
	ck_assert(msgindex_get(engine_index(y), (uint32_t)n - 1)->flags &
		  RECF_TRUNCATED);
	engine_free(x);
	engine_free(y);
	free(log);
	rules_free(r);
}
END_TEST

START_TEST(test_two_files)
{
	struct rules *r = par_rules_new();
	struct engine *x, *y;
	size_t alen, blen;
	char *a = par_log(900, &alen), *b = par_log(700, &blen);

	/* Only the larger file goes to a second thread; the smaller one is
	 * read on this one; then both are merged by time. */
	x = par_index(r, a, alen, b, blen, 0);
	y = par_index(r, a, alen, b, blen, alen);
	par_compare_free(r, x, y);
	free(a);
	free(b);
	rules_free(r);
}
END_TEST

/* A client log of n notifications from one server (minute m of the log),
 * each cut by the end of a read inside its body, a send of the client's in
 * between, and the rest read with a message of the dialog glued to it (a
 * body with no line break at its end). */
static char *
uc_split_log(size_t n, int m, size_t *len)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
#define UC_AT(ms) "11/03/2025|09:%02d:%02zu.%03d 1A2C:0B40 INFO  :: "
#define UC_IN "Data Received - 10.0.0.1:443 (To Local Address: " \
	"10.0.0.2:5000) 1 bytes"
#define UC_OUT "Sending Packet - 10.0.0.1:443 (From Local Address: " \
	"10.0.0.2:5000) 1 bytes"
		strbuf_addf(&sb, UC_AT(0) UC_IN ":\n" UC_AT(0)
		    "NOTIFY sip:u@10.0.0.2 SIP/2.0\nCall-ID: s%d-%zu\n"
		    "CSeq: 1 NOTIFY\nContent-Length: 23\n\n<x>head-\n"
		    UC_AT(0) "End of " UC_IN "\n", m, i % 60, 100, m, i % 60,
		    100, m, i, m, i % 60, 100);
		strbuf_addf(&sb, UC_AT(0) UC_OUT ":\n" UC_AT(0)
		    "OPTIONS sip:s@10.0.0.1 SIP/2.0\nCall-ID: o%d-%zu\n"
		    "CSeq: 1 OPTIONS\nContent-Length: 0\n\n"
		    UC_AT(0) "End of " UC_OUT "\n", m, i % 60, 200, m, i % 60,
		    200, m, i, m, i % 60, 200);
		strbuf_addf(&sb, UC_AT(0) UC_IN ":\n" UC_AT(0)
		    "%06zu-tail</x>SIP/2.0 200 OK\nCall-ID: s%d-%zu\n"
		    "CSeq: 2 NOTIFY\nContent-Length: 0\n\n"
		    UC_AT(0) "End of " UC_IN "\n", m, i % 60, 300, m, i % 60,
		    300, i, m, i, m, i % 60, 300);
#undef UC_AT
#undef UC_IN
#undef UC_OUT
	}
	*len = sb.len;
	return strbuf_detach(&sb);
}

/* Message id of e is a notification of uc_split_log() joined whole: its
 * body, its text for searches, read again as often as wanted. */
static void
uc_ck_joined(struct engine *e, uint32_t id)
{
	struct rd_record rec;
	struct span t;
	char want[64];
	const char *cid;
	int m;
	size_t i;

	ck_assert_int_eq(engine_message(e, id, &rec, NULL), 0);
	ck_assert_uint_eq(rec.flags & RECF_JOINED, RECF_JOINED);
	ck_assert_uint_eq(rec.flags & RECF_TRUNCATED, 0);
	cid = memmem(rec.hdrs.p, rec.hdrs.n, "Call-ID: s", 10);
	ck_assert_ptr_nonnull(cid);
	ck_assert_int_eq(sscanf(cid + 10, "%d-%zu", &m, &i), 2);
	snprintf(want, sizeof want, "<x>head-%06zu-tail</x>", i);
	ck_assert_uint_eq(rec.body.n, strlen(want));
	ck_assert(memcmp(rec.body.p, want, rec.body.n) == 0);
	t = engine_record_text(e, id);
	ck_assert_ptr_nonnull(memmem(t.p, t.n, want, strlen(want)));
	ck_assert_ptr_nonnull(memmem(t.p, t.n, "NOTIFY sip:u@", 13));
}

/* Messages of a client log that a read ended inside are joined to their
 * rest, by the second thread as by this one, and their text is there
 * whenever they are read again: once the files are merged by time too
 * (the ids change). */
START_TEST(test_uccapi_joined)
{
	struct engine *x, *y, *z;
	size_t alen, blen, i, n, joined = 0;
	char *a = uc_split_log(1100, 1, &alen), *b = uc_split_log(40, 0, &blen);
	char *err = NULL;

	x = par_index(NULL, a, alen, NULL, 0, 0);
	y = par_index(NULL, a, alen, NULL, 0, 1);
	n = msgindex_count(engine_index(x));
	ck_assert_uint_eq(n, 3 * 1100);
	ck_assert_uint_eq(msgindex_count(engine_index(y)), n);
	ck_assert_uint_eq(engine_nwarnings(x), 0);
	ck_assert_uint_eq(engine_nwarnings(y), 0);
	for (i = 0; i < n; i++) {
		const struct msg *mx = msgindex_get(engine_index(x),
						    (uint32_t)i);

		ck_assert(memcmp(mx, msgindex_get(engine_index(y),
			  (uint32_t)i), sizeof *mx) == 0);
		if (i % 3 == 0) {
			uc_ck_joined(x, (uint32_t)i);
			uc_ck_joined(y, (uint32_t)i);
			joined++;
		} else if (i % 3 == 2)
			ck_assert_uint_eq(mx->status, 200);
	}
	ck_assert_uint_eq(joined, 1100);
	engine_free(x);
	engine_free(y);

	/* b's messages come first in time: a's ids all move. */
	z = engine_new();
	ck_assert_int_eq(engine_add_mem(z, "a.log", a, alen, NULL, &err), 0);
	ck_assert_int_eq(engine_add_mem(z, "b.log", b, blen, NULL, &err), 1);
	engine_run(z);
	n = msgindex_count(engine_index(z));
	ck_assert_uint_eq(n, 3 * 1140);
	for (i = joined = 0; i < n; i++) {
		struct rd_record rec;

		ck_assert_int_eq(engine_message(z, (uint32_t)i, &rec, NULL), 0);
		if (rec.start.n > 6 && memcmp(rec.start.p, "NOTIFY", 6) == 0) {
			uc_ck_joined(z, (uint32_t)i);
			joined++;
		}
	}
	ck_assert_uint_eq(joined, 1140);
	ck_assert_uint_eq(msgindex_get(engine_index(z), 0)->file, 1);
	engine_free(z);
	free(a);
	free(b);
}
END_TEST

/* This process's threads, from /proc: the test sees the second thread
 * start and end, not only the same index in the end. */
static int
par_threads(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int n = -1;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "Threads:", 8) == 0)
			n = atoi(line + 8);
	fclose(f);
	ck_assert_int_gt(n, 0);
	return n;
}

/* The threads of this process, once they are want: a thread joined may
 * still be counted for a moment (the kernel wakes the joiner as the
 * thread exits, and removes it from the process just after), more so on
 * a loaded machine. Waits up to two seconds, then gives the count. */
static int
par_threads_settle(int want)
{
	struct timespec pause = { 0, 2000000 };
	int n, tries;

	for (tries = 0; (n = par_threads()) != want && tries < 1000; tries++)
		nanosleep(&pause, NULL);
	return n;
}

/* engine_step() in slices of uneven sizes (a viewer's), cutting batches
 * anywhere, until the end. */
static void
par_steps(struct engine *e)
{
	static const size_t budgets[] = { 1, 7, 255, 256, 1000, 3, 513 };
	size_t k = 0;

	while (engine_step(e, budgets[k++ % 7]))
		;
	ck_assert(engine_done(e));
}

/* Indexed with engine_step() as a viewer does, checking that the second
 * thread runs while there is a file to read, and only then. */
static struct engine *
par_step_index(const struct rules *r, const char *a, size_t alen,
	       const char *b, size_t blen, size_t par_min)
{
	int before = par_threads();
	struct engine *e = par_engine(r, a, alen, b, blen, par_min);

	ck_assert(engine_step(e, 1));
	ck_assert_int_eq(par_threads(), before + (par_min > 0));
	par_steps(e);
	ck_assert_int_eq(par_threads_settle(before), before);
	ck_assert_uint_eq(engine_progress(e), 1000);
	return e;
}

START_TEST(test_step_slices)
{
	struct rules *r = par_rules_new();
	struct engine *x, *y;
	size_t alen, blen;
	char *a = par_log(1200, &alen), *b = par_log(700, &blen);

	/* One file, then two merged: engine_step() with the second thread
	 * gives the index of engine_step() on one, step for step. */
	x = par_step_index(r, a, alen, NULL, 0, 0);
	y = par_step_index(r, a, alen, NULL, 0, 1);
	par_compare_free(r, x, y);
	x = par_step_index(r, a, alen, b, blen, 0);
	y = par_step_index(r, a, alen, b, blen, 1);
	par_compare_free(r, x, y);
	free(a);
	free(b);
	rules_free(r);
}
END_TEST

/* A viewer that quits while the second thread reads: it is stopped and
 * joined, whatever it was waiting for, and nothing leaks. */
START_TEST(test_free_midway)
{
	size_t len, k;
	char *log = par_log(1200, &len), *err = NULL;
	int before = par_threads();

	for (k = 0; k < 4; k++) {
		struct engine *e = engine_new();
		size_t n = (size_t[]){ 0, 1, 300, 2000 }[k];

		engine_set_parallel(e, 1);
		ck_assert_int_eq(engine_add_mem(e, "a.log", log, len, NULL,
						&err), 0);
		if (n > 0) {
			ck_assert(engine_step(e, n));
			ck_assert_uint_eq(msgindex_count(engine_index(e)), n);
			ck_assert_uint_lt(engine_progress(e), 1000);
			ck_assert_int_eq(par_threads(), before + 1);
		}
		engine_free(e);
		ck_assert_int_eq(par_threads_settle(before), before);
	}
	free(log);
}
END_TEST

/* Indexed to n records, then followed (the viewer's F), then to the end
 * and what the file gained. */
static struct engine *
par_follow(const struct rules *r, const char *path, size_t par_min, size_t n,
	   const char *more)
{
	struct engine *e = engine_new();
	char *err = NULL;
	size_t before;
	int threads = par_threads();
	FILE *f;

	engine_set_rules(e, r);
	engine_set_parallel(e, par_min);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	ck_assert(engine_step(e, n));
	ck_assert_int_eq(par_threads(), threads + (par_min > 0));
	engine_follow_files(e);
	ck_assert_int_eq(par_threads_settle(threads), threads);
	while (engine_step(e, 1000))
		;
	before = msgindex_count(engine_index(e));
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs(more, f);
	fclose(f);
	ck_assert_int_eq(engine_poll(e), 1);
	while (engine_step(e, 1000))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(e)), before + 2);
	return e;
}

START_TEST(test_follow_midway)
{
	struct rules *r = par_rules_new();
	struct engine *x, *y;
	struct strbuf more;
	char dir[64], *path, *log;
	size_t len;

	/* Whole records only: a last one cut short waits while followed. */
	log = par_log(1200, &len);
	len = (size_t)(strrchr(log, '$') - log);
	while (len > 0 && log[len - 1] != '\n')
		len--;
	path = par_file(dir, "fe.log", log, len);
	strbuf_init(&more);
	par_record(&more, 9000, "incoming", "192.0.2.7:5061",
	    "BYE sip:bob@example.com SIP/2.0", "late", "3 BYE", "");
	par_record(&more, 9001, "outgoing", "192.0.2.7:5061",
	    "SIP/2.0 200 OK", "late", "3 BYE", "");
	/* Followed while the second thread is part way: it hands the file
	 * over to this one's reader at the end of the last batch it read. */
	x = par_follow(r, path, 0, 300, more.buf);
	ck_assert_int_eq(truncate(path, (off_t)len), 0);
	y = par_follow(r, path, 1, 300, more.buf);
	par_compare_free(r, x, y);
	strbuf_free(&more);
	free(path);
	free(log);
	test_rm_rf(dir);
	rules_free(r);
}
END_TEST

/* A slow committing thread, as on a loaded machine: while par_pause is
 * set, this thread sleeps after every mutex it releases, so the second
 * thread runs ahead into every gap the engine leaves it. */
static volatile int par_pause;
static pthread_t par_main;
/* When set: the second thread's par_cut_at-th unlock first cuts the file
 * at par_cut_path to par_cut_len bytes. */
static const char *volatile par_cut_path;
static off_t par_cut_len;
static int par_cut_at, par_cut_seen;

int
pthread_mutex_unlock(pthread_mutex_t *mu)
{
	static int (*real)(pthread_mutex_t *);
	int rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "pthread_mutex_unlock");
	if (par_cut_path != NULL && !pthread_equal(pthread_self(), par_main) &&
	    ++par_cut_seen == par_cut_at) {
		if (truncate(par_cut_path, par_cut_len) != 0)
			abort();
		par_cut_path = NULL;
	}
	rc = real(mu);
	if (par_pause && pthread_equal(pthread_self(), par_main)) {
		struct timespec ts = { 0, 4000000 };

		nanosleep(&ts, NULL);
	}
	return rc;
}

/* The second thread refills a batch as soon as it is handed back; the
 * batch that ends the file may land in the slot just released. Whether
 * the released batch was the last must be read before handing it back,
 * or the batches between were dropped (640 of 16000 messages lost). */
START_TEST(test_last_batch_refilled)
{
	struct engine *x, *y;
	size_t len, k;
	char *log = par_log(1200, &len);

	x = par_index(NULL, log, len, NULL, 0, 0);
	par_main = pthread_self();
	for (k = 0; k < 2; k++) {
		par_pause = 1;
		if (k == 0) {
			y = par_index(NULL, log, len, NULL, 0, 1);
		} else {
			y = par_engine(NULL, log, len, NULL, 0, 1);
			while (engine_step(y, ENGINE_PAR_TEST_BATCH))
				;
		}
		par_pause = 0;
		ck_assert_uint_eq(msgindex_count(engine_index(y)),
				  msgindex_count(engine_index(x)));
		engine_free(y);
	}
	engine_free(x);
	free(log);
}
END_TEST

/* A file cut by another program after the second thread read a batch's
 * records and before they were parsed: they are parsed from the zeros the
 * guard maps past the new end (source_guard). What was read before the
 * cut is kept, the record it cut read again as one cut short; nothing of
 * the zeros becomes a message or a warning; one warning names the file. The cut comes as the thread hands its first
 * batch over (its second unlock: one as it takes the empty batch, one as
 * it gives it full), before anything of it is parsed. */
START_TEST(test_cut_while_parsed)
{
	struct engine *e, *x;
	const struct engine_warning *w;
	char dir[64], *path, *log, *err = NULL;
	const char *p;
	size_t len, i, n, want;
	off_t cut = 20000;

	ck_assert_int_eq(source_guard(), 0);
	log = par_log(1200, &len);
	path = par_file(dir, "cut.log", log, len);
	e = engine_new();
	engine_set_parallel(e, 1);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	ck_assert_int_eq(engine_file(e, 0)->src->mapped, 1);
	par_main = pthread_self();
	par_cut_len = cut;
	par_cut_at = 2;
	par_cut_seen = 0;
	par_cut_path = path;
	engine_run(e);
	ck_assert_ptr_null(par_cut_path);
	n = msgindex_count(engine_index(e));
	/* The records that start in the first 20000 bytes, the last one
	 * cut short. */
	want = 0;
	for (p = log; (p = strstr(p, "$$begin_record")) != NULL &&
	     p < log + cut; p++)
		want++;
	ck_assert_uint_gt(want, 10);
	ck_assert_uint_eq(n, want);
	/* As read from the first 20000 bytes alone (the last record cut
	 * short), with the same warnings, and first one that says why. */
	x = par_index(NULL, log, (size_t)cut, NULL, 0, 0);
	ck_assert_uint_eq(msgindex_count(engine_index(x)), n);
	for (i = 0; i < n; i++) {
		const struct msg *a = msgindex_get(engine_index(e), (uint32_t)i);
		const struct msg *b = msgindex_get(engine_index(x), (uint32_t)i);

		ck_assert_uint_eq(a->off, b->off);
		ck_assert_uint_eq(a->flags, b->flags);
		ck_assert_uint_eq(msgindex_len(engine_index(e), (uint32_t)i),
				  msgindex_len(engine_index(x), (uint32_t)i));
		ck_assert_str_eq(engine_call_id(e, (uint32_t)i),
				 engine_call_id(x, (uint32_t)i));
	}
	ck_assert_uint_eq(engine_nwarnings(e), engine_nwarnings(x) + 1);
	w = engine_warning(e, 0);
	ck_assert_uint_eq(w->line, 0);
	ck_assert_ptr_nonnull(strstr(w->msg, "the file shrank while it was "
				     "being read"));
	for (i = 1; i < engine_nwarnings(e); i++) {
		ck_assert_uint_eq(engine_warning(e, i)->line,
				  engine_warning(x, i - 1)->line);
		ck_assert_str_eq(engine_warning(e, i)->msg,
				 engine_warning(x, i - 1)->msg);
	}
	ck_assert_pstr_eq(engine_warning(x, i - 2)->msg,
			  "message cut short (kept, flagged truncated)");
	engine_free(x);
	ck_assert_uint_eq(engine_file(e, 0)->shrank_to, (size_t)cut);
	engine_free(e);
	free(path);
	free(log);
	test_rm_rf(dir);
}
END_TEST

/* The scheme the rules take from a request while indexing is the one
 * auth_credentials() finds, whatever the header looks like. */
START_TEST(test_cred_scheme)
{
	static const char *const auths[] = {
		"Authorization: NTLM qop=\"auth\", realm=\"SIP\"\r\n",
		"Authorization:   Kerberos qop=\"auth\"\r\n",
		"Authorization: , Digest username=\"a\"\r\n",
		"Authorization:\r\nProxy-Authorization: Basic YWxhZGRpbg==\r\n",
		"Proxy-Authorization: TLS-DSK qop=\"auth\"\r\n",
		"Authorization: Negotiate YWJj\r\n",
		"Authorization: Foo-Bar x=1\r\n",
		"Authorization: ntlm:junk\r\n",
		"Authorization: \"quoted\" NTLM\r\n",
		"Authorization: ,,\r\nAuthorization: kerberos a=b\r\n",
	};
	static const char rule[] =
		"rule req\n\tkind request\n\tseverity info\n"
		"\texplain [${scheme}]\n";
	struct strbuf errs, log, ex, want;
	struct rules *r;
	struct engine *e;
	struct rd_record rec;
	struct sipmsg m;
	enum auth_scheme sch;
	char *err = NULL;
	size_t i;

	strbuf_init(&errs);
	r = rules_parse("t", rule, sizeof rule - 1, &errs);
	ck_assert(r != NULL);
	strbuf_free(&errs);
	strbuf_init(&log);
	for (i = 0; i < sizeof auths / sizeof auths[0]; i++)
		strbuf_addf(&log,
		    "REGISTER sip:example.com SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%zu\r\n"
		    "From: <sip:a@example.com>;tag=%zu\r\n"
		    "To: <sip:a@example.com>\r\n"
		    "Call-ID: reg-%zu\r\n"
		    "CSeq: 1 REGISTER\r\n"
		    "%s"
		    "Content-Length: 0\r\n\r\n", i, i, i, auths[i]);
	e = engine_new();
	engine_set_rules(e, r);
	ck_assert_int_eq(engine_add_mem(e, "t.sip", log.buf, log.len, "raw",
					&err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)),
			  sizeof auths / sizeof auths[0]);
	strbuf_init(&ex);
	strbuf_init(&want);
	for (i = 0; i < msgindex_count(engine_index(e)); i++) {
		ck_assert_int_eq(engine_message(e, (uint32_t)i, &rec, &m), 0);
		sch = auth_credentials(&m, NULL);
		sipmsg_clear(&m);
		strbuf_reset(&ex);
		strbuf_reset(&want);
		rules_explain(r, e, (uint32_t)i, &ex);
		ck_assert_ptr_nonnull(ex.buf);
		if (sch != AUTH_NONE && sch != AUTH_OTHER) {
			strbuf_addf(&want, "[%s]", auth_scheme_name(sch));
			ck_assert_str_eq(ex.buf, want.buf);
		} else
			/* Named as written, or none. */
			ck_assert_msg(strcmp(ex.buf, "[Foo-Bar]") == 0 ||
				      strcmp(ex.buf, "[]") == 0 ||
				      strcmp(ex.buf, "[ntlm]") == 0,
				      "message %zu: %s", i, ex.buf);
	}
	/* Not everything came out the same: the cases differ. */
	rules_explain(r, e, 6, &ex);
	ck_assert(strstr(ex.buf, "[Foo-Bar]") != NULL);
	strbuf_free(&ex);
	strbuf_free(&want);
	strbuf_free(&log);
	engine_free(e);
	rules_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("enginepar");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_same_index);
	tcase_add_test(tc, test_two_files);
	tcase_add_test(tc, test_uccapi_joined);
	tcase_add_test(tc, test_cred_scheme);
	tcase_add_test(tc, test_step_slices);
	tcase_add_test(tc, test_free_midway);
	tcase_add_test(tc, test_follow_midway);
	tcase_add_test(tc, test_last_batch_refilled);
	tcase_add_test(tc, test_cut_while_parsed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
