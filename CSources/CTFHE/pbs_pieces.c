/*
 * pbs_pieces.c — the steps of a PBS around the blind rotation: modulus switching, the start of a
 * rotation (X^(−b̃)·T), sample extraction, and test polynomials from tables.
 */
#include "blind_rotation.h"
#include "external_product.h"

#include <string.h>

void ctfhe_modulus_switch(uint64_t *out, const uint64_t *values, size_t count, size_t polynomial_size) {
    const unsigned log_modulus = log2_size(2 * polynomial_size);
    for (size_t i = 0; i < count; i++) out[i] = modulus_switch(values[i], log_modulus);
}

void ctfhe_sample_extract(uint64_t *out, const uint64_t *glwe, size_t glwe_dimension,
                          size_t polynomial_size) {
    ctfhe_sample_extract_at(out, glwe, glwe_dimension, polynomial_size, 0);
}

void ctfhe_sample_extract_at(uint64_t *out, const uint64_t *glwe, size_t glwe_dimension, size_t polynomial_size,
                             size_t index) {
    /* Coefficient h of Σ Aᵢ·Sᵢ is Σⱼ≤h Aᵢ[h − j]·Sᵢ[j] − Σⱼ>h Aᵢ[N + h − j]·Sᵢ[j]. */
    const size_t size = polynomial_size, h = index;
    for (size_t i = 0; i < glwe_dimension; i++) {
        const uint64_t *mask = glwe + i * size;
        uint64_t *extracted = out + i * size;
        for (size_t j = 0; j <= h; j++) extracted[j] = mask[h - j];
        for (size_t j = h + 1; j < size; j++) extracted[j] = (uint64_t)0 - mask[size + h - j];
    }
    out[glwe_dimension * size] = glwe[glwe_dimension * size + h];
}

ctfhe_status ctfhe_test_polynomial(uint64_t *out, size_t polynomial_size, const uint64_t *table,
                                   size_t table_size) {
    if (table_size == 0 || (table_size & (table_size - 1)) != 0 || table_size > polynomial_size ||
        (polynomial_size & (polynomial_size - 1)) != 0) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    const size_t box = polynomial_size / table_size, half_box = box / 2;
    for (size_t j = 0; j < polynomial_size; j++) {
        size_t input = (j + half_box) / box;
        out[j] = input < table_size ? table[input] : (uint64_t)0 - table[0];
    }
    return CTFHE_OK;
}

void ctfhe_start_rotation(uint64_t *accumulator, uint64_t *switched, const uint64_t *in, const uint64_t *test,
                          const ctfhe_parameters *p, unsigned lut_log) {
    const size_t n = p->lwe_dimension, k = p->glwe_dimension, size = p->polynomial_size, two_size = 2 * size;
    const unsigned log_modulus = log2_size(two_size) - lut_log;
    for (size_t i = 0; i <= n; i++) switched[i] = modulus_switch(in[i], log_modulus) << lut_log;
    memset(accumulator, 0, sizeof(uint64_t) * k * size);
    const size_t rotation = (two_size - switched[n]) % two_size;
    for (size_t h = 0; h < size; h++) accumulator[k * size + h] = rotated_coefficient(test, size, h, rotation);
}
