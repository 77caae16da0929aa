/* source: brings one input into memory read-only. Plain files are mapped
 * (MAP_PRIVATE, PROT_READ) so a multi-GB log costs no copy; pipes, stdin
 * and other unmappable files are read fully into a buffer; gzip-compressed
 * input (by its magic bytes, not its name) is inflated into one. */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#ifdef SIPSNOOP_HAVE_ZLIB
#include <zlib.h>
#endif

#include "source.h"
#include "spill.h"
#include "util.h"

/* Upper bound of what gzip input may inflate to (0: the default). */
static size_t source_inflate_max;

/* Mapped files another process truncates while we read them would kill us
 * with SIGBUS. The guard (source_guard()) maps zero pages over the part of
 * the mapping that vanished and marks the source, so the readers see the
 * rest as empty bytes and the engine tells the user.
 *
 * The handler runs on whichever thread faults (the second indexing thread
 * too) while another may open or free a source: the mappings it looks at
 * are kept in blocks of slots that are never moved or freed, each field
 * atomic, and a slot's seq is odd while a writer changes it (a seqlock: the
 * handler skips a slot that changed under it, it never waits). Writers take
 * source_maps_mu; the handler takes nothing. */
struct source_map {
	atomic_uint seq;
	_Atomic(uintptr_t) p;
	atomic_size_t n;
	_Atomic(struct source *) src;	/* NULL: a free slot */
};

#define SOURCE_MAP_SLOTS 16
struct source_map_block {
	struct source_map v[SOURCE_MAP_SLOTS];
	_Atomic(struct source_map_block *) next;
};

_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2 &&
	       ATOMIC_LONG_LOCK_FREE == 2,
	       "the SIGBUS handler reads the slots: their atomics take no lock");

static struct source_map_block source_maps;	/* the first block */
static pthread_mutex_t source_maps_mu = PTHREAD_MUTEX_INITIALIZER;
static long source_pagesize;
static struct sigaction source_old_bus;

/* Gives slot m to src (NULL frees it), mapped at p for n bytes. With
 * source_maps_mu held. */
static void
source_map_set(struct source_map *m, struct source *src, const char *p,
	       size_t n)
{
	unsigned s = atomic_load_explicit(&m->seq, memory_order_relaxed);

	atomic_store_explicit(&m->seq, s + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&m->p, (uintptr_t)p, memory_order_relaxed);
	atomic_store_explicit(&m->n, n, memory_order_relaxed);
	atomic_store_explicit(&m->src, src, memory_order_relaxed);
	atomic_store_explicit(&m->seq, s + 2, memory_order_release);
}

/* The slot of src (NULL: a free one), or NULL when there is none. With
 * source_maps_mu held. */
static struct source_map *
source_map_slot(const struct source *src)
{
	struct source_map_block *b;
	size_t i;

	for (b = &source_maps; b != NULL;
	     b = atomic_load_explicit(&b->next, memory_order_relaxed)) {
		for (i = 0; i < SOURCE_MAP_SLOTS; i++) {
			if (atomic_load_explicit(&b->v[i].src,
			    memory_order_relaxed) == src)
				return &b->v[i];
		}
	}
	return NULL;
}

/* The source whose mapping holds address a, with the mapping's extent in
 * *p and *n; NULL when none does. Async-signal-safe: only atomic loads of
 * memory that stays where it is. */
static struct source *
source_map_find(uintptr_t a, uintptr_t *p, size_t *n)
{
	const struct source_map_block *b;
	const struct source_map *m;
	struct source *src;
	unsigned s;
	size_t i;

	for (b = &source_maps; b != NULL;
	     b = atomic_load_explicit(&b->next, memory_order_acquire)) {
		for (i = 0; i < SOURCE_MAP_SLOTS; i++) {
			m = &b->v[i];
			s = atomic_load_explicit(&m->seq, memory_order_acquire);
			if (s & 1)
				continue;
			src = atomic_load_explicit(&m->src,
			    memory_order_relaxed);
			*p = atomic_load_explicit(&m->p, memory_order_relaxed);
			*n = atomic_load_explicit(&m->n, memory_order_relaxed);
			atomic_thread_fence(memory_order_acquire);
			if (atomic_load_explicit(&m->seq,
			    memory_order_relaxed) != s || src == NULL)
				continue;
			if (a >= *p && a - *p < *n)
				return src;
		}
	}
	return NULL;
}

