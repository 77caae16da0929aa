/* Unit tests for sipmsg: start lines, header names and forms, folding,
 * addresses and URIs, flags, large and hostile input. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "reader.h"
#include "sipmsg.h"

#define ck_span(s, lit) ck_span_eq((s), (lit), __LINE__)

static void
ck_span_eq(struct span s, const char *lit, int line)
{
	size_t n = strlen(lit);

	ck_assert_msg(s.n == n && (n == 0 || memcmp(s.p, lit, n) == 0),
		      "line %d: got \"%.*s\", expected \"%s\"", line, (int)s.n,
		      s.p != NULL ? s.p : "", lit);
}

/* Splits a whole message the way a reader does: first line, header block
 * up to the blank line (without it), body. */
static void
parse_text(struct sipmsg *m, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl, *h, *b;
	struct span start, hdrs, body;

	nl = memchr(p, '\n', len);
	start = (struct span){ p, nl != NULL ? (size_t)(nl - p + 1) : len };
	h = nl != NULL ? nl + 1 : end;
	b = h;
	while (b < end) {
		const char *e = memchr(b, '\n', (size_t)(end - b));
		const char *le = e != NULL ? e : end;

		if (le == b || (le == b + 1 && *b == '\r')) {
			hdrs = (struct span){ h, (size_t)(b - h) };
			body = (struct span){ e != NULL ? e + 1 : end, 0 };
			body.n = (size_t)(end - body.p);
			sipmsg_parse(m, start, hdrs, body);
			return;
		}
		b = e != NULL ? e + 1 : end;
	}
	sipmsg_parse(m, start, (struct span){ h, (size_t)(end - h) },
		     (struct span){ end, 0 });
}

static void
parse(struct sipmsg *m, const char *text)
{
	parse_text(m, text, strlen(text));
}

static const char *register_msg =
	"REGISTER sip:uclab.org SIP/2.0\r\n"
	"Via: SIP/2.0/TLS 200.1.1.201:1049\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:izabelaf@uclab.org>;tag=bd2d2f2bdb;epid=9dc7a2d6d6\r\n"
	"To: <sip:izabelaf@uclab.org>\r\n"
	"Call-ID: 3a4c5e3f2d4b4e6f8a1b2c3d4e5f6a7b\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Contact: <sip:200.1.1.201:1049;transport=tls;ms-opaque=d3470f2e1d>;methods=\"INVITE, MESSAGE\"\r\n"
	"User-Agent: UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)\r\n"
	"Supported: gruu-10, adhoclist, msrtc-event-categories\r\n"
	"Supported: ms-forking\r\n"
	"Event: registration\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

START_TEST(test_request)
{
	struct sipmsg m;
	struct strbuf sb;

	parse(&m, register_msg);
	ck_assert_int_eq(m.kind, SIP_REQUEST);
	ck_span(m.method, "REGISTER");
	ck_span(m.ruri, "sip:uclab.org");
	ck_span(m.version, "SIP/2.0");
	ck_assert_int_eq(m.status, 0);
	ck_assert_uint_eq(m.nhdrs, 12);
	ck_assert_uint_eq(m.flags, 0);
	ck_span(m.call_id, "3a4c5e3f2d4b4e6f8a1b2c3d4e5f6a7b");
	ck_assert_uint_eq(m.cseq, 1);
	ck_span(m.cseq_method, "REGISTER");
	ck_span(m.from.uri, "sip:izabelaf@uclab.org");
	ck_span(m.from.user, "izabelaf");
	ck_span(m.from.host, "uclab.org");
	ck_span(m.from.tag, "bd2d2f2bdb");
	ck_span(m.from.epid, "9dc7a2d6d6");
	ck_span(m.from.display, "");
	ck_span(m.to.uri, "sip:izabelaf@uclab.org");
	ck_assert_ptr_null(m.to.tag.p);
	ck_assert_int_eq(m.content_length, 0);
	ck_assert_uint_eq(m.body.n, 0);
	ck_assert(!sipmsg_has_sdp(&m));
	ck_assert_ptr_eq(m.hdrs, m.inline_hdrs);

	ck_assert_int_eq(m.hdrs[0].id, HDR_VIA);
	ck_span(m.hdrs[0].name, "Via");
	ck_span(m.hdrs[0].value, "SIP/2.0/TLS 200.1.1.201:1049");
	ck_assert_int_eq(m.hdrs[1].id, HDR_OTHER);
	ck_span(m.hdrs[1].name, "Max-Forwards");
	ck_span(sipmsg_find(&m, HDR_SUPPORTED, 1)->value, "ms-forking");
	ck_assert_ptr_null(sipmsg_find(&m, HDR_SUPPORTED, 2));
	ck_span(sipmsg_find_name(&m, "max-forwards", 0)->value, "70");
	ck_span(sipmsg_find_name(&m, "k", 0)->value,
		"gruu-10, adhoclist, msrtc-event-categories");
	ck_span(sipmsg_find_name(&m, "USER-AGENT", 0)->name, "User-Agent");
	ck_assert_ptr_null(sipmsg_find_name(&m, "X-Nothing", 0));

	strbuf_init(&sb);
	sipmsg_summary(&m, &sb);
	ck_assert_str_eq(sb.buf, "REGISTER sip:uclab.org");
	strbuf_free(&sb);
	sipmsg_clear(&m);
}
END_TEST

