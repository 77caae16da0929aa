/* screen: the whole viewer without a terminal — title bar, panes in their
 * layout, overlays (help, registration report), the status line and its
 * prompt — and what every key and click does. app.c feeds it keys and
 * blits the grid it draws; tests drive it directly. */
#ifndef SIPSNOOP_SCREEN_H
#define SIPSNOOP_SCREEN_H

#include <stdint.h>
#include "grid.h"
#include "layout.h"
#include "pane.h"
#include "prompt.h"
#include "util.h"

struct engine;
struct view;

/* Mouse buttons as screen_mouse takes them. */
#define SCREEN_CLICK 1
#define SCREEN_WHEEL_UP 4
#define SCREEN_WHEEL_DOWN 5

/* A save under way: written in steps (screen_save_step) through a
 * descriptor that never blocks, so that a named pipe nobody reads holds
 * up neither the keys nor the signals that end the viewer. */
struct screen_saving {
	int active;
	int fd;		/* -1 while no reader has opened the pipe */
	char *path;
	int flags;	/* open(2)'s, to try the pipe again */
	int regular;	/* a file: removed when the save fails */
	int blocked;	/* the last write would have blocked */
	size_t next;	/* next of the shown messages to put in buf */
	size_t total;	/* shown messages to write */
	size_t written; /* messages whose bytes are all written */
	size_t inbuf;	/* messages in buf */
	struct strbuf buf;
	size_t off;	/* bytes of buf written */
	char *err;	/* why the last save failed (screen_save) */
};

struct screen {
	struct engine *e;
	struct view *v;
	struct pane *panes[LP__COUNT];
	int focus;	      /* enum layout_pane */
	struct pane *overlay; /* help or report, or NULL */
	/* The report the help was opened from: back to it when the help
	 * closes. */
	struct pane *overlay_under;
	/* The report whose Enter opened the dialog shown, at view level
	 * report_level: Esc from that dialog gives it back. */
	struct pane *report_back;
	size_t report_level;
	enum layout_mode mode;
	int maximised; /* LP_NONE or a pane */
	struct layout lay;
	struct prompt prompt;
	char status[512];
	int status_error;
	/* Bytes at the end of status that a cut keeps (the column a filter
	 * error is at), 0 when none. */
	size_t status_keep;
	int utf8;
	int follow;		/* --follow: the title says so */
	/* --dialog N while following, before dialog N came: the status
	 * line says it is waited for (between the messages of keys) while
	 * it is (screen_following); -1 when none is. */
	long await_dialog;
	int force_clear;	/* C-l: the terminal should repaint all */
	int cursor_x, cursor_y; /* -1 when the cursor is hidden */
	size_t search_origin;	/* selection when / was pressed */
	char *search_prev;	/* the search before it, for Esc */
	int search_typing;	/* the / prompt searched since it opened */
	char *save_path;	/* awaiting overwrite confirmation */
	/* The inputs as given (app_options), which s never writes to. */
	const char *const *inputs;
	size_t ninputs;
	/* Why there are no rules, as said on standard error (W), or NULL. */
	const char *rules_why;
	int saved_text;		/* screen_saved_as_text() */
	size_t saved_left;
	struct screen_saving saving;
	/* Said with the count when a filter applied in steps is done (one
	 * %zu), or NULL. */
	const char *filtered_fmt;
};

/* A screen over v (borrowed, as is e). utf8: box drawing allowed. */
struct screen *screen_new(struct engine *e, struct view *v, int utf8);
void screen_free(struct screen *s);
/* Lays out and draws everything into g (its size is the terminal's). */
void screen_draw(struct screen *s, struct grid *g);
/* Handles one key (KEYC_* or a code point). Returns RE_* bits; RE_QUIT
 * when the user quits. */
int screen_key(struct screen *s, uint32_t key);
/* A mouse event at x, y (SCREEN_CLICK, SCREEN_WHEEL_*). */
int screen_mouse(struct screen *s, int x, int y, int button);
/* Whether background work (a search) is waiting for screen_tick. */
int screen_busy(const struct screen *s);
/* Does up to budget units of background work; returns RE_REDRAW when the
 * screen changed. */
int screen_tick(struct screen *s, size_t budget);
/* Whether input may still come: following (--follow, F) with a file
 * followed or awaited (engine_await_file). */
int screen_following(const struct screen *s);
/* Shows a message on the status line until the next key. */
void screen_message(struct screen *s, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the shown messages to path: the records as they stand in their
 * input files when those are all logs of one format read as they are;
 * otherwise (a capture or another input converted whole, or logs of
 * several formats) as sngrep's text export, which keeps each message's
 * time and addresses and reads back (diagnostic events, which it cannot
 * hold, are left out: screen_saved_as_text). Refuses an input file (same
 * device and inode) and, unless overwrite is set, an existing file.
 * Returns 0, or -1 with *err. */
int screen_save(struct screen *s, const char *path, int overwrite, char **err);
/* What the last screen_save() wrote: 1 as sngrep text, with *left the
 * diagnostic events left out. */
int screen_saved_as_text(const struct screen *s, size_t *left);

/* The viewer's save (s), in steps: screen_save_start checks and opens
 * path without blocking (a named pipe that no one reads yet is tried
 * again by each step) and returns 0, or -1 with *err; screen_save_step
 * writes up to budget messages more and returns 1 once the save has
 * ended (the status line says how), 0 while it goes on. */
int screen_save_start(struct screen *s, const char *path, int overwrite,
		      char **err);
int screen_save_step(struct screen *s, size_t budget);
/* What a save under way waits for: SCREEN_SAVE_NONE (none under way),
 * _READY (a step can write now), _WRITABLE (*fd to take more: poll it
 * for POLLOUT), _READER (a reader to open the pipe: step again later). */
enum screen_save_wait {
	SCREEN_SAVE_NONE = -1,
	SCREEN_SAVE_READY,
	SCREEN_SAVE_WRITABLE,
	SCREEN_SAVE_READER,
};
enum screen_save_wait screen_save_wait(const struct screen *s, int *fd);
/* Ends a save under way; returns what the status line then says ("save to
 * PATH cancelled: ..."), owned by the caller, or NULL when none was. */
char *screen_save_cancel(struct screen *s);

#endif
