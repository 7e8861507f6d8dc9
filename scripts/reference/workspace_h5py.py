#!/usr/bin/env python3
"""h5py side of the workspace interoperability tests (h5py 3.16.0, numpy 2.4.6; no randomness).

Reads and writes ecgs workspaces following docs/workspace-format.md, with h5py only, the way
a colleague without ecgs would.

  workspace_h5py.py dump FILE   prints JSON: root attributes, /session, and every variable
                                decoded by its `type` attribute (numbers, strings, bools,
                                none, nested lists, tensors, records); float arrays also as
                                hex bit patterns (little-endian uint32/uint64) for exact checks
  workspace_h5py.py write FILE  writes a workspace in the documented layout (see `write`)
  workspace_h5py.py wfdb FILE VARIABLE RECORD
                                compares the record variable with wfdb-python 4.3.1's reading
                                of the original WFDB record (p_signal, fs, names, units, comments)
  workspace_h5py.py bench [TENSORS ELEMENTS REPEATS FOLDER]
                                the h5py side of Sources/ecgs-bench/WorkspaceBench.swift: the
                                same tensors, layout, chunks and filters; median save/load MB/s
"""
import json
import math
import os
import sys
import time

import h5py
import numpy as np


def plain(value):
    """Attributes and small values as JSON-ready Python values (str, int, float, lists)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def bits(array):
    """Hex bit patterns of a float array, C order."""
    flat = np.ascontiguousarray(array).ravel()
    view = flat.view("<u4") if flat.dtype == np.float32 else flat.view("<u8")
    width = 8 if flat.dtype == np.float32 else 16
    return [format(int(u), "0%dx" % width) for u in view]


def layout(dataset):
    return {"shape": list(dataset.shape), "dtype": str(dataset.dtype),
            "chunks": list(dataset.chunks) if dataset.chunks else None,
            "compression": dataset.compression, "shuffle": bool(dataset.shuffle),
            "attrs": {k: plain(v) for k, v in dataset.attrs.items()}}


def read_value(group):
    kind = group.attrs["type"]
    out = {"type": kind, "attrs": {k: plain(v) for k, v in group.attrs.items()},
           "children": list(group.keys())}
    if kind == "number":
        out["value"] = plain(group["value"][()])
        out["value_layout"] = layout(group["value"])
    elif kind == "string":
        out["value"] = group["value"].asstr()[()]
    elif kind == "bool":
        out["value"] = bool(group["value"][()])
        out["value_layout"] = layout(group["value"])
    elif kind == "list":
        out["items"] = [read_value(group[str(i)]) for i in range(int(group.attrs["length"]))]
    elif kind == "tensor":
        data = group["data"]
        out["data"] = layout(data)
        out["bits"] = bits(data[()])
    elif kind == "record":
        signal = group["signal"]
        out["signal"] = layout(signal)
        out["bits"] = bits(signal[()])
        out["lead_names"] = list(group["lead_names"].asstr()[()])
        out["units"] = list(group["units"].asstr()[()])
        out["comments"] = list(group["comments"].asstr()[()])
        out["provenance"] = json.loads(group["provenance"].asstr()[()])
    return out


def dump(path):
    with h5py.File(path, "r") as f:
        out = {"root": {k: plain(v) for k, v in f.attrs.items()},
               "root_children": list(f.keys()),
               "session": {name: f["session"][name].asstr()[()] for name in f["session"]},
               "variables": {name: read_value(f["variables"][name]) for name in f["variables"]},
               "variable_order": list(f["variables"].keys())}
    print(json.dumps(out))


def put(parent, name, kind):
    group = parent.create_group(name, track_order=True)
    group.attrs["type"] = kind
    return group


def write(path):
    """The documented layout, written as a Python user would from the docs' snippets."""
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["format"] = "ecgs-workspace"
        f.attrs["format_version"] = "1.0"
        f.attrs["ecgs_version"] = "h5py-writer"
        f.attrs["created_utc"] = "2026-11-25T18:00:00Z"
        f.attrs["seed"] = np.int64(7)
        session = f.create_group("session")
        session.create_dataset("script", data="x = 2.5\nprint(x) -- written by h5py", dtype=h5py.string_dtype())
        session.create_dataset("ecgs_build", data="h5py " + h5py.__version__, dtype=h5py.string_dtype())
        variables = f.create_group("variables", track_order=True)

        put(variables, "n", "number").create_dataset("value", data=2.5)
        put(variables, "count", "number").create_dataset("value", data=np.int64(7))
        put(variables, "s", "string").create_dataset("value", data="héllo ✓", dtype=h5py.string_dtype())
        flag = put(variables, "b", "bool").create_dataset("value", data=np.uint8(1))
        flag.attrs["ecgs_dtype"] = "bool"
        put(variables, "z", "none")

        items = put(variables, "l", "list")
        items.attrs["length"] = np.int64(3)
        put(items, "0", "number").create_dataset("value", data=1.0)
        put(items, "1", "string").create_dataset("value", data="a", dtype=h5py.string_dtype())
        inner = put(items, "2", "list")
        inner.attrs["length"] = np.int64(1)
        put(inner, "0", "bool").create_dataset("value", data=np.uint8(0))

        # A list whose group does not track creation order: h5py lists "0", "1", "10", "11", "2", ...
        many = variables.create_group("many", track_order=False)
        many.attrs["type"] = "list"
        many.attrs["length"] = np.int64(12)
        for index in range(12):
            put(many, str(index), "number").create_dataset("value", data=float(index))

        put(variables, "t", "tensor").create_dataset(
            "data", data=np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8 - 1)
        put(variables, "t64", "tensor").create_dataset("data", data=np.array([0.1, 1 / 3, -2.5]))
        put(variables, "big", "tensor").create_dataset(
            "data", data=(np.arange(64000, dtype=np.float32) % 97 / 4).reshape(64, 1000),
            chunks=(16, 1000), compression="gzip", compression_opts=4, shuffle=True)

        record = put(variables, "r", "record")
        record.attrs["record_name"] = "100"
        record.attrs["sampling_rate"] = 360.0
        record.attrs["source"] = "mitdb/100.hea"
        record.attrs["source_format"] = "wfdb/212"
        signal = record.create_dataset(
            "signal", data=(np.arange(1000, dtype=np.float32).reshape(2, 500) % 50 - 25) / 16)
        signal.attrs["dims"] = "lead,time"
        record.create_dataset("lead_names", data=["MLII", "V5"], dtype=h5py.string_dtype())
        record.create_dataset("units", data=["mV", "mV"], dtype=h5py.string_dtype())
        record.create_dataset("comments", data=["69 M 1085 1629 x1"], dtype=h5py.string_dtype())
        record.create_dataset("provenance", dtype=h5py.string_dtype(), data=json.dumps(
            [{"name": "bandpass", "parameters": [{"name": "low", "value": "0.5"}, {"name": "high", "value": "40"},
                                                 {"name": "order", "value": 4}]},
             {"name": "zscore"}]))


