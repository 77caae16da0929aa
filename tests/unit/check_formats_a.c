/* Unit tests for the text formats of part A: Asterisk chan_sip and PJSIP,
 * pjsua, SIPp -trace_msg and FreeSWITCH / sofia-sip. Small logs in memory
 * (spans, times, directions, addresses, junk, truncation), then the
 * fixtures under tests/data/fmt: counts, restart from every record, every
 * prefix of the file, and probes against every fixture of every format. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reader.h"
#include "rd_common.h"
#include "source.h"
#include "util.h"

#define CRLF "\r\n"
#define MAXREC 64

struct run {
	struct reader *r;	/* the reader of the input */
	struct reader *c;	/* the canonical reader, for transforms */
	struct strbuf canon;
	struct rd_record rec[MAXREC];
	size_t n;
};

/* Reads every record of data with the named format; a format with a
 * transform is converted first and its canonical records are read. */
static void
run_all(struct run *run, const char *fmt, const char *data, size_t len)
{
	const struct rd_format *f = reader_by_name(fmt);
	struct reader *rd;
	struct rd_record rec;
	char *err = NULL;
	int rc;

	ck_assert_msg(f != NULL, "no format %s", fmt);
	memset(run, 0, sizeof *run);
	run->r = reader_new(f, data, len);
	strbuf_init(&run->canon);
	rd = run->r;
	if (f->transform != NULL) {
		rc = f->transform(run->r, &run->canon, &err);
		free(err);
		if (rc < 0)
			return;
		run->c = reader_new(&rd_canon_format, run->canon.buf,
		    run->canon.len);
		rd = run->c;
	}
	while (reader_next(rd, &rec)) {
		ck_assert_uint_lt(run->n, MAXREC);
		run->rec[run->n++] = rec;
	}
	ck_assert_uint_eq(rd->stats.records, run->n);
	ck_assert_uint_eq(reader_progress(rd), 1000);
}

static void
run_str(struct run *run, const char *fmt, const char *s)
{
	run_all(run, fmt, s, strlen(s));
}

/* The reader whose warnings and junk count matter. */
static struct reader *
run_src(const struct run *run)
{
	return run->r;
}

static size_t
run_truncated(const struct run *run)
{
	size_t i, t = 0;

	for (i = 0; i < run->n; i++)
		t += (run->rec[i].flags & RECF_TRUNCATED) != 0;
	return t;
}

static int
has_warning(const struct run *run, uint32_t line, const char *what)
{
	const struct reader *r = run_src(run);
	size_t i;

	for (i = 0; i < r->nwarnings; i++) {
		if (r->warnings[i].line == line &&
		    strstr(r->warnings[i].msg, what) != NULL)
			return 1;
	}
	return 0;
}

static void
run_done(struct run *run)
{
	reader_free(run->r);
	reader_free(run->c);
	strbuf_free(&run->canon);
	memset(run, 0, sizeof *run);
}

static void
span_is(struct span sp, const char *want)
{
	size_t n = strlen(want);

	if (sp.n != n || (n != 0 && memcmp(sp.p, want, n) != 0))
		ck_abort_msg("span [%.*s] (%zu) != [%s] (%zu)", (int)sp.n,
		    sp.p != NULL ? sp.p : "", sp.n, want, n);
}

static int64_t
civil(int y, int mo, int d, int h, int mi, int s, long us)
{
	return time_from_civil(y, mo, d, h, mi, s, us);
}

/* ------------------------------------------------------------ Asterisk */

#define REG_MSG \
	"REGISTER sip:192.0.2.10 SIP/2.0" CRLF \
	"Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bKa1" CRLF \
	"Call-ID: a1" CRLF \
	"CSeq: 1 REGISTER" CRLF \
	"Content-Length: 0" CRLF CRLF

#define OPT_SDP \
	"OPTIONS sip:1001@198.51.100.23:5060 SIP/2.0" CRLF \
	"Call-ID: a2" CRLF \
	"Content-Type: application/sdp" CRLF \
	"Content-Length: 10" CRLF CRLF \
	"v=0" CRLF "s=-" CRLF

static const char ast_console[] =
	"SIP Debugging enabled\n"
	"\n"
	"<--- SIP read from UDP:198.51.100.23:5060 --->\n"
	REG_MSG
	"\n"
	"<------------->\n"
	"--- (4 headers 0 lines) ---\n"
	"Sending to 198.51.100.23:5060 (NAT)\n"
	"\n"
	"<--- Transmitting (NAT) to 198.51.100.23:5060 --->\n"
	"SIP/2.0 401 Unauthorized" CRLF
	"Call-ID: a1" CRLF
	"Content-Length: 0" CRLF CRLF
	"\n"
	"<------------>\n"
	"Reliably Transmitting (no NAT) to [2001:db8::23]:5060:\n"
	OPT_SDP
	"\n"
	"---\n"
	"Retransmitting #2 (no NAT) to [2001:db8::23]:5060:\n"
	OPT_SDP
	"\n"
	"---\n"
	"<--- SIP read from 198.51.100.23:5060 --->\n"
	"SIP/2.0 200 OK" CRLF
	"Call-ID: a2" CRLF
	"Content-Length: 0" CRLF CRLF
	"\n"
	"<------------->\n";