START_TEST(test_response)
{
	struct sipmsg m;
	struct strbuf sb;

	strbuf_init(&sb);
	parse(&m, "SIP/2.0 401 Unauthorized\r\n"
		  "From: <sip:izabelaf@uclab.org>;tag=bd2d2f2bdb\r\n"
		  "To: <sip:izabelaf@uclab.org>;tag=8A1B2C3D\r\n"
		  "Call-ID: abc\r\n"
		  "CSeq: 2 REGISTER\r\n"
		  "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", version=4\r\n"
		  "ms-user-logon-data: RemoteUser\r\n"
		  "Content-Length: 0\r\n\r\n");
	ck_assert_int_eq(m.kind, SIP_RESPONSE);
	ck_assert_int_eq(m.status, 401);
	ck_span(m.reason, "Unauthorized");
	ck_span(m.version, "SIP/2.0");
	ck_assert_ptr_null(m.method.p);
	ck_span(m.to.tag, "8A1B2C3D");
	ck_assert_uint_eq(m.cseq, 2);
	ck_assert_int_eq(sipmsg_find(&m, HDR_MS_USER_LOGON_DATA, 0) != NULL, 1);
	ck_assert_int_eq(sipmsg_find(&m, HDR_WWW_AUTHENTICATE, 0) != NULL, 1);
	sipmsg_summary(&m, &sb);
	ck_assert_str_eq(sb.buf, "401 Unauthorized");
	sipmsg_clear(&m);

	/* a reason with spaces, and none at all */
	strbuf_reset(&sb);
	parse(&m, "SIP/2.0 486 Busy Here  \r\nCall-ID: x\r\n\r\n");
	sipmsg_summary(&m, &sb);
	ck_assert_str_eq(sb.buf, "486 Busy Here");
	sipmsg_clear(&m);
	strbuf_reset(&sb);
	parse(&m, "SIP/2.0 100\r\nCall-ID: x\r\n\r\n");
	ck_assert_int_eq(m.kind, SIP_RESPONSE);
	ck_assert_int_eq(m.status, 100);
	ck_assert_uint_eq(m.reason.n, 0);
	sipmsg_summary(&m, &sb);
	ck_assert_str_eq(sb.buf, "100");
	sipmsg_clear(&m);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_compact_forms)
{
	static const struct {
		const char *name;
		enum hdr_id id;
	} forms[] = {
		{ "i", HDR_CALL_ID }, { "f", HDR_FROM }, { "t", HDR_TO },
		{ "v", HDR_VIA }, { "m", HDR_CONTACT },
		{ "l", HDR_CONTENT_LENGTH }, { "c", HDR_CONTENT_TYPE },
		{ "k", HDR_SUPPORTED }, { "s", HDR_SUBJECT },
		{ "e", HDR_CONTENT_ENCODING }, { "o", HDR_EVENT },
		{ "r", HDR_REFER_TO }, { "u", HDR_ALLOW_EVENTS },
		{ "x", HDR_SESSION_EXPIRES }, { "b", HDR_REFERRED_BY },
		{ "a", HDR_OTHER }, { "z", HDR_OTHER }, { "j", HDR_OTHER },
	};
	struct sipmsg m;
	size_t i;
	char up[2] = { 0, 0 };

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct span s = { forms[i].name, 1 };

		ck_assert_int_eq(sipmsg_hdr_id(s), forms[i].id);
		up[0] = (char)(forms[i].name[0] - 32);
		s.p = up;
		ck_assert_int_eq(sipmsg_hdr_id(s), forms[i].id);
	}

	parse(&m, "INVITE sip:bob@example.com SIP/2.0\r\n"
		  "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
		  "f: \"Alice\" <sip:alice@example.com>;tag=1\r\n"
		  "t: Bob <sip:bob@example.com>\r\n"
		  "i: compact@10.0.0.1\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "m: <sip:alice@10.0.0.1>\r\n"
		  "c: application/sdp\r\n"
		  "k: timer\r\n"
		  "s: lunch\r\n"
		  "o: presence\r\n"
		  "l: 4\r\n"
		  "\r\n"
		  "v=0\n");
	ck_span(m.call_id, "compact@10.0.0.1");
	ck_span(m.from.display, "Alice");
	ck_span(m.from.tag, "1");
	ck_span(m.to.display, "Bob");
	ck_span(m.to.uri, "sip:bob@example.com");
	ck_assert_int_eq(m.content_length, 4);
	ck_assert(sipmsg_has_sdp(&m));
	ck_span(sipmsg_find_name(&m, "Contact", 0)->value,
		"<sip:alice@10.0.0.1>");
	ck_span(sipmsg_find_name(&m, "subject", 0)->value, "lunch");
	ck_span(sipmsg_find(&m, HDR_EVENT, 0)->value, "presence");
	ck_span(sipmsg_find_name(&m, "i", 0)->value, "compact@10.0.0.1");
	sipmsg_clear(&m);
}
END_TEST

