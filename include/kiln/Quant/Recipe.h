//===- Recipe.h - which block format each weight gets ---------------------===//
//
// The quantization schemes `--quantize` accepts and the one rule that picks
// a weight's block format under a scheme, shared by the quantization pass
// (ONNX and GGUF models) and `kiln quantize` (GGUF to GGUF). The rules follow
// llama.cpp's llama_tensor_get_type for the llama family, so kiln's q8_0,
// q4_0, q6_k and q4_k_m choose the same tensor types as llama-quantize's
// Q8_0, Q4_0, Q6_K and Q4_K_M. Pure C++: no MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_QUANT_RECIPE_H
#define KILN_QUANT_RECIPE_H

#include "kiln/Quant/BlockFormat.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::quant {

enum class Scheme : uint8_t { Q8_0, Q4_0, Q4_K, Q6_K, Q4_K_M };

std::optional<Scheme> schemeFromName(std::string_view name);
/// "q8_0, q4_0, q4_k, q6_k, q4_k_m", for help and error messages.
std::string_view schemeNames();
std::string_view schemeName(Scheme scheme);
/// The llama_ftype a GGUF quantized with `scheme` declares in
/// `general.file_type` (q4_k is llama.cpp's Q4_K_S family).
uint32_t ggufFileType(Scheme scheme);

/// What the recipe needs to know about the model beside a weight's name.
struct ModelFacts {
  int64_t layers = 0;          // transformer blocks (GGUF `blk.N.` names)
  bool tiedEmbeddings = false; // no separate output.weight
};

/// A weight's format under a scheme, or none (the weight keeps its float
/// type); `note` explains a fallback from the scheme's usual format.
struct Choice {
  std::optional<BlockFormat> format;
  std::string note;
};

/// The format `scheme` gives the weight `name` whose rows (the quantized,
/// contiguous dimension) hold `rowLength` elements. GGUF tensor names
/// (`output.weight`, `token_embd.weight`, `blk.N.attn_v.weight`,
/// `blk.N.ffn_down.weight`) pick llama.cpp's special cases: the output
/// projection gets Q6_K unless the scheme is q8_0; q4_k_m gives Q6_K to the
/// attention V and FFN down projections of the layers llama.cpp favours. A
/// row length that is not a whole number of blocks falls back to Q8_0 (for
/// the 256-element K-quants) or keeps the float type.
Choice chooseFormat(Scheme scheme, std::string_view name, int64_t rowLength,
                    const ModelFacts &facts);

} // namespace kiln::quant

#endif // KILN_QUANT_RECIPE_H
