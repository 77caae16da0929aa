/* engine: drives the pipeline from input files to the rated index. Readers
 * hand over records, the parser extracts the key headers, the index keeps
 * interned ids, the dialog grouper the groups; dialogs that grew in a step
 * are rated again at the end of the step. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "source.h"
#include "reader.h"
#include "sipmsg.h"
#include "intern.h"
#include "msgindex.h"
#include "dialog.h"
#include "rules.h"
#include "engine.h"
#include "twin.h"

/* How much of a file the probe looks at. */
#define ENGINE_PROBE_BYTES (64 * 1024)
/* Indexed pages of a mapped file are given back in runs of a share of
 * the file (engine_drop_run), within these bounds. Each run costs a TLB
 * flush on both cores while two threads index, which a virtual machine
 * makes dear: on a 100 MB log (`--stats`, 9 alternating runs, medians),
 * runs of 512 KiB took 0.413 s of CPU for 13 MB peak RSS, 2 MiB 0.387 s
 * for 14 MB, 8 MiB 0.371 s for 20 MB, 32 MiB 0.345 s for 45 MB; on 1 GB,
 * 512 KiB 2.65 s, 8 MiB 2.28 s. A 64th of the file keeps the pages
 * resident small beside a smaller log's index (peak RSS within a tenth
 * of sngrep's, issue 6): at 100 MB, again, 0.345 s and 13.7 MB with
 * 512 KiB, 0.322 s and 14.3 MB with a 64th, 0.321 s and 15.9 MB with a
 * 32nd. The peak RSS also depends on how the file came into the page
 * cache: 17-18 MB with 512 KiB after it was read whole (larger folios
 * mapped at once) instead of written. Earlier, on a machine where the
 * flush was cheap, 256 KiB to 1 MiB made no difference. */
#define ENGINE_DROP_MIN (512u << 10)
#define ENGINE_DROP_MAX (8u << 20)
#define ENGINE_DROP_SHARE 64
/* Since 2026-11-29 the pages indexed are given back after the rating that
 * follows (engine_rate_touched), not at once: the rating reads some of
 * the messages just indexed again (a challenge and its answer, a
 * retransmission), and each page given back before that was mapped again
 * and given back again (400 times a 2 MiB folio for a 100 MB log). That
 * took `--stats` from 0.330 s of CPU to 0.270 s at 100 MB (9 alternating
 * runs, medians; peak RSS 17.2 to 15.9 MB) and from 2.88 s to 2.53 s at
 * 1 GB (5 runs). Logs of one long dialog peak higher for it (26 MB of
 * one call: 10.6 to 13.6 MB), the pages waiting up to the lag below.
 * Indexed pages wait for a rating for at most this many runs. */
#define ENGINE_DROP_LAG 4
/* engine_run() reads files from this size on with a second thread. */
#define ENGINE_PAR_MIN (16u << 20)
/* Records per batch between the threads, and batches in flight. The file
 * pages under the records in flight stay resident: 256 records a batch
 * (not 512) take 0.7 MB off the peak RSS of a 100 MB log, for about 3%
 * more elapsed time and the same CPU time (21 alternating runs). */
#define ENGINE_PAR_BATCH 256
#define ENGINE_PAR_RING 3
/* One message in this many keeps its line (engine_line_mark), or the
 * first one this many bytes past the last that did: a line is never
 * counted over more than that (a log of few messages among other lines). */
#define ENGINE_LINE_EVERY 64
#define ENGINE_LINE_BYTES (1u << 20)
/* The largest folio a file's page cache maps at once where a page of it
 * is read (ext4 on Linux 6.18 maps 2 MiB for one message read again). */
#define ENGINE_FOLIO_BYTES ((size_t)2 << 20)
/* Dialogs rated between two givings back of the pages their messages were
 * read again from (engine_give_back). */
#define ENGINE_REREAD_EVERY 64
/* Records indexed between two ratings of the dialogs that grew: half the
 * messages the last rating read, within these bounds. A rating soon
 * after the indexing reads the pages still mapped (ENGINE_DROP_LAG); a
 * dialog is rated whole each time it grows, so spacing the ratings by
 * the work of the last keeps a long dialog from making it quadratic (one
 * dialog of 200,000 messages: 0.70 s of CPU with 16384 always, 0.70 s
 * so, 2.09 s with 2048 always). */
#define ENGINE_RATE_MIN 2048
#define ENGINE_RATE_EVERY 16384
/* A followed file up to this size is copied to the heap (its text then
 * survives the writer truncating it); a larger one is followed in place. */
#define ENGINE_FOLLOW_COPY_MAX ((size_t)1 << 30)
/* A last line without its line break is read as complete once its file
 * has not grown for this long (engine_set_follow_quiet): longer than a
 * writer takes between two write() calls of one line, short enough not to
 * keep the last message from view. */
#define ENGINE_FOLLOW_QUIET_MS 1000
/* A challenge the trace ends less than this after (a transaction's
 * lifetime, 64*T1, as the rules' answer window) may have been answered
 * after it ends (engine_trace_ends_after), in microseconds. */
#define ENGINE_TRACE_END_US (32 * INT64_C(1000000))
/* And with no more messages than this after it. */
#define ENGINE_TRACE_END_SCAN 4096
/* A pipe read to its end is not followed afterwards (F): there is no
 * going back to what its writer still writes. */
#define ENGINE_PIPE_READ_WHOLE \
	"a pipe, read to its end without --follow: not followed (with " \
	"--follow it is read as it comes)"
/* Nor one its writer had closed before it was read: nothing can come. */
#define ENGINE_PIPE_CLOSED \
	"a pipe its writer had closed before it was read: read whole, " \
	"nothing more can come to follow"

/* A followed file is taken as rewritten in place (truncated, then written
 * again as far as before) when its first or its last bytes read, this many
 * of each, are no longer what they were: a rewrite with other records
 * changes its first line (times, Call-IDs), and one that shrinks changes
 * the size. The last 64 bytes alone were the same in records of one
 * length that end alike (keep-alives). Two reads of 4 KiB a look. */
#define ENGINE_FOLLOW_WINDOW 4096
/* How long a challenge (401, 407) read from a followed input waits for
 * its client's answer before the rules call it unanswered: as long as a
 * retry on a new Call-ID may take to answer one (rules.c). */
#define ENGINE_ANSWER_WAIT_MS 32000
/* Messages read while following are noted with the time they came, one
 * note for all that came within this long. */
#define ENGINE_FRESH_NS 100000000L
/* Converted output moves to a temporary file in runs of this size: what
 * is kept on the heap before it is written counts in the peak memory (8 MiB
 * took a 100 MB capture from 14.5 to 17.9 MB). */
#define ENGINE_SPILL_CHUNK (512u << 10)

/* A message joined from pieces of several records (RECF_JOINED: a client
 * log's reads): its text, as reading it again gives it in a reader that is
 * then freed. By file and offset, which merging files keeps (ids it does
 * not); sorted. The text is start line, headers and body, each after a
 * line break (as the log writes them). */
struct engine_join {
	uint64_t key;		/* engine_join_key() */
	size_t sn, hoff, hn, boff, bn;
	unsigned flags;		/* the record's RECF_* */
	char *text;
};

struct engine {
	struct engine_file *files;
	size_t nfiles, capfiles;
	struct engine_join *joins;
	size_t njoins, capjoins;
	size_t cur;			/* file being read */
	struct msgindex *ix;
	struct dialogs *ds;
	struct intern *strs;
	/* Call-IDs apart from the other strings: their ids are dense, so
	 * the dialogs map them with a plain array of one slot a Call-ID. */
	struct intern *call_ids;
	const struct rules *rules;
	struct rules_state *rstate;	/* engine_rules_state() */
	struct engine_warning *warns;
	size_t nwarns, capwarns;
	char **refused;			/* engine_refused() */
	size_t nrefused, caprefused;
	uint32_t *touched;		/* dialogs that grew in this step */
	size_t ntouched, captouched;
	size_t rate_gap;		/* records to the next rating */
	size_t unrated;			/* records committed since the last */
	uint8_t *mark;			/* by dialog id: in touched */
	size_t capmark;
	uint64_t total_bytes;
	uint64_t changes;		/* engine_changes() */
	int done;
	int follow;
	size_t par_min;			/* engine_set_parallel() */
	struct engine_par *par;		/* file cur read on a second thread */
	int background;			/* engine_set_background() */
	uint32_t *uris;			/* engine_uri_strings() */
	size_t nuris, capuris;
	uint64_t *uri_bits;		/* by string id: in uris */
	size_t capuri_words;
	char *spill_dir;		/* engine_set_spill(), or NULL */
	size_t spill_chunk;
	size_t follow_copy_max;		/* engine_set_follow_copy() */
	int follow_quiet_ms;		/* engine_set_follow_quiet() */
	int local_split;		/* logs of different paths that name
					 * "local": each its own (engine_local_name) */
	char *follow_stage;		/* what is read for a file's spill */
	struct engine_await {		/* engine_await_file() */
		char *path, *format;
		int64_t offset;
	} *awaited;
	size_t nawaited, capawaited;
	/* Messages read while following (once the first reading is done):
	 * those from id on came at time at (engine_answer_awaited). */
	struct engine_fresh {
		uint32_t id;
		struct timespec at;
	} *fresh;
	size_t nfresh, capfresh;
	/* Challenges and requests the rules rated as still awaiting their
	 * answer, with their dialog, in order of id
	 * (engine_note_answer_awaited): rated again once they no longer
	 * are. */
	struct engine_answer_wait {
		uint32_t d, id;
	} *waits;
	size_t nwaits, capwaits;
	/* Challenges the rules rated as left unanswered by the end of the
	 * trace (engine_note_trace_end), in order of id: rated again once
	 * the trace goes on past their window. */
	struct engine_answer_wait *ends;
	size_t nends, capends;
	size_t ends_seen;		/* messages when they were looked at */
	int64_t time_last;		/* the latest time of a message read,
					 * TIME_NONE before one has a time */
	/* engine_follow_refusal(): why the first input F could not follow
	 * was not followed ("PATH: why"), and how many were not. */
	char *follow_why;
	size_t nfollow_refused;
	int answer_wait_ms;		/* engine_set_answer_wait() */
	int follow_paused;		/* engine_follow_pause() */
	/* engine_msg_line()'s last answer, to count on from (a const
	 * engine's queries may update it). */
	struct engine_line_at {
		size_t file, off;
		uint32_t line;
	} *line_at;
};

/* Input bytes a live conversion takes at once (engine_live_convert):
 * more than a packet's largest, and its output goes to the canonical
 * records (and past the spill chunk to their temporary file) in runs
 * this size, not all on the heap. A pipe gives at most this much a poll,
 * so that a viewer keeps answering its keys behind a fast capture. */
#define ENGINE_LIVE_CHUNK (1u << 20)

/* A capture converted as it comes (engine_file live). */
struct engine_live {
	struct reader *r;	/* its format's, over what is not converted */
	char *raw;		/* those bytes, once they are not src's */
	size_t cap;
	uint64_t at;		/* the input's bytes read so far */
	struct strbuf out;
	/* Read whole for now (READER_PAUSE), with what would wait for more
	 * read as at the input's end: the conversion can read it again as
	 * it comes once F took it back (reader redo, engine_live_redo). */
	int redo;
	size_t redo_bytes, redo_warnings;
};

/* A conversion running on its own thread (engine_set_background). */
struct engine_xf {
	pthread_t th;
	struct reader *r;	/* over the input's bytes; its own */
	struct strbuf out;
	char *err;
	int rc;
	atomic_int done;
	/* A pipe of which only the start was read (source_open_lazy): the
	 * rest is read here first, to its end. */
	const struct source *pipe;
	size_t piped;		/* bytes read so far (atomic) */
	atomic_int reading;	/* the pipe is still being read */
	int stop;		/* give up reading it (atomic: engine_free) */
	/* gzip input: inflated here first (the reader then reads it). */
	const struct source *gz;
	char *plain, *note;
	size_t nplain;
	int plain_mapped;	/* plain went to a temporary file (spill.h) */
	size_t gzdone;		/* compressed bytes inflated (atomic) */
	atomic_int converting;	/* inflated (or nothing to inflate) */
	/* A file its format can convert as it comes (rd_format more): it
	 * is, to its end for now (READER_PAUSE), and the conversion's state
	 * is kept for F (engine_live_keep). */
	int pause;
};

static void engine_reader_free(struct reader *r);
static void engine_par_detach(struct engine *e);
static int engine_expire_waits(struct engine *e);
static void engine_par_stop(struct engine *e);
static void engine_follow_feed(struct engine_file *f);
static void engine_xf_drop_plain(struct engine_xf *x);
static void engine_live_free(struct engine_live *l);
static void engine_follow_start(struct engine *e, size_t fileno,
				const char *path);
static void engine_live_keep(struct engine_file *f, struct reader *r);
static int engine_live_ok(const struct source *src,
			  const struct rd_format *fmt);
static void engine_live_start(struct engine *e, size_t i);
static void engine_live_whole(struct engine *e, size_t i);
static int engine_live_read(struct engine *e, size_t i, int ended);
static void engine_regroup(struct engine *e, const struct msg_kept *kept,
			   const uint32_t *perm);

struct engine *
engine_new(void)
{
	struct engine *e = xcalloc(1, sizeof *e);

	e->ix = msgindex_new();
	e->rate_gap = ENGINE_RATE_MIN;
	e->ds = dialogs_new();
	e->rstate = rules_state_new();
	e->strs = intern_new();
	e->call_ids = intern_new();
	e->par_min = ENGINE_PAR_MIN;
	e->spill_chunk = ENGINE_SPILL_CHUNK;
	e->follow_copy_max = ENGINE_FOLLOW_COPY_MAX;
	e->follow_quiet_ms = ENGINE_FOLLOW_QUIET_MS;
	e->time_last = TIME_NONE;
	e->answer_wait_ms = ENGINE_ANSWER_WAIT_MS;
	e->line_at = xcalloc(1, sizeof *e->line_at);
	e->line_at->file = SIZE_MAX;
	return e;
}

void
engine_free(struct engine *e)
{
	size_t i;

	if (e == NULL)
		return;
	engine_par_stop(e);
	for (i = 0; i < e->nfiles; i++) {
		struct engine_xf *x = e->files[i].xf;

		if (x != NULL) {
			/* The thread reads the input's bytes: wait for it,
			 * not for the writer of a pipe. */
			__atomic_store_n(&x->stop, 1, __ATOMIC_RELAXED);
			pthread_join(x->th, NULL);
			engine_reader_free(x->r);
			strbuf_free(&x->out);
			free(x->err);
			engine_xf_drop_plain(x);
			free(x->note);
			free(x);
		}
		engine_live_free(e->files[i].live);
		reader_free(e->files[i].rd);
		reader_free(e->files[i].rd_end);
		source_free(e->files[i].src);
		free(e->files[i].marks);
		free(e->files[i].follow_win);
		if (e->files[i].follow_fd >= 0 &&
		    e->files[i].follow_fd != STDIN_FILENO)
			close(e->files[i].follow_fd);
		if (e->files[i].follow_spill >= 0)
			close(e->files[i].follow_spill);
	}
	free(e->follow_stage);
	for (i = 0; i < e->nawaited; i++) {
		free(e->awaited[i].path);
		free(e->awaited[i].format);
	}
	free(e->awaited);
	for (i = 0; i < e->nrefused; i++)
		free(e->refused[i]);
	free(e->refused);
	for (i = 0; i < e->nwarns; i++)
		free(e->warns[i].msg);
	free(e->warns);
	free(e->files);
	for (i = 0; i < e->njoins; i++)
		free(e->joins[i].text);
	free(e->joins);
	free(e->touched);
	free(e->fresh);
	free(e->waits);
	free(e->follow_why);
	free(e->ends);
	free(e->mark);
	free(e->spill_dir);
	free(e->uris);
	free(e->uri_bits);
	free(e->line_at);
	msgindex_free(e->ix);
	dialogs_free(e->ds);
	rules_state_free(e->rstate);
	intern_free(e->strs);
	intern_free(e->call_ids);
	free(e);
}

void
engine_set_background(struct engine *e, int on)
{
	e->background = on;
}

void
engine_set_spill(struct engine *e, const char *dir, size_t chunk)
{
	free(e->spill_dir);
	e->spill_dir = dir != NULL ? xstrdup(dir) : NULL;
	e->spill_chunk = chunk > 0 ? chunk : ENGINE_SPILL_CHUNK;
}

void
engine_set_follow_copy(struct engine *e, size_t max)
{
	e->follow_copy_max = max;
}

void
engine_set_follow_quiet(struct engine *e, int ms)
{
	e->follow_quiet_ms = ms > 0 ? ms : 0;
}

void
engine_set_answer_wait(struct engine *e, int ms)
{
	e->answer_wait_ms = ms > 0 ? ms : 0;
}

void
engine_set_rules(struct engine *e, const struct rules *rules)
{
	e->rules = rules;
}

static void engine_take_warnings(struct engine *e, uint16_t fileno,
				 struct reader *r);
static void engine_warn(struct engine *e, size_t fileno, uint32_t line,
			char *msg);

/* The reading format of a file: its own, or the canonical one. */
static const struct rd_format *
engine_rfmt(const struct engine_file *f)
{
	return f->canon ? &rd_canon_format : f->fmt;
}

/* Replaces file f's bytes by data[0..len), which it takes over: a heap
 * buffer, or with mapped a mapping of a temporary file (spill.h); the
 * name is kept. */
static void
engine_replace_src(struct engine_file *f, char *data, size_t len, int inflated,
		   int mapped)
{
	struct source *c = xcalloc(1, sizeof *c);

	c->path = xstrdup(f->src->path);
	c->data = data;
	c->len = len;
	/* Converted from gzip input, it still came from one. */
	c->inflated = inflated || f->src->inflated || f->src->compressed;
	c->mapped = mapped;
	source_free(f->src);
	f->src = c;
	/* What was read of the old bytes is nothing to give back now. */
	f->reread_lo = f->reread_hi = 0;
}

/* Frees a transform's reader, its spill and the state it keeps. */
static void
engine_reader_free(struct reader *r)
{
	if (r == NULL)
		return;
	if (r->spill != NULL) {
		spill_free(r->spill);
		free(r->spill);
	}
	/* A conversion that keeps state between calls (rd_format more),
	 * given up before its end: freed while a viewer quits. */
	if (r->state != NULL && r->fmt->more_free != NULL)
		r->fmt->more_free(r);
	reader_free(r);
}

/* Takes in what fmt->transform made of file i (rc, out, err) from reader
 * r: the canonical records replace the input's bytes, the name is kept.
 * On failure *err names the file (caller frees) and -1 is returned. */
static int
engine_transform_end(struct engine *e, size_t i, struct reader *r, int rc,
		     struct strbuf *out, int keep, char **err)
{
	struct engine_file *f = &e->files[i];
	char *data, *note = NULL;
	size_t len;
	int mapped = 0;

