/* app: the viewer's event loop. Indexing runs in slices between key polls
 * (the first screen appears at once and keys never wait); a long search
 * runs the same way; signals and resizes only set flags. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "engine.h"
#include "grid.h"
#include "keymap.h"
#include "pane.h"
#include "screen.h"
#include "term.h"
#include "view.h"
#include "util.h"

/* Time given to indexing or searching between two looks at the keyboard:
 * short enough that a key is answered at once. */
#define APP_SLICE_NS 10000000L
#define APP_SEARCH_STEP 2000
/* How often a followed file is looked at when nothing else happens. */
#define APP_FOLLOW_MS 250
/* After input came, the next this many looks are this much apart. */
#define APP_FOLLOW_HOT 50
#define APP_FOLLOW_HOT_MS 5
#define APP_STEP_RECORDS 2000
/* Messages a filter looks at per step on a large index (view.h): about a
 * millisecond for user: or callid:, a few for a regular expression. */
#define APP_FILTER_STEP 50000
/* Messages a save writes per step; how often a named pipe being saved to
 * is tried again while no reader has opened it. */
#define APP_SAVE_STEP 2000
#define APP_SAVE_RETRY_MS 100

static volatile sig_atomic_t app_signalled;

static void
app_on_signal(int sig)
{
	app_signalled = sig;
}

/* Indexes for one slice. Returns 1 while input remains. When the selection
 * was on the last message it stays on the last one, as tail -f does. */
static int
app_index_slice(struct engine *e, struct view *v, int follow)
{
	struct timespec t0;
	int more;
	/* Only what a followed file gains, not the first indexing, moves a
	 * selection that sits on the last message. */
	int at_end =
	    follow && engine_done(e) && v->nids > 0 && v->sel + 1 >= v->nids;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	view_hold_sel(v);
	do
		more = engine_step(e, APP_STEP_RECORDS);
	while (more && elapsed_ns(&t0) < APP_SLICE_NS);
	view_update(v);
	if (at_end)
		view_select(v, (long)v->nids - 1);
	return more;
}

/* --dialog N: opened as Enter opens a dialog, once N is the dialog that
 * --dialogs numbers N. Dialogs are numbered as they come, but the merge of
 * several files at the end of indexing renumbers them: one file that is
 * not followed (no file can be added to it) is settled as soon as it has
 * N + 1 dialogs, otherwise when indexing ends. While files are followed,
 * a dialog N that is not there yet is waited for (s->await_dialog: the
 * status line says so, with the count of dialogs as it goes, while it is
 * waited for). was is what the last call returned. Returns 0 while not
 * settled, 1 once opened, 2 when there is no dialog N (the status line
 * says so, when it did not already, and every message is shown). */
static int
app_open_dialog(struct engine *e, struct view *v, struct screen *s, long n,
		int was)
{
	struct dialogs *ds = engine_dialogs(e);
	size_t count = dialogs_count(ds);
	int waited = s->await_dialog >= 0;

	if (!engine_done(e) &&
	    !(engine_nfiles(e) == 1 && engine_nfollowed(e) == 0 &&
	      (size_t)n < count))
		return 0;
	if ((size_t)n >= count && screen_following(s)) {
		s->await_dialog = n;
		return 0;
	}
	s->await_dialog = -1;
	if ((size_t)n >= count) {
		/* F stopped the wait: its own message says so too. */
		if (was != 2)
			screen_message(s, 1, "%sno dialog %ld (there are %zu): "
				       "showing every message",
				       waited && !s->follow ?
				       "stopped following: " : "", n, count);
		return 2;
	}
	view_push_dialog(v, dialogs_call_id(ds, engine_index(e),
					    dialogs_get(ds, (uint32_t)n)));
	v->flow_all = 0;
	screen_message(s, 0, "dialog %ld: %zu message%s%s  (Esc: all)", n,
		       v->nids, v->nids == 1 ? "" : "s",
		       engine_done(e) ? "" : " so far");
	return 1;
}

/* Writes a save for one slice, while it can go on without waiting. */
static void
app_save_slice(struct screen *s)
{
	struct timespec t0;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!screen_save_step(s, APP_SAVE_STEP) &&
	       screen_save_wait(s, &fd) == SCREEN_SAVE_READY &&
	       elapsed_ns(&t0) < APP_SLICE_NS)
		;
}

/* Searches for one slice; returns 1 when the screen should be redrawn. */
static int
app_search_slice(struct screen *s)
{
	struct timespec t0;
	int re = RE_NONE;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		re |= screen_tick(s, APP_SEARCH_STEP);
	while (screen_busy(s) && elapsed_ns(&t0) < APP_SLICE_NS);
	return re != RE_NONE;
}

