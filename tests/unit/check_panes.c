/* Unit tests for the viewer without a terminal: the list, detail and flow
 * panes (and the whole screen) rendered into a grid at 100x30 and 80x24 on
 * the remote NTLM registration and compared with the text files in
 * tests/golden/panes (UPDATE=1 rewrites them; review the diff), their colour
 * roles, and the view, prompt and screen logic behind the keys. */
#include <check.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "helpers.h"
#include "engine.h"
#include "rules.h"
#include "grid.h"
#include "theme.h"
#include "layout.h"
#include "pane.h"
#include "prompt.h"
#include "screen.h"
#include "view.h"
#include "source.h"

#define GOLDEN "tests/golden/panes"

static struct rules *rules;
static struct engine *eng;
static struct view *view;

static void
setup(void)
{
	struct strbuf errs;
	char *err = NULL;
	int errcol;

	strbuf_init(&errs);
	rules = rules_load("data/rules.conf", &errs);
	ck_assert_msg(rules != NULL, "%s", errs.buf ? errs.buf : "");
	strbuf_free(&errs);
	eng = engine_new();
	engine_set_rules(eng, rules);
	ck_assert_msg(engine_add_file(eng, TEST_DATA "/remote-ntlm.cls.log",
				      NULL, &err) >= 0,
		      "%s", err);
	engine_run(eng);
	view = view_new(eng, rules, NULL, &err, &errcol);
	ck_assert_ptr_nonnull(view);
	ck_assert_uint_eq(view->nids, 6);
}

static void
teardown(void)
{
	view_free(view);
	engine_free(eng);
	rules_free(rules);
}

/* A view over path, indexed whole into a new *e (rated with the fixture's
 * rules when rated), showing what filter matches (NULL: everything). */
