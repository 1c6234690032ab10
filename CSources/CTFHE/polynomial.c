/*
 * polynomial.c — exact products of torus polynomials with binary key polynomials, for encryption.
 *
 * A mask coefficient a (64 bits) is split into signed chunks a = c₀ + c₁·2^22 + c₂·2^43 mod 2^64
 * with |c₀| ≤ 2^21 and |c₁|, |c₂| ≤ 2^20. The product of a chunk polynomial with a binary
 * polynomial has coefficients below k·N·2^21 ≤ 2^42 in magnitude, far inside the 53 bits of a
 * double, so the FFT result rounds to the exact integer; the three results recombine mod 2^64.
 */
#include "internal.h"

enum { CHUNK_COUNT = 3 };
static const unsigned chunk_shift[CHUNK_COUNT] = {0, 22, 43};
static const unsigned chunk_bits[CHUNK_COUNT] = {22, 21, 21};

/* Chunk `chunk` of a, as a signed integer (sign-extended from its width). */
static inline int64_t mask_chunk(uint64_t a, int chunk) {
    int64_t value = 0;
    uint64_t rest = a;
    for (int c = 0; c <= chunk; c++) {
        unsigned bits = chunk_bits[c];
        value = (int64_t)(rest << (64 - bits)) >> (64 - bits);   /* low bits, sign-extended */
        rest = (rest - (uint64_t)value) >> bits;
    }
    return value;
}

size_t ctfhe_binary_product_scratch_doubles(size_t polynomial_size) {
    return (CHUNK_COUNT + 3) * polynomial_size;
}

void ctfhe_binary_key_product(uint64_t *out, const uint64_t *masks, const double *key_fourier,
                              size_t count, const ctfhe_fft *fft, double *scratch) {
    const size_t size = fft->polynomial_size, half = fft->half;
    double *accumulators = scratch;                        /* CHUNK_COUNT blocks of N doubles */
    double *fourier = scratch + CHUNK_COUNT * size;
    double *fft_scratch = fourier + size;
    int64_t *chunk_polynomial = (int64_t *)(fft_scratch + size);

    memset(accumulators, 0, sizeof(double) * CHUNK_COUNT * size);
    for (size_t i = 0; i < count; i++) {
        const uint64_t *mask = masks + i * size;
        const double *key = key_fourier + i * size;
        for (int chunk = 0; chunk < CHUNK_COUNT; chunk++) {
            for (size_t j = 0; j < size; j++) chunk_polynomial[j] = mask_chunk(mask[j], chunk);
            ctfhe_fft_forward_integer(fft, fourier, chunk_polynomial, fft_scratch);
            double *accumulator = accumulators + chunk * size;
            for (size_t j = 0; j < half; j++) {
                double ar = fourier[2 * j], ai = fourier[2 * j + 1];
                double br = key[2 * j], bi = key[2 * j + 1];
                accumulator[2 * j] += ar * br - ai * bi;
                accumulator[2 * j + 1] += ar * bi + ai * br;
            }
        }
    }
    memset(out, 0, sizeof(uint64_t) * size);
    for (int chunk = 0; chunk < CHUNK_COUNT; chunk++) {
        ctfhe_fft_backward_integer(fft, chunk_polynomial, accumulators + chunk * size, fft_scratch);
        for (size_t j = 0; j < size; j++) out[j] += (uint64_t)chunk_polynomial[j] << chunk_shift[chunk];
    }
}
