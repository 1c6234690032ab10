/*
 * bootstrap.c — the external product, CMux, blind rotation, sample extraction, modulus switching,
 * test polynomials, and the batched PBS and KS + PBS.
 *
 * Batches are cut into blocks of a few ciphertexts. A block walks the bootstrapping key once: for
 * each key index i, every ciphertext of the block does its CMux with GGSW i while that GGSW is in
 * cache. Blocks run in parallel on OpenMP threads, each with its own workspace allocated before
 * the blind-rotation loop. A single ciphertext at a large N shares its blind rotation between two
 * threads instead (split_rotation). Every ciphertext is computed the same way whatever the
 * thread count.
 */
#include "internal.h"

#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#include <sched.h>
#include <stdatomic.h>
#endif

/* ---------------------------------------------------------------- workspace */

typedef struct {
    const ctfhe_fft *fft;
    size_t glwe_dimension, levels, base_log;
    double *twisted;          /* N doubles: one twisted digit polynomial (an FFT input) */
    double *digit_fourier;    /* (k+1)·ℓ blocks of N doubles: their Fourier forms (interleaved) */
    double *accumulator;      /* (k+1) blocks of N doubles: the products in Fourier form */
    double *fft_scratch;      /* N doubles */
    uint64_t *input;          /* N words: one input polynomial, rounded, then the decomposition state */
} external_product_workspace;

static size_t external_product_doubles(size_t glwe_dimension, size_t size, size_t levels) {
    return (1 + (glwe_dimension + 1) * levels + (glwe_dimension + 1) + 2) * size;
}

/* Lays the workspace out over `memory` (external_product_doubles of fftw-aligned doubles). */
static void external_product_workspace_init(external_product_workspace *w, double *memory,
                                            const ctfhe_fft *fft, size_t glwe_dimension,
                                            size_t base_log, size_t levels) {
    const size_t size = fft->polynomial_size;
    w->fft = fft;
    w->glwe_dimension = glwe_dimension;
    w->levels = levels;
    w->base_log = base_log;
    w->twisted = memory;
    w->digit_fourier = w->twisted + size;
    w->accumulator = w->digit_fourier + (glwe_dimension + 1) * levels * size;
    w->fft_scratch = w->accumulator + (glwe_dimension + 1) * size;
    w->input = (uint64_t *)(w->fft_scratch + size);
}

/* ---------------------------------------------------------------- the external product */

enum { NO_ROTATION = SIZE_MAX };

/* Coefficient h of X^rotation · polynomial, for rotation in [0, 2N). */
static inline uint64_t rotated_coefficient(const uint64_t *polynomial, size_t size, size_t h,
                                           size_t rotation) {
    ptrdiff_t t = (ptrdiff_t)h - (ptrdiff_t)rotation;
    if (t >= 0) return polynomial[t];
    if (t >= -(ptrdiff_t)size) return (uint64_t)0 - polynomial[t + (ptrdiff_t)size];
    return polynomial[t + 2 * (ptrdiff_t)size];
}

/*
 * out = the input polynomial rounded for decomposition (ctfhe_decomposition_round): the
 * polynomial itself, or X^rotation · polynomial − polynomial for rotation in [0, 2N).
 */
static inline void rounded_input(uint64_t *restrict out, const uint64_t *restrict polynomial,
                                 size_t size, size_t rotation, size_t base_log, size_t levels) {
    if (rotation == NO_ROTATION) {
        for (size_t h = 0; h < size; h++) {
            out[h] = ctfhe_decomposition_round(polynomial[h], base_log, levels);
        }
        return;
    }
    /* X^rotation = −X^(rotation − N) when rotation ≥ N; negation is (v ^ m) − m with m all ones. */
    const uint64_t negate = rotation >= size ? ~UINT64_C(0) : 0;
    const size_t shift = rotation >= size ? rotation - size : rotation;
    for (size_t h = 0; h < shift; h++) {   /* wrapped around X^N = −1 */
        uint64_t v = (uint64_t)0 - polynomial[h + size - shift];
        out[h] = ctfhe_decomposition_round(((v ^ negate) - negate) - polynomial[h], base_log, levels);
    }
    for (size_t h = shift; h < size; h++) {
        uint64_t v = polynomial[h - shift];
        out[h] = ctfhe_decomposition_round(((v ^ negate) - negate) - polynomial[h], base_log, levels);
    }
}

/*
 * Peels the next digit (least significant first) off every rounded coefficient in `state` and
 * writes the digit polynomial, folded and twisted, to `twisted` (N/2 complex values).
 * Digits are in [−B/2, B/2); the carry goes back into the state (see ctfhe_decompose_rounded).
 */
