#!/bin/bash
# Provenance and output safety through the real binary: --set notes and errors on stderr, /inputs (resolved
# path and SHA-256 of each input file), `spindiff rerun` from another working directory, a changed input
# reported, a read-only output folder refused before any compute, the journal kept when the final write
# fails, a resume with another configuration refused naming the key, a damaged journal refused.
# Usage: provenance.sh SPINDIFF_BINARY SOURCE_DIR
set -u
spindiff=$1
source "$(dirname "$0")/common.sh" "$2"

cat > cfg.toml <<'TOML'
kind = "hopfield.capacity"
seed = 5
repeats = 2
[sweep]
N = [100, 200]
alpha = [0.05, 0.1]
TOML

# --set on a swept key replaces the sweep and says so; bad values and unknown keys blame the argument.
"$spindiff" run cfg.toml -o fixed.h5 -q --set N=300 > /dev/null 2> err.txt || fail "--set N=300"
grep -q "^spindiff: --set N=300: replaces the sweep over 'N' (now fixed)$" err.txt || fail "no --set note: $(cat err.txt)"
[ "$(attr fixed.h5 task_count)" = 2 ] || fail "--set N=300 ran $(attr fixed.h5 task_count) tasks, expected 2"
for bad in 'N=[1,2' 'alpha=.1' 'maen=1' 'sweep.maen=[1]' 'N=0'; do
  "$spindiff" run cfg.toml -o bad.h5 -q --set "$bad" > /dev/null 2> err.txt
  rc=$?
  [ $rc -eq 2 ] || fail "--set $bad: exit code $rc, expected 2"
  grep -qF "spindiff: error: --set $bad: key " err.txt || fail "--set $bad: message does not name the argument: $(cat err.txt)"
  grep -q "cfg.toml" err.txt && fail "--set $bad: blamed on the configuration file: $(cat err.txt)"
  [ -e bad.h5 ] || [ -e bad.partial.h5 ] && fail "--set $bad: a file was written"
done

# An input file given by a relative path resolves against the configuration's folder; /inputs records it.
digits=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
if [ -f $digits ]; then
  mkdir -p project/data elsewhere
  cp $digits project/data/digits.csv.gz
  cat > project/digits.toml <<'TOML'
