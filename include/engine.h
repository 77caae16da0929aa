/* engine: the pipeline from input files to an indexed, grouped and rated
 * set of messages: source -> reader -> sipmsg -> msgindex -> dialog -> rules.
 * Indexing is incremental (engine_step) so a viewer can show the first
 * messages at once. Never prints; problems are kept as warnings. */
#ifndef SIPSNOOP_ENGINE_H
#define SIPSNOOP_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "util.h"
#include "reader.h"
#include "sipmsg.h"
#include "msgindex.h"
#include "dialog.h"
#include "intern.h"

struct rules;
struct rules_state;
struct engine_xf;

/* The line a message of a file read in place starts on, kept for one
 * message in ENGINE_LINE_EVERY (engine.c): engine_msg_line() counts the
 * line breaks from the nearest. */
struct engine_line_mark {
	uint64_t off;
	uint32_t line;
};

/* What reading a followed file's last line once it is quiet keeps
 * (engine_follow_next): the size at which that was last tried (not again
 * until the file grows), and, when it held only junk to the very end, its
 * last line without a line break too, where that junk began (pos, line)
 * and the size then (0: none): should the file grow, it is read again
 * from there, the line may have been the start of a record. A record cut
 * short by the end, its writer quiet, is read as it is (flagged
 * truncated): cut_size is the size then (0: none), and the caller reads
 * it again (reader_undo) once the file grows or ends. */
struct engine_tail {
	size_t tried;
	size_t junk_size, junk_pos;
	uint32_t junk_line;
	size_t cut_size;
};

struct engine_file {
	struct source *src;	/* the input's bytes, or its canonical records */
	const struct rd_format *fmt;	/* the input's format */
	/* The format of the log inside it (syslog: the program's), or NULL:
	 * engine_format_name() names both. */
	const struct rd_format *inner;
	int canon;		/* src holds fmt->transform's canonical records */
	struct reader *rd;	/* NULL once the file is fully read */
	/* Then its reader, at its end (not canon): F reads on with it, its
	 * state (a year's turn, a message's rest to come) as reading left
	 * it. */
	struct reader *rd_end;
	char local_name[128];
	size_t nmsgs;
	int shrank_warned;	/* the "file shrank" warning was given */
	int far_warned;		/* warned of records past MSG_OFF_LIMIT */
	size_t nbad_headers;	/* bad header lines warned of */
	/* Once the file shrank while mapped: the bytes it still had then.
	 * Records are read again only up to there (the rest reads as zeros,
	 * and a reader would scan all of it for every message). */
	size_t shrank_to;
	/* and the line in which it was cut: what readers warn of past it
	 * comes of the zeros, not of the file, and is not said. */
	uint32_t shrank_line;
	int64_t offset;		/* microseconds added to its times (--offset) */
	/* Follow mode: the file is read into a heap buffer that grows (or,
	 * past engine_set_follow_copy, followed where it is mapped). Past
	 * engine_set_spill's chunk that buffer moves to a temporary file,
	 * mapped, to which what comes is written. */
	int follow_fd;		/* -1 when not followed */
	uint64_t follow_dev, follow_ino;
	size_t follow_cap;	/* bytes allocated for src->data (on the heap) */
	int follow_spill;	/* the temporary file src->data maps, or -1 */
	int follow_heap;	/* that file could not be made or written */
	/* Too large to copy (engine_set_follow_copy): followed in place, the
	 * mapping growing with the file; its first and last bytes read are
	 * kept (follow_win) to tell a rewrite. */
	int follow_mapped;
	/* Its size when following began: each message after it keeps its
	 * line (engine_msg_line), which a rewrite in place then cannot
	 * change; those before are counted from one kept in 64. */
	size_t follow_from;
	/* Its size when following began (0 for a pipe): the messages after
	 * it came while following (engine_answer_awaited). */
	size_t fresh_from;
	char *follow_win;	/* follow_mapped: the first bytes, then the
				 * last (ENGINE_FOLLOW_WINDOW each) */
	size_t follow_nhead, follow_nend;
	int follow_ended;	/* replaced or truncated: a newer entry reads on;
				 * a pipe: its writer is done */
	int follow_pipe;	/* a pipe followed as it comes (engine_follow) */
	int follow_noname;	/* standard input: followed through its
				 * descriptor, never by name */
	int follow_tried;	/* engine_follow_files() looked at it */
	/* Its last message so far (nmsgs > 0). F (engine_follow_files)
	 * reads again what was read last (the writer may not have finished
	 * it); when that is this message, the record read again completes
	 * its entry (cut_redo). */
	uint32_t last_id;
	int cut_redo;
	/* A last line without its line break (engine_set_follow_quiet):
	 * since when the file has not grown, whether it has been quiet long
	 * enough for that line to be read as complete, and the size at which
	 * that was last tried (not again until it grows). */
	struct timespec follow_grew_at;
	int follow_quiet;
	struct engine_tail follow_tail;
	size_t dropped;		/* mapped bytes before this given back (pages) */
	/* Indexed up to here: given back once the dialogs that grew are
	 * rated (engine_rate_touched), when rating no longer reads them. */
	size_t indexed;
	/* The bytes below dropped read again since they were given back
	 * again last (engine_message for the rules, engine_record_text), to
	 * give back once more after a rating: none while reread_hi is not
	 * above reread_lo. Main thread only. */
	size_t reread_lo, reread_hi;
	/* Being converted on a thread of its own (engine_set_background);
	 * src is still the input's bytes until engine_step() takes the
	 * result in. NULL otherwise. */
	struct engine_xf *xf;
	/* Not read after all: its conversion on that thread failed, or it
	 * gave no message at all (a warning says which). Counts as an input
	 * that could not be read. */
	int unreadable;
	struct engine_line_mark *marks;	/* by offset; none for canon */
	size_t nmarks, capmarks;
	size_t marked_at;	/* nmsgs at the last mark */
	int rewritten;		/* truncated while followed (ended) */
	/* A capture converted as it comes (rd_format more: a pipe or a
	 * file followed): src holds the canonical records so far, this the
	 * conversion's state and the input's bytes not converted yet. NULL
	 * otherwise. */
	struct engine_live *live;
	/* To be followed once its conversion on its own thread is taken in
	 * (F while a capture is read beside the viewer). */
	int follow_later;
	/* A pipe whose writer was done before its start was read (followed,
	 * it has nothing left to follow). */
	int piped_whole;
	uint32_t local_id;	/* engine_local_name(), interned; 0 not yet */
};

