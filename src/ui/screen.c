/* screen: composes the viewer (title, panes, overlays, status line) and
 * dispatches actions: global ones here, pane ones to the focused pane.
 * Everything is testable without a terminal; app.c only feeds keys and
 * blits. */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "screen.h"
#include "theme.h"
#include "view.h"
#include "engine.h"
#include "source.h"
#include "util.h"
#include "filter.h"
#include "twin.h"

/* Search work per tick: enough to finish small files at once, small
 * enough that a key is answered within a few milliseconds. */
#define SCREEN_SEARCH_BUDGET 4000
/* A filter error beside the prompt leaves the line being edited this
 * many columns at least (all of it when shorter). */
#define SCREEN_PROMPT_LEAST 20
/* And it is cut before its column when that leaves it this many columns
 * of what is wrong. */
#define SCREEN_CUT_LEAST 20
/* Messages a save writes before the keys are looked at again. */
#define SCREEN_SAVE_BUDGET 20000

static void screen_say_count(struct screen *s, const char *fmt);

struct screen *
screen_new(struct engine *e, struct view *v, int utf8)
{
	struct screen *s = xcalloc(1, sizeof *s);
	int i;

	s->e = e;
	s->v = v;
	s->utf8 = utf8;
	s->panes[LP_LIST] = pane_list_new(v);
	s->panes[LP_DETAIL] = pane_detail_new(v);
	s->panes[LP_FLOW] = pane_flow_new(v);
	for (i = 0; i < LP__COUNT; i++)
		s->panes[i]->utf8 = utf8;
	s->focus = LP_LIST;
	s->maximised = LP_NONE;
	s->mode = LAYOUT_SPLIT;
	s->cursor_x = s->cursor_y = -1;
	s->await_dialog = -1;
	s->saving.fd = -1;
	strbuf_init(&s->saving.buf);
	prompt_init(&s->prompt);
	screen_say_count(s, NULL);	/* of -f's filter */
	return s;
}

void
screen_free(struct screen *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < LP__COUNT; i++)
		pane_free(s->panes[i]);
	pane_free(s->overlay);
	pane_free(s->overlay_under);
	pane_free(s->report_back);
	prompt_free(&s->prompt);
	free(screen_save_cancel(s));
	free(s->saving.path);
	free(s->saving.err);
	free(s->save_path);
	free(s->search_prev);
	free(s);
}

int
screen_following(const struct screen *s)
{
	return s->follow &&
	       (engine_nfollowed(s->e) > 0 || engine_nawaited(s->e) > 0);
}

void
screen_message(struct screen *s, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->status, sizeof s->status, fmt, ap);
	va_end(ap);
	s->status_error = error;
	s->status_keep = 0;
}

static void
screen_too_small(struct screen *s, struct grid *g)
{
	const char *l1 = "Terminal too small", *l1s = "too small";
	char l2[48];
	int w = g->w, h = g->h, y = h / 2 - (h > 2 ? 1 : 0);
	const char *m = (int)strlen(l1) <= w ? l1 : l1s;

	grid_fill(g, (struct rect){0, 0, w, h}, ROLE_DEFAULT);
	snprintf(l2, sizeof l2, "%dx%d, need %dx%d", w, h, LAYOUT_MIN_W,
		 LAYOUT_MIN_H);
	grid_puts(g,
		  (w - (int)strlen(m)) / 2 > 0 ? (w - (int)strlen(m)) / 2 : 0,
		  y, w, ROLE_TOO_SMALL, m);
	if (h > 2 && (int)strlen(l2) <= w)
		grid_puts(g, (w - (int)strlen(l2)) / 2, y + 1, w, ROLE_DEFAULT,
			  l2);
	s->cursor_x = s->cursor_y = -1;
}

/* Whether the title names file i: one not read is W's (unless none was:
 * all), and a file followed again from its start (truncated or rotated:
 * engine_open_file makes it another input) is the one already named, in
 * the same format. After two rotations the title read "fe.log [cls],
 * fe.log [cls], fe.log [cls], +1 more", the other log given only as
 * its count. reread: some file was followed again so (else none is
 * looked for, which would be a pass over all the inputs for each). */
static int
screen_title_names(struct screen *s, size_t i, int all, int reread)
{
	const struct engine_file *f = engine_file(s->e, i), *o;
	char fbuf[64], obuf[64];
	const char *fmt;
	size_t k;

	if (f->unreadable && !all)
		return 0;
	if (!reread)
		return 1;
	fmt = engine_format_name(f, fbuf, sizeof fbuf);
	for (k = 0; k < i; k++) {
		o = engine_file(s->e, k);
		if (o->follow_ended && (all || !o->unreadable) &&
		    strcmp(o->src->path, f->src->path) == 0 &&
		    strcmp(engine_format_name(o, obuf, sizeof obuf), fmt) == 0)
			return 0;
	}
	return 1;
}

/* The title says which files are read, how many messages are shown of how
 * many, the filter and the search. When that does not fit, the program's
 * name goes first, then the file names give way to their count, then
 * that goes too, and what is still too long is cut with a '~': the
 * counts, the filter and the search matter more than the names of the
 * files. */
static void
screen_title(struct screen *s, struct grid *g, struct rect r)
{
	struct strbuf files, rest, sb, filt;
	char fmt[64];
	size_t i, nf = engine_nfiles(s->e), shown, nnamed = 0;
	int pw, avail, level, all, reread;
	char prog[64] = "";

	grid_fill(g, r, ROLE_TITLE);
	strbuf_init(&files);
	strbuf_init(&rest);
	strbuf_init(&sb);
	strbuf_init(&filt);
	/* One not read is W's, with the count below; but when none was
	 * (a file read as a format it is not, an empty capture followed),
	 * they are named all the same: the title says what is open. */
	for (i = 0, all = 1; i < nf && all; i++)
		all = engine_file(s->e, i)->unreadable;
	for (i = 0, reread = 0; i < nf && !reread; i++)
		reread = engine_file(s->e, i)->follow_ended;
	for (i = 0, shown = 0; i < nf; i++) {
		const struct engine_file *f = engine_file(s->e, i);
		const char *path = f->src->path, *base = strrchr(path, '/');

		if (!screen_title_names(s, i, all, reread))
			continue;
		nnamed++;
		if (shown > 3)
			continue;
		if (shown > 0)
			strbuf_adds(&files, ", ");
		if (shown++ >= 3) {
			size_t more = 0, k;

			for (k = i; k < nf; k++)
				more += screen_title_names(s, k, all, reread);
			strbuf_addf(&files, "+%zu more", more);
			continue;
		}
		sanitize_append(&files, base ? base + 1 : path,
				strlen(base ? base + 1 : path), 0);
		strbuf_addf(&files, " [%s]",
			    engine_format_name(f, fmt, sizeof fmt));
	}
	strbuf_addf(&rest, "%zu/%zu msgs", s->v->nids,
		    msgindex_count(engine_index(s->e)));
	view_filter_text(s->v, &filt);
	if (filt.len > 0) {
		strbuf_adds(&rest, "  filter: ");
		sanitize_append(&rest, filt.buf, filt.len, 0);
	}
	strbuf_free(&filt);
	if (s->v->search != NULL) {
		size_t hi, hn;
		int hs = view_hits(s->v, &hi, &hn);

		strbuf_adds(&rest, "  search: ");
		sanitize_append(&rest, s->v->search, strlen(s->v->search), 0);
		/* Where the selection is among the matches shown. */
		if (hs == VHITS_DONE && hi > 0)
			strbuf_addf(&rest, "  match %zu of %zu", hi, hn);
		else if (hs == VHITS_DONE)
			strbuf_addf(&rest, "  %zu match%s", hn,
				    hn == 1 ? "" : "es");
		else if (hs == VHITS_COUNTING)
			strbuf_addf(&rest, "  %zu match%s so far", hn,
				    hn == 1 ? "" : "es");
	}
	if (!engine_done(s->e) && engine_reading_bytes(s->e) > 0)
		/* A pipe: how much is to come is not known. */
		snprintf(prog, sizeof prog, " reading %.1f MB ",
			 (double)engine_reading_bytes(s->e) / 1e6);
	else if (!engine_done(s->e))
		snprintf(prog, sizeof prog, " %s %u%% ",
			 engine_activity(s->e), engine_progress(s->e) / 10);
	else {
		/* Inputs missing from the list matter more than warnings
		 * about those in it; W lists both. */
		size_t nunread = engine_nunread(s->e), nw = engine_nwarnings(s->e);
		int following = s->follow && engine_nfollowed(s->e) > 0;
		size_t nawaited = engine_nawaited(s->e);

		/* Inputs not begun are waited for only while following: once
		 * F stopped it, nothing reads them. */
		if (!s->follow) {
			nunread += nawaited;
			nawaited = 0;
		}
		if (nunread > 0)
			snprintf(prog, sizeof prog, " %s%zu input%s not read (W) ",
				 following ? "following, " : "", nunread,
				 nunread == 1 ? "" : "s");
		else if (nawaited > 0)
			snprintf(prog, sizeof prog, " %s%zu input%s not begun (W) ",
				 following ? "following, " : "", nawaited,
				 nawaited == 1 ? "" : "s");
		else if (nw > 0)
			/* With the key that lists them, as the inputs not
			 * read and "not rated" have; while following too,
			 * as what comes may bring some (a file truncated and
			 * read again, junk, a record cut short). */
			snprintf(prog, sizeof prog, " %s%zu warning%s%s (W) ",
				 following ? "following, " : "", nw,
				 nw == 1 ? "" : "s",
				 s->v->rules == NULL ? ", not rated" : "");
		else if (s->v->rules == NULL)
			/* No colour and no verdict: W says why, following
			 * or not. */
			snprintf(prog, sizeof prog, " %snot rated (W) ",
				 following ? "following, " : "");
		else if (following)
			snprintf(prog, sizeof prog, " following ");
	}
	pw = (int)strlen(prog);
	if (pw > r.w)
		pw = 0;
	avail = r.w - pw - (pw > 0);
	for (level = 0; level < 4; level++) {
		strbuf_reset(&sb);
		if (level == 0)
			strbuf_adds(&sb, "sipsnoop ");
		if (level <= 1)
			strbuf_add(&sb, files.buf, files.len);
		else if (level == 2 && nnamed > 1)
			strbuf_addf(&sb, "%zu files", nnamed);
		if (sb.len > 0)
			strbuf_adds(&sb, "  ");
		strbuf_add(&sb, rest.buf, rest.len);
		if (grid_text_width(sb.buf, sb.len) <= avail)
			break;
	}
	if (grid_text_width(sb.buf, sb.len) > avail && avail > 0) {
		size_t fit = grid_text_fit(sb.buf, sb.len, avail - 1);

		grid_put(g, r.x, r.y, r.x + avail, ROLE_TITLE, sb.buf, fit);
		grid_puts(g, r.x + grid_text_width(sb.buf, fit), r.y,
			  r.x + avail, ROLE_TITLE, "~");
	} else
		grid_put(g, r.x, r.y, r.x + avail, ROLE_TITLE, sb.buf, sb.len);
	if (pw > 0)
		grid_puts(g, r.x + r.w - pw, r.y, r.x + r.w,
			  ROLE_TITLE_PROGRESS, prog);
	strbuf_free(&files);
	strbuf_free(&rest);
	strbuf_free(&sb);
}

