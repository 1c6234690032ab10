/*
 * csprng.c — a cryptographically secure generator: AES-128-CTR from OpenSSL's libcrypto
 * (hardware AES where the processor has it), and rounded Gaussian samples from it.
 */
#define _GNU_SOURCE   /* sincos */
#include "internal.h"

#include <openssl/evp.h>
#include <stdlib.h>

enum { BUFFER_WORDS = 512 };   /* 4 KiB of keystream per refill */

struct ctfhe_csprng {
    EVP_CIPHER_CTX *cipher;
    uint64_t buffer[BUFFER_WORDS];
    size_t available;          /* unread words at the end of buffer */
};

static const uint64_t zeros[BUFFER_WORDS];

ctfhe_status ctfhe_csprng_create(ctfhe_csprng **out, const uint8_t seed[16], uint64_t stream) {
    *out = NULL;
    ctfhe_csprng *generator = calloc(1, sizeof *generator);
    if (generator == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    generator->cipher = EVP_CIPHER_CTX_new();
    uint8_t counter[16] = {0};
    for (int i = 0; i < 8; i++) counter[i] = (uint8_t)(stream >> (56 - 8 * i));   /* big-endian */
    if (generator->cipher == NULL ||
        EVP_EncryptInit_ex(generator->cipher, EVP_aes_128_ctr(), NULL, seed, counter) != 1) {
        ctfhe_csprng_destroy(generator);
        return CTFHE_ERROR_RANDOMNESS;
    }
    *out = generator;
    return CTFHE_OK;
}

void ctfhe_csprng_destroy(ctfhe_csprng *generator) {
    if (generator == NULL) return;
    EVP_CIPHER_CTX_free(generator->cipher);   /* wipes the key schedule */
    ctfhe_secure_zero(generator, sizeof *generator);
    free(generator);
}

/* Encrypting zeros in counter mode yields the keystream itself. */
static void keystream(ctfhe_csprng *generator, uint64_t *out, size_t words) {
    while (words > 0) {
        size_t chunk = words < BUFFER_WORDS ? words : BUFFER_WORDS;
        int written = 0;
        /* Cannot fail for a valid context in CTR mode; a failure would leave zeros, so abort. */
        if (EVP_EncryptUpdate(generator->cipher, (unsigned char *)out, &written,
                              (const unsigned char *)zeros, (int)(chunk * sizeof(uint64_t))) != 1 ||
            (size_t)written != chunk * sizeof(uint64_t)) {
            abort();
        }
        out += chunk;
        words -= chunk;
    }
}

static uint64_t next_word(ctfhe_csprng *generator) {
    if (generator->available == 0) {
        keystream(generator, generator->buffer, BUFFER_WORDS);
        generator->available = BUFFER_WORDS;
    }
    uint64_t word = generator->buffer[BUFFER_WORDS - generator->available];
    generator->buffer[BUFFER_WORDS - generator->available] = 0;
    generator->available--;
    return word;
}

void ctfhe_csprng_uniform(ctfhe_csprng *generator, uint64_t *out, size_t count) {
    size_t index = 0;
    while (index < count && generator->available > 0) out[index++] = next_word(generator);
    if (index < count) keystream(generator, out + index, count - index);
}

/* A uniform double in (0, 1]: 53 random bits. */
static double unit_interval(ctfhe_csprng *generator) {
    return (double)((next_word(generator) >> 11) + 1) * 0x1.0p-53;
}

void ctfhe_csprng_gaussian(ctfhe_csprng *generator, uint64_t *out, size_t count, double std) {
    const double scale = std * 18446744073709551616.0;
    const double two_pi = 6.283185307179586476925286766559;
    /* Box–Muller: two uniforms give two independent standard normal samples. */
    for (size_t index = 0; index < count; index += 2) {
        double radius = sqrt(-2.0 * log(unit_interval(generator)));
        double angle = two_pi * unit_interval(generator), sine, cosine;
        sincos(angle, &sine, &cosine);   /* one call for both (GNU libm) */
        out[index] = ctfhe_double_to_torus(scale * radius * cosine);
        if (index + 1 < count) out[index + 1] = ctfhe_double_to_torus(scale * radius * sine);
    }
}
