/*===- kiln_llm.c - sequences, prefill/decode calls and sampling --------===*
 *
 * A sequence owns one buffer per KV cache (2 per layer) and its position.
 * Prefill feeds the prompt in chunks of the compiled size: the last chunk is
 * padded (the padding rows are written to cache rows past the sequence and
 * never read), and `last` picks the row whose logits are returned.
 *
 *===---------------------------------------------------------------------===*/
#include "kiln_llm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct kiln_seq {
  kiln_model *model;
  const kiln_llm_desc *desc;
  void **caches;
  float *logits;
  float *chunk_logits;         /* chunk * vocab, with all_logits */
  int32_t *tokens, *positions; /* chunk-sized staging */
  int position;
  void *user;
};

kiln_seq *kiln_llm_seq_create(kiln_model *model, const kiln_llm_desc *desc) {
  if (!model || !desc) {
    kiln_rt_set_error("null model");
    return NULL;
  }
  kiln_seq *seq = calloc(1, sizeof(kiln_seq));
  if (!seq) {
    kiln_rt_set_error("out of memory");
    return NULL;
  }
  seq->model = model;
  seq->desc = desc;
  seq->caches = calloc((size_t)desc->num_caches, sizeof(void *));
  seq->logits = calloc((size_t)desc->vocab, sizeof(float));
  seq->tokens = calloc((size_t)desc->chunk, sizeof(int32_t));
  seq->positions = calloc((size_t)desc->chunk, sizeof(int32_t));
  if (desc->all_logits)
    seq->chunk_logits = calloc((size_t)desc->chunk * (size_t)desc->vocab, sizeof(float));
  int ok = seq->caches && seq->logits && seq->tokens && seq->positions &&
           (!desc->all_logits || seq->chunk_logits);
  for (int i = 0; ok && i < desc->num_caches; ++i) {
    size_t bytes = (desc->cache_bytes + 63) / 64 * 64;
    seq->caches[i] = aligned_alloc(64, bytes);
    /* Rows are always written before they are read; zero them anyway so a
     * sequence never holds stale data. */
    if (seq->caches[i])
      memset(seq->caches[i], 0, bytes);
    ok = seq->caches[i] != NULL;
  }
  if (!ok) {
    kiln_rt_set_error("cannot allocate the KV cache (%d buffers of %llu bytes)",
                      desc->num_caches, (unsigned long long)desc->cache_bytes);
    kiln_llm_seq_destroy(seq);
    return NULL;
  }
  return seq;
}

void kiln_llm_seq_reset(kiln_seq *seq) {
  if (seq)
    seq->position = 0;
}

void kiln_llm_seq_destroy(kiln_seq *seq) {
  if (!seq)
    return;
  if (seq->caches)
    for (int i = 0; i < seq->desc->num_caches; ++i) {
      kiln_rt_forget_host(seq->model, seq->caches[i]);
      free(seq->caches[i]);
    }
  free(seq->caches);
  free(seq->logits);
  free(seq->chunk_logits);
  free(seq->tokens);
  free(seq->positions);
  free(seq);
}

/* Runs one entry on seq->tokens/positions[0..n) (n <= rows of the entry). */
static int run_entry(kiln_seq *seq, kiln_run_fn fn, int rows, int n) {
  const kiln_llm_desc *desc = seq->desc;
  for (int i = 0; i < rows; ++i) {
    seq->positions[i] = seq->position + i;
    if (i >= n)
      seq->tokens[i] = 0; /* padding */
  }
  int32_t last = n - 1;
  enum { kMaxInputs = 3 + 2 * 512 };
  const void *inputs[kMaxInputs];
  if (3 + desc->num_caches > kMaxInputs) {
    kiln_rt_set_error("model has too many layers (%d caches)", desc->num_caches);
    return -1;
  }
  inputs[0] = seq->tokens;
  inputs[1] = seq->positions;
  inputs[2] = &last;
  for (int i = 0; i < desc->num_caches; ++i)
    inputs[3 + i] = seq->caches[i];
  int every_row = desc->all_logits && fn == desc->prefill;
  void *outputs[1] = {every_row ? (void *)seq->chunk_logits : (void *)seq->logits};
  if (kiln_rt_run_fn(seq->model, fn, inputs, outputs) != 0)
    return -1;
  if (every_row)
    memcpy(seq->logits, seq->chunk_logits + (size_t)(n - 1) * (size_t)desc->vocab,
           sizeof(float) * (size_t)desc->vocab);
  seq->position += n;
  return 0;
}

static int check_tokens(const kiln_seq *seq, const int32_t *tokens, int n) {
  if (!seq) {
    kiln_rt_set_error("null sequence");
    return 0;
  }
  if (n < 0 || (n > 0 && !tokens)) {
    kiln_rt_set_error("invalid token array (%d tokens)", n);
    return 0;
  }
  if ((int64_t)seq->position + n > seq->desc->ctx) {
    kiln_rt_set_error("context full: %d tokens + %d new exceed the context of %lld",
                      seq->position, n, (long long)seq->desc->ctx);
    return 0;
  }
  for (int i = 0; i < n; ++i)
    if (tokens[i] < 0 || tokens[i] >= seq->desc->vocab) {
      kiln_rt_set_error("token id %d (at %d) is out of range [0, %lld)",
                        tokens[i], i, (long long)seq->desc->vocab);
      return 0;
    }
  return 1;
}

