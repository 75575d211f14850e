//===- Targets.h - the machines kiln generates libraries for --------------===//
//
// One table from a `--target` name (and `--target-features`) to everything
// code generation needs: the Halide target of the kernels, the LLVM triple,
// CPU and features of the orchestration object, the C compiler that
// compiles the glue and links the library, and kiln's runtime object built
// for that machine. Host and x86-64 targets use the system `cc`; aarch64
// is cross-compiled with Debian's gcc-aarch64-linux-gnu.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_TARGETS_H
#define KILN_CODEGEN_TARGETS_H

#include <optional>
#include <string>

namespace kiln {

struct TargetInfo {
  std::string name;          // canonical kiln name: host, x86-64-avx2, ..., aarch64
  std::string halide;        // Halide target string of the kernels
  std::string triple;        // LLVM triple of the orchestration object
  std::string cpu;           // LLVM CPU ("generic" where not chosen)
  std::string llvmFeatures;  // LLVM feature string (+neon,+dotprod,...)
  std::string cc;            // compiler driver for glue, assembly and linking
  std::string runtimeObject; // kiln's runtime, in the tools' lib/ directory
  bool cross = false;        // not runnable on this machine as is
};

/// The target named `name` (aliases: arm64, arm64-linux, aarch64-linux)
/// with comma-separated `features` (aarch64: dotprod, fp16, i8mm). Empty
/// with `error` set for an unknown name or feature.
std::optional<TargetInfo> resolveTarget(const std::string &name,
                                        const std::string &features,
                                        std::string &error);

/// "host, x86-64-avx2, x86-64-avx512, aarch64", for help and errors.
const char *targetNames();

} // namespace kiln

#endif // KILN_CODEGEN_TARGETS_H
