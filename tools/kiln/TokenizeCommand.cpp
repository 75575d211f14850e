//===- TokenizeCommand.cpp - `kiln tokenize MODEL.gguf TEXT` --------------===//
//
// Runs the tokenizer a library compiled from MODEL.gguf would embed (the
// runtime's kiln_tokenizer.c, linked into this tool too) on a text, a file
// or a llama.cpp test-vector file (`.inp`: tests separated by
// "\n__ggml_vocab_test__\n"; prints one line of ids per test, as `.out`).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "kiln/Gguf/GgufFile.h"
#include "kiln/Gguf/TokenizerBlob.h"
#include "kiln_tokenizer.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdarg>
#include <cstdio>
#include <vector>

// The runtime's error reporting, for the tokenizer linked into this tool.
extern "C" {
static char tokenizerError[512];
void kiln_rt_set_error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(tokenizerError, sizeof(tokenizerError), format, args);
  va_end(args);
}
const char *kiln_rt_last_error(void) { return tokenizerError; }
}

namespace kiln {
namespace cl = llvm::cl;

int runTokenizeCommand(int argc, char **argv) {
  cl::OptionCategory category("kiln tokenize options");
  cl::opt<std::string> model(cl::Positional, cl::Required,
                             cl::desc("<model.gguf>"), cl::cat(category));
  cl::opt<std::string> text(cl::Positional, cl::desc("[text]"), cl::cat(category));
  cl::opt<std::string> file("file", cl::value_desc("path"), cl::cat(category),
                            cl::desc("Tokenize the contents of a file"));
  cl::opt<std::string> vectors(
      "test-vectors", cl::value_desc("file.inp"), cl::cat(category),
      cl::desc("Tokenize each test of a llama.cpp test-vector file"));
  cl::opt<bool> addSpecial("add-special", cl::cat(category),
                           cl::desc("Add BOS/EOS as the model asks"));
  cl::opt<bool> pieces("pieces", cl::cat(category),
                       cl::desc("Also print each token's text"));
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "tokenizes text with a GGUF model's tokenizer\n",
                                   &llvm::errs()))
    return 1;
  auto fail = [&](const std::string &message) {
    llvm::errs() << model << ": error: " << message << "\n";
    return 1;
  };
  std::string error, blob;
  std::unique_ptr<gguf::File> gguf = gguf::File::open(model, error);
  if (!gguf)
    return fail("not a valid GGUF file: " + error);
  if (!gguf::serializeTokenizer(*gguf, blob, error))
    return fail(error);
  kiln_tokenizer *tokenizer = kiln_tokenizer_create(
      reinterpret_cast<const unsigned char *>(blob.data()), blob.size());
  if (!tokenizer)
    return fail(kiln_rt_last_error());

  std::vector<std::string> inputs;
  bool testFormat = !vectors.empty();
  std::string source = testFormat ? vectors : file;
  if (!source.empty()) {
    auto buffer = llvm::MemoryBuffer::getFile(source, /*IsText=*/false);
    if (!buffer) {
      kiln_tokenizer_destroy(tokenizer);
      return fail("cannot read '" + source + "': " + buffer.getError().message());
    }
    std::string all = (*buffer)->getBuffer().str();
    if (testFormat) {
      const std::string sep = "\n__ggml_vocab_test__\n";
      for (size_t pos = 0; pos < all.size();) {
        size_t next = all.find(sep, pos);
        inputs.push_back(all.substr(pos, next == std::string::npos ? next : next - pos));
        if (next == std::string::npos)
          break;
        pos = next + sep.size();
      }
    } else {
      inputs.push_back(all);
    }
  } else {
    inputs.push_back(text);
  }
  int status = 0;
  for (const std::string &input : inputs) {
    std::vector<int32_t> ids(input.size() + 4);
    int n = kiln_tokenizer_encode(tokenizer, input.data(), input.size(),
                                  addSpecial, ids.data(), int(ids.size()));
    if (n > int(ids.size())) {
      ids.resize(n);
      n = kiln_tokenizer_encode(tokenizer, input.data(), input.size(),
                                addSpecial, ids.data(), int(ids.size()));
    }
    if (n < 0) {
      status = fail(kiln_rt_last_error());
      break;
    }
    for (int i = 0; i < n; ++i) {
      llvm::outs() << (testFormat || i ? " " : "") << ids[i];
      if (pieces) {
        char piece[256];
        int len = kiln_tokenizer_piece(tokenizer, ids[i], piece, sizeof(piece));
        llvm::outs() << "'";
        llvm::outs().write_escaped(llvm::StringRef(piece, std::max(0, std::min(len, 256))));
        llvm::outs() << "'";
      }
    }
    llvm::outs() << "\n";
  }
  kiln_tokenizer_destroy(tokenizer);
  return status;
}

} // namespace kiln
