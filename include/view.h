/* view: the viewer's model of what is shown — the filter stack, the list
 * of visible message ids, the selection, the search — over an engine that
 * may still be indexing. No drawing here; panes read it, actions change
 * it. */
#ifndef SIPSNOOP_VIEW_H
#define SIPSNOOP_VIEW_H

#include <stddef.h>
#include <stdint.h>

struct engine;
struct rules;
struct filter;
struct strbuf;

/* One level of the filter stack: an expression, or a dialog (Enter). */
struct view_level {
	char *expr;	  /* filter text; NULL for a dialog level */
	uint32_t call_id; /* interned Call-ID of a dialog level (ids of
			   * dialogs change when files are merged) */
	struct filter *f; /* compiled expr; NULL for "everything" */
	uint32_t sel_id;  /* message selected when the level was left */
};

enum view_hits_state {
	VHITS_NONE = 0,	/* no search */
	VHITS_COUNTING, /* view_hits_step has more to look at */
	VHITS_DONE,
};

enum view_search_state {
	VSEARCH_IDLE = 0,
	VSEARCH_RUNNING, /* view_search_step has more to scan */
};

struct view {
	struct engine *e;
	const struct rules *rules;

	struct view_level *levels; /* levels[0] is the base filter */
	size_t nlevels, caplevels;

	uint32_t *ids; /* visible message ids, index order */
	size_t nids, capids;
	uint32_t scanned; /* index ids [0, scanned) are filtered */
	int engine_was_done;
	uint64_t changes; /* engine_changes() the list was made with */
	/* The selected message by its place in its file (view_hold_sel),
	 * to find it again when the end of indexing reorders the index. */
	int held;
	uint16_t held_file;
	uint64_t held_off;

	size_t sel; /* index into ids (0 when empty) */

	char *search;	     /* current search text, NULL for none */
	/* What it stands for, matched against the messages: the forms the
	 * viewer shows control bytes in (\e, \xHH, \uHHHH) turned back
	 * into them, as in a filter's quoted phrase, so that what is shown
	 * can be typed back (the highlights, over the text as shown, take
	 * search as it is). */
	char *search_raw;
	size_t nsearch_raw;
	int search_dir;	     /* +1 or -1 */
	size_t search_pos;   /* next index of ids to look at */
	size_t search_start; /* where the search started (wraps to it) */
	size_t search_left;  /* entries still to look at */
	int search_wrapped;  /* the scan went past the end (or the top) */
	enum view_search_state search_state;
	/* The list changed since the search started (ids_gen moved on), or
	 * none started: view_search_extend starts again. */
	unsigned ids_gen;    /* bumped whenever ids changes */
	unsigned search_gen; /* ids_gen when the search started */
	int search_valid;    /* search_pos and search_left mean something */
	/* Bumped when ids is made again or its entries move (a filter
	 * pushed or popped, the end of indexing, a filter in steps joined),
	 * not when it only grows at its end: a search running then starts
	 * again over the new list (its place in the old one means
	 * nothing there). */
	unsigned ids_moved;
	unsigned search_moved; /* ids_moved when the search started */
	/* No shown message matched and the filter hides some: the search
	 * goes on (still VSEARCH_RUNNING, in steps) counting the hidden
	 * messages that match, index ids [hid_pos, hid_end), to say so. */
	int search_counting;
	int search_hidden_done; /* search_hidden is the whole count */
	size_t search_hidden;	/* hidden matches counted */
	uint32_t hid_pos, hid_end;
	size_t hid_at;		/* ids[hid_at] is the next shown id >= hid_pos */
	/* The shown messages the search text matches, counted in steps
	 * (view_hits_step) from when the text changes, to say "match i of
	 * N": their places in ids, in order, up to hits_pos. */
	size_t *hits, nhits, caphits;
	size_t hits_pos;
	int hits_state;	      /* VHITS_* */
	unsigned hits_moved;  /* ids_moved they were counted on */

	/* A filter over a large index is applied in steps (view_filter_step)
	 * so that the viewer goes on answering keys: first the messages from
	 * the selected one to the end, appended to ids as found, then those
	 * before it into pre, joined in front when done (the selection
	 * shifts with them, so it stays on the same message). */
	size_t filter_step; /* messages per step; 0: always at once */
	int filtering;
	uint32_t fstart; /* where the first part started */
	uint32_t fpos;	 /* next id of the second part, up to fstart */
	uint32_t *pre;
	size_t npre, cappre;

	int time_delta; /* list shows deltas */
	int flow_all;	/* flow of all shown messages, not the dialog */
};

/* New view over e showing everything (or the messages matching filter,
 * which must compile: returns NULL with *err and *errcol otherwise). */
struct view *view_new(struct engine *e, const struct rules *rules,
		      const char *filter, char **err, int *errcol);
void view_free(struct view *v);

/* Picks up messages indexed since the last call: filters the new ids (or
 * all of them again when the index was reordered at the end, keeping the
 * message view_hold_sel() noted selected). Returns 1 when the list
 * changed. */
int view_update(struct view *v);
/* Notes the selected message by file and offset: called before indexing
 * more, which may end in a merge of the files in time order. */
