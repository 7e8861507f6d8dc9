#!/usr/bin/env python3
# SciPy side of SignalBench: the reference preprocessing (marcgarreta/12-lead-ECG-AD pre-process.py:
# butter(4, [0.5, 40] / nyq) + filtfilt, iirnotch(50 / nyq, 30) + filtfilt, z-score) of one
# 12 x 5000 record at 500 Hz, lead by lead as the reference does. Median over repetitions.
# SciPy 1.17.1, NumPy 2.4.6. Usage: python3 scripts/bench/scipy_preprocess.py [repetitions]
import sys
import time

import numpy as np
from scipy.signal import butter, filtfilt, iirnotch

repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 200
fs, leads, samples = 500, 12, 5000
t = np.arange(samples) / fs
record = np.stack([np.sin(2 * np.pi * 1.2 * t + lead) + 0.3 * np.sin(2 * np.pi * 50 * t)
                   + 0.2 * np.sin(2 * np.pi * 0.2 * t) + 0.05 * np.sin(2 * np.pi * 97 * t * (lead + 1))
                   for lead in range(leads)])


def preprocess(sig):
    nyq = 0.5 * fs
    out = np.empty_like(sig)
    for i in range(sig.shape[0]):
        b, a = butter(4, [0.5 / nyq, 40.0 / nyq], btype="band")
        lead = filtfilt(b, a, sig[i])
        b, a = iirnotch(50.0 / nyq, 30)
        lead = filtfilt(b, a, lead)
        out[i] = (lead - np.mean(lead)) / (np.std(lead) + 1e-8)
    return out


NYQ = 0.5 * fs
BAND = butter(4, [0.5 / NYQ, 40.0 / NYQ], btype="band")
NOTCH = iirnotch(50.0 / NYQ, 30)


def preprocess_designed_once(sig):
    lead = filtfilt(*NOTCH, filtfilt(*BAND, sig, axis=-1), axis=-1)
    return (lead - lead.mean(axis=-1, keepdims=True)) / (lead.std(axis=-1, keepdims=True) + 1e-8)


for label, function in [("reference loop, design per lead", preprocess),
                        ("filters designed once, all leads in one call", preprocess_designed_once)]:
    function(record)
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        function(record)
        times.append((time.perf_counter() - start) * 1e3)
    median = float(np.median(times))
    print(f"scipy preprocess 12x5000 ({label}): median {median:.3f} ms/record, "
          f"{1000 / median:.1f} records/s ({repetitions} reps)")
