"""The pseudo-language `qps`: rules a small Transformer masters in minutes, and their oracle.

The memorising fixture models know 210 sentences and write noise on any other, so the parts of
the pipeline that exist for real models (attention-based tag placement, span recovery, QA
flags) never meet real model output. This module defines a *learnable* pseudo-translation
from English that behaves like a real NMT model where the pipeline cares, and renders the
reference translation of every sentence it generates, so model output can be scored exactly.

Rules (all deterministic; the seeded parts are fixed by SEED):
- content words map to target-looking words: the lemma through a seeded letter cipher
  (vowels among vowels, consonants within their class), plus an ending for the form
  (plural nouns `-en`, past verbs `-ut`, present verbs `-et`, adjectives `-ik`); function
  words through a seeded table of short words;
- local reordering: adjectives follow their noun, and the verb of each clause goes to the
  clause end (after its object and prepositional phrases), so alignment is non-monotone;
- names, numbers, URLs, e-mails, placeholders, shortcodes, handles and hashtags are copied,
  except where real models mangle them, here by rule, so it is learnable and reproducible:
  counts of 1000 and more get dot grouping (`1200 people` → `1.200`; years stay), decimals a
  decimal comma (`3.5` → `3,5`), `http://` URLs a space (`http: //`), a named placeholder
  whose name is an English vocabulary word has it translated (`%(count)s` → `%(kaent)s`)
  and a hashtag just before the final full stop is dropped;
- a *masked* sentence shows every span as a numbered token `⟦1⟧`, `⟦2⟧`… which the
  rules move like the span and never mangle (the alternative span strategy of bench/quality).

Vocabulary: the most frequent English words of wordfreq's English list (wordfreq 3.1,
Apache-2.0 code, word list data CC BY-SA 4.0: https://github.com/rspeer/wordfreq), given their
part of speech and inflections by lemminflect 0.2.3 (MIT). `build_lexicon()` writes
fixtures/pseudo/lexicon.tsv (committed, so tests need neither package); `make test-models`
rebuilds it. This module lives in tests/ because it is test tooling: the oracle the tests and
the benchmarks score the `qps` model against; scripts/build_test_models.py imports it to
generate the model's training data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "fixtures" / "pseudo" / "lexicon.tsv"
CODE, NAME = "qps", "Pseudo"
SEED = 20261204
TRAIN_SEED, HELD_OUT_SEED, BENCH_SEED, TEST_SEED = 1, 2, 3, 4  # never the same sentences
SKIP_MOST_FREQUENT = 300
QUOTAS = {"noun": 700, "verb": 250, "adj": 250, "name": 120}
VOWELS, CLASSES = "aeiou", ("bdgpt", "fhsvz", "mn", "lr", "cjkqx", "w")
ENDINGS = {"plural": "en", "past": "ut", "present": "et", "adj": "ik"}
MASK = "⟦{}⟧"

FUNCTION_WORDS = (
    "the", "a", "an", "this", "that", "every", "no", "our", "their", "its",
    "these", "those", "many", "several", "all", "some",
    "in", "on", "at", "with", "for", "from", "near", "after", "before", "under", "about",
    "without", "against", "during", "over", "behind", "across", "to", "by",
    "and", "but", "while", "yesterday", "today", "meanwhile", "however", "later",
)
SINGULAR_DETERMINERS = ("the", "a", "this", "that", "every", "no", "our", "their", "its")
PLURAL_DETERMINERS = ("the", "these", "those", "many", "several", "all", "some", "our", "their")
PREPOSITIONS = ("in", "on", "at", "with", "for", "from", "near", "after", "before", "under",
                "about", "without", "against", "during", "over", "behind", "across", "to", "by")
CONJUNCTIONS = ("and", "but", "while")
INTROS = ("yesterday", "today", "meanwhile", "however", "later")
DOMAINS = ("example.org", "example.com", "news.example.net", "city.example.org")


# ---------------------------------------------------------------- the vocabulary
def build_lexicon(path: Path = LEXICON) -> None:
    """Write the vocabulary file from wordfreq's frequency list and lemminflect's lexicon."""
    import gzip
    import importlib.resources

    import wordfreq

    table: dict[str, dict[str, list[str]]] = {}
    resource = importlib.resources.files("lemminflect") / "resources" / "infl_lu.csv.gz"
    with gzip.open(str(resource), "rt", encoding="utf-8") as lines:
        for line in lines:
            cells = line.rstrip("\n").split(",")
            table.setdefault(cells[0], {})[cells[1]] = cells[2:]
    forms = {form for entries in table.values() for cells in entries.values()
             for cell in cells for form in cell.split("/")}
    rows: list[tuple[str, ...]] = []
    counts = dict.fromkeys(QUOTAS, 0)
    taken = set(FUNCTION_WORDS) | {"be", "have", "do", "will", "would", "can", "could"}
    # The first few hundred words are mostly function words and adverbs: not content words.
    for word in wordfreq.top_n_list("en", 40000)[SKIP_MOST_FREQUENT:]:
        if not (word.isascii() and word.isalpha() and 3 <= len(word) <= 10) or word in taken:
            continue
        entries, name = table.get(word, {}), table.get(word.capitalize(), {})
        options: list[tuple[str, ...]] = []
        noun = entries.get("noun", [""])[0].split("/")[0]
        if noun and noun != word and noun.isalpha():
            options.append(("noun", word, noun))
        verb = entries.get("verb", [])
        if len(verb) == 4 and verb[0].isalpha() and verb[3].isalpha() and verb[0] != word:
            options.append(("verb", word, verb[0], verb[3]))
        if "adj" in entries and "noun" not in entries and "verb" not in entries:
            options.append(("adj", word))
        if name and not entries and word not in forms and len(word) >= 4:
            options.append(("name", word.capitalize()))
        options = [o for o in options if counts[o[0]] < QUOTAS[o[0]]]
        if not options:
            continue
        choice = min(options, key=lambda o: counts[o[0]] / QUOTAS[o[0]])
        counts[choice[0]] += 1
        taken.add(word)
        rows.append(choice)
        if counts == QUOTAS:
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")


@dataclass(frozen=True)
class Lexicon:
    nouns: tuple[tuple[str, str], ...]  # (singular, plural)
    verbs: tuple[tuple[str, str, str], ...]  # (lemma, past, third person singular)
    adjectives: tuple[str, ...]
    names: tuple[str, ...]


@cache
def lexicon() -> Lexicon:
    rows = [line.split("\t") for line in LEXICON.read_text(encoding="utf-8").splitlines()]
    return Lexicon(
        nouns=tuple((r[1], r[2]) for r in rows if r[0] == "noun"),
        verbs=tuple((r[1], r[2], r[3]) for r in rows if r[0] == "verb"),
        adjectives=tuple(r[1] for r in rows if r[0] == "adj"),
        names=tuple(r[1] for r in rows if r[0] == "name"),
    )


@cache
def _singulars() -> frozenset[str]:
    return frozenset(singular for singular, _ in lexicon().nouns)


# ---------------------------------------------------------------- word mapping
@cache
def _cipher() -> dict[str, str]:
    rng = random.Random(SEED)
    mapping: dict[str, str] = {}
    for group in (VOWELS, *CLASSES):
        shuffled = list(group)
        rng.shuffle(shuffled)
        mapping.update(zip(group, shuffled))
    return mapping


@cache
def _function_table() -> dict[str, str]:
    rng = random.Random(SEED + 1)
    onsets, nuclei = "bdfgklmnprstvz", "aeiou"
    out: dict[str, str] = {}
    for word in FUNCTION_WORDS:
        while True:
            length = 1 if len(word) <= 3 else 2
            made = "".join(rng.choice(onsets) + rng.choice(nuclei) for _ in range(length))
            if made not in out.values() and made not in FUNCTION_WORDS:
                out[word] = made
                break
    return out


def stem(lemma: str) -> str:
    """A lemma through the seeded letter cipher."""
    table = _cipher()
    return "".join(table.get(ch, ch) for ch in lemma)


def pseudo_word(english: str, form: str) -> str:
    """`form`: lemma | plural | past | present | adj | function."""
    if form == "function":
        return _function_table()[english]
    if form == "lemma":
        return stem(english)
    return stem(english) + ENDINGS[form]


# ---------------------------------------------------------------- sentences
@dataclass(frozen=True)
class Word:
    """One English token and its rendering; `pseudo` None: the rules drop it."""

    english: str
    pseudo: str | None
    kind: str  # word | name | punct | number | url | email | placeholder | ...
    glue: bool = False  # attaches to the previous token without a space (punctuation)


@dataclass(frozen=True)
class Sentence:
    words: tuple[Word, ...]  # English order
    order: tuple[int, ...]  # indices of `words` in pseudo order (dropped words left out)

    @property
    def english(self) -> str:
        return _join([w.english for w in self.words], [w.glue for w in self.words],
                     capitalise=self.words[0].kind == "word")

    @property
    def pseudo(self) -> str:
        kept = [self.words[i] for i in self.order]
        return _join([w.pseudo or "" for w in kept], [w.glue for w in kept],
                     capitalise=bool(kept) and kept[0].kind == "word")

    def english_spans(self) -> list[tuple[int, int]]:
        """Character span of each word in `english`."""
        return _spans([w.english for w in self.words], [w.glue for w in self.words])

    def pseudo_spans(self) -> dict[int, tuple[int, int]]:
        """Word index → character span of its rendering in `pseudo`."""
        kept = [self.words[i] for i in self.order]
        spans = _spans([w.pseudo or "" for w in kept], [w.glue for w in kept])
        return dict(zip(self.order, spans))

    def masked(self) -> tuple[Sentence, dict[str, str]]:
        """Every span as a numbered token, moved like the span and never mangled; returns the
        masked sentence and token → original span."""
        words: list[Word] = []
        table: dict[str, str] = {}
        for w in self.words:
            if w.kind in SPAN_KINDS:
                token = MASK.format(len(table) + 1)
                table[token] = w.english
                w = Word(token, token, "mask")
            words.append(w)
        order = [i for i in range(len(words)) if i in self.order or words[i].kind == "mask"]
        # Keep the pseudo order of what the rules kept; restore dropped spans in place.
        ranked = sorted(order, key=lambda i: (self.order.index(i) if i in self.order
                                              else self._slot(i)))
        return Sentence(tuple(words), tuple(ranked)), table

    def _slot(self, index: int) -> float:
        before = [self.order.index(i) for i in self.order if i < index]
        return (max(before) if before else -1) + 0.5


SPAN_KINDS = ("number", "url", "email", "placeholder", "shortcode", "handle", "hashtag")


def _join(tokens: list[str], glue: list[bool], capitalise: bool) -> str:
    text = ""
    for token, attached in zip(tokens, glue):
        text += token if (attached or not text) else " " + token
    return text[:1].upper() + text[1:] if capitalise else text


def _spans(tokens: list[str], glue: list[bool]) -> list[tuple[int, int]]:
    spans, position = [], 0
    for k, (token, attached) in enumerate(zip(tokens, glue)):
        if k and not attached:
            position += 1
        spans.append((position, position + len(token)))
        position += len(token)
    return spans


class Generator:
    """Random sentences under the rules; the same seed gives the same sentences."""

    def __init__(self, seed: int, *, span_share: float = 0.45) -> None:
        self.rng = random.Random(seed)
        self.lex = lexicon()
        self.span_share = span_share

    # -- phrases: each returns (words in English order, their pseudo order as offsets)
    def noun_phrase(self, allow_spans: bool = True) -> tuple[list[Word], list[int]]:
        r, lex = self.rng, self.lex
        roll = r.random()
        if roll < 0.12:
            name = r.choice(lex.names)
            return [Word(name, name, "name")], [0]
        plural = r.random() < 0.4
        singular, plural_form = r.choice(lex.nouns)
        noun = Word(plural_form if plural else singular,
                    pseudo_word(singular, "plural" if plural else "lemma"), "word")
        words: list[Word] = []
        if allow_spans and plural and r.random() < self.span_share * 0.5:
            words.append(self.count())
        else:
            det = r.choice(PLURAL_DETERMINERS if plural else SINGULAR_DETERMINERS)
            words.append(Word(det, pseudo_word("an" if det == "a" else det, "function"), "word"))
        adjectives = [r.choice(lex.adjectives) for _ in range(r.choice((0, 0, 1, 1, 2)))]
        words += [Word(a, pseudo_word(a, "adj"), "word") for a in adjectives]
        words.append(noun)
        # Adjectives follow their noun: det noun adj...
        n = len(words)
        order = [0, n - 1, *range(1, n - 1)]
        if words[0].english == "a" and (adjectives[0] if adjectives else noun.english)[0] in VOWELS:
            words[0] = replace(words[0], english="an")
        return words, order

    def count(self) -> Word:
        r = self.rng
        if r.random() < 0.3:
            value = str(r.randint(1000, 99999))
            grouped = f"{int(value):,}".replace(",", ".")
            return Word(value, grouped, "number")
        if r.random() < 0.2:
            value = f"{r.randint(1, 99)}.{r.randint(1, 9)}"
            return Word(value, value.replace(".", ","), "number")
        value = str(r.randint(2, 999))
        return Word(value, value, "number")

    def span_object(self) -> Word:
        """A span standing where a noun phrase would: URL, e-mail or placeholder."""
        r, lex = self.rng, self.lex
        kind = r.choice(("url", "url", "email", "placeholder", "placeholder", "handle"))
        word = r.choice(lex.nouns)[0]
        if kind == "url":
            scheme = r.choice(("https://", "https://", "http://", "www."))
            path = "/".join(r.choice(lex.nouns)[0] for _ in range(r.randint(0, 2)))
            url = f"{scheme}{r.choice(DOMAINS)}" + (f"/{path}" if path else "")
            if r.random() < 0.3:
                url += f"/{r.randint(1, 9999)}"
            if scheme == "www.":
                url = "www." + r.choice(DOMAINS)
            mangled = url.replace("http://", "http: //") if scheme == "http://" else url
            return Word(url, mangled, "url")
        if kind == "email":
            local = r.choice((word, r.choice(lex.names).lower(), "info", "press"))
            value = f"{local}@{r.choice(DOMAINS)}"
            return Word(value, value, "email")
        if kind == "handle":
            value = "@" + r.choice((word, r.choice(lex.names).lower())) + r.choice(("", "_news"))
            return Word(value, value, "handle")
        style = r.choice(("named", "named", "brace", "positional", "index"))
        vocabulary = r.random() < 0.5
        name = word if vocabulary else r.choice(("n", "user_id", "x", "item_id", "value2"))
        if style == "named":
            return Word(f"%({name})s", f"%({stem(name) if vocabulary else name})s", "placeholder")
        if style == "brace":
            return Word(f"{{{name}}}", f"{{{stem(name) if vocabulary else name}}}", "placeholder")
        if style == "positional":
            value = r.choice(("%s", "%d"))
            return Word(value, value, "placeholder")
        value = "{" + str(r.randint(0, 3)) + "}"
        return Word(value, value, "placeholder")

    def prepositional(self, allow_spans: bool) -> tuple[list[Word], list[int]]:
        r = self.rng
        prep = r.choice(PREPOSITIONS)
        head = Word(prep, pseudo_word(prep, "function"), "word")
        if allow_spans and r.random() < self.span_share * 0.25:
            year = str(r.randint(1950, 2030))
            return [Word("in", pseudo_word("in", "function"), "word"),
                    Word(year, year, "number")], [0, 1]
        if allow_spans and r.random() < self.span_share * 0.25:
            return [head, self.span_object()], [0, 1]
        words, order = self.noun_phrase(allow_spans)
        return [head, *words], [0, *(k + 1 for k in order)]

    def clause(self, allow_spans: bool) -> tuple[list[Word], list[int]]:
        """Subject verb object PP*: the verb goes last (S O PP V)."""
        r, lex = self.rng, self.lex
        subject, s_order = self.noun_phrase(allow_spans)
        lemma, past, third = r.choice(lex.verbs)
        if r.random() < 0.55:
            verb = Word(past, pseudo_word(lemma, "past"), "word")
        else:
            singular = subject[-1].kind == "name" or subject[-1].english in _singulars()
            verb = Word(third if singular else lemma, pseudo_word(lemma, "present"), "word")
        if allow_spans and r.random() < self.span_share * 0.3:
            obj, o_order = [self.span_object()], [0]
        else:
            obj, o_order = self.noun_phrase(allow_spans)
        parts: list[tuple[list[Word], list[int]]] = [
            self.prepositional(allow_spans) for _ in range(r.choice((0, 1, 1)))]
        words = subject + [verb] + obj
        order = list(s_order)
        base = len(subject) + 1
        order += [base + k for k in o_order]
        for pp, pp_order in parts:
            order += [len(words) + k for k in pp_order]
            words += pp
        order.append(len(subject))  # the verb, last
        return words, order

    def sentence(self) -> Sentence:
        r = self.rng
        allow = r.random() < self.span_share
        words: list[Word] = []
        order: list[int] = []

        def add(part: tuple[list[Word], list[int]]) -> None:
            base = len(words)
            words.extend(part[0])
            order.extend(base + k for k in part[1])

        if r.random() < 0.2:
            intro = r.choice(INTROS)
            add(([Word(intro, pseudo_word(intro, "function"), "word"),
                  Word(",", ",", "punct", glue=True)], [0, 1]))
        add(self.clause(allow))
        if r.random() < 0.15:
            conj = r.choice(CONJUNCTIONS)
            add(([Word(",", ",", "punct", glue=True),
                  Word(conj, pseudo_word(conj, "function"), "word")], [0, 1]))
            add(self.clause(allow))
        if allow and r.random() < 0.15:
            tag = "#" + r.choice(self.lex.nouns)[0]
            add(([Word(tag, None, "hashtag")], []))  # dropped before the full stop
        elif allow and r.random() < 0.08:
            tag = f"[{r.choice(('gallery', 'photo', 'video'))} id={r.randint(1, 99)}]"
            add(([Word(tag, tag, "shortcode")], [0]))
        add(([Word(".", ".", "punct", glue=True)], [0]))
        return Sentence(tuple(words), tuple(order))

    def sentences(self, count: int) -> list[Sentence]:
        seen: set[str] = set()
        out: list[Sentence] = []
        while len(out) < count:
            s = self.sentence()
            if s.english not in seen:
                seen.add(s.english)
                out.append(s)
        return out


def corpus(seed: int, count: int, masked_share: float = 0.0) -> list[tuple[str, str]]:
    """(English, pseudo) pairs; a share shown with masked spans (same seed, same pairs)."""
    generator = Generator(seed)
    pick = random.Random(seed + 1000)
    pairs = []
    for s in generator.sentences(count):
        if masked_share and any(w.kind in SPAN_KINDS for w in s.words) \
                and pick.random() < masked_share:
            s = s.masked()[0]
        pairs.append((s.english, s.pseudo))
    return pairs


def glossary_rendering(name: str) -> str:
    """A test glossary's qps spelling of a name: a respelling, close enough that the
    pipeline's name matching finds the model's copy of the English form."""
    out = name.replace("ph", "f").replace("th", "t").replace("c", "k").replace("w", "v")
    return out if out != name else name + "a"


def chrf(hypothesis: str, reference: str, order: int = 6, beta: float = 2.0) -> float:
    """chrF (Popović 2015): character n-gram F-score, n = 1..6, spaces ignored; 0..100."""
    from collections import Counter

    hyp, ref = hypothesis.replace(" ", ""), reference.replace(" ", "")
    precisions, recalls = [], []
    for n in range(1, order + 1):
        got = Counter(hyp[i:i + n] for i in range(len(hyp) - n + 1))
        want = Counter(ref[i:i + n] for i in range(len(ref) - n + 1))
        if not got or not want:
            continue
        common = sum((got & want).values())
        precisions.append(common / sum(got.values()))
        recalls.append(common / sum(want.values()))
    if not precisions:
        return 100.0 if hyp == ref else 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return 0.0 if p + r == 0 else 100 * (1 + beta ** 2) * p * r / (beta ** 2 * p + r)
