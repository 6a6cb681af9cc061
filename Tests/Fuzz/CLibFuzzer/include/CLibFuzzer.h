#ifndef QUOTEWIRE_CLIBFUZZER_H
#define QUOTEWIRE_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, in the runtime that `-sanitize=fuzzer` links: parses libFuzzer's flags from
/// argc/argv and runs the fuzzing loop with `callback` as the target. quotewire-fuzz calls it from
/// its own entry point (SwiftPM renames an executable's `main`, so libFuzzer's `main` cannot be used).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
