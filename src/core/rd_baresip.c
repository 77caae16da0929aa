/* rd_baresip: baresip's SIP trace (sip_trace on): each message printed as
 * "#" (newer releases "HH:MM:SS.mmm#"), then "UDP 1.2.3.4:5060 ->
 * 5.6.7.8:5060", then the bytes, the whole wrapped in ANSI colour escapes
 * (sip_trace_handler() in baresip's ua.c). The escapes are stripped, so the
 * message text is rebuilt and the file converted into canonical records. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* Longest header or address line looked at. */
#define RD_BARESIP_LINE_MAX 512

/* Length of the escape sequence at p[0..n) (p[0] is ESC): CSI "ESC [
 * params final", or ESC and one byte. */
static size_t
rd_baresip_esc(const char *p, size_t n)
{
	size_t i;

	if (n < 2)
		return n;
	if (p[1] != '[')
		return 2;
	for (i = 2; i < n; i++) {
		if ((unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e)
			return i + 1;
		if ((unsigned char)p[i] < 0x20)
			return i;	/* broken: stop before a control */
	}
	return n;
}

/* Appends p[0..n) to out without its escape sequences. */
static void
rd_baresip_strip(struct strbuf *out, const char *p, size_t n)
{
	const char *e = p + n, *esc;

	while (p < e) {
		esc = memchr(p, '\x1b', (size_t)(e - p));
		if (esc == NULL) {
			strbuf_add(out, p, (size_t)(e - p));
			return;
		}
		strbuf_add(out, p, (size_t)(esc - p));
		p = esc + rd_baresip_esc(esc, (size_t)(e - esc));
	}
}

/* Whether clean line p[0..n) is the "#" or "HH:MM:SS.mmm#" line; fills
 * rec's time. */
static int
rd_baresip_hash(const char *p, size_t n, struct rd_record *rec)
{
	int64_t tod;
	int prec;
	size_t i;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	if (n == 0 || p[n - 1] != '#')
		return 0;
	n--;
	if (n == 0)
		return 1;
	if ((tod = rd_clock(p, n, 0, ".", &prec, &i)) < 0 || i != n)
		return 0;
	if (rec != NULL) {
		rec->time = time_from_civil(1970, 1, 1, 0, 0, 0, 0) + tod;
		rec->time_prec = prec;
		rec->has_date = 0;
	}
	return 1;
}

/* Whether clean line p[0..n) is "TRANSPORT SRC -> DST"; fills rec's
 * transport and addresses (pointing into p). */
static int
rd_baresip_addrs(const char *p, size_t n, struct rd_record *rec)
{
	const char *sp, *arrow, *e;
	size_t tn;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	e = p + n;
	sp = memchr(p, ' ', n);
	if (sp == NULL)
		return 0;
	tn = (size_t)(sp - p);
	if (!((tn == 3 && (memcmp(p, "UDP", 3) == 0 ||
	    memcmp(p, "TCP", 3) == 0 || memcmp(p, "TLS", 3) == 0)) ||
	    (tn == 2 && memcmp(p, "WS", 2) == 0) ||
	    (tn == 3 && memcmp(p, "WSS", 3) == 0)))
		return 0;
	arrow = memmem(sp + 1, (size_t)(e - sp - 1), " -> ", 4);
	if (arrow == NULL || arrow == sp + 1 || arrow + 4 >= e ||
	    memchr(sp + 1, ' ', (size_t)(arrow - sp - 1)) != NULL ||
	    memchr(arrow + 4, ' ', (size_t)(e - arrow - 4)) != NULL)
		return 0;
	if (rec != NULL) {
		rec->transport.p = p;
		rec->transport.n = tn;
		rec->src.p = sp + 1;
		rec->src.n = (size_t)(arrow - sp - 1);
		rec->dst.p = arrow + 4;
		rec->dst.n = (size_t)(e - arrow - 4);
	}
	return 1;
}

/* Clean text of line p[0..n) in sb (reset first), escapes removed. */
static void
rd_baresip_clean(struct strbuf *sb, const char *p, size_t n)
{
	strbuf_reset(sb);
	if (n > RD_BARESIP_LINE_MAX)
		n = RD_BARESIP_LINE_MAX;
	rd_baresip_strip(sb, p, n);
	if (sb->buf == NULL)
		strbuf_add(sb, "", 0);
}

static int
rd_baresip_probe(const char *p, size_t n)
{
	struct strbuf a, b;
	size_t i = 0, eol, eol2;
	const char *nl, *nl2;
	int score = 0;

	strbuf_init(&a);
	strbuf_init(&b);
	while (i < n && score == 0) {
		nl = memchr(p + i, '\n', n - i);
		if (nl == NULL)
			break;
		eol = (size_t)(nl - p);
		rd_baresip_clean(&a, p + i, eol - i);
		if (rd_baresip_hash(a.buf, a.len, NULL)) {
			nl2 = memchr(p + eol + 1, '\n', n - eol - 1);
			eol2 = nl2 != NULL ? (size_t)(nl2 - p) : n;
			rd_baresip_clean(&b, p + eol + 1, eol2 - eol - 1);
			if (rd_baresip_addrs(b.buf, b.len, NULL))
				score = 90;
		}
		i = eol + 1;
	}
	strbuf_free(&a);
	strbuf_free(&b);
	/* Only the start-up banner so far. */
	if (score == 0 && n >= 9 && memcmp(p, "baresip v", 9) == 0)
		score = 40;
	return score;
}

static int
rd_baresip_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	}
	return 1;
}

