// Unit tests of the block codec (kiln/Quant/BlockCodec.h), the quantization
// recipe (kiln/Quant/Recipe.h) and the GGUF writer. Half conversions are
// checked against the CPU's own F16C instructions; bit-identity of the
// encoders with llama.cpp is checked end to end by
// test/Quant/quantize-vs-llama.test (llama.cpp's own quantizer).
#include "kiln/Gguf/GgufFile.h"
#include "kiln/Gguf/GgufWriter.h"
#include "kiln/Quant/BlockCodec.h"
#include "kiln/Quant/Recipe.h"

#include "HardwareHalf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace {
using namespace kiln::quant;
using kiln::test::hardwareFloat;
using kiln::test::hardwareHalf;

float floatOf(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

TEST(BlockCodec, HalfConversionsMatchF16C) {
  ASSERT_TRUE(__builtin_cpu_supports("f16c")) << "the reference needs F16C";
  for (uint32_t h = 0; h < 65536; ++h) {
    float value = halfToFloat(static_cast<uint16_t>(h));
    float reference = hardwareFloat(static_cast<uint16_t>(h));
    if (std::isnan(reference)) {
      EXPECT_TRUE(std::isnan(value)) << h;
      continue;
    }
    ASSERT_EQ(std::memcmp(&value, &reference, 4), 0) << "half " << h;
    ASSERT_EQ(floatToHalf(value), h) << "round trip of half " << h;
  }
  // Every rounding boundary region: random bit patterns over all exponents.
  std::mt19937 rng(7);
  for (int i = 0; i < 4000000; ++i) {
    float value = floatOf(rng());
    if (std::isnan(value))
      continue;
    ASSERT_EQ(floatToHalf(value), hardwareHalf(value)) << "float bits " << std::hex
                                                       << *reinterpret_cast<uint32_t *>(&value);
  }
  // Ties to even, overflow, subnormals.
  for (float value : {1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 65504.0f, 65519.0f, 65520.0f,
                      0x1p-25f, 1.5f * 0x1p-25f, 0x1p-24f, 0x1p-14f - 0x1p-26f, 1e-30f})
    EXPECT_EQ(floatToHalf(value), hardwareHalf(value)) << value;
}

/// Decoding what was encoded stays within each format's step of the input.
TEST(BlockCodec, RoundTripErrorIsBounded) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> x(1024), y(1024);
  for (float &v : x)
    v = normal(rng);
  const struct { BlockFormat format; float relative; } cases[] = {
      {BlockFormat::Q8_0, 1.0f / 127}, {BlockFormat::Q4_0, 1.0f / 7},
      {BlockFormat::Q4_K, 1.0f / 7}, {BlockFormat::Q6_K, 1.0f / 31}};
  for (const auto &c : cases) {
    std::vector<uint8_t> blocks(*storageBytes(c.format, 1024));
    encodeRow(c.format, x.data(), 1024, blocks.data());
    decodeRow(c.format, blocks.data(), 1024, y.data());
    float amax = 0, worst = 0;
    for (int i = 0; i < 1024; ++i) {
      amax = std::max(amax, std::fabs(x[i]));
      worst = std::max(worst, std::fabs(x[i] - y[i]));
    }
    EXPECT_LE(worst, c.relative * amax) << info(c.format).name;
    EXPECT_GT(worst, 0.0f) << info(c.format).name; // it did quantize
  }
}

TEST(BlockCodec, ZerosStayZero) {
  std::vector<float> x(256, 0.0f), y(256, 1.0f);
  for (const BlockFormatInfo *f = begin(); f != end(); ++f) {
    std::vector<uint8_t> blocks(*storageBytes(f->format, 256));
    encodeRow(f->format, x.data(), 256, blocks.data());
    decodeRow(f->format, blocks.data(), 256, y.data());
    for (float v : y)
      ASSERT_EQ(v, 0.0f) << f->name;
  }
}

TEST(BlockCodec, EncodeMatrixTransposesAndRejectsNonFinite) {
  // A [K=64, N=2] f32 matrix transposed to 2 rows of 64.
  std::vector<float> kn(128);
  for (int k = 0; k < 64; ++k)
    for (int n = 0; n < 2; ++n)
      kn[k * 2 + n] = n == 0 ? k : -k;
  std::vector<uint8_t> out(2 * 68);
  std::string error;
  ASSERT_TRUE(encodeMatrix(BlockFormat::Q8_0, FloatType::F32,
                           reinterpret_cast<const uint8_t *>(kn.data()), 2, 64,
                           /*transposed=*/true, out.data(), 2, error));
  std::vector<float> row(64);
  decodeRow(BlockFormat::Q8_0, out.data() + 68, 64, row.data());
  for (int k = 0; k < 64; ++k)
    EXPECT_NEAR(row[k], -k, 0.26f); // half a step of 63 / 127
  kn[77] = NAN;
  EXPECT_FALSE(encodeMatrix(BlockFormat::Q8_0, FloatType::F32,
                            reinterpret_cast<const uint8_t *>(kn.data()), 2, 64, true,
                            out.data(), 1, error));
  EXPECT_EQ(error, "element 77 is not finite");
}

