/* Unit tests for rd_ngrep: ngrep -W byline output rebuilt into messages
 * (CRs, Content-Length, TCP segments joined and split, IPv6 addresses),
 * its probe, and output that cannot be read (no -W byline). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "helpers.h"
#include "rd_common.h"
#include "source.h"
#include "util.h"


static void
run_all(struct test_transform *run, const char *data, size_t len)
{
	test_transform_run(run, "ngrep", data, len);
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

/* ngrep -t -W byline: the banner, a '#' per packet that did not match, a
 * CRLF keep-alive, a message with a body, ngrep's closing lines. */
static const char udp[] =
	"interface: eth0 (192.0.2.0/255.255.255.0)\n"
	"filter: ( port 5060 ) and ((ip || ip6) || (vlan && (ip || ip6)))\n"
	"#\n"
	"U 2025/03/11 09:15:11.204118 198.51.100.23:5060 -> 192.0.2.10:5060\n"
	"OPTIONS sip:192.0.2.10 SIP/2.0.\n"
	"Call-ID: n1.\n"
	"Content-Type: application/sdp.\n"
	"Content-Length: 10.\n"
	".\n"
	"v=0.\n"
	"s=-.\n"
	"\n"
	"###\n"
	"U 2025/03/11 09:15:12.000001 198.51.100.23:5060 -> 192.0.2.10:5060\n"
	".\n"
	".\n"
	"\n"
	"#\n"
	"U 2025/03/11 09:15:12.500000 192.0.2.10:5060 -> 198.51.100.23:5060\n"
	"SIP/2.0 200 OK.\n"
	"Call-ID: n1.\n"
	"Content-Length: 0.\n"
	".\n"
	"\n"
	"exit\n"
	"3 received, 0 dropped\n";

START_TEST(test_udp)
{
	struct test_transform run;
	struct rd_record *a, *b;

	run_all(&run, udp, strlen(udp));
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	a = &run.rec[0];
	b = &run.rec[1];
	ck_assert_uint_eq(a->line, 4);
	ck_assert(a->time == time_from_civil(2025, 3, 11, 9, 15, 11, 204118));
	ck_assert_int_eq(a->time_prec, 6);
	ck_assert_int_eq(a->has_date, 1);
	span_is(a->src, "198.51.100.23:5060");
	span_is(a->dst, "192.0.2.10:5060");
	span_is(a->transport, "UDP");
	/* The dots before the line ends were CRs: the body is whole. */
	span_is(a->start, "OPTIONS sip:192.0.2.10 SIP/2.0");
	span_is(a->hdrs, "Call-ID: n1\r\nContent-Type: application/sdp\r\n"
	    "Content-Length: 10");
	span_is(a->body, "v=0\r\ns=-\r\n");
	ck_assert_uint_eq(a->flags, 0);
	ck_assert_uint_eq(b->line, 19);
	span_is(b->start, "SIP/2.0 200 OK");
	span_is(b->src, "192.0.2.10:5060");
	ck_assert_uint_eq(b->body.n, 0);
	ck_assert_uint_eq(b->flags, 0);
	/* The keep-alive is no message and no warning; the banner and the
	 * closing lines are counted. */
	ck_assert_uint_eq(run.r->nwarnings, 0);
	ck_assert_uint_eq(run.r->stats.junk_lines, 4);
	run_done(&run);
}
END_TEST

/* ngrep -q -W byline over TCP and IPv6, no times: a message in two
 * segments, two messages in one segment. */
static const char tcp[] =
	"\n"
	"T 2001:db8::23:50444 -> 2001:db8::10:5060 [AP]\n"
	"INVITE sip:1003@[2001:db8::10] SIP/2.0.\n"
	"Call-ID: t1.\n"
	"Content-Length: 10.\n"
	".\n"
	"v=0.\n"
	"\n"
	"\n"
	"T 2001:db8::23:50444 -> 2001:db8::10:5060 [AP]\n"
	"s=-.\n"
	"\n"
	"\n"
	"T 2001:db8::10:5060 -> 2001:db8::23:50444 [AP]\n"
	"SIP/2.0 100 Trying.\n"
	"Call-ID: t1.\n"
	"Content-Length: 0.\n"
	".\n"
	"SIP/2.0 486 Busy Here.\n"
	"Call-ID: t1.\n"
	"Content-Length: 0.\n"
	".\n"
	"\n";

