//===- Phases.cpp - names and descriptions of the compilation phases ------===//
#include "kiln/Pipeline/Phases.h"

#include <cstdio>

namespace kiln {
namespace {
constexpr PhaseInfo kPhases[kNumPhases] = {
    {Phase::Import, "import", "read the model into the kiln dialect"},
    {Phase::Shapes, "shapes", "infer and refine tensor types, fold shape math"},
    {Phase::Fusion, "fusion", "fuse graph patterns (norms, QKV, SwiGLU)"},
    {Phase::Quantize, "quantize", "quantize weights to GGUF block formats"},
    {Phase::KVCache, "kvcache", "split into prefill/decode over a KV cache"},
    {Phase::Kernels, "kernels", "repack weights for x86, form, fuse and outline kernels"},
    {Phase::Object, "object", "generate Halide kernels and orchestration code"},
    {Phase::Library, "library", "link the shared/static library and header"},
};

constexpr bool inEnumOrder() {
  for (int i = 0; i < kNumPhases; ++i)
    if (static_cast<int>(kPhases[i].phase) != i)
      return false;
  return true;
}
static_assert(inEnumOrder(), "phaseInfo() indexes kPhases by enum value");
} // namespace

const PhaseInfo &phaseInfo(Phase phase) {
  return kPhases[static_cast<int>(phase)];
}

std::optional<Phase> parsePhase(std::string_view name) {
  for (const PhaseInfo &info : kPhases)
    if (info.name == name)
      return info.phase;
  return std::nullopt;
}

std::string phaseList() {
  std::string list;
  for (const PhaseInfo &info : kPhases) {
    if (!list.empty())
      list += ", ";
    list += info.name;
  }
  return list;
}

std::string phaseDumpName(Phase phase) {
  char prefix[8];
  std::snprintf(prefix, sizeof(prefix), "%02d.", phaseIndex(phase));
  return prefix + std::string(phaseInfo(phase).name) + ".mlir";
}

} // namespace kiln
