//===- TokenizerBlob.h - a GGUF tokenizer as the runtime's blob -----------===//
//
// Serializes `tokenizer.ggml.*` metadata into the format kiln_tokenizer.c
// reads (runtime/include/kiln_tokenizer.h), which libraries embed.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_GGUF_TOKENIZERBLOB_H
#define KILN_GGUF_TOKENIZERBLOB_H

#include "kiln/Gguf/GgufFile.h"

#include <string>

namespace kiln::gguf {

/// The tokenizer blob of `file`; false with `error` set when the model has
/// no tokenizer kiln supports (models `llama` and `gpt2`).
bool serializeTokenizer(const File &file, std::string &blob, std::string &error);

} // namespace kiln::gguf

#endif // KILN_GGUF_TOKENIZERBLOB_H
