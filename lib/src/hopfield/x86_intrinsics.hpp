#pragma once
// <immintrin.h> for the hopfield kernels. GCC 12 warns inside its own AVX-512 intrinsics (their "undefined"
// pass-through operand, GCC bug 105593); the warning is about the header, not the code that includes it.
#if defined(__x86_64__)
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#endif
