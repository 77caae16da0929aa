/* auth: the scheme and parameters of SIP authentication headers, and what
 * their gssapi-data holds (NTLM message, Kerberos token, TLS-DSK records).
 * Everything is read through bounds-checked helpers: tokens are fuzzed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "sipmsg.h"
#include "auth.h"

static int
auth_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 7230 tchar. */
static int
auth_is_token(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return 1;
	}
	return 0;
}

static int
auth_is_token68(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '+' || c == '/';
}

enum auth_scheme
auth_scheme_from_name(struct span name)
{
	switch (name.n) {
	case 0:
		return AUTH_NONE;
	case 4:
		if (span_ieq(name, "NTLM"))
			return AUTH_NTLM;
		break;
	case 5:
		if (span_ieq(name, "Basic"))
			return AUTH_BASIC;
		break;
	case 6:
		if (span_ieq(name, "Digest"))
			return AUTH_DIGEST;
		break;
	case 7:
		if (span_ieq(name, "TLS-DSK"))
			return AUTH_TLS_DSK;
		break;
	case 8:
		if (span_ieq(name, "Kerberos"))
			return AUTH_KERBEROS;
		break;
	case 9:
		if (span_ieq(name, "Negotiate"))
			return AUTH_NEGOTIATE;
		break;
	}
	return AUTH_OTHER;
}

const char *
auth_scheme_name(enum auth_scheme s)
{
	switch (s) {
	case AUTH_NONE:
		return "";
	case AUTH_KERBEROS:
		return "Kerberos";
	case AUTH_NTLM:
		return "NTLM";
	case AUTH_TLS_DSK:
		return "TLS-DSK";
	case AUTH_NEGOTIATE:
		return "Negotiate";
	case AUTH_DIGEST:
		return "Digest";
	case AUTH_BASIC:
		return "Basic";
	default:
		return "other";
	}
}

void
auth_scheme_names(unsigned set, struct strbuf *out)
{
	int s, first = 1;

	for (s = AUTH_NONE + 1; s < AUTH__COUNT; s++) {
		if (!(set & AUTH_BIT(s)))
			continue;
		if (!first)
			strbuf_adds(out, ", ");
		strbuf_adds(out, auth_scheme_name((enum auth_scheme)s));
		first = 0;
	}
}

/* Offset of the closing quote of the quoted string opening at p[i], or n
 * when it is not closed. */
static size_t
auth_skip_quoted(const char *p, size_t n, size_t i)
{
	const char *q;
	size_t k;

	/* Tokens run to kilobytes without a backslash: look for the next
	 * quote at once, then see whether a backslash escapes it. */
	for (i++; i < n; i = (size_t)(q - p) + 1) {
		q = memchr(p + i, '"', n - i);
		if (q == NULL)
			return n;
		for (k = (size_t)(q - p); k > i && p[k - 1] == '\\'; k--)
			;
		if (((size_t)(q - p) - k) % 2 == 0)
			return (size_t)(q - p);
	}
	return n;
}

/* Skips to just past the next comma outside quotes (after junk). */
static size_t
auth_skip_item(const char *p, size_t n, size_t i)
{
	while (i < n && p[i] != ',') {
		if (p[i] == '"')
			i = auth_skip_quoted(p, n, i);
		if (i < n)
			i++;
	}
	return i;
}

int
auth_parse(struct span value, struct auth_header *out)
{
	const char *p = value.p;
	size_t n = value.n, i = 0, ns, ne, sch_end;

	out->scheme = AUTH_NONE;
	out->scheme_name = out->token68 = out->rest = SPAN_NULL;
	out->nparams = 0;
	out->flags = 0;
	if (p == NULL)
		return -1;

	while (i < n && (auth_is_ws(p[i]) || p[i] == ','))
		i++;
	for (ns = i; i < n && auth_is_token((unsigned char)p[i]); i++)
		;
	if (i == ns)
		return -1;
	out->scheme_name = (struct span){ p + ns, i - ns };
	out->scheme = auth_scheme_from_name(out->scheme_name);
	sch_end = i;
	if (i < n && !auth_is_ws(p[i]) && p[i] != ',') {
		/* "NTLM:..." or similar: a scheme glued to junk. */
		out->flags |= AUTHF_SYNTAX;
		i = auth_skip_item(p, n, i);
	}

	while (i < n) {
		size_t t, vs, ve;
		int quoted = 0;

		while (i < n && (auth_is_ws(p[i]) || p[i] == ','))
			i++;
		if (i >= n)
			break;
		ns = i;
		/* token68 (Basic, Negotiate): only right after the scheme,
		 * and alone up to a comma or the end. */
		if (out->nparams == 0 && out->token68.p == NULL &&
		    memchr(p + sch_end, ',', i - sch_end) == NULL) {
			size_t e;

			for (t = i; t < n && auth_is_token68((unsigned char)p[t]);
			     t++)
				;
			for (e = t; e < n && p[e] == '='; e++)
				;
			ve = e;
			while (e < n && auth_is_ws(p[e]))
				e++;
			if (t > i && (e == n || p[e] == ',')) {
				out->token68 = (struct span){ p + i, ve - i };
				i = e;
				continue;
			}
		}
		for (; i < n && auth_is_token((unsigned char)p[i]); i++)
			;
		ne = i;
		if (ne == ns) {
			out->flags |= AUTHF_SYNTAX;
			i = auth_skip_item(p, n, i);
			continue;
		}
		while (i < n && auth_is_ws(p[i]))
			i++;
		if (i >= n || p[i] != '=') {
			/* A name without '=' starts the next challenge. */
			out->rest = (struct span){ p + ns, n - ns };
			return 0;
		}
		i++;
		while (i < n && auth_is_ws(p[i]))
			i++;
		if (i < n && p[i] == '"') {
			quoted = 1;
			vs = i + 1;
			i = auth_skip_quoted(p, n, i);
			ve = i;
			if (i >= n)
				out->flags |= AUTHF_SYNTAX;
			else
				i++;
		} else {
			vs = i;
			while (i < n && p[i] != ',' && !auth_is_ws(p[i]))
				i++;
			ve = i;
		}
		while (i < n && auth_is_ws(p[i]))
			i++;
		if (i < n && p[i] != ',') {
			out->flags |= AUTHF_SYNTAX;
			i = auth_skip_item(p, n, i);
		}
		if (out->nparams == AUTH_MAX_PARAMS) {
			out->flags |= AUTHF_TOO_MANY;
			continue;
		}
		out->params[out->nparams].name = (struct span){ p + ns, ne - ns };
		out->params[out->nparams].value = (struct span){ p + vs, ve - vs };
		out->params[out->nparams].quoted = quoted;
		out->nparams++;
	}
	return 0;
}

struct span
auth_param(const struct auth_header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nparams; i++) {
		if (span_ieq(h->params[i].name, name))
			return h->params[i].value;
	}
	return SPAN_NULL;
}

void
auth_unquote(struct span v, struct strbuf *out)
{
	size_t i, s = 0;

	for (i = 0; i < v.n; i++) {
		if (v.p[i] == '\\' && i + 1 < v.n) {
			strbuf_add(out, v.p + s, i - s);
			s = ++i;
		}
	}
	strbuf_add(out, v.p + s, v.n - s);
}

/* Base64 */

static int
auth_b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t
auth_base64_len(struct span in)
{
	return in.n / 4 * 3 + 3;
}

/* Writes the bytes of a last, partial group of 2 or 3 characters. */
static size_t
auth_b64_flush(uint32_t acc, size_t nch, unsigned char *out, size_t outsz,
	       size_t len)
{
	switch (nch % 4) {
	case 2:
		if (len < outsz)
			out[len] = (unsigned char)(acc >> 4);
		return len + 1;
	case 3:
		if (len < outsz)
			out[len] = (unsigned char)(acc >> 10);
		if (len + 1 < outsz)
			out[len + 1] = (unsigned char)(acc >> 2);
		return len + 2;
	}
	return len;
}

