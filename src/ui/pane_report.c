/* pane_report: the registration report as a view — one row per REGISTER
 * dialog with user, client, schemes, attempts, outcome and the reason, of
 * the dialogs the viewer's filter shows a message of (as --registrations
 * -f); Enter opens that registration's messages and flow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pane.h"
#include "theme.h"
#include "view.h"
#include "engine.h"
#include "dialog.h"
#include "regreport.h"
#include "util.h"

/* The table's columns, from the one that matters most: how each
 * registration ended, who, how many tries, from where, with what. */
enum { PRC_OUTCOME, PRC_USER, PRC_ATTEMPTS, PRC_CLIENT, PRC_OFFERED,
       PRC_EXPLAIN, PRC__COUNT };
static const char *const pane_report_head[PRC__COUNT] = {
	[PRC_OUTCOME] = "outcome",	 [PRC_USER] = "user",
	[PRC_ATTEMPTS] = "attempts", [PRC_CLIENT] = "client",
	[PRC_OFFERED] = "offered/used", [PRC_EXPLAIN] = "explanation",
};

struct preport {
	struct regreport rr; /* every registration of the index */
	/* Those the viewer's filter shows (a message of their dialog is in
	 * the list), as --registrations -f gives them: entries of rr. */
	const struct regreport_entry **shown;
	size_t nshown, capshown;
	size_t sel;	/* into shown */
	size_t built;	/* messages in the index when rr was built */
	int built_done; /* and whether indexing had ended (re-rating) */
	uint64_t built_changes;	/* and engine_changes() */
	uint64_t epoch; /* of the dialogs it was built over */
	struct timespec built_at;
	/* The dialogs that hold a listed message: marked from the view's
	 * ids [0, marked) while the list only grows (following, a filter
	 * applied in steps), again from the start when it is made anew
	 * (ids_moved: a filter pushed or popped, the end of indexing). */
	int filtered;
	uint8_t *mark;
	size_t nmark;
	size_t marked;
	unsigned moved;
	uint64_t mark_epoch;
	/* The widest text of each column over shown (pane_report_needs),
	 * measured again only when shown changes. */
	int need[PRC__COUNT];
	int need_ok;
	/* Built in steps (over a million messages it takes a second):
	 * the dialogs looked at so far (build_at) of build_n; the keys are
	 * answered meanwhile, the report before is shown, and the new one
	 * takes its place when it is whole. */
	int building, finish;
	size_t build_at, build_n;
	struct regreport next;	/* the one being built; rr is shown meanwhile */
	uint64_t next_epoch;
	int next_done;
	int next_need[PRC__COUNT];	/* over all of next */
	/* The registration selected when the report was last made anew,
	 * to select it again: by its dialog while the dialogs are the same
	 * ones (keep_epoch), else by what it is (the merge of several files
	 * when indexing ends renumbers the dialogs). */
	int keep;
	uint32_t keep_dl;
	int64_t keep_first;
	char *keep_user, *keep_client;
	size_t keep_nuser, keep_nclient;
	uint64_t keep_epoch;
	/* The dialog of the message selected in the list when the report
	 * was opened (NO_DIALOG none), and the dialogs' epoch then: the
	 * first whole report selects its registration, so that R on a
	 * message shows the registration it belongs to. */
	uint32_t want_dl;
	uint64_t want_epoch;
};

/* Each step of building the report reads PANE_REPORT_STEP messages at
 * least (a dialog that is no registration counts one), then more for up
 * to PANE_REPORT_STEP_NS: a small report is whole at its first draw, a
 * large one answers the keys as it is built. */
#define PANE_REPORT_STEP 512
#define PANE_REPORT_STEP_NS 5000000L

/* A report over a million messages takes about a second to build: while
 * indexing goes on it is built again at most this often. */
#define PANE_REPORT_REBUILD_NS 1000000000L

/* What the report needs to be up to date with the index: 0 nothing, 1 the
 * entries of the dialogs of the messages that came (a followed file grew,
 * the dialogs are the same ones), 2 built again. */
