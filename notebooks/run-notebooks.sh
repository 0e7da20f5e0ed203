#!/usr/bin/env bash
# Executes Recurrent4j's notebooks headlessly on a Java kernel (rapaio-jupyter-kernel) that sees the project's
# freshly built classes. See notebooks/README.md.
#
#   notebooks/run-notebooks.sh [NOTEBOOK.ipynb ...]  install what is missing, build, check that the committed
#                                                    notebooks have no outputs, execute them (all of
#                                                    notebooks/*.ipynb by default) into target/notebooks/
#   notebooks/run-notebooks.sh --install             only install and (re)write the project-local kernelspec
#   notebooks/run-notebooks.sh --env                 install, then print the exports for an interactive session
#   notebooks/run-notebooks.sh --strip [NOTEBOOK...] remove outputs from committed notebooks, in place
#   notebooks/run-notebooks.sh --check               only check that committed notebooks have no outputs
#
# Environment: RECURRENT4J_DATASETS (default: ../shared/datasets from the project root), NOTEBOOK_CELL_TIMEOUT
# (seconds per cell, default 900), NOTEBOOK_STARTUP_ATTEMPTS (kernel starts per notebook, default 3),
# NOTEBOOK_STARTUP_TIMEOUT (seconds to wait for a kernel to answer, default 120), NOTEBOOK_KERNEL (kernelspec
# to execute with, default recurrent4j-java; for testing the runner).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CALLER_DIR="$PWD"
cd "$ROOT"

KERNEL_NAME=recurrent4j-java                        # the project-local kernelspec this script writes
RUN_KERNEL="${NOTEBOOK_KERNEL:-$KERNEL_NAME}"        # the kernel notebooks are executed with
RJK_VERSION=3.0.1
RJK_JAR="rapaio-jupyter-kernel-${RJK_VERSION}.jar"
JUPYTER_DIR="$ROOT/target/jupyter"                 # JUPYTER_PATH: holds kernels/$KERNEL_NAME/
KERNEL_DIR="$JUPYTER_DIR/kernels/$KERNEL_NAME"
OUT_DIR="$ROOT/target/notebooks"                   # executed copies
PY=/usr/bin/python3                                # Debian's Jupyter lives here, not in a pyenv python3
NBCONVERT=/usr/bin/jupyter-nbconvert
CELL_TIMEOUT="${NOTEBOOK_CELL_TIMEOUT:-900}"
STARTUP_ATTEMPTS="${NOTEBOOK_STARTUP_ATTEMPTS:-3}"
STARTUP_TIMEOUT="${NOTEBOOK_STARTUP_TIMEOUT:-120}"
DEBIAN_PACKAGES=(jupyter-nbconvert python3-jupyter-client)

log() { echo "[notebooks] $*" >&2; }
die() { echo "[notebooks] ERROR: $*" >&2; exit 1; }

# --- 1. Debian's nbconvert + jupyter_client (idempotent) ---------------------------------------------------
install_jupyter() {
  if [[ -x "$NBCONVERT" ]] && "$PY" -c 'import nbconvert, nbclient, jupyter_client, nbformat' 2>/dev/null; then
    return
  fi
  command -v apt-get >/dev/null || die "jupyter-nbconvert is missing and there is no apt-get; install nbconvert for $PY"
  [[ "$(id -u)" == 0 ]] || die "jupyter-nbconvert is missing; run as root: apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES[*]}"
  log "installing ${DEBIAN_PACKAGES[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  local t0=$SECONDS
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${DEBIAN_PACKAGES[@]}" >/dev/null
  log "installed in $((SECONDS - t0)) s"
}

