#ifndef CAPM_CLAPACK_SHIM_H
#define CAPM_CLAPACK_SHIM_H
// C bridge to Debian's OpenBLAS (CBLAS interface + thread control) and LAPACKE.
// Packages: libopenblas-dev (cblas.h, libopenblas), liblapacke-dev (lapacke.h, liblapacke).
#include <cblas.h>
#include <lapacke.h>
#endif
