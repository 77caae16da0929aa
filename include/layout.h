/* layout: where each pane goes, as a pure function of the terminal size,
 * the layout mode and the maximised pane. No state, no terminal: tests
 * print the rectangles as a string. */
#ifndef SIPSNOOP_LAYOUT_H
#define SIPSNOOP_LAYOUT_H

#include "grid.h"

struct strbuf;

enum layout_mode {
	LAYOUT_SPLIT = 0, /* list on top; detail | flow below */
	LAYOUT_STACK,	  /* list, detail, flow one under the other */
	LAYOUT_WIDE,	  /* list left; detail over flow on the right */
	LAYOUT__COUNT
};

enum layout_pane { LP_LIST = 0, LP_DETAIL, LP_FLOW, LP__COUNT, LP_NONE = -1 };

/* Smallest usable terminal; below it only a "terminal too small" note. */
#define LAYOUT_MIN_W 40
#define LAYOUT_MIN_H 10

struct layout {
	int too_small;
	enum layout_mode mode; /* the mode actually used */
	struct rect title;     /* top line */
	struct rect status;    /* bottom line */
	struct rect body;      /* between them */
	/* Each pane's rectangle includes its one-line heading; a hidden
	 * pane has w == h == 0. */
	struct rect pane[LP__COUNT];
	struct rect sep[2]; /* vertical separators, may be empty */
};

/* Computes the layout for a w x h terminal. maximised is LP_NONE or the
 * pane that takes the whole body. SPLIT falls back to STACK when the
 * terminal is too narrow for two panes side by side, WIDE likewise. */
void layout_compute(struct layout *l, int w, int h, enum layout_mode mode,
		    int maximised);
/* The pane under x, y, or LP_NONE. */
int layout_pane_at(const struct layout *l, int x, int y);
/* "list 0,1 80x9" lines, for tests. */
void layout_dump(const struct layout *l, struct strbuf *sb);
const char *layout_mode_name(enum layout_mode mode);

#endif
