// The functions are static inline in include/CMalloc.h; SwiftPM needs one source file.