/* Puts n bytes of safe text at x, cut before xmax with a '~' in the last
 * column when it does not fit. */
static void
screen_put_cut(struct grid *g, int x, int y, int xmax, int role, const char *t,
	       size_t n)
{
	size_t fit;

	if (grid_text_width(t, n) <= xmax - x || xmax - x < 2) {
		grid_put(g, x, y, xmax, role, t, n);
		return;
	}
	fit = grid_text_fit(t, n, xmax - x - 1);
	x = grid_put(g, x, y, xmax, role, t, fit);
	grid_puts(g, x, y, xmax, role, "~");
}

/* The same, but a cut is made before the last keep bytes, which stay
 * (the column of an error: what says where is not lost), when it leaves
 * SCREEN_CUT_LEAST columns of the rest; else, on a narrow line, what is
 * wrong comes first (the prompt's cursor and '^' show where). */
static void
screen_put_cut_keep(struct grid *g, int x, int y, int xmax, int role,
		    const char *t, size_t n, size_t keep)
{
	int kw;
	size_t fit;

	if (keep > n)
		keep = n;
	kw = grid_text_width(t + n - keep, keep);
	if (grid_text_width(t, n) <= xmax - x || keep == 0 ||
	    kw + 1 + SCREEN_CUT_LEAST > xmax - x) {
		screen_put_cut(g, x, y, xmax, role, t, n);
		return;
	}
	fit = grid_text_fit(t, n - keep, xmax - x - kw - 1);
	x = grid_put(g, x, y, xmax, role, t, fit);
	x = grid_puts(g, x, y, xmax, role, "~");
	grid_put(g, x, y, xmax, role, t + n - keep, keep);
}

/* The keys the status line names, for the list and for each screen over
 * it: those that do something there. */
struct screen_hint {
	const char *key, *what;
};
static const struct screen_hint screen_hints_list[] = {
    {"?", "help"},	 {"/", "search"},	 {"f", "filter"},
    {"Enter", "dialog"}, {"Esc", "back"},	 {"]/[", "step"},
    {"e", "error"},	 {"R", "registrations"}, {"Tab", "pane"},
    {"q", "quit"},	 {NULL, NULL},
};
static const struct screen_hint screen_hints_report[] = {
    {"Up/Down", "select"}, {"Enter", "flow"}, {"?", "help"},
    {"q/Esc", "close"},	   {"C-c", "quit"},   {NULL, NULL},
};
static const struct screen_hint screen_hints_text[] = {
    {"Up/Down", "scroll"}, {"PgUp/PgDn", "page"}, {"g/G", "top/end"},
    {"q/Esc", "close"},	   {"C-c", "quit"},	  {NULL, NULL},
};

static void
screen_status(struct screen *s, struct grid *g, struct rect r)
{
	const struct screen_hint *hints = screen_hints_list;
	size_t i;
	int x;

	grid_fill(g, r, ROLE_STATUS);
	s->cursor_x = s->cursor_y = -1;
	if (s->prompt.active) {
		/* A filter error stays in view next to the line it is
		 * about, on the right of the prompt. */
		int ew = 0;

		if (s->status_error && s->status[0] != '\0') {
			/* Whole when the terminal is wide enough: the line
			 * being edited gives way (it scrolls to keep the
			 * cursor, on the error, in view) down to
			 * SCREEN_PROMPT_LEAST columns; the error has at
			 * least half the width, cut before its column. */
			int lw = grid_text_width(s->prompt.label,
						 strlen(s->prompt.label));
			int tw = grid_text_width(s->prompt.buf,
						 s->prompt.len) + 1;
			int room = r.w - lw - 1 -
				   (tw < SCREEN_PROMPT_LEAST
					? tw : SCREEN_PROMPT_LEAST);

			if (room < r.w / 2)
				room = r.w / 2;
			ew = grid_text_width(s->status, strlen(s->status));
			if (ew > room)
				ew = room;
			screen_put_cut_keep(g, r.x + r.w - ew, r.y, r.x + r.w,
					    ROLE_STATUS_ERROR, s->status,
					    strlen(s->status), s->status_keep);
		}
		s->cursor_x = prompt_draw(&s->prompt, g, r.x, r.y,
					  r.x + r.w - (ew ? ew + 1 : 0));
		s->cursor_y = r.y;
		return;
	}
	if (s->saving.active) {
		const struct screen_saving *sv = &s->saving;
		struct strbuf sb, path;

		strbuf_init(&sb);
		strbuf_init(&path);
		sanitize_append(&path, sv->path, strlen(sv->path), 0);
		if (sv->fd < 0)
			strbuf_addf(&sb, "saving to %s: waiting for a reader of "
				    "the pipe  (Esc or C-c cancels)", path.buf);
		else if (sv->blocked)
			strbuf_addf(&sb, "saving: waiting for the reader of %s, "
				    "%zu of %zu messages written  (Esc or C-c "
				    "cancels)", path.buf, sv->written,
				    sv->total);
		else
			strbuf_addf(&sb, "saving to %s: %zu of %zu messages  "
				    "(Esc or C-c cancels)", path.buf,
				    sv->written, sv->total);
		screen_put_cut(g, r.x, r.y, r.x + r.w, ROLE_STATUS, sb.buf,
			       sb.len);
		strbuf_free(&sb);
		strbuf_free(&path);
		return;
	}
	if (s->v->search_state == VSEARCH_RUNNING && s->v->search_counting) {
		grid_printf(g, r.x, r.y, r.x + r.w, ROLE_STATUS,
			    "no match shown; counting those the filter "
			    "hides... %u%%, %zu so far  (Esc stops)",
			    view_search_progress(s->v), s->v->search_hidden);
		return;
	}
	if (s->v->search_state == VSEARCH_RUNNING) {
		grid_printf(g, r.x, r.y, r.x + r.w, ROLE_STATUS,
			    "searching... %u%%  (Esc cancels)",
			    view_search_progress(s->v));
		return;
	}
	if (s->v->filtering) {
		struct strbuf sb;

		strbuf_init(&sb);
		if (s->status[0] != '\0') {
			strbuf_adds(&sb, "  ");
			sanitize_append(&sb, s->status, strlen(s->status), 0);
		}
		grid_printf(g, r.x, r.y, r.x + r.w, ROLE_STATUS,
			    "filtering... %u%%, %zu so far  (Esc: back)%s",
			    view_filter_progress(s->v), s->v->nids + s->v->npre,
			    sb.buf != NULL ? sb.buf : "");
		strbuf_free(&sb);
		return;
	}
	if (s->status[0] != '\0') {
		struct strbuf sb;

		strbuf_init(&sb);
		sanitize_append(&sb, s->status, strlen(s->status), 0);
		screen_put_cut(g, r.x, r.y, r.x + r.w,
			       s->status_error ? ROLE_STATUS_ERROR
					       : ROLE_STATUS,
			       sb.buf, sb.len);
		strbuf_free(&sb);
		return;
	}
	/* Between the messages of keys, --dialog N still waited for: the
	 * count of dialogs as it is now. */
	if (s->await_dialog >= 0 && screen_following(s) &&
	    (size_t)s->await_dialog >= dialogs_count(engine_dialogs(s->e))) {
		grid_printf(g, r.x, r.y, r.x + r.w, ROLE_STATUS,
			    "no dialog %ld yet (there are %zu): waiting for it",
			    s->await_dialog,
			    dialogs_count(engine_dialogs(s->e)));
		return;
	}
	if (s->overlay != NULL)
		hints = strcmp(s->overlay->ops->name, "report") == 0
			    ? screen_hints_report
			    : screen_hints_text;
	x = r.x;
	for (i = 0; hints[i].key != NULL; i++) {
		int need =
		    (int)(strlen(hints[i].key) + strlen(hints[i].what)) + 2;

		if (x + need > r.x + r.w)
			break;
		x = grid_puts(g, x, r.y, r.x + r.w, ROLE_STATUS_KEY,
			      hints[i].key);
		x = grid_puts(g, x + 1, r.y, r.x + r.w, ROLE_STATUS,
			      hints[i].what) +
		    2;
	}
}

