/*===- kiln_fingerprint.c - the fingerprint of a weights file ------------===*
 *
 * One implementation for both sides: the compiler records the fingerprint
 * of the file a library is compiled against (lib/Codegen/Library.cpp) and
 * the runtime checks the file it maps (kiln_runtime.c).
 *
 *===---------------------------------------------------------------------===*/
#include "kiln_runtime.h"

uint64_t kiln_weights_fingerprint(const unsigned char *data, uint64_t bytes) {
  const uint64_t window = 65536;
  uint64_t hash = 0xcbf29ce484222325ull;
  uint64_t head = bytes < window ? bytes : window;
  uint64_t tail = bytes - head < window ? bytes - head : window;
  for (uint64_t i = 0; i < head; ++i)
    hash = (hash ^ data[i]) * 0x100000001b3ull;
  for (uint64_t i = bytes - tail; i < bytes; ++i)
    hash = (hash ^ data[i]) * 0x100000001b3ull;
  for (int i = 0; i < 8; ++i)
    hash = (hash ^ ((bytes >> (8 * i)) & 0xff)) * 0x100000001b3ull;
  return hash;
}
