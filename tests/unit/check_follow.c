/* Unit tests for following a growing log (engine_follow): every format
 * read record by record (a next() in reader_formats) is written in pieces,
 * cut at every line break and at every byte, and must give exactly the
 * records and warnings that reading the whole file gives. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "source.h"
#include "engine.h"
#include "msgindex.h"
#include "reader.h"
#include "helpers.h"

/* Fixtures up to this size are also written a byte at a time. */
#define FOLLOW_BYTES_MAX 12000

/* Fixtures of every format with a next(), each a way it frames records:
 * test_formats_covered checks that none is left out. */
static const char *const follow_files[] = {
	"data/sample.cls.log",
	"tests/data/lf-only.cls.log",
	"tests/data/junk.cls.log",
	"tests/data/call-cancel.cls.log",
	"tests/data/multi.uccapilog",
	"tests/data/bad.uccapilog",
	"tests/data/fmt/uccapi-continued.uccapilog",
	"tests/data/uccapi-sub-continued.uccapilog",
	/* A body quoting a log's block lines, its End line too. */
	"tests/data/quoted-log.uccapilog",
	"tests/data/reg-digest.sngrep.txt",
	"tests/data/fmt/sngrep-ipv6.txt",
	"tests/data/stars.sngrep.txt",
	"tests/data/cross-day.sngrep.txt",
	/* A multipart body: a blank line after each part's headers. */
	"tests/data/multipart.sngrep.txt",
	/* A body quoting an sngrep header line and start line. */
	"tests/data/quoted-log.sngrep.txt",
	"tests/data/call-busy.raw.sip",
	"tests/data/folded.raw.sip",
	"tests/data/comment.raw.sip",
	"tests/data/compact.raw.sip",
	"tests/data/junk-mid.raw.sip",
	/* LF only, Content-Length counted with CRLF: the body runs into
	 * the next message, to the end of its start line. */
	"tests/data/lf-clen-crlf.raw.sip",
	"tests/data/fmt/kamailio-debug.log",
	"tests/data/fmt/kamailio-sipdump.txt",
	"tests/data/fmt/sipe-pidgin.log",
	"tests/data/fmt/asterisk-console.log",
	"tests/data/fmt/asterisk-full.log",
	"tests/data/fmt/asterisk-old.log",
	"tests/data/fmt/asterisk-newyear.log",
	"tests/data/fmt/pjsip-console.log",
	"tests/data/fmt/pjsip-full.log",
	"tests/data/fmt/sipp-new.log",
	"tests/data/fmt/sipp-old.log",
	"tests/data/fmt/sipp-zone-paris.log",
	"tests/data/fmt/sipp-tcp-read.log",
	"tests/data/fmt/pjsua-dated.log",
	"tests/data/fmt/pjsua-default.log",
	"tests/data/fmt/pjsua-midnight.log",
	"tests/data/fmt/cisco-cube.log",
	"tests/data/fmt/cisco-ios12.log",
	"tests/data/fmt/cisco-newyear.log",
};
#define FOLLOW_NFILES (sizeof follow_files / sizeof follow_files[0])

/* Fixtures of the formats converted as they come (rd_format more) that
 * are text: syslog and journal lines of each kind, one program or
 * several, interleaved. */
static const char *const live_files[] = {
	"tests/data/fmt/syslog-asterisk-journal.log",
	"tests/data/fmt/syslog-asterisk-rsyslog.log",
	"tests/data/fmt/syslog-kamailio-journal.log",
	"tests/data/fmt/syslog-pjsip-iso.log",
	"tests/data/fmt/syslog-two-pbx.log",
	"tests/data/fmt/syslog-many-pbx.log",
	"tests/data/fmt/ngrep-byline.txt",
	"tests/data/fmt/ngrep-tcp6.txt",
};
#define LIVE_NFILES (sizeof live_files / sizeof live_files[0])

enum follow_cut {
	CUT_STEP,	/* pieces of arg bytes (1: every byte) */
	CUT_LINES,	/* a line at a time: cut at every line break */
	CUT_ONCE,	/* the first arg bytes, then the rest */
};

static const char *const follow_cut_names[] = { "step", "lines", "once" };

/* The end of the piece that starts at at. */
static size_t
follow_next_cut(const struct source *src, enum follow_cut how, size_t arg,
		size_t at)
{
	const char *nl;

	switch (how) {
	case CUT_STEP:
		return src->len - at < arg ? src->len : at + arg;
	case CUT_LINES:
		nl = memchr(src->data + at, '\n', src->len - at);
		return nl != NULL ? (size_t)(nl - src->data) + 1 : src->len;
	case CUT_ONCE:
		return at < arg ? arg : src->len;
	}
	return src->len;
}

