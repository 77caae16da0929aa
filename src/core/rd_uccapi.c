/* rd_uccapi: Communicator/Lync/Skype for Business client logs (*.uccapilog).
 * Trace lines are prefixed "MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL  :: ";
 * a SIP message sits between a "Sending Packet"/"Data Received" line and
 * the matching "End of ..." line. Everything else is skipped. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* How far into a line the " :: " after the prefix may be. */
#define RD_UCCAPI_PREFIX_MAX 80

static const char rd_uccapi_send[] = "Sending Packet - ";
static const char rd_uccapi_recv[] = "Data Received - ";
static const char rd_uccapi_end_send[] = "End of Sending Packet";
static const char rd_uccapi_end_recv[] = "End of Data Received";

/* Length of the trace prefix of line p[0..n) up to and including ":: ", or
 * 0 when the line has none. */
static size_t
rd_uccapi_prefix(const char *p, size_t n)
{
	const char *m, *c;
	size_t lim;

	if (n < 24 || p[2] != '/' || p[5] != '/' || p[10] != '|' ||
	    p[13] != ':' || p[16] != ':' || !rd_digit(p[0]) ||
	    !rd_digit(p[11]))
		return 0;
	lim = n < RD_UCCAPI_PREFIX_MAX ? n : RD_UCCAPI_PREFIX_MAX;
	/* " :: " by its colons: memmem is slow for short needles, and every
	 * line of a client log has this prefix. */
	for (c = p + 20, m = NULL; m == NULL && c + 3 <= p + lim &&
	    (c = memchr(c, ':', (size_t)(p + lim - c))) != NULL; c++) {
		if (c + 3 <= p + lim && c[-1] == ' ' && c[1] == ':' &&
		    c[2] == ' ')
			m = c - 1;
	}
	if (m == NULL) {
		/* A prefixed line whose text is empty ends in " ::". */
		if (n >= 3 && memcmp(p + n - 3, " ::", 3) == 0)
			return n;
		return 0;
	}
	return (size_t)(m - p) + 4;
}

static void
rd_uccapi_time(const char *p, struct rd_record *rec)
{
	int v[6], i, k;
	static const int at[6] = { 0, 3, 6, 11, 14, 17 };
	static const int w[6] = { 2, 2, 4, 2, 2, 2 };
	long us = 0;
	int prec = 0;

	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (k = 0; k < w[i]; k++) {
			if (!rd_digit(p[at[i] + k]))
				return;
			v[i] = v[i] * 10 + (p[at[i] + k] - '0');
		}
	}
	if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return;
	/* The caller checked the prefix is at least 24 bytes long. */
	if (p[19] == '.') {
		for (k = 20; k < 26 && rd_digit(p[k]); k++) {
			us = us * 10 + (p[k] - '0');
			prec++;
		}
	}
	for (k = prec; k < 6; k++)
		us *= 10;
	rec->time = time_from_civil(v[2], v[0], v[1], v[3], v[4], v[5], us);
	rec->time_prec = prec;
	rec->has_date = 1;
}

/* Parses "PEER (From|To Local Address: LOCAL) N bytes:" at p[0..n). */
static void
rd_uccapi_addrs(const char *p, size_t n, struct span *peer,
    struct span *local)
{
	const char *paren, *colon, *close;

	paren = memmem(p, n, " (", 2);
	if (paren == NULL) {
		*peer = span_trim((struct span){ p, n });
		return;
	}
	peer->p = p;
	peer->n = (size_t)(paren - p);
	colon = memmem(paren, (size_t)(p + n - paren), "Address: ", 9);
	if (colon == NULL)
		return;
	colon += 9;
	close = memchr(colon, ')', (size_t)(p + n - colon));
	if (close == NULL)
		return;
	local->p = colon;
	local->n = (size_t)(close - colon);
}

static int
rd_uccapi_probe(const char *p, size_t n)
{
	size_t i = 0, eol, pl, prefixed = 0;
	const char *nl;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		pl = rd_uccapi_prefix(p + i, eol - i);
		if (pl != 0) {
			prefixed++;
			if ((eol - i - pl >= sizeof rd_uccapi_send - 1 &&
			    memcmp(p + i + pl, rd_uccapi_send,
			    sizeof rd_uccapi_send - 1) == 0) ||
			    (eol - i - pl >= sizeof rd_uccapi_recv - 1 &&
			    memcmp(p + i + pl, rd_uccapi_recv,
			    sizeof rd_uccapi_recv - 1) == 0))
				return 95;
		}
		if (nl == NULL)
			break;
		i = eol + 1;
	}
	/* The "MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: " prefix is
	 * distinctive enough, even when XML dumps fill most lines. */
	if (prefixed >= 3)
		return 60;
	return 0;
}

/* Counts and skips the lines in [r->pos, to) that are not SIP. A client
 * log is mostly such lines (its own tracing, XML, keep-alives), so they
 * are counted but not warned about: a warning per gap would bury the
 * real problems under thousands of lines. */
static void
rd_uccapi_junk(struct reader *r, size_t to, size_t junk, uint32_t first)
{
	(void)first;
	r->stats.junk_lines += junk;
	reader_advance(r, to);
}