static struct view *
open_view(struct engine **e, const char *path, int rated, const char *filter)
{
	struct view *v;
	char *err = NULL;
	int col;

	*e = engine_new();
	ck_assert_msg(engine_add_file(*e, path, NULL, &err) >= 0, "%s: %s",
		      path, err != NULL ? err : "");
	if (rated)
		engine_set_rules(*e, rules);
	engine_run(*e);
	v = view_new(*e, rated ? rules : NULL, filter, &err, &col);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* Compares the text of rect r of g with the golden file name. */
static void
golden(struct grid *g, struct rect r, const char *name)
{
	struct grid *sub = grid_new(r.w, r.h);
	struct strbuf sb;
	char path[256], *want;
	int x, y;

	for (y = 0; y < r.h; y++)
		for (x = 0; x < r.w; x++)
			*grid_cell(sub, x, y) = *grid_cell(g, r.x + x, r.y + y);
	strbuf_init(&sb);
	grid_dump(sub, &sb, 0);
	grid_free(sub);
	snprintf(path, sizeof path, GOLDEN "/%s.txt", name);
	if (getenv("UPDATE") != NULL && strcmp(getenv("UPDATE"), "1") == 0) {
		FILE *f = fopen(path, "wb");

		ck_assert_ptr_nonnull(f);
		fwrite(sb.buf, 1, sb.len, f);
		fclose(f);
	}
	want = test_slurp(path, NULL);
	ck_assert_msg(want != NULL, "missing %s (run with UPDATE=1)", path);
	ck_assert_msg(strcmp(want, sb.buf) == 0, "%s differs; got:\n%s", path,
		      sb.buf);
	free(want);
	strbuf_free(&sb);
}

/* Renders the three panes in their split-layout rectangles and the whole
 * screen, message 4 (the NTLM challenge) selected. */
static void
render_sizes(int w, int h)
{
	struct screen *s = screen_new(eng, view, 1);
	struct grid *g = grid_new(w, h);
	char name[64];

	view_select(view, 3);
	screen_draw(s, g);
	snprintf(name, sizeof name, "screen-%dx%d", w, h);
	golden(g, (struct rect){0, 0, w, h}, name);
	snprintf(name, sizeof name, "list-%dx%d", w, h);
	golden(g, s->lay.pane[LP_LIST], name);
	snprintf(name, sizeof name, "detail-%dx%d", w, h);
	golden(g, s->lay.pane[LP_DETAIL], name);
	snprintf(name, sizeof name, "flow-%dx%d", w, h);
	golden(g, s->lay.pane[LP_FLOW], name);
	grid_free(g);
	screen_free(s);
}

START_TEST(test_golden_100x30)
{
	render_sizes(100, 30);
}
END_TEST

START_TEST(test_golden_80x24)
{
	render_sizes(80, 24);
}
END_TEST

/* The role of the first cell of row y in r whose role is not default. */
static int
row_role(struct grid *g, struct rect r, int y, int fromx)
{
	int x;

	for (x = r.x + fromx; x < r.x + r.w; x++) {
		int role = grid_cell(g, x, r.y + y)->role;

		if (role != ROLE_DEFAULT && role != ROLE_GUTTER)
			return role;
	}
	return ROLE_DEFAULT;
}

START_TEST(test_list_roles)
{
	struct pane *p = pane_list_new(view);
	struct grid *g = grid_new(100, 8);
	struct rect r = {0, 0, 100, 8};

	p->utf8 = 1;
	p->focused = 1;
	view_select(view, 5);
	pane_draw(p, g, r);
	/* Heading, then a row per message: the expected 401s are benign
	 * (not error), the 200 is selected. */
	ck_assert_int_eq(grid_cell(g, 0, 0)->role, ROLE_PANE_TITLE_FOCUS);
	ck_assert_int_eq(row_role(g, r, 2, 1), ROLE_SEV_BENIGN);
	ck_assert_int_eq(row_role(g, r, 4, 1), ROLE_SEV_BENIGN);
	ck_assert_int_eq(row_role(g, r, 6, 1), ROLE_SELECTION);
	/* The dialog gutter marks all six rows. */
	ck_assert_int_eq(grid_cell(g, 0, 1)->role, ROLE_GUTTER);
	ck_assert_int_eq(grid_cell(g, 0, 6)->role, ROLE_GUTTER);
	ck_assert_int_eq(grid_cell(g, 1, 2)->ch[0], 'b');
	/* Unfocused, the selection is drawn differently. */
	p->focused = 0;
	pane_draw(p, g, r);
	ck_assert_int_eq(row_role(g, r, 6, 1), ROLE_SELECTION_UNFOCUSED);
	grid_free(g);
	pane_free(p);
}
END_TEST

START_TEST(test_list_time_modes)
{
	char buf[48];

	pane_list_time(view, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "08:01:12.448");
	view->time_delta = 1;
	pane_list_time(view, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "+0.000");
	pane_list_time(view, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "+0.033");
	pane_list_time(view, 5, buf, sizeof buf);
	ck_assert_str_eq(buf, "+0.064");
	pane_list_time(view, 6, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
	view->time_delta = 0;
}
END_TEST

/* A log that gives the time of day alone, past midnight: the detail says
 * which day after the log's first a message is on; the list, as for
 * dated logs, shows the time of day. */
START_TEST(test_detail_day)
{
	struct engine *e = engine_new();
	struct view *v;
	struct pane *dp;
	struct grid *g = grid_new(100, 20);
	struct strbuf sb;
	char *err = NULL, buf[48];
	int errcol;

	ck_assert_int_ge(engine_add_file(e, TEST_DATA "/fmt/baresip-midnight.log",
					 NULL, &err), 0);
	engine_run(e);
	v = view_new(e, NULL, NULL, &err, &errcol);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ge(v->nids, 2);
	dp = pane_detail_new(v);
	strbuf_init(&sb);
	view_select(v, 0);
	pane_draw(dp, g, (struct rect){0, 0, 100, 20});
	grid_dump(g, &sb, 0);
	ck_assert_ptr_nonnull(strstr(sb.buf, "23:59:59.900  "));
	ck_assert_ptr_null(strstr(sb.buf, "+1d"));
	view_select(v, 1);
	pane_draw(dp, g, (struct rect){0, 0, 100, 20});
	strbuf_reset(&sb);
	grid_dump(g, &sb, 0);
	ck_assert_msg(strstr(sb.buf, "00:00:00.100+1d  ") != NULL, "%s", sb.buf);
	pane_list_time(v, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "00:00:00.100");
	strbuf_free(&sb);
	pane_free(dp);
	grid_free(g);
	view_free(v);
	engine_free(e);
}
END_TEST

START_TEST(test_search_highlight)
{
	struct pane *lp = pane_list_new(view), *dp = pane_detail_new(view);
	struct grid *g = grid_new(100, 30);
	struct rect lr = {0, 0, 100, 8}, dr = {0, 8, 100, 22};
	int x, y, found = 0;

	view_search_start(view, "unauthorized", 1, 0);
	ck_assert_int_eq(view_search_step(view, 100), 1);
	ck_assert_uint_eq(view->sel, 1);
	pane_draw(lp, g, lr);
	pane_draw(dp, g, dr);
	/* Matches are highlighted in the list (row 4, not selected) and in
	 * the detail's start line. */
	for (x = 0; x < 100; x++)
		found |= grid_cell(g, x, 4)->role == ROLE_MATCH;
	ck_assert(found);
	found = 0;
	for (y = dr.y; y < dr.y + dr.h; y++)
		for (x = 0; x < 100; x++)
			found |= grid_cell(g, x, y)->role == ROLE_MATCH;
	ck_assert(found);
	ck_assert_int_eq(view_search_step(view, 100), -1);
	view_search_start(view, "unauthorized", 1, 0);
	ck_assert_int_eq(view_search_step(view, 100), 1);
	ck_assert_uint_eq(view->sel, 3);
	view_search_start(view, "unauthorized", -1, 0);
	ck_assert_int_eq(view_search_step(view, 100), 1);
	ck_assert_uint_eq(view->sel, 1);
	/* A budget of one message at a time still gets there. */
	view_search_start(view, "AUTHENTICATE", 1, 0);
	view_select(view, 0);
	view_search_start(view, "CSeq: 3", 1, 0);
	while ((x = view_search_step(view, 1)) == 0)
		;
	ck_assert_int_eq(x, 1);
	ck_assert_uint_eq(view->sel, 4);
	view_search_start(view, "no such text", 1, 0);
	ck_assert_int_eq(view_search_step(view, 1000), -1);
	grid_free(g);
	pane_free(lp);
	pane_free(dp);
}
END_TEST

START_TEST(test_view_filters)
{
	char *err = NULL;
	int errcol = -1;
	uint32_t cid;

	ck_assert_int_eq(view_push_filter(view, "status:401", &err, &errcol),
			 0);
	ck_assert_uint_eq(view->nids, 2);
	ck_assert_int_eq(view_push_filter(view, "status:(", &err, &errcol), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_ge(errcol, 0);
	free(err);
	ck_assert_uint_eq(view->nids, 2); /* unchanged by the error */
	ck_assert_str_eq(view_filter_expr(view), "status:401");
	ck_assert_int_eq(view_pop(view), 0);
	ck_assert_uint_eq(view->nids, 6);
	ck_assert_int_eq(view_pop(view), -1);

	cid = msgindex_get(engine_index(eng), 0)->call_id;
	view_select(view, 2);
	view_push_dialog(view, cid);
	ck_assert_uint_eq(view->nids, 6);
	ck_assert_uint_eq(view->sel, 2); /* stays on the message */
	ck_assert_int_eq(view_dialog_step(view, 1), 0);
	ck_assert_uint_eq(view->sel, 3);
	ck_assert_int_eq(view_dialog_step(view, -1), 0);
	ck_assert_int_eq(view_dialog_step(view, -1), 0);
	ck_assert_int_eq(view_dialog_step(view, -1), 0);
	ck_assert_int_eq(view_dialog_step(view, -1), -1);
	ck_assert_uint_eq(view->sel, 0);
	ck_assert_int_eq(view_next_severity(view, 1, SEV_ERROR), -1);
	ck_assert_int_eq(view_next_severity(view, 1, SEV_OK), 0);
	ck_assert_uint_eq(view->sel, 5);
	view_clear(view);
	ck_assert_uint_eq(view->nlevels, 1);
	ck_assert_uint_eq(view->nids, 6);
	ck_assert_uint_eq(view->sel, 5);
}
END_TEST

START_TEST(test_prompt_editing)
{
	struct prompt p;
	const char *s;

	prompt_init(&p);
	prompt_open(&p, PROMPT_FILTER, "filter: ", "");
	for (s = "user:bob"; *s; s++)
		prompt_edit(&p, ACT_SELF_INSERT, (uint32_t)*s);
	ck_assert_str_eq(p.buf, "user:bob");
	prompt_edit(&p, ACT_HOME, 0);
	prompt_edit(&p, ACT_DELETE, 0);
	prompt_edit(&p, ACT_SELF_INSERT, 'U');
	ck_assert_str_eq(p.buf, "User:bob");
	prompt_edit(&p, ACT_END, 0);
	prompt_edit(&p, ACT_SELF_INSERT, 0xe9); /* é, two bytes */
	ck_assert_str_eq(p.buf, "User:bob\xc3\xa9");
	prompt_edit(&p, ACT_DELETE_BACK, 0);
	ck_assert_str_eq(p.buf, "User:bob");
	prompt_edit(&p, ACT_SELF_INSERT, ' ');
	prompt_edit(&p, ACT_SELF_INSERT, 'x');
	prompt_edit(&p, ACT_KILL_WORD, 0);
	ck_assert_str_eq(p.buf, "User:bob ");
	prompt_remember(&p);
	prompt_open(&p, PROMPT_FILTER, "filter: ", "");
	prompt_edit(&p, ACT_SELF_INSERT, 'z');
	prompt_remember(&p);
	prompt_open(&p, PROMPT_FILTER, "filter: ", "draft");
	/* Up walks back through the history, Down returns to the draft. */
	ck_assert_int_eq(prompt_edit(&p, ACT_HISTORY_PREV, 0), 1);
	ck_assert_str_eq(p.buf, "z");
	prompt_edit(&p, ACT_HISTORY_PREV, 0);
	ck_assert_str_eq(p.buf, "User:bob ");
	ck_assert_int_eq(prompt_edit(&p, ACT_HISTORY_PREV, 0), 0);
	prompt_edit(&p, ACT_HISTORY_NEXT, 0);
	prompt_edit(&p, ACT_HISTORY_NEXT, 0);
	ck_assert_str_eq(p.buf, "draft");
	/* Opened on the last entry (f on the filter shown), the first Up
	 * brings the one before it, not the same text again. */
	prompt_open(&p, PROMPT_FILTER, "filter: ", "z");
	ck_assert_int_eq(prompt_edit(&p, ACT_HISTORY_PREV, 0), 1);
	ck_assert_str_eq(p.buf, "User:bob ");
	ck_assert_int_eq(prompt_edit(&p, ACT_HISTORY_PREV, 0), 0);
	prompt_edit(&p, ACT_HISTORY_NEXT, 0);
	ck_assert_str_eq(p.buf, "z");
	/* Search history is separate. */
	prompt_open(&p, PROMPT_SEARCH, "/", "");
	ck_assert_int_eq(prompt_edit(&p, ACT_HISTORY_PREV, 0), 0);
	prompt_edit(&p, ACT_KILL_LINE, 0);
	ck_assert_str_eq(p.buf, "");
	prompt_free(&p);
}
END_TEST

/* The cursor is drawn where the text shows it: a pasted bidi override
 * or byte order mark is shown as \u202e, six columns, not the none the
 * character itself takes (the cursor stood five columns left of it). */
START_TEST(test_prompt_draw_hidden_control)
{
	struct prompt p;
	struct grid *g = grid_new(40, 1);
	const char *s;

	prompt_init(&p);
	prompt_open(&p, PROMPT_SEARCH, "/", "");
	for (s = "ab"; *s; s++)
		prompt_edit(&p, ACT_SELF_INSERT, (uint32_t)*s);
	prompt_edit(&p, ACT_SELF_INSERT, 0x202e);
	for (s = "cd"; *s; s++)
		prompt_edit(&p, ACT_SELF_INSERT, (uint32_t)*s);
	/* "/ab\u202ecd": the cursor after the d. */
	ck_assert_int_eq(prompt_draw(&p, g, 0, 0, 40), 11);
	prompt_edit(&p, ACT_LEFT, 0);
	prompt_edit(&p, ACT_LEFT, 0);
	ck_assert_int_eq(prompt_draw(&p, g, 0, 0, 40), 9);
	/* A line that just fits with one: the cursor after its end, in
	 * the last column (it was five columns into the text). */
	prompt_open(&p, PROMPT_SEARCH, "/", "");
	for (s = "0123456789012345678901234567890"; *s; s++)
		prompt_edit(&p, ACT_SELF_INSERT, (uint32_t)*s);
	prompt_edit(&p, ACT_SELF_INSERT, 0xfeff);
	prompt_edit(&p, ACT_SELF_INSERT, 'z');
	ck_assert_int_eq(prompt_draw(&p, g, 0, 0, 40), 39);
	ck_assert_int_eq(grid_cell(g, 38, 0)->ch[0], 'z');
	/* One more: scrolled, the cursor stays in the line. */
	prompt_edit(&p, ACT_SELF_INSERT, 'y');
	ck_assert_int_eq(prompt_draw(&p, g, 0, 0, 40), 38);
	ck_assert_int_eq(grid_cell(g, 37, 0)->ch[0], 'y');
	prompt_free(&p);
	grid_free(g);
}
END_TEST

static int
keys(struct screen *s, const char *k)
{
	int re = 0;

	for (; *k; k++)
		re |= screen_key(s, (uint32_t)(unsigned char)*k);
	return re;
}

START_TEST(test_screen_keys)
{
	struct screen *s = screen_new(eng, view, 1);
	struct grid *g = grid_new(100, 30);
	struct strbuf sb;

	screen_draw(s, g);
	/* f, a bad expression: the prompt stays open with the column. */
	keys(s, "fstatus:(");
	screen_key(s, KEYC_ENTER);
	ck_assert(s->prompt.active);
	ck_assert_int_ge(s->prompt.errcol, 0);
	ck_assert(s->status_error);
	screen_draw(s, g);
	screen_key(s, KEYC_CTRL('u'));
	keys(s, "status:401");
	screen_key(s, KEYC_ENTER);
	ck_assert(!s->prompt.active);
	ck_assert_uint_eq(view->nids, 2);
	/* Enter: the dialog; ] steps; Esc twice back to everything. */
	screen_key(s, KEYC_ENTER);
	ck_assert_uint_eq(view->nids, 6);
	ck_assert_uint_eq(view->sel, 1);
	keys(s, "]]");
	ck_assert_uint_eq(view->sel, 3);
	screen_key(s, KEYC_ESC);
	ck_assert_uint_eq(view->nids, 2);
	screen_key(s, KEYC_ESC);
	ck_assert_uint_eq(view->nids, 6);
	/* u and c filter on the selected message. */
	keys(s, "u");
	ck_assert_str_eq(view_filter_expr(view), "user:izabelaf");
	keys(s, "c");
	ck_assert_uint_eq(strncmp(view_filter_expr(view), "callid:", 7), 0);
	keys(s, "x");
	ck_assert_uint_eq(view->nlevels, 1);
	/* Incremental search moves as letters arrive; Esc restores. */
	keys(s, "g/");
	keys(s, "200 O");
	ck_assert_uint_eq(view->sel, 5);
	screen_key(s, KEYC_ESC);
	ck_assert_uint_eq(view->sel, 0);
	ck_assert_ptr_null(view->search);
	/* A cancelled search leaves the previous one for n. */
	keys(s, "/Unauth");
	screen_key(s, KEYC_ENTER);
	ck_assert_uint_eq(view->sel, 1);
	keys(s, "/zzz");
	screen_key(s, KEYC_ESC);
	ck_assert_str_eq(view->search, "Unauth");
	ck_assert_uint_eq(view->sel, 1);
	keys(s, "n");
	ck_assert_uint_eq(view->sel, 3);
	keys(s, "g");
	screen_key(s, KEYC_ESC);
	ck_assert_ptr_null(view->search);
	ck_assert_str_eq(s->status, "search cleared");
	/* Help overlay from the keymap; q closes it, not the viewer. */
	keys(s, "?");
	ck_assert_ptr_nonnull(s->overlay);
	screen_draw(s, g);
	strbuf_init(&sb);
	grid_dump(g, &sb, 0);
	ck_assert_ptr_nonnull(
	    strstr(sb.buf, "next message of the same dialog"));
	strbuf_free(&sb);
	ck_assert_int_eq(keys(s, "q") & RE_QUIT, 0);
	ck_assert_ptr_null(s->overlay);
	/* Layout cycling and maximise, t and w. */
	keys(s, "z");
	screen_draw(s, g);
	ck_assert_int_eq(s->lay.pane[LP_DETAIL].w, 0);
	/* Tab while zoomed zooms the next pane. */
	screen_key(s, KEYC_TAB);
	screen_draw(s, g);
	ck_assert_int_eq(s->lay.pane[LP_LIST].w, 0);
	ck_assert_int_eq(s->lay.pane[LP_DETAIL].w, 100);
	screen_key(s, KEYC_BTAB);
	keys(s, "zLt");
	ck_assert(view->time_delta);
	screen_draw(s, g);
	ck_assert_int_eq(s->lay.mode, LAYOUT_STACK);
	/* Mouse: a click in the list selects that row. */
	keys(s, "LL");
	screen_draw(s, g);
	screen_mouse(s, 10, s->lay.pane[LP_LIST].y + 3, SCREEN_CLICK);
	ck_assert_uint_eq(view->sel, 2);
	screen_mouse(s, 10, s->lay.pane[LP_LIST].y + 3, SCREEN_WHEEL_DOWN);
	ck_assert_uint_eq(view->sel, 5);
	ck_assert_int_ne(keys(s, "q") & RE_QUIT, 0);
	grid_free(g);
	screen_free(s);
}
END_TEST

/* x over filters pushed on -f's goes back to -f's filter first (it dropped
 * it with the rest), and says so; a second x shows every message. */
START_TEST(test_clear_back_to_cmdline)
{
	char *err = NULL;
	int col;
	struct view *v = view_new(eng, rules, "status:401", &err, &col);
	struct screen *s;

	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->nids, 2);
	ck_assert(view_base_filters(v));
	s = screen_new(eng, v, 1);
	keys(s, "c");
	ck_assert_uint_eq(v->nlevels, 2);
	screen_key(s, KEYC_ENTER);
	ck_assert_uint_eq(v->nlevels, 3);
	keys(s, "x");
	ck_assert_uint_eq(v->nlevels, 1);
	ck_assert_str_eq(view_filter_expr(v), "status:401");
	ck_assert_uint_eq(v->nids, 2);
	ck_assert_str_eq(s->status, "2 messages: back to -f's filter  "
				    "(x again: all messages)");
	keys(s, "x");
	ck_assert(!view_base_filters(v));
	ck_assert_uint_eq(v->nids, 6);
	ck_assert_str_eq(s->status,
			 "all 6 messages: filters cleared, -f's too");
	keys(s, "x");
	ck_assert_str_eq(s->status, "already showing all messages");
	/* Without -f, one x clears everything, as before. */
	keys(s, "u");
	keys(s, "x");
	ck_assert_uint_eq(v->nids, 6);
	ck_assert_str_eq(s->status, "all 6 messages: filters cleared");
	ck_assert_int_eq(view_pop_to_base(v), -1);
	screen_free(s);
	view_free(v);
}
END_TEST

START_TEST(test_search_cancel)
{
	struct screen *s = screen_new(eng, view, 1);

	/* A search still running (no tick yet) is cancelled by Esc, which
	 * then does not also pop a filter. */
	view_push_filter(view, "method:REGISTER", NULL, NULL);
	view_search_start(view, "no such text", 1, 0);
	ck_assert(screen_busy(s));
	screen_key(s, KEYC_ESC);
	ck_assert(!screen_busy(s));
	ck_assert_str_eq(s->status, "search cancelled");
	ck_assert_uint_eq(view->nlevels, 2);
	/* Run to the end in small ticks: "no match". */
	view_search_start(view, "no such text", 1, 0);
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_ptr_nonnull(strstr(s->status, "no match"));
	screen_free(s);
}
END_TEST

/* A search that no shown message matches goes on, in steps, counting the
 * messages the filter hides that match, and says how many: a bare "no
 * match" sent the user looking elsewhere. Esc stops the count. */
START_TEST(test_search_hidden)
{
	struct screen *s = screen_new(eng, view, 1);
	int r, steps = 0;

	/* Two 401s shown of six; "200 OK" is only in the hidden ones. */
	ck_assert_int_eq(view_push_filter(view, "status:401", NULL, NULL), 0);
	ck_assert_uint_eq(view->nids, 2);
	view_search_start(view, "200 OK", 1, 0);
	while ((r = view_search_step(view, 1)) == 0) {
		steps++;
		ck_assert_int_eq(view->search_state, VSEARCH_RUNNING);
	}
	ck_assert_int_eq(r, -1);
	/* One step a message: the two shown, then the four hidden. */
	ck_assert_int_ge(steps, 5);
	ck_assert(view->search_hidden_done);
	ck_assert_uint_eq(view->search_hidden, 1);
	ck_assert_int_eq(view->search_state, VSEARCH_IDLE);
	/* Through the screen, the status line says it. */
	view_search_start(view, "200 OK", 1, 0);
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_str_eq(s->status, "no match: 200 OK; 1 hidden by the "
				    "filter (x: all messages)");
	/* Found nowhere: a plain no match. */
	view_search_start(view, "no such text", 1, 0);
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_str_eq(s->status, "no match: no such text");
	/* Esc while counting stops it, and says what is known. */
	view_search_start(view, "SIP/2.0 200", 1, 0);
	while (!view->search_counting)
		ck_assert_int_eq(screen_tick(s, 1) & RE_REDRAW, RE_REDRAW);
	screen_tick(s, 3);	/* three hidden looked at: not the 200 OK */
	ck_assert(screen_busy(s));
	screen_key(s, KEYC_ESC);
	ck_assert(!screen_busy(s));
	ck_assert_uint_eq(view->nlevels, 2);
	ck_assert_str_eq(s->status, "no match: SIP/2.0 200");
	/* Typed a letter further after a count of none: none again, at
	 * once; after a count of some, counted again for the new text. */
	view_search_start(view, "no such", 1, 1);
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_int_eq(view_search_extend(view, "no such t"), 0);
	/* (The matches shown are counted for the title: no search.) */
	ck_assert_int_eq(view->search_state, VSEARCH_IDLE);
	ck_assert(!view->search_counting);
	ck_assert_uint_eq(view->search_hidden, 0);
	view_search_start(view, "200 O", 1, 1);
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_uint_eq(view->search_hidden, 1);
	ck_assert_int_eq(view_search_extend(view, "200 OX"), 0);
	ck_assert(screen_busy(s));
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_uint_eq(view->search_hidden, 0);
	ck_assert(view->search_hidden_done);
	/* Nothing hidden: no count. */
	view_pop(view);
	view_search_start(view, "no such text", 1, 0);
	ck_assert_int_eq(view_search_step(view, 100), -1);
	ck_assert(!view->search_counting);
	ck_assert_uint_eq(view->search_hidden, 0);
	screen_free(s);
}
END_TEST

/* The list a running search walks is filtered again under it (a filter
 * pushed, x, c or Enter while a long search runs): the search goes on over
 * the new list, from its selection. It went on from its place in the old
 * list: past the end of an empty one it read a stale id and divided by
 * zero (the viewer died with SIGFPE, the terminal left raw). */
START_TEST(test_search_list_changed)
{
	int r;

	view_select(view, 1);
	view_search_start(view, "Unauthorized", 1, 0);
	ck_assert_int_eq(view_search_step(view, 1), 0);	/* a REGISTER */
	ck_assert_int_eq(view->search_state, VSEARCH_RUNNING);
	ck_assert_int_eq(view_push_filter(view, "status:699", NULL, NULL), 0);
	ck_assert_uint_eq(view->nids, 0);
	while ((r = view_search_step(view, 1)) == 0)
		;
	ck_assert_int_eq(r, -1);
	/* None shown: the two 401s the filter hides are counted. */
	ck_assert(view->search_hidden_done);
	ck_assert_uint_eq(view->search_hidden, 2);
	/* Over a list that shrank to one message that matches: found. */
	view_pop(view);
	view_select(view, 3);
	view_search_start(view, "200 OK", -1, 0);
	ck_assert_int_eq(view_search_step(view, 1), 0);	/* message 2 */
	ck_assert_int_eq(view_push_filter(view, "status:200", NULL, NULL), 0);
	ck_assert_uint_eq(view->nids, 1);
	while ((r = view_search_step(view, 1)) == 0)
		;
	ck_assert_int_eq(r, 1);
	ck_assert_uint_eq(view->sel, 0);
}
END_TEST

/* The sample log (40 messages) in a view of its own, with its first n
 * records indexed (0: all of them). */
static struct view *
sample_view(struct engine **ep, size_t n, size_t step)
{
	struct engine *e = engine_new();
	struct view *v;
	char *err = NULL;
	int col;

	engine_set_rules(e, rules);
	ck_assert_int_ge(engine_add_file(e, "data/sample.cls.log", NULL, &err),
			 0);
	if (n == 0)
		engine_run(e);
	else
		ck_assert_int_eq(engine_step(e, n), 1);
	v = view_new(e, rules, NULL, &err, &col);
	ck_assert_ptr_nonnull(v);
	v->filter_step = step;
	*ep = e;
	return v;
}

/* A filter applied in steps (a large index in the viewer) ends with the
 * same messages and the same selection as one applied at once, whatever
 * message was selected and whether it matches; on the way the list only
 * holds matches, in order, and the progress only grows. */
START_TEST(test_filter_steps)
{
	static const char *const exprs[] = {
		"status:4xx", "method:REGISTER", "user:izabelaf", "dir:in",
		"severity:error or status:401", "no-such-text-anywhere",
		"/SIP\\/2\\.0 [12]/",
	};
	struct engine *ea, *eb;
	struct view *a = sample_view(&ea, 0, 0), *b = sample_view(&eb, 0, 3);
	size_t i, k, j, n = a->nids, steps;
	char *err = NULL;
	int col;
	unsigned prog;

	ck_assert_uint_eq(n, 40);
	for (i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		for (k = 0; k < n; k += 3) {
			view_select(a, (long)k);
			view_select(b, (long)k);
			ck_assert_int_eq(view_push_filter(a, exprs[i], &err,
							  &col), 0);
			ck_assert_int_eq(view_push_filter(b, exprs[i], &err,
							  &col), 0);
			ck_assert(!a->filtering);
			ck_assert(b->filtering);
			prog = 0;
			steps = 0;
			do {
				for (j = 1; j < b->nids; j++)
					ck_assert_uint_lt(b->ids[j - 1],
							  b->ids[j]);
				ck_assert_uint_ge(view_filter_progress(b),
						  prog);
				prog = view_filter_progress(b);
				steps++;
			} while (view_filter_step(b, 3));
			ck_assert_uint_ge(steps, 40 / 3);
			ck_assert_uint_eq(view_filter_progress(b), 100);
			ck_assert_uint_eq(b->nids, a->nids);
			for (j = 0; j < a->nids; j++)
				ck_assert_uint_eq(b->ids[j], a->ids[j]);
			ck_assert_msg(view_sel_id(a) == view_sel_id(b),
				      "%s from %zu: selected %u, at once %u",
				      exprs[i], k, view_sel_id(b),
				      view_sel_id(a));
			ck_assert_int_eq(view_pop(a), 0);
			ck_assert_int_eq(view_pop(b), 0);
			ck_assert_uint_eq(b->nids, n);
		}
	}
	/* Moving while it runs: the selection stays on what was chosen
	 * when the messages before it come in front. */
	view_select(b, 20);
	view_push_filter(b, "status:4xx or method:REGISTER", &err, &col);
	while (b->scanned < msgindex_count(engine_index(eb)))
		view_filter_step(b, 3);
	view_select(b, (long)b->nids - 1);
	j = view_sel_id(b);
	view_filter_finish(b);
	ck_assert(!b->filtering);
	ck_assert_uint_eq(view_sel_id(b), j);
	ck_assert_uint_eq(b->sel, b->nids - 1);
	/* A search, or a step through the dialog, first finishes it. */
	view_pop(b);
	view_select(b, 30);
	view_push_filter(b, "dir:in", &err, &col);
	ck_assert(b->filtering);
	view_search_start(b, "REGISTER", 1, 0);
	ck_assert(!b->filtering);
	view_search_cancel(b);
	view_pop(b);
	view_select(b, 30);
	view_push_filter(b, "dir:in", &err, &col);
	ck_assert(b->filtering);
	view_dialog_step(b, 1);
	ck_assert(!b->filtering);
	view_free(a);
	view_free(b);
	engine_free(ea);
	engine_free(eb);
}
END_TEST

/* The screen over a filter in steps: busy until it is done, the status
 * says how far it is, then how many messages matched; Esc while it runs
 * goes back. */
START_TEST(test_filter_steps_screen)
{
	struct engine *e;
	struct view *v = sample_view(&e, 0, 4);
	struct screen *s = screen_new(e, v, 1);
	struct grid *g = grid_new(100, 30);
	struct strbuf sb;
	size_t ticks = 0;

	keys(s, "fdir:in");
	screen_key(s, KEYC_ENTER);
	ck_assert(v->filtering);
	ck_assert(screen_busy(s));
	screen_draw(s, g);
	strbuf_init(&sb);
	grid_dump(g, &sb, 0);
	ck_assert_msg(strstr(sb.buf, "filtering... ") != NULL, "%s", sb.buf);
	strbuf_free(&sb);
	while (screen_busy(s)) {
		screen_tick(s, 1);
		ticks++;
	}
	ck_assert_uint_ge(ticks, 5);
	ck_assert_msg(strstr(s->status, "messages match") != NULL, "%s",
		      s->status);
	screen_key(s, KEYC_ESC);
	ck_assert_uint_eq(v->nlevels, 1);
	keys(s, "fmethod:INVITE");
	screen_key(s, KEYC_ENTER);
	ck_assert(v->filtering);
	screen_key(s, KEYC_ESC);
	ck_assert(!v->filtering);
	ck_assert_uint_eq(v->nlevels, 1);
	ck_assert_uint_eq(v->nids, 40);
	ck_assert(!screen_busy(s));
	grid_free(g);
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* Typing a search a letter at a time goes on from where it is: the same
 * places as searching each text from the start, and a text that cannot
 * match any more says so at once. */
START_TEST(test_search_extend)
{
	struct engine *ea, *eb;
	struct view *a = sample_view(&ea, 0, 0), *b = sample_view(&eb, 0, 0);
	struct screen *s = screen_new(eb, b, 1);
	static const char *const words[] = { "WWW-Authenticate: NTLM",
					     "Content-Length: 0x" };
	char text[64];
	size_t w, i;

	for (w = 0; w < 2; w++) {
		view_select(b, 5);
		keys(s, "/");
		for (i = 0; words[w][i] != '\0'; i++) {
			char key[2] = { words[w][i], '\0' };

			keys(s, key);
			while (screen_busy(s))
				screen_tick(s, 1);
			memcpy(text, words[w], i + 1);
			text[i + 1] = '\0';
			view_select(a, 5);
			view_search_start(a, text, 1, 1);
			while (view_search_step(a, 1) == 0)
				;
			ck_assert_msg(view_sel_id(a) == view_sel_id(b),
				      "'%s': at %u, from the start %u", text,
				      view_sel_id(b), view_sel_id(a));
		}
		screen_key(s, KEYC_ENTER);
	}
	ck_assert_ptr_nonnull(strstr(s->status, "no match"));
	screen_free(s);
	view_free(a);
	view_free(b);
	engine_free(ea);
	engine_free(eb);
}
END_TEST

/* A search typed further is not continued over a list that changed since
 * it started: an empty one (no crash), one that grew while the prompt was
 * open (the new messages are searched); and when the longer text matches
 * nowhere, the selection goes back to where / was pressed. */
START_TEST(test_search_extend_changed)
{
	struct engine *e;
	struct view *v;
	struct screen *s;
	char *err = NULL;
	int col;

	/* Empty list: the earlier search's state must not be used. */
	s = screen_new(eng, view, 1);
	keys(s, "/REGISTER");
	screen_key(s, KEYC_ENTER);
	ck_assert_int_eq(view_push_filter(view, "method:NOSUCH", &err, &col), 0);
	ck_assert_uint_eq(view->nids, 0);
	keys(s, "/q");
	keys(s, "z");
	while (screen_busy(s))
		screen_tick(s, 1);
	screen_key(s, KEYC_ESC);
	screen_free(s);

	/* Grown while typing. */
	v = sample_view(&e, 20, 0);
	s = screen_new(e, v, 1);
	ck_assert_uint_lt(v->nids, 40);
	keys(s, "/dusa");
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_uint_eq(v->sel, 0);
	engine_run(e);
	view_update(v);
	ck_assert_uint_eq(v->nids, 40);
	keys(s, "n");
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_msg(view_matches(v, view_sel_id(v)), "sel %zu", v->sel);
	screen_key(s, KEYC_ESC);

	/* No match any more: back to the origin. */
	view_select(v, 2);
	keys(s, "/Busy Here");
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_uint_ne(v->sel, 2);
	keys(s, "x");
	while (screen_busy(s))
		screen_tick(s, 1);
	ck_assert_uint_eq(v->sel, 2);
	ck_assert_ptr_nonnull(strstr(s->status, "no match"));
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* Indexing that ends while a filter runs in steps finishes the filter at
 * once (view_update); the count it found is still said. Home, and moving
 * in the flow pane, need the whole list: a cheap filter is finished first
 * (one that takes longer is not waited for: e2e filter-costly.sh). */
START_TEST(test_filter_steps_indexing_ends)
{
	struct engine *e;
	struct view *v = sample_view(&e, 30, 2);
	struct screen *s = screen_new(e, v, 1);
	struct grid *g = grid_new(100, 30);

	keys(s, "fdir:in");
	screen_key(s, KEYC_ENTER);
	ck_assert(v->filtering);
	engine_run(e);
	view_update(v);
	ck_assert(!v->filtering);
	screen_draw(s, g);
	ck_assert_msg(strstr(s->status, "messages match") != NULL, "'%s'",
		      s->status);
	/* Home is the first message of the whole list, also mid-filter. */
	screen_key(s, KEYC_ESC);
	view_select(v, 30);
	keys(s, "fdir:in");
	screen_key(s, KEYC_ENTER);
	ck_assert(v->filtering);
	screen_key(s, KEYC_HOME);
	ck_assert(!v->filtering);
	ck_assert_uint_eq(v->sel, 0);
	/* So does the flow pane: the dialog's earlier messages are the
	 * whole filter's. */
	screen_key(s, KEYC_ESC);
	view_select(v, 34);
	keys(s, "fdir:in");
	screen_key(s, KEYC_ENTER);
	ck_assert(v->filtering);
	s->focus = LP_FLOW;
	screen_draw(s, g);
	ck_assert(v->filtering);
	screen_key(s, KEYC_UP);
	ck_assert(!v->filtering);
	grid_free(g);
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* Enter while a filter is applied in steps: when the filter ends, its
 * count is not said over the dialog's. */
START_TEST(test_filter_steps_then_dialog)
{
	struct engine *e;
	struct view *v = sample_view(&e, 30, 2);
	struct screen *s = screen_new(e, v, 1);
	struct grid *g = grid_new(100, 30);

	keys(s, "fdir:in");
	screen_key(s, KEYC_ENTER);
	ck_assert(v->filtering);
	screen_key(s, KEYC_ENTER);	/* the selection's dialog */
	ck_assert_ptr_nonnull(strstr(s->status, "dialog:"));
	engine_run(e);
	view_update(v);
	screen_draw(s, g);
	ck_assert_msg(strstr(s->status, "match") == NULL, "'%s'", s->status);
	grid_free(g);
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* Two files, merged in time order when indexing ends: the message
 * selected before (by the app, view_hold_sel before each slice) is the
 * one selected after, though its id changed. */
START_TEST(test_merge_keeps_selection)
{
	struct engine *e = engine_new();
	struct strbuf a, b;
	struct view *v;
	const struct msg *m;
	char *err = NULL;
	int col, i;
	uint64_t off;

	strbuf_init(&a);
	strbuf_init(&b);
	for (i = 0; i < 20; i++) {
		struct strbuf *sb = i % 2 ? &b : &a;

		strbuf_addf(sb, "2024/01/02 10:00:%02d.000000 10.0.0.1:5060 -> "
			    "10.0.0.2:5060\nOPTIONS sip:x@example.com SIP/2.0\n"
			    "Call-ID: m%d\nCSeq: 1 OPTIONS\n"
			    "Content-Length: 0\n\n", i, i);
	}
	ck_assert_int_eq(engine_add_mem(e, "a.txt", a.buf, a.len, "sngrep",
					&err), 0);
	ck_assert_int_eq(engine_add_mem(e, "b.txt", b.buf, b.len, "sngrep",
					&err), 1);
	/* a.txt and a little of b.txt: ids in file order so far. */
	ck_assert_int_eq(engine_step(e, 12), 1);
	v = view_new(e, rules, NULL, &err, &col);
	ck_assert_ptr_nonnull(v);
	view_update(v);
	view_select(v, 6);		/* a.txt's 7th: 10:00:12 */
	m = msgindex_get(engine_index(e), view_sel_id(v));
	ck_assert_uint_eq(m->file, 0);
	off = m->off;
	view_hold_sel(v);
	engine_run(e);
	view_update(v);
	ck_assert_uint_eq(v->nids, 20);
	ck_assert_uint_eq(view_sel_id(v), 12);	/* by time now */
	m = msgindex_get(engine_index(e), view_sel_id(v));
	ck_assert_uint_eq(m->file, 0);
	ck_assert_uint_eq(m->off, off);
	view_free(v);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

/* The registration report open while indexing ends stays on the
 * registration it was on, though the merge of two files in time order
 * renumbered the dialogs: it went by dialog id, and Enter then opened
 * another registration. */
START_TEST(test_report_merge_keeps_registration)
{
	struct engine *e = engine_new();
	struct strbuf a, b, text;
	struct view *v;
	struct pane *p;
	struct grid *g = grid_new(100, 30);
	struct rect r = { 0, 0, 100, 30 };
	char *err = NULL;
	int col, i;

	strbuf_init(&a);
	strbuf_init(&b);
	/* a.txt: zed registers at 10:00:30, then OPTIONS; b.txt: OPTIONS,
	 * then amy registers at 10:00:09, before zed. */
	for (i = 0; i < 10; i++) {
		strbuf_addf(&a, "2024/01/02 10:00:%02d.000000 10.0.0.1:5060 -> "
			    "10.0.0.2:5060\n%s sip:example.com SIP/2.0\n"
			    "From: <sip:zed@example.com>;tag=z\n"
			    "To: <sip:zed@example.com>\nCall-ID: a%d\n"
			    "CSeq: 1 %s\nContent-Length: 0\n\n", 30 + i,
			    i == 0 ? "REGISTER" : "OPTIONS", i,
			    i == 0 ? "REGISTER" : "OPTIONS");
		strbuf_addf(&b, "2024/01/02 10:00:%02d.000000 10.0.0.3:5060 -> "
			    "10.0.0.2:5060\n%s sip:example.com SIP/2.0\n"
			    "From: <sip:amy@example.com>;tag=y\n"
			    "To: <sip:amy@example.com>\nCall-ID: b%d\n"
			    "CSeq: 1 %s\nContent-Length: 0\n\n", i,
			    i == 9 ? "REGISTER" : "OPTIONS", i,
			    i == 9 ? "REGISTER" : "OPTIONS");
	}
	ck_assert_int_eq(engine_add_mem(e, "a.txt", a.buf, a.len, "sngrep",
					&err), 0);
	ck_assert_int_eq(engine_add_mem(e, "b.txt", b.buf, b.len, "sngrep",
					&err), 1);
	/* a.txt and a little of b.txt: zed's is the only registration. */
	ck_assert_int_eq(engine_step(e, 12), 1);
	v = view_new(e, rules, NULL, &err, &col);
	ck_assert_ptr_nonnull(v);
	view_update(v);
	p = pane_report_new(v);
	pane_draw(p, g, r);
	strbuf_init(&text);
	grid_dump(g, &text, 0);
	ck_assert_ptr_nonnull(strstr(text.buf, "sip:zed@"));
	ck_assert_ptr_null(strstr(text.buf, "sip:amy@"));
	engine_run(e);
	view_update(v);
	pane_draw(p, g, r);	/* built again: amy's comes first */
	strbuf_reset(&text);
	grid_dump(g, &text, 0);
	ck_assert_ptr_nonnull(strstr(text.buf, "sip:amy@"));
	ck_assert(strstr(text.buf, "sip:amy@") < strstr(text.buf, "sip:zed@"));
	strbuf_free(&text);
	ck_assert_int_ne(pane_action(p, ACT_OPEN) & RE_SELECT, 0);
	ck_assert_str_eq(engine_call_id(e, v->levels[v->nlevels - 1].call_id),
			 "a0");
	pane_free(p);
	grid_free(g);
	view_free(v);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

/* The text of pane p drawn w x h. */
static char *
pane_text(struct pane *p, int w, int h)
{
	struct grid *g = grid_new(w, h);
	struct strbuf sb;

	p->ops->draw(p, g, (struct rect){ 0, 0, w, h });
	strbuf_init(&sb);
	grid_dump(g, &sb, 0);
	grid_free(g);
	return strbuf_detach(&sb);
}

/* Makes an empty later.log, an input that has not begun, in a new
 * directory made from the template dir; its name into path. */
static void
later_log(char *dir, char *path, size_t sz)
{
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sz, "%s/later.log", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
}

/* W lists the followed inputs not begun yet (empty, or too short to tell
 * their format), and does not say every input was read cleanly; once one
 * begins it is no longer listed. The title says so; once F stopped
 * following, both say it was not read. */
START_TEST(test_warnings_awaited)
{
	char dir[] = "/tmp/check_panes.XXXXXX", path[128], *text;
	struct engine *e = engine_new();
	struct pane *p;
	FILE *f;

	later_log(dir, path, sizeof path);
	engine_follow(e, 1);
	engine_await_file(e, path, NULL, 0);
	p = pane_warnings_new(e, 1, 1, NULL);
	text = pane_text(p, 100, 10);
	ck_assert_msg(strstr(text, "1 input not begun yet (followed: read "
			     "when it is):") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "later.log") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "read cleanly") == NULL, "%s", text);
	free(text);
	{
		struct view *v;
		struct screen *s;
		struct grid *g = grid_new(120, 20);
		char *err = NULL;
		int errcol;

		engine_run(e);
		v = view_new(e, NULL, NULL, &err, &errcol);
		ck_assert_ptr_nonnull(v);
		s = screen_new(e, v, 1);
		s->follow = 1;
		screen_draw(s, g);
		{
			struct strbuf sb;

			strbuf_init(&sb);
			grid_dump(g, &sb, 0);
			ck_assert_msg(strstr(sb.buf, "1 input not begun (W)") !=
				      NULL, "%s", sb.buf);
			/* F stops following: nothing will read it now, the
			 * title and W say it was not read (they said it was
			 * awaited); F again waits for it again. */
			keys(s, "F");
			ck_assert(!s->follow);
			screen_draw(s, g);
			strbuf_reset(&sb);
			grid_dump(g, &sb, 0);
			ck_assert_msg(strstr(sb.buf, " 1 input not read (W)") !=
				      NULL, "%s", sb.buf);
			ck_assert_msg(strstr(sb.buf, "not begun") == NULL, "%s",
				      sb.buf);
			keys(s, "W");
			screen_draw(s, g);
			strbuf_reset(&sb);
			grid_dump(g, &sb, 0);
			ck_assert_msg(strstr(sb.buf, "1 input was not read: it "
					     "had not begun when following "
					     "stopped (F follows it again):") !=
				      NULL, "%s", sb.buf);
			ck_assert_msg(strstr(sb.buf, "later.log") != NULL, "%s",
				      sb.buf);
			ck_assert_msg(strstr(sb.buf, "not begun yet") == NULL,
				      "%s", sb.buf);
			keys(s, "q");
			ck_assert_ptr_null(s->overlay);
			keys(s, "F");
			ck_assert(s->follow);
			screen_draw(s, g);
			strbuf_reset(&sb);
			grid_dump(g, &sb, 0);
			ck_assert_msg(strstr(sb.buf, "1 input not begun (W)") !=
				      NULL, "%s", sb.buf);
			strbuf_free(&sb);
		}
		grid_free(g);
		screen_free(s);
		view_free(v);
	}
	/* It begins: added, no longer listed. */
	f = fopen(TEST_DATA "/call-busy.raw.sip", "r");
	ck_assert_ptr_nonnull(f);
	{
		char buf[8192];
		size_t n = fread(buf, 1, sizeof buf, f);
		FILE *o = fopen(path, "w");

		ck_assert_ptr_nonnull(o);
		fwrite(buf, 1, n, o);
		fclose(o);
	}
	fclose(f);
	ck_assert_int_eq(engine_poll(e), 1);
	engine_run(e);
	text = pane_text(p, 100, 10);
	ck_assert_msg(strstr(text, "not begun") == NULL, "%s", text);
	ck_assert_msg(strstr(text, "read cleanly") != NULL, "%s", text);
	free(text);
	pane_free(p);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Row y of g as text, trailing blanks dropped, into buf. */
static const char *
report_row(struct grid *g, int y, char *buf, size_t bufsz)
{
	struct grid *row = grid_new(g->w, 1);
	struct strbuf sb;
	int x;

	for (x = 0; x < g->w; x++)
		*grid_cell(row, x, 0) = *grid_cell(g, x, y);
	strbuf_init(&sb);
	grid_dump(row, &sb, 0);
	while (sb.len > 0 && (sb.buf[sb.len - 1] == ' ' ||
			      sb.buf[sb.len - 1] == '\n'))
		sb.buf[--sb.len] = '\0';
	snprintf(buf, bufsz, "%s", sb.buf);
	strbuf_free(&sb);
	grid_free(row);
	return buf;
}

/* Asserts that row y of g holds text (saying what the row holds). */
#define ROW_HAS(g, y, text)                                                  \
	do {                                                                 \
		char row_[256];                                              \
                                                                             \
		ck_assert_msg(strstr(report_row((g), (y), row_, sizeof row_), \
				     (text)) != NULL,                        \
			      "row %d: \"%s\"", (y), row_);                   \
	} while (0)

/* The registration report keeps its outcome column on a narrow terminal
 * (at 40 columns it was past the right edge, the explanation, client and
 * schemes taking the room): the less important columns go first. */
START_TEST(test_report_narrow_outcome)
{
	struct engine *e = engine_new();
	struct view *v;
	struct pane *p;
	struct grid *g;
	char *err = NULL, row[256];
	int col;
	static const struct {
		int w;
		const char *head, *ok, *refused;
	} want[] = {
	    /* The outcome no wider than "403 Forbidden": the user gets the
	     * rest; at 80 each column as wide as what it holds, in order
	     * of importance, and the client keeps its port. */
	    {40, " user            attempts outcome",
	     " sip:izabelaf@u~        3 200 OK",
	     " sip:petrak@ucl~        2 403 Forbidden"},
	    {80, " user                   client            offered/used   "
		 "attempts outcome",
	     " sip:izabelaf@uclab.org ~.51.100.23:49721 NTLM / NTLM r~ "
	     "       3 200 OK",
	     " sip:petrak@uclab.org   ~31.255.250:50933 NTLM / NTLM    "
	     "       2 403 Forbidden"},
	};
	size_t i;

	ck_assert_int_ge(engine_add_file(e, TEST_DATA "/remote-ntlm.cls.log",
					 NULL, &err), 0);
	ck_assert_int_ge(engine_add_file(e, TEST_DATA "/reg-rejected.cls.log",
					 NULL, &err), 0);
	engine_set_rules(e, rules);
	engine_run(e);
	v = view_new(e, rules, NULL, &err, &col);
	ck_assert_ptr_nonnull(v);
	p = pane_report_new(v);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		g = grid_new(want[i].w, 20);
		pane_draw(p, g, (struct rect){0, 0, want[i].w, 20});
		ck_assert_str_eq(report_row(g, 1, row, sizeof row),
				 want[i].head);
		ck_assert_str_eq(report_row(g, 2, row, sizeof row),
				 want[i].ok);
		ck_assert_str_eq(report_row(g, 3, row, sizeof row),
				 want[i].refused);
		grid_free(g);
	}
	pane_free(p);
	view_free(v);
	engine_free(e);
}
END_TEST

/* An address too wide for its column keeps its end, the port, after a
 * '~', whatever its length: the tail that fits is found in one pass over
 * a 200 KB address (measuring every tail made that quadratic), wide
 * characters counted as two columns. */
START_TEST(test_put_cut_long_address)
{
	struct grid *g = grid_new(40, 1);
	struct strbuf in;
	char row[256];
	size_t i;

	strbuf_init(&in);
	for (i = 0; i < 200000; i++)
		strbuf_adds(&in, "1");
	strbuf_adds(&in, ".2.3:5060");
	ck_assert_int_eq(pane_put_cut(g, 0, 0, 20, ROLE_DEFAULT, in.buf,
				      in.len, NULL, 0, 1), 20);
	ck_assert_str_eq(report_row(g, 0, row, sizeof row),
			 "~1111111111.2.3:5060");
	grid_free(g);
	g = grid_new(40, 1);
	strbuf_reset(&in);
	for (i = 0; i < 30000; i++)
		strbuf_adds(&in, "\xe6\x97\xa5");	/* U+65E5, two columns */
	strbuf_adds(&in, ":5060");
	pane_put_cut(g, 0, 0, 20, ROLE_DEFAULT, in.buf, in.len, NULL, 0, 1);
	ck_assert_str_eq(report_row(g, 0, row, sizeof row),
			 "~\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
			 "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5:5060");
	strbuf_free(&in);
	grid_free(g);
}
END_TEST

/* A large report is built in steps (R is answered at once, the keys
 * meanwhile): the screen is busy, draws how far it is, and shows the
 * table when it is whole; built again (the index changed), the table
 * before stays until the new one is whole. */
START_TEST(test_report_in_steps)
{
	enum { NREG = 8000 };
	struct engine *e = engine_new();
	struct strbuf log;
	struct screen *s;
	struct view *v;
	struct grid *g = grid_new(120, 30);
	char *err = NULL, row[256];
	int col, ticks = 0, i;

	strbuf_init(&log);
	for (i = 0; i < NREG; i++)
		strbuf_addf(&log, "2024/01/02 10:%02d:%02d.000000 10.0.%d.%d:5060 "
			    "-> 10.0.0.1:5060\nREGISTER sip:example.com SIP/2.0\n"
			    "From: <sip:u%d@example.com>;tag=a\n"
			    "To: <sip:u%d@example.com>\nCall-ID: r%d\n"
			    "CSeq: 1 REGISTER\nContent-Length: 0\n\n"
			    "2024/01/02 10:%02d:%02d.001000 10.0.0.1:5060 -> "
			    "10.0.%d.%d:5060\nSIP/2.0 200 OK\n"
			    "From: <sip:u%d@example.com>;tag=a\n"
			    "To: <sip:u%d@example.com>;tag=b\nCall-ID: r%d\n"
			    "CSeq: 1 REGISTER\nContent-Length: 0\n\n",
			    i / 60 % 60, i % 60, i / 250, i % 250, i, i, i,
			    i / 60 % 60, i % 60, i / 250, i % 250, i, i, i);
	ck_assert_int_eq(engine_add_mem(e, "r.txt", log.buf, log.len, "sngrep",
					&err), 0);
	engine_run(e);
	v = view_new(e, rules, NULL, &err, &col);
	ck_assert_ptr_nonnull(v);
	s = screen_new(e, v, 1);
	screen_key(s, 'R');
	ck_assert(screen_busy(s));
	screen_draw(s, g);
	ck_assert_msg(strstr(report_row(g, 2, row, sizeof row),
			     "building the report: ") != NULL, "%s", row);
	while (screen_busy(s)) {
		screen_tick(s, 100);
		ticks++;
	}
	ck_assert_int_ge(ticks, 2);
	screen_draw(s, g);
	ck_assert_msg(strstr(report_row(g, 1, row, sizeof row),
			     "registration 1 of 8000") != NULL, "%s", row);
	ck_assert_msg(strstr(report_row(g, 3, row, sizeof row),
			     "sip:u0@example.com") != NULL, "%s", row);
	grid_free(g);
	screen_free(s);
	view_free(v);
	engine_free(e);
	strbuf_free(&log);
}
END_TEST

/* A log without addresses: the report's client is "?", as in the list
 * and the registration's detail; a NUL in the user shows as \x00. */
START_TEST(test_report_unknown_client)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/nul-user-register.sip", 1,
				   NULL);
	struct pane *p = pane_report_new(v);
	struct grid *g = grid_new(120, 20);
	char row[256];

	pane_draw(p, g, (struct rect){0, 0, 120, 20});
	ck_assert_msg(strstr(report_row(g, 2, row, sizeof row),
			     " sip:mal\\x00lory@example.com ? ") == row,
		      "%s", row);
	grid_free(g);
	pane_free(p);
	view_free(v);
	engine_free(e);
}
END_TEST

/* The title says where the selection is among the search's matches,
 * counted in the background: "match 1 of 15"; counted again over a list
 * filtered anew. */
START_TEST(test_search_hits)
{
	struct engine *e;
	struct view *v = sample_view(&e, 0, 0);
	struct screen *s = screen_new(e, v, 1);
	struct grid *g = grid_new(120, 30);
	size_t i, n;
	char *err = NULL, row[256];
	int col;

	view_select(v, 0);
	keys(s, "/REGISTER");
	screen_key(s, KEYC_ENTER);
	while (screen_busy(s))
		screen_tick(s, 3);
	ck_assert_int_eq(view_hits(v, &i, &n), VHITS_DONE);
	ck_assert_uint_eq(n, 15);
	ck_assert_uint_eq(i, 1);
	screen_draw(s, g);
	ck_assert_msg(strstr(report_row(g, 0, row, sizeof row),
			     "search: REGISTER  match 1 of 15") != NULL, "%s",
		      row);
	keys(s, "n");
	while (screen_busy(s))
		screen_tick(s, 3);
	view_hits(v, &i, &n);
	ck_assert_uint_eq(i, 2);
	/* On a message that does not match: how many there are. */
	view_select(v, 6);	/* the TLS event */
	screen_draw(s, g);
	ck_assert_msg(strstr(report_row(g, 0, row, sizeof row),
			     "search: REGISTER  15 matches") != NULL, "%s",
		      row);
	/* A search typed and given up with Esc goes back to the previous
	 * one, and n counts its matches again (Esc stopped the count). */
	keys(s, "/xyz");
	screen_key(s, KEYC_ESC);
	ck_assert_int_eq(view_hits(v, &i, &n), VHITS_NONE);
	keys(s, "n");
	while (screen_busy(s))
		screen_tick(s, 3);
	ck_assert_int_eq(view_hits(v, &i, &n), VHITS_DONE);
	ck_assert_uint_eq(n, 15);
	ck_assert_uint_gt(i, 0);	/* on a match */
	/* Another list: counted again over it. */
	ck_assert_int_eq(view_push_filter(v, "status:401", &err, &col), 0);
	ck_assert_int_eq(view_hits(v, &i, &n), VHITS_NONE);
	ck_assert(screen_busy(s));
	while (screen_busy(s))
		screen_tick(s, 3);
	ck_assert_int_eq(view_hits(v, &i, &n), VHITS_DONE);
	ck_assert_uint_eq(n, 4);
	grid_free(g);
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* W gives why an input was not read once, under "not read": the same
 * line came again under "Warnings". */
START_TEST(test_warnings_unread_once)
{
	struct engine *e = engine_new();
	struct pane *p;
	char *err = NULL, *text;
	const char *at;
	int n = 0;

	ck_assert_int_ge(engine_add_file(e, TEST_DATA "/damaged-late.cls.log.gz",
					 NULL, &err), 0);
	ck_assert_int_ge(engine_add_file(e, TEST_DATA "/remote-ntlm.cls.log",
					 NULL, &err), 0);
	engine_run(e);
	ck_assert_uint_eq(engine_nunread(e), 1);
	p = pane_warnings_new(e, 1, 0, NULL);
	text = pane_text(p, 160, 30);
	ck_assert_msg(strstr(text, "1 input was not read:") != NULL, "%s", text);
	for (at = text; (at = strstr(at, "no SIP messages found")) != NULL;
	     at++)
		n++;
	ck_assert_msg(n == 1, "%s", text);
	free(text);
	pane_free(p);
	engine_free(e);
}
END_TEST

/* At 120 columns the report's columns are as wide as what they hold (the
 * user kept 30 while the schemes and the explanation were cut at 17),
 * the explanation gets the rest, and the selected registration in full
 * follows the table at once, not 30 blank lines below it. */
START_TEST(test_report_fits_content)
{
	struct engine *e;
	struct view *v = open_view(&e, "data/sample.cls.log", 1, NULL);
	struct pane *p = pane_report_new(v);
	struct grid *g = grid_new(120, 40);
	char row[256];

	pane_draw(p, g, (struct rect){0, 0, 120, 40});
	ck_assert_str_eq(report_row(g, 1, row, sizeof row),
			 " user                   client               "
			 "offered/used              attempts outcome       "
			 "explanation");
	ck_assert_str_eq(report_row(g, 3, row, sizeof row),
			 " sip:marinof@uclab.org  172.31.255.247:51311 "
			 "Kerberos, NTLM / Kerberos        2 200 OK        "
			 "registered with Kerberos~");
	ck_assert_str_eq(report_row(g, 5, row, sizeof row), "");
	ck_assert_str_eq(report_row(g, 6, row, sizeof row),
			 " sip:izabelaf@uclab.org from 172.31.255.210:5061 to "
			 "R2EE01: offered NTLM, used NTLM, remote user; "
			 "registered with NTLM");
	grid_free(g);
	/* Wide: offered/used as wide as it needs; the explanation grows
	 * last (it took all that was left, and with many registrations
	 * offered/used stayed cut at 26). */
	pane_free(p);
	view_free(v);
	engine_free(e);
	v = open_view(&e, TEST_DATA "/hostile/escapes.sip", 1, NULL);
	p = pane_report_new(v);
	g = grid_new(200, 30);
	pane_draw(p, g, (struct rect){0, 0, 200, 30});
	ROW_HAS(g, 2, "NTLM, Kerberos / NTLM remote ");
	grid_free(g);
	/* Narrow: the outcome whole (cut at 20) before the user grows. */
	pane_free(p);
	view_free(v);
	engine_free(e);
	v = open_view(&e, TEST_DATA "/auth/interval-gives-up.sngrep.txt", 1,
		      NULL);
	p = pane_report_new(v);
	g = grid_new(72, 24);
	pane_draw(p, g, (struct rect){0, 0, 72, 24});
	{
		int y, found = 0;

		for (y = 2; y < 12 && !found; y++)
			found = strstr(report_row(g, y, row, sizeof row),
				       "423 Interval Too Brief") != NULL;
		ck_assert_msg(found, "no whole 423 outcome at 72 columns");
	}
	grid_free(g);
	pane_free(p);
	view_free(v);
	engine_free(e);
}
END_TEST

/* Without rules, W says why as sipsnoop said it on standard error, which
 * the viewer hides: a rules file's errors with their lines (it gave only
 * the possible reasons), made visible. */
START_TEST(test_warnings_rules_why)
{
	struct pane *p;
	struct grid *g = grid_new(100, 10);
	char row[256];

	p = pane_warnings_new(eng, 0, 0,
			      "my.rules:2: status: bad value \"4yy\"\n"
			      "my.rules:5: \x1b[31mred\n"
			      "my.rules: rules not used");
	pane_draw(p, g, (struct rect){0, 0, 100, 10});
	ck_assert_str_eq(report_row(g, 1, row, sizeof row),
			 " messages are not rated:");
	ck_assert_str_eq(report_row(g, 2, row, sizeof row),
			 " my.rules:2: status: bad value \"4yy\"");
	ck_assert_str_eq(report_row(g, 3, row, sizeof row),
			 " my.rules:5: \\e[31mred");
	ck_assert_str_eq(report_row(g, 4, row, sizeof row),
			 " my.rules: rules not used");
	pane_free(p);
	/* Without a reason: the possible ones. */
	p = pane_warnings_new(eng, 0, 0, NULL);
	pane_draw(p, g, (struct rect){0, 0, 100, 10});
	ck_assert_ptr_nonnull(strstr(report_row(g, 1, row, sizeof row),
				     "no rules were loaded"));
	pane_free(p);
	/* With rules, nothing of it. */
	p = pane_warnings_new(eng, 1, 0, "ignored");
	pane_draw(p, g, (struct rect){0, 0, 100, 10});
	ck_assert_str_eq(report_row(g, 1, row, sizeof row),
			 " no warnings: every input was read cleanly");
	pane_free(p);
	grid_free(g);
}
END_TEST

/* On a wide terminal the list shows a Lync Call-ID (32 hex digits) whole,
 * the summary keeping its 50 columns; it was cut at 13 characters
 * ("9f6c1d2e4b7a4~") however wide, the summary taking the rest. At 120
 * columns the Call-ID gives way as before. */
START_TEST(test_list_wide_callid)
{
	struct pane *p = pane_list_new(view);
	char *text;

	text = pane_text(p, 200, 8);
	ck_assert_msg(strstr(text, "9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01 ") != NULL,
		      "%s", text);
	ck_assert_msg(strstr(text, "REGISTER sip:uclab.org") != NULL, "%s",
		      text);
	free(text);
	text = pane_text(p, 120, 8);
	ck_assert_msg(strstr(text, "9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01") == NULL,
		      "%s", text);
	ck_assert_msg(strstr(text, "9f6c1d2e4~") != NULL, "%s", text);
	free(text);
	pane_free(p);
}
END_TEST

/* The address column takes what it needs from the summary's padding,
 * and an address still too long loses the start of its host, not its
 * port: at 120 columns both ends were cut to "198.51.100.23:497~" beside
 * blank columns. */
START_TEST(test_list_addresses)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/pcap/remote-ntlm-tcp.pcap",
				   0, NULL);
	struct pane *p = pane_list_new(v);
	char *text;

	p->utf8 = 1;
	text = pane_text(p, 120, 8);
	ck_assert_msg(strstr(text, " 198.51.100.23:49721 → 203.0.113.10:5060 "
			     "REGISTER sip:uclab.org") != NULL, "%s", text);
	ck_assert_msg(strstr(text, " 203.0.113.10:5060 → 198.51.100.23:49721 "
			     "401 Unauthorized") != NULL, "%s", text);
	free(text);
	/* At 80 something must give: the host's start, after a '~'. */
	text = pane_text(p, 80, 8);
	ck_assert_msg(strstr(text, " ~8.51.100.23:49721 → 203.0.113.10:5060 "
			     "REGISTER sip:uclab.org") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "203.0.113.10:5060 → ~8.51.100.23:49721 "
			     "401 Unauthorized") != NULL, "%s", text);
	ck_assert_msg(strstr(text, ":497~") == NULL, "%s", text);
	free(text);
	pane_free(p);
	view_free(v);
	engine_free(e);
}
END_TEST

/* A wrapped line of the detail goes on where its next word begins, at
 * every width: the header line's "TLS  path" broken between its two
 * spaces began the next row with a blank, one column right of the
 * others ("      /work/..."), and so did a row that the first of two
 * spaces ended. */
START_TEST(test_detail_wrap_spaces)
{
	struct pane *p = pane_detail_new(view);
	size_t i;
	int w, bad = 0;
	char *text, *line, *save = NULL;

	for (i = 0; i < view->nids; i++) {
		view_select(view, (long)i);
		for (w = 30; w <= 130; w++) {
			text = pane_text(p, w, 60);
			for (line = strtok_r(text, "\n", &save); line != NULL;
			     line = strtok_r(NULL, "\n", &save)) {
				if (strncmp(line, "      ", 6) == 0 &&
				    line[6] != ' ' && line[6] != '\0') {
					if (bad++ == 0)
						fprintf(stderr, "message %zu at "
							"%d: '%s'\n", i, w,
							line);
				}
			}
			free(text);
		}
	}
	ck_assert_int_eq(bad, 0);
	pane_free(p);
}
END_TEST

/* Checks row y of g: every run of ROLE_ESCAPE cells is whole forms (\e,
 * \xHH, \uHHHH), none cut by the row's end or begun on it. The number
 * of forms is added to *forms. */
static void
assert_escape_row(struct grid *g, int y, int w, int *forms)
{
	int x = 0, len;

	while (x < w) {
		if (grid_cell(g, x, y)->role != ROLE_ESCAPE) {
			x++;
			continue;
		}
		ck_assert_msg(grid_cell(g, x, y)->ch[0] == '\\',
			      "row %d at width %d: a form begins at %d without "
			      "its backslash", y, w, x);
		ck_assert_int_lt(x + 1, w);
		switch (grid_cell(g, x + 1, y)->ch[0]) {
		case 'e': len = 2; break;
		case 'x': len = 4; break;
		case 'u': len = 6; break;
		default: len = 0; break;
		}
		ck_assert_msg(len > 0 && x + len <= w, "row %d at width %d: "
			      "a form cut at %d", y, w, x);
		x += len;
		(*forms)++;
	}
}

/* The forms that stand for control bytes (\e, \x01) are drawn in a role
 * of their own, so that they differ from a backslash and an e written in
 * the log (X-Literal), and wrapping never cuts one: at 30 columns
 * "\x07\x08" was cut after "\x0". */
START_TEST(test_detail_escape_forms)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/literal-escapes.raw.sip", 0,
				   NULL);
	struct pane *p = pane_detail_new(v);
	struct grid *g;
	int w, y, x, forms, lit = -1, real = -1;
	char row[256];

	view_select(v, 0);
	g = grid_new(120, 30);
	pane_draw(p, g, (struct rect){ 0, 0, 120, 30 });
	for (y = 0; y < 30; y++) {
		for (x = 0; x < 120 && x < (int)sizeof row - 1; x++)
			row[x] = grid_cell(g, x, y)->ch[0];
		row[x] = '\0';
		if (strstr(row, "X-Literal") != NULL)
			lit = y;
		if (strstr(row, "X-Real") != NULL)
			real = y;
	}
	ck_assert_int_ge(lit, 0);
	ck_assert_int_ge(real, 0);
	for (x = 0; x < 120; x++)
		ck_assert_int_ne(grid_cell(g, x, lit)->role, ROLE_ESCAPE);
	forms = 0;
	assert_escape_row(g, real, 120, &forms);
	/* \e twice and \x01 to \x08 */
	ck_assert_int_eq(forms, 10);
	grid_free(g);
	for (w = 16; w <= 80; w++) {
		g = grid_new(w, 40);
		pane_draw(p, g, (struct rect){ 0, 0, w, 40 });
		forms = 0;
		for (y = 0; y < 40; y++)
			assert_escape_row(g, y, w, &forms);
		ck_assert_msg(forms == 10, "%d forms at width %d", forms, w);
		grid_free(g);
	}
	pane_free(p);
	view_free(v);
	engine_free(e);
}
END_TEST

