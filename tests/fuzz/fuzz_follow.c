/* fuzz_follow: libFuzzer harness for the readers in follow mode. Every
 * format with a next() reads the input as the engine reads a followed file,
 * through the engine's own code (engine_follow_give, engine_follow_next):
 * in pieces, up to the last line break written, a record cut short by that
 * end read again once more has come; then to its end as a followed file
 * that ends. The records must be those of reading the whole input at once.
 * The first byte of the input sets the size of the pieces, the second
 * whether the file is quiet after each (its last line read as complete
 * once; then only bounds are checked, a record read so may be shorter). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "engine.h"
#include "fuzz_common.h"

#define FOLLOW_MAX 4096		/* records compared */

struct follow_rec {
	size_t off, len, start, hdrs, body;
	unsigned flags;
};

static void
follow_keep(struct follow_rec *v, size_t *n, const struct rd_record *rec,
    const struct reader *r, const char *d, size_t len)
{
	/* A joined message's text is the reader's (RECF_JOINED). */
	const char *t = rec->flags & RECF_JOINED ? r->join.buf : d;
	size_t tn = rec->flags & RECF_JOINED ? r->join.len : len;

	FUZZ_CHECK(rec->off <= len && rec->len <= len - rec->off);
	FUZZ_CHECK(fuzz_span_in(rec->start, t, tn));
	FUZZ_CHECK(fuzz_span_in(rec->hdrs, t, tn));
	FUZZ_CHECK(fuzz_span_in(rec->body, t, tn));
	if (*n >= FOLLOW_MAX)
		return;
	v[*n] = (struct follow_rec){ rec->off, rec->len, rec->start.n,
	    rec->hdrs.n, rec->body.n, rec->flags };
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct follow_rec a[FOLLOW_MAX], b[FOLLOW_MAX];
	const struct rd_format *f;
	struct rd_record rec;
	struct reader *r;
	const char *d;
	size_t i, k, na, nb, step, at, rounds;
	struct engine_tail tail;
	int quiet;

	if (size < 2)
		return 0;
	step = 1 + data[0] % 64;
	quiet = data[1] & 1;
	d = (const char *)data + 2;
	size -= 2;
	for (i = 0; reader_formats[i] != NULL; i++) {
		f = reader_formats[i];
		if (f->next == NULL)
			continue;
		na = 0;
		r = reader_new(f, d, size);
		while (reader_next(r, &rec))
			follow_keep(a, &na, &rec, r, d, size);
		reader_free(r);

		nb = 0;
		memset(&tail, 0, sizeof tail);
		tail.tried = SIZE_MAX;
		r = reader_new(f, d, 0);
		r->follow = 1;
		for (at = 0; at < size;) {
			at = size - at < step ? size : at + step;
			engine_follow_give(r, d, at, 0);
			/* Every record moves the reader on. */
			for (rounds = 0;
			    engine_follow_next(r, &rec, at, 0, &tail);
			    rounds++) {
				FUZZ_CHECK(rounds <= size);
				follow_keep(b, &nb, &rec, r, d, at);
			}
			while (quiet &&
			    engine_follow_next(r, &rec, at, 1, &tail))
				follow_keep(b, &nb, &rec, r, d, at);
		}
		/* The writer is done (engine_follow_end). */
		engine_follow_give(r, d, size, 1);
		while (engine_follow_next(r, &rec, size, 0, &tail))
			follow_keep(b, &nb, &rec, r, d, size);
		reader_free(r);
		if (quiet)
			continue;
		if (na != nb) {
			fprintf(stderr, "%s, pieces of %zu: %zu records read "
			    "whole, %zu followed\n", f->name, step, na, nb);
			abort();
		}
		for (k = 0; k < na; k++) {
			if (a[k].off != b[k].off || a[k].len != b[k].len ||
			    a[k].start != b[k].start || a[k].hdrs != b[k].hdrs ||
			    a[k].body != b[k].body || a[k].flags != b[k].flags) {
				fprintf(stderr, "%s, pieces of %zu: record %zu "
				    "at %zu differs\n", f->name, step, k,
				    a[k].off);
				abort();
			}
		}
	}
	return 0;
}
