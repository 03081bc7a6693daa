# Shared set-up of the command-line test scripts (sourced): a scratch folder removed on exit, a failure
# counter, and checks on result files. Usage: source common.sh SOURCE_DIR
digests="/usr/bin/python3 $1/scripts/dataset_digests.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# The two files hold bit-identical /summary and /tasks datasets.
same() { $digests "$1" > a.txt && $digests "$2" > b.txt && cmp -s a.txt b.txt || fail "$1 and $2 differ"; }
# A root attribute of a result file.
attr() { /usr/bin/python3 -c "import h5py, sys; print(h5py.File(sys.argv[1], 'r').attrs[sys.argv[2]])" "$1" "$2"; }
# Two Monte Carlo tasks long enough (seconds each) that a signal lands inside them.
write_long_mc_config() {
  cat > "$1" <<'TOML'
kind = "ising.thermo"
seed = 4
repeats = 2
T = 2.3
L = 64
thermalize = 1000
sweeps = 40000
[sweep]
h = [0.05, 0.1]
TOML
}
