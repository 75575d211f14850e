//===- KilnTypes.td - kiln's element and value types -----------------------===//
//
// `!kiln.q8_0`, `!kiln.q4_0`, `!kiln.q4_k`, `!kiln.q6_k`: element types whose
// storage is GGUF's block layout. A `tensor<N x K x !kiln.q4_0>` has N*K
// logical elements stored as N*K/32 blocks of 18 bytes; its innermost
// dimension must be a whole number of blocks. The block table itself lives in
// kiln/Quant/BlockFormat.h, shared with the GGUF reader and the quantizer.
// `!kiln.q4_0x32` (and q8_0x32, q4_kx32, q6_kx32) are the same blocks repacked by
// kiln-repack-weights: each run of 32 rows stored block by block, the rows'
// 32 scales and then their quants interleaved (docs/repacking.md).
//
// `!kiln.string` (ONNX STRING elements), `!kiln.sequence<T>` and
// `!kiln.optional<T>` (ONNX sequence and optional values) are the values no
// kernel computes on: the runtime formats and parses strings and copies
// sequences and optionals (runtime/kiln_values.c).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TYPES_TD
#define KILN_TYPES_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_QuantTypeDef : TypeDef<Kiln_Dialect, "Quant"> {
  let summary = "a GGUF block-quantized element (q8_0, q4_0, q4_k, q6_k; repacked: q4_0x32, q8_0x32, q4_kx32, q6_kx32)";
  let description = [{
    Written as the format name: `!kiln.q4_k`. Used as the element type of
    tensors whose innermost dimension is a multiple of the block size
    (32 for q8_0/q4_0, 256 for the K-quants).

    ```mlir
    kiln.weight_decl @"blk.0.ffn_up.weight" : tensor<1024x256x!kiln.q4_k>
    ```

    `interleave` > 1 (written as a suffix: `!kiln.q4_0x32`) marks weights
    that kiln-repack-weights stored for a CPU kernel: rows in groups of
    `interleave`, and for each block index the group's block scales
    followed by their quants with the rows innermost (kiln/Quant/Repack.h).
    The storage size is unchanged. Every format has a `x32` form; the tensor
    must be 2-D with a multiple of 32 rows.
  }];
  let typeName = "kiln.quant";
  let parameters = (ins EnumParameter<Kiln_QuantFormat>:$format, "unsigned":$interleave);
  let builders = [
    TypeBuilder<(ins "QuantFormat":$format), [{
      return $_get($_ctxt, format, 1u);
    }]>
  ];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The spelling: the format's name, with `x<interleave>` when repacked.
    std::string getName() const;
    /// Logical elements per block (32 or 256).
    int64_t getBlockElements() const;
    /// Bytes per block in GGUF's layout.
    int64_t getBlockBytes() const;
    /// Storage bytes of `elements` logical elements (a whole number of blocks).
    int64_t getStorageBytes(int64_t elements) const;
  }];
}

def Kiln_StringTypeDef : TypeDef<Kiln_Dialect, "String"> {
  let summary = "a text element (ONNX STRING)";
  let description = [{
    The element type of ONNX string tensors. A `tensor<3x4x!kiln.string>`
    is stored as 12 pointers to NUL-terminated UTF-8 strings. Only
    `kiln.format`, `kiln.parse` and graph inputs and outputs handle them.
  }];
  let typeName = "kiln.string";
  let mnemonic = "string";
}

def Kiln_SequenceTypeDef : TypeDef<Kiln_Dialect, "Sequence"> {
  let summary = "an ONNX sequence: any number of values of one type";
  let description = [{
    `!kiln.sequence<tensor<5xf32>>`. The element tensors may differ in the
    dimensions their type leaves dynamic. kiln passes sequences through a
    graph (`Identity`); no kernel computes on them.
  }];
  let typeName = "kiln.sequence";
  let mnemonic = "sequence";
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

def Kiln_OptionalTypeDef : TypeDef<Kiln_Dialect, "Optional"> {
  let summary = "an ONNX optional: a value of one type, or none";
  let description = [{
    `!kiln.optional<!kiln.sequence<tensor<5xf32>>>`. Like sequences, kiln
    passes optionals through a graph; no kernel computes on them.
  }];
  let typeName = "kiln.optional";
  let mnemonic = "optional";
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

#endif // KILN_TYPES_TD
