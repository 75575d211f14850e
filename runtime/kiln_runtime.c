/*===- kiln_runtime.c - model instances, weights, arena, errors ----------===*
 *
 * Compiled into every emitted library. A model instance owns its activation
 * arena (one aligned allocation, sized by kiln's buffer planner) and its
 * view of the weights (embedded in the library or memory-mapped from the
 * weights file). Errors are per-thread messages; Halide's own error
 * reports are routed here too.
 *
 *===---------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "kiln_runtime.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct kiln_model {
  const kiln_model_desc *desc;
  void *arena;
  const void *weights;
  void *mapping;
  size_t mapping_bytes;
  void *device; /* GPU libraries: desc->device_slots buffer slots */
  void *outputs; /* blocks of kiln_rt_output_alloc, each led by the next */
};

/* The instance running in this thread, for kiln_rt_output_alloc. */
static __thread kiln_model *running;

static void free_outputs(kiln_model *model) {
  while (model->outputs) {
    void *next = *(void **)model->outputs;
    free(model->outputs);
    model->outputs = next;
  }
}

void *kiln_rt_output_alloc(size_t bytes) {
  if (!running || bytes > ((size_t)1 << 40))
    return NULL;
  void **block = malloc(bytes + 16);
  if (!block)
    return NULL;
  *block = running->outputs;
  running->outputs = block;
  return (char *)block + 16;
}

static __thread char last_error[512];

const char *kiln_rt_last_error(void) { return last_error; }

void kiln_rt_set_error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(last_error, sizeof(last_error), format, args);
  va_end(args);
}

/* Halide's runtime reports failed checks (e.g. a buffer of the wrong shape)
 * through this handler. */
typedef void (*halide_error_handler_t)(void *, const char *);
extern halide_error_handler_t halide_set_error_handler(halide_error_handler_t);

/* What Halide's runtime is doing for us, for its messages: running kernels,
 * or setting a GPU library's buffers up at create. */
static __thread const char *halide_doing = "kernel error";

static void on_halide_error(void *user_context, const char *message) {
  (void)user_context;
  size_t n = strlen(message);
  while (n > 0 && message[n - 1] == '\n')
    --n;
  kiln_rt_set_error("%s: %.*s", halide_doing, (int)n, message);
}

size_t kiln_dtype_size(int dtype) {
  switch (dtype) {
  case KILN_DTYPE_STRING: return sizeof(const char *);
  case KILN_DTYPE_F64:
  case KILN_DTYPE_I64:
  case KILN_DTYPE_U64: return 8;
  case KILN_DTYPE_F32:
  case KILN_DTYPE_I32:
  case KILN_DTYPE_U32: return 4;
  case KILN_DTYPE_F16:
  case KILN_DTYPE_BF16:
  case KILN_DTYPE_I16:
  case KILN_DTYPE_U16: return 2;
  case KILN_DTYPE_BOOL:
  case KILN_DTYPE_I8:
  case KILN_DTYPE_U8: return 1;
  default: return 0;
  }
}

/* The weights file beside the library that holds `desc`. */
static int default_weights_path(const kiln_model_desc *desc, char *path,
                                size_t size) {
  Dl_info info;
  if (!dladdr((const void *)desc, &info) || !info.dli_fname)
    return 0;
  if (desc->weights_file[0] == '/') /* an absolute path (a GGUF model) */
    return snprintf(path, size, "%s", desc->weights_file) < (int)size;
  const char *slash = strrchr(info.dli_fname, '/');
  int dir = slash ? (int)(slash - info.dli_fname) : 1;
  const char *base = slash ? info.dli_fname : ".";
  return snprintf(path, size, "%.*s/%s", dir, base, desc->weights_file) <
         (int)size;
}

