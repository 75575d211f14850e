/* bench/llm_bench.c LIBDIR NAME [pp] [tg] [repeat]: kiln's speed on a
 * library compiled from a GGUF model: prefill of pp tokens, then tg decode
 * steps (greedy); prints "pp <tokens/s> tg <tokens/s> load <ms>", medians
 * over repeat runs after a warm-up; load is the wall time of dlopen,
 * <name>_create (which maps the weights) and <name>_seq_create. Loads
 * lib<NAME>.so with dlopen, so one binary serves every model. */
#include <dlfcn.h>
#include <stdint.h>
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>


int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: llm_bench LIBDIR NAME [pp] [tg] [repeat]\n");
    return 2;
  }
  int pp = argc > 3 ? atoi(argv[3]) : 128, tg = argc > 4 ? atoi(argv[4]) : 32;
  int repeat = argc > 5 ? atoi(argv[5]) : 3;
  char path[4096], sym[256];
  snprintf(path, sizeof path, "%s/lib%s.so", argv[1], argv[2]);
  double load0 = now();
  void *lib = dlopen(path, RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "llm_bench: %s\n", dlerror());
    return 1;
  }
  typedef void *(*create_fn)(const char *);
  typedef void *(*seq_create_fn)(void *);
  typedef void (*seq_reset_fn)(void *);
  typedef int (*prefill_fn)(void *, const int32_t *, int);
  typedef int (*decode_fn)(void *, int32_t);
  typedef const char *(*error_fn)(void);
#define LOAD(type, var, suffix) \
  snprintf(sym, sizeof sym, "%s_" suffix, argv[2]); type var = (type)dlsym(lib, sym)
  LOAD(create_fn, create, "create");
  LOAD(seq_create_fn, seq_create, "seq_create");
  LOAD(seq_reset_fn, seq_reset, "seq_reset");
  LOAD(prefill_fn, prefill, "prefill");
  LOAD(decode_fn, decode, "decode");
  LOAD(error_fn, last_error, "last_error");
  if (!create || !seq_create || !seq_reset || !prefill || !decode || !last_error) {
    fprintf(stderr, "llm_bench: %s is not a kiln LLM library\n", path);
    return 1;
  }
  void *model = create(NULL);
  void *seq = model ? seq_create(model) : NULL;
  if (!seq) {
    fprintf(stderr, "llm_bench: %s\n", last_error());
    return 1;
  }
  double loadMs = (now() - load0) * 1e3;
  int32_t *prompt = malloc(sizeof(int32_t) * pp);
  for (int i = 0; i < pp; ++i)
    prompt[i] = 1 + (i * 37) % 500;
  double pps[64], tgs[64];
  if (repeat > 63)
    repeat = 63;
  for (int r = 0; r <= repeat; ++r) {
    seq_reset(seq);
    double t0 = now();
    if (prefill(seq, prompt, pp)) {
      fprintf(stderr, "llm_bench: %s\n", last_error());
      return 1;
    }
    double t1 = now();
    for (int i = 0; i < tg; ++i)
      decode(seq, prompt[i % pp]);
    double t2 = now();
    if (r > 0) {
      pps[r - 1] = pp / (t1 - t0);
      tgs[r - 1] = tg / (t2 - t1);
    }
  }
  printf("pp %.1f tg %.1f load %.1f\n", median(pps, repeat), median(tgs, repeat), loadMs);
  return 0;
}
