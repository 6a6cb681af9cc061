#!/usr/bin/env bash
# Speaker accuracy in one table: PolNeAR dev and train (../shared/corpora/polnear, its scorer) and the
# Wikinews development set (scripts/eval_devset.py); the speaker directory's precision on dev-articles;
# how often each attribution rule fired and was right on dev and train (scripts/eval_rules.py); then the HTML path's body text on html-dev
# (../shared/corpora/html-dev, its score_html.py) beside trafilatura's figures from that corpus's README.
#   scripts/eval.sh [QUOTEWIRE_BINARY]
# Builds the debug binary unless one is given. Without ../shared it
# says so and exits non-zero in CI (CI=true), else skips with status 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared=${QUOTEWIRE_SHARED:-$root/../shared}
polnear=$shared/corpora/polnear
htmldev=$shared/corpora/html-dev
if [ ! -f "$polnear/score_quotes.py" ] || [ ! -d "$shared/bench/wikinews" ] || [ ! -f "$htmldev/score_html.py" ]; then
    echo "eval: $shared (PolNeAR corpora, Wikinews CSVs, html-dev) not found" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    echo "eval: skipped" >&2
    exit 0
fi
bin=${1:-}
if [ -z "$bin" ]; then
    swift build --product quotewire >&2
    bin=$root/.build/debug/quotewire
fi
score() { python3 "$polnear/score_quotes.py" --cmd "$bin parse -" "$@" | tail -1; }
dev=$(score --data "$polnear/dev")
train=$(score --data "$polnear/train")
articles=$(score --data "$polnear/dev-articles" --require-resolved)
wiki=$(python3 scripts/eval_devset.py "$bin")
field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<<"$1"; }
printf '%-34s %8s %8s %8s %8s\n' "set" "quote F1" "named" "pronoun" "joint F1"
for name in dev train articles; do
    line=${!name}
    label=$([ "$name" = articles ] && echo "PolNeAR dev-articles (resolved)" || echo "PolNeAR $name")
    printf '%-34s %8s %8s %8s %8s\n' "$label" "$(field "$line" quote_f1)" "$(field "$line" speaker_acc)" \
        "$(field "$line" pronoun_acc)" "$(field "$line" joint_f1)"
done
wq=$(sed -n 's/^quotations: .*F1=\([0-9.]*\).*/\1/p' <<<"$wiki")
wn=$(sed -n 's/^speaker named\/described: .* = \([0-9.]*\)/\1/p' <<<"$wiki")
wp=$(sed -n 's/^speaker pronoun: .* = \([0-9.]*\)/\1/p' <<<"$wiki")
printf '%-34s %8s %8s %8s %8s\n' "Wikinews dev set" "$wq" "$wn" "$wp" "-"
echo
# What `quotewire speakers` would list for dev-articles, each name judged clean or junk by hand
# (dev-names.tsv in the corpus, its criteria in speaker_names.py, and the names we judged since by
# the same criteria, scripts/judged/dev-names-added.tsv): new names are printed to judge.
judged=$(mktemp)
trap 'rm -f "$judged"' EXIT
cat "$polnear/dev-names.tsv" scripts/judged/dev-names-added.tsv > "$judged"
names=$(python3 "$polnear/speaker_names.py" --cmd "$bin parse -" --data "$polnear/dev-articles" --judged "$judged")
echo "Speaker directory on PolNeAR dev-articles: $(tail -1 <<<"$names")"
grep UNJUDGED <<<"$names" || true
echo
echo "Attribution rules on PolNeAR dev (scripts/eval_rules.py: quotations each rule attributed, and how many got the right speaker):"
python3 scripts/eval_rules.py "$bin" "$polnear/dev" | sed '$d'
echo
echo "Attribution rules on PolNeAR train:"
python3 scripts/eval_rules.py "$bin" "$polnear/train" | sed '$d'
echo
echo "HTML pages: body text on html-dev (score_html.py: 4-token shingles, precision over pages with output, recall over all):"
html=$(python3 "$htmldev/score_html.py" --cmd "$bin parse -" -j 2 2>/dev/null | tail -1)
# trafilatura's row of the corpus README's reference table: | name | **F1** ± sd | precision | recall | empty |
reference=$(grep -m1 '^| trafilatura' "$htmldev/README.md" | awk -F'|' '{
    f1=$3; gsub(/\*|±.*/, "", f1); gsub(/ /, "", f1); p=$4; r=$5; e=$6; gsub(/ /, "", p); gsub(/ /, "", r); gsub(/ /, "", e)
    print f1, p, r, e }')
read -r tf1 tp tr te <<<"$reference"
printf '%-34s %8s %10s %8s %8s\n' "extractor" "F1" "precision" "recall" "empty"
printf '%-34s %8s %10s %8s %8s\n' "quotewire ($(basename "$bin"))" "$(field "$html" f1)" "$(field "$html" precision)" \
    "$(field "$html" recall)" "$(sed -n 's/.*empty=\([0-9]*\).*/\1/p' <<<"$html")"
printf '%-34s %8s %10s %8s %8s\n' "trafilatura (corpus README)" "$tf1" "$tp" "$tr" "$te"