static inline void next_twisted_digits(double *restrict twisted, uint64_t *restrict state,
                                       const double *restrict twist, size_t size, size_t base_log) {
    const size_t half = size / 2;
    const uint64_t mask = (UINT64_C(1) << base_log) - 1, middle = UINT64_C(1) << (base_log - 1);
    for (size_t j = 0; j < half; j++) {
        uint64_t low = state[j], high = state[j + half];
        uint64_t low_digit = low & mask, high_digit = high & mask;
        uint64_t low_carry = (low_digit + (low_digit & middle)) >> base_log;
        uint64_t high_carry = (high_digit + (high_digit & middle)) >> base_log;
        state[j] = (low >> base_log) + low_carry;
        state[j + half] = (high >> base_log) + high_carry;
        double re = (double)((int64_t)low_digit - (int64_t)(low_carry << base_log));
        double im = (double)((int64_t)high_digit - (int64_t)(high_carry << base_log));
        twisted[2 * j] = re * twist[2 * j] - im * twist[2 * j + 1];
        twisted[2 * j + 1] = re * twist[2 * j + 1] + im * twist[2 * j];
    }
}

enum { MAX_COLUMNS = CTFHE_MAX_GLWE_DIMENSION + 1 };   /* k + 1; every entry point checks k against it */

/*
 * accumulator[column] = Σ_row digits[row] · ggsw[row][column] for the columns [first, end), N/2
 * complex values each. Digits and accumulators are interleaved (FFTW's layout), the key is in split blocks. Per
 * block of 8 values, each digit row is loaded and split once and used for every column; the sums
 * stay in registers and are stored once.
 */
static inline __attribute__((always_inline)) void multiply_accumulate(
    double *restrict accumulator, const double *restrict digits, const double *restrict ggsw,
    size_t half, size_t columns, size_t levels, size_t first, size_t end) {
    const size_t size = 2 * half, rows = columns * levels;
    for (size_t block = 0; block < half; block += CTFHE_SPLIT_BLOCK) {
        ctfhe_v8 re[MAX_COLUMNS], im[MAX_COLUMNS];
        for (size_t column = first; column < end; column++) re[column] = im[column] = 0;
        for (size_t row = 0; row < rows; row++) {
            const ctfhe_v16 digit = ctfhe_load16(digits + row * size + 2 * block);
            const ctfhe_v8 dr = __builtin_shufflevector(digit, digit, 0, 2, 4, 6, 8, 10, 12, 14);
            const ctfhe_v8 di = __builtin_shufflevector(digit, digit, 1, 3, 5, 7, 9, 11, 13, 15);
            const double *key = ggsw + row * columns * size + 2 * block;
            for (size_t column = first; column < end; column++) {
                const ctfhe_v8 kr = ctfhe_load8(key + column * size);
                const ctfhe_v8 ki = ctfhe_load8(key + column * size + CTFHE_SPLIT_BLOCK);
                re[column] += dr * kr - di * ki;
                im[column] += dr * ki + di * kr;
            }
        }
        for (size_t column = first; column < end; column++) {
            ctfhe_interleave8(accumulator + column * size + 2 * block, re[column], im[column]);
        }
    }
}

/*
 * The first half of an external product, for the input components [first, end): decomposes
 * each input polynomial (glwe, or X^rotation·glwe − glwe), twists the digits and writes their
 * FFTs to digits (rows component·ℓ + level).
 */
static inline __attribute__((always_inline)) void transform_inputs(
    double *digits, const uint64_t *glwe, size_t rotation, size_t first, size_t end,
    external_product_workspace *w) {
    const ctfhe_fft *fft = w->fft;
    const size_t size = fft->polynomial_size, levels = w->levels;
    for (size_t component = first; component < end; component++) {
        rounded_input(w->input, glwe + component * size, size, rotation, w->base_log, levels);
        for (size_t level = levels; level-- > 0;) {
            next_twisted_digits(w->twisted, w->input, fft->twist, size, w->base_log);
            fftw_execute_dft(fft->forward, (fftw_complex *)w->twisted,
                             (fftw_complex *)(digits + (component * levels + level) * size));
        }
    }
}

/*
 * The second half, for the output columns [first, end): multiplies every digit row by its GGSW
 * row in the Fourier domain and adds the products, back in the coefficient domain, to out.
 */
