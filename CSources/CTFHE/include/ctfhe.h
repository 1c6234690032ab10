/*
 * ctfhe.h — the C kernels of swift-fhe: TFHE over the torus Z/2^64.
 *
 * Conventions (see DESIGN.md §3):
 *  - Torus values are uint64_t; wrapping arithmetic is the torus arithmetic.
 *  - An LWE ciphertext of dimension n is n + 1 words: the mask a[0..n) then the body b.
 *  - A GLWE ciphertext is (k + 1) polynomials of N words: the k masks then the body.
 *  - Secret keys are arrays of 0/1 words. A GLWE key (k polynomials of N words) read as
 *    one array of kN words is the LWE key that sample extraction produces.
 *  - A GGSW ciphertext in Fourier form holds (k + 1)·ℓ rows of (k + 1) polynomials, each
 *    polynomial N/2 complex values (interleaved re, im doubles) of the twisted FFT.
 *  - Outputs come first, inputs are const. Functions that can fail return a ctfhe_status.
 *
 * Threads: batched functions take a thread count; 0 means ctfhe_default_thread_count().
 * Results never depend on the thread count.
 */
#ifndef CTFHE_H
#define CTFHE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes of the functions that can fail. */
typedef enum {
    CTFHE_OK = 0,
    CTFHE_ERROR_OUT_OF_MEMORY = 1,
    CTFHE_ERROR_INVALID_ARGUMENT = 2,
    CTFHE_ERROR_RANDOMNESS = 3,
} ctfhe_status;

/** The largest k the kernels accept: their per-column stack arrays hold k + 1 entries. */
#define CTFHE_MAX_GLWE_DIMENSION 16

/** The shape of a TFHE parameter set, as the kernels need it (noise lives in Swift).
 *  Every kernel that takes one refuses k = 0, k > CTFHE_MAX_GLWE_DIMENSION, N outside the
 *  FFT sizes, and decompositions outside 1 ≤ β ≤ 63, ℓ ≥ 1, β·ℓ ≤ 64. */
typedef struct {
    size_t lwe_dimension;    /**< n: the small LWE dimension (keyswitch output, PBS input). */
    size_t glwe_dimension;   /**< k: mask polynomials per GLWE ciphertext. */
    size_t polynomial_size;  /**< N: a power of two. */
    size_t pbs_base_log;     /**< β: log2 of the PBS decomposition base. */
    size_t pbs_level_count;  /**< ℓ: PBS decomposition levels. */
    size_t ks_base_log;      /**< β_ks: log2 of the keyswitch decomposition base. */
    size_t ks_level_count;   /**< ℓ_ks: keyswitch decomposition levels. */
} ctfhe_parameters;

/* ---------------------------------------------------------------- threads, memory */

/** The most threads a batch runs on; larger requests are refused by Swift and capped here. */
#define CTFHE_MAX_THREADS 4096

/** Threads a batch uses when asked for 0: $FHE_NUM_THREADS if set and in 1…CTFHE_MAX_THREADS, else all cores (1 without OpenMP). */
int ctfhe_default_thread_count(void);

/** 1 when the kernels were built with OpenMP, 0 when batches run on one thread. */
int ctfhe_openmp_enabled(void);

/** The thread count a batch asked for `requested` runs on: requested if positive (at most
 *  CTFHE_MAX_THREADS), else ctfhe_default_thread_count(); 1 without OpenMP. The one definition:
 *  Swift's Threading.resolved calls it. */
int ctfhe_resolve_threads(int requested);

/** Overwrites byte_count bytes with zeros in a way the compiler may not elide. */
void ctfhe_secure_zero(void *buffer, size_t byte_count);

/* ---------------------------------------------------------------- FFT */

/**
 * Sets the FFTW wisdom file: read before the first plan is made, rewritten after new plans.
 * NULL or "" disables the cache. Call before the first FFT; thread-safe.
 */
void ctfhe_fft_set_wisdom_path(const char *path);

/**
 * Makes (once per process) the FFTW plans and twist tables for polynomial size N.
 * Thread-safe and idempotent; every other function calls it as needed.
 * Fails for N not a power of two in [8, 2^17].
 */
ctfhe_status ctfhe_fft_prepare(size_t polynomial_size);

