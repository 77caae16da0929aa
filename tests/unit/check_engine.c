/* Unit tests for engine: indexing in steps, re-reading one message, the
 * time-ordered merge of several inputs, refusing what is not SIP. */
#include <check.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "source.h"
#include "engine.h"
#include "helpers.h"

#define CRLF "\r\n"

static const char raw_call[] =
	"INVITE sip:bob@example.com SIP/2.0" CRLF
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1" CRLF
	"From: \"Alice\" <sip:alice@example.com>;tag=a1" CRLF
	"To: <sip:bob@example.com>" CRLF
	"Call-ID: call-1@10.0.0.1" CRLF
	"CSeq: 1 INVITE" CRLF
	"Content-Length: 0" CRLF CRLF
	"SIP/2.0 486 Busy Here" CRLF
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1" CRLF
	"From: \"Alice\" <sip:alice@example.com>;tag=a1" CRLF
	"To: <sip:bob@example.com>;tag=b1" CRLF
	"Call-ID: call-1@10.0.0.1" CRLF
	"CSeq: 1 INVITE" CRLF
	"Content-Length: 0" CRLF CRLF
	"OPTIONS sip:x@example.com SIP/2.0" CRLF
	"Via: SIP/2.0/TCP 10.0.0.2:5060;branch=z9hG4bK2" CRLF
	"From: <sip:x@example.com>;tag=x" CRLF
	"To: <sip:x@example.com>" CRLF
	"CSeq: 7 OPTIONS" CRLF
	"Content-Length: 0" CRLF CRLF;

static const char *
sngrep_msg_at(char *buf, size_t sz, const char *when, const char *ends,
	      const char *callid, const char *line, const char *from,
	      const char *to)
{
	snprintf(buf, sz,
		 "%s %s\n"
		 "%s\n"
		 "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%s\n"
		 "From: <%s>;tag=1\n"
		 "To: <%s>\n"
		 "Call-ID: %s\n"
		 "CSeq: 1 REGISTER\n"
		 "Content-Length: 0\n\n",
		 when, ends, line, callid, from, to, callid);
	return buf;
}

static const char *
sngrep_msg_ft(char *buf, size_t sz, const char *when, const char *callid,
	      const char *line, const char *from, const char *to)
{
	return sngrep_msg_at(buf, sz, when, "10.0.0.1:5060 -> 10.0.0.2:5060",
			     callid, line, from, to);
}

static const char *
sngrep_msg(char *buf, size_t sz, const char *when, const char *callid,
	   const char *line)
{
	return sngrep_msg_ft(buf, sz, when, callid, line, "sip:a@example.com",
			     "sip:b@example.com");
}

/* Message id's source and destination, kept as how. */
static void
ends_are(const struct engine *e, uint32_t id, const char *src, const char *dst,
	 unsigned how)
{
	uint32_t s, d;

	engine_msg_ends(e, id, &s, &d);
	ck_assert_str_eq(engine_str(e, s), src);
	ck_assert_str_eq(engine_str(e, d), dst);
	ck_assert_uint_eq(msgindex_get(engine_index(e), id)->kept_ends, how);
}

/* Message id's From and To are these URIs. */
static void
party_is(const struct engine *e, uint32_t id, const char *from, const char *to)
{
	uint32_t f, t;

	engine_msg_party(e, id, &f, &t);
	ck_assert_str_eq(engine_str(e, f), from);
	ck_assert_str_eq(engine_str(e, t), to);
}

/* Message id's transport, read again from its record. */
static void
transport_is(const struct engine *e, uint32_t id, const char *want)
{
	struct rd_record rec;
	struct sipmsg sm;
	struct span t;
	char buf[16];

	ck_assert_int_eq(engine_message(e, id, &rec, &sm), 0);
	t = engine_transport(&rec, &sm, buf, sizeof buf);
	ck_assert_msg(span_eq(t, want), "message %u: transport '%.*s', "
		      "expected '%s'", id, (int)t.n, t.p ? t.p : "", want);
	sipmsg_clear(&sm);
}

START_TEST(test_raw_index)
{
	struct engine *e = engine_new();
	struct msgindex *ix;
	const struct msg *m;
	uint32_t from, to;
	struct rd_record rec;
	struct sipmsg sm;
	struct span t;
	char *err = NULL;

	ck_assert_int_eq(engine_add_mem(e, "mem.sip", raw_call, sizeof raw_call - 1,
					NULL, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(engine_file(e, 0)->fmt->name, "raw");
	engine_run(e);
	ck_assert(engine_done(e));
	ck_assert_uint_eq(engine_progress(e), 1000);
	ix = engine_index(e);
	ck_assert_uint_eq(msgindex_count(ix), 3);

	m = msgindex_get(ix, 0);
	ck_assert_uint_eq(m->kind, MSG_REQUEST);
	ck_assert_str_eq(engine_str(e, msgindex_method(ix, 0)), "INVITE");
	engine_msg_party(e, 0, &from, &to);
	ck_assert_str_eq(engine_str(e, from), "sip:alice@example.com");
	ck_assert_str_eq(engine_str(e, to), "sip:bob@example.com");
	ck_assert_str_eq(engine_str(e, engine_msg_ruri(e, 0)),
			 "sip:bob@example.com");
	transport_is(e, 0, "UDP");
	ck_assert_uint_eq(m->cseq, 1);
	ck_assert_uint_eq(engine_msg_line(e, 0), 1);
	ck_assert_int_eq(m->time, TIME_NONE);

	m = msgindex_get(ix, 1);
	ck_assert_uint_eq(m->kind, MSG_RESPONSE);
	ck_assert_uint_eq(m->status, 486);
	ck_assert_str_eq(engine_str(e, msgindex_method(ix, 1)), "INVITE");
	ck_assert_uint_eq(engine_msg_line(e, 1), 9);
	ck_assert_uint_eq(dialogs_of(engine_dialogs(e), m), 0);

	/* No Call-ID: kept, flagged, no dialog. */
	m = msgindex_get(ix, 2);
	ck_assert_uint_eq(dialogs_of(engine_dialogs(e), m), NO_DIALOG);
	ck_assert(m->flags & RECF_NO_CALLID);
	transport_is(e, 2, "TCP");

	ck_assert_uint_eq(dialogs_count(engine_dialogs(e)), 1);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(e), 0)->outcome, 486);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(e), 0)->nmsgs, 2);

	/* Re-reading a message gives the parsed headers back. */
	ck_assert_int_eq(engine_message(e, 1, &rec, &sm), 0);
	ck_assert(span_eq(sm.reason, "Busy Here"));
	ck_assert(span_eq(sm.to.tag, "b1"));
	sipmsg_clear(&sm);
	t = engine_record_text(e, 1);
	ck_assert(span_istarts(t, "SIP/2.0 486 Busy Here"));
	ck_assert_int_eq(engine_message(e, 99, &rec, NULL), -1);
	ck_assert_uint_eq(engine_record_text(e, 99).n, 0);
	engine_free(e);
}
END_TEST

START_TEST(test_steps)
{
	struct engine *e = engine_new();
	struct strbuf sb;
	char buf[1024], when[64], cid[32];
	int i, steps = 0;
	char *err = NULL;

	strbuf_init(&sb);
	for (i = 0; i < 50; i++) {
		snprintf(when, sizeof when, "2024/01/02 10:00:%02d.000001", i);
		snprintf(cid, sizeof cid, "c%d", i % 5);
		strbuf_adds(&sb, sngrep_msg(buf, sizeof buf, when, cid,
					    "REGISTER sip:example.com SIP/2.0"));
	}
	ck_assert_int_eq(engine_add_mem(e, "steps.txt", sb.buf, sb.len, "sngrep",
					&err), 0);
	while (engine_step(e, 7))
		steps++;
	ck_assert_int_ge(steps, 7);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 50);
	ck_assert_uint_eq(dialogs_count(engine_dialogs(e)), 5);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(e), 2)->nmsgs, 10);
	strbuf_free(&sb);
	engine_free(e);
}
END_TEST