/* Whether the line at p opens a trace block (its "#" line and address
 * line); a and b are scratch. */
static int
rd_baresip_head(struct reader *r, size_t p, struct strbuf *a,
    struct strbuf *b)
{
	size_t eol, next, eol2, next2;

	eol = reader_line_end(r, p, &next);
	rd_baresip_clean(a, r->data + p, eol - p);
	if (!rd_baresip_hash(a->buf, a->len, NULL) || next >= r->len)
		return 0;
	eol2 = reader_line_end(r, next, &next2);
	rd_baresip_clean(b, r->data + next, eol2 - next);
	return rd_baresip_addrs(b->buf, b->len, NULL);
}

/* Addresses baresip lists at start-up as its own. */
#define RD_BARESIP_LOCALS 16

struct rd_baresip_locals {
	struct span ip[RD_BARESIP_LOCALS];
	size_t n;
};

/* Reads the start-up banner's "Local network addresses:" list (one
 * "  eth0:  192.0.2.10" line each) when the log has it. */
static void
rd_baresip_find_locals(const struct reader *r, struct rd_baresip_locals *l)
{
	const char *d = r->data, *m, *c;
	size_t p, eol, next, i, e;

	l->n = 0;
	m = memmem(d, r->len, "Local network addresses:", 24);
	if (m == NULL)
		return;
	reader_line_end(r, (size_t)(m - d), &p);
	for (; p < r->len && l->n < RD_BARESIP_LOCALS; p = next) {
		eol = reader_line_end(r, p, &next);
		e = eol;
		while (e > p && (d[e - 1] == '\r' || d[e - 1] == ' '))
			e--;
		for (i = p; i < e && d[i] == ' '; i++)
			;
		/* "ifname:  address": the interface, then the address. */
		c = i > p ? memchr(d + i, ':', e - i) : NULL;
		if (c == NULL || (size_t)(c - d) + 2 >= e || c[1] != ' ')
			break;
		for (i = (size_t)(c - d) + 1; i < e && d[i] == ' '; i++)
			;
		if (i >= e || memchr(d + i, ' ', e - i) != NULL)
			break;
		l->ip[l->n].p = d + i;
		l->ip[l->n].n = e - i;
		l->n++;
	}
}

/* Whether the host of endpoint a ("1.2.3.4:5060", "[::1]:5060") is one of
 * the local addresses. */
static int
rd_baresip_is_local(const struct rd_baresip_locals *l, struct span a)
{
	size_t i, n = a.n;
	const char *h = a.p;

	if (n > 0 && h[0] == '[') {
		for (i = 1; i < n && h[i] != ']'; i++)
			;
		h++;
		n = i - 1;
	} else {
		for (i = n; i > 0 && h[i - 1] != ':'; i--)
			;
		if (i > 0)
			n = i - 1;
	}
	for (i = 0; i < l->n; i++) {
		if (l->ip[i].n == n && memcmp(l->ip[i].p, h, n) == 0)
			return 1;
	}
	return 0;
}

