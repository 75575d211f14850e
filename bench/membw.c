/* bench/membw.c [threads]: the machine's memory read bandwidth, GB/s: each
 * thread sums its share of a 1 GiB buffer (far larger than any cache), best
 * of 5 passes. The roofline of LLM decode: every weight byte is read once
 * per token. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BYTES (1ull << 30)
static uint64_t *buffer;
static int threads;

static void *sum_part(void *arg) {
  size_t id = (size_t)arg, n = BYTES / 8 / threads;
  const uint64_t *p = buffer + id * n;
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (size_t i = 0; i < n; i += 4) {
    s0 += p[i];
    s1 += p[i + 1];
    s2 += p[i + 2];
    s3 += p[i + 3];
  }
  return (void *)(uintptr_t)(s0 + s1 + s2 + s3);
}

int main(int argc, char **argv) {
  threads = argc > 1 ? atoi(argv[1]) : 2;
  buffer = aligned_alloc(64, BYTES);
  if (!buffer)
    return 1;
  memset(buffer, 1, BYTES);
  double best = 0;
  for (int pass = 0; pass < 5; ++pass) {
    struct timespec a, b;
    pthread_t t[64];
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < threads; ++i)
      pthread_create(&t[i], NULL, sum_part, (void *)(size_t)i);
    for (int i = 0; i < threads; ++i)
      pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
    if (BYTES / s / 1e9 > best)
      best = BYTES / s / 1e9;
  }
  printf("%.1f\n", best);
  return 0;
}