START_TEST(test_ast_console)
{
	struct run run;
	struct rd_record *a, *b, *c, *d, *e;

	run_str(&run, "asterisk", ast_console);
	ck_assert_uint_eq(run.n, 5);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	d = &run.rec[3];
	e = &run.rec[4];
	ck_assert_uint_eq(a->line, 3);
	ck_assert_uint_eq(a->off, strstr(ast_console, "<--- SIP read") -
	    ast_console);
	span_is(a->start, "REGISTER sip:192.0.2.10 SIP/2.0");
	span_is(a->hdrs, "Via: SIP/2.0/UDP 198.51.100.23:5060;branch=z9hG4bKa1"
	    CRLF "Call-ID: a1" CRLF "CSeq: 1 REGISTER" CRLF
	    "Content-Length: 0");
	ck_assert_uint_eq(a->body.n, 0);
	ck_assert_int_eq(a->dir, DIR_IN);
	span_is(a->src, "198.51.100.23:5060");
	span_is(a->dst, "local");	/* the PBX's own end */
	span_is(a->transport, "UDP");
	ck_assert(a->time == TIME_NONE);
	ck_assert_uint_eq(a->flags, 0);
	/* The record runs to the summary line after the marker. */
	ck_assert(strncmp(ast_console + a->off + a->len, "Sending to", 10) ==
	    0);

	ck_assert_int_eq(b->dir, DIR_OUT);
	span_is(b->dst, "198.51.100.23:5060");
	span_is(b->src, "local");
	ck_assert_uint_eq(b->transport.n, 0);
	span_is(b->start, "SIP/2.0 401 Unauthorized");

	/* A request sent, then its retransmission: "---" ends them. */
	span_is(c->start, "OPTIONS sip:1001@198.51.100.23:5060 SIP/2.0");
	span_is(c->dst, "[2001:db8::23]:5060");
	span_is(c->body, "v=0" CRLF "s=-" CRLF);
	ck_assert_uint_eq(c->flags, 0);
	ck_assert_uint_eq(d->off, c->off + c->len);
	span_is(d->body, "v=0" CRLF "s=-" CRLF);
	ck_assert_int_eq(d->dir, DIR_OUT);

	/* chan_sip before 1.8 writes no transport. */
	span_is(e->src, "198.51.100.23:5060");
	ck_assert_uint_eq(e->transport.n, 0);
	ck_assert_uint_eq(e->off + e->len, sizeof ast_console - 1);

	/* Console chatter is the log's normal content: counted, never
	 * warned about. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

static const char ast_full[] =
	"[2025-03-11 09:15:10.998] NOTICE[2270]: chan_sip.c:24373 "
	"handle_response_peerpoke: Peer '1001' is now Reachable. (4ms / "
	"2000ms)\n"
	"[2025-03-11 09:15:11.241] VERBOSE[2281] chan_sip.c: \n"
	"<--- SIP read from UDP:198.51.100.23:5060 --->\n"
	REG_MSG
	"\n"
	"<------------->\n"
	"[2025-03-11 09:15:11.242] VERBOSE[2281] chan_sip.c: --- (4 headers "
	"0 lines) ---\n"
	"[2025-03-11 09:15:11.352] VERBOSE[2281][C-0000001a] chan_sip.c: "
	"Reliably Transmitting (NAT) to 198.51.100.23:5060:\n"
	OPT_SDP
	"\n"
	"---\n"
	"[Mar  1 09:15:12] VERBOSE[3412][C-00000002] res_pjsip_logger.c: "
	"<--- Received SIP response (80 bytes) from TLS:[2001:db8::23]:50444 "
	"--->\n"
	"SIP/2.0 200 OK" CRLF
	"Call-ID: a2" CRLF
	"Content-Length: 0" CRLF CRLF
	"\n"
	"[Mar 11 09:15:13.5] VERBOSE[3412] res_pjsip_logger.c: <--- "
	"Transmitting SIP request (90 bytes) to WSS:203.0.113.5:8089 --->\n"
	"MESSAGE sip:1001@203.0.113.5 SIP/2.0" CRLF
	"Call-ID: a3" CRLF
	"Content-Length: 5" CRLF CRLF
	"hello"
	"\n"
	"[Mar 11 09:15:13] VERBOSE[3412][C-00000002] pbx.c:     -- Executing "
	"[1002@from-internal:1] Answer(\"PJSIP/1001-00000002\", \"\")\n"
	"[Mar 11 09:15:14] VERBOSE[3412] res_pjsip_logger.c: <--- Received "
	"SIP request (60 bytes) from UDP:198.51.100.23:5060 --->\n"
	"NOTIFY sip:asterisk@192.0.2.10 SIP/2.0" CRLF
	"Call-ID: a4" CRLF CRLF
	"body" CRLF
	"\n"
	"[Mar 11 09:15:14] WARNING[3412][C-00000002]: res_pjsip.c:3120 "
	"check_content_length: no Content-Length\n";

START_TEST(test_ast_full_log)
{
	struct run run;
	struct rd_record *a, *b, *c, *d;

	run_str(&run, "asterisk", ast_full);
	ck_assert_uint_eq(run.n, 5);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	d = &run.rec[3];
	/* The prefix line with no text belongs to the record: its time. */
	ck_assert_uint_eq(a->line, 2);
	ck_assert(a->time == civil(2025, 3, 11, 9, 15, 11, 241000));
	ck_assert_int_eq(a->time_prec, 3);
	ck_assert_int_eq(a->has_date, 1);
	span_is(a->start, "REGISTER sip:192.0.2.10 SIP/2.0");
	span_is(a->src, "198.51.100.23:5060");

	/* Prefix and header on one line, with a call id. */
	ck_assert_uint_eq(b->line, a->line + 11);
	ck_assert(b->time == civil(2025, 3, 11, 9, 15, 11, 352000));
	span_is(b->dst, "198.51.100.23:5060");
	span_is(b->body, "v=0" CRLF "s=-" CRLF);

	/* PJSIP, Asterisk's default date format: no year. */
	ck_assert(c->time == civil(1970, 3, 1, 9, 15, 12, 0));
	ck_assert_int_eq(c->has_date, 0);
	ck_assert_int_eq(c->tod_only, 0);	/* month and day */
	ck_assert_int_eq(c->time_prec, 0);
	ck_assert_int_eq(c->dir, DIR_IN);
	span_is(c->src, "[2001:db8::23]:50444");
	span_is(c->transport, "TLS");
	span_is(c->start, "SIP/2.0 200 OK");
	ck_assert_uint_eq(c->flags, 0);

	ck_assert(d->time == civil(1970, 3, 11, 9, 15, 13, 500000));
	ck_assert_int_eq(d->time_prec, 1);
	ck_assert_int_eq(d->dir, DIR_OUT);
	span_is(d->dst, "203.0.113.5:8089");
	span_is(d->transport, "WSS");
	span_is(d->body, "hello");
	ck_assert_uint_eq(d->flags, 0);

	/* Without Content-Length the next log line ends the body; other
	 * levels write "LEVEL[tid][callid]: file.c:line function:". */
	span_is(run.rec[4].body, "body" CRLF);
	ck_assert_uint_eq(run.rec[4].flags, 0);

	/* NOTICE, Executing, WARNING: counted, not warned about. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

START_TEST(test_ast_junk_and_cut)
{
	static const char s[] =
		/* A NAT keep-alive: no warning. */
		"<--- SIP read from UDP:198.51.100.23:5060 --->\n"
		CRLF CRLF "\n"
		"<------------->\n"
		"--- (0 headers 0 lines) Nat keepalive ---\n"
		/* Something that is not SIP in a block: warned. */
		"<--- SIP read from UDP:198.51.100.23:5060 --->\n"
		"GET / HTTP/1.1" CRLF
		"Host: x" CRLF CRLF "\n"
		"<------------->\n"
		/* A message copied with LF only: Content-Length counts CR. */
		"<--- Transmitting (NAT) to 198.51.100.23:5060 --->\n"
		"SIP/2.0 200 OK\n"
		"Call-ID: lf\n"
		"Content-Length: 10\n"
		"\n"
		"v=0\n"
		"s=-\n"
		"\n"
		"<------------>\n"
		/* Cut short by the end of the file. */
		"<--- Received SIP request (999 bytes) from UDP:1.2.3.4:5060 "
		"--->\n"
		"INVITE sip:x@y SIP/2.0" CRLF
		"Call-ID: cut" CRLF
		"Content-Length: 300" CRLF CRLF
		"v=0" CRLF;
	struct run run;

	run_str(&run, "pjsip", s);
	ck_assert_uint_eq(run.n, 2);
	span_is(run.rec[0].start, "SIP/2.0 200 OK");
	span_is(run.rec[0].body, "v=0\ns=-\n");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[0].line, 13);
	span_is(run.rec[1].start, "INVITE sip:x@y SIP/2.0");
	span_is(run.rec[1].body, "v=0" CRLF);
	ck_assert_uint_eq(run.rec[1].flags, RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.truncated, 1);
	/* The keep-alive's lines are blank and its summary belongs to it;
	 * the HTTP request's two lines are junk, warned about. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	ck_assert_uint_eq(run.r->nwarnings, 2);
	ck_assert(has_warning(&run, 7, "no SIP message"));
	ck_assert(has_warning(&run, 22, "cut short"));
	run_done(&run);

	/* A chan_sip block whose marker never comes. */
	run_str(&run, "asterisk", "<--- Transmitting (NAT) to 1.2.3.4:5060 "
	    "--->\nSIP/2.0 180 Ringing" CRLF "Call-ID: r" CRLF
	    "Content-Length: 20" CRLF CRLF "v=");
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.rec[0].flags, RECF_TRUNCATED);
	span_is(run.rec[0].body, "v=");
	run_done(&run);
}
END_TEST

