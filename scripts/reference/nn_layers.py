"""Reference fixtures for the NN layers and losses (Sources/NN), from PyTorch.

Versions: torch 2.15.0, numpy 2.4.6. Seed: torch.manual_seed(20261125 + case index) per case.
Parameters and inputs are drawn in float32 (torch defaults, plus random biases where torch
initialises them to zero so that the bias paths are tested) and written as float32; each case is
then evaluated in float64 from those exact values: the forward output, and for the objective
sum(output * r) with a fixed random r the gradient of every parameter and of the input.
Also writes state_dict key lists and shapes of small composite modules and of the
reference models of models.py at tiny sizes (keys.json).
Output: Tests/NNTests/Fixtures/<case>/*.npy and keys.json (about 100 kB in all).

Run: python3 scripts/reference/nn_layers.py
"""
import json
import math
import pathlib

import numpy as np
import torch
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parents[2] / "Tests/NNTests/Fixtures"


def save(folder, name, tensor):
    folder.mkdir(parents=True, exist_ok=True)
    array = tensor.detach().numpy() if isinstance(tensor, torch.Tensor) else tensor
    np.save(folder / f"{name}.npy", np.ascontiguousarray(array))


def run_case(index, name, make_module, input_shapes, call=None, randomize_biases=False):
    """Builds the module and inputs in float32, evaluates in float64, saves everything."""
    torch.manual_seed(20261125 + index)
    module = make_module()
    if randomize_biases:
        with torch.no_grad():
            for key, parameter in module.named_parameters():
                if "bias" in key:
                    parameter.uniform_(-0.5, 0.5)
    inputs32 = [torch.randn(*shape) for shape in input_shapes]
    folder = ROOT / name
    for key, parameter in module.named_parameters():
        save(folder, f"param_{key}", parameter.detach().float())
    for i, x in enumerate(inputs32):
        save(folder, f"input{i}", x)
    module = module.double()
    module.eval()
    inputs = [x.double().requires_grad_(True) for x in inputs32]
    outputs = call(module, inputs) if call else module(*inputs)
    if not isinstance(outputs, tuple):
        outputs = (outputs,)
    objective = 0
    for i, out in enumerate(outputs):
        r = torch.randn(*out.shape)
        save(folder, f"output{i}", out)
        save(folder, f"seed{i}", r)
        objective = objective + (out * r.double()).sum()
    objective.backward()
    for key, parameter in module.named_parameters():
        save(folder, f"grad_{key}", parameter.grad)
    for i, x in enumerate(inputs):
        save(folder, f"grad_input{i}", x.grad)


def mha_call(module, inputs):
    query, key, value = inputs
    return module(query, key, value, need_weights=True, average_attn_weights=True)


def mha_shared_call(module, inputs):
    # the model's temporal attention: ma(qk, qk, z)
    qk, value = inputs
    return module(qk, qk, value, need_weights=True, average_attn_weights=True)


def lead_call(module, inputs):
    (tokens,) = inputs
    return module(tokens, tokens, tokens, need_weights=True, average_attn_weights=True)


class Losses(nn.Module):
    """Gaussian NLL (clamped and unclamped), KL (both reductions) and MSE of one batch."""

    def forward(self, x, mean, logvar, mu, zlogvar):
        clamped = logvar.clamp(-10, 10)
        nll = -torch.distributions.Normal(mean, torch.exp(0.5 * clamped)).log_prob(x)
        nll = nll.sum(dim=[1, 2]).mean()
        nll_raw = -torch.distributions.Normal(mean, torch.exp(0.5 * logvar)).log_prob(x)
        nll_raw = nll_raw.sum(dim=[1, 2]).mean()
        kl_terms = -0.5 * (1 + zlogvar - mu.pow(2) - zlogvar.exp())
        kl_mean = kl_terms.mean()
        kl_sum = (0.5 * (torch.exp(zlogvar) + mu**2 - 1 - zlogvar)).sum(dim=[1, 2]).mean()
        mse = nn.functional.mse_loss(mean, x)
        return (nll.reshape(1), nll_raw.reshape(1), kl_mean.reshape(1), kl_sum.reshape(1), mse.reshape(1))


