#!/usr/bin/env python3
# Reference fixtures for TensorCore: forward outputs and gradients of matmul, bmm, conv1d,
# conv_transpose1d, softmax/log_softmax, prelu, clamp and the losses, computed by PyTorch, plus
# xoshiro256**/SplitMix64/FNV-1a reference draws computed independently here from the algorithm
# definitions. Versions: torch 2.15.0, numpy 2.4.6. Seed: torch.manual_seed(1234).
# Usage: python3 scripts/reference/tensor_ops.py  (writes Tests/TensorCoreTests/Fixtures/)
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TensorCoreTests", "Fixtures")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(1234)


def save(case, **arrays):
    for name, value in arrays.items():
        np.save(os.path.join(OUT, f"{case}_{name}.npy"), value.detach().numpy().astype(np.float32))


def leaf(*shape):
    return torch.randn(*shape, dtype=torch.float32, requires_grad=True)


def run(case, fn, inputs, names):
    out = fn(*inputs)
    g = torch.randn_like(out)
    out.backward(g)
    arrays = {n: t for n, t in zip(names, inputs)}
    arrays.update({"out": out, "g": g})
    arrays.update({"grad_" + n: t.grad for n, t in zip(names, inputs)})
    save(case, **arrays)


run("matmul", lambda a, b: a @ b, [leaf(3, 4), leaf(4, 5)], ["a", "b"])
run("bmm", lambda a, b: torch.matmul(a, b), [leaf(2, 1, 3, 4), leaf(3, 4, 5)], ["a", "b"])
run("linear", lambda x, w, b: F.linear(x, w, b), [leaf(2, 3, 4), leaf(5, 4), leaf(5)], ["x", "w", "b"])
run("conv1d", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), [leaf(2, 3, 11), leaf(4, 3, 3), leaf(4)], ["x", "w", "b"])
run("conv1d_s1", lambda x, w, b: F.conv1d(x, w, b, stride=1, padding=3), [leaf(2, 2, 9), leaf(3, 2, 7), leaf(3)], ["x", "w", "b"])
run("convt1d", lambda x, w, b: F.conv_transpose1d(x, w, b, stride=2, padding=2, output_padding=1),
    [leaf(2, 4, 6), leaf(4, 3, 5), leaf(3)], ["x", "w", "b"])
run("convt1d_s1", lambda x, w, b: F.conv_transpose1d(x, w, b, stride=1, padding=1),
    [leaf(1, 3, 7), leaf(3, 2, 3), leaf(2)], ["x", "w", "b"])
run("softmax", lambda x: torch.softmax(x, dim=1), [leaf(2, 5, 3)], ["x"])
run("logsoftmax", lambda x: torch.log_softmax(x, dim=-1), [leaf(3, 6)], ["x"])
run("prelu", lambda x, w: F.prelu(x, w), [leaf(2, 3, 4), torch.tensor([0.25, -0.5, 1.5], requires_grad=True)], ["x", "w"])
run("prelu1", lambda x, w: F.prelu(x, w), [leaf(2, 5, 3), torch.tensor([0.2], requires_grad=True)], ["x", "w"])
clamp_x = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
run("clamp", lambda x: torch.clamp(x, -1.0, 1.0), [clamp_x], ["x"])
run("mse", lambda p, t: F.mse_loss(p, t), [leaf(3, 4), leaf(3, 4)], ["p", "t"])
nll_logvar = (torch.randn(2, 3, 4) * 8).requires_grad_(True)  # some beyond +-10 to exercise the clamp


def gaussian_nll(x, m, lv):
    lv = torch.clamp(lv, -10.0, 10.0)
    return (0.5 * (lv + (x - m) ** 2 / torch.exp(lv))).sum()


run("gaussnll", gaussian_nll, [leaf(2, 3, 4), leaf(2, 3, 4), nll_logvar], ["x", "m", "lv"])
run("kl", lambda mu, lv: (-0.5 * (1 + lv - mu ** 2 - torch.exp(lv))).mean(), [leaf(2, 3), leaf(2, 3)], ["mu", "lv"])

# --- RNG reference, from the published algorithm definitions -------------------------------------
M64 = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


def xoshiro_next(s):
    result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
    t = (s[1] << 17) & M64
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 45)
    return result


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & M64
    return h


def seeded(seed, stream):
    st = seed ^ fnv1a64(stream)
    s = []
    for _ in range(4):
        st, z = splitmix(st)
        s.append(z)
    return s


s = [1, 2, 3, 4]
plain = [str(xoshiro_next(s)) for _ in range(6)]
s = seeded(42, "init")
init42 = [str(xoshiro_next(s)) for _ in range(6)]
s = seeded(42, "dropout")
dropout42 = [str(xoshiro_next(s)) for _ in range(3)]
s = seeded(7, "")
floats = [float(np.float32((xoshiro_next(s) >> 40) * 2.0 ** -24)) for _ in range(4)]
s = seeded(7, "normal")
normals = []
for _ in range(2):
    u1 = 1.0 - (xoshiro_next(s) >> 11) * 2.0 ** -53
    u2 = (xoshiro_next(s) >> 11) * 2.0 ** -53
    r = math.sqrt(-2.0 * math.log(u1))
    normals += [r * math.cos(2 * math.pi * u2), r * math.sin(2 * math.pi * u2)]
with open(os.path.join(OUT, "rng.json"), "w") as f:
    json.dump({"state1234": plain, "seed42_init": init42, "seed42_dropout": dropout42,
               "fnv1a64_init": str(fnv1a64("init")), "seed7_floats": floats, "seed7_normal": normals}, f, indent=1)
print("fixtures written to", os.path.abspath(OUT))