START_TEST(test_tcp)
{
	struct test_transform run;

	run_all(&run, tcp, strlen(tcp));
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(run.rec[0].line, 2);
	ck_assert(run.rec[0].time == TIME_NONE);
	span_is(run.rec[0].src, "[2001:db8::23]:50444");
	span_is(run.rec[0].dst, "[2001:db8::10]:5060");
	span_is(run.rec[0].transport, "TCP");
	span_is(run.rec[0].body, "v=0\r\ns=-\r\n");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	span_is(run.rec[1].start, "SIP/2.0 100 Trying");
	span_is(run.rec[2].start, "SIP/2.0 486 Busy Here");
	ck_assert_uint_eq(run.rec[1].line, 14);
	ck_assert_uint_eq(run.rec[2].line, 14);
	span_is(run.rec[2].src, "[2001:db8::10]:5060");
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

/* TCP segments end anywhere: inside a line, between a CR and its LF. The
 * blank lines ngrep writes after a payload say whether it ended with a
 * line feed (two before the next header, one when it did not). */
static const char tcp_split[] =
	"\n"
	"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
	"INVITE sip:a@192.0.2.2 SIP/2.0.\n"
	"Call-ID: s1.\n"
	"Content-Length: 22.\n"
	".\n"
	"v=0.\n"
	"o=- 1\n"
	"\n"
	"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
	" 1 IN.\n"
	"\n"
	"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
	"\n"
	"s=-.\n"
	"\n"
	"#\n"
	"T 192.0.2.2:5060 -> 192.0.2.1:5060 [AP]\n"
	"SIP/2.0 100 Trying.\n"
	"Call-ID: s1.\n"
	"Content-Length: 0.\n"
	".\n"
	"\n";

START_TEST(test_tcp_split_lines)
{
	struct test_transform run;

	run_all(&run, tcp_split, strlen(tcp_split));
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	span_is(run.rec[0].start, "INVITE sip:a@192.0.2.2 SIP/2.0");
	span_is(run.rec[0].body, "v=0\r\no=- 1 1 IN\r\ns=-\r\n");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[0].line, 2);
	span_is(run.rec[1].start, "SIP/2.0 100 Trying");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

/* The end of a header block split over three segments (the last CR
 * and its LF in different ones), then the body and another message: the
 * held bytes are looked at once each, and the message is whole when its
 * Content-Length is there. */
START_TEST(test_tcp_header_end_split)
{
	static const char s[] =
		"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
		"INVITE sip:a@192.0.2.2 SIP/2.0.\n"
		"Call-ID: h1.\n"
		"Content-Le\n"
		"\n"
		"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
		"ngth: 5.\n"
		".\n"
		"\n"
		"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
		"\n"
		"v=0.\n"
		"OPTIONS sip:b@192.0.2.2 SIP/2.0.\n"
		"Call-ID: h2.\n"
		"Content-Length: 0.\n"
		".\n"
		"\n"
		"\n";
	struct test_transform run;

	run_all(&run, s, strlen(s));
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	span_is(run.rec[0].start, "INVITE sip:a@192.0.2.2 SIP/2.0");
	span_is(run.rec[0].body, "v=0\r\n");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	ck_assert_uint_eq(run.rec[0].line, 1);
	span_is(run.rec[1].start, "OPTIONS sip:b@192.0.2.2 SIP/2.0");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);
}
END_TEST

