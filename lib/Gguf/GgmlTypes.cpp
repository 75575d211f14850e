//===- GgmlTypes.cpp - storage sizes of ggml tensor types -----------------===//
//
// Every ggml type id a GGUF file may carry, with its block size in elements
// and bytes (from ggml's `ggml.h` / gguf-py's GGML_QUANT_SIZES). The reader
// needs them to check tensor sizes even for types kiln does not compute with;
// which types kiln supports is the importer's business.
//
//===----------------------------------------------------------------------===//
#include "kiln/Gguf/GgufFile.h"

#include <cstring>
#include <iterator>

namespace kiln::gguf {
namespace {
constexpr GgmlTypeInfo kTypes[] = {
    {0, "F32", 1, 4},         {1, "F16", 1, 2},
    {2, "Q4_0", 32, 18},      {3, "Q4_1", 32, 20},
    {6, "Q5_0", 32, 22},      {7, "Q5_1", 32, 24},
    {8, "Q8_0", 32, 34},      {9, "Q8_1", 32, 36},
    {10, "Q2_K", 256, 84},    {11, "Q3_K", 256, 110},
    {12, "Q4_K", 256, 144},   {13, "Q5_K", 256, 176},
    {14, "Q6_K", 256, 210},   {15, "Q8_K", 256, 292},
    {16, "IQ2_XXS", 256, 66}, {17, "IQ2_XS", 256, 74},
    {18, "IQ3_XXS", 256, 98}, {19, "IQ1_S", 256, 50},
    {20, "IQ4_NL", 32, 18},   {21, "IQ3_S", 256, 110},
    {22, "IQ2_S", 256, 82},   {23, "IQ4_XS", 256, 136},
    {24, "I8", 1, 1},         {25, "I16", 1, 2},
    {26, "I32", 1, 4},        {27, "I64", 1, 8},
    {28, "F64", 1, 8},        {29, "IQ1_M", 256, 56},
    {30, "BF16", 1, 2},       {34, "TQ1_0", 256, 54},
    {35, "TQ2_0", 256, 66},   {39, "MXFP4", 32, 17},
    {40, "NVFP4", 64, 36},    {41, "Q1_0", 128, 18},
    {42, "Q2_0", 64, 18},
};
} // namespace

const GgmlTypeInfo *ggmlType(uint32_t id) {
  for (const GgmlTypeInfo &row : kTypes)
    if (row.id == id)
      return &row;
  return nullptr;
}

std::string_view valueTypeName(ValueType type) {
  static constexpr std::string_view names[] = {
      "u8", "i8", "u16", "i16", "u32", "i32", "f32",
      "bool", "string", "array", "u64", "i64", "f64"};
  auto index = static_cast<uint32_t>(type);
  return index < std::size(names) ? names[index] : "?";
}

bool Value::isInteger() const {
  switch (type) {
  case ValueType::U8: case ValueType::I8: case ValueType::U16:
  case ValueType::I16: case ValueType::U32: case ValueType::I32:
  case ValueType::U64: case ValueType::I64: case ValueType::Bool:
    return true;
  default:
    return false;
  }
}

int64_t Value::intAt(uint64_t i) const {
  auto load = [&](auto sample) {
    decltype(sample) v;
    std::memcpy(&v, raw + i * sizeof(v), sizeof(v));
    return v;
  };
  switch (elementType) {
  case ValueType::U8: case ValueType::Bool: return load(uint8_t());
  case ValueType::I8: return load(int8_t());
  case ValueType::U16: return load(uint16_t());
  case ValueType::I16: return load(int16_t());
  case ValueType::U32: return load(uint32_t());
  case ValueType::I32: return load(int32_t());
  case ValueType::U64: return static_cast<int64_t>(load(uint64_t()));
  case ValueType::I64: return load(int64_t());
  case ValueType::F32: return static_cast<int64_t>(load(float()));
  case ValueType::F64: return static_cast<int64_t>(load(double()));
  default: return 0;
  }
}

double Value::realAt(uint64_t i) const {
  float f;
  double d;
  switch (elementType) {
  case ValueType::F32: std::memcpy(&f, raw + i * 4, 4); return f;
  case ValueType::F64: std::memcpy(&d, raw + i * 8, 8); return d;
  default: return static_cast<double>(intAt(i));
  }
}

} // namespace kiln::gguf