static int
pane_report_stale(const struct pane *p)
{
	const struct preport *pr = p->data;
	size_t n = msgindex_count(engine_index(p->v->e));

	/* While indexing, the screen is drawn again and again, and the end
	 * of indexing builds it once more: it may wait. */
	if (pr->built_changes != engine_changes(p->v->e))
		return 2;	/* a message of it changed (F) */
	if (engine_done(p->v->e) == pr->built_done &&
	    (n == pr->built ||
	     (!pr->built_done &&
	      elapsed_ns(&pr->built_at) < PANE_REPORT_REBUILD_NS)))
		return 0;
	/* Only the dialogs of what came: a second for the whole of a 1 GB
	 * log, on every poll, otherwise. */
	if (pr->built_done && engine_done(p->v->e) && n > pr->built &&
	    pr->epoch == dialogs_epoch(engine_dialogs(p->v->e)))
		return 1;
	return 2;
}

/* Marks the dialogs of the messages the view lists since the last call
 * (all of them again when the list was made anew). Returns 1 when what
 * the filter shows changed. */
static int
pane_report_mark(struct pane *p)
{
	struct preport *pr = p->data;
	struct view *v = p->v;
	const struct dialogs *ds = engine_dialogs(v->e);
	size_t nd = dialogs_count(ds), i;
	int changed = 0, filtered;
	uint32_t d;

	/* Filtered: a level over the base, or -f's (the base level is
	 * always an expression, "" for none). */
	filtered = v->nlevels > 1 || v->levels[0].expr[0] != '\0';
	if (filtered != pr->filtered) {
		pr->filtered = filtered;
		changed = 1;
	}
	if (!pr->filtered)
		return changed;
	if (changed || pr->moved != v->ids_moved || pr->marked > v->nids ||
	    pr->mark_epoch != dialogs_epoch(ds)) {
		if (pr->nmark > 0)
			memset(pr->mark, 0, pr->nmark);
		pr->marked = 0;
		pr->moved = v->ids_moved;
		pr->mark_epoch = dialogs_epoch(ds);
		changed = 1;
	}
	if (nd > pr->nmark) {
		pr->mark = xrealloc(pr->mark, nd);
		memset(pr->mark + pr->nmark, 0, nd - pr->nmark);
		pr->nmark = nd;
	}
	for (i = pr->marked; i < v->nids; i++) {
		d = dialogs_of(ds, msgindex_get(engine_index(v->e), v->ids[i]));
		if (d < pr->nmark && !pr->mark[d]) {
			pr->mark[d] = 1;
			changed = 1;
		}
	}
	pr->marked = v->nids;
	return changed;
}

/* Notes the registration selected (to select it again once the report
 * is made anew). */
static void
pane_report_keep(struct preport *pr)
{
	const struct regreport_entry *was =
	    pr->sel < pr->nshown ? pr->shown[pr->sel] : NULL;

	free(pr->keep_user);
	free(pr->keep_client);
	pr->keep_user = pr->keep_client = NULL;
	pr->keep = was != NULL;
	if (was == NULL)
		return;
	pr->keep_dl = was->dialog;
	pr->keep_first = was->first;
	pr->keep_epoch = pr->epoch;
	pr->keep_user = xstrndup(was->user, pr->keep_nuser = was->nuser);
	pr->keep_client = xstrndup(was->client,
				   pr->keep_nclient = was->nclient);
}

/* Selects the registration of the message selected when the report was
 * opened, when one is shown; else the selection stays (the first). Once:
 * a report made anew keeps what is selected then. Dialogs renumbered
 * meanwhile (indexing ended and merged the files') cannot be told apart
 * by id: the first then too. */
static void
pane_report_want(struct preport *pr)
{
	size_t i;

	for (i = 0; pr->want_epoch == pr->epoch && i < pr->nshown; i++)
		if (pr->shown[i]->dialog == pr->want_dl) {
			pr->sel = i;
			break;
		}
	pr->want_dl = NO_DIALOG;
}

static void pane_report_need_init(int need[PRC__COUNT]);
static void pane_report_entry_needs(const struct regreport_entry *en,
				    int need[PRC__COUNT], struct strbuf *sb);