static void
source_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr, page, p;
	struct source *src;
	size_t n, want, was;

	(void)ctx;
	if ((src = source_map_find(a, &p, &n)) != NULL) {
		page = a & ~((uintptr_t)source_pagesize - 1);
		/* Said before the zeros are there: a thread that reads them
		 * (this one's or another's) sees the source cut. The lowest
		 * page made zero is kept, whichever thread's. */
		want = (size_t)(page > p ? page - p : 0) + 1;
		was = atomic_load(&src->zeroed_from);
		while ((was == 0 || want < was) &&
		       !atomic_compare_exchange_weak(&src->zeroed_from, &was,
						     want))
			;
		atomic_store(&src->truncated, 1);
		if (mmap((void *)page, p + n - page, PROT_READ,
		    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED)
			return;
	}
	/* Not ours: behave as if there were no handler. */
	sigaction(sig, &source_old_bus, NULL);
	raise(sig);
}

size_t
source_cut_at(const struct source *src)
{
	size_t z = atomic_load(&((struct source *)src)->zeroed_from);

	return z == 0 || z - 1 > src->len ? src->len : z - 1;
}

int
source_guard(void)
{
	struct sigaction sa;

	source_pagesize = sysconf(_SC_PAGESIZE);
	if (source_pagesize <= 0)
		source_pagesize = 4096;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = source_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, &source_old_bus);
}

static void
source_map_add(struct source *src)
{
	struct source_map_block *b, *nb;
	struct source_map *m;

	pthread_mutex_lock(&source_maps_mu);
	if ((m = source_map_slot(NULL)) == NULL) {
		/* All full: a new block, published once its slots are
		 * zero (free) for the handler to walk. */
		nb = xcalloc(1, sizeof *nb);
		for (b = &source_maps; atomic_load_explicit(&b->next,
		     memory_order_relaxed) != NULL;
		     b = atomic_load_explicit(&b->next, memory_order_relaxed))
			;
		atomic_store_explicit(&b->next, nb, memory_order_release);
		m = &nb->v[0];
	}
	source_map_set(m, src, src->data, src->len);
	pthread_mutex_unlock(&source_maps_mu);
}

static void
source_map_remove(const struct source *src)
{
	struct source_map *m;

	pthread_mutex_lock(&source_maps_mu);
	if ((m = source_map_slot(src)) != NULL)
		source_map_set(m, NULL, NULL, 0);
	pthread_mutex_unlock(&source_maps_mu);
}

