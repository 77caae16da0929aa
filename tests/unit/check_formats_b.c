/* Unit tests for the part-B text formats: Linphone/belle-sip, Cisco
 * ccsip, pidgin-sipe, Kamailio (sipdump and debugger), baresip and
 * AudioCodes syslog. Small in-memory logs check spans, times, directions,
 * addresses, junk and truncation; the fixtures under tests/data/fmt are
 * probed against every format, re-read from each record's offset, read
 * through the engine, and cut and damaged at many places. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "reader.h"
#include "source.h"
#include "util.h"

#define CRLF "\r\n"
#define MAXREC 64

struct run {
	struct reader *r;
	struct strbuf canon;	/* transforms: the canonical records */
	struct rd_record rec[MAXREC];
	/* Addresses and transport a reader builds (Kamailio's separate ip
	 * and port fields) last until its next call: copies. */
	char addr[MAXREC][3][96];
	size_t n;
	int rc;			/* transform's return */
};

static void
span_is(struct span sp, const char *want)
{
	size_t n = strlen(want);

	if (sp.n != n || (n != 0 && memcmp(sp.p, want, n) != 0))
		ck_abort_msg("span [%.*s] (%zu) != [%s] (%zu)", (int)sp.n,
		    sp.p != NULL ? sp.p : "", sp.n, want, n);
}

static void
keep(char *buf, struct span *sp)
{
	if (sp->p == NULL || sp->n >= 96)
		return;
	memcpy(buf, sp->p, sp->n);
	sp->p = buf;
}

/* Reads data as format fmt: with its reader, or its transform and then
 * the canonical reader (as the engine does). */
static void
run_fmt(struct run *run, const char *fmt, const char *data, size_t len)
{
	const struct rd_format *f = reader_by_name(fmt);
	struct reader *cr;
	struct rd_record rec;
	char *err = NULL;

	ck_assert_ptr_nonnull(f);
	memset(run, 0, sizeof *run);
	strbuf_init(&run->canon);
	run->r = reader_new(f, data, len);
	cr = run->r;
	if (f->transform != NULL) {
		run->rc = f->transform(run->r, &run->canon, &err);
		free(err);
		ck_assert_uint_eq(reader_progress(run->r), 1000);
		cr = reader_new(&rd_canon_format, run->canon.buf,
		    run->canon.len);
	}
	while (reader_next(cr, &rec)) {
		ck_assert_uint_lt(run->n, MAXREC);
		keep(run->addr[run->n][0], &rec.src);
		keep(run->addr[run->n][1], &rec.dst);
		keep(run->addr[run->n][2], &rec.transport);
		run->rec[run->n++] = rec;
	}
	ck_assert_uint_eq(reader_progress(cr), 1000);
	if (cr != run->r) {
		/* Warnings were given when the records were written. */
		ck_assert_uint_eq(cr->nwarnings, 0);
		reader_free(cr);
	}
}

static void
run_str(struct run *run, const char *fmt, const char *s)
{
	run_fmt(run, fmt, s, strlen(s));
}

static void
run_done(struct run *run)
{
	reader_free(run->r);
	strbuf_free(&run->canon);
}

static int
has_warning(const struct run *run, uint32_t line, const char *what)
{
	size_t i;

	for (i = 0; i < run->r->nwarnings; i++) {
		if (run->r->warnings[i].line == line &&
		    strstr(run->r->warnings[i].msg, what) != NULL)
			return 1;
	}
	return 0;
}

/* The record's message as the canonical record holds it. */
static void
text_is(const struct rd_record *rec, const char *want)
{
	struct span t;

	t.p = rec->start.p;
	t.n = (size_t)(rec->body.p + rec->body.n - rec->start.p);
	span_is(t, want);
}

static int64_t
civil(int y, int mo, int d, int h, int mi, int s, long us)
{
	return time_from_civil(y, mo, d, h, mi, s, us);
}

/* ------------------------------------------------------------ messages */

#define REG_HDRS \
	"Via: SIP/2.0/TCP 192.0.2.10:40512;branch=z9hG4bK1" CRLF \
	"From: <sip:alice@example.com>;tag=1" CRLF \
	"To: <sip:alice@example.com>" CRLF \
	"Call-ID: r1" CRLF \
	"CSeq: 1 REGISTER" CRLF

static const char m_reg[] =
	"REGISTER sip:example.com SIP/2.0" CRLF REG_HDRS
	"Content-Length: 0" CRLF CRLF;
static const char m_100[] =
	"SIP/2.0 100 Trying" CRLF REG_HDRS "Content-Length: 0" CRLF CRLF;
static const char m_200[] =
	"SIP/2.0 200 OK" CRLF REG_HDRS
	"Content-Type: text/plain" CRLF
	"Content-Length: 12" CRLF CRLF
	"hello" CRLF "world";

/* Appends a belle-sip block: header line, then the bytes line by line,
 * each behind prefix (and a tab when tab) or bare when prefix is "". */
static void
lp_block(struct strbuf *sb, const char *prefix, int tab, const char *head,
    const char *bytes, size_t n)
{
	const char *p = bytes, *e = bytes + n, *nl;

	strbuf_addf(sb, "%s%s\n", prefix, head);
	while (p < e) {
		nl = memmem(p, (size_t)(e - p), CRLF, 2);
		strbuf_addf(sb, "%s%s", prefix, tab ? "\t" : "");
		strbuf_add(sb, p, nl != NULL ? (size_t)(nl - p) :
		    (size_t)(e - p));
		strbuf_addc(sb, '\n');
		p = nl != NULL ? nl + 2 : e;
	}
}

/* ------------------------------------------------------------ Linphone */

#define LC(t) "2026-11-26 16:10:" t " 12678-12690/org.linphone I/Linphone: "

