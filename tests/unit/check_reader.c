/* Unit tests for the readers: each format on small in-memory logs (spans,
 * times, directions, addresses, CRLF/LF, truncation, junk), then on the
 * fixtures under tests/data: counts, probes, and re-reading every record
 * from its offset as the engine does. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "reader.h"
#include "rd_common.h"
#include "source.h"
#include "util.h"

#define CRLF "\r\n"
#define MAXREC 64

struct run {
	struct reader *r;
	struct rd_record rec[MAXREC];
	size_t n;
};

/* Reads every record of data with the named format. */
static void
run_all(struct run *run, const char *fmt, const char *data, size_t len)
{
	const struct rd_format *f = reader_by_name(fmt);
	struct rd_record rec;

	ck_assert_ptr_nonnull(f);
	run->r = reader_new(f, data, len);
	run->n = 0;
	while (reader_next(run->r, &rec)) {
		ck_assert_uint_lt(run->n, MAXREC);
		run->rec[run->n++] = rec;
	}
	ck_assert_uint_eq(run->r->stats.records, run->n);
	ck_assert_uint_eq(reader_progress(run->r), 1000);
}

static void
run_str(struct run *run, const char *fmt, const char *s)
{
	run_all(run, fmt, s, strlen(s));
}

/* Whether the reader warned about line with a message containing what. */
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

