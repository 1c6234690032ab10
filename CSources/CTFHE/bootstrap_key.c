/*
 * bootstrap_key.c — generation of the bootstrapping key, kept in Fourier form.
 */
#include "internal.h"

#include <stdlib.h>

struct ctfhe_bootstrap_key {
    ctfhe_parameters parameters;
    size_t ggsw_doubles;     /* doubles per GGSW */
    double *ggsws;           /* n GGSWs, fftw-aligned */
};

int ctfhe_parameters_valid(const ctfhe_parameters *p) {
    if (p == NULL || p->lwe_dimension == 0 || p->glwe_dimension == 0) return 0;
    if (p->pbs_base_log == 0 || p->pbs_base_log > 63 || p->pbs_level_count == 0 ||
        p->pbs_base_log * p->pbs_level_count > 64) return 0;
    if (p->ks_base_log == 0 || p->ks_base_log > 63 || p->ks_level_count == 0 ||
        p->ks_base_log * p->ks_level_count > 64) return 0;
    /* the split layout of Fourier keys needs N/2 to be a multiple of CTFHE_SPLIT_BLOCK */
    if (p->polynomial_size < 2 * CTFHE_SPLIT_BLOCK) return 0;
    return ctfhe_fft_get(p->polynomial_size) != NULL;
}

size_t ctfhe_bootstrap_key_byte_count(const ctfhe_parameters *p) {
    return p->lwe_dimension * sizeof(double) *
           ctfhe_ggsw_fourier_double_count(p->glwe_dimension, p->polynomial_size, p->pbs_level_count);
}

const double *ctfhe_bootstrap_key_ggsw(const ctfhe_bootstrap_key *key, size_t index) {
    return key->ggsws + index * key->ggsw_doubles;
}

void ctfhe_bootstrap_key_destroy(ctfhe_bootstrap_key *key) {
    if (key == NULL) return;
    fftw_free(key->ggsws);
    free(key);
}

ctfhe_status ctfhe_bootstrap_key_create(ctfhe_bootstrap_key **out, const ctfhe_parameters *parameters,
                                        const uint64_t *lwe_key, const uint64_t *glwe_key,
                                        double glwe_noise_std, const uint8_t mask_seed[16],
                                        const uint8_t noise_seed[16], int threads) {
    *out = NULL;
    if (!ctfhe_parameters_valid(parameters)) return CTFHE_ERROR_INVALID_ARGUMENT;
    const ctfhe_parameters p = *parameters;
    const ctfhe_fft *fft = ctfhe_fft_get(p.polynomial_size);
    ctfhe_bootstrap_key *key = calloc(1, sizeof *key);
    if (key == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    key->parameters = p;
    key->ggsw_doubles = ctfhe_ggsw_fourier_double_count(p.glwe_dimension, p.polynomial_size,
                                                        p.pbs_level_count);
    key->ggsws = fftw_malloc(sizeof(double) * key->ggsw_doubles * p.lwe_dimension);
    double *key_fourier = ctfhe_glwe_key_fourier(glwe_key, p.glwe_dimension, fft);
    if (key->ggsws == NULL || key_fourier == NULL) {
        ctfhe_glwe_key_fourier_free(key_fourier, p.glwe_dimension, fft);
        ctfhe_bootstrap_key_destroy(key);
        return CTFHE_ERROR_OUT_OF_MEMORY;
    }

    ctfhe_status status = CTFHE_OK;
    const long rows = (long)p.lwe_dimension;
#pragma omp parallel num_threads(ctfhe_resolve_threads(threads))
    {
        double *scratch = ctfhe_alloc_doubles(ctfhe_ggsw_scratch_doubles(p.glwe_dimension,
                                                                         p.polynomial_size));
        if (scratch == NULL) {
#pragma omp atomic write
            status = CTFHE_ERROR_OUT_OF_MEMORY;
        }
#pragma omp for schedule(static, 8)
        for (long i = 0; i < rows; i++) {
            ctfhe_csprng *masks = NULL, *noise = NULL;
            if (scratch == NULL || ctfhe_csprng_create(&masks, mask_seed, (uint64_t)i) != CTFHE_OK ||
                ctfhe_csprng_create(&noise, noise_seed, (uint64_t)i) != CTFHE_OK) {
                ctfhe_csprng_destroy(masks);
#pragma omp atomic write
                status = CTFHE_ERROR_RANDOMNESS;
                continue;
            }
            ctfhe_ggsw_encrypt_fourier_with(key->ggsws + (size_t)i * key->ggsw_doubles, key_fourier,
                                            p.glwe_dimension, fft, p.pbs_base_log,
                                            p.pbs_level_count, (int64_t)lwe_key[i], glwe_noise_std,
                                            masks, noise, scratch);
            ctfhe_csprng_destroy(masks);
            ctfhe_csprng_destroy(noise);
        }
        if (scratch != NULL) {
            ctfhe_secure_zero(scratch, sizeof(double) * ctfhe_ggsw_scratch_doubles(p.glwe_dimension,
                                                                                  p.polynomial_size));
            fftw_free(scratch);
        }
    }
    ctfhe_glwe_key_fourier_free(key_fourier, p.glwe_dimension, fft);
    if (status != CTFHE_OK) {
        ctfhe_bootstrap_key_destroy(key);
        return status;
    }
    *out = key;
    return CTFHE_OK;
}

const ctfhe_parameters *ctfhe_bootstrap_key_parameters(const ctfhe_bootstrap_key *key) {
    return &key->parameters;
}