/* One step of building the report (PANE_REPORT_STEP), the widths of its
 * new entries measured as they come (the table over all of them needs no
 * measuring when it is whole); returns 1 while more is to come. */
static int
pane_report_build_step(struct pane *p)
{
	struct preport *pr = p->data;
	struct timespec t0;
	struct strbuf sb;
	size_t done = 0, n, budget;

	if (!pr->building)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	strbuf_init(&sb);
	do {
		n = pr->next.n;
		budget = 128;
		pr->build_at = regreport_build_step(p->v->e, p->v->rules,
		    &pr->next, pr->build_at, &budget);
		done += 128 - budget;
		for (; n < pr->next.n; n++)
			pane_report_entry_needs(&pr->next.v[n], pr->next_need,
						&sb);
	} while (pr->build_at < pr->build_n &&
	       (done < PANE_REPORT_STEP ||
		elapsed_ns(&t0) < PANE_REPORT_STEP_NS));
	strbuf_free(&sb);
	pr->building = pr->build_at < pr->build_n;
	pr->finish = !pr->building;	/* the next refresh shows it */
	return pr->building;
}

int
pane_report_busy(const struct pane *p)
{
	return ((const struct preport *)p->data)->building;
}

int
pane_report_tick(struct pane *p)
{
	return pane_report_build_step(p);
}

/* The report again when messages came since it was built (indexing
 * going on behind it, a followed file growing) or the filter shows
 * others, on the same registration. Made anew, it is built in steps
 * (pane_report_build_step), the next of them here. */
static void
pane_report_refresh(struct pane *p)
{
	struct preport *pr = p->data;
	int stale, marks, built;
	size_t i, from = 0;

	/* Built in steps by the ticks (pane_report_tick), not the draws. */
	if (pr->building)
		return;
	built = pr->finish;
	pr->finish = 0;
	stale = built ? 0 : pane_report_stale(p);
	marks = pane_report_mark(p);
	if (stale == 0 && !marks && !built)
		return;
	/* Up to date with the index as it is now, whatever comes while it
	 * is built in steps (the next refresh sees that). */
	if (stale != 0) {
		from = pr->built;
		pr->built = msgindex_count(engine_index(p->v->e));
		pr->built_changes = engine_changes(p->v->e);
		clock_gettime(CLOCK_MONOTONIC, &pr->built_at);
	}
	if (stale == 2) {
		memset(&pr->next, 0, sizeof pr->next);
		pr->next_epoch = dialogs_epoch(engine_dialogs(p->v->e));
		pr->next_done = engine_done(p->v->e);
		pr->building = 1;
		pr->build_at = 0;
		pr->build_n = dialogs_count(engine_dialogs(p->v->e));
		pane_report_need_init(pr->next_need);
		if (pane_report_build_step(p))
			return;
		pr->finish = 0;
		built = 1;
	}
	pane_report_keep(pr);
	if (built) {
		/* The new report in place of the one shown. */
		regreport_free(&pr->rr);
		pr->rr = pr->next;
		memset(&pr->next, 0, sizeof pr->next);
		pr->epoch = pr->next_epoch;
		pr->built_done = pr->next_done;
	} else if (stale == 1)
		regreport_update(p->v->e, p->v->rules, &pr->rr, from);
	pr->nshown = 0;
	/* All of a new report shown: measured as it was built. */
	pr->need_ok = built && !pr->filtered;
	if (pr->need_ok)
		memcpy(pr->need, pr->next_need, sizeof pr->need);
	/* Room for all at once; unfiltered, the entries are not read (a
	 * million of them is a cache miss each). */
	pr->shown = xgrow(pr->shown, &pr->capshown, pr->rr.n,
			  sizeof *pr->shown);
	for (i = 0; i < pr->rr.n; i++) {
		uint32_t d;

		if (pr->filtered && ((d = pr->rr.v[i].dialog) >= pr->nmark ||
				     !pr->mark[d]))
			continue;
		pr->shown[pr->nshown++] = &pr->rr.v[i];
	}
	/* The registration selected before, selected again. */
	for (i = 0; pr->keep && i < pr->nshown; i++) {
		const struct regreport_entry *x = pr->shown[i];

		if (pr->keep_epoch == pr->epoch ? x->dialog == pr->keep_dl :
		    (x->first == pr->keep_first &&
		     x->nuser == pr->keep_nuser &&
		     memcmp(x->user, pr->keep_user, pr->keep_nuser) == 0 &&
		     x->nclient == pr->keep_nclient &&
		     memcmp(x->client, pr->keep_client,
			    pr->keep_nclient) == 0)) {
			pr->sel = i;
			break;
		}
	}
	if (built && pr->want_dl != NO_DIALOG)
		pane_report_want(pr);
	/* What came while it was built (the end of indexing, more
	 * messages): built again now, this one shown meanwhile; no draw may
	 * come to see it (no key, indexing over). */
	if (built && pane_report_stale(p) != 0)
		pane_report_refresh(p);
}

