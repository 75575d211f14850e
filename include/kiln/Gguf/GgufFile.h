//===- GgufFile.h - a validated, memory-mapped GGUF file ------------------===//
//
// Reads GGUF v2/v3 (llama.cpp's model format): header, every metadata value
// type (arrays nest), tensor infos and the aligned data section. The file is
// memory-mapped; strings and tensor data are views into the mapping. Every
// count, length, dimension product and offset is checked against the file
// size with overflow-safe arithmetic before anything is allocated, so a
// malformed file costs at most memory proportional to its own size. Errors
// name the byte offset and what is wrong. Pure C++: no MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_GGUF_GGUFFILE_H
#define KILN_GGUF_GGUFFILE_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::gguf {

/// Metadata value types, numbered as in the GGUF specification.
enum class ValueType : uint32_t {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
  String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
std::string_view valueTypeName(ValueType type);

/// One metadata value. Scalars keep both an integer and a float reading.
/// Arrays of numbers stay in the file (read with intAt/realAt), arrays of
/// strings are views, and only nested arrays become Values, so memory stays
/// proportional to the file.
struct Value {
  ValueType type = ValueType::U8;
  uint64_t bits = 0;     // raw integer (sign-extended for signed types)
  double real = 0;       // F32/F64 value, or the integer converted
  std::string_view str;  // String
  // Array:
  ValueType elementType = ValueType::U8;
  uint64_t count = 0;
  const uint8_t *raw = nullptr;            // numeric elements, packed
  std::vector<std::string_view> strings;   // string elements
  std::vector<Value> arrays;               // nested array elements

  bool isInteger() const;
  bool isFloat() const { return type == ValueType::F32 || type == ValueType::F64; }
  int64_t asInt() const { return static_cast<int64_t>(bits); }
  /// Element `i` of a numeric array (integers sign- or zero-extended).
  int64_t intAt(uint64_t i) const;
  double realAt(uint64_t i) const;
};

/// ggml tensor types the reader knows the storage size of.
struct GgmlTypeInfo {
  uint32_t id;
  std::string_view name;
  int64_t blockElements;
  int64_t blockBytes;
};
/// The row of ggml type `id`, or null for an id this build does not know.
const GgmlTypeInfo *ggmlType(uint32_t id);

enum GgmlTypeId : uint32_t {
  GGML_F32 = 0, GGML_F16 = 1, GGML_Q4_0 = 2, GGML_Q8_0 = 8, GGML_Q4_K = 12,
  GGML_Q6_K = 14, GGML_BF16 = 30,
};

struct TensorInfo {
  std::string_view name;
  std::vector<int64_t> dims; // ggml order: innermost first
  uint32_t type = 0;
  uint64_t offset = 0;       // from the start of the data section
  int64_t elements = 0;
  int64_t bytes = 0;
  const uint8_t *data = nullptr;
  uint64_t fileOffset = 0;   // absolute offset of the data in the file
  uint64_t infoOffset = 0;   // where the tensor info starts (for errors)
};

class File {
public:
  /// Maps and validates `path`. On failure returns null and sets `error` to
  /// one line: "byte N: what is wrong" (or why the file cannot be read).
  static std::unique_ptr<File> open(const std::string &path, std::string &error);
  /// Validates a file image already in memory (not owned; must outlive the
  /// File). Used by tests and by open().
  static std::unique_ptr<File> parse(const uint8_t *data, uint64_t size,
                                     std::string &error);
  ~File();
  File(const File &) = delete;
  File &operator=(const File &) = delete;

  uint32_t version() const { return version_; }
  uint64_t alignment() const { return alignment_; }
  uint64_t dataOffset() const { return dataOffset_; }
  uint64_t size() const { return size_; }

  /// Metadata in file order.
  const std::vector<std::pair<std::string_view, Value>> &metadata() const {
    return metadata_;
  }
  const Value *find(std::string_view key) const;
  /// Typed lookups: empty when absent or of another kind.
  std::optional<std::string_view> getString(std::string_view key) const;
  std::optional<int64_t> getInt(std::string_view key) const;
  std::optional<double> getFloat(std::string_view key) const;

  const std::vector<TensorInfo> &tensors() const { return tensors_; }
  const TensorInfo *findTensor(std::string_view name) const;

private:
  File() = default;
  const uint8_t *data_ = nullptr;
  uint64_t size_ = 0;
  void *mapping_ = nullptr; // owned mmap, if any
  uint32_t version_ = 0;
  uint64_t alignment_ = 32;
  uint64_t dataOffset_ = 0;
  std::vector<std::pair<std::string_view, Value>> metadata_;
  std::map<std::string_view, size_t> metadataIndex_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string_view, size_t> tensorIndex_;
  friend class Parser;
};

} // namespace kiln::gguf

#endif // KILN_GGUF_GGUFFILE_H
