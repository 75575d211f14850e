//===- LlamaGraph.cpp - llama-family GGUF models as kiln graphs -----------===//
//
// One table of supported architectures (what differs between llama, qwen2
// and qwen3: RoPE pairing, q/k/v biases, per-head q/k norms) and one graph
// builder for all of them. Hyper-parameters come from the `<arch>.*` keys;
// every problem (missing key, unsupported tensor type, wrong tensor shape,
// rope scaling kiln does not implement) is one error naming the key or
// tensor. The graph is built for a dynamic sequence length.
//
//===----------------------------------------------------------------------===//
#include "kiln/Import/Gguf.h"

#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Gguf/GgufFile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <map>

namespace kiln {
using namespace mlir;
namespace kd = mlir::kiln;

namespace {

struct ArchSpec {
  llvm::StringLiteral name;
  kd::RopeMode rope;
  bool qkvBias;   // qwen2: biases on the q/k/v projections
  bool qkNorm;    // qwen3: RMSNorm of each q/k head before RoPE
};

constexpr ArchSpec kArchitectures[] = {
    {"llama", kd::RopeMode::adjacent, false, false},
    {"qwen2", kd::RopeMode::half_split, true, false},
    {"qwen3", kd::RopeMode::half_split, false, true},
};

const ArchSpec *findArch(llvm::StringRef name) {
  for (const ArchSpec &arch : kArchitectures)
    if (arch.name == name)
      return &arch;
  return nullptr;
}

struct Hyper {
  int64_t context = 0, embedding = 0, blocks = 0, ffn = 0, heads = 0,
          kvHeads = 0, headDim = 0, ropeDims = 0, vocab = 0;
  double eps = 1e-5, ropeBase = 10000.0;
};

class LlamaBuilder {
public:
  LlamaBuilder(const gguf::File &file, llvm::StringRef path, MLIRContext &context)
      : file(file), path(path), context(context),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)) {}

  OwningOpRef<ModuleOp> build();

private:
  InFlightDiagnostic error() { return emitError(fileLoc); }
  LogicalResult readHyper();
  FailureOr<int64_t> requireInt(const std::string &key);
  /// A kiln.weight for tensor `name` with the expected logical shape
  /// (outermost first), or failure after an error.
  FailureOr<Value> weight(const std::string &name, ArrayRef<int64_t> shape,
                          bool floatOnly = false);
  bool hasTensor(const std::string &name) { return file.findTensor(name); }
  template <typename OpTy, typename... Args>
  FailureOr<Value> create(Location loc, Args &&...args);
  FailureOr<Value> linear(Location loc, Value x, const std::string &name,
                          int64_t out, int64_t in);
  FailureOr<Value> rmsNorm(Location loc, Value x, const std::string &name,
                           int64_t dim);
  Location at(const std::string &what) {
    return NameLoc::get(StringAttr::get(&context, what), fileLoc);
  }

  const gguf::File &file;
  std::string path;
  MLIRContext &context;
  Location fileLoc;
  const ArchSpec *arch = nullptr;
  Hyper hp;
  OwningOpRef<ModuleOp> module;
  OpBuilder builder{&context};
  std::string absolutePath;
  /// One declaration per tensor (a tied output reuses token_embd's).
  std::map<std::string, kd::WeightDeclOp> decls;
};

FailureOr<int64_t> LlamaBuilder::requireInt(const std::string &key) {
  std::optional<int64_t> value = file.getInt(key);
  if (!value) {
    error() << "'" << path << "': metadata key '" << key
            << (file.find(key) ? "' is not an integer" : "' is missing");
    return failure();
  }
  if (*value <= 0 || *value > (int64_t(1) << 31)) {
    error() << "'" << path << "': metadata '" << key << "' = " << *value
            << " is out of range";
    return failure();
  }
  return *value;
}

