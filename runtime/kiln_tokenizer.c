/*===- kiln_tokenizer.c - SentencePiece and byte-level BPE tokenizers ---===*
 *
 * See kiln_tokenizer.h for the blob format. Token strings and merges are
 * looked up in open-addressing hash tables built at create time; merging
 * uses a binary heap of candidate pairs, as SentencePiece's BPE and
 * llama.cpp do: pairs with the best score (SentencePiece) or the lowest
 * merge rank (BPE) first, leftmost first among equals.
 *
 *===---------------------------------------------------------------------===*/
#include "kiln_tokenizer.h"

#include "kiln_runtime.h"
#include "kiln_unicode.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *text;
  uint32_t length;
} str_view;

typedef struct {
  uint32_t capacity; /* power of two */
  int32_t *slots;    /* index into keys, -1 empty */
  const str_view *keys;
} str_table;

struct kiln_tokenizer {
  uint32_t model, pre, n_tokens, n_merges;
  int32_t bos, eos, unk;
  uint8_t add_bos, add_eos, add_space_prefix, ignore_merges;
  str_view *tokens;
  float *scores;
  int32_t *types;
  str_view *merges;
  str_table token_index, merge_index;
  int32_t byte_tokens[256]; /* SentencePiece <0xXX> tokens, -1 if absent */
  uint16_t byte_cpt[256];   /* GPT-2's byte -> code point map */
  int16_t cpt_byte[324];    /* and back (-1: not a byte's code point) */
};

enum { TOKEN_NORMAL = 1, TOKEN_UNKNOWN = 2, TOKEN_CONTROL = 3,
       TOKEN_USER_DEFINED = 4, TOKEN_UNUSED = 5, TOKEN_BYTE = 6 };

/*--- hash tables -----------------------------------------------------------*/

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; ++i)
    h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
  return h;
}

static int table_init(str_table *t, const str_view *keys, uint32_t count) {
  t->capacity = 16;
  while (t->capacity < 2ull * count)
    t->capacity *= 2;
  t->keys = keys;
  t->slots = malloc(sizeof(int32_t) * t->capacity);
  if (!t->slots)
    return 0;
  memset(t->slots, 0xff, sizeof(int32_t) * t->capacity);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t at = (uint32_t)hash_bytes(keys[i].text, keys[i].length) & (t->capacity - 1);
    while (t->slots[at] >= 0) {
      const str_view *k = &keys[t->slots[at]];
      if (k->length == keys[i].length && !memcmp(k->text, keys[i].text, k->length))
        break; /* a duplicate keeps its first id, as llama.cpp's map does */
      at = (at + 1) & (t->capacity - 1);
    }
    if (t->slots[at] < 0)
      t->slots[at] = (int32_t)i;
  }
  return 1;
}

static int32_t table_find(const str_table *t, const char *s, size_t n) {
  uint32_t at = (uint32_t)hash_bytes(s, n) & (t->capacity - 1);
  while (t->slots[at] >= 0) {
    const str_view *k = &t->keys[t->slots[at]];
    if (k->length == n && !memcmp(k->text, s, n))
      return t->slots[at];
    at = (at + 1) & (t->capacity - 1);
  }
  return -1;
}

/*--- blob ------------------------------------------------------------------*/

typedef struct {
  const unsigned char *p, *end;
} reader;

static int read_u32(reader *r, uint32_t *v) {
  if (r->end - r->p < 4)
    return 0;
  memcpy(v, r->p, 4);
  r->p += 4;
  return 1;
}

static int read_str(reader *r, str_view *s) {
  uint32_t n;
  if (!read_u32(r, &n) || (size_t)(r->end - r->p) < n)
    return 0;
  s->text = (const char *)r->p;
  s->length = n;
  r->p += n;
  return 1;
}

/* GPT-2's reversible map from bytes to printable code points: printable
 * bytes map to themselves, the others to 256, 257, ... in byte order. */
static void build_byte_maps(kiln_tokenizer *t) {
  int next = 256;
  memset(t->cpt_byte, 0xff, sizeof(t->cpt_byte));
  for (int b = 0; b < 256; ++b) {
    int printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
    t->byte_cpt[b] = (uint16_t)(printable ? b : next++);
    t->cpt_byte[t->byte_cpt[b]] = (int16_t)b;
  }
}

