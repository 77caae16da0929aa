/* Unit tests for auth: header parameters, base64, NTLM messages built byte
 * by byte here, Kerberos/SPNEGO/TLS-DSK prefixes, every truncation of them,
 * and the per-message helpers on parsed SIP messages. */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "sipmsg.h"
#include "auth.h"

#define ck_span(s, lit) ck_span_eq((s), (lit), __LINE__)

static void
ck_span_eq(struct span s, const char *lit, int line)
{
	size_t n = strlen(lit);

	ck_assert_msg(s.p != NULL && s.n == n &&
			      (n == 0 || memcmp(s.p, lit, n) == 0),
		      "line %d: got \"%.*s\", expected \"%s\"", line, (int)s.n,
		      s.p != NULL ? s.p : "(null)", lit);
}

static struct span
sp(const char *s)
{
	return (struct span){ s, strlen(s) };
}

/* Token building */

struct tok {
	unsigned char b[4096];
	size_t n;
};

static void
put(struct tok *t, const void *p, size_t n)
{
	ck_assert_uint_le(t->n + n, sizeof t->b);
	memcpy(t->b + t->n, p, n);
	t->n += n;
}

static void
put8(struct tok *t, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(t, &c, 1);
}

static void
put16(struct tok *t, unsigned v)
{
	put8(t, v & 0xff);
	put8(t, v >> 8);
}

static void
put32(struct tok *t, uint32_t v)
{
	put16(t, v & 0xffff);
	put16(t, v >> 16);
}

static void
set16(struct tok *t, size_t at, unsigned v)
{
	t->b[at] = (unsigned char)(v & 0xff);
	t->b[at + 1] = (unsigned char)(v >> 8);
}

static void
set32(struct tok *t, size_t at, uint32_t v)
{
	set16(t, at, v & 0xffff);
	set16(t, at + 2, v >> 16);
}

/* Writes the NTLM field descriptor at desc for data appended now. */
static void
field(struct tok *t, size_t desc, const void *p, size_t n)
{
	set16(t, desc, (unsigned)n);
	set16(t, desc + 2, (unsigned)n);
	set32(t, desc + 4, (uint32_t)t->n);
	put(t, p, n);
}

/* UTF-8 (BMP and astral) to UTF-16LE, enough for the test strings. */
static size_t
utf16(const char *s, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p != 0) {
		uint32_t cp;

		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xe0) == 0xc0) {
			cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = (uint32_t)(p[0] & 0x0f) << 12 |
			     (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		} else {
			cp = (uint32_t)(p[0] & 0x07) << 18 |
			     (uint32_t)(p[1] & 0x3f) << 12 |
			     (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
			p += 4;
		}
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			unsigned hi = 0xd800 | (v >> 10), lo = 0xdc00 | (v & 0x3ff);

			out[n++] = (unsigned char)(hi & 0xff);
			out[n++] = (unsigned char)(hi >> 8);
			out[n++] = (unsigned char)(lo & 0xff);
			out[n++] = (unsigned char)(lo >> 8);
		} else {
			out[n++] = (unsigned char)(cp & 0xff);
			out[n++] = (unsigned char)(cp >> 8);
		}
	}
	return n;
}

static void
field16(struct tok *t, size_t desc, const char *s)
{
	unsigned char buf[512];
	size_t n = utf16(s, buf);

	field(t, desc, buf, n);
}