/* u on a server's event of a dialog (a TF_DIAG naming its Call-ID): the
 * dialog's user; it said "no user here". As dialog:user:, which keeps the
 * event: user: hid the very event u was pressed on. An event of no
 * dialog has no user: the status line says so, no filter is pushed. */
START_TEST(test_user_of_event)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/call-cancel.cls.log", 1,
				   NULL);
	struct screen *s;

	s = screen_new(e, v, 1);
	view_select(v, 4);
	ck_assert_int_eq(msgindex_get(engine_index(e), view_sel_id(v))->kind,
			 MSG_DIAG);
	keys(s, "u");
	ck_assert_ptr_nonnull(view_filter_expr(v));
	/* The user's dialogs whole, with the event. */
	ck_assert_str_eq(view_filter_expr(v), "dialog:user:marinof");
	ck_assert(!s->status_error);
	ck_assert_uint_eq(v->nids, 9);
	ck_assert_int_eq(msgindex_get(engine_index(e), view_sel_id(v))->kind,
			 MSG_DIAG);
	screen_free(s);
	view_free(v);
	engine_free(e);

	/* The sample's 7th message: a TLS handshake, of no dialog. */
	v = open_view(&e, "data/sample.cls.log", 1, NULL);
	s = screen_new(e, v, 1);
	view_select(v, 6);
	ck_assert_int_eq(msgindex_get(engine_index(e), view_sel_id(v))->kind,
			 MSG_DIAG);
	keys(s, "u");
	ck_assert_uint_eq(v->nlevels, 1);
	ck_assert(s->status_error);
	ck_assert_str_eq(s->status,
			 "no user here: this event has none and names no "
			 "dialog");
	ck_assert_uint_eq(v->nids, 40);
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* u on a message whose From has no user part (an OPTIONS ping from
 * sip:10.0.0.1) names no user: it wrote user:sip:10.0.0.1, which user:
 * does not match. c on a Call-ID holding a NUL quotes it as \x00. */
