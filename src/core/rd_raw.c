/* rd_raw: raw SIP messages back to back (CRLF or LF), bodies delimited by
 * Content-Length, no times or addresses. Also home of the SIP message
 * splitter the text formats with embedded messages (uccapi, sngrep) share. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"


static int
rd_raw_is_token_char(unsigned char c)
{
	/* RFC 3261 token characters, enough for method names. */
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '!' ||
	    c == '%' || c == '*' || c == '_' || c == '+' || c == '`' ||
	    c == '\'' || c == '~';
}

/* Whether the line p[0..n) (no line ending) looks like a SIP start line:
 * "SIP/2.0 NNN ..." or "METHOD uri SIP/2.0". */
/* "SIP/d.d" at p (7 bytes, the caller checked there are that many). */
static int
rd_raw_is_version(const char *p)
{
	return memcmp(p, "SIP/", 4) == 0 && p[4] >= '0' && p[4] <= '9' &&
	    p[5] == '.' && p[6] >= '0' && p[6] <= '9';
}

int
rd_raw_is_start(const char *p, size_t n)
{
	size_t i, sp;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	/* Any SIP/d.d version frames a message: one with a version other
	 * than 2.0 is kept and flagged by the parser, not lost as junk. */
	if (n >= 9 && rd_raw_is_version(p)) {
		/* A status of three digits, or a bad one (more digits) that
		 * the parser flags. */
		if (p[7] != ' ')
			return 0;
		for (i = 8; i < n && i < 20 && p[i] >= '0' && p[i] <= '9'; i++)
			;
		return i >= 11 && (i == n || p[i] == ' ');
	}
	/* A request: a method token, the Request-URI (with a scheme), the
	 * version. Extra blanks (RFC 4475's invalid lwsstart, lwsruri, trws)
	 * still frame a message, which the parser flags. */
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n < 12 || (p[n - 8] != ' ' && p[n - 8] != '\t') ||
	    !rd_raw_is_version(p + n - 7))
		return 0;
	for (i = 0; i < n && rd_raw_is_token_char((unsigned char)p[i]); i++)
		;
	if (i == 0 || i > 64 || i >= n || p[i] != ' ')
		return 0;
	sp = i + 1;
	return n - 8 > sp && memchr(p + sp, ':', n - 8 - sp) != NULL;
}

long long
rd_raw_content_length(const char *p, size_t n)
{
	size_t i, namelen;
	unsigned long long v = 0;

	if (n == 0 || (p[0] != 'c' && p[0] != 'C' && p[0] != 'l' &&
	    p[0] != 'L'))
		return -1;
	for (i = 0; i < n && p[i] != ':' && p[i] != ' ' && p[i] != '\t'; i++)
		;
	namelen = i;
	if (!(namelen == 1 && (p[0] == 'l' || p[0] == 'L')) &&
	    !(namelen == 14 && strncasecmp(p, "Content-Length", 14) == 0))
		return -1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i >= n || p[i] != ':')
		return -1;
	i++;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i >= n || p[i] < '0' || p[i] > '9')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		v = v * 10 + (unsigned)(p[i] - '0');
		if (v > (1ULL << 40))
			return -1;	/* absurd: treat as absent */
	}
	return (long long)v;
}

/* Splits the SIP message whose start line begins at off, looking no
 * further than lim. Fills start, hdrs and body and returns the offset just
 * after the message. When the message has no Content-Length, *has_cl is 0
 * and body runs to lim: the caller knows better where it ends. A header
 * block or a body cut short by lim sets RECF_TRUNCATED. */