static int map_weights(kiln_model *model, const char *weights_path) {
  const kiln_model_desc *desc = model->desc;
  char path[4096];
  if (!weights_path) {
    if (!default_weights_path(desc, path, sizeof(path))) {
      kiln_rt_set_error("cannot locate the weights file %s; pass its path",
                        desc->weights_file);
      return 0;
    }
    weights_path = path;
  }
  int fd = open(weights_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    kiln_rt_set_error("cannot open weights '%s': %s", weights_path,
                      strerror(errno));
    return 0;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || (uint64_t)st.st_size < desc->weights_bytes) {
    kiln_rt_set_error("weights '%s' hold %lld bytes, the model needs %llu",
                      weights_path, (long long)st.st_size,
                      (unsigned long long)desc->weights_bytes);
    close(fd);
    return 0;
  }
  void *mapping = mmap(NULL, desc->weights_bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (mapping == MAP_FAILED) {
    kiln_rt_set_error("cannot map weights '%s': %s", weights_path,
                      strerror(errno));
    return 0;
  }
  model->mapping = mapping;
  model->mapping_bytes = desc->weights_bytes;
  model->weights = mapping;
  if (desc->weights_fingerprint &&
      kiln_weights_fingerprint(mapping, desc->weights_bytes) !=
          desc->weights_fingerprint) {
    kiln_rt_set_error("weights '%s' are not the file this library was "
                      "compiled from (their contents differ)", weights_path);
    return 0; /* kiln_rt_destroy unmaps */
  }
  return 1;
}

kiln_model *kiln_rt_create(const kiln_model_desc *desc,
                           const char *weights_path) {
  if (!desc) {
    kiln_rt_set_error("null model description");
    return NULL;
  }
  halide_set_error_handler(on_halide_error);
  kiln_threads_install();
  if (desc->device_slots == 0)
    kiln_scratch_install();
  kiln_model *model = calloc(1, sizeof(kiln_model));
  if (!model) {
    kiln_rt_set_error("out of memory");
    return NULL;
  }
  model->desc = desc;
  if (desc->arena_bytes) {
    size_t bytes = (desc->arena_bytes + 63) / 64 * 64;
    model->arena = aligned_alloc(64, bytes);
    if (!model->arena) {
      kiln_rt_set_error("cannot allocate the %llu-byte activation arena",
                        (unsigned long long)desc->arena_bytes);
      free(model);
      return NULL;
    }
  }
  if (desc->embedded_weights && !weights_path) {
    model->weights = desc->embedded_weights;
  } else if (desc->weights_bytes && !map_weights(model, weights_path)) {
    kiln_rt_destroy(model);
    return NULL;
  }
  if (desc->device_slots > 0) {
    kiln_dev_init();
    model->device = calloc((size_t)desc->device_slots, kiln_dev_slot_bytes());
    if (!model->device) {
      kiln_rt_set_error("out of memory");
      kiln_rt_destroy(model);
      return NULL;
    }
    /* Weights and constants go to the GPU once, here; without a GPU or
     * its driver this is where the library says so. */
    last_error[0] = '\0';
    halide_doing = "Halide's GPU runtime";
    int status = desc->upload ? desc->upload(model->weights, model->device) : 0;
    halide_doing = "kernel error";
    if (status != 0) {
      char reason[sizeof(last_error)];
      snprintf(reason, sizeof(reason), "%s", last_error[0] ? last_error : "unknown error");
      kiln_rt_set_error("cannot set the model up on the %s GPU (status %d): %s",
                        desc->device_name ? desc->device_name : "", status, reason);
      kiln_rt_destroy(model);
      return NULL;
    }
  }
  return model;
}

void kiln_rt_destroy(kiln_model *model) {
  if (!model)
    return;
  if (model->device) {
    kiln_dev_free_slots(model->device, model->desc->device_slots);
    free(model->device);
  }
  free_outputs(model);
  if (model->mapping)
    munmap(model->mapping, model->mapping_bytes);
  free(model->arena);
  free(model);
}

void kiln_rt_forget_host(kiln_model *model, const void *host) {
  if (model && model->device)
    kiln_dev_forget_host(model->device, model->desc->device_slots, host);
}

int kiln_rt_run(kiln_model *model, const void *const *inputs,
                void *const *outputs) {
  return kiln_rt_run_fn(model, model ? model->desc->run : NULL, inputs, outputs);
}

int kiln_rt_run_fn(kiln_model *model, kiln_run_fn fn, const void *const *inputs,
                   void *const *outputs) {
  if (!model || !fn) {
    kiln_rt_set_error("null model");
    return -1;
  }
  const kiln_model_desc *desc = model->desc;
  if ((desc->num_inputs && !inputs) || (desc->num_outputs && !outputs)) {
    kiln_rt_set_error("null inputs or outputs array");
    return -1;
  }
  for (int i = 0; i < desc->num_inputs; ++i)
    if (!inputs[i]) {
      kiln_rt_set_error("input %d (%s) is null", i, desc->inputs[i].name);
      return -1;
    }
  for (int i = 0; i < desc->num_outputs; ++i)
    if (!outputs[i]) {
      kiln_rt_set_error("output %d (%s) is null", i, desc->outputs[i].name);
      return -1;
    }
  for (int i = 0; i < desc->num_inputs; ++i)
    if (desc->inputs[i].nesting && desc->inputs[i].nesting[0] &&
        !kiln_rt_check_value((const kiln_value *)inputs[i], &desc->inputs[i]))
      return -1;
  last_error[0] = '\0';
  free_outputs(model);
  running = model;
  int status = fn(inputs, outputs, model->arena, model->weights, model->device);
  running = NULL;
  if (status != 0 && !last_error[0])
    kiln_rt_set_error("a kernel failed with status %d", status);
  return status;
}
