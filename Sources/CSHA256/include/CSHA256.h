// SHA-256 block compression with the x86 SHA extensions (SHA-NI), for Pipeline's SHA256.
// The Swift implementation stays the reference and the fallback; this is used only when the CPU has the
// extensions (checked at run time, so the package builds and runs on any x86-64 or other CPU).
#ifndef CAPM_CSHA256_H
#define CAPM_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU can run `capm_sha256_compress_ni` (SHA, SSSE3 and SSE4.1), else 0.
int capm_sha256_ni_available(void);

/// Compresses `blocks` consecutive 64-byte blocks at `data` into `state` (FIPS 180-4 §6.2.2, H0…H7 in order).
/// Call only when `capm_sha256_ni_available()` returned 1.
void capm_sha256_compress_ni(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