int
source_remap(struct source *src, size_t newlen)
{
	struct source_map *m;
	void *p;

	if (!src->mapped || newlen <= src->len)
		return -1;
	p = mremap((void *)(uintptr_t)src->data, src->len, newlen,
	    MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return -1;
	/* The guard must know where it is now. */
	pthread_mutex_lock(&source_maps_mu);
	if ((m = source_map_slot(src)) != NULL)
		source_map_set(m, src, p, newlen);
	pthread_mutex_unlock(&source_maps_mu);
	src->data = p;
	src->len = newlen;
	return 0;
}

/* Adds note more (taken over; NULL for none) to *note: "a; b". */
static void
source_note_add(char **note, char *more)
{
	char *both;

	if (more == NULL)
		return;
	if (*note == NULL) {
		*note = more;
		return;
	}
	both = xasprintf("%s; %s", *note, more);
	free(*note);
	free(more);
	*note = both;
}

char *
source_read_failed(const char *data, size_t len, int errnum)
{
	const char *p = data, *end = data + len;
	size_t lines = 1;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return xasprintf("read failed after %zu bytes, in line %zu (%s): what "
			 "was read before is shown", len, lines,
			 strerror(errnum));
}

/* Reads fd (a pipe, or a file that cannot be mapped) to its end after
 * the n bytes at head (already read from it) into a new buffer, which
 * moves to sp's temporary file as it grows when sp is not NULL (*mapped is
 * then 1; *note says why when it could not). With progress not NULL, the
 * bytes read so far are stored there as it goes (__atomic_store_n). With
 * stop not NULL, reading gives up (-1, "stopped") soon after *stop is set
 * (__atomic_store_n), even while the writer sends nothing. A read that
 * fails after some bytes keeps them: *note then says where it stopped
 * (source_read_failed). Returns 0, or -1 with *err (without the name). */
static int
source_read_all(int fd, const char *head, size_t n, struct spill *sp,
		char **out, size_t *outlen, int *mapped, char **note,
		char **err, size_t *progress, const int *stop)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct strbuf sb;
	size_t total = n;
	ssize_t got;
	int failed = 0, rc;

	strbuf_init(&sb);
	strbuf_add(&sb, head, n);
	if (progress != NULL)
		__atomic_store_n(progress, total, __ATOMIC_RELAXED);
	for (;;) {
		if (stop != NULL) {
			if (__atomic_load_n(stop, __ATOMIC_RELAXED)) {
				*err = xstrdup("stopped");
				strbuf_free(&sb);
				spill_discard(sp);
				return -1;
			}
			/* Waits a tenth of a second at most (or until a
			 * signal), then looks at stop again. */
			if (poll(&pfd, 1, 100) <= 0)
				continue;
		}
		if (sb.cap - sb.len < 65536)
			sb.buf = xgrow(sb.buf, &sb.cap, sb.len + 65536, 1);
		got = read(fd, sb.buf + sb.len, sb.cap - sb.len);
		if (got == 0)
			break;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && total > 0) {
			/* What came before is kept (a connection reset,
			 * a terminal gone). */
			failed = errno;
			break;
		}
		if (got < 0) {
			*err = xstrdup(strerror(errno));
			strbuf_free(&sb);
			spill_discard(sp);
			return -1;
		}
		sb.len += (size_t)got;
		total += (size_t)got;
		if (progress != NULL)
			__atomic_store_n(progress, total, __ATOMIC_RELAXED);
		spill_maybe(sp, &sb);
	}
	rc = spill_finish(sp, &sb, out, outlen, mapped, note, err);
	if (rc == 0 && failed != 0)
		source_note_add(note, source_read_failed(*out, *outlen, failed));
	return rc;
}

/* Reads up to max bytes of fd into a new heap buffer (*out, *len), fewer
 * only at its end (*eof set) or when a read fails after some bytes (*eof
 * set too; *note says where it stopped, else NULL). 0, or -1 with *err
 * (without the name). */
static int
source_read_head(int fd, size_t max, char **out, size_t *len, int *eof,
		 char **note, char **err)
{
	char *buf = xmalloc(max > 0 ? max : 1);
	size_t n = 0;
	ssize_t got;

	*eof = 0;
	*note = NULL;
	while (n < max) {
		got = read(fd, buf + n, max - n);
		if (got == 0) {
			*eof = 1;
			break;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && n > 0) {
			*note = source_read_failed(buf, n, errno);
			*eof = 1;
			break;
		}
		if (got < 0) {
			*err = xstrdup(strerror(errno));
			free(buf);
			return -1;
		}
		n += (size_t)got;
	}
	*out = buf;
	*len = n;
	return 0;
}

void
source_set_inflate_limit(size_t max)
{
	source_inflate_max = max;
}

