//===- HardwareHalf.h - the CPU's F16C conversions, as test references ----===//
#ifndef KILN_TEST_UNIT_HARDWAREHALF_H
#define KILN_TEST_UNIT_HARDWAREHALF_H

#include <cstdint>
#include <immintrin.h>

namespace kiln::test {

__attribute__((target("f16c"))) inline uint16_t hardwareHalf(float value) {
  return static_cast<uint16_t>(_cvtss_sh(value, _MM_FROUND_TO_NEAREST_INT));
}
__attribute__((target("f16c"))) inline float hardwareFloat(uint16_t half) {
  return _cvtsh_ss(half);
}

} // namespace kiln::test

#endif
