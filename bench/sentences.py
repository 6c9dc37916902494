"""The benchmark text: 200 news-like English sentences, the same on every machine.

120 come from the fixture corpus (the demo articles' sentences, titles and captions left out:
only full sentences of five words or more), 80 from news templates filled by a seeded random
generator with names, places and numbers. They are grouped into 10 articles of 20 sentences
(a title and four paragraphs), the shape the pipeline and argostranslate are fed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from l10n.packages.demo import load_pair

COUNT, FROM_CORPUS, PER_ARTICLE = 200, 120, 20
SEED = 2026

TEMPLATES = (
    ("{person}, who leads the {body}, said on {day} that the {project} would cost {n} million "
     "{currency}."),
    "The {body} of {city} voted on {day} to approve the {project}.",
    "According to the {body}, {n} people had to leave their homes after the {event} in {city}.",
    "{person} told reporters in {city} that the talks would continue next week.",
    "Officials expect the {project} to be finished by the end of {year}.",
    "Prices for {goods} rose by {small} per cent in {month}, the statistics office said.",
    "Critics say the {project} is too expensive and will not solve the problem.",
    "The {event} in {city} caused damage worth about {n} million {currency}.",
    "{person} has worked for the {body} since {year} and knows the region well.",
    "On {day}, {n} volunteers helped to clean the streets of {city}.",
)
SLOTS = {
    "person": ("Anna Weber", "Igor Belov", "Lucía Herrera", "Daniel Weber", "Maria Santos",
               "Pierre Martin", "Olga Petrova", "João Silva"),
    "body": ("city council", "regional government", "ministry of health", "football club",
             "port authority", "national bank", "university", "fire service"),
    "project": ("new bridge", "metro line", "water plant", "stadium", "hospital wing",
                "solar park", "ring road", "harbour"),
    "city": ("Volgoretsk", "Lisbon", "Lyon", "Seville", "Hamburg", "Porto", "Kazan", "Bilbao"),
    "event": ("flood", "storm", "fire", "drought", "strike", "earthquake"),
    "goods": ("bread", "petrol", "coffee", "rice", "electricity", "housing"),
    "currency": ("euros", "dollars", "roubles", "reais"),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "month": ("January", "March", "May", "July", "September", "November"),
}


@dataclass(frozen=True)
class BenchArticle:
    title: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def sentences() -> list[str]:
    """The 200 sentences, unique, in a fixed order."""
    corpus = dict.fromkeys(source for target in ("de", "fr", "es", "pt", "ru")
                           for source, _ in load_pair("en", target))
    chosen = [s for s in corpus if s.endswith(".") and len(s.split()) >= 5
              and "photo by" not in s][:FROM_CORPUS]
    rng = random.Random(SEED)
    generated: dict[str, None] = {}
    while len(generated) < COUNT - len(chosen):
        values = {name: rng.choice(options) for name, options in SLOTS.items()}
        values |= {"n": rng.randint(2, 950), "small": rng.randint(2, 19),
                   "year": rng.randint(2018, 2031)}
        sentence = rng.choice(TEMPLATES).format(**values)
        if sentence not in corpus:
            generated[sentence] = None
    mixed = chosen + list(generated)
    random.Random(SEED).shuffle(mixed)
    assert len(set(mixed)) == COUNT
    return mixed


def articles() -> list[BenchArticle]:
    """The sentences as 10 articles: a title and paragraphs of 5, 5, 5 and 4 sentences."""
    out = []
    text = sentences()
    for start in range(0, COUNT, PER_ARTICLE):
        chunk = text[start:start + PER_ARTICLE]
        body = chunk[1:]
        out.append(BenchArticle(chunk[0], tuple(" ".join(body[i:i + 5])
                                                for i in range(0, len(body), 5))))
    return out
