/* Unit tests for flow and flow_render: column order, self-arrows, a
 * message between two new endpoints, deltas, labels with auth steps and
 * SDP, merging by host, notes, column positions, text and SVG output. */
#include <check.h>
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "engine.h"
#include "flow.h"

#define MSG(when, src, dst, start, cid, extra)				\
	"2024/03/01 " when " " src " -> " dst "\n"			\
	start "\n"							\
	"Via: SIP/2.0/UDP " src ";branch=z9hG4bK" cid "\n"		\
	"From: <sip:alice@example.com>;tag=a\n"				\
	"To: <sip:bob@example.com>\n"					\
	"Call-ID: " cid "\n"						\
	"CSeq: 1 INVITE\n"						\
	extra								\
	"Content-Length: 0\n\n"

static const char trace[] =
	/* 0: A -> B, with SDP (its Content-Length is set below). */
	"2024/03/01 10:00:00.000000 10.0.0.1:5060 -> 10.0.0.2:5060\n"
	"INVITE sip:bob@example.com SIP/2.0\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK0\n"
	"From: <sip:alice@example.com>;tag=a\n"
	"To: <sip:bob@example.com>\n"
	"Call-ID: c1\n"
	"CSeq: 1 INVITE\n"
	"Content-Type: application/sdp\n"
	"Content-Length: 5\n\n"
	"v=0\r\n\n"
	/* 1: B -> A */
	MSG("10:00:00.250000", "10.0.0.2:5060", "10.0.0.1:5060",
	    "SIP/2.0 100 Trying", "c1", "")
	/* 2: two endpoints not seen before */
	MSG("10:00:01.000000", "10.0.0.3:5060", "10.0.0.4:5060",
	    "OPTIONS sip:10.0.0.4 SIP/2.0", "c2", "")
	/* 3: to itself */
	MSG("10:00:01.500000", "10.0.0.2:5060", "10.0.0.2:5060",
	    "MESSAGE sip:bob@example.com SIP/2.0", "c3", "")
	/* 4: A's host on another port */
	MSG("10:00:03.000000", "10.0.0.1:5070", "10.0.0.2:5060",
	    "INFO sip:bob@example.com SIP/2.0", "c1", "")
	/* 5: hostile reason phrase */
	MSG("10:00:03.000000", "10.0.0.2:5060", "10.0.0.1:5070",
	    "SIP/2.0 404 Not\x1b[2J<b>&Found", "c1", "");

static struct engine *
load_mem(const char *name, const char *text, size_t len, const char *fmt)
{
	struct engine *e = engine_new();
	char *err = NULL;

	ck_assert_msg(engine_add_mem(e, name, text, len, fmt, &err) == 0,
	    "%s", err != NULL ? err : "");
	engine_run(e);
	return e;
}

static struct engine *
load_file(const char *path)
{
	struct engine *e = engine_new();
	char *err = NULL;

	ck_assert_msg(engine_add_file(e, path, NULL, &err) == 0, "%s: %s",
	    path, err != NULL ? err : "");
	engine_run(e);
	return e;
}

static struct flow *
build_all(struct engine *e, const struct flow_opts *o)
{
	size_t n = msgindex_count(engine_index(e)), i;
	uint32_t *ids = xmalloc((n + 1) * sizeof *ids);
	struct flow *fl;

	for (i = 0; i < n; i++)
		ids[i] = (uint32_t)i;
	fl = flow_build(e, ids, n, o);
	free(ids);
	return fl;
}

START_TEST(test_columns)
{
	struct engine *e = load_mem("t.txt", trace, sizeof trace - 1, NULL);
	struct flow *fl;
	struct flow_opts o = { 0 };

	ck_assert_uint_eq(msgindex_count(engine_index(e)), 6);
	fl = build_all(e, NULL);
	/* First appearance, source before destination. */
	ck_assert_uint_eq(fl->ncols, 5);
	ck_assert_str_eq(fl->cols[0].name, "10.0.0.1:5060");
	ck_assert_str_eq(fl->cols[1].name, "10.0.0.2:5060");
	ck_assert_str_eq(fl->cols[2].name, "10.0.0.3:5060");
	ck_assert_str_eq(fl->cols[3].name, "10.0.0.4:5060");
	ck_assert_str_eq(fl->cols[4].name, "10.0.0.1:5070");
	ck_assert_uint_eq(fl->nrows, 6);
	ck_assert_int_eq(fl->rows[0].from, 0);
	ck_assert_int_eq(fl->rows[0].to, 1);
	ck_assert_int_eq(fl->rows[1].from, 1);
	ck_assert_int_eq(fl->rows[1].to, 0);
	/* Between two new endpoints. */
	ck_assert_int_eq(fl->rows[2].from, 2);
	ck_assert_int_eq(fl->rows[2].to, 3);
	ck_assert(!fl->rows[2].self);
	/* Self-arrow. */
	ck_assert_int_eq(fl->rows[3].from, 1);
	ck_assert_int_eq(fl->rows[3].to, 1);
	ck_assert(fl->rows[3].self);
	ck_assert_int_eq(fl->rows[4].from, 4);
	ck_assert_int_eq(fl->rows[4].to, 1);
	ck_assert_int_eq(fl->rows[5].to, 4);
	flow_free(fl);

	/* Merged by host: port 5070 joins 10.0.0.1. */
	o.merge_hosts = 1;
	fl = build_all(e, &o);
	ck_assert_uint_eq(fl->ncols, 4);
	ck_assert_str_eq(fl->cols[0].name, "10.0.0.1");
	ck_assert_str_eq(fl->cols[3].name, "10.0.0.4");
	ck_assert_int_eq(fl->rows[4].from, 0);
	ck_assert_int_eq(fl->rows[5].to, 0);
	flow_free(fl);

	/* Columns come from the messages drawn, not the whole trace. */
	{
		uint32_t ids[] = { 2, 3 };

		fl = flow_build(e, ids, 2, NULL);
		ck_assert_uint_eq(fl->ncols, 3);
		ck_assert_str_eq(fl->cols[0].name, "10.0.0.3:5060");
		ck_assert_str_eq(fl->cols[2].name, "10.0.0.2:5060");
		ck_assert_int_eq(fl->rows[1].from, 2);
		ck_assert_int_eq(flow_find(fl, 3), 1);
		ck_assert_int_eq(flow_find(fl, 2), 0);
		ck_assert_int_eq(flow_find(fl, 1), -1);
		ck_assert_int_eq(flow_find(fl, 9), -1);
		flow_free(fl);
	}
	/* Ids out of range are skipped; nothing at all is an empty model. */
	{
		uint32_t ids[] = { 1, 99 };

		fl = flow_build(e, ids, 2, NULL);
		ck_assert_uint_eq(fl->nrows, 1);
		flow_free(fl);
		fl = flow_build(e, ids, 0, NULL);
		ck_assert_uint_eq(fl->nrows, 0);
		ck_assert_uint_eq(fl->ncols, 0);
		flow_free(fl);
	}
	engine_free(e);
}
END_TEST

