/* rd_common: helpers shared by the format modules (rd_*.c) only; the rest
 * of the program uses reader.h. */
#ifndef SIPSNOOP_RD_COMMON_H
#define SIPSNOOP_RD_COMMON_H

#include <stddef.h>
#include "reader.h"

/* Whether the n bytes at p are a SIP request or status line. */
int rd_raw_is_start(const char *p, size_t n);
/* Splits the SIP message whose start line begins at off, looking no
 * further than lim: fills rec's start, hdrs and body and returns the offset
 * just after the message. Without Content-Length *has_cl is 0 and the body
 * runs to lim. A header block or body cut short by lim sets
 * RECF_TRUNCATED. */
size_t rd_raw_split(const char *d, size_t off, size_t lim,
		    struct rd_record *rec, int *has_cl);

#endif
