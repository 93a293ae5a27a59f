"""
Wire-copy-like text for seeded stories: headlines, standfirsts and bodies.

Bodies are HTML in exactly the form the body field's sanitiser keeps
(paragraphs, subheads, a blockquote, links), so loading them in bulk, past
the sanitiser, stores what an editor's save would have stored.
"""

import bisect
import itertools
import random

from . import pools
from .pools import lines

ACTORS, OBJECTS, CHANGES = lines(pools.ACTORS), lines(pools.OBJECTS), lines(pools.CHANGES)
SAID, WHEN, PLANS = lines(pools.SAID), lines(pools.WHEN), lines(pools.PLANS)
ROLES, SUBHEADS = lines(pools.ROLES), lines(pools.SUBHEADS)
SUBJECTS, VERBS = lines(pools.HEADLINE_SUBJECTS), lines(pools.HEADLINE_VERBS)
HEADLINE_OBJECTS, TAILS = lines(pools.HEADLINE_OBJECTS), lines(pools.HEADLINE_TAILS)
COMPANY_KINDS = lines(pools.COMPANY_KINDS)

# One sentence shape a line; the pool is made by filling these in.
TEMPLATES = [
    "{Actor} {said} {when} that {object} would be {changed} by {n} percent.",
    "{Object} {change} {n} percent {when}, {actor} {said}.",
    "{Actor} {plans} {plan} {object} {when}, according to {actor2}.",
    "Talks on {object} will resume {when}, {actor} {said}.",
    "{Actor} {has} asked {actor2} {plan} {object} before the end of the year.",
    "The decision on {object} was taken {when} after a long debate.",
    "According to {actor}, {object} {change} by {n} percent compared with a year earlier.",
    "{Actor} did not comment on {object}, but {actor2} {said} the issue remained open.",
    "It is the {ordinal} time {when} that {actor} {has} raised {object}.",
    "{Actor} {expects} {object} to stay at about {n} billion roubles.",
    "Critics say {object} has been held back by delays and rising costs.",
    "{Actor} {said} that a working group would study {object} and report {when}.",
    "Earlier, {actor} proposed {plan} {object}, a move {actor2} opposed.",
    "The figures on {object} will be published {when}.",
]
ORDINALS = ["second", "third", "fourth", "fifth"]
RUN = 40  # the most sentences one run of text takes from the pool


def between(rng, low, high):
    """rng.randint(low, high), at a fraction of its cost in loops run millions of times."""
    return low + int(rng.random() * (high - low + 1))


def is_plural(actor):
    """"Farmers", "police", "union leaders" are plural; "the United Nations" is not."""
    actor = actor.lower()
    return actor == "police" or (actor.endswith("s") and not actor.startswith("the "))