/* A message whose segment never got its rest is kept, flagged. */
START_TEST(test_tcp_cut)
{
	static const char s[] =
		"T 192.0.2.1:5060 -> 192.0.2.2:5060 [AP]\n"
		"INVITE sip:a@192.0.2.2 SIP/2.0.\n"
		"Call-ID: c1.\n"
		"Content-Length: 100.\n"
		".\n"
		"v=0.\n"
		"\n"
		"\n"
		"T 192.0.2.2:5060 -> 192.0.2.1:5060 [AP]\n"
		"SIP/2.0 100 Trying.\n"
		"Call-ID: c1.\n"
		"Content-Length: 0.\n"
		".\n";
	struct test_transform run;

	run_all(&run, s, strlen(s));
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].flags, RECF_TRUNCATED);
	span_is(run.rec[0].body, "v=0\r\n");
	ck_assert_uint_eq(run.rec[1].flags, 0);
	ck_assert_uint_eq(run.r->nwarnings, 1);
	ck_assert_uint_eq(run.r->warnings[0].line, 1);
	run_done(&run);
}
END_TEST

/* Without -W byline a packet is one line whose line breaks are dots: not
 * read, and the reason says how to capture. A packet that is not SIP is
 * skipped with a warning. */
START_TEST(test_unwrapped)
{
	static const char s[] =
		"U 192.0.2.1:5060 -> 192.0.2.2:5060\n"
		"OPTIONS sip:a@192.0.2.2 SIP/2.0..Call-ID: u1....\n"
		"\n";
	static const char other[] =
		"U 192.0.2.1:5060 -> 192.0.2.2:5060\n"
		"hello\n"
		"\n"
		"U 192.0.2.2:5060 -> 192.0.2.1:5060\n"
		"SIP/2.0 200 OK.\n"
		"Call-ID: u2.\n"
		".\n";
	struct test_transform run;

	run_all(&run, s, strlen(s));
	ck_assert_int_eq(run.rc, -1);
	ck_assert_ptr_nonnull(run.err);
	ck_assert_ptr_nonnull(strstr(run.err, "-W byline"));
	run_done(&run);

	run_all(&run, other, strlen(other));
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 1);
	ck_assert_uint_eq(run.r->nwarnings, 1);
	ck_assert_uint_eq(run.r->warnings[0].line, 1);
	ck_assert_ptr_nonnull(strstr(run.r->warnings[0].msg, "no SIP"));
	run_done(&run);
}
END_TEST

START_TEST(test_probe)
{
	static const char sngrep[] =
		"2025/03/11 09:15:11.204118 10.0.0.1:5060 -> 10.0.0.2:5060\n"
		"OPTIONS sip:a@10.0.0.2 SIP/2.0\r\n";
	static const char prose[] =
		"U 2.1 -> 3.2 is a move\nT 4 -> 5 too\nOPTIONS sip:a SIP/2.0.\n";

	ck_assert_ptr_eq(reader_probe(udp, strlen(udp)),
	    reader_by_name("ngrep"));
	ck_assert_ptr_eq(reader_probe(tcp, strlen(tcp)),
	    reader_by_name("ngrep"));
	ck_assert_ptr_eq(reader_probe(sngrep, strlen(sngrep)),
	    reader_by_name("sngrep"));
	ck_assert_ptr_ne(reader_probe(prose, strlen(prose)),
	    reader_by_name("ngrep"));
}
END_TEST

/* A datagram larger than the link's MTU, in IP fragments: ngrep writes
 * each as a packet of its own, the later ones without ports and with
 * "+id@offset:length" (the offset counts the 8-byte UDP header). */
static const char frag[] =
	"interface: any\n"
	"filter: ( host 192.0.2.10 ) and ((ip || ip6) || (vlan && "
	"(ip || ip6)))\n"
	"\n"
	"U 2025/03/11 09:15:11.000001 198.51.100.23:5060 -> 192.0.2.10:5060 "
	"77@0:40\n"							/* 4 */
	"INVITE sip:b@192.0.2.10 SIP/2.0.\n"
	"Call-ID\n"
	"\n"
	"U 2025/03/11 09:15:11.000002 198.51.100.23 -> 192.0.2.10 +77@48:26\n"
	": f1.\n"
	"Content-Length: 12.\n"
	"\n"
	"\n"
	"U 2025/03/11 09:15:11.000003 198.51.100.23 -> 192.0.2.10 +77@74:14\n"
	".\n"
	"v=0.\n"
	"s=-.\n"
	"ab\n"
	"\n"
	"U 2025/03/11 09:15:11.100000 192.0.2.10:5060 -> 198.51.100.23:5060\n"
	"SIP/2.0 100 Trying.\n"					/* 20 */
	"Call-ID: f1.\n"
	"Content-Length: 0.\n"
	".\n"
	"\n";

