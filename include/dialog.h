/* dialog: groups the index's messages by Call-ID and keeps a summary of
 * each group. Filled incrementally, message by message, in index order. */
#ifndef SIPSNOOP_DIALOG_H
#define SIPSNOOP_DIALOG_H

#include <stddef.h>
#include <stdint.h>
#include "msgindex.h"

/* Its Call-ID is its first message's (dialogs_call_id). */
struct dialog {
	uint32_t from, to;	/* URIs of the first request (or first message) */
	uint32_t ruri;		/* the first request URI */
	uint32_t src, dst;	/* the first endpoints */
	uint32_t at;		/* its message ids: dialogs_msgs() */
	uint32_t nmsgs;
	uint16_t outcome : 10;	/* final status of the initial transaction, 0 = none */
	uint16_t severity : 4;	/* worst message severity, benign not a failure */
	/* Read with dialogs_kind() and dialogs_auth(): */
	uint8_t kind_code;	/* the method of the first request, a code */
	uint8_t auth_code;	/* the auth scheme used, a code */
};

_Static_assert(sizeof(struct dialog) <= 32, "struct dialog is 32 bytes");

struct dialogs;

struct dialogs *dialogs_new(void);
/* A number no other struct dialogs of this process has had: a cache of
 * what was worked out from one (rules_explain) tells it from a new one
 * made at the same address. */
uint64_t dialogs_epoch(const struct dialogs *ds);
/* How many times a dialog's From, To, request URI, source or destination
 * (struct dialog from .. dst) changed after the message that made it:
 * what was worked out from them (filter.c's matches by dialog) holds
 * while this and the epoch stay the same. */
uint64_t dialogs_kept_changes(const struct dialogs *ds);
void dialogs_free(struct dialogs *ds);
/* Adds message id (already in ix) to its dialog and keeps its URIs and
 * endpoints (k, interned, 0 when absent); returns the dialog id, or
 * NO_DIALOG for a message without a Call-ID. Messages are added in id
 * order. */
uint32_t dialogs_add(struct dialogs *ds, struct msgindex *ix, uint32_t id,
		     const struct msg_kept *k);
/* Earliest and latest times of d's messages (dialogs_times walks them),
 * TIME_NONE when none has one. */
void dialogs_times(const struct dialogs *ds, const struct msgindex *ix,
		   const struct dialog *d, int64_t *first, int64_t *last);
/* d's message ids, d->nmsgs of them in index order (borrowed: adding a
 * message to d may move them). */
const uint32_t *dialogs_msgs(const struct dialogs *ds, const struct dialog *d);
/* d's interned Call-ID (engine_call_ids), its first message's (ix: the
 * index of its messages). */
uint32_t dialogs_call_id(const struct dialogs *ds, const struct msgindex *ix,
			 const struct dialog *d);
/* What dialogs_add() kept for message id (m is its entry). */
void dialogs_kept(const struct dialogs *ds, const struct msg *m, uint32_t id,
		  struct msg_kept *k);
/* The parts of struct msg_kept, as struct msg kept_* codes them. */
enum dialog_part {
	DIALOG_PARTY,		/* from, to: kept_party */
	DIALOG_RURI,		/* ruri (b is 0): kept_ruri */
	DIALOG_ENDS,		/* src, dst: kept_ends */
};
/* The part message id keeps apart (its code KEPT_APART), as a and b.
 * *hint (0 at first) is where the last call found its id: callers that
 * read ids in order keep it between calls, and each look is then short. */
void dialogs_apart(const struct dialogs *ds, enum dialog_part part,
		   uint32_t id, uint32_t *a, uint32_t *b, size_t *hint);
size_t dialogs_count(const struct dialogs *ds);
struct dialog *dialogs_get(const struct dialogs *ds, uint32_t id);
/* The interned method of d's first request, 0 if none (ix: its messages'
 * index). */
uint32_t dialogs_kind(const struct dialogs *ds, const struct msgindex *ix,
		      const struct dialog *d);
/* The interned auth scheme d used, 0 when none (rules.c sets it). */
uint32_t dialogs_auth(const struct dialogs *ds, const struct dialog *d);
void dialogs_set_auth(struct dialogs *ds, struct dialog *d, uint32_t auth);
/* Dialog of an interned Call-ID, or NO_DIALOG. */
uint32_t dialogs_by_call_id(const struct dialogs *ds, uint32_t call_id);

/* The dialog of an indexed message: its Call-ID's (the index does not keep
 * it), or NO_DIALOG. */
static inline uint32_t
dialogs_of(const struct dialogs *ds, const struct msg *m)
{
	return dialogs_by_call_id(ds, m->call_id);
}

#endif
