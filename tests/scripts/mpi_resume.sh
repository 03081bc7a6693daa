#!/bin/bash
# Stopping and resuming under MPI through the real binary: SIGKILL to mpirun after some tasks, SIGTERM
# to every rank in the middle of tasks (exit 143), --walltime (exit 3), SIGTERM during checkpointing
# Monte Carlo tasks; each resumed with another rank count must equal an uninterrupted single-process run.
# Usage: mpi_resume.sh SPINDIFF_BINARY SOURCE_DIR MPIEXEC
set -u
spindiff=$1
mpi="$3 --allow-run-as-root --oversubscribe"
source "$(dirname "$0")/common.sh" "$2"
# Waits (up to 60 s) until the journal holds a finished task (read without locks while it is written).
wait_for_task() {
  HDF5_USE_FILE_LOCKING=FALSE /usr/bin/python3 - "$1" <<'PY'
import sys, time, h5py
for _ in range(1200):
    try:
        with h5py.File(sys.argv[1], "r") as f:
            if any("record" in g for g in f["tasks"].values()):
                break
    except Exception:
        pass
    time.sleep(0.05)
PY
}
cat > cfg.toml <<'TOML'
kind = "hopfield.capacity"
seed = 3
repeats = 4
[sweep]
N = [8000, 10000]
alpha = { linspace = [0.05, 0.2, 6] }
TOML
"$spindiff" run cfg.toml -o full.h5 -q -j 2 > /dev/null || fail "uninterrupted run"

# SIGKILL to mpirun once the journal holds a task: nothing committed is lost; resume on 3 ranks.
$mpi -np 2 "$spindiff" run cfg.toml -o mpi_kill.h5 -q -j 1 > /dev/null 2>&1 &
pid=$!
wait_for_task mpi_kill.partial.h5
kill -KILL $pid; wait $pid 2> /dev/null
# A job killed by its scheduler loses every rank: ranks orphaned by mpirun's death would keep the
# journal open, so kill them too and wait until they are gone. The files are named for this script alone:
# the patterns must not reach the fault-injection test, which ctest may run at the same time.
pkill -KILL -f "^$spindiff run cfg.toml -o mpi_kill.h5"
for _ in $(seq 100); do pgrep -f "^$spindiff run cfg.toml -o mpi_kill.h5" > /dev/null || break; sleep 0.1; done
[ -f mpi_kill.partial.h5 ] || fail "no journal after SIGKILL"
$mpi -np 3 "$spindiff" run cfg.toml -o mpi_kill.h5 -q -j 1 --resume > /dev/null || fail "resume under MPI after SIGKILL"
same full.h5 mpi_kill.h5
resumed=$(attr mpi_kill.h5 tasks_resumed)
[ "$resumed" -ge 1 ] && [ "$resumed" -lt 12 ] || fail "tasks_resumed $resumed, expected 1..11"
[ -f mpi_kill.partial.h5 ] && fail "journal left after a completed resume"

# SIGTERM to every rank (what a batch scheduler sends): exit 143 within seconds, resume command printed.
$mpi -np 2 "$spindiff" run cfg.toml -o mpi_term.h5 -q -j 1 > /dev/null 2> err.txt &
pid=$!
wait_for_task mpi_term.partial.h5
start=$(date +%s.%N)
pkill -TERM -f "^$spindiff run cfg.toml -o mpi_term.h5"
wait $pid
rc=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc -eq 143 ] || fail "SIGTERM to the ranks: exit code $rc, expected 143"
[ "$(echo "$elapsed < 5" | bc)" -eq 1 ] || fail "SIGTERM took $elapsed s"
grep -q "resume with: mpirun -np 2 .* --resume" err.txt || fail "no resume command printed: $(cat err.txt)"
$mpi -np 2 "$spindiff" run cfg.toml -o mpi_term.h5 -q -j 1 --resume > /dev/null || fail "resume after SIGTERM"
same full.h5 mpi_term.h5

# --walltime under MPI: exit 3, then a resume without MPI completes the same file.
$mpi -np 2 "$spindiff" run cfg.toml -o wall.h5 -q -j 1 --walltime 1.5 > /dev/null 2>&1
rc=$?
[ $rc -eq 3 ] || fail "--walltime under MPI: exit code $rc, expected 3"
"$spindiff" run cfg.toml -o wall.h5 -q -j 2 --resume > /dev/null || fail "resume after --walltime"
same full.h5 wall.h5

# In-task checkpoints travel from the ranks to rank 0's journal: SIGTERM to every rank in the middle of
# long Monte Carlo tasks run only by the other ranks (--coordinator-threads 0); the resume on another
# rank count continues the checkpointed tasks and equals an uninterrupted run.
write_long_mc_config mc.toml
"$spindiff" run mc.toml -o mcfull.h5 -q -j 2 > /dev/null || fail "uninterrupted Monte Carlo run"
$mpi -np 3 "$spindiff" run mc.toml -o mpi_mcterm.h5 -q -j 1 --coordinator-threads 0 > /dev/null 2> err.txt &
pid=$!
for _ in $(seq 100); do [ -f mpi_mcterm.partial.h5 ] && break; sleep 0.05; done
sleep 1
pkill -TERM -f "^$spindiff run mc.toml -o mpi_mcterm.h5"
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "SIGTERM to the ranks during Monte Carlo: exit code $rc, expected 143"
grep -q "checkpoints of [12] stopped mid-way" err.txt || fail "no checkpoint reached the journal: $(cat err.txt)"
$mpi -np 2 "$spindiff" run mc.toml -o mpi_mcterm.h5 -j 1 --resume > /dev/null 2> err.txt || fail "resume from checkpoints"
grep -q "and [12] checkpointed" err.txt || fail "the resumed run did not continue the checkpoints: $(cat err.txt)"
same mcfull.h5 mpi_mcterm.h5

[ $failures -eq 0 ] && echo "all MPI resume checks passed"
exit $failures
