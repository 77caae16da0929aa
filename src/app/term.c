/* term: curses in one place — start/stop, key and mouse translation, and
 * the blit of a cell grid using the theme table. Nothing else in sipsnoop
 * includes curses. */
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "term.h"
#include "grid.h"
#include "keymap.h"
#include "util.h"

static int term_on;
static FILE *term_in;
static int term_is_utf8;
static enum theme_mode term_mode;
static attr_t term_role_attr[ROLE__COUNT];
static short term_role_pair[ROLE__COUNT];

static void
term_setup_theme(void)
{
	const struct theme_attr *a;
	int role;

	for (role = 0; role < ROLE__COUNT; role++) {
		attr_t at = A_NORMAL;

		a = theme_get(term_mode, role);
		if (a->flags & THEME_BOLD)
			at |= A_BOLD;
		if (a->flags & THEME_REVERSE)
			at |= A_REVERSE;
		if (a->flags & THEME_UNDERLINE)
			at |= A_UNDERLINE;
		if (a->flags & THEME_DIM)
			at |= A_DIM;
		term_role_pair[role] = 0;
		if (term_mode != THEME_MONO && (a->fg != -1 || a->bg != -1) &&
		    role + 1 < COLOR_PAIRS) {
			init_pair((short)(role + 1), a->fg, a->bg);
			term_role_pair[role] = (short)(role + 1);
		}
		term_role_attr[role] = at;
	}
}

int
term_start(int color, char **err)
{
	const char *nc = getenv("NO_COLOR");
	const char *cs = nl_langinfo(CODESET);

	term_is_utf8 =
	    cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	/* The log may have come through stdin: keys then come from the
	 * controlling terminal, as in less. */
	term_in = stdin;
	if (!isatty(fileno(stdin))) {
		if ((term_in = fopen("/dev/tty", "r")) == NULL) {
			*err = xstrdup("the viewer needs a terminal for keys "
				       "(/dev/tty cannot be opened)");
			return -1;
		}
	}
	if (newterm(NULL, stdout, term_in) == NULL) {
		*err = xstrdup("cannot start the terminal (check TERM)");
		if (term_in != stdin)
			fclose(term_in);
		return -1;
	}
	term_on = 1;
	atexit(term_stop);
	/* A terminal that cannot move the cursor (TERM=dumb) would get
	 * garbage: refuse it with a clear message instead. */
	{
		char *cup = tigetstr("cup");

		if (cup == NULL || cup == (char *)-1) {
			term_stop();
			*err = xstrdup(
			    "this terminal cannot move the cursor "
			    "(TERM=dumb?); use --list, --dialogs or --flow");
			return -1;
		}
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
		      BUTTON5_PRESSED,
		  NULL);
	mouseinterval(0);
	term_mode = THEME_MONO;
	if (color != 1 && (color == 2 || nc == NULL || *nc == '\0') &&
	    has_colors()) {
		start_color();
		use_default_colors();
		if (COLORS >= 256 && COLOR_PAIRS > ROLE__COUNT)
			term_mode = THEME_256;
		else if (COLORS >= 8 && COLOR_PAIRS > ROLE__COUNT)
			term_mode = THEME_8;
	}
	term_setup_theme();
	return 0;
}

void
term_stop(void)
{
	if (!term_on)
		return;
	term_on = 0;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
}

void
term_suspend(void)
{
	if (!term_on)
		return;
	/* raw() keeps C-z from the tty driver, so stop ourselves; endwin()
	 * first so the shell gets a sane terminal, refresh() after. */
	endwin();
	kill(0, SIGTSTP);
	refresh();
}

void
term_size(int *w, int *h)
{
	getmaxyx(stdscr, *h, *w);
}

int
term_utf8(void)
{
	return term_is_utf8;
}

enum theme_mode
term_theme(void)
{
	return term_mode;
}

