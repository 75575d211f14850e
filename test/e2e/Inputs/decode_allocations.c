/* decode_allocations (input to e2e/decode-allocations.test): runs a
 * library compiled from a GGUF model (named "m") under count_allocations.so
 * and prints how many heap allocations its decode steps make: a prefill
 * and WARM decode steps first (the scratch arenas grow to their high-water
 * mark), then STEPS more, counted. */
#include "m.h"

#include <stdio.h>
#include <stdlib.h>

extern long long allocation_count(void) __attribute__((weak));

int main(int argc, char **argv) {
  if (argc != 3 || !allocation_count) {
    fprintf(stderr, "usage: LD_PRELOAD=count_allocations.so decode_allocations WARM STEPS\n");
    return 2;
  }
  int warm = atoi(argv[1]), steps = atoi(argv[2]);
  m_model *model = m_create(NULL);
  m_seq *seq = model ? m_seq_create(model) : NULL;
  const int32_t prompt[4] = {1, 5, 9, 13};
  if (!seq || m_prefill(seq, prompt, 4) != 0) {
    fprintf(stderr, "decode_allocations: %s\n", m_last_error());
    return 1;
  }
  int32_t token = 7;
  for (int i = 0; i < warm; ++i)
    if (m_decode(seq, token) != 0)
      return 1;
  long long before = allocation_count();
  for (int i = 0; i < steps; ++i)
    if (m_decode(seq, (token = (token * 31 + 3) % m_n_vocab())) != 0) {
      fprintf(stderr, "decode_allocations: %s\n", m_last_error());
      return 1;
    }
  long long made = allocation_count() - before;
  printf("%d decode steps: %lld allocations\n", steps, made);
  m_seq_destroy(seq);
  m_destroy(model);
  return 0;
}
