//===- kiln.cpp - the `kiln` command: dispatches to subcommands -----------===//
//
// `kiln <command> [options]`. Each subcommand parses its own options, so
// `kiln compile --help` lists only what `compile` understands.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <string>
#include <vector>

namespace {
struct Command {
  const char *name;
  const char *summary;
  int (*run)(int, char **);
};

const Command kCommands[] = {
    {"compile", "compile a model (.onnx, .gguf, or kiln IR in .mlir)",
     kiln::runCompileCommand},
    {"inspect", "describe a model: inputs, outputs, ops, what kiln supports",
     kiln::runInspectCommand},
    {"run", "run a compiled library: on .npy/.pb inputs, or generate text",
     kiln::runRunCommand},
    {"tokenize", "tokenize text with a GGUF model's tokenizer",
     kiln::runTokenizeCommand},
    {"quantize", "quantize a GGUF model's weights (q8_0, q4_0, q4_k, q6_k, q4_k_m)",
     kiln::runQuantizeCommand},
};

void printUsage(llvm::raw_ostream &os) {
  os << "kiln: an ahead-of-time compiler for ML models\n\n"
     << "USAGE: kiln <command> [options] <input>\n\nCOMMANDS:\n";
  for (const Command &command : kCommands)
    os << "  " << command.name << "\t" << command.summary << "\n";
  os << "\nRun 'kiln <command> --help' for a command's options.\n";
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2) {
    printUsage(llvm::errs());
    return 2;
  }
  std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    printUsage(llvm::outs());
    return 0;
  }
  if (first == "--version") {
    llvm::outs() << "kiln 0.1 (MLIR/LLVM 19)\n";
    return 0;
  }
  for (const Command &command : kCommands) {
    if (first != command.name)
      continue;
    // The subcommand sees "kiln <name>" as its program name.
    std::string program = std::string("kiln ") + command.name;
    std::vector<char *> args(argv + 1, argv + argc);
    args[0] = program.data();
    return command.run(static_cast<int>(args.size()), args.data());
  }
  llvm::errs() << "kiln: error: unknown command '" << first << "'\n\n";
  printUsage(llvm::errs());
  return 2;
}
