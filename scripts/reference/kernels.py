"""Reference fixtures for the fused kernels (Sources/TensorCore/Kernels), from PyTorch.

Versions: torch 2.15.0, numpy 2.4.6. Seeds: torch.manual_seed(20261125) for LSTM,
20261126 for the temporal attention, 20261127 for the lead attention.
Inputs and parameters are drawn in float32 and written as float32; the references are
computed in float64 from those exact values and written as float64.
Output: Tests/TensorCoreTests/Kernels/Fixtures/*.npy (about 60 kB in all).

Run: python3 scripts/reference/kernels.py
"""
import pathlib

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/TensorCoreTests/Kernels/Fixtures"


def save(name, tensor):
    array = tensor.detach().numpy() if isinstance(tensor, torch.Tensor) else tensor
    np.save(OUT / f"{name}.npy", np.ascontiguousarray(array))


def lstm_case(prefix, seed, batch, time, inputs, hidden, bidirectional):
    torch.manual_seed(seed)
    lstm32 = torch.nn.LSTM(inputs, hidden, batch_first=True, bidirectional=bidirectional)
    x32 = torch.randn(batch, time, inputs)
    directions = 2 if bidirectional else 1
    r32 = torch.randn(batch, time, directions * hidden)
    lstm = lstm32.double()
    x = x32.double().requires_grad_(True)
    out, _ = lstm(x)
    (out * r32.double()).sum().backward()
    save(f"{prefix}_x", x32)
    save(f"{prefix}_r", r32)
    save(f"{prefix}_out", out)
    save(f"{prefix}_dx", x.grad)
    for name, parameter in lstm.named_parameters():
        # weight_ih_l0, weight_hh_l0_reverse, ... written as float32 values and float64 grads
        save(f"{prefix}_{name}", parameter.detach().float())
        save(f"{prefix}_grad_{name}", parameter.grad)


def mha_case(prefix, seed, batch, query_length, key_length, embed, heads):
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(embed, heads, batch_first=True)
    # Non-zero biases so the test exercises them.
    with torch.no_grad():
        mha.in_proj_bias.normal_(0, 0.1)
        mha.out_proj.bias.normal_(0, 0.1)
    q32 = torch.randn(batch, query_length, embed)
    k32 = torch.randn(batch, key_length, embed)
    v32 = torch.randn(batch, key_length, embed)
    r_out = torch.randn(batch, query_length, embed)
    r_weights = torch.randn(batch, query_length, key_length)
    for name, tensor in [("q", q32), ("k", k32), ("v", v32), ("r_out", r_out), ("r_weights", r_weights),
                         ("in_proj_weight", mha.in_proj_weight), ("in_proj_bias", mha.in_proj_bias),
                         ("out_proj_weight", mha.out_proj.weight), ("out_proj_bias", mha.out_proj.bias)]:
        save(f"{prefix}_{name}", tensor.detach().float())
    mha = mha.double()
    q, k, v = (t.double().requires_grad_(True) for t in (q32, k32, v32))
    out, weights = mha(q, k, v, need_weights=True, average_attn_weights=True)
    ((out * r_out.double()).sum() + (weights * r_weights.double()).sum()).backward()
    save(f"{prefix}_out", out)
    save(f"{prefix}_weights", weights)
    for name, tensor in [("dq", q.grad), ("dk", k.grad), ("dv", v.grad),
                         ("grad_in_proj_weight", mha.in_proj_weight.grad),
                         ("grad_in_proj_bias", mha.in_proj_bias.grad),
                         ("grad_out_proj_weight", mha.out_proj.weight.grad),
                         ("grad_out_proj_bias", mha.out_proj.bias.grad)]:
        save(f"{prefix}_{name}", tensor)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_grad_enabled(True)
    lstm_case("lstm_bi", 20261125, batch=3, time=7, inputs=5, hidden=4, bidirectional=True)
    lstm_case("lstm_uni", 20261128, batch=2, time=6, inputs=3, hidden=17, bidirectional=False)
    mha_case("mha", 20261126, batch=2, query_length=5, key_length=7, embed=8, heads=2)
    mha_case("lead", 20261127, batch=6, query_length=12, key_length=12, embed=16, heads=4)
    print("wrote", sorted(p.name for p in OUT.glob("*.npy")).__len__(), "fixtures to", OUT)
