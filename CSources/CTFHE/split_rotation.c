/*
 * split_rotation.c — one ciphertext's blind rotation shared by two threads (a single lookup has
 * no other ciphertext to give the second core), with one handshake per CMux. Only with OpenMP.
 */
#include "blind_rotation.h"
#include "external_product.h"

#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#include <sched.h>
#include <stdatomic.h>

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
        transform_inputs(digit, accumulator, rotation, first, end, w, 0);
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
int ctfhe_split_pays(const ctfhe_parameters *p) {
    return p->polynomial_size >= 4096 && (p->glwe_dimension + 1) % 2 == 0;
}

/*
 * Bootstraps one ciphertext of dimension n with two threads sharing its blind rotation
 * (split_rotation): a single lookup has no other ciphertext to give the second core. Returns 0,
 * having done nothing, when OpenMP does not give two threads (the caller then runs it on one);
 * else 1, with the outcome in *status.
 */
int ctfhe_bootstrap_one_split(uint64_t *out, const uint64_t *in, const uint64_t *test,
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
        ctfhe_start_rotation(accumulator, switched, in, test, p, 0);
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
