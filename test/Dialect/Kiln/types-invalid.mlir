// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{unknown kiln type 'q5_k' (the kiln types are string, sequence<T>, optional<T> and the block formats q8_0, q4_0, q4_k, q6_k, q4_0x32 and q8_0x32 when repacked)}}
func.func @unknown(%a: tensor<32x!kiln.q5_k>)

// -----

// expected-error @+1 {{unknown kiln type 'Q8_0'}}
func.func @case_matters(%a: tensor<32x!kiln.Q8_0>)

// -----

// Only Q4_0 and Q8_0 have a repacked layout, in groups of 32 rows.
// expected-error @+1 {{block format q4_k cannot be interleaved 32 rows at a time (only q4_0x32 and q8_0x32 exist)}}
func.func @repacked_q4_k(%a: tensor<64x256x!kiln.q4_kx32>)

// -----

// expected-error @+1 {{block format q4_0 cannot be interleaved 16 rows at a time (only q4_0x32 and q8_0x32 exist)}}
func.func @repacked_16(%a: tensor<64x32x!kiln.q4_0x16>)

// -----

// expected-error @+1 {{unknown kiln type 'q4_0xa'}}
func.func @repacked_junk(%a: tensor<64x32x!kiln.q4_0xa>)
