//===- KilnInterfaces.td - op interfaces of the kiln dialect --------------===//
//
// KernelOpInterface marks ops that compute on tensors and so end up inside a
// generated kernel; it tells which schedule family (matmul, elementwise,
// reduction, ...) the op belongs to. Kernel formation and, later, Halide
// code generation dispatch on it.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_INTERFACES_TD
#define KILN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Kiln_KernelOpInterface : OpInterface<"KernelOpInterface"> {
  let cppNamespace = "::mlir::kiln";
  let description = [{
    A tensor computation that code generation turns into a kernel. The
    family selects the schedule (one place per family and target).
  }];
  let methods = [
    InterfaceMethod<"The schedule family of this op.",
      "::mlir::kiln::KernelFamily", "getKernelFamily">,
  ];
}

#endif // KILN_INTERFACES_TD
