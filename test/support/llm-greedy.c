/* llm-greedy LIB.so NAME IDS N: loads a kiln LLM library, prefills the
 * comma-separated prompt token IDS and prints the N tokens greedy decoding
 * picks (the arg-max of each step's logits), space-separated. Plain C with
 * no kiln code: tests cross-compile it for aarch64 and run it under
 * qemu-user next to the aarch64 library. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *sym(void *lib, const char *name, const char *fn) {
  char full[256];
  snprintf(full, sizeof full, "%s_%s", name, fn);
  void *p = dlsym(lib, full);
  if (!p) {
    fprintf(stderr, "llm-greedy: %s missing\n", full);
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: llm-greedy LIB.so NAME IDS N\n");
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "llm-greedy: %s\n", dlerror());
    return 1;
  }
  const char *name = argv[2];
  void *(*create)(const char *) = sym(lib, name, "create");
  void *(*seq_create)(void *) = sym(lib, name, "seq_create");
  int (*prefill)(void *, const int32_t *, int) = sym(lib, name, "prefill");
  int (*decode)(void *, int32_t) = sym(lib, name, "decode");
  const float *(*logits)(const void *) = sym(lib, name, "logits");
  int (*n_vocab)(void) = sym(lib, name, "n_vocab");
  const char *(*last_error)(void) = sym(lib, name, "last_error");
  int32_t prompt[4096];
  int n = 0;
  for (char *p = strtok(argv[3], ","); p && n < 4096; p = strtok(NULL, ","))
    prompt[n++] = (int32_t)atoi(p);
  void *model = create(NULL);
  void *seq = model ? seq_create(model) : NULL;
  if (!seq || prefill(seq, prompt, n) != 0) {
    fprintf(stderr, "llm-greedy: %s\n", last_error());
    return 1;
  }
  int count = atoi(argv[4]), vocab = n_vocab();
  for (int i = 0; i < count; ++i) {
    const float *l = logits(seq);
    int32_t best = 0;
    for (int v = 1; v < vocab; ++v)
      if (l[v] > l[best])
        best = v;
    printf("%s%d", i ? " " : "", best);
    if (i + 1 < count && decode(seq, best) != 0) {
      fprintf(stderr, "llm-greedy: %s\n", last_error());
      return 1;
    }
  }
  printf("\n");
  return 0;
}
