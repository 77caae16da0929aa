/* Torture tests for sipmsg: every RFC 4475 and RFC 5118 message under
 * tests/data/torture/ is parsed and compared with tests/data/torture/
 * expected.txt (the file documents its own format). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "sipmsg.h"

#define TORTURE_DIR TEST_DATA "/torture"

struct torture_case {
	char *name;
	char *reason;		/* NULL for a valid message */
	char *fields;		/* space-separated key=value */
};

static struct torture_case *cases;
static size_t ncases;

static char *
torture_read(const char *path, size_t *len)
{
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		buf = xgrow(buf, &cap, n + 4096, 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void
torture_load(void)
{
	char *text, *line, *next, *tab, *tab2;
	size_t len;

	text = torture_read(TORTURE_DIR "/expected.txt", &len);
	if (text == NULL) {
		fprintf(stderr, "check_torture: cannot read %s\n",
		    TORTURE_DIR "/expected.txt");
		exit(1);
	}
	text = xrealloc(text, len + 1);
	text[len] = '\0';
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		tab = strchr(line, '\t');
		if (tab == NULL) {
			fprintf(stderr, "check_torture: bad line: %s\n", line);
			exit(1);
		}
		*tab++ = '\0';
		cases = xrealloc(cases, (ncases + 1) * sizeof *cases);
		cases[ncases].name = xstrdup(line);
		cases[ncases].reason = NULL;
		if (strncmp(tab, "malformed:", 10) == 0) {
			tab2 = strchr(tab, '\t');
			if (tab2 != NULL)
				*tab2++ = '\0';
			cases[ncases].reason = xstrdup(tab);
			tab = tab2 != NULL ? tab2 : (char *)"";
		}
		cases[ncases].fields = xstrdup(tab);
		ncases++;
	}
	free(text);
}

/* Decodes \xHH in an expected value. */
static char *
torture_unescape(const char *s, size_t n, size_t *outlen)
{
	char *out = xmalloc(n + 1), hex[3] = { 0 };
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x') {
			hex[0] = s[i + 2];
			hex[1] = s[i + 3];
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 3;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Splits a raw message as a raw-SIP reader would: start line, header block
 * (with the last header's line ending, without the blank line), body. */
static void
torture_split(const char *d, size_t n, struct span *start, struct span *hdrs,
    struct span *body)
{
	const char *p, *end = d + n, *eol, *h;

	eol = memchr(d, '\n', n);
	if (eol == NULL) {
		*start = (struct span){ d, n };
		*hdrs = (struct span){ end, 0 };
		*body = (struct span){ end, 0 };
		return;
	}
	start->p = d;
	start->n = eol - d;
	if (start->n > 0 && d[start->n - 1] == '\r')
		start->n--;
	h = p = eol + 1;
	while (p < end) {
		/* An empty line (LF or CRLF) ends the header block. */
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))
			break;
		eol = memchr(p, '\n', end - p);
		p = eol == NULL ? end : eol + 1;
	}
	hdrs->p = h;
	hdrs->n = p - h;
	if (p < end)
		p += *p == '\n' ? 1 : 2;
	body->p = p;
	body->n = end - p;
}

static int
torture_span_is(struct span s, const char *want, size_t wlen)
{
	return s.n == wlen && (wlen == 0 || memcmp(s.p, want, wlen) == 0);
}

static char *
torture_show(struct span s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize_append(&sb, s.p, s.n, 0);
	return strbuf_detach(&sb);
}

static void
torture_check_span(const char *name, const char *key, struct span got,
    const char *want, size_t wlen)
{
	char *g;

	if (torture_span_is(got, want, wlen))
		return;
	g = torture_show(got);
	ck_abort_msg("%s: %s is \"%s\", expected \"%.*s\"", name, key, g,
	    (int)wlen, want);
	free(g);
}

static unsigned
torture_flag_bits(const char *name, const char *v, size_t n)
{
	unsigned bits = 0;
	size_t i, w;

	if (n == 4 && memcmp(v, "none", 4) == 0)
		return 0;
	for (i = 0; i < n; i += w + 1) {
		for (w = 0; i + w < n && v[i + w] != ','; w++)
			;
		if (w == 9 && memcmp(v + i, "NO_CALLID", 9) == 0)
			bits |= RECF_NO_CALLID;
		else if (w == 9 && memcmp(v + i, "BAD_START", 9) == 0)
			bits |= RECF_BAD_START;
		else if (w == 10 && memcmp(v + i, "BAD_HEADER", 10) == 0)
			bits |= RECF_BAD_HEADER;
		else
			ck_abort_msg("%s: unknown flag %.*s", name, (int)w,
			    v + i);
	}
	return bits;
}

/* Header fields of the block: lines that do not continue a folded one. */
static size_t
torture_count_fields(struct span hdrs)
{
	size_t i, n = 0;
	int bol = 1;

	for (i = 0; i < hdrs.n; i++) {
		if (bol && hdrs.p[i] != ' ' && hdrs.p[i] != '\t' &&
		    hdrs.p[i] != '\r' && hdrs.p[i] != '\n')
			n++;
		bol = hdrs.p[i] == '\n';
	}
	return n;
}

static void
torture_check_fields(const struct torture_case *tc, const struct sipmsg *m,
    struct span body)
{
	const char *f = tc->fields, *k, *eq, *e;
	char *want, buf[32];
	size_t klen, wlen;
	struct span user, host;
	unsigned bits, parser_flags;

	parser_flags = m->flags & (RECF_NO_CALLID | RECF_BAD_START |
	    RECF_BAD_HEADER);
	while (*f != '\0') {
		while (*f == ' ')
			f++;
		if (*f == '\0')
			break;
		k = f;
		e = strchr(f, ' ');
		if (e == NULL)
			e = f + strlen(f);
		eq = memchr(k, '=', e - k);
		ck_assert_msg(eq != NULL, "%s: bad field in expected.txt",
		    tc->name);
		klen = eq - k;
		if (klen > 0 && k[klen - 1] == '+')
			klen--;
		want = torture_unescape(eq + 1, e - eq - 1, &wlen);
		f = e;

#define KEY(s) (klen == sizeof(s) - 1 && memcmp(k, s, klen) == 0)
		if (KEY("kind")) {
			const char *kinds[] = { "invalid", "request",
			    "response" };
			ck_assert_msg((unsigned)m->kind < 3 &&
			    strcmp(kinds[m->kind], want) == 0,
			    "%s: kind %d, expected %s", tc->name, m->kind,
			    want);
		} else if (KEY("method"))
			torture_check_span(tc->name, "method", m->method, want,
			    wlen);
		else if (KEY("ruri"))
			torture_check_span(tc->name, "ruri", m->ruri, want,
			    wlen);
		else if (KEY("ruri_host")) {
			sipmsg_uri_parts(m->ruri, &user, &host);
			torture_check_span(tc->name, "ruri host", host, want,
			    wlen);
		} else if (KEY("status"))
			ck_assert_msg(m->status == atoi(want),
			    "%s: status %d, expected %s", tc->name, m->status,
			    want);
		else if (KEY("callid"))
			torture_check_span(tc->name, "Call-ID", m->call_id,
			    want, wlen);
		else if (KEY("cseq"))
			ck_assert_msg(m->cseq == strtoul(want, NULL, 10),
			    "%s: CSeq %u, expected %s", tc->name, m->cseq,
			    want);
		else if (KEY("cseq_method"))
			torture_check_span(tc->name, "CSeq method",
			    m->cseq_method, want, wlen);
		else if (KEY("from"))
			torture_check_span(tc->name, "From URI", m->from.uri,
			    want, wlen);
		else if (KEY("from_tag"))
			torture_check_span(tc->name, "From tag", m->from.tag,
			    want, wlen);
		else if (KEY("to"))
			torture_check_span(tc->name, "To URI", m->to.uri, want,
			    wlen);
		else if (KEY("to_tag"))
			torture_check_span(tc->name, "To tag", m->to.tag, want,
			    wlen);
		else if (KEY("to_host"))
			torture_check_span(tc->name, "To host", m->to.host,
			    want, wlen);
		else if (KEY("hdrs"))
			ck_assert_msg(m->nhdrs == strtoul(want, NULL, 10),
			    "%s: %zu headers, expected %s", tc->name, m->nhdrs,
			    want);
		else if (KEY("clen"))
			ck_assert_msg(m->content_length == atol(want),
			    "%s: Content-Length %ld, expected %s", tc->name,
			    m->content_length, want);
		else if (KEY("body")) {
			ck_assert_str_eq(want, "short");
			ck_assert_msg(m->content_length >= 0 &&
			    (size_t)m->content_length > body.n,
			    "%s: Content-Length %ld vs %zu body bytes: the "
			    "shortfall must stay visible", tc->name,
			    m->content_length, body.n);
		} else if (KEY("start")) {
			ck_assert_str_eq(want, "bad");
			ck_assert_msg((m->flags & RECF_BAD_START) ||
			    m->kind == SIP_INVALID,
			    "%s: %s, but the start line is not flagged",
			    tc->name, tc->reason);
		} else if (KEY("flags")) {
			bits = torture_flag_bits(tc->name, want, wlen);
			if (eq[-1] == '+')
				ck_assert_msg((parser_flags & bits) == bits,
				    "%s: flags 0x%x lack 0x%x (%s)", tc->name,
				    parser_flags, bits, tc->reason);
			else
				ck_assert_msg(parser_flags == bits,
				    "%s: flags 0x%x, expected 0x%x", tc->name,
				    parser_flags, bits);
		} else {
			snprintf(buf, sizeof buf, "%.*s", (int)klen, k);
			ck_abort_msg("%s: unknown key %s in expected.txt",
			    tc->name, buf);
		}
#undef KEY
		free(want);
	}
}

/* Everything a consumer may do with a parsed message must be safe, even on
 * a malformed one: look every header up, parse every value as an address,
 * summarise. Results are not compared; sanitizers watch. */
static void
torture_exercise(const struct sipmsg *m)
{
	struct sip_addr a;
	struct span user, host;
	struct strbuf sb;
	size_t i;
	int id;

	for (id = 0; id < HDR__COUNT; id++)
		(void)sipmsg_find(m, (enum hdr_id)id, 0);
	(void)sipmsg_find_name(m, "via", 1);
	(void)sipmsg_find_name(m, "v", 0);
	for (i = 0; i < m->nhdrs; i++) {
		ck_assert_ptr_nonnull(m->hdrs[i].name.p);
		(void)sipmsg_hdr_id(m->hdrs[i].name);
		(void)sipmsg_parse_addr(m->hdrs[i].value, &a);
		sipmsg_uri_parts(m->hdrs[i].value, &user, &host);
	}
	strbuf_init(&sb);
	sipmsg_summary(m, &sb);
	ck_assert_ptr_nonnull(sb.buf);
	strbuf_free(&sb);
	(void)sipmsg_has_sdp(m);
}

static const struct torture_case *
torture_case_named(const char *name)
{
	size_t i;

	for (i = 0; i < ncases; i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	return NULL;
}

/* The value of key in the case's fields (up to the next space), or NULL. */
static const char *
torture_field(const struct torture_case *tc, const char *key)
{
	const char *f = tc->fields;
	size_t klen = strlen(key);

	while ((f = strstr(f, key)) != NULL) {
		if ((f == tc->fields || f[-1] == ' ') && f[klen] == '=')
			return f + klen + 1;
		f += klen;
	}
	return NULL;
}

static char *
torture_file(const struct torture_case *tc, size_t *len)
{
	char path[512];
	char *d;

	snprintf(path, sizeof path, "%s/%s.sip", TORTURE_DIR, tc->name);
	d = torture_read(path, len);
	ck_assert_msg(d != NULL, "cannot read %s", path);
	return d;
}

START_TEST(test_torture_crlf)
{
	const struct torture_case *tc = &cases[_i];
	struct span start, hdrs, body;
	struct sipmsg m;
	size_t len;
	const char *v;
	char *d;

	d = torture_file(tc, &len);
	torture_split(d, len, &start, &hdrs, &body);
	/* The fixture and the expectation must agree before the parser is
	 * judged: a miscounted expected.txt would otherwise hide a bug. */
	if ((v = torture_field(tc, "hdrs")) != NULL)
		ck_assert_msg(strtoul(v, NULL, 10) ==
		    torture_count_fields(hdrs),
		    "%s: expected.txt says hdrs=%lu, the file has %zu",
		    tc->name, strtoul(v, NULL, 10), torture_count_fields(hdrs));
	sipmsg_parse(&m, start, hdrs, body);
	torture_check_fields(tc, &m, body);
	torture_exercise(&m);
	sipmsg_clear(&m);
	free(d);
}
END_TEST

/* The same messages with LF line endings (as many logs store them) must
 * parse to the same fields. */
START_TEST(test_torture_lf)
{
	const struct torture_case *tc = &cases[_i];
	struct span start, hdrs, body;
	struct sipmsg m;
	size_t len, i, o = 0, hend;
	char *d, *lf;

	d = torture_file(tc, &len);
	/* Only the start line and headers: the body keeps its bytes, so that
	 * Content-Length still matches. */
	torture_split(d, len, &start, &hdrs, &body);
	hend = body.p - d;
	lf = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (i < hend && d[i] == '\r' && i + 1 < len && d[i + 1] == '\n')
			continue;
		lf[o++] = d[i];
	}
	torture_split(lf, o, &start, &hdrs, &body);
	sipmsg_parse(&m, start, hdrs, body);
	torture_check_fields(tc, &m, body);
	torture_exercise(&m);
	sipmsg_clear(&m);
	free(lf);
	free(d);
}
END_TEST

/* Every prefix of each message: a record cut anywhere (truncated log) must
 * parse without reading past its end. The copy is exactly n bytes so that
 * ASan sees any overrun. */
START_TEST(test_torture_truncated)
{
	const struct torture_case *tc = &cases[_i];
	struct span start, hdrs, body;
	struct sipmsg m;
	size_t len, n, step;
	char *d, *cut;

	d = torture_file(tc, &len);
	step = len > 2000 ? 7 : 1;
	for (n = 0; n <= len; n += step) {
		cut = xmalloc(n > 0 ? n : 1);
		memcpy(cut, d, n);
		torture_split(cut, n, &start, &hdrs, &body);
		sipmsg_parse(&m, start, hdrs, body);
		torture_exercise(&m);
		sipmsg_clear(&m);
		free(cut);
	}
	free(d);
}
END_TEST

/* dblreq carries a second message after Content-Length: 0; a raw reader
 * must split it into two records, the second an INVITE. */
START_TEST(test_torture_dblreq_records)
{
	const struct rd_format *fmt = reader_by_name("raw");
	const struct torture_case *tc = torture_case_named("dblreq");
	struct rd_record rec;
	struct reader *r;
	struct sipmsg m;
	size_t len, n = 0;
	char *d;

	ck_assert_ptr_nonnull(fmt);
	ck_assert_ptr_nonnull(tc);
	d = torture_file(tc, &len);
	r = reader_new(fmt, d, len);
	while (reader_next(r, &rec)) {
		sipmsg_parse(&m, rec.start, rec.hdrs, rec.body);
		if (n == 0)
			ck_assert(span_eq(m.method, "REGISTER"));
		else if (n == 1) {
			ck_assert(span_eq(m.method, "INVITE"));
			ck_assert(span_eq(m.call_id,
			    "dblreq.0ha0isnda977644900765@192.0.2.15"));
		}
		sipmsg_clear(&m);
		n++;
	}
	ck_assert_uint_eq(n, 2);
	reader_free(r);
	free(d);
}
END_TEST

/* Each .sip file has an expectation and each expectation a file. */
START_TEST(test_torture_complete)
{
	FILE *p;
	char line[512], *dot;
	size_t nfiles = 0;

	p = popen("ls " TORTURE_DIR, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		dot = strrchr(line, '.');
		if (dot == NULL || strcmp(dot, ".sip") != 0)
			continue;
		*dot = '\0';
		ck_assert_msg(torture_case_named(line) != NULL,
		    "%s.sip has no line in expected.txt", line);
		nfiles++;
	}
	pclose(p);
	ck_assert_uint_eq(nfiles, ncases);
	ck_assert_uint_ge(ncases, 60);
}
END_TEST

int
main(void)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;
	size_t i;

	torture_load();
	s = suite_create("torture");
	tc = tcase_create("rfc4475+rfc5118");
	tcase_add_loop_test(tc, test_torture_crlf, 0, (int)ncases);
	tcase_add_loop_test(tc, test_torture_lf, 0, (int)ncases);
	tcase_add_loop_test(tc, test_torture_truncated, 0, (int)ncases);
	tcase_add_test(tc, test_torture_dblreq_records);
	tcase_add_test(tc, test_torture_complete);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (i = 0; i < ncases; i++) {
		free(cases[i].name);
		free(cases[i].reason);
		free(cases[i].fields);
	}
	free(cases);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
