/*
 * encryption.c — LWE, GLWE and GGSW encryption under binary keys, and phases (decryption
 * without decoding). Masks and noise come from two separate generators, so that masks can later
 * be re-derived from a public seed while the noise stays secret.
 */
#include "internal.h"

#include <stdlib.h>

void ctfhe_lwe_encrypt(uint64_t *out, const uint64_t *key, size_t lwe_dimension, uint64_t plaintext,
                       double noise_std, ctfhe_csprng *masks, ctfhe_csprng *noise) {
    ctfhe_csprng_uniform(masks, out, lwe_dimension);
    uint64_t error;
    ctfhe_csprng_gaussian(noise, &error, 1, noise_std);
    uint64_t body = plaintext + error;
    for (size_t i = 0; i < lwe_dimension; i++) body += out[i] & (uint64_t)(-(int64_t)key[i]);
    out[lwe_dimension] = body;
}

uint64_t ctfhe_lwe_phase(const uint64_t *ciphertext, const uint64_t *key, size_t lwe_dimension) {
    uint64_t phase = ciphertext[lwe_dimension];
    for (size_t i = 0; i < lwe_dimension; i++) phase -= ciphertext[i] * key[i];
    return phase;
}

size_t ctfhe_glwe_scratch_doubles(size_t polynomial_size) {
    return ctfhe_binary_product_scratch_doubles(polynomial_size) + polynomial_size;
}

void ctfhe_glwe_encrypt_with(uint64_t *out, const double *key_fourier, size_t glwe_dimension,
                             const ctfhe_fft *fft, const uint64_t *plaintext, double noise_std,
                             ctfhe_csprng *masks, ctfhe_csprng *noise, double *scratch) {
    const size_t size = fft->polynomial_size;
    uint64_t *body = out + glwe_dimension * size;
    uint64_t *error = (uint64_t *)(scratch + ctfhe_binary_product_scratch_doubles(size));
    ctfhe_csprng_uniform(masks, out, glwe_dimension * size);
    ctfhe_binary_key_product(body, out, key_fourier, glwe_dimension, fft, scratch);
    ctfhe_csprng_gaussian(noise, error, size, noise_std);
    for (size_t j = 0; j < size; j++) body[j] += error[j] + (plaintext != NULL ? plaintext[j] : 0);
}

double *ctfhe_glwe_key_fourier(const uint64_t *key, size_t glwe_dimension, const ctfhe_fft *fft) {
    const size_t size = fft->polynomial_size;
    double *fourier = ctfhe_alloc_doubles(glwe_dimension * size + size);
    if (fourier == NULL) return NULL;
    double *scratch = fourier + glwe_dimension * size;
    for (size_t i = 0; i < glwe_dimension; i++) {
        ctfhe_fft_forward_torus(fft, fourier + i * size, key + i * size, scratch);
    }
    return fourier;
}

void ctfhe_glwe_key_fourier_free(double *key_fourier, size_t glwe_dimension, const ctfhe_fft *fft) {
    if (key_fourier == NULL) return;
    ctfhe_secure_zero(key_fourier, sizeof(double) * (glwe_dimension + 1) * fft->polynomial_size);
    fftw_free(key_fourier);
}

/* Frees a scratch buffer of the entry points below after zeroing it: it held products of the key. */
static void free_wiped(double *scratch, size_t doubles) {
    if (scratch == NULL) return;
    ctfhe_secure_zero(scratch, sizeof(double) * doubles);
    fftw_free(scratch);
}

ctfhe_status ctfhe_glwe_encrypt(uint64_t *out, const uint64_t *key, size_t glwe_dimension,
                                size_t polynomial_size, const uint64_t *plaintext, double noise_std,
                                ctfhe_csprng *masks, ctfhe_csprng *noise) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || glwe_dimension == 0) return CTFHE_ERROR_INVALID_ARGUMENT;
    double *key_fourier = ctfhe_glwe_key_fourier(key, glwe_dimension, fft);
    const size_t scratch_doubles = ctfhe_glwe_scratch_doubles(polynomial_size);
    double *scratch = ctfhe_alloc_doubles(scratch_doubles);
    ctfhe_status status = CTFHE_ERROR_OUT_OF_MEMORY;
    if (key_fourier != NULL && scratch != NULL) {
        ctfhe_glwe_encrypt_with(out, key_fourier, glwe_dimension, fft, plaintext, noise_std, masks,
                                noise, scratch);
        status = CTFHE_OK;
    }
    ctfhe_glwe_key_fourier_free(key_fourier, glwe_dimension, fft);
    free_wiped(scratch, scratch_doubles);
    return status;
}

ctfhe_status ctfhe_glwe_phase(uint64_t *out, const uint64_t *ciphertext, const uint64_t *key,
                              size_t glwe_dimension, size_t polynomial_size) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || glwe_dimension == 0) return CTFHE_ERROR_INVALID_ARGUMENT;
    double *key_fourier = ctfhe_glwe_key_fourier(key, glwe_dimension, fft);
    const size_t scratch_doubles = ctfhe_binary_product_scratch_doubles(polynomial_size);
    double *scratch = ctfhe_alloc_doubles(scratch_doubles);
    ctfhe_status status = CTFHE_ERROR_OUT_OF_MEMORY;
    if (key_fourier != NULL && scratch != NULL) {
        ctfhe_binary_key_product(out, ciphertext, key_fourier, glwe_dimension, fft, scratch);
        const uint64_t *body = ciphertext + glwe_dimension * polynomial_size;
        for (size_t j = 0; j < polynomial_size; j++) out[j] = body[j] - out[j];
        status = CTFHE_OK;
    }
    ctfhe_glwe_key_fourier_free(key_fourier, glwe_dimension, fft);
    free_wiped(scratch, scratch_doubles);
    return status;
}

