// Unit tests of the q4_0x32 layout (kiln/Quant/Repack.h): repacking is a
// permutation of the bytes, and reading a repacked group the way the x86
// kernels do (scale of row r at 2r, quant byte p of row r at 64 + 32p + r,
// per block index) gives back every element that the block codec decodes
// from GGUF's layout.
#include "kiln/Quant/BlockCodec.h"
#include "kiln/Quant/Repack.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {
using namespace kiln::quant;

TEST(Repack, OffsetsArePermutation) {
  const int64_t rows = 96, rowLength = 128, blocks = rowLength / 32;
  std::vector<int> hits(size_t(rows * blocks * 18), 0);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t b = 0; b < blocks; ++b)
      for (int64_t byte = 0; byte < 18; ++byte) {
        int64_t at = q4_0x32Offset(row, b, byte, rowLength);
        ASSERT_GE(at, 0);
        ASSERT_LT(at, int64_t(hits.size()));
        ++hits[size_t(at)];
      }
  for (int count : hits)
    EXPECT_EQ(count, 1);
}

TEST(Repack, KnownPlaces) {
  // Row 33 is row 1 of group 1; with two blocks per row, group 1's block 1
  // starts at (1 * 2 + 1) * 576.
  EXPECT_EQ(q4_0x32Offset(33, 1, 0, 64), 1728 + 2);
  EXPECT_EQ(q4_0x32Offset(33, 1, 1, 64), 1728 + 3);
  EXPECT_EQ(q4_0x32Offset(33, 1, 2 + 5, 64), 1728 + 64 + 32 * 5 + 1);
  EXPECT_EQ(q4_0x32Offset(0, 0, 17, 64), 64 + 32 * 15);
}

TEST(Repack, KernelReadingDecodesAsGguf) {
  const int64_t rows = 64, rowLength = 96, blocks = rowLength / 32;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<float> values(size_t(rows * rowLength));
  for (float &v : values)
    v = normal(rng);
  std::vector<uint8_t> gguf(size_t(rows * blocks * 18)), packed(gguf.size());
  for (int64_t row = 0; row < rows; ++row)
    encodeRow(BlockFormat::Q4_0, &values[size_t(row * rowLength)], rowLength,
              &gguf[size_t(row * blocks * 18)]);
  ASSERT_TRUE(repackQ4_0x32(gguf.data(), rows, rowLength, packed.data()));
  std::vector<float> expected(static_cast<size_t>(rowLength));
  for (int64_t row = 0; row < rows; ++row) {
    decodeRow(BlockFormat::Q4_0, &gguf[size_t(row * blocks * 18)], rowLength, expected.data());
    int64_t group = row / 32, r = row % 32;
    for (int64_t b = 0; b < blocks; ++b) {
      const uint8_t *base = &packed[size_t((group * blocks + b) * 576)];
      float d = halfToFloat(uint16_t(base[2 * r] | base[2 * r + 1] << 8));
      for (int p = 0; p < 16; ++p) {
        int byte = base[64 + 32 * p + r];
        EXPECT_EQ(d * float((byte & 15) - 8), expected[size_t(b * 32 + p)]);
        EXPECT_EQ(d * float((byte >> 4) - 8), expected[size_t(b * 32 + 16 + p)]);
      }
    }
  }
}

TEST(Repack, RejectsPartialGroups) {
  std::vector<uint8_t> in(48 * 18), out(in.size());
  EXPECT_FALSE(repackQ4_0x32(in.data(), 48, 32, out.data()));
  EXPECT_FALSE(repackQ4_0x32(in.data(), 32, 48, out.data()));
  EXPECT_FALSE(repackQ4_0x32(in.data(), 0, 32, out.data()));
}

} // namespace
