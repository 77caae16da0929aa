/* rd_asterisk: Asterisk's SIP debug output, on the console or in a full log
 * file: chan_sip ("sip set debug on") and res_pjsip_logger ("pjsip set
 * logger on") blocks. Both formats read both kinds of block, since one
 * Asterisk may run both channel drivers; they differ only in their probe.
 * ast_verbose() writes a block in one piece, so in a full log only its
 * first line carries the "[date] VERBOSE[tid] file.c: " prefix and the
 * message lines after it are contiguous: records point into the file.
 * (Logs forwarded through syslog, a prefix on every line, are read by
 * rd_syslog.c, which takes the prefixes off and reads what is left here.) */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* What a block's header line says. */
enum rd_ast_kind {
	RD_AST_NONE = 0,
	RD_AST_READ,		/* <--- SIP read from UDP:addr ---> ... <-----> */
	RD_AST_XMIT,		/* <--- Transmitting (NAT) to addr ---> ... <---> */
	RD_AST_XMIT_COLON,	/* Transmitting (NAT) to addr: ... --- */
	RD_AST_PJ_RX,		/* <--- Received SIP request (N bytes) from ... */
	RD_AST_PJ_TX,		/* <--- Transmitting SIP response (N bytes) to */
};

struct rd_ast_head {
	enum rd_ast_kind kind;
	struct span addr;
	struct span transport;
};


/* What reading on needs: the years passed in a log without them. */
struct rd_ast_state {
	struct rd_tod roll;
};

static const char rd_ast_read[] = "<--- SIP read from ";
static const char rd_ast_pj_rx[] = "<--- Received SIP ";
static const char rd_ast_pj_tx[] = "<--- Transmitting SIP ";
static const char rd_ast_banner_end[] = " --->";
static const char rd_ast_summary[] = "--- (";

static int
rd_ast_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int
rd_ast_starts(const char *p, size_t n, const char *s, size_t sn)
{
	return n >= sn && memcmp(p, s, sn) == 0;
}

static int
rd_ast_ends(const char *p, size_t n, const char *s, size_t sn)
{
	return n >= sn && memcmp(p + n - sn, s, sn) == 0;
}

/* Length of line p[0..n) without its trailing CR and spaces. */
static size_t
rd_ast_rtrim(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t'))
		n--;
	return n;
}

static int
rd_ast_blank(const char *p, size_t n)
{
	return rd_ast_rtrim(p, n) == 0;
}

static int
rd_ast_num(const char *p, int w, int *out)
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

/* Parses the date in a log prefix, p[0..n) being what is inside the
 * brackets: "2025-03-11 09:15:11[.123]" (dateformat = %F %T.%3q) or
 * Asterisk's default "Mar 11 09:15:11" / "Mar  1 09:15:11" (no year: kept
 * as that day of 1970, shown as a time of day, so that a log running past
 * midnight stays in order). Other dateformats give no time. */
static void
rd_ast_date(const char *p, size_t n, struct rd_record *rec)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int y = 1970, mo = 0, d, dated = 0, k;
	size_t i;

	if (n >= 19 && p[4] == '-' && p[7] == '-' && p[10] == ' ' &&
	    rd_ast_num(p, 4, &y) == 0 && rd_ast_num(p + 5, 2, &mo) == 0 &&
	    rd_ast_num(p + 8, 2, &d) == 0) {
		dated = 1;
		i = 11;
	} else if (n >= 15 && p[3] == ' ' && p[6] == ' ') {
		for (k = 0; k < 12; k++) {
			if (memcmp(p, months + 3 * k, 3) == 0)
				mo = k + 1;
		}
		if (mo == 0)
			return;
		if (p[4] == ' ' && rd_digit(p[5]))
			d = p[5] - '0';
		else if (rd_ast_num(p + 4, 2, &d) != 0)
			return;
		i = 7;
	} else
		return;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return;
	rd_clock_on(p, n, i, ".", y, mo, d, dated, rec);
}

/* Length of the prefix of logger.conf's syslog channel at the start of
 * line p[0..n), or 0: "LEVEL[tid][callid]: file.c:123 in func: ", no
 * date (the syslog line's prefix has the time; rd_syslog.c takes it off). */
