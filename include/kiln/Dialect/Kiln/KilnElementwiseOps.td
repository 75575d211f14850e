//===- KilnElementwiseOps.td - elementwise arithmetic and activations -----===//
//
// Unary and binary elementwise ops. Binary ops broadcast numpy-style
// (trailing dimensions aligned; a dimension of 1 stretches). All of them land
// in the `elementwise` kernel family.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_ELEMENTWISE_OPS_TD
#define KILN_ELEMENTWISE_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

class Kiln_UnaryOp<string mnemonic, string formula,
                   TypeConstraint tensorType = Kiln_FloatTensor,
                   list<Trait> traits = []>
    : Kiln_ComputeOp<mnemonic, "elementwise", traits> {
  let summary = "elementwise " # formula;
  let description = "Computes `" # formula # "` for every element; the result "
    # "has the operand's type.\n\n```mlir\n%y = kiln." # mnemonic
    # " %x : (tensor<2x8xf32>) -> tensor<2x8xf32>\n```";
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_SqrtOp : Kiln_UnaryOp<"sqrt", "sqrt(x)">;
def Kiln_RsqrtOp : Kiln_UnaryOp<"rsqrt", "1 / sqrt(x)">;
def Kiln_ExpOp : Kiln_UnaryOp<"exp", "e^x">;
def Kiln_LogOp : Kiln_UnaryOp<"log", "ln(x)">;
def Kiln_ErfOp : Kiln_UnaryOp<"erf", "erf(x)">;
def Kiln_TanhOp : Kiln_UnaryOp<"tanh", "tanh(x)">;
def Kiln_SigmoidOp : Kiln_UnaryOp<"sigmoid", "1 / (1 + e^-x)">;
def Kiln_SiluOp : Kiln_UnaryOp<"silu", "x * sigmoid(x)">;
def Kiln_ReluOp : Kiln_UnaryOp<"relu", "max(x, 0)", Kiln_NumericTensor> {
  let hasFolder = 1;
}
def Kiln_NegOp : Kiln_UnaryOp<"neg", "-x", Kiln_NumericTensor> {
  let hasFolder = 1;
}
def Kiln_AbsOp : Kiln_UnaryOp<"abs", "|x|", Kiln_NumericTensor>;
def Kiln_SinOp : Kiln_UnaryOp<"sin", "sin(x)">;
def Kiln_CosOp : Kiln_UnaryOp<"cos", "cos(x)">;
def Kiln_TanOp : Kiln_UnaryOp<"tan", "tan(x)">;
def Kiln_AsinOp : Kiln_UnaryOp<"asin", "asin(x)">;
def Kiln_AcosOp : Kiln_UnaryOp<"acos", "acos(x)">;
def Kiln_AtanOp : Kiln_UnaryOp<"atan", "atan(x)">;
def Kiln_SinhOp : Kiln_UnaryOp<"sinh", "sinh(x)">;
def Kiln_CoshOp : Kiln_UnaryOp<"cosh", "cosh(x)">;
def Kiln_AsinhOp : Kiln_UnaryOp<"asinh", "asinh(x)">;
def Kiln_AcoshOp : Kiln_UnaryOp<"acosh", "acosh(x)">;
def Kiln_AtanhOp : Kiln_UnaryOp<"atanh", "atanh(x)">;
def Kiln_FloorOp : Kiln_UnaryOp<"floor", "floor(x)"> {
  let hasFolder = 1;
}
def Kiln_CeilOp : Kiln_UnaryOp<"ceil", "ceil(x)"> {
  let hasFolder = 1;
}
def Kiln_RoundOp : Kiln_UnaryOp<"round", "x rounded to the nearest integer, halves to even">;

def Kiln_GeluOp : Kiln_ComputeOp<"gelu", "elementwise"> {
  let summary = "elementwise GELU, exact (erf) or tanh-approximated";
  let description = [{
    `approximation = none` computes `x * 0.5 * (1 + erf(x / sqrt(2)))`;
    `tanh` computes `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))`.

    ```mlir
    %y = kiln.gelu %x {approximation = #kiln<gelu_approximation tanh>}
        : (tensor<8xf32>) -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input,
      DefaultValuedAttr<Kiln_GeluApproximationAttr,
                        "::mlir::kiln::GeluApproximation::none">:$approximation);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class Kiln_BinaryOp<string mnemonic, string formula,
                    TypeConstraint tensorType = Kiln_NumericTensor,
                    list<Trait> traits = []>
    : Kiln_ComputeOp<mnemonic, "elementwise", traits> {
  let summary = "elementwise " # formula # " with broadcasting";
  let description = "Computes `" # formula # "` elementwise. Both operands "
    # "have the same element type; shapes broadcast numpy-style.\n\n```mlir\n"
    # "%z = kiln." # mnemonic # " %x, %y : (tensor<2x8xf32>, tensor<8xf32>) "
    # "-> tensor<2x8xf32>\n```";
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Kiln_AddOp : Kiln_BinaryOp<"add", "lhs + rhs", Kiln_NumericTensor,
                               [Commutative]> {
  let hasFolder = 1;
}
def Kiln_SubOp : Kiln_BinaryOp<"sub", "lhs - rhs"> {
  let hasFolder = 1;
}
def Kiln_MulOp : Kiln_BinaryOp<"mul", "lhs * rhs", Kiln_NumericTensor,
                               [Commutative]> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}
def Kiln_DivOp : Kiln_BinaryOp<"div", "lhs / rhs"> {
  let hasFolder = 1;
}
def Kiln_PowOp : Kiln_BinaryOp<"pow", "lhs ^ rhs", Kiln_FloatTensor>;
def Kiln_MaxOp : Kiln_BinaryOp<"max", "max(lhs, rhs)", Kiln_NumericTensor,
                               [Commutative]>;
def Kiln_MinOp : Kiln_BinaryOp<"min", "min(lhs, rhs)", Kiln_NumericTensor,
                               [Commutative]>;

def Kiln_CompareOp : Kiln_ComputeOp<"compare", "elementwise"> {
  let summary = "elementwise comparison with broadcasting, giving i1";
  let description = [{
    ```mlir
    %m = kiln.compare lt, %a, %b : (tensor<4x4xi64>, tensor<4x1xi64>) -> tensor<4x4xi1>
    ```
  }];
  let arguments = (ins Kiln_ComparePredicateAttr:$predicate,
                       Kiln_AnyTensor:$lhs, Kiln_AnyTensor:$rhs);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat = [{
    custom<EnumKeyword>($predicate) `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Kiln_SelectOp : Kiln_ComputeOp<"select", "elementwise"> {
  let summary = "elementwise `cond ? on_true : on_false` with broadcasting";
  let description = [{
    ONNX `Where`. All three operands broadcast together.

    ```mlir
    %r = kiln.select %m, %x, %y
        : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_BoolTensor:$condition, Kiln_AnyTensor:$on_true,
                       Kiln_AnyTensor:$on_false);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = [{
    $condition `,` $on_true `,` $on_false attr-dict `:` functional-type(operands, results)
  }];
}

def Kiln_CastOp : Kiln_ComputeOp<"cast", "elementwise"> {
  let summary = "converts every element to another element type";
  let description = [{
    Float to float rounds to nearest even (with `truncate`, f32 to bf16
    drops the low 16 bits instead, as ONNX 1.12's Cast does), float to
    integer truncates toward zero, integer to float is exact where
    representable, anything to i1 compares with zero.

    ```mlir
    %h = kiln.cast %x to f16 : (tensor<8xf32>) -> tensor<8xf16>
    %b = kiln.cast %x to bf16 {truncate} : (tensor<8xf32>) -> tensor<8xbf16>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, TypeAttr:$to, UnitAttr:$truncate);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input `to` $to attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let builders = [
    // The usual conversion (no truncation).
    OpBuilder<(ins "::mlir::TypeRange":$types, "::mlir::Value":$input,
                   "::mlir::TypeAttr":$to), [{
      build($_builder, $_state, types, input, to, ::mlir::UnitAttr());
    }]>,
    OpBuilder<(ins "::mlir::Type":$type, "::mlir::Value":$input,
                   "::mlir::TypeAttr":$to), [{
      build($_builder, $_state, type, input, to, ::mlir::UnitAttr());
    }]>,
  ];
}

#endif // KILN_ELEMENTWISE_OPS_TD
