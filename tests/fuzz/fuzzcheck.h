#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of the code under fuzzing: a violation is a crash, which libFuzzer records with
// the input that caused it (and the replay test reports by name).
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
