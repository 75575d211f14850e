// Input of repack-weights.mlir: no block-quantized weight, so nothing to repack.
module {
  kiln.weight_decl @h : tensor<32x64xf16> {source = "IN", offset = 0 : i64}
  kiln.weight_decl @wf : tensor<32x64xf32> {source = "IN", offset = 4096 : i64}
  func.func @f(%x: tensor<1x64xf32>) -> (tensor<1x32xf32>, tensor<1x32xf32>) {
    %h = kiln.weight @h : tensor<32x64xf16>
    %a = kiln.qmatmul %x, %h : (tensor<1x64xf32>, tensor<32x64xf16>) -> tensor<1x32xf32>
    %f = kiln.weight @wf : tensor<32x64xf32>
    %b = kiln.matmul %x, %f {transpose_rhs} : (tensor<1x64xf32>, tensor<32x64xf32>) -> tensor<1x32xf32>
    return %a, %b : tensor<1x32xf32>, tensor<1x32xf32>
  }
}
