"""PyTorch side of `ecgs-bench models`: inference per 10 s record (19 windows of 500 samples;
the CAE scores the whole 12 x 5000 record in one pass) and one training step at batch 64,
for each model and size, on 2 threads. Prints one JSON line per case (median of N runs).

The models are built from scripts/reference/models.py (same architecture as ecgs).
Run: python3 scripts/bench/torch_models.py [--repeats 5] [--sizes small,reference] [--inference-only]
(--inference-only: training steps skipped, reported as 0, like `ecgs-bench models --inference-only`.)
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
from models import CAE, VAE, vae_loss  # noqa: E402

from bench_timing import median_seconds  # noqa: E402

SIZES = {"small": ((64, 32), (32, 64), 16), "reference": ((512, 256), (256, 512), 64)}


CPU = {}


def median_time(fn, repeats):
    """Median wall seconds; the median process CPU seconds go to CPU[fn.__name__]. 0 repeats: skipped."""
    wall, CPU[fn.__name__] = median_seconds(fn, repeats)
    return wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="small,reference")
    parser.add_argument("--inference-only", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)

    cae = CAE()
    record = torch.randn(1, 12, 5000)
    batch = torch.randn(64, 12, 500)
    opt = torch.optim.Adam(cae.parameters(), lr=1e-3)

    def cae_infer():
        with torch.no_grad():
            cae.eval()
            cae(record)

    def cae_step():
        cae.train()
        opt.zero_grad()
        loss = ((cae(batch) - batch) ** 2).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(cae.parameters(), 1.0)
        opt.step()

    print(json.dumps({"model": "cae", "size": "published", "params": sum(p.numel() for p in cae.parameters()),
                      "infer_record_s": median_time(cae_infer, args.repeats * 4),
                      "train_step_s": median_time(cae_step, 0 if args.inference_only else args.repeats),
                      "infer_record_cpu_s": CPU["cae_infer"], "train_step_cpu_s": CPU["cae_step"]}), flush=True)

    for size in args.sizes.split(","):
        enc, dec, latent = SIZES[size]
        for name, attention in [("vae", False), ("vae-mha", True)]:
            model = VAE(12, enc, dec, latent, attention)
            opt = torch.optim.Adam(model.parameters(), lr=5e-4)
            windows = torch.randn(19, 500, 12)
            xb = torch.randn(64, 500, 12)

            def infer():
                model.eval()
                with torch.no_grad():
                    model(windows, torch.randn(19, 500, latent))

            def step():
                model.train()
                opt.zero_grad()
                out = model(xb + 0.01 * torch.randn_like(xb), torch.randn(64, 500, latent))
                loss, _, _ = vae_loss(xb, out, 0.3)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()

            reps = 1 if size == "reference" else args.repeats
            print(json.dumps({"model": name, "size": size, "params": sum(p.numel() for p in model.parameters()),
                              "infer_record_s": median_time(infer, reps),
                              "train_step_s": median_time(step, 0 if args.inference_only else reps),
                              "infer_record_cpu_s": CPU["infer"], "train_step_cpu_s": CPU["step"]}), flush=True)


if __name__ == "__main__":
    main()