struct engine_warning {
	uint16_t file;
	uint32_t line;		/* 0 when the warning is about the whole file */
	char *msg;
};

struct engine;

struct engine *engine_new(void);
void engine_free(struct engine *e);
/* Rules to apply (borrowed; may be NULL for none). Set before indexing. */
void engine_set_rules(struct engine *e, const struct rules *rules);
/* Opens path and probes its format (or uses format, a --format name, when
 * not NULL). Returns the file number, or -1 with *err naming the file and
 * the problem (caller frees). A file in which no format is recognised is
 * refused with "no SIP messages found". One read as a named format, or
 * whose start only looked like a format, cannot be judged before it is
 * read: when its first reading (engine_step) gives no message at all it is
 * marked unreadable with the warning "no SIP messages found (read as
 * NAME)", unless it is followed (it may grow). */
int engine_add_file(struct engine *e, const char *path, const char *format,
		    char **err);
/* The same, but a refusal is not kept for engine_refused(): a file tried
 * again until it says its format (one followed that has just begun). */
int engine_try_file(struct engine *e, const char *path, const char *format,
		    char **err);
/* What the probe looks at of a file's start (reader_probe): a file still
 * shorter whose format is not told yet may be a log still being begun. */
#define ENGINE_AWAIT_BYTES 8192
/* Follow mode: path cannot be read yet, being empty (just rotated) or
 * too short to tell its format (under ENGINE_AWAIT_BYTES); it is
 * waited for as tail -f waits. engine_poll() adds it (as format, a --format
 * name or NULL, its times shifted by offset microseconds) once it can be
 * read, after what was indexed in arrival order, as a rotated file is; one
 * that is long enough and still not SIP is refused then (engine_refused).
 * path is copied. */
void engine_await_file(struct engine *e, const char *path, const char *format,
		       int64_t offset);
/* How many files are still awaited, and the path of each (borrowed). */
size_t engine_nawaited(const struct engine *e);
const char *engine_awaited(const struct engine *e, size_t i);
/* The inputs engine_add_file() and engine_add_mem() refused, in order:
 * each its error (the file and the problem; borrowed), for a viewer to
 * list them. */
size_t engine_nrefused(const struct engine *e);
const char *engine_refused(const struct engine *e, size_t i);
/* Inputs that could not be read: those refused and the files found
 * unreadable once read (engine_file()->unreadable). */
