/* Unit tests for rd_syslog: logs read through syslog and journal prefixes
 * (BSD, RFC 3339, journalctl's outputs), journal entries over several
 * lines, rsyslog's "#012", the file's line numbers, the prefix's time, and
 * what the probe leaves to other formats. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "helpers.h"
#include "rd_common.h"
#include "source.h"
#include "util.h"

#define CRLF "\r\n"

static void
run_len(struct test_transform *run, const char *data, size_t len)
{
	test_transform_run(run, "syslog", data, len);
}

static void
run_all(struct test_transform *run, const char *data)
{
	run_len(run, data, strlen(data));
}

static void
run_done(struct test_transform *run)
{
	test_transform_done(run);
}

static void
span_is(struct span sp, const char *want)
{
	size_t n = strlen(want);

	if (sp.n != n || (n != 0 && memcmp(sp.p, want, n) != 0))
		ck_abort_msg("span [%.*s] (%zu) != [%s] (%zu)", (int)sp.n,
		    sp.p != NULL ? sp.p : "", sp.n, want, n);
}

/* The message as the engine shows it: start line to the end of the body. */
static void
text_is(const struct rd_record *rec, const char *want)
{
	span_is((struct span){ rec->start.p, (size_t)(rec->body.p +
	    rec->body.n - rec->start.p) }, want);
}

static int
has_warning(const struct reader *r, uint32_t line, const char *part)
{
	size_t i;

	for (i = 0; i < r->nwarnings; i++) {
		if (r->warnings[i].line == line &&
		    strstr(r->warnings[i].msg, part) != NULL)
			return 1;
	}
	return 0;
}

static int
probe(const char *s)
{
	const struct rd_format *f = reader_by_name("syslog");

	ck_assert_ptr_nonnull(f);
	return f->probe(s, strlen(s));
}

/* journalctl -u asterisk of "asterisk -f" with chan_sip debug: the
 * journal's banner, another program's line inside a message, New Year. */
static const char ast_bsd[] =
	"-- Logs begin at Wed 2025-12-31 08:00:01 CET. --\n"		/* 1 */
	"Dec 31 23:59:59 pbx asterisk[2270]: \n"
	"Dec 31 23:59:59 pbx asterisk[2270]: <--- SIP read from "
	"UDP:198.51.100.23:5060 --->\n"
	"Dec 31 23:59:59 pbx asterisk[2270]: OPTIONS sip:a SIP/2.0\n"
	"Dec 31 23:59:59 pbx systemd[1]: Starting logrotate.service\n"	/* 5 */
	"Dec 31 23:59:59 pbx asterisk[2270]: Call-ID: a1\n"
	"Dec 31 23:59:59 pbx asterisk[2270]: Content-Length: 0\n"
	"Dec 31 23:59:59 pbx asterisk[2270]: \n"
	"Dec 31 23:59:59 pbx asterisk[2270]: <------------->\n"
	"Jan  1 00:00:01 pbx asterisk[2270]: <--- Transmitting (no NAT) "	/* 10 */
	"to 198.51.100.23:5060 --->\n"
	"Jan  1 00:00:01 pbx asterisk[2270]: SIP/2.0 200 OK\n"
	"Jan  1 00:00:01 pbx asterisk[2270]: Call-ID: a1\n"
	"Jan  1 00:00:01 pbx asterisk[2270]: Content-Length: 0\n"
	"Jan  1 00:00:01 pbx asterisk[2270]:\n"
	"Jan  1 00:00:01 pbx asterisk[2270]: <------------>\n";	/* 15 */

START_TEST(test_bsd_asterisk)
{
	struct test_transform run;

	ck_assert_int_ge(probe(ast_bsd), 90);
	/* Bare, the asterisk reader finds nothing it can read in it. */
	run_all(&run, ast_bsd);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	/* A block's record starts at its "<---" line. */
	ck_assert_uint_eq(run.rec[0].line, 3);
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0\nCall-ID: a1\n"
	    "Content-Length: 0\n\n");
	span_is(run.rec[0].src, "198.51.100.23:5060");
	ck_assert_int_eq(run.rec[0].dir, DIR_IN);
	/* No year: 1970 with the month and day, then on past New Year. */
	ck_assert(run.rec[0].time == time_from_civil(1970, 12, 31, 23, 59, 59,
	    0));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_int_eq(run.rec[0].time_prec, 0);
	ck_assert_uint_eq(run.rec[1].line, 10);
	ck_assert(run.rec[1].time == time_from_civil(1971, 1, 1, 0, 0, 1, 0));
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	span_is(run.rec[1].dst, "198.51.100.23:5060");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	/* The banner and the other program's line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	run_done(&run);
}
END_TEST

/* journalctl -o short-iso, older (+0100) and newer (+01:00) zones, and
 * rsyslog's RFC 3339 with a fraction: res_pjsip's logger. */
