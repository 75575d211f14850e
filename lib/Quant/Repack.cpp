//===- Repack.cpp - weight layouts repacked for CPU kernels ---------------===//
#include "kiln/Quant/Repack.h"

namespace kiln::quant {

bool hasRepackedLayout(BlockFormat format) {
  return format == BlockFormat::Q4_0 || format == BlockFormat::Q8_0;
}

int64_t repackedOffset(BlockFormat format, int64_t row, int64_t block, int64_t byte,
                       int64_t rowLength) {
  const BlockFormatInfo &f = info(format);
  int64_t blocks = rowLength / f.blockElements;
  int64_t group = row / kRepackRows, r = row % kRepackRows;
  int64_t base = (group * blocks + block) * kRepackRows * f.blockBytes;
  if (byte < 2)
    return base + 2 * r + byte;
  int64_t quants = base + 2 * kRepackRows, q = byte - 2;
  if (format == BlockFormat::Q4_0)
    return quants + q * kRepackRows + r;
  return quants + (q / 2) * 2 * kRepackRows + 2 * r + q % 2; // Q8_0
}

bool repackRows(BlockFormat format, const uint8_t *src, int64_t rows, int64_t rowLength,
                uint8_t *dst) {
  const BlockFormatInfo &f = info(format);
  if (!hasRepackedLayout(format) || rows <= 0 || rows % kRepackRows != 0 || rowLength <= 0 ||
      rowLength % f.blockElements != 0)
    return false;
  int64_t blocks = rowLength / f.blockElements;
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t b = 0; b < blocks; ++b) {
      const uint8_t *block = src + (row * blocks + b) * f.blockBytes;
      for (int64_t byte = 0; byte < f.blockBytes; ++byte)
        dst[repackedOffset(format, row, b, byte, rowLength)] = block[byte];
    }
  return true;
}

} // namespace kiln::quant