static int
pane_report_cell(struct grid *g, int x, int y, int w, int role, const char *s,
		 size_t n)
{
	if (w <= 0)
		return x;
	pane_put_cut(g, x, y, w, role, s, n, NULL, 0, 0);
	return x + w + 1;
}

/* The selected registration in full, wrapped, from line y down to ylim
 * (the table's cells cut what does not fit). Returns the lines it needs
 * (draws nothing when g is NULL). */
static int
pane_report_detail(struct grid *g, int x, int y, int w, int ylim,
		   const struct regreport_entry *en)
{
	struct strbuf sb, vis;
	size_t at = 0, fit;
	int lines = 0;

	strbuf_init(&sb);
	strbuf_init(&vis);
	strbuf_add(&sb, en->user, en->nuser);
	strbuf_adds(&sb, " from ");
	strbuf_add(&sb, en->nclient ? en->client : "?",
		   en->nclient ? en->nclient : 1);
	strbuf_adds(&sb, " to ");
	strbuf_add(&sb, en->nserver ? en->server : "?",
		   en->nserver ? en->nserver : 1);
	strbuf_addf(&sb, ": offered %s, used %s%s; ",
		    *en->offered ? en->offered : "none",
		    *en->used ? en->used : "none",
		    en->remote_user ? ", remote user" : "");
	strbuf_add(&sb, en->explain, en->nexplain);
	sanitize_append(&vis, sb.buf, sb.len, 0);
	while (at < vis.len && w > 0) {
		fit = grid_text_fit(vis.buf + at, vis.len - at, w);
		if (fit == 0)
			break;
		/* Break after a space when the line is cut in a word. */
		if (at + fit < vis.len) {
			size_t k = fit;

			while (k > 0 && vis.buf[at + k - 1] != ' ')
				k--;
			if (k > 0)
				fit = k;
		}
		if (g != NULL && y + lines + 1 == ylim && at + fit < vis.len) {
			/* The last line there is room for, and more to
			 * come: a '~' says so. */
			size_t k =
			    grid_text_fit(vis.buf + at, vis.len - at, w - 1);
			int ex = grid_put(g, x, y + lines, x + w, ROLE_EXPLAIN,
					  vis.buf + at, k);

			grid_puts(g, ex, y + lines, x + w, ROLE_EXPLAIN, "~");
		} else if (g != NULL && y + lines < ylim)
			grid_put(g, x, y + lines, x + w, ROLE_EXPLAIN,
				 vis.buf + at, fit);
		lines++;
		at += fit;
	}
	strbuf_free(&sb);
	strbuf_free(&vis);
	return lines;
}

/* Widths of the columns in w cells (one blank at each side, one between
 * two columns), 0 for a column left out, none wider than its widest text
 * (need). A narrow terminal leaves out the columns that matter least (the
 * explanation, which the lines below the table give in full for the
 * selected one, then the schemes, the client, the attempts, the user)
 * rather than the outcome; what is left over widens them in the same
 * order of importance, up to what they hold, the explanation last. */
