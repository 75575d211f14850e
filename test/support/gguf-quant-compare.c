/* gguf-quant-compare REF.gguf KILN.gguf LLAMA.gguf: checks kiln's quantized
 * GGUF against llama.cpp's quantization of the same float model, using only
 * ggml (the prebuilt libggml-base of the node-llama-cpp npm package): its
 * GGUF reader and its own dequantizers. For every tensor it prints the type
 * both files chose, whether the bytes are identical, and for quantized
 * tensors the squared error of each against REF's float values. It fails if
 * a type differs, a Q8_0/Q4_0/float tensor is not bit-identical, or kiln's
 * K-quant error exceeds llama.cpp's. Built and run by scripts/gguf-quant-compare. */
#include "ggml.h"
#include "gguf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct model {
  struct gguf_context *gguf;
  struct ggml_context *meta;
  FILE *file;
};

static int open_model(const char *path, struct model *m) {
  struct gguf_init_params params = {1, &m->meta};
  m->gguf = gguf_init_from_file(path, params);
  m->file = fopen(path, "rb");
  if (!m->gguf || !m->file) {
    fprintf(stderr, "gguf-quant-compare: cannot read '%s'\n", path);
    return 0;
  }
  return 1;
}

/* The bytes of tensor `name` (malloc'ed), its tensor and byte size. */
static unsigned char *tensor_bytes(struct model *m, const char *name,
                                   struct ggml_tensor **tensor, size_t *bytes) {
  int64_t id = gguf_find_tensor(m->gguf, name);
  *tensor = ggml_get_tensor(m->meta, name);
  if (id < 0 || !*tensor)
    return NULL;
  *bytes = ggml_nbytes(*tensor);
  unsigned char *data = malloc(*bytes ? *bytes : 1);
  long offset = (long)(gguf_get_data_offset(m->gguf) + gguf_get_tensor_offset(m->gguf, id));
  if (!data || fseek(m->file, offset, SEEK_SET) != 0 ||
      fread(data, 1, *bytes, m->file) != *bytes) {
    free(data);
    return NULL;
  }
  return data;
}

static float *to_float(const struct ggml_tensor *t, const unsigned char *data) {
  int64_t n = ggml_nelements(t);
  float *out = malloc((size_t)n * sizeof(float));
  if (t->type == GGML_TYPE_F32)
    memcpy(out, data, (size_t)n * sizeof(float));
  else
    ggml_get_type_traits(t->type)->to_float(data, out, n);
  return out;
}

static double squared_error(const float *a, const float *b, int64_t n) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i)
    sum += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
  return sum;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s REF.gguf KILN.gguf LLAMA.gguf\n", argv[0]);
    return 2;
  }
  struct model ref = {0}, kiln = {0}, llama = {0};
  if (!open_model(argv[1], &ref) || !open_model(argv[2], &kiln) || !open_model(argv[3], &llama))
    return 2;
  int failures = 0, identical = 0, better = 0, quantized = 0;
  int64_t count = gguf_get_n_tensors(ref.gguf);
  for (int64_t i = 0; i < count; ++i) {
    const char *name = gguf_get_tensor_name(ref.gguf, i);
    struct ggml_tensor *rt, *kt, *lt;
    size_t rb, kb, lb;
    unsigned char *rd = tensor_bytes(&ref, name, &rt, &rb);
    unsigned char *kd = tensor_bytes(&kiln, name, &kt, &kb);
    unsigned char *ld = tensor_bytes(&llama, name, &lt, &lb);
    if (!rd || !kd || !ld) {
      printf("%s: missing in one of the files\n", name);
      ++failures;
      continue;
    }
    int same = kt->type == lt->type && kb == lb && memcmp(kd, ld, kb) == 0;
    printf("%-28s kiln %-5s llama.cpp %-5s %s", name, ggml_type_name(kt->type),
           ggml_type_name(lt->type), same ? "identical" : "differ");
    if (kt->type != lt->type) {
      printf("  FAIL: types differ\n");
      ++failures;
    } else if (ggml_is_quantized(kt->type)) {
      ++quantized;
      float *x = to_float(rt, rd), *kx = to_float(kt, kd), *lx = to_float(lt, ld);
      int64_t n = ggml_nelements(rt);
      double ke = squared_error(x, kx, n), le = squared_error(x, lx, n);
      int kquant = kt->type == GGML_TYPE_Q4_K || kt->type == GGML_TYPE_Q6_K;
      printf("  error kiln %.6e llama.cpp %.6e", ke, le);
      if (!same && !kquant) {
        printf("  FAIL: not bit-identical");
        ++failures;
      } else if (!same && ke > le) {
        printf("  FAIL: kiln's error is larger");
        ++failures;
      }
      if (same) ++identical;
      else if (ke <= le) ++better;
      printf("\n");
      free(x), free(kx), free(lx);
    } else {
      printf("\n");
      if (!same) {
        printf("  FAIL: float tensor changed\n");
        ++failures;
      }
    }
    free(rd), free(kd), free(ld);
  }
  printf("%d quantized tensors: %d bit-identical, %d with lower error, %d failures\n",
         quantized, identical, better, failures);
  return failures ? 1 : 0;
}
