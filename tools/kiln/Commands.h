//===- Commands.h - the subcommands of the `kiln` driver ------------------===//
#ifndef KILN_TOOLS_KILN_COMMANDS_H
#define KILN_TOOLS_KILN_COMMANDS_H

namespace kiln {

/// `kiln compile`: argv[0] is "kiln compile". Returns the exit code.
int runCompileCommand(int argc, char **argv);

/// `kiln inspect`: argv[0] is "kiln inspect". Returns the exit code.
int runInspectCommand(int argc, char **argv);

/// `kiln run`: argv[0] is "kiln run". Returns the exit code.
int runRunCommand(int argc, char **argv);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COMMANDS_H