START_TEST(test_full_names_any_case)
{
	static const struct {
		const char *name;
		enum hdr_id id;
	} names[] = {
		{ "Call-ID", HDR_CALL_ID }, { "CSeq", HDR_CSEQ },
		{ "From", HDR_FROM }, { "To", HDR_TO }, { "Via", HDR_VIA },
		{ "Contact", HDR_CONTACT },
		{ "Content-Type", HDR_CONTENT_TYPE },
		{ "Content-Length", HDR_CONTENT_LENGTH },
		{ "Supported", HDR_SUPPORTED }, { "Subject", HDR_SUBJECT },
		{ "Content-Encoding", HDR_CONTENT_ENCODING },
		{ "Event", HDR_EVENT }, { "Refer-To", HDR_REFER_TO },
		{ "Allow-Events", HDR_ALLOW_EVENTS },
		{ "Session-Expires", HDR_SESSION_EXPIRES },
		{ "Referred-By", HDR_REFERRED_BY },
		{ "WWW-Authenticate", HDR_WWW_AUTHENTICATE },
		{ "Proxy-Authenticate", HDR_PROXY_AUTHENTICATE },
		{ "Authorization", HDR_AUTHORIZATION },
		{ "Proxy-Authorization", HDR_PROXY_AUTHORIZATION },
		{ "Authentication-Info", HDR_AUTHENTICATION_INFO },
		{ "Proxy-Authentication-Info", HDR_PROXY_AUTHENTICATION_INFO },
		{ "P-Asserted-Identity", HDR_P_ASSERTED_IDENTITY },
		{ "ms-diagnostics", HDR_MS_DIAGNOSTICS },
		{ "ms-diagnostics-public", HDR_MS_DIAGNOSTICS_PUBLIC },
		{ "ms-user-logon-data", HDR_MS_USER_LOGON_DATA },
		{ "Warning", HDR_WARNING }, { "Reason", HDR_REASON },
		{ "User-Agent", HDR_USER_AGENT }, { "Server", HDR_SERVER },
		{ "Expires", HDR_EXPIRES },
		/* near misses */
		{ "Call-IDs", HDR_OTHER }, { "Call_ID", HDR_OTHER },
		{ "CSeqq", HDR_OTHER }, { "Fromm", HDR_OTHER },
		{ "Max-Forwards", HDR_OTHER }, { "Contact-X", HDR_OTHER },
		{ "ms-diagnostics-publi", HDR_OTHER }, { "", HDR_OTHER },
		{ "Tо", HDR_OTHER },	/* Cyrillic o */
	};
	char buf[64];
	size_t i, k;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i].name);
		struct span s = { buf, n };

		memcpy(buf, names[i].name, n);
		ck_assert_msg(sipmsg_hdr_id(s) == names[i].id, "%s",
			      names[i].name);
		for (k = 0; k < n; k++)
			buf[k] = (char)((buf[k] >= 'a' && buf[k] <= 'z') ?
						buf[k] - 32 : buf[k]);
		ck_assert_msg(sipmsg_hdr_id(s) == names[i].id, "upper %s",
			      names[i].name);
		for (k = 0; k < n; k++)
			buf[k] = (char)((buf[k] >= 'A' && buf[k] <= 'Z') ?
						buf[k] + 32 : buf[k]);
		ck_assert_msg(sipmsg_hdr_id(s) == names[i].id, "lower %s",
			      names[i].name);
	}
	ck_assert_int_eq(sipmsg_hdr_id(SPAN_NULL), HDR_OTHER);
}
END_TEST

START_TEST(test_case_and_spacing)
{
	struct sipmsg m;

	/* CLS logs write some names in upper case; RFC 3261 allows spaces
	 * before the colon. */
	parse(&m, "OPTIONS sip:pool.example.com SIP/2.0\r\n"
		  "VIA: SIP/2.0/TLS 10.0.0.1:5061\r\n"
		  "CALL-ID   :   spaced  \r\n"
		  "cseq:\t7\tOPTIONS\r\n"
		  "FROM:<sip:a@example.com>;TAG=up\r\n"
		  "CONTENT-LENGTH:0\r\n\r\n");
	ck_assert_uint_eq(m.flags, 0);
	ck_span(m.call_id, "spaced");
	ck_span(sipmsg_find(&m, HDR_CALL_ID, 0)->name, "CALL-ID");
	ck_assert_uint_eq(m.cseq, 7);
	ck_span(m.cseq_method, "OPTIONS");
	ck_span(m.from.tag, "up");
	ck_assert_int_eq(m.content_length, 0);
	ck_span(sipmsg_find(&m, HDR_VIA, 0)->value, "SIP/2.0/TLS 10.0.0.1:5061");
	sipmsg_clear(&m);

	/* lower-case version and methods keep their case */
	parse(&m, "invite sip:x@y sip/2.0\nCall-ID: a\n\n");
	ck_assert_int_eq(m.kind, SIP_REQUEST);
	ck_span(m.method, "invite");
	sipmsg_clear(&m);
}
END_TEST

/* A CSeq whose number is missing, too large (2^31 and up) or glued to
 * its method, or with no method or more than one word, is a bad header
 * line: flagged, and where it is said. */
START_TEST(test_bad_cseq)
{
	static const struct {
		const char *value;
		uint32_t cseq;
		int bad;
	} cases[] = {
		{ "1 INVITE", 1, 0 },
		{ "2147483647 BYE", 2147483647u, 0 },
		{ "2147483648 BYE", 2147483648u, 1 },
		{ "99999999999 BYE", 0, 1 },
		{ "-5 BYE", 0, 1 },
		{ "BYE", 0, 1 },
		{ "7", 7, 1 },
		{ "7BYE", 7, 1 },
		{ "7 BYE BYE", 7, 1 },
	};
	struct sipmsg m;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "BYE sip:bob@example.com SIP/2.0\r\n"
			 "Call-ID: c\r\nCSeq: %s\r\nContent-Length: 0\r\n"
			 "\r\n", cases[i].value);
		parse(&m, text);
		ck_assert_msg(m.cseq == cases[i].cseq, "%s: %u", cases[i].value,
			      m.cseq);
		ck_assert_msg(((m.flags & RECF_BAD_HEADER) != 0) ==
			      cases[i].bad, "%s", cases[i].value);
		if (cases[i].bad)
			ck_assert(m.bad_at != NULL &&
				  strncmp(m.bad_at, "CSeq:", 5) == 0);
	}
}
END_TEST