START_TEST(test_merge)
{
	struct engine *e = engine_new();
	char a[2048], b[2048], buf[1024];
	const struct msg *m;
	char *err = NULL;

	snprintf(a, sizeof a, "%s", sngrep_msg(buf, sizeof buf,
		 "2024/01/02 10:00:01.000000", "x", "REGISTER sip:example.com SIP/2.0"));
	strcat(a, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:03.000000", "x",
			     "SIP/2.0 200 OK"));
	snprintf(b, sizeof b, "%s", sngrep_msg_at(buf, sizeof buf,
		 "2024/01/02 10:00:02.000000", "10.0.0.2:5060 -> 10.0.0.1:5060",
		 "x", "SIP/2.0 401 Unauthorized", "sip:a@example.com",
		 "sip:b@example.com"));
	/* From and To are kept with the dialogs, which a merge builds
	 * again: swapped, odd and without a dialog, they come back. */
	strcat(b, sngrep_msg_ft(buf, sizeof buf, "2024/01/02 10:00:01.500000",
				"x", "NOTIFY sip:a@example.com SIP/2.0",
				"sip:b@example.com", "sip:a@example.com"));
	strcat(a, sngrep_msg_ft(buf, sizeof buf, "2024/01/02 10:00:00.100000",
				"y", "OPTIONS sip:c@example.com SIP/2.0",
				"sip:c@example.com", "sip:d@example.com"));
	strcat(b, sngrep_msg_at(buf, sizeof buf, "2024/01/02 10:00:05.000000",
				"10.0.0.9:5060 -> 10.0.0.1:5060", "y",
				"SIP/2.0 200 OK", "sip:e@example.com",
				"sip:d@example.com"));
	ck_assert_int_eq(engine_add_mem(e, "a.txt", a, strlen(a), NULL, &err), 0);
	ck_assert_int_eq(engine_add_mem(e, "b.txt", b, strlen(b), NULL, &err), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 6);
	party_is(e, 0, "sip:c@example.com", "sip:d@example.com");
	party_is(e, 1, "sip:a@example.com", "sip:b@example.com");
	party_is(e, 2, "sip:b@example.com", "sip:a@example.com");
	party_is(e, 3, "sip:a@example.com", "sip:b@example.com");
	party_is(e, 4, "sip:a@example.com", "sip:b@example.com");
	party_is(e, 5, "sip:e@example.com", "sip:d@example.com");
	ck_assert_str_eq(engine_str(e, engine_msg_ruri(e, 0)),
			 "sip:c@example.com");
	ck_assert_str_eq(engine_str(e, engine_msg_ruri(e, 1)),
			 "sip:example.com");
	ck_assert_str_eq(engine_str(e, engine_msg_ruri(e, 2)),
			 "sip:a@example.com");
	ck_assert_uint_eq(engine_msg_ruri(e, 3), 0);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 2)->kept_ruri,
			  KEPT_APART);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 1)->kept_party,
			  KEPT_SAME);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 2)->kept_party,
			  KEPT_SWAP);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 5)->kept_party,
			  KEPT_APART);
	/* Endpoints: the 401 came back the other way, y's 200 elsewhere. */
	ends_are(e, 3, "10.0.0.2:5060", "10.0.0.1:5060", KEPT_SWAP);
	ends_are(e, 4, "10.0.0.1:5060", "10.0.0.2:5060", KEPT_SAME);
	ends_are(e, 5, "10.0.0.9:5060", "10.0.0.1:5060", KEPT_APART);
	m = msgindex_get(engine_index(e), 3);
	ck_assert_uint_eq(m->file, 1);
	ck_assert_uint_eq(m->status, 401);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 4)->status, 200);
	ck_assert_uint_eq(dialogs_count(engine_dialogs(e)), 2);
	ck_assert_uint_eq(dialogs_msgs(engine_dialogs(e),
	    dialogs_get(engine_dialogs(e), 1))[2], 3);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(e), 1)->outcome, 200);
	engine_free(e);
}
END_TEST

/* Lines of messages far from a kept line, in order, backwards and at
 * random, in a file read in place and in one merged with it. */
START_TEST(test_lines)
{
	struct engine *e = engine_new();
	enum { N = 300 };
	static uint32_t want[N + 1];
	struct strbuf a, b;
	char buf[1024], when[64], call[32];
	size_t i, k, na = 0;
	char *err = NULL;
	uint32_t line = 1, lb = 1;
	unsigned seed = 3;

	strbuf_init(&a);
	strbuf_init(&b);
	for (i = 0; i < N; i++) {
		struct strbuf *sb = i % 7 == 3 ? &b : &a;
		uint32_t *at = sb == &a ? &line : &lb;
		size_t extra;

		snprintf(when, sizeof when, "2024/01/02 10:%02zu:%02zu.000000",
			 i / 60, i % 60);
		snprintf(call, sizeof call, "c%zu", i % 13);
		want[i] = *at;
		strbuf_adds(sb, sngrep_msg(buf, sizeof buf, when, call,
					   "OPTIONS sip:x@example.com SIP/2.0"));
		/* Blank lines between records: counted, not indexed. */
		seed = seed * 1103515245u + 12345u;
		for (extra = (seed >> 16) % 4; extra > 0; extra--)
			strbuf_addc(sb, '\n');
		*at += (uint32_t)mem_count(sb->buf, sb->len, '\n') -
		       (*at - 1);
		if (sb == &a)
			na++;
	}
	ck_assert_int_eq(engine_add_mem(e, "a.txt", a.buf, a.len, "sngrep",
					&err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), na);
	/* One file: ids are its records in order. */
	for (i = 0, k = 0; i < N; i++) {
		if (i % 7 == 3)
			continue;
		ck_assert_uint_eq(engine_msg_line(e, (uint32_t)k), want[i]);
		k++;
	}
	for (i = N, k = na; i-- > 0;) {
		if (i % 7 == 3)
			continue;
		k--;
		ck_assert_uint_eq(engine_msg_line(e, (uint32_t)k), want[i]);
	}
	engine_free(e);

	/* Two files merged in time order: each message keeps its line. */
	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "a.txt", a.buf, a.len, "sngrep",
					&err), 0);
	ck_assert_int_eq(engine_add_mem(e, "b.txt", b.buf, b.len, "sngrep",
					&err), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), N);
	for (k = 0; k < 3 * N; k++) {
		seed = seed * 1103515245u + 12345u;
		i = (seed >> 16) % N;	/* times are in order: id i is i */
		ck_assert_uint_eq(msgindex_get(engine_index(e),
					       (uint32_t)i)->file,
				  i % 7 == 3);
		ck_assert_uint_eq(engine_msg_line(e, (uint32_t)i), want[i]);
	}
	ck_assert_uint_eq(engine_msg_line(e, N), 0);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

#define NOTES_REFUSED \
	"notes.txt: no SIP messages found: no known format recognised in the " \
	"first 8 KiB (a log whose first SIP message comes later may need " \
	"--format NAME; see --formats)"

