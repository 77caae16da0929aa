/* auth: parses the SIP authentication headers (WWW-/Proxy-Authenticate,
 * [Proxy-]Authorization, [Proxy-]Authentication-Info) and decodes the
 * gssapi-data they carry (NTLM, Kerberos, TLS-DSK), for rules, flow labels
 * and the detail pane. Pure and bounded: fuzzed, never reads out of bounds. */
#ifndef SIPSNOOP_AUTH_H
#define SIPSNOOP_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"
#include "sipmsg.h"

enum auth_scheme {
	AUTH_NONE = 0,		/* no auth header / no scheme */
	AUTH_KERBEROS,
	AUTH_NTLM,
	AUTH_TLS_DSK,
	AUTH_NEGOTIATE,
	AUTH_DIGEST,
	AUTH_BASIC,
	AUTH_OTHER,
	AUTH__COUNT
};
/* Bit of a scheme in a scheme set (auth_offered). */
#define AUTH_BIT(s) (1u << (s))

/* One auth-param. value is a span into the message: without the quotes,
 * backslash escapes left as written (auth_unquote resolves them). */
struct auth_param {
	struct span name;
	struct span value;
	int quoted;
};

#define AUTH_MAX_PARAMS 32

/* Header flags. */
#define AUTHF_TOO_MANY	0x01	/* more than AUTH_MAX_PARAMS params; rest dropped */
#define AUTHF_SYNTAX	0x02	/* junk or an unterminated quoted string */

/* One challenge or credentials: "Scheme p1=v1, p2="v2"". */
struct auth_header {
	enum auth_scheme scheme;
	struct span scheme_name;	/* as written */
	struct span token68;	/* a bare token after the scheme (Basic xyz=) */
	struct auth_param params[AUTH_MAX_PARAMS];
	size_t nparams;
	unsigned flags;		/* AUTHF_* */
	struct span rest;	/* a further challenge in the same value, or empty */
};

/* Parses a header value into out (need not be initialised). Returns 0, or
 * -1 when the value holds no scheme (out is then empty). When one header
 * value lists several challenges, out->rest holds the text after the first;
 * call auth_parse() on it again. */
int auth_parse(struct span value, struct auth_header *out);
/* Value of the named parameter (any case), or SPAN_NULL (p NULL) when the
 * parameter is absent; a present empty value has p != NULL and n == 0. */
struct span auth_param(const struct auth_header *h, const char *name);
/* Appends v with quoted-pair backslashes removed. */
void auth_unquote(struct span v, struct strbuf *out);

/* Scheme of a name ("ntlm", "TLS-DSK" ...); AUTH_OTHER when unknown. */
enum auth_scheme auth_scheme_from_name(struct span name);
/* "NTLM", "Kerberos", "TLS-DSK", "Negotiate", "Digest", "Basic", "other",
 * "" for AUTH_NONE. */
const char *auth_scheme_name(enum auth_scheme s);
/* Appends the names of the schemes in set, ", "-separated, in the order of
 * enum auth_scheme (the order Lync servers offer them): "Kerberos, NTLM". */
void auth_scheme_names(unsigned set, struct strbuf *out);

/* Base64 (RFC 4648, whitespace ignored, padding optional). Decodes in,
 * stores the first outsz bytes into out (out may be NULL when outsz is 0)
 * and sets *outlen to the full decoded length. Returns 0, or an AUTH_B64_*
 * error; *outlen then counts the bytes decoded before the problem. */
#define AUTH_B64_BAD_CHAR	-1	/* a byte outside the alphabet */
#define AUTH_B64_BAD_PAD	-2	/* bad padding or a lone trailing char */
int auth_base64_decode(struct span in, unsigned char *out, size_t outsz,
		       size_t *outlen);
/* Upper bound of the decoded length of in. */
size_t auth_base64_len(struct span in);

/* What a gssapi-data token is. */
enum auth_tok_kind {
	AUTH_TOK_NONE = 0,	/* no gssapi-data at all */
	AUTH_TOK_EMPTY,		/* gssapi-data="" (start of an NTLM/TLS-DSK handshake) */
	AUTH_TOK_BAD_BASE64,
	AUTH_TOK_NTLM,
	AUTH_TOK_KERBEROS,
	AUTH_TOK_SPNEGO,
	AUTH_TOK_TLS,
	AUTH_TOK_UNKNOWN,
};

