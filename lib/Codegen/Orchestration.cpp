//===- Orchestration.cpp - the entry function as LLVM-dialect code --------===//
//
// Lowers each entry function left by the `kernels` phase (kiln.weight,
// kiln.constant, calls of outlined kernels, kiln.kv_write, return) to one
// LLVM-dialect function with the kiln_run_fn signature:
//
//   i32 <name>_graph_run(ptr inputs, ptr outputs, ptr arena, ptr weights,
//                        ptr device)
//
// (`<name>_<entry>_run` when there are several entries, as for an LLM's
// prefill and decode). Arguments marked `kiln.state` (KV caches) are input
// buffers the kernels update in place: kiln.kv_write copies the new rows to
// row positions[0] of the cache, and results that return state are not
// outputs.
//
// Buffer planning: every kernel result lives either in the caller's output
// buffer (when it is returned) or in the arena, at an offset chosen so that
// buffers whose lifetimes do not overlap share memory. Each kernel call
// passes halide_buffer_t descriptors (dims from global tables) and returns
// early with the kernel's status when it fails.
//
// GPU targets: descriptors are not built on the stack but kept in the model
// instance's device slots (`device`, runtime/kiln_device.c), so the device
// memory Halide allocates for them lives across kernel calls and runs: one
// slot per weight and constant (uploaded by `<name>_upload` at create), per
// KV cache (shared by the entries), per input and output, and per arena
// range (values that share a range share its device memory). kv_write copies
// on the device; outputs are copied to the host at return.
//
//===----------------------------------------------------------------------===//
#include "kiln/Codegen/Codegen.h"

#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln_runtime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <map>

