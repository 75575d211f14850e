//===- Npy.cpp - reading and writing NumPy .npy files ---------------------===//
#include "Npy.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kiln {
namespace {
// kiln_dtype order (runtime/include/kiln_runtime.h) -> numpy descr.
const char *kDescrs[] = {"<f4", "<f2", nullptr, "<f8", "|b1", "|i1", "<i2",
                         "<i4", "<i8", "|u1",   "<u2", "<u4", "<u8"};
const char *kNames[] = {"FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE", "BOOL",
                        "INT8",  "INT16",   "INT32",    "INT64",  "UINT8",
                        "UINT16", "UINT32", "UINT64", "STRING"};
const size_t kSizes[] = {4, 2, 2, 8, 1, 1, 2, 4, 8, 1, 2, 4, 8};
constexpr int kDtypes = 13; // numeric ones; STRING (13) is handled apart
constexpr int kString = 13;

void appendUtf8(std::string &out, uint32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xc0 | (c >> 6));
    out += char(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += char(0xe0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3f));
    out += char(0x80 | (c & 0x3f));
  } else {
    out += char(0xf0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3f));
    out += char(0x80 | ((c >> 6) & 0x3f));
    out += char(0x80 | (c & 0x3f));
  }
}

/// UTF-8 to code points (invalid bytes become U+FFFD).
std::vector<uint32_t> decodeUtf8(const std::string &text) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= text.size()) {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    uint32_t code = extra ? c & (0x3f >> extra) : c;
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      unsigned char next = text[i + k];
      ok &= (next & 0xc0) == 0x80;
      code = code << 6 | (next & 0x3f);
    }
    out.push_back(ok ? code : 0xfffd);
    i += ok ? extra + 1 : 1;
  }
  return out;
}
} // namespace

size_t dtypeBytes(int dtype) {
  if (dtype == kString)
    return sizeof(const char *);
  return dtype >= 0 && dtype < kDtypes ? kSizes[dtype] : 0;
}