static void
run_done(struct run *run)
{
	reader_free(run->r);
	run->r = NULL;
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

/* ------------------------------------------------------------ CLS */

#define CLS_HEAD(t, seq) \
	"TL_INFO(TF_PROTOCOL) [0]0A1C.0B2C::07/14/2009-" t "." seq \
	" (SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp(125))" \
	"$$begin_record"

static const char cls_two[] =
	CLS_HEAD("16:12:22.345", "000003c1") "\n"
	"Trace-Correlation-Id: 2003888961\n"
	"Instance-Id: 000003C1\n"
	"Direction: incoming;source=\"external edge\";"
	"destination=\"internal edge\"\n"
	"Peer: 200.1.1.201:2315\n"
	"Message-Type: request\n"
	"Start-Line: REGISTER sip:uclab.org SIP/2.0\n"
	"VIA: SIP/2.0/TLS 200.1.1.201:2315\n"
	"MAX-FORWARDS: 70\n"
	"Call-ID: c1\n"
	"Content-Length: 0\n"
	"Message-Body: -\n"
	"$$end_record\n"
	CLS_HEAD("16:12:23.382", "000003c2") CRLF
	"Direction: outgoing" CRLF
	"Peer: 200.1.1.201:2315" CRLF
	"Message-Type: response" CRLF
	"Start-Line: SIP/2.0 200 OK" CRLF
	"Call-ID: c1" CRLF
	"Content-Type: text/plain" CRLF
	"Content-Length: 7" CRLF
	"Message-Body: hello" CRLF
	"$$end_record";	/* no final newline */

START_TEST(test_cls_basic)
{
	struct run run;
	struct rd_record *a, *b;

	run_str(&run, "cls", cls_two);
	ck_assert_uint_eq(run.n, 2);
	a = &run.rec[0];
	b = &run.rec[1];
	ck_assert_int_eq(a->kind, REC_SIP);
	ck_assert_uint_eq(a->off, 0);
	ck_assert_uint_eq(a->line, 1);
	span_is(a->start, "REGISTER sip:uclab.org SIP/2.0");
	span_is(a->hdrs, "VIA: SIP/2.0/TLS 200.1.1.201:2315\nMAX-FORWARDS: 70\n"
	    "Call-ID: c1\nContent-Length: 0");
	ck_assert_uint_eq(a->body.n, 0);
	ck_assert_ptr_nonnull(a->body.p);
	/* The time ends at the milliseconds: the hex is a sequence number. */
	ck_assert(a->time == civil(2009, 7, 14, 16, 12, 22, 345000));
	ck_assert_int_eq(a->time_prec, 3);
	ck_assert_int_eq(a->has_date, 1);
	ck_assert_int_eq(a->dir, DIR_IN);
	span_is(a->src, "200.1.1.201:2315");
	span_is(a->dst, "local");
	ck_assert_uint_eq(a->transport.n, 0);
	ck_assert_uint_eq(a->flags, 0);

	ck_assert_uint_eq(b->line, 14);
	ck_assert_uint_eq(b->off, a->off + a->len);
	ck_assert_uint_eq(b->off + b->len, sizeof cls_two - 1);
	span_is(b->start, "SIP/2.0 200 OK");
	span_is(b->hdrs, "Call-ID: c1" CRLF "Content-Type: text/plain" CRLF
	    "Content-Length: 7");
	span_is(b->body, "hello" CRLF);
	ck_assert_int_eq(b->dir, DIR_OUT);
	span_is(b->src, "local");
	span_is(b->dst, "200.1.1.201:2315");
	ck_assert_uint_eq(b->flags, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 0);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

static const char cls_new[] =
	"TL_INFO(TF_PROTOCOL) [FE01\\FE01]0DE4.1684::03/11/2025-08:03:40.102."
	"0002A6B3 (SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp"
	"(125)) [2512847461] $$begin_record\n"
	"Direction: outgoing\n"
	"Peer: 10.1.1.5:5061\n"
	"Message-Type: request\n"
	"Start-Line: INVITE sip:bob@uclab.org SIP/2.0\n"
	"Call-ID: c2\n"
	"Content-Type: application/sdp\n"
	"Content-Length: 10\n"
	"Message-Body: v=0\n"
	"s=-\n"
	"$$end_record\n"
	"TL_ERROR(TF_DIAG) [FE01\\FE01]0DE4.1684::03/11/2025-08:03:41.5."
	"0002A6B4 (SIPStack,SIPAdminLog::TraceDiagRecord:SIPAdminLog.cpp(143))"
	"$$begin_record\n"
	"LogType: diagnostic\n"
	"Severity: error\n"
	"Text: Routing error\n"
	"SIP-Call-ID: c2\n"
	"Peer: 10.1.1.5:5061\n"
	"$$end_record\n";

START_TEST(test_cls_host_body_diag)
{
	struct run run;
	struct rd_record *a, *d;

	run_str(&run, "cls", cls_new);
	ck_assert_uint_eq(run.n, 2);
	a = &run.rec[0];
	d = &run.rec[1];
	ck_assert_int_eq(a->dir, DIR_OUT);
	span_is(a->src, "FE01");
	span_is(a->dst, "10.1.1.5:5061");
	ck_assert_str_eq(run.r->local_name, "FE01");
	span_is(a->body, "v=0\ns=-\n");
	span_is(a->hdrs, "Call-ID: c2\nContent-Type: application/sdp\n"
	    "Content-Length: 10");
	ck_assert(a->time == civil(2025, 3, 11, 8, 3, 40, 102000));
	ck_assert_uint_eq(a->diag_level.n, 0);

	ck_assert_int_eq(d->kind, REC_DIAG);
	span_is(d->diag_level, "TL_ERROR");
	span_is(d->hdrs, "LogType: diagnostic\nSeverity: error\n"
	    "Text: Routing error\nSIP-Call-ID: c2\nPeer: 10.1.1.5:5061");
	ck_assert_uint_eq(d->start.n, 0);
	ck_assert_uint_eq(d->body.n, 0);
	ck_assert(d->time == civil(2025, 3, 11, 8, 3, 41, 500000));
	ck_assert_int_eq(d->time_prec, 1);
	ck_assert_uint_eq(d->line, 12);
	run_done(&run);
}
END_TEST

/* A connection record names no Call-ID and no "Peer:", but both ends of
 * the connection: they are its addresses, so addr: finds it. */
START_TEST(test_cls_connection)
{
	static const char s[] =
		"TL_ERROR(TF_CONNECTION) [FE01\\FE01]0A1C.0B2C::03/12/2025-"
		"10:00:00.100.00000001 (SIPStack,SIPAdminLog::"
		"TraceConnectionRecord:SIPAdminLog.cpp(160))$$begin_record\r\n"
		"LogType: connection\r\n"
		"Severity: error\r\n"
		"Text: Receive operation on the connection failed\r\n"
		"Local-IP: 10.0.0.2:5061\r\n"
		"Peer-IP: 10.0.0.5:50001\r\n"
		"Connection-ID: 0x1C03\r\n"
		"Transport: TLS\r\n"
		"Result-Code: 0x80090326 SEC_E_ILLEGAL_MESSAGE\r\n"
		"$$end_record\r\n"
		/* "Peer:" names the peer when both are there. */
		"TL_WARN(TF_DIAG) [FE01\\FE01]0A1C.0B2C::03/12/2025-"
		"10:00:00.200.00000002 (SIPStack,SIPAdminLog::TraceDiagRecord:"
		"SIPAdminLog.cpp(143))$$begin_record\n"
		"LogType: diagnostic\n"
		"Severity: warning\n"
		"Text: Message was not sent\n"
		"Peer-IP: 10.0.0.6:50002\n"
		"Peer: 10.0.0.5:50001\n"
		"$$end_record\n";
	struct run run;

	run_str(&run, "cls", s);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_int_eq(run.rec[0].kind, REC_DIAG);
	span_is(run.rec[0].diag_level, "TL_ERROR");
	span_is(run.rec[0].src, "10.0.0.5:50001");
	span_is(run.rec[0].dst, "10.0.0.2:5061");
	ck_assert_int_eq(run.rec[0].dir, DIR_UNKNOWN);
	span_is(run.rec[1].src, "10.0.0.5:50001");
	ck_assert_uint_eq(run.rec[1].dst.n, 0);
	run_done(&run);
}
END_TEST

START_TEST(test_cls_truncated_and_junk)
{
	/* Junk before, between and after; the second record loses its end
	 * to the third's start; the last one runs into the end of file. */
	static const char s[] =
		"some header the exporter wrote\n"
		"\n"
		CLS_HEAD("16:12:22.345", "000003c1") "\n"
		"Direction: incoming\n"
		"Peer: 1.2.3.4:5\n"
		"Start-Line: OPTIONS sip:x SIP/2.0\n"
		"Call-ID: j1\n"
		"Message-Body: -\n"
		"$$end_record\n"
		"junk one\n"
		"junk two\n"
		"   \n"
		"junk three\n"
		CLS_HEAD("16:12:22.400", "000003c2") "\n"
		"Direction: incoming\n"
		"Peer: 1.2.3.4:5\n"
		"Start-Line: OPTIONS sip:y SIP/2.0\n"
		"Call-ID: j2\n"
		CLS_HEAD("16:12:22.500", "000003c3") "\n"
		"Direction: outgoing\n"
		"Peer: 1.2.3.4:5\n"
		"Start-Line: SIP/2.0 200 OK\n"
		"Call-ID: j3\n"
		"Content-Len";
	struct run run;

	run_str(&run, "cls", s);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 3);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[1].line, 14);
	ck_assert_uint_eq(run.rec[1].flags & RECF_TRUNCATED, RECF_TRUNCATED);
	span_is(run.rec[1].hdrs, "Call-ID: j2");
	ck_assert_uint_eq(run.rec[1].body.n, 0);
	ck_assert_uint_eq(run.rec[2].line, 19);
	ck_assert_uint_eq(run.rec[2].flags & RECF_TRUNCATED, RECF_TRUNCATED);
	span_is(run.rec[2].hdrs, "Call-ID: j3\nContent-Len");
	ck_assert_uint_eq(run.r->stats.truncated, 2);
	ck_assert_uint_eq(run.r->stats.junk_lines, 4);
	/* One warning per run of junk, naming its first line, and one per
	 * message cut short. */
	ck_assert_uint_eq(run.r->nwarnings, 4);
	ck_assert(has_warning(&run, 1, "skipped"));
	ck_assert(has_warning(&run, 10, "3 lines"));
	ck_assert(has_warning(&run, 14, "cut short"));
	ck_assert(has_warning(&run, 19, "cut short"));
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ UCCAPI */

#define UP(t) "07/14/2009|" t " 0F4C:0E60 INFO  :: "

static const char ucc[] =
	UP("16:12:21.880") "CUccTransportManager::Connect - connecting\n"
	UP("16:12:21.901") "Sending Packet - 200.1.1.20:443 (From Local "
	"Address: 200.1.1.201:2315) 120 bytes:\n"
	UP("16:12:21.901") "MESSAGE sip:bob@uclab.org SIP/2.0\n"
	"Call-ID: u1\n"
	"CSeq: 1 MESSAGE\n"
	"Content-Length: 4\n"
	"\n"
	"hi\r\n"
	UP("16:12:21.901") "End of Sending Packet - 200.1.1.20:443 (From Local "
	"Address: 200.1.1.201:2315) 120 bytes\n"
	"<xml>not sip</xml>\n"
	UP("16:12:21.950") "Sending Packet - 200.1.1.20:443 (From Local "
	"Address: 200.1.1.201:2315) 4 bytes:\n"
	UP("16:12:21.950") "\r\n"
	"\r\n"
	UP("16:12:21.950") "End of Sending Packet - 200.1.1.20:443 (From Local "
	"Address: 200.1.1.201:2315) 4 bytes\n"
	UP("16:12:22.938") "Data Received - 200.1.1.20:443 (To Local Address: "
	"200.1.1.201:2315) 90 bytes:\n"
	UP("16:12:22.938") "SIP/2.0 200 OK\r\n"
	"Call-ID: u1\r\n"
	"CSeq: 1 MESSAGE\r\n"
	"\r\n"
	UP("16:12:22.938") "End of Data Received - 200.1.1.20:443 (To Local "
	"Address: 200.1.1.201:2315) 90 bytes\n"
	UP("16:12:23.000") "Data Received - 200.1.1.20:443 (To Local Address: "
	"200.1.1.201:2315) 90 bytes:\n"
	UP("16:12:23.000") "NOTIFY sip:a@b SIP/2.0\n"
	"Call-ID: u2\n"
	UP("16:12:23.100") "CSIPTransportLayer::OnError - reset\n"
	UP("16:12:24.000") "Data Received - 200.1.1.20:443 (To Local Address: "
	"200.1.1.201:2315) 90 bytes:\n"
	UP("16:12:24.000") "BYE sip:a@b SIP/2.0\n"
	"Call-ID: u3\n"
	"Content-Length: 0\n"
	"\n";

/* The header block is searched for "Message-Body:" sixteen bytes at a time:
 * the line must be found at every alignment, after decoy lines that start
 * with 'M' (or hold "Message-Body:" mid-line), and line numbers must stay
 * right after it. */
START_TEST(test_cls_body_alignment)
{
	static const char *const eols[] = { "\n", CRLF };
	struct run run;
	struct strbuf sb;
	size_t pad, e, i;

	for (e = 0; e < 2; e++) {
		const char *nl = eols[e];

		for (pad = 0; pad < 40; pad++) {
			strbuf_init(&sb);
			strbuf_addf(&sb, "TL_INFO(TF_PROTOCOL) [0]0A1C.0B2C::"
			    "03/05/2024-08:39:49.021.00000001 (SIPStack)"
			    "$$begin_record%sDirection: incoming%s"
			    "Peer: 10.0.0.1:5061%sStart-Line: OPTIONS "
			    "sip:a@b SIP/2.0%sX-Pad: ", nl, nl, nl, nl);
			for (i = 0; i < pad; i++)
				strbuf_addc(&sb, 'x');
			strbuf_addf(&sb, " Message-Body: no%sMax-Forwards: 70%s"
			    "Ms-X: M%sMessage-Bod: y%sCall-ID: c%d%s"
			    "Message-Body: v=0%so=-%s$$end_record%s",
			    nl, nl, nl, nl, (int)pad, nl, nl, nl, nl);
			/* A second record: its line number depends on every
			 * line of the first being counted once. */
			strbuf_addf(&sb, "TL_INFO(TF_PROTOCOL) [0]0A1C.0B2C::"
			    "03/05/2024-08:39:50.021.00000002 (SIPStack)"
			    "$$begin_record%sStart-Line: BYE sip:a@b SIP/2.0"
			    "%sCall-ID: z%sMessage-Body: -%s$$end_record%s",
			    nl, nl, nl, nl, nl);
			run_all(&run, "cls", sb.buf, sb.len);
			ck_assert_uint_eq(run.n, 2);
			ck_assert_uint_eq(run.rec[0].body.n >= 7, 1);
			ck_assert_int_eq(strncmp(run.rec[0].body.p, "v=0", 3),
			    0);
			ck_assert_int_eq(strncmp(run.rec[0].hdrs.p, "X-Pad: ",
			    7), 0);
			/* The header block ends with the Call-ID line. */
			ck_assert_uint_ge(run.rec[0].hdrs.n, 1);
			ck_assert_int_eq(run.rec[0].hdrs.p[run.rec[0].hdrs.n -
			    1], '0' + (int)(pad % 10));
			ck_assert_uint_eq(run.rec[0].line, 1);
			ck_assert_uint_eq(run.rec[1].line, 13);
			ck_assert_uint_eq(run.rec[1].body.n, 0);
			ck_assert_uint_eq(run.r->line, 18);
			reader_free(run.r);
			strbuf_free(&sb);
		}
	}
}
END_TEST

/* Resident pages of this process (/proc/self/statm), 0 when unknown. */
static long
resident_pages(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size, res = 0;

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res;
}

/* reader_release() hands back the pages of a mapped input a megabyte at a
 * time, and what it hands back reads the same afterwards; an input in
 * ordinary memory is never touched. */
START_TEST(test_release)
{
	enum { LEN = 4 << 20 };
	char path[] = "/tmp/sipsnoop-release.XXXXXX";
	char *buf = xmalloc(LEN);
	const char *map;
	struct reader *r;
	unsigned long sum = 0, sum2 = 0;
	long before, after, ps = sysconf(_SC_PAGESIZE);
	size_t i;
	int fd;

	for (i = 0; i < LEN; i++)
		buf[i] = (char)('a' + i % 23);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, LEN), LEN);
	map = mmap(NULL, LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert(map != MAP_FAILED);
	for (i = 0; i < LEN; i++)
		sum += (unsigned char)map[i];

	r = reader_new(reader_by_name("raw"), map, LEN);
	r->mapped = 1;
	before = resident_pages();
	reader_release(r, (3 << 20) + 100);
	ck_assert_uint_eq(r->released, 3 << 20);
	after = resident_pages();
	if (before > 0)
		ck_assert_int_ge(before - after, (3 << 20) / ps * 9 / 10);
	/* Less than a megabyte more: nothing yet. */
	reader_release(r, (3 << 20) + (512 << 10));
	ck_assert_uint_eq(r->released, 3 << 20);
	for (i = 0; i < LEN; i++)
		sum2 += (unsigned char)map[i];
	ck_assert_uint_eq(sum, sum2);
	reader_free(r);
	munmap((void *)(uintptr_t)map, LEN);
	close(fd);
	unlink(path);

	r = reader_new(reader_by_name("raw"), buf, LEN);
	reader_release(r, LEN);
	ck_assert_uint_eq(r->released, 0);
	for (i = 0, sum2 = 0; i < LEN; i++)
		sum2 += (unsigned char)buf[i];
	ck_assert_uint_eq(sum, sum2);
	reader_free(r);
	free(buf);
}
END_TEST