START_TEST(test_iso_pjsip)
{
	static const char iso[] =
	    "2025-03-11T09:15:11+0100 pbx asterisk[1874]: <--- Received SIP "
	    "request (60 bytes) from UDP:198.51.100.23:5060 --->\n"
	    "2025-03-11T09:15:11+0100 pbx asterisk[1874]: OPTIONS sip:a "
	    "SIP/2.0\n"
	    "2025-03-11T09:15:11+0100 pbx asterisk[1874]: Call-ID: p1\n"
	    "2025-03-11T09:15:11+0100 pbx asterisk[1874]: Content-Length: 0\n"
	    "2025-03-11T09:15:11+0100 pbx asterisk[1874]: \n"
	    "2025-03-11T09:15:12.250+01:00 pbx asterisk[1874]: <--- "
	    "Transmitting SIP response (40 bytes) to "
	    "UDP:198.51.100.23:5060 --->\n"
	    "2025-03-11T09:15:12.250+01:00 pbx asterisk[1874]: SIP/2.0 200 "
	    "OK\n"
	    "2025-03-11T09:15:12.250+01:00 pbx asterisk[1874]: Call-ID: p1\n"
	    "2025-03-11T09:15:12.250+01:00 pbx asterisk[1874]: "
	    "Content-Length: 0\n"
	    "2025-03-11T09:15:12.250+01:00 pbx asterisk[1874]: \n";
	struct test_transform run;

	ck_assert_int_ge(probe(iso), 90);
	run_all(&run, iso);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 1);
	/* The stamp's offset applied: UTC. */
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 8, 15, 11,
	    0));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	ck_assert_int_eq(run.rec[0].dir, DIR_IN);
	ck_assert_uint_eq(run.rec[1].line, 6);
	ck_assert(run.rec[1].time == time_from_civil(2025, 3, 11, 8, 15, 12,
	    250000));
	ck_assert_int_eq(run.rec[1].time_prec, 3);
	ck_assert_int_eq(run.rec[1].dir, DIR_OUT);
	text_is(&run.rec[1], "SIP/2.0 200 OK\nCall-ID: p1\n"
	    "Content-Length: 0\n\n");
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);

	/* A byte order mark first: the first message keeps its time. */
	{
		char bom[sizeof iso + 3];

		memcpy(bom, "\xef\xbb\xbf", 3);
		memcpy(bom + 3, iso, sizeof iso);
		run_all(&run, bom);
		ck_assert_uint_eq(run.n, 2);
		ck_assert_uint_eq(run.rec[0].line, 1);
		ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 8,
		    15, 11, 0));
		ck_assert_uint_eq(run.r->nwarnings, 0);
		run_done(&run);
	}
}
END_TEST

/* pjsua logs a message in one call: journalctl indents the entry's other
 * lines under its first; the log's time of day goes on the prefix's date,
 * also when the two clocks are either side of a midnight. */
static const char pjsua_journal[] =
	"2025-03-11T00:00:00.100000+01:00 pc pjsua[77]: 23:59:59.900 "	/* 1 */
	"pjsua_core.c  .TX 60 bytes Request msg OPTIONS/cseq=1 (tdta1) to "
	"UDP 192.0.2.10:5060:\n"
	"                                               OPTIONS sip:a "
	"SIP/2.0\n"
	"                                               Call-ID: j1\n"
	"                                               Content-Length: 0\n"
	"\n"								/* 5 */
	"                                               --end msg--\n"
	"2025-03-11T00:00:00.200000+01:00 pc pjsua[77]: 00:00:00.150 "
	"pjsua_core.c  .RX 40 bytes Response msg 200/OPTIONS/cseq=1 (rdata1) "
	"from UDP 192.0.2.10:5060:\n"
	"2025-03-11T00:00:00.200000+01:00 pc pjsua[77]: SIP/2.0 200 OK\n"
	"2025-03-11T00:00:00.200000+01:00 pc pjsua[77]: Call-ID: j1\n"
	"2025-03-11T00:00:00.200000+01:00 pc pjsua[77]: Content-Length: 0\n"
	"2025-03-11T00:00:00.200000+01:00 pc pjsua[77]: \n"
	"2025-03-11T00:00:00.200000+01:00 pc pjsua[77]: --end msg--\n";

START_TEST(test_journal_entry)
{
	struct test_transform run;

	ck_assert_int_ge(probe(pjsua_journal), 90);
	run_all(&run, pjsua_journal);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 1);
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0\nCall-ID: j1\n"
	    "Content-Length: 0\n\n");
	/* In UTC: the prefix's offset, +01:00, applies to the log's own
	 * time of day, which agrees with the prefix's clock. */
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 10, 22, 59, 59,
	    900000));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	ck_assert_int_eq(run.rec[0].time_prec, 3);
	ck_assert_uint_eq(run.rec[1].line, 7);
	ck_assert(run.rec[1].time == time_from_civil(2025, 3, 10, 23, 0, 0,
	    150000));
	ck_assert_uint_eq(run.rec[1].flags, 0);
	run_done(&run);
}
END_TEST

/* rsyslog writes a log call's line breaks "#012": one file line holds the
 * whole message; the records after it keep their own lines, and a warning
 * about the inner log names the file's line. */
static const char joined[] =
	"Mar 11 09:15:12 pc pjsua[77]: 09:15:12.100 pjsua_core.c  .TX 60 "
	"bytes Request msg OPTIONS/cseq=1 (tdta1) to UDP "
	"192.0.2.10:5060:#012OPTIONS sip:a SIP/2.0#015#012Call-ID: r1"
	"#015#012Content-Length: 0#015#012#015#012#012--end msg--\n"
	"Mar 11 09:15:12 pc pjsua[77]: 09:15:12.200 pjsua_core.c  Ready\n"
	"Mar 11 09:15:13 pc pjsua[77]: 09:15:13.300 pjsua_core.c  .RX 40 "
	"bytes Response msg 200/OPTIONS/cseq=1 (rdata1) from UDP "
	"192.0.2.10:5060:#012SIP/2.0 200 OK#012Call-ID: r1#012"
	"Content-Length: 0#012#012--end msg--\n"
	"Mar 11 09:15:14 pc pjsua[77]: 09:15:14.000 pjsua_core.c  .RX 40 "
	"bytes Response msg 200/OPTIONS/cseq=1 (rdata2) from UDP "
	"192.0.2.10:5060:#012SIP/2.0 200 OK#012Call-ID: r1#012"
	"Content-Length: 10#012#012abc\n";

START_TEST(test_rsyslog_joined)
{
	struct test_transform run;

	ck_assert_int_ge(probe(joined), 90);
	run_all(&run, joined);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 1);
	/* CR and LF come back from #015 and #012. */
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0" CRLF "Call-ID: r1" CRLF
	    "Content-Length: 0" CRLF CRLF);
	ck_assert(run.rec[0].time == time_from_civil(1970, 3, 11, 9, 15, 12,
	    100000));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_uint_eq(run.rec[1].line, 3);
	span_is(run.rec[1].start, "SIP/2.0 200 OK");
	ck_assert_uint_eq(run.rec[2].line, 4);
	ck_assert(run.rec[2].flags & RECF_TRUNCATED);
	ck_assert(has_warning(run.r, 4, "cut short"));
	run_done(&run);
}
END_TEST

