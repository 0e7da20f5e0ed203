#!/usr/bin/python3
"""Starts a Jupyter kernel N times in a row and counts the starts that fail (a reliability check).

    JUPYTER_PATH=target/jupyter /usr/bin/python3 notebooks/tools/kernel_startup_stress.py KERNEL_NAME N [TIMEOUT_S]

Each round: start the kernel, wait for its kernel_info reply (at most TIMEOUT_S, default 30), execute one
statement and check its result, shut the kernel down. Prints one line per round and a summary; exits 1 if
any round failed.
"""
import sys
import time

from jupyter_client.manager import KernelManager


def one_round(kernel_name, timeout):
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive("int answer = 6 * 7; answer", timeout=timeout)
        if reply["content"]["status"] != "ok":
            return "execute failed: %s" % reply["content"]
        return None
    except Exception as e:  # start-up failure: "Kernel didn't respond", "Kernel died ..."
        return "%s: %s" % (type(e).__name__, e)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv):
    kernel_name, rounds = argv[1], int(argv[2])
    timeout = float(argv[3]) if len(argv) > 3 else 30.0
    failures = 0
    for i in range(1, rounds + 1):
        t0 = time.time()
        error = one_round(kernel_name, timeout)
        failures += error is not None
        print("round %d: %s (%.1f s)" % (i, "FAILED " + error if error else "ok", time.time() - t0), flush=True)
    print("%s: %d of %d starts failed" % (kernel_name, failures, rounds))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
