/* rd_ngrep: ngrep's output with -W byline ("ngrep -t -W byline port 5060"),
 * the oldest way to watch SIP on a server. Each packet is a line "U
 * [2025/03/11 09:15:11.204118 ]SRC:PORT -> DST:PORT" (T and " [AP]" for
 * TCP), then its payload with every byte that is not printable, CR among
 * them, written as '.', then a blank line; "#" marks packets that did not
 * match, and a banner (interface:, filter:) opens the output.
 *
 * Byte for byte, a '.' before a line end is the CR of a CRLF line, so the
 * message is rebuilt with its CRs (Content-Length counts right again) and
 * written as a canonical record: the format is a transform. One TCP
 * segment may hold several messages, and one message may run over several
 * segments of the same connection. IPv6 addresses, which ngrep writes with
 * their port after a colon, become "[2001:db8::1]:5060". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* Longest address "[v6]:port" kept. */
#define RD_NG_ADDR 64
/* Most bytes of a message held while it runs over TCP segments (as
 * rd_pcap's RD_PCAP_TCP_MAX): past that it is kept cut short. */
#define RD_NG_HELD_MAX (4u << 20)

/* What a packet's header line says. */
struct rd_ng_head {
	char proto;		/* 'U', 'T', or another of ngrep's letters */
	int64_t time;		/* TIME_NONE without -t */
	char src[RD_NG_ADDR];
	char dst[RD_NG_ADDR];
	/* An IP fragment, "4242@0:1472" (the first, with the ports) or
	 * "+4242@1480:913" (a later one, without): 1 or 2, 0 for none. */
	int frag;
	unsigned long frag_id, frag_off;
};

/* The address word p[0..n) of a header line as the other formats write
 * it: an IPv6 address gets brackets around all before its port. */
static void
rd_ng_addr(const char *p, size_t n, char *out)
{
	const char *c = memchr(p, ':', n), *last = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == ':')
			last = p + i;
	}
	if (c != NULL && c != last && p[0] != '[')
		snprintf(out, RD_NG_ADDR, "[%.*s]%.*s", (int)(last - p), p,
		    (int)(p + n - last), last);
	else
		snprintf(out, RD_NG_ADDR, "%.*s", (int)n, p);
}

/* Length of an address word at p[0..n): hex digits, dots and colons (an
 * IPv4 or IPv6 address, with or without its port). */
static size_t
rd_ng_word(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!rd_digit(p[i]) && p[i] != '.' && p[i] != ':' &&
		    !(p[i] >= 'a' && p[i] <= 'f') &&
		    !(p[i] >= 'A' && p[i] <= 'F'))
			break;
	}
	return i;
}

/* Whether word p[0..n) is an address: dotted or with colons. */
static int
rd_ng_addrlike(const char *p, size_t n)
{
	return memchr(p, '.', n) != NULL || memchr(p, ':', n) != NULL;
}

/* Reads a fragment field "[+]id@offset:len" at p[0..n) (up to the next
 * space) into h; nothing when it is not one. */
static void
rd_ng_frag(const char *p, size_t n, struct rd_ng_head *h)
{
	unsigned long v[3] = { 0, 0, 0 };
	size_t i = 0, k, s;
	int later = 0;

	if (i < n && p[i] == '+') {
		later = 1;
		i++;
	}
	for (k = 0; k < 3; k++) {
		for (s = i; i < n && rd_digit(p[i]) && i - s < 9; i++)
			v[k] = v[k] * 10 + (unsigned long)(p[i] - '0');
		if (i == s || (k < 2 && (i >= n || p[i] != "@:"[k])))
			return;
		if (k < 2)
			i++;
	}
	if (i < n && p[i] != ' ')
		return;
	h->frag = later ? 2 : 1;
	h->frag_id = v[0];
	h->frag_off = v[1];
}

