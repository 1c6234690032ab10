/*
 * parameters.c — the one check of a parameter set's shape that every kernel taking one relies on:
 * k within the stack arrays' bound, decomposition bases and levels, and an FFT size (N with N/2 a
 * multiple of the split block).
 */
#include "internal.h"

int ctfhe_parameters_valid(const ctfhe_parameters *p) {
    if (p == NULL || p->lwe_dimension == 0 || p->glwe_dimension == 0) return 0;
    if (p->glwe_dimension > CTFHE_MAX_GLWE_DIMENSION) return 0;   /* the stack arrays of bootstrap.c */
    if (!ctfhe_decomposition_valid(p->pbs_base_log, p->pbs_level_count)) return 0;
    if (!ctfhe_decomposition_valid(p->ks_base_log, p->ks_level_count)) return 0;
    /* the split layout of Fourier keys needs N/2 to be a multiple of CTFHE_SPLIT_BLOCK */
    if (p->polynomial_size < 2 * CTFHE_SPLIT_BLOCK) return 0;
    return ctfhe_fft_get(p->polynomial_size) != NULL;
}
