//===- KilnOps.h - the op classes of the kiln dialect ---------------------===//
#ifndef KILN_DIALECT_KILN_KILNOPS_H
#define KILN_DIALECT_KILN_KILNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "kiln/Dialect/Kiln/KilnDialect.h"
#include "kiln/Dialect/Kiln/KilnTypeUtils.h"

#define GET_OP_CLASSES
#include "kiln/Dialect/Kiln/KilnOps.h.inc"

namespace mlir::kiln {
/// Checks that a block-quantized tensor type has an innermost dimension of
/// whole blocks; `what` names the value in the message. Other types pass.
LogicalResult verifyQuantizedShape(std::optional<Location> loc,
                                   StringRef opName, Type type,
                                   const Twine &what);
} // namespace mlir::kiln

#endif // KILN_DIALECT_KILN_KILNOPS_H
