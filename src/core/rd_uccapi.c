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

/* The byte count its opening line gives block b ("... 706 bytes:"), or
 * -1. */
static long long
rd_uccapi_bytes(struct reader *r, const struct rd_uccapi_block *b)
{
	const char *d = r->data;
	size_t eol, next, i;
	long long v = 0, k = 1;

	eol = reader_line_end(r, b->bs, &next);
	if (eol > b->bs && d[eol - 1] == '\r')
		eol--;
	if (eol - b->bs < 8 || memcmp(d + eol - 7, " bytes:", 7) != 0)
		return -1;
	for (i = eol - 7; i > b->bs && rd_digit(d[i - 1]) && k < 1000000000000LL;
	    i--, k *= 10)
		v += (d[i - 1] - '0') * k;
	return i < eol - 7 && i > b->bs && d[i - 1] == ' ' ? v : -1;
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

/* Whether block b's End line at q (as its opening line says: Sending or
 * Data Received) ends a payload as long as the opening line's byte count
 * want says, got bytes long as counted on the wire: each LF the log wrote
 * for a CRLF counted twice, the log's own line break before the End line
 * counted or not (rd_uccapi_piece). */
static int
rd_uccapi_end_fits(struct reader *r, const struct rd_uccapi_block *b,
		   size_t q, long long want, unsigned long long got)
{
	const char *d = r->data;
	size_t eol, next, len, pl, opl;

	if (got != (unsigned long long)want &&
	    got != (unsigned long long)want + 2)
		return 0;
	eol = reader_line_end(r, q, &next);
	len = eol - q;
	if (len > 0 && d[eol - 1] == '\r')
		len--;
	pl = rd_uccapi_prefix(d + q, len);
	if (pl == 0 || !rd_uccapi_closes(d + q + pl, len - pl))
		return 0;
	eol = reader_line_end(r, b->bs, &next);
	opl = rd_uccapi_prefix(d + b->bs, eol - b->bs);
	return d[q + pl + 7] == d[b->bs + opl];	/* "End of " S or D */
}

/* Where block b ends when its payload holds a prefixed line at q (a trace
 * line, or an End line) before its byte count is reached: at an End line
 * where the count says, the lines before it the payload's (a body that
 * quotes a log, its End lines too). When the end of what is there comes
 * first: following, that end (the rest may come); else, after a trace
 * line, that end too (the block cut short there, as it would be read
 * once followed), but an End line ends the block (its count may be
 * wrong). 0 when line q ends it: q is where the count says, it is past
 * the count, the block has no count, or q is within the first message's
 * headers (no body yet: a trace line the log wrote into a block it had
 * not finished). */
static size_t
rd_uccapi_end_at_count(struct reader *r, const struct rd_uccapi_block *b,
		       size_t q)
{
	const char *d = r->data;
	long long want = rd_uccapi_bytes(r, b);
	size_t first = rd_uccapi_first(r, b), next, eol, pl;
	unsigned long long got;
	int is_end;

	if (want < 0 || q < first)
		return 0;
	got = q - first + mem_count(d + first, q - first, '\n') -
	      mem_count(d + first, q - first, '\r');
	if (got > (unsigned long long)want ||
	    rd_uccapi_end_fits(r, b, q, want, got) ||
	    (memmem(d + first, q - first, "\n\n", 2) == NULL &&
	     memmem(d + first, q - first, "\n\r\n", 3) == NULL))
		return 0;
	eol = reader_line_end(r, q, &next);
	pl = rd_uccapi_prefix(d + q, eol - q);
	is_end = rd_uccapi_closes(d + q + pl, eol - q - pl);
	for (; q < r->len && got <= (unsigned long long)want + 2; q = next) {
		if (rd_uccapi_end_fits(r, b, q, want, got))
			return q;
		reader_line_end(r, q, &next);
		got += next - q + (d[next - 1] == '\n' &&
				   (next - q < 2 || d[next - 2] != '\r'));
	}
	if (q < r->len)
		return 0;
	return !is_end || (r->follow && !r->quiet) ? r->len : 0;
}

/* Whether the End line at q (its text after the prefix at qt, qn bytes)
 * says what block b's opening line says after "End of ": the same kind,
 * addresses and byte count, as the log writes the two. Such a line ends
 * the block without counting its bytes (a body that quotes a log quotes
 * another block's). */
static int
rd_uccapi_mirrors(struct reader *r, const struct rd_uccapi_block *b,
		  const char *qt, size_t qn)
{
	const char *d = r->data;
	size_t eol, next, pl;

	eol = reader_line_end(r, b->bs, &next);
	if (eol > b->bs && d[eol - 1] == '\r')
		eol--;
	pl = rd_uccapi_prefix(d + b->bs, eol - b->bs);
	/* "Data Received - ... bytes:" and "End of Data Received - ...
	 * bytes": the opening without its colon. */
	return eol > b->bs + pl && d[eol - 1] == ':' && qn > 7 &&
	    qn - 7 == eol - 1 - (b->bs + pl) &&
	    memcmp(qt + 7, d + b->bs + pl, qn - 7) == 0;
}

/* Finds where the block opened at bs closes: its End line, or (cut short)
 * the next prefixed line or the end of the file. A prefixed line, an End
 * line too, that comes before its byte count is reached is the payload's
 * when an End line comes where the count says (rd_uccapi_end_at_count). */
static void
rd_uccapi_block(struct reader *r, size_t bs, struct rd_uccapi_block *b)
{
	const char *d = r->data;
	size_t q, qeol, qnext, len, qpl, e;
	int closes;

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
		closes = qpl != 0 && rd_uccapi_closes(d + q + qpl, len - qpl);
		if (qpl != 0 && q != b->sp &&
		    !(closes && rd_uccapi_mirrors(r, b, d + q + qpl,
						  len - qpl)) &&
		    (e = rd_uccapi_end_at_count(r, b, q)) > q) {
			/* What comes before it is payload. */
			if (e >= r->len)
				return;	/* at the end: it may go on */
			/* The End line where the count says: it closes. */
			q = e;
			reader_line_end(r, q, &qnext);
			closes = 1;
		}
		if (closes) {
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

/* The length of the first line of block b's payload (without its CR; 0
 * when it has none), and in *pl that of its prefix. */
static size_t
rd_uccapi_first_line(struct reader *r, const struct rd_uccapi_block *b,
    size_t *pl)
{
	size_t eol, next, len;

	*pl = 0;
	if (b->sp >= b->end)
		return 0;
	eol = reader_line_end(r, b->sp, &next);
	if (eol > b->end)
		eol = b->end;
	len = eol - b->sp;
	if (len > 0 && r->data[eol - 1] == '\r')
		len--;
	*pl = rd_uccapi_prefix(r->data + b->sp, len);
	return len;
}

/* Whether the payload of block b starts with a SIP start line (some builds
 * write it without the prefix). */
static int
rd_uccapi_is_sip(struct reader *r, const struct rd_uccapi_block *b)
{
	size_t pl, len = rd_uccapi_first_line(r, b, &pl);

	return pl < len && rd_raw_is_start(r->data + b->sp + pl, len - pl);
}

/* Where the message at ms ends when what follows it up to lim is another
 * message: the offset of that message's start line, which begins a line
 * after blank lines, or the line its body ends on when that body has no
 * line break at its end. lim when the message runs to lim (it is the last, or
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
		/* The next start line, on a line of its own or right
		 * after a body without a line break at its end. */
		if (!blank)
			return rd_raw_is_start(d + e, eol - e) ? e : 0;
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

/* Blocks that begin with the rest of a message joined to it, not reached
 * yet: at most this many at once (the rest is looked for within
 * RD_UCCAPI_CONT_LINES lines of the block it continues). */
#define RD_UCCAPI_CONTS 8
/* Most pieces one message is joined from. */
#define RD_UCCAPI_PIECES 64

struct rd_uccapi_cont {
	size_t bs;		/* the block's opening line */
	size_t rest;		/* where the joined rest ends in its payload */
};

/* A block of several messages being read: the next one starts at next.
 * Copied byte for byte (reader_undo): no pointers. */
struct rd_uccapi_state {
	size_t next;		/* 0 when no block is being read */
	struct rd_uccapi_block b;
	struct rd_uccapi_cont cont[RD_UCCAPI_CONTS];
	int ncont;
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

	/* A message starts a line, or follows the rest of one joined to
	 * it on its line (rd_uccapi_next_msg). */
	if (pos == 0 || pos >= r->len)
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
	/* A block that starts with the rest of a message joined to it
	 * (rd_uccapi_join): its messages start after that rest, where the
	 * index found them. */
	if (!rd_uccapi_is_sip(r, &st->b)) {
		st->next = pos;
		return 1;
	}
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

/* rd_uccapi_cont_find() and rd_uccapi_join() of a followed log whose next
 * block is not there yet: they cannot tell. */
#define RD_UCCAPI_CONT_WAIT UINT32_MAX
/* rd_uccapi_join() found the rest but has no room to join it. */
#define RD_UCCAPI_JOIN_FULL 2

static uint32_t rd_uccapi_join(struct reader *r, struct rd_uccapi_state *st,
    const struct rd_uccapi_block *b, size_t ms, struct rd_record *rec,
    uint32_t *line);

/* The message at ms, the last of block b (rec: as split out of b), when
 * the read ended inside it (its body short of its Content-Length, LF
 * counted as CRLF, or its headers unended): joined to its rest in the
 * blocks of its connection that follow (rd_uccapi_join). One whose rest
 * cannot be joined is flagged cut short, and the rest's block named,
 * instead of being passed over without a word. 0 when following and
 * whether it is cut cannot be told yet (it waits), else 1. */
static int
rd_uccapi_join_cut(struct reader *r, struct rd_uccapi_state *st,
    const struct rd_uccapi_block *b, size_t ms, struct rd_record *rec)
{
	struct rd_record t = *rec;
	uint32_t rc, line = 0;

	if (!b->closed)
		return 1;
	rd_raw_split_logged(r->data, ms, b->end, 0, &t);
	if (!(t.flags & RECF_TRUNCATED))
		return 1;
	rc = rd_uccapi_join(r, st, b, ms, rec, &line);
	if (rc == RD_UCCAPI_CONT_WAIT)
		return 0;
	if (rc == RD_UCCAPI_JOIN_FULL) {
		rec->flags |= RECF_TRUNCATED;
		reader_warn(r, line, "the rest of the message at line %u (not "
		    "joined to it: more than %d cut messages wait for "
		    "theirs)", rec->line, RD_UCCAPI_CONTS);
	}
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
		if (!rd_uccapi_join_cut(r, st, &st->b, ms, rec))
			return 0;	/* at ms, still the block's */
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

/* The line of the block that holds the rest of the message of block b
 * (rec, cut short: a read ended inside it), that block in *nb; or 0. It
 * is the next block, within RD_UCCAPI_CONT_LINES lines, going the same
 * way between the same ends (blocks of other connections in between are
 * passed over), when its payload starts with text that is not a start
 * line (the client logs what each read carried). RD_UCCAPI_CONT_WAIT when
 * following and those lines are not all there yet (once the file is
 * quiet, what is there is all there is). */
static uint32_t
rd_uccapi_cont_find(struct reader *r, const struct rd_uccapi_block *b,
    const struct rd_record *rec, struct rd_uccapi_block *nb)
{
	const char *d = r->data;
	struct rd_record t;
	size_t p, eol, next, len, pl, i;
	uint32_t line = r->line;

	/* Lines from the record's start to the block after it. */
	line += (uint32_t)mem_count(d + rec->off, b->recend - rec->off, '\n');
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
			continue;
		rd_uccapi_block(r, p, nb);
		if (nb->sp >= nb->end)
			return r->follow && !r->quiet && !nb->closed ?
			    RD_UCCAPI_CONT_WAIT : 0;
		/* Its payload still being written: even once the file is
		 * quiet, joined to only a part of it the message would be
		 * kept so (it is not the file's last record). */
		if (r->follow && !nb->closed && nb->recend >= r->len)
			return RD_UCCAPI_CONT_WAIT;
		len = rd_uccapi_first_line(r, nb, &pl);
		if (pl >= len || rd_uccapi_is_sip(r, nb))
			return 0;
		return line;
	}
	if (r->follow && !r->quiet && p >= r->len &&
	    i < RD_UCCAPI_CONT_LINES)
		return RD_UCCAPI_CONT_WAIT;
	return 0;
}

/* How many bytes of block b's payload from ps are a piece of a message cut
 * by the end of a read: all up to the End line, less the line break the
 * log put before that line when the read ended inside a line. The block's
 * byte count tells which when every line break of its payload was CRLF
 * on the wire (the log writes LF); else a piece that ends in an empty
 * line (the end of the headers) keeps it, and any other does not, as a
 * read ends inside a line far more often than at its end. */
static size_t
rd_uccapi_piece(struct reader *r, const struct rd_uccapi_block *b, size_t ps)
{
	const char *d = r->data;
	size_t n = b->end - ps, first, nl, crlf;
	long long want;

	if (n == 0 || d[b->end - 1] != '\n')
		return n;
	crlf = n >= 2 && d[b->end - 2] == '\r';
	first = rd_uccapi_first(r, b);
	want = rd_uccapi_bytes(r, b);
	if (want >= 0 && first <= ps) {
		size_t all = b->end - first;

		nl = mem_count(d + first, all, '\n') -
		     mem_count(d + first, all, '\r');
		/* The log's own line break is not in the count, and it is
		 * one fewer LF that stood for a CRLF. */
		if ((unsigned long long)want == all + nl)
			return n;
		if ((unsigned long long)want + 2 == all + nl)
			return n - 1 - crlf;
	}
	if (n >= 2 + crlf && d[b->end - 2 - crlf] == '\n')
		return n;
	return n - 1 - crlf;
}

/* Whether a message follows offset e of block b's payload: after blank
 * lines, a start line at a line start. The offset of that line in *at. */
static int
rd_uccapi_next_msg(struct reader *r, const struct rd_uccapi_block *b,
    size_t e, size_t *at)
{
	const char *d = r->data;
	size_t eol, next, len;

	/* The message ends where its line does (a body that ends in its
	 * line break, which Content-Length counted), or the next one
	 * starts right after it on the line (a body without a line break
	 * at its end: the log shows the next start line there). */
	if (e > b->sp && e < b->end && d[e - 1] != '\n') {
		eol = reader_line_end(r, e, &next);
		if (eol > b->end)
			eol = b->end;
		if (eol - e > (eol > e && d[eol - 1] == '\r')) {
			*at = e;
			return rd_raw_is_start(d + e, eol - e);
		}
		e = next;
	}
	for (; e < b->end; e = next) {
		eol = reader_line_end(r, e, &next);
		if (eol > b->end)
			eol = b->end;
		len = eol - e;
		if (len > 0 && d[eol - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		*at = e;
		return rd_raw_is_start(d + e, len);
	}
	return 0;
}

/* Joins the message at ms, the last of block b, whose read ended inside it
 * (rec: as split out of b alone), with its rest in the blocks that follow
 * (rd_uccapi_cont_find), into r->join. Those blocks are noted in st, to be
 * passed over, or read from where the rest ends, once reached. Returns 1
 * when joined (rec is then the joined message, RECF_JOINED), 0 when there
 * is no rest, RD_UCCAPI_CONT_WAIT when following and it cannot tell yet,
 * or RD_UCCAPI_JOIN_FULL (the rest's line in *line) when too many are
 * waiting to be reached. */
static uint32_t
rd_uccapi_join(struct reader *r, struct rd_uccapi_state *st,
    const struct rd_uccapi_block *b, size_t ms, struct rd_record *rec,
    uint32_t *line)
{
	struct rd_uccapi_cont cont[RD_UCCAPI_CONTS];
	struct rd_uccapi_block cur = *b, nb;
	struct rd_record t;
	size_t ps, before, e = 0, at;
	uint32_t found;
	int ncont = st->ncont, pieces = 1, k;

	if (r->nojoin)
		return 0;
	memcpy(cont, st->cont, sizeof cont);
	strbuf_reset(&r->join);
	strbuf_add(&r->join, r->data + ms, rd_uccapi_piece(r, b, ms));
	for (;;) {
		found = rd_uccapi_cont_find(r, &cur, rec, &nb);
		if (found == RD_UCCAPI_CONT_WAIT)
			return found;
		if (found == 0)
			break;
		/* Noted already when a follower read the message and was
		 * put back before it (engine_follow_next): the same again. */
		for (k = 0; k < ncont && cont[k].bs != nb.bs; k++)
			;
		if (k == RD_UCCAPI_CONTS || pieces >= RD_UCCAPI_PIECES) {
			if (pieces > 1)
				break;
			*line = found;
			return RD_UCCAPI_JOIN_FULL;
		}
		ps = rd_uccapi_first(r, &nb);
		before = r->join.len;
		strbuf_add(&r->join, r->data + ps, rd_uccapi_piece(r, &nb, ps));
		pieces++;
		memset(&t, 0, sizeof t);
		e = rd_raw_split_logged(r->join.buf, 0, r->join.len, 0, &t);
		cont[k].bs = nb.bs;
		cont[k].rest = nb.end;
		if (k == ncont)
			ncont++;
		if (t.flags & RECF_TRUNCATED) {
			cur = nb;
			continue;
		}
		/* Whole: what follows it in the block is the next message.
		 * Else the count was off (lines that were LF on the wire):
		 * the block's bytes are all the message's. */
		if (e > before && rd_uccapi_next_msg(r, &nb, ps + (e - before),
		    &at))
			cont[k].rest = ps + (e - before);
		else
			e = r->join.len;
		r->join.len = e;
		break;
	}
	if (pieces == 1)
		return 0;
	memcpy(st->cont, cont, sizeof cont);
	st->ncont = ncont;
	rec->flags &= ~(unsigned)RECF_TRUNCATED;
	rd_raw_split_logged(r->join.buf, 0, r->join.len, 1, rec);
	rec->flags |= RECF_JOINED;
	return 1;
}

/* The index in st->cont of the block opened at bs, or -1. */
static int
rd_uccapi_cont_at(const struct rd_uccapi_state *st, size_t bs)
{
	int i;

	for (i = 0; i < st->ncont; i++) {
		if (st->cont[i].bs == bs)
			return i;
	}
	return -1;
}

static int
rd_uccapi_next(struct reader *r, struct rd_record *rec)
{
	struct rd_uccapi_state *st = r->state;
	struct rd_uccapi_block b;
	const char *d = r->data;
	size_t p, eol, next, pl, len, junk = 0, bs, ms, e;
	uint32_t line, first = 0;
	int has_cl, over = 0, k;

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
		/* The rest of a message joined to it (rd_uccapi_join): passed
		 * over, or read from the message after that rest. */
		if ((k = rd_uccapi_cont_at(st, bs)) >= 0) {
			size_t rest = st->cont[k].rest, at;

			st->cont[k] = st->cont[--st->ncont];
			if (rd_uccapi_next_msg(r, &b, rest, &at)) {
				rd_uccapi_junk(r, bs, junk, first);
				st->b = b;
				st->next = at;
				reader_advance(r, at);
				return rd_uccapi_more(r, st, rec);
			}
			line += (uint32_t)mem_count(d + bs, b.recend - bs, '\n');
			p = b.recend;
			continue;
		}

		/* Is the payload SIP? Its first line carries the prefix. */
		if (rd_uccapi_is_sip(r, &b))
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
	/* A message the read ended inside (its body short of its
	 * Content-Length, LF counted as CRLF, or its headers unended),
	 * whose rest the next block of its connection holds: joined. */
	if (!rd_uccapi_join_cut(r, st, &b, ms, rec))
		return 0;	/* at bs, as for a block not closed */
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
