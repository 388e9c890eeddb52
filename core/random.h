/* random.h -- the generator's pseudo-random starts: splitmix64, so that
 * every machine draws the same numbers (rand() differs between C libraries)
 * and the generator's output stays byte-identical. */
#ifndef SPOW_GEN_RANDOM_H
#define SPOW_GEN_RANDOM_H

#include <stdint.h>

/* A uniform double in [-1, 1), advancing *state. */
static inline double spow_uniform_pm1(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-52 - 1.0;
}

#endif /* SPOW_GEN_RANDOM_H */