START_TEST(test_refused)
{
	struct engine *e = engine_new();
	static const char text[] = "hello, world\nthis is not a SIP log\n";
	char *err = NULL;

	ck_assert_int_eq(engine_add_mem(e, "notes.txt", text, sizeof text - 1,
					NULL, &err), -1);
	ck_assert_str_eq(err, NOTES_REFUSED);
	free(err);
	err = NULL;
	ck_assert_int_eq(engine_add_mem(e, "empty", "", 0, NULL, &err), -1);
	ck_assert_str_eq(err, "empty: no SIP messages found (empty file)");
	free(err);
	err = NULL;
	ck_assert_int_eq(engine_add_mem(e, "x", text, 3, "nope", &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown format 'nope'"));
	free(err);
	err = NULL;
	ck_assert_int_eq(engine_add_file(e, "/nonexistent/file.log", NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/file.log"));
	free(err);
	ck_assert_uint_eq(engine_nfiles(e), 0);
	/* Kept, for the viewer's list of what could not be read. */
	ck_assert_uint_eq(engine_nrefused(e), 4);
	ck_assert_uint_eq(engine_nunread(e), 4);
	ck_assert_str_eq(engine_refused(e, 0), NOTES_REFUSED);
	ck_assert_ptr_nonnull(strstr(engine_refused(e, 3), "/nonexistent/file.log"));
	ck_assert_ptr_null(engine_refused(e, 4));
	ck_assert_int_eq(engine_step(e, 10), 0);
	engine_free(e);
}
END_TEST

/* A damaged header line inside a message is a FILE:LINE warning (its own
 * line, in the second message too), bounded as the reader's are; a log
 * without one has none. */
START_TEST(test_bad_header_warning)
{
	static const char msg[] = "OPTIONS sip:a@example.com SIP/2.0\r\n"
	    "Call-ID: bh@example.com\r\nCSeq: %zu OPTIONS\r\n"
	    "no colon here\r\nContent-Length: 0\r\n\r\n";
	const struct engine_warning *w;
	struct strbuf sb;
	struct engine *e = engine_new();
	char *err = NULL;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < 100002; i++)
		strbuf_addf(&sb, msg, i + 1);
	ck_assert_int_eq(engine_add_mem(e, "bh.sip", sb.buf, sb.len, NULL,
					&err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 100002);
	ck_assert_uint_eq(engine_nwarnings(e), 100001);
	w = engine_warning(e, 0);
	ck_assert_uint_eq(w->line, 4);
	ck_assert_str_eq(w->msg, "bad header line (kept, flagged)");
	ck_assert_uint_eq(engine_warning(e, 1)->line, 4 + 6);
	w = engine_warning(e, 100000);
	ck_assert_uint_eq(w->line, 0);
	ck_assert_str_eq(w->msg, "further bad header lines not listed");
	engine_free(e);

	/* Without the bad line, no warning. */
	e = engine_new();
	strbuf_reset(&sb);
	strbuf_addf(&sb, "OPTIONS sip:a@example.com SIP/2.0\r\n"
	    "Call-ID: ok@example.com\r\nCSeq: 1 OPTIONS\r\n"
	    "Content-Length: 0\r\n\r\n");
	ck_assert_int_eq(engine_add_mem(e, "ok.sip", sb.buf, sb.len, NULL,
					&err), 0);
	engine_run(e);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);
	strbuf_free(&sb);
}
END_TEST

/* A log whose first SIP message comes after what the probe looks at is
 * refused with the way out (--format), and read when it is taken. */
START_TEST(test_refused_late_start)
{
	static const char sip[] = "INVITE sip:bob@example.com SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
	    "Call-ID: late@example.com\r\nCSeq: 1 INVITE\r\n"
	    "From: <sip:alice@example.com>;tag=a\r\n"
	    "To: <sip:bob@example.com>\r\nContent-Length: 0\r\n\r\n";
	struct strbuf sb;
	struct engine *e = engine_new();
	char *err = NULL;

	strbuf_init(&sb);
	while (sb.len <= 8192)
		strbuf_adds(&sb, "garbage line\n");
	strbuf_adds(&sb, sip);
	ck_assert_int_eq(engine_add_mem(e, "late.log", sb.buf, sb.len, NULL,
					&err), -1);
	ck_assert_str_eq(err, "late.log: no SIP messages found: no known "
	    "format recognised in the first 8 KiB (a log whose first SIP "
	    "message comes later may need --format NAME; see --formats)");
	free(err);
	err = NULL;
	ck_assert_int_eq(engine_add_mem(e, "late.log", sb.buf, sb.len, "raw",
					&err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 1);
	engine_free(e);
	strbuf_free(&sb);
}
END_TEST

/* The warning of file i that contains text, or NULL. */
static const char *
warning_of(const struct engine *e, size_t i, const char *text)
{
	size_t k;

	for (k = 0; k < engine_nwarnings(e); k++) {
		if (engine_warning(e, k)->file == i &&
		    strstr(engine_warning(e, k)->msg, text) != NULL)
			return engine_warning(e, k)->msg;
	}
	return NULL;
}

/* A format named by the caller is not probed: the file is refused only
 * once read, when it gave nothing as that format, and the others are
 * still read (in steps as in the viewer, or by engine_run). */
START_TEST(test_refused_as_format)
{
	static const char text[] = "hello, world\nthis is not a SIP log\n";
	int par;

	for (par = 0; par < 2; par++) {
		struct engine *e = engine_new();
		char *err = NULL;

		engine_set_parallel(e, par ? 1 : 0);
		ck_assert_int_eq(engine_add_mem(e, "notes.txt", text,
						sizeof text - 1, "raw", &err), 0);
		ck_assert_int_eq(engine_add_mem(e, "calls.sip", raw_call,
						sizeof raw_call - 1, "uccapi",
						&err), 1);
		ck_assert_int_eq(engine_add_mem(e, "calls2.sip", raw_call,
						sizeof raw_call - 1, "raw",
						&err), 2);
		ck_assert_int_eq(engine_add_mem(e, "empty", "", 0, "raw", &err),
				 3);
		ck_assert_int_eq(engine_file(e, 0)->unreadable, 0);
		if (par)
			engine_run(e);
		else
			while (engine_step(e, 1))
				;
		ck_assert_int_eq(engine_file(e, 0)->unreadable, 1);
		ck_assert_str_eq(warning_of(e, 0, "no SIP"),
				 "no SIP messages found (read as raw)");
		ck_assert_int_eq(engine_file(e, 1)->unreadable, 1);
		ck_assert_str_eq(warning_of(e, 1, "no SIP"),
				 "no SIP messages found (read as uccapi)");
		ck_assert_int_eq(engine_file(e, 2)->unreadable, 0);
		ck_assert_ptr_null(warning_of(e, 2, "no SIP"));
		ck_assert_int_eq(engine_file(e, 3)->unreadable, 1);
		ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
		ck_assert_uint_eq(engine_nrefused(e), 0);
		ck_assert_uint_eq(engine_nunread(e), 3);
		engine_free(e);
	}
}
END_TEST

static void
append(const char *path, const char *text, const char *mode)
{
	FILE *f = fopen(path, mode);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* A followed file that is empty, read as a named format, is not refused:
 * what it gains later is read. */
START_TEST(test_follow_empty_as_format)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], buf[1024];
	struct engine *e = engine_new();
	char *err = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/live.txt", dir);
	append(path, "", "w");
	engine_follow(e, 1);
	ck_assert_int_eq(engine_add_file(e, path, "sngrep", &err), 0);
	engine_run(e);
	ck_assert_int_eq(engine_file(e, 0)->unreadable, 0);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.000000",
				"f1", "REGISTER sip:example.com SIP/2.0"), "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 1);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* tail -f: appended records appear, a record still being written waits,
 * a truncated and a replaced (rotated) file are read again. Files are
 * copied to the heap (mapped 0) or, too large for that, followed where
 * they are mapped (mapped 1): the same messages either way. */
static void
follow_scenario(int mapped)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], moved[128];
	char buf[1024], *err = NULL, *half;
	struct engine *e = engine_new();
	size_t n, i;
	int found = 0;

	engine_set_follow_copy(e, mapped ? 0 : SIZE_MAX);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/live.txt", dir);
	snprintf(moved, sizeof moved, "%s/live.txt.1", dir);
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.000000",
				"f1", "REGISTER sip:example.com SIP/2.0"), "w");
	engine_follow(e, 1);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	ck_assert_int_eq(engine_file(e, 0)->follow_mapped, mapped);
	ck_assert_int_eq(engine_file(e, 0)->src->mapped, mapped);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 1);
	ck_assert_int_eq(engine_poll(e), 0);

	/* One whole message and half of the next. */
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:02.000000",
				"f1", "SIP/2.0 401 Unauthorized"), "a");
	sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:03.000000", "f1",
		   "REGISTER sip:example.com SIP/2.0");
	half = buf + strlen(buf) / 2;
	n = (size_t)(half - buf);
	{
		char first[1024];

		memcpy(first, buf, n);
		first[n] = '\0';
		append(path, first, "a");
	}
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	append(path, half, "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(e), 0)->nmsgs, 3);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 2)->flags & RECF_TRUNCATED, 0);

	/* Rotated: renamed away, a new file in its place. */
	ck_assert_int_eq(rename(path, moved), 0);
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 09:00:04.000000",
				"f2", "OPTIONS sip:example.com SIP/2.0"), "w");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(engine_nfiles(e), 2);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 4);
	/* Appended in arrival order, even with an earlier time: ids on
	 * screen never change. */
	ck_assert_uint_eq(msgindex_get(engine_index(e), 3)->file, 1);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 0)->file, 0);

	/* Truncated in place, then written again. */
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:05.000000",
				"f3", "OPTIONS sip:example.com SIP/2.0"), "w");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(engine_nfiles(e), 3);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 5);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 4)->file, 2);
	ck_assert_int_eq(msgindex_get(engine_index(e), 4)->time,
			 time_from_civil(2024, 1, 2, 10, 0, 5, 0));
	ck_assert(span_istarts(engine_record_text(e, 4), "2024/01/02 10:00:05"));
	for (i = 0; i < engine_nwarnings(e); i++) {
		if (strstr(engine_warning(e, i)->msg, "rotated") != NULL)
			found |= 1;
		if (strstr(engine_warning(e, i)->msg, "truncated") != NULL)
			found |= 2;
	}
	ck_assert_int_eq(found, 3);
	/* Old messages are still readable after the file changed (renamed
	 * away: the mapping of a followed file keeps it too). */
	ck_assert(span_istarts(engine_record_text(e, 0), "2024/01/02 10:00:01"));
	ck_assert(span_istarts(engine_record_text(e, 2), "2024/01/02 10:00:03"));
	engine_free(e);
	unlink(path);
	unlink(moved);
	rmdir(dir);
}

