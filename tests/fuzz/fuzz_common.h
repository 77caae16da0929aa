/* fuzz_common: helpers shared by the libFuzzer harnesses: an invariant
 * check that aborts with a message (so libFuzzer saves the input), and a
 * span-inside-buffer test. */
#ifndef SIPSNOOP_FUZZ_COMMON_H
#define SIPSNOOP_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n",\
			    __FILE__, __LINE__, #cond);			\
			abort();					\
		}							\
	} while (0)

/* Whether s lies inside [base, base + len) (an empty span anywhere inside
 * or at the end, or a NULL one, is fine). */
static inline int
fuzz_span_in(struct span s, const char *base, size_t len)
{
	if (s.p == NULL)
		return s.n == 0;
	return s.p >= base && s.p <= base + len &&
	    s.n <= (size_t)(base + len - s.p);
}

#endif
