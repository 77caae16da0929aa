/* reader: probes a log's format and splits its bytes into records, one SIP
 * message (or one diagnostic event) each, with time, direction, addresses.
 *
 * Call order: reader_probe() (or reader_by_name()) picks a format;
 * reader_new() starts at the first byte; reader_next() is called until it
 * returns 0. Each call fills one record whose spans point into the source
 * bytes. Problems (junk skipped, records cut short) are counted in the
 * reader's stats and listed as warnings with their line numbers; the reader
 * never stops on bad input. */
#ifndef SIPSNOOP_READER_H
#define SIPSNOOP_READER_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"
#include "spill.h"

enum rec_kind {
	REC_SIP = 0,	/* a SIP message: start, hdrs and body are set */
	REC_DIAG,	/* a diagnostic event: hdrs holds Name: value lines */
};

enum msg_dir {
	DIR_UNKNOWN = 0,
	DIR_IN,
	DIR_OUT,
};

/* Record flags (also stored in the message index). */
#define RECF_TRUNCATED	0x0001	/* cut short at end of file */
#define RECF_NO_CALLID	0x0002	/* set by the parser */
#define RECF_BAD_START	0x0004	/* set by the parser */
#define RECF_BAD_HEADER	0x0008	/* set by the parser: a line without a colon */
#define RECF_RETRANS	0x0010	/* set by the rule engine */
#define RECF_LARGE	0x0020	/* message larger than 64 KiB */
#define RECF_OTHER_PARTY 0x0040	/* set by the engine: sipmsg_other_party() */
/* The message is the pieces of several of the log's records put together
 * (a client log's reads, rd_uccapi): start, hdrs and body point into the
 * reader's join buffer, valid until the next reader_next()/reader_free(),
 * and off/len are those of the record holding its start. Not kept in
 * struct msg (whose flags are a byte): the engine keeps the text. */
#define RECF_JOINED	0x0100

struct rd_record {
	enum rec_kind kind;
	size_t off;		/* offset of the record's first byte */
	size_t len;		/* bytes of the whole record in the source */
	uint32_t line;		/* 1-based line where the record starts */
	/* The SIP message in up to three pieces, because some logs wrap the
	 * start line (CLS "Start-Line: ", UCCAPI's line prefix). hdrs runs
	 * from the first header line to the end of the header block (without
	 * the blank separator line); body is the message body, possibly empty. */
	struct span start;
	struct span hdrs;
	struct span body;
	int64_t time;		/* TIME_NONE when unknown */
	int time_prec;		/* fraction digits the log gives (0..6) */
	int has_date;		/* the log gives a date, not only a time of day */
	/* The log gives a time of day alone, not even month and day: the
	 * days are those it went past midnight (rd_tod_roll). */
	int tod_only;
	enum msg_dir dir;
	/* src, dst and transport may point into the source or into the
	 * reader's state: valid until the next reader_next()/reader_free(). */
	struct span src;	/* "host:port" as the log writes it, may be empty */
	struct span dst;
	struct span transport;	/* "TLS", "UDP" ..., may be empty */
	unsigned flags;		/* RECF_* */
	/* REC_DIAG only: severity text from the log ("TL_ERROR", "ERROR"...). */
	struct span diag_level;
	/* engine_message() moves src, dst, transport and diag_level here
	 * when they lived in the reader's state, which it frees. */
	char own[96];
};

struct rd_warning {
	uint32_t line;
	char *msg;
};

struct rd_stats {
	size_t records;
	size_t junk_lines;	/* lines outside any record that were skipped */
	size_t truncated;
};

struct reader;

/* rd_format more()'s end: more may come; the input is over; it is over
 * for now; more may come but the input has not grown for a while
 * (engine_set_follow_quiet: only for a format with quiet set). */
#define READER_MORE	0
#define READER_END	1
#define READER_PAUSE	2
#define READER_QUIET	3

