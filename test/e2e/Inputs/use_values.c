/* A user's program for string and sequence/optional values in the generated
 * C API (input to onnx-values.test), built against two libraries:
 *   -DTEXT: ONNX's test_cast_FLOAT_to_STRING model (float[3, 4] -> STRING);
 *     prints "<input as %.9g> <output string>" per element, run twice with
 *     different inputs (the strings of the first run may not survive the
 *     second; those of the second are printed after it).
 *   -DPASS: passthrough.onnx of make_value_models.py; passes an optional
 *     float[2, 3] and a 2-item int64 sequence, prints what comes back, then
 *     an empty optional, then a wrong item type (an error). */
#include <stdio.h>
#include <string.h>

#ifdef TEXT
#include "cast.h"

int main(void) {
  cast_model *m = cast_create(NULL);
  if (!m) {
    fprintf(stderr, "create failed: %s\n", cast_last_error());
    return 1;
  }
  if (cast_input_dtype(0) != CAST_DTYPE_F32 || cast_output_dtype(0) != CAST_DTYPE_STRING)
    return 2;
  float x[12];
  const char *y[12];
  const void *inputs[1] = {x};
  void *outputs[1] = {y};
  for (int run = 0; run < 2; ++run) {
    for (int i = 0; i < 12; ++i)
      x[i] = (float)((i + 1) * (run ? -0.37 : 1e-3)) * (float)(i % 3 ? 1 : 1e7);
    if (cast_run(m, inputs, outputs) != 0) {
      fprintf(stderr, "run failed: %s\n", cast_last_error());
      return 1;
    }
  }
  for (int i = 0; i < 12; ++i)
    printf("%.9g %s\n", x[i], y[i]);
  cast_destroy(m);
  return 0;
}
#endif

#ifdef PASS
#include "passthrough.h"

static void print(const char *name, const kiln_value *v) {
  if (v->kind == KILN_VALUE_NONE) {
    printf("%s: none\n", name);
    return;
  }
  if (v->kind == KILN_VALUE_SEQUENCE) {
    printf("%s: sequence of %lld\n", name, (long long)v->count);
    for (int64_t i = 0; i < v->count; ++i)
      print("  item", &v->items[i]);
    return;
  }
  int64_t n = 1;
  printf("%s: dtype %d rank %d [", name, v->dtype, v->rank);
  for (int d = 0; d < v->rank; ++d) {
    printf(d ? ", %lld" : "%lld", (long long)v->shape[d]);
    n *= v->shape[d];
  }
  printf("]");
  for (int64_t i = 0; i < n; ++i) {
    if (v->dtype == PASSTHROUGH_DTYPE_F32)
      printf(" %g", ((const float *)v->data)[i]);
    else
      printf(" %lld", (long long)((const int64_t *)v->data)[i]);
  }
  printf("\n");
}

int main(void) {
  passthrough_model *m = passthrough_create(NULL);
  if (!m)
    return 1;
  printf("nesting %s %s\n", passthrough_input_nesting(0), passthrough_input_nesting(1));
  float f[6] = {1, 2, 3, 4, 5, 6};
  int64_t a[3] = {7, 8, 9}, b[1] = {-1};
  int64_t fs[2] = {2, 3}, as[1] = {3};
  kiln_value opt = {KILN_VALUE_TENSOR, PASSTHROUGH_DTYPE_F32, 2, fs, f, 0, 0};
  kiln_value items[2] = {{KILN_VALUE_TENSOR, PASSTHROUGH_DTYPE_I64, 1, as, a, 0, 0},
                         {KILN_VALUE_TENSOR, PASSTHROUGH_DTYPE_I64, 0, 0, b, 0, 0}};
  kiln_value seq = {KILN_VALUE_SEQUENCE, 0, 0, 0, 0, 2, items};
  kiln_value opt_out, seq_out;
  const void *inputs[2] = {&opt, &seq};
  void *outputs[2] = {&opt_out, &seq_out};
  if (passthrough_run(m, inputs, outputs) != 0) {
    fprintf(stderr, "run failed: %s\n", passthrough_last_error());
    return 1;
  }
  /* The outputs are copies: changing the inputs does not change them. */
  f[0] = 100;
  a[0] = 100;
  print("opt_out", &opt_out);
  print("seq_out", &seq_out);
  kiln_value none = {KILN_VALUE_NONE, 0, 0, 0, 0, 0, 0};
  inputs[0] = &none;
  if (passthrough_run(m, inputs, outputs) != 0)
    return 1;
  print("opt_out", &opt_out);
  items[1].dtype = PASSTHROUGH_DTYPE_F32;
  if (passthrough_run(m, inputs, outputs) == 0)
    return 1;
  printf("error: %s\n", passthrough_last_error());
  passthrough_destroy(m);
  return 0;
}
#endif