	if (rc == 0 && spill_finish(r->spill, out, &data, &len, &mapped, &note,
	    err) < 0)
		rc = -1;
	if (rc < 0) {
		char *msg = *err;

		/* The transform does not know the file's name. */
		*err = xasprintf("%s: %s", f->src->path, msg != NULL ? msg :
				 "no SIP messages found");
		free(msg);
		engine_reader_free(r);
		strbuf_free(out);
		return -1;
	}
	engine_take_warnings(e, (uint16_t)i, r);
	if (note != NULL)
		engine_warn(e, i, 0, note);
	f->inner = r->inner;
	if (keep)
		engine_live_keep(f, r);
	else
		engine_reader_free(r);
	engine_replace_src(f, data, len, 0, mapped);
	f->canon = 1;
	return 0;
}

const char *
engine_format_name(const struct engine_file *f, char *buf, size_t n)
{
	if (f->fmt == NULL)
		return "?";
	if (f->inner == NULL || n == 0)
		return f->fmt->name;
	snprintf(buf, n, "%s/%s", f->fmt->name, f->inner->name);
	return buf;
}

/* A reader for a transform over file f's bytes; its output moves to a
 * temporary file once it is large (engine_set_spill). */
static struct reader *
engine_transform_reader(const struct engine *e, const struct engine_file *f)
{
	struct reader *r = reader_new(f->fmt, f->src->data, f->src->len);

	r->mapped = f->src->mapped;
	if (e->spill_dir != NULL) {
		r->spill = xmalloc(sizeof *r->spill);
		spill_init(r->spill, e->spill_dir, e->spill_chunk);
	}
	return r;
}

/* Converts file i (being added) at once. */
static int
engine_transform(struct engine *e, size_t i, char **err)
{
	struct reader *r = engine_transform_reader(e, &e->files[i]);
	struct strbuf out;
	int rc;

	strbuf_init(&out);
	rc = e->files[i].fmt->transform(r, &out, err);
	if (engine_transform_end(e, i, r, rc, &out, 0, err) < 0) {
		source_free(e->files[i].src);
		free(e->files[i].marks);
		return -1;
	}
	return 0;
}

/* Inflates file i's gzip bytes (inflate), or reads the rest of its pipe,
 * at once (when no thread could); on failure the source is freed and *err
 * names the file. */
static int
engine_now(struct engine *e, size_t i, int inflate, char **err)
{
	struct engine_file *f = &e->files[i];
	char *buf, *note, *msg;
	struct spill sp;
	size_t len;
	int mapped, rc, gz = f->src->compressed;

	spill_init(&sp, e->spill_dir, e->spill_chunk);
	if (inflate)
		rc = source_gunzip(f->src, &sp, &buf, &len, &mapped, &note,
				   err, NULL);
	else
		rc = source_read_rest(f->src, &sp, &buf, &len, &mapped, &note,
				      err, NULL, NULL);
	spill_free(&sp);
	if (rc < 0) {
		msg = *err;
		*err = xasprintf("%s: %s", f->src->path, msg);
		free(msg);
		source_free(f->src);
		return -1;
	}
	engine_replace_src(f, buf, len, inflate, mapped);
	/* What was read of a pipe may still be gzip. */
	f->src->compressed = !inflate && gz;
	if (note != NULL)
		engine_warn(e, i, 0, note);
	return 0;
}

/* Reads the rest of x's pipe into x->plain; a gzip one is to be inflated
 * from there: *raw is then a source over what was read, and *gz points to
 * it. */
static int
engine_xf_read_pipe(struct engine_xf *x, struct source *raw,
		    const struct source **gz)
{
	int rc;

	rc = source_read_rest(x->pipe, x->r->spill, &x->plain, &x->nplain,
			      &x->plain_mapped, &x->note, &x->err, &x->piped,
			      &x->stop);
	if (rc == 0)
		__atomic_store_n(&x->piped, x->nplain, __ATOMIC_RELAXED);
	/* Its size is known now: engine_progress() counts it. */
	atomic_store_explicit(&x->reading, 0, memory_order_release);
	if (rc < 0 || *gz == NULL)
		return rc;
	memset(raw, 0, sizeof *raw);
	raw->data = x->plain;
	raw->len = x->nplain;
	raw->mapped = x->plain_mapped;
	*gz = raw;
	x->plain = NULL;
	return 0;
}

/* Frees what source_read_rest() gave (engine_xf_read_pipe's raw). */
static void
engine_drop_bytes(const char *data, size_t len, int mapped)
{
	if (mapped)
		munmap((void *)(uintptr_t)data, len);
	else
		free((void *)(uintptr_t)data);
}

static void *
engine_xf_run(void *arg)
{
	struct engine_xf *x = arg;
	const struct source *gz = x->gz;
	struct source raw;
	char *note, *more;

	x->rc = 0;
	if (x->pipe != NULL)
		x->rc = engine_xf_read_pipe(x, &raw, &gz);
	if (x->rc == 0 && gz != NULL) {
		note = x->note;
		x->rc = source_gunzip(gz, x->r->spill, &x->plain, &x->nplain,
				      &x->plain_mapped, &more, &x->err,
				      &x->gzdone);
		x->note = more;
		if (note != NULL && more != NULL) {
			x->note = xasprintf("%s; %s", note, more);
			free(note);
			free(more);
		} else if (note != NULL) {
			x->note = note;
		}
		if (gz == &raw)	/* what was read of the pipe, inflated now */
			engine_drop_bytes(raw.data, raw.len, raw.mapped);
	}
	if (x->rc == 0 && (x->pipe != NULL || gz != NULL)) {
		/* The reader has not started: it reads the new bytes. */
		x->r->data = x->plain;
		x->r->len = x->nplain;
		x->r->mapped = x->plain_mapped;
		atomic_store_explicit(&x->converting, 1,
				      memory_order_release);
	}
	if (x->rc == 0 && x->pause)
		x->rc = x->r->fmt->more(x->r, &x->out, READER_PAUSE, &x->err);
	else if (x->rc == 0 && x->r->fmt->transform != NULL)
		x->rc = x->r->fmt->transform(x->r, &x->out, &x->err);
	atomic_store_explicit(&x->done, 1, memory_order_release);
	return NULL;
}

/* Frees what gzip input inflated to, once the conversion has read it. */
static void
engine_xf_drop_plain(struct engine_xf *x)
{
	if (x->plain == NULL)
		return;
	engine_drop_bytes(x->plain, x->nplain, x->plain_mapped);
	x->plain = NULL;
}

/* Starts converting file f on a thread (inflating it first when it is
 * still gzip); 0, or -1 when no thread could be started (nothing was
 * done). */
static int
engine_xf_start(const struct engine *e, struct engine_file *f)
{
	struct engine_xf *x = xcalloc(1, sizeof *x);

	x->r = engine_transform_reader(e, f);
	if (f->src->pending)
		x->pipe = f->src;
	if (f->src->compressed)
		x->gz = f->src;
	atomic_init(&x->reading, x->pipe != NULL);
	x->piped = f->src->len;
	atomic_init(&x->converting, x->gz == NULL && x->pipe == NULL);
	x->pause = x->pipe == NULL && x->gz == NULL &&
		   engine_live_ok(f->src, f->fmt);
	strbuf_init(&x->out);
	atomic_init(&x->done, 0);
	if (pthread_create(&x->th, NULL, engine_xf_run, x) != 0) {
		engine_reader_free(x->r);
		free(x);
		return -1;
	}
	f->xf = x;
	return 0;
}

/* Takes in file i's conversion when it is done (or, with wait, once it
 * is). Returns 0 while it still runs. A failed one leaves the file empty
 * with a warning that says why. */
static int
engine_xf_take(struct engine *e, size_t i, int wait)
{
	struct engine_file *f = &e->files[i];
	struct engine_xf *x = f->xf;
	size_t before = f->src->len;
	char *err;

	if (x == NULL)
		return 1;
	if (!wait && !atomic_load_explicit(&x->done, memory_order_acquire))
		return 0;
	pthread_join(x->th, NULL);
	f->xf = NULL;
	err = x->err;
	if (x->note != NULL)
		engine_warn(e, i, 0, x->note);
	if (x->rc == 0 && f->fmt->transform == NULL) {
		/* Only read or inflated: read in place from the new
		 * bytes. */
		engine_reader_free(x->r);
		engine_replace_src(f, x->plain, x->nplain, x->gz != NULL,
				   x->plain_mapped);
		x->plain = NULL;
	} else if (engine_transform_end(e, i, x->r, x->rc, &x->out,
					x->pause, &err) < 0) {
		engine_replace_src(f, xstrdup(""), 0, 0, 0);
		f->canon = 1;
		f->unreadable = 1;
		engine_warn(e, i, 0, err);
	}
	e->total_bytes = e->total_bytes - before + f->src->len;
	engine_xf_drop_plain(x);
	free(x);
	if (f->follow_later) {
		f->follow_later = 0;
		if (f->live != NULL)
			engine_follow_start(e, i, f->src->path);
	}
	return 1;
}

/* Whether src, of format fmt, converted whole otherwise, can be converted
 * as it comes (rd_format more): a capture, not gzip nor UTF-16. */
static int
engine_live_ok(const struct source *src, const struct rd_format *fmt)
{
	return fmt->more != NULL && fmt->live != NULL && !src->compressed &&
	       !src->inflated && !src->decoded &&
	       fmt->live(src->data, src->len);
}

/* Whether src, of format fmt, is a pipe read as it comes (engine_follow):
 * read in place, not gzip (read once) nor converted whole. */
static int
engine_streams(const struct source *src, const struct rd_format *fmt)
{
	return src->stream && !src->compressed &&
	       (fmt->transform == NULL || engine_live_ok(src, fmt));
}

/* UTF-16 text (PowerShell 5 writes it) is read as UTF-8: converted whole
 * here, before the probe, unless a format that reads its bytes as they are
 * (a capture) is asked for or they look like one. gzip input is inflated
 * first when its start is UTF-16, and the rest of a pipe read to its end
 * beside the viewer is read first. A pipe read as it comes is not
 * converted: refused, saying how to convert it. 0, or -1 with *err. */
static int
engine_utf16(struct engine *e, struct source *src, const char *format,
	     char **err)
{
	char *head = NULL, *msg = NULL, *buf, *note;
	const char *p = src->data;
	size_t n = src->len, len;
	struct spill sp;
	int order, rc = 0, mapped;

	if (format != NULL && strcmp(format, "pcap") == 0)
		return 0;
	if (src->compressed) {
		head = xmalloc(ENGINE_PROBE_BYTES);
		n = source_gunzip_head(src, head, ENGINE_PROBE_BYTES);
		p = head;
	}
	order = source_utf16(p, n < ENGINE_PROBE_BYTES ? n : ENGINE_PROBE_BYTES);
	if (order != 0 && format == NULL && source_utf16(p, 2) == 0 &&
	    reader_probe(p, n < ENGINE_PROBE_BYTES ? n : ENGINE_PROBE_BYTES))
		order = 0;	/* no mark, and a format as it is */
	free(head);
	if (order == 0)
		return 0;
	if (src->stream) {
		*err = xasprintf("%s: UTF-16 text from a pipe is not read; "
		    "convert it first (iconv -f UTF-16 -t UTF-8)", src->path);
		return -1;
	}
	spill_init(&sp, e->spill_dir, e->spill_chunk);
	if (src->pending) {
		/* Converted whole when opened, as a file is: its rest now. */
		if (source_read_rest(src, &sp, &buf, &len, &mapped, &note,
				     &msg, NULL, NULL) < 0) {
			*err = xasprintf("%s: %s", src->path, msg);
			free(msg);
			spill_free(&sp);
			return -1;
		}
		if (src->fd != STDIN_FILENO)
			close(src->fd);
		free((void *)src->data);	/* the start, read (not mapped) */
		src->data = buf;
		src->len = len;
		src->mapped = mapped;	/* a temporary file's, not registered */
		src->pending = 0;
		src->note = note;	/* engine_add_source() took the other */
	}
	if ((src->compressed && source_decompress(src, &sp, &msg) < 0) ||
	    source_decode_utf16(src, order, &sp, &msg) < 0) {
		*err = xasprintf("%s: %s", src->path, msg);
		free(msg);
		rc = -1;
	}
	spill_free(&sp);
	return rc;
}

/* Why an input no format is recognised in is refused, and what to do
 * about a log whose first SIP message comes after what the probe looks
 * at. Caller frees. */
static char *
engine_unknown_format(const char *path)
{
	return xasprintf("%s: no SIP messages found: no known format "
			 "recognised in the first %d KiB (a log whose first "
			 "SIP message comes later may need --format NAME; "
			 "see --formats)", path, READER_PROBE_BYTES / 1024);
}

static int
engine_add_source1(struct engine *e, struct source *src, const char *format,
		   char **err)
{
	const struct rd_format *fmt;
	struct engine_file *f;
	size_t i;

	if (engine_utf16(e, src, format, err) < 0) {
		source_free(src);
		return -1;
	}
	if (format != NULL) {
		fmt = reader_by_name(format);
		if (fmt == NULL) {
			*err = xasprintf("unknown format '%s' (see --formats)",
					 format);
			source_free(src);
			return -1;
		}
	} else if (src->compressed) {
		/* Still gzip: the probe reads the start, inflated. */
		char *head = xmalloc(ENGINE_PROBE_BYTES);
		size_t nhead = source_gunzip_head(src, head,
						  ENGINE_PROBE_BYTES);

		fmt = reader_probe(head, nhead);
		free(head);
		if (fmt == NULL) {
			/* Damaged or cut short before anything came out
			 * (inflated whole later, it would say which). */
			*err = nhead > 0 ? engine_unknown_format(src->path) :
			    xasprintf("%s: the gzip data gives nothing (empty, "
				      "or damaged or cut short at its start): "
				      "nothing to read", src->path);
			source_free(src);
			return -1;
		}
	} else {
		fmt = reader_probe(src->data, src->len < ENGINE_PROBE_BYTES ?
						      src->len :
						      ENGINE_PROBE_BYTES);
		if (fmt == NULL) {
			/* Inflated to nothing is not an empty file: the
			 * gzip note that follows says why. */
			*err = src->len > 0 ?
			    engine_unknown_format(src->path) :
			    xasprintf("%s: no SIP messages found%s", src->path,
				      src->inflated ? " (nothing decompressed)" :
				      " (empty file)");
			source_free(src);
			return -1;
		}
	}
	if (e->nfiles >= MSG_FILES) {
		*err = xasprintf("%s: too many input files (%d at most)",
				 src->path, MSG_FILES);
		source_free(src);
		return -1;
	}
	/* Two logs that each call their own end "local" (two servers'
	 * logs without host names) must not share one end. */
	for (i = 0; fmt->names_local && i < e->nfiles && !e->local_split; i++)
		e->local_split = e->files[i].fmt->names_local &&
		    strcmp(e->files[i].src->path, src->path) != 0;
	e->files = xgrow(e->files, &e->capfiles, e->nfiles + 1, sizeof *e->files);
	f = &e->files[e->nfiles];
	memset(f, 0, sizeof *f);
	f->src = src;
	f->fmt = fmt;
	f->follow_fd = -1;
	f->follow_spill = -1;
	f->piped_whole = src->stream && !src->pending && !src->compressed;
	if (src->pending && engine_streams(src, fmt))
		;	/* a pipe read as it comes (engine_follow_start) */
	else if ((src->compressed || src->pending) &&
		 engine_xf_start(e, f) == 0)
		;	/* read, inflated and converted on that thread */
	else if ((src->pending && engine_now(e, e->nfiles, 0, err) < 0) ||
		 (f->src->compressed &&
		  engine_now(e, e->nfiles, 1, err) < 0) ||
		 (fmt->transform != NULL &&
		  !(e->follow && engine_live_ok(f->src, fmt) &&
		    (src->pending || !src->stream)) &&
		  (!e->background || engine_xf_start(e, f) < 0) &&
		  engine_transform(e, e->nfiles, err) < 0))
		return -1;
	/* A transform replaced src, or will (its size is counted then). */
	e->total_bytes += f->src->len;
	e->done = 0;
	return (int)e->nfiles++;
}

/* What the source noted (a gzip stream cut short) becomes a warning once
 * the file is in, or part of the error when it is refused. */
static int
engine_add_source(struct engine *e, struct source *src, const char *format,
		  char **err)
{
	char *note = src->note, *msg;
	/* gzip data damaged before anything came out: that alone is why
	 * nothing is read. */
	char *gz_empty = note != NULL && src->inflated && src->len == 0 ?
	    xasprintf("%s: %s", src->path, note) : NULL;
	int n;

	src->note = NULL;
	n = engine_add_source1(e, src, format, err);
	if (n < 0 && gz_empty != NULL) {
		free(*err);
		*err = gz_empty;
		free(note);
		return n;
	}
	free(gz_empty);
	if (n >= 0 && e->files[n].src->note != NULL) {
		/* One of the conversion before the probe (engine_utf16). */
		engine_warn(e, (size_t)n, 0, e->files[n].src->note);
		e->files[n].src->note = NULL;
	}
	if (note == NULL)
		return n;
	if (n < 0) {
		msg = *err;
		*err = xasprintf("%s (%s)", msg, note);
		free(msg);
		free(note);
	} else
		engine_warn(e, (size_t)n, 0, note);
	return n;
}

void
engine_follow(struct engine *e, int on)
{
	e->follow = on;
}

static void
engine_warn(struct engine *e, size_t fileno, uint32_t line, char *msg)
{
	e->warns = xgrow(e->warns, &e->capwarns, e->nwarns + 1,
			 sizeof *e->warns);
	e->warns[e->nwarns].file = (uint16_t)fileno;
	e->warns[e->nwarns].line = line;
	e->warns[e->nwarns].msg = msg;
	e->nwarns++;
}

/* The bytes a mapped file still has, at most what was mapped. */
static size_t
engine_file_size_now(const struct engine_file *f)
{
	struct stat st;

	if (stat(f->src->path, &st) == 0 && st.st_size >= 0 &&
	    (uint64_t)st.st_size < f->src->len)
		return (size_t)st.st_size;
	return f->src->len;
}

/* The last of f's line marks at or before off: its index + 1, 0 when
 * none is. */
static size_t
engine_mark_before(const struct engine_file *f, size_t off)
{
	size_t lo = 0, hi = f->nmarks, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->marks[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A file truncated by another process while mapped reads as zeros from
 * there on (source_guard): once seen, say so once, naming the file, and
 * note where it was cut (the bytes it still has, and no more than what
 * the guard left as they were). */
static void
engine_note_shrunk(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];
	size_t to, cut, from = 0, k;
	uint32_t line = 1;

	if (!f->src->truncated || f->shrank_warned)
		return;
	f->shrank_warned = 1;
	to = engine_file_size_now(f);
	cut = source_cut_at(f->src);
	f->shrank_to = to = cut < to ? cut : to;
	if ((k = engine_mark_before(f, to)) > 0) {
		from = f->marks[k - 1].off;
		line = f->marks[k - 1].line;
	}
	f->shrank_line = line + (uint32_t)mem_count(f->src->data + from,
						    to - from, '\n');
	engine_warn(e, i, 0, xstrdup(
	    "the file shrank while it was being read (truncated or "
	    "rewritten by another program); what was read before is shown"));
}

static void
engine_check_shrunk(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nfiles; i++)
		engine_note_shrunk(e, i);
}

/* A reader's warning at line of file fileno, unless it is of the zeros
 * read past where the file was cut. Takes msg. */
static void
engine_warn_read(struct engine *e, size_t fileno, uint32_t line, char *msg)
{
	const struct engine_file *f = &e->files[fileno];

	engine_note_shrunk(e, fileno);
	if (f->shrank_warned && line >= f->shrank_line) {
		free(msg);
		return;
	}
	engine_warn(e, fileno, line, msg);
}

