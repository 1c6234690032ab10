/*
 * wop_pbs.c — the pieces of a PBS without padding for wide lookups (WoP-PBS, Bergerat et al.,
 * ePrint 2022/704) that the PBS does not already give: the private functional packing
 * keyswitch, the assembly of a GGSW from the LWE encryptions a circuit bootstrapping makes, and
 * vertical packing (a CMux tree over the table's polynomials, then a blind rotation by the low
 * bits). Bit extraction and the circuit bootstrapping's PBS are ordinary PBS, run by Swift.
 *
 * Packing keyswitch of f (LWE of dimension n under s' → GLWE under S): with the signed digits
 * d_{i,t} of every mask word a_i and e_t of the body (t multiplies g_t = q/B^(t+1)),
 *     out = Σ_t e_t·K[n][t] + Σ_{i<n} Σ_t d_{i,t}·K[i][t],
 *     K[i][t] = GLWE(−f(s'_i·g_t)) for i < n,  K[n][t] = GLWE(f(g_t)),
 * so that phase(out) = f(b) − Σ_i f(a_i·s'_i) = f(phase(in)) up to the decomposition's rounding
 * and the keys' noise. Component c < k uses f(x) = −S_c·x, component k the identity: applied
 * to an LWE of m·g_l, they give the k + 1 rows of level l of a GGSW of m under the convention of
 * ctfhe_ggsw_row_encrypt_with.
 */
#include "external_product.h"

#include <stdlib.h>

size_t ctfhe_packing_key_word_count(size_t input_dimension, size_t glwe_dimension, size_t polynomial_size,
                                    size_t levels) {
    return (input_dimension + 1) * levels * (glwe_dimension + 1) * polynomial_size;
}

static int packing_key_valid(size_t glwe_dimension, size_t component, size_t base_log, size_t levels) {
    return glwe_dimension >= 1 && glwe_dimension <= CTFHE_MAX_GLWE_DIMENSION && component <= glwe_dimension &&
           ctfhe_decomposition_valid(base_log, levels);
}

/* The generators of input word i's rows: stream component·(n + 1) + i of each seed. */
static ctfhe_status open_packing_streams(const uint8_t *mask_seed, const uint8_t *noise_seed, size_t component,
                                         size_t input_dimension, size_t i, ctfhe_csprng **masks, ctfhe_csprng **noise) {
    const uint64_t stream = (uint64_t)(component * (input_dimension + 1) + i);
    *masks = NULL;
    if (noise != NULL) *noise = NULL;
    if (ctfhe_csprng_create(masks, mask_seed, stream) != CTFHE_OK) return CTFHE_ERROR_RANDOMNESS;
    if (noise != NULL && ctfhe_csprng_create(noise, noise_seed, stream) != CTFHE_OK) {
        ctfhe_csprng_destroy(*masks);
        return CTFHE_ERROR_RANDOMNESS;
    }
    return CTFHE_OK;
}

ctfhe_status ctfhe_packing_key_generate(uint64_t *out, int bodies_only, const uint64_t *input_key, size_t input_dimension,
                                        const uint64_t *glwe_key, size_t glwe_dimension, size_t polynomial_size,
                                        size_t base_log, size_t levels, size_t component, double noise_std,
                                        const uint8_t mask_seed[16], const uint8_t noise_seed[16]) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || !packing_key_valid(glwe_dimension, component, base_log, levels)) return CTFHE_ERROR_INVALID_ARGUMENT;
    const size_t size = polynomial_size, glwe_words = (glwe_dimension + 1) * size;
    const size_t out_words = bodies_only ? size : glwe_words;
    double *key_fourier = ctfhe_glwe_key_fourier(glwe_key, glwe_dimension, fft);
    const size_t scratch_doubles = ctfhe_glwe_scratch_doubles(size);
    double *scratch = ctfhe_alloc_doubles(scratch_doubles);
    uint64_t *plaintext = malloc(sizeof(uint64_t) * size);
    uint64_t *row = malloc(sizeof(uint64_t) * glwe_words);
    ctfhe_status status = key_fourier != NULL && scratch != NULL && plaintext != NULL && row != NULL
        ? CTFHE_OK : CTFHE_ERROR_OUT_OF_MEMORY;
    const uint64_t *polynomial = component < glwe_dimension ? glwe_key + component * size : NULL;
    for (size_t i = 0; status == CTFHE_OK && i <= input_dimension; i++) {
        ctfhe_csprng *masks, *noise;
        status = open_packing_streams(mask_seed, noise_seed, component, input_dimension, i, &masks, &noise);
        for (size_t t = 0; status == CTFHE_OK && t < levels; t++) {
            const uint64_t g = UINT64_C(1) << (64 - base_log * (t + 1));
            /* x = −s'_i·g (i < n) or g (the body); plaintext = f(x) */
            const uint64_t x = i < input_dimension ? (uint64_t)0 - (g & (uint64_t)(-(int64_t)input_key[i])) : g;
            if (polynomial != NULL) {
                for (size_t j = 0; j < size; j++) plaintext[j] = (uint64_t)0 - (x & (uint64_t)(-(int64_t)polynomial[j]));
            } else {
                memset(plaintext, 0, sizeof(uint64_t) * size);
                plaintext[0] = x;
            }
            ctfhe_glwe_encrypt_with(row, key_fourier, glwe_dimension, fft, plaintext, noise_std, masks, noise, scratch);
            memcpy(out + (i * levels + t) * out_words, bodies_only ? row + glwe_dimension * size : row, sizeof(uint64_t) * out_words);
        }
        if (status == CTFHE_OK) {
            ctfhe_csprng_destroy(masks);
            ctfhe_csprng_destroy(noise);
        }
    }
    if (plaintext != NULL) {
        ctfhe_secure_zero(plaintext, sizeof(uint64_t) * size);
        free(plaintext);
    }
    free(row);
    if (scratch != NULL) {
        ctfhe_secure_zero(scratch, sizeof(double) * scratch_doubles);
        fftw_free(scratch);
    }
    ctfhe_glwe_key_fourier_free(key_fourier, glwe_dimension, fft);
    return status;
}

