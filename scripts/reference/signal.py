#!/usr/bin/env python3
# Reference fixtures for the Signal target (Tests/SignalTests/Fixtures), computed with
# SciPy 1.17.1, NumPy 2.4.6 and wfdb 4.3.1. Random inputs use numpy.random.default_rng(20260101).
# Run from the package root: python3 scripts/reference/signal.py
import sys

# This file's name shadows the standard library's `signal` module (imported by scipy via subprocess):
# drop the script's own folder from the import path first.
sys.path.pop(0)

import json  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.signal as ss  # noqa: E402
import wfdb  # noqa: E402
from scipy.signal._arraytools import odd_ext  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "SignalTests" / "Fixtures"
SHARED = Path(os.environ.get("ECGS_SHARED_DATA", ROOT.parent / "shared" / "data"))
OUT.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20260101)


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


# SciPy's lfilter_zi solves an LU system whose condition number is about 1 / sum(a); for a 0.5 Hz band
# edge at 500 Hz that leaves only ~3 correct digits in zi and ~1e-6 relative noise in filtfilt's output.
# The "exact_zi" references below run SciPy's own filtfilt/sosfiltfilt steps (odd_ext, lfilter, sosfilt)
# from the correctly rounded zi, computed with mpmath at 50 digits from the closed form
# y = sum(b) / sum(a), zi[k] = sum_{j>k} (b[j] - a[j] y).
mp.mp.dps = 50


def lfilter_zi_exact_mp(b, a):
    b = [float(v) for v in b]
    a = [float(v) for v in a]
    if a[0] != 1.0:  # SciPy divides by a[0] in double before solving
        b = [v / a[0] for v in b]
        a = [v / a[0] for v in a]
    n = max(len(a), len(b))
    b = [mp.mpf(v) for v in b] + [mp.mpf(0)] * (n - len(b))
    a = [mp.mpf(v) for v in a] + [mp.mpf(0)] * (n - len(a))
    y = mp.fsum(b) / mp.fsum(a)
    return [mp.fsum(b[j] - a[j] * y for j in range(k + 1, n)) for k in range(n - 1)]


def lfilter_zi_exact(b, a):
    return np.array([float(v) for v in lfilter_zi_exact_mp(b, a)])


def sosfilt_zi_exact(sos):
    zi = np.empty((len(sos), 2))
    scale = mp.mpf(1)
    for i, row in enumerate(np.asarray(sos)):
        zi[i] = [float(scale * v) for v in lfilter_zi_exact_mp(row[:3], row[3:])]
        scale *= mp.fsum(mp.mpf(float(v)) for v in row[:3]) / mp.fsum(mp.mpf(float(v)) for v in row[3:])
    return zi


def filtfilt_exact_zi(b, a, x, padlen=None):
    edge = 3 * max(len(a), len(b)) if padlen is None else padlen
    ext = odd_ext(np.asarray(x), edge) if edge > 0 else np.asarray(x)
    zi = lfilter_zi_exact(b, a)
    y, _ = ss.lfilter(b, a, ext, zi=zi * ext[0])
    y, _ = ss.lfilter(b, a, y[::-1], zi=zi * y[-1])
    y = y[::-1]
    return y[edge:-edge] if edge > 0 else y


def sosfiltfilt_exact_zi(sos, x):
    sos = np.asarray(sos)
    ntaps = 2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())
    edge = 3 * ntaps
    ext = odd_ext(np.asarray(x), edge)
    zi = sosfilt_zi_exact(sos)
    y, _ = ss.sosfilt(sos, ext, zi=zi * ext[0])
    y, _ = ss.sosfilt(sos, y[::-1], zi=zi * y[-1])
    return y[::-1][edge:-edge]


