#!/usr/bin/env bash
# Recurrent4j vs PyTorch, in the same run on the same machine: our layers and models (PeerComparison.java) and their
# PyTorch peers (src/test/python/pytorch_peers.py), alternately (ABAB: two rounds per side), with 1 and then 2
# threads per side; prints one Markdown table per thread count (src/test/python/ratio_table.py). First checks that
# the PyTorch decoder and RNNsearch compute ours (PeerComparison --export, pytorch_peers.py --verify).
#
#   src/test/sh/bench-vs-pytorch.sh [--threads 1|2|1,2] [--rows layers,decoder,rnnsearch] [--reps R] [--quick]
#                                   [--offline] [--out DIR] [--profile] [--sgemm onednn|openblas]
#
#   --threads  thread counts to run (default 1,2)
#   --rows     row groups or rows: layers (elman, gru, gru-papers), decoder (decoder, decoder-quick), rnnsearch
#   --reps     timed repetitions per configuration (default 5; --quick: 2)
#   --quick    smoke configuration: layer rows at mb 32, n 128 only, few repetitions, short warm-up
#   --offline  Maven offline (-o)
#   --out      directory for the JSON lines, logs and tables (default target/bench-vs-pytorch/<date-time>)
#   --profile  then one more run of each side per thread count with a profiler on, the timed runs staying unprofiled:
#              ours with the compute engine's (EngineProfile: time per engine operation, products per shape with their
#              GFLOP/s, the rest outside the engine) into profile-t<threads>-ours.md, PyTorch's with torch.profiler
#              (self CPU time per operator, the products together) into profile-t<threads>-pytorch.md
#   --sgemm    the library of our float products (default onednn; -Drecurrent4j.cpu.sgemm)
#
# Needs Debian's python3-torch and the OpenBLAS BLAS alternative (installed and selected here when missing, with
# apt-get, as root): Debian's default reference BLAS is ~15x slower and would make the comparison meaningless, so the
# script refuses to run with another libblas.so.3. Our side makes its float products with oneDNN (the compute engine's
# default) and the rest with the OpenBLAS bundled with ND4J (--sgemm openblas: the float products too).
set -euo pipefail

die() { echo "bench-vs-pytorch: $*" >&2; exit 1; }

cd "$(dirname "$0")/../../.."
ROOT=$(pwd)
PY=/usr/bin/python3
THREADS="1,2"
ROWS="layers,decoder,rnnsearch"
REPS=""
QUICK=""
MVN_OFFLINE=""
OUT=""
PROFILE=""
SGEMM=onednn
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="${2:?--threads needs a value}"; shift 2 ;;
    --rows) ROWS="${2:?--rows needs a value}"; shift 2 ;;
    --reps) REPS="${2:?--reps needs a value}"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --offline) MVN_OFFLINE=-o; shift ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --sgemm) SGEMM="${2:?--sgemm needs a value}"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
for r in ${ROWS//,/ }; do
  case "$r" in
    layers|decoder|rnnsearch|elman|gru|gru-papers|decoder-quick) ;;
    *) die "unknown row '$r'; rows: layers, decoder, rnnsearch (groups) or elman, gru, gru-papers, decoder-quick" ;;
  esac