/* journalctl -o short-full and -o short-unix (UTC seconds). */
START_TEST(test_other_stamps)
{
	static const char full[] =
	    "Tue 2025-03-11 09:15:12 CET pbx pjsua[77]: 09:15:12.100 "
	    "pjsua_core.c  .RX 40 bytes Response msg 200/OPTIONS/cseq=1 "
	    "(rdata1) from UDP 192.0.2.10:5060:\n"
	    "Tue 2025-03-11 09:15:12 CET pbx pjsua[77]: SIP/2.0 200 OK\n"
	    "Tue 2025-03-11 09:15:12 CET pbx pjsua[77]: Call-ID: f1\n"
	    "Tue 2025-03-11 09:15:12 CET pbx pjsua[77]: Content-Length: 0\n"
	    "Tue 2025-03-11 09:15:12 CET pbx pjsua[77]: \n"
	    "Tue 2025-03-11 09:15:12 CET pbx pjsua[77]: --end msg--\n";
	static const char unix_[] =
	    "1741684512.250000 pbx asterisk[9]: <--- SIP read from "
	    "UDP:198.51.100.23:5060 --->\n"
	    "1741684512.250000 pbx asterisk[9]: OPTIONS sip:a SIP/2.0\n"
	    "1741684512.250000 pbx asterisk[9]: Call-ID: u1\n"
	    "1741684512.250000 pbx asterisk[9]: \n"
	    "1741684512.250000 pbx asterisk[9]: <------------->\n";
	struct test_transform run;

	run_all(&run, full);
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 9, 15, 12,
	    100000));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	run_done(&run);
	run_all(&run, unix_);
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 9, 15, 12,
	    250000));
	ck_assert_int_eq(run.rec[0].time_prec, 6);
	run_done(&run);

	/* A UTC stamp beside a log that writes local time (UTC+1): the
	 * log's time is taken in the zone that puts it nearest the stamp,
	 * so it is UTC too. */
	run_all(&run, "1741684512.250000 pbx pjsua[77]: 10:15:12.100 "
	    "pjsua_core.c  .RX 40 bytes Response msg 200/OPTIONS/cseq=1 "
	    "(rdata1) from UDP 192.0.2.10:5060:\n"
	    "1741684512.250000 pbx pjsua[77]: SIP/2.0 200 OK\n"
	    "1741684512.250000 pbx pjsua[77]: Call-ID: f1\n"
	    "1741684512.250000 pbx pjsua[77]: Content-Length: 0\n"
	    "1741684512.250000 pbx pjsua[77]: \n"
	    "1741684512.250000 pbx pjsua[77]: --end msg--\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 9, 15, 12,
	    100000));
	ck_assert_int_eq(run.rec[0].has_date, 1);
	ck_assert_int_eq(run.rec[0].tod_only, 0);
	run_done(&run);
	/* The same with short-full's UTC. */
	run_all(&run, "Tue 2025-03-11 09:15:12 UTC pbx pjsua[77]: 10:15:12.100 "
	    "pjsua_core.c  .RX 40 bytes Response msg 200/OPTIONS/cseq=1 "
	    "(rdata1) from UDP 192.0.2.10:5060:\n"
	    "Tue 2025-03-11 09:15:12 UTC pbx pjsua[77]: SIP/2.0 200 OK\n"
	    "Tue 2025-03-11 09:15:12 UTC pbx pjsua[77]: Call-ID: f1\n"
	    "Tue 2025-03-11 09:15:12 UTC pbx pjsua[77]: Content-Length: 0\n"
	    "Tue 2025-03-11 09:15:12 UTC pbx pjsua[77]: \n"
	    "Tue 2025-03-11 09:15:12 UTC pbx pjsua[77]: --end msg--\n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 9, 15, 12,
	    100000));
	run_done(&run);
}
END_TEST

/* RFC 5424 headers (rsyslog's RSYSLOG_SyslogProtocol23Format, syslog-ng),
 * structured data or none, a BOM before the message; a "<PRI>" kept
 * before a BSD line. */
START_TEST(test_rfc5424)
{
	static const char r5424[] =
	    "<29>1 2025-03-11T09:15:12.250Z pbx asterisk 1874 - - <--- "
	    "Received SIP request (40 bytes) from UDP:198.51.100.23:5060 "
	    "--->\n"
	    "<29>1 2025-03-11T09:15:12.250Z pbx asterisk 1874 - "
	    "[meta x=\"a\\]b\"][origin ip=\"192.0.2.10\"] OPTIONS sip:a "
	    "SIP/2.0\n"
	    "<29>1 2025-03-11T09:15:12.250Z pbx asterisk 1874 - - "
	    "\xef\xbb\xbf" "Call-ID: q1\n"
	    "<29>1 2025-03-11T09:15:12.250Z pbx asterisk 1874 - -\n"
	    "<29>1 2025-03-11T09:15:12.250Z pbx asterisk 1874 - - <--- "
	    "Transmitting SIP response (40 bytes) to "
	    "UDP:198.51.100.23:5060 --->\n"
	    "<29>1 2025-03-11T09:15:12.251Z pbx asterisk 1874 - - SIP/2.0 "
	    "200 OK\n"
	    "<29>1 2025-03-11T09:15:12.251Z pbx asterisk 1874 - - Call-ID: "
	    "q1\n"
	    "<30>1 2025-03-11T09:15:12.251Z pbx systemd 1 - - Started x\n"
	    "<29>1 2025-03-11T09:15:12.251Z pbx asterisk 1874 - -\n";
	static const char pri[] =
	    "<29>Mar 11 09:15:12 pbx asterisk[1874]: <--- SIP read from "
	    "UDP:198.51.100.23:5060 --->\n"
	    "<29>Mar 11 09:15:12 pbx asterisk[1874]: OPTIONS sip:a SIP/2.0\n"
	    "<29>Mar 11 09:15:12 pbx asterisk[1874]: Call-ID: u1\n"
	    "<29>Mar 11 09:15:12 pbx asterisk[1874]: \n"
	    "<29>Mar 11 09:15:12 pbx asterisk[1874]: <------------->\n";
	struct test_transform run;

	ck_assert_int_ge(probe(r5424), 90);
	run_all(&run, r5424);
	ck_assert_uint_eq(run.n, 2);
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0\nCall-ID: q1\n\n");
	ck_assert(run.rec[0].time == time_from_civil(2025, 3, 11, 9, 15, 12,
	    250000));
	ck_assert_uint_eq(run.rec[1].line, 5);
	text_is(&run.rec[1], "SIP/2.0 200 OK\nCall-ID: q1\n\n");
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	run_done(&run);
	ck_assert_int_ge(probe(pri), 90);
	run_all(&run, pri);
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == time_from_civil(1970, 3, 11, 9, 15, 12,
	    0));
	run_done(&run);
	/* A syslogd that writes no host (under ASan and UBSan: none is
	 * compared as a NULL pointer). */
	run_all(&run, "Mar 11 09:15:12 asterisk[1874]: <--- SIP read from "
	    "UDP:198.51.100.23:5060 --->\n"
	    "Mar 11 09:15:12 asterisk[1874]: OPTIONS sip:a SIP/2.0\n"
	    "Mar 11 09:15:12 asterisk[1874]: Call-ID: n1\n"
	    "Mar 11 09:15:12 asterisk[1874]: \n");
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].start, "OPTIONS sip:a SIP/2.0");
	run_done(&run);
	/* A day not padded to two places. */
	run_all(&run, "Mar 1 09:15:12 pbx asterisk[1874]: <--- SIP read from "
	    "UDP:198.51.100.23:5060 --->\n"
	    "Mar 1 09:15:12 pbx asterisk[1874]: OPTIONS sip:a SIP/2.0\n"
	    "Mar 1 09:15:12 pbx asterisk[1874]: Call-ID: u1\n"
	    "Mar 1 09:15:12 pbx asterisk[1874]: \n");
	ck_assert_uint_eq(run.n, 1);
	ck_assert(run.rec[0].time == time_from_civil(1970, 3, 1, 9, 15, 12,
	    0));
	run_done(&run);
}
END_TEST