void
screen_draw(struct screen *s, struct grid *g)
{
	int i;

	/* A filter in steps that indexing finished at once (view_update)
	 * still says how many messages it found. */
	if (s->filtered_fmt != NULL && !s->v->filtering) {
		screen_say_count(s, s->filtered_fmt);
		s->filtered_fmt = NULL;
	}
	layout_compute(&s->lay, g->w, g->h, s->mode, s->maximised);
	if (s->lay.too_small) {
		screen_too_small(s, g);
		return;
	}
	grid_fill(g, (struct rect){0, 0, g->w, g->h}, ROLE_DEFAULT);
	/* A focused pane hidden by the layout gives its focus back. */
	if (s->lay.pane[s->focus].w == 0)
		s->focus = LP_LIST;
	screen_title(s, g, s->lay.title);
	if (s->overlay != NULL)
		pane_draw(s->overlay, g, s->lay.body);
	else {
		for (i = 0; i < LP__COUNT; i++) {
			s->panes[i]->focused = i == s->focus;
			pane_draw(s->panes[i], g, s->lay.pane[i]);
		}
		for (i = 0; i < 2; i++) {
			struct rect sr = s->lay.sep[i];
			int y;

			for (y = sr.y; y < sr.y + sr.h && sr.w > 0; y++)
				grid_puts(g, sr.x, y, sr.x + 1, ROLE_BORDER,
					  s->utf8 ? "│" : "|");
		}
	}
	screen_status(s, g, s->lay.status);
}

/* What f shows when a filter typed at f is done. */
static const char screen_fmt_match[] = "%zu %s  (Esc: back)";

/* "s" after a count other than 1. */
static const char *
screen_plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The filter shown: how many words it holds written like a field that is
 * none (stauts:401), appended as a list to word and their names to name
 * (made safe to show), as filter_fieldlike(); *nn of names. */
static size_t
screen_fieldlike(const struct screen *s, struct strbuf *word,
		 struct strbuf *name, size_t *nn)
{
	const struct view_level *l;
	struct strbuf words, names;
	size_t nw;

	*nn = 0;
	if (s->v->nlevels == 0)
		return 0;
	l = &s->v->levels[s->v->nlevels - 1];
	if (l->f == NULL)
		return 0;
	strbuf_init(&words);
	strbuf_init(&names);
	nw = filter_fieldlike(l->f, &words, &names, nn);
	if (word != NULL)
		sanitize_append(word, words.buf, words.len, 0);
	if (name != NULL)
		sanitize_append(name, names.buf, names.len, 0);
	strbuf_free(&words);
	strbuf_free(&names);
	return nw;
}

/* Says how many messages the filter shows, with fmt (a %zu, then a %s for
 * "message(s)", or with screen_fmt_match "message(s) match(es)"; then its
 * "  (keys)" hint; NULL: not how many, and only what follows). A filter
 * that holds words written like fields that are none (stauts:401) was
 * likely meant with them: say so whatever it matches (the words may be in
 * some messages' text), as the batch outputs do on standard error. */
static void
screen_say_count(struct screen *s, const char *fmt)
{
	const char *keys = fmt != NULL ? strstr(fmt, "  (") : NULL;
	size_t n = s->v->nids, nw, nn;
	struct strbuf word, name;
	const char *isno, *was;

	strbuf_init(&word);
	strbuf_init(&name);
	nw = screen_fieldlike(s, &word, &name, &nn);
	if (nw == 0) {
		/* While indexing goes on, more are to come: the title's
		 * count grows past this one. */
		char noun[48];

		snprintf(noun, sizeof noun, "%s%s",
			 fmt != screen_fmt_match ? (n == 1 ? "message"
							   : "messages")
			 : n == 1 ? "message matches"
				  : "messages match",
			 engine_done(s->e) ? "" : " so far");
		if (fmt != NULL)
			screen_message(s, 0, fmt, n, noun);
		strbuf_free(&word);
		strbuf_free(&name);
		return;
	}
	isno = nn == 1 ? "is no field name" : "are no field names";
	was = nw == 1 ? "was" : "were";
	if (fmt == NULL)
		/* -f's, before its count is known. */
		screen_message(s, 0, "-f: %s %s: %s %s read as free text (see "
			       "FILTERS in sipsnoop(1))", name.buf, isno,
			       word.buf, was);
	else if (n == 0)
		screen_message(s, 0, "no message matches: %s %s, %s %s read "
			       "as free text%s", name.buf, isno, word.buf, was,
			       keys != NULL ? keys : "");
	else
		screen_message(s, 0, "%zu %s, but %s %s: %s %s read as free "
			       "text%s", n,
			       n == 1 ? "message matches" : "messages match",
			       name.buf, isno, word.buf, was,
			       keys != NULL ? keys : "");
	strbuf_free(&word);
	strbuf_free(&name);
}

/* Says how many messages a new filter shows (fmt as screen_say_count's): now, or
 * when a filter applied in steps is done (the status line shows its
 * progress until then). */
static void
screen_count(struct screen *s, const char *fmt)
{
	s->filtered_fmt = NULL;
	if (s->v->filtering) {
		s->filtered_fmt = fmt;
		s->status[0] = '\0';
		s->status_error = 0;
	} else
		screen_say_count(s, fmt);
}

static void
screen_push(struct screen *s, const char *field, const char *value, size_t n)
{
	struct strbuf sb;
	char *err = NULL;
	int errcol = -1;

	strbuf_init(&sb);
	strbuf_adds(&sb, field);
	filter_quote(&sb, value, n);
	if (view_filter_expr(s->v) != NULL &&
	    strcmp(view_filter_expr(s->v), sb.buf) == 0)
		/* Once more would only make Esc take two presses. -f's
		 * filter has none before it to go back to. */
		screen_message(s, 0, "%s",
			       s->v->nlevels > 1
				   ? "already filtered by this  (Esc: back)"
				   : "already filtered by this  "
				     "(x: all messages)");
	else if (view_push_filter(s->v, sb.buf, &err, &errcol) != 0) {
		screen_message(s, 1, "filter: %s", err ? err : "error");
		free(err);
	} else
		screen_count(s, "%zu %s  (Esc: back)");
	strbuf_free(&sb);
}

/* How to get every message back with x: over filters pushed on -f's,
 * the first x goes back to -f's filter. */
static const char *
screen_all_hint(const struct screen *s)
{
	return view_base_filters(s->v) && s->v->nlevels > 1
		   ? "x twice: all messages"
		   : "x: all messages";
}

static const struct msg *
screen_sel_msg(struct screen *s)
{
	uint32_t id = view_sel_id(s->v);

	return id == UINT32_MAX ? NULL : msgindex_get(engine_index(s->e), id);
}

/* ] and [ past the end of a dialog: the client answered its challenge
 * (or 423) on a new Call-ID, and the registration goes on in that dialog
 * (view_dialog_cross). Says where it went, or that the filter hides it;
 * 0 when there is no such dialog. */
static int
screen_dialog_cross(struct screen *s, int dir)
{
	const struct msg *cm;
	const struct dialog *dl;
	struct strbuf cid;
	uint32_t ch, other;
	const char *p;
	size_t n;
	int r = view_dialog_cross(s->v, dir, &ch, &other);

	if (r < 0 || (cm = msgindex_get(engine_index(s->e), ch)) == NULL ||
	    (dl = dialogs_get(engine_dialogs(s->e), other)) == NULL)
		return 0;
	/* The other dialog's Call-ID: its first message's. */
	strbuf_init(&cid);
	p = intern_str(engine_call_ids(s->e), msgindex_get(engine_index(s->e),
	    dialogs_msgs(engine_dialogs(s->e), dl)[0])->call_id, &n);
	sanitize_append(&cid, p, n, 0);
	if (r > 0)
		screen_message(s, 0,
		    dir > 0 ? "last of this dialog; the client went on "
			      "after the %u in Call-ID %s (hidden; %s)"
			    : "first of this dialog; it answers the %u of "
			      "Call-ID %s (hidden; %s)",
		    cm->status, cid.buf, screen_all_hint(s));
	else if (dir > 0)
		screen_message(s, 0,
		    "on to Call-ID %s: the client went on after the %u in a "
		    "new dialog ([: back)", cid.buf, cm->status);
	else
		screen_message(s, 0,
		    "back to the %u of Call-ID %s, which this dialog's first "
		    "request answers (]: on)", cm->status, cid.buf);
	strbuf_free(&cid);
	return 1;
}