/* Thousands of endpoints: each message from a hub to an endpoint of its
 * own and back; every end finds its column (looked up by hash, not by
 * comparing with every column), merged by host too. */
START_TEST(test_many_columns)
{
	struct strbuf sb;
	struct engine *e;
	struct flow *fl;
	struct flow_opts o = { 0 };
	char want[32];
	size_t i, n = 3000;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "2025/03/11 10:00:%02zu.%06zu 10.0.0.1:5060 -> "
			    "10.%zu.%zu.1:5060\nOPTIONS sip:x SIP/2.0\r\n"
			    "Call-ID: c%zu\r\nCSeq: 1 OPTIONS\r\n"
			    "Content-Length: 0\r\n\r\n\n", i / 1000, i % 1000,
			    i / 256 + 1, i % 256, i);
		strbuf_addf(&sb, "2025/03/11 10:00:%02zu.%06zu 10.%zu.%zu.1:5060 -> "
			    "10.0.0.1:5060\nSIP/2.0 200 OK\r\n"
			    "Call-ID: c%zu\r\nCSeq: 1 OPTIONS\r\n"
			    "Content-Length: 0\r\n\r\n\n", i / 1000, i % 1000 + 1,
			    i / 256 + 1, i % 256, i);
	}
	e = load_mem("many.txt", sb.buf, sb.len, NULL);
	fl = build_all(e, NULL);
	ck_assert_uint_eq(fl->ncols, n + 1);
	ck_assert_uint_eq(fl->nrows, 2 * n);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof want, "10.%zu.%zu.1:5060", i / 256 + 1,
			 i % 256);
		ck_assert_int_eq(fl->rows[2 * i].from, 0);
		ck_assert_str_eq(fl->cols[fl->rows[2 * i].to].name, want);
		ck_assert_int_eq(fl->rows[2 * i + 1].from, fl->rows[2 * i].to);
		ck_assert_int_eq(fl->rows[2 * i + 1].to, 0);
	}
	flow_free(fl);
	o.merge_hosts = 1;
	fl = build_all(e, &o);
	ck_assert_uint_eq(fl->ncols, n + 1);
	ck_assert_str_eq(fl->cols[fl->rows[2 * n - 1].from].name, "10.12.183.1");
	flow_free(fl);
	engine_free(e);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_times_labels)
{
	struct engine *e = load_mem("t.txt", trace, sizeof trace - 1, NULL);
	struct flow_opts o = { 0 };
	struct flow *fl = build_all(e, NULL);

	ck_assert(fl->rows[0].delta == TIME_NONE);
	ck_assert(fl->rows[1].delta == 250000);
	ck_assert(fl->rows[2].delta == 750000);
	ck_assert(fl->rows[3].delta == 500000);
	ck_assert(fl->rows[4].delta == 1500000);
	ck_assert(fl->rows[5].delta == 0);
	ck_assert(fl->rows[1].time - fl->rows[0].time == 250000);
	ck_assert_int_eq(fl->rows[0].time_prec, 6);
	ck_assert_int_eq(fl->rows[0].dating, TIME_DATED);

	ck_assert_str_eq(fl->rows[0].label, "INVITE (SDP)");
	ck_assert(fl->rows[0].sdp);
	ck_assert_str_eq(fl->rows[1].label, "100 Trying");
	ck_assert(!fl->rows[1].sdp);
	ck_assert_str_eq(fl->rows[2].label, "OPTIONS");
	ck_assert_str_eq(fl->rows[3].label, "MESSAGE");
	/* Sanitised: the escape is text, never a byte for the terminal. */
	ck_assert_ptr_null(strchr(fl->rows[5].label, '\x1b'));
	ck_assert_str_eq(fl->rows[5].label, "404 Not\\e[2J<b>&Found");
	ck_assert_int_eq(fl->rows[0].kind, FLOW_ARROW);
	flow_free(fl);

	o.show_ruri = 1;
	fl = build_all(e, &o);
	ck_assert_str_eq(fl->rows[0].label, "INVITE sip:bob@example.com (SDP)");
	ck_assert_str_eq(fl->rows[1].label, "100 Trying");
	flow_free(fl);
	engine_free(e);
}
END_TEST