#ifdef SIPSNOOP_HAVE_ZLIB
static size_t
source_inflate_limit(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t lim = (uint64_t)4 << 30;

	if (source_inflate_max != 0)
		return source_inflate_max;
	/* A gzip bomb must not take the machine's memory. */
	if (pages > 0 && psz > 0 && (uint64_t)pages * (uint64_t)psz / 2 < lim)
		lim = (uint64_t)pages * (uint64_t)psz / 2;
	if (lim > SIZE_MAX / 2)
		lim = SIZE_MAX / 2;
	return (size_t)lim;
}

/* Whether p[0..n) is all zero bytes (padding after the last member). */
static int
source_all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != 0)
			return 0;
	}
	return 1;
}

/* Input inflated between two progress reports. */
#define SOURCE_GUNZIP_STEP (1u << 20)

/* Inflates in[0..inlen) (gzip members one after the other) into out,
 * which moves to sp's file as it grows when sp is not NULL. A damaged or
 * cut stream keeps what came before it and sets *note. Returns 0, or -1
 * with *err when the output passes the limit. */
static int
source_gunzip_sb(const unsigned char *in, size_t inlen, struct strbuf *out,
    struct spill *sp, char **note, char **err, size_t *progress)
{
	z_stream z;
	size_t pos = 0, limit = source_inflate_limit(), want, total;
	size_t lastpos, lastlen;
	int rc, stuck = 0;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK) {
		*err = xstrdup("cannot start the gzip decompressor");
		return -1;
	}
	for (;;) {
		spill_maybe(sp, out);
		total = spill_pos(sp, out);
		if (total + 65536 > limit) {
			*err = xasprintf("decompresses to more than %zu MiB, "
			    "the limit for gzip input; decompress it to a file "
			    "and open that", limit >> 20);
			inflateEnd(&z);
			return -1;
		}
		if (out->cap - out->len < 65536) {
			/* Logs compress about tenfold: start near that, but
			 * never reserve much before it is needed. */
			if (out->cap == 0)
				want = inlen < ((size_t)8 << 20) ? inlen * 8 :
				    (size_t)64 << 20;
			else
				want = out->cap * 2;
			/* What moves to a file needs no more than a chunk. */
			if (sp != NULL && sp->dir != NULL &&
			    want > sp->chunk + 65536)
				want = sp->chunk + 65536;
			if (want < 65536 + out->len)
				want = 65536 + out->len;
			if (want > limit - (total - out->len))
				want = limit - (total - out->len);
			out->buf = xrealloc(out->buf, want + 1);
			out->cap = want;
		}
		z.next_in = (unsigned char *)(uintptr_t)(in + pos);
		/* A megabyte at a time, so that progress can be told. */
		z.avail_in = inlen - pos > SOURCE_GUNZIP_STEP ?
		    SOURCE_GUNZIP_STEP : (unsigned)(inlen - pos);
		z.next_out = (unsigned char *)out->buf + out->len;
		/* Never past the limit, spilled or not. */
		want = out->cap - out->len;
		if (want > limit - total)
			want = limit - total;
		z.avail_out = want > UINT32_MAX ? UINT32_MAX : (unsigned)want;
		lastpos = pos;
		lastlen = total;
		rc = inflate(&z, Z_NO_FLUSH);
		pos = (size_t)(z.next_in - in);
		out->len = (size_t)((char *)z.next_out - out->buf);
		total = spill_pos(sp, out);
		if (progress != NULL)
			__atomic_store_n(progress, pos, __ATOMIC_RELAXED);
		if (rc == Z_STREAM_END) {
			/* cat a.gz b.gz is a valid gzip file. */
			if (inlen - pos >= 2 && in[pos] == 0x1f &&
			    in[pos + 1] == 0x8b) {
				inflateReset(&z);
				continue;
			}
			if (!source_all_zero(in + pos, inlen - pos))
				*note = xasprintf("%zu bytes after the gzip "
				    "data ignored", inlen - pos);
			break;
		}
		if (rc == Z_OK || rc == Z_BUF_ERROR) {
			if (pos >= inlen && z.avail_out != 0) {
				*note = total == 0 ? xstrdup("the gzip data "
				    "is cut short (truncated file?) before "
				    "anything was decompressed: nothing to "
				    "read") : xasprintf("the gzip data is cut "
				    "short (truncated file?): the %zu bytes "
				    "decompressed before the cut are read",
				    total);
				break;
			}
			stuck = (pos == lastpos && total == lastlen) ?
			    stuck + 1 : 0;
			if (stuck < 2)
				continue;
		}
		*note = total == 0 ? xasprintf("the gzip data is damaged "
		    "at byte %zu (%s) before anything was decompressed: "
		    "nothing to read", pos, z.msg != NULL ? z.msg :
		    "zlib error") : xasprintf("the gzip data is damaged at "
		    "byte %zu (%s): the %zu bytes decompressed before it are "
		    "read", pos, z.msg != NULL ? z.msg : "zlib error", total);
		break;
	}
	inflateEnd(&z);
	return 0;
}

