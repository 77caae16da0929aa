/* Unit tests for util: spans, string buffers, civil time, the terminal
 * sanitiser and JSON escaping. */
#include <check.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* span_ifind against a plain reference: random text of few letters in
 * both cases, needles cut from it or not, found at every place including
 * the last bytes (the sixteen-at-a-time path must not miss or overrun). */
static long
ifind_ref(const char *h, size_t n, const char *nd, size_t k)
{
	size_t i, j;

	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++) {
			if (tolower((unsigned char)h[i + j]) !=
			    tolower((unsigned char)nd[j]))
				break;
		}
		if (j == k)
			return (long)i;
	}
	return -1;
}

START_TEST(test_span_ifind)
{
	static const char alpha[] = "abAB-c";
	char hay[200], nd[8];
	uint32_t seed = 7;
	size_t n, k, i, round;

	for (round = 0; round < 20000; round++) {
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % 70;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			hay[i] = alpha[(seed >> 9) % 6];
		}
		seed = seed * 1103515245u + 12345u;
		k = 1 + (seed >> 10) % 5;
		for (i = 0; i < k; i++) {
			seed = seed * 1103515245u + 12345u;
			nd[i] = alpha[(seed >> 11) % 6];
		}
		if (span_ifind((struct span){ hay, n }, nd, k) !=
		    ifind_ref(hay, n, nd, k))
			ck_abort_msg("'%.*s' in '%.*s': %ld, expected %ld",
				     (int)k, nd, (int)n, hay,
				     span_ifind((struct span){ hay, n }, nd, k),
				     ifind_ref(hay, n, nd, k));
	}
	ck_assert_int_eq(span_ifind((struct span){ "x", 1 }, "", 0), 0);
	ck_assert_int_eq(span_ifind((struct span){ "WSAECONNRESET", 13 },
				    "econnreset", 10), 3);
}
END_TEST

/* span_ufind: letters beyond ASCII match in either case (the viewer's
 * search did not find "Żaneta" for /żaneta); the match's length is its
 * own; an ASCII needle is span_ifind's; bad UTF-8 stands for itself. */
#define UF(hay, nd, want_at, want_len) do {				\
	size_t ml_ = 99;						\
	long at_ = span_ufind((struct span){ (hay), strlen(hay) }, (nd),	\
			      strlen(nd), &ml_);				\
	ck_assert_msg(at_ == (want_at), "'%s' in '%s': at %ld, want %ld",	\
		      (nd), (hay), at_, (long)(want_at));		\
	if (at_ >= 0)							\
		ck_assert_uint_eq(ml_, (want_len));			\
} while (0)

START_TEST(test_span_ufind)
{
	UF("From: \"Taro \xc5\xbb" "aneta\"", "\xc5\xbc" "aneta", 12, 7);
	UF("From: \"Taro \xc5\xbc" "ANETA\"", "\xc5\xbb" "aneta", 12, 7);
	UF("\xc3\x89" "COLE", "\xc3\xa9" "cole", 0, 6);	/* É, é */
	UF("M\xc3\xbcller", "M\xc3\x9c" "LLER", 0, 7);	/* ü, Ü */
	UF("\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1",	/* Σοφία */
	   "\xcf\x83\xce\x9f\xce\xa6\xce\x8a\xce\x91", 0, 10);
	UF("x \xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd", /* Иван */
	   "\xd0\xb8\xd0\x92\xd0\x90\xd0\x9d", 2, 8);
	UF("\xd0\xa0 \xd1\x80", "\xd1\x80", 0, 2);	/* Р, р */
	UF("\xc4\xbd" "ubo\xc5\xa1", "\xc4\xbe" "UBO\xc5\xa0", 0, 7); /* Ľuboš */
	UF("ab\xff\xc5\xbb", "\xff\xc5\xbc", 2, 3);	/* a bad byte */
	UF("\xc5\xbc", "\xc5\xbc" "a", -1, 0);		/* hay too short */
	UF("Zaneta", "\xc5\xbc" "aneta", -1, 0);		/* Z is no Ż */
	UF("\xc3\x97", "\xc3\xb7", -1, 0);			/* × is no ÷ */
	UF("WSAECONNRESET", "econnreset", 3, 10);		/* ASCII */
}
END_TEST

/* find_nl() against a plain search, for every length and newline place
 * around its 16-byte steps and its 64 inline bytes. */