kiln_tokenizer *kiln_tokenizer_create(const unsigned char *blob, size_t size) {
  reader r = {blob, blob + size};
  uint32_t magic = 0, version = 0, fields[4];
  int32_t special[3];
  uint8_t flags[4];
  if (!blob || size < 8 || memcmp(blob, "KTOK", 4) != 0) {
    kiln_rt_set_error("the tokenizer data is missing or corrupt");
    return NULL;
  }
  read_u32(&r, &magic);
  if (!read_u32(&r, &version) || version != 1 || (size_t)(r.end - r.p) < 16 + 12 + 4) {
    kiln_rt_set_error("unsupported tokenizer data version %u", version);
    return NULL;
  }
  for (int i = 0; i < 4; ++i)
    read_u32(&r, &fields[i]);
  memcpy(special, r.p, 12);
  r.p += 12;
  memcpy(flags, r.p, 4);
  r.p += 4;
  kiln_tokenizer *t = calloc(1, sizeof(kiln_tokenizer));
  if (!t) {
    kiln_rt_set_error("out of memory");
    return NULL;
  }
  t->model = fields[0];
  t->pre = fields[1];
  t->n_tokens = fields[2];
  t->n_merges = fields[3];
  t->bos = special[0];
  t->eos = special[1];
  t->unk = special[2];
  t->add_bos = flags[0];
  t->add_eos = flags[1];
  t->add_space_prefix = flags[2];
  t->ignore_merges = flags[3];
  /* Each token takes at least 12 bytes and each merge 4: bound the
   * allocations by the blob. */
  size_t left = (size_t)(r.end - r.p);
  int ok = t->n_tokens <= left / 12 && t->n_merges <= left / 4 &&
           (t->model == KILN_TOKENIZER_SPM || t->model == KILN_TOKENIZER_BPE);
  if (ok) {
    t->tokens = calloc(t->n_tokens ? t->n_tokens : 1, sizeof(str_view));
    t->scores = calloc(t->n_tokens ? t->n_tokens : 1, sizeof(float));
    t->types = calloc(t->n_tokens ? t->n_tokens : 1, sizeof(int32_t));
    t->merges = calloc(t->n_merges ? t->n_merges : 1, sizeof(str_view));
    ok = t->tokens && t->scores && t->types && t->merges;
  }
  for (uint32_t i = 0; ok && i < t->n_tokens; ++i) {
    ok = read_str(&r, &t->tokens[i]) && r.end - r.p >= 8;
    if (ok) {
      memcpy(&t->scores[i], r.p, 4);
      memcpy(&t->types[i], r.p + 4, 4);
      r.p += 8;
    }
  }
  for (uint32_t i = 0; ok && i < t->n_merges; ++i)
    ok = read_str(&r, &t->merges[i]);
  ok = ok && table_init(&t->token_index, t->tokens, t->n_tokens) &&
       table_init(&t->merge_index, t->merges, t->n_merges);
  if (!ok) {
    kiln_rt_set_error("the tokenizer data is corrupt");
    kiln_tokenizer_destroy(t);
    return NULL;
  }
  build_byte_maps(t);
  for (int b = 0; b < 256; ++b) {
    static const char *hex = "0123456789ABCDEF";
    char name[7] = {'<', '0', 'x', hex[b >> 4], hex[b & 15], '>', 0};
    t->byte_tokens[b] = table_find(&t->token_index, name, 6);
  }
  return t;
}

void kiln_tokenizer_destroy(kiln_tokenizer *t) {
  if (!t)
    return;
  free(t->tokens);
  free(t->scores);
  free(t->types);
  free(t->merges);
  free(t->token_index.slots);
  free(t->merge_index.slots);
  free(t);
}

int32_t kiln_tokenizer_bos(const kiln_tokenizer *t) { return t ? t->bos : -1; }
int32_t kiln_tokenizer_eos(const kiln_tokenizer *t) { return t ? t->eos : -1; }
int32_t kiln_tokenizer_vocab_size(const kiln_tokenizer *t) {
  return t ? (int32_t)t->n_tokens : 0;
}

/*--- output buffer ---------------------------------------------------------*/

