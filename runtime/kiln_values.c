/*===- kiln_values.c - strings, sequences and optionals at run time -------===*
 *
 * The values no kernel computes on. Generated orchestration code calls
 *   kiln_rt_format: numbers -> text (ONNX Cast to STRING),
 *   kiln_rt_parse:  text -> numbers (ONNX Cast from STRING),
 *   kiln_rt_copy_value: a sequence or optional graph output, deep-copied
 *     from the input it passes through into memory the instance owns;
 * and kiln_rt_run_fn checks sequence and optional inputs against their
 * declared types with kiln_rt_check_value.
 *
 * Floats are written as numpy prints them: the shortest decimal that reads
 * back as the same value, positional for 1e-4 <= |x| < 1e16 ("0.5", "100.0"),
 * scientific otherwise ("1e-05", "1.5e+20"); NaN and infinities as ONNX
 * spells them ("NaN", "INF", "-INF").
 *
 *===---------------------------------------------------------------------===*/
#include "kiln_runtime.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- 16-bit floats ---------------------------------------------------- */

static float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 31, man = h & 1023;
  uint32_t bits;
  if (exp == 31) {
    bits = sign | 0x7f800000u | (man << 13);
  } else if (exp == 0) {
    float value = ldexpf((float)man, -24);
    return sign ? -value : value;
  } else {
    bits = sign | ((exp + 112) << 23) | (man << 13);
  }
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

static uint16_t float_to_half(float f) { /* round to nearest even */
  uint32_t bits;
  memcpy(&bits, &f, 4);
  uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
  uint32_t abs = bits & 0x7fffffffu;
  if (abs > 0x7f800000u)
    return sign | 0x7e00; /* NaN */
  if (abs >= 0x477ff000u)
    return sign | 0x7c00; /* rounds to infinity */
  if (abs < 0x38800000u) { /* subnormal half (or zero) */
    float scaled = fabsf(f) * 16777216.0f; /* units of 2^-24 */
    return sign | (uint16_t)nearbyintf(scaled);
  }
  uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1);
  return sign | (uint16_t)((rounded - 0x38000000u) >> 13);
}

static float bf16_to_float(uint16_t h) {
  uint32_t bits = (uint32_t)h << 16;
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

static uint16_t float_to_bf16(float f) {
  uint32_t bits;
  memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return (uint16_t)((bits >> 16) | 0x40);
  return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1)) >> 16);
}

/* ---- numbers to text -------------------------------------------------- */

/* Whether `text` reads back as `value` in the precision of `dtype`. */
static int reads_back(const char *text, double value, int dtype) {
  switch (dtype) {
  case KILN_DTYPE_F64: return strtod(text, NULL) == value;
  case KILN_DTYPE_F32: return strtof(text, NULL) == (float)value;
  case KILN_DTYPE_F16:
    return float_to_half(strtof(text, NULL)) == float_to_half((float)value);
  default: return float_to_bf16(strtof(text, NULL)) == float_to_bf16((float)value);
  }
}

/* Writes `value` (exactly representable in `dtype`) into `out` (32 bytes). */
static void format_float(double value, int dtype, char *out) {
  if (isnan(value)) {
    strcpy(out, "NaN");
    return;
  }
  if (isinf(value)) {
    strcpy(out, value < 0 ? "-INF" : "INF");
    return;
  }
  if (value == 0) {
    strcpy(out, signbit(value) ? "-0.0" : "0.0");
    return;
  }
  /* The fewest significant digits that read back. */
  char sci[40];
  int max_digits = dtype == KILN_DTYPE_F64 ? 17 : 9;
  for (int digits = 1; digits <= max_digits; ++digits) {
    snprintf(sci, sizeof(sci), "%.*e", digits - 1, value);
    if (reads_back(sci, value, dtype))
      break;
  }
  /* sci is [-]d[.ddd]e(+|-)XX: split into sign, digits and exponent. */
  const char *p = sci;
  int negative = *p == '-';
  p += negative;
  char digits[24];
  int count = 0;
  for (; *p && *p != 'e'; ++p)
    if (*p != '.')
      digits[count++] = *p;
  int exponent = atoi(p + 1);
  while (count > 1 && digits[count - 1] == '0')
    --count;
  char *o = out;
  if (negative)
    *o++ = '-';
  double magnitude = fabs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    if (exponent < 0) {
      *o++ = '0';
      *o++ = '.';
      for (int i = -1; i > exponent; --i)
        *o++ = '0';
      memcpy(o, digits, (size_t)count);
      o += count;
    } else {
      for (int i = 0; i <= exponent; ++i)
        *o++ = i < count ? digits[i] : '0';
      *o++ = '.';
      if (count > exponent + 1) {
        memcpy(o, digits + exponent + 1, (size_t)(count - exponent - 1));
        o += count - exponent - 1;
      } else {
        *o++ = '0';
      }
    }
    *o = '\0';
  } else {
    *o++ = digits[0];
    if (count > 1) {
      *o++ = '.';
      memcpy(o, digits + 1, (size_t)(count - 1));
      o += count - 1;
    }
    snprintf(o, 8, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
  }
}