ctfhe_status ctfhe_packing_key_expand(uint64_t *out, const uint64_t *bodies, size_t input_dimension, size_t glwe_dimension,
                                      size_t polynomial_size, size_t base_log, size_t levels, size_t component,
                                      const uint8_t mask_seed[16]) {
    if (ctfhe_fft_get(polynomial_size) == NULL || !packing_key_valid(glwe_dimension, component, base_log, levels)) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    const size_t size = polynomial_size, glwe_words = (glwe_dimension + 1) * size;
    for (size_t i = 0; i <= input_dimension; i++) {
        ctfhe_csprng *masks;
        if (open_packing_streams(mask_seed, NULL, component, input_dimension, i, &masks, NULL) != CTFHE_OK) {
            return CTFHE_ERROR_RANDOMNESS;
        }
        for (size_t t = 0; t < levels; t++) {
            uint64_t *row = out + (i * levels + t) * glwe_words;
            ctfhe_csprng_uniform(masks, row, glwe_dimension * size);   /* as ctfhe_glwe_encrypt_with drew them */
            memcpy(row + glwe_dimension * size, bodies + (i * levels + t) * size, sizeof(uint64_t) * size);
        }
        ctfhe_csprng_destroy(masks);
    }
    return CTFHE_OK;
}

/*
 * The packing keyswitch of `count` (≤ PACKING_BLOCK) LWE ciphertexts at once: the key (hundreds
 * of megabytes) streams once per block instead of once per ciphertext, while the block's GLWE
 * accumulators stay in cache.
 */
enum { PACKING_BLOCK = 8 };
CTFHE_HOT static void packing_keyswitch_block(uint64_t *out, const uint64_t *in, size_t count, const uint64_t *key,
                                              size_t input_dimension, size_t glwe_words, size_t base_log, size_t levels) {
    int64_t digits[PACKING_BLOCK][64];
    memset(out, 0, sizeof(uint64_t) * count * glwe_words);
    for (size_t i = 0; i <= input_dimension; i++) {
        for (size_t c = 0; c < count; c++) {
            const uint64_t rounded = ctfhe_decomposition_round(in[c * (input_dimension + 1) + i], base_log, levels);
            ctfhe_decompose_rounded(digits[c], rounded, base_log, levels);
        }
        for (size_t t = 0; t < levels; t++) {
            const uint64_t *row = key + (i * levels + t) * glwe_words;
            for (size_t c = 0; c < count; c++) {
                if (digits[c][t] != 0) ctfhe_subtract_multiple(out + c * glwe_words, row, (uint64_t)0 - (uint64_t)digits[c][t], glwe_words);
            }
        }
    }
}

ctfhe_status ctfhe_packing_keyswitch(uint64_t *out, const uint64_t *in, size_t count, const uint64_t *key,
                                     size_t input_dimension, size_t glwe_dimension, size_t polynomial_size,
                                     size_t base_log, size_t levels, int threads) {
    if (glwe_dimension == 0 || glwe_dimension > CTFHE_MAX_GLWE_DIMENSION || polynomial_size == 0 ||
        !ctfhe_decomposition_valid(base_log, levels)) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    const size_t glwe_words = (glwe_dimension + 1) * polynomial_size;
    const long blocks = (long)((count + PACKING_BLOCK - 1) / PACKING_BLOCK);
#pragma omp parallel for schedule(static, 1) num_threads(ctfhe_resolve_threads(threads)) if (blocks > 1)
    for (long b = 0; b < blocks; b++) {
        const size_t first = (size_t)b * PACKING_BLOCK;
        const size_t size = count - first < PACKING_BLOCK ? count - first : PACKING_BLOCK;
        packing_keyswitch_block(out + first * glwe_words, in + first * (input_dimension + 1), size, key, input_dimension,
                                glwe_words, base_log, levels);
    }
    return CTFHE_OK;
}