START_TEST(test_folding)
{
	struct sipmsg m;
	const struct sip_header *h;

	parse(&m, "MESSAGE sip:bob@example.com SIP/2.0\r\n"
		  "Subject: I know you're there,\r\n"
		  "   pick up the phone\r\n"
		  "\tand talk to me!\r\n"
		  "Call-ID:\r\n"
		  " folded-id@host\r\n"
		  "CSeq: 3\r\n"
		  "  MESSAGE\r\n"
		  "To:\r\n"
		  "  <sip:bob@example.com>\r\n"
		  "  ;tag=folded\r\n"
		  "X-Empty:\r\n"
		  "Content-Length: 0\r\n\r\n");
	ck_assert_uint_eq(m.flags, 0);
	ck_assert_uint_eq(m.nhdrs, 6);
	h = sipmsg_find(&m, HDR_SUBJECT, 0);
	ck_span(h->value, "I know you're there,\r\n   pick up the phone\r\n"
			  "\tand talk to me!");
	ck_span(m.call_id, "folded-id@host");
	ck_assert_uint_eq(m.cseq, 3);
	ck_span(m.cseq_method, "MESSAGE");
	ck_span(m.to.uri, "sip:bob@example.com");
	ck_span(m.to.tag, "folded");
	h = sipmsg_find_name(&m, "x-empty", 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->value.n, 0);
	ck_assert_ptr_nonnull(h->value.p);
	sipmsg_clear(&m);

	/* LF-only folding */
	parse(&m, "MESSAGE sip:bob@example.com SIP/2.0\n"
		  "Subject: one\n two\n"
		  "Call-ID: lf\n\n");
	ck_span(sipmsg_find(&m, HDR_SUBJECT, 0)->value, "one\n two");
	ck_span(m.call_id, "lf");
	sipmsg_clear(&m);

	/* a continuation line with nothing to continue */
	parse(&m, "MESSAGE sip:bob@example.com SIP/2.0\n"
		  "  orphan continuation\n"
		  "Call-ID: c\n\n");
	ck_assert_uint_eq(m.flags & RECF_BAD_HEADER, RECF_BAD_HEADER);
	ck_assert_uint_eq(m.nhdrs, 1);
	ck_span(m.call_id, "c");
	sipmsg_clear(&m);
}
END_TEST

START_TEST(test_repeated_and_comma)
{
	struct sipmsg m;

	parse(&m, "SIP/2.0 200 OK\r\n"
		  "Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK1, SIP/2.0/TLS 10.0.0.2:5061;branch=z9hG4bK2\r\n"
		  "v: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n"
		  "VIA: SIP/2.0/UDP 10.0.0.4\r\n"
		  "Call-ID: r\r\n"
		  "Contact: <sip:a@10.0.0.1>;expires=3600, \"B, b\" <sip:b@10.0.0.2>\r\n"
		  "Call-ID: second\r\n\r\n");
	ck_assert_uint_eq(m.nhdrs, 6);
	ck_span(sipmsg_find(&m, HDR_VIA, 0)->value,
		"SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK1, SIP/2.0/TLS 10.0.0.2:5061;branch=z9hG4bK2");
	ck_span(sipmsg_find_name(&m, "Via", 1)->value,
		"SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3");
	ck_span(sipmsg_find_name(&m, "v", 2)->value, "SIP/2.0/UDP 10.0.0.4");
	ck_assert_ptr_null(sipmsg_find(&m, HDR_VIA, 3));
	/* the first Call-ID counts */
	ck_span(m.call_id, "r");
	ck_span(sipmsg_find(&m, HDR_CALL_ID, 1)->value, "second");
	sipmsg_clear(&m);
}
END_TEST

static void
addr(const char *value, int ret, const char *display, const char *uri,
     const char *user, const char *host, const char *tag, const char *epid)
{
	struct sip_addr a;
	struct span v = { value, strlen(value) };

	ck_assert_msg(sipmsg_parse_addr(v, &a) == ret, "return for %s", value);
	ck_span(a.display, display);
	ck_span(a.uri, uri);
	ck_span(a.user, user);
	ck_span(a.host, host);
	ck_span(a.tag, tag);
	ck_span(a.epid, epid);
}

START_TEST(test_addr_forms)
{
	addr("\"Izabela F\" <sip:izabelaf@uclab.org>;tag=1;epid=2", 0,
	     "Izabela F", "sip:izabelaf@uclab.org", "izabelaf", "uclab.org",
	     "1", "2");
	/* quoted display with a comma, a '<', a ';' and escaped quotes */
	addr("\"Smith, John \\\"JJ\\\" <x>;y\" <sip:jj@example.com>;tag=t", 0,
	     "Smith, John \\\"JJ\\\" <x>;y", "sip:jj@example.com", "jj",
	     "example.com", "t", "");
	addr("Bob Jones <sips:bob@example.com:5061;transport=tls>;tag=88", 0,
	     "Bob Jones", "sips:bob@example.com:5061;transport=tls", "bob",
	     "example.com:5061", "88", "");
	/* folded between the quoted display name and the <uri> */
	addr("\"Alice\"\r\n <sip:alice@example.org>;tag=al1", 0, "Alice",
	     "sip:alice@example.org", "alice", "example.org", "al1", "");
	addr("\"Alice\"\n\t<sip:alice@example.org>", 0, "Alice",
	     "sip:alice@example.org", "alice", "example.org", "", "");
	/* unquoted display name with a comma (RFC 4475 baddn) */
	addr("Bell, Alexander <sip:a.g.bell@example.com>;tag=43", 0,
	     "Bell, Alexander", "sip:a.g.bell@example.com", "a.g.bell",
	     "example.com", "43", "");
	/* bare addr-spec: the ;tag is the header's, not the URI's */
	addr("sip:alice@example.com;tag=abc;epid=e1", 0, "",
	     "sip:alice@example.com", "alice", "example.com", "abc", "e1");
	/* in < > the URI parameters stay in the URI */
	addr("<sip:alice@example.com;tag=urip>;tag=hdr", 0, "",
	     "sip:alice@example.com;tag=urip", "alice", "example.com", "hdr",
	     "");
	addr("<sip:alice@example.com;tag=urip>", 0, "",
	     "sip:alice@example.com;tag=urip", "alice", "example.com", "", "");
	addr("tel:+1-555-0100;phone-context=example.com;tag=x", 0, "",
	     "tel:+1-555-0100", "+1-555-0100", "", "x", "");
	addr("<tel:+15550100;ext=12>", 0, "", "tel:+15550100;ext=12",
	     "+15550100", "", "", "");
	addr("<sip:[::1]:5060;transport=tcp>;tag=v6", 0, "",
	     "sip:[::1]:5060;transport=tcp", "", "[::1]:5060", "v6", "");
	addr("sip:user@[2001:db8::10]:5070;tag=z", 0, "",
	     "sip:user@[2001:db8::10]:5070", "user", "[2001:db8::10]:5070",
	     "z", "");
	/* bare with header params that quote a <urn> */
	addr("sip:a@10.0.0.1;+sip.instance=\"<urn:uuid:1234>\";expires=60", 0,
	     "", "sip:a@10.0.0.1", "a", "10.0.0.1", "", "");
	/* first of a list */
	addr("<sip:a@h1>;tag=1, <sip:b@h2>;tag=2", 0, "", "sip:a@h1", "a",
	     "h1", "1", "");
	addr("sip:a@h1, Bob <sip:b@h2>", 0, "", "sip:a@h1", "a", "h1", "", "");
	/* spaces inside < > (RFC 4475 badaspec), quoted epid, spaced = */
	addr("\"W\" < sip:t.watson@example.org > ; tag = 9 ; epid=\"q\"", 0,
	     "W", "sip:t.watson@example.org", "t.watson", "example.org", "9",
	     "q");
	/* user with password, bare host */
	addr("<sip:bob:secret@host.example:5060>", 0, "",
	     "sip:bob:secret@host.example:5060", "bob", "host.example:5060",
	     "", "");
	addr("<sip:pool.example.com>", 0, "", "sip:pool.example.com", "",
	     "pool.example.com", "", "");
	addr("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=x", 0,
	     "Anonymous", "sip:anonymous@anonymous.invalid", "anonymous",
	     "anonymous.invalid", "x", "");
	/* no URI */
	addr("", -1, "", "", "", "", "", "");
	addr("   ", -1, "", "", "", "", "", "");
	addr("\"Only a name\"", -1, "", "", "", "", "", "");
	addr("<>;tag=1", -1, "", "", "", "", "", "");
	/* unterminated quote and bracket: no crash, best effort */
	addr("\"open <sip:x@y>;tag=2", 0, "open", "sip:x@y", "x", "y", "2", "");
	addr("\"open sip:x@y", -1, "", "", "", "", "", "");
	addr("<sip:x@y;tag=1", 0, "", "sip:x@y;tag=1", "x", "y", "", "");
	ck_assert_int_eq(sipmsg_parse_addr(SPAN_NULL, &(struct sip_addr){ 0 }),
			 -1);
}
END_TEST

