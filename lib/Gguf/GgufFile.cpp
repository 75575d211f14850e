//===- GgufFile.cpp - parse and validate a GGUF file ----------------------===//
//
// A bounds-checked cursor walks the header, the metadata and the tensor
// infos; the first problem stops the parse with "byte N: ...". Counts are
// checked against the bytes left before any vector is reserved (each
// element takes at least one byte of file), so a 2^60 count in a 100-byte
// file fails at once instead of allocating.
//
//===----------------------------------------------------------------------===//
#include "kiln/Gguf/GgufFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln::gguf {

namespace {
constexpr uint32_t kMagic = 0x46554747; // "GGUF" little-endian
constexpr int kMaxArrayDepth = 8;
constexpr uint32_t kMaxDims = 4;        // GGML_MAX_DIMS
constexpr uint64_t kMaxStringBytes = 1ull << 30;

bool mulOverflows(int64_t a, int64_t b, int64_t &out) {
  return __builtin_mul_overflow(a, b, &out);
}
} // namespace

class Parser {
public:
  Parser(File &file, const uint8_t *data, uint64_t size)
      : file(file), data(data), size(size) {}

  bool run();
  std::string error;

private:
  File &file;
  const uint8_t *data;
  uint64_t size;
  uint64_t pos = 0;

  bool fail(uint64_t at, const std::string &what) {
    std::ostringstream os;
    os << "byte " << at << ": " << what;
    error = os.str();
    return false;
  }
  uint64_t left() const { return size - pos; }
  template <typename T> bool read(T &out, const char *what) {
    if (left() < sizeof(T))
      return fail(pos, std::string("file ends inside ") + what + " (needs " +
                           std::to_string(sizeof(T)) + " bytes, " +
                           std::to_string(left()) + " left)");
    std::memcpy(&out, data + pos, sizeof(T));
    pos += sizeof(T);
    return true;
  }
  bool readString(std::string_view &out, const char *what);
  bool readValue(ValueType type, Value &out, int depth, const std::string &key);
  bool readTensorInfo(TensorInfo &info);
  static uint64_t minBytes(ValueType type);
};

uint64_t Parser::minBytes(ValueType type) {
  switch (type) {
  case ValueType::U8: case ValueType::I8: case ValueType::Bool: return 1;
  case ValueType::U16: case ValueType::I16: return 2;
  case ValueType::U32: case ValueType::I32: case ValueType::F32: return 4;
  case ValueType::U64: case ValueType::I64: case ValueType::F64: return 8;
  case ValueType::String: return 8;
  case ValueType::Array: return 12;
  }
  return 1;
}

bool Parser::readString(std::string_view &out, const char *what) {
  uint64_t start = pos, length;
  if (!read(length, what))
    return false;
  if (length > left() || length > kMaxStringBytes)
    return fail(start, std::string(what) + " has length " +
                           std::to_string(length) + " but only " +
                           std::to_string(left()) + " bytes follow");
  out = std::string_view(reinterpret_cast<const char *>(data + pos), length);
  pos += length;
  return true;
}

bool Parser::readValue(ValueType type, Value &out, int depth,
                       const std::string &key) {
  out.type = type;
  const std::string what = "the value of '" + key + "'";
  auto scalar = [&](auto sample) {
    decltype(sample) v;
    if (!read(v, what.c_str()))
      return false;
    using T = decltype(sample);
    if constexpr (std::is_floating_point_v<T>) {
      out.real = v;
      out.bits = static_cast<uint64_t>(static_cast<int64_t>(v));
    } else {
      out.bits = static_cast<uint64_t>(static_cast<std::conditional_t<
          std::is_signed_v<T>, int64_t, uint64_t>>(v));
      out.real = static_cast<double>(v);
    }
    return true;
  };
  switch (type) {
  case ValueType::U8: return scalar(uint8_t());
  case ValueType::I8: return scalar(int8_t());
  case ValueType::U16: return scalar(uint16_t());
  case ValueType::I16: return scalar(int16_t());
  case ValueType::U32: return scalar(uint32_t());
  case ValueType::I32: return scalar(int32_t());
  case ValueType::F32: return scalar(float());
  case ValueType::U64: return scalar(uint64_t());
  case ValueType::I64: return scalar(int64_t());
  case ValueType::F64: return scalar(double());
  case ValueType::Bool: {
    uint64_t at = pos;
    if (!scalar(uint8_t()))
      return false;
    if (out.bits > 1)
      return fail(at, what + " is a bool of value " + std::to_string(out.bits));
    return true;
  }
  case ValueType::String:
    return readString(out.str, what.c_str());
  case ValueType::Array: {
    if (depth >= kMaxArrayDepth)
      return fail(pos, what + " nests arrays deeper than " +
                           std::to_string(kMaxArrayDepth) + " levels");
    uint64_t at = pos;
    uint32_t elementType;
    uint64_t count;
    if (!read(elementType, what.c_str()))
      return false;
    if (elementType > static_cast<uint32_t>(ValueType::F64))
      return fail(at, what + " is an array of unknown value type " +
                          std::to_string(elementType));
    out.elementType = static_cast<ValueType>(elementType);
    uint64_t countAt = pos;
    if (!read(count, what.c_str()))
      return false;
    if (count > left() / minBytes(out.elementType))
      return fail(countAt, what + " claims " + std::to_string(count) +
                               " elements but only " + std::to_string(left()) +
                               " bytes follow");
    out.count = count;
    if (out.elementType == ValueType::String) {
      out.strings.resize(count);
      for (uint64_t i = 0; i < count; ++i)
        if (!readString(out.strings[i], what.c_str()))
          return false;
    } else if (out.elementType == ValueType::Array) {
      out.arrays.resize(count);
      for (uint64_t i = 0; i < count; ++i)
        if (!readValue(ValueType::Array, out.arrays[i], depth + 1, key))
          return false;
    } else {
      // count * width <= left() was checked above.
      uint64_t width = minBytes(out.elementType);
      out.raw = data + pos;
      if (out.elementType == ValueType::Bool)
        for (uint64_t i = 0; i < count; ++i)
          if (out.raw[i] > 1)
            return fail(pos + i, what + " holds a bool of value " +
                                     std::to_string(out.raw[i]));
      pos += count * width;
    }
    return true;
  }
  }
  return fail(pos, what + " has unknown value type " +
                       std::to_string(static_cast<uint32_t>(type)));
}

