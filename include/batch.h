/* batch: the non-interactive outputs (--list, --dialogs, --registrations,
 * --flow), text or JSON Lines. These are the contract scripts and tests
 * use: field names are stable once in the man page. */
#ifndef SIPSNOOP_BATCH_H
#define SIPSNOOP_BATCH_H

#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

struct engine;
struct rules;

struct batch_opts {
	int json;			/* JSON Lines instead of text */
	const struct rules *rules;	/* for explanations; may be NULL */
	const uint32_t *sel;		/* selected message ids, index order */
	size_t nsel;
	int filtered;			/* sel comes from --filter/--dialog */
	int width;			/* --width, or the terminal's, else 100 */
	int utf8;			/* box drawing allowed */
	int svg;			/* --flow=svg */
	int merge_hosts;		/* --flow: one column per host */
	/* --list text: widths of the number, time and source ->
	 * destination columns, grown by batch_list() to what its messages
	 * need and kept across calls, so that --follow stays aligned. 0 at
	 * first. */
	size_t w_index, w_time, w_ends;
};

/* Each returns 0, or -1 when out could not be written (the caller checks
 * out and reports it). */
int batch_list(struct engine *e, struct batch_opts *o, FILE *out);
int batch_dialogs(struct engine *e, const struct batch_opts *o, FILE *out);
int batch_registrations(struct engine *e, const struct batch_opts *o,
			FILE *out);
int batch_flow(struct engine *e, const struct batch_opts *o, FILE *out);
/* Display width of n bytes of sanitised UTF-8 text: its code points, not
 * its bytes (the batch tables line up by it). */
size_t batch_width(const char *s, size_t n);

#endif
