//===- GgufFileTest.cpp - the GGUF reader on hand-built files -------------===//
//
// A valid file parses with every value where it should be; every one of its
// truncations, and a file with one byte flipped anywhere, fails (or parses)
// cleanly with a "byte N:" message, never reading past the buffer (ASan
// builds check that); absurd counts fail before any allocation.
//
//===----------------------------------------------------------------------===//
#include "kiln/Gguf/GgufFile.h"

#include "GgufBytes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace kiln::gguf;

namespace {
using Writer = kiln::test::GgufBytes;

/// v3, metadata {general.architecture: "llama", n: u32 7, arr: [[i32 -1, 7],
/// [i32 -1, 7]], f: f32 0.5}, tensors a: F32 {4, 2} and q: Q8_0 {32}.
std::vector<uint8_t> validFile() {
  Writer w;
  w.put<uint32_t>(0x46554747);
  w.put<uint32_t>(3);
  w.put<uint64_t>(2);
  w.put<uint64_t>(4);
  w.str("general.architecture");
  w.put<uint32_t>(8);
  w.str("llama");
  w.str("n");
  w.put<uint32_t>(4);
  w.put<uint32_t>(7);
  w.str("arr");
  w.put<uint32_t>(9);
  w.put<uint32_t>(9);
  w.put<uint64_t>(2);
  for (int i = 0; i < 2; ++i) {
    w.put<uint32_t>(5);
    w.put<uint64_t>(2);
    w.put<int32_t>(-1);
    w.put<int32_t>(7);
  }
  w.str("f");
  w.put<uint32_t>(6);
  w.put<float>(0.5f);
  w.str("a");
  w.put<uint32_t>(2);
  w.put<uint64_t>(4);
  w.put<uint64_t>(2);
  w.put<uint32_t>(0);
  w.put<uint64_t>(0);
  w.str("q");
  w.put<uint32_t>(1);
  w.put<uint64_t>(32);
  w.put<uint32_t>(8);
  w.put<uint64_t>(32);
  w.pad(32);
  for (int i = 0; i < 32 + 34; ++i)
    w.put<uint8_t>(uint8_t(i));
  return w.bytes;
}
} // namespace

TEST(GgufFile, ParsesEveryValue) {
  std::vector<uint8_t> file = validFile();
  std::string error;
  std::unique_ptr<File> f = File::parse(file.data(), file.size(), error);
  ASSERT_TRUE(f) << error;
  EXPECT_EQ(f->version(), 3u);
  EXPECT_EQ(f->getString("general.architecture"), std::optional<std::string_view>("llama"));
  EXPECT_EQ(f->getInt("n"), std::optional<int64_t>(7));
  EXPECT_EQ(f->getFloat("f"), std::optional<double>(0.5));
  const Value *arr = f->find("arr");
  ASSERT_TRUE(arr);
  ASSERT_EQ(arr->arrays.size(), 2u);
  EXPECT_EQ(arr->arrays[1].intAt(0), -1);
  EXPECT_EQ(arr->arrays[1].intAt(1), 7);
  ASSERT_EQ(f->tensors().size(), 2u);
  const TensorInfo *q = f->findTensor("q");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->bytes, 34);
  EXPECT_EQ(q->fileOffset % 32, 0u);
  EXPECT_EQ(q->data[0], 32); // data section bytes count up from 0
  EXPECT_EQ(f->findTensor("a")->elements, 8);
}

TEST(GgufFile, EveryTruncationFailsCleanly) {
  std::vector<uint8_t> file = validFile();
  for (size_t size = 0; size < file.size(); ++size) {
    // A fresh allocation of exactly `size` bytes, so ASan catches any read
    // past it.
    std::vector<uint8_t> prefix(file.begin(), file.begin() + size);
    std::string error;
    EXPECT_FALSE(File::parse(prefix.data(), prefix.size(), error)) << size;
    EXPECT_EQ(error.rfind("byte ", 0), 0u) << size << ": " << error;
  }
}

TEST(GgufFile, FlippedBytesNeverCrash) {
  std::vector<uint8_t> file = validFile();
  for (size_t at = 0; at < file.size(); ++at)
    for (uint8_t value : {uint8_t(0), uint8_t(0xff), uint8_t(0x80)}) {
      std::vector<uint8_t> copy = file;
      copy[at] = value;
      std::string error;
      std::unique_ptr<File> f = File::parse(copy.data(), copy.size(), error);
      if (!f) {
        EXPECT_EQ(error.rfind("byte ", 0), 0u) << at << ": " << error;
      }
    }
}

TEST(GgufFile, AbsurdCountsFailBeforeAllocating) {
  std::vector<uint8_t> file = validFile();
  uint64_t huge = uint64_t(1) << 62;
  std::memcpy(file.data() + 16, &huge, 8); // metadata count
  std::string error;
  EXPECT_FALSE(File::parse(file.data(), file.size(), error));
  EXPECT_NE(error.find("impossible"), std::string::npos) << error;
}

TEST(GgufFile, TypeTableKnowsGgufBlockSizes) {
  ASSERT_TRUE(ggmlType(GGML_Q4_K));
  EXPECT_EQ(ggmlType(GGML_Q4_K)->blockBytes, 144);
  EXPECT_EQ(ggmlType(GGML_Q6_K)->blockBytes, 210);
  EXPECT_EQ(ggmlType(GGML_Q8_0)->blockElements, 32);
  EXPECT_FALSE(ggmlType(4)); // Q4_2, removed from ggml
}