static size_t
rd_ast_syslog_prefix(const char *p, size_t n)
{
	const char *close;
	size_t i, s;

	for (i = 0; i < n && rd_ast_upper(p[i]); i++)
		;
	if (i == 0 || i >= n || p[i] != '[')
		return 0;
	for (i++, s = i; i < n && rd_digit(p[i]); i++)
		;
	if (i == s || i + 1 >= n || p[i] != ']')
		return 0;
	i++;
	if (p[i] == '[') {
		close = memchr(p + i, ']', n - i < 40 ? n - i : 40);
		if (close == NULL)
			return 0;
		i = (size_t)(close - p) + 1;
	}
	if (i + 1 >= n || p[i] != ':' || p[i + 1] != ' ')
		return 0;
	/* "file.c:123 in func: " */
	for (i += 2, s = i; i < n && p[i] != ' ' && p[i] != ':'; i++)
		;
	if (i == s || i + 1 >= n || p[i] != ':' || !rd_digit(p[i + 1]))
		return 0;
	for (i++; i < n && rd_digit(p[i]); i++)
		;
	if (n - i < 4 || memcmp(p + i, " in ", 4) != 0)
		return 0;
	for (i += 4, s = i; i < n && p[i] != ' ' && p[i] != ':'; i++)
		;
	if (i == s || i >= n || p[i] != ':')
		return 0;
	i++;
	return i < n && p[i] == ' ' ? i + 1 : i;
}

/* Length of a full-log prefix at the start of line p[0..n), or 0 when the
 * line has none: "[date] VERBOSE[tid][callid] file.c: " (1.4 writes
 * logger.c as the file), "[date] LEVEL[tid][callid]: file.c:123 func: "
 * for the other levels, or "[date] " alone on a console with timestamps
 * on (asterisk.conf timestamp = yes); or the syslog channel's, which has
 * no date. Fills rec's time when rec is not NULL and the prefix has one. */
static size_t
rd_ast_prefix(const char *p, size_t n, struct rd_record *rec)
{
	const char *dclose, *close;
	struct rd_record t;
	size_t i, lvl;

	if (n >= 4 && rd_ast_upper(p[0]))
		return rd_ast_syslog_prefix(p, n);
	if (n < 4 || p[0] != '[')
		return 0;
	dclose = memchr(p, ']', n < 48 ? n : 48);
	if (dclose == NULL)
		return 0;
	i = (size_t)(dclose - p) + 1;
	if (i >= n || p[i] != ' ')
		return 0;
	for (i++, lvl = i; i < n && rd_ast_upper(p[i]); i++)
		;
	if (i == lvl || i >= n || p[i] != '[') {
		/* No level: a console timestamp, if it is a date. */
		t.time = TIME_NONE;
		rd_ast_date(p + 1, (size_t)(dclose - p) - 1, &t);
		if (t.time == TIME_NONE)
			return 0;
		if (rec != NULL)
			rd_ast_date(p + 1, (size_t)(dclose - p) - 1, rec);
		return lvl;
	}
	/* The thread id, then an optional call id "[C-0000001a]". */
	for (i++; i < n && rd_digit(p[i]); i++)
		;
	if (i >= n || p[i] != ']')
		return 0;
	i++;
	if (i < n && p[i] == '[') {
		close = memchr(p + i, ']', n - i < 40 ? n - i : 40);
		if (close == NULL)
			return 0;
		i = (size_t)(close - p) + 1;
	}
	if (i < n && p[i] == ':')
		i++;
	if (i >= n || p[i] != ' ')
		return 0;
	/* The source file, "chan_sip.c:" (newer versions add the line). */
	for (i++, lvl = i; i < n && p[i] != ' ' && p[i] != ':'; i++)
		;
	if (i == lvl || i >= n || p[i] != ':')
		return 0;
	i++;
	while (i < n && rd_digit(p[i]))
		i++;
	if (i < n && p[i] == ' ')
		i++;
	if (rec != NULL)
		rd_ast_date(p + 1, (size_t)(dclose - p) - 1, rec);
	return i;
}

/* Splits "UDP:1.2.3.4:5060" into transport and address; chan_sip before
 * 1.8 writes the address alone. */
static void
rd_ast_addr(const char *p, size_t n, struct rd_ast_head *h)
{
	size_t i;

	for (i = 0; i < n && rd_ast_upper(p[i]); i++)
		;
	if (i > 0 && i < 6 && i + 1 < n && p[i] == ':') {
		h->transport.p = p;
		h->transport.n = i;
		p += i + 1;
		n -= i + 1;
	}
	h->addr.p = p;
	h->addr.n = n;
}

