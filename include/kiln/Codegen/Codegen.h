//===- Codegen.h - from outlined kernels to a native library --------------===//
//
// The `object` and `library` phases. After the `kernels` phase a module has
// one entry function (calls, weights, constants) and one private function
// per distinct kernel. Code generation:
//   1. writes every kernel as a kernel spec and runs `kiln-kernel-gen`
//      (Halide, in its own process) to get one object per kernel plus the
//      Halide runtime object (KernelSpecWriter.cpp, KernelGenerator.cpp);
//   2. lowers the entry function to the LLVM dialect: buffer planning in one
//      arena, halide_buffer_t marshalling, kernel calls (Orchestration.cpp),
//      then to an object file with LLVM's target machine;
//   3. writes the C header and API glue, and links lib<name>.so/.a with the
//      system toolchain (Library.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CODEGEN_H
#define KILN_CODEGEN_CODEGEN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {
struct TargetInfo;

/// A graph input or output as the C API describes it.
struct TensorInfo {
  std::string name;
  int dtype = 0; // kiln_dtype of runtime/include/kiln_runtime.h
  std::vector<int64_t> shape; // -1: a dimension a sequence's items choose
  /// "" for a tensor; else its containers, outermost first: 's' sequence,
  /// 'o' optional (kiln_tensor_desc.nesting). dtype and shape are then the
  /// innermost tensor's.
  std::string nesting;
  /// A sequence's items of any rank (kiln_tensor_desc.rank -1).
  bool anyRank = false;
};

/// One entry function of the library (`<name>_<entry>_run`).
struct EntryInfo {
  std::string name;   // "graph" for a single-entry model, else the function's
  std::string symbol; // the orchestration function
  std::vector<TensorInfo> inputs, outputs;
  /// Inputs that are persistent state (KV caches) owned by a sequence.
  std::vector<bool> stateInputs;
};

/// An LLM library's facts (from the module's kiln.llm attribute).
struct LlmInfo {
  bool present = false;
  int64_t ctx = 0, chunk = 0, capacity = 0, vocab = 0, bos = -1, eos = -1;
  int numCaches = 0;
  uint64_t cacheBytes = 0;
  /// Whether prefill returns the logits of every row of its chunk.
  bool allLogits = false;
  /// Bytes of the embedded tokenizer blob (set by the library phase).
  uint64_t tokenizerBytes = 0;
};

/// What the orchestration needs from the rest of the library.
struct GraphInfo {
  LlmInfo llm;
  /// The inputs and outputs of the first (for ONNX models, the only) entry.
  std::vector<TensorInfo> inputs, outputs;
  std::vector<EntryInfo> entries;
  uint64_t arenaBytes = 0;
  /// The weights blob every kiln.weight_decl refers into (empty if none).
  std::string weightsPath;
  uint64_t weightsBytes = 0;
  /// kiln_weights_fingerprint of the weights file (set by the library phase).
  uint64_t weightsFingerprint = 0;
  /// How the library names the weights file: relative to its directory when
  /// the file is beside it, else absolute (set by the library phase).
  std::string weightsFileName;
  /// Distinct kernels generated, and kernel calls in the graph.
  unsigned kernels = 0, kernelCalls = 0;
  /// GPU targets: device buffer slots per instance and the upload function
  /// (kiln_model_desc.device_slots/upload); 0 and empty on CPUs.
  int deviceSlots = 0;
  std::string uploadSymbol;
  /// GPU targets: the architecture ("sm_80"), for the runtime's messages.
  std::string deviceName;
};

/// The most weight bytes a library embeds: its code reaches data with
/// 32-bit PC-relative offsets (x86-64's and aarch64's default code models),
/// so everything in it must lie within 2 GiB; the rest is left for code.
constexpr uint64_t kMaxEmbeddedWeightBytes = uint64_t(3) << 29; // 1.5 GiB

