//===- KernelSpecWriter.cpp - outlined kernels as kernel-spec text --------===//
//
// Writes the format that tools/kiln-kernel-gen/KernelSpec.h documents. Op
// attributes are written generically (integers, floats, i64 lists, enums by
// name, types by spec name), so a new op needs no change here, only a
// builder in the generator.
//
//===----------------------------------------------------------------------===//
#include "kiln/Codegen/Codegen.h"

#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {
using namespace mlir;
using namespace mlir::kiln;

int dtypeOf(Type t) {
  if (t.isF32()) return 0;
  if (t.isF16()) return 1;
  if (t.isBF16()) return 2;
  if (t.isF64()) return 3;
  if (t.isInteger(1)) return 4;
  if (t.isSignlessInteger(8)) return 5;
  if (t.isSignlessInteger(16)) return 6;
  if (t.isSignlessInteger(32)) return 7;
  if (t.isSignlessInteger(64)) return 8;
  if (t.isUnsignedInteger(8)) return 9;
  if (t.isUnsignedInteger(16)) return 10;
  if (t.isUnsignedInteger(32)) return 11;
  if (t.isUnsignedInteger(64)) return 12;
  if (llvm::isa<mlir::kiln::StringType>(t)) return 13;
  return -1;
}

static const char *specType(Type t) {
  static const char *names[] = {"f32", "f16", "bf16", "f64", "i1",  "i8", "i16",
                                "i32", "i64", "u8",   "u16", "u32", "u64"};
  int dtype = dtypeOf(t);
  return dtype < 0 || dtype > 12 ? nullptr : names[dtype];
}

namespace {
class SpecWriter {
public:
  explicit SpecWriter(llvm::raw_ostream &os) : os(os) {}

  LogicalResult writeKernel(func::FuncOp func, StringRef symbol);

private:
  LogicalResult value(Operation *where, int id, Type type);
  LogicalResult attribute(Operation *op, NamedAttribute attr,
                          std::string &text);
  int idOf(Value v) { return ids.lookup(v); }

  llvm::raw_ostream &os;
  llvm::DenseMap<Value, int> ids;
};

LogicalResult SpecWriter::value(Operation *where, int id, Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return where->emitError("code generation needs static shapes, got ")
           << type;
  std::string quantName;
  if (auto quant = llvm::dyn_cast<QuantType>(tensor.getElementType()))
    quantName = quant.getName();
  const char *name = quantName.empty() ? specType(tensor.getElementType())
                                       : quantName.c_str();
  if (!name)
    return where->emitError("code generation does not support element type ")
           << tensor.getElementType() << " yet";
  os << name << " " << tensor.getRank();
  for (int64_t dim : tensor.getShape())
    os << " " << dim;
  return success();
}

LogicalResult SpecWriter::attribute(Operation *op, NamedAttribute attr,
                                    std::string &text) {
  llvm::raw_string_ostream out(text);
  out << attr.getName().getValue() << "=";
  Attribute a = attr.getValue();
  if (auto i = llvm::dyn_cast<IntegerAttr>(a))
    out << (i.getType().isInteger(1) ? int64_t(i.getValue().getBoolValue())
                                     : i.getValue().getSExtValue());
  else if (auto f = llvm::dyn_cast<FloatAttr>(a))
    out << llvm::format("%.9g", f.getValueAsDouble());
  else if (auto list = llvm::dyn_cast<DenseI64ArrayAttr>(a))
    llvm::interleave(list.asArrayRef(), out, ",");
  else if (llvm::isa<UnitAttr>(a))
    out << 1;
  else if (auto type = llvm::dyn_cast<TypeAttr>(a); type && specType(type.getValue()))
    out << specType(type.getValue());
  else if (auto e = llvm::dyn_cast<ComparePredicateAttr>(a))
    out << stringifyEnum(e.getValue());
  else if (auto e = llvm::dyn_cast<GeluApproximationAttr>(a))
    out << stringifyEnum(e.getValue());
  else if (auto e = llvm::dyn_cast<RopeModeAttr>(a))
    out << stringifyEnum(e.getValue());
  else
    return op->emitError("code generation cannot pass attribute '")
           << attr.getName() << "' to the kernel generator";
  return success();
}

LogicalResult SpecWriter::writeKernel(func::FuncOp func, StringRef symbol) {
  auto family = func->getAttrOfType<KernelFamilyAttr>("kiln.kernel");
  os << "kernel " << symbol << " " << stringifyEnum(family.getValue()) << "\n";
  ids.clear();
  int next = 0;
  for (BlockArgument arg : func.getArguments()) {
    int id = next++;
    ids[arg] = id;
    os << "value " << id << " ";
    if (failed(value(func, id, arg.getType())))
      return failure();
    os << "\ninput " << id << "\n";
  }
  for (Operation &op : func.getBody().front()) {
    if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        os << "output " << idOf(v) << "\n";
      continue;
    }
    if (op.getNumResults() != 1)
      return op.emitError("code generation expects single-result kernel ops");
    int id = next++;
    ids[op.getResult(0)] = id;
    if (auto constant = llvm::dyn_cast<ConstantOp>(op)) {
      auto data = llvm::dyn_cast<DenseElementsAttr>(constant.getValue());
      if (!data)
        return op.emitError("code generation needs dense constants");
      os << "const " << id << " ";
      if (failed(value(&op, id, constant.getType())))
        return failure();
      bool isSplat = data.isSplat();
      os << " " << (isSplat ? 1 : data.getNumElements());
      Type element = data.getElementType();
      auto values = data.getValues<Attribute>();
      for (int64_t i = 0, e = isSplat ? 1 : data.getNumElements(); i < e; ++i) {
        Attribute v = values[i];
        if (auto f = llvm::dyn_cast<FloatAttr>(v))
          os << " " << llvm::format("%.9g", f.getValueAsDouble());
        else if (element.isInteger(1))
          os << " " << (llvm::cast<IntegerAttr>(v).getValue().getBoolValue() ? 1 : 0);
        else
          os << " " << llvm::cast<IntegerAttr>(v).getValue().getSExtValue();
      }
      os << "\n";
      continue;
    }
    os << "value " << id << " ";
    if (failed(value(&op, id, op.getResult(0).getType())))
      return failure();
    os << "\nop " << id << " " << op.getName().stripDialect() << " "
       << op.getNumOperands();
    for (Value operand : op.getOperands())
      os << " " << idOf(operand);
    SmallVector<std::string> attrs;
    for (NamedAttribute attr : op.getAttrs()) {
      std::string text;
      if (failed(attribute(&op, attr, text)))
        return failure();
      attrs.push_back(text);
    }
    os << " " << attrs.size();
    for (const std::string &text : attrs)
      os << " " << text;
    os << "\n";
  }
  os << "end\n";
  return success();
}
} // namespace

bool hasEmptyResult(func::FuncOp kernel) {
  return llvm::any_of(kernel.getResultTypes(), [](Type type) {
    auto tensor = llvm::dyn_cast<RankedTensorType>(type);
    return tensor && tensor.hasStaticShape() && tensor.getNumElements() == 0;
  });
}

FailureOr<std::string> writeKernelSpecs(ModuleOp module,
                                        StringRef halideTarget,
                                        StringRef prefix) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "kiln-kernels 1\ntarget " << halideTarget << "\n";
  SpecWriter writer(os);
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr("kiln.kernel") && !hasEmptyResult(func))
      if (failed(writer.writeKernel(func, (prefix + "_" + func.getSymName()).str())))
        return failure();
  return text;
}

} // namespace kiln
