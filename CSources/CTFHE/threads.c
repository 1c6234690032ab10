/*
 * threads.c — the thread count of batched kernels, and memory wiping.
 */
#include "internal.h"

#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int ctfhe_openmp_enabled(void) {
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

int ctfhe_default_thread_count(void) {
#ifndef _OPENMP
    return 1;
#else
    const char *variable = getenv("FHE_NUM_THREADS");
    if (variable != NULL) {
        char *end = NULL;
        long value = strtol(variable, &end, 10);
        if (end != variable && *end == '\0' && value > 0 && value <= 4096) return (int)value;
    }
    return omp_get_num_procs();
#endif
}

int ctfhe_resolve_threads(int requested) {
#ifdef _OPENMP
    return requested > 0 ? requested : ctfhe_default_thread_count();
#else
    (void)requested;
    return 1;
#endif
}

void ctfhe_secure_zero(void *buffer, size_t byte_count) {
    if (buffer == NULL || byte_count == 0) return;
    memset(buffer, 0, byte_count);
    /* The barrier tells the compiler that the zeros are read, so the memset stays. */
    __asm__ __volatile__("" : : "r"(buffer) : "memory");
}