static void
pane_report_widths(int w, const int need[PRC__COUNT], int wd[PRC__COUNT])
{
	static const int minw[PRC__COUNT] = {16, 10, 8, 10, 12, 16};
	/* Each column up to a width in turn: the explanation, the least
	 * needed, is shown only when the others are wide (PRC__COUNT). */
	static const struct {
		int col, to;
	} grow[] = {
	    {PRC_USER, 14},    {PRC_OUTCOME, 28}, {PRC_USER, 20},
	    {PRC_CLIENT, 16},  {PRC_OFFERED, 14}, {PRC_USER, 30},
	    {PRC_CLIENT, 22},  {PRC_OFFERED, 16}, {PRC__COUNT, 0},
	    {PRC_OFFERED, 26},
	};
	int avail = w - 2, used = 0, n, i, add, least[PRC__COUNT];

	memset(wd, 0, PRC__COUNT * sizeof *wd);
	for (i = 0; i < PRC__COUNT; i++)
		least[i] = minw[i] < need[i] ? minw[i] : need[i];
	/* As many columns as fit at their narrowest, the outcome always
	 * (cut when even it does not fit); the explanation waits. */
	for (n = 0; n < PRC_EXPLAIN; n++) {
		if (n > 0 && used + 1 + least[n] > avail)
			break;
		used += (n > 0) + least[n];
		wd[n] = least[n];
	}
	if (wd[PRC_OUTCOME] > avail)
		wd[PRC_OUTCOME] = avail > 0 ? avail : 0;
	used = used > avail ? avail : used;
	for (i = 0; i < (int)(sizeof grow / sizeof grow[0]); i++) {
		int c = grow[i].col, to;

		if (c == PRC__COUNT) {
			/* All five are wide: room for the explanation? */
			if (n < PRC_EXPLAIN ||
			    used + 1 + least[PRC_EXPLAIN] > avail)
				break;
			wd[PRC_EXPLAIN] = least[PRC_EXPLAIN];
			used += 1 + least[PRC_EXPLAIN];
			continue;
		}
		to = grow[i].to < need[c] ? grow[i].to : need[c];
		if (wd[c] == 0 || wd[c] >= to)
			continue;
		add = to - wd[c];
		if (add > avail - used)
			add = avail - used;
		wd[c] += add;
		used += add;
	}
	/* What is left: each column shown up to what it holds, in the order
	 * of importance. */
	for (i = 0; i < PRC__COUNT && used < avail; i++) {
		if (wd[i] == 0 || wd[i] >= need[i])
			continue;
		add = need[i] - wd[i];
		if (add > avail - used)
			add = avail - used;
		wd[i] += add;
		used += add;
	}
}

/* The offered/used cell of en into buf. A retry on a new Call-ID was
 * offered nothing in its own dialog: "- / Digest", not " / Digest". */
static void
pane_report_offered(const struct regreport_entry *en, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s",
		 *en->offered || !*en->used ? en->offered : "-",
		 *en->used ? " / " : "", en->used,
		 en->remote_user ? " remote" : "");
}

/* The outcome cell of en into sb (emptied first). */
static void
pane_report_outcome(const struct regreport_entry *en, struct strbuf *sb)
{
	strbuf_reset(sb);
	if (en->status) {
		strbuf_addf(sb, "%u ", en->status);
		strbuf_add(sb, en->reason, en->nreason);
	} else
		strbuf_adds(sb, "no answer");
}

/* The widest text of each column: its heading, or a registration's
 * cell. */
static void
pane_report_need_init(int need[PRC__COUNT])
{
	int c;

	for (c = 0; c < PRC__COUNT; c++)
		need[c] = (int)strlen(pane_report_head[c]);
}

