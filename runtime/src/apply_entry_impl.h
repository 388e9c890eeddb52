/* apply_entry_impl.h -- spow_apply_{f64,f32}[_ex] and
 * spow_apply_batch_{f64,f32}_ex: check everything, then run.
 *
 * Included by apply.c once per type, after run_one,
 * with SPOW_T, SPOW_FN(name) (name ## _f64 or _f32), SPOW_FN_EX(name)
 * (name ## _f64_ex or _f32_ex) and SPOW_IS_F32 (0 or 1) defined; no include
 * guard on purpose.  A single apply is a batch of one.  Nothing is written
 * before every check has passed: the arguments, every input's entries (the
 * norm pass, repeated per matrix when it runs: a read of G is cheap next to
 * its GEMMs, and the runtime keeps no per-batch memory), the workspace. */

int SPOW_FN_EX(spow_apply_batch)(const spow_table *t, size_t count,
                                 size_t rows, size_t cols, const SPOW_T *g,
                                 size_t ldg, size_t stride_g, SPOW_T *out,
                                 size_t ldo, size_t stride_o,
                                 const spow_options *opt)
{
    spow_stats acc = {0, 0.0, 0.0};
    spow_scale sc;
    size_t bytes, i;
    unsigned char *base = NULL;
    void *mem = NULL;
    int rc, steps = 0;

    if (!opt)
        opt = &default_options;
    rc = spow_validate_batch(&bytes, t, count, rows, cols, g, ldg, stride_g,
                             out, ldo, stride_o, SPOW_IS_F32, opt);
    for (i = 0; rc == SPOW_OK && i < count; i++) {
        rc = SPOW_FN(spow_norm)(&sc, rows, cols, g + i * stride_g, ldg);
        if (rc == SPOW_OK)
            steps |= needs_steps(t, &sc);
    }
    if (rc == SPOW_OK && opt->work && opt->work_size < bytes)
        rc = SPOW_EWORK;
    /* The workspace only if some matrix runs the steps, and before any
     * output is written, so that SPOW_ENOMEM writes nothing either. */
    if (rc == SPOW_OK && steps)
        rc = get_work(&mem, &base, opt, bytes);
    if (rc != SPOW_OK)
        return rc;

    for (i = 0; rc == SPOW_OK && i < count; i++) {
        const SPOW_T *gi = g + i * stride_g;
        SPOW_T *oi = out + i * stride_o;
        (void)SPOW_FN(spow_norm)(&sc, rows, cols, gi, ldg);
        if (!needs_steps(t, &sc))
            SPOW_FN(trivial)(t, rows, cols, gi, ldg, oi, ldo, &sc, opt, &acc);
        else
            rc = run_one(t, rows, cols, SPOW_IS_F32, gi, ldg, oi, ldo, opt, &sc, base,
                         &acc);
    }
    if (rc == SPOW_OK && opt->stats)
        *opt->stats = acc;
    free(mem);
    return rc;
}

int SPOW_FN_EX(spow_apply)(const spow_table *t, size_t rows, size_t cols,
                           const SPOW_T *g, size_t ldg, SPOW_T *out, size_t ldo,
                           const spow_options *opt)
{
    return SPOW_FN_EX(spow_apply_batch)(t, 1, rows, cols, g, ldg, 0, out, ldo, 0, opt);
}

int SPOW_FN(spow_apply)(const spow_table *t, size_t rows, size_t cols,
                        const SPOW_T *g, size_t ldg, SPOW_T *out, size_t ldo)
{
    return SPOW_FN_EX(spow_apply)(t, rows, cols, g, ldg, out, ldo, NULL);
}