/* syslog-ng writes a message's line breaks as they are: the lines after a
 * prefixed one, up to the next prefix, are the entry's (Asterisk's syslog
 * channel here); journalctl's "-- Boot --" lines are not. The program
 * read is the one whose entry holds the SIP message, though another logs
 * more lines. */
START_TEST(test_raw_lines)
{
	static const char ng[] =
	    "Mar 11 09:15:11 pbx systemd[1]: Starting asterisk.service\n"	/* 1 */
	    "Mar 11 09:15:11 pbx systemd[1]: Started asterisk.service\n"
	    "Mar 11 09:15:11 pbx systemd[1]: Reached target multi-user\n"
	    "Mar 11 09:15:12 pbx asterisk[2270]: VERBOSE[2291][C-00000001]: "
	    "chan_sip.c:29262 in handle_request_do: \n"
	    "<--- SIP read from UDP:198.51.100.23:5060 --->\n"	/* 5 */
	    "OPTIONS sip:a SIP/2.0\r\n"
	    "Call-ID: g1\r\n"
	    "Content-Length: 0\r\n"
	    "\r\n"
	    "<------------->\n"					/* 10 */
	    "-- Boot 0c1d2e3f4a5b6c7d8e9f --\n"
	    "Mar 11 09:15:13 pbx asterisk[2270]: VERBOSE[2291][C-00000001]: "
	    "chan_sip.c:3864 in __sip_xmit: \n"
	    "<--- Transmitting (no NAT) to 198.51.100.23:5060 --->\n"
	    "SIP/2.0 200 OK\r\n"
	    "Call-ID: g1\r\n"					/* 15 */
	    "Content-Length: 0\r\n"
	    "\r\n"
	    "<------------>\n";
	struct test_transform run;

	ck_assert_ptr_eq(reader_probe(ng, strlen(ng)),
	    reader_by_name("syslog"));
	run_all(&run, ng);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 4);
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0" CRLF "Call-ID: g1" CRLF
	    "Content-Length: 0" CRLF CRLF);
	ck_assert(run.rec[0].time == time_from_civil(1970, 3, 11, 9, 15, 12,
	    0));
	ck_assert_uint_eq(run.rec[1].line, 12);
	ck_assert(run.rec[1].time == time_from_civil(1970, 3, 11, 9, 15, 13,
	    0));
	span_is(run.rec[1].start, "SIP/2.0 200 OK");
	/* systemd's three lines and the boot line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 4);
	run_done(&run);
}
END_TEST

/* A central syslog of two PBXes (one Asterisk, one through journalctl's
 * indented lines) and another program: each PBX's log is read on its own,
 * its records come in file order, and its own end, which the log does not
 * name, is named after its host. */
