/* keymap: key -> action tables per context, action names and help text.
 * Adding a key is one line here; the help screen and the README key list
 * come from the same table. */
#include <stdio.h>
#include <string.h>

#include "keymap.h"

struct keymap_entry {
	uint32_t key;
	enum action action;
};

/* clang-format off */
static const struct keymap_entry keymap_normal[] = {
	{ KEYC_UP, ACT_UP }, { 'k', ACT_UP },
	{ KEYC_DOWN, ACT_DOWN }, { 'j', ACT_DOWN },
	{ KEYC_LEFT, ACT_LEFT }, { 'h', ACT_LEFT },
	{ KEYC_RIGHT, ACT_RIGHT }, { 'l', ACT_RIGHT },
	{ KEYC_PPAGE, ACT_PAGE_UP }, { KEYC_CTRL('b'), ACT_PAGE_UP },
	{ KEYC_NPAGE, ACT_PAGE_DOWN }, { KEYC_CTRL('f'), ACT_PAGE_DOWN },
	{ ' ', ACT_PAGE_DOWN },
	{ KEYC_HOME, ACT_HOME }, { 'g', ACT_HOME }, { '<', ACT_HOME },
	{ KEYC_END, ACT_END }, { 'G', ACT_END }, { '>', ACT_END },
	{ KEYC_TAB, ACT_FOCUS_NEXT }, { KEYC_BTAB, ACT_FOCUS_PREV },
	{ KEYC_ENTER, ACT_OPEN }, { '\n', ACT_OPEN },
	{ KEYC_ESC, ACT_BACK }, { KEYC_BACKSPACE, ACT_BACK },
	{ 0x7f, ACT_BACK }, { KEYC_CTRL('h'), ACT_BACK },
	{ ']', ACT_DIALOG_NEXT }, { '[', ACT_DIALOG_PREV },
	{ 'o', ACT_TWIN },
	{ '/', ACT_SEARCH }, { 'n', ACT_SEARCH_NEXT }, { 'N', ACT_SEARCH_PREV },
	{ 'f', ACT_FILTER }, { 'c', ACT_FILTER_CALLID },
	{ 'u', ACT_FILTER_USER }, { 'x', ACT_FILTER_CLEAR },
	{ 'e', ACT_NEXT_ERROR }, { 'E', ACT_PREV_ERROR },
	{ 'R', ACT_REGREPORT }, { 'W', ACT_WARNINGS }, { 's', ACT_SAVE }, { 't', ACT_TIME_MODE },
	{ 'w', ACT_WRAP }, { 'a', ACT_FLOW_SCOPE }, { 'F', ACT_FOLLOW },
	{ 'L', ACT_LAYOUT_NEXT }, { 'z', ACT_MAXIMISE },
	{ '?', ACT_HELP }, { KEYC_F1, ACT_HELP },
	{ KEYC_CTRL('l'), ACT_REDRAW }, { KEYC_CTRL('z'), ACT_SUSPEND },
	{ 'q', ACT_QUIT }, { KEYC_CTRL('c'), ACT_QUIT },
};
/* clang-format on */

/* clang-format off */
static const struct keymap_entry keymap_prompt[] = {
	{ KEYC_ENTER, ACT_ACCEPT }, { '\n', ACT_ACCEPT },
	{ KEYC_ESC, ACT_CANCEL }, { KEYC_CTRL('g'), ACT_CANCEL },
	{ KEYC_CTRL('c'), ACT_CANCEL },
	{ KEYC_BACKSPACE, ACT_DELETE_BACK }, { 0x7f, ACT_DELETE_BACK },
	{ KEYC_CTRL('h'), ACT_DELETE_BACK },
	{ KEYC_DC, ACT_DELETE }, { KEYC_CTRL('d'), ACT_DELETE },
	{ KEYC_LEFT, ACT_LEFT }, { KEYC_CTRL('b'), ACT_LEFT },
	{ KEYC_RIGHT, ACT_RIGHT }, { KEYC_CTRL('f'), ACT_RIGHT },
	{ KEYC_HOME, ACT_HOME }, { KEYC_CTRL('a'), ACT_HOME },
	{ KEYC_END, ACT_END }, { KEYC_CTRL('e'), ACT_END },
	{ KEYC_CTRL('u'), ACT_KILL_LINE }, { KEYC_CTRL('w'), ACT_KILL_WORD },
	{ KEYC_UP, ACT_HISTORY_PREV }, { KEYC_CTRL('p'), ACT_HISTORY_PREV },
	{ KEYC_DOWN, ACT_HISTORY_NEXT }, { KEYC_CTRL('n'), ACT_HISTORY_NEXT },
};
/* clang-format on */