/* Parses a packet header line p[0..n) ("U 1.2.3.4:5060 -> 5.6.7.8:5060",
 * after the letter "(17)" with -p, the time "2025/03/11 09:15:11.204118"
 * with -t or "+0.000123" with -T, " [AP]" after a TCP one); h may be NULL.
 * Returns 1 when the line is one. */
static int
rd_ng_head(const char *p, size_t n, struct rd_ng_head *h)
{
	static const char letters[] = "UTIG?";
	size_t i = 1, a, an, b, bn, k;
	int y, mo, d, hh, mi, s;
	long us = 0;
	int64_t t = TIME_NONE;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	if (n < 10 || strchr(letters, p[0]) == NULL)
		return 0;
	if (p[1] == '(') {
		for (i = 2; i < n && rd_digit(p[i]); i++)
			;
		if (i == 2 || i >= n || p[i] != ')')
			return 0;
		i++;
	}
	if (i >= n || p[i] != ' ')
		return 0;
	i++;
	if (n - i >= 27 && p[i + 4] == '/' && p[i + 7] == '/' &&
	    p[i + 10] == ' ' && p[i + 13] == ':' && p[i + 16] == ':' &&
	    p[i + 19] == '.' && p[i + 26] == ' ') {
		if (rd_num(p, n, i, 4, &y) || rd_num(p, n, i + 5, 2, &mo) ||
		    rd_num(p, n, i + 8, 2, &d) || rd_num(p, n, i + 11, 2, &hh) ||
		    rd_num(p, n, i + 14, 2, &mi) ||
		    rd_num(p, n, i + 17, 2, &s))
			return 0;
		for (k = 20; k < 26; k++) {
			if (!rd_digit(p[i + k]))
				return 0;
			us = us * 10 + (p[i + k] - '0');
		}
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 ||
		    mi > 59 || s > 60)
			return 0;
		t = time_from_civil(y, mo, d, hh, mi, s, us);
		i += 27;
	} else if (p[i] == '+') {
		/* -T: the time since the packet before, not kept. */
		for (k = i + 1; k < n && (rd_digit(p[k]) || p[k] == '.'); k++)
			;
		if (k == i + 1 || k >= n || p[k] != ' ')
			return 0;
		i = k + 1;
	}
	a = i;
	an = rd_ng_word(p + a, n - a);
	if (an == 0 || n - a - an < 5 || memcmp(p + a + an, " -> ", 4) != 0)
		return 0;
	b = a + an + 4;
	bn = rd_ng_word(p + b, n - b);
	if (bn == 0)
		return 0;
	if (!rd_ng_addrlike(p + a, an) || !rd_ng_addrlike(p + b, bn))
		return 0;
	/* TCP flags "[AP]", an IP fragment "+id@off:len", ICMP's type and
	 * code "3:1": nothing else follows. */
	for (k = b + bn; k < n; k++) {
		if (p[k] != ' ' && p[k] != '[' && p[k] != ']' &&
		    p[k] != '+' && p[k] != '@' && p[k] != ':' &&
		    !rd_digit(p[k]) && !(p[k] >= 'A' && p[k] <= 'Z'))
			return 0;
	}
	if (h == NULL)
		return 1;
	h->proto = p[0];
	h->time = t;
	rd_ng_addr(p + a, an, h->src);
	rd_ng_addr(p + b, bn, h->dst);
	h->frag = 0;
	for (k = b + bn; k < n; k++) {
		if (p[k] != ' ' || k + 1 >= n || (p[k + 1] != '+' &&
		    !rd_digit(p[k + 1])))
			continue;
		rd_ng_frag(p + k + 1, n - k - 1, h);
	}
	return 1;
}

/* Whether line p[0..n) is a run of '#', ngrep's mark for each packet that
 * did not match. */
static int
rd_ng_marks(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] == '#'; i++)
		;
	return i > 0 && i == n;
}

