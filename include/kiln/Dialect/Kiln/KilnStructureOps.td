//===- KilnStructureOps.td - weights, constants and kernel regions --------===//
//
// Ops that hold a graph together rather than compute: weight declarations
// and references (the bytes stay in the model file), small constants, and
// `kiln.kernel` regions that group the ops one generated kernel computes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_STRUCTURE_OPS_TD
#define KILN_STRUCTURE_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Kiln_WeightDeclOp : Kiln_Op<"weight_decl", [Symbol]> {
  let summary = "declares a named weight stored outside the IR";
  let description = [{
    A module-level entry of the weights table: the weight's name, its type
    and, once known, where its bytes live (`source` file and byte `offset`).
    The bytes never enter the IR, so printing the module of a multi-GB model
    stays small; the library emitter embeds or memory-maps them.

    ```mlir
    kiln.weight_decl @"blk.0.attn_q.weight" : tensor<64x64xf32>
        {source = "model.gguf", offset = 4096 : i64}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<AnyRankedTensor>:$type,
                       OptionalAttr<StrAttr>:$source,
                       OptionalAttr<Kiln_I64Attr>:$offset);
  let assemblyFormat = "$sym_name `:` $type attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getTensorType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getType());
    }
    /// Bytes the weight occupies in its source (block layout for quantized).
    int64_t getStorageBytes();
  }];
}

def Kiln_WeightOp : Kiln_Op<"weight",
    [Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the value of a declared weight";
  let description = [{
    Refers to a `kiln.weight_decl` of the enclosing module by name; the
    result type must equal the declared type.

    ```mlir
    %w = kiln.weight @"blk.0.attn_q.weight" : tensor<64x64xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs Kiln_WeightTensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

def Kiln_ConstantOp : Kiln_Op<"constant",
    [ConstantLike, Pure, Kiln_InferResultType]> {
  let summary = "a small constant tensor";
  let description = [{
    For scalars, shapes and small tables produced by folding or import.
    Weights use `kiln.weight` instead.

    ```mlir
    %c = kiln.constant dense<[1, 64]> : tensor<2xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
}

def Kiln_KernelOp : Kiln_Op<"kernel", [IsolatedFromAbove,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "a group of ops computed by one generated kernel";
  let description = [{
    Formed by `kiln-form-kernels` and grown by fusion passes. The region is
    isolated from above: its block arguments are the kernel's inputs, its
    `kiln.yield` operands its outputs. `family` picks the schedule.

    ```mlir
    %r = kiln.kernel matmul (%a, %b) : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32> {
    ^bb0(%x: tensor<4x8xf32>, %y: tensor<8x2xf32>):
      %m = kiln.matmul %x, %y : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
      kiln.yield %m : tensor<4x2xf32>
    }
    ```
  }];
  let arguments = (ins Kiln_KernelFamilyAttr:$family,
                       Variadic<Kiln_WeightTensor>:$inputs);
  let results = (outs Variadic<Kiln_AnyTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    custom<EnumKeyword>($family) `(` $inputs `)` attr-dict `:` functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def Kiln_YieldOp : Kiln_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"KernelOp">]> {
  let summary = "returns a kernel's results";
  let arguments = (ins Variadic<Kiln_AnyTensor>:$values);
  // The empty terminator SingleBlockImplicitTerminator inserts.
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, ::mlir::ValueRange()); }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // KILN_STRUCTURE_OPS_TD