/* Keeps the first and last bytes read of a file followed in place: the
 * file is the only copy, so a rewrite is told by comparing them (a copy
 * has them). */
static void
engine_follow_mark_end(struct engine_file *f)
{
	size_t n = f->src->len < ENGINE_FOLLOW_WINDOW ? f->src->len :
							ENGINE_FOLLOW_WINDOW;

	if (!f->follow_mapped)
		return;
	if (f->follow_win == NULL)
		f->follow_win = xmalloc(2 * ENGINE_FOLLOW_WINDOW);
	if (f->follow_nhead < n) {
		memcpy(f->follow_win, f->src->data, n);
		f->follow_nhead = n;
	}
	memcpy(f->follow_win + ENGINE_FOLLOW_WINDOW,
	       f->src->data + f->src->len - n, n);
	f->follow_nend = n;
}

/* Replaces a followed file's bytes with a copy that can grow, followed by
 * the n bytes at more (the piece just read): on the heap, with room for
 * 64 KiB more, or past the engine's spill chunk in a temporary file (when
 * one can be made; otherwise a warning says why and it stays on the
 * heap). */
static void
engine_follow_copy(struct engine *e, struct engine_file *f, const char *more,
		   size_t n)
{
	size_t len = f->src->len + n;
	char *copy, *err = NULL;
	int fd = -1;

	if (!f->follow_heap && e->spill_dir != NULL && len > 0 &&
	    len + 65536 > e->spill_chunk) {
		fd = spill_grow_new(e->spill_dir, f->src->data, f->src->len,
				    more, n, &copy, &err);
		if (fd < 0) {
			engine_warn(e, (size_t)(f - e->files), 0, xasprintf(
			    "%s: what comes is kept in memory", err));
			free(err);
			f->follow_heap = 1;
		}
	}
	if (f->follow_spill >= 0)
		close(f->follow_spill);
	f->follow_spill = fd;
	if (fd < 0) {
		f->follow_cap = len + 65536;
		copy = xmalloc(f->follow_cap);
		memcpy(copy, f->src->data, f->src->len);
		if (n > 0)
			memcpy(copy + f->src->len, more, n);
	}
	engine_replace_src(f, copy, len, 0, fd >= 0);
	if (f->rd != NULL)
		f->rd->data = copy;
}

/* A followed file grew (or began to be followed): its last line, if it
 * has no line break yet, is not read as complete before it is quiet. */
static void
engine_follow_touch(struct engine_file *f)
{
	clock_gettime(CLOCK_MONOTONIC, &f->follow_grew_at);
	f->follow_quiet = 0;
}

/* Moves a file's bytes to a buffer that can grow and keeps a descriptor
 * to read what is appended. A mapping cannot grow, and a copy survives
 * the writer truncating the file. */
static void
engine_follow_start(struct engine *e, size_t fileno, const char *path)
{
	struct engine_file *f = &e->files[fileno];
	struct stat st;
	char name[64];
	int fd, live, paused;

	if (f->src->pending && engine_streams(f->src, f->fmt)) {
		/* A pipe: read as it comes, to its end. */
		f->follow_pipe = 1;
		f->follow_fd = f->src->fd;
		f->src->pending = 0;	/* the descriptor is follow_fd's */
		if (f->fmt->transform != NULL)	/* a capture */
			engine_live_start(e, fileno);
		else
			engine_follow_copy(e, f, NULL, 0);
		engine_follow_touch(f);
		return;
	}
	/* A pipe whose writer was done before its start was read: nothing
	 * is left to follow (read whole, converted whole). */
	if (f->piped_whole)
		return;
	/* What the file holds now is no news (engine_note_fresh). */
	f->fresh_from = f->src->len;
	/* A capture not converted yet (engine_add_source1 left it to be
	 * converted as it comes). */
	live = !f->canon && f->xf == NULL && f->fmt->transform != NULL &&
	       engine_live_ok(f->src, f->fmt);
	/* Or one read whole beside the viewer, its conversion kept to read
	 * on (engine_live_keep). */
	paused = f->canon && f->live != NULL && !f->follow_ended;
	if (f->xf != NULL && f->xf->pause) {
		/* Still read whole on its thread: followed from its end
		 * once taken in (engine_xf_take). */
		f->follow_later = 1;
		return;
	}
	if (f->src->inflated || f->src->compressed) {
		/* Appending to a compressed file gives nothing readable
		 * (a capture in it too: gzip is the reason). */
		engine_warn(e, fileno, 0, xstrdup("gzip-compressed: read once, "
		    "not followed"));
		return;
	}
	if ((f->canon && !paused) ||
	    (f->fmt->transform != NULL && !live && !paused)) {
		/* Rebuilt once from the whole input (gzip, FreeSWITCH, a
		 * FreeSWITCH log through syslog), maybe still on its own
		 * thread: there is no place to append to. */
		engine_warn(e, fileno, 0, xasprintf("read once, not followed "
			    "(%s input is converted as a whole)",
			    engine_format_name(f, name, sizeof name)));
		return;
	}
	if (f->src->decoded) {
		engine_warn(e, fileno, 0, xstrdup("UTF-16 text, converted: "
		    "read once, not followed"));
		return;
	}
	if (f->src->pending) {
		/* A pipe still being read to its end. */
		engine_warn(e, fileno, 0, xstrdup(ENGINE_PIPE_READ_WHOLE));
		return;
	}
	/* Standard input redirected from a file (sipsnoop - < log) is
	 * followed through a copy of its descriptor: it has no name by
	 * which it could be rotated. Not blocking: a named pipe would wait
	 * for another writer. */
	f->follow_noname = strcmp(path, "-") == 0;
	fd = f->follow_noname ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) :
				open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	memset(&st, 0, sizeof st);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		engine_warn(e, fileno, 0, xstrdup(
			    S_ISFIFO(st.st_mode) ? ENGINE_PIPE_READ_WHOLE :
			    !f->follow_noname ? "not a regular file: not "
						"followed" :
			    "standard input is neither a regular file nor a "
			    "pipe: read once, not followed"));
		if (live)	/* converted whole after all */
			engine_live_whole(e, fileno);
		return;
	}
	if (live || paused) {
		/* Its input is read on from where it was read to. */
		f->follow_fd = fd;
		f->follow_dev = (uint64_t)st.st_dev;
		f->follow_ino = (uint64_t)st.st_ino;
		if (live) {
			engine_live_start(e, fileno);
		} else {
			engine_follow_copy(e, f, NULL, 0);
			engine_follow_touch(f);
		}
		return;
	}
	if (f->src->mapped && f->src->len > e->follow_copy_max) {
		/* Too large to copy: followed where it is mapped, which
		 * grows with it (engine_follow_read). */
		f->follow_mapped = 1;
		f->follow_from = f->src->len;
	} else {
		engine_follow_copy(e, f, NULL, 0);
	}
	engine_follow_mark_end(f);
	engine_follow_touch(f);
	f->follow_fd = fd;
	f->follow_dev = (uint64_t)st.st_dev;
	f->follow_ino = (uint64_t)st.st_ino;
}

/* Withdraws the warnings about file i from line on: what they are about
 * is read again. */
static void
engine_withdraw(struct engine *e, size_t i, uint32_t line)
{
	size_t k;

	for (k = e->nwarns; k-- > 0;) {
		struct engine_warning *w = &e->warns[k];

		if (w->file != i || w->line < line)
			continue;
		free(w->msg);
		memmove(w, w + 1, (e->nwarns - k - 1) * sizeof *w);
		e->nwarns--;
		e->changes++;	/* W may show as many again, not the same */
	}
}

/* F on file i, converted as it comes and read whole for now, or more of
 * it after it was quiet (engine_live_quiet), what would have waited for
 * more read as at its end (engine_live redo): that is taken back, its
 * warnings withdrawn and, when it gave the last message, its canonical
 * record (the message keeps its entry and id), and the conversion reads
 * it again as it comes; a record it then gives there completes the entry
 * (cut_redo, engine_complete). Not when the last message is another. */
static void
engine_live_redo(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];
	struct engine_live *l = f->live;
	size_t off, k, n;

	if (!l->redo || l->r->data == NULL)
		return;
	l->redo = 0;
	if (l->redo_bytes > 0) {
		if (l->redo_bytes > f->src->len)
			return;
		off = f->src->len - l->redo_bytes;
		if (f->rd == NULL || f->rd->pos <= off) {
			/* Not indexed yet: only taken back. */
			if (f->rd != NULL && f->rd->len > off)
				f->rd->len = off;
		} else if (f->nmsgs == 0 ||
			   msgindex_get(e->ix, f->last_id)->off != off) {
			return;
		} else {
			f->rd->pos = f->rd->len = off;
			f->cut_redo = 1;
		}
		f->src->len = off;
	}
	/* The file's last warnings came of it: they come again. */
	for (k = e->nwarns, n = l->redo_warnings; n > 0 && k-- > 0;) {
		if (e->warns[k].file != i)
			continue;
		free(e->warns[k].msg);
		memmove(&e->warns[k], &e->warns[k + 1],
			(e->nwarns - k - 1) * sizeof *e->warns);
		e->nwarns--;
		e->changes++;
		n--;
	}
	l->r->redo = 1;
}

/* F: file i, read to its end, is followed from now on. Its last record
 * may be one its writer has not finished: cut short, framed only by what
 * comes next, or not even a record yet (its first lines taken as junk).
 * So its reader goes back to before what it read last (reader_undo) and
 * reads it again as a followed file is read (engine_next: what reaches
 * the end waits for more), and the warnings it gave from there on are
 * withdrawn (they come again). A record read there again completes the
 * entry of the last message (engine_complete). engine_follow_undo() is
 * that going back, -1 when the reader cannot. */
static int
engine_follow_undo(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];

	if (f->canon || reader_undo(f->rd) < 0)
		return -1;
	f->cut_redo = f->nmsgs > 0 &&
		      msgindex_get(e->ix, f->last_id)->off >= f->rd->pos;
	engine_withdraw(e, i, f->rd->line);
	return 0;
}

static void
engine_follow_tail(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];

	if (engine_follow_undo(e, i) < 0) {
		reader_advance(f->rd, f->src->len);
		if (f->canon && f->live != NULL)
			engine_live_redo(e, i);
	}
}

/* Notes that F could not follow the input path, as why says. */
static void
engine_follow_refused(struct engine *e, const char *path, const char *why)
{
	if (e->nfollow_refused++ == 0)
		e->follow_why = xasprintf("%s: %s", path, why);
}

const char *
engine_follow_refusal(const struct engine *e, size_t *n)
{
	*n = e->nfollow_refused;
	return e->follow_why;
}

void
engine_follow_files(struct engine *e)
{
	size_t i, nwarns;

	e->follow = 1;
	for (i = 0; i < e->nfiles; i++) {
		struct engine_file *f = &e->files[i];

		/* One refused after its reading (read as a named format, it
		 * had nothing) stays refused. */
		if (f->follow_fd >= 0 || f->follow_ended || f->follow_tried ||
		    f->unreadable)
			continue;
		f->follow_tried = 1;
		/* Following may move the file's bytes: the second thread
		 * must not be reading them then. */
		if (e->par != NULL && i == e->cur)
			engine_par_detach(e);
		nwarns = e->nwarns;
		engine_follow_start(e, i, f->src->path);
		if (f->follow_fd < 0) {
			/* Refused with a warning that says why (W), or a
			 * pipe whose writer had closed it before it was
			 * read, which says nothing: the status line of F
			 * says it (engine_follow_refusal). */
			if (e->nwarns > nwarns || f->piped_whole)
				engine_follow_refused(e, f->src->path,
				    e->nwarns > nwarns ?
				    e->warns[e->nwarns - 1].msg :
				    ENGINE_PIPE_CLOSED);
			continue;
		}
		/* A reader in progress reads on from the new buffer; a file
		 * already read gets one (engine_follow_tail). */
		if (f->rd == NULL && i < e->cur) {
			f->rd = f->rd_end != NULL ? f->rd_end :
				reader_new(engine_rfmt(f), f->src->data,
					   f->src->len);
			f->rd_end = NULL;
			engine_follow_tail(e, i);
		} else if (f->rd != NULL && f->rd->pos >= f->src->len) {
			engine_take_warnings(e, (uint16_t)i, f->rd);
			engine_follow_tail(e, i);
		}
		if (f->rd != NULL) {
			f->rd->follow = 1;
			engine_follow_feed(f);
		}
	}
}

/* Whether path ("-": standard input) is a pipe or a socket. */
static int
engine_is_pipe(const char *path)
{
	struct stat st;
	int rc = strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, &st) :
					  stat(path, &st);

	return rc == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* Reads the start of a pipe followed as it comes: what arrives together,
 * then more only while no format is recognised in it, up to what the probe
 * reads at most (and all of that for gzip, read once). 0, or -1 with
 * *err naming it. */
static int
engine_stream_head(struct source *src, char **err)
{
	const struct rd_format *fmt;
	int got, wait;
	char *msg = NULL;

	while (src->pending && src->len < SOURCE_HEAD_BYTES) {
		/* Something, then what follows it closely. */
		wait = -1;
		do {
			got = source_read_some(src, SOURCE_HEAD_BYTES -
					       src->len, wait, &msg);
			wait = 50;
			/* A capture says for certain what it is in its
			 * first bytes: those of a busy one keep coming. */
			fmt = got > 0 ? reader_probe(src->data, src->len) :
					NULL;
		} while (got > 0 && src->len < SOURCE_HEAD_BYTES &&
			 (fmt == NULL || fmt->live == NULL ||
			  fmt->probe(src->data, src->len) < 100));
		if (got < 0) {
			*err = xasprintf("%s: %s", src->path, msg);
			free(msg);
			return -1;
		}
		if (!source_is_gzip(src) &&
		    reader_probe(src->data, src->len) != NULL)
			break;
	}
	src->compressed = source_is_gzip(src);
	return 0;
}

static int
engine_open_file(struct engine *e, const char *path, const char *format,
		 char **err)
{
	struct source *src;
	struct spill sp;
	size_t i;
	int n;

	/* A second "-" would share the descriptor with the first, which may
	 * still be read on its thread. */
	for (i = 0; strcmp(path, "-") == 0 && i < e->nfiles; i++) {
		if (strcmp(e->files[i].src->path, "-") == 0) {
			*err = xstrdup("-: standard input is given twice");
			return -1;
		}
	}
	/* A pipe read to its end, and gzip input inflated here, go to a
	 * temporary file once large (engine_set_spill). In the background,
	 * gzip input is inflated on the conversion thread instead. */
	spill_init(&sp, e->spill_dir, e->spill_chunk);
	if ((e->follow || e->background) && engine_is_pipe(path)) {
		/* Followed as it comes, or read to its end beside the viewer
		 * (not a stream then): its start, for the probe, as soon as
		 * it tells the format. */
		src = source_open_stream(path, err);
		if (src != NULL && engine_stream_head(src, err) < 0) {
			source_free(src);
			src = NULL;
		}
		if (src != NULL && !e->follow)
			src->stream = 0;
	} else {
#ifdef SIPSNOOP_HAVE_ZLIB
		src = e->background ? source_open_lazy(path, &sp, err) :
				      source_open_spill(path, &sp, err);
#else
		src = source_open_spill(path, &sp, err);
#endif
	}
	spill_free(&sp);
	if (src == NULL)
		return -1;
	n = engine_add_source(e, src, format, err);
	if (n >= 0 && e->follow)
		engine_follow_start(e, (size_t)n, path);
	return n;
}

/* Keeps the error of an input refused (engine_refused); returns n. */
static int
engine_note_refused(struct engine *e, int n, char *const *err)
{
	if (n < 0) {
		e->refused = xgrow(e->refused, &e->caprefused, e->nrefused + 1,
				   sizeof *e->refused);
		e->refused[e->nrefused++] = xstrdup(*err);
	}
	return n;
}

int
engine_add_file(struct engine *e, const char *path, const char *format,
		char **err)
{
	return engine_note_refused(e, engine_open_file(e, path, format, err),
				   err);
}

int
engine_try_file(struct engine *e, const char *path, const char *format,
		char **err)
{
	return engine_open_file(e, path, format, err);
}

void
engine_await_file(struct engine *e, const char *path, const char *format,
		  int64_t offset)
{
	struct engine_await *a;

	e->awaited = xgrow(e->awaited, &e->capawaited, e->nawaited + 1,
			   sizeof *e->awaited);
	a = &e->awaited[e->nawaited++];
	a->path = xstrdup(path);
	a->format = format != NULL ? xstrdup(format) : NULL;
	a->offset = offset;
}

size_t
engine_nawaited(const struct engine *e)
{
	return e->nawaited;
}

const char *
engine_awaited(const struct engine *e, size_t i)
{
	return i < e->nawaited ? e->awaited[i].path : NULL;
}

/* Adds the awaited files that have begun (engine_await_file): in arrival
 * order after what was indexed, as a rotated file is (a merge would
 * renumber what was shown). 1 when one was added or refused. */
