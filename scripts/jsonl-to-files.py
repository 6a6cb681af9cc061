#!/usr/bin/env python3
"""Writes each {"id","text"} line of a JSON-lines file to OUT_DIR/ID.txt (for `quotewire publish DIR`)."""
import json
import os
import sys

source, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(source, encoding="utf-8") as lines:
    for line in lines:
        item = json.loads(line)
        with open(os.path.join(out, f"{item['id']}.txt"), "w", encoding="utf-8") as f:
            f.write(item["text"])
