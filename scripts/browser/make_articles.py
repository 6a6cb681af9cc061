#!/usr/bin/env python3
"""Writes the browser test's articles as JSON lines for `quotewire publish --jsonl`.

Invented text (ours), in the layout of the samples: a headline line, an exchange line and
market quotes, paragraphs with attributed quotations. Forty ordinary articles by a handful of
speakers and outlets over January 2026, and one hostile article whose text carries markup and
script that a page must show as text. Prints the hostile article's id on stdout.

Usage: make_articles.py OUT.jsonl
"""
import json
import sys

SPEAKERS = [
    ("Mayor", "Ilse Brandt"), ("Harbour master", "Tomas Reyes"), ("Councillor", "Nadia Osei"),
    ("Transport minister", "Pavel Lind"), ("Union leader", "Greta Sund"),
]
OUTLETS = ["Northgate Gazette", "Harbour Ledger", "Riverside Courier"]
TOPICS = ["ferry", "tramline", "bridge", "harbour", "budget", "library", "flood barrier", "market hall"]
TICKERS = [("HRBX", 48.30), ("TRMW", 112.05), ("FRYQ", 1204.50)]
HOSTILE_ID = "browser-hostile-article"


def ordinary(n):
    role, name = SPEAKERS[n % len(SPEAKERS)]
    other_role, other = SPEAKERS[(n + 2) % len(SPEAKERS)]
    outlet = OUTLETS[n % len(OUTLETS)]
    topic = TOPICS[n % len(TOPICS)]
    symbol, price = TICKERS[n % len(TICKERS)]
    change = ((n * 37) % 300 - 150) / 100
    day = 1 + n % 28
    surname = name.split()[-1]
    text = f"""{outlet} - {role} {surname} backs the {topic} plan

NYSE - LSE
{symbol} {change:+.2f}% {price + n * 0.75:,.2f} $

{role} {surname} backs the {topic} plan

{role} {name} on Tuesday backed the city's plan for the {topic}, the {outlet} reported.

"The {topic} will be ready before the winter, and it will cost less than the last one," {name} said after the council meeting.

{other_role} {other} was less sure. "We have heard promises about the {topic} for ten years," {other} told reporters.

"Nobody should expect miracles from one vote," {surname} added later.
"""
    return {"id": f"browser-{n:03d}", "text": text, "source": outlet,
            "url": f"https://news.example/{outlet.lower().replace(' ', '-')}/{topic.replace(' ', '-')}-{n}",
            "publishedAt": f"2026-01-{day:02d}T{8 + n % 10:02d}:00:00Z"}


def hostile():
    text = """Riverside Courier - <script>window.__pwned = 1</script>Council row over the pier

Council row over the pier

The council argued on Friday about the pier <script>window.__pwned = 4</script> and its repairs.

"<img src=x onerror=window.__pwned=5>" the spokeswoman Vera <b>Holm</b> said after the vote.

"Nobody will click <a href="javascript:window.__pwned=6">this link</a> by accident," Holm told the Riverside Courier.

A reader wrote in: "><img src=y onerror="window.__pwned=7"> and <svg onload=window.__pwned=8> and javascript:window.__pwned=9 were in the letter.
"""
    return {"id": HOSTILE_ID, "text": text, "source": "Riverside <i>Courier</i>",
            "url": "javascript://news.example/%0Awindow.__pwned=2", "publishedAt": "2026-01-30T09:00:00Z"}


def main():
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for n in range(40):
            out.write(json.dumps(ordinary(n)) + "\n")
        out.write(json.dumps(hostile()) + "\n")
    print(HOSTILE_ID)


if __name__ == "__main__":
    main()
