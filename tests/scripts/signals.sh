#!/bin/bash
# Stopping a run through the real binary: SIGINT and SIGHUP exit with 128 + the signal number, keep the
# finished task and the checkpoint of the running one in the journal and print the resume command; a
# second signal exits at once with its own code; --walltime with a unit stops before the limit (exit 3);
# `spindiff rerun --resume` continues an interrupted rerun into a file equal to an uninterrupted run.
# Usage: signals.sh SPINDIFF_BINARY SOURCE_DIR
set -u
spindiff=$1
source "$(dirname "$0")/common.sh" "$2"

now() { date +%s.%N; }
# Seconds since $1, and whether that is below $2.
since() { echo "$(now) - $1" | bc; }
below() { [ "$(echo "$1 < $2" | bc)" -eq 1 ]; }
# Finished tasks (groups with a record) and checkpoints in a journal.
journal_tasks() {
  # Read while the run may still hold the file open for writing (HDF5's lock would refuse the reader).
  HDF5_USE_FILE_LOCKING=FALSE /usr/bin/python3 -c "import h5py, sys; f = h5py.File(sys.argv[1], 'r')
print(sum('record' in g for g in f['tasks'].values()), len(f['checkpoints']) if 'checkpoints' in f else 0)" "$1"
}
# Waits until the journal $1 of the run $2 holds a finished task (the run still going).
wait_for_commit() {
  while kill -0 $2 2> /dev/null; do
    [ -f "$1" ] && [ "$(journal_tasks "$1" 2> /dev/null | cut -d' ' -f1)" = 1 ] && return 0
    sleep 0.02
  done
  fail "the run ended before a signal could reach it"
}

# A short task (L = 8, a fraction of a second) and a long one (L = 256, about 2 s) of a kind that checkpoints.
cat > ising.toml <<'TOML'
kind = "ising.thermo"
seed = 4
T = 2.3
thermalize = 100
sweeps = 100000
[sweep]
L = [8, 256]
TOML
"$spindiff" run ising.toml -o full.h5 -q -j 2 > /dev/null || fail "uninterrupted run"

# SIGINT and SIGHUP once the short task is journaled: the long one saves its state, exit 130 and 129.
for sig in INT:130 HUP:129; do
  name=${sig%:*} code=${sig#*:}
  "$spindiff" run ising.toml -o $name.h5 -q -j 2 2> err.txt &
  pid=$!
  wait_for_commit $name.partial.h5 $pid
  start=$(now)
  kill -$name $pid
  wait $pid
  rc=$?
  elapsed=$(since $start)
  [ $rc -eq $code ] || fail "SIG$name: exit code $rc, expected $code"
  below $elapsed 5 || fail "SIG$name took $elapsed s to stop"
  [ "$(journal_tasks $name.partial.h5)" = "1 1" ] ||
    fail "SIG$name: journal holds $(journal_tasks $name.partial.h5) (finished, checkpointed), expected 1 1"
  grep -q "kept 1 finished task(s) of 2 and the checkpoints of 1 stopped mid-way in $name.partial.h5" err.txt ||
    fail "SIG$name: message $(cat err.txt)"
  grep -q "resume with: .*run ising.toml -o $name.h5 -q -j 2 --resume" err.txt || fail "SIG$name: no resume command"
  [ -f $name.h5 ] && fail "SIG$name: an output file was written"
done
"$spindiff" run ising.toml -o HUP.h5 -q -j 2 --resume > /dev/null || fail "resume after SIGHUP"
same full.h5 HUP.h5
[ "$(attr HUP.h5 tasks_resumed)" = 1 ] || fail "tasks_resumed $(attr HUP.h5 tasks_resumed) after SIGHUP, expected 1"

# A second signal exits at once. The long task here (hopfield.capacity, about 6 s) makes no checkpoint, so
# after one signal the run would wait up to 3 s for it; the second signal's own code is the exit code.
cat > capacity.toml <<'TOML'
kind = "hopfield.capacity"
seed = 4
alpha = 0.14
repeats = 8
[sweep]
N = [100, 20000]
TOML
for pair in INT:INT:130 INT:TERM:143; do
  first=${pair%%:*} rest=${pair#*:}
  second=${rest%:*} code=${rest#*:}
  rm -f twice.partial.h5
  "$spindiff" run capacity.toml -o twice.h5 -q -j 2 2> err.txt &
  pid=$!
  wait_for_commit twice.partial.h5 $pid
  start=$(now)
  kill -$first $pid
  sleep 0.3
  kill -$second $pid
  wait $pid
  rc=$?
  elapsed=$(since $start)
  [ $rc -eq $code ] || fail "SIG$first then SIG$second: exit code $rc, expected $code"
  below $elapsed 1.5 || fail "SIG$first then SIG$second took $elapsed s, the second signal did not exit at once"
  [ "$(journal_tasks twice.partial.h5)" = "1 0" ] ||
    fail "after a second signal the journal holds $(journal_tasks twice.partial.h5), expected the finished task"
done

# --walltime with a unit: 0.02m is 1.2 s, so the run stops 5 % before that (1.14 s after its start, not at
# once) while the long task still runs, exit 3; limits far beyond the run change nothing (the units
# themselves: runner.walltime durations in tests/runner/test_durable.cpp).
start=$(now)
"$spindiff" run ising.toml -o wall.h5 -q -j 2 --walltime 0.02m 2> err.txt
rc=$?
elapsed=$(since $start)
[ $rc -eq 3 ] || fail "--walltime 0.02m: exit code $rc, expected 3"
below 1.1 $elapsed || fail "--walltime 0.02m stopped after $elapsed s, before the limit minus 5 %"
grep -q "stopped before the --walltime limit" err.txt || fail "--walltime message: $(cat err.txt)"
for limit in 90m 2h; do
  "$spindiff" run ising.toml -o wall$limit.h5 -q -j 2 --walltime $limit --set 'sweep.L=[8]' > /dev/null ||
    fail "--walltime $limit"
  [ "$(attr wall$limit.h5 task_count)" = 1 ] || fail "--walltime $limit: no complete file"
done

# spindiff rerun --resume: an interrupted rerun continues from its journal.
"$spindiff" rerun full.h5 -o again.h5 -q -j 2 2> err.txt &
pid=$!
wait_for_commit again.partial.h5 $pid
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "SIGTERM during rerun: exit code $rc, expected 143"
grep -q "resume with: .*rerun full.h5 -o again.h5 -q -j 2 --resume" err.txt || fail "rerun: resume command $(cat err.txt)"
"$spindiff" rerun full.h5 -o again.h5 -q -j 2 > /dev/null 2> err.txt
[ $? -eq 2 ] && grep -q -- "--resume" err.txt || fail "rerun without --resume replaced the journal"
"$spindiff" rerun full.h5 -o again.h5 -q -j 2 --resume > /dev/null || fail "rerun --resume"
same full.h5 again.h5
[ "$(attr again.h5 tasks_resumed)" = 1 ] || fail "tasks_resumed $(attr again.h5 tasks_resumed) after rerun --resume"
[ -f again.partial.h5 ] && fail "journal left after rerun --resume"

[ $failures -eq 0 ] && echo "all signal checks passed"
exit $failures