/* source_gunzip_sb into a buffer of its own, which spill_finish() then
 * hands over, mapped or on the heap. */
static int
source_gunzip_buf(const unsigned char *in, size_t inlen, struct spill *sp,
    char **out, size_t *outlen, int *mapped, char **note, char **err,
    size_t *progress)
{
	struct strbuf sb;
	char *snote = NULL;

	*mapped = 0;
	strbuf_init(&sb);
	if (source_gunzip_sb(in, inlen, &sb, sp, note, err, progress) < 0 ||
	    spill_finish(sp, &sb, out, outlen, mapped, &snote, err) < 0) {
		strbuf_free(&sb);
		spill_discard(sp);
		free(*note);	/* the error is what counts */
		*note = NULL;
		return -1;
	}
	source_note_add(note, snote);
	return 0;
}
#endif

/* Whether the source starts with the gzip magic bytes. */
int
source_is_gzip(const struct source *src)
{
	const unsigned char *in = (const unsigned char *)src->data;

	return src->len >= 2 && in[0] == 0x1f && in[1] == 0x8b;
}

int
source_utf16(const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i, pairs, le = 0, be = 0;

	if (n >= 2 && p[0] == 0xff && p[1] == 0xfe)
		return SOURCE_UTF16LE;
	if (n >= 2 && p[0] == 0xfe && p[1] == 0xff)
		return SOURCE_UTF16BE;
	/* No mark: ASCII text with a zero byte beside every character. */
	pairs = (n < 512 ? n : 512) / 2;
	if (pairs < 8)
		return 0;
	for (i = 0; i < pairs; i++) {
		le += p[2 * i] != 0 && p[2 * i + 1] == 0;
		be += p[2 * i] == 0 && p[2 * i + 1] != 0;
	}
	if (le * 10 >= pairs * 9)
		return SOURCE_UTF16LE;
	if (be * 10 >= pairs * 9)
		return SOURCE_UTF16BE;
	return 0;
}

