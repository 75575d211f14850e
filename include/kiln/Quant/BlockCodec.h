//===- BlockCodec.h - encode and decode GGUF block formats ----------------===//
//
// The one scalar codec of GGUF's block formats (Q8_0, Q4_0, Q4_K, Q6_K),
// shared by the quantization pass, `kiln quantize` and the tests. Encoders
// follow llama.cpp's reference quantizers (ggml-quants.c, no importance
// matrix) operation for operation in f32, so kiln's Q8_0 and Q4_0 blocks are
// bit-identical to llama-quantize's, and the K-quants use the same search.
// Decoders are the scalar reference the Halide dequantizing views are
// checked against. Pure C++: no MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_QUANT_BLOCKCODEC_H
#define KILN_QUANT_BLOCKCODEC_H

#include "kiln/Quant/BlockFormat.h"

#include <cstdint>
#include <string>

namespace kiln::quant {

/// IEEE binary16 conversions, round to nearest even (as F16C's vcvtps2ph).
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t half);
/// bfloat16 (the high half of an f32) to f32.
float bfloat16ToFloat(uint16_t bits);

/// Encodes `count` floats (a whole number of blocks of `format`) into
/// `storageBytes(format, count)` bytes at `out`. The input must be finite.
void encodeRow(BlockFormat format, const float *in, int64_t count, uint8_t *out);

/// Decodes `count` elements of `format` blocks at `in` into floats.
void decodeRow(BlockFormat format, const uint8_t *in, int64_t count, float *out);

/// Float element types a weight is quantized from.
enum class FloatType : uint8_t { F32, F16, BF16 };

/// Encodes a matrix of `rows` rows of `rowLength` elements (a whole number
/// of blocks) stored as `type` at `source` (row-major; with `transposed`,
/// the source is the [rowLength, rows] transpose), into consecutive rows of
/// blocks at `out`, on up to `threads` threads. Fails with `error` naming the
/// element if a value is not finite.
bool encodeMatrix(BlockFormat format, FloatType type, const uint8_t *source,
                  int64_t rows, int64_t rowLength, bool transposed, uint8_t *out,
                  unsigned threads, std::string &error);

} // namespace kiln::quant

#endif // KILN_QUANT_BLOCKCODEC_H