LogicalResult LlamaBuilder::readHyper() {
  std::string p = arch->name.str() + ".";
  auto get = [&](const char *key, int64_t &out) {
    FailureOr<int64_t> v = requireInt(p + key);
    if (failed(v))
      return false;
    out = *v;
    return true;
  };
  if (!get("context_length", hp.context) || !get("embedding_length", hp.embedding) ||
      !get("block_count", hp.blocks) || !get("feed_forward_length", hp.ffn) ||
      !get("attention.head_count", hp.heads))
    return failure();
  hp.kvHeads = hp.heads;
  if (file.find(p + "attention.head_count_kv") &&
      !get("attention.head_count_kv", hp.kvHeads))
    return failure();
  if (hp.heads % hp.kvHeads != 0)
    return error() << "'" << path << "': " << hp.heads
                   << " attention heads are not a multiple of " << hp.kvHeads
                   << " key/value heads";
  hp.headDim = hp.embedding / hp.heads;
  if (file.find(p + "attention.key_length") && !get("attention.key_length", hp.headDim))
    return failure();
  if (file.find(p + "attention.value_length")) {
    int64_t valueLength;
    if (!get("attention.value_length", valueLength))
      return failure();
    if (valueLength != hp.headDim)
      return error() << "'" << path << "': key length " << hp.headDim
                     << " and value length " << valueLength
                     << " differ; kiln supports equal ones";
  }
  hp.ropeDims = hp.headDim;
  if (file.find(p + "rope.dimension_count") && !get("rope.dimension_count", hp.ropeDims))
    return failure();
  if (hp.ropeDims > hp.headDim || hp.ropeDims % 2)
    return error() << "'" << path << "': rope.dimension_count " << hp.ropeDims
                   << " must be even and at most the head size " << hp.headDim;
  if (std::optional<double> eps = file.getFloat(p + "attention.layer_norm_rms_epsilon"))
    hp.eps = *eps;
  else
    return error() << "'" << path << "': metadata key '" << p
                   << "attention.layer_norm_rms_epsilon' is missing";
  if (std::optional<double> base = file.getFloat(p + "rope.freq_base"))
    hp.ropeBase = *base;
  if (!(hp.ropeBase > 0) || !(hp.eps >= 0))
    return error() << "'" << path << "': rope.freq_base and the norm epsilon "
                   << "must be positive";
  if (std::optional<std::string_view> scaling = file.getString(p + "rope.scaling.type"))
    if (*scaling != "none")
      return error() << "'" << path << "': RoPE scaling '" << *scaling
                     << "' is not supported yet";
  if (hasTensor("rope_freqs.weight"))
    return error() << "'" << path << "': tensor 'rope_freqs.weight' (llama 3 "
                   << "RoPE frequency factors) is not supported yet";
  const gguf::TensorInfo *embd = file.findTensor("token_embd.weight");
  if (!embd || embd->dims.size() != 2)
    return error() << "'" << path << "': tensor 'token_embd.weight' "
                   << (embd ? "must be 2-D" : "is missing");
  hp.vocab = embd->dims[1];
  return success();
}