START_TEST(test_uccapi)
{
	struct run run;
	struct rd_record *a, *b, *c, *d;

	run_str(&run, "uccapi", ucc);
	ck_assert_uint_eq(run.n, 4);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	d = &run.rec[3];
	ck_assert_uint_eq(a->line, 2);
	ck_assert_int_eq(a->dir, DIR_OUT);
	span_is(a->src, "200.1.1.201:2315");
	span_is(a->dst, "200.1.1.20:443");
	span_is(a->start, "MESSAGE sip:bob@uclab.org SIP/2.0");
	span_is(a->hdrs, "Call-ID: u1\nCSeq: 1 MESSAGE\nContent-Length: 4");
	span_is(a->body, "hi\r\n");
	ck_assert(a->time == civil(2009, 7, 14, 16, 12, 21, 901000));
	ck_assert_int_eq(a->time_prec, 3);
	ck_assert_int_eq(a->has_date, 1);
	ck_assert_uint_eq(a->flags, 0);

	ck_assert_int_eq(b->dir, DIR_IN);
	span_is(b->src, "200.1.1.20:443");
	span_is(b->dst, "200.1.1.201:2315");
	span_is(b->start, "SIP/2.0 200 OK");
	span_is(b->hdrs, "Call-ID: u1\r\nCSeq: 1 MESSAGE");
	ck_assert_uint_eq(b->body.n, 0);
	ck_assert_uint_eq(b->flags, 0);

	/* Cut short by the next trace line, and by the end of the file. */
	span_is(c->start, "NOTIFY sip:a@b SIP/2.0");
	span_is(c->hdrs, "Call-ID: u2");
	ck_assert_uint_eq(c->flags & RECF_TRUNCATED, RECF_TRUNCATED);
	span_is(d->start, "BYE sip:a@b SIP/2.0");
	ck_assert_uint_eq(d->flags & RECF_TRUNCATED, RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.truncated, 2);

	/* Trace line, XML line, the 4-line keep-alive block, error line. */
	ck_assert_uint_eq(run.r->stats.junk_lines, 1 + 1 + 4 + 1);
	/* Non-SIP lines are the normal content of a client log: counted,
	 * not warned about; the two messages cut short are. */
	ck_assert_uint_eq(run.r->nwarnings, 2);
	ck_assert(has_warning(&run, c->line, "cut short"));
	ck_assert(has_warning(&run, d->line, "cut short"));
	run_done(&run);
}
END_TEST

/* ------------------------------------------------------------ sngrep */

static const char sng[] =
	"2025/03/11 09:15:11.204118 10.0.0.51:5060 -> 10.0.0.10:5060\n"
	"REGISTER sip:10.0.0.10 SIP/2.0\r\n"
	"Call-ID: s1\r\n"
	"Content-Length: 0\r\n"
	"\r\n"
	"\n\n"
	"2025/03/11 09:15:11.205032 10.0.0.10:5060 -> 10.0.0.51:5060\n"
	"SIP/2.0 200 OK\r\n"
	"Call-ID: s1\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"no length\r\n"
	"\n\n"
	"2025/03/11 09:15:11.300000 10.0.0.10:5060 -> 10.0.0.51:5060\n"
	"SIP/2.0 200 OK\n"
	"Call-ID: s3\n"
	"Content-Length: 12\n"
	"\n"
	"v=0\n"
	"s=-\n"
	"\n\n"
	"2025/03/11 09:15:12.5 10.0.0.10:5060 -> 10.0.0.51:5060\n"
	"MESSAGE sip:a@b SIP/2.0\r\n"
	"Call-ID: s2\r\n"
	"Content-Length: 50\r\n"
	"\r\n"
	"short";

START_TEST(test_sngrep)
{
	struct run run;

	run_str(&run, "sngrep", sng);
	ck_assert_uint_eq(run.n, 4);
	ck_assert_uint_eq(run.rec[0].line, 1);
	span_is(run.rec[0].start, "REGISTER sip:10.0.0.10 SIP/2.0");
	span_is(run.rec[0].hdrs, "Call-ID: s1\r\nContent-Length: 0");
	span_is(run.rec[0].src, "10.0.0.51:5060");
	span_is(run.rec[0].dst, "10.0.0.10:5060");
	ck_assert(run.rec[0].time == civil(2025, 3, 11, 9, 15, 11, 204118));
	ck_assert_int_eq(run.rec[0].time_prec, 6);
	ck_assert_int_eq(run.rec[0].has_date, 1);
	ck_assert_uint_eq(run.rec[1].line, 8);
	span_is(run.rec[1].body, "no length\r\n");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	/* Converted to LF: Content-Length counts CRLF, the body is whole. */
	span_is(run.rec[2].body, "v=0\ns=-\n");
	ck_assert_uint_eq(run.rec[2].flags, 0);
	ck_assert(run.rec[3].time == civil(2025, 3, 11, 9, 15, 12, 500000));
	ck_assert_int_eq(run.rec[3].time_prec, 1);
	span_is(run.rec[3].body, "short");
	ck_assert_uint_eq(run.rec[3].flags, RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.truncated, 1);
	ck_assert_uint_eq(run.r->stats.junk_lines, 0);
	run_done(&run);

	/* Year 0000, sipsnoop's save of a time of day alone: a time of day
	 * on the log's first day (0000/01/01) or one after it. */
	run_str(&run, "sngrep", "0000/01/01 23:59:59.900000 10.0.0.51:5060 "
	    "-> 10.0.0.10:5060\r\nOPTIONS sip:a SIP/2.0\r\nCall-ID: t1\r\n"
	    "Content-Length: 0\r\n\r\n\n\n"
	    "0000/01/02 00:00:00.100000 10.0.0.10:5060 -> 10.0.0.51:5060\r\n"
	    "SIP/2.0 200 OK\r\nCall-ID: t1\r\nContent-Length: 0\r\n\r\n");
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[0].time == civil(1970, 1, 1, 23, 59, 59, 900000));
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_int_eq(run.rec[0].tod_only, 1);
	ck_assert(run.rec[1].time == civil(1970, 1, 2, 0, 0, 0, 100000));
	ck_assert_int_eq(run.rec[1].tod_only, 1);
	run_done(&run);

	/* 0000/00/00, sipsnoop's save of a message without a time: none.
	 * Another day 0 or month 0 is no header line. */
	run_str(&run, "sngrep", "0000/00/00 00:00:00.000000 10.0.0.51:5060 "
	    "-> 10.0.0.10:5060\r\nOPTIONS sip:a SIP/2.0\r\nCall-ID: t2\r\n"
	    "Content-Length: 0\r\n\r\n\n\n"
	    "2025/00/00 00:00:00.000000 10.0.0.10:5060 -> 10.0.0.51:5060\r\n"
	    "SIP/2.0 200 OK\r\nCall-ID: t2\r\nContent-Length: 0\r\n\r\n");
	ck_assert_uint_ge(run.n, 1);
	ck_assert(run.rec[0].time == TIME_NONE);
	ck_assert_int_eq(run.rec[0].has_date, 0);
	ck_assert_int_eq(run.rec[0].tod_only, 0);
	span_is(run.rec[0].src, "10.0.0.51:5060");
	ck_assert_uint_eq(run.n, 1);
	run_done(&run);
}
END_TEST

/* sngrep writes an IPv6 address with its port after one more colon; the
 * records bracket it as every other format does, so that the ends of a
 * call match across logs and --merge-hosts finds the host. */
START_TEST(test_sngrep_ipv6)
{
	static const char s[] =
		"2025/03/11 09:15:11.204118 2001:db8::23:50444 -> "
		"2001:db8::10:5060\n"
		"OPTIONS sip:[2001:db8::10] SIP/2.0\r\n"
		"Call-ID: v1\r\n"
		"Content-Length: 0\r\n"
		"\r\n"
		"\n\n"
		"2025/03/11 09:15:11.205000 [2001:db8::10]:5060 -> "
		"::1:5060\n"
		"SIP/2.0 200 OK\r\n"
		"Call-ID: v1\r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct reader *r = reader_new(reader_by_name("sngrep"), s,
	    sizeof s - 1);
	struct rd_record rec;

	memset(&rec, 0, sizeof rec);
	ck_assert_int_eq(reader_next(r, &rec), 1);
	span_is(rec.src, "[2001:db8::23]:50444");
	span_is(rec.dst, "[2001:db8::10]:5060");
	memset(&rec, 0, sizeof rec);
	ck_assert_int_eq(reader_next(r, &rec), 1);
	/* Already in brackets (sipsnoop's own save): left as it is. */
	span_is(rec.src, "[2001:db8::10]:5060");
	span_is(rec.dst, "[::1]:5060");
	ck_assert_int_eq(reader_next(r, &rec), 0);
	reader_free(r);
}
END_TEST

/* ------------------------------------------------------------ raw */

START_TEST(test_raw)
{
	static const char s[] =
		"\r\n"
		"INVITE sip:bob@example.com SIP/2.0\r\n"
		"Call-ID: r1\r\n"
		"l: 5\r\n"
		"\r\n"
		"v=0\r\n"
		"SIP/2.0 180 Ringing\n"
		"Call-ID: r1\n"
		"Content-Length: 0\n"
		"\n"
		"this is junk\n"
		"and more\n"
		"SIP/2.0 200 OK\n"
		"Call-ID: r1\n"
		"\n"
		"body without length\n"
		"\n"
		"ACK sip:bob@example.com SIP/2.0\n"
		"Call-ID: r1\n"
		"Content-Length: 20\n"
		"\n"
		"cut";
	struct run run;

	run_str(&run, "raw", s);
	ck_assert_uint_eq(run.n, 4);
	ck_assert_uint_eq(run.rec[0].line, 2);
	span_is(run.rec[0].start, "INVITE sip:bob@example.com SIP/2.0");
	span_is(run.rec[0].hdrs, "Call-ID: r1\r\nl: 5");
	span_is(run.rec[0].body, "v=0\r\n");
	ck_assert(run.rec[0].time == TIME_NONE);
	ck_assert_int_eq(run.rec[0].dir, DIR_UNKNOWN);
	ck_assert_uint_eq(run.rec[0].src.n, 0);
	ck_assert_uint_eq(run.rec[1].line, 7);
	span_is(run.rec[1].hdrs, "Call-ID: r1\nContent-Length: 0");
	ck_assert_uint_eq(run.rec[2].line, 13);
	span_is(run.rec[2].body, "body without length\n");
	ck_assert_uint_eq(run.rec[3].line, 18);
	span_is(run.rec[3].body, "cut");
	ck_assert_uint_eq(run.rec[3].flags, RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.junk_lines, 2);
	ck_assert_uint_eq(run.r->nwarnings, 2);
	ck_assert(has_warning(&run, 11, "skipped"));
	ck_assert(has_warning(&run, 18, "cut short"));
	run_done(&run);
}
END_TEST

