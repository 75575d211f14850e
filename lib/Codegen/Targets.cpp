//===- Targets.cpp - the machines kiln generates libraries for ------------===//
#include "kiln/Codegen/Targets.h"

#include "llvm/TargetParser/Host.h"

#include <sstream>
#include <vector>

namespace kiln {
namespace {
// The x86-64 CPUs of the avx2 target and of GPU targets' host side.
const std::string kX86Avx2 = "x86-64-linux-avx2-fma-f16c-sse41";

std::vector<std::string> split(const std::string &list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}
} // namespace

const char *targetNames() {
  return "host, x86-64-avx2, x86-64-avx512, aarch64, cuda, cuda-sm61, cuda-sm70, "
         "cuda-sm75, cuda-sm80, cuda-sm86, cuda-sm90, opencl";
}

std::optional<TargetInfo> resolveTarget(const std::string &name,
                                        const std::string &features,
                                        std::string &error) {
  TargetInfo t;
  t.cc = "cc";
  t.cpu = "generic";
  t.runtimeObject = "kiln_runtime.o";
  t.triple = llvm::sys::getDefaultTargetTriple();
  std::vector<std::string> wanted = split(features);
  if (name == "host" || name == "x86-64-avx2" || name == "x86-64-avx512") {
    t.name = name;
    t.halide = name == "x86-64-avx2"     ? kX86Avx2
               : name == "x86-64-avx512" ? "x86-64-linux-avx512_skylake-avx2-fma-f16c-sse41"
                                         : "host";
  } else if (name == "aarch64" || name == "arm64" || name == "arm64-linux" ||
             name == "aarch64-linux") {
    t.name = "aarch64";
    t.halide = "arm-64-linux";
    t.triple = "aarch64-unknown-linux-gnu";
    t.llvmFeatures = "+neon";
    t.cc = "aarch64-linux-gnu-gcc";
    t.runtimeObject = "kiln_runtime-aarch64.o";
    t.cross = true;
    for (const std::string &feature : wanted) {
      if (feature == "dotprod") {
        t.halide += "-arm_dot_prod";
        t.llvmFeatures += ",+dotprod";
      } else if (feature == "fp16") {
        t.halide += "-arm_fp16";
        t.llvmFeatures += ",+fullfp16";
      } else if (feature == "i8mm") {
        t.llvmFeatures += ",+i8mm"; // Halide 14 has no i8mm feature
      } else {
        error = "unknown aarch64 feature '" + feature + "' (features: dotprod, fp16, i8mm)";
        return std::nullopt;
      }
    }
  } else if (name == "cuda" || name.rfind("cuda-sm", 0) == 0) {
    // The host side (orchestration, kernel launch code) is x86-64 with
    // AVX2; kernels are PTX for the GPU architecture. Halide 14 emits PTX
    // for capabilities up to 8.6: sm90 gets sm_86 PTX, which the driver
    // compiles for the H100 when the library loads.
    std::string sm = name == "cuda" ? "61" : name.substr(7);
    std::string capability = sm == "90" ? "86" : sm;
    if (capability != "61" && capability != "70" && capability != "75" &&
        capability != "80" && capability != "86") {
      error = "unknown target '" + name + "' (CUDA targets: cuda, cuda-sm61, cuda-sm70, "
              "cuda-sm75, cuda-sm80, cuda-sm86, cuda-sm90)";
      return std::nullopt;
    }
    t.name = name;
    t.halide = kX86Avx2 + "-cuda-cuda_capability_" + capability;
    t.triple = "x86_64-unknown-linux-gnu";
    t.deviceInterface = "halide_cuda_device_interface";
    t.gpuArch = "sm_" + capability;
  } else if (name == "opencl") {
    // The GPU schedules and device-resident buffers of the CUDA targets on
    // an OpenCL device: lets machines without an NVIDIA GPU run them (the
    // tests use pocl, an OpenCL implementation on the CPU).
    t.name = name;
    t.halide = kX86Avx2 + "-opencl-cl_doubles";
    t.triple = "x86_64-unknown-linux-gnu";
    t.deviceInterface = "halide_opencl_device_interface";
    t.gpuArch = "OpenCL";
  } else {
    error = "unknown target '" + name + "' (targets: " + targetNames() + ")";
    return std::nullopt;
  }
  if (t.name != "aarch64" && !wanted.empty()) {
    error = "--target-features applies to aarch64 only (" + name +
            " has its features in its name)";
    return std::nullopt;
  }
  return t;
}

} // namespace kiln