START_TEST(test_find_nl)
{
	char buf[200];
	size_t n, at, start;

	for (start = 0; start < 3; start++) {
		for (n = start; n <= 150; n++) {
			memset(buf, 'a', sizeof buf);
			/* A newline just past the end must not be found. */
			buf[n] = '\n';
			ck_assert_ptr_null(find_nl(buf + start, buf + n));
			for (at = start; at < n; at++) {
				buf[at] = '\n';
				ck_assert_ptr_eq(find_nl(buf + start, buf + n),
				    buf + at);
				buf[at] = 'a';
			}
		}
	}
}
END_TEST

/* mem_ieq() folds ASCII letters only, and looks at every byte. */
START_TEST(test_mem_ieq)
{
	ck_assert(mem_ieq("Message-Body:", "message-body:", 13));
	ck_assert(mem_ieq("INCOMING", "incoming", 8));
	ck_assert(!mem_ieq("incominG", "incomin_", 8));
	/* '@' and '`' are 0x20 apart like 'A' and 'a', but not letters. */
	ck_assert(!mem_ieq("@", "`", 1));
	ck_assert(!mem_ieq("[", "{", 1));
	ck_assert(!mem_ieq("\xc9", "\xe9", 1));
	ck_assert(!mem_ieq("a\0b", "a\0c", 3));
	ck_assert(mem_ieq("a\0B", "A\0b", 3));
	ck_assert(mem_ieq("", "x", 0));
	ck_assert(span_ieq_span(SPAN_LIT("Via"), SPAN_LIT("vIA")));
	ck_assert(!span_ieq(SPAN_LIT("Via2"), "via"));
	ck_assert(span_istarts(SPAN_LIT("SIP/2.0"), "sip/"));
}
END_TEST

