/* fuzz_sipmsg: libFuzzer harness for the SIP message parser. The input is
 * split like a raw SIP message (start line, header block, body) and parsed;
 * every accessor is then called and every span checked to stay inside the
 * input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "sipmsg.h"
#include "fuzz_common.h"

static void
fuzz_split(const char *d, size_t n, struct span *start, struct span *hdrs,
    struct span *body)
{
	const char *end = d + n, *p, *eol, *h;

	eol = memchr(d, '\n', n);
	if (eol == NULL) {
		*start = (struct span){ d, n };
		*hdrs = *body = (struct span){ end, 0 };
		return;
	}
	*start = (struct span){ d, (size_t)(eol - d) };
	h = p = eol + 1;
	while (p < end && *p != '\n' &&
	    !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
		eol = memchr(p, '\n', end - p);
		p = eol == NULL ? end : eol + 1;
	}
	*hdrs = (struct span){ h, (size_t)(p - h) };
	if (p < end)
		p += *p == '\n' ? 1 : 2;
	*body = (struct span){ p, (size_t)(end - p) };
}

static void
fuzz_check_addr(const struct sip_addr *a, const char *d, size_t n)
{
	FUZZ_CHECK(fuzz_span_in(a->display, d, n));
	FUZZ_CHECK(fuzz_span_in(a->uri, d, n));
	FUZZ_CHECK(fuzz_span_in(a->user, d, n));
	FUZZ_CHECK(fuzz_span_in(a->host, d, n));
	FUZZ_CHECK(fuzz_span_in(a->tag, d, n));
	FUZZ_CHECK(fuzz_span_in(a->epid, d, n));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct span start, hdrs, body, user, host;
	struct sipmsg m;
	struct sip_addr a;
	struct strbuf sb;
	size_t i;
	int id;

	fuzz_split(d, size, &start, &hdrs, &body);
	sipmsg_parse(&m, start, hdrs, body);

	FUZZ_CHECK(m.kind == SIP_INVALID || m.kind == SIP_REQUEST ||
	    m.kind == SIP_RESPONSE);
	FUZZ_CHECK(m.kind != SIP_RESPONSE ||
	    (m.status >= 100 && m.status <= 699));
	FUZZ_CHECK(fuzz_span_in(m.method, d, size));
	FUZZ_CHECK(fuzz_span_in(m.ruri, d, size));
	FUZZ_CHECK(fuzz_span_in(m.version, d, size));
	FUZZ_CHECK(fuzz_span_in(m.reason, d, size));
	FUZZ_CHECK(fuzz_span_in(m.call_id, d, size));
	FUZZ_CHECK(fuzz_span_in(m.cseq_method, d, size));
	FUZZ_CHECK(fuzz_span_in(m.body, d, size));
	FUZZ_CHECK(m.content_length >= -1);
	fuzz_check_addr(&m.from, d, size);
	fuzz_check_addr(&m.to, d, size);
	FUZZ_CHECK(m.nhdrs <= size);
	for (i = 0; i < m.nhdrs; i++) {
		FUZZ_CHECK(fuzz_span_in(m.hdrs[i].name, d, size));
		FUZZ_CHECK(fuzz_span_in(m.hdrs[i].value, d, size));
		FUZZ_CHECK(m.hdrs[i].id >= HDR_OTHER &&
		    m.hdrs[i].id < HDR__COUNT);
		FUZZ_CHECK(sipmsg_hdr_id(m.hdrs[i].name) == m.hdrs[i].id);
		if (sipmsg_parse_addr(m.hdrs[i].value, &a) == 0)
			FUZZ_CHECK(a.uri.n > 0);
		fuzz_check_addr(&a, d, size);
		sipmsg_uri_parts(m.hdrs[i].value, &user, &host);
		FUZZ_CHECK(fuzz_span_in(user, d, size));
		FUZZ_CHECK(fuzz_span_in(host, d, size));
	}
	for (id = 0; id < HDR__COUNT; id++)
		(void)sipmsg_find(&m, (enum hdr_id)id, 0);
	(void)sipmsg_find_name(&m, "Call-ID", 0);
	(void)sipmsg_find_name(&m, "v", 1);
	(void)sipmsg_find_name(&m, "X-Unknown", 0);
	sipmsg_uri_parts(m.ruri, &user, &host);
	FUZZ_CHECK(fuzz_span_in(user, d, size));
	FUZZ_CHECK(fuzz_span_in(host, d, size));

	strbuf_init(&sb);
	sipmsg_summary(&m, &sb);
	FUZZ_CHECK(sb.len == strlen(sb.buf) || memchr(sb.buf, 0, sb.len));
	(void)sipmsg_has_sdp(&m);
	strbuf_free(&sb);
	sipmsg_clear(&m);
	return 0;
}
