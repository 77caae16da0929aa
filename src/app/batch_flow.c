/* batch_flow: sipsnoop --flow, the ladder diagram of the selected messages
 * on stdout, as text (box drawing or ASCII, fitted to --width) or as a
 * standalone SVG document. */
#include <stdio.h>
#include <stdlib.h>

#include "util.h"
#include "batch.h"
#include "engine.h"
#include "flow.h"

int
batch_flow(struct engine *e, const struct batch_opts *o, FILE *out)
{
	struct flow_opts fo = { 0 };
	struct flow_render_opts ro;
	struct flow *fl;
	struct strbuf sb;
	int rc = 0;

	fo.merge_hosts = o->merge_hosts;
	/* The SVG has room for the request URI; the terminal has not. */
	fo.show_ruri = o->svg;
	fl = flow_build(e, o->sel, o->nsel, &fo);
	strbuf_init(&sb);
	if (o->svg)
		flow_render_svg(fl, e, &sb);
	else {
		ro.width = o->width > 0 ? o->width : 100;
		ro.utf8 = o->utf8;
		ro.times = 1;
		/* A ladder of thousands of endpoints is as wide as they are
		 * many: say so when its lines are over four times too long
		 * (they will not be read). */
		if (fl->ncols * FLOW_MIN_GAP > 4 * (size_t)ro.width)
			fprintf(stderr, "sipsnoop: --flow: %zu columns need "
				"lines of at least %zu characters, wider than "
				"%d; narrow the selection (-f, --dialog) or "
				"use --merge-hosts\n", fl->ncols,
				fl->ncols * FLOW_MIN_GAP, ro.width);
		flow_render_text(fl, &ro, &sb);
	}
	if (sb.len > 0 && fwrite(sb.buf, 1, sb.len, out) != sb.len)
		rc = -1;
	if (fflush(out) != 0)
		rc = -1;	/* the caller says so, once */
	strbuf_free(&sb);
	flow_free(fl);
	return rc;
}
