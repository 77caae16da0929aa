/* pane_report: the registration report as a view — one row per REGISTER
 * dialog with user, client, schemes, attempts, outcome and the reason;
 * Enter opens that registration's messages and flow. */
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

struct preport {
	struct regreport rr;
	size_t sel;
	size_t built;	/* messages in the index when rr was built */
	int built_done; /* and whether indexing had ended (re-rating) */
	uint64_t epoch; /* of the dialogs it was built over */
	struct timespec built_at;
};

/* A report over a million messages takes about a second to build: while
 * indexing goes on it is built again at most this often. */
#define PANE_REPORT_REBUILD_NS 1000000000L

/* The report again when messages came since it was built (indexing
 * going on behind it, a followed file growing), on the same
 * registration. */
static void
pane_report_refresh(struct pane *p)
{
	struct preport *pr = p->data;
	size_t n = msgindex_count(engine_index(p->v->e)), i;
	struct regreport old;
	const struct regreport_entry *sel;

	/* While indexing, the screen is drawn again and again, and the end
	 * of indexing builds it once more: it may wait. */
	if (engine_done(p->v->e) == pr->built_done &&
	    (n == pr->built ||
	     (!pr->built_done &&
	      elapsed_ns(&pr->built_at) < PANE_REPORT_REBUILD_NS)))
		return;
	if (pr->built_done && engine_done(p->v->e) && n > pr->built &&
	    pr->epoch == dialogs_epoch(engine_dialogs(p->v->e))) {
		/* A followed file grew: only the dialogs of what came (a
		 * second for the whole of a 1 GB log, on every poll). The
		 * dialogs are the same ones: the row is found by its id. */
		uint32_t dl = pr->sel < pr->rr.n ? pr->rr.v[pr->sel].dialog :
						   UINT32_MAX;

		regreport_update(p->v->e, p->v->rules, &pr->rr, pr->built);
		for (i = 0; i < pr->rr.n; i++) {
			if (pr->rr.v[i].dialog == dl) {
				pr->sel = i;
				break;
			}
		}
		pr->built = n;
		clock_gettime(CLOCK_MONOTONIC, &pr->built_at);
		return;
	}
	/* The registration is found again by what it is, not by its dialog
	 * id: the merge of several files when indexing ends renumbers the
	 * dialogs. */
	old = pr->rr;
	sel = pr->sel < old.n ? &old.v[pr->sel] : NULL;
	memset(&pr->rr, 0, sizeof pr->rr);
	regreport_build(p->v->e, p->v->rules, &pr->rr);
	pr->epoch = dialogs_epoch(engine_dialogs(p->v->e));
	pr->built = n;
	pr->built_done = engine_done(p->v->e);
	clock_gettime(CLOCK_MONOTONIC, &pr->built_at);
	for (i = 0; sel != NULL && i < pr->rr.n; i++) {
		const struct regreport_entry *x = &pr->rr.v[i];

		if (x->first == sel->first && strcmp(x->user, sel->user) == 0 &&
		    strcmp(x->client, sel->client) == 0) {
			pr->sel = i;
			break;
		}
	}
	regreport_free(&old);
}