/* A raw file that lost its CR bytes: Content-Length overshoots into the
 * next message, which must still be found. */
START_TEST(test_raw_lf_converted)
{
	static const char s[] =
		"INVITE sip:bob@example.com SIP/2.0\n"
		"Call-ID: lf1\n"
		"Content-Length: 12\n"
		"\n"
		"v=0\n"
		"s=-\n"
		"SIP/2.0 100 Trying\n"
		"Call-ID: lf1\n"
		"Content-Length: 0\n"
		"\n"
		"NOTIFY sip:a@b SIP/2.0\n"
		"Call-ID: lf2\n"
		"Content-Length: 15\n"
		"\n"
		"SIP/2.0 200 OK\n"
		"ACK sip:a@b SIP/2.0\n"
		"Call-ID: lf3\n"
		"Content-Length: 9\n"
		"\n"
		"ab\n"
		"SIP/2.0 200 OK\n"
		"Call-ID: lf3\n"
		"\n";
	struct run run;

	run_str(&run, "raw", s);
	ck_assert_uint_eq(run.n, 5);
	span_is(run.rec[0].body, "v=0\ns=-\n");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	span_is(run.rec[1].start, "SIP/2.0 100 Trying");
	/* A sipfrag body whose length is right is left alone. */
	span_is(run.rec[2].start, "NOTIFY sip:a@b SIP/2.0");
	span_is(run.rec[2].body, "SIP/2.0 200 OK\n");
	ck_assert_uint_eq(run.rec[2].flags, 0);
	span_is(run.rec[3].start, "ACK sip:a@b SIP/2.0");
	span_is(run.rec[4].start, "SIP/2.0 200 OK");
	span_is(run.rec[3].body, "ab\n");
	ck_assert_uint_eq(run.rec[3].flags, 0);
	ck_assert_uint_eq(run.r->stats.truncated, 0);
	run_done(&run);
}
END_TEST

START_TEST(test_raw_no_final_newline)
{
	static const char s[] =
		"OPTIONS sip:x SIP/2.0\r\nCall-ID: n1\r\nContent-Length: 0";
	struct run run;

	run_str(&run, "raw", s);
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].hdrs, "Call-ID: n1\r\nContent-Length: 0");
	/* Content-Length 0 and nothing missing but the blank line. */
	ck_assert_uint_eq(run.rec[0].flags, 0);
	run_done(&run);

	run_str(&run, "raw", "OPTIONS sip:x SIP/2.0\r\nCall-ID: n1");
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.rec[0].flags, RECF_TRUNCATED);
	run_done(&run);
}
END_TEST

/* RECF_LARGE is about the message, not the log's framing around it. */
START_TEST(test_large_flag)
{
	static const char head[] = CLS_HEAD("16:12:22.345", "000003c1") "\n"
	    "Direction: incoming\nPeer: 1.2.3.4:5\n"
	    "Start-Line: MESSAGE sip:a@b SIP/2.0\nCall-ID: big\n"
	    "Message-Body: ";
	static const char tail[] = "\n$$end_record\n";
	size_t sizes[] = { 65000, 66000 }, i, hl = sizeof head - 1;
	struct run run;
	char *buf;

	for (i = 0; i < 2; i++) {
		buf = xmalloc(hl + sizes[i] + sizeof tail);
		memcpy(buf, head, hl);
		memset(buf + hl, 'x', sizes[i]);
		memcpy(buf + hl + sizes[i], tail, sizeof tail);
		run_str(&run, "cls", buf);
		ck_assert_uint_eq(run.n, 1);
		ck_assert_uint_eq(run.rec[0].body.n, sizes[i] + 1);
		ck_assert_uint_eq(run.rec[0].flags, i == 0 ? 0 : RECF_LARGE);
		run_done(&run);
		free(buf);
	}
}
END_TEST

START_TEST(test_bom)
{
	static const char raw[] = "\xef\xbb\xbfSIP/2.0 200 OK\r\n"
	    "Call-ID: bom\r\n\r\n";
	char cls[sizeof cls_two + 3];
	struct run run;

	ck_assert_ptr_eq(reader_probe(raw, sizeof raw - 1),
	    reader_by_name("raw"));
	run_str(&run, "raw", raw);
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.rec[0].off, 3);
	ck_assert_uint_eq(run.rec[0].line, 1);
	ck_assert_uint_eq(run.r->stats.junk_lines, 0);
	run_done(&run);

	memcpy(cls, "\xef\xbb\xbf", 3);
	memcpy(cls + 3, cls_two, sizeof cls_two);
	ck_assert_ptr_eq(reader_probe(cls, sizeof cls - 1),
	    reader_by_name("cls"));
	run_str(&run, "cls", cls);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].off, 3);
	span_is(run.rec[0].dst, "local");
	ck_assert(run.rec[0].time == civil(2009, 7, 14, 16, 12, 22, 345000));
	run_done(&run);
}
END_TEST

START_TEST(test_uccapi_unprefixed_start)
{
	static const char s[] =
		UP("16:12:21.901") "Sending Packet - 10.0.0.1:5061 (From Local "
		"Address: 10.0.0.2:50000) 60 bytes:\n"
		"OPTIONS sip:10.0.0.1 SIP/2.0\n"
		"Call-ID: np\n"
		"\n"
		UP("16:12:21.901") "End of Sending Packet - 10.0.0.1:5061 "
		"(From Local Address: 10.0.0.2:50000) 60 bytes\n";
	struct run run;

	run_str(&run, "uccapi", s);
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].start, "OPTIONS sip:10.0.0.1 SIP/2.0");
	span_is(run.rec[0].hdrs, "Call-ID: np");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 0);
	run_done(&run);
}
END_TEST

/* Client logs write LF where the wire had CRLF, and Content-Length still
 * counts the CRLF bytes: the End line decides where the body stops. */
START_TEST(test_uccapi_lf_body)
{
	static const char s[] =
		UP("16:12:21.901") "Data Received - 10.0.0.1:5061 (To Local "
		"Address: 10.0.0.2:50000) 83 bytes:\n"
		UP("16:12:21.901") "SIP/2.0 200 OK\n"
		"Content-Type: application/sdp\n"
		"Content-Length: 12\n"
		"\n"
		"v=0\n"
		"s=-\n"
		UP("16:12:21.901") "End of Data Received - 10.0.0.1:5061 (To "
		"Local Address: 10.0.0.2:50000) 83 bytes\n";
	struct run run;

	run_str(&run, "uccapi", s);
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].body, "v=0\ns=-\n");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.r->stats.truncated, 0);
	run_done(&run);
}
END_TEST

/* A read may end inside a message: the client logs the rest in the next
 * block of the same connection. The pieces are not joined, but the first
 * is flagged cut short and the rest's block is named, not skipped without
 * a word. A next block that starts a message, or of another connection,
 * is no rest. */
START_TEST(test_uccapi_continued)
{
#define UC_OPEN(ts, peer) UP(ts) "Data Received - " peer " (To Local " \
	"Address: 10.0.0.2:50000) 99 bytes:\n"
#define UC_END(ts, peer) UP(ts) "End of Data Received - " peer " (To " \
	"Local Address: 10.0.0.2:50000) 99 bytes\n"
	static const char s[] =
		UC_OPEN("16:12:21.901", "10.0.0.1:5061")
		UP("16:12:21.901") "NOTIFY sip:a@10.0.0.2 SIP/2.0\n"
		"Call-ID: c1\n"
		"Content-Length: 40\n"
		"\n"
		"<a>0123456789\n"
		UC_END("16:12:21.901", "10.0.0.1:5061")
		UC_OPEN("16:12:21.902", "10.0.0.1:5061")
		UP("16:12:21.902") "abcdefghij0123456789</a>\n"
		UC_END("16:12:21.902", "10.0.0.1:5061");
	static const char other[] =
		UC_OPEN("16:12:21.901", "10.0.0.1:5061")
		UP("16:12:21.901") "NOTIFY sip:a@10.0.0.2 SIP/2.0\n"
		"Call-ID: c1\n"
		"Content-Length: 40\n"
		"\n"
		"<a>0123456789\n"
		UC_END("16:12:21.901", "10.0.0.1:5061")
		UC_OPEN("16:12:21.902", "10.0.0.3:5061")
		UP("16:12:21.902") "abcdefghij0123456789</a>\n"
		UC_END("16:12:21.902", "10.0.0.3:5061")
		UC_OPEN("16:12:21.903", "10.0.0.1:5061")
		UP("16:12:21.903") "SIP/2.0 200 OK\n"
		"Call-ID: c1\n"
		"Content-Length: 40\n"
		"\n"
		"<a>0123456789\n"
		UC_END("16:12:21.903", "10.0.0.1:5061")
		UC_OPEN("16:12:21.904", "10.0.0.1:5061")
		UP("16:12:21.904") "SIP/2.0 200 OK\n"
		"Call-ID: c1\n"
		"Content-Length: 0\n"
		UC_END("16:12:21.904", "10.0.0.1:5061");
#undef UC_OPEN
#undef UC_END
	struct run run;

	run_str(&run, "uccapi", s);
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].start, "NOTIFY sip:a@10.0.0.2 SIP/2.0");
	span_is(run.rec[0].body, "<a>0123456789abcdefghij0123456789</a>");
	ck_assert_uint_eq(run.rec[0].flags, RECF_JOINED);
	ck_assert_uint_eq(run.rec[0].off, 0);
	ck_assert_uint_eq(run.rec[0].line, 1);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);

	run_str(&run, "uccapi", other);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[1].flags, 0);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

