// Unit tests of the repacked layouts (kiln/Quant/Repack.h): repacking is a
// permutation of the bytes, and reading a repacked group the way the x86
// kernels do (per block index: scale of row r at 2r; q4_0: quant byte p of
// row r at 64 + 32p + r; q8_0: element e of row r at 64 + 64(e / 2) + 2r +
// e % 2) gives back every element that the block codec decodes from
// GGUF's layout.
#include "kiln/Quant/BlockCodec.h"
#include "kiln/Quant/Repack.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {
using namespace kiln::quant;

class Repack : public ::testing::TestWithParam<BlockFormat> {};

TEST_P(Repack, OffsetsArePermutation) {
  const BlockFormat format = GetParam();
  const int64_t rows = 96, rowLength = 128, blocks = rowLength / 32;
  const int64_t bytes = info(format).blockBytes;
  std::vector<int> hits(size_t(rows * blocks * bytes), 0);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t b = 0; b < blocks; ++b)
      for (int64_t byte = 0; byte < bytes; ++byte) {
        int64_t at = repackedOffset(format, row, b, byte, rowLength);
        ASSERT_GE(at, 0);
        ASSERT_LT(at, int64_t(hits.size()));
        ++hits[size_t(at)];
      }
  for (int count : hits)
    EXPECT_EQ(count, 1);
}

TEST_P(Repack, KernelReadingDecodesAsGguf) {
  const BlockFormat format = GetParam();
  const int64_t rows = 64, rowLength = 96, blocks = rowLength / 32;
  const int64_t bytes = info(format).blockBytes, groupBlock = 32 * bytes;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<float> values(size_t(rows * rowLength));
  for (float &v : values)
    v = normal(rng);
  std::vector<uint8_t> gguf(size_t(rows * blocks * bytes)), packed(gguf.size());
  for (int64_t row = 0; row < rows; ++row)
    encodeRow(format, &values[size_t(row * rowLength)], rowLength,
              &gguf[size_t(row * blocks * bytes)]);
  ASSERT_TRUE(repackRows(format, gguf.data(), rows, rowLength, packed.data()));
  std::vector<float> expected(static_cast<size_t>(rowLength));
  for (int64_t row = 0; row < rows; ++row) {
    decodeRow(format, &gguf[size_t(row * blocks * bytes)], rowLength, expected.data());
    int64_t group = row / 32, r = row % 32;
    for (int64_t b = 0; b < blocks; ++b) {
      const uint8_t *base = &packed[size_t((group * blocks + b) * groupBlock)];
      float d = halfToFloat(uint16_t(base[2 * r] | base[2 * r + 1] << 8));
      for (int e = 0; e < 32; ++e) {
        int q;
        if (format == BlockFormat::Q4_0) {
          int byte = base[64 + 32 * (e % 16) + r];
          q = (e < 16 ? byte & 15 : byte >> 4) - 8;
        } else {
          q = int8_t(base[64 + 64 * (e / 2) + 2 * r + e % 2]);
        }
        EXPECT_EQ(d * float(q), expected[size_t(b * 32 + e)]) << "row " << row << " element " << e;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, Repack,
                         ::testing::Values(BlockFormat::Q4_0, BlockFormat::Q8_0));

TEST(RepackPlaces, Known) {
  // Row 33 is row 1 of group 1; with two blocks per row, group 1's block 1
  // starts at (1 * 2 + 1) * 32 * block bytes.
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 33, 1, 0, 64), 1728 + 2);
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 33, 1, 1, 64), 1728 + 3);
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 33, 1, 2 + 5, 64), 1728 + 64 + 32 * 5 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 0, 0, 17, 64), 64 + 32 * 15);
  EXPECT_EQ(repackedOffset(BlockFormat::Q8_0, 33, 1, 0, 64), 3264 + 2);
  EXPECT_EQ(repackedOffset(BlockFormat::Q8_0, 33, 1, 2 + 5, 64), 3264 + 64 + 64 * 2 + 2 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q8_0, 31, 0, 33, 64), 64 + 64 * 15 + 62 + 1);
}

TEST(RepackPlaces, RejectsPartialGroupsAndOtherFormats) {
  std::vector<uint8_t> in(64 * 8 * 144), out(in.size());
  EXPECT_FALSE(repackRows(BlockFormat::Q4_0, in.data(), 48, 32, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q8_0, in.data(), 32, 48, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q4_0, in.data(), 0, 32, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q4_K, in.data(), 32, 256, out.data()));
  EXPECT_FALSE(hasRepackedLayout(BlockFormat::Q6_K));
}

} // namespace
