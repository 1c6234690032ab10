/*
 * external_product.c — the external product and the CMux as entry points (tests and benchmarks);
 * the blind rotation inlines the same external_product.
 */
#include "external_product.h"

#include <stdlib.h>
#include <string.h>

static int external_product_arguments_valid(size_t glwe_dimension, size_t base_log, size_t levels) {
    return glwe_dimension > 0 && glwe_dimension <= CTFHE_MAX_GLWE_DIMENSION && ctfhe_decomposition_valid(base_log, levels);
}

ctfhe_status ctfhe_external_product(uint64_t *out, const double *ggsw, const uint64_t *glwe,
                                    size_t glwe_dimension, size_t polynomial_size,
                                    size_t base_log, size_t levels) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || !external_product_arguments_valid(glwe_dimension, base_log, levels)) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    double *memory = ctfhe_alloc_doubles(external_product_doubles(glwe_dimension, polynomial_size, levels));
    if (memory == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    external_product_workspace w;
    external_product_workspace_init(&w, memory, fft, glwe_dimension, base_log, levels);
    external_product(out, ggsw, glwe, NO_ROTATION, &w, 0);
    fftw_free(memory);
    return CTFHE_OK;
}

ctfhe_status ctfhe_cmux(uint64_t *out, const double *ggsw, const uint64_t *c0, const uint64_t *c1,
                        size_t glwe_dimension, size_t polynomial_size,
                        size_t base_log, size_t levels) {
    const size_t words = (glwe_dimension + 1) * polynomial_size;
    uint64_t *difference = malloc(sizeof(uint64_t) * (words > 0 ? words : 1));
    if (difference == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    for (size_t t = 0; t < words; t++) difference[t] = c1[t] - c0[t];
    memmove(out, c0, sizeof(uint64_t) * words);
    ctfhe_status status = ctfhe_external_product(out, ggsw, difference, glwe_dimension,
                                                 polynomial_size, base_log, levels);
    free(difference);
    return status;
}