void view_hold_sel(struct view *v);

/* Pushes a filter expression. Returns 0, or -1 with *err and *errcol (the
 * view is then unchanged). */
int view_push_filter(struct view *v, const char *expr, char **err, int *errcol);
/* Pushes "only the dialog of this interned Call-ID". */
void view_push_dialog(struct view *v, uint32_t call_id);
/* Pops to the previous filter; returns 0, or -1 when at the base. */
int view_pop(struct view *v);
/* Pops every level pushed over the base filter (-f's, or everything).
 * Returns 0, or -1 when there was none. */
int view_pop_to_base(struct view *v);
/* Whether the base level filters (a filter given with -f). */
int view_base_filters(const struct view *v);
/* Drops every level, the base filter too (shows everything). */
void view_clear(struct view *v);
/* Appends the current filter to sb as an expression that can be typed
 * back ("user:bob"; a dialog as "callid:ID"), nothing for none. */
void view_filter_text(const struct view *v, struct strbuf *sb);
/* The expression of the top level, NULL for a dialog or none. */
const char *view_filter_expr(const struct view *v);

/* Selection. */
int view_has_sel(const struct view *v);
uint32_t view_sel_id(const struct view *v); /* UINT32_MAX when none */
void view_select(struct view *v, long idx); /* clamped */
/* Selects message id if it is shown (else the nearest after it); returns
 * 1 when id itself was found. */
int view_select_id(struct view *v, uint32_t id);
/* Position of message id in the list, or -1. */
long view_find(const struct view *v, uint32_t id);
/* Moves to the next (dir 1) / previous (dir -1) shown message of the
 * selected message's dialog; 0 when moved, -1 when there is none. */
int view_dialog_step(struct view *v, int dir);
/* How many messages of the selected message's dialog after it (dir 1) or
 * before it (dir -1) the list does not show (a filter hides them). */
size_t view_dialog_hidden(const struct view *v, int dir);
/* Where the selected message's registration goes on when its dialog has
 * no shown message further in dir: a client that answered a 401, 407 or
 * 423 with a new request on a new Call-ID (rules_retry_dialog). dir 1:
 * the dialog's last such challenge, and the first shown message of the
 * retry's dialog; dir -1: the challenge the dialog's first request
 * answered. Sets *ch to the challenge and *other to the other
 * dialog; returns 0 when it moved there, 1 when the filter hides where it
 * would go (selection unchanged), -1 when there is no such link. */
int view_dialog_cross(struct view *v, int dir, uint32_t *ch,
		      uint32_t *other);
/* Moves to the next/previous shown message with severity error; 0 or -1. */
int view_next_severity(struct view *v, int dir, int severity);
/* Messages of that severity in the whole index after (dir 1) or before
 * (dir -1) the selected one (all of them when none is selected): when
 * view_next_severity found none, those a filter hides. */
size_t view_count_severity(const struct view *v, int dir, int severity);

/* Search: case-insensitive substring over message text. view_search_start
 * sets the text and direction; view_search_step scans up to budget
 * messages and returns 1 when found (selection moved), 0 when it needs
 * more steps, -1 when there is no match. When no shown message matches
 * and a filter hides some, it goes on in steps counting the hidden ones
 * that match before it returns -1 (search_counting while it does;
 * search_hidden, with search_hidden_done, the count). from_current includes the
 * selected message (incremental search while typing). search_wrapped
 * says whether the match was found past the end of the list going down
 * (past its top going up), the scan going on from the other end. */
void view_search_start(struct view *v, const char *text, int dir,
		       int from_current);
int view_search_step(struct view *v, size_t budget);
/* For a search text typed a letter further (text starts with the current
 * one): goes on from where the current search is, found or still running,
 * instead of from the start again. 0, or -1 (nothing changed) when text
 * does not extend it. search_left is 0 after when nothing can match. */
int view_search_extend(struct view *v, const char *text);
void view_search_cancel(struct view *v);
/* Progress of a running search 0..100 (of the count of hidden matches
 * while search_counting). */
unsigned view_search_progress(const struct view *v);
/* Whether message id's text contains the search text. */
int view_matches(const struct view *v, uint32_t id);

/* Filters up to budget more messages of a filter being applied in steps;
 * returns 1 while there is more to do. */
int view_filter_step(struct view *v, size_t budget);
/* Applies the rest of a filter being applied in steps. */
void view_filter_finish(struct view *v);
/* Part of the index a filter in steps has looked at, 0..100. */
unsigned view_filter_progress(const struct view *v);

/* Counts the matches of the search among the shown messages, budget
 * messages more (again from the start when the list was made anew, on
 * from where it was when it only grew); returns 1 while there is more. */
int view_hits_step(struct view *v, size_t budget);
/* Whether view_hits_step has more to count. */
int view_hits_pending(const struct view *v);
/* The matches counted so far into *n, and into *i the rank of the
 * selected message among them (1 for the first), 0 when it is none.
 * Returns VHITS_NONE (no search, or not counted on this list yet),
 * VHITS_COUNTING or VHITS_DONE. */
int view_hits(const struct view *v, size_t *i, size_t *n);

#endif
