// The weights table: declarations carry type and location of the bytes;
// kiln.weight refers to them by name.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK: kiln.weight_decl @token_embd.weight : tensor<256x64xf32> {offset = 0 : i64, source = "model.gguf"}
kiln.weight_decl @"token_embd.weight" : tensor<256x64xf32> {source = "model.gguf", offset = 0 : i64}
// CHECK: kiln.weight_decl @blk.0.ffn_up.weight : tensor<128x256x!kiln.q4_k>{{$}}
kiln.weight_decl @"blk.0.ffn_up.weight" : tensor<128x256x!kiln.q4_k>

// CHECK-LABEL: func.func @use
func.func @use() -> (tensor<256x64xf32>, tensor<128x256x!kiln.q4_k>) {
  // CHECK: kiln.weight @token_embd.weight : tensor<256x64xf32>
  %0 = kiln.weight @"token_embd.weight" : tensor<256x64xf32>
  // CHECK: kiln.weight @blk.0.ffn_up.weight : tensor<128x256x!kiln.q4_k>
  %1 = kiln.weight @"blk.0.ffn_up.weight" : tensor<128x256x!kiln.q4_k>
  return %0, %1 : tensor<256x64xf32>, tensor<128x256x!kiln.q4_k>
}
