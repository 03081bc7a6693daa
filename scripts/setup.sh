#!/usr/bin/env bash
# Installs the Debian 12 packages spindiff needs (only the missing ones) and builds it.
# Then puts the `spindiff` command on PATH (a link in /usr/local/bin) and makes `import spindiff` work
# for /usr/bin/python3 from any directory (spindiff.pth in the system's site-packages, pointing at
# <build-dir>/python; scripts/link_build.sh). SPINDIFF_LINK=0 skips that step (scripts/test.sh builds a
# throwaway tree).
# Usage: scripts/setup.sh [build-dir]   (BUILD_TYPE, CMAKE_ARGS may be set in the environment)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake git pkg-config libboost-dev libeigen3-dev libhdf5-dev hdf5-tools libfmt-dev
  catch2 libcli11-dev libtomlplusplus-dev librandom123-dev libbenchmark-dev zlib1g-dev
  libboost-mpi-dev libboost-serialization-dev openmpi-bin libopenmpi-dev pybind11-dev python3-dev
  python3 python3-h5py python3-numpy python3-matplotlib python3-pandas python3-pytest python3-sklearn
  libopenblas0-pthread)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build_dir="${1:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${CMAKE_ARGS:-} >&2
cmake --build "$build_dir" -j"$(nproc)" >&2

if [ "${SPINDIFF_LINK:-1}" != 0 ]; then
  scripts/link_build.sh "$build_dir"
fi
