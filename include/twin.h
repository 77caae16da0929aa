/* twin: one message as two merged logs wrote it, the one that sent it and
 * the one that received it (a client's log and its server's). Such pairs
 * tell the address of an end a server's log only calls its own ("local",
 * its host; flow.c), and whether the two logs' clocks agree
 * (twin_clocks). Pure: reads the engine. */
#ifndef SIPSNOOP_TWIN_H
#define SIPSNOOP_TWIN_H

#include <stddef.h>
#include <stdint.h>

struct engine;

/* What tells one message (its dialog, CSeq, method and status), where
 * it was logged, its ends, which of them its log calls its own (dir), its
 * time and id. */
struct twin_seen {
	uint32_t call_id, cseq, src, dst, id;
	uint16_t file, status;
	uint8_t mcode, kind, dir, dated;
	int64_t time;
};

/* Fills x from message id; 0, or -1 for one that cannot have a twin (a
 * diagnostic event, no Call-ID). */
int twin_seen_fill(const struct engine *e, uint32_t id, struct twin_seen *x);
/* The order of what tells one message, the file left out. */
int twin_key_cmp(const struct twin_seen *a, const struct twin_seen *b);
/* The same, then by file, for qsort. */
int twin_cmp(const void *a, const void *b);
/* Whether end src (else dst) of x is an address: not the end a log that
 * names its own end calls its own. */
int twin_end_is_addr(const struct engine *e, const struct twin_seen *x,
		     int src);

/* The same message as another merged log wrote it (the viewer's o): of
 * the messages of id's dialog in other files alike (twin_key_cmp), one
 * on the same hop first (the ends both give as addresses alike), else
 * the nearest in time; TWIN_NONE when there is none. */
#define TWIN_NONE UINT32_MAX
uint32_t twin_other(const struct engine *e, uint32_t id);

/* Groups of more than this many alike are not compared pair by pair. */
#define TWIN_GROUP_MAX 64

/* Two merged logs whose clocks disagree: of the messages one sent and the
 * other received, one was received before it was sent. clock(b) -
 * clock(a) is at least lo and at most hi (microseconds), lo_id/hi_id
 * being the message b (lo: sent, hi: received) logged that says so and
 * lo_peer/hi_peer its twin in a; TWIN_NO_BOUND where none says. */
#define TWIN_NO_BOUND INT64_MIN
struct twin_clock {
	uint16_t a, b;		/* file numbers, a < b */
	int64_t lo, hi;
	uint32_t lo_id, lo_peer, hi_id, hi_peer;
};
/* The pairs of files whose logs' clocks disagree by more than their
 * times' precision, in *out (owned, free()); returns how many. Only
 * messages whose times both give a date are compared, the first copy
 * sent with the first received (a retransmission's copy may be received
 * before the last is sent), between logs that give one address of it
 * alike (the same hop). */
size_t twin_clocks(const struct engine *e, struct twin_clock **out);

#endif