namespace kiln {
using namespace mlir;
using namespace mlir::kiln;

namespace {
constexpr uint64_t kAlignment = 64;

uint64_t alignUp(uint64_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

uint64_t byteSize(RankedTensorType type) {
  uint64_t elements = 1;
  for (int64_t dim : type.getShape())
    elements *= uint64_t(dim);
  if (llvm::isa<mlir::kiln::StringType>(type.getElementType()))
    return elements * 8; // one pointer per string
  if (auto quant = llvm::dyn_cast<mlir::kiln::QuantType>(type.getElementType()))
    return uint64_t(quant.getStorageBytes(int64_t(elements)));
  unsigned bits = type.getElementTypeBitWidth();
  return elements * (bits < 8 ? 1 : bits / 8);
}

/// The shape and element type a kernel sees: block-quantized tensors are
/// their raw bytes, [rows, bytes per row] of u8 ([rows / 32, 32 x bytes per
/// row] for the repacked q4_0x32, q8_0x32, q4_kx32, q6_kx32).
std::pair<std::vector<int64_t>, Type> bufferLayout(RankedTensorType type) {
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  auto quant = llvm::dyn_cast<mlir::kiln::QuantType>(type.getElementType());
  if (!quant)
    return {shape, type.getElementType()};
  int64_t rows = 1;
  for (size_t i = 0; i + 1 < shape.size(); ++i)
    rows *= shape[i];
  int64_t rowBytes = shape.back() / quant.getBlockElements() * quant.getBlockBytes();
  // Repacked weights: one buffer row per group of interleaved rows.
  int64_t group = quant.getInterleave();
  return {{rows / group, rowBytes * group},
          IntegerType::get(type.getContext(), 8, IntegerType::Unsigned)};
}

/// The innermost tensor type of a sequence or optional type, appending its
/// containers to `nesting` ("os": an optional sequence); `type` itself when
/// it is a tensor.
TensorType unwrapValueType(Type type, std::string &nesting) {
  while (true) {
    if (auto sequence = llvm::dyn_cast<mlir::kiln::SequenceType>(type)) {
      nesting += 's';
      type = sequence.getElementType();
    } else if (auto optional = llvm::dyn_cast<mlir::kiln::OptionalType>(type)) {
      nesting += 'o';
      type = optional.getElementType();
    } else {
      auto tensor = llvm::dyn_cast<TensorType>(type);
      if (tensor && nesting.empty() && !tensor.hasRank())
        return {}; // only a sequence's items may have any rank
      return tensor;
    }
  }
}

/// Whether values of `type` are ones only the runtime handles: strings,
/// sequences, optionals.
bool isRuntimeValue(Type type) {
  return llvm::isa<mlir::kiln::SequenceType, mlir::kiln::OptionalType>(type) ||
         llvm::isa<mlir::kiln::StringType>(getElementTypeOrSelf(type));
}

/// A TensorInfo of a graph input or output of `type` (dynamic dims of a
/// sequence's items become -1; items of any rank have rank -1).
TensorInfo tensorInfo(std::string name, TensorType tensor, std::string nesting) {
  TensorInfo t{std::move(name), dtypeOf(tensor.getElementType()), {}, std::move(nesting)};
  if (!tensor.hasRank()) {
    t.anyRank = true;
    return t;
  }
  for (int64_t d : tensor.getShape())
    t.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return t;
}

/// The node a location names ("node #0 (Cast, opset 13)"), for messages.
std::string locationText(Location loc, StringRef fallback) {
  if (auto named = llvm::dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return fallback.str();
}

/// halide_type_t {code, bits, lanes}: int 0, uint 1, float 2, bfloat 4.
std::pair<int, int> halideType(Type t) {
  if (t.isBF16()) return {4, 16};
  if (llvm::isa<FloatType>(t)) return {2, int(t.getIntOrFloatBitWidth())};
  if (t.isInteger(1)) return {1, 1};
  if (t.isUnsignedInteger()) return {1, int(t.getIntOrFloatBitWidth())};
  return {0, int(t.getIntOrFloatBitWidth())};
}

/// First-fit allocation of arena ranges, freed after a value's last use.
class ArenaPlanner {
public:
  uint64_t allocate(uint64_t bytes) {
    bytes = alignUp(std::max<uint64_t>(bytes, 1));
    for (auto it = free.begin(); it != free.end(); ++it) {
      if (it->second < bytes)
        continue;
      uint64_t offset = it->first;
      uint64_t remaining = it->second - bytes;
      free.erase(it);
      if (remaining)
        free[offset + bytes] = remaining;
      return offset;
    }
    uint64_t offset = top;
    top += bytes;
    return offset;
  }
  void release(uint64_t offset, uint64_t bytes) {
    bytes = alignUp(std::max<uint64_t>(bytes, 1));
    auto [it, inserted] = free.emplace(offset, bytes);
    (void)inserted;
    // Merge with the following and preceding free ranges.
    auto next = std::next(it);
    if (next != free.end() && it->first + it->second == next->first) {
      it->second += next->second;
      free.erase(next);
    }
    if (it != free.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == it->first) {
        prev->second += it->second;
        free.erase(it);
      }
    }
  }
  uint64_t size() const { return top; }

private:
  std::map<uint64_t, uint64_t> free; // offset -> bytes
  uint64_t top = 0;
};

class OrchestrationBuilder {
public:
  OrchestrationBuilder(ModuleOp source, StringRef name, GraphInfo &info,
                       StringRef deviceInterface)
      : source(source), name(name.str()), info(info),
        context(source.getContext()), deviceInterface(deviceInterface.str()) {}

  FailureOr<OwningOpRef<ModuleOp>> build();

private:
  LogicalResult buildEntry(func::FuncOp entry, EntryInfo &entryInfo);
  Type ptrType() { return LLVM::LLVMPointerType::get(context); }
  Value i32(OpBuilder &b, int64_t v) {
    return b.create<LLVM::ConstantOp>(loc, b.getI32Type(), b.getI32IntegerAttr(v));
  }
  Value i64(OpBuilder &b, int64_t v) {
    return b.create<LLVM::ConstantOp>(loc, b.getI64Type(), b.getI64IntegerAttr(v));
  }
  Value offsetPtr(OpBuilder &b, Value base, int64_t offset) {
    // An i64 value operand: GEP's constant indices hold fewer than 32 bits,
    // too few for offsets into weights of hundreds of megabytes.
    return b.create<LLVM::GEPOp>(loc, ptrType(), b.getI8Type(), base,
                                 ArrayRef<LLVM::GEPArg>{i64(b, offset)});
  }
  /// ptr array[index] of a `ptr *` argument.
  Value loadSlot(OpBuilder &b, Value array, int64_t index) {
    Value slot = b.create<LLVM::GEPOp>(loc, ptrType(), ptrType(), array,
                                       ArrayRef<LLVM::GEPArg>{LLVM::GEPArg(int32_t(index))});
    return b.create<LLVM::LoadOp>(loc, ptrType(), slot);
  }
  /// A global holding `bytes`; its symbol.
  std::string globalSymbol(StringRef prefix, StringRef bytes, bool isConstant);
  /// The halide_dimension_t table of `type`'s buffer layout (null for
  /// scalars) and its packed halide_type_t.
  Value dimTable(OpBuilder &b, RankedTensorType type);
  int64_t packedType(RankedTensorType type);
  int64_t rank(RankedTensorType type) { return int64_t(bufferLayout(type).first.size()); }
  /// The (type, dimensions, dim table) arguments of the kiln_dev_* calls.
  SmallVector<Value, 3> layoutArgs(OpBuilder &b, RankedTensorType type) {
    return {i32(b, packedType(type)), i32(b, rank(type)), dimTable(b, type)};
  }
  /// A stack halide_buffer_t for `host` with `type`'s shape.
  Value halideBuffer(OpBuilder &b, Value host, RankedTensorType type);

  // GPU targets (deviceInterface set): device slots, kiln_device.c.
  bool gpu() const { return !deviceInterface.empty(); }
  /// Declares `symbol` (i32 or ptr result) once.
  void declare(StringRef symbol, Type result, ArrayRef<Type> args);
  Value callRuntime(OpBuilder &b, StringRef symbol, Type result, ValueRange args);
  /// `if (status != 0) return status;` in `fn`.
  void returnOnFailure(OpBuilder &b, LLVM::LLVMFuncOp fn, Value status);
  Value slotPointer(OpBuilder &b, Value device, int slot) {
    return b.create<LLVM::GEPOp>(loc, ptrType(), bufferType, device,
                                 ArrayRef<LLVM::GEPArg>{LLVM::GEPArg(int32_t(slot))});
  }
  /// kiln_dev_bind(slot, host, type, dims, table, hostDirty, iface); returns
  /// from `fn` if it fails.
  void bindSlot(OpBuilder &b, LLVM::LLVMFuncOp fn, Value slot, Value host,
                RankedTensorType type, bool hostDirty, Value iface);
  void buildUpload();

  ModuleOp source;
  std::string name;
  GraphInfo &info;
  MLIRContext *context;
  Location loc = UnknownLoc::get(context);
  OwningOpRef<ModuleOp> target;
  int globals = 0;
  std::map<std::vector<int64_t>, std::string> dimTables;
  LLVM::LLVMStructType bufferType;
  std::string deviceInterface;
  int slotCount = 0;
  std::map<std::string, int> weightSlots;                      // by weight symbol
  std::map<int, int> stateSlots;                               // by state ordinal
  std::map<std::pair<uint64_t, uint64_t>, int> arenaSlots;     // by arena range
  struct Upload {
    int slot;
    std::optional<uint64_t> weightOffset; // else a constant's global
    std::string global;
    RankedTensorType type;
  };
  std::vector<Upload> uploads;
};

std::string OrchestrationBuilder::globalSymbol(StringRef prefix, StringRef bytes,
                                              bool isConstant) {
  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(target->getBody());
  std::string symbol = (prefix + "_" + Twine(globals++)).str();
  auto type = LLVM::LLVMArrayType::get(moduleBuilder.getI8Type(), bytes.size());
  moduleBuilder.create<LLVM::GlobalOp>(loc, type, isConstant,
                                       LLVM::Linkage::Internal, symbol,
                                       moduleBuilder.getStringAttr(bytes),
                                       kAlignment);
  return symbol;
}

Value OrchestrationBuilder::dimTable(OpBuilder &b, RankedTensorType type) {
  // halide_dimension_t {min, extent, stride, flags}, innermost first.
  auto shape = bufferLayout(type).first;
  if (shape.empty())
    return b.create<LLVM::ZeroOp>(loc, ptrType());
  std::string &symbol = dimTables[shape];
  if (symbol.empty()) {
    std::string bytes;
    int64_t stride = 1;
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      int32_t fields[4] = {0, int32_t(shape[d]), int32_t(stride), 0};
      bytes.append(reinterpret_cast<const char *>(fields), sizeof(fields));
      stride *= shape[d];
    }
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(target->getBody());
    symbol = "dims_" + std::to_string(dimTables.size());
    auto arrayType = LLVM::LLVMArrayType::get(moduleBuilder.getI8Type(), bytes.size());
    moduleBuilder.create<LLVM::GlobalOp>(loc, arrayType, /*isConstant=*/false,
                                         LLVM::Linkage::Internal, symbol,
                                         moduleBuilder.getStringAttr(bytes), 16);
  }
  return b.create<LLVM::AddressOfOp>(loc, ptrType(), symbol);
}

int64_t OrchestrationBuilder::packedType(RankedTensorType type) {
  // halide_type_t packed as i32: code | bits << 8 | lanes << 16.
  auto [code, bits] = halideType(bufferLayout(type).second);
  return code | (bits << 8) | (1 << 16);
}

void OrchestrationBuilder::declare(StringRef symbol, Type result, ArrayRef<Type> args) {
  if (target->lookupSymbol(symbol))
    return;
  OpBuilder declBuilder = OpBuilder::atBlockBegin(target->getBody());
  declBuilder.create<LLVM::LLVMFuncOp>(loc, symbol,
                                       LLVM::LLVMFunctionType::get(result, args));
}

Value OrchestrationBuilder::callRuntime(OpBuilder &b, StringRef symbol, Type result,
                                        ValueRange args) {
  SmallVector<Type> types;
  for (Value arg : args)
    types.push_back(arg.getType());
  declare(symbol, result, types);
  return b.create<LLVM::CallOp>(loc, result, symbol, args).getResult();
}

void OrchestrationBuilder::returnOnFailure(OpBuilder &b, LLVM::LLVMFuncOp fn,
                                           Value status) {
  Block *failBlock = fn.addBlock(), *next = fn.addBlock();
  Value failed = b.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, status, i32(b, 0));
  b.create<LLVM::CondBrOp>(loc, failed, failBlock, next);
  OpBuilder::atBlockEnd(failBlock).create<LLVM::ReturnOp>(loc, status);
  b.setInsertionPointToEnd(next);
}

void OrchestrationBuilder::bindSlot(OpBuilder &b, LLVM::LLVMFuncOp fn, Value slot,
                                    Value host, RankedTensorType type, bool hostDirty,
                                    Value iface) {
  SmallVector<Value> args{slot, host};
  args.append(layoutArgs(b, type));
  args.append({i32(b, hostDirty ? 1 : 0), iface});
  returnOnFailure(b, fn, callRuntime(b, "kiln_dev_bind", b.getI32Type(), args));
}

void OrchestrationBuilder::buildUpload() {
  info.uploadSymbol = name + "_upload";
  info.deviceSlots = slotCount;
  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(target->getBody());
  Type i32Type = moduleBuilder.getI32Type();
  auto fn = moduleBuilder.create<LLVM::LLVMFuncOp>(
      loc, info.uploadSymbol, LLVM::LLVMFunctionType::get(i32Type, {ptrType(), ptrType()}));
  Block *body = fn.addEntryBlock(moduleBuilder);
  OpBuilder b = OpBuilder::atBlockEnd(body);
  Value weights = body->getArgument(0), device = body->getArgument(1);
  Value iface = callRuntime(b, deviceInterface, ptrType(), {});
  for (const Upload &u : uploads) {
    Value host = u.weightOffset ? offsetPtr(b, weights, int64_t(*u.weightOffset))
                                : b.create<LLVM::AddressOfOp>(loc, ptrType(), u.global).getResult();
    SmallVector<Value> args{slotPointer(b, device, u.slot), host};
    args.append(layoutArgs(b, u.type));
    args.push_back(iface);
    returnOnFailure(b, fn, callRuntime(b, "kiln_dev_upload", i32Type, args));
  }
  b.create<LLVM::ReturnOp>(loc, i32(b, 0));
}

Value OrchestrationBuilder::halideBuffer(OpBuilder &b, Value host,
                                          RankedTensorType type) {
  Value dims = dimTable(b, type);
  // The buffer lives in the entry block's frame.
  OpBuilder allocaBuilder =
      OpBuilder::atBlockBegin(&b.getInsertionBlock()->getParent()->front());
  Value one = allocaBuilder.create<LLVM::ConstantOp>(loc, allocaBuilder.getI32Type(),
                                                     allocaBuilder.getI32IntegerAttr(1));
  Value buffer = allocaBuilder.create<LLVM::AllocaOp>(loc, ptrType(), bufferType, one, 16);
  auto field = [&](int index) {
    return b.create<LLVM::GEPOp>(loc, ptrType(), bufferType, buffer,
                                 ArrayRef<LLVM::GEPArg>{0, index});
  };
  b.create<LLVM::StoreOp>(loc, i64(b, 0), field(0));
  b.create<LLVM::StoreOp>(loc, b.create<LLVM::ZeroOp>(loc, ptrType()), field(1));
  b.create<LLVM::StoreOp>(loc, host, field(2));
  b.create<LLVM::StoreOp>(loc, i64(b, 0), field(3));
  b.create<LLVM::StoreOp>(loc, i32(b, packedType(type)), field(4));
  b.create<LLVM::StoreOp>(loc, i32(b, rank(type)), field(5));
  b.create<LLVM::StoreOp>(loc, dims, field(6));
  b.create<LLVM::StoreOp>(loc, b.create<LLVM::ZeroOp>(loc, ptrType()), field(7));
  return buffer;
}

FailureOr<OwningOpRef<ModuleOp>> OrchestrationBuilder::build() {
  SmallVector<func::FuncOp> entries;
  for (auto func : source.getOps<func::FuncOp>())
    if (!func->hasAttr("kiln.kernel") && !func.isExternal())
      entries.push_back(func);
  if (entries.empty())
    return source.emitError("no entry function to compile");

  target = ModuleOp::create(loc);
  Type ptr = ptrType();
  Type i64Type = IntegerType::get(context, 64), i32Type = IntegerType::get(context, 32);
  bufferType = LLVM::LLVMStructType::getLiteral(
      context, {i64Type, ptr, ptr, i64Type, i32Type, i32Type, ptr, ptr});
  for (func::FuncOp entry : entries) {
    EntryInfo entryInfo;
    entryInfo.name = entries.size() == 1 ? "graph" : entry.getSymName().str();
    entryInfo.symbol = name + "_" + entryInfo.name + "_run";
    if (failed(buildEntry(entry, entryInfo)))
      return failure();
    info.entries.push_back(std::move(entryInfo));
  }
  if (gpu())
    buildUpload();
  info.inputs = info.entries.front().inputs;
  info.outputs = info.entries.front().outputs;
  if (auto llm = source->getAttrOfType<DictionaryAttr>("kiln.llm")) {
    auto get = [&](StringRef key, int64_t fallback) {
      auto attr = llm.getAs<IntegerAttr>(key);
      return attr ? attr.getInt() : fallback;
    };
    if (info.entries.size() != 2 || info.entries[0].name != "prefill" ||
        info.entries[1].name != "decode")
      return source.emitError("an LLM library needs the prefill and decode "
                              "entries of kiln-kv-cache");
    LlmInfo &l = info.llm;
    l.present = true;
    l.ctx = get("ctx", 0);
    l.chunk = get("chunk", 0);
    l.capacity = get("capacity", 0);
    l.vocab = get("vocab_size", 0);
    l.bos = get("bos", -1);
    l.eos = get("eos", -1);
    l.allLogits = llm.get("all_logits") != nullptr;
    const EntryInfo &decode = info.entries[1];
    for (size_t i = 0; i < decode.inputs.size(); ++i) {
      if (!decode.stateInputs[i])
        continue;
      uint64_t bytes = decode.inputs[i].dtype == 1 ? 2 : 4; // f16 or f32
      for (int64_t d : decode.inputs[i].shape)
        bytes *= uint64_t(d);
      l.cacheBytes = std::max(l.cacheBytes, bytes);
      ++l.numCaches;
    }
  }
  return std::move(target);
}

LogicalResult OrchestrationBuilder::buildEntry(func::FuncOp entry,
                                               EntryInfo &entryInfo) {
  Type ptr = ptrType();
  Type i32Type = IntegerType::get(context, 32);
  // Graph inputs and outputs, for the C API.
  bool runtimeValues = false;
  entry.walk([&](Operation *op) {
    for (Type type : op->getOperandTypes())
      runtimeValues |= isRuntimeValue(type);
  });
  for (Type type : entry.getArgumentTypes())
    runtimeValues |= isRuntimeValue(type);
  if (runtimeValues && gpu())
    return entry.emitError("the model has string, sequence or optional values, "
                           "which kiln's GPU libraries do not handle; compile "
                           "it for a CPU target");
  for (auto [index, arg] : llvm::enumerate(entry.getArguments())) {
    std::string nesting;
    auto type = unwrapValueType(arg.getType(), nesting);
    if (!type || (nesting.empty() && !type.hasStaticShape()))
      return entry.emitError("input #")
             << index << " has type " << arg.getType()
             << "; kiln's libraries take static shapes (compile with the "
                "dimensions fixed)";
    auto nameAttr = entry.getArgAttrOfType<StringAttr>(index, "kiln.name");
    entryInfo.stateInputs.push_back(entry.getArgAttr(index, "kiln.state") != nullptr);
    entryInfo.inputs.push_back(
        tensorInfo(nameAttr ? nameAttr.str() : "input" + std::to_string(index), type, nesting));
  }
  auto ret = llvm::cast<func::ReturnOp>(entry.getBody().front().getTerminator());
  // Results that return updated state are not outputs; the rest are, in
  // order.
  llvm::DenseMap<Value, int> returnedAt;
  SmallVector<int> outputSlot(ret.getNumOperands(), -1);
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    if (entry.getResultAttr(index, "kiln.state"))
      continue;
    outputSlot[index] = int(entryInfo.outputs.size());
    returnedAt.try_emplace(value, outputSlot[index]);
    std::string nesting;
    auto type = unwrapValueType(value.getType(), nesting);
    if (!type || (nesting.empty() && !type.hasStaticShape()))
      return entry.emitError("output #") << index << " has a dynamic shape "
                                         << value.getType();
    if (!nesting.empty() && !llvm::isa<BlockArgument>(value))
      return entry.emitError("output #")
             << index << " is a sequence or optional computed in the graph; "
             << "kiln passes sequences and optionals through (Identity) but "
                "does not compute them";
    auto nameAttr = entry.getResultAttrOfType<StringAttr>(index, "kiln.name");
    entryInfo.outputs.push_back(
        tensorInfo(nameAttr ? nameAttr.str() : "output" + std::to_string(index), type, nesting));
  }

  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(target->getBody());
  auto fnType = LLVM::LLVMFunctionType::get(i32Type, {ptr, ptr, ptr, ptr, ptr});
  auto fn = moduleBuilder.create<LLVM::LLVMFuncOp>(loc, entryInfo.symbol, fnType);
  Block *body = fn.addEntryBlock(moduleBuilder);
  OpBuilder b = OpBuilder::atBlockEnd(body);
  Value inputs = body->getArgument(0), outputs = body->getArgument(1),
        arena = body->getArgument(2), weights = body->getArgument(3),
        device = body->getArgument(4);
  // GPU targets: each value's device slot, and the device interface.
  llvm::DenseMap<Value, Value> slots;
  Value iface = gpu() ? callRuntime(b, deviceInterface, ptr, {}) : Value();