/* o: the selected message as another merged log wrote it (twin_other):
 * a client's REGISTER and the same REGISTER in its server's log. */
static int
screen_twin(struct screen *s)
{
	uint32_t id = view_sel_id(s->v), t;
	const struct engine_file *f;
	const struct msg *m = screen_sel_msg(s);
	long pos;

	if (m == NULL)
		return RE_REDRAW;
	if (engine_nfiles(s->e) < 2) {
		screen_message(s, 0, "one log only: no other log has this "
				     "message");
		return RE_REDRAW;
	}
	if (m->call_id == 0 ||
	    dialogs_of(engine_dialogs(s->e), m) == NO_DIALOG) {
		screen_message(s, 1, "this message has no Call-ID: no other "
				     "log's copy of it can be told");
		return RE_REDRAW;
	}
	t = twin_other(s->e, id);
	if (t == TWIN_NONE) {
		screen_message(s, 0, "no other log has this message (the same "
				     "dialog, CSeq, method and status)");
		return RE_REDRAW;
	}
	f = engine_file(s->e, msgindex_get(engine_index(s->e), t)->file);
	if ((pos = view_find(s->v, t)) < 0) {
		screen_message(s, 0, "the same message in %s:%u is hidden by "
				     "the filter (%s)", f->src->path,
			       (unsigned)engine_msg_line(s->e, t),
			       screen_all_hint(s));
		return RE_REDRAW;
	}
	s->v->sel = (size_t)pos;
	screen_message(s, 0, "the same message as %s wrote it, line %u "
			     "(o: back)", f->src->path,
		       (unsigned)engine_msg_line(s->e, t));
	return RE_REDRAW | RE_SELECT;
}

/* Whether the shown messages cannot be saved as their records: some come
 * from an input converted whole (no text of its own to copy), or from
 * logs of different formats (one file could not be read back). */
static int
screen_save_needs_text(const struct screen *s)
{
	const struct rd_format *fmt = NULL;
	const struct engine_file *f;
	size_t i;

	for (i = 0; i < s->v->nids; i++) {
		uint16_t k = msgindex_get(engine_index(s->e),
					  s->v->ids[i])->file;

		f = engine_file(s->e, k);
		/* Records read back would lose what sipsnoop added: an
		 * --offset, or the local(FILE) name that tells two servers'
		 * logs apart. */
		if (f->canon || (fmt != NULL && f->fmt != fmt) ||
		    f->offset != 0 || (f->local_name[0] == '\0' &&
		    strncmp(engine_local_name(s->e, k), "local(", 6) == 0))
			return 1;
		fmt = f->fmt;
	}
	return 0;
}

/* Appends message id as sngrep's text export writes it: a line with its
 * date, time, source and destination, then the message. Returns 1 for a
 * diagnostic event or a record that cannot be read, which are left out. */
static int
screen_save_text(struct screen *s, uint32_t id, struct strbuf *out)
{
	const struct msg *m = msgindex_get(engine_index(s->e), id);
	struct rd_record rec;
	uint32_t src, dst;
	const char *a, *b, *p, *end, *nl;
	const int64_t day = INT64_C(86400) * 1000000;
	char when[48];
	int64_t t = m->time;

	if (m->kind == MSG_DIAG || engine_message(s->e, id, &rec, NULL) != 0)
		return 1;
	/* YYYY/MM/DD HH:MM:SS.uuuuuu. A time of day alone is on 0000/01/01,
	 * the log's first day, or the days after it that the log went past
	 * midnight: year 0 says there is no date, and the sngrep reader
	 * reads it back so. Before the first day (--offset) is still on it.
	 * Month and day without a year stay on 1970, as the index keeps
	 * them. No time at all is day 0000/00/00, which reads back as none
	 * (it was 0000/01/01 00:00, which read back as a time). */
	if (t == TIME_NONE) {
		snprintf(when, sizeof when, "0000/00/00 00:00:00.000000");
	} else {
		if (msg_time_dating(m) == TIME_DAYS) {
			if (t < 0)
				t = (t % day + day) % day;
			t += time_from_civil(0, 1, 1, 0, 0, 0, 0);
		}
		time_format(when, sizeof when, t, 6, TIME_DATED);
		when[4] = when[7] = '/';
		when[10] = ' ';
	}
	/* An end the log does not give: "?", as --list writes it, which the
	 * sngrep reader reads back as unknown (sngrep itself always has
	 * both addresses of a packet, and no word for one it lacks). */
	engine_msg_ends(s->e, id, &src, &dst);
	a = src != 0 ? engine_str(s->e, src) : "";
	b = dst != 0 ? engine_str(s->e, dst) : "";
	if (*a == '\0')
		a = "?";
	if (*b == '\0')
		b = "?";
	/* The source is one word there: its spaces become underscores. */
	strbuf_adds(out, when);
	strbuf_addc(out, ' ');
	for (p = a; *p != '\0'; p++)
		strbuf_addc(out, *p == ' ' || *p == '\t' ? '_' : *p);
	strbuf_addf(out, " -> %s\n", b);
	strbuf_add(out, rec.start.p, rec.start.n);
	strbuf_adds(out, "\r\n");
	/* The header lines with CRLF, whatever the log used. */
	for (p = rec.hdrs.p, end = p + rec.hdrs.n; p != NULL && p < end;
	     p = nl != NULL ? nl + 1 : end) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		strbuf_add(out, p, n);
		strbuf_adds(out, "\r\n");
	}
	strbuf_adds(out, "\r\n");
	strbuf_add(out, rec.body.p, rec.body.n);
	strbuf_adds(out, "\n\n");
	return 0;
}

int
screen_saved_as_text(const struct screen *s, size_t *left)
{
	*left = s->saved_left;
	return s->saved_text;
}

/* Whether the file st describes is one of the inputs: a file read, one
 * given on the command line (even if it could not be read), or standard
 * input redirected from it. */
static int
screen_is_input(const struct screen *s, const struct stat *st)
{
	struct stat ist;
	size_t i;
	const char *p;

	for (i = 0; i < engine_nfiles(s->e) + s->ninputs; i++) {
		p = i < engine_nfiles(s->e) ? engine_file(s->e, i)->src->path :
		    s->inputs[i - engine_nfiles(s->e)];
		if ((strcmp(p, "-") == 0 ? fstat(STDIN_FILENO, &ist) :
		     stat(p, &ist)) == 0 && ist.st_dev == st->st_dev &&
		    ist.st_ino == st->st_ino)
			return 1;
	}
	return 0;
}

/* Bytes gathered before a write: a pipe holds 64 KiB. */
#define SCREEN_SAVE_CHUNK 65536

int
screen_save_start(struct screen *s, const char *path, int overwrite,
		  char **err)
{
	struct screen_saving *sv = &s->saving;
	struct stat st;
	int fd, exists, flags;

	if (sv->active)
		free(screen_save_cancel(s));
	view_filter_finish(s->v);	/* all of the shown messages */
	exists = stat(path, &st) == 0;
	if (exists) {
		if (screen_is_input(s, &st)) {
			*err = xasprintf("%s is an input file; not overwritten",
					 path);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			*err = xasprintf("%s is a directory", path);
			return -1;
		}
	}
	/* Never blocking: a named pipe that no one reads would hold the
	 * viewer in open(2) or write(2), deaf to keys and to SIGTERM (let in
	 * only while it waits for a key, app.c). What is not a file (a pipe,
	 * a device) is written to as it is. O_EXCL makes "never overwrite
	 * without asking" hold even if the file appears between the check
	 * and the open. */
	flags = O_WRONLY | O_CLOEXEC | O_NONBLOCK;
	if (!exists || S_ISREG(st.st_mode))
		flags |= O_CREAT | (overwrite ? O_TRUNC : O_EXCL);
	fd = open(path, flags, 0666);
	if (fd < 0 && !(errno == ENXIO && exists && S_ISFIFO(st.st_mode))) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	/* ENXIO: a named pipe with no reader yet; each step tries again. */
	free(sv->path);
	sv->path = xstrdup(path);
	sv->fd = fd;
	sv->flags = flags;
	sv->regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	sv->active = 1;
	sv->blocked = 0;
	sv->next = sv->written = sv->inbuf = sv->off = 0;
	sv->total = s->v->nids;
	strbuf_reset(&sv->buf);
	s->saved_text = screen_save_needs_text(s);
	s->saved_left = 0;
	return 0;
}