/* Auth steps in labels, on the registration fixtures. */
START_TEST(test_auth_labels)
{
	static const char *const ntlm[] = {
		"REGISTER",
		"401 Unauthorized [NTLM]",
		"REGISTER [NTLM]",
		"401 Unauthorized [NTLM CHALLENGE]",
		"REGISTER [NTLM AUTHENTICATE]",
		"200 OK [NTLM]",
	};
	struct engine *e = load_file(TEST_DATA "/remote-ntlm.cls.log");
	struct flow *fl = build_all(e, NULL);
	size_t i;

	ck_assert_uint_eq(fl->nrows, 6);
	for (i = 0; i < 6; i++)
		ck_assert_str_eq(fl->rows[i].label, ntlm[i]);
	/* A CLS log gives the peer; its own end is "local". */
	ck_assert_uint_eq(fl->ncols, 2);
	ck_assert_str_eq(fl->cols[0].name, "198.51.100.23:49721");
	ck_assert_str_eq(fl->cols[1].name, "local");
	ck_assert_int_eq(fl->rows[0].from, 0);
	ck_assert_int_eq(fl->rows[1].from, 1);
	ck_assert(fl->rows[1].delta == 33000);
	ck_assert_int_eq(fl->rows[1].time_prec, 3);
	flow_free(fl);
	engine_free(e);

	e = load_file(TEST_DATA "/internal-kerberos.cls.log");
	fl = build_all(e, NULL);
	ck_assert_uint_eq(fl->nrows, 4);
	ck_assert_str_eq(fl->rows[1].label,
	    "401 Unauthorized [Kerberos, NTLM]");
	ck_assert_str_eq(fl->rows[2].label, "REGISTER [Kerberos AP-REQ]");
	ck_assert_str_eq(fl->cols[1].name, "R2EE01");
	flow_free(fl);
	engine_free(e);
}
END_TEST

/* Diagnostic events become notes at the log's own end. */
START_TEST(test_notes)
{
	struct engine *e = load_file(TEST_DATA "/call-cancel.cls.log");
	struct flow *fl = build_all(e, NULL);
	size_t i, notes = 0;

	for (i = 0; i < fl->nrows; i++) {
		const struct flow_row *r = &fl->rows[i];
		const struct msg *m = msgindex_get(engine_index(e), r->id);

		ck_assert_int_eq(r->kind == FLOW_NOTE, m->kind == MSG_DIAG);
		ck_assert_int_eq(r->severity, m->severity);
		if (r->kind != FLOW_NOTE)
			continue;
		notes++;
		ck_assert_int_eq(r->from, r->to);
		ck_assert_str_eq(fl->cols[r->from].name, "R2EE01");
	}
	ck_assert_uint_eq(notes, 2);
	/* The peer a note names is no column of its own. */
	ck_assert_uint_eq(fl->ncols, 2);
	ck_assert_str_eq(fl->rows[4].label,
	    "TL_WARN: Call was cancelled before the callee answered");
	flow_free(fl);
	engine_free(e);
}
END_TEST

/* A diagnostic event is something the server logged, not a message sent:
 * whatever ends it names, two (Local-IP and Peer-IP), one or none, it is
 * a note on the column of the server that logged it, drawn without an
 * arrow, and the ends it names are no columns of their own. */
