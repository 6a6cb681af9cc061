#!/usr/bin/env python3
"""Labelling aid for the parser's Wikinews development set.

It never decides anything: it shows an article's quote-marked spans with their
Unicode-scalar offsets so a person can label them, and it turns a person's
labels into reference-only fixture rows (csv file, url, offsets, speaker,
mention type), never copied text.

  label_quotes.py list CSV [FROM [TO]]          rows with index, url, quote-mark count
  label_quotes.py show CSV ROW                  paragraphs + numbered quote-marked spans
  label_quotes.py find CSV ROW 'substring'      offsets of a substring (for spans the naive pairing misses)
  label_quotes.py build LABELS.py OUT.json      labels -> fixture (offsets only)

Labels file: a Python list of dicts
  {"csv": "wikinews_2019.csv", "row": 3, "spans": {1: ("Vinnie DeVita", "name"), 2: None},
   "extra": [("substring", "Speaker", "pronoun")]}
where a span index maps to (speaker or None, mention type) for speech, or None for
quote-marked text that is not speech. Mention types: name, description, pronoun, continued, unknown.
"""
import csv, json, os, re, sys

WIKI = os.environ.get("WIKINEWS_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench", "wikinews"))
OPEN_CLOSE = re.compile(r'"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d|(?<![\w])\'([^\'\n]+?)\'(?![\w])|\u2018([^\u2019\n]+?)\u2019(?![\w])')


def rows(name):
    with open(os.path.join(WIKI, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def spans(text):
    out = []
    for m in OPEN_CLOSE.finditer(text):
        g = next(i for i in range(1, 5) if m.group(i) is not None)
        out.append((m.start(g), m.end(g)))
    return out


def main():
    cmd = sys.argv[1]
    if cmd == "list":
        rs = rows(sys.argv[2])
        lo = int(sys.argv[3]) if len(sys.argv) > 3 else 0
        hi = int(sys.argv[4]) if len(sys.argv) > 4 else len(rs)
        for i in range(lo, min(hi, len(rs))):
            print(i, len(spans(rs[i]["text"])), rs[i]["title"][:70])
    elif cmd == "show":
        r = rows(sys.argv[2])[int(sys.argv[3])]
        t = r["text"]
        print("URL", r["url"])
        for k, (s, e) in enumerate(spans(t)):
            ctx0 = t.rfind("\n", 0, s) + 1
            ctx1 = t.find("\n", e)
            ctx1 = len(t) if ctx1 < 0 else ctx1
            para = t[ctx0:ctx1]
            print(f"[{k}] {s}-{e}: {para[:s-ctx0][-220:]}<<{t[s:e]}>>{para[e-ctx0:][:160]}")
    elif cmd == "find":
        t = rows(sys.argv[2])[int(sys.argv[3])]["text"]
        i = t.find(sys.argv[4])
        print(i, i + len(sys.argv[4]))
    elif cmd == "build":
        ns = {}
        exec(open(sys.argv[2], encoding="utf-8").read(), ns)
        cache, out = {}, []
        for lab in ns["LABELS"]:
            rs = cache.setdefault(lab["csv"], rows(lab["csv"]))
            r = rs[lab["row"]]
            sp = spans(r["text"])
            items = []
            for k, v in sorted(lab.get("spans", {}).items()):
                s, e = sp[k]
                items.append({"start": s, "end": e, "speech": v is not None,
                              "speaker": v[0] if v else None, "mention": v[1] if v else None})
            for sub, who, kind in lab.get("extra", []):
                s = r["text"].find(sub)
                assert s >= 0, sub
                items.append({"start": s, "end": s + len(sub), "speech": True, "speaker": who, "mention": kind})
            items.sort(key=lambda x: x["start"])
            out.append({"csv": lab["csv"], "url": r["url"], "quotations": items})
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            json.dump({"source": "Wikinews contributors, https://en.wikinews.org (CC BY 2.5)", "articles": out}, f, indent=1)
        q = sum(1 for a in out for x in a["quotations"] if x["speech"])
        print(f"{len(out)} articles, {q} quotations, {sum(len(a['quotations']) for a in out) - q} non-speech spans")


if __name__ == "__main__":
    main()
