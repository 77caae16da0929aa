/* util: allocation that never returns NULL, byte spans, a growable string
 * buffer and small text helpers shared by every layer. */
#ifndef SIPSNOOP_UTIL_H
#define SIPSNOOP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A borrowed run of bytes, not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

#define SPAN_NULL ((struct span){ NULL, 0 })
#define SPAN_LIT(s) ((struct span){ (s), sizeof(s) - 1 })

/* Allocation failure aborts the program through one place. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of size sz) to hold at least need. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated byte buffer. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *p, size_t n);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_adds(struct strbuf *sb, const char *s);
/* Writes v in decimal at out (20 bytes at most, no NUL); returns the end. */
char *put_dec(char *out, unsigned long long v);
/* A decimal number, as "%llu" and "%lld" write it, without printf. */
void strbuf_addu(struct strbuf *sb, unsigned long long v);
void strbuf_addi(struct strbuf *sb, long long v);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Takes the buffer out of sb (never NULL); sb is left empty. */
char *strbuf_detach(struct strbuf *sb);

/* A map from 32-bit keys (below UINT32_MAX) to nonzero 32-bit values by
 * open addressing (0 reads as absent). Zeroed is empty. */
struct idmap {
	uint32_t (*v)[2];	/* key + 1, value; key + 1 == 0: free */
	size_t n, mask;		/* mask: size - 1, 0 when empty */
};
uint32_t idmap_get(const struct idmap *m, uint32_t key);
/* Sets key's value (val 0 is kept, and reads as absent). */
void idmap_put(struct idmap *m, uint32_t key, uint32_t val);
void idmap_free(struct idmap *m);	/* leaves it empty */

/* Byte codes for 32-bit ids: 0 for id 0, 1 to CODETAB_IDS for the first
 * distinct ids given, CODETAB_FULL for the others (kept elsewhere: an
 * idmap). Zeroed is empty. */
#define CODETAB_IDS 254
#define CODETAB_FULL 255
struct codetab {
	uint32_t id[CODETAB_IDS + 1];	/* code -> id */
	unsigned n;
	uint8_t slots[512];		/* the codes, by hash of their id */
};
uint8_t codetab_code(struct codetab *ct, uint32_t id);	/* adds it */
/* The id of code c (below CODETAB_FULL). */
static inline uint32_t
codetab_id(const struct codetab *ct, uint8_t c)
{
	return ct->id[c];
}

/* Hands the pages of a read-only file mapping that starts at base back to
 * the kernel, from byte done (rounded down to a page) to upto rounded
 * down to a page, once that is at least min bytes. They are clean file pages, read again
 * from the page cache if touched. Returns the new done. Never for memory
 * that is not a file mapping: there the bytes would be lost. */
size_t pages_release(const char *base, size_t done, size_t upto, size_t min);

/* Span helpers. */
struct span span_trim(struct span s);
int span_eq(struct span a, const char *s);      /* exact */
int span_ieq(struct span a, const char *s);     /* ASCII case-insensitive */
int span_ieq_span(struct span a, struct span b);
int span_istarts(struct span a, const char *prefix);
/* Case-insensitive search for needle in hay; returns offset or -1. */
long span_ifind(struct span hay, const char *needle, size_t nlen);
/* The same for a needle with letters beyond ASCII: those of Latin-1,
 * Latin Extended-A, Greek and Cyrillic match in either case too (Żaneta,
 * ÉCOLE, Σοφία, Иван); *mlen is the length of the match in hay. An ASCII
 * needle is span_ifind's. */
long span_ufind(struct span hay, const char *needle, size_t nlen,
		size_t *mlen);
/* How many of the n bytes at p are c. */
size_t mem_count(const char *p, size_t n, char c);
/* Parses an unsigned decimal; returns 0 on success. */
int span_to_u32(struct span s, uint32_t *out);
char *span_dup(struct span s);

/* Times are microseconds since 1970-01-01: UTC where the log gives its
 * zone, else the log's own clock. A log's time of day alone is on
 * 1970-01-01 and the days after it that the log went past midnight.
 * TIME_NONE when the log does not say: -2^55, so that an index entry keeps
 * it in 56 bits (struct msg), as it does any time within 1142 years of
 * 1970. */
