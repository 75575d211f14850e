// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{unknown kiln type 'q5_k' (the kiln types are string, sequence<T>, optional<T> and the block formats q8_0, q4_0, q4_k, q6_k, and q4_0x32, q8_0x32, q4_kx32, q6_kx32 when repacked)}}
func.func @unknown(%a: tensor<32x!kiln.q5_k>)

// -----

// expected-error @+1 {{unknown kiln type 'Q8_0'}}
func.func @case_matters(%a: tensor<32x!kiln.Q8_0>)

// -----

// Repacked layouts are groups of 32 rows.
// expected-error @+1 {{block format q6_k cannot be interleaved 64 rows at a time (only q4_0x32, q8_0x32, q4_kx32 and q6_kx32 exist)}}
func.func @repacked_q6_k(%a: tensor<64x256x!kiln.q6_kx64>)

// -----

// expected-error @+1 {{block format q4_0 cannot be interleaved 16 rows at a time (only q4_0x32, q8_0x32, q4_kx32 and q6_kx32 exist)}}
func.func @repacked_16(%a: tensor<64x32x!kiln.q4_0x16>)

// -----

// expected-error @+1 {{unknown kiln type 'q4_0xa'}}
func.func @repacked_junk(%a: tensor<64x32x!kiln.q4_0xa>)
