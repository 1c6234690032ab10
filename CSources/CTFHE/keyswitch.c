/*
 * keyswitch.c — the LWE keyswitching key and the keyswitch from dimension kN to n.
 */
#include "internal.h"

#include <stdlib.h>

size_t ctfhe_keyswitch_key_word_count(const ctfhe_parameters *p) {
    return p->glwe_dimension * p->polynomial_size * p->ks_level_count * (p->lwe_dimension + 1);
}

/* What the rows of keyswitching-key generation share; row i is input bit i, streams i of the seeds. */
typedef struct {
    const ctfhe_parameters *p;
    const uint64_t *glwe_key, *lwe_key;
    double noise_std;
    const uint8_t *mask_seed, *noise_seed;
    uint64_t *key;              /* the full key being written (generate, expand) */
    uint64_t *bodies;           /* the seeded bodies being written (seeded generate) */
    const uint64_t *bodies_in;  /* the seeded bodies being read (expand) */
} generation;

/* Encrypts input bit i times q/B_ks^(level+1) for every level, into the key or its bodies. */
static ctfhe_status generate_row(size_t i, double *scratch, void *context) {
    const generation *g = context;
    const size_t levels = g->p->ks_level_count, row_words = g->p->lwe_dimension + 1;
    ctfhe_csprng *masks = NULL, *noise = NULL;
    if (ctfhe_csprng_create(&masks, g->mask_seed, (uint64_t)i) != CTFHE_OK ||
        ctfhe_csprng_create(&noise, g->noise_seed, (uint64_t)i) != CTFHE_OK) {
        ctfhe_csprng_destroy(masks);
        return CTFHE_ERROR_RANDOMNESS;
    }
    for (size_t level = 0; level < levels; level++) {
        const size_t row = i * levels + level;
        uint64_t *out = g->key != NULL ? g->key + row * row_words : (uint64_t *)scratch;
        uint64_t plaintext = g->glwe_key[i] << (64 - g->p->ks_base_log * (level + 1));
        ctfhe_lwe_encrypt(out, g->lwe_key, g->p->lwe_dimension, plaintext, g->noise_std, masks, noise);
        if (g->bodies != NULL) g->bodies[row] = out[g->p->lwe_dimension];
    }
    ctfhe_csprng_destroy(masks);
    ctfhe_csprng_destroy(noise);
    return CTFHE_OK;
}

static ctfhe_status expand_row(size_t i, double *scratch, void *context) {
    (void)scratch;
    const generation *g = context;
    const size_t levels = g->p->ks_level_count, n = g->p->lwe_dimension;
    ctfhe_csprng *masks = NULL;
    if (ctfhe_csprng_create(&masks, g->mask_seed, (uint64_t)i) != CTFHE_OK) return CTFHE_ERROR_RANDOMNESS;
    for (size_t level = 0; level < levels; level++) {
        const size_t row = i * levels + level;
        ctfhe_csprng_uniform(masks, g->key + row * (n + 1), n);   /* as ctfhe_lwe_encrypt drew them */
        g->key[row * (n + 1) + n] = g->bodies_in[row];
    }
    ctfhe_csprng_destroy(masks);
    return CTFHE_OK;
}

static ctfhe_status run_rows(const generation *g, ctfhe_row_body body, int threads) {
    if (!ctfhe_parameters_valid(g->p)) return CTFHE_ERROR_INVALID_ARGUMENT;
    return ctfhe_parallel_rows(g->p->glwe_dimension * g->p->polynomial_size, g->p->lwe_dimension + 1,
                               threads, body, (void *)g);
}

ctfhe_status ctfhe_keyswitch_key_generate(uint64_t *out, const ctfhe_parameters *parameters,
                                          const uint64_t *glwe_key, const uint64_t *lwe_key,
                                          double lwe_noise_std, const uint8_t mask_seed[16],
                                          const uint8_t noise_seed[16], int threads) {
    generation g = {.p = parameters, .glwe_key = glwe_key, .lwe_key = lwe_key, .noise_std = lwe_noise_std,
                    .mask_seed = mask_seed, .noise_seed = noise_seed, .key = out};
    return run_rows(&g, generate_row, threads);
}

