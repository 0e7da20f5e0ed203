#!/usr/bin/python3
"""The PyTorch side of src/test/sh/bench-vs-pytorch.sh: PyTorch peers of Recurrent4j's layers and models, timed the
way src/test/java/org/recurrent4j/bench/PeerComparison.java times ours (same grid, same sizes, same timing method).

Rows (float32; T = 50 for the layer rows):
  elman          nn.RNN (tanh), nIn = nOut = n, + Linear(n, 64) on every step, cross-entropy, SGD step
  gru            nn.GRU (the reset-after form), the same iteration
                 (gru-papers, our Gru resetAfter(false), has no PyTorch peer: the table compares it with this row)
  decoder        the attention decoder alone (GRU papers' form, Bahdanau score): forward + autograd backward with a
                 random dOut, no output layer, no optimizer; mb 64, Tx = Ty = 30, e 256, n 512, dh 1024, a 512,
                 output = the state, s_0 = 0
  decoder-quick  the same at the quick sizes: mb 32, e 64, n 128, dh 256, a 64, maxout 64, s_0 = tanh(h<-_1 Ws + bs)
  rnnsearch      one training update (forward, backward, Adam) of the quick RNNsearch: batch 32, Tx = Ty = 30,
                 3,000 words each side, e 64, bidirectional encoder GRU 128 per direction, the decoder-quick decoder,
                 softmax over 3,000 words; twice: encoder written by hand in the papers' (Cho) form, and nn.GRU
                 (reset-after, a fused C++ loop) for reference

Per configuration: warm-up (iterations and seconds), then R timed repetitions, each of k iterations (k chosen so that a
repetition lasts at least --min-rep-s); reported: the median over repetitions of the wall time and of the process
CPU time (time.process_time) per iteration, in ms. Output: one JSON line per configuration on stdout, plus one
{"meta": ...} line first.

  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 src/test/python/pytorch_peers.py --threads 1 --reps 5

With --profile FILE, each configuration is then run as many times again under torch.profiler, and the operators' split
(self CPU time per iteration, the products together) goes into FILE; the timings come from the unprofiled runs.

Also: --verify DIR compares the decoder and RNNsearch here, loaded with the parameters PeerComparison --export DIR
wrote, against the outputs, gradients and loss Recurrent4j computed for the same inputs (a check of the math, not a
benchmark).
"""
import argparse
import ctypes
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# --- the grid (PeerComparison.java holds the same numbers) ---------------------------------------------------------

STEPS = 50            # T of the layer rows
CLASSES = 64          # softmax classes of the layer rows
LAYER_MB = (32, 64)
LAYER_N = (128, 256, 512)
# decoder sizes: mb, Tx, Ty, e, n, dh, a, maxout l, initial state
DECODER = dict(mb=64, tx=30, ty=30, e=256, n=512, dh=1024, a=512, l=0, init="zero")
DECODER_QUICK = dict(mb=32, tx=30, ty=30, e=64, n=128, dh=256, a=64, l=64, init="backward_first")
# RNNsearch at ExperimentSettings.quick()'s sizes; Adam 0.01 as the quick preset (no clipping: we time fit())
RNNSEARCH = dict(mb=32, tx=30, ty=30, vx=3000, vy=3000, e=64, enc=128, n=128, a=64, l=64, lr=0.01)

ROW_GROUPS = {"layers": ["elman", "gru", "gru-papers"], "decoder": ["decoder", "decoder-quick"],
              "rnnsearch": ["rnnsearch"]}
ALL_ROWS = ["elman", "gru", "gru-papers", "decoder", "decoder-quick", "rnnsearch"]


# --- models ----------------------------------------------------------------------------------------------------------

def xavier_(t, fan_in, fan_out):
    """Xavier-uniform in place (as DL4J's XAVIER_UNIFORM); the values do not matter for timing."""
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        t.uniform_(-bound, bound)
    return t


