/*
 * memory.c — aligned allocation for FFT buffers and wiping of secret material.
 */
#include "internal.h"

#include <string.h>

double *ctfhe_alloc_doubles(size_t count) {
    double *buffer = fftw_malloc(sizeof(double) * (count > 0 ? count : 1));
    if (buffer != NULL) memset(buffer, 0, sizeof(double) * count);
    return buffer;
}

void ctfhe_secure_zero(void *buffer, size_t byte_count) {
    if (buffer == NULL || byte_count == 0) return;
    memset(buffer, 0, byte_count);
    /* The barrier tells the compiler that the zeros are read, so the memset stays. */
    __asm__ __volatile__("" : : "r"(buffer) : "memory");
}