int kiln_rt_format(int dtype, const void *src, const char **dst, int64_t n,
                   char *chars) {
  for (int64_t i = 0; i < n; ++i) {
    char *out = chars + i * KILN_FORMAT_BYTES;
    switch (dtype) {
    case KILN_DTYPE_F32: format_float(((const float *)src)[i], dtype, out); break;
    case KILN_DTYPE_F64: format_float(((const double *)src)[i], dtype, out); break;
    case KILN_DTYPE_F16:
      format_float(half_to_float(((const uint16_t *)src)[i]), dtype, out);
      break;
    case KILN_DTYPE_BF16:
      format_float(bf16_to_float(((const uint16_t *)src)[i]), dtype, out);
      break;
    case KILN_DTYPE_BOOL: strcpy(out, ((const uint8_t *)src)[i] ? "1" : "0"); break;
    case KILN_DTYPE_I8: snprintf(out, KILN_FORMAT_BYTES, "%d", ((const int8_t *)src)[i]); break;
    case KILN_DTYPE_I16: snprintf(out, KILN_FORMAT_BYTES, "%d", ((const int16_t *)src)[i]); break;
    case KILN_DTYPE_I32: snprintf(out, KILN_FORMAT_BYTES, "%d", ((const int32_t *)src)[i]); break;
    case KILN_DTYPE_I64:
      snprintf(out, KILN_FORMAT_BYTES, "%lld", (long long)((const int64_t *)src)[i]);
      break;
    case KILN_DTYPE_U8: snprintf(out, KILN_FORMAT_BYTES, "%u", ((const uint8_t *)src)[i]); break;
    case KILN_DTYPE_U16: snprintf(out, KILN_FORMAT_BYTES, "%u", ((const uint16_t *)src)[i]); break;
    case KILN_DTYPE_U32: snprintf(out, KILN_FORMAT_BYTES, "%u", ((const uint32_t *)src)[i]); break;
    case KILN_DTYPE_U64:
      snprintf(out, KILN_FORMAT_BYTES, "%llu",
               (unsigned long long)((const uint64_t *)src)[i]);
      break;
    default:
      kiln_rt_set_error("cannot format element type %d as text", dtype);
      return -1;
    }
    dst[i] = out;
  }
  return 0;
}

/* ---- text to numbers -------------------------------------------------- */

/* Whether only spaces follow `end`. */
static int only_spaces(const char *end) {
  while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
    ++end;
  return *end == '\0';
}

static const char *dtype_name(int dtype) {
  static const char *names[] = {"FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE", "BOOL",
                                "INT8",  "INT16",   "INT32",    "INT64",  "UINT8",
                                "UINT16", "UINT32", "UINT64",   "STRING"};
  return dtype >= 0 && dtype <= KILN_DTYPE_STRING ? names[dtype] : "an unknown type";
}

