//===- BlockFormat.h - GGUF block quantization formats, one table ---------===//
//
// The single description of GGUF's block formats (elements per block, bytes
// per block, ggml type id, name) that the kiln dialect's quantized types, the
// GGUF reader and the quantization pass all share. Pure C++: no MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_QUANT_BLOCKFORMAT_H
#define KILN_QUANT_BLOCKFORMAT_H

#include <cstdint>
#include <optional>
#include <string_view>

namespace kiln::quant {

enum class BlockFormat : uint8_t { Q8_0, Q4_0, Q4_K, Q6_K };

struct BlockFormatInfo {
  BlockFormat format;
  std::string_view name;  // as written in kiln IR and on the command line
  uint32_t ggmlType;      // GGUF tensor-info type id
  int64_t blockElements;  // logical elements per block
  int64_t blockBytes;     // storage bytes per block
};

/// The table row of `format`.
const BlockFormatInfo &info(BlockFormat format);

/// All formats, in enum order.
const BlockFormatInfo *begin();
const BlockFormatInfo *end();

std::optional<BlockFormat> formatFromName(std::string_view name);
std::optional<BlockFormat> formatFromGgmlType(uint32_t ggmlType);

/// Storage bytes of `elements` logical elements in `format`. Empty when
/// `elements` is negative, not a whole number of blocks, or the byte count
/// overflows int64.
std::optional<int64_t> storageBytes(BlockFormat format, int64_t elements);

} // namespace kiln::quant

#endif // KILN_QUANT_BLOCKFORMAT_H