/* Reads data as uccapi, then each record again alone from its offset, as
 * the engine does (pieces not joined: it keeps the joined text): the same
 * start line each time. */
static void
uc_reread(const char *data, const struct run *run)
{
	struct rd_record rec;
	struct reader *r;
	size_t i;

	for (i = 0; i < run->n; i++) {
		r = reader_new(reader_by_name("uccapi"), data, strlen(data));
		r->pos = run->rec[i].off;
		r->nojoin = 1;
		ck_assert(reader_next(r, &rec));
		ck_assert_uint_eq(rec.off, run->rec[i].off);
		ck_assert_uint_eq(rec.flags & RECF_JOINED, 0);
		ck_assert_uint_eq(rec.start.n, run->rec[i].start.n);
		ck_assert(memcmp(rec.start.p, run->rec[i].start.p,
				 rec.start.n) == 0);
		reader_free(r);
	}
}

#define UC_RECV(ts, n) UP(ts) "Data Received - 10.0.0.1:5061 (To Local " \
	"Address: 10.0.0.2:50000) " n " bytes:\n"
#define UC_RECV_END(ts) UP(ts) "End of Data Received - 10.0.0.1:5061 " \
	"(To Local Address: 10.0.0.2:50000) 1 bytes\n"

/* A read that ended inside a message, the next read holding its rest and
 * then another message, with a send in between: the message is joined
 * (the time and line of its start), the send read as ever, the other
 * message read from where the rest ends, with its block's time. */
START_TEST(test_uccapi_join_more)
{
	static const char s[] =
		UC_RECV("16:12:21.901", "77")				/* 1 */
		UP("16:12:21.901") "NOTIFY sip:a@10.0.0.2 SIP/2.0\n"
		"Call-ID: j1\n"
		"CSeq: 1 NOTIFY\n"
		"Content-Length: 24\n"
		"\n"
		"<x>first half\n"
		UC_RECV_END("16:12:21.901")
		UP("16:12:21.950") "Sending Packet - 10.0.0.1:5061 (From "	/* 9 */
		"Local Address: 10.0.0.2:50000) 50 bytes:\n"
		UP("16:12:21.950") "OPTIONS sip:b@10.0.0.1 SIP/2.0\n"
		"Call-ID: j2\n"
		"CSeq: 1 OPTIONS\n"
		"Content-Length: 0\n"
		"\n"
		UP("16:12:21.950") "End of Sending Packet - 10.0.0.1:5061 "
		"(From Local Address: 10.0.0.2:50000) 50 bytes\n"
		UC_RECV("16:12:22.001", "80")				/* 16 */
		UP("16:12:22.001") " second</x>\n"
		"NOTIFY sip:a@10.0.0.2 SIP/2.0\n"			/* 18 */
		"Call-ID: j1\n"
		"CSeq: 2 NOTIFY\n"
		"Content-Length: 0\n"
		"\n"
		UC_RECV_END("16:12:22.001");
	struct run run;

	run_str(&run, "uccapi", s);
	ck_assert_uint_eq(run.n, 3);
	span_is(run.rec[0].body, "<x>first half second</x>");
	ck_assert_uint_eq(run.rec[0].flags, RECF_JOINED);
	ck_assert_uint_eq(run.rec[0].line, 1);
	ck_assert_int_eq(run.rec[0].time, civil(2009, 7, 14, 16, 12, 21,
						901000));
	span_is(run.rec[1].start, "OPTIONS sip:b@10.0.0.1 SIP/2.0");
	ck_assert_uint_eq(run.rec[1].line, 9);
	span_is(run.rec[2].start, "NOTIFY sip:a@10.0.0.2 SIP/2.0");
	span_is(run.rec[2].hdrs, "Call-ID: j1\nCSeq: 2 NOTIFY\n"
		"Content-Length: 0");
	ck_assert_uint_eq(run.rec[2].line, 18);
	ck_assert_uint_eq(run.rec[2].flags, 0);
	ck_assert_int_eq(run.rec[2].time, civil(2009, 7, 14, 16, 12, 22,
						1000));
	ck_assert_uint_eq(run.r->nwarnings, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 0);
	uc_reread(s, &run);
	run_done(&run);
}
END_TEST

/* A read that ended inside the headers, and a message in three reads:
 * joined whole, its Call-ID from the second piece. The log's line break
 * at the end of a piece is the message's when the block's byte count
 * says so (every line break CRLF on the wire), else it is the log's: the
 * read ended inside a line. */
START_TEST(test_uccapi_join_pieces)
{
	static const char s[] =
		UC_RECV("16:12:21.901", "47")	/* 45 logged, 2 were CRLF */
		UP("16:12:21.901") "INVITE sip:a@10.0.0.2 SIP/2.0\n"
		"CSeq: 1 INVITE\n"
		UC_RECV_END("16:12:21.901")
		UC_RECV("16:12:21.902", "3")	/* "Cal": no line break */
		UP("16:12:21.902") "Cal\n"
		UC_RECV_END("16:12:21.902")
		UC_RECV("16:12:21.903", "36")	/* 32 logged, 4 CRLF */
		UP("16:12:21.903") "l-ID: p3\n"
		"Content-Length: 5\n"
		"\n"
		"v=0\n"
		UC_RECV_END("16:12:21.903");
	struct run run;

	run_str(&run, "uccapi", s);
	ck_assert_uint_eq(run.n, 1);
	span_is(run.rec[0].start, "INVITE sip:a@10.0.0.2 SIP/2.0");
	span_is(run.rec[0].hdrs, "CSeq: 1 INVITE\nCall-ID: p3\n"
		"Content-Length: 5");
	span_is(run.rec[0].body, "v=0\n");
	ck_assert_uint_eq(run.rec[0].flags, RECF_JOINED);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	uc_reread(s, &run);
	run_done(&run);
}
END_TEST

#undef UC_RECV
#undef UC_RECV_END

/* One read may carry several messages: the client logs them in one block,
 * and each becomes a record with the block's time and addresses. Bytes
 * that do not split into whole messages stay one record. */
START_TEST(test_uccapi_multi)
{
	static const char s[] =
		UP("16:12:21.901") "Data Received - 10.0.0.1:5061 (To Local "
		"Address: 10.0.0.2:50000) 200 bytes:\n"			/* 1 */
		UP("16:12:21.901") "SIP/2.0 200 OK\n"
		"Call-ID: m1\n"
		"CSeq: 1 SUBSCRIBE\n"
		"Content-Length: 0\n"
		"\n"
		"NOTIFY sip:a@10.0.0.2 SIP/2.0\n"			/* 7 */
		"Call-ID: m1\n"
		"CSeq: 1 NOTIFY\n"
		"Content-Length: 6\n"
		"\n"
		"a\n"
		"b\n"
		"\n"
		"SIP/2.0 200 OK\r\n"					/* 15 */
		"Call-ID: m2\r\n"
		"Content-Length: 0\r\n"
		"\r\n"
		UP("16:12:21.901") "End of Data Received - 10.0.0.1:5061 (To "
		"Local Address: 10.0.0.2:50000) 200 bytes\n"
		/* Content-Length runs into bytes that are no message. */
		UP("16:12:22.000") "Sending Packet - 10.0.0.1:5061 (From Local "
		"Address: 10.0.0.2:50000) 90 bytes:\n"			/* 20 */
		UP("16:12:22.000") "OPTIONS sip:10.0.0.1 SIP/2.0\n"
		"Call-ID: m3\n"
		"Content-Length: 0\n"
		"\n"
		"garbage\n"
		"BYE sip:a@10.0.0.1 SIP/2.0\n"
		"Call-ID: m3\n"
		"\n"
		UP("16:12:22.000") "End of Sending Packet - 10.0.0.1:5061 (From "
		"Local Address: 10.0.0.2:50000) 90 bytes\n"
		/* Cut short: kept as one record, as before. */
		UP("16:12:22.100") "Sending Packet - 10.0.0.1:5061 (From Local "
		"Address: 10.0.0.2:50000) 90 bytes:\n"			/* 30 */
		UP("16:12:22.100") "OPTIONS sip:10.0.0.1 SIP/2.0\n"
		"Call-ID: m4\n"
		"Content-Length: 0\n"
		"\n"
		"OPTIONS sip:10.0.0.1 SIP/2.0\n"
		"Call-ID: m5\n"
		"Content-Length: 0\n"
		"\n";
	struct run run;
	struct rd_record *a, *b, *c, again;
	struct reader *r;
	size_t i;

	run_str(&run, "uccapi", s);
	ck_assert_uint_eq(run.n, 5);
	a = &run.rec[0];
	b = &run.rec[1];
	c = &run.rec[2];
	ck_assert_uint_eq(a->line, 1);
	span_is(a->start, "SIP/2.0 200 OK");
	span_is(a->hdrs, "Call-ID: m1\nCSeq: 1 SUBSCRIBE\nContent-Length: 0");
	ck_assert_uint_eq(a->body.n, 0);
	ck_assert_uint_eq(b->line, 7);
	ck_assert_uint_eq(b->off, a->off + a->len);
	span_is(b->start, "NOTIFY sip:a@10.0.0.2 SIP/2.0");
	span_is(b->hdrs, "Call-ID: m1\nCSeq: 1 NOTIFY\nContent-Length: 6");
	/* Content-Length counts the wire's CRLF. */
	span_is(b->body, "a\nb\n");
	ck_assert_uint_eq(c->line, 15);
	span_is(c->start, "SIP/2.0 200 OK");
	span_is(c->hdrs, "Call-ID: m2\r\nContent-Length: 0");
	ck_assert_uint_eq(c->body.n, 0);
	/* The last one runs to the End line, included. */
	ck_assert_uint_eq(c->off + c->len, run.rec[3].off);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(run.rec[i].dir, DIR_IN);
		span_is(run.rec[i].src, "10.0.0.1:5061");
		span_is(run.rec[i].dst, "10.0.0.2:50000");
		ck_assert(run.rec[i].time == civil(2009, 7, 14, 16, 12, 21,
		    901000));
		ck_assert_uint_eq(run.rec[i].flags, 0);
	}
	ck_assert_uint_eq(run.rec[3].line, 20);
	span_is(run.rec[3].start, "OPTIONS sip:10.0.0.1 SIP/2.0");
	ck_assert_uint_eq(run.rec[3].flags, 0);
	ck_assert_uint_eq(run.rec[4].line, 30);
	ck_assert_uint_eq(run.rec[4].flags, RECF_TRUNCATED);
	ck_assert_uint_eq(run.r->stats.junk_lines, 0);
	ck_assert_uint_eq(run.r->nwarnings, 1);

	/* Each read again from its offset, as the engine does, with no
	 * reading of the block before it. */
	for (i = 0; i < run.n; i++) {
		r = reader_new(reader_by_name("uccapi"), s, sizeof s - 1);
		r->pos = run.rec[i].off;
		r->line = run.rec[i].line;
		ck_assert_int_eq(reader_next(r, &again), 1);
		ck_assert_uint_eq(again.off, run.rec[i].off);
		ck_assert_uint_eq(again.len, run.rec[i].len);
		ck_assert_uint_eq(again.line, run.rec[i].line);
		ck_assert(again.start.p == run.rec[i].start.p);
		ck_assert(again.body.p == run.rec[i].body.p);
		ck_assert_uint_eq(again.body.n, run.rec[i].body.n);
		ck_assert(again.src.p == run.rec[i].src.p);
		ck_assert(again.time == run.rec[i].time);
		reader_free(r);
	}
	/* A message start line that is no block's second message: the
	 * reader goes on to the next block. */
	r = reader_new(reader_by_name("uccapi"), s, sizeof s - 1);
	r->pos = (size_t)(strstr(s, "BYE sip:") - s);
	ck_assert_int_eq(reader_next(r, &again), 1);
	ck_assert_uint_eq(again.off, run.rec[4].off);
	reader_free(r);
	run_done(&run);
}
END_TEST