# --- 2. build, classpath, kernel jar, launcher, kernelspec --------------------------------------------------
install_kernel() {
  mkdir -p "$KERNEL_DIR" "$OUT_DIR"
  local t0=$SECONDS
  log "building classes and resolving the classpath (maven)"
  # one Maven run: compile the project, write its runtime classpath, fetch the kernel jar from Maven Central
  if ! mvn -B -q compile \
      dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$JUPYTER_DIR/classpath.txt" \
      dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:${RJK_VERSION}" -DoutputDirectory="$KERNEL_DIR" \
      >"$JUPYTER_DIR/maven.log" 2>&1; then
    cat "$JUPYTER_DIR/maven.log" >&2
    die "maven build failed (log: target/jupyter/maven.log)"
  fi
  [[ -f "$KERNEL_DIR/$RJK_JAR" ]] || die "kernel jar $KERNEL_DIR/$RJK_JAR was not fetched"

  # the launcher and the race-free LoopThread (see notebooks/kernel/), compiled against the kernel jar
  local stamp="$KERNEL_DIR/launcher/.compiled"
  if [[ ! -f "$stamp" || -n "$(find "$ROOT/notebooks/kernel" -name '*.java' -newer "$stamp")" ]]; then
    log "compiling the kernel launcher"
    rm -rf "$KERNEL_DIR/launcher"
    javac --release 17 -nowarn -d "$KERNEL_DIR/launcher" -cp "$KERNEL_DIR/$RJK_JAR" "$ROOT"/notebooks/kernel/*.java >&2
    touch "$stamp"
  fi

  # RJK_CLASSPATH: ';'-separated; target/classes first, so notebooks use the freshly built classes
  local cp
  cp="$ROOT/target/classes;$(tr ':' ';' < "$JUPYTER_DIR/classpath.txt")"
  "$PY" - "$KERNEL_DIR/kernel.json" "$RJK_JAR" "$RJK_VERSION" "$cp" "$JUPYTER_DIR/mima_cache" <<'PYEOF'
import json, os, sys, tempfile
path, jar, version, classpath, mima = sys.argv[1:6]
spec = {
    # {resource_dir} is this kernelspec's folder; launcher/ (first: its LoopThread replaces the jar's)
    # fixes rapaio 3.0.1's start-up races
    "argv": ["java", "-cp", "{resource_dir}/launcher:{resource_dir}/" + jar,
             "org.recurrent4j.notebooks.ReliableKernelLauncher", "{connection_file}"],
    "display_name": "Java (Recurrent4j, rjk %s)" % version,
    "language": "java",
    "interrupt_mode": "message",
    # one OpenMP thread unless the caller chose otherwise: small recurrent models train 2-3x faster that way on a
    # 2-core machine (notebook 02: 30 s for 600 updates against 80 s with two threads)
    "env": {"RJK_CLASSPATH": classpath, "RJK_MIMA_CACHE": mima,
            "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1",
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")},
}
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".json")
with os.fdopen(fd, "w") as f:
    json.dump(spec, f, indent=2)
os.chmod(tmp, 0o644)
os.replace(tmp, path)
PYEOF
  log "kernelspec ready in $((SECONDS - t0)) s"
}

setup_env() {
  export JUPYTER_PATH="$JUPYTER_DIR${JUPYTER_PATH:+:$JUPYTER_PATH}"   # ours first
  # keep Jupyter's runtime files (connection files) and config out of $HOME
  export JUPYTER_RUNTIME_DIR="$JUPYTER_DIR/runtime"
  export JUPYTER_CONFIG_DIR="$JUPYTER_DIR/config"
  mkdir -p "$JUPYTER_RUNTIME_DIR" "$JUPYTER_CONFIG_DIR"
}

resolve_datasets() {   # RECURRENT4J_DATASETS, absolute, for the kernel (whose working directory is notebooks/)
  local dir="${RECURRENT4J_DATASETS:-$ROOT/../shared/datasets}"
  [[ -d "$dir" ]] || die "datasets folder $dir not found; set RECURRENT4J_DATASETS (default: ../shared/datasets from the project root)"
  RECURRENT4J_DATASETS="$(cd "$dir" && pwd)"
  export RECURRENT4J_DATASETS
}

notebooks_or_default() {   # absolute paths of the given notebooks, or of all notebooks/*.ipynb
  local nb
  if (( $# == 0 )); then ls "$ROOT"/notebooks/*.ipynb 2>/dev/null || true; return; fi
  for nb in "$@"; do
    [[ "$nb" == /* ]] || nb="$CALLER_DIR/$nb"
    [[ -f "$nb" && "$nb" == *.ipynb ]] || die "not a notebook file: $nb"
    echo "$nb"
  done
}

check_clean() {
  local nbs=("$@")
  (( ${#nbs[@]} )) || return 0
  "$PY" "$ROOT/notebooks/tools/nbclean.py" check "${nbs[@]}" \
    || die "committed notebooks must be stored without outputs (strip them: notebooks/run-notebooks.sh --strip)"
}

# --- 3. execution, retrying only kernel start-up failures -------------------------------------------------
STARTUP_RETRIES=0
execute_one() {
  local nb="$1" name attempt logf
  name="$(basename "$nb" .ipynb)"
  logf="$OUT_DIR/$name.log"
  for (( attempt = 1; attempt <= STARTUP_ATTEMPTS; attempt++ )); do
    local t0=$SECONDS
    if "$NBCONVERT" --to notebook --execute --output-dir="$OUT_DIR" \
        --ExecutePreprocessor.kernel_name="$RUN_KERNEL" \
        --ExecutePreprocessor.timeout="$CELL_TIMEOUT" \
        --ExecutePreprocessor.startup_timeout="$STARTUP_TIMEOUT" \
        "$nb" >"$logf" 2>&1; then
      log "OK   $nb ($((SECONDS - t0)) s) -> target/notebooks/$name.ipynb"
      return 0
    fi
    # A start-up failure happens before any cell runs: jupyter_client gives up waiting for kernel_info.
    # Anything else (a cell error, a kernel that dies while running a cell, a cell timeout) fails at once.
    if ! grep -q 'CellExecutionError' "$logf" \
        && grep -q -E "Kernel didn't respond in [0-9]+ seconds|Kernel died before replying to kernel_info" "$logf"; then
      STARTUP_RETRIES=$((STARTUP_RETRIES + 1))
      log "kernel start-up failure on $nb (attempt $attempt/$STARTUP_ATTEMPTS): $(grep -E -m1 "Kernel (didn't|died)" "$logf")"
      continue
    fi
    cat "$logf" >&2
    log "FAIL $nb (log: target/notebooks/$name.log)"
    return 1
  done
  cat "$logf" >&2
  log "FAIL $nb: the kernel did not start in $STARTUP_ATTEMPTS attempts"
  return 1
}

main() {
  local mode=run
  case "${1:-}" in
    --install|--env|--strip|--check) mode="${1#--}"; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
  esac

  local nbs_list
  nbs_list="$(notebooks_or_default "$@")"   # (not a process substitution: its die must stop the script)
  local nbs=()
  [[ -z "$nbs_list" ]] || mapfile -t nbs <<< "$nbs_list"
  case "$mode" in
    strip)
      install_jupyter
      (( ${#nbs[@]} )) && "$PY" "$ROOT/notebooks/tools/nbclean.py" strip "${nbs[@]}"
      exit 0 ;;
    check)
      install_jupyter; check_clean "${nbs[@]}"; log "committed notebooks are clean"; exit 0 ;;
  esac

  install_jupyter
  install_kernel
  setup_env
  if [[ "$mode" == install ]]; then log "kernelspec $KERNEL_NAME in $KERNEL_DIR"; exit 0; fi
  resolve_datasets
  if [[ "$mode" == env ]]; then
    echo "export JUPYTER_PATH='$JUPYTER_PATH'"
    echo "export RECURRENT4J_DATASETS='$RECURRENT4J_DATASETS'"
    exit 0
  fi

  (( ${#nbs[@]} )) || die "no notebooks/*.ipynb to execute"
  check_clean "${nbs[@]}"
  local failed=0 nb
  for nb in "${nbs[@]}"; do
    execute_one "$nb" || failed=1
  done
  log "kernel start-up failures retried: $STARTUP_RETRIES"
  (( failed == 0 )) || die "some notebooks failed"
  log "all ${#nbs[@]} notebook(s) executed"
}

main "$@"
