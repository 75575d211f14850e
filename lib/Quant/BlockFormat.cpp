//===- BlockFormat.cpp - the table of GGUF block formats ------------------===//
//
// Values from ggml's `ggml-common.h` block structs:
//   block_q8_0 { fp16 d; int8 qs[32]; }                              34 B / 32
//   block_q4_0 { fp16 d; uint8 qs[16]; }                             18 B / 32
//   block_q4_K { fp16 d, dmin; uint8 scales[12]; uint8 qs[128]; }   144 B / 256
//   block_q6_K { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; fp16 d; } 210 B / 256
//
//===----------------------------------------------------------------------===//
#include "kiln/Quant/BlockFormat.h"

#include <iterator>
#include <limits>

namespace kiln::quant {
namespace {
constexpr BlockFormatInfo kFormats[] = {
    {BlockFormat::Q8_0, "q8_0", 8, 32, 34},
    {BlockFormat::Q4_0, "q4_0", 2, 32, 18},
    {BlockFormat::Q4_K, "q4_k", 12, 256, 144},
    {BlockFormat::Q6_K, "q6_k", 14, 256, 210},
};

constexpr bool inEnumOrder() {
  for (size_t i = 0; i < std::size(kFormats); ++i)
    if (static_cast<size_t>(kFormats[i].format) != i)
      return false;
  return true;
}
static_assert(inEnumOrder(), "info() indexes kFormats by enum value");
} // namespace

const BlockFormatInfo &info(BlockFormat format) {
  return kFormats[static_cast<size_t>(format)];
}
const BlockFormatInfo *begin() { return std::begin(kFormats); }
const BlockFormatInfo *end() { return std::end(kFormats); }

std::optional<BlockFormat> formatFromName(std::string_view name) {
  for (const BlockFormatInfo &row : kFormats)
    if (row.name == name)
      return row.format;
  return std::nullopt;
}

std::optional<BlockFormat> formatFromGgmlType(uint32_t ggmlType) {
  for (const BlockFormatInfo &row : kFormats)
    if (row.ggmlType == ggmlType)
      return row.format;
  return std::nullopt;
}

std::optional<int64_t> storageBytes(BlockFormat format, int64_t elements) {
  const BlockFormatInfo &row = info(format);
  if (elements < 0 || elements % row.blockElements != 0)
    return std::nullopt;
  int64_t blocks = elements / row.blockElements;
  if (blocks > std::numeric_limits<int64_t>::max() / row.blockBytes)
    return std::nullopt;
  return blocks * row.blockBytes;
}

} // namespace kiln::quant
