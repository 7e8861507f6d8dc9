// sgemm GFLOP/s of the same C program linked against OpenBLAS or BLIS (Debian libblis-dev 0.9.0, OpenMP build).
// gcc -O2 blis_vs_openblas.c -o gemm_openblas -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas
// gcc -O2 blis_vs_openblas.c -o gemm_blis -L/usr/lib/x86_64-linux-gnu/blis-openmp -lblis -Wl,-rpath,/usr/lib/x86_64-linux-gnu/blis-openmp
// OPENBLAS_NUM_THREADS=n ./gemm_openblas ; BLIS_NUM_THREADS=n OMP_NUM_THREADS=n ./gemm_blis
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
enum {RowMajor = 101, NoTrans = 111};
void cblas_sgemm(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static int cmp(const void *a, const void *b) { double x = *(double*)a, y = *(double*)b; return x < y ? -1 : x > y; }
int main(void) {
    int shapes[5][3] = {{256,256,256},{512,512,512},{1024,1024,1024},{2048,2048,2048},{64,1024,2048}};
    for (int s = 0; s < 5; s++) {
        int m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
        float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
        for (int i = 0; i < m * k; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
        for (int i = 0; i < k * n; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;
        cblas_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
        double t[7];
        for (int r = 0; r < 7; r++) { double t0 = now(); cblas_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1, a, k, b, n, 0, c, n); t[r] = now() - t0; }
        qsort(t, 7, sizeof(double), cmp);
        printf("[%d x %d] x [%d x %d]\t%.3f ms\t%.1f GFLOP/s\n", m, k, k, n, t[3], 2.0 * m * k * n / (t[3] * 1e6));
        free(a); free(b); free(c);
    }
    return 0;
}