static int
rd_ng_probe(const char *p, size_t n)
{
	size_t i = 0, eol, next, eol2, k;
	const char *nl;
	int heads = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		next = nl != NULL ? eol + 1 : n;
		if (rd_ng_head(p + i, eol - i, NULL)) {
			heads++;
			nl = memchr(p + next, '\n', n - next);
			eol2 = nl != NULL ? (size_t)(nl - p) : n;
			/* byline writes the CR of a start line as '.'. */
			k = eol2;
			if (k > next && p[k - 1] == '\r')
				k--;
			if (k > next && p[k - 1] == '.' &&
			    rd_raw_is_start(p + next, k - 1 - next))
				return 95;
		}
		i = next;
	}
	return heads >= 2 ? 40 : 0;
}

/* The packets of one TCP connection are joined while a message runs over
 * them: the bytes not yet made into messages, and whose they are. */
struct rd_ng_ctx {
	struct reader *r;
	struct strbuf *out;
	struct strbuf pay;	/* the current packet's payload, rebuilt */
	struct strbuf held;	/* the start of a message cut by a segment */
	struct rd_ng_head hh;	/* the header of the held bytes */
	uint32_t hline;		/* and its line */
	size_t need;		/* their length once whole; 0: not known */
	size_t hscan;		/* where to look on for their header end */
	size_t records;
	size_t other;		/* packets that hold no SIP message */
	uint32_t other_line;	/* the first of them */
	int unwrapped;		/* a packet without -W byline was seen */
};

/* Rebuilds the payload of lines [p, end): each line's '.' before its line
 * end was a CR when the message's first line ends with one (SIP lines end
 * with CRLF); lf says whether the payload's last line ended with a line
 * feed of its own. A '.' that ends the payload without one is a CR too: a
 * TCP segment may end between the CR and the LF. */
static void
rd_ng_payload(struct rd_ng_ctx *c, size_t p, size_t end, int lf)
{
	const char *d = c->r->data;
	size_t eol, next, n;
	int crlf = -1;

	strbuf_reset(&c->pay);
	while (p < end) {
		eol = reader_line_end(c->r, p, &next);
		if (eol > end)
			eol = end;
		n = eol - p;
		if (n > 0 && d[p + n - 1] == '\r')
			n--;
		if (crlf < 0 && n > 0)
			crlf = d[p + n - 1] == '.';
		if (crlf == 1 && n > 0 && d[p + n - 1] == '.') {
			strbuf_add(&c->pay, d + p, n - 1);
			strbuf_addc(&c->pay, '\r');
		} else
			strbuf_add(&c->pay, d + p, n);
		if (next < end || lf)
			strbuf_addc(&c->pay, '\n');
		p = next;
	}
}

/* Whether the payload is only blank lines and CRLFs (a keep-alive). */
static int
rd_ng_keepalive(const struct strbuf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++) {
		if (b->buf[i] != '\r' && b->buf[i] != '\n' &&
		    b->buf[i] != ' ')
			return 0;
	}
	return 1;
}

/* Writes the message at msg[0..n) as a record of packet h (at line), and
 * returns the offset after it; *cut says it ran past n. */
static size_t
rd_ng_emit(struct rd_ng_ctx *c, const struct rd_ng_head *h, uint32_t line,
    const char *msg, size_t n, int *cut)
{
	struct rd_record rec;
	size_t used;
	int has_cl;

	memset(&rec, 0, sizeof rec);
	rec.kind = REC_SIP;
	rec.line = line;
	used = rd_raw_split(msg, 0, n, &rec, &has_cl);
	*cut = (rec.flags & RECF_TRUNCATED) != 0;
	rec.time = h->time;
	rec.time_prec = h->time != TIME_NONE ? 6 : 0;
	rec.has_date = h->time != TIME_NONE;
	rec.dir = DIR_UNKNOWN;
	rec.src = (struct span){ h->src, strlen(h->src) };
	rec.dst = (struct span){ h->dst, strlen(h->dst) };
	if (h->proto == 'T')
		rec.transport = (struct span){ "TCP", 3 };
	else if (h->proto == 'U')
		rec.transport = (struct span){ "UDP", 3 };
	if (*cut)
		reader_warn(c->r, line, "message cut short (kept, flagged "
		    "truncated)");
	rd_canon_emit(c->out, &rec);
	reader_spill(c->r, c->out);
	c->records++;
	return used;
}

