/*
 * fft.c — the negacyclic FFT through FFTW: plans made once per size under a lock, FFTW wisdom
 * kept in a cache file, and the twisted forward and inverse transforms.
 */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { MIN_LOG_SIZE = 3, MAX_LOG_SIZE = 17 };

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static ctfhe_fft *ffts[MAX_LOG_SIZE + 1];
static char wisdom_path[4096];
static int wisdom_loaded;

void ctfhe_fft_set_wisdom_path(const char *path) {
    pthread_mutex_lock(&planner_lock);
    if (path == NULL || strlen(path) >= sizeof wisdom_path) {
        wisdom_path[0] = '\0';
    } else {
        strcpy(wisdom_path, path);
    }
    wisdom_loaded = 0;
    pthread_mutex_unlock(&planner_lock);
}

/* Writes the wisdom next to its final path, then renames it, so that a reader never sees half. */
static void save_wisdom(void) {
    if (wisdom_path[0] == '\0') return;
    char temporary[sizeof wisdom_path + 32];
    snprintf(temporary, sizeof temporary, "%s.%ld.tmp", wisdom_path, (long)getpid());
    if (fftw_export_wisdom_to_filename(temporary)) {
        if (rename(temporary, wisdom_path) != 0) remove(temporary);
    }
}

static void fft_free(ctfhe_fft *fft) {
    if (fft == NULL) return;
    if (fft->forward) fftw_destroy_plan(fft->forward);
    if (fft->backward) fftw_destroy_plan(fft->backward);
    fftw_free(fft->twist);
    fftw_free(fft->untwist);
    free(fft);
}

/* Called with planner_lock held. */
static ctfhe_fft *fft_make(size_t polynomial_size) {
    ctfhe_fft *fft = calloc(1, sizeof *fft);
    if (fft == NULL) return NULL;
    size_t half = polynomial_size / 2;
    fft->polynomial_size = polynomial_size;
    fft->half = half;
    fft->twist = ctfhe_alloc_doubles(2 * half);
    fft->untwist = ctfhe_alloc_doubles(2 * half);
    double *in = ctfhe_alloc_doubles(2 * half);
    double *out = ctfhe_alloc_doubles(2 * half);
    if (fft->twist == NULL || fft->untwist == NULL || in == NULL || out == NULL) goto fail;

    for (size_t j = 0; j < half; j++) {
        long double angle = 3.141592653589793238462643383279502884L * (long double)j / (long double)polynomial_size;
        double c = (double)cosl(angle), s = (double)sinl(angle);
        fft->twist[2 * j] = c;
        fft->twist[2 * j + 1] = s;
        fft->untwist[2 * j] = c / (double)half;
        fft->untwist[2 * j + 1] = -s / (double)half;
    }
    if (!wisdom_loaded) {
        if (wisdom_path[0] != '\0') fftw_import_wisdom_from_filename(wisdom_path);
        wisdom_loaded = 1;
    }
    unsigned flags = FFTW_MEASURE;
    /* Only a size that the wisdom lacks is measured; then the wisdom file is rewritten. */
    fft->forward = fftw_plan_dft_1d((int)half, (fftw_complex *)in, (fftw_complex *)out, FFTW_BACKWARD,
                                    flags | FFTW_WISDOM_ONLY);
    fft->backward = fftw_plan_dft_1d((int)half, (fftw_complex *)in, (fftw_complex *)out, FFTW_FORWARD,
                                     flags | FFTW_WISDOM_ONLY);
    if (fft->forward == NULL || fft->backward == NULL) {
        if (fft->forward) fftw_destroy_plan(fft->forward);
        if (fft->backward) fftw_destroy_plan(fft->backward);
        fft->forward = fftw_plan_dft_1d((int)half, (fftw_complex *)in, (fftw_complex *)out,
                                        FFTW_BACKWARD, flags);
        fft->backward = fftw_plan_dft_1d((int)half, (fftw_complex *)in, (fftw_complex *)out,
                                         FFTW_FORWARD, flags);
        save_wisdom();
    }
    fftw_free(in);
    fftw_free(out);
    if (fft->forward == NULL || fft->backward == NULL) {
        fft_free(fft);
        return NULL;
    }
    return fft;
fail:
    fftw_free(in);
    fftw_free(out);
    fft_free(fft);
    return NULL;
}

static int log2_of_power_of_two(size_t value) {
    if (value == 0 || (value & (value - 1)) != 0) return -1;
    int log = 0;
    while (((size_t)1 << log) != value) log++;
    return log;
}

