/* rules: the diagnosis engine. A rules file (see sipsnoop-rules(5)) is
 * compiled once (PCRE2, JIT when available); each message is then rated
 * with a severity, the rule that matched and a one-line explanation, using
 * the context of its dialog (challenge answered, final outcome, CANCEL). */
#ifndef SIPSNOOP_RULES_H
#define SIPSNOOP_RULES_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct engine;
struct rules;
struct msg;
struct rd_record;
struct sipmsg;

/* Parses rule text; name is used in messages. Returns NULL when there were
 * errors; each error is appended to errs as "NAME:LINE: message\n". */
struct rules *rules_parse(const char *name, const char *text, size_t len,
			  struct strbuf *errs);
/* Reads the file (read-only) and parses it; errors as rules_parse. */
struct rules *rules_load(const char *path, struct strbuf *errs);
/* The rules file to use when --rules is not given:
 * $XDG_CONFIG_HOME/sipsnoop/rules.conf (or ~/.config/...) when it exists,
 * else SIPSNOOP_DATADIR "/rules.conf" when it exists, else, when exe_dir
 * (the directory of the program, or NULL) is not NULL,
 * exe_dir/../data/rules.conf when it exists (a program built in the
 * source tree: build/sipsnoop), else NULL. Caller frees. */
char *rules_default_path(const char *exe_dir);
void rules_free(struct rules *r);
/* Number of rules (for --check-rules reports). */
size_t rules_count(const struct rules *r);

/* Takes what rating needs about one message itself (credentials and their
 * scheme, the log's own level) from the record and the message the engine
 * has just parsed, into x->facts, so that rating never reads the message
 * again. r may be NULL. Called by the engine for every record it indexes. */
void rules_index_message(const struct rules *r, struct msg *x,
			 const struct rd_record *rec, const struct sipmsg *m);
/* Rates every message of dialog d: sets msg->severity, msg->rule and the
 * RECF_RETRANS flag, and the dialog's severity (worst, benign not a
 * failure) and auth (interned scheme name used, e.g. "NTLM"). Called again
 * whenever the dialog grew, so it recomputes from scratch; also rates
 * again the dialog whose challenge d's first request answers on a new
 * Call-ID (rules_answered_dialog). Dialogs are rated in the order they
 * first grew, as the engine does. */
void rules_rate_dialog(const struct rules *r, struct engine *e, uint32_t d);
/* What rating keeps between the dialogs of one engine (each engine has
 * its own: engine_rules_state): the challenges still unanswered, and the
 * retries on a new Call-ID that answered one. Some clients answer a 401
 * or 407 with a new REGISTER on a new Call-ID; its first request is
 * taken as the answer to the last unanswered challenge of the same method
 * with the same From and To URIs when it comes within 32 seconds from the
 * host the challenge went to, with credentials in the header the
 * challenge asks for (for a 401, Proxy-Authorization too with NTLM,
 * Kerberos or TLS-DSK: MS-SIPAE clients answer every challenge there), of
 * a scheme it offers, for its realm and (Digest) nonce. Kept for one set
 * of dialogs (dialogs_epoch): a merge that builds them again starts it
 * again. */
struct rules_state *rules_state_new(void);
void rules_state_free(struct rules_state *st);
/* The dialog whose challenge the first request of dialog d answered on a
 * new Call-ID, or NO_DIALOG. Rating d rates that dialog again too (its
 * challenge's rating follows d's outcome); a report kept up to date by
 * dialog must update it as well. */
uint32_t rules_answered_dialog(const struct engine *e, uint32_t d);
/* The other way: the dialog whose first request answered challenge ch (a
 * 401, 407 or 423 message id) on a new Call-ID, or NO_DIALOG. */
uint32_t rules_retry_dialog(const struct engine *e, uint32_t ch);
/* Whether message id was rated by a rule that asks for "challenge
 * trace-end": a challenge the trace ends too soon after to tell whether
 * the client answered it, and rated so (not as credentials rejected, say),
 * whose outcome is unknown (the registration report does not call it a
 * failure). */
int rules_outcome_unknown(const struct rules *r, const struct engine *e,
			  uint32_t id);
/* Rates a message that has no dialog (no Call-ID). */
void rules_rate_message(const struct rules *r, struct engine *e, uint32_t id);
/* Appends the explanation line of message id (after rating) to out, e.g.
 * "expected authentication challenge: server offers Kerberos, NTLM; the
 * client answered with credentials". Nothing when no rule matched. */
void rules_explain(const struct rules *r, const struct engine *e,
		   uint32_t id, struct strbuf *out);
/* rules_explain() keeps the context it works out of the long dialogs last
 * asked about (of 64 messages or more), so that going through the log's
 * messages in order works each out once, or once per span messages of
 * the log however many are interleaved: of at most slots dialogs and msgs
 * messages in all, a whole dialog when there is room for it, else its
 * messages among the next span (from span / 8 before the one asked
 * about; at least span / 128 of its own). 0 restores a default (256
 * dialogs, 131072 messages: 5 MB, a span of 65536); what was kept is
 * dropped. Smaller ones are for tests. */
void rules_set_explain_cache(struct rules *r, size_t slots, size_t msgs,
			     size_t span);
/* The messages whose context rules_explain() keeps now, and how many
 * times it worked out a dialog's, since r was made; for tests. */
void rules_explain_counts(const struct rules *r, size_t *held,
			  uint64_t *computed);
/* msg->rule -> the rule's short name, "" for 0 or out of range. */
const char *rules_rule_name(const struct rules *r, unsigned rule);

#endif