int
auth_base64_decode(struct span in, unsigned char *out, size_t outsz,
		   size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, nch = 0, pad = 0, len = 0;
	int v;

	for (i = 0; i < in.n; i++) {
		unsigned char c = (unsigned char)in.p[i];

		if (auth_is_ws((char)c))
			continue;
		if (c == '=') {
			if (pad++ == 0)
				len = auth_b64_flush(acc, nch, out, outsz, len);
			continue;
		}
		if ((v = auth_b64_val(c)) < 0) {
			*outlen = len;
			return AUTH_B64_BAD_CHAR;
		}
		if (pad > 0) {
			/* data after padding */
			*outlen = len;
			return AUTH_B64_BAD_PAD;
		}
		acc = (acc << 6) | (uint32_t)v;
		if (++nch % 4 == 0) {
			unsigned char b[3] = { (unsigned char)(acc >> 16),
					       (unsigned char)(acc >> 8),
					       (unsigned char)acc };
			int k;

			for (k = 0; k < 3; k++, len++) {
				if (len < outsz)
					out[len] = b[k];
			}
			acc = 0;
		}
	}
	if (nch % 4 == 1) {
		*outlen = len;
		return AUTH_B64_BAD_PAD;
	}
	if (pad == 0)
		len = auth_b64_flush(acc, nch, out, outsz, len);
	*outlen = len;
	if (pad > 0 && (pad > 2 || (nch + pad) % 4 != 0))
		return AUTH_B64_BAD_PAD;
	return 0;
}

/* Token decoding */

static void
auth_problem(struct auth_token *t, unsigned flag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
auth_problem(struct auth_token *t, unsigned flag, const char *fmt, ...)
{
	va_list ap;

	t->flags |= flag;
	if (t->problem[0] != '\0')
		return;	/* the first problem is the one worth reading */
	va_start(ap, fmt);
	vsnprintf(t->problem, sizeof t->problem, fmt, ap);
	va_end(ap);
}

static uint16_t
auth_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
auth_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Appends code point cp as UTF-8 to dst (size AUTH_NAME_MAX) at *len,
 * keeping room for the NUL; stops (returns -1) when it does not fit. */
static int
auth_put_utf8(char *dst, size_t *len, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp == 0)
		cp = '?';	/* keeps the string a C string */
	n = utf8_encode(cp, b);
	if (*len + n >= AUTH_NAME_MAX)
		return -1;
	memcpy(dst + *len, b, n);
	*len += n;
	dst[*len] = '\0';
	return 0;
}

/* Copies an NTLM string: UTF-16LE when unicode, else OEM bytes as they
 * are (the terminal gate sanitises them). */
static void
auth_ntlm_str(const unsigned char *p, size_t n, int unicode, char *dst)
{
	size_t len = 0, i;

	dst[0] = '\0';
	if (!unicode) {
		for (i = 0; i < n; i++) {
			if (auth_put_utf8(dst, &len, p[i] < 0x80 ? p[i] :
					  0xfffd) < 0)
				return;
		}
		return;
	}
	for (i = 0; i + 1 < n; i += 2) {
		uint32_t cp = auth_le16(p + i);

		if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < n &&
		    auth_le16(p + i + 2) >= 0xdc00 &&
		    auth_le16(p + i + 2) <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) +
			     (uint32_t)(auth_le16(p + i + 2) - 0xdc00);
			i += 2;
		} else if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;
		if (auth_put_utf8(dst, &len, cp) < 0)
			return;
	}
}

/* Reads the NTLM field descriptor (len, maxlen, offset) at off and copies
 * the string it points to. */
static void
auth_ntlm_field(struct auth_token *t, const unsigned char *p, size_t n,
		size_t off, int unicode, const char *what, char *dst)
{
	uint16_t len;
	uint32_t foff;

	dst[0] = '\0';
	if (off + 8 > n)
		return;	/* reported as a truncated header by the caller */
	len = auth_le16(p + off);
	foff = auth_le32(p + off + 4);
	if (len == 0)
		return;
	if (foff > n || len > n - foff) {
		auth_problem(t, AUTH_TOKF_BAD_FIELD,
			     "%s out of bounds (offset %u, length %u, token %zu bytes)",
			     what, foff, len, n);
		return;
	}
	if (unicode && len % 2 != 0)
		auth_problem(t, AUTH_TOKF_BAD_FIELD,
			     "%s has an odd UTF-16 length (%u)", what, len);
	auth_ntlm_str(p + foff, len, unicode, dst);
}

static void
auth_ntlm_version(struct auth_token *t, const unsigned char *p, size_t n,
		  size_t off)
{
	if (!(t->ntlm_flags & AUTH_NTLM_VERSION) || off + 8 > n)
		return;
	t->has_version = 1;
	t->ver_major = p[off];
	t->ver_minor = p[off + 1];
	t->ver_build = auth_le16(p + off + 2);
}

/* Without flags (old short AUTHENTICATE messages) guess the encoding from
 * the user name: UTF-16 of ASCII has a zero in every odd byte. */
static int
auth_ntlm_guess_unicode(const unsigned char *p, size_t n, size_t off)
{
	uint16_t len;
	uint32_t foff, i;

	if (off + 8 > n)
		return 1;
	len = auth_le16(p + off);
	foff = auth_le32(p + off + 4);
	if (len < 2 || foff > n || len > n - foff)
		return 1;
	for (i = 1; i < len; i += 2) {
		if (p[foff + i] != 0)
			return 0;
	}
	return 1;
}

/* The header size the flags call for (version, target info). */
static void
auth_ntlm_need(struct auth_token *t, size_t n, const char *name, size_t need)
{
	if (n < need)
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated NTLM %s (%zu of %zu bytes)", name, n,
			     need);
}

static void
auth_decode_ntlm(const unsigned char *p, size_t n, struct auth_token *t)
{
	static const size_t need[4] = { 0, 16, 32, 52 };
	static const char *const names[4] = { "", "NEGOTIATE", "CHALLENGE",
					      "AUTHENTICATE" };
	int unicode;

	t->kind = AUTH_TOK_NTLM;
	t->step = AUTH_STEP_OTHER;
	if (n < 12) {
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated NTLM header (%zu of 12 bytes)", n);
		return;
	}
	t->ntlm_type = (int)auth_le32(p + 8);
	if (t->ntlm_type < 1 || t->ntlm_type > 3) {
		auth_problem(t, AUTH_TOKF_BAD_FIELD, "unknown NTLM message type %u",
			     auth_le32(p + 8));
		return;
	}
	t->step = t->ntlm_type == 1 ? AUTH_STEP_NTLM_NEGOTIATE :
		  t->ntlm_type == 2 ? AUTH_STEP_NTLM_CHALLENGE :
				      AUTH_STEP_NTLM_AUTHENTICATE;
	if (n < need[t->ntlm_type])
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated NTLM %s (%zu of %zu bytes)",
			     names[t->ntlm_type], n, need[t->ntlm_type]);

	switch (t->ntlm_type) {
	case 1:
		/* sig, type, flags@12, domain@16, workstation@24, version@32 */
		if (n < 16)
			return;
		t->ntlm_flags = auth_le32(p + 12);
		t->has_ntlm_flags = 1;
		auth_ntlm_need(t, n, "NEGOTIATE",
			       t->ntlm_flags & AUTH_NTLM_VERSION ? 40 :
			       t->ntlm_flags & (AUTH_NTLM_DOMAIN_SUPPLIED |
						AUTH_NTLM_WORKSTATION_SUPPLIED) ?
								   32 : 16);
		/* The names in a NEGOTIATE are always OEM. */
		if (t->ntlm_flags & AUTH_NTLM_DOMAIN_SUPPLIED)
			auth_ntlm_field(t, p, n, 16, 0, "domain name",
					t->domain);
		if (t->ntlm_flags & AUTH_NTLM_WORKSTATION_SUPPLIED)
			auth_ntlm_field(t, p, n, 24, 0, "workstation name",
					t->workstation);
		auth_ntlm_version(t, p, n, 32);
		break;
	case 2:
		/* sig, type, target@12, flags@20, challenge@24, reserved@32,
		 * target info@40, version@48 */
		if (n < 24)
			return;
		t->ntlm_flags = auth_le32(p + 20);
		t->has_ntlm_flags = 1;
		auth_ntlm_need(t, n, "CHALLENGE",
			       t->ntlm_flags & AUTH_NTLM_VERSION ? 56 :
			       t->ntlm_flags & AUTH_NTLM_TARGET_INFO ? 48 : 32);
		unicode = (t->ntlm_flags & AUTH_NTLM_UNICODE) != 0;
		auth_ntlm_field(t, p, n, 12, unicode, "target name", t->target);
		if (t->ntlm_flags & AUTH_NTLM_TARGET_INFO && n >= 48) {
			uint16_t len = auth_le16(p + 40);
			uint32_t off = auth_le32(p + 44);

			if (off > n || len > n - off)
				auth_problem(t, AUTH_TOKF_BAD_FIELD,
					     "target info out of bounds (offset %u, length %u, token %zu bytes)",
					     off, len, n);
		}
		auth_ntlm_version(t, p, n, 48);
		break;
	case 3:
		/* sig, type, lm@12, nt@20, domain@28, user@36,
		 * workstation@44, session key@52, flags@60, version@64 */
		if (n >= 64) {
			t->ntlm_flags = auth_le32(p + 60);
			t->has_ntlm_flags = 1;
			if (t->ntlm_flags & AUTH_NTLM_VERSION)
				auth_ntlm_need(t, n, "AUTHENTICATE", 72);
			unicode = (t->ntlm_flags & AUTH_NTLM_UNICODE) != 0;
		} else
			unicode = auth_ntlm_guess_unicode(p, n, 36);
		auth_ntlm_field(t, p, n, 28, unicode, "domain name", t->domain);
		auth_ntlm_field(t, p, n, 36, unicode, "user name", t->user);
		auth_ntlm_field(t, p, n, 44, unicode, "workstation name",
				t->workstation);
		if (n >= 28) {
			/* The responses are not shown, but a bad offset in
			 * them still makes the token broken. */
			size_t f;

			for (f = 12; f <= 20; f += 8) {
				uint16_t len = auth_le16(p + f);
				uint32_t off = auth_le32(p + f + 4);

				if (len > 0 && (off > n || len > n - off))
					auth_problem(t, AUTH_TOKF_BAD_FIELD,
						     "%s response out of bounds (offset %u, length %u, token %zu bytes)",
						     f == 12 ? "LM" : "NT", off,
						     len, n);
			}
		}
		if (n >= 64)
			auth_ntlm_version(t, p, n, 64);
		break;
	}
}