START_TEST(test_udp_fragments)
{
	struct test_transform run;
	char *cut;
	size_t at;

	run_all(&run, frag, strlen(frag));
	ck_assert_int_eq(run.rc, 0);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_uint_eq(run.rec[0].line, 4);
	span_is(run.rec[0].start, "INVITE sip:b@192.0.2.10 SIP/2.0");
	span_is(run.rec[0].hdrs, "Call-ID: f1\r\nContent-Length: 12");
	span_is(run.rec[0].body, "v=0\r\ns=-\r\nab");
	span_is(run.rec[0].src, "198.51.100.23:5060");
	span_is(run.rec[0].dst, "192.0.2.10:5060");
	ck_assert_uint_eq(run.rec[0].flags, 0);
	span_is(run.rec[1].start, "SIP/2.0 100 Trying");
	ck_assert_uint_eq(run.r->nwarnings, 0);
	run_done(&run);

	/* The last fragment missing (a port filter drops the later ones):
	 * the message is kept cut short, and the lone fragment is not
	 * joined to a packet that is no fragment of it. */
	cut = xstrdup(frag);
	at = (size_t)(strstr(cut, "U 2025/03/11 09:15:11.000003") - cut);
	memmove(cut + at, strstr(cut, "U 2025/03/11 09:15:11.1"),
	    strlen(strstr(cut, "U 2025/03/11 09:15:11.1")) + 1);
	run_all(&run, cut, strlen(cut));
	ck_assert_uint_eq(run.n, 2);
	ck_assert(run.rec[0].flags & RECF_TRUNCATED);
	span_is(run.rec[1].start, "SIP/2.0 100 Trying");
	ck_assert_uint_eq(run.r->nwarnings, 1);
	ck_assert_str_eq(run.r->warnings[0].msg,
	    "message cut short (kept, flagged truncated)");
	ck_assert_uint_eq(run.r->warnings[0].line, 4);
	run_done(&run);
	free(cut);
}
END_TEST

/* Cut at every length: the reader stays inside its input (ASan). */
START_TEST(test_cut_everywhere)
{
	const char *logs[] = { udp, tcp, tcp_split, frag };
	size_t i, cut, len;
	struct test_transform run;
	char *buf;

	for (i = 0; i < 4; i++) {
		len = strlen(logs[i]);
		for (cut = 0; cut <= len; cut++) {
			buf = xmalloc(cut + 1);
			memcpy(buf, logs[i], cut);
			run_all(&run, buf, cut);
			run_done(&run);
			free(buf);
		}
	}
}
END_TEST

/* The fixtures: what each really holds. */
START_TEST(test_fixtures)
{
	static const struct {
		const char *file;
		size_t records, junk;
	} fx[] = {
		{ "fmt/ngrep-byline.txt", 8, 4 },
		{ "fmt/ngrep-tcp6.txt", 5, 0 },
		{ "fmt/ngrep-fragments.txt", 3, 4 },
	};
	struct source *src;
	struct test_transform run;
	char *path, *err = NULL;
	size_t i, k;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		path = xasprintf("%s/%s", TEST_DATA, fx[i].file);
		src = source_open(path, &err);
		ck_assert_msg(src != NULL, "%s", err);
		ck_assert_ptr_eq(reader_probe(src->data, src->len),
		    reader_by_name("ngrep"));
		run_all(&run, src->data, src->len);
		ck_assert_msg(run.n == fx[i].records, "%s: %zu records",
		    fx[i].file, run.n);
		ck_assert_msg(run.r->stats.junk_lines == fx[i].junk,
		    "%s: %zu junk", fx[i].file, run.r->stats.junk_lines);
		ck_assert_uint_eq(run.r->nwarnings, 0);
		for (k = 0; k < run.n; k++) {
			ck_assert_uint_eq(run.rec[k].flags, 0);
			ck_assert(run.rec[k].src.n > 0 &&
			    run.rec[k].dst.n > 0);
		}
		run_done(&run);
		source_free(src);
		free(path);
	}
}
END_TEST

