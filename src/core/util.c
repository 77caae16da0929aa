/* util: allocation, spans, string buffers, civil time and the sanitiser
 * that turns log bytes into text safe for a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <time.h>

#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

static void
util_oom(size_t n)
{
	/* The one place that gives up: nothing sensible can follow. */
	fprintf(stderr, "sipsnoop: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		util_oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		util_oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		util_oom(n);
	return q;
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need)
		c += c / 2;
	*cap = c;
	return xrealloc(p, c * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

void
strbuf_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

static void
strbuf_reserve(struct strbuf *sb, size_t more)
{
	sb->buf = xgrow(sb->buf, &sb->cap, sb->len + more + 1, 1);
}

void
strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	strbuf_reserve(sb, n);
	if (n > 0)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

char *
put_dec(char *out, unsigned long long v)
{
	char buf[24];
	size_t i = sizeof buf;

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	memcpy(out, buf + i, sizeof buf - i);
	return out + (sizeof buf - i);
}

void
strbuf_addu(struct strbuf *sb, unsigned long long v)
{
	char buf[24];

	strbuf_add(sb, buf, (size_t)(put_dec(buf, v) - buf));
}

void
strbuf_addi(struct strbuf *sb, long long v)
{
	if (v < 0) {
		strbuf_addc(sb, '-');
		/* -v overflows for the smallest value; the unsigned one does
		 * not. */
		strbuf_addu(sb, 0ULL - (unsigned long long)v);
	} else
		strbuf_addu(sb, (unsigned long long)v);
}

void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	strbuf_reserve(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *
strbuf_detach(struct strbuf *sb)
{
	char *p = sb->buf;

	if (p == NULL)
		p = xstrdup("");
	strbuf_init(sb);
	return p;
}

struct span
span_trim(struct span s)
{
	while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' ||
			   s.p[0] == '\n')) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
			   s.p[s.n - 1] == '\r' || s.p[s.n - 1] == '\n'))
		s.n--;
	return s;
}

int
span_eq(struct span a, const char *s)
{
	size_t n = strlen(s);

	return a.n == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

int
span_ieq(struct span a, const char *s)
{
	size_t n = strlen(s);

	return a.n == n && mem_ieq(a.p, s, n);
}

int
span_ieq_span(struct span a, struct span b)
{
	return a.n == b.n && mem_ieq(a.p, b.p, a.n);
}

int
span_istarts(struct span a, const char *prefix)
{
	size_t n = strlen(prefix);

	return a.n >= n && mem_ieq(a.p, prefix, n);
}

static size_t util_utf8_len(const unsigned char *s, size_t n, uint32_t *cp);

/* The lower case of a letter of ASCII, Latin-1, Latin Extended-A, Greek
 * or Cyrillic (the one-to-one pairs of those blocks); any other code
 * point as it is. */
static uint32_t
ucase_fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if (c >= 0x100 && c <= 0x17f) {
		/* İ, ı, ĸ, ŉ and ſ have no one-letter pair. */
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 ||
		    c == 0x17f)
			return c;
		if (c == 0x178)
			return 0xff;	/* Ÿ */
		/* Capitals are odd from Ĺ to Ň and Ź to Ž, even elsewhere. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return (c & 1) ? c + 1 : c;
		return (c & 1) ? c : c + 1;
	}
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
		return c + 32;
	if (c == 0x3c2)
		return 0x3c3;	/* final sigma */
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	return c;
}

long
span_ufind(struct span hay, const char *needle, size_t nlen, size_t *mlen)
{
	const unsigned char *h = (const unsigned char *)hay.p;
	const unsigned char *nd = (const unsigned char *)needle;
	uint32_t a, b, first;
	size_t i, j, k, l, m;

	for (k = 0; k < nlen && nd[k] < 0x80; k++)
		;
	if (k == nlen) {
		*mlen = nlen;
		return span_ifind(hay, needle, nlen);
	}
	/* A byte that is no UTF-8 (in either) stands for itself. */
	if (util_utf8_len(nd, nlen, &first) == 0)
		first = nd[0] | 0x80000000u;
	first = ucase_fold(first);
	for (i = 0; i < hay.n; i++) {
		/* Not inside a character, nor at one of another first
		 * letter (an ASCII one compared at once). */
		if ((h[i] & 0xc0) == 0x80 ||
		    (h[i] < 0x80 && (first >= 0x80 ||
		     ucase_fold(h[i]) != first)))
			continue;
		for (j = i, k = 0; k < nlen; j += l, k += m) {
			if ((m = util_utf8_len(nd + k, nlen - k, &b)) == 0) {
				m = 1;
				b = nd[k] | 0x80000000u;
			}
			if (j >= hay.n)
				break;
			if ((l = util_utf8_len(h + j, hay.n - j, &a)) == 0) {
				l = 1;
				a = h[j] | 0x80000000u;
			}
			if (ucase_fold(a) != ucase_fold(b))
				break;
		}
		if (k >= nlen) {
			*mlen = j - i;
			return (long)i;
		}
	}
	return -1;
}

