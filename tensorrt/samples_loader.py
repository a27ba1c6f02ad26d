#!/usr/bin/env python3
"""Polygraphy data loader for EdgeVoice's INT8 calibration samples.

`edgevoice engines calibrate` writes one folder per sample with one .npy file per model input
(SAMPLES/0000/input.npy, SAMPLES/0000/input_lengths.npy, ...). Polygraphy imports this file with
`--data-loader-script tensorrt/samples_loader.py` and calls load_data(); the samples folder comes
from EDGEVOICE_CALIBRATION_SAMPLES. Run on its own, it lists what it would feed.
"""
import os
import sys

import numpy as np


def samples(folder):
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isdir(path):
            yield {f[:-4]: np.load(os.path.join(path, f)) for f in sorted(os.listdir(path)) if f.endswith(".npy")}


def load_data():
    folder = os.environ.get("EDGEVOICE_CALIBRATION_SAMPLES")
    if not folder:
        raise SystemExit("samples_loader.py: set EDGEVOICE_CALIBRATION_SAMPLES to a folder made by `edgevoice engines calibrate`")
    yield from samples(folder)


if __name__ == "__main__":
    for index, feed in enumerate(samples(sys.argv[1])):
        print(index, {name: (str(array.dtype), array.shape) for name, array in feed.items()})