static inline __attribute__((always_inline)) void multiply_back(
    uint64_t *out, const double *digits, const double *ggsw, size_t first, size_t end,
    external_product_workspace *w) {
    const ctfhe_fft *fft = w->fft;
    const size_t size = fft->polynomial_size, half = fft->half;
    const size_t columns = w->glwe_dimension + 1, levels = w->levels;
    switch (columns) {   /* constant column counts let the accumulators live in registers */
    case 2: multiply_accumulate(w->accumulator, digits, ggsw, half, 2, levels, first, end); break;
    case 3: multiply_accumulate(w->accumulator, digits, ggsw, half, 3, levels, first, end); break;
    default: multiply_accumulate(w->accumulator, digits, ggsw, half, columns, levels, first, end); break;
    }
    for (size_t column = first; column < end; column++) {
        ctfhe_fft_backward_add_torus(fft, out + column * size, w->accumulator + column * size, w->fft_scratch);
    }
}

/*
 * out += ggsw ⊡ input, where input is glwe (rotation NO_ROTATION) or X^rotation·glwe − glwe.
 * out may equal glwe: every input coefficient is read before out is written.
 */
static inline __attribute__((always_inline)) void external_product(
    uint64_t *out, const double *ggsw, const uint64_t *glwe, size_t rotation,
    external_product_workspace *w) {
    const size_t columns = w->glwe_dimension + 1;
    transform_inputs(w->digit_fourier, glwe, rotation, 0, columns, w);
    multiply_back(out, w->digit_fourier, ggsw, 0, columns, w);
}

