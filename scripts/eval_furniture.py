#!/usr/bin/env python3
"""How well the page-structure layer tells article text from furniture, on real pages' text.

usage: scripts/eval_furniture.py QUOTEWIRE_BINARY [--show-lost] [--show-leaked]

Reads ../shared/corpora/html-dev/gold.jsonl (400 news pages of 2007-08; for each, the article text
people marked, `articleBody`, and the page's other text, `supplemental`: datelines, bylines, captions,
credits, copyright and contact lines). For each page it builds a scraped-looking text (the headline,
the supplemental lines, then the body's lines), runs `quotewire parse --jsonl` once over all pages and
reports:
  body lines kept:        body lines the parser kept as text (a paragraph, a heading, the headline or the
                          caption holds most of it)
  furniture lines leaked: supplemental lines that came out as a paragraph
  furniture quotations:   quotations the parser found inside supplemental lines
The first says what the layer must not lose, the other two what it should drop. No page text is
printed unless asked for (--show-lost, --show-leaked: the lines themselves, for study only).
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLD = os.path.join(ROOT, "..", "shared", "corpora", "html-dev", "gold.jsonl")


def words(s):
    return re.findall(r"\w+", s.lower())


def covered(line, texts):
    """Share of the line's words that one of `texts` (a paragraph or heading inside it) holds."""
    lw = words(line)
    if not lw:
        return 1.0
    best = 0.0
    for t in texts:
        tw = words(t)
        if tw and " ".join(tw) in " ".join(lw):
            best = max(best, len(tw) / len(lw))
    return best


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    if not os.path.exists(GOLD):
        print(f"eval_furniture: {GOLD} not found: skipped", file=sys.stderr)
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    pages = [json.loads(line) for line in open(GOLD, encoding="utf-8")]
    docs = []
    for p in pages:
        sup = [s.strip() for s in (p["supplemental"] or "").split("\n") if s.strip()]
        body = [s.strip() for s in p["articleBody"].split("\n") if s.strip()]
        head = [p["headline"].strip()] if p["headline"] else []
        docs.append((sup, body, "\n\n".join(head + sup + body)))
    lines = "".join(json.dumps({"id": str(i), "text": d[2]}) + "\n" for i, d in enumerate(docs))
    run = subprocess.run([args[0], "parse", "--jsonl"], input=lines.encode(), capture_output=True, check=True)
    out = [json.loads(l) for l in run.stdout.decode().splitlines()]
    kept = total = leaked = sup_total = sup_quotes = 0
    for (sup, body, _), parsed in zip(docs, out):
        texts = parsed["paragraphs"] + parsed.get("headings", []) + [t for t in (parsed.get("headline"), parsed.get("caption")) if t]
        for line in body:
            if not words(line):
                continue
            total += 1
            if covered(line, texts) >= 0.5:
                kept += 1
            elif "--show-lost" in sys.argv:
                print("LOST", parsed["articleId"], line[:160])
        for line in sup:
            if not words(line):
                continue
            sup_total += 1
            if covered(line, parsed["paragraphs"]) >= 0.5:
                leaked += 1
                if "--show-leaked" in sys.argv:
                    print("LEAKED", parsed["articleId"], line[:160])
            sup_quotes += sum(1 for q in parsed["quotations"] if q["text"] and q["text"] in line)
    print(f"body lines kept: {kept}/{total} = {kept / max(1, total):.4f}")
    print(f"furniture lines leaked: {leaked}/{sup_total} = {leaked / max(1, sup_total):.4f}")
    print(f"furniture quotations: {sup_quotes}")


if __name__ == "__main__":
    main()
