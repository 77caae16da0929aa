/* flow: the ladder diagram of a set of messages as a pure model: columns
 * (endpoints, in order of first appearance) and rows (one arrow per SIP
 * message, one note per diagnostic event). The viewer's flow pane draws it;
 * flow_render turns it into text lines or SVG for batch --flow. */
#ifndef SIPSNOOP_FLOW_H
#define SIPSNOOP_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct engine;

enum flow_row_kind {
	FLOW_ARROW = 0,		/* a SIP message from column from to column to */
	FLOW_NOTE,		/* a diagnostic event, drawn at column from */
};

struct flow_col {
	char *name;		/* "host:port"; the host alone when merged; the
				 * log's local name (or "local") for the end a
				 * log does not give an address for; "?" for
				 * an end not given at all (two such columns,
				 * the sides of messages with neither end).
				 * Sanitised. */
};

struct flow_row {
	uint32_t id;		/* message id in the engine */
	uint8_t kind;		/* enum flow_row_kind */
	uint8_t severity;	/* enum severity, from the index */
	uint8_t self;		/* from == to: src == dst */
	uint8_t sdp;		/* the body is SDP ("(SDP)" is in the label) */
	int from, to;		/* column indexes; equal for notes and self */
	char *label;		/* e.g. "REGISTER [NTLM AUTHENTICATE]",
				 * "401 Unauthorized [Kerberos, NTLM]",
				 * "INVITE (SDP)". Sanitised UTF-8, one line. */
	int64_t time;		/* TIME_NONE when unknown */
	int64_t delta;		/* time since the previous row that has a time,
				 * TIME_NONE for the first or when unknown */
	uint8_t time_prec;	/* fraction digits the log gives */
	/* Fraction digits of the delta: the more of time_prec and that of
	 * the row the delta is from (merged logs of milliseconds and of
	 * microseconds: 100 us between them is not +0.000). */
	uint8_t delta_prec;
	uint8_t dating;		/* enum time_dating: how its time is written */
};

struct flow {
	struct flow_col *cols;
	size_t ncols;
	struct flow_row *rows;	/* in the order of the ids given */
	size_t nrows;
};

struct flow_opts {
	int merge_hosts;	/* one column per host, whatever the port */
	int show_ruri;		/* request labels carry the request URI */
};

/* Lays out messages ids[0..n) (index order). o may be NULL for defaults.
 * Returns an owned model (flow_free). Ids out of range are skipped. */
struct flow *flow_build(const struct engine *e, const uint32_t *ids, size_t n,
			const struct flow_opts *o);
void flow_free(struct flow *fl);
/* The day of row r, to head the rows of a day: its date ("2024-01-02")
 * when the log gives one, of a log that gives a time of day alone the
 * days it went past midnight ("+1d") after its first; "" when it has none
 * (no time, or a time of day on that first day). Written into buf. */
void flow_row_day(const struct flow_row *r, char *buf, size_t sz);
/* Row r's time of day with the fraction digits its log gives (as --list
 * shows them: microseconds tell apart messages within a millisecond); ""
 * when it has none. Written into buf. */
void flow_row_time(const struct flow_row *r, char *buf, size_t sz);
/* Row r's delta: "+1.037", seconds to the millisecond ("-" when merged
 * clocks go back), whole seconds when neither time gives a fraction
 * (delta_prec), microseconds when one gives them and the gap is below a
 * millisecond
 * ("+0.000300", not +0.000); "" when it has none. Written into buf. */
void flow_row_delta(const struct flow_row *r, char *buf, size_t sz);
/* Sets mark[i] (fl->nrows of them) to 1 where row i is on another day
 * than the rows before it (one of them has a time, and row i's day is not
 * the last one given before it: a log's first day given as a time of day
 * alone is none), else 0. */
void flow_day_marks(const struct flow *fl, uint8_t *mark);
/* Row index of message id, or -1 (rows are in id order: binary search). */
long flow_find(const struct flow *fl, uint32_t id);

#define FLOW_MIN_GAP 12		/* narrowest spacing of two columns */

/* The least x of a column whose name is name_w cells wide, centred on it:
 * half the name and a blank to the left edge. A flow's lone column goes
 * there, at the left, so that what is drawn beside it (notes, loops) has
 * the width to its right; and the first of several needs no more margin. */
static inline int
flow_left_x(int name_w)
{
	return (name_w + 1) / 2 + 1;
}

/* Column centres x[] (fl->ncols of them) for gaps of at least gap, and
 * wider where a label asks: an arrow's label of L cells goes in the widest
 * gap the arrow crosses (flow_label_gap), which is L * num / den + pad
 * wide at least, so that it crosses no lifeline; a self arrow's column and
 * the next are L * num / den + self apart. Returns the width the diagram
 * needs: half a gap of margin on the left; on the right half a gap, or
 * the last column's self labels. */
int flow_layout(const struct flow *fl, int gap, int num, int den, int pad,
		int self, int *x);
/* The gap (between columns k and k + 1) that carries arrow r's label
 * when the columns are at x[]: of those it crosses the widest, counting
 * only what lies between xlo and xhi (the part in view), the first from
 * its start of equally wide ones. -1 for a self arrow or a note. */
int flow_label_gap(const struct flow *fl, const struct flow_row *r,
		   const int *x, int xlo, int xhi);

/* flow_render: the model as text or SVG, appended to out. */
struct flow_render_opts {
	int width;		/* total line width, times included */
	int utf8;		/* box drawing; ASCII otherwise */
	int times;		/* a time and delta column on the left */
};
/* One line per column header block and per row, each ending in '\n'.
 * Columns are spread over o->width, and further apart where an arrow's
 * label needs it: returns the cells of the longest line written. */
int flow_render_text(const struct flow *fl,
		      const struct flow_render_opts *o, struct strbuf *out);
/* A standalone SVG document; each arrow has the message's full text
 * (sanitised, XML-escaped) in its <title>. e gives the text. */
void flow_render_svg(const struct flow *fl, const struct engine *e,
		     struct strbuf *out);
/* Appends s XML-escaped (after sanitising) to out. */
void flow_render_xml_escape(struct strbuf *out, const char *s, size_t n);

#endif
