//===- Repack.cpp - weight layouts repacked for CPU kernels ---------------===//
#include "kiln/Quant/Repack.h"

#include <cstring>

namespace kiln::quant {

namespace {
constexpr int64_t kBlockBytes = 18, kBlockElements = 32;
} // namespace

int64_t q4_0x32Offset(int64_t row, int64_t block, int64_t byte, int64_t rowLength) {
  int64_t blocks = rowLength / kBlockElements;
  int64_t group = row / kQ4_0Interleave, r = row % kQ4_0Interleave;
  int64_t base = (group * blocks + block) * kQ4_0Interleave * kBlockBytes;
  if (byte < 2)
    return base + 2 * r + byte;
  return base + 2 * kQ4_0Interleave + (byte - 2) * kQ4_0Interleave + r;
}

bool repackQ4_0x32(const uint8_t *src, int64_t rows, int64_t rowLength, uint8_t *dst) {
  if (rows <= 0 || rows % kQ4_0Interleave != 0 || rowLength <= 0 ||
      rowLength % kBlockElements != 0)
    return false;
  int64_t blocks = rowLength / kBlockElements;
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t b = 0; b < blocks; ++b) {
      const uint8_t *block = src + (row * blocks + b) * kBlockBytes;
      for (int64_t byte = 0; byte < kBlockBytes; ++byte)
        dst[q4_0x32Offset(row, b, byte, rowLength)] = block[byte];
    }
  return true;
}

} // namespace kiln::quant