/* A block of very many messages is no client's read: one record, and a
 * warning says why. */
START_TEST(test_uccapi_multi_cap)
{
	struct strbuf sb;
	struct run run;
	int i, n;

	for (n = 32; n <= 33; n++) {
		strbuf_init(&sb);
		strbuf_adds(&sb, UP("16:12:21.901") "Data Received - "
		    "10.0.0.1:5061 (To Local Address: 10.0.0.2:50000) 9 "
		    "bytes:\n" UP("16:12:21.901"));
		for (i = 0; i < n; i++)
			strbuf_addf(&sb, "OPTIONS sip:10.0.0.2 SIP/2.0\n"
			    "Call-ID: c%d\nContent-Length: 0\n\n", i);
		strbuf_adds(&sb, UP("16:12:21.901") "End of Data Received - "
		    "10.0.0.1:5061 (To Local Address: 10.0.0.2:50000) 9 "
		    "bytes\n");
		run_all(&run, "uccapi", sb.buf, sb.len);
		if (n == 32) {
			ck_assert_uint_eq(run.n, 32);
			ck_assert_uint_eq(run.r->nwarnings, 0);
		} else {
			ck_assert_uint_eq(run.n, 1);
			ck_assert(has_warning(&run, 1, "more than 32 messages"));
		}
		run_done(&run);
		strbuf_free(&sb);
	}
}
END_TEST

START_TEST(test_long_junk_line)
{
	/* A multi-megabyte line before the first record is one junk line. */
	size_t n = 3 * 1024 * 1024, i;
	static const char tail[] = "\nSIP/2.0 200 OK\r\nCall-ID: long\r\n\r\n";
	char *buf = xmalloc(n + sizeof tail);
	struct run run;

	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
	memcpy(buf + n, tail, sizeof tail);
	run_all(&run, "raw", buf, n + sizeof tail - 1);
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.rec[0].line, 2);
	ck_assert_uint_eq(run.r->stats.junk_lines, 1);
	run_done(&run);
	run_all(&run, "cls", buf, n + sizeof tail - 1);
	ck_assert_uint_eq(run.n, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 3);
	ck_assert_uint_eq(run.r->nwarnings, 1);
	run_done(&run);
	free(buf);
}
END_TEST

START_TEST(test_warning_cap)
{
	static const char unit[] = "junk\nSIP/2.0 200 OK\r\nl: 0\r\n\r\n";
	size_t n = 100005, i, ul = sizeof unit - 1;
	char *buf = xmalloc(n * ul);
	const struct rd_format *f = reader_by_name("raw");
	struct reader *r;
	struct rd_record rec;
	size_t recs = 0;

	for (i = 0; i < n; i++)
		memcpy(buf + i * ul, unit, ul);
	r = reader_new(f, buf, n * ul);
	while (reader_next(r, &rec))
		recs++;
	ck_assert_uint_eq(recs, n);
	ck_assert_uint_eq(r->stats.junk_lines, n);
	ck_assert_uint_eq(r->nwarnings, 100001);
	ck_assert_uint_eq(r->warnings[99999].line, 99999 * 4 + 1);
	ck_assert_str_eq(r->warnings[100000].msg,
	    "further warnings not listed");
	reader_free(r);
	free(buf);
}
END_TEST

START_TEST(test_helpers)
{
	static const char s[] = "ab\ncd\r\nef";
	const struct rd_format *f = reader_by_name("raw");
	struct reader *r = reader_new(f, s, sizeof s - 1);
	size_t next, end, n;

	ck_assert_ptr_null(reader_by_name("nope"));
	ck_assert_str_eq(reader_formats[0]->name, "cls");
	ck_assert_str_eq(reader_formats[1]->name, "uccapi");
	ck_assert_str_eq(reader_formats[2]->name, "sngrep");
	/* raw takes any SIP: it is probed last; names are unique. */
	for (n = 0; reader_formats[n] != NULL; n++) {
		ck_assert_ptr_eq(reader_by_name(reader_formats[n]->name),
				 reader_formats[n]);
		ck_assert_ptr_nonnull(reader_formats[n]->desc);
	}
	ck_assert_str_eq(reader_formats[n - 1]->name, "raw");
	end = reader_line_end(r, 0, &next);
	ck_assert_uint_eq(end, 2);
	ck_assert_uint_eq(next, 3);
	end = reader_line_end(r, 3, &next);
	ck_assert_uint_eq(end, 6);
	ck_assert_uint_eq(next, 7);
	end = reader_line_end(r, 7, &next);
	ck_assert_uint_eq(end, 9);
	ck_assert_uint_eq(next, 9);
	ck_assert_uint_eq(reader_progress(r), 0);
	reader_advance(r, 7);
	ck_assert_uint_eq(r->line, 3);
	ck_assert_uint_eq(reader_progress(r), 777);
	reader_advance(r, 100);
	ck_assert_uint_eq(r->pos, 9);
	ck_assert_uint_eq(reader_progress(r), 1000);
	reader_warn(r, 4, "x=%d", 5);
	ck_assert_uint_eq(r->nwarnings, 1);
	ck_assert_str_eq(r->warnings[0].msg, "x=5");
	reader_free(r);
	reader_free(NULL);
}
END_TEST

/* Times of day across midnight, as the readers of undated logs place
 * them. */
START_TEST(test_tod_roll)
{
	struct rd_tod t;
	int64_t h = INT64_C(3600000000);

	memset(&t, 0, sizeof t);
	ck_assert(rd_tod_roll(&t, TIME_NONE) == TIME_NONE);
	ck_assert(rd_tod_roll(&t, 23 * h) == 23 * h);
	/* Back by a little: records out of order, the same day. */
	ck_assert(rd_tod_roll(&t, 22 * h) == 22 * h);
	/* Back by more than 12 hours: past midnight. */
	ck_assert(rd_tod_roll(&t, h / 2) == RD_DAY + h / 2);
	ck_assert(rd_tod_roll(&t, 2 * h) == RD_DAY + 2 * h);
	ck_assert(rd_tod_roll(&t, TIME_NONE) == TIME_NONE);
	ck_assert(rd_tod_roll(&t, 23 * h) == RD_DAY + 23 * h);
	ck_assert(rd_tod_roll(&t, 0) == 2 * RD_DAY);
	ck_assert(rd_tod_roll(&t, 12 * h) == 2 * RD_DAY + 12 * h);
	/* Exactly 12 hours back is not yet the next day. */
	ck_assert(rd_tod_roll(&t, 0) == 2 * RD_DAY);
}
END_TEST

/* The time of day most logs write, "HH:MM:SS" and a fraction, as the
 * readers share it (rd_common.c). */