kind = "hopfield.digits"
seed = 2
rule = "hebb"
digits_path = "data/digits.csv.gz"
TOML
  "$spindiff" run project/digits.toml -o digits.h5 -q > /dev/null || fail "run with an input file"
  inputs=$(/usr/bin/python3 -c "import h5py, sys; a = h5py.File(sys.argv[1], 'r')['inputs'].attrs
print(*[str(a[k][0]) for k in ('parameter', 'path', 'sha256')])" digits.h5)
  expected="digits_path $(realpath project/data/digits.csv.gz) $(sha256sum $digits | cut -d' ' -f1)"
  [ "$inputs" = "$expected" ] || fail "/inputs holds '$inputs', expected '$expected'"
  # rerun from another working directory finds the input and reproduces every dataset.
  (cd elsewhere && "$spindiff" rerun ../digits.h5 -o again.h5 -q > /dev/null 2> err.txt) || fail "rerun from elsewhere"
  same digits.h5 elsewhere/again.h5
  [ -s elsewhere/err.txt ] && fail "rerun of unchanged inputs printed: $(cat elsewhere/err.txt)"
  # The same digits compressed otherwise: other bytes, so a changed input, reported by its path and digests.
  zcat $digits | gzip -1 > project/data/digits.csv.gz
  (cd elsewhere && "$spindiff" rerun ../digits.h5 -o changed.h5 -q > /dev/null 2> err.txt) || fail "rerun, changed input"
  grep -q "input $(realpath project/data/digits.csv.gz) changed since ../digits.h5 was written (sha256 $(sha256sum $digits | cut -d' ' -f1) then, $(sha256sum project/data/digits.csv.gz | cut -d' ' -f1) now)" elsewhere/err.txt ||
    fail "changed input not reported: $(cat elsewhere/err.txt)"
else
  echo "skipped the input-file checks: $digits is missing (apt-get install python3-sklearn)"
fi

# A read-only output folder is refused before any compute: exit 2 at once, no journal. Root writes anywhere,
# so as root the run is made by the user nobody (setpriv).
cat > long.toml <<'TOML'
kind = "hopfield.capacity"
seed = 4
alpha = 0.14
repeats = 8
N = 20000
TOML
mkdir readonly
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$work"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
chmod 555 readonly
start=$(date +%s.%N)
"${as_user[@]}" "$spindiff" run long.toml -o readonly/out.h5 -q > /dev/null 2> err.txt
rc=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
[ $rc -eq 2 ] || fail "read-only output folder: exit code $rc, expected 2"
grep -q "the output folder readonly is not writable: Permission denied" err.txt || fail "read-only folder: $(cat err.txt)"
[ "$(echo "$elapsed < 1" | bc)" -eq 1 ] || fail "read-only folder refused only after $elapsed s"
[ -z "$(ls -A readonly)" ] || fail "files left in the read-only folder: $(ls -A readonly)"

# The final write fails (its temporary file's name is taken by a folder): exit 1 with the path and the
# reason, every task kept in the journal; a resume with another configuration is refused naming the key,
# the same configuration resumes all tasks from the journal.
# (Tasks of a few hundredths of a second, so that the folder is made before the run ends.)
cat > cut.toml <<'TOML'
kind = "hopfield.capacity"
seed = 5
repeats = 2
[sweep]
N = [2000, 4000]
alpha = [0.05, 0.1]
TOML
"$spindiff" run cut.toml -o full.h5 -q -j 1 > /dev/null || fail "uninterrupted run"
"$spindiff" run cut.toml -o cut.h5 -q -j 1 2> err.txt > /dev/null &
pid=$!
mkdir .cut.h5.tmp-$pid
wait $pid
rc=$?
[ $rc -eq 1 ] || fail "failed final write: exit code $rc, expected 1"
grep -q "could not write cut.h5: .*; the finished tasks are kept in cut.partial.h5" err.txt || fail "failed write: $(cat err.txt)"
[ -f cut.h5 ] && fail "an output was written despite the failure"
rmdir .cut.h5.tmp-$pid 2> /dev/null
tasks=$(HDF5_USE_FILE_LOCKING=FALSE /usr/bin/python3 -c "import h5py, sys; print(len(h5py.File(sys.argv[1], 'r')['tasks']))" cut.partial.h5)
[ "$tasks" = 4 ] || fail "the journal holds $tasks tasks after the failed write, expected 4"
"$spindiff" run cut.toml -o cut.h5 -q --resume --set seed=6 > /dev/null 2> err.txt
rc=$?
[ $rc -eq 2 ] || fail "resume with another seed: exit code $rc, expected 2"
grep -q "key 'seed': differs from the configuration of the journal cut.partial.h5" err.txt || fail "mismatch: $(cat err.txt)"
"$spindiff" run cut.toml -o cut.h5 -q --resume --set 'sweep.alpha=[0.05, 0.2]' > /dev/null 2> err.txt
grep -q "key 'sweep.alpha': differs" err.txt || fail "mismatch in a sweep: $(cat err.txt)"
"$spindiff" run cut.toml -o cut.h5 -q --resume > /dev/null || fail "resume after the failed write"
same full.h5 cut.h5
[ "$(attr cut.h5 tasks_resumed)" = 4 ] || fail "tasks_resumed $(attr cut.h5 tasks_resumed), expected 4"

# A journal that cannot be read (damaged) stops --resume with exit 1 naming it; --force starts over.
echo "not an HDF5 file" > damaged.partial.h5
"$spindiff" run cfg.toml -o damaged.h5 -q --resume > /dev/null 2> err.txt
rc=$?
[ $rc -eq 1 ] || fail "damaged journal: exit code $rc, expected 1"
grep -q "cannot use the journal damaged.partial.h5" err.txt || fail "damaged journal: $(cat err.txt)"
"$spindiff" run cfg.toml -o damaged.h5 -q --force > /dev/null || fail "--force over a damaged journal"
[ -f damaged.partial.h5 ] && fail "journal left after --force"

[ $failures -eq 0 ] && echo "all provenance and output checks passed"
exit $failures