START_TEST(test_linphone_stream)
{
	struct strbuf sb, two;
	struct run run;
	char head[160];
	size_t cut;

	strbuf_init(&sb);
	strbuf_init(&two);
	strbuf_adds(&sb, LC("00.001") "Linphone core [0x7be7] started\n");
	snprintf(head, sizeof head, "channel [0x7bf7]: message sent to "
	    "[TCP://sip.example.com:5060], size: [%zu] bytes",
	    sizeof m_reg - 1);
	lp_block(&sb, LC("00.100"), 1, head, m_reg, sizeof m_reg - 1);
	/* One read holding two messages. */
	strbuf_adds(&two, m_100);
	strbuf_adds(&two, m_reg);
	snprintf(head, sizeof head, "channel [0x7bf7]: received [%zu] new "
	    "bytes from [TCP://sip.example.com:5060]:", two.len);
	lp_block(&sb, LC("00.200"), 1, head, two.buf, two.len);
	/* One message over two reads, cut inside a line. */
	cut = 40;
	snprintf(head, sizeof head, "channel [0x7bf7]: received [%zu] new "
	    "bytes from [TCP://sip.example.com:5060]:", cut);
	lp_block(&sb, LC("00.300"), 1, head, m_200, cut);
	strbuf_adds(&sb, LC("00.301") "channel [0x7bf7]: starting recv "
	    "background task with id=[b1a].\n");
	snprintf(head, sizeof head, "channel [0x7bf7]: received [%zu] new "
	    "bytes from [TCP://sip.example.com:5060]:", sizeof m_200 - 1 - cut);
	lp_block(&sb, LC("00.400"), 1, head, m_200 + cut,
	    sizeof m_200 - 1 - cut);

	run_fmt(&run, "linphone", sb.buf, sb.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 4);
	text_is(&run.rec[0], m_reg);
	ck_assert_uint_eq(run.rec[0].line, 2);
	ck_assert_int_eq(run.rec[0].dir, DIR_OUT);
	span_is(run.rec[0].src, "local");
	span_is(run.rec[0].dst, "sip.example.com:5060");
	span_is(run.rec[0].transport, "TCP");
	ck_assert(run.rec[0].time == civil(2026, 11, 26, 16, 10, 0, 100000));
	ck_assert_int_eq(run.rec[0].time_prec, 3);
	ck_assert_int_eq(run.rec[0].has_date, 1);
	span_is(run.rec[0].start, "REGISTER sip:example.com SIP/2.0");

	text_is(&run.rec[1], m_100);
	text_is(&run.rec[2], m_reg);
	ck_assert_int_eq(run.rec[1].dir, DIR_IN);
	span_is(run.rec[1].src, "sip.example.com:5060");
	span_is(run.rec[1].dst, "local");
	/* Both from the read that starts on line 11. */
	ck_assert_uint_eq(run.rec[1].line, 11);
	ck_assert_uint_eq(run.rec[2].line, 11);

	/* Joined across reads: the time and line of its first byte. */
	text_is(&run.rec[3], m_200);
	span_is(run.rec[3].body, "hello" CRLF "world");
	ck_assert(run.rec[3].time == civil(2026, 11, 26, 16, 10, 0, 300000));
	ck_assert_uint_eq(run.rec[3].flags & RECF_TRUNCATED, 0);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	ck_assert_uint_ge(run.r->stats.junk_lines, 2);
	run_done(&run);

	{
		static const char opt[] = "OPTIONS sip:a SIP/2.0" CRLF
		    "Call-ID: e1" CRLF "Content-Length: 0" CRLF CRLF;
		struct strbuf one;

		/* logcat dropped the trailing space of the empty line. */
		strbuf_init(&one);
		snprintf(head, sizeof head, "channel [0x7bf7]: received [%zu] "
		    "new bytes from [UDP://192.0.2.1:5060]:", sizeof opt - 1);
		strbuf_addf(&one, LC("00.500") "%s\n", head);
		strbuf_adds(&one, LC("00.500") "\tOPTIONS sip:a SIP/2.0\n"
		    LC("00.500") "\tCall-ID: e1\n"
		    LC("00.500") "\tContent-Length: 0\n");
		strbuf_adds(&one, "2026-11-26 16:10:00.500 12678-12690/"
		    "org.linphone I/Linphone:\n");
		strbuf_adds(&one, LC("00.501") "channel [0x7bf7]: ending recv "
		    "background task\n");
		run_fmt(&run, "linphone", one.buf, one.len);
		ck_assert_uint_eq(run.n, 1);
		text_is(&run.rec[0], opt);
		ck_assert_uint_eq(run.rec[0].flags, 0);
		ck_assert_uint_eq(run.r->stats.junk_lines, 1);
		run_done(&run);
		strbuf_free(&one);
	}

	/* The stream ends inside a message: kept, flagged, warned. */
	run_fmt(&run, "linphone", sb.buf, sb.len - 12);
	ck_assert_uint_eq(run.n, 4);
	ck_assert(run.rec[3].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, run.rec[3].line, "cut short"));
	run_done(&run);

	/* A long start-up of liblinphone's own lines (desktop, the Android
	 * app's log collection) before the first message. */
	{
		static const char *const lines[] = {
			"[2026-11-26 16:09:59:999][Message]Core:linphone: "
			"Linphone core [0x55c1d0] notified [global_state]\n",
			"2026-11-26 16:09:59:999 [org.linphone/liblinphone] "
			"MESSAGE Linphone core [0x55c1d0] notified\n",
		};
		struct strbuf late;
		size_t k;
		int j;

		for (k = 0; k < 2; k++) {
			strbuf_init(&late);
			for (j = 0; j < 120; j++)
				strbuf_adds(&late, lines[k]);
			ck_assert_uint_gt(late.len, 8192);
			strbuf_add(&late, sb.buf, sb.len);
			ck_assert_ptr_eq(reader_probe(late.buf, late.len),
			    reader_by_name("linphone"));
			strbuf_free(&late);
		}
	}
	strbuf_free(&sb);
	strbuf_free(&two);
}
END_TEST

START_TEST(test_linphone_bare)
{
	struct strbuf sb;
	struct run run;
	char head[200];

	strbuf_init(&sb);
	/* Desktop log: the bytes follow the header line bare, CRLF kept. */
	snprintf(head, sizeof head, "[26/11/2026 16:00:00:123][Info]"
	    "Core:belle-sip: channel [0x311aaf0]: received [%zu] new bytes "
	    "from [UDP://[2001:db8::5]:5060]:", sizeof m_100 - 1);
	strbuf_addf(&sb, "%s\n%s\n", head, m_100);
	strbuf_adds(&sb, "[01:20:21:000][Info]Core:linphone: call "
	    "[0x42] state changed\n");
	snprintf(head, sizeof head, "[01:20:22:500][Info]Core:belle-sip: "
	    "channel [0x311aaf0]: message sent to [UDP://[2001:db8::5]:5060], "
	    "size: [%zu] bytes", sizeof m_reg - 1);
	strbuf_addf(&sb, "%s\n%s", head, m_reg);
	/* Cut short by the end of the log. */
	run_fmt(&run, "linphone", sb.buf, sb.len - 30);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	text_is(&run.rec[0], m_100);
	span_is(run.rec[0].src, "[2001:db8::5]:5060");
	span_is(run.rec[0].transport, "UDP");
	ck_assert_uint_eq(run.rec[0].line, 1);
	ck_assert_uint_eq(run.rec[0].flags & RECF_TRUNCATED, 0);
	/* A time of day only, more than 12 hours before the first
	 * message's 16:00 (whose date the reader does not take): the next
	 * day. */
	ck_assert(run.rec[1].time == civil(1970, 1, 2, 1, 20, 22, 500000));
	ck_assert_int_eq(run.rec[1].has_date, 0);
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	ck_assert(run.rec[1].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, run.rec[1].line, "cut short"));
	run_done(&run);

	/* Nothing that belle-sip wrote: refused. */
	run_str(&run, "linphone", "[01:20:21:000][Info]Core:linphone: hi\n");
	ck_assert_int_eq(run.rc, -1);
	ck_assert_uint_eq(run.n, 0);
	run_done(&run);
	strbuf_free(&sb);
}
END_TEST

/* "[01:20:20:873]" is a time of day only: past midnight, the next day;
 * logcat's month and day are left as they are. */
START_TEST(test_linphone_midnight)
{
	static const char *const t[] = { "23:59:59:900", "00:00:00:100",
		"00:00:00:050" };
	struct strbuf sb;
	struct run run;
	char head[200];
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < 3; i++) {
		snprintf(head, sizeof head, "[%s][Info]Core:belle-sip: "
		    "channel [0x311aaf0]: message sent to [UDP://192.0.2.5:5060]"
		    ", size: [%zu] bytes", t[i], sizeof m_reg - 1);
		strbuf_addf(&sb, "%s\n%s", head, m_reg);
	}
	run_fmt(&run, "linphone", sb.buf, sb.len);
	ck_assert_uint_eq(run.n, 3);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 23, 59, 59, 900000));
	ck_assert(run.rec[1].time == civil(1970, 1, 2, 0, 0, 0, 100000));
	ck_assert_int_eq(run.rec[1].has_date, 0);
	ck_assert(run.rec[2].time == civil(1970, 1, 2, 0, 0, 0, 50000));
	run_done(&run);
	strbuf_free(&sb);

	strbuf_init(&sb);
	snprintf(head, sizeof head, "channel [0x7bf734]: message sent to "
	    "[UDP://192.0.2.5:5060], size: [%zu] bytes", sizeof m_reg - 1);
	lp_block(&sb, "12-31 23:59:59.900 12678-12690/org.linphone "
	    "I/Linphone: ", 1, head, m_reg, sizeof m_reg - 1);
	lp_block(&sb, "12-31 12:00:00.000 12678-12690/org.linphone "
	    "I/Linphone: ", 1, head, m_reg, sizeof m_reg - 1);
	run_fmt(&run, "linphone", sb.buf, sb.len);
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[1].time == civil(1970, 12, 31, 12, 0, 0, 0));
	run_done(&run);
	strbuf_free(&sb);
}
END_TEST

