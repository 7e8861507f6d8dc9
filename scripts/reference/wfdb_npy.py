"""Reference fixtures for the Formats WFDB writer and NPY reader/writer tests.

Versions: wfdb 4.3.1, numpy 2.4.6, Python 3.11. Deterministic (no random numbers; the
signals come from the real record shared/data/ecg12/cpsc2018/A0001).
Run from the package root:  python3 scripts/reference/wfdb_npy.py
Outputs (Tests/FormatsTests/Fixtures/):
  wfdb/wrsamp_auto.hea/.dat   wfdb.wrsamp of A0001 leads I, II, V1, samples 0..199 (physical, one
                              NaN at sample 10 of lead II), fmt 16, gains/baselines chosen by wfdb
  wfdb/wrsamp_fixed.hea/.dat  the same signals with adc_gain=1000, baseline=0 given, plus comments
  wfdb/wrsamp.json            the input physical signal ([T, C] rows, null = NaN) and the write options
  npy/*.npy                   numpy.save / numpy.lib.format.write_array outputs, values in npy/values.json
"""
import json
import os

import numpy as np
import wfdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "FormatsTests", "Fixtures")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")


def wfdb_fixtures():
    out = os.path.join(FIXTURES, "wfdb")
    os.makedirs(out, exist_ok=True)
    source = wfdb.rdrecord(os.path.join(SHARED, "ecg12", "cpsc2018", "A0001"), sampto=200, channels=[0, 1, 6])
    signal = source.p_signal.copy()
    signal[10, 1] = np.nan
    names = list(source.sig_name)
    wfdb.wrsamp("wrsamp_auto", fs=500, units=["mV"] * 3, sig_name=names, p_signal=signal.copy(),
                fmt=["16"] * 3, write_dir=out)
    wfdb.wrsamp("wrsamp_fixed", fs=500, units=["mV"] * 3, sig_name=names, p_signal=signal.copy(),
                fmt=["16"] * 3, adc_gain=[1000.0] * 3, baseline=[0] * 3,
                comments=["Age: 74", "Dx: RBBB"], write_dir=out)
    rows = [[None if np.isnan(v) else float(v) for v in row] for row in signal]
    with open(os.path.join(out, "wrsamp.json"), "w") as f:
        json.dump({"fs": 500, "sig_name": names, "units": ["mV"] * 3, "p_signal": rows,
                   "fixed": {"adc_gain": [1000.0] * 3, "baseline": [0] * 3, "comments": ["Age: 74", "Dx: RBBB"]}},
                  f)


def npy_fixtures():
    out = os.path.join(FIXTURES, "npy")
    os.makedirs(out, exist_ok=True)
    arrays = {
        "f4_3x4": (np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5 - 2),
        "f8_5": np.array([0.1, -2.5, 1e300, -0.0, np.pi]),
        "f8_nan_inf": np.array([np.nan, np.inf, -np.inf, 1.5]),
        "i1_4": np.array([-128, -1, 0, 127], dtype=np.int8),
        "i2_2x3x2": (np.arange(12, dtype=np.int16).reshape(2, 3, 2) * 1000 - 6000),
        "i4_scalar": np.array(-123456789, dtype=np.int32),
        "i8_3": np.array([-(2**40), 0, 2**62], dtype=np.int64),
        "u1_6": np.array([0, 1, 127, 128, 200, 255], dtype=np.uint8),
        "b1_2x2": np.array([[True, False], [False, True]]),
        "f8_empty_0x12": np.zeros((0, 12)),
        "f8_50x12": (np.arange(50 * 12, dtype=np.float64).reshape(50, 12) / 7.0),
    }
    values = {}
    for name, array in arrays.items():
        np.save(os.path.join(out, name + ".npy"), array)
        # JSON has no NaN/Infinity: they are written as the strings "nan", "inf", "-inf".
        values[name] = {"shape": list(array.shape), "dtype": str(array.dtype),
                        "values": [str(v) if isinstance(v, float) and not np.isfinite(v) else v
                                   for v in array.ravel().tolist()]}
    # Variants the writer never produces but the reader must accept.
    base = np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5 - 2
    np.save(os.path.join(out, "f4_3x4_fortran.npy"), np.asfortranarray(base))
    np.save(os.path.join(out, "f8_big_endian_2x3.npy"), (np.arange(6, dtype=np.float64).reshape(2, 3) - 2.5).astype(">f8"))
    np.save(os.path.join(out, "i4_big_endian_3.npy"), np.array([-2, 70000, 3], dtype=">i4"))
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(out, "f4_3x4_v%d.npy" % version[0]), "wb") as f:
            np.lib.format.write_array(f, base, version=version)
    np.save(os.path.join(out, "object.npy"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    np.save(os.path.join(out, "unicode.npy"), np.array(["ab", "c"]))
    np.save(os.path.join(out, "structured.npy"), np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
    with open(os.path.join(out, "values.json"), "w") as f:
        json.dump(values, f)


if __name__ == "__main__":
    wfdb_fixtures()
    npy_fixtures()