START_TEST(test_uri_parts)
{
	static const struct {
		const char *uri, *user, *host;
	} t[] = {
		{ "sip:alice@example.com:5061;transport=tls", "alice",
		  "example.com:5061" },
		{ "SIP:Bob@Host", "Bob", "Host" },
		{ "sips:carol@secure.example.com", "carol",
		  "secure.example.com" },
		{ "sip:example.com", "", "example.com" },
		{ "sip:+123;phone-context=x@gw.example.com;user=phone",
		  "+123;phone-context=x", "gw.example.com" },
		{ "sip:[2001:db8::1]:5060;lr", "", "[2001:db8::1]:5060" },
		{ "sip:u@h?subject=x", "u", "h" },
		{ "tel:+1-555-0100;ext=1", "+1-555-0100", "" },
		{ "alice@example.com", "alice", "example.com" },
		{ "example.com:5060", "", "example.com:5060" },
		{ "sip:", "", "" },
		{ "sip:@", "", "" },
		{ "sip:[::1", "", "[::1" },
	};
	size_t i;
	struct span u, h;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		sipmsg_uri_parts((struct span){ t[i].uri, strlen(t[i].uri) },
				 &u, &h);
		ck_span(u, t[i].user);
		ck_span(h, t[i].host);
	}
	sipmsg_uri_parts(SPAN_NULL, &u, &h);
	ck_assert_uint_eq(u.n + h.n, 0);
}
END_TEST

START_TEST(test_flags)
{
	struct sipmsg m;
	struct strbuf sb;

	strbuf_init(&sb);
	parse(&m, "BYE sip:bob@example.com SIP/2.0\r\nCSeq: 2 BYE\r\n\r\n");
	ck_assert_uint_eq(m.flags, RECF_NO_CALLID);
	ck_assert_uint_eq(m.call_id.n, 0);
	sipmsg_clear(&m);

	parse(&m, "BYE sip:bob@example.com SIP/2.0\r\nCall-ID:   \r\n\r\n");
	ck_assert_uint_eq(m.flags, RECF_NO_CALLID);
	sipmsg_clear(&m);

	/* a line without a colon is skipped, not fatal */
	parse(&m, "BYE sip:bob@example.com SIP/2.0\r\n"
		  "this is not a header\r\n"
		  ": no name\r\n"
		  "some text: with a colon\r\n"
		  "Na(me: x\r\n"
		  "Call-ID: kept\r\n"
		  "CSeq: 9 BYE\r\n\r\n");
	ck_assert_uint_eq(m.flags, RECF_BAD_HEADER);
	ck_assert_uint_eq(m.nhdrs, 2);
	ck_span(m.call_id, "kept");
	ck_assert_uint_eq(m.cseq, 9);
	sipmsg_clear(&m);

	/* broken start lines: kept, flagged, summarised as written */
	static const char *bad[] = {
		"HELLO WORLD", "SIP/2.0 20 OK", "SIP/2.0 2000 OK",
		"SIP/2.0 099 Low", "SIP/2.0 700 High", "SIP/2.0 abc OK",
		"INVITE sip:x@y SIP/3.0", "INVITE sip:x@y", "INVITE",
		"INVITE <sip:x@y> SIP/2.0", "INVITE sip:x@y; lr SIP/2.0",
		"IN(VITE sip:x@y SIP/2.0", "SIP/2.00 200 OK", "HTTP/1.1 200 OK",
		"\x01\x02\xff",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[128];

		snprintf(buf, sizeof buf, "%s\r\nCall-ID: b\r\n\r\n", bad[i]);
		parse(&m, buf);
		ck_assert_msg(m.kind == SIP_INVALID, "%s", bad[i]);
		ck_assert_msg(m.flags == RECF_BAD_START, "%s", bad[i]);
		ck_span(m.call_id, "b");
		strbuf_reset(&sb);
		sipmsg_summary(&m, &sb);
		ck_assert_str_eq(sb.buf, bad[i]);
		sipmsg_clear(&m);
	}

	/* nothing at all */
	sipmsg_parse(&m, SPAN_NULL, SPAN_NULL, SPAN_NULL);
	ck_assert_int_eq(m.kind, SIP_INVALID);
	ck_assert_uint_eq(m.flags, RECF_BAD_START | RECF_NO_CALLID);
	ck_assert_uint_eq(m.nhdrs, 0);
	ck_assert_int_eq(m.content_length, -1);
	strbuf_reset(&sb);
	sipmsg_summary(&m, &sb);
	ck_assert_uint_eq(sb.len, 0);
	sipmsg_clear(&m);
	sipmsg_clear(&m);	/* twice is harmless */
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_no_headers)
{
	struct sipmsg m;

	parse(&m, "OPTIONS sip:x@y SIP/2.0\r\n");
	ck_assert_int_eq(m.kind, SIP_REQUEST);
	ck_assert_uint_eq(m.nhdrs, 0);
	ck_assert_uint_eq(m.flags, RECF_NO_CALLID);
	ck_assert_uint_eq(m.cseq, 0);
	ck_assert_ptr_null(m.from.uri.p);
	ck_assert_ptr_null(sipmsg_find(&m, HDR_VIA, 0));
	ck_assert(!sipmsg_has_sdp(&m));
	sipmsg_clear(&m);
}
END_TEST

