// Not valid kiln IR: an unknown op (input to driver tests).
func.func @f() {
  %0 = kiln.bogus
}
