#!/usr/bin/env python3
"""Copies the fuzz inputs that share no 24-byte run with any file under the given third-party
folders, so inputs mutated from third-party text never enter the repository.

    fuzz_clean.py SOURCE_DIR DEST_DIR THIRD_PARTY_DIR...
"""
import os
import sys

RUN = 24


def runs(folders):
    seen = set()
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                with open(os.path.join(parent, name), "rb") as handle:
                    data = handle.read()
                seen.update(data[i:i + RUN] for i in range(len(data) - RUN + 1))
    return seen


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source, dest, folders = sys.argv[1], sys.argv[2], [f for f in sys.argv[3:] if os.path.isdir(f)]
    third_party = runs(folders)
    os.makedirs(dest, exist_ok=True)
    kept = dropped = 0
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), "rb") as handle:
            data = handle.read()
        if any(data[i:i + RUN] in third_party for i in range(len(data) - RUN + 1)):
            dropped += 1
            continue
        with open(os.path.join(dest, name), "wb") as handle:
            handle.write(data)
        kept += 1
    print(f"[fuzz] {kept} inputs kept, {dropped} dropped as derived from {', '.join(folders) or 'nothing'}", file=sys.stderr)


if __name__ == "__main__":
    main()
