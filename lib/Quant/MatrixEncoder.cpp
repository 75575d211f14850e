//===- MatrixEncoder.cpp - quantizes a whole weight matrix ----------------===//
//
// Reads f32/f16/bf16 rows (transposing [K, N] weights to GGUF's [N, K] row
// layout on the way), rejects non-finite values and encodes the rows with
// the block codec on several threads, each thread a contiguous row range.
//
//===----------------------------------------------------------------------===//
#include "kiln/Quant/BlockCodec.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

namespace kiln::quant {
namespace {
float load(FloatType type, const uint8_t *source, int64_t index) {
  switch (type) {
  case FloatType::F32: {
    float value;
    std::memcpy(&value, source + index * 4, 4);
    return value;
  }
  case FloatType::F16:
    return halfToFloat(static_cast<uint16_t>(source[index * 2] | source[index * 2 + 1] << 8));
  case FloatType::BF16:
    return bfloat16ToFloat(static_cast<uint16_t>(source[index * 2] | source[index * 2 + 1] << 8));
  }
  return 0;
}
} // namespace

bool encodeMatrix(BlockFormat format, FloatType type, const uint8_t *source,
                  int64_t rows, int64_t rowLength, bool transposed, uint8_t *out,
                  unsigned threads, std::string &error) {
  const int64_t rowBytes = *storageBytes(format, rowLength);
  std::atomic<int64_t> badElement{-1};
  auto work = [&](int64_t first, int64_t last) {
    std::vector<float> row(rowLength);
    for (int64_t r = first; r < last && badElement.load() < 0; ++r) {
      for (int64_t k = 0; k < rowLength; ++k) {
        int64_t index = transposed ? k * rows + r : r * rowLength + k;
        row[k] = load(type, source, index);
        if (!std::isfinite(row[k])) {
          badElement = index;
          return;
        }
      }
      encodeRow(format, row.data(), rowLength, out + r * rowBytes);
    }
  };
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(rows)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work, rows * t / threads, rows * (t + 1) / threads);
  work(0, rows / threads);
  for (std::thread &thread : pool)
    thread.join();
  if (badElement.load() >= 0) {
    error = "element " + std::to_string(badElement.load()) + " is not finite";
    return false;
  }
  return true;
}

} // namespace kiln::quant