/** A buffer of `count` doubles with FFTW's alignment, zeroed (NULL if out of memory). */
double *ctfhe_fft_buffer_create(size_t count);
/** Frees a buffer from ctfhe_fft_buffer_create. NULL is allowed. */
void ctfhe_fft_buffer_destroy(double *buffer);

/**
 * The Fourier form of a torus polynomial (coefficients read as signed integers): N/2 complex
 * values, interleaved, in `out` (N doubles). out and scratch (N doubles) come from
 * ctfhe_fft_buffer_create. Cost: one twist and one N/2-point FFT.
 */
ctfhe_status ctfhe_fft_forward(double *out, const uint64_t *polynomial, size_t polynomial_size,
                               double *scratch);

/**
 * Back from Fourier form: out = round(inverse FFT) mod 2^64. `in` may be overwritten.
 * in and scratch (N doubles each) come from ctfhe_fft_buffer_create.
 */
ctfhe_status ctfhe_fft_backward(uint64_t *out, double *in, size_t polynomial_size, double *scratch);

/**
 * out = torus · integer mod (X^N + 1), through the negacyclic FFT: one forward FFT of each
 * operand, a pointwise product, one inverse FFT. Approximate: the error grows with the size of
 * the integer coefficients (the FFT noise of DESIGN.md §3). Cost: 3 FFTs of N/2 points.
 */
ctfhe_status ctfhe_polynomial_multiply_fft(uint64_t *out, const uint64_t *torus,
                                           const int64_t *integer, size_t polynomial_size);

/* ---------------------------------------------------------------- randomness */

/** A cryptographically secure generator: AES-128 in counter mode (OpenSSL) keyed by a seed. */
typedef struct ctfhe_csprng ctfhe_csprng;

/**
 * Creates a generator for stream `stream` of the 16-byte seed: the AES key is the seed and the
 * counter starts at stream · 2^64, so distinct streams never overlap.
 */
ctfhe_status ctfhe_csprng_create(ctfhe_csprng **out, const uint8_t seed[16], uint64_t stream);
/** Destroys a generator and wipes its state. NULL is allowed. */
void ctfhe_csprng_destroy(ctfhe_csprng *generator);
/** Fills out with uniform 64-bit words. */
void ctfhe_csprng_uniform(ctfhe_csprng *generator, uint64_t *out, size_t count);
/** Fills out with rounded Gaussian samples of standard deviation std·2^64 (std a fraction of q), mod 2^64. */
void ctfhe_csprng_gaussian(ctfhe_csprng *generator, uint64_t *out, size_t count, double std);

/* ---------------------------------------------------------------- decomposition */

/**
 * Signed gadget decomposition of each value: rounds to its top levels·base_log bits, then splits
 * into `levels` digits in [−B/2, B/2), B = 2^base_log, most significant first:
 * digits[v·levels + j] multiplies q / B^(j+1).
 */
void ctfhe_decompose(int64_t *digits, const uint64_t *values, size_t count,
                     size_t base_log, size_t levels);

/* ---------------------------------------------------------------- LWE, GLWE, GGSW */

/** Encrypts the torus value `plaintext` under `key` (n words): masks from `masks`, noise from `noise`. */
void ctfhe_lwe_encrypt(uint64_t *out, const uint64_t *key, size_t lwe_dimension, uint64_t plaintext,
                       double noise_std, ctfhe_csprng *masks, ctfhe_csprng *noise);

/** The phase b − ⟨a, s⟩ of an LWE ciphertext: the plaintext plus the noise. */
uint64_t ctfhe_lwe_phase(const uint64_t *ciphertext, const uint64_t *key, size_t lwe_dimension);

/** Encrypts the polynomial `plaintext` (N torus words) under the GLWE key; exact mask·key products. */
ctfhe_status ctfhe_glwe_encrypt(uint64_t *out, const uint64_t *key, size_t glwe_dimension,
                                size_t polynomial_size, const uint64_t *plaintext, double noise_std,
                                ctfhe_csprng *masks, ctfhe_csprng *noise);

/** The phase B − Σ Aᵢ·Sᵢ of a GLWE ciphertext (N words), exact. */
ctfhe_status ctfhe_glwe_phase(uint64_t *out, const uint64_t *ciphertext, const uint64_t *key,
                              size_t glwe_dimension, size_t polynomial_size);