struct rd_format {
	const char *name;	/* --format name: "cls", "uccapi", "sngrep", "raw" */
	const char *desc;	/* one line for --formats */
	/* Confidence 0..100 that the first n bytes are this format. */
	int (*probe)(const char *p, size_t n);
	/* Fills rec with the next record at or after r->pos; 1 when filled,
	 * 0 at end of input. Must advance r->pos on every call that returns 1. */
	int (*next)(struct reader *r, struct rd_record *rec);
	size_t state_size;	/* bytes of per-reader state (zeroed) */
	/* For formats whose message text is not contiguous in the file
	 * (lines joined by "#012", colour escapes, a log prefix on every
	 * line, messages split over records, binary captures): converts the
	 * whole input once into canonical records (rd_canon_emit) in out,
	 * and the engine then reads out with the canonical reader instead of
	 * next. Returns 0, or -1 with *err (caller frees) when nothing could
	 * be converted. Warnings go through reader_warn() on r, whose data
	 * and len are the original bytes. NULL for ordinary formats. */
	int (*transform)(struct reader *r, struct strbuf *out, char **err);
	/* A transform that can also convert its input as it comes (a
	 * capture read from a pipe or followed while it grows): whether the
	 * input that begins with p[0..n) can be (NULL: none can). */
	int (*live)(const char *p, size_t n);
	/* Converts the units (packets) that are whole in r->data[r->pos..
	 * r->len) into out and moves r->pos past them; what it needs from
	 * one call to the next (TCP streams, IP fragments) it keeps in
	 * r->state. The caller may then drop the bytes before r->pos and
	 * append more (moving r->data, r->pos and r->len with them). With
	 * end READER_END, the input is over: what is pending is written and
	 * summed up, and r->state released. With READER_PAUSE, it is over
	 * for now (a file read whole) but may go on (followed later): the
	 * same is written, a unit cut short at the end is reported and left
	 * unread (r->pos before it), and r->state kept (or released by a
	 * format that cannot tell its last unit whole, ngrep: a later call
	 * then starts anew at r->pos, r->line). Output and warnings
	 * are those of transform over the same bytes, however they were cut
	 * between calls. Returns 0, or -1 with *err (caller frees; the state
	 * is released then): the input cannot be read, or ended with no
	 * message at all. */
	int (*more)(struct reader *r, struct strbuf *out, int end, char **err);
	/* Releases what more() keeps, for an input given up before its end. */
	void (*more_free)(struct reader *r);
	/* more() takes READER_QUIET: what waits only because more may come
	 * (a record framed by what follows it, junk at the end) is read as
	 * at the end when it can be taken back (reader redo), else it
	 * waits; a last line without its line break is not read. */
	int quiet;
	/* Its records call the log's own end "local" when the log does not
	 * name its host (engine_local_name tells merged logs apart). */
	int names_local;
};

struct reader {
	const struct rd_format *fmt;
	const char *data;
	size_t len;
	size_t pos;		/* next byte to read */
	uint32_t line;		/* 1-based line number of data[pos] */
	struct rd_stats stats;
	/* Of a transform that hands another format's log to that format's
	 * reader (syslog): that format, named with its own ("syslog/
	 * asterisk"); NULL otherwise. */
	const struct rd_format *inner;
	struct rd_warning *warnings;
	size_t nwarnings, capwarnings;
	void *state;		/* fmt->state_size bytes */
	/* The text of a message joined from pieces (RECF_JOINED). Not in
	 * state, which is copied byte for byte (reader_undo). */
	struct strbuf join;
	/* Pieces are not joined: a message read again alone, whose joined
	 * text (if any) its reader's caller kept (engine_message). */
	int nojoin;
	/* Name of the local end when the log names it (CLS [host\host]). */
	char local_name[128];
	/* data is a read-only file mapping (set by the engine): a transform
	 * may hand back the pages it has passed (reader_release). */
	int mapped;
	size_t released;
	/* Bytes a transform has passed (reader_release), for progress; read
	 * by another thread with __atomic_load_n. */
	size_t progress;
	/* Where a transform's output goes once it is large (set by the
	 * engine; NULL keeps it on the heap): see reader_spill(). */
	struct spill *spill;
	/* Following a growing file: a record cut short by the end of the
	 * bytes is still being written, so reader_next() neither counts nor
	 * warns about it; the caller rewinds to it and waits for more. */
	int follow;
	/* Set by a more() that read to the end for now (READER_PAUSE,
	 * READER_QUIET),
	 * read as at the input's end what would wait for more (a record
	 * cut short, or framed by what follows it), and can read it again
	 * as it comes: redo, the bytes of the output's last record so read
	 * (0: none) and how many of the last warnings came so. A caller
	 * that follows the input on with those taken back (engine.c: F
	 * completes the record's entry in place) leaves redo set, and the
	 * next more() reads them again as they come; any other caller
	 * zeroes it. */
	int redo;
	size_t redo_bytes, redo_warnings;
	/* Following, and the file has not grown for a while (engine.c reads
	 * its end once so): what waits only because more may come after it
	 * (chan_sip's summary line after a block's end marker, the line
	 * that ends a message framed by what follows it, a run of junk, the
	 * uccapi block holding a message's rest) is read as at the file's
	 * end. A record cut short (no end marker, a body short of its
	 * Content-Length) still waits. */
	int quiet;
	/* What reader_undo() goes back to: the reader as it was before it
	 * read its last record (undo_state: its state then; try_state: the
	 * state before the call under way). */
	size_t undo_pos;
	uint32_t undo_line;
	struct rd_stats undo_stats;
	void *undo_state, *try_state;
	int can_undo;
};

