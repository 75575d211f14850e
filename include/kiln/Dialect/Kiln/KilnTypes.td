//===- KilnTypes.td - GGUF block-quantized element types ------------------===//
//
// `!kiln.q8_0`, `!kiln.q4_0`, `!kiln.q4_k`, `!kiln.q6_k`: element types whose
// storage is GGUF's block layout. A `tensor<N x K x !kiln.q4_0>` has N*K
// logical elements stored as N*K/32 blocks of 18 bytes; its innermost
// dimension must be a whole number of blocks. The block table itself lives in
// kiln/Quant/BlockFormat.h, shared with the GGUF reader and the quantizer.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TYPES_TD
#define KILN_TYPES_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_QuantTypeDef : TypeDef<Kiln_Dialect, "Quant"> {
  let summary = "a GGUF block-quantized element (q8_0, q4_0, q4_k, q6_k)";
  let description = [{
    Written as the format name: `!kiln.q4_k`. Used as the element type of
    tensors whose innermost dimension is a multiple of the block size
    (32 for q8_0/q4_0, 256 for the K-quants).

    ```mlir
    kiln.weight_decl @"blk.0.ffn_up.weight" : tensor<1024x256x!kiln.q4_k>
    ```
  }];
  let typeName = "kiln.quant";
  let parameters = (ins EnumParameter<Kiln_QuantFormat>:$format);
  let extraClassDeclaration = [{
    /// Logical elements per block (32 or 256).
    int64_t getBlockElements() const;
    /// Bytes per block in GGUF's layout.
    int64_t getBlockBytes() const;
    /// Storage bytes of `elements` logical elements (a whole number of blocks).
    int64_t getStorageBytes(int64_t elements) const;
  }];
}

#endif // KILN_TYPES_TD
