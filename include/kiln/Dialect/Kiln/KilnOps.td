//===- KilnOps.td - every op of the kiln dialect --------------------------===//
//
// One TableGen unit for all ops (so one generated op list), split into one
// file per family for reading.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_OPS_TD
#define KILN_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"
include "kiln/Dialect/Kiln/KilnTypes.td"
include "kiln/Dialect/Kiln/KilnStructureOps.td"
include "kiln/Dialect/Kiln/KilnElementwiseOps.td"
include "kiln/Dialect/Kiln/KilnLinearOps.td"
include "kiln/Dialect/Kiln/KilnNormOps.td"
include "kiln/Dialect/Kiln/KilnAttentionOps.td"
include "kiln/Dialect/Kiln/KilnShapeOps.td"
include "kiln/Dialect/Kiln/KilnQuantOps.td"
include "kiln/Dialect/Kiln/KilnConvOps.td"
include "kiln/Dialect/Kiln/KilnTextOps.td"

#endif // KILN_OPS_TD
