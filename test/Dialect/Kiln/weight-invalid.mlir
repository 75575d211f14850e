// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @undeclared() -> tensor<4xf32> {
  // expected-error @+1 {{refers to @missing, which is not a kiln.weight_decl in this module}}
  %0 = kiln.weight @missing : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

kiln.weight_decl @w : tensor<4x4xf32>
func.func @wrong_type() -> tensor<4x4xf16> {
  // expected-error @+1 {{result type 'tensor<4x4xf16>' differs from the declared type 'tensor<4x4xf32>' of @w}}
  %0 = kiln.weight @w : tensor<4x4xf16>
  return %0 : tensor<4x4xf16>
}

// -----

// expected-error @+1 {{weight 'dyn' must have a static shape, got 'tensor<?x4xf32>'}}
kiln.weight_decl @dyn : tensor<?x4xf32>

// -----

// expected-error @+1 {{weight 'neg' has negative byte offset -8}}
kiln.weight_decl @neg : tensor<4xf32> {source = "m.gguf", offset = -8 : i64}

// -----

// expected-error @+1 {{weight 'half' needs both 'source' and 'offset', or neither}}
kiln.weight_decl @half : tensor<4xf32> {source = "m.gguf"}

// -----

// expected-error @+1 {{weight 'q' has innermost dimension 48, which is not a multiple of the '!kiln.q8_0' block size 32}}
kiln.weight_decl @q : tensor<4x48x!kiln.q8_0>

// -----

// expected-error @+1 {{weight 'k' has innermost dimension 128, which is not a multiple of the '!kiln.q6_k' block size 256}}
kiln.weight_decl @k : tensor<128x!kiln.q6_k>

// -----

// expected-error @+1 {{weight 's' of block-quantized type 'tensor<!kiln.q4_0>' must have at least one dimension}}
kiln.weight_decl @s : tensor<!kiln.q4_0>

// -----

// A repacked weight is 2-D with whole groups of 32 rows.
// expected-error @+1 {{weight 'partial' of repacked type 'tensor<48x64x!kiln.q4_0x32>' must be 2-D with a multiple of 32 rows}}
kiln.weight_decl @partial : tensor<48x64x!kiln.q4_0x32>

// -----

// expected-error @+1 {{weight 'cube' of repacked type 'tensor<2x32x64x!kiln.q4_0x32>' must be 2-D with a multiple of 32 rows}}
kiln.weight_decl @cube : tensor<2x32x64x!kiln.q4_0x32>
