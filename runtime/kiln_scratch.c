/*===- kiln_scratch.c - the kernels' scratch memory, one arena per thread --===*
 *
 * Halide allocates a kernel's intermediate buffers above its stack limit
 * (an activation row quantized for a matmul, a matmul's partial sums: 22 KB
 * to 1 MB in a 1.1B decode step) with halide_malloc, and frees them before
 * the kernel returns. Installed as Halide's malloc and free, this gives
 * each thread one arena that those buffers are carved from in LIFO order,
 * so a decode step makes no allocation once the arena has grown to the
 * step's high-water mark (during the first steps).
 *
 * A block that does not fit is taken from the heap, and the arena is
 * enlarged to the demand it has seen the next time it is empty (so live
 * blocks never move). Blocks freed out of order are marked and released
 * when the blocks above them go. Arenas are freed when their thread exits
 * or the library is unloaded.
 *
 *===---------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "kiln_runtime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*kiln_malloc_fn)(void *, size_t);
typedef void (*kiln_free_fn)(void *, void *);
extern kiln_malloc_fn halide_set_custom_malloc(kiln_malloc_fn);
extern kiln_free_fn halide_set_custom_free(kiln_free_fn);

/* Alignment of every block (Halide needs 32; a cache line for AVX-512),
 * and the header before each: Halide may read a few bytes before a block
 * and after its end. */
#define ALIGN 64
#define SLACK 64
#define ARENA_MAX ((size_t)1 << 32)

#define NONE ((size_t)-1)

/* Before each block; a block's header sits at the arena's top as it was
 * when the block was taken. */
typedef struct block_header {
  size_t previous; /* the header of the block below, or NONE */
  size_t freed;    /* freed, waiting for the blocks above it */
  char pad[ALIGN - 2 * sizeof(size_t)];
} block_header;

typedef struct arena {
  char *base;
  size_t size, top;
  size_t last; /* the topmost block's header, or NONE */
  size_t live_peak, demand; /* bytes in use at once, at most, seen so far */
  struct arena *next, *prev; /* every thread's arena, for unload */
} arena;

static pthread_mutex_t arenas_lock = PTHREAD_MUTEX_INITIALIZER;
static arena *arenas;
static pthread_key_t arena_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int key_made;

static void release(arena *a) {
  pthread_mutex_lock(&arenas_lock);
  if (a->prev)
    a->prev->next = a->next;
  else
    arenas = a->next;
  if (a->next)
    a->next->prev = a->prev;
  pthread_mutex_unlock(&arenas_lock);
  free(a->base);
  free(a);
}

static void thread_exit(void *a) { release(a); }

static void make_key(void) { key_made = pthread_key_create(&arena_key, thread_exit) == 0; }

static arena *this_thread_arena(void) {
  pthread_once(&key_once, make_key);
  if (!key_made)
    return NULL;
  arena *a = pthread_getspecific(arena_key);
  if (a)
    return a;
  a = calloc(1, sizeof(arena));
  if (!a || pthread_setspecific(arena_key, a) != 0) {
    free(a);
    return NULL;
  }
  a->last = NONE;
  pthread_mutex_lock(&arenas_lock);
  a->next = arenas;
  if (arenas)
    arenas->prev = a;
  arenas = a;
  pthread_mutex_unlock(&arenas_lock);
  return a;
}

static void *heap_block(size_t bytes) {
  void *p = NULL;
  /* Headroom before and after, as for arena blocks. */
  if (posix_memalign(&p, ALIGN, bytes + ALIGN + SLACK) != 0)
    return NULL;
  return (char *)p + ALIGN;
}

static void *scratch_malloc(void *user_context, size_t bytes) {
  (void)user_context;
  if (bytes > ARENA_MAX)
    return NULL;
  size_t need = sizeof(block_header) + (bytes + ALIGN - 1) / ALIGN * ALIGN;
  arena *a = this_thread_arena();
  if (!a)
    return heap_block(bytes);
  if (a->top == 0 && a->demand > a->size) {
    /* Empty: grow to what the kernels have asked for at once. */
    void *grown = NULL;
    if (posix_memalign(&grown, ALIGN, a->demand + SLACK) == 0) {
      free(a->base);
      a->base = grown;
      a->size = a->demand;
    }
  }
  size_t live = a->top + need;
  if (live > a->live_peak)
    a->live_peak = live;
  if (live > a->size) {
    if (a->live_peak > a->demand)
      a->demand = a->live_peak;
    return heap_block(bytes);
  }
  block_header *h = (block_header *)(a->base + a->top);
  h->previous = a->last;
  h->freed = 0;
  a->last = a->top;
  a->top = live;
  return h + 1;
}

static void scratch_free(void *user_context, void *p) {
  (void)user_context;
  if (!p)
    return;
  arena *a = key_made ? pthread_getspecific(arena_key) : NULL;
  char *c = p;
  if (!a || !a->base || c < a->base || c >= a->base + a->size) {
    free(c - ALIGN); /* a heap block */
    return;
  }
  ((block_header *)c - 1)->freed = 1;
  /* Release every freed block at the top. */
  while (a->last != NONE && ((block_header *)(a->base + a->last))->freed) {
    a->top = a->last;
    a->last = ((block_header *)(a->base + a->last))->previous;
  }
  if (a->last == NONE)
    a->top = 0;
}

void kiln_scratch_install(void) {
  halide_set_custom_malloc(scratch_malloc);
  halide_set_custom_free(scratch_free);
}

/* At unload: free every thread's arena and forget the key (its destructor
 * lives in this library). */
__attribute__((destructor)) static void free_arenas(void) {
  if (!key_made)
    return;
  pthread_key_delete(arena_key);
  key_made = 0;
  pthread_mutex_lock(&arenas_lock);
  arena *a = arenas;
  arenas = NULL;
  pthread_mutex_unlock(&arenas_lock);
  while (a) {
    arena *next = a->next;
    free(a->base);
    free(a);
    a = next;
  }
}
