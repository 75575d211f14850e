/*===- kiln_llm.h - language-model sequences over a kiln model ----------===*
 *
 * Part of the runtime linked into libraries compiled from LLMs (GGUF). A
 * model (kiln_model: weights + activation arena) runs two entry points made
 * by the kiln-kv-cache pass: prefill (a chunk of prompt tokens) and decode
 * (one token). A sequence owns its KV caches and position; sequences of one
 * model must be used by one thread at a time (they share the arena).
 * Sampling (greedy, temperature, top-k, top-p, seeded) works on a
 * sequence's logits.
 *
 *===---------------------------------------------------------------------===*/
#ifndef KILN_LLM_H
#define KILN_LLM_H

#include "kiln_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_llm_desc {
  const kiln_model_desc *model; /* weights, arena size, names */
  kiln_run_fn prefill, decode;
  int64_t ctx;      /* tokens a sequence holds */
  int64_t chunk;    /* tokens per prefill call */
  int64_t capacity; /* cache rows (ctx + chunk - 1) */
  int64_t vocab;
  int num_caches;        /* 2 per layer: k, v */
  uint64_t cache_bytes;  /* bytes of one cache buffer */
  int32_t bos, eos;      /* -1 when the model has none */
  int all_logits;        /* prefill returns every row's logits */
} kiln_llm_desc;

typedef struct kiln_seq kiln_seq;

kiln_seq *kiln_llm_seq_create(kiln_model *model, const kiln_llm_desc *desc);
void kiln_llm_seq_reset(kiln_seq *seq);
void kiln_llm_seq_destroy(kiln_seq *seq);
/* Appends `n` tokens; afterwards kiln_llm_logits() holds the logits after
 * the last one. Returns 0, or -1 with kiln_rt_last_error() set (token out
 * of range, context full, null handle). */
int kiln_llm_prefill(kiln_seq *seq, const int32_t *tokens, int n);
int kiln_llm_decode(kiln_seq *seq, int32_t token);
/* Like kiln_llm_prefill, and writes the logits after each of the `n`
 * tokens to `logits` (n * vocab floats). Needs a library compiled with
 * --all-logits. */
int kiln_llm_prefill_all(kiln_seq *seq, const int32_t *tokens, int n,
                         float *logits);
const float *kiln_llm_logits(const kiln_seq *seq);
int kiln_llm_position(const kiln_seq *seq);
/* A pointer the library's API keeps with a sequence (its model wrapper). */
void kiln_llm_seq_set_user(kiln_seq *seq, void *user);
void *kiln_llm_seq_user(const kiln_seq *seq);

typedef struct kiln_sampler {
  float temperature; /* <= 0: greedy */
  int top_k;         /* <= 0: all */
  float top_p;       /* >= 1: all */
  uint64_t seed;
} kiln_sampler;

/* The next token from `logits` (vocab entries). `state` is the RNG state,
 * seeded by the caller (0 picks a fixed default). Greedy breaks ties
 * toward the lower id, as llama.cpp does. */
int32_t kiln_llm_sample(const float *logits, int64_t vocab,
                        const kiln_sampler *sampler, uint64_t *state);

#ifdef __cplusplus
}
#endif

#endif /* KILN_LLM_H */
