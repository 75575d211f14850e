//===- OpDefsShard0.cpp - generated op definitions, shard 0 of 4 ---------===//
//
// The ODS-generated op classes are split in four files so each compiles in
// a few seconds; the hand-written op logic lives in the *Ops.cpp files.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#define GET_OP_DEFS_0
#include "kiln/Dialect/Kiln/KilnOps.cpp.inc"
