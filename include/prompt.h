/* prompt: the one-line editor of the status line (search, filter, save
 * name, confirmations), with a history per kind. Works on actions from the
 * KM_PROMPT keymap; no terminal. */
#ifndef SIPSNOOP_PROMPT_H
#define SIPSNOOP_PROMPT_H

#include <stddef.h>
#include <stdint.h>
#include "keymap.h"

struct grid;

enum prompt_kind {
	PROMPT_SEARCH = 0,
	PROMPT_FILTER,
	PROMPT_SAVE,
	PROMPT_CONFIRM, /* y/n */
	PROMPT__COUNT
};

#define PROMPT_MAX 1024

struct prompt_history {
	char **items;
	size_t n, cap;
};

struct prompt {
	int active;
	enum prompt_kind kind;
	char label[64];
	char buf[PROMPT_MAX];	/* UTF-8, NUL-terminated */
	size_t len, cur;	/* bytes; cur is on a character boundary */
	long hpos;		/* history position while browsing, -1 none */
	char saved[PROMPT_MAX]; /* the line being typed before browsing */
	int errcol;		/* column of an error in buf, -1 none */
	struct prompt_history hist[PROMPT__COUNT];
};

void prompt_init(struct prompt *p);
void prompt_free(struct prompt *p);
/* Opens the prompt with a label and initial text. */
void prompt_open(struct prompt *p, enum prompt_kind kind, const char *label,
		 const char *text);
void prompt_close(struct prompt *p);
/* Applies an action (key is the key for ACT_SELF_INSERT). Returns 1 when
 * the text changed, 0 otherwise. ACT_ACCEPT and ACT_CANCEL are left to
 * the caller. */
int prompt_edit(struct prompt *p, enum action a, uint32_t key);
/* Adds the current text to the kind's history (not twice in a row). */
void prompt_remember(struct prompt *p);
/* Draws label and text on row y from x to xmax, scrolled so the cursor
 * shows; returns the cursor's screen column. */
int prompt_draw(struct prompt *p, struct grid *g, int x, int y, int xmax);

#endif