size_t engine_nunread(const struct engine *e);
/* Same, over bytes in memory (tests, fuzzers); data is copied. */
int engine_add_mem(struct engine *e, const char *name, const char *data,
		   size_t len, const char *format, char **err);
/* Files whose format is converted whole when opened (captures, FreeSWITCH
 * and the other formats of --formats that are not read in place) are
 * converted on a thread of their own from this call on, so that a viewer
 * shows its first screen at once: engine_add_file() returns when the
 * conversion has started, engine_step() takes it in when it is done, and a
 * conversion that fails becomes a warning about the file instead of an
 * error. Off by default: batch output converts a file when it is added. */
void engine_set_background(struct engine *e, int on);
/* Output of a conversion (captures and the other formats converted whole)
 * that grows past chunk bytes (0: 512 KiB) moves to an unlinked temporary
 * file in dir and is then mapped, as a log file is, so that a capture larger
 * than RAM can be read. dir NULL (the default) keeps it on the heap. When
 * the file cannot be made or written, the output stays on the heap and a
 * warning says why. Set before adding files. */
void engine_set_spill(struct engine *e, const char *dir, size_t chunk);
/* Follow mode (like tail -f): files added after this call are read into
 * memory and watched; engine_poll() reads what was appended since. A pipe
 * is read as it comes, to its end; standard input redirected from a
 * regular file is followed through its descriptor (it is never taken as
 * rotated, and once truncated it is not read again). Not for transformed
 * formats (captures, gzip), which are read once, with a warning. */
void engine_follow(struct engine *e, int on);
/* Followed files up to max bytes (1 GiB by default) are copied to the heap
 * so that their text survives the writer truncating them in place; larger
 * ones are followed where they are mapped (their earlier text is lost if
 * they are truncated in place; rotation by renaming keeps it). */
void engine_set_follow_copy(struct engine *e, size_t max);
/* A followed file whose last line has no line break yet is read up to
 * that line only, as the rest of the line may still come. Once the file
 * has not grown for ms milliseconds (1000 by default), it is read as at
 * its end: that line as complete, what waits only because more may come
 * after it (reader.h quiet: chan_sip's summary line, junk at the end) as
 * it is, and a last record cut short (no end marker, a body short of its
 * Content-Length, its writer stopped within it) flagged truncated. That
 * last record is read again once the file grows, its entry completed in
 * place (the message keeps its id), or once following ends (a record
 * still cut short is then warned about as at a file's end). */
void engine_set_follow_quiet(struct engine *e, int ms);
/* A challenge (401, 407) read while following, its client's answer not
 * come yet, is rated as awaiting it ("challenge awaited") for ms
 * milliseconds (32000 by default, as long as a retry on a new Call-ID may
 * take; 0: never); then, or once its input is no longer followed, it is
 * rated again as what it is (unanswered, an error). */
void engine_set_answer_wait(struct engine *e, int ms);
/* The viewer stopped following (F), or goes on (paused 0): nothing is
 * awaited while paused; the challenges that were are rated again. */
void engine_follow_pause(struct engine *e, int paused);
/* For the rules: whether message id came from an input being followed
 * less than the answer wait ago (engine_set_answer_wait), read after the
 * first reading was done; engine_note_answer_awaited() notes its dialog
 * d, which is rated again once that no longer holds (engine_poll). */
int engine_answer_awaited(const struct engine *e, uint32_t id);
/* Whether any message may be (none before following). */
int engine_answers_awaited(const struct engine *e);
void engine_note_answer_awaited(struct engine *e, uint32_t d, uint32_t id);
/* For the rules: whether the trace read ends soon after message id (a
 * challenge left unanswered, or a request), so that its answer may have
 * come after it: no message of the trace is more than 32 seconds later
 * (of one without a time: none comes after it), nor more than 4096
 * messages, none of those out of its dialog is sent from or to the end it
 * went to or has its From URI, and its input is not read live (not
 * followed, its following stopped or its input ended). Its dialog d
 * noted with engine_note_trace_end() is rated again once the trace goes
 * on past that. */
int engine_trace_ends_after(const struct engine *e, uint32_t id);
/* Whether the first read of the inputs is under way: more of them comes
 * at once, and the trace read so far does not end where it stops. The
 * rules ask it before engine_trace_ends_after() of a request: while the
 * inputs are read, every request in flight would be. Once they are, the
 * dialogs of the requests near the end are rated again. */