static int
engine_poll_awaited(struct engine *e)
{
	struct engine_await *a;
	struct stat st;
	size_t i = 0;
	int any = 0, fileno, done, short_yet;
	char *err;

	while (i < e->nawaited) {
		a = &e->awaited[i];
		short_yet = stat(a->path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (uintmax_t)st.st_size < ENGINE_AWAIT_BYTES;
		if (short_yet && st.st_size == 0) {
			i++;
			continue;
		}
		err = NULL;
		done = e->done;
		fileno = engine_open_file(e, a->path, a->format, &err);
		e->done = done;
		if (fileno < 0 && short_yet && stat(a->path, &st) == 0 &&
		    (uintmax_t)st.st_size < ENGINE_AWAIT_BYTES) {
			free(err);	/* begun, not enough to tell yet */
			i++;
			continue;
		}
		if (fileno < 0)
			engine_note_refused(e, fileno, &err);
		else {
			e->files[fileno].offset = a->offset;
			/* All it holds came while it was waited for. */
			e->files[fileno].fresh_from = 0;
		}
		free(err);
		free(a->path);
		free(a->format);
		memmove(a, a + 1, (e->nawaited - i - 1) * sizeof *a);
		e->nawaited--;
		any = 1;
	}
	return any;
}

size_t
engine_nrefused(const struct engine *e)
{
	return e->nrefused;
}

const char *
engine_refused(const struct engine *e, size_t i)
{
	return i < e->nrefused ? e->refused[i] : NULL;
}

size_t
engine_nunread(const struct engine *e)
{
	size_t i, n = e->nrefused;

	for (i = 0; i < e->nfiles; i++)
		n += e->files[i].unreadable != 0;
	return n;
}

int
engine_tentative(const struct engine *e, uint32_t id)
{
	const struct msg *m;
	const struct engine_file *f;
	size_t redo;

	if (id >= msgindex_count(e->ix))
		return 0;
	m = msgindex_get(e->ix, id);
	f = &e->files[m->file];
	if (f->nmsgs == 0 || f->last_id != id || f->follow_ended)
		return 0;
	/* Taken back, and not read again yet: the rest is still coming. */
	if (f->cut_redo)
		return 1;
	if (f->live != NULL) {	/* converted: its record's bytes taken back */
		redo = f->live->redo_bytes;
		return f->live->redo && redo > 0 && redo <= f->src->len &&
		       m->off == f->src->len - redo;
	}
	return f->follow_tail.cut_size != 0 &&
	       m->off + msgindex_len(e->ix, id) == f->follow_tail.cut_size;
}

size_t
engine_nfollowed(const struct engine *e)
{
	size_t i, n = 0;

	for (i = 0; i < e->nfiles; i++)
		n += e->files[i].follow_fd >= 0 || e->files[i].follow_later;
	return n;
}

/* Whether what is read of a followed file goes to a temporary file. */
static int
engine_follow_spills(const struct engine *e, const struct engine_file *f)
{
	return f->follow_spill >= 0 ||
	       (!f->follow_heap && e->spill_dir != NULL &&
		f->src->len + 65536 > e->spill_chunk);
}

/* Where the next bytes of a followed file are read to, with room for
 * *room of them: the end of its heap buffer (grown to have 64 KiB), or
 * when its bytes are in a temporary file (or are to go there now), the
 * engine's staging buffer. engine_follow_grew() then counts them. */
static char *
engine_follow_room(struct engine *e, struct engine_file *f, size_t *room)
{
	char *buf = (char *)(uintptr_t)f->src->data;

	if (engine_follow_spills(e, f)) {
		if (e->follow_stage == NULL)
			e->follow_stage = xmalloc(65536);
		*room = 65536;
		return e->follow_stage;
	}
	if (f->follow_cap - f->src->len < 65536) {
		buf = xgrow(buf, &f->follow_cap, f->src->len + 65536, 1);
		f->src->data = buf;
		if (f->rd != NULL)
			f->rd->data = buf;
	}
	*room = f->follow_cap - f->src->len;
	return buf + f->src->len;
}

/* Counts n bytes read to engine_follow_room(). Those in the staging
 * buffer go to the file's temporary file, which is mapped over them; a
 * file that is not one yet becomes one, and one that cannot be made or
 * written moves back to the heap (engine_follow_copy). */
static void
engine_follow_grew(struct engine *e, struct engine_file *f, size_t n)
{
	char *err = NULL;

	if (!engine_follow_spills(e, f)) {
		f->src->len += n;	/* on the heap, in place */
		return;
	}
	if (f->follow_spill < 0) {
		engine_follow_copy(e, f, e->follow_stage, n);
		return;
	}
	if (spill_append(f->follow_spill, e->follow_stage, n, f->src->len,
			 &err) == 0 && source_remap(f->src, f->src->len + n) == 0)
		return;
	engine_warn(e, (size_t)(f - e->files), 0, xasprintf("cannot write "
		    "a temporary file in %s (%s): what comes is kept in memory",
		    e->spill_dir, err != NULL ? err : strerror(errno)));
	free(err);
	f->follow_heap = 1;
	engine_follow_copy(e, f, e->follow_stage, n);
}

void
engine_follow_give(struct reader *r, const char *data, size_t avail,
		   int ended)
{
	const char *nl;

	r->data = data;
	r->len = avail;
	if (ended) {
		/* A record cut short at the end is one now, and says so. */
		r->follow = 0;
		reader_skip_bom(r);
		return;
	}
	nl = avail > 0 ? memrchr(data, '\n', avail) : NULL;
	r->len = nl != NULL ? (size_t)(nl - data) + 1 : 0;
	if (r->len < r->pos)
		r->len = r->pos;
	/* A file followed from empty (its format named) gets its byte
	 * order mark only now. */
	reader_skip_bom(r);
}

/* How much of a followed file its reader may read (engine_follow_give). */
static void
engine_follow_feed(struct engine_file *f)
{
	if (f->rd != NULL)
		engine_follow_give(f->rd, f->src->data, f->src->len,
				   f->follow_ended);
}

/* Nothing more is appended to a followed file: its writer is done, or it
 * was replaced or truncated. */
static void
engine_follow_end(struct engine_file *f)
{
	f->follow_ended = 1;
	if (f->follow_spill >= 0)
		close(f->follow_spill);	/* its mapping stays */
	f->follow_spill = -1;
	engine_follow_feed(f);
}

static void
engine_live_free(struct engine_live *l)
{
	if (l == NULL)
		return;
	engine_reader_free(l->r);
	free(l->raw);
	strbuf_free(&l->out);
	free(l);
}

/* Keeps the state of the conversion r of file f, which read it to its
 * end for now (READER_PAUSE), for following it later (F): the input's
 * bytes from r->pos on are read again then. Frees r's spill. */
static void
engine_live_keep(struct engine_file *f, struct reader *r)
{
	struct engine_live *l = xcalloc(1, sizeof *l);

	if (r->spill != NULL) {
		spill_free(r->spill);
		free(r->spill);
		r->spill = NULL;
	}
	l->at = r->pos;
	l->redo = r->redo;
	l->redo_bytes = r->redo_bytes;
	l->redo_warnings = r->redo_warnings;
	r->redo = 0;
	l->raw = xgrow(NULL, &l->cap, 65536, 1);
	r->data = l->raw;
	r->len = r->pos = 0;
	r->mapped = 0;
	r->released = 0;
	l->r = r;
	strbuf_init(&l->out);
	f->live = l;
}

/* Appends n bytes of canonical records to file f's (a followed buffer). */
static void
engine_live_append(struct engine *e, struct engine_file *f, const char *p,
		   size_t n)
{
	size_t room, k;
	char *buf;

	while (n > 0) {
		buf = engine_follow_room(e, f, &room);
		k = n < room ? n : room;
		memcpy(buf, p, k);
		engine_follow_grew(e, f, k);
		p += k;
		n -= k;
	}
}

/* Converts what is whole of file i's live input (with end, all of it: the
 * input is over), a chunk at a time, appending the records to its own;
 * keeps the bytes left over. A conversion that fails (the input cannot
 * be read, or ended without a message) is said as a warning about the
 * file, which is then unreadable, and ends it. 1 when records came or it
 * ended. */
static int
engine_live_convert(struct engine *e, size_t i, int end)
{
	struct engine_file *f = &e->files[i];
	struct engine_live *l = f->live;
	struct reader *r = l->r;
	size_t total = r->len, chunk = ENGINE_LIVE_CHUNK, before, n;
	int rc = 0, last, changed = end;
	char *err = NULL;

	do {
		before = r->pos;
		last = total - r->pos <= chunk;
		r->len = last ? total : r->pos + chunk;
		rc = f->fmt->more(r, &l->out, end && last, &err);
		engine_take_warnings(e, (uint16_t)i, r);
		if (f->inner == NULL)	/* syslog: the log inside, once told */
			f->inner = r->inner;
		changed |= l->out.len > 0;
		engine_live_append(e, f, l->out.buf, l->out.len);
		l->out.len = 0;
		/* A unit longer than the chunk: take more at once. */
		if (!last && r->pos == before)
			chunk *= 2;
	} while (rc == 0 && !last);
	r->len = total;
	if (rc < 0 || end) {
		if (rc < 0) {
			f->unreadable = f->nmsgs == 0;
			engine_warn(e, i, 0, err != NULL ? err :
				    xstrdup("cannot be read"));
			/* Nothing more of it is read. */
			if (f->follow_fd >= 0 && f->follow_fd != STDIN_FILENO)
				close(f->follow_fd);
			f->follow_fd = -1;
			f->follow_ended = 1;
		}
		/* Nothing more is converted: the state is gone. */
		free(l->raw);
		l->raw = NULL;
		l->cap = 0;
		r->data = NULL;
		r->pos = r->len = 0;
		return 1;
	}
	/* Only what is not converted yet is kept, on the heap. */
	n = r->len - r->pos;
	if (r->data == l->raw) {
		memmove(l->raw, l->raw + r->pos, n);
	} else {
		l->raw = xgrow(l->raw, &l->cap, n + 1, 1);
		memcpy(l->raw, r->data + r->pos, n);
	}
	r->data = l->raw;
	r->len = n;
	r->pos = 0;
	r->mapped = 0;
	r->released = 0;
	return changed;
}

/* File i, whose format converts it as it comes, is followed: its bytes so
 * far are converted now, and its canonical records kept in a buffer that
 * grows (engine_follow_copy), the canonical reader following them. */
static void
engine_live_start(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];
	struct source *in = f->src, *c = xcalloc(1, sizeof *c);
	struct engine_live *l = xcalloc(1, sizeof *l);

	c->path = xstrdup(in->path);
	c->data = xstrdup("");
	f->src = c;
	f->canon = 1;
	engine_follow_copy(e, f, NULL, 0);
	l->r = reader_new(f->fmt, in->data, in->len);
	l->r->mapped = in->mapped;
	l->at = in->len;
	strbuf_init(&l->out);
	f->live = l;
	engine_live_convert(e, i, 0);
	/* The descriptor of a pipe is follow_fd's now. */
	in->pending = 0;
	source_free(in);
}

/* Converts file i whole at once after all (it was to be followed as it
 * came, and cannot be): as engine_xf_take() takes a conversion in. */
static void
engine_live_whole(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];
	struct reader *r = engine_transform_reader(e, f);
	struct strbuf out;
	size_t before = f->src->len;
	char *err = NULL;
	int rc;

	strbuf_init(&out);
	rc = f->fmt->transform(r, &out, &err);
	if (engine_transform_end(e, i, r, rc, &out, 0, &err) < 0) {
		engine_replace_src(f, xstrdup(""), 0, 0, 0);
		f->canon = 1;
		f->unreadable = 1;
		engine_warn(e, i, 0, err);
	}
	e->total_bytes = e->total_bytes - before + f->src->len;
}

/* File i, converted as it comes by a format that reads what waits only
 * for what may follow as at the end for now (rd_format quiet), has not
 * grown for the quiet period (engine_set_follow_quiet): that is read so,
 * once, and taken back when more comes (engine_live_redo), as a followed
 * file's last line is read once quiet. 1 when records came. */
static int
engine_live_quiet(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];
	struct engine_live *l = f->live;
	struct reader *r = l->r;
	size_t before = f->src->len;
	char *err = NULL;
	int taken;

	if (!f->fmt->quiet || f->follow_quiet || f->follow_ended ||
	    elapsed_ns(&f->follow_grew_at) <
		    (long)e->follow_quiet_ms * 1000000L)
		return 0;
	f->follow_quiet = 1;
	/* What is still to be taken back (F while the file was read beside
	 * the viewer) is, first: it is read again here. */
	taken = l->redo;
	engine_live_redo(e, i);
	if (f->fmt->more(r, &l->out, READER_QUIET, &err) < 0) {
		/* Not for READER_QUIET; as the next reading would say. */
		free(err);
		return 0;
	}
	engine_take_warnings(e, (uint16_t)i, r);
	engine_live_append(e, f, l->out.buf, l->out.len);
	l->out.len = 0;
	l->redo = r->redo;
	l->redo_bytes = r->redo_bytes;
	l->redo_warnings = r->redo_warnings;
	r->redo = 0;
	engine_follow_feed(f);
	return taken || f->src->len != before || l->redo_warnings > 0;
}

/* Reads what file i's live input gained (a pipe: what it has now, up to
 * ENGINE_LIVE_CHUNK; a file: what was appended) and converts it. A pipe
 * at its end, or a file that is to be read no more (ended: replaced or
 * truncated), is converted to its end. 1 when records came or it ended. */
static int
engine_live_read(struct engine *e, size_t i, int ended)
{
	struct engine_file *f = &e->files[i];
	struct engine_live *l = f->live;
	struct pollfd pfd = { .fd = f->follow_fd, .events = POLLIN };
	struct reader *r = l->r;
	size_t got = 0;
	ssize_t n;

	while (!ended && got < ENGINE_LIVE_CHUNK &&
	       (!f->follow_pipe || poll(&pfd, 1, 0) > 0)) {
		l->raw = xgrow(l->raw, &l->cap, r->len + 65536, 1);
		r->data = l->raw;
		n = f->follow_pipe ?
			read(f->follow_fd, l->raw + r->len, 65536) :
			pread(f->follow_fd, l->raw + r->len, 65536,
			      (off_t)l->at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && f->follow_pipe)
			engine_warn(e, i, 0, xasprintf("read failed after "
				    "%llu bytes (%s): what was read before is "
				    "shown", (unsigned long long)l->at,
				    strerror(errno)));
		if (n <= 0) {
			if (f->follow_pipe) {
				/* Its end (or an error, taken as one). */
				if (f->follow_fd != STDIN_FILENO)
					close(f->follow_fd);
				f->follow_fd = -1;
				ended = 1;
			}
			break;
		}
		r->len += (size_t)n;
		l->at += (uint64_t)n;
		got += (size_t)n;
	}
	if (r->data == NULL)	/* converted to its end before */
		return 0;
	if (got == 0 && !ended)
		return engine_live_quiet(e, i);
	engine_follow_touch(f);
	/* What was read as at the end while it was quiet comes again. */
	engine_live_redo(e, i);
	n = engine_live_convert(e, i, ended);
	if (ended)
		engine_follow_end(f);
	else
		engine_follow_feed(f);
	return n > 0 || ended;
}

/* Appends what a followed pipe has now; at its end the file is no longer
 * followed (follow_ended). 1 when it grew or ended. */
static int
engine_follow_read_pipe(struct engine *e, struct engine_file *f)
{
	struct pollfd pfd = { .fd = f->follow_fd, .events = POLLIN };
	char *buf;
	int changed = 0;
	size_t room;
	ssize_t n;

	while (poll(&pfd, 1, 0) > 0) {
		buf = engine_follow_room(e, f, &room);
		n = read(f->follow_fd, buf, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)	/* what came before is kept: say where */
			engine_warn(e, (size_t)(f - e->files), 0,
				    source_read_failed(f->src->data, f->src->len,
						       errno));
		if (n <= 0) {
			/* Its end (or an error, taken as one). */
			if (f->follow_fd != STDIN_FILENO)
				close(f->follow_fd);
			f->follow_fd = -1;
			engine_follow_end(f);
			return 1;
		}
		engine_follow_grew(e, f, (size_t)n);
		changed = 1;
	}
	engine_follow_feed(f);
	return changed;
}

void
engine_wait(const struct engine *e, int ms)
{
	struct pollfd few[16], *pfd = few;
	size_t i;
	nfds_t n = 0;

	for (i = 0; i < e->nfiles; i++)
		n += e->files[i].follow_pipe && e->files[i].follow_fd >= 0;
	if (n == 0) {
		struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000 };

		nanosleep(&t, NULL);
		return;
	}
	if (n > sizeof few / sizeof few[0])
		pfd = xcalloc(n, sizeof *pfd);
	for (i = 0, n = 0; i < e->nfiles; i++) {
		if (e->files[i].follow_pipe && e->files[i].follow_fd >= 0) {
			pfd[n].fd = e->files[i].follow_fd;
			pfd[n++].events = POLLIN;
		}
	}
	(void)poll(pfd, n, ms);
	if (pfd != few)
		free(pfd);
}

/* Appends what fd holds past the buffer's end; 1 when it grew. */
static int
engine_follow_read(struct engine *e, struct engine_file *f)
{
	char *buf;
	int grew = 0;
	size_t room;
	ssize_t n;
	struct stat st;

	if (f->follow_pipe)
		return engine_follow_read_pipe(e, f);
	if (f->follow_mapped) {
		if (fstat(f->follow_fd, &st) < 0 ||
		    (uintmax_t)st.st_size <= (uintmax_t)f->src->len ||
		    (uintmax_t)st.st_size > (uintmax_t)SIZE_MAX ||
		    source_remap(f->src, (size_t)st.st_size) < 0)
			return 0;
		engine_follow_feed(f);
		engine_follow_mark_end(f);
		return 1;
	}

	for (;;) {
		buf = engine_follow_room(e, f, &room);
		n = pread(f->follow_fd, buf, room, (off_t)f->src->len);
		if (n <= 0)
			break;
		engine_follow_grew(e, f, (size_t)n);
		grew = 1;
	}
	engine_follow_feed(f);
	return grew;
}

/* Whether the n bytes of a followed file at offset at are no longer those
 * read (was), or cannot be read. */
static int
engine_follow_differs(const struct engine_file *f, size_t at, size_t n,
		      const char *was)
{
	char now[ENGINE_FOLLOW_WINDOW];

	return pread(f->follow_fd, now, n, (off_t)at) != (ssize_t)n ||
	       memcmp(now, was, n) != 0;
}

/* A file truncated and written again to its old size or past it cannot be
 * told by its size: compare its first and last bytes read with what the
 * file holds there (ENGINE_FOLLOW_WINDOW). */
static int
engine_follow_rewritten(const struct engine_file *f)
{
	size_t len = f->src->len;
	size_t n = len < ENGINE_FOLLOW_WINDOW ? len : ENGINE_FOLLOW_WINDOW;

	if (n == 0)
		return 0;
	if (f->follow_mapped) {	/* the mapping shows what is there now */
		if (f->follow_win == NULL || f->follow_nhead != n ||
		    f->follow_nend != n)
			return 1;
		return engine_follow_differs(f, 0, n, f->follow_win) ||
		       (len > n && engine_follow_differs(f, len - n, n,
			    f->follow_win + ENGINE_FOLLOW_WINDOW));
	}
	return engine_follow_differs(f, 0, n, f->src->data) ||
	       (len > n && engine_follow_differs(f, len - n, n,
						 f->src->data + len - n));
}

/* After a look at a followed file that grew or not: 1 when its end, a
 * last line without its line break or a record its reader waits on, has
 * just been quiet long enough to be read as complete (engine_next_tail). */
static int
engine_follow_quiet_now(const struct engine *e, struct engine_file *f,
			int grew)
{
	if (grew) {
		engine_follow_touch(f);
		return 0;
	}
	if (f->follow_quiet || f->follow_ended || f->rd == NULL ||
	    f->src->len == 0 ||
	    (f->src->data[f->src->len - 1] == '\n' &&
	     f->rd->pos >= f->src->len) ||
	    f->follow_tail.tried == f->src->len ||
	    elapsed_ns(&f->follow_grew_at) < (long)e->follow_quiet_ms * 1000000L)
		return 0;
	f->follow_quiet = 1;
	return 1;
}