/* clang-format off */
static const struct keymap_entry keymap_helpkeys[] = {
	{ KEYC_UP, ACT_UP }, { 'k', ACT_UP },
	{ KEYC_DOWN, ACT_DOWN }, { 'j', ACT_DOWN },
	{ KEYC_PPAGE, ACT_PAGE_UP }, { KEYC_CTRL('b'), ACT_PAGE_UP },
	{ KEYC_NPAGE, ACT_PAGE_DOWN }, { ' ', ACT_PAGE_DOWN },
	{ KEYC_CTRL('f'), ACT_PAGE_DOWN },
	{ KEYC_HOME, ACT_HOME }, { 'g', ACT_HOME },
	{ KEYC_END, ACT_END }, { 'G', ACT_END },
	{ 'q', ACT_CANCEL }, { KEYC_ESC, ACT_CANCEL }, { '?', ACT_CANCEL },
	{ KEYC_F1, ACT_CANCEL }, { KEYC_ENTER, ACT_CANCEL },
	{ KEYC_BACKSPACE, ACT_CANCEL }, { 0x7f, ACT_CANCEL },
	{ KEYC_CTRL('l'), ACT_REDRAW },
};
/* clang-format on */

/* clang-format off */
static const struct {
	const struct keymap_entry *e;
	size_t n;
} keymap_tables[KM__COUNT] = {
	[KM_NORMAL] = { keymap_normal, sizeof keymap_normal / sizeof keymap_normal[0] },
	[KM_PROMPT] = { keymap_prompt, sizeof keymap_prompt / sizeof keymap_prompt[0] },
	[KM_HELP] = { keymap_helpkeys, sizeof keymap_helpkeys / sizeof keymap_helpkeys[0] },
};
/* clang-format on */

/* clang-format off */
static const struct {
	const char *name;
	const char *help;
} keymap_actions[ACT__COUNT] = {
	[ACT_NONE] = { "none", "" },
	[ACT_UP] = { "up", "previous message / scroll up" },
	[ACT_DOWN] = { "down", "next message / scroll down" },
	[ACT_LEFT] = { "left", "scroll left (detail, flow)" },
	[ACT_RIGHT] = { "right", "scroll right (detail, flow)" },
	[ACT_PAGE_UP] = { "page-up", "one page up" },
	[ACT_PAGE_DOWN] = { "page-down", "one page down" },
	[ACT_HOME] = { "home", "first message / top" },
	[ACT_END] = { "end", "last message / bottom" },
	[ACT_FOCUS_NEXT] = { "focus-next", "focus the next pane" },
	[ACT_FOCUS_PREV] = { "focus-prev", "focus the previous pane" },
	[ACT_OPEN] = { "open", "show only this message's dialog and its flow" },
	[ACT_BACK] = { "back", "back to the previous filter / close view (none: clear the search)" },
	[ACT_DIALOG_NEXT] = { "dialog-next", "next message of the same dialog (then of a retry on a new Call-ID)" },
	[ACT_DIALOG_PREV] = { "dialog-prev", "previous message of the same dialog (then the challenge it answers)" },
	[ACT_TWIN] = { "twin", "the same message as another merged log wrote it (a client's log and its server's), o again: back" },
	[ACT_SEARCH] = { "search", "search text (incremental; empty: clear it); no match says how many the filter hides" },
	[ACT_SEARCH_NEXT] = { "search-next", "next match" },
	[ACT_SEARCH_PREV] = { "search-prev", "previous match" },
	[ACT_FILTER] = { "filter", "edit the filter expression, from the one shown (a dialog's: callid:ID)" },
	[ACT_FILTER_CALLID] = { "filter-callid", "filter by this Call-ID" },
	[ACT_FILTER_USER] = { "filter-user", "filter by this user (a server event's: its dialog's, dialog:user:USER)" },
	[ACT_FILTER_CLEAR] = { "filter-clear", "show all messages (over -f's filter: back to it first, x again: all)" },
	[ACT_NEXT_ERROR] = { "next-error", "next error" },
	[ACT_PREV_ERROR] = { "prev-error", "previous error" },
	[ACT_REGREPORT] = { "registrations", "registration report, on the selected message's registration" },
	[ACT_WARNINGS] = { "warnings", "what the readers skipped or found broken" },
	[ACT_SAVE] = { "save", "save the shown messages to a file or a named pipe (Esc or C-c cancels a save that waits)" },
	[ACT_TIME_MODE] = { "time-mode", "time: absolute / delta" },
	[ACT_WRAP] = { "wrap", "detail: wrap / scroll long lines" },
	[ACT_FLOW_SCOPE] = { "flow-scope", "flow: dialog / all shown messages" },
	[ACT_FOLLOW] = { "follow", "follow the files as they grow (as F in less; of one that cannot be, a pipe read without --follow, the status line says why)" },
	[ACT_LAYOUT_NEXT] = { "layout", "next layout" },
	[ACT_MAXIMISE] = { "maximise", "maximise / restore the focused pane" },
	[ACT_HELP] = { "help", "this help" },
	[ACT_REDRAW] = { "redraw", "redraw the screen" },
	[ACT_SUSPEND] = { "suspend", "suspend (back with fg)" },
	[ACT_QUIT] = { "quit", "quit" },
	[ACT_ACCEPT] = { "accept", "accept the line" },
	[ACT_CANCEL] = { "cancel", "cancel / close" },
	[ACT_DELETE_BACK] = { "delete-back", "delete before the cursor" },
	[ACT_DELETE] = { "delete", "delete at the cursor" },
	[ACT_KILL_LINE] = { "kill-line", "clear the line" },
	[ACT_KILL_WORD] = { "kill-word", "delete the word before the cursor" },
	[ACT_HISTORY_PREV] = { "history-prev", "previous entry in the history" },
	[ACT_HISTORY_NEXT] = { "history-next", "next entry in the history" },
	[ACT_SELF_INSERT] = { "self-insert", "insert the character" },
};
/* clang-format on */

