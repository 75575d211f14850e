//===- CompileCommand.cpp - `kiln compile` --------------------------------===//
//
// Parses the compile options (plus MLIR's `--mlir-print-ir-*`, timing and
// context options), then hands a CompileRequest to kiln::compile. Options of
// LLVM's own libraries are hidden so `--help` shows what users need.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "kiln/Dialect/Kiln/KilnDialect.h"
#include "kiln/Codegen/Codegen.h"
#include "kiln/Codegen/Targets.h"
#include "kiln/Pipeline/Compiler.h"
#include "kiln/Pipeline/Pipeline.h"
#include "kiln/Quant/Recipe.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace kiln {
namespace cl = llvm::cl;

namespace {
/// Hides every option that is neither kiln's nor one of MLIR's `--mlir-*`
/// options (LLVM's libraries register many that do not apply to kiln).
void hideForeignOptions(cl::OptionCategory &category) {
  for (auto &entry : cl::getRegisteredOptions()) {
    cl::Option *option = entry.second;
    bool ours = llvm::is_contained(option->Categories, &category);
    bool mlir = entry.first().starts_with("mlir-");
    if (!ours && !mlir && entry.first() != "help" && entry.first() != "version")
      option->setHiddenFlag(cl::ReallyHidden);
  }
}

/// True when the user passed `--<name>` explicitly.
bool wasGiven(llvm::StringRef name) {
  auto &options = cl::getRegisteredOptions();
  auto it = options.find(name);
  return it != options.end() && it->second->getNumOccurrences() > 0;
}
} // namespace

