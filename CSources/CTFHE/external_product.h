/*
 * external_product.h — the external product GGSW ⊡ GLWE, inlined into the loops that use it
 * (external_product.c, bootstrap.c, split_rotation.c): its workspace, the rounding and signed
 * decomposition of the input polynomials, their FFTs, and the multiply-accumulate against a
 * Fourier GGSW. Internal to the kernels.
 */
#ifndef CTFHE_EXTERNAL_PRODUCT_H
#define CTFHE_EXTERNAL_PRODUCT_H

#include "internal.h"

typedef struct {
    const ctfhe_fft *fft;
    size_t glwe_dimension, levels, base_log;
    double *twisted;          /* N doubles: one twisted digit polynomial (an FFT input) */
    double *digit_fourier;    /* (k+1)·ℓ blocks of N doubles: their Fourier forms (interleaved) */
    double *accumulator;      /* (k+1) blocks of N doubles: the products in Fourier form */
    double *fft_scratch;      /* N doubles */
    uint64_t *input;          /* N words: one input polynomial, rounded, then the decomposition state */
} external_product_workspace;

static inline size_t external_product_doubles(size_t glwe_dimension, size_t size, size_t levels) {
    return (1 + (glwe_dimension + 1) * levels + (glwe_dimension + 1) + 2) * size;
}

/* Lays the workspace out over `memory` (external_product_doubles of fftw-aligned doubles). */
static inline void external_product_workspace_init(external_product_workspace *w, double *memory,
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
 * `balanced` (a constant at every call site) breaks the tie B/2 by the next bit instead, so that
 * ±B/2 are equally likely and the digits' mean is 0 rather than −1/2: what vertical packing
 * needs, whose GGSW rows carry one error times a key polynomial (wop_pbs.c); a bootstrapping
 * key's independent errors make the mean harmless, and the PBS keeps the cheaper rule.
 */
static inline __attribute__((always_inline)) void next_twisted_digits(
    double *restrict twisted, uint64_t *restrict state, const double *restrict twist, size_t size, size_t base_log,
    int balanced) {
    const size_t half = size / 2;
    const uint64_t mask = (UINT64_C(1) << base_log) - 1, middle = UINT64_C(1) << (base_log - 1);
    for (size_t j = 0; j < half; j++) {
        uint64_t low = state[j], high = state[j + half];
        uint64_t low_digit = low & mask, high_digit = high & mask;
        uint64_t low_carry = (low_digit + (low_digit & middle)) >> base_log;
        uint64_t high_carry = (high_digit + (high_digit & middle)) >> base_log;
        if (balanced) {   /* a digit of exactly B/2 carries only when the next bit is set */
            low_carry -= (uint64_t)(low_digit == middle) & ~(low >> base_log) & 1;
            high_carry -= (uint64_t)(high_digit == middle) & ~(high >> base_log) & 1;
        }
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
    external_product_workspace *w, int balanced) {
    const ctfhe_fft *fft = w->fft;
    const size_t size = fft->polynomial_size, levels = w->levels;
    for (size_t component = first; component < end; component++) {
        rounded_input(w->input, glwe + component * size, size, rotation, w->base_log, levels);
        for (size_t level = levels; level-- > 0;) {
            next_twisted_digits(w->twisted, w->input, fft->twist, size, w->base_log, balanced);
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
 * out += ggsw ⊡ input, where input is glwe (rotation NO_ROTATION) or X^rotation·glwe − glwe,
 * with balanced digits or not (next_twisted_digits). out may equal glwe: every input
 * coefficient is read before out is written.
 */
static inline __attribute__((always_inline)) void external_product(
    uint64_t *out, const double *ggsw, const uint64_t *glwe, size_t rotation,
    external_product_workspace *w, int balanced) {
    const size_t columns = w->glwe_dimension + 1;
    transform_inputs(w->digit_fourier, glwe, rotation, 0, columns, w, balanced);
    multiply_back(out, w->digit_fourier, ggsw, 0, columns, w);
}

#endif /* CTFHE_EXTERNAL_PRODUCT_H */