/* asterisk.conf "timestamp = yes": console lines start with the date. */
START_TEST(test_ast_console_timestamps)
{
	static const char s[] =
		"[Mar 11 09:15:11] <--- Received SIP request (60 bytes) from "
		"UDP:198.51.100.23:5060 --->\n"
		"OPTIONS sip:asterisk@192.0.2.10 SIP/2.0" CRLF
		"Call-ID: t1" CRLF CRLF
		"\n"
		"[Mar 11 09:15:11]     -- Executing [s@default:1] Answer\n"
		"[Mar 11 09:15:12] \n"
		"<--- SIP read from UDP:198.51.100.23:5060 --->\n"
		"BYE sip:asterisk@192.0.2.10 SIP/2.0" CRLF
		"Call-ID: t2" CRLF CRLF
		"\n"
		"<------------->\n"
		"[Mar 11 09:15:12] --- (1 headers 0 lines) ---\n"
		"[not a date] <--- SIP read from UDP:1.2.3.4:5060 --->\n";
	struct run run;

	run_str(&run, "asterisk", s);
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[0].time == civil(1970, 3, 11, 9, 15, 11, 0));
	ck_assert_uint_eq(run.rec[0].body.n, 0);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[1].line, 7);
	ck_assert(run.rec[1].time == civil(1970, 3, 11, 9, 15, 12, 0));
	span_is(run.rec[1].start, "BYE sip:asterisk@192.0.2.10 SIP/2.0");
	ck_assert(strcmp(s + run.rec[1].off + run.rec[1].len, "[not a date] "
	    "<--- SIP read from UDP:1.2.3.4:5060 --->\n") == 0);
	/* Executing, and the line whose brackets hold no date. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ pjsua */

static const char pjsua_log[] =
	"09:15:11.204    pjsua_acc.c  ....Acc 0: setting registration..\n"
	"09:15:11.205   pjsua_core.c  ......TX 120 bytes Request msg "
	"REGISTER/cseq=1 (tdta0x55d1c8a0e8a8) to UDP 192.0.2.10:5060:\n"
	REG_MSG
	"\n"
	"--end msg--\n"
	"09:15:11.232   pjsua_core.c !.RX 160 bytes Response msg 200/OPTIONS"
	"/cseq=2 (rdata0x55d1c8a12f28) from TCP [2001:db8::10]:5060:\n"
	"SIP/2.0 200 OK" CRLF
	"Call-ID: p2" CRLF
	"Date: Tue, 11 Mar 2025 09:15:11 GMT" CRLF
	"Content-Length: 4" CRLF CRLF
	"abcd"
	"\n--end msg--\n"
	"09:15:11.240    pjsua_acc.c  ....registration success\n"
	"2025-03-11 09:15:12.001   pjsua_core.c  .RX 4 bytes Request msg "
	"(unknown) from UDP 192.0.2.10:5060:\n"
	CRLF CRLF
	"\n--end msg--\n"
	/* pj_log cuts a message over its 4000-byte buffer: no end line. */
	"2025-03-11 09:15:12.300   pjsua_core.c  .TX 5000 bytes Request msg "
	"INVITE/cseq=3 (tdta0x1) to UDP 192.0.2.10:5060:\n"
	"INVITE sip:1002@192.0.2.10 SIP/2.0" CRLF
	"Call-ID: p3" CRLF
	"Content-Length: 4500" CRLF CRLF
	"v=0" CRLF
	"2025-03-11 09:15:12.301    pjsua_call.c  ....Call 0 state changed "
	"to CALLING\n";

START_TEST(test_pjsua)
{
	struct run run;
	struct rd_record *a, *b, *c;

	run_str(&run, "pjsua", pjsua_log);
	ck_assert_uint_eq(run.n, 3);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	ck_assert_uint_eq(a->line, 2);
	ck_assert(a->time == civil(1970, 1, 1, 9, 15, 11, 205000));
	ck_assert_int_eq(a->time_prec, 3);
	ck_assert_int_eq(a->has_date, 0);
	ck_assert_int_eq(a->dir, DIR_OUT);
	span_is(a->dst, "192.0.2.10:5060");
	span_is(a->transport, "UDP");
	span_is(a->start, "REGISTER sip:192.0.2.10 SIP/2.0");
	ck_assert_uint_eq(a->flags, 0);
	ck_assert(strncmp(pjsua_log + a->off + a->len, "09:15:11.232", 12) ==
	    0);

	/* A Date header is no log line; "!" marks a thread switch. */
	ck_assert_int_eq(b->dir, DIR_IN);
	span_is(b->src, "[2001:db8::10]:5060");
	span_is(b->transport, "TCP");
	span_is(b->body, "abcd");
	ck_assert_uint_eq(b->flags, 0);

	ck_assert(c->time == civil(2025, 3, 11, 9, 15, 12, 300000));
	ck_assert_int_eq(c->has_date, 1);
	span_is(c->body, "v=0" CRLF);
	ck_assert_uint_eq(c->flags, RECF_TRUNCATED);
	/* Two log lines, a keep-alive (blank: no warning), one log line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	ck_assert_uint_eq(run.r->nwarnings, 1);
	ck_assert(has_warning(&run, c->line, "cut short"));
	run_done(&run);
}
END_TEST

/* pj_log's default layout has a time of day only: past midnight the
 * times go on on the next day, and a time a little back stays. */
START_TEST(test_pjsua_midnight)
{
	static const char s[] =
		"23:59:59.900   pjsua_core.c  .TX 90 bytes Request msg "
		"REGISTER/cseq=1 (tdta0x1) to UDP 192.0.2.10:5060:\n"
		REG_MSG
		"--end msg--\n"
		"00:00:00.100   pjsua_core.c  .RX 60 bytes Response msg "
		"401/REGISTER/cseq=1 (rdata0x2) from UDP 192.0.2.10:5060:\n"
		"SIP/2.0 401 Unauthorized" CRLF "Call-ID: a1" CRLF
		"Content-Length: 0" CRLF CRLF
		"--end msg--\n"
		"00:00:00.050   pjsua_core.c  !RX 60 bytes Response msg "
		"401/REGISTER/cseq=1 (rdata0x3) from UDP 192.0.2.10:5060:\n"
		"SIP/2.0 401 Unauthorized" CRLF "Call-ID: a1" CRLF
		"Content-Length: 0" CRLF CRLF
		"--end msg--\n"
		"23:59:59.990   pjsua_core.c  .TX 90 bytes Request msg "
		"REGISTER/cseq=2 (tdta0x4) to UDP 192.0.2.10:5060:\n"
		REG_MSG
		"--end msg--\n";
	struct run run;

	run_str(&run, "pjsua", s);
	ck_assert_uint_eq(run.n, 4);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 23, 59, 59, 900000));
	ck_assert(run.rec[1].time == civil(1970, 1, 2, 0, 0, 0, 100000));
	ck_assert_int_eq(run.rec[1].has_date, 0);
	ck_assert(run.rec[2].time == civil(1970, 1, 2, 0, 0, 0, 50000));
	/* Going back by less than 12 hours is still the same day... */
	ck_assert(run.rec[3].time == civil(1970, 1, 2, 23, 59, 59, 990000));
	run_done(&run);

	/* ...and a dated log is left as it is. */
	run_str(&run, "pjsua", pjsua_log);
	ck_assert(run.rec[2].time == civil(2025, 3, 11, 9, 15, 12, 300000));
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ SIPp */

#define SEP "----------------------------------------------- "

static const char sipp_log[] =
	SEP "2025-03-11 09:15:11.204118\n"
	"UDP message sent (120 bytes):\n"
	"\n"
	REG_MSG
	"\n"
	SEP "2025-03-11T09:15:11.5+01:00\n"
	"TCP message received [200] bytes:\n"
	"\n"
	"SIP/2.0 100 Trying" CRLF
	"Call-ID: s1" CRLF
	"Content-Length: 0" CRLF CRLF
	"SIP/2.0 180 Ringing" CRLF
	"Call-ID: s1" CRLF
	"Content-Length: 3" CRLF CRLF
	"abc"
	"\n"
	SEP "2025-03-11\t09:15:12:250\t1741684512.250000\n"
	"Error sending UDP message:\n"
	"\n"
	"BYE sip:x SIP/2.0" CRLF
	"Call-ID: s2" CRLF CRLF
	"\n"
	"stray line\n"
	SEP "2025-03-11 09:15:13.000001\n"
	"UDP control message received [80] bytes :\n"
	"\n"
	"MESSAGE sip:x SIP/2.0" CRLF
	"Call-ID: s3" CRLF
	"Content-Length: 50" CRLF CRLF
	"cut";

