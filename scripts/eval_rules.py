#!/usr/bin/env python3
"""Per-rule speaker accuracy on a PolNeAR split: how often each attribution rule fired and how often
its speaker was right, by the shared scorer's own matching and speaker rules.

usage: scripts/eval_rules.py QUOTEWIRE_BINARY SPLIT_DIR [--require-resolved]

Runs `quotewire parse --jsonl` once over the split (so it takes seconds, not the scorer's minute),
pairs predictions with gold quotations using the scorer's functions (imported from
score_quotes.py next to the split, never copied), and prints one row per rule (the quotation's
`attribution` field) with the quotations it attributed, how many of them got the right speaker, and
how many were pronoun gold. The last line repeats the scorer's headline figures for the split.
"""
import importlib.util
import json
import os
import subprocess
import sys
from collections import defaultdict


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    require_resolved = '--require-resolved' in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    binary, split = args
    scorer_path = os.path.join(os.path.dirname(os.path.abspath(split)), 'score_quotes.py')
    spec = importlib.util.spec_from_file_location('score_quotes', scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    gold = [json.loads(line) for line in open(os.path.join(split, 'gold.jsonl'), encoding='utf-8')]
    lines = ''.join(json.dumps({'id': g['doc'], 'text': open(os.path.join(split, g['doc'] + '.txt'),
                                                               encoding='utf-8').read()}) + '\n' for g in gold)
    run = subprocess.run([binary, 'parse', '--jsonl'], input=lines.encode('utf-8'), capture_output=True, check=True)
    outputs = [json.loads(line) for line in run.stdout.decode('utf-8').splitlines()]
    if len(outputs) != len(gold):
        sys.exit(f'eval_rules: {len(outputs)} outputs for {len(gold)} documents')

    rules = defaultdict(lambda: [0, 0, 0])  # fired, right, of them pronoun gold
    kinds = defaultdict(lambda: [0, 0])
    tp = fp = fn = joint = 0
    for g, out in zip(gold, outputs):
        preds = scorer.parse_output(json.dumps(out))
        rule_of = [q.get('attribution') or '(none)' for q in out.get('quotations', [])]
        items = [dict(q, _k=q['kind']) for q in g['quotes']] + [dict(q, _k='ignore') for q in g.get('ignore', [])]
        gt = [scorer.toks(q['text']) for q in items]
        pt = [scorer.toks(p['text']) for p in preds]
        pairs = sorted(((scorer.overlap(gt[i], pt[j]), i, j) for i in range(len(items)) for j in range(len(preds))),
                       reverse=True)
        gi, pj = {}, {}
        for s, i, j in pairs:
            if s < 0.5:
                break
            if i not in gi and j not in pj:
                gi[i], pj[j] = j, i
        fp += len(preds) - len(pj)
        for i, q in enumerate(items):
            if q['_k'] != 'direct':
                continue
            if i not in gi:
                fn += 1
                continue
            tp += 1
            p = preds[gi[i]]
            kind = q.get('speaker_kind', 'named')
            if kind == 'none' or q.get('speaker') is None:
                ok, kind = p['speaker'] is None, 'none'
            else:
                names = [q['speaker']] + ([q['speaker_resolved']] if q.get('speaker_resolved') else [])
                if require_resolved and kind in ('pronoun', 'nominal'):
                    if q.get('speaker_resolved'):
                        names = [q['speaker_resolved']]
                    else:
                        kind = 'unjudged'
                ok = scorer.speaker_ok(p['speaker'], names)
            if kind in ('invalid', 'unjudged'):
                ok = True
            kinds[kind][0] += ok
            kinds[kind][1] += 1
            joint += ok
            r = rules[rule_of[gi[i]]]
            r[0] += 1
            r[1] += ok
            r[2] += kind == 'pronoun'

    print(f"{'rule':<22} {'fired':>6} {'right':>6} {'share':>6} {'pronoun gold':>13}")
    for name, (fired, right, pron) in sorted(rules.items(), key=lambda kv: -kv[1][0]):
        print(f'{name:<22} {fired:>6} {right:>6} {right / fired:>6.3f} {pron:>13}')
    p, r, f = scorer.prf(tp, tp + fp, tp + fn)
    jp, jr, jf = scorer.prf(joint, tp + fp, tp + fn)
    named = kinds['named'][0] + kinds['nominal'][0], kinds['named'][1] + kinds['nominal'][1]
    pron = kinds['pronoun']
    print(f"quote_f1={f:.3f} joint_f1={jf:.3f} speaker_acc={named[0] / max(1, named[1]):.3f} "
          f"pronoun_acc={pron[0] / max(1, pron[1]):.3f}")


if __name__ == '__main__':
    main()
