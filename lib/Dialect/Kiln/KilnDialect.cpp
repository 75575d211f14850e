//===- KilnDialect.cpp - dialect registration, quant types, constants -----===//
//
// Registers the kiln ops, types and attributes; prints and parses the block-
// quantized element types as their bare format name (`!kiln.q4_k`) and the
// other types (`!kiln.string`, `!kiln.sequence<T>`, `!kiln.optional<T>`) by
// their generated syntax; and
// materializes folded constants as `kiln.constant`.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Quant/Repack.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::kiln;

#include "kiln/Dialect/Kiln/KilnDialect.cpp.inc"
#include "kiln/Dialect/Kiln/KilnEnums.cpp.inc"
#include "kiln/Dialect/Kiln/KilnInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Dialect/Kiln/KilnAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "kiln/Dialect/Kiln/KilnTypes.cpp.inc"

void KilnDialect::initialize() {
  registerKilnDialectOperations(this);
  addAttributes<
#define GET_ATTRDEF_LIST
#include "kiln/Dialect/Kiln/KilnAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "kiln/Dialect/Kiln/KilnTypes.cpp.inc"
      >();
}

Type KilnDialect::parseType(DialectAsmParser &parser) const {
  SMLoc loc = parser.getCurrentLocation();
  // The generated parser reads the keyword and handles string, sequence
  // and optional; any other keyword comes back for the block formats.
  StringRef keyword;
  Type generated;
  OptionalParseResult parsed = generatedTypeParser(parser, &keyword, generated);
  if (parsed.has_value())
    return succeeded(*parsed) ? generated : Type();
  if (keyword.empty())
    return {};
  if (std::optional<::kiln::quant::BlockFormat> format =
          ::kiln::quant::formatFromName(keyword.str()))
    return QuantType::get(getContext(), fromBlockFormat(*format));
  // A repacked format: `<format>x<rows>` (`q4_0x32`).
  auto [base, suffix] = keyword.rsplit('x');
  unsigned interleave = 0;
  if (!suffix.empty() && !suffix.getAsInteger(10, interleave))
    if (std::optional<::kiln::quant::BlockFormat> format =
            ::kiln::quant::formatFromName(base.str()))
      return QuantType::getChecked([&] { return parser.emitError(loc); }, getContext(),
                                   fromBlockFormat(*format), interleave);
  std::string known;
  for (const ::kiln::quant::BlockFormatInfo *row = ::kiln::quant::begin(); row != ::kiln::quant::end();
       ++row)
    known += (known.empty() ? "" : ", ") + std::string(row->name);
  parser.emitError(loc) << "unknown kiln type '" << keyword
                        << "' (the kiln types are string, sequence<T>, "
                           "optional<T> and the block formats "
                        << known << ", and q4_0x32, q8_0x32, q4_kx32, q6_kx32 when repacked)";
  return {};
}

void KilnDialect::printType(Type type, DialectAsmPrinter &printer) const {
  if (succeeded(generatedTypePrinter(type, printer)))
    return;
  printer << llvm::cast<QuantType>(type).getName();
}

Operation *KilnDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, type, elements);
}

//===----------------------------------------------------------------------===//
// Quantized element types
//===----------------------------------------------------------------------===//

::kiln::quant::BlockFormat mlir::kiln::toBlockFormat(QuantFormat format) {
  switch (format) {
  case QuantFormat::q8_0:
    return ::kiln::quant::BlockFormat::Q8_0;
  case QuantFormat::q4_0:
    return ::kiln::quant::BlockFormat::Q4_0;
  case QuantFormat::q4_k:
    return ::kiln::quant::BlockFormat::Q4_K;
  case QuantFormat::q6_k:
    return ::kiln::quant::BlockFormat::Q6_K;
  }
  llvm_unreachable("unknown QuantFormat");
}

QuantFormat mlir::kiln::fromBlockFormat(::kiln::quant::BlockFormat format) {
  switch (format) {
  case ::kiln::quant::BlockFormat::Q8_0:
    return QuantFormat::q8_0;
  case ::kiln::quant::BlockFormat::Q4_0:
    return QuantFormat::q4_0;
  case ::kiln::quant::BlockFormat::Q4_K:
    return QuantFormat::q4_k;
  case ::kiln::quant::BlockFormat::Q6_K:
    return QuantFormat::q6_k;
  }
  llvm_unreachable("unknown BlockFormat");
}

LogicalResult QuantType::verify(function_ref<InFlightDiagnostic()> emitError,
                                QuantFormat format, unsigned interleave) {
  if (interleave == 1 ||
      (interleave == ::kiln::quant::kRepackRows &&
       ::kiln::quant::hasRepackedLayout(toBlockFormat(format))))
    return success();
  return emitError() << "block format "
                     << ::kiln::quant::info(toBlockFormat(format)).name
                     << " cannot be interleaved " << interleave
                     << " rows at a time (only q4_0x32, q8_0x32, q4_kx32 and q6_kx32 exist)";
}

std::string QuantType::getName() const {
  std::string name(::kiln::quant::info(toBlockFormat(getFormat())).name);
  if (getInterleave() != 1)
    name += "x" + std::to_string(getInterleave());
  return name;
}

int64_t QuantType::getBlockElements() const {
  return ::kiln::quant::info(toBlockFormat(getFormat())).blockElements;
}

int64_t QuantType::getBlockBytes() const {
  return ::kiln::quant::info(toBlockFormat(getFormat())).blockBytes;
}

int64_t QuantType::getStorageBytes(int64_t elements) const {
  std::optional<int64_t> bytes =
      ::kiln::quant::storageBytes(toBlockFormat(getFormat()), elements);
  assert(bytes && "element count is not a whole number of blocks");
  return *bytes;
}
