/* threads_api LIB PREFIX THREADS ROUNDS (input to e2e/threads.test): the
 * library's parallel loops under concurrent use. Loads LIB with dlopen,
 * fills every input (integers: element % 7; floats: sin), runs once for a
 * reference, then runs ROUNDS times on each of THREADS threads at once, each
 * with its own instance, and requires every output to be bit-identical to
 * the reference (a loop started while another owns the thread pool runs on
 * its own thread; the results must not depend on which). Then unloads the
 * library (its workers must stop: their code goes away), loads it again and
 * checks one more run. Prints the mismatches and the process's thread
 * count before and after the unload; exits 1 on a mismatch. */
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*create_fn)(const char *);
typedef void (*destroy_fn)(void *);
typedef int (*run_fn)(void *, const void *const *, void *const *);
typedef int (*count_fn)(void);
typedef int (*int_of_fn)(int);
typedef const int64_t *(*shape_fn)(int);
typedef const char *(*error_fn)(void);

static struct {
  void *handle;
  create_fn create;
  destroy_fn destroy;
  run_fn run;
  error_fn last_error;
  int inputs, outputs;
  const void *in[16];
  size_t out_bytes[16];
  void *want[16];
} lib;

static int rounds;

/* Element sizes by kiln dtype code, as the generated headers number them. */
static size_t dtype_bytes(int dtype) {
  static const size_t bytes[] = {4, 2, 2, 8, 1, 1, 2, 4, 8, 1, 2, 4, 8};
  return dtype >= 0 && dtype < 13 ? bytes[dtype] : 0;
}

static void *sym(const char *prefix, const char *name) {
  char full[256];
  snprintf(full, sizeof(full), "%s_%s", prefix, name);
  void *p = dlsym(lib.handle, full);
  if (!p) {
    fprintf(stderr, "threads_api: no symbol %s\n", full);
    exit(2);
  }
  return p;
}

static size_t elements(shape_fn shape, int_of_fn rank, int i) {
  size_t n = 1;
  for (int d = 0; d < rank(i); ++d)
    n *= (size_t)shape(i)[d];
  return n;
}

static void load(const char *path, const char *prefix) {
  lib.handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle) {
    fprintf(stderr, "threads_api: %s\n", dlerror());
    exit(2);
  }
  lib.create = (create_fn)sym(prefix, "create");
  lib.destroy = (destroy_fn)sym(prefix, "destroy");
  lib.run = (run_fn)sym(prefix, "run");
  lib.last_error = (error_fn)sym(prefix, "last_error");
  lib.inputs = ((count_fn)sym(prefix, "num_inputs"))();
  lib.outputs = ((count_fn)sym(prefix, "num_outputs"))();
  if (lib.inputs > 16 || lib.outputs > 16)
    exit(2);
  int_of_fn in_dtype = (int_of_fn)sym(prefix, "input_dtype");
  int_of_fn in_rank = (int_of_fn)sym(prefix, "input_rank");
  shape_fn in_shape = (shape_fn)sym(prefix, "input_shape");
  for (int i = 0; i < lib.inputs; ++i) {
    size_t n = elements(in_shape, in_rank, i), b = dtype_bytes(in_dtype(i));
    unsigned char *data = calloc(n ? n : 1, b);
    for (size_t k = 0; k < n; ++k) {
      if (in_dtype(i) == 0)
        ((float *)data)[k] = (float)sin(1.0 + i + 0.5 * (double)k);
      else if (b == 8)
        ((int64_t *)data)[k] = (int64_t)(k % 7);
      else if (b == 4)
        ((int32_t *)data)[k] = (int32_t)(k % 7);
    }
    lib.in[i] = data;
  }
  int_of_fn out_dtype = (int_of_fn)sym(prefix, "output_dtype");
  int_of_fn out_rank = (int_of_fn)sym(prefix, "output_rank");
  shape_fn out_shape = (shape_fn)sym(prefix, "output_shape");
  for (int i = 0; i < lib.outputs; ++i)
    lib.out_bytes[i] = elements(out_shape, out_rank, i) * dtype_bytes(out_dtype(i));
}

/* Runs `times` times on a new instance; returns the number of runs whose
 * outputs differ from lib.want (or, with record, stores them there). */
static int run_and_compare(int times, int record) {
  void *model = lib.create(NULL);
  if (!model) {
    fprintf(stderr, "threads_api: create failed: %s\n", lib.last_error());
    exit(2);
  }
  void *out[16];
  for (int i = 0; i < lib.outputs; ++i)
    out[i] = malloc(lib.out_bytes[i] ? lib.out_bytes[i] : 1);
  int mismatches = 0;
  for (int r = 0; r < times; ++r) {
    if (lib.run(model, lib.in, out) != 0) {
      fprintf(stderr, "threads_api: run failed: %s\n", lib.last_error());
      exit(2);
    }
    for (int i = 0; i < lib.outputs; ++i) {
      if (record) {
        lib.want[i] = out[i];
        out[i] = malloc(lib.out_bytes[i] ? lib.out_bytes[i] : 1);
      } else if (memcmp(out[i], lib.want[i], lib.out_bytes[i]) != 0) {
        ++mismatches;
        break;
      }
    }
  }
  for (int i = 0; i < lib.outputs; ++i)
    free(out[i]);
  lib.destroy(model);
  return mismatches;
}

/* Threads of this process (/proc/self/task). */
static int thread_count(void) {
  DIR *dir = opendir("/proc/self/task");
  int n = 0;
  for (struct dirent *e; dir && (e = readdir(dir));)
    n += e->d_name[0] != '.';
  if (dir)
    closedir(dir);
  return n;
}

static void *thread_main(void *arg) {
  *(int *)arg = run_and_compare(rounds, 0);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: threads_api LIB PREFIX THREADS ROUNDS\n");
    return 2;
  }
  int threads = atoi(argv[3]);
  rounds = atoi(argv[4]);
  if (threads < 1 || threads > 64 || rounds < 1)
    return 2;
  load(argv[1], argv[2]);
  run_and_compare(1, 1);
  pthread_t id[64];
  int mismatches[64];
  for (int t = 0; t < threads; ++t)
    pthread_create(&id[t], NULL, thread_main, &mismatches[t]);
  int total = 0;
  for (int t = 0; t < threads; ++t) {
    pthread_join(id[t], NULL);
    total += mismatches[t];
  }
  /* Unload (the pool's workers must stop and be joined), load, run again. */
  void *want[16];
  memcpy(want, lib.want, sizeof(want));
  int loaded = thread_count();
  dlclose(lib.handle);
  int unloaded = thread_count();
  load(argv[1], argv[2]);
  memcpy(lib.want, want, sizeof(want));
  int reloaded = run_and_compare(2, 0);
  printf("%d threads x %d runs: %d differ from the first run; after reload: %d differ\n",
         threads, rounds, total, reloaded);
  printf("threads while loaded: %d, after unload: %d\n", loaded, unloaded);
  return total || reloaded ? 1 : 0;
}
