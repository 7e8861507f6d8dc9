"""Timing helpers shared by the PyTorch benchmark scripts: median and minimum wall time and minimum
process CPU time of a body, printed in the table format of `ecgs-bench kernels` / `ecgs-bench layers`
(torch_kernels.py, torch_layers.py); median wall and process CPU seconds (torch_models.py,
torch_training.py)."""
import statistics
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


def median_seconds(fn, repeats):
    """Runs fn once to warm up, then `repeats` times; (median wall s, median process CPU s).
    0 repeats: skipped, (0.0, 0.0)."""
    if repeats == 0:
        return 0.0, 0.0
    fn()
    times, cpu = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - cpu_start)
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(cpu)