size_t ctfhe_ggsw_fourier_double_count(size_t glwe_dimension, size_t polynomial_size, size_t levels) {
    return (glwe_dimension + 1) * levels * (glwe_dimension + 1) * polynomial_size;
}

size_t ctfhe_ggsw_row_scratch_doubles(size_t polynomial_size) {
    return polynomial_size + ctfhe_glwe_scratch_doubles(polynomial_size);
}

size_t ctfhe_ggsw_scratch_doubles(size_t glwe_dimension, size_t polynomial_size) {
    return (glwe_dimension + 1) * polynomial_size + ctfhe_ggsw_row_scratch_doubles(polynomial_size);
}

void ctfhe_ggsw_row_encrypt_with(uint64_t *row, const uint64_t *key, const double *key_fourier,
                                 size_t glwe_dimension, const ctfhe_fft *fft, size_t base_log,
                                 size_t level, size_t component, int64_t message, double noise_std,
                                 ctfhe_csprng *masks, ctfhe_csprng *noise, double *scratch) {
    const size_t size = fft->polynomial_size;
    uint64_t *plaintext = (uint64_t *)scratch;
    const uint64_t scaled = (uint64_t)message << (64 - base_log * (level + 1));
    if (component < glwe_dimension) {
        /* −m·S_c·q/B^(level+1): the phase of the textbook row, whose mask carries m·q/B^(level+1) */
        const uint64_t *bits = key + component * size;
        for (size_t j = 0; j < size; j++) plaintext[j] = (uint64_t)0 - (scaled & (uint64_t)(-(int64_t)bits[j]));
    } else {
        memset(plaintext, 0, sizeof(uint64_t) * size);
        plaintext[0] = scaled;
    }
    ctfhe_glwe_encrypt_with(row, key_fourier, glwe_dimension, fft, plaintext, noise_std, masks, noise,
                            scratch + size);
    ctfhe_secure_zero(plaintext, sizeof(uint64_t) * size);
}

void ctfhe_glwe_fourier_split(double *out, const uint64_t *glwe, size_t glwe_dimension,
                              const ctfhe_fft *fft, double *scratch) {
    const size_t size = fft->polynomial_size;
    for (size_t polynomial = 0; polynomial <= glwe_dimension; polynomial++) {
        ctfhe_fft_forward_torus(fft, scratch + size, glwe + polynomial * size, scratch);
        ctfhe_split_complex(out + polynomial * size, scratch + size, fft->half);
    }
}

void ctfhe_ggsw_encrypt_fourier_with(double *out, const uint64_t *key, const double *key_fourier,
                                     size_t glwe_dimension, const ctfhe_fft *fft, size_t base_log,
                                     size_t levels, int64_t message, double noise_std,
                                     ctfhe_csprng *masks, ctfhe_csprng *noise, double *scratch) {
    const size_t size = fft->polynomial_size, columns = glwe_dimension + 1;
    uint64_t *row = (uint64_t *)scratch;
    double *row_scratch = scratch + columns * size;
    for (size_t component = 0; component < columns; component++) {
        for (size_t level = 0; level < levels; level++) {
            ctfhe_ggsw_row_encrypt_with(row, key, key_fourier, glwe_dimension, fft, base_log, level,
                                        component, message, noise_std, masks, noise, row_scratch);
            ctfhe_glwe_fourier_split(out + (component * levels + level) * columns * size, row,
                                     glwe_dimension, fft, row_scratch);
        }
    }
}

ctfhe_status ctfhe_ggsw_encrypt_fourier(double *out, const uint64_t *key, size_t glwe_dimension,
                                        size_t polynomial_size, size_t base_log, size_t levels,
                                        int64_t message, double noise_std,
                                        ctfhe_csprng *masks, ctfhe_csprng *noise) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || glwe_dimension == 0 || levels == 0 || base_log == 0 ||
        base_log * levels > 64) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    double *key_fourier = ctfhe_glwe_key_fourier(key, glwe_dimension, fft);
    const size_t scratch_doubles = ctfhe_ggsw_scratch_doubles(glwe_dimension, polynomial_size);
    double *scratch = ctfhe_alloc_doubles(scratch_doubles);
    ctfhe_status status = CTFHE_ERROR_OUT_OF_MEMORY;
    if (key_fourier != NULL && scratch != NULL) {
        ctfhe_ggsw_encrypt_fourier_with(out, key, key_fourier, glwe_dimension, fft, base_log, levels,
                                        message, noise_std, masks, noise, scratch);
        status = CTFHE_OK;
    }
    ctfhe_glwe_key_fourier_free(key_fourier, glwe_dimension, fft);
    free_wiped(scratch, scratch_doubles);
    return status;
}
