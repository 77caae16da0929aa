/* rd_cisco: Cisco IOS / IOS XE (CUBE, CME, gateways) "debug ccsip messages"
 * output. Each message follows a "//-1/.../SIP/Msg/ccsipDisplayMsg:" line
 * stamped with the router's clock and a "Sent:" or "Received:" line (old
 * releases put "Sent:" right after the time stamp); it runs to the next
 * time-stamped line. The debug gives no addresses. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"


/* What reading on needs: the years passed in a log without them. */
struct rd_cisco_state {
	struct rd_tod roll;
};

static const char *const rd_cisco_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Reads up to max digits at p[*i] (at least one). */
static int
rd_cisco_num(const char *p, size_t n, size_t *i, int max, int *out)
{
	int v = 0, k = 0;

	while (*i < n && k < max && rd_digit(p[*i])) {
		v = v * 10 + (p[*i] - '0');
		(*i)++;
		k++;
	}
	*out = v;
	return k > 0 ? 0 : -1;
}

/* An uptime stamp at p[i..n) (routers without a clock): "00:12:34.567: "
 * (a time of day) or "1w2d: ", "2d03h: " (no time). Returns the length up
 * to and including ": ", or 0. */
static size_t
rd_cisco_uptime(const char *p, size_t n, size_t i, struct rd_record *rec)
{
	size_t j = i;
	int h, mi, s, prec = 0, k;
	long us = 0;

	if (rd_cisco_num(p, n, &j, 2, &h) == 0 && j - i == 2 && j < n &&
	    p[j] == ':') {
		j++;
		if (rd_cisco_num(p, n, &j, 2, &mi) || j >= n || p[j++] != ':' ||
		    rd_cisco_num(p, n, &j, 2, &s) || h > 23 || mi > 59 ||
		    s > 60)
			return 0;
		if (j < n && p[j] == '.')
			j = rd_fraction(p, n, j + 1, &us, &prec);
		if (j + 1 >= n || p[j] != ':' || p[j + 1] != ' ')
			return 0;
		if (rec != NULL) {
			rec->time = time_from_civil(1970, 1, 1, h, mi, s, us);
			rec->time_prec = prec;
			rec->has_date = 0;
			rec->tod_only = 1;
		}
		return j + 2;
	}
	/* "1w2d", "2d03h", "3h45m". */
	for (k = 0, j = i; k < 2; k++) {
		if (rd_cisco_num(p, n, &j, 3, &h) || j >= n ||
		    (p[j] != 'w' && p[j] != 'd' && p[j] != 'h' && p[j] != 'm'))
			return 0;
		j++;
	}
	if (j + 1 >= n || p[j] != ':' || p[j + 1] != ' ')
		return 0;
	return j + 2;
}

/* Length of the time stamp prefix of line p[0..n) up to and including the
 * ": " after it ("000123: *Nov 26 2026 16:00:00.123 UTC: "), or 0. Fills
 * rec's time when rec is not NULL. Without a year the month and day still
 * order the records, but only the time of day is shown. */
static size_t
rd_cisco_prefix(const char *p, size_t n, struct rd_record *rec)
{
	size_t i = 0, j;
	int mo = -1, d, y = 0, h, mi, s, prec = 0, k, v;
	long us = 0;

	/* An optional sequence number "000123: ". */
	j = 0;
	while (j < n && j < 12 && rd_digit(p[j]))
		j++;
	if (j > 0 && j + 1 < n && p[j] == ':' && p[j + 1] == ' ')
		i = j + 2;
	if (i < n && (p[i] == '*' || p[i] == '.'))
		i++;
	if (i < n && rd_digit(p[i]))
		return rd_cisco_uptime(p, n, i, rec);
	if (i + 4 > n)
		return 0;
	for (k = 0; k < 12; k++) {
		if (memcmp(p + i, rd_cisco_months[k], 3) == 0)
			mo = k + 1;
	}
	if (mo < 0 || p[i + 3] != ' ')
		return 0;
	i += 4;
	while (i < n && p[i] == ' ')
		i++;
	if (rd_cisco_num(p, n, &i, 2, &d) || d < 1 || d > 31 || i >= n ||
	    p[i] != ' ')
		return 0;
	i++;
	j = i;
	if (rd_cisco_num(p, n, &j, 4, &v) == 0 && j - i == 4 && j < n &&
	    p[j] == ' ') {
		y = v;
		i = j + 1;
	}
	if (rd_cisco_num(p, n, &i, 2, &h) || i >= n || p[i++] != ':' ||
	    rd_cisco_num(p, n, &i, 2, &mi) || i >= n || p[i++] != ':' ||
	    rd_cisco_num(p, n, &i, 2, &s) || h > 23 || mi > 59 || s > 60)
		return 0;
	if (i < n && p[i] == '.')
		i = rd_fraction(p, n, i + 1, &us, &prec);
	/* An optional time zone name, then ": ". */
	j = i;
	if (j < n && p[j] == ' ') {
		for (j++; j < n && p[j] != ':' && p[j] != ' ' && j - i < 8;
		    j++)
			;
	}
	if (j >= n || p[j] != ':')
		return 0;
	j++;
	if (j < n && p[j] == ' ')
		j++;
	if (rec != NULL) {
		rec->time = time_from_civil(y != 0 ? y : 1970, mo, d, h, mi, s,
		    us);
		rec->time_prec = prec;
		rec->has_date = y != 0;
	}
	return j;
}

