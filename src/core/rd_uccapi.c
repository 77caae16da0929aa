/* rd_uccapi: Communicator/Lync/Skype for Business client logs (*.uccapilog).
 * Trace lines are prefixed "MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL  :: ";
 * a SIP message sits between a "Sending Packet"/"Data Received" line and
 * the matching "End of ..." line; one block may hold several messages (what
 * one read carried), split by Content-Length. Everything else is
 * skipped. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* How far into a line the " :: " after the prefix may be. */
#define RD_UCCAPI_PREFIX_MAX 80
/* Most messages split out of one block: one read carries a few. Reading
 * one of them again alone costs a pass over its block, so a block of very
 * many (not a client's log) stays one record. */
#define RD_UCCAPI_SPLIT_MAX 32

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
	/* The caller checked the prefix is at least 24 bytes long; the
	 * fraction is read no further than its sixth digit. */
	if (p[19] == '.')
		rd_fraction(p, 26, 20, &us, &prec);
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

/* A block: its opening line, the line with the (first) start line, where
 * its payload ends and the record after it. */
struct rd_uccapi_block {
	size_t bs;		/* the Sending Packet / Data Received line */
	size_t sp;		/* the line after it */
	size_t end;		/* the End line, or where the block was cut */
	size_t recend;		/* after the End line, or end */
	int closed;		/* an End line closed it */
	/* It reached the end of what was there: followed (now, or once
	 * read whole: reader_undo), it may not be whole (rd_uccapi_next). */
	int at_end;
};

/* Finds where the block opened at bs closes: its End line, or (cut short)
 * the next prefixed line or the end of the file. */
static void
rd_uccapi_block(struct reader *r, size_t bs, struct rd_uccapi_block *b)
{
	const char *d = r->data;
	size_t q, qeol, qnext, len, qpl;

	reader_line_end(r, bs, &q);
	b->bs = bs;
	b->sp = q;
	b->closed = 0;
	b->end = r->len;
	b->recend = r->len;
	b->at_end = 1;
	while (q < r->len) {
		qeol = reader_line_end(r, q, &qnext);
		len = qeol - q;
		if (len > 0 && d[qeol - 1] == '\r')
			len--;
		qpl = rd_uccapi_prefix(d + q, len);
		if (qpl != 0 && rd_uccapi_closes(d + q + qpl, len - qpl)) {
			b->closed = 1;
			b->end = q;
			b->recend = qnext;
			b->at_end = qnext >= r->len;
			return;
		}
		if (qpl != 0 && q != b->sp) {
			b->end = q;
			b->recend = q;
			b->at_end = 0;
			return;
		}
		q = qnext;
	}
}

/* Offset of the first start line of block b: after the prefix of its
 * second line (some builds write it without). */
static size_t
rd_uccapi_first(struct reader *r, const struct rd_uccapi_block *b)
{
	size_t eol, next;

	eol = reader_line_end(r, b->sp, &next);
	return b->sp + rd_uccapi_prefix(r->data + b->sp, eol - b->sp);
}

/* Where the message at ms ends when what follows it up to lim is another
 * message: the offset of that message's start line, which begins a line
 * after blank lines. lim when the message runs to lim (it is the last, or
 * has no Content-Length); 0 when something else follows it. */
static size_t
rd_uccapi_msg_end(const char *d, size_t ms, size_t lim)
{
	struct rd_record t;
	const char *nl;
	size_t e, eol, i;
	int blank;

	memset(&t, 0, sizeof t);
	e = rd_raw_split_logged(d, ms, lim, 1, &t);
	while (e < lim) {
		nl = memchr(d + e, '\n', lim - e);
		eol = nl != NULL ? (size_t)(nl - d) : lim;
		for (i = e, blank = 1; i < eol && blank; i++)
			blank = d[i] == ' ' || d[i] == '\t' || d[i] == '\r';
		if (!blank)
			return d[e - 1] == '\n' && rd_raw_is_start(d + e,
			    eol - e) ? e : 0;
		e = nl != NULL ? eol + 1 : lim;
	}
	return lim;
}

