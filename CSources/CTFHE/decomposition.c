/*
 * decomposition.c — the signed gadget decomposition, exposed for tests (the hot paths inline it).
 */
#include "internal.h"

void ctfhe_decompose(int64_t *digits, const uint64_t *values, size_t count, size_t base_log,
                     size_t levels) {
    for (size_t index = 0; index < count; index++) {
        uint64_t rounded = ctfhe_decomposition_round(values[index], base_log, levels);
        ctfhe_decompose_rounded(digits + index * levels, rounded, base_log, levels);
    }
}
