/* fuzz_filter: libFuzzer harness for the filter language. The input is an
 * expression: compiled, dumped, and run over a small engine built once from
 * an in-memory trace (field terms, free text, regex and dialog: terms all
 * get exercised against real messages). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "engine.h"
#include "filter.h"
#include "fuzz_common.h"

static struct engine *fuzz_e;

static const char fuzz_trace[] =
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:alice@example.com>\r\n"
    "Call-ID: reg-1@example.com\r\n"
    "CSeq: 1 REGISTER\r\n"
    "Contact: <sip:alice@192.0.2.1:5061>\r\n"
    "Content-Length: 0\r\n\r\n"
    "SIP/2.0 401 Unauthorized\r\n"
    "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:alice@example.com>;tag=s1\r\n"
    "Call-ID: reg-1@example.com\r\n"
    "CSeq: 1 REGISTER\r\n"
    "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", "
    "targetname=\"pool.example.com\", version=4\r\n"
    "Content-Length: 0\r\n\r\n"
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK2\r\n"
    "From: <sip:carol@example.com>;tag=c1\r\n"
    "To: \"Bob\" <sip:bob@example.com>\r\n"
    "Call-ID: call-2@example.com\r\n"
    "CSeq: 7 INVITE\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 10\r\n\r\n"
    "v=0\r\ns=-\r\n"
    "SIP/2.0 486 Busy Here\r\n"
    "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK2\r\n"
    "From: <sip:carol@example.com>;tag=c1\r\n"
    "To: \"Bob\" <sip:bob@example.com>;tag=b1\r\n"
    "Call-ID: call-2@example.com\r\n"
    "CSeq: 7 INVITE\r\n"
    "Warning: 399 example.com \"busy\"\r\n"
    "Content-Length: 0\r\n\r\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *err = NULL;

	fuzz_e = engine_new();
	if (engine_add_mem(fuzz_e, "trace.sip", fuzz_trace,
	    sizeof fuzz_trace - 1, "raw", &err) < 0) {
		fprintf(stderr, "fuzz_filter: %s\n", err);
		abort();
	}
	engine_run(fuzz_e);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter *f;
	struct strbuf sb;
	uint32_t *sel = NULL, n, count, i;
	char *expr, *err = NULL;
	int col = -1;

	expr = xstrndup((const char *)data, size);
	f = filter_compile(expr, &err, &col);
	if (f == NULL) {
		FUZZ_CHECK(err != NULL);
		/* The column points into the expression (or just past it). */
		FUZZ_CHECK(col >= 0 && (size_t)col <= strlen(expr));
		free(err);
		free(expr);
		return 0;
	}
	FUZZ_CHECK(err == NULL);
	strbuf_init(&sb);
	filter_dump(f, &sb);
	strbuf_free(&sb);
	(void)filter_is_empty(f);
	count = (uint32_t)msgindex_count(engine_index(fuzz_e));
	n = (uint32_t)filter_select(f, fuzz_e, 0, count, &sel);
	FUZZ_CHECK(n <= count);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(sel[i] < count);
		FUZZ_CHECK(i == 0 || sel[i] > sel[i - 1]);
		FUZZ_CHECK(filter_match(f, fuzz_e, sel[i]));
	}
	free(sel);
	filter_free(f);
	free(expr);
	return 0;
}
