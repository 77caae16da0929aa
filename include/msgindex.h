/* msgindex: the append-only table of messages. Each entry is small and of
 * fixed size; strings are interned ids; the message text stays in the
 * source and is re-read on demand (engine_message()). Entries live in
 * fixed blocks, so a pointer from msgindex_get() stays valid while the
 * index grows; still, code refers to messages by id. */
#ifndef SIPSNOOP_MSGINDEX_H
#define SIPSNOOP_MSGINDEX_H

#include <stddef.h>
#include <stdint.h>
#include "reader.h"
#include "util.h"

enum msg_kind {
	MSG_INVALID = 0,	/* a record whose start line is not SIP */
	MSG_REQUEST,
	MSG_RESPONSE,
	MSG_DIAG,		/* a diagnostic event from a server log */
};

enum severity {
	SEV_NONE = 0,
	SEV_INFO,
	SEV_OK,
	SEV_BENIGN,
	SEV_WARNING,
	SEV_ERROR,
	SEV__COUNT
};

#define NO_DIALOG UINT32_MAX

/* How an entry keeps its From and To URIs, its request URI and its source
 * and destination (struct msg kept_*): a message's are nearly always its
 * dialog's, or the two swapped (a request from the callee, an answer), so
 * the dialog keeps them and the entry says how; the others are kept apart.
 * dialogs_kept() reads them back. */
enum msg_kept_how {
	KEPT_NONE = 0,		/* none: 0 */
	KEPT_SAME,		/* the dialog's */
	KEPT_SWAP,		/* the dialog's two, swapped */
	KEPT_APART,		/* in the dialogs' table of exceptions */
};

/* The strings the index keeps with a message's dialog. */
struct msg_kept {
	uint32_t from, to;	/* URIs without display name or parameters */
	uint32_t ruri;		/* the request URI, 0 for none */
	uint32_t src, dst;	/* endpoints "host:port" */
};

/* An entry is 32 bytes: a million messages take 32 MB. What the index does
 * not need to filter or group (the transport, the tags, the other headers,
 * the line) is read again from the record when it is shown. Its method and
 * length are read with msgindex_method() and msgindex_len(): the entry has
 * a byte for the one (a code in the index's table of methods) and 16 bits
 * for the other, and the index keeps apart what does not fit. */
struct msg {
	uint64_t off : 40;	/* record offset in its file's bytes */
	uint64_t file : 12;	/* input file number, below MSG_FILES */
	uint64_t rule : 12;	/* rule that set the severity, 0 for none */
	int64_t time : 56;	/* TIME_NONE when unknown (msg_time_fit) */
	uint64_t mcode : 8;	/* method code: msgindex_method() */
	uint32_t call_id;	/* engine_call_ids() id, 0 when absent */
	uint32_t cseq;
	uint16_t len16;		/* record length: msgindex_len() */
	uint16_t status : 10;	/* responses: 100 to 699 */
	/* enum msg_kept_how, for struct msg_kept's parts: */
	uint16_t kept_party : 2;	/* From and To */
	uint16_t kept_ruri : 2;		/* the request URI */
	uint16_t kept_ends : 2;		/* source and destination */
	uint8_t flags;		/* RECF_*, and MSG_FACT_FLAG */
	/* One byte for three small enums. */
	uint8_t kind : 2;	/* enum msg_kind */
	uint8_t dir : 2;	/* enum msg_dir */
	uint8_t severity : 4;	/* enum severity */
	uint8_t time_prec;	/* fraction digits; MSG_TIME_HAS_DATE, _TOD */
	uint8_t facts;		/* the rules' own facts about it (rules.c) */
};

/* What struct msg holds: offsets below 1 TiB, 4095 input files, 4095
 * rules, times within 2^55 microseconds (1142 years) of 1970. */
#define MSG_OFF_LIMIT (UINT64_C(1) << 40)
#define MSG_FILES 4095
#define MSG_RULES 4095
#define MSG_TIME_MAX ((INT64_C(1) << 55) - 1)
_Static_assert(TIME_NONE == -MSG_TIME_MAX - 1, "TIME_NONE fits struct msg");

/* t as struct msg keeps it: TIME_NONE when it is too far from 1970. */
static inline int64_t
msg_time_fit(int64_t t)
{
	return t >= -MSG_TIME_MAX && t <= MSG_TIME_MAX ? t : TIME_NONE;
}

_Static_assert(SEV__COUNT <= 16, "struct msg keeps severity in 4 bits");
/* The bit of msg->flags above the RECF_* ones: a ninth bit of the rules'
 * facts (rules.c says what it means), msg->facts being full. */
#define MSG_FACT_FLAG 0x80
_Static_assert(RECF_OTHER_PARTY < MSG_FACT_FLAG,
	       "struct msg keeps RECF_* and MSG_FACT_FLAG in a byte");
_Static_assert(sizeof(struct msg) <= 32, "struct msg is 32 bytes");

#define MSG_TIME_HAS_DATE 0x80	/* the log gave a date */
#define MSG_TIME_TOD 0x40	/* a time of day alone (rd_record tod_only) */
#define MSG_TIME_PREC(m) ((m)->time_prec & 0x3f)

/* How m's time is written in full (enum time_dating): with its date, as a
 * time of day with the days the log passed, or with the month and day the
 * log gave without a year. */
static inline int
msg_time_dating(const struct msg *m)
{
	if (m->time_prec & MSG_TIME_HAS_DATE)
		return TIME_DATED;
	return (m->time_prec & MSG_TIME_TOD) ? TIME_DAYS : TIME_MONTHDAY;
}

struct msgindex;

struct msgindex *msgindex_new(void);
void msgindex_free(struct msgindex *ix);
/* Appends a copy of m with its method (an interned id, 0 for none) and its
 * length; returns its id. */
uint32_t msgindex_append(struct msgindex *ix, const struct msg *m,
			 uint32_t method, uint32_t len);
/* The method and the length of entry id < count. */
uint32_t msgindex_method(const struct msgindex *ix, uint32_t id);
uint32_t msgindex_len(const struct msgindex *ix, uint32_t id);
/* The method of an entry's method code (struct msg mcode) below
 * CODETAB_FULL, which msgindex_method() reads apart. */
uint32_t msgindex_code_method(const struct msgindex *ix, uint8_t code);
/* Sets them anew (a record read again once more of it came). */
void msgindex_set(struct msgindex *ix, uint32_t id, uint32_t method,
		  uint32_t len);
size_t msgindex_count(const struct msgindex *ix);
/* Entry for id < count (borrowed; stays valid until msgindex_free). */
struct msg *msgindex_get(const struct msgindex *ix, uint32_t id);
/* Reorders the entries by (time, file, line), stably. Entries without a time
 * keep their place relative to their file. Returns the permutation applied
 * (new id -> old id) for callers that keep ids; caller frees. */
uint32_t *msgindex_sort_by_time(struct msgindex *ix);

const char *severity_name(enum severity s);	/* "error", "benign" ... */
/* SEV_* for a name (any case), or -1. */
int severity_from_name(const char *s, size_t n);

#endif