/* Widens need[] to en's cells (sb: room for one). */
static void
pane_report_entry_needs(const struct regreport_entry *en,
			int need[PRC__COUNT], struct strbuf *sb)
{
	char buf[64];
	int c, t[PRC__COUNT];

	pane_report_outcome(en, sb);
	t[PRC_OUTCOME] = pane_text_width(sb->buf, sb->len);
	t[PRC_USER] = pane_text_width(en->user, en->nuser);
	t[PRC_ATTEMPTS] = 8;
	t[PRC_CLIENT] = pane_text_width(en->client, en->nclient);
	pane_report_offered(en, buf, sizeof buf);
	t[PRC_OFFERED] = pane_text_width(buf, strlen(buf));
	t[PRC_EXPLAIN] = pane_text_width(en->explain, en->nexplain);
	for (c = 0; c < PRC__COUNT; c++)
		if (t[c] > need[c])
			need[c] = t[c];
}

static void
pane_report_needs(const struct preport *pr, int need[PRC__COUNT])
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	pane_report_need_init(need);
	for (i = 0; i < pr->nshown; i++)
		pane_report_entry_needs(pr->shown[i], need, &sb);
	strbuf_free(&sb);
}

/* The heading: which registration is selected of how many, and when
 * the viewer's filter leaves some out, of how many in all and by what
 * filter, so that none seems missing. When that does not fit, the keys
 * go first, then the filter is cut with a '~' (and, when even that does
 * not leave it a few letters, the word "registration" goes too): the
 * counts stay. */
static struct rect
pane_report_heading(struct pane *p, struct grid *g, struct rect r)
{
	struct preport *pr = p->data;
	/* Enter opens nothing when no registration is listed. */
	const char *keys = pr->nshown > 0 ? "  Enter: flow  q/Esc: close" :
						"  q/Esc: close";
	struct strbuf title, info, filt;
	/* The filter cut to no fewer than 4 letters. */
	const int least = (int)strlen("Registrations  filter: ") + 4;
	const size_t word = strlen("registration ");
	int room, tw;
	struct rect c;
	/* The draw keeps it in the table after the heading. */
	size_t sel = pr->sel < pr->nshown ? pr->sel : pr->nshown - 1;

	strbuf_init(&title);
	strbuf_init(&info);
	strbuf_adds(&title, "Registrations");
	if (pr->filtered) {
		strbuf_init(&filt);
		view_filter_text(p->v, &filt);
		strbuf_adds(&title, "  filter: ");
		sanitize_append(&title, filt.buf, filt.len, 0);
		strbuf_free(&filt);
		if (pr->nshown > 0)
			strbuf_addf(&info, "registration %zu of %zu%s, %zu in "
				    "all", sel + 1, pr->nshown,
				    p->v->filtering ? " so far" : "",
				    pr->rr.n);
		else
			strbuf_addf(&info, "%zu of %zu registration%s%s",
				    pr->nshown, pr->rr.n,
				    pr->rr.n == 1 ? "" : "s",
				    p->v->filtering ? " so far" : "");
		if (p->v->filtering)
			strbuf_addf(&info, " (filtering %u%%)",
				    view_filter_progress(p->v));
	} else if (pr->nshown > 0)
		strbuf_addf(&info, "registration %zu of %zu", sel + 1,
			    pr->nshown);
	else
		strbuf_addf(&info, "%zu registration%s", pr->rr.n,
			    pr->rr.n == 1 ? "" : "s");
	/* The title, a blank, the info and a blank at each end. */
	room = r.w - 4 - grid_text_width(info.buf, info.len);
	tw = grid_text_width(title.buf, title.len);
	if (tw <= room - (int)strlen(keys))
		strbuf_adds(&info, keys);
	else {
		/* Then the word "registration", when the filter could not
		 * be cut to a few letters with it. */
		if (pr->nshown > 0 && tw > room && room <= least) {
			memmove(info.buf, info.buf + word,
				info.len - word + 1);
			info.len -= word;
			room += (int)word;
		}
		if (tw > room && room > least) {
			title.len = grid_text_fit(title.buf, title.len,
						  room - 1);
			title.buf[title.len] = '\0';
			strbuf_adds(&title, "~");
		}
	}
	c = pane_heading(p, g, r, title.buf, info.buf);
	strbuf_free(&title);
	strbuf_free(&info);
	return c;
}

