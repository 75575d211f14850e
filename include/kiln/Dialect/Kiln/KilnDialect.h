//===- KilnDialect.h - the kiln dialect, its types, enums, interfaces -----===//
//
// Include this to use the dialect's types and attributes; KilnOps.h adds the
// op classes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_KILNDIALECT_H
#define KILN_DIALECT_KILN_KILNDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "kiln/Dialect/Kiln/KilnEnums.h.inc"
#include "kiln/Dialect/Kiln/KilnDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Dialect/Kiln/KilnAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "kiln/Dialect/Kiln/KilnTypes.h.inc"

#include "kiln/Dialect/Kiln/KilnInterfaces.h.inc"

#include "kiln/Quant/BlockFormat.h"

namespace mlir::kiln {

/// The shared block-format table row of a dialect quant format.
::kiln::quant::BlockFormat toBlockFormat(QuantFormat format);
QuantFormat fromBlockFormat(::kiln::quant::BlockFormat format);

} // namespace mlir::kiln

#endif // KILN_DIALECT_KILN_KILNDIALECT_H
