#!/usr/bin/env python3
"""Prints an indexed article's quotations and market quotes: show-article.py SERVER ARTICLE_ID."""
import json
import sys
import urllib.request

server, article_id = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(f"{server}/v1/articles/{article_id}", timeout=10) as response:
    article = json.load(response)
print(f"{article.get('source') or '?'}: {article.get('headline') or '(no headline)'}")
print()
print("Quotations:")
for q in article.get("quotations", []):
    speaker = q.get("speaker") or "?"
    via = f" (as \"{q['speakerMention']}\")" if q.get("speakerMention") and q.get("speakerMention") != speaker else ""
    text = q["text"] if len(q["text"]) <= 110 else q["text"][:107] + "..."
    print(f"  {speaker}{via}, {q['kind']}: {text}")
quotes = article.get("marketQuotes", [])
if quotes:
    print()
    print(f"Market quotes ({quotes[0].get('exchange') or '?'}):")
    for m in quotes:
        change = "" if m.get("changePercent") is None else f"{m['changePercent']:+.2f}%"
        print(f"  {m['symbol']:<6} {m['price']:>10.2f} {m.get('currency') or '':<4} {change}")