# --- Filter design: butter (ba and sos), iirnotch -------------------------------------------
designs = []
cases = [
    (1, [0.2], "lowpass", None), (2, [0.3], "lowpass", None), (3, [0.1], "lowpass", None),
    (4, [40.0], "lowpass", 500.0), (5, [0.45], "lowpass", None), (8, [0.25], "lowpass", None),
    (1, [0.3], "highpass", None), (2, [0.5], "highpass", 500.0), (3, [0.05], "highpass", None),
    (4, [0.6], "highpass", None), (7, [0.2], "highpass", None),
    (1, [0.1, 0.4], "bandpass", None), (2, [5.0, 15.0], "bandpass", 360.0), (3, [0.2, 0.5], "bandpass", None),
    (4, [0.5, 40.0], "bandpass", 500.0), (4, [0.5 / 250.0, 40.0 / 250.0], "bandpass", None),
    (3, [0.5 / 250.0, 100.0 / 250.0], "bandpass", None), (5, [0.3, 0.35], "bandpass", None),
    (1, [0.2, 0.3], "bandstop", None), (2, [45.0, 55.0], "bandstop", 500.0), (3, [0.1, 0.6], "bandstop", None),
    (4, [0.4, 0.5], "bandstop", None),
]
for order, wn, btype, fs in cases:
    arg = wn[0] if len(wn) == 1 else wn
    b, a = ss.butter(order, arg, btype=btype, fs=fs, output="ba")
    sos = ss.butter(order, arg, btype=btype, fs=fs, output="sos")
    designs.append({"order": order, "cutoffs": wn, "type": btype, "fs": fs,
                    "b": floats(b), "a": floats(a), "sos": [floats(r) for r in sos]})
notches = []
for f0, q, fs in [(50.0, 30.0, 500.0), (60.0, 30.0, 500.0), (0.2, 30.0, 2.0), (60.0, 10.0, 360.0), (50.0, 35.0, 1000.0)]:
    b, a = ss.iirnotch(f0, q, fs)
    notches.append({"frequency": f0, "quality": q, "fs": fs, "b": floats(b), "a": floats(a)})
json.dump({"butter": designs, "iirnotch": notches}, open(OUT / "design.json", "w"))

# --- Filtering: lfilter (+zi), lfilter_zi, filtfilt, sosfilt_zi, sosfiltfilt ----------------------
x = rng.standard_normal(200).cumsum() * 0.1 + rng.standard_normal(200)
filtering = {"x": floats(x), "cases": []}
for order, wn, btype in [(2, [0.1, 0.3], "bandpass"), (4, [0.002, 0.16], "bandpass"), (3, [0.25], "lowpass"),
                         (5, [0.1], "highpass"), (2, [0.3, 0.4], "bandstop")]:
    arg = wn[0] if len(wn) == 1 else wn
    b, a = ss.butter(order, arg, btype=btype)
    sos = ss.butter(order, arg, btype=btype, output="sos")
    zi = ss.lfilter_zi(b, a)
    y_zi, zf = ss.lfilter(b, a, x, zi=zi * x[0])
    filtering["cases"].append({
        "order": order, "cutoffs": wn, "type": btype, "b": floats(b), "a": floats(a), "sos": [floats(r) for r in sos],
        "lfilter": floats(ss.lfilter(b, a, x)), "lfilter_zi": floats(zi), "lfilter_with_zi": floats(y_zi),
        "lfilter_zf": floats(zf), "filtfilt": floats(ss.filtfilt(b, a, x)),
        "filtfilt_padlen_10": floats(ss.filtfilt(b, a, x, padlen=10)),
        "sosfilt": floats(ss.sosfilt(sos, x)), "sosfilt_zi": floats(ss.sosfilt_zi(sos)),
        "sosfiltfilt": floats(ss.sosfiltfilt(sos, x)),
        "lfilter_zi_exact": floats(lfilter_zi_exact(b, a)), "sosfilt_zi_exact": floats(sosfilt_zi_exact(sos)),
        "filtfilt_exact_zi": floats(filtfilt_exact_zi(b, a, x)),
        "filtfilt_padlen_10_exact_zi": floats(filtfilt_exact_zi(b, a, x, padlen=10)),
        "sosfiltfilt_exact_zi": floats(sosfiltfilt_exact_zi(sos, x)),
    })
