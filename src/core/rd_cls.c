/* rd_cls: Lync/OCS/SfB server SIPStack text logs (OCSLogger and CLS
 * output). Each record runs from a "TL_xxx(TF_yyy) ...$$begin_record" line
 * to "$$end_record"; protocol records wrap one SIP message, the others are
 * diagnostic events (a connection record's Peer-IP and Local-IP are its
 * ends). */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

static const char rd_cls_begin[] = "$$begin_record";
static const char rd_cls_end[] = "$$end_record";

static int
rd_cls_digits(const char *p, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parses "MM/DD/YYYY-HH:MM:SS.fff" at p[0..n); the hex sequence number
 * that may follow the fraction is not part of the time. */
static int
rd_cls_time(const char *p, size_t n, struct rd_record *rec)
{
	int mo, d, y;

	if (n < 19 || p[2] != '/' || p[5] != '/' || p[10] != '-')
		return -1;
	if (rd_cls_digits(p, 2, &mo) || rd_cls_digits(p + 3, 2, &d) ||
	    rd_cls_digits(p + 6, 4, &y))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	return rd_clock_on(p, n, 11, ".", y, mo, d, 1, rec) != 0 ? 0 : -1;
}

/* Reads the record's first line p[0..n): level, kind, local host, time. */
static void
rd_cls_head(struct reader *r, const char *p, size_t n, struct rd_record *rec,
    struct span *local)
{
	const char *paren, *br, *brend, *bs, *colons;
	size_t hn;

	paren = memchr(p, '(', n);
	if (paren != NULL) {
		rec->diag_level.p = p;
		rec->diag_level.n = (size_t)(paren - p);
		if ((size_t)(p + n - paren) >= 13 &&
		    memcmp(paren, "(TF_PROTOCOL)", 13) == 0)
			rec->kind = REC_SIP;
		else
			rec->kind = REC_DIAG;
	} else
		rec->kind = REC_DIAG;

	/* "[host\host]" names the server that wrote the log; old logs have
	 * "[0]" there. */
	*local = SPAN_NULL;
	br = memchr(p, '[', n);
	brend = br != NULL ? memchr(br, ']', (size_t)(p + n - br)) : NULL;
	if (br != NULL && brend != NULL) {
		bs = memchr(br + 1, '\\', (size_t)(brend - br - 1));
		hn = (size_t)((bs != NULL ? bs : brend) - (br + 1));
		if (bs != NULL && hn > 0) {
			local->p = br + 1;
			local->n = hn;
			if (hn >= sizeof r->local_name)
				hn = sizeof r->local_name - 1;
			memcpy(r->local_name, br + 1, hn);
			r->local_name[hn] = '\0';
		}
	}
	for (colons = p; (colons = memchr(colons, ':', (size_t)(p + n -
	    colons))) != NULL && colons + 1 < p + n && colons[1] != ':';
	    colons++)
		;
	if (colons != NULL && colons + 1 < p + n)
		rd_cls_time(colons + 2, (size_t)(p + n - colons - 2), rec);
}

/* Value of the "Name: value" line p[0..n) when its name is name. */
#define rd_cls_field(p, n, name, val) \
	rd_cls_field1((p), (n), (name), sizeof(name) - 1, (val))

static int
rd_cls_field1(const char *p, size_t n, const char *name, size_t nl,
    struct span *val)
{

	/* Most lines are none of the names: the first letter or the colon
	 * that ends the name tells. */
	if (n < nl || (p[0] | 0x20) != (name[0] | 0x20) ||
	    p[nl - 1] != name[nl - 1] || !mem_ieq(p, name, nl))
		return 0;
	p += nl;
	n -= nl;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	val->p = p;
	val->n = n;
	return 1;
}


/* Counts non-blank lines in [from, to) and skips them as junk. */
static void
rd_cls_junk(struct reader *r, size_t to)
{
	size_t p = r->pos, eol, next, i, junk = 0;
	uint32_t line = r->line, first = 0;
	int blank;

	while (p < to) {
		eol = reader_line_end(r, p, &next);
		if (eol > to)
			eol = to;
		blank = 1;
		for (i = p; i < eol && blank; i++) {
			if (r->data[i] != ' ' && r->data[i] != '\t' &&
			    r->data[i] != '\r')
				blank = 0;
		}
		if (!blank && junk++ == 0)
			first = line;
		line++;
		p = next;
	}
	if (junk != 0) {
		r->stats.junk_lines += junk;
		reader_warn(r, first, "skipped %zu line%s outside any record",
		    junk, junk == 1 ? "" : "s");
	}
	reader_advance(r, to);
}

/* No record from r->pos to the end: what is there is junk, skipped; 0.
 * Following, junk that reaches the end of what is there yet may go on: it
 * is warned about once whole, waiting as a truncated record (reader.h
 * follow); 1. Out of line: a whole file comes here once. */
static __attribute__((noinline, cold)) int
rd_cls_tail(struct reader *r, struct rd_record *rec)
{
	size_t i;

	for (i = r->pos; r->follow && !r->quiet && i < r->len; i++) {
		if (r->data[i] != ' ' && r->data[i] != '\t' &&
		    r->data[i] != '\r' && r->data[i] != '\n') {
			rec->off = r->pos;
			rec->line = r->line;
			rec->len = r->len - r->pos;
			rec->flags = RECF_TRUNCATED;
			reader_advance(r, r->len);
			return 1;
		}
	}
	rd_cls_junk(r, r->len);
	return 0;
}

/* The first "$$begin_record" or "$$end_record" in [q, lim); *is_end says
 * which. memchr finds the rare '$' several times faster than memmem looks
 * for a two-byte needle, and this runs over every byte of the log. */
static const char *
rd_cls_marker(const char *q, const char *lim, int *is_end)
{
	size_t rest;

	while (lim - q >= 2 &&
	    (q = memchr(q, '$', (size_t)(lim - q - 1))) != NULL) {
		rest = (size_t)(lim - q);
		if (q[1] == '$') {
			if (rest >= sizeof rd_cls_end - 1 &&
			    memcmp(q, rd_cls_end, sizeof rd_cls_end - 1) == 0) {
				*is_end = 1;
				return q;
			}
			if (rest >= sizeof rd_cls_begin - 1 &&
			    memcmp(q, rd_cls_begin,
			    sizeof rd_cls_begin - 1) == 0) {
				*is_end = 0;
				return q;
			}
		}
		q++;
	}
	return NULL;
}

static int
rd_cls_probe(const char *p, size_t n)
{
	const char *b;
	size_t ls;

	b = memmem(p, n, rd_cls_begin, sizeof rd_cls_begin - 1);
	if (b != NULL) {
		ls = (size_t)(b - p);
		while (ls > 0 && p[ls - 1] != '\n')
			ls--;
		if ((size_t)(b - p) - ls >= 3 && memcmp(p + ls, "TL_", 3) == 0)
			return 95;
		return 40;
	}
	/* A first record longer than the probe window. */
	if (n >= 8 && memcmp(p, "TL_", 3) == 0 && memmem(p, n, "(TF_", 4))
		return 60;
	return 0;
}

/* The first line in [p, end) that starts with "Message-Body:" (p starts a
 * line), or end. The header lines between Start-Line and the body are read
 * by the parser, not here, so they are taken sixteen bytes at a time: a
 * byte starts a line when the byte before it is a newline, and only the
 * lines that start with 'M' are compared. */
static const char *
rd_cls_body_line(const char *p, const char *end)
{
	static const char mb[] = "Message-Body:";
	const char *q;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), em = _mm_set1_epi8('M');
	unsigned carry = 1;	/* p starts a line */

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned mnl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		unsigned cand = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    em)) & ((mnl << 1) | carry);

		while (cand != 0) {
			q = p + __builtin_ctz(cand);
			if ((size_t)(end - q) >= sizeof mb - 1 &&
			    memcmp(q, mb, sizeof mb - 1) == 0)
				return q;
			cand &= cand - 1;
		}
		carry = (mnl >> 15) & 1;
		p += 16;
	}
	if (!carry) {
		/* Finish the line the last block ended in. */
		if ((q = find_nl(p, end)) == NULL)
			return end;
		p = q + 1;
	}
