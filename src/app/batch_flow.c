/* batch_flow: sipsnoop --flow, the ladder diagram of the selected messages
 * on stdout, as text (box drawing or ASCII, fitted to --width) or as a
 * standalone SVG document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "batch.h"
#include "engine.h"
#include "flow.h"

/* The most characters a text ladder is drawn in: at least two lines a
 * message, each at least FLOW_MIN_GAP characters a column wide, built in
 * memory before it is written. The 100 MB bench log's 106,000 messages
 * between 21,600 ends would be 55 billion characters: it ran for minutes
 * and was never written. This is 128 MB of a reasonable one's worth. */
#define BATCH_FLOW_MAX_CELLS (UINT64_C(1) << 27)

int
batch_flow(struct engine *e, const struct batch_opts *o, FILE *out)
{
	struct flow_opts fo = { 0 };
	struct flow_render_opts ro;
	struct flow *fl;
	struct strbuf sb;
	const char *nl;
	size_t i, j;
	int width;

	fo.merge_hosts = o->merge_hosts;
	/* The SVG has room for the request URI; the terminal has not. */
	fo.show_ruri = o->svg;
	fl = flow_build(e, o->sel, o->nsel, &fo);
	strbuf_init(&sb);
	if (o->svg)
		flow_render_svg(fl, e, &sb);
	else if (((uint64_t)fl->nrows * 2 + 3) * fl->ncols * FLOW_MIN_GAP >
		 BATCH_FLOW_MAX_CELLS) {
		fprintf(stderr, "sipsnoop: --flow: %zu messages between %zu "
			"columns would be %zu lines of %zu characters or "
			"more: narrow the selection (-f, --dialog), use "
			"--merge-hosts, or --flow=svg\n", fl->nrows, fl->ncols,
			fl->nrows * 2 + 3, fl->ncols * FLOW_MIN_GAP);
		flow_free(fl);
		strbuf_free(&sb);
		return 2;
	} else {
		ro.width = o->width > 0 ? o->width : 100;
		ro.utf8 = o->utf8;
		ro.times = 1;
		width = flow_render_text(fl, &ro, &sb);
		/* A ladder of thousands of endpoints is as wide as they are
		 * many: say so when its lines are over four times too long
		 * (they will not be read). */
		if (width > 4 * ro.width)
			fprintf(stderr, "sipsnoop: --flow: %zu columns need "
				"lines of %d characters, wider than %d; "
				"narrow the selection (-f, --dialog) or use "
				"--merge-hosts\n", fl->ncols, width, ro.width);
	}
	/* A line at a time through the stream's buffer, as the other modes
	 * write: the caller's flush at the end then fails with the reason
	 * (one large write that failed would leave it none to give). */
	for (i = 0; i < sb.len; i = j) {
		nl = memchr(sb.buf + i, '\n', sb.len - i);
		j = nl != NULL ? (size_t)(nl - sb.buf) + 1 : sb.len;
		fwrite(sb.buf + i, 1, j - i, out);
	}
	strbuf_free(&sb);
	flow_free(fl);
	return 0;
}