# Unnormalised a[0] and unequal lengths of b and a.
b_odd, a_odd = [0.5, 0.2], [2.0, -0.4, 0.1]
filtering["unnormalised"] = {"b": b_odd, "a": a_odd, "lfilter": floats(ss.lfilter(b_odd, a_odd, x)),
                             "lfilter_zi": floats(ss.lfilter_zi(b_odd, a_odd)),
                             "filtfilt": floats(ss.filtfilt(b_odd, a_odd, x)),
                             "lfilter_zi_exact": floats(lfilter_zi_exact(b_odd, a_odd)),
                             "filtfilt_exact_zi": floats(filtfilt_exact_zi(b_odd, a_odd, x))}
short_b, short_a = ss.butter(4, [0.1, 0.3], btype="bandpass")
try:
    ss.filtfilt(short_b, short_a, x[:27])
except ValueError as error:
    filtering["too_short_message"] = str(error)
json.dump(filtering, open(OUT / "filtering.json", "w"))

# --- firwin, kaiser, resample_poly -----------------------------------------------------------------
resample = {"kaiser": {"count": 101, "beta": 5.0, "window": floats(ss.windows.kaiser(101, 5.0))},
            "i0": {"x": [0.0, 0.5, 1.0, 3.0, 5.0, 7.9, 8.0, 8.1, 12.0, 30.0, 100.0],
                   "y": floats(scipy.special.i0([0.0, 0.5, 1.0, 3.0, 5.0, 7.9, 8.0, 8.1, 12.0, 30.0, 100.0]))},
            "firwin": [{"numtaps": n, "cutoff": c, "taps": floats(ss.firwin(n, c, window=("kaiser", 5.0)))}
                       for n, c in [(21, 0.5), (41, 0.25), (101, 0.2), (121, 1 / 6), (10001, 1 / 500)][:4]],
            "x": None, "cases": []}
xr = rng.standard_normal(240)
resample["x"] = floats(xr)
for up, down in [(5, 1), (1, 2), (1, 4), (2, 1), (500, 360), (250, 100), (3, 2), (4, 4)]:
    resample["cases"].append({"up": up, "down": down, "y": floats(ss.resample_poly(xr, up, down))})
json.dump(resample, open(OUT / "resample.json", "w"))


# --- The reference chain (marcgarreta/12-lead-ECG-AD src/data_processing/pre-process.py) ---------
def butter_bandpass(signal, lowcut, highcut, fs, order=4, filtfilt=ss.filtfilt):
    nyq = 0.5 * fs
    b, a = ss.butter(order, [lowcut / nyq, highcut / nyq], btype="band")
    return filtfilt(b, a, signal)


def notch_filter(signal, freq, q, fs, filtfilt=ss.filtfilt):
    b, a = ss.iirnotch(freq / (fs / 2), q)
    return filtfilt(b, a, signal)


def zscore(signal):
    return (signal - np.mean(signal, axis=0)) / (np.std(signal, axis=0) + 1e-8)


def chain(sig, fs, mains=50.0, filtfilt=ss.filtfilt):
    out = np.empty_like(sig)
    for i in range(sig.shape[0]):
        lead = butter_bandpass(sig[i], 0.5, 40.0, fs, filtfilt=filtfilt)
        lead = notch_filter(lead, freq=mains, q=30, fs=fs, filtfilt=filtfilt)
        out[i] = zscore(lead)
    return out


def chain_sos(sig, fs, mains=50.0, exact=False):
    out = np.empty_like(sig)
    sos = ss.butter(4, [0.5 / (0.5 * fs), 40.0 / (0.5 * fs)], btype="band", output="sos")
    b, a = ss.iirnotch(mains / (fs / 2), 30)
    for i in range(sig.shape[0]):
        if exact:
            out[i] = zscore(filtfilt_exact_zi(b, a, sosfiltfilt_exact_zi(sos, sig[i])))
        else:
            out[i] = zscore(ss.filtfilt(b, a, ss.sosfiltfilt(sos, sig[i])))
    return out