static void
pane_report_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct preport *pr = p->data;
	struct rect c;
	/* The columns from the left. */
	static const int order[PRC__COUNT] = {
	    PRC_USER, PRC_CLIENT, PRC_OFFERED, PRC_ATTEMPTS, PRC_OUTCOME,
	    PRC_EXPLAIN,
	};
	char buf[64];
	struct strbuf out;
	int y, x, k, role, wd[PRC__COUNT];
	size_t i;

	pane_report_refresh(p);
	c = pane_report_heading(p, g, r);
	p->rows = c.h - 1;
	if (c.h < 2)
		return;
	if (pr->building && pr->rr.n == 0) {
		/* The first one (a report before stays until the new one
		 * is whole). */
		grid_printf(g, c.x + 1, c.y, c.x + c.w, ROLE_DIM,
			    "building the report: %zu of %zu dialogs looked "
			    "at, %zu registration%s so far", pr->build_at,
			    pr->build_n, pr->next.n,
			    pr->next.n == 1 ? "" : "s");
		return;
	}
	if (pr->rr.n == 0) {
		grid_puts(g, c.x + 1, c.y, c.x + c.w, ROLE_DIM,
			  "no REGISTER dialogs (yet)");
		return;
	}
	if (pr->nshown == 0) {
		grid_printf(g, c.x + 1, c.y, c.x + c.w, ROLE_DIM,
			    "the filter shows no message of the %zu "
			    "registration%s%s", pr->rr.n,
			    pr->rr.n == 1 ? "" : "s",
			    p->v->filtering ? " so far" : "");
		return;
	}
	if (pr->sel >= pr->nshown)
		pr->sel = pr->nshown - 1;
	/* Below the table, the selected one in full: a blank line, then as
	 * many lines as it needs, up to a third of the pane, or what a
	 * short table leaves. */
	if (c.h >= 8) {
		int dl = pane_report_detail(NULL, 0, 0, c.w - 2, 0,
					    pr->shown[pr->sel]);
		int room = c.h - 1 - 1 - (int)pr->nshown, ty;

		if (room < c.h / 3)
			room = c.h / 3;
		if (dl > room)
			dl = room;
		p->rows = c.h - 1 - 1 - dl;
		ty = (int)pr->nshown < p->rows ? (int)pr->nshown : p->rows;
		pane_report_detail(g, c.x + 1, c.y + 1 + ty + 1, c.w - 2,
				   c.y + c.h, pr->shown[pr->sel]);
	}
	if (!pr->need_ok) {
		pane_report_needs(pr, pr->need);
		pr->need_ok = 1;
	}
	pane_report_widths(c.w, pr->need, wd);
	x = c.x + 1;
	for (k = 0; k < PRC__COUNT; k++)
		x = pane_report_cell(g, x, c.y, wd[order[k]], ROLE_HEADER_NAME,
				     pane_report_head[order[k]],
				     strlen(pane_report_head[order[k]]));
	if ((int)pr->sel < p->top)
		p->top = (int)pr->sel;
	if ((int)pr->sel >= p->top + p->rows)
		p->top = (int)pr->sel - p->rows + 1;
	strbuf_init(&out);
	for (y = 0; y < p->rows && (size_t)(p->top + y) < pr->nshown; y++) {
		const struct regreport_entry *en = pr->shown[p->top + y];
		int ry = c.y + 1 + y;

		i = (size_t)(p->top + y);
		role = theme_severity_role(en->severity);
		x = c.x + 1;
		x = pane_report_cell(g, x, ry, wd[PRC_USER], role, en->user,
				     en->nuser);
		/* The client's port is kept, as in the list; one the log
		 * does not give is "?", as there. */
		if (wd[PRC_CLIENT] > 0) {
			pane_put_cut(g, x, ry, wd[PRC_CLIENT], role,
				     en->nclient ? en->client : "?",
				     en->nclient ? en->nclient : 1, NULL, 0, 1);
			x += wd[PRC_CLIENT] + 1;
		}
		pane_report_offered(en, buf, sizeof buf);
		x = pane_report_cell(g, x, ry, wd[PRC_OFFERED], role, buf,
				     strlen(buf));
		snprintf(buf, sizeof buf, "%8u", en->attempts);
		x = pane_report_cell(g, x, ry, wd[PRC_ATTEMPTS], role, buf,
				     strlen(buf));
		pane_report_outcome(en, &out);
		x = pane_report_cell(g, x, ry, wd[PRC_OUTCOME], role, out.buf,
				     out.len);
		pane_report_cell(g, x, ry, wd[PRC_EXPLAIN], role, en->explain,
				 en->nexplain);
		if (i == pr->sel)
			grid_set_role(g, ry, c.x, c.x + c.w, ROLE_SELECTION);
	}
	strbuf_free(&out);
}