/* DER: reads a tag and length at p[*i]; on success *i is at the contents
 * and *len fits in what remains. */
static int
auth_der_hdr(const unsigned char *p, size_t n, size_t *i, int *tag,
	     size_t *len)
{
	size_t k = *i, l, nb, j;

	if (k + 2 > n)
		return -1;
	*tag = p[k++];
	l = p[k++];
	if (l & 0x80) {
		nb = l & 0x7f;
		if (nb == 0 || nb > 4 || k + nb > n)
			return -1;
		for (l = 0, j = 0; j < nb; j++)
			l = (l << 8) | p[k++];
	}
	*i = k;
	*len = l;
	return l <= n - k ? 0 : 1;	/* 1: contents run past the end */
}

static void
auth_oid_str(const unsigned char *p, size_t n, char *dst, size_t dstsz)
{
	size_t i, len = 0;
	uint64_t arc = 0;
	int first = 1, w;

	dst[0] = '\0';
	for (i = 0; i < n && len + 1 < dstsz; i++) {
		if (arc > UINT32_MAX)
			break;	/* not an OID worth printing */
		arc = (arc << 7) | (p[i] & 0x7f);
		if (p[i] & 0x80)
			continue;
		if (first) {
			unsigned a = arc < 40 ? 0 : arc < 80 ? 1 : 2;

			w = snprintf(dst + len, dstsz - len, "%u.%llu", a,
				     (unsigned long long)(arc - a * 40));
			first = 0;
		} else
			w = snprintf(dst + len, dstsz - len, ".%llu",
				     (unsigned long long)arc);
		if (w < 0 || (size_t)w >= dstsz - len) {
			dst[len] = '\0';
			return;
		}
		len += (size_t)w;
		arc = 0;
	}
}

static void
auth_krb_app(struct auth_token *t, int tag)
{
	t->krb_app = tag & 0x1f;
	switch (tag) {
	case 0x6e:
		t->step = AUTH_STEP_KRB_AP_REQ;
		break;
	case 0x6f:
		t->step = AUTH_STEP_KRB_AP_REP;
		break;
	case 0x7e:
		t->step = AUTH_STEP_KRB_ERROR;
		break;
	default:
		t->step = AUTH_STEP_OTHER;
		break;
	}
}

static void auth_decode_depth(const unsigned char *, size_t,
			      struct auth_token *, int);
static int auth_header_token(const struct auth_header *, struct auth_token *);

/* SPNEGO NegTokenInit [0] / NegTokenResp [1]: find the inner mechToken
 * (or responseToken) and decode it for the step. */
static void
auth_decode_spnego(const unsigned char *p, size_t n, struct auth_token *t,
		   int depth)
{
	size_t i = 0, len, seqend, fl;
	int tag, r, want;

	t->kind = AUTH_TOK_SPNEGO;
	t->step = AUTH_STEP_OTHER;
	if ((r = auth_der_hdr(p, n, &i, &tag, &len)) < 0 ||
	    (tag != 0xa0 && tag != 0xa1))
		goto bad;
	want = 0xa2;	/* NegTokenInit mechToken, NegTokenResp responseToken */
	if ((r = auth_der_hdr(p, n, &i, &tag, &len)) < 0 || tag != 0x30)
		goto bad;
	seqend = r == 0 ? i + len : n;
	while (i < seqend) {
		if ((r = auth_der_hdr(p, seqend, &i, &tag, &fl)) < 0)
			goto bad;
		if (r > 0)
			fl = seqend - i;
		if (tag == want) {
			size_t j = i, ol;
			int otag;
			struct auth_token inner;

			if (auth_der_hdr(p, i + fl, &j, &otag, &ol) != 0 ||
			    otag != 0x04)
				goto bad;
			memset(&inner, 0, sizeof inner);
			auth_decode_depth(p + j, ol, &inner, depth + 1);
			t->step = inner.step;
			t->ntlm_type = inner.ntlm_type;
			t->ntlm_flags = inner.ntlm_flags;
			t->has_ntlm_flags = inner.has_ntlm_flags;
			memcpy(t->target, inner.target, sizeof t->target);
			memcpy(t->domain, inner.domain, sizeof t->domain);
			memcpy(t->user, inner.user, sizeof t->user);
			memcpy(t->workstation, inner.workstation,
			       sizeof t->workstation);
			t->krb_app = inner.krb_app;
			memcpy(t->krb_realm, inner.krb_realm,
			       sizeof t->krb_realm);
			memcpy(t->krb_sname, inner.krb_sname,
			       sizeof t->krb_sname);
			memcpy(t->krb_etext, inner.krb_etext,
			       sizeof t->krb_etext);
			t->has_krb_error = inner.has_krb_error;
			t->krb_error = inner.krb_error;
			if (inner.problem[0] != '\0')
				auth_problem(t, inner.flags, "%s",
					     inner.problem);
			return;
		}
		i += fl;
	}
	return;
bad:
	auth_problem(t, AUTH_TOKF_TRUNCATED, "truncated or malformed SPNEGO token");
}

/* Appends the bytes of a GeneralString/KerberosString to dst (size
 * AUTH_NAME_MAX) at *len; non-ASCII bytes become U+FFFD. */
static void
auth_krb_str(const unsigned char *p, size_t n, char *dst, size_t *len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (auth_put_utf8(dst, len, p[i] < 0x80 ? p[i] : 0xfffd) < 0)
			return;
	}
}

/* Finds the context tag [want] among the elements of the SEQUENCE whose
 * contents are p[0..n), and points *cp, *cn at its contents. */
static int
auth_der_field(const unsigned char *p, size_t n, int want,
	       const unsigned char **cp, size_t *cn)
{
	size_t i = 0, len;
	int tag;

	while (i < n) {
		if (auth_der_hdr(p, n, &i, &tag, &len) != 0)
			return -1;
		if (tag == want) {
			*cp = p + i;
			*cn = len;
			return 0;
		}
		i += len;
	}
	return -1;
}

/* Enters a constructed element with the given tag at p: its contents. */
static int
auth_der_enter(const unsigned char *p, size_t n, int want,
	       const unsigned char **cp, size_t *cn)
{
	size_t i = 0, len;
	int tag;

	if (auth_der_hdr(p, n, &i, &tag, &len) != 0 || tag != want)
		return -1;
	*cp = p + i;
	*cn = len;
	return 0;
}

/* Reads a GeneralString field [want] of a SEQUENCE into dst. */
static void
auth_krb_strfield(const unsigned char *p, size_t n, int want, char *dst)
{
	const unsigned char *c, *s;
	size_t cn, sn, len = 0;

	if (auth_der_field(p, n, want, &c, &cn) == 0 &&
	    auth_der_enter(c, cn, 0x1b, &s, &sn) == 0)
		auth_krb_str(s, sn, dst, &len);
}

