//===- RunCommand.cpp - `kiln run DIR --input NAME=FILE ...` --------------===//
//
// Loads lib<name>.so from a directory `kiln compile` wrote, reads each input
// from .npy or an ONNX TensorProto .pb (sequences and optionals from an ONNX
// SequenceProto / OptionalProto .pb), checks it against the library's
// declared dtype and shape, runs the model, writes every output as
// <output-dir>/<name>.npy (sequences and optionals as <name>.pb) and prints
// a one-line summary per output.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Npy.h"

#include "kiln/Import/Onnx.h"
#include "kiln_runtime.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <memory>
#include <optional>

namespace kiln {
namespace cl = llvm::cl;

namespace {
/// The machine an ELF shared object is for, when it is not this one's
/// (so dlopen's "No such file" for a foreign library gets a real reason).
std::optional<std::string> foreignMachine(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[20] = {};
  if (!in.read(reinterpret_cast<char *>(header), sizeof header) ||
      std::memcmp(header, "\x7f" "ELF", 4) != 0)
    return std::nullopt;
  unsigned machine = header[18] | header[19] << 8;
#if defined(__x86_64__)
  const unsigned host = 62; // EM_X86_64
#elif defined(__aarch64__)
  const unsigned host = 183; // EM_AARCH64
#else
  const unsigned host = machine;
#endif
  if (machine == host)
    return std::nullopt;
  return machine == 183 ? "aarch64" : machine == 62 ? "x86-64" : "machine " + std::to_string(machine);
}

/// The generated C API of one library, looked up by name.
struct LibraryApi {
  void *handle = nullptr;
  void *(*create)(const char *) = nullptr;
  void (*destroy)(void *) = nullptr;
  int (*run)(void *, const void *const *, void *const *) = nullptr;
  const char *(*lastError)() = nullptr;
  int (*numInputs)() = nullptr, (*numOutputs)() = nullptr;
  const char *(*inputName)(int) = nullptr, *(*outputName)(int) = nullptr;
  int (*inputDtype)(int) = nullptr, (*outputDtype)(int) = nullptr;
  int (*inputRank)(int) = nullptr, (*outputRank)(int) = nullptr;
  const int64_t *(*inputShape)(int) = nullptr, *(*outputShape)(int) = nullptr;
  // Libraries from before sequences and optionals have no nesting query.
  const char *(*inputNestingFn)(int) = nullptr, *(*outputNestingFn)(int) = nullptr;
  std::string inputNesting(int i) const {
    const char *n = inputNestingFn ? inputNestingFn(i) : nullptr;
    return n ? n : "";
  }
  std::string outputNesting(int i) const {
    const char *n = outputNestingFn ? outputNestingFn(i) : nullptr;
    return n ? n : "";
  }

  bool load(const std::string &path, const std::string &name,
            std::string &error) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      error = dlerror();
      return false;
    }
    bool ok = true;
    auto sym = [&](auto &fn, const char *suffix) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(handle, (name + "_" + suffix).c_str()));
      if (!fn) {
        ok = false;
        error = "it has no " + name + "_" + suffix + " (not a kiln library?)";
      }
    };
    sym(create, "create"); sym(destroy, "destroy"); sym(run, "run");
    sym(lastError, "last_error"); sym(numInputs, "num_inputs");
    sym(numOutputs, "num_outputs"); sym(inputName, "input_name");
    sym(outputName, "output_name"); sym(inputDtype, "input_dtype");
    sym(outputDtype, "output_dtype"); sym(inputRank, "input_rank");
    sym(outputRank, "output_rank"); sym(inputShape, "input_shape");
    sym(outputShape, "output_shape");
    inputNestingFn = reinterpret_cast<const char *(*)(int)>(
        dlsym(handle, (name + "_input_nesting").c_str()));
    outputNestingFn = reinterpret_cast<const char *(*)(int)>(
        dlsym(handle, (name + "_output_nesting").c_str()));
    return ok;
  }
};

constexpr int kString = 13;