struct CodegenOptions {
  std::string name;      // library name: lib<name>.so, <name>.h, symbol prefix
  std::string outputDir; // where the library goes
  std::string target = "host"; // a name kiln/Codegen/Targets.h resolves
  std::string targetFeatures;   // comma-separated (aarch64: dotprod, fp16, i8mm)
  /// Where kiln-kernel-gen also writes each kernel's assembly (empty: no).
  std::string kernelDumpDir;
  /// Threads the kernels divide rows among (0: kiln-kernel-gen's default,
  /// the cores of the machine compiling).
  unsigned threads = 0;
  /// Bits of the activation quants that matmuls with Q8_0 weights multiply
  /// by: 8 (llama.cpp's Q8_0 x Q8_0 dot, bit-identical logits) or 16.
  unsigned q8ActivationBits = 8;
  bool embedWeights = true;
  /// Directory with kiln-kernel-gen (the kiln executable's directory).
  std::string toolsDir;
  /// The model compiled (an LLM's tokenizer is read from it).
  std::string modelPath;
};

/// The glue's declaration of the upload function and the kiln_model_desc
/// fields device_slots, upload, device_name (GPU targets; "0, 0, 0" else).
std::string deviceDeclarations(const GraphInfo &info);
std::string deviceFields(const GraphInfo &info);

/// A C identifier for a library named after `path` ("gpt-2.onnx" -> "gpt_2",
/// "1b.gguf" -> "model_1b").
std::string libraryNameFor(llvm::StringRef path);

/// Whether `name` is a C identifier (letters, digits and _, not starting
/// with a digit): a library name prefixes every symbol of its C API.
bool isCIdentifier(llvm::StringRef name);

/// The header guard / enum prefix of library `name` (its upper case).
std::string headerGuard(llvm::StringRef name);

/// The kiln_dtype of an element type, or -1.
int dtypeOf(mlir::Type elementType);

/// Whether a kernel computes an empty tensor (nothing to generate or call).
bool hasEmptyResult(mlir::func::FuncOp kernel);

/// Kernel specs for every outlined kernel of `module` (see
/// tools/kiln-kernel-gen/KernelSpec.h). Kernel symbols get `prefix`.
mlir::FailureOr<std::string> writeKernelSpecs(mlir::ModuleOp module,
                                              llvm::StringRef halideTarget,
                                              llvm::StringRef prefix);

/// Lowers the entry functions of `module` to an LLVM-dialect module: one
/// entry becomes `<name>_graph_run`, several (an LLM's prefill and decode)
/// `<name>_<entry>_run`, each a kiln_run_fn (kiln_runtime.h); fills `info`.
/// `deviceInterface` (GPU targets: Halide's device interface function) keeps
/// buffers in device slots and adds `<name>_upload`.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildOrchestration(mlir::ModuleOp module, llvm::StringRef name, GraphInfo &info,
                   llvm::StringRef deviceInterface = "");

/// Compiles an LLVM-dialect module to an object file for `target`.
mlir::LogicalResult emitObjectFile(mlir::ModuleOp llvmModule, llvm::StringRef path,
                                   const TargetInfo &target);

/// Runs the `object` phase: kernel objects, runtime object and the
/// orchestration object in `<outputDir>/.kiln-build/`. Returns the
/// orchestration module (dumped as the phase's IR).
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
emitObjects(mlir::ModuleOp module, const CodegenOptions &options,
            GraphInfo &info);

/// The C header and API glue of an LLM library (LlmLibrary.cpp), and the
/// names of the functions it exports.
std::string llmHeaderText(const CodegenOptions &options, const GraphInfo &info);
std::string llmGlueText(const CodegenOptions &options, const GraphInfo &info);
std::vector<std::string> llmExports();

/// Runs the `library` phase: header, glue, link of lib<name>.so and .a.
mlir::LogicalResult emitLibrary(mlir::MLIRContext &context,
                                const CodegenOptions &options,
                                const GraphInfo &info);

} // namespace kiln

#endif // KILN_CODEGEN_CODEGEN_H
