//===- KilnBase.td - the kiln dialect, its enums and op base classes ------===//
//
// Declares the `kiln` dialect and the pieces every kiln op definition shares:
// enum attributes, tensor type constraints and the op base classes that give
// each family its traits (result-type inference, kernel family).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_BASE_TD
#define KILN_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "kiln/Dialect/Kiln/KilnInterfaces.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let summary = "Tensor-level operations of transformer graphs, ONNX and GGUF alike";
  let description = [{
    The `kiln` dialect is the IR that kiln's importers produce and its passes
    transform. Values are builtin tensors; weights are references to external
    data (`kiln.weight_decl` / `kiln.weight`), never large inline constants.
    Quantized weights have GGUF's block formats as element types
    (`tensor<4096x4096x!kiln.q4_k>`), so a quantized matmul is visible in the
    IR. Every op infers its result type from its operands and attributes;
    results may be less refined (dynamic or unranked) until
    `kiln-infer-shapes` refines them.
  }];
  let cppNamespace = "::mlir::kiln";
  let useDefaultTypePrinterParser = 0;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    ::mlir::Type parseType(::mlir::DialectAsmParser &parser) const override;
    void printType(::mlir::Type type, ::mlir::DialectAsmPrinter &printer) const override;
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Kiln_QuantFormat : I32EnumAttr<"QuantFormat",
    "GGUF block quantization format", [
      I32EnumAttrCase<"q8_0", 0>,
      I32EnumAttrCase<"q4_0", 1>,
      I32EnumAttrCase<"q4_k", 2>,
      I32EnumAttrCase<"q6_k", 3>,
    ]> {
  let cppNamespace = "::mlir::kiln";
  let genSpecializedAttr = 0;
}
def Kiln_QuantFormatAttr : EnumAttr<Kiln_Dialect, Kiln_QuantFormat, "quant_format">;

def Kiln_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "elementwise comparison", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>,
    ]> {
  let cppNamespace = "::mlir::kiln";
  let genSpecializedAttr = 0;
}
def Kiln_ComparePredicateAttr
    : EnumAttr<Kiln_Dialect, Kiln_ComparePredicate, "compare_predicate">;

def Kiln_RopeMode : I32EnumAttr<"RopeMode", "how RoPE pairs the features", [
      // llama: features (2i, 2i+1) rotate together.
      I32EnumAttrCase<"adjacent", 0>,
      // GPT-NeoX / qwen2: features (i, i + d/2) rotate together.
      I32EnumAttrCase<"half_split", 1>,
    ]> {
  let cppNamespace = "::mlir::kiln";
  let genSpecializedAttr = 0;
}
def Kiln_RopeModeAttr : EnumAttr<Kiln_Dialect, Kiln_RopeMode, "rope_mode">;

def Kiln_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how GELU is computed", [
      I32EnumAttrCase<"none", 0>,   // x * Phi(x) with erf
      I32EnumAttrCase<"tanh", 1>,   // the tanh approximation
    ]> {
  let cppNamespace = "::mlir::kiln";
  let genSpecializedAttr = 0;
}
def Kiln_GeluApproximationAttr
    : EnumAttr<Kiln_Dialect, Kiln_GeluApproximation, "gelu_approximation">;

def Kiln_KernelFamily : I32EnumAttr<"KernelFamily",
    "the schedule family a kernel belongs to", [
      I32EnumAttrCase<"elementwise", 0>,
      I32EnumAttrCase<"matmul", 1>,
      I32EnumAttrCase<"reduction", 2>,
      I32EnumAttrCase<"normalization", 3>,
      I32EnumAttrCase<"attention", 4>,
      I32EnumAttrCase<"data_movement", 5>,
      I32EnumAttrCase<"quantization", 6>,
    ]> {
  let cppNamespace = "::mlir::kiln";
  let genSpecializedAttr = 0;
}
def Kiln_KernelFamilyAttr
    : EnumAttr<Kiln_Dialect, Kiln_KernelFamily, "kernel_family">;

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Kiln_QuantType : DialectType<Kiln_Dialect,
    CPred<"::llvm::isa<::mlir::kiln::QuantType>($_self)">,
    "GGUF block-quantized element", "::mlir::kiln::QuantType">;

def Kiln_StringType : DialectType<Kiln_Dialect,
    CPred<"::llvm::isa<::mlir::kiln::StringType>($_self)">,
    "text element", "::mlir::kiln::StringType">;

def Kiln_Float : AnyTypeOf<[F32, F16, BF16, F64]>;
def Kiln_Int : AnyTypeOf<[I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;
def Kiln_FloatTensor : TensorOf<[Kiln_Float]>;
def Kiln_NumericTensor : TensorOf<[Kiln_Float, Kiln_Int]>;
def Kiln_IndexTensor : TensorOf<[I32, I64]>;
def Kiln_BoolTensor : TensorOf<[I1]>;
def Kiln_AnyTensor : TensorOf<[Kiln_Float, Kiln_Int, I1]>;
def Kiln_QuantTensor : TensorOf<[Kiln_QuantType]>;
def Kiln_StringTensor : TensorOf<[Kiln_StringType]>;
// Weights a matmul reads in a storage type and computes on in f32:
// block-quantized, or 16-bit floats.
def Kiln_StoredWeightTensor : TensorOf<[Kiln_QuantType, F16, BF16]>;
// A weight or embedding table: float or block-quantized.
def Kiln_WeightTensor : TensorOf<[Kiln_Float, Kiln_Int, I1, Kiln_QuantType]>;

// An i64 attribute read back as a signed int64_t (axes may be negative).
def Kiln_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
    "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, traits>;

// Result types come from `inferReturnTypes(context, loc, adaptor, types)`,
// written in C++ beside the op. Inferred and declared types are compatible
// when element types match and shapes agree wherever both are known, so a
// result may stay less refined than its inferred type until shape inference.
def Kiln_InferResultType : InferTypeOpAdaptorBase<[{
  static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                      ::mlir::TypeRange actual) {
    return ::mlir::kiln::areRefinableTypes(inferred, actual);
  }
}]>;

// A tensor computation that becomes (part of) a generated kernel.
class Kiln_ComputeOp<string mnemonic, string family, list<Trait> traits = []>
    : Kiln_Op<mnemonic, !listconcat(traits,
          [Pure, Kiln_InferResultType, Kiln_KernelOpInterface])> {
  code kernelFamilyDecl = [{
    ::mlir::kiln::KernelFamily getKernelFamily() {
      return ::mlir::kiln::KernelFamily::}] # family # [{;
    }
  }];
  let extraClassDeclaration = kernelFamilyDecl;
}

#endif // KILN_BASE_TD