/* "Sent:" / "Received:" (trailing blanks allowed): the direction. */
static enum msg_dir
rd_cisco_dirline(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r' ||
	    p[n - 1] == '\t'))
		n--;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n == 5 && memcmp(p, "Sent:", 5) == 0)
		return DIR_OUT;
	if (n == 9 && memcmp(p, "Received:", 9) == 0)
		return DIR_IN;
	return DIR_UNKNOWN;
}

/* Whether the line at p opens a message; *msg is where the message starts
 * and *dir its direction. -1 when it is a ccsipDisplayMsg line whose
 * Sent:/Received: line is not there yet (the last line). */
static int
rd_cisco_head(const char *d, size_t len, size_t p, size_t *msg,
    enum msg_dir *dir)
{
	const char *nl, *rest;
	size_t eol, pl, n, next, eol2;

	nl = memchr(d + p, '\n', len - p);
	eol = nl != NULL ? (size_t)(nl - d) : len;
	next = nl != NULL ? eol + 1 : len;
	pl = rd_cisco_prefix(d + p, eol - p, NULL);
	if (pl == 0)
		return 0;
	rest = d + p + pl;
	n = eol - p - pl;
	if ((*dir = rd_cisco_dirline(rest, n)) != DIR_UNKNOWN) {
		*msg = next;
		return 1;
	}
	if (n < 2 || rest[0] != '/' || memmem(rest, n, "/SIP/Msg/ccsipDisplayMsg:",
	    25) == NULL)
		return 0;
	if (next >= len)
		return -1;
	nl = memchr(d + next, '\n', len - next);
	eol2 = nl != NULL ? (size_t)(nl - d) : len;
	if ((*dir = rd_cisco_dirline(d + next, eol2 - next)) == DIR_UNKNOWN)
		return 0;
	*msg = nl != NULL ? eol2 + 1 : len;
	return 1;
}

static int
rd_cisco_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	}
	return 1;
}

static int
rd_cisco_probe(const char *p, size_t n)
{
	size_t i = 0, eol, msg, pl;
	const char *nl;
	enum msg_dir dir;
	int debug = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		/* A time-stamped debug line with its call's ids,
		 * "//-1/xxxxxxxxxxxx/CCAPI/cc_api_call_setup_ind:". */
		pl = rd_cisco_prefix(p + i, eol - i, NULL);
		if (pl != 0 && eol - i - pl > 4 && p[i + pl] == '/' &&
		    p[i + pl + 1] == '/')
			debug++;
		if (rd_cisco_head(p, n, i, &msg, &dir) == 1) {
			nl = msg < n ? memchr(p + msg, '\n', n - msg) : NULL;
			eol = nl != NULL ? (size_t)(nl - p) : n;
			if (msg < n && rd_raw_is_start(p + msg, eol - msg))
				return 95;
			return 50;
		}
		if (nl == NULL)
			break;
		i = (size_t)(nl - p) + 1;
	}
	/* A router's debug whose first message comes further in than the
	 * probe looks (debug voip ccapi inout is verbose): a guess just
	 * above the threshold, as for Asterisk's full log. */
	return debug >= 3 ? 35 : 0;
}

/* Drops blank lines at the end of d[start..end). */
static size_t
rd_cisco_trim(const char *d, size_t start, size_t end)
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

/* Whether the header block of a message split by rd_raw_split() ended
 * with its blank line (the body starts right after one). */
static int
rd_cisco_had_blank(const char *d, const struct rd_record *rec)
{
	size_t b = (size_t)(rec->body.p - d),
	    s = (size_t)(rec->start.p + rec->start.n - d);

	if (b < s + 2 || d[b - 1] != '\n')
		return 0;
	return d[b - 2] == '\n' || (b >= s + 3 && d[b - 2] == '\r' &&
	    d[b - 3] == '\n');
}