static char *
b64(const unsigned char *p, size_t n)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc(n / 3 * 4 + 5), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
			     p[i + 2];

		*o++ = al[v >> 18];
		*o++ = al[(v >> 12) & 63];
		*o++ = al[(v >> 6) & 63];
		*o++ = al[v & 63];
	}
	if (n - i == 1) {
		*o++ = al[p[i] >> 2];
		*o++ = al[(p[i] & 3) << 4];
		*o++ = '=';
		*o++ = '=';
	} else if (n - i == 2) {
		*o++ = al[p[i] >> 2];
		*o++ = al[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = al[(p[i + 1] & 15) << 2];
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

#define NEG_FLAGS                                                            \
	(AUTH_NTLM_UNICODE | AUTH_NTLM_OEM | AUTH_NTLM_REQUEST_TARGET |      \
	 AUTH_NTLM_NTLM | AUTH_NTLM_DOMAIN_SUPPLIED |                          \
	 AUTH_NTLM_WORKSTATION_SUPPLIED | AUTH_NTLM_ALWAYS_SIGN |             \
	 AUTH_NTLM_EXTENDED_SESSION | AUTH_NTLM_VERSION | AUTH_NTLM_128 |     \
	 AUTH_NTLM_56)
#define CHAL_FLAGS                                                           \
	(AUTH_NTLM_UNICODE | AUTH_NTLM_REQUEST_TARGET | AUTH_NTLM_NTLM |     \
	 AUTH_NTLM_ALWAYS_SIGN | AUTH_NTLM_TARGET_DOMAIN |                    \
	 AUTH_NTLM_EXTENDED_SESSION | AUTH_NTLM_TARGET_INFO |                 \
	 AUTH_NTLM_VERSION | AUTH_NTLM_128 | AUTH_NTLM_KEY_EXCH | AUTH_NTLM_56)

static void
ntlm_head(struct tok *t, uint32_t type, size_t hdrlen)
{
	t->n = 0;
	put(t, "NTLMSSP", 8);	/* with its NUL */
	put32(t, type);
	while (t->n < hdrlen)
		put8(t, 0);
}

static void
ntlm_version(struct tok *t, size_t at)
{
	t->b[at] = 6;	/* Windows 6.1 build 7600, NTLM revision 15 */
	t->b[at + 1] = 1;
	set16(t, at + 2, 7600);
	t->b[at + 7] = 15;
}

/* MS-NLMP 2.2.1.1 */
static void
build_negotiate(struct tok *t)
{
	ntlm_head(t, 1, 40);
	set32(t, 12, NEG_FLAGS);
	ntlm_version(t, 32);
	field(t, 16, "UCLAB", 5);
	field(t, 24, "IZABELA-PC", 10);
}

/* MS-NLMP 2.2.1.2 */
static void
build_challenge(struct tok *t, const char *target)
{
	static const unsigned char chal[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct tok info = { .n = 0 };
	unsigned char name[64];
	size_t n;

	ntlm_head(t, 2, 56);
	set32(t, 20, CHAL_FLAGS);
	memcpy(t->b + 24, chal, 8);
	ntlm_version(t, 48);
	field16(t, 12, target);
	/* AV pairs: MsvAvNbDomainName, MsvAvEOL */
	n = utf16(target, name);
	put16(&info, 2);
	put16(&info, (unsigned)n);
	put(&info, name, n);
	put16(&info, 0);
	put16(&info, 0);
	field(t, 40, info.b, info.n);
}

/* MS-NLMP 2.2.1.3 */
static void
build_authenticate(struct tok *t, const char *domain, const char *user,
		   const char *ws, uint32_t flags)
{
	unsigned char resp[24];

	memset(resp, 0xab, sizeof resp);
	ntlm_head(t, 3, 88);
	set32(t, 60, flags);
	ntlm_version(t, 64);
	if (flags & AUTH_NTLM_UNICODE) {
		field16(t, 28, domain);
		field16(t, 36, user);
		field16(t, 44, ws);
	} else {
		field(t, 28, domain, strlen(domain));
		field(t, 36, user, strlen(user));
		field(t, 44, ws, strlen(ws));
	}
	field(t, 12, resp, sizeof resp);
	field(t, 20, resp, sizeof resp);
}

static void
describe(enum auth_scheme s, const struct auth_token *t, char *out,
	 size_t outsz)
{
	struct strbuf sb;

	strbuf_init(&sb);
	auth_token_describe(s, t, &sb);
	snprintf(out, outsz, "%s", sb.buf != NULL ? sb.buf : "");
	strbuf_free(&sb);
}

/* Parameters */

START_TEST(test_params)
{
	struct auth_header h;
	struct strbuf sb;

	ck_assert_int_eq(auth_parse(sp("NTLM realm=\"SIP Communications Service\", "
				       "targetname=\"R2EE01.uclab.org\", version=4"),
				    &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_NTLM);
	ck_span(h.scheme_name, "NTLM");
	ck_assert_uint_eq(h.nparams, 3);
	ck_assert_uint_eq(h.flags, 0);
	ck_span(h.params[0].name, "realm");
	ck_span(h.params[0].value, "SIP Communications Service");
	ck_assert_int_eq(h.params[0].quoted, 1);
	ck_span(auth_param(&h, "TargetName"), "R2EE01.uclab.org");
	ck_span(auth_param(&h, "version"), "4");
	ck_assert_int_eq(h.params[2].quoted, 0);
	ck_assert_ptr_null(auth_param(&h, "opaque").p);
	ck_assert_uint_eq(h.rest.n, 0);

	/* commas and escaped quotes inside quotes, every Digest field */
	ck_assert_int_eq(auth_parse(sp("Digest username=\"bob\",realm=\"a, \\\"b\\\"\" ,"
				       " nonce=\"n1,n2\", uri=\"sip:a@b;x=1\","
				       " response=\"6629fae49393a05397450978507c4ef1\","
				       " algorithm=MD5, qop=auth, nc=00000001,"
				       " cnonce=\"0a4f113b\", opaque=\"\""),
				    &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_DIGEST);
	ck_assert_uint_eq(h.nparams, 10);
	ck_assert_uint_eq(h.flags, 0);
	ck_span(auth_param(&h, "realm"), "a, \\\"b\\\"");
	ck_span(auth_param(&h, "nonce"), "n1,n2");
	ck_span(auth_param(&h, "uri"), "sip:a@b;x=1");
	ck_span(auth_param(&h, "algorithm"), "MD5");
	ck_span(auth_param(&h, "nc"), "00000001");
	ck_span(auth_param(&h, "cnonce"), "0a4f113b");
	ck_span(auth_param(&h, "opaque"), "");
	strbuf_init(&sb);
	auth_unquote(auth_param(&h, "realm"), &sb);
	ck_assert_str_eq(sb.buf, "a, \"b\"");
	strbuf_reset(&sb);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Digest, user \"bob\", realm \"a, \"b\"\", "
				 "qop \"auth\", algorithm \"MD5\"");

	/* the MS-SIPAE parameters, any case, spaces around '=' */
	ck_assert_int_eq(auth_parse(sp("  ntlm  QOP = \"auth\" , Realm=\"SIP Communications Service\", "
				       "opaque=\"4A7C2E19\", crand=\"1a2b\", cnum=\"1\", "
				       "targetname=\"R2EE01.uclab.org\", response=\"0100\", "
				       "srand=\"9616454F\", snum=\"1\", rspauth=\"0100\", "
				       "gssapi-data=\"\""),
				    &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_NTLM);
	ck_span(h.scheme_name, "ntlm");
	ck_assert_uint_eq(h.nparams, 11);
	ck_span(auth_param(&h, "qop"), "auth");
	ck_span(auth_param(&h, "crand"), "1a2b");
	ck_span(auth_param(&h, "cnum"), "1");
	ck_span(auth_param(&h, "response"), "0100");
	ck_span(auth_param(&h, "srand"), "9616454F");
	ck_span(auth_param(&h, "snum"), "1");
	ck_span(auth_param(&h, "rspauth"), "0100");
	/* present but empty gssapi-data */
	ck_assert_ptr_nonnull(auth_param(&h, "gssapi-data").p);
	ck_assert_uint_eq(auth_param(&h, "gssapi-data").n, 0);
	strbuf_reset(&sb);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "NTLM, empty token (start of handshake)");

	/* unquoted base64 keeps its padding */
	ck_assert_int_eq(auth_parse(sp("Kerberos gssapi-data=YIIB==,realm=r"), &h), 0);
	ck_span(auth_param(&h, "gssapi-data"), "YIIB==");
	ck_span(auth_param(&h, "realm"), "r");

	/* schemes */
	ck_assert_int_eq(auth_parse(sp("TLS-DSK realm=\"x\", version=4, sensitivity=private"), &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_TLS_DSK);
	ck_assert_int_eq(auth_parse(sp("KERBEROS realm=\"x\""), &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_KERBEROS);
	ck_assert_int_eq(auth_parse(sp("Foo-Bar a=b"), &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_OTHER);
	strbuf_reset(&sb);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Foo-Bar");
	ck_assert_int_eq(auth_parse(sp("NTLM"), &h), 0);
	ck_assert_uint_eq(h.nparams, 0);
	ck_assert_int_eq(auth_parse(sp(""), &h), -1);
	ck_assert_int_eq(auth_parse(sp("  ,  "), &h), -1);
	ck_assert_int_eq(auth_parse(sp("=abc"), &h), -1);
	ck_assert_int_eq(auth_parse(SPAN_NULL, &h), -1);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_params_odd)
{
	struct auth_header h, h2;
	struct strbuf sb;
	size_t i;

	/* two challenges in one value */
	ck_assert_int_eq(auth_parse(sp("Kerberos realm=\"a\", targetname=\"sip/x\", "
				       "NTLM realm=\"b\", targetname=\"x\""),
				    &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_KERBEROS);
	ck_assert_uint_eq(h.nparams, 2);
	ck_span(h.rest, "NTLM realm=\"b\", targetname=\"x\"");
	ck_assert_int_eq(auth_parse(h.rest, &h2), 0);
	ck_assert_int_eq(h2.scheme, AUTH_NTLM);
	ck_span(auth_param(&h2, "realm"), "b");
	ck_assert_uint_eq(h2.rest.n, 0);
	/* "Basic, Digest realm=..." */
	ck_assert_int_eq(auth_parse(sp("Basic, Digest realm=\"r\""), &h), 0);
	ck_assert_int_eq(h.scheme, AUTH_BASIC);
	ck_assert_ptr_null(h.token68.p);
	ck_span(h.rest, "Digest realm=\"r\"");

	/* token68 */
	ck_assert_int_eq(auth_parse(sp("Basic dXNlcjpwYXNz"), &h), 0);
	ck_span(h.token68, "dXNlcjpwYXNz");
	ck_assert_uint_eq(h.nparams, 0);
	strbuf_init(&sb);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Basic, user \"user\"");
	ck_assert_int_eq(auth_parse(sp("Negotiate YII+/w==, Basic"), &h), 0);
	ck_span(h.token68, "YII+/w==");
	ck_span(h.rest, "Basic");

	/* unterminated quote: value to the end, flagged */
	ck_assert_int_eq(auth_parse(sp("NTLM realm=\"abc, version=4"), &h), 0);
	ck_assert_uint_eq(h.flags & AUTHF_SYNTAX, AUTHF_SYNTAX);
	ck_span(auth_param(&h, "realm"), "abc, version=4");
	/* a trailing backslash inside quotes */
	ck_assert_int_eq(auth_parse(sp("NTLM realm=\"abc\\"), &h), 0);
	ck_assert_uint_eq(h.flags & AUTHF_SYNTAX, AUTHF_SYNTAX);
	/* junk after a value is skipped up to the next comma */
	ck_assert_int_eq(auth_parse(sp("NTLM realm=\"a\" junk \"q,\", version=4"), &h), 0);
	ck_assert_uint_eq(h.flags, AUTHF_SYNTAX);
	ck_span(auth_param(&h, "realm"), "a");
	ck_span(auth_param(&h, "version"), "4");
	ck_assert_int_eq(auth_parse(sp("NTLM =x, @@, realm=y"), &h), 0);
	ck_assert_uint_eq(h.flags, AUTHF_SYNTAX);
	ck_span(auth_param(&h, "realm"), "y");

	/* more parameters than fit */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "Digest ");
	for (i = 0; i < AUTH_MAX_PARAMS + 8; i++)
		strbuf_addf(&sb, "p%zu=%zu, ", i, i);
	ck_assert_int_eq(auth_parse((struct span){ sb.buf, sb.len }, &h), 0);
	ck_assert_uint_eq(h.nparams, AUTH_MAX_PARAMS);
	ck_assert_uint_eq(h.flags, AUTHF_TOO_MANY);
	ck_span(auth_param(&h, "p31"), "31");
	ck_assert_ptr_null(auth_param(&h, "p32").p);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_scheme_names)
{
	struct strbuf sb;

	strbuf_init(&sb);
	auth_scheme_names(AUTH_BIT(AUTH_NTLM) | AUTH_BIT(AUTH_KERBEROS), &sb);
	ck_assert_str_eq(sb.buf, "Kerberos, NTLM");
	strbuf_reset(&sb);
	auth_scheme_names(AUTH_BIT(AUTH_DIGEST) | AUTH_BIT(AUTH_TLS_DSK) |
				  AUTH_BIT(AUTH_OTHER),
			  &sb);
	ck_assert_str_eq(sb.buf, "TLS-DSK, Digest, other");
	strbuf_reset(&sb);
	auth_scheme_names(0, &sb);
	ck_assert_uint_eq(sb.len, 0);
	ck_assert_str_eq(auth_scheme_name(AUTH_NONE), "");
	ck_assert_str_eq(auth_scheme_name(AUTH_NEGOTIATE), "Negotiate");
	ck_assert_int_eq(auth_scheme_from_name(sp("tls-dsk")), AUTH_TLS_DSK);
	ck_assert_int_eq(auth_scheme_from_name(sp("basic")), AUTH_BASIC);
	ck_assert_int_eq(auth_scheme_from_name(sp("NTLMv2")), AUTH_OTHER);
	ck_assert_int_eq(auth_scheme_from_name(SPAN_NULL), AUTH_NONE);
	strbuf_free(&sb);
}
END_TEST

/* Base64 */

START_TEST(test_base64)
{
	unsigned char out[64];
	size_t n;

	ck_assert_int_eq(auth_base64_decode(sp("TWFu"), out, sizeof out, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(out, "Man", 3) == 0);
	ck_assert_int_eq(auth_base64_decode(sp("TWE="), out, sizeof out, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(memcmp(out, "Ma", 2) == 0);
	ck_assert_int_eq(auth_base64_decode(sp("TQ=="), out, sizeof out, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(out[0], 'M');
	/* unpadded, and whitespace from folded lines */
	ck_assert_int_eq(auth_base64_decode(sp("TQ"), out, sizeof out, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(auth_base64_decode(sp(" TW\r\n Fu\tTQ = =\n"), out,
					    sizeof out, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert(memcmp(out, "ManM", 4) == 0);
	ck_assert_int_eq(auth_base64_decode(sp(""), out, sizeof out, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(auth_base64_decode(sp("+/+/"), out, sizeof out, &n), 0);
	ck_assert_int_eq(out[0], 0xfb);
	ck_assert_int_eq(out[1], 0xff);
	ck_assert_int_eq(out[2], 0xbf);

	/* bad characters: the bytes before them are counted */
	ck_assert_int_eq(auth_base64_decode(sp("TWFu*TWFu"), out, sizeof out, &n),
			 AUTH_B64_BAD_CHAR);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(auth_base64_decode(sp("TW-u"), out, sizeof out, &n),
			 AUTH_B64_BAD_CHAR);
	ck_assert_int_eq(auth_base64_decode(sp("TW_u"), out, sizeof out, &n),
			 AUTH_B64_BAD_CHAR);
	ck_assert_int_eq(auth_base64_decode(sp("TWFu\x80"), out, sizeof out, &n),
			 AUTH_B64_BAD_CHAR);
	ck_assert_int_eq(auth_base64_decode(sp("\"TWFu\""), out, sizeof out, &n),
			 AUTH_B64_BAD_CHAR);

	/* bad padding */
	ck_assert_int_eq(auth_base64_decode(sp("T"), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);
	ck_assert_int_eq(auth_base64_decode(sp("TWFuT"), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);
	ck_assert_int_eq(auth_base64_decode(sp("TQ="), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);
	ck_assert_int_eq(auth_base64_decode(sp("TQ==="), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);
	ck_assert_int_eq(auth_base64_decode(sp("TWE=="), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);
	ck_assert_int_eq(auth_base64_decode(sp("TQ==TQ=="), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(auth_base64_decode(sp("===="), out, sizeof out, &n),
			 AUTH_B64_BAD_PAD);

	/* output bound: the full length is reported, only outsz stored */
	memset(out, 0x55, sizeof out);
	ck_assert_int_eq(auth_base64_decode(sp("TWFuTWFuTQ"), out, 4, &n), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert(memcmp(out, "ManM", 4) == 0);
	ck_assert_int_eq(out[4], 0x55);
	ck_assert_int_eq(auth_base64_decode(sp("TWFu"), NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_ge(auth_base64_len(sp("TWFuTQ")), 4);
}
END_TEST

/* NTLM */

START_TEST(test_ntlm_negotiate)
{
	struct tok t;
	struct auth_token a;
	char *s, d[512], exp[512];
	struct strbuf fl;

	build_negotiate(&t);
	s = b64(t.b, t.n);
	auth_decode_gssapi(sp(s), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
	ck_assert_int_eq(a.step, AUTH_STEP_NTLM_NEGOTIATE);
	ck_assert_int_eq(a.ntlm_type, 1);
	ck_assert_uint_eq(a.ntlm_flags, NEG_FLAGS);
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_str_eq(a.problem, "");
	ck_assert_str_eq(a.domain, "UCLAB");
	ck_assert_str_eq(a.workstation, "IZABELA-PC");
	ck_assert_int_eq(a.has_version, 1);
	ck_assert_int_eq(a.ver_major, 6);
	ck_assert_int_eq(a.ver_minor, 1);
	ck_assert_int_eq(a.ver_build, 7600);
	ck_assert_uint_eq(a.len, t.n);
	describe(AUTH_NTLM, &a, d, sizeof d);
	strbuf_init(&fl);
	auth_ntlm_flag_names(NEG_FLAGS, &fl);
	ck_assert_str_eq(fl.buf, "UNICODE, OEM, REQUEST_TARGET, NTLM, "
				 "DOMAIN_SUPPLIED, WORKSTATION_SUPPLIED, "
				 "ALWAYS_SIGN, EXTENDED_SESSION, VERSION, 128, 56");
	snprintf(exp, sizeof exp,
		 "NTLM NEGOTIATE, domain UCLAB, workstation IZABELA-PC, flags 0x%08x (%s)",
		 (unsigned)NEG_FLAGS, fl.buf);
	ck_assert_str_eq(d, exp);
	strbuf_free(&fl);
	free(s);

	/* the minimal 16-byte form some clients send */
	t.n = 16;
	set32(&t, 12, AUTH_NTLM_UNICODE | AUTH_NTLM_NTLM);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_NTLM_NEGOTIATE);
	ck_assert_uint_eq(a.flags, 0);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM NEGOTIATE, flags 0x00000201 (UNICODE, NTLM)");
}
END_TEST

START_TEST(test_ntlm_challenge)
{
	struct tok t;
	struct auth_token a;
	char *s, d[512], exp[512];
	struct strbuf fl;

	build_challenge(&t, "UCLAB");
	s = b64(t.b, t.n);
	auth_decode_gssapi(sp(s), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
	ck_assert_int_eq(a.step, AUTH_STEP_NTLM_CHALLENGE);
	ck_assert_uint_eq(a.ntlm_flags, CHAL_FLAGS);
	ck_assert_str_eq(a.target, "UCLAB");
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_int_eq(a.has_version, 1);
	describe(AUTH_NTLM, &a, d, sizeof d);
	strbuf_init(&fl);
	auth_ntlm_flag_names(CHAL_FLAGS, &fl);
	ck_assert_str_eq(fl.buf, "UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN, "
				 "TARGET_DOMAIN, EXTENDED_SESSION, TARGET_INFO, "
				 "VERSION, 128, KEY_EXCH, 56");
	snprintf(exp, sizeof exp, "NTLM CHALLENGE, target UCLAB, flags 0x%08x (%s)",
		 (unsigned)CHAL_FLAGS, fl.buf);
	ck_assert_str_eq(d, exp);
	strbuf_free(&fl);
	free(s);

	/* a Unicode target name */
	build_challenge(&t, "ŻÓŁW-Ünïcødé");
	auth_decode_token(t.b, t.n, &a);
	ck_assert_str_eq(a.target, "ŻÓŁW-Ünïcødé");
	ck_assert_uint_eq(a.flags, 0);

	/* an OEM target name (no UNICODE flag) */
	ntlm_head(&t, 2, 48);
	set32(&t, 20, AUTH_NTLM_OEM | AUTH_NTLM_REQUEST_TARGET);
	field(&t, 12, "CORP", 4);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_str_eq(a.target, "CORP");
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_int_eq(a.has_version, 0);

	/* unnamed flag bits are shown in hex */
	strbuf_init(&fl);
	auth_ntlm_flag_names(0x00000108u, &fl);
	ck_assert_str_eq(fl.buf, "0x00000108");
	strbuf_reset(&fl);
	auth_ntlm_flag_names(0x80000108u, &fl);
	ck_assert_str_eq(fl.buf, "56, 0x00000108");
	strbuf_free(&fl);
}
END_TEST

START_TEST(test_ntlm_authenticate)
{
	struct tok t;
	struct auth_token a;
	char *s, d[512];

	build_authenticate(&t, "UCLAB", "izabelaf", "IZABELA-PC",
			   CHAL_FLAGS & ~AUTH_NTLM_TARGET_INFO);
	s = b64(t.b, t.n);
	auth_decode_gssapi(sp(s), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
	ck_assert_int_eq(a.step, AUTH_STEP_NTLM_AUTHENTICATE);
	ck_assert_int_eq(a.ntlm_type, 3);
	ck_assert_str_eq(a.domain, "UCLAB");
	ck_assert_str_eq(a.user, "izabelaf");
	ck_assert_str_eq(a.workstation, "IZABELA-PC");
	ck_assert_uint_eq(a.flags, 0);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM AUTHENTICATE, user UCLAB\\izabelaf, "
			    "workstation IZABELA-PC");
	free(s);

	/* Unicode names, with a character outside the BMP */
	build_authenticate(&t, "КОРП", "Łukasz Żółć 🎧", "PC-日本",
			   AUTH_NTLM_UNICODE | AUTH_NTLM_NTLM);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_str_eq(a.domain, "КОРП");
	ck_assert_str_eq(a.user, "Łukasz Żółć 🎧");
	ck_assert_str_eq(a.workstation, "PC-日本");
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM AUTHENTICATE, user КОРП\\Łukasz Żółć 🎧, "
			    "workstation PC-日本");

	/* OEM names */
	build_authenticate(&t, "DOM", "joe", "WS1", AUTH_NTLM_OEM);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_str_eq(a.user, "joe");
	ck_assert_str_eq(a.domain, "DOM");

	/* a lone surrogate becomes U+FFFD; a name longer than the buffer
	 * is cut on a character boundary */
	{
		unsigned char bad[4] = { 0x00, 0xd8, 'A', 0 };
		char longname[400];
		size_t i;

		ntlm_head(&t, 3, 88);
		set32(&t, 60, AUTH_NTLM_UNICODE);
		field(&t, 36, bad, 4);
		for (i = 0; i < 150; i++)
			memcpy(longname + 2 * i, "é", 2);
		longname[300] = '\0';
		field16(&t, 44, longname);
		auth_decode_token(t.b, t.n, &a);
		ck_assert_str_eq(a.user, "\xef\xbf\xbd" "A");
		ck_assert_uint_eq(strlen(a.workstation), 126);
		ck_assert_uint_eq(a.flags, 0);
	}

	/* an odd UTF-16 length is reported */
	build_authenticate(&t, "UCLAB", "izabelaf", "IZABELA-PC",
			   AUTH_NTLM_UNICODE);
	set16(&t, 36, 15);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_BAD_FIELD);
	ck_assert_str_eq(a.user, "izabela");

	/* an offset outside the token */
	build_authenticate(&t, "UCLAB", "izabelaf", "IZABELA-PC",
			   AUTH_NTLM_UNICODE);
	set32(&t, 40, 0xfffffff0u);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_BAD_FIELD);
	ck_assert_str_eq(a.user, "");
	ck_assert_str_eq(a.domain, "UCLAB");
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_msg(strstr(d, "; user name out of bounds (offset 4294967280") != NULL,
		      "%s", d);
}
END_TEST

/* Every prefix of each NTLM message: decoded from a heap copy of exactly
 * that size (the sanitizer build catches overreads), always reported. */
START_TEST(test_ntlm_truncated)
{
	struct tok full[4];
	size_t k, cut;

	build_negotiate(&full[0]);
	build_challenge(&full[1], "UCLAB");
	build_authenticate(&full[2], "UCLAB", "izabelaf", "IZABELA-PC",
			   AUTH_NTLM_UNICODE);
	build_authenticate(&full[3], "D", "u", "w", AUTH_NTLM_OEM);
	for (k = 0; k < 4; k++) {
		for (cut = 0; cut <= full[k].n; cut++) {
			unsigned char *b = xmalloc(cut);
			struct auth_token a;
			char d[512], *s;

			memcpy(b, full[k].b, cut);
			auth_decode_token(b, cut, &a);
			describe(AUTH_NTLM, &a, d, sizeof d);
			if (cut == 0) {
				ck_assert_int_eq(a.kind, AUTH_TOK_EMPTY);
			} else if (cut < 7) {
				ck_assert_int_eq(a.kind, AUTH_TOK_UNKNOWN);
			} else if (cut < full[k].n) {
				ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
				ck_assert_msg((a.flags & (AUTH_TOKF_TRUNCATED |
							  AUTH_TOKF_BAD_FIELD)) != 0,
					      "token %zu cut at %zu not reported: %s",
					      k, cut, d);
				ck_assert_msg(strchr(d, ';') != NULL, "%s", d);
			} else {
				ck_assert_uint_eq(a.flags, 0);
			}
			s = b64(b, cut);
			auth_decode_gssapi(sp(s), &a);
			ck_assert_uint_eq(a.len, cut);
			free(s);
			free(b);
		}
	}
}
END_TEST

START_TEST(test_ntlm_bad)
{
	struct tok t;
	struct auth_token a;
	char d[256];

	ntlm_head(&t, 7, 32);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
	ck_assert_int_eq(a.step, AUTH_STEP_OTHER);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_BAD_FIELD);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM token; unknown NTLM message type 7");

	auth_decode_token((const unsigned char *)"NTLMSSPX0000", 12, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_BAD_FIELD);

	ntlm_head(&t, 2, 20);
	auth_decode_token(t.b, t.n, &a);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM CHALLENGE; truncated NTLM CHALLENGE (20 of 32 bytes)");
}
END_TEST

/* Kerberos, SPNEGO */

static const unsigned char krb_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const unsigned char mskrb_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x82,
					   0xf7, 0x12, 0x01, 0x02, 0x02 };
static const unsigned char spnego_oid[] = { 0x06, 0x06, 0x2b, 0x06, 0x01,
					    0x05, 0x05, 0x02 };

/* 0x60 [len] OID tokid [APPLICATION n] with filler contents, total size
 * chosen by body (long-form lengths). */
static void
build_gss_krb(struct tok *t, const unsigned char *oid, size_t oidlen,
	      unsigned tokid, unsigned app, size_t body)
{
	size_t inner = 2 + 4 + body;	/* tokid + app hdr + body */
	size_t total = oidlen + inner, i;

	t->n = 0;
	put8(t, 0x60);
	put8(t, 0x82);
	put8(t, (unsigned)(total >> 8));
	put8(t, total & 0xff);
	put(t, oid, oidlen);
	put8(t, tokid >> 8);
	put8(t, tokid & 0xff);
	put8(t, app);
	put8(t, 0x82);
	put8(t, (unsigned)(body >> 8));
	put8(t, body & 0xff);
	for (i = 0; i < body; i++)
		put8(t, (unsigned)(i * 7));
}

START_TEST(test_kerberos)
{
	struct tok t;
	struct auth_token a;
	char d[256], *s;
	size_t cut;

	build_gss_krb(&t, krb_oid, sizeof krb_oid, 0x0100, 0x6e, 1152);
	ck_assert_uint_eq(t.n, 1173);
	s = b64(t.b, t.n);
	auth_decode_gssapi(sp(s), &a);
	free(s);
	ck_assert_int_eq(a.kind, AUTH_TOK_KERBEROS);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_AP_REQ);
	ck_assert_int_eq(a.krb_app, 14);
	ck_assert_str_eq(a.oid, "1.2.840.113554.1.2.2");
	ck_assert_uint_eq(a.flags, 0);
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	ck_assert_str_eq(d, "Kerberos AP-REQ (1173 bytes)");

	build_gss_krb(&t, mskrb_oid, sizeof mskrb_oid, 0x0200, 0x6f, 100);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_AP_REP);
	ck_assert_str_eq(a.oid, "1.2.840.48018.1.2.2");
	ck_assert_uint_eq(a.flags, 0);
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	ck_assert_str_eq(d, "Kerberos AP-REP (121 bytes)");

	build_gss_krb(&t, krb_oid, sizeof krb_oid, 0x0300, 0x7e, 10);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_ERROR);
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	ck_assert_str_eq(d, "Kerberos KRB-ERROR (31 bytes)");

	/* token id and message disagree; an unknown token id */
	build_gss_krb(&t, krb_oid, sizeof krb_oid, 0x0100, 0x6f, 10);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_BAD_FIELD);
	build_gss_krb(&t, krb_oid, sizeof krb_oid, 0x0404, 0x6f, 10);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_KERBEROS);
	ck_assert_int_eq(a.step, AUTH_STEP_OTHER);
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	ck_assert_str_eq(d, "Kerberos token (31 bytes); unknown Kerberos token id 0x0404");

	/* raw [APPLICATION 14/15/30] */
	t.n = 0;
	put8(&t, 0x6e);
	put8(&t, 0x03);
	put(&t, "\x30\x01\x00", 3);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_KERBEROS);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_AP_REQ);
	ck_assert_uint_eq(a.flags, 0);
	t.b[0] = 0x6f;
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_AP_REP);
	t.b[0] = 0x7e;
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_ERROR);
	t.b[1] = 0x09;	/* says 9 bytes, has 3 */
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_TRUNCATED);

	/* another mechanism's GSS token */
	t.n = 0;
	put(&t, "\x60\x0b\x06\x06\x2b\x06\x01\x05\x05\x07\x01\x00\x00", 13);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_UNKNOWN);
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	ck_assert_str_eq(d, "Kerberos, GSS-API token for 1.3.6.1.5.5.7 (13 bytes)");

	/* every prefix */
	build_gss_krb(&t, krb_oid, sizeof krb_oid, 0x0100, 0x6e, 300);
	for (cut = 1; cut <= t.n; cut++) {
		unsigned char *b = xmalloc(cut);

		memcpy(b, t.b, cut);
		auth_decode_token(b, cut, &a);
		describe(AUTH_KERBEROS, &a, d, sizeof d);
		if (cut < t.n)
			ck_assert_msg(a.flags & AUTH_TOKF_TRUNCATED,
				      "cut %zu: %s", cut, d);
		else
			ck_assert_uint_eq(a.flags, 0);
		free(b);
	}
}
END_TEST

/* DER building for real-shaped Kerberos messages. */
static struct tok
der(unsigned tag, const struct tok *c)
{
	struct tok t = { .n = 0 };

	put8(&t, tag);
	if (c->n < 0x80)
		put8(&t, (unsigned)c->n);
	else {
		put8(&t, 0x82);
		put8(&t, (unsigned)(c->n >> 8));
		put8(&t, c->n & 0xff);
	}
	put(&t, c->b, c->n);
	return t;
}

static struct tok
raw(const void *p, size_t n)
{
	struct tok t = { .n = 0 };

	put(&t, p, n);
	return t;
}

/* Concatenation of a NULL-terminated list. */
static struct tok
cat(const struct tok *first, ...)
{
	struct tok t = { .n = 0 };
	const struct tok *c;
	va_list ap;

	va_start(ap, first);
	for (c = first; c != NULL; c = va_arg(ap, const struct tok *))
		put(&t, c->b, c->n);
	va_end(ap);
	return t;
}

static struct tok
der_int(unsigned ctx, unsigned v)
{
	struct tok i = raw((unsigned char[]){ (unsigned char)v }, 1);
	struct tok n = der(0x02, &i);

	return der(ctx, &n);
}

static struct tok
der_str(unsigned ctx, const char *s)
{
	struct tok v = raw(s, strlen(s)), g = der(0x1b, &v);

	return der(ctx, &g);
}

/* PrincipalName [ctx] { name-type [0] 2, name-string [1] { a, b } } */
static struct tok
der_principal(unsigned ctx, const char *a, const char *b)
{
	struct tok sa = raw(a, strlen(a)), sb = raw(b, strlen(b));
	struct tok ga = der(0x1b, &sa), gb = der(0x1b, &sb);
	struct tok names = cat(&ga, &gb, NULL), seq = der(0x30, &names);
	struct tok ns = der(0xa1, &seq), nt = der_int(0xa0, 2);
	struct tok body = cat(&nt, &ns, NULL), pseq = der(0x30, &body);

	return der(ctx, &pseq);
}

static struct tok
der_enc(unsigned ctx, size_t n)
{
	struct tok c = { .n = 0 }, o, e, seq;
	struct tok et = der_int(0xa0, 23);
	size_t i;

	for (i = 0; i < n; i++)
		put8(&c, (unsigned)(i * 13));
	o = der(0x04, &c);
	e = der(0xa2, &o);
	c = cat(&et, &e, NULL);
	seq = der(0x30, &c);
	return der(ctx, &seq);
}

static struct tok
gss_wrap(unsigned tokid, const struct tok *msg)
{
	struct tok oid = raw(krb_oid, sizeof krb_oid);
	struct tok id = raw((unsigned char[]){ (unsigned char)tokid, 0 }, 2);
	struct tok body = cat(&oid, &id, msg, NULL);

	return der(0x60, &body);
}

START_TEST(test_kerberos_details)
{
	struct tok pvno = der_int(0xa0, 5), mt = der_int(0xa1, 14);
	struct tok opts = raw("\xa2\x07\x03\x05\x00\x20\x00\x00\x00", 9);
	struct tok tv = der_int(0xa0, 5), realm = der_str(0xa1, "UCLAB.ORG");
	struct tok sname = der_principal(0xa2, "sip", "pool.uclab.org");
	struct tok tenc = der_enc(0xa3, 900), tb, ts, tapp, tkt, auth, body,
		   seq, apreq, gss, err, eseq, krberr;
	struct tok emt = der_int(0xa1, 30), code = der_int(0xa6, 37);
	struct tok erealm = der_str(0xa9, "UCLAB.ORG");
	struct tok esname = der_principal(0xaa, "sip", "pool.uclab.org");
	struct tok etext = der_str(0xab, "clock skew");
	struct auth_token a;
	char d[512], exp[512];
	size_t cut;

	tb = cat(&tv, &realm, &sname, &tenc, NULL);
	ts = der(0x30, &tb);
	tapp = der(0x61, &ts);
	tkt = der(0xa3, &tapp);
	auth = der_enc(0xa4, 200);
	body = cat(&pvno, &mt, &opts, &tkt, &auth, NULL);
	seq = der(0x30, &body);
	apreq = der(0x6e, &seq);
	gss = gss_wrap(1, &apreq);

	auth_decode_token(gss.b, gss.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_AP_REQ);
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_str_eq(a.krb_realm, "UCLAB.ORG");
	ck_assert_str_eq(a.krb_sname, "sip/pool.uclab.org");
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	snprintf(exp, sizeof exp,
		 "Kerberos AP-REQ (%zu bytes), ticket for sip/pool.uclab.org@UCLAB.ORG",
		 gss.n);
	ck_assert_str_eq(d, exp);

	/* raw, without the GSS-API wrapper */
	auth_decode_token(apreq.b, apreq.n, &a);
	ck_assert_str_eq(a.krb_sname, "sip/pool.uclab.org");

	/* every prefix: reported, and nothing read past the end */
	for (cut = 1; cut < gss.n; cut++) {
		unsigned char *b = xmalloc(cut);

		memcpy(b, gss.b, cut);
		auth_decode_token(b, cut, &a);
		ck_assert_msg(a.flags & AUTH_TOKF_TRUNCATED, "cut %zu", cut);
		ck_assert_str_eq(a.krb_sname, "");
		free(b);
	}

	/* KRB-ERROR with its code and text */
	eseq = cat(&pvno, &emt, &code, &erealm, &esname, &etext, NULL);
	err = der(0x30, &eseq);
	krberr = der(0x7e, &err);
	gss = gss_wrap(3, &krberr);
	auth_decode_token(gss.b, gss.n, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_ERROR);
	ck_assert_int_eq(a.has_krb_error, 1);
	ck_assert_int_eq(a.krb_error, 37);
	describe(AUTH_KERBEROS, &a, d, sizeof d);
	snprintf(exp, sizeof exp,
		 "Kerberos KRB-ERROR (%zu bytes), error 37 KRB_AP_ERR_SKEW \"clock skew\"",
		 gss.n);
	ck_assert_str_eq(d, exp);
	ck_assert_ptr_null(auth_krb_error_name(1000));
	ck_assert_str_eq(auth_krb_error_name(7), "KDC_ERR_S_PRINCIPAL_UNKNOWN");
}
END_TEST

START_TEST(test_spnego)
{
	struct tok t, k, n;
	struct auth_token a;
	char d[256];
	size_t cut;

	/* NegTokenInit { mechTypes { krb5 }, mechToken AP-REQ } */
	k.n = 0;
	put(&k, "\x6e\x03\x30\x01\x00", 5);
	t.n = 0;
	put8(&t, 0x60);
	put8(&t, (unsigned)(sizeof spnego_oid + 2 + 2 + 2 + 2 + sizeof krb_oid +
			    2 + 2 + k.n));
	put(&t, spnego_oid, sizeof spnego_oid);
	put8(&t, 0xa0);
	put8(&t, (unsigned)(2 + 2 + 2 + sizeof krb_oid + 2 + 2 + k.n));
	put8(&t, 0x30);
	put8(&t, (unsigned)(2 + 2 + sizeof krb_oid + 2 + 2 + k.n));
	put8(&t, 0xa0);
	put8(&t, (unsigned)(2 + sizeof krb_oid));
	put8(&t, 0x30);
	put8(&t, sizeof krb_oid);
	put(&t, krb_oid, sizeof krb_oid);
	put8(&t, 0xa2);
	put8(&t, (unsigned)(2 + k.n));
	put8(&t, 0x04);
	put8(&t, (unsigned)k.n);
	put(&t, k.b, k.n);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_SPNEGO);
	ck_assert_int_eq(a.step, AUTH_STEP_KRB_AP_REQ);
	ck_assert_uint_eq(a.flags, 0);
	describe(AUTH_NEGOTIATE, &a, d, sizeof d);
	ck_assert_str_eq(d, "SPNEGO Kerberos AP-REQ (38 bytes)");
	for (cut = 1; cut < t.n; cut++) {
		unsigned char *b = xmalloc(cut);

		memcpy(b, t.b, cut);
		auth_decode_token(b, cut, &a);
		ck_assert_msg(a.flags != 0, "cut %zu", cut);
		free(b);
	}

	/* NegTokenResp { responseToken NTLM AUTHENTICATE } */
	build_authenticate(&n, "UCLAB", "joe", "WS", AUTH_NTLM_UNICODE);
	t.n = 0;
	put8(&t, 0xa1);
	put8(&t, 0x82);
	put8(&t, (unsigned)((n.n + 12) >> 8));
	put8(&t, (unsigned)((n.n + 12) & 0xff));
	put8(&t, 0x30);
	put8(&t, 0x82);
	put8(&t, (unsigned)((n.n + 8) >> 8));
	put8(&t, (unsigned)((n.n + 8) & 0xff));
	put8(&t, 0xa2);
	put8(&t, 0x82);
	put8(&t, (unsigned)((n.n + 4) >> 8));
	put8(&t, (unsigned)((n.n + 4) & 0xff));
	put8(&t, 0x04);
	put8(&t, 0x82);
	put8(&t, (unsigned)(n.n >> 8));
	put8(&t, (unsigned)(n.n & 0xff));
	put(&t, n.b, n.n);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_SPNEGO);
	ck_assert_int_eq(a.step, AUTH_STEP_NTLM_AUTHENTICATE);
	ck_assert_str_eq(a.user, "joe");
	describe(AUTH_NEGOTIATE, &a, d, sizeof d);
	ck_assert_str_eq(d, "SPNEGO NTLM AUTHENTICATE, user joe (172 bytes)");
}
END_TEST

/* TLS-DSK */

static void
tls_record(struct tok *t, unsigned type, const unsigned char *p, size_t n)
{
	put8(t, type);
	put8(t, 3);
	put8(t, 1);
	put8(t, (unsigned)(n >> 8));
	put8(t, n & 0xff);
	put(t, p, n);
}

static void
hs(struct tok *t, unsigned type, size_t len)
{
	size_t i;

	put8(t, type);
	put8(t, (unsigned)(len >> 16));
	put8(t, (unsigned)((len >> 8) & 0xff));
	put8(t, len & 0xff);
	for (i = 0; i < len; i++)
		put8(t, 0x42);
}

START_TEST(test_tls_dsk)
{
	struct tok t, body;
	struct auth_token a;
	char d[512], *s;
	size_t cut;

	/* client: ClientHello */
	body.n = 0;
	hs(&body, 1, 70);
	t.n = 0;
	tls_record(&t, 22, body.b, body.n);
	s = b64(t.b, t.n);
	auth_decode_gssapi(sp(s), &a);
	free(s);
	ck_assert_int_eq(a.kind, AUTH_TOK_TLS);
	ck_assert_int_eq(a.step, AUTH_STEP_TLS_HANDSHAKE);
	ck_assert_int_eq(a.tls_records, 1);
	ck_assert_int_eq(a.tls_version, 0x0301);
	ck_assert_int_eq(a.tls_nhs, 1);
	ck_assert_int_eq(a.tls_hs[0], 1);
	ck_assert_uint_eq(a.flags, 0);
	describe(AUTH_TLS_DSK, &a, d, sizeof d);
	ck_assert_str_eq(d, "TLS-DSK ClientHello (TLS 1.0, 1 record, 79 bytes)");

	/* server: ServerHello, a Certificate split over two records,
	 * ServerHelloDone */
	body.n = 0;
	hs(&body, 2, 70);
	hs(&body, 11, 900);
	hs(&body, 14, 0);
	t.n = 0;
	tls_record(&t, 22, body.b, 500);
	tls_record(&t, 22, body.b + 500, body.n - 500);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_int_eq(a.tls_nhs, 3);
	describe(AUTH_TLS_DSK, &a, d, sizeof d);
	ck_assert_str_eq(d, "TLS-DSK ServerHello, Certificate, ServerHelloDone "
			    "(TLS 1.0, 2 records, 992 bytes)");
	for (cut = 1; cut < t.n; cut++) {
		unsigned char *b = xmalloc(cut);

		memcpy(b, t.b, cut);
		auth_decode_token(b, cut, &a);
		if (cut >= 3)
			ck_assert_msg(a.kind == AUTH_TOK_TLS &&
					      (a.flags & AUTH_TOKF_TRUNCATED),
				      "cut %zu", cut);
		free(b);
	}

	/* client: ClientKeyExchange, ChangeCipherSpec, encrypted Finished */
	body.n = 0;
	hs(&body, 16, 130);
	t.n = 0;
	tls_record(&t, 22, body.b, body.n);
	tls_record(&t, 20, (const unsigned char *)"\x01", 1);
	tls_record(&t, 22, body.b, 48);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_int_eq(a.tls_ccs, 1);
	describe(AUTH_TLS_DSK, &a, d, sizeof d);
	ck_assert_str_eq(d, "TLS-DSK ClientKeyExchange, Finished (encrypted) "
			    "(TLS 1.0, 3 records, 198 bytes)");

	/* not a TLS record after the first */
	t.n = 0;
	tls_record(&t, 22, body.b, 10);
	put(&t, "junk!", 5);
	auth_decode_token(t.b, t.n, &a);
	ck_assert_uint_eq(a.flags, AUTH_TOKF_BAD_FIELD);
	ck_assert_str_eq(auth_tls_hs_name(99), "type 99");
}
END_TEST

START_TEST(test_other_tokens)
{
	struct auth_token a;
	char d[256];
	static const unsigned char big_hdr[] = { 0x60, 0x84, 0xff, 0xff, 0xff,
						 0xff, 0x06 };

	auth_decode_gssapi(SPAN_NULL, &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NONE);
	ck_assert_int_eq(a.step, AUTH_STEP_NONE);
	auth_decode_gssapi(sp(""), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_EMPTY);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM, empty token (start of handshake)");
	describe(AUTH_TLS_DSK, &a, d, sizeof d);
	ck_assert_str_eq(d, "TLS-DSK, empty token (start of handshake)");

	auth_decode_gssapi(sp("aGVsbG8="), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_UNKNOWN);
	describe(AUTH_NONE, &a, d, sizeof d);
	ck_assert_str_eq(d, "unknown token (5 bytes)");

	auth_decode_gssapi(sp("*not base64*"), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_BAD_BASE64);
	ck_assert_int_eq(a.b64err, AUTH_B64_BAD_CHAR);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM, bad base64 (invalid character)");
	auth_decode_gssapi(sp("T"), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_BAD_BASE64);
	ck_assert_int_eq(a.b64err, AUTH_B64_BAD_PAD);

	/* good bytes, then junk: what came first is decoded, and the
	 * problem reported */
	auth_decode_gssapi(sp("TlRMTVNTUAABAAAA!!"), &a);
	ck_assert_int_eq(a.kind, AUTH_TOK_NTLM);
	ck_assert_uint_eq(a.flags & AUTH_TOKF_BAD_BASE64, AUTH_TOKF_BAD_BASE64);
	describe(AUTH_NTLM, &a, d, sizeof d);
	ck_assert_str_eq(d, "NTLM NEGOTIATE; bad base64 after 12 bytes (invalid character)");

	/* a length field claiming 4 GB */
	auth_decode_token(big_hdr, sizeof big_hdr, &a);
	ck_assert_uint_eq(a.flags & AUTH_TOKF_TRUNCATED, AUTH_TOKF_TRUNCATED);
}
END_TEST

START_TEST(test_too_large)
{
	struct tok t;
	struct auth_token a;
	struct strbuf sb;
	char *s;
	size_t i;

	/* a NEGOTIATE followed by 100 KB: only the first 64 KiB are looked
	 * at, the real length is known */
	build_negotiate(&t);
	strbuf_init(&sb);
	s = b64(t.b, 39);	/* 39 bytes: a multiple of 3 */
	strbuf_adds(&sb, s);
	free(s);
	for (i = 0; i < 100000 / 3; i++)
		strbuf_adds(&sb, "AAAA");
	auth_decode_gssapi((struct span){ sb.buf, sb.len }, &a);
	ck_assert_int_eq(a.step, AUTH_STEP_NTLM_NEGOTIATE);
	ck_assert_uint_eq(a.len, 39 + 100000 / 3 * 3);
	ck_assert_uint_eq(a.flags & AUTH_TOKF_TOO_LARGE, AUTH_TOKF_TOO_LARGE);
	strbuf_free(&sb);
}
END_TEST

/* Deterministic junk through the whole decoder. */
START_TEST(test_junk_tokens)
{
	static const unsigned char seeds[][4] = {
		{ 'N', 'T', 'L', 'M' }, { 0x60, 0x82, 0x01, 0x00 },
		{ 0xa0, 0x81, 0x20, 0x30 }, { 0xa1, 0x10, 0x30, 0x0e },
		{ 0x16, 0x03, 0x01, 0x00 }, { 0x6e, 0x84, 0x00, 0x00 },
	};
	uint32_t seed = 7;
	int round;

	for (round = 0; round < 6000; round++) {
		size_t n, i;
		unsigned char *b;
		struct auth_token a;
		char d[512];

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 200;
		b = xmalloc(n);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			b[i] = (unsigned char)(seed >> 16);
			/* small values make plausible lengths and offsets */
			if ((seed >> 8) % 3 == 0)
				b[i] &= 0x0f;
		}
		if (n >= 12 && round % 2 == 0) {
			if (round % 12 == 0)
				memcpy(b, "NTLMSSP\0", 8);
			else
				memcpy(b, seeds[round % 6], 4);
			if (round % 12 == 0)
				b[8] = (unsigned char)(1 + round % 3);
		}
		auth_decode_token(b, n, &a);
		describe(AUTH_NTLM, &a, d, sizeof d);
		ck_assert(strlen(a.target) < AUTH_NAME_MAX);
		ck_assert(a.tls_nhs <= AUTH_TLS_MAX);
		free(b);
	}
}
END_TEST

/* Per message */

static void
msg(struct sipmsg *m, const char *text)
{
	const char *nl = strchr(text, '\n');
	const char *end = strstr(text, "\r\n\r\n");
	size_t sl = (size_t)(nl - text) + 1;

	ck_assert_ptr_nonnull(end);
	sipmsg_parse(m, (struct span){ text, sl },
		     (struct span){ text + sl, (size_t)(end + 2 - text) - sl },
		     (struct span){ end + 4, strlen(end + 4) });
}

static char *
label(const struct sipmsg *m)
{
	struct strbuf sb;

	strbuf_init(&sb);
	auth_message_label(m, &sb);
	return strbuf_detach(&sb);
}

#define CK_LABEL(m, exp)                                                     \
	do {                                                                 \
		char *l_ = label(m);                                         \
		ck_assert_str_eq(l_, exp);                                   \
		free(l_);                                                    \
	} while (0)

/* Credentials that only open a handshake, and those that do not. */
START_TEST(test_opens_handshake)
{
	static const struct {
		const char *hdr;
		int opens;
	} cases[] = {
		{ "Proxy-Authorization: NTLM qop=\"auth\", realm=\"SIP "
		  "Communications Service\", version=4, gssapi-data=\"\"", 1 },
		{ "Authorization: NTLM gssapi-data=\"\", version=4", 1 },
		{ "Authorization: NTLM version=4, gssapi-data = "
		  "\"TlRMTVNTUAABAAAAB4IIog==\"", 1 },		/* NEGOTIATE */
		{ "Authorization: NTLM version=4, gssapi-data="
		  "\"TlRMTVNTUAADAAAAGAAYAA==\"", 0 },		/* AUTHENTICATE */
		{ "Authorization: TLS-DSK version=4, gssapi-data="
		  "\"FgMBAC8BAAArAwMA\"", 1 },			/* ClientHello */
		{ "Authorization: TLS-DSK version=4, gssapi-data="
		  "\"FgMBAC8QAAArAwMA\"", 0 },		/* ClientKeyExchange */
		{ "Authorization: Kerberos gssapi-data=\"YIIFzgYJKoZIhvcSAQICAQBu\"",
		  0 },
		{ "Authorization: Digest username=\"a\", response=\"0123\"", 0 },
		{ "Authorization: NTLM gssapi-data=\"TlRM\"", 0 },	/* short */
		{ "Authorization: NTLM gssapi-data=", 1 },
		{ "Via: SIP/2.0/UDP h", 0 },
	};
	struct sipmsg m;
	char text[512];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "REGISTER sip:x SIP/2.0\r\n"
			 "Call-ID: c\r\n%s\r\n\r\n", cases[i].hdr);
		msg(&m, text);
		ck_assert_msg(auth_opens_handshake(&m) == cases[i].opens,
			      "%s: expected %d", cases[i].hdr, cases[i].opens);
		sipmsg_clear(&m);
	}
}
END_TEST

/* What a 401/407 says of the credentials it answers, and whether it asks
 * for the realm they were for. */
START_TEST(test_challenge_info)
{
	static const struct {
		const char *hdr;
		unsigned flags;
	} cases[] = {
		{ "WWW-Authenticate: Digest realm=\"x\", nonce=\"n\", "
		  "stale=true", AUTH_CH_STALE },
		{ "Proxy-Authenticate: Digest realm=\"x\", stale=\"TRUE\", "
		  "nonce=\"n\"", AUTH_CH_STALE },
		{ "WWW-Authenticate: Digest realm=\"x\", stale=false", 0 },
		{ "WWW-Authenticate: Digest realm=\"x\", stale=truer", 0 },
		{ "WWW-Authenticate: NTLM opaque=\"A1\", gssapi-data="
		  "\"TlRMTVNTUAACAAAAAAAAADgAAAA=\"", AUTH_CH_NEXT_LEG },
		{ "WWW-Authenticate: TLS-DSK gssapi-data=\"FgMBAAYCAAACAwE=\"",
		  AUTH_CH_NEXT_LEG },		/* ServerHello */
		{ "WWW-Authenticate: TLS-DSK gssapi-data=\"FQMBAAICMA==\"",
		  0 },				/* an alert */
		{ "WWW-Authenticate: NTLM gssapi-data=\"\"", 0 },
		{ "WWW-Authenticate: Kerberos realm=\"x\", version=4", 0 },
		/* NTLM told by its first 12 bytes: the type alone counts. */
		{ "WWW-Authenticate: NTLM TlRMTVNTUAACAAAAAAAAADgAAAA=",
		  AUTH_CH_NEXT_LEG },		/* token68 */
		{ "WWW-Authenticate: NTLM gssapi-data=\"TlRMTVNTUAABAAAAB4IIog==\"",
		  0 },				/* a NEGOTIATE */
		{ "WWW-Authenticate: NTLM gssapi-data=\"TlRMTVNTUAADAAAAGAAYAA==\"",
		  0 },				/* an AUTHENTICATE */
		{ "WWW-Authenticate: NTLM gssapi-data=\"TlRMTVNTUAAC\"", 0 },
						/* cut inside the type */
		{ "WWW-Authenticate: NTLM gssapi-data=\"TlRMTVNTUAAFAAAAAAAAAA==\"",
		  0 },				/* no such type */
		/* Digest without MD5 (RFC 8760): MD5 credentials cannot
		 * answer it; none named is MD5, and so is MD5-sess. */
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=SHA-256",
		  AUTH_CH_NO_MD5 },
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=SHA-256, "
		  "stale=true, nonce=\"n\"", AUTH_CH_NO_MD5 | AUTH_CH_STALE },
		{ "WWW-Authenticate: Digest algorithm=SHA-512-256, realm=\"x\"\r\n"
		  "WWW-Authenticate: Digest algorithm=SHA-256-sess, realm=\"x\"",
		  AUTH_CH_NO_MD5 },
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=SHA-256\r\n"
		  "WWW-Authenticate: Digest realm=\"x\", algorithm=MD5", 0 },
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=SHA-256\r\n"
		  "WWW-Authenticate: Digest realm=\"x\"", 0 },
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=md5-SESS", 0 },
		{ "WWW-Authenticate: Basic realm=\"x\", algorithm=SHA-256", 0 },
	};
	struct sipmsg m, r;
	char text[512];
	size_t i;
	unsigned offered;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "SIP/2.0 401 Unauthorized\r\n"
			 "Call-ID: c\r\n%s\r\n\r\n", cases[i].hdr);
		msg(&m, text);
		ck_assert_msg(auth_challenge_info(&m, NULL) == cases[i].flags,
			      "%s: expected %u", cases[i].hdr, cases[i].flags);
		/* One pass gives the offered set too, as auth_offered. */
		ck_assert_uint_eq(auth_challenge_info(&m, &offered),
				  cases[i].flags);
		ck_assert_uint_eq(offered, auth_offered(&m));
		ck_assert_uint_ne(offered, 0);
		sipmsg_clear(&m);
	}

	msg(&r, "INVITE sip:x SIP/2.0\r\nCall-ID: c\r\n"
		"Proxy-Authorization: Digest realm=\"proxy\", nonce=\"a\"\r\n"
		"\r\n");
	msg(&m, "SIP/2.0 401 Unauthorized\r\nCall-ID: c\r\n"
		"WWW-Authenticate: Digest realm=\"carrier\", nonce=\"b\"\r\n\r\n");
	ck_assert_int_eq(auth_same_realm(&m, &r), 0);
	sipmsg_clear(&m);
	msg(&m, "SIP/2.0 407 Proxy Authentication Required\r\nCall-ID: c\r\n"
		"Proxy-Authenticate: Digest realm=\"proxy\", nonce=\"c\"\r\n\r\n");
	ck_assert_int_eq(auth_same_realm(&m, &r), 1);
	sipmsg_clear(&m);
	/* No realm named: nothing tells them apart. */
	msg(&m, "SIP/2.0 401 Unauthorized\r\nCall-ID: c\r\n"
		"WWW-Authenticate: Basic\r\n\r\n");
	ck_assert_int_eq(auth_same_realm(&m, &r), 1);
	sipmsg_clear(&m);
	sipmsg_clear(&r);
}
END_TEST

/* The Digest algorithms a challenge offers and those credentials use. */
START_TEST(test_digest_algorithms)
{
	static const struct {
		const char *hdrs;
		const char *want;
	} offers[] = {
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=SHA-256\r\n"
		  "WWW-Authenticate: Digest realm=\"x\", algorithm=MD5\r\n"
		  "WWW-Authenticate: Digest realm=\"y\", algorithm=SHA-256\r\n",
		  "SHA-256, MD5" },
		{ "WWW-Authenticate: Digest realm=\"x\"\r\n", "MD5" },
		{ "WWW-Authenticate: NTLM realm=\"x\"\r\n", "" },
	};
	/* For a 401 (Authorization's) and for a 407 (Proxy-Authorization's):
	 * the same unless both headers carry Digest credentials. */
	static const struct {
		const char *hdrs;
		int md5, proxy_md5;
		const char *alg, *proxy_alg;
	} creds[] = {
		{ "Authorization: Digest username=\"a\", response=\"1\"\r\n",
		  1, 1, "MD5", "MD5" },
		{ "Authorization: Digest username=\"a\", algorithm=MD5-sess\r\n",
		  1, 1, "MD5-sess", "MD5-sess" },
		{ "Proxy-Authorization: Digest algorithm=SHA-256, "
		  "username=\"a\"\r\n", 0, 0, "SHA-256", "SHA-256" },
		/* The other header's Digest ones, past another scheme's. */
		{ "Authorization: NTLM gssapi-data=\"\"\r\n"
		  "Proxy-Authorization: Digest algorithm=SHA-512-256\r\n",
		  0, 0, "SHA-512-256", "SHA-512-256" },
		/* Through a proxy (MD5) to a registrar (SHA-256 only). */
		{ "Proxy-Authorization: Digest realm=\"proxy\", "
		  "algorithm=MD5\r\nAuthorization: Digest realm=\"reg\", "
		  "algorithm=SHA-256\r\n", 0, 1, "SHA-256", "MD5" },
		{ "Authorization: Digest realm=\"reg\"\r\n"
		  "Proxy-Authorization: Digest realm=\"proxy\", "
		  "algorithm=SHA-256\r\n", 1, 0, "MD5", "SHA-256" },
		{ "Authorization: NTLM gssapi-data=\"\"\r\n", -1, -1, "", "" },
		{ "", -1, -1, "", "" },
	};
	struct sipmsg m;
	struct strbuf sb;
	struct span a;
	char text[512];
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < sizeof offers / sizeof offers[0]; i++) {
		snprintf(text, sizeof text, "SIP/2.0 401 Unauthorized\r\n"
			 "Call-ID: c\r\n%s\r\n", offers[i].hdrs);
		msg(&m, text);
		strbuf_reset(&sb);
		auth_digest_algorithms(&m, &sb);
		ck_assert_str_eq(sb.buf != NULL ? sb.buf : "", offers[i].want);
		/* After text already there: the same, appended. */
		strbuf_reset(&sb);
		strbuf_adds(&sb, "MD5 ");
		auth_digest_algorithms(&m, &sb);
		ck_assert_str_eq(sb.buf + 4, offers[i].want);
		sipmsg_clear(&m);
	}
	strbuf_free(&sb);
	for (i = 0; i < sizeof creds / sizeof creds[0]; i++) {
		snprintf(text, sizeof text, "REGISTER sip:x SIP/2.0\r\n"
			 "Call-ID: c\r\n%s\r\n", creds[i].hdrs);
		msg(&m, text);
		a = SPAN_NULL;
		ck_assert_int_eq(auth_digest_credentials(&m, HDR_AUTHORIZATION,
							 &a), creds[i].md5);
		ck_assert_msg(span_eq(a, creds[i].alg) ||
			      (a.p == NULL && *creds[i].alg == '\0'),
			      "%zu: %.*s", i, (int)a.n, a.p);
		ck_assert_int_eq(auth_digest_credentials(&m, HDR_AUTHORIZATION,
							 NULL), creds[i].md5);
		a = SPAN_NULL;
		ck_assert_int_eq(auth_digest_credentials(&m,
		    HDR_PROXY_AUTHORIZATION, &a), creds[i].proxy_md5);
		ck_assert_msg(span_eq(a, creds[i].proxy_alg) ||
			      (a.p == NULL && *creds[i].proxy_alg == '\0'),
			      "%zu: proxy %.*s", i, (int)a.n, a.p);
		sipmsg_clear(&m);
	}
}
END_TEST

