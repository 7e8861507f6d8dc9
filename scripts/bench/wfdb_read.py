"""Python side of ReadBench: wfdb.rdrecord (wfdb 4.3.1, physical units, defaults) on the 10 s
12-lead Challenge records (.hea + .mat) of shared/data/ecg12; median records per second.

Usage: python3 scripts/bench/wfdb_read.py [shared-data-folder] [rounds]
"""
import glob
import os
import sys
import time

import wfdb


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ECGS_SHARED_DATA", "../shared/data")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    records = []
    for header in sorted(glob.glob(os.path.join(shared, "ecg12", "**", "*.hea"), recursive=True)):
        path = header[:-4]
        h = wfdb.rdheader(path)
        if h.n_sig == 12 and all(f.endswith(".mat") for f in h.file_name) and h.sig_len == 10 * h.fs:
            records.append(path)
    rates = []
    check = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for path in records:
            check += wfdb.rdrecord(path).p_signal[0, 0]
        rates.append(len(records) / (time.perf_counter() - start))
    rates.sort()
    print("wfdb.rdrecord: %d records x %d rounds, median %.1f records/s (min %.1f, max %.1f), check %r"
          % (len(records), rounds, rates[len(rates) // 2], rates[0], rates[-1], check))


if __name__ == "__main__":
    main()
