/*===- kiln_threads.c - the thread pool the kernels' parallel loops run on -===*
 *
 * Halide's own pool puts its workers to sleep on a condition variable as
 * soon as a parallel loop ends, so each of the ~10 parallel kernels per
 * layer of a decode step paid a futex wake-up and a sleep (about a tenth of
 * a two-thread decode step). This pool, installed with
 * halide_set_custom_do_par_for, keeps its workers spinning for a short
 * while (KILN_SPIN_NS) after each loop, as llama.cpp's does, and only then
 * sleeps; the caller's next loop finds them awake.
 *
 * One loop runs on the pool at a time: the caller takes `busy` and runs
 * iterations alongside the workers, claiming them one at a time from a
 * shared counter. A loop started while another owns the pool (a second
 * model instance in another thread) or from inside a loop's iteration runs
 * its iterations on the calling thread.
 *
 * Publishing a loop is a sequence lock: `generation` is odd while the
 * caller rewrites the loop's fields and even once they are complete.
 * Workers count themselves `inside` before reading the fields and leave if
 * the generation moved; the caller waits for `inside` to drain before it
 * rewrites the fields.
 *
 *===---------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "kiln_runtime.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* Halide's task and parallel-loop hooks, as HalideRuntime.h declares them. */
typedef int (*kiln_task_fn)(void *user_context, int index, uint8_t *closure);
typedef int (*kiln_par_for_fn)(void *, kiln_task_fn, int, int, uint8_t *);
extern kiln_par_for_fn halide_set_custom_do_par_for(kiln_par_for_fn);

/* How long an idle worker spins before it sleeps: long enough to bridge the
 * gaps between one step's kernels and between decode steps, short enough
 * not to burn a core for an application that has stopped calling. */
#define KILN_SPIN_NS 2000000LL
#define KILN_MAX_THREADS 256

static struct {
  atomic_flag busy;              /* a loop owns the pool */
  pthread_once_t started;
  int workers;                   /* threads beside the caller */
  pthread_t threads[KILN_MAX_THREADS];

  atomic_uint generation;        /* odd: the fields below are being written */
  atomic_int inside;             /* workers reading the current loop */
  kiln_task_fn task;
  void *user_context;
  uint8_t *closure;
  int first, end;                /* the loop's iterations: first + [0, end) */
  atomic_int next;               /* the next unclaimed iteration */
  atomic_int finished;           /* iterations done */
  atomic_int status;             /* the first non-zero task status */

  pthread_mutex_t sleep_lock;
  pthread_cond_t wake;
  atomic_int sleeping;
  atomic_int shutdown;
} pool = {
  .busy = ATOMIC_FLAG_INIT,
  .started = PTHREAD_ONCE_INIT,
  .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
  .wake = PTHREAD_COND_INITIALIZER,
};

/* Set while this thread runs a loop's iteration: a parallel loop inside it
 * runs serially (the pool is already spread over the outer loop). */
static __thread int in_task;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Claims and runs iterations of the published loop until none are left. */
static void run_iterations(void) {
  in_task = 1;
  for (;;) {
    int i = atomic_fetch_add_explicit(&pool.next, 1, memory_order_relaxed);
    if (i >= pool.end)
      break;
    if (atomic_load_explicit(&pool.status, memory_order_relaxed) == 0) {
      int status = pool.task(pool.user_context, pool.first + i, pool.closure);
      if (status != 0) {
        int zero = 0;
        atomic_compare_exchange_strong(&pool.status, &zero, status);
      }
    }
    atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
  }
  in_task = 0;
}

/* Waits until the generation differs from `seen` and is even (a complete
 * loop) or the pool shuts down; spins first, then sleeps. Returns the new
 * generation, or `seen` at shutdown. */
