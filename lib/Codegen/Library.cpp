//===- Library.cpp - kernels, objects, header and link of lib<name> -------===//
//
// Runs kiln-kernel-gen (Halide, separate process) on the kernel specs, emits
// the orchestration object, writes the public header and the C glue that
// implements it over the runtime, embeds or places the weights, and links
// lib<name>.so (exporting only <name>_* API symbols) and lib<name>.a with
// the system C compiler. Intermediate files live in <out>/.kiln-build and
// are removed once the library is linked.
//
//===----------------------------------------------------------------------===//
#include "kiln/Codegen/Codegen.h"
#include "kiln/Codegen/Targets.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "kiln/Gguf/TokenizerBlob.h"
#include "kiln_runtime.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cstdlib>
#include <unistd.h>

namespace kiln {
using namespace mlir;

namespace {
std::string join(StringRef a, StringRef b) {
  llvm::SmallString<256> path(a);
  llvm::sys::path::append(path, b);
  return std::string(path);
}

std::string buildDir(const CodegenOptions &options) {
  return join(options.outputDir, ".kiln-build");
}

/// The target of `options` (validated by the driver; re-checked here).
FailureOr<TargetInfo> targetOf(Location loc, const CodegenOptions &options) {
  std::string error;
  std::optional<TargetInfo> target =
      resolveTarget(options.target, options.targetFeatures, error);
  if (!target)
    return emitError(loc) << error;
  if (!llvm::sys::findProgramByName(target->cc))
    return emitError(loc) << "target " << target->name << " needs the C compiler '"
                          << target->cc << "', which is not installed (scripts/setup installs it)";
  return *target;
}

/// Runs `program args...`; on failure reports its stderr (first line).
LogicalResult run(Location loc, StringRef program, ArrayRef<std::string> args,
                  StringRef what) {
  auto found = llvm::sys::findProgramByName(program);
  std::string executable = found ? *found : program.str();
  SmallVector<StringRef> argv{executable};
  for (const std::string &arg : args)
    argv.push_back(arg);
  llvm::SmallString<128> errorsPath;
  llvm::sys::fs::createTemporaryFile("kiln", "stderr", errorsPath);
  std::optional<StringRef> redirects[] = {std::nullopt, std::nullopt,
                                          StringRef(errorsPath)};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(executable, argv, std::nullopt,
                                         redirects, 0, 0, &error);
  auto errors = llvm::MemoryBuffer::getFile(errorsPath);
  llvm::sys::fs::remove(errorsPath);
  if (status == 0) {
    // Warnings of a step that succeeded still reach the user.
    if (errors) {
      SmallVector<StringRef> lines;
      (*errors)->getBuffer().split(lines, '\n', -1, false);
      for (StringRef line : lines)
        if (line.contains(": warning: "))
          llvm::errs() << line << "\n";
    }
    return success();
  }
  std::string message = errors ? (*errors)->getBuffer().str() : error;
  if (message.empty())
    message = error.empty() ? "exit status " + std::to_string(status) : error;
  return emitError(loc) << what << " failed: "
                        << StringRef(message).split('\n').first;
}

std::string cIdentifierName(StringRef text) {
  std::string result;
  for (char c : text)
    result += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return result;
}

const char *dtypeName(int dtype) {
  static const char *names[] = {"F32", "F16", "BF16", "F64", "BOOL", "I8", "I16",
                                "I32", "I64", "U8",   "U16", "U32", "U64", "STRING"};
  return dtype >= 0 && dtype < 14 ? names[dtype] : "UNKNOWN";
}

/// "F32[3, 4]", "optional<sequence<F32[5]>>" (-1: any size), for the header.
std::string describe(const TensorInfo &t) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << dtypeName(t.dtype) << "[";
  llvm::interleaveComma(t.shape, os, [&](int64_t d) {
    if (d < 0)
      os << "any";
    else
      os << d;
  });
  os << (t.anyRank ? "any rank]" : "]");
  for (auto it = t.nesting.rbegin(); it != t.nesting.rend(); ++it)
    text = (*it == 's' ? "sequence<" : "optional<") + text + ">";
  if (!t.nesting.empty())
    text += " (a kiln_value)";
  return text;
}

bool hasValues(const GraphInfo &info) {
  for (const auto *list : {&info.inputs, &info.outputs})
    for (const TensorInfo &t : *list)
      if (!t.nesting.empty())
        return true;
  return false;
}

bool hasStrings(const GraphInfo &info) {
  for (const auto *list : {&info.inputs, &info.outputs})
    for (const TensorInfo &t : *list)
      if (t.dtype == 13)
        return true;
  return false;
}

std::string headerText(const CodegenOptions &options, const GraphInfo &info) {
  const std::string &n = options.name;
  std::string upper = headerGuard(n);
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* " << n << ".h - generated by kiln: the C API of lib" << n << ".\n"
     << " *\n"
     << " *   " << n << "_model *m = " << n << "_create(NULL);\n"
     << " *   const void *inputs[" << info.inputs.size() << "] = {...};\n"
     << " *   void *outputs[" << info.outputs.size() << "] = {...};\n"
     << " *   if (" << n << "_run(m, inputs, outputs) != 0)\n"
     << " *     fprintf(stderr, \"%s\\n\", " << n << "_last_error());\n"
     << " *   " << n << "_destroy(m);\n"
     << " *\n"
     << " * Buffers are dense, row-major, of the shapes and element types\n"
     << " * listed below; outputs must not alias inputs. A model instance may\n"
     << " * be used by one thread at a time; create one per thread.\n"
     << " * Link with -lm -lpthread -ldl when using lib" << n << ".a. */\n"
     << "#ifndef " << upper << "_H\n#define " << upper << "_H\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "enum {\n";
  for (int d = 0; d < 14; ++d)
    os << "  " << upper << "_DTYPE_" << dtypeName(d) << " = " << d << ",\n";
  os << "};\n\n";
  if (hasStrings(info))
    os << "/* STRING tensors are arrays of `const char *` (NUL-terminated UTF-8).\n"
       << " * The strings of STRING outputs belong to the instance and stay valid\n"
       << " * until its next run or destroy. */\n\n";
  if (hasValues(info))
    os << "/* Sequence and optional inputs and outputs are passed as a kiln_value\n"
       << " * (inputs[i] points to one; outputs[i] to one the run fills in). An\n"
       << " * optional is either KILN_VALUE_NONE or the value it holds. Output\n"
       << " * values belong to the instance until its next run or destroy. */\n"
       << "#ifndef KILN_VALUE_DEFINED\n#define KILN_VALUE_DEFINED\n"
       << "enum kiln_value_kind {\n  KILN_VALUE_TENSOR = 0,\n  KILN_VALUE_SEQUENCE = 1,\n"
       << "  KILN_VALUE_NONE = 2,\n};\n"
       << "typedef struct kiln_value {\n  int kind;\n"
       << "  /* KILN_VALUE_TENSOR: a dense row-major tensor. */\n"
       << "  int dtype;\n  int rank;\n  const int64_t *shape;\n  const void *data;\n"
       << "  /* KILN_VALUE_SEQUENCE: `count` values. */\n"
       << "  int64_t count;\n  const struct kiln_value *items;\n} kiln_value;\n#endif\n\n";
  os << "/* Inputs:\n";
  for (const TensorInfo &t : info.inputs)
    os << " *   " << t.name << ": " << describe(t) << "\n";
  os << " * Outputs:\n";
  for (const TensorInfo &t : info.outputs)
    os << " *   " << t.name << ": " << describe(t) << "\n";
  os << " */\n\ntypedef struct " << n << "_model " << n << "_model;\n\n"
     << "/* Creates an instance. `weights_path` is NULL for embedded weights or\n"
     << " * the weights file beside the library; returns NULL on failure. */\n"
     << n << "_model *" << n << "_create(const char *weights_path);\n"
     << "void " << n << "_destroy(" << n << "_model *model);\n\n"
     << "/* Runs the model: inputs[i] and outputs[i] in the order above.\n"
     << " * Returns 0, or non-zero with " << n << "_last_error() set. */\n"
     << "int " << n << "_run(" << n
     << "_model *model, const void *const *inputs, void *const *outputs);\n"
     << "const char *" << n << "_last_error(void);\n\n"
     << "/* Introspection: names, element types (" << upper
     << "_DTYPE_*) and shapes. */\n"
     << "int " << n << "_num_inputs(void);\n"
     << "int " << n << "_num_outputs(void);\n"
     << "const char *" << n << "_input_name(int i);\n"
     << "const char *" << n << "_output_name(int i);\n"
     << "int " << n << "_input_dtype(int i);\n"
     << "int " << n << "_output_dtype(int i);\n"
     << "int " << n << "_input_rank(int i);\n"
     << "int " << n << "_output_rank(int i);\n"
     << "const int64_t *" << n << "_input_shape(int i);\n"
     << "const int64_t *" << n << "_output_shape(int i);\n"
     << "/* \"\" for a tensor; else its containers, outermost first: 's' a\n"
     << " * sequence, 'o' an optional (\"os\": an optional sequence of tensors of\n"
     << " * the dtype and shape above, -1 dimensions taking any size). */\n"
     << "const char *" << n << "_input_nesting(int i);\n"
     << "const char *" << n << "_output_nesting(int i);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return s;
}

std::string glueText(const CodegenOptions &options, const GraphInfo &info) {
  const std::string &n = options.name;
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by kiln: the API of lib" << n << " over kiln's runtime. */\n"
     << "#include \"kiln_runtime.h\"\n#include \"" << n << ".h\"\n\n"
     << "int " << n << "_graph_run(const void *const *, void *const *, void *, const void *, void *);\n"
     << deviceDeclarations(info);
  bool embedded = options.embedWeights && info.weightsBytes;
  if (embedded)
    os << "extern const char " << n << "_weights_start[];\n";
  auto tensors = [&](const char *kind, const std::vector<TensorInfo> &list) {
    for (size_t i = 0; i < list.size(); ++i) {
      os << "static const int64_t " << kind << "_shape_" << i << "[] = {";
      llvm::interleaveComma(list[i].shape, os);
      if (list[i].shape.empty())
        os << "0";
      os << "};\n";
    }
    os << "static const kiln_tensor_desc " << kind << "s[] = {\n";
    for (size_t i = 0; i < list.size(); ++i)
      os << "  {\"" << list[i].name << "\", " << list[i].dtype << ", "
         << (list[i].anyRank ? -1 : int(list[i].shape.size())) << ", " << kind << "_shape_" << i << ", \""
         << list[i].nesting << "\"},\n";
    if (list.empty())
      os << "  {0, 0, 0, 0, 0},\n";
    os << "};\n";
  };
  tensors("input", info.inputs);
  tensors("output", info.outputs);
  os << "static const kiln_model_desc desc = {\"" << n << "\", "
     << info.inputs.size() << ", inputs, " << info.outputs.size()
     << ", outputs, " << info.arenaBytes << "ull, " << info.weightsBytes
     << "ull, " << (embedded ? n + "_weights_start" : std::string("0"))
     << ", \"" << n << ".weights\", " << n << "_graph_run, "
     << info.weightsFingerprint << "ull, " << deviceFields(info) << "};\n\n";
  os << "#define API __attribute__((visibility(\"default\")))\n"
     << "API " << n << "_model *" << n << "_create(const char *weights_path) {\n"
     << "  return (" << n << "_model *)kiln_rt_create(&desc, weights_path);\n}\n"
     << "API void " << n << "_destroy(" << n << "_model *m) { kiln_rt_destroy((kiln_model *)m); }\n"
     << "API int " << n << "_run(" << n << "_model *m, const void *const *in, void *const *out) {\n"
     << "  return kiln_rt_run((kiln_model *)m, in, out);\n}\n"
     << "API const char *" << n << "_last_error(void) { return kiln_rt_last_error(); }\n"
     << "API int " << n << "_num_inputs(void) { return desc.num_inputs; }\n"
     << "API int " << n << "_num_outputs(void) { return desc.num_outputs; }\n";
  for (const char *kind : {"input", "output"}) {
    std::string count = std::string("desc.num_") + kind + "s";
    std::string list = std::string(kind) + "s";
    os << "API const char *" << n << "_" << kind << "_name(int i) { return i >= 0 && i < "
       << count << " ? " << list << "[i].name : 0; }\n"
       << "API int " << n << "_" << kind << "_dtype(int i) { return i >= 0 && i < "
       << count << " ? " << list << "[i].dtype : -1; }\n"
       << "API int " << n << "_" << kind << "_rank(int i) { return i >= 0 && i < "
       << count << " ? " << list << "[i].rank : -1; }\n"
       << "API const int64_t *" << n << "_" << kind << "_shape(int i) { return i >= 0 && i < "
       << count << " ? " << list << "[i].shape : 0; }\n"
       << "API const char *" << n << "_" << kind << "_nesting(int i) { return i >= 0 && i < "
       << count << " ? " << list << "[i].nesting : 0; }\n";
  }
  return s;
}

LogicalResult writeFile(Location loc, StringRef path, StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    return emitError(loc) << "cannot write '" << path << "': " << ec.message();
  out << text;
  return success();
}
} // namespace

FailureOr<OwningOpRef<ModuleOp>> emitObjects(ModuleOp module,
                                             const CodegenOptions &options,
                                             GraphInfo &info) {
  Location loc = module.getLoc();
  std::string dir = buildDir(options);
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return emitError(loc) << "cannot create '" << dir << "': " << ec.message();
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr("kiln.kernel") && !hasEmptyResult(func))
      ++info.kernels;
  FailureOr<TargetInfo> target = targetOf(loc, options);
  if (failed(target))
    return failure();
  FailureOr<std::string> specs = writeKernelSpecs(module, target->halide, options.name);
  if (failed(specs))
    return failure();
  std::string specPath = join(dir, "kernels.spec");
  if (failed(writeFile(loc, specPath, *specs)))
    return failure();
  std::string generator = join(options.toolsDir, "kiln-kernel-gen");
  std::vector<std::string> genArgs = {specPath, "--out-dir", dir};
  if (!options.kernelDumpDir.empty())
    genArgs.insert(genArgs.end(), {"--asm-dir", options.kernelDumpDir});
  if (options.threads > 0)
    genArgs.insert(genArgs.end(), {"--threads", std::to_string(options.threads)});
  if (options.q8ActivationBits != 8)
    genArgs.insert(genArgs.end(),
                   {"--activation-bits", std::to_string(options.q8ActivationBits)});
  if (module->hasAttr("kiln.llm"))
    genArgs.push_back("--strict-float"); // see tools/kiln-kernel-gen/main.cpp
  // For this machine's CPU, kernels may use AVX512-VNNI where it has it;
  // those need LLVM 19's code generator (see tools/kiln-kernel-gen/main.cpp):
  // the llc beside the LLVM kiln was built with, or $KILN_LLC (empty: none).
  const char *llcOverride = std::getenv("KILN_LLC");
  std::string llc = llcOverride ? llcOverride : KILN_LLC;
  if (target->halide == "host" && !llc.empty() && llvm::sys::fs::can_execute(llc))
    genArgs.insert(genArgs.end(), {"--vnni-llc", llc});
  if (failed(run(loc, generator, genArgs, "Halide kernel generation")))
    return failure();
  // The Halide runtime depends only on the target: generated once, cached
  // beside kiln's runtime object, and copied into each build.
  std::string cache = join(join(join(options.toolsDir, ".."), "lib"),
                           "halide_runtime_" + target->halide + ".o");
  if (!llvm::sys::fs::exists(cache)) {
    std::string partial = cache + ".partial-" + std::to_string(::getpid());
    if (failed(run(loc, generator,
                   {"--runtime", partial, "--target", target->halide},
                   "Halide runtime generation")))
      return failure();
    llvm::sys::fs::rename(partial, cache);
  }
  if (std::error_code ec = llvm::sys::fs::copy_file(cache, join(dir, "halide_runtime.o")))
    return emitError(loc) << "cannot copy the Halide runtime: " << ec.message();
  FailureOr<OwningOpRef<ModuleOp>> graph =
      buildOrchestration(module, options.name, info, target->deviceInterface);
  info.deviceName = target->gpuArch;
  if (failed(graph))
    return failure();
  if (failed(emitObjectFile(**graph, join(dir, "graph.o"), *target)))
    return failure();
  return graph;
}