static int external_product_arguments_valid(size_t glwe_dimension, size_t base_log, size_t levels) {
    return glwe_dimension > 0 && glwe_dimension <= CTFHE_MAX_GLWE_DIMENSION && base_log > 0 && base_log < 64 && levels > 0 && base_log * levels <= 64;
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
    external_product(out, ggsw, glwe, NO_ROTATION, &w);
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

/* ---------------------------------------------------------------- PBS pieces */

static inline uint64_t modulus_switch(uint64_t value, unsigned log_modulus) {
    /* round(value · 2^log_modulus / 2^64) mod 2^log_modulus */
    return ((value >> (63 - log_modulus)) + 1) >> 1 & ((UINT64_C(1) << log_modulus) - 1);
}

static unsigned log2_size(size_t value) {
    unsigned log = 0;
    while (((size_t)1 << log) < value) log++;
    return log;
}

void ctfhe_modulus_switch(uint64_t *out, const uint64_t *values, size_t count, size_t polynomial_size) {
    const unsigned log_modulus = log2_size(2 * polynomial_size);
    for (size_t i = 0; i < count; i++) out[i] = modulus_switch(values[i], log_modulus);
}

void ctfhe_sample_extract(uint64_t *out, const uint64_t *glwe, size_t glwe_dimension,
                          size_t polynomial_size) {
    const size_t size = polynomial_size;
    for (size_t i = 0; i < glwe_dimension; i++) {
        const uint64_t *mask = glwe + i * size;
        uint64_t *extracted = out + i * size;
        extracted[0] = mask[0];
        for (size_t j = 1; j < size; j++) extracted[j] = (uint64_t)0 - mask[size - j];
    }
    out[glwe_dimension * size] = glwe[glwe_dimension * size];
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

/* ---------------------------------------------------------------- batched bootstrapping */

typedef struct {
    size_t block;               /* ciphertexts per block */
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
    w->block = block;
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
 * Modulus-switches one input ((n + 1) words) into `switched` and sets the accumulator to
 * X^(−b̃) · T, a trivial GLWE (zero masks).
 */
static void start_rotation(uint64_t *accumulator, uint64_t *switched, const uint64_t *in, const uint64_t *test,
                           const ctfhe_parameters *p) {
    const size_t n = p->lwe_dimension, k = p->glwe_dimension, size = p->polynomial_size, two_size = 2 * size;
    const unsigned log_modulus = log2_size(two_size);
    for (size_t i = 0; i <= n; i++) switched[i] = modulus_switch(in[i], log_modulus);
    memset(accumulator, 0, sizeof(uint64_t) * k * size);
    const size_t rotation = (two_size - switched[n]) % two_size;
    for (size_t h = 0; h < size; h++) accumulator[k * size + h] = rotated_coefficient(test, size, h, rotation);
}

/*
 * Bootstraps `count` (≤ block) ciphertexts of dimension n, (n + 1) words each, into `out`
 * ((kN + 1) words each). test_polynomials[c · test_stride] is ciphertext c's test polynomial.
 */
CTFHE_HOT static void bootstrap_block(uint64_t *out, const uint64_t *in, size_t count,
                            const uint64_t *test_polynomials, size_t test_stride,
                            const ctfhe_bootstrap_key *key, bootstrap_workspace *w) {
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(key);
    const size_t n = p->lwe_dimension, k = p->glwe_dimension, size = p->polynomial_size;
    const size_t glwe_words = (k + 1) * size;

    for (size_t c = 0; c < count; c++) {
        start_rotation(w->accumulators + c * glwe_words, w->switched + c * (n + 1), in + c * (n + 1),
                       test_polynomials + c * test_stride, p);
    }
    /* Blind rotation: ACC ← ACC + BSKᵢ ⊡ (X^ãᵢ · ACC − ACC), key index outermost. */
    for (size_t i = 0; i < n; i++) {
        const double *ggsw = ctfhe_bootstrap_key_ggsw(key, i);
        for (size_t c = 0; c < count; c++) {
            size_t rotation = (size_t)w->switched[c * (n + 1) + i];
            if (rotation == 0) continue;
            uint64_t *accumulator = w->accumulators + c * glwe_words;
            external_product(accumulator, ggsw, accumulator, rotation, &w->product);
        }
    }
    for (size_t c = 0; c < count; c++) {
        ctfhe_sample_extract(out + c * (k * size + 1), w->accumulators + c * glwe_words, k, size);
    }
}

/* ---------------------------------------------------------------- one ciphertext on two threads */

#ifdef _OPENMP
/* How many CMuxes a thread has transformed the inputs of; one per cache line. */
typedef struct {
    _Alignas(64) _Atomic size_t value;
} progress_counter;

/*
 * Waits until `counter` reaches `step`: a short spin (the other thread is normally a few
 * microseconds away), then yielding the core, in case the other thread waits for it (more
 * runnable threads than cores). The spin has no PAUSE: under KVM a PAUSE loop makes the vCPU
 * exit to the host (pause-loop exiting), and measured here that doubled the time of a lookup.
 */
static void wait_for(progress_counter *counter, size_t step) {
    for (unsigned spins = 0; atomic_load_explicit(&counter->value, memory_order_acquire) < step; spins++) {
        if (spins >= 1024) sched_yield();
    }
}

/*
 * Thread `thread` (0 or 1) of a blind rotation shared by two threads. It owns the GLWE columns
 * [first, end): for every CMux it decomposes and transforms those input polynomials into the
 * digit buffer of the CMux's parity, waits until the other thread has done the same, then
 * multiplies every digit row into its own columns and adds them back. A thread only ever reads
 * and writes its own accumulator columns, and the two digit buffers let it start the next CMux
 * while the other still reads this one's rows (it cannot run two ahead: the handshake of the
 * next CMux waits for it), so one handshake per CMux suffices. The two halves are
 * external_product's own (transform_inputs, multiply_back), so the result is bit-identical. It has its own target clones: the body of an
 * OpenMP parallel region is outlined into a function that would otherwise be built for the
 * baseline ISA (no FMA: other rounding, and slower).
 */
CTFHE_HOT static void split_rotation(uint64_t *accumulator, const uint64_t *switched, const ctfhe_bootstrap_key *key,
                                     double *const digits[2], progress_counter progress[2], int thread,
                                     external_product_workspace *w) {
    const size_t columns = w->glwe_dimension + 1;
    const size_t first = thread == 0 ? 0 : (columns + 1) / 2, end = thread == 0 ? (columns + 1) / 2 : columns;
    size_t step = 0;
    for (size_t i = 0; i < ctfhe_bootstrap_key_parameters(key)->lwe_dimension; i++) {
        const size_t rotation = (size_t)switched[i];
        if (rotation == 0) continue;
        double *digit = digits[step & 1];
        step++;
        transform_inputs(digit, accumulator, rotation, first, end, w);
        atomic_store_explicit(&progress[thread].value, step, memory_order_release);
        wait_for(&progress[1 - thread], step);
        multiply_back(accumulator, digit, ctfhe_bootstrap_key_ggsw(key, i), first, end, w);
    }
}

/*
 * Whether sharing one blind rotation between two threads is faster than one thread: measured on
 * the 2-core machine of Benchmarks/README.md (`fhec pbs --trials 1 --threads 1|2`), it is for
 * k = 1 from N = 4096 (one KS + PBS at N = 16384: 172 → 121 ms, N = 8192: 81 → 58 ms,
 * N = 4096: 31.7 → 29.8 ms); at N ≤ 2048 the handshake per CMux eats the gain, and with an odd
 * column count one thread gets twice the work.
 */
static int split_pays(const ctfhe_parameters *p) {
    return p->polynomial_size >= 4096 && (p->glwe_dimension + 1) % 2 == 0;
}

/*
 * Bootstraps one ciphertext of dimension n with two threads sharing its blind rotation
 * (split_rotation): a single lookup has no other ciphertext to give the second core. Returns 0,
 * having done nothing, when OpenMP does not give two threads (the caller then runs it on one);
 * else 1, with the outcome in *status.
 */
static int bootstrap_one_split(uint64_t *out, const uint64_t *in, const uint64_t *test,
                                         const ctfhe_bootstrap_key *key, ctfhe_status *status) {
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(key);
    const size_t n = p->lwe_dimension, k = p->glwe_dimension, size = p->polynomial_size;
    const size_t digit_doubles = (k + 1) * p->pbs_level_count * size;
    const size_t thread_doubles = external_product_doubles(k, size, p->pbs_level_count);
    uint64_t *accumulator = malloc(sizeof(uint64_t) * (k + 1) * size);
    uint64_t *switched = malloc(sizeof(uint64_t) * (n + 1));
    double *memory = ctfhe_alloc_doubles(2 * digit_doubles + 2 * thread_doubles);
    int split = 1;
    *status = CTFHE_OK;
    if (accumulator == NULL || switched == NULL || memory == NULL) {
        *status = CTFHE_ERROR_OUT_OF_MEMORY;
    } else {
        start_rotation(accumulator, switched, in, test, p);
        double *const digits[2] = {memory, memory + digit_doubles};
        progress_counter progress[2];
        atomic_init(&progress[0].value, 0);
        atomic_init(&progress[1].value, 0);
#pragma omp parallel num_threads(2)
        {
            if (omp_get_num_threads() != 2) {
#pragma omp single
                split = 0;
            } else {
                const int thread = omp_get_thread_num();
                external_product_workspace w;
                external_product_workspace_init(&w, memory + 2 * digit_doubles + (size_t)thread * thread_doubles,
                                                ctfhe_fft_get(size), k, p->pbs_base_log, p->pbs_level_count);
                split_rotation(accumulator, switched, key, digits, progress, thread, &w);
            }
        }
        if (split) ctfhe_sample_extract(out, accumulator, k, size);
    }
    free(accumulator);
    free(switched);
    fftw_free(memory);
    return split;
}
#endif

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
                                  const uint64_t *test_polynomials, size_t test_polynomial_count,
                                  const uint64_t *keyswitch_key, const ctfhe_bootstrap_key *key,
                                  int threads) {
    if (key == NULL || (test_polynomial_count != 1 && test_polynomial_count != count)) {
        return CTFHE_ERROR_INVALID_ARGUMENT;
    }
    if (count == 0) return CTFHE_OK;
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(key);
    const size_t out_words = p->glwe_dimension * p->polynomial_size + 1;
    const size_t test_stride = test_polynomial_count == 1 ? 0 : p->polynomial_size;
    const int thread_count = ctfhe_resolve_threads(threads);
    const size_t block = block_size(p, count, thread_count);
    const long blocks = (long)((count + block - 1) / block);
    ctfhe_status status = CTFHE_OK;

#ifdef _OPENMP
    if (count == 1 && thread_count >= 2 && split_pays(p)) {
        const uint64_t *source = in;
        uint64_t *switched_input = NULL;
        if (keyswitch_key != NULL) {
            switched_input = malloc(sizeof(uint64_t) * (p->lwe_dimension + 1));
            if (switched_input == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
            ctfhe_keyswitch_block(switched_input, in, in_words, 1, keyswitch_key, p);
            source = switched_input;
        }
        const int done = bootstrap_one_split(out, source, test_polynomials, key, &status);
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
                            test_stride, key, &w);
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
    return run_bootstrap(out, in, in_words, count, test_polynomials, test_polynomial_count, NULL,
                         bootstrap_key, threads);
}

ctfhe_status ctfhe_keyswitch_bootstrap(uint64_t *out, const uint64_t *in, size_t count,
                                       const uint64_t *test_polynomials, size_t test_polynomial_count,
                                       const uint64_t *keyswitch_key,
                                       const ctfhe_bootstrap_key *bootstrap_key, int threads) {
    if (bootstrap_key == NULL || keyswitch_key == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    const ctfhe_parameters *p = ctfhe_bootstrap_key_parameters(bootstrap_key);
    const size_t in_words = p->glwe_dimension * p->polynomial_size + 1;
    return run_bootstrap(out, in, in_words, count, test_polynomials, test_polynomial_count,
                         keyswitch_key, bootstrap_key, threads);
}
