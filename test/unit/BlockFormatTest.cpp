// Unit tests of the GGUF block-format table (kiln/Quant/BlockFormat.h).
// The reference is ggml's own block structs (ggml-common.h) and type enum
// (ggml.h), transcribed below; the table must agree with them.
#include "kiln/Quant/BlockFormat.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace {
using kiln::quant::BlockFormat;
using ggml_half = uint16_t;

// From ggml-common.h (QK8_0 = QK4_0 = 32, QK_K = 256, K_SCALE_SIZE = 12).
struct block_q8_0 { ggml_half d; int8_t qs[32]; };
struct block_q4_0 { ggml_half d; uint8_t qs[32 / 2]; };
struct block_q4_K { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[256 / 2]; };
struct block_q6_K { uint8_t ql[256 / 2]; uint8_t qh[256 / 4]; int8_t scales[256 / 16]; ggml_half d; };

// From ggml.h's enum ggml_type.
constexpr uint32_t GGML_TYPE_Q4_0 = 2, GGML_TYPE_Q8_0 = 8,
                   GGML_TYPE_Q4_K = 12, GGML_TYPE_Q6_K = 14;

TEST(BlockFormat, SizesMatchGgmlStructs) {
  EXPECT_EQ(info(BlockFormat::Q8_0).blockBytes, int64_t(sizeof(block_q8_0)));
  EXPECT_EQ(info(BlockFormat::Q4_0).blockBytes, int64_t(sizeof(block_q4_0)));
  EXPECT_EQ(info(BlockFormat::Q4_K).blockBytes, int64_t(sizeof(block_q4_K)));
  EXPECT_EQ(info(BlockFormat::Q6_K).blockBytes, int64_t(sizeof(block_q6_K)));
  EXPECT_EQ(info(BlockFormat::Q8_0).blockElements, 32);
  EXPECT_EQ(info(BlockFormat::Q4_0).blockElements, 32);
  EXPECT_EQ(info(BlockFormat::Q4_K).blockElements, 256);
  EXPECT_EQ(info(BlockFormat::Q6_K).blockElements, 256);
}

TEST(BlockFormat, GgmlTypeIds) {
  EXPECT_EQ(kiln::quant::formatFromGgmlType(GGML_TYPE_Q8_0), BlockFormat::Q8_0);
  EXPECT_EQ(kiln::quant::formatFromGgmlType(GGML_TYPE_Q4_0), BlockFormat::Q4_0);
  EXPECT_EQ(kiln::quant::formatFromGgmlType(GGML_TYPE_Q4_K), BlockFormat::Q4_K);
  EXPECT_EQ(kiln::quant::formatFromGgmlType(GGML_TYPE_Q6_K), BlockFormat::Q6_K);
  EXPECT_FALSE(kiln::quant::formatFromGgmlType(0).has_value()); // F32
  EXPECT_FALSE(kiln::quant::formatFromGgmlType(1).has_value()); // F16
  EXPECT_FALSE(kiln::quant::formatFromGgmlType(9999).has_value());
}

TEST(BlockFormat, NamesRoundTrip) {
  for (const auto *row = kiln::quant::begin(); row != kiln::quant::end(); ++row)
    EXPECT_EQ(kiln::quant::formatFromName(row->name), row->format) << row->name;
  EXPECT_FALSE(kiln::quant::formatFromName("q5_k").has_value());
  EXPECT_FALSE(kiln::quant::formatFromName("Q8_0").has_value());
  EXPECT_FALSE(kiln::quant::formatFromName("").has_value());
}

TEST(BlockFormat, StorageBytes) {
  // A 4096x4096 Q4_K matrix: 65536 blocks of 144 bytes.
  EXPECT_EQ(kiln::quant::storageBytes(BlockFormat::Q4_K, 4096 * 4096),
            int64_t(4096) * 4096 / 256 * 144);
  EXPECT_EQ(kiln::quant::storageBytes(BlockFormat::Q8_0, 64), 68);
  EXPECT_EQ(kiln::quant::storageBytes(BlockFormat::Q8_0, 0), 0);
  EXPECT_FALSE(kiln::quant::storageBytes(BlockFormat::Q8_0, 33).has_value());
  EXPECT_FALSE(kiln::quant::storageBytes(BlockFormat::Q6_K, 128).has_value());
  EXPECT_FALSE(kiln::quant::storageBytes(BlockFormat::Q4_0, -32).has_value());
  // Q8_0 stores 34 bytes per 32 elements, so the largest element counts
  // overflow int64 bytes; Q6_K (210 per 256) never does.
  int64_t huge = std::numeric_limits<int64_t>::max() / 256 * 256;
  EXPECT_FALSE(kiln::quant::storageBytes(BlockFormat::Q8_0, huge).has_value());
  EXPECT_EQ(kiln::quant::storageBytes(BlockFormat::Q6_K, huge),
            huge / 256 * 210);
}
} // namespace
