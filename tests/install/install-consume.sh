#!/bin/bash
# install-consume.sh BUILD_DIR SOURCE_DIR VERSION CMAKE CC [FLAGS]
#
# Installs BUILD_DIR into a fresh prefix inside it (cmake --install) and
# builds examples/consumer/consumer.c against that prefix three times, as a
# user would: with pkg-config, and with find_package(spow) configured twice,
# for spow::spow (shared) and for spow::spow_static (SPOW_CONSUMER_STATIC).
# Each consumer checks libspow against LAPACKE's SVD.  Also checks the
# installed layout: headers, both libraries with the versioned SONAME, the
# programs, tables and man pages.  FLAGS (the sanitizer flags of an
# instrumented build) go to the consumers' compile and link.  The prefix and
# the consumers' builds are removed at exit.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
version=$3
cmake=$4
cc=$5
flags=${6:-}

work=$build/install-test.tmp
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
mkdir -p "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$prefix" > "$work/install.log"

# The layout.
pc=$(find "$prefix" -name spow.pc)
[ -n "$pc" ] || fail "no spow.pc under $prefix"
export PKG_CONFIG_PATH=$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
libdir=$(pkg-config --variable=libdir spow)
includedir=$(pkg-config --variable=includedir spow)
for f in "$includedir/spow.h" "$includedir/spow_config.h" "$libdir/libspow.a" \
         "$libdir/libspow.so.$version" "$libdir/libspow.so" \
         "$libdir/cmake/spow/spowConfig.cmake"; do
  [ -e "$f" ] || fail "$f not installed"
done
soname=$(readelf -d "$libdir/libspow.so.$version" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = "libspow.so.${version%%.*}" ] || fail "SONAME '$soname', expected libspow.so.${version%%.*}"
[ "$(pkg-config --modversion spow)" = "$version" ] || fail "pkg-config --modversion spow: $(pkg-config --modversion spow)"
grep -q "#define SPOW_VERSION_STRING \"$version\"" "$includedir/spow_config.h" \
  || fail "spow_config.h does not say version $version"
ntables=$(cd "$src"/tables && find . -type f \( -name "*.c" -o -name "*.json" \) | wc -l)
ninst=$(cd "$prefix"/share/spow/tables && find . -type f | wc -l)
[ "$ntables" = "$ninst" ] || fail "$ninst files in share/spow/tables, tables/ has $ntables"
for prog in spow-gen spow-inspect; do
  if grep -q "bin/$prog\$" "$work/install.log"; then
    "$prefix/bin/$prog" --help > /dev/null || fail "installed $prog --help"
    [ -f "$prefix/share/man/man1/$prog.1" ] || fail "no man page for $prog"
  fi
done
echo "installed: $(cd "$prefix" && find . -type f | wc -l) files, SONAME $soname, spow.pc $version"

# Consumer 1: pkg-config (the shared library; rpath so it runs from the
# prefix), compiled as strictly as a user might: the installed headers must
# be warning-free C99.
# shellcheck disable=SC2046,SC2086
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror $flags "$src/examples/consumer/consumer.c" -o "$work/consumer-pc" \
  $(pkg-config --cflags spow lapacke) $(pkg-config --libs spow lapacke) -lm \
  -Wl,-rpath,"$libdir"
readelf -d "$work/consumer-pc" | grep -q "NEEDED.*\[libspow.so.${version%%.*}\]" \
  || fail "the pkg-config consumer does not load libspow.so.${version%%.*}"
echo "pkg-config consumer:"
"$work/consumer-pc"

# Consumer 2: find_package(spow), configured twice: shared (spow::spow)
# and static (SPOW_CONSUMER_STATIC, spow::spow_static).
for static in OFF ON; do
  dir=$work/consumer-cmake-$static
  "$cmake" -S "$src/examples/consumer" -B "$dir" -DSPOW_CONSUMER_STATIC=$static \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" > "$dir.log"
  "$cmake" --build "$dir" >> "$dir.log"
done
readelf -d "$work/consumer-cmake-OFF/spow-consumer" | grep -q "NEEDED.*\[libspow.so.${version%%.*}\]" \
  || fail "spow::spow is not the shared libspow"
if readelf -d "$work/consumer-cmake-ON/spow-consumer" | grep -q "NEEDED.*libspow"; then
  fail "spow::spow_static loads the shared libspow"
fi
echo "find_package consumer (spow::spow):"
"$work/consumer-cmake-OFF/spow-consumer"
echo "find_package consumer (spow::spow_static):"
"$work/consumer-cmake-ON/spow-consumer"