/* The save ended: closes it; err (owned, or NULL) says why it failed. */
static void
screen_save_end(struct screen *s, char *err)
{
	struct screen_saving *sv = &s->saving;

	if (sv->fd >= 0 && close(sv->fd) != 0 && err == NULL)
		err = xasprintf("%s: %s", sv->path, strerror(errno));
	/* A file cut short (a full disk) would pass for the messages
	 * saved: it goes, as "not saved" says. */
	if (err != NULL && sv->regular)
		unlink(sv->path);
	sv->fd = -1;
	sv->active = 0;
	strbuf_free(&sv->buf);
	free(sv->err);
	sv->err = err;
	if (err != NULL)
		screen_message(s, 1, "not saved: %s", err);
	else if (s->saved_text)
		screen_message(s, 0, "saved %zu messages%s as sngrep text to "
			       "%s", sv->total - s->saved_left,
			       s->saved_left > 0 ? " (no diagnostic events)" : "",
			       sv->path);
	else
		screen_message(s, 0, "saved %zu messages to %s", sv->total,
			       sv->path);
}

int
screen_save_step(struct screen *s, size_t budget)
{
	struct screen_saving *sv = &s->saving;
	ssize_t n;

	if (!sv->active)
		return 1;
	if (sv->fd < 0) {
		sv->fd = open(sv->path, sv->flags, 0666);
		if (sv->fd < 0) {
			if (errno == ENXIO)
				return 0;	/* still no reader */
			screen_save_end(s, xasprintf("%s: %s", sv->path,
						     strerror(errno)));
			return 1;
		}
	}
	while (budget > 0 || sv->off < sv->buf.len) {
		if (sv->off == sv->buf.len) {
			sv->written += sv->inbuf;
			if (sv->next >= sv->total) {
				screen_save_end(s, NULL);
				return 1;
			}
			strbuf_reset(&sv->buf);
			sv->off = sv->inbuf = 0;
			while (sv->buf.len < SCREEN_SAVE_CHUNK &&
			       sv->next < sv->total && budget > 0) {
				uint32_t id = s->v->ids[sv->next++];
				struct span t;

				budget--;
				sv->inbuf++;
				if (s->saved_text) {
					s->saved_left += screen_save_text(
					    s, id, &sv->buf);
					continue;
				}
				t = engine_record_text(s->e, id);
				strbuf_add(&sv->buf, t.p, t.n);
				if (t.n > 0 && t.p[t.n - 1] != '\n')
					strbuf_addc(&sv->buf, '\n');
			}
			if (sv->buf.len == 0)
				continue;	/* only events left out */
		}
		n = write(sv->fd, sv->buf.buf + sv->off, sv->buf.len - sv->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			sv->blocked = 1;
			return 0;
		}
		if (n < 0) {
			screen_save_end(s, xasprintf("%s: %s", sv->path,
						     strerror(errno)));
			return 1;
		}
		sv->blocked = 0;
		sv->off += (size_t)n;
	}
	if (sv->off == sv->buf.len && sv->next >= sv->total) {
		sv->written += sv->inbuf;
		sv->inbuf = 0;
		screen_save_end(s, NULL);
		return 1;
	}
	return 0;
}

enum screen_save_wait
screen_save_wait(const struct screen *s, int *fd)
{
	const struct screen_saving *sv = &s->saving;

	*fd = sv->fd;
	if (!sv->active)
		return SCREEN_SAVE_NONE;
	if (sv->fd < 0)
		return SCREEN_SAVE_READER;
	return sv->blocked ? SCREEN_SAVE_WRITABLE : SCREEN_SAVE_READY;
}

char *
screen_save_cancel(struct screen *s)
{
	struct screen_saving *sv = &s->saving;
	char *msg;

	if (!sv->active)
		return NULL;
	if (sv->fd < 0)
		msg = xasprintf("save to %s cancelled: no reader came",
				sv->path);
	else
		msg = xasprintf("save to %s cancelled: %zu of %zu messages "
				"written", sv->path, sv->written, sv->total);
	if (sv->fd >= 0)
		close(sv->fd);
	sv->fd = -1;
	sv->active = 0;
	strbuf_free(&sv->buf);
	screen_message(s, 1, "%s", msg);
	return msg;
}

int
screen_save(struct screen *s, const char *path, int overwrite, char **err)
{
	int fd;

	if (screen_save_start(s, path, overwrite, err) != 0)
		return -1;
	while (!screen_save_step(s, SIZE_MAX)) {
		/* Waited for here: this one is for callers that can wait. */
		switch (screen_save_wait(s, &fd)) {
		case SCREEN_SAVE_WRITABLE: {
			struct pollfd pfd = {fd, POLLOUT, 0};

			poll(&pfd, 1, -1);
			break;
		}
		case SCREEN_SAVE_READER:
			poll(NULL, 0, 20);
			break;
		default:
			break;
		}
	}
	if (s->saving.err != NULL) {
		*err = s->saving.err;
		s->saving.err = NULL;
		return -1;
	}
	return 0;
}

static void
screen_do_save(struct screen *s, const char *path, int overwrite)
{
	char *err = NULL;
	struct stat st;

	/* A file that exists is asked about; a pipe or a device is not
	 * overwritten by writing to it. */
	if (!overwrite && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		if (screen_is_input(s, &st)) {
			screen_message(s, 1, "%s is an input file; not "
				       "overwritten", path);
			return;
		}
		free(s->save_path);
		s->save_path = xstrdup(path);
		prompt_open(&s->prompt, PROMPT_CONFIRM,
			    "file exists; overwrite? (y/n) ", "");
		return;
	}
	if (screen_save_start(s, path, overwrite, &err) != 0) {
		screen_message(s, 1, "not saved: %s", err);
		free(err);
		return;
	}
	/* A file (or a pipe with room) is written at once; the rest comes
	 * in steps from the event loop (app.c). */
	screen_save_step(s, SCREEN_SAVE_BUDGET);
}

/* No shown message matches the search: says so, with how many of those
 * the filter hides do (text: the search is named, the prompt closed). */
static void
screen_no_match(struct screen *s, int text)
{
	const struct view *v = s->v;
	char hid[96] = "";

	if (v->search_hidden > 0)
		snprintf(hid, sizeof hid, "; %s%zu hidden by the filter%s%s%s",
			 v->search_hidden_done ? "" : "at least ",
			 v->search_hidden,
			 v->search_hidden_done ? "" : " (count stopped)",
			 text ? " (" : "", text ? screen_all_hint(s) : "");
	if (text)
		screen_message(s, 1, "no match: %s%s%s", v->search, hid,
			       v->search_hidden > 0 ? ")" : "");
	else
		screen_message(s, 1, "no match%s", hid);
}

/* The prompt's line was accepted. */

/* A match found past the end of the list (going down) or its top (going
 * up) is behind, not further on: say so, as vi does. */
static void
screen_search_wrapped(struct screen *s)
{
	if (s->v->search_wrapped)
		screen_message(s, 0, "search hit the %s, went on from the %s",
			       s->v->search_dir > 0 ? "end" : "top",
			       s->v->search_dir > 0 ? "top" : "end");
}

static int
screen_accept(struct screen *s)
{
	struct prompt *p = &s->prompt;
	char *err = NULL;
	int errcol = -1;

	prompt_remember(p);
	s->status[0] = '\0';
	switch (p->kind) {
	case PROMPT_SEARCH:
		prompt_close(p);
		if (p->len == 0) {
			view_search_start(s->v, NULL, 1, 0);
			view_select(s->v, (long)s->search_origin);
			if (s->search_prev != NULL)
				screen_message(s, 0, "search cleared");
			return RE_REDRAW;
		}
		/* The incremental search already ran; run it to the end if
		 * it is still going, from where the user started. */
		if (s->v->search_state != VSEARCH_RUNNING &&
		    !view_matches(s->v, view_sel_id(s->v)))
			screen_no_match(s, 1);
		else if (s->v->search_state != VSEARCH_RUNNING)
			screen_search_wrapped(s);
		return RE_REDRAW;
	case PROMPT_FILTER: {
		/* The line comes with the filter shown: Enter on it as it
		 * is changes nothing (and pushes nothing for Esc). */
		struct strbuf cur;
		int same;

		strbuf_init(&cur);
		view_filter_text(s->v, &cur);
		same = p->len > 0 && cur.len == p->len &&
		       memcmp(cur.buf, p->buf, p->len) == 0;
		strbuf_free(&cur);
		if (same) {
			prompt_close(p);
			screen_message(s, 0, "filter unchanged");
			return RE_REDRAW;
		}
		if (view_push_filter(s->v, p->buf, &err, &errcol) != 0) {
			/* Leave the prompt open on the error so it can be
			 * fixed where it is. What is wrong comes first, where
			 * last: on a narrow line, the error beside the prompt
			 * is cut between the two. */
			char col[32];
			size_t n, k;

			snprintf(col, sizeof col, " (column %d)", errcol + 1);
			screen_message(s, 1, "%s%s",
				       err ? err : "syntax error", col);
			/* Unless status has no room for it (an error of
			 * 500 bytes). */
			n = strlen(s->status);
			k = strlen(col);
			if (n >= k && strcmp(s->status + n - k, col) == 0)
				s->status_keep = k;
			free(err);
			p->errcol = errcol;
			if (errcol >= 0 && (size_t)errcol <= p->len)
				p->cur = (size_t)errcol;
			return RE_REDRAW;
		}
		prompt_close(p);
		screen_count(s, screen_fmt_match);
		return RE_REDRAW | RE_SELECT;
	}
	case PROMPT_SAVE: {
		const char *home = getenv("HOME");
		char *path;

		prompt_close(p);
		if (p->len == 0) {
			screen_message(s, 0, "not saved");
			return RE_REDRAW;
		}
		/* ~/ as a shell would, since that is what users type. */
		if (strncmp(p->buf, "~/", 2) == 0 && home != NULL && *home)
			path = xasprintf("%s/%s", home, p->buf + 2);
		else
			path = xstrdup(p->buf);
		screen_do_save(s, path, 0);
		free(path);
		return RE_REDRAW;
	}
	case PROMPT_CONFIRM:
		prompt_close(p);
		if (p->len > 0 && (p->buf[0] == 'y' || p->buf[0] == 'Y') &&
		    s->save_path != NULL)
			screen_do_save(s, s->save_path, 1);
		else
			screen_message(s, 0, "not saved");
		free(s->save_path);
		s->save_path = NULL;
		return RE_REDRAW;
	default:
		prompt_close(p);
		return RE_REDRAW;
	}
}

