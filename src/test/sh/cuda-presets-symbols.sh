#!/bin/sh
# For a CUDA engine on JavaCPP's presets (src/site/markdown/cuda-presets-feasibility.md): which CUDA/cuDNN functions the
# JavaCPP presets' JNI wrappers import that the libraries on this machine do not export. The JNI libraries are
# loaded lazily (RTLD_LAZY): a missing function does not stop loading, but calling it kills the JVM with
# "symbol lookup error". So the functions the engine calls must not be in this list.
# Usage: src/test/sh/cuda-presets-symbols.sh PRESETS_NATIVE_JAR LIBDIR...
#   PRESETS_NATIVE_JAR  e.g. ~/.m2/repository/org/bytedeco/cuda/13.1-9.19-1.5.13/cuda-13.1-9.19-1.5.13-linux-x86_64.jar
#   LIBDIR              directories holding libcudart.so.13, libcublas*.so.13, libcudnn_*.so.9 (PyTorch: the lib/
#                       folders under site-packages/nvidia/), plus the driver's libcuda.so.1 (/usr/lib/x86_64-linux-gnu)
# Output: per imported library, the file found and the count of missing functions, then each missing one
# ("MISSING lib function"); exit status 0 always (it reports, the reader judges).
set -eu
jar=$1; shift
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -qo "$jar" '*/libjnicudart.so' '*/libjnicublas.so' '*/libjnicudnn.so' && find . -name 'libjni*.so' -exec mv {} . \;)
for jni in "$work"/libjnicudart.so "$work"/libjnicublas.so "$work"/libjnicudnn.so; do
  nm -D --undefined-only "$jni" | awk '{print $2}' | grep -vE '@(GLIBC|GLIBCXX|CXXABI|GCC_)|^_' | while read -r s; do
    case $s in *@*) echo "${s#*@} ${s%%@*}";; cu*) echo "libcuda.so.1 $s";; esac
  done
done | sort -u > "$work/imports"
for lib in $(cut -d' ' -f1 "$work/imports" | sort -u); do
  file=""
  for d in "$@"; do [ -e "$d/$lib" ] && { file="$d/$lib"; break; }; done
  if [ -z "$file" ]; then echo "$lib: NOT FOUND in $*"; continue; fi
  nm -D --defined-only "$file" | awk '{print $3}' | sed 's/@.*//' | sort -u > "$work/exports"
  grep "^$lib " "$work/imports" | cut -d' ' -f2 | sort -u > "$work/wanted"
  comm -23 "$work/wanted" "$work/exports" > "$work/missing"
  echo "$lib: $(readlink -f "$file"): $(wc -l < "$work/wanted") imported, $(wc -l < "$work/missing") missing"
  sed "s|^|MISSING $lib |" "$work/missing"
done
