#!/usr/bin/env python3
# PyTorch side of `ecgs-bench engine`: torch.matmul float32 GFLOP/s at 1 and 2 threads (torch 2.15.0, CPU).
import sys
import time

import torch

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
shapes = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048), (64, 1024, 2048)]
torch.manual_seed(1)
print(f"sgemm through torch.matmul, median of {repeats} runs")
print("shape                         threads  median ms   GFLOP/s")
for threads in (1, 2):
    torch.set_num_threads(threads)
    for m, k, n in shapes:
        a, b = torch.randn(m, k), torch.randn(k, n)
        torch.matmul(a, b)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            torch.matmul(a, b)
            times.append((time.perf_counter() - start) * 1e3)
        median = sorted(times)[len(times) // 2]
        label = f"[{m} x {k}] x [{k} x {n}]"
        print(f"{label:30s}{threads:7d} {median:11.3f} {2 * m * k * n / (median * 1e6):9.1f}")