int engine_reading(const struct engine *e);
void engine_note_trace_end(struct engine *e, uint32_t d, uint32_t id);
/* Turns follow mode on for the files already added (the viewer's F key):
 * each is moved to a buffer that can grow, as engine_follow() would have
 * done when it was added. */
void engine_follow_files(struct engine *e);
/* Why engine_follow_files() could not follow the first input it could not
 * ("PATH: why", as the warning about it says: a pipe read to its end
 * without --follow, gzip input ...), NULL when it followed all; *n: how
 * many it could not. */
const char *engine_follow_refusal(const struct engine *e, size_t *n);
/* Reads what the followed files gained. A file truncated or replaced
 * (rotated) is read again from its start as a new input, with a warning.
 * Returns 1 when there is new input to index (call engine_step), else 0. */
int engine_poll(struct engine *e);
/* How many files are followed now (engine_follow: those of them that can
 * be; a pipe, a capture or gzip input cannot). */
size_t engine_nfollowed(const struct engine *e);
/* Whether message id, its followed file's last, was read as the file's
 * end would end it because the file was quiet (engine_set_follow_quiet):
 * it is read again, keeping its id, when the file grows or ends, and may
 * then be whole or another message. */
int engine_tentative(const struct engine *e, uint32_t id);
/* Waits up to ms milliseconds, less when a followed pipe has something to
 * read (then engine_poll). */
void engine_wait(const struct engine *e, int ms);

/* Shifts the times of file i by offset microseconds (files with different
 * clocks). Set before indexing; returns 0, or -1 for a bad file number. */
int engine_set_offset(struct engine *e, size_t i, int64_t offset);
/* Indexes up to budget more records. Returns 1 while input remains, 0 when
 * all files are indexed (and, for several files, merged in time order).
 * A file of at least the parallel threshold, not followed, is read and
 * parsed by a second thread, a few batches ahead of what this one indexes;
 * the thread waits while the caller does something else, and ends with
 * the file, with engine_free(), or when the file is followed. */
int engine_step(struct engine *e, size_t budget);
/* Indexes everything, with the second thread as engine_step(). */
void engine_run(struct engine *e);
/* The parallel threshold of engine_step() and engine_run() (16 MB by
 * default; 0: one thread always, 1: every file, for tests). Only used on
 * machines with several CPUs. */
void engine_set_parallel(struct engine *e, size_t min_bytes);
int engine_done(const struct engine *e);
/* How many times what was indexed or warned about changed: a followed
 * file's last record completed once its writer finished it (F), the
 * dialogs built again, a warning withdrawn. What was worked out from them
 * (a filtered list, a flow, the warnings shown) is to be worked out again
 * when this moves; the counts of messages and warnings may not. */
uint64_t engine_changes(const struct engine *e);
/* Progress of indexing, 0..1000. */
unsigned engine_progress(const struct engine *e);
/* What engine_progress() measures now: "reading" (a pipe, to its end),
 * "decompressing" or "converting" (the file being read is still on its own
 * thread, engine_set_background) or "indexing". */
const char *engine_activity(const struct engine *e);
/* While engine_activity() says "reading", the bytes read so far (the
 * pipe's size is not known until its end); 0 otherwise. */
uint64_t engine_reading_bytes(const struct engine *e);

struct msgindex *engine_index(const struct engine *e);
struct dialogs *engine_dialogs(const struct engine *e);
/* What rating keeps between the dialogs of this engine (rules.h: struct
 * rules_state), made with it; borrowed. */
struct rules_state *engine_rules_state(const struct engine *e);
/* The interned strings: URIs, endpoints, methods and what the rules
 * add. Call-IDs are interned apart (engine_call_ids): msg->call_id and
 * dialogs_call_id() are ids of that table, not of this one. */
struct intern *engine_strings(const struct engine *e);
struct intern *engine_call_ids(const struct engine *e);
size_t engine_nfiles(const struct engine *e);
/* The name of file f's format as the user is told it: "cls", or with the
 * format inside it, "syslog/asterisk" (a static string or one in buf). */
const char *engine_format_name(const struct engine_file *f, char *buf,
			       size_t n);
const struct engine_file *engine_file(const struct engine *e, size_t i);
/* The ids of the strings used as a From, To or request URI, in the order
 * first seen (borrowed; the list only grows): what user:, from: and to:
 * filters look through instead of the whole string table. */
