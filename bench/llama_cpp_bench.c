/* bench/llama_cpp_bench.c MODEL.gguf [pp] [tg] [repeat]: llama.cpp's speed
 * through its C API (the prebuilt CPU libraries of node-llama-cpp, built by
 * bench/run): prefill of pp tokens in one llama_decode, then tg
 * single-token decodes; 2 threads, flash attention on, as llama-bench
 * measures pp/tg. Prints "pp <tokens/s> tg <tokens/s>" (medians over
 * repeat runs after a warm-up). */
#include "ggml-backend.h"
#include "llama.h"

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>


static void quiet(enum ggml_log_level level, const char *text, void *user) {
  (void)level; (void)text; (void)user;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: llama_cpp_bench MODEL.gguf [pp] [tg] [repeat]\n");
    return 2;
  }
  int pp = argc > 2 ? atoi(argv[2]) : 128, tg = argc > 3 ? atoi(argv[3]) : 32;
  int repeat = argc > 4 ? atoi(argv[4]) : 3;
  if (repeat > 63)
    repeat = 63;
  llama_log_set(quiet, NULL);
  llama_backend_init();
  if (getenv("KILN_GGML_BACKENDS"))
    ggml_backend_load_all_from_path(getenv("KILN_GGML_BACKENDS"));
  struct llama_model *model =
      llama_model_load_from_file(argv[1], llama_model_default_params());
  if (!model) {
    fprintf(stderr, "llama_cpp_bench: cannot load %s\n", argv[1]);
    return 1;
  }
  struct llama_context_params cp = llama_context_default_params();
  cp.n_ctx = pp + tg + 16;
  cp.n_batch = cp.n_ubatch = pp;
  cp.n_threads = cp.n_threads_batch = 2;
  cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_ENABLED;
  struct llama_context *ctx = llama_init_from_model(model, cp);
  llama_token *prompt = malloc(sizeof(llama_token) * pp);
  for (int i = 0; i < pp; ++i)
    prompt[i] = 1 + (i * 37) % 500;
  double pps[64], tgs[64];
  for (int r = 0; r <= repeat; ++r) {
    llama_memory_clear(llama_get_memory(ctx), 1);
    double t0 = now();
    if (llama_decode(ctx, llama_batch_get_one(prompt, pp))) {
      fprintf(stderr, "llama_cpp_bench: decode failed\n");
      return 1;
    }
    double t1 = now();
    for (int i = 0; i < tg; ++i) {
      llama_token t = prompt[i % pp];
      llama_decode(ctx, llama_batch_get_one(&t, 1));
    }
    double t2 = now();
    if (r > 0) {
      pps[r - 1] = pp / (t1 - t0);
      tgs[r - 1] = tg / (t2 - t1);
    }
  }
  printf("pp %.1f tg %.1f\n", median(pps, repeat), median(tgs, repeat));
  llama_free(ctx);
  llama_model_free(model);
  return 0;
}
