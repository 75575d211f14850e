/*===- kiln_tokenizer.h - the tokenizers of GGUF language models --------===*
 *
 * Part of the runtime of libraries compiled from GGUF models (and of the
 * kiln tool's `tokenize` command). The compiler serializes the GGUF
 * tokenizer metadata into a blob (lib/Gguf/TokenizerBlob.cpp):
 *
 *   "KTOK" u32 version=1, u32 model (1 SentencePiece `llama`, 2 byte-level
 *   BPE `gpt2`), u32 pre-tokenizer (0 gpt-2, 1 llama3, 2 qwen2),
 *   u32 n_tokens, u32 n_merges, i32 bos, eos, unk, u8 add_bos, add_eos,
 *   add_space_prefix, ignore_merges; then per token: u32 length, bytes,
 *   f32 score, i32 type; then per merge: u32 length, bytes ("left right").
 *
 * Encoding follows llama.cpp's tokenizers (its test vectors are kiln's
 * tests): SentencePiece-style bigram merging by score with byte fallback,
 * and GPT-2 byte-level BPE by merge rank after a regex pre-split.
 *
 *===---------------------------------------------------------------------===*/
#ifndef KILN_TOKENIZER_H
#define KILN_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_tokenizer kiln_tokenizer;

enum { KILN_TOKENIZER_SPM = 1, KILN_TOKENIZER_BPE = 2 };
enum { KILN_PRE_GPT2 = 0, KILN_PRE_LLAMA3 = 1, KILN_PRE_QWEN2 = 2 };

/* Parses a blob (not copied; it must outlive the tokenizer). NULL with
 * kiln_rt_last_error() set if it is malformed. */
kiln_tokenizer *kiln_tokenizer_create(const unsigned char *blob, size_t size);
void kiln_tokenizer_destroy(kiln_tokenizer *tokenizer);

/* Tokens of `text` (`length` bytes of UTF-8), with BOS (and EOS) as the
 * model asks when `add_special`. Writes at most `max` ids to `out` and
 * returns how many there are (more than `max` means `out` was too small),
 * or -1 on error. */
int kiln_tokenizer_encode(const kiln_tokenizer *tokenizer, const char *text,
                          size_t length, int add_special, int32_t *out,
                          int max);

/* The bytes token `token` stands for (control tokens: none). Writes at most
 * `size` bytes and returns the full length, or -1 for an invalid id. */
int kiln_tokenizer_piece(const kiln_tokenizer *tokenizer, int32_t token,
                         char *buf, int size);

int32_t kiln_tokenizer_bos(const kiln_tokenizer *tokenizer);
int32_t kiln_tokenizer_eos(const kiln_tokenizer *tokenizer);
int32_t kiln_tokenizer_vocab_size(const kiln_tokenizer *tokenizer);

#ifdef __cplusplus
}
#endif

#endif /* KILN_TOKENIZER_H */
