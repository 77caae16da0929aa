/* term: the only code that talks to curses. Starts and restores the
 * terminal, turns curses keys and mouse events into KEYC_* codes, and
 * copies a grid to the screen with the theme's attributes. */
#ifndef SIPSNOOP_TERM_H
#define SIPSNOOP_TERM_H

#include <stdint.h>
#include "theme.h"

struct grid;

/* Starts curses. color: 0 auto (colour unless NO_COLOR is set), 1 never,
 * 2 always (enum color_mode of app.h). Returns 0, or -1 with *err. */
int term_start(int color, char **err);
/* Restores the terminal; safe to call twice and from atexit. */
void term_stop(void);
/* Gives the terminal back and stops the process (as C-z would in a
 * shell); returns when continued (fg), with curses restored. */
void term_suspend(void);
/* Terminal size in cells. */
void term_size(int *w, int *h);
/* Whether the terminal takes UTF-8 (box drawing, non-ASCII text). */
int term_utf8(void);
enum theme_mode term_theme(void);

struct term_mouse {
	int x, y;
	int button; /* 1 click, 4 wheel up, 5 wheel down, 0 other */
};

/* Waits up to timeout_ms (-1 forever) for a key, or for out_fd (when not
 * -1) to take more output. Returns a code point or KEYC_*; KEYC_NONE on
 * timeout, interruption or out_fd ready; KEYC_MOUSE fills *m; KEYC_GONE
 * once the terminal has hung up (its window closed, its ssh connection
 * lost), whether or not SIGHUP came. SIGINT, SIGTERM and SIGHUP are let
 * in during the wait only: the caller keeps them blocked otherwise, so
 * that none is lost before a wait. */
uint32_t term_getkey(int timeout_ms, struct term_mouse *m, int out_fd);
/* Draws g; the cursor goes to cx, cy or is hidden when cx < 0. clear
 * repaints every cell (C-l). */
void term_blit(const struct grid *g, int cx, int cy, int clear);

#endif