class ChoGru(nn.Module):
    """One direction of a GRU in the papers' form (Cho et al. 2014; our Gru with resetAfter(false)), written by hand:
    gate blocks r, z, c in W [nIn, 3n], RW [n, 3n], b [1, 3n] (the same keys and shapes as ours):
        r, z = σ(x W_rz + b_rz + h RW_rz),  c = tanh(x W_c + b_c + (r ∘ h) RW_c),  h' = (1 − z) ∘ h + z ∘ c
    The input projection of all steps is one GEMM, as ours."""

    def __init__(self, n_in, n):
        super().__init__()
        self.n = n
        self.W = nn.Parameter(torch.empty(n_in, 3 * n))
        self.RW = nn.Parameter(torch.empty(n, 3 * n))
        self.b = nn.Parameter(torch.zeros(1, 3 * n))
        for g in range(3):
            xavier_(self.W.data[:, g * n:(g + 1) * n], n_in, n)
            xavier_(self.RW.data[:, g * n:(g + 1) * n], n, n)

    def forward(self, x):
        """x [T, mb, nIn] -> h [T, mb, n] (h_0 = 0)"""
        t_len, mb, n_in = x.shape
        n = self.n
        xp = torch.addmm(self.b, x.reshape(t_len * mb, n_in), self.W).view(t_len, mb, 3 * n)   # [T, mb, 3n]
        h = x.new_zeros(mb, n)
        out = []
        for t in range(t_len):
            rz = torch.sigmoid(torch.addmm(xp[t, :, :2 * n], h, self.RW[:, :2 * n]))          # [mb, 2n]
            r, z = rz[:, :n], rz[:, n:]
            c = torch.tanh(torch.addmm(xp[t, :, 2 * n:], r * h, self.RW[:, 2 * n:]))           # [mb, n]
            h = h + z * (c - h)                                                                 # (1−z)∘h + z∘c
            out.append(h)
        return torch.stack(out)                                                                 # [T, mb, n]


