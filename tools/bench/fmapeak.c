/*
 * fp32 FMA peak of this CPU, for comparison with the JMH FmaPeakBench: ten independent AVX2 FMA chains per thread
 * (enough to cover FMA latency x pipes), best of several repetitions.
 * Build: gcc -O2 -mfma -mavx2 -pthread tools/bench/fmapeak.c -o fmapeak; run: ./fmapeak [threads]
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define STEPS 200000000L

static float results[64];

static void *chains(void *arg) {
    long id = (long) arg;
    __m256 m = _mm256_set1_ps(0.9999f), a = _mm256_set1_ps(1e-4f);
    __m256 x0 = _mm256_set1_ps(0.1f), x1 = _mm256_set1_ps(0.2f), x2 = _mm256_set1_ps(0.3f);
    __m256 x3 = _mm256_set1_ps(0.4f), x4 = _mm256_set1_ps(0.5f), x5 = _mm256_set1_ps(0.6f);
    __m256 x6 = _mm256_set1_ps(0.7f), x7 = _mm256_set1_ps(0.8f), x8 = _mm256_set1_ps(0.9f);
    __m256 x9 = _mm256_set1_ps(1.1f);
    for (long i = 0; i < STEPS; i++) {
        x0 = _mm256_fmadd_ps(x0, m, a);
        x1 = _mm256_fmadd_ps(x1, m, a);
        x2 = _mm256_fmadd_ps(x2, m, a);
        x3 = _mm256_fmadd_ps(x3, m, a);
        x4 = _mm256_fmadd_ps(x4, m, a);
        x5 = _mm256_fmadd_ps(x5, m, a);
        x6 = _mm256_fmadd_ps(x6, m, a);
        x7 = _mm256_fmadd_ps(x7, m, a);
        x8 = _mm256_fmadd_ps(x8, m, a);
        x9 = _mm256_fmadd_ps(x9, m, a);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(x0, x1), _mm256_add_ps(x2, x3)),
                             _mm256_add_ps(_mm256_add_ps(x4, x5), _mm256_add_ps(_mm256_add_ps(x6, x7),
                                                                                _mm256_add_ps(x8, x9))));
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    results[id] = lanes[0];
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 64) {
        fprintf(stderr, "threads: expected 1..64, got %s\n", argv[1]);
        return 2;
    }
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
        pthread_t tid[64];
        double t0 = now();
        for (long i = 0; i < threads; i++) pthread_create(&tid[i], NULL, chains, (void *) i);
        for (int i = 0; i < threads; i++) pthread_join(tid[i], NULL);
        double gflops = threads * (double) STEPS * 10 * 8 * 2 / (now() - t0) / 1e9;
        if (gflops > best) best = gflops;
    }
    printf("fmapeak (C, AVX2, 10 chains/thread), %d thread(s): %.1f GFLOP/s (check %.3f)\n", threads, best,
           results[0]);
    return 0;
}