/** Doubles in one GGSW ciphertext in Fourier form: (k+1)·ℓ·(k+1)·N (N/2 complex per polynomial). */
size_t ctfhe_ggsw_fourier_double_count(size_t glwe_dimension, size_t polynomial_size, size_t levels);

/** Encrypts the small integer `message` as a GGSW ciphertext and stores it in Fourier form. */
ctfhe_status ctfhe_ggsw_encrypt_fourier(double *out, const uint64_t *key, size_t glwe_dimension,
                                        size_t polynomial_size, size_t base_log, size_t levels,
                                        int64_t message, double noise_std,
                                        ctfhe_csprng *masks, ctfhe_csprng *noise);

/** out += ggsw ⊡ glwe, the external product. Cost: (k+1)·ℓ forward FFTs, k+1 inverse FFTs. */
ctfhe_status ctfhe_external_product(uint64_t *out, const double *ggsw, const uint64_t *glwe,
                                    size_t glwe_dimension, size_t polynomial_size,
                                    size_t base_log, size_t levels);

/** CMux(ggsw(b), c0, c1) = c0 + ggsw ⊡ (c1 − c0), written to out. */
ctfhe_status ctfhe_cmux(uint64_t *out, const double *ggsw, const uint64_t *c0, const uint64_t *c1,
                        size_t glwe_dimension, size_t polynomial_size,
                        size_t base_log, size_t levels);

/* ---------------------------------------------------------------- the PBS pieces */

/** Switches each of the count torus values to Z/2N: round(v · 2N / 2^64) mod 2N. */
void ctfhe_modulus_switch(uint64_t *out, const uint64_t *values, size_t count, size_t polynomial_size);

/** Extracts coefficient 0 of a GLWE ciphertext as an LWE ciphertext of dimension kN. */
void ctfhe_sample_extract(uint64_t *out, const uint64_t *glwe, size_t glwe_dimension,
                          size_t polynomial_size);

/** Extracts coefficient `index` (< N) of a GLWE ciphertext as an LWE ciphertext of dimension kN. */
void ctfhe_sample_extract_at(uint64_t *out, const uint64_t *glwe, size_t glwe_dimension, size_t polynomial_size,
                             size_t index);

/**
 * Builds the test polynomial (N words) of a table of `table_size` torus values (a power of two
 * ≤ N): input m owns the box of N/table_size coefficients centred on m·N/table_size; the last
 * half box holds −table[0] (negacyclic wrap).
 */
ctfhe_status ctfhe_test_polynomial(uint64_t *out, size_t polynomial_size,
                                   const uint64_t *table, size_t table_size);

/* ---------------------------------------------------------------- WoP-PBS (wop_pbs.c) */

/** Words of one packing keyswitch key: (n + 1)·ℓ GLWE ciphertexts for inputs of dimension n. */
size_t ctfhe_packing_key_word_count(size_t input_dimension, size_t glwe_dimension, size_t polynomial_size,
                                    size_t levels);

/**
 * Generates the private functional packing keyswitch key of GGSW component `component` (≤ k):
 * from LWE ciphertexts under `input_key` (n words) to GLWE ciphertexts under `glwe_key` whose
 * phase is −S_c times the input's phase (c < k) or the input's phase (c = k). Input word i's
 * rows draw from stream c·(n + 1) + i of both seeds, so the key depends only on the seeds and
 * keys. With `bodies_only`, `out` gets N words per GLWE ciphertext (its body): the seeded form.
 */
ctfhe_status ctfhe_packing_key_generate(uint64_t *out, int bodies_only, const uint64_t *input_key, size_t input_dimension,
                                        const uint64_t *glwe_key, size_t glwe_dimension, size_t polynomial_size,
                                        size_t base_log, size_t levels, size_t component, double noise_std,
                                        const uint8_t mask_seed[16], const uint8_t noise_seed[16]);

/** The packing keyswitch key of seeded bodies: regenerates every mask from `mask_seed`. */
ctfhe_status ctfhe_packing_key_expand(uint64_t *out, const uint64_t *bodies, size_t input_dimension, size_t glwe_dimension,
                                      size_t polynomial_size, size_t base_log, size_t levels, size_t component,
                                      const uint8_t mask_seed[16]);

/**
 * The packing keyswitch of `count` LWE ciphertexts (n + 1 words each) with `key`, into `count`
 * GLWE ciphertexts ((k + 1)·N words each), on `threads` threads.
 */
