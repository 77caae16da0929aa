/* rd_sipp: SIPp's message trace (-trace_msg). Each entry is a line of 47
 * dashes and the time, a line "UDP message sent (N bytes):" or "TCP message
 * received [N] bytes :" (newer SIPp: "... [N] bytes:"), a blank line and
 * the message. SIPp logs no addresses. One TCP read may hold several
 * messages; each becomes a record with the entry's time. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* Fewest dashes that make a separator (SIPp writes 47, its oversized-file
 * note 44). */
#define RD_SIPP_DASHES 20

/* How far an entry may reach past its separator. SIPp reads at most
 * 64 KiB at a time; the bound keeps re-reading the second message of a
 * read (which looks back for its separator, then on for the next one)
 * cheap. What lies further is junk. */
#define RD_SIPP_READ_MAX (128 * 1024)

/* The entry being read: where its separator is and where it ends, so that
 * a second message of one TCP read gets the entry's time. */
struct rd_sipp_state {
	size_t hdr;		/* offset of the separator + 1, 0 for none */
	size_t end;		/* offset of the next separator */
	/* No separator after it yet, end is the end of what was there:
	 * followed (now, or once read whole: reader_undo), the entry may
	 * grow (rd_sipp_entry). */
	int open;
};

struct rd_sipp_head {
	enum msg_dir dir;
	struct span transport;
	int msg;		/* the second line says a message follows */
};

static size_t
rd_sipp_rtrim(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t'))
		n--;
	return n;
}

static int
rd_sipp_blank(const char *p, size_t n)
{
	return rd_sipp_rtrim(p, n) == 0;
}

