/* source: the bytes of one input in memory, read-only. Plain files are
 * mapped, pipes and stdin are read into a buffer, gzip-compressed input is
 * inflated into one. Nothing is ever written to an input. */
#ifndef SIPSNOOP_SOURCE_H
#define SIPSNOOP_SOURCE_H

#include <stddef.h>

struct spill;

struct source {
	char *path;		/* as given by the user ("-" for stdin) */
	const char *data;	/* the bytes (not NUL-terminated) */
	size_t len;
	int mapped;		/* data is an mmap of the file */
	/* The file shrank while mapped: set by the guard, on whichever
	 * thread read past the new end. */
	_Atomic int truncated;
	/* Then 1 + the offset of the first byte the guard made read as zero
	 * (the lowest of all threads'); 0 before (source_cut_at). */
	_Atomic size_t zeroed_from;
	int inflated;		/* data was gzip-compressed in the input */
	int compressed;		/* data is still gzip (source_open_lazy) */
	int decoded;		/* data was UTF-16 in the input, now UTF-8 */
	/* data is only the start of a pipe (source_open_lazy): the rest is
	 * still to be read from fd (source_read_rest). */
	int pending;
	int fd;
	int stream;		/* a pipe of source_open_stream() */
	/* A problem the reader should be told about (gzip stream damaged or
	 * cut short: what came before it is in data), or NULL. */
	char *note;
};

/* Installs the SIGBUS guard: reading a mapped file that another process
 * truncated then yields zero bytes and sets the source's truncated flag
 * instead of killing the program. Call once at start; 0 or -1. */
int source_guard(void);

/* Opens path read-only ("-" is stdin). Returns a new source, or NULL with
 * *err set to a message naming the file (caller frees *err). Directories,
 * unreadable and missing files are refused; an empty file is not an error. */
struct source *source_open(const char *path, char **err);
/* Of a source the guard found cut (truncated set): the offset from which
 * its bytes read as zeros; src->len when it was not cut. */
size_t source_cut_at(const struct source *src);
/* Same, with what is read from a pipe (standard input), and what gzip
 * input inflates to, moving to sp's temporary file as it grows (spill.h):
 * src->data is then a mapping of it. */
struct source *source_open_spill(const char *path, struct spill *sp,
				 char **err);
/* Same, but gzip input is left as it is, with compressed set:
 * source_gunzip_head() gives its first bytes (for a probe) and
 * source_gunzip() all of them, on whichever thread. Of a pipe (or a file
 * that cannot be mapped) only the first 16 KiB are read, pending is then
 * set, and source_read_rest() reads the rest. */
struct source *source_open_lazy(const char *path, struct spill *sp,
				 char **err);
/* Inflates up to max bytes of a compressed source's start into out;
 * returns how many (fewer at a damaged or short stream). */
size_t source_gunzip_head(const struct source *src, char *out, size_t max);
/* Inflates all of a compressed source into *out (*len bytes), as
 * source_open does. With sp not NULL the output moves to sp's temporary
 * file as it grows (spill.h) and ends mapped (*mapped = 1: the caller
 * munmaps it); otherwise it is on the heap (the caller frees). A damaged or cut stream keeps what came
 * before it and sets *note (caller frees). Returns 0, or -1 with *err (the
 * message without the name) past the limit or without zlib. When progress
 * is not NULL, the compressed bytes read so far are stored there as it
 * goes (with __atomic_store_n: another thread may watch). */
int source_gunzip(const struct source *src, struct spill *sp, char **out,
		  size_t *len, int *mapped, char **note, char **err,
		  size_t *progress);
/* Inflates a compressed source (source_open_lazy) in place now, as
 * source_open_spill would have: its bytes are then what they inflate to
 * (inflated set, compressed cleared). 0, or -1 with *err (the message
 * without the name). */
int source_decompress(struct source *src, struct spill *sp, char **err);
/* Whether the source's bytes start with the gzip magic bytes. */
int source_is_gzip(const struct source *src);
/* Whether the n bytes at p are UTF-16 text (as Windows PowerShell 5 and
 * Notepad's "Unicode" write): SOURCE_UTF16LE or SOURCE_UTF16BE by the
 * byte order mark, or without one ASCII text with a zero byte beside
 * every character; 0 when not. */
#define SOURCE_UTF16LE 1
#define SOURCE_UTF16BE 2
int source_utf16(const char *p, size_t n);
/* Replaces the bytes of a source that is UTF-16 in that order (and not
 * compressed) with their UTF-8, without the byte order mark, and sets
 * decoded: on the heap, or with sp not NULL in sp's temporary file once
 * large (spill.h). Lines stay where they were. A code unit that is half
 * of a surrogate pair alone, or an odd last byte, becomes U+FFFD and is
 * counted in note. 0, or -1 with *err (the message without the name;
 * nothing changed). */
int source_decode_utf16(struct source *src, int order, struct spill *sp,
			char **err);
/* What source_open_lazy() reads of a pipe before it returns: more than
 * the format probe looks at (reader_probe: 8 KiB after a BOM), and of
 * gzip input enough to inflate to that. */
#define SOURCE_HEAD_BYTES (16 * 1024)

/* Same as source_open_lazy, but of a pipe nothing is read: it is pending,
 * with no bytes yet, and source_read_some() reads it as it comes (a pipe
 * followed as it grows). */
struct source *source_open_stream(const char *path, char **err);
/* Of a pending source: waits up to wait_ms (-1: as long as it takes) for
 * its pipe to have something, then appends up to max bytes of it to data
 * (a heap buffer, which may move). Returns how many; 0 when there was
 * nothing in time or at the end of the pipe (pending is then cleared and
 * the descriptor closed, unless it is standard input), also when a read
 * fails after some bytes (note then says where: source_read_failed); -1
 * with *err (the message without the name) when one fails before any. */
int source_read_some(struct source *src, size_t max, int wait_ms,
		     char **err);
/* Of a pending source: its bytes, those read and the rest of the pipe up
 * to its end, as source_read_all does for source_open_spill: on the heap,
 * or moved to sp's file as they grow (*mapped = 1: munmap them). The
 * source keeps its first bytes. When progress is not NULL, the bytes
 * read so far are stored there (__atomic_store_n). When stop is not NULL,
 * setting *stop (__atomic_store_n, from another thread) makes it give up
 * within a tenth of a second ("stopped"). A read that fails keeps what
 * came before it, and *note says where it stopped (source_read_failed).
 * 0, or -1 with *err (the message without the name). */
int source_read_rest(const struct source *src, struct spill *sp, char **out,
		     size_t *len, int *mapped, char **note, char **err,
		     size_t *progress, const int *stop);
/* The note for a read of an input that failed (errnum) after the len
 * bytes at data, which are kept: where it stopped (bytes, line) and why
 * (caller frees). */
char *source_read_failed(const char *data, size_t len, int errnum);
/* A source over a copy of bytes already in memory (tests, fuzzers).
 * Compressed bytes are inflated as source_open does; a problem there is
 * left in note. */
struct source *source_from_mem(const char *name, const char *data, size_t len);
/* Input starting with the gzip magic (1f 8b) is inflated, concatenated
 * members too, up to a limit that stops a gzip bomb: by default 4 GiB or
 * half the physical memory, whichever is less. Beyond it source_open
 * fails ("decompresses to more than ..."). max 0 restores the default. */
void source_set_inflate_limit(size_t max);
/* A mapped file that grew (followed in place): maps newlen bytes of it,
 * maybe at another address (src->data changes). 0, or -1 with errno
 * (nothing changed). */
int source_remap(struct source *src, size_t newlen);
void source_free(struct source *src);

#endif
