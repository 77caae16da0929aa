/* rd_common: helpers shared by the format modules (rd_*.c) only; the rest
 * of the program uses reader.h. */
#ifndef SIPSNOOP_RD_COMMON_H
#define SIPSNOOP_RD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "reader.h"

/* A day in the core's time unit (microseconds). */
#define RD_DAY (INT64_C(86400) * 1000000)

static inline int
rd_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The w-digit decimal number at p[at..] within n bytes: 0 and *out, or -1
 * when the bytes are not all digits or run past n. */
int rd_num(const char *p, size_t n, size_t at, int w, int *out);

/* The digits of a fraction of a second at p[at..n), all of them: the
 * first six as microseconds in *us (".5" is 500000), how many of those in
 * *prec (0 to 6). Returns the offset after the last digit (at when there
 * is none). */
size_t rd_fraction(const char *p, size_t n, size_t at, long *us, int *prec);
/* A time of day "HH:MM:SS" at p[at..n) (hours up to 23, minutes up to 59,
 * seconds up to 60: a leap second), with a fraction (rd_fraction) when the
 * byte after the seconds is one of fsep ("." for most logs; NULL: none),
 * that byte taken also without digits after it. Returns the time of day in
 * microseconds, the fraction's digits in *prec and the offset after the
 * time in *end; -1 when there is none. */
int64_t rd_clock(const char *p, size_t n, size_t at, const char *fsep,
		 int *prec, size_t *end);
/* rd_clock on day y-mo-d: sets rec's time (time_from_civil), time_prec,
 * and has_date to dated. Returns the offset after the time, or 0 (rec
 * untouched) when there is none. */
size_t rd_clock_on(const char *p, size_t n, size_t at, const char *fsep,
		   int y, int mo, int d, int dated, struct rd_record *rec);

/* A log that stamps its records with the time of day only (has_date 0)
 * starts again at 00:00 every midnight. rd_tod follows the days across one
 * reading of the log, record after record in the log's order; zero it to
 * start. */
struct rd_tod {
	int64_t last;	/* the previous time given back */
	int64_t days;	/* the midnights passed, in microseconds */
	int seen;	/* last is set */
};
/* Time of day tod (microseconds after midnight, or TIME_NONE) placed on
 * the day of the previous record, or the day after when it is more than 12
 * hours before the previous record's: returns tod plus the days passed. */
int64_t rd_tod_roll(struct rd_tod *t, int64_t tod);
/* The same for a log that stamps month and day but no year (kept as that
 * day of 1970): a time more than half a year before the previous record's
 * is in the next year (365 days on). */
int64_t rd_year_roll(struct rd_tod *t, int64_t time);

/* The UTC offset written at p[at..n) after a time: "Z", "+01:00",
 * "+0100" or "+01" (and "-"). Returns 0 with *off, what to subtract from
 * the wall clock to get UTC, in microseconds, and *end after it; -1 when
 * there is none (the time is then kept as the log's wall clock). */
int rd_utc_offset(const char *p, size_t n, size_t at, int64_t *off,
		  size_t *end);
/* A time t without a zone, logged beside a stamp with one (an AudioCodes
 * [Time:] tail beside its syslog stamp, a log inside syslog): the stamp's
 * wall clock is wall and its offset off. Returns t in UTC, taking t's
 * offset to be the one, in quarter hours, that puts t nearest the stamp's
 * instant: the stamp's own when the two clocks agree, another when the
 * device logs in another zone than the syslog server. */
int64_t rd_zone_near(int64_t t, int64_t wall, int64_t off);

/* Whether the n bytes at p are a SIP request or status line. */
int rd_raw_is_start(const char *p, size_t n);
/* Content-Length value of header line p[0..n) ("l" is the compact form),
 * or -1 when the line is another header or the value is absurd. */
long long rd_raw_content_length(const char *p, size_t n);
/* Splits the SIP message whose start line begins at off, looking no
 * further than lim: fills rec's start, hdrs and body and returns the offset
 * just after the message. Without Content-Length *has_cl is 0 and the body
 * runs to lim. A header block or body cut short by lim sets
 * RECF_TRUNCATED. */
size_t rd_raw_split(const char *d, size_t off, size_t lim,
		    struct rd_record *rec, int *has_cl);

/* Splits a message copied into a log, whose start line is at ms and which
 * cannot go past lim; closed says lim is where the log ends the message
 * (an end marker or the next record), not the end of the file. A log that
 * turned CRLF into LF lost a byte per line: Content-Length is counted as
 * on the wire. Returns the offset just after the message text. */
size_t rd_raw_split_logged(const char *d, size_t ms, size_t lim, int closed,
			   struct rd_record *rec);
/* Whether the body of rec, split by rd_raw_split_logged() from a block the
 * log closed, is short of its Content-Length (counted as on the wire) by
 * more than the line break a log may drop at a message's end: the log cut
 * it on the way (a syslog daemon's message size, a printf stopping at a
 * NUL). */
int rd_raw_logged_short(const struct rd_record *rec);
/* Following a growing log: whether the message at ms, split up to lim
 * (the end of what is there yet) into rec, is whole: its header block is
 * ended by a blank line and it has a Content-Length whose body is all
 * there (rec not flagged truncated). Else more of it may come. */
int rd_raw_logged_whole(const char *d, size_t ms, size_t lim,
			const struct rd_record *rec);

#endif
