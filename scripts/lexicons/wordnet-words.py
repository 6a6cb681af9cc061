#!/usr/bin/env python3
"""Derives the parser's open-class word lists from WordNet 3.0 (Debian's wordnet-base).

    apt-get install wordnet-base && python3 scripts/lexicons/wordnet-words.py

Writes Shared/Parser/Lexicons/common-{nouns,verbs,adjectives,adverbs}.txt: the single-word
lemmas WordNet lists in lower case (so not only as a proper name) whose senses are tagged at
least MIN_COUNT times in its sense-tagged corpus (cntlist.rev), with their inflected forms:
  common-nouns.txt       "singular plural..." (the regular plural, and irregular ones)
  common-verbs.txt       "lemma third-person gerund past..." (past and participle forms, one or more)
  common-adjectives.txt  one word a line
  common-adverbs.txt     one word a line
Irregular forms come from WordNet's exception lists, the rest from the regular spelling rules.
"""
import collections, os, re, sys

WN = os.environ.get('WORDNET', '/usr/share/wordnet')
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'Shared', 'Parser', 'Lexicons')
MIN_COUNT = 1
MAX_LEN = 16  # the lexicon table keys words of up to 16 bytes

NOTICE = """# Derived from WordNet 3.0 by scripts/lexicons/wordnet-words.py; regenerate, do not edit.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION,
# PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS FOR
# ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL
# NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
# The name of Princeton University or Princeton may not be used in advertising or publicity
# pertaining to distribution of the software and/or database. (The full licence is in
# /usr/share/doc/wordnet-base/copyright.)
"""

POS = {'n': 'noun', 'v': 'verb', 'a': 'adj', 'r': 'adv'}


def counts():
    c = collections.Counter()
    for line in open(os.path.join(WN, 'cntlist.rev')):
        key, _, n = line.split()
        lemma, rest = key.split('%', 1)
        pos = {1: 'n', 2: 'v', 3: 'a', 4: 'r', 5: 'a'}[int(rest.split(':')[0])]
        c[(lemma, pos)] += int(n)
    return c


def lower_case_lemmas():
    """Lemmas that WordNet writes in lower case in at least one synset, by part of speech."""
    out = collections.defaultdict(set)
    for pos, name in POS.items():
        for line in open(os.path.join(WN, 'data.' + name)):
            if line.startswith(' '):
                continue
            parts = line.split()
            for i in range(int(parts[3], 16)):
                w = re.sub(r'\(.*\)$', '', parts[4 + 2 * i])
                if w == w.lower():
                    out[pos].add(w)
    return out


def exceptions(name):
    """Inflected form -> base, and base -> its irregular forms."""
    forms = collections.defaultdict(list)
    for line in open(os.path.join(WN, name + '.exc')):
        f, *bases = line.split()
        for b in bases:
            forms[b].append(f)
    return forms


# Words in -man whose plural is regular.
MAN_PLURAL_S = {'human', 'german', 'roman', 'shaman', 'talisman', 'caiman', 'ottoman', 'doberman'}
# Auxiliaries: a closed class of their own (auxiliaries.txt), with forms no rule makes.
AUXILIARIES = {'be', 'have', 'do'}


def plurals(n, exc):
    irregular = exc.get(n, [])
    if n.endswith('man') and n not in MAN_PLURAL_S:
        regular = n[:-3] + 'men'
    elif re.search(r'(s|x|z|ch|sh)$', n):
        regular = n + 'es'
    elif re.search(r'[^aeiou]y$', n):
        regular = n[:-1] + 'ies'
    else:
        regular = n + 's'
    if irregular and not re.search(r'(s|x|z|ch|sh)$', n):
        return irregular  # child -> children, analysis -> analyses: the regular rule would be wrong
    return [regular] + [f for f in irregular if f != regular]


def verb_forms(v, exc):
    irregular = exc.get(v, [])
    if re.search(r'(s|x|z|ch|sh|o)$', v):
        third = v + 'es'
    elif re.search(r'[^aeiou]y$', v):
        third = v[:-1] + 'ies'
    else:
        third = v + 's'
    ing = [f for f in irregular if f.endswith('ing')]
    past = [f for f in irregular if not f.endswith('ing')]
    if not ing:
        if v.endswith('ie'):
            ing = [v[:-2] + 'ying']
        elif v.endswith('e') and not re.search(r'(ee|ye|oe)$', v):
            ing = [v[:-1] + 'ing']
        else:
            ing = [v + 'ing']
    if not past:
        if v.endswith('e'):
            past = [v + 'd']
        elif re.search(r'[^aeiou]y$', v):
            past = [v[:-1] + 'ied']
        else:
            past = [v + 'ed']
    return [v, third, ing[0]] + sorted(set(past))


def main():
    c = counts()
    lower = lower_case_lemmas()

    def chosen(pos):
        words = {l for (l, p), n in c.items() if p == pos and n >= MIN_COUNT and l in lower[pos]}
        return sorted(w for w in words if re.fullmatch(r"[a-z][a-z'-]*", w) and len(w) <= MAX_LEN)

    noun_exc, verb_exc = exceptions('noun'), exceptions('verb')
    files = {
        'common-nouns': ('Common nouns: "singular plural...".', [' '.join([n] + plurals(n, noun_exc)) for n in chosen('n')]),
        'common-verbs': ('Verbs: "lemma third-person gerund past..." (past and participle forms).',
                         [' '.join(verb_forms(v, verb_exc)) for v in chosen('v') if v not in AUXILIARIES]),
        'common-adjectives': ('Adjectives.', chosen('a')),
        'common-adverbs': ('Adverbs.', chosen('r')),
    }
    for name, (what, rows) in files.items():
        rows = [r for r in rows if all(len(w) <= MAX_LEN for w in r.split())]
        rows = sorted(set(rows), key=lambda r: r.encode())
        with open(os.path.join(OUT, name + '.txt'), 'w', encoding='utf-8') as f:
            f.write('# ' + what + ' The lemmas WordNet writes in lower case whose senses are tagged\n')
            f.write(f'# at least {MIN_COUNT} time(s) in its sense-tagged corpus, with their inflected forms.\n')
            f.write(NOTICE)
            f.write('\n'.join(rows) + '\n')
        print(name, len(rows), file=sys.stderr)


main()
