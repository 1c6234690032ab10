/*
 * internal.h — helpers shared by the kernel files; not part of the public header.
 */
#ifndef CTFHE_INTERNAL_H
#define CTFHE_INTERNAL_H

#include "ctfhe.h"

#include <fftw3.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- FFT */

/**
 * The negacyclic FFT for one polynomial size N: N real coefficients fold into N/2 complex
 * values c_j = (p_j + i·p_{j+N/2})·ζ^j with ζ = e^{iπ/N} (the twist), then an N/2-point complex
 * FFT evaluates the polynomial at N/2 roots of X^N + 1; the other N/2 are their conjugates.
 * Made once per N (ctfhe_fft_get) and never freed.
 */
typedef struct {
    size_t polynomial_size;
    size_t half;                 /* N/2: complex values per polynomial in Fourier form */
    fftw_plan forward;           /* out-of-place, N/2 points, sign +1 */
    fftw_plan backward;          /* out-of-place, N/2 points, sign −1 */
    double *twist;               /* N/2 complex: ζ^j */
    double *untwist;             /* N/2 complex: ζ^−j / (N/2), the inverse twist and the scaling */
} ctfhe_fft;

/** The FFT of size N, made on first use under a lock. NULL if N is invalid or memory is short. */
const ctfhe_fft *ctfhe_fft_get(size_t polynomial_size);

/** Fourier form of a torus polynomial (read as signed integers). scratch: N/2 complex. */
void ctfhe_fft_forward_torus(const ctfhe_fft *fft, double *out, const uint64_t *polynomial,
                             double *scratch);
/** Fourier form of a signed integer polynomial. scratch: N/2 complex. */
void ctfhe_fft_forward_integer(const ctfhe_fft *fft, double *out, const int64_t *polynomial,
                               double *scratch);
/**
 * Back from Fourier form: out += round(inverse) mod 2^64. `in` is consumed (it may be
 * overwritten). scratch: N/2 complex.
 */
void ctfhe_fft_backward_add_torus(const ctfhe_fft *fft, uint64_t *out, double *in, double *scratch);
/** Back from Fourier form to exact integers (the caller guarantees |value| < 2^51). */
void ctfhe_fft_backward_integer(const ctfhe_fft *fft, int64_t *out, double *in, double *scratch);

/** Rounds to the nearest integer (ties to even) with plain arithmetic, for |value| < 2^51. */
static inline double ctfhe_round_small(double value) {
    const double magic = 0x1.8p52;
    return (value + magic) - magic;
}

/**
 * A double of any magnitude below 2^1000, mod 2^64 (truncated: off by less than 1 from the
 * rounded value, far below any noise). Subtracting the nearest multiple of 2^64 is exact:
 * for |x| ≥ 2^63 the ulp of x is at least 2^11, so the remainder, |r| ≤ 2^63, fits in 53 bits.
 * No libm call and no branch, so the loops around it vectorize.
 */
static inline uint64_t ctfhe_double_to_torus(double value) {
    double reduced = value - ctfhe_round_small(value * 0x1p-64) * 0x1p64;
    reduced = reduced >= 0x1p63 ? reduced - 0x1p64 : reduced;
    return (uint64_t)(int64_t)reduced;
}

/**
 * GGSW ciphertexts in Fourier form are stored in split blocks: 8 real parts then their 8
 * imaginary parts, so that the pointwise products vectorize with few shuffles. FFTW's inputs and
 * outputs stay interleaved (re, im, re, im, …).
 */
enum { CTFHE_SPLIT_BLOCK = 8 };

/* Vector arguments of inlined helpers: their ABI never crosses a call. */
#pragma clang diagnostic ignored "-Wpsabi"

/** Vectors of 8 and 16 doubles (clang vector extensions: one register with AVX-512). */
typedef double ctfhe_v8 __attribute__((ext_vector_type(8)));
typedef double ctfhe_v16 __attribute__((ext_vector_type(16)));

static inline ctfhe_v8 ctfhe_load8(const double *p) { ctfhe_v8 v; memcpy(&v, p, sizeof v); return v; }
static inline ctfhe_v16 ctfhe_load16(const double *p) { ctfhe_v16 v; memcpy(&v, p, sizeof v); return v; }
static inline void ctfhe_store8(double *p, ctfhe_v8 v) { memcpy(p, &v, sizeof v); }
static inline void ctfhe_store16(double *p, ctfhe_v16 v) { memcpy(p, &v, sizeof v); }