int
engine_poll(struct engine *e)
{
	size_t i, n = e->nfiles;
	int any = 0;

	for (i = 0; i < n; i++) {
		struct engine_file *f = &e->files[i];
		struct stat now, byname;
		const char *why = NULL;
		char *path, *err = NULL;
		int fileno, truncated = 0, done, grew = 0;

		if (f->follow_fd < 0 || f->follow_ended)
			continue;
		if (f->live != NULL && f->follow_pipe) {
			any |= engine_live_read(e, i, 0);
			continue;
		}
		if (f->follow_pipe) {
			grew = engine_follow_read(e, f);
			any |= grew | engine_follow_quiet_now(e, f, grew);
			continue;
		}
		if (fstat(f->follow_fd, &now) < 0)
			continue;
		if (f->live != NULL ?
			    (uint64_t)now.st_size < f->live->at :
			    ((size_t)now.st_size < f->src->len ||
			     engine_follow_rewritten(f))) {
			why = "truncated";
			truncated = 1;
		} else if (!f->follow_noname &&
			   stat(f->src->path, &byname) == 0 &&
			   ((uint64_t)byname.st_ino != f->follow_ino ||
			    (uint64_t)byname.st_dev != f->follow_dev))
			why = "replaced (rotated)";
		/* What the writer added before a rotation still counts. */
		if (!truncated)
			any |= grew = f->live != NULL ? engine_live_read(e, i, 0) :
					 engine_follow_read(e, f);
		if (why == NULL) {
			if (f->live == NULL)
				any |= engine_follow_quiet_now(e, f, grew);
			continue;
		}
		/* A capture read no more: what it holds back is written. */
		if (f->live != NULL)
			engine_live_read(e, i, 1);
		if (f->follow_noname) {
			/* Standard input cannot be opened again. */
			engine_follow_end(f);
			f->rewritten = truncated;
			close(f->follow_fd);
			f->follow_fd = -1;
			engine_warn(e, i, 0, xasprintf("%s: standard input "
				    "cannot be read again, not followed further",
				    why));
			any = 1;
			continue;
		}
		path = xstrdup(f->src->path);
		engine_follow_end(f);
		f->rewritten = truncated;
		close(f->follow_fd);
		f->follow_fd = -1;
		if (stat(path, &byname) == 0 && !S_ISREG(byname.st_mode)) {
			/* Opening a named pipe in its place would wait. */
			engine_warn(e, i, 0, xasprintf("%s by something that "
				    "is not a regular file: not followed", why));
			free(path);
			any = 1;
			continue;
		}
		/* Messages that arrive while following are appended in arrival
		 * order: a second merge would renumber what is on screen. */
		done = e->done;
		fileno = engine_open_file(e, path, f->fmt->name, &err);
		e->done = done;
		f = &e->files[i];	/* the table may have moved */
		if (fileno < 0) {
			engine_warn(e, i, 0, xasprintf("%s, and cannot be read "
							"again: %s", why, err));
			free(err);
		} else {
			engine_warn(e, (size_t)fileno, 0,
				    xasprintf("%s: reading it again from its start",
					      why));
			any = 1;
		}
		free(path);
	}
	any |= engine_poll_awaited(e);
	any |= engine_expire_waits(e);
	return any;
}

int
engine_add_mem(struct engine *e, const char *name, const char *data,
	       size_t len, const char *format, char **err)
{
	return engine_note_refused(e, engine_add_source(e, source_from_mem(name,
				   data, len), format, err), err);
}

static void
engine_touch(struct engine *e, uint32_t d)
{
	size_t old = e->capmark;

	if (d >= e->capmark) {
		e->mark = xgrow(e->mark, &e->capmark, (size_t)d + 1, 1);
		memset(e->mark + old, 0, e->capmark - old);
	}
	if (e->mark[d])
		return;
	e->mark[d] = 1;
	e->touched = xgrow(e->touched, &e->captouched, e->ntouched + 1,
			   sizeof *e->touched);
	e->touched[e->ntouched++] = d;
}

/* Bytes lo to hi of file f were read again (engine_message): those of the
 * pages given back are noted, to be given back again. */
static void
engine_note_reread(const struct engine_file *cf, size_t lo, size_t hi)
{
	/* The engine is const to the readers of messages; what they touch
	 * of the file's pages is bookkeeping of its memory. */
	struct engine_file *f = (struct engine_file *)(uintptr_t)cf;

	if (lo >= f->dropped || !f->src->mapped)
		return;
	if (f->reread_hi <= f->reread_lo) {
		f->reread_lo = lo;
		f->reread_hi = hi;
		return;
	}
	if (lo < f->reread_lo)
		f->reread_lo = lo;
	if (hi > f->reread_hi)
		f->reread_hi = hi;
}

/* Rating a dialog reads its messages again, far behind the indexing of a
 * large log, and the pages they are on would otherwise stay in memory to
 * the end (peak RSS of a 100 MB log: 107 MiB instead of 13); a search or
 * a listing reads all of them. */
void
engine_give_back(struct engine *e)
{
	struct engine_file *f;
	size_t i, lo, hi;

	for (i = 0; i < e->nfiles; i++) {
		f = &e->files[i];
		if (f->reread_hi <= f->reread_lo)
			continue;
		/* Never memory that is not a file mapping (a log copied to
		 * the heap): its bytes would be lost. */
		if (!f->src->mapped) {
			f->reread_lo = f->reread_hi = 0;
			continue;
		}
		/* A page cache of large folios maps a whole folio where one
		 * of its pages is read: all of it goes. */
		lo = f->reread_lo - f->reread_lo % ENGINE_FOLIO_BYTES;
		hi = f->reread_hi + ENGINE_FOLIO_BYTES - 1;
		hi -= hi % ENGINE_FOLIO_BYTES;
		(void)pages_release(f->src->data, lo,
				    hi < f->dropped ? hi : f->dropped, 0);
		f->reread_lo = f->reread_hi = 0;
	}
}

static int engine_touch_trace_ends(struct engine *e);
static void engine_drop_pages(struct engine_file *f, size_t upto);

static void
engine_rate_touched(struct engine *e)
{
	size_t i, rated = 0;

	/* The messages rated may have moved the trace's end on: the
	 * challenges it no longer ends soon after are rated again (they
	 * are not noted again, so this ends). */
	do {
		for (i = 0; i < e->ntouched; i++) {
			if (e->rules != NULL)
				rules_rate_dialog(e->rules, e, e->touched[i]);
			rated += dialogs_get(e->ds, e->touched[i])->nmsgs;
			e->mark[e->touched[i]] = 0;
			if (i % ENGINE_REREAD_EVERY == ENGINE_REREAD_EVERY - 1)
				engine_give_back(e);
		}
		e->ntouched = 0;
	} while (engine_touch_trace_ends(e));
	engine_give_back(e);
	for (i = 0; i < e->nfiles; i++)
		engine_drop_pages(&e->files[i], e->files[i].indexed);
	e->unrated = 0;
	e->rate_gap = rated / 2 < ENGINE_RATE_MIN ? ENGINE_RATE_MIN :
		      rated / 2 > ENGINE_RATE_EVERY ? ENGINE_RATE_EVERY :
		      rated / 2;
}

/* Whether a step the budget cut short in the middle of the files rates
 * the dialogs that grew: when the records since the last rating are as
 * many as its gap, or at least half the messages it would read. Rating
 * after every step of the viewer's slices of 2000 records read a dialog
 * of 120,000 messages whole each time (1.9 s of CPU instead of 0.6 s). */
static int
engine_rating_due(const struct engine *e)
{
	size_t i, work = 0;

	if (e->unrated >= e->rate_gap)
		return 1;
	for (i = 0; i < e->ntouched && work <= 2 * e->unrated; i++)
		work += dialogs_get(e->ds, e->touched[i])->nmsgs;
	return work <= 2 * e->unrated;
}

/* Message id, just committed from file f, its record ending at byte end,
 * came now: noted when it came while following (what a file held when
 * following began is no news; all a pipe gives is). */
static void
engine_note_fresh(struct engine *e, const struct engine_file *f, uint32_t id,
		  size_t end)
{
	struct engine_fresh *last;

	if (f->follow_fd < 0 || end <= f->fresh_from)
		return;
	last = e->nfresh > 0 ? &e->fresh[e->nfresh - 1] : NULL;
	if (last != NULL && elapsed_ns(&last->at) < ENGINE_FRESH_NS)
		return;
	e->fresh = xgrow(e->fresh, &e->capfresh, e->nfresh + 1,
			 sizeof *e->fresh);
	e->fresh[e->nfresh].id = id;
	clock_gettime(CLOCK_MONOTONIC, &e->fresh[e->nfresh].at);
	e->nfresh++;
}

int
engine_answers_awaited(const struct engine *e)
{
	return e->nfresh > 0 && !e->follow_paused && e->answer_wait_ms > 0;
}

/* engine_answer_awaited() at the time now (CLOCK_MONOTONIC): read once
 * for all the waits engine_expire_waits() looks at. */
static int
engine_awaited_at(const struct engine *e, uint32_t id,
		  const struct timespec *now)
{
	const struct msg *m = msgindex_get(e->ix, id);
	const struct engine_file *f;
	size_t lo = 0, hi = e->nfresh, mid;
	const struct timespec *at;

	if (m == NULL || e->follow_paused || e->answer_wait_ms == 0 ||
	    m->file >= e->nfiles)
		return 0;
	f = &e->files[m->file];
	if (f->follow_fd < 0 || f->follow_ended)
		return 0;
	/* The last note at or before id: when it came. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->fresh[mid].id <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	at = &e->fresh[lo - 1].at;
	return (now->tv_sec - at->tv_sec) * 1000000000L +
	       (now->tv_nsec - at->tv_nsec) <
	       (long)e->answer_wait_ms * 1000000L;
}

int
engine_answer_awaited(const struct engine *e, uint32_t id)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return engine_awaited_at(e, id, &now);
}

/* Notes message id of dialog d in *v (*n of them, room for *cap), once. */
static void
engine_note_wait(struct engine_answer_wait **v, size_t *n, size_t *cap,
		 uint32_t d, uint32_t id)
{
	size_t lo = 0, hi = *n, mid;

	/* Kept in order of message id, which is how they come (a message is
	 * rated when it is read, its dialog again and again after): a
	 * lookup, not a scan of them all for every request read. Every
	 * request awaits its response, and a busy log followed has tens of
	 * thousands within the wait. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((*v)[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < *n && (*v)[lo].id == id) {
		(*v)[lo].d = d;
		return;
	}
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	memmove(*v + lo + 1, *v + lo, (*n - lo) * sizeof **v);
	(*v)[lo].d = d;
	(*v)[lo].id = id;
	(*n)++;
}

void
engine_note_answer_awaited(struct engine *e, uint32_t d, uint32_t id)
{
	engine_note_wait(&e->waits, &e->nwaits, &e->capwaits, d, id);
}

/* Whether the trace read so far ends soon after message m (id), a
 * challenge or a request left unanswered: it goes on for no more than
 * ENGINE_TRACE_END_US after it (of one without a time: nothing comes after
 * it), and nothing after it, out of its own dialog, is of the end that
 * would answer: from or to the end it was sent to, or from its From (the
 * same user on another Call-ID, or another connection). That end came
 * back without answering otherwise (a request's From is the asking side:
 * the same user seen again leaves it unanswered too, to be safe). A
 * trace that goes on for more than ENGINE_TRACE_END_SCAN messages does
 * not end soon after it (and a flood of them costs no more). */
static int
engine_trace_near_end(const struct engine *e, const struct msg *m,
		      uint32_t id, size_t from)
{
	size_t n = msgindex_count(e->ix), i;
	struct msg_kept k, o;
	uint32_t d;

	if (m->time == TIME_NONE)
		return id + 1 >= n;
	if (e->time_last != TIME_NONE &&
	    e->time_last - m->time > ENGINE_TRACE_END_US)
		return 0;
	if (n - id - 1 > ENGINE_TRACE_END_SCAN)
		return 0;
	engine_msg_kept(e, id, &k);
	d = dialogs_of(e->ds, m);
	/* From the first message not looked at yet (from: those before it
	 * were, when it was rated or last looked at). */
	for (i = from > (size_t)id + 1 ? from : (size_t)id + 1; i < n; i++) {
		const struct msg *x = msgindex_get(e->ix, (uint32_t)i);

		if (d != NO_DIALOG && dialogs_of(e->ds, x) == d)
			continue;
		engine_msg_kept(e, (uint32_t)i, &o);
		if ((k.dst != 0 && (o.src == k.dst || o.dst == k.dst)) ||
		    (k.from != 0 && o.from == k.from))
			return 0;
	}
	return 1;
}

int
engine_trace_ends_after(const struct engine *e, uint32_t id)
{
	const struct msg *m = msgindex_get(e->ix, id);
	const struct engine_file *f;

	if (m == NULL || m->file >= e->nfiles)
		return 0;
	f = &e->files[m->file];
	/* Read live, the answer would show as it comes: awaited, then
	 * unanswered (engine_answer_awaited). */
	if (f->follow_fd >= 0 && !f->follow_ended && !e->follow_paused)
		return 0;
	return engine_trace_near_end(e, m, id, 0);
}

void
engine_note_trace_end(struct engine *e, uint32_t d, uint32_t id)
{
	engine_note_wait(&e->ends, &e->nends, &e->capends, d, id);
}

/* Notes in m that a message of dialog value v (its dialog + 1, UINT32_MAX
 * for none) names key; UINT32_MAX once messages of several do. */
static void
engine_trace_key(struct idmap *m, uint32_t key, uint32_t v)
{
	uint32_t old;

	if (key == 0)
		return;
	old = idmap_get(m, key);
	if (old == 0)
		idmap_put(m, key, v);
	else if (old != v)
		idmap_put(m, key, UINT32_MAX);
}

/* Whether key is named in m by a message out of dialog value dv. */
static int
engine_trace_other(const struct idmap *m, uint32_t key, uint32_t dv)
{
	uint32_t v = key != 0 ? idmap_get(m, key) : 0;

	return v != 0 && v != dv;
}

/* The dialogs of challenges and requests rated as left so by the trace's
 * end that the trace now goes on past are touched, to be rated again; whether any
 * was. (Not whether the input is read live: one noted while it was not
 * stays so until the trace goes on, though following goes on.) Each
 * looks at the messages since the last look only, through the ends and
 * From URIs they name: a flood of challenges left unanswered by as many
 * clients costs no scan of the trace's end for each. */
static int
engine_touch_trace_ends(struct engine *e)
{
	size_t i, k, seen = e->ends_seen, n = msgindex_count(e->ix);
	struct idmap ends = { 0 }, froms = { 0 };
	struct msg_kept o;
	int any = 0;

	/* Nothing came since the last look. */
	if (seen == n || e->nends == 0) {
		e->ends_seen = n;
		return 0;
	}
	e->ends_seen = n;
	for (i = seen; i < n; i++) {
		const struct msg *x = msgindex_get(e->ix, (uint32_t)i);
		uint32_t d = dialogs_of(e->ds, x);
		uint32_t v = d == NO_DIALOG ? UINT32_MAX : d + 1;

		engine_msg_kept(e, (uint32_t)i, &o);
		engine_trace_key(&ends, o.src, v);
		engine_trace_key(&ends, o.dst, v);
		engine_trace_key(&froms, o.from, v);
	}
	for (i = k = 0; i < e->nends; i++) {
		uint32_t id = e->ends[i].id, d, dv;
		const struct msg *m = msgindex_get(e->ix, id);
		int near = m != NULL && engine_trace_near_end(e, m, id, n);

		/* Rated since the last look (near_end looked to the end):
		 * as it was rated. Otherwise, of the messages since. */
		if (near && id >= seen) {
			e->ends[k++] = e->ends[i];
			continue;
		}
		if (near) {
			engine_msg_kept(e, id, &o);
			d = dialogs_of(e->ds, m);
			dv = d == NO_DIALOG ? 0 : d + 1;
			near = !engine_trace_other(&ends, o.dst, dv) &&
			       !engine_trace_other(&froms, o.from, dv);
		}
		if (near) {
			e->ends[k++] = e->ends[i];
			continue;
		}
		engine_touch(e, e->ends[i].d);
		any = 1;
	}
	e->nends = k;
	idmap_free(&ends);
	idmap_free(&froms);
	return any;
}

/* The dialogs of challenges that no longer await their answer (it did not
 * come in time, or their input is no longer followed) are rated again;
 * notes older than any wait are let go. 1 when any was. */
static int
engine_expire_waits(struct engine *e)
{
	struct timespec now;
	size_t i, k, keep;
	int any = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = k = 0; i < e->nwaits; i++) {
		if (engine_awaited_at(e, e->waits[i].id, &now)) {
			e->waits[k++] = e->waits[i];
			continue;
		}
		engine_touch(e, e->waits[i].d);
		any = 1;
	}
	e->nwaits = k;
	/* The last note older than a wait still dates the ids after it. */
	for (keep = 0; keep + 1 < e->nfresh &&
	     elapsed_ns(&e->fresh[keep + 1].at) >=
	     (long)e->answer_wait_ms * 1000000L; keep++)
		;
	if (keep > 0) {
		memmove(e->fresh, e->fresh + keep,
			(e->nfresh - keep) * sizeof *e->fresh);
		e->nfresh -= keep;
	}
	if (any)
		engine_rate_touched(e);
	return any;
}

void
engine_follow_pause(struct engine *e, int paused)
{
	e->follow_paused = paused;
	if (paused)
		engine_expire_waits(e);
}

/* The transport of the top Via ("SIP/2.0/TLS host" -> "TLS"). */
static struct span
engine_via_transport(const struct sipmsg *m)
{
	const struct sip_header *h = sipmsg_find(m, HDR_VIA, 0);
	struct span v, t;
	size_t i, slash = 0;

	if (h == NULL)
		return SPAN_NULL;
	v = h->value;
	for (i = 0; i < v.n && v.p[i] != ' ' && v.p[i] != '\t'; i++) {
		if (v.p[i] == '/')
			slash = i + 1;
	}
	if (slash == 0 || slash >= i)
		return SPAN_NULL;
	t.p = v.p + slash;
	t.n = i - slash;
	return t;
}

struct span
engine_transport(const struct rd_record *rec, const struct sipmsg *m,
		 char *buf, size_t bufsz)
{
	struct span t = rec->transport.n > 0 ? rec->transport :
			m != NULL ? engine_via_transport(m) : SPAN_NULL;
	const struct sip_header *h;
	size_t i;

	/* A diagnostic event's own Transport: field (a CLS TF_CONNECTION
	 * record's "Transport: TLS"), not a Via it may quote. */
	if (rec->kind == REC_DIAG)
		t = rec->transport.n > 0 ? rec->transport : m != NULL &&
		    (h = sipmsg_find_name(m, "Transport", 0)) != NULL ?
		    span_trim(h->value) : SPAN_NULL;
	if (t.n == 0 || t.n > bufsz)
		return t;
	for (i = 0; i < t.n; i++)
		buf[i] = (t.p[i] >= 'a' && t.p[i] <= 'z') ? t.p[i] - 32 : t.p[i];
	t.p = buf;
	return t;
}

/* What indexing takes from one record before anything is interned: the
 * message's fixed fields, and the strings that become its ids. Filling it
 * touches nothing shared, so a second thread may do it (engine_run). */
enum {
	PRE_SRC, PRE_DST, PRE_CALL_ID, PRE_METHOD, PRE_RURI, PRE_FROM, PRE_TO,
	PRE__COUNT
};

struct engine_pre {
	struct msg x;			/* all but the interned ids */
	uint32_t method;		/* interned by engine_intern_pre */
	uint32_t len;			/* the record's length */
	uint32_t line;			/* the record's first line */
	int far;			/* at MSG_OFF_LIMIT or past it */
	struct span s[PRE__COUNT];	/* the strings of those ids */
	/* A message joined from pieces (RECF_JOINED): its text. */
	struct span joined[3];		/* start, hdrs, body */
	unsigned rec_flags;		/* then the record's RECF_* */
	size_t end;			/* offset after the record */
	uint32_t bad_line;		/* line of its first bad header, 0 */
};

static uint32_t
engine_intern_upper(struct engine *e, struct span s)
{
	char buf[16];
	size_t i;

	if (s.n == 0 || s.n > sizeof buf)
		return intern_add(e->strs, s.p, s.n);
	for (i = 0; i < s.n; i++)
		buf[i] = (s.p[i] >= 'a' && s.p[i] <= 'z') ? s.p[i] - 32 : s.p[i];
	return intern_add(e->strs, buf, s.n);
}

/* The diagnostic event fields a server log gives by name. */
static void
engine_prep_diag(const struct sipmsg *m, struct engine_pre *pre)
{
	const struct sip_header *h;
	struct span cseq;
	size_t i;

	if ((h = sipmsg_find_name(m, "SIP-Call-ID", 0)) != NULL)
		pre->s[PRE_CALL_ID] = h->value;
	if ((h = sipmsg_find_name(m, "SIP-CSeq", 0)) != NULL) {
		cseq = h->value;
		for (i = 0; i < cseq.n && cseq.p[i] >= '0' && cseq.p[i] <= '9'; i++)
			pre->x.cseq = pre->x.cseq * 10 + (uint32_t)(cseq.p[i] - '0');
		cseq.p += i;
		cseq.n -= i;
		pre->s[PRE_METHOD] = span_trim(cseq);
	}
}

/* The line of the file at p, a line of record rec: counted from the
 * record's first line when p is among the record's bytes in the file;
 * else (a span a reader built) the record's own line. */
static uint32_t
engine_bad_line(const struct engine_file *f, const struct rd_record *rec,
		const char *p)
{
	const char *q = f->src->data + rec->off, *nl;
	uint32_t line = rec->line;

	if (rec->line == 0 || rec->off > f->src->len ||
	    rec->len > f->src->len - rec->off || p < q || p >= q + rec->len)
		return rec->line;
	while ((nl = memchr(q, '\n', (size_t)(p - q))) != NULL) {
		q = nl + 1;
		line++;
	}
	return line;
}

/* A bad header line, as FILE:LINE: like the reader's warnings, and as
 * bounded: the one after the last says so. */
#define ENGINE_MAX_BAD_HEADERS 100000

static void
engine_warn_bad_header(struct engine *e, const struct engine_pre *pre)
{
	struct engine_file *f = &e->files[pre->x.file];

	if (pre->bad_line == 0 || f->nbad_headers > ENGINE_MAX_BAD_HEADERS ||
	    (f->shrank_warned && pre->bad_line >= f->shrank_line))
		return;
	if (f->nbad_headers++ == ENGINE_MAX_BAD_HEADERS)
		engine_warn(e, pre->x.file, 0, xstrdup("further bad header "
			    "lines not listed"));
	else
		engine_warn(e, pre->x.file, pre->bad_line,
			    xstrdup("bad header line (kept, flagged)"));
}

/* Parses the record into pre. Thread-safe: reads only the record, the
 * rules (const) and the file's offset. */
static void
engine_prep(const struct rules *rules, const struct engine_file *f,
	    uint16_t fileno, const struct rd_record *rec, struct engine_pre *pre)
{
	struct msg *x = &pre->x;
	struct sipmsg m;

	memset(pre, 0, sizeof *pre);
	pre->end = rec->off + rec->len;
	pre->far = rec->off >= MSG_OFF_LIMIT;
	x->off = rec->off;
	pre->len = rec->len > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->len;
	pre->line = rec->line;
	x->time = msg_time_fit(rec->time == TIME_NONE ? TIME_NONE :
			       rec->time + f->offset);
	x->time_prec = (uint8_t)((rec->time_prec & 0x3f) |
				 (rec->has_date ? MSG_TIME_HAS_DATE :
				  rec->tod_only ? MSG_TIME_TOD : 0));
	x->file = fileno;
	x->dir = (uint8_t)rec->dir;
	if (rec->flags & RECF_JOINED) {
		pre->rec_flags = rec->flags;
		pre->joined[0] = rec->start;
		pre->joined[1] = rec->hdrs;
		pre->joined[2] = rec->body;
	}
	pre->s[PRE_SRC] = rec->src;
	pre->s[PRE_DST] = rec->dst;

	/* An event is read by header names: all of them are needed. */
	if (rec->kind == REC_DIAG)
		sipmsg_parse(&m, rec->start, rec->hdrs, rec->body);
	else
		sipmsg_parse_index(&m, rec->start, rec->hdrs, rec->body);
	if (rec->kind == REC_DIAG) {
		x->kind = MSG_DIAG;
		x->flags = (uint8_t)rec->flags;
		engine_prep_diag(&m, pre);
	} else {
		x->kind = m.kind == SIP_REQUEST ? MSG_REQUEST :
			  m.kind == SIP_RESPONSE ? MSG_RESPONSE : MSG_INVALID;
		x->flags = (uint8_t)(rec->flags | m.flags);
		if (sipmsg_other_party(&m))
			x->flags |= RECF_OTHER_PARTY;
		pre->s[PRE_CALL_ID] = m.call_id;
		/* A request's method as written; a response's CSeq method in
		 * upper case (engine_commit tells them by kind). */
		pre->s[PRE_METHOD] = m.kind == SIP_REQUEST ? m.method :
							     m.cseq_method;
		pre->s[PRE_RURI] = m.ruri;
		pre->s[PRE_FROM] = m.from.uri;
		pre->s[PRE_TO] = m.to.uri;
		x->cseq = m.cseq;
		x->status = (uint16_t)(m.status > 0 && m.status < 1000 ?
				       m.status : 0);
		/* Only a flagged message costs this. A record cut short
		 * (one being written, a log cut off) ends in a part of a
		 * line: that is said of it already. So is what damaged a
		 * converted input's message (a capture's lost segment):
		 * its converter says so, in the order it reads, live or
		 * whole; its lines are not the file's anyway. */
		if (m.bad_at != NULL && !(rec->flags & RECF_TRUNCATED) &&
		    !f->canon)
			pre->bad_line = engine_bad_line(f, rec, m.bad_at);
	}
	rules_index_message(rules, x, rec, &m);
	sipmsg_clear(&m);
}

/* pre, of file fileno, was read whole and parsed from zeros past where
 * the file was cut: it is read and parsed again up to there, as a record
 * cut short at the end of its file (the reader says so). Returns that
 * reader, whose state pre's spans may point into: free it once they are
 * interned. */
static struct reader *
engine_prep_cut(struct engine *e, uint16_t fileno, struct engine_pre *pre)
{
	const struct engine_file *f = &e->files[fileno];
	struct reader *r = reader_new(engine_rfmt(f), f->src->data,
				      f->shrank_to);
	struct rd_record rec;
	uint32_t line = pre->line;
	/* Read cut short already (its reader came to the zeros): said. */
	int said = (pre->x.flags & RECF_TRUNCATED) != 0;

	r->pos = pre->x.off;
	r->line = line;
	if (reader_next(r, &rec) && rec.off == pre->x.off) {
		engine_prep(e->rules, f, fileno, &rec, pre);
	} else {
		/* A reader that cannot restart: what is left of it. */
		pre->end = f->shrank_to;
		pre->len = (uint32_t)(f->shrank_to - pre->x.off);
		pre->x.flags |= RECF_TRUNCATED;
	}
	if (!said)
		engine_take_warnings(e, fileno, r);
	return r;
}

/* Notes string id as used for a URI (engine_uri_strings). */
static void
engine_note_uri(struct engine *e, uint32_t id)
{
	size_t w = id / 64, old = e->capuri_words;

	if (id == 0)
		return;
	if (w >= old) {
		e->uri_bits = xgrow(e->uri_bits, &e->capuri_words, w + 1,
				    sizeof *e->uri_bits);
		memset(e->uri_bits + old, 0,
		       (e->capuri_words - old) * sizeof *e->uri_bits);
	}
	if (e->uri_bits[w] & (uint64_t)1 << (id % 64))
		return;
	e->uri_bits[w] |= (uint64_t)1 << (id % 64);
	e->uris = xgrow(e->uris, &e->capuris, e->nuris + 1, sizeof *e->uris);
	e->uris[e->nuris++] = id;
}

/* The last part of a path ("-" for standard input). */
static const char *
engine_path_base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL && b[1] != '\0' ? b + 1 : path;
}

