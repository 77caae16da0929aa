/* Unit tests for rd_canon: records written by rd_canon_emit read back
 * whole, binary-safe, with the original line numbers; damage is skipped. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "reader.h"

static struct rd_record
mkrec(uint32_t line, const char *start, const char *hdrs, const char *body)
{
	struct rd_record rec;

	memset(&rec, 0, sizeof rec);
	rec.line = line;
	rec.time = TIME_NONE;
	rec.start.p = start;
	rec.start.n = strlen(start);
	rec.hdrs.p = hdrs;
	rec.hdrs.n = strlen(hdrs);
	rec.body.p = body;
	rec.body.n = strlen(body);
	return rec;
}

START_TEST(test_roundtrip)
{
	struct strbuf out;
	struct rd_record a, b, got;
	struct reader *r;
	static const char bin[] = "v=0\r\n\x1e\0\n binary";
	size_t off_b;

	strbuf_init(&out);
	a = mkrec(12, "REGISTER sip:uclab.org SIP/2.0",
		  "Call-ID: x\r\nCSeq: 1 REGISTER", "");
	a.time = time_from_civil(2024, 5, 6, 7, 8, 9, 123456);
	a.time_prec = 6;
	a.has_date = 1;
	a.dir = DIR_OUT;
	a.src = SPAN_LIT("10.0.0.1:5060");
	a.dst = SPAN_LIT("[2001:db8::1]:5061");
	a.transport = SPAN_LIT("TLS");
	a.flags = RECF_TRUNCATED;
	rd_canon_emit(&out, &a);
	off_b = out.len;
	b = mkrec(7000, "SIP/2.0 200 OK", "Call-ID: x", "");
	b.body.p = bin;
	b.body.n = sizeof bin - 1;
	b.kind = REC_DIAG;
	b.diag_level = SPAN_LIT("TL_ERROR");
	rd_canon_emit(&out, &b);

	r = reader_new(&rd_canon_format, out.buf, out.len);
	ck_assert_int_eq(reader_next(r, &got), 1);
	ck_assert_uint_eq(got.off, 0);
	ck_assert_uint_eq(got.line, 12);
	ck_assert(span_eq(got.start, "REGISTER sip:uclab.org SIP/2.0"));
	ck_assert(span_eq(got.hdrs, "Call-ID: x\r\nCSeq: 1 REGISTER"));
	ck_assert_uint_eq(got.body.n, 0);
	ck_assert_int_eq(got.time, a.time);
	ck_assert_int_eq(got.time_prec, 6);
	ck_assert_int_eq(got.has_date, 1);
	ck_assert_int_eq(got.dir, DIR_OUT);
	ck_assert(span_eq(got.src, "10.0.0.1:5060"));
	ck_assert(span_eq(got.dst, "[2001:db8::1]:5061"));
	ck_assert(span_eq(got.transport, "TLS"));
	ck_assert(got.flags & RECF_TRUNCATED);
	ck_assert_int_eq(reader_next(r, &got), 1);
	ck_assert_uint_eq(got.off, off_b);
	ck_assert_uint_eq(got.line, 7000);
	ck_assert_int_eq(got.time, TIME_NONE);
	ck_assert_int_eq(got.kind, REC_DIAG);
	ck_assert(span_eq(got.diag_level, "TL_ERROR"));
	ck_assert_uint_eq(got.body.n, sizeof bin - 1);
	ck_assert(memcmp(got.body.p, bin, sizeof bin - 1) == 0);
	ck_assert_int_eq(reader_next(r, &got), 0);
	ck_assert_uint_eq(r->nwarnings, 0);

	/* Restartable at a record's offset. */
	r->pos = off_b;
	ck_assert_int_eq(reader_next(r, &got), 1);
	ck_assert_uint_eq(got.line, 7000);
	reader_free(r);
	strbuf_free(&out);
}
END_TEST

START_TEST(test_damage)
{
	struct strbuf out;
	struct rd_record a = mkrec(3, "OPTIONS sip:a SIP/2.0", "Call-ID: y", ""),
			 got;
	struct reader *r;
	size_t cut;

	strbuf_init(&out);
	strbuf_adds(&out, "junk before\n\x1e" "99 - 9 0 0 0 0 1 1 1 0: 0: 0: 0:\n");
	rd_canon_emit(&out, &a);
	cut = out.len;
	rd_canon_emit(&out, &a);
	/* The last record's lengths run past the end: skipped. */
	r = reader_new(&rd_canon_format, out.buf, cut + 20);
	ck_assert_int_eq(reader_next(r, &got), 1);
	ck_assert_uint_eq(got.line, 3);
	ck_assert(span_eq(got.start, "OPTIONS sip:a SIP/2.0"));
	ck_assert_int_eq(reader_next(r, &got), 0);
	ck_assert_uint_ge(r->nwarnings, 2);
	reader_free(r);
	strbuf_free(&out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("canon");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_damage);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