static void
follow_write(const char *path, const char *p, size_t n, const char *mode)
{
	FILE *f = fopen(path, mode);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static int
follow_span_same(struct span x, struct span y)
{
	return x.n == y.n && (x.n == 0 || memcmp(x.p, y.p, x.n) == 0);
}

/* Followed as it comes, a syslog program's messages read while it is the
 * only one read call their own end "local", as a program read alone does;
 * read whole, with several read, they are named after their host
 * (rd_syslog). Set for a fixture whose programs begin one after another. */
static int follow_late_programs;

/* Message ends y, followed, are x, read whole; or, follow_late_programs,
 * y is "local" (or left unnamed, where the log names neither end). */
static int
follow_same_end(struct span x, struct span y)
{
	return follow_span_same(x, y) ||
	       (follow_late_programs && (y.n == 0 ||
		(y.n == 5 && memcmp(y.p, "local", 5) == 0)));
}

/* Followed, how many lines of programs past the sixteenth are left out is
 * not known: the warning says from where, or counts those before F. */
static int
follow_over(const char *x, const char *y)
{
	return follow_late_programs &&
	       strncmp(x, "more than 16 programs: ", 23) == 0 &&
	       strncmp(y, "more than 16 programs: ", 23) == 0;
}

/* y is x; or, quiet, its start: a record whose end was read once the file
 * was quiet (engine_set_follow_quiet), before the rest of its last line
 * or a line its writer writes after it (chan_sip's summary) came. */
static int
follow_same_text(struct span x, struct span y, int quiet)
{
	if (!quiet)
		return follow_span_same(x, y);
	return y.n <= x.n && memcmp(x.p, y.p, y.n) == 0;
}

/* The lines a junk warning ("skipped 3 lines outside any record") says
 * were skipped, or 0 for another warning. */
static size_t
follow_junk_lines(const char *msg)
{
	char *end;
	unsigned long n;

	if (strncmp(msg, "skipped ", 8) != 0 || strstr(msg, " outside ") == NULL)
		return 0;
	n = strtoul(msg + 8, &end, 10);
	return end != msg + 8 ? (size_t)n : 0;
}

/* Whether a says message id's rest is in a later block (uccapi): read
 * once quiet before that block came, it was whole as far as could be
 * told, with no such warning. */
static int
follow_continued_line(const struct engine *a, uint32_t line)
{
	char want[64];
	size_t i;

	snprintf(want, sizeof want, "the rest of the message at line %u ",
		 line);
	for (i = 0; i < engine_nwarnings(a); i++) {
		if (strncmp(engine_warning(a, i)->msg, want, strlen(want)) == 0)
			return 1;
	}
	return 0;
}

/* Whether a joined message id from pieces in several blocks (uccapi
 * reads): read once quiet before the rest came, b has its first piece. */
static int
follow_joined(const struct engine *a, uint32_t id)
{
	struct rd_record rec;

	return engine_message(a, id, &rec, NULL) == 0 &&
	       (rec.flags & RECF_JOINED);
}

static int
follow_continued(const struct engine *a, uint32_t id)
{
	return follow_continued_line(a, engine_msg_line(a, id)) ||
	       follow_joined(a, id);
}

/* Whether y starts x, but for the line break the log wrote after y when
 * its read ended inside a line. */
static int
follow_span_starts(struct span x, struct span y)
{
	if (y.n > 0 && y.p[y.n - 1] == '\n')
		y.n--;
	if (y.n > 0 && y.p[y.n - 1] == '\r')
		y.n--;
	return y.n <= x.n && (y.n == 0 || memcmp(x.p, y.p, y.n) == 0);
}

/* Read once quiet, the writer paused within a run of junk lines: those
 * before the pause were warned about then (as the file's end), the rest
 * once they came. The same junk lines in all, and the same other
 * warnings, but for a message's rest in a later block that had not come
 * (follow_continued: no word of it, nor of the message cut short). */
static void
follow_ck_warnings_quiet(const struct engine *a, const struct engine *b,
			 const char *what)
{
	size_t i, k = 0, ja = 0, jb = 0;

	for (i = 0; i < engine_nwarnings(a); i++) {
		const struct engine_warning *x = engine_warning(a, i);

		if (follow_junk_lines(x->msg) != 0) {
			ja += follow_junk_lines(x->msg);
			continue;
		}
		while (k < engine_nwarnings(b) &&
		       follow_junk_lines(engine_warning(b, k)->msg) != 0)
			jb += follow_junk_lines(engine_warning(b, k++)->msg);
		if ((strstr(x->msg, " (not joined to it)") != NULL ||
		     follow_continued_line(a, x->line)) &&
		    (k >= engine_nwarnings(b) ||
		     strcmp(x->msg, engine_warning(b, k)->msg) != 0))
			continue;
		ck_assert_msg(k < engine_nwarnings(b), "%s: no warning '%s'",
			      what, x->msg);
		if (follow_over(x->msg, engine_warning(b, k)->msg)) {
			k++;
			continue;
		}
		ck_assert_msg(x->line == engine_warning(b, k)->line &&
			      strcmp(x->msg, engine_warning(b, k)->msg) == 0,
			      "%s: line %u '%s', not line %u '%s'", what,
			      engine_warning(b, k)->line,
			      engine_warning(b, k)->msg, x->line, x->msg);
		k++;
	}
	for (; k < engine_nwarnings(b); k++) {
		jb += follow_junk_lines(engine_warning(b, k)->msg);
		ck_assert_msg(follow_junk_lines(engine_warning(b, k)->msg) != 0,
			      "%s: warning '%s' too many", what,
			      engine_warning(b, k)->msg);
	}
	ck_assert_msg(ja == jb, "%s: %zu junk lines warned about, not %zu",
		      what, jb, ja);
}

/* b, which followed the file, has what a read whole: the same records,
 * the same way (their text the same, or its start when read once quiet),
 * and the same warnings (junk lines possibly in more of them, quiet). */
static void
follow_ck_same(const struct engine *a, const struct engine *b,
	       const char *what, int quiet)
{
	size_t i, n = msgindex_count(engine_index(a));

	ck_assert_msg(msgindex_count(engine_index(b)) == n,
		      "%s: %zu messages, not %zu", what,
		      msgindex_count(engine_index(b)), n);
	for (i = 0; i < n; i++) {
		const struct msg *x = msgindex_get(engine_index(a), (uint32_t)i);
		const struct msg *y = msgindex_get(engine_index(b), (uint32_t)i);
		struct rd_record rx, ry;
		/* Joined in a, and in b read quiet before its rest came:
		 * b has the start of it (compared below). */
		int first_piece = quiet && follow_joined(a, (uint32_t)i) &&
				  !follow_joined(b, (uint32_t)i);

		ck_assert_msg(first_piece ||
		    follow_same_text(engine_record_text(a, (uint32_t)i),
		    engine_record_text(b, (uint32_t)i), quiet),
		    "%s: message %zu (line %u) differs", what, i,
		    engine_msg_line(a, (uint32_t)i));
		ck_assert_msg(engine_msg_line(a, (uint32_t)i) ==
			      engine_msg_line(b, (uint32_t)i),
			      "%s: message %zu: line %u, not %u", what, i,
			      engine_msg_line(b, (uint32_t)i),
			      engine_msg_line(a, (uint32_t)i));
		ck_assert_msg(x->time == y->time && x->dir == y->dir &&
			      (x->flags == y->flags ||
			       (quiet && follow_continued(a, (uint32_t)i) &&
				(x->flags & ~RECF_TRUNCATED) ==
				(y->flags & ~RECF_TRUNCATED))) &&
			      x->time_prec == y->time_prec &&
			      x->kind == y->kind && x->status == y->status &&
			      x->cseq == y->cseq,
			      "%s: message %zu (line %u) indexed otherwise",
			      what, i, engine_msg_line(a, (uint32_t)i));
		ck_assert_int_eq(engine_message(a, (uint32_t)i, &rx, NULL), 0);
		ck_assert_int_eq(engine_message(b, (uint32_t)i, &ry, NULL), 0);
		ck_assert_msg(!first_piece ||
			      (follow_span_same(rx.start, ry.start) &&
			       follow_span_starts(rx.hdrs, ry.hdrs) &&
			       follow_span_starts(rx.body, ry.body) &&
			       (ry.body.n == 0 ||
				follow_span_same(rx.hdrs, ry.hdrs))),
			      "%s: message %zu (line %u): not its first piece",
			      what, i, engine_msg_line(a, (uint32_t)i));
		if (first_piece)
			rx.hdrs = ry.hdrs, rx.body = ry.body;
		ck_assert_msg(follow_span_same(rx.start, ry.start) &&
			      follow_span_same(rx.hdrs, ry.hdrs) &&
			      follow_span_same(rx.body, ry.body) &&
			      follow_same_end(rx.src, ry.src) &&
			      follow_same_end(rx.dst, ry.dst) &&
			      follow_span_same(rx.transport, ry.transport),
			      "%s: message %zu (line %u) read otherwise", what,
			      i, engine_msg_line(a, (uint32_t)i));
	}
	if (quiet) {
		follow_ck_warnings_quiet(a, b, what);
		return;
	}
	ck_assert_msg(engine_nwarnings(b) == engine_nwarnings(a),
		      "%s: %zu warnings, not %zu (first: %s)", what,
		      engine_nwarnings(b), engine_nwarnings(a),
		      engine_nwarnings(b) > 0 ? engine_warning(b, 0)->msg :
		      "none");
	for (i = 0; i < engine_nwarnings(a); i++) {
		const struct engine_warning *x = engine_warning(a, i);
		const struct engine_warning *y = engine_warning(b, i);

		if (follow_over(x->msg, y->msg))
			continue;
		ck_assert_msg(x->line == y->line && strcmp(x->msg, y->msg) == 0,
			      "%s: warning %zu: line %u '%s', not line %u "
			      "'%s'", what, i, y->line, y->msg, x->line, x->msg);
	}
}

/* When following begins: as the file is added (--follow), or once its
 * first piece is read (the viewer's F), that piece read by this thread or
 * by the second one (engine_set_parallel). */
enum follow_when {
	FOLLOW_START,
	FOLLOW_LATER,
	FOLLOW_LATER_PAR,
	FOLLOW_LATER_BG,	/* read first beside (engine_set_background) */
};

static const char *const follow_when_names[] = { "", ", F", ", F, 2 threads",
						 ", F, converted beside" };

/* What --list --follow printed of a followed engine (main.c
 * main_follow): each message once, when it is no longer both tentative
 * (engine_tentative) and cut short. st[id]: 0 not yet, 1 whole, 2 cut
 * short; lo: the first not printed. */
struct follow_printed {
	unsigned char *st;
	size_t n, lo;
};

static void
follow_note_printed(const struct engine *b, struct follow_printed *p)
{
	size_t n = msgindex_count(engine_index(b)), id;
	int cut;

	if (n > p->n) {
		p->st = xrealloc(p->st, n);
		memset(p->st + p->n, 0, n - p->n);
		p->n = n;
	}
	for (id = p->lo; id < n; id++) {
		if (p->st[id] != 0)
			continue;
		cut = (msgindex_get(engine_index(b), (uint32_t)id)->flags &
		       RECF_TRUNCATED) != 0;
		if (!cut || !engine_tentative(b, (uint32_t)id))
			p->st[id] = (unsigned char)(1 + cut);
	}
	while (p->lo < n && p->st[p->lo] != 0)
		p->lo++;
}

/* A message printed cut short is cut short when the whole log is read: it
 * was not printed while its writer was still at it. */
static void
follow_ck_printed(const struct engine *a, const struct follow_printed *p,
		  const char *what)
{
	size_t id;

	for (id = 0; id < p->n && id < msgindex_count(engine_index(a)); id++) {
		if (p->st[id] == 2)
			ck_assert_msg(msgindex_get(engine_index(a),
						   (uint32_t)id)->flags &
				      RECF_TRUNCATED,
				      "%s: message %zu listed cut short", what,
				      id);
	}
}

/* Follows path while src is written to it in pieces (how, arg), looking
 * after each piece and, when quiet, once more as the file is quiet (its
 * last line, without a line break yet, then read as complete where that
 * completes a record); compares what it read with a. */
static void
follow_cut_run(const struct engine *a, const struct source *src,
	       const char *format, const char *path, enum follow_cut how,
	       size_t arg, int quiet, enum follow_when when)
{
	struct engine *b = engine_new();
	struct follow_printed printed = { NULL, 0, 0 };
	char what[256], *err = NULL;
	size_t at = 0, end;

	snprintf(what, sizeof what, "%s, %s %zu%s%s", src->path,
		 follow_cut_names[how], arg, quiet ? ", quiet" : "",
		 follow_when_names[when]);
	/* Not quiet: a partial last line waits for its line break. */
	engine_set_follow_quiet(b, quiet ? 0 : 3600 * 1000);
	if (when == FOLLOW_START) {
		engine_follow(b, 1);
		follow_write(path, "", 0, "w");
	} else {
		/* Read as it is when F is pressed: the second thread stops
		 * after all it read is committed, the last record with it. */
		engine_set_parallel(b, when == FOLLOW_LATER_PAR);
		engine_set_background(b, when == FOLLOW_LATER_BG);
		at = follow_next_cut(src, how, arg, 0);
		follow_write(path, src->data, at, "w");
	}
	/* Named as the whole read found it: the first piece may be too
	 * short for the probe. */
	ck_assert_int_eq(engine_add_file(b, path, format, &err), 0);
	if (when == FOLLOW_LATER_PAR)
		engine_step(b, 1);
	else
		engine_run(b);
	if (when != FOLLOW_START) {
		/* A first piece with no message is refused, and not followed:
		 * nothing to compare. */
		if (msgindex_count(engine_index(b)) == 0) {
			ck_assert_int_eq(engine_file(b, 0)->unreadable, 1);
			engine_free(b);
			return;
		}
		engine_follow_files(b);
		ck_assert_uint_eq(engine_nfollowed(b), 1);
	}
	for (; at < src->len; at = end) {
		end = follow_next_cut(src, how, arg, at);
		follow_write(path, src->data + at, end - at, "a");
		engine_poll(b);	/* grew */
		/* A small budget: what is left is stepped on. */
		while (engine_step(b, 3))
			;
		follow_note_printed(b, &printed);
		if (quiet) {
			engine_poll(b);	/* quiet: the last line */
			while (engine_step(b, 3))
				;
			follow_note_printed(b, &printed);
		}
	}
	/* The writer is done: its last line, if it has no line break. */
	engine_set_follow_quiet(b, 0);
	engine_poll(b);
	while (engine_step(b, 3))
		;
	follow_ck_same(a, b, what, quiet);
	follow_ck_printed(a, &printed, what);
	free(printed.st);
	engine_free(b);
}

/* Fixture _i written in pieces of 97 and 401 bytes, a line at a time, a
 * byte at a time (small ones), and cut once at each line break. */
START_TEST(test_follow_cut)
{
	const char *file = follow_files[_i];
	char dir[64], path[128], *err = NULL;
	struct source *src = source_open(file, &err);
	struct engine *a = engine_new();
	const char *format;
	size_t at;

	ck_assert_ptr_nonnull(src);
	test_mkdtemp(dir, "follow");
	snprintf(path, sizeof path, "%s/cut.log", dir);
	ck_assert_int_eq(engine_add_file(a, file, NULL, &err), 0);
	engine_run(a);
	ck_assert_uint_gt(msgindex_count(engine_index(a)), 0);
	format = engine_file(a, 0)->fmt->name;
	ck_assert_ptr_nonnull(engine_file(a, 0)->fmt->next);
	follow_cut_run(a, src, format, path, CUT_STEP, 97, 1, FOLLOW_START);
	follow_cut_run(a, src, format, path, CUT_STEP, 401, 1, FOLLOW_START);
	follow_cut_run(a, src, format, path, CUT_LINES, 0, 0, FOLLOW_START);
	follow_cut_run(a, src, format, path, CUT_LINES, 0, 1, FOLLOW_START);
	if (src->len <= FOLLOW_BYTES_MAX)
		follow_cut_run(a, src, format, path, CUT_STEP, 1, 1,
			       FOLLOW_START);
	for (at = 0; at < src->len; at++) {
		if (src->data[at] == '\n')
			follow_cut_run(a, src, format, path, CUT_ONCE, at + 1,
				       0, FOLLOW_START);
	}
	engine_free(a);
	source_free(src);
	test_rm_rf(dir);
}
END_TEST

/* Fixture _i read as far as a line break, or as the middle of a line,
 * then followed (the viewer's F) while the rest is written: a last
 * record the writer had not finished when F was pressed is read again
 * once it has, and the index and the warnings are those of the whole
 * file (the record was cut short, and its rest junk). */
START_TEST(test_follow_later_cut)
{
	const char *file = follow_files[_i];
	char dir[64], path[128], *err = NULL;
	struct source *src = source_open(file, &err);
	struct engine *a = engine_new();
	const char *format;
	size_t at, from = 0;

	ck_assert_ptr_nonnull(src);
	test_mkdtemp(dir, "follow");
	snprintf(path, sizeof path, "%s/later.log", dir);
	ck_assert_int_eq(engine_add_file(a, file, NULL, &err), 0);
	engine_run(a);
	format = engine_file(a, 0)->fmt->name;
	for (at = 0; at < src->len; at++) {
		if (src->data[at] != '\n')
			continue;
		follow_cut_run(a, src, format, path, CUT_ONCE, at + 1, 0,
			       FOLLOW_LATER);
		follow_cut_run(a, src, format, path, CUT_ONCE, at + 1, 0,
			       FOLLOW_LATER_PAR);
		if (at - from > 2)
			follow_cut_run(a, src, format, path, CUT_ONCE,
				       from + (at - from) / 2, 0, FOLLOW_LATER);
		from = at + 1;
	}
	engine_free(a);
	source_free(src);
	test_rm_rf(dir);
}
END_TEST

/* Syslog or ngrep fixture _i (converted as it comes) written in pieces
 * (of 97 and 401 bytes, a line at a time, a byte at a time, cut once at
 * each line break) while followed
 * from the start, and read whole first then followed (F) from each line
 * break: the same messages, lines, times and warnings as the whole file
 * read at once. */
START_TEST(test_follow_live_cut)
{
	const char *file = live_files[_i];
	char dir[64], path[128], *err = NULL;
	struct source *src = source_open(file, &err);
	struct engine *a = engine_new();
	const char *fmt;
	size_t at;

	ck_assert_ptr_nonnull(src);
	test_mkdtemp(dir, "follow");
	snprintf(path, sizeof path, "%s/live.log", dir);
	ck_assert_int_eq(engine_add_file(a, file, NULL, &err), 0);
	engine_run(a);
	ck_assert_uint_gt(msgindex_count(engine_index(a)), 0);
	ck_assert_ptr_nonnull(engine_file(a, 0)->fmt->more);
	fmt = engine_file(a, 0)->fmt->name;
	follow_late_programs = strstr(file, "many-pbx") != NULL;
	follow_cut_run(a, src, fmt, path, CUT_STEP, 97, 0, FOLLOW_START);
	follow_cut_run(a, src, fmt, path, CUT_STEP, 401, 0, FOLLOW_START);
	follow_cut_run(a, src, fmt, path, CUT_LINES, 0, 0, FOLLOW_START);
	follow_cut_run(a, src, fmt, path, CUT_STEP, 1, 0, FOLLOW_START);
	/* Quiet after each piece: what waits for more read as at the end,
	 * taken back once more comes. */
	follow_cut_run(a, src, fmt, path, CUT_STEP, 97, 1, FOLLOW_START);
	follow_cut_run(a, src, fmt, path, CUT_LINES, 0, 1, FOLLOW_START);
	for (at = 0; at < src->len; at++) {
		if (src->data[at] != '\n')
			continue;
		follow_cut_run(a, src, fmt, path, CUT_ONCE, at + 1, 0,
			       FOLLOW_START);
		follow_cut_run(a, src, fmt, path, CUT_ONCE, at + 1, 1,
			       FOLLOW_START);
		/* ngrep read whole keeps its last packet as read, F or
		 * not (a known limit): not compared. */
		if (strcmp(fmt, "ngrep") == 0)
			continue;
		follow_cut_run(a, src, fmt, path, CUT_ONCE, at + 1, 0,
			       FOLLOW_LATER_BG);
		follow_cut_run(a, src, fmt, path, CUT_ONCE, at + 1, 1,
			       FOLLOW_LATER_BG);
	}
	engine_free(a);
	source_free(src);
	test_rm_rf(dir);
}
END_TEST

/* Every format read record by record has a fixture above. */
START_TEST(test_formats_covered)
{
	size_t i, k;

	for (i = 0; reader_formats[i] != NULL; i++) {
		const struct rd_format *fmt = reader_formats[i];
		int found = 0;

		if (fmt->next == NULL)
			continue;
		for (k = 0; k < FOLLOW_NFILES && !found; k++) {
			char *err = NULL;
			struct source *src = source_open(follow_files[k], &err);

			ck_assert_ptr_nonnull(src);
			found = reader_probe(src->data, src->len) == fmt;
			source_free(src);
		}
		ck_assert_msg(found, "no fixture followed as %s", fmt->name);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("follow");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_follow_cut, 0, (int)FOLLOW_NFILES);
	tcase_add_loop_test(tc, test_follow_later_cut, 0, (int)FOLLOW_NFILES);
	tcase_add_loop_test(tc, test_follow_live_cut, 0, (int)LIVE_NFILES);
	tcase_add_test(tc, test_formats_covered);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
