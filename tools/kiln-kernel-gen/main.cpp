//===- main.cpp - kiln-kernel-gen: kernel specs -> Halide object files ----===//
//
// Run by `kiln compile` in its own process (Halide links LLVM 14, kiln's
// compiler LLVM 19; they never share a process):
//
//   kiln-kernel-gen SPEC --out-dir DIR [--strict-float]
//                                          one DIR/<kernel>.o per kernel
//   kiln-kernel-gen --runtime OUT.o --target TARGET
//
// Kernel objects are built without the Halide runtime; one runtime object
// per library comes from the second form. --strict-float (used for language
// models) turns off float reassociation and contraction, so a row's result
// does not depend on the schedule or on how many rows a call holds, and
// matches the reference's rounding; other models keep LLVM's FMA
// contraction, which is faster. With --vnni-llc LLC, for the host target
// on a CPU with AVX512-VNNI, the prefill matmuls that use vpdpbusd
// (BuildOptions::vnni) are built for Halide's Sapphire Rapids target and
// compiled by LLVM 19's llc for this CPU (runLlc): Halide 14 emits
// vpdpbusd only for that target, whose LLVM CPU would also emit
// AVX512-FP16 instructions. Errors are one line on stderr and exit
// status 1.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilder.h"
#include "KernelSpec.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <iostream>
#include <sstream>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace kiln::kernelgen;

namespace {
/// Whether /proc/cpuinfo lists `flag` (Linux).
bool cpuHasFlag(const std::string &flag) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("flags", 0) == 0)
      return (" " + line + " ").find(" " + flag + " ") != std::string::npos;
  return false;
}

Halide::Target parseTarget(const std::string &name) {
  if (name != "host")
    return Halide::Target(name);
  Halide::Target target = Halide::get_host_target();
  // Halide 14 reports "sapphirerapids" for any CPU with AVX512-BF16, and
  // LLVM then emits AVX512-FP16 instructions (vmovw) that such CPUs
  // without FP16 fault on; keep that feature only where the CPU has it.
  if (target.has_feature(Halide::Target::AVX512_SapphireRapids) &&
      !cpuHasFlag("avx512_fp16"))
    target = target.without_feature(Halide::Target::AVX512_SapphireRapids);
  return target;
}

int usage() {
  std::cerr << "usage: kiln-kernel-gen SPEC --out-dir DIR [--asm-dir DIR] [--strict-float] [--threads N]\n"
               "                       [--activation-bits 8|16] [--vnni-llc LLC]\n"
               "       kiln-kernel-gen --runtime OUT.o --target TARGET\n";
  return 2;
}

