#!/usr/bin/env python3
"""h5py side of the HDF5 interoperability tests (h5py 3.16.0, numpy 2.4.6; no randomness).

  h5_layout.py dump FILE   prints JSON describing every dataset (shape, dtype, values as
                           lists, strings as str) and attribute (str / list / number) of FILE
  h5_layout.py write FILE  writes the fixed layout described in `write` below with h5py,
                           the way a colleague would, for Swift to read back
"""
import json
import sys

import h5py
import numpy as np


def plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()] if value.dtype.kind in "OSU" else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def dump(path):
    out = {"groups": {}, "datasets": {}}

    def visit(name, obj):
        attrs = {k: {"type": type(v).__name__, "value": plain(v)} for k, v in obj.attrs.items()}
        if isinstance(obj, h5py.Group):
            out["groups"][name] = {"children": list(obj.keys()), "attrs": attrs}
        else:
            if obj.dtype.kind == "O" or h5py.check_string_dtype(obj.dtype) is not None:
                values = obj.asstr()[()]
                values = values if isinstance(values, str) else [str(v) for v in values]
                dtype = "str"
            else:
                values = obj[()]
                dtype = str(obj.dtype)
                values = values.tolist() if isinstance(values, np.ndarray) else values.item()
            out["datasets"][name] = {"shape": list(obj.shape), "dtype": dtype, "values": values,
                                     "chunks": list(obj.chunks) if obj.chunks else None,
                                     "compression": obj.compression, "attrs": attrs}

    with h5py.File(path, "r") as f:
        out["groups"]["/"] = {"children": list(f.keys()),
                              "attrs": {k: {"type": type(v).__name__, "value": plain(v)}
                                        for k, v in f.attrs.items()}}
        f.visititems(visit)
    print(json.dumps(out))


def write(path):
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["format"] = "made-by-h5py"
        f.attrs["version"] = np.int64(7)
        f.attrs["scale"] = 0.25
        f.attrs["leads"] = ["I", "II", "V1"]
        g = f.create_group("model/weights", track_order=True)
        g.create_dataset("z.weight", data=np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8)
        g.create_dataset("a.bias", data=np.array([-1.5, 2.25], dtype=np.float64))
        f.create_dataset("counts", data=np.array([[1, -2], [3, 40000]], dtype=np.int32))
        f.create_dataset("small", data=np.array([1, 2, 250], dtype=np.uint8))
        f.create_dataset("wide", data=np.array([1, 65535], dtype=np.uint16))
        f.create_dataset("step", data=np.int64(123456789012))
        f.create_dataset("big", data=np.arange(100000, dtype=np.float32), chunks=(10000,),
                         compression="gzip", compression_opts=4, shuffle=True)
        f.create_dataset("script", data="load \"x\"\nprint(ü)")
        f.create_dataset("names", data=["alpha", "βeta", ""], dtype=h5py.string_dtype())
        f.create_dataset("fixed", data=np.array([b"ab", b"cde"], dtype="S3"))


if __name__ == "__main__":
    {"dump": dump, "write": write}[sys.argv[1]](sys.argv[2])
