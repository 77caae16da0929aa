/* fuzz_auth: libFuzzer harness for the authentication header parser and the
 * gssapi-data decoder. The input is used as a header value (every challenge
 * in it parsed and described), as base64 gssapi-data, as a decoded token,
 * and as the value of auth headers in a message for the per-message calls. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "sipmsg.h"
#include "auth.h"
#include "fuzz_common.h"

static void
fuzz_token(enum auth_scheme s, const struct auth_token *t, struct strbuf *sb)
{
	int i;

	FUZZ_CHECK(memchr(t->problem, 0, sizeof t->problem) != NULL);
	FUZZ_CHECK(memchr(t->target, 0, sizeof t->target) != NULL);
	FUZZ_CHECK(memchr(t->domain, 0, sizeof t->domain) != NULL);
	FUZZ_CHECK(memchr(t->user, 0, sizeof t->user) != NULL);
	FUZZ_CHECK(memchr(t->workstation, 0, sizeof t->workstation) != NULL);
	FUZZ_CHECK(memchr(t->oid, 0, sizeof t->oid) != NULL);
	FUZZ_CHECK(t->tls_nhs >= 0 && t->tls_nhs <= AUTH_TLS_MAX);
	for (i = 0; i < t->tls_nhs; i++)
		(void)auth_tls_hs_name(t->tls_hs[i]);
	auth_token_describe(s, t, sb);
	auth_step_label(s, t, sb);
	auth_ntlm_flag_names(t->ntlm_flags, sb);
}

static void
fuzz_headers(const char *d, size_t n, struct strbuf *sb)
{
	struct auth_header h;
	struct auth_token t;
	struct span v = { d, n }, g;
	size_t i;
	int rounds = 0;

	while (v.n > 0 && rounds++ < 64 && auth_parse(v, &h) == 0) {
		FUZZ_CHECK(h.nparams <= AUTH_MAX_PARAMS);
		FUZZ_CHECK(h.scheme > AUTH_NONE && h.scheme < AUTH__COUNT);
		FUZZ_CHECK(fuzz_span_in(h.scheme_name, d, n));
		FUZZ_CHECK(fuzz_span_in(h.token68, d, n));
		FUZZ_CHECK(fuzz_span_in(h.rest, d, n));
		for (i = 0; i < h.nparams; i++) {
			FUZZ_CHECK(fuzz_span_in(h.params[i].name, d, n));
			FUZZ_CHECK(fuzz_span_in(h.params[i].value, d, n));
			auth_unquote(h.params[i].value, sb);
		}
		(void)auth_param(&h, "realm");
		g = auth_param(&h, "gssapi-data");
		if (g.p != NULL) {
			auth_decode_gssapi(g, &t);
			fuzz_token(h.scheme, &t, sb);
		}
		auth_describe(&h, sb);
		(void)auth_scheme_name(h.scheme);
		(void)auth_scheme_from_name(h.scheme_name);
		/* rest must move forward, or a caller looping on it hangs. */
		FUZZ_CHECK(h.rest.n < v.n);
		v = h.rest;
	}
}

static void
fuzz_message(const char *d, size_t n, struct strbuf *sb)
{
	static const char *names[] = { "WWW-Authenticate",
	    "Proxy-Authenticate", "Authorization", "Proxy-Authorization",
	    "Authentication-Info", "Proxy-Authentication-Info" };
	struct strbuf hb;
	struct sipmsg m;
	struct auth_token t;
	size_t i, k;
	char *hdrs;

	/* Headers from the input, one per line, cycling through the names;
	 * the message is a 401 and a REGISTER in turn. */
	strbuf_init(&hb);
	for (i = 0, k = 0; i <= n; k++) {
		const char *nl = memchr(d + i, '\n', n - i);
		size_t e = nl != NULL ? (size_t)(nl - d) : n;

		strbuf_addf(&hb, "%s: ", names[k % 6]);
		strbuf_add(&hb, d + i, e - i);
		strbuf_adds(&hb, "\r\n");
		i = e + 1;
	}
	hdrs = strbuf_detach(&hb);
	for (k = 0; k < 2; k++) {
		struct span start = k == 0 ?
		    SPAN_LIT("SIP/2.0 401 Unauthorized") :
		    SPAN_LIT("REGISTER sip:example.com SIP/2.0");

		sipmsg_parse(&m, start, (struct span){ hdrs, strlen(hdrs) },
		    SPAN_NULL);
		(void)auth_offered(&m);
		auth_offered_names(&m, sb);
		(void)auth_has_credentials(&m);
		(void)auth_credentials(&m, &t);
		fuzz_token(AUTH_NTLM, &t, sb);
		auth_message_label(&m, sb);
		sipmsg_clear(&m);
	}
	free(hdrs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct auth_token t;
	struct strbuf sb;
	unsigned char small[7], *big;
	size_t outlen, cap;
	int rc;

	strbuf_init(&sb);
	fuzz_headers(d, size, &sb);

	auth_decode_gssapi((struct span){ d, size }, &t);
	fuzz_token(AUTH_KERBEROS, &t, &sb);
	auth_decode_token(data, size, &t);
	fuzz_token(AUTH_TLS_DSK, &t, &sb);

	cap = auth_base64_len((struct span){ d, size });
	rc = auth_base64_decode((struct span){ d, size }, small, sizeof small,
	    &outlen);
	FUZZ_CHECK(rc == 0 || rc == AUTH_B64_BAD_CHAR || rc == AUTH_B64_BAD_PAD);
	FUZZ_CHECK(outlen <= cap);
	big = malloc(cap > 0 ? cap : 1);
	rc = auth_base64_decode((struct span){ d, size }, big, cap, &outlen);
	FUZZ_CHECK(outlen <= cap);
	free(big);
	(void)auth_base64_decode((struct span){ d, size }, NULL, 0, &outlen);

	auth_scheme_names((unsigned)(size * 2654435761u), &sb);
	if (size < 4096)
		fuzz_message(d, size, &sb);
	strbuf_free(&sb);
	return 0;
}
