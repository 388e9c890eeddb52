/* both_types.h -- includes SPOW_IMPL (an *_impl.h file's name) once for
 * double and once for float, with SPOW_T and SPOW_FN(name) defined, for the
 * files whose bodies need nothing else per type (norm.c, gemm_none.c).
 * No include guard on purpose. */
#define SPOW_T double
#define SPOW_FN(name) name##_f64
#include SPOW_IMPL
#undef SPOW_T
#undef SPOW_FN

#define SPOW_T float
#define SPOW_FN(name) name##_f32
#include SPOW_IMPL
#undef SPOW_T
#undef SPOW_FN
