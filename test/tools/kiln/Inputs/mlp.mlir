// A two-layer MLP with unranked intermediate types (input to driver tests).
func.func @mlp(%x: tensor<4x16xf32>, %w1: tensor<16x32xf32>, %w2: tensor<32x16xf32>) -> tensor<*xf32> {
  %h = kiln.matmul %x, %w1 : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<*xf32>
  %g = kiln.relu %h : (tensor<*xf32>) -> tensor<*xf32>
  %y = kiln.matmul %g, %w2 : (tensor<*xf32>, tensor<32x16xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