/* Whether line p[0..n) (no prefix) is a block header; fills h. */
static int
rd_ast_head(const char *p, size_t n, struct rd_ast_head *h)
{
	const char *to;
	size_t bl = sizeof rd_ast_banner_end - 1, i;

	memset(h, 0, sizeof *h);
	n = rd_ast_rtrim(p, n);
	if (n < 12)
		return 0;
	if (p[0] == '<') {
		if (!rd_ast_ends(p, n, rd_ast_banner_end, bl))
			return 0;
		n -= bl;
		if (rd_ast_starts(p, n, rd_ast_read, sizeof rd_ast_read - 1)) {
			h->kind = RD_AST_READ;
			i = sizeof rd_ast_read - 1;
			rd_ast_addr(p + i, n - i, h);
			return h->addr.n > 0;
		}
		if (rd_ast_starts(p, n, rd_ast_pj_rx, sizeof rd_ast_pj_rx - 1))
			h->kind = RD_AST_PJ_RX;
		else if (rd_ast_starts(p, n, rd_ast_pj_tx,
		    sizeof rd_ast_pj_tx - 1))
			h->kind = RD_AST_PJ_TX;
		else if (rd_ast_starts(p, n, "<--- Transmitting (", 19) ||
		    rd_ast_starts(p, n, "<--- Reliably Transmitting (", 28))
			h->kind = RD_AST_XMIT;
		else
			return 0;
		if (h->kind == RD_AST_PJ_RX) {
			to = memmem(p, n, " bytes) from ", 13);
			i = 13;
		} else {
			to = h->kind == RD_AST_PJ_TX ?
			    memmem(p, n, " bytes) to ", 11) :
			    memmem(p, n, ") to ", 5);
			i = h->kind == RD_AST_PJ_TX ? 11 : 5;
		}
		if (to == NULL)
			return 0;
		i += (size_t)(to - p);
		rd_ast_addr(p + i, n - i, h);
		return h->addr.n > 0 && memchr(h->addr.p, ' ', h->addr.n) ==
		    NULL;
	}
	/* Requests chan_sip sends, and its retransmissions, end in a colon:
	 * "Reliably Transmitting (no NAT) to 1.2.3.4:5060:". */
	if (p[n - 1] != ':')
		return 0;
	if (rd_ast_starts(p, n, "Retransmitting #", 16)) {
		for (i = 16; i < n && rd_digit(p[i]); i++)
			;
		if (i == 16 || n - i < 3 || p[i] != ' ' || p[i + 1] != '(')
			return 0;
	} else if (!rd_ast_starts(p, n, "Transmitting (", 14) &&
	    !rd_ast_starts(p, n, "Reliably Transmitting (", 23))
		return 0;
	to = memmem(p, n, ") to ", 5);
	if (to == NULL)
		return 0;
	i = (size_t)(to - p) + 5;
	h->kind = RD_AST_XMIT_COLON;
	rd_ast_addr(p + i, n - 1 - i, h);
	return h->addr.n > 0 && memchr(h->addr.p, ' ', h->addr.n) == NULL;
}

/* rd_ast_opens() of a followed log's last line, a prefix whose text is
 * empty: the header line that may follow it is not there yet. */
#define RD_AST_WAIT ((size_t)-1)

/* Whether the block at line p (its first line) opens a record: a header
 * line, prefixed or not, or a prefix line whose text is empty followed by
 * a header line (ast_verbose("\n<--- SIP read ...")). Fills h and returns
 * the offset of the line after the header, 0, or RD_AST_WAIT. */
static size_t
rd_ast_opens(const struct reader *r, size_t p, struct rd_ast_head *h)
{
	const char *d = r->data;
	size_t eol, next, pl, eol2, next2;

	eol = reader_line_end(r, p, &next);
	pl = rd_ast_prefix(d + p, eol - p, NULL);
	if (rd_ast_head(d + p + pl, eol - p - pl, h))
		return next;
	if (pl == 0 || !rd_ast_blank(d + p + pl, eol - p - pl))
		return 0;
	if (next >= r->len)
		return r->follow ? RD_AST_WAIT : 0;
	eol2 = reader_line_end(r, next, &next2);
	if (rd_ast_head(d + next, eol2 - next, h))
		return next2;
	return 0;
}