/** 8 interleaved complex values (re, im, …) as 8 real parts then 8 imaginary parts. */
static inline void ctfhe_split8(double *out, const double *in) {
    ctfhe_v16 v = ctfhe_load16(in);
    ctfhe_store8(out, __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14));
    ctfhe_store8(out + 8, __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15));
}

/** 8 real parts and 8 imaginary parts, interleaved (re, im, …). */
static inline void ctfhe_interleave8(double *out, ctfhe_v8 re, ctfhe_v8 im) {
    ctfhe_store16(out, __builtin_shufflevector(re, im, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
}

/** Rewrites N/2 interleaved complex values into split blocks (N/2 a multiple of 8). */
static inline void ctfhe_split_complex(double *restrict out, const double *restrict in, size_t half) {
    for (size_t block = 0; block < half; block += CTFHE_SPLIT_BLOCK) {
        ctfhe_split8(out + 2 * block, in + 2 * block);
    }
}

/** Attribute for hot loops: compiled for AVX-512, AVX2 + FMA and baseline x86-64, chosen at load time. */
#if defined(__x86_64__) && defined(__clang__)
#define CTFHE_HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CTFHE_HOT
#endif

/* ---------------------------------------------------------------- polynomials */

/**
 * out = Σᵢ masks[i] · key[i] mod (X^N + 1) over Z/2^64, exact, for `count` torus polynomials and
 * as many binary key polynomials given in Fourier form (ctfhe_glwe_key_fourier): each mask is
 * split into three signed chunks (22, 21, 21 bits) whose products with a binary polynomial are
 * exact in double precision.
 * scratch: ctfhe_binary_product_scratch_doubles(N) doubles, fftw-aligned.
 */
size_t ctfhe_binary_product_scratch_doubles(size_t polynomial_size);
void ctfhe_binary_key_product(uint64_t *out, const uint64_t *masks, const double *key_fourier,
                              size_t count, const ctfhe_fft *fft, double *scratch);

/* ---------------------------------------------------------------- encryption with scratch */

/** The Fourier forms of the k polynomials of a binary GLWE key (k·N doubles); fftw_free it. */
double *ctfhe_glwe_key_fourier(const uint64_t *key, size_t glwe_dimension, const ctfhe_fft *fft);
/** Wipes and frees what ctfhe_glwe_key_fourier returned. NULL is allowed. */
void ctfhe_glwe_key_fourier_free(double *key_fourier, size_t glwe_dimension, const ctfhe_fft *fft);
size_t ctfhe_glwe_scratch_doubles(size_t polynomial_size);
/** GLWE encryption of plaintext (NULL: zero) with a Fourier key and caller scratch. */
void ctfhe_glwe_encrypt_with(uint64_t *out, const double *key_fourier, size_t glwe_dimension,
                             const ctfhe_fft *fft, const uint64_t *plaintext, double noise_std,
                             ctfhe_csprng *masks, ctfhe_csprng *noise, double *scratch);
/**
 * GGSW ciphertexts are made row by row in standard form: row (c, ℓ) is a GLWE encryption whose
 * mask is pure generator output (so that a public seed regenerates it) and whose body carries the
 * message: the plaintext is −m·S_c·q/B^(ℓ+1) for c < k and m·q/B^(ℓ+1) for c = k. Its phase is
 * that of the textbook row (m·q/B^(ℓ+1) added to mask polynomial c), so the external product is
 * the same. scratch: ctfhe_ggsw_row_scratch_doubles(N) doubles.
 */
size_t ctfhe_ggsw_row_scratch_doubles(size_t polynomial_size);
void ctfhe_ggsw_row_encrypt_with(uint64_t *row, const uint64_t *key, const double *key_fourier,
                                 size_t glwe_dimension, const ctfhe_fft *fft, size_t base_log,
                                 size_t level, size_t component, int64_t message, double noise_std,
                                 ctfhe_csprng *masks, ctfhe_csprng *noise, double *scratch);
/** The k + 1 polynomials of a standard-form GLWE in Fourier form, split blocks. scratch: 2N doubles. */
void ctfhe_glwe_fourier_split(double *out, const uint64_t *glwe, size_t glwe_dimension,
                              const ctfhe_fft *fft, double *scratch);
size_t ctfhe_ggsw_scratch_doubles(size_t glwe_dimension, size_t polynomial_size);
/** GGSW encryption into Fourier form with the key, its Fourier form and caller scratch. */
void ctfhe_ggsw_encrypt_fourier_with(double *out, const uint64_t *key, const double *key_fourier,
                                     size_t glwe_dimension, const ctfhe_fft *fft, size_t base_log,
                                     size_t levels, int64_t message, double noise_std,
                                     ctfhe_csprng *masks, ctfhe_csprng *noise, double *scratch);
/**
 * Runs body(i, scratch, context) for i in [0, count) on `threads` threads, each thread with its
 * own zeroed scratch of scratch_doubles doubles, wiped when done. Returns the first failure.
 */
typedef ctfhe_status (*ctfhe_row_body)(size_t index, double *scratch, void *context);
ctfhe_status ctfhe_parallel_rows(size_t count, size_t scratch_doubles, int threads,
                                 ctfhe_row_body body, void *context);
/** The parameters a bootstrapping key was made for. */
const ctfhe_parameters *ctfhe_bootstrap_key_parameters(const ctfhe_bootstrap_key *key);

/* ---------------------------------------------------------------- parameters and memory */

/** 1 when the parameters describe keys the kernels can handle (sizes, bases, FFT size). */
int ctfhe_parameters_valid(const ctfhe_parameters *parameters);

/** fftw_malloc'ed doubles, zeroed; NULL on failure. Free with fftw_free. */
double *ctfhe_alloc_doubles(size_t count);

/* ---------------------------------------------------------------- decomposition */

/** Whether a decomposition of base 2^base_log and `levels` levels is one the kernels take:
 *  1 ≤ β ≤ 63, ℓ ≥ 1, β·ℓ ≤ 64. */
static inline int ctfhe_decomposition_valid(size_t base_log, size_t levels) {
    return base_log >= 1 && base_log <= 63 && levels >= 1 && base_log * levels <= 64;
}

/** out[0..words) −= digit · row[0..words): one digit's row of a keyswitch (LWE or packing). */
static inline void ctfhe_subtract_multiple(uint64_t *restrict out, const uint64_t *restrict row, uint64_t digit,
                                           size_t words) {
    for (size_t t = 0; t < words; t++) out[t] -= digit * row[t];
}

/** Rounds value to its top levels·base_log bits, returned right-aligned. */
static inline uint64_t ctfhe_decomposition_round(uint64_t value, size_t base_log, size_t levels) {
    size_t kept = base_log * levels;
    if (kept >= 64) return value;
    size_t shift = 64 - kept;
    return (value + (UINT64_C(1) << (shift - 1))) >> shift;
}

/**
 * Splits a rounded value into `levels` signed digits in [−B/2, B/2), most significant first.
 * The carry out of the top digit is dropped (it is a multiple of q).
 */
static inline void ctfhe_decompose_rounded(int64_t *digits, uint64_t rounded, size_t base_log,
                                           size_t levels) {
    const uint64_t mask = (UINT64_C(1) << base_log) - 1;
    const uint64_t half = UINT64_C(1) << (base_log - 1);
    for (size_t level = levels; level-- > 0;) {
        uint64_t digit = rounded & mask;
        rounded >>= base_log;
        uint64_t carry = (digit + (digit & half)) >> base_log;   /* 1 when digit ≥ B/2 */
        digits[level] = (int64_t)digit - (int64_t)(carry << base_log);
        rounded += carry;
    }
}

/* ---------------------------------------------------------------- keyswitch */

/** Keyswitches count ciphertexts (kN + 1 words, in_stride apart) into out ((n + 1) words each). */
void ctfhe_keyswitch_block(uint64_t *out, const uint64_t *in, size_t in_stride, size_t count,
                           const uint64_t *keyswitch_key, const ctfhe_parameters *p);

/* ---------------------------------------------------------------- threads */


#endif /* CTFHE_INTERNAL_H */