/* Which block line p[0..n) opens: 1 send, 2 receive, 0 none. */
static int
rd_uccapi_opens(const char *p, size_t n, size_t pl)
{
	if (pl == 0 || pl > n)
		return 0;
	p += pl;
	n -= pl;
	if (n >= sizeof rd_uccapi_send - 1 &&
	    memcmp(p, rd_uccapi_send, sizeof rd_uccapi_send - 1) == 0)
		return 1;
	if (n >= sizeof rd_uccapi_recv - 1 &&
	    memcmp(p, rd_uccapi_recv, sizeof rd_uccapi_recv - 1) == 0)
		return 2;
	return 0;
}

/* Whether the text after a prefix is an "End of ..." line. */
static int
rd_uccapi_closes(const char *p, size_t n)
{
	return (n >= sizeof rd_uccapi_end_send - 1 &&
	    memcmp(p, rd_uccapi_end_send, sizeof rd_uccapi_end_send - 1) ==
	    0) || (n >= sizeof rd_uccapi_end_recv - 1 &&
	    memcmp(p, rd_uccapi_end_recv, sizeof rd_uccapi_end_recv - 1) == 0);
}

static int
rd_uccapi_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p = r->pos, eol, next, pl, len, junk = 0, bs, blk_end, recend;
	size_t q, qeol, qnext, qpl, sp;
	uint32_t line = r->line, first = 0;
	struct span peer = SPAN_NULL, local = SPAN_NULL;
	int which, closed, has_cl, sip;

	for (;;) {
		/* Find the next line opening a block. */
		while (p < r->len) {
			eol = reader_line_end(r, p, &next);
			len = eol - p;
			if (len > 0 && d[eol - 1] == '\r')
				len--;
			pl = rd_uccapi_prefix(d + p, len);
			if ((which = rd_uccapi_opens(d + p, len, pl)) != 0)
				break;
			if (len != 0 && junk++ == 0)
				first = line;
			line++;
			p = next;
		}
		if (p >= r->len) {
			rd_uccapi_junk(r, r->len, junk, first);
			return 0;
		}
		bs = p;

		/* Find where it closes: the End line, or (cut short) the next
		 * prefixed line or the end of the file. */
		closed = 0;
		q = next;
		sp = next;	/* the line with the start line */
		blk_end = r->len;
		recend = r->len;
		while (q < r->len) {
			qeol = reader_line_end(r, q, &qnext);
			len = qeol - q;
			if (len > 0 && d[qeol - 1] == '\r')
				len--;
			qpl = rd_uccapi_prefix(d + q, len);
			if (qpl != 0 && rd_uccapi_closes(d + q + qpl,
			    len - qpl)) {
				closed = 1;
				blk_end = q;
				recend = qnext;
				break;
			}
			if (qpl != 0 && q != sp) {
				blk_end = q;
				recend = q;
				break;
			}
			q = qnext;
		}

		/* Is the payload SIP? Its first line carries the prefix. */
		sip = 0;
		if (sp < blk_end) {
			qeol = reader_line_end(r, sp, &qnext);
			if (qeol > blk_end)
				qeol = blk_end;
			len = qeol - sp;
			if (len > 0 && d[qeol - 1] == '\r')
				len--;
			qpl = rd_uccapi_prefix(d + sp, len);
			/* Some builds write the start line without the
			 * prefix. */
			if (qpl < len &&
			    rd_raw_is_start(d + sp + qpl, len - qpl))
				sip = 1;
		}
		if (sip)
			break;
		/* A keep-alive or other non-SIP payload: junk, as a whole. */
		while (p < recend) {
			eol = reader_line_end(r, p, &next);
			if (junk++ == 0)
				first = line;
			line++;
			p = next;
		}
	}
	rd_uccapi_junk(r, bs, junk, first);

	rec->kind = REC_SIP;
	rec->off = bs;
	rec->line = r->line;
	rd_uccapi_time(d + bs, rec);
	eol = reader_line_end(r, bs, &next);
	len = eol - bs;
	pl = rd_uccapi_prefix(d + bs, len);
	which = rd_uccapi_opens(d + bs, len, pl);
	q = bs + pl + (which == 1 ? sizeof rd_uccapi_send - 1 :
	    sizeof rd_uccapi_recv - 1);
	rd_uccapi_addrs(d + q, eol - q, &peer, &local);
	if (which == 1) {
		rec->dir = DIR_OUT;
		rec->src = local;
		rec->dst = peer;
	} else {
		rec->dir = DIR_IN;
		rec->src = peer;
		rec->dst = local;
	}

	qeol = reader_line_end(r, sp, &qnext);
	qpl = rd_uccapi_prefix(d + sp, qeol - sp);
	rd_raw_split(d, sp + qpl, blk_end, rec, &has_cl);
	/* The End line, not Content-Length, delimits the message: the
	 * client writes LF for the wire's CRLF while Content-Length still
	 * counts CRLF, so a body shorter than it is whole (the splitter
	 * then gave it all bytes up to the End line). Without an End line
	 * the message was cut short. */
	if (closed)
		rec->flags &= ~(unsigned)RECF_TRUNCATED;
	else
		rec->flags |= RECF_TRUNCATED;
	rec->len = recend - bs;
	reader_advance(r, recend);
	return 1;
}

const struct rd_format rd_uccapi_format = {
	.name = "uccapi",
	.desc = "Communicator/Lync/Skype for Business client log (.uccapilog)",
	.probe = rd_uccapi_probe,
	.next = rd_uccapi_next,
	.state_size = 0,
};
