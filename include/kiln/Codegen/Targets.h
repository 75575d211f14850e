//===- Targets.h - the machines kiln generates libraries for --------------===//
//
// One table from a `--target` name (and `--target-features`) to everything
// code generation needs: the Halide target of the kernels, the LLVM triple,
// CPU and features of the orchestration object, the C compiler that
// compiles the glue and links the library, and kiln's runtime object built
// for that machine. Host and x86-64 targets use the system `cc`; aarch64
// is cross-compiled with Debian's gcc-aarch64-linux-gnu. CUDA targets are
// x86-64 libraries whose kernels run on an NVIDIA GPU (PTX embedded, the
// driver loaded at run time by Halide's CUDA runtime).
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
  /// GPU targets: the Halide runtime function returning the device
  /// interface the orchestration binds buffers to
  /// ("halide_cuda_device_interface"); empty on CPUs.
  std::string deviceInterface;
  std::string gpuArch;       // "sm_80" etc., for messages and docs
};

/// The target named `name` (aliases: arm64, arm64-linux, aarch64-linux;
/// cuda, cuda-sm61, cuda-sm70, cuda-sm75, cuda-sm80, cuda-sm86, cuda-sm90)
/// with comma-separated `features` (aarch64: dotprod, fp16, i8mm). Empty
/// with `error` set for an unknown name or feature.
std::optional<TargetInfo> resolveTarget(const std::string &name,
                                        const std::string &features,
                                        std::string &error);

/// "host, x86-64-avx2, x86-64-avx512, aarch64, cuda[-smNN]", for help and errors.
const char *targetNames();

} // namespace kiln

#endif // KILN_CODEGEN_TARGETS_H