/* Whether line p[0..n) ends a block of kind k. */
static int
rd_ast_marker(const char *p, size_t n, enum rd_ast_kind k)
{
	size_t i;

	n = rd_ast_rtrim(p, n);
	if (k == RD_AST_XMIT_COLON)
		return n == 3 && memcmp(p, "---", 3) == 0;
	if (k != RD_AST_READ && k != RD_AST_XMIT)
		return 0;
	if (n < 5 || p[0] != '<' || p[n - 1] != '>')
		return 0;
	for (i = 1; i < n - 1; i++) {
		if (p[i] != '-')
			return 0;
	}
	return 1;
}

/* Whether the line at p starts something else: a log line or a header. */
static int
rd_ast_boundary(const struct reader *r, size_t p, size_t eol)
{
	struct rd_ast_head h;

	return rd_ast_prefix(r->data + p, eol - p, NULL) != 0 ||
	    rd_ast_head(r->data + p, eol - p, &h);
}

/* Whether line p[0..n) carries Asterisk's logger prefix with a level,
 * "[date] LEVEL[tid]", not only a console timestamp. */
static int
rd_ast_logger_line(const char *p, size_t n, size_t pl)
{
	const char *close;

	if (pl == 0)
		return 0;
	close = memchr(p, ']', pl);
	return close != NULL && (size_t)(close - p) + 2 < pl &&
	    rd_ast_upper(close[2]);
}

static int
rd_ast_probe_kind(const char *p, size_t n, int pj)
{
	size_t i = 0, eol, pl, next, eol2;
	const char *nl;
	struct rd_ast_head h;
	int heads = 0, others = 0, logged = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		next = nl != NULL ? eol + 1 : n;
		pl = rd_ast_prefix(p + i, eol - i, NULL);
		logged += rd_ast_logger_line(p + i, eol - i, pl);
		if (!rd_ast_head(p + i + pl, eol - i - pl, &h))
			;
		else if ((h.kind == RD_AST_PJ_RX || h.kind == RD_AST_PJ_TX) !=
		    (pj != 0))
			others++;
		else {
			heads++;
			nl = memchr(p + next, '\n', n - next);
			eol2 = nl != NULL ? (size_t)(nl - p) : n;
			if (next < n && rd_raw_is_start(p + next, eol2 - next))
				return 95;
		}
		i = next;
	}
	if (heads > 0)
		return 60;
	/* An Asterisk full log whose SIP debug starts further in than the
	 * probe looks: a guess just above the threshold, which any format
	 * that recognises its own lines beats. */
	if (!pj && others == 0 && logged >= 3)
		return 35;
	return 0;
}

static int
rd_ast_probe(const char *p, size_t n)
{
	return rd_ast_probe_kind(p, n, 0);
}

static int
rd_ast_pj_probe(const char *p, size_t n)
{
	return rd_ast_probe_kind(p, n, 1);
}

/* Skips the lines of a block that holds no SIP message (chan_sip logs NAT
 * keep-alives like this): counted, and warned about when not blank. */
static void
rd_ast_not_sip(struct reader *r, size_t from, size_t to, uint32_t line)
{
	size_t p = from, eol, next, junk = 0;

	while (p < to) {
		eol = reader_line_end(r, p, &next);
		if (!rd_ast_blank(r->data + p, eol - p))
			junk++;
		p = next;
	}
	r->stats.junk_lines += junk;
	if (junk != 0)
		reader_warn(r, line, "skipped %zu line%s: no SIP message in "
		    "the block", junk, junk == 1 ? "" : "s");
}