size_t
rd_raw_split(const char *d, size_t off, size_t lim, struct rd_record *rec,
    int *has_cl)
{
	const char *nl;
	size_t p = off, eol, next, len, hstart, hend = 0, body;
	long long cl = -1, v;
	int blank = 0;

	nl = memchr(d + p, '\n', lim - p);
	eol = nl != NULL ? (size_t)(nl - d) : lim;
	next = nl != NULL ? eol + 1 : lim;
	len = eol - p;
	if (len > 0 && d[eol - 1] == '\r')
		len--;
	rec->start.p = d + p;
	rec->start.n = len;

	hstart = p = next;
	while (p < lim) {
		nl = memchr(d + p, '\n', lim - p);
		eol = nl != NULL ? (size_t)(nl - d) : lim;
		next = nl != NULL ? eol + 1 : lim;
		len = eol - p;
		if (len > 0 && d[eol - 1] == '\r')
			len--;
		if (len == 0 && nl != NULL) {
			blank = 1;
			p = next;
			break;
		}
		if (len == 0)	/* a lone "\r" at the very end */
			break;
		if (cl < 0 && (v = rd_raw_content_length(d + p, len)) >= 0)
			cl = v;
		hend = p + len;
		p = next;
	}
	rec->hdrs.p = d + hstart;
	rec->hdrs.n = hend > hstart ? hend - hstart : 0;
	body = p;
	*has_cl = cl >= 0;
	rec->body.p = d + body;
	if (!blank) {
		rec->body.n = 0;
		if (cl != 0)
			rec->flags |= RECF_TRUNCATED;
		body = lim;
	} else if (cl >= 0) {
		if ((unsigned long long)cl <= lim - body) {
			rec->body.n = (size_t)cl;
			body += (size_t)cl;
		} else {
			rec->body.n = lim - body;
			rec->flags |= RECF_TRUNCATED;
			body = lim;
		}
	} else {
		rec->body.n = lim - body;
		body = lim;
	}
	return body;
}

/* Drops the blank lines at the end of d[start..end), keeping the line
 * end of the last line that has text. */
static size_t
rd_raw_trim_blank(const char *d, size_t start, size_t end)
{
	size_t e;

	while (end > start && d[end - 1] == '\n') {
		e = end - 1;
		if (e > start && d[e - 1] == '\r')
			e--;
		if (e != start && d[e - 1] != '\n')
			break;
		end = e;
	}
	return end;
}

/* Offset of the first start line at or after p (a line start) and before
 * lim, or lim. */
static size_t
rd_raw_find_start(const struct reader *r, size_t p, size_t lim)
{
	size_t eol, next;

	while (p < lim) {
		eol = reader_line_end(r, p, &next);
		if (rd_raw_is_start(r->data + p, eol - p))
			return p;
		p = next;
	}
	return lim;
}

/* Skips blank lines and junk up to the next start line; one warning per
 * run of junk. Returns 0 at end of input, -1 when following and a run of
 * junk reaches the end of what is there yet: it may go on, and is warned
 * about once whole (r->pos is left at its start). */
static int
rd_raw_skip(struct reader *r)
{
	size_t p = r->pos, eol, next, junk = 0, i;
	uint32_t line = r->line, first = 0;
	int blank;

	while (p < r->len) {
		eol = reader_line_end(r, p, &next);
		if (rd_raw_is_start(r->data + p, eol - p))
			break;
		blank = 1;
		for (i = p; i < eol && blank; i++) {
			if (r->data[i] != ' ' && r->data[i] != '\t' &&
			    r->data[i] != '\r')
				blank = 0;
		}
		if (!blank) {
			if (junk++ == 0)
				first = line;
		}
		line++;
		p = next;
	}
	if (junk != 0 && p >= r->len && r->follow && !r->quiet)
		return -1;
	if (junk != 0) {
		r->stats.junk_lines += junk;
		reader_warn(r, first,
		    "skipped %zu line%s outside any SIP message",
		    junk, junk == 1 ? "" : "s");
	}
	reader_advance(r, p);
	return p < r->len;
}

/* Whether a message ending at e is followed by what should follow one:
 * the end of the input, or a line that is blank or a start line. */
static int
rd_raw_good_end(const struct reader *r, size_t e)
{
	size_t eol, next, i;

	if (e >= r->len)
		return 1;
	if (e > 0 && r->data[e - 1] != '\n')
		return 0;
	eol = reader_line_end(r, e, &next);
	if (rd_raw_is_start(r->data + e, eol - e))
		return 1;
	for (i = e; i < eol; i++) {
		if (r->data[i] != ' ' && r->data[i] != '\t' &&
		    r->data[i] != '\r')
			return 0;
	}
	return 1;
}