int kiln_rt_parse(int dtype, const char *const *src, void *dst, int64_t n,
                  const char *where) {
  for (int64_t i = 0; i < n; ++i) {
    const char *text = src[i];
    if (!text) {
      kiln_rt_set_error("%s: string element %lld is null", where, (long long)i);
      return -1;
    }
    char *end = NULL;
    errno = 0;
    int ok = 1;
    switch (dtype) {
    case KILN_DTYPE_F32: {
      float v = strtof(text, &end);
      ((float *)dst)[i] = v;
      break;
    }
    case KILN_DTYPE_F64: ((double *)dst)[i] = strtod(text, &end); break;
    case KILN_DTYPE_F16: ((uint16_t *)dst)[i] = float_to_half(strtof(text, &end)); break;
    case KILN_DTYPE_BF16: ((uint16_t *)dst)[i] = float_to_bf16(strtof(text, &end)); break;
    case KILN_DTYPE_BOOL: ((uint8_t *)dst)[i] = strtod(text, &end) != 0; break;
    case KILN_DTYPE_I8:
    case KILN_DTYPE_I16:
    case KILN_DTYPE_I32:
    case KILN_DTYPE_I64: {
      long long v = strtoll(text, &end, 10);
      int bits = dtype == KILN_DTYPE_I8 ? 8 : dtype == KILN_DTYPE_I16 ? 16
                 : dtype == KILN_DTYPE_I32 ? 32 : 64;
      if (bits < 64 && (v < -(1ll << (bits - 1)) || v >= (1ll << (bits - 1))))
        ok = 0;
      if (dtype == KILN_DTYPE_I8) ((int8_t *)dst)[i] = (int8_t)v;
      else if (dtype == KILN_DTYPE_I16) ((int16_t *)dst)[i] = (int16_t)v;
      else if (dtype == KILN_DTYPE_I32) ((int32_t *)dst)[i] = (int32_t)v;
      else ((int64_t *)dst)[i] = v;
      break;
    }
    case KILN_DTYPE_U8:
    case KILN_DTYPE_U16:
    case KILN_DTYPE_U32:
    case KILN_DTYPE_U64: {
      const char *digits = text;
      while (*digits == ' ' || *digits == '\t')
        ++digits;
      unsigned long long v = strtoull(text, &end, 10);
      int bits = dtype == KILN_DTYPE_U8 ? 8 : dtype == KILN_DTYPE_U16 ? 16
                 : dtype == KILN_DTYPE_U32 ? 32 : 64;
      if (*digits == '-' || (bits < 64 && v >> bits))
        ok = 0;
      if (dtype == KILN_DTYPE_U8) ((uint8_t *)dst)[i] = (uint8_t)v;
      else if (dtype == KILN_DTYPE_U16) ((uint16_t *)dst)[i] = (uint16_t)v;
      else if (dtype == KILN_DTYPE_U32) ((uint32_t *)dst)[i] = (uint32_t)v;
      else ((uint64_t *)dst)[i] = v;
      break;
    }
    default:
      kiln_rt_set_error("%s: cannot parse text as element type %d", where, dtype);
      return -1;
    }
    int is_float = dtype <= KILN_DTYPE_F64 || dtype == KILN_DTYPE_BOOL;
    if (end == text || !only_spaces(end) || !ok || (!is_float && errno == ERANGE)) {
      kiln_rt_set_error("%s: string element %lld (\"%.40s\") is not %s %s", where,
                        (long long)i, text, !ok || errno == ERANGE ? "in the range of" : "a",
                        dtype_name(dtype));
      return -1;
    }
  }
  return 0;
}

/* ---- sequences and optionals ------------------------------------------ */

/* Bytes of a deep copy of `v` (value structs, shapes, data), 16-aligned
 * pieces; 0 when it is malformed or too large. */
static size_t value_bytes(const kiln_value *v, int depth) {
  size_t total = 0;
  if (depth > 16)
    return 0;
  if (v->kind == KILN_VALUE_NONE)
    return 16;
  if (v->kind == KILN_VALUE_SEQUENCE) {
    if (v->count < 0 || (v->count > 0 && !v->items) || v->count > (1 << 24))
      return 0;
    total = ((size_t)v->count * sizeof(kiln_value) + 15) / 16 * 16;
    for (int64_t i = 0; i < v->count; ++i) {
      size_t item = value_bytes(&v->items[i], depth + 1);
      if (!item)
        return 0;
      total += item;
    }
    return total;
  }
  if (v->kind != KILN_VALUE_TENSOR || v->rank < 0 || v->rank > 16 ||
      (v->rank > 0 && !v->shape) || !kiln_dtype_size(v->dtype))
    return 0;
  uint64_t elements = 1;
  for (int d = 0; d < v->rank; ++d) {
    if (v->shape[d] < 0 || (v->shape[d] > 0 && elements > (UINT64_C(1) << 40) / (uint64_t)v->shape[d]))
      return 0;
    elements *= (uint64_t)v->shape[d];
  }
  if (elements && !v->data)
    return 0;
  uint64_t data = elements * kiln_dtype_size(v->dtype);
  if (v->dtype == KILN_DTYPE_STRING)
    for (uint64_t i = 0; i < elements; ++i) {
      const char *s = ((const char *const *)v->data)[i];
      if (!s)
        return 0;
      data += strlen(s) + 1;
    }
  return ((size_t)v->rank * 8 + 15) / 16 * 16 + ((size_t)data + 15) / 16 * 16;
}