static int
pane_report_cell(struct grid *g, int x, int y, int w, int role, const char *s)
{
	struct strbuf sb;

	if (w <= 0)
		return x;
	strbuf_init(&sb);
	sanitize_append(&sb, s, strlen(s), 0);
	if (grid_text_width(sb.buf, sb.len) > w) {
		size_t fit = grid_text_fit(sb.buf, sb.len, w - 1);

		grid_put(g, x, y, x + w, role, sb.buf, fit);
		grid_puts(g, x + grid_text_width(sb.buf, fit), y, x + w, role,
			  "~");
	} else
		grid_put(g, x, y, x + w, role, sb.buf, sb.len);
	strbuf_free(&sb);
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
	strbuf_addf(&sb, "%s from %s to %s: offered %s, used %s%s; %s",
		    en->user, *en->client ? en->client : "?",
		    *en->server ? en->server : "?",
		    *en->offered ? en->offered : "none",
		    *en->used ? en->used : "none",
		    en->remote_user ? ", remote user" : "", en->explain);
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

/* The table's columns, from the one that matters most: how each
 * registration ended, who, how many tries, from where, with what. */
enum { PRC_OUTCOME, PRC_USER, PRC_ATTEMPTS, PRC_CLIENT, PRC_OFFERED,
       PRC_EXPLAIN, PRC__COUNT };

/* Widths of the columns in w cells (one blank at each side, one between
 * two columns), 0 for a column left out. A narrow terminal leaves out the
 * columns that matter least (the explanation, which the lines below the
 * table give in full for the selected one, then the schemes, the client,
 * the attempts, the user) rather than the outcome; what is left over
 * widens them in the same order of importance. */
static void
pane_report_widths(int w, int wd[PRC__COUNT])
{
	static const int minw[PRC__COUNT] = {16, 10, 8, 10, 12, 16};
	/* Each column up to a width in turn: the explanation, the least
	 * needed, is shown only when the others are wide (PRC__COUNT). */
	static const struct {
		int col, to;
	} grow[] = {
	    {PRC_USER, 14},    {PRC_OUTCOME, 20}, {PRC_USER, 20},
	    {PRC_CLIENT, 16},  {PRC_OFFERED, 14}, {PRC_USER, 30},
	    {PRC_CLIENT, 22},  {PRC_OFFERED, 16}, {PRC__COUNT, 0},
	    {PRC_OFFERED, 26}, {PRC_EXPLAIN, 1 << 20},
	};
	int avail = w - 2, used = 0, n, i, add;

	memset(wd, 0, PRC__COUNT * sizeof *wd);
	/* As many columns as fit at their narrowest, the outcome always
	 * (cut when even it does not fit); the explanation waits. */
	for (n = 0; n < PRC_EXPLAIN; n++) {
		if (n > 0 && used + 1 + minw[n] > avail)
			break;
		used += (n > 0) + minw[n];
		wd[n] = minw[n];
	}
	if (wd[PRC_OUTCOME] > avail)
		wd[PRC_OUTCOME] = avail > 0 ? avail : 0;
	used = used > avail ? avail : used;
	for (i = 0; i < (int)(sizeof grow / sizeof grow[0]); i++) {
		int c = grow[i].col;

		if (c == PRC__COUNT) {
			/* All five are wide: room for the explanation? */
			if (n < PRC_EXPLAIN ||
			    used + 1 + minw[PRC_EXPLAIN] > avail)
				break;
			wd[PRC_EXPLAIN] = minw[PRC_EXPLAIN];
			used += 1 + minw[PRC_EXPLAIN];
			continue;
		}
		if (wd[c] == 0 || wd[c] >= grow[i].to)
			continue;
		add = grow[i].to - wd[c];
		if (add > avail - used)
			add = avail - used;
		wd[c] += add;
		used += add;
	}
	/* What is left (no explanation) widens the user. */
	if (wd[PRC_EXPLAIN] == 0 && wd[PRC_USER] > 0)
		wd[PRC_USER] += avail - used;
}

static void
pane_report_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct preport *pr = p->data;
	struct rect c;
	char info[64], buf[64];
	int y, x, role, wd[PRC__COUNT];
	size_t i;

	pane_report_refresh(p);
	snprintf(info, sizeof info,
		 "%zu registration%s  Enter: flow  q/Esc: "
		 "close",
		 pr->rr.n, pr->rr.n == 1 ? "" : "s");
	c = pane_heading(p, g, r, "Registrations", info);
	p->rows = c.h - 1;
	if (c.h < 2)
		return;
	if (pr->rr.n == 0) {
		grid_puts(g, c.x + 1, c.y, c.x + c.w, ROLE_DIM,
			  "no REGISTER dialogs (yet)");
		return;
	}
	if (pr->sel >= pr->rr.n)
		pr->sel = pr->rr.n - 1;
	/* Below the table, the selected one in full (a blank line, then as
	 * many lines as it needs, up to a third of the pane). */
	if (c.h >= 8) {
		int dl = pane_report_detail(NULL, 0, 0, c.w - 2, 0,
					    &pr->rr.v[pr->sel]);

		if (dl > c.h / 3)
			dl = c.h / 3;
		p->rows = c.h - 1 - 1 - dl;
		pane_report_detail(g, c.x + 1, c.y + c.h - dl, c.w - 2,
				   c.y + c.h, &pr->rr.v[pr->sel]);
	}
	pane_report_widths(c.w, wd);
	x = c.x + 1;
	x = pane_report_cell(g, x, c.y, wd[PRC_USER], ROLE_HEADER_NAME, "user");
	x = pane_report_cell(g, x, c.y, wd[PRC_CLIENT], ROLE_HEADER_NAME,
			     "client");
	x = pane_report_cell(g, x, c.y, wd[PRC_OFFERED], ROLE_HEADER_NAME,
			     "offered/used");
	x = pane_report_cell(g, x, c.y, wd[PRC_ATTEMPTS], ROLE_HEADER_NAME,
			     "attempts");
	x = pane_report_cell(g, x, c.y, wd[PRC_OUTCOME], ROLE_HEADER_NAME,
			     "outcome");
	pane_report_cell(g, x, c.y, wd[PRC_EXPLAIN], ROLE_HEADER_NAME,
			 "explanation");
	if ((int)pr->sel < p->top)
		p->top = (int)pr->sel;
	if ((int)pr->sel >= p->top + p->rows)
		p->top = (int)pr->sel - p->rows + 1;
	for (y = 0; y < p->rows && (size_t)(p->top + y) < pr->rr.n; y++) {
		const struct regreport_entry *en = &pr->rr.v[p->top + y];
		int ry = c.y + 1 + y;

		i = (size_t)(p->top + y);
		role = theme_severity_role(en->severity);
		x = c.x + 1;
		x = pane_report_cell(g, x, ry, wd[PRC_USER], role, en->user);
		x = pane_report_cell(g, x, ry, wd[PRC_CLIENT], role,
				     en->client);
		/* A retry on a new Call-ID was offered nothing in its
		 * own dialog: "- / Digest", not " / Digest". */
		snprintf(buf, sizeof buf, "%s%s%s%s",
			 *en->offered || !*en->used ? en->offered : "-",
			 *en->used ? " / " : "", en->used,
			 en->remote_user ? " remote" : "");
		x = pane_report_cell(g, x, ry, wd[PRC_OFFERED], role, buf);
		snprintf(buf, sizeof buf, "%8u", en->attempts);
		x = pane_report_cell(g, x, ry, wd[PRC_ATTEMPTS], role, buf);
		if (en->status)
			snprintf(buf, sizeof buf, "%u %s", en->status,
				 en->reason);
		else
			snprintf(buf, sizeof buf, "no answer");
		x = pane_report_cell(g, x, ry, wd[PRC_OUTCOME], role, buf);
		pane_report_cell(g, x, ry, wd[PRC_EXPLAIN], role, en->explain);
		if (i == pr->sel)
			grid_set_role(g, ry, c.x, c.x + c.w, ROLE_SELECTION);
	}
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
		s = (long)pr->rr.n - 1;
		break;
	case ACT_OPEN:
		if (pr->rr.n == 0)
			return RE_HANDLED;
		en = &pr->rr.v[pr->sel];
		dl = dialogs_get(engine_dialogs(p->v->e), en->dialog);
		if (dl == NULL)
			return RE_HANDLED;
		view_push_dialog(p->v, dl->call_id);
		view_select_id(p->v, en->first_msg != UINT32_MAX ? en->first_msg
								 : dl->msgs[0]);
		return RE_HANDLED | RE_CLOSE | RE_SELECT | RE_REDRAW;
	case ACT_BACK:
	case ACT_REGREPORT:
		return RE_HANDLED | RE_CLOSE | RE_REDRAW;
	default:
		return RE_NONE;
	}
	if (s >= (long)pr->rr.n)
		s = (long)pr->rr.n - 1;
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

	if (y < 2 || i >= (long)pr->rr.n)
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

	p->ops = &pane_report_ops;
	p->v = v;
	p->focused = 1;
	p->data = pr;
	regreport_build(v->e, v->rules, &pr->rr);
	pr->epoch = dialogs_epoch(engine_dialogs(v->e));
	pr->built = msgindex_count(engine_index(v->e));
	pr->built_done = engine_done(v->e);
	clock_gettime(CLOCK_MONOTONIC, &pr->built_at);
	return p;
}