int
source_decode_utf16(struct source *src, int order, struct spill *sp,
		    char **err)
{
	const unsigned char *p = (const unsigned char *)src->data;
	size_t n = src->len, i = 0, bad = 0, len, end;
	int hi = order == SOURCE_UTF16BE ? 0 : 1, mapped;
	struct strbuf sb;
	char *q, *buf, *note = NULL;
	uint32_t u, w;

	strbuf_init(&sb);
	if (n >= 2 && p[hi] == 0xfe && p[1 - hi] == 0xff)
		i = 2;	/* the mark, which UTF-8 does without */
	while (i + 1 < n) {
		/* 64 Ki units at a time: 3 bytes out at most for each, 4 for
		 * a pair (which may end past end). */
		end = n - i > 131072 ? i + 131072 : n;
		sb.buf = xgrow(sb.buf, &sb.cap, sb.len + (end - i) / 2 * 3 + 8,
			       1);
		q = sb.buf + sb.len;
		for (; i + 1 < end; i += 2) {
			u = (uint32_t)p[i + hi] << 8 | p[i + 1 - hi];
			if (u < 0x80) {
				*q++ = (char)u;
				continue;
			}
			if (u >= 0xd800 && u < 0xdc00 && i + 3 < n) {
				w = (uint32_t)p[i + 2 + hi] << 8 | p[i + 3 - hi];
				if (w >= 0xdc00 && w < 0xe000) {
					q += utf8_encode(0x10000 + ((u - 0xd800) << 10)
							 + (w - 0xdc00), q);
					i += 2;
					continue;
				}
			}
			if (u >= 0xd800 && u < 0xe000) {
				u = 0xfffd;	/* half of a pair, alone */
				bad++;
			}
			q += utf8_encode(u, q);
		}
		sb.len = (size_t)(q - sb.buf);
		sb.buf[sb.len] = '\0';
		spill_maybe(sp, &sb);
	}
	if (i < n) {
		strbuf_adds(&sb, "\xef\xbf\xbd");	/* an odd last byte */
		bad++;
	}
	if (spill_finish(sp, &sb, &buf, &len, &mapped, &note, err) < 0) {
		strbuf_free(&sb);
		spill_discard(sp);
		return -1;
	}
	strbuf_free(&sb);
	if (src->mapped) {
		source_map_remove(src);
		munmap((void *)src->data, src->len);
	} else
		free((void *)src->data);
	src->data = buf;
	src->len = len;
	src->mapped = mapped;	/* a temporary file's, not registered */
	src->decoded = 1;
	if (bad > 0)
		source_note_add(&src->note, xasprintf(
		    "%zu invalid UTF-16 code unit%s shown as U+FFFD", bad,
		    bad == 1 ? "" : "s"));
	source_note_add(&src->note, note);
	return 0;
}

/* Replaces compressed bytes by what they inflate to. Returns 0, or -1
 * with *err (the message without the name). */
static int
source_inflate(struct source *src, struct spill *sp, char **err)
{
#ifdef SIPSNOOP_HAVE_ZLIB
	char *buf, *note = NULL;
	size_t len;
	int mapped;
#endif

	if (!source_is_gzip(src))
		return 0;
#ifdef SIPSNOOP_HAVE_ZLIB
	if (source_gunzip_buf((const unsigned char *)src->data, src->len, sp,
	    &buf, &len, &mapped, &note, err, NULL) < 0)
		return -1;
	if (src->mapped) {
		source_map_remove(src);
		munmap((void *)src->data, src->len);
		src->mapped = 0;
	} else
		free((void *)src->data);
	src->data = buf;
	src->len = len;
	src->mapped = mapped;	/* a temporary file's, not registered */
	src->inflated = 1;
	/* The reading (spill.h) may have had one too. */
	source_note_add(&src->note, note);
#else
	(void)sp;
	free(src->note);
	src->note = xstrdup("gzip-compressed, but this sipsnoop was built "
	    "without zlib: decompress it first (zcat)");
#endif
	(void)err;
	return 0;
}

int
source_decompress(struct source *src, struct spill *sp, char **err)
{
	if (source_inflate(src, sp, err) < 0)
		return -1;
	src->compressed = 0;
	return 0;
}

/* source_inflate for source_open: failures name the input. */
static struct source *
source_opened(struct source *src, const char *name, struct spill *sp,
	      char **err)
{
	char *msg = NULL;

	if (source_inflate(src, sp, &msg) < 0) {
		*err = xasprintf("%s: %s", name, msg);
		free(msg);
		source_free(src);
		return NULL;
	}
	return src;
}