/* Following a growing log: whether the message at msg, which runs to
 * the end of what is there yet (lim), may be read before the next time
 * stamped line ends it. Only once the file is quiet (reader.h quiet), when
 * its headers are ended and its Content-Length's body is there, and its
 * last line is whole: one still being written may be the next time stamp
 * (it would be read into the message). */
static int
rd_cisco_whole(const char *d, size_t msg, size_t lim, int quiet)
{
	struct rd_record t;
	size_t eol;
	const char *nl;

	if (!quiet || msg >= lim || d[lim - 1] != '\n')
		return 0;
	nl = memchr(d + msg, '\n', lim - msg);
	eol = nl != NULL ? (size_t)(nl - d) : lim;
	if (!rd_raw_is_start(d + msg, eol - msg))
		return 0;
	memset(&t, 0, sizeof t);
	rd_raw_split_logged(d, msg, lim, 0, &t);
	return rd_raw_logged_whole(d, msg, lim, &t);
}

static int
rd_cisco_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p = r->pos, eol, next, junk = 0, msg = 0, lim, q, body0, avail;
	size_t cl;
	enum msg_dir dir = DIR_UNKNOWN;
	int has_cl, head = 0;

	/* A router's debug output mixes in other debug categories (ccapi,
	 * voip, dialpeer): counted, not warned about, or the real problems
	 * would drown. */
	while (p < r->len) {
		head = rd_cisco_head(d, r->len, p, &msg, &dir);
		if (head == 1 || (head == -1 && r->follow))
			break;
		eol = reader_line_end(r, p, &next);
		if (!rd_cisco_blank(d + p, eol - p))
			junk++;
		p = next;
	}
	r->stats.junk_lines += junk;
	reader_advance(r, p);
	if (p >= r->len)
		return 0;

	/* The message runs to the next time-stamped line. */
	lim = r->len;
	for (q = msg; head == 1 && q < r->len; q = next) {
		eol = reader_line_end(r, q, &next);
		if (rd_cisco_prefix(d + q, eol - q, NULL) != 0) {
			lim = q;
			break;
		}
	}
	if (r->follow && lim == r->len &&
	    (head != 1 || !rd_cisco_whole(d, msg, lim, r->quiet))) {
		/* Following, that line is not there yet: a truncated
		 * record to the end, read again when more has come. */
		rec->kind = REC_SIP;
		rec->off = p;
		rec->line = r->line;
		rec->len = r->len - p;
		rec->flags = RECF_TRUNCATED;
		reader_advance(r, r->len);
		return 1;
	}

	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	rec->dir = dir;
	eol = reader_line_end(r, p, &next);
	rd_cisco_prefix(d + p, eol - p, rec);
	if (!rec->has_date && !rec->tod_only)	/* "Dec 31" then "Jan  1" */
		rec->time = rd_year_roll(&((struct rd_cisco_state *)
		    r->state)->roll, rec->time);
	if (msg >= lim || !rd_raw_is_start(d + msg,
	    reader_line_end(r, msg, &next) - msg)) {
		/* A Sent:/Received: with no message after it. */
		rec->start.p = rec->hdrs.p = rec->body.p = d + msg;
		rec->flags |= RECF_TRUNCATED;
		if (msg > lim)
			lim = msg;
	} else {
		rd_raw_split(d, msg, lim, rec, &has_cl);
		/* The terminal output has LF line ends while Content-Length
		 * counts CRLF: the next time stamp is what ends the body. */
		body0 = (size_t)(rec->body.p - d);
		avail = rd_cisco_trim(d, body0, lim) - body0;
		cl = rec->body.n;
		if (rd_cisco_had_blank(d, rec)) {
			rec->body.n = has_cl && cl < avail ? cl : avail;
			rec->flags &= ~(unsigned)RECF_TRUNCATED;
			/* Short even with each LF counted as its CRLF: the
			 * log ends inside the body (a capture of the
			 * terminal cut short). */
			if (rd_raw_logged_short(rec))
				rec->flags |= RECF_TRUNCATED;
		}
	}
	rec->src = dir == DIR_OUT ? SPAN_LIT("local") : SPAN_NULL;
	rec->dst = dir == DIR_IN ? SPAN_LIT("local") : SPAN_NULL;
	rec->len = lim - rec->off;
	reader_advance(r, lim);
	return 1;
}

const struct rd_format rd_cisco_format = {
	.name = "cisco",
	.desc = "Cisco IOS/CUBE debug ccsip messages",
	.probe = rd_cisco_probe,
	.next = rd_cisco_next,
	.state_size = sizeof(struct rd_cisco_state),
	.names_local = 1,
};
