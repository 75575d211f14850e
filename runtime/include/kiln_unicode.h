/*===- kiln_unicode.h - code point classes for tokenizer pre-splitting --===*/
#ifndef KILN_UNICODE_H
#define KILN_UNICODE_H

#include <stdint.h>

typedef struct kiln_unicode_range {
  uint32_t first, last;
  uint8_t flags; /* 1: letter, 2: number */
} kiln_unicode_range;

extern const kiln_unicode_range kiln_unicode_ranges[];
extern const int kiln_unicode_range_count;

#endif /* KILN_UNICODE_H */
