// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @gqa_ratio(%q: tensor<1x4x6x8xf32>, %k: tensor<1x4x4x8xf32>) {
  // expected-error @+2 {{'kiln.attention' op query heads (6) must be a multiple of key/value heads (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %k, %k : (tensor<1x4x6x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x6x8xf32>
  return
}

// -----

func.func @head_dim(%q: tensor<1x4x4x8xf32>, %k: tensor<1x4x4x16xf32>) {
  // expected-error @+2 {{'kiln.attention' op query head_dim 8 differs from key head_dim 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %k, %k : (tensor<1x4x4x8xf32>, tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return
}

// -----

func.func @kv_lengths(%q: tensor<1x4x4x8xf32>, %k: tensor<1x4x4x8xf32>, %v: tensor<1x5x4x8xf32>) {
  // expected-error @+2 {{'kiln.attention' op key 1x4x4x8 and value 1x5x4x8 differ in batch, length or head count}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %k, %v : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x5x4x8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @causal_too_many_queries(%q: tensor<1x8x4x8xf32>, %k: tensor<1x4x4x8xf32>) {
  // expected-error @+2 {{'kiln.attention' op causal attention with 8 queries needs at least as many keys, got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %k, %k {causal} : (tensor<1x8x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x8x4x8xf32>
  return
}

// -----

func.func @rank3(%q: tensor<4x4x8xf32>) {
  // expected-error @+2 {{'kiln.attention' op query must be [batch, seq, heads, head_dim], got 4x4x8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %q, %q : (tensor<4x4x8xf32>, tensor<4x4x8xf32>, tensor<4x4x8xf32>) -> tensor<4x4x8xf32>
  return
}

// -----

func.func @bad_scale(%q: tensor<1x4x4x8xf32>) {
  // expected-error @+2 {{'kiln.attention' op scale must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %q, %q {scale = 0.0 : f32} : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @rope_positions(%q: tensor<1x16x4x16xf32>, %pos: tensor<8xi32>) {
  // expected-error @+1 {{'kiln.rope' op has 8 positions for a sequence of 16}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>} : (tensor<1x16x4x16xf32>, tensor<8xi32>) -> tensor<1x16x4x16xf32>
  return
}

// -----

func.func @rope_odd_dims(%q: tensor<1x16x4x16xf32>, %pos: tensor<16xi32>) {
  // expected-error @+1 {{'kiln.rope' op rotary_dims must be positive and even, got 7}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>, rotary_dims = 7 : i64} : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
  return
}

// -----

func.func @rope_too_many_dims(%q: tensor<1x16x4x16xf32>, %pos: tensor<16xi32>) {
  // expected-error @+1 {{'kiln.rope' op rotary_dims 32 exceeds the head dimension 16}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode half_split>, rotary_dims = 32 : i64} : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
  return
}

// -----

func.func @rope_rank(%q: tensor<16x64xf32>, %pos: tensor<16xi32>) {
  // expected-error @+1 {{'kiln.rope' op input must be [batch, seq, heads, head_dim], got 16x64}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>} : (tensor<16x64xf32>, tensor<16xi32>) -> tensor<16x64xf32>
  return
}

// -----

func.func @rope_base(%q: tensor<1x16x4x16xf32>, %pos: tensor<16xi32>) {
  // expected-error @+1 {{'kiln.rope' op base must be positive, got -1}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>, base = -1.0 : f32} : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
  return
}

// -----

// INT64_MIN is MLIR's "dynamic" marker; as an attribute it is just invalid.
func.func @rope_min_dims(%q: tensor<1x4x4x8xf32>, %pos: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.rope' op rotary_dims must be positive and even, got -9223372036854775808}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>, rotary_dims = -9223372036854775808 : i64} : (tensor<1x4x4x8xf32>, tensor<4xi32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @rope_odd_head(%q: tensor<1x4x4x7xf32>, %pos: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.rope' op rotates the whole head, but head_dim 7 is odd}}
  %0 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>} : (tensor<1x4x4x7xf32>, tensor<4xi32>) -> tensor<1x4x4x7xf32>
  return
}

// -----

func.func @positions_and_causal(%q: tensor<1x2x4x8xf32>, %k: tensor<1x16x4x8xf32>, %pos: tensor<2xi32>) {
  // expected-error @+1 {{'kiln.attention' op takes either `causal` or `positions`, not both}}
  %0 = kiln.attention %q, %k, %k positions %pos {causal} : (tensor<1x2x4x8xf32>, tensor<1x16x4x8xf32>, tensor<1x16x4x8xf32>, tensor<2xi32>) -> tensor<1x2x4x8xf32>
  return
}

// -----

func.func @positions_count(%q: tensor<1x2x4x8xf32>, %k: tensor<1x16x4x8xf32>, %pos: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.attention' op has 3 positions for 2 queries}}
  %0 = kiln.attention %q, %k, %k positions %pos : (tensor<1x2x4x8xf32>, tensor<1x16x4x8xf32>, tensor<1x16x4x8xf32>, tensor<3xi32>) -> tensor<1x2x4x8xf32>
  return
}

// -----

func.func @f16_query_f32_cache(%q: tensor<1x2x4x8xf16>, %k: tensor<1x16x4x8xf32>) {
  // expected-error @+2 {{'kiln.attention' op key/value element type 'f32' must be the query's ('f16') or f16 under f32 queries}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.attention %q, %k, %k : (tensor<1x2x4x8xf16>, tensor<1x16x4x8xf32>, tensor<1x16x4x8xf32>) -> tensor<1x2x4x8xf16>
  return
}

// -----

func.func @kv_write_heads(%cache: tensor<1x64x2x8xf16>, %k: tensor<1x1x4x8xf16>, %pos: tensor<1xi32>) {
  // expected-error @+2 {{'kiln.kv_write' op update 1x1x4x8 does not fit cache 1x64x2x8 (batch, kv heads and head_dim must match)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.kv_write %cache, %k, %pos : (tensor<1x64x2x8xf16>, tensor<1x1x4x8xf16>, tensor<1xi32>) -> tensor<1x64x2x8xf16>
  return
}

// -----

func.func @kv_write_type(%cache: tensor<1x64x2x8xf16>, %k: tensor<1x1x2x8xf32>, %pos: tensor<1xi32>) {
  // expected-error @+2 {{'kiln.kv_write' op update element type 'f32' differs from the cache's 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.kv_write %cache, %k, %pos : (tensor<1x64x2x8xf16>, tensor<1x1x2x8xf32>, tensor<1xi32>) -> tensor<1x64x2x8xf16>
  return
}

// -----

func.func @kv_write_positions(%cache: tensor<1x64x2x8xf16>, %k: tensor<1x2x2x8xf16>, %pos: tensor<3xi32>) {
  // expected-error @+2 {{'kiln.kv_write' op has 3 positions for 2 rows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.kv_write %cache, %k, %pos : (tensor<1x64x2x8xf16>, tensor<1x2x2x8xf16>, tensor<3xi32>) -> tensor<1x64x2x8xf16>
  return
}
