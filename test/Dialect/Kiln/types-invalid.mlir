// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{unknown kiln type 'q5_k' (the kiln types are string, sequence<T>, optional<T> and the block formats q8_0, q4_0, q4_k, q6_k)}}
func.func @unknown(%a: tensor<32x!kiln.q5_k>)

// -----

// expected-error @+1 {{unknown kiln type 'Q8_0'}}
func.func @case_matters(%a: tensor<32x!kiln.Q8_0>)
