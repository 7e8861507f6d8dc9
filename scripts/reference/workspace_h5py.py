#!/usr/bin/env python3
"""h5py side of the workspace interoperability tests (h5py 3.16.0, numpy 2.4.6; no randomness).

Reads and writes ecgs workspaces following docs/workspace-format.md, with h5py only, the way
a colleague without ecgs would.

  workspace_h5py.py dump FILE   prints JSON: root attributes, /session, and every variable
                                decoded by its `type` attribute (numbers, strings, bools,
                                none, nested lists, tensors, records, datasets, models,
                                score results, dataset scores, metric tables, thresholds);
                                float arrays also as hex bit patterns (little-endian
                                uint32/uint64) for exact checks; a model's parameters are also
                                loaded into the reference PyTorch module (models.py, torch
                                2.15.0) with load_state_dict(strict=True)
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
        if "diagnoses" in group:
            out["diagnoses"] = list(group["diagnoses"].asstr()[()])
    elif kind == "threshold":
        out["parameters"] = {k: plain(v) for k, v in group["parameters"].attrs.items()}
    elif kind == "dataset":
        out["records"] = read_value(group["records"])
        out["labels"] = plain(group["labels"][()])
        out["diagnosis_codes"] = list(group["diagnosis_codes"].asstr()[()])
        out["diagnosis_counts"] = plain(group["diagnosis_counts"][()])
        out["skipped"] = list(group["skipped"].asstr()[()])
        if "split" in group:
            split = group["split"]
            out["split"] = {"attrs": {k: plain(v) for k, v in split.attrs.items()},
                            "training": plain(split["training"][()]), "validation": plain(split["validation"][()])}
        if "windows" in group:
            windows = group["windows"]
            out["windows"] = {"attrs": {k: plain(v) for k, v in windows.attrs.items()}, "data": layout(windows["data"]),
                              "record_indices": plain(windows["record_indices"][()]),
                              "starts": plain(windows["starts"][()])}
    elif kind == "model":
        out["configuration"] = {k: plain(v) for k, v in group["configuration"].attrs.items()}
        parameters = group["parameters"]
        out["parameter_order"] = plain(parameters.attrs["parameter_order"])
        out["parameters"] = {key: {"shape": list(parameters[key].shape), "dtype": str(parameters[key].dtype),
                                   "bits": bits(parameters[key][()])} for key in parameters}
        out["torch_load"] = torch_load(out["configuration"], parameters)
        if "training_state" in group:
            state = group["training_state"]
            out["training_state"] = {"attrs": {k: plain(v) for k, v in state.attrs.items()},
                                     "history": {k: plain(v[()]) for k, v in state["history"].items()},
                                     "children": list(state.keys())}
            if "optimizer" in state:
                optimizer = state["optimizer"]
                out["training_state"]["optimizer"] = {
                    "keys": list(optimizer["keys"].asstr()[()]), "step": plain(optimizer["step"][()]),
                    "exp_avg_shapes": {k: list(v.shape) for k, v in optimizer["exp_avg"].items()}}
        if "training_options" in group:
            out["training_options"] = {k: plain(v) for k, v in group["training_options"].attrs.items()}
        if "threshold" in group:
            out["threshold"] = {k: plain(v) for k, v in group["threshold"].attrs.items()}
    elif kind == "score_result":
        out["window_scores"] = plain(group["window_scores"][()])
        out["window_starts"] = plain(group["window_starts"][()])
        out["arrays"] = {name: layout(group[name]) for name in group if isinstance(group[name], h5py.Dataset)}
        out["reconstruction_bits"] = bits(group["reconstruction"][()])
    elif kind == "dataset_scores":
        out["names"] = list(group["names"].asstr()[()])
        out["labels"] = plain(group["labels"][()])
        out["scores"] = bits(group["scores"][()])
        out["window_counts"] = plain(group["window_counts"][()])
        if "details" in group:
            out["details"] = read_value(group["details"])
    elif kind == "metric_table":
        out["columns"] = {name: (list(group[name].asstr()[()]) if group[name].dtype.kind == "O" else plain(group[name][()]))
                          for name in group.attrs["columns"]}
    return out


def torch_load(configuration, parameters):
    """Loads the stored parameters into the reference PyTorch module of the same configuration."""
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import models
    module = models.build(configuration["kind"], list(configuration["encoder_hidden"]),
                          list(configuration["decoder_hidden"]), int(configuration["latent"]))
    try:
        module.load_state_dict({key: torch.from_numpy(parameters[key][()]) for key in parameters}, strict=True)
    except RuntimeError as error:
        return str(error)
    return "ok"


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
        f.attrs["format_version"] = "1.1"
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

        write_new_kinds(variables)


def pattern(shape, offset):
    """Deterministic float32 values for a parameter: (arange + offset) % 101 / 1000 - 0.05."""
    count = int(np.prod(shape)) if len(shape) else 1
    return ((np.arange(count, dtype=np.float64) + offset) % 101 / 1000 - 0.05).astype(np.float32).reshape(shape)


def write_threshold(group, method, value, count, parameters):
    group.attrs["method"] = method
    group.attrs["value"] = value
    group.attrs["sample_count"] = np.int64(count)
    extra = group.create_group("parameters")
    for name, number in parameters.items():
        extra.attrs[name] = number


def write_new_kinds(variables):
    """Kinds of format 1.1 (threshold, model, dataset, metric_table, score_result), as documented."""
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import models

    write_threshold(put(variables, "th", "threshold"), "percentile", 0.8125, 40, {"p": 95.0})

    # A PyTorch VAE-BiLSTM's state_dict, every parameter filled with a known pattern.
    module = models.build("vae", [8, 8], [8, 8], 4)
    model = put(variables, "m", "model")
    model.attrs["kind"] = "vae"
    model.attrs["size_name"] = "custom"
    model.attrs["origin"] = "torch " + torch.__version__
    configuration = model.create_group("configuration")
    for name, value in [("kind", "vae"), ("leads", np.int64(12)), ("encoder_hidden", np.array([8, 8], np.int64)),
                        ("decoder_hidden", np.array([8, 8], np.int64)), ("latent", np.int64(4)),
                        ("temporal_heads", np.int64(2)), ("lead_heads", np.int64(2)), ("input_noise", "none"),
                        ("mlp_dropout", 0.1)]:
        configuration.attrs[name] = value
    parameters = model.create_group("parameters", track_order=True)
    for index, (key, tensor) in enumerate(module.state_dict().items()):
        parameters.create_dataset(key, data=pattern(tuple(tensor.shape), index))
    write_threshold(model.create_group("threshold"), "f1", 1.5, 10, {"f1": 0.75})

    dataset = put(variables, "d", "dataset")
    dataset.attrs["source"] = "h5py"
    dataset.attrs["record_count"] = np.int64(2)
    records = put(dataset, "records", "list")
    records.attrs["length"] = np.int64(2)
    for index in range(2):
        record = put(records, str(index), "record")
        record.attrs["record_name"] = "r%d" % index
        record.attrs["sampling_rate"] = 100.0
        record.create_dataset("signal", data=np.full((1, 300), index + 0.5))
        record.create_dataset("lead_names", data=["II"], dtype=h5py.string_dtype())
        record.create_dataset("units", data=["mV"], dtype=h5py.string_dtype())
    dataset.create_dataset("labels", data=np.array([1, -1], np.int64))
    dataset.create_dataset("diagnosis_codes", data=["MI", "STTC"], dtype=h5py.string_dtype())
    dataset.create_dataset("diagnosis_counts", data=np.array([2, 0], np.int64))
    split = dataset.create_group("split")
    split.attrs["seed"] = np.int64(42)
    split.attrs["validation_fraction"] = 0.5
    split.create_dataset("training", data=np.array([1], np.int64))
    split.create_dataset("validation", data=np.array([0], np.int64))

    table = put(variables, "e", "metric_table")
    table.attrs["row_count"] = np.int64(1)
    row = table.create_group("rows").create_group("0")
    row.attrs["name"] = "h5py row"
    write_threshold(row.create_group("threshold"), "youden", 0.5, 6, {})
    row.create_dataset("scores", data=np.array([0.1, 0.9, 0.4, 0.7, 0.2, 0.6]))
    labels = row.create_dataset("labels", data=np.array([0, 1, 0, 1, 0, 0], np.uint8))
    labels.attrs["ecgs_dtype"] = "bool"

    score = put(variables, "sr", "score_result")
    for name, value in [("record_name", "r0"), ("model_kind", "cae"), ("method", "mse"), ("score", 0.25),
                        ("score_source", "record"), ("windowed_score", 0.5), ("heart_rate", 72.0)]:
        score.attrs[name] = value
    score.create_dataset("window_scores", data=np.array([0.5, 0.5]))
    score.create_dataset("window_starts", data=np.array([0, 150], np.int64))
    for name in ("reconstruction", "squared_error", "anomaly_trace"):
        score.create_dataset(name, data=np.full((1, 300), 0.25, np.float32))


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
            f.attrs["format_version"] = "1.1"
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
