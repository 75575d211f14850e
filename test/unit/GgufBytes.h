//===- GgufBytes.h - building GGUF images byte by byte in unit tests ------===//
#ifndef KILN_TEST_UNIT_GGUFBYTES_H
#define KILN_TEST_UNIT_GGUFBYTES_H

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace kiln::test {

/// Appends little-endian values and GGUF strings (u64 length + bytes).
struct GgufBytes {
  std::vector<uint8_t> bytes;
  template <typename T> void put(T v) {
    uint8_t raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    bytes.insert(bytes.end(), raw, raw + sizeof(T));
  }
  void str(const std::string &s) {
    put<uint64_t>(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  void pad(size_t alignment) {
    while (bytes.size() % alignment)
      bytes.push_back(0);
  }
};

} // namespace kiln::test

#endif // KILN_TEST_UNIT_GGUFBYTES_H
