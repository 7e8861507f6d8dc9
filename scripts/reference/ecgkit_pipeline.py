#!/usr/bin/env python3
# Reference fixtures for ECGKit's record preprocessing chain (Tests/ECGKitTests/Fixtures/).
# wfdb 4.3.1 + scipy 1.17.1 + numpy 2.4.6; no randomness. Chain (models.md "Data conventions"):
# rdrecord -> NaN/inf to 0 -> resample_poly to 500 Hz if needed -> crop/zero-pad to 5000 ->
# butter(order, [low, high], 'band', fs=500) + filtfilt (or sos + sosfiltfilt) -> iirnotch(mains, 30, fs=500)
# + filtfilt -> z-score per lead ((x - mean) / (std + 1e-8), population std).
# (-P: scripts/reference/signal.py would shadow the standard library module.)
# Usage: python3 -P scripts/reference/ecgkit_pipeline.py /work/shared/data Tests/ECGKitTests/Fixtures
import json
import os
import sys
from fractions import Fraction

import numpy as np
import scipy
import wfdb
from scipy.signal import butter, filtfilt, iirnotch, resample_poly, sosfiltfilt

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

# Kept sample positions of each [12, 5000] output: both edges in full (where filtfilt padding
# matters) and every 20th sample in between, to keep the fixtures small.
INDICES = np.concatenate([np.arange(0, 200), np.arange(200, 4800, 20), np.arange(4800, 5000)]).astype(np.int64)


def chain(signal, fs, low=0.5, high=40.0, order=4, mains=50.0, quality=30.0, sos=False):
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
        x = filtfilt(b, a, x, axis=-1)
    b, a = iirnotch(mains, quality, fs=500)
    x = filtfilt(b, a, x, axis=-1)
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