static unsigned await_loop(unsigned seen) {
  long long deadline = 0;
  for (unsigned spins = 0;; ++spins) {
    unsigned g = atomic_load(&pool.generation);
    if (atomic_load_explicit(&pool.shutdown, memory_order_relaxed))
      return seen;
    if (g != seen && !(g & 1))
      return g;
    if ((spins & 255) != 255) {
      cpu_relax();
      continue;
    }
    long long t = now_ns();
    if (!deadline) {
      deadline = t + KILN_SPIN_NS;
      continue;
    }
    if (t < deadline)
      continue;
    pthread_mutex_lock(&pool.sleep_lock);
    atomic_fetch_add(&pool.sleeping, 1);
    for (;;) {
      g = atomic_load(&pool.generation);
      if ((g != seen && !(g & 1)) || atomic_load(&pool.shutdown))
        break;
      pthread_cond_wait(&pool.wake, &pool.sleep_lock);
    }
    atomic_fetch_sub(&pool.sleeping, 1);
    pthread_mutex_unlock(&pool.sleep_lock);
    deadline = 0;
  }
}

static void *worker(void *arg) {
  (void)arg;
  unsigned seen = 0;
  for (;;) {
    unsigned g = await_loop(seen);
    if (g == seen)
      return NULL; /* shutdown */
    seen = g;
    atomic_fetch_add(&pool.inside, 1);
    if (atomic_load(&pool.generation) == g)
      run_iterations();
    atomic_fetch_sub_explicit(&pool.inside, 1, memory_order_release);
  }
}

/* The number of threads loops run on: HL_NUM_THREADS when set (as with
 * Halide's own pool), else the CPUs this process may run on. */
static int thread_count(void) {
  const char *env = getenv("HL_NUM_THREADS");
  int n = env ? atoi(env) : 0;
  if (n <= 0) {
    cpu_set_t set;
    n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
  }
  return n < 1 ? 1 : n > KILN_MAX_THREADS ? KILN_MAX_THREADS : n;
}

static void start_workers(void) {
  int wanted = thread_count() - 1;
  for (int i = 0; i < wanted; ++i) {
    if (pthread_create(&pool.threads[i], NULL, worker, NULL) != 0)
      break; /* fewer workers: loops still complete on the caller */
    pool.workers = i + 1;
  }
}

/* Halide's parallel loop: iterations min .. min+size-1 of `task`. */
static int do_par_for(void *user_context, kiln_task_fn task, int min, int size,
                      uint8_t *closure) {
  if (size <= 0)
    return 0;
  if (!in_task && size > 1)
    pthread_once(&pool.started, start_workers);
  if (in_task || size == 1 || pool.workers == 0 ||
      atomic_flag_test_and_set_explicit(&pool.busy, memory_order_acquire)) {
    for (int i = min; i < min + size; ++i) {
      int status = task(user_context, i, closure);
      if (status != 0)
        return status;
    }
    return 0;
  }
  /* Close the previous loop to late readers, then publish this one. */
  unsigned g = atomic_load_explicit(&pool.generation, memory_order_relaxed);
  atomic_store(&pool.generation, g + 1);
  while (atomic_load(&pool.inside) != 0)
    cpu_relax();
  pool.task = task;
  pool.user_context = user_context;
  pool.closure = closure;
  pool.first = min;
  pool.end = size;
  atomic_store_explicit(&pool.next, 0, memory_order_relaxed);
  atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
  atomic_store_explicit(&pool.status, 0, memory_order_relaxed);
  atomic_store(&pool.generation, g + 2);
  if (atomic_load(&pool.sleeping) > 0) {
    pthread_mutex_lock(&pool.sleep_lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);
  }
  run_iterations();
  for (unsigned spins = 0;
       atomic_load_explicit(&pool.finished, memory_order_acquire) < size; ++spins)
    if ((spins & 1023) == 1023)
      sched_yield(); /* a worker was preempted mid-iteration */
    else
      cpu_relax();
  int status = atomic_load_explicit(&pool.status, memory_order_relaxed);
  atomic_flag_clear_explicit(&pool.busy, memory_order_release);
  return status;
}

void kiln_threads_install(void) { halide_set_custom_do_par_for(do_par_for); }

/* At unload (dlclose, exit), stop and join the workers: their code lives in
 * this library. */
__attribute__((destructor)) static void stop_workers(void) {
  if (pool.workers == 0)
    return;
  atomic_store(&pool.shutdown, 1);
  pthread_mutex_lock(&pool.sleep_lock);
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.sleep_lock);
  for (int i = 0; i < pool.workers; ++i)
    pthread_join(pool.threads[i], NULL);
  pool.workers = 0;
}