/* ------------------------------------------------------------ Cisco */

static const char cisco_log[] =
	"Router#debug ccsip messages\n"					/* 1 */
	"003401: Nov 26 2026 16:20:00.123 UTC: //-1/xxxxxxxxxxxx/SIP/Msg/"
	"ccsipDisplayMsg:\n"
	"Sent: \n"
	"INVITE sip:bob@example.com SIP/2.0\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\n"
	"Call-ID: c1\n"
	"CSeq: 101 INVITE\n"
	"Content-Type: application/sdp\n"
	"Content-Length: 36\n"
	"\n"
	"v=0\n"
	"o=- 1 1 IN IP4 192.0.2.1\n"
	"s=-\n"
	"\n"
	"*Nov 26 16:20:01: //1234/0E6C8A2B1F00/SIP/Msg/ccsipDisplayMsg:\n" /* 15 */
	"Received: \n"
	"SIP/2.0 100 Trying\n"
	"Call-ID: c1\n"
	"CSeq: 101 INVITE\n"
	"Content-Length: 0\n"
	"\n"
	"003403: Nov 26 2026 16:20:01.500 UTC: //1234/0E6C8A2B1F00/CCAPI/"
	"cc_api_call_proceeding:\n"
	"   Interface=0x7F1C2B3A4D50\n"
	"*Mar  1 00:12:34.567: Sent:\n"					/* 24 */
	"ACK sip:bob@example.com SIP/2.0\n"
	"Call-ID: c1\n";

START_TEST(test_cisco)
{
	struct run run;

	run_str(&run, "cisco", cisco_log);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 2);
	ck_assert_int_eq(run.rec[0].dir, DIR_OUT);
	span_is(run.rec[0].src, "local");
	ck_assert(run.rec[0].time == civil(2026, 11, 26, 16, 20, 0, 123000));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	ck_assert_int_eq(run.rec[0].time_prec, 3);
	span_is(run.rec[0].start, "INVITE sip:bob@example.com SIP/2.0");
	span_is(run.rec[0].hdrs, "Via: SIP/2.0/UDP 192.0.2.1:5060;"
	    "branch=z9hG4bK1\nCall-ID: c1\nCSeq: 101 INVITE\n"
	    "Content-Type: application/sdp\nContent-Length: 36");
	/* Content-Length counts CRLF; the terminal shows LF: the next time
	 * stamp ends the body, without the blank line before it. */
	span_is(run.rec[0].body, "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n");
	ck_assert_uint_eq(run.rec[0].flags & RECF_TRUNCATED, 0);

	ck_assert_uint_eq(run.rec[1].line, 15);
	ck_assert_int_eq(run.rec[1].dir, DIR_IN);
	span_is(run.rec[1].dst, "local");
	/* No year: month and day order the records, the date is not shown. */
	ck_assert(run.rec[1].time == civil(1970, 11, 26, 16, 20, 1, 0));
	ck_assert_int_eq(run.rec[1].has_date, 0);
	ck_assert_int_eq(run.rec[1].time_prec, 0);
	span_is(run.rec[1].start, "SIP/2.0 100 Trying");
	ck_assert_uint_eq(run.rec[1].body.n, 0);

	/* Old releases: "Sent:" on the time stamp line; the end of the log
	 * cuts the header block short. */
	ck_assert_uint_eq(run.rec[2].line, 24);
	ck_assert_int_eq(run.rec[2].dir, DIR_OUT);
	span_is(run.rec[2].start, "ACK sip:bob@example.com SIP/2.0");
	span_is(run.rec[2].hdrs, "Call-ID: c1");

	ck_assert(run.rec[2].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, 24, "cut short"));
	/* Other debug output is counted, not warned about. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	ck_assert_uint_eq(run.r->nwarnings, 1);
	run_done(&run);

	/* A "Sent:" with nothing after it. */
	run_str(&run, "cisco", "Nov 26 16:20:00.123: //-1/x/SIP/Msg/"
	    "ccsipDisplayMsg:\nSent:\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, 1, "cut short"));
	run_done(&run);

	/* The log ends inside the body: short of Content-Length even with
	 * each LF counted as its CRLF (36 on the wire, 16 here). */
	run_str(&run, "cisco", "Nov 26 16:20:00.123: //-1/x/SIP/Msg/"
	    "ccsipDisplayMsg:\nSent:\nINVITE sip:b@example.com SIP/2.0\n"
	    "Call-ID: c2\nContent-Length: 36\n\nv=0\no=- 1 1 IN IP");
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].body, "v=0\no=- 1 1 IN IP");
	ck_assert(run.rec[0].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, 1, "cut short"));
	run_done(&run);

	/* Routers without a clock stamp their uptime. */
	run_str(&run, "cisco", "00:12:34.567: //-1/x/SIP/Msg/ccsipDisplayMsg:\n"
	    "Received:\nOPTIONS sip:a@192.0.2.1 SIP/2.0\nCall-ID: u1\n\n"
	    "001234: 1w2d: //-1/x/SIP/Msg/ccsipDisplayMsg:\nSent:\n"
	    "SIP/2.0 200 OK\nCall-ID: u1\n\n");
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 0, 12, 34, 567000));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_int_eq(run.rec[0].dir, DIR_IN);
	ck_assert(run.rec[1].time == TIME_NONE);
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	span_is(run.rec[1].hdrs, "Call-ID: u1");
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);

	/* A ccsipDisplayMsg line without Sent:/Received: is not a message. */
	run_str(&run, "cisco", "Nov 26 16:20:00.123: //-1/x/SIP/Msg/"
	    "ccsipDisplayMsg:\nsomething else\n");
	ck_assert_uint_eq(run.n, 0);
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ sipe */

static const char sipe_log[] =
	"(16:20:00) sipe: sipe_core_allocate: SIPE version 1.25.0\n"	/* 1 */
	"(16:20:00) sipe: \n"
	"MESSAGE START >>>>>>>>>> SIP(0x55d0c0a0) - "
	"2026-11-26T16:20:00.123456Z\n"					/* 3 */
	"REGISTER sip:example.com SIP/2.0\n"
	"Call-ID: s1\n"
	"CSeq: 1 REGISTER\n"
	"Content-Length: 0\n"
	"\n"
	"MESSAGE END >>>>>>>>>> SIP(0x55d0c0a0) - "
	"2026-11-26T16:20:00.123456Z\n"
	"(16:20:00) sipe: \n"
	"MESSAGE START >>>>>>>>>> HTTP(0x55d0d1e0) - "
	"2026-11-26T16:20:00.200000Z\n"
	"GET /autodiscover HTTP/1.1\n"
	"\n"
	"MESSAGE END >>>>>>>>>> HTTP(0x55d0d1e0) - "
	"2026-11-26T16:20:00.200000Z\n"
	"(16:20:01) sipe: \n"
	"MESSAGE START <<<<<<<<<< SIP(0x55d0c0a0) - "
	"2026-11-26T16:20:01.5Z\n"					/* 16 */
	"SIP/2.0 200 OK\n"
	"Call-ID: s1\n"
	"Content-Type: text/plain\n"
	"Content-Length: 7\n"
	"\n"
	"a\n"
	"b\n"
	"MESSAGE END <<<<<<<<<< SIP(0x55d0c0a0) - "
	"2026-11-26T16:20:01.5Z\n"
	"(16:20:02) sipe: \n"
	"MESSAGE START <<<<<<<<<< SIP(0x55d0c0a0) - "
	"2026-11-26T16:20:02.000000Z\n"					/* 26 */
	"SIP/2.0 180 Ringing\n"
	"Call-ID: s1\n";

