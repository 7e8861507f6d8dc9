#!/usr/bin/env python3
# Reference fixtures for ECGKit's record preprocessing chain (Tests/ECGKitTests/Fixtures/).
# wfdb 4.3.1 + scipy 1.17.1 + numpy 2.4.6; no randomness. Chain (models.md "Data conventions"):
# rdrecord -> NaN/inf to 0 -> resample_poly to 500 Hz if needed -> crop/zero-pad to 5000 ->
# butter(order, [low, high], 'band', fs=500) + filtfilt (or sos + sosfiltfilt) -> iirnotch(mains, 30, fs=500)
# + filtfilt -> z-score per lead ((x - mean) / (std + 1e-8), population std).
# SciPy's lfilter_zi solves an LU system with condition number about 1 / sum(a): for the 0.5 Hz band edge
# at 500 Hz its zi has ~3 correct digits, leaving ~1e-5 relative noise near the ends of filtfilt's output.
# The Signal library uses the correctly rounded zi, so each case is written twice: `<case>.npy` runs
# SciPy's own filtfilt steps (odd_ext, lfilter forward and backward) from the correctly rounded zi
# (mpmath, 50 digits, closed form y = sum(b) / sum(a), zi[k] = sum_{j>k} (b[j] - a[j] y)), the test
# target at 1e-9; `<case>.scipy.npy` is plain SciPy filtfilt, checked at the size of that noise.
# Usage: python3 scripts/reference/ecgkit_pipeline.py /work/shared/data Tests/ECGKitTests/Fixtures
import json
import os
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
import scipy
import wfdb
from scipy.signal import butter, filtfilt, iirnotch, lfilter, resample_poly, sosfiltfilt
from scipy.signal._arraytools import odd_ext

mp.mp.dps = 50


def lfilter_zi_exact(b, a):
    """Correctly rounded lfilter_zi (a[0] == 1 for these designs)."""
    n = max(len(a), len(b))
    b = [mp.mpf(float(v)) for v in b] + [mp.mpf(0)] * (n - len(b))
    a = [mp.mpf(float(v)) for v in a] + [mp.mpf(0)] * (n - len(a))
    y = mp.fsum(b) / mp.fsum(a)
    return np.array([float(mp.fsum(b[j] - a[j] * y for j in range(k + 1, n))) for k in range(n - 1)])


def filtfilt_exact_zi(b, a, x):
    """scipy.signal.filtfilt(b, a, x, axis=-1) (padtype 'odd', default padlen) from the exact zi."""
    edge = 3 * max(len(a), len(b))
    ext = odd_ext(x, edge, axis=-1)
    zi = lfilter_zi_exact(b, a)[None, :]
    y, _ = lfilter(b, a, ext, axis=-1, zi=zi * ext[:, :1])
    y, _ = lfilter(b, a, y[:, ::-1], axis=-1, zi=zi * y[:, -1:])
    return y[:, ::-1][:, edge:-edge]

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

# Kept sample positions of each [12, 5000] output: both edges in full (where filtfilt padding
# matters) and every 25th sample in between, to keep the fixtures small.
INDICES = np.concatenate([np.arange(0, 100), np.arange(100, 4900, 25), np.arange(4900, 5000)]).astype(np.int64)


def chain(signal, fs, low=0.5, high=40.0, order=4, mains=50.0, quality=30.0, sos=False, exact=True):
    """signal: [L, T] physical values -> (resampled [L, T'], preprocessed [L, 5000])."""
    x = np.where(np.isfinite(signal), signal, 0.0)
    if fs != 500:
        ratio = Fraction(500, int(fs)) if float(fs).is_integer() else Fraction(500) / Fraction(fs).limit_denominator()
        x = resample_poly(x, ratio.numerator, ratio.denominator, axis=-1)
    resampled = x.copy()
    length = 5000
    if x.shape[1] >= length:
        x = x[:, :length]
    else:
        x = np.concatenate([x, np.zeros((x.shape[0], length - x.shape[1]))], axis=1)
    if sos:
        x = sosfiltfilt(butter(order, [low, high], "band", fs=500, output="sos"), x, axis=-1)
    else:
        b, a = butter(order, [low, high], "band", fs=500)
        x = filtfilt_exact_zi(b, a, x) if exact else filtfilt(b, a, x, axis=-1)
    b, a = iirnotch(mains, quality, fs=500)
    x = filtfilt_exact_zi(b, a, x) if exact else filtfilt(b, a, x, axis=-1)
    x = (x - x.mean(axis=-1, keepdims=True)) / (x.std(axis=-1, keepdims=True) + 1e-8)
    return resampled, x


cases = [
    # name, record path, chain options
    ("A0001", "ecg12/cpsc2018/A0001", {}),                         # 7500 samples, cropped
    ("HR00001", "ecg12/ptbxl/HR00001", {}),                        # exactly 5000 samples
    ("HR00001_sos_60Hz", "ecg12/ptbxl/HR00001", {"sos": True, "mains": 60.0}),
    ("S0001", "ecg12/ptb/S0001", {}),                              # 1000 Hz, resampled 1:2
    ("00001_lr", "ecg12/ptbxl/records100/00000/00001_lr", {}),     # 100 Hz, resampled 5:1
    ("Q0007_short", "ecg12/cpsc2018_extra/Q0007", {"crop": 3000}),  # first 3000 samples: zero-padded
]
manifest = {"versions": {"wfdb": wfdb.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
            "indices": "indices.npy", "cases": {}}
np.save(os.path.join(out, "indices.npy"), INDICES)
for name, path, options in cases:
    options = dict(options)
    crop = options.pop("crop", None)
    record = wfdb.rdrecord(os.path.join(data, path), sampto=crop)
    signal = record.p_signal.T.astype(np.float64)
    resampled, result = chain(signal, record.fs, **options)
    np.save(os.path.join(out, f"{name}.npy"), result[:, INDICES])
    if name in ("A0001", "HR00001", "S0001"):
        _, plain = chain(signal, record.fs, exact=False, **options)
        np.save(os.path.join(out, f"{name}.scipy.npy"), plain[:, INDICES])
        entry_plain = float(np.max(np.abs(plain - result)))
        print(f"{name}: plain SciPy vs exact-zi chain, max |difference| {entry_plain:.3g}")
    entry = {"record": path, "fs": record.fs, "samples_read": int(signal.shape[1]), "options": options,
             "sig_name": record.sig_name}
    if record.fs != 500:
        # The resampled signal before cropping, at the same kept positions (first 5000 samples).
        np.save(os.path.join(out, f"{name}.resampled.npy"), resampled[:, INDICES])
        entry["resampled_samples"] = int(resampled.shape[1])
    manifest["cases"][name] = entry
with open(os.path.join(out, "pipeline.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print(json.dumps(manifest, indent=1))
