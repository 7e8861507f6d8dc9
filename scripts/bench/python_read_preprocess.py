#!/usr/bin/env python3
# Python side of RecordsBench: read + reference preprocessing of the 10 s 12-lead 500 Hz records of
# ecg12/ (.hea + .mat) with wfdb-python 4.3.1 + SciPy 1.17.1 (NumPy 2.4.6), records per second, median
# over rounds, measured two ways as RecordsBench: (1) the median time per record over every record of
# every round, one core (robust to time lost to other processes on a busy machine), with the median
# thread CPU time beside it (time.thread_time: leaves out slices taken by other processes); (2) the median
# throughput of whole rounds on 1 process and on 2 (multiprocessing pool).
# Preprocessing as the reference (marcgarreta/12-lead-ECG-AD pre-process.py): NaN -> 0, crop/pad 5000,
# per lead butter(4, [0.5, 40] / nyq, 'band') + filtfilt, iirnotch(50 / nyq, 30) + filtfilt, z-score.
# Usage: python3 scripts/bench/python_read_preprocess.py [shared-data-folder] [rounds]
import glob
import multiprocessing
import os
import sys
import time

import numpy as np
import wfdb
from scipy.signal import butter, filtfilt, iirnotch

shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ECGS_SHARED_DATA", "../shared/data")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
FS = 500


def selected_records():
    paths = []
    for header in sorted(glob.glob(os.path.join(shared, "ecg12", "**", "*.hea"), recursive=True)):
        h = wfdb.rdheader(header[:-4])
        if h.n_sig == 12 and h.fs == FS and h.sig_len == 5000 and all(f.endswith(".mat") for f in h.file_name):
            paths.append(header[:-4])
    return paths


def preprocess_reference(signal):
    """signal: [12, T] -> [12, 5000], lead by lead as pre-process.py (filters designed per lead)."""
    x = np.nan_to_num(signal, nan=0.0, posinf=0.0, neginf=0.0)
    x = x[:, :5000] if x.shape[1] >= 5000 else np.pad(x, ((0, 0), (0, 5000 - x.shape[1])))
    nyq = 0.5 * FS
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        b, a = butter(4, [0.5 / nyq, 40.0 / nyq], btype="band")
        lead = filtfilt(b, a, x[i])
        b, a = iirnotch(50.0 / nyq, 30)
        lead = filtfilt(b, a, lead)
        out[i] = (lead - np.mean(lead)) / (np.std(lead) + 1e-8)
    return out


BAND = butter(4, [0.5, 40.0], "band", fs=FS)
NOTCH = iirnotch(50.0, 30, fs=FS)


def preprocess_vectorised(signal):
    """The same chain with filters designed once and one 2-D call per filter."""
    x = np.nan_to_num(signal, nan=0.0, posinf=0.0, neginf=0.0)
    x = x[:, :5000] if x.shape[1] >= 5000 else np.pad(x, ((0, 0), (0, 5000 - x.shape[1])))
    x = filtfilt(*NOTCH, filtfilt(*BAND, x, axis=-1), axis=-1)
    return (x - x.mean(axis=-1, keepdims=True)) / (x.std(axis=-1, keepdims=True) + 1e-8)


def read_only(path):
    return wfdb.rdrecord(path).p_signal.shape[0]


def read_reference(path):
    return preprocess_reference(wfdb.rdrecord(path).p_signal.T).shape[1]


def read_vectorised(path):
    return preprocess_vectorised(wfdb.rdrecord(path).p_signal.T).shape[1]


def per_record(label, function, paths):
    times, cpu_times = [], []
    for _ in range(rounds):
        for path in paths:
            start, cpu_start = time.perf_counter(), time.thread_time()
            function(path)
            cpu_times.append((time.thread_time() - cpu_start) * 1e3)
            times.append((time.perf_counter() - start) * 1e3)
    median, cpu_median = float(np.median(times)), float(np.median(cpu_times))
    print(f"per record, 1 core, {label}: median {median:.3f} ms/record = {1000 / median:.1f} records/s "
          f"(thread CPU time: median {cpu_median:.3f} ms)")


def measure(label, function, paths, pool=None):
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        results = pool.map(function, paths, chunksize=4) if pool else [function(p) for p in paths]
        seconds = time.perf_counter() - start
        assert len(results) == len(paths)
        rates.append(len(paths) / seconds)
    rates.sort()
    median = rates[len(rates) // 2]
    print(f"whole rounds, {label}: median {median:.1f} records/s (min {rates[0]:.1f}, max {rates[-1]:.1f})")


if __name__ == "__main__":
    paths = selected_records()
    print(f"python read+preprocess bench: {len(paths)} records, {rounds} rounds")
    per_record("wfdb read only", read_only, paths)
    per_record("wfdb read + reference preprocess (per-lead design)", read_reference, paths)
    per_record("wfdb read + vectorised preprocess (designed once)", read_vectorised, paths)
    measure("read + reference preprocess, 1 process", read_reference, paths)
    measure("read + vectorised preprocess, 1 process", read_vectorised, paths)
    with multiprocessing.Pool(2) as pool:
        measure("read + reference preprocess, 2 processes", read_reference, paths, pool)
        measure("read + vectorised preprocess, 2 processes", read_vectorised, paths, pool)
