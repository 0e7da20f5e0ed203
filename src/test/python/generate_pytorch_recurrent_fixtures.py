#!/usr/bin/python3
"""Writes the PyTorch fixtures that PyTorchRecurrentImportTest replays:
src/test/resources/org/recurrent4j/nn/convert/pytorch/<case>_<dtype>.npz

Cases: nn.GRU, nn.RNN (tanh) and nn.LSTM, each with 1 and 2 layers, one and two directions, plus one
nn.RNN(nonlinearity='relu') with 2 layers, two directions; each in float32 and float64.
Sizes: input_size 3, hidden_size 4, batch 3, T 5; lengths 5, 2, 4 (right-padded, not sorted).

Every file holds, as numpy arrays:
    rnn.<state_dict key>   the module's state_dict (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ...
                           _reverse for the second direction), as a containing model's state_dict would name them
    input                  [mb, nIn, T] (DL4J's NCW layout), values at padded steps are random as well
    lengths                [mb] int64
    mask                   [mb, T], 1.0 = real step, in the file's dtype
    output_full            [mb, D*n, T] the module's output on the whole input (no padding)
    output_padded          [mb, D*n, T] pack_padded_sequence(lengths) -> module -> pad_packed_sequence(total_length=T):
                           zeros at padded steps
    loss_weights           [mb, D*n, T] fixed random R of the loss L = sum(output_padded * R)
    grad.rnn.<key>         dL/d(parameter), as the state_dict names it (PyTorch autograd)
    grad_input             [mb, nIn, T] dL/d(input): zeros at padded steps
The zip entries carry a fixed time stamp, so that running this script again writes identical bytes (numpy.savez
stamps the current time; the files are otherwise what numpy.savez writes, and numpy.load reads them).

    /usr/bin/python3 src/test/python/generate_pytorch_recurrent_fixtures.py
"""
import io
import os
import zipfile

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

N_IN = 3
HIDDEN = 4
MB = 3
T = 5
LENGTHS = [5, 2, 4]
PREFIX = "rnn."
OUT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org",
                                        "recurrent4j", "nn", "convert", "pytorch"))

# (case name, module class, extra constructor arguments, num_layers, bidirectional)
CASES = [(f"{kind}_l{layers}_{'bi' if bi else 'uni'}", cls, extra, layers, bi)
         for kind, cls, extra in [("gru", nn.GRU, {}), ("rnn_tanh", nn.RNN, {"nonlinearity": "tanh"}),
                                  ("lstm", nn.LSTM, {})]
         for layers in (1, 2) for bi in (False, True)]
CASES.append(("rnn_relu_l2_bi", nn.RNN, {"nonlinearity": "relu"}, 2, True))
DTYPES = [("f32", torch.float32), ("f64", torch.float64)]


def write_npz(path, arrays):
    """numpy.savez's format (a zip of .npy entries, stored) with a fixed time stamp."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, buf.getvalue())


def ncw(batch_first_output):
    """[mb, T, feat] -> [mb, feat, T]"""
    return batch_first_output.permute(0, 2, 1).contiguous().numpy()


def fixture(cls, extra, layers, bi, dtype, seed):
    torch.manual_seed(seed)
    module = cls(N_IN, HIDDEN, num_layers=layers, bidirectional=bi, batch_first=True, **extra).to(dtype)
    module.eval()
    x = torch.randn(MB, T, N_IN, dtype=dtype)                            # [mb, T, nIn]
    lengths = torch.tensor(LENGTHS, dtype=torch.int64)
    mask = (torch.arange(T).unsqueeze(0) < lengths.unsqueeze(1)).to(dtype)  # [mb, T]
    with torch.no_grad():
        full, _ = module(x)                                              # [mb, T, D*n]
    x.requires_grad_()
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    padded, _ = pad_packed_sequence(module(packed)[0], batch_first=True, total_length=T)   # [mb, T, D*n]
    loss_weights = torch.randn(padded.shape, dtype=dtype)               # [mb, T, D*n]
    (padded * loss_weights).sum().backward()
    arrays = {PREFIX + k: v.numpy() for k, v in module.state_dict().items()}
    arrays.update({"grad." + PREFIX + k: p.grad.numpy() for k, p in module.named_parameters()})
    arrays.update(input=ncw(x.detach()), lengths=lengths.numpy(), mask=mask.numpy(), output_full=ncw(full),
                  output_padded=ncw(padded.detach()), loss_weights=ncw(loss_weights), grad_input=ncw(x.grad))
    return arrays


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for i, (name, cls, extra, layers, bi) in enumerate(CASES):
        for suffix, dtype in DTYPES:
            path = os.path.join(OUT_DIR, f"{name}_{suffix}.npz")
            write_npz(path, fixture(cls, extra, layers, bi, dtype, seed=1000 + i))
            print(path)


if __name__ == "__main__":
    main()