START_TEST(test_user_host_only)
{
	static const char t[] =
	    "2024/01/02 10:00:00.000000 10.0.0.1:5060 -> 10.0.0.2:5060\n"
	    "OPTIONS sip:10.0.0.2 SIP/2.0\nFrom: <sip:10.0.0.1>;tag=a\n"
	    "To: <sip:10.0.0.2>\nCall-ID: p\0q\nCSeq: 1 OPTIONS\n"
	    "Content-Length: 0\n\n";
	struct engine *e = engine_new();
	struct screen *s;
	struct view *v;
	char *err = NULL;
	int col;

	ck_assert_int_eq(engine_add_mem(e, "t.txt", t, sizeof t - 1, "sngrep",
					&err), 0);
	engine_run(e);
	v = view_new(e, NULL, NULL, &err, &col);
	ck_assert_ptr_nonnull(v);
	s = screen_new(e, v, 1);
	view_select(v, 0);
	keys(s, "u");
	ck_assert_uint_eq(v->nlevels, 1);	/* no filter pushed */
	ck_assert_str_eq(s->status, "no user here");
	keys(s, "c");
	ck_assert_str_eq(view_filter_expr(v), "callid:\"p\\x00q\"");
	ck_assert_uint_eq(v->nids, 1);
	screen_free(s);
	view_free(v);
	engine_free(e);
}
END_TEST