/* strbuf_addu() and strbuf_addi() write what printf writes. */
START_TEST(test_addnum)
{
	static const long long iv[] = {
		0, 1, -1, 9, 10, -10, 123456789, LLONG_MAX, LLONG_MIN,
	};
	static const unsigned long long uv[] = { 0, 7, 100, ULLONG_MAX };
	struct strbuf a, b;
	size_t i;

	strbuf_init(&a);
	strbuf_init(&b);
	for (i = 0; i < sizeof iv / sizeof iv[0]; i++) {
		strbuf_addi(&a, iv[i]);
		strbuf_addc(&a, ' ');
		strbuf_addf(&b, "%lld ", iv[i]);
	}
	for (i = 0; i < sizeof uv / sizeof uv[0]; i++) {
		strbuf_addu(&a, uv[i]);
		strbuf_addc(&a, ' ');
		strbuf_addf(&b, "%llu ", uv[i]);
	}
	ck_assert_str_eq(a.buf, b.buf);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

START_TEST(test_strbuf)
{
	struct strbuf sb;
	char *s;

	strbuf_init(&sb);
	strbuf_adds(&sb, "abc");
	strbuf_addc(&sb, '-');
	strbuf_addf(&sb, "%d/%s", 42, "x");
	ck_assert_str_eq(sb.buf, "abc-42/x");
	ck_assert_uint_eq(sb.len, 8);
	strbuf_reset(&sb);
	ck_assert_str_eq(sb.buf, "");
	s = strbuf_detach(&sb);
	ck_assert_ptr_nonnull(s);
	free(s);
	s = strbuf_detach(&sb);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_spans)
{
	struct span s = SPAN_LIT("  Call-ID \r\n");
	uint32_t v;

	s = span_trim(s);
	ck_assert(span_eq(s, "Call-ID"));
	ck_assert(span_ieq(s, "call-id"));
	ck_assert(!span_eq(s, "call-id"));
	ck_assert(span_istarts(s, "CALL"));
	ck_assert_int_eq(span_ifind(SPAN_LIT("xx NTLM yy"), "ntlm", 4), 3);
	ck_assert_int_eq(span_ifind(SPAN_LIT("xx"), "ntlm", 4), -1);
	ck_assert_int_eq(span_to_u32(SPAN_LIT(" 4294967295 "), &v), 0);
	ck_assert_uint_eq(v, 4294967295u);
	ck_assert_int_eq(span_to_u32(SPAN_LIT("4294967296"), &v), -1);
	ck_assert_int_eq(span_to_u32(SPAN_LIT("12a"), &v), -1);
	ck_assert_int_eq(span_to_u32(SPAN_LIT(""), &v), -1);
}
END_TEST

START_TEST(test_time)
{
	char buf[64];
	int64_t t = time_from_civil(2009, 7, 14, 16, 12, 22, 345000);

	time_format(buf, sizeof buf, t, 3, 1);
	ck_assert_str_eq(buf, "2009-07-14T16:12:22.345");
	time_format(buf, sizeof buf, t, 6, 1);
	ck_assert_str_eq(buf, "2009-07-14T16:12:22.345000");
	time_format(buf, sizeof buf, t, 0, 0);
	ck_assert_str_eq(buf, "16:12:22");
	t = time_from_civil(2000, 2, 29, 0, 0, 0, 1);
	time_format(buf, sizeof buf, t, 6, 1);
	ck_assert_str_eq(buf, "2000-02-29T00:00:00.000001");
	time_format(buf, sizeof buf, time_from_civil(1970, 1, 1, 0, 0, 0, 0), 0, 1);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00");
	time_format(buf, sizeof buf, TIME_NONE, 3, 1);
	ck_assert_str_eq(buf, "-");

	/* Spans (deltas, the time to register) to the times' precision. */
	time_format_span(buf, sizeof buf, 136801, 3, 0);
	ck_assert_str_eq(buf, "0.137");
	time_format_span(buf, sizeof buf, -1500000, 0, '+');
	ck_assert_str_eq(buf, "-2");
	time_format_span(buf, sizeof buf, 576, 6, '+');
	ck_assert_str_eq(buf, "+0.000576");
	time_format_span(buf, sizeof buf, 576, 3, '+');
	ck_assert_str_eq(buf, "+0.001");
	time_format_span(buf, sizeof buf, 0, 6, '+');
	ck_assert_str_eq(buf, "+0.000");

	/* A log's time of day alone: the days it went past midnight after
	 * it, from the second day on (before the first: --offset). */
	t = time_from_civil(1970, 1, 1, 23, 59, 59, 900000);
	time_format(buf, sizeof buf, t, 3, TIME_DAYS);
	ck_assert_str_eq(buf, "23:59:59.900");
	time_format(buf, sizeof buf, t + 100000, 3, TIME_DAYS);
	ck_assert_str_eq(buf, "00:00:00.000+1d");
	time_format(buf, sizeof buf, t + 100000, 3, TIME_CLOCK);
	ck_assert_str_eq(buf, "00:00:00.000");
	time_format(buf, sizeof buf, time_from_civil(1970, 1, 12, 8, 0, 0, 0),
	    0, TIME_DAYS);
	ck_assert_str_eq(buf, "08:00:00+11d");
	time_format(buf, sizeof buf, time_from_civil(1969, 12, 31, 23, 0, 0,
	    0), 0, TIME_DAYS);
	ck_assert_str_eq(buf, "23:00:00-1d");

	/* A month and day without a year ("Dec 31 23:59:59", a year on
	 * after New Year): the month and day shown, no year. */
	t = time_from_civil(1970, 12, 31, 23, 59, 59, 0);
	time_format(buf, sizeof buf, t, 0, TIME_MONTHDAY);
	ck_assert_str_eq(buf, "12-31T23:59:59");
	time_format(buf, sizeof buf, t + 1000000 + 250000, 3, TIME_MONTHDAY);
	ck_assert_str_eq(buf, "01-01T00:00:00.250");
}
END_TEST

START_TEST(test_sanitize)
{
	struct strbuf sb;
	/* CSI, OSC 52, C1 (U+009B), bidi override, invalid UTF-8, NUL, tab. */
	const char in[] = "a\x1b[31mred\x1b]52;c;Zm9v\x07\xc2\x9bx\xe2\x80\xae"
			  "y\xff\xfe\0z\tw\xc3\xa9";

	strbuf_init(&sb);
	sanitize_append(&sb, in, sizeof in - 1, 0);
	ck_assert_str_eq(sb.buf, "a\\e[31mred\\e]52;c;Zm9v\\x07\\u009bx\\u202ey"
				 "\\xff\\xfe\\x00z w\xc3\xa9");
	ck_assert_ptr_null(memchr(sb.buf, 0x1b, sb.len));
	strbuf_free(&sb);
}
END_TEST

/* What sanitize_append shows can be typed back: sanitize_unescape turns
 * \e, \xHH and \uHHHH into what they stand for (a filter's quoted phrase,
 * the viewer's search), and leaves as they are a backslash that begins
 * none of them and a form cut short. */
START_TEST(test_sanitize_unescape)
{
	struct strbuf shown, back;
	uint32_t v;
	const char in[] = "a\x1b[31mred\x07\xc2\x9bx\xe2\x80\xaey\xff\0z\xc3\xa9";
	size_t p;

	strbuf_init(&shown);
	strbuf_init(&back);
	sanitize_append(&shown, in, sizeof in - 1, 0);
	sanitize_unescape(shown.buf, &back);
	ck_assert_uint_eq(back.len, sizeof in - 1);
	ck_assert(memcmp(back.buf, in, back.len) == 0);
	strbuf_reset(&back);
	sanitize_unescape("C:\\dir \\x4 \\u20 \\q\\", &back);
	ck_assert_str_eq(back.buf, "C:\\dir \\x4 \\u20 \\q\\");
	/* One form at a time, the position moved past it. */
	p = 1;
	strbuf_reset(&back);
	ck_assert_int_eq(sanitize_unescape_at("a\\x41b", &p, &back), 1);
	ck_assert_uint_eq(p, 5);
	ck_assert_str_eq(back.buf, "A");
	p = 0;
	ck_assert_int_eq(sanitize_unescape_at("\\xg1", &p, &back), 0);
	ck_assert_uint_eq(p, 0);
	/* A form's length within n bytes, not a NUL (the detail pane's
	 * wrapping keeps each whole), and what it stands for. */
	ck_assert_uint_eq(sanitize_form_at("\\u20acZ", 7, &v), 6);
	ck_assert_uint_eq(v, 0x20ac);
	ck_assert_uint_eq(sanitize_form_at("\\u20acZ", 5, &v), 0);
	ck_assert_uint_eq(sanitize_form_at("\\eZ", 2, &v), 2);
	ck_assert_uint_eq(v, 0x1b);
	ck_assert_uint_eq(sanitize_form_at("\\x1", 3, &v), 0);
	ck_assert_uint_eq(sanitize_form_at("\\q", 2, &v), 0);
	strbuf_free(&shown);
	strbuf_free(&back);
}
END_TEST

/* One encoder for the readers, filters, flow and prompt: each length. */
START_TEST(test_utf8_encode)
{
	static const struct {
		uint32_t cp;
		const char *want;
	} cases[] = {
		{ 0x41, "A" }, { 0x7f, "\x7f" }, { 0x80, "\xc2\x80" },
		{ 0xe9, "\xc3\xa9" }, { 0x7ff, "\xdf\xbf" },
		{ 0x800, "\xe0\xa0\x80" }, { 0x20ac, "\xe2\x82\xac" },
		{ 0xfffd, "\xef\xbf\xbd" }, { 0x10000, "\xf0\x90\x80\x80" },
		{ 0x1f600, "\xf0\x9f\x98\x80" }, { 0x10ffff, "\xf4\x8f\xbf\xbf" },
	};
	char b[4];
	size_t i, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = utf8_encode(cases[i].cp, b);
		ck_assert_uint_eq(n, strlen(cases[i].want));
		ck_assert(memcmp(b, cases[i].want, n) == 0);
	}
}
END_TEST