/* Whether a request's credentials could answer a challenge: scheme,
 * realm, and Digest's nonce, each when both name it. */
START_TEST(test_answers_challenge)
{
	static const struct {
		const char *cred;
		int want;
	} cases[] = {
		{ "Authorization: Digest realm=\"x\", nonce=\"n1\"", 1 },
		{ "Authorization: Digest realm=\"x\", nonce=\"n2\"", 1 },
		{ "Authorization: Digest realm=\"x\", nonce=\"n3\"", 0 },
		{ "Authorization: Digest realm=\"y\", nonce=\"n1\"", 0 },
		{ "Authorization: Digest username=\"a\"", 1 },
		{ "Proxy-Authorization: NTLM realm=\"x\", gssapi-data=\"\"", 1 },
		{ "Proxy-Authorization: NTLM realm=\"z\", gssapi-data=\"\"", 0 },
		{ "Proxy-Authorization: Kerberos realm=\"x\"", 0 },
		{ "Via: SIP/2.0/UDP h", 0 },
	};
	struct sipmsg ch, rq;
	char text[512];
	size_t i;

	msg(&ch, "SIP/2.0 401 Unauthorized\r\nCall-ID: c\r\n"
		 "WWW-Authenticate: Digest realm=\"x\", nonce=\"n1\"\r\n"
		 "WWW-Authenticate: Digest realm=\"x\", nonce=\"n2\", "
		 "algorithm=SHA-256\r\n"
		 "WWW-Authenticate: NTLM realm=\"x\"\r\n\r\n");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "REGISTER sip:x SIP/2.0\r\n"
			 "Call-ID: d\r\n%s\r\n\r\n", cases[i].cred);
		msg(&rq, text);
		ck_assert_msg(auth_answers_challenge(&ch, &rq) == cases[i].want,
			      "%s", cases[i].cred);
		sipmsg_clear(&rq);
	}
	sipmsg_clear(&ch);
}
END_TEST