/// Points a STRING tensor's data (one `const char *` per element) at its
/// strings.
void pointAtStrings(HostTensor &t) {
  t.data.assign(std::max<size_t>(t.strings.size() * sizeof(char *), 1), 0);
  for (size_t i = 0; i < t.strings.size(); ++i) {
    const char *p = t.strings[i].c_str();
    std::memcpy(t.data.data() + i * sizeof(char *), &p, sizeof(char *));
  }
}

/// kiln_values over a HostValue tree; the HostValue must outlive them.
class ValueView {
public:
  const kiln_value *build(HostValue &v) {
    values.push_back(std::make_unique<kiln_value>());
    kiln_value *out = values.back().get();
    *out = kiln_value{};
    out->kind = v.kind;
    if (v.kind == HostValue::Sequence) {
      items.push_back(std::make_unique<std::vector<kiln_value>>(v.items.size()));
      std::vector<kiln_value> &list = *items.back();
      for (size_t i = 0; i < v.items.size(); ++i)
        list[i] = *build(v.items[i]);
      out->count = int64_t(list.size());
      out->items = list.data();
    } else if (v.kind == HostValue::Tensor) {
      out->dtype = v.dtype;
      out->rank = int(v.shape.size());
      out->shape = v.shape.data();
      if (v.dtype == kString) {
        pointers.push_back(std::make_unique<std::vector<const char *>>());
        for (const std::string &s : v.strings)
          pointers.back()->push_back(s.c_str());
        out->data = pointers.back()->data();
      } else {
        out->data = v.bytes.data();
      }
    }
    return out;
  }

private:
  std::vector<std::unique_ptr<kiln_value>> values;
  std::vector<std::unique_ptr<std::vector<kiln_value>>> items;
  std::vector<std::unique_ptr<std::vector<const char *>>> pointers;
};

/// A library's output kiln_value as a HostValue.
HostValue fromValue(const kiln_value &v) {
  HostValue out;
  out.kind = v.kind;
  if (v.kind == KILN_VALUE_SEQUENCE) {
    for (int64_t i = 0; i < v.count; ++i)
      out.items.push_back(fromValue(v.items[i]));
  } else if (v.kind == KILN_VALUE_TENSOR) {
    out.dtype = v.dtype;
    out.shape.assign(v.shape, v.shape + v.rank);
    size_t count = 1;
    for (int64_t d : out.shape)
      count *= size_t(d);
    if (v.dtype == kString) {
      for (size_t i = 0; i < count; ++i)
        out.strings.push_back(static_cast<const char *const *>(v.data)[i]);
    } else {
      const char *p = static_cast<const char *>(v.data);
      out.bytes.assign(p, p + count * dtypeBytes(v.dtype));
    }
  }
  return out;
}

/// "sequence of 3" / "none" / a tensor's description, for the summary.
std::string describeValue(const HostValue &v) {
  if (v.kind == HostValue::None)
    return "none";
  if (v.kind == HostValue::Sequence)
    return "sequence of " + std::to_string(v.items.size());
  return describeTensor(v.dtype, v.shape);
}

