/* sipmsg: one pass over a SIP message's start line and header block that
 * records spans into the source bytes. Runs on every message of multi-GB
 * logs, so it allocates nothing unless a message has very many headers. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "sipmsg.h"

/* ASCII lower case without locale lookups. */
static inline unsigned char
sipmsg_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Compares n bytes of p, any case, with lit (lower case, n bytes). */
static int
sipmsg_ieq_lit(const char *p, const char *lit, size_t n)
{
	size_t i;

	unsigned char c, l;

	/* Folding by OR 0x20 is exact against a lower-case letter. */
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		l = (unsigned char)lit[i];
		if (c != l && ((c | 0x20) != l || l < 'a' || l > 'z'))
			return 0;
	}
	return 1;
}

#define SIPMSG_IS(p, n, lit) \
	((n) == sizeof(lit) - 1 && sipmsg_ieq_lit((p), (lit), (n)))

/* RFC 3261 token characters, as a table: every header name of a multi-GB
 * log goes through it. */
static const unsigned char sipmsg_token[256] = {
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['-'] = 1, ['.'] = 1, ['!'] = 1, ['%'] = 1, ['*'] = 1, ['_'] = 1,
	['+'] = 1, ['`'] = 1, ['\''] = 1, ['~'] = 1,
};

static inline int
sipmsg_is_token(unsigned char c)
{
	return sipmsg_token[c];
}

static int
sipmsg_is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* Whitespace inside a (possibly folded) header value. */
static int
sipmsg_is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Switch on length first and first letter second, so that most names are
 * rejected or found after one or two byte comparisons. */