ctfhe_status ctfhe_packing_keyswitch(uint64_t *out, const uint64_t *in, size_t count, const uint64_t *key,
                                     size_t input_dimension, size_t glwe_dimension, size_t polynomial_size,
                                     size_t base_log, size_t levels, int threads);

/**
 * Circuit bootstrapping's last step: the Fourier GGSWs (ctfhe_ggsw_fourier_double_count doubles
 * each) of `bit_count` bits from their LWE ciphertexts of dimension n, bit-major: bit i's level l
 * encrypts b_i·q/B^(l+1), B the GGSWs' base. `packing_keys` holds the k + 1 packing keys in
 * component order.
 */
ctfhe_status ctfhe_circuit_bootstrap_ggsws(double *out, const uint64_t *level_ciphertexts, size_t bit_count,
                                           size_t input_dimension, const uint64_t *const *packing_keys,
                                           size_t glwe_dimension, size_t polynomial_size, size_t levels,
                                           size_t packing_base_log, size_t packing_levels, int threads);

/**
 * Vertical packing: the LWE ciphertext (kN + 1 words) of table[x] for the x whose `bit_count`
 * bits (≤ 24) are encrypted in `ggsws` (Fourier GGSWs, least significant bit first; their
 * decomposition base_log and levels). The table has 2^bit_count torus entries; the bits above
 * log2 N select a polynomial through a CMux tree, the low ones rotate it.
 */
ctfhe_status ctfhe_vertical_packing(uint64_t *out, const uint64_t *table, size_t bit_count,
                                    const double *ggsws, size_t glwe_dimension, size_t polynomial_size,
                                    size_t base_log, size_t levels);

/* ---------------------------------------------------------------- keys */

/** A bootstrapping key in Fourier form: n GGSW encryptions of the LWE key bits under the GLWE key. */
typedef struct ctfhe_bootstrap_key ctfhe_bootstrap_key;

/**
 * Generates a bootstrapping key. Row i uses streams i of both seeds, so the key depends only on
 * the seeds and keys, not on `threads`. Cost: n·(k+1)·ℓ GLWE encryptions and their FFTs.
 */
ctfhe_status ctfhe_bootstrap_key_create(ctfhe_bootstrap_key **out, const ctfhe_parameters *parameters,
                                        const uint64_t *lwe_key, const uint64_t *glwe_key,
                                        double glwe_noise_std, const uint8_t mask_seed[16],
                                        const uint8_t noise_seed[16], int threads);
/*
 * Seeded keys (the wire form of evaluation keys): every key ciphertext's mask is regenerated
 * from the public mask seed (stream i for GGSW i or keyswitch input i, as in the functions
 * above), so only bodies travel. The expanded keys equal the ones created from the same seeds.
 */

/** Words of a seeded bootstrapping key: n·(k+1)·ℓ body polynomials of N words. */
size_t ctfhe_seeded_bootstrap_key_word_count(const ctfhe_parameters *parameters);

/** The bodies of the bootstrapping key that ctfhe_bootstrap_key_create makes from the same seeds. */
ctfhe_status ctfhe_seeded_bootstrap_key_generate(uint64_t *bodies, const ctfhe_parameters *parameters,
                                                 const uint64_t *lwe_key, const uint64_t *glwe_key,
                                                 double glwe_noise_std, const uint8_t mask_seed[16],
                                                 const uint8_t noise_seed[16], int threads);

/** The Fourier bootstrapping key of seeded bodies: regenerates the masks, then FFTs every row. */
ctfhe_status ctfhe_bootstrap_key_expand(ctfhe_bootstrap_key **out, const ctfhe_parameters *parameters,
                                        const uint64_t *bodies, const uint8_t mask_seed[16], int threads);

/** Destroys a bootstrapping key. NULL is allowed. */
void ctfhe_bootstrap_key_destroy(ctfhe_bootstrap_key *key);
/** Bytes that the Fourier bootstrapping key occupies in memory. */
size_t ctfhe_bootstrap_key_byte_count(const ctfhe_parameters *parameters);
/** The GGSW of LWE key bit i, in Fourier form (for tests and benchmarks). */
const double *ctfhe_bootstrap_key_ggsw(const ctfhe_bootstrap_key *key, size_t index);

