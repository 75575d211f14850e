/* count_allocations.so (input to e2e/decode-allocations.test), loaded with
 * LD_PRELOAD: counts every heap allocation call of the process (malloc,
 * calloc, realloc, posix_memalign, aligned_alloc, memalign) in any thread,
 * passing each on to glibc. allocation_count() reads the count. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_llong count;

long long allocation_count(void) { return atomic_load(&count); }

void *malloc(size_t n) {
  atomic_fetch_add(&count, 1);
  return __libc_malloc(n);
}

void *calloc(size_t n, size_t size) {
  atomic_fetch_add(&count, 1);
  return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) {
  atomic_fetch_add(&count, 1);
  return __libc_realloc(p, n);
}

void *memalign(size_t alignment, size_t n) {
  atomic_fetch_add(&count, 1);
  return __libc_memalign(alignment, n);
}

void *aligned_alloc(size_t alignment, size_t n) { return memalign(alignment, n); }

int posix_memalign(void **out, size_t alignment, size_t n) {
  void *p = memalign(alignment, n);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}