/* The end of the first message of a block whose payload d[ms..lim) is
 * several whole messages, split by their Content-Length (the client logs
 * what one read or write carried, which may be more than one message);
 * 0 when it is one message, or bytes that do not split into whole ones,
 * or more than RD_UCCAPI_SPLIT_MAX messages (*over set). */
static size_t
rd_uccapi_many(const char *d, size_t ms, size_t lim, int *over)
{
	size_t first = 0, e;
	int n = 1;

	*over = 0;
	for (;;) {
		e = rd_uccapi_msg_end(d, ms, lim);
		if (e == 0)
			return 0;
		if (e >= lim)
			return first;
		if (first == 0)
			first = e;
		if (++n > RD_UCCAPI_SPLIT_MAX) {
			*over = 1;
			return 0;
		}
		ms = e;
	}
}

/* The record's time, direction and addresses, from the block's opening
 * line at bs. */
static void
rd_uccapi_opening(struct reader *r, size_t bs, struct rd_record *rec)
{
	const char *d = r->data;
	size_t eol, next, len, pl, q;
	struct span peer = SPAN_NULL, local = SPAN_NULL;
	int which;

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
}

/* A block of several messages being read: the next one starts at next. */
struct rd_uccapi_state {
	size_t next;		/* 0 when no block is being read */
	struct rd_uccapi_block b;
};

/* The start of the line that ends at q (its '\n' or the end of the
 * bytes) and, in *len, its length without CR. */
static size_t
rd_uccapi_prev(const char *d, size_t q, size_t *len)
{
	const char *nl = memrchr(d, '\n', q);
	size_t ls = nl != NULL ? (size_t)(nl - d) + 1 : 0;

	*len = q - ls;
	if (*len > 0 && d[q - 1] == '\r')
		(*len)--;
	return ls;
}

/* Whether r->pos starts a message after the first of a block that holds
 * several, when the reader did not come from that block (the engine reads
 * one message again from its offset): finds the block, fills st. */
static int
rd_uccapi_resume(struct reader *r, struct rd_uccapi_state *st)
{
	const char *d = r->data;
	size_t pos = r->pos, eol, next, ls, len, pl, e;
	int over;

	if (pos == 0 || pos >= r->len || d[pos - 1] != '\n')
		return 0;
	eol = reader_line_end(r, pos, &next);
	len = eol - pos;
	if (len > 0 && d[eol - 1] == '\r')
		len--;
	if (rd_uccapi_prefix(d + pos, len) != 0 ||
	    !rd_raw_is_start(d + pos, len))
		return 0;
	/* Back to the first prefixed line: the block's first start line,
	 * after the opening line, or the opening line itself when the start
	 * line has no prefix. */
	ls = pos;
	do {
		ls = rd_uccapi_prev(d, ls - 1, &len);
		pl = rd_uccapi_prefix(d + ls, len);
	} while (pl == 0 && ls > 0);
	if (pl == 0)
		return 0;
	if (rd_uccapi_opens(d + ls, len, pl) == 0) {
		if (ls == 0)
			return 0;
		ls = rd_uccapi_prev(d, ls - 1, &len);
		pl = rd_uccapi_prefix(d + ls, len);
		if (rd_uccapi_opens(d + ls, len, pl) == 0)
			return 0;
	}
	rd_uccapi_block(r, ls, &st->b);
	if (!st->b.closed || pos >= st->b.end)
		return 0;
	e = rd_uccapi_first(r, &st->b);
	if (rd_uccapi_many(d, e, st->b.end, &over) == 0)
		return 0;
	/* pos must be where one of its messages starts. */
	while (e != 0 && e < pos)
		e = rd_uccapi_msg_end(d, e, st->b.end);
	if (e != pos)
		return 0;
	st->next = pos;
	return 1;
}

/* The next message of the block in st, at r->pos. */
static int
rd_uccapi_more(struct reader *r, struct rd_uccapi_state *st,
    struct rd_record *rec)
{
	size_t ms = r->pos, e;

