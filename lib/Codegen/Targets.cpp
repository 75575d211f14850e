//===- Targets.cpp - the machines kiln generates libraries for ------------===//
#include "kiln/Codegen/Targets.h"

#include "llvm/TargetParser/Host.h"

#include <sstream>
#include <vector>

namespace kiln {
namespace {
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

const char *targetNames() { return "host, x86-64-avx2, x86-64-avx512, aarch64"; }

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
    t.halide = name == "x86-64-avx2"     ? "x86-64-linux-avx2-fma-f16c-sse41"
               : name == "x86-64-avx512" ? "x86-64-linux-avx512_skylake-avx2-fma-f16c-sse41"
                                         : "host";
    if (!wanted.empty()) {
      error = "--target-features applies to aarch64 only (" + name +
              " has its features in its name)";
      return std::nullopt;
    }
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
  } else {
    error = "unknown target '" + name + "' (targets: " + targetNames() + ")";
    return std::nullopt;
  }
  return t;
}

} // namespace kiln
