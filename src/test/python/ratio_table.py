#!/usr/bin/python3
"""Formats the JSON lines of pytorch_peers.py and PeerComparison.java (one thread count, several rounds each) as a
Markdown table: per configuration the best (smallest) of the rounds' medians per side, and the ratio
PyTorch ms / ours ms (>= 1.0: ours at least as fast). Used by src/test/sh/bench-vs-pytorch.sh.

  ratio_table.py --threads 1 [--blas-path P] FILE.jsonl ...
"""
import argparse
import datetime
import json
import subprocess
import sys

LABELS = {
    "elman": "ElmanRnn vs nn.RNN (tanh), train iter",
    "gru": "Gru resetAfter(true) vs nn.GRU, train iter",
    "gru-papers": "Gru resetAfter(false) vs nn.GRU (no PyTorch peer), train iter",
    "decoder": "decoder fwd+bwd, Tx=Ty 30, e 256, dh 1024, a 512",
    "decoder-quick": "decoder fwd+bwd, Tx=Ty 30, e 64, dh 256, a 64, maxout 64",
    "rnnsearch": "RNNsearch update (Adam), Tx=Ty 30, V 3000",
}
ORDER = list(LABELS)
# rows whose PyTorch time is another row's (no PyTorch peer of their own)
PEER_ROW = {"gru-papers": "gru"}


def computes_input_gradient(side, impl):
    """whether a layer row's variant computes dL/dx: PyTorch's when x requires a gradient, ours unless the layer
    has inputGradient(false); variants pair up by it"""
    return ", dL/dx too" in impl if side == "pytorch" else "inputGradient(false)" not in impl


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown CPU"
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    model = fields.get("Model name", "unknown CPU").strip()
    return f"{model}, {fields.get('CPU(s)', '?').strip()} CPUs"


def read(files):
    """-> (meta by side, {(side, row, mb, n, impl): [entries]})"""
    meta, results = {}, {}
    for f in files:
        for line in open(f, encoding="utf-8"):
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            if "meta" in d:
                meta.setdefault(d["meta"], d)
                continue
            side = "ours" if d["impl"].startswith("recurrent4j") else "pytorch"
            results.setdefault((side, d["row"], d["mb"], d["n"], d["impl"]), []).append(d)
    return meta, results


def best(entries, key):
    return min(e[key] for e in entries)


def fmt_ms(x):
    return "—" if x is None else (f"{x:.1f}" if x >= 10 else f"{x:.2f}")


def fmt_int(x):
    return "—" if x is None else f"{x:,}"


def fmt_ratio(p, o):
    return "—" if p is None or o is None else f"**{p / o:.2f}**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--blas-path", default="?", help="where libblas.so.3 points (PyTorch's BLAS)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    meta, results = read(args.files)
    if not results:
        sys.exit("ratio_table: no results in " + " ".join(args.files))
    pt, ours = meta.get("pytorch", {}), meta.get("recurrent4j", {})

    keys = sorted({(row, mb, n) for (_, row, mb, n, _) in results},
                  key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99, k[1], k[2]))
    rounds = {side: max((len(v) for k, v in results.items() if k[0] == side), default=0)
              for side in ("pytorch", "ours")}
    reps = sorted({e["reps"] for v in results.values() for e in v})
    lines = [
        f"### {args.threads} thread{'s' if args.threads > 1 else ''} per side",
        "",
        f"{cpu_model()}; {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; "
        f"OMP_NUM_THREADS=OPENBLAS_NUM_THREADS={args.threads} on both sides.  ",
        f"PyTorch {pt.get('torch', '?')} (Python {pt.get('python', '?')}, torch.set_num_threads({args.threads})), "
        f"BLAS: {pt.get('blas', '?')} via libblas.so.3 -> {args.blas_path}.  ",
        f"Recurrent4j: Java {ours.get('java', '?')}, ND4J 1.0.0-M2.1 CPU backend, BLAS: {ours.get('blas', '?')}, "
        f"engine: {ours.get('engine', '?')}.  ",
        f"ms per iteration: per side the best of {rounds['pytorch']} / {rounds['ours']} rounds (PyTorch / ours, run "
        f"alternately) of the median over {'/'.join(map(str, reps))} timed repetitions after warm-up; "
        "ratio = PyTorch ms / ours ms (≥ 1.0: ours at least as fast); wall time, and process CPU time beside it.",
        "",
        "| row | mb | n | PyTorch peer | ours' option | PyTorch ms | ours ms | ratio | PyTorch CPU ms | ours CPU ms "
        "| CPU ratio | params PyTorch / ours |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row, mb, n in keys:
        mine = {k[4]: v for k, v in results.items() if k[0] == "ours" and k[1:4] == (row, mb, n)}
        peer_row = PEER_ROW.get(row, row)
        peers = [(k[4], v) for k, v in results.items() if k[0] == "pytorch" and k[1:4] == (peer_row, mb, n)]
        if not peers:
            peers = [(None, None)]
        for impl, entries in peers:
            # ours doing the same work: the variant with the same dL/dx, or the only one there is
            ours_impl, ours = next(((o, v) for o, v in mine.items() if len(mine) == 1 or impl is None
                                    or computes_input_gradient("ours", o) == computes_input_gradient("pytorch", impl)),
                                   (None, None))
            o_wall = best(ours, "wall_ms") if ours else None
            o_cpu = best(ours, "cpu_ms") if ours else None
            o_params = ours[0]["params"] if ours else None
            p_wall = best(entries, "wall_ms") if entries else None
            p_cpu = best(entries, "cpu_ms") if entries else None
            p_params = entries[0]["params"] if entries else None
            name = "—" if impl is None else impl.removeprefix("pytorch ")
            variant = "inputGradient(false)" if ours_impl and "inputGradient(false)" in ours_impl else "—"
            params = f"{fmt_int(p_params)} / {fmt_int(o_params)}"
            if p_params is not None and o_params is not None and p_params != o_params:
                params += f" (Δ {p_params - o_params:+,})"
            lines.append(f"| {LABELS.get(row, row)} | {mb} | {n} | {name} | {variant} | {fmt_ms(p_wall)} | "
                         f"{fmt_ms(o_wall)} | {fmt_ratio(p_wall, o_wall)} | {fmt_ms(p_cpu)} | {fmt_ms(o_cpu)} | "
                         f"{'—' if p_cpu is None or o_cpu is None else f'{p_cpu / o_cpu:.2f}'} | {params} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