START_TEST(test_sipp)
{
	struct run run;
	struct rd_record *a, *b, *c, *d;
	struct reader *r;
	struct rd_record again;

	run_str(&run, "sipp", sipp_log);
	ck_assert_uint_eq(run.n, 4);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	d = &run.rec[3];
	ck_assert_uint_eq(a->off, 0);
	ck_assert_uint_eq(a->line, 1);
	ck_assert(a->time == civil(2025, 3, 11, 9, 15, 11, 204118));
	ck_assert_int_eq(a->time_prec, 6);
	ck_assert_int_eq(a->has_date, 1);
	ck_assert_int_eq(a->dir, DIR_OUT);
	span_is(a->transport, "UDP");
	/* SIPp's own end is local; the peer's address is not logged. */
	span_is(a->src, "local");
	ck_assert_uint_eq(a->dst.n, 0);
	span_is(a->start, "REGISTER sip:192.0.2.10 SIP/2.0");

	/* One TCP read, two messages: both get the entry's time, in UTC
	 * (rfc3339 gives the offset). */
	ck_assert(b->time == civil(2025, 3, 11, 8, 15, 11, 500000));
	ck_assert_int_eq(b->time_prec, 1);
	ck_assert_int_eq(b->dir, DIR_IN);
	span_is(b->transport, "TCP");
	span_is(b->start, "SIP/2.0 100 Trying");
	span_is(c->start, "SIP/2.0 180 Ringing");
	ck_assert(c->time == b->time);
	ck_assert_int_eq(c->dir, DIR_IN);
	span_is(c->transport, "TCP");
	span_is(c->body, "abc");
	ck_assert_uint_eq(c->off, b->off + b->len);
	ck_assert_uint_eq(c->line, 18);

	/* Re-read from the second message, as the engine does. */
	r = reader_new(reader_by_name("sipp"), sipp_log, sizeof sipp_log - 1);
	r->pos = c->off;
	r->line = c->line;
	ck_assert_int_eq(reader_next(r, &again), 1);
	ck_assert_uint_eq(again.off, c->off);
	ck_assert_uint_eq(again.len, c->len);
	ck_assert(again.time == c->time);
	ck_assert_int_eq(again.dir, DIR_IN);
	span_is(again.transport, "TCP");
	ck_assert_uint_eq(r->stats.junk_lines, 0);
	reader_free(r);

	/* Older SIPp: milliseconds after a colon; control messages. */
	ck_assert(d->time == civil(2025, 3, 11, 9, 15, 13, 1));
	ck_assert_int_eq(d->dir, DIR_IN);
	span_is(d->transport, "UDP");
	ck_assert_uint_eq(d->flags, RECF_TRUNCATED);

	/* The failed send (separator, its line, the message) and the stray
	 * line in that entry: a message trace holds nothing else, so they
	 * are warned about, once. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 5);
	ck_assert(has_warning(&run, 23, "5 lines in an entry without a SIP "
	    "message"));
	ck_assert(has_warning(&run, d->line, "cut short"));
	ck_assert_uint_eq(run.r->nwarnings, 2);
	run_done(&run);

	/* The older layout's third field is the time since the epoch:
	 * UTC, whatever zone the wall clock before it is in. */
	run_str(&run, "sipp", SEP "2025-03-11\t10:15:11:204\t"
	    "1741684511.204118\nUDP message sent (120 bytes):\n\n"
	    REG_MSG "\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == civil(2025, 3, 11, 9, 15, 11, 204118));
	ck_assert_int_eq(run.rec[0].time_prec, 3);
	run_done(&run);

	/* Lines before the first entry. */
	run_str(&run, "sipp", "sipp: some banner\n\n" SEP
	    "2025-03-11 09:15:11.204118\nUDP message sent (120 bytes):\n\n"
	    REG_MSG "\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.rec[0].line, 3);
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	ck_assert(has_warning(&run, 1, "1 line outside any message"));
	run_done(&run);
}
END_TEST

/* An entry is taken to end 128 KiB after its separator (SIPp reads 64 KiB
 * at most): more messages after that are junk, and re-reading any message
 * of the entry stays cheap and gives the same record. */
START_TEST(test_sipp_huge_read)
{
	static const char head[] = SEP "2025-03-11 09:15:11.204118\n"
	    "TCP message received [99999999] bytes:\n\n";
	static const char msg[] = "OPTIONS sip:a@b SIP/2.0" CRLF
	    "Call-ID: h" CRLF "Content-Length: 0" CRLF CRLF;
	size_t hl = sizeof head - 1, ml = sizeof msg - 1, n = 6000, i, recs;
	size_t len = hl + n * ml, lastoff = 0, lastlen = 0;
	char *buf = xmalloc(len);
	struct reader *r;
	struct rd_record rec, again;
	uint32_t lastline = 0;

	memcpy(buf, head, hl);
	for (i = 0; i < n; i++)
		memcpy(buf + hl + i * ml, msg, ml);
	r = reader_new(reader_by_name("sipp"), buf, len);
	for (recs = 0; reader_next(r, &rec); recs++) {
		lastoff = rec.off;
		lastlen = rec.len;
		lastline = rec.line;
		ck_assert_int_eq(rec.dir, DIR_IN);
	}
	/* Every message that starts within 128 KiB of the separator. */
	ck_assert_uint_eq(recs, (128 * 1024 - hl + ml - 1) / ml);
	ck_assert_uint_eq(r->stats.junk_lines, (n - recs) * 3);
	ck_assert_uint_eq(r->nwarnings, 1);
	reader_free(r);

	r = reader_new(reader_by_name("sipp"), buf, len);
	r->pos = lastoff;
	r->line = lastline;
	ck_assert_int_eq(reader_next(r, &again), 1);
	ck_assert_uint_eq(again.off, lastoff);
	ck_assert_uint_eq(again.len, lastlen);
	ck_assert_int_eq(again.dir, DIR_IN);
	ck_assert(again.time == civil(2025, 3, 11, 9, 15, 11, 204118));
	reader_free(r);
	free(buf);
}
END_TEST

/* ------------------------------------------------------------ FreeSWITCH */

#define DASHES \
	"------------------------------------------------------------------" \
	"------"

static const char fs_new[] =
	"freeswitch@pbx> sofia global siptrace on\n"
	"recv 120 bytes from udp/[198.51.100.23]:5060 at 09:15:11.204118:\n"
	DASHES "\n"
	"INVITE sip:1002@192.0.2.20 SIP/2.0\n"
	"Call-ID: f1\n"
	"Content-Type: application/sdp\n"
	"Content-Length: 10\n"
	"\n"
	"v=0\n"
	"s=-\n"
	"this line is the console's, not the message's\n"
	"2025-03-11 09:15:11.205000 97.33% [DEBUG] sofia.c:2523 entering "
	"state [received]\n"
	"send 80 bytes to tls/[2001:db8::23]:5061 at 09:15:11.210000:\n"
	DASHES "\n"
	"SIP/2.0 100 Trying\n"
	"Call-ID: f1\n"
	"Content-Length: 0\n"
	"\n"
	"recv 300 bytes from udp/[198.51.100.23]:5060 at 09:15:12.000000:\n"
	DASHES "\n"
	"BYE sip:1002@192.0.2.20 SIP/2.0\n"
	"Call-ID: f1\n"
	"Content-Length: 30\n"
	"\n"
	"abc\n";

START_TEST(test_fs_new)
{
	struct run run;
	struct rd_record *a, *b, *c;

	run_str(&run, "freeswitch", fs_new);
	ck_assert_ptr_nonnull(run.c);
	ck_assert_uint_eq(run.n, 3);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	ck_assert_uint_eq(a->line, 2);
	/* The date comes from FreeSWITCH's log line, even after. */
	ck_assert(a->time == civil(2025, 3, 11, 9, 15, 11, 204118));
	ck_assert_int_eq(a->time_prec, 6);
	ck_assert_int_eq(a->has_date, 1);
	ck_assert_int_eq(a->dir, DIR_IN);
	span_is(a->src, "198.51.100.23:5060");
	span_is(a->dst, "local");	/* the server's own end */
	span_is(a->transport, "UDP");
	/* The message gets back its CRLF, so Content-Length holds. */
	span_is(a->start, "INVITE sip:1002@192.0.2.20 SIP/2.0");
	span_is(a->hdrs, "Call-ID: f1" CRLF "Content-Type: application/sdp"
	    CRLF "Content-Length: 10");
	span_is(a->body, "v=0" CRLF "s=-" CRLF);
	ck_assert_uint_eq(a->flags, 0);

	ck_assert_uint_eq(b->line, 13);
	ck_assert_int_eq(b->dir, DIR_OUT);
	span_is(b->dst, "[2001:db8::23]:5061");
	span_is(b->transport, "TLS");
	ck_assert_uint_eq(b->body.n, 0);
	ck_assert_uint_eq(b->flags, 0);

	span_is(c->body, "abc" CRLF);
	ck_assert_uint_eq(c->flags, RECF_TRUNCATED);
	/* The CLI line, the console line after the body, the log line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	ck_assert_uint_eq(run.r->nwarnings, 1);
	ck_assert(has_warning(&run, 19, "cut short"));
	run_done(&run);
}
END_TEST

#define IND "   "

static const char fs_old[] =
	"recv 100 bytes from tcp/[198.51.100.23]:49872 at 23:59:59.999999:\n"
	IND DASHES "\n"
	IND "REGISTER sip:192.0.2.20 SIP/2.0\n"
	IND "Call-ID: o1\n"
	"tport_wakeup_pri(0x7f3a2c01b2d0): events IN\n"
	IND "Content-Length: 0\n"
	IND "\n"
	IND DASHES "\n"
	"recv 4 bytes from tcp/[198.51.100.23]:49872 at 00:00:00.100000:\n"
	IND DASHES "\n"
	IND "\n"
	IND "\n"
	IND DASHES "\n"
	"recv 20 bytes from udp/[198.51.100.23]:3478 at 00:00:00.200000:\n"
	IND DASHES "\n"
	IND "<ENCODED DATA>\n"
	IND DASHES "\n"
	"send 120 bytes to tcp/[198.51.100.23]:49872 at 00:00:00.300000:\n"
	IND DASHES "\n"
	IND "SIP/2.0 200 OK\n"
	IND "Call-ID: o1\n"
	IND "Content-Type: text/plain\n"
	IND "\n"
	IND "no length\n"
	IND DASHES "\n";

START_TEST(test_fs_old)
{
	struct run run;
	struct rd_record *a, *b;

	ck_assert_ptr_eq(reader_probe(fs_old, sizeof fs_old - 1),
	    reader_by_name("freeswitch"));
	run_str(&run, "freeswitch", fs_old);
	ck_assert_uint_eq(run.n, 2);
	a = &run.rec[0];
	b = &run.rec[1];
	ck_assert_uint_eq(a->line, 1);
	span_is(a->start, "REGISTER sip:192.0.2.20 SIP/2.0");
	/* sofia's own debug line between the message's lines is left out. */
	span_is(a->hdrs, "Call-ID: o1" CRLF "Content-Length: 0");
	span_is(a->src, "198.51.100.23:49872");
	span_is(a->transport, "TCP");
	ck_assert(a->time == civil(1970, 1, 1, 23, 59, 59, 999999));
	ck_assert_uint_eq(a->flags, 0);

	ck_assert_uint_eq(b->line, 18);
	/* Without a date the stamps went past midnight: the next day. */
	ck_assert(b->time == civil(1970, 1, 2, 0, 0, 0, 300000));
	ck_assert_int_eq(b->has_date, 0);
	ck_assert_int_eq(b->dir, DIR_OUT);
	span_is(b->body, "no length" CRLF);
	ck_assert_uint_eq(b->flags, 0);
	/* The debug line; the keep-alive and the STUN packet are neither
	 * junk nor warned about. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);

	/* sofia's stamp has no date: a log line gives it, across
	 * midnight too. */
	{
		char *buf = xasprintf("2025-03-11 23:59:58.000000 [DEBUG] "
		    "sofia.c:1 x\n%s", fs_old);

		run_str(&run, "freeswitch", buf);
		ck_assert_uint_eq(run.n, 2);
		ck_assert(run.rec[0].time == civil(2025, 3, 11, 23, 59, 59,
		    999999));
		ck_assert_int_eq(run.rec[0].has_date, 1);
		ck_assert(run.rec[1].time == civil(2025, 3, 12, 0, 0, 0,
		    300000));
		ck_assert_uint_eq(run.rec[1].line, 19);
		run_done(&run);
		free(buf);
	}

	/* Nothing but noise: no records, the transform says so. */
	run_str(&run, "freeswitch", "2025-03-11 09:15:11.205000 [DEBUG] x\n");
	ck_assert_uint_eq(run.n, 0);
	ck_assert_ptr_null(run.c);
	run_done(&run);
}
END_TEST

/* drachtio's sofia-sip: its own date before the stamp, no dash line. */
START_TEST(test_fs_drachtio)
{
	static const char s[] =
		"2025-03-11 23:59:59.999000 tport.c:2845 tport_wakeup() "
		"tport_wakeup(0x559ab07bd730): events IN\n"
		"2025-03-11 23:59:59.999843 recv 100 bytes from ws/"
		"[203.0.113.7]:50604 at 23:59:59.999706:\n"
		"MESSAGE sip:x@example.org SIP/2.0\n"
		"Call-ID: d1\n"
		"Content-Type: multipart/mixed;boundary=b\n"
		"Content-Length: 9\n"
		"\n"
		"\n"
		"--b--\n"
		"2025-03-12 00:00:00.000100 send 60 bytes to ws/[203.0.113.7]"
		":50604 at 00:00:00.000050:\n"
		"SIP/2.0 200 OK\n"
		"Call-ID: d1\n"
		"Content-Length: 0\n"
		"\n";
	struct run run;

	ck_assert_ptr_eq(reader_probe(s, sizeof s - 1),
	    reader_by_name("freeswitch"));
	run_str(&run, "freeswitch", s);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 2);
	ck_assert(run.rec[0].time == civil(2025, 3, 11, 23, 59, 59, 999706));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	span_is(run.rec[0].transport, "WS");
	span_is(run.rec[0].src, "203.0.113.7:50604");
	/* The body starts with an empty line and keeps it. */
	span_is(run.rec[0].body, CRLF "--b--" CRLF);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert(run.rec[1].time == civil(2025, 3, 12, 0, 0, 0, 50));
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

/* sofia-sip adds no line break after a message's last byte: a body that
 * does not end in CRLF runs into the next stamp or log line, on the same
 * line. The next block is read from there, not lost. */
START_TEST(test_fs_glued)
{
	static const char s[] =
		"recv 80 bytes from udp/[198.51.100.23]:5060 at "
		"09:15:11.100000:\n"
		DASHES "\n"
		"MESSAGE sip:1002@192.0.2.20 SIP/2.0\n"
		"Call-ID: g1\n"
		"Content-Length: 8\n"
		"\n"
		"Hi\n"
		"Bob!send 60 bytes to udp/[198.51.100.23]:5060 at "
		"09:15:11.200000:\n"
		DASHES "\n"
		"SIP/2.0 202 Accepted\n"
		"Call-ID: g1\n"
		"Content-Length: 0\n"
		"\n"
		"recv 70 bytes from udp/[198.51.100.23]:5060 at "
		"09:15:11.300000:\n"
		DASHES "\n"
		"MESSAGE sip:1002@192.0.2.20 SIP/2.0\n"
		"Call-ID: g2\n"
		"Content-Length: 2\n"
		"\n"
		"ok2025-03-11 09:15:11.300500 98.10% [DEBUG] sofia.c:1 x\n"
		"2025-03-11 09:15:11.400000 recv 70 bytes from udp/"
		"[198.51.100.23]:5060 at 09:15:11.400000:\n"
		DASHES "\n"
		"MESSAGE sip:1002@192.0.2.20 SIP/2.0\n"
		"Call-ID: g3\n"
		"\n"
		"no length2025-03-11 09:15:11.500000 send 60 bytes to udp/"
		"[198.51.100.23]:5060 at 09:15:11.500000:\n"
		"SIP/2.0 202 Accepted\n"
		"Call-ID: g3\n"
		"Content-Length: 0\n"
		"\n";
	struct run run;

	run_str(&run, "freeswitch", s);
	ck_assert_uint_eq(run.n, 5);
	span_is(run.rec[0].body, "Hi" CRLF "Bob!");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	/* The stamp is on the body's last line. */
	ck_assert_uint_eq(run.rec[1].line, 8);
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	span_is(run.rec[1].start, "SIP/2.0 202 Accepted");
	span_is(run.rec[2].body, "ok");
	/* The glued log line gave the date. */
	ck_assert(run.rec[2].time == civil(2025, 3, 11, 9, 15, 11, 300000));
	/* Without Content-Length, the glued stamp (drachtio's, dated) ends
	 * the body all the same. */
	span_is(run.rec[3].body, "no length");
	ck_assert_uint_eq(run.rec[4].line, 26);
	span_is(run.rec[4].start, "SIP/2.0 202 Accepted");
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);

	/* A text that quotes a stamp before its body's end keeps it. */
	run_str(&run, "freeswitch",
	    "recv 99 bytes from udp/[198.51.100.23]:5060 at 09:15:11.100000:\n"
	    DASHES "\n"
	    "MESSAGE sip:1002@192.0.2.20 SIP/2.0\n"
	    "Call-ID: q1\n"
	    "Content-Length: 73\n"
	    "\n"
	    "see: send 60 bytes to udp/[198.51.100.23]:5060 at "
	    "09:15:11.200000:\n"
	    "ok?\n");
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].body, "see: send 60 bytes to udp/[198.51.100.23]"
	    ":5060 at 09:15:11.200000:" CRLF "ok?" CRLF);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	run_done(&run);

	/* sofia logs 16000 bytes of a block at most: a message cut there,
	 * the next stamp glued to its last line. */
	{
		struct strbuf big;
		int j;

		strbuf_init(&big);
		strbuf_adds(&big, "recv 30000 bytes from udp/[198.51.100.23]:"
		    "5060 at 09:15:11.100000:\n" DASHES "\n"
		    "INVITE sip:1002@192.0.2.20 SIP/2.0\nCall-ID: b1\n"
		    "Content-Length: 29000\n\n");
		for (j = 0; big.len < 15999; j++)
			strbuf_addf(&big, "a=candidate:%d 1 udp 2122260223 "
			    "192.0.2.%d 5%04d typ host\n", j, j % 250, j);
		big.len = 15999;
		strbuf_adds(&big, "send 60 bytes to udp/[198.51.100.23]:5060 at "
		    "09:15:11.200000:\n" DASHES "\nSIP/2.0 100 Trying\n"
		    "Call-ID: b1\nContent-Length: 0\n\n");
		run_all(&run, "freeswitch", big.buf, big.len);
		ck_assert_uint_eq(run.n, 2);
		ck_assert(run.rec[0].flags & RECF_TRUNCATED);
		span_is(run.rec[1].start, "SIP/2.0 100 Trying");
		run_done(&run);
		strbuf_free(&big);
	}
}
END_TEST