/* source_open without the inflating, for source_open_lazy. */
static struct source *
source_lazy(struct source *src)
{
	src->compressed = source_is_gzip(src);
	return src;
}

/* How source_open1() brings in what is not a mappable file: all of it
 * (inflated), its start only (not inflated; source_open_lazy), or nothing
 * yet (source_open_stream). */
enum source_how { SOURCE_WHOLE, SOURCE_LAZY, SOURCE_STREAM };

static struct source *
source_open1(const char *path, enum source_how how, struct spill *sp,
	     char **err)
{
	struct source *src;
	struct stat st;
	const char *name;
	char *buf, *note = NULL, *msg = NULL;
	size_t len;
	void *map;
	int fd, saved, mapped, eof;

	*err = NULL;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		name = "standard input";
	} else {
		name = path;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd == -1) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			return NULL;
		}
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		*err = xasprintf("%s: %s", name, strerror(saved));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		*err = xasprintf("%s: is a directory", name);
		goto fail;
	}
	/* /dev/zero and friends never end; a terminal on stdin is fine. */
	if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) &&
	    !(fd == STDIN_FILENO && isatty(fd))) {
		*err = xasprintf("%s: is a device, not a log file", name);
		goto fail;
	}

	src = xcalloc(1, sizeof *src);
	src->path = xstrdup(path);
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size <= (uintmax_t)SIZE_MAX) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (map != MAP_FAILED) {
			/* The readers scan forward once. */
			madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
			src->data = map;
			src->len = (size_t)st.st_size;
			src->mapped = 1;
			source_map_add(src);
			if (fd != STDIN_FILENO)
				close(fd);
			return how != SOURCE_WHOLE ? source_lazy(src) :
				      source_opened(src, name, sp, err);
		}
		/* Some file systems cannot map; fall back to reading. */
	}
	if (how == SOURCE_STREAM && !S_ISREG(st.st_mode)) {
		/* Nothing yet: source_read_some() reads as it comes. */
		src->pending = 1;
		src->stream = 1;
		src->fd = fd;
		return src;
	}
	if (how == SOURCE_LAZY && !S_ISREG(st.st_mode)) {
		/* Only the start, for the probe; source_read_rest() reads
		 * the rest (on another thread), so that a viewer need not
		 * wait for the writer of a pipe to finish. (A regular file
		 * that cannot be mapped is read at once, as it can be
		 * followed.) */
		if (source_read_head(fd, SOURCE_HEAD_BYTES, &buf, &len, &eof,
				     &note, &msg) == -1)
			goto failed_read;
		src->data = buf;
		src->len = len;
		src->note = note;
		if (!eof) {
			src->pending = 1;
			src->fd = fd;
			return source_lazy(src);
		}
	} else if (source_read_all(fd, "", 0, sp, &buf, &len, &mapped, &note,
				   &msg, NULL, NULL) == -1) {
		goto failed_read;
	} else {
		src->data = buf;
		src->len = len;
		src->mapped = mapped;	/* a temporary file's, not registered */
		src->note = note;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return how != SOURCE_WHOLE ? source_lazy(src) :
				     source_opened(src, name, sp, err);

failed_read:
	*err = xasprintf("%s: %s", name, msg);
	free(msg);
	source_free(src);

fail:
	if (fd != STDIN_FILENO)
		close(fd);
	return NULL;
}

struct source *
source_open(const char *path, char **err)
{
	return source_open1(path, SOURCE_WHOLE, NULL, err);
}

struct source *
source_open_lazy(const char *path, struct spill *sp, char **err)
{
	return source_open1(path, SOURCE_LAZY, sp, err);
}

struct source *
source_open_stream(const char *path, char **err)
{
	return source_open1(path, SOURCE_STREAM, NULL, err);
}