typedef struct {
  int32_t *out;
  int max, count;
} token_out;

static void emit(token_out *o, int32_t id) {
  if (o->count < o->max)
    o->out[o->count] = id;
  ++o->count;
}

/*--- merging (both models) -------------------------------------------------*/

typedef struct {
  const char *text;
  int n, prev, next;
} symbol;

typedef struct {
  int left, right;
  float key;  /* lower merges first: -score (SentencePiece) or rank (BPE) */
  int length; /* bytes of the merged text, to drop stale pairs */
} pair;

typedef struct {
  pair *items;
  int count, capacity;
} heap;

static int pair_before(const pair *a, const pair *b) {
  return a->key < b->key || (a->key == b->key && a->left < b->left);
}

static int heap_push(heap *h, pair p) {
  if (h->count == h->capacity) {
    int capacity = h->capacity ? 2 * h->capacity : 64;
    pair *items = realloc(h->items, sizeof(pair) * (size_t)capacity);
    if (!items)
      return 0;
    h->items = items;
    h->capacity = capacity;
  }
  int i = h->count++;
  h->items[i] = p;
  while (i > 0 && pair_before(&h->items[i], &h->items[(i - 1) / 2])) {
    pair tmp = h->items[i];
    h->items[i] = h->items[(i - 1) / 2];
    h->items[(i - 1) / 2] = tmp;
    i = (i - 1) / 2;
  }
  return 1;
}

static pair heap_pop(heap *h) {
  pair top = h->items[0];
  h->items[0] = h->items[--h->count];
  int i = 0;
  for (;;) {
    int l = 2 * i + 1, r = l + 1, best = i;
    if (l < h->count && pair_before(&h->items[l], &h->items[best]))
      best = l;
    if (r < h->count && pair_before(&h->items[r], &h->items[best]))
      best = r;
    if (best == i)
      break;
    pair tmp = h->items[i];
    h->items[i] = h->items[best];
    h->items[best] = tmp;
    i = best;
  }
  return top;
}

static int utf8_length(unsigned char c) {
  static const int lengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return lengths[c >> 4];
}

/* The merge key of symbols `l` and `r`, or 0 if they do not merge. */
static int pair_key(const kiln_tokenizer *t, const symbol *l, const symbol *r,
                    char *scratch, float *key) {
  if (t->model == KILN_TOKENIZER_SPM) {
    int32_t id = table_find(&t->token_index, l->text, (size_t)(l->n + r->n));
    if (id < 0)
      return 0;
    *key = -t->scores[id];
    return 1;
  }
  memcpy(scratch, l->text, (size_t)l->n);
  scratch[l->n] = ' ';
  memcpy(scratch + l->n + 1, r->text, (size_t)r->n);
  int32_t rank = table_find(&t->merge_index, scratch, (size_t)(l->n + r->n + 1));
  if (rank < 0)
    return 0;
  *key = (float)rank;
  return 1;
}

/* Splits `text` into characters, merges them as the model does and returns
 * the merged symbols (in `symbols`, linked from index 0), or -1. */
static int merge_symbols(const kiln_tokenizer *t, const char *text, int n,
                         symbol *symbols, char *scratch) {
  int count = 0;
  for (int at = 0; at < n;) {
    int len = utf8_length((unsigned char)text[at]);
    if (len > n - at)
      len = n - at;
    symbols[count].text = text + at;
    symbols[count].n = len;
    symbols[count].prev = count - 1;
    at += len;
    symbols[count].next = at == n ? -1 : count + 1;
    ++count;
  }
  heap h = {0};
  float key;
  for (int i = 1; i < count; ++i)
    if (pair_key(t, &symbols[i - 1], &symbols[i], scratch, &key) &&
        !heap_push(&h, (pair){i - 1, i, key, symbols[i - 1].n + symbols[i].n}))
      goto fail;
  while (h.count > 0) {
    pair p = heap_pop(&h);
    symbol *l = &symbols[p.left], *r = &symbols[p.right];
    if (l->n == 0 || r->n == 0 || l->n + r->n != p.length || l->next != p.right)
      continue;
    l->n += r->n;
    r->n = 0;
    l->next = r->next;
    if (r->next >= 0)
      symbols[r->next].prev = p.left;
    if (l->prev >= 0 && pair_key(t, &symbols[l->prev], l, scratch, &key) &&
        !heap_push(&h, (pair){l->prev, p.left, key, symbols[l->prev].n + l->n}))
      goto fail;
    if (l->next >= 0 && pair_key(t, l, &symbols[l->next], scratch, &key) &&
        !heap_push(&h, (pair){p.left, l->next, key, l->n + symbols[l->next].n}))
      goto fail;
  }
  free(h.items);
  return count;
fail:
  free(h.items);
  return -1;
}