START_TEST(test_sipe)
{
	struct run run;

	run_str(&run, "sipe", sipe_log);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 3);
	ck_assert_int_eq(run.rec[0].dir, DIR_OUT);
	ck_assert(run.rec[0].time == civil(2026, 11, 26, 16, 20, 0, 123456));
	ck_assert_int_eq(run.rec[0].time_prec, 6);
	span_is(run.rec[0].start, "REGISTER sip:example.com SIP/2.0");
	span_is(run.rec[0].hdrs, "Call-ID: s1\nCSeq: 1 REGISTER\n"
	    "Content-Length: 0");
	ck_assert_uint_eq(run.rec[0].body.n, 0);
	ck_assert_uint_eq(run.rec[0].flags, 0);

	/* HTTP traffic is skipped; Content-Length 7 counts CRLF, the log
	 * has LF: the END line ends the body. */
	ck_assert_uint_eq(run.rec[1].line, 16);
	ck_assert_int_eq(run.rec[1].dir, DIR_IN);
	ck_assert(run.rec[1].time == civil(2026, 11, 26, 16, 20, 1, 500000));
	ck_assert_int_eq(run.rec[1].time_prec, 1);
	span_is(run.rec[1].body, "a\nb");
	ck_assert_uint_eq(run.rec[1].flags & RECF_TRUNCATED, 0);

	/* No END: cut short. */
	ck_assert_uint_eq(run.rec[2].line, 26);
	span_is(run.rec[2].start, "SIP/2.0 180 Ringing");
	ck_assert(run.rec[2].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, 26, "cut short"));
	ck_assert_uint_ge(run.r->stats.junk_lines, 4);
	run_done(&run);

	/* Releases before 1.18: no connection pointer. */
	static const char old[] = "MESSAGE START <<<<<<<<<< SIP - "
	    "2026-11-26T16:20:00.1Z\nOPTIONS sip:a SIP/2.0\nCall-ID: o\n\n"
	    "MESSAGE END <<<<<<<<<< SIP - 2026-11-26T16:20:00.1Z\n";
	ck_assert_int_ge(reader_by_name("sipe")->probe(old, sizeof old - 1),
	    90);
	run_str(&run, "sipe", old);
	ck_assert_uint_eq(run.n, 1);
	ck_assert_int_eq(run.rec[0].dir, DIR_IN);
	span_is(run.rec[0].hdrs, "Call-ID: o");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ Kamailio */

static const char kam_dump[] =
	"====================\n"					/* 1 */
	"tag: rcv\n"
	"pid: 2831\n"
	"process: 3\n"
	"time: 1795708800.250000\n"
	"date: Thu Nov 26 16:00:00 2026\n"
	"proto: tcp ipv6\n"
	"srcip: 2001:db8::10\n"
	"srcport: 40512\n"
	"dstip: 2001:db8::1\n"
	"dstport: 5060\n"
	"~~~~~~~~~~~~~~~~~~~~\n"
	"MESSAGE sip:bob@example.com SIP/2.0" CRLF
	"Call-ID: k1" CRLF
	"Content-Type: text/plain" CRLF
	"Content-Length: 2" CRLF CRLF
	"hi||||||||||||||||||||\n"
	"garbage line\n"						/* 19 */
	"====================\n"					/* 20 */
	"tag: snd\n"
	"time: 1795708801\n"
	"proto: udp ipv4\n"
	"srcip: 192.0.2.1\n"
	"srcport: 5060\n"
	"dstip: 192.0.2.10\n"
	"dstport: 5060\n"
	"~~~~~~~~~~~~~~~~~~~~\n"
	"SIP/2.0 200 OK" CRLF
	"Call-ID: k1" CRLF
	"Content-Length: 0" CRLF CRLF
	"||||||||||||||||||||\n"
	"====================\n"					/* 34 */
	"tag: rcv\n"
	"~~~~~~~~~~~~~~~~~~~~\n"
	"BYE sip:bob@example.com SIP/2.0" CRLF
	"Call-ID: k1" CRLF;

START_TEST(test_kamailio_dump)
{
	struct run run;

	run_str(&run, "kamailio", kam_dump);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 1);
	ck_assert_int_eq(run.rec[0].dir, DIR_IN);
	ck_assert(run.rec[0].time == civil(2026, 11, 26, 16, 0, 0, 250000));
	ck_assert_int_eq(run.rec[0].time_prec, 6);
	ck_assert_int_eq(run.rec[0].has_date, 1);
	span_is(run.rec[0].src, "[2001:db8::10]:40512");
	span_is(run.rec[0].dst, "[2001:db8::1]:5060");
	span_is(run.rec[0].transport, "TCP");
	span_is(run.rec[0].start, "MESSAGE sip:bob@example.com SIP/2.0");
	/* The end marker follows a body without a line end. */
	span_is(run.rec[0].body, "hi");
	ck_assert_uint_eq(run.rec[0].flags, 0);

	ck_assert_uint_eq(run.rec[1].line, 20);
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	ck_assert(run.rec[1].time == civil(2026, 11, 26, 16, 0, 1, 0));
	ck_assert_int_eq(run.rec[1].time_prec, 0);
	span_is(run.rec[1].src, "192.0.2.1:5060");
	span_is(run.rec[1].dst, "192.0.2.10:5060");
	span_is(run.rec[1].transport, "UDP");
	ck_assert_uint_eq(run.rec[1].body.n, 0);
	ck_assert(has_warning(&run, 19, "skipped 1 line"));

	/* No addresses, no end marker. */
	ck_assert_uint_eq(run.rec[2].line, 34);
	ck_assert_uint_eq(run.rec[2].src.n, 0);
	ck_assert(run.rec[2].time == TIME_NONE);
	ck_assert(run.rec[2].flags & RECF_TRUNCATED);
	run_done(&run);
}
END_TEST

static const char kam_debug[] =
	" 3(2831) NOTICE: <script>: CONFIG LINE 412\n"			/* 1 */
	"------------------------- START OF SIP message debug "
	"--------------------------\n"					/* 2 */
	"INVITE sip:bob@example.com SIP/2.0" CRLF
	"Call-ID: d1" CRLF
	"Content-Type: application/sdp" CRLF
	"Content-Length: 5" CRLF CRLF
	"v=0" CRLF
	"------------------------------ SIP header diffs "
	"-------------------------------\n"
	"Record-Route: <sip:203.0.113.5;lr>" CRLF
	"------------------------------- SIP body diffs "
	"--------------------------------\n"
	"-------------------------- END OF SIP message debug "
	"---------------------------\n"
	"\n"
	" 3(2831) INFO: <script>: relaying\n"				/* 14 */
	" 3(2831) NOTICE: <script>: CONFIG LINE 530\n"
	"------------------------- START OF SIP message debug "
	"--------------------------\n"					/* 16 */
	"SIP/2.0 200 OK" CRLF
	"Call-ID: d1" CRLF
	"Content-Type: text/plain" CRLF CRLF
	"no length------------------------------ SIP header diffs "
	"-------------------------------\n"
	"------------------------------- SIP body diffs "
	"--------------------------------\n"
	"-------------------------- END OF SIP message debug "
	"---------------------------\n";

