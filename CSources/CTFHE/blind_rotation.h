/*
 * blind_rotation.h — what the batched PBS (bootstrap.c) and the two-thread rotation
 * (split_rotation.c) share: the modulus switch and the start of a rotation. Internal to the kernels.
 */
#ifndef CTFHE_BLIND_ROTATION_H
#define CTFHE_BLIND_ROTATION_H

#include "internal.h"

static inline uint64_t modulus_switch(uint64_t value, unsigned log_modulus) {
    /* round(value · 2^log_modulus / 2^64) mod 2^log_modulus */
    return ((value >> (63 - log_modulus)) + 1) >> 1 & ((UINT64_C(1) << log_modulus) - 1);
}

static inline unsigned log2_size(size_t value) {
    unsigned log = 0;
    while (((size_t)1 << log) < value) log++;
    return log;
}

/*
 * Modulus-switches one input ((n + 1) words) into `switched`, to multiples of 2^lut_log in
 * [0, 2N) (0 for one lookup per PBS), and sets the accumulator to X^(−b̃) · T, a trivial GLWE
 * (zero masks).
 */
void ctfhe_start_rotation(uint64_t *accumulator, uint64_t *switched, const uint64_t *in, const uint64_t *test,
                          const ctfhe_parameters *p, unsigned lut_log);

/* Whether sharing one ciphertext's blind rotation between two threads beats one thread. */
int ctfhe_split_pays(const ctfhe_parameters *p);

/*
 * Bootstraps one ciphertext of dimension n with two threads sharing its blind rotation. Returns
 * 0, having done nothing, when OpenMP does not give two threads (the caller then runs it on one);
 * else 1, with the outcome in *status. Only with OpenMP.
 */
int ctfhe_bootstrap_one_split(uint64_t *out, const uint64_t *in, const uint64_t *test,
                              const ctfhe_bootstrap_key *key, ctfhe_status *status);

#endif /* CTFHE_BLIND_ROTATION_H */
