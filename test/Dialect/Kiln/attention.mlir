// RoPE in both pairing modes and causal attention with grouped-query heads.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @rope
func.func @rope(%q: tensor<1x16x4x16xf32>, %pos: tensor<16xi32>) {
  // CHECK: kiln.rope %{{.*}}, %{{.*}} {mode = #kiln<rope_mode adjacent>} : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>} : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
  // CHECK: kiln.rope %{{.*}}, %{{.*}} {base = 1.000000e+06 : f32, mode = #kiln<rope_mode half_split>, rotary_dims = 8 : i64}
  %1 = kiln.rope %q, %pos {mode = #kiln<rope_mode half_split>, base = 1.0e6 : f32, rotary_dims = 8 : i64} : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
  return
}

// CHECK-LABEL: func.func @gqa
func.func @gqa(%q: tensor<1x16x8x16xf32>, %k: tensor<1x16x2x16xf32>, %v: tensor<1x16x2x16xf32>) -> tensor<1x16x8x16xf32> {
  // CHECK: kiln.attention %{{.*}}, %{{.*}}, %{{.*}} {causal} : (tensor<1x16x8x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>) -> tensor<1x16x8x16xf32>
  %0 = kiln.attention %q, %k, %v {causal} : (tensor<1x16x8x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>) -> tensor<1x16x8x16xf32>
  return %0 : tensor<1x16x8x16xf32>
}

// Decode: one query against a longer key sequence, explicit scale.
// CHECK-LABEL: func.func @decode_step
func.func @decode_step(%q: tensor<1x1x4x8xf16>, %k: tensor<1x32x4x8xf16>, %v: tensor<1x32x4x8xf16>) {
  // CHECK: kiln.attention %{{.*}}, %{{.*}}, %{{.*}} {causal, scale = 2.500000e-01 : f32}
  %0 = kiln.attention %q, %k, %v {causal, scale = 0.25 : f32} : (tensor<1x1x4x8xf16>, tensor<1x32x4x8xf16>, tensor<1x32x4x8xf16>) -> tensor<1x1x4x8xf16>
  return
}

// A decode step over an f16 KV cache (as kiln-kv-cache makes it): the new
// rows are written at their positions, and each query reads the cache up to
// its own position.
// CHECK-LABEL: func.func @cached_step
func.func @cached_step(%q: tensor<1x1x4x8xf32>, %k: tensor<1x1x2x8xf16>,
                       %cache: tensor<1x64x2x8xf16>, %pos: tensor<1xi32>) -> tensor<1x1x4x8xf32> {
  // CHECK: %[[C:.*]] = kiln.kv_write %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x64x2x8xf16>, tensor<1x1x2x8xf16>, tensor<1xi32>) -> tensor<1x64x2x8xf16>
  %c = kiln.kv_write %cache, %k, %pos : (tensor<1x64x2x8xf16>, tensor<1x1x2x8xf16>, tensor<1xi32>) -> tensor<1x64x2x8xf16>
  // CHECK: kiln.attention %{{.*}}, %[[C]], %[[C]] positions %{{.*}} : (tensor<1x1x4x8xf32>, tensor<1x64x2x8xf16>, tensor<1x64x2x8xf16>, tensor<1xi32>) -> tensor<1x1x4x8xf32>
  %0 = kiln.attention %q, %c, %c positions %pos : (tensor<1x1x4x8xf32>, tensor<1x64x2x8xf16>, tensor<1x64x2x8xf16>, tensor<1xi32>) -> tensor<1x1x4x8xf32>
  return %0 : tensor<1x1x4x8xf32>
}
