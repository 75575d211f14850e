//===- TokenizerBlob.cpp - GGUF tokenizer metadata -> runtime blob --------===//
//
// Which pre-tokenizer a `gpt2` vocabulary uses comes from
// `tokenizer.ggml.pre`, named as llama.cpp names them; defaults follow
// llama.cpp (SentencePiece adds a leading space and BOS, BPE neither,
// unless the model's keys say otherwise).
//
//===----------------------------------------------------------------------===//
#include "kiln/Gguf/TokenizerBlob.h"

#include <cstring>

namespace kiln::gguf {
namespace {
void putU32(std::string &b, uint32_t v) { b.append(reinterpret_cast<const char *>(&v), 4); }
void putI32(std::string &b, int32_t v) { b.append(reinterpret_cast<const char *>(&v), 4); }
void putF32(std::string &b, float v) { b.append(reinterpret_cast<const char *>(&v), 4); }
void putStr(std::string &b, std::string_view s) {
  putU32(b, uint32_t(s.size()));
  b.append(s.data(), s.size());
}

bool getBool(const File &file, const char *key, bool fallback) {
  const Value *v = file.find(key);
  return v && v->type == ValueType::Bool ? v->bits != 0 : fallback;
}
} // namespace

bool serializeTokenizer(const File &file, std::string &blob, std::string &error) {
  std::optional<std::string_view> model = file.getString("tokenizer.ggml.model");
  if (!model) {
    error = "the model has no tokenizer (tokenizer.ggml.model is missing)";
    return false;
  }
  uint32_t kind;
  if (*model == "llama")
    kind = 1;
  else if (*model == "gpt2")
    kind = 2;
  else {
    error = "tokenizer '" + std::string(*model) +
            "' is not supported (kiln supports llama and gpt2)";
    return false;
  }
  const Value *tokens = file.find("tokenizer.ggml.tokens");
  if (!tokens || tokens->type != ValueType::Array ||
      tokens->elementType != ValueType::String || tokens->count == 0) {
    error = "tokenizer.ggml.tokens is missing or not an array of strings";
    return false;
  }
  uint64_t n = tokens->count;
  auto numbers = [&](const char *key, ValueType want) -> const Value * {
    const Value *v = file.find(key);
    if (!v)
      return nullptr;
    if (v->type != ValueType::Array || v->elementType != want || v->count != n) {
      error = std::string(key) + " must be an array of " +
              std::string(valueTypeName(want)) + " with one entry per token";
      return reinterpret_cast<const Value *>(-1);
    }
    return v;
  };
  const Value *scores = numbers("tokenizer.ggml.scores", ValueType::F32);
  const Value *types = scores == reinterpret_cast<const Value *>(-1)
                           ? scores
                           : numbers("tokenizer.ggml.token_type", ValueType::I32);
  if (scores == reinterpret_cast<const Value *>(-1) ||
      types == reinterpret_cast<const Value *>(-1))
    return false;
  const Value *merges = file.find("tokenizer.ggml.merges");
  if (kind == 2 && (!merges || merges->type != ValueType::Array ||
                    merges->elementType != ValueType::String)) {
    error = "a gpt2 tokenizer needs tokenizer.ggml.merges (an array of strings)";
    return false;
  }
  uint32_t pre = 0;
  bool ignoreMerges = false;
  std::string_view preName = file.getString("tokenizer.ggml.pre").value_or("default");
  if (kind == 2) {
    if (preName == "llama-bpe" || preName == "llama3" || preName == "smaug-bpe") {
      pre = 1;
      ignoreMerges = true;
    } else if (preName == "qwen2") {
      pre = 2;
    } else if (preName != "default" && preName != "gpt-2" && preName != "gpt2") {
      error = "pre-tokenizer '" + std::string(preName) +
              "' is not supported (kiln supports gpt-2, llama-bpe and qwen2)";
      return false;
    }
  }
  auto special = [&](const char *key) -> int32_t {
    std::optional<int64_t> id = file.getInt(key);
    return id && *id >= 0 && uint64_t(*id) < n ? int32_t(*id) : -1;
  };

  blob.clear();
  blob.append("KTOK", 4);
  putU32(blob, 1);
  putU32(blob, kind);
  putU32(blob, pre);
  putU32(blob, uint32_t(n));
  putU32(blob, kind == 2 ? uint32_t(merges->count) : 0);
  putI32(blob, special("tokenizer.ggml.bos_token_id"));
  putI32(blob, special("tokenizer.ggml.eos_token_id"));
  putI32(blob, special("tokenizer.ggml.unknown_token_id"));
  blob.push_back(char(getBool(file, "tokenizer.ggml.add_bos_token", kind == 1)));
  blob.push_back(char(getBool(file, "tokenizer.ggml.add_eos_token", false)));
  blob.push_back(char(getBool(file, "tokenizer.ggml.add_space_prefix", kind == 1)));
  blob.push_back(char(ignoreMerges));
  for (uint64_t i = 0; i < n; ++i) {
    putStr(blob, tokens->strings[i]);
    putF32(blob, scores ? float(scores->realAt(i)) : 0.0f);
    putI32(blob, types ? int32_t(types->intAt(i)) : 1);
  }
  if (kind == 2)
    for (std::string_view merge : merges->strings)
      putStr(blob, merge);
  return true;
}

} // namespace kiln::gguf
