/* regreport: one summary per REGISTER dialog (who registered from where to
 * where, which schemes were offered and used, how many attempts, how it
 * ended and why), for --registrations and a view of the viewer. */
#ifndef SIPSNOOP_REGREPORT_H
#define SIPSNOOP_REGREPORT_H

#include <stddef.h>
#include <stdint.h>

struct engine;
struct rules;

/* The text fields come from the log and may hold any byte, a NUL too:
 * each has its length (nuser ...), and a NUL after it. */
struct regreport_entry {
	uint32_t dialog;	/* dialog id */
	char *user;		/* From URI of the first REGISTER */
	char *client;		/* "host:port" the REGISTER came from, "" unknown */
	char *server;		/* "host:port" it went to, "" unknown */
	char *offered;		/* schemes the 401/407s offered: "Kerberos, NTLM" */
	char *used;		/* scheme of the last credentials sent, "" none */
	int remote_user;	/* ms-user-logon-data: RemoteUser seen */
	unsigned attempts;	/* REGISTER requests (distinct CSeq) */
	unsigned status;	/* final status of the last attempt, 0 = none */
	char *reason;		/* its reason phrase, "" when none */
	int64_t first;		/* time of the first REGISTER, TIME_NONE unknown */
	int64_t final;		/* time of that final response, TIME_NONE */
	/* The first REGISTER that succeeded (2xx): its response's time and
	 * id (TIME_NONE and UINT32_MAX when none did). */
	int64_t registered;
	uint32_t registered_msg;
	int signed_out;		/* the last attempt asked Expires: 0 */
	/* From first to registered, or when none succeeded to final; -1
	 * when unknown. */
	int64_t elapsed_us;
	uint8_t severity;	/* dialog severity (enum severity) */
	uint32_t first_msg;	/* message ids of the first REGISTER and of */
	uint32_t final_msg;	/* the final response (UINT32_MAX when none) */
	char *explain;		/* one line */
	size_t nuser, nclient, nserver, nreason, nexplain;
};

struct regreport_acc;

struct regreport {
	struct regreport_entry *v;
	size_t n, cap;
	/* Built in steps: the dialog a step left part read, or NULL. */
	struct regreport_acc *acc;
};

/* Builds the report of every REGISTER dialog of e, in dialog order. rules
 * (may be NULL) gives the explanation of a failure. Caller frees with
 * regreport_free. */
void regreport_build(const struct engine *e, const struct rules *rules,
		     struct regreport *out);
/* The same in steps (a report over a million messages takes about a
 * second): appends to rr, zeroed first, the entries of the dialogs from
 * from on, reading up to *budget messages (a dialog that is no
 * registration counts one), less what it read; a dialog left part read
 * goes on at the next step. Returns where the next step starts (the
 * dialog part read, if any), the number of dialogs once all are done. */
size_t regreport_build_step(const struct engine *e, const struct rules *rules,
			    struct regreport *rr, size_t from, size_t *budget);
/* Fills one entry for dialog d; returns 0, or -1 when d is not a REGISTER
 * dialog (out untouched). Free the entry with regreport_entry_clear. */
int regreport_dialog(const struct engine *e, const struct rules *rules,
		     uint32_t d, struct regreport_entry *out);
/* Brings rr, built when the index had from messages, up to date with
 * the messages that came since: only the entries of their dialogs are
 * worked out again (added, replaced, or dropped). The dialogs must be the
 * same ones (dialogs_epoch): a merge that builds them again needs
 * regreport_build. */
void regreport_update(const struct engine *e, const struct rules *rules,
		      struct regreport *rr, size_t from);
void regreport_entry_clear(struct regreport_entry *ent);
void regreport_free(struct regreport *rr);

#endif
