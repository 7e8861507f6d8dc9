#!/usr/bin/env python3
"""Reference fixtures and the interop check for the Swift PyTorch .pth reader/writer.

torch 2.15.0 (CPU), Python 3; seed 0 (torch.manual_seed) for every random tensor.

  torch_pth.py fixtures OUTDIR   writes the tiny .pth files of Tests/FormatsTests/Fixtures/torch/
                                 and expected.json (keys, shapes, dtypes, row-major values)
  torch_pth.py cae SEEDPTH OUT   summarises /work/shared/data/seed/best_cae_model.pth
                                 (keys, shapes, sums, first values) into OUT (JSON)
  torch_pth.py check FILE        loads a .pth written by Swift with torch.load(weights_only=True)
                                 into TinyNet with load_state_dict(strict=True); prints JSON with
                                 each key's shape, dtype and row-major values
"""
import json
import os
import sys
from collections import OrderedDict

import torch
from torch import nn


class TinyNet(nn.Module):
    """Conv1d + bidirectional LSTM + Linear + BatchNorm1d: the state_dict the Swift writer mimics."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 4, kernel_size=3)
        self.norm = nn.BatchNorm1d(4)
        self.lstm = nn.LSTM(4, 2, batch_first=True, bidirectional=True)
        self.head = nn.Linear(4, 2)


def values(t):
    t = t.detach()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.float()
    if t.dtype == torch.bool:
        t = t.to(torch.uint8)
    return t.contiguous().reshape(-1).tolist()


def describe(sd):
    return [{"key": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""), "values": values(v)}
            for k, v in sd.items() if isinstance(v, torch.Tensor)]


def fixtures(out):
    torch.manual_seed(0)
    expected = {}

    # Shared storage, views with offsets, a transposed (non-contiguous) view, many dtypes.
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4
    views = OrderedDict()
    views["base"] = base
    views["row1"] = base[1]                      # offset 4 into the same storage
    views["transposed"] = base.t()               # strides (1, 4)
    views["column2"] = base[:, 2]                # offset 2, stride 4
    views["f64"] = torch.tensor([[1.5, -2.0], [1e-300, 3.0]], dtype=torch.float64)
    views["f16"] = torch.tensor([0.5, -1.25, 65504.0], dtype=torch.float16)
    views["bf16"] = torch.tensor([1.0, -3.5], dtype=torch.bfloat16)
    views["i64"] = torch.tensor([-(2 ** 40), 7], dtype=torch.int64)
    views["i32"] = torch.tensor([[-5, 6]], dtype=torch.int32)
    views["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    views["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
    views["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
    views["mask"] = torch.tensor([True, False, True])
    views["num_batches_tracked"] = torch.tensor(5)
    views["permuted"] = torch.randn(2, 3, 4).permute(2, 0, 1)
    torch.save(views, os.path.join(out, "views.pth"))
    expected["views.pth"] = describe(views)

    # A nested checkpoint with an optimizer state and plain Python values.
    net = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    net(torch.randn(4, 3)).sum().backward()
    opt.step()
    checkpoint = {"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 3,
                  "best_loss": 0.125, "name": "cae", "big": 2 ** 40, "done": True, "note": None}
    torch.save(checkpoint, os.path.join(out, "nested.pth"))
    expected["nested.pth"] = describe(net.state_dict())

    # More than 256 memo entries (LONG_BINPUT / LONG_BINGET).
    many = OrderedDict((f"layer{i}.weight", torch.full((2,), float(i))) for i in range(300))
    torch.save(many, os.path.join(out, "many.pth"))
    expected["many.pth"] = describe(many)

    # Protocol 4 pickle (FRAME, SHORT_BINUNICODE, MEMOIZE).
    small = OrderedDict([("w", torch.randn(2, 2)), ("b", torch.tensor([1, 2], dtype=torch.int64))])
    torch.save(small, os.path.join(out, "protocol4.pth"), pickle_protocol=4)
    expected["protocol4.pth"] = describe(small)

    # nn.Parameter objects (torch._utils._rebuild_parameter) rather than plain tensors.
    params = OrderedDict([("weight", nn.Parameter(torch.tensor([[0.5, -1.0]]))),
                          ("bias", nn.Parameter(torch.tensor([2.0]), requires_grad=False))])
    torch.save(params, os.path.join(out, "parameters.pth"))
    expected["parameters.pth"] = describe(params)

    # Legacy (pre-1.6, non-zip) serialisation, to be refused.
    torch.save(small, os.path.join(out, "legacy.pth"), _use_new_zipfile_serialization=False)

    # A whole pickled module: a global outside the allowlist, to be refused.
    torch.save(nn.Linear(2, 1), os.path.join(out, "module.pth"))

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


def cae(path, out):
    sd = torch.load(path, weights_only=True, map_location="cpu")
    summary = []
    for k, v in sd.items():
        flat = v.detach().reshape(-1).double()
        summary.append({"key": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""),
                        "sum": flat.sum().item(), "abs_sum": flat.abs().sum().item(),
                        "first": flat[:5].tolist(), "last": flat[-1].item()})
    with open(out, "w") as f:
        json.dump(summary, f, indent=1)


def check(path):
    sd = torch.load(path, weights_only=True, map_location="cpu")
    model = TinyNet()
    model.load_state_dict(sd, strict=True)
    loaded = model.state_dict()
    print(json.dumps({"order": list(sd.keys()), "tensors": describe(loaded)}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "fixtures":
        fixtures(sys.argv[2])
    elif command == "cae":
        cae(sys.argv[2], sys.argv[3])
    elif command == "check":
        check(sys.argv[2])
