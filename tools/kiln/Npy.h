//===- Npy.h - reading and writing NumPy .npy files -----------------------===//
//
// The subset `kiln run` needs: version 1/2 headers, little-endian, C order,
// the element types kiln's libraries use.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KILN_NPY_H
#define KILN_TOOLS_KILN_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct HostTensor {
  int dtype = -1; // kiln_dtype
  std::vector<int64_t> shape;
  std::vector<char> data;
};

/// Reads `path`; false with `error` set when it is not a supported .npy.
bool readNpy(const std::string &path, HostTensor &tensor, std::string &error);
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

/// "FLOAT[3, 4]": for messages.
std::string describeTensor(int dtype, const std::vector<int64_t> &shape);

} // namespace kiln

#endif // KILN_TOOLS_KILN_NPY_H