/* The step a token or message is at. */
enum auth_step {
	AUTH_STEP_NONE = 0,
	AUTH_STEP_NTLM_NEGOTIATE,	/* NTLM type 1 */
	AUTH_STEP_NTLM_CHALLENGE,	/* NTLM type 2 */
	AUTH_STEP_NTLM_AUTHENTICATE,	/* NTLM type 3 */
	AUTH_STEP_KRB_AP_REQ,
	AUTH_STEP_KRB_AP_REP,
	AUTH_STEP_KRB_ERROR,
	AUTH_STEP_TLS_HANDSHAKE,	/* TLS-DSK records */
	AUTH_STEP_EMPTY,		/* empty gssapi-data */
	AUTH_STEP_OTHER,		/* a token, but not one we know */
};

/* NTLM negotiate flags (MS-NLMP 2.2.2.5) that have names. */
#define AUTH_NTLM_UNICODE		0x00000001u
#define AUTH_NTLM_OEM			0x00000002u
#define AUTH_NTLM_REQUEST_TARGET	0x00000004u
#define AUTH_NTLM_SIGN			0x00000010u
#define AUTH_NTLM_SEAL			0x00000020u
#define AUTH_NTLM_DATAGRAM		0x00000040u
#define AUTH_NTLM_LM_KEY		0x00000080u
#define AUTH_NTLM_NTLM			0x00000200u
#define AUTH_NTLM_ANONYMOUS		0x00000800u
#define AUTH_NTLM_DOMAIN_SUPPLIED	0x00001000u
#define AUTH_NTLM_WORKSTATION_SUPPLIED	0x00002000u
#define AUTH_NTLM_ALWAYS_SIGN		0x00008000u
#define AUTH_NTLM_TARGET_DOMAIN		0x00010000u
#define AUTH_NTLM_TARGET_SERVER		0x00020000u
#define AUTH_NTLM_EXTENDED_SESSION	0x00080000u
#define AUTH_NTLM_IDENTIFY		0x00100000u
#define AUTH_NTLM_TARGET_INFO		0x00800000u
#define AUTH_NTLM_VERSION		0x02000000u
#define AUTH_NTLM_128			0x20000000u
#define AUTH_NTLM_KEY_EXCH		0x40000000u
#define AUTH_NTLM_56			0x80000000u

/* Token problem flags. */
#define AUTH_TOKF_TRUNCATED	0x01	/* the token ends before its header/fields */
#define AUTH_TOKF_BAD_FIELD	0x02	/* a field's offset/length points outside */
#define AUTH_TOKF_BAD_BASE64	0x04	/* see b64err */
#define AUTH_TOKF_TOO_LARGE	0x08	/* only the first AUTH_TOKEN_MAX bytes decoded */

#define AUTH_TOKEN_MAX	65536	/* decoded bytes looked at */
#define AUTH_NAME_MAX	128	/* UTF-8 bytes kept of a name (cut, not overrun) */
#define AUTH_TLS_MAX	12	/* TLS handshake messages kept */

/* A decoded gssapi-data token. Self-contained: strings are copied (UTF-8,
 * NUL-terminated, not sanitised: pass them through sanitize_append), so
 * there is nothing to free. */
struct auth_token {
	enum auth_tok_kind kind;
	enum auth_step step;
	size_t len;		/* decoded bytes */
	unsigned flags;		/* AUTH_TOKF_* */
	int b64err;		/* AUTH_B64_* when AUTH_TOKF_BAD_BASE64 */
	char problem[96];	/* first problem in words, "" when none */

	/* NTLM */
	int ntlm_type;		/* 1, 2, 3; other values as read */
	uint32_t ntlm_flags;
	int has_ntlm_flags;
	char target[AUTH_NAME_MAX];	/* CHALLENGE target name */
	char domain[AUTH_NAME_MAX];	/* NEGOTIATE/AUTHENTICATE */
	char user[AUTH_NAME_MAX];	/* AUTHENTICATE */
	char workstation[AUTH_NAME_MAX];
	int has_version;	/* os version in the token */
	uint8_t ver_major, ver_minor;
	uint16_t ver_build;