static int
rd_raw_probe(const char *p, size_t n)
{
	size_t i = 0, eol;
	const char *nl;

	/* The first non-blank line must be a SIP start line. */
	while (i < n && (p[i] == '\r' || p[i] == '\n' || p[i] == ' ' ||
	    p[i] == '\t'))
		i++;
	if (i >= n)
		return 0;
	while (i > 0 && p[i - 1] != '\n')
		i--;
	nl = memchr(p + i, '\n', n - i);
	eol = nl != NULL ? (size_t)(nl - p) : n;
	if (rd_raw_is_start(p + i, eol - i))
		return nl != NULL ? 80 : 50;
	/* A few comment lines (# or //) before the first message, saying
	 * where it was captured: the reader skips them with a warning. */
	{
		int lines;

		for (lines = 0; lines < 8 && nl != NULL; lines++) {
			size_t k = i;

			while (k < eol && (p[k] == ' ' || p[k] == '\t' ||
			    p[k] == '\r'))
				k++;
			/* Blank lines between them are fine too. */
			if (k < eol && p[i] != '#' && !(eol - i >= 2 &&
			    p[i] == '/' && p[i + 1] == '/'))
				return 0;
			i = eol + 1;
			nl = i < n ? memchr(p + i, '\n', n - i) : NULL;
			eol = nl != NULL ? (size_t)(nl - p) : n;
			if (nl != NULL && rd_raw_is_start(p + i, eol - i))
				return 60;
		}
	}
	return 0;
}

static int
rd_raw_next(struct reader *r, struct rd_record *rec)
{
	size_t end, bodyend, body0;
	int has_cl, more;

	if ((more = rd_raw_skip(r)) <= 0)
		return more < 0 ? reader_wait(r, rec, r->pos) : 0;
	rec->kind = REC_SIP;
	rec->off = r->pos;
	rec->line = r->line;
	end = rd_raw_split(r->data, r->pos, r->len, rec, &has_cl);
	/* Following, a message that reaches the end of what is there yet
	 * may go on (more headers, the blank line after them, a body
	 * without Content-Length) unless that ends it. Once the file is
	 * quiet it is read as the file's end. */
	if (r->follow && !r->quiet && end >= r->len &&
	    !rd_raw_logged_whole(r->data, rec->off, r->len, rec))
		return reader_wait(r, rec, r->pos);
	/* Nor can a body of its Content-Length that ends there and holds a
	 * start line be told yet: the line after it, not written yet, says
	 * whether it ends there or at that start line (rd_raw_good_end; a
	 * log that lost its CR bytes runs a body into the next message).
	 * Not even once quiet: read as the file's end, the next message's
	 * start line would be taken into this one's body and the rest of
	 * that message lost as junk when it comes. */
	if (r->follow && has_cl && end >= r->len &&
	    !(rec->flags & RECF_TRUNCATED) &&
	    rd_raw_find_start(r, (size_t)(rec->body.p - r->data), end) < end)
		return reader_wait(r, rec, r->pos);
	if (!has_cl && !(rec->flags & RECF_TRUNCATED)) {
		/* No Content-Length: the body runs to the next message, less
		 * the blank lines that separate them. */
		body0 = (size_t)(rec->body.p - r->data);
		end = rd_raw_find_start(r, body0, r->len);
		bodyend = rd_raw_trim_blank(r->data, body0, end);
		rec->body.n = bodyend - body0;
	} else if (has_cl && ((rec->flags & RECF_TRUNCATED) ||
	    !rd_raw_good_end(r, end))) {
		/* Content-Length ends mid-line or in junk: most likely the
		 * file lost its CR bytes and Content-Length counts them. A
		 * message starting inside the body then ends this one. */
		body0 = (size_t)(rec->body.p - r->data);
		bodyend = rd_raw_find_start(r, body0, end);
		if (bodyend < end) {
			end = bodyend;
			bodyend = rd_raw_trim_blank(r->data, body0, end);
			rec->body.n = bodyend - body0;
			rec->flags &= ~(unsigned)RECF_TRUNCATED;
		} else if (rec->flags & RECF_TRUNCATED) {
			/* The file's last message, its CRs lost: whole when
			 * its body, each line break counted as CRLF, is as
			 * long as Content-Length says. */
			struct rd_record t = *rec;

			rd_raw_split_logged(r->data, rec->off, end, 0, &t);
			if (!(t.flags & RECF_TRUNCATED)) {
				rec->body = t.body;
				rec->flags &= ~(unsigned)RECF_TRUNCATED;
			}
		}
	}
	rec->len = end - rec->off;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_raw_format = {
	.name = "raw",
	.desc = "raw SIP messages, one after another",
	.probe = rd_raw_probe,
	.next = rd_raw_next,
	.state_size = 0,
};

/* Content-Length of a header block, or -1. */
static long long
rd_raw_logged_clen(struct span hdrs)
{
	const char *p = hdrs.p, *end = hdrs.p + hdrs.n, *nl;
	size_t n, i;
	long long v;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		i = 0;
		if (n > 14 && strncasecmp(p, "Content-Length", 14) == 0)
			i = 14;
		else if (n > 1 && (p[0] == 'l' || p[0] == 'L') &&
		    (p[1] == ':' || p[1] == ' ' || p[1] == '\t'))
			i = 1;
		if (i != 0) {
			while (i < n && (p[i] == ' ' || p[i] == '\t'))
				i++;
			if (i < n && p[i] == ':') {
				for (i++; i < n && (p[i] == ' ' ||
				    p[i] == '\t'); i++)
					;
				v = -1;
				for (; i < n && (p[i] >= '0' && p[i] <= '9'); i++) {
					v = (v < 0 ? 0 : v * 10) + (p[i] - '0');
					if (v > (1LL << 40))
						return -1;
				}
				if (v >= 0)
					return v;
			}
		}
		p = nl != NULL ? nl + 1 : end;
	}
	return -1;
}

