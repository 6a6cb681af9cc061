// glibc's allocator controls, which Swift's Glibc module does not export (<malloc.h>).
#ifndef QUOTEWIRE_CMALLOC_H
#define QUOTEWIRE_CMALLOC_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// Caps the number of malloc arenas (M_ARENA_MAX); returns 1 on success.
static inline int quotewire_limit_malloc_arenas(int arenas) { return mallopt(M_ARENA_MAX, arenas); }

/// Returns free heap pages to the system; returns 1 when some were released.
static inline int quotewire_release_free_heap(void) { return malloc_trim(0); }
#else
static inline int quotewire_limit_malloc_arenas(int arenas) { (void)arenas; return 0; }
static inline int quotewire_release_free_heap(void) { return 0; }
#endif

#endif
