#!/usr/bin/python3
"""Loads what PyTorchRecurrentExportTest#writesExportsForThePyTorchCheck exported into PyTorch and compares PyTorch's outputs with Recurrent4j's.

    RECURRENT4J_PYTORCH_EXPORT_DIR=/tmp/export mvn -o -q test -Dtest=PyTorchRecurrentExportTest
    /usr/bin/python3 src/test/python/check_pytorch_export.py /tmp/export

For every <name>.npz (a state_dict, keys without prefix) with its <name>.io.npz (input [mb, nIn, T], lengths [mb],
output_padded [mb, D*n, T] from Recurrent4j, masked): builds the module the keys describe (nn.RNN with relu when the
name says relu), load_state_dict(strict=True), runs the packed input, and prints the largest difference. Exits 1 if
any exceeds 1e-10 (the networks are double precision).
"""
import glob
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def module_for(state, name):
    layers = 1 + max(int(re.search(r"_l(\d+)", k).group(1)) for k in state)
    bidirectional = any(k.endswith("_reverse") for k in state)
    hidden = state["weight_hh_l0"].shape[1]
    gates = state["weight_hh_l0"].shape[0] // hidden
    input_size = state["weight_ih_l0"].shape[1]
    args = dict(num_layers=layers, bidirectional=bidirectional, batch_first=True)
    if gates == 3:
        return nn.GRU(input_size, hidden, **args)
    if gates == 4:
        return nn.LSTM(input_size, hidden, **args)
    return nn.RNN(input_size, hidden, nonlinearity="relu" if "relu" in name else "tanh", **args)


def main(directory):
    worst = 0.0
    for path in sorted(glob.glob(os.path.join(directory, "*.npz"))):
        if path.endswith(".io.npz"):
            continue
        name = os.path.basename(path)[:-len(".npz")]
        state = {k: torch.from_numpy(v) for k, v in np.load(path).items()}
        io = np.load(os.path.join(directory, name + ".io.npz"))
        module = module_for(state, name).double()
        module.load_state_dict(state, strict=True)
        module.eval()
        x = torch.from_numpy(io["input"]).permute(0, 2, 1)                     # [mb, T, nIn]
        lengths = torch.from_numpy(io["lengths"])
        with torch.no_grad():
            packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = pad_packed_sequence(module(packed)[0], batch_first=True, total_length=x.shape[1])
        diff = float(np.abs(out.permute(0, 2, 1).numpy() - io["output_padded"]).max())
        worst = max(worst, diff)
        print(f"{name:20s} {module} load_state_dict(strict=True) ok, max |PyTorch - Recurrent4j| = {diff:.3e}")
    print(f"worst {worst:.3e}")
    return 0 if worst <= 1e-10 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
