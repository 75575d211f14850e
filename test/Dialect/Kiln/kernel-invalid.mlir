// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @arg_count(%a: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.kernel' op has 1 inputs but its body takes 2 arguments}}
  %0 = kiln.kernel elementwise(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    kiln.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @arg_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.kernel' op input #0 has type 'tensor<4xf32>' but body argument #0 has type 'tensor<4xf16>'}}
  %0 = kiln.kernel elementwise(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf16>):
    kiln.yield %x : tensor<4xf16>
  }
  return
}

// -----

func.func @yield_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.kernel' op yields 'tensor<4xf32>' as result #0 of type 'tensor<8xf32>'}}
  %0 = kiln.kernel elementwise(%a) : (tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<4xf32>):
    kiln.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @captures(%a: tensor<4xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = kiln.kernel elementwise() : () -> tensor<4xf32> {
    // expected-error @+1 {{using value defined outside the region}}
    %e = kiln.exp %a : (tensor<4xf32>) -> tensor<4xf32>
    kiln.yield %e : tensor<4xf32>
  }
  return
}

// -----

func.func @unknown_family(%a: tensor<4xf32>) {
  // expected-error @+1 {{unknown kernel_family 'conv'}}
  %0 = kiln.kernel conv(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    kiln.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @yield_outside(%a: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.yield' op expects parent op 'kiln.kernel'}}
  kiln.yield %a : tensor<4xf32>
}