#define TIME_NONE (-(INT64_C(1) << 55))
int64_t time_from_civil(int y, int mon, int d, int h, int mi, int s, long us);
/* What time_format writes of a time. */
enum time_dating {
	TIME_CLOCK = 0,	/* HH:MM:SS, the time of day alone */
	TIME_DATED = 1,	/* YYYY-MM-DDTHH:MM:SS */
	/* A log's time of day alone (1970-01-01 its first day): HH:MM:SS,
	 * and "+Nd" after it on the Nth day after the first ("-1d" before
	 * it, shifted by --offset). */
	TIME_DAYS = 2,
	/* A month and day without a year (Asterisk's, Cisco's and BSD
	 * syslog's "Dec 31 23:59:59"): MM-DDTHH:MM:SS. */
	TIME_MONTHDAY = 3,
};
/* Formats t as dating says (enum time_dating) plus prec fraction digits
 * (0..6). */
void time_format(char *out, size_t outsz, int64_t t, int prec, int dating);
/* A span of us microseconds in seconds, to the precision of times of
 * prec fraction digits: whole seconds for 0; below a millisecond, the
 * microseconds when prec gives them (0.000576), not 0.000; else to the
 * millisecond, rounded. After sign ('+', '-' as us is, or 0 for none;
 * with 0, us is not negative). */
void time_format_span(char *out, size_t outsz, int64_t us, int prec, int sign);

/* Appends s to sb with every control byte, escape sequence, invalid UTF-8
 * byte and bidi override shown as visible text (\e, \x01, \u202e ...).
 * Valid printable UTF-8 is copied as it is; tabs become a space when
 * keep_tab is 0. This is the one gate between log bytes and a terminal. */
void sanitize_append(struct strbuf *sb, const char *s, size_t n, int keep_tab);

/* Length of the form sanitize_append() writes for a byte or a character
 * (\e, \xHH, \uHHHH) that the n bytes at s begin with, 0 for none; *v is
 * set to the byte or the code point it stands for. */
size_t sanitize_form_at(const char *s, size_t n, uint32_t *v);
/* The other way: the form sanitize_append shows a byte or a character in
 * (\e, \xHH, \uHHHH) at s[*p] == '\\' appended to sb as what it stands
 * for, *p moved past it; 0 (nothing done) when s[*p] begins none. So that
 * what is shown can be typed back (a filter's quoted phrase, a search). */
int sanitize_unescape_at(const char *s, size_t *p, struct strbuf *sb);
/* All of s so, what begins no such form copied as it is. */
void sanitize_unescape(const char *s, struct strbuf *sb);

/* Writes code point cp (below 0x110000) as UTF-8 into out; returns how
 * many bytes (1 to 4). */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Nanoseconds of the monotonic clock since *t0 (clock_gettime). */
struct timespec;
long elapsed_ns(const struct timespec *t0);

/* Whether regular expressions should be JIT-compiled: yes unless
 * SIPSNOOP_NO_JIT is set (valgrind cannot follow PCRE2's JIT code, whose
 * vector loads read a little past the subject). */
int util_jit_wanted(void);

/* Appends s as a JSON string literal (quotes included); control bytes and
 * invalid UTF-8 are escaped so the output is always valid JSON. */
void json_append_str(struct strbuf *sb, const char *s, size_t n);

/* Whether the n bytes at a and b are equal ignoring ASCII case: what
 * strncasecmp() does for protocol text, inlined and without its locale
 * (and without stopping at a NUL). */
static inline int
mem_ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x != y) {
			if (x >= 'A' && x <= 'Z')
				x += 32;
			if (y >= 'A' && y <= 'Z')
				y += 32;
			if (x != y)
				return 0;
		}
	}
	return 1;
}

/* The first '\n' in [p, end), or NULL: memchr() for the short lines of a
 * log. Their first 64 bytes are searched inline, sixteen at a time, which
 * costs less than memchr's call and set-up on lines of a few dozen bytes;
 * the rest of a longer line goes to memchr. */
static inline const char *
find_nl(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	int i;

	for (i = 0; i < 4 && end - p >= 16; i++) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)p), nl));

		if (m != 0)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	return p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
}

#endif