/* A retry on a new Call-ID, offered nothing in its own dialog: its
 * offered/used cell is "- / Digest"; it began with a blank, " / Digest". */
START_TEST(test_report_retry_offered)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/auth/new-call-id.sngrep.txt",
				   1, NULL);
	struct pane *p;
	struct grid *g = grid_new(100, 10);
	char row[256];

	p = pane_report_new(v);
	pane_draw(p, g, (struct rect){0, 0, 100, 10});
	ck_assert_ptr_nonnull(strstr(report_row(g, 1, row, sizeof row),
				     "offered/used"));
	ck_assert_ptr_nonnull(strstr(report_row(g, 2, row, sizeof row),
				     " Digest "));
	ck_assert_ptr_nonnull(strstr(report_row(g, 3, row, sizeof row),
				     " - / Digest "));
	pane_free(p);
	grid_free(g);
	view_free(v);
	engine_free(e);
}
END_TEST

/* F on a log whose last record its writer was still writing: once the
 * rest comes, that message is completed in place (same id, same count of
 * messages), and the filtered list takes it in: here the text the filter
 * looks for was in the part written later. W shows the warnings as they
 * are then, though as many as before. */
START_TEST(test_view_completed)
{
	char dir[] = "/tmp/check_panes.XXXXXX", path[128], *err = NULL;
	const char *cut = "CSeq: 2 REGISTER\r\nms-diagnostics";
	struct source *src = source_open("data/sample.cls.log", &err);
	struct engine *e;
	struct view *v;
	struct pane *w;
	const char *at, *last, *q;
	char *text;
	size_t n;
	FILE *f;

	ck_assert_ptr_nonnull(src);
	/* Up to the last record's CSeq line: its ms-diagnostics not yet. */
	at = memmem(src->data, src->len, cut, strlen(cut));
	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_null(memmem(at + 1, src->len - (size_t)(at + 1 -
	    src->data), cut, strlen(cut)));
	n = (size_t)(at - src->data) + strlen("CSeq: 2 REGISTER\r\n");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/cut.log", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(src->data, 1, n, f), n);
	fclose(f);
	v = open_view(&e, path, 0, "/does not exist/");
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 40);
	ck_assert_uint_eq(v->nids, 0);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	w = pane_warnings_new(e, 0, 1, NULL);
	text = pane_text(w, 100, 12);
	engine_follow_files(e);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(src->data + n, 1, src->len - n, f),
			  src->len - n);
	/* Then junk, and the last record again. */
	fputs("garbage after the last record\r\n", f);
	for (last = NULL, q = src->data; (q = memmem(q, (size_t)(at - q),
	     "TL_INFO", 7)) != NULL; q++)
		last = q;
	ck_assert_ptr_nonnull(last);
	ck_assert_uint_eq(fwrite(last, 1, src->len - (size_t)(last -
	    src->data), f), src->len - (size_t)(last - src->data));
	fclose(f);
	ck_assert_int_eq(engine_poll(e), 1);
	while (engine_step(e, 100))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 41);
	ck_assert_uint_ne(engine_changes(e), 0);
	ck_assert_int_eq(view_update(v), 1);
	ck_assert_uint_eq(v->nids, 2);
	ck_assert_uint_eq(v->ids[0], 39);
	ck_assert_uint_eq(v->ids[1], 40);
	/* W: the cut record's warning withdrawn, a line of junk written
	 * after it said instead: as many warnings, not the same. */
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	ck_assert_ptr_nonnull(strstr(text, "cut short"));
	free(text);
	text = pane_text(w, 100, 12);
	ck_assert_ptr_null(strstr(text, "cut short"));
	ck_assert_ptr_nonnull(strstr(text, "skipped 1 line outside any "
				     "record"));
	free(text);
	pane_free(w);
	view_free(v);
	engine_free(e);
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* R opens the report on the registration of the message selected in the
 * list (a diagnostic event of its dialog too), on the first when that
 * message is of no registration, and the heading says which of how many
 * is selected. It opened on the first whatever was selected. */
