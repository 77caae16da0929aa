/* layout: pane rectangles from the terminal size. Kept pure so every size
 * from 20x6 to very large can be checked in a unit test, and a resize is
 * just "recompute and redraw". */
#include "layout.h"
#include "util.h"

/* Side by side below this width leaves panes too thin to read. */
#define LAYOUT_SPLIT_MIN_W 80
#define LAYOUT_WIDE_MIN_W 140

static const char *const layout_names[LAYOUT__COUNT] = {"split", "stack",
							"wide"};

const char *
layout_mode_name(enum layout_mode mode)
{
	if ((int)mode < 0 || mode >= LAYOUT__COUNT)
		return "?";
	return layout_names[mode];
}

static struct rect
layout_rect(int x, int y, int w, int h)
{
	struct rect r = {x, y, w, h};

	if (r.w <= 0 || r.h <= 0)
		r.w = r.h = 0;
	return r;
}

void
layout_compute(struct layout *l, int w, int h, enum layout_mode mode,
	       int maximised)
{
	struct rect b;
	int top, left, i;

	*l = (struct layout){0};
	if ((int)mode < 0 || mode >= LAYOUT__COUNT)
		mode = LAYOUT_SPLIT;
	if (w < LAYOUT_MIN_W || h < LAYOUT_MIN_H) {
		l->too_small = 1;
		l->mode = mode;
		l->body = layout_rect(0, 0, w, h);
		return;
	}
	l->title = layout_rect(0, 0, w, 1);
	l->status = layout_rect(0, h - 1, w, 1);
	b = l->body = layout_rect(0, 1, w, h - 2);

	if (mode == LAYOUT_WIDE && w < LAYOUT_WIDE_MIN_W)
		mode = LAYOUT_SPLIT;
	if (mode == LAYOUT_SPLIT && w < LAYOUT_SPLIT_MIN_W)
		mode = LAYOUT_STACK;
	l->mode = mode;

	if (maximised >= 0 && maximised < LP__COUNT) {
		l->pane[maximised] = b;
		return;
	}
	switch (mode) {
	case LAYOUT_SPLIT:
		/* The list gets about 40%, never less than 4 rows (heading
		 * and three messages), and leaves the lower panes 5. */
		top = b.h * 2 / 5;
		if (top < 4)
			top = 4;
		if (b.h - top < 5)
			top = b.h - 5;
		left = (w - 1) / 2;
		l->pane[LP_LIST] = layout_rect(b.x, b.y, w, top);
		l->pane[LP_DETAIL] =
		    layout_rect(b.x, b.y + top, left, b.h - top);
		l->sep[0] = layout_rect(b.x + left, b.y + top, 1, b.h - top);
		l->pane[LP_FLOW] = layout_rect(b.x + left + 1, b.y + top,
					       w - left - 1, b.h - top);
		break;
	case LAYOUT_STACK:
		top = b.h / 3;
		if (top < 3)
			top = 3;
		left = (b.h - top) / 2; /* detail rows */
		l->pane[LP_LIST] = layout_rect(b.x, b.y, w, top);
		l->pane[LP_DETAIL] = layout_rect(b.x, b.y + top, w, left);
		l->pane[LP_FLOW] =
		    layout_rect(b.x, b.y + top + left, w, b.h - top - left);
		break;
	case LAYOUT_WIDE:
	default:
		left = w / 2;
		top = b.h / 2;
		l->pane[LP_LIST] = layout_rect(b.x, b.y, left, b.h);
		l->sep[0] = layout_rect(b.x + left, b.y, 1, b.h);
		l->pane[LP_DETAIL] =
		    layout_rect(b.x + left + 1, b.y, w - left - 1, top);
		l->pane[LP_FLOW] = layout_rect(b.x + left + 1, b.y + top,
					       w - left - 1, b.h - top);
		break;
	}
	for (i = 0; i < LP__COUNT; i++) {
		if (l->pane[i].h < 2)
			l->pane[i] = layout_rect(0, 0, 0, 0);
	}
}

static int
layout_in(struct rect r, int x, int y)
{
	return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int
layout_pane_at(const struct layout *l, int x, int y)
{
	int i;

	if (l->too_small)
		return LP_NONE;
	for (i = 0; i < LP__COUNT; i++) {
		if (layout_in(l->pane[i], x, y))
			return i;
	}
	return LP_NONE;
}

static void
layout_dump_rect(struct strbuf *sb, const char *name, struct rect r)
{
	if (r.w == 0 || r.h == 0)
		strbuf_addf(sb, "%s -\n", name);
	else
		strbuf_addf(sb, "%s %d,%d %dx%d\n", name, r.x, r.y, r.w, r.h);
}

void
layout_dump(const struct layout *l, struct strbuf *sb)
{
	if (l->too_small) {
		strbuf_addf(sb, "too small %dx%d\n", l->body.w, l->body.h);
		return;
	}
	strbuf_addf(sb, "mode %s\n", layout_mode_name(l->mode));
	layout_dump_rect(sb, "title", l->title);
	layout_dump_rect(sb, "list", l->pane[LP_LIST]);
	layout_dump_rect(sb, "detail", l->pane[LP_DETAIL]);
	layout_dump_rect(sb, "flow", l->pane[LP_FLOW]);
	if (l->sep[0].w)
		layout_dump_rect(sb, "sep", l->sep[0]);
	layout_dump_rect(sb, "status", l->status);
}