/// The tokenizer blob (kiln_tokenizer.h) of the GGUF model at `path`.
static LogicalResult writeTokenizerBlob(Location loc, const std::string &path,
                                        std::string &blob) {
  std::string error;
  std::unique_ptr<gguf::File> file = gguf::File::open(path, error);
  if (!file)
    return emitError(loc) << "cannot reopen '" << path << "': " << error;
  if (!gguf::serializeTokenizer(*file, blob, error))
    return emitError(loc) << "'" << path << "': " << error;
  return success();
}

/// kiln_weights_fingerprint (runtime/kiln_fingerprint.c) of the first
/// `bytes` bytes of the file at `path`; 0 if it cannot be read.
static uint64_t weightsFingerprint(const std::string &path, uint64_t bytes) {
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, bytes, 0, /*IsVolatile=*/false);
  if (!buffer || (*buffer)->getBufferSize() != bytes)
    return 0;
  return kiln_weights_fingerprint(
      reinterpret_cast<const unsigned char *>((*buffer)->getBufferStart()), bytes);
}

LogicalResult emitLibrary(MLIRContext &context, const CodegenOptions &options,
                          const GraphInfo &graphInfo) {
  Location loc = FileLineColLoc::get(&context, options.outputDir, 0, 0);
  GraphInfo info = graphInfo;
  std::string weightsTarget = join(options.outputDir, options.name + ".weights");
  if (info.weightsBytes) {
    info.weightsFingerprint = weightsFingerprint(info.weightsPath, info.weightsBytes);
    llvm::SmallString<256> absolute(info.weightsPath);
    llvm::sys::fs::make_absolute(absolute);
    info.weightsFileName = llvm::sys::fs::equivalent(info.weightsPath, weightsTarget)
                               ? options.name + ".weights"
                               : std::string(absolute);
  }
  const std::string &n = options.name;
  std::string dir = buildDir(options);
  std::string runtimeDir = join(join(options.toolsDir, ".."), "lib");
  FailureOr<TargetInfo> target = targetOf(loc, options);
  if (failed(target))
    return failure();
  const std::string &cc = target->cc;
  std::string runtimeObject = join(runtimeDir, target->runtimeObject);
  if (!llvm::sys::fs::exists(runtimeObject))
    return emitError(loc) << "kiln's runtime for " << target->name << " was not built ('"
                          << runtimeObject << "' is missing; for aarch64, install "
                          << "gcc-aarch64-linux-gnu and rebuild kiln)";
  std::string header = join(options.outputDir, n + ".h");
  bool llm = info.llm.present;
  if (llm) {
    // The tokenizer travels inside the library, whatever the weights do.
    std::string blob;
    if (failed(writeTokenizerBlob(loc, options.modelPath, blob)) ||
        failed(writeFile(loc, join(dir, "tokenizer.bin"), blob)))
      return failure();
    std::string asmText = ".section .rodata\n.balign 16\n.globl " + n +
                          "_tokenizer_start\n.hidden " + n + "_tokenizer_start\n" +
                          n + "_tokenizer_start:\n.incbin \"" + join(dir, "tokenizer.bin") +
                          "\"\n.section .note.GNU-stack,\"\",@progbits\n";
    if (failed(writeFile(loc, join(dir, "tokenizer.S"), asmText)) ||
        failed(run(loc, cc,
                   {"-c", join(dir, "tokenizer.S"), "-o", join(dir, "tokenizer.o")},
                   "embedding the tokenizer")))
      return failure();
    info.llm.tokenizerBytes = blob.size();
  }
  if (failed(writeFile(loc, header, llm ? llmHeaderText(options, info)
                                        : headerText(options, info))) ||
      failed(writeFile(loc, join(dir, "api.c"),
                       llm ? llmGlueText(options, info) : glueText(options, info))))
    return failure();
  std::vector<std::string> objects;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (StringRef(it->path()).ends_with(".o"))
      objects.push_back(it->path());
  if (failed(run(loc, cc,
                 {"-c", "-O2", "-fPIC", "-fvisibility=hidden", "-I",
                  join(runtimeDir, "include"), "-I", options.outputDir,
                  join(dir, "api.c"), "-o", join(dir, "api.o")},
                 "compiling the API glue")))
    return failure();
  objects.push_back(join(dir, "api.o"));
  objects.push_back(runtimeObject);

  // Weights: embedded as a read-only section, or a file beside the library.
  if (info.weightsBytes) {
    if (options.embedWeights) {
      std::string asmText = ".section .rodata\n.balign 64\n.globl " + n +
                            "_weights_start\n.hidden " + n + "_weights_start\n" +
                            n + "_weights_start:\n.incbin \"" + info.weightsPath +
                            "\"\n.section .note.GNU-stack,\"\",@progbits\n";
      if (failed(writeFile(loc, join(dir, "weights.S"), asmText)) ||
          failed(run(loc, cc,
                     {"-c", join(dir, "weights.S"), "-o", join(dir, "weights.o")},
                     "embedding the weights")))
        return failure();
      objects.push_back(join(dir, "weights.o"));
    } else if (llm && info.weightsFileName != n + ".weights") {
      // The library maps the .gguf it was compiled from (recorded in it).
    } else if (info.weightsPath != weightsTarget) {
      if (std::error_code copy = llvm::sys::fs::copy_file(info.weightsPath, weightsTarget))
        return emitError(loc) << "cannot write '" << weightsTarget
                              << "': " << copy.message();
    }
  }

  // Only the API is exported; kernels, Halide's runtime and kiln's stay inside.
  std::string script = "{\n  global:\n";
  std::vector<std::string> exported =
      llm ? llmExports()
          : std::vector<std::string>{"create", "destroy", "run", "last_error",
                                     "num_inputs", "num_outputs", "input_name",
                                     "output_name", "input_dtype", "output_dtype",
                                     "input_rank", "output_rank", "input_shape",
                                     "output_shape", "input_nesting", "output_nesting"};
  for (const std::string &fn : exported)
    script += "    " + n + "_" + fn + ";\n";
  script += "  local: *;\n};\n";
  if (failed(writeFile(loc, join(dir, "exports.map"), script)))
    return failure();
  std::vector<std::string> link = {"-shared", "-o",
                                   join(options.outputDir, "lib" + n + ".so"),
                                   "-Wl,--version-script=" + join(dir, "exports.map"),
                                   "-Wl,-z,noexecstack", "-Wl,--as-needed"};
  link.insert(link.end(), objects.begin(), objects.end());
  for (const char *lib : {"-lm", "-lpthread", "-ldl"})
    link.push_back(lib);
  if (failed(run(loc, cc, link, "linking lib" + n + ".so")))
    return failure();
  std::string archive = join(options.outputDir, "lib" + n + ".a");
  llvm::sys::fs::remove(archive);
  std::vector<std::string> ar = {"rcs", archive};
  ar.insert(ar.end(), objects.begin(), objects.end());
  if (failed(run(loc, "ar", ar, "archiving lib" + n + ".a")))
    return failure();
  llvm::sys::fs::remove_directories(dir);
  return success();
}

std::string deviceDeclarations(const GraphInfo &info) {
  if (info.uploadSymbol.empty())
    return "";
  return "int " + info.uploadSymbol + "(const void *, void *);\n";
}

std::string deviceFields(const GraphInfo &info) {
  if (info.uploadSymbol.empty())
    return "0, 0, 0";
  return std::to_string(info.deviceSlots) + ", " + info.uploadSymbol + ", \"" +
         info.deviceName + "\"";
}

std::string headerGuard(StringRef name) {
  std::string upper;
  for (char c : name)
    upper += char(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

bool isCIdentifier(StringRef name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         cIdentifierName(name) == name;
}

std::string libraryNameFor(StringRef path) {
  // "1b-q4_0.gguf" gives model_1b_q4_0 (the API's functions are
  // <name>_create...).
  std::string name = cIdentifierName(llvm::sys::path::stem(path));
  return isCIdentifier(name) ? name : "model_" + name;
}

} // namespace kiln