static int
screen_prompt_key(struct screen *s, uint32_t key)
{
	struct prompt *p = &s->prompt;
	enum action a = keymap_lookup(KM_PROMPT, key);

	if (a != ACT_ACCEPT)
		s->status[0] = '\0';
	if (a == ACT_ACCEPT)
		return screen_accept(s);
	if (a == ACT_CANCEL) {
		if (p->kind == PROMPT_SEARCH) {
			/* Back to where / was pressed, and to the previous
			 * search for n and N, as in less. */
			view_search_start(s->v, s->search_prev, 1, 0);
			view_search_cancel(s->v);
			view_select(s->v, (long)s->search_origin);
		}
		if (p->kind == PROMPT_CONFIRM) {
			free(s->save_path);
			s->save_path = NULL;
			screen_message(s, 0, "not saved");
		}
		prompt_close(p);
		return RE_REDRAW | RE_SELECT;
	}
	if (p->kind == PROMPT_CONFIRM && a == ACT_SELF_INSERT) {
		/* One key answers a y/n question. */
		p->buf[0] = (char)key;
		p->buf[1] = '\0';
		p->len = 1;
		return screen_accept(s);
	}
	if (prompt_edit(p, a, key) && p->kind == PROMPT_SEARCH) {
		/* Incremental: a letter more goes on from where the search
		 * is; anything else searches again from where / was
		 * pressed. */
		if (s->search_typing && view_search_extend(s->v, p->buf) == 0) {
			/* Where / was pressed, unless it finds something. */
			view_select(s->v, (long)s->search_origin);
			if (s->v->search_state == VSEARCH_IDLE &&
			    s->v->search_left == 0) {
				screen_no_match(s, 0);
				return RE_REDRAW;
			}
		} else {
			view_select(s->v, (long)s->search_origin);
			view_search_start(s->v, p->buf, 1, 1);
			s->search_typing = 1;
		}
		screen_tick(s, SCREEN_SEARCH_BUDGET);
	}
	return RE_REDRAW;
}

static void
screen_focus(struct screen *s, int dir)
{
	int i, f = s->focus;

	for (i = 0; i < LP__COUNT; i++) {
		f = (f + dir + LP__COUNT) % LP__COUNT;
		if (s->lay.pane[f].w > 0) {
			s->focus = f;
			return;
		}
	}
}

/* The messages of the registration the report opened, and the way back. */
static void
screen_say_registration(struct screen *s)
{
	screen_message(s, 0, "registration: %zu message%s  (Esc: back to the "
		       "report)", s->v->nids, screen_plural(s->v->nids));
}

/* The overlay closed (re from its action): the report a help was opened
 * over comes back; a report closed by Enter on a registration is kept for
 * Esc to come back to from the dialog it opened. */
static void
screen_overlay_closed(struct screen *s, int re)
{
	if ((re & RE_SELECT) && s->overlay_under == NULL &&
	    strcmp(s->overlay->ops->name, "report") == 0) {
		pane_free(s->report_back);
		s->report_back = s->overlay;
		s->report_level = s->v->nlevels;
		s->overlay = NULL;
		/* By Enter or by a click: its messages, and the way back. */
		s->focus = LP_LIST;
		screen_say_registration(s);
		return;
	}
	pane_free(s->overlay);
	s->overlay = s->overlay_under;
	s->overlay_under = NULL;
}

static int
screen_overlay_key(struct screen *s, uint32_t key)
{
	int re, report = strcmp(s->overlay->ops->name, "report") == 0;
	enum action a;

	/* Text overlays (help, warnings) scroll and close with the help
	 * keys; the report is a list and takes the normal ones. */
	a = keymap_lookup(report ? KM_NORMAL : KM_HELP, key);
	/* A key that closes the help closes the report too (q), rather
	 * than quitting the viewer from under it; C-c still quits. */
	if (a == ACT_QUIT && keymap_lookup(KM_HELP, key) == ACT_CANCEL)
		a = ACT_BACK;
	/* And a quit key that does nothing else there (C-c: the terminal
	 * is raw, no SIGINT comes) quits from the help and W too. */
	if (a == ACT_NONE && keymap_lookup(KM_NORMAL, key) == ACT_QUIT)
		a = ACT_QUIT;
	if (a == ACT_QUIT)
		return RE_QUIT;
	if (a == ACT_HELP && report) {
		s->overlay_under = s->overlay;
		s->overlay = pane_help_new();
		return RE_REDRAW;
	}
	/* In the report, a key clears what the status line said, as in the
	 * list. */
	if (a != ACT_NONE && report)
		s->status[0] = '\0';
	re = pane_action(s->overlay, a);
	if (re & RE_CLOSE) {
		screen_overlay_closed(s, re);
		if (s->overlay != NULL)
			return re | RE_REDRAW;
	}
	/* A key of the list the report does not take (f, /, c, e...):
	 * said, rather than nothing at all. */
	if (re == RE_NONE && a != ACT_NONE && report)
		screen_message(s, 0, "%s", "not in the registration report: "
			       "Enter shows a registration's messages, "
			       "Esc goes back to them all");
	return re | RE_REDRAW;
}


/* Whether action a needs the whole filtered list (the first and last
 * message, a search, a save, a step through a dialog or to an error,
 * moving in the flow) while a filter is still applied in steps: the
 * filter is given 100 ms more to finish; if it does not (a costly pattern
 * takes minutes), the key is not done and the status line says so, so
 * that no key waits. */
static int
screen_waits_for_filter(struct screen *s, enum action a)
{
	int whole;

	if (!s->v->filtering)
		return 0;
	switch (a) {
	case ACT_HOME: case ACT_END: case ACT_SEARCH: case ACT_SAVE:
	case ACT_DIALOG_NEXT: case ACT_DIALOG_PREV: case ACT_TWIN:
	case ACT_NEXT_ERROR: case ACT_PREV_ERROR:
		whole = 1;
		break;
	case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN:
		whole = s->focus == LP_FLOW;
		break;
	default:
		whole = 0;
	}
	if (!whole)
		return 0;
	/* A cheap filter is done in a few steps more: finish it then. */
	{
		struct timespec t0;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			if (!view_filter_step(s->v, SIZE_MAX - 1))
				return 0;
		} while (elapsed_ns(&t0) < 100 * 1000000L);
	}
	screen_message(s, 0, "- not while filtering: that key waits for the "
		       "whole list");
	return 1;
}

