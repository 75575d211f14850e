/* llm_all_logits.c: a library compiled with --all-logits returns, from one
 * prefill_all call (several chunks and a single-token tail), the same
 * logits at every position as feeding the prompt one token at a time; a
 * library compiled without it refuses prefill_all with a message. */
#include "m.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int vocab = m_n_vocab();
  enum { N = 11 };
  int32_t prompt[N] = {1, 312, 378, 326, 315, 317, 291, 260, 357, 510, 317};
  m_model *model = m_create(NULL);
  m_seq *a = m_seq_create(model), *b = m_seq_create(model);
  float *all = malloc(sizeof(float) * N * vocab);
  int status = m_prefill_all(a, prompt, N, all);
  if (status != 0) {
    printf("prefill_all: %d %s\n", status, m_last_error());
    return 0;
  }
  float worst = 0;
  for (int i = 0; i < N; ++i) {
    if (i == 0 ? m_prefill(b, prompt, 1) : m_decode(b, prompt[i]))
      return 1;
    const float *step = m_logits(b);
    for (int v = 0; v < vocab; ++v)
      worst = fmaxf(worst, fabsf(all[i * vocab + v] - step[v]));
  }
  printf("all positions vs one at a time: max diff %g\n", worst);
  float last = 0;
  for (int v = 0; v < vocab; ++v)
    last = fmaxf(last, fabsf(all[(N - 1) * vocab + v] - m_logits(a)[v]));
  printf("last row is the logits: max diff %g\n", last);
  free(all);
  m_seq_destroy(a);
  m_seq_destroy(b);
  m_destroy(model);
  return 0;
}