FailureOr<Value> LlamaBuilder::weight(const std::string &name,
                                      ArrayRef<int64_t> shape, bool floatOnly) {
  const gguf::TensorInfo *info = file.findTensor(name);
  if (!info) {
    error() << "'" << path << "': tensor '" << name << "' is missing";
    return failure();
  }
  SmallVector<int64_t> logical(info->dims.rbegin(), info->dims.rend());
  if (ArrayRef<int64_t>(logical) != shape) {
    auto fmt = [](ArrayRef<int64_t> dims) {
      std::string s = "[";
      for (size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
      return s + "]";
    };
    error() << "'" << path << "': tensor '" << name << "' has shape "
            << fmt(logical) << ", expected " << fmt(shape)
            << " from the model's hyper-parameters";
    return failure();
  }
  Type element;
  switch (info->type) {
  case gguf::GGML_F32: element = builder.getF32Type(); break;
  case gguf::GGML_F16: element = builder.getF16Type(); break;
  case gguf::GGML_BF16: element = builder.getBF16Type(); break;
  default:
    if (std::optional<quant::BlockFormat> format =
            quant::formatFromGgmlType(info->type))
      element = kd::QuantType::get(&context, kd::fromBlockFormat(*format));
  }
  const gguf::GgmlTypeInfo *typeInfo = gguf::ggmlType(info->type);
  if (!element || (floatOnly && !element.isF32())) {
    error() << "'" << path << "': tensor '" << name << "' has type "
            << (typeInfo ? typeInfo->name : "?") << ", which kiln does not "
            << (floatOnly ? "support for this tensor (expected F32)"
                          : "support (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)");
    return failure();
  }
  auto type = RankedTensorType::get(logical, element);
  kd::WeightDeclOp &decl = decls[name];
  if (!decl) {
    // Declarations in the order tensors are first used, before @forward.
    OpBuilder moduleBuilder(module->getContext());
    moduleBuilder.setInsertionPoint(&module->getBody()->back());
    decl = moduleBuilder.create<kd::WeightDeclOp>(
        at(name), name, type, moduleBuilder.getStringAttr(absolutePath),
        moduleBuilder.getI64IntegerAttr(info->fileOffset));
  }
  return builder
      .create<kd::WeightOp>(at(name), type,
                            FlatSymbolRefAttr::get(decl.getSymNameAttr()))
      .getResult();
}

template <typename OpTy, typename... Args>
FailureOr<Value> LlamaBuilder::create(Location loc, Args &&...args) {
  auto op = builder.create<OpTy>(loc, TypeRange{builder.getNoneType()},
                                 std::forward<Args>(args)...);
  Operation *raw = op.getOperation();
  if (failed(kd::updateResultTypes(llvm::cast<InferTypeOpInterface>(raw)))) {
    raw->erase();
    return failure();
  }
  return raw->getResult(0);
}

FailureOr<Value> LlamaBuilder::linear(Location loc, Value x,
                                      const std::string &name, int64_t out,
                                      int64_t in) {
  FailureOr<Value> w = weight(name, {out, in});
  if (failed(w))
    return failure();
  if (getElementTypeOrSelf(w->getType()).isF32())
    return create<kd::MatmulOp>(loc, x, *w, builder.getUnitAttr());
  return create<kd::QuantizedMatmulOp>(loc, x, *w);
}

FailureOr<Value> LlamaBuilder::rmsNorm(Location loc, Value x,
                                       const std::string &name, int64_t dim) {
  FailureOr<Value> w = weight(name, {dim}, /*floatOnly=*/true);
  if (failed(w))
    return failure();
  return create<kd::RmsNormOp>(loc, x, *w,
                               builder.getF32FloatAttr(float(hp.eps)));
}

OwningOpRef<ModuleOp> LlamaBuilder::build() {
  std::optional<std::string_view> archName = file.getString("general.architecture");
  if (!archName) {
    error() << "'" << path << "': metadata key 'general.architecture' is missing";
    return nullptr;
  }
  arch = findArch(llvm::StringRef(archName->data(), archName->size()));
  if (!arch) {
    std::string known;
    for (const ArchSpec &a : kArchitectures)
      known += (known.empty() ? "" : ", ") + a.name.str();
    error() << "'" << path << "': architecture '" << *archName
            << "' is not supported (kiln supports " << known << ")";
    return nullptr;
  }
  if (failed(readHyper()))
    return nullptr;
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  absolutePath = absolute.str().str();

  module = ModuleOp::create(fileLoc);
  Type i32 = builder.getI32Type(), f32 = builder.getF32Type();
  auto seqIds = RankedTensorType::get({ShapedType::kDynamic}, i32);
  auto logitsType = RankedTensorType::get({ShapedType::kDynamic, hp.vocab}, f32);
  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module->getBody());
  auto func = moduleBuilder.create<func::FuncOp>(
      fileLoc, "forward",
      builder.getFunctionType({seqIds, seqIds}, {logitsType}));
  func.setArgAttr(0, "kiln.name", builder.getStringAttr("tokens"));
  func.setArgAttr(1, "kiln.name", builder.getStringAttr("positions"));
  func.setResultAttr(0, "kiln.name", builder.getStringAttr("logits"));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  Value tokens = body->getArgument(0), positions = body->getArgument(1);

  int64_t d = hp.embedding, hd = hp.headDim;
  FailureOr<Value> table = weight("token_embd.weight", {hp.vocab, d});
  if (failed(table))
    return nullptr;
  FailureOr<Value> x = create<kd::EmbeddingOp>(at("token_embd"), *table, tokens);
  if (failed(x))
    return nullptr;
  auto i64s = [&](ArrayRef<int64_t> v) { return builder.getDenseI64ArrayAttr(v); };
  auto ropeAttrs = [&]() {
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("mode", kd::RopeModeAttr::get(&context, arch->rope)),
        builder.getNamedAttr("base", builder.getF32FloatAttr(float(hp.ropeBase)))};
    if (hp.ropeDims != hd)
      attrs.push_back(builder.getNamedAttr("rotary_dims",
                                           builder.getI64IntegerAttr(hp.ropeDims)));
    return attrs;
  };

  for (int64_t layer = 0; layer < hp.blocks; ++layer) {
    std::string p = "blk." + std::to_string(layer) + ".";
    Location loc = at(p + "attention");
    FailureOr<Value> h = rmsNorm(at(p + "attn_norm"), *x, p + "attn_norm.weight", d);
    if (failed(h))
      return nullptr;
    struct Proj { const char *name; int64_t heads; Value out; };
    Proj projs[3] = {{"attn_q", hp.heads, {}}, {"attn_k", hp.kvHeads, {}},
                     {"attn_v", hp.kvHeads, {}}};
    for (Proj &proj : projs) {
      Location ploc = at(p + proj.name);
      FailureOr<Value> y = linear(ploc, *h, p + proj.name + ".weight",
                                  proj.heads * hd, d);
      if (failed(y))
        return nullptr;
      if (arch->qkvBias) {
        FailureOr<Value> bias = weight(p + proj.name + ".bias",
                                       {proj.heads * hd}, /*floatOnly=*/true);
        if (failed(bias) || failed(y = create<kd::AddOp>(ploc, *y, *bias)))
          return nullptr;
      }
      FailureOr<Value> shaped = create<kd::ReshapeOp>(
          ploc, *y, i64s({1, -1, proj.heads, hd}));
      if (failed(shaped))
        return nullptr;
      proj.out = *shaped;
    }
    for (int i = 0; i < 2; ++i) {
      Proj &proj = projs[i];
      Location ploc = at(p + proj.name);
      if (arch->qkNorm) {
        std::string normName = p + proj.name + "_norm.weight";
        FailureOr<Value> normed = rmsNorm(ploc, proj.out, normName, hd);
        if (failed(normed))
          return nullptr;
        proj.out = *normed;
      }
      auto rope = builder.create<kd::RopeOp>(ploc, TypeRange{proj.out.getType()},
                                             ValueRange{proj.out, positions},
                                             ropeAttrs());
      proj.out = rope.getResult();
    }
    FailureOr<Value> attn = create<kd::AttentionOp>(
        loc, projs[0].out, projs[1].out, projs[2].out, Value(),
        builder.getUnitAttr(), FloatAttr());
    if (failed(attn))
      return nullptr;
    FailureOr<Value> merged =
        create<kd::ReshapeOp>(loc, *attn, i64s({-1, hp.heads * hd}));
    if (failed(merged))
      return nullptr;
    FailureOr<Value> o = linear(at(p + "attn_output"), *merged,
                                p + "attn_output.weight", d, hp.heads * hd);
    if (failed(o) || failed(x = create<kd::AddOp>(loc, *x, *o)))
      return nullptr;

    Location floc = at(p + "ffn");
    FailureOr<Value> f = rmsNorm(at(p + "ffn_norm"), *x, p + "ffn_norm.weight", d);
    if (failed(f))
      return nullptr;
    FailureOr<Value> gate, up, act, prod, down;
    if (failed(gate = linear(floc, *f, p + "ffn_gate.weight", hp.ffn, d)) ||
        failed(up = linear(floc, *f, p + "ffn_up.weight", hp.ffn, d)) ||
        failed(act = create<kd::SiluOp>(floc, *gate)) ||
        failed(prod = create<kd::MulOp>(floc, *act, *up)) ||
        failed(down = linear(floc, *prod, p + "ffn_down.weight", d, hp.ffn)) ||
        failed(x = create<kd::AddOp>(floc, *x, *down)))
      return nullptr;
  }
  FailureOr<Value> normed = rmsNorm(at("output_norm"), *x, "output_norm.weight", d);
  if (failed(normed))
    return nullptr;
  FailureOr<Value> logits = linear(at("output"), *normed,
                                   hasTensor("output.weight") ? "output.weight"
                                                              : "token_embd.weight",
                                   hp.vocab, d);
  if (failed(logits))
    return nullptr;
  builder.create<func::ReturnOp>(fileLoc, *logits);

  // Facts the KV-cache pass and the runtime need.
  auto i64 = [&](int64_t v) { return builder.getI64IntegerAttr(v); };
  std::optional<int64_t> bos = file.getInt("tokenizer.ggml.bos_token_id");
  std::optional<int64_t> eos = file.getInt("tokenizer.ggml.eos_token_id");
  module->getOperation()->setAttr(
      "kiln.llm",
      builder.getDictionaryAttr({
          builder.getNamedAttr("architecture", builder.getStringAttr(arch->name)),
          builder.getNamedAttr("context_length", i64(hp.context)),
          builder.getNamedAttr("vocab_size", i64(hp.vocab)),
          builder.getNamedAttr("layers", i64(hp.blocks)),
          builder.getNamedAttr("kv_heads", i64(hp.kvHeads)),
          builder.getNamedAttr("head_dim", i64(hd)),
          builder.getNamedAttr("bos", i64(bos.value_or(-1))),
          builder.getNamedAttr("eos", i64(eos.value_or(-1))),
          builder.getNamedAttr("gguf", builder.getStringAttr(absolutePath)),
      }));
  return std::move(module);
}

} // namespace

OwningOpRef<ModuleOp> importGguf(llvm::StringRef path, MLIRContext &context) {
  context.loadDialect<func::FuncDialect, kd::KilnDialect>();
  std::string error;
  std::unique_ptr<gguf::File> file = gguf::File::open(path.str(), error);
  if (!file) {
    emitError(FileLineColLoc::get(&context, path, 0, 0))
        << "'" << path << "' is not a valid GGUF file: " << error;
    return nullptr;
  }
  return LlamaBuilder(*file, path, context).build();
}

} // namespace kiln
