#!/usr/bin/python3
"""poison_gguf.py IN.gguf OUT.gguf TENSOR: copies a GGUF with element 5 of
the f32 tensor TENSOR set to NaN (a minimal GGUF v3 reader: header, metadata
skipped by type, tensor infos)."""
import struct
import sys

SCALAR = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def main():
    src, dst, name = sys.argv[1:4]
    data = bytearray(open(src, "rb").read())
    pos = 8
    count, kvs = struct.unpack_from("<QQ", data, pos)
    pos += 16

    def string(at):
        n = struct.unpack_from("<Q", data, at)[0]
        return data[at + 8:at + 8 + n].decode(), at + 8 + n

    def skip(vtype, at):
        if vtype == 8:
            return string(at)[1]
        if vtype == 9:
            etype, n = struct.unpack_from("<IQ", data, at)
            at += 12
            for _ in range(n):
                at = skip(etype, at)
            return at
        return at + SCALAR[vtype]
    alignment = 32
    for _ in range(kvs):
        key, pos = string(pos)
        vtype = struct.unpack_from("<I", data, pos)[0]
        if key == "general.alignment":
            alignment = struct.unpack_from("<I", data, pos + 4)[0]
        pos = skip(vtype, pos + 4)
    target = None
    for _ in range(count):
        tname, pos = string(pos)
        ndims = struct.unpack_from("<I", data, pos)[0]
        pos += 4 + 8 * ndims
        ttype, offset = struct.unpack_from("<IQ", data, pos)
        pos += 12
        if tname == name:
            assert ttype == 0, "not an f32 tensor"
            target = offset
    base = (pos + alignment - 1) // alignment * alignment
    struct.pack_into("<f", data, base + target + 5 * 4, float("nan"))
    open(dst, "wb").write(data)


main()