START_TEST(test_two_hosts)
{
	static const char two[] =
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: \n"			/* 1 */
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: <--- SIP read from "
	    "UDP:198.51.100.23:5060 --->\n"
	    "Mar 11 09:15:12 pbx2 asterisk[31]: \n"
	    "Mar 11 09:15:12 pbx2 asterisk[31]: <--- Transmitting (no NAT) "
	    "to 198.51.100.99:5060 --->\n"
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: OPTIONS sip:a SIP/2.0\n" /* 5 */
	    "Mar 11 09:15:12 pbx2 asterisk[31]: INVITE sip:b SIP/2.0\n"
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: Call-ID: a1\n"
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: Content-Length: 0\n"
	    "Mar 11 09:15:12 pbx1 sshd[77]: Accepted publickey for root\n"
	    "Mar 11 09:15:12 pbx2 asterisk[31]: Call-ID: b1\n"	/* 10 */
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: \n"
	    "Mar 11 09:15:12 pbx1 asterisk[2270]: <------------->\n"
	    "Mar 11 09:15:12 pbx2 asterisk[31]: Content-Length: 0\n"
	    "Mar 11 09:15:12 pbx2 asterisk[31]: \n"
	    "Mar 11 09:15:12 pbx2 asterisk[31]: <------------->\n"	/* 15 */
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: \n"
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: <--- Transmitting (no NAT) "
	    "to 198.51.100.23:5060 --->\n"
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: SIP/2.0 200 OK\n"
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: Call-ID: a1\n"
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: Content-Length: 0\n" /* 20 */
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: \n"
	    "Mar 11 09:15:13 pbx1 asterisk[2270]: <------------->\n";
	struct test_transform run;

	run_all(&run, two);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 2);
	text_is(&run.rec[0], "OPTIONS sip:a SIP/2.0\nCall-ID: a1\n"
	    "Content-Length: 0\n\n");
	span_is(run.rec[0].src, "198.51.100.23:5060");
	span_is(run.rec[0].dst, "pbx1");
	ck_assert_uint_eq(run.rec[1].line, 4);
	text_is(&run.rec[1], "INVITE sip:b SIP/2.0\nCall-ID: b1\n"
	    "Content-Length: 0\n\n");
	span_is(run.rec[1].src, "pbx2");
	span_is(run.rec[1].dst, "198.51.100.99:5060");
	ck_assert_uint_eq(run.rec[2].line, 17);
	span_is(run.rec[2].src, "pbx1");
	ck_assert(run.rec[2].time == time_from_civil(1970, 3, 11, 9, 15, 13,
	    0));
	/* sshd's line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	ck_assert_ptr_eq(run.r->inner, reader_by_name("asterisk"));
	run_done(&run);
}
END_TEST

/* Seventeen programs that log SIP: the first sixteen are read, and the
 * lines of the others are left out with a warning that says so. */
START_TEST(test_many_programs)
{
	struct strbuf sb;
	struct test_transform run;
	int i;

	strbuf_init(&sb);
	for (i = 0; i < 17; i++) {
		strbuf_addf(&sb, "Mar 11 09:15:%02d h%d asterisk[1]: \n"
		    "Mar 11 09:15:%02d h%d asterisk[1]: <--- SIP read from "
		    "UDP:198.51.100.%d:5060 --->\n"
		    "Mar 11 09:15:%02d h%d asterisk[1]: OPTIONS sip:a SIP/2.0\n"
		    "Mar 11 09:15:%02d h%d asterisk[1]: Call-ID: c%d\n"
		    "Mar 11 09:15:%02d h%d asterisk[1]: \n"
		    "Mar 11 09:15:%02d h%d asterisk[1]: <------------->\n",
		    i, i, i, i, i + 1, i, i, i, i, i, i, i, i, i);
	}
	test_transform_run(&run, "syslog", sb.buf, sb.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 16);
	span_is(run.rec[15].dst, "h15");
	ck_assert(has_warning(run.r, 0, "more than 16 programs: 6 lines"));
	run_done(&run);
	strbuf_free(&sb);
}
END_TEST

/* Seventeen PBXes whose pjsua logs each message as one journal entry:
 * the seventeenth's entry is its prefixed line and five more (the message,
 * a blank line in it, the end), all left out, and the warning counts all
 * six, not only the prefixed one. */
START_TEST(test_many_programs_entries)
{
	struct strbuf sb;
	struct test_transform run;
	char pre[64];
	int i, w;

	strbuf_init(&sb);
	for (i = 0; i < 17; i++) {
		/* journalctl indents the entry's other lines under its
		 * first line's text. */
		w = snprintf(pre, sizeof pre, "2025-03-11T09:15:%02d.100000"
		    "+01:00 pc%d pjsua[77]: ", i, i);
		strbuf_adds(&sb, pre);
		strbuf_addf(&sb, "09:15:%02d.090 pjsua_core.c  .TX 60 bytes "
		    "Request msg OPTIONS/cseq=1 (tdta1) to UDP 192.0.2.%d:5060:\n"
		    "%*sOPTIONS sip:a SIP/2.0\n%*sCall-ID: m%d\n"
		    "%*sContent-Length: 0\n\n%*s--end msg--\n", i, i + 1,
		    w, "", w, "", i, w, "", w, "");
	}
	test_transform_run(&run, "syslog", sb.buf, sb.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 16);
	span_is(run.rec[15].dst, "192.0.2.16:5060");
	ck_assert(has_warning(run.r, 0,
	    "more than 16 programs: 6 lines of the later ones left out"));
	ck_assert_uint_eq(run.r->stats.junk_lines, 6);
	run_done(&run);
	strbuf_free(&sb);
}
END_TEST

/* The first SIP message after the probe's 8 KiB of other programs' lines:
 * --format=syslog reads the program that logged it. */
START_TEST(test_late_start)
{
	struct strbuf log;
	struct test_transform run;
	int i;

	strbuf_init(&log);
	for (i = 0; i < 120; i++)
		strbuf_addf(&log, "Mar 11 09:15:%02d pbx systemd[1]: Started "
		    "session-%d.scope - Session %d of User root.\n", i % 60, i,
		    i);
	ck_assert_uint_gt(log.len, 8192);
	strbuf_adds(&log, ast_bsd);
	/* Too far in for the probe, as for the other formats. */
	ck_assert_ptr_null(reader_probe(log.buf, log.len));
	run_len(&run, log.buf, log.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 120 + 3);
	ck_assert_uint_eq(run.rec[1].line, 120 + 10);
	run_done(&run);
	strbuf_free(&log);
}
END_TEST

/* rsyslog joins an entry's lines with "#012" into one line of up to its
 * message size (8 KiB, raised for SIP often): a large INVITE's entry fills
 * the probe's head, whole or cut, with no second line whole after it. */
static void
long_entry(struct strbuf *log, int candidates)
{
	int i;

	strbuf_adds(log, "2025-03-11T09:15:11.205031+01:00 pbx01 "
	    "asterisk[2270]: VERBOSE[2291][C-00000001]: res_pjsip_logger.c:"
	    "108 in logging_on_rx_msg: <--- Received SIP request (9000 bytes) "
	    "from UDP:198.51.100.23:5060 --->#012INVITE sip:1002@192.0.2.10 "
	    "SIP/2.0#015#012Call-ID: big1#015#012Content-Type: application/"
	    "sdp#015#012#015#012v=0#015#012");
	for (i = 0; i < candidates; i++)
		strbuf_addf(log, "a=candidate:%d 1 udp 2122260223 192.0.2.%d "
		    "5%04d typ host generation 0#015#012", i, i % 250, i);
	strbuf_adds(log, "#012\n"
	    "2025-03-11T09:15:11.205944+01:00 pbx01 asterisk[2270]: "
	    "VERBOSE[2291][C-00000001]: res_pjsip_logger.c:108 in "
	    "logging_on_tx_msg: <--- Transmitting SIP response (60 bytes) to "
	    "UDP:198.51.100.23:5060 --->#012SIP/2.0 100 Trying#015#012"
	    "Call-ID: big1#015#012Content-Length: 0#015#012#015#012#012\n");
}