static int
pane_report_action(struct pane *p, enum action a)
{
	struct preport *pr = p->data;
	long s = (long)pr->sel, page = p->rows > 1 ? p->rows - 1 : 1;
	const struct regreport_entry *en;
	struct dialog *dl;

	switch (a) {
	case ACT_UP:
		s--;
		break;
	case ACT_DOWN:
		s++;
		break;
	case ACT_PAGE_UP:
		s -= page;
		break;
	case ACT_PAGE_DOWN:
		s += page;
		break;
	case ACT_HOME:
		s = 0;
		break;
	case ACT_END:
		s = (long)pr->nshown - 1;
		break;
	case ACT_OPEN:
		if (pr->sel >= pr->nshown)
			return RE_HANDLED;
		en = pr->shown[pr->sel];
		dl = dialogs_get(engine_dialogs(p->v->e), en->dialog);
		if (dl == NULL)
			return RE_HANDLED;
		view_push_dialog(p->v, dialogs_call_id(engine_dialogs(p->v->e),
		    engine_index(p->v->e), dl));
		view_select_id(p->v, en->first_msg != UINT32_MAX ? en->first_msg
		    : dialogs_msgs(engine_dialogs(p->v->e), dl)[0]);
		return RE_HANDLED | RE_CLOSE | RE_SELECT | RE_REDRAW;
	case ACT_BACK:
	case ACT_REGREPORT:
		return RE_HANDLED | RE_CLOSE | RE_REDRAW;
	default:
		return RE_NONE;
	}
	if (s >= (long)pr->nshown)
		s = (long)pr->nshown - 1;
	if (s < 0)
		s = 0;
	pr->sel = (size_t)s;
	return RE_HANDLED | RE_REDRAW;
}

static int
pane_report_click(struct pane *p, int x, int y)
{
	struct preport *pr = p->data;
	long i = (long)p->top + y - 2;

	if (y < 2 || i >= (long)pr->nshown)
		return RE_HANDLED;
	if ((size_t)i == pr->sel)
		return pane_report_action(p, ACT_OPEN);
	pr->sel = (size_t)i;
	return RE_HANDLED | RE_REDRAW;
}

static void
pane_report_free(struct pane *p)
{
	struct preport *pr = p->data;

	regreport_free(&pr->rr);
	regreport_free(&pr->next);
	free(pr->shown);
	free(pr->mark);
	free(pr->keep_user);
	free(pr->keep_client);
	free(pr);
}

static const struct pane_ops pane_report_ops = {
    "report",	       pane_report_draw, pane_report_action,
    pane_report_click, pane_report_free,
};

struct pane *
pane_report_new(struct view *v)
{
	struct pane *p = xcalloc(1, sizeof *p);
	struct preport *pr = xcalloc(1, sizeof *pr);
	const struct dialogs *ds;
	uint32_t id;

	p->ops = &pane_report_ops;
	p->v = v;
	p->focused = 1;
	p->data = pr;
	pr->built_done = -1;	/* built now */
	pr->want_dl = NO_DIALOG;
	if ((id = view_sel_id(v)) != UINT32_MAX) {
		ds = engine_dialogs(v->e);
		pr->want_dl = dialogs_of(ds, msgindex_get(engine_index(v->e),
							  id));
		pr->want_epoch = dialogs_epoch(ds);
	}
	pane_report_refresh(p);
	return p;
}