/* Offset of the first line of b[p..n) that is not blank. */
static size_t
rd_ng_skip_blank(const char *b, size_t p, size_t n)
{
	size_t q = p;

	while (q < n && (b[q] == '\r' || b[q] == '\n' || b[q] == ' ')) {
		if (b[q] == '\n')
			p = q + 1;
		q++;
	}
	return q >= n ? n : p;
}

static int
rd_ng_start_at(const char *b, size_t p, size_t n)
{
	const char *nl = memchr(b + p, '\n', n - p);

	return rd_raw_is_start(b + p, nl != NULL ? (size_t)(nl - b) - p :
	    n - p);
}

/* Sets c->need for the held start of a message: its length once whole
 * (the end of its header block and its Content-Length), or 0 while the
 * header block has not ended. The end is looked for only in the bytes not
 * looked at before (c->hscan): a message over many segments is read once,
 * not again with each segment. */
static void
rd_ng_need(struct rd_ng_ctx *c)
{
	const char *b = c->held.buf, *nl;
	size_t n = c->held.len, q, hend = 0, p, eol, len;
	long long cl = -1;

	c->need = 0;
	for (q = c->hscan > 1 ? c->hscan : 1; q < n; q++) {
		if (b[q - 1] != '\n')
			continue;
		if (b[q] == '\n')
			hend = q + 1;
		else if (b[q] == '\r' && q + 1 < n && b[q + 1] == '\n')
			hend = q + 2;
		if (hend != 0)
			break;
	}
	if (hend == 0) {
		c->hscan = n > 1 ? n - 1 : 1;
		return;
	}
	/* The header lines, after the start line, before the blank one. */
	nl = memchr(b, '\n', n);
	for (p = (size_t)(nl - b) + 1; p < q && cl < 0; p = eol + 1) {
		nl = memchr(b + p, '\n', q - p);
		eol = nl != NULL ? (size_t)(nl - b) : q;
		len = eol - p;
		if (len > 0 && b[eol - 1] == '\r')
			len--;
		cl = rd_raw_content_length(b + p, len);
	}
	/* A body past the cap is never held whole (rd_ng_packet). */
	c->need = cl < 0 ? hend : cl > (long long)RD_NG_HELD_MAX ? SIZE_MAX :
	    hend + (size_t)cl;
}

/* Writes the held start of a message as it is, cut short. */
static void
rd_ng_flush(struct rd_ng_ctx *c)
{
	int cut;

	if (c->held.len == 0)
		return;
	rd_ng_emit(c, &c->hh, c->hline, c->held.buf, c->held.len, &cut);
	strbuf_reset(&c->held);
}

/* Whether address a, without its port (an IP fragment's), is the host of
 * address full, "1.2.3.4:5060". */
static int
rd_ng_same_host(const char *full, const char *a)
{
	size_t n = strlen(a);

	return strncmp(full, a, n) == 0 && full[n] == ':';
}

/* Whether the UDP packet h is the next IP fragment of the datagram whose
 * first fragment held holds held bytes of (past its 8-byte UDP header):
 * ngrep writes each fragment as a packet of its own, the later ones
 * without ports ("U ... 1.2.3.4 -> 5.6.7.8 +4242@1480:913"). A large
 * INVITE over UDP is cut in two so. */
static int
rd_ng_next_frag(const struct rd_ng_head *held, size_t bytes,
    const struct rd_ng_head *h)
{
	return h->proto == 'U' && held->proto == 'U' && held->frag == 1 &&
	    h->frag == 2 && h->frag_id == held->frag_id &&
	    h->frag_off == bytes + 8 && rd_ng_same_host(held->src, h->src) &&
	    rd_ng_same_host(held->dst, h->dst);
}