enum hdr_id
sipmsg_hdr_id(struct span name)
{
	const char *p = name.p;
	size_t n = name.n;

	if (n == 0 || p == NULL)
		return HDR_OTHER;
	if (n == 1) {
		switch (sipmsg_lower((unsigned char)p[0])) {
		case 'i': return HDR_CALL_ID;
		case 'f': return HDR_FROM;
		case 't': return HDR_TO;
		case 'v': return HDR_VIA;
		case 'm': return HDR_CONTACT;
		case 'l': return HDR_CONTENT_LENGTH;
		case 'c': return HDR_CONTENT_TYPE;
		case 'k': return HDR_SUPPORTED;
		case 's': return HDR_SUBJECT;
		case 'e': return HDR_CONTENT_ENCODING;
		case 'o': return HDR_EVENT;
		case 'r': return HDR_REFER_TO;
		case 'u': return HDR_ALLOW_EVENTS;
		case 'x': return HDR_SESSION_EXPIRES;
		case 'b': return HDR_REFERRED_BY;
		}
		return HDR_OTHER;
	}
	switch (sipmsg_lower((unsigned char)p[0])) {
	case 'a':
		if (SIPMSG_IS(p, n, "authorization"))
			return HDR_AUTHORIZATION;
		if (SIPMSG_IS(p, n, "allow-events"))
			return HDR_ALLOW_EVENTS;
		if (SIPMSG_IS(p, n, "authentication-info"))
			return HDR_AUTHENTICATION_INFO;
		break;
	case 'c':
		switch (n) {
		case 4:
			if (sipmsg_ieq_lit(p, "cseq", 4))
				return HDR_CSEQ;
			break;
		case 7:
			if (sipmsg_ieq_lit(p, "call-id", 7))
				return HDR_CALL_ID;
			if (sipmsg_ieq_lit(p, "contact", 7))
				return HDR_CONTACT;
			break;
		case 12:
			if (sipmsg_ieq_lit(p, "content-type", 12))
				return HDR_CONTENT_TYPE;
			break;
		case 14:
			if (sipmsg_ieq_lit(p, "content-length", 14))
				return HDR_CONTENT_LENGTH;
			break;
		case 16:
			if (sipmsg_ieq_lit(p, "content-encoding", 16))
				return HDR_CONTENT_ENCODING;
			break;
		}
		break;
	case 'e':
		if (SIPMSG_IS(p, n, "event"))
			return HDR_EVENT;
		if (SIPMSG_IS(p, n, "expires"))
			return HDR_EXPIRES;
		break;
	case 'f':
		if (SIPMSG_IS(p, n, "from"))
			return HDR_FROM;
		break;
	case 'm':
		switch (n) {
		case 14:
			if (sipmsg_ieq_lit(p, "ms-diagnostics", 14))
				return HDR_MS_DIAGNOSTICS;
			break;
		case 18:
			if (sipmsg_ieq_lit(p, "ms-user-logon-data", 18))
				return HDR_MS_USER_LOGON_DATA;
			break;
		case 21:
			if (sipmsg_ieq_lit(p, "ms-diagnostics-public", 21))
				return HDR_MS_DIAGNOSTICS_PUBLIC;
			break;
		}
		break;
	case 'p':
		switch (n) {
		case 18:
			if (sipmsg_ieq_lit(p, "proxy-authenticate", 18))
				return HDR_PROXY_AUTHENTICATE;
			break;
		case 19:
			if (sipmsg_ieq_lit(p, "proxy-authorization", 19))
				return HDR_PROXY_AUTHORIZATION;
			if (sipmsg_ieq_lit(p, "p-asserted-identity", 19))
				return HDR_P_ASSERTED_IDENTITY;
			break;
		case 25:
			if (sipmsg_ieq_lit(p, "proxy-authentication-info", 25))
				return HDR_PROXY_AUTHENTICATION_INFO;
			break;
		}
		break;
	case 'r':
		if (SIPMSG_IS(p, n, "reason"))
			return HDR_REASON;
		if (SIPMSG_IS(p, n, "refer-to"))
			return HDR_REFER_TO;
		if (SIPMSG_IS(p, n, "referred-by"))
			return HDR_REFERRED_BY;
		break;
	case 's':
		if (SIPMSG_IS(p, n, "server"))
			return HDR_SERVER;
		if (SIPMSG_IS(p, n, "subject"))
			return HDR_SUBJECT;
		if (SIPMSG_IS(p, n, "supported"))
			return HDR_SUPPORTED;
		if (SIPMSG_IS(p, n, "session-expires"))
			return HDR_SESSION_EXPIRES;
		break;
	case 't':
		if (SIPMSG_IS(p, n, "to"))
			return HDR_TO;
		break;
	case 'u':
		if (SIPMSG_IS(p, n, "user-agent"))
			return HDR_USER_AGENT;
		break;
	case 'v':
		if (SIPMSG_IS(p, n, "via"))
			return HDR_VIA;
		break;
	case 'w':
		if (SIPMSG_IS(p, n, "warning"))
			return HDR_WARNING;
		if (SIPMSG_IS(p, n, "www-authenticate"))
			return HDR_WWW_AUTHENTICATE;
		break;
	}
	return HDR_OTHER;
}

/* Trims spaces, tabs and line ends on both sides. */
static struct span
sipmsg_trim(const char *p, size_t n)
{
	while (n > 0 && (sipmsg_is_ws(p[0]) || p[0] == '\r' || p[0] == '\n')) {
		p++;
		n--;
	}
	while (n > 0 && (sipmsg_is_ws(p[n - 1]) || p[n - 1] == '\r' ||
			 p[n - 1] == '\n'))
		n--;
	return (struct span){ p, n };
}