START_TEST(test_clock)
{
	static const struct {
		const char *text;
		size_t at;
		const char *fsep;
		int64_t tod;	/* -1: none */
		int prec;
		size_t end;
	} cases[] = {
		{ "09:15:11", 0, ".", 33311000000, 0, 8 },
		{ "09:15:11.204118 x", 0, ".", 33311204118, 6, 15 },
		{ "x 09:15:11.2", 2, ".", 33311200000, 1, 12 },
		/* Digits past the sixth are read over, not kept. */
		{ "23:59:60.12345678: ", 0, ".", 86400123456, 6, 17 },
		/* A separator without digits is still taken. */
		{ "09:15:11.Z", 0, ".", 33311000000, 0, 9 },
		{ "09:15:11:204", 0, ".", 33311000000, 0, 8 },
		{ "09:15:11:204", 0, ".:,", 33311204000, 3, 12 },
		{ "09:15:11,5", 0, ".:,", 33311500000, 1, 10 },
		{ "09:15:11.5", 0, NULL, 33311000000, 0, 8 },
		{ "24:00:00", 0, ".", -1, 0, 0 },
		{ "09:60:00", 0, ".", -1, 0, 0 },
		{ "09:15:61", 0, ".", -1, 0, 0 },
		{ "9:15:11.5", 0, ".", -1, 0, 0 },
		{ "09-15-11", 0, ".", -1, 0, 0 },
		{ "09:15:1", 0, ".", -1, 0, 0 },
	};
	struct rd_record rec;
	size_t i, end;
	int64_t tod;
	long us;
	int prec;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *t = cases[i].text;

		end = 99;
		prec = 99;
		tod = rd_clock(t, strlen(t), cases[i].at, cases[i].fsep,
			       &prec, &end);
		ck_assert_msg(tod == cases[i].tod, "%s: %lld", t,
			      (long long)tod);
		if (tod < 0)
			continue;
		ck_assert_msg(prec == cases[i].prec, "%s: prec %d", t, prec);
		ck_assert_msg(end == cases[i].end, "%s: end %zu", t, end);
	}
	/* Only within n: the fraction stops there. */
	ck_assert(rd_clock("09:15:11.123456", 11, 0, ".", &prec, &end) ==
		  33311120000);
	ck_assert_int_eq(prec, 2);
	ck_assert_uint_eq(end, 11);
	ck_assert(rd_clock("09:15:11", 7, 0, ".", &prec, &end) == -1);

	ck_assert_uint_eq(rd_fraction("0042x", 5, 0, &us, &prec), 4);
	ck_assert_int_eq(us, 4200);
	ck_assert_int_eq(prec, 4);
	ck_assert_uint_eq(rd_fraction("x", 1, 0, &us, &prec), 0);
	ck_assert_int_eq(us, 0);
	ck_assert_int_eq(prec, 0);

	/* On a day: the record's time, precision and whether it is dated;
	 * left as it was when there is no time. */
	memset(&rec, 0, sizeof rec);
	ck_assert_uint_eq(rd_clock_on("16:00:00.123 UTC", 16, 0, ".", 2026,
				      11, 26, 1, &rec), 12);
	ck_assert(rec.time == time_from_civil(2026, 11, 26, 16, 0, 0, 123000));
	ck_assert_int_eq(rec.time_prec, 3);
	ck_assert_int_eq(rec.has_date, 1);
	ck_assert_uint_eq(rd_clock_on("07:08:09", 8, 0, NULL, 1970, 3, 11, 0,
				      &rec), 8);
	ck_assert(rec.time == time_from_civil(1970, 3, 11, 7, 8, 9, 0));
	ck_assert_int_eq(rec.time_prec, 0);
	ck_assert_int_eq(rec.has_date, 0);
	ck_assert_uint_eq(rd_clock_on("07:08", 5, 0, ".", 2026, 1, 1, 1,
				      &rec), 0);
	ck_assert(rec.time == time_from_civil(1970, 3, 11, 7, 8, 9, 0));
	ck_assert_int_eq(rec.has_date, 0);
}
END_TEST

/* UTC offsets after a time, and the zone of a clock logged beside a
 * stamp with one. */
START_TEST(test_utc_offset)
{
	int64_t off, h = INT64_C(3600000000), m = 60000000;
	size_t end;

	ck_assert_int_eq(rd_utc_offset("12Z x", 5, 2, &off, &end), 0);
	ck_assert(off == 0);
	ck_assert_uint_eq(end, 3);
	ck_assert_int_eq(rd_utc_offset("+01:00", 6, 0, &off, &end), 0);
	ck_assert(off == h);
	ck_assert_uint_eq(end, 6);
	ck_assert_int_eq(rd_utc_offset("-0530 host", 10, 0, &off, &end), 0);
	ck_assert(off == -(5 * h + 30 * m));
	ck_assert_uint_eq(end, 5);
	ck_assert_int_eq(rd_utc_offset("+02", 3, 0, &off, &end), 0);
	ck_assert(off == 2 * h);
	ck_assert_int_eq(rd_utc_offset(" +01:00", 7, 0, &off, &end), -1);
	ck_assert_int_eq(rd_utc_offset("+1:00", 5, 0, &off, &end), -1);
	ck_assert_int_eq(rd_utc_offset("+01:75", 6, 0, &off, &end), -1);
	ck_assert_int_eq(rd_utc_offset("+15:00", 6, 0, &off, &end), -1);
	ck_assert_int_eq(rd_utc_offset("+010", 4, 0, &off, &end), -1);
	ck_assert_int_eq(rd_utc_offset("+", 1, 0, &off, &end), -1);

	/* The stamp: 10:00:00 at +01:00 (09:00 UTC). A clock that agrees
	 * with it (a few seconds apart) is in its zone; one an hour behind
	 * is UTC; 5:30 ahead, India; one 20 hours off is wrong, and only
	 * the stamp's offset applies. */
	ck_assert(rd_zone_near(10 * h + 3000000, 10 * h, h) ==
	    9 * h + 3000000);
	ck_assert(rd_zone_near(9 * h - 3000000, 10 * h, h) ==
	    9 * h - 3000000);
	ck_assert(rd_zone_near(14 * h + 30 * m + 1, 9 * h, 0) == 9 * h + 1);
	ck_assert(rd_zone_near(30 * h, 10 * h, h) == 29 * h);
	ck_assert(rd_zone_near(TIME_NONE, 10 * h, h) == TIME_NONE);
}
END_TEST

/* Month and day without a year (as that day of 1970) across New Year. */
START_TEST(test_year_roll)
{
	struct rd_tod t;
	int64_t dec31 = 364 * RD_DAY + 23 * INT64_C(3600000000);

	memset(&t, 0, sizeof t);
	ck_assert(rd_year_roll(&t, TIME_NONE) == TIME_NONE);
	ck_assert(rd_year_roll(&t, dec31) == dec31);
	/* Back by days (records out of order, a log of a week): kept. */
	ck_assert(rd_year_roll(&t, dec31 - 3 * RD_DAY) == dec31 - 3 * RD_DAY);
	/* Jan 1, 00:00:00: a year on, one second after Dec 31 23:59:59
	 * less the hour above. */
	ck_assert(rd_year_roll(&t, 0) == 365 * RD_DAY);
	ck_assert(rd_year_roll(&t, 40 * RD_DAY) == 405 * RD_DAY);
	ck_assert(rd_year_roll(&t, dec31) == 365 * RD_DAY + dec31);
	ck_assert(rd_year_roll(&t, RD_DAY) == 731 * RD_DAY);
}
END_TEST

/* ------------------------------------------------------------ fixtures */

struct fixture {
	const char *file;
	const char *fmt;
	size_t records;
	size_t diag;
	size_t junk;
	size_t truncated;
};

static const struct fixture fixtures[] = {
	{ "remote-ntlm.cls.log", "cls", 6, 0, 0, 0 },
	{ "remote-ntlm.uccapilog", "uccapi", 6, 0, 5, 0 },
	{ "internal-kerberos.cls.log", "cls", 4, 0, 0, 0 },
	{ "internal-kerberos.uccapilog", "uccapi", 4, 0, 3, 0 },
	{ "reg-rejected.cls.log", "cls", 4, 0, 0, 0 },
	{ "reg-unanswered.uccapilog", "uccapi", 2, 0, 8, 0 },
	{ "reg-digest.sngrep.txt", "sngrep", 11, 0, 0, 0 },
	/* A body that quotes an sngrep header line and start line (within
	 * its Content-Length: no record), and a Content-Length longer than
	 * its body (the next message still its own). */
	{ "quoted-log.sngrep.txt", "sngrep", 4, 0, 0, 0 },
	{ "call-cancel.cls.log", "cls", 9, 2, 0, 0 },
	{ "call-busy.raw.sip", "raw", 11, 0, 0, 0 },
	/* A comment line first: still raw, the line skipped. */
	{ "comment.raw.sip", "raw", 11, 0, 2, 0 },
	{ "compact.raw.sip", "raw", 4, 0, 0, 0 },
	{ "folded.raw.sip", "raw", 2, 0, 0, 0 },
	{ "lf-only.cls.log", "cls", 3, 0, 0, 0 },
	{ "truncated.cls.log", "cls", 4, 0, 0, 1 },
	{ "junk.cls.log", "cls", 7, 1, 6, 0 },
	{ "large.raw.sip", "raw", 2, 0, 0, 0 },
	{ "bad.uccapilog", "uccapi", 6, 0, 14, 1 },
	{ "multi.uccapilog", "uccapi", 5, 0, 0, 0 },
	/* A body that quotes a block's opening, trace and End lines: its
	 * own, as the block's byte count says. */
	{ "quoted-log.uccapilog", "uccapi", 2, 0, 1, 0 },
	{ "conn.cls.log", "cls", 2, 2, 0, 0 },
};
#define NFIXTURES (sizeof fixtures / sizeof fixtures[0])