  // Last use of every value, to free arena space after it.
  llvm::DenseMap<Value, Operation *> lastUse;
  for (Operation &op : entry.getBody().front())
    for (Value operand : op.getOperands())
      lastUse[operand] = &op;

  ArenaPlanner planner;
  llvm::DenseMap<Value, Value> pointers;
  llvm::DenseMap<Value, std::pair<uint64_t, uint64_t>> arenaRanges;
  llvm::DenseMap<StringRef, mlir::kiln::WeightDeclOp> decls;
  for (auto decl : source.getOps<mlir::kiln::WeightDeclOp>())
    decls[decl.getSymName()] = decl;

  int stateOrdinal = 0;
  for (auto [index, arg] : llvm::enumerate(entry.getArguments())) {
    pointers[arg] = loadSlot(b, inputs, index);
    if (!gpu())
      continue;
    auto type = llvm::cast<RankedTensorType>(arg.getType());
    if (entryInfo.stateInputs[index]) {
      // A KV cache: one slot per cache, shared by the entries.
      auto [it, fresh] = stateSlots.try_emplace(stateOrdinal++, slotCount);
      slotCount += fresh ? 1 : 0;
      Value slot = slotPointer(b, device, it->second);
      SmallVector<Value> args{slot, pointers[arg]};
      args.append(layoutArgs(b, type));
      returnOnFailure(b, fn, callRuntime(b, "kiln_dev_bind_state", i32Type, args));
      slots[arg] = slot;
    } else {
      slots[arg] = slotPointer(b, device, slotCount++);
      bindSlot(b, fn, slots[arg], pointers[arg], type, /*hostDirty=*/true, iface);
    }
  }