long
span_ifind(struct span hay, const char *needle, size_t nlen)
{
	size_t i = 0, last;
	unsigned char a, b;

	if (nlen == 0)
		return 0;
	if (hay.n < nlen)
		return -1;
	last = hay.n - nlen;	/* the last place a match can start */
	a = (unsigned char)tolower((unsigned char)needle[0]);
	b = (unsigned char)tolower((unsigned char)(nlen > 1 ? needle[1] :
						   needle[0]));
#ifdef __SSE2__
	/* Sixteen places at a time: those whose first two bytes are the
	 * needle's, in either case (a viewer searches a gigabyte with this). */
	if (nlen >= 2) {
		const __m128i al = _mm_set1_epi8((char)a);
		const __m128i au = _mm_set1_epi8((char)toupper(a));
		const __m128i bl = _mm_set1_epi8((char)b);
		const __m128i bu = _mm_set1_epi8((char)toupper(b));

		/* Loads of p[i..i+16] and p[i+1..i+17] stay inside hay. */
		for (; i + 17 <= hay.n && i <= last; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
			    (hay.p + i));
			__m128i y = _mm_loadu_si128((const __m128i *)(const void *)
			    (hay.p + i + 1));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(x, al),
			    _mm_cmpeq_epi8(x, au)),
			    _mm_or_si128(_mm_cmpeq_epi8(y, bl),
			    _mm_cmpeq_epi8(y, bu))));

			while (m != 0) {
				size_t at = i + (size_t)__builtin_ctz(m);

				if (at > last)
					return -1;
				if (mem_ieq(hay.p + at, needle, nlen))
					return (long)at;
				m &= m - 1;
			}
		}
	}
#endif
	for (; i <= last; i++) {
		if (tolower((unsigned char)hay.p[i]) == a &&
		    mem_ieq(hay.p + i, needle, nlen))
			return (long)i;
	}
	return -1;
}