static uint32_t
term_key(int k)
{
	switch (k) {
	case KEY_UP:
		return KEYC_UP;
	case KEY_DOWN:
		return KEYC_DOWN;
	case KEY_LEFT:
		return KEYC_LEFT;
	case KEY_RIGHT:
		return KEYC_RIGHT;
	case KEY_PPAGE:
		return KEYC_PPAGE;
	case KEY_NPAGE:
		return KEYC_NPAGE;
	case KEY_HOME:
	case KEY_A1:
		return KEYC_HOME;
	case KEY_END:
	case KEY_C1:
		return KEYC_END;
	case KEY_BTAB:
		return KEYC_BTAB;
	case KEY_BACKSPACE:
		return KEYC_BACKSPACE;
	case KEY_DC:
		return KEYC_DC;
	case KEY_F(1):
		return KEYC_F1;
	case KEY_ENTER:
		return KEYC_ENTER;
	case KEY_RESIZE:
		return KEYC_RESIZE;
	case KEY_MOUSE:
		return KEYC_MOUSE;
	default:
		return KEYC_NONE;
	}
}

/* Esc was read. A key that came with it, in the same read (curses waits
 * ESCDELAY for the rest of a sequence), makes it Alt+key, or the start
 * of a sequence curses does not know (Alt+arrow, an End it has no entry
 * for): either is no key of the viewer, and taken as Esc then the key it
 * made Alt-q quit and Alt-x clear the filters. It goes whole; Esc alone,
 * twice, or before a key curses decoded, is Esc. */
static uint32_t
term_esc(void)
{
	wint_t wc;
	int r;

	timeout(0);
	r = get_wch(&wc);
	if (r == ERR)
		return KEYC_ESC;
	if (r == OK && wc == KEYC_ESC) {
		unget_wch(wc);
		return KEYC_ESC;
	}
	if (r == KEY_CODE_YES) {
		/* A key curses knows (F1 is \eOP) came right after Esc:
		 * two keys, as with Esc twice. */
		ungetch((int)wc);
		return KEYC_ESC;
	}
	if (r == OK && (wc == '[' || wc == 'O')) {
		/* CSI: parameter and intermediate bytes up to a final one;
		 * SS3: one more. Only what has come: nothing is waited
		 * for. */
		int csi = wc == '[';
		char pb[8];
		size_t np = 0;

		while ((r = get_wch(&wc)) == OK && csi && wc >= 0x20 &&
		       wc <= 0x3f)
			if (np < sizeof pb - 1)
				pb[np++] = (char)wc;
		pb[np] = '\0';
		/* Without a modifier, the keys of either cursor mode that
		 * the terminal description lacks: tmux sends Home and End
		 * as \e[1~ and \e[4~, xterm's entry has \eOH and \eOF. */
		if (r == OK && np == 0) {
			switch (wc) {
			case 'A': return KEYC_UP;
			case 'B': return KEYC_DOWN;
			case 'C': return KEYC_RIGHT;
			case 'D': return KEYC_LEFT;
			case 'H': return KEYC_HOME;
			case 'F': return KEYC_END;
			default: break;
			}
		}
		if (r == OK && csi && wc == '~') {
			if (strcmp(pb, "1") == 0 || strcmp(pb, "7") == 0)
				return KEYC_HOME;
			if (strcmp(pb, "4") == 0 || strcmp(pb, "8") == 0)
				return KEYC_END;
			if (strcmp(pb, "3") == 0)
				return KEYC_DC;
			if (strcmp(pb, "5") == 0)
				return KEYC_PPAGE;
			if (strcmp(pb, "6") == 0)
				return KEYC_NPAGE;
		}
	}
	return KEYC_NONE;
}