START_TEST(test_notes_ends)
{
#define CLS_HEAD(lvl, tf, t, fn) \
	lvl "(" tf ") [R2EE01\\R2EE01]0DE4.1690::03/11/2025-" t \
	".00000001 (SIPStack,SIPAdminLog::" fn ":SIPAdminLog.cpp(1))" \
	"$$begin_record\n"
	static const char cls[] =
		CLS_HEAD("TL_INFO", "TF_PROTOCOL", "08:00:00.000",
			 "TraceProtocolRecord")
		"Direction: incoming\n"
		"Peer: 172.31.255.247:51311\n"
		"Message-Type: request\n"
		"Start-Line: OPTIONS sip:r2ee01@uclab.org SIP/2.0\n"
		"Call-ID: n1\n"
		"CSeq: 1 OPTIONS\n"
		"Content-Length: 0\n"
		"$$end_record\n"
		CLS_HEAD("TL_ERROR", "TF_CONNECTION", "08:00:00.100",
			 "TraceConnectionRecord")
		"LogType: connection\n"
		"Severity: error\n"
		"Text: Receive operation on the connection failed\n"
		"Local-IP: 10.0.0.2:5061\n"
		"Peer-IP: 10.0.0.5:50001\n"
		"$$end_record\n"
		CLS_HEAD("TL_WARN", "TF_DIAG", "08:00:00.200",
			 "TraceDiagRecord")
		"LogType: diagnostic\n"
		"Severity: warning\n"
		"Text: Nothing about either end\n"
		"$$end_record\n"
		CLS_HEAD("TL_WARN", "TF_DIAG", "08:00:00.300",
			 "TraceDiagRecord")
		"LogType: diagnostic\n"
		"Severity: warning\n"
		"Text: About one peer\n"
		"Peer: 10.0.0.9:5061\n"
		"$$end_record\n";
#undef CLS_HEAD
	struct engine *e = load_mem("n.log", cls, sizeof cls - 1, NULL);
	struct flow *fl = build_all(e, NULL);
	struct flow_render_opts ro = { 60, 0, 0 };
	struct strbuf sb;
	char *lines[32], *save = NULL, *l;
	size_t i;
	int n = 0, top, k;

	ck_assert_uint_eq(fl->nrows, 4);
	ck_assert_uint_eq(fl->ncols, 2);
	for (i = 1; i < 4; i++) {
		ck_assert_int_eq(fl->rows[i].kind, FLOW_NOTE);
		ck_assert_int_eq(fl->rows[i].from, fl->rows[i].to);
		ck_assert_str_eq(fl->cols[fl->rows[i].from].name, "R2EE01");
	}
	strbuf_init(&sb);
	flow_render_text(fl, &ro, &sb);
	for (l = strtok_r(sb.buf, "\n", &save); l != NULL && n < 32;
	    l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	for (top = 0; top < n && strchr(lines[top], '|') == NULL; top++)
		;
	/* The request's label and arrow, then a line a note. */
	ck_assert_int_eq(n, top + 1 + 2 + 3);
	for (k = top + 3; k < n; k++)
		ck_assert_msg(strchr(lines[k], '*') != NULL &&
		    strpbrk(lines[k], "<>") == NULL &&
		    strstr(lines[k], "--") == NULL, "an arrow:\n%s", sb.buf);
	strbuf_free(&sb);
	flow_free(fl);
	engine_free(e);
}
END_TEST

/* Raw SIP has no addresses: two columns titled "?", the side that sent
 * a dialog's first request on the left; a request from that party goes
 * right, its response left; a request from the other party goes left. */
START_TEST(test_unknown_ends)
{
	static const char raw[] =
		"OPTIONS sip:x@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: <sip:x@example.com>\r\n"
		"Call-ID: u1\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n"
		"INVITE <sip:user@example.com> SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK2\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: sip:user@example.com\r\n"
		"Call-ID: u2\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n"
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: <sip:x@example.com>;tag=2\r\n"
		"Call-ID: u1\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n"
		"INFO sip:a@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK3\r\n"
		"From: <sip:x@example.com>;tag=2\r\n"
		"To: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: u1\r\n"
		"CSeq: 1 INFO\r\n"
		"Content-Length: 0\r\n\r\n"
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK3\r\n"
		"From: <sip:x@example.com>;tag=2\r\n"
		"To: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: u1\r\n"
		"CSeq: 1 INFO\r\n"
		"Content-Length: 0\r\n\r\n";
	static const int want[][2] = { { 0, 1 }, { 0, 1 }, { 1, 0 }, { 1, 0 },
				       { 0, 1 } };
	struct engine *e = load_mem("u.sip", raw, sizeof raw - 1, NULL);
	struct flow *fl = build_all(e, NULL);
	size_t i;

	ck_assert_uint_eq(fl->nrows, 5);
	/* A start line that is not SIP is shown as it is, marked. */
	ck_assert_int_eq(msgindex_get(engine_index(e), 1)->kind, MSG_INVALID);
	ck_assert_str_eq(fl->rows[1].label,
	    "? INVITE <sip:user@example.com> SIP/2.0");
	ck_assert_uint_eq(fl->ncols, 2);
	ck_assert_str_eq(fl->cols[0].name, "?");
	ck_assert_str_eq(fl->cols[1].name, "?");
	for (i = 0; i < fl->nrows; i++) {
		ck_assert_msg(fl->rows[i].from == want[i][0] &&
		    fl->rows[i].to == want[i][1], "row %zu: %d -> %d", i,
		    fl->rows[i].from, fl->rows[i].to);
		ck_assert(!fl->rows[i].self);
	}
	ck_assert(fl->rows[0].time == TIME_NONE);
	ck_assert(fl->rows[0].delta == TIME_NONE);
	flow_free(fl);
	engine_free(e);
}
END_TEST


static size_t
count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

START_TEST(test_render_text)
{
	static const char want[] =
		"                          10.0.0.1:5060     10.0.0.2:5060\n"
		"                                |                 |\n"
		"2024-03-01                      |                 |\n"
		"                                |  INVITE (SDP)   |\n"
		"10:00:00.000000                 |---------------->|\n"
		"                                |   100 Trying    |\n"
		"10:00:00.250000 +0.250          |<----------------|\n";
	struct engine *e = load_mem("t.txt", trace, sizeof trace - 1, NULL);
	uint32_t ids[] = { 0, 1, 3, 5 };
	struct flow_render_opts ro = { 60, 0, 1 };
	struct flow *fl = flow_build(e, ids, 2, NULL);
	struct strbuf sb;
	char *line, *save = NULL;
	int widest;

	strbuf_init(&sb);
	ck_assert_int_eq(flow_render_text(fl, &ro, &sb), 57);
	ck_assert_msg(strcmp(sb.buf, want) == 0, "got:\n%s", sb.buf);
	flow_free(fl);

	/* UTF-8: box drawing; a self-arrow; no line wider than it says,
	 * which is wider than asked: the columns make room for the labels. */
	fl = flow_build(e, ids, 4, NULL);
	ro.utf8 = 1;
	strbuf_reset(&sb);
	widest = flow_render_text(fl, &ro, &sb);
	ck_assert_int_gt(widest, 60);
	/* The 404's label is wider than the gap: whole, a blank either side
	 * between the lifelines of its arrow. */
	ck_assert_msg(strstr(sb.buf, "\xe2\x94\x82 404 Not") != NULL &&
	    strstr(sb.buf, "&Found \xe2\x94\x82") != NULL, "got:\n%s", sb.buf);
	ck_assert_ptr_nonnull(strstr(sb.buf, "\xe2\x94\x82"));	/* │ */
	ck_assert_ptr_nonnull(strstr(sb.buf, "\xe2\x96\xb6"));	/* ▶ */
	ck_assert_ptr_nonnull(strstr(sb.buf, "\xe2\x94\x90 MESSAGE"));
	ck_assert_ptr_null(strchr(sb.buf, '\x1b'));
	for (line = strtok_r(sb.buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		size_t cells = 0;
		const char *p;

		for (p = line; *p != '\0'; p++)
			cells += ((unsigned char)*p & 0xc0) != 0x80;
		ck_assert_msg(cells <= (size_t)widest, "%zu cells: %s", cells,
		    line);
		ck_assert_msg(line[strlen(line) - 1] != ' ', "trailing: %s",
		    line);
	}
	flow_free(fl);

	/* ASCII stays ASCII. */
	fl = flow_build(e, ids, 4, NULL);
	ro.utf8 = 0;
	ro.times = 0;
	strbuf_reset(&sb);
	flow_render_text(fl, &ro, &sb);
	{
		size_t i;

		for (i = 0; i < sb.len; i++)
			ck_assert_int_lt((unsigned char)sb.buf[i], 0x80);
	}
	ck_assert_ptr_null(strstr(sb.buf, "10:00"));	/* no times */
	ck_assert_uint_eq(count_str(sb.buf, "\n"), 2 + 2 * 4);
	flow_free(fl);
	strbuf_free(&sb);
	engine_free(e);
}
END_TEST

START_TEST(test_render_svg)
{
	struct engine *e = load_mem("t.txt", trace, sizeof trace - 1, NULL);
	struct flow *fl = build_all(e, NULL);
	struct strbuf sb;

	strbuf_init(&sb);
	flow_render_svg(fl, e, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "<svg xmlns="));
	ck_assert_uint_eq(count_str(sb.buf, "<g class=\"arrow "), 6);
	ck_assert_uint_eq(count_str(sb.buf, "<g class=\"hdr\">"), 5);
	ck_assert_uint_eq(count_str(sb.buf, "<title>"), 7);
	/* Escaped and sanitised: no raw markup or escape from the log. */
	ck_assert_ptr_null(strstr(sb.buf, "<b>"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "Not\\e[2J&lt;b&gt;&amp;Found"));
	ck_assert_ptr_null(strchr(sb.buf, '\x1b'));
	/* The full message in the tooltip, line by line. */
	ck_assert_ptr_nonnull(strstr(sb.buf, "Call-ID: c3\nCSeq: 1 INVITE"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "</svg>\n"));
	flow_free(fl);

	/* A time-of-day log across midnight: its first times are on its
	 * first day, not under a "+1d" heading (the day of a later row). */
	{
		struct engine *m =
		    load_file(TEST_DATA "/fmt/pjsua-midnight.log");

		fl = build_all(m, NULL);
		ck_assert_int_eq(fl->rows[0].dating, TIME_DAYS);
		strbuf_reset(&sb);
		flow_render_svg(fl, m, &sb);
		ck_assert_ptr_nonnull(strstr(sb.buf, ">23:59:59.900</text>"));
		ck_assert_ptr_null(strstr(sb.buf, ">+1d</text>"));
		flow_free(fl);
		engine_free(m);
	}
	/* Month and day without a year, across New Year: the day is the
	 * month and day the log gave. */
	{
		struct engine *m =
		    load_file(TEST_DATA "/fmt/asterisk-newyear.log");
		char day[32];

		fl = build_all(m, NULL);
		ck_assert_int_eq(fl->rows[0].dating, TIME_MONTHDAY);
		flow_row_day(&fl->rows[0], day, sizeof day);
		ck_assert_str_eq(day, "12-31");
		flow_row_day(&fl->rows[fl->nrows - 1], day, sizeof day);
		ck_assert_str_eq(day, "01-01");
		flow_free(fl);
		engine_free(m);
	}
	strbuf_reset(&sb);
	flow_render_xml_escape(&sb, "a<'\"&>\x01\xef\xbf\xbe", 10);
	ck_assert_str_eq(sb.buf, "a&lt;&apos;&quot;&amp;&gt;\\x01\\ufffe");
	strbuf_free(&sb);
	engine_free(e);
}
END_TEST

/* Display column of the last lifeline on a line, by wcwidth(). */
static int
last_lifeline_col(const char *line)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, len = strlen(line);
	int col = 0, last = -1, w;

	memset(&st, 0, sizeof st);
	while (len > 0 && (n = mbrtowc(&wc, line, len, &st)) != 0 &&
	    n != (size_t)-1 && n != (size_t)-2) {
		if (wc == 0x2502)
			last = col;
		w = wcwidth(wc);
		col += w > 0 ? w : 0;
		line += n;
		len -= n;
	}
	return last;
}