START_TEST(test_follow)
{
	follow_scenario(0);
}
END_TEST

/* Lines when the text under the index changes. Followed where it is
 * mapped, then truncated and written again: each message that came while
 * following kept its line, and of those there before, the first, which
 * was kept (the others' lines, like their text, are gone). Not followed and truncated: what lies past the new end has none
 * (0), what lies before it keeps its own. A sparse log keeps a line for
 * each message more than ENGINE_LINE_BYTES past the last kept. */
START_TEST(test_lines_changed)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], buf[1024];
	char *err = NULL, *junk, *half;
	struct engine *e = engine_new();
	uint32_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/live.txt", dir);
	engine_set_follow_copy(e, 0);
	engine_follow(e, 1);
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.000000",
				"l1", "REGISTER sip:example.com SIP/2.0"), "w");
	for (i = 0; i < 2; i++)
		append(path, sngrep_msg(buf, sizeof buf,
					"2024/01/02 10:00:01.500000", "l1",
					"SIP/2.0 100 Trying"), "a");
	/* A record still being written when following begins comes while
	 * following: it keeps its line too. */
	sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:02.000000", "l1",
		   "SIP/2.0 401 Unauthorized");
	half = xstrdup(buf + strlen(buf) / 2);
	buf[strlen(buf) / 2] = '\0';
	append(path, buf, "a");
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_uint_eq(engine_file(e, 0)->nmarks, 1);
	for (i = 0; i < 2; i++) {
		if (i == 0)
			append(path, half, "a");
		else
			append(path, sngrep_msg(buf, sizeof buf,
						"2024/01/02 10:00:02.000000",
						"l1", "SIP/2.0 401 Unauthorized"),
			       "a");
		ck_assert_int_eq(engine_poll(e), 1);
		engine_run(e);
	}
	free(half);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 5);
	ck_assert_uint_eq(engine_file(e, 0)->nmarks, 3);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(engine_msg_line(e, i), 1 + 9 * i);
	/* Rewritten with longer records: the old offsets now fall
	 * elsewhere in other text. */
	append(path, "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n", "w");
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:05.000000",
				"l2", "OPTIONS sip:example.com SIP/2.0"), "a");
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:05.000000",
				"l2", "OPTIONS sip:example.com SIP/2.0"), "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(engine_nfiles(e), 2);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(engine_msg_line(e, i),
				  i == 1 || i == 2 ? 0 : 1 + 9 * i);
	ck_assert_uint_eq(engine_msg_line(e, 5), 21);
	engine_free(e);

	/* Read once, not followed, then cut after its second message: the
	 * pages past the new end read as zeros (source_guard) and the
	 * messages there have no line. 16 KiB of other lines after each
	 * message put them on pages of their own. */
	ck_assert_int_eq(source_guard(), 0);
	junk = xmalloc(1300000);
	memset(junk, 'x', 1300000);
	for (i = 99; i < 1300000; i += 100)
		junk[i] = '\n';
	junk[1300000 - 1] = '\0';
	e = engine_new();
	append(path, "", "w");
	for (i = 0; i < 5; i++) {
		append(path, sngrep_msg(buf, sizeof buf,
					"2024/01/02 10:00:02.000000", "l3",
					"OPTIONS sip:example.com SIP/2.0"), "a");
		append(path, junk + 1300000 - 1 - 16000, "a");
		append(path, "\n", "a");
	}
	ck_assert_int_eq(engine_add_file(e, path, "sngrep", &err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 5);
	ck_assert_int_eq(engine_file(e, 0)->src->mapped, 1);
	ck_assert_uint_eq(engine_msg_line(e, 3), 1 + 3 * (9 + 161));
	ck_assert_int_eq(truncate(path, (off_t)(2 * (strlen(buf) + 16000) +
						5)), 0);
	ck_assert_uint_eq(engine_msg_line(e, 4), 0);
	ck_assert_uint_eq(engine_msg_line(e, 3), 0);
	ck_assert_uint_eq(engine_msg_line(e, 1), 1 + 9 + 161);
	ck_assert_uint_eq(engine_msg_line(e, 0), 1);
	engine_free(e);

	/* Few messages far apart. */
	e = engine_new();
	append(path, "", "w");
	for (i = 0; i < 3; i++) {
		append(path, sngrep_msg(buf, sizeof buf,
					"2024/01/02 10:00:02.000000", "l4",
					"OPTIONS sip:example.com SIP/2.0"), "a");
		append(path, junk, "a");
		append(path, "\n", "a");
	}
	ck_assert_int_eq(engine_add_file(e, path, "sngrep", &err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_uint_eq(engine_file(e, 0)->nmarks, 3);
	for (i = 3; i-- > 0;)
		ck_assert_uint_eq(engine_msg_line(e, i), 1 + i * (9 + 13000));
	free(junk);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_follow_mapped)
{
	follow_scenario(1);
}
END_TEST

/* A followed file written in pieces that cut lines (and records) anywhere:
 * the same messages and texts as the whole file, with no warning (half a
 * line is not junk while more may come). */
/* Engines a and b indexed the same messages, record for record. */
static void
ck_same_records(const struct engine *a, const struct engine *b)
{
	size_t i, n = msgindex_count(engine_index(a));

	ck_assert_uint_eq(msgindex_count(engine_index(b)), n);
	for (i = 0; i < n; i++) {
		struct span x = engine_record_text(a, (uint32_t)i);
		struct span y = engine_record_text(b, (uint32_t)i);

		ck_assert_uint_eq(x.n, y.n);
		ck_assert_int_eq(memcmp(x.p, y.p, x.n), 0);
	}
}

/* In a child whose files may not pass 20000 bytes (as a full disk would
 * stop them), following standard input, a pipe, with what comes going to
 * a temporary file from the start: the file takes the first 16 KiB, then
 * a write fails, and the rest goes on on the heap, with a warning.
 * 0 when every message came whole, else which check failed. */
static int
follow_spill_fails_child(const char *dir)
{
	struct rlimit rl = { 20000, 20000 };
	struct engine *a, *b;
	struct source *src;
	char *err = NULL;
	const char *w;
	int fds[2], rc;
	size_t i, n;
	pid_t pid;

	src = source_open("data/sample.cls.log", &err);
	if (src == NULL || src->len < 40000 || pipe(fds) != 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (i = 0; i < src->len; i += (size_t)n) {
			n = write(fds[1], src->data + i, src->len - i);
			if ((ssize_t)n <= 0)
				break;
		}
		rc = i < src->len;
		source_free(src);
		_exit(rc);
	}
	source_free(src);
	close(fds[1]);
	a = engine_new();
	b = engine_new();
	if (pid < 0 || dup2(fds[0], STDIN_FILENO) < 0)
		return 2;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return 3;
	engine_follow(b, 1);
	engine_set_spill(b, dir, 1);
	if (engine_add_file(b, "-", NULL, &err) != 0 ||
	    engine_add_file(a, "data/sample.cls.log", NULL, &err) != 0)
		return 4;
	engine_run(a);
	while (engine_nfollowed(b) > 0) {
		engine_wait(b, 100);
		engine_poll(b);
		while (engine_step(b, 1000))
			;
	}
	n = msgindex_count(engine_index(a));
	rc = n != 40 || msgindex_count(engine_index(b)) != n ? 5 : 0;
	for (i = 0; rc == 0 && i < n; i++) {
		struct span x = engine_record_text(a, (uint32_t)i);
		struct span y = engine_record_text(b, (uint32_t)i);

		if (x.n != y.n || memcmp(x.p, y.p, x.n) != 0)
			rc = 6;
	}
	if (rc == 0 && (engine_nwarnings(b) != 1 ||
			engine_file(b, 0)->src->mapped))
		rc = 7;
	w = rc == 0 ? engine_warning(b, 0)->msg : "";
	if (rc == 0 && (strncmp(w, "cannot write a temporary file in ", 33) ||
	    !strstr(w, "(File too large): what comes is kept in memory")))
		rc = 8;
	engine_free(a);
	engine_free(b);
	if (rc == 0 && waitpid(pid, NULL, 0) != pid)
		rc = 9;
	return rc;
}

START_TEST(test_follow_spill_fails)
{
	char dir[] = "/tmp/check_engine.XXXXXX";
	int status;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(follow_spill_fails_child(dir));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_eq(test_dir_entries(dir), 0);
	rmdir(dir);
}
END_TEST

/* engine_wait() watches every followed pipe: with 20 of them, something
 * written to the last ends the wait long before its time. */
START_TEST(test_wait_many_pipes)
{
	struct engine *e = engine_new();
	char path[32], *err = NULL;
	int fds[20][2], i;
	time_t t0;

	engine_follow(e, 1);
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(pipe(fds[i]), 0);
		ck_assert_int_eq(write(fds[i][1], raw_call, 100), 100);
		snprintf(path, sizeof path, "/dev/fd/%d", fds[i][0]);
		ck_assert_int_eq(engine_add_file(e, path, NULL, &err), i);
	}
	engine_run(e);
	ck_assert_uint_eq(engine_nfollowed(e), 20);
	ck_assert_int_eq(write(fds[19][1], raw_call + 100, 10), 10);
	t0 = time(NULL);
	engine_wait(e, 20000);
	ck_assert_int_lt(time(NULL) - t0, 10);
	for (i = 0; i < 20; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	engine_free(e);
}
END_TEST

/* Server logs that do not name their host call their own end "local":
 * merged from two paths, each end is its file's; one log, or one path
 * read again (a rotation), keeps "local"; a log that names its host keeps
 * the host. */
START_TEST(test_local_names)
{
	static const char *const paths[][2] = {
		{ "tests/data/remote-ntlm.cls.log", NULL },
		{ "tests/data/remote-ntlm.cls.log", "tests/data/fe-nohost.cls.log" },
		{ "tests/data/remote-ntlm.cls.log", "tests/data/remote-ntlm.cls.log" },
		{ "tests/data/remote-ntlm.cls.log", "tests/data/remote-ntlm.uccapilog" },
		{ "tests/data/remote-ntlm.cls.log", "tests/data/internal-kerberos.cls.log" },
	};
	static const char *const want[][2] = {
		{ "local", NULL },
		{ "local(remote-ntlm.cls.log)", "local(fe-nohost.cls.log)" },
		{ "local", "local" },
		{ "local", NULL },
		{ "local(remote-ntlm.cls.log)", "R2EE01" },
	};
	char *err = NULL;
	size_t k, i, n;
	uint32_t src, dst;

	for (k = 0; k < sizeof paths / sizeof paths[0]; k++) {
		struct engine *e = engine_new();

		for (i = 0; i < 2 && paths[k][i] != NULL; i++)
			ck_assert_int_eq(engine_add_file(e, paths[k][i], NULL,
							 &err), (int)i);
		engine_run(e);
		for (i = 0; i < 2 && want[k][i] != NULL; i++)
			ck_assert_str_eq(engine_local_name(e, i), want[k][i]);
		/* The messages say the same. */
		n = msgindex_count(engine_index(e));
		for (i = 0; i < n; i++) {
			const struct msg *m = msgindex_get(engine_index(e),
							   (uint32_t)i);
			const char *l = engine_local_name(e, m->file);

			engine_msg_ends(e, (uint32_t)i, &src, &dst);
			if (m->file == 0 && m->kind != MSG_DIAG)
				ck_assert(strcmp(engine_str(e, src), l) == 0 ||
					  strcmp(engine_str(e, dst), l) == 0);
		}
		engine_free(e);
	}
	/* Two servers' logs of one name: their paths tell them apart. */
	{
		char dir[] = "/tmp/check_engine.XXXXXX", a[64], b[128], *t;
		struct engine *e = engine_new();
		struct source *in;
		FILE *fp;

		ck_assert_ptr_nonnull(mkdtemp(dir));
		for (i = 0; i < 2; i++) {
			snprintf(a, sizeof a, "%s/fe%zu", dir, i + 1);
			ck_assert_int_eq(mkdir(a, 0700), 0);
			snprintf(b, sizeof b, "%s/server.log", a);
			in = source_open(i == 0 ?
			    "tests/data/remote-ntlm.cls.log" :
			    "tests/data/fe-nohost.cls.log", &err);
			ck_assert_ptr_nonnull(in);
			fp = fopen(b, "w");
			ck_assert_ptr_nonnull(fp);
			fwrite(in->data, 1, in->len, fp);
			fclose(fp);
			source_free(in);
			ck_assert_int_eq(engine_add_file(e, b, NULL, &err),
					 (int)i);
		}
		engine_run(e);
		t = xasprintf("local(%s/fe1/server.log)", dir);
		ck_assert_str_eq(engine_local_name(e, 0), t);
		free(t);
		t = xasprintf("local(%s/fe2/server.log)", dir);
		ck_assert_str_eq(engine_local_name(e, 1), t);
		free(t);
		engine_free(e);
		for (i = 0; i < 2; i++) {
			snprintf(b, sizeof b, "%s/fe%zu/server.log", dir, i + 1);
			unlink(b);
			snprintf(a, sizeof a, "%s/fe%zu", dir, i + 1);
			rmdir(a);
		}
		rmdir(dir);
	}
}
END_TEST

/* A client log followed as it is written a line at a time: a block whose
 * opening line came alone waits for the rest (it was taken as an empty
 * block and lost). Same messages as the whole file. */
START_TEST(test_follow_uccapi_lines)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[96], *err = NULL;
	struct engine *a = engine_new(), *b = engine_new();
	struct source *src = source_open("tests/data/multi.uccapilog", &err);
	const char *p, *nl;
	size_t n;
	FILE *f;

	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/client.uccapilog", dir);
	ck_assert_int_eq(engine_add_file(a, "tests/data/multi.uccapilog", NULL,
					 &err), 0);
	engine_run(a);
	n = msgindex_count(engine_index(a));
	ck_assert_uint_eq(n, 5);
	/* The first block, so that the format is known. */
	p = strstr(src->data, "End of");
	p = memchr(p, '\n', (size_t)(src->data + src->len - p)) + 1;
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(src->data, 1, (size_t)(p - src->data), f);
	fclose(f);
	engine_follow(b, 1);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	for (; p < src->data + src->len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(src->data + src->len - p));
		if (nl == NULL)
			nl = src->data + src->len - 1;
		f = fopen(path, "a");
		ck_assert_ptr_nonnull(f);
		fwrite(p, 1, (size_t)(nl + 1 - p), f);
		fclose(f);
		engine_poll(b);
		while (engine_step(b, 100))
			;
	}
	ck_same_records(a, b);
	engine_free(a);
	engine_free(b);
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_follow_pieces)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], moved[160];
	char *err = NULL;
	/* Piece sizes, and where what comes goes past how many bytes: on
	 * the heap (no directory), to a temporary file from the start
	 * (chunk 1), from the heap to one on the way, or nowhere (a
	 * directory that is not there: kept on the heap, with a warning). */
	static const struct {
		size_t step;
		const char *spill;
		size_t chunk;
	} runs[] = {
		{ 997, NULL, 0 }, { 401, NULL, 0 }, { 97, NULL, 0 },
		{ 997, "", 1 }, { 401, "", 65536 + 10000 },
		{ 997, "/nonexistent-dir", 1 },
	};
	struct span a_text;
	struct engine *a = engine_new(), *b;
	struct source *src;
	size_t at, n, i, k, step;
	FILE *f;

	src = source_open("data/sample.cls.log", &err);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/pieces.log", dir);
	ck_assert_int_eq(engine_add_file(a, "data/sample.cls.log", NULL, &err),
			 0);
	engine_run(a);
	n = msgindex_count(engine_index(a));
	ck_assert_uint_eq(n, 40);
	for (k = 0; k < sizeof runs / sizeof runs[0]; k++) {
		step = runs[k].step;
		b = engine_new();
		engine_follow(b, 1);
		if (runs[k].spill != NULL)
			engine_set_spill(b, *runs[k].spill ? runs[k].spill : dir,
					 runs[k].chunk);
		/* A first piece, then the rest a piece at a time. */
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(src->data, 1, step, f), step);
		fclose(f);
		ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
		engine_run(b);
		for (at = step; at < src->len; at += step) {
			f = fopen(path, "a");
			ck_assert_ptr_nonnull(f);
			i = src->len - at < step ? src->len - at : step;
			ck_assert_uint_eq(fwrite(src->data + at, 1, i, f), i);
			fclose(f);
			engine_poll(b);
			/* A small budget: what is left is stepped on. */
			while (engine_step(b, 3))
				;
		}
		ck_assert_uint_eq(msgindex_count(engine_index(b)), n);
		if (runs[k].spill != NULL && *runs[k].spill != '\0') {
			ck_assert_uint_eq(engine_nwarnings(b), 1);
			ck_assert_ptr_nonnull(strstr(engine_warning(b, 0)->msg,
			    "cannot create a temporary file in "
			    "/nonexistent-dir ("));
			ck_assert_ptr_nonnull(strstr(engine_warning(b, 0)->msg,
			    "): what comes is kept in memory"));
		} else {
			ck_assert_uint_eq(engine_nwarnings(b), 0);
		}
		/* Its bytes are where they were meant to go. */
		ck_assert_int_eq(engine_file(b, 0)->src->mapped,
				 runs[k].spill != NULL && *runs[k].spill == '\0');
		ck_assert_int_eq(engine_file(b, 0)->follow_spill >= 0,
				 runs[k].spill != NULL && *runs[k].spill == '\0');
		ck_same_records(a, b);
		engine_free(b);
	}
	a_text.p = src->data;
	a_text.n = src->len;
	engine_free(a);

	/* Rotated while its last line waits for its line break: that line
	 * is read before the new file's. */
	b = engine_new();
	engine_follow(b, 1);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(a_text.p, 1, a_text.n - 2, f), a_text.n - 2);
	fclose(f);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), 39);
	snprintf(moved, sizeof moved, "%s/pieces.log.1", dir);
	ck_assert_int_eq(rename(path, moved), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(a_text.p, 1, a_text.n, f), a_text.n);
	fclose(f);
	ck_assert_int_eq(engine_poll(b), 1);
	while (engine_step(b, 1000))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(b)), 80);
	ck_assert_uint_eq(msgindex_get(engine_index(b), 39)->file, 0);
	ck_assert_uint_eq(msgindex_get(engine_index(b), 40)->file, 1);
	engine_free(b);
	unlink(moved);

	/* Rotated into a named pipe: not opened (that would wait for a
	 * writer), with a warning. */
	b = engine_new();
	engine_follow(b, 1);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	snprintf(moved, sizeof moved, "%s/pieces.log.1", dir);
	ck_assert_int_eq(rename(path, moved), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(engine_poll(b), 1);
	ck_assert_uint_eq(engine_nfollowed(b), 0);
	ck_assert_ptr_nonnull(strstr(engine_warning(b, 0)->msg,
				     "replaced (rotated) by something that is "
				     "not a regular file: not followed"));
	engine_free(b);
	source_free(src);
	unlink(moved);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A followed pipe (here a socket on standard input) whose read fails
 * after more came: what came is kept and indexed, and a warning says where
 * it stopped and why (it was taken as the pipe's end without a word). */
/* A file followed from empty, its format named, to which a log that
 * begins with a UTF-8 byte order mark is written (by a Windows tool): the
 * mark is skipped as reading the whole file skips it. Its first message
 * was skipped as junk ('skipped 24 lines'), the mark in its first line. */
START_TEST(test_follow_bom_later)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[96], *err = NULL;
	struct engine *a = engine_new(), *b;
	struct source *src = source_open("tests/data/call-busy.raw.sip", &err);
	size_t k;
	FILE *f;

	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/bom.sip", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("\xef\xbb\xbf", f);
	fwrite(src->data, 1, src->len, f);
	fclose(f);
	ck_assert_int_eq(engine_add_file(a, path, NULL, &err), 0);
	engine_run(a);
	ck_assert_uint_eq(msgindex_count(engine_index(a)), 11);
	ck_assert_uint_eq(engine_nwarnings(a), 0);
	/* Empty when followed; then the mark and a line, then the rest. */
	for (k = 0; k < 2; k++) {
		const char *nl = memchr(src->data, '\n', src->len);

		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fclose(f);
		b = engine_new();
		engine_follow(b, 1);
		ck_assert_int_eq(engine_add_file(b, path, "raw", &err), 0);
		engine_run(b);
		f = fopen(path, "a");
		fputs("\xef\xbb\xbf", f);
		if (k == 1) {
			fwrite(src->data, 1, (size_t)(nl + 1 - src->data), f);
			fflush(f);
			engine_poll(b);
			while (engine_step(b, 3))
				;
			fwrite(nl + 1, 1, src->len - (size_t)(nl + 1 - src->data),
			       f);
		} else {
			fwrite(src->data, 1, src->len, f);
		}
		fclose(f);
		engine_poll(b);
		while (engine_step(b, 3))
			;
		ck_assert_uint_eq(engine_nwarnings(b), 0);
		ck_same_records(a, b);
		engine_free(b);
	}
	engine_free(a);
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Reads e's followed inputs until none is followed any more. */
static void
follow_until_ended(struct engine *e)
{
	while (engine_nfollowed(e) > 0) {
		engine_wait(e, 100);
		engine_poll(e);
	}
	engine_run(e);
}

START_TEST(test_follow_pipe_read_fails)
{
	char buf[1024], *err = NULL;
	struct engine *e = engine_new();
	int sv[2], saved;
	size_t n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(write(sv[0], "x", 1), 1);	/* never read */
	sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.000000", "p1",
		   "REGISTER sip:example.com SIP/2.0");
	n = strlen(buf);
	ck_assert_int_eq(write(sv[1], buf, n), (ssize_t)n);
	saved = stdin_from(sv[0]);
	engine_follow(e, 1);
	ck_assert_int_eq(engine_add_file(e, "-", NULL, &err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 1);
	ck_assert_uint_eq(engine_nfollowed(e), 1);
	sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:02.000000", "p1",
		   "SIP/2.0 200 OK");
	ck_assert_int_eq(write(sv[1], buf, strlen(buf)), (ssize_t)strlen(buf));
	n += strlen(buf);
	close(sv[1]);	/* a reset: its "x" was not read */
	follow_until_ended(e);
	stdin_restore(saved);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	snprintf(buf, sizeof buf, "read failed after %zu bytes, in line 19 "
		 "(Connection reset by peer): what was read before is shown", n);
	ck_assert_str_eq(engine_warning(e, 0)->msg, buf);
	engine_free(e);
}
END_TEST

/* Files awaited while following (empty, or too short to tell): added by
 * engine_poll() once they can be read, after what was indexed and in the
 * order they come, without a merge renumbering what was shown (an earlier
 * time comes after), with their --offset; one still not SIP once long
 * enough is refused (engine_refused). Among other files, as alone. */
START_TEST(test_follow_await)
{
	char dir[] = "/tmp/check_engine.XXXXXX", a[128], b[128], c[128];
	char buf[1024], *err = NULL;
	struct engine *e = engine_new();
	const struct msg *m;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a.txt", dir);
	snprintf(b, sizeof b, "%s/b.txt", dir);
	snprintf(c, sizeof c, "%s/c.txt", dir);
	append(a, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.000000",
			     "a1", "REGISTER sip:example.com SIP/2.0"), "w");
	append(a, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:03.000000",
			     "a2", "REGISTER sip:example.com SIP/2.0"), "a");
	append(b, "", "w");
	append(c, "not a log\n", "w");
	engine_follow(e, 1);
	ck_assert_int_eq(engine_add_file(e, a, NULL, &err), 0);
	engine_await_file(e, b, NULL, 1000000);
	engine_await_file(e, c, NULL, 0);
	ck_assert_uint_eq(engine_nawaited(e), 2);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	ck_assert_int_eq(engine_poll(e), 0);
	ck_assert_uint_eq(engine_nawaited(e), 2);
	/* b begins: with a time before a's last, shifted by 1 s. */
	append(b, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.500000",
			     "b1", "OPTIONS sip:example.com SIP/2.0"), "a");
	ck_assert_int_eq(engine_poll(e), 1);
	ck_assert_uint_eq(engine_nawaited(e), 1);
	engine_run(e);
	ck_assert_uint_eq(engine_nfiles(e), 2);
	ck_assert_uint_eq(engine_nfollowed(e), 2);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	m = msgindex_get(engine_index(e), 0);
	ck_assert_str_eq(engine_call_id(e, m->call_id), "a1");
	m = msgindex_get(engine_index(e), 2);
	ck_assert_uint_eq(m->file, 1);
	ck_assert_str_eq(engine_call_id(e, m->call_id), "b1");
	ck_assert_int_eq(m->time, time_from_civil(2024, 1, 2, 10, 0, 2, 500000));
	/* b goes on being followed. */
	append(b, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:04.000000",
			     "b1", "SIP/2.0 200 OK"), "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 4);
	/* c: still short, waited for; long enough and not SIP, refused. */
	ck_assert_uint_eq(engine_nrefused(e), 0);
	for (i = 0; i < 1000; i++)
		append(c, "still not a log\n", "a");
	ck_assert_int_eq(engine_poll(e), 1);
	ck_assert_uint_eq(engine_nawaited(e), 0);
	ck_assert_uint_eq(engine_nrefused(e), 1);
	ck_assert_ptr_nonnull(strstr(engine_refused(e, 0),
				     "c.txt: no SIP messages found"));
	ck_assert_uint_eq(engine_nfiles(e), 2);
	engine_free(e);
	unlink(a);
	unlink(b);
	unlink(c);
	rmdir(dir);
}
END_TEST