	e = rd_uccapi_msg_end(r->data, ms, st->b.end);
	if (e == 0)
		e = st->b.end;
	rec->kind = REC_SIP;
	rec->off = ms;
	rec->line = r->line;
	rd_uccapi_opening(r, st->b.bs, rec);
	rd_raw_split_logged(r->data, ms, e, 1, rec);
	if (e >= st->b.end) {
		rec->len = st->b.recend - ms;
		st->next = 0;
		reader_advance(r, st->b.recend);
	} else {
		rec->len = e - ms;
		st->next = e;
		reader_advance(r, e);
	}
	return 1;
}

static int
rd_uccapi_same(struct span a, struct span b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* How many lines after a block the next one is looked for, when its
 * message is short of its Content-Length. */
#define RD_UCCAPI_CONT_LINES 64

/* rd_uccapi_continued() of a followed log whose next block is not there
 * yet: it cannot tell. */
#define RD_UCCAPI_CONT_WAIT UINT32_MAX

/* The line of the block that holds the rest of the message of block b
 * (rec, short of its Content-Length), or 0: the next block, within
 * RD_UCCAPI_CONT_LINES lines, going the same way between the same ends,
 * whose payload starts with text that is not a start line (the client
 * logs what each read carried, and a read may end inside a message).
 * RD_UCCAPI_CONT_WAIT when following and those lines are not all there
 * yet (once the file is quiet, what is there is all there is). */
static uint32_t
rd_uccapi_continued(struct reader *r, const struct rd_uccapi_block *b,
    const struct rd_record *rec)
{
	const char *d = r->data;
	struct rd_uccapi_block nb;
	struct rd_record t;
	size_t p, eol, next, len, pl, i;
	uint32_t line = r->line;

	/* Lines from the record's start to the block after it. */
	for (i = rec->off; i < b->recend; i++)
		line += d[i] == '\n';
	for (p = b->recend, i = 0; p < r->len && i < RD_UCCAPI_CONT_LINES;
	    p = next, i++, line++) {
		eol = reader_line_end(r, p, &next);
		len = eol - p;
		if (len > 0 && d[eol - 1] == '\r')
			len--;
		pl = rd_uccapi_prefix(d + p, len);
		if (rd_uccapi_opens(d + p, len, pl) == 0)
			continue;
		memset(&t, 0, sizeof t);
		rd_uccapi_opening(r, p, &t);
		if (t.dir != rec->dir || !rd_uccapi_same(t.src, rec->src) ||
		    !rd_uccapi_same(t.dst, rec->dst))
			return 0;
		rd_uccapi_block(r, p, &nb);
		if (nb.sp >= nb.end)
			return r->follow && !r->quiet && !nb.closed ?
			    RD_UCCAPI_CONT_WAIT : 0;
		eol = reader_line_end(r, nb.sp, &next);
		if (eol > nb.end)
			eol = nb.end;
		len = eol - nb.sp;
		if (len > 0 && d[eol - 1] == '\r')
			len--;
		pl = rd_uccapi_prefix(d + nb.sp, len);
		if (pl >= len || rd_raw_is_start(d + nb.sp + pl, len - pl))
			return 0;
		return line;
	}
	if (r->follow && !r->quiet && p >= r->len &&
	    i < RD_UCCAPI_CONT_LINES)
		return RD_UCCAPI_CONT_WAIT;
	return 0;
}

static int
rd_uccapi_next(struct reader *r, struct rd_record *rec)
{
	struct rd_uccapi_state *st = r->state;
	struct rd_uccapi_block b;
	const char *d = r->data;
	size_t p, eol, next, pl, len, junk = 0, bs, ms, e;
	size_t qeol, qnext, qpl;
	uint32_t line, first = 0;
	int has_cl, sip, over = 0;

	/* A block of several messages that reached the end of what was
	 * there when it was read whole, followed now: it is looked at again
	 * as a followed block (its End line may have been cut short). */
	if (st->next != 0 && st->next == r->pos && st->b.at_end &&
	    r->follow) {
		rd_uccapi_block(r, st->b.bs, &st->b);
		if (!st->b.closed && st->b.recend >= r->len)
			return 0;
	}
	if ((st->next != 0 && st->next == r->pos) || rd_uccapi_resume(r, st))
		return rd_uccapi_more(r, st, rec);
	st->next = 0;
	p = r->pos;
	line = r->line;
	for (;;) {
		/* Find the next line opening a block. */
		while (p < r->len) {
			eol = reader_line_end(r, p, &next);
			len = eol - p;
			if (len > 0 && d[eol - 1] == '\r')
				len--;
			pl = rd_uccapi_prefix(d + p, len);
			if (rd_uccapi_opens(d + p, len, pl) != 0)
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
		rd_uccapi_block(r, bs, &b);
		/* Following a log being written: a block not closed yet at
		 * the end of what is there waits for the rest (taken as a
		 * keep-alive or as cut short, it would be lost). */
		if (r->follow && !b.closed && b.recend >= r->len) {
			rd_uccapi_junk(r, bs, junk, first);
			return 0;
		}

		/* Is the payload SIP? Its first line carries the prefix. */
		sip = 0;
		if (b.sp < b.end) {
			qeol = reader_line_end(r, b.sp, &qnext);
			if (qeol > b.end)
				qeol = b.end;
			len = qeol - b.sp;
			if (len > 0 && d[qeol - 1] == '\r')
				len--;
			qpl = rd_uccapi_prefix(d + b.sp, len);
			/* Some builds write the start line without the
			 * prefix. */
			if (qpl < len &&
			    rd_raw_is_start(d + b.sp + qpl, len - qpl))
				sip = 1;
		}
		if (sip)
			break;
		/* A keep-alive or other non-SIP payload: junk, as a whole. */
		while (p < b.recend) {
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
	rd_uccapi_opening(r, bs, rec);
	ms = rd_uccapi_first(r, &b);
	rd_raw_split(d, ms, b.end, rec, &has_cl);
	/* Several messages in one block: each its own record, with the
	 * block's time and addresses. Most blocks hold one: only those with
	 * another start line's "SIP/" after the headers are looked at. */
	if (b.closed && has_cl && memmem(rec->body.p, (size_t)(d + b.end -
	    rec->body.p), "SIP/", 4) != NULL &&
	    (e = rd_uccapi_many(d, ms, b.end, &over)) != 0) {
		rd_raw_split_logged(d, ms, e, 1, rec);
		rec->len = e - bs;
		st->b = b;
		st->next = e;
		reader_advance(r, e);
		return 1;
	}
	if (over)
		reader_warn(r, rec->line, "more than %d messages in one "
		    "block: kept as one", RD_UCCAPI_SPLIT_MAX);
	/* The End line, not Content-Length, delimits the message: the
	 * client writes LF for the wire's CRLF while Content-Length still
	 * counts CRLF, so a body shorter than it is whole (the splitter
	 * then gave it all bytes up to the End line). Without an End line
	 * the message was cut short. */
	if (b.closed)
		rec->flags &= ~(unsigned)RECF_TRUNCATED;
	else
		rec->flags |= RECF_TRUNCATED;
	rec->len = b.recend - bs;
	/* A body short of its Content-Length, LF counted as CRLF, whose
	 * rest the next block holds: the read ended inside the message.
	 * Its pieces are not joined (the record is the file's bytes): the
	 * message is flagged cut short and the rest's block is named,
	 * instead of being skipped without a word. */
	if (b.closed && has_cl) {
		struct rd_record t = *rec;
		uint32_t cont;

		rd_raw_split_logged(d, ms, b.end, 0, &t);
		cont = t.flags & RECF_TRUNCATED ?
		    rd_uccapi_continued(r, &b, rec) : 0;
		if (cont == RD_UCCAPI_CONT_WAIT)
			return 0;	/* at bs, as for a block not closed */
		if (cont != 0) {
			rec->flags |= RECF_TRUNCATED;
			reader_warn(r, cont, "the rest of the message at line "
			    "%u (not joined to it)", rec->line);
		}
	}
	reader_advance(r, b.recend);
	return 1;
}

const struct rd_format rd_uccapi_format = {
	.name = "uccapi",
	.desc = "Communicator/Lync/Skype for Business client log (.uccapilog)",
	.probe = rd_uccapi_probe,
	.next = rd_uccapi_next,
	.state_size = sizeof(struct rd_uccapi_state),
};