/* Wide characters take two cells, combining marks none: the lifelines of
 * a label line stay above those of its arrow. */
START_TEST(test_render_wide)
{
	static const char wide[] =
		MSG("10:00:00.000000", "10.0.0.1:5060", "10.0.0.2:5060",
		    "INVITE sip:bob@example.com SIP/2.0", "w1", "")
		MSG("10:00:00.100000", "10.0.0.2:5060", "10.0.0.1:5060",
		    "SIP/2.0 486 \xe8\xa9\xb1\xe4\xb8\xad\xe3\x81\xa7\xe3\x81\x99",
		    "w1", "")
		MSG("10:00:00.200000", "10.0.0.2:5060", "10.0.0.1:5060",
		    "SIP/2.0 480 Occupe\xcc\x81 \xe2\x98\x8e", "w1", "");
	struct engine *e;
	struct flow *fl;
	struct flow_render_opts ro = { 70, 1, 1 };
	struct strbuf sb;
	char *lines[32], *save = NULL, *l;
	int n = 0, i;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	e = load_mem("w.txt", wide, sizeof wide - 1, NULL);
	fl = build_all(e, NULL);
	ck_assert_uint_eq(fl->nrows, 3);
	strbuf_init(&sb);
	flow_render_text(fl, &ro, &sb);
	ck_assert_ptr_nonnull(strstr(sb.buf, "486 \xe8\xa9\xb1"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "Occupe\xcc\x81 "));
	for (l = strtok_r(sb.buf, "\n", &save); l != NULL && n < 32;
	    l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	/* Headers (2 lines), a date line, then label and arrow lines. */
	ck_assert_int_eq(n, 3 + 2 * 3);
	for (i = 3; i + 1 < n; i += 2)
		ck_assert_msg(last_lifeline_col(lines[i]) ==
		    last_lifeline_col(lines[i + 1]), "misaligned:\n%s\n%s",
		    lines[i], lines[i + 1]);
	ck_assert_int_eq(last_lifeline_col(lines[4]),
	    last_lifeline_col(lines[1]));
	strbuf_free(&sb);

	/* Cut to a narrow span, a wide character is never split. */
	ro.width = 30;
	ro.times = 0;
	strbuf_init(&sb);
	flow_render_text(fl, &ro, &sb);
	save = NULL;
	for (l = strtok_r(sb.buf, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save))
		ck_assert_msg(mbstowcs(NULL, l, 0) != (size_t)-1, "%s", l);
	strbuf_free(&sb);
	flow_free(fl);
	engine_free(e);
}
END_TEST

/* An arrow across several columns puts its label between two lifelines,
 * in the widest gap it crosses, made wide enough for it: centred on the
 * whole arrow, it was written over the lifelines in between. Of equally
 * wide gaps the one at its start; counting only the part in view, the
 * widest there (the viewer's pane, scrolled). */
START_TEST(test_label_gap)
{
	static const char three[] =
		MSG("10:00:00.000000", "10.0.0.1:5060", "10.0.0.2:5060",
		    "OPTIONS sip:b@example.com SIP/2.0", "g1", "")
		MSG("10:00:00.100000", "10.0.0.2:5060", "10.0.0.3:5060",
		    "OPTIONS sip:c@example.com SIP/2.0", "g1", "")
		MSG("10:00:00.200000", "10.0.0.1:5060", "10.0.0.3:5060",
		    "INVITE sip:carol@example.com SIP/2.0", "g1", "")
		MSG("10:00:00.300000", "10.0.0.3:5060", "10.0.0.1:5060",
		    "SIP/2.0 486 Busy Here, and a long reason", "g1", "");
	struct engine *e = load_mem("g.txt", three, sizeof three - 1, NULL);
	struct flow *fl = build_all(e, NULL);
	struct flow_render_opts ro = { 40, 0, 0 };
	struct strbuf sb;
	char *lines[32], *save = NULL, *l;
	int x[3], n = 0, i, k, life[3], top;

	ck_assert_uint_eq(fl->ncols, 3);
	strbuf_init(&sb);
	flow_render_text(fl, &ro, &sb);
	for (l = strtok_r(sb.buf, "\n", &save); l != NULL && n < 32;
	    l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	/* Headers, lifelines, then a label and an arrow line a row. */
	for (top = 0; top < n && strchr(lines[top], '|') == NULL; top++)
		;
	ck_assert_int_eq(n, top + 1 + 2 * 4);
	for (i = 0, k = 0; lines[top][i] != '\0' && k < 3; i++)
		if (lines[top][i] == '|')
			life[k++] = i;
	ck_assert_int_eq(k, 3);
	for (i = top + 1; i < n; i++)
		for (k = 0; k < 3; k++)
			ck_assert_msg((int)strlen(lines[i]) > life[k] &&
			    strchr("|+", lines[i][life[k]]) != NULL,
			    "lifeline %d lost:\n%s", k, sb.buf);
	/* Whole, between two lifelines: the 486 widened the first gap, the
	 * widest, where the INVITE's label goes too. */
	ck_assert_ptr_nonnull(strstr(lines[top + 7],
	    "| 486 Busy Here, and a long reason |"));
	l = strstr(lines[top + 5], "INVITE");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_lt(l - lines[top + 5], life[1]);
	ck_assert_ptr_nonnull(strstr(lines[top + 6], "-+-----"));
	strbuf_free(&sb);

	/* The gap the label goes in. */
	x[0] = 0, x[1] = 10, x[2] = 30;
	ck_assert_int_eq(flow_label_gap(fl, &fl->rows[2], x, 0, 40), 1);
	ck_assert_int_eq(flow_label_gap(fl, &fl->rows[3], x, 0, 40), 1);
	x[2] = 20;
	ck_assert_int_eq(flow_label_gap(fl, &fl->rows[2], x, 0, 40), 0);
	ck_assert_int_eq(flow_label_gap(fl, &fl->rows[3], x, 0, 40), 1);
	/* Scrolled: only what is in view counts. */
	ck_assert_int_eq(flow_label_gap(fl, &fl->rows[2], x, 6, 40), 1);
	ck_assert_int_eq(flow_label_gap(fl, &fl->rows[0], x, 6, 40), 0);
	flow_free(fl);
	engine_free(e);
}
END_TEST

/* flow_day_marks: the rows on another day than those before them, and
 * flow_row_day their day: a date, "+1d" past midnight of a time of day
 * alone; the first row, and a log's first day so given, are none. */
START_TEST(test_day_marks)
{
	static const struct {
		const char *path;
		uint8_t want[5];
		const char *day;	/* of the row marked */
	} cases[] = {
	    { TEST_DATA "/cross-day.sngrep.txt", { 0, 0, 0, 1, 0 },
	      "2025-03-12" },
	    { TEST_DATA "/fmt/freeswitch-midnight.log", { 0, 1, 0, 0 },
	      "+1d" },
	};
	char day[32];
	size_t c, i;

	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct engine *e = load_file(cases[c].path);
		struct flow *fl = build_all(e, NULL);
		uint8_t mark[8];

		ck_assert_uint_le(fl->nrows, 5);
		flow_day_marks(fl, mark);
		for (i = 0; i < fl->nrows; i++) {
			ck_assert_msg(mark[i] == cases[c].want[i],
				      "%s row %zu", cases[c].path, i);
			if (mark[i]) {
				flow_row_day(&fl->rows[i], day, sizeof day);
				ck_assert_str_eq(day, cases[c].day);
			}
		}
		/* Its first row has a day of its own, or none. */
		flow_row_day(&fl->rows[0], day, sizeof day);
		ck_assert_str_eq(day, c == 0 ? "2025-03-11" : "");
		flow_free(fl);
		engine_free(e);
	}
}
END_TEST

/* A server log that calls its own end by its host name, merged with a
 * client's log that gives that end's address: the messages both logs
 * wrote (the same dialog, CSeq, method and status, from the same far
 * end) put the server in the address's column, titled with both names;
 * its events too. Not when the logs disagree on the address, nor when
 * the far ends differ (NAT). */
#define TWIN_CLS_HEAD(t, tf, fn) \
	"TL_INFO(" tf ") [R2EE01\\R2EE01]0DE4.1690::03/01/2024-" t \
	".00000001 (SIPStack,SIPAdminLog::" fn ":SIPAdminLog.cpp(1))" \
	"$$begin_record\n"
static const char twin_cls[] =
	TWIN_CLS_HEAD("10:00:00.010", "TF_PROTOCOL", "TraceProtocolRecord")
	"Direction: incoming\n"
	"Peer: 10.0.0.1:5060\n"
	"Message-Type: request\n"
	"Start-Line: OPTIONS sip:bob@example.com SIP/2.0\n"
	"From: <sip:alice@example.com>;tag=a\n"
	"To: <sip:bob@example.com>\n"
	"Call-ID: t1\n"
	"CSeq: 1 OPTIONS\n"
	"Content-Length: 0\n"
	"$$end_record\n"
	TWIN_CLS_HEAD("10:00:00.020", "TF_PROTOCOL", "TraceProtocolRecord")
	"Direction: outgoing\n"
	"Peer: 10.0.0.1:5060\n"
	"Message-Type: response\n"
	"Start-Line: SIP/2.0 200 OK\n"
	"From: <sip:alice@example.com>;tag=a\n"
	"To: <sip:bob@example.com>;tag=b\n"
	"Call-ID: t1\n"
	"CSeq: 1 OPTIONS\n"
	"Content-Length: 0\n"
	"$$end_record\n"
	TWIN_CLS_HEAD("10:00:00.030", "TF_DIAG", "TraceDiagRecord")
	"LogType: diagnostic\n"
	"Severity: warning\n"
	"Text: An event of the server\n"
	"$$end_record\n";
#undef TWIN_CLS_HEAD

#define TWIN_CLIENT(src, dst)						\
	"2024/03/01 10:00:00.000000 " src " -> " dst "\n"		\
	"OPTIONS sip:bob@example.com SIP/2.0\n"				\
	"Via: SIP/2.0/UDP " src ";branch=z9hG4bKt1\n"			\
	"From: <sip:alice@example.com>;tag=a\n"				\
	"To: <sip:bob@example.com>\n"					\
	"Call-ID: t1\n"							\
	"CSeq: 1 OPTIONS\n"						\
	"Content-Length: 0\n\n"						\
	"2024/03/01 10:00:00.030000 " dst " -> " src "\n"		\
	"SIP/2.0 200 OK\n"						\
	"Via: SIP/2.0/UDP " src ";branch=z9hG4bKt1\n"			\
	"From: <sip:alice@example.com>;tag=a\n"				\
	"To: <sip:bob@example.com>;tag=b\n"				\
	"Call-ID: t1\n"							\
	"CSeq: 1 OPTIONS\n"						\
	"Content-Length: 0\n\n"

static struct flow *
twin_flow(struct engine *e, const char *const *client, size_t nclient,
	  const struct flow_opts *o)
{
	char *err = NULL, name[32];
	size_t i;

	for (i = 0; i < nclient; i++) {
		snprintf(name, sizeof name, "client%zu.txt", i);
		ck_assert_msg(engine_add_mem(e, name, client[i],
		    strlen(client[i]), NULL, &err) >= 0, "%s", err);
	}
	ck_assert_msg(engine_add_mem(e, "fe.log", twin_cls,
	    sizeof twin_cls - 1, NULL, &err) >= 0, "%s", err);
	engine_run(e);
	return build_all(e, o);
}

/* twin_flow's columns: ncols of them, column k named name. */
static void
twin_cols(const char *const *client, size_t nclient, const struct flow_opts *o,
	  size_t ncols, size_t k, const char *name)
{
	struct engine *e = engine_new();
	struct flow *fl = twin_flow(e, client, nclient, o);

	ck_assert_uint_eq(fl->ncols, ncols);
	ck_assert_str_eq(fl->cols[k].name, name);
	flow_free(fl);
	engine_free(e);
}

START_TEST(test_learned_end)
{
	static const char *const one[] = {
		TWIN_CLIENT("10.0.0.1:5060", "10.0.0.2:5061"),
	};
	static const char *const two[] = {
		TWIN_CLIENT("10.0.0.1:5060", "10.0.0.2:5061"),
		TWIN_CLIENT("10.0.0.1:5060", "10.0.0.3:5061"),
	};
	static const char *const nat[] = {
		TWIN_CLIENT("192.168.0.5:5060", "10.0.0.2:5061"),
	};
	struct flow_opts merged = { 1, 0 };
	struct engine *e = engine_new();
	struct flow *fl = twin_flow(e, one, 1, NULL);
	size_t i;

	ck_assert_uint_eq(fl->nrows, 5);
	ck_assert_uint_eq(fl->ncols, 2);
	ck_assert_str_eq(fl->cols[0].name, "10.0.0.1:5060");
	ck_assert_str_eq(fl->cols[1].name, "10.0.0.2:5061 (R2EE01)");
	for (i = 0; i < fl->nrows; i++) {
		const struct flow_row *r = &fl->rows[i];

		if (r->kind == FLOW_NOTE)
			ck_assert_int_eq(r->from, 1);
		else
			ck_assert_int_eq(r->from + r->to, 1);
	}
	flow_free(fl);
	engine_free(e);

	twin_cols(one, 1, &merged, 2, 1, "10.0.0.2 (R2EE01)");
	/* Two client logs that disagree: the server keeps its own column. */
	twin_cols(two, 2, NULL, 4, 3, "R2EE01");
	/* The client's address is not the one the server saw. */
	twin_cols(nat, 1, NULL, 4, 3, "R2EE01");
}
END_TEST

/* Column names on one header line keep a space between them: a long
 * last name, kept from the right edge, was moved left over the end of
 * the name before it; it is cut short instead (marked). */
START_TEST(test_render_header_apart)
{
	static const char *const names[] = {
		"c0", "a-long-name-of-column-one-abcdefghijklmnop",
		"c2", "another-long-name-of-column-three-abcdefghijklmnop",
	};
	struct flow_col cols[4];
	struct flow_row rows[2];
	struct flow fl = { cols, 4, rows, 2 };
	struct flow_render_opts ro = { 40, 0, 0 };
	struct strbuf sb;
	char *save = NULL, *l, *t, *save2;
	int line = 0, words, width;

	for (width = 0; width < 4; width++)
		cols[width].name = (char *)(uintptr_t)names[width];
	memset(rows, 0, sizeof rows);
	rows[0].from = 0;
	rows[0].to = 1;
	rows[0].label = (char *)"x";
	rows[1].from = 2;
	rows[1].to = 3;
	rows[1].label = (char *)"y";
	rows[0].time = rows[1].time = TIME_NONE;
	rows[0].delta = rows[1].delta = TIME_NONE;
	for (width = 20; width <= 60; width += 5) {
		ro.width = width;
		strbuf_init(&sb);
		flow_render_text(&fl, &ro, &sb);
		save = NULL;
		line = 0;
		for (l = strtok_r(sb.buf, "\n", &save); l != NULL && line < 2;
		    l = strtok_r(NULL, "\n", &save), line++) {
			char copy[512];

			snprintf(copy, sizeof copy, "%s", l);
			words = 0;
			save2 = NULL;
			for (t = strtok_r(copy, " ", &save2); t != NULL;
			    t = strtok_r(NULL, " ", &save2))
				words++;
			/* Two names a line, on two lines. */
			ck_assert_msg(words == 2, "width %d, line %d: %s",
			    width, line, l);
		}
		strbuf_free(&sb);
	}
}
END_TEST

static Suite *
flow_suite(void)
{
	Suite *s = suite_create("flow");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_columns);
	tcase_add_test(tc, test_many_columns);
	tcase_add_test(tc, test_times_labels);
	tcase_add_test(tc, test_auth_labels);
	tcase_add_test(tc, test_notes);
	tcase_add_test(tc, test_notes_ends);
	tcase_add_test(tc, test_unknown_ends);
	tcase_add_test(tc, test_render_text);
	tcase_add_test(tc, test_render_svg);
	tcase_add_test(tc, test_render_wide);
	tcase_add_test(tc, test_label_gap);
	tcase_add_test(tc, test_day_marks);
	tcase_add_test(tc, test_learned_end);
	tcase_add_test(tc, test_render_header_apart);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(flow_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