/// "min .. max, mean" of a float32/float64/integer tensor, for the summary.
std::string summarize(const HostTensor &t) {
  if (t.dtype == kString)
    return t.strings.empty() ? "empty" : "\"" + t.strings.front() + "\" ...";
  size_t n = t.data.size() / std::max<size_t>(dtypeBytes(t.dtype), 1);
  if (n == 0)
    return "empty";
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (size_t i = 0; i < n; ++i) {
    double v;
    const char *p = t.data.data() + i * dtypeBytes(t.dtype);
    switch (t.dtype) {
    case 0: v = *reinterpret_cast<const float *>(p); break;
    case 3: v = *reinterpret_cast<const double *>(p); break;
    case 4: case 9: v = *reinterpret_cast<const uint8_t *>(p); break;
    case 5: v = *reinterpret_cast<const int8_t *>(p); break;
    case 6: v = *reinterpret_cast<const int16_t *>(p); break;
    case 7: v = *reinterpret_cast<const int32_t *>(p); break;
    case 8: v = double(*reinterpret_cast<const int64_t *>(p)); break;
    case 10: v = *reinterpret_cast<const uint16_t *>(p); break;
    case 11: v = *reinterpret_cast<const uint32_t *>(p); break;
    case 12: v = double(*reinterpret_cast<const uint64_t *>(p)); break;
    default: return "";
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "min " << llvm::format("%.6g", lo) << ", max "
     << llvm::format("%.6g", hi) << ", mean " << llvm::format("%.6g", sum / n);
  return s;
}

std::string safeFileName(std::string name) {
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.')
      c = '_';
  return name.empty() ? "output" : name;
}
} // namespace

int runRunCommand(int argc, char **argv) {
  cl::OptionCategory category("kiln run options");
  cl::opt<std::string> dir(cl::Positional, cl::Required,
                           cl::desc("<library directory from kiln compile>"),
                           cl::cat(category));
  cl::list<std::string> inputs(
      "input", cl::value_desc("NAME=FILE"), cl::cat(category),
      cl::desc("An input as .npy or ONNX TensorProto .pb; NAME may be left "
               "out to take the inputs in order"));
  cl::opt<std::string> outputDir("output-dir", cl::init("."),
                                 cl::value_desc("dir"), cl::cat(category),
                                 cl::desc("Where outputs are written as .npy"));
  cl::opt<unsigned> repeat(
      "repeat", cl::init(0), cl::value_desc("n"), cl::cat(category),
      cl::desc("Also run N more times and print the median time (benchmarks)"));
  cl::opt<std::string> weights(
      "weights", cl::value_desc("file"), cl::cat(category),
      cl::desc("Weights file for a library built with --weights=external "
               "(default: the one beside it)"));
  cl::OptionCategory llmCategory("kiln run options for language models");
  cl::opt<std::string> prompt("p", cl::value_desc("text"), cl::cat(llmCategory),
                              cl::desc("The prompt"));
  cl::opt<std::string> tokens("tokens", cl::value_desc("id,id,..."),
                              cl::cat(llmCategory),
                              cl::desc("The prompt as token ids"));
  cl::opt<unsigned> count("n", cl::init(32), cl::value_desc("N"),
                          cl::cat(llmCategory), cl::desc("Tokens to generate"));
  cl::opt<float> temperature("temp", cl::init(0.8f), cl::cat(llmCategory),
                             cl::desc("Sampling temperature (0: greedy)"));
  cl::opt<int> topK("top-k", cl::init(40), cl::cat(llmCategory),
                    cl::desc("Sample among the K most likely tokens (0: all)"));
  cl::opt<float> topP("top-p", cl::init(0.95f), cl::cat(llmCategory),
                      cl::desc("Sample among the most likely tokens holding "
                               "probability P (1: all)"));
  cl::opt<uint64_t> seed("seed", cl::init(0), cl::cat(llmCategory),
                         cl::desc("Random seed (same seed, same text)"));
  cl::opt<bool> greedy("greedy", cl::cat(llmCategory),
                       cl::desc("Always take the most likely token"));
  cl::opt<bool> printIds("print-ids", cl::cat(llmCategory),
                         cl::desc("Print generated token ids, not text"));
  cl::opt<std::string> logitsOut("logits-out", cl::value_desc("file.npy"),
                                 cl::cat(llmCategory),
                                 cl::desc("Write the logits after the prompt"));
  cl::opt<std::string> tokensOut("tokens-out", cl::value_desc("file"),
                                 cl::cat(llmCategory),
                                 cl::desc("Write the generated token ids"));
  cl::HideUnrelatedOptions({&category, &llmCategory});
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "runs a library built by kiln compile\n",
                                   &llvm::errs()))
    return 1;
  auto fail = [](const llvm::Twine &message) {
    llvm::errs() << "kiln run: error: " << message << "\n";
    return 1;
  };

  // The directory holds exactly one lib<name>.so.
  std::string library, name;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef file = llvm::sys::path::filename(it->path());
    if (file.starts_with("lib") && file.ends_with(".so")) {
      if (!library.empty())
        return fail("'" + dir + "' holds more than one library");
      library = it->path();
      name = file.drop_front(3).drop_back(3).str();
    }
  }
  if (ec)
    return fail("cannot read '" + dir + "': " + ec.message());
  if (library.empty())
    return fail("'" + dir + "' holds no lib<name>.so (run kiln compile -o " +
                dir + " first)");
  if (std::optional<std::string> machine = foreignMachine(library))
    return fail("'" + library + "' is a library for " + *machine +
                ", not this machine: run it there, or under emulation (docs/targets.md)");
  LibraryApi api;
  std::string error;
  if (void *probe = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (dlsym(probe, (name + "_prefill").c_str())) {
      GenerateOptions options;
      options.prompt = prompt;
      options.tokens = tokens;
      options.weights = weights;
      options.logitsOut = logitsOut;
      options.tokensOut = tokensOut;
      options.count = count;
      options.temperature = temperature;
      options.topK = topK;
      options.topP = topP;
      options.seed = seed;
      options.greedy = greedy;
      options.printIds = printIds;
      return runGenerate(probe, name, options);
    }
    dlclose(probe);
  }
  if (!api.load(library, name, error))
    return fail("cannot load '" + library + "': " + error);

  int numInputs = api.numInputs(), numOutputs = api.numOutputs();
  std::vector<HostTensor> values(numInputs);
  std::vector<HostValue> nested(numInputs); // sequence and optional inputs
  std::vector<bool> given(numInputs, false);
  int nextPositional = 0;
  for (const std::string &spec : inputs) {
    size_t eq = spec.find('=');
    std::string inputName = eq == std::string::npos ? "" : spec.substr(0, eq);
    std::string file = eq == std::string::npos ? spec : spec.substr(eq + 1);
    int index = -1;
    if (inputName.empty()) {
      index = nextPositional++;
    } else {
      for (int i = 0; i < numInputs; ++i)
        if (inputName == api.inputName(i))
          index = i;
      if (index < 0)
        return fail("the model has no input named '" + inputName + "'");
    }
    if (index >= numInputs)
      return fail("the model takes " + llvm::Twine(numInputs) + " inputs");
    HostTensor &t = values[index];
    std::string nesting = api.inputNesting(index);
    if (!nesting.empty()) {
      // Checked against the declared type by the library itself.
      if (!readOnnxValueFile(file, nesting, nested[index], error))
        return fail("input '" + llvm::Twine(api.inputName(index)) + "' from '" +
                    file + "': " + error);
      given[index] = true;
      continue;
    }
    bool ok = llvm::StringRef(file).ends_with(".npy")
                  ? readNpy(file, t, error)
                  : readOnnxTensorFile(file, t.dtype, t.shape, t.data, error, &t.strings);
    if (!ok)
      return fail("input '" + llvm::Twine(api.inputName(index)) + "' from '" +
                  file + "': " + error);
    std::vector<int64_t> expected(api.inputShape(index),
                                  api.inputShape(index) + api.inputRank(index));
    // ONNX's test data stores bfloat16 tensors as their uint16 bits.
    const int kBF16 = 2, kU16 = 10;
    if (t.dtype == kU16 && api.inputDtype(index) == kBF16)
      t.dtype = kBF16;
    if (t.dtype != api.inputDtype(index) || t.shape != expected)
      return fail("input '" + llvm::Twine(api.inputName(index)) +
                  "' must be " + describeTensor(api.inputDtype(index), expected) +
                  ", got " + describeTensor(t.dtype, t.shape) + " from '" +
                  file + "'");
    given[index] = true;
  }
  for (int i = 0; i < numInputs; ++i)
    if (!given[i])
      return fail("input '" + llvm::Twine(api.inputName(i)) + "' (" +
                  describeTensor(api.inputDtype(i),
                                 std::vector<int64_t>(api.inputShape(i),
                                                      api.inputShape(i) +
                                                          api.inputRank(i))) +
                  ") was not given");

  std::vector<HostTensor> outputs(numOutputs);
  std::vector<kiln_value> nestedOutputs(numOutputs);
  std::vector<const void *> inPtrs;
  std::vector<void *> outPtrs;
  ValueView views;
  for (int i = 0; i < numInputs; ++i) {
    HostTensor &t = values[i];
    if (!api.inputNesting(i).empty()) {
      inPtrs.push_back(views.build(nested[i]));
      continue;
    }
    if (t.dtype == kString)
      pointAtStrings(t);
    if (t.data.empty()) // an empty tensor still needs a valid pointer
      t.data.resize(1);
    inPtrs.push_back(t.data.data());
  }
  for (int i = 0; i < numOutputs; ++i) {
    if (!api.outputNesting(i).empty()) {
      outPtrs.push_back(&nestedOutputs[i]);
      continue;
    }
    HostTensor &t = outputs[i];
    t.dtype = api.outputDtype(i);
    t.shape.assign(api.outputShape(i), api.outputShape(i) + api.outputRank(i));
    size_t count = 1;
    for (int64_t d : t.shape)
      count *= size_t(d);
    t.data.assign(std::max<size_t>(count * dtypeBytes(t.dtype), 1), 0);
    outPtrs.push_back(t.data.data());
  }
  void *model = api.create(weights.empty() ? nullptr : weights.c_str());
  if (!model)
    return fail(llvm::Twine("cannot create the model: ") + api.lastError());
  auto start = std::chrono::steady_clock::now();
  int status = api.run(model, inPtrs.data(), outPtrs.data());
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  std::string message = status ? api.lastError() : "";
  std::vector<double> times;
  for (unsigned i = 0; i < repeat && !status; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    status = api.run(model, inPtrs.data(), outPtrs.data());
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - t0)
                        .count());
  }
  if (status && message.empty())
    message = api.lastError();
  // Output strings and values belong to the instance: read them first.
  std::vector<HostValue> nestedResults(numOutputs);
  for (int i = 0; i < numOutputs && !status; ++i) {
    if (!api.outputNesting(i).empty()) {
      nestedResults[i] = fromValue(nestedOutputs[i]);
    } else if (outputs[i].dtype == kString) {
      HostTensor &t = outputs[i];
      size_t count = t.data.size() / sizeof(char *);
      for (size_t k = 0; k < count; ++k) {
        const char *p;
        std::memcpy(&p, t.data.data() + k * sizeof(char *), sizeof(char *));
        t.strings.push_back(p ? p : "");
      }
    }
  }
  api.destroy(model);
  if (status)
    return fail("the model failed: " + message);

  if (std::error_code mk = llvm::sys::fs::create_directories(outputDir))
    return fail("cannot create '" + outputDir + "': " + mk.message());
  for (int i = 0; i < numOutputs; ++i) {
    std::string nesting = api.outputNesting(i);
    if (!nesting.empty()) {
      std::string path = outputDir + "/" + safeFileName(api.outputName(i)) + ".pb";
      if (!writeOnnxValueFile(path, nesting, nestedResults[i], error))
        return fail("cannot write '" + path + "': " + error);
      llvm::outs() << api.outputName(i) << ": " << describeValue(nestedResults[i])
                   << " -> " << path << "\n";
      continue;
    }
    std::string path = (outputDir + "/" + safeFileName(api.outputName(i)) + ".npy");
    if (!writeNpy(path, outputs[i], error))
      return fail("cannot write '" + path + "': " + error);
    llvm::outs() << api.outputName(i) << ": "
                 << describeTensor(outputs[i].dtype, outputs[i].shape) << " "
                 << summarize(outputs[i]) << " -> " << path << "\n";
  }
  llvm::outs() << "ran " << name << " in " << llvm::format("%.3f", ms)
               << " ms\n";
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    llvm::outs() << "median_ms " << llvm::format("%.4f", times[times.size() / 2])
                 << " over " << times.size() << " runs\n";
  }
  return 0;
}

} // namespace kiln