START_TEST(test_cseq_and_length)
{
	static const struct {
		const char *cseq;
		uint32_t num;
		const char *method;
	} cs[] = {
		{ "1 INVITE", 1, "INVITE" },
		{ "  0042   ACK  ", 42, "ACK" },
		{ "4294967295 BYE", 4294967295u, "BYE" },
		{ "4294967296 BYE", 0, "BYE" },
		{ "36893488147419103232 REGISTER", 0, "REGISTER" },
		{ "abc", 0, "abc" },
		{ "", 0, "" },
		{ "-1 BYE", 0, "-1 BYE" },
	};
	static const struct {
		const char *v;
		long len;
	} cl[] = {
		{ "0", 0 }, { "150", 150 }, { "  12 ", 12 }, { "-5", -1 },
		{ "12a", -1 }, { "", -1 }, { "99999999999999999999999", -1 },
		{ "1 2", -1 },
	};
	struct sipmsg m;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof cs / sizeof cs[0]; i++) {
		snprintf(buf, sizeof buf,
			 "ACK sip:x@y SIP/2.0\r\nCall-ID: a\r\nCSeq: %s\r\n\r\n",
			 cs[i].cseq);
		parse(&m, buf);
		ck_assert_msg(m.cseq == cs[i].num, "%s", cs[i].cseq);
		ck_span(m.cseq_method, cs[i].method);
		sipmsg_clear(&m);
	}
	for (i = 0; i < sizeof cl / sizeof cl[0]; i++) {
		snprintf(buf, sizeof buf,
			 "ACK sip:x@y SIP/2.0\r\nCall-ID: a\r\nContent-Length: %s\r\n\r\n",
			 cl[i].v);
		parse(&m, buf);
		ck_assert_msg(m.content_length == cl[i].len, "%s", cl[i].v);
		sipmsg_clear(&m);
	}
	parse(&m, "ACK sip:x@y SIP/2.0\r\nCall-ID: a\r\n\r\n");
	ck_assert_int_eq(m.content_length, -1);
	sipmsg_clear(&m);
}
END_TEST

START_TEST(test_body_and_sdp)
{
	static const struct {
		const char *ctype, *body;
		int sdp;
	} t[] = {
		{ "application/sdp", "v=0\r\n", 1 },
		{ "Application/SDP; charset=utf-8", "v=0\r\n", 1 },
		{ "application/sdp", "", 0 },
		{ "application/sdpx", "v=0\r\n", 0 },
		{ "text/plain", "v=0\r\n", 0 },
		{ "multipart/alternative;boundary=b",
		  "--b\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--b--\r\n",
		  1 },
		{ "multipart/mixed;boundary=b",
		  "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n", 0 },
		{ NULL, "v=0\r\n", 0 },
	};
	struct sipmsg m;
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (t[i].ctype != NULL)
			snprintf(buf, sizeof buf,
				 "INVITE sip:x@y SIP/2.0\r\nCall-ID: a\r\n"
				 "Content-Type: %s\r\n\r\n%s",
				 t[i].ctype, t[i].body);
		else
			snprintf(buf, sizeof buf,
				 "INVITE sip:x@y SIP/2.0\r\nCall-ID: a\r\n\r\n%s",
				 t[i].body);
		parse(&m, buf);
		ck_assert_msg(sipmsg_has_sdp(&m) == t[i].sdp, "%zu", i);
		ck_span(m.body, t[i].body);
		sipmsg_clear(&m);
	}
}
END_TEST