START_TEST(test_kamailio_debug)
{
	struct run run;

	run_str(&run, "kamailio", kam_debug);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 2);
	ck_assert_int_eq(run.rec[0].dir, DIR_UNKNOWN);
	ck_assert(run.rec[0].time == TIME_NONE);
	span_is(run.rec[0].start, "INVITE sip:bob@example.com SIP/2.0");
	span_is(run.rec[0].body, "v=0" CRLF);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	/* A body without Content-Length, glued to the diffs marker. */
	ck_assert_uint_eq(run.rec[1].line, 16);
	span_is(run.rec[1].body, "no length");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	/* The log's other lines are not warned about. */
	ck_assert_uint_eq(run.r->nwarnings, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	run_done(&run);

	/* Cut before the END line. */
	run_fmt(&run, "kamailio", kam_debug, 200);
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].flags & RECF_TRUNCATED);
	run_done(&run);

	/* Its standard error's start-up before the first block, longer
	 * than the probe looks: told by Kamailio's own lines. */
	{
		struct strbuf late;
		int j;

		strbuf_init(&late);
		for (j = 0; j < 120; j++)
			strbuf_addf(&late, " 0(2820) DEBUG: <core> "
			    "[core/sr_module.c:%d]: load_module(): loading "
			    "module tm\n", 600 + j);
		ck_assert_uint_gt(late.len, 8192);
		strbuf_adds(&late, kam_debug);
		ck_assert_ptr_eq(reader_probe(late.buf, late.len),
		    reader_by_name("kamailio"));
		/* Two such lines are not enough. */
		ck_assert_int_eq(reader_by_name("kamailio")->probe(late.buf,
		    2 * 80), 0);
		strbuf_free(&late);
	}
}
END_TEST

static const char kam_syslog[] =
	"Nov 26 16:35:00 proxy1 kamailio[2820]: INFO: <core> started\n"	/* 1 */
	"Nov 26 16:35:01 proxy1 kamailio[2831]: NOTICE: <script>: CONFIG "
	"LINE 412#012------------------------- START OF SIP message debug "
	"--------------------------#012OPTIONS sip:a SIP/2.0#015#012"
	"Call-ID: y1#015#012Content-Type: text/plain#015#012#015#012"
	"a#b#015#012------------------------------ SIP header diffs "
	"-------------------------------#012#012-------------------------- "
	"END OF SIP message debug ---------------------------#012#012\n"
	"2026-11-26T16:35:02.123456+00:00 proxy1 kamailio[2831]: NOTICE: "
	"<script>: CONFIG LINE 9#012------------------------- START OF SIP "
	"message debug --------------------------#012SIP/2.0 200 OK#015#012"
	"Call-ID: y1#015#012Content-Len\n";				/* 3 */

START_TEST(test_kamailio_syslog)
{
	struct run run;

	run_str(&run, "kamailio-syslog", kam_syslog);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 2);
	/* Byte for byte: CR and LF come back from #015 and #012, a '#'
	 * that starts no escape stays. */
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0" CRLF "Call-ID: y1" CRLF
	    "Content-Type: text/plain" CRLF CRLF "a#b" CRLF);
	ck_assert(run.rec[0].time == civil(1970, 11, 26, 16, 35, 1, 0));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	/* Cut by the collector's line limit. */
	ck_assert_uint_eq(run.rec[1].line, 3);
	ck_assert(run.rec[1].time == civil(2026, 11, 26, 16, 35, 2, 123456));
	ck_assert_int_eq(run.rec[1].has_date, 1);
	span_is(run.rec[1].start, "SIP/2.0 200 OK");
	ck_assert(run.rec[1].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, 3, "cut short"));
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	run_done(&run);

	/* As journalctl shows it: the block's lines indented. */
	static const char journal[] =
	    "Nov 26 16:35:03.250000 proxy1 kamailio[2831]: NOTICE: <script>: "
	    "CONFIG LINE 412\n"
	    "       ------------------------- START OF SIP message debug ---\n"
	    "       BYE sip:a SIP/2.0\r\n"
	    "       Call-ID: y2\n"
	    "       Content-Length: 0\n"
	    "\n"
	    "       ------------------------------ SIP header diffs ---\n"
	    "       ------------------------------- SIP body diffs ---\n"
	    "       -------------------------- END OF SIP message debug ---\n"
	    "Nov 26 16:35:04 proxy1 kamailio[2831]: INFO: next\n"
	    "       ------------------------- START OF SIP message debug ---\n"
	    "       ACK sip:a SIP/2.0\n"
	    "Nov 26 16:35:05 proxy1 kamailio[2831]: INFO: cut\n";

	ck_assert_int_ge(reader_by_name("kamailio-syslog")->probe(journal,
	    sizeof journal - 1), 50);
	ck_assert_int_eq(reader_by_name("kamailio")->probe(journal,
	    sizeof journal - 1), 0);
	run_str(&run, "kamailio-syslog", journal);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 2);
	text_is(&run.rec[0], "BYE sip:a SIP/2.0" CRLF "Call-ID: y2" CRLF
	    "Content-Length: 0" CRLF CRLF);
	ck_assert(run.rec[0].time == civil(1970, 11, 26, 16, 35, 3, 250000));
	ck_assert_int_eq(run.rec[0].time_prec, 6);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[1].line, 11);
	ck_assert(run.rec[1].time == civil(1970, 11, 26, 16, 35, 4, 0));
	ck_assert(run.rec[1].flags & RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	run_done(&run);

	/* The stderr form is the other format's, and the other way round. */
	ck_assert_int_eq(reader_by_name("kamailio")->probe(kam_syslog,
	    sizeof kam_syslog - 1), 0);
	ck_assert_int_eq(reader_by_name("kamailio-syslog")->probe(kam_debug,
	    sizeof kam_debug - 1), 0);
}
END_TEST

/* ------------------------------------------------------------ baresip */

START_TEST(test_baresip)
{
	struct strbuf sb;
	struct run run;

	strbuf_init(&sb);
	strbuf_adds(&sb, "baresip v3.10.1 Copyright (C) 2010 - 2024\n"
	    "Local network addresses:\n"
	    "         lo:  127.0.0.1\n"
	    "       eth0:  192.0.2.10\n"
	    "       eth0:  2001:db8::10\n"
	    "\x1b[31mua: no UA found\x1b[;m\n");
	strbuf_addf(&sb, "\x1b[36;1m16:40:00.250#\nTCP 192.0.2.10:40512 -> "
	    "203.0.113.5:5060\n%s\x1b[;m\n", m_reg);
	strbuf_adds(&sb, "alice@example.com: {0/TCP/v4} 200 OK\n");
	/* Older baresip: a bare "#"; an IPv6 peer; a body without
	 * Content-Length that ends at the colour reset. */
	strbuf_adds(&sb, "\x1b[36;1m#\nUDP [2001:db8::5]:5060 -> "
	    "[2001:db8::10]:5060\nSIP/2.0 200 OK" CRLF "Call-ID: b1" CRLF
	    CRLF "body\x1b[;m\n");
	/* No colours at all (log written through a filter). */
	strbuf_addf(&sb, "#\nWSS 192.0.2.10:443 -> 203.0.113.5:443\n%s\n",
	    m_100);

	run_fmt(&run, "baresip", sb.buf, sb.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 7);
	text_is(&run.rec[0], m_reg);
	/* Directions from the addresses the banner calls local. */
	ck_assert_int_eq(run.rec[0].dir, DIR_OUT);
	ck_assert_int_eq(run.rec[1].dir, DIR_IN);
	ck_assert_int_eq(run.rec[2].dir, DIR_OUT);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 16, 40, 0, 250000));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_int_eq(run.rec[0].time_prec, 3);
	span_is(run.rec[0].transport, "TCP");
	span_is(run.rec[0].src, "192.0.2.10:40512");
	span_is(run.rec[0].dst, "203.0.113.5:5060");

	ck_assert_uint_eq(run.rec[1].line, 19);
	ck_assert(run.rec[1].time == TIME_NONE);
	span_is(run.rec[1].src, "[2001:db8::5]:5060");
	span_is(run.rec[1].body, "body");
	text_is(&run.rec[1], "SIP/2.0 200 OK" CRLF "Call-ID: b1" CRLF CRLF
	    "body");

	span_is(run.rec[2].transport, "WSS");
	text_is(&run.rec[2], m_100);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	/* The banner, the red warning, the registration line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 7);
	run_done(&run);
	strbuf_free(&sb);
}
END_TEST

/* The trace stamps a time of day only: past midnight, the next day. */
START_TEST(test_baresip_midnight)
{
	struct strbuf sb;
	struct run run;

	strbuf_init(&sb);
	strbuf_addf(&sb, "23:59:59.900#\nUDP 192.0.2.10:5060 -> "
	    "203.0.113.5:5060\n%s\n", m_reg);
	strbuf_addf(&sb, "00:00:00.100#\nUDP 203.0.113.5:5060 -> "
	    "192.0.2.10:5060\n%s\n", m_100);
	strbuf_addf(&sb, "#\nUDP 203.0.113.5:5060 -> 192.0.2.10:5060\n%s\n",
	    m_100);
	strbuf_addf(&sb, "00:00:01.000#\nUDP 203.0.113.5:5060 -> "
	    "192.0.2.10:5060\n%s\n", m_100);
	run_fmt(&run, "baresip", sb.buf, sb.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 4);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 23, 59, 59, 900000));
	ck_assert(run.rec[1].time == civil(1970, 1, 2, 0, 0, 0, 100000));
	ck_assert_int_eq(run.rec[1].has_date, 0);
	/* A time of day alone, through the canonical records too: shown
	 * with the day it is on (time_format TIME_DAYS). */
	ck_assert_int_eq(run.rec[0].tod_only, 1);
	ck_assert_int_eq(run.rec[1].tod_only, 1);
	/* A bare "#" has no time and does not lose the day. */
	ck_assert(run.rec[2].time == TIME_NONE);
	ck_assert(run.rec[3].time == civil(1970, 1, 2, 0, 0, 1, 0));
	run_done(&run);
	strbuf_free(&sb);
}
END_TEST