/* Offset of the end of d[start..end) less its trailing blank lines, keeping
 * the line end of the last line with text. */
static size_t
rd_raw_trim_tail(const char *d, size_t start, size_t end)
{
	size_t e;

	while (end > start && d[end - 1] == '\n') {
		e = end - 1;
		if (e > start && d[e - 1] == '\r')
			e--;
		if (e != start && d[e - 1] != '\n')
			break;
		end = e;
	}
	return end;
}

/* Splits the message whose start line is at ms and which cannot go past
 * lim; closed says lim is where the log ends the message (an end marker or
 * the next record), not the end of the file. Content-Length is counted as
 * on the wire: a log that turned CRLF into LF lost one byte per line.
 * Returns the offset just after the message text. */
size_t
rd_raw_split_logged(const char *d, size_t ms, size_t lim, int closed,
    struct rd_record *rec)
{
	size_t b0, i;
	long long cl, adj;
	int has_cl;

	rd_raw_split(d, ms, lim, rec, &has_cl);
	b0 = (size_t)(rec->body.p - d);
	if (b0 >= lim) {
		/* No blank line after the headers. */
		if (closed)
			rec->flags &= ~(unsigned)RECF_TRUNCATED;
		return lim;
	}
	rec->flags &= ~(unsigned)RECF_TRUNCATED;
	cl = has_cl ? rd_raw_logged_clen(rec->hdrs) : -1;
	if (cl >= 0) {
		for (i = b0, adj = 0; i < lim && adj < cl; i++)
			adj += d[i] == '\n' && (i == b0 || d[i - 1] != '\r') ?
			    2 : 1;
		if (adj >= cl) {
			rec->body.n = i - b0;
			return i;
		}
		if (!closed)
			rec->flags |= RECF_TRUNCATED;
	}
	rec->body.n = rd_raw_trim_tail(d, b0, lim) - b0;
	return lim;
}

int
rd_raw_logged_short(const struct rd_record *rec)
{
	long long cl = rd_raw_logged_clen(rec->hdrs), adj = 0;
	size_t i;

	if (cl < 0)
		return 0;
	for (i = 0; i < rec->body.n && adj < cl; i++)
		adj += rec->body.p[i] == '\n' &&
		    (i == 0 || rec->body.p[i - 1] != '\r') ? 2 : 1;
	return adj + 2 < cl;
}

int
rd_raw_logged_whole(const char *d, size_t ms, size_t lim,
    const struct rd_record *rec)
{
	const char *nl;
	size_t p = ms, n;
	int has_cl = 0;

	if (rec->flags & RECF_TRUNCATED)
		return 0;
	for (nl = memchr(d + p, '\n', lim - p); nl != NULL;
	     nl = memchr(d + p, '\n', lim - p)) {
		n = (size_t)(nl - d) - p;
		if (n > 0 && d[p + n - 1] == '\r')
			n--;
		if (n == 0 && p > ms)
			return has_cl;
		if (p > ms && rd_raw_content_length(d + p, n) >= 0)
			has_cl = 1;
		p = (size_t)(nl - d) + 1;
	}
	return 0;
}