START_TEST(test_many_headers)
{
	struct strbuf sb;
	struct sipmsg m;
	const struct sip_header *h;
	size_t i;

	strbuf_init(&sb);
	strbuf_adds(&sb, "NOTIFY sip:x@y SIP/2.0\r\n");
	for (i = 0; i < 200; i++)
		strbuf_addf(&sb, "X-H%zu: value %zu\r\n", i, i);
	strbuf_adds(&sb, "Call-ID: last\r\nVia: v1\r\n\r\n");
	parse(&m, sb.buf);
	ck_assert_uint_eq(m.nhdrs, 202);
	ck_assert_ptr_ne(m.hdrs, m.inline_hdrs);
	ck_assert_uint_ge(m.caphdrs, 202);
	ck_span(m.call_id, "last");
	h = sipmsg_find_name(&m, "x-h47", 0);
	ck_span(h->value, "value 47");
	h = sipmsg_find_name(&m, "X-H48", 0);
	ck_span(h->value, "value 48");
	h = sipmsg_find_name(&m, "X-H199", 0);
	ck_span(h->value, "value 199");
	ck_span(sipmsg_find(&m, HDR_VIA, 0)->value, "v1");
	sipmsg_clear(&m);
	ck_assert_uint_eq(m.nhdrs, 0);

	/* exactly the inline capacity stays inline */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "NOTIFY sip:x@y SIP/2.0\r\n");
	for (i = 0; i < SIPMSG_INLINE_HDRS; i++)
		strbuf_addf(&sb, "X-H%zu: %zu\r\n", i, i);
	parse(&m, sb.buf);
	ck_assert_uint_eq(m.nhdrs, SIPMSG_INLINE_HDRS);
	ck_assert_ptr_eq(m.hdrs, m.inline_hdrs);
	sipmsg_clear(&m);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_100k_headers)
{
	struct strbuf sb;
	struct sipmsg m;
	size_t i;

	strbuf_init(&sb);
	strbuf_adds(&sb, "SIP/2.0 200 OK\r\n");
	for (i = 0; i < 100000; i++)
		strbuf_adds(&sb, i % 3 == 0 ? "Via: SIP/2.0/UDP h\r\n" :
			    i % 3 == 1 ? "x:\r\n" : " folded\r\n");
	strbuf_adds(&sb, "i: at-the-end\r\n\r\n");
	parse(&m, sb.buf);
	ck_assert_int_eq(m.kind, SIP_RESPONSE);
	ck_assert_uint_eq(m.nhdrs, 66667 + 1);
	ck_span(m.call_id, "at-the-end");
	ck_span(sipmsg_find(&m, HDR_VIA, 33333)->value, "SIP/2.0/UDP h");
	ck_span(m.hdrs[1].value, "folded");
	ck_assert_uint_eq(m.flags, 0);
	sipmsg_clear(&m);
	strbuf_free(&sb);
}
END_TEST

/* One header folded 200k times, blank continuation lines included: the
 * value covers them all, and parsing stays linear (a quadratic re-scan
 * takes minutes here). */
START_TEST(test_long_folding)
{
	struct strbuf sb;
	struct sipmsg m;
	struct timespec t0, t1;
	size_t i;
	double secs;

	strbuf_init(&sb);
	strbuf_adds(&sb, "X-Empty:\r\n");
	for (i = 0; i < 200000; i++)
		strbuf_adds(&sb, "   \r\n");
	strbuf_adds(&sb, " end\r\nX-Long: a\r\n");
	for (i = 0; i < 200000; i++)
		strbuf_adds(&sb, i % 2 ? " b\r\n" : "\t \r\n");
	strbuf_adds(&sb, "Call-ID: c\r\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sipmsg_parse(&m, SPAN_LIT("SIP/2.0 200 OK"),
		     (struct span){ sb.buf, sb.len }, SPAN_NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs < 5.0, "took %.1f s", secs);
	ck_assert_uint_eq(m.nhdrs, 3);
	ck_span(m.hdrs[0].value, "end");
	ck_assert_uint_eq(m.hdrs[1].value.n, 1 + 2 + 200000 * 4 - 2);
	ck_assert_int_eq(m.hdrs[1].value.p[0], 'a');
	ck_assert_int_eq(m.hdrs[1].value.p[m.hdrs[1].value.n - 1], 'b');
	ck_span(m.call_id, "c");
	sipmsg_clear(&m);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_non_utf8_and_nul)
{
	static const char msg[] =
		"MESSAGE sip:b@h SIP/2.0\r\n"
		"From: \"\xff\xfe\x00" "bin\" <sip:a\x80@h>;tag=\x01\r\n"
		"Call-ID: id\x00with-nul\r\n"
		"Subject: \x1b[31mred\r\n\r\n"
		"\x00\x01\x02";
	struct sipmsg m;

	parse_text(&m, msg, sizeof msg - 1);
	ck_assert_int_eq(m.kind, SIP_REQUEST);
	ck_assert_uint_eq(m.nhdrs, 3);
	ck_assert_uint_eq(m.call_id.n, 11);
	ck_assert_uint_eq(m.from.display.n, 6);
	ck_assert_uint_eq(m.from.uri.n, 8);
	ck_assert_uint_eq(m.from.tag.n, 1);
	ck_assert_uint_eq(m.body.n, 3);
	sipmsg_clear(&m);
}
END_TEST

/* Every prefix of a message, each in a heap buffer of exactly its size, so
 * that the sanitizer build catches any read past the end. */
START_TEST(test_truncation)
{
	static const char *msgs[] = {
		"INVITE sip:bob@[2001:db8::1]:5060 SIP/2.0\r\n"
		"f: \"A \\\"q\\\", b\" <sip:a@h;x=\"y\">;tag=1;epid=\"2\r\n"
		"t: sip:b@h;tag=\r\n"
		"i: x\r\n CSeq: 1\r\n"
		"CSeq: 12345678901234567890\r\n"
		"Content-Type: multipart/alternative\r\n"
		"l: 99\r\n\r\nbody application/sdp",
		"SIP/2.0 401 Unauthorized\n"
		"WWW-Authenticate: NTLM realm=\"x\"\n"
		"To: <sip:z@[::1\n"
		"From: \"unterminated\n\n",
	};
	size_t k, len, cut;
	struct sipmsg m;
	struct strbuf sb;

	strbuf_init(&sb);
	for (k = 0; k < sizeof msgs / sizeof msgs[0]; k++) {
		len = strlen(msgs[k]);
		for (cut = 0; cut <= len; cut++) {
			char *b = xmalloc(cut);
			const char *nl;
			size_t sl;

			memcpy(b, msgs[k], cut);
			parse_text(&m, b, cut);
			sipmsg_summary(&m, &sb);
			sipmsg_has_sdp(&m);
			sipmsg_clear(&m);
			/* the header block alone, cut anywhere */
			nl = memchr(msgs[k], '\n', len);
			sl = (size_t)(nl - msgs[k]) + 1;
			if (cut >= sl) {
				sipmsg_parse(&m, (struct span){ b, sl },
					     (struct span){ b + sl, cut - sl },
					     SPAN_NULL);
				sipmsg_clear(&m);
			}
			free(b);
		}
	}
	strbuf_free(&sb);
}
END_TEST