/// Runs LLVM 19's llc (VNNI kernels): `bitcode` -> `output` as an object
/// or assembly for this machine's CPU. Returns false on failure.
bool runLlc(const std::string &llc, const std::string &bitcode, const std::string &output,
            bool assembly) {
  std::vector<std::string> words = {llc, "-O3", "-mcpu=native", "-relocation-model=pic",
                                    assembly ? "-filetype=asm" : "-filetype=obj", bitcode, "-o",
                                    output};
  std::vector<char *> argv;
  for (std::string &w : words)
    argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, llc.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
    return false;
  int status = 0;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int compileKernels(const std::string &specPath, const std::string &outDir,
                   const std::string &asmDir, bool strictFloat, int threads,
                   int activationBits, const std::string &llc) {
  std::ifstream in(specPath);
  if (!in) {
    std::cerr << "kiln-kernel-gen: error: cannot read " << specPath << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  SpecFile file;
  std::string error;
  if (!parseSpecFile(text.str(), file, error)) {
    std::cerr << "kiln-kernel-gen: error: " << specPath << ": " << error << "\n";
    return 1;
  }
  Halide::Target target = parseTarget(file.target.empty() ? "host" : file.target)
                              .with_feature(Halide::Target::NoRuntime);
  if (strictFloat)
    target = target.with_feature(Halide::Target::StrictFloat);
  BuildOptions options;
  if (!target.has_gpu_feature())
    options.dotLanes = target.natural_vector_size(Halide::Float(32));
  options.openclC = target.has_feature(Halide::Target::OpenCL);
  options.q8ActivationBits = activationBits;
  options.vnni = !llc.empty() && (file.target.empty() || file.target == "host") &&
                 target.has_feature(Halide::Target::AVX512_Skylake) &&
                 cpuHasFlag("avx512_vnni");
  for (const KernelSpec &kernel : file.kernels) {
    try {
      // With VNNI first where the kernel uses it; without it if llc fails.
      for (bool vnni : {options.vnni, false}) {
        BuildOptions attempt = options;
        attempt.vnni = vnni;
        BuiltKernel built = buildKernel(kernel, attempt);
        if (target.has_gpu_feature())
          scheduleKernelGpu(built, kernel.family, target);
        else
          scheduleKernel(built, kernel.family, target, threads);
        // The output buffer is dense row-major with exactly the output shape.
        Halide::OutputImageParam out = built.output.output_buffer();
        int64_t stride = 1;
        for (size_t h = 0; h < built.outputShape.size(); ++h) {
          int64_t extent = built.outputShape[built.outputShape.size() - 1 - h];
          out.dim(int(h)).set_bounds(0, int(extent)).set_stride(int(stride));
          stride *= extent;
        }
        std::vector<Halide::Argument> args(built.inputs.begin(), built.inputs.end());
        std::map<Halide::OutputFileType, std::string> outputs = {
            {Halide::OutputFileType::object, outDir + "/" + kernel.name + ".o"}};
        if (!asmDir.empty()) {
          outputs[Halide::OutputFileType::assembly] = asmDir + "/" + kernel.name + ".s";
          outputs[Halide::OutputFileType::stmt] = asmDir + "/" + kernel.name + ".stmt";
        }
        bool usesVnni = std::any_of(built.groupMatmuls.begin(), built.groupMatmuls.end(),
                                    [](const BuiltKernel::GroupMatmul &g) { return g.vnni; });
        if (!usesVnni) {
          built.output.compile_to(outputs, args, kernel.name, target);
          break;
        }
        // Halide 14 emits vpdpbusd only for its Sapphire Rapids target,
        // whose LLVM CPU also has AVX512-FP16 instructions that other VNNI
        // CPUs (Zen 4) lack; its bitcode goes through LLVM 19 for this CPU.
        std::string bitcode = outDir + "/" + kernel.name + ".bc";
        outputs.erase(Halide::OutputFileType::object);
        outputs.erase(Halide::OutputFileType::assembly);
        outputs[Halide::OutputFileType::bitcode] = bitcode;
        built.output.compile_to(outputs, args, kernel.name,
                                target.with_feature(Halide::Target::AVX512_SapphireRapids));
        bool ok = runLlc(llc, bitcode, outDir + "/" + kernel.name + ".o", false) &&
                  (asmDir.empty() || runLlc(llc, bitcode, asmDir + "/" + kernel.name + ".s", true));
        std::remove(bitcode.c_str());
        if (ok)
          break;
        std::cerr << "kiln-kernel-gen: warning: kernel " << kernel.name << ": " << llc
                  << " failed on its bitcode; building it without VNNI\n";
      }
    } catch (const Halide::Error &e) {
      // Halide's messages span lines; kiln reports one.
      std::string message = e.what();
      std::replace(message.begin(), message.end(), '\n', ' ');
      std::cerr << "kiln-kernel-gen: error: kernel " << kernel.name << ": " << message << "\n";
      return 1;
    } catch (const std::exception &e) {
      std::cerr << "kiln-kernel-gen: error: " << e.what() << "\n";
      return 1;
    }
  }
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  std::string spec, outDir, asmDir, runtime, target = "host";
  bool strictFloat = false;
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  int activationBits = 8;
  std::string llc;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--out-dir") outDir = next();
    else if (arg == "--runtime") runtime = next();
    else if (arg == "--asm-dir") asmDir = next();
    else if (arg == "--target") target = next();
    else if (arg == "--strict-float") strictFloat = true;
    else if (arg == "--vnni-llc") llc = next();
    else if (arg == "--threads") {
      threads = std::atoi(next().c_str());
      if (threads < 1 || threads > 4096) {
        std::cerr << "kiln-kernel-gen: error: --threads takes 1 to 4096\n";
        return 2;
      }
    }
    else if (arg == "--activation-bits") {
      std::string bits = next();
      if (bits != "8" && bits != "16") {
        std::cerr << "kiln-kernel-gen: error: --activation-bits takes 8 or 16\n";
        return 2;
      }
      activationBits = std::atoi(bits.c_str());
    }
    else if (!arg.empty() && arg[0] != '-') spec = arg;
    else return usage();
  }
  if (!runtime.empty()) {
    try {
      Halide::compile_standalone_runtime(runtime, parseTarget(target));
    } catch (const std::exception &e) {
      std::cerr << "kiln-kernel-gen: error: runtime: " << e.what() << "\n";
      return 1;
    }
    return 0;
  }
  if (spec.empty() || outDir.empty())
    return usage();
  return compileKernels(spec, outDir, asmDir, strictFloat, threads, activationBits, llc);
}