static int
rd_baresip_transform(struct reader *r, struct strbuf *out, char **err)
{
	const char *d = r->data, *esc;
	size_t p = r->pos, eol, next, msg, q, lim, end, body0, k;
	uint32_t line = r->line, hline;
	struct strbuf a, b, m;
	struct rd_record rec;
	struct rd_baresip_locals locals;
	size_t junk = 0;
	struct rd_tod roll;
	int has_cl, found = 0;

	(void)err;
	strbuf_init(&a);
	strbuf_init(&b);
	strbuf_init(&m);
	memset(&roll, 0, sizeof roll);
	/* The trace does not say which way a message went; the addresses
	 * baresip calls its own do. */
	rd_baresip_find_locals(r, &locals);
	while (p < r->len) {
		reader_release(r, p);
		if (!rd_baresip_head(r, p, &a, &b)) {
			/* rd_baresip_head() left the clean line in a. */
			reader_line_end(r, p, &next);
			if (!rd_baresip_blank(a.buf, a.len))
				junk++;
			line++;
			p = next;
			continue;
		}
		if (junk != 0) {
			/* baresip's own log lines between messages. */
			r->stats.junk_lines += junk;
			junk = 0;
		}
		found = 1;
		hline = line;
		memset(&rec, 0, sizeof rec);
		rec.kind = REC_SIP;
		rec.line = hline;
		rec.time = TIME_NONE;
		/* The stamp is a time of day. */
		rd_baresip_hash(a.buf, a.len, &rec);
		rec.time = rd_tod_roll(&roll, rec.time);
		rec.tod_only = rec.time != TIME_NONE;
		reader_line_end(r, p, &next);
		eol = reader_line_end(r, next, &msg);
		line += 2;
		/* The message ends where the colour is reset (ESC after the
		 * bytes), or at the next block when the log has no colour. */
		lim = r->len;
		for (q = msg; q < r->len; q = next) {
			eol = reader_line_end(r, q, &next);
			esc = memchr(d + q, '\x1b', eol - q);
			if (esc != NULL && (size_t)(esc - d) >= msg) {
				lim = (size_t)(esc - d);
				break;
			}
			if (q > msg && rd_baresip_head(r, q, &a, &b)) {
				lim = q;
				break;
			}
		}
		/* The address line again, for the record's spans. */
		reader_line_end(r, p, &next);
		eol = reader_line_end(r, next, &k);
		rd_baresip_clean(&b, d + next, eol - next);
		strbuf_reset(&m);
		rd_baresip_strip(&m, d + msg, lim > msg ? lim - msg : 0);
		if (m.buf == NULL)
			strbuf_add(&m, "", 0);
		if (m.len == 0) {
			rec.start.p = rec.hdrs.p = rec.body.p = m.buf;
			rec.flags |= RECF_TRUNCATED;
		} else {
			end = rd_raw_split(m.buf, 0, m.len, &rec, &has_cl);
			(void)end;
			body0 = (size_t)(rec.body.p - m.buf);
			if (!has_cl) {
				/* Less the line end the trace adds. */
				while (rec.body.n > 0 && (m.buf[body0 +
				    rec.body.n - 1] == '\n' || m.buf[body0 +
				    rec.body.n - 1] == '\r'))
					rec.body.n--;
			}
		}
		rd_baresip_addrs(b.buf, b.len, &rec);
		if (rd_baresip_is_local(&locals, rec.src))
			rec.dir = DIR_OUT;
		else if (rd_baresip_is_local(&locals, rec.dst))
			rec.dir = DIR_IN;
		rec.hdrs.p = rec.start.p + rec.start.n;
		rec.hdrs.n = (size_t)(rec.body.p - rec.hdrs.p);
		if (rec.flags & RECF_TRUNCATED)
			reader_warn(r, hline, "message cut short (kept, "
			    "flagged truncated)");
		rd_canon_emit(out, &rec);
		reader_spill(r, out);
		/* Count the lines up to where the next search starts: the
		 * line holding the end of the message. */
		if (lim >= r->len)
			p = r->len;
		else {
			for (q = msg; q < lim; q = next) {
				reader_line_end(r, q, &next);
				if (next > lim)
					break;
				line++;
			}
			p = q;
			if (p < lim) {
				/* The rest of the line after the reset. */
				reader_line_end(r, p, &next);
				p = next;
				line++;
			}
		}
	}
	r->stats.junk_lines += junk;
	strbuf_free(&a);
	strbuf_free(&b);
	strbuf_free(&m);
	reader_advance(r, r->len);
	return found ? 0 : -1;
}

const struct rd_format rd_baresip_format = {
	.name = "baresip",
	.desc = "baresip SIP trace (sip_trace, ANSI colours stripped)",
	.probe = rd_baresip_probe,
	.next = NULL,
	.state_size = 0,
	.transform = rd_baresip_transform,
};
