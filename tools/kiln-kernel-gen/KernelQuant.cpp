//===- KernelQuant.cpp - GGUF block formats decoded inside kernels --------===//
//
// A block-quantized weight arrives as its raw bytes (a u8 buffer, one row
// of blocks per output row); the kernel reads it through a Func over the
// logical [..., K] coordinates that decodes one element where it is used,
// so no f32 copy of the weights is ever made. The layouts are GGUF's
// (ggml-common.h), decoded as ggml's dequantize_row_* does:
//   q8_0  34 B / 32: f16 d, i8 q[32]                       x = d*q
//   q4_0  18 B / 32: f16 d, u8 qs[16] (lo nibble j, hi j+16) x = d*(nib-8)
//   q4_K 144 B / 256: f16 d, dmin, u8 scales[12] (6-bit scale/min per 32),
//                     u8 qs[128] (64-element chunks: lo nibbles, hi nibbles)
//                     x = d*sc*nib - dmin*m
//   q6_K 210 B / 256: u8 ql[128], qh[64], i8 scales[16], f16 d
//                     x = d*sc*(6-bit q - 32)
// The scalar reference these are tested against is ggml's own dequantizer
// (through llama.cpp's agreement tests).
//
//===----------------------------------------------------------------------===//
#include "HalfFloat.h"
#include "KernelBuilderImpl.h"
#include "kiln/Quant/BlockFormat.h"
#include "kiln/Quant/Repack.h"

#include <optional>
#include <stdexcept>

namespace kiln::kernelgen::impl {

namespace {
/// The spec's element type, "q4_0" or repacked "q4_0x32", as the shared
/// block-format table's row (kiln/Quant/BlockFormat.h) and the rows per
/// group (1 for GGUF's layout, kRepackRows repacked).
struct QuantName {
  std::optional<quant::BlockFormat> format;
  int64_t interleave = 1;
};

QuantName parseQuantName(const std::string &dtype) {
  std::string suffix = "x" + std::to_string(quant::kRepackRows);
  if (dtype.size() > suffix.size() &&
      dtype.compare(dtype.size() - suffix.size(), suffix.size(), suffix) == 0) {
    std::optional<quant::BlockFormat> format =
        quant::formatFromName(dtype.substr(0, dtype.size() - suffix.size()));
    if (format && quant::hasRepackedLayout(*format))
      return {format, quant::kRepackRows};
    return {};
  }
  return {quant::formatFromName(dtype), 1};
}

const quant::BlockFormatInfo &formatOf(const std::string &dtype) {
  QuantName name = parseQuantName(dtype);
  if (!name.format)
    throw std::runtime_error("'" + dtype + "' is not a block-quantized type");
  return quant::info(*name.format);
}
} // namespace

bool isQuantType(const std::string &dtype) { return parseQuantName(dtype).format.has_value(); }

int64_t quantInterleave(const std::string &dtype) { return parseQuantName(dtype).interleave; }

std::string quantBlockFormat(const std::string &dtype) { return std::string(formatOf(dtype).name); }

int64_t quantBlockElements(const std::string &dtype) { return formatOf(dtype).blockElements; }

int64_t quantBlockBytes(const std::string &dtype) { return formatOf(dtype).blockBytes; }

Expr loadF16(const Func &bytes, Expr at, Expr row) {
  Expr lo = cast(UInt(32), bytes(at, row));
  Expr hi = cast(UInt(32), bytes(at + 1, row));
  return halfBitsToFloat(lo | (hi << 8));
}

namespace {

Expr u8(const Func &bytes, Expr at, Expr row) {
  return cast(Int(32), bytes(at, row));
}
} // namespace

Tensor dequantView(const std::string &name, const Func &bytes,
                   const std::string &dtype, const std::vector<int64_t> &shape) {
  // Rows of the logical tensor (all but the innermost dim) flatten into the
  // byte buffer's outer dim.
  return define(name, shape, Float(32), [&](const Coords &c) {
    Expr row = 0;
    int64_t stride = 1;
    for (size_t i = shape.size() - 1; i-- > 0;) {
      row += c[i] * int(stride);
      stride *= shape[i];
    }
    Expr k = c.back();
    int be = int(quantBlockElements(dtype)), bb = int(quantBlockBytes(dtype));
    Expr block = k / be, j = k % be, base = block * bb;
    if (dtype == "q8_0") {
      Expr q = cast(Float(32), reinterpret(Int(8), bytes(base + 2 + j, row)));
      return loadF16(bytes, base, row) * q;
    }
    if (dtype == "q4_0") {
      Expr byte = u8(bytes, base + 2 + j % 16, row);
      Expr nib = select(j < 16, byte & 15, byte >> 4);
      return loadF16(bytes, base, row) * cast(Float(32), nib - 8);
    }
    if (dtype == "q4_k") {
      Expr d = loadF16(bytes, base, row), dmin = loadF16(bytes, base + 2, row);
      Expr chunk = j / 64, within = j % 64, high = within >= 32;
      Expr sub = chunk * 2 + select(high, 1, 0);
      Expr s = base + 4; // scales[12]
      // get_scale_min_k4(sub): 6-bit scale and min.
      Expr lowSub = sub < 4;
      Expr subLo = clamp(sub, 0, 3), subHi = clamp(sub, 4, 7);
      Expr sc = select(lowSub, u8(bytes, s + subLo, row) & 63,
                       (u8(bytes, s + subHi + 4, row) & 15) |
                           ((u8(bytes, s + subHi - 4, row) >> 6) << 4));
      Expr m = select(lowSub, u8(bytes, s + subLo + 4, row) & 63,
                      (u8(bytes, s + subHi + 4, row) >> 4) |
                          ((u8(bytes, s + subHi, row) >> 6) << 4));
      Expr byte = u8(bytes, base + 16 + chunk * 32 + within % 32, row);
      Expr nib = select(high, byte >> 4, byte & 15);
      return d * cast(Float(32), sc) * cast(Float(32), nib) -
             dmin * cast(Float(32), m);
    }
    // q6_k
    Expr half = j / 128, r = j % 128, quarter = r / 32, l = r % 32;
    Expr qlByte = u8(bytes, base + half * 64 + l + select(quarter % 2 == 1, 32, 0), row);
    Expr low = select(quarter < 2, qlByte & 15, qlByte >> 4);
    Expr qhByte = u8(bytes, base + 128 + half * 32 + l, row);
    Expr highBits = (qhByte >> (quarter * 2)) & 3;
    Expr q = (low | (highBits << 4)) - 32;
    Expr scale = cast(Float(32), reinterpret(Int(8), bytes(base + 192 + half * 8 + l / 16 + quarter * 2, row)));
    return loadF16(bytes, base + 208, row) * scale * cast(Float(32), q);
  });
}

} // namespace kiln::kernelgen::impl
