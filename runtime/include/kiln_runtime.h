/*===- kiln_runtime.h - the runtime inside every library kiln emits ------===*
 *
 * Generated code (the orchestration object and the API glue) describes a
 * model with a kiln_model_desc and calls these functions; users never call
 * them directly (they use the generated <name>.h). Depends on libc, libm,
 * libpthread and libdl only.
 *
 *===---------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element types, as in the generated headers (KILN_<NAME>_DTYPE_*). */
enum kiln_dtype {
  KILN_DTYPE_F32 = 0,
  KILN_DTYPE_F16 = 1,
  KILN_DTYPE_BF16 = 2,
  KILN_DTYPE_F64 = 3,
  KILN_DTYPE_BOOL = 4,
  KILN_DTYPE_I8 = 5,
  KILN_DTYPE_I16 = 6,
  KILN_DTYPE_I32 = 7,
  KILN_DTYPE_I64 = 8,
  KILN_DTYPE_U8 = 9,
  KILN_DTYPE_U16 = 10,
  KILN_DTYPE_U32 = 11,
  KILN_DTYPE_U64 = 12,
  /* Text (ONNX STRING): one `const char *` per element, NUL-terminated
   * UTF-8. Strings a library writes live until the instance's next run. */
  KILN_DTYPE_STRING = 13,
};

/* Room kiln_rt_format gives each number's text. */
#define KILN_FORMAT_BYTES 32

/* ONNX sequence and optional values, passed where a graph input or output
 * is one (its kiln_tensor_desc.nesting is not empty) instead of a bare
 * buffer. An optional is either KILN_VALUE_NONE or the value it holds. The
 * generated headers define the same struct. */
#ifndef KILN_VALUE_DEFINED
#define KILN_VALUE_DEFINED
enum kiln_value_kind {
  KILN_VALUE_TENSOR = 0,
  KILN_VALUE_SEQUENCE = 1,
  KILN_VALUE_NONE = 2,
};
typedef struct kiln_value {
  int kind;
  /* KILN_VALUE_TENSOR: a dense row-major tensor. */
  int dtype;
  int rank;
  const int64_t *shape;
  const void *data;
  /* KILN_VALUE_SEQUENCE: `count` values. */
  int64_t count;
  const struct kiln_value *items;
} kiln_value;
#endif

/* Bytes per element of a dtype (0 for an unknown one). */
size_t kiln_dtype_size(int dtype);

typedef struct kiln_tensor_desc {
  const char *name;
  int dtype;
  int rank;             /* -1: a sequence's items of any rank */
  const int64_t *shape; /* -1 for a dimension a sequence's items choose */
  /* "" for a tensor; else the containers around it, outermost first:
   * 's' sequence, 'o' optional ("os": an optional sequence of tensors). */
  const char *nesting;
} kiln_tensor_desc;

/* The generated orchestration: runs the graph. Returns 0 or a kernel's
 * non-zero status. `weights` is the start of the weights blob; `device`
 * the instance's device buffer slots (GPU libraries; NULL on CPUs). */
typedef int (*kiln_run_fn)(const void *const *inputs, void *const *outputs,
                           void *arena, const void *weights, void *device);
/* GPU libraries: binds and uploads every weight and constant to its slot. */
typedef int (*kiln_upload_fn)(const void *weights, void *device);

typedef struct kiln_model_desc {
  const char *name;
  int num_inputs;
  const kiln_tensor_desc *inputs;
  int num_outputs;
  const kiln_tensor_desc *outputs;
  uint64_t arena_bytes;
  uint64_t weights_bytes;
  /* Embedded weights (NULL when they live in a file beside the library). */
  const void *embedded_weights;
  /* File name of external weights, relative to the library's directory. */
  const char *weights_file;
  kiln_run_fn run;
  /* kiln_weights_fingerprint() of the weights file the library was
   * compiled against; a mapped file must match it (0: not checked). */
  uint64_t weights_fingerprint;
  /* GPU libraries: how many device buffer slots an instance holds
   * (kiln_device.c), the upload run at create, and the GPU's name for
   * messages. 0, NULL, NULL on CPUs. */
  int device_slots;
  kiln_upload_fn upload;
  const char *device_name;
} kiln_model_desc;

/* FNV-1a over the first and last 64 KiB of the first `bytes` bytes of
 * `data`, and `bytes` itself: cheap, and enough to tell another model's file
 * (or a changed one) from the one a library was compiled against
 * (kiln_fingerprint.c, linked into the compiler too). */
uint64_t kiln_weights_fingerprint(const unsigned char *data, uint64_t bytes);

typedef struct kiln_model kiln_model;

/* Creates an instance: maps external weights (from `weights_path`, or the
 * file beside the library when NULL) and allocates the activation arena.
 * Returns NULL and sets the error message on failure. */
kiln_model *kiln_rt_create(const kiln_model_desc *desc, const char *weights_path);
void kiln_rt_destroy(kiln_model *model);
int kiln_rt_run(kiln_model *model, const void *const *inputs,
                void *const *outputs);
/* Runs another entry of the same model (an LLM's decode beside its
 * prefill) with the model's arena and weights. */
int kiln_rt_run_fn(kiln_model *model, kiln_run_fn fn, const void *const *inputs,
                   void *const *outputs);

/* GPU libraries: the sequence buffer `host` (a KV cache) is going away;
 * slots bound to it forget it. */
void kiln_rt_forget_host(kiln_model *model, const void *host);

/* Routes the kernels' parallel loops to kiln's thread pool
 * (kiln_threads.c). */
void kiln_threads_install(void);
/* Serves Halide's scratch allocations from a per-thread arena
 * (kiln_scratch.c); CPU libraries only. */
void kiln_scratch_install(void);

/* Device slots (kiln_device.c). */
void kiln_dev_init(void);
size_t kiln_dev_slot_bytes(void);
void kiln_dev_free_slots(void *slots, int count);
void kiln_dev_forget_host(void *slots, int count, const void *host);

/* Values no kernel computes on (kiln_values.c): numbers to text (each
 * string in `chars`, KILN_FORMAT_BYTES apart) and back, a sequence or
 * optional output copied from the input it passes, and the check of a
 * sequence or optional input against its description. Return 0 / 1 on
 * success as their names say, with the error set otherwise. */
int kiln_rt_format(int dtype, const void *src, const char **dst, int64_t n,
                   char *chars);
int kiln_rt_parse(int dtype, const char *const *src, void *dst, int64_t n,
                  const char *where);
int kiln_rt_copy_value(const kiln_value *src, kiln_value *dst);
int kiln_rt_check_value(const kiln_value *value, const kiln_tensor_desc *desc);
/* Memory for the running instance's outputs, freed at its next run or
 * destroy (NULL when out of memory or outside a run). */
void *kiln_rt_output_alloc(size_t bytes);

/* The message of the last failure in this thread ("" if none). */
const char *kiln_rt_last_error(void);
void kiln_rt_set_error(const char *format, ...);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_H */