/* PrincipalName ::= SEQUENCE { name-type [0], name-string [1] SEQUENCE OF
 * KerberosString }, written "a/b". */
static void
auth_krb_principal(const unsigned char *p, size_t n, int want, char *dst)
{
	const unsigned char *c, *seq, *names;
	size_t cn, seqn, namesn, i = 0, len = 0, sl;
	int tag;

	if (auth_der_field(p, n, want, &c, &cn) != 0 ||
	    auth_der_enter(c, cn, 0x30, &seq, &seqn) != 0 ||
	    auth_der_field(seq, seqn, 0xa1, &c, &cn) != 0 ||
	    auth_der_enter(c, cn, 0x30, &names, &namesn) != 0)
		return;
	while (i < namesn) {
		if (auth_der_hdr(names, namesn, &i, &tag, &sl) != 0 ||
		    tag != 0x1b)
			return;
		if (len > 0 && auth_put_utf8(dst, &len, '/') < 0)
			return;
		auth_krb_str(names + i, sl, dst, &len);
		i += sl;
	}
}

/* What a Kerberos message says that helps a diagnosis: whose ticket an
 * AP-REQ presents, and the code of a KRB-ERROR. Silent when the bytes do
 * not parse: the step is known already, the details are a bonus. */
static void
auth_krb_details(const unsigned char *p, size_t n, struct auth_token *t)
{
	const unsigned char *body, *c, *tkt, *seq;
	size_t bn, cn, tn, sn, k;
	int tag = n > 0 ? p[0] : 0;

	if (auth_der_enter(p, n, tag, &body, &bn) != 0 ||
	    auth_der_enter(body, bn, 0x30, &body, &bn) != 0)
		return;
	if (tag == 0x6e) {
		/* AP-REQ: ticket [3] Ticket ::= [APPLICATION 1] SEQUENCE {
		 * tkt-vno [0], realm [1], sname [2], enc-part [3] } */
		if (auth_der_field(body, bn, 0xa3, &c, &cn) != 0 ||
		    auth_der_enter(c, cn, 0x61, &tkt, &tn) != 0 ||
		    auth_der_enter(tkt, tn, 0x30, &seq, &sn) != 0)
			return;
		auth_krb_strfield(seq, sn, 0xa1, t->krb_realm);
		auth_krb_principal(seq, sn, 0xa2, t->krb_sname);
	} else if (tag == 0x7e) {
		/* KRB-ERROR: error-code [6] Int32, e-text [11] */
		if (auth_der_field(body, bn, 0xa6, &c, &cn) == 0 &&
		    auth_der_enter(c, cn, 0x02, &c, &cn) == 0 && cn >= 1 &&
		    cn <= 4) {
			int32_t v = (c[0] & 0x80) ? -1 : 0;

			for (k = 0; k < cn; k++)
				v = (int32_t)((uint32_t)v << 8 | c[k]);
			t->has_krb_error = 1;
			t->krb_error = v;
		}
		auth_krb_strfield(body, bn, 0xab, t->krb_etext);
		if (t->krb_realm[0] == '\0')
			auth_krb_strfield(body, bn, 0xa9, t->krb_realm);
		auth_krb_principal(body, bn, 0xaa, t->krb_sname);
	}
}

const char *
auth_krb_error_name(int code)
{
	switch (code) {
	case 0: return "KDC_ERR_NONE";
	case 6: return "KDC_ERR_C_PRINCIPAL_UNKNOWN";
	case 7: return "KDC_ERR_S_PRINCIPAL_UNKNOWN";
	case 14: return "KDC_ERR_ETYPE_NOSUPP";
	case 18: return "KDC_ERR_CLIENT_REVOKED";
	case 23: return "KDC_ERR_KEY_EXPIRED";
	case 24: return "KDC_ERR_PREAUTH_FAILED";
	case 25: return "KDC_ERR_PREAUTH_REQUIRED";
	case 31: return "KRB_AP_ERR_BAD_INTEGRITY";
	case 32: return "KRB_AP_ERR_TKT_EXPIRED";
	case 33: return "KRB_AP_ERR_TKT_NYV";
	case 34: return "KRB_AP_ERR_REPEAT";
	case 35: return "KRB_AP_ERR_NOT_US";
	case 36: return "KRB_AP_ERR_BADMATCH";
	case 37: return "KRB_AP_ERR_SKEW";
	case 38: return "KRB_AP_ERR_BADADDR";
	case 39: return "KRB_AP_ERR_BADVERSION";
	case 40: return "KRB_AP_ERR_MSG_TYPE";
	case 41: return "KRB_AP_ERR_MODIFIED";
	case 44: return "KRB_AP_ERR_BADKEYVER";
	case 45: return "KRB_AP_ERR_NOKEY";
	case 47: return "KRB_AP_ERR_BADDIRECTION";
	case 50: return "KRB_AP_ERR_INAPP_CKSUM";
	case 60: return "KRB_ERR_GENERIC";
	case 68: return "KDC_ERR_WRONG_REALM";
	}
	return NULL;
}

/* GSS-API InitialContextToken: 0x60 len, OID, then mechanism data. */
static void
auth_decode_gss(const unsigned char *p, size_t n, struct auth_token *t,
		int depth)
{
	size_t i = 0, len, olen;
	int tag, r;

	t->kind = AUTH_TOK_UNKNOWN;
	t->step = AUTH_STEP_OTHER;
	r = auth_der_hdr(p, n, &i, &tag, &len);
	if (r < 0) {
		auth_problem(t, AUTH_TOKF_TRUNCATED, "truncated GSS-API header");
		return;
	}
	if (r > 0)
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated GSS-API token (%zu of %zu bytes)", n,
			     i + len);
	if (auth_der_hdr(p, n, &i, &tag, &olen) != 0 || tag != 0x06) {
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "GSS-API token without a mechanism OID");
		return;
	}
	auth_oid_str(p + i, olen, t->oid, sizeof t->oid);
	i += olen;
	if (strcmp(t->oid, "1.3.6.1.5.5.2") == 0) {
		auth_decode_spnego(p + i, n - i, t, depth);
		return;
	}
	if (strcmp(t->oid, "1.2.840.113554.1.2.2") != 0 &&
	    strcmp(t->oid, "1.2.840.48018.1.2.2") != 0)
		return;	/* another mechanism: unknown, OID kept */
	t->kind = AUTH_TOK_KERBEROS;
	if (i + 2 > n) {
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated Kerberos token (no token id)");
		return;
	}
	if (p[i + 1] != 0x00 || p[i] < 1 || p[i] > 3) {
		auth_problem(t, AUTH_TOKF_BAD_FIELD,
			     "unknown Kerberos token id 0x%02x%02x", p[i],
			     p[i + 1]);
		return;
	}
	t->step = p[i] == 1 ? AUTH_STEP_KRB_AP_REQ :
		  p[i] == 2 ? AUTH_STEP_KRB_AP_REP : AUTH_STEP_KRB_ERROR;
	t->krb_app = p[i] == 1 ? 14 : p[i] == 2 ? 15 : 30;
	i += 2;
	if (i < n) {
		static const int app[4] = { 0, 0x6e, 0x6f, 0x7e };

		if (p[i] != app[p[i - 2]])
			auth_problem(t, AUTH_TOKF_BAD_FIELD,
				     "Kerberos token id does not match its message (tag 0x%02x)",
				     p[i]);
		else
			auth_krb_details(p + i, n - i, t);
	} else
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated Kerberos token (no message)");
}

/* TLS records: type(1) version(2) length(2) body. Handshake messages
 * (type(1) length(3)) are followed across records until ChangeCipherSpec,
 * after which they are encrypted. */
