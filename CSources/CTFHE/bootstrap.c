/*
 * bootstrap.c — the batched PBS and KS + PBS.
 *
 * Batches are cut into blocks of a few ciphertexts. A block walks the bootstrapping key once: for
 * each key index i, every ciphertext of the block does its CMux with GGSW i while that GGSW is in
 * cache. Blocks run in parallel on OpenMP threads, each with its own workspace allocated before
 * the blind-rotation loop. A single ciphertext at a large N shares its blind rotation between two
 * threads instead (split_rotation.c). Every ciphertext is computed the same way whatever the
 * thread count.
 */
#include "blind_rotation.h"
#include "external_product.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- batched bootstrapping */

typedef struct {
    uint64_t *accumulators;     /* block GLWE ciphertexts */
    uint64_t *switched;         /* block × (n + 1) modulus-switched inputs */
    uint64_t *keyswitched;      /* block × (n + 1): the keyswitch outputs (fused KS + PBS only) */
    double *fourier_memory;
    external_product_workspace product;
} bootstrap_workspace;

static void bootstrap_workspace_free(bootstrap_workspace *w) {
    free(w->accumulators);
    free(w->switched);
    free(w->keyswitched);
    fftw_free(w->fourier_memory);
    memset(w, 0, sizeof *w);
}

static int bootstrap_workspace_init(bootstrap_workspace *w, const ctfhe_parameters *p, size_t block,
                                    int with_keyswitch) {
    const ctfhe_fft *fft = ctfhe_fft_get(p->polynomial_size);
    const size_t glwe_words = (p->glwe_dimension + 1) * p->polynomial_size;
    memset(w, 0, sizeof *w);
    w->accumulators = malloc(sizeof(uint64_t) * block * glwe_words);
    w->switched = malloc(sizeof(uint64_t) * block * (p->lwe_dimension + 1));
    w->keyswitched = with_keyswitch ? malloc(sizeof(uint64_t) * block * (p->lwe_dimension + 1)) : NULL;
    w->fourier_memory = ctfhe_alloc_doubles(
        external_product_doubles(p->glwe_dimension, p->polynomial_size, p->pbs_level_count));
    if (w->accumulators == NULL || w->switched == NULL || (with_keyswitch && w->keyswitched == NULL) ||
        w->fourier_memory == NULL) {
        bootstrap_workspace_free(w);
        return 0;
    }
    external_product_workspace_init(&w->product, w->fourier_memory, fft, p->glwe_dimension,
                                    p->pbs_base_log, p->pbs_level_count);
    return 1;
}

/*
 * Bootstraps `count` (≤ block) ciphertexts of dimension n, (n + 1) words each, into `out`
 * (2^lut_log ciphertexts of kN + 1 words each per input: coefficients 0 … 2^lut_log − 1).
 * test_polynomials[c · test_stride] is ciphertext c's test polynomial.
 */
CTFHE_HOT static void bootstrap_block(uint64_t *out, const uint64_t *in, size_t count,
                            const uint64_t *test_polynomials, size_t test_stride, unsigned lut_log,
                            const ctfhe_bootstrap_key *key, bootstrap_workspace *w) {
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(key);
    const size_t n = p->lwe_dimension, k = p->glwe_dimension, size = p->polynomial_size;
    const size_t glwe_words = (k + 1) * size;

    for (size_t c = 0; c < count; c++) {
        ctfhe_start_rotation(w->accumulators + c * glwe_words, w->switched + c * (n + 1), in + c * (n + 1),
                       test_polynomials + c * test_stride, p, lut_log);
    }
    /* Blind rotation: ACC ← ACC + BSKᵢ ⊡ (X^ãᵢ · ACC − ACC), key index outermost. */
    for (size_t i = 0; i < n; i++) {
        const double *ggsw = ctfhe_bootstrap_key_ggsw(key, i);
        for (size_t c = 0; c < count; c++) {
            size_t rotation = (size_t)w->switched[c * (n + 1) + i];
            if (rotation == 0) continue;
            uint64_t *accumulator = w->accumulators + c * glwe_words;
            external_product(accumulator, ggsw, accumulator, rotation, &w->product, 0);
        }
    }
    const size_t lookups = (size_t)1 << lut_log;
    for (size_t c = 0; c < count; c++) {
        for (size_t j = 0; j < lookups; j++) {
            ctfhe_sample_extract_at(out + (c * lookups + j) * (k * size + 1), w->accumulators + c * glwe_words, k, size, j);
        }
    }
}

/* Ciphertexts per block: enough to reuse each GGSW, few enough for the accumulators to stay in cache. */
static size_t block_size(const ctfhe_parameters *p, size_t count, int threads) {
    const size_t accumulator_bytes = (p->glwe_dimension + 1) * p->polynomial_size * sizeof(uint64_t);
    size_t block = (512 * 1024) / accumulator_bytes;
    if (block > 16) block = 16;
    if (block < 1) block = 1;
    size_t per_thread = (count + (size_t)threads - 1) / (size_t)threads;
    if (per_thread >= 1 && block > per_thread) block = per_thread;
    return block;
}

