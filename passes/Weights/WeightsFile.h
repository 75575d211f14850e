//===- WeightsFile.h - rewrite a module's weights into one new file -------===//
//
// kiln-quantize and kiln-repack-weights both change some weights' bytes and
// then write every weight of the module to one new file (the library maps
// a single weights file): each declaration's current bytes are read from
// its `source` (each file mapped once), the new or unchanged bytes are
// appended 64-byte aligned to `<path>.part`, the declaration is pointed at
// `path`, and the file is renamed into place when complete. On failure the
// partial file is removed.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_WEIGHTS_WEIGHTSFILE_H
#define KILN_PASSES_WEIGHTS_WEIGHTSFILE_H

#include "kiln/Dialect/Kiln/KilnOps.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>

namespace mlir::kiln {

class WeightsFileWriter {
public:
  /// Opens `<path>.part`; `error` is set if it cannot be created.
  WeightsFileWriter(std::string path, std::string &error);
  ~WeightsFileWriter();

  /// The bytes `decl` refers to now; none (with `error` set) when it has
  /// no source or the source is too short.
  std::optional<ArrayRef<uint8_t>> read(WeightDeclOp decl, std::string &error);

  /// Appends `data` as `decl`'s bytes and points `decl` at the new file.
  void append(WeightDeclOp decl, ArrayRef<uint8_t> data);

  /// Closes the file and renames it into place; false with `error` set
  /// (and nothing left behind) on a write error.
  bool finish(std::string &error);

private:
  std::string path, partial;
  std::unique_ptr<llvm::raw_fd_ostream> out;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> sources;
  uint64_t offset = 0;
  bool finished = false;
};

} // namespace mlir::kiln

#endif // KILN_PASSES_WEIGHTS_WEIGHTSFILE_H