static struct source *
open_fixture(const char *name)
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
	struct source *src = open_fixture(fx->file);
	struct run run;
	size_t i, diag = 0;
	const char *end;

	ck_assert_ptr_eq(reader_probe(src->data, src->len),
	    reader_by_name(fx->fmt));
	run_all(&run, fx->fmt, src->data, src->len);
	ck_assert_msg(run.n == fx->records, "%s: %zu records", fx->file, run.n);
	ck_assert_msg(run.r->stats.junk_lines == fx->junk, "%s: %zu junk",
	    fx->file, run.r->stats.junk_lines);
	ck_assert_msg(run.r->stats.truncated == fx->truncated,
	    "%s: %zu truncated", fx->file, run.r->stats.truncated);
	end = src->data + src->len;
	for (i = 0; i < run.n; i++) {
		struct rd_record *rec = &run.rec[i];

		if (rec->kind == REC_DIAG)
			diag++;
		ck_assert(rec->off + rec->len <= src->len);
		ck_assert(rec->start.p >= src->data &&
		    rec->start.p + rec->start.n <= end);
		ck_assert(rec->hdrs.p >= src->data &&
		    rec->hdrs.p + rec->hdrs.n <= end);
		ck_assert(rec->body.p >= src->data &&
		    rec->body.p + rec->body.n <= end);
		if (i > 0)
			ck_assert(rec->off >= run.rec[i - 1].off +
			    run.rec[i - 1].len);
		if (rec->kind == REC_SIP && strcmp(fx->fmt, "raw") != 0) {
			ck_assert(rec->time != TIME_NONE);
			ck_assert(rec->src.n > 0 && rec->dst.n > 0);
		}
		/* Every fixture message but the junk.cls.log one has a Call-ID
		 * (full or compact form) in its header block. */
		if (rec->kind == REC_SIP && rec->hdrs.n > 0 &&
		    span_ifind(rec->hdrs, "\ni:", 3) < 0 &&
		    span_ifind(rec->hdrs, "call-id:", 8) < 0)
			ck_assert_str_eq(fx->file, "junk.cls.log");
	}
	ck_assert_uint_eq(diag, fx->diag);
	run_done(&run);
	source_free(src);
}
END_TEST

/* The engine re-reads one message by starting a reader at its offset and
 * line: that must give back the very same record. */
START_TEST(test_fixture_restart)
{
	const struct fixture *fx = &fixtures[_i];
	struct source *src = open_fixture(fx->file);
	const struct rd_format *f = reader_by_name(fx->fmt);
	struct run run;
	struct reader *r;
	struct rd_record again;
	size_t i;

	run_all(&run, fx->fmt, src->data, src->len);
	for (i = 0; i < run.n; i++) {
		struct rd_record *rec = &run.rec[i];

		r = reader_new(f, src->data, src->len);
		r->pos = rec->off;
		r->line = rec->line;
		ck_assert_int_eq(reader_next(r, &again), 1);
		ck_assert_uint_eq(again.off, rec->off);
		ck_assert_uint_eq(again.len, rec->len);
		ck_assert_uint_eq(again.line, rec->line);
		ck_assert_int_eq(again.kind, rec->kind);
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
		same_span(again.diag_level, rec->diag_level, "level", i);
		/* No junk before a record that starts where it should. */
		ck_assert_uint_eq(r->stats.junk_lines, 0);
		reader_free(r);
	}
	run_done(&run);
	source_free(src);
}
END_TEST

/* Each probe recognises its own fixtures and no other format's. */
START_TEST(test_probes)
{
	static const char plain[] = "hello world\nthis is a README\n"
	    "with: colons\nand 2025/03/11 dates\nINVITE is a word\n";
	size_t i, k;
	struct source *src;

	for (i = 0; i < NFIXTURES; i++) {
		src = open_fixture(fixtures[i].file);
		for (k = 0; reader_formats[k] != NULL; k++) {
			int score = reader_formats[k]->probe(src->data,
			    src->len < 8192 ? src->len : 8192);

			if (strcmp(reader_formats[k]->name,
			    fixtures[i].fmt) == 0)
				ck_assert_msg(score >= 50, "%s: %s %d",
				    fixtures[i].file, reader_formats[k]->name,
				    score);
			else
				ck_assert_msg(score == 0, "%s: %s %d",
				    fixtures[i].file, reader_formats[k]->name,
				    score);
		}
		source_free(src);
	}
	ck_assert_ptr_null(reader_probe("", 0));
	ck_assert_ptr_null(reader_probe(plain, sizeof plain - 1));
	ck_assert_ptr_null(reader_probe("\n\n\n", 3));

	/* A client log whose first lines are mostly an XML dump. */
	{
		struct strbuf sb;
		int j;

		strbuf_init(&sb);
		strbuf_adds(&sb, UP("16:12:21.001") "<provision>\n");
		for (j = 0; j < 100; j++)
			strbuf_addf(&sb, "  <item id=\"%d\"/>\n", j);
		for (j = 0; j < 3; j++)
			strbuf_adds(&sb, UP("16:12:21.002") "CUcc::Poll\n");
		ck_assert_ptr_eq(reader_probe(sb.buf, sb.len),
		    reader_by_name("uccapi"));
		strbuf_free(&sb);
	}
}
END_TEST

START_TEST(test_fixture_content)
{
	struct source *src;
	struct run run;
	size_t i;

	/* Remote NTLM: in, out alternating at the edge, one Call-ID. */
	src = open_fixture("remote-ntlm.cls.log");
	run_all(&run, "cls", src->data, src->len);
	for (i = 0; i < run.n; i++) {
		ck_assert_int_eq(run.rec[i].dir, i % 2 == 0 ? DIR_IN : DIR_OUT);
		ck_assert(span_ifind(run.rec[i].hdrs,
		    "Call-ID: 9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01", 41) >= 0);
	}
	span_is(run.rec[0].src, "198.51.100.23:49721");
	span_is(run.rec[0].dst, "local");
	ck_assert(span_ifind(run.rec[1].hdrs, "ms-user-logon-data: RemoteUser",
	    30) >= 0);
	ck_assert(span_ifind(run.rec[3].hdrs, "gssapi-data=\"TlRMTVNTUAACAAAA",
	    28) >= 0);
	ck_assert(span_ifind(run.rec[4].hdrs, "gssapi-data=\"TlRMTVNTUAADAAAA",
	    28) >= 0);
	span_is(run.rec[5].start, "SIP/2.0 200 OK");
	run_done(&run);
	source_free(src);

	/* CRLF server log with the [host\host] bracket. */
	src = open_fixture("internal-kerberos.cls.log");
	run_all(&run, "cls", src->data, src->len);
	span_is(run.rec[0].dst, "R2EE01");
	span_is(run.rec[1].src, "R2EE01");
	ck_assert(span_ifind(run.rec[0].hdrs, "\r\n", 2) > 0);
	ck_assert(run.rec[0].hdrs.p[run.rec[0].hdrs.n - 1] != '\r');
	ck_assert(span_ifind(run.rec[2].hdrs, "gssapi-data=\"YII", 16) >= 0);
	run_done(&run);
	source_free(src);

	/* A body over 64 KiB, then the next message is still found. */
	src = open_fixture("large.raw.sip");
	run_all(&run, "raw", src->data, src->len);
	ck_assert_uint_eq(run.rec[0].flags, RECF_LARGE);
	ck_assert_uint_gt(run.rec[0].body.n, 65536);
	ck_assert_uint_eq(run.rec[1].flags, 0);
	span_is(run.rec[1].start, "SIP/2.0 200 OK");
	run_done(&run);
	source_free(src);

	/* The client log: out then in, local and peer from the block line. */
	src = open_fixture("remote-ntlm.uccapilog");
	run_all(&run, "uccapi", src->data, src->len);
	ck_assert_int_eq(run.rec[0].dir, DIR_OUT);
	span_is(run.rec[0].src, "198.51.100.23:49721");
	span_is(run.rec[0].dst, "203.0.113.10:443");
	ck_assert_int_eq(run.rec[1].dir, DIR_IN);
	span_is(run.rec[1].src, "203.0.113.10:443");
	run_done(&run);
	source_free(src);
}
END_TEST

/* Every prefix of every fixture reads without crashing, stays inside the
 * bytes and ends. */
START_TEST(test_fixture_prefixes)
{
	const struct fixture *fx = &fixtures[_i];
	struct source *src = open_fixture(fx->file);
	size_t cut, step = src->len > 20000 ? 997 : 13;
	struct run run;

	for (cut = 0; cut <= src->len; cut += step) {
		struct source *part = source_from_mem("part", src->data, cut);
		size_t k;

		run_all(&run, fx->fmt, part->data, part->len);
		for (k = 0; k < run.n; k++)
			ck_assert(run.rec[k].off + run.rec[k].len <= cut);
		run_done(&run);
		source_free(part);
	}
	source_free(src);
}
END_TEST

static Suite *
reader_suite(void)
{
	Suite *s = suite_create("reader");
	TCase *tc = tcase_create("formats");
	TCase *tf = tcase_create("fixtures");

	tcase_add_test(tc, test_cls_basic);
	tcase_add_test(tc, test_cls_host_body_diag);
	tcase_add_test(tc, test_cls_connection);
	tcase_add_test(tc, test_cls_truncated_and_junk);
	tcase_add_test(tc, test_cls_body_alignment);
	tcase_add_test(tc, test_release);
	tcase_add_test(tc, test_uccapi);
	tcase_add_test(tc, test_sngrep);
	tcase_add_test(tc, test_sngrep_ipv6);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_raw_no_final_newline);
	tcase_add_test(tc, test_raw_lf_converted);
	tcase_add_test(tc, test_long_junk_line);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_uccapi_lf_body);
	tcase_add_test(tc, test_uccapi_continued);
	tcase_add_test(tc, test_uccapi_join_more);
	tcase_add_test(tc, test_uccapi_join_pieces);
	tcase_add_test(tc, test_uccapi_multi);
	tcase_add_test(tc, test_uccapi_multi_cap);
	tcase_add_test(tc, test_large_flag);
	tcase_add_test(tc, test_uccapi_unprefixed_start);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_tod_roll);
	tcase_add_test(tc, test_clock);
	tcase_add_test(tc, test_utc_offset);
	tcase_add_test(tc, test_year_roll);
	tcase_add_test(tc, test_warning_cap);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tf, 60);
	tcase_add_loop_test(tf, test_fixture_counts, 0, NFIXTURES);
	tcase_add_loop_test(tf, test_fixture_restart, 0, NFIXTURES);
	tcase_add_test(tf, test_probes);
	tcase_add_test(tf, test_fixture_content);
	tcase_add_loop_test(tf, test_fixture_prefixes, 0, NFIXTURES);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(reader_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
