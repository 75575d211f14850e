/* run-library LIB.so NAME OUT_DIR IN.npy...: runs a kiln library built from
 * an ONNX model through its generic C API (NAME_create, NAME_run and the
 * input/output descriptions), reading each input from a .npy file and
 * writing each output to OUT_DIR/<output name>.npy. Plain C with no kiln
 * code, so it builds for any target: tests cross-compile it for aarch64 and
 * run it under qemu-user next to the aarch64 library. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kDescr[] = {"<f4", "<f2", NULL, "<f8", "|b1", "|i1", "<i2",
                                     "<i4", "<i8", "|u1", "<u2", "<u4", "<u8"};
static const size_t kSize[] = {4, 2, 2, 8, 1, 1, 2, 4, 8, 1, 2, 4, 8};

static void *sym(void *lib, const char *name, const char *fn) {
  char full[256];
  snprintf(full, sizeof full, "%s_%s", name, fn);
  void *p = dlsym(lib, full);
  if (!p) {
    fprintf(stderr, "run-library: %s missing\n", full);
    exit(1);
  }
  return p;
}

/* Reads a little-endian, C-order .npy of `descr`, `count` elements. */
static void *read_npy(const char *path, const char *descr, size_t count, size_t size) {
  FILE *f = fopen(path, "rb");
  unsigned char head[10];
  if (!f || fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0) {
    fprintf(stderr, "run-library: %s: not a .npy file\n", path);
    exit(1);
  }
  size_t len = head[8] | head[9] << 8;
  if (head[6] != 1) { /* version 2/3: 4-byte header length */
    unsigned char more[2];
    if (fread(more, 1, 2, f) != 2) exit(1);
    len |= (size_t)more[0] << 16 | (size_t)more[1] << 24;
  }
  char *header = calloc(len + 1, 1);
  if (fread(header, 1, len, f) != len || !strstr(header, descr) ||
      strstr(header, "'fortran_order': True")) {
    fprintf(stderr, "run-library: %s: expected C-order %s data\n", path, descr);
    exit(1);
  }
  void *data = malloc(count * size ? count * size : 1);
  if (fread(data, size, count, f) != count) {
    fprintf(stderr, "run-library: %s: expected %zu elements\n", path, count);
    exit(1);
  }
  free(header);
  fclose(f);
  return data;
}

static void write_npy(const char *path, const char *descr, int rank, const int64_t *shape,
                      const void *data, size_t bytes) {
  char dict[256];
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (int d = 0; d < rank; ++d)
    n += snprintf(dict + n, sizeof dict - n, "%lld%s", (long long)shape[d],
                  rank == 1 ? "," : d + 1 < rank ? ", " : "");
  n += snprintf(dict + n, sizeof dict - n, "), }");
  int total = (10 + n + 1 + 63) / 64 * 64; /* header padded to 64 with '\n' last */
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "run-library: cannot write %s\n", path);
    exit(1);
  }
  unsigned char head[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                            (unsigned char)((total - 10) & 0xff), (unsigned char)((total - 10) >> 8)};
  fwrite(head, 1, 10, f);
  fwrite(dict, 1, n, f);
  for (int i = 10 + n; i < total - 1; ++i)
    fputc(' ', f);
  fputc('\n', f);
  fwrite(data, 1, bytes, f);
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: run-library LIB.so NAME OUT_DIR IN.npy...\n");
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "run-library: %s\n", dlerror());
    return 1;
  }
  const char *name = argv[2];
  void *(*create)(const char *) = sym(lib, name, "create");
  int (*run)(void *, const void *const *, void *const *) = sym(lib, name, "run");
  void (*destroy)(void *) = sym(lib, name, "destroy");
  const char *(*last_error)(void) = sym(lib, name, "last_error");
  int (*num_inputs)(void) = sym(lib, name, "num_inputs");
  int (*num_outputs)(void) = sym(lib, name, "num_outputs");
  int (*dtype[2])(int) = {sym(lib, name, "input_dtype"), sym(lib, name, "output_dtype")};
  int (*rank[2])(int) = {sym(lib, name, "input_rank"), sym(lib, name, "output_rank")};
  const int64_t *(*shape[2])(int) = {sym(lib, name, "input_shape"), sym(lib, name, "output_shape")};
  const char *(*output_name)(int) = sym(lib, name, "output_name");
  int ni = num_inputs(), no = num_outputs();
  if (argc - 4 != ni) {
    fprintf(stderr, "run-library: the library takes %d inputs\n", ni);
    return 1;
  }
  const void **inputs = calloc(ni + 1, sizeof *inputs);
  void **outputs = calloc(no + 1, sizeof *outputs);
  size_t *bytes = calloc(no + 1, sizeof *bytes);
  for (int k = 0; k < 2; ++k)
    for (int i = 0; i < (k ? no : ni); ++i) {
      int t = dtype[k](i);
      size_t count = 1;
      for (int d = 0; d < rank[k](i); ++d)
        count *= (size_t)shape[k](i)[d];
      if (t < 0 || t > 12 || !kDescr[t]) {
        fprintf(stderr, "run-library: unsupported dtype %d\n", t);
        return 1;
      }
      if (k == 0) {
        inputs[i] = read_npy(argv[4 + i], kDescr[t], count, kSize[t]);
      } else {
        bytes[i] = count * kSize[t];
        outputs[i] = malloc(bytes[i] ? bytes[i] : 1);
      }
    }
  void *model = create(NULL);
  if (!model || run(model, inputs, (void *const *)outputs) != 0) {
    fprintf(stderr, "run-library: %s\n", last_error());
    return 1;
  }
  for (int i = 0; i < no; ++i) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.npy", argv[3], output_name(i));
    write_npy(path, kDescr[dtype[1](i)], rank[1](i), shape[1](i), outputs[i], bytes[i]);
    printf("wrote %s\n", path);
  }
  destroy(model);
  return 0;
}