bool Parser::readTensorInfo(TensorInfo &info) {
  info.infoOffset = pos;
  if (!readString(info.name, "a tensor name"))
    return false;
  std::string tensor = "tensor '" + std::string(info.name) + "'";
  uint64_t at = pos;
  uint32_t nDims;
  if (!read(nDims, "a tensor's dimension count"))
    return false;
  if (nDims == 0 || nDims > kMaxDims)
    return fail(at, tensor + " has " + std::to_string(nDims) +
                        " dimensions (GGUF allows 1 to 4)");
  info.elements = 1;
  for (uint32_t d = 0; d < nDims; ++d) {
    uint64_t dimAt = pos, dim;
    if (!read(dim, "a tensor dimension"))
      return false;
    if (dim == 0 || dim > static_cast<uint64_t>(INT64_MAX))
      return fail(dimAt, tensor + " has dimension " + std::to_string(d) +
                             " of size " + std::to_string(dim));
    if (mulOverflows(info.elements, static_cast<int64_t>(dim), info.elements))
      return fail(dimAt, tensor + " has more elements than 2^63");
    info.dims.push_back(static_cast<int64_t>(dim));
  }
  at = pos;
  if (!read(info.type, "a tensor type"))
    return false;
  const GgmlTypeInfo *type = ggmlType(info.type);
  if (!type)
    return fail(at, tensor + " has unknown ggml type " +
                        std::to_string(info.type));
  if (info.dims[0] % type->blockElements != 0)
    return fail(at, tensor + " of type " + std::string(type->name) +
                        " has a row of " + std::to_string(info.dims[0]) +
                        " elements, not a multiple of its block size " +
                        std::to_string(type->blockElements));
  if (mulOverflows(info.elements / type->blockElements, type->blockBytes,
                   info.bytes))
    return fail(at, tensor + " has more bytes than 2^63");
  return read(info.offset, "a tensor offset");
}

