// One llama-style decoder block in kiln IR, as an importer would produce
// it: weights are references into a model file, result types are left for
// the `shapes` phase to infer, and the head split goes through a computed
// shape (ONNX exports do this). `scripts/demo` compiles it through every
// phase kiln has and prints each stage.
//
//   kiln compile docs/examples/tiny-llama-block.mlir --dump-phases-to=phases/

kiln.weight_decl @"blk.0.attn_norm.weight" : tensor<64xf32> {source = "tiny.gguf", offset = 0 : i64}
kiln.weight_decl @"blk.0.attn_q.weight" : tensor<64x64x!kiln.q8_0> {source = "tiny.gguf", offset = 256 : i64}
kiln.weight_decl @"blk.0.attn_k.weight" : tensor<32x64x!kiln.q8_0> {source = "tiny.gguf", offset = 4608 : i64}
kiln.weight_decl @"blk.0.attn_v.weight" : tensor<32x64x!kiln.q8_0> {source = "tiny.gguf", offset = 6784 : i64}
kiln.weight_decl @"blk.0.attn_output.weight" : tensor<64x64x!kiln.q8_0> {source = "tiny.gguf", offset = 8960 : i64}
kiln.weight_decl @"blk.0.ffn_norm.weight" : tensor<64xf32> {source = "tiny.gguf", offset = 13312 : i64}
kiln.weight_decl @"blk.0.ffn_gate.weight" : tensor<128x64x!kiln.q8_0> {source = "tiny.gguf", offset = 13568 : i64}
kiln.weight_decl @"blk.0.ffn_up.weight" : tensor<128x64x!kiln.q8_0> {source = "tiny.gguf", offset = 22272 : i64}
kiln.weight_decl @"blk.0.ffn_down.weight" : tensor<64x128x!kiln.q8_0> {source = "tiny.gguf", offset = 30976 : i64}

func.func @block(%x: tensor<1x8x64xf32>, %pos: tensor<8xi32>) -> tensor<*xf32> {
  // Attention: 4 query heads, 2 key/value heads (GQA), head_dim 16.
  %g1 = kiln.weight @"blk.0.attn_norm.weight" : tensor<64xf32>
  %n1 = kiln.rms_norm %x, %g1 {epsilon = 1.0e-5 : f32} : (tensor<1x8x64xf32>, tensor<64xf32>) -> tensor<*xf32>
  %wq = kiln.weight @"blk.0.attn_q.weight" : tensor<64x64x!kiln.q8_0>
  %wk = kiln.weight @"blk.0.attn_k.weight" : tensor<32x64x!kiln.q8_0>
  %wv = kiln.weight @"blk.0.attn_v.weight" : tensor<32x64x!kiln.q8_0>
  %q = kiln.qmatmul %n1, %wq : (tensor<*xf32>, tensor<64x64x!kiln.q8_0>) -> tensor<*xf32>
  %k = kiln.qmatmul %n1, %wk : (tensor<*xf32>, tensor<32x64x!kiln.q8_0>) -> tensor<*xf32>
  %v = kiln.qmatmul %n1, %wv : (tensor<*xf32>, tensor<32x64x!kiln.q8_0>) -> tensor<*xf32>
  // [batch, seq] from the input's shape, then the head split.
  %shape = kiln.shape_of %x : (tensor<1x8x64xf32>) -> tensor<3xi64>
  %bs = kiln.slice %shape {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 1>} : (tensor<3xi64>) -> tensor<2xi64>
  %heads = kiln.constant dense<[4, 16]> : tensor<2xi64>
  %kv_heads = kiln.constant dense<[2, 16]> : tensor<2xi64>
  %qshape = kiln.concat %bs, %heads {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  %kvshape = kiln.concat %bs, %kv_heads {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  %qh = kiln.dynamic_reshape %q, %qshape : (tensor<*xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %kh = kiln.dynamic_reshape %k, %kvshape : (tensor<*xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %vh = kiln.dynamic_reshape %v, %kvshape : (tensor<*xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %qr = kiln.rope %qh, %pos {mode = #kiln<rope_mode adjacent>, base = 1.0e4 : f32} : (tensor<?x?x?x?xf32>, tensor<8xi32>) -> tensor<*xf32>
  %kr = kiln.rope %kh, %pos {mode = #kiln<rope_mode adjacent>, base = 1.0e4 : f32} : (tensor<?x?x?x?xf32>, tensor<8xi32>) -> tensor<*xf32>
  %att = kiln.attention %qr, %kr, %vh {causal} : (tensor<*xf32>, tensor<*xf32>, tensor<?x?x?x?xf32>) -> tensor<*xf32>
  %merged = kiln.reshape %att {shape = array<i64: 1, 8, 64>} : (tensor<*xf32>) -> tensor<1x8x64xf32>
  %wo = kiln.weight @"blk.0.attn_output.weight" : tensor<64x64x!kiln.q8_0>
  %o = kiln.qmatmul %merged, %wo : (tensor<1x8x64xf32>, tensor<64x64x!kiln.q8_0>) -> tensor<*xf32>
  %h = kiln.add %x, %o : (tensor<1x8x64xf32>, tensor<*xf32>) -> tensor<*xf32>

  // Feed-forward: SwiGLU written as x * sigmoid(x), which canonicalizes to silu.
  %g2 = kiln.weight @"blk.0.ffn_norm.weight" : tensor<64xf32>
  %n2 = kiln.rms_norm %h, %g2 {epsilon = 1.0e-5 : f32} : (tensor<*xf32>, tensor<64xf32>) -> tensor<*xf32>
  %wg = kiln.weight @"blk.0.ffn_gate.weight" : tensor<128x64x!kiln.q8_0>
  %wu = kiln.weight @"blk.0.ffn_up.weight" : tensor<128x64x!kiln.q8_0>
  %wd = kiln.weight @"blk.0.ffn_down.weight" : tensor<64x128x!kiln.q8_0>
  %gate = kiln.qmatmul %n2, %wg : (tensor<*xf32>, tensor<128x64x!kiln.q8_0>) -> tensor<*xf32>
  %up = kiln.qmatmul %n2, %wu : (tensor<*xf32>, tensor<128x64x!kiln.q8_0>) -> tensor<*xf32>
  %sig = kiln.sigmoid %gate : (tensor<*xf32>) -> tensor<*xf32>
  %act = kiln.mul %gate, %sig : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %gu = kiln.mul %act, %up : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %down = kiln.qmatmul %gu, %wd : (tensor<*xf32>, tensor<64x128x!kiln.q8_0>) -> tensor<*xf32>
  %y = kiln.add %h, %down : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
