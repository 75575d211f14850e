//===- GgufInspect.cpp - describe a GGUF file like gguf-dump --------------===//
//
// Architecture and hyper-parameters (every `<arch>.*` key), the tokenizer
// (kind, size, special tokens), the other metadata (long arrays summarized)
// and the tensor table: name, shape (outermost first), type, bytes.
//
//===----------------------------------------------------------------------===//
#include "kiln/Gguf/GgufInspect.h"

#include "kiln/Gguf/GgufFile.h"

#include <iomanip>
#include <map>
#include <sstream>

namespace kiln::gguf {
namespace {

std::string printable(std::string_view s, size_t limit = 60) {
  std::string out;
  for (char c : s.substr(0, limit)) {
    if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) out += '?';
    else out += c;
  }
  if (s.size() > limit)
    out += "...";
  return out;
}

std::string describe(const Value &v) {
  std::ostringstream os;
  switch (v.type) {
  case ValueType::String:
    os << '"' << printable(v.str) << '"';
    break;
  case ValueType::F32:
  case ValueType::F64:
    os << v.real;
    break;
  case ValueType::Bool:
    os << (v.bits ? "true" : "false");
    break;
  case ValueType::Array: {
    os << "[" << valueTypeName(v.elementType) << " x " << v.count << "]";
    if (v.count > 0 && v.count <= 8) {
      os << " {";
      for (uint64_t i = 0; i < v.count; ++i) {
        os << (i ? ", " : "");
        if (v.elementType == ValueType::String)
          os << '"' << printable(v.strings[i], 20) << '"';
        else if (v.elementType == ValueType::Array)
          os << "[...]";
        else if (v.elementType == ValueType::F32 || v.elementType == ValueType::F64)
          os << v.realAt(i);
        else
          os << v.intAt(i);
      }
      os << "}";
    }
    break;
  }
  default:
    if (v.type == ValueType::U64)
      os << v.bits;
    else
      os << v.asInt();
  }
  return os.str();
}

std::string shapeOf(const TensorInfo &t) {
  std::string s = "[";
  for (size_t i = t.dims.size(); i-- > 0;)
    s += std::to_string(t.dims[i]) + (i ? ", " : "");
  return s + "]";
}

std::string humanBytes(uint64_t bytes) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1);
  if (bytes >= (1ull << 30)) os << bytes / double(1ull << 30) << " GiB";
  else if (bytes >= (1ull << 20)) os << bytes / double(1ull << 20) << " MiB";
  else if (bytes >= (1ull << 10)) os << bytes / double(1ull << 10) << " KiB";
  else os << bytes << " B";
  return os.str();
}
} // namespace

bool inspectGguf(const std::string &path, std::ostream &out, std::string &error) {
  std::unique_ptr<File> file = File::open(path, error);
  if (!file)
    return false;
  std::string arch(file->getString("general.architecture").value_or("?"));
  out << path << ": GGUF v" << file->version() << ", " << humanBytes(file->size())
      << ", alignment " << file->alignment() << "\n";
  out << "architecture: " << arch;
  if (auto name = file->getString("general.name"))
    out << " (" << printable(*name) << ")";
  out << "\n\nhyper-parameters:\n";
  std::string prefix = arch + ".";
  for (const auto &[key, value] : file->metadata())
    if (key.substr(0, prefix.size()) == prefix)
      out << "  " << std::left << std::setw(44) << key.substr(prefix.size())
          << describe(value) << "\n";

  out << "\ntokenizer: ";
  if (auto model = file->getString("tokenizer.ggml.model")) {
    const Value *tokens = file->find("tokenizer.ggml.tokens");
    std::string kind = *model == "llama" ? "SentencePiece"
                       : *model == "gpt2" ? "byte-level BPE"
                                          : "other";
    out << *model << " (" << kind << "), "
        << (tokens ? tokens->count : 0) << " tokens";
    static const std::pair<const char *, const char *> specials[] = {
        {"bos", "bos"}, {"eos", "eos"}, {"unk", "unknown"}, {"pad", "padding"}};
    for (auto [special, keyName] : specials) {
      std::string key = std::string("tokenizer.ggml.") + keyName + "_token_id";
      if (std::optional<int64_t> id = file->getInt(key)) {
        out << ", " << special << " " << *id;
        if (tokens && tokens->elementType == ValueType::String && *id >= 0 &&
            uint64_t(*id) < tokens->count)
          out << " '" << printable(tokens->strings[*id], 20) << "'";
      }
    }
    if (const Value *merges = file->find("tokenizer.ggml.merges"))
      out << ", " << merges->count << " merges";
    out << "\n";
  } else {
    out << "none\n";
  }

  out << "\nother metadata:\n";
  for (const auto &[key, value] : file->metadata())
    if (key.substr(0, prefix.size()) != prefix)
      out << "  " << std::left << std::setw(44) << key << describe(value) << "\n";

  std::map<std::string, std::pair<int, uint64_t>> byType;
  uint64_t total = 0;
  size_t nameWidth = 10;
  for (const TensorInfo &t : file->tensors())
    nameWidth = std::max(nameWidth, t.name.size());
  out << "\ntensors: " << file->tensors().size() << "\n";
  out << "  " << std::left << std::setw(int(nameWidth) + 2) << "name"
      << std::setw(22) << "shape" << std::setw(8) << "type" << "bytes\n";
  for (const TensorInfo &t : file->tensors()) {
    const GgmlTypeInfo *type = ggmlType(t.type);
    std::string typeName(type ? type->name : "?");
    out << "  " << std::left << std::setw(int(nameWidth) + 2) << t.name
        << std::setw(22) << shapeOf(t) << std::setw(8) << typeName << t.bytes
        << "\n";
    byType[typeName].first++;
    byType[typeName].second += t.bytes;
    total += t.bytes;
  }
  out << "total: " << humanBytes(total) << " in";
  for (const auto &[type, entry] : byType)
    out << " " << entry.first << " " << type;
  out << "\n";
  return true;
}

} // namespace kiln::gguf
