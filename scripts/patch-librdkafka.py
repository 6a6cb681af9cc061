#!/usr/bin/env python3
"""Applies Quotewire's fixes to an unpacked librdkafka 2.8 source tree, before it is built.

usage: scripts/patch-librdkafka.py SOURCE_DIR

Why: librdkafka 2.4+ applies the leader hints (KIP-951) that a Fetch reply carries as a small
metadata update on the client's main thread (rd_kafka_metadata_update_op). Two gaps in it crash
the process:

1. A Fetch reply names each topic by its id only. When the id is all zeros (Tansu sends that for a
   topic that was just deleted), the update has neither an id nor a name, and the cache look-up by
   name calls strcmp on NULL: SIGSEGV in rd_kafka_metadata_cache_find. Our test suite hit it about
   once in eight runs, always right after test topics were deleted (core dump: topic_cnt 1,
   topic NULL, topic_id zero, on the consumer's main thread). Fix: skip such a topic.
2. Partitions whose hint says "no leader" (LeaderId -1) are counted when the update is sized but
   not written, so the topic's partition count covers an uninitialised tail whose garbage ids index
   the cache out of bounds (upstream issue confluentinc/librdkafka#5280, still open when this was written). Fix: set the
   count to the partitions actually written.

Each fix is inserted after an anchor line that must occur exactly once; the script fails (and the
build with it) if the source does not look as expected, and does nothing if the fixes are in.
"""
import pathlib
import sys

MARK = "quotewire fix"

FIXES = [
    (
        "src/rdkafka_metadata.c",
        "char *topic              = NULL;",
        [
            "                /* " + MARK + ": a topic named by neither id nor name cannot be looked up. */",
            "                if (!by_id && !md->topics[i].topic)",
            "                        continue;",
        ],
        "after",
    ),
    (
        "src/rdkafka_fetcher.c",
        "changed_topic++;",
        [
            "                        /* " + MARK + ": count only the partitions written above. */",
            "                        md->topics[changed_topic].partition_cnt = changed_partition;",
        ],
        "before",
    ),
]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    for rel, anchor, lines, where in FIXES:
        path = root / rel
        text = path.read_text()
        if MARK in text:
            continue
        source = text.split("\n")
        hits = [i for i, line in enumerate(source) if line.strip() == anchor]
        if len(hits) != 1:
            print(f"patch-librdkafka: {rel}: expected one line '{anchor}', found {len(hits)}", file=sys.stderr)
            return 1
        at = hits[0] + 1 if where == "after" else hits[0]
        source[at:at] = lines
        path.write_text("\n".join(source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