static void
auth_decode_tls(const unsigned char *p, size_t n, struct auth_token *t)
{
	size_t i = 0, skip = 0;

	t->kind = AUTH_TOK_TLS;
	t->step = AUTH_STEP_TLS_HANDSHAKE;
	t->tls_version = (uint16_t)(p[1] << 8 | p[2]);
	while (i < n) {
		size_t rlen, j, end;
		int type;

		if (i + 5 > n) {
			auth_problem(t, AUTH_TOKF_TRUNCATED,
				     "truncated TLS record header at byte %zu",
				     i);
			return;
		}
		type = p[i];
		if (type < 20 || type > 23 || p[i + 1] != 3) {
			auth_problem(t, AUTH_TOKF_BAD_FIELD,
				     "not a TLS record at byte %zu", i);
			return;
		}
		rlen = (size_t)(p[i + 3] << 8 | p[i + 4]);
		j = i + 5;
		end = j + rlen;
		t->tls_records++;
		if (end > n) {
			auth_problem(t, AUTH_TOKF_TRUNCATED,
				     "truncated TLS record (%zu of %zu bytes)",
				     n - j, rlen);
			end = n;
		}
		if (type == 20)
			t->tls_ccs = 1;
		else if (type == 21)
			t->tls_alert = 1;
		else if (type == 22 && t->tls_ccs) {
			if (t->tls_nhs < AUTH_TLS_MAX)
				t->tls_hs[t->tls_nhs++] = -1;
		} else if (type == 22) {
			while (j < end) {
				size_t hl;

				if (skip > 0) {
					size_t k = skip < end - j ? skip :
								    end - j;

					skip -= k;
					j += k;
					continue;
				}
				if (j + 4 > end) {
					/* header split across records */
					break;
				}
				if (t->tls_nhs < AUTH_TLS_MAX)
					t->tls_hs[t->tls_nhs++] = p[j];
				hl = (size_t)p[j + 1] << 16 |
				     (size_t)p[j + 2] << 8 | p[j + 3];
				j += 4;
				skip = hl;
			}
		}
		i = end;
	}
	if (skip > 0)
		auth_problem(t, AUTH_TOKF_TRUNCATED,
			     "truncated TLS handshake message (%zu bytes missing)",
			     skip);
}

static void
auth_decode_depth(const unsigned char *p, size_t n, struct auth_token *t,
		  int depth)
{
	t->len = n;
	if (n == 0) {
		t->kind = AUTH_TOK_EMPTY;
		t->step = AUTH_STEP_EMPTY;
		return;
	}
	if (n >= 7 && memcmp(p, "NTLMSSP", 7) == 0) {
		if (n >= 8 && p[7] == 0)
			auth_decode_ntlm(p, n, t);
		else {
			t->kind = AUTH_TOK_NTLM;
			t->step = AUTH_STEP_OTHER;
			auth_problem(t, n < 8 ? AUTH_TOKF_TRUNCATED :
					 AUTH_TOKF_BAD_FIELD,
				     n < 8 ? "truncated NTLM header (%zu of 12 bytes)" :
					     "bad NTLMSSP signature (%zu bytes)",
				     n);
		}
		return;
	}
	if (p[0] == 0x60 && depth < 2) {
		auth_decode_gss(p, n, t, depth);
		return;
	}
	if ((p[0] == 0xa0 || p[0] == 0xa1) && depth < 2) {
		/* SPNEGO continuation tokens come without the 0x60 wrapper. */
		auth_decode_spnego(p, n, t, depth);
		return;
	}
	if (p[0] == 0x6e || p[0] == 0x6f || p[0] == 0x7e) {
		size_t i = 0, len;
		int tag;

		t->kind = AUTH_TOK_KERBEROS;
		auth_krb_app(t, p[0]);
		if (auth_der_hdr(p, n, &i, &tag, &len) != 0)
			auth_problem(t, AUTH_TOKF_TRUNCATED,
				     "truncated Kerberos message");
		else
			auth_krb_details(p, n, t);
		return;
	}
	if (n >= 3 && p[0] >= 20 && p[0] <= 23 && p[1] == 3 && p[2] <= 4) {
		auth_decode_tls(p, n, t);
		return;
	}
	t->kind = AUTH_TOK_UNKNOWN;
	t->step = AUTH_STEP_OTHER;
}

static void
auth_token_init(struct auth_token *t)
{
	memset(t, 0, sizeof *t);
}

void
auth_decode_token(const unsigned char *p, size_t n, struct auth_token *out)
{
	auth_token_init(out);
	auth_decode_depth(p, n, out, 0);
}

void
auth_decode_gssapi(struct span b64, struct auth_token *out)
{
	unsigned char stackbuf[8192], *buf;
	size_t cap, len = 0;
	int r;

	auth_token_init(out);
	if (b64.p == NULL)
		return;	/* AUTH_TOK_NONE */
	b64 = span_trim(b64);
	if (b64.n == 0) {
		out->kind = AUTH_TOK_EMPTY;
		out->step = AUTH_STEP_EMPTY;
		return;
	}
	cap = auth_base64_len(b64);
	if (cap > AUTH_TOKEN_MAX)
		cap = AUTH_TOKEN_MAX;
	/* NTLM and most Kerberos tokens fit on the stack; the rest, up to
	 * AUTH_TOKEN_MAX, go to the heap. */
	buf = cap <= sizeof stackbuf ? stackbuf : xmalloc(cap);
	r = auth_base64_decode(b64, buf, cap, &len);
	if (r != 0 && len == 0) {
		out->kind = AUTH_TOK_BAD_BASE64;
		out->step = AUTH_STEP_OTHER;
		out->b64err = r;
		auth_problem(out, AUTH_TOKF_BAD_BASE64, "bad base64 (%s)",
			     r == AUTH_B64_BAD_CHAR ? "invalid character" :
						      "bad padding");
		if (buf != stackbuf)
			free(buf);
		return;
	}
	auth_decode_depth(buf, len < cap ? len : cap, out, 0);
	out->len = len;
	if (len > cap)
		out->flags |= AUTH_TOKF_TOO_LARGE;
	if (r != 0) {
		/* Decode what came before the bad byte, but say so first. */
		out->b64err = r;
		out->problem[0] = '\0';
		auth_problem(out, AUTH_TOKF_BAD_BASE64,
			     "bad base64 after %zu bytes (%s)", len,
			     r == AUTH_B64_BAD_CHAR ? "invalid character" :
						      "bad padding");
	}
	if (buf != stackbuf)
		free(buf);
}

/* Descriptions */

static const struct {
	uint32_t bit;
	const char *name;
} auth_ntlm_flags[] = {
	{ AUTH_NTLM_UNICODE, "UNICODE" },
	{ AUTH_NTLM_OEM, "OEM" },
	{ AUTH_NTLM_REQUEST_TARGET, "REQUEST_TARGET" },
	{ AUTH_NTLM_SIGN, "SIGN" },
	{ AUTH_NTLM_SEAL, "SEAL" },
	{ AUTH_NTLM_DATAGRAM, "DATAGRAM" },
	{ AUTH_NTLM_LM_KEY, "LM_KEY" },
	{ AUTH_NTLM_NTLM, "NTLM" },
	{ AUTH_NTLM_ANONYMOUS, "ANONYMOUS" },
	{ AUTH_NTLM_DOMAIN_SUPPLIED, "DOMAIN_SUPPLIED" },
	{ AUTH_NTLM_WORKSTATION_SUPPLIED, "WORKSTATION_SUPPLIED" },
	{ AUTH_NTLM_ALWAYS_SIGN, "ALWAYS_SIGN" },
	{ AUTH_NTLM_TARGET_DOMAIN, "TARGET_DOMAIN" },
	{ AUTH_NTLM_TARGET_SERVER, "TARGET_SERVER" },
	{ AUTH_NTLM_EXTENDED_SESSION, "EXTENDED_SESSION" },
	{ AUTH_NTLM_IDENTIFY, "IDENTIFY" },
	{ 0x00400000u, "NON_NT_SESSION_KEY" },
	{ AUTH_NTLM_TARGET_INFO, "TARGET_INFO" },
	{ AUTH_NTLM_VERSION, "VERSION" },
	{ AUTH_NTLM_128, "128" },
	{ AUTH_NTLM_KEY_EXCH, "KEY_EXCH" },
	{ AUTH_NTLM_56, "56" },
};

void
auth_ntlm_flag_names(uint32_t f, struct strbuf *out)
{
	size_t i;
	int first = 1;

	for (i = 0; i < sizeof auth_ntlm_flags / sizeof auth_ntlm_flags[0];
	     i++) {
		if (!(f & auth_ntlm_flags[i].bit))
			continue;
		if (!first)
			strbuf_adds(out, ", ");
		strbuf_adds(out, auth_ntlm_flags[i].name);
		first = 0;
		f &= ~auth_ntlm_flags[i].bit;
	}
	if (f != 0)
		strbuf_addf(out, "%s0x%08x", first ? "" : ", ", f);
}

