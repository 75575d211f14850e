//===- Npy.cpp - reading and writing NumPy .npy files ---------------------===//
#include "Npy.h"

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
                        "UINT16", "UINT32", "UINT64"};
const size_t kSizes[] = {4, 2, 2, 8, 1, 1, 2, 4, 8, 1, 2, 4, 8};
constexpr int kDtypes = 13;
} // namespace

std::string describeTensor(int dtype, const std::vector<int64_t> &shape) {
  std::string text = dtype >= 0 && dtype < kDtypes ? kNames[dtype] : "UNKNOWN";
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
  tensor.data.resize(count * kSizes[tensor.dtype]);
  if (!in.read(tensor.data.data(), tensor.data.size())) {
    error = "holds less data than its shape says";
    return false;
  }
  return true;
}

bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error) {
  if (tensor.dtype < 0 || tensor.dtype >= kDtypes) {
    error = "element type has no .npy form";
    return false;
  }
  // NumPy has no bfloat16: such tensors are written as their uint16 bits
  // (as ONNX's test data stores them).
  const char *descr = tensor.dtype == 2 ? "<u2" : kDescrs[tensor.dtype];
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
  out.write(tensor.data.data(), tensor.data.size());
  return bool(out);
}

} // namespace kiln