START_TEST(test_long_entry)
{
	static const int candidates[] = { 99, 150 };
	struct strbuf log;
	struct test_transform run;
	size_t i, first;

	for (i = 0; i < 2; i++) {
		strbuf_init(&log);
		long_entry(&log, candidates[i]);
		first = (size_t)((char *)memchr(log.buf, '\n', log.len) -
		    log.buf);
		/* The second entry starts in the head, or the first fills
		 * it. */
		ck_assert_uint_gt(first, i == 0 ? 7900 : 8192);
		ck_assert_uint_lt(first, i == 0 ? 8192 : 20000);
		ck_assert_ptr_eq(reader_probe(log.buf, log.len),
		    reader_by_name("syslog"));
		run_len(&run, log.buf, log.len);
		ck_assert_int_eq(run.rc, 0);
		ck_assert_uint_eq(run.n, 2);
		span_is(run.rec[0].start, "INVITE sip:1002@192.0.2.10 SIP/2.0");
		ck_assert_uint_eq(run.rec[1].line, 2);
		span_is(run.rec[1].start, "SIP/2.0 100 Trying");
		run_done(&run);
		strbuf_free(&log);
	}
}
END_TEST

/* rsyslog keeps the first 8 KiB of an entry (its default message size)
 * and drops the rest: the message, ended by the next entry, is short of
 * its Content-Length, and says so. One that lost only the line break at
 * its end, as a syslog daemon drops it, is whole. */
START_TEST(test_entry_cut)
{
	static const char pre[] =
	    "2025-03-11T09:15:11.205031+01:00 pbx01 asterisk[2270]: "
	    "VERBOSE[2291][C-00000001]: res_pjsip_logger.c:108 in "
	    "logging_on_rx_msg: <--- Received SIP request (12000 bytes) "
	    "from UDP:198.51.100.23:5060 --->#012INVITE sip:1002@192.0.2.10 "
	    "SIP/2.0#015#012Call-ID: cut1#015#012Content-Type: application/"
	    "sdp#015#012Content-Length: 11800#015#012#015#012v=0#015#012";
	static const char next[] =
	    "2025-03-11T09:15:11.205944+01:00 pbx01 asterisk[2270]: "
	    "VERBOSE[2291][C-00000001]: res_pjsip_logger.c:108 in "
	    "logging_on_tx_msg: <--- Transmitting SIP response (70 bytes) to "
	    "UDP:198.51.100.23:5060 --->#012SIP/2.0 100 Trying#015#012"
	    "Call-ID: cut1#015#012Content-Length: 7#015#012#015#012"
	    "v=0#015#012ab\n";
	struct strbuf log;
	struct test_transform run;
	int i;

	strbuf_init(&log);
	strbuf_adds(&log, pre);
	for (i = 0; log.len < 8096; i++)
		strbuf_addf(&log, "a=candidate:%d 1 udp 2122260223 192.0.2.%d "
		    "5%04d typ host generation 0#015#012", i, i % 250, i);
	log.len = 8096;
	strbuf_adds(&log, "\n");
	strbuf_adds(&log, next);
	run_len(&run, log.buf, log.len);
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[0].flags & RECF_TRUNCATED);
	ck_assert(has_warning(run.r, 1, "cut short") ||
	    has_warning(run.c, 1, "cut short"));
	/* "v=0" CRLF "ab", its last CRLF dropped: not cut. */
	ck_assert_uint_eq(run.rec[1].flags & RECF_TRUNCATED, 0);
	ck_assert(!has_warning(run.r, 2, "cut short") &&
	    !has_warning(run.c, 2, "cut short"));
	run_done(&run);
	strbuf_free(&log);
}
END_TEST

/* The probe takes syslog lines with a log it reads inside, and leaves the
 * rest to the other formats. */
START_TEST(test_probe)
{
	static const char other[] =
	    "Mar 11 09:15:12 pbx systemd[1]: Started asterisk.service.\n"
	    "Mar 11 09:15:12 pbx CRON[30112]: (root) CMD (true)\n"
	    "Mar 11 09:15:13 pbx kernel: [ 1.0] eth0: link up\n";
	static const char bare[] =
	    "<--- SIP read from UDP:198.51.100.23:5060 --->\n"
	    "OPTIONS sip:a SIP/2.0\n"
	    "Call-ID: a1\n"
	    "\n"
	    "<------------->\n";
	static const char kam[] =
	    "2026-11-26T16:35:00.000481+00:00 proxy1 kamailio[2831]: NOTICE: "
	    "<script>: X#012------------------------- START OF SIP message "
	    "debug ---#012OPTIONS sip:a SIP/2.0#015#012Call-ID: k1#015#012"
	    "#015#012------------------------------ SIP header diffs ---#012\n"
	    "2026-11-26T16:35:00.000481+00:00 proxy1 kamailio[2831]: INFO: x\n";
	struct test_transform run;

	ck_assert_int_eq(probe(other), 0);
	ck_assert_int_eq(probe(bare), 0);
	/* Kamailio's debugger blocks are kamailio-syslog's. */
	ck_assert_int_eq(probe(kam), 0);
	ck_assert_ptr_eq(reader_probe(kam, strlen(kam)),
	    reader_by_name("kamailio-syslog"));
	ck_assert_ptr_eq(reader_probe(ast_bsd, strlen(ast_bsd)),
	    reader_by_name("syslog"));
	/* Not the prefix of a syslog line. */
	ck_assert_int_eq(probe("Mar 11 09:15:12 pbx asterisk[12: x\n"
	    "Mar 11 09:15:12 pbx asterisk[12: x\n"), 0);
	/* Forced on lines with no log inside: refused, saying so. */
	run_all(&run, other);
	ck_assert_int_eq(run.rc, -1);
	ck_assert_ptr_nonnull(strstr(run.err, "systemd"));
	run_done(&run);
	run_all(&run, bare);
	ck_assert_int_eq(run.rc, -1);
	run_done(&run);
}
END_TEST

