/* sipmsg: parses one SIP message given as start line, header block and
 * body spans (see reader.h). Keeps spans into the source bytes; allocates
 * only the header table. Never fails: problems become flags. */
#ifndef SIPSNOOP_SIPMSG_H
#define SIPSNOOP_SIPMSG_H

#include <stdint.h>
#include "util.h"

enum sip_kind {
	SIP_INVALID = 0,	/* start line is neither a request nor a response */
	SIP_REQUEST,
	SIP_RESPONSE,
};

/* Headers the engine looks at, by canonical id (full and compact names). */
enum hdr_id {
	HDR_OTHER = 0,
	HDR_CALL_ID,		/* i */
	HDR_CSEQ,
	HDR_FROM,		/* f */
	HDR_TO,			/* t */
	HDR_VIA,		/* v */
	HDR_CONTACT,		/* m */
	HDR_CONTENT_TYPE,	/* c */
	HDR_CONTENT_LENGTH,	/* l */
	HDR_SUPPORTED,		/* k */
	HDR_SUBJECT,		/* s */
	HDR_CONTENT_ENCODING,	/* e */
	HDR_EVENT,		/* o */
	HDR_REFER_TO,		/* r */
	HDR_ALLOW_EVENTS,	/* u */
	HDR_SESSION_EXPIRES,	/* x */
	HDR_REFERRED_BY,	/* b */
	HDR_WWW_AUTHENTICATE,
	HDR_PROXY_AUTHENTICATE,
	HDR_AUTHORIZATION,
	HDR_PROXY_AUTHORIZATION,
	HDR_AUTHENTICATION_INFO,
	HDR_PROXY_AUTHENTICATION_INFO,
	HDR_P_ASSERTED_IDENTITY,
	HDR_MS_DIAGNOSTICS,
	HDR_MS_DIAGNOSTICS_PUBLIC,
	HDR_MS_USER_LOGON_DATA,
	HDR_WARNING,
	HDR_REASON,
	HDR_USER_AGENT,
	HDR_SERVER,
	HDR_EXPIRES,
	HDR__COUNT
};

struct sip_header {
	struct span name;	/* as written */
	struct span value;	/* trimmed; may contain folded line breaks */
	enum hdr_id id;
};

/* A name-addr / addr-spec header value (From, To, Contact, P-A-I ...). */
struct sip_addr {
	struct span display;	/* without quotes; may be empty */
	struct span uri;	/* without < > and without header parameters */
	struct span user;	/* user part of the URI, may be empty */
	struct span host;	/* host[:port] of the URI */
	struct span tag;	/* tag= parameter */
	struct span epid;	/* epid= parameter */
};

#define SIPMSG_INLINE_HDRS 48

struct sipmsg {
	enum sip_kind kind;
	struct span method;	/* requests */
	struct span ruri;	/* requests */
	struct span version;
	int status;		/* responses, else 0 */
	struct span reason;	/* responses; for SIP_INVALID the whole start line */
	struct sip_header *hdrs;	/* nhdrs entries, in order */
	size_t nhdrs;
	struct span call_id;
	uint32_t cseq;		/* 0 when absent or bad */
	struct span cseq_method;
	struct sip_addr from, to;
	struct span body;
	long content_length;	/* -1 when absent */
	unsigned flags;		/* RECF_NO_CALLID, RECF_BAD_START, RECF_BAD_HEADER */
	const char *bad_at;	/* the first line RECF_BAD_HEADER is for, or NULL */
	struct sip_header inline_hdrs[SIPMSG_INLINE_HDRS];
	size_t caphdrs;
};

/* Parses the message; m need not be initialised. Call sipmsg_clear() after. */
void sipmsg_parse(struct sipmsg *m, struct span start, struct span hdrs,
		  struct span body);
void sipmsg_clear(struct sipmsg *m);
/* The same for indexing, sparing what it does not read: hdrs keeps only
 * Call-ID, CSeq, From, To, Via, Content-Length, Authorization and
 * Proxy-Authorization, and From and To get their uri and display name only
 * (user, host, tag and epid stay empty). The flags are the same. */
void sipmsg_parse_index(struct sipmsg *m, struct span start, struct span hdrs,
			struct span body);

/* Canonical id of a header name (full or compact form, any case). */
enum hdr_id sipmsg_hdr_id(struct span name);
/* The idx-th header with this id (0-based), or NULL. */
const struct sip_header *sipmsg_find(const struct sipmsg *m, enum hdr_id id,
				     size_t idx);
/* The idx-th header with this name (any case, compact forms understood). */
const struct sip_header *sipmsg_find_name(const struct sipmsg *m,
					  const char *name, size_t idx);

/* Parses a name-addr or addr-spec value. Returns 0, or -1 when there is no
 * URI in it (fields are then empty). */
int sipmsg_parse_addr(struct span value, struct sip_addr *out);
/* Takes the next name-addr of a comma-separated list (Contact, P-Asserted-
 * Identity) from *rest, which it advances; commas inside quotes and <> do
 * not split. Returns 1 with *out filled (fields empty when that element
 * has no URI), 0 when the list is used up. */
int sipmsg_next_addr(struct span *rest, struct sip_addr *out);
/* Whether a Contact, P-Asserted-Identity or Referred-By URI names a user
 * (user@host) that neither From nor To names: only such messages can match
 * a user: filter through those headers. Needs their headers parsed (both
 * sipmsg_parse and sipmsg_parse_index keep them). */
int sipmsg_other_party(const struct sipmsg *m);
/* Splits a URI (sip:, sips:, tel: or bare) into user and host[:port]. */
void sipmsg_uri_parts(struct span uri, struct span *user, struct span *host);

/* Summary as the list shows it: "REGISTER sip:uclab.org", "401 Unauthorized". */
void sipmsg_summary(const struct sipmsg *m, struct strbuf *out);
/* Whether the body is SDP (Content-Type application/sdp). */
int sipmsg_has_sdp(const struct sipmsg *m);

#endif
