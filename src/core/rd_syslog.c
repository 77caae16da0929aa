/* rd_syslog: any log this program reads, as syslog or the journal stored
 * it: a "time host program[pid]: " prefix on every line (BSD syslog,
 * rsyslog's RFC 3339 stamps, journalctl's short, short-iso, short-precise,
 * short-full and short-unix outputs, RFC 5424 headers, a "<PRI>" kept
 * before any of them), a multi-line entry's other lines
 * indented under it (journalctl) or joined with "#012" (rsyslog). The
 * prefixes of one program are taken off, the log inside is read by its own
 * format, and its records come out as canonical ones with the file's line
 * numbers and, when the inner log gives no date, the prefix's time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "reader.h"
#include "rd_common.h"

extern const struct rd_format rd_syslog_format;
extern const struct rd_format rd_kamailio_syslog_format;
extern const struct rd_format rd_pcap_format;

/* Longest host and program names taken for a prefix's. */
#define RD_SYSLOG_NAME_MAX 64
/* The head looked at to find the program and the inner format (as much
 * as reader_probe() gives a probe), and the score below which the inner
 * format is only a guess (reader.c's threshold). */
#define RD_SYSLOG_HEAD 8192
#define RD_SYSLOG_MIN 30
/* Programs told apart in the probed head, at most. */
#define RD_SYSLOG_KEYS 16

static const char *const rd_syslog_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* What a line's prefix says. */
struct rd_syslog_pre {
	size_t len;		/* bytes of the prefix: the message follows */
	struct span host;	/* may be empty (a syslogd that writes none) */
	struct span prog;	/* the program, without its [pid] */
	int64_t time;		/* wall clock; a BSD stamp's year is 1970 */
	int64_t off;		/* its UTC offset, TIME_NONE when not given */
	int prec;
	int has_date;		/* the stamp has a year */
};

/* The program whose lines are read: its host and name. */
struct rd_syslog_key {
	char host[RD_SYSLOG_NAME_MAX];
	char prog[RD_SYSLOG_NAME_MAX];
	size_t nhost, nprog;
};

/* From this inner line on (a line of the text given to the inner reader)
 * lines are file lines from file on, or all file line file (flat: the
 * lines of one "#012"-joined syslog line). */
struct rd_syslog_bp {
	uint32_t inner;
	uint32_t file;
	int flat;
};

/* One program's lines with their prefixes taken off: its own log. */
struct rd_syslog_strip {
	struct rd_syslog_key key;
	uint32_t inner;		/* the inner text's next line */
	struct rd_syslog_bp *map;	/* NULL: no map kept */
	size_t nmap, capmap;
	struct strbuf in;	/* the inner text */
	struct spill sp;	/* where it goes once large */
	size_t lines;		/* file lines it took */
};

/* Taking the prefixes off, line after line, each program's lines to its
 * own inner text. */
struct rd_syslog_split {
	struct rd_syslog_strip *progs;
	size_t nprogs, max;	/* programs told apart, at most max */
	size_t cur;		/* the last prefixed line's, or nprogs: none */
	size_t indent;		/* a journal entry's other lines' indent */
	int maps;		/* keep the line maps */
	const char *dir;	/* and the spill of the inner texts */
	size_t chunk;
	size_t junk;		/* lines of no program, or of one past max */
	size_t over;		/* lines of programs past max */
	int past;		/* the current entry is of one past max */
};

/* "HH:MM:SS[.ffffff]" at p[at..n): the time of day in microseconds (or
 * -1) and the end in *end. A dot without a digit after it is not a
 * fraction's: the time ends before it. */
static int64_t
rd_syslog_clock(const char *p, size_t n, size_t at, int *prec, size_t *end)
{
	int64_t tod = rd_clock(p, n, at, ".", prec, end);

	if (tod >= 0 && *prec == 0)
		*end = at + 8;
	return tod;
}

/* "YYYY-MM-DD" at p[at..n) followed by sep: 0, or -1. */
static int
rd_syslog_date(const char *p, size_t n, size_t at, char sep, int *y, int *mo,
    int *d)
{
	if (at + 11 > n || p[at + 4] != '-' || p[at + 7] != '-' ||
	    p[at + 10] != sep || rd_num(p, n, at, 4, y) ||
	    rd_num(p, n, at + 5, 2, mo) || rd_num(p, n, at + 8, 2, d) ||
	    *mo < 1 || *mo > 12 || *d < 1 || *d > 31)
		return -1;
	return 0;
}

/* The stamp at the start of p[0..n): its end, or 0. The time is the
 * stamp's wall clock, and off its UTC offset when it gives one
 * (rd_syslog_time applies it). */
static size_t
rd_syslog_stamp(const char *p, size_t n, struct rd_syslog_pre *pre)
{
	int y, mo, d, k;
	int64_t tod;
	size_t i, end;

	pre->has_date = 1;
	pre->off = TIME_NONE;
	/* RFC 3339: rsyslog, journalctl -o short-iso[-precise]. */
	if (rd_syslog_date(p, n, 0, 'T', &y, &mo, &d) == 0) {
		tod = rd_syslog_clock(p, n, 11, &pre->prec, &end);
		if (tod < 0)
			return 0;
		/* Z, +01:00, or +0100 as older journalctl writes. */
		if (end < n && p[end] != ' ' &&
		    rd_utc_offset(p, n, end, &pre->off, &end) != 0)
			return 0;
		pre->time = time_from_civil(y, mo, d, 0, 0, 0, 0) + tod;
		return end;
	}
	/* journalctl -o short-full: "Tue 2025-03-11 09:15:12 CET". */
	if (n > 4 && p[3] == ' ' &&
	    rd_syslog_date(p, n, 4, ' ', &y, &mo, &d) == 0) {
		tod = rd_syslog_clock(p, n, 15, &pre->prec, &end);
		if (tod < 0 || end >= n || p[end] != ' ')
			return 0;
		/* The zone's name: only UTC's offset is known without the
		 * zone database. */
		i = ++end;
		for (; end < n && p[end] != ' '; end++)
			;
		if ((end - i == 3 && (memcmp(p + i, "UTC", 3) == 0 ||
		    memcmp(p + i, "GMT", 3) == 0)))
			pre->off = 0;
		pre->time = time_from_civil(y, mo, d, 0, 0, 0, 0) + tod;
		return end;
	}
	/* journalctl -o short-unix: seconds since the epoch, UTC. */
	for (i = 0; i < n && i < 12 && rd_digit(p[i]); i++)
		;
	if (i >= 9 && i < n && p[i] == '.') {
		int64_t secs = 0;
		long us;

		for (k = 0; k < (int)i; k++)
			secs = secs * 10 + (p[k] - '0');
		end = rd_fraction(p, n, i + 1, &us, &pre->prec);
		if (pre->prec == 0)
			return 0;
		pre->time = secs * 1000000 + us;
		pre->off = 0;
		return end;
	}
	/* BSD: "Mar 11 09:15:12", "Mar  1 09:15:12", journalctl's short and
	 * short-precise (a fraction). No year: 1970, its month and day. */
	if (n < 15 || p[3] != ' ')
		return 0;
	for (k = 0; k < 12; k++) {
		if (memcmp(p, rd_syslog_months[k], 3) == 0)
			break;
	}
	if (k == 12)
		return 0;
	i = p[4] == ' ' ? 5 : 4;
	if (rd_num(p, n, i, 2, &d) == 0 && i + 2 < n && p[i + 2] == ' ')
		i += 3;
	else if (rd_num(p, n, i, 1, &d) == 0 && p[i + 1] == ' ')
		i += 2;		/* "Mar 1", not padded */
	else
		return 0;
	if (d < 1 || d > 31)
		return 0;
	tod = rd_syslog_clock(p, n, i, &pre->prec, &end);
	if (tod < 0)
		return 0;
	pre->time = time_from_civil(1970, k + 1, d, 0, 0, 0, 0) + tod;
	pre->has_date = 0;
	return end;
}

/* "name[pid]:" or "name:" at p[at..n), then a space or the line's end:
 * the name in *name, and the end (after the space), or 0. */
static size_t
rd_syslog_tag(const char *p, size_t n, size_t at, struct span *name)
{
	size_t i = at;

	while (i < n && p[i] != ' ' && p[i] != '[' && p[i] != ':' &&
	    p[i] != '\t')
		i++;
	if (i == at || i - at > RD_SYSLOG_NAME_MAX - 1 || i >= n)
		return 0;
	name->p = p + at;
	name->n = i - at;
	if (p[i] == '[') {
		for (i++; i < n && rd_digit(p[i]); i++)
			;
		if (i >= n || p[i] != ']')
			return 0;
		i++;
	}
	if (i >= n || p[i] != ':')
		return 0;
	i++;
	if (i < n && p[i] == '\r' && i + 1 == n)
		return i;
	if (i < n && p[i] != ' ')
		return 0;
	return i < n ? i + 1 : i;
}