  // Where a computed value goes: its output buffer when returned (and so
  // not copied at the return), else an arena range.
  llvm::DenseSet<Value> inOutputBuffer;
  auto placeResult = [&](Value result) -> std::pair<Value, std::optional<std::pair<uint64_t, uint64_t>>> {
    auto returned = returnedAt.find(result);
    if (returned != returnedAt.end()) {
      inOutputBuffer.insert(result);
      return {loadSlot(b, outputs, returned->second), std::nullopt};
    }
    uint64_t bytes = byteSize(llvm::cast<RankedTensorType>(result.getType()));
    std::pair<uint64_t, uint64_t> range{planner.allocate(bytes), bytes};
    arenaRanges[result] = range;
    return {offsetPtr(b, arena, range.first), range};
  };
  // Operands whose last use `op` is give their arena space back.
  auto releaseOperands = [&](Operation *op) {
    for (Value operand : op->getOperands()) {
      auto range = arenaRanges.find(operand);
      if (range != arenaRanges.end() && lastUse.lookup(operand) == op) {
        planner.release(range->second.first, range->second.second);
        arenaRanges.erase(range);
      }
    }
  };

  for (Operation &op : entry.getBody().front()) {
    if (llvm::isa<mlir::kiln::FormatOp, mlir::kiln::ParseOp>(op)) {
      // Text: the runtime's formatter or parser (kiln_values.c).
      Value input = op.getOperand(0), result = op.getResult(0);
      auto inputType = llvm::cast<RankedTensorType>(input.getType());
      auto resultType = llvm::cast<RankedTensorType>(result.getType());
      if (!resultType.hasStaticShape())
        return op.emitError("text conversion of a dynamic shape ") << resultType;
      int64_t count = resultType.getNumElements();
      Value out = placeResult(result).first;
      pointers[result] = out;
      Value status;
      if (llvm::isa<mlir::kiln::FormatOp>(op)) {
        // The text lives in an arena range that is never reused, so the
        // strings outlive the run (until the instance's next run).
        uint64_t chars = planner.allocate(uint64_t(count) * KILN_FORMAT_BYTES);
        status = callRuntime(b, "kiln_rt_format", i32Type,
                             {i32(b, dtypeOf(inputType.getElementType())),
                              pointers.lookup(input), out, i64(b, count),
                              offsetPtr(b, arena, int64_t(chars))});
      } else {
        std::string where = locationText(op.getLoc(), "Cast from STRING");
        where.push_back('\0');
        std::string symbol = globalSymbol("where", where, /*isConstant=*/true);
        status = callRuntime(b, "kiln_rt_parse", i32Type,
                             {i32(b, dtypeOf(resultType.getElementType())),
                              pointers.lookup(input), out, i64(b, count),
                              b.create<LLVM::AddressOfOp>(loc, ptr, symbol)});
      }
      returnOnFailure(b, fn, status);
      releaseOperands(&op);
    } else if (auto weight = llvm::dyn_cast<mlir::kiln::WeightOp>(op)) {
      mlir::kiln::WeightDeclOp decl = decls.lookup(weight.getName());
      if (!decl || !decl.getSource() || !decl.getOffset())
        return op.emitError("weight ") << weight.getNameAttr()
                                       << " has no bytes to compile in";
      if (info.weightsPath.empty())
        info.weightsPath = decl.getSource()->str();
      else if (info.weightsPath != *decl.getSource())
        return op.emitError("weights from several files are not supported yet");
      info.weightsBytes = std::max<uint64_t>(
          info.weightsBytes, *decl.getOffset() + decl.getStorageBytes());
      pointers[weight] = offsetPtr(b, weights, *decl.getOffset());
      if (gpu()) {
        auto [it, fresh] = weightSlots.try_emplace(weight.getName().str(), slotCount);
        if (fresh)
          uploads.push_back({slotCount++, *decl.getOffset(), "",
                             llvm::cast<RankedTensorType>(weight.getType())});
        slots[weight] = slotPointer(b, device, it->second);
      }
    } else if (auto constant = llvm::dyn_cast<mlir::kiln::ConstantOp>(op)) {
      auto data = llvm::dyn_cast<DenseElementsAttr>(constant.getValue());
      if (!data || data.getElementType().isInteger(1))
        return op.emitError("only dense non-boolean constants can be graph values yet");
      auto type = llvm::cast<RankedTensorType>(constant.getType());
      std::string bytes;
      if (data.isSplat()) {
        ArrayRef<char> one = data.getRawData();
        for (uint64_t i = 0, n = byteSize(type) / one.size(); i < n; ++i)
          bytes.append(one.data(), one.size());
      } else {
        bytes.assign(data.getRawData().begin(), data.getRawData().end());
      }
      std::string symbol = globalSymbol("constant", bytes, /*isConstant=*/true);
      pointers[constant] = b.create<LLVM::AddressOfOp>(loc, ptr, symbol);
      if (gpu()) {
        uploads.push_back({slotCount, std::nullopt, symbol, type});
        slots[constant] = slotPointer(b, device, slotCount++);
      }
    } else if (auto call = llvm::dyn_cast<func::CallOp>(op)) {
      auto result = llvm::cast<RankedTensorType>(call.getResult(0).getType());
      auto [out, range] = placeResult(call.getResult(0));
      pointers[call.getResult(0)] = out;
      if (gpu()) {
        // An output has its own slot; values sharing an arena range share
        // its slot and so its device memory.
        int slot = slotCount;
        if (range)
          slot = arenaSlots.try_emplace(*range, slotCount).first->second;
        slotCount += slot == slotCount ? 1 : 0;
        slots[call.getResult(0)] = slotPointer(b, device, slot);
        bindSlot(b, fn, slots[call.getResult(0)], out, result, /*hostDirty=*/false, iface);
      }
      auto callee = source.lookupSymbol<func::FuncOp>(call.getCallee());
      if (callee && hasEmptyResult(callee))
        continue; // an empty tensor: nothing to compute
      SmallVector<Value> args;
      SmallVector<Type> argTypes;
      for (Value operand : call.getOperands()) {
        args.push_back(gpu() ? slots.lookup(operand)
                             : halideBuffer(b, pointers.lookup(operand),
                                            llvm::cast<RankedTensorType>(operand.getType())));
        argTypes.push_back(ptr);
      }
      args.push_back(gpu() ? slots.lookup(call.getResult(0)) : halideBuffer(b, out, result));
      argTypes.push_back(ptr);
      std::string symbol = name + "_" + call.getCallee().str();
      if (!target->lookupSymbol(symbol)) {
        OpBuilder declBuilder = OpBuilder::atBlockBegin(target->getBody());
        declBuilder.create<LLVM::LLVMFuncOp>(
            loc, symbol, LLVM::LLVMFunctionType::get(i32Type, argTypes));
      }
      ++info.kernelCalls;
      Value status = b.create<LLVM::CallOp>(loc, i32Type, symbol, args).getResult();
      returnOnFailure(b, fn, status);
      releaseOperands(call);
    } else if (auto kvWrite = llvm::dyn_cast<mlir::kiln::KVWriteOp>(op)) {
      // cache[positions[0] ..] = update, in place in the state buffer.
      auto arg = llvm::dyn_cast<BlockArgument>(kvWrite.getCache());
      if (!arg || !entry.getArgAttr(arg.getArgNumber(), "kiln.state") ||
          !kvWrite.getCache().hasOneUse())
        return kvWrite.emitError("code generation updates KV caches in place: "
                                 "the cache must be a kiln.state argument "
                                 "written once");
      auto update = llvm::cast<RankedTensorType>(kvWrite.getUpdate().getType());
      auto cache = llvm::cast<RankedTensorType>(kvWrite.getCache().getType());
      uint64_t rowBytes = byteSize(cache) / uint64_t(cache.getDimSize(1));
      Value cachePtr = pointers.lookup(kvWrite.getCache());
      Value first = b.create<LLVM::LoadOp>(loc, i32Type,
                                           pointers.lookup(kvWrite.getPositions()));
      Value row = b.create<LLVM::SExtOp>(loc, b.getI64Type(), first);
      Value offset = b.create<LLVM::MulOp>(loc, row, i64(b, int64_t(rowBytes)));
      if (gpu()) {
        Value args[] = {slots.lookup(kvWrite.getCache()), slots.lookup(kvWrite.getUpdate()),
                        offset, i64(b, int64_t(byteSize(update))), iface};
        returnOnFailure(b, fn, callRuntime(b, "kiln_dev_write_rows", i32Type, args));
        slots[kvWrite.getResult()] = slots.lookup(kvWrite.getCache());
      } else {
        Value dst = b.create<LLVM::GEPOp>(loc, ptr, b.getI8Type(), cachePtr,
                                          ArrayRef<LLVM::GEPArg>{offset});
        b.create<LLVM::MemcpyOp>(loc, dst, pointers.lookup(kvWrite.getUpdate()),
                                 i64(b, int64_t(byteSize(update))), false);
      }
      pointers[kvWrite.getResult()] = cachePtr;
      releaseOperands(kvWrite);
    } else if (auto retOp = llvm::dyn_cast<func::ReturnOp>(op)) {
      // Values not computed into their output buffer are copied there.
      for (auto [index, value] : llvm::enumerate(retOp.getOperands())) {
        if (outputSlot[index] < 0)
          continue; // updated state, already in place
        if (gpu()) // the value's newest contents to its host buffer
          returnOnFailure(b, fn, callRuntime(b, "kiln_dev_to_host", i32Type,
                                             {slots.lookup(value)}));
        if (inOutputBuffer.contains(value) && returnedAt.lookup(value) == outputSlot[index])
          continue;
        Value dst = loadSlot(b, outputs, outputSlot[index]);
        if (llvm::isa<mlir::kiln::SequenceType, mlir::kiln::OptionalType>(value.getType())) {
          // A sequence or optional passed through: the runtime copies it.
          returnOnFailure(b, fn, callRuntime(b, "kiln_rt_copy_value", i32Type,
                                             {pointers.lookup(value), dst}));
          continue;
        }
        uint64_t bytes = byteSize(llvm::cast<RankedTensorType>(value.getType()));
        b.create<LLVM::MemcpyOp>(loc, dst, pointers.lookup(value), i64(b, bytes), false);
      }
      b.create<LLVM::ReturnOp>(loc, i32(b, 0));
    } else {
      return op.emitError("code generation does not handle '")
             << op.getName() << "' in the entry function";
    }
  }
  info.arenaBytes = std::max(info.arenaBytes, planner.size());
  return success();
}
} // namespace

FailureOr<OwningOpRef<ModuleOp>> buildOrchestration(ModuleOp module,
                                                    StringRef name,
                                                    GraphInfo &info,
                                                    StringRef deviceInterface) {
  module.getContext()->loadDialect<LLVM::LLVMDialect>();
  return OrchestrationBuilder(module, name, info, deviceInterface).build();
}

} // namespace kiln
