//===- Repack.cpp - weight layouts repacked for CPU kernels ---------------===//
#include "kiln/Quant/Repack.h"

#include <vector>

namespace kiln::quant {

bool hasRepackedLayout(BlockFormat format) {
  return format == BlockFormat::Q4_0 || format == BlockFormat::Q8_0 ||
         format == BlockFormat::Q4_K || format == BlockFormat::Q6_K;
}

int64_t halfFields(BlockFormat format) { return format == BlockFormat::Q4_K ? 2 : 1; }

int64_t halfFieldsAt(BlockFormat format) { return format == BlockFormat::Q6_K ? 208 : 0; }

int64_t rowRunBytes(BlockFormat format) { return format == BlockFormat::Q6_K ? 4 : 2; }

namespace {
int64_t choose(bool c, int64_t a, int64_t b) { return c ? a : b; }
} // namespace

int64_t storedRun(BlockFormat format, int64_t q) { return storedRunOf<int64_t>(format, q, choose); }

int64_t repackedOffset(BlockFormat format, int64_t row, int64_t block, int64_t byte,
                       int64_t rowLength) {
  const BlockFormatInfo &f = info(format);
  int64_t blocks = rowLength / f.blockElements;
  int64_t group = row / kRepackRows, r = row % kRepackRows;
  int64_t base = (group * blocks + block) * kRepackRows * f.blockBytes;
  int64_t fields = halfFieldsAt(format), fieldBytes = 2 * halfFields(format);
  if (byte >= fields && byte < fields + fieldBytes) { // byte % 2 of an f16 field of row r
    int64_t at = byte - fields;
    return base + (at / 2) * 2 * kRepackRows + (at % 2) * kRepackRows + r;
  }
  int64_t rest = base + fieldBytes * kRepackRows, q = byte < fields ? byte : byte - fieldBytes;
  return rest + restOffsetOf<int64_t>(format, q, r, choose);
}

bool repackRows(BlockFormat format, const uint8_t *src, int64_t rows, int64_t rowLength,
                uint8_t *dst) {
  const BlockFormatInfo &f = info(format);
  if (!hasRepackedLayout(format) || rows <= 0 || rows % kRepackRows != 0 || rowLength <= 0 ||
      rowLength % f.blockElements != 0)
    return false;
  int64_t blocks = rowLength / f.blockElements, bytes = f.blockBytes;
  // Every byte's place is its place for row 0 of the group's first block
  // index plus a step per row (1, or 2 for byte pairs): taken once from
  // repackedOffset, so the copy below is a plain strided loop.
  std::vector<int64_t> place(static_cast<size_t>(bytes)), step(place.size());
  for (int64_t byte = 0; byte < bytes; ++byte) {
    place[size_t(byte)] = repackedOffset(format, 0, 0, byte, rowLength);
    step[size_t(byte)] = repackedOffset(format, 1, 0, byte, rowLength) - place[size_t(byte)];
  }
  int64_t groupBlock = kRepackRows * bytes;
  for (int64_t row = 0; row < rows; ++row) {
    int64_t group = row / kRepackRows, r = row % kRepackRows;
    for (int64_t b = 0; b < blocks; ++b) {
      const uint8_t *block = src + (row * blocks + b) * bytes;
      uint8_t *base = dst + (group * blocks + b) * groupBlock;
      for (int64_t byte = 0; byte < bytes; ++byte)
        base[place[size_t(byte)] + r * step[size_t(byte)]] = block[byte];
    }
  }
  return true;
}

} // namespace kiln::quant