/* The token of each merged symbol, in order; a symbol that is not a token
 * falls back to its bytes: SentencePiece's <0xXX> tokens (or <unk>), or
 * BPE's single-byte tokens (skipped if absent, as llama.cpp does). */
static void emit_symbols(const kiln_tokenizer *t, const symbol *symbols,
                         int count, token_out *o) {
  for (int i = count ? 0 : -1; i >= 0; i = symbols[i].next) {
    int32_t id = table_find(&t->token_index, symbols[i].text, (size_t)symbols[i].n);
    if (id >= 0) {
      emit(o, id);
      continue;
    }
    for (int j = 0; j < symbols[i].n; ++j) {
      if (t->model == KILN_TOKENIZER_SPM) {
        int32_t byte = t->byte_tokens[(unsigned char)symbols[i].text[j]];
        emit(o, byte >= 0 ? byte : t->unk);
      } else {
        int32_t byte = table_find(&t->token_index, symbols[i].text + j, 1);
        if (byte >= 0)
          emit(o, byte);
      }
    }
  }
}

/*--- SentencePiece ---------------------------------------------------------*/

static int encode_spm(const kiln_tokenizer *t, const char *text, size_t length,
                      token_out *o) {
  /* " " -> U+2581, with a leading one when the model asks for it. */
  size_t cap = (length + 1) * 3 + 1;
  char *buf = malloc(cap);
  if (!buf)
    return 0;
  size_t n = 0;
  if (t->add_space_prefix && length > 0) {
    memcpy(buf, "\xe2\x96\x81", 3);
    n = 3;
  }
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == ' ') {
      memcpy(buf + n, "\xe2\x96\x81", 3);
      n += 3;
    } else {
      buf[n++] = text[i];
    }
  }
  symbol *symbols = malloc(sizeof(symbol) * (n ? n : 1));
  int count = symbols ? merge_symbols(t, buf, (int)n, symbols, NULL) : -1;
  if (count < 0) {
    free(buf);
    free(symbols);
    return 0;
  }
  emit_symbols(t, symbols, count, o);
  free(buf);
  free(symbols);
  return 1;
}

/*--- byte-level BPE --------------------------------------------------------*/

static int put_utf8(uint32_t c, char *out) {
  if (c < 0x80) { out[0] = (char)c; return 1; }
  if (c < 0x800) { out[0] = (char)(0xC0 | (c >> 6)); out[1] = (char)(0x80 | (c & 63)); return 2; }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12)); out[1] = (char)(0x80 | ((c >> 6) & 63));
    out[2] = (char)(0x80 | (c & 63)); return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18)); out[1] = (char)(0x80 | ((c >> 12) & 63));
  out[2] = (char)(0x80 | ((c >> 6) & 63)); out[3] = (char)(0x80 | (c & 63));
  return 4;
}

/* Decodes UTF-8 leniently: an invalid sequence is one code point per byte
 * (U+FFFD), so every byte belongs to exactly one code point. */
static int decode_utf8(const unsigned char *s, size_t n, size_t at, uint32_t *cpt) {
  unsigned char c = s[at];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || at + (size_t)len > n) {
    *cpt = 0xFFFD;
    return 1;
  }
  uint32_t v = len == 1 ? c : len == 2 ? (c & 31u) : len == 3 ? (c & 15u) : (c & 7u);
  for (int i = 1; i < len; ++i) {
    if ((s[at + (size_t)i] & 0xC0) != 0x80) {
      *cpt = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (s[at + (size_t)i] & 63u);
  }
  *cpt = v;
  return len;
}

