/* llm_api.c: exercises the C API of a library compiled from a GGUF model
 * (named "m": m.h / libm.so), printing one line per check for FileCheck:
 * sequences, prefill/decode, logits, sampling, and every error path. */
#include "m.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int argmax(const float *x, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (x[i] > x[best])
      best = i;
  return best;
}

typedef struct {
  int32_t tokens[64];
  int count, stop_after;
  size_t text_bytes;
} collected;

static int collect(int32_t token, const char *piece, int length, void *user) {
  collected *c = user;
  (void)piece;
  c->tokens[c->count++] = token;
  c->text_bytes += (size_t)length;
  return c->count == c->stop_after;
}

static float max_diff(const float *a, const float *b, int n) {
  float d = 0;
  for (int i = 0; i < n; ++i)
    d = fmaxf(d, fabsf(a[i] - b[i]));
  return d;
}

int main(int argc, char **argv) {
  const char *other_file = argc > 1 ? argv[1] : NULL;
  int vocab = m_n_vocab(), ctx = m_n_ctx();
  printf("vocab %d ctx %d bos %d eos %d\n", vocab, ctx, m_bos(), m_eos());
  m_model *model = m_create(NULL);
  if (!model) {
    printf("create failed: %s\n", m_last_error());
    return 1;
  }
  m_seq *a = m_seq_create(model), *b = m_seq_create(model);
  int32_t prompt[] = {1, 312, 378, 326, 315, 317, 291, 260, 357, 510, 317};
  int n = sizeof(prompt) / sizeof(prompt[0]);
  float *first = malloc(sizeof(float) * vocab);

  /* Prefill and the greedy sampler agree with the logits' argmax. */
  int status = m_prefill(a, prompt, n);
  printf("prefill %d position %d\n", status, m_position(a));
  memcpy(first, m_logits(a), sizeof(float) * vocab);
  m_sampler greedy = {0, 0, 1, 0};
  uint64_t state = 0;
  int32_t t = m_sample(a, &greedy, &state);
  printf("greedy is argmax: %s\n", t == argmax(first, vocab) ? "yes" : "no");

  /* Token by token (decode) equals one prefill. */
  for (int i = 0; i < n; ++i)
    if (i == 0 ? m_prefill(b, prompt, 1) : m_decode(b, prompt[i]))
      printf("decode failed: %s\n", m_last_error());
  printf("decode path max diff %g\n", max_diff(first, m_logits(b), vocab));

  /* Sequences are independent: decoding b does not disturb a. */
  m_decode(b, 5);
  m_decode(a, t);
  m_seq_reset(b);
  m_prefill(b, prompt, n);
  m_decode(b, t);
  printf("independent sequences max diff %g\n", max_diff(m_logits(a), m_logits(b), vocab));

  /* Sampling with a seed is reproducible; top_k = 1 is greedy. */
  m_sampler warm = {0.9f, 40, 0.95f, 7};
  int32_t s1[16], s2[16];
  for (int run = 0; run < 2; ++run) {
    m_seq_reset(b);
    m_prefill(b, prompt, n);
    uint64_t st = 7;
    for (int i = 0; i < 16; ++i) {
      int32_t tok = m_sample(b, &warm, &st);
      (run ? s2 : s1)[i] = tok;
      m_decode(b, tok);
    }
  }
  printf("seeded sampling reproducible: %s\n", memcmp(s1, s2, sizeof s1) ? "no" : "yes");
  m_sampler topk1 = {1.5f, 1, 1, 3};
  state = 3;
  m_seq_reset(b);
  m_prefill(b, prompt, n);
  printf("top-k 1 is greedy: %s\n", m_sample(b, &topk1, &state) == argmax(m_logits(b), vocab) ? "yes" : "no");

  /* generate() is prefill + greedy sample/decode, with a callback that can
   * stop it; tokenize()/token_to_piece() round-trip plain text. */
  int32_t manual[12];
  m_seq_reset(b);
  m_prefill(b, prompt, n);
  for (int i = 0; i < 12; ++i) {
    manual[i] = m_sample(b, &greedy, &state);
    if (i < 11)
      m_decode(b, manual[i]);
  }
  collected got = {{0}, 0, 12, 0};
  m_seq_reset(b);
  int generated = m_generate(b, prompt, n, 100, &greedy, collect, &got);
  printf("generate: %d tokens, same as manual: %s\n", generated,
         generated == 12 && !memcmp(manual, got.tokens, sizeof manual) ? "yes" : "no");
  int32_t ids[64];
  int nids = m_tokenize(model, "the day was", 1, ids, 64);
  char text[256];
  int len = 0;
  for (int i = 0; i < nids; ++i)
    len += m_token_to_piece(model, ids[i], text + len, (int)sizeof(text) - len);
  text[len] = 0;
  printf("tokenize: %d ids, first is bos: %s, text '%s'\n", nids, ids[0] == m_bos() ? "yes" : "no", text);
  printf("tokenize too small: %d\n", m_tokenize(model, "the day was", 1, ids, 1));

  /* Errors: return codes and one message each. */
  int32_t bad[] = {1, vocab};
  printf("out of range: %d %s\n", m_prefill(b, bad, 2), m_last_error());
  printf("negative token: %d %s\n", m_decode(b, -3), m_last_error());
  m_seq_reset(b);
  int32_t *many = calloc(ctx + 1, sizeof(int32_t));
  printf("context full: %d %s\n", m_prefill(b, many, ctx + 1), m_last_error());
  status = m_prefill(b, many, ctx);
  printf("fills exactly: %d position %d\n", status, m_position(b));
  printf("then full: %d %s\n", m_decode(b, 1), m_last_error());
  printf("null sequence: %d %s\n", m_prefill(NULL, prompt, 1), m_last_error());
  printf("null seq create: %s %s\n", m_seq_create(NULL) ? "non-null" : "null", m_last_error());
  printf("missing file: %s %s\n", m_create("/nonexistent/model.gguf") ? "non-null" : "null", m_last_error());
  if (other_file)
    printf("other file: %s %s\n", m_create(other_file) ? "non-null" : "null", m_last_error());
  m_seq_destroy(a);
  m_seq_destroy(b);
  m_seq_destroy(NULL);
  m_destroy(model);
  m_destroy(NULL);
  free(first);
  free(many);
  printf("done\n");
  return 0;
}