static void
sipmsg_parse_start(struct sipmsg *m, struct span start)
{
	struct span s = sipmsg_trim(start.p, start.p != NULL ? start.n : 0);
	const char *p = s.p;
	size_t n = s.n, i, j, k;
	unsigned code;

	if (n >= 4 && sipmsg_ieq_lit(p, "sip/", 4)) {
		/* SIP/2.0 SP 3DIGIT [SP reason] */
		for (i = 4; i < n && !sipmsg_is_ws(p[i]); i++)
			;
		if (i != 7 || !sipmsg_ieq_lit(p, "sip/2.0", 7))
			goto bad;
		m->version = (struct span){ p, i };
		while (i < n && sipmsg_is_ws(p[i]))
			i++;
		if (i + 3 > n || (i + 3 < n && !sipmsg_is_ws(p[i + 3])))
			goto bad;
		code = 0;
		for (j = i; j < i + 3; j++) {
			if (p[j] < '0' || p[j] > '9')
				goto bad;
			code = code * 10 + (unsigned)(p[j] - '0');
		}
		if (code < 100 || code > 699)
			goto bad;
		m->status = (int)code;
		m->reason = sipmsg_trim(p + i + 3, n - i - 3);
		if (m->reason.n == 0)
			m->reason.p = p + n;
		m->kind = SIP_RESPONSE;
		return;
	}

	/* METHOD SP Request-URI SP SIP/2.0: exactly three words (runs of
	 * spaces tolerated), so that a URI with spaces or in < > is caught. */
	for (i = 0; i < n && sipmsg_is_token((unsigned char)p[i]); i++)
		;
	if (i == 0 || i == n || !sipmsg_is_ws(p[i]))
		goto bad;
	for (j = i; j < n && sipmsg_is_ws(p[j]); j++)
		;
	for (k = j; k < n && !sipmsg_is_ws(p[k]); k++)
		;
	if (k == j || p[j] == '<')
		goto bad;
	m->ruri = (struct span){ p + j, k - j };
	while (k < n && sipmsg_is_ws(p[k]))
		k++;
	if (n - k != 7 || !sipmsg_ieq_lit(p + k, "sip/2.0", 7))
		goto bad;
	m->method = (struct span){ p, i };
	m->version = (struct span){ p + k, n - k };
	m->kind = SIP_REQUEST;
	return;
bad:
	/* The header has no field for a broken start line, so reason (for
	 * responses only otherwise) keeps it: the summary shows it. */
	m->kind = SIP_INVALID;
	m->method = m->ruri = m->version = SPAN_NULL;
	m->reason = s;
	m->status = 0;
	m->flags |= RECF_BAD_START;
}

static struct sip_header *
sipmsg_add_header(struct sipmsg *m)
{
	if (m->nhdrs == m->caphdrs) {
		if (m->hdrs == m->inline_hdrs) {
			size_t cap = m->caphdrs * 4;
			struct sip_header *h = xmalloc(cap * sizeof *h);

			memcpy(h, m->inline_hdrs, m->nhdrs * sizeof *h);
			m->hdrs = h;
			m->caphdrs = cap;
		} else
			m->hdrs = xgrow(m->hdrs, &m->caphdrs, m->nhdrs + 1,
					sizeof *m->hdrs);
	}
	return &m->hdrs[m->nhdrs++];
}

/* Content-Length: digits only, capped rather than overflowing. */
static long
sipmsg_parse_length(struct span v)
{
	long n = 0;
	size_t i;

	if (v.n == 0)
		return -1;
	for (i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		if (n > 100000000000L)
			return -1;
		n = n * 10 + (v.p[i] - '0');
	}
	return n;
}

/* CSeq h: a number below 2^31 (RFC 3261 8.1.1.5), blanks, a method. One
 * that is not is flagged as a bad header line (its number 0 when it has
 * none that fits). */