ctfhe_status ctfhe_circuit_bootstrap_ggsws(double *out, const uint64_t *level_ciphertexts, size_t bit_count,
                                           size_t input_dimension, const uint64_t *const *packing_keys,
                                           size_t glwe_dimension, size_t polynomial_size, size_t levels,
                                           size_t packing_base_log, size_t packing_levels, int threads) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || glwe_dimension == 0 || glwe_dimension > CTFHE_MAX_GLWE_DIMENSION || levels == 0) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    const size_t size = polynomial_size, columns = glwe_dimension + 1, glwe_words = columns * size;
    const size_t rows = bit_count * levels;
    const size_t ggsw_doubles = ctfhe_ggsw_fourier_double_count(glwe_dimension, size, levels);
    uint64_t *packed = malloc(sizeof(uint64_t) * rows * glwe_words);
    double *scratch = ctfhe_alloc_doubles(2 * size);
    ctfhe_status status = packed == NULL || scratch == NULL ? CTFHE_ERROR_OUT_OF_MEMORY : CTFHE_OK;
    for (size_t component = 0; status == CTFHE_OK && component < columns; component++) {
        /* Every bit's every level goes through this component's key in one pass. */
        status = ctfhe_packing_keyswitch(packed, level_ciphertexts, rows, packing_keys[component], input_dimension,
                                         glwe_dimension, size, packing_base_log, packing_levels, threads);
        for (size_t row = 0; status == CTFHE_OK && row < rows; row++) {
            const size_t bit = row / levels, level = row % levels;
            ctfhe_glwe_fourier_split(out + bit * ggsw_doubles + (component * levels + level) * glwe_words,
                                     packed + row * glwe_words, glwe_dimension, fft, scratch);
        }
    }
    free(packed);
    fftw_free(scratch);
    return status;
}

CTFHE_HOT ctfhe_status ctfhe_vertical_packing(uint64_t *out, const uint64_t *table, size_t bit_count,
                                              const double *ggsws, size_t glwe_dimension, size_t polynomial_size,
                                              size_t base_log, size_t levels) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL || glwe_dimension == 0 || glwe_dimension > CTFHE_MAX_GLWE_DIMENSION || bit_count == 0 ||
        bit_count > 24 || !ctfhe_decomposition_valid(base_log, levels)) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    const size_t size = polynomial_size, glwe_words = (glwe_dimension + 1) * size;
    const size_t ggsw_doubles = ctfhe_ggsw_fourier_double_count(glwe_dimension, size, levels);
    size_t low = 0;
    while (low < bit_count && ((size_t)1 << (low + 1)) <= size) low++;
    const size_t entries = (size_t)1 << bit_count, leaves = (size_t)1 << (bit_count - low);
    const size_t per_leaf = (size_t)1 << low;
    uint64_t *tree = calloc(leaves * glwe_words, sizeof(uint64_t));
    uint64_t *difference = malloc(sizeof(uint64_t) * glwe_words);
    double *memory = ctfhe_alloc_doubles(external_product_doubles(glwe_dimension, size, levels));
    if (tree == NULL || difference == NULL || memory == NULL) {
        free(tree);
        free(difference);
        fftw_free(memory);
        return CTFHE_ERROR_OUT_OF_MEMORY;
    }
    external_product_workspace w;
    external_product_workspace_init(&w, memory, fft, glwe_dimension, base_log, levels);
    /* Leaf p: the trivial GLWE whose body holds entries [p·2^low, (p+1)·2^low). */
    for (size_t p = 0; p < leaves; p++) {
        uint64_t *body = tree + p * glwe_words + glwe_dimension * size;
        for (size_t j = 0; j < per_leaf && p * per_leaf + j < entries; j++) body[j] = table[p * per_leaf + j];
    }
    /* The tree: bit low + level selects between neighbours, lowest high bit first. */
    for (size_t count = leaves, level = 0; count > 1; count /= 2, level++) {
        const double *ggsw = ggsws + (low + level) * ggsw_doubles;
        for (size_t m = 0; m < count / 2; m++) {
            uint64_t *c0 = tree + 2 * m * glwe_words;
            const uint64_t *c1 = tree + (2 * m + 1) * glwe_words;
            for (size_t v = 0; v < glwe_words; v++) difference[v] = c1[v] - c0[v];
            external_product(c0, ggsw, difference, NO_ROTATION, &w, 1);
            if (m > 0) memcpy(tree + m * glwe_words, c0, sizeof(uint64_t) * glwe_words);
        }
    }
    /* Blind rotation by the low bits: ACC ← ACC + GGSW(b_i) ⊡ (X^(−2^i)·ACC − ACC). */
    for (size_t i = 0; i < low; i++) {
        external_product(tree, ggsws + i * ggsw_doubles, tree, 2 * size - ((size_t)1 << i), &w, 1);
    }
    ctfhe_sample_extract(out, tree, glwe_dimension, size);
    free(tree);
    free(difference);
    fftw_free(memory);
    return CTFHE_OK;
}
