# Sourced by docs/figures.sh and docs/fronts.sh (POSIX sh): the programs of
# BUILD_DIR ($1), the output directory ($2, default docs/img), a scratch
# directory removed on exit.
set -eu
build=$1
out=${2:-$(dirname "$0")/img}
gen=$build/gen/spow-gen
insp=$build/inspect/spow-inspect
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
