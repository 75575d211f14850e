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

#include "mlir/IR/OpImplementation.h"

namespace mlir::kiln {
/// Custom assembly for an enum attribute written as a bare keyword
/// (`kiln.compare lt, ...`, `kiln.quantize %x to q8_0`), used by the ops'
/// `custom<EnumKeyword>($attr)` directives.
template <typename AttrT>
ParseResult parseEnumKeyword(OpAsmParser &parser, AttrT &attr) {
  using EnumT = decltype(std::declval<AttrT>().getValue());
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<EnumT> value = symbolizeEnum<EnumT>(keyword);
  if (!value)
    return parser.emitError(loc) << "unknown " << AttrT::getMnemonic()
                                 << " '" << keyword << "'";
  attr = AttrT::get(parser.getContext(), *value);
  return success();
}

template <typename AttrT>
void printEnumKeyword(OpAsmPrinter &printer, Operation *, AttrT attr) {
  printer << stringifyEnum(attr.getValue());
}
} // namespace mlir::kiln

#define GET_OP_CLASSES
#include "kiln/Dialect/Kiln/KilnOps.h.inc"

namespace mlir::kiln {
/// Checks that a block-quantized tensor type has an innermost dimension of
/// whole blocks; `what` names the value in the message. Other types pass.
LogicalResult verifyQuantizedShape(std::optional<Location> loc,
                                   StringRef opName, Type type,
                                   const Twine &what);

/// The result types `op` infers from its current operands and attributes;
/// failure after the op's own error.
LogicalResult inferResultTypes(InferTypeOpInterface op,
                               SmallVectorImpl<Type> &types);
/// Sets `op`'s result types to the inferred ones (see inferResultTypes).
LogicalResult updateResultTypes(InferTypeOpInterface op);
} // namespace mlir::kiln

#endif // KILN_DIALECT_KILN_KILNOPS_H