enum action
keymap_lookup(enum keymap_ctx ctx, uint32_t key)
{
	size_t i;

	if ((int)ctx < 0 || ctx >= KM__COUNT)
		return ACT_NONE;
	for (i = 0; i < keymap_tables[ctx].n; i++) {
		if (keymap_tables[ctx].e[i].key == key)
			return keymap_tables[ctx].e[i].action;
	}
	if (ctx == KM_PROMPT && key >= 0x20 && key != 0x7f && key < KEYC_BASE &&
	    !(key >= 0x80 && key < 0xa0))
		return ACT_SELF_INSERT;
	return ACT_NONE;
}

const char *
keymap_action_name(enum action a)
{
	if ((int)a < 0 || a >= ACT__COUNT)
		return "?";
	return keymap_actions[a].name;
}

const char *
keymap_action_help(enum action a)
{
	if ((int)a < 0 || a >= ACT__COUNT)
		return "";
	return keymap_actions[a].help;
}

const char *
keymap_key_name(uint32_t key, char *buf, size_t bufsz)
{
	static const char *const special[] = {
	    "Up",  "Down",  "Left",	 "Right",  "PgUp", "PgDn",   "Home",
	    "End", "S-Tab", "Backspace", "Delete", "F1",   "Resize", "Mouse",
	};
	int n;

	if (key > KEYC_BASE && key <= KEYC_MOUSE)
		n = snprintf(buf, bufsz, "%s", special[key - KEYC_BASE - 1]);
	else if (key == KEYC_ENTER || key == '\n')
		n = snprintf(buf, bufsz, "Enter");
	else if (key == KEYC_TAB)
		n = snprintf(buf, bufsz, "Tab");
	else if (key == KEYC_ESC)
		n = snprintf(buf, bufsz, "Esc");
	else if (key == 0x7f)
		n = snprintf(buf, bufsz, "DEL");
	else if (key == ' ')
		n = snprintf(buf, bufsz, "Space");
	else if (key < 0x20)
		n = snprintf(buf, bufsz, "C-%c", (char)(key + 0x60));
	else if (key < 0x80)
		n = snprintf(buf, bufsz, "%c", (char)key);
	else
		n = snprintf(buf, bufsz, "U+%04X", (unsigned)key);
	(void)n;
	return buf;
}

const char *
keymap_action_key(enum keymap_ctx ctx, enum action a, char *buf, size_t bufsz)
{
	size_t i;

	if (bufsz > 0)
		buf[0] = '\0';
	if ((int)ctx < 0 || ctx >= KM__COUNT)
		return buf;
	for (i = 0; i < keymap_tables[ctx].n; i++) {
		if (keymap_tables[ctx].e[i].action == a)
			return keymap_key_name(keymap_tables[ctx].e[i].key, buf,
					       bufsz);
	}
	return buf;
}

/* The same action reads differently in a line editor. */
static const char *
keymap_ctx_help(enum keymap_ctx ctx, enum action a)
{
	if (ctx == KM_PROMPT) {
		switch (a) {
		case ACT_LEFT:
			return "cursor left";
		case ACT_RIGHT:
			return "cursor right";
		case ACT_HOME:
			return "start of the line";
		case ACT_END:
			return "end of the line";
		default:
			break;
		}
	}
	return keymap_actions[a].help;
}

void
keymap_help(enum keymap_ctx ctx,
	    void (*fn)(void *arg, const char *keys, const char *help),
	    void *arg)
{
	char keys[128], name[32];
	size_t i, j, len;
	int seen[ACT__COUNT];

	if ((int)ctx < 0 || ctx >= KM__COUNT)
		return;
	memset(seen, 0, sizeof seen);
	for (i = 0; i < keymap_tables[ctx].n; i++) {
		enum action a = keymap_tables[ctx].e[i].action;

		if (seen[a])
			continue;
		seen[a] = 1;
		keys[0] = '\0';
		len = 0;
		for (j = i; j < keymap_tables[ctx].n; j++) {
			uint32_t k = keymap_tables[ctx].e[j].key;

			if (keymap_tables[ctx].e[j].action != a)
				continue;
			/* The second spelling of Enter, Backspace and C-h
			 * adds nothing for a reader. */
			if (k == '\n' || k == 0x7f || k == KEYC_CTRL('h'))
				continue;
			keymap_key_name(k, name, sizeof name);
			if (len + strlen(name) + 3 >= sizeof keys)
				break;
			len += (size_t)snprintf(keys + len, sizeof keys - len,
						"%s%s", len ? ", " : "", name);
		}
		fn(arg, keys, keymap_ctx_help(ctx, a));
	}
}
