//===- QuantizeCommand.cpp - `kiln quantize IN.gguf -o OUT.gguf` ----------===//
//
// GGUF to GGUF quantization with kiln's block codec and recipe (the same the
// quantization pass uses): every 2-D `*.weight` tensor except norms that is
// stored as F32, F16 or BF16 is encoded in the format the scheme gives it;
// everything else, and all metadata, is copied. `general.file_type` names
// the scheme as llama.cpp does, so llama.cpp loads and runs the result.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "kiln/Gguf/GgufFile.h"
#include "kiln/Gguf/GgufWriter.h"
#include "kiln/Quant/BlockCodec.h"
#include "kiln/Quant/Recipe.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <optional>
#include <thread>

namespace kiln {
namespace cl = llvm::cl;

namespace {
std::optional<quant::FloatType> floatTypeOf(uint32_t ggmlType) {
  switch (ggmlType) {
  case gguf::GGML_F32: return quant::FloatType::F32;
  case gguf::GGML_F16: return quant::FloatType::F16;
  case gguf::GGML_BF16: return quant::FloatType::BF16;
  default: return std::nullopt;
  }
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
} // namespace

int runQuantizeCommand(int argc, char **argv) {
  cl::OptionCategory category("kiln quantize options");
  cl::opt<std::string> input(cl::Positional, cl::Required, cl::desc("<model.gguf>"),
                             cl::cat(category));
  cl::opt<std::string> output("o", cl::Required, cl::value_desc("out.gguf"),
                              cl::desc("The quantized GGUF to write"), cl::cat(category));
  cl::opt<std::string> scheme(
      "quantize", cl::Required, cl::value_desc("scheme"), cl::cat(category),
      cl::desc("Block format recipe: q8_0, q4_0, q4_k, q6_k or q4_k_m"));
  cl::opt<std::string> skip("quantize-skip", cl::value_desc("regex"), cl::cat(category),
                            cl::desc("Keep tensors whose name matches in their float type"));
  cl::opt<bool> quiet("quiet", cl::desc("Print nothing on success"), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "quantizes a GGUF model's weights to GGUF block formats\n",
                                   &llvm::errs()))
    return 1;
  auto fail = [&](const std::string &file, const std::string &message) {
    llvm::errs() << file << ": error: " << message << "\n";
    return 1;
  };
  std::optional<quant::Scheme> chosen = quant::schemeFromName(scheme);
  if (!chosen)
    return fail(input, "unknown quantization scheme '" + scheme + "' (expected one of " +
                           std::string(quant::schemeNames()) + ")");
  llvm::Regex skipRegex(skip);
  std::string regexError;
  if (!skip.empty() && !skipRegex.isValid(regexError))
    return fail(input, "--quantize-skip: " + regexError);
  std::string error;
  std::unique_ptr<gguf::File> file = gguf::File::open(input, error);
  if (!file)
    return fail(input, "not a valid GGUF file: " + error);

  quant::ModelFacts facts;
  facts.tiedEmbeddings = !file->findTensor("output.weight");
  if (std::optional<std::string_view> arch = file->getString("general.architecture"))
    facts.layers = file->getInt(std::string(*arch) + ".block_count").value_or(0);

  gguf::Writer writer;
  for (const auto &[key, value] : file->metadata())
    if (key != "general.alignment")
      writer.setValue(key, value);
  writer.setU32("general.file_type", quant::ggufFileType(*chosen));
  writer.setU32("general.quantization_version", 2);

  struct Plan {
    const gguf::TensorInfo *tensor;
    std::optional<quant::BlockFormat> format;
  };
  std::vector<Plan> plans;
  int64_t quantized = 0;
  for (const gguf::TensorInfo &tensor : file->tensors()) {
    Plan plan{&tensor, std::nullopt};
    std::string_view name = tensor.name;
    if (tensor.dims.size() == 2 && floatTypeOf(tensor.type) && endsWith(name, "weight") &&
        name.find("_norm.weight") == std::string_view::npos &&
        !(!skip.empty() && skipRegex.match(name))) {
      quant::Choice choice = quant::chooseFormat(*chosen, name, tensor.dims[0], facts);
      if (!choice.note.empty() && !quiet)
        llvm::errs() << input << ": warning: tensor '" << name << "': " << choice.note << "\n";
      plan.format = choice.format;
    }
    uint32_t type = plan.format ? quant::info(*plan.format).ggmlType : tensor.type;
    writer.addTensor(name, tensor.dims, type);
    quantized += plan.format.has_value();
    plans.push_back(plan);
  }
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool ok = writer.write(
      output,
      [&](size_t index, uint8_t *out, std::string &why) {
        const Plan &plan = plans[index];
        const gguf::TensorInfo &t = *plan.tensor;
        if (!plan.format) {
          std::memcpy(out, t.data, t.bytes);
          return true;
        }
        if (quant::encodeMatrix(*plan.format, *floatTypeOf(t.type), t.data, t.dims[1],
                                t.dims[0], /*transposed=*/false, out, threads, why))
          return true;
        why = input + ": tensor '" + std::string(t.name) + "': " + why;
        return false;
      },
      error);
  if (!ok) {
    llvm::errs() << "error: " << error << "\n";
    return 1;
  }
  if (!quiet)
    llvm::outs() << "wrote " << output << ": " << quantized << " of " << plans.size()
                 << " tensors quantized (" << scheme << ")\n";
  return 0;
}

} // namespace kiln