random_record = rng.standard_normal((2, 1000)).cumsum(axis=1) * 0.05 + 0.3 * rng.standard_normal((2, 1000))
random_record[1, 100] = np.nan
random_record[1, 200] = np.inf
clean = np.nan_to_num(random_record, nan=0.0, posinf=0.0, neginf=0.0)
np.save(OUT / "chain_random_input.npy", random_record)
np.save(OUT / "chain_random_expected.npy", chain(clean, 500.0))
np.save(OUT / "chain_random_expected_exact_zi.npy", chain(clean, 500.0, filtfilt=filtfilt_exact_zi))
np.save(OUT / "chain_random_expected_60hz_360.npy", chain(clean, 360.0, mains=60.0))
np.save(OUT / "chain_random_expected_60hz_360_exact_zi.npy", chain(clean, 360.0, mains=60.0, filtfilt=filtfilt_exact_zi))
np.save(OUT / "chain_random_expected_sos.npy", chain_sos(clean, 500.0))
np.save(OUT / "chain_random_expected_sos_exact_zi.npy", chain_sos(clean, 500.0, exact=True))

# A real record: CPSC 2018 A0001 (gain 1000/mV, baseline 0), first 5000 samples, leads I, II, V1.
record = wfdb.rdrecord(str(SHARED / "ecg12" / "cpsc2018" / "A0001"))
digital = wfdb.rdrecord(str(SHARED / "ecg12" / "cpsc2018" / "A0001"), physical=False).d_signal
leads = [0, 1, 6]
physical = record.p_signal.T.astype(np.float64)[leads, :5000]
assert np.array_equal(physical, digital.T[leads, :5000].astype(np.float64) / 1000.0)
np.save(OUT / "a0001_digital.npy", digital.T[leads, :5000].astype(np.int16))
processed = chain(physical, 500.0)
np.save(OUT / "a0001_expected.npy", processed)
np.save(OUT / "a0001_expected_exact_zi.npy", chain(physical, 500.0, filtfilt=filtfilt_exact_zi))
lead_ii = processed[1]
peaks, _ = ss.find_peaks(lead_ii, distance=0.4 * 500)
rr = np.diff(peaks / 500.0)
bpm = float(np.mean(60.0 / rr))

# --- find_peaks on a smooth random signal ------------------------------------------------------------
xp = np.convolve(rng.standard_normal(1500), np.hanning(15), mode="same")
xp[700:704] = xp[700:704].max() + 1.0  # a plateau
peaks_cases = []
for kwargs in [{}, {"height": 0.5}, {"distance": 30}, {"prominence": 1.0}, {"height": 0.0, "distance": 12.5, "prominence": 0.3}]:
    found, properties = ss.find_peaks(xp, prominence=(None, None), **{k: v for k, v in kwargs.items() if k != "prominence"})
    if "prominence" in kwargs:
        found, properties = ss.find_peaks(xp, **kwargs)
    peaks_cases.append({"arguments": kwargs, "peaks": [int(v) for v in found],
                        "prominences": floats(properties["prominences"]),
                        "left_bases": [int(v) for v in properties["left_bases"]],
                        "right_bases": [int(v) for v in properties["right_bases"]]})
json.dump({"x": floats(xp), "cases": peaks_cases,
           "a0001_lead_ii_peaks": [int(v) for v in peaks], "a0001_bpm": bpm}, open(OUT / "peaks.json", "w"))

print("scipy", scipy.__version__, "numpy", np.__version__, "wfdb", wfdb.__version__)
for path in sorted(OUT.iterdir()):
    print(f"{path.name:40s} {path.stat().st_size:8d}")