/* The next space-separated field of an RFC 5424 header at p[*i..n),
 * after its space: 0 when there is none or it is too long for a name. */
static int
rd_syslog_field(const char *p, size_t n, size_t *i, struct span *f)
{
	size_t s;

	if (*i >= n || p[*i] != ' ')
		return 0;
	for (s = ++*i; *i < n && p[*i] != ' '; (*i)++)
		;
	if (*i == s || *i - s > RD_SYSLOG_NAME_MAX - 1)
		return 0;
	f->p = p + s;
	f->n = *i - s;
	return 1;
}

/* An RFC 5424 header from p[i..n) on, after "<PRI>1 ": "TIMESTAMP HOST
 * APP PROCID MSGID SD MSG" (rsyslog's RSYSLOG_SyslogProtocol23Format,
 * syslog-ng). */
static int
rd_syslog_5424(const char *p, size_t n, size_t i, struct rd_syslog_pre *pre)
{
	struct span skip;
	size_t e;

	if (i >= n || !rd_digit(p[i]))
		return 0;
	e = rd_syslog_stamp(p + i, n - i, pre);
	if (e == 0 || !pre->has_date)
		return 0;
	i += e;
	if (!rd_syslog_field(p, n, &i, &pre->host) ||
	    !rd_syslog_field(p, n, &i, &pre->prog) ||
	    !rd_syslog_field(p, n, &i, &skip) ||	/* PROCID */
	    !rd_syslog_field(p, n, &i, &skip) ||	/* MSGID */
	    i + 1 >= n || p[i] != ' ')
		return 0;
	if (span_eq(pre->host, "-"))
		pre->host = SPAN_NULL;
	/* The structured data: "-", or "[id k="v"]..." with \] escaped. */
	i++;
	if (p[i] == '-')
		i++;
	else {
		while (i < n && p[i] == '[') {
			for (i++; i < n && p[i] != ']'; i++) {
				if (p[i] == '\\' && i + 1 < n)
					i++;
			}
			if (i >= n)
				return 0;
			i++;
		}
	}
	if (i < n && p[i] != ' ')
		return 0;
	if (i < n)
		i++;
	/* A UTF-8 message may start with a byte order mark. */
	if (n - i >= 3 && memcmp(p + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	pre->len = i;
	return 1;
}

/* Whether line p[0..n) starts with a syslog or journal prefix; fills pre.
 * A "<PRI>" may come first (a syslogd that keeps it, RFC 5424). */
static int
rd_syslog_prefix(const char *p, size_t n, struct rd_syslog_pre *pre)
{
	size_t i = 0, h, end, st;

	memset(pre, 0, sizeof *pre);
	if (n > 3 && p[0] == '<') {
		for (i = 1; i < n && i < 5 && rd_digit(p[i]); i++)
			;
		if (i == 1 || i >= n || p[i] != '>')
			return 0;
		i++;
		if (n - i > 2 && p[i] == '1' && p[i + 1] == ' ')
			return rd_syslog_5424(p, n, i + 2, pre);
	}
	st = rd_syslog_stamp(p + i, n - i, pre);
	if (st == 0)
		return 0;
	i += st;
	if (i >= n || p[i] != ' ')
		return 0;
	i++;
	/* The host, unless the syslogd wrote none. */
	end = rd_syslog_tag(p, n, i, &pre->prog);
	if (end != 0) {
		pre->len = end;
		return 1;
	}
	for (h = i; h < n && p[h] != ' '; h++)
		;
	if (h == i || h - i > RD_SYSLOG_NAME_MAX - 1 || h >= n)
		return 0;
	pre->host.p = p + i;
	pre->host.n = h - i;
	end = rd_syslog_tag(p, n, h + 1, &pre->prog);
	if (end == 0)
		return 0;
	pre->len = end;
	return 1;
}

static int
rd_syslog_is_key(const struct rd_syslog_key *key,
    const struct rd_syslog_pre *pre)
{
	/* A line without a host has none (NULL): not for memcmp(). */
	return pre->host.n == key->nhost && pre->prog.n == key->nprog &&
	    (key->nhost == 0 ||
	    memcmp(pre->host.p, key->host, key->nhost) == 0) &&
	    memcmp(pre->prog.p, key->prog, key->nprog) == 0;
}

static int
rd_syslog_is_key_of(const struct rd_syslog_key *a,
    const struct rd_syslog_key *b)
{
	return a->nhost == b->nhost && a->nprog == b->nprog &&
	    memcmp(a->host, b->host, a->nhost) == 0 &&
	    memcmp(a->prog, b->prog, a->nprog) == 0;
}

static void
rd_syslog_set_key(struct rd_syslog_key *key, const struct rd_syslog_pre *pre)
{
	if (pre->host.n > 0)
		memcpy(key->host, pre->host.p, pre->host.n);
	key->nhost = pre->host.n;
	memcpy(key->prog, pre->prog.p, pre->prog.n);
	key->nprog = pre->prog.n;
}

/* Whether line p[0..n) is one of journalctl's own: "-- Boot 1f2e... --",
 * "-- Logs begin at ... --", "-- No entries --". */
static int
rd_syslog_marker(const char *p, size_t n)
{
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n >= 6 && memcmp(p, "-- ", 3) == 0 &&
	    memcmp(p + n - 3, " --", 3) == 0;
}

/* Looks at the head p[0..n): 1 when its lines are syslog or journal lines,
 * with *key the program to read: the first that logged a SIP message line,
 * or the one with most lines. */
static int
rd_syslog_head(const char *p, size_t n, struct rd_syslog_key *key)
{
	struct rd_syslog_key keys[RD_SYSLOG_KEYS];
	size_t counts[RD_SYSLOG_KEYS], nkeys = 0, i = 0, eol, k, best = 0;
	size_t prefixed = 0, cont = 0, other = 0, cur = RD_SYSLOG_KEYS;
	struct rd_syslog_pre pre;
	const char *nl;
	int sip = 0, lone = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		/* The last line may be cut by the head's end: it counts when
		 * its prefix is there, never against. An entry rsyslog
		 * joined with "#012" is one line of up to its message size
		 * (8 KiB, often raised for SIP): the head may hold a single
		 * one and the start of the next, or the start of one. */
		if (nl == NULL && prefixed > 0 &&
		    !rd_syslog_prefix(p + i, eol - i, &pre))
			break;
		if (nl == NULL && i == 0 && memmem(p, n, "#012", 4) != NULL)
			lone = 1;
		if (rd_syslog_prefix(p + i, eol - i, &pre)) {
			prefixed++;
			for (k = 0; k < nkeys && !rd_syslog_is_key(&keys[k],
			    &pre); k++)
				;
			if (k == nkeys && nkeys < RD_SYSLOG_KEYS) {
				rd_syslog_set_key(&keys[nkeys], &pre);
				counts[nkeys++] = 0;
			}
			cur = k;
			if (k < nkeys)
				counts[k]++;
		} else if (eol == i || (cur != RD_SYSLOG_KEYS &&
		    !rd_syslog_marker(p + i, eol - i)))
			cont++;		/* a line of the entry above */
		else {
			other++;
			cur = RD_SYSLOG_KEYS;
		}
		/* The message may be on the entry's first line or after. */
		if (!sip && cur < nkeys && memmem(p + i, eol - i, "SIP/2.0",
		    7) != NULL) {
			sip = 1;
			best = cur;
		}
		if (nl == NULL)
			break;
		i = eol + 1;
	}
	/* A line or two that look like it in another log are not enough;
	 * a joined entry that fills the head is. */
	if ((prefixed < 2 && !(lone && prefixed == 1)) ||
	    prefixed + cont < 4 * other || nkeys == 0)
		return 0;
	if (!sip) {
		for (k = 1; k < nkeys; k++) {
			if (counts[k] > counts[best])
				best = k;
		}
	}
	*key = keys[best];
	return 1;
}

/* Inner line st->inner comes from file line file. */
static void
rd_syslog_map(struct rd_syslog_strip *st, uint32_t file)
{
	struct rd_syslog_bp *bp;
	uint32_t want;

	if (st->map == NULL)
		return;
	if (st->nmap > 0) {
		bp = &st->map[st->nmap - 1];
		want = bp->flat ? bp->file : bp->file + (st->inner - bp->inner);
		if (want == file)
			return;
		/* The line after the first of a "#012"-joined one. */
		if (!bp->flat && bp->inner + 1 == st->inner &&
		    bp->file == file) {
			bp->flat = 1;
			return;
		}
	}
	st->map = xgrow(st->map, &st->capmap, st->nmap + 1, sizeof *st->map);
	st->map[st->nmap].inner = st->inner;
	st->map[st->nmap].file = file;
	st->map[st->nmap].flat = 0;
	st->nmap++;
}

/* Appends message p[0..n) of file line file as lines of the inner text,
 * rsyslog's "#ooo" escapes of control bytes undone: "#012" begins another
 * line. */
static void
rd_syslog_emit(struct rd_syslog_strip *st, const char *p, size_t n,
    uint32_t file)
{
	struct strbuf *out = &st->in;
	const char *e = p + n, *h;
	char c;

	rd_syslog_map(st, file);
	while (p < e) {
		h = memchr(p, '#', (size_t)(e - p));
		if (h == NULL)
			break;
		strbuf_add(out, p, (size_t)(h - p));
		if (e - h >= 4 && h[1] == '0' && h[2] >= '0' && h[2] <= '3' &&
		    h[3] >= '0' && h[3] <= '7') {
			c = (char)((h[2] - '0') * 8 + h[3] - '0');
			strbuf_addc(out, c);
			if (c == '\n') {
				st->inner++;
				rd_syslog_map(st, file);
			}
			p = h + 4;
		} else {
			strbuf_addc(out, '#');
			p = h + 1;
		}
	}
	strbuf_add(out, p, (size_t)(e - p));
	strbuf_addc(out, '\n');
	st->inner++;
	st->lines++;
	spill_maybe(&st->sp, out);
}

static void
rd_syslog_split_init(struct rd_syslog_split *sp, size_t max, int maps,
    const char *dir, size_t chunk)
{
	memset(sp, 0, sizeof *sp);
	sp->progs = xcalloc(max, sizeof *sp->progs);
	sp->max = max;
	sp->maps = maps;
	sp->dir = dir;
	sp->chunk = chunk;
}

/* Program k of the split is the one of key. */
static struct rd_syslog_strip *
rd_syslog_split_add(struct rd_syslog_split *sp, const struct rd_syslog_key *key)
{
	struct rd_syslog_strip *st = &sp->progs[sp->nprogs++];

	st->key = *key;
	st->inner = 1;
	if (sp->maps)
		st->map = xgrow(NULL, &st->capmap, 1, sizeof *st->map);
	strbuf_init(&st->in);
	spill_init(&st->sp, sp->dir, sp->chunk);
	return st;
}

static void
rd_syslog_split_free(struct rd_syslog_split *sp)
{
	size_t i;

	for (i = 0; i < sp->nprogs; i++) {
		free(sp->progs[i].map);
		strbuf_free(&sp->progs[i].in);
		spill_free(&sp->progs[i].sp);
	}
	free(sp->progs);
}

/* The program of prefix pre: one already seen, a new one while there is
 * room, or sp->nprogs (none). */
static size_t
rd_syslog_split_prog(struct rd_syslog_split *sp,
    const struct rd_syslog_pre *pre)
{
	struct rd_syslog_key key;
	size_t k;

	for (k = 0; k < sp->nprogs; k++) {
		if (rd_syslog_is_key(&sp->progs[k].key, pre))
			return k;
	}
	if (sp->nprogs == sp->max)
		return sp->nprogs;
	rd_syslog_set_key(&key, pre);
	rd_syslog_split_add(sp, &key);
	return sp->nprogs - 1;
}

/* Takes the prefix off file line p[0..n) (line file): its message, a
 * journal entry's next line or a blank line in one go into its program's
 * inner text. 1 when the line has a prefix (in *pre), else 0. */
static int
rd_syslog_line(struct rd_syslog_split *sp, const char *p, size_t n,
    uint32_t file, struct rd_syslog_pre *pre_out)
{
	struct rd_syslog_pre pre;
	size_t i;

	if (rd_syslog_prefix(p, n, &pre)) {
		if (pre_out != NULL)
			*pre_out = pre;
		sp->cur = rd_syslog_split_prog(sp, &pre);
		sp->indent = pre.len;
		/* A program beyond those told apart. */
		sp->past = sp->cur == sp->nprogs && sp->nprogs == sp->max;
		if (sp->cur < sp->nprogs)
			rd_syslog_emit(&sp->progs[sp->cur], p + pre.len,
			    n - pre.len, file);
		else {
			sp->junk++;
			sp->over += sp->past;
		}
		return 1;
	}
	if (sp->past && !rd_syslog_marker(p, n)) {
		/* A further line of its entry, left out with it (one that
		 * is told apart would have taken it, blank or not). */
		sp->junk++;
		sp->over++;
		return 0;
	}
	if (sp->cur < sp->nprogs && !rd_syslog_marker(p, n)) {
		/* journalctl indents the entry's further lines under its
		 * first line's text; syslog-ng writes them as they are. A
		 * blank line of the entry may have lost its indent. */
		for (i = 0; i < n && i < sp->indent && p[i] == ' '; i++)
			;
		if (i < sp->indent && !(i == n || (i + 1 == n &&
		    p[i] == '\r')))
			i = 0;
		rd_syslog_emit(&sp->progs[sp->cur], p + i, n - i, file);
		return 0;
	}
	sp->cur = sp->nprogs;
	sp->past = 0;
	if (n > 0)
		sp->junk++;
	return 0;
}

/* The formats the inner text may be in: not this one, not one that reads
 * syslog lines of its own, not a capture. */
static const struct rd_format *
rd_syslog_inner(const char *p, size_t n, int *score)
{
	const struct rd_format *best = NULL;
	size_t i;
	int s;

	*score = 0;
	for (i = 0; reader_formats[i] != NULL; i++) {
		if (reader_formats[i] == &rd_syslog_format ||
		    reader_formats[i] == &rd_kamailio_syslog_format ||
		    reader_formats[i] == &rd_pcap_format)
			continue;
		s = reader_formats[i]->probe(p, n);
		if (s > *score) {
			best = reader_formats[i];
			*score = s;
		}
	}
	return best;
}

static int
rd_syslog_probe(const char *p, size_t n)
{
	struct rd_syslog_key key;
	struct rd_syslog_split sp;
	struct strbuf *in;
	const char *nl, *e = p + n;
	int score = 0;

	/* Kamailio's debugger blocks have a reader that knows them. */
	if (!rd_syslog_head(p, n, &key) ||
	    rd_kamailio_syslog_format.probe(p, n) > 0)
		return 0;
	/* The inner text of the head's program alone. */
	rd_syslog_split_init(&sp, 1, 0, NULL, 0);
	in = &rd_syslog_split_add(&sp, &key)->in;
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		rd_syslog_line(&sp, p, (size_t)((nl != NULL ? nl : e) - p), 0,
		    NULL);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (in->len > 0)
		rd_syslog_inner(in->buf, in->len, &score);
	rd_syslog_split_free(&sp);
	return score;
}

/* The file line of inner line line. */
/* Index of the last breakpoint of st's map at or before inner line line
 * (0 when none is, or the map is empty). */
static size_t
rd_syslog_map_at(const struct rd_syslog_strip *st, uint32_t line)
{
	size_t lo = 0, hi = st->nmap, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (st->map[mid].inner <= line)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t
rd_syslog_file_line(const struct rd_syslog_strip *st, uint32_t line)
{
	size_t lo = rd_syslog_map_at(st, line);
	const struct rd_syslog_bp *bp;

	if (st->nmap == 0 || st->map[lo].inner > line)
		return line;
	bp = &st->map[lo];
	return bp->flat ? bp->file : bp->file + (line - bp->inner);
}

/* Going through the file once more for the prefix times of records'
 * lines, which come in order. */
struct rd_syslog_times {
	const struct reader *r;
	const struct rd_syslog_key *key;
	size_t pos;		/* the start of line line */
	uint32_t line;
	struct rd_syslog_pre last;	/* the program's last prefix */
	int have;
	struct rd_tod roll;	/* a BSD stamp has no year */
	size_t released;	/* the file's pages handed back again */
};

/* The time of the prefix over file line line (its own, or the entry's it
 * is a line of), in *pre; 0 when there is none. */
static int
rd_syslog_time_at(struct rd_syslog_times *t, uint32_t line,
    struct rd_syslog_pre *pre)
{
	struct rd_syslog_pre cur;
	size_t eol, next;

	/* From the start (the first time too): past a byte order mark. */
	if (t->pos == 0 ||
	    (line < t->line && !(t->have && line + 1 == t->line))) {
		t->pos = t->r->len >= 3 && memcmp(t->r->data,
		    "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		t->line = 1;
		t->have = 0;
	}
	while (t->line <= line && t->pos < t->r->len) {
		eol = reader_line_end(t->r, t->pos, &next);
		if (rd_syslog_prefix(t->r->data + t->pos, eol - t->pos, &cur) &&
		    rd_syslog_is_key(t->key, &cur)) {
			t->last = cur;
			t->have = 1;
		}
		t->pos = next;
		t->line++;
	}
	/* This second pass must not keep the whole file resident either. */
	if (t->r->mapped)
		t->released = pages_release(t->r->data, t->released, t->pos,
		    1u << 20);
	if (!t->have)
		return 0;
	*pre = t->last;
	if (!pre->has_date)
		pre->time = rd_year_roll(&t->roll, pre->time);
	return 1;
}

/* The inner record's time, or the prefix's where it has no date: the
 * prefix's day with the inner time of day when it gives one. */
static void
rd_syslog_time_of(const struct rd_syslog_pre *p, struct rd_record *rec)
{
	struct rd_syslog_pre pre = *p;
	int64_t tod, v;
	if (rec->time != TIME_NONE && rec->has_date) {
		/* The log's own date and time, in a zone the stamp tells. */
		if (pre.off != TIME_NONE)
			rec->time = rd_zone_near(rec->time, pre.time, pre.off);
		return;
	}
	/* The prefix gives at least month and day. */
	rec->tod_only = 0;
	if (rec->time == TIME_NONE || rec->time < 0) {
		rec->time = pre.time;
		rec->time_prec = pre.prec;
		rec->has_date = pre.has_date;
		if (pre.off != TIME_NONE)
			rec->time -= pre.off;
		return;
	}
	/* The clocks may lie on either side of a midnight. */
	tod = rec->time % RD_DAY;
	v = pre.time - pre.time % RD_DAY + tod;
	if (v - pre.time > RD_DAY / 2)
		v -= RD_DAY;
	else if (pre.time - v > RD_DAY / 2)
		v += RD_DAY;
	rec->time = v;
	rec->has_date = pre.has_date;
	if (pre.off != TIME_NONE)
		rec->time = rd_zone_near(v, pre.time, pre.off);
}

/* The time of the record at file line line (rd_syslog_time_of). */
static void
rd_syslog_time(struct rd_syslog_times *t, uint32_t line, struct rd_record *rec)
{
	struct rd_syslog_pre pre;

	if (rd_syslog_time_at(t, line, &pre))
		rd_syslog_time_of(&pre, rec);
}

/* Whether the bytes from p to e are line breaks only. */
static int
rd_syslog_breaks(const char *p, const char *e)
{
	for (; p < e; p++) {
		if (*p != '\r' && *p != '\n')
			return 0;
	}
	return 1;
}

/* The line breaks around rec's header block, as the text it was read from
 * has them, so that the message reads as it was logged. */
static void
rd_syslog_keep_breaks(struct rd_record *rec)
{
	if (rec->hdrs.n > 0 && rec->start.p + rec->start.n <= rec->hdrs.p &&
	    rec->hdrs.p + rec->hdrs.n <= rec->body.p &&
	    rd_syslog_breaks(rec->start.p + rec->start.n, rec->hdrs.p) &&
	    rd_syslog_breaks(rec->hdrs.p + rec->hdrs.n, rec->body.p)) {
		rec->hdrs.p = rec->start.p + rec->start.n;
		rec->hdrs.n = (size_t)(rec->body.p - rec->hdrs.p);
	}
}

/* Frees what spill_finish() gave back. */
static void
rd_syslog_free_text(char *data, size_t len, int mapped)
{
	if (mapped)
		munmap(data, len);
	else
		free(data);
}

/* Copies the warnings of inner reader ir onto r at their file lines. */
static void
rd_syslog_warnings(struct reader *r, const struct reader *ir,
    const struct rd_syslog_strip *st)
{
	size_t i;

	for (i = 0; i < ir->nwarnings; i++)
		reader_warn(r, ir->warnings[i].line != 0 ?
		    rd_syslog_file_line(st, ir->warnings[i].line) : 0, "%s",
		    ir->warnings[i].msg);
}

/* An end the inner log calls "local" (its own), or leaves unnamed, is
 * named local when there is one. */
static void
rd_syslog_name_end(struct span *end, const char *local)
{
	if (local != NULL && (end->n == 0 || (end->n == 5 &&
	    memcmp(end->p, "local", 5) == 0))) {
		end->p = local;
		end->n = strlen(local);
	}
}

/* Reads inner text in[0..n) of program st with format f, a record at a
 * time into out as canonical records, its own end named local (NULL: as
 * the inner log names it). Returns 0, or -1 with *err. */
static int
rd_syslog_read(struct reader *r, struct strbuf *out, const char *in,
    size_t n, int mapped, const struct rd_format *f,
    struct rd_syslog_strip *st, const char *local, char **err)
{
	struct reader *ir, *cr = NULL;
	struct strbuf conv;
	struct spill sp;
	struct rd_syslog_times times;
	struct rd_record rec;
	char *data = NULL, *note = NULL;
	size_t len = 0;
	int cmapped = 0, rc = 0;

	ir = reader_new(f, in, n);
	ir->mapped = mapped;
	if (f->transform != NULL) {
		/* The inner format converts too: its records are read back. */
		spill_init(&sp, r->spill != NULL ? r->spill->dir : NULL,
		    r->spill != NULL ? r->spill->chunk : 0);
		ir->spill = &sp;
		strbuf_init(&conv);
		rc = f->transform(ir, &conv, err);
		if (rc == 0 && spill_finish(&sp, &conv, &data, &len, &cmapped,
		    &note, err) < 0)
			rc = -1;
		strbuf_free(&conv);
		spill_free(&sp);
		ir->spill = NULL;
		if (rc < 0) {
			reader_free(ir);
			return -1;
		}
		if (note != NULL) {
			reader_warn(r, 0, "%s", note);
			free(note);
		}
		cr = reader_new(&rd_canon_format, data, len);
		cr->mapped = cmapped;
	}
	memset(&times, 0, sizeof times);
	times.r = r;
	times.key = &st->key;
	times.line = 1;
	while (reader_next(cr != NULL ? cr : ir, &rec)) {
		rec.line = rd_syslog_file_line(st, rec.line);
		rd_syslog_time(&times, rec.line, &rec);
		rd_syslog_keep_breaks(&rec);
		if (rec.kind == REC_SIP) {
			rd_syslog_name_end(&rec.src, local);
			rd_syslog_name_end(&rec.dst, local);
		}
		rd_canon_emit(out, &rec);
		reader_spill(r, out);
		/* The inner text, once read, is handed back as the input is. */
		if (cr != NULL)
			reader_release(cr, cr->pos);
		else
			reader_release(ir, ir->pos);
	}
	rd_syslog_warnings(r, ir, st);
	if (cr != NULL)
		rd_syslog_warnings(r, cr, st);
	r->stats.junk_lines += ir->stats.junk_lines;
	if (local == NULL)
		memcpy(r->local_name, ir->local_name, sizeof r->local_name);
	reader_free(cr);
	reader_free(ir);
	rd_syslog_free_text(data, len, cmapped);
	return 0;
}

/* The start of the line k lines before the first that holds "SIP/2.0"
 * in d[from..len), or len when there is none. */
static size_t
rd_syslog_before_sip(const char *d, size_t from, size_t len, int k)
{
	const char *m = memmem(d + from, len - from, "SIP/2.0", 7);
	size_t p;

	if (m == NULL)
		return len;
	for (p = (size_t)(m - d); p > from && d[p - 1] != '\n'; p--)
		;
	while (k-- > 0 && p > from) {
		for (p--; p > from && d[p - 1] != '\n'; p--)
			;
	}
	return p;
}

/* The head from r->pos held no SIP message line: the program whose
 * prefix is over the first one after from (or over the journal entry it
 * is a line of) is the one read, when there is one. */
static void
rd_syslog_late_key(const struct reader *r, size_t from,
    struct rd_syslog_key *key)
{
	struct rd_syslog_pre pre;
	size_t p, eol, next;
	int k;

	p = rd_syslog_before_sip(r->data, from, r->len, 0);
	/* An entry's further lines have no prefix of their own. */
	for (k = 0; p < r->len && k < 64; k++) {
		eol = reader_line_end(r, p, &next);
		if (rd_syslog_prefix(r->data + p, eol - p, &pre)) {
			rd_syslog_set_key(key, &pre);
			return;
		}
		if (p == from)
			return;
		for (p--; p > from && r->data[p - 1] != '\n'; p--)
			;
	}
}

/* The format of inner text d[0..len) (probed at its head, or at its first
 * message when the head is not enough), or NULL. */
static const struct rd_format *
rd_syslog_inner_of(const char *d, size_t len)
{
	const struct rd_format *f;
	size_t p;
	int score;

	f = rd_syslog_inner(d, len < RD_SYSLOG_HEAD ? len : RD_SYSLOG_HEAD,
	    &score);
	if (f == NULL || score < RD_SYSLOG_MIN) {
		/* The first message comes later: the log is probed there. */
		p = rd_syslog_before_sip(d, 0, len, 4);
		if (p < len)
			f = rd_syslog_inner(d + p, len - p < RD_SYSLOG_HEAD ?
			    len - p : RD_SYSLOG_HEAD, &score);
	}
	return f != NULL && score >= RD_SYSLOG_MIN ? f : NULL;
}

/* A program's inner text, once taken off the file, and its format. */
struct rd_syslog_text {
	char *data;
	size_t len;
	int mapped;
	int sip;			/* it holds a SIP message line */
	const struct rd_format *f;	/* NULL: not read */
};

/* The programs' canonical records into out in the order of their file
 * lines: each program's come in that order, so they are merged. */
static int
rd_syslog_merge(struct reader *r, struct strbuf *out, struct strbuf *outs,
    struct spill *sps, size_t n, char **err)
{
	struct rd_syslog_text *t = xcalloc(n, sizeof *t);
	struct reader **cr = xcalloc(n, sizeof *cr);
	struct rd_record *rec = xcalloc(n, sizeof *rec);
	int *have = xcalloc(n, sizeof *have), rc = 0;
	char *note = NULL;
	size_t i, k;

	for (i = 0; i < n && rc == 0; i++) {
		if (spill_finish(&sps[i], &outs[i], &t[i].data, &t[i].len,
		    &t[i].mapped, &note, err) < 0) {
			rc = -1;
			break;
		}
		if (note != NULL) {
			reader_warn(r, 0, "%s", note);
			free(note);
			note = NULL;
		}
		cr[i] = reader_new(&rd_canon_format, t[i].data, t[i].len);
		cr[i]->mapped = t[i].mapped;
		have[i] = reader_next(cr[i], &rec[i]);
	}
	for (;;) {
		for (k = n, i = 0; rc == 0 && i < n; i++) {
			if (have[i] && (k == n || rec[i].line < rec[k].line))
				k = i;
		}
		if (k == n)
			break;
		rd_syslog_keep_breaks(&rec[k]);
		rd_canon_emit(out, &rec[k]);
		reader_spill(r, out);
		reader_release(cr[k], cr[k]->pos);
		have[k] = reader_next(cr[k], &rec[k]);
	}
	for (i = 0; i < n; i++) {
		reader_free(cr[i]);
		if (t[i].data != NULL)
			rd_syslog_free_text(t[i].data, t[i].len, t[i].mapped);
	}
	free(have);
	free(rec);
	free(cr);
	free(t);
	return rc;
}

/* Reads the programs of sp whose texts t[] have a format, into out. One is
 * read as it is; several each name their own end after their host (or
 * program), and their records are merged in file order. */
static int
rd_syslog_read_all(struct reader *r, struct strbuf *out,
    struct rd_syslog_split *sp, struct rd_syslog_text *t, char **err)
{
	struct strbuf *outs;
	struct spill *sps;
	char (*names)[RD_SYSLOG_NAME_MAX + 1];
	size_t i, n = 0, k;
	int rc = 0;

	for (i = 0; i < sp->nprogs; i++)
		n += t[i].f != NULL;
	for (i = 0; n == 1 && i < sp->nprogs; i++) {
		if (t[i].f != NULL)
			return rd_syslog_read(r, out, t[i].data, t[i].len,
			    t[i].mapped, t[i].f, &sp->progs[i], NULL, err);
	}
	outs = xcalloc(n, sizeof *outs);
	sps = xcalloc(n, sizeof *sps);
	names = xcalloc(n, sizeof *names);
	for (i = 0, k = 0; i < sp->nprogs && rc == 0; i++) {
		const struct rd_syslog_key *key = &sp->progs[i].key;

		if (t[i].f == NULL)
			continue;
		if (key->nhost > 0)
			memcpy(names[k], key->host, key->nhost);
		else
			memcpy(names[k], key->prog, key->nprog);
		strbuf_init(&outs[k]);
		spill_init(&sps[k], r->spill != NULL ? r->spill->dir : NULL,
		    r->spill != NULL ? r->spill->chunk : 0);
		rc = rd_syslog_read(r, &outs[k], t[i].data, t[i].len,
		    t[i].mapped, t[i].f, &sp->progs[i], names[k], err);
		k++;
	}
	if (rc == 0)
		rc = rd_syslog_merge(r, out, outs, sps, k, err);
	for (i = 0; i < k; i++) {
		strbuf_free(&outs[i]);
		spill_free(&sps[i]);
	}
	free(names);
	free(sps);
	free(outs);
	return rc;
}

static int
rd_syslog_transform(struct reader *r, struct strbuf *out, char **err)
{
	struct rd_syslog_key key;
	struct rd_syslog_split sp;
	struct rd_syslog_text *t;
	size_t p = r->pos, eol, next, head, i, nsip = 0;
	uint32_t line = r->line;
	char *note = NULL;
	int rc = 0;

	head = r->len - r->pos < RD_SYSLOG_HEAD ? r->len - r->pos :
	    RD_SYSLOG_HEAD;
	if (!rd_syslog_head(r->data + r->pos, head, &key)) {
		*err = xstrdup("no syslog or journal lines found");
		return -1;
	}
	if (memmem(r->data + r->pos, head, "SIP/2.0", 7) == NULL)
		rd_syslog_late_key(r, r->pos + head, &key);
	/* The inner texts are nearly as large as the input: they go to
	 * temporary files as the output does. */
	rd_syslog_split_init(&sp, RD_SYSLOG_KEYS, 1,
	    r->spill != NULL ? r->spill->dir : NULL,
	    r->spill != NULL ? r->spill->chunk : 0);
	for (; p < r->len; p = next, line++) {
		reader_release(r, p);
		eol = reader_line_end(r, p, &next);
		rd_syslog_line(&sp, r->data + p, eol - p, line, NULL);
	}
	reader_advance(r, r->len);
	if (sp.over > 0)
		reader_warn(r, 0, "more than %d programs: %zu line%s of the "
		    "later ones left out", RD_SYSLOG_KEYS, sp.over,
		    sp.over == 1 ? "" : "s");
	t = xcalloc(sp.nprogs, sizeof *t);
	for (i = 0; i < sp.nprogs && rc == 0; i++) {
		struct rd_syslog_strip *st = &sp.progs[i];

		rc = spill_finish(&st->sp, &st->in, &t[i].data, &t[i].len,
		    &t[i].mapped, &note, err);
		if (note != NULL) {
			reader_warn(r, 0, "%s", note);
			free(note);
			note = NULL;
		}
		t[i].sip = t[i].len > 0 &&
		    memmem(t[i].data, t[i].len, "SIP/2.0", 7) != NULL;
		nsip += t[i].sip;
	}
	/* The programs that logged SIP messages are read; with none, the
	 * one the head chose, which may still be a log without any. The
	 * lines of the others are not part of a log that is read. */
	for (i = 0; i < sp.nprogs && rc == 0; i++) {
		if ((nsip > 0 && t[i].sip) || (nsip == 0 && rd_syslog_is_key_of(
		    &sp.progs[i].key, &key)))
			t[i].f = rd_syslog_inner_of(t[i].data, t[i].len);
		if (t[i].f == NULL)
			sp.junk += sp.progs[i].lines;
		else if (r->inner == NULL)
			r->inner = t[i].f;
	}
	r->stats.junk_lines += sp.junk;
	if (rc == 0 && r->inner == NULL) {
		*err = xasprintf("syslog lines of %.*s, but no log that "
		    "sipsnoop reads in them", (int)key.nprog, key.prog);
		rc = -1;
	}
	if (rc == 0)
		rc = rd_syslog_read_all(r, out, &sp, t, err);
	for (i = 0; i < sp.nprogs; i++) {
		if (t[i].data != NULL)
			rd_syslog_free_text(t[i].data, t[i].len, t[i].mapped);
	}
	free(t);
	rd_syslog_split_free(&sp);
	return rc;
}

/* Following a log as it comes (rd_syslog_more). A program is read once it
 * has logged a SIP message line and its inner format is told, by a reader
 * of its own that follows its inner text as engine.c follows a file: a
 * record cut short by the text's end, or one framed by what comes after
 * it, waits for its program's next lines. Records go out in file line
 * order: a record waits while a program read may still give one before
 * it. A program is read from the line x at which its format is told
 * (its first SIP message line, or later while its text is too short to
 * tell it): a record of it that starts before x is ordered at x, so that
 * the order does not depend on where the input was cut (the transform,
 * which sees all, orders by lines: the two differ only when another
 * program's record lies in between). Its own end is named after its host
 * when another program is read by then (the transform: when another is
 * read at all). */

/* A prefix of a program's (its time) over its lines from file line line
 * on. */
struct rd_syslog_at {
	uint32_t line;
	struct rd_syslog_pre pre;	/* its spans cleared */
};

/* A record read, waiting for its turn: its canonical record in its
 * program's queue. */
struct rd_syslog_wait {
	uint32_t key;		/* its line, or the line its program was
				 * first read from when later */
	size_t off, len;
	int tent;		/* read as at the end, for now (READER_PAUSE) */
};

enum rd_syslog_how {
	RD_SYSLOG_UNREAD,	/* no SIP message line yet */
	RD_SYSLOG_TELL,		/* one, the inner format not told yet */
	RD_SYSLOG_READ,
	RD_SYSLOG_LEFT,		/* no format read as it comes */
};

struct rd_syslog_prog {
	enum rd_syslog_how how;
	uint32_t first;		/* the inner line its text now begins with */
	/* The line of its first SIP message line; once read, the line at
	 * which its format was told (its records are ordered from there). */
	uint32_t from;
	struct reader *ir;	/* RD_SYSLOG_READ: over its inner text */
	size_t read_to;		/* bytes of the inner text ir was given */
	struct rd_syslog_at *at;
	size_t nat, capat, atk;
	struct rd_tod roll;
	struct strbuf q;	/* the records waiting */
	struct rd_syslog_wait *w;
	size_t nw, capw, wk;
	size_t ntent;		/* records read as at the end, for now */
	/* Its reader before that (READER_PAUSE), to read on from. */
	struct {
		size_t pos, read_to;
		uint32_t line;
		struct rd_stats stats;
		struct rd_tod roll;
		void *state;
		int have;
	} back;
};

struct rd_syslog_live {
	struct rd_syslog_split sp;
	struct rd_syslog_prog progs[RD_SYSLOG_KEYS];
	size_t nread;		/* programs read */
	size_t records;		/* records given */
	int over;		/* the lines left out were warned about */
	uint32_t over_line;	/* the first of them */
	uint32_t next;		/* the next file line to split */
	/* The program of the last record given, and whether it was read as
	 * at the end for now (reader redo). */
	size_t last;
	int last_tent;
	size_t last_len;
};

static void
rd_syslog_more_free(struct reader *r)
{
	struct rd_syslog_live *l = r->state;
	size_t k;

	if (l == NULL)
		return;
	for (k = 0; k < RD_SYSLOG_KEYS; k++) {
		reader_free(l->progs[k].ir);
		free(l->progs[k].back.state);
		free(l->progs[k].at);
		strbuf_free(&l->progs[k].q);
		free(l->progs[k].w);
	}
	rd_syslog_split_free(&l->sp);
	free(l);
	r->state = NULL;
}

/* The prefix over file line line of program p (its lines are asked for
 * in order), its year rolled on: 0 when there is none. */
static int
rd_syslog_live_pre(struct rd_syslog_prog *p, uint32_t line,
    struct rd_syslog_pre *pre)
{
	while (p->atk + 1 < p->nat && p->at[p->atk + 1].line <= line)
		p->atk++;
	if (p->atk >= p->nat || p->at[p->atk].line > line)
		return 0;
	*pre = p->at[p->atk].pre;
	if (!pre->has_date)
		pre->time = rd_year_roll(&p->roll, pre->time);
	/* What is passed is not asked for again. */
	if (p->atk >= 1024 && p->atk * 2 >= p->nat) {
		memmove(p->at, p->at + p->atk, (p->nat - p->atk) *
		    sizeof *p->at);
		p->nat -= p->atk;
		p->atk = 0;
	}
	return 1;
}

/* Program k has logged a SIP message line: its format, once told (by
 * the text it has so far while under RD_SYSLOG_HEAD bytes and still
 * unsure; at the end, by what it has). */
static void
rd_syslog_live_tell(struct reader *r, struct rd_syslog_live *l, size_t k,
    int end)
{
	struct rd_syslog_strip *st = &l->sp.progs[k];
	struct rd_syslog_prog *p = &l->progs[k];
	const struct rd_format *f;
	int score;

	if (!end && st->in.len < RD_SYSLOG_HEAD) {
		f = rd_syslog_inner(st->in.buf, st->in.len, &score);
		if (f == NULL || score < RD_SYSLOG_MIN)
			return;
	} else {
		f = rd_syslog_inner_of(st->in.buf, st->in.len);
	}
	if (f == NULL) {
		p->how = RD_SYSLOG_LEFT;
		return;
	}
	if (f->transform != NULL) {
		/* Converted whole (FreeSWITCH): not read as it comes. */
		reader_warn(r, p->from, "%.*s's %s log is not read as it "
		    "comes: its lines are left out (open the file again to "
		    "read them)", (int)st->key.nprog, st->key.prog, f->name);
		p->how = RD_SYSLOG_LEFT;
		return;
	}
	p->ir = reader_new(f, st->in.buf, st->in.len);
	p->ir->line = p->first;
	p->how = RD_SYSLOG_READ;
	/* Its records are ordered from the line read now on. */
	p->from = l->next - 1;
	l->nread++;
	if (r->inner == NULL)
		r->inner = f;
}

/* Drops the breakpoints of st's map before inner line line. */
static void
rd_syslog_map_from(struct rd_syslog_strip *st, uint32_t line)
{
	size_t lo = rd_syslog_map_at(st, line);

	if (lo > 0) {
		memmove(st->map, st->map + lo, (st->nmap - lo) *
		    sizeof *st->map);
		st->nmap -= lo;
	}
}

/* Drops the prefixes of p before the one over file line line. */
static void
rd_syslog_at_from(struct rd_syslog_prog *p, uint32_t line)
{
	size_t k = 0;

	while (k + 1 < p->nat && p->at[k + 1].line <= line)
		k++;
	if (k > 0) {
		memmove(p->at, p->at + k, (p->nat - k) * sizeof *p->at);
		p->nat -= k;
		p->atk = p->atk > k ? p->atk - k : 0;
	}
}

/* The text of a program not read (yet) kept at most: its last lines, in
 * which its first SIP message begins once it logs one (the transform
 * reads its whole text; it may differ only when what is let go holds a
 * record, or tells its format otherwise). */
#define RD_SYSLOG_KEEP (64u << 10)

/* Lets go of the older half of program k's text (not read yet). */
static void
rd_syslog_live_trim(struct rd_syslog_live *l, size_t k)
{
	struct rd_syslog_strip *st = &l->sp.progs[k];
	struct rd_syslog_prog *p = &l->progs[k];
	const char *nl;
	size_t cut, i;
	uint32_t lines = 0;

	nl = memchr(st->in.buf + st->in.len - RD_SYSLOG_KEEP / 2, '\n',
	    RD_SYSLOG_KEEP / 2);
	if (nl == NULL)
		return;
	cut = (size_t)(nl - st->in.buf) + 1;
	for (i = 0; i < cut; i++)
		lines += st->in.buf[i] == '\n';
	memmove(st->in.buf, st->in.buf + cut, st->in.len - cut);
	st->in.len -= cut;
	p->first += lines;
	rd_syslog_at_from(p, rd_syslog_file_line(st, p->first));
	rd_syslog_map_from(st, p->first);
}

/* Splits file line p[0..n) (line line) and looks at what its program
 * is to be read as. */
static void
rd_syslog_live_line(struct reader *r, struct rd_syslog_live *l,
    const char *p, size_t n, uint32_t line)
{
	struct rd_syslog_pre pre;
	struct rd_syslog_prog *pg;
	size_t k, skip = 0;

	if (rd_syslog_line(&l->sp, p, n, line, &pre))
		skip = pre.len;
	l->next = line + 1;
	if (l->sp.over > 0 && l->over_line == 0)
		l->over_line = line;
	k = l->sp.cur;
	if (k >= l->sp.nprogs)
		return;		/* junk, or of no program told apart */
	pg = &l->progs[k];
	if (skip > 0) {
		pre.host = pre.prog = SPAN_NULL;
		pg->at = xgrow(pg->at, &pg->capat, pg->nat + 1,
		    sizeof *pg->at);
		pg->at[pg->nat].line = line;
		pg->at[pg->nat].pre = pre;
		pg->nat++;
	}
	if (pg->how == RD_SYSLOG_UNREAD && n > skip &&
	    memmem(p + skip, n - skip, "SIP/2.0", 7) != NULL) {
		pg->how = RD_SYSLOG_TELL;
		pg->from = line;
	}
	if (pg->how == RD_SYSLOG_TELL)
		rd_syslog_live_tell(r, l, k, 0);
	if (pg->how == RD_SYSLOG_LEFT) {
		/* Never read: nothing of it is kept. */
		strbuf_reset(&l->sp.progs[k].in);
		l->sp.progs[k].nmap = 0;
		pg->nat = pg->atk = 0;
	} else if (pg->how == RD_SYSLOG_UNREAD &&
	    l->sp.progs[k].in.len > RD_SYSLOG_KEEP) {
		rd_syslog_live_trim(l, k);
	}
}

/* Inner text program k's reader has passed, dropped once there is enough
 * of it (not while what was read for now may be read again), with the
 * line map before it: a log followed for days is not kept whole. Not for
 * a format whose reader keeps offsets into its text between records. */
#define RD_SYSLOG_DROP (1u << 20)
static void
rd_syslog_live_drop(struct rd_syslog_live *l, size_t k)
{
	struct rd_syslog_strip *st = &l->sp.progs[k];
	struct rd_syslog_prog *p = &l->progs[k];
	struct reader *ir = p->ir;
	size_t n = ir->pos;

	if (n < RD_SYSLOG_DROP || n * 2 < st->in.len || p->back.have ||
	    strcmp(ir->fmt->name, "sipp") == 0 ||
	    strcmp(ir->fmt->name, "uccapi") == 0)
		return;
	memmove(st->in.buf, st->in.buf + n, st->in.len - n);
	st->in.len -= n;
	ir->pos = 0;
	ir->can_undo = 0;
	rd_syslog_map_from(st, ir->line);
}

/* Reads what program k's reader can of its inner text (end: all of it,
 * a record cut short at its end as one), into its queue. */
static void
rd_syslog_live_read(struct reader *r, struct rd_syslog_live *l, size_t k,
    int end, int tent)
{
	struct rd_syslog_strip *st = &l->sp.progs[k];
	struct rd_syslog_prog *p = &l->progs[k];
	struct reader *ir = p->ir;
	struct rd_syslog_pre pre;
	struct rd_record rec;
	char name[RD_SYSLOG_NAME_MAX + 1];
	size_t i, off;

	if (st->in.len == p->read_to && !end)
		return;
	rd_syslog_live_drop(l, k);
	p->read_to = st->in.len;
	ir->data = st->in.buf;
	ir->len = st->in.len;
	ir->follow = !end;
	/* Several programs read each name their own end (rd_syslog_read_all). */
	memset(name, 0, sizeof name);
	if (st->key.nhost > 0)
		memcpy(name, st->key.host, st->key.nhost);
	else
		memcpy(name, st->key.prog, st->key.nprog);
	while (reader_next(ir, &rec)) {
		if (!end && (rec.flags & RECF_TRUNCATED) &&
		    rec.off + rec.len >= ir->len) {
			/* Being written: read again once more has come. */
			ir->pos = rec.off;
			ir->line = rec.line;
			break;
		}
		rec.line = rd_syslog_file_line(st, rec.line);
		if (rd_syslog_live_pre(p, rec.line, &pre))
			rd_syslog_time_of(&pre, &rec);
		rd_syslog_keep_breaks(&rec);
		if (rec.kind == REC_SIP && l->nread > 1) {
			rd_syslog_name_end(&rec.src, name);
			rd_syslog_name_end(&rec.dst, name);
		}
		p->w = xgrow(p->w, &p->capw, p->nw + 1, sizeof *p->w);
		off = p->q.len;
		rd_canon_emit(&p->q, &rec);
		p->w[p->nw].key = rec.line > p->from ? rec.line : p->from;
		p->w[p->nw].off = off;
		p->w[p->nw].len = p->q.len - off;
		p->w[p->nw].tent = tent;
		p->nw++;
		p->ntent += tent;
	}
	ir->follow = 1;
	for (i = 0; i < ir->nwarnings; i++) {
		reader_warn(r, ir->warnings[i].line != 0 ?
		    rd_syslog_file_line(st, ir->warnings[i].line) : 0, "%s",
		    ir->warnings[i].msg);
		free(ir->warnings[i].msg);
	}
	ir->nwarnings = 0;
}

/* The least key program k may still give a record: its waiting record's,
 * or its first line not read's, or the next line to come. */
static uint32_t
rd_syslog_live_least(const struct rd_syslog_live *l, size_t k)
{
	const struct rd_syslog_prog *p = &l->progs[k];
	uint32_t line;

	if (p->wk < p->nw)
		return p->w[p->wk].key;
	if (p->ir->pos < p->ir->len)
		line = rd_syslog_file_line(&l->sp.progs[k], p->ir->line);
	else
		line = l->next;
	return line > p->from ? line : p->from;
}

/* Moves the records whose turn has come to out (all of them with all). */
static void
rd_syslog_live_emit(struct reader *r, struct rd_syslog_live *l,
    struct strbuf *out, int all)
{
	struct rd_syslog_prog *p;
	size_t k, best;
	uint32_t key, least;

	for (;;) {
		best = l->sp.nprogs;
		for (k = 0; k < l->sp.nprogs; k++) {
			p = &l->progs[k];
			if (p->how == RD_SYSLOG_READ && p->wk < p->nw &&
			    (best == l->sp.nprogs ||
			    p->w[p->wk].key < l->progs[best].w[
			    l->progs[best].wk].key))
				best = k;
		}
		if (best == l->sp.nprogs)
			return;
		p = &l->progs[best];
		key = p->w[p->wk].key;
		for (k = 0; !all && k < l->sp.nprogs; k++) {
			if (k == best || l->progs[k].how != RD_SYSLOG_READ)
				continue;
			least = rd_syslog_live_least(l, k);
			if (least < key || (least == key && k < best))
				return;
		}
		strbuf_add(out, p->q.buf + p->w[p->wk].off,
		    p->w[p->wk].len);
		reader_spill(r, out);
		l->records++;
		l->last = best;
		l->last_tent = p->w[p->wk].tent;
		l->last_len = p->w[p->wk].len;
		if (++p->wk == p->nw) {
			p->wk = p->nw = 0;
			strbuf_reset(&p->q);
		}
	}
}

/* Keeps program p's reader as it is (rd_syslog_live_back goes back to
 * it) before what would wait for more is read as at the end. */
static void
rd_syslog_live_keep(struct rd_syslog_prog *p)
{
	struct reader *ir = p->ir;

	p->back.pos = ir->pos;
	p->back.line = ir->line;
	p->back.stats = ir->stats;
	p->back.read_to = p->read_to;
	p->back.roll = p->roll;
	if (ir->fmt->state_size != 0) {
		if (p->back.state == NULL)
			p->back.state = xmalloc(ir->fmt->state_size);
		memcpy(p->back.state, ir->state, ir->fmt->state_size);
	}
	p->back.have = 1;
}

/* Followed on after a pause (READER_PAUSE) with what was read as at the
 * end taken back: each program's reader goes back to before that. */
static void
rd_syslog_live_back(struct rd_syslog_live *l)
{
	struct rd_syslog_prog *p;
	size_t k;

	for (k = 0; k < l->sp.nprogs; k++) {
		p = &l->progs[k];
		if (!p->back.have)
			continue;
		p->ir->pos = p->back.pos;
		p->ir->line = p->back.line;
		p->ir->stats = p->back.stats;
		p->ir->can_undo = 0;
		p->read_to = SIZE_MAX;	/* read it again */
		p->roll = p->back.roll;
		if (p->ir->fmt->state_size != 0)
			memcpy(p->ir->state, p->back.state,
			    p->ir->fmt->state_size);
	}
}

/* Whether what was read as at the end for now (ntent records) can be
 * taken back once given: nothing, or one record given last. */
static int
rd_syslog_live_last(const struct rd_syslog_live *l, size_t ntent)
{
	const struct rd_syslog_prog *p, *t = NULL;
	size_t k, i, kt = 0;

	if (ntent == 0)
		return 1;
	if (ntent > 1)
		return 0;
	for (k = 0; k < l->sp.nprogs; k++) {
		if (l->progs[k].how == RD_SYSLOG_READ &&
		    l->progs[k].ntent == 1) {
			t = &l->progs[k];
			kt = k;
		}
	}
	if (t == NULL)
		return 0;
	/* The order rd_syslog_live_emit gives: by key, then program. */
	for (k = 0; k < l->sp.nprogs; k++) {
		p = &l->progs[k];
		if (p->how != RD_SYSLOG_READ)
			continue;
		for (i = p->wk; i < p->nw; i++) {
			if (p->w[i].tent)
				continue;
			if (p->w[i].key > t->w[t->nw - 1].key ||
			    (p->w[i].key == t->w[t->nw - 1].key && k > kt))
				return 0;
		}
	}
	return 1;
}

/* Takes back what was read as at the end for now and not given: the
 * records, the warnings from nwarn on, and the readers go back. */
static void
rd_syslog_live_unread(struct reader *r, struct rd_syslog_live *l,
    size_t nwarn)
{
	struct rd_syslog_prog *p;
	size_t k;

	for (k = 0; k < l->sp.nprogs; k++) {
		p = &l->progs[k];
		if (p->ntent > 0) {
			p->nw -= p->ntent;
			p->q.len = p->w[p->nw].off;
			p->ntent = 0;
		}
	}
	while (r->nwarnings > nwarn)
		free(r->warnings[--r->nwarnings].msg);
	rd_syslog_live_back(l);
	for (k = 0; k < l->sp.nprogs; k++)
		l->progs[k].back.have = 0;
}

/* Converts the whole lines of r->data[r->pos..r->len) (all of them, at
 * the end or for now) into canonical records as rd_syslog_live's top
 * says. At the end (READER_END), -1 when no SIP message was read. */
static int
rd_syslog_more(struct reader *r, struct strbuf *out, int end, char **err)
{
	struct rd_syslog_live *l = r->state;
	size_t p = r->pos, len = r->len, eol, next, k, nwarn, stop;
	size_t ntent = 0;
	const char *nl;
	uint32_t line = r->line;

	if (l == NULL) {
		l = r->state = xcalloc(1, sizeof *l);
		rd_syslog_split_init(&l->sp, RD_SYSLOG_KEYS, 1, NULL, 0);
		l->sp.cur = 0;
		for (k = 0; k < RD_SYSLOG_KEYS; k++) {
			strbuf_init(&l->progs[k].q);
			l->progs[k].first = 1;
		}
	}
	if (r->redo)
		rd_syslog_live_back(l);
	r->redo = 0;
	for (k = 0; k < l->sp.nprogs; k++)
		l->progs[k].back.have = 0;
	if (end == READER_MORE || end == READER_QUIET) {
		/* A line still being written is not read. */
		nl = len > p ? memrchr(r->data + p, '\n', len - p) : NULL;
		r->len = nl != NULL ? (size_t)(nl - r->data) + 1 : p;
	}
	for (stop = p; p < r->len; p = next, line++) {
		if (p >= stop) {
			/* A megabyte at a time: what is read of it need
			 * not be kept while the rest is split. */
			for (k = 0; stop > r->pos && k < l->sp.nprogs; k++) {
				if (l->progs[k].how == RD_SYSLOG_READ)
					rd_syslog_live_read(r, l, k, 0, 0);
			}
			if (stop > r->pos)
				rd_syslog_live_emit(r, l, out, 0);
			stop = p + RD_SYSLOG_DROP;
		}
		reader_release(r, p);
		eol = reader_line_end(r, p, &next);
		rd_syslog_live_line(r, l, r->data + p, eol - p, line);
	}
	r->pos = p;
	r->line = line;
	r->len = len;
	if (l->sp.over > 0 && !l->over &&
	    (end == READER_MORE || end == READER_QUIET)) {
		/* How many lines will be is not known. */
		reader_warn(r, l->over_line, "more than %d programs: the lines "
		    "of the later ones are left out from here on",
		    RD_SYSLOG_KEYS);
		l->over = 1;
	}
	if (end == READER_END || end == READER_PAUSE) {
		for (k = 0; k < l->sp.nprogs; k++) {
			if (l->progs[k].how == RD_SYSLOG_TELL)
				rd_syslog_live_tell(r, l, k, 1);
		}
	}
	for (k = 0; k < l->sp.nprogs; k++) {
		if (l->progs[k].how == RD_SYSLOG_READ)
			rd_syslog_live_read(r, l, k, 0, 0);
	}
	if (end == READER_MORE) {
		rd_syslog_live_emit(r, l, out, 0);
		return 0;
	}
	/* Followed on after a pause, the count may grow: not said again. */
	if (l->sp.over > 0 && !l->over)
		reader_warn(r, 0, "more than %d programs: %zu line%s of the "
		    "later ones left out", RD_SYSLOG_KEYS, l->sp.over,
		    l->sp.over == 1 ? "" : "s");
	l->over |= l->sp.over > 0;
	/* What would wait for more is read as at the end; for now only
	 * (READER_PAUSE, READER_QUIET), its reader kept as it was before. */
	nwarn = r->nwarnings;
	for (k = 0; k < l->sp.nprogs; k++) {
		if (l->progs[k].how != RD_SYSLOG_READ)
			continue;
		l->progs[k].ntent = 0;
		if (end != READER_END)
			rd_syslog_live_keep(&l->progs[k]);
		rd_syslog_live_read(r, l, k, 1, end != READER_END);
		ntent += l->progs[k].ntent;
	}
	if (end == READER_QUIET && !rd_syslog_live_last(l, ntent)) {
		/* Could not be taken back: it waits for more after all. */
		rd_syslog_live_unread(r, l, nwarn);
		rd_syslog_live_emit(r, l, out, 0);
		return 0;
	}
	rd_syslog_live_emit(r, l, out, 1);
	/* Read again as it comes when followed on: what was so read is
	 * taken back, which can be done for the last record given only. */
	if (end != READER_END && (ntent == 0 || (ntent == 1 &&
	    l->last_tent))) {
		r->redo = 1;
		r->redo_bytes = ntent == 1 ? l->last_len : 0;
		r->redo_warnings = r->nwarnings - nwarn;
	}
	if (end == READER_QUIET)
		return 0;
	if (l->records == 0) {
		*err = xstrdup(l->sp.nprogs == 0 ? "no syslog or journal "
		    "lines found" : l->nread == 0 ? "syslog lines, but no log "
		    "that sipsnoop reads in them" : "no SIP messages found");
		r->redo = 0;
		rd_syslog_more_free(r);
		return -1;
	}
	if (end == READER_END) {
		r->redo = 0;
		rd_syslog_more_free(r);
	}
	return 0;
}

/* Whether the log that begins with p[0..n) can be read as it comes: not
 * when the program the head names logs a format converted whole. */
static int
rd_syslog_live(const char *p, size_t n)
{
	struct rd_syslog_key key;
	struct rd_syslog_split sp;
	struct strbuf *in;
	const struct rd_format *f = NULL;
	const char *nl, *e;
	int score = 0;

	if (n > RD_SYSLOG_HEAD)
		n = RD_SYSLOG_HEAD;
	if (!rd_syslog_head(p, n, &key))
		return 1;	/* cannot tell yet */
	rd_syslog_split_init(&sp, 1, 0, NULL, 0);
	in = &rd_syslog_split_add(&sp, &key)->in;
	for (e = p + n; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			break;
		rd_syslog_line(&sp, p, (size_t)(nl - p), 0, NULL);
	}
	if (in->len > 0)
		f = rd_syslog_inner(in->buf, in->len, &score);
	rd_syslog_split_free(&sp);
	return f == NULL || f->transform == NULL;
}

const struct rd_format rd_syslog_format = {
	.name = "syslog",
	.desc = "another format's log with a syslog or journal prefix on its "
	    "lines (rsyslog, journalctl)",
	.probe = rd_syslog_probe,
	.next = NULL,
	.state_size = 0,
	.transform = rd_syslog_transform,
	.live = rd_syslog_live,
	.more = rd_syslog_more,
	.more_free = rd_syslog_more_free,
	.quiet = 1,
	.names_local = 1,	/* the inner log's, when one program logs */
};