uint32_t
term_getkey(int timeout_ms, struct term_mouse *m, int out_fd)
{
	wint_t wc;
	int r;
	MEVENT ev;

	/* What curses has read already (a paste, the rest of a sequence)
	 * comes first; it is not on the descriptor any more. */
	timeout(0);
	r = get_wch(&wc);
	if (r == ERR) {
		/* The wait is the only place where SIGINT, SIGTERM and
		 * SIGHUP, blocked by the caller (app_run), get in, at once
		 * with the wait: one that came while the screen was drawn
		 * is pending and ends the wait, rather than caught just
		 * before a wait for a key that may never come. */
		struct pollfd pfds[2], *pfd = &pfds[0];
		struct timespec ts;
		sigset_t during;

		pfd->fd = fileno(term_in != NULL ? term_in : stdin);
		pfd->events = POLLIN;
		pfd->revents = 0;
		/* A save waiting for its reader (screen_save_wait) waits
		 * here, in the same ppoll, signals let in. */
		pfds[1].fd = out_fd;
		pfds[1].events = POLLOUT;
		pfds[1].revents = 0;
		ts.tv_sec = timeout_ms > 0 ? timeout_ms / 1000 : 0;
		ts.tv_nsec =
		    timeout_ms > 0 ? (long)(timeout_ms % 1000) * 1000000L : 0;
		sigprocmask(SIG_SETMASK, NULL, &during);
		sigdelset(&during, SIGINT);
		sigdelset(&during, SIGTERM);
		sigdelset(&during, SIGHUP);
		if (ppoll(pfds, out_fd >= 0 ? 2 : 1,
			  timeout_ms < 0 ? NULL : &ts, &during) <= 0)
			return KEYC_NONE; /* timeout, a signal, a resize */
		if (pfd->revents == 0)
			return KEYC_NONE; /* out_fd takes more */
		timeout(0);
		r = get_wch(&wc);
		/* Something to read but no key: the terminal hung up (its
		 * window closed) and reading it gives nothing, forever;
		 * taken for "no key yet" the viewer would spin, SIGHUP or
		 * not. */
		if (r == ERR)
			return (pfd->revents & (POLLHUP | POLLERR | POLLNVAL)) ?
				       KEYC_GONE : KEYC_NONE;
	}
	if (r == KEY_CODE_YES) {
		uint32_t k = term_key((int)wc);

		if (k == KEYC_MOUSE) {
			if (getmouse(&ev) != OK)
				return KEYC_NONE;
			m->x = ev.x;
			m->y = ev.y;
			m->button =
			    (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
				? 1
			    : (ev.bstate & BUTTON4_PRESSED) ? 4
			    : (ev.bstate & BUTTON5_PRESSED) ? 5
							    : 0;
		}
		return k;
	}
	if (wc == '\n')
		return KEYC_ENTER;
	if (wc == KEYC_ESC)
		return term_esc();
	return (uint32_t)wc;
}

void
term_blit(const struct grid *g, int cx, int cy, int clear)
{
	int x, y, w, h;
	const struct grid_cell *c;

	if (clear)
		clearok(curscr, TRUE);
	getmaxyx(stdscr, h, w);
	for (y = 0; y < g->h && y < h; y++) {
		move(y, 0);
		for (x = 0; x < g->w && x < w; x++) {
			c = &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
			if (c->len == 0)
				continue; /* right half of a wide char */
			attrset(
			    term_role_attr[c->role < ROLE__COUNT ? c->role
								 : 0] |
			    COLOR_PAIR(
				term_role_pair[c->role < ROLE__COUNT ? c->role
								     : 0]));
			if (!term_is_utf8 && (unsigned char)c->ch[0] >= 0x80) {
				/* The grid is UTF-8; an ASCII terminal gets
				 * a placeholder of the same width. */
				addch(c->width == 2 ? '?' : '?');
				if (c->width == 2 && x + 1 < w)
					addch('?');
				continue;
			}
			if (y == h - 1 && x == w - 1) {
				/* Writing the last cell would scroll: insert
				 * it instead. */
				mvinsnstr(y, x, c->ch, c->len);
				continue;
			}
			addnstr(c->ch, c->len);
		}
	}
	attrset(A_NORMAL);
	if (cx >= 0 && cy >= 0) {
		move(cy, cx);
		curs_set(1);
	} else
		curs_set(0);
	refresh();
}
