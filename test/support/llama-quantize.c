/* llama-quantize.c IN.gguf OUT.gguf TYPE: quantizes a GGUF with llama.cpp's
 * own quantizer (llama_model_quantize from the prebuilt libllama of the
 * node-llama-cpp npm package), as its llama-quantize tool does. TYPE is
 * q8_0, q4_0, q4_k_m, q4_k_s or q6_k. Built and run by scripts/llama-quantize;
 * kiln's tests use it to make reference quantized models. */
#include "llama.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s IN.gguf OUT.gguf q8_0|q4_0|q4_k_m|q4_k_s|q6_k\n", argv[0]);
    return 2;
  }
  static const struct { const char *name; enum llama_ftype ftype; } types[] = {
      {"q8_0", LLAMA_FTYPE_MOSTLY_Q8_0},     {"q4_0", LLAMA_FTYPE_MOSTLY_Q4_0},
      {"q4_k_m", LLAMA_FTYPE_MOSTLY_Q4_K_M}, {"q4_k_s", LLAMA_FTYPE_MOSTLY_Q4_K_S},
      {"q6_k", LLAMA_FTYPE_MOSTLY_Q6_K},
  };
  llama_model_quantize_params params = llama_model_quantize_default_params();
  int found = 0;
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); ++i)
    if (strcmp(argv[3], types[i].name) == 0) {
      params.ftype = types[i].ftype;
      found = 1;
    }
  if (!found) {
    fprintf(stderr, "llama-quantize: unknown type '%s'\n", argv[3]);
    return 2;
  }
  params.nthread = 2;
  llama_backend_init();
  uint32_t status = llama_model_quantize(argv[1], argv[2], &params);
  llama_backend_free();
  if (status != 0) {
    fprintf(stderr, "llama-quantize: quantizing '%s' failed (%u)\n", argv[1], status);
    return 1;
  }
  return 0;
}