/* Converts data[0..len) with more(), given bytes in pieces of step (the
 * reader's data growing as a pipe's would), then ended; the canonical
 * output into out, the warnings joined into warns. Returns more()'s
 * last result. */
static int
run_pieces(const char *data, size_t len, size_t step, struct strbuf *out,
	   struct strbuf *warns)
{
	const struct rd_format *f = reader_by_name("ngrep");
	struct reader *r = reader_new(f, data, 0);
	char *err = NULL;
	size_t at, i;
	int rc = 0;

	for (at = 0; at < len && rc == 0; ) {
		at = len - at < step ? len : at + step;
		r->len = at;
		rc = f->more(r, out, READER_MORE, &err);
	}
	if (rc == 0)
		rc = f->more(r, out, READER_END, &err);
	for (i = 0; i < r->nwarnings; i++)
		strbuf_addf(warns, "%u %s\n", r->warnings[i].line,
			    r->warnings[i].msg);
	strbuf_addf(warns, "junk %zu rc %d err %s\n", r->stats.junk_lines, rc,
		    err != NULL ? err : "");
	free(err);
	if (r->state != NULL)
		f->more_free(r);
	reader_free(r);
	return rc;
}

/* Read as it comes (ngrep -l -t -W byline | sipsnoop --follow -), in
 * pieces of any size that cut lines and packets anywhere: the same
 * canonical records, warnings and counts as the output read whole. A
 * packet is converted once the next one's header line is whole (its
 * payload ends there), not before: the last one at the end. */
START_TEST(test_pieces)
{
	static const size_t steps[] = { 1, 2, 5, 17, 64, 333, 100000 };
	const char *logs[] = { udp, tcp, tcp_split, frag };
	const struct rd_format *f = reader_by_name("ngrep");
	struct strbuf whole, wwarn, live, lwarn;
	struct reader *r;
	size_t i, k;
	char *err;

	for (i = 0; i < 4; i++) {
		strbuf_init(&whole);
		strbuf_init(&wwarn);
		run_pieces(logs[i], strlen(logs[i]), SIZE_MAX / 2, &whole,
			   &wwarn);
		ck_assert_uint_gt(whole.len, 0);
		for (k = 0; k < sizeof steps / sizeof steps[0]; k++) {
			strbuf_init(&live);
			strbuf_init(&lwarn);
			run_pieces(logs[i], strlen(logs[i]), steps[k], &live,
				   &lwarn);
			ck_assert_msg(live.len == whole.len &&
			    memcmp(live.buf, whole.buf, whole.len) == 0,
			    "log %zu, pieces of %zu: other records", i,
			    steps[k]);
			ck_assert_str_eq(lwarn.buf, wwarn.buf);
			strbuf_free(&live);
			strbuf_free(&lwarn);
		}
		strbuf_free(&whole);
		strbuf_free(&wwarn);
	}
	/* The last packet waits for the next header or the end. */
	strbuf_init(&live);
	r = reader_new(f, udp, strlen(udp));
	err = NULL;
	ck_assert_int_eq(f->more(r, &live, READER_MORE, &err), 0);
	ck_assert_ptr_nonnull(memmem(live.buf, live.len, "OPTIONS", 7));
	ck_assert_ptr_null(memmem(live.buf, live.len, "200 OK", 6));
	ck_assert_int_eq(f->more(r, &live, READER_END, &err), 0);
	ck_assert_ptr_nonnull(memmem(live.buf, live.len, "200 OK", 6));
	reader_free(r);
	strbuf_free(&live);
}
END_TEST

static Suite *
ngrep_suite(void)
{
	Suite *s = suite_create("rd_ngrep");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_tcp);
	tcase_add_test(tc, test_tcp_cut);
	tcase_add_test(tc, test_tcp_header_end_split);
	tcase_add_test(tc, test_tcp_split_lines);
	tcase_add_test(tc, test_udp_fragments);
	tcase_add_test(tc, test_unwrapped);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_cut_everywhere);
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_pieces);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ngrep_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
