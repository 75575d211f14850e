//===- InspectCommand.cpp - `kiln inspect` --------------------------------===//
//
// Describes a model without compiling it: for ONNX, its inputs, outputs,
// opsets, op histogram and the ops kiln does not support yet; for GGUF, its
// architecture, hyper-parameters, tokenizer and tensor table.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "kiln/Gguf/GgufInspect.h"
#include "kiln/Import/Import.h"
#include "kiln/Import/Onnx.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"

#include <sstream>

namespace kiln {
namespace cl = llvm::cl;

int runInspectCommand(int argc, char **argv) {
  cl::OptionCategory category("kiln inspect options");
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model: .onnx or .gguf>"), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(
          argc, argv, "describes a model: inputs, outputs, ops, support\n",
          &llvm::errs()))
    return 1;
  auto buffer = llvm::MemoryBuffer::getFile(input, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    llvm::errs() << input << ": error: cannot read '" << input
                 << "': " << buffer.getError().message() << "\n";
    return 1;
  }
  switch (detectModelFormat(input, (*buffer)->getBuffer())) {
  case ModelFormat::Onnx:
    return inspectOnnx(input, llvm::outs(), llvm::errs()) ? 0 : 1;
  case ModelFormat::Gguf: {
    std::ostringstream out;
    std::string error;
    buffer->reset();
    if (!gguf::inspectGguf(input, out, error)) {
      llvm::errs() << input << ": error: not a valid GGUF file: " << error << "\n";
      return 1;
    }
    llvm::outs() << out.str();
    return 0;
  }
  default:
    llvm::errs() << input << ": error: kiln inspect describes .onnx models\n";
    return 1;
  }
}

} // namespace kiln