/* path followed as format, quiet after 50 ms, read as far as it is. */
static struct engine *
follow_quiet_engine(const char *path, const char *format)
{
	struct engine *e = engine_new();
	char *err = NULL;

	engine_follow(e, 1);
	engine_set_follow_quiet(e, 50);
	ck_assert_int_eq(engine_add_file(e, path, format, &err), 0);
	engine_run(e);
	return e;
}

/* Longer than follow_quiet_engine()'s quiet time. */
static void
follow_quiet_wait(void)
{
	struct timespec t = { 0, 60 * 1000000L };

	nanosleep(&t, NULL);
}

/* e's file has one junk line at its end: after a quiet pause, it is warned
 * about, alone. */
static void
follow_quiet_ck_junk(struct engine *e)
{
	struct timespec t = { 0, 60 * 1000000L };

	nanosleep(&t, NULL);
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	ck_assert_str_eq(engine_warning(e, 0)->msg,
			 "skipped 1 line outside any SIP message");
}

/* A record its reader waits on for what may follow it, the last line
 * whole: a chan_sip message read, its summary line not written (nor ever,
 * here), and junk after the last record. Once the file is quiet, the
 * message is read without it and the junk warned about, once; before, or
 * with more to come, not. */
START_TEST(test_follow_quiet_waiting_record)
{
	static const char ast[] =
	    "[Dec 31 23:59:59] VERBOSE[2281] chan_sip.c: \n"
	    "<--- SIP read from UDP:198.51.100.23:5060 --->\n"
	    "OPTIONS sip:1002@192.0.2.10 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bKw1\n"
	    "Call-ID: wait@198.51.100.23\n"
	    "CSeq: 1 OPTIONS\n"
	    "Content-Length: 0\n"
	    "\n"
	    "<------------->\n";
	char dir[] = "/tmp/check_engine.XXXXXX", path[128];
	struct timespec t = { 0, 60 * 1000000L };
	struct engine *e;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/wait.log", dir);
	append(path, ast, "w");
	e = follow_quiet_engine(path, "asterisk");
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 0);
	ck_assert_int_eq(engine_poll(e), 0);	/* not quiet yet */
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 0);
	nanosleep(&t, NULL);
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 1);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 0)->flags &
			  RECF_TRUNCATED, 0);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	ck_assert_int_eq(engine_poll(e), 0);	/* tried at this size */
	engine_free(e);

	/* Junk after the last record: warned about once quiet, once. */
	append(path, raw_call, "w");
	append(path, "-- capture stopped\n", "a");
	e = follow_quiet_engine(path, "raw");
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	follow_quiet_ck_junk(e);
	append(path, raw_call, "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 6);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Junk at the end of a followed file, its last line without a line
 * break: warned about once the file is quiet, as reading the file whole
 * warns (it never was); should the line grow, it is read again, the
 * warning withdrawn: once junk, it is warned about once, and the start of
 * a record being written is read as that record, with no warning. */
START_TEST(test_follow_quiet_junk_end)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128];
	struct timespec t = { 0, 60 * 1000000L };
	struct engine *e;
	uint32_t line;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/junk.log", dir);
	append(path, raw_call, "w");
	append(path, "-- capture sto", "a");
	e = follow_quiet_engine(path, "raw");
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_int_eq(engine_poll(e), 0);	/* not quiet yet */
	engine_run(e);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	follow_quiet_ck_junk(e);
	line = engine_warning(e, 0)->line;
	ck_assert_uint_gt(line, 1);
	ck_assert_int_eq(engine_poll(e), 0);	/* tried at this size */
	/* The line grows: the same one junk line, warned about once. */
	append(path, "pped\n", "a");
	append(path, raw_call, "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 6);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	ck_assert_str_eq(engine_warning(e, 0)->msg,
			 "skipped 1 line outside any SIP message");
	ck_assert_uint_eq(engine_warning(e, 0)->line, line);
	engine_free(e);

	/* The start of a record, quiet in its first line: taken as junk
	 * then, read as the record once it is written. */
	append(path, raw_call, "w");
	append(path, "OPTIO", "a");
	e = follow_quiet_engine(path, "raw");
	nanosleep(&t, NULL);
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	append(path, "NS sip:y@example.com SIP/2.0" CRLF "Call-ID: y1" CRLF
	       "CSeq: 1 OPTIONS" CRLF "Content-Length: 0" CRLF CRLF, "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 4);
	ck_assert(span_istarts(engine_record_text(e, 3), "OPTIONS "));
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A writer that ended its last record without a final line break: once
 * quiet, that record is shown (it waited for ever); read again as
 * complete when the line break and more come, it is not indexed twice.
 * A last line that is still a header line is shown too, flagged cut
 * short, and completed in place (the same id) when the rest comes. */
START_TEST(test_follow_quiet_last_line)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], *err = NULL;
	struct engine *e = engine_new();
	struct source *src = source_open("tests/data/lf-only.cls.log", &err);
	size_t n, w;
	uint64_t changes;
	FILE *f;

	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/last.log", dir);
	ck_assert_int_eq(src->data[src->len - 1], '\n');
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(src->data, 1, src->len - 1, f);	/* no final line break */
	fclose(f);
	engine_follow(e, 1);
	engine_set_follow_quiet(e, 50);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	/* Not quiet long enough yet. */
	ck_assert_int_eq(engine_poll(e), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	{
		struct timespec t = { 0, 60 * 1000000L };

		nanosleep(&t, NULL);
	}
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 3);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 2)->flags &
			  RECF_TRUNCATED, 0);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	/* Tried once at this size. */
	ck_assert_int_eq(engine_poll(e), 0);
	/* The line break, then the whole log again. */
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fwrite("\n", 1, 1, f);
	fwrite(src->data, 1, src->len, f);
	fclose(f);
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 6);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);

	/* A raw message whose last header line has no line break yet. */
	e = engine_new();
	engine_follow(e, 1);
	engine_set_follow_quiet(e, 0);
	append(path, raw_call, "w");
	append(path, "OPTIONS sip:y@example.com SIP/2.0" CRLF
	       "Call-ID: y1" CRLF "CSeq: 1 OPTIONS" CRLF "Content-Len", "a");
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	engine_run(e);
	n = msgindex_count(engine_index(e));
	w = engine_nwarnings(e);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(engine_poll(e), 1);	/* quiet */
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), n + 1);
	ck_assert_uint_eq(msgindex_get(engine_index(e), (uint32_t)n)->flags &
			  RECF_TRUNCATED, RECF_TRUNCATED);
	ck_assert_uint_eq(engine_nwarnings(e), w);
	changes = engine_changes(e);
	append(path, "gth: 0" CRLF CRLF, "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), n + 1);
	ck_assert_uint_eq(msgindex_get(engine_index(e), (uint32_t)n)->flags &
			  RECF_TRUNCATED, 0);
	ck_assert_uint_ne(engine_changes(e), changes);
	ck_assert_uint_eq(engine_nwarnings(e), w);
	ck_assert(span_istarts(engine_record_text(e, (uint32_t)n), "OPTIONS "));
	ck_assert_uint_eq(engine_record_text(e, (uint32_t)n).n,
			  strlen("OPTIONS sip:y@example.com SIP/2.0" CRLF
				 "Call-ID: y1" CRLF "CSeq: 1 OPTIONS" CRLF
				 "Content-Length: 0" CRLF CRLF));
	engine_free(e);
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A server log record its writer stopped within (no $$end_record yet):
 * once the file is quiet, shown as it is, flagged cut short, with no
 * warning (it may still be finished); read again when the rest comes, it
 * completes its entry (the same id, as the whole log reads it). From a
 * pipe that ends before the rest came, it is cut short for good and warned
 * about as reading the log whole warns. */
START_TEST(test_follow_quiet_cut_record)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], *err = NULL;
	struct source *src = source_open("tests/data/lf-only.cls.log", &err);
	struct engine *a = engine_new(), *e;
	const char *last;
	size_t cut, n;
	int fds[2], saved;
	uint32_t id;
	FILE *f;

	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(engine_add_file(a, "tests/data/lf-only.cls.log", NULL,
					 &err), 0);
	engine_run(a);
	n = msgindex_count(engine_index(a));
	ck_assert_uint_eq(n, 3);
	last = memmem(src->data, src->len, "$$end_record\n", 13);
	last = memmem(last + 1, src->len - (size_t)(last + 1 - src->data),
		      "$$end_record\n", 13);
	last = memmem(last + 1, src->len - (size_t)(last + 1 - src->data),
		      "$$end_record\n", 13);
	ck_assert_ptr_nonnull(last);
	cut = (size_t)(last - src->data);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/cut.cls.log", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(src->data, 1, cut, f), cut);
	fclose(f);

	e = follow_quiet_engine(path, NULL);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), n - 1);
	ck_assert_int_eq(engine_poll(e), 0);	/* not quiet yet */
	follow_quiet_wait();
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), n);
	id = (uint32_t)n - 1;
	ck_assert_uint_eq(msgindex_get(engine_index(e), id)->flags &
			  RECF_TRUNCATED, RECF_TRUNCATED);
	ck_assert_uint_eq(msgindex_get(engine_index(e), id)->call_id != 0, 1);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	ck_assert_int_eq(engine_poll(e), 0);	/* tried at this size */
	append(path, "$$end_record\n", "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), n);
	ck_assert_uint_eq(msgindex_get(engine_index(e), id)->flags,
			  msgindex_get(engine_index(a), id)->flags);
	ck_assert_uint_eq(msgindex_len(engine_index(e), id),
			  msgindex_len(engine_index(a), id));
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);

	/* From a pipe whose writer stops there for good. */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], src->data, cut), (ssize_t)cut);
	saved = stdin_from(fds[0]);
	e = engine_new();
	engine_follow(e, 1);
	engine_set_follow_quiet(e, 0);
	ck_assert_int_eq(engine_add_file(e, "-", "cls", &err), 0);
	engine_run(e);
	while (msgindex_count(engine_index(e)) < n) {
		engine_wait(e, 100);
		engine_poll(e);
		engine_run(e);
	}
	ck_assert_uint_eq(msgindex_get(engine_index(e), id)->flags &
			  RECF_TRUNCATED, RECF_TRUNCATED);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	close(fds[1]);
	follow_until_ended(e);
	stdin_restore(saved);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), n);
	ck_assert_uint_eq(msgindex_get(engine_index(e), id)->flags &
			  RECF_TRUNCATED, RECF_TRUNCATED);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	ck_assert_str_eq(engine_warning(e, 0)->msg,
			 "message cut short (kept, flagged truncated)");
	ck_assert_uint_eq(engine_warning(e, 0)->line, engine_msg_line(e, id));
	engine_free(e);
	engine_free(a);
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A keep-alive whose Call-ID and time come first and whose last 64 bytes
 * are the same in every one (and every one is as long). */
