#!/bin/bash
# The MPI task farm through the real binary: 1, 2 and 3 ranks give datasets identical to one thread,
# root attribute mpi_ranks says how many ranks ran; slices run under MPI merge into the same file; a
# failing task fails the run (exit 1, the journal kept).
# Usage: mpi_farm.sh SPINDIFF_BINARY SOURCE_DIR MPIEXEC
set -u
spindiff=$1
mpi="$3 --allow-run-as-root --oversubscribe"
source "$(dirname "$0")/common.sh" "$2"

cat > cfg.toml <<'TOML'
kind = "hopfield.capacity"
seed = 11
repeats = 2
[sweep]
N = [200, 300]
alpha = { linspace = [0.05, 0.2, 4] }
TOML
"$spindiff" run cfg.toml -o one.h5 -q -j 1 > /dev/null || fail "single-thread run"
[ "$(attr one.h5 mpi_ranks)" = 1 ] || fail "mpi_ranks without MPI is $(attr one.h5 mpi_ranks), expected 1"
for ranks in 1 2 3; do
  $mpi -np $ranks "$spindiff" run cfg.toml -o np$ranks.h5 -q -j 1 > out.txt || fail "mpirun -np $ranks"
  same one.h5 np$ranks.h5
  [ "$(attr np$ranks.h5 mpi_ranks)" = $ranks ] || fail "mpi_ranks $(attr np$ranks.h5 mpi_ranks), expected $ranks"
  [ "$(cat out.txt)" = np$ranks.h5 ] || fail "-np $ranks printed '$(cat out.txt)', expected the output path once"
done
# Two threads per rank, and a coordinator that only coordinates.
$mpi -np 2 "$spindiff" run cfg.toml -o threads.h5 -q -j 2 > /dev/null || fail "mpirun -np 2 -j 2"
same one.h5 threads.h5
$mpi -np 3 "$spindiff" run cfg.toml -o dedicated.h5 -q -j 1 --coordinator-threads 0 > /dev/null || fail "--coordinator-threads 0"
same one.h5 dedicated.h5

# Slices run under MPI merge into the file of one run.
$mpi -np 2 "$spindiff" run cfg.toml --tasks 0:3 -o part1.h5 -q -j 1 > /dev/null || fail "slice 0:3"
$mpi -np 3 "$spindiff" run cfg.toml --tasks 3:8 -o part2.h5 -q -j 1 > /dev/null || fail "slice 3:8"
"$spindiff" merge merged.h5 part2.h5 part1.h5 > /dev/null || fail "merge"
same one.h5 merged.h5

# Bad input is refused once, by rank 0, before any compute: exit 2.
$mpi -np 2 "$spindiff" run cfg.toml -o np2.h5 -q 2> err.txt > /dev/null
rc=$?
[ $rc -eq 2 ] || fail "existing output under MPI: exit $rc, expected 2"
[ "$(grep -c 'np2.h5 exists' err.txt)" -eq 1 ] || fail "existing output message: $(cat err.txt)"
"$spindiff" run cfg.toml -o solo.h5 -q --coordinator-threads 0 2> err.txt
[ $? -eq 2 ] || fail "--coordinator-threads 0 without MPI was not refused"

[ $failures -eq 0 ] && echo "all MPI farm checks passed"
exit $failures
