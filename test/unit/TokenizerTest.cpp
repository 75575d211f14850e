//===- TokenizerTest.cpp - the runtime tokenizer on hand-made vocabularies -===//
//
// Small SentencePiece and BPE vocabularies serialized as the compiler does
// (from GGUF metadata built in memory): merges by score/rank, byte fallback,
// and random bytes that must never crash or read out of bounds (this test
// also runs in the AddressSanitizer build, kiln-asan-tests). Agreement with
// llama.cpp on real vocabularies is test/Gguf/tokenizer-vectors.test.
//
//===----------------------------------------------------------------------===//
#include "kiln/Gguf/GgufFile.h"
#include "kiln/Gguf/TokenizerBlob.h"
#include "kiln_tokenizer.h"

#include "GgufBytes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" {
// The runtime's error hook, for this test binary.
static char lastError[256];
void kiln_rt_set_error(const char *format, ...) {
  std::snprintf(lastError, sizeof(lastError), "%s", format);
}
const char *kiln_rt_last_error(void) { return lastError; }
}

namespace {
using namespace kiln::gguf;

/// A GGUF image with only tokenizer metadata.
struct GgufImage : kiln::test::GgufBytes {
  uint64_t count = 0;
  void kvString(const std::string &k, const std::string &v) {
    str(k); put<uint32_t>(8); str(v); ++count;
  }
  void kvU32(const std::string &k, uint32_t v) {
    str(k); put<uint32_t>(4); put<uint32_t>(v); ++count;
  }
  void kvStrings(const std::string &k, const std::vector<std::string> &v) {
    str(k); put<uint32_t>(9); put<uint32_t>(8); put<uint64_t>(v.size());
    for (const std::string &s : v) str(s);
    ++count;
  }
  void kvFloats(const std::string &k, const std::vector<float> &v) {
    str(k); put<uint32_t>(9); put<uint32_t>(6); put<uint64_t>(v.size());
    for (float f : v) put<float>(f);
    ++count;
  }
  void kvInts(const std::string &k, const std::vector<int32_t> &v) {
    str(k); put<uint32_t>(9); put<uint32_t>(5); put<uint64_t>(v.size());
    for (int32_t i : v) put<int32_t>(i);
    ++count;
  }
  std::vector<uint8_t> file() const {
    kiln::test::GgufBytes head;
    head.put<uint32_t>(0x46554747);
    head.put<uint32_t>(3);
    head.put<uint64_t>(0);
    head.put<uint64_t>(count);
    std::vector<uint8_t> all = head.bytes;
    all.insert(all.end(), bytes.begin(), bytes.end());
    return all;
  }
};

struct Tok {
  std::vector<uint8_t> image;
  std::string blob;
  kiln_tokenizer *t = nullptr;
  explicit Tok(const GgufImage &g) : image(g.file()) {
    std::string error;
    std::unique_ptr<File> f = File::parse(image.data(), image.size(), error);
    EXPECT_TRUE(f) << error;
    EXPECT_TRUE(serializeTokenizer(*f, blob, error)) << error;
    t = kiln_tokenizer_create(reinterpret_cast<const unsigned char *>(blob.data()),
                              blob.size());
  }
  ~Tok() { kiln_tokenizer_destroy(t); }
  std::vector<int32_t> encode(const std::string &s, bool special = false) {
    std::vector<int32_t> out(s.size() + 4);
    int n = kiln_tokenizer_encode(t, s.data(), s.size(), special, out.data(), int(out.size()));
    EXPECT_GE(n, 0);
    out.resize(std::max(n, 0));
    return out;
  }
};

GgufImage spmVocab() {
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<float> scores = {0, 0, 0};
  std::vector<int32_t> types = {2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    tokens.push_back(name);
    scores.push_back(0);
    types.push_back(6);
  }
  for (const char *piece : {"\xe2\x96\x81", "h", "e", "l", "o", "\xe2\x96\x81h", "he",
                            "ll", "\xe2\x96\x81he", "llo", "\xe2\x96\x81hello"}) {
    tokens.push_back(piece);
    scores.push_back(-float(tokens.size()));
    types.push_back(1);
  }
  scores[tokens.size() - 1] = 10; // "▁hello" merges first when reachable
  GgufImage g;
  g.kvString("tokenizer.ggml.model", "llama");
  g.kvStrings("tokenizer.ggml.tokens", tokens);
  g.kvFloats("tokenizer.ggml.scores", scores);
  g.kvInts("tokenizer.ggml.token_type", types);
  g.kvU32("tokenizer.ggml.bos_token_id", 1);
  g.kvU32("tokenizer.ggml.eos_token_id", 2);
  return g;
}
} // namespace

TEST(Tokenizer, SentencePieceMergesAndByteFallback) {
  Tok tok(spmVocab());
  ASSERT_TRUE(tok.t);
  // " hello" (with the space prefix) merges into one piece.
  std::vector<int32_t> ids = tok.encode("hello");
  ASSERT_EQ(ids.size(), 1u);
  char piece[32];
  int n = kiln_tokenizer_piece(tok.t, ids[0], piece, sizeof(piece));
  EXPECT_EQ(std::string(piece, n), " hello");
  // 'z' is not in the vocabulary: byte fallback <0x7A>.
  ids = tok.encode("z");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[1], 3 + 'z');
  n = kiln_tokenizer_piece(tok.t, ids[1], piece, sizeof(piece));
  EXPECT_EQ(std::string(piece, n), "z");
  // BOS comes first when asked for (the SentencePiece default).
  EXPECT_EQ(tok.encode("hello", true).front(), 1);
  EXPECT_TRUE(tok.encode("").empty());
}

TEST(Tokenizer, RandomBytesNeverCrash) {
  Tok tok(spmVocab());
  ASSERT_TRUE(tok.t);
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string s(rng() % 64, '\0');
    for (char &c : s)
      c = char(rng() & 0xff);
    std::vector<int32_t> ids = tok.encode(s);
    for (int32_t id : ids)
      EXPECT_GE(kiln_tokenizer_piece(tok.t, id, nullptr, 0), 0);
  }
  // A too-small output buffer reports the full count without overrunning.
  int32_t one;
  EXPECT_GT(kiln_tokenizer_encode(tok.t, "hello hello", 11, 0, &one, 1), 1);
  EXPECT_EQ(kiln_tokenizer_piece(tok.t, 99999, nullptr, 0), -1);
}

TEST(Tokenizer, CorruptBlobsAreRefused) {
  Tok tok(spmVocab());
  for (size_t size = 0; size < tok.blob.size(); size += 7) {
    std::vector<unsigned char> prefix(tok.blob.begin(), tok.blob.begin() + size);
    kiln_tokenizer *t = kiln_tokenizer_create(prefix.data(), prefix.size());
    EXPECT_FALSE(t) << size;
    kiln_tokenizer_destroy(t);
  }
}
