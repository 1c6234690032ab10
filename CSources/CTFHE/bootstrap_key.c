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

size_t ctfhe_seeded_bootstrap_key_word_count(const ctfhe_parameters *p) {
    return p->lwe_dimension * (p->glwe_dimension + 1) * p->pbs_level_count * p->polynomial_size;
}

/* An empty key for the parameters, its GGSWs not yet written. */
static ctfhe_status allocate_key(ctfhe_bootstrap_key **out, const ctfhe_parameters *p) {
    ctfhe_bootstrap_key *key = calloc(1, sizeof *key);
    if (key == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    key->parameters = *p;
    key->ggsw_doubles = ctfhe_ggsw_fourier_double_count(p->glwe_dimension, p->polynomial_size,
                                                        p->pbs_level_count);
    key->ggsws = fftw_malloc(sizeof(double) * key->ggsw_doubles * p->lwe_dimension);
    if (key->ggsws == NULL) {
        ctfhe_bootstrap_key_destroy(key);
        return CTFHE_ERROR_OUT_OF_MEMORY;
    }
    *out = key;
    return CTFHE_OK;
}

/* What the rows of key generation share. */
typedef struct {
    const ctfhe_parameters *p;
    const ctfhe_fft *fft;
    const uint64_t *lwe_key, *glwe_key;
    const double *key_fourier;
    double noise_std;
    const uint8_t *mask_seed, *noise_seed;
    ctfhe_bootstrap_key *key;   /* the Fourier key being written (create, expand) */
    uint64_t *bodies;           /* the seeded bodies being written (generate) */
    const uint64_t *bodies_in;  /* the seeded bodies being read (expand) */
} generation;

/* Rows of GGSW i use stream i of both seeds, so keys do not depend on the thread count. */
static ctfhe_status open_streams(const generation *g, size_t i, ctfhe_csprng **masks, ctfhe_csprng **noise) {
    if (ctfhe_csprng_create(masks, g->mask_seed, (uint64_t)i) != CTFHE_OK) return CTFHE_ERROR_RANDOMNESS;
    if (noise != NULL && ctfhe_csprng_create(noise, g->noise_seed, (uint64_t)i) != CTFHE_OK) {
        ctfhe_csprng_destroy(*masks);
        return CTFHE_ERROR_RANDOMNESS;
    }
    return CTFHE_OK;
}

/* Encrypts GGSW i row by row in standard form, then keeps each row's body (seeded generation)
 * and/or its Fourier form (the key itself). */
static ctfhe_status encrypt_row(size_t i, double *scratch, void *context) {
    const generation *g = context;
    const size_t size = g->p->polynomial_size, k = g->p->glwe_dimension, levels = g->p->pbs_level_count;
    ctfhe_csprng *masks = NULL, *noise = NULL;
    if (open_streams(g, i, &masks, &noise) != CTFHE_OK) return CTFHE_ERROR_RANDOMNESS;
    uint64_t *row = (uint64_t *)scratch;
    double *row_scratch = scratch + (k + 1) * size;
    for (size_t component = 0; component <= k; component++) {
        for (size_t level = 0; level < levels; level++) {
            ctfhe_ggsw_row_encrypt_with(row, g->glwe_key, g->key_fourier, k, g->fft, g->p->pbs_base_log,
                                        level, component, (int64_t)g->lwe_key[i], g->noise_std, masks,
                                        noise, row_scratch);
            size_t index = (i * (k + 1) + component) * levels + level;
            if (g->bodies != NULL) memcpy(g->bodies + index * size, row + k * size, sizeof(uint64_t) * size);
            if (g->key != NULL) {
                ctfhe_glwe_fourier_split(g->key->ggsws + i * g->key->ggsw_doubles +
                                             (component * levels + level) * (k + 1) * size,
                                         row, k, g->fft, row_scratch);
            }
        }
    }
    ctfhe_csprng_destroy(masks);
    ctfhe_csprng_destroy(noise);
    return CTFHE_OK;
}

static ctfhe_status expand_row(size_t i, double *scratch, void *context) {
    const generation *g = context;
    const size_t size = g->p->polynomial_size, k = g->p->glwe_dimension, levels = g->p->pbs_level_count;
    ctfhe_csprng *masks = NULL;
    if (open_streams(g, i, &masks, NULL) != CTFHE_OK) return CTFHE_ERROR_RANDOMNESS;
    uint64_t *row = (uint64_t *)scratch;
    double *ggsw = g->key->ggsws + i * g->key->ggsw_doubles;
    for (size_t component = 0; component <= k; component++) {
        for (size_t level = 0; level < levels; level++) {
            size_t index = (i * (k + 1) + component) * levels + level;
            ctfhe_csprng_uniform(masks, row, k * size);   /* as ctfhe_glwe_encrypt_with drew them */
            memcpy(row + k * size, g->bodies_in + index * size, sizeof(uint64_t) * size);
            ctfhe_glwe_fourier_split(ggsw + (component * levels + level) * (k + 1) * size, row, k,
                                     g->fft, scratch + (k + 1) * size);
        }
    }
    ctfhe_csprng_destroy(masks);
    return CTFHE_OK;
}

/* Runs `body` over the n GGSWs with the Fourier GLWE key when the rows encrypt. */
static ctfhe_status run_rows(generation *g, ctfhe_row_body body, int threads) {
    const ctfhe_parameters *p = g->p;
    double *key_fourier = NULL;
    if (g->glwe_key != NULL) {
        key_fourier = ctfhe_glwe_key_fourier(g->glwe_key, p->glwe_dimension, g->fft);
        if (key_fourier == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    }
    g->key_fourier = key_fourier;
    ctfhe_status status = ctfhe_parallel_rows(p->lwe_dimension,
                                              ctfhe_ggsw_scratch_doubles(p->glwe_dimension, p->polynomial_size),
                                              threads, body, g);
    ctfhe_glwe_key_fourier_free(key_fourier, p->glwe_dimension, g->fft);
    return status;
}

/* Allocates a Fourier key and fills it with `body`. */
static ctfhe_status build_key(ctfhe_bootstrap_key **out, generation *g, ctfhe_row_body body, int threads) {
    *out = NULL;
    ctfhe_status status = allocate_key(&g->key, g->p);
    if (status == CTFHE_OK) status = run_rows(g, body, threads);
    if (status != CTFHE_OK) {
        ctfhe_bootstrap_key_destroy(g->key);
        return status;
    }
    *out = g->key;
    return CTFHE_OK;
}

ctfhe_status ctfhe_bootstrap_key_create(ctfhe_bootstrap_key **out, const ctfhe_parameters *parameters,
                                        const uint64_t *lwe_key, const uint64_t *glwe_key,
                                        double glwe_noise_std, const uint8_t mask_seed[16],
                                        const uint8_t noise_seed[16], int threads) {
    *out = NULL;
    if (!ctfhe_parameters_valid(parameters)) return CTFHE_ERROR_INVALID_ARGUMENT;
    generation g = {.p = parameters, .fft = ctfhe_fft_get(parameters->polynomial_size), .lwe_key = lwe_key,
                    .glwe_key = glwe_key, .noise_std = glwe_noise_std, .mask_seed = mask_seed,
                    .noise_seed = noise_seed};
    return build_key(out, &g, encrypt_row, threads);
}

ctfhe_status ctfhe_seeded_bootstrap_key_generate(uint64_t *bodies, const ctfhe_parameters *parameters,
                                                 const uint64_t *lwe_key, const uint64_t *glwe_key,
                                                 double glwe_noise_std, const uint8_t mask_seed[16],
                                                 const uint8_t noise_seed[16], int threads) {
    if (!ctfhe_parameters_valid(parameters)) return CTFHE_ERROR_INVALID_ARGUMENT;
    generation g = {.p = parameters, .fft = ctfhe_fft_get(parameters->polynomial_size), .lwe_key = lwe_key,
                    .glwe_key = glwe_key, .noise_std = glwe_noise_std, .mask_seed = mask_seed,
                    .noise_seed = noise_seed, .bodies = bodies};
    return run_rows(&g, encrypt_row, threads);
}

ctfhe_status ctfhe_bootstrap_key_expand(ctfhe_bootstrap_key **out, const ctfhe_parameters *parameters,
                                        const uint64_t *bodies, const uint8_t mask_seed[16], int threads) {
    *out = NULL;
    if (!ctfhe_parameters_valid(parameters)) return CTFHE_ERROR_INVALID_ARGUMENT;
    generation g = {.p = parameters, .fft = ctfhe_fft_get(parameters->polynomial_size),
                    .mask_seed = mask_seed, .bodies_in = bodies};
    return build_key(out, &g, expand_row, threads);
}

const ctfhe_parameters *ctfhe_bootstrap_key_parameters(const ctfhe_bootstrap_key *key) {
    return &key->parameters;
}
