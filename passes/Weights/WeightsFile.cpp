//===- WeightsFile.cpp - rewrite a module's weights into one new file -----===//
#include "WeightsFile.h"

#include "llvm/Support/FileSystem.h"

namespace mlir::kiln {

namespace {
constexpr uint64_t kAlignment = 64;
} // namespace

WeightsFileWriter::WeightsFileWriter(std::string path, std::string &error)
    : path(std::move(path)), partial(this->path + ".part") {
  std::error_code ec;
  out = std::make_unique<llvm::raw_fd_ostream>(partial, ec);
  if (ec) {
    error = "cannot write '" + partial + "': " + ec.message();
    out.reset();
  }
}

WeightsFileWriter::~WeightsFileWriter() {
  if (finished || !out)
    return;
  out->close();
  out->clear_error();
  llvm::sys::fs::remove(partial);
}

std::optional<ArrayRef<uint8_t>> WeightsFileWriter::read(WeightDeclOp decl,
                                                          std::string &error) {
  if (!decl.getSource() || !decl.getOffset()) {
    error = "weight '" + decl.getSymName().str() + "' has no bytes to read";
    return std::nullopt;
  }
  uint64_t bytes = decl.getStorageBytes(), at = *decl.getOffset();
  // Each source file is mapped once (a GGUF holds hundreds of weights).
  std::unique_ptr<llvm::MemoryBuffer> &file = sources[*decl.getSource()];
  if (!file)
    if (auto mapped = llvm::MemoryBuffer::getFile(*decl.getSource(), /*IsText=*/false,
                                                  /*RequiresNullTerminator=*/false))
      file = std::move(*mapped);
  if (!file || at > file->getBufferSize() || bytes > file->getBufferSize() - at) {
    error = "cannot read weight '" + decl.getSymName().str() + "' from '" +
            decl.getSource()->str() + "'";
    return std::nullopt;
  }
  return ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(file->getBufferStart()) + at, bytes);
}

void WeightsFileWriter::append(WeightDeclOp decl, ArrayRef<uint8_t> data) {
  uint64_t aligned = (offset + kAlignment - 1) / kAlignment * kAlignment;
  out->write_zeros(aligned - offset);
  out->write(reinterpret_cast<const char *>(data.data()), data.size());
  MLIRContext *context = decl.getContext();
  decl.setSourceAttr(StringAttr::get(context, path));
  decl.setOffsetAttr(IntegerAttr::get(IntegerType::get(context, 64), aligned));
  offset = aligned + data.size();
}

bool WeightsFileWriter::finish(std::string &error) {
  out->close();
  sources.clear();
  finished = true;
  if (out->has_error()) {
    error = "cannot write '" + partial + "': " + out->error().message();
    out->clear_error();
    llvm::sys::fs::remove(partial);
    return false;
  }
  if (std::error_code renamed = llvm::sys::fs::rename(partial, path)) {
    llvm::sys::fs::remove(partial);
    error = "cannot write '" + path + "': " + renamed.message();
    return false;
  }
  return true;
}

} // namespace mlir::kiln
