#!/usr/bin/env python3
"""h5py side of HDF5Bench (h5py 3.16.0, numpy 2.4.6): the same workspace layout, saved and
loaded uncompressed and with shuffle+gzip(4) in chunks of at most 1 MiB; median of 3.

  python3 scripts/bench/hdf5_bench.py [tensors=256] [mib_per_tensor=4] [repeats=3] [folder=/tmp]
"""
import os
import sys
import time

import h5py
import numpy as np

count = int(sys.argv[1]) if len(sys.argv) > 1 else 256
mib = int(sys.argv[2]) if len(sys.argv) > 2 else 4
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
folder = sys.argv[4] if len(sys.argv) > 4 else "/tmp"
n = mib * (1 << 20) // 4
position = np.arange(n)
tensors = [(np.sin(position * 0.001 + i) + (position % 7) * 1e-3).astype(np.float32).reshape(-1, 1024)
           for i in range(count)]
total = count * n * 4 / 1e6
path = os.path.join(folder, f"ecgs-hdf5bench-py-{os.getpid()}.h5")
print(f"h5py: {count} tensors x {mib} MiB float32 = {total:.0f} MB, median of {repeats}")
for label, kwargs in [("uncompressed", {}),
                      ("shuffle+deflate(4)", dict(compression="gzip", compression_opts=4, shuffle=True,
                                                  chunks=(256, 1024)))]:
    saves, loads = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        with h5py.File(path, "w", libver=("earliest", "v108"), track_order=True) as f:
            g = f.create_group("tensors", track_order=True)
            for i, t in enumerate(tensors):
                g.create_dataset(f"t{i}", data=t, **kwargs)
        saves.append(time.perf_counter() - start)
        start = time.perf_counter()
        with h5py.File(path, "r") as f:
            checksum = sum(f["tensors"][name][()][0, 0] for name in f["tensors"])
        loads.append(time.perf_counter() - start)
    size = os.path.getsize(path) / 1e6
    os.remove(path)
    save, load = sorted(saves)[repeats // 2], sorted(loads)[repeats // 2]
    print(f"  {label}: file {size:.0f} MB; save {save:.2f} s ({total / save:.0f} MB/s), "
          f"load {load:.2f} s ({total / load:.0f} MB/s)")
