//===- GgufInspect.h - `kiln inspect` for GGUF files ----------------------===//
#ifndef KILN_GGUF_GGUFINSPECT_H
#define KILN_GGUF_GGUFINSPECT_H

#include <ostream>
#include <string>

namespace kiln::gguf {

/// Prints architecture, hyper-parameters, tokenizer and the tensor table of
/// `path` (like gguf-dump). Returns false with `error` set for a bad file.
bool inspectGguf(const std::string &path, std::ostream &out, std::string &error);

} // namespace kiln::gguf

#endif // KILN_GGUF_GGUFINSPECT_H