done
case "$SGEMM" in onednn|openblas) ;; *) die "--sgemm takes onednn or openblas, got '$SGEMM'" ;; esac
[[ "$THREADS" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--threads takes numbers separated by commas, got '$THREADS'"
if [ -n "$QUICK" ]; then
  REPS=${REPS:-2}; WARMUP=1; WARMUP_S=0.5; MIN_REP_S=0.1; QUICK_ARG=--quick
else
  REPS=${REPS:-5}; WARMUP=3; WARMUP_S=3; MIN_REP_S=0.5; QUICK_ARG=
fi
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer, got '$REPS'"
OUT=${OUT:-target/bench-vs-pytorch/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || die "cannot create $OUT"

# --- PyTorch and OpenBLAS ------------------------------------------------------------------------------------------
BLAS_ALT=libblas.so.3-x86_64-linux-gnu
OPENBLAS_LIB=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
if ! "$PY" -c 'import torch' 2>/dev/null || [ ! -e "$OPENBLAS_LIB" ]; then
  echo "bench-vs-pytorch: installing python3-torch libopenblas0-pthread" >&2
  as_root apt-get install -y python3-torch libopenblas0-pthread >"$OUT/apt.log" 2>&1 \
    || die "apt-get install -y python3-torch libopenblas0-pthread failed (root needed; see $OUT/apt.log)"
fi
if [ "$(readlink -f "/etc/alternatives/$BLAS_ALT" 2>/dev/null)" != "$OPENBLAS_LIB" ]; then
  as_root update-alternatives --set "$BLAS_ALT" "$OPENBLAS_LIB" >/dev/null 2>&1 || true
fi
BLAS_NOW=$(readlink -f "/etc/alternatives/$BLAS_ALT" 2>/dev/null || echo none)
[ "$BLAS_NOW" = "$OPENBLAS_LIB" ] \
  || die "libblas.so.3 is $BLAS_NOW, not OpenBLAS; run: update-alternatives --set $BLAS_ALT $OPENBLAS_LIB"
"$PY" -c 'import torch' 2>/dev/null || die "$PY cannot import torch"

# --- build ---------------------------------------------------------------------------------------------------------
CPFILE="$OUT/classpath.txt"
mvn -q -B $MVN_OFFLINE test-compile dependency:build-classpath -Dmdep.outputFile="$CPFILE" \
    >"$OUT/maven.log" 2>&1 || die "Maven build failed, see $OUT/maven.log"
# run a snapshot of the classes just built, so that a rebuild in the working tree during the run (a shared checkout)
# changes neither the code measured nor the classpath from one round to the next
rm -rf "$OUT/classes" "$OUT/test-classes"
cp -r target/classes "$OUT/classes" && cp -r target/test-classes "$OUT/test-classes" \
  || die "cannot copy target/classes and target/test-classes to $OUT"
CP="$OUT/test-classes:$OUT/classes:$(cat "$CPFILE")"
JAVA_OPTS=(-Xmx2g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=6G
  -Drecurrent4j.cpu.sgemm="$SGEMM")

# --- the peers compute our math: same parameters and inputs, same outputs, loss and gradients ----------------------
java "${JAVA_OPTS[@]}" -cp "$CP" org.recurrent4j.bench.PeerComparison --export "$OUT/verify" >"$OUT/verify.log" 2>&1 \
  || die "PeerComparison --export failed, see $OUT/verify.log"
PYTHONDONTWRITEBYTECODE=1 "$PY" src/test/python/pytorch_peers.py --verify "$OUT/verify" >>"$OUT/verify.log" 2>&1 \
  || die "the PyTorch decoder or RNNsearch does not compute ours (outputs, loss or gradients), see $OUT/verify.log"

# --- runs: ABAB per thread count -----------------------------------------------------------------------------------
run_side() {   # side threads round
  local side=$1 t=$2 r=$3 file="$OUT/t$2-$1-r$3"
  local args=(--threads "$t" --reps "$REPS" --warmup "$WARMUP" --warmup-s "$WARMUP_S" --min-rep-s "$MIN_REP_S"
              --rows "$ROWS" $QUICK_ARG)
  echo "bench-vs-pytorch: threads $t, round $r, $side" >&2
  if [ "$side" = pytorch ]; then
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t MKL_NUM_THREADS=$t \
      PYTHONDONTWRITEBYTECODE=1 "$PY" src/test/python/pytorch_peers.py "${args[@]}" >"$file.jsonl" 2>"$file.log" \
      || die "PyTorch side failed (threads $t, round $r), see $file.log"
  else
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
      java "${JAVA_OPTS[@]}" -cp "$CP" org.recurrent4j.bench.PeerComparison "${args[@]}" >"$file.jsonl" 2>"$file.log" \
      || die "Java side failed (threads $t, round $r), see $file.log"
  fi
  grep -q '"wall_ms"' "$file.jsonl" || die "$side side wrote no results (threads $t, round $r), see $file.log"
}

IFS=, read -r -a THREAD_LIST <<<"$THREADS"
for t in "${THREAD_LIST[@]}"; do
  for r in 1 2; do
    run_side pytorch "$t" "$r"
    run_side ours "$t" "$r"
  done
  PYTHONDONTWRITEBYTECODE=1 "$PY" src/test/python/ratio_table.py --threads "$t" --blas-path "$BLAS_NOW" "$OUT"/t"$t"-*.jsonl \
    >"$OUT/table-t$t.md" 2>"$OUT/table-t$t.log" || die "formatting failed, see $OUT/table-t$t.log"
  cat "$OUT/table-t$t.md"
  echo
done
if [ -n "$PROFILE" ]; then
  for t in "${THREAD_LIST[@]}"; do
    echo "bench-vs-pytorch: threads $t, profiles" >&2
    prof_args=(--threads "$t" --reps "$REPS" --warmup "$WARMUP" --warmup-s "$WARMUP_S" --min-rep-s "$MIN_REP_S"
               --rows "$ROWS" $QUICK_ARG)
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t java "${JAVA_OPTS[@]}" -cp "$CP" org.recurrent4j.bench.PeerComparison \
      "${prof_args[@]}" --profile "$OUT/profile-t$t-ours.md" >"$OUT/profile-t$t-ours.jsonl" 2>"$OUT/profile-t$t-ours.log" \
      || die "profiled run of our side failed (threads $t), see $OUT/profile-t$t-ours.log"
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t MKL_NUM_THREADS=$t PYTHONDONTWRITEBYTECODE=1 \
      "$PY" src/test/python/pytorch_peers.py "${prof_args[@]}" --profile "$OUT/profile-t$t-pytorch.md" \
      >"$OUT/profile-t$t-pytorch.jsonl" 2>"$OUT/profile-t$t-pytorch.log" \
      || die "profiled run of the PyTorch side failed (threads $t), see $OUT/profile-t$t-pytorch.log"
  done
fi
echo "bench-vs-pytorch: JSON lines, logs and tables in $OUT" >&2
