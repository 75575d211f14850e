//===- Recipe.cpp - which block format each weight gets -------------------===//
//
// A transcription of the parts of llama.cpp's llama_tensor_get_type
// (src/llama-quant.cpp) that matter for kiln's schemes and the llama family.
//
//===----------------------------------------------------------------------===//
#include "kiln/Quant/Recipe.h"

#include <cstdio>
#include <iterator>

namespace kiln::quant {
namespace {
struct SchemeRow {
  Scheme scheme;
  std::string_view name;
  BlockFormat base;
  uint32_t fileType; // llama_ftype
};
constexpr SchemeRow kSchemes[] = {
    {Scheme::Q8_0, "q8_0", BlockFormat::Q8_0, 7},
    {Scheme::Q4_0, "q4_0", BlockFormat::Q4_0, 2},
    {Scheme::Q4_K, "q4_k", BlockFormat::Q4_K, 14},
    {Scheme::Q6_K, "q6_k", BlockFormat::Q6_K, 18},
    {Scheme::Q4_K_M, "q4_k_m", BlockFormat::Q4_K, 15},
};

const SchemeRow &row(Scheme scheme) { return kSchemes[static_cast<size_t>(scheme)]; }

/// llama.cpp's use_more_bits: the first and last eighth of the layers and
/// every third one between get more bits in its _M mixes.
bool useMoreBits(int64_t layer, int64_t layers) {
  return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

/// N of a `blk.N.<role>.weight` name, or -1.
int64_t layerOf(std::string_view name, std::string_view role) {
  if (name.substr(0, 4) != "blk." || name.size() <= role.size() ||
      name.substr(name.size() - role.size()) != role)
    return -1;
  long long layer = -1;
  int used = 0;
  std::string digits(name.substr(4));
  if (std::sscanf(digits.c_str(), "%lld.%n", &layer, &used) != 1 || used == 0)
    return -1;
  return std::string_view(digits).substr(used) == role.substr(1) ? layer : -1;
}
} // namespace

std::optional<Scheme> schemeFromName(std::string_view name) {
  for (const SchemeRow &r : kSchemes)
    if (r.name == name)
      return r.scheme;
  return std::nullopt;
}

std::string_view schemeNames() { return "q8_0, q4_0, q4_k, q6_k, q4_k_m"; }
std::string_view schemeName(Scheme scheme) { return row(scheme).name; }
uint32_t ggufFileType(Scheme scheme) { return row(scheme).fileType; }

Choice chooseFormat(Scheme scheme, std::string_view name, int64_t rowLength,
                    const ModelFacts &facts) {
  BlockFormat format = row(scheme).base;
  bool output = name == "output.weight" ||
                (facts.tiedEmbeddings && name == "token_embd.weight");
  if (output) {
    if (rowLength % info(format).blockElements != 0)
      format = BlockFormat::Q8_0;
    else if (format != BlockFormat::Q8_0)
      format = BlockFormat::Q6_K;
  } else if (scheme == Scheme::Q4_K_M) {
    int64_t layer = layerOf(name, ".attn_v.weight");
    if (layer < 0)
      layer = layerOf(name, ".ffn_down.weight");
    if (layer >= 0 && useMoreBits(layer, facts.layers))
      format = BlockFormat::Q6_K;
  }
  Choice choice;
  if (rowLength > 0 && rowLength % info(format).blockElements == 0) {
    choice.format = format;
    return choice;
  }
  std::string rows = "rows of " + std::to_string(rowLength) + " elements are not a multiple of " +
                     std::to_string(info(format).blockElements) + " (" +
                     std::string(info(format).name) + ")";
  if (info(format).blockElements > 32 && rowLength % 32 == 0) {
    choice.format = BlockFormat::Q8_0;
    choice.note = rows + ": using q8_0";
  } else {
    choice.note = rows + ": kept in its float type";
  }
  return choice;
}

} // namespace kiln::quant