static void
sipmsg_parse_cseq(struct sipmsg *m, const struct sip_header *h)
{
	struct span v = h->value;
	size_t i, k;
	uint32_t num;
	int bad;

	for (i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++)
		;
	bad = i == 0 || span_to_u32((struct span){ v.p, i }, &num) != 0;
	if (!bad) {
		m->cseq = num;	/* kept, 2^31 and up too */
		bad = num > INT32_MAX;
	}
	m->cseq_method = sipmsg_trim(v.p + i, v.n - i);
	for (k = 0; k < m->cseq_method.n && !bad; k++)
		bad = !sipmsg_is_token((unsigned char)m->cseq_method.p[k]);
	/* Blanks after the number, or a folded line break. */
	bad |= m->cseq_method.n == 0 || (i < v.n && !sipmsg_is_ws(v.p[i]) &&
	    v.p[i] != '\r' && v.p[i] != '\n');
	if (bad) {
		m->flags |= RECF_BAD_HEADER;
		if (m->bad_at == NULL || h->name.p < m->bad_at)
			m->bad_at = h->name.p;
	}
}

/* Takes what the engine needs from the finished header table. */
static int sipmsg_addr(struct span, struct sip_addr *, int);

static void
sipmsg_pick(struct sipmsg *m, int full)
{
	int have_from = 0, have_to = 0, have_cl = 0, have_cseq = 0;
	size_t i;

	for (i = 0; i < m->nhdrs; i++) {
		const struct sip_header *h = &m->hdrs[i];

		switch (h->id) {
		case HDR_CALL_ID:
			if (m->call_id.n == 0)
				m->call_id = h->value;
			break;
		case HDR_CSEQ:
			if (!have_cseq) {
				have_cseq = 1;
				sipmsg_parse_cseq(m, h);
			}
			break;
		case HDR_FROM:
			if (!have_from) {
				have_from = 1;
				sipmsg_addr(h->value, &m->from, full);
			}
			break;
		case HDR_TO:
			if (!have_to) {
				have_to = 1;
				sipmsg_addr(h->value, &m->to, full);
			}
			break;
		case HDR_CONTENT_LENGTH:
			if (!have_cl) {
				have_cl = 1;
				m->content_length = sipmsg_parse_length(h->value);
			}
			break;
		default:
			break;
		}
	}
	if (m->call_id.n == 0)
		m->flags |= RECF_NO_CALLID;
}

/* The id of a header indexing reads (sipmsg_parse_index), else HDR_OTHER.
 * Their name lengths reject most other names before any comparison. */
static enum hdr_id
sipmsg_index_id(const char *p, size_t n)
{
	enum hdr_id id;

	switch (n) {
	case 1: case 2: case 3: case 4: case 7: case 11: case 13: case 14:
	case 16: case 18: case 19:
		break;
	default:
		return HDR_OTHER;
	}
	id = sipmsg_hdr_id((struct span){ p, n });
	switch (id) {
	case HDR_CALL_ID: case HDR_CSEQ: case HDR_FROM: case HDR_TO:
	case HDR_VIA: case HDR_CONTENT_LENGTH: case HDR_AUTHORIZATION:
	case HDR_PROXY_AUTHORIZATION: case HDR_CONTACT:
	case HDR_P_ASSERTED_IDENTITY: case HDR_REFERRED_BY:
	case HDR_WWW_AUTHENTICATE: case HDR_PROXY_AUTHENTICATE:
		return id;
	default:
		return HDR_OTHER;
	}
}

static void
sipmsg_parse1(struct sipmsg *m, struct span start, struct span hdrs,
	      struct span body, int full)
{
	const char *p, *end, *nl, *le, *colon;
	struct sip_header *prev = NULL, skipped;
	enum hdr_id id = HDR_OTHER;
	int in_bad = 0;

	m->kind = SIP_INVALID;
	/* One at a time: a chained assignment reads each span back. */
	m->method = SPAN_NULL;
	m->ruri = SPAN_NULL;
	m->version = SPAN_NULL;
	m->reason = SPAN_NULL;
	m->status = 0;
	m->hdrs = m->inline_hdrs;
	m->nhdrs = 0;
	m->caphdrs = SIPMSG_INLINE_HDRS;
	m->call_id = SPAN_NULL;
	m->cseq = 0;
	m->cseq_method = SPAN_NULL;
	memset(&m->from, 0, sizeof m->from);
	memset(&m->to, 0, sizeof m->to);
	m->body = body;
	m->content_length = -1;
	m->flags = 0;
	m->bad_at = NULL;