const char *
auth_tls_hs_name(int type)
{
	static char buf[24];

	switch (type) {
	case -1: return "Finished (encrypted)";
	case 0: return "HelloRequest";
	case 1: return "ClientHello";
	case 2: return "ServerHello";
	case 4: return "NewSessionTicket";
	case 11: return "Certificate";
	case 12: return "ServerKeyExchange";
	case 13: return "CertificateRequest";
	case 14: return "ServerHelloDone";
	case 15: return "CertificateVerify";
	case 16: return "ClientKeyExchange";
	case 20: return "Finished";
	}
	snprintf(buf, sizeof buf, "type %d", type);
	return buf;
}

static const char *
auth_step_name(enum auth_step st)
{
	switch (st) {
	case AUTH_STEP_NTLM_NEGOTIATE: return "NTLM NEGOTIATE";
	case AUTH_STEP_NTLM_CHALLENGE: return "NTLM CHALLENGE";
	case AUTH_STEP_NTLM_AUTHENTICATE: return "NTLM AUTHENTICATE";
	case AUTH_STEP_KRB_AP_REQ: return "Kerberos AP-REQ";
	case AUTH_STEP_KRB_AP_REP: return "Kerberos AP-REP";
	case AUTH_STEP_KRB_ERROR: return "Kerberos KRB-ERROR";
	default: return NULL;
	}
}

void
auth_step_label(enum auth_scheme s, const struct auth_token *t,
		struct strbuf *out)
{
	const char *name = t != NULL ? auth_step_name(t->step) : NULL;

	if (name != NULL) {
		strbuf_adds(out, name);
		return;
	}
	strbuf_adds(out, auth_scheme_name(s));
	if (t != NULL && t->step == AUTH_STEP_TLS_HANDSHAKE && t->tls_nhs > 0) {
		if (s != AUTH_NONE)
			strbuf_addc(out, ' ');
		strbuf_adds(out, auth_tls_hs_name(t->tls_hs[0]));
	}
}

static void
auth_add_name(struct strbuf *out, const char *label, const char *v)
{
	if (v[0] == '\0')
		return;
	strbuf_addf(out, ", %s %s", label, v);
}

static void
auth_krb_describe(const struct auth_token *t, struct strbuf *out)
{
	const char *name;

	if (t->krb_sname[0] != '\0' && t->step == AUTH_STEP_KRB_AP_REQ)
		strbuf_addf(out, ", ticket for %s%s%s", t->krb_sname,
			    t->krb_realm[0] != '\0' ? "@" : "", t->krb_realm);
	if (t->has_krb_error) {
		strbuf_addf(out, ", error %d", t->krb_error);
		if ((name = auth_krb_error_name(t->krb_error)) != NULL)
			strbuf_addf(out, " %s", name);
		if (t->krb_etext[0] != '\0')
			strbuf_addf(out, " \"%s\"", t->krb_etext);
	}
}

void
auth_token_describe(enum auth_scheme s, const struct auth_token *t,
		    struct strbuf *out)
{
	const char *sn = auth_scheme_name(s);
	const char *step = auth_step_name(t->step);
	int i;

	switch (t->kind) {
	case AUTH_TOK_NONE:
		strbuf_adds(out, sn[0] != '\0' ? sn : "no token");
		return;
	case AUTH_TOK_EMPTY:
		strbuf_addf(out, "%s%sempty token (start of handshake)", sn,
			    sn[0] != '\0' ? ", " : "");
		return;
	case AUTH_TOK_BAD_BASE64:
		strbuf_addf(out, "%s%s%s", sn, sn[0] != '\0' ? ", " : "",
			    t->problem);
		return;
	case AUTH_TOK_NTLM:
		if (step == NULL) {
			strbuf_adds(out, "NTLM token");
			break;
		}
		strbuf_adds(out, step);
		if (t->ntlm_type == 3) {
			if (t->user[0] != '\0' || t->domain[0] != '\0')
				strbuf_addf(out, ", user %s%s%s", t->domain,
					    t->domain[0] != '\0' ? "\\" : "",
					    t->user);
			auth_add_name(out, "workstation", t->workstation);
			break;
		}
		auth_add_name(out, "target", t->target);
		auth_add_name(out, "domain", t->domain);
		auth_add_name(out, "workstation", t->workstation);
		if (t->has_ntlm_flags) {
			strbuf_addf(out, ", flags 0x%08x (", t->ntlm_flags);
			auth_ntlm_flag_names(t->ntlm_flags, out);
			strbuf_addc(out, ')');
		}
		break;
	case AUTH_TOK_KERBEROS:
		if (step != NULL)
			strbuf_addf(out, "%s (%zu bytes)", step, t->len);
		else
			strbuf_addf(out, "Kerberos token (%zu bytes)", t->len);
		auth_krb_describe(t, out);
		break;
	case AUTH_TOK_SPNEGO:
		strbuf_adds(out, "SPNEGO");
		if (step != NULL)
			strbuf_addf(out, " %s", step);
		auth_add_name(out, "user", t->user);
		strbuf_addf(out, " (%zu bytes)", t->len);
		auth_krb_describe(t, out);
		break;
	case AUTH_TOK_TLS:
		strbuf_adds(out, s == AUTH_TLS_DSK ? "TLS-DSK " : "TLS ");
		for (i = 0; i < t->tls_nhs; i++)
			strbuf_addf(out, "%s%s", i > 0 ? ", " : "",
				    auth_tls_hs_name(t->tls_hs[i]));
		if (t->tls_nhs == 0)
			strbuf_adds(out, t->tls_alert ? "alert" : "records");
		else if (t->tls_alert)
			strbuf_adds(out, ", alert");
		strbuf_addf(out, " (TLS %s, %d record%s, %zu bytes)",
			    t->tls_version == 0x0301 ? "1.0" :
			    t->tls_version == 0x0302 ? "1.1" :
			    t->tls_version == 0x0303 ? "1.2" :
			    t->tls_version == 0x0304 ? "1.3" :
			    t->tls_version == 0x0300 ? "SSL 3.0" : "?",
			    t->tls_records, t->tls_records == 1 ? "" : "s",
			    t->len);
		break;
	case AUTH_TOK_UNKNOWN:
		if (sn[0] != '\0')
			strbuf_addf(out, "%s, ", sn);
		if (t->oid[0] != '\0')
			strbuf_addf(out, "GSS-API token for %s (%zu bytes)",
				    t->oid, t->len);
		else
			strbuf_addf(out, "unknown token (%zu bytes)", t->len);
		break;
	}
	if (t->problem[0] != '\0')
		strbuf_addf(out, "; %s", t->problem);
}

static void
auth_add_param(struct strbuf *out, const struct auth_header *h,
	       const char *name, const char *label)
{
	struct span v = auth_param(h, name);

	if (v.p == NULL)
		return;
	strbuf_addf(out, ", %s \"", label);
	auth_unquote(v, out);
	strbuf_addc(out, '"');
}

void
auth_describe(const struct auth_header *h, struct strbuf *out)
{
	struct auth_token t;

	if (auth_header_token(h, &t)) {
		auth_token_describe(h->scheme, &t, out);
		return;
	}
	if (h->scheme == AUTH_OTHER)
		strbuf_add(out, h->scheme_name.p, h->scheme_name.n);
	else
		strbuf_adds(out, auth_scheme_name(h->scheme));
	if (h->scheme == AUTH_BASIC && h->token68.n > 0) {
		/* user:password - the user only; a viewer has no business
		 * showing passwords. */
		unsigned char buf[256];
		size_t len = 0, k;

		if (auth_base64_decode(h->token68, buf, sizeof buf, &len) == 0) {
			if (len > sizeof buf)
				len = sizeof buf;
			for (k = 0; k < len && buf[k] != ':'; k++)
				;
			strbuf_adds(out, ", user \"");
			strbuf_add(out, buf, k);
			strbuf_addc(out, '"');
		} else
			strbuf_adds(out, ", bad base64");
		return;
	}
	auth_add_param(out, h, "username", "user");
	auth_add_param(out, h, "realm", "realm");
	auth_add_param(out, h, "targetname", "targetname");
	auth_add_param(out, h, "qop", "qop");
	auth_add_param(out, h, "algorithm", "algorithm");
	auth_add_param(out, h, "version", "version");
	if (auth_param(h, "rspauth").p != NULL)
		strbuf_adds(out, ", signed (rspauth)");
	if (auth_param(h, "stale").p != NULL &&
	    span_ieq(auth_param(h, "stale"), "true"))
		strbuf_adds(out, ", stale nonce");
}

