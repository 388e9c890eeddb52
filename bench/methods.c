/* methods.c -- what spow-bench compares, in the order it prints them. */
#include "bench.h"

const bench_method bench_methods[] = {
    /* spow: every evaluation variant the runtime ships. */
    {"spow", 0, bench_spow_supports, bench_spow_setup, bench_spow_run, bench_spow_teardown},
    {"spow", 1, bench_spow_supports, bench_spow_setup, bench_spow_run, bench_spow_teardown},
    {"spow-mixed", 1, bench_spow_supports, bench_spow_setup_mixed, bench_spow_run, bench_spow_teardown},
    /* Frobenius scaling instead of the default; the table chosen by shape. */
    {"spow-frob", 0, bench_spow_supports, bench_spow_setup_frobenius, bench_spow_run, bench_spow_teardown},
    {"spow-frob", 1, bench_spow_supports, bench_spow_setup_frobenius, bench_spow_run, bench_spow_teardown},
    {"spow-shape", 0, bench_spow_supports, bench_spow_setup_shape, bench_spow_run, bench_spow_teardown},
    {"spow-shape", 1, bench_spow_supports, bench_spow_setup_shape, bench_spow_run, bench_spow_teardown},
    /* The steps on the small side: double, float in double, float. */
    {"spow-small", 0, bench_spow_supports, bench_spow_setup_small, bench_spow_run, bench_spow_teardown},
    {"spow-small", 1, bench_spow_supports, bench_spow_setup_small, bench_spow_run, bench_spow_teardown},
    {"spow-small-f32", 1, bench_spow_supports, bench_spow_setup_small_f32, bench_spow_run, bench_spow_teardown},
    /* Not shipped: 1e-3-target tables and ?syrk for the Gram products. */
    {"spow-fast", 1, bench_spow_built_supports, bench_spow_setup_fast, bench_spow_run, bench_spow_teardown},
    /* Not shipped: 1e-6 designs with Sastre's forms (a product fewer per degree-8/12/16 step). */
    {"spow-sastre", 0, bench_spow_built_supports, bench_spow_setup_sastre, bench_spow_run, bench_spow_teardown},
    {"spow-sastre", 1, bench_spow_built_supports, bench_spow_setup_sastre, bench_spow_run, bench_spow_teardown},
    /* 64 matrices a run (only when --methods names them): batched, looped. */
    {"spow-batch-x64", 1, bench_spow_supports, bench_spow_setup_batch, bench_spow_run, bench_spow_teardown},
    {"spow-loop-x64", 1, bench_spow_supports, bench_spow_setup_loop, bench_spow_run, bench_spow_teardown},
    {"spow-batch-x64", 0, bench_spow_supports, bench_spow_setup_batch, bench_spow_run, bench_spow_teardown},
    {"spow-loop-x64", 0, bench_spow_supports, bench_spow_setup_loop, bench_spow_run, bench_spow_teardown},
    /* LAPACK: SVD, then U S^p V^T. */
    {"dgesdd", 0, bench_lapack_supports, bench_gesdd_setup, bench_gesdd_run_f64, bench_free_state},
    {"sgesdd", 1, bench_lapack_supports, bench_gesdd_setup, bench_gesdd_run_f32, bench_free_state},
    /* LAPACK: eigendecomposition of the smaller Gram matrix. */
    {"dsyevd", 0, bench_lapack_supports, bench_syevd_setup, bench_syevd_run_f64, bench_free_state},
    {"ssyevd", 1, bench_lapack_supports, bench_syevd_setup, bench_syevd_run_f32, bench_free_state},
    /* Matrix-product peers. */
    {"ns-coupled", 0, bench_ns_supports, bench_ns_setup, bench_ns_run_f64, bench_ns_teardown},
    {"ns-coupled", 1, bench_ns_supports, bench_ns_setup, bench_ns_run_f32, bench_ns_teardown},
    {"muon-quintic", 0, bench_quintic_supports, bench_quintic_setup, bench_quintic_run_f64, bench_ns_teardown},
    {"muon-quintic", 1, bench_quintic_supports, bench_quintic_setup, bench_quintic_run_f32, bench_ns_teardown},
};

const int bench_nmethods = (int)(sizeof bench_methods / sizeof bench_methods[0]);