def compare_wfdb(path, variable, record_path):
    """How far the workspace's record is from wfdb-python's reading of the source record."""
    import wfdb
    source = wfdb.rdrecord(record_path)
    with h5py.File(path, "r") as f:
        group = f["variables"][variable]
        signal = group["signal"][()]
        expected = source.p_signal.T
        out = {"shape": list(signal.shape), "wfdb_shape": list(expected.shape),
               "max_abs_difference": float(np.max(np.abs(signal - expected))) if signal.shape == expected.shape else None,
               "identical": bool(signal.shape == expected.shape and np.array_equal(signal, expected)),
               "sampling_rate": float(group.attrs["sampling_rate"]), "wfdb_fs": float(source.fs),
               "lead_names": list(group["lead_names"].asstr()[()]), "wfdb_sig_name": list(source.sig_name),
               "units": list(group["units"].asstr()[()]), "wfdb_units": list(source.units),
               "comments": list(group["comments"].asstr()[()]), "wfdb_comments": list(source.comments)}
    print(json.dumps(out))


def bench(tensor_count=256, elements=1 << 20, repeats=3, folder="/tmp"):
    """Saves (temporary file, fsync, rename, as ecgs does) and loads the bench workspace."""
    position = np.arange(elements)
    tensors = [(np.sin(position * 0.001 + index).astype(np.float32)
                + (position % 7).astype(np.float32) * np.float32(1e-3)).reshape(elements // 1024, 1024)
               for index in range(tensor_count)]
    chunk_rows = elements // 1024
    while chunk_rows * 1024 * 4 > 1 << 20:
        chunk_rows = (chunk_rows + 1) // 2
    path = os.path.join(folder, "ecgs-workspacebench-py-%d.h5" % os.getpid())
    temporary = path + ".tmp"
    megabytes = tensor_count * elements * 4 / 1e6
    saves, loads = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        with h5py.File(temporary, "w", track_order=True, libver=("earliest", "v108")) as f:
            f.attrs["format"] = "ecgs-workspace"
            f.attrs["format_version"] = "1.0"
            variables = f.create_group("variables", track_order=True)
            for index, tensor in enumerate(tensors):
                group = put(variables, "t%d" % index, "tensor")
                group.create_dataset("data", data=tensor, chunks=(chunk_rows, 1024),
                                     compression="gzip", compression_opts=4, shuffle=True)
        descriptor = os.open(temporary, os.O_RDONLY)
        os.fsync(descriptor)
        os.close(descriptor)
        os.rename(temporary, path)
        saves.append(time.perf_counter() - start)
        start = time.perf_counter()
        with h5py.File(path, "r") as f:
            loaded = [f["variables"][name]["data"][()] for name in f["variables"]]
        loads.append(time.perf_counter() - start)
        assert len(loaded) == tensor_count and np.array_equal(loaded[-1], tensors[-1])
    size = os.path.getsize(path) / 1e6
    os.remove(path)
    save, load = sorted(saves)[repeats // 2], sorted(loads)[repeats // 2]
    print("h5py workspace bench: %d tensors x %d float32 = %.0f MB, median of %d" %
          (tensor_count, elements, megabytes, repeats))
    print("  file %.0f MB; save %.2f s (%.0f MB/s), load %.2f s (%.0f MB/s)" %
          (size, save, megabytes / save, load, megabytes / load))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "bench":
        arguments = sys.argv[2:]
        bench(*[int(a) for a in arguments[:3]], *arguments[3:4])
    elif len(sys.argv) == 5 and sys.argv[1] == "wfdb":
        compare_wfdb(*sys.argv[2:5])
    elif len(sys.argv) == 3 and sys.argv[1] in ("dump", "write"):
        (dump if sys.argv[1] == "dump" else write)(sys.argv[2])
    else:
        sys.exit("usage: workspace_h5py.py dump|write FILE | wfdb FILE VARIABLE RECORD | "
                 "bench [TENSORS ELEMENTS REPEATS FOLDER]")
