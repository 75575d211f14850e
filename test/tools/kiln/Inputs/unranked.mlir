// An input whose shapes cannot be inferred (input to driver tests).
func.func @f(%x: tensor<*xf32>) -> tensor<*xf32> {
  %0 = kiln.exp %x : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
