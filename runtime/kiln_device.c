/*===- kiln_device.c - device-resident buffers of GPU libraries ----------===*
 *
 * Libraries compiled for a GPU target (--target=cuda...) keep one
 * halide_buffer_t per weight, constant, KV cache, input, output and arena
 * range in the model instance ("slots", zeroed at create). A slot's device
 * allocation is made once (weights and constants are uploaded at create;
 * the others are allocated by the first kernel that touches them) and kept
 * until the instance is destroyed, so weights, activations and the KV cache
 * stay on the GPU between kernel calls and between runs; only inputs go up
 * and outputs come down. Halide's runtime does the allocations and copies
 * through the device interface the orchestration passes (CUDA: the driver,
 * libcuda, is loaded by Halide's runtime at first use; a machine without it
 * fails at create with Halide's message).
 *
 * The orchestration (lib/Codegen/Orchestration.cpp) calls these functions;
 * CPU libraries have no slots and never call them.
 *
 *===---------------------------------------------------------------------===*/
#include "kiln_runtime.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* halide_buffer_t and halide_dimension_t, as HalideRuntime.h declares them. */
typedef struct kiln_dim {
  int32_t min, extent, stride;
  uint32_t flags;
} kiln_dim;

typedef struct kiln_buffer {
  uint64_t device;
  const void *device_interface;
  uint8_t *host;
  uint64_t flags; /* bit 0: host dirty, bit 1: device dirty */
  uint32_t type;  /* code | bits << 8 | lanes << 16 */
  int32_t dimensions;
  kiln_dim *dim;
  void *padding;
} kiln_buffer;

enum { HOST_DIRTY = 1, DEVICE_DIRTY = 2 };
static const uint32_t U8 = 1u | 8u << 8 | 1u << 16; /* halide_type_t of uint8 */

/* Halide's runtime (linked into every library). */
extern int halide_copy_to_device(void *, kiln_buffer *, const void *);
extern int halide_copy_to_host(void *, kiln_buffer *);
extern int halide_device_free(void *, kiln_buffer *);
extern int halide_device_malloc(void *, kiln_buffer *, const void *);
extern int halide_device_crop(void *, const kiln_buffer *, kiln_buffer *);
extern int halide_device_release_crop(void *, kiln_buffer *);
extern int halide_buffer_copy(void *, kiln_buffer *, const void *, kiln_buffer *);

typedef void *(*kiln_load_library_fn)(const char *);
extern kiln_load_library_fn halide_set_custom_load_library(kiln_load_library_fn);

/* Halide's GPU runtimes open "libcuda.so" / "libOpenCL.so", the names only
 * development packages install; drivers install the versioned ".1". */
static void *load_library(const char *name) {
  void *library = dlopen(name, RTLD_LAZY);
  if (!library) {
    char versioned[256];
    snprintf(versioned, sizeof(versioned), "%s.1", name);
    library = dlopen(versioned, RTLD_LAZY);
  }
  return library;
}

void kiln_dev_init(void) { halide_set_custom_load_library(load_library); }

size_t kiln_dev_slot_bytes(void) { return sizeof(kiln_buffer); }

/* Halide's GPU runtimes refuse to allocate zero bytes, yet a kernel may
 * take an empty tensor (an empty slice into a concat). An empty buffer
 * gets the handle of a one-byte allocation of its own, which no kernel
 * reads, and is never dirty. */
static int give_empty_a_handle(kiln_buffer *b, const void *device_interface) {
  b->flags = 0;
  if (b->device)
    return 0;
  uint8_t byte = 0;
  kiln_dim one_dim = {0, 1, 1, 0};
  kiln_buffer one = {0, NULL, &byte, 0, U8, 1, &one_dim, NULL};
  int status = halide_device_malloc(NULL, &one, device_interface);
  if (status == 0) {
    b->device = one.device;
    b->device_interface = one.device_interface;
  }
  return status;
}

static int is_empty(const kiln_buffer *b) {
  for (int i = 0; i < b->dimensions; ++i)
    if (b->dim[i].extent == 0)
      return 1;
  return 0;
}

