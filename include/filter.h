/* filter: the query language that turns the message index into the list of
 * visible messages (--filter, the viewer's filter prompt). Field terms are
 * resolved against the intern table once per bind and then compare ids and
 * numbers; free text and /regex/ terms scan the record text (PCRE2, JIT). */
#ifndef SIPSNOOP_FILTER_H
#define SIPSNOOP_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct engine;
struct filter;

/* Compiles expr. NULL on a syntax error, with *err (caller frees) and
 * *errcol (0-based column). An empty expression matches everything. */
struct filter *filter_compile(const char *expr, char **err, int *errcol);
void filter_free(struct filter *f);
/* Prepares per-engine state (interned-id sets, dialog sets); call again
 * after the engine has grown. Cheap when nothing changed. */
void filter_bind(struct filter *f, const struct engine *e);
/* Whether message id matches. filter_bind() must have been called with e
 * since it last grew (dialog: terms see only the messages bound). */
int filter_match(const struct filter *f, const struct engine *e, uint32_t id);
/* Selected message ids in index order over ids [from, to); returns the
 * count, *out malloc'ed (caller frees). Binds f to e first. */
size_t filter_select(struct filter *f, const struct engine *e, uint32_t from,
		     uint32_t to, uint32_t **out);
/* Whether the expression is empty (matches everything). */
int filter_is_empty(const struct filter *f);
/* Whether it has a dialog:(...) term: a message added later can make an
 * older one match (its dialog's), so new messages alone do not say what
 * it selects. */
int filter_has_dialog(const struct filter *f);
/* The free-text terms written as NAME:VALUE whose NAME is no field
 * (stauts:401, ip:10.0.0.1; not a URI such as sip:alice@x): worth naming,
 * as fields misspelt, whatever matches. Appends them to words (when not
 * NULL), each once, in the order written, as a list: "a:1", "a:1 and
 * b:2", "a:1, b:2 and c:3"; their names likewise to names, each once, how
 * many in *nnames. Returns how many words (0: none, nothing appended). */
size_t filter_fieldlike(const struct filter *f, struct strbuf *words,
			struct strbuf *names, size_t *nnames);
/* Appends the n bytes at v (a Call-ID or user as the log gives it, NUL
 * and control bytes included) as a field value that reads back as exactly
 * them: '*' and '\\' escaped, quoted when the value holds a space, a quote,
 * a parenthesis or a control byte, those written \xHH (callid:"a\x00b"). */
void filter_quote(struct strbuf *sb, const char *v, size_t n);
/* Appends the parsed expression as an S-expression, e.g.
 * (or (and (method REGISTER) (text "x")) (not (status 401-401))):
 * for tests and for --debug output. */
void filter_dump(const struct filter *f, struct strbuf *out);
/* Whether a severity: term is in it, dialog:(...) terms included: what it
 * selects then depends on the rules. */
int filter_uses_severity(const struct filter *f);

#endif
