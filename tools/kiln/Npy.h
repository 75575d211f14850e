//===- Npy.h - reading and writing NumPy .npy files -----------------------===//
//
// The subset `kiln run` needs: version 1/2 headers, little-endian, C order,
// the element types kiln's libraries use; text as numpy's unicode ('<U')
// or bytes ('|S') arrays, read into UTF-8 strings, written as '<U'.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KILN_NPY_H
#define KILN_TOOLS_KILN_NPY_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct HostTensor {
  int dtype = -1; // kiln_dtype
  std::vector<int64_t> shape;
  std::vector<char> data; // STRING (13): one `const char *` per element
  std::vector<std::string> strings; // STRING: the text (UTF-8)
};

/// Reads `path`; false with `error` set when it is not a supported .npy.
bool readNpy(const std::string &path, HostTensor &tensor, std::string &error);
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

/// Bytes per element of a kiln_dtype in host buffers (STRING: one
/// pointer); 0 for an unknown one.
size_t dtypeBytes(int dtype);

/// "FLOAT[3, 4]": for messages.
std::string describeTensor(int dtype, const std::vector<int64_t> &shape);

} // namespace kiln

#endif // KILN_TOOLS_KILN_NPY_H