static const char *
rewrite_msg(char *buf, size_t sz, int sec, const char *callid)
{
	snprintf(buf, sz,
		 "2024/01/02 10:00:%02d.000000 10.0.0.1:5060 -> 10.0.0.2:5060\n"
		 "OPTIONS sip:example.com SIP/2.0\n"
		 "Call-ID: %s\n"
		 "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\n"
		 "From: <sip:a@example.com>;tag=1\n"
		 "To: <sip:b@example.com>\n"
		 "CSeq: 1 OPTIONS\n"
		 "User-Agent: the same phone, firmware 1.2.3 build 4567\n"
		 "Content-Length: 0\n\n", sec, callid);
	return buf;
}

/* Truncated in place (copytruncate) and written again to the old size or
 * past it before the next look, with the same last bytes where the old end
 * was: the rewrite is noticed and the file read again from its start, with
 * the warning (it read on from the old size, missing the new records,
 * without a word). Copied to the heap (mapped 0) or followed where it is
 * mapped (mapped 1: the old text is gone then, as documented). */
static void
follow_rewrite_scenario(int mapped, int grow)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], buf[1024];
	char *err = NULL;
	struct engine *e = engine_new();
	size_t i;
	int found = 0;
	FILE *f;

	engine_set_follow_copy(e, mapped ? 0 : SIZE_MAX);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/live.txt", dir);
	append(path, rewrite_msg(buf, sizeof buf, 1, "r1"), "w");
	append(path, rewrite_msg(buf, sizeof buf, 2, "r2"), "a");
	engine_follow(e, 1);
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(rewrite_msg(buf, sizeof buf, 3, "s3"), f);
	fputs(rewrite_msg(buf, sizeof buf, 4, "s4"), f);
	if (grow)
		fputs(rewrite_msg(buf, sizeof buf, 5, "s5"), f);
	fclose(f);
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), grow ? 5 : 4);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 2)->file, 1);
	ck_assert_str_eq(engine_call_id(e, msgindex_get(engine_index(e), 2)->call_id),
			 "s3");
	for (i = 0; i < engine_nwarnings(e); i++)
		found |= strstr(engine_warning(e, i)->msg,
				"truncated: reading it again from its start") != NULL;
	ck_assert_int_eq(found, 1);
	if (!mapped)	/* what was read before is still there */
		ck_assert(span_istarts(engine_record_text(e, 0),
				       "2024/01/02 10:00:01"));
	engine_free(e);
	unlink(path);
	rmdir(dir);
}

