# Each dependency is looked for only when a part that needs it is built, so
# that a runtime-only configure (SPOW_BUILD_GEN, _INSPECT, _BENCH and _TESTS
# all OFF) needs a C99 compiler and the BLAS of SPOW_BLAS and nothing else:
#
#   libspow          the BLAS of SPOW_BLAS (none: nothing)
#   spow-gen         MPFR, GMP
#   spow-inspect     MPFR, GMP (the generator library), LAPACKE, OpenBLAS
#   spow-bench       spow-gen (it fits its own tables), LAPACKE, OpenBLAS
#   tests            Check, LAPACKE (the oracle), OpenBLAS
#
# Inconsistent choices stop the configure with the reason rather than
# quietly building less than asked.

if(NOT SPOW_BLAS MATCHES "^(openblas|cblas|none)$")
  message(FATAL_ERROR "SPOW_BLAS must be openblas, cblas or none, not '${SPOW_BLAS}'")
endif()
if(SPOW_BUILD_BENCH AND NOT SPOW_BUILD_GEN)
  message(FATAL_ERROR "SPOW_BUILD_BENCH needs SPOW_BUILD_GEN: spow-bench fits its own "
                      "tables with spow-gen at build time (or set SPOW_BUILD_BENCH=OFF)")
endif()
if(SPOW_BLAS STREQUAL "none" AND (SPOW_BUILD_INSPECT OR SPOW_BUILD_BENCH))
  message(FATAL_ERROR "SPOW_BLAS=none leaves libspow without a default GEMM, which "
                      "spow-inspect and spow-bench use: set SPOW_BUILD_INSPECT=OFF and "
                      "SPOW_BUILD_BENCH=OFF, or choose SPOW_BLAS=openblas or cblas")
endif()

# The full suite runs the programs and the default GEMM; see tests/CMakeLists.txt
# for the smaller suites of the other configurations.
set(SPOW_FULL_TESTS OFF)
if(SPOW_BUILD_TESTS AND NOT SPOW_BLAS STREQUAL "none")
  set(SPOW_FULL_TESTS ON)
endif()

set(_spow_need_mp OFF)
if(SPOW_BUILD_GEN OR SPOW_BUILD_INSPECT)
  set(_spow_need_mp ON)
endif()
set(_spow_need_lapacke OFF)
if(SPOW_BUILD_INSPECT OR SPOW_BUILD_BENCH OR SPOW_FULL_TESTS)
  set(_spow_need_lapacke ON)
endif()

if(_spow_need_mp OR _spow_need_lapacke OR SPOW_FULL_TESTS OR NOT SPOW_BLAS STREQUAL "none")
  find_package(PkgConfig REQUIRED)
endif()

# SPOW_BLAS_TARGET links libspow to its BLAS; SPOW_BLAS_PKG is the
# pkg-config module that spow.pc and the CMake package ask for in turn.
set(SPOW_BLAS_TARGET "")
set(SPOW_BLAS_PKG "")
if(SPOW_BLAS STREQUAL "openblas" OR _spow_need_lapacke)
  pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
endif()
if(SPOW_BLAS STREQUAL "openblas")
  set(SPOW_BLAS_TARGET PkgConfig::OPENBLAS)
  set(SPOW_BLAS_PKG openblas)
elseif(SPOW_BLAS STREQUAL "cblas")
  pkg_check_modules(SPOW_CBLAS REQUIRED IMPORTED_TARGET blas)
  set(SPOW_BLAS_TARGET PkgConfig::SPOW_CBLAS)
  set(SPOW_BLAS_PKG blas)
endif()

if(_spow_need_mp)
  pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr)
  pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)
endif()
if(_spow_need_lapacke)
  pkg_check_modules(LAPACKE REQUIRED IMPORTED_TARGET lapacke)
endif()
if(SPOW_FULL_TESTS)
  pkg_check_modules(CHECK REQUIRED IMPORTED_TARGET check)
endif()
