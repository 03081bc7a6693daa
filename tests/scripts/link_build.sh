#!/usr/bin/env bash
# The set-up's last step (scripts/link_build.sh) into scratch folders: afterwards a shell whose PATH has the
# link folder runs `spindiff list`, and /usr/bin/python3 started in / imports spindiff from the build tree
# with the CLI's version. Usage: link_build.sh BUILD_DIR SOURCE_DIR
build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
source "$(dirname "$0")/common.sh" "$source_dir"
user_base="$work/userbase"
site=$(PYTHONUSERBASE="$user_base" /usr/bin/python3 -m site --user-site)
SPINDIFF_BIN_DIR="$work/bin" SPINDIFF_SITE_DIR="$site" bash "$source_dir/scripts/link_build.sh" "$build" 2>/dev/null ||
  fail "link_build.sh failed"
clean() { (cd / && env -i HOME="$work" PATH="$work/bin:/usr/bin:/bin" PYTHONUSERBASE="$user_base" "$@"); }

clean spindiff list | grep -q '^hopfield.capacity ' || fail "spindiff list from PATH does not list hopfield.capacity"
cli_version=$(clean spindiff --version | awk '{print $2}')
py=$(clean /usr/bin/python3 -c 'import spindiff; print(spindiff.__version__, spindiff.__file__)')
[ "${py%% *}" = "$cli_version" ] || fail "python says version '${py%% *}', the CLI '$cli_version'"
case "${py#* }" in "$build"/python/spindiff/*) ;; *) fail "spindiff imported from '${py#* }', not $build/python" ;; esac
[ "$failures" -eq 0 ] && echo "link_build: spindiff $cli_version on PATH and importable from /"
exit "$failures"
