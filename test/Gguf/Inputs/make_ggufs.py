#!/usr/bin/python3
"""make_ggufs.py OUT_DIR: small GGUF files, one valid and many malformed,
written byte by byte (not with gguf-py, which refuses to write bad files).

valid.gguf: v3, 3 metadata values (a string, a u32, a nested array), two
tensors (F32 [4, 2] and Q8_0 [32]). Each bad-*.gguf breaks one rule."""
import os
import struct
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def s(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def kv_string(key, value):
    return s(key) + struct.pack("<I", 8) + s(value)


def kv_u32(key, value):
    return s(key) + struct.pack("<I", 4) + struct.pack("<I", value)


def kv_nested(key):
    inner = struct.pack("<IQ", 5, 2) + struct.pack("<ii", -1, 7)
    return s(key) + struct.pack("<I", 9) + struct.pack("<IQ", 9, 2) + inner + inner


def tensor_info(name, dims, ggml_type, offset):
    return (s(name) + struct.pack("<I", len(dims)) +
            b"".join(struct.pack("<Q", d) for d in dims) +
            struct.pack("<IQ", ggml_type, offset))


def build(version=3, magic=b"GGUF", kvs=None, infos=None, tensor_count=None,
          kv_count=None, data=None, alignment=32):
    kvs = kvs if kvs is not None else [
        kv_string("general.architecture", "llama"),
        kv_u32("general.alignment", alignment),
        kv_nested("test.nested")]
    infos = infos if infos is not None else [
        tensor_info("a", [4, 2], 0, 0),
        tensor_info("q", [32], 8, 64)]
    head = magic + struct.pack("<IQQ", version,
                               len(infos) if tensor_count is None else tensor_count,
                               len(kvs) if kv_count is None else kv_count)
    body = head + b"".join(kvs) + b"".join(infos)
    pad = (-len(body)) % alignment if alignment else 0
    body += b"\0" * pad
    if data is None:
        data = bytes(range(32)) + b"\0" * 32 + b"\x00\x3c" + bytes(32)  # 64 + 34
    return body + data


def write(name, blob):
    with open(os.path.join(out, name), "wb") as f:
        f.write(blob)


valid = build()
write("valid.gguf", valid)
write("bad-magic.gguf", build(magic=b"GGUX"))
write("bad-version.gguf", build(version=1))
write("bad-truncated-header.gguf", valid[:14])
write("bad-truncated-kv.gguf", valid[:60])
write("bad-truncated-data.gguf", valid[:-10])
write("bad-tensor-count.gguf", build(tensor_count=1 << 60))
write("bad-kv-count.gguf", build(kv_count=1 << 62))
write("bad-string-length.gguf", build(kvs=[s("general.architecture")[:0] +
                                           struct.pack("<Q", 1 << 40) + b"abc"]))
write("bad-array-count.gguf", build(kvs=[s("x") + struct.pack("<IIQ", 9, 4, 1 << 61)]))
deep = s("deep") + struct.pack("<I", 9) + struct.pack("<IQ", 9, 1) * 20
write("bad-array-depth.gguf", build(kvs=[deep]))
write("bad-value-type.gguf", build(kvs=[s("x") + struct.pack("<I", 13) + b"\0" * 8]))
write("bad-bool.gguf", build(kvs=[s("x") + struct.pack("<IB", 7, 2)]))
write("bad-duplicate-key.gguf", build(kvs=[kv_u32("x", 1), kv_u32("x", 2)]))
write("bad-duplicate-tensor.gguf", build(infos=[tensor_info("a", [4, 2], 0, 0),
                                                tensor_info("a", [4, 2], 0, 32)]))
write("bad-tensor-type.gguf", build(infos=[tensor_info("a", [4, 2], 99, 0)]))
write("bad-zero-dim.gguf", build(infos=[tensor_info("a", [4, 0], 0, 0)]))
write("bad-many-dims.gguf", build(infos=[tensor_info("a", [1, 1, 1, 1, 1], 0, 0)]))
write("bad-dim-overflow.gguf", build(infos=[tensor_info("a", [1 << 40, 1 << 40], 0, 0)]))
write("bad-block-row.gguf", build(infos=[tensor_info("q", [33], 8, 0)]))
write("bad-offset-past-end.gguf", build(infos=[tensor_info("a", [4, 2], 0, 1 << 20)]))
write("bad-offset-misaligned.gguf", build(infos=[tensor_info("a", [4, 2], 0, 4)]))
write("bad-alignment.gguf", build(alignment=3))
write("empty.gguf", b"")
