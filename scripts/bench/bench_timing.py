"""Timing helpers shared by the PyTorch benchmark scripts (torch_kernels.py, torch_layers.py):
median and minimum wall time and minimum process CPU time of a body, printed in the table
format of `ecgs-bench kernels` / `ecgs-bench layers`."""
import time


def median_ms(repetitions, body):
    """Runs body once to warm up, then `repetitions` times; (median ms, min ms, min CPU ms)."""
    body()
    times, cpu = [], []
    for _ in range(repetitions):
        cpu_start = time.process_time()
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - cpu_start) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0], min(cpu)


def report(name, shape, ms, flops):
    median, minimum, cpu = ms
    print(f"{name} | {shape} | {median:.2f} | {minimum:.2f} | {flops / minimum / 1e6:.1f} | {cpu:.2f}", flush=True)