TEST(Recipe, FollowsLlamaCppRules) {
  ModelFacts facts{32, false};
  EXPECT_EQ(chooseFormat(Scheme::Q4_0, "output.weight", 4096, facts).format, BlockFormat::Q6_K);
  EXPECT_EQ(chooseFormat(Scheme::Q8_0, "output.weight", 4096, facts).format, BlockFormat::Q8_0);
  EXPECT_EQ(chooseFormat(Scheme::Q4_0, "token_embd.weight", 4096, facts).format, BlockFormat::Q4_0);
  ModelFacts tied{32, true};
  EXPECT_EQ(chooseFormat(Scheme::Q4_0, "token_embd.weight", 4096, tied).format, BlockFormat::Q6_K);
  // use_more_bits(i, 32): i < 4, i >= 28, (i - 4) % 3 == 2.
  EXPECT_EQ(chooseFormat(Scheme::Q4_K_M, "blk.0.attn_v.weight", 4096, facts).format, BlockFormat::Q6_K);
  EXPECT_EQ(chooseFormat(Scheme::Q4_K_M, "blk.4.attn_v.weight", 4096, facts).format, BlockFormat::Q4_K);
  EXPECT_EQ(chooseFormat(Scheme::Q4_K_M, "blk.6.ffn_down.weight", 4096, facts).format, BlockFormat::Q6_K);
  EXPECT_EQ(chooseFormat(Scheme::Q4_K_M, "blk.30.ffn_down.weight", 4096, facts).format, BlockFormat::Q6_K);
  EXPECT_EQ(chooseFormat(Scheme::Q4_K_M, "blk.5.ffn_up.weight", 4096, facts).format, BlockFormat::Q4_K);
  // Fallbacks: a K-quant to q8_0, a 32-block format to the float type.
  Choice k = chooseFormat(Scheme::Q4_K, "blk.1.attn_q.weight", 96, facts);
  EXPECT_EQ(k.format, BlockFormat::Q8_0);
  EXPECT_NE(k.note.find("not a multiple of 256"), std::string::npos);
  EXPECT_FALSE(chooseFormat(Scheme::Q8_0, "blk.1.attn_q.weight", 50, facts).format);
  EXPECT_FALSE(schemeFromName("q5_k"));
  EXPECT_EQ(schemeFromName("q4_k_m"), Scheme::Q4_K_M);
}

TEST(GgufWriter, RoundTripsThroughTheReader) {
  kiln::gguf::Writer writer;
  kiln::gguf::Value arch;
  arch.type = kiln::gguf::ValueType::String;
  arch.str = "llama";
  writer.setValue("general.architecture", arch);
  writer.setU32("general.file_type", 1);
  writer.setU32("general.file_type", 7); // replaced in place
  writer.addTensor("a.weight", {32, 3}, kiln::gguf::GGML_Q8_0);
  writer.addTensor("b", {5}, kiln::gguf::GGML_F32);
  std::string path = ::testing::TempDir() + "/kiln-writer-test.gguf", error;
  ASSERT_TRUE(writer.write(
      path,
      [](size_t index, uint8_t *out, std::string &) {
        out[0] = static_cast<uint8_t>(10 + index);
        return true;
      },
      error))
      << error;
  std::unique_ptr<kiln::gguf::File> file = kiln::gguf::File::open(path, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->metadata().size(), 2u);
  EXPECT_EQ(file->getString("general.architecture"), "llama");
  EXPECT_EQ(file->getInt("general.file_type"), 7);
  ASSERT_EQ(file->tensors().size(), 2u);
  EXPECT_EQ(file->tensors()[0].bytes, 3 * 34);
  EXPECT_EQ(file->tensors()[0].data[0], 10);
  EXPECT_EQ(file->tensors()[1].data[0], 11);
  EXPECT_EQ(file->tensors()[1].offset % 32, 0u);
  // A failing fill leaves no file behind.
  std::remove(path.c_str());
  EXPECT_FALSE(writer.write(
      path, [](size_t, uint8_t *, std::string &why) { why = "stop"; return false; }, error));
  EXPECT_EQ(error, "stop");
  EXPECT_EQ(std::fopen(path.c_str(), "rb"), nullptr);
}
} // namespace