/* Copies `src` into `dst`, its pieces carved from *next. */
static void copy_into(const kiln_value *src, kiln_value *dst, char **next) {
  *dst = *src;
  if (src->kind == KILN_VALUE_SEQUENCE) {
    kiln_value *items = (kiln_value *)*next;
    *next += ((size_t)src->count * sizeof(kiln_value) + 15) / 16 * 16;
    for (int64_t i = 0; i < src->count; ++i)
      copy_into(&src->items[i], &items[i], next);
    dst->items = items;
    return;
  }
  if (src->kind != KILN_VALUE_TENSOR)
    return;
  int64_t *shape = (int64_t *)*next;
  memcpy(shape, src->shape, (size_t)src->rank * 8);
  *next += ((size_t)src->rank * 8 + 15) / 16 * 16;
  uint64_t elements = 1;
  for (int d = 0; d < src->rank; ++d)
    elements *= (uint64_t)src->shape[d];
  char *data = *next;
  size_t bytes = (size_t)(elements * kiln_dtype_size(src->dtype));
  if (src->dtype == KILN_DTYPE_STRING) {
    const char **pointers = (const char **)data;
    char *text = data + bytes;
    for (uint64_t i = 0; i < elements; ++i) {
      const char *s = ((const char *const *)src->data)[i];
      size_t length = strlen(s) + 1;
      memcpy(text, s, length);
      pointers[i] = text;
      text += length;
      bytes += length;
    }
  } else if (bytes) {
    memcpy(data, src->data, bytes);
  }
  *next += (bytes + 15) / 16 * 16;
  dst->shape = shape;
  dst->data = data;
}

int kiln_rt_copy_value(const kiln_value *src, kiln_value *dst) {
  size_t bytes = value_bytes(src, 0);
  if (!bytes) {
    kiln_rt_set_error("a sequence or optional output is malformed or too large");
    return -1;
  }
  char *block = kiln_rt_output_alloc(bytes);
  if (!block) {
    kiln_rt_set_error("out of memory copying a %zu-byte sequence or optional", bytes);
    return -1;
  }
  char *next = block;
  copy_into(src, dst, &next);
  return 0;
}

/* Whether `v` has the type `nesting` + (dtype, rank, shape) of `desc`;
 * sets the error naming `what` when not. */
static int check_value(const kiln_value *v, const char *nesting,
                       const kiln_tensor_desc *desc, const char *what, int depth) {
  if (!v) {
    kiln_rt_set_error("%s: a null value", what);
    return 0;
  }
  if (*nesting == 'o') {
    if (v->kind == KILN_VALUE_NONE)
      return 1;
    ++nesting;
  }
  if (*nesting == 's') {
    if (v->kind != KILN_VALUE_SEQUENCE) {
      kiln_rt_set_error("%s: expected a sequence (kind %d), got kind %d", what,
                        KILN_VALUE_SEQUENCE, v->kind);
      return 0;
    }
    if (v->count < 0 || (v->count > 0 && !v->items)) {
      kiln_rt_set_error("%s: a sequence of %lld items at %p", what,
                        (long long)v->count, (const void *)v->items);
      return 0;
    }
    for (int64_t i = 0; i < v->count; ++i) {
      char item[160];
      snprintf(item, sizeof(item), "%s item %lld", what, (long long)i);
      if (!check_value(&v->items[i], nesting + 1, desc, item, depth + 1))
        return 0;
    }
    return 1;
  }
  if (v->kind != KILN_VALUE_TENSOR) {
    kiln_rt_set_error("%s: expected a tensor (kind %d), got kind %d", what,
                      KILN_VALUE_TENSOR, v->kind);
    return 0;
  }
  if (v->dtype != desc->dtype) {
    kiln_rt_set_error("%s: the model takes %s elements, got %s", what,
                      dtype_name(desc->dtype), dtype_name(v->dtype));
    return 0;
  }
  if (desc->rank >= 0 && v->rank != desc->rank) {
    kiln_rt_set_error("%s: the model takes rank %d, got rank %d", what, desc->rank,
                      v->rank);
    return 0;
  }
  for (int d = 0; d < v->rank; ++d)
    if (!v->shape || v->shape[d] < 0 ||
        (desc->rank >= 0 && desc->shape[d] >= 0 && v->shape[d] != desc->shape[d])) {
      kiln_rt_set_error("%s: dimension %d is %lld, the model needs %lld", what, d,
                        v->shape ? (long long)v->shape[d] : -1LL,
                        (long long)desc->shape[d]);
      return 0;
    }
  if (!value_bytes(v, depth)) {
    kiln_rt_set_error("%s: null data, null strings, or too large", what);
    return 0;
  }
  return 1;
}

int kiln_rt_check_value(const kiln_value *v, const kiln_tensor_desc *desc) {
  char what[128];
  snprintf(what, sizeof(what), "input '%s'", desc->name);
  return check_value(v, desc->nesting, desc, what, 0);
}