#endif
	while (p < end) {
		if (*p == 'M' && (size_t)(end - p) >= sizeof mb - 1 &&
		    memcmp(p, mb, sizeof mb - 1) == 0)
			return p;
		if ((q = find_nl(p, end)) == NULL)
			return end;
		p = q + 1;
	}
	return end;
}

static int
rd_cls_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data, *b, *e, *nb, *q;
	size_t ls, head_end, p, eol, next, len, end, recend, hs = 0, he = 0;
	size_t after, nlines;
	struct span local, val, peer = SPAN_NULL, peer_ip = SPAN_NULL;
	struct span local_ip = SPAN_NULL;
	int in_sip = 0, got_body = 0, is_end = 0, had_nl;

	/* Stray "$$end_record" lines before the record are junk. */
	b = d + r->pos;
	while ((b = rd_cls_marker(b, d + r->len, &is_end)) != NULL && is_end)
		b++;
	if (b == NULL)
		return rd_cls_tail(r, rec);
	/* The record starts on the marker's line. */
	q = memrchr(d + r->pos, '\n', (size_t)(b - d) - r->pos);
	ls = q != NULL ? (size_t)(q - d) + 1 : r->pos;
	rd_cls_junk(r, ls);

	rec->off = ls;
	rec->line = r->line;
	head_end = reader_line_end(r, ls, &after);
	len = head_end - ls;
	if (len > 0 && d[head_end - 1] == '\r')
		len--;
	rd_cls_head(r, d + ls, len, rec, &local);

	/* The record ends at $$end_record, or is cut short by the next
	 * record's first line or the end of the file. One forward scan for
	 * "$$" finds whichever comes first, so a log whose records never end
	 * still reads in linear time. */
	e = nb = NULL;
	q = rd_cls_marker(d + after, d + r->len, &is_end);
	if (q != NULL && is_end)
		e = q;
	else
		nb = q;
	if (e != NULL) {
		end = (size_t)(e - d);
		reader_line_end(r, end, &recend);
	} else {
		rec->flags |= RECF_TRUNCATED;
		end = r->len;
		if (nb != NULL) {
			end = (size_t)(nb - d);
			while (end > after && d[end - 1] != '\n')
				end--;
		}
		recend = end;
	}

	rec->dir = DIR_UNKNOWN;
	rec->start.p = d + after;
	rec->body.p = d + end;
	p = after;
	/* Lines are counted on the way, so that only the body is scanned
	 * again for them at the end. */
	nlines = after > head_end;
	while (p < end) {
		eol = reader_line_end(r, p, &next);
		had_nl = next > eol;
		nlines += had_nl;
		if (eol > end)
			eol = end;
		len = eol - p;
		if (len > 0 && d[eol - 1] == '\r')
			len--;
		if (rec->kind == REC_SIP) {
			if (rd_cls_field(d + p, len, "Start-Line:", &val)) {
				rec->start = val;
				in_sip = 1;
				p = next;
				break;
			} else if (rd_cls_field(d + p, len, "Direction:",
			    &val)) {
				if (val.n >= 8 &&
				    mem_ieq(val.p, "incoming", 8))
					rec->dir = DIR_IN;
				else if (val.n >= 8 &&
				    mem_ieq(val.p, "outgoing", 8))
					rec->dir = DIR_OUT;
			} else if (rd_cls_field(d + p, len, "Peer:", &val))
				peer = val;
			else if (rd_cls_field(d + p, len, "Transport:", &val))
				rec->transport = val;
		} else {
			/* A diagnostic event is all Name: value lines. */
			if (hs == 0)
				hs = p;
			he = p + len;
			if (peer.p == NULL &&
			    rd_cls_field(d + p, len, "Peer:", &val))
				peer = val;
			/* A connection record (TF_CONNECTION) names both
			 * ends of the connection. */
			else if (peer_ip.p == NULL &&
			    rd_cls_field(d + p, len, "Peer-IP:", &val))
				peer_ip = val;
			else if (local_ip.p == NULL &&
			    rd_cls_field(d + p, len, "Local-IP:", &val))
				local_ip = val;
		}
		p = next;
	}
	if (in_sip) {
		/* The header lines run to the "Message-Body:" line, which
		 * begins the body, or to the record's end; the parser reads
		 * them, here they are only counted. */
		size_t hend, z;
		int mb;

		hend = (size_t)(rd_cls_body_line(d + p, d + end) - d);
		mb = hend < end;
		if (mb) {
			eol = reader_line_end(r, hend, &next);
			if (eol > end)
				eol = end;
			len = eol - hend;
			if (len > 0 && d[eol - 1] == '\r')
				len--;
			/* The body begins on this line and runs to
			 * $$end_record; a lone "-" means none. */
			rd_cls_field(d + hend, len, "Message-Body:", &val);
			rec->body.p = val.p;
			rec->body.n = (size_t)(d + end - val.p);
			if (val.n == 1 && val.p[0] == '-' && next >= end)
				rec->body.n = 0;
			got_body = 1;
		}
		if (hend > p) {
			/* Without the last header line's end of line. */
			z = hend;
			if (d[z - 1] == '\n')
				z--;
			if (z > p && d[z - 1] == '\r')
				z--;
			hs = p;
			he = z;
		}
	}
	if (rec->kind == REC_SIP && !in_sip) {
		/* A protocol record without Start-Line: keep it, the parser
		 * flags the missing start line. */
		rec->start.p = d + end;
	}
	if (hs != 0) {
		rec->hdrs.p = d + hs;
		rec->hdrs.n = he - hs;
	} else
		rec->hdrs.p = got_body ? rec->body.p : d + end;
	if (rec->kind == REC_SIP && !got_body && !(rec->flags &
	    RECF_TRUNCATED)) {
		/* No Message-Body line: the message has no body. */
		rec->body.p = d + end;
		rec->body.n = 0;
	}

	if (rec->kind == REC_SIP) {
		rec->diag_level = SPAN_NULL;
		if (local.p == NULL)
			local = SPAN_LIT("local");
		if (rec->dir == DIR_OUT) {
			rec->src = local;
			rec->dst = peer;
		} else {
			rec->src = peer;
			rec->dst = local;
		}
	} else {
		/* The peer the event is about, or the connection's ends. */
		rec->src = peer.p != NULL ? peer : peer_ip;
		rec->dst = local_ip;
		rec->start.p = rec->hdrs.p;
		rec->start.n = 0;
		rec->body.p = d + end;
		rec->body.n = 0;
	}
	rec->len = recend - ls;
	if (p <= recend) {
		r->pos = p;
		r->line += (uint32_t)nlines;
	}
	reader_advance(r, recend);
	return 1;
}

const struct rd_format rd_cls_format = {
	.name = "cls",
	.desc = "Lync/OCS/Skype for Business server SIPStack log (CLS, "
	    "OCSLogger)",
	.probe = rd_cls_probe,
	.next = rd_cls_next,
	.state_size = 0,
	.names_local = 1,
};