/* The formats, NULL-terminated, in probe order. */
extern const struct rd_format *const reader_formats[];
const struct rd_format *reader_by_name(const char *name);
/* How much of the input a probe looks at. */
#define READER_PROBE_BYTES 8192
/* Best format for the first READER_PROBE_BYTES of data, or NULL when none
 * is confident. */
const struct rd_format *reader_probe(const char *data, size_t len);

struct reader *reader_new(const struct rd_format *fmt, const char *data,
			  size_t len);
/* Skips a UTF-8 byte order mark at the start of r's bytes that was not
 * there yet when r was made (a followed file that began empty), as
 * reader_new() skips one; nothing once r has moved on. */
void reader_skip_bom(struct reader *r);
void reader_free(struct reader *r);
/* 1 and a record, or 0 at end of input. */
int reader_next(struct reader *r, struct rd_record *rec);
/* Puts r back as it was before it read its last record, so that it reads
 * that record and what came after it again: in follow mode, once a file
 * read whole is followed (its writer may not have finished them). Its
 * warnings are the caller's to drop: those it gave from line r->line on
 * (after the call). Returns 0, or -1 when r has read no record (or has
 * been put back already). */
int reader_undo(struct reader *r);
/* Fraction of the input consumed, 0..1000. */
unsigned reader_progress(const struct reader *r);

/* The canonical reader (format name "canon"): what a transform writes and
 * the engine reads back. Not probed, not listed by --formats. */
extern const struct rd_format rd_canon_format;
/* For transforms: appends one record to out. rec's spans may point
 * anywhere (they are copied); rec->line is the line (or packet number) in
 * the original input and is what the user sees. */
void rd_canon_emit(struct strbuf *out, const struct rd_record *rec);

/* For transforms, which read their input once from start to end: the bytes
 * before upto are not read again. A mapped file's pages are handed back to
 * the kernel a megabyte at a time, so that converting a large capture does
 * not keep all of it resident beside what it is converted to. */
void reader_release(struct reader *r, size_t upto);

/* For transforms: call after appending to out (every record or so). Once
 * out is large its bytes move to the engine's temporary file (spill.h),
 * so out then holds only the output's latest bytes. */
static inline void
reader_spill(struct reader *r, struct strbuf *out)
{
	spill_maybe(r->spill, out);
}

/* For format modules: adds a warning for line (message is formatted). */
void reader_warn(struct reader *r, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* For format modules: returns the end of the line starting at p (the
 * offset of its '\n' or len) and the offset after it. */
size_t reader_line_end(const struct reader *r, size_t p, size_t *next);
/* For format modules: moves r->pos to newpos, counting lines on the way. */
void reader_advance(struct reader *r, size_t newpos);
/* For format modules, following a growing log (r->follow): what starts at
 * p (r->pos or after it) reaches the end of what is there yet and cannot
 * be judged. Fills rec with a truncated record from p to the end, which
 * the engine reads again once more has come, moves to the end and
 * returns 1. */
int reader_wait(struct reader *r, struct rd_record *rec, size_t p);

#endif
