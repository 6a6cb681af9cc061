#!/usr/bin/env python3
"""Scores the parser on the hand-labelled Wikinews development set (a quick loop
beside the Swift test ParserTests/DevSetTests, which is the official check).

  eval_devset.py [QUOTEWIRE_BINARY] [-v]
"""
import collections, csv, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIKI = os.path.join(ROOT, "..", "shared", "bench", "wikinews")
FIX = os.path.join(ROOT, "Tests", "ParserTests", "Fixtures", "wikinews-devset.json")
binary = next((a for a in sys.argv[1:] if not a.startswith("-")), os.path.join(ROOT, ".build-parser", "debug", "quotewire"))
verbose = "-v" in sys.argv

def words(s):
    return [w for w in re.findall(r"\w+", s.lower())]

def overlap(a, b):
    wa, wb = collections.Counter(words(a)), collections.Counter(words(b))
    if not wa or not wb: return 0.0
    inter = sum((wa & wb).values())
    return inter / max(sum(wa.values()), sum(wb.values()))

def surname(s):
    w = words(s or "")
    return w[-1] if w else None

rows = {}
for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
    with open(os.path.join(WIKI, name), newline="", encoding="utf-8") as f:
        rows[name] = {r["url"]: r for r in csv.DictReader(f)}
fx = json.load(open(FIX, encoding="utf-8"))
lines = []
for i, a in enumerate(fx["articles"]):
    lines.append(json.dumps({"id": str(i), "text": rows[a["csv"]][a["url"]]["text"]}))
out = subprocess.run([binary, "parse", "--jsonl"], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
parsed = {p["articleId"]: p for p in map(json.loads, out.splitlines())}
tp = fp = fn = 0
sp = collections.Counter(); st = collections.Counter()
for i, a in enumerate(fx["articles"]):
    text = rows[a["csv"]][a["url"]]["text"]
    gold = [q for q in a["quotations"] if q["speech"]]
    pred = parsed[str(i)]["quotations"]
    used = set()
    for g in gold:
        gt = text[g["start"]:g["end"]]
        best, bi = 0, None
        for j, p in enumerate(pred):
            if j in used: continue
            o = overlap(gt, p["text"])
            if o > best: best, bi = o, j
        if best >= 0.5:
            tp += 1; used.add(bi)
            p = pred[bi]
            if g["speaker"] and g["mention"] != "unknown":
                kind = g["mention"]
                st[kind] += 1
                # With no name given, the description the parser found is what it says of the speaker
                # ("the police": a description is a mention, not a name for the directory).
                said = p["speaker"] or p.get("speakerRole") or p.get("speakerMention") or ""
                ok = surname(g["speaker"]) is not None and surname(g["speaker"]) in words(said)
                sp[kind] += ok
                if verbose and not ok: print(f"SPK {a['url'][-40:]} [{kind}] gold={g['speaker']!r} pred={p['speaker']!r} mention={p['speakerMention']!r} :: {gt[:60]!r}")
        else:
            fn += 1
            if verbose: print(f"FN  {a['url'][-40:]} {gt[:80]!r}")
    for j, p in enumerate(pred):
        if j not in used:
            fp += 1
            if verbose: print(f"FP  {a['url'][-40:]} {p['text'][:80]!r} spk={p['speaker']!r}")
P = tp / (tp + fp) if tp + fp else 0; R = tp / (tp + fn) if tp + fn else 0
F = 2 * P * R / (P + R) if P + R else 0
print(f"quotations: P={P:.3f} R={R:.3f} F1={F:.3f} (tp={tp} fp={fp} fn={fn})")
for k in sorted(st): print(f"speaker {k}: {sp[k]}/{st[k]} = {sp[k]/st[k]:.3f}")
nd = sum(sp[k] for k in ("name", "description")); dd = sum(st[k] for k in ("name", "description"))
print(f"speaker named/described: {nd}/{dd} = {nd/max(1,dd):.3f}")