int
screen_key(struct screen *s, uint32_t key)
{
	struct view *v = s->v;
	const struct msg *m;
	enum action a;
	int re;

	if (s->saving.active) {
		/* Only the way out: the list being written must stay as it
		 * is. C-c (raw terminal: a key, not SIGINT) too, rather than
		 * quit with the save half done. */
		a = keymap_lookup(KM_NORMAL, key);
		if (a == ACT_BACK || a == ACT_QUIT || key == KEYC_CTRL('g')) {
			free(screen_save_cancel(s));
			return RE_REDRAW;
		}
		return RE_NONE;
	}
	if (s->prompt.active)
		return screen_prompt_key(s, key);
	if (s->overlay != NULL)
		return screen_overlay_key(s, key);
	a = keymap_lookup(KM_NORMAL, key);
	if (a == ACT_NONE)
		return RE_NONE;
	s->status[0] = '\0';
	if (screen_waits_for_filter(s, a))
		return RE_REDRAW;
	/* The first and last message are those of the whole list. */
	if (a == ACT_HOME || a == ACT_END)
		view_filter_finish(v);
	/* Esc first stops a running search. */
	if (a == ACT_BACK && v->search_state == VSEARCH_RUNNING) {
		int counting = v->search_counting;

		view_search_cancel(v);
		if (counting)
			/* Nothing shown matched: that much is known. */
			screen_no_match(s, 1);
		else
			screen_message(s, 0, "search cancelled");
		return RE_REDRAW;
	}
	/* Keys about the selected message, with none: say why nothing
	 * happens (an empty list after a filter, or before any message). */
	switch (a) {
	case ACT_OPEN:
	case ACT_DIALOG_NEXT:
	case ACT_DIALOG_PREV:
	case ACT_TWIN:
	case ACT_FILTER_CALLID:
	case ACT_FILTER_USER:
		if (screen_sel_msg(s) == NULL) {
			/* Esc goes back from a filter pushed in the viewer;
			 * one given with -f has no filter before it. */
			screen_message(s, 0, "%s",
				       msgindex_count(engine_index(s->e)) == 0
					   ? "no message selected"
				       : v->nlevels > 1
					   ? "no message selected: the filter "
					     "shows none (Esc: back)"
					   : "no message selected: the filter "
					     "shows none (x: all messages)");
			return RE_REDRAW;
		}
		break;
	default:
		break;
	}
	switch (a) {
	case ACT_QUIT:
		return RE_QUIT;
	case ACT_HELP:
		s->overlay = pane_help_new();
		return RE_REDRAW;
	case ACT_REGREPORT:
		s->overlay = pane_report_new(v);
		return RE_REDRAW;
	case ACT_WARNINGS:
		s->overlay = pane_warnings_new(s->e, s->v->rules != NULL,
					       s->follow, s->rules_why);
		return RE_REDRAW;
	case ACT_REDRAW:
		s->force_clear = 1;
		return RE_REDRAW;
	case ACT_SUSPEND:
		s->force_clear = 1;
		return RE_SUSPEND | RE_REDRAW;
	case ACT_FOCUS_NEXT:
	case ACT_FOCUS_PREV:
		if (s->maximised != LP_NONE) {
			/* Zoomed, Tab shows the next pane zoomed (tmux). */
			s->focus = (s->focus + (a == ACT_FOCUS_NEXT ? 1 : -1) +
				    LP__COUNT) %
				   LP__COUNT;
			s->maximised = s->focus;
		} else
			screen_focus(s, a == ACT_FOCUS_NEXT ? 1 : -1);
		return RE_REDRAW;
	case ACT_LAYOUT_NEXT:
		s->mode = (s->mode + 1) % LAYOUT__COUNT;
		s->maximised = LP_NONE;
		{
			/* The terminal may be too narrow for it: say what
			 * is used instead. */
			struct layout l;
			int w = s->lay.title.w, h = s->lay.body.h + 2;

			layout_compute(&l, w, h, s->mode, LP_NONE);
			if (w > 0 && !l.too_small && l.mode != s->mode)
				screen_message(s, 0, "layout: %s (too narrow "
					       "here: %s)",
					       layout_mode_name(s->mode),
					       layout_mode_name(l.mode));
			else
				screen_message(s, 0, "layout: %s",
					       layout_mode_name(s->mode));
		}
		return RE_REDRAW;
	case ACT_MAXIMISE:
		s->maximised = s->maximised == LP_NONE ? s->focus : LP_NONE;
		return RE_REDRAW;
	case ACT_TIME_MODE:
		v->time_delta = !v->time_delta;
		screen_message(s, 0, "time: %s",
			       v->time_delta
				   ? "delta from the previous shown message"
				   : "absolute");
		return RE_REDRAW;
	case ACT_WRAP:
		re = pane_action(s->panes[LP_DETAIL], a);
		screen_message(s, 0, "detail: %s",
			       s->panes[LP_DETAIL]->wrap
				   ? "long lines wrap"
				   : "long lines scroll (Left/Right; ~ where "
				     "a line is cut)");
		return re | RE_REDRAW;
	case ACT_LEFT:
	case ACT_RIGHT:
		/* Say why nothing moves, and where it would. */
		if (s->focus == LP_LIST) {
			screen_message(s, 0,
				       "Left/Right scroll the detail "
				       "(with w) and the flow: Tab to them");
			return RE_REDRAW;
		}
		if (s->focus == LP_DETAIL && s->panes[LP_DETAIL]->wrap) {
			screen_message(s, 0,
				       "the detail wraps long lines: w "
				       "to scroll them instead");
			return RE_REDRAW;
		}
		break;
	case ACT_FOLLOW:
		/* The first time, the files move to buffers that can grow. */
		if (!s->follow) {
			engine_follow_files(s->e);
			/* Nothing to follow: following stays off, and the
			 * next F says so again (not "stopped following"). */
			if (engine_nfollowed(s->e) == 0 &&
			    engine_nawaited(s->e) == 0) {
				size_t nwhy;
				const char *why =
				    engine_follow_refusal(s->e, &nwhy);

				/* One input: why, where the key was
				 * pressed (a pipe read without --follow
				 * cannot be followed afterwards). */
				if (why != NULL && nwhy == 1)
					screen_message(s, 1, "%s", why);
				else
					screen_message(s, 1, "no file can be "
						       "followed (W lists the "
						       "warnings that say "
						       "why)");
				return RE_REDRAW;
			}
		}
		s->follow = !s->follow;
		/* No answer is awaited while the view does not follow. */
		engine_follow_pause(s->e, !s->follow);
		screen_message(s, 0, "%s", s->follow ?
				       "following: messages appended to the "
				       "files appear as they arrive (F stops)" :
				       "stopped following");
		return RE_REDRAW;
	case ACT_FLOW_SCOPE:
		re = pane_action(s->panes[LP_FLOW], a);
		screen_message(s, 0, "flow: %s",
			       v->flow_all ? "all shown messages"
					   : "the selected message's dialog");
		return re | RE_REDRAW;
	case ACT_OPEN:
		if ((m = screen_sel_msg(s)) == NULL)
			return RE_REDRAW;
		if (m->call_id == 0 ||
		    dialogs_of(engine_dialogs(v->e), m) == NO_DIALOG) {
			screen_message(s, 1, "this message has no Call-ID");
			return RE_REDRAW;
		}
		if (view_filter_expr(v) == NULL &&
		    v->levels[v->nlevels - 1].call_id == m->call_id) {
			screen_message(s, 0,
				       "already showing this dialog "
				       "(Esc: back)");
			return RE_REDRAW;
		}
		/* A filter still applied in steps is left: its count when
		 * done is not this list's. */
		s->filtered_fmt = NULL;
		view_push_dialog(v, m->call_id);
		/* "and show its flow": a maximised list would hide it. */
		if (s->maximised == LP_LIST)
			s->maximised = LP_NONE;
		v->flow_all = 0;
		screen_message(s, 0,
			       "dialog: %zu message%s  (]/[ step, Esc: "
			       "back)",
			       v->nids, screen_plural(v->nids));
		return RE_REDRAW | RE_SELECT;
	case ACT_BACK: {
		/* Back from the dialog a registration of the report opened:
		 * to the report, on that registration. */
		int to_report = s->report_back != NULL &&
		    v->nlevels == s->report_level;
		size_t nn;

		s->filtered_fmt = NULL;
		if (view_pop(v) != 0) {
			/* Nothing to go back to: the search is what Esc
			 * takes away, and the highlights going is no news
			 * enough without a word. */
			if (v->search != NULL) {
				view_search_start(v, NULL, 1, 0);
				screen_message(s, 0, "search cleared");
				return RE_REDRAW;
			}
			screen_message(s, 0, "no previous filter");
		} else if (screen_fieldlike(s, NULL, NULL, &nn) > 0)
			/* Back to a filter with a word written like a field
			 * that is none: said again, as when it was typed. */
			screen_count(s, v->nlevels > 1 ? "%zu %s  (Esc: back)"
							: "%zu %s");
		if (to_report) {
			s->overlay = s->report_back;
			s->report_back = NULL;
		} else if (s->report_back != NULL &&
			   v->nlevels == s->report_level) {
			/* Back to the registration the report opened: the
			 * way on back is said again, as when it opened. */
			screen_say_registration(s);
		} else if (s->report_back != NULL &&
			   v->nlevels < s->report_level) {
			pane_free(s->report_back);
			s->report_back = NULL;
		}
		return RE_REDRAW | RE_SELECT;
	}
	case ACT_FILTER_CLEAR: {
		int base = view_base_filters(v);

		if (v->nlevels <= 1 && !base) {
			screen_message(s, 0, "already showing all messages");
			return RE_REDRAW;
		}
		s->filtered_fmt = NULL;
		pane_free(s->report_back);	/* its dialog is gone too */
		s->report_back = NULL;
		/* The view the viewer was opened on comes first: what -f
		 * asked for is where a user started from and wants back. */
		if (base && v->nlevels > 1) {
			view_pop_to_base(v);
			screen_count(s, "%zu %s: back to -f's filter  "
				     "(x again: all messages)");
			return RE_REDRAW | RE_SELECT;
		}
		view_clear(v);
		screen_message(s, 0, "all %zu message%s: filters cleared%s",
			       v->nids, screen_plural(v->nids),
			       base ? ", -f's too" : "");
		return RE_REDRAW | RE_SELECT;
	}
	case ACT_DIALOG_NEXT:
	case ACT_DIALOG_PREV:
		if ((m = screen_sel_msg(s)) == NULL)
			return RE_REDRAW;
		/* A server's event of no dialog (a TLS handshake) is not
		 * the end of one. */
		if (m->call_id == 0 ||
		    dialogs_of(engine_dialogs(v->e), m) == NO_DIALOG) {
			screen_message(s, 1, "this message has no Call-ID: "
					     "it is in no dialog");
			return RE_REDRAW;
		}
		if (view_dialog_step(v, a == ACT_DIALOG_NEXT ? 1 : -1) != 0) {
			/* The filter may hide the rest of the dialog: that
			 * is not its end. */
			size_t hid = view_dialog_hidden(
			    v, a == ACT_DIALOG_NEXT ? 1 : -1);

			if (hid == 0 &&
			    screen_dialog_cross(s, a == ACT_DIALOG_NEXT ? 1 : -1))
				return RE_REDRAW | RE_SELECT;
			if (hid > 0)
				screen_message(
				    s, 0,
				    "%s shown message of this dialog: the "
				    "filter hides %zu %s it (Enter: the whole "
				    "dialog)",
				    a == ACT_DIALOG_NEXT ? "last" : "first",
				    hid,
				    a == ACT_DIALOG_NEXT ? "after" : "before");
			else
				screen_message(
				    s, 0,
				    a == ACT_DIALOG_NEXT
					? "last message of this dialog"
					: "first message of this "
					  "dialog");
		}
		return RE_REDRAW | RE_SELECT;
	case ACT_TWIN:
		return screen_twin(s);
	case ACT_NEXT_ERROR:
	case ACT_PREV_ERROR:
		if (view_next_severity(v, a == ACT_NEXT_ERROR ? 1 : -1,
				       SEV_ERROR) != 0) {
			/* Errors the filter hides are not none. */
			size_t hid =
			    v->nids < msgindex_count(engine_index(s->e))
				? view_count_severity(
				      v, a == ACT_NEXT_ERROR ? 1 : -1,
				      SEV_ERROR)
				: 0;

			if (hid > 0)
				screen_message(s, 0,
					       "no %s error shown: the filter "
					       "hides %zu (%s)",
					       a == ACT_NEXT_ERROR ? "next"
								   : "previous",
					       hid, screen_all_hint(s));
			else
				screen_message(
				    s, 0, "no %s error",
				    a == ACT_NEXT_ERROR ? "next" : "previous");
		}
		return RE_REDRAW | RE_SELECT;
	case ACT_SEARCH:
		view_filter_finish(v);	/* the origin must not move */
		s->search_origin = v->sel;
		s->search_typing = 0;
		free(s->search_prev);
		s->search_prev = v->search != NULL ? xstrdup(v->search) : NULL;
		prompt_open(&s->prompt, PROMPT_SEARCH, "/", "");
		return RE_REDRAW;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (v->search == NULL) {
			screen_message(s, 0, "no search yet: press /");
			return RE_REDRAW;
		}
		view_search_start(v, v->search, a == ACT_SEARCH_NEXT ? 1 : -1,
				  0);
		return screen_tick(s, SCREEN_SEARCH_BUDGET) | RE_REDRAW;
	case ACT_FILTER: {
		/* The filter shown, to narrow or change: a dialog's too. */
		struct strbuf cur;

		strbuf_init(&cur);
		view_filter_text(v, &cur);
		prompt_open(&s->prompt, PROMPT_FILTER, "filter: ",
			    cur.buf != NULL ? cur.buf : "");
		strbuf_free(&cur);
		return RE_REDRAW;
	}
	case ACT_FILTER_CALLID: {
		struct span cid;

		if ((m = screen_sel_msg(s)) == NULL || m->call_id == 0) {
			screen_message(s, 1, "this message has no Call-ID: no filter by it");
			return RE_REDRAW;
		}
		/* By its length: a Call-ID may hold a NUL. */
		cid.p = intern_str(engine_call_ids(s->e), m->call_id, &cid.n);
		screen_push(s, "callid:", cid.p, cid.n);
		return RE_REDRAW | RE_SELECT;
	}
	case ACT_FILTER_USER: {
		struct span u, host;
		uint32_t from = 0, to, d = NO_DIALOG;
		int of_dialog = 0;

		if ((m = screen_sel_msg(s)) != NULL)
			engine_msg_party(s->e, view_sel_id(s->v), &from, &to);
		/* A server's event about a dialog (a TF_DIAG naming its
		 * Call-ID, such as why a REGISTER was refused) has no From
		 * of its own: it is about that dialog's user. */
		if (from == 0 && m != NULL) {
			const struct dialogs *ds = engine_dialogs(s->e);

			if ((d = dialogs_of(ds, m)) != NO_DIALOG) {
				from = dialogs_get(ds, d)->from;
				of_dialog = from != 0;
			}
		}
		if (from != 0) {
			host.p = intern_str(engine_strings(s->e), from,
					    &host.n);
			sipmsg_uri_parts(host, &u, &host);
		}
		/* A From without a user part (sip:10.0.0.2) names none:
		 * user: would find nothing. An event of no dialog (a TLS
		 * handshake) is about no user at all. */
		if (from == 0 || u.n == 0) {
			screen_message(s, 1, "%s",
				       m != NULL && m->kind == MSG_DIAG &&
					       d == NO_DIALOG
					   ? "no user here: this event has "
					     "none and names no dialog"
					   : "no user here");
			return RE_REDRAW;
		}
		/* Of an event, dialog:user:: the user's dialogs whole, the
		 * server's events about them too (user: matches an event
		 * by its dialog's parties, but leaves out the messages of
		 * those dialogs that do not name the user). */
		screen_push(s, of_dialog ? "dialog:user:" : "user:", u.p,
			    u.n);
		return RE_REDRAW | RE_SELECT;
	}
	case ACT_SAVE:
		view_filter_finish(v);
		if (v->nids == 0) {
			screen_message(s, 1, "nothing to save");
			return RE_REDRAW;
		}
		prompt_open(&s->prompt, PROMPT_SAVE,
			    "save shown messages to: ", "");
		return RE_REDRAW;
	default:
		break;
	}
	re = pane_action(s->panes[s->focus], a);
	if (re == RE_NONE && s->focus != LP_LIST)
		re = pane_action(s->panes[LP_LIST], a);
	return re | RE_REDRAW;
}