START_TEST(test_report_opens_on_selected)
{
	struct engine *e;
	struct view *v = open_view(&e, "data/sample.cls.log", 1, NULL);
	struct pane *p;
	struct grid *g = grid_new(120, 12);
	struct rect r = { 0, 0, 120, 12 };
	static const struct {
		long at;	/* in the list */
		const char *pos, *user;
	} c[] = {
		{ 39, "registration 3 of 3", " sip:petrak@uclab.org " },
		{ 38, "registration 3 of 3", " sip:petrak@uclab.org " },
		{ 30, "registration 1 of 3", " sip:izabelaf@uclab.org " },
	};
	size_t i;

	ck_assert_int_eq(v->nids, 40);
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		view_select(v, c[i].at);
		p = pane_report_new(v);
		pane_draw(p, g, r);
		ROW_HAS(g, 0, c[i].pos);
		ROW_HAS(g, 6, c[i].user);	/* the lines below the table */
		pane_free(p);
	}
	/* 38 is petrak's diagnostic event, 30 an INVITE. */
	ck_assert_int_eq(msgindex_get(engine_index(e), v->ids[38])->kind,
			 MSG_DIAG);
	p = pane_report_new(v);
	ck_assert_int_eq(pane_action(p, ACT_DOWN) & RE_HANDLED, RE_HANDLED);
	pane_draw(p, g, r);
	ROW_HAS(g, 0, "registration 2 of 3");
	pane_free(p);
	grid_free(g);
	view_free(v);
	engine_free(e);
}
END_TEST

/* The registration report follows the viewer's filter, as --registrations
 * -f does: only the registrations with a message the list shows, its
 * heading saying by what filter and of how many; built again when the
 * filter changes, while a filter is applied in steps and while indexing
 * goes on. It listed every registration whatever the filter. */
START_TEST(test_report_follows_filter)
{
	struct engine *e;
	/* -f's filter. */
	struct view *v = open_view(&e, "data/sample.cls.log", 1, "user:petrak");
	struct pane *p;
	struct grid *g = grid_new(100, 12);
	struct rect r = { 0, 0, 100, 12 };
	char *err = NULL, row[256];
	int col;

	p = pane_report_new(v);
	pane_draw(p, g, r);
	ck_assert_str_eq(report_row(g, 0, row, sizeof row),
			 " Registrations  filter: user:petrak        "
			 "registration 1 of 1, 3 in all  Enter: flow  q/Esc: close");
	ROW_HAS(g, 2, " sip:petrak@uclab.org ");
	ck_assert_str_eq(report_row(g, 3, row, sizeof row), "");
	/* x: every message, every registration. */
	view_clear(v);
	pane_draw(p, g, r);
	ck_assert_str_eq(report_row(g, 0, row, sizeof row),
			 " Registrations                                       "
			 "registration 3 of 3  Enter: flow  q/Esc: close");
	ROW_HAS(g, 2, " sip:izabelaf@uclab.org ");
	ROW_HAS(g, 4, " sip:petrak@uclab.org ");
	/* A filter pushed in the viewer, on the registration selected. */
	ck_assert_int_eq(pane_action(p, ACT_END) & RE_HANDLED, RE_HANDLED);
	ck_assert_int_eq(view_push_filter(v, "user:marinof or user:petrak",
					  &err, &col), 0);
	pane_draw(p, g, r);
	/* A long filter: the keys give way, then the filter is cut; the
	 * counts stay. */
	ck_assert_str_eq(report_row(g, 0, row, sizeof row),
			 " Registrations  filter: user:marinof or user:petrak "
			 "                  registration 2 of 2, 3 in all");
	{
		struct grid *n = grid_new(60, 12);

		pane_draw(p, n, (struct rect){ 0, 0, 60, 12 });
		ck_assert_str_eq(report_row(n, 0, row, sizeof row),
				 " Registrations  filter: user:marinof or ~  "
				 "2 of 2, 3 in all");
		grid_free(n);
	}
	ROW_HAS(g, 2, " sip:marinof@uclab.org ");
	ROW_HAS(g, 3, " sip:petrak@uclab.org ");
	ck_assert_int_eq(grid_cell(g, 1, 3)->role, ROLE_SELECTION);
	/* One that shows none of them says so, not "no REGISTER". */
	ck_assert_int_eq(view_push_filter(v, "user:nobody", &err, &col), 0);
	pane_draw(p, g, r);
	ck_assert_str_eq(report_row(g, 1, row, sizeof row),
			 " the filter shows no message of the 3 registrations");
	/* Esc: the filter before, the registrations before. */
	ck_assert_int_eq(view_pop(v), 0);
	pane_draw(p, g, r);
	ROW_HAS(g, 0, "registration 2 of 2, 3 in all");
	/* A filter applied in steps: the heading says it is not done, the
	 * rows come as it goes on. */
	v->filter_step = 1;
	ck_assert_int_eq(view_push_filter(v, "user:izabelaf", &err, &col), 0);
	ck_assert(v->filtering);
	pane_draw(p, g, r);
	ROW_HAS(g, 0, "so far (filtering ");
	view_filter_finish(v);
	pane_draw(p, g, r);
	ROW_HAS(g, 0, "filter: user:izabelaf");
	ROW_HAS(g, 0, "registration 1 of 1, 3 in all  Enter");
	ROW_HAS(g, 2, " sip:izabelaf@uclab.org ");
	pane_free(p);
	view_free(v);
	engine_free(e);

	/* While indexing: the registrations come as they are indexed, those
	 * of the filter only. */
	e = engine_new();
	ck_assert_int_ge(engine_add_file(e, "data/sample.cls.log", NULL, &err),
			 0);
	engine_set_rules(e, rules);
	ck_assert_int_eq(engine_step(e, 10), 1);
	v = view_new(e, rules, "user:petrak", &err, &col);
	ck_assert_ptr_nonnull(v);
	p = pane_report_new(v);
	pane_draw(p, g, r);
	ck_assert_str_eq(report_row(g, 1, row, sizeof row),
			 " the filter shows no message of the 2 registrations");
	engine_run(e);
	view_update(v);
	pane_draw(p, g, r);
	ROW_HAS(g, 0, "registration 1 of 1, 3 in all");
	ROW_HAS(g, 2, " sip:petrak@uclab.org ");
	pane_free(p);
	grid_free(g);
	view_free(v);
	engine_free(e);
}
END_TEST

/* An end the log does not give (a server's event names no peer) is "?" in
 * the detail, as --list and --flow write it; the viewer wrote "-". The
 * list shows an event, which has no direction, by the end it names alone
 * (it wrote "172.31.255.247:51311 → ?"). */
START_TEST(test_unknown_end)
{
	struct engine *e;
	struct view *v = open_view(&e, "data/sample.cls.log", 1, NULL);
	struct pane *list, *detail;
	char *text, *line;

	view_select(v, 18);	/* TL_WARN: Call was cancelled ... */
	list = pane_list_new(v);
	list->utf8 = 1;
	text = pane_text(list, 120, 30);
	line = strstr(text, " 172.31.255.247:51311                   diag: "
			  "Call was cancelled");
	ck_assert_msg(line != NULL, "%s", text);
	ck_assert_ptr_null(strstr(text, "→ -"));
	ck_assert_ptr_null(strstr(text, "→ ?"));
	free(text);
	detail = pane_detail_new(v);
	text = pane_text(detail, 120, 30);
	/* The detail too: the event's one end, no arrow. */
	ck_assert_msg(strstr(text, ".958  172.31.255.247:51311  ") != NULL,
		      "%s", text);
	ck_assert_ptr_null(strstr(text, "-> ?"));
	free(text);
	pane_free(list);
	pane_free(detail);
	view_free(v);
	engine_free(e);
}
END_TEST