/* Prefill in chunks; with `all` (n * vocab floats), every position's
 * logits are copied out. */
static int prefill_impl(kiln_seq *seq, const int32_t *tokens, int n, float *all) {
  if (!check_tokens(seq, tokens, n))
    return -1;
  const kiln_llm_desc *desc = seq->desc;
  size_t vocab = (size_t)desc->vocab;
  int done = 0;
  while (done < n) {
    int left = n - done;
    if (left == 1) {
      seq->tokens[0] = tokens[done];
      if (run_entry(seq, desc->decode, 1, 1) != 0)
        return -1;
      if (all)
        memcpy(all + (size_t)done * vocab, seq->logits, sizeof(float) * vocab);
      done += 1;
      continue;
    }
    int take = left < desc->chunk ? left : (int)desc->chunk;
    memcpy(seq->tokens, tokens + done, (size_t)take * sizeof(int32_t));
    if (run_entry(seq, desc->prefill, (int)desc->chunk, take) != 0)
      return -1;
    if (all)
      memcpy(all + (size_t)done * vocab, seq->chunk_logits,
             sizeof(float) * vocab * (size_t)take);
    done += take;
  }
  return 0;
}

int kiln_llm_prefill(kiln_seq *seq, const int32_t *tokens, int n) {
  return prefill_impl(seq, tokens, n, NULL);
}

int kiln_llm_prefill_all(kiln_seq *seq, const int32_t *tokens, int n,
                         float *logits) {
  if (seq && !seq->desc->all_logits) {
    kiln_rt_set_error("this library returns the last position's logits only; "
                      "compile it with --all-logits");
    return -1;
  }
  if (n > 0 && !logits) {
    kiln_rt_set_error("null logits buffer");
    return -1;
  }
  return prefill_impl(seq, tokens, n, logits);
}

int kiln_llm_decode(kiln_seq *seq, int32_t token) {
  if (!check_tokens(seq, &token, 1))
    return -1;
  seq->tokens[0] = token;
  return run_entry(seq, seq->desc->decode, 1, 1);
}

const float *kiln_llm_logits(const kiln_seq *seq) {
  return seq ? seq->logits : NULL;
}

int kiln_llm_position(const kiln_seq *seq) { return seq ? seq->position : -1; }

void kiln_llm_seq_set_user(kiln_seq *seq, void *user) {
  if (seq)
    seq->user = user;
}

void *kiln_llm_seq_user(const kiln_seq *seq) { return seq ? seq->user : NULL; }

/* xorshift64*: small, seeded, the same on every platform. */
static uint64_t next_random(uint64_t *state) {
  uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ull;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

typedef struct {
  float p;
  int32_t id;
} candidate;

static int by_probability(const void *a, const void *b) {
  const candidate *x = a, *y = b;
  if (x->p != y->p)
    return x->p < y->p ? 1 : -1;
  return x->id - y->id;
}

int32_t kiln_llm_sample(const float *logits, int64_t vocab,
                        const kiln_sampler *sampler, uint64_t *state) {
  if (!logits || vocab <= 0)
    return -1;
  int32_t best = 0;
  for (int64_t i = 1; i < vocab; ++i)
    if (logits[i] > logits[best])
      best = (int32_t)i;
  if (!sampler || !(sampler->temperature > 0) || sampler->top_k == 1)
    return best;
  candidate *c = malloc((size_t)vocab * sizeof(candidate));
  if (!c)
    return best;
  double sum = 0;
  for (int64_t i = 0; i < vocab; ++i) {
    c[i].id = (int32_t)i;
    c[i].p = expf((logits[i] - logits[best]) / sampler->temperature);
    sum += c[i].p;
  }
  qsort(c, (size_t)vocab, sizeof(candidate), by_probability);
  int64_t keep = vocab;
  if (sampler->top_k > 0 && sampler->top_k < keep)
    keep = sampler->top_k;
  if (sampler->top_p > 0 && sampler->top_p < 1) {
    double kept = 0, total = 0;
    for (int64_t i = 0; i < keep; ++i)
      total += c[i].p;
    for (int64_t i = 0; i < keep; ++i) {
      kept += c[i].p;
      if (kept >= sampler->top_p * total) {
        keep = i + 1;
        break;
      }
    }
  }
  sum = 0;
  for (int64_t i = 0; i < keep; ++i)
    sum += c[i].p;
  double r = (double)(next_random(state) >> 11) / 9007199254740992.0 * sum;
  int32_t chosen = c[keep - 1].id;
  for (int64_t i = 0; i < keep; ++i) {
    r -= c[i].p;
    if (r <= 0) {
      chosen = c[i].id;
      break;
    }
  }
  free(c);
  return chosen;
}