/* Deterministic junk from a small alphabet rich in the bytes the parser
 * reacts to. */
START_TEST(test_junk)
{
	static const char alpha[] = "\r\n :;,<>\"\\@=[]tagsip/2.0SIP\tiI-1";
	uint32_t seed = 12345;
	struct sipmsg m;
	struct strbuf sb;
	int round;

	strbuf_init(&sb);
	for (round = 0; round < 3000; round++) {
		size_t n, i, a, b;
		char *buf;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 300;
		buf = xmalloc(n);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (round & 1) ? (char)(seed >> 16) :
				 alpha[(seed >> 16) % (sizeof alpha - 1)];
		}
		a = n > 0 ? (seed >> 8) % (n + 1) : 0;
		b = a + (n > a ? (seed >> 4) % (n - a + 1) : 0);
		sipmsg_parse(&m, (struct span){ buf, a },
			     (struct span){ buf + a, b - a },
			     (struct span){ buf + b, n - b });
		strbuf_reset(&sb);
		sipmsg_summary(&m, &sb);
		sipmsg_has_sdp(&m);
		ck_assert_uint_le(m.nhdrs, n);
		sipmsg_clear(&m);
		parse_text(&m, buf, n);
		sipmsg_clear(&m);
		free(buf);
	}
	strbuf_free(&sb);
}
END_TEST

/* Which messages name a party outside From and To: the filter's user:
 * reads Contact, P-Asserted-Identity and Referred-By only for those. */
START_TEST(test_other_party)
{
	struct sipmsg m;
	struct sip_addr a;
	struct span rest = SPAN_LIT("\"Doe, J\" <sip:j@x.org>, <sip:k@y.org;lr>,, tel:+1");

	ck_assert_int_eq(sipmsg_next_addr(&rest, &a), 1);
	ck_span(a.uri, "sip:j@x.org");
	ck_span(a.display, "Doe, J");
	ck_assert_int_eq(sipmsg_next_addr(&rest, &a), 1);
	ck_span(a.uri, "sip:k@y.org;lr");
	ck_assert_int_eq(sipmsg_next_addr(&rest, &a), 1);
	ck_span(a.uri, "tel:+1");
	ck_assert_int_eq(sipmsg_next_addr(&rest, &a), 0);

	/* A Contact without a user, or the From user at another port: no. */
	parse(&m, register_msg);
	ck_assert_int_eq(sipmsg_other_party(&m), 0);
	sipmsg_clear(&m);
	parse(&m, "INVITE sip:bob@b.org SIP/2.0\r\n"
		  "From: <sip:alice@a.org>;tag=1\r\nTo: <sip:bob@b.org>\r\n"
		  "Call-ID: o1\r\nCSeq: 1 INVITE\r\n"
		  "Contact: <sip:ALICE@a.org:5061;transport=tls>\r\n\r\n");
	ck_assert_int_eq(sipmsg_other_party(&m), 0);
	sipmsg_clear(&m);
	/* An identity asserted for someone else, a Referred-By: yes. */
	parse(&m, "INVITE sip:bob@b.org SIP/2.0\r\n"
		  "From: <sip:alice@a.org>;tag=1\r\nTo: <sip:bob@b.org>\r\n"
		  "Call-ID: o2\r\nCSeq: 1 INVITE\r\n"
		  "P-Asserted-Identity: <sip:alice@a.org>, <tel:+15551234>\r\n"
		  "Contact: <sip:alice@10.0.0.1>\r\n\r\n");
	ck_assert_int_eq(sipmsg_other_party(&m), 1);
	sipmsg_clear(&m);
	parse(&m, "REFER sip:bob@b.org SIP/2.0\r\n"
		  "From: <sip:alice@a.org>;tag=1\r\nTo: <sip:bob@b.org>\r\n"
		  "Call-ID: o3\r\nCSeq: 1 REFER\r\n"
		  "b: <sip:carol@c.org>\r\n\r\n");
	ck_assert_int_eq(sipmsg_other_party(&m), 1);
	sipmsg_clear(&m);
}
END_TEST

static Suite *
sipmsg_suite(void)
{
	Suite *s = suite_create("sipmsg");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_request);
	tcase_add_test(tc, test_response);
	tcase_add_test(tc, test_compact_forms);
	tcase_add_test(tc, test_full_names_any_case);
	tcase_add_test(tc, test_case_and_spacing);
	tcase_add_test(tc, test_folding);
	tcase_add_test(tc, test_repeated_and_comma);
	tcase_add_test(tc, test_addr_forms);
	tcase_add_test(tc, test_uri_parts);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_no_headers);
	tcase_add_test(tc, test_cseq_and_length);
	tcase_add_test(tc, test_body_and_sdp);
	tcase_add_test(tc, test_many_headers);
	tcase_add_test(tc, test_100k_headers);
	tcase_add_test(tc, test_long_folding);
	tcase_add_test(tc, test_non_utf8_and_nul);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_junk);
	tcase_add_test(tc, test_bad_cseq);
	tcase_add_test(tc, test_other_party);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sipmsg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