static uint32_t
engine_local_id(const struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];
	const char *base;
	char *name;

	if (f->local_id == 0) {
		size_t k, same = 0;

		base = engine_path_base(f->src->path);
		/* Logs of one name from two servers (fe1/server.log and
		 * fe2/server.log): their paths as given. */
		for (k = 0; k < e->nfiles; k++)
			same += k != i && e->files[k].fmt->names_local &&
			    strcmp(e->files[k].src->path, f->src->path) != 0 &&
			    strcmp(engine_path_base(e->files[k].src->path),
				   base) == 0;
		name = xasprintf("local(%s)", same == 0 ? base : f->src->path);
		f->local_id = intern_add(e->strs, name, strlen(name));
		free(name);
	}
	return f->local_id;
}

const char *
engine_local_name(const struct engine *e, size_t i)
{
	if (i >= e->nfiles)
		return "local";
	if (e->files[i].local_name[0] != '\0')
		return e->files[i].local_name;
	return e->local_split ? engine_str(e, engine_local_id(e, i)) : "local";
}

/* An endpoint: a reader's "local" (a server log that does not name its
 * host) is the file's own when logs of several paths are merged. */
static uint32_t
engine_intern_end(struct engine *e, struct span s, uint16_t file)
{
	if (e->local_split && s.n == 5 && memcmp(s.p, "local", 5) == 0)
		return engine_local_id(e, file);
	return intern_add(e->strs, s.p, s.n);
}

/* Interns pre's strings: its message's ids, and the URIs and endpoints
 * its dialog keeps (k). The spans must still be valid. */
static void
engine_intern_pre(struct engine *e, struct engine_pre *pre,
		  struct msg_kept *k)
{
	struct msg *x = &pre->x;
	const struct span *s = pre->s;

	k->src = engine_intern_end(e, s[PRE_SRC], x->file);
	k->dst = engine_intern_end(e, s[PRE_DST], x->file);
	x->call_id = intern_add(e->call_ids, s[PRE_CALL_ID].p,
				s[PRE_CALL_ID].n);
	pre->method = x->kind == MSG_REQUEST ?
			    intern_add(e->strs, s[PRE_METHOD].p, s[PRE_METHOD].n) :
			    engine_intern_upper(e, s[PRE_METHOD]);
	k->ruri = intern_add(e->strs, s[PRE_RURI].p, s[PRE_RURI].n);
	k->from = intern_add(e->strs, s[PRE_FROM].p, s[PRE_FROM].n);
	k->to = intern_add(e->strs, s[PRE_TO].p, s[PRE_TO].n);
	engine_note_uri(e, k->ruri);
	engine_note_uri(e, k->from);
	engine_note_uri(e, k->to);
}

static uint64_t
engine_join_key(uint16_t file, uint64_t off)
{
	return (uint64_t)file << 40 | off;
}