START_TEST(test_json)
{
	struct strbuf sb;

	strbuf_init(&sb);
	json_append_str(&sb, "a\"b\\c\n\x01\x1b\xc3\xa9\xff", 11);
	ck_assert_str_eq(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\\u001b\xc3\xa9\\\\xff\"");
	strbuf_free(&sb);
}
END_TEST

/* mem_count against a byte-by-byte count: every length and alignment,
 * bytes of every value (the high bit too) around the one counted. */
START_TEST(test_mem_count)
{
	char buf[300];
	size_t i, off, n, want;
	unsigned seed = 7;

	for (i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
		if (seed % 5 == 0)
			buf[i] = '\n';
	}
	for (off = 0; off < 9; off++) {
		for (n = 0; off + n <= sizeof buf; n++) {
			want = 0;
			for (i = 0; i < n; i++)
				want += buf[off + i] == '\n';
			ck_assert_uint_eq(mem_count(buf + off, n, '\n'), want);
		}
	}
	memset(buf, '\n', sizeof buf);
	ck_assert_uint_eq(mem_count(buf, sizeof buf, '\n'), sizeof buf);
	ck_assert_uint_eq(mem_count(buf, sizeof buf, '\x8a'), 0);
	memset(buf, '\x8a', 64);
	ck_assert_uint_eq(mem_count(buf, 64, '\x8a'), 64);
	ck_assert_uint_eq(mem_count(buf, 64, '\x0a'), 0);
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_strbuf);
	tcase_add_test(tc, test_spans);
	tcase_add_test(tc, test_time);
	tcase_add_test(tc, test_sanitize);
	tcase_add_test(tc, test_sanitize_unescape);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_utf8_encode);
	tcase_add_test(tc, test_find_nl);
	tcase_add_test(tc, test_span_ifind);
	tcase_add_test(tc, test_span_ufind);
	tcase_add_test(tc, test_mem_ieq);
	tcase_add_test(tc, test_mem_count);
	tcase_add_test(tc, test_addnum);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(util_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