const ctfhe_fft *ctfhe_fft_get(size_t polynomial_size) {
    int log = log2_of_power_of_two(polynomial_size);
    if (log < MIN_LOG_SIZE || log > MAX_LOG_SIZE) return NULL;
    /* Plans are published once and never change: a racy read that sees one is safe. */
    ctfhe_fft *fft = __atomic_load_n(&ffts[log], __ATOMIC_ACQUIRE);
    if (fft != NULL) return fft;
    pthread_mutex_lock(&planner_lock);
    fft = ffts[log];
    if (fft == NULL) {
        fft = fft_make(polynomial_size);
        __atomic_store_n(&ffts[log], fft, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&planner_lock);
    return fft;
}

ctfhe_status ctfhe_fft_prepare(size_t polynomial_size) {
    return ctfhe_fft_get(polynomial_size) != NULL ? CTFHE_OK : CTFHE_ERROR_INVALID_ARGUMENT;
}

CTFHE_HOT void ctfhe_fft_forward_integer(const ctfhe_fft *fft, double *out, const int64_t *polynomial,
                               double *scratch) {
    const size_t half = fft->half;
    const double *twist = fft->twist;
    for (size_t j = 0; j < half; j++) {
        double re = (double)polynomial[j];
        double im = (double)polynomial[j + half];
        scratch[2 * j] = re * twist[2 * j] - im * twist[2 * j + 1];
        scratch[2 * j + 1] = re * twist[2 * j + 1] + im * twist[2 * j];
    }
    fftw_execute_dft(fft->forward, (fftw_complex *)scratch, (fftw_complex *)out);
}

/* A torus coefficient read as a signed integer has the same bits: one transform serves both. */
void ctfhe_fft_forward_torus(const ctfhe_fft *fft, double *out, const uint64_t *polynomial,
                             double *scratch) {
    ctfhe_fft_forward_integer(fft, out, (const int64_t *)polynomial, scratch);
}

CTFHE_HOT void ctfhe_fft_backward_add_torus(const ctfhe_fft *fft, uint64_t *out, double *in, double *scratch) {
    const size_t half = fft->half;
    const double *untwist = fft->untwist;
    fftw_execute_dft(fft->backward, (fftw_complex *)in, (fftw_complex *)scratch);
    for (size_t j = 0; j < half; j++) {
        double re = scratch[2 * j], im = scratch[2 * j + 1];
        double low = re * untwist[2 * j] - im * untwist[2 * j + 1];
        double high = re * untwist[2 * j + 1] + im * untwist[2 * j];
        out[j] += ctfhe_double_to_torus(low);
        out[j + half] += ctfhe_double_to_torus(high);
    }
}

CTFHE_HOT void ctfhe_fft_backward_integer(const ctfhe_fft *fft, int64_t *out, double *in, double *scratch) {
    const size_t half = fft->half;
    const double *untwist = fft->untwist;
    fftw_execute_dft(fft->backward, (fftw_complex *)in, (fftw_complex *)scratch);
    for (size_t j = 0; j < half; j++) {
        double re = scratch[2 * j], im = scratch[2 * j + 1];
        out[j] = (int64_t)ctfhe_round_small(re * untwist[2 * j] - im * untwist[2 * j + 1]);
        out[j + half] = (int64_t)ctfhe_round_small(re * untwist[2 * j + 1] + im * untwist[2 * j]);
    }
}

double *ctfhe_fft_buffer_create(size_t count) { return ctfhe_alloc_doubles(count); }

void ctfhe_fft_buffer_destroy(double *buffer) { fftw_free(buffer); }

ctfhe_status ctfhe_fft_forward(double *out, const uint64_t *polynomial, size_t polynomial_size,
                               double *scratch) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    ctfhe_fft_forward_torus(fft, out, polynomial, scratch);
    return CTFHE_OK;
}

ctfhe_status ctfhe_fft_backward(uint64_t *out, double *in, size_t polynomial_size, double *scratch) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    memset(out, 0, sizeof(uint64_t) * polynomial_size);
    ctfhe_fft_backward_add_torus(fft, out, in, scratch);
    return CTFHE_OK;
}

ctfhe_status ctfhe_polynomial_multiply_fft(uint64_t *out, const uint64_t *torus,
                                           const int64_t *integer, size_t polynomial_size) {
    const ctfhe_fft *fft = ctfhe_fft_get(polynomial_size);
    if (fft == NULL) return CTFHE_ERROR_INVALID_ARGUMENT;
    const size_t half = fft->half;
    double *buffers = ctfhe_alloc_doubles(6 * half);
    if (buffers == NULL) return CTFHE_ERROR_OUT_OF_MEMORY;
    double *a = buffers, *b = buffers + 2 * half, *scratch = buffers + 4 * half;
    ctfhe_fft_forward_torus(fft, a, torus, scratch);
    ctfhe_fft_forward_integer(fft, b, integer, scratch);
    for (size_t j = 0; j < half; j++) {
        double re = a[2 * j] * b[2 * j] - a[2 * j + 1] * b[2 * j + 1];
        double im = a[2 * j] * b[2 * j + 1] + a[2 * j + 1] * b[2 * j];
        a[2 * j] = re;
        a[2 * j + 1] = im;
    }
    memset(out, 0, sizeof(uint64_t) * polynomial_size);
    ctfhe_fft_backward_add_torus(fft, out, a, scratch);
    fftw_free(buffers);
    return CTFHE_OK;
}
