//===- kiln-opt.cpp - mlir-opt for the kiln dialect and passes ------------===//
//
// The tool lit tests drive: parses kiln IR, runs any kiln pass (and the few
// upstream ones kiln's pipeline uses), prints the result. Registers only the
// dialects kiln uses, not all of MLIR.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnDialect.h"
#include "kiln/Pipeline/Pipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  kiln::registerPipelinePasses();
  kiln::registerPhasePipelines();
  mlir::registerInlinerPass();

  mlir::DialectRegistry registry;
  registry.insert<mlir::kiln::KilnDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "kiln-opt: runs kiln passes on kiln IR\n", registry));
}