/* --dialog N while following, before dialog N came: the status line says
 * it is waited for between the messages of keys, with the count of
 * dialogs as it is, for as long as it is (not once following stopped);
 * the next key took it away. */
START_TEST(test_dialog_awaited_status)
{
	char dir[] = "/tmp/check_panes.XXXXXX", path[128];
	struct engine *e = engine_new();
	struct view *v;
	struct screen *s;
	struct grid *g = grid_new(100, 20);
	char *err = NULL, row[256];
	int errcol;

	later_log(dir, path, sizeof path);
	engine_follow(e, 1);
	ck_assert_int_ge(engine_add_file(e, TEST_DATA "/call-busy.raw.sip",
					 NULL, &err), 0);
	engine_await_file(e, path, NULL, 0);
	engine_run(e);
	v = view_new(e, NULL, NULL, &err, &errcol);
	ck_assert_ptr_nonnull(v);
	s = screen_new(e, v, 1);
	s->follow = 1;
	ck_assert(screen_following(s));
	s->await_dialog = 5;
	screen_draw(s, g);
	ck_assert_str_eq(report_row(g, 19, row, sizeof row),
			 "no dialog 5 yet (there are 2): waiting for it");
	/* A key's own message first, then the wait again. */
	keys(s, "t");
	screen_draw(s, g);
	ROW_HAS(g, 19, "time: delta");
	keys(s, "j");
	screen_draw(s, g);
	ck_assert_str_eq(report_row(g, 19, row, sizeof row),
			 "no dialog 5 yet (there are 2): waiting for it");
	/* Not following, nothing is waited for. */
	keys(s, "Fj");
	ck_assert(!screen_following(s));
	screen_draw(s, g);
	ck_assert_ptr_null(strstr(report_row(g, 19, row, sizeof row),
				  "no dialog"));
	keys(s, "Fj");
	screen_draw(s, g);
	ck_assert_str_eq(report_row(g, 19, row, sizeof row),
			 "no dialog 5 yet (there are 2): waiting for it");
	/* Once it came, the app opens it and waits no more. */
	s->await_dialog = 0;
	screen_draw(s, g);
	ck_assert_ptr_null(strstr(report_row(g, 19, row, sizeof row),
				  "no dialog"));
	screen_free(s);
	grid_free(g);
	view_free(v);
	engine_free(e);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* An arrow that runs past the pane's edge keeps its label on the part in
 * view (it was centred on the whole arrow, off the pane, and lost). */
START_TEST(test_flow_label_cut_arrow)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/wide-flow.sngrep.txt", 0,
				   NULL);
	struct pane *p;
	struct grid *g = grid_new(60, 40);
	char row[256];
	int y, arrows = 0, labels = 0;

	v->flow_all = 1;
	p = pane_flow_new(v);
	pane_draw(p, g, (struct rect){ 0, 0, 60, 40 });
	for (y = 1; y < 40; y++) {
		report_row(g, y, row, sizeof row);
		if (strstr(row, "OPTIONS") != NULL)
			labels++;
		/* An arrow's line: its time, then the arrow. */
		if (strstr(row, "10:00:") != NULL)
			arrows++;
	}
	ck_assert_int_ge(arrows, 12);
	ck_assert_int_eq(labels, arrows);
	pane_free(p);
	view_free(v);
	engine_free(e);
	grid_free(g);
}
END_TEST

/* A flow of one column (a server's events alone) puts it at the left, so
 * that its notes have the pane's width: centred, each note was cut to
 * the half of the pane left of it. */
START_TEST(test_flow_one_column_notes)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/conn.cls.log", 0, NULL);
	struct pane *p;
	struct grid *g = grid_new(60, 12);
	char row[256];
	int y, whole = 0;

	v->flow_all = 1;
	p = pane_flow_new(v);
	pane_draw(p, g, (struct rect){ 0, 0, 60, 12 });
	for (y = 1; y < 12; y++) {
		report_row(g, y, row, sizeof row);
		if (strstr(row, "TL_ERROR: Receive operation on the con") !=
		    NULL)
			whole++;
	}
	ck_assert_int_eq(whole, 1);
	pane_free(p);
	view_free(v);
	engine_free(e);
	grid_free(g);
}
END_TEST

/* The flow pane marks a change of day on a line of its own, as --flow
 * does: the date when the log gives one, "+1d" past midnight of a log
 * that gives the time of day alone; it showed 23:59:59.210 then
 * 00:10:01.300 as if on one day. Clicks and scrolling count that line. */
START_TEST(test_flow_day_change)
{
	struct engine *e;
	struct view *v = open_view(&e, TEST_DATA "/cross-day.sngrep.txt", 0,
				   NULL);
	struct pane *p;
	struct grid *g = grid_new(60, 14);
	struct rect r = { 0, 0, 60, 14 };
	char row[256];

	p = pane_flow_new(v);
	pane_draw(p, g, r);
	/* Heading, column names, then two lines a row: ACK's arrow on line
	 * 7, the day on line 8, BYE's label and arrow on 9 and 10. */
	ROW_HAS(g, 6, "ACK");
	ck_assert_str_eq(report_row(g, 8, row, sizeof row),
			 " 2025-03-12              |                        |");
	ROW_HAS(g, 9, "BYE");
	ROW_HAS(g, 10, "00:10:01.300000");
	/* No other line says a day: the first is no change. */
	ck_assert_ptr_null(strstr(report_row(g, 2, row, sizeof row),
				  "2025-03-11"));
	/* A click on BYE's arrow selects it; on the day line, nothing. */
	ck_assert_int_eq(pane_click(p, 10, 8) & RE_SELECT, 0);
	ck_assert_int_ne(pane_click(p, 10, 10) & RE_SELECT, 0);
	ck_assert_str_eq(engine_str(e, msgindex_method(engine_index(e),
						       view_sel_id(v))), "BYE");
	/* In a pane with room for two rows, BYE selected: the day stays
	 * above it. */
	grid_free(g);
	g = grid_new(60, 8);
	pane_draw(p, g, (struct rect){ 0, 0, 60, 8 });
	ck_assert_str_eq(report_row(g, 4, row, sizeof row),
			 " 2025-03-12              |                        |");
	ROW_HAS(g, 6, "00:10:01.300000");
	ROW_HAS(g, 0, "arrows 3-4/4");
	pane_free(p);
	view_free(v);
	engine_free(e);

	/* The time of day alone: "+1d" past midnight. */
	v = open_view(&e, TEST_DATA "/fmt/freeswitch-midnight.log", 0, NULL);
	p = pane_flow_new(v);
	pane_draw(p, g, (struct rect){ 0, 0, 60, 8 });
	ROW_HAS(g, 3, "23:59:59.800");
	ck_assert_str_eq(report_row(g, 4, row, sizeof row),
			 " +1d                       |                           |");
	ROW_HAS(g, 5, "180 Ringing");
	pane_free(p);
	view_free(v);
	engine_free(e);
	grid_free(g);
}
END_TEST

/* A filter typed at f that holds a word written like a field that is
 * none: the status line names it, as the batch outputs do on standard
 * error, whatever matches (it said only "0 messages match"). */
START_TEST(test_filter_fieldlike_hint)
{
	struct screen *s = screen_new(eng, view, 1);

	keys(s, "fstauts:401");
	screen_key(s, KEYC_ENTER);
	ck_assert_uint_eq(view->nids, 0);
	ck_assert_str_eq(s->status, "no message matches: stauts is no field "
			 "name, stauts:401 was read as free text  (Esc: back)");
	ck_assert(!s->status_error);
	screen_key(s, KEYC_ESC);
	/* Nothing matching without such a word: the count alone. */
	keys(s, "fuser:nobody");
	screen_key(s, KEYC_ENTER);
	ck_assert_str_eq(s->status, "0 messages match  (Esc: back)");
	screen_key(s, KEYC_ESC);
	/* Such a word with matches: said too (the word may be in some
	 * messages' text, and the count would be trusted). */
	keys(s, "fstatus:401 or stauts:401");
	screen_key(s, KEYC_ENTER);
	ck_assert_str_eq(s->status, "2 messages match, but stauts is no field "
			 "name: stauts:401 was read as free text  (Esc: back)");
	screen_free(s);
}
END_TEST

/* An empty list under a filter with a word written like a field that is
 * none (as -f gave it): the list names it under "no message matches". */
START_TEST(test_list_fieldlike)
{
	struct view *v;
	struct pane *p;
	char *err = NULL, *text;
	int col;

	v = view_new(eng, rules, "stauts:401", &err, &col);
	ck_assert_ptr_nonnull(v);
	view_filter_finish(v);
	ck_assert_uint_eq(v->nids, 0);
	p = pane_list_new(v);
	text = pane_text(p, 100, 5);
	ck_assert_msg(strstr(text, "no message matches the filter\n  stauts "
			      "is no field name: stauts:401 was read as free "
			      "text") != NULL, "%s", text);
	free(text);
	pane_free(p);
	view_free(v);
	/* Nothing matching without such a word: nothing more said. */
	v = view_new(eng, rules, "user:nobody", &err, &col);
	ck_assert_ptr_nonnull(v);
	view_filter_finish(v);
	p = pane_list_new(v);
	text = pane_text(p, 100, 5);
	ck_assert_ptr_null(strstr(text, "no field name"));
	free(text);
	pane_free(p);
	view_free(v);
}
END_TEST

/* Fills g with a mark that no pane draws ('#' in ROLE_MATCH). */
static void
mark_grid(struct grid *g)
{
	struct grid_cell mark = {"#", 1, 1, ROLE_MATCH};
	int i;

	for (i = 0; i < g->w * g->h; i++)
		g->cells[i] = mark;
}

/* Draws p into rectangles of every small height and a few widths, in the
 * middle of a marked grid, and asserts that no cell outside the rectangle
 * changed: a pane draws over its neighbours and the status line
 * otherwise (the screen draws the status line last, which hid it). */
static void
assert_draws_inside(struct pane *p, const char *what)
{
	static const int ws[] = {1, 2, 3, 8, 20, 40, 55, 56, 80, 130};
	struct grid *g = grid_new(140, 16);
	size_t i;
	int h, x, y;

	for (i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		for (h = 1; h <= 10; h++) {
			struct rect r = {4, 3, ws[i], h};

			mark_grid(g);
			pane_draw(p, g, r);
			for (y = 0; y < g->h; y++) {
				for (x = 0; x < g->w; x++) {
					const struct grid_cell *c =
					    grid_cell(g, x, y);

					if (x >= r.x && x < r.x + r.w &&
					    y >= r.y && y < r.y + r.h)
						continue;
					/* Not ck_assert: Check records every
					 * one that passes. */
					if (c->role != ROLE_MATCH ||
					    c->ch[0] != '#')
						ck_abort_msg("%s in %dx%d drew "
							     "at %d,%d (line "
							     "%d of the pane)",
							     what, r.w, r.h, x,
							     y, y - r.y);
				}
			}
		}
	}
	grid_free(g);
}

/* Every pane keeps to its rectangle, however small: the flow pane with
 * two lines of content (heading and three lines: a stacked layout 10 or
 * 11 lines high) drew its arrow on the line below. */
START_TEST(test_panes_inside)
{
	static const char *const files[] = {
	    TEST_DATA "/remote-ntlm.cls.log", TEST_DATA "/cross-day.sngrep.txt",
	    TEST_DATA "/many-hosts.sngrep.txt", TEST_DATA "/wide-flow.sngrep.txt"};
	struct pane *p;
	struct engine *e;
	struct view *v;
	char what[128];
	size_t i;
	int all, sel;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		v = open_view(&e, files[i], 1, NULL);
		for (sel = 0; sel < 2; sel++) {
			view_select(v, sel ? (long)v->nids - 1 : 0);
			for (all = 0; all < 2; all++) {
				v->flow_all = all;
				p = pane_flow_new(v);
				p->utf8 = all;
				snprintf(what, sizeof what, "flow of %s%s",
					 files[i], all ? " (all)" : "");
				assert_draws_inside(p, what);
				pane_free(p);
			}
			p = pane_list_new(v);
			assert_draws_inside(p, "list");
			pane_free(p);
			p = pane_detail_new(v);
			assert_draws_inside(p, "detail");
			p->wrap = 1;
			assert_draws_inside(p, "detail (wrapped)");
			pane_free(p);
		}
		p = pane_report_new(v);
		assert_draws_inside(p, "report");
		pane_free(p);
		p = pane_warnings_new(e, 0, 1, NULL);
		assert_draws_inside(p, "warnings");
		pane_free(p);
		view_free(v);
		engine_free(e);
	}
	p = pane_help_new();
	assert_draws_inside(p, "help");
	pane_free(p);

	/* With two lines of content, the row's label and its arrow, not the
	 * names of the columns and the label alone. */
	{
		struct grid *g = grid_new(60, 4);
		char row[256];

		p = pane_flow_new(view);
		view_select(view, 0);
		pane_draw(p, g, (struct rect){0, 0, 60, 3});
		ROW_HAS(g, 0, "arrows 1-1/6");
		ROW_HAS(g, 1, "REGISTER");
		ROW_HAS(g, 2, ">08:01:12.415");
		ROW_HAS(g, 2, "---->|");
		ck_assert_str_eq(report_row(g, 3, row, sizeof row), "");
		pane_free(p);
		grid_free(g);
	}
}
END_TEST

START_TEST(test_too_small)
{
	struct screen *s = screen_new(eng, view, 1);
	struct grid *g = grid_new(20, 6);
	struct strbuf sb;

	screen_draw(s, g);
	strbuf_init(&sb);
	grid_dump(g, &sb, 0);
	ck_assert_str_eq(sb.buf,
			 "\n\n Terminal too small\n  20x6, need 40x10\n\n\n");
	grid_resize(g, 10, 3);
	strbuf_reset(&sb);
	screen_draw(s, g);
	grid_dump(g, &sb, 0);
	ck_assert_str_eq(sb.buf, "too small\n\n\n");
	strbuf_free(&sb);
	grid_free(g);
	screen_free(s);
}
END_TEST

