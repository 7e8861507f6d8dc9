"""PyTorch side of `ecgs-bench training`: what the reference dashboard does per 10 s record
(ui/app.py + src/visualization_vae.py) with the same architectures (scripts/reference/models.py),
and one reference-style training epoch over 640 windows at batch 64, per step. 2 threads.
Prints one JSON line per case (median of N runs after a warm-up), like the Swift side.

Cases:
- score cae: whole-record pass + MSE, plus the saliency gradient (|d sum sq. error / d x|).
- score vae small / vae-mha small (no strips): 19 windows through the model twice, as the
  dashboard does (reconstruct_full_mean_std, then ecg_score), overlap-averaging, anomaly trace.
- ... (with strips): plus the per-lead strip loop: 12 leads x 99 windows of 100, one forward per lead.
- fit epoch: 10 steps of Adam + clipping at batch 64, then validation on 128 windows, per step.
Run: python3 scripts/bench/torch_training.py [--repeats 3] [--reference]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
from models import CAE, VAE, vae_loss, window_scores  # noqa: E402

from bench_timing import median_seconds  # noqa: E402

SIZES = {"small": ((64, 32), (32, 64), 16), "reference": ((512, 256), (256, 512), 64)}


def median_time(fn, repeats):
    """Median wall seconds of `repeats` runs of fn after one warm-up (bench_timing.median_seconds)."""
    return median_seconds(fn, repeats)[0]


def line(name, seconds):
    print(json.dumps({"case": name, "seconds": seconds}), flush=True)


def overlap(windows, starts, length, total):
    out = np.zeros((total,) + windows.shape[2:])
    count = np.zeros(total)
    for w, s in enumerate(starts):
        out[s:s + length] += windows[w]
        count[s:s + length] += 1
    count[count == 0] = 1
    return out / count.reshape((-1,) + (1,) * (out.ndim - 1))


def score_vae(model, sig, latent, strips):
    starts = list(range(0, 5000 - 500 + 1, 250))
    win = torch.stack([sig[:, s:s + 500].T for s in starts])
    with torch.no_grad():
        out = model(win, torch.randn(len(starts), 500, latent))
        recon = overlap(out["x_mean"].numpy(), starts, 500, 5000)
        sigma = overlap(torch.exp(0.5 * out["x_logvar"]).numpy(), starts, 500, 5000)
        out = model(win, torch.randn(len(starts), 500, latent))
        float(window_scores(win, out).mean())
        x = sig.numpy().T
        0.7 * (x - recon) ** 2 + 0.3 * np.log(sigma ** 2 + 1e-6)
        if strips:
            strip_starts = list(range(0, 5000 - 100 + 1, 50))
            for lead in range(12):
                one = torch.zeros_like(sig)
                one[lead] = sig[lead]
                w = torch.stack([one[:, s:s + 100].T for s in strip_starts])
                a = model(w, torch.randn(len(strip_starts), 100, latent))["attention"].mean(dim=(1, 2)).numpy()
                overlap(np.repeat(a[:, None], 100, axis=1), strip_starts, 100, 5000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    sig = torch.randn(12, 5000)

    cae = CAE().eval()

    def cae_score():
        with torch.no_grad():
            float(((cae(sig[None]) - sig[None]) ** 2).mean())
        x = sig[None].clone().requires_grad_(True)
        ((x - cae(x)) ** 2).sum().backward()
        g = x.grad.abs()[0]
        (g - g.min(dim=1, keepdim=True).values) / (g.max(dim=1, keepdim=True).values - g.min(dim=1, keepdim=True).values)

    line("score cae (whole record, saliency)", median_time(cae_score, args.repeats))
    models = {}
    for kind in ["vae", "vae-mha"]:
        enc, dec, latent = SIZES["small"]
        models[kind] = VAE(12, enc, dec, latent, kind == "vae-mha").eval()
    line("score vae small", median_time(lambda: score_vae(models["vae"], sig, 16, False), args.repeats))
    line("score vae-mha small (no strips)", median_time(lambda: score_vae(models["vae-mha"], sig, 16, False), args.repeats))
    line("score vae-mha small (with strips)", median_time(lambda: score_vae(models["vae-mha"], sig, 16, True), args.repeats))
    if args.reference:
        enc, dec, latent = SIZES["reference"]
        large = VAE(12, enc, dec, latent, True).eval()
        line("score vae-mha reference (with strips)", median_time(lambda: score_vae(large, sig, latent, True), 1))

    train = torch.randn(640, 500, 12)
    val = torch.randn(128, 500, 12)
    for name, model, latent in [("cae", CAE(), 0), ("vae small", VAE(12, (64, 32), (32, 64), 16, False), 16),
                                ("vae-mha small", VAE(12, (64, 32), (32, 64), 16, True), 16)]:
        opt = torch.optim.Adam(model.parameters(), lr=5e-4)

        def epoch():
            model.train()
            for i in torch.randperm(640).split(64):
                x = train[i]
                opt.zero_grad()
                if latent == 0:
                    xc = x.transpose(1, 2)
                    loss = ((model(xc) - xc) ** 2).mean()
                else:
                    loss = vae_loss(x, model(x, torch.randn(len(i), 500, latent)), 0.3)[0]
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
            model.eval()
            with torch.no_grad():
                for x in val.split(64):
                    if latent == 0:
                        xc = x.transpose(1, 2)
                        ((model(xc) - xc) ** 2).mean().item()
                    else:
                        vae_loss(x, model(x, torch.randn(len(x), 500, latent)), 0.3)[0].item()

        line(f"fit epoch {name}, per step (10 steps + validation)", median_time(epoch, args.repeats) / 10)


if __name__ == "__main__":
    main()
