//===- GgufWriter.cpp - writes GGUF v3 files ------------------------------===//
#include "kiln/Gguf/GgufWriter.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace kiln::gguf {
namespace {
constexpr uint64_t kAlignment = 32; // GGUF's default general.alignment

template <typename T> void put(std::string &out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void putString(std::string &out, std::string_view s) {
  put<uint64_t>(out, s.size());
  out.append(s.data(), s.size());
}

size_t scalarBytes(ValueType type) {
  switch (type) {
  case ValueType::U8: case ValueType::I8: case ValueType::Bool: return 1;
  case ValueType::U16: case ValueType::I16: return 2;
  case ValueType::U32: case ValueType::I32: case ValueType::F32: return 4;
  case ValueType::U64: case ValueType::I64: case ValueType::F64: return 8;
  default: return 0;
  }
}

/// The value's bytes after its type tag.
void encodeBody(std::string &out, const Value &value) {
  switch (value.type) {
  case ValueType::String:
    putString(out, value.str);
    return;
  case ValueType::F32:
    put<float>(out, static_cast<float>(value.real));
    return;
  case ValueType::F64:
    put<double>(out, value.real);
    return;
  case ValueType::Array:
    put<uint32_t>(out, static_cast<uint32_t>(value.elementType));
    put<uint64_t>(out, value.count);
    if (value.elementType == ValueType::String) {
      for (std::string_view s : value.strings)
        putString(out, s);
    } else if (value.elementType == ValueType::Array) {
      for (const Value &nested : value.arrays)
        encodeBody(out, nested);
    } else {
      out.append(reinterpret_cast<const char *>(value.raw),
                 value.count * scalarBytes(value.elementType));
    }
    return;
  default: {
    char bytes[8];
    std::memcpy(bytes, &value.bits, 8); // little-endian: the low bytes first
    out.append(bytes, scalarBytes(value.type));
  }
  }
}

struct FileCloser {
  void operator()(std::FILE *file) const { std::fclose(file); }
};
} // namespace

void Writer::setValue(std::string_view key, const Value &value) {
  std::string encoded;
  put<uint32_t>(encoded, static_cast<uint32_t>(value.type));
  encodeBody(encoded, value);
  for (auto &entry : metadata_)
    if (entry.first == key) {
      entry.second = std::move(encoded);
      return;
    }
  metadata_.emplace_back(std::string(key), std::move(encoded));
}

void Writer::setU32(std::string_view key, uint32_t value) {
  Value v;
  v.type = ValueType::U32;
  v.bits = value;
  setValue(key, v);
}

void Writer::addTensor(std::string_view name, std::vector<int64_t> dims, uint32_t type) {
  const GgmlTypeInfo *info = ggmlType(type);
  int64_t elements = 1;
  for (int64_t d : dims)
    elements *= d;
  uint64_t bytes = info ? elements / info->blockElements * info->blockBytes : 0;
  tensors_.push_back({std::string(name), std::move(dims), type, bytes});
}

bool Writer::write(const std::string &path, const Fill &fill, std::string &error) const {
  std::string header;
  header.append("GGUF", 4);
  put<uint32_t>(header, 3);
  put<uint64_t>(header, tensors_.size());
  put<uint64_t>(header, metadata_.size());
  for (const auto &[key, encoded] : metadata_) {
    putString(header, key);
    header += encoded;
  }
  uint64_t offset = 0;
  std::vector<uint64_t> offsets;
  for (const Tensor &t : tensors_) {
    putString(header, t.name);
    put<uint32_t>(header, static_cast<uint32_t>(t.dims.size()));
    for (int64_t d : t.dims)
      put<uint64_t>(header, static_cast<uint64_t>(d));
    put<uint32_t>(header, t.type);
    put<uint64_t>(header, offset);
    offsets.push_back(offset);
    offset = (offset + t.bytes + kAlignment - 1) / kAlignment * kAlignment;
  }
  header.resize((header.size() + kAlignment - 1) / kAlignment * kAlignment, '\0');

  std::string temporary = path + ".part";
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(temporary.c_str(), "wb"));
  if (!file) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  auto failed = [&](const std::string &why) {
    error = why;
    file.reset();
    std::remove(temporary.c_str());
    return false;
  };
  auto writeBytes = [&](const void *data, size_t size) {
    return std::fwrite(data, 1, size, file.get()) == size;
  };
  if (!writeBytes(header.data(), header.size()))
    return failed("cannot write '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> buffer;
  static const char zeros[kAlignment] = {};
  for (size_t i = 0; i < tensors_.size(); ++i) {
    buffer.assign(tensors_[i].bytes, 0);
    std::string why;
    if (!fill(i, buffer.data(), why))
      return failed(why);
    uint64_t padding = (kAlignment - tensors_[i].bytes % kAlignment) % kAlignment;
    if (!writeBytes(buffer.data(), buffer.size()) ||
        (i + 1 < tensors_.size() && !writeBytes(zeros, padding)))
      return failed("cannot write '" + path + "': " + std::strerror(errno));
  }
  if (std::fflush(file.get()) != 0)
    return failed("cannot write '" + path + "': " + std::strerror(errno));
  file.reset();
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  return true;
}

} // namespace kiln::gguf