/* Every byte sequence the fuzzer might try on a header line, cut at every
 * length: the readers stay inside the input. */
START_TEST(test_cut_everywhere)
{
	static const char *const fmts[] = { "asterisk", "pjsip", "pjsua",
		"sipp", "freeswitch" };
	static const char *const logs[] = { ast_console, ast_full, pjsua_log,
		sipp_log, fs_new };
	size_t i, cut, k, len;
	struct run run;
	char *buf;

	for (i = 0; i < 5; i++) {
		len = strlen(logs[i]);
		for (cut = 0; cut <= len; cut++) {
			/* A copy of exactly cut bytes, for ASan. */
			buf = xmalloc(cut + 1);
			memcpy(buf, logs[i], cut);
			run_all(&run, fmts[i], buf, cut);
			for (k = 0; k < run.n; k++) {
				if (run.c == NULL)
					ck_assert(run.rec[k].off +
					    run.rec[k].len <= cut);
			}
			run_done(&run);
			free(buf);
		}
	}
}
END_TEST

/* ------------------------------------------------------------ fixtures */

struct fixture {
	const char *file;
	const char *fmt;
	size_t records;
	size_t junk;
	size_t truncated;
	size_t warnings;
};

static const struct fixture fixtures[] = {
	{ "asterisk-console.log", "asterisk", 14, 12, 0, 0 },
	{ "asterisk-full.log", "asterisk", 14, 12, 0, 0 },
	{ "asterisk-old.log", "asterisk", 14, 12, 0, 0 },
	{ "pjsip-console.log", "pjsip", 11, 5, 0, 0 },
	{ "pjsip-full.log", "pjsip", 11, 4, 0, 0 },
	{ "pjsua-default.log", "pjsua", 11, 9, 0, 0 },
	{ "pjsua-dated.log", "pjsua", 11, 11, 0, 0 },
	{ "sipp-old.log", "sipp", 11, 5, 0, 1 },
	{ "sipp-new.log", "sipp", 11, 0, 0, 0 },
	{ "freeswitch-new.log", "freeswitch", 11, 8, 0, 0 },
	{ "freeswitch-old.log", "freeswitch", 11, 9, 0, 0 },
	{ "freeswitch-drachtio.log", "freeswitch", 11, 18, 0, 0 },
	{ "freeswitch-midnight.log", "freeswitch", 4, 4, 0, 0 },
	{ "freeswitch-glued.log", "freeswitch", 4, 3, 0, 0 },
	{ "pjsua-midnight.log", "pjsua", 4, 4, 0, 0 },
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

static struct source *
open_data(const char *name)
{
	char *path = xasprintf("%s/%s", TEST_DATA, name), *err = NULL;
	struct source *src = source_open(path, &err);

	if (src == NULL)
		ck_abort_msg("%s", err);
	free(path);
	return src;
}

static void
same_span(struct span a, struct span b, const char *what, size_t i)
{
	if (a.n != b.n || (a.n != 0 && memcmp(a.p, b.p, a.n) != 0))
		ck_abort_msg("record %zu: %s differs on re-read", i, what);
}

START_TEST(test_fixture_counts)
{
	const struct fixture *fx = &fixtures[_i];
	char *name = xasprintf("fmt/%s", fx->file);
	struct source *src = open_data(name);
	struct run run;
	size_t i;

	ck_assert_ptr_eq(reader_probe(src->data, src->len),
	    reader_by_name(fx->fmt));
	run_all(&run, fx->fmt, src->data, src->len);
	ck_assert_msg(run.n == fx->records, "%s: %zu records", fx->file,
	    run.n);
	ck_assert_msg(run.r->stats.junk_lines == fx->junk, "%s: %zu junk",
	    fx->file, run.r->stats.junk_lines);
	ck_assert_msg(run_truncated(&run) == fx->truncated,
	    "%s: %zu truncated", fx->file, run_truncated(&run));
	ck_assert_msg(run.r->nwarnings == fx->warnings, "%s: %zu warnings",
	    fx->file, run.r->nwarnings);
	for (i = 0; i < run.n; i++) {
		struct rd_record *rec = &run.rec[i];

		ck_assert_int_eq(rec->kind, REC_SIP);
		ck_assert(rec->start.n > 0);
		ck_assert(span_ifind(rec->hdrs, "call-id:", 8) >= 0);
		ck_assert(rec->dir == DIR_IN || rec->dir == DIR_OUT);
		/* Every format but SIPp names the peer. */
		if (strcmp(fx->fmt, "sipp") != 0)
			ck_assert((rec->dir == DIR_IN ? rec->src :
			    rec->dst).n > 0);
		ck_assert(rec->transport.n > 0 ||
		    strncmp(fx->file, "asterisk-", 9) == 0);
		/* Console output has no time; every log file has. */
		if (strstr(fx->file, "console") == NULL)
			ck_assert(rec->time != TIME_NONE);
		if (run.c == NULL) {
			ck_assert(rec->off + rec->len <= src->len);
			ck_assert(rec->start.p >= src->data &&
			    rec->body.p + rec->body.n <= src->data +
			    src->len);
			if (i > 0)
				ck_assert(rec->off >= run.rec[i - 1].off +
				    run.rec[i - 1].len);
		}
		if (i > 0 && rec->time != TIME_NONE)
			ck_assert(rec->time >= run.rec[i - 1].time);
	}
	run_done(&run);
	source_free(src);
	free(name);
}
END_TEST

/* The engine re-reads one message from its offset and line: the very
 * same record must come back (for a transform, from its canonical
 * records). */
START_TEST(test_fixture_restart)
{
	const struct fixture *fx = &fixtures[_i];
	char *name = xasprintf("fmt/%s", fx->file);
	struct source *src = open_data(name);
	struct run run;
	struct reader *r;
	struct rd_record again;
	const struct rd_format *f;
	const char *data;
	size_t i, len;

	run_all(&run, fx->fmt, src->data, src->len);
	f = run.c != NULL ? &rd_canon_format : reader_by_name(fx->fmt);
	data = run.c != NULL ? run.canon.buf : src->data;
	len = run.c != NULL ? run.canon.len : src->len;
	for (i = 0; i < run.n; i++) {
		struct rd_record *rec = &run.rec[i];

		r = reader_new(f, data, len);
		r->pos = rec->off;
		r->line = rec->line;
		ck_assert_int_eq(reader_next(r, &again), 1);
		ck_assert_uint_eq(again.off, rec->off);
		ck_assert_uint_eq(again.len, rec->len);
		ck_assert_uint_eq(again.line, rec->line);
		/* Read alone, a record stamped with the time of day only
		 * cannot know the midnights before it (pjsua's default
		 * layout): the index keeps the first reading's days. */
		if (strcmp(fx->fmt, "pjsua") == 0 && !rec->has_date &&
		    rec->time != TIME_NONE)
			ck_assert(again.time == rec->time % RD_DAY);
		else
			ck_assert(again.time == rec->time);
		ck_assert_int_eq(again.time_prec, rec->time_prec);
		ck_assert_int_eq(again.has_date, rec->has_date);
		ck_assert_int_eq(again.dir, rec->dir);
		ck_assert_uint_eq(again.flags, rec->flags);
		same_span(again.start, rec->start, "start", i);
		same_span(again.hdrs, rec->hdrs, "hdrs", i);
		same_span(again.body, rec->body, "body", i);
		same_span(again.src, rec->src, "src", i);
		same_span(again.dst, rec->dst, "dst", i);
		same_span(again.transport, rec->transport, "transport", i);
		ck_assert_uint_eq(r->stats.junk_lines, 0);
		reader_free(r);
	}
	run_done(&run);
	source_free(src);
	free(name);
}
END_TEST

/* Every prefix of every fixture reads without crashing and ends. */
START_TEST(test_fixture_prefixes)
{
	const struct fixture *fx = &fixtures[_i];
	char *name = xasprintf("fmt/%s", fx->file);
	struct source *src = open_data(name);
	size_t cut, k;
	struct run run;

	for (cut = 0; cut <= src->len; cut += 7) {
		struct source *part = source_from_mem("part", src->data, cut);

		run_all(&run, fx->fmt, part->data, part->len);
		ck_assert_uint_le(run.n, fx->records);
		for (k = 0; k < run.n; k++) {
			if (run.c == NULL)
				ck_assert(run.rec[k].off + run.rec[k].len <=
				    cut);
		}
		run_done(&run);
		source_free(part);
	}
	source_free(src);
	free(name);
}
END_TEST

static int
is_ours(const char *fmt)
{
	static const char *const ours[] = { "asterisk", "pjsip", "pjsua",
		"sipp", "freeswitch" };
	size_t i;

	for (i = 0; i < sizeof ours / sizeof ours[0]; i++) {
		if (strcmp(fmt, ours[i]) == 0)
			return 1;
	}
	return 0;
}

/* Probes every file under dir: a fixture of ours ("<format>-<variant>.ext")
 * is recognised by its format's probe and by no other; on any other file
 * our probes stay silent. */
static size_t
probe_dir(const char *dir)
{
	char *path = xasprintf("%s/%s", TEST_DATA, dir), *name, *dash;
	DIR *dp = opendir(path);
	struct dirent *de;
	struct source *src;
	const struct rd_format *own;
	size_t k, files = 0;
	int score;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || strstr(de->d_name, ".py") != NULL)
			continue;
		name = xasprintf("%s/%s", dir, de->d_name);
		{
			char *full = xasprintf("%s/%s", TEST_DATA, name);
			struct stat sb;
			int isreg = stat(full, &sb) == 0 && S_ISREG(sb.st_mode);

			free(full);
			if (!isreg) {
				free(name);
				continue;
			}
		}
		src = open_data(name);
		if (src == NULL || src->len == 0) {
			source_free(src);
			free(name);
			continue;
		}
		own = NULL;
		dash = strchr(de->d_name, '-');
		if (strcmp(dir, "fmt") == 0 && dash != NULL) {
			char *fmt = xstrndup(de->d_name,
			    (size_t)(dash - de->d_name));

			own = reader_by_name(fmt);
			free(fmt);
		}
		for (k = 0; reader_formats[k] != NULL; k++) {
			const struct rd_format *f = reader_formats[k];

			/* Our fixtures: ours recognises it, every other
			 * format stays silent. Other fixtures: ours stay
			 * silent (their own probes are their tests'). */
			if ((own == NULL || !is_ours(own->name)) &&
			    !is_ours(f->name))
				continue;
			score = f->probe(src->data, src->len < 8192 ?
			    src->len : 8192);
			if (f == own)
				ck_assert_msg(score >= 50, "%s: %s %d", name,
				    f->name, score);
			else
				ck_assert_msg(score == 0, "%s: %s %d", name,
				    f->name, score);
		}
		files++;
		source_free(src);
		free(name);
	}
	closedir(dp);
	free(path);
	return files;
}

