#!/bin/sh
# Fetches the pinned Debian packages that BibleCorpusTest reads (sword-text-kjv, sword-text-sparv) into the
# directory given as $1 (the build passes target/debs). Runs in Maven's generate-test-resources phase.
# Never fails the build: if the packages cannot be had, BibleCorpusTest fails and says why.
set -u
dir="${1:?usage: fetch-debs.sh DIR}"
mkdir -p "$dir" && cd "$dir" || exit 0
need=""
for pkg in sword-text-kjv=14.3-1 sword-text-sparv=2.60-1; do
  deb="$(echo "$pkg" | sed 's/=/_/')_all.deb"
  [ -s "$deb" ] || need="$need $pkg"
done
[ -z "$need" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "fetch-debs.sh: apt-get not found; cannot fetch$need (BibleCorpusTest will fail)" >&2
  exit 0
fi
echo "fetch-debs.sh: apt-get download$need into $dir"
# shellcheck disable=SC2086
if ! apt-get download $need; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get download $need && exit 0
  fi
  echo "fetch-debs.sh: could not download$need (BibleCorpusTest will fail)" >&2
fi
exit 0
