// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @format_strings(%s: tensor<4x!kiln.string>) {
  // expected-error @+1 {{'kiln.format' op operand #0 must be tensor of}}
  %0 = kiln.format %s : (tensor<4x!kiln.string>) -> tensor<4x!kiln.string>
  return
}

// -----

func.func @parse_numbers(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.parse' op operand #0 must be tensor of text element values}}
  %0 = kiln.parse %x to f32 : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @parse_to_string(%s: tensor<4x!kiln.string>) {
  // expected-error @+2 {{'kiln.parse' op cannot parse text as '!kiln.string'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.parse %s to !kiln.string : (tensor<4x!kiln.string>) -> tensor<4xf32>
  return
}

// -----

func.func @shape_kept(%x: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.format' op inferred type(s) 'tensor<4x!kiln.string>' are incompatible with return type(s) of operation 'tensor<5x!kiln.string>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.format %x : (tensor<4xf32>) -> tensor<5x!kiln.string>
  return
}

// -----

// expected-error @+1 {{unknown kiln type 'strings'}}
func.func @bad_type(%x: tensor<4x!kiln.strings>) {
  return
}
