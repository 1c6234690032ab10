/*
 * threads.c — the thread count of batched kernels and the parallel loop over key rows.
 */
#include "internal.h"

#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int ctfhe_openmp_enabled(void) {
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

int ctfhe_default_thread_count(void) {
#ifndef _OPENMP
    return 1;
#else
    const char *variable = getenv("FHE_NUM_THREADS");
    if (variable != NULL) {
        char *end = NULL;
        long value = strtol(variable, &end, 10);
        if (end != variable && *end == '\0' && value > 0 && value <= CTFHE_MAX_THREADS) return (int)value;
    }
    return omp_get_num_procs();
#endif
}

int ctfhe_resolve_threads(int requested) {
#ifdef _OPENMP
    if (requested > CTFHE_MAX_THREADS) return CTFHE_MAX_THREADS;
    return requested > 0 ? requested : ctfhe_default_thread_count();
#else
    (void)requested;
    return 1;
#endif
}

ctfhe_status ctfhe_parallel_rows(size_t count, size_t scratch_doubles, int threads,
                                 ctfhe_row_body body, void *context) {
    ctfhe_status status = CTFHE_OK;
    const long rows = (long)count;
#pragma omp parallel num_threads(ctfhe_resolve_threads(threads))
    {
        double *scratch = ctfhe_alloc_doubles(scratch_doubles > 0 ? scratch_doubles : 1);
        if (scratch == NULL) {
#pragma omp atomic write
            status = CTFHE_ERROR_OUT_OF_MEMORY;
        }
#pragma omp for schedule(static, 8)
        for (long i = 0; i < rows; i++) {
            if (scratch == NULL) continue;
            ctfhe_status row_status = body((size_t)i, scratch, context);
            if (row_status != CTFHE_OK) {
#pragma omp atomic write
                status = row_status;
            }
        }
        if (scratch != NULL) {
            ctfhe_secure_zero(scratch, sizeof(double) * scratch_doubles);
            fftw_free(scratch);
        }
    }
    return status;
}