static ctfhe_status run_bootstrap(uint64_t *out, const uint64_t *in, size_t in_words, size_t count,
                                  const uint64_t *test_polynomials, size_t test_polynomial_count, unsigned lut_log,
                                  const uint64_t *keyswitch_key, const ctfhe_bootstrap_key *key,
                                  int threads) {
    if (key == NULL || (test_polynomial_count != 1 && test_polynomial_count != count)) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(key);
    if (lut_log > 16 || ((size_t)1 << lut_log) > p->polynomial_size) return CTFHE_ERROR_INVALID_ARGUMENT;
    if (count == 0) return CTFHE_OK;
    const size_t out_words = (p->glwe_dimension * p->polynomial_size + 1) << lut_log;   /* per input */
    const size_t test_stride = test_polynomial_count == 1 ? 0 : p->polynomial_size;
    const int thread_count = ctfhe_resolve_threads(threads);
    const size_t block = block_size(p, count, thread_count);
    const long blocks = (long)((count + block - 1) / block);
    ctfhe_status status = CTFHE_OK;

#ifdef _OPENMP
    if (count == 1 && lut_log == 0 && thread_count >= 2 && ctfhe_split_pays(p)) {
        const uint64_t *source = in;
        uint64_t *switched_input = NULL;
        if (keyswitch_key != NULL) {
            switched_input = malloc(sizeof(uint64_t) * (p->lwe_dimension + 1));
            if (switched_input == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
            ctfhe_keyswitch_block(switched_input, in, in_words, 1, keyswitch_key, p);
            source = switched_input;
        }
        const int done = ctfhe_bootstrap_one_split(out, source, test_polynomials, key, &status);
        free(switched_input);
        if (done) return status;
    }
#endif

#pragma omp parallel num_threads(thread_count) if (blocks > 1)
    {
        bootstrap_workspace w;
        int ready = bootstrap_workspace_init(&w, p, block, keyswitch_key != NULL);
        if (!ready) {
#pragma omp atomic write
            status = CTFHE_ERROR_OUT_OF_MEMORY;
        }
#pragma omp for schedule(static, 1)
        for (long b = 0; b < blocks; b++) {
            if (!ready) continue;
            const size_t first = (size_t)b * block;
            const size_t size = count - first < block ? count - first : block;
            const uint64_t *source = in + first * in_words;
            if (keyswitch_key != NULL) {
                ctfhe_keyswitch_block(w.keyswitched, source, in_words, size, keyswitch_key, p);
                source = w.keyswitched;
            }
            bootstrap_block(out + first * out_words, source, size, test_polynomials + first * test_stride,
                            test_stride, lut_log, key, &w);
        }
        if (ready) bootstrap_workspace_free(&w);
    }
    return status;
}

ctfhe_status ctfhe_programmable_bootstrap(uint64_t *out, const uint64_t *in, size_t count,
                                          const uint64_t *test_polynomials,
                                          size_t test_polynomial_count,
                                          const ctfhe_bootstrap_key *bootstrap_key, int threads) {
    if (bootstrap_key == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    const size_t in_words = ctfhe_bootstrap_key_parameters(bootstrap_key)->lwe_dimension + 1;
    return run_bootstrap(out, in, in_words, count, test_polynomials, test_polynomial_count, 0, NULL,
                         bootstrap_key, threads);
}

ctfhe_status ctfhe_keyswitch_bootstrap(uint64_t *out, const uint64_t *in, size_t count,
                                       const uint64_t *test_polynomials, size_t test_polynomial_count,
                                       const uint64_t *keyswitch_key,
                                       const ctfhe_bootstrap_key *bootstrap_key, int threads) {
    if (bootstrap_key == NULL || keyswitch_key == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(bootstrap_key);
    const size_t in_words = p->glwe_dimension * p->polynomial_size + 1;
    return run_bootstrap(out, in, in_words, count, test_polynomials, test_polynomial_count, 0,
                         keyswitch_key, bootstrap_key, threads);
}

ctfhe_status ctfhe_keyswitch_bootstrap_many(uint64_t *out, const uint64_t *in, size_t count,
                                            const uint64_t *test_polynomials, size_t test_polynomial_count,
                                            unsigned lut_log, const uint64_t *keyswitch_key,
                                            const ctfhe_bootstrap_key *bootstrap_key, int threads) {
    if (bootstrap_key == NULL || keyswitch_key == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(bootstrap_key);
    const size_t in_words = p->glwe_dimension * p->polynomial_size + 1;
    return run_bootstrap(out, in, in_words, count, test_polynomials, test_polynomial_count, lut_log,
                         keyswitch_key, bootstrap_key, threads);
}