	/* Kerberos / SPNEGO: the OID the GSS-API wrapper named (dotted), and
	 * the [APPLICATION n] tag of the Kerberos message (14, 15, 30). */
	char oid[48];
	int krb_app;
	/* AP-REQ: the ticket's realm and service name ("sip/pool.example.com");
	 * KRB-ERROR: the error code (RFC 4120 7.5.9) and e-text. */
	char krb_realm[AUTH_NAME_MAX];
	char krb_sname[AUTH_NAME_MAX];
	int has_krb_error;
	int krb_error;
	char krb_etext[AUTH_NAME_MAX];

	/* TLS-DSK: records seen, protocol version of the first one, and the
	 * handshake message types in order (1 ClientHello, 2 ServerHello, 11
	 * Certificate, ...; -1 for an encrypted handshake message). */
	int tls_records;
	uint16_t tls_version;
	int tls_ccs;		/* a ChangeCipherSpec record was seen */
	int tls_alert;		/* an alert record was seen */
	int tls_hs[AUTH_TLS_MAX];
	int tls_nhs;
};

/* Decodes gssapi-data (base64 text, unquoted span) into out. Never fails:
 * problems go to out->flags and out->problem. Allocates at most
 * AUTH_TOKEN_MAX bytes temporarily. */
void auth_decode_gssapi(struct span b64, struct auth_token *out);
/* Same over decoded bytes. */
void auth_decode_token(const unsigned char *p, size_t n,
		       struct auth_token *out);
/* Appends the names of the NTLM flags in f, ", "-separated ("UNICODE,
 * NTLM, ALWAYS_SIGN"); unnamed bits as 0x... */
void auth_ntlm_flag_names(uint32_t f, struct strbuf *out);
/* Name of a Kerberos error code ("KRB_AP_ERR_SKEW"), or NULL. */
const char *auth_krb_error_name(int code);
/* Name of a TLS handshake message type ("ClientHello"), or "type N" in a
 * static buffer for unknown ones. */
const char *auth_tls_hs_name(int type);
/* Short label of a step: "NTLM NEGOTIATE", "Kerberos AP-REQ", "TLS-DSK
 * ClientHello", "NTLM" for an empty token; "" for AUTH_STEP_NONE. */
void auth_step_label(enum auth_scheme s, const struct auth_token *t,
		     struct strbuf *out);

/* One line for the UI and explanations, e.g.
 *   "NTLM CHALLENGE, target UCLAB, flags 0xa0e7b00d (UNICODE, NTLM, ...)"
 *   "NTLM AUTHENTICATE, user UCLAB\izabelaf, workstation IZABELA-PC"
 *   "Kerberos AP-REQ (1181 bytes), ticket for sip/pool.example.com@EXAMPLE.COM"
 *   "Kerberos KRB-ERROR (110 bytes), error 37 KRB_AP_ERR_SKEW"
 *   "NTLM, empty token (start of handshake)"
 * scheme names the header's scheme (an empty token says nothing itself). */
void auth_token_describe(enum auth_scheme s, const struct auth_token *t,
			 struct strbuf *out);
/* One line for a whole header: the token's description when it carries
 * gssapi-data, else the scheme and its main parameters ("Kerberos, realm
 * "SIP Communications Service", targetname "sip/pool.example.com"";
 * "Digest, user "alice", realm "example.com""). */
void auth_describe(const struct auth_header *h, struct strbuf *out);

/* Per message. */

/* Schemes a 401/407 offers (WWW-Authenticate and Proxy-Authenticate):
 * a set of AUTH_BIT()s; 0 when none. */
unsigned auth_offered(const struct sipmsg *m);
/* Names of the offered schemes in header order, each once: "Kerberos,
 * NTLM". Appends nothing when there are none. */
void auth_offered_names(const struct sipmsg *m, struct strbuf *out);
/* What a 401/407 says of the credentials it answers, with the auth_offered()
 * set in *offered (NULL: not wanted), in one pass over the headers (rating
 * reads every challenge once, while indexing): AUTH_CH_STALE when a
 * challenge has stale=true (RFC 7616: the nonce is out of date, the
 * password was right); AUTH_CH_NEXT_LEG when one carries the next token
 * of a handshake (an NTLM CHALLENGE, TLS-DSK server records);
 * AUTH_CH_NO_MD5 when it offers Digest but none of its Digest challenges
 * with MD5 (each names another algorithm: SHA-256 only, RFC 8760), which
 * credentials computed with MD5 cannot answer. */
