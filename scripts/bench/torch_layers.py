"""PyTorch side of `ecgs-bench layers` (Sources/ecgs-bench/LayerBench.swift): the same layers and
shapes, torch.set_num_threads(2), median and minimum wall time and minimum process CPU time of
N runs after one warm-up. Run with OMP_WAIT_POLICY=PASSIVE (as scripts/bench/torch_kernels.py) so
that idle OpenMP threads sleep instead of spinning, which would count as CPU time.

BiLSTM: nn.LSTM(I, H, batch_first=True, bidirectional=True); "fwd" under no_grad, "fwd+bwd" is
forward + out.backward(R) into the input and every weight (gradients zeroed each run).
MHA: nn.MultiheadAttention(E, NH, batch_first=True) called (qk, qk, v, need_weights=True) as the
models call it; "fwd+bwd" backpropagates out.backward(R) (the models return the weights but their
loss does not use them).
Lead attention: nn.MultiheadAttention(16, 4) self-attention over [B*T, 12, 16] tokens,
"fwd+bwd" backpropagates out.backward(R).

Run: OMP_WAIT_POLICY=PASSIVE python3 scripts/bench/torch_layers.py [lstm] [lstm-large] [mha] [lead] [--reps N]
torch 2.15.0.
"""
import sys
import time

import torch

from bench_timing import median_ms, report


def lstm(batch, steps, inputs, hidden, training, repetitions):
    torch.manual_seed(0)
    layer = torch.nn.LSTM(inputs, hidden, batch_first=True, bidirectional=True)
    x = torch.randn(batch, steps, inputs, requires_grad=training)
    r = torch.randn(batch, steps, 2 * hidden)

    def body():
        if training:
            layer.zero_grad(set_to_none=True)
            x.grad = None
            out, _ = layer(x)
            out.backward(r)
        else:
            with torch.no_grad():
                layer(x)

    ms = median_ms(repetitions, body)
    forward_flops = 2.0 * 2 * batch * steps * 4 * hidden * (inputs + hidden)
    report("LSTM layer fwd+bwd" if training else "LSTM layer fwd", f"[{batch}, {steps}, {inputs}] -> {hidden} x2", ms,
           3 * forward_flops if training else forward_flops)


def mha(batch, steps, embed, heads, training, repetitions):
    torch.manual_seed(0)
    layer = torch.nn.MultiheadAttention(embed, heads, batch_first=True)
    qk = torch.randn(batch, steps, embed, requires_grad=training)
    v = torch.randn(batch, steps, embed, requires_grad=training)
    r = torch.randn(batch, steps, embed)

    def body():
        if training:
            layer.zero_grad(set_to_none=True)
            qk.grad = None
            v.grad = None
            out, _ = layer(qk, qk, v, need_weights=True)
            out.backward(r)
        else:
            with torch.no_grad():
                layer(qk, qk, v, need_weights=True)

    ms = median_ms(repetitions, body)
    forward_flops = 4.0 * batch * steps * steps * embed + 8.0 * batch * steps * embed * embed
    report("MHA layer fwd+bwd" if training else "MHA layer fwd", f"[{batch}, {steps}, {embed}] {heads} heads", ms,
           3 * forward_flops if training else forward_flops)


def lead(groups, embed, training, repetitions):
    torch.manual_seed(0)
    layer = torch.nn.MultiheadAttention(embed, 4, batch_first=True)
    tokens = torch.randn(groups, 12, embed, requires_grad=training)
    r = torch.randn(groups, 12, embed)

    def body():
        if training:
            layer.zero_grad(set_to_none=True)
            tokens.grad = None
            out, _ = layer(tokens, tokens, tokens, need_weights=True)
            out.backward(r)
        else:
            with torch.no_grad():
                layer(tokens, tokens, tokens, need_weights=True)

    ms = median_ms(repetitions, body)
    forward_flops = 4.0 * groups * 144 * embed + 8.0 * groups * 12 * embed * embed
    report("lead attention layer fwd+bwd" if training else "lead attention layer fwd", f"[{groups}, 12, {embed}] 4 heads",
           ms, 3 * forward_flops if training else forward_flops)


def main():
    torch.set_num_threads(2)
    args = sys.argv[1:]
    repetitions = None
    if "--reps" in args:
        i = args.index("--reps")
        repetitions = int(args[i + 1])
        del args[i:i + 2]
    names = set(args)
    everything = not names
    print("case | shape | median ms | min ms | GFLOP/s at min | min CPU ms", flush=True)
    if everything or "lstm" in names:
        for inputs, hidden in [(12, 64), (128, 32)]:
            for training in [False, True]:
                lstm(64, 500, inputs, hidden, training, repetitions or 7)
    if "lstm-large" in names:
        for training in [False, True]:
            lstm(64, 500, 512, 512, training, repetitions or 1)
    if everything or "mha" in names:
        for training in [False, True]:
            mha(64, 500, 64, 8, training, repetitions or 5)
    if everything or "lead" in names:
        for training in [False, True]:
            lead(64 * 500, 16, training, repetitions or 7)


if __name__ == "__main__":
    main()