const uint32_t *engine_uri_strings(const struct engine *e, size_t *n);
/* Interned string (borrowed, "" for 0). */
const char *engine_str(const struct engine *e, uint32_t id);
/* Interned Call-ID (msg->call_id, dialogs_call_id(); "" for 0). */
const char *engine_call_id(const struct engine *e, uint32_t id);
/* Dialog d's Call-ID (d one of engine_dialogs(e)). */
const char *engine_dialog_call_id(const struct engine *e,
				  const struct dialog *d);
/* How many strings both tables hold. */
size_t engine_nstrings(const struct engine *e);
/* The name of file i's own end where it gives no address (a server log's
 * local server): the host the log names, else "local", or, when logs of
 * several paths that may call their end so (rd_format names_local) are
 * merged, "local(NAME)" after the file's name, so that two servers' logs
 * do not share one end. */
const char *engine_local_name(const struct engine *e, size_t i);
/* The URIs and endpoints of message id (interned, 0 when absent): the
 * index keeps them with its dialog (struct msg_kept, enum msg_kept_how).
 * engine_msg_party(), engine_msg_ruri() and engine_msg_ends() give a part
 * of them. */
void engine_msg_kept(const struct engine *e, uint32_t id, struct msg_kept *k);
void engine_msg_party(const struct engine *e, uint32_t id, uint32_t *from,
		      uint32_t *to);
uint32_t engine_msg_ruri(const struct engine *e, uint32_t id);
void engine_msg_ends(const struct engine *e, uint32_t id, uint32_t *src,
		     uint32_t *dst);

/* The 1-based line of its input that message id starts on (for a
 * capture, its packet number), 0 when unknown: counted from a line the
 * index keeps nearby, or read from its canonical record. Consecutive
 * messages of a file are counted from each other. Unknown when the text
 * before it is gone (the file shrank, or was rewritten while followed in
 * place and the message came before the following). */
uint32_t engine_msg_line(const struct engine *e, uint32_t id);

/* Gives back to the kernel the pages of mapped files that messages were
 * read again from since the last time (engine_message, engine_record_text:
 * a search, a filter, a save, a listing, the rules): reading a large log
 * through must not keep all of it in memory. Spans read before stay
 * valid (the bytes are read again from the page cache). Cheap when
 * nothing was read; indexing calls it after each rating. */
void engine_give_back(struct engine *e);

/* Re-reads message id: its record (spans into the file bytes) and, when m
 * is not NULL, the parsed message (caller calls sipmsg_clear). For a
 * diagnostic event m holds its Name: value lines as headers. rec->line is
 * not set (engine_msg_line() gives it). Returns 0, or -1 when id is out of
 * range. */
int engine_message(const struct engine *e, uint32_t id, struct rd_record *rec,
		   struct sipmsg *m);
/* The transport of a message read again by engine_message(), as indexing
 * names it: the log's, else the top Via's ("SIP/2.0/TLS" -> "TLS"; a
 * diagnostic event's Transport: field instead), in upper case when it
 * fits buf. Empty when none gives one. */
struct span engine_transport(const struct rd_record *rec,
			     const struct sipmsg *m, char *buf, size_t bufsz);
/* The whole record text of message id as it stands in the file. */
struct span engine_record_text(const struct engine *e, uint32_t id);

size_t engine_nwarnings(const struct engine *e);
const struct engine_warning *engine_warning(const struct engine *e, size_t i);

/* How the engine reads a followed file, for the follow fuzzer
 * (tests/fuzz/fuzz_follow.c) to run the very same code over a reader of
 * its own; engine_step() reads followed files so. */
/* Gives r the avail bytes at data a followed file has now: up to the last
 * line break (the rest of a line being written is not junk), or all once
 * ended (the writer is done: a record cut short at the end is one then). */
void engine_follow_give(struct reader *r, const char *data, size_t avail,
			int ended);
/* The next record of r, given a followed file's bytes: a record cut short
 * by the end of what r was given is being written, and is read again once
 * more has come (0 for now). quiet: the file has not grown for a while
 * (engine_set_follow_quiet): then its last line, without its line break,
 * is read as complete where that completes a record, or taken as junk
 * when what is left holds none (warned about; read again should the file
 * grow, after r's warnings from t->junk_line on are dropped), once for
 * each size avail of the file (t, zeroed at first). 1 and a record, or
 * 0. */
int engine_follow_next(struct reader *r, struct rd_record *rec, size_t avail,
		       int quiet, struct engine_tail *t);

#endif