bool Parser::run() {
  uint32_t magic;
  if (!read(magic, "the magic number"))
    return false;
  if (magic != kMagic)
    return fail(0, "not a GGUF file (bad magic number)");
  uint64_t at = pos;
  if (!read(file.version_, "the version"))
    return false;
  if (file.version_ != 2 && file.version_ != 3)
    return fail(at, "unsupported GGUF version " +
                        std::to_string(file.version_) + " (kiln reads 2 and 3)");
  uint64_t tensorCount, kvCount;
  uint64_t tensorCountAt = pos;
  if (!read(tensorCount, "the tensor count"))
    return false;
  uint64_t kvCountAt = pos;
  if (!read(kvCount, "the metadata count"))
    return false;
  // A key-value takes at least 8 (key length) + 4 (type) + 1 bytes, a tensor
  // info at least 8 + 4 + 8 + 4 + 8.
  if (kvCount > left() / 13)
    return fail(kvCountAt, "metadata count " + std::to_string(kvCount) +
                               " is impossible in a file of " +
                               std::to_string(size) + " bytes");
  if (tensorCount > left() / 32)
    return fail(tensorCountAt, "tensor count " + std::to_string(tensorCount) +
                                   " is impossible in a file of " +
                                   std::to_string(size) + " bytes");

  file.metadata_.reserve(kvCount);
  for (uint64_t i = 0; i < kvCount; ++i) {
    uint64_t keyAt = pos;
    std::string_view key;
    if (!readString(key, "a metadata key"))
      return false;
    if (file.metadataIndex_.count(key))
      return fail(keyAt, "metadata key '" + std::string(key) +
                             "' appears twice");
    uint64_t typeAt = pos;
    uint32_t type;
    if (!read(type, "a metadata value type"))
      return false;
    if (type > static_cast<uint32_t>(ValueType::F64))
      return fail(typeAt, "metadata '" + std::string(key) +
                              "' has unknown value type " +
                              std::to_string(type));
    Value value;
    if (!readValue(static_cast<ValueType>(type), value, 0, std::string(key)))
      return false;
    file.metadataIndex_[key] = file.metadata_.size();
    file.metadata_.emplace_back(key, std::move(value));
  }

  if (const Value *alignment = file.find("general.alignment")) {
    if (alignment->type != ValueType::U32 || alignment->bits == 0 ||
        (alignment->bits & (alignment->bits - 1)) != 0)
      return fail(pos, "general.alignment must be a u32 power of two, not " +
                           std::to_string(alignment->bits));
    file.alignment_ = alignment->bits;
  }

  file.tensors_.resize(tensorCount);
  for (uint64_t i = 0; i < tensorCount; ++i) {
    TensorInfo &info = file.tensors_[i];
    if (!readTensorInfo(info))
      return false;
    if (file.tensorIndex_.count(info.name))
      return fail(info.infoOffset, "tensor '" + std::string(info.name) +
                                       "' appears twice");
    file.tensorIndex_[info.name] = i;
  }

  uint64_t dataOffset = (pos + file.alignment_ - 1) / file.alignment_ *
                        file.alignment_;
  if (tensorCount > 0 && dataOffset > size)
    return fail(pos, "file ends before the tensor data section (at byte " +
                         std::to_string(dataOffset) + ")");
  file.dataOffset_ = dataOffset;
  for (TensorInfo &info : file.tensors_) {
    std::string tensor = "tensor '" + std::string(info.name) + "'";
    if (info.offset % file.alignment_ != 0)
      return fail(info.infoOffset,
                  tensor + " has data offset " + std::to_string(info.offset) +
                      ", not a multiple of the alignment " +
                      std::to_string(file.alignment_));
    uint64_t available = size - dataOffset;
    if (info.offset > available ||
        static_cast<uint64_t>(info.bytes) > available - info.offset)
      return fail(info.infoOffset,
                  tensor + " data (" + std::to_string(info.bytes) +
                      " bytes at data offset " + std::to_string(info.offset) +
                      ") runs past the end of the file (" +
                      std::to_string(available) + " bytes of data)");
    info.fileOffset = dataOffset + info.offset;
    info.data = data + info.fileOffset;
  }
  return true;
}

std::unique_ptr<File> File::parse(const uint8_t *data, uint64_t size,
                                  std::string &error) {
  std::unique_ptr<File> file(new File());
  file->data_ = data;
  file->size_ = size;
  Parser parser(*file, data, size);
  if (!parser.run()) {
    error = parser.error;
    return nullptr;
  }
  return file;
}

std::unique_ptr<File> File::open(const std::string &path, std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open: " + std::string(std::strerror(errno));
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "not a regular file";
    ::close(fd);
    return nullptr;
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  void *mapping = nullptr;
  if (size > 0) {
    mapping = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping == MAP_FAILED) {
      error = "cannot map: " + std::string(std::strerror(errno));
      ::close(fd);
      return nullptr;
    }
  }
  ::close(fd);
  static const uint8_t empty = 0;
  std::unique_ptr<File> file =
      parse(mapping ? static_cast<const uint8_t *>(mapping) : &empty, size,
            error);
  if (!file) {
    if (mapping)
      munmap(mapping, size);
    return nullptr;
  }
  file->mapping_ = mapping;
  return file;
}

File::~File() {
  if (mapping_)
    munmap(mapping_, size_);
}

const Value *File::find(std::string_view key) const {
  auto it = metadataIndex_.find(key);
  return it == metadataIndex_.end() ? nullptr : &metadata_[it->second].second;
}

std::optional<std::string_view> File::getString(std::string_view key) const {
  const Value *v = find(key);
  if (!v || v->type != ValueType::String)
    return std::nullopt;
  return v->str;
}

std::optional<int64_t> File::getInt(std::string_view key) const {
  const Value *v = find(key);
  if (!v || !v->isInteger())
    return std::nullopt;
  return v->asInt();
}

std::optional<double> File::getFloat(std::string_view key) const {
  const Value *v = find(key);
  if (!v || (!v->isFloat() && !v->isInteger()))
    return std::nullopt;
  return v->real;
}

const TensorInfo *File::findTensor(std::string_view name) const {
  auto it = tensorIndex_.find(name);
  return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

} // namespace kiln::gguf