int
screen_mouse(struct screen *s, int x, int y, int button)
{
	int p, re = RE_NONE, i;
	struct rect r;

	if (s->lay.too_small || s->prompt.active || s->saving.active)
		return RE_NONE;
	if (s->overlay != NULL) {
		if (button == SCREEN_WHEEL_UP || button == SCREEN_WHEEL_DOWN)
			for (i = 0; i < 3; i++)
				re |= pane_action(s->overlay,
						  button == SCREEN_WHEEL_UP
						      ? ACT_UP
						      : ACT_DOWN);
		else if (button == SCREEN_CLICK) {
			r = s->lay.body;
			re = pane_click(s->overlay, x - r.x, y - r.y);
			if (re & RE_CLOSE)
				screen_overlay_closed(s, re);
		}
		return re | RE_REDRAW;
	}
	p = layout_pane_at(&s->lay, x, y);
	if (p == LP_NONE)
		return RE_NONE;
	s->status[0] = '\0';
	r = s->lay.pane[p];
	if (button == SCREEN_CLICK) {
		s->focus = p;
		if (p == LP_FLOW && screen_waits_for_filter(s, ACT_DOWN))
			return RE_REDRAW;
		return pane_click(s->panes[p], x - r.x, y - r.y) | RE_REDRAW;
	}
	if (button == SCREEN_WHEEL_UP || button == SCREEN_WHEEL_DOWN) {
		if (p == LP_FLOW && screen_waits_for_filter(s, ACT_DOWN))
			return RE_REDRAW;
		for (i = 0; i < 3; i++)
			re |= pane_action(s->panes[p], button == SCREEN_WHEEL_UP
							   ? ACT_UP
							   : ACT_DOWN);
		return re | RE_REDRAW;
	}
	return RE_NONE;
}

/* The registration report shown, being built in steps. */
static int
screen_report_busy(const struct screen *s)
{
	return s->overlay != NULL &&
	       strcmp(s->overlay->ops->name, "report") == 0 &&
	       pane_report_busy(s->overlay);
}

int
screen_busy(const struct screen *s)
{
	return s->v->search_state == VSEARCH_RUNNING || s->v->filtering ||
	       view_hits_pending(s->v) || screen_report_busy(s);
}

int
screen_tick(struct screen *s, size_t budget)
{
	int r;

	if (screen_report_busy(s)) {
		/* The report, a step a tick (its table when it is whole). */
		pane_report_tick(s->overlay);
		return RE_REDRAW;
	}
	if (s->v->filtering) {
		/* A filter in steps: filter_step messages a tick. */
		if (!view_filter_step(s->v, s->v->filter_step > 0 ?
					    s->v->filter_step : SIZE_MAX) &&
		    s->filtered_fmt != NULL) {
			screen_say_count(s, s->filtered_fmt);
			s->filtered_fmt = NULL;
		}
		return RE_REDRAW | RE_SELECT;
	}
	if (s->v->search_state != VSEARCH_RUNNING) {
		/* Then the matches are counted, for the title. */
		if (view_hits_pending(s->v)) {
			view_hits_step(s->v, budget);
			return RE_REDRAW;
		}
		return RE_NONE;
	}
	r = view_search_step(s->v, budget);
	if (r < 0)
		screen_no_match(s, !s->prompt.active);
	else if (r > 0 && !s->prompt.active)
		screen_search_wrapped(s);
	return RE_REDRAW | (r > 0 ? RE_SELECT : 0);
}
