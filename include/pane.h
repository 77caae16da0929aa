/* pane: the viewer's panes — message list, header detail, flow diagram,
 * help, registration report. Each draws into a grid rectangle and answers
 * actions with reactions; none knows about curses or raw keys. */
#ifndef SIPSNOOP_PANE_H
#define SIPSNOOP_PANE_H

#include <stdint.h>
#include "grid.h"
#include "keymap.h"

struct view;
struct engine;
struct msg;

/* What an action did; a set of bits. */
#define RE_NONE 0x0 /* not for this pane */
#define RE_HANDLED 0x1
#define RE_REDRAW 0x2
#define RE_QUIT 0x4
#define RE_SELECT 0x8 /* the selected message changed */
#define RE_CLOSE 0x10 /* an overlay (help, report) wants to close */
#define RE_SUSPEND 0x20 /* the user asked to suspend (C-z) */

struct pane;

struct pane_ops {
	const char *name;
	/* Draws into r of g (r includes the heading line). */
	void (*draw)(struct pane *p, struct grid *g, struct rect r);
	int (*action)(struct pane *p, enum action a);
	/* A click at x, y relative to the pane's rectangle (0,0 is the
	 * heading). */
	int (*click)(struct pane *p, int x, int y);
	void (*free)(struct pane *p);
};

struct pane {
	const struct pane_ops *ops;
	struct view *v;
	int focused;
	int utf8;	/* box drawing and arrows allowed */
	int top;	/* first line shown */
	int left;	/* horizontal scroll */
	int rows;	/* lines of content at the last draw */
	int wrap;	/* detail: wrap long lines */
	uint32_t shown; /* message drawn last (detail, flow) */
	void *data;	/* per-pane state */
};

struct pane *pane_list_new(struct view *v);
struct pane *pane_detail_new(struct view *v);
struct pane *pane_flow_new(struct view *v);
/* The registration report (one row per REGISTER dialog); Enter shows
 * that registration's messages and flow (pushes a dialog filter). The
 * report is built when the pane is created. */
struct pane *pane_report_new(struct view *v);
/* A report made anew is built in steps: whether more is to come, and the
 * next step (1 while more is to come). */
int pane_report_busy(const struct pane *p);
int pane_report_tick(struct pane *p);
/* The help screen lists every key of the keymap. */
struct pane *pane_help_new(void);
/* The reading warnings of e (junk skipped, records cut short ...), one a
 * line with file and line number; first, when rated is 0, that no rules
 * were loaded and why: unrated_why, lines separated by newlines (copied;
 * NULL: the possible reasons). following says whether the inputs not
 * begun yet (engine_await_file) are still waited for: when 0 (F stopped
 * following) they are listed as not read. */
struct pane *pane_warnings_new(const struct engine *e, int rated,
			       int following, const char *unrated_why);
void pane_free(struct pane *p);

/* Draws p into r (nothing when r is empty). */
void pane_draw(struct pane *p, struct grid *g, struct rect r);
int pane_action(struct pane *p, enum action a);
int pane_click(struct pane *p, int x, int y);

/* Shared by the panes: the one-line heading of a pane with its title on
 * the left and info on the right; returns the content rectangle. */
struct rect pane_heading(struct pane *p, struct grid *g, struct rect r,
			 const char *title, const char *info);
/* Cells the n bytes of log text s take once sanitised, as drawn. */
int pane_text_width(const char *s, size_t n);
/* The ends of message id (m) as the panes show them: an end the log does
 * not give is "?", as --list and --flow write it; a server's event, which
 * has no direction, names its one end alone (*dst NULL:
 * "172.31.255.250:50933", not "172.31.255.250:50933 → ?"). */
void pane_msg_ends(const struct engine *e, uint32_t id, const struct msg *m,
		   const char **src, const char **dst);
/* Puts n bytes of log text (made safe here) in w columns from x, cut
 * with a '~' at the end when it does not fit; an address (addr) ending in
 * a port is cut at its start instead, "~.100.23:49721": the port tells a
 * connection apart (ms-received-port, an Edge's ports). Search matches of
 * needle (may be NULL) are highlighted. Returns the next column, or x + w
 * with fill. */
int pane_put_cut(struct grid *g, int x, int y, int w, int role, const char *s,
		 size_t n, const char *needle, int fill, int addr);
/* Draws sanitised text with the search matches of needle highlighted
 * (case-insensitive); needle may be NULL. Returns the next column. */
int pane_put_match(struct grid *g, int x, int y, int xmax, int role,
		   const char *s, size_t n, const char *needle);
/* The list pane's time column for message id: absolute, or the delta to
 * the previous shown message in delta mode. */
void pane_list_time(struct view *v, size_t idx, char *buf, size_t bufsz);

#endif