/* A full log whose SIP debug starts after the probe's window is still
 * taken for what it is: its log lines say so, a little above the
 * threshold. */
START_TEST(test_late_start)
{
	struct strbuf sb;
	struct run run;
	int j;

	strbuf_init(&sb);
	for (j = 0; j < 200; j++)
		strbuf_addf(&sb, "[2025-03-11 09:15:%02d.000] VERBOSE[2281]"
		    "[C-00000001] pbx.c:     -- Executing [%d@default:1] "
		    "NoOp(\"SIP/1001-00000001\", \"\") in new stack\n",
		    j % 60, j);
	ck_assert_uint_gt(sb.len, 8192);
	strbuf_adds(&sb, "[2025-03-11 09:16:00.000] VERBOSE[2281] chan_sip.c: "
	    "\n<--- SIP read from UDP:198.51.100.23:5060 --->\n" REG_MSG
	    "\n<------------->\n");
	ck_assert_ptr_eq(reader_probe(sb.buf, sb.len),
	    reader_by_name("asterisk"));
	ck_assert_int_eq(reader_by_name("asterisk")->probe(sb.buf, 8192), 35);
	run_all(&run, "asterisk", sb.buf, sb.len);
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.r->stats.junk_lines, 200);
	run_done(&run);

	strbuf_reset(&sb);
	for (j = 0; j < 200; j++)
		strbuf_addf(&sb, "2025-03-11 09:15:11.%06d 98.10%% [DEBUG] "
		    "switch_core_state_machine.c:%d (sofia/internal/1001) "
		    "State EXECUTE\n", j, 600 + j);
	strbuf_adds(&sb, "recv 120 bytes from udp/[198.51.100.23]:5060 at "
	    "09:15:12.000000:\n" DASHES "\n" "OPTIONS sip:x SIP/2.0\n"
	    "Call-ID: late\nContent-Length: 0\n\n");
	ck_assert_ptr_eq(reader_probe(sb.buf, sb.len),
	    reader_by_name("freeswitch"));
	run_all(&run, "freeswitch", sb.buf, sb.len);
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == civil(2025, 3, 11, 9, 15, 12, 0));
	run_done(&run);

	/* pjsua at level 5 logs its codecs, devices and transports before
	 * its first message. */
	strbuf_reset(&sb);
	for (j = 0; j < 200; j++)
		strbuf_addf(&sb, "09:15:%02d.%03d   pjsua_media.c  ....Codec "
		    "speex/16000/1 priority %d\n", j % 60, j, 100 + j);
	ck_assert_uint_gt(sb.len, 8192);
	strbuf_adds(&sb, "09:16:00.000   pjsua_core.c  .TX 100 bytes Request "
	    "msg OPTIONS/cseq=1 (tdta0x1) to UDP 192.0.2.10:5060:\n"
	    "OPTIONS sip:x SIP/2.0\nCall-ID: late\nContent-Length: 0\n\n"
	    "--end msg--\n");
	ck_assert_ptr_eq(reader_probe(sb.buf, sb.len),
	    reader_by_name("pjsua"));
	run_all(&run, "pjsua", sb.buf, sb.len);
	ck_assert_uint_eq(run.n, 1);
	run_done(&run);

	/* A router's debug with other categories before its first message;
	 * its time stamps are no pj_log time. */
	strbuf_reset(&sb);
	for (j = 0; j < 100; j++)
		strbuf_addf(&sb, "%06d: Mar 11 09:15:%02d.%03d UTC: //-1/"
		    "xxxxxxxxxxxx/CCAPI/cc_api_call_setup_ind_common:\n"
		    "   Interface=0x7F1C2B3A4D50, Call Info(\n", j, j % 60, j);
	ck_assert_uint_gt(sb.len, 8192);
	strbuf_adds(&sb, "003401: Mar 11 09:16:00.000 UTC: //-1/xxxxxxxxxxxx/"
	    "SIP/Msg/ccsipDisplayMsg:\nSent: \nOPTIONS sip:x SIP/2.0\n"
	    "Call-ID: late\nContent-Length: 0\n\n");
	ck_assert_ptr_eq(reader_probe(sb.buf, sb.len),
	    reader_by_name("cisco"));
	ck_assert_int_eq(reader_by_name("pjsua")->probe(sb.buf, 8192), 0);
	run_all(&run, "cisco", sb.buf, sb.len);
	ck_assert_uint_eq(run.n, 1);
	run_done(&run);

	/* Android's logcat has a time with milliseconds too: no pj_log. */
	strbuf_reset(&sb);
	for (j = 0; j < 3; j++)
		strbuf_addf(&sb, "03-11 09:15:%02d.%03d  3750  3750 I Linphone: "
		    "Core started\n", j, j);
	ck_assert_int_eq(reader_by_name("pjsua")->probe(sb.buf, sb.len), 0);

	/* Two such lines are not enough. */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "[2025-03-11 09:15:11.000] VERBOSE[1] pbx.c: a\n"
	    "[2025-03-11 09:15:11.000] VERBOSE[1] pbx.c: b\nplain text\n");
	ck_assert_ptr_null(reader_probe(sb.buf, sb.len));
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_probes)
{
	static const char plain[] = "hello world\nthis is a README\n"
	    "<--- not a header\nTransmitting (NAT) to nowhere\n"
	    "recv 12 bytes from somewhere\n--end msg--\n"
	    "RX 12 bytes of text\n-----------------------\n";
	size_t k;

	ck_assert_uint_ge(probe_dir("fmt"), NFIXTURES);
	ck_assert_uint_gt(probe_dir("."), 10);
	for (k = 0; reader_formats[k] != NULL; k++) {
		if (is_ours(reader_formats[k]->name))
			ck_assert_int_eq(reader_formats[k]->probe(plain,
			    sizeof plain - 1), 0);
	}
	ck_assert_ptr_null(reader_probe(plain, sizeof plain - 1));
	/* Each of ours is listed, before the catch-all raw format. */
	for (k = 0; reader_formats[k] != NULL; k++)
		;
	ck_assert_str_eq(reader_formats[k - 1]->name, "raw");
	ck_assert_ptr_nonnull(reader_by_name("asterisk"));
	ck_assert_ptr_nonnull(reader_by_name("pjsip"));
	ck_assert_ptr_nonnull(reader_by_name("pjsua"));
	ck_assert_ptr_nonnull(reader_by_name("sipp"));
	ck_assert_ptr_nonnull(reader_by_name("freeswitch"));
}
END_TEST

static Suite *
formats_a_suite(void)
{
	Suite *s = suite_create("formats_a");
	TCase *tc = tcase_create("formats");
	TCase *tf = tcase_create("fixtures");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ast_console);
	tcase_add_test(tc, test_ast_full_log);
	tcase_add_test(tc, test_ast_junk_and_cut);
	tcase_add_test(tc, test_ast_console_timestamps);
	tcase_add_test(tc, test_pjsua);
	tcase_add_test(tc, test_pjsua_midnight);
	tcase_add_test(tc, test_sipp);
	tcase_add_test(tc, test_sipp_huge_read);
	tcase_add_test(tc, test_fs_new);
	tcase_add_test(tc, test_fs_old);
	tcase_add_test(tc, test_fs_drachtio);
	tcase_add_test(tc, test_fs_glued);
	tcase_add_test(tc, test_cut_everywhere);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tf, 120);
	tcase_add_loop_test(tf, test_fixture_counts, 0, NFIXTURES);
	tcase_add_loop_test(tf, test_fixture_restart, 0, NFIXTURES);
	tcase_add_loop_test(tf, test_fixture_prefixes, 0, NFIXTURES);
	tcase_add_test(tf, test_probes);
	tcase_add_test(tf, test_late_start);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(formats_a_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