/* The place of key in e->joins: its entry, or where it would go. */
static size_t
engine_join_find(const struct engine *e, uint64_t key)
{
	size_t lo = 0, hi = e->njoins, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->joins[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct engine_join *
engine_join_get(const struct engine *e, const struct msg *x)
{
	uint64_t key = engine_join_key((uint16_t)x->file, x->off);
	size_t i;

	if (e->njoins == 0)
		return NULL;
	i = engine_join_find(e, key);
	return i < e->njoins && e->joins[i].key == key ? &e->joins[i] : NULL;
}

/* Keeps the text of pre's message when it was joined from pieces. */
static void
engine_join_keep(struct engine *e, const struct engine_pre *pre)
{
	const struct span *j = pre->joined;
	uint64_t key;
	struct engine_join *p;
	struct strbuf sb;
	size_t i;

	if (!(pre->rec_flags & RECF_JOINED))
		return;
	key = engine_join_key((uint16_t)pre->x.file, pre->x.off);
	i = engine_join_find(e, key);
	if (i == e->njoins || e->joins[i].key != key) {
		e->joins = xgrow(e->joins, &e->capjoins, e->njoins + 1,
				 sizeof *e->joins);
		memmove(&e->joins[i + 1], &e->joins[i],
			(e->njoins - i) * sizeof *e->joins);
		e->njoins++;
	} else
		free(e->joins[i].text);
	p = &e->joins[i];
	strbuf_init(&sb);
	strbuf_add(&sb, j[0].p, j[0].n);
	strbuf_addc(&sb, '\n');
	strbuf_add(&sb, j[1].p, j[1].n);
	strbuf_add(&sb, "\n\n", 2);
	strbuf_add(&sb, j[2].p, j[2].n);
	p->key = key;
	p->sn = j[0].n;
	p->hoff = j[0].n + 1;
	p->hn = j[1].n;
	p->boff = p->hoff + j[1].n + 2;
	p->bn = j[2].n;
	p->flags = pre->rec_flags;
	p->text = sb.buf;
}

/* Interns pre's strings and adds the message to the index and its
 * dialog. The spans must still be valid. */
static void
engine_commit(struct engine *e, struct engine_pre *pre)
{
	struct msg *x = &pre->x;
	struct engine_file *f;
	struct reader *cut = NULL;
	struct msg_kept k;
	uint32_t id, d;

	f = &e->files[x->file];
	if (pre->far) {
		/* An index entry has 40 bits for the offset. */
		if (!f->far_warned)
			engine_warn(e, x->file, pre->line, xasprintf(
			    "read up to 1 TiB: the messages after it are not "
			    "indexed"));
		f->far_warned = 1;
		return;
	}
	/* Past where the file was cut, it read as zeros: not a message;
	 * one it cut is read again up to there, as any cut short. Cut while
	 * its strings are copied (they are read from the file), it is taken
	 * again, knowing. */
	for (;;) {
		engine_note_shrunk(e, x->file);
		if (f->shrank_warned && pre->end > f->shrank_to) {
			if (x->off >= f->shrank_to)
				return;
			cut = engine_prep_cut(e, x->file, pre);
		}
		engine_intern_pre(e, pre, &k);
		if (f->shrank_warned || !f->src->truncated)
			break;
	}
	engine_warn_bad_header(e, pre);
	reader_free(cut);
	id = msgindex_append(e->ix, x, pre->method, pre->len);
	e->unrated++;
	if (x->time != TIME_NONE &&
	    (e->time_last == TIME_NONE || x->time > e->time_last))
		e->time_last = x->time;
	engine_join_keep(e, pre);
	engine_note_fresh(e, f, id, pre->end);
	f->last_id = id;
	/* A file followed where it is mapped may be rewritten under the
	 * messages read: each that came while following keeps its line (the
	 * text of those before is not kept either). */
	if (!f->canon &&
	    (f->nmarks == 0 || (f->follow_mapped && pre->end > f->follow_from) ||
	     f->nmsgs - f->marked_at >= ENGINE_LINE_EVERY ||
	     x->off - f->marks[f->nmarks - 1].off >= ENGINE_LINE_BYTES)) {
		f->marks = xgrow(f->marks, &f->capmarks, f->nmarks + 1,
				 sizeof *f->marks);
		f->marks[f->nmarks].off = x->off;
		f->marks[f->nmarks++].line = pre->line;
		f->marked_at = f->nmsgs;
	}
	f->nmsgs++;
	d = dialogs_add(e->ds, e->ix, id, &k);
	if (d != NO_DIALOG)
		engine_touch(e, d);
	else if (e->rules != NULL)
		rules_rate_message(e->rules, e, id);
}

/* pre is the last record of its file read again from its start once F
 * followed the file (engine_file cut_redo): the rest of what its writer
 * was writing came. It completes the entry indexed from its start
 * (last_id), which keeps its id. When it is still the same message (its
 * Call-ID, kind, CSeq, status, time, URIs and endpoints as before: the
 * cut was past them) only its dialog is rated again; otherwise (the cut
 * went through them) the dialogs are built again, as a merge builds them
 * (engine_regroup). */
static void
engine_complete(struct engine *e, struct engine_pre *pre)
{
	struct engine_file *f = &e->files[pre->x.file];
	struct msg *x = &pre->x, *was = msgindex_get(e->ix, f->last_id);
	struct msg_kept k, old, *kept;
	size_t i, n = msgindex_count(e->ix);
	uint32_t d;

	f->cut_redo = 0;
	engine_warn_bad_header(e, pre);	/* its cut start was not warned of */
	engine_join_keep(e, pre);
	e->changes++;
	engine_intern_pre(e, pre, &k);
	engine_msg_kept(e, f->last_id, &old);
	if (x->call_id == was->call_id &&
	    pre->method == msgindex_method(e->ix, f->last_id) &&
	    x->kind == was->kind && x->cseq == was->cseq &&
	    x->status == was->status && x->time == was->time &&
	    x->dir == was->dir && memcmp(&k, &old, sizeof k) == 0) {
		msgindex_set(e->ix, f->last_id, pre->method, pre->len);
		was->flags = x->flags;
		was->facts = x->facts;
		was->time_prec = x->time_prec;
		d = dialogs_of(e->ds, was);
		if (d != NO_DIALOG)
			engine_touch(e, d);
		else if (e->rules != NULL)
			rules_rate_message(e->rules, e, f->last_id);
		return;
	}
	kept = xcalloc(n + 1, sizeof *kept);
	for (i = 0; i < n; i++)
		engine_msg_kept(e, (uint32_t)i, &kept[i]);
	kept[f->last_id] = k;
	*was = *x;
	if (x->time != TIME_NONE &&
	    (e->time_last == TIME_NONE || x->time > e->time_last))
		e->time_last = x->time;
	msgindex_set(e->ix, f->last_id, pre->method, pre->len);
	engine_regroup(e, kept, NULL);
	free(kept);
}

static void
engine_index_record(struct engine *e, uint16_t fileno, const struct rd_record *rec)
{
	struct engine_file *f = &e->files[fileno];
	struct engine_pre pre;

	engine_prep(e->rules, f, fileno, rec, &pre);
	if (!pre.far && f->cut_redo &&
	    pre.x.off == msgindex_get(e->ix, f->last_id)->off)
		engine_complete(e, &pre);
	else
		engine_commit(e, &pre);
}

static void
engine_take_warnings(struct engine *e, uint16_t fileno, struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nwarnings; i++) {
		engine_warn_read(e, fileno, r->warnings[i].line,
				 r->warnings[i].msg);
		r->warnings[i].msg = NULL;
	}
	r->nwarnings = 0;
}

/* The dialogs are built again over the index, each message with the URIs
 * and endpoints kept[perm[id]] (perm NULL: kept[id]), then every dialog
 * is rated. */
static void
engine_regroup(struct engine *e, const struct msg_kept *kept,
	       const uint32_t *perm)
{
	size_t i, n = msgindex_count(e->ix);

	e->changes++;
	/* Every dialog is rated again, and noted again as it is. */
	e->nends = 0;
	e->ends_seen = 0;
	dialogs_free(e->ds);
	e->ds = dialogs_new();
	for (i = 0; i < n; i++) {
		uint32_t d = dialogs_add(e->ds, e->ix, (uint32_t)i,
					 &kept[perm != NULL ? perm[i] : i]);

		if (d != NO_DIALOG)
			engine_touch(e, d);
		else if (e->rules != NULL)
			rules_rate_message(e->rules, e, (uint32_t)i);
	}
	engine_rate_touched(e);
}

/* Several files: one time line. The index is sorted and the dialogs are
 * built again over the new ids, then every dialog is rated. */
static void
engine_merge(struct engine *e)
{
	size_t i, n = msgindex_count(e->ix);
	struct msg_kept *kept = xcalloc(n + 1, sizeof *kept);
	uint32_t *perm, *inv;

	/* URIs and endpoints are kept with the dialogs, which are built
	 * again. */
	for (i = 0; i < n; i++)
		engine_msg_kept(e, (uint32_t)i, &kept[i]);
	perm = msgindex_sort_by_time(e->ix);
	/* Each file's last message, by its new id (engine_follow_files). */
	inv = xcalloc(n + 1, sizeof *inv);
	for (i = 0; i < n; i++)
		inv[perm[i]] = (uint32_t)i;
	for (i = 0; i < e->nfiles; i++) {
		if (e->files[i].nmsgs > 0)
			e->files[i].last_id = inv[e->files[i].last_id];
	}
	free(inv);
	/* Ids noted as fresh or awaited are old ids: what came while the
	 * first reading went on is no longer awaited. */
	e->nfresh = 0;
	e->nwaits = 0;
	engine_regroup(e, kept, perm);
	free(perm);
	free(kept);
}

int
engine_set_offset(struct engine *e, size_t i, int64_t offset)
{
	if (i >= e->nfiles)
		return -1;
	e->files[i].offset = offset;
	return 0;
}

/* Whether the last line of a followed file, from byte from on, lies past
 * the headers of rec: a header line cut short would change the message
 * when the rest of it comes; an end marker or the end of a body framed by
 * its Content-Length would not. No when the headers are not in the file's
 * bytes d (a reader's own copy): it cannot be told. */
static int
engine_tail_past_headers(const char *d, const struct rd_record *rec,
			 size_t from)
{
	const char *end;

	if (rec->kind != REC_SIP)
		return 1;
	end = rec->hdrs.n > 0 ? rec->hdrs.p + rec->hdrs.n :
				rec->start.p + rec->start.n;
	return end >= d && end <= d + from;
}

/* The reader of a followed file has read all it was given, up to its last
 * line break: once the file is quiet (engine_follow_quiet_now), its last
 * line is read as complete, and a record the reader waits on (reader.h
 * quiet) is read as the whole file's end would end it, once for each size
 * of the file (t->tried); the record kept if it ends there, cut short or
 * not (t->cut_size: read again should the file grow or end, see
 * engine_set_follow_quiet), and lines with no record in them taken as
 * junk, its last line too (t->junk_size: read again should it grow).
 * Otherwise nothing of it is taken (not as junk either): the reader goes
 * back to where it was, without the warnings it gave. 1 and the record,
 * or 0. */
static int
engine_next_tail(struct reader *r, struct rd_record *rec, size_t avail,
		 int quiet, struct engine_tail *t)
{
	size_t pos = r->pos, len = r->len, nw = r->nwarnings;
	uint32_t line = r->line;
	int got;

	if (!quiet || !r->follow || t->tried == avail || pos >= avail)
		return 0;
	t->tried = avail;
	r->len = avail;
	r->quiet = 1;
	got = reader_next(r, rec);
	r->quiet = 0;
	/* Whole as far as can be told, or cut short (its last line in its
	 * headers, no end marker, a body short of its Content-Length): shown
	 * as it is, and read again should more come (engine_next). Cut short
	 * before its start line, it may prove no message at all (chan_sip's
	 * keepalive): that waits. */
	if (got && rec->off + rec->len == r->len &&
	    (rec->kind != REC_SIP || rec->start.n > 0 ||
	     (!(rec->flags & RECF_TRUNCATED) &&
	      engine_tail_past_headers(r->data, rec, len)))) {
		t->cut_size = avail;
		return 1;
	}
	/* Lines that hold no record (junk after the last one): kept, with
	 * their warning, as at the file's end. */
	if (!got && r->pos >= r->len) {
		if (len != r->len) {	/* the last one had no line break */
			t->junk_size = avail;
			t->junk_pos = pos;
			t->junk_line = line;
		}
		return 0;
	}
	r->pos = pos;
	r->line = line;
	r->len = len;
	while (r->nwarnings > nw)
		free(r->warnings[--r->nwarnings].msg);
	return 0;
}

int
engine_follow_next(struct reader *r, struct rd_record *rec, size_t avail,
		   int quiet, struct engine_tail *t)
{
	size_t i, k;

	if (t->junk_size != 0 && avail > t->junk_size) {
		/* The line taken as junk once quiet grew: read it again. */
		r->pos = t->junk_pos;
		r->line = t->junk_line;
		for (i = k = 0; i < r->nwarnings; i++) {
			if (r->warnings[i].line >= t->junk_line)
				free(r->warnings[i].msg);
			else
				r->warnings[k++] = r->warnings[i];
		}
		r->nwarnings = k;
		t->junk_size = 0;
		engine_follow_give(r, r->data, avail, !r->follow);
	}
	if (!reader_next(r, rec))
		return engine_next_tail(r, rec, avail, quiet, t);
	/* Cut short by the end of what was read: being written right now.
	 * Rewind to it. */
	if (r->follow && (rec->flags & RECF_TRUNCATED) &&
	    rec->off + rec->len >= r->len) {
		r->pos = rec->off;
		r->line = rec->line;
		return engine_next_tail(r, rec, avail, quiet, t);
	}
	return 1;
}

/* The next record of f, or 0. (A capture's canonical records are whole
 * when written: one flagged truncated was cut short on the wire.) A last
 * line taken as junk once quiet that grew is read again: the warnings
 * given for it are withdrawn (engine_follow_next drops those its reader
 * still has). */
static int
engine_next(struct engine *e, struct engine_file *f, struct rd_record *rec)
{
	if (f->rd == NULL)
		return 0;
	if (f->live != NULL)
		return reader_next(f->rd, rec);
	if (f->follow_tail.junk_size != 0 &&
	    f->src->len > f->follow_tail.junk_size)
		engine_withdraw(e, (size_t)(f - e->files),
				f->follow_tail.junk_line);
	/* A record read cut short once quiet: the rest came, or the file
	 * ended (then it is cut short for good, and says so). A file
	 * rewritten keeps it as read. */
	if (f->follow_tail.cut_size != 0 &&
	    (f->src->len > f->follow_tail.cut_size || f->follow_ended)) {
		f->follow_tail.cut_size = 0;
		if (!f->rewritten)
			engine_follow_undo(e, (size_t)(f - e->files));
	}
	return engine_follow_next(f->rd, rec, f->src->len,
				  f->follow_quiet && !f->follow_ended,
				  &f->follow_tail);
}

/* How many indexed bytes of file f are given back at once. */
static size_t
engine_drop_run(const struct engine_file *f)
{
	size_t n = f->src->len / ENGINE_DROP_SHARE;

	return n < ENGINE_DROP_MIN ? ENGINE_DROP_MIN :
	       n > ENGINE_DROP_MAX ? ENGINE_DROP_MAX : n;
}

/* The pages of a mapped file up to byte upto are indexed: give them back
 * to the kernel. They are clean file pages, read again from the page cache
 * when a message is shown or searched, and a multi-GB log would otherwise
 * stay resident as a whole while only the index is needed. */
static void
engine_drop_pages(struct engine_file *f, size_t upto)
{
	/* Canonical records are mapped too when they went to a temporary
	 * file (spill.h); on the heap they are not. */
	if (!f->src->mapped)
		return;
	if (upto > f->src->len)
		upto = f->src->len;
	/* The mapping starts on a page, and dropped stays on one. */
	f->dropped = pages_release(f->src->data, f->dropped, upto, 0);
}

/* File f is indexed up to byte upto: its pages go after the next rating,
 * or now if that has not come for ENGINE_DROP_LAG runs (a long dialog
 * spaces the ratings out). */
static void
engine_indexed(struct engine_file *f, size_t upto)
{
	f->indexed = upto;
	if (upto - f->dropped >= ENGINE_DROP_LAG * engine_drop_run(f))
		engine_drop_pages(f, upto);
}

/* The first reading of file i is over. A file that gave no message at
 * all is refused as a probe would have refused it, but only now, with the
 * other files still shown: read as a format the caller named, it was not
 * that format (a cls log read as uccapi, a capture read as text); probed,
 * what the probe saw was all there was (gzip data damaged after its first
 * bytes). A followed file is not: what it has may only be its start. */
static void
engine_first_read_done(struct engine *e, size_t i)
{
	struct engine_file *f = &e->files[i];

	if (f->nmsgs > 0 || f->unreadable || f->follow_fd >= 0)
		return;
	f->unreadable = 1;
	engine_warn(e, i, 0, xasprintf("no SIP messages found (read as %s)",
				       f->fmt->name));
}

/* File e->cur is read (its first read); on to the next. After the last,
 * the dialogs of the requests the trace now ends soon after (within
 * ENGINE_TRACE_END_SCAN messages and ENGINE_TRACE_END_US of its end, as
 * engine_trace_near_end reads it) are rated again: rated while more was
 * still to come, their trace did not end there (engine_reading). */
static void
engine_file_read(struct engine *e)
{
	size_t n, i;
	const struct msg *m;
	uint32_t d;

	engine_first_read_done(e, e->cur);
	if (++e->cur < e->nfiles)
		return;
	n = msgindex_count(e->ix);
	for (i = n > ENGINE_TRACE_END_SCAN ? n - ENGINE_TRACE_END_SCAN - 1 : 0;
	     i < n; i++) {
		m = msgindex_get(e->ix, (uint32_t)i);
		if (m->kind != MSG_REQUEST || (m->time != TIME_NONE &&
		    e->time_last != TIME_NONE &&
		    e->time_last - m->time > ENGINE_TRACE_END_US))
			continue;
		if ((d = dialogs_of(e->ds, m)) != NO_DIALOG)
			engine_touch(e, d);
	}
}

int
engine_reading(const struct engine *e)
{
	return e->cur < e->nfiles;
}

/* "the REGISTER (CSeq 1)", "the 401 to REGISTER (CSeq 1)" */
static char *
engine_msg_what(const struct engine *e, uint32_t id)
{
	const struct msg *m = msgindex_get(e->ix, id);
	const char *method = engine_str(e, msgindex_method(e->ix, id));

	if (m->kind == MSG_RESPONSE)
		return xasprintf("the %u to %s (CSeq %u)", (unsigned)m->status,
				 method, (unsigned)m->cseq);
	return xasprintf("the %s (CSeq %u)", method, (unsigned)m->cseq);
}

/* "-0.444s", "+2s", "-250us": what --offset takes; with sep " " and
 * no sign (sign 0), as a sentence writes it: "0.444 s". */
static void
engine_offset_text(char *buf, size_t sz, int64_t us, int sign,
		   const char *sep)
{
	uint64_t a = us < 0 ? (uint64_t)-(us + 1) + 1 : (uint64_t)us;
	const char *sg = !sign ? "" : us < 0 ? "-" : "+";

	if (a % 1000 != 0 && a < 10000)
		snprintf(buf, sz, "%s%llu%sus", sg, (unsigned long long)a, sep);
	else if ((a + 500) / 1000 % 1000 == 0)
		snprintf(buf, sz, "%s%llu%ss", sg,
		    (unsigned long long)((a + 500) / 1000000), sep);
	else
		snprintf(buf, sz, "%s%llu.%03llu%ss", sg,
		    (unsigned long long)((a + 500) / 1000 / 1000),
		    (unsigned long long)((a + 500) / 1000 % 1000), sep);
}

/* What a log did with message m: a capture only saw it go by. */
static const char *
engine_dir_verb(const struct msg *m)
{
	return m->dir == DIR_OUT ? "sent" : m->dir == DIR_IN ? "received" :
	    "saw";
}

/* Merged logs whose clocks disagree (twin_clocks): a message was received
 * before it was sent. A warning on the later file of the two, at its line
 * that shows it, with what --offset puts them in order: between the
 * bounds when both are known, else just past the one that is. */
static void
engine_check_clocks(struct engine *e)
{
	struct twin_clock *c;
	size_t i, n = twin_clocks(e, &c);

	for (i = 0; i < n; i++) {
		int ahead = c[i].lo != TWIN_NO_BOUND && c[i].lo > 0;
		uint32_t id = ahead ? c[i].lo_id : c[i].hi_id;
		uint32_t peer = ahead ? c[i].lo_peer : c[i].hi_peer;
		const struct msg *m = msgindex_get(e->ix, id);
		const struct msg *pm = msgindex_get(e->ix, peer);
		const char *a = e->files[c[i].a].src->path;
		const char *b = e->files[c[i].b].src->path;
		int64_t by = ahead ? c[i].lo : -c[i].hi, fix;
		char t[64], pt[64], bytext[32], fixtext[32], was[48], *what;

		if (c[i].lo != TWIN_NO_BOUND && c[i].hi != TWIN_NO_BOUND &&
		    c[i].lo <= c[i].hi)
			fix = -(c[i].lo + (c[i].hi - c[i].lo) / 2);
		else
			fix = ahead ? -c[i].lo : -c[i].hi;
		time_format(t, sizeof t, m->time, MSG_TIME_PREC(m),
		    msg_time_dating(m));
		time_format(pt, sizeof pt, pm->time, MSG_TIME_PREC(pm),
		    msg_time_dating(pm));
		engine_offset_text(bytext, sizeof bytext, by, 0, " ");
		/* What --offset says in all, with what it says now. */
		engine_offset_text(fixtext, sizeof fixtext,
		    fix + e->files[c[i].b].offset, 1, "");
		was[0] = '\0';
		if (e->files[c[i].b].offset != 0) {
			memcpy(was, " (not ", 7);
			engine_offset_text(was + 6, sizeof was - 7,
			    e->files[c[i].b].offset, 1, "");
			strcat(was, ")");
		}
		what = engine_msg_what(e, id);
		engine_warn(e, c[i].b, engine_msg_line(e, id), xasprintf(
		    "its clock is %s %s's by at least %s: it %s %s at %s, "
		    "which %s %s at %s (line %u); --offset %s=%s%s puts the "
		    "two in order", ahead ? "ahead of" : "behind", a,
		    bytext, engine_dir_verb(m), what, t, a, engine_dir_verb(pm),
		    pt,
		    (unsigned)engine_msg_line(e, peer), b, fixtext, was));
		free(what);
	}
	free(c);
}

/* Indexing a large file: a second thread splits the file into records
 * (reader_next) and hands them over in batches; both threads then parse
 * the records of a batch (engine_prep), each claiming the next few, and
 * this one commits them in file order (interning, dialogs, rating), which
 * is all the state there is. Parsing goes to whichever thread is free, so
 * neither waits long for the other. engine_run() commits all of a file at
 * once; the viewer's engine_step() commits as many as its budget allows
 * and answers its keys meanwhile, the second thread reading on until the
 * batches ahead are full. Its first screen does not wait for the thread:
 * starting it takes microseconds, and the first batch is a fraction of a
 * millisecond. */
#define ENGINE_PAR_CLAIM 8	/* records a thread takes to parse at once */

/* The spans of a record, for copying those outside the file's bytes;
 * from ENGINE_REC_OWN on, those a reader may build in its own state. */
#define ENGINE_REC_SPANS 7
#define ENGINE_REC_OWN 3

struct engine_batch {
	struct rd_record rec[ENGINE_PAR_BATCH];
	struct engine_pre pre[ENGINE_PAR_BATCH];
	uint8_t moved[ENGINE_PAR_BATCH];	/* spans moved to kept */
	size_t n;
	int full;		/* read, not yet committed */
	int last;		/* the reader's end: nothing after this batch */
	atomic_size_t claim;	/* the next record to parse */
	size_t parsed;		/* records parsed (under the mutex) */
	struct strbuf kept;	/* strings that lived in the reader's state */
	/* The reader's warnings while it read this batch, given to the
	 * engine as the batch is committed, as engine_step() gives them. */
	struct rd_warning *warnings;
	size_t nwarnings, capwarnings;
};

struct engine_par {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th;
	struct engine_batch b[ENGINE_PAR_RING];
	struct reader *rd;
	const struct rules *rules;
	/* What engine_prep() reads of the file, copied: engine_add_file()
	 * may move the engine's files meanwhile. */
	struct engine_file fcopy;
	uint16_t fileno;
	int stop;		/* read no more batches (under the mutex) */
	/* This thread's place: the batch and its record to commit next,
	 * and the offset after the last one (engine_progress). */
	size_t k, i, pos;
};

static struct span *
engine_rec_span(struct rd_record *rec, size_t i)
{
	struct span *const v[ENGINE_REC_SPANS] = {
		&rec->start, &rec->hdrs, &rec->body, &rec->src, &rec->dst,
		&rec->transport, &rec->diag_level,
	};

	return v[i];
}

/* A record's spans outside the reader's bytes (a reader may build src, dst
 * or transport in its own state) are copied before the reader moves on.
 * Their offsets in kept become pointers once the batch is read: kept may
 * move until then. */
static void
engine_par_keep(const struct engine_par *p, struct engine_batch *b, size_t k)
{
	const char *lo = p->rd->data, *hi = lo + p->rd->len;
	size_t i;

	b->moved[k] = 0;
	for (i = 0; i < ENGINE_REC_SPANS; i++) {
		struct span *sp = engine_rec_span(&b->rec[k], i);

		if (sp->n == 0 || (sp->p >= lo && sp->p + sp->n <= hi))
			continue;
		b->moved[k] |= (uint8_t)(1u << i);
		strbuf_add(&b->kept, sp->p, sp->n);
		sp->p = (const char *)(uintptr_t)(b->kept.len - sp->n);
	}
}

/* Parses records of batch b until none is left to claim. */
static void
engine_par_parse(struct engine_par *p, struct engine_batch *b)
{
	size_t i, end, mine = 0;

	for (;;) {
		i = atomic_fetch_add_explicit(&b->claim, ENGINE_PAR_CLAIM,
		    memory_order_relaxed);
		if (i >= b->n)
			break;
		end = i + ENGINE_PAR_CLAIM < b->n ? i + ENGINE_PAR_CLAIM : b->n;
		for (; i < end; i++, mine++)
			engine_prep(p->rules, &p->fcopy, p->fileno, &b->rec[i],
			    &b->pre[i]);
	}
	pthread_mutex_lock(&p->mu);
	b->parsed += mine;
	if (b->parsed == b->n)
		pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Moves the warnings the reader gave while reading batch b into it. */
static void
engine_par_warnings(struct reader *r, struct engine_batch *b)
{
	size_t i;

	for (i = 0; i < r->nwarnings; i++) {
		b->warnings = xgrow(b->warnings, &b->capwarnings,
				    b->nwarnings + 1, sizeof *b->warnings);
		b->warnings[b->nwarnings++] = r->warnings[i];
		r->warnings[i].msg = NULL;
	}
	r->nwarnings = 0;
}

static void *
engine_par_read(void *arg)
{
	struct engine_par *p = arg;
	struct engine_batch *b;
	size_t k, i, j;
	int more = 1;

	for (k = 0; more; k++) {
		b = &p->b[k % ENGINE_PAR_RING];
		pthread_mutex_lock(&p->mu);
		while (b->full && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		pthread_mutex_unlock(&p->mu);
		b->n = 0;
		b->parsed = 0;
		atomic_store_explicit(&b->claim, 0, memory_order_relaxed);
		strbuf_reset(&b->kept);
		while (b->n < ENGINE_PAR_BATCH &&
		       (more = reader_next(p->rd, &b->rec[b->n])) != 0) {
			engine_par_keep(p, b, b->n);
			b->n++;
		}
		engine_par_warnings(p->rd, b);
		for (i = 0; i < b->n; i++) {
			for (j = 0; b->moved[i] != 0 && j < ENGINE_REC_SPANS;
			     j++) {
				struct span *sp = engine_rec_span(&b->rec[i], j);

				if (b->moved[i] & (1u << j))
					sp->p = b->kept.buf + (uintptr_t)sp->p;
			}
		}
		pthread_mutex_lock(&p->mu);
		b->full = 1;
		b->last = !more;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		engine_par_parse(p, b);
	}
	return NULL;
}

static int
engine_par_ok(const struct engine *e, const struct engine_file *f)
{
	static long ncpu;

	if (ncpu == 0)
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	return ncpu > 1 && e->par_min > 0 && f->src->len >= e->par_min &&
	       f->rd == NULL && f->follow_fd < 0 &&
	       engine_rfmt(f)->next != NULL;
}

static void
engine_par_free(struct engine_par *p)
{
	size_t i, j;

	reader_free(p->rd);
	for (i = 0; i < ENGINE_PAR_RING; i++) {
		strbuf_free(&p->b[i].kept);
		for (j = 0; j < p->b[i].nwarnings; j++)
			free(p->b[i].warnings[j].msg);
		free(p->b[i].warnings);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* Starts reading file e->cur on a second thread (e->par); 0 when no
 * thread could be started (nothing was done). */
static int
engine_par_start(struct engine *e)
{
	struct engine_file *f = &e->files[e->cur];
	struct engine_par *p = xcalloc(1, sizeof *p);
	size_t i;

	p->rd = reader_new(engine_rfmt(f), f->src->data, f->src->len);
	p->rules = e->rules;
	p->fcopy = *f;
	p->fileno = (uint16_t)e->cur;
	for (i = 0; i < ENGINE_PAR_RING; i++)
		strbuf_init(&p->b[i].kept);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->th, NULL, engine_par_read, p) != 0) {
		engine_par_free(p);
		return 0;
	}
	e->par = p;
	return 1;
}

/* Commits at most budget records of e->par's batches, in order; returns
 * how many. *ended is set once the last batch is committed. With wait 0,
 * a batch the thread has not finished reading ends the pump (the thread
 * was stopped, engine_par_detach: what it read is all there is). */
static size_t
engine_par_pump(struct engine *e, size_t budget, int wait, int *ended)
{
	struct engine_par *p = e->par;
	struct engine_file *f = &e->files[p->fileno];
	struct engine_batch *b;
	size_t done = 0, j;
	int last;

	*ended = 0;
	while (done < budget) {
		b = &p->b[p->k % ENGINE_PAR_RING];
		if (p->i == 0) {
			pthread_mutex_lock(&p->mu);
			while (!b->full && wait)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
			if (!b->full)
				break;
			engine_par_parse(p, b);
			pthread_mutex_lock(&p->mu);
			while (b->parsed < b->n)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
			for (j = 0; j < b->nwarnings; j++)
				engine_warn_read(e, p->fileno,
						 b->warnings[j].line,
						 b->warnings[j].msg);
			b->nwarnings = 0;
		}
		for (; p->i < b->n && done < budget; p->i++, done++) {
			engine_commit(e, &b->pre[p->i]);
			p->pos = b->pre[p->i].end;
			engine_indexed(f, p->pos);
		}
		if (e->unrated >= e->rate_gap) {
			engine_check_shrunk(e);
			engine_rate_touched(e);
		}
		if (p->i < b->n)
			break;
		p->i = 0;
		p->k++;
		/* Whether it was the last batch is read before it is handed
		 * back: once the mutex is released the thread may fill it
		 * again, and a later batch marked last would end the pump with
		 * the batches between them never committed. */
		pthread_mutex_lock(&p->mu);
		last = b->last;
		b->full = 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (last) {
			*ended = 1;
			break;
		}
	}
	return done;
}

/* The file e->par read is read: the thread is joined and the file done
 * with, as engine_step() is done with one. */
static void
engine_par_end(struct engine *e)
{
	struct engine_par *p = e->par;
	struct engine_file *f = &e->files[p->fileno];

	pthread_join(p->th, NULL);
	f->indexed = f->src->len;
	memcpy(f->local_name, p->rd->local_name, sizeof f->local_name);
	engine_take_warnings(e, p->fileno, p->rd);
	if (!f->canon) {	/* for F (engine_follow_files) */
		f->rd_end = p->rd;
		p->rd = NULL;
	}
	engine_par_free(p);
	e->par = NULL;
	engine_file_read(e);
}

/* Stops e->par's thread after the batch it is reading and commits all it
 * read; the file then reads on with its reader as engine_step() reads one
 * (a file followed from now on grows behind the thread's last batch). */
static void
engine_par_detach(struct engine *e)
{
	struct engine_par *p = e->par;
	struct engine_file *f = &e->files[p->fileno];
	int ended;

	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	engine_par_pump(e, SIZE_MAX, 0, &ended);
	engine_take_warnings(e, p->fileno, p->rd);
	f->rd = p->rd;
	p->rd = NULL;
	engine_par_free(p);
	e->par = NULL;
	engine_check_shrunk(e);
	engine_rate_touched(e);
}

/* Stops e->par's thread and drops what it read (engine_free). */
static void
engine_par_stop(struct engine *e)
{
	struct engine_par *p = e->par;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	engine_par_free(p);
	e->par = NULL;
}

int
engine_step(struct engine *e, size_t budget)
{
	struct rd_record rec;
	struct engine_file *f;
	size_t i;
	int more;

	/* Followed files that grew since the first pass, before a file that
	 * replaced one of them (rotation): what the old one still held came
	 * first. */
	for (i = 0; e->done && i < e->cur && budget > 0; i++) {
		f = &e->files[i];
		if (f->rd == NULL)
			continue;
		while (budget > 0 && engine_next(e, f, &rec)) {
			engine_index_record(e, (uint16_t)i, &rec);
			budget--;
		}
		engine_take_warnings(e, (uint16_t)i, f->rd);
		if (budget > 0 && f->follow_ended) {
			reader_free(f->rd);
			f->rd = NULL;
		}
	}
	while (budget > 0 && e->cur < e->nfiles) {
		f = &e->files[e->cur];
		if (f->xf != NULL && !engine_xf_take(e, e->cur, 0)) {
			/* Still being converted: let the caller answer its
			 * keys, a little later. */
			struct timespec pause = { 0, 2000000 };

			nanosleep(&pause, NULL);
			break;
		}
		if (e->par == NULL && engine_par_ok(e, f))
			engine_par_start(e);
		if (e->par != NULL) {
			int ended;

			budget -= engine_par_pump(e, budget, 1, &ended);
			if (ended)
				engine_par_end(e);
			continue;
		}
		if (f->rd == NULL) {
			f->rd = reader_new(engine_rfmt(f), f->src->data,
					   f->src->len);
			f->rd->follow = f->follow_fd >= 0;
			if (f->rd->follow)
				engine_follow_feed(f);
		}
		if (engine_next(e, f, &rec)) {
			engine_index_record(e, (uint16_t)e->cur, &rec);
			budget--;
			engine_indexed(f, f->rd->pos);
			continue;
		}
		f->indexed = f->src->len;
		memcpy(f->local_name, f->rd->local_name, sizeof f->local_name);
		engine_take_warnings(e, (uint16_t)e->cur, f->rd);
		/* A followed file keeps its reader for what comes next, and
		 * one that may be followed later (F) for then. */
		if (f->follow_fd < 0) {
			if (f->canon)
				reader_free(f->rd);
			else
				f->rd_end = f->rd;
			f->rd = NULL;
		}
		engine_file_read(e);
	}
	/* Out of budget: more may wait (a pipe that ended has no poll to
	 * say so). */
	more = e->done && budget == 0;
	if (e->cur < e->nfiles && e->files[e->cur].rd != NULL)
		engine_take_warnings(e, (uint16_t)e->cur, e->files[e->cur].rd);
	engine_check_shrunk(e);
	if (budget > 0 || e->cur >= e->nfiles || engine_rating_due(e))
		engine_rate_touched(e);
	if (e->cur < e->nfiles || more)
		return 1;
	if (!e->done) {
		if (e->nfiles > 1) {
			engine_merge(e);
			engine_check_clocks(e);
		}
		e->done = 1;
	}
	return 0;
}

void
engine_set_parallel(struct engine *e, size_t min_bytes)
{
	e->par_min = min_bytes;
}

void
engine_run(struct engine *e)
{
	int ended;

	for (;;) {
		if (e->cur < e->nfiles)
			engine_xf_take(e, e->cur, 1);
		if (e->par == NULL && e->cur < e->nfiles &&
		    engine_par_ok(e, &e->files[e->cur]))
			engine_par_start(e);
		if (e->par != NULL) {
			engine_par_pump(e, SIZE_MAX, 1, &ended);
			engine_par_end(e);
			engine_check_shrunk(e);
			engine_rate_touched(e);
			continue;
		}
		if (!engine_step(e, e->rate_gap))
			break;
	}
}

int
engine_done(const struct engine *e)
{
	return e->done;
}

uint64_t
engine_changes(const struct engine *e)
{
	return e->changes;
}

unsigned
engine_progress(const struct engine *e)
{
	uint64_t read = 0, total = e->total_bytes;
	size_t i;

	if (e->done || e->total_bytes == 0)
		return 1000;
	for (i = 0; i < e->nfiles && i < e->cur; i++)
		read += e->files[i].src->len;
	if (e->cur < e->nfiles && e->files[e->cur].xf != NULL) {
		const struct engine_file *f = &e->files[e->cur];
		const struct engine_xf *x = f->xf;
		/* The file's share: its size, or its compressed size; of a
		 * pipe, what was read of it, once all of it was. */
		uint64_t share = f->src->len, at = 0;

		if (x->pipe != NULL &&
		    !atomic_load_explicit(&x->reading, memory_order_acquire)) {
			share = __atomic_load_n(&x->piped, __ATOMIC_RELAXED);
			total = total - f->src->len + share;
		}
		/* While gzip input is inflated, of its compressed bytes;
		 * then, as for any input, of the bytes converted (scaled
		 * to the file's share). */
		if (atomic_load_explicit(&x->converting, memory_order_acquire)) {
			at = __atomic_load_n(&x->r->progress, __ATOMIC_RELAXED);
			if (x->gz != NULL && x->nplain > 0)
				at = at * share / x->nplain;
		} else if (x->gz != NULL) {
			at = __atomic_load_n(&x->gzdone, __ATOMIC_RELAXED);
		}
		read += at;
	}
	else if (e->par != NULL)
		read += e->par->pos;
	else if (e->cur < e->nfiles && e->files[e->cur].rd != NULL)
		read += e->files[e->cur].rd->pos;
	if (total == 0 || read >= total)
		return 1000;
	return (unsigned)(read * 1000 / total);
}

const char *
engine_activity(const struct engine *e)
{
	const struct engine_xf *x;

	if (e->cur >= e->nfiles || (x = e->files[e->cur].xf) == NULL)
		return "indexing";
	if (atomic_load_explicit(&x->reading, memory_order_acquire))
		return "reading";
	return atomic_load_explicit(&x->converting, memory_order_acquire) ?
		       "converting" : "decompressing";
}

uint64_t
engine_reading_bytes(const struct engine *e)
{
	const struct engine_xf *x;

	if (e->cur >= e->nfiles || (x = e->files[e->cur].xf) == NULL ||
	    !atomic_load_explicit(&x->reading, memory_order_acquire))
		return 0;
	return __atomic_load_n(&x->piped, __ATOMIC_RELAXED);
}

struct msgindex *
engine_index(const struct engine *e)
{
	return e->ix;
}

struct dialogs *
engine_dialogs(const struct engine *e)
{
	return e->ds;
}

struct rules_state *
engine_rules_state(const struct engine *e)
{
	return e->rstate;
}

struct intern *
engine_strings(const struct engine *e)
{
	return e->strs;
}

struct intern *
engine_call_ids(const struct engine *e)
{
	return e->call_ids;
}

size_t
engine_nfiles(const struct engine *e)
{
	return e->nfiles;
}

const struct engine_file *
engine_file(const struct engine *e, size_t i)
{
	return i < e->nfiles ? &e->files[i] : NULL;
}

const uint32_t *
engine_uri_strings(const struct engine *e, size_t *n)
{
	*n = e->nuris;
	return e->uris;
}

const char *
engine_str(const struct engine *e, uint32_t id)
{
	return intern_str(e->strs, id, NULL);
}

const char *
engine_call_id(const struct engine *e, uint32_t id)
{
	return intern_str(e->call_ids, id, NULL);
}

const char *
engine_dialog_call_id(const struct engine *e, const struct dialog *d)
{
	return engine_call_id(e, dialogs_call_id(e->ds, e->ix, d));
}

size_t
engine_nstrings(const struct engine *e)
{
	return (size_t)intern_count(e->strs) - 1 + intern_count(e->call_ids) -
	       1;
}

void
engine_msg_kept(const struct engine *e, uint32_t id, struct msg_kept *k)
{
	const struct msg *m = msgindex_get(e->ix, id);

	*k = (struct msg_kept){ 0 };
	if (m != NULL)
		dialogs_kept(e->ds, m, id, k);
}

void
engine_msg_party(const struct engine *e, uint32_t id, uint32_t *from,
		 uint32_t *to)
{
	struct msg_kept k;

	engine_msg_kept(e, id, &k);
	*from = k.from;
	*to = k.to;
}

uint32_t
engine_msg_ruri(const struct engine *e, uint32_t id)
{
	struct msg_kept k;

	engine_msg_kept(e, id, &k);
	return k.ruri;
}

void
engine_msg_ends(const struct engine *e, uint32_t id, uint32_t *src,
		uint32_t *dst)
{
	struct msg_kept k;

	engine_msg_kept(e, id, &k);
	*src = k.src;
	*dst = k.dst;
}

/* Copies the spans of rec that a reader built in its own state (src, dst,
 * transport, diag_level: never the message text) into rec->own, so that
 * they outlive the reader; one that does not fit any more is cut. */
static void
engine_own_spans(struct rd_record *rec, const char *data, size_t len)
{
	size_t i, used = 0, n;

	for (i = ENGINE_REC_OWN; i < ENGINE_REC_SPANS; i++) {
		struct span *sp = engine_rec_span(rec, i);

		if (sp->n == 0 || (sp->p >= data && sp->p + sp->n <= data + len))
			continue;
		n = sp->n < sizeof rec->own - used ? sp->n :
						     sizeof rec->own - used;
		memcpy(rec->own + used, sp->p, n);
		sp->p = rec->own + used;
		sp->n = n;
		used += n;
	}
}

/* What of f's bytes can be read now (engine_message). */
static size_t
engine_readable(const struct engine_file *f)
{
	if (f->src->truncated)
		return f->shrank_warned ? f->shrank_to :
					  engine_file_size_now(f);
	return f->src->len;
}

int
engine_message(const struct engine *e, uint32_t id, struct rd_record *rec,
	       struct sipmsg *m)
{
	const struct msg *x = msgindex_get(e->ix, id);
	const struct engine_join *j;
	const struct engine_file *f;
	struct reader *r;
	size_t len;
	int ok = 0;

	if (x == NULL || x->file >= e->nfiles)
		return -1;
	f = &e->files[x->file];
	len = engine_readable(f);
	if (x->off < len) {
		r = reader_new(engine_rfmt(f), f->src->data, len);
		r->pos = x->off;
		r->line = 1;
		/* A message joined from pieces is the text kept of it, as
		 * indexed: read again, its reader does not join them. */
		r->nojoin = 1;
		ok = reader_next(r, rec);
		if (ok)
			engine_own_spans(rec, f->src->data, len);
		if (ok && (j = engine_join_get(e, x)) != NULL) {
			rec->start = (struct span){ j->text, j->sn };
			rec->hdrs = (struct span){ j->text + j->hoff, j->hn };
			rec->body = (struct span){ j->text + j->boff, j->bn };
			rec->flags = j->flags;
		}
		/* The reader went as far as its pos. */
		engine_note_reread(f, x->off, r->pos > x->off ? r->pos :
				   (size_t)x->off + 1);
		reader_free(r);
	}
	if (!ok || rec->off != x->off) {
		/* A reader that cannot restart: fall back to the bare bytes. */
		memset(rec, 0, sizeof *rec);
		rec->off = x->off;
		rec->len = msgindex_len(e->ix, id);
		rec->hdrs.p = f->src->data + x->off;
		rec->hdrs.n = rec->len;
		rec->body.p = rec->hdrs.p + rec->hdrs.n;
	}
	if (m != NULL)
		sipmsg_parse(m, rec->start, rec->hdrs, rec->body);
	return 0;
}

uint32_t
engine_msg_line(const struct engine *e, uint32_t id)
{
	const struct msg *x = msgindex_get(e->ix, id);
	const struct engine_file *f;
	struct engine_line_at *at = e->line_at;
	struct rd_record rec;
	size_t lo, from, upto;
	uint32_t line;

	if (x == NULL || x->file >= e->nfiles)
		return 0;
	f = &e->files[x->file];
	if (f->canon) {
		/* The canonical record's header has it. */
		if (engine_message(e, id, &rec, NULL) != 0)
			return 0;
		return rec.line;
	}
	/* The last mark at or before the message. */
	lo = engine_mark_before(f, x->off);
	if (lo == 0)
		return 0;
	from = f->marks[lo - 1].off;
	line = f->marks[lo - 1].line;
	if (from == x->off)
		return line;
	/* Counted in text that is no longer the text indexed: none. A file
	 * truncated under its mapping while followed keeps the lines of
	 * what came while following (each marked, engine_commit). */
	upto = engine_readable(f);
	if (upto < x->off || (f->rewritten && f->follow_mapped))
		return 0;
	if (at->file == x->file && at->off <= x->off && at->off > from) {
		from = at->off;
		line = at->line;
	}
	line += (uint32_t)mem_count(f->src->data + from, x->off - from, '\n');
	engine_note_reread(f, from, x->off);
	/* It shrank while being counted (source_guard read zeros). */
	if (f->src->truncated && engine_readable(f) < x->off)
		return 0;
	at->file = x->file;
	at->off = x->off;
	at->line = line;
	return line;
}

struct span
engine_record_text(const struct engine *e, uint32_t id)
{
	const struct msg *x = msgindex_get(e->ix, id);
	struct span s = SPAN_NULL;

	if (x == NULL || x->file >= e->nfiles)
		return s;
	if (e->njoins > 0) {
		const struct engine_join *j = engine_join_get(e, x);

		if (j != NULL) {
			s.p = j->text;
			s.n = j->boff + j->bn;
			return s;
		}
	}
	if (e->files[x->file].canon) {
		/* The message itself, without the canonical header. */
		struct rd_record rec;

		engine_message(e, id, &rec, NULL);
		s.p = rec.start.p;
		s.n = (size_t)(rec.body.p + rec.body.n - rec.start.p);
		return s;
	}
	s.p = e->files[x->file].src->data + x->off;
	s.n = msgindex_len(e->ix, id);
	engine_note_reread(&e->files[x->file], x->off, x->off + s.n);
	return s;
}

size_t
engine_nwarnings(const struct engine *e)
{
	return e->nwarns;
}

const struct engine_warning *
engine_warning(const struct engine *e, size_t i)
{
	return i < e->nwarns ? &e->warns[i] : NULL;
}