/* Points `b` at `host` with the given type and shape. `host_dirty`: the
 * host holds new data (an input) the kernels must see; otherwise the next
 * kernel writes the buffer (device contents are kept either way). */
int kiln_dev_bind(kiln_buffer *b, void *host, uint32_t type, int32_t dims,
                  kiln_dim *dim, int32_t host_dirty, const void *device_interface) {
  b->host = host;
  b->type = type;
  b->dimensions = dims;
  b->dim = dim;
  b->flags = host_dirty ? HOST_DIRTY : 0;
  return is_empty(b) ? give_empty_a_handle(b, device_interface) : 0;
}

/* Binds and uploads a weight or constant (at create). */
int kiln_dev_upload(kiln_buffer *b, void *host, uint32_t type, int32_t dims,
                    kiln_dim *dim, const void *device_interface) {
  int status = kiln_dev_bind(b, host, type, dims, dim, 1, device_interface);
  if (status != 0 || is_empty(b))
    return status;
  return halide_copy_to_device(NULL, b, device_interface);
}

/* A KV cache: its device copy is the cache. When the caller passes another
 * host buffer (another sequence), the current one is written back to its
 * host buffer first and the new one is uploaded by the next kernel. */
int kiln_dev_bind_state(kiln_buffer *b, void *host, uint32_t type, int32_t dims,
                        kiln_dim *dim) {
  if (b->host != host) {
    if (b->host && b->device && (b->flags & DEVICE_DIRTY)) {
      int status = halide_copy_to_host(NULL, b);
      if (status != 0)
        return status;
    }
    b->host = host;
    b->flags = HOST_DIRTY;
  }
  b->type = type;
  b->dimensions = dims;
  b->dim = dim;
  return 0;
}

/* cache[offset, offset + bytes) = update, on the device. */
int kiln_dev_write_rows(kiln_buffer *cache, kiln_buffer *update, int64_t offset,
                        int64_t bytes, const void *device_interface) {
  int status = 0;
  if (!cache->device || (cache->flags & HOST_DIRTY))
    status = halide_copy_to_device(NULL, cache, device_interface);
  if (status != 0)
    return status;
  int64_t total = 1;
  for (int i = 0; i < cache->dimensions; ++i)
    total *= cache->dim[i].extent;
  total *= (cache->type >> 8 & 0xff) / 8;
  /* Byte views: the whole cache, the rows written, and the update. */
  kiln_dim whole_dim = {0, (int32_t)total, 1, 0};
  kiln_buffer whole = {cache->device, cache->device_interface, cache->host, 0,
                       U8, 1, &whole_dim, NULL};
  kiln_dim rows_dim = {(int32_t)offset, (int32_t)bytes, 1, 0};
  kiln_buffer rows = {0, NULL, cache->host + offset, 0, U8, 1, &rows_dim, NULL};
  kiln_buffer source = {update->device, update->device_interface, update->host,
                        update->flags, U8, 1, &rows_dim, NULL};
  status = halide_device_crop(NULL, &whole, &rows);
  if (status != 0)
    return status;
  status = halide_buffer_copy(NULL, &source, device_interface, &rows);
  int released = halide_device_release_crop(NULL, &rows);
  if (status == 0)
    status = released;
  if (status == 0)
    cache->flags = DEVICE_DIRTY; /* the device holds the cache */
  return status;
}

/* Brings a buffer's contents to its host pointer if the device has newer. */
int kiln_dev_to_host(kiln_buffer *b) {
  return (b->flags & DEVICE_DIRTY) ? halide_copy_to_host(NULL, b) : 0;
}

void kiln_dev_free_slots(void *slots, int count) {
  kiln_buffer *b = slots;
  for (int i = 0; i < count; ++i)
    if (b[i].device)
      halide_device_free(NULL, &b[i]);
}

void kiln_dev_forget_host(void *slots, int count, const void *host) {
  kiln_buffer *b = slots;
  for (int i = 0; host && i < count; ++i)
    if (b[i].host == host) {
      b[i].host = NULL;
      b[i].flags = 0;
    }
}