/* Every cut of the logs above, on a buffer of exactly that length, is
 * read without going past it (ASan) and without a record going back. */
START_TEST(test_cut_everywhere)
{
	const char *logs[] = { ast_bsd, pjsua_journal, joined };
	size_t i, k, cut, len;
	struct test_transform run;
	char *buf;

	for (i = 0; i < sizeof logs / sizeof logs[0]; i++) {
		len = strlen(logs[i]);
		for (cut = 0; cut <= len; cut++) {
			buf = xmalloc(cut > 0 ? cut : 1);
			memcpy(buf, logs[i], cut);
			reader_by_name("syslog")->probe(buf, cut);
			run_len(&run, buf, cut);
			for (k = 1; k < run.n; k++)
				ck_assert_uint_ge(run.rec[k].line,
				    run.rec[k - 1].line);
			run_done(&run);
			free(buf);
		}
	}
}
END_TEST

/* The fixtures, made from other fixtures by putting prefixes on their
 * lines: the same messages come out, byte for byte, as from the bare
 * log. */
struct pair {
	const char *file;	/* under tests/data/fmt */
	/* journalctl shows lines without the CR the bare log has. */
	int no_cr;
	const char *bare;	/* the log it was made from */
	const char *fmt;	/* the bare log's format */
	size_t records;
};

static const struct pair pairs[] = {
	{ "syslog-asterisk-journal.log", 1, "asterisk-console.log",
	  "asterisk", 14 },
	/* logger.conf's syslog channel: a block per line, #012, #015. */
	{ "syslog-asterisk-rsyslog.log", 0, "asterisk-console.log",
	  "asterisk", 14 },
	{ "syslog-pjsip-iso.log", 1, "pjsip-console.log", "pjsip", 11 },
	{ "syslog-freeswitch-rsyslog.log", 0, "freeswitch-new.log",
	  "freeswitch", 11 },
	/* kamailio -DD -E under systemd: its stderr, a journal entry a
	 * line, debugger blocks and all (kamailio-syslog reads the blocks
	 * joined into one entry). */
	{ "syslog-kamailio-journal.log", 1, "kamailio-debug.log", "kamailio",
	  11 },
};

/* A message's text, without its CRs when no_cr. */
static char *
text_of(const struct rd_record *rec, int no_cr)
{
	const char *p = rec->start.p, *e = rec->body.p + rec->body.n;
	char *t = xmalloc((size_t)(e - p) + 1), *q = t;

	for (; p < e; p++) {
		if (*p != '\r' || !no_cr)
			*q++ = *p;
	}
	*q = '\0';
	return t;
}

static struct source *
open_fmt(const char *name)
{
	char *path = xasprintf("%s/fmt/%s", TEST_DATA, name), *err = NULL;
	struct source *src = source_open(path, &err);

	if (src == NULL)
		ck_abort_msg("%s", err);
	free(path);
	return src;
}

/* Records of src read as format fmt, through canonical records when it
 * converts. */
static size_t
read_as(struct source *src, const char *fmt, struct strbuf *canon,
    struct rd_record *rec, size_t max, struct reader **keep)
{
	const struct rd_format *f = reader_by_name(fmt);
	struct reader *r = reader_new(f, src->data, src->len), *c = r;
	char *err = NULL;
	size_t n = 0;

	if (f->transform != NULL) {
		ck_assert_int_eq(f->transform(r, canon, &err), 0);
		c = reader_new(&rd_canon_format, canon->buf, canon->len);
		keep[1] = c;
	}
	keep[0] = r;
	while (n < max && reader_next(c, &rec[n]))
		n++;
	return n;
}

START_TEST(test_fixtures)
{
	const struct pair *px = &pairs[_i];
	struct source *a = open_fmt(px->file), *b = open_fmt(px->bare);
	struct rd_record ra[TEST_TRANSFORM_MAX], rb[TEST_TRANSFORM_MAX];
	struct reader *ka[2] = { NULL, NULL }, *kb[2] = { NULL, NULL };
	struct strbuf ca, cb;
	size_t na, nb, i, lines = 0, k;
	const char *p;
	char *ta, *tb;

	strbuf_init(&ca);
	strbuf_init(&cb);
	ck_assert_ptr_eq(reader_probe(a->data, a->len),
	    reader_by_name("syslog"));
	na = read_as(a, "syslog", &ca, ra, TEST_TRANSFORM_MAX, ka);
	nb = read_as(b, px->fmt, &cb, rb, TEST_TRANSFORM_MAX, kb);
	ck_assert_uint_eq(na, px->records);
	ck_assert_uint_eq(na, nb);
	for (i = 0; i < na; i++) {
		ta = text_of(&ra[i], px->no_cr);
		tb = text_of(&rb[i], px->no_cr);
		ck_assert_str_eq(ta, tb);
		free(ta);
		free(tb);
		ck_assert_int_eq(ra[i].dir, rb[i].dir);
		ck_assert_uint_eq(ra[i].src.n, rb[i].src.n);
		ck_assert(ra[i].src.n == 0 || memcmp(ra[i].src.p, rb[i].src.p,
		    ra[i].src.n) == 0);
		ck_assert_uint_eq(ra[i].flags, rb[i].flags);
		ck_assert(ra[i].time != TIME_NONE);
		/* Its line in the file is the bare log's line with its
		 * prefix. */
		for (p = a->data, k = 1; k < ra[i].line; p++)
			k += *p == '\n';
		ta = xstrndup(p, (size_t)(strchr(p, '\n') - p));
		ck_assert_ptr_nonnull(strstr(ta, "]: "));
		free(ta);
		lines++;
	}
	ck_assert_uint_eq(lines, px->records);
	reader_free(ka[0]);
	reader_free(ka[1]);
	reader_free(kb[0]);
	reader_free(kb[1]);
	strbuf_free(&ca);
	strbuf_free(&cb);
	source_free(a);
	source_free(b);
}
END_TEST

