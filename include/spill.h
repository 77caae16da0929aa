/* spill: output that moves to a temporary file once it grows large.
 *
 * A capture or another converted format is rewritten whole into canonical
 * records, and a gzip log is inflated whole. Kept on the heap, that output
 * is as large as the input or larger, so a capture larger than RAM could
 * not be read. The writer appends to a strbuf and calls spill_maybe() now
 * and then: once the buffer holds chunk bytes they go to an unlinked file
 * in dir and the buffer starts again. spill_finish() then maps the whole
 * output read-only, where the kernel can page it out and in again as any
 * log file. Output that never reaches chunk stays on the heap. */
#ifndef SIPSNOOP_SPILL_H
#define SIPSNOOP_SPILL_H

#include <stddef.h>

#include "util.h"

struct spill {
	char *dir;		/* where the file goes; NULL: stay on the heap */
	size_t chunk;		/* write once the buffer holds this much */
	int fd;			/* -1 until the first write */
	size_t written;		/* bytes in the file */
	/* Why spilling stopped (the output then stays on the heap from
	 * there on), or NULL. spill_finish() hands it over. */
	char *err;
};

/* dir may be NULL (never spill); it is copied. */
void spill_init(struct spill *s, const char *dir, size_t chunk);
/* Closes the file (it is already unlinked) and frees what s holds. */
void spill_free(struct spill *s);
/* Forgets an output given up half way: closes its file (NULL is fine). */
void spill_discard(struct spill *s);
/* Writes buf's bytes out when they are chunk or more, and empties buf. */
void spill_maybe(struct spill *s, struct strbuf *buf);
/* Offset, in the whole output, of the end of buf. */
static inline size_t
spill_pos(const struct spill *s, const struct strbuf *buf)
{
	return (s != NULL ? s->written : 0) + buf->len;
}
/* Ends the output, of which buf holds the last bytes: *data is then all of
 * it, *len bytes, either mapped (*mapped = 1: munmap it) or on the heap
 * (*mapped = 0: free it); buf is left empty. When spilling failed on the
 * way, the output is gathered on the heap and *note says why (caller
 * frees; NULL otherwise). 0, or -1 with *err when the file could not be
 * read back. s is ready for another output. */
int spill_finish(struct spill *s, struct strbuf *buf, char **data,
		 size_t *len, int *mapped, char **note, char **err);

/* A followed input grows for as long as it is followed (engine.c). Past
 * the chunk size its bytes move to a temporary file of their own, mapped
 * read-only; each new piece is written there (spill_append) and the
 * mapping grown over it (source_remap).
 *
 * spill_grow_new() makes that file in dir, unlinked, with the n bytes at
 * p then the m at q (n + m > 0), and maps it: *map (n + m bytes; munmap
 * it). Returns the descriptor to append with, or -1 with *err naming dir
 * (caller frees). */
int spill_grow_new(const char *dir, const char *p, size_t n, const char *q,
		   size_t m, char **map, char **err);
/* Writes the n bytes at p to fd at offset at: 0, or -1 with *err (the
 * system's reason; caller frees). */
int spill_append(int fd, const char *p, size_t n, size_t at, char **err);

#endif