int
source_read_some(struct source *src, size_t max, int wait_ms, char **err)
{
	struct pollfd pfd = { .fd = src->fd, .events = POLLIN };
	char *buf = (char *)(uintptr_t)src->data;
	ssize_t got;
	int rc;

	if (!src->pending || max == 0)
		return 0;
	do
		rc = poll(&pfd, 1, wait_ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return 0;
	buf = xrealloc(buf, src->len + max);
	src->data = buf;
	do
		got = read(src->fd, buf + src->len, max);
	while (got < 0 && errno == EINTR);
	if (got < 0 && src->len == 0) {
		*err = xstrdup(strerror(errno));
		return -1;
	}
	if (got < 0) {
		/* What came before is kept, as at the end of the pipe. */
		source_note_add(&src->note,
				source_read_failed(src->data, src->len, errno));
		got = 0;
	}
	if (got == 0) {
		/* The writer is done. */
		if (src->fd != STDIN_FILENO)
			close(src->fd);
		src->pending = 0;
		return 0;
	}
	src->len += (size_t)got;
	return (int)got;
}

struct source *
source_open_spill(const char *path, struct spill *sp, char **err)
{
	return source_open1(path, SOURCE_WHOLE, sp, err);
}

size_t
source_gunzip_head(const struct source *src, char *out, size_t max)
{
#ifdef SIPSNOOP_HAVE_ZLIB
	z_stream z;
	size_t n;

	memset(&z, 0, sizeof z);
	if (max == 0 || inflateInit2(&z, 15 + 32) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)(uintptr_t)src->data;
	z.avail_in = src->len > UINT_MAX ? UINT_MAX : (unsigned)src->len;
	z.next_out = (unsigned char *)out;
	z.avail_out = max > UINT_MAX ? UINT_MAX : (unsigned)max;
	/* One member is enough for a probe. */
	(void)inflate(&z, Z_SYNC_FLUSH);
	n = (size_t)((char *)z.next_out - out);
	inflateEnd(&z);
	return n;
#else
	(void)src;
	(void)out;
	(void)max;
	return 0;
#endif
}

int
source_gunzip(const struct source *src, struct spill *sp, char **out,
	      size_t *len, int *mapped, char **note, char **err,
	      size_t *progress)
{
	*note = NULL;
	*mapped = 0;
#ifdef SIPSNOOP_HAVE_ZLIB
	return source_gunzip_buf((const unsigned char *)src->data, src->len,
				 sp, out, len, mapped, note, err, progress);
#else
	(void)sp;
	(void)progress;
	(void)src;
	(void)out;
	(void)len;
	*err = xstrdup("gzip-compressed, but this sipsnoop was built without "
	    "zlib: decompress it first (zcat)");
	return -1;
#endif
}

struct source *
source_from_mem(const char *name, const char *data, size_t len)
{
	struct source *src;
	char *copy, *msg = NULL;

	src = xcalloc(1, sizeof *src);
	src->path = xstrdup(name);
	/* One spare byte so an empty source still has a valid pointer. */
	copy = xmalloc(len + 1);
	if (len != 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	src->data = copy;
	src->len = len;
	if (source_inflate(src, NULL, &msg) < 0) {
		/* Keep the bytes as they are; the problem is the note. */
		free(src->note);
		src->note = msg;
	}
	return src;
}

int
source_read_rest(const struct source *src, struct spill *sp, char **out,
		 size_t *len, int *mapped, char **note, char **err,
		 size_t *progress, const int *stop)
{
	*note = NULL;
	*mapped = 0;
	return source_read_all(src->fd, src->data, src->len, sp, out, len,
			       mapped, note, err, progress, stop);
}

void
source_free(struct source *src)
{
	if (src == NULL)
		return;
	if (src->pending && src->fd != STDIN_FILENO)
		close(src->fd);
	if (src->mapped) {
		source_map_remove(src);
		munmap((void *)src->data, src->len);
	}
	else
		free((void *)src->data);
	free(src->note);
	free(src->path);
	free(src);
}
