/* source: the bytes of one input in memory, read-only. Plain files are
 * mapped, pipes and stdin are read into a buffer. Nothing is ever written
 * to an input. */
#ifndef SIPSNOOP_SOURCE_H
#define SIPSNOOP_SOURCE_H

#include <stddef.h>

struct source {
	char *path;		/* as given by the user ("-" for stdin) */
	const char *data;	/* the bytes (not NUL-terminated) */
	size_t len;
	int mapped;		/* data is an mmap of the file */
	volatile int truncated;	/* the file shrank while mapped (see guard) */
};

/* Installs the SIGBUS guard: reading a mapped file that another process
 * truncated then yields zero bytes and sets the source's truncated flag
 * instead of killing the program. Call once at start; 0 or -1. */
int source_guard(void);

/* Opens path read-only ("-" is stdin). Returns a new source, or NULL with
 * *err set to a message naming the file (caller frees *err). Directories,
 * unreadable and missing files are refused; an empty file is not an error. */
struct source *source_open(const char *path, char **err);
/* A source over a copy of bytes already in memory (tests, fuzzers). */
struct source *source_from_mem(const char *name, const char *data, size_t len);
void source_free(struct source *src);

#endif