int
app_run(struct engine *e, const struct app_options *o)
{
	struct sigaction sa, old_pipe, old_xfsz;
	sigset_t block, unblocked;
	struct view *v;
	struct screen *s;
	struct grid *g;
	struct term_mouse mouse;
	char *err = NULL;
	int errcol = -1, w, h, dirty = 1, resized = 0, re, quit = 0;
	int more, fed = 0, opened = 0, sfd, wait_ms;
	enum screen_save_wait sw;
	char *cancelled = NULL;
	long dialog = o->dialog;
	uint32_t key;

	if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"sipsnoop: the viewer needs a terminal; use "
			"--list, --dialogs or --flow for output to a pipe\n");
		return 2;
	}
	setlocale(LC_ALL, "");
	/* A first slice, time-boxed, so the first screen already has
	 * messages but appears at once whatever the file. */
	{
		struct timespec t0;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (engine_step(e, 100) &&
		       elapsed_ns(&t0) < APP_SLICE_NS)
			;
	}
	v = view_new(e, o->rules, o->filter, &err, &errcol);
	if (v == NULL) {
		fprintf(stderr, "sipsnoop: filter: column %d: %s\n", errcol + 1,
			err ? err : "syntax error");
		free(err);
		return 2;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = app_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must interrupt the wait for a key. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A save to a pipe whose reader went says so (EPIPE) instead of
	 * ending the viewer with the terminal left raw. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	/* Likewise a save past the file size limit (ulimit -f): EFBIG. */
	sigaction(SIGXFSZ, &sa, &old_xfsz);
	/* Blocked but in the wait for a key (term_getkey): one that came
	 * between the test of app_signalled and the wait was caught and
	 * then waited for a key, which never came from kill. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &unblocked);

	if (term_start(o->color == COLOR_NEVER	  ? 1
		       : o->color == COLOR_ALWAYS ? 2
						  : 0,
		       &err) != 0) {
		fprintf(stderr, "sipsnoop: %s\n", err);
		free(err);
		view_free(v);
		sigprocmask(SIG_SETMASK, &unblocked, NULL);
		sigaction(SIGPIPE, &old_pipe, NULL);
		sigaction(SIGXFSZ, &old_xfsz, NULL);
		return 1;
	}
	v->filter_step = APP_FILTER_STEP;
	s = screen_new(e, v, term_utf8());
	s->inputs = o->inputs;
	s->ninputs = o->ninputs;
	s->rules_why = o->rules_why;
	s->follow = o->follow;
	more = !engine_done(e);
	term_size(&w, &h);
	g = grid_new(w, h);

	while (!quit && !app_signalled) {
		/* Looked at again after every key and slice: following may
		 * have stopped (F, or the last followed input ended) with
		 * dialog N still waited for, which then is a dialog that does
		 * not exist, as without --follow; with --follow, F again
		 * waits for it again. */
		if (dialog >= 0) {
			int was = opened;

			opened = app_open_dialog(e, v, s, dialog, was);
			dirty |= opened != was;
			if (opened == 1 || (opened == 2 && !o->follow))
				dialog = -1;
		}
		if (resized) {
			term_size(&w, &h);
			grid_resize(g, w, h);
			resized = 0;
			dirty = 1;
		}
		if (dirty) {
			screen_draw(s, g);
			term_blit(g, s->cursor_x, s->cursor_y, s->force_clear);
			s->force_clear = 0;
			dirty = 0;
		}
		/* What a slice of searching, filtering or saving read, and
		 * what was drawn, need not stay in memory. */
		engine_give_back(e);
		/* Poll while there is work; when following, look at the files
		 * a few times a second; else block until a key. A save waits
		 * for its pipe to take more, or to be opened by a reader;
		 * indexing and following wait for it (the list it writes
		 * must not change). */
		sw = screen_save_wait(s, &sfd);
		if (sw != SCREEN_SAVE_NONE)
			wait_ms = sw == SCREEN_SAVE_READY    ? 0
				  : sw == SCREEN_SAVE_READER ? APP_SAVE_RETRY_MS
							     : -1;
		else
			wait_ms = more || screen_busy(s) ? 0
				  : fed > 0		 ? APP_FOLLOW_HOT_MS
				  : s->follow		 ? APP_FOLLOW_MS
							 : -1;
		key = term_getkey(wait_ms, &mouse,
				  sw == SCREEN_SAVE_WRITABLE ? sfd : -1);
		if (app_signalled)
			break;
		if (key == KEYC_GONE) {
			/* As if SIGHUP had come. */
			app_signalled = SIGHUP;
			break;
		}
		if (key == KEYC_NONE && sw != SCREEN_SAVE_NONE) {
			app_save_slice(s);
			dirty = 1;	/* progress, or how it ended */
			continue;
		}
		if (key == KEYC_NONE) {
			if (more) {
				more = app_index_slice(e, v, s->follow);
				dirty = 1; /* progress, re-rated dialogs */
			} else if (s->follow) {
				/* While input keeps coming (a pipe that
				 * empties for a moment), look again soon. */
				more = engine_poll(e);
				fed = more ? APP_FOLLOW_HOT : fed - (fed > 0);
			}
			if (screen_busy(s))
				dirty |= app_search_slice(s);
			continue;
		}
		if (key == KEYC_RESIZE) {
			resized = 1;
			continue;
		}
		if (key == KEYC_MOUSE)
			re = screen_mouse(s, mouse.x, mouse.y, mouse.button);
		else
			re = screen_key(s, key);
		if (re & RE_QUIT)
			quit = 1;
		if (re & RE_SUSPEND)
			term_suspend();
		if (re != RE_NONE)
			dirty = 1;
	}
	/* A signal may end the viewer in the middle of a save. */
	cancelled = screen_save_cancel(s);
	term_stop();
	if (cancelled != NULL)
		fprintf(stderr, "sipsnoop: %s\n", cancelled);
	free(cancelled);
	grid_free(g);
	screen_free(s);
	view_free(v);
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGXFSZ, &old_xfsz, NULL);
	if (app_signalled)
		return 128 + (int)app_signalled;
	if (opened == 2) {
		/* As batch output says it (main.c), and with its status. */
		fprintf(stderr, "sipsnoop: no dialog %ld (there are %zu)\n",
			o->dialog, dialogs_count(engine_dialogs(e)));
		return 2;
	}
	return 0;
}