class BahdanauDecoder(nn.Module):
    """Recurrent4j's AttentionDecoder with cell GRU (resetAfter false) and attention BAHDANAU, in PyTorch, with the
    same parameter keys and shapes (AttentionDecoder.paramShapes):
        W [e, 3n], b [1, 3n], RW [n, 3n], C [dh, 3n], attWq [n, a], attWk [dh, a], attb [1, a], attv [a, 1],
        (BACKWARD_FIRST_ANNOTATION) Ws [dh/2, n], bs [1, n], (maxout l > 0) U [n+e+dh, 2l], bu [1, 2l].
    One step (Bahdanau ordering):
        α_t = softmax_j(vᵀ tanh(W_q s_{t−1} + W_k h_j + b)),  c_t = Σ_j α_tj h_j
        s_t = GRU(x_t W + b + c_t C, s_{t−1})    (gates r, z, c; (1 − z) ∘ s + z ∘ c; reset before RW_c)
        out_t = s_t, or maxout([s_{t−1}; x_t; c_t] U + b_u): max of the two halves of the 2l columns (as ours)
    W_k h_j is computed once per source, the input projection of all steps with one GEMM (as ours); the deep output
    of all steps is one GEMM after the loop (ours: one per step; the same FLOPs).
    Initialisation: Xavier-uniform per gate block, biases 0 (as AttentionDecoder.initParams), PyTorch's RNG."""

    def __init__(self, e, dh, n, a, l, init):
        super().__init__()
        self.e, self.dh, self.n, self.a, self.l, self.init = e, dh, n, a, l, init
        gn = 3 * n
        self.W = nn.Parameter(torch.empty(e, gn))
        self.b = nn.Parameter(torch.zeros(1, gn))
        self.RW = nn.Parameter(torch.empty(n, gn))
        self.C = nn.Parameter(torch.empty(dh, gn))
        for p, fan_in in ((self.W, e), (self.RW, n), (self.C, dh)):
            for g in range(3):
                xavier_(p.data[:, g * n:(g + 1) * n], fan_in, n)
        self.attWq = nn.Parameter(xavier_(torch.empty(n, a), n, a))
        self.attWk = nn.Parameter(xavier_(torch.empty(dh, a), dh, a))
        self.attb = nn.Parameter(torch.zeros(1, a))
        self.attv = nn.Parameter(xavier_(torch.empty(a, 1), a, 1))
        if init == "backward_first":
            self.Ws = nn.Parameter(xavier_(torch.empty(dh // 2, n), dh // 2, n))
            self.bs = nn.Parameter(torch.zeros(1, n))
        if l > 0:
            self.U = nn.Parameter(xavier_(torch.empty(n + e + dh, 2 * l), n + e + dh, 2 * l))
            self.bu = nn.Parameter(torch.zeros(1, 2 * l))

    def forward(self, y, h):
        """y [Ty, mb, e] target-side inputs, h [mb, Tx, dh] annotations -> outputs [Ty, mb, l or n]"""
        ty, mb, e = y.shape
        n = self.n
        keys = torch.matmul(h, self.attWk)                                                  # [mb, Tx, a], once
        xb = torch.addmm(self.b, y.reshape(ty * mb, e), self.W).view(ty, mb, 3 * n)         # [Ty, mb, 3n]
        if self.init == "backward_first":
            s = torch.tanh(torch.addmm(self.bs, h[:, 0, self.dh // 2:], self.Ws))           # [mb, n]
        else:
            s = y.new_zeros(mb, n)
        states, prevs, contexts = [], [], []
        for t in range(ty):
            # attention, query s_{t−1}
            q = torch.addmm(self.attb, s, self.attWq)                                       # [mb, a]
            hid = torch.tanh(keys + q.unsqueeze(1))                                         # [mb, Tx, a]
            alpha = torch.softmax(torch.matmul(hid, self.attv).squeeze(2), dim=1)           # [mb, Tx]
            ctx = torch.bmm(alpha.unsqueeze(1), h).squeeze(1)                               # [mb, dh]
            # GRU (papers' form) with x_t W + b + c_t C as its input projection
            gx = torch.addmm(xb[t], ctx, self.C)                                            # [mb, 3n]
            rz = torch.sigmoid(torch.addmm(gx[:, :2 * n], s, self.RW[:, :2 * n]))          # [mb, 2n]
            r, z = rz[:, :n], rz[:, n:]
            c = torch.tanh(torch.addmm(gx[:, 2 * n:], r * s, self.RW[:, 2 * n:]))           # [mb, n]
            prevs.append(s)
            s = s + z * (c - s)                                                             # (1−z)∘s + z∘c
            states.append(s)
            contexts.append(ctx)
        if self.l == 0:
            return torch.stack(states)                                                      # [Ty, mb, n]
        deep_in = torch.cat([torch.stack(prevs), y, torch.stack(contexts)], 2)              # [Ty, mb, n+e+dh]
        pre = torch.addmm(self.bu, deep_in.view(ty * mb, -1), self.U)                       # [Ty·mb, 2l]
        return torch.maximum(pre[:, :self.l], pre[:, self.l:]).view(ty, mb, self.l)         # [Ty, mb, l]


class RnnSearch(nn.Module):
    """Seq2SeqBuilder.rnnSearch() in PyTorch: embeddings (no bias, as EmbeddingSequenceLayer.hasBias(false)) ->
    bidirectional GRU encoder (annotations [h→; h←], as DL4J's Bidirectional CONCAT, forward first) ->
    BahdanauDecoder (maxout, BACKWARD_FIRST_ANNOTATION) -> Linear(l, Vy) -> softmax cross-entropy.
    Checked against ours (--verify): the same loss and gradients from the same parameters. What still differs:
    initialisation (nn.Embedding N(0, 1), nn.Linear Kaiming-uniform here; DL4J XAVIER on ours); the loss is the mean
    over Ty·mb tokens here, DL4J's score the sum over steps divided by mb (Adam is nearly invariant to that scale);
    DL4J clips the label probability at 1e-10 in its score; no gradient clipping on either side (the quick preset's
    Seq2SeqTrainer clips at norm 1; the benchmark times ComputationGraph.fit, which does not)."""

    def __init__(self, vx, vy, e, enc, n, a, l, encoder="cho"):
        super().__init__()
        self.encoder = encoder
        self.srcEmb = nn.Embedding(vx, e)                                                   # [Vx, e]
        self.tgtEmb = nn.Embedding(vy, e)                                                   # [Vy, e]
        if encoder == "cho":
            self.encF = ChoGru(e, enc)
            self.encB = ChoGru(e, enc)
        else:
            self.enc = nn.GRU(e, enc, bidirectional=True)   # reset-after form, b_ih and b_hh: 2·3·enc more params
        self.dec = BahdanauDecoder(e, 2 * enc, n, a, l, "backward_first")
        self.out = nn.Linear(l, vy)                                                         # W [Vy, l], b [Vy]

    def forward(self, src, tgt_in):
        """src [Tx, mb], tgt_in [Ty, mb] ids -> logits [Ty, mb, Vy]"""
        x = self.srcEmb(src)                                                                # [Tx, mb, e]
        if self.encoder == "cho":
            hf = self.encF(x)                                                               # [Tx, mb, enc]
            hb = self.encB(x.flip(0)).flip(0)                                               # [Tx, mb, enc]
            h = torch.cat([hf, hb], 2)                                                      # [Tx, mb, 2enc]
        else:
            h, _ = self.enc(x)                                                              # [Tx, mb, 2enc]
        out = self.dec(self.tgtEmb(tgt_in), h.transpose(0, 1).contiguous())                 # [Ty, mb, l]
        return self.out(out)                                                                # [Ty, mb, Vy]


def num_params(*modules):
    return sum(p.numel() for m in modules for p in m.parameters())


# --- timing ----------------------------------------------------------------------------------------------------------

def measure(step, args):
    """warm-up (at least args.warmup iterations and args.warmup_s seconds), then args.reps repetitions of k
    iterations; medians over repetitions of ms per iteration (wall, CPU)"""
    warm0 = time.perf_counter()
    i = 0
    while i < args.warmup or time.perf_counter() - warm0 < args.warmup_s:
        step()
        i += 1
    reps, min_rep_s = args.reps, args.min_rep_s
    t0 = time.perf_counter()
    step()
    one = time.perf_counter() - t0
    k = max(1, math.ceil(min_rep_s / max(one, 1e-9)))
    walls, cpus = [], []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        walls.append((time.perf_counter() - t0) / k * 1e3)
        cpus.append((time.process_time() - c0) / k * 1e3)
    return statistics.median(walls), statistics.median(cpus), k


def emit(row, mb, n, impl, params, step, args):
    """times one configuration and prints its JSON line; with --profile, then profiles as many iterations again"""
    wall, cpu, k = measure(step, args)
    print(json.dumps({"row": row, "mb": mb, "n": n, "impl": impl, "wall_ms": round(wall, 3), "cpu_ms": round(cpu, 3),
                      "params": params, "threads": args.threads, "reps": args.reps, "iters_per_rep": k}), flush=True)
    if args.profile:
        PROFILES.append(f"### {row}, mb {mb}, n {n} ({impl}), {args.threads} thread(s)\n\n"
                        + profile_table(step, k * args.reps) + "\n")
        write_atomically(args.profile, "".join(PROFILES))


PROFILES = []


def profile_table(step, iterations, top=12):
    """torch.profiler over `iterations` iterations: the operators with the most self CPU time, per iteration, and the
    products (aten::mm, addmm, bmm, addbmm, baddbmm) together, as a Markdown table"""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        t0 = time.perf_counter()
        for _ in range(iterations):
            step()
        wall_ms = (time.perf_counter() - t0) * 1e3
    ops = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    products = {"aten::mm", "aten::addmm", "aten::bmm", "aten::addbmm", "aten::baddbmm"}
    lines = ["| operator | calls / iteration | ms / iteration | share |", "|---|---|---|---|"]
    for e in ops[:top]:
        ms = e.self_cpu_time_total / 1e3
        lines.append(f"| {e.key} | {e.count / iterations:.1f} | {ms / iterations:.3f} | {100 * ms / wall_ms:.1f}% |")
    gemm_ms = sum(e.self_cpu_time_total for e in ops if e.key in products) / 1e3
    lines.append(f"| (all products: {', '.join(sorted(products))}) |  | {gemm_ms / iterations:.3f} "
                 f"| {100 * gemm_ms / wall_ms:.1f}% |")
    lines.append(f"| (whole iteration, profiled) |  | {wall_ms / iterations:.3f} | 100.0% |")
    return "\n".join(lines) + "\n"


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# --- rows ------------------------------------------------------------------------------------------------------------

def layer_row(row, mb, n, args):
    """Two PyTorch variants: x as data (PyTorch then skips dL/dx), and x requiring a gradient, which DL4J's layer
    always computes (the epsilon it passes down: one [T·mb, G·n] x [G·n, n] GEMM more). Other differences from ours:
    nn.RNN has two biases (b_ih, b_hh: n parameters more than ElmanRnn's b); nn.GRU is our resetAfter(true) (b_ih = b,
    b_hh = RB) with the z gate's sign flipped (DESIGN.md); labels are class indices here, one-hot [mb, 64, T] on ours
    (the same loss); initialisation is PyTorch's."""
    for input_gradient in (False, True):
        torch.manual_seed(1)
        rnn = nn.RNN(n, n, nonlinearity="tanh") if row == "elman" else nn.GRU(n, n)   # input [T, mb, n]
        out = nn.Linear(n, CLASSES)
        opt = torch.optim.SGD(list(rnn.parameters()) + list(out.parameters()), lr=1e-3)
        x = torch.randn(STEPS, mb, n, requires_grad=input_gradient)                     # [T, mb, n]
        labels = torch.randint(0, CLASSES, (STEPS * mb,))                               # [T·mb]

        def step():
            opt.zero_grad(set_to_none=True)
            x.grad = None
            h, _ = rnn(x)                                                               # [T, mb, n]
            loss = F.cross_entropy(out(h.reshape(STEPS * mb, n)), labels)               # [T·mb, 64]
            loss.backward()
            opt.step()

        impl = "pytorch nn.RNN tanh" if row == "elman" else "pytorch nn.GRU (reset-after)"
        if input_gradient:
            impl += ", dL/dx too"
        emit(row, mb, n, impl, num_params(rnn, out), step, args)


def decoder_row(row, s, args):
    torch.manual_seed(1)
    dec = BahdanauDecoder(s["e"], s["dh"], s["n"], s["a"], s["l"], s["init"])
    # inputs require gradients: ours returns dL/d(embeddings) and dL/d(annotations) too
    y = torch.randn(s["ty"], s["mb"], s["e"], requires_grad=True)                           # [Ty, mb, e]
    h = torch.randn(s["mb"], s["tx"], s["dh"], requires_grad=True)                          # [mb, Tx, dh]
    d_out = torch.randn(s["ty"], s["mb"], s["l"] or s["n"])                                 # [Ty, mb, out]

    def step():
        for p in dec.parameters():
            p.grad = None
        y.grad = None
        h.grad = None
        torch.autograd.backward(dec(y, h), d_out)

    emit(row, s["mb"], s["n"], "pytorch decoder (eager, autograd)", num_params(dec), step, args)


def rnnsearch_row(encoder, args):
    s = RNNSEARCH
    torch.manual_seed(1)
    model = RnnSearch(s["vx"], s["vy"], s["e"], s["enc"], s["n"], s["a"], s["l"], encoder)
    opt = torch.optim.Adam(model.parameters(), lr=s["lr"])     # β 0.9, 0.999, ε 1e-8: DL4J Adam's defaults
    src = torch.randint(0, s["vx"], (s["tx"], s["mb"]))                                    # [Tx, mb]
    tgt_in = torch.randint(0, s["vy"], (s["ty"], s["mb"]))                                 # [Ty, mb]
    tgt_out = torch.randint(0, s["vy"], (s["ty"] * s["mb"],))                              # [Ty·mb]

    def step():
        opt.zero_grad(set_to_none=True)
        logits = model(src, tgt_in)                                                         # [Ty, mb, Vy]
        F.cross_entropy(logits.view(-1, s["vy"]), tgt_out).backward()
        opt.step()

    impl = ("pytorch RNNsearch, encoder hand-written Cho GRU" if encoder == "cho"
            else "pytorch RNNsearch, encoder nn.GRU (reset-after)")
    emit("rnnsearch", s["mb"], s["n"], impl, num_params(model), step, args)


# --- verification against values exported by PeerComparison --export ---------------------------------------------

def load_npy(directory, name):
    import numpy as np
    return torch.from_numpy(np.load(os.path.join(directory, name + ".npy")).astype("float32"))


def max_rel(a, b):
    return ((a - b).abs().max() / b.abs().max().clamp_min(1e-12)).item()


def verify(directory):
    """Loads the parameters ours used, runs the same inputs, compares; prints one line per quantity; False on a
    mismatch (relative max difference above 1e-3)."""
    ok = True
    meta = json.load(open(os.path.join(directory, "export.json")))
    # decoder: outputs [mb, out, Ty], gradients per key, input gradients
    d = meta["decoder"]
    dec = BahdanauDecoder(d["e"], d["dh"], d["n"], d["a"], d["l"], d["init"])
    with torch.no_grad():
        for k, p in dec.named_parameters():
            p.copy_(load_npy(directory, "dec_p_" + k).view_as(p))
    y = load_npy(directory, "dec_y").permute(2, 0, 1).contiguous().requires_grad_(True)    # -> [Ty, mb, e]
    h = load_npy(directory, "dec_h").permute(0, 2, 1).contiguous().requires_grad_(True)    # -> [mb, Tx, dh]
    d_out = load_npy(directory, "dec_dout").permute(2, 0, 1)                                # [Ty, mb, out]
    out = dec(y, h)
    torch.autograd.backward(out, d_out)
    checks = [("decoder outputs", out.permute(1, 2, 0), load_npy(directory, "dec_out")),
              ("decoder d embeddings", y.grad.permute(1, 2, 0), load_npy(directory, "dec_dy")),
              ("decoder d annotations", h.grad.permute(0, 2, 1), load_npy(directory, "dec_dh"))]
    for k, p in dec.named_parameters():
        checks.append(("decoder d" + k, p.grad, load_npy(directory, "dec_g_" + k).view_as(p)))
    # RNNsearch: the loss (DL4J's score: summed over steps, mean over the minibatch) and its gradients, with the
    # exported parameters
    r = meta["rnnsearch"]
    model = RnnSearch(r["vx"], r["vy"], r["e"], r["enc"], r["n"], r["a"], r["l"], "cho")
    with torch.no_grad():
        for k, p in model.named_parameters():
            v = load_npy(directory, "rs_p_" + k)
            p.copy_(v.t() if k == "out.weight" else v.view_as(p))                           # ours W [l, Vy]
    src = load_npy(directory, "rs_src").long()[:, 0, :].t()                                 # [mb, 1, Tx] -> [Tx, mb]
    tgt_in = load_npy(directory, "rs_tgt_in").long()[:, 0, :].t()
    tgt_out = load_npy(directory, "rs_tgt_out").long()[:, 0, :].t()
    mb = src.shape[1]
    logits = model(src, tgt_in)                                                             # [Ty, mb, Vy]
    # DL4J's MCXENT clips the probability of the label at 1e-10 (softmaxClipEps) in the score, not in the gradient
    p_label = torch.softmax(logits.reshape(-1, r["vy"]), 1).gather(1, tgt_out.reshape(-1, 1))  # [Ty·mb, 1]
    score = -torch.log(p_label.clamp_min(1e-10)).sum() / mb
    F.cross_entropy(logits.reshape(-1, r["vy"]), tgt_out.reshape(-1), reduction="sum").backward()
    checks.append(("rnnsearch loss (DL4J score)", score.detach().view(1), torch.tensor([r["score"]])))
    # DL4J's gradient before the updater is the sum over the minibatch (its updater divides by mb): compare sums
    for k, p in model.named_parameters():
        want = load_npy(directory, "rs_g_" + k)
        checks.append(("rnnsearch d" + k, p.grad, want.t() if k == "out.weight" else want.view_as(p)))
    for name, got, want in checks:
        rel = max_rel(got.detach(), want)
        good = rel < 1e-3 and got.shape == want.shape
        ok &= good
        print(f"{'ok      ' if good else 'MISMATCH'} {name:34s} shape {tuple(got.shape)} max rel diff {rel:.2e}")
    return ok


# --- main ------------------------------------------------------------------------------------------------------------

def blas_config():
    """the OpenBLAS configuration string behind libblas.so.3 (what PyTorch's GEMMs call), or None if not OpenBLAS"""
    try:
        f = ctypes.CDLL("libblas.so.3").openblas_get_config
        f.restype = ctypes.c_char_p
        return f().decode()
    except (OSError, AttributeError):
        return None


def parse_rows(spec):
    rows = []
    for part in spec.split(","):
        part = part.strip()
        names = ROW_GROUPS.get(part, [part])
        for r in names:
            if r not in ALL_ROWS:
                sys.exit(f"pytorch_peers: unknown row '{r}'; rows: {', '.join(ALL_ROWS)} or groups "
                         f"{', '.join(ROW_GROUPS)}")
            r = "gru" if r == "gru-papers" else r          # its table row uses nn.GRU's time
            if r not in rows:
                rows.append(r)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions per configuration")
    ap.add_argument("--warmup", type=int, default=3, help="warm-up iterations per configuration")
    ap.add_argument("--warmup-s", type=float, default=2.0, help="shortest warm-up in seconds (the JVM's JIT needs "
                    "it; the same on both sides)")
    ap.add_argument("--min-rep-s", type=float, default=0.3, help="shortest repetition (more iterations if faster)")
    ap.add_argument("--rows", default="layers,decoder,rnnsearch")
    ap.add_argument("--quick", action="store_true", help="smoke grid: mb 32, n 128 for the layer rows")
    ap.add_argument("--profile", metavar="FILE", help="after timing each configuration, profile as many iterations "
                    "with torch.profiler and write the operators' split into FILE (Markdown)")
    ap.add_argument("--verify", metavar="DIR", help="check the math against PeerComparison --export DIR; no timing")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.verify:
        sys.exit(0 if verify(args.verify) else 1)
    blas = blas_config()
    print(json.dumps({"meta": "pytorch", "torch": torch.__version__, "python": sys.version.split()[0],
                      "blas": blas or "not OpenBLAS (reference BLAS?)", "torch_threads": torch.get_num_threads(),
                      "omp_threads": os.environ.get("OMP_NUM_THREADS"),
                      "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS")}), flush=True)
    mbs, ns = ((32,), (128,)) if args.quick else (LAYER_MB, LAYER_N)
    for row in parse_rows(args.rows):
        if row in ("elman", "gru"):
            for mb in mbs:
                for n in ns:
                    layer_row(row, mb, n, args)
        elif row == "decoder":
            decoder_row(row, DECODER, args)
        elif row == "decoder-quick":
            decoder_row(row, DECODER_QUICK, args)
        elif row == "rnnsearch":
            rnnsearch_row("cho", args)
            rnnsearch_row("nn.GRU", args)


if __name__ == "__main__":
    main()