size_t ctfhe_seeded_keyswitch_key_word_count(const ctfhe_parameters *p) {
    return p->glwe_dimension * p->polynomial_size * p->ks_level_count;
}

ctfhe_status ctfhe_seeded_keyswitch_key_generate(uint64_t *bodies, const ctfhe_parameters *parameters,
                                                 const uint64_t *glwe_key, const uint64_t *lwe_key,
                                                 double lwe_noise_std, const uint8_t mask_seed[16],
                                                 const uint8_t noise_seed[16], int threads) {
    generation g = {.p = parameters, .glwe_key = glwe_key, .lwe_key = lwe_key, .noise_std = lwe_noise_std,
                    .mask_seed = mask_seed, .noise_seed = noise_seed, .bodies = bodies};
    return run_rows(&g, generate_row, threads);
}

ctfhe_status ctfhe_keyswitch_key_expand(uint64_t *out, const ctfhe_parameters *parameters,
                                        const uint64_t *bodies, const uint8_t mask_seed[16],
                                        int threads) {
    generation g = {.p = parameters, .mask_seed = mask_seed, .key = out, .bodies_in = bodies};
    return run_rows(&g, expand_row, threads);
}

/*
 * Keyswitches a block of `count` ciphertexts (kN + 1 words each, `in_stride` apart) into out
 * ((n + 1) words each). The key rows of input coefficient i are used for the whole block while
 * they are in cache.
 */
CTFHE_HOT void ctfhe_keyswitch_block(uint64_t *out, const uint64_t *in, size_t in_stride, size_t count,
                           const uint64_t *keyswitch_key, const ctfhe_parameters *p) {
    const size_t inputs = p->glwe_dimension * p->polynomial_size;
    const size_t row_words = p->lwe_dimension + 1, levels = p->ks_level_count;
    int64_t digits[64];
    for (size_t c = 0; c < count; c++) {
        memset(out + c * row_words, 0, sizeof(uint64_t) * p->lwe_dimension);
        out[c * row_words + p->lwe_dimension] = in[c * in_stride + inputs];
    }
    for (size_t i = 0; i < inputs; i++) {
        const uint64_t *rows = keyswitch_key + i * levels * row_words;
        for (size_t c = 0; c < count; c++) {
            uint64_t rounded = ctfhe_decomposition_round(in[c * in_stride + i], p->ks_base_log, levels);
            if (rounded == 0) continue;
            ctfhe_decompose_rounded(digits, rounded, p->ks_base_log, levels);
            for (size_t level = 0; level < levels; level++) {
                if (digits[level] == 0) continue;
                ctfhe_subtract_multiple(out + c * row_words, rows + level * row_words,
                                  (uint64_t)digits[level], row_words);
            }
        }
    }
}

ctfhe_status ctfhe_keyswitch(uint64_t *out, const uint64_t *in, size_t count,
                             const uint64_t *keyswitch_key, const ctfhe_parameters *parameters,
                             int threads) {
    if (!ctfhe_parameters_valid(parameters)) return CTFHE_ERROR_INVALID_ARGUMENT;
    const ctfhe_parameters p = *parameters;
    const size_t in_words = p.glwe_dimension * p.polynomial_size + 1;
    const size_t block = 8;
    const long blocks = (long)((count + block - 1) / block);
#pragma omp parallel for schedule(static, 1) num_threads(ctfhe_resolve_threads(threads)) if (blocks > 1)
    for (long b = 0; b < blocks; b++) {
        size_t first = (size_t)b * block;
        size_t size = count - first < block ? count - first : block;
        ctfhe_keyswitch_block(out + first * (p.lwe_dimension + 1), in + first * in_words, in_words,
                              size, keyswitch_key, &p);
    }
    return CTFHE_OK;
}
