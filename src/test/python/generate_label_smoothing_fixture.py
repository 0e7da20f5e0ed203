#!/usr/bin/python3
"""Writes the PyTorch fixture that SoftmaxCrossEntropyLabelSmoothingTest replays:
src/test/resources/org/recurrent4j/nn/loss/label_smoothing.txt

torch.nn.CrossEntropyLoss(reduction='none', label_smoothing=s) in float64 on fixed logits [6, 5], for s in
{0, 0.1, 0.3}, with class-index targets [6] and with probability targets [6, 5] (soft rows). One line per array:
    <name> <value> <value> ...        (row-major, repr of each float64)
Names:
    logits                 [6, 5]
    classes                [6] class indices
    soft                   [6, 5] probability targets (rows sum to 1)
    loss_<kind>_<s>        [6] each row's loss (kind: sparse = class indices, soft = probability targets)
    grad_<kind>_<s>        [6, 5] d(sum of the rows' losses)/d(logits), PyTorch autograd

    /usr/bin/python3 src/test/python/generate_label_smoothing_fixture.py
"""
import os

import torch

ROWS = 6
CLASSES = 5
SMOOTHING = ["0", "0.1", "0.3"]
OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org",
                                    "recurrent4j", "nn", "loss", "label_smoothing.txt"))


def line(name, tensor):
    return name + " " + " ".join(repr(float(v)) for v in tensor.detach().reshape(-1).tolist())


def main():
    g = torch.Generator().manual_seed(20160)
    logits = (torch.randn(ROWS, CLASSES, generator=g, dtype=torch.float64) * 3)
    classes = torch.tensor([0, 4, 2, 2, 1, 3])
    soft = torch.rand(ROWS, CLASSES, generator=g, dtype=torch.float64) + 0.1
    soft = soft / soft.sum(dim=1, keepdim=True)
    lines = [line("logits", logits), line("classes", classes.double()), line("soft", soft)]
    for s in SMOOTHING:
        for kind, target in [("sparse", classes), ("soft", soft)]:
            z = logits.clone().requires_grad_(True)
            loss = torch.nn.CrossEntropyLoss(reduction="none", label_smoothing=float(s))(z, target)
            loss.sum().backward()
            lines.append(line(f"loss_{kind}_{s}", loss))
            lines.append(line(f"grad_{kind}_{s}", z.grad))
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