def losses_case(index):
    torch.manual_seed(20261125 + index)
    folder = ROOT / "losses"
    x = torch.randn(3, 4, 2)
    mean = torch.randn(3, 4, 2)
    logvar = torch.randn(3, 4, 2) * 4
    logvar[0, 0, 0] = 12.5   # beyond the clamp: no gradient through the clamped NLL
    logvar[1, 2, 1] = -11.0
    mu = torch.randn(3, 4, 5)
    zlogvar = torch.randn(3, 4, 5)
    values = [x, mean, logvar, mu, zlogvar]
    names = ["x", "mean", "logvar", "mu", "zlogvar"]
    for n, v in zip(names, values):
        save(folder, n, v)
    outputs = Losses()(*[v.double() for v in values])
    for i, out in enumerate(outputs):
        leaves = [v.double().requires_grad_(True) for v in values]
        value = Losses()(*leaves)[i].sum()
        value.backward()
        save(folder, f"loss{i}", value.detach().reshape(1))
        for n, leaf in zip(names, leaves):
            save(folder, f"loss{i}_grad_{n}", leaf.grad if leaf.grad is not None else torch.zeros_like(leaf))


def keys_fixture(root=ROOT):
    """Writes root/keys.json: state_dict keys and shapes of the reference models (models.py) at tiny sizes."""
    # Imported here, after the layer cases: models.py pins torch to one thread when imported.
    from models import CAE, VAE, mlp

    modules = {
        "to_stats": mlp(10, 5, 16),
        "lstm_bi": nn.LSTM(12, 6, batch_first=True, bidirectional=True),
        "mha": nn.MultiheadAttention(8, 4, batch_first=True),
        "tiny_vae": VAE(12, (6, 5), (5, 6), 8, attention=True),
        "cae": CAE(),
    }
    result = {}
    for name, module in modules.items():
        result[name] = [{"key": k, "shape": list(v.shape)} for k, v in module.state_dict().items()]
    with open(root / "keys.json", "w") as f:
        json.dump(result, f, indent=1)


def main():
    ROOT.mkdir(parents=True, exist_ok=True)
    run_case(0, "linear", lambda: nn.Linear(5, 4), [(2, 3, 5)])
    run_case(1, "conv1d", lambda: nn.Conv1d(3, 4, 5, stride=2, padding=2), [(2, 3, 11)])
    run_case(2, "conv_transpose1d", lambda: nn.ConvTranspose1d(4, 3, 5, stride=2, padding=2, output_padding=1),
             [(2, 4, 6)])
    run_case(3, "prelu1", lambda: nn.PReLU(), [(2, 3, 4)])
    run_case(4, "prelu3", lambda: nn.PReLU(3), [(2, 3, 4)])
    run_case(5, "lstm_uni", lambda: nn.LSTM(3, 5, batch_first=True), [(2, 6, 3)],
             call=lambda m, xs: m(xs[0])[0])
    run_case(6, "lstm_bi", lambda: nn.LSTM(3, 5, batch_first=True, bidirectional=True), [(2, 6, 3)],
             call=lambda m, xs: m(xs[0])[0])
    run_case(7, "mha_cross", lambda: nn.MultiheadAttention(8, 2, batch_first=True), [(2, 5, 8), (2, 18, 8), (2, 18, 8)],
             call=mha_call, randomize_biases=True)
    run_case(8, "mha_shared", lambda: nn.MultiheadAttention(8, 4, batch_first=True), [(2, 20, 8), (2, 20, 8)],
             call=mha_shared_call, randomize_biases=True)
    run_case(9, "mha_lead", lambda: nn.MultiheadAttention(8, 4, batch_first=True), [(6, 12, 8)],
             call=lead_call, randomize_biases=True)
    run_case(10, "sequential", lambda: nn.Sequential(nn.Linear(6, 5), nn.PReLU(), nn.Dropout(0.1), nn.Linear(5, 4)),
             [(2, 3, 6)])
    losses_case(11)
    keys_fixture()


if __name__ == "__main__":
    main()