	sipmsg_parse_start(m, start);

	p = hdrs.p;
	end = p != NULL ? p + hdrs.n : p;
	while (p < end) {
		nl = find_nl(p, end);
		le = nl != NULL ? nl : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (le == p) {
			/* A blank line inside the block ends any folding. */
			prev = NULL;
			in_bad = 0;
		} else if (sipmsg_is_ws(*p)) {
			if (prev != NULL) {
				/* Folded: the value now runs to this line's
				 * end. Only this line is looked at, so that a
				 * header folded 100k times stays linear. */
				struct span c = sipmsg_trim(p, (size_t)(le - p));

				if (c.n > 0 && prev->value.n == 0)
					prev->value = c;
				else if (c.n > 0)
					prev->value.n =
						(size_t)(c.p + c.n - prev->value.p);
			} else if (!in_bad) {
				/* Continues nothing (or a bad line, which
				 * was flagged already). */
				m->flags |= RECF_BAD_HEADER;
				if (m->bad_at == NULL)
					m->bad_at = p;
				in_bad = 1;
			}
		} else {
			/* A token, optional blanks, a colon: "some words: here"
			 * is text, not a header. One pass over the name. */
			const char *ne = p;

			while (ne < le && sipmsg_is_token((unsigned char)*ne))
				ne++;
			colon = ne;
			while (colon < le && sipmsg_is_ws(*colon))
				colon++;
			if (colon == le || *colon != ':')
				colon = NULL;
			if (colon == NULL || ne == p) {
				m->flags |= RECF_BAD_HEADER;
				if (m->bad_at == NULL)
					m->bad_at = p;
				prev = NULL;
				in_bad = 1;
			} else if (!full && (id = sipmsg_index_id(p,
			    (size_t)(ne - p))) == HDR_OTHER) {
				/* Not kept; its folded lines are still its. */
				skipped.value = (struct span){ colon + 1, 0 };
				prev = &skipped;
				in_bad = 0;
			} else {
				struct sip_header *h = sipmsg_add_header(m);
				const char *v = colon + 1;

				h->name = (struct span){ p, (size_t)(ne - p) };
				h->id = full ? sipmsg_hdr_id(h->name) : id;
				while (v < le && sipmsg_is_ws(*v))
					v++;
				h->value = sipmsg_trim(v, (size_t)(le - v));
				if (h->value.n == 0)
					h->value.p = v;
				prev = h;
				in_bad = 0;
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	sipmsg_pick(m, full);
}

void
sipmsg_parse(struct sipmsg *m, struct span start, struct span hdrs,
	     struct span body)
{
	sipmsg_parse1(m, start, hdrs, body, 1);
}

void
sipmsg_parse_index(struct sipmsg *m, struct span start, struct span hdrs,
		   struct span body)
{
	sipmsg_parse1(m, start, hdrs, body, 0);
}

void
sipmsg_clear(struct sipmsg *m)
{
	if (m->hdrs != m->inline_hdrs)
		free(m->hdrs);
	m->hdrs = m->inline_hdrs;
	m->nhdrs = 0;
	m->caphdrs = SIPMSG_INLINE_HDRS;
}

const struct sip_header *
sipmsg_find(const struct sipmsg *m, enum hdr_id id, size_t idx)
{
	size_t i;

	for (i = 0; i < m->nhdrs; i++) {
		if (m->hdrs[i].id == id && idx-- == 0)
			return &m->hdrs[i];
	}
	return NULL;
}

const struct sip_header *
sipmsg_find_name(const struct sipmsg *m, const char *name, size_t idx)
{
	struct span n = { name, strlen(name) };
	enum hdr_id id = sipmsg_hdr_id(n);
	size_t i;

	if (id != HDR_OTHER)
		return sipmsg_find(m, id, idx);
	for (i = 0; i < m->nhdrs; i++) {
		if (m->hdrs[i].id == HDR_OTHER &&
		    span_ieq_span(m->hdrs[i].name, n) && idx-- == 0)
			return &m->hdrs[i];
	}
	return NULL;
}

/* Offset of the end of a quoted string starting at s.p[i] == '"' (the
 * offset of the closing quote, or s.n when it is unterminated). */
static size_t
sipmsg_skip_quoted(struct span s, size_t i)
{
	for (i++; i < s.n; i++) {
		if (s.p[i] == '\\' && i + 1 < s.n)
			i++;
		else if (s.p[i] == '"')
			return i;
	}
	return s.n;
}

/* Reads ;name=value header parameters from s.p[i] on, up to a comma
 * outside quotes (the next value of a list header). */
static void
sipmsg_addr_params(struct span s, size_t i, struct sip_addr *out)
{
	while (i < s.n) {
		size_t ns, ne, vs, ve;

		while (i < s.n && s.p[i] != ';' && s.p[i] != ',') {
			if (s.p[i] == '"')
				i = sipmsg_skip_quoted(s, i);
			if (i < s.n)
				i++;
		}
		if (i >= s.n || s.p[i] == ',')
			return;
		i++;
		while (i < s.n && sipmsg_is_lws(s.p[i]))
			i++;
		ns = i;
		while (i < s.n && s.p[i] != '=' && s.p[i] != ';' &&
		       s.p[i] != ',' && !sipmsg_is_lws(s.p[i]))
			i++;
		ne = i;
		while (i < s.n && sipmsg_is_lws(s.p[i]))
			i++;
		vs = ve = i;
		if (i < s.n && s.p[i] == '=') {
			i++;
			while (i < s.n && sipmsg_is_lws(s.p[i]))
				i++;
			if (i < s.n && s.p[i] == '"') {
				vs = i + 1;
				i = sipmsg_skip_quoted(s, i);
				ve = i;
				if (i < s.n)
					i++;
			} else {
				vs = i;
				while (i < s.n && s.p[i] != ';' &&
				       s.p[i] != ',' && !sipmsg_is_lws(s.p[i]))
					i++;
				ve = i;
			}
		}
		if (SIPMSG_IS(s.p + ns, ne - ns, "tag") && out->tag.p == NULL)
			out->tag = (struct span){ s.p + vs, ve - vs };
		else if (SIPMSG_IS(s.p + ns, ne - ns, "epid") &&
			 out->epid.p == NULL)
			out->epid = (struct span){ s.p + vs, ve - vs };
	}
}

int
sipmsg_parse_addr(struct span value, struct sip_addr *out)
{
	return sipmsg_addr(value, out, 1);
}

/* full 0: the URI only, what indexing keeps (no parameters, no parts). */
static int
sipmsg_addr(struct span value, struct sip_addr *out, int full)
{
	struct span s;
	size_t i, lt, gt;

	memset(out, 0, sizeof *out);
	if (value.p == NULL)
		return -1;
	s = sipmsg_trim(value.p, value.n);

	i = 0;
	if (s.n > 0 && s.p[0] == '"') {
		i = sipmsg_skip_quoted(s, 0);
		if (i == s.n) {
			/* Unbalanced quote (RFC 4475 quotbal): the <uri>
			 * is still worth showing. */
			for (lt = 1; lt < s.n && s.p[lt] != '<'; lt++)
				;
			if (lt == s.n)
				goto done;
			out->display = sipmsg_trim(s.p + 1, lt - 1);
			goto angle;
		}
		out->display = (struct span){ s.p + 1, i - 1 };
		i++;
		while (i < s.n && sipmsg_is_lws(s.p[i]))
			i++;
		lt = i < s.n && s.p[i] == '<' ? i : s.n;
		if (lt == s.n) {
			/* "Name" sip:x@y - not valid, but the URI is there. */
			lt = i;
			goto bare;
		}
	} else {
		/* A '<' before any ';' makes it a name-addr: in a bare
		 * addr-spec the first ';' starts header parameters, which
		 * may themselves quote a <urn:...>. Unquoted display names
		 * with a comma are common ("Bell, Alexander <sip:...>"), but
		 * a ':' and a ',' before the '<' mean a list of bare URIs. */
		int colon = 0, comma = 0;

		for (lt = 0; lt < s.n; lt++) {
			if (s.p[lt] == '<' || s.p[lt] == ';' || s.p[lt] == '"')
				break;
			if (s.p[lt] == ':')
				colon = 1;
			else if (s.p[lt] == ',')
				comma = 1;
		}
		if (lt == s.n || s.p[lt] != '<' || (colon && comma)) {
			lt = 0;
			goto bare;
		}
		out->display = sipmsg_trim(s.p, lt);
	}
angle:
	/* <uri> */
	{
		const char *g = lt + 1 < s.n ?
		    memchr(s.p + lt + 1, '>', s.n - lt - 1) : NULL;

		gt = g != NULL ? (size_t)(g - s.p) : s.n;
	}
	out->uri = sipmsg_trim(s.p + lt + 1, gt - lt - 1);
	if (gt < s.n && full)
		sipmsg_addr_params(s, gt + 1, out);
	goto done;
bare:
	/* addr-spec: the URI ends at the first ';', ',' or space; what
	 * follows are header parameters (RFC 3261 20.10). */
	for (gt = lt; gt < s.n; gt++) {
		if (s.p[gt] == ';' || s.p[gt] == ',' || sipmsg_is_lws(s.p[gt]))
			break;
	}
	out->uri = (struct span){ s.p + lt, gt - lt };
	if (full)
		sipmsg_addr_params(s, gt, out);
done:
	if (out->uri.n == 0) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	if (full)
		sipmsg_uri_parts(out->uri, &out->user, &out->host);
	return 0;
}

void
sipmsg_uri_parts(struct span uri, struct span *user, struct span *host)
{
	const char *p = uri.p;
	size_t n = uri.n, i, at, e;
	int tel = 0;

	*user = *host = SPAN_NULL;
	if (p == NULL || n == 0)
		return;
	if (n >= 4 && sipmsg_ieq_lit(p, "sip:", 4))
		i = 4;
	else if (n >= 5 && sipmsg_ieq_lit(p, "sips:", 5))
		i = 5;
	else if (n >= 4 && sipmsg_ieq_lit(p, "tel:", 4)) {
		i = 4;
		tel = 1;
	} else if (n >= 3 && sipmsg_ieq_lit(p, "im:", 3))
		i = 3;
	else if (n >= 5 && sipmsg_ieq_lit(p, "pres:", 5))
		i = 5;
	else
		i = 0;
	p += i;
	n -= i;

	if (tel) {
		/* tel:+1-555-0100;phone-context=... : the number is the user */
		for (e = 0; e < n && p[e] != ';' && p[e] != '?'; e++)
			;
		*user = (struct span){ p, e };
		host->p = p + e;
		return;
	}
	/* Userinfo may hold ';' (user parameters) but never a bare '@'. */
	at = n;
	for (i = 0; i < n; i++) {
		if (p[i] == '@') {
			at = i;
			break;
		}
	}
	if (at < n) {
		for (e = 0; e < at && p[e] != ':'; e++)
			;
		*user = (struct span){ p, e };
		p += at + 1;
		n -= at + 1;
	} else
		user->p = p;
	if (n > 0 && p[0] == '[') {
		/* IPv6 reference: [::1]:5060 */
		for (e = 1; e < n && p[e] != ']'; e++)
			;
		if (e < n)
			e++;
		while (e < n && p[e] != ';' && p[e] != '?')
			e++;
	} else {
		for (e = 0; e < n && p[e] != ';' && p[e] != '?'; e++)
			;
	}
	*host = (struct span){ p, e };
}

void
sipmsg_summary(const struct sipmsg *m, struct strbuf *out)
{
	switch (m->kind) {
	case SIP_REQUEST:
		strbuf_add(out, m->method.p, m->method.n);
		strbuf_addc(out, ' ');
		strbuf_add(out, m->ruri.p, m->ruri.n);
		break;
	case SIP_RESPONSE:
		strbuf_addf(out, "%d", m->status);
		if (m->reason.n > 0) {
			strbuf_addc(out, ' ');
			strbuf_add(out, m->reason.p, m->reason.n);
		}
		break;
	default:
		/* Not understood: show the start line as it is. */
		strbuf_add(out, m->reason.p, m->reason.n);
		break;
	}
}

int
sipmsg_has_sdp(const struct sipmsg *m)
{
	const struct sip_header *h = sipmsg_find(m, HDR_CONTENT_TYPE, 0);
	struct span v;

	if (h == NULL || m->body.n == 0)
		return 0;
	v = h->value;
	if (span_istarts(v, "application/sdp"))
		return v.n == 15 || v.p[15] == ';' || sipmsg_is_ws(v.p[15]);
	/* Lync sends INVITE offers as multipart/alternative with an SDP part. */
	if (span_istarts(v, "multipart/"))
		return span_ifind(m->body, "application/sdp", 15) >= 0;
	return 0;
}

int
sipmsg_next_addr(struct span *rest, struct sip_addr *out)
{
	size_t k = 0;
	int inq = 0, ina = 0;

	while (rest->n > 0 && (rest->p[0] == ',' || rest->p[0] == ' ' ||
	    rest->p[0] == '\t' || rest->p[0] == '\r' || rest->p[0] == '\n')) {
		rest->p++;
		rest->n--;
	}
	if (rest->n == 0)
		return 0;
	while (k < rest->n && (inq || ina || rest->p[k] != ',')) {
		if (rest->p[k] == '"')
			inq = !inq;
		else if (!inq && rest->p[k] == '<')
			ina = 1;
		else if (!inq && rest->p[k] == '>')
			ina = 0;
		k++;
	}
	if (sipmsg_parse_addr((struct span){ rest->p, k }, out) != 0)
		memset(out, 0, sizeof *out);
	rest->p += k;
	rest->n -= k;
	return 1;
}

/* The host of host[:port] or [v6]:port, without the port. */
static struct span
sipmsg_host_only(struct span h)
{
	size_t i;

	if (h.n > 0 && h.p[0] == '[') {
		for (i = 0; i < h.n && h.p[i] != ']'; i++)
			;
		h.n = i < h.n ? i + 1 : h.n;
		return h;
	}
	for (i = 0; i < h.n && h.p[i] != ':'; i++)
		;
	h.n = i;
	return h;
}

static int
sipmsg_same_party(struct span user, struct span host, struct span uri)
{
	struct span u, h;

	sipmsg_uri_parts(uri, &u, &h);
	return span_ieq_span(user, u) &&
	    span_ieq_span(sipmsg_host_only(host), sipmsg_host_only(h));
}

int
sipmsg_other_party(const struct sipmsg *m)
{
	static const enum hdr_id ids[] = { HDR_CONTACT,
		HDR_P_ASSERTED_IDENTITY, HDR_REFERRED_BY };
	const struct sip_header *h;
	struct sip_addr a;
	struct span rest, user, host;
	size_t i, j;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		for (j = 0; (h = sipmsg_find(m, ids[i], j)) != NULL; j++) {
			rest = h->value;
			while (sipmsg_next_addr(&rest, &a)) {
				sipmsg_uri_parts(a.uri, &user, &host);
				if (user.n == 0)
					continue;
				if (!sipmsg_same_party(user, host, m->from.uri) &&
				    !sipmsg_same_party(user, host, m->to.uri))
					return 1;
			}
		}
	}
	return 0;
}
