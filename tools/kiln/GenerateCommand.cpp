//===- GenerateCommand.cpp - `kiln run` on a library compiled from an LLM -===//
//
// Feeds the prompt (text with -p, tokenized by the library's own
// tokenizer with BOS as the model asks; or token ids with --tokens), then
// decodes N tokens with the chosen sampler, streaming each token's text as
// it is produced (ids with --print-ids) and, at the end, the prompt and
// decode speeds in tokens/s on stderr. --logits-out writes the logits after the prompt
// (for comparisons with llama.cpp), --tokens-out the generated ids.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Npy.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <dlfcn.h>
#include <fstream>

namespace kiln {
namespace {

struct Sampler {
  float temperature;
  int topK;
  float topP;
  uint64_t seed;
};

/// The LLM API of one generated library.
struct LlmApi {
  void *(*create)(const char *) = nullptr;
  void (*destroy)(void *) = nullptr;
  const char *(*lastError)() = nullptr;
  void *(*seqCreate)(void *) = nullptr;
  void (*seqDestroy)(void *) = nullptr;
  int (*prefill)(void *, const int32_t *, int) = nullptr;
  int (*decode)(void *, int32_t) = nullptr;
  const float *(*logits)(const void *) = nullptr;
  int32_t (*sample)(const void *, const Sampler *, uint64_t *) = nullptr;
  int (*nVocab)() = nullptr, (*nCtx)() = nullptr;
  int32_t (*bos)() = nullptr, (*eos)() = nullptr;
  int (*tokenize)(void *, const char *, int, int32_t *, int) = nullptr;
  int (*piece)(void *, int32_t, char *, int) = nullptr;

  bool load(void *handle, const std::string &name, std::string &error) {
    bool ok = true;
    auto sym = [&](auto &fn, const char *suffix) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(handle, (name + "_" + suffix).c_str()));
      if (!fn && ok) {
        ok = false;
        error = "it has no " + name + "_" + suffix;
      }
    };
    sym(create, "create"); sym(destroy, "destroy"); sym(lastError, "last_error");
    sym(seqCreate, "seq_create"); sym(seqDestroy, "seq_destroy");
    sym(prefill, "prefill"); sym(decode, "decode"); sym(logits, "logits");
    sym(sample, "sample"); sym(nVocab, "n_vocab"); sym(nCtx, "n_ctx");
    sym(bos, "bos"); sym(eos, "eos"); sym(tokenize, "tokenize");
    sym(piece, "token_to_piece");
    return ok;
  }
};

bool parseTokens(const std::string &text, std::vector<int32_t> &out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(", ", pos);
    std::string item = text.substr(pos, end == std::string::npos ? end : end - pos);
    if (!item.empty()) {
      char *stop = nullptr;
      long value = std::strtol(item.c_str(), &stop, 10);
      if (*stop || value < INT32_MIN || value > INT32_MAX)
        return false;
      out.push_back(int32_t(value));
    }
    if (end == std::string::npos)
      break;
    pos = end + 1;
  }
  return true;
}
} // namespace

int runGenerate(void *handle, const std::string &name, const GenerateOptions &o) {
  auto fail = [](const llvm::Twine &message) {
    llvm::errs() << "kiln run: error: " << message << "\n";
    return 1;
  };
  LlmApi api;
  std::string error;
  if (!api.load(handle, name, error))
    return fail("not a kiln LLM library: " + error);
  std::vector<int32_t> prompt;
  if (o.prompt.empty() == o.tokens.empty())
    return fail("give the prompt as text (-p TEXT) or as ids (--tokens ID,ID,...)");
  if (!o.tokens.empty() && !parseTokens(o.tokens, prompt))
    return fail("--tokens takes comma-separated token ids, got '" + o.tokens + "'");

  void *model = api.create(o.weights.empty() ? nullptr : o.weights.c_str());
  if (!model)
    return fail(llvm::Twine("cannot create the model: ") + api.lastError());
  if (!o.prompt.empty()) {
    prompt.resize(o.prompt.size() + 8);
    int n = api.tokenize(model, o.prompt.c_str(), 1, prompt.data(), int(prompt.size()));
    if (n > int(prompt.size())) {
      prompt.resize(n);
      n = api.tokenize(model, o.prompt.c_str(), 1, prompt.data(), int(prompt.size()));
    }
    if (n < 0) {
      std::string message = api.lastError();
      api.destroy(model);
      return fail("cannot tokenize the prompt: " + message);
    }
    prompt.resize(n);
  }
  if (prompt.empty()) {
    api.destroy(model);
    return fail("the prompt is empty");
  }
  auto text = [&](int32_t token) {
    char buf[256];
    int len = api.piece(model, token, buf, sizeof(buf));
    return std::string(buf, len < 0 ? 0 : std::min(len, 256));
  };
  if (!o.prompt.empty() && !o.printIds)
    llvm::outs() << o.prompt;
  void *seq = api.seqCreate(model);
  if (!seq) {
    std::string message = api.lastError();
    api.destroy(model);
    return fail("cannot create a sequence: " + message);
  }
  auto cleanup = [&] {
    api.seqDestroy(seq);
    api.destroy(model);
  };
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  if (api.prefill(seq, prompt.data(), int(prompt.size())) != 0) {
    std::string message = api.lastError();
    cleanup();
    return fail("prefill failed: " + message);
  }
  double prefillSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
  int vocab = api.nVocab();
  if (!o.logitsOut.empty()) {
    HostTensor t;
    t.dtype = 0;
    t.shape = {vocab};
    const char *bytes = reinterpret_cast<const char *>(api.logits(seq));
    t.data.assign(bytes, bytes + size_t(vocab) * sizeof(float));
    if (!writeNpy(o.logitsOut, t, error)) {
      cleanup();
      return fail("cannot write '" + o.logitsOut + "': " + error);
    }
  }
  Sampler sampler{o.greedy ? 0.0f : o.temperature, o.topK, o.topP, o.seed};
  uint64_t state = o.seed;
  std::vector<int32_t> generated;
  auto t1 = Clock::now();
  for (unsigned i = 0; i < o.count; ++i) {
    int32_t token = api.sample(seq, &sampler, &state);
    generated.push_back(token);
    if (o.printIds || o.prompt.empty())
      llvm::outs() << (i ? " " : "") << token;
    else
      llvm::outs() << text(token);
    llvm::outs().flush();
    if (i + 1 == o.count)
      break;
    if (api.decode(seq, token) != 0) {
      std::string message = api.lastError();
      cleanup();
      return fail("decode failed after " + llvm::Twine(i + 1) +
                  " tokens: " + message);
    }
  }
  double decodeSeconds = std::chrono::duration<double>(Clock::now() - t1).count();
  llvm::outs() << "\n";
  cleanup();
  if (!o.tokensOut.empty()) {
    std::ofstream out(o.tokensOut);
    for (size_t i = 0; i < generated.size(); ++i)
      out << (i ? " " : "") << generated[i];
    out << "\n";
    if (!out)
      return fail("cannot write '" + o.tokensOut + "'");
  }
  unsigned decoded = o.count > 0 ? o.count - 1 : 0;
  llvm::outs().flush();
  llvm::errs() << "prompt: " << prompt.size() << " tokens, "
               << llvm::format("%.1f", prompt.size() / std::max(prefillSeconds, 1e-9))
               << " tokens/s; decode: " << decoded << " tokens, "
               << llvm::format("%.1f", decoded / std::max(decodeSeconds, 1e-9))
               << " tokens/s\n";
  return 0;
}

} // namespace kiln