int runCompileCommand(int argc, char **argv) {
  cl::OptionCategory category("kiln compile options");
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model: .onnx, .gguf or .mlir>"),
                             cl::cat(category));
  cl::opt<std::string> output(
      "o", cl::init("-"), cl::value_desc("path"), cl::cat(category),
      cl::desc("The library's directory (object/library phases), or where "
               "the IR of the last phase goes ('-' is standard output)"));
  std::string phaseHelp =
      "Stop after this phase, one of: " + phaseList() + " (default: library)";
  cl::opt<std::string> compileTo(
      "compile-to", cl::value_desc("phase"), cl::cat(category),
      cl::init(std::string(phaseInfo(Phase::Library).name)),
      cl::desc(phaseHelp));
  cl::opt<std::string> dumpPhasesTo(
      "dump-phases-to", cl::value_desc("dir"), cl::cat(category),
      cl::desc("Write the IR after each phase to <dir>/NN.<phase>.mlir"));
  cl::opt<bool> requireStatic(
      "require-static-shapes", cl::cat(category),
      cl::desc("Fail in the 'shapes' phase if any dimension stays dynamic"));
  cl::opt<int64_t> contextLength(
      "ctx", cl::init(0), cl::cat(category),
      cl::desc("LLMs: context length (KV-cache rows) to compile for; default "
               "and maximum: the model's"));
  cl::opt<int64_t> prefillChunk(
      "prefill-chunk", cl::init(32), cl::cat(category),
      cl::desc("LLMs: prompt tokens per prefill call (default 32)"));
  cl::opt<std::string> kvCacheType(
      "kv-cache-type", cl::init("f16"), cl::value_desc("f16|f32"), cl::cat(category),
      cl::desc("LLMs: element type of the KV cache (default f16, as llama.cpp)"));
  cl::opt<bool> allLogits(
      "all-logits", cl::cat(category),
      cl::desc("LLMs: also compute the logits of every prompt position "
               "(<name>_prefill_all; for perplexity and scoring)"));
  cl::opt<std::string> quantize(
      "quantize", cl::value_desc("scheme"), cl::cat(category),
      cl::desc("Quantize the weights of matmuls and embeddings at compile "
               "time: q8_0, q4_0, q4_k, q6_k or q4_k_m (GGUF block formats, "
               "chosen per tensor as llama.cpp does)"));
  cl::opt<std::string> quantizeSkip(
      "quantize-skip", cl::value_desc("regex"), cl::cat(category),
      cl::desc("With --quantize: keep weights whose name matches in float"));
  cl::opt<bool> quiet("quiet", cl::cat(category),
                      cl::desc("Print no progress, only errors"));
  cl::opt<bool> progress(
      "progress", cl::cat(category),
      cl::desc("Print a line per phase even when stderr is not a terminal"));
  cl::opt<std::string> target(
      "target", cl::init("host"), cl::value_desc("name"), cl::cat(category),
      cl::desc("Machine the library is for: host, x86-64-avx2, x86-64-avx512, "
               "aarch64 (alias arm64-linux; cross-compiled for 64-bit ARM "
               "Linux with NEON), or cuda[-sm61|-sm70|-sm75|-sm80|-sm86|-sm90] "
               "(x86-64 library whose kernels run on an NVIDIA GPU); see "
               "docs/targets.md"));
  cl::opt<std::string> targetFeatures(
      "target-features", cl::value_desc("list"), cl::cat(category),
      cl::desc("aarch64: optional CPU features, comma-separated: dotprod "
               "(sdot/udot), fp16, i8mm"));
  cl::opt<unsigned> threads(
      "kernel-threads", cl::init(0), cl::value_desc("n"), cl::cat(category),
      cl::desc("Threads the library's kernels divide their rows among, one "
               "contiguous run each (default: this machine's cores)"));
  cl::opt<unsigned> activationBits(
      "activation-bits", cl::init(8), cl::value_desc("8|16"), cl::cat(category),
      cl::desc("Bits of the per-block activation quants that matmuls with "
               "Q8_0 weights multiply by: 8 (default; llama.cpp's arithmetic, "
               "identical logits) or 16 (closer to the float model, same "
               "decode speed on x86; see docs/quantization.md)"));
  cl::opt<bool> noRepack(
      "no-repack", cl::cat(category),
      cl::desc("Keep GGUF's layout for quantized matmul weights (by default, "
               "x86-64 libraries store them in 32-row groups, written to "
               "<name>.weights; see docs/repacking.md)"));
  cl::opt<std::string> dumpKernelsTo(
      "dump-kernels-to", cl::value_desc("dir"), cl::cat(category),
      cl::desc("Write each generated kernel's assembly to <dir>/<kernel>.s "
               "and its Halide loop nest to <dir>/<kernel>.stmt"));
  cl::opt<std::string> libraryName(
      "name", cl::value_desc("name"), cl::cat(category),
      cl::desc("Library name: lib<name>.so, <name>.h, <name>_* functions "
               "(a C identifier; default: from the input file name, with model_ in front of a leading digit)"));
  cl::list<std::string> bind(
      "bind", cl::value_desc("NAME=FILE.pb"), cl::cat(category),
      cl::desc("Fix ONNX graph input NAME to the tensor in FILE.pb (for "
               "inputs that are shapes, starts, axes...)"));
  cl::opt<std::string> weights(
      "weights", cl::init("default"), cl::value_desc("embed|external"),
      cl::cat(category),
      cl::desc("Put weights inside the library (embed; the default for "
               "ONNX up to 1.5 GiB of weights) or outside it, memory-mapped "
               "at load (external: <name>.weights beside the library for "
               "ONNX and quantized GGUF, the original .gguf file for GGUF, "
               "the default there)"));

  registerPipelinePasses();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  hideForeignOptions(category);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "compiles a model through kiln's phases into a native library\n\n"
          "  kiln compile model.onnx -o out/          # out/libmodel.so, .a, model.h\n"
          "  kiln compile model.gguf -o out/ --ctx 512 # an LLM: kiln run out/ -p TEXT\n"
          "  kiln compile model.onnx --compile-to=shapes -o shapes.mlir\n"
          "  kiln compile model.onnx -o out/ --dump-phases-to=phases/\n",
          &llvm::errs()))
    return 1;

  CompileRequest request;
  request.inputPath = input;
  request.outputPath = output;
  request.dumpDirectory = dumpPhasesTo;
  request.pipeline.allowDynamicShapes = !requireStatic;
  request.pipeline.contextLength = contextLength;
  request.pipeline.prefillChunk = prefillChunk;
  request.pipeline.allLogits = allLogits;
  if (kvCacheType != "f16" && kvCacheType != "f32") {
    llvm::errs() << "kiln compile: error: unknown --kv-cache-type '" << kvCacheType
                 << "' (f16 or f32)\n";
    return 1;
  }
  request.pipeline.kvCacheType = kvCacheType;
  if (!quantize.empty() && !::kiln::quant::schemeFromName(quantize)) {
    llvm::errs() << "kiln compile: error: unknown quantization scheme '" << quantize
                 << "' (expected one of " << ::kiln::quant::schemeNames() << ")\n";
    return 1;
  }
  if (!quantizeSkip.empty() && quantize.empty()) {
    llvm::errs() << "kiln compile: error: --quantize-skip needs --quantize\n";
    return 1;
  }
  request.pipeline.quantize = quantize;
  request.pipeline.quantizeSkip = quantizeSkip;
  std::optional<Phase> phase = parsePhase(compileTo);
  if (!phase) {
    llvm::errs() << "kiln compile: error: unknown phase '" << compileTo
                 << "' (phases: " << phaseList() << ")\n";
    return 1;
  }
  request.compileTo = *phase;
  std::string targetError;
  std::optional<TargetInfo> resolved = resolveTarget(target, targetFeatures, targetError);
  if (!resolved) {
    llvm::errs() << "kiln compile: error: " << targetError << "\n";
    return 1;
  }
  if (!dumpKernelsTo.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(dumpKernelsTo)) {
      llvm::errs() << "kiln compile: error: cannot create '" << dumpKernelsTo
                   << "': " << ec.message() << "\n";
      return 1;
    }
  if (threads > 4096) {
    llvm::errs() << "kiln compile: error: --kernel-threads takes 1 to 4096 "
                    "(0: this machine's cores), got "
                 << threads << "\n";
    return 1;
  }
  if (activationBits != 8 && activationBits != 16) {
    llvm::errs() << "kiln compile: error: --activation-bits must be 8 or 16, got "
                 << activationBits << "\n";
    return 1;
  }
  if (weights != "embed" && weights != "external" && weights != "default") {
    llvm::errs() << "kiln compile: error: --weights must be embed or external\n";
    return 1;
  }
  for (const std::string &binding : bind) {
    size_t eq = binding.find('=');
    if (eq == std::string::npos || eq == 0) {
      llvm::errs() << "kiln compile: error: --bind takes NAME=FILE.pb, got '"
                   << binding << "'\n";
      return 1;
    }
    request.bindings[binding.substr(0, eq)] = binding.substr(eq + 1);
  }
  request.target = resolved->name;
  // Repacked Q4_0 kernels are x86's; aarch64 keeps GGUF's layout (its
  // row-wise dot products compile to sdot) and GPUs their own schedules.
  request.pipeline.repackWeights = !noRepack &&
                                   llvm::StringRef(resolved->triple).starts_with("x86_64") &&
                                   resolved->deviceInterface.empty();
  request.targetFeatures = targetFeatures;
  request.kernelDumpDir = dumpKernelsTo;
  request.threads = threads;
  request.q8ActivationBits = activationBits;
  if (!libraryName.empty() && !isCIdentifier(libraryName)) {
    llvm::errs() << "kiln compile: error: --name '" << libraryName
                 << "' is not a C identifier (letters, digits and _, not starting "
                    "with a digit)\n";
    return 1;
  }
  request.libraryName = libraryName;
  request.embedWeights =
      weights == "embed" ||
      (weights == "default" && llvm::sys::path::extension(input) != ".gguf");
  request.embedByDefault = weights == "default";
  request.toolsDir = llvm::sys::path::parent_path(
                         llvm::sys::fs::getMainExecutable(
                             argv[0], reinterpret_cast<void *>(&runCompileCommand)))
                         .str();
  if (!quiet && (progress || llvm::sys::Process::StandardErrIsDisplayed()))
    request.progress = &llvm::errs();

  mlir::DialectRegistry registry;
  registry.insert<mlir::kiln::KilnDialect, mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and location; the whole module is not printed with
  // them unless asked for.
  if (!wasGiven("mlir-print-op-on-diagnostic"))
    context.printOpOnDiagnostic(false);

  mlir::DefaultTimingManager timing;
  mlir::applyDefaultTimingManagerCLOptions(timing);
  mlir::TimingScope timingRoot = timing.getRootScope();
  mlir::LogicalResult result =
      compile(context, request, [&](mlir::PassManager &pm) {
        pm.enableTiming(timingRoot);
        return mlir::applyPassManagerCLOptions(pm);
      });
  return mlir::succeeded(result) ? 0 : 1;
}

} // namespace kiln
