/* A user's program for the generated C API (input to e2e tests): fills every
 * input with sin(1 + i + 0.5 * element), runs, prints the outputs. Built
 * against lib<MODEL>.so and lib<MODEL>.a with -DMODEL_H and -DPREFIX. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include MODEL_H

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define API(name) CAT(PREFIX, name)

static size_t count(const int64_t *shape, int rank) {
  size_t n = 1;
  for (int d = 0; d < rank; ++d)
    n *= (size_t)shape[d];
  return n;
}

int main(void) {
  API(_model) *model = API(_create)(NULL);
  if (!model) {
    fprintf(stderr, "create failed: %s\n", API(_last_error)());
    return 1;
  }
  const void *inputs[8];
  void *outputs[8];
  for (int i = 0; i < API(_num_inputs)(); ++i) {
    size_t n = count(API(_input_shape)(i), API(_input_rank)(i));
    float *data = malloc(n * sizeof(float));
    for (size_t k = 0; k < n; ++k)
      data[k] = (float)sin(1.0 + i + 0.5 * (double)k);
    inputs[i] = data;
    printf("input %s %zu\n", API(_input_name)(i), n);
  }
  for (int i = 0; i < API(_num_outputs)(); ++i)
    outputs[i] = malloc(count(API(_output_shape)(i), API(_output_rank)(i)) * sizeof(float));
  if (API(_run)(model, inputs, outputs) != 0) {
    fprintf(stderr, "run failed: %s\n", API(_last_error)());
    return 1;
  }
  for (int i = 0; i < API(_num_outputs)(); ++i) {
    size_t n = count(API(_output_shape)(i), API(_output_rank)(i));
    printf("output %s", API(_output_name)(i));
    for (size_t k = 0; k < n; ++k)
      printf(" %.7g", ((float *)outputs[i])[k]);
    printf("\n");
  }
  API(_destroy)(model);
  return 0;
}
