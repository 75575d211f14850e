//===- Schedules.cpp - CPU schedules of generated kernels, by family ------===//
//
// The one place that decides how kernels run on CPUs. Today every family
// gets the same sound baseline: reductions (matmul accumulators, norm and
// softmax statistics) are computed at root, vectorized along their
// innermost dimension and parallel along their outermost; elementwise work
// is inlined into the output, which is vectorized and parallelized the same
// way. Per-family tiling comes with the performance work.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilder.h"

namespace kiln::kernelgen {
using namespace Halide;

namespace {
/// Vectorizes `stage` along its innermost var and parallelizes the
/// outermost (when there are two or more).
template <typename Stage>
void vectorizeAndParallelize(Stage stage, const std::vector<Var> &args,
                             int lanes) {
  if (args.empty())
    return;
  stage.vectorize(args.front(), lanes, TailStrategy::GuardWithIf);
  if (args.size() >= 2)
    stage.parallel(args.back());
}
} // namespace

void scheduleKernel(BuiltKernel &built, const std::string &family,
                    const Target &target) {
  (void)family; // every family shares the baseline for now (see above)
  const int lanes = target.natural_vector_size(Float(32));
  for (Func &f : built.reductions) {
    f.compute_root();
    vectorizeAndParallelize(f, f.args(), lanes);
    for (int i = 0; i < f.num_update_definitions(); ++i)
      vectorizeAndParallelize(f.update(i), f.args(), lanes);
  }
  // No wider than the innermost dimension: a guarded vector wider than the
  // whole row still loads past small constant buffers.
  int outputLanes = lanes;
  if (!built.outputShape.empty())
    while (outputLanes > 1 && outputLanes > built.outputShape.back())
      outputLanes /= 2;
  vectorizeAndParallelize(built.output, built.output.args(), outputLanes);
}

} // namespace kiln::kernelgen
