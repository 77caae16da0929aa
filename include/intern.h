/* intern: each distinct string stored once and named by a small integer,
 * so that the index and the filters compare integers. Id 0 is "none". */
#ifndef SIPSNOOP_INTERN_H
#define SIPSNOOP_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern;

struct intern *intern_new(void);
void intern_free(struct intern *t);
/* Id of the n bytes at p, adding them when new. n == 0 gives 0. */
uint32_t intern_add(struct intern *t, const char *p, size_t n);
/* Id of the bytes if present, else 0; never adds. */
uint32_t intern_lookup(const struct intern *t, const char *p, size_t n);
/* The NUL-terminated string of id (borrowed; "" for 0); *len may be NULL. */
const char *intern_str(const struct intern *t, uint32_t id, size_t *len);
/* Ids run from 1 to intern_count(t) - 1. */
uint32_t intern_count(const struct intern *t);

#endif
