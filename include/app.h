/* app: the interactive viewer. main() builds the engine (files added, not
 * yet indexed) and hands it over; the viewer indexes in the background of
 * its event loop so the first screen appears at once. */
#ifndef SIPSNOOP_APP_H
#define SIPSNOOP_APP_H

struct engine;
struct rules;

enum color_mode {
	COLOR_AUTO = 0,		/* colour unless NO_COLOR is set */
	COLOR_NEVER,
	COLOR_ALWAYS,
};

struct app_options {
	const char *filter;		/* initial filter expression or NULL */
	enum color_mode color;
	const struct rules *rules;	/* may be NULL */
	int follow;			/* --follow: poll the engine for growth */
	long dialog;			/* --dialog N to open, or -1 */
	/* The inputs as given ("-": standard input), read or not: a save
	 * never writes to one. */
	const char *const *inputs;
	size_t ninputs;
	/* Why rules is NULL, as main said it on standard error (W shows
	 * it), or NULL. */
	const char *rules_why;
};

/* Runs the viewer until the user quits. Returns the exit status (2 when
 * o->dialog does not exist). Writes its own error messages (e.g. "not a
 * terminal") to stderr. */
int app_run(struct engine *e, const struct app_options *o);

#endif
