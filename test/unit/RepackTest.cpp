// Unit tests of the repacked layouts (kiln/Quant/Repack.h): repacking is a
// permutation of the bytes, and reading a repacked group the way the x86
// kernels do (kernelAddress below, written out from docs/repacking.md)
// gives back every element that the block codec decodes from GGUF's
// layout.
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
  const int64_t rows = 96, blocks = 4, rowLength = blocks * info(format).blockElements;
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

// Where the kernels (tools/kiln-kernel-gen) read byte `byte` of row r's
// block in its group's block index: written out per format from
// docs/repacking.md.
int64_t kernelAddress(BlockFormat format, int64_t r, int64_t byte) {
  switch (format) {
  case BlockFormat::Q4_0: // d, then byte pairs
  case BlockFormat::Q8_0:
    return byte < 2 ? 32 * byte + r : 64 + 64 * ((byte - 2) / 2) + 2 * r + (byte - 2) % 2;
  case BlockFormat::Q4_K: // d, dmin, then scales and quants in byte pairs
    return byte < 4 ? 32 * byte + r : 128 + 64 * ((byte - 4) / 2) + 2 * r + (byte - 4) % 2;
  case BlockFormat::Q6_K: { // d (GGUF's last two bytes) first, then runs of 4 bytes
    if (byte >= 208)
      return 32 * (byte - 208) + r;
    int64_t run; // scales; then per half and lane: ql (quarters 0, 2), ql (1, 3), qh
    if (byte >= 192)
      run = (byte - 192) / 4;
    else if (byte >= 128)
      run = 4 + 24 * ((byte - 128) / 32) + 3 * ((byte % 32) / 4) + 2;
    else
      run = 4 + 24 * (byte / 64) + 3 * ((byte % 32) / 4) + (byte % 64) / 32;
    return 64 + 128 * run + 4 * r + byte % 4;
  }
  }
  return -1;
}

/// `rows` rows of `blocks` blocks of seeded normal values encoded in GGUF's
/// `format` (gguf) and repacked (packed).
struct Encoded {
  std::vector<uint8_t> gguf, packed;
};
Encoded encodeAndRepack(BlockFormat format, int64_t rows, int64_t blocks, unsigned seed) {
  const int64_t rowLength = blocks * info(format).blockElements;
  const int64_t rowBytes = blocks * info(format).blockBytes;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> values(size_t(rows * rowLength));
  for (float &v : values)
    v = normal(rng);
  Encoded e{std::vector<uint8_t>(size_t(rows * rowBytes)), {}};
  e.packed.resize(e.gguf.size());
  for (int64_t row = 0; row < rows; ++row)
    encodeRow(format, &values[size_t(row * rowLength)], rowLength, &e.gguf[size_t(row * rowBytes)]);
  EXPECT_TRUE(repackRows(format, e.gguf.data(), rows, rowLength, e.packed.data()));
  return e;
}

TEST_P(Repack, BlocksReadBackDecodeAsGguf) {
  const BlockFormat format = GetParam();
  const int64_t rows = 64, blocks = 3, bytes = info(format).blockBytes;
  Encoded e = encodeAndRepack(format, rows, blocks, 11);
  const std::vector<uint8_t> &gguf = e.gguf, &packed = e.packed;
  std::vector<uint8_t> block(static_cast<size_t>(bytes));
  std::vector<float> want(size_t(info(format).blockElements)), got(want.size());
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t b = 0; b < blocks; ++b) {
      const uint8_t *base = &packed[size_t(((row / 32) * blocks + b) * 32 * bytes)];
      for (int64_t byte = 0; byte < bytes; ++byte)
        block[size_t(byte)] = base[kernelAddress(format, row % 32, byte)];
      decodeRow(format, &gguf[size_t((row * blocks + b) * bytes)], int64_t(want.size()),
                want.data());
      decodeRow(format, block.data(), int64_t(got.size()), got.data());
      ASSERT_EQ(want, got) << "row " << row << " block " << b;
    }
}

TEST(RepackElements, KernelReadingDecodesAsGguf) {
  for (BlockFormat format : {BlockFormat::Q4_0, BlockFormat::Q8_0}) {
    const int64_t rows = 64, blocks = 3, rowLength = blocks * 32;
    const int64_t bytes = info(format).blockBytes, groupBlock = 32 * bytes;
    Encoded e = encodeAndRepack(format, rows, blocks, 7);
    const std::vector<uint8_t> &gguf = e.gguf, &packed = e.packed;
    std::vector<float> expected(static_cast<size_t>(rowLength));
    for (int64_t row = 0; row < rows; ++row) {
      decodeRow(format, &gguf[size_t(row * blocks * bytes)], rowLength, expected.data());
      int64_t group = row / 32, r = row % 32;
      for (int64_t b = 0; b < blocks; ++b) {
        const uint8_t *base = &packed[size_t((group * blocks + b) * groupBlock)];
        float d = halfToFloat(uint16_t(base[r] | base[32 + r] << 8));
        for (int e = 0; e < 32; ++e) {
          int q;
          if (format == BlockFormat::Q4_0) {
            int p = e % 16, byte = base[64 + 64 * (p / 2) + 2 * r + p % 2];
            q = (e < 16 ? byte & 15 : byte >> 4) - 8;
          } else {
            q = int8_t(base[64 + 64 * (e / 2) + 2 * r + e % 2]);
          }
          EXPECT_EQ(d * float(q), expected[size_t(b * 32 + e)]) << "row " << row << " element " << e;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, Repack,
                         ::testing::Values(BlockFormat::Q4_0, BlockFormat::Q8_0,
                                           BlockFormat::Q4_K, BlockFormat::Q6_K));

TEST(RepackPlaces, Known) {
  // Row 33 is row 1 of group 1; with two blocks per row, group 1's block 1
  // starts at (1 * 2 + 1) * 32 * block bytes.
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 33, 1, 0, 64), 1728 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 33, 1, 1, 64), 1728 + 32 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 33, 1, 2 + 5, 64), 1728 + 64 + 64 * 2 + 2 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q4_0, 0, 0, 17, 64), 64 + 64 * 7 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q8_0, 33, 1, 0, 64), 3264 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q6_K, 33, 0, 209, 256), 6720 + 32 + 1);
  // Q6_K's qh byte 130 (half 0, lane 0): run 6; scale byte 200: run 2.
  EXPECT_EQ(repackedOffset(BlockFormat::Q6_K, 33, 0, 130, 256), 6720 + 64 + 128 * 6 + 4 + 2);
  EXPECT_EQ(repackedOffset(BlockFormat::Q6_K, 33, 0, 200, 256), 6720 + 64 + 128 * 2 + 4);
  EXPECT_EQ(repackedOffset(BlockFormat::Q8_0, 33, 1, 2 + 5, 64), 3264 + 64 + 64 * 2 + 2 + 1);
  EXPECT_EQ(repackedOffset(BlockFormat::Q8_0, 31, 0, 33, 64), 64 + 64 * 15 + 62 + 1);
}

TEST(RepackPlaces, RejectsPartialGroups) {
  std::vector<uint8_t> in(64 * 8 * 144), out(in.size());
  EXPECT_FALSE(repackRows(BlockFormat::Q4_0, in.data(), 48, 32, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q8_0, in.data(), 32, 48, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q4_0, in.data(), 0, 32, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q4_K, in.data(), 32, 128, out.data()));
  EXPECT_FALSE(repackRows(BlockFormat::Q6_K, in.data(), 16, 256, out.data()));
}

} // namespace