/* ------------------------------------------------------------ AudioCodes */

#define AC(seq, sid, text, t) \
	"2026-11-26T16:50:" t "000+00:00 192.0.2.50 [S=" seq "] [SID=" sid \
	"] " text " [Time:26-11@16:50:" t "]\n"
#define AC_IN "(N 4410001)  ---- Incoming SIP Message from " \
	"52.114.76.76:5061 to SIPInterface #2 (Teams) TLS TO(#3) " \
	"SocketID(12) ----"
#define AC_OUT "(N 4410002)  ---- Outgoing SIP Message to " \
	"10.1.1.5:5060 from SIPInterface #0 (PBX) UDP TO(#1) SocketID(0) ----"

static const char ac_log[] =
	"2026-11-26T16:49:59.000000+00:00 192.0.2.50 [S=1] [BID=3c5b9a:61] "
	"Board temperature 41C [Time:26-11@16:49:59.000]\n"		/* 1 */
	AC("2", "s:1", AC_IN "#012INVITE sip:+1555@sbc.example.com SIP/2.0"
	    "#015#012Call-ID: a1#012Content-Type: application/sdp#012"
	    "Content-Length: 14#012#012v=0#012", "00.100")		/* 2 */
	AC("3", "s:2", AC_OUT "#012OPTIONS sip:10.1.1.5 SIP/2.0#012"
	    "Call-ID: o1#012Content-Length: 0#012#012", "00.150")	/* 3 */
	AC("4", "s:1", "(N 4410003)  (lgr_flow)(12)  #1:INVITE "
	    "is authenticated", "00.160")				/* 4 */
	AC("5", "s:1", "o=- 1 1#012", "00.200")			/* 5 */
	AC("6", "s:3", AC_IN "#012BYE sip:x SIP/2.0#012Call-ID: a9#012"
	    "Content-Length: 0#012", "00.300")				/* 6 */
	AC("7", "s:3", AC_IN "#012SIP/2.0 200 OK#012Call-ID: a9#012"
	    "Content-Length: 0#012#012", "00.400")			/* 7 */
	AC("8", "s:4", AC_OUT "#012ACK sip:x SIP/2.0#012Call-ID: a8#012"
	    "Content-Length: 10#012#012v=0", "00.500");		/* 8 */

