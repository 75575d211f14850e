// kiln-kv-cache: @forward becomes @prefill (chunk rows) and @decode (one
// row) over per-layer K/V caches of ctx + chunk - 1 rows, stored f16 per
// kv-head; attention reads the cache bounded by positions; the `last` row is
// selected before the final norm and output projection.
// RUN: kiln-opt %s --kiln-kv-cache="ctx=64 chunk=8" | FileCheck %s
// RUN: kiln-opt %s --kiln-kv-cache="ctx=64 chunk=8 cache-type=f32" | FileCheck %s --check-prefix=F32
// RUN: not kiln-opt %s --kiln-kv-cache="ctx=1000" 2>&1 | FileCheck %s --check-prefix=CTX
// RUN: not kiln-opt %s --kiln-kv-cache="cache-type=q8_0" 2>&1 | FileCheck %s --check-prefix=TYPE

module attributes {kiln.llm = {architecture = "llama", context_length = 256 : i64, vocab_size = 32 : i64}} {
  kiln.weight_decl @emb : tensor<32x16xf32> {source = "m.gguf", offset = 8192 : i64}
  kiln.weight_decl @wq : tensor<16x16xf32> {source = "m.gguf", offset = 0 : i64}
  kiln.weight_decl @wkv : tensor<8x16xf32> {source = "m.gguf", offset = 1024 : i64}
  kiln.weight_decl @norm : tensor<16xf32> {source = "m.gguf", offset = 2048 : i64}
  kiln.weight_decl @out : tensor<32x16xf32> {source = "m.gguf", offset = 4096 : i64}
  func.func @forward(%tokens: tensor<?xi32>, %pos: tensor<?xi32>) -> tensor<?x32xf32> {
    %emb = kiln.weight @emb : tensor<32x16xf32>
    %x = kiln.embedding %emb, %tokens : (tensor<32x16xf32>, tensor<?xi32>) -> tensor<?x16xf32>
    %wq = kiln.weight @wq : tensor<16x16xf32>
    %wkv = kiln.weight @wkv : tensor<8x16xf32>
    %q = kiln.matmul %x, %wq {transpose_rhs} : (tensor<?x16xf32>, tensor<16x16xf32>) -> tensor<?x16xf32>
    %k = kiln.matmul %x, %wkv {transpose_rhs} : (tensor<?x16xf32>, tensor<8x16xf32>) -> tensor<?x8xf32>
    %q4 = kiln.reshape %q {shape = array<i64: 1, -1, 4, 4>} : (tensor<?x16xf32>) -> tensor<1x?x4x4xf32>
    %k4 = kiln.reshape %k {shape = array<i64: 1, -1, 2, 4>} : (tensor<?x8xf32>) -> tensor<1x?x2x4xf32>
    %qr = kiln.rope %q4, %pos {mode = #kiln<rope_mode adjacent>} : (tensor<1x?x4x4xf32>, tensor<?xi32>) -> tensor<1x?x4x4xf32>
    %a = kiln.attention %qr, %k4, %k4 {causal} : (tensor<1x?x4x4xf32>, tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>) -> tensor<1x?x4x4xf32>
    %h = kiln.reshape %a {shape = array<i64: -1, 16>} : (tensor<1x?x4x4xf32>) -> tensor<?x16xf32>
    %r = kiln.add %x, %h : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32>
    %nw = kiln.weight @norm : tensor<16xf32>
    %n = kiln.rms_norm %r, %nw : (tensor<?x16xf32>, tensor<16xf32>) -> tensor<?x16xf32>
    %wo = kiln.weight @out : tensor<32x16xf32>
    %logits = kiln.matmul %n, %wo {transpose_rhs} : (tensor<?x16xf32>, tensor<32x16xf32>) -> tensor<?x32xf32>
    return %logits : tensor<?x32xf32>
  }
}

// CHECK: module attributes {kiln.llm = {architecture = "llama", capacity = 71 : i64, chunk = 8 : i64, context_length = 256 : i64, ctx = 64 : i64, vocab_size = 32 : i64}}
// CHECK-NOT: @forward
// CHECK-LABEL: func.func @prefill(
// CHECK-SAME: %[[X:.*]]: tensor<8xi32> {kiln.name = "tokens"}, %[[POS:.*]]: tensor<8xi32> {kiln.name = "positions"}, %[[LAST:.*]]: tensor<1xi32> {kiln.name = "last"},
// CHECK-SAME: %[[KC:.*]]: tensor<1x71x2x4xf16> {kiln.name = "k_cache.0", kiln.state}, %[[VC:.*]]: tensor<1x71x2x4xf16> {kiln.name = "v_cache.0", kiln.state})
// CHECK-SAME: -> (tensor<1x32xf32> {kiln.name = "logits"}, tensor<1x71x2x4xf16> {kiln.name = "k_cache.0", kiln.state = 3 : i64}, tensor<1x71x2x4xf16> {kiln.name = "v_cache.0", kiln.state = 4 : i64})
// CHECK: %[[K16:.*]] = kiln.cast %{{.*}} to f16 : (tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf16>
// CHECK: %[[KW:.*]] = kiln.kv_write %[[KC]], %[[K16]], %[[POS]] : (tensor<1x71x2x4xf16>, tensor<1x8x2x4xf16>, tensor<8xi32>) -> tensor<1x71x2x4xf16>
// CHECK: %[[VW:.*]] = kiln.kv_write %[[VC]], %{{.*}}, %[[POS]]
// CHECK: kiln.attention %{{.*}}, %[[KW]], %[[VW]] positions %[[POS]] : (tensor<1x8x4x4xf32>, tensor<1x71x2x4xf16>, tensor<1x71x2x4xf16>, tensor<8xi32>) -> tensor<1x8x4x4xf32>
// CHECK: %[[ROW:.*]] = kiln.gather %{{.*}}, %[[LAST]] : (tensor<8x16xf32>, tensor<1xi32>) -> tensor<1x16xf32>
// CHECK: kiln.rms_norm %[[ROW]], %{{.*}} : (tensor<1x16xf32>, tensor<16xf32>) -> tensor<1x16xf32>
// CHECK: %[[L:.*]] = kiln.matmul %{{.*}}, %{{.*}} {transpose_rhs} : (tensor<1x16xf32>, tensor<32x16xf32>) -> tensor<1x32xf32>
// CHECK: return %[[L]], %[[KW]], %[[VW]]
// CHECK-LABEL: func.func @decode(
// CHECK-SAME: tensor<1xi32> {kiln.name = "tokens"}, %{{.*}}: tensor<1xi32> {kiln.name = "positions"}
// CHECK: kiln.attention {{.*}} positions {{.*}} : (tensor<1x1x4x4xf32>, tensor<1x71x2x4xf16>

// F32: func.func @prefill({{.*}}tensor<1x71x2x4xf32> {kiln.name = "k_cache.0", kiln.state}
// F32-NOT: kiln.cast

// CTX: error: context length 1000 is not in 1..256 (the model's context_length)
// TYPE: error: KV cache type 'q8_0' is not f16 or f32