static int
rd_ast_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p, eol, next, ms = 0, lim, end, q, pl, junk;
	struct rd_ast_head h;
	int marked, closed;

	for (;;) {
		/* The lines of a full log that are not SIP debug are its
		 * normal content: counted, not warned about. */
		p = r->pos;
		junk = 0;
		while (p < r->len) {
			if ((ms = rd_ast_opens(r, p, &h)) != 0)
				break;
			eol = reader_line_end(r, p, &next);
			if (!rd_ast_blank(d + p, eol - p))
				junk++;
			p = next;
		}
		r->stats.junk_lines += junk;
		reader_advance(r, p);
		if (p >= r->len)
			return 0;
		if (ms == RD_AST_WAIT)
			return reader_wait(r, rec, p);

		/* Where the block ends: its marker (chan_sip), else the
		 * next log line or header, else the end of the input. */
		marked = 0;
		lim = r->len;
		for (q = ms; q < r->len; q = next) {
			eol = reader_line_end(r, q, &next);
			if (rd_ast_marker(d + q, eol - q, h.kind)) {
				marked = 1;
				lim = q;
				break;
			}
			if (rd_ast_boundary(r, q, eol)) {
				lim = q;
				break;
			}
		}
		end = marked ? next : lim;
		if (marked && h.kind == RD_AST_READ && end < r->len) {
			/* chan_sip's "--- (9 headers 0 lines) ---" after
			 * what it read. */
			eol = reader_line_end(r, end, &next);
			pl = rd_ast_prefix(d + end, eol - end, NULL);
			if (rd_ast_starts(d + end + pl, eol - end - pl,
			    rd_ast_summary, sizeof rd_ast_summary - 1) &&
			    rd_ast_ends(d + end, rd_ast_rtrim(d + end,
			    eol - end), " ---", 4))
				end = next;
		} else if (marked && h.kind == RD_AST_READ && r->follow &&
		    !r->quiet) {
			/* Its summary line comes right after it. */
			return reader_wait(r, rec, p);
		}
		eol = reader_line_end(r, ms, &next);
		/* A followed block with no end yet: chan_sip's marker may
		 * come, PJSIP's next log line (what the message itself
		 * says whole, the last one logged, is not kept waiting). */
		if (r->follow && !marked && lim == r->len &&
		    ((h.kind != RD_AST_PJ_RX && h.kind != RD_AST_PJ_TX) ||
		     ms >= lim || !rd_raw_is_start(d + ms, eol - ms)))
			return reader_wait(r, rec, p);
		if (ms < lim && rd_raw_is_start(d + ms, eol - ms))
			break;
		rd_ast_not_sip(r, ms, lim, r->line);
		reader_advance(r, end > ms ? end : ms);
	}

	memset(rec, 0, sizeof *rec);
	rec->time = TIME_NONE;
	eol = reader_line_end(r, p, &next);
	rd_ast_prefix(d + p, eol - p, rec);
	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	/* PJSIP blocks have no end marker: the next log line ends them. */
	closed = marked || ((h.kind == RD_AST_PJ_RX || h.kind == RD_AST_PJ_TX) &&
	    lim < r->len);
	q = rd_raw_split_logged(d, ms, lim, closed, rec);
	/* Closed by the log, yet short of its Content-Length: cut on the
	 * way, by rsyslog mostly, which keeps 8 KiB of an entry. */
	if (closed && rd_raw_logged_short(rec))
		rec->flags |= RECF_TRUNCATED;
	if (r->follow && !closed && lim == r->len && q >= lim &&
	    !rd_raw_logged_whole(d, ms, lim, rec))
		return reader_wait(r, rec, p);
	if (!rec->has_date)	/* "Dec 31" then "Jan  1": a year on */
		rec->time = rd_year_roll(&((struct rd_ast_state *)
		    r->state)->roll, rec->time);
	if (!marked && q < lim) {
		/* No end marker: the record ends with the message's line. */
		end = q;
		if (end > ms && d[end - 1] != '\n')
			reader_line_end(r, end, &end);
		if (end > lim)
			end = lim;
	}
	/* The log gives the peer's address only: its own end is local. */
	if (h.kind == RD_AST_READ || h.kind == RD_AST_PJ_RX) {
		rec->dir = DIR_IN;
		rec->src = h.addr;
		rec->dst = SPAN_LIT("local");
	} else {
		rec->dir = DIR_OUT;
		rec->src = SPAN_LIT("local");
		rec->dst = h.addr;
	}
	rec->transport = h.transport;
	rec->len = end - p;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_asterisk_format = {
	.name = "asterisk",
	.desc = "Asterisk chan_sip debug (sip set debug on), console or full "
	    "log",
	.probe = rd_ast_probe,
	.next = rd_ast_next,
	.state_size = sizeof(struct rd_ast_state),
	.names_local = 1,
};

const struct rd_format rd_pjsip_format = {
	.name = "pjsip",
	.desc = "Asterisk PJSIP logger (pjsip set logger on), console or full "
	    "log",
	.probe = rd_ast_pj_probe,
	.next = rd_ast_next,
	.state_size = sizeof(struct rd_ast_state),
	.names_local = 1,
};