/* Makes the messages of one packet (header h at line) out of c->pay. */
static void
rd_ng_packet(struct rd_ng_ctx *c, const struct rd_ng_head *h, uint32_t line)
{
	const char *b;
	size_t p, n, used;
	int cut, tcp = h->proto == 'T';

	if (c->held.len != 0) {
		/* The rest of a message whose start came in a segment of
		 * the same connection before, or in the datagram's first
		 * fragment. */
		if ((tcp && strcmp(h->src, c->hh.src) == 0 &&
		    strcmp(h->dst, c->hh.dst) == 0 &&
		    !rd_ng_start_at(c->pay.buf, 0, c->pay.len) &&
		    !rd_ng_keepalive(&c->pay)) ||
		    rd_ng_next_frag(&c->hh, c->held.len, h)) {
			struct strbuf t;

			strbuf_add(&c->held, c->pay.buf, c->pay.len);
			strbuf_reset(&c->pay);
			if (c->need == 0)
				rd_ng_need(c);
			if (c->need == 0 || c->held.len < c->need) {
				/* Not whole yet. */
				if (c->held.len > RD_NG_HELD_MAX)
					rd_ng_flush(c);
				return;
			}
			t = c->pay;
			c->pay = c->held;
			c->held = t;
			h = &c->hh;
			line = c->hline;
		} else
			rd_ng_flush(c);
	}
	b = c->pay.buf;
	n = c->pay.len;
	if (n == 0 || rd_ng_keepalive(&c->pay))
		return;
	p = 0;
	if (!rd_ng_start_at(b, 0, n)) {
		/* Without -W byline ngrep writes a packet on one line, its
		 * line breaks as dots: they cannot be told from the dots of
		 * the message. */
		if (memmem(b, n, " SIP/2.0..", 10) != NULL ||
		    (n > 10 && memcmp(b, "SIP/2.0 ", 8) == 0))
			c->unwrapped = 1;
		if (c->other++ == 0)
			c->other_line = line;
		return;
	}
	while (p < n) {
		if (tcp || (h->proto == 'U' && h->frag == 1 && p == 0)) {
			/* A message cut by the segment's end waits for the
			 * next segment of its connection, one cut by the
			 * first fragment's end for the next fragment. */
			struct rd_record probe;
			int has_cl;

			memset(&probe, 0, sizeof probe);
			rd_raw_split(b, p, n, &probe, &has_cl);
			if (probe.flags & RECF_TRUNCATED) {
				strbuf_reset(&c->held);
				strbuf_add(&c->held, b + p, n - p);
				c->hh = *h;
				c->hline = line;
				c->hscan = 0;
				rd_ng_need(c);
				return;
			}
		}
		used = rd_ng_emit(c, h, line, b + p, n - p, &cut);
		p += used;
		p = rd_ng_skip_blank(b, p, n);
		if (p < n && !rd_ng_start_at(b, p, n)) {
			/* Lines after the message that start no other:
			 * ngrep's closing lines after the last packet. */
			c->r->stats.junk_lines += b[n - 1] != '\n';
			for (; p < n; p++)
				c->r->stats.junk_lines += b[p] == '\n';
			break;
		}
	}
}

/* The counts a packet read for now (READER_QUIET) moves, to put back
 * should it be read again. */
struct rd_ng_counts {
	size_t records, other, junk;
	uint32_t other_line;
	int unwrapped;
	struct rd_stats stats;
};

/* What rd_ng_more() keeps between calls: the packets' state, and counts
 * for the end. The last packet read for now, its end not known (tent): its
 * bytes from the reader's place on (tent_len, over tent_lines lines), and
 * the counts before it. */
struct rd_ng_live {
	struct rd_ng_ctx c;
	size_t junk;
	int tent;
	size_t tent_len;
	uint32_t tent_lines;
	struct rd_ng_counts back;
};

