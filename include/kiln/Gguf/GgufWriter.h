//===- GgufWriter.h - writes GGUF v3 files --------------------------------===//
//
// Metadata (copied from a read File or set anew) and tensors whose bytes a
// callback produces one tensor at a time, so a multi-GB model is written
// with one tensor in memory. The file appears atomically: it is written
// beside its path and renamed, and nothing is left on failure. Pure C++.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_GGUF_GGUFWRITER_H
#define KILN_GGUF_GGUFWRITER_H

#include "kiln/Gguf/GgufFile.h"

#include <functional>
#include <string>
#include <vector>

namespace kiln::gguf {

class Writer {
public:
  /// Appends (or replaces, keeping its place) metadata `key`.
  void setValue(std::string_view key, const Value &value);
  void setU32(std::string_view key, uint32_t value);
  /// Appends a tensor; its bytes are `ggmlType(type)`'s size of `dims`.
  void addTensor(std::string_view name, std::vector<int64_t> dims, uint32_t type);

  /// Fills `out` (the tensor's byte size) with tensor `index`'s data;
  /// returns false with `error` set to stop writing.
  using Fill = std::function<bool(size_t index, uint8_t *out, std::string &error)>;
  /// Writes the file; on failure returns false with `error` set.
  bool write(const std::string &path, const Fill &fill, std::string &error) const;

private:
  struct Tensor {
    std::string name;
    std::vector<int64_t> dims;
    uint32_t type;
    uint64_t bytes;
  };
  std::vector<std::pair<std::string, std::string>> metadata_; // key, encoded value
  std::vector<Tensor> tensors_;
};

} // namespace kiln::gguf

#endif // KILN_GGUF_GGUFWRITER_H
