// A symbolic batch dimension (input to driver tests).
func.func @f(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = kiln.relu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