std::string describeTensor(int dtype, const std::vector<int64_t> &shape) {
  std::string text = dtype >= 0 && dtype <= kString ? kNames[dtype] : "UNKNOWN";
  text += "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

bool readNpy(const std::string &path, HostTensor &tensor, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open it";
    return false;
  }
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    error = "not a .npy file";
    return false;
  }
  uint32_t headerLength = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char *>(b), 2);
    headerLength = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char *>(b), 4);
    headerLength = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
  }
  if (!in || headerLength > 1 << 20) {
    error = "truncated .npy header";
    return false;
  }
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), headerLength)) {
    error = "truncated .npy header";
    return false;
  }
  auto field = [&](const std::string &key) {
    size_t at = header.find("'" + key + "'");
    return at == std::string::npos ? std::string() : header.substr(at + key.size() + 2);
  };
  std::string descr = field("descr");
  tensor.dtype = -1;
  for (int d = 0; d < kDtypes; ++d)
    if (kDescrs[d] && descr.find(std::string("'") + kDescrs[d] + "'") < 8)
      tensor.dtype = d;
  // Text: '<U<n>' (n UTF-32 code points) or '|S<n>' (n bytes) per element.
  size_t textWidth = 0, unitBytes = 0;
  for (const char *prefix : {"'<U", "'|S", "'S"})
    if (tensor.dtype < 0 && descr.find(prefix) < 8) {
      textWidth = std::strtoull(descr.c_str() + descr.find(prefix) + std::strlen(prefix),
                                nullptr, 10);
      unitBytes = prefix[2] == 'U' ? 4 : 1;
      tensor.dtype = kString;
    }
  if (tensor.dtype == kString && (textWidth == 0 || textWidth > (1 << 20))) {
    error = "unsupported text width in " + descr.substr(0, descr.find(','));
    return false;
  }
  if (tensor.dtype < 0) {
    error = "unsupported element type " + descr.substr(0, descr.find(','));
    return false;
  }
  if (field("fortran_order").find("True") < 4) {
    error = "Fortran-ordered arrays are not supported";
    return false;
  }
  std::string shape = field("shape");
  size_t open = shape.find('('), close = shape.find(')');
  if (open == std::string::npos || close == std::string::npos) {
    error = "no shape in header";
    return false;
  }
  std::stringstream dims(shape.substr(open + 1, close - open - 1));
  std::string item;
  tensor.shape.clear();
  uint64_t count = 1;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos)
      continue;
    long long dim = std::strtoll(item.c_str(), nullptr, 10);
    if (dim < 0 || (dim && count > (uint64_t(1) << 40) / uint64_t(dim))) {
      error = "absurd shape";
      return false;
    }
    tensor.shape.push_back(dim);
    count *= uint64_t(dim);
  }
  if (tensor.dtype == kString) {
    std::vector<char> raw(count * textWidth * unitBytes);
    if (count > (uint64_t(1) << 30) / (textWidth * unitBytes) ||
        !in.read(raw.data(), raw.size())) {
      error = "holds less data than its shape says";
      return false;
    }
    tensor.strings.assign(count, std::string());
    for (uint64_t i = 0; i < count; ++i) {
      const char *at = raw.data() + i * textWidth * unitBytes;
      for (size_t k = 0; k < textWidth; ++k) {
        uint32_t c = unitBytes == 1
                         ? uint8_t(at[k])
                         : uint32_t(uint8_t(at[4 * k])) | uint32_t(uint8_t(at[4 * k + 1])) << 8 |
                               uint32_t(uint8_t(at[4 * k + 2])) << 16 |
                               uint32_t(uint8_t(at[4 * k + 3])) << 24;
        if (c == 0)
          break; // numpy pads with NULs
        if (unitBytes == 1)
          tensor.strings[i] += char(c);
        else
          appendUtf8(tensor.strings[i], c);
      }
    }
    return true;
  }
  tensor.data.resize(count * kSizes[tensor.dtype]);
  if (!in.read(tensor.data.data(), tensor.data.size())) {
    error = "holds less data than its shape says";
    return false;
  }
  return true;
}

bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error) {
  if (tensor.dtype < 0 || tensor.dtype > kString) {
    error = "element type has no .npy form";
    return false;
  }
  // Text: '<U<widest>' of UTF-32 code points, NUL-padded.
  std::vector<std::vector<uint32_t>> text;
  size_t width = 1;
  for (const std::string &s : tensor.strings) {
    text.push_back(decodeUtf8(s));
    width = std::max(width, text.back().size());
  }
  std::string unicode = "<U" + std::to_string(width);
  // NumPy has no bfloat16: such tensors are written as their uint16 bits
  // (as ONNX's test data stores them).
  const char *descr = tensor.dtype == kString ? unicode.c_str()
                      : tensor.dtype == 2     ? "<u2"
                                              : kDescrs[tensor.dtype];
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t dim : tensor.shape)
    header += std::to_string(dim) + ", ";
  if (!tensor.shape.empty())
    header.resize(header.size() - (tensor.shape.size() == 1 ? 1 : 2));
  header += "), }";
  size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    error = "cannot write it";
    return false;
  }
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t length = uint16_t(header.size());
  char b[2] = {char(length & 0xff), char(length >> 8)};
  out.write(b, 2);
  out << header;
  if (tensor.dtype == kString) {
    for (const std::vector<uint32_t> &codes : text)
      for (size_t k = 0; k < width; ++k) {
        uint32_t c = k < codes.size() ? codes[k] : 0;
        char bytes[4] = {char(c), char(c >> 8), char(c >> 16), char(c >> 24)};
        out.write(bytes, 4);
      }
    return bool(out);
  }
  out.write(tensor.data.data(), tensor.data.size());
  return bool(out);
}

} // namespace kiln
