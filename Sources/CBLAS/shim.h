// CBLAS: OpenBLAS's C interface (cblas_sgemm, ...) and its thread controls.
#include <cblas.h>