static void
rd_ng_counts_get(const struct reader *r, const struct rd_ng_live *l,
    struct rd_ng_counts *k)
{
	k->records = l->c.records;
	k->other = l->c.other;
	k->other_line = l->c.other_line;
	k->unwrapped = l->c.unwrapped;
	k->junk = l->junk;
	k->stats = r->stats;
}

static void
rd_ng_counts_put(struct reader *r, struct rd_ng_live *l,
    const struct rd_ng_counts *k)
{
	l->c.records = k->records;
	l->c.other = k->other;
	l->c.other_line = k->other_line;
	l->c.unwrapped = k->unwrapped;
	l->junk = k->junk;
	r->stats = k->stats;
}

/* The input has not grown for a while (READER_QUIET): the last packet,
 * whose payload runs from pay to q (the lines from stop on, to p, are
 * its), is read as at the end for now when it makes one record of a
 * message and holds nothing back (a TCP segment's start of a message
 * waits for its rest), so that the engine can take that record back
 * (reader redo) and it is read again once more comes. Else nothing of it
 * is kept: it waits for the next packet as before. */
static void
rd_ng_tentative(struct reader *r, struct rd_ng_live *l,
    const struct rd_ng_head *h, size_t stop, uint32_t hline, size_t pay,
    size_t q, size_t p, uint32_t line)
{
	struct rd_ng_ctx *c = &l->c;
	struct rd_ng_counts k;
	size_t olen = c->out->len, nw = r->nwarnings;

	if (c->held.len != 0 || r->spill != NULL)
		return;
	rd_ng_counts_get(r, l, &k);
	rd_ng_payload(c, pay, q, 1);
	rd_ng_packet(c, h, hline);
	if (c->records == k.records + 1 && c->held.len == 0) {
		r->redo = 1;
		r->redo_bytes = c->out->len - olen;
		r->redo_warnings = r->nwarnings - nw;
		l->tent = 1;
		l->tent_len = p - stop;
		l->tent_lines = line - hline;
		l->back = k;
		return;
	}
	c->out->len = olen;
	if (c->out->buf != NULL)
		c->out->buf[olen] = '\0';
	strbuf_reset(&c->held);
	while (r->nwarnings > nw)
		free(r->warnings[--r->nwarnings].msg);
	rd_ng_counts_put(r, l, &k);
}

static void
rd_ng_more_free(struct reader *r)
{
	struct rd_ng_live *l = r->state;

	if (l == NULL)
		return;
	strbuf_free(&l->c.pay);
	strbuf_free(&l->c.held);
	free(l);
	r->state = NULL;
}

/* Converts the packets of r->data[r->pos..r->len) whose end is known,
 * into canonical records (see the top of the file): a packet's payload
 * runs to the next packet's header line, so the last one waits for the
 * next, or for the end (end: READER_END). Only whole lines are read
 * before the end. At the end, -1 when the output held no SIP message. */
