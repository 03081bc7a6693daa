#!/bin/bash
# Fault injection through the real binary: SIGKILL after some tasks, SIGTERM inside a task, --walltime,
# SIGTERM and SIGKILL during Monte Carlo tasks that checkpoint, SIGTERM during a network's training, and a
# file-size limit (a full disk); each interrupted run resumed must equal an uninterrupted one.
# Usage: fault_injection.sh SPINDIFF_BINARY SOURCE_DIR
set -u
spindiff=$1
source "$(dirname "$0")/common.sh" "$2"

cat > cfg.toml <<'TOML'
kind = "hopfield.capacity"
seed = 3
repeats = 4
[sweep]
N = [8000, 10000]
alpha = { linspace = [0.05, 0.2, 8] }
TOML
"$spindiff" run cfg.toml -o full.h5 -q -j 2 || fail "uninterrupted run"

# SIGKILL once the journal holds a task: nothing committed is lost.
"$spindiff" run cfg.toml -o kill.h5 -q -j 2 &
pid=$!
for _ in $(seq 200); do [ -s kill.partial.h5 ] && [ "$(stat -c %s kill.partial.h5)" -gt 4000 ] && break; sleep 0.05; done
kill -KILL $pid; wait $pid
[ -f kill.partial.h5 ] || fail "no journal after SIGKILL"
"$spindiff" run cfg.toml -o kill.h5 -q -j 1 2> err.txt
[ $? -eq 2 ] && grep -q -- "--resume" err.txt || fail "an existing journal was not refused"
"$spindiff" run cfg.toml -o kill.h5 -q -j 1 --resume || fail "resume after SIGKILL"
same full.h5 kill.h5
[ -f kill.partial.h5 ] && fail "journal left after a completed resume"

# SIGTERM inside a task: exit 143 within seconds, the resume command printed.
"$spindiff" run cfg.toml -o term.h5 -q -j 2 2> err.txt &
pid=$!
sleep 1
start=$(date +%s.%N)
kill -TERM $pid; wait $pid
rc=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc -eq 143 ] || fail "SIGTERM exit code $rc, expected 143"
[ "$(echo "$elapsed < 5" | bc)" -eq 1 ] || fail "SIGTERM took $elapsed s"
grep -q "resume with: .* --resume" err.txt || fail "no resume command printed"
"$spindiff" run cfg.toml -o term.h5 -q -j 2 --resume || fail "resume after SIGTERM"
same full.h5 term.h5

# --walltime: stops before the limit with exit 3; the resumed run is complete and equal.
"$spindiff" run cfg.toml -o wall.h5 -q -j 1 --walltime 1
rc=$?
[ $rc -eq 3 ] || fail "--walltime exit code $rc, expected 3"
"$spindiff" run cfg.toml -o wall.h5 -q -j 2 --resume || fail "resume after --walltime"
same full.h5 wall.h5

# In-task checkpoints: SIGTERM in the middle of long Monte Carlo tasks saves their state at once; the resumed
# run continues them (not from the start) and equals an uninterrupted one.
write_long_mc_config mc.toml
"$spindiff" run mc.toml -o mcfull.h5 -q -j 2 || fail "uninterrupted Monte Carlo run"
"$spindiff" run mc.toml -o mcterm.h5 -q -j 2 2> err.txt &
pid=$!
sleep 0.7
start=$(date +%s.%N)
kill -TERM $pid; wait $pid
rc=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc -eq 143 ] || fail "SIGTERM during Monte Carlo: exit code $rc, expected 143"
[ "$(echo "$elapsed < 5" | bc)" -eq 1 ] || fail "SIGTERM during Monte Carlo took $elapsed s"
grep -q "checkpoints of 2 stopped mid-way" err.txt || fail "no checkpoints saved on SIGTERM: $(cat err.txt)"
"$spindiff" run mc.toml -o mcterm.h5 -j 2 --resume 2> err.txt > /dev/null || fail "resume from checkpoints"
grep -q "and 2 checkpointed" err.txt || fail "the resumed run did not continue the checkpoints: $(cat err.txt)"
same mcfull.h5 mcterm.h5

# The same for network training: SIGTERM between two chunks of Adam steps saves the network, the optimiser
# and the minibatch stream; the resumed run continues them and equals an uninterrupted one.
cat > train.toml <<'TOML'
kind = "diffusion.train"
seed = 4
data = "two_moons"
n_train = 1000
width = 64
depth = 2
batch = 64
steps = 15000
n_samples = 0
[sweep]
lr = [1e-3, 2e-3]
TOML
"$spindiff" run train.toml -o trainfull.h5 -q -j 2 || fail "uninterrupted training run"
"$spindiff" run train.toml -o trainterm.h5 -q -j 2 2> err.txt &
pid=$!
sleep 0.7
kill -TERM $pid; wait $pid
rc=$?
[ $rc -eq 143 ] || fail "SIGTERM during training: exit code $rc, expected 143"
grep -q "checkpoints of 2 stopped mid-way" err.txt || fail "no training checkpoints saved on SIGTERM: $(cat err.txt)"
"$spindiff" run train.toml -o trainterm.h5 -j 2 --resume 2> err.txt > /dev/null || fail "resume training"
grep -q "and 2 checkpointed" err.txt || fail "the resumed run did not continue the training: $(cat err.txt)"
same trainfull.h5 trainterm.h5

# SIGKILL while checkpoints are written every 10 ms (a kill may land inside a write): each journal left
# behind resumes, and the end result equals the uninterrupted run.
"$spindiff" run mc.toml -o mckill.h5 -q -j 2 --checkpoint-every 0.01 &
pid=$!
sleep 0.5
kill -KILL $pid; wait $pid
for pause in 0.3 0.45; do
  [ -f mckill.h5 ] && break
  "$spindiff" run mc.toml -o mckill.h5 -q -j 2 --checkpoint-every 0.01 --resume &
  pid=$!
  sleep $pause
  kill -KILL $pid; wait $pid
done
[ -f mckill.h5 ] || "$spindiff" run mc.toml -o mckill.h5 -q -j 2 --resume || fail "resume after kills during checkpoints"
same mcfull.h5 mckill.h5

# A full disk (file-size limit): exit 1 with the path and the reason, no crash.
(ulimit -f 24; "$spindiff" run cfg.toml -o disk.h5 -q -j 2 2> err.txt)
rc=$?
[ $rc -eq 1 ] || fail "full disk exit code $rc, expected 1"
grep -q "disk.*File too large" err.txt || fail "full disk message: $(cat err.txt)"
HDF5_USE_FILE_LOCKING=FALSE "$spindiff" run cfg.toml -o nolock.h5 -q -j 2 || fail "run without file locking"
same full.h5 nolock.h5

[ $failures -eq 0 ] && echo "all fault-injection checks passed"
exit $failures