/* Decodes the token a header carries: gssapi-data, or a bare token68 as
 * HTTP-style Negotiate/NTLM/Kerberos send it. Returns whether there was
 * one (tok->kind is AUTH_TOK_NONE when not). */
static int
auth_header_token(const struct auth_header *h, struct auth_token *tok)
{
	struct span g = auth_param(h, "gssapi-data");

	if (g.p == NULL && h->token68.n > 0 &&
	    (h->scheme == AUTH_NEGOTIATE || h->scheme == AUTH_NTLM ||
	     h->scheme == AUTH_KERBEROS || h->scheme == AUTH_TLS_DSK))
		g = h->token68;
	auth_decode_gssapi(g, tok);
	return g.p != NULL;
}

/* Per message */

/* Calls fn for every challenge of every header with id a or b, in order;
 * stops when fn returns nonzero. */
static int
auth_each(const struct sipmsg *m, enum hdr_id a, enum hdr_id b,
	  int (*fn)(const struct auth_header *, void *), void *arg)
{
	struct auth_header h;
	struct span v;
	size_t i;
	int guard;

	for (i = 0; i < m->nhdrs; i++) {
		if (m->hdrs[i].id != a && m->hdrs[i].id != b)
			continue;
		v = m->hdrs[i].value;
		/* Each round consumes at least the scheme name. */
		for (guard = 0; guard < 64 && auth_parse(v, &h) == 0; guard++) {
			if (fn(&h, arg))
				return 1;
			if (h.rest.n == 0)
				break;
			v = h.rest;
		}
	}
	return 0;
}

static int
auth_offered_fn(const struct auth_header *h, void *arg)
{
	*(unsigned *)arg |= AUTH_BIT(h->scheme);
	return 0;
}

unsigned
auth_offered(const struct sipmsg *m)
{
	unsigned set = 0;

	auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		  auth_offered_fn, &set);
	return set;
}

struct auth_names {
	unsigned seen;
	struct strbuf *out;
};

static int
auth_names_fn(const struct auth_header *h, void *arg)
{
	struct auth_names *an = arg;

	if (an->seen & AUTH_BIT(h->scheme))
		return 0;
	if (an->seen != 0)
		strbuf_adds(an->out, ", ");
	an->seen |= AUTH_BIT(h->scheme);
	if (h->scheme == AUTH_OTHER)
		strbuf_add(an->out, h->scheme_name.p, h->scheme_name.n);
	else
		strbuf_adds(an->out, auth_scheme_name(h->scheme));
	return 0;
}

void
auth_offered_names(const struct sipmsg *m, struct strbuf *out)
{
	struct auth_names an = { 0, out };

	auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		  auth_names_fn, &an);
}

/* The NTLM message type of a challenge's token when its first bytes are
 * a raw NTLM message (the 401 of an NTLM handshake: its CHALLENGE), read
 * from them alone; 0 when they are not, and the token must be decoded. */
static int
auth_ntlm_type_at_start(const struct auth_header *h)
{
	struct span g = auth_param(h, "gssapi-data");
	unsigned char b[12];
	size_t got;

	if (g.p == NULL && h->token68.n > 0 &&
	    (h->scheme == AUTH_NEGOTIATE || h->scheme == AUTH_NTLM ||
	     h->scheme == AUTH_KERBEROS || h->scheme == AUTH_TLS_DSK))
		g = h->token68;	/* as auth_header_token takes it */
	g = span_trim(g);
	if (g.p == NULL || g.n < 16 || auth_base64_decode((struct span){ g.p, 16 }, b,
					   sizeof b, &got) != 0 ||
	    got != 12 || memcmp(b, "NTLMSSP", 8) != 0)
		return 0;
	return (int)auth_le32(b + 8);
}

struct auth_ch {
	unsigned flags, offered;
	int md5;		/* a Digest challenge allows MD5 */
};

/* Whether a Digest algorithm (as written, SPAN_NULL for none) is MD5 or
 * MD5-sess: none means MD5 (RFC 7616 3.3). */
static int
auth_alg_is_md5(struct span a)
{
	return a.p == NULL || a.n == 0 || span_ieq(a, "MD5") ||
	       span_ieq(a, "MD5-sess");
}

static int
auth_challenge_fn(const struct auth_header *h, void *arg)
{
	struct auth_ch *ch = arg;
	struct span v;
	struct auth_token tok;
	int type;

	ch->offered |= AUTH_BIT(h->scheme);
	if (h->scheme == AUTH_DIGEST || h->scheme == AUTH_BASIC) {
		/* stale is Digest's (RFC 7616); neither carries a token. */
		v = auth_param(h, "stale");
		if (v.p != NULL && span_ieq(v, "true"))
			ch->flags |= AUTH_CH_STALE;
		if (h->scheme == AUTH_DIGEST &&
		    auth_alg_is_md5(auth_param(h, "algorithm")))
			ch->md5 = 1;
		return 0;
	}
	/* An NTLM token is told by its first 12 bytes, without decoding
	 * the rest (as auth_decode_ntlm would tell it). */
	if ((type = auth_ntlm_type_at_start(h)) != 0) {
		if (type == 2)
			ch->flags |= AUTH_CH_NEXT_LEG;
		return 0;
	}
	/* Only a token that goes on with the handshake: a KRB-ERROR says
	 * no, and an empty or unreadable one says nothing. */
	if (auth_header_token(h, &tok) &&
	    (tok.step == AUTH_STEP_NTLM_CHALLENGE ||
	     (tok.step == AUTH_STEP_TLS_HANDSHAKE && !tok.tls_alert)))
		ch->flags |= AUTH_CH_NEXT_LEG;
	return 0;
}

unsigned
auth_challenge_info(const struct sipmsg *m, unsigned *offered)
{
	struct auth_ch ch = { 0, 0, 0 };

	auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		  auth_challenge_fn, &ch);
	if ((ch.offered & AUTH_BIT(AUTH_DIGEST)) && !ch.md5)
		ch.flags |= AUTH_CH_NO_MD5;
	if (offered != NULL)
		*offered = ch.offered;
	return ch.flags;
}

/* Realms named by the challenges or the credentials of a message. */
struct auth_realms {
	struct span v[8];
	size_t n;
	int unnamed;		/* one header names no realm */
};

static int
auth_realms_fn(const struct auth_header *h, void *arg)
{
	struct auth_realms *ar = arg;
	struct span r = auth_param(h, "realm");

	if (r.p == NULL)
		ar->unnamed = 1;
	else if (ar->n < sizeof ar->v / sizeof ar->v[0])
		ar->v[ar->n++] = r;
	return 0;
}

int
auth_same_realm(const struct sipmsg *resp, const struct sipmsg *req)
{
	struct auth_realms ch = { .n = 0 }, cr = { .n = 0 };
	size_t i, j;

	auth_each(resp, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		  auth_realms_fn, &ch);
	auth_each(req, HDR_AUTHORIZATION, HDR_PROXY_AUTHORIZATION,
		  auth_realms_fn, &cr);
	/* Without realms on either side there is nothing to tell apart. */
	if (ch.unnamed || cr.unnamed || ch.n == 0 || cr.n == 0)
		return 1;
	for (i = 0; i < ch.n; i++) {
		for (j = 0; j < cr.n; j++) {
			if (ch.v[i].n == cr.v[j].n &&
			    memcmp(ch.v[i].p, cr.v[j].p, ch.v[i].n) == 0)
				return 1;
		}
	}
	return 0;
}

/* Whether two parameters differ, both being there. */
static int
auth_param_differs(const struct auth_header *a, const struct auth_header *b,
		   const char *name)
{
	struct span x = auth_param(a, name), y = auth_param(b, name);

	return x.p != NULL && y.p != NULL &&
	       (x.n != y.n || memcmp(x.p, y.p, x.n) != 0);
}

struct auth_answer {
	const struct sipmsg *resp;	/* the 401/407 */
	struct auth_header cred;	/* the credentials looked at */
	int found;
};

static int
auth_answer_fn(const struct auth_header *h, void *arg)
{
	struct auth_answer *aa = arg;

	if (h->scheme != aa->cred.scheme ||
	    auth_param_differs(h, &aa->cred, "realm") ||
	    (h->scheme == AUTH_DIGEST &&
	     auth_param_differs(h, &aa->cred, "nonce")))
		return 0;
	aa->found = 1;
	return 1;
}

