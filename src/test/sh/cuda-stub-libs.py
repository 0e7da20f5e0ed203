#!/usr/bin/env python3
"""Stub CUDA/cuDNN libraries for checking the JavaCPP CUDA presets on a machine without a GPU
(src/site/markdown/cuda-presets-feasibility.md).

Builds libcuda.so.1, libcudart.so.13, libcublas(Lt).so.13 and libcudnn_{graph,ops,cnn,adv}.so.9 with the sonames,
symbol versions and every function the presets' JNI wrappers (libjnicudart/libjnicublas/libjnicudnn) import, so that
Loader.load gets past dlopen and runs JNI_OnLoad against the JavaCPP on the classpath. Every stub function returns
999, except cudaRuntimeGetVersion (13010), cudaDriverGetVersion (13000), cudaGetDeviceCount (0 devices, error 100),
cudnnGetVersion (91900) and cudnnCreate (error 1001). Nothing here computes anything: it tests linking only.

Usage: cuda-stub-libs.py JNI_DIR OUT_DIR   (JNI_DIR: the unzipped org/bytedeco/cuda/linux-x86_64 of the presets'
native jar), then run with LD_LIBRARY_PATH=OUT_DIR. Needs gcc and nm.
"""
import collections
import os
import subprocess
import sys

SPECIAL = {
    "cudaRuntimeGetVersion": "int cudaRuntimeGetVersion(int* v){*v=13010;return 0;}",
    "cudaDriverGetVersion": "int cudaDriverGetVersion(int* v){*v=13000;return 0;}",
    "cudaGetDeviceCount": "int cudaGetDeviceCount(int* c){*c=0;return 100;}",
    "cudnnGetVersion": "unsigned long cudnnGetVersion(void){return 91900;}",
    "cudnnCreate": "int cudnnCreate(void** h){*h=0;return 1001;}",
}
SYSTEM_VERSIONS = ("GLIBC", "CXXABI", "GCC_", "GLIBCXX")


def imports(jni_dir):
    """soname -> function names the JNI wrappers import from it (unversioned cu* ones come from libcuda.so.1)."""
    syms = collections.defaultdict(set)
    for jni in ["libjnicudart.so", "libjnicublas.so", "libjnicudnn.so"]:
        out = subprocess.run(["nm", "-D", "--undefined-only", os.path.join(jni_dir, jni)],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) != 2:
                continue
            name = parts[1]
            if "@" in name:
                sym, ver = name.split("@", 1)
                if not ver.startswith(SYSTEM_VERSIONS):
                    syms[ver].add(sym)
            elif name.startswith("cu"):
                syms["libcuda.so.1"].add(name)
    return syms


def main(jni_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for soname, names in imports(jni_dir).items():
        base = os.path.join(out_dir, soname.split(".so")[0])
        with open(base + ".c", "w") as f:
            for n in sorted(names):
                f.write(SPECIAL.get(n, "int %s(void){return 999;}" % n) + "\n")
        args = ["gcc", "-shared", "-fPIC", "-o", os.path.join(out_dir, soname), base + ".c", "-Wl,-soname," + soname]
        if soname != "libcuda.so.1":  # the driver's symbols are unversioned; the toolkit's carry the soname as version
            with open(base + ".map", "w") as f:
                f.write(soname + " { global: *; };\n")
            args.append("-Wl,--version-script=" + base + ".map")
        subprocess.run(args, check=True)
        print(soname, len(names), "functions")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: cuda-stub-libs.py JNI_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
