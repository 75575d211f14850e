//===- Phases.h - kiln's ordered compilation phases -----------------------===//
//
// The phases of `kiln compile`, in pipeline order. `--compile-to=PHASE` stops
// after a phase and `--dump-phases-to=DIR` writes `NN.<phase>.mlir` after
// each, so the order here is the order users see. Pure C++ (no MLIR).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PIPELINE_PHASES_H
#define KILN_PIPELINE_PHASES_H

#include <optional>
#include <string>
#include <string_view>

namespace kiln {

enum class Phase {
  Import,   // model file -> kiln dialect
  Shapes,   // type refinement, folding of shape computations
  Fusion,   // graph-level fusion (norm+matmul, QKV, SwiGLU, ...)
  Quantize, // weight quantization
  KVCache,  // full-sequence graph -> prefill/decode over a KV cache
  Kernels,  // kernel regions, kernel fusion, outlining (distinct kernels once)
  Object,   // Halide kernels + orchestration object files
  Library,  // lib<name>.so/.a + <name>.h
};

constexpr int kNumPhases = static_cast<int>(Phase::Library) + 1;

struct PhaseInfo {
  Phase phase;
  std::string_view name;
  std::string_view description;
};

/// The table row of `phase`.
const PhaseInfo &phaseInfo(Phase phase);

/// The phase called `name` (as on the command line), if any.
std::optional<Phase> parsePhase(std::string_view name);

/// "import, shapes, ..., library": for help texts and errors.
std::string phaseList();

/// Phase from index, for iterating in order.
inline Phase phaseAt(int index) { return static_cast<Phase>(index); }
inline int phaseIndex(Phase phase) { return static_cast<int>(phase); }

/// "03.quantize.mlir": the dump file name of a phase.
std::string phaseDumpName(Phase phase);

} // namespace kiln

#endif // KILN_PIPELINE_PHASES_H