START_TEST(test_audiocodes)
{
	struct run run;

	run_str(&run, "audiocodes", ac_log);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 5);
	/* In the order they are complete: the OPTIONS first. */
	ck_assert_uint_eq(run.rec[0].line, 3);
	text_is(&run.rec[0], "OPTIONS sip:10.1.1.5 SIP/2.0" CRLF
	    "Call-ID: o1" CRLF "Content-Length: 0" CRLF CRLF);
	ck_assert_int_eq(run.rec[0].dir, DIR_OUT);
	span_is(run.rec[0].src, "SIPInterface #0 (PBX)");
	span_is(run.rec[0].dst, "10.1.1.5:5060");
	span_is(run.rec[0].transport, "UDP");

	/* Split over two records, another event of the session between. */
	ck_assert_uint_eq(run.rec[1].line, 2);
	text_is(&run.rec[1], "INVITE sip:+1555@sbc.example.com SIP/2.0" CRLF
	    "Call-ID: a1" CRLF "Content-Type: application/sdp" CRLF
	    "Content-Length: 14" CRLF CRLF "v=0" CRLF "o=- 1 1" CRLF);
	ck_assert_int_eq(run.rec[1].dir, DIR_IN);
	span_is(run.rec[1].src, "52.114.76.76:5061");
	span_is(run.rec[1].dst, "SIPInterface #2 (Teams)");
	span_is(run.rec[1].transport, "TLS");
	ck_assert(run.rec[1].time == civil(2026, 11, 26, 16, 50, 0, 100000));
	ck_assert_int_eq(run.rec[1].time_prec, 3);
	ck_assert_int_eq(run.rec[1].has_date, 1);
	ck_assert_uint_eq(run.rec[1].flags, 0);

	/* A BYE without its blank line is cut by the next message of its
	 * session. */
	ck_assert_uint_eq(run.rec[2].line, 6);
	ck_assert(run.rec[2].flags & RECF_TRUNCATED);
	ck_assert(has_warning(&run, 6, "cut short"));
	ck_assert_uint_eq(run.rec[3].line, 7);
	ck_assert_uint_eq(run.rec[3].flags, 0);
	/* The end of the log cuts the ACK's body. */
	ck_assert_uint_eq(run.rec[4].line, 8);
	ck_assert(run.rec[4].flags & RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	run_done(&run);

	/* Without a year in the syslog prefix only the time of day. */
	run_str(&run, "audiocodes", "Nov 26 16:50:00 192.0.2.50 [S=9] "
	    "[SID=x] " AC_IN "#012SIP/2.0 180 Ringing#012Call-ID: a1#012#012"
	    " [Time:26-11@16:50:00.700]\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == civil(1970, 11, 26, 16, 50, 0, 700000));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	span_is(run.rec[0].start, "SIP/2.0 180 Ringing");
	run_done(&run);

	/* A record that ends one message and starts the next. */
	run_str(&run, "audiocodes",
	    AC("30", "t:1", AC_IN "#012SIP/2.0 200 OK#012Call-ID: m1#012"
	    "Content-Length: 10#012#012v=0#012", "01.000")
	    AC("31", "t:1", "o=-#012 " AC_OUT "#012ACK sip:x SIP/2.0#012"
	    "Call-ID: m1#012Content-Length: 0#012#012", "01.100"));
	ck_assert_uint_eq(run.n, 2);
	text_is(&run.rec[0], "SIP/2.0 200 OK" CRLF "Call-ID: m1" CRLF
	    "Content-Length: 10" CRLF CRLF "v=0" CRLF "o=-" CRLF);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[1].line, 2);
	span_is(run.rec[1].start, "ACK sip:x SIP/2.0");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	run_done(&run);

	/* A collector that kept the line breaks. */
	run_str(&run, "audiocodes", "Nov 26 16:50:00 sbc [S=20] [SID=b] "
	    "(N 5)  ---- Incoming SIP Message from 10.1.1.5:5060 to "
	    "SIPInterface #0 (PBX) UDP TO(#0) SocketID(0) ----\n"
	    "OPTIONS sip:sbc SIP/2.0\n"
	    "Call-ID: n1\n"
	    "Content-Length: 0\n"
	    "\n"
	    " [Time:26-11@16:50:00.100]\n"
	    "Nov 26 16:50:01 host other: not the SBC\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.rec[0].line, 1);
	text_is(&run.rec[0], "OPTIONS sip:sbc SIP/2.0" CRLF "Call-ID: n1" CRLF
	    "Content-Length: 0" CRLF CRLF);
	span_is(run.rec[0].src, "10.1.1.5:5060");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	/* No [Time:] tail: the syslog line's own time. */
	ck_assert(run.rec[0].time == civil(1970, 11, 26, 16, 50, 0, 0));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	run_done(&run);

	/* As the Syslog Viewer shows it. */
	run_str(&run, "audiocodes", "16:50:02.125: 192.0.2.50: NOTICE: "
	    "[S=21] [SID=c] " AC_OUT "#012ACK sip:x SIP/2.0#012Call-ID: n2"
	    "#012#012\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 16, 50, 2, 125000));
	ck_assert_int_eq(run.rec[0].time_prec, 3);
	span_is(run.rec[0].dst, "10.1.1.5:5060");
	run_done(&run);

	/* The Syslog Viewer gives a time of day: past midnight, the next
	 * day. */
	run_str(&run, "audiocodes", "23:59:59.900: 192.0.2.50: NOTICE: "
	    "[S=21] [SID=c] " AC_OUT "#012ACK sip:x SIP/2.0#012Call-ID: n2"
	    "#012#012\n"
	    "00:00:00.100: 192.0.2.50: NOTICE: "
	    "[S=22] [SID=d] " AC_OUT "#012ACK sip:x SIP/2.0#012Call-ID: n3"
	    "#012#012\n");
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 23, 59, 59, 900000));
	ck_assert(run.rec[1].time == civil(1970, 1, 2, 0, 0, 0, 100000));
	ck_assert_int_eq(run.rec[1].has_date, 0);
	run_done(&run);

	/* An ISO stamp's offset makes the time UTC: the stamp's own where
	 * there is no [Time:] tail; the tail's where the device's clock
	 * agrees with the stamp's, and in its own zone (UTC here) where it
	 * is hours off from it, to the quarter hour. */
	run_str(&run, "audiocodes", "2026-11-26T17:50:00.250+01:00 sbc "
	    "[S=40] [SID=z1] " AC_OUT "#012ACK sip:x SIP/2.0#012Call-ID: z1"
	    "#012Content-Length: 0#012#012\n"
	    "2026-11-26T17:50:01.010+01:00 sbc [S=41] [SID=z2] " AC_OUT
	    "#012ACK sip:x SIP/2.0#012Call-ID: z2#012Content-Length: 0"
	    "#012#012 [Time:26-11@17:50:01.000]\n"
	    "2026-11-26T11:50:02.010-05:00 sbc [S=42] [SID=z3] " AC_OUT
	    "#012ACK sip:x SIP/2.0#012Call-ID: z3#012Content-Length: 0"
	    "#012#012 [Time:26-11@16:50:02.000]\n");
	ck_assert_uint_eq(run.n, 3);
	ck_assert(run.rec[0].time == civil(2026, 11, 26, 16, 50, 0, 250000));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	ck_assert(run.rec[1].time == civil(2026, 11, 26, 16, 50, 1, 0));
	ck_assert(run.rec[2].time == civil(2026, 11, 26, 16, 50, 2, 0));
	run_done(&run);

	run_str(&run, "audiocodes", "[S=1] (N 1) nothing\n");
	ck_assert_int_eq(run.rc, -1);
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ fixtures */

struct fixture {
	const char *file;	/* under tests/data/fmt */
	const char *fmt;
	size_t records;
};

static const struct fixture fixtures[] = {
	{ "linphone-desktop.log", "linphone", 11 },
	{ "linphone-logcat.log", "linphone", 11 },
	{ "linphone-midnight.log", "linphone", 4 },
	{ "cisco-cube.log", "cisco", 11 },
	{ "cisco-ios12.log", "cisco", 4 },
	{ "sipe-pidgin.log", "sipe", 11 },
	{ "kamailio-sipdump.txt", "kamailio", 11 },
	{ "kamailio-debug.log", "kamailio", 11 },
	{ "kamailio-syslog-rsyslog.log", "kamailio-syslog", 11 },
	{ "baresip-trace.log", "baresip", 11 },
	{ "baresip-midnight.log", "baresip", 4 },
	{ "audiocodes-syslog.log", "audiocodes", 11 },
	{ "audiocodes-midnight.log", "audiocodes", 4 },
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

static const char *const my_formats[] = {
	"linphone", "cisco", "sipe", "kamailio", "kamailio-syslog", "baresip",
	"audiocodes",
};
#define NMINE (sizeof my_formats / sizeof my_formats[0])

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

/* Every record read again from its offset and line, as the engine does;
 * for a transform, from the canonical records. */
START_TEST(test_fixture_restart)
{
	const struct fixture *fx = &fixtures[_i];
	char *name = xasprintf("fmt/%s", fx->file);
	struct source *src = open_data(name);
	const struct rd_format *f = reader_by_name(fx->fmt);
	struct run run;
	struct reader *r;
	struct rd_record again;
	size_t i;

	run_fmt(&run, fx->fmt, src->data, src->len);
	ck_assert_uint_eq(run.n, fx->records);
	for (i = 0; i < run.n; i++) {
		struct rd_record *rec = &run.rec[i];

		ck_assert_int_eq(rec->kind, REC_SIP);
		ck_assert_uint_eq(rec->flags & RECF_TRUNCATED, 0);
		ck_assert_uint_gt(rec->start.n, 0);
		if (f->transform != NULL)
			r = reader_new(&rd_canon_format, run.canon.buf,
			    run.canon.len);
		else
			r = reader_new(f, src->data, src->len);
		r->pos = rec->off;
		r->line = rec->line;
		ck_assert_int_eq(reader_next(r, &again), 1);
		ck_assert_uint_eq(again.off, rec->off);
		ck_assert_uint_eq(again.len, rec->len);
		ck_assert_uint_eq(again.line, rec->line);
		ck_assert(again.time == rec->time);
		ck_assert_int_eq(again.time_prec, rec->time_prec);
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
	/* Lines go forward (one read may hold several messages). */
	for (i = 1; i < run.n; i++) {
		if (strcmp(fx->fmt, "audiocodes") != 0)
			ck_assert_uint_ge(run.rec[i].line,
			    run.rec[i - 1].line);
	}
	run_done(&run);
	source_free(src);
	free(name);
}
END_TEST

/* The whole path: probe, transform, index, re-read, record text. */
START_TEST(test_fixture_engine)
{
	const struct fixture *fx = &fixtures[_i];
	char *name = xasprintf("fmt/%s", fx->file), *err = NULL;
	struct source *src = open_data(name);
	struct engine *e = engine_new();
	struct rd_record rec;
	struct sipmsg m;
	struct span t;
	size_t i, n, sdp = 0;

	ck_assert_int_eq(engine_add_mem(e, fx->file, src->data, src->len,
	    NULL, &err), 0);
	ck_assert_str_eq(engine_file(e, 0)->fmt->name, fx->fmt);
	engine_run(e);
	n = msgindex_count(engine_index(e));
	ck_assert_uint_eq(n, fx->records);
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof m);
		ck_assert_int_eq(engine_message(e, (uint32_t)i, &rec, &m), 0);
		ck_assert_int_ne(m.kind, SIP_INVALID);
		ck_assert_uint_gt(m.call_id.n, 0);
		ck_assert_uint_eq(m.flags & RECF_BAD_HEADER, 0);
		t = engine_record_text(e, (uint32_t)i);
		ck_assert(t.n > rec.start.n + 2);
		if (engine_file(e, 0)->canon) {
			/* A rebuilt message reads as the message: its start
			 * line, the headers on their own lines, the body. */
			ck_assert(memcmp(t.p, rec.start.p, rec.start.n) == 0);
			ck_assert(t.p[rec.start.n] == '\r' ||
			    t.p[rec.start.n] == '\n');
		} else {
			/* The record as it stands in the log, framing and
			 * all. */
			ck_assert(rec.start.p >= t.p && rec.start.p +
			    rec.start.n <= t.p + t.n);
		}
		ck_assert(span_ifind(t, "\nCall-ID: ", 10) > 0);
		if (rec.body.n > 0) {
			if (engine_file(e, 0)->canon)
				ck_assert(t.p + t.n == rec.body.p + rec.body.n);
			ck_assert(span_ifind(t, "\nv=0", 4) > 0);
			ck_assert(span_ifind(rec.body, "a=sendrecv", 10) > 0);
			sdp++;
		}
		sipmsg_clear(&m);
	}
	if (fx->records == 11)
		ck_assert_uint_eq(sdp, 2);
	engine_free(e);
	source_free(src);
	free(name);
}
END_TEST

static int
mine(const char *fmt)
{
	size_t k;

	for (k = 0; k < NMINE; k++) {
		if (strcmp(my_formats[k], fmt) == 0)
			return 1;
	}
	return 0;
}

/* Probes every file under dir: a fixture named after one of these formats
 * is that format's, and no other file is taken for one of them. */
static void
probe_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	struct source *src;
	char *path, *err = NULL;
	const struct rd_format *f;
	const char *want;
	size_t k, fl;
	int score;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		src = source_open(path, &err);
		if (src == NULL) {
			/* A directory. */
			free(err);
			err = NULL;
			free(path);
			continue;
		}
		/* Fixtures are named FORMAT-VARIANT: the longest format
		 * name that fits. */
		want = NULL;
		for (k = 0; k < NMINE; k++) {
			fl = strlen(my_formats[k]);
			if (strncmp(de->d_name, my_formats[k], fl) == 0 &&
			    de->d_name[fl] == '-' && (want == NULL ||
			    fl > strlen(want)))
				want = my_formats[k];
		}
		for (k = 0; k < NMINE; k++) {
			f = reader_by_name(my_formats[k]);
			score = f->probe(src->data, src->len < 8192 ?
			    src->len : 8192);
			if (want != NULL && strcmp(want, f->name) == 0) {
				ck_assert_msg(score >= 50, "%s: %s %d", path,
				    f->name, score);
				f = reader_probe(src->data, src->len);
				ck_assert_msg(f != NULL && strcmp(f->name,
				    my_formats[k]) == 0, "%s: taken for %s",
				    path, f != NULL ? f->name : "none");
			} else
				ck_assert_msg(score == 0, "%s: %s %d", path,
				    f->name, score);
		}
		f = reader_probe(src->data, src->len < 8192 ? src->len : 8192);
		if (f != NULL && mine(f->name))
			ck_assert_msg(want != NULL && strcmp(want, f->name) ==
			    0, "%s taken for %s", path, f->name);
		source_free(src);
		free(path);
	}
	closedir(dp);
}

