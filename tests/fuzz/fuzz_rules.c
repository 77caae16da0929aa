/* fuzz_rules: libFuzzer harness for the rules-file parser. The input is a
 * rules file: parsed (errors must name the file and a line), and when it
 * compiles, applied to a small trace and every message explained. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "engine.h"
#include "rules.h"
#include "fuzz_common.h"

static const char fuzz_trace[] =
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:alice@example.com>\r\n"
    "Call-ID: reg-1@example.com\r\n"
    "CSeq: 1 REGISTER\r\n"
    "Content-Length: 0\r\n\r\n"
    "SIP/2.0 401 Unauthorized\r\n"
    "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:alice@example.com>;tag=s1\r\n"
    "Call-ID: reg-1@example.com\r\n"
    "CSeq: 1 REGISTER\r\n"
    "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", version=4\r\n"
    "WWW-Authenticate: Kerberos realm=\"SIP Communications Service\", version=4\r\n"
    "Content-Length: 0\r\n\r\n"
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK2\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:alice@example.com>\r\n"
    "Call-ID: reg-1@example.com\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Authorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", "
    "gssapi-data=\"TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==\"\r\n"
    "Content-Length: 0\r\n\r\n"
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK2\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:alice@example.com>;tag=s1\r\n"
    "Call-ID: reg-1@example.com\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Content-Length: 0\r\n\r\n"
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Call-ID: call-2@example.com\r\n"
    "From: <sip:carol@example.com>;tag=c1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "CSeq: 7 INVITE\r\n"
    "Content-Length: 0\r\n\r\n"
    "CANCEL sip:bob@example.com SIP/2.0\r\n"
    "Call-ID: call-2@example.com\r\n"
    "From: <sip:carol@example.com>;tag=c1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "CSeq: 7 CANCEL\r\n"
    "Content-Length: 0\r\n\r\n"
    "SIP/2.0 487 Request Terminated\r\n"
    "Call-ID: call-2@example.com\r\n"
    "From: <sip:carol@example.com>;tag=c1\r\n"
    "To: <sip:bob@example.com>;tag=b1\r\n"
    "CSeq: 7 INVITE\r\n"
    "ms-diagnostics: 1000;reason=\"gone\"\r\n"
    "Content-Length: 0\r\n\r\n"
    "SIP/2.0 500 Server Error\r\n"
    "From: <sip:nobody@example.com>;tag=n1\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf errs, sb;
	struct rules *r;
	struct engine *e;
	char *err = NULL;
	size_t i, count, nrules;

	strbuf_init(&errs);
	r = rules_parse("fuzz.conf", (const char *)data, size, &errs);
	if (r == NULL) {
		/* Refused: at least one "fuzz.conf:LINE: message" line. */
		FUZZ_CHECK(errs.len > 0 &&
		    strncmp(errs.buf, "fuzz.conf:", 10) == 0);
		strbuf_free(&errs);
		return 0;
	}
	strbuf_free(&errs);
	nrules = rules_count(r);
	(void)rules_rule_name(r, 0);
	(void)rules_rule_name(r, (unsigned)nrules + 1);

	e = engine_new();
	engine_set_rules(e, r);
	FUZZ_CHECK(engine_add_mem(e, "trace.sip", fuzz_trace,
	    sizeof fuzz_trace - 1, "raw", &err) >= 0);
	engine_run(e);
	count = msgindex_count(engine_index(e));
	strbuf_init(&sb);
	for (i = 0; i < count; i++) {
		const struct msg *m = msgindex_get(engine_index(e), (uint32_t)i);

		FUZZ_CHECK(m->severity < SEV__COUNT);
		FUZZ_CHECK(m->rule <= nrules);
		(void)rules_rule_name(r, m->rule);
		strbuf_reset(&sb);
		rules_explain(r, e, (uint32_t)i, &sb);
	}
	strbuf_free(&sb);
	engine_free(e);
	rules_free(r);
	return 0;
}
