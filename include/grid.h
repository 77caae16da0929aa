/* grid: an in-memory screen of cells (text + semantic role). Panes draw
 * into a grid, never into curses; term.c copies it to the terminal and unit
 * tests dump it as text to compare with golden files. */
#ifndef SIPSNOOP_GRID_H
#define SIPSNOOP_GRID_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* A rectangle of cells; w or h may be 0 (nothing to draw). */
struct rect {
	int x, y, w, h;
};

struct grid_cell {
	char ch[4]; /* UTF-8 of one character; len 0 = continuation */
	uint8_t len;
	uint8_t width; /* 1 or 2; 0 for the right half of a wide char */
	uint8_t role;  /* enum role (theme.h) */
};

struct grid {
	int w, h;
	struct grid_cell *cells; /* h rows of w cells */
};

/* New grid of w x h blank cells in role 0; grid_free accepts NULL. */
struct grid *grid_new(int w, int h);
void grid_free(struct grid *g);
/* Resizes and blanks the grid. */
void grid_resize(struct grid *g, int w, int h);
/* Blanks the cells of r (clipped) and gives them role. */
void grid_fill(struct grid *g, struct rect r, int role);
/* Cell at x, y or NULL when outside. */
struct grid_cell *grid_cell(struct grid *g, int x, int y);
/* Sets the role of the cells in [x0, x1) of row y, text kept. */
void grid_set_role(struct grid *g, int y, int x0, int x1, int role);

/* Writes the n bytes of UTF-8 text s at x, y, stopping before column xmax
 * (exclusive, clipped to the grid). The text must already be safe (log
 * bytes go through sanitize_append or grid_put_log first); newlines and
 * other controls are shown as '?'. Wide characters are measured with
 * wcwidth; one that does not fit at the edge leaves a blank. Returns the
 * column after the last cell written. */
int grid_put(struct grid *g, int x, int y, int xmax, int role, const char *s,
	     size_t n);
int grid_puts(struct grid *g, int x, int y, int xmax, int role, const char *s);
int grid_printf(struct grid *g, int x, int y, int xmax, int role,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Same as grid_put for bytes from a log: sanitised first. */
int grid_put_log(struct grid *g, int x, int y, int xmax, int role,
		 const char *s, size_t n);

/* Display width of the UTF-8 text s (n bytes), as grid_put counts it. */
int grid_text_width(const char *s, size_t n);
/* Bytes of s that fit in at most cols columns. */
size_t grid_text_fit(const char *s, size_t n, int cols);
/* Decodes one UTF-8 character at s; returns its length (1 for a bad byte,
 * *cp set to 0xfffd) and its display width in *width. */
size_t grid_utf8_next(const char *s, size_t n, uint32_t *cp, int *width);

/* Appends the grid's text to sb, one line per row, trailing blanks cut.
 * With roles set, each row is followed by a line of role letters
 * (theme_role_letter) so tests can check colours too. */
void grid_dump(const struct grid *g, struct strbuf *sb, int roles);

#endif