START_TEST(test_probes)
{
	static const char plain[] = "hello world\nthis is a README\n"
	    "#\nUDP is a protocol -> yes\nSent:\nReceived:\n"
	    "MESSAGE START here\n====================\n[S=1] (N 1) x\n";
	size_t k;

	static const struct {
		const char *fmt, *text;
	} startup[] = {
		/* Long start-ups: no message in the first kilobytes, only
		 * the tool's own log lines. */
		{ "linphone", "[2026-11-26 16:00:00:001][Message]Core:"
		    "belle-sip: belle_sip_stack_new()\n" },
		{ "sipe", "(16:20:00) sipe: sipe_core_allocate\n"
		    "(16:20:00) sipe: sipe_cert_crypto_init\n"
		    "(16:20:00) sipe: transport_connect\n" },
		{ "baresip", "baresip v3.10.1 Copyright (C) 2010 - 2024\n" },
		{ "audiocodes", "[S=1] [SID=3c:61:1] (N 1) (lgr_flow)(1) a\n"
		    "[S=2] [SID=3c:61:1] (N 2) (lgr_flow)(2) b\n"
		    "[S=3] [SID=3c:61:2] (N 3) (lgr_sbc)(3) c\n" },
	};
	const struct rd_format *f;

	for (k = 0; k < sizeof startup / sizeof startup[0]; k++) {
		f = reader_probe(startup[k].text, strlen(startup[k].text));
		ck_assert_ptr_nonnull(f);
		ck_assert_str_eq(f->name, startup[k].fmt);
	}
	probe_dir(TEST_DATA);
	probe_dir(TEST_DATA "/fmt");
	for (k = 0; k < NMINE; k++)
		ck_assert_int_eq(reader_by_name(my_formats[k])->probe(plain,
		    sizeof plain - 1), 0);
	ck_assert_ptr_null(reader_probe(plain, sizeof plain - 1));
}
END_TEST

/* Cut at many places and damaged at random: every format reads to the
 * end without a fault (the sanitizer build checks the memory). */
START_TEST(test_robust)
{
	const struct fixture *fx = &fixtures[_i];
	char *name = xasprintf("fmt/%s", fx->file);
	struct source *src = open_data(name);
	struct run run;
	char *buf = xmalloc(src->len + 1);
	size_t cut, step, k, j;
	unsigned long seed = 12345;
	static const char noise[] = "\r\n#012[]:-|~=\x1b<>0 SIP/2.0";

	step = src->len / 150 + 1;
	for (cut = 0; cut <= src->len; cut += step) {
		for (k = 0; k < NMINE; k++) {
			run_fmt(&run, my_formats[k], src->data, cut);
			run_done(&run);
		}
	}
	for (j = 0; j < 60; j++) {
		memcpy(buf, src->data, src->len);
		for (k = 0; k < 12; k++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % src->len] =
			    noise[(seed >> 20) % (sizeof noise - 1)];
		}
		run_fmt(&run, fx->fmt, buf, src->len);
		run_done(&run);
	}
	free(buf);
	source_free(src);
	free(name);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("formats_b");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_linphone_stream);
	tcase_add_test(tc, test_linphone_bare);
	tcase_add_test(tc, test_linphone_midnight);
	tcase_add_test(tc, test_cisco);
	tcase_add_test(tc, test_sipe);
	tcase_add_test(tc, test_kamailio_dump);
	tcase_add_test(tc, test_kamailio_debug);
	tcase_add_test(tc, test_kamailio_syslog);
	tcase_add_test(tc, test_baresip);
	tcase_add_test(tc, test_baresip_midnight);
	tcase_add_test(tc, test_audiocodes);
	tcase_add_loop_test(tc, test_fixture_restart, 0, NFIXTURES);
	tcase_add_loop_test(tc, test_fixture_engine, 0, NFIXTURES);
	tcase_add_test(tc, test_probes);
	tcase_add_loop_test(tc, test_robust, 0, NFIXTURES);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
