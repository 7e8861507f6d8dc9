"""PyTorch side of `ecgs-bench kernels` (Sources/ecgs-bench/KernelBench.swift): same shapes,
same FLOP counts, torch.set_num_threads(2), median and minimum wall time of N runs after one
warm-up, and the minimum process CPU time (run with OMP_WAIT_POLICY=PASSIVE so that idle
OpenMP threads sleep instead of spinning, which would count as CPU time).

BiLSTM: nn.LSTM(I, H, batch_first=True, bidirectional=True); "fwd" under no_grad, "fwd+bwd"
is forward + out.backward(R) with input and weight gradients.
Attention core: what nn.MultiheadAttention(need_weights=True, average_attn_weights=True) runs
between its projections (scale q, bmm, softmax, bmm, mean of weights over heads), on
projected q, k, v; "fwd+bwd" backpropagates sum(ctx * R1) + sum(weights * R2).
Lead attention: the same core over B*T groups of 12 tokens, 4 heads.

Run: python3 scripts/bench/torch_kernels.py [lstm] [lstm-infer] [lstm-large] [mha] [lead] [--reps N]
(lstm-infer: one record's 19 windows through the VAE-BiLSTM encoders' first layers.)
torch 2.15.0.
"""
import sys

import torch

from bench_timing import median_ms, report


def lstm(batch, time_steps, inputs, hidden, training, repetitions):
    torch.manual_seed(0)
    layer = torch.nn.LSTM(inputs, hidden, batch_first=True, bidirectional=True)
    x = torch.randn(batch, time_steps, inputs, requires_grad=training)
    r = torch.randn(batch, time_steps, 2 * hidden)

    def body():
        if training:
            out, _ = layer(x)
            out.backward(r)
        else:
            with torch.no_grad():
                layer(x)

    ms = median_ms(repetitions, body)
    forward_flops = 2.0 * 2 * batch * time_steps * 4 * hidden * (inputs + hidden)
    report("BiLSTM fwd+bwd" if training else "BiLSTM fwd", f"[{batch}, {time_steps}, {inputs}] -> {hidden} x2", ms,
           3 * forward_flops if training else forward_flops)


def attention_core(q, k, v, heads):
    batch, tq, embed = q.shape
    tk = k.shape[1]
    head = embed // heads
    # As torch.nn.functional.multi_head_attention_forward with need_weights=True.
    qh = q.reshape(batch, tq, heads, head).transpose(1, 2).reshape(batch * heads, tq, head)
    kh = k.reshape(batch, tk, heads, head).transpose(1, 2).reshape(batch * heads, tk, head)
    vh = v.reshape(batch, tk, heads, head).transpose(1, 2).reshape(batch * heads, tk, head)
    scores = torch.bmm(qh * head ** -0.5, kh.transpose(-2, -1))
    weights = torch.softmax(scores, dim=-1)
    context = torch.bmm(weights, vh).reshape(batch, heads, tq, head).transpose(1, 2).reshape(batch, tq, embed)
    return context, weights.reshape(batch, heads, tq, tk).mean(dim=1)


def attention(name, batch, tokens, embed, heads, training, repetitions):
    torch.manual_seed(0)
    q, k, v = (torch.randn(batch, tokens, embed, requires_grad=training) for _ in range(3))
    r1 = torch.randn(batch, tokens, embed)
    r2 = torch.randn(batch, tokens, tokens)

    def body():
        if training:
            context, weights = attention_core(q, k, v, heads)
            ((context * r1).sum() + (weights * r2).sum()).backward()
        else:
            with torch.no_grad():
                attention_core(q, k, v, heads)

    ms = median_ms(repetitions, body)
    forward_flops = 4.0 * batch * tokens * tokens * embed
    label = f"{name} fwd+bwd" if training else f"{name} fwd"
    shape = f"[{batch}, {tokens}, {embed}] {heads} heads"
    report(label, shape, ms, 3.5 * forward_flops if training else forward_flops)


def main(args):
    torch.set_num_threads(2)
    reps = None
    if "--reps" in args:
        reps = int(args[args.index("--reps") + 1])
        args = [a for i, a in enumerate(args) if a != "--reps" and (i == 0 or args[i - 1] != "--reps")]
    names = set(args) or {"lstm", "lstm-large", "mha", "lead"}
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print("case | shape | median ms | min ms | GFLOP/s at min | min CPU ms")
    if "lstm" in names:
        for training in (False, True):
            lstm(64, 500, 12, 64, training, reps or 7)
        for training in (False, True):
            lstm(64, 500, 128, 32, training, reps or 7)
    if "lstm-infer" in names:
        lstm(19, 500, 12, 512, False, reps or 5)
        lstm(19, 500, 12, 64, False, reps or 7)
        lstm(19, 500, 128, 32, False, reps or 7)
    if "lstm-large" in names:
        lstm(19, 500, 512, 512, False, reps or 3)
        for inputs, hidden in ((12, 512), (1024, 256), (512, 512)):
            for training in (False, True):
                lstm(64, 500, inputs, hidden, training, reps or 3)
    if "mha" in names:
        for embed in (64, 16):
            for training in (False, True):
                attention("MHA core", 64, 500, embed, 8, training, reps or 5)
    if "lead" in names:
        for embed in (16, 64):
            for training in (False, True):
                attention("lead attention", 64 * 500, 12, embed, 4, training, reps or 7)


if __name__ == "__main__":
    main(sys.argv[1:])