#define AUTH_CH_STALE		0x01
#define AUTH_CH_NEXT_LEG	0x02
#define AUTH_CH_NO_MD5		0x04
unsigned auth_challenge_info(const struct sipmsg *m, unsigned *offered);
/* Whether the 401/407 resp asks again for a realm the credentials of the
 * request req were for (also when either names no realm); 0 when each of
 * its challenges is for another realm: a further proxy or registrar on the
 * way, not a refusal of those credentials. */
int auth_same_realm(const struct sipmsg *resp, const struct sipmsg *req);
/* Whether credentials of the request req (any of its Authorization and
 * Proxy-Authorization headers: a retry through a proxy to a registrar
 * carries both) could answer a challenge of the 401/407 resp: one of its
 * challenges of their scheme names their realm (or one of the two names
 * none) and, for Digest, their nonce (or one of the two names none). For a
 * retry sent on a new Call-ID, which nothing else ties to the challenge. */
int auth_answers_challenge(const struct sipmsg *resp, const struct sipmsg *req);
/* Like auth_offered_names, with the Digest algorithms after "Digest" when
 * one is not MD5 (RFC 8760): "Digest (SHA-256, MD5)", for explanations: a
 * phone that knows only MD5 cannot answer "Digest (SHA-256)". */
void auth_offered_detail(const struct sipmsg *m, struct strbuf *out);
/* The Digest algorithms a 401/407's challenges name, each once, in order,
 * ", "-separated: "SHA-256, MD5" (MD5 for one that names none, RFC 7616
 * 3.3). Appends nothing when it offers no Digest. */
void auth_digest_algorithms(const struct sipmsg *m, struct strbuf *out);
/* The algorithm of a request's Digest credentials in header hdr
 * (HDR_AUTHORIZATION, which answers a 401, or HDR_PROXY_AUTHORIZATION, a
 * 407), or when it has none there its first ones in the other: a retry
 * through a proxy to a registrar carries both, for algorithms that may
 * differ. *alg (may be NULL) is set to it as written, or to "MD5" when
 * they name none. Returns 1 when it is MD5 or MD5-sess, 0 for another, -1
 * (*alg untouched) when the request has no Digest credentials. Digest
 * headers are short: reading them is cheap. */
int auth_digest_credentials(const struct sipmsg *m, enum hdr_id hdr,
			    struct span *alg);
/* Whether a request carries credentials (Authorization or
 * Proxy-Authorization). */
int auth_has_credentials(const struct sipmsg *m);
/* Whether a request's credentials only open a handshake the server's
 * answer continues: gssapi-data="" (the first leg of NTLM or TLS-DSK), an
 * NTLM NEGOTIATE or a TLS-DSK ClientHello. They prove nothing yet, so a
 * 401 to them is the next leg, not a rejection. Reads only the first bytes
 * of the token (gssapi-data, as Lync writes it: lower case). */
int auth_opens_handshake(const struct sipmsg *m);
/* The credentials of a request (first Authorization/Proxy-Authorization):
 * returns its scheme (AUTH_NONE when none) and, when tok is not NULL,
 * decodes its gssapi-data into *tok (tok->step says NTLM/Kerberos/TLS-DSK
 * step; AUTH_TOK_NONE when the header has no gssapi-data). */
enum auth_scheme auth_credentials(const struct sipmsg *m,
				  struct auth_token *tok);
/* The auth step of any message, as a short label for the flow diagram:
 * request with credentials -> "NTLM AUTHENTICATE", "NTLM NEGOTIATE", "NTLM"
 * (empty token), "Kerberos AP-REQ", "Digest"; 401/407 -> "Kerberos, NTLM"
 * or "NTLM CHALLENGE" (when a challenge carries a token); a response with
 * [Proxy-]Authentication-Info -> its scheme ("NTLM", or "Kerberos AP-REP"
 * when it carries a token). Appends nothing when the message has none. */
void auth_message_label(const struct sipmsg *m, struct strbuf *out);

#endif