static int
rd_ng_more(struct reader *r, struct strbuf *out, int end, char **err)
{
	struct rd_ng_live *l = r->state;
	struct rd_ng_ctx *c;
	struct rd_ng_head h;
	const char *d = r->data, *nl;
	size_t p = r->pos, eol, next, pay, stop, q, empty, len = r->len;
	int marks, lf, rc;
	uint32_t line = r->line, hline;

	if (l == NULL) {
		l = r->state = xcalloc(1, sizeof *l);
		strbuf_init(&l->c.pay);
		strbuf_init(&l->c.held);
	}
	c = &l->c;
	c->r = r;
	c->out = out;
	if (l->tent) {
		if (r->redo)	/* taken back: read again as it comes */
			rd_ng_counts_put(r, l, &l->back);
		else {		/* kept as read */
			r->pos += l->tent_len;
			r->line += l->tent_lines;
		}
		l->tent = 0;
		p = r->pos;
		line = r->line;
	}
	r->redo = 0;
	if (end == READER_MORE || end == READER_QUIET) {
		/* A line still being written is not read. */
		nl = len > p ? memrchr(d + p, '\n', len - p) : NULL;
		r->len = nl != NULL ? (size_t)(nl - d) + 1 : p;
	}
	while (p < r->len) {
		reader_release(r, p);
		eol = reader_line_end(r, p, &next);
		if (!rd_ng_head(d + p, eol - p, &h)) {
			/* The banner, '#' marks, blank lines; anything else
			 * is junk. */
			if (eol > p && !rd_ng_marks(d + p, eol - p) &&
			    !(eol - p == 1 && d[p] == '\r'))
				l->junk++;
			p = next;
			line++;
			continue;
		}
		hline = line;
		stop = p;
		p = pay = next;
		line++;
		/* The payload runs to the next header line, less what ngrep
		 * writes before that: a newline after the payload, '#'
		 * marks, a newline before the header. So the blank lines
		 * there say whether the payload itself ended with a line
		 * feed (a TCP segment may end inside a line). */
		q = pay;
		empty = 0;
		marks = 0;
		while (p < r->len) {
			eol = reader_line_end(r, p, &next);
			if (rd_ng_head(d + p, eol - p, NULL))
				break;
			{
				size_t e2 = eol;

				if (e2 > p && d[e2 - 1] == '\r')
					e2--;
				if (e2 > p && !rd_ng_marks(d + p, e2 - p)) {
					q = next;
					empty = 0;
					marks = 0;
				} else if (e2 > p)
					marks = 1;
				else if (!marks)
					empty++;
			}
			p = next;
			line++;
		}
		if (p >= r->len &&
		    (end == READER_MORE || end == READER_QUIET)) {
			/* Its end is not known yet: read again from its
			 * header once more has come (once quiet, read for
			 * now as at the end). */
			if (end == READER_QUIET)
				rd_ng_tentative(r, l, &h, stop, hline, pay, q,
				    p, line);
			p = stop;
			line = hline;
			break;
		}
		/* At the end of the file (an output cut or trimmed) the last
		 * line is taken as whole. */
		if (p >= r->len)
			lf = 1;
		else
			lf = empty >= (marks ? 1 : 2);
		rd_ng_payload(c, pay, q, lf);
		rd_ng_packet(c, &h, hline);
	}
	r->pos = p;
	r->line = line;
	r->len = len;
	if (end == READER_MORE || end == READER_QUIET)
		return 0;
	rd_ng_flush(c);
	if (c->other != 0)
		reader_warn(r, c->other_line, "skipped %zu packet%s with no "
		    "SIP message%s", c->other, c->other == 1 ? "" : "s",
		    c->unwrapped ? " (ngrep without -W byline writes line "
		    "breaks as dots: capture with -W byline)" : "");
	/* ngrep's banner lines (interface:, filter:, match:) and its
	 * closing count are its normal content: counted, not warned of. */
	r->stats.junk_lines += l->junk;
	rc = c->records > 0 ? 0 : -1;
	if (c->records == 0 && c->unwrapped)
		*err = xstrdup("ngrep output without -W byline, whose line "
		    "breaks are dots: capture with ngrep -W byline");
	rd_ng_more_free(r);
	return rc;
}

/* Converts the whole output into canonical records. Returns -1 when it
 * holds no SIP message. */
static int
rd_ng_transform(struct reader *r, struct strbuf *out, char **err)
{
	return rd_ng_more(r, out, READER_END, err);
}

/* Any ngrep output can be read as it comes. */
static int
rd_ng_live(const char *p, size_t n)
{
	(void)p;
	(void)n;
	return 1;
}

const struct rd_format rd_ngrep_format = {
	.name = "ngrep",
	.desc = "ngrep output (-W byline), with or without -t times",
	.probe = rd_ng_probe,
	.transform = rd_ng_transform,
	.live = rd_ng_live,
	.more = rd_ng_more,
	.more_free = rd_ng_more_free,
	.quiet = 1,
};