int
span_to_u32(struct span s, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	s = span_trim(s);
	if (s.n == 0 || s.n > 10)
		return -1;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

char *
span_dup(struct span s)
{
	return xstrndup(s.p != NULL ? s.p : "", s.n);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * algorithm), so no time zone or libc state is involved. */
static int64_t
util_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
util_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int64_t
time_from_civil(int y, int mon, int d, int h, int mi, int s, long us)
{
	int64_t days = util_days_from_civil(y, (unsigned)mon, (unsigned)d);

	return ((days * 24 + h) * 60 + mi) * 60 * INT64_C(1000000) +
	       (int64_t)s * 1000000 + us;
}

void
time_format_span(char *out, size_t outsz, int64_t us, int prec, int sign)
{
	int64_t a = us < 0 ? -us : us, ms;
	char sg[2] = { 0, 0 };

	if (sign != 0)
		sg[0] = us < 0 ? '-' : (char)sign;
	if (prec == 0) {
		snprintf(out, outsz, "%s%lld", sg, (long long)((a + 500000) /
		    1000000));
	} else if (a < 1000 && a > 0 && prec > 3) {
		snprintf(out, outsz, "%s0.%06lld", sg, (long long)a);
	} else {
		ms = (a + 500) / 1000;
		snprintf(out, outsz, "%s%lld.%03lld", sg, (long long)(ms / 1000),
		    (long long)(ms % 1000));
	}
}

void
time_format(char *out, size_t outsz, int64_t t, int prec, int dating)
{
	int64_t days, secs, us;
	int y, m, d, n;
	char frac[16];

	if (t == TIME_NONE) {
		snprintf(out, outsz, "-");
		return;
	}
	days = t / (INT64_C(86400) * 1000000);
	us = t % (INT64_C(86400) * 1000000);
	if (us < 0) {
		us += INT64_C(86400) * 1000000;
		days--;
	}
	secs = us / 1000000;
	us %= 1000000;
	util_civil_from_days(days, &y, &m, &d);
	if (prec < 0)
		prec = 0;
	if (prec > 6)
		prec = 6;
	frac[0] = '\0';
	if (prec > 0) {
		long div = 1;
		for (n = prec; n < 6; n++)
			div *= 10;
		snprintf(frac, sizeof frac, ".%0*ld", prec, (long)(us / div));
	}
	if (dating == TIME_DATED)
		snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d,
			 (int)(secs / 3600), (int)(secs / 60 % 60),
			 (int)(secs % 60), frac);
	else if (dating == TIME_MONTHDAY)
		snprintf(out, outsz, "%02d-%02dT%02d:%02d:%02d%s", m, d,
			 (int)(secs / 3600), (int)(secs / 60 % 60),
			 (int)(secs % 60), frac);
	else if (dating == TIME_DAYS && days != 0)
		snprintf(out, outsz, "%02d:%02d:%02d%s%+lldd",
			 (int)(secs / 3600), (int)(secs / 60 % 60),
			 (int)(secs % 60), frac, (long long)days);
	else
		snprintf(out, outsz, "%02d:%02d:%02d%s", (int)(secs / 3600),
			 (int)(secs / 60 % 60), (int)(secs % 60), frac);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
util_utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Code points that change how text around them is shown without being
 * visible themselves: C1 controls, bidi embeddings, overrides, isolates
 * and marks, line and paragraph separators, the BOM. */
static int
util_is_hidden_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

void
sanitize_append(struct strbuf *sb, const char *s, size_t n, int keep_tab)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, len;
	uint32_t cp;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			run++;
			continue;
		}
		strbuf_add(sb, s + i - run, run);
		run = 0;
		if (p[i] == '\t') {
			strbuf_add(sb, keep_tab ? "\t" : " ", 1);
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (p[i] == 0x1b)
				strbuf_adds(sb, "\\e");
			else
				strbuf_addf(sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		len = util_utf8_len(p + i, n - i, &cp);
		if (len == 0) {
			strbuf_addf(sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (util_is_hidden_control(cp))
			strbuf_addf(sb, "\\u%04x", (unsigned)cp);
		else
			strbuf_add(sb, s + i, len);
		i += len;
	}
	strbuf_add(sb, s + i - run, run);
}

/* n hex digits at s (none of them a NUL), into *v; 0 when one is none. */
static int
util_hex(const char *s, size_t n, uint32_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v * 16 + (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v = *v * 16 + (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return 0;
	}
	return 1;
}

size_t
sanitize_form_at(const char *s, size_t n, uint32_t *v)
{
	size_t len;

	if (n < 2 || s[0] != '\\')
		return 0;
	len = s[1] == 'e' ? 2 : s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 0;
	if (len == 0 || len > n)
		return 0;
	if (len == 2) {
		*v = 0x1b;
		return len;
	}
	return util_hex(s + 2, len - 2, v) ? len : 0;
}

int
sanitize_unescape_at(const char *s, size_t *p, struct strbuf *sb)
{
	uint32_t v;
	char u[4];
	size_t len = sanitize_form_at(s + *p, strnlen(s + *p, 6), &v);

	if (len == 0)
		return 0;
	if (s[*p + 1] == 'u')
		strbuf_add(sb, u, utf8_encode(v, u));
	else
		strbuf_addc(sb, (char)v);
	*p += len;
	return 1;
}

void
sanitize_unescape(const char *s, struct strbuf *sb)
{
	size_t p = 0;

	while (s[p] != '\0') {
		if (!sanitize_unescape_at(s, &p, sb))
			strbuf_addc(sb, s[p++]);
	}
}

void
json_append_str(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;

	strbuf_addc(sb, '"');
	while (i < n) {
		if (p[i] == '"' || p[i] == '\\') {
			strbuf_addc(sb, '\\');
			strbuf_addc(sb, (char)p[i]);
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			switch (p[i]) {
			case '\n': strbuf_adds(sb, "\\n"); break;
			case '\r': strbuf_adds(sb, "\\r"); break;
			case '\t': strbuf_adds(sb, "\\t"); break;
			default: strbuf_addf(sb, "\\u%04x", p[i]); break;
			}
			i++;
		} else if (p[i] < 0x80) {
			strbuf_addc(sb, (char)p[i]);
			i++;
		} else if ((len = util_utf8_len(p + i, n - i, &cp)) == 0) {
			/* Not UTF-8: keep the byte visible as U+FFFD-free text. */
			strbuf_addf(sb, "\\\\x%02x", p[i]);
			i++;
		} else {
			if (util_is_hidden_control(cp))
				strbuf_addf(sb, "\\u%04x", (unsigned)cp);
			else
				strbuf_add(sb, s + i, len);
			i += len;
		}
	}
	strbuf_addc(sb, '"');
}

long
elapsed_ns(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000000000L +
	       (t.tv_nsec - t0->tv_nsec);
}

int
util_jit_wanted(void)
{
	return getenv("SIPSNOOP_NO_JIT") == NULL;
}

size_t
pages_release(const char *base, size_t done, size_t upto, size_t min)
{
	static size_t pagesize;
	size_t to;

	if (pagesize == 0) {
		long ps = sysconf(_SC_PAGESIZE);

		pagesize = ps > 0 ? (size_t)ps : 4096;
	}
	done -= done % pagesize;
	to = upto - upto % pagesize;
	if (to <= done || to - done < min)
		return done;
	(void)madvise((char *)(uintptr_t)base + done, to - done, MADV_DONTNEED);
	return to;
}

size_t
mem_count(const char *p, size_t n, char c)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	const uint64_t pat = ones * (unsigned char)c;
	size_t count = 0, i = 0;
	uint64_t w, t;

	/* Eight bytes at a time: a byte of w ^ pat is 0 where the byte is c;
	 * adding 0x7f to its low seven bits sets bit 7 unless all were 0,
	 * and with the byte's own bit 7, only the zero bytes are left clear
	 * (no carry crosses a byte, so the count is exact). */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		w ^= pat;
		t = ((w & low7) + low7) | w | low7;
		count += (size_t)__builtin_popcountll(~t);
	}
	for (; i < n; i++)
		count += p[i] == c;
	return count;
}

static size_t
idmap_hash(uint32_t k)
{
	return (size_t)(k * 2654435761u);
}

uint32_t
idmap_get(const struct idmap *m, uint32_t key)
{
	size_t i;

	if (m->mask == 0)
		return 0;
	for (i = idmap_hash(key + 1) & m->mask; m->v[i][0] != 0;
	     i = (i + 1) & m->mask) {
		if (m->v[i][0] == key + 1)
			return m->v[i][1];
	}
	return 0;
}

static void
idmap_grow(struct idmap *m)
{
	struct idmap old = *m;
	size_t i, size = old.mask == 0 ? 16 : (old.mask + 1) * 2;

	m->v = xcalloc(size, sizeof *m->v);
	m->mask = size - 1;
	m->n = 0;
	for (i = 0; old.mask != 0 && i <= old.mask; i++) {
		if (old.v[i][0] != 0)
			idmap_put(m, old.v[i][0] - 1, old.v[i][1]);
	}
	free(old.v);
}

void
idmap_put(struct idmap *m, uint32_t key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->mask + 1)
		idmap_grow(m);
	for (i = idmap_hash(key + 1) & m->mask; m->v[i][0] != 0 &&
	     m->v[i][0] != key + 1; i = (i + 1) & m->mask)
		;
	if (m->v[i][0] == 0)
		m->n++;
	m->v[i][0] = key + 1;
	m->v[i][1] = val;
}

void
idmap_free(struct idmap *m)
{
	free(m->v);
	memset(m, 0, sizeof *m);
}

uint8_t
codetab_code(struct codetab *ct, uint32_t id)
{
	size_t mask = sizeof ct->slots - 1;
	size_t i = (size_t)(id * 2654435761u) >> 7 & mask;

	if (id == 0)
		return 0;
	for (; ct->slots[i] != 0; i = (i + 1) & mask) {
		if (ct->id[ct->slots[i]] == id)
			return ct->slots[i];
	}
	if (ct->n == CODETAB_IDS)
		return CODETAB_FULL;
	ct->id[++ct->n] = id;
	ct->slots[i] = (uint8_t)ct->n;
	return ct->slots[i];
}
