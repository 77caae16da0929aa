/* keymap: the one table from keys to actions. Panes switch on actions,
 * never on raw keys; term.c turns curses key codes into the KEYC_* codes
 * below so that this module and its tests need no terminal. The help
 * screen is generated from the same table. */
#ifndef SIPSNOOP_KEYMAP_H
#define SIPSNOOP_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

/* Keys: a Unicode code point, or one of these (above Unicode). */
enum keyc {
	KEYC_NONE = 0,
	KEYC_BASE = 0x200000,
	KEYC_UP,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_PPAGE,
	KEYC_NPAGE,
	KEYC_HOME,
	KEYC_END,
	KEYC_BTAB,
	KEYC_BACKSPACE,
	KEYC_DC,
	KEYC_F1,
	KEYC_RESIZE,
	KEYC_MOUSE,
	KEYC_GONE,	/* the terminal hung up: nothing more will come */
};
#define KEYC_CTRL(c) ((c)&0x1f)
#define KEYC_ESC 0x1b
#define KEYC_TAB '\t'
#define KEYC_ENTER '\r'

enum action {
	ACT_NONE = 0,
	/* Moving. */
	ACT_UP,
	ACT_DOWN,
	ACT_LEFT,
	ACT_RIGHT,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_HOME,
	ACT_END,
	ACT_FOCUS_NEXT,
	ACT_FOCUS_PREV,
	/* Selecting and filtering. */
	ACT_OPEN, /* Enter: the dialog of the selection */
	ACT_BACK, /* the previous filter */
	ACT_DIALOG_NEXT,
	ACT_DIALOG_PREV,
	ACT_TWIN,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_FILTER,
	ACT_FILTER_CALLID,
	ACT_FILTER_USER,
	ACT_FILTER_CLEAR,
	ACT_NEXT_ERROR,
	ACT_PREV_ERROR,
	/* Views. */
	ACT_REGREPORT,
	ACT_WARNINGS,
	ACT_SAVE,
	ACT_TIME_MODE,
	ACT_WRAP,
	ACT_FLOW_SCOPE,
	ACT_FOLLOW,
	ACT_LAYOUT_NEXT,
	ACT_MAXIMISE,
	ACT_HELP,
	ACT_REDRAW,
	ACT_SUSPEND,
	ACT_QUIT,
	/* Line editing in a prompt. */
	ACT_ACCEPT,
	ACT_CANCEL,
	ACT_DELETE_BACK,
	ACT_DELETE,
	ACT_KILL_LINE,
	ACT_KILL_WORD,
	ACT_HISTORY_PREV,
	ACT_HISTORY_NEXT,
	ACT_SELF_INSERT, /* any printable key in a prompt */
	ACT__COUNT
};

enum keymap_ctx {
	KM_NORMAL = 0, /* list, detail, flow, report */
	KM_PROMPT,     /* a line being edited */
	KM_HELP,       /* the help screen: scrolling, and keys that close it */
	KM__COUNT
};

/* Action of key in context ctx. In KM_PROMPT printable keys that are not
 * bound give ACT_SELF_INSERT; elsewhere unbound keys give ACT_NONE. */
enum action keymap_lookup(enum keymap_ctx ctx, uint32_t key);
/* Name of an action ("dialog-next") and its one-line description. */
const char *keymap_action_name(enum action a);
const char *keymap_action_help(enum action a);
/* Human name of a key: "j", "Up", "PgDn", "C-l", "Esc", "F1". */
const char *keymap_key_name(uint32_t key, char *buf, size_t bufsz);
/* Name of the first key bound to action a in ctx (keymap_key_name), for a
 * heading that tells which key to press; "" when none is. */
const char *keymap_action_key(enum keymap_ctx ctx, enum action a, char *buf,
			      size_t bufsz);

/* One help line per action of ctx, keys joined ("Down, j"): calls fn for
 * each bound action in table order. */
void keymap_help(enum keymap_ctx ctx,
		 void (*fn)(void *arg, const char *keys, const char *help),
		 void *arg);

#endif