/* Credentials h of the request: whether they answer a challenge of the
 * response (stops the walk when they do). */
static int
auth_cred_answers_fn(const struct auth_header *h, void *arg)
{
	struct auth_answer *aa = arg;

	aa->cred = *h;
	return auth_each(aa->resp, HDR_WWW_AUTHENTICATE,
			 HDR_PROXY_AUTHENTICATE, auth_answer_fn, aa);
}

int
auth_answers_challenge(const struct sipmsg *resp, const struct sipmsg *req)
{
	struct auth_answer aa;

	/* Every credentials header: a retry through a proxy to a registrar
	 * carries Proxy-Authorization for the one and Authorization for the
	 * other, in either order. */
	aa.resp = resp;
	aa.found = 0;
	auth_each(req, HDR_AUTHORIZATION, HDR_PROXY_AUTHORIZATION,
		  auth_cred_answers_fn, &aa);
	return aa.found;
}

/* Digest algorithms a message's challenges name, each once, in order. */
struct auth_algs {
	struct strbuf *out;
	int other;		/* one is not MD5 */
};

static int
auth_algs_fn(const struct auth_header *h, void *arg)
{
	struct auth_algs *aa = arg;
	struct span a;

	if (h->scheme != AUTH_DIGEST)
		return 0;
	a = auth_param(h, "algorithm");
	if (a.p == NULL || a.n == 0)
		a = (struct span){ "MD5", 3 };	/* RFC 7616 3.3 */
	if (!span_ieq(a, "MD5"))
		aa->other = 1;
	if (aa->out->len > 0) {
		/* Each once: ", " separates them, and none holds one. */
		const char *p = aa->out->buf, *q;

		for (;;) {
			q = strstr(p, ", ");
			if ((size_t)((q != NULL ? q : p + strlen(p)) - p) ==
			    a.n && strncmp(p, a.p, a.n) == 0)
				return 0;
			if (q == NULL)
				break;
			p = q + 2;
		}
		strbuf_adds(aa->out, ", ");
	}
	strbuf_add(aa->out, a.p, a.n);
	return 0;
}

void
auth_digest_algorithms(const struct sipmsg *m, struct strbuf *out)
{
	struct auth_algs aa = { out, 0 };
	struct strbuf own;

	/* auth_algs_fn looks for repeats in all of its buffer. */
	if (out->len == 0) {
		auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
			  auth_algs_fn, &aa);
		return;
	}
	strbuf_init(&own);
	aa.out = &own;
	auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		  auth_algs_fn, &aa);
	if (own.len > 0)
		strbuf_add(out, own.buf, own.len);
	strbuf_free(&own);
}

static int
auth_digest_cred_fn(const struct auth_header *h, void *arg)
{
	struct span *a = arg;

	if (h->scheme != AUTH_DIGEST)
		return 0;
	*a = auth_param(h, "algorithm");
	if (a->p == NULL || a->n == 0)
		*a = (struct span){ "MD5", 3 };
	return 1;
}

int
auth_digest_credentials(const struct sipmsg *m, enum hdr_id hdr,
			struct span *alg)
{
	struct span a = SPAN_NULL;

	if (!auth_each(m, hdr, hdr, auth_digest_cred_fn, &a) &&
	    !auth_each(m, HDR_AUTHORIZATION, HDR_PROXY_AUTHORIZATION,
		       auth_digest_cred_fn, &a))
		return -1;
	if (alg != NULL)
		*alg = a;
	return auth_alg_is_md5(a);
}

void
auth_offered_detail(const struct sipmsg *m, struct strbuf *out)
{
	struct strbuf algs;
	struct auth_algs aa = { &algs, 0 };
	const char *d;
	size_t start = out->len;

	strbuf_init(&algs);
	auth_offered_names(m, out);
	auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		  auth_algs_fn, &aa);
	if (aa.other && out->buf != NULL &&
	    (d = strstr(out->buf + start, "Digest")) != NULL) {
		struct strbuf t;
		size_t at = (size_t)(d - out->buf) + 6;

		strbuf_init(&t);
		strbuf_adds(&t, out->buf + at);
		out->len = at;
		out->buf[at] = '\0';
		strbuf_addf(out, " (%s)%s", algs.buf, t.buf != NULL ?
		    t.buf : "");
		strbuf_free(&t);
	}
	strbuf_free(&algs);
}

int
auth_has_credentials(const struct sipmsg *m)
{
	return sipmsg_find(m, HDR_AUTHORIZATION, 0) != NULL ||
	       sipmsg_find(m, HDR_PROXY_AUTHORIZATION, 0) != NULL;
}

int
auth_opens_handshake(const struct sipmsg *m)
{
	static const char name[] = "gssapi-data";
	const struct sip_header *h = sipmsg_find(m, HDR_AUTHORIZATION, 0);
	unsigned char b[9];
	const char *p, *end;
	size_t got = 0;

	if (h == NULL)
		h = sipmsg_find(m, HDR_PROXY_AUTHORIZATION, 0);
	if (h == NULL || h->value.p == NULL)
		return 0;
	/* The token runs to kilobytes: only its first bytes are read. */
	end = h->value.p + h->value.n;
	p = memmem(h->value.p, h->value.n, name, sizeof name - 1);
	if (p == NULL)
		return 0;
	for (p += sizeof name - 1; p < end && auth_is_ws(*p); p++)
		;
	if (p == end || *p++ != '=')
		return 0;
	while (p < end && auth_is_ws(*p))
		p++;
	if (p < end && *p == '"')
		p++;
	if (p == end || *p == '"' || *p == ',')
		return 1;	/* gssapi-data="": the first leg */
	if (end - p < 12 || auth_base64_decode((struct span){ p, 12 }, b,
					       sizeof b, &got) != 0 || got < 9)
		return 0;
	/* NTLM NEGOTIATE (type 1); TLS-DSK: a handshake record whose first
	 * message is a ClientHello. */
	return (memcmp(b, "NTLMSSP", 8) == 0 && b[8] == 1) ||
	       (b[0] == 22 && b[1] == 3 && b[5] == 1);
}


struct auth_first {
	enum auth_scheme scheme;
	struct auth_token *tok;
};

static int
auth_first_fn(const struct auth_header *h, void *arg)
{
	struct auth_first *af = arg;

	af->scheme = h->scheme;
	if (af->tok != NULL)
		auth_header_token(h, af->tok);
	return 1;
}

enum auth_scheme
auth_credentials(const struct sipmsg *m, struct auth_token *tok)
{
	struct auth_first af = { AUTH_NONE, tok };

	if (tok != NULL)
		auth_token_init(tok);
	auth_each(m, HDR_AUTHORIZATION, HDR_PROXY_AUTHORIZATION, auth_first_fn,
		  &af);
	return af.scheme;
}

/* A challenge carrying a token (NTLM CHALLENGE, TLS-DSK ServerHello). */
static int
auth_challenge_tok_fn(const struct auth_header *h, void *arg)
{
	struct auth_first *af = arg;

	if (!auth_header_token(h, af->tok) || af->tok->kind == AUTH_TOK_EMPTY)
		return 0;
	af->scheme = h->scheme;
	return 1;
}

void
auth_message_label(const struct sipmsg *m, struct strbuf *out)
{
	struct auth_token tok;
	struct auth_first af = { AUTH_NONE, &tok };

	if (m->kind == SIP_REQUEST) {
		af.scheme = auth_credentials(m, &tok);
		if (af.scheme != AUTH_NONE)
			auth_step_label(af.scheme, &tok, out);
		return;
	}
	if (m->kind != SIP_RESPONSE)
		return;
	if (auth_each(m, HDR_WWW_AUTHENTICATE, HDR_PROXY_AUTHENTICATE,
		      auth_challenge_tok_fn, &af)) {
		auth_step_label(af.scheme, &tok, out);
		return;
	}
	if (auth_offered(m) != 0) {
		auth_offered_names(m, out);
		return;
	}
	if (auth_each(m, HDR_AUTHENTICATION_INFO, HDR_PROXY_AUTHENTICATION_INFO,
		      auth_first_fn, &af)) {
		if (tok.kind == AUTH_TOK_NONE || tok.kind == AUTH_TOK_EMPTY)
			strbuf_adds(out, auth_scheme_name(af.scheme));
		else
			auth_step_label(af.scheme, &tok, out);
	}
}