static int
rd_sipp_num(const char *p, int w, int *out)
{
	int i, v = 0;

	for (i = 0; i < w; i++) {
		if (!rd_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/* The older layout's third field, "1741684511.204118": seconds since the
 * epoch, UTC. Replaces rec's time when it is one. */
static void
rd_sipp_epoch(const char *p, size_t n, struct rd_record *rec)
{
	int64_t secs = 0;
	long us;
	size_t i;
	int k;

	for (i = 0; i < n && i < 12 && rd_digit(p[i]); i++)
		secs = secs * 10 + (p[i] - '0');
	if (i < 9 || i >= n || p[i] != '.')
		return;
	i = rd_fraction(p, n, i + 1, &us, &k);
	if (k == 0 || (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\r'))
		return;
	rec->time = secs * 1000000 + us;
}

/* Whether line p[0..n) is a separator "----... 2025-03-11 09:15:11.204118"
 * (older SIPp: "2025-03-11\t09:15:11:204\t1741684511.204118", newer with
 * -trace_timestamp_format rfc3339: "2025-03-11T09:15:11.204118+01:00");
 * fills rec's time when rec is not NULL. */
static int
rd_sipp_sep(const char *p, size_t n, struct rd_record *rec)
{
	size_t i, k;
	int y, mo, d, prec;
	int64_t off, tod;

	for (i = 0; i < n && p[i] == '-'; i++)
		;
	if (i < RD_SIPP_DASHES || i + 20 > n || p[i] != ' ')
		return 0;
	p += i + 1;
	n -= i + 1;
	if (p[4] != '-' || p[7] != '-' || (p[10] != ' ' && p[10] != 'T' &&
	    p[10] != '\t') || rd_sipp_num(p, 4, &y) ||
	    rd_sipp_num(p + 5, 2, &mo) || rd_sipp_num(p + 8, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    (tod = rd_clock(p, n, 11, ".:", &prec, &i)) < 0)
		return 0;
	if (rec == NULL)
		return 1;
	rec->time = time_from_civil(y, mo, d, 0, 0, 0, 0) + tod;
	rec->time_prec = prec;
	rec->has_date = 1;
	/* rfc3339 gives the offset, the older layout the time since the
	 * epoch: either makes the time UTC, comparable with other logs. */
	if (rd_utc_offset(p, n, i, &off, &k) == 0)
		rec->time -= off;
	else if (i < n && p[i] == '\t')
		rd_sipp_epoch(p + i + 1, n - i - 1, rec);
	return 1;
}

/* Reads the line after a separator: "[TRANSPORT ][control ]message
 * sent|received ...:". */
static void
rd_sipp_what(const char *p, size_t n, struct rd_sipp_head *h)
{
	const char *m;
	size_t i;

	memset(h, 0, sizeof *h);
	n = rd_sipp_rtrim(p, n);
	if (n == 0 || p[n - 1] != ':')
		return;
	m = memmem(p, n, "message ", 8);
	if (m == NULL)
		return;
	i = (size_t)(m - p) + 8;
	if (n - i >= 4 && memcmp(p + i, "sent", 4) == 0)
		h->dir = DIR_OUT;
	else if (n - i >= 8 && memcmp(p + i, "received", 8) == 0)
		h->dir = DIR_IN;
	else
		return;
	/* Only the transport and "control " may come before "message". */
	for (i = 0; p + i < m && p[i] >= 'A' && p[i] <= 'Z'; i++)
		;
	if (i > 0 && p + i < m && p[i] == ' ') {
		h->transport.p = p;
		h->transport.n = i;
		i++;
	}
	if (p + i < m && (size_t)(m - p) - i == 8 &&
	    memcmp(p + i, "control ", 8) == 0)
		i += 8;
	h->msg = p + i == m;
}

static int
rd_sipp_probe(const char *p, size_t n)
{
	size_t i = 0, eol, next;
	const char *nl;
	struct rd_sipp_head h;
	int seps = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		next = nl != NULL ? eol + 1 : n;
		if (rd_sipp_sep(p + i, eol - i, NULL)) {
			seps++;
			nl = memchr(p + next, '\n', n - next);
			eol = nl != NULL ? (size_t)(nl - p) : n;
			if (next < n)
				rd_sipp_what(p + next, eol - next, &h);
			if (next < n && h.msg)
				return 95;
		}
		i = next;
	}
	return seps > 0 ? 40 : 0;
}

/* Whether line p[0..n) is all dashes up to where a separator's date
 * would start, as far as it goes. */
static int
rd_sipp_dashes(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < RD_SIPP_DASHES; i++) {
		if (p[i] != '-')
			return 0;
	}
	return 1;
}

/* Offset of the next separator at or after line q, or of the first line
 * at or after cap (an entry ends there, see RD_SIPP_READ_MAX), or the
 * end. */
static size_t
rd_sipp_find_sep(const struct reader *r, size_t q, size_t cap)
{
	size_t eol, next;

	for (; q < r->len && q < cap; q = next) {
		eol = reader_line_end(r, q, &next);
		if (rd_sipp_sep(r->data + q, eol - q, NULL))
			return q;
		/* Following, a last line still being written that may
		 * become a separator ends the entry (engine_next_tail
		 * reads it): a body is not read on into it. */
		if (r->follow && eol == r->len && r->data[q] == '-' &&
		    rd_sipp_dashes(r->data + q, eol - q))
			return q;
	}
	return r->len;
}

/* Offset of the separator of the entry holding line p, or r->len: the
 * engine restarts a reader at the second message of a TCP read. */
static size_t
rd_sipp_find_back(const struct reader *r, size_t p)
{
	const char *d = r->data, *nl;
	size_t ls, le;

	le = p;
	while (le > 0 && p - le <= RD_SIPP_READ_MAX) {
		/* The line before: from after the previous newline to le. */
		nl = memrchr(d, '\n', le - 1);
		ls = nl != NULL ? (size_t)(nl - d) + 1 : 0;
		if (rd_sipp_sep(d + ls, le - 1 - ls, NULL))
			return ls;
		le = ls;
	}
	return r->len;
}

/* Counts the junk lines in [from, to), warning once for them: a message
 * trace holds nothing but messages. */
static void
rd_sipp_junk(struct reader *r, size_t from, size_t to, uint32_t line,
    const char *why)
{
	size_t p, eol, next, junk = 0;

	for (p = from; p < to; p = next) {
		eol = reader_line_end(r, p, &next);
		if (!rd_sipp_blank(r->data + p, eol - p))
			junk++;
	}
	r->stats.junk_lines += junk;
	if (junk != 0)
		reader_warn(r, line, "skipped %zu line%s %s", junk,
		    junk == 1 ? "" : "s", why);
}

/* The entry whose separator is at hdr: where it ends, looked for from
 * line from on. */
static void
rd_sipp_entry(struct reader *r, struct rd_sipp_state *st, size_t hdr,
    size_t from)
{
	st->hdr = hdr + 1;
	st->end = rd_sipp_find_sep(r, from, hdr + RD_SIPP_READ_MAX);
	st->open = st->end >= r->len;
}

static int
rd_sipp_next(struct reader *r, struct rd_record *rec)
{
	struct rd_sipp_state *st = r->state;
	const char *d = r->data;
	size_t p, eol, next, hdr, ms, lim, end, q, junk0;
	struct rd_sipp_head h;
	uint32_t line, jline;
	int cont;

	/* An entry that was open may have grown, or have been read
	 * further by a look at the file's end (engine_next_tail). */
	if (st->open && st->hdr != 0) {
		reader_line_end(r, st->hdr - 1, &next);
		rd_sipp_entry(r, st, st->hdr - 1, next);
	}
	for (;;) {
		/* Find a separator, or a message that follows another in
		 * the same entry. */
		p = r->pos;
		line = r->line;
		junk0 = p;
		jline = line;
		cont = 0;
		hdr = r->len;
		while (p < r->len) {
			eol = reader_line_end(r, p, &next);
			if (rd_sipp_sep(d + p, eol - p, NULL)) {
				hdr = p;
				break;
			}
			if (rd_raw_is_start(d + p, eol - p)) {
				if (st->hdr != 0 && p < st->end &&
				    p - (st->hdr - 1) <= RD_SIPP_READ_MAX) {
					hdr = st->hdr - 1;
					cont = 1;
					break;
				}
				if (st->hdr == 0 && p == r->pos &&
				    (hdr = rd_sipp_find_back(r, p)) < p &&
				    p - hdr <= RD_SIPP_READ_MAX) {
					rd_sipp_entry(r, st, hdr, p);
					cont = 1;
					break;
				}
				hdr = r->len;
			}
			if (rd_sipp_blank(d + p, eol - p) && junk0 == p) {
				junk0 = next;
				jline++;
			}
			line++;
			p = next;
		}
		rd_sipp_junk(r, junk0, p, jline, "outside any message");
		reader_advance(r, p);
		if (p >= r->len)
			return 0;

		eol = reader_line_end(r, hdr, &next);
		if (!cont)
			rd_sipp_entry(r, st, hdr, next);
		lim = st->end;
		memset(&h, 0, sizeof h);
		if (next < lim) {
			q = next;
			eol = reader_line_end(r, q, &next);
			rd_sipp_what(d + q, eol - q, &h);
		}
		if (cont)
			ms = p;
		else {
			/* The message, after the blank line. */
			for (ms = next; ms < lim; ms = next) {
				eol = reader_line_end(r, ms, &next);
				if (!rd_sipp_blank(d + ms, eol - ms))
					break;
			}
		}
		eol = reader_line_end(r, ms, &next);
		if (h.msg && ms < lim && rd_raw_is_start(d + ms, eol - ms))
			break;
		/* Its message may still come, or more lines of what it has
		 * instead. */
		if (r->follow && st->open)
			return reader_wait(r, rec, p);
		/* An entry that holds no SIP message: an error SIPp had
		 * sending, a compressed or non-SIP packet. */
		rd_sipp_junk(r, p, lim, r->line, "in an entry without a SIP "
		    "message");
		reader_advance(r, lim);
	}

	memset(rec, 0, sizeof *rec);
	rec->time = TIME_NONE;
	eol = reader_line_end(r, hdr, &next);
	rd_sipp_sep(d + hdr, eol - hdr, rec);
	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	rec->dir = h.dir;
	/* SIPp logs no addresses: its own end is local, the peer's is not
	 * known. */
	rec->src = h.dir == DIR_OUT ? SPAN_LIT("local") : SPAN_NULL;
	rec->dst = h.dir == DIR_IN ? SPAN_LIT("local") : SPAN_NULL;
	rec->transport = h.transport;
	end = rd_raw_split_logged(d, ms, lim, lim < r->len, rec);
	if (r->follow && st->open && end >= lim &&
	    !rd_raw_logged_whole(d, ms, lim, rec))
		return reader_wait(r, rec, p);
	if (end < lim && end > ms && d[end - 1] != '\n') {
		/* A body that does not end its line: the rest of the line
		 * belongs to the record. */
		reader_line_end(r, end, &end);
		if (end > lim)
			end = lim;
	}
	rec->len = end - p;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_sipp_format = {
	.name = "sipp",
	.desc = "SIPp message trace (-trace_msg)",
	.probe = rd_sipp_probe,
	.next = rd_sipp_next,
	.state_size = sizeof(struct rd_sipp_state),
	.names_local = 1,
};
