// Unit tests of the phase table (kiln/Pipeline/Phases.h): order, names,
// parsing and dump file names are what users type and see.
#include "kiln/Pipeline/Phases.h"

#include <gtest/gtest.h>

namespace {
using kiln::Phase;

TEST(Phases, OrderAndNames) {
  const char *expected[] = {"import",  "shapes",  "fusion", "quantize",
                            "kvcache", "kernels", "object", "library"};
  ASSERT_EQ(kiln::kNumPhases, 8);
  for (int i = 0; i < kiln::kNumPhases; ++i) {
    EXPECT_EQ(kiln::phaseInfo(kiln::phaseAt(i)).name, expected[i]);
    EXPECT_FALSE(kiln::phaseInfo(kiln::phaseAt(i)).description.empty());
  }
  EXPECT_LT(kiln::phaseIndex(Phase::Shapes), kiln::phaseIndex(Phase::Kernels));
}

TEST(Phases, Parse) {
  EXPECT_EQ(kiln::parsePhase("kvcache"), Phase::KVCache);
  EXPECT_EQ(kiln::parsePhase("library"), Phase::Library);
  EXPECT_FALSE(kiln::parsePhase("Kernels").has_value());
  EXPECT_FALSE(kiln::parsePhase("codegen").has_value());
  EXPECT_FALSE(kiln::parsePhase("").has_value());
}

TEST(Phases, DumpNamesAndList) {
  EXPECT_EQ(kiln::phaseDumpName(Phase::Import), "00.import.mlir");
  EXPECT_EQ(kiln::phaseDumpName(Phase::Kernels), "05.kernels.mlir");
  EXPECT_EQ(kiln::phaseList(),
            "import, shapes, fusion, quantize, kvcache, kernels, object, "
            "library");
}
} // namespace