/* A save to a named pipe never blocks: with no reader it waits for one
 * (open(2) held the viewer, deaf to keys and SIGTERM), a key cancels it
 * and says so, and once a reader opens the pipe it is written in steps. */
/* A save that fails part way (a full disk; here the file size limit,
 * SIGXFSZ ignored as the viewer does) says "not saved" and leaves no file
 * cut short behind, which would pass for the messages saved. */
START_TEST(test_save_cut_short)
{
	struct screen *s = screen_new(eng, view, 1);
	char dir[] = "/tmp/sipsnoop-panes.XXXXXX", path[64], *err = NULL;
	struct rlimit rl;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.log", dir);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 1024;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(screen_save(s, path, 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "File too large"));
	ck_assert_msg(stat(path, &st) != 0, "%s left behind, %lld bytes",
		      path, (long long)st.st_size);
	free(err);
	err = NULL;
	/* Within the limit, the same save is made. */
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(screen_save(s, path, 0, &err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_gt(st.st_size, 1024);
	unlink(path);
	rmdir(dir);
	screen_free(s);
}
END_TEST

START_TEST(test_save_fifo)
{
	struct screen *s = screen_new(eng, view, 1);
	char dir[] = "/tmp/sipsnoop-panes.XXXXXX", path[64], *err = NULL;
	char buf[4096], *msg;
	struct strbuf got, want;
	size_t i;
	ssize_t n;
	int fd, rfd, steps;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_uint_eq(view->nids, 6);
	/* No reader: started, waiting for one; a step does not block. */
	ck_assert_int_eq(screen_save_start(s, path, 0, &err), 0);
	ck_assert_int_eq(screen_save_wait(s, &fd), SCREEN_SAVE_READER);
	ck_assert_int_eq(screen_save_step(s, 100), 0);
	ck_assert_int_eq(screen_save_wait(s, &fd), SCREEN_SAVE_READER);
	/* Esc (or C-c, q) cancels it, and the status line says so. */
	ck_assert_int_eq(screen_key(s, 'j'), RE_NONE);
	ck_assert_int_eq(screen_key(s, KEYC_CTRL('c')), RE_REDRAW);
	ck_assert_int_eq(screen_save_wait(s, &fd), SCREEN_SAVE_NONE);
	snprintf(buf, sizeof buf, "save to %s cancelled: no reader came",
		 path);
	ck_assert_str_eq(s->status, buf);
	ck_assert_ptr_null(screen_save_cancel(s));
	/* A reader: one message a step, then done. */
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rfd, 0);
	ck_assert_int_eq(screen_save_start(s, path, 0, &err), 0);
	strbuf_init(&got);
	for (steps = 0; !screen_save_step(s, 1); steps++) {
		ck_assert_int_ne(screen_save_wait(s, &fd), SCREEN_SAVE_NONE);
		while ((n = read(rfd, buf, sizeof buf)) > 0)
			strbuf_add(&got, buf, (size_t)n);
	}
	while ((n = read(rfd, buf, sizeof buf)) > 0)
		strbuf_add(&got, buf, (size_t)n);
	ck_assert_int_ge(steps, 5);
	snprintf(buf, sizeof buf, "saved 6 messages to %s", path);
	ck_assert_str_eq(s->status, buf);
	strbuf_init(&want);
	for (i = 0; i < view->nids; i++) {
		struct span t = engine_record_text(eng, view->ids[i]);

		strbuf_add(&want, t.p, t.n);
		if (t.n > 0 && t.p[t.n - 1] != '\n')
			strbuf_addc(&want, '\n');
	}
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_int_eq(memcmp(got.buf, want.buf, got.len), 0);
	/* A reader gone: an error, not SIGPIPE (ignored, as app.c does). */
	close(rfd);
	signal(SIGPIPE, SIG_IGN);
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_eq(screen_save_start(s, path, 0, &err), 0);
	ck_assert_int_eq(screen_save_step(s, 0), 0);	/* opened */
	close(rfd);
	while (!screen_save_step(s, 1))
		;
	ck_assert_ptr_nonnull(strstr(s->status, "not saved: "));
	ck_assert_ptr_nonnull(strstr(s->status, "Broken pipe"));
	signal(SIGPIPE, SIG_DFL);
	msg = screen_save_cancel(s);
	ck_assert_ptr_null(msg);
	strbuf_free(&got);
	strbuf_free(&want);
	unlink(path);
	rmdir(dir);
	screen_free(s);
}
END_TEST

START_TEST(test_save)
{
	struct screen *s = screen_new(eng, view, 1);
	char dir[] = "/tmp/sipsnoop-panes.XXXXXX", path[64], *err = NULL;
	char *text;
	struct span t;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.log", dir);
	ck_assert_int_eq(
	    screen_save(s, TEST_DATA "/remote-ntlm.cls.log", 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "input file"));
	free(err);
	err = NULL;
	view_select(view, 0);
	view_push_filter(view, "status:200", &err, NULL);
	ck_assert_int_eq(screen_save(s, path, 0, &err), 0);
	text = test_slurp(path, NULL);
	t = engine_record_text(eng, view->ids[0]);
	ck_assert_uint_ge(strlen(text), t.n);
	ck_assert_int_eq(memcmp(text, t.p, t.n), 0);
	free(text);
	/* Existing file: refused unless overwrite is set. */
	ck_assert_int_eq(screen_save(s, path, 0, &err), -1);
	free(err);
	ck_assert_int_eq(screen_save(s, path, 1, &err), 0);
	unlink(path);
	rmdir(dir);
	screen_free(s);
}
END_TEST

/* Saved from a capture, or from logs of two formats: sngrep text that
 * reads back with the same messages, times and addresses (the server
 * log's diagnostic events left out). */
START_TEST(test_save_converted)
{
	static const char *const inputs[][2] = {
		{ TEST_DATA "/pcap/call-udp.pcapng", NULL },
		{ TEST_DATA "/call-cancel.cls.log",
		  TEST_DATA "/remote-ntlm.uccapilog" },
		/* One format, but two servers' ends named after their
		 * files, which records alone would lose. */
		{ TEST_DATA "/remote-ntlm.cls.log",
		  TEST_DATA "/fe-nohost.cls.log" },
		/* Times of day alone, past midnight: on 0000/01/01 and
		 * 0000/01/02, read back as times of day on those days. */
		{ TEST_DATA "/fmt/baresip-midnight.log", NULL },
		/* Messages without a time (raw SIP) among timed ones: on
		 * 0000/00/00, read back as none (they read back as 00:00). */
		{ TEST_DATA "/call-busy.raw.sip",
		  TEST_DATA "/remote-ntlm.cls.log" },
		/* Asterisk does not log its own address: an end unknown,
		 * which reads back unknown (it read back as "-"). */
		{ TEST_DATA "/fmt/asterisk-full.log",
		  TEST_DATA "/remote-ntlm.cls.log" },
	};
	char dir[] = "/tmp/sipsnoop-panes.XXXXXX", path[64], *err = NULL;
	int errcol;
	size_t k, i, j, left, ndiag;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.txt", dir);
	for (k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
		struct engine *a = engine_new(), *b = engine_new();
		struct view *v;
		struct screen *s;

		for (i = 0; i < 2 && inputs[k][i] != NULL; i++)
			ck_assert_int_ge(engine_add_file(a, inputs[k][i], NULL,
							 &err), 0);
		engine_run(a);
		v = view_new(a, NULL, NULL, &err, &errcol);
		ck_assert_ptr_nonnull(v);
		s = screen_new(a, v, 1);
		ck_assert_int_eq(screen_save(s, path, 1, &err), 0);
		ck_assert_int_eq(screen_saved_as_text(s, &left), 1);
		for (ndiag = 0, i = 0; i < v->nids; i++)
			ndiag += msgindex_get(engine_index(a),
					      v->ids[i])->kind == MSG_DIAG;
		ck_assert_uint_eq(left, ndiag);
		ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
		engine_run(b);
		ck_assert_str_eq(engine_file(b, 0)->fmt->name, "sngrep");
		ck_assert_uint_eq(msgindex_count(engine_index(b)),
				  v->nids - ndiag);
		for (i = 0, j = 0; i < v->nids; i++) {
			const struct msg *x = msgindex_get(engine_index(a),
							   v->ids[i]);
			const struct msg *y;
			uint32_t xs, xd, ys, yd;

			if (x->kind == MSG_DIAG)
				continue;
			y = msgindex_get(engine_index(b), (uint32_t)j);
			ck_assert_int_eq(x->time, y->time);
			ck_assert_int_eq(msg_time_dating(x),
					 msg_time_dating(y));
			ck_assert_uint_eq(x->status, y->status);
			engine_msg_ends(a, v->ids[i], &xs, &xd);
			engine_msg_ends(b, (uint32_t)j, &ys, &yd);
			ck_assert_str_eq(engine_str(a, xs), engine_str(b, ys));
			ck_assert_str_eq(engine_str(a, xd), engine_str(b, yd));
			ck_assert_str_eq(engine_call_id(a, x->call_id),
					 engine_call_id(b, y->call_id));
			j++;
		}
		screen_free(s);
		view_free(v);
		engine_free(a);
		engine_free(b);
	}
	/* What a time of day alone is written as. */
	{
		struct engine *a = engine_new();
		struct view *v;
		struct screen *s;
		char *text;

		ck_assert_int_ge(engine_add_file(a, TEST_DATA
		    "/fmt/baresip-midnight.log", NULL, &err), 0);
		engine_run(a);
		v = view_new(a, NULL, NULL, &err, &errcol);
		s = screen_new(a, v, 1);
		ck_assert_int_eq(screen_save(s, path, 1, &err), 0);
		text = test_slurp(path, NULL);
		ck_assert_int_eq(strncmp(text, "0000/01/01 23:59:59.900000 ", 27), 0);
		ck_assert_ptr_nonnull(strstr(text, "\n0000/01/02 00:00:00.100000 "));
		ck_assert_ptr_null(strstr(text, "1970/"));
		free(text);
		screen_free(s);
		view_free(v);
		engine_free(a);
	}
	/* A PBX log's own end is written "local", as --list writes it. */
	{
		struct engine *a = engine_new();
		struct view *v;
		struct screen *s;
		char *text;

		ck_assert_int_ge(engine_add_file(a, TEST_DATA
		    "/fmt/freeswitch-midnight.log", NULL, &err), 0);
		engine_run(a);
		v = view_new(a, NULL, NULL, &err, &errcol);
		s = screen_new(a, v, 1);
		ck_assert_int_eq(screen_save(s, path, 1, &err), 0);
		ck_assert_int_eq(screen_saved_as_text(s, &left), 1);
		text = test_slurp(path, NULL);
		ck_assert_msg(strncmp(text, "0000/01/01 23:59:59.800000 "
				      "198.51.100.23:5060 -> local\n", 55) == 0,
			      "%s", text);
		ck_assert_ptr_nonnull(strstr(text, "\n0000/01/02 00:00:00.300000 "
						   "local -> 198.51.100.23:5060\n"));
		free(text);
		screen_free(s);
		view_free(v);
		engine_free(a);
	}
	/* One log read as it is: its own records. */
	{
		struct screen *s = screen_new(eng, view, 1);

		ck_assert_int_eq(screen_save(s, path, 1, &err), 0);
		ck_assert_int_eq(screen_saved_as_text(s, &left), 0);
		screen_free(s);
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
panes_suite(void)
{
	Suite *s = suite_create("panes");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_golden_100x30);
	tcase_add_test(tc, test_golden_80x24);
	tcase_add_test(tc, test_list_roles);
	tcase_add_test(tc, test_list_time_modes);
	tcase_add_test(tc, test_detail_day);
	tcase_add_test(tc, test_search_highlight);
	tcase_add_test(tc, test_view_filters);
	tcase_add_test(tc, test_prompt_editing);
	tcase_add_test(tc, test_prompt_draw_hidden_control);
	tcase_add_test(tc, test_screen_keys);
	tcase_add_test(tc, test_clear_back_to_cmdline);
	tcase_add_test(tc, test_search_cancel);
	tcase_add_test(tc, test_search_hidden);
	tcase_add_test(tc, test_search_list_changed);
	tcase_add_test(tc, test_filter_steps);
	tcase_add_test(tc, test_filter_steps_screen);
	tcase_add_test(tc, test_search_extend);
	tcase_add_test(tc, test_search_hits);
	tcase_add_test(tc, test_search_extend_changed);
	tcase_add_test(tc, test_filter_steps_indexing_ends);
	tcase_add_test(tc, test_filter_steps_then_dialog);
	tcase_add_test(tc, test_merge_keeps_selection);
	tcase_add_test(tc, test_report_merge_keeps_registration);
	tcase_add_test(tc, test_warnings_awaited);
	tcase_add_test(tc, test_report_narrow_outcome);
	tcase_add_test(tc, test_report_fits_content);
	tcase_add_test(tc, test_warnings_unread_once);
	tcase_add_test(tc, test_warnings_rules_why);
	tcase_add_test(tc, test_user_of_event);
	tcase_add_test(tc, test_user_host_only);
	tcase_add_test(tc, test_list_wide_callid);
	tcase_add_test(tc, test_list_addresses);
	tcase_add_test(tc, test_detail_wrap_spaces);
	tcase_add_test(tc, test_detail_escape_forms);
	tcase_add_test(tc, test_report_retry_offered);
	tcase_add_test(tc, test_report_follows_filter);
	tcase_add_test(tc, test_report_opens_on_selected);
	tcase_add_test(tc, test_view_completed);
	tcase_add_test(tc, test_unknown_end);
	tcase_add_test(tc, test_dialog_awaited_status);
	tcase_add_test(tc, test_flow_day_change);
	tcase_add_test(tc, test_flow_one_column_notes);
	tcase_add_test(tc, test_flow_label_cut_arrow);
	tcase_add_test(tc, test_filter_fieldlike_hint);
	tcase_add_test(tc, test_list_fieldlike);
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_panes_inside);
	tcase_add_test(tc, test_save);
	tcase_add_test(tc, test_save_fifo);
	tcase_add_test(tc, test_save_cut_short);
	tcase_add_test(tc, test_save_converted);
	tcase_add_test(tc, test_put_cut_long_address);
	tcase_add_test(tc, test_report_in_steps);
	tcase_add_test(tc, test_report_unknown_client);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	sr = srunner_create(panes_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
