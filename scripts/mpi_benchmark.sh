#!/bin/bash
# Wall time of 64 tasks of about 0.2 s of CPU each (ising.thermo, L = 32, 200000 sweeps, 64 temperatures):
#   --threads 1                            one process, one thread (the per-task reference)
#   --threads 2                            one process, two threads
#   mpirun -np 2 --threads 1               two ranks; rank 0 computes and coordinates
#   mpirun -np 3 --coordinator-threads 0   a dedicated coordinator and two computing ranks
# Each configuration runs ROUNDS times (default 3), interleaved, with the load average before each
# run; the median wall time is reported, with the CPU time (user + system, all ranks) that shows the
# farm's own cost even on a busy machine. Every run's datasets are checked equal to the first one.
# Usage: scripts/mpi_benchmark.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
spindiff="$(cd "${1:-build}" && pwd)/apps/spindiff"
rounds=${2:-3}
mpi="mpirun --oversubscribe"
[ "$(id -u)" -eq 0 ] && mpi="$mpi --allow-run-as-root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > bench.toml <<'TOML'
kind = "ising.thermo"
seed = 1
L = 32
sweeps = 200000
thermalize = 20000
[sweep]
T = { linspace = [1.5, 3.5, 64] }
TOML

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
declare -A times cpus
names=("threads-1" "threads-2" "mpi-np2" "mpi-np3-dedicated")
timed=(/usr/bin/time -f "%e %U %S" -o time.txt)
run() {
  case $1 in
    threads-1) "${timed[@]}" "$spindiff" run bench.toml -o "$2" -q -j 1 ;;
    threads-2) "${timed[@]}" "$spindiff" run bench.toml -o "$2" -q -j 2 ;;
    mpi-np2) "${timed[@]}" $mpi -np 2 "$spindiff" run bench.toml -o "$2" -q -j 1 ;;
    mpi-np3-dedicated) "${timed[@]}" $mpi -np 3 "$spindiff" run bench.toml -o "$2" -q -j 1 --coordinator-threads 0 ;;
  esac
}
for round in $(seq "$rounds"); do
  for name in "${names[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    run "$name" "$name-$round.h5" > /dev/null
    read -r t user sys < time.txt
    cpu=$(echo "$user + $sys" | bc)
    times[$name]="${times[$name]:-} $t"
    cpus[$name]="${cpus[$name]:-} $cpu"
    printf "round %d  %-18s wall %7.2f s  cpu %7.2f s   load average before: %s\n" "$round" "$name" "$t" "$cpu" "$load"
    /usr/bin/python3 "$source_dir/scripts/dataset_digests.py" "$name-$round.h5" > "$name-$round.txt"
    cmp -s "$name-$round.txt" "${names[0]}-1.txt" || { echo "datasets of $name differ"; exit 1; }
  done
done
# Mean task time from the records (seconds each task took, as measured by the run itself).
task_seconds=$(/usr/bin/python3 -c "
import h5py, sys
with h5py.File(sys.argv[1], 'r') as f:
    s = [g.attrs['seconds'] for g in f['tasks'].values()]
print(f'{sum(s) / len(s):.3f}')" "${names[0]}-1.h5")
echo "mean task time in the --threads 1 runs' first file: $task_seconds s"
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ref=$(echo "${times[threads-2]}" | median)
for name in "${names[@]}"; do
  m=$(echo "${times[$name]}" | median)
  c=$(echo "${cpus[$name]}" | median)
  printf "median %-18s wall %7.2f s (ratio to --threads 2: %.3f)  cpu %7.2f s\n" "$name" "$m" "$(echo "$m / $ref" | bc -l)" "$c"
done
