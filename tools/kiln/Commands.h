//===- Commands.h - the subcommands of the `kiln` driver ------------------===//
#ifndef KILN_TOOLS_KILN_COMMANDS_H
#define KILN_TOOLS_KILN_COMMANDS_H

#include <cstdint>
#include <string>

namespace kiln {

/// `kiln compile`: argv[0] is "kiln compile". Returns the exit code.
int runCompileCommand(int argc, char **argv);

/// `kiln inspect`: argv[0] is "kiln inspect". Returns the exit code.
int runInspectCommand(int argc, char **argv);

/// `kiln run`: argv[0] is "kiln run". Returns the exit code.
int runRunCommand(int argc, char **argv);

int runTokenizeCommand(int argc, char **argv);

/// `kiln quantize IN.gguf -o OUT.gguf --quantize=SCHEME`.
int runQuantizeCommand(int argc, char **argv);

/// `kiln run` options for LLM libraries.
struct GenerateOptions {
  std::string prompt, tokens, weights, logitsOut, tokensOut;
  unsigned count = 32;
  float temperature = 0.8f, topP = 0.95f;
  int topK = 40;
  uint64_t seed = 0;
  bool greedy = false;
  bool printIds = false;
};

/// Generates with the LLM library `handle` (dlopen'ed) named `name`.
int runGenerate(void *handle, const std::string &name,
                const GenerateOptions &options);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COMMANDS_H