START_TEST(test_follow_rewritten_same_end)
{
	follow_rewrite_scenario(0, 1);
	follow_rewrite_scenario(1, 1);
	follow_rewrite_scenario(0, 0);
	follow_rewrite_scenario(1, 0);
}
END_TEST

/* The viewer's F: follow mode turned on after the files were read. */
START_TEST(test_follow_later)
{
	char dir[] = "/tmp/check_engine.XXXXXX", path[128], buf[1024];
	struct engine *e = engine_new();
	char *err = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/later.txt", dir);
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:01.000000",
				"l1", "REGISTER sip:example.com SIP/2.0"), "w");
	ck_assert_int_eq(engine_add_file(e, path, NULL, &err), 0);
	engine_run(e);
	ck_assert_int_eq(engine_poll(e), 0);
	engine_follow_files(e);
	append(path, sngrep_msg(buf, sizeof buf, "2024/01/02 10:00:02.000000",
				"l1", "SIP/2.0 200 OK"), "a");
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 2);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 1)->status, 200);
	ck_assert_uint_eq(engine_msg_line(e, 1), 10);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(e), 0)->outcome, 200);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_raw_index);
	tcase_add_test(tc, test_steps);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_lines_changed);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_refused_late_start);
	tcase_add_test(tc, test_bad_header_warning);
	tcase_add_test(tc, test_refused_as_format);
	tcase_add_test(tc, test_follow_empty_as_format);
	tcase_add_test(tc, test_follow);
	tcase_add_test(tc, test_follow_mapped);
	tcase_add_test(tc, test_follow_pieces);
	tcase_add_test(tc, test_follow_uccapi_lines);
	tcase_add_test(tc, test_follow_quiet_last_line);
	tcase_add_test(tc, test_follow_quiet_cut_record);
	tcase_add_test(tc, test_follow_quiet_waiting_record);
	tcase_add_test(tc, test_follow_quiet_junk_end);
	tcase_add_test(tc, test_follow_pipe_read_fails);
	tcase_add_test(tc, test_follow_bom_later);
	tcase_add_test(tc, test_follow_await);
	tcase_add_test(tc, test_follow_rewritten_same_end);
	tcase_add_test(tc, test_follow_spill_fails);
	tcase_add_test(tc, test_wait_many_pipes);
	tcase_add_test(tc, test_local_names);
	tcase_add_test(tc, test_follow_later);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