/* A retry that carries credentials for two realms (the proxy's 407 and
 * the registrar's 401 both answered, in either order) answers each of the
 * two challenges, not only the one its first header is for. */
START_TEST(test_answers_challenge_both_headers)
{
	static const char proxy[] = "Proxy-Authorization: Digest "
		"username=\"2013\", realm=\"proxy.example.net\", nonce=\"p1\", "
		"response=\"1\"\r\n";
	static const char reg[] = "Authorization: Digest username=\"2013\", "
		"realm=\"pbx.example.net\", nonce=\"r1\", response=\"2\"\r\n";
	struct sipmsg c407, c401, c401b, rq;
	char text[1024];
	int order;

	msg(&c407, "SIP/2.0 407 Proxy Authentication Required\r\n"
		   "Call-ID: c\r\nProxy-Authenticate: Digest "
		   "realm=\"proxy.example.net\", nonce=\"p1\"\r\n\r\n");
	msg(&c401, "SIP/2.0 401 Unauthorized\r\nCall-ID: c\r\n"
		   "WWW-Authenticate: Digest realm=\"pbx.example.net\", "
		   "nonce=\"r1\"\r\n\r\n");
	/* Another nonce of the registrar: answered by neither header. */
	msg(&c401b, "SIP/2.0 401 Unauthorized\r\nCall-ID: c\r\n"
		    "WWW-Authenticate: Digest realm=\"pbx.example.net\", "
		    "nonce=\"r2\"\r\n\r\n");
	for (order = 0; order < 2; order++) {
		snprintf(text, sizeof text, "REGISTER sip:x SIP/2.0\r\n"
			 "Call-ID: d\r\n%s%s\r\n", order ? reg : proxy,
			 order ? proxy : reg);
		msg(&rq, text);
		ck_assert_msg(auth_answers_challenge(&c407, &rq), "%d", order);
		ck_assert_msg(auth_answers_challenge(&c401, &rq), "%d", order);
		ck_assert_msg(!auth_answers_challenge(&c401b, &rq), "%d", order);
		sipmsg_clear(&rq);
	}
	sipmsg_clear(&c407);
	sipmsg_clear(&c401);
	sipmsg_clear(&c401b);
}
END_TEST

