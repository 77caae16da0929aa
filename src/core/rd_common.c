/* rd_common: the time-of-day parsing the format modules (rd_*.c) share:
 * "HH:MM:SS" and a fraction of a second, written the same way by nearly
 * every log. The other helpers of rd_common.h live in reader.c. */
#include <string.h>

#include "util.h"
#include "rd_common.h"

size_t
rd_fraction(const char *p, size_t n, size_t at, long *us, int *prec)
{
	long v = 0;
	int k = 0;

	for (; at < n && rd_digit(p[at]); at++) {
		if (k < 6) {
			v = v * 10 + (p[at] - '0');
			k++;
		}
	}
	*prec = k;
	for (; k < 6; k++)
		v *= 10;
	*us = v;
	return at;
}

int64_t
rd_clock(const char *p, size_t n, size_t at, const char *fsep, int *prec,
	 size_t *end)
{
	int h, mi, s;
	long us = 0;
	size_t i;

	if (rd_num(p, n, at, 2, &h) || at + 8 > n || p[at + 2] != ':' ||
	    p[at + 5] != ':' || rd_num(p, n, at + 3, 2, &mi) ||
	    rd_num(p, n, at + 6, 2, &s) || h > 23 || mi > 59 || s > 60)
		return -1;
	i = at + 8;
	*prec = 0;
	if (fsep != NULL && i < n && p[i] != '\0' && strchr(fsep, p[i]) != NULL)
		i = rd_fraction(p, n, i + 1, &us, prec);
	*end = i;
	return ((int64_t)h * 3600 + mi * 60 + s) * 1000000 + us;
}

size_t
rd_clock_on(const char *p, size_t n, size_t at, const char *fsep, int y,
	    int mo, int d, int dated, struct rd_record *rec)
{
	int64_t tod;
	size_t end;
	int prec;

	if ((tod = rd_clock(p, n, at, fsep, &prec, &end)) < 0)
		return 0;
	rec->time = time_from_civil(y, mo, d, 0, 0, 0, 0) + tod;
	rec->time_prec = prec;
	rec->has_date = dated;
	return end;
}