static int cpt_flags(uint32_t c) {
  int lo = 0, hi = kiln_unicode_range_count - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (c < kiln_unicode_ranges[mid].first)
      hi = mid - 1;
    else if (c > kiln_unicode_ranges[mid].last)
      lo = mid + 1;
    else
      return kiln_unicode_ranges[mid].flags;
  }
  return 0;
}

static int is_space(uint32_t c) {
  return (c >= 9 && c <= 13) || c == 32 || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
static int is_letter(uint32_t c) { return cpt_flags(c) == 1; }
static int is_number(uint32_t c) { return cpt_flags(c) == 2; }
static int is_other(uint32_t c) { return !is_space(c) && !is_letter(c) && !is_number(c); }
static int is_newline(uint32_t c) { return c == '\r' || c == '\n'; }
static uint32_t lower_ascii(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* The length in code points of the pre-tokenizer's match at `i` (at least
 * 1): llama.cpp's gpt-2, llama3 and qwen2 patterns. */
static size_t match_word(const kiln_tokenizer *t, const uint32_t *c, size_t n, size_t i) {
  size_t j;
  int llama3 = t->pre == KILN_PRE_LLAMA3 || t->pre == KILN_PRE_QWEN2;
  /* contractions: 's 't 're 've 'm 'll 'd (any case for llama3) */
  if (c[i] == '\'' && i + 1 < n) {
    uint32_t a = llama3 ? lower_ascii(c[i + 1]) : c[i + 1];
    uint32_t b = i + 2 < n ? (llama3 ? lower_ascii(c[i + 2]) : c[i + 2]) : 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd')
      return 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
      return 3;
  }
  if (llama3) {
    /* [^\r\n\p{L}\p{N}]?\p{L}+ */
    j = i;
    if (!is_letter(c[j]) && !is_number(c[j]) && !is_newline(c[j]) && j + 1 < n &&
        is_letter(c[j + 1]))
      ++j;
    if (is_letter(c[j])) {
      while (j < n && is_letter(c[j]))
        ++j;
      return j - i;
    }
    /* \p{N}{1,3} (qwen2: \p{N}) */
    if (is_number(c[i])) {
      size_t most = t->pre == KILN_PRE_QWEN2 ? 1 : 3;
      for (j = i; j < n && j - i < most && is_number(c[j]); ++j) {
      }
      return j - i;
    }
    /* ' ?[^\s\p{L}\p{N}]+[\r\n]*' */
    j = i + (c[i] == ' ' && i + 1 < n && is_other(c[i + 1]) ? 1 : 0);
    if (is_other(c[j])) {
      while (j < n && is_other(c[j]))
        ++j;
      while (j < n && is_newline(c[j]))
        ++j;
      return j - i;
    }
    /* \s*[\r\n]+ : up to the last newline of the whitespace run */
    size_t end = i, last_newline = 0;
    while (end < n && is_space(c[end])) {
      if (is_newline(c[end]))
        last_newline = end + 1;
      ++end;
    }
    if (last_newline > i)
      return last_newline - i;
  } else {
    /* ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+' */
    size_t k = i + (c[i] == ' ' && i + 1 < n ? 1 : 0);
    int (*classes[3])(uint32_t) = {is_letter, is_number, is_other};
    for (int cls = 0; cls < 3; ++cls)
      if (classes[cls](c[k])) {
        j = k;
        while (j < n && classes[cls](c[j]))
          ++j;
        return j - i;
      }
  }
  /* \s+(?!\S) then \s+ */
  if (is_space(c[i])) {
    j = i;
    while (j < n && is_space(c[j]))
      ++j;
    if (j < n && j - i > 1)
      return j - i - 1; /* leave one space for the next word */
    return j - i;
  }
  return 1;
}

static int encode_bpe_word(const kiln_tokenizer *t, const unsigned char *bytes,
                           size_t n, token_out *o) {
  /* Byte-level encoding of the word, then merges by rank. */
  char *word = malloc(n * 2 + 1), *scratch = malloc(n * 2 * 2 + 2);
  symbol *symbols = malloc(sizeof(symbol) * (n ? n : 1));
  if (!word || !scratch || !symbols) {
    free(word); free(scratch); free(symbols);
    return 0;
  }
  int len = 0;
  for (size_t i = 0; i < n; ++i)
    len += put_utf8(t->byte_cpt[bytes[i]], word + len);
  int32_t whole = t->ignore_merges ? table_find(&t->token_index, word, (size_t)len) : -1;
  if (whole >= 0) {
    emit(o, whole);
  } else {
    int count = merge_symbols(t, word, len, symbols, scratch);
    if (count < 0) {
      free(word); free(scratch); free(symbols);
      return 0;
    }
    emit_symbols(t, symbols, count, o);
  }
  free(word);
  free(scratch);
  free(symbols);
  return 1;
}

static int encode_bpe(const kiln_tokenizer *t, const char *text, size_t length,
                      token_out *o) {
  const unsigned char *s = (const unsigned char *)text;
  uint32_t *cpts = malloc(sizeof(uint32_t) * (length + 1));
  size_t *offsets = malloc(sizeof(size_t) * (length + 1));
  if (!cpts || !offsets) {
    free(cpts); free(offsets);
    return 0;
  }
  size_t n = 0;
  for (size_t at = 0; at < length; ++n) {
    offsets[n] = at;
    at += (size_t)decode_utf8(s, length, at, &cpts[n]);
  }
  offsets[n] = length;
  int ok = 1;
  for (size_t i = 0; ok && i < n;) {
    size_t m = match_word(t, cpts, n, i);
    ok = encode_bpe_word(t, s + offsets[i], offsets[i + m] - offsets[i], o);
    i += m;
  }
  free(cpts);
  free(offsets);
  return ok;
}

int kiln_tokenizer_encode(const kiln_tokenizer *t, const char *text,
                          size_t length, int add_special, int32_t *out,
                          int max) {
  if (!t || (!text && length) || (!out && max > 0) || max < 0) {
    kiln_rt_set_error("invalid arguments to the tokenizer");
    return -1;
  }
  token_out o = {out, max, 0};
  if (add_special && t->add_bos && t->bos >= 0)
    emit(&o, t->bos);
  int ok = t->model == KILN_TOKENIZER_SPM ? encode_spm(t, text, length, &o)
                                          : encode_bpe(t, text, length, &o);
  if (!ok) {
    kiln_rt_set_error("out of memory while tokenizing");
    return -1;
  }
  if (add_special && t->add_eos && t->eos >= 0)
    emit(&o, t->eos);
  return o.count;
}

int kiln_tokenizer_piece(const kiln_tokenizer *t, int32_t token, char *buf,
                         int size) {
  if (!t || token < 0 || (uint32_t)token >= t->n_tokens || size < 0) {
    kiln_rt_set_error("token id %d is out of range", token);
    return -1;
  }
  int32_t type = t->types[token];
  if (type == TOKEN_CONTROL || type == TOKEN_UNUSED)
    return 0;
  const str_view *s = &t->tokens[token];
  char piece[1024];
  int n = 0;
  if (t->model == KILN_TOKENIZER_SPM) {
    if (type == TOKEN_BYTE && s->length == 6) {
      piece[n++] = (char)strtol(s->text + 3, NULL, 16);
    } else {
      for (uint32_t i = 0; i < s->length && n < (int)sizeof(piece) - 4; ++i) {
        if (i + 2 < s->length && !memcmp(s->text + i, "\xe2\x96\x81", 3)) {
          piece[n++] = ' ';
          i += 2;
        } else {
          piece[n++] = s->text[i];
        }
      }
    }
  } else {
    /* Byte-level BPE: each code point stands for one byte. */
    const unsigned char *p = (const unsigned char *)s->text;
    for (size_t at = 0; at < s->length && n < (int)sizeof(piece);) {
      uint32_t c;
      at += (size_t)decode_utf8(p, s->length, at, &c);
      int byte = c < sizeof(t->cpt_byte) / sizeof(t->cpt_byte[0]) ? t->cpt_byte[c] : -1;
      if (byte >= 0)
        piece[n++] = (char)byte;
      else if (type == TOKEN_USER_DEFINED || type == TOKEN_NORMAL)
        n += put_utf8(c, piece + n); /* not byte-encoded (added tokens) */
    }
  }
  if (buf && size > 0)
    memcpy(buf, piece, (size_t)(n < size ? n : size));
  return n;
}