/* The schemes offered, with Digest's algorithms when one is not MD5. */
START_TEST(test_offered_detail)
{
	static const struct {
		const char *hdrs;
		const char *want;
	} cases[] = {
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=SHA-256\r\n"
		  "WWW-Authenticate: Digest realm=\"x\", algorithm=MD5\r\n",
		  "Digest (SHA-256, MD5)" },
		{ "WWW-Authenticate: Digest realm=\"x\", algorithm=MD5\r\n",
		  "Digest" },
		{ "WWW-Authenticate: Digest realm=\"x\"\r\n", "Digest" },
		{ "Proxy-Authenticate: Digest realm=\"x\", "
		  "algorithm=SHA-512-256-sess\r\n"
		  "Proxy-Authenticate: NTLM realm=\"x\"\r\n",
		  "Digest (SHA-512-256-sess), NTLM" },
		{ "WWW-Authenticate: Kerberos realm=\"x\"\r\n"
		  "WWW-Authenticate: NTLM realm=\"x\"\r\n", "Kerberos, NTLM" },
		{ "WWW-Authenticate: NTLM realm=\"x\"\r\n"
		  "WWW-Authenticate: Digest algorithm=SHA-256, realm=\"x\"\r\n"
		  "WWW-Authenticate: Digest algorithm=SHA-256, realm=\"y\"\r\n",
		  "NTLM, Digest (SHA-256)" },
	};
	struct sipmsg m;
	struct strbuf sb;
	char text[512];
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "SIP/2.0 401 Unauthorized\r\n"
			 "Call-ID: c\r\n%s\r\n", cases[i].hdrs);
		msg(&m, text);
		strbuf_reset(&sb);
		auth_offered_detail(&m, &sb);
		ck_assert_str_eq(sb.buf != NULL ? sb.buf : "", cases[i].want);
		sipmsg_clear(&m);
	}
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_message_helpers)
{
	struct sipmsg m;
	struct auth_token tok;
	struct strbuf sb;
	struct tok t;
	char *g, *text;

	strbuf_init(&sb);

	/* 401 offering Kerberos and NTLM (internal user) */
	msg(&m, "SIP/2.0 401 Unauthorized\r\n"
		"Call-ID: k\r\n"
		"WWW-Authenticate: Kerberos realm=\"SIP Communications Service\", "
		"targetname=\"sip/pool.example.com\", version=4\r\n"
		"WWW-Authenticate: NTLM realm=\"SIP Communications Service\", "
		"targetname=\"pool.example.com\", version=4\r\n\r\n");
	ck_assert_uint_eq(auth_offered(&m),
			  AUTH_BIT(AUTH_KERBEROS) | AUTH_BIT(AUTH_NTLM));
	auth_offered_names(&m, &sb);
	ck_assert_str_eq(sb.buf, "Kerberos, NTLM");
	CK_LABEL(&m, "Kerberos, NTLM");
	ck_assert_int_eq(auth_has_credentials(&m), 0);
	sipmsg_clear(&m);

	/* 407, offered in another order and in one comma-joined value */
	msg(&m, "SIP/2.0 407 Proxy Authentication Required\r\n"
		"Call-ID: k\r\n"
		"Proxy-Authenticate: NTLM realm=\"a\", Kerberos realm=\"a\"\r\n"
		"Proxy-Authenticate: ntlm realm=\"a\"\r\n"
		"Proxy-Authenticate: TLS-DSK realm=\"a\"\r\n\r\n");
	strbuf_reset(&sb);
	auth_offered_names(&m, &sb);
	ck_assert_str_eq(sb.buf, "NTLM, Kerberos, TLS-DSK");
	CK_LABEL(&m, "NTLM, Kerberos, TLS-DSK");
	strbuf_reset(&sb);
	auth_scheme_names(auth_offered(&m), &sb);
	ck_assert_str_eq(sb.buf, "Kerberos, NTLM, TLS-DSK");
	sipmsg_clear(&m);

	/* REGISTER with an empty NTLM token */
	msg(&m, "REGISTER sip:uclab.org SIP/2.0\r\n"
		"Call-ID: r\r\n"
		"Proxy-Authorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", "
		"targetname=\"R2EE01.uclab.org\", gssapi-data=\"\", version=4\r\n\r\n");
	ck_assert_int_eq(auth_has_credentials(&m), 1);
	ck_assert_int_eq(auth_credentials(&m, &tok), AUTH_NTLM);
	ck_assert_int_eq(tok.kind, AUTH_TOK_EMPTY);
	ck_assert_int_eq(tok.step, AUTH_STEP_EMPTY);
	CK_LABEL(&m, "NTLM");
	ck_assert_uint_eq(auth_offered(&m), 0);
	sipmsg_clear(&m);

	/* 401 carrying the NTLM CHALLENGE */
	build_challenge(&t, "UCLAB");
	g = b64(t.b, t.n);
	text = xasprintf("SIP/2.0 401 Unauthorized\r\n"
			 "Call-ID: r\r\n"
			 "WWW-Authenticate: NTLM opaque=\"4A7C2E19\", gssapi-data=\"%s\", "
			 "targetname=\"R2EE01.uclab.org\", realm=\"SIP Communications Service\"\r\n\r\n",
			 g);
	msg(&m, text);
	CK_LABEL(&m, "NTLM CHALLENGE");
	ck_assert_uint_eq(auth_offered(&m), AUTH_BIT(AUTH_NTLM));
	sipmsg_clear(&m);
	free(text);
	free(g);

	/* the same, HTTP style, after an empty-token challenge */
	build_challenge(&t, "UCLAB");
	g = b64(t.b, t.n);
	text = xasprintf("SIP/2.0 407 Proxy Authentication Required\r\n"
			 "Call-ID: r\r\n"
			 "Proxy-Authenticate: NTLM gssapi-data=\"\"\r\n"
			 "Proxy-Authenticate: NTLM %s\r\n\r\n",
			 g);
	msg(&m, text);
	CK_LABEL(&m, "NTLM CHALLENGE");
	sipmsg_clear(&m);
	free(text);
	free(g);

	/* REGISTER with the AUTHENTICATE */
	build_authenticate(&t, "UCLAB", "izabelaf", "IZABELA-PC",
			   AUTH_NTLM_UNICODE);
	g = b64(t.b, t.n);
	text = xasprintf("REGISTER sip:uclab.org SIP/2.0\r\n"
			 "Call-ID: r\r\n"
			 "Proxy-Authorization: NTLM qop=\"auth\", opaque=\"4A7C2E19\", "
			 "gssapi-data=\"%s\", version=4\r\n\r\n",
			 g);
	msg(&m, text);
	ck_assert_int_eq(auth_credentials(&m, &tok), AUTH_NTLM);
	ck_assert_int_eq(tok.step, AUTH_STEP_NTLM_AUTHENTICATE);
	ck_assert_str_eq(tok.user, "izabelaf");
	ck_assert_int_eq(auth_credentials(&m, NULL), AUTH_NTLM);
	CK_LABEL(&m, "NTLM AUTHENTICATE");
	sipmsg_clear(&m);
	free(text);
	free(g);

	/* REGISTER with a NEGOTIATE */
	build_negotiate(&t);
	g = b64(t.b, t.n);
	text = xasprintf("REGISTER sip:uclab.org SIP/2.0\r\nCall-ID: r\r\n"
			 "Authorization: NTLM gssapi-data=%s\r\n\r\n", g);
	msg(&m, text);
	CK_LABEL(&m, "NTLM NEGOTIATE");
	sipmsg_clear(&m);
	free(text);
	free(g);

	/* Kerberos AP-REQ */
	build_gss_krb(&t, krb_oid, sizeof krb_oid, 0x0100, 0x6e, 1000);
	g = b64(t.b, t.n);
	text = xasprintf("REGISTER sip:uclab.org SIP/2.0\r\nCall-ID: r\r\n"
			 "Proxy-Authorization: Kerberos qop=\"auth\", realm=\"SIP Communications Service\", "
			 "targetname=\"sip/R2EE01.uclab.org\", version=4, gssapi-data=\"%s\"\r\n\r\n",
			 g);
	msg(&m, text);
	ck_assert_int_eq(auth_credentials(&m, &tok), AUTH_KERBEROS);
	ck_assert_int_eq(tok.step, AUTH_STEP_KRB_AP_REQ);
	CK_LABEL(&m, "Kerberos AP-REQ");
	sipmsg_clear(&m);
	free(text);
	free(g);

	/* TLS-DSK challenge with a ServerHello */
	{
		struct tok body = { .n = 0 };

		hs(&body, 2, 40);
		hs(&body, 14, 0);
		t.n = 0;
		tls_record(&t, 22, body.b, body.n);
		g = b64(t.b, t.n);
		text = xasprintf("SIP/2.0 401 Unauthorized\r\nCall-ID: r\r\n"
				 "WWW-Authenticate: TLS-DSK opaque=\"1\", gssapi-data=\"%s\"\r\n\r\n",
				 g);
		msg(&m, text);
		CK_LABEL(&m, "TLS-DSK ServerHello");
		sipmsg_clear(&m);
		free(text);
		free(g);
	}

	/* Digest */
	msg(&m, "INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: d\r\n"
		"Authorization: Digest username=\"alice\", realm=\"example.com\", "
		"nonce=\"x\", uri=\"sip:bob@example.com\", response=\"y\"\r\n\r\n");
	ck_assert_int_eq(auth_credentials(&m, &tok), AUTH_DIGEST);
	ck_assert_int_eq(tok.kind, AUTH_TOK_NONE);
	CK_LABEL(&m, "Digest");
	sipmsg_clear(&m);
	msg(&m, "SIP/2.0 407 Proxy Authentication Required\r\nCall-ID: d\r\n"
		"Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"x\", qop=\"auth\"\r\n\r\n");
	CK_LABEL(&m, "Digest");
	ck_assert_uint_eq(auth_offered(&m), AUTH_BIT(AUTH_DIGEST));
	sipmsg_clear(&m);

	/* 200 OK with Authentication-Info / Proxy-Authentication-Info */
	msg(&m, "SIP/2.0 200 OK\r\nCall-ID: r\r\n"
		"Authentication-Info: NTLM rspauth=\"01000000E615438A917661BE64000000\", "
		"srand=\"9616454F\", snum=\"1\", opaque=\"4A7C2E19\", qop=\"auth\", "
		"targetname=\"R2EE01.uclab.org\", realm=\"SIP Communications Service\"\r\n\r\n");
	CK_LABEL(&m, "NTLM");
	ck_assert_uint_eq(auth_offered(&m), 0);
	sipmsg_clear(&m);
	msg(&m, "SIP/2.0 200 OK\r\nCall-ID: k\r\n"
		"Proxy-Authentication-Info: Kerberos rspauth=\"602306092A864886F71201020201011000FFFFFFFF1B5C7E3A\", "
		"srand=\"2E4B6C8D\", snum=\"1\"\r\n\r\n");
	CK_LABEL(&m, "Kerberos");
	sipmsg_clear(&m);

	/* nothing to say */
	msg(&m, "REGISTER sip:uclab.org SIP/2.0\r\nCall-ID: n\r\n\r\n");
	ck_assert_int_eq(auth_has_credentials(&m), 0);
	ck_assert_int_eq(auth_credentials(&m, &tok), AUTH_NONE);
	ck_assert_int_eq(tok.kind, AUTH_TOK_NONE);
	CK_LABEL(&m, "");
	sipmsg_clear(&m);
	msg(&m, "SIP/2.0 200 OK\r\nCall-ID: n\r\n\r\n");
	CK_LABEL(&m, "");
	sipmsg_clear(&m);
	/* a header with no scheme in it */
	msg(&m, "SIP/2.0 401 Unauthorized\r\nCall-ID: n\r\nWWW-Authenticate:   \r\n\r\n");
	ck_assert_uint_eq(auth_offered(&m), 0);
	CK_LABEL(&m, "");
	sipmsg_clear(&m);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_describe_headers)
{
	struct auth_header h;
	struct strbuf sb;

	strbuf_init(&sb);
	auth_parse(sp("Kerberos realm=\"SIP Communications Service\", "
		      "targetname=\"sip/R2EE01.uclab.org\", version=4"),
		   &h);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Kerberos, realm \"SIP Communications Service\", "
				 "targetname \"sip/R2EE01.uclab.org\", version \"4\"");
	strbuf_reset(&sb);
	auth_parse(sp("NTLM rspauth=\"0100\", srand=\"9616454F\", snum=\"1\", "
		      "qop=\"auth\", targetname=\"R2EE01.uclab.org\""),
		   &h);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "NTLM, targetname \"R2EE01.uclab.org\", qop \"auth\", "
				 "signed (rspauth)");
	strbuf_reset(&sb);
	auth_parse(sp("Digest realm=\"r\", nonce=\"n\", stale=TRUE"), &h);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Digest, realm \"r\", stale nonce");
	strbuf_reset(&sb);
	auth_parse(sp("Basic !!!"), &h);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Basic");
	strbuf_reset(&sb);
	auth_parse(sp("Negotiate aGVsbG8="), &h);
	auth_describe(&h, &sb);
	ck_assert_str_eq(sb.buf, "Negotiate, unknown token (5 bytes)");
	/* HTTP-style NTLM with a bare token */
	{
		struct tok t;
		char *g, *v;

		build_challenge(&t, "CORP");
		g = b64(t.b, t.n);
		v = xasprintf("NTLM %s", g);
		auth_parse(sp(v), &h);
		strbuf_reset(&sb);
		auth_describe(&h, &sb);
		ck_assert_msg(strncmp(sb.buf, "NTLM CHALLENGE, target CORP, flags", 34) == 0,
			      "%s", sb.buf);
		free(v);
		free(g);
	}
	strbuf_free(&sb);
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_params_odd);
	tcase_add_test(tc, test_scheme_names);
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_ntlm_negotiate);
	tcase_add_test(tc, test_ntlm_challenge);
	tcase_add_test(tc, test_ntlm_authenticate);
	tcase_add_test(tc, test_ntlm_truncated);
	tcase_add_test(tc, test_ntlm_bad);
	tcase_add_test(tc, test_kerberos);
	tcase_add_test(tc, test_kerberos_details);
	tcase_add_test(tc, test_spnego);
	tcase_add_test(tc, test_tls_dsk);
	tcase_add_test(tc, test_other_tokens);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_junk_tokens);
	tcase_add_test(tc, test_message_helpers);
	tcase_add_test(tc, test_opens_handshake);
	tcase_add_test(tc, test_challenge_info);
	tcase_add_test(tc, test_digest_algorithms);
	tcase_add_test(tc, test_answers_challenge);
	tcase_add_test(tc, test_answers_challenge_both_headers);
	tcase_add_test(tc, test_offered_detail);
	tcase_add_test(tc, test_describe_headers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(auth_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