def plural_verb(verb):
    """The verb after a plural subject: "raises" -> "raise", "reaches" -> "reach"."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


def company_names():
    """Every company, project and ship name stories may mention, in a fixed order."""
    names = []
    for onset, vowel, coda in itertools.product(pools.ONSETS, pools.VOWELS, pools.CODAS):
        for ending in ("a", "ex", "on", "ia", "is", "ar"):
            names.append(f"{onset}{vowel}{coda}{ending}".capitalize())
    random.Random(0).shuffle(names)
    return names


class Writer:
    """
    Text for one archive, from its own random generator. Sentences come
    from a pool made once, so a million bodies cost seconds, not minutes.
    """

    def __init__(self, rng, people, pool_size=20000):
        self.rng = rng
        self.people = people
        self.companies = company_names()
        made = [self._sentence() for _ in range(pool_size)]
        self.sentences = [sentence for sentence, _ in made]
        # Words before each sentence of the pool, and after the last.
        self.words = list(itertools.accumulate((count for _, count in made), initial=0))

    def _sentence(self):
        rng = self.rng
        template = rng.choice(TEMPLATES)
        actor, actor2 = rng.sample(ACTORS, 2)
        plural = is_plural(actor)
        sentence = template.format(
            actor=actor, Actor=actor[0].upper() + actor[1:], actor2=actor2,
            plans="plan" if plural else "plans", has="have" if plural else "has",
            expects="expect" if plural else "expects",
            object=(obj := rng.choice(OBJECTS)), Object=obj[0].upper() + obj[1:],
            said=rng.choice(SAID), when=rng.choice(WHEN), plan=rng.choice(PLANS),
            change=rng.choice(CHANGES), changed=rng.choice(["raised", "cut", "revised"]),
            n=rng.choice([rng.randint(2, 30), round(rng.uniform(0.1, 9.9), 1)]),
            ordinal=rng.choice(ORDINALS),
        )  # fmt: skip
        return sentence, len(sentence.split())

    def headline(self, place_name):
        rng = self.rng
        subject, verb = rng.choice(SUBJECTS), rng.choice(VERBS)
        words = [subject, plural_verb(verb) if is_plural(subject) else verb]
        words.append(rng.choice(HEADLINE_OBJECTS))
        tail = rng.random()
        if tail < 0.4:
            words.append(rng.choice(TAILS))
        elif tail < 0.6:
            words.append(f"in {place_name}")
        return " ".join(words)

    def sentences_of(self, target):
        """A run of pool sentences of about ``target`` words: (text, words)."""
        # The pool is in random order already: a run from a random start is
        # as varied as sentences drawn one by one, at a fraction of the cost.
        start = self.rng.randrange(len(self.sentences) - RUN)
        stop = bisect.bisect_left(self.words, self.words[start] + target, start + 1, start + RUN)
        return " ".join(self.sentences[start:stop]), self.words[stop] - self.words[start]

    def quote(self):
        n = self.rng.randrange(len(self.sentences))
        who, role = self.rng.choice(self.people), self.rng.choice(ROLES)
        return f"“{self.sentences[n][:-1]},” said {who}, {role}.", self.words[n + 1] - self.words[n] + 5

    def company(self, place_name):
        name, kind = self.rng.choice(self.companies), self.rng.choice(COMPANY_KINDS)
        text = f"{name}, {kind} based in {place_name}, said it was following the talks closely."
        return text, len(text.split())

    def body(self, words, place_name, earlier_url=None):
        """About ``words`` words of HTML: paragraphs, subheads, a quote, links."""
        rng = self.rng
        paragraphs, total = [], 0
        subheads = {between(rng, 3, 5), between(rng, 8, 10)} if words > 700 else {4}
        while total < words:
            if len(paragraphs) in subheads and words > 450:
                paragraphs.append(f"<h2>{rng.choice(SUBHEADS)}</h2>")
            text, count = self._paragraph(len(paragraphs), place_name)
            paragraphs.append(text)
            total += count
        self._add_links(paragraphs, earlier_url)
        return "".join(paragraphs), total

    def _paragraph(self, index, place_name):
        rng, roll = self.rng, self.rng.random()
        if index and roll < 0.15:
            text, count = self.quote()
            return f"<p>{text}</p>", count
        if index and roll < 0.2:
            text, count = self.quote()
            return f"<blockquote><p>{text}</p></blockquote>", count
        text, count = self.sentences_of(between(rng, 40, 90))
        if roll > 0.97:
            company, extra = self.company(place_name)
            text, count = f"{text} {company}", count + extra
        return f"<p>{text}</p>", count

    def _add_links(self, paragraphs, earlier_url):
        """An earlier story (half of them) and an outside report (a quarter)."""
        rng = self.rng
        plain = [i for i, p in enumerate(paragraphs) if p.startswith("<p>")]
        if earlier_url and rng.random() < 0.5:
            i = rng.choice(plain)
            link = f' Read more: <a href="{earlier_url}">earlier coverage</a>.</p>'
            paragraphs[i] = paragraphs[i][: -len("</p>")] + link
        if rng.random() < 0.25:
            i = rng.choice(plain)
            report = rng.randint(1000, 99999)
            link = f' <a href="https://example.org/reports/{report}">The full report</a> is online.</p>'
            paragraphs[i] = paragraphs[i][: -len("</p>")] + link