/* Converts data[0..len) with more(), given bytes in pieces of step (the
 * reader's data growing as a followed file's would), then ended; the
 * canonical output into out, the warnings joined into warns. With step
 * 0, the transform over it all. */
static void
pieces(const char *data, size_t len, size_t step, struct strbuf *out,
    struct strbuf *warns)
{
	const struct rd_format *f = reader_by_name("syslog");
	struct reader *r = reader_new(f, data, step == 0 ? len : 0);
	char *err = NULL;
	size_t at, i;
	int rc = 0;

	if (step == 0)
		rc = f->transform(r, out, &err);
	for (at = 0; step > 0 && at < len && rc == 0; ) {
		at = len - at < step ? len : at + step;
		r->len = at;
		rc = f->more(r, out, READER_MORE, &err);
	}
	if (step > 0 && rc == 0)
		rc = f->more(r, out, READER_END, &err);
	for (i = 0; i < r->nwarnings; i++)
		strbuf_addf(warns, "%u %s\n", r->warnings[i].line,
		    r->warnings[i].msg);
	strbuf_addf(warns, "rc %d err %s inner %s\n", rc,
	    err != NULL ? err : "", r->inner != NULL ? r->inner->name : "-");
	free(err);
	if (r->state != NULL)
		f->more_free(r);
	reader_free(r);
}

static void
pieces_same(const char *what, const char *data, size_t len,
    const size_t *steps, size_t nsteps)
{
	struct strbuf whole, wwarn, live, lwarn;
	size_t k;

	strbuf_init(&whole);
	strbuf_init(&wwarn);
	pieces(data, len, 0, &whole, &wwarn);
	ck_assert_uint_gt(whole.len, 0);
	for (k = 0; k < nsteps; k++) {
		strbuf_init(&live);
		strbuf_init(&lwarn);
		pieces(data, len, steps[k], &live, &lwarn);
		ck_assert_msg(live.len == whole.len &&
		    memcmp(live.buf, whole.buf, whole.len) == 0,
		    "%s, pieces of %zu: other records", what, steps[k]);
		ck_assert_msg(strcmp(lwarn.buf, wwarn.buf) == 0,
		    "%s, pieces of %zu: warnings\n%s\nnot\n%s", what,
		    steps[k], lwarn.buf, wwarn.buf);
		strbuf_free(&live);
		strbuf_free(&lwarn);
	}
	strbuf_free(&whole);
	strbuf_free(&wwarn);
}

/* Read as it comes (journalctl -f | sipsnoop --follow -), in pieces that
 * cut lines anywhere: the same canonical records and warnings as the log
 * read whole, for a program whose lines come one by one, several
 * interleaved, one whose text read is let go as it goes (a log
 * followed for long: megabytes of it, past rd_syslog's RD_SYSLOG_DROP),
 * and one whose first message comes late (past RD_SYSLOG_KEEP). */
START_TEST(test_more_pieces)
{
	static const char *const files[] = {
		"syslog-asterisk-journal.log",
		"syslog-asterisk-rsyslog.log",
		"syslog-kamailio-journal.log",
		"syslog-pjsip-iso.log",
		"syslog-two-pbx.log",
	};
	static const size_t steps[] = { 1, 7, 97, 4096, 100000 };
	static const size_t big_steps[] = { 65536, 1000003 };
	struct source *src;
	struct strbuf big;
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		src = open_fmt(files[i]);
		pieces_same(files[i], src->data, src->len, steps,
		    sizeof steps / sizeof steps[0]);
		source_free(src);
	}
	/* 5 MB: an Asterisk log and another program's lines between. */
	src = open_fmt("syslog-asterisk-journal.log");
	strbuf_init(&big);
	for (i = 0; big.len < (5u << 20); i++) {
		strbuf_add(&big, src->data, src->len);
		strbuf_addf(&big, "Jan  1 00:00:16 pbx01 cron[%zu]: (root) "
		    "CMD (run-parts /etc/cron.hourly)\n", i);
	}
	pieces_same("5 MB", big.buf, big.len, big_steps,
	    sizeof big_steps / sizeof big_steps[0]);
	/* Its first SIP message after 400 KB of its other lines, which are
	 * not kept whole while it is not read. */
	strbuf_reset(&big);
	for (i = 0; big.len < (400u << 10); i++)
		strbuf_addf(&big, "Dec 31 23:59:57 pbx01 asterisk[2270]: "
		    "VERBOSE[2291]: pbx.c:2925 in pbx_extension_helper: "
		    "Executing [s@default:%zu] NoOp(\"x\", \"\")\n", i);
	strbuf_add(&big, src->data, src->len);
	pieces_same("late", big.buf, big.len, steps,
	    sizeof steps / sizeof steps[0]);
	strbuf_free(&big);
	source_free(src);
}
END_TEST

static Suite *
syslog_suite(void)
{
	Suite *s = suite_create("rd_syslog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_bsd_asterisk);
	tcase_add_test(tc, test_iso_pjsip);
	tcase_add_test(tc, test_journal_entry);
	tcase_add_test(tc, test_rsyslog_joined);
	tcase_add_test(tc, test_other_stamps);
	tcase_add_test(tc, test_rfc5424);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_late_start);
	tcase_add_test(tc, test_long_entry);
	tcase_add_test(tc, test_entry_cut);
	tcase_add_test(tc, test_raw_lines);
	tcase_add_test(tc, test_two_hosts);
	tcase_add_test(tc, test_many_programs);
	tcase_add_test(tc, test_many_programs_entries);
	tcase_add_test(tc, test_cut_everywhere);
	tcase_add_test(tc, test_more_pieces);
	tcase_add_loop_test(tc, test_fixtures, 0,
	    (int)(sizeof pairs / sizeof pairs[0]));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(syslog_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