/** Words in a keyswitching key: kN · ℓ_ks · (n + 1). */
size_t ctfhe_keyswitch_key_word_count(const ctfhe_parameters *parameters);

/**
 * Generates the keyswitching key from the GLWE key read as an LWE key of dimension kN (input)
 * to the LWE key of dimension n: row (i, j) encrypts input bit i times q / B_ks^(j+1).
 * Input bit i uses streams i of both seeds.
 */
ctfhe_status ctfhe_keyswitch_key_generate(uint64_t *out, const ctfhe_parameters *parameters,
                                          const uint64_t *glwe_key, const uint64_t *lwe_key,
                                          double lwe_noise_std, const uint8_t mask_seed[16],
                                          const uint8_t noise_seed[16], int threads);

/** Words of a seeded keyswitching key: kN·ℓ_ks bodies. */
size_t ctfhe_seeded_keyswitch_key_word_count(const ctfhe_parameters *parameters);

/** The bodies (the last word of each row) of the key that ctfhe_keyswitch_key_generate makes from the same seeds. */
ctfhe_status ctfhe_seeded_keyswitch_key_generate(uint64_t *bodies, const ctfhe_parameters *parameters,
                                                 const uint64_t *glwe_key, const uint64_t *lwe_key,
                                                 double lwe_noise_std, const uint8_t mask_seed[16],
                                                 const uint8_t noise_seed[16], int threads);

/** The keyswitching key (ctfhe_keyswitch_key_word_count words) of seeded bodies: regenerates the masks. */
ctfhe_status ctfhe_keyswitch_key_expand(uint64_t *out, const ctfhe_parameters *parameters,
                                        const uint64_t *bodies, const uint8_t mask_seed[16],
                                        int threads);

/* ---------------------------------------------------------------- keyswitch and PBS */

/** Keyswitches count ciphertexts of dimension kN (kN + 1 words each) to dimension n. */
ctfhe_status ctfhe_keyswitch(uint64_t *out, const uint64_t *in, size_t count,
                             const uint64_t *keyswitch_key, const ctfhe_parameters *parameters,
                             int threads);

/**
 * Programmable bootstrapping of count LWE ciphertexts of dimension n: blind rotation of the test
 * polynomial(s) then sample extraction, giving ciphertexts of dimension kN. test_polynomials holds
 * one polynomial (shared) or count (one each), as `test_polynomial_count` says.
 * The key is walked once per block of ciphertexts; blocks run in parallel.
 */
ctfhe_status ctfhe_programmable_bootstrap(uint64_t *out, const uint64_t *in, size_t count,
                                          const uint64_t *test_polynomials,
                                          size_t test_polynomial_count,
                                          const ctfhe_bootstrap_key *bootstrap_key, int threads);

/**
 * The atomic pattern: keyswitch (kN → n) then PBS (n → kN) for count ciphertexts of dimension kN.
 * Equivalent to ctfhe_keyswitch followed by ctfhe_programmable_bootstrap, fused per block.
 */
ctfhe_status ctfhe_keyswitch_bootstrap(uint64_t *out, const uint64_t *in, size_t count,
                                       const uint64_t *test_polynomials, size_t test_polynomial_count,
                                       const uint64_t *keyswitch_key,
                                       const ctfhe_bootstrap_key *bootstrap_key, int threads);

/**
 * The atomic pattern with 2^lut_log lookups per PBS (many-LUT): each input is modulus-switched to
 * a multiple of 2^lut_log in [0, 2N), so that coefficient j of its accumulator is coefficient
 * φ̃ + j of the test polynomial; coefficients 0 … 2^lut_log − 1 are extracted. out holds
 * count · 2^lut_log ciphertexts of dimension kN, input-major. The modulus switch's rounding grows
 * 2^lut_log-fold (that of a PBS at N / 2^lut_log). 2^lut_log ≤ N.
 */
ctfhe_status ctfhe_keyswitch_bootstrap_many(uint64_t *out, const uint64_t *in, size_t count,
                                            const uint64_t *test_polynomials, size_t test_polynomial_count,
                                            unsigned lut_log, const uint64_t *keyswitch_key,
                                            const ctfhe_bootstrap_key *bootstrap_key, int threads);

#ifdef __cplusplus
}
#endif

#endif /* CTFHE_H */
