// A matmul whose contracting dimensions differ (input to driver tests).
func.func @f(%a: tensor<4x8xf32>, %b: tensor<6x2xf32>) -> tensor<4x2xf32> {
  %0 = kiln.matmul %a, %b : (tensor<4x8xf32>, tensor<6x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
