"""A reproducible corpus of marketing drafts for the benchmark.

Drafts are composed from the paragraphs of the project's ``fixtures/`` drafts and from the sentence templates
below (written for this benchmark), filled with seeded random values. Every draft has its own title and
values, so no two drafts are alike. The mix is that of real clinic copy: mostly explanatory prose, with
outcome statistics, FDA mentions, durations, prices and the required statements here and there.
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SUFFIXES = {".txt"}  # plain-text fixtures; Markdown/HTML fixtures have markup of their own

CONDITIONS = ["an annular tear", "a herniated disc", "degenerative disc disease", "sciatica",
              "a bulging disc", "chronic low back pain", "discogenic pain", "a torn disc"]
PLACES = ["Harbor", "Lakeside", "Summit", "Riverbend", "Cedar Hills", "Northgate", "Bayview", "Westfield",
          "Maple Grove", "Stonebridge", "Pinecrest", "Fairview"]
DOCTORS = ["Dr. Alvarez", "Dr. Chen", "Dr. Okafor", "Dr. Lindqvist", "Dr. Patel", "Dr. Moreau",
           "Dr. Nakamura", "Dr. Haddad", "Dr. Brennan", "Dr. Kowalski"]
OUTCOME_NOUNS = ["relief", "improvement", "reduced pain", "better function", "satisfaction"]
ACTIVITIES = ["work", "golf", "running", "the gym", "daily activities", "full duty"]
TOPICS = ["Fibrin Disc Repair", "Annular Tears", "Sciatica Care", "Back Pain Recovery", "Disc Health",
          "Spine Treatment Options", "Life After Disc Repair", "Returning to Activity", "Fusion Alternatives"]
QUESTIONS = ["What Is", "Understanding", "A Patient Guide to", "Questions About", "Five Facts About",
             "Living With", "Preparing for", "Myths About"]

# Explanatory prose without figures (most of a draft).
PLAIN = [
    "The outer ring of each spinal disc is made of tough, layered fibres that hold the soft centre in place.",
    "When that ring splits, the inner material can press on nearby nerves and cause aching or sharp pain.",
    "Many people first notice the problem after lifting something heavy or twisting awkwardly.",
    "Pain that travels down one leg is often a sign that a nerve root is irritated.",
    "Your care team will start with a careful history and a hands-on examination.",
    "Imaging helps show where a disc has changed shape, but it never tells the whole story.",
    "Physical therapy, activity changes and medication are usually tried before any injection.",
    "The procedure is performed through a thin needle under live X-ray guidance.",
    "A biologic sealant is placed where the disc wall has weakened.",
    "Most people walk out of the clinic on the same day and rest at home that evening.",
    "Gentle walking is encouraged, while heavy lifting should wait until your physician agrees.",
    "Not every patient is a candidate, and a consultation is the only way to find out.",
    "We explain the risks, the alternatives and what the recovery usually involves before you decide.",
    "Bring a list of your medicines and any recent scans to the first visit.",
    "Smoking slows tissue repair, so quitting helps whatever treatment you choose.",
    "Sleep, posture and core strength all affect how the spine copes with daily strain.",
    "Ask our coordinators about insurance questions; they handle these calls every day.",
    "Some patients feel soreness at the injection site, which usually settles on its own.",
    "Keeping a simple pain diary makes follow-up conversations more useful.",
    "Our physicians trained in interventional spine care and attend regular continuing education.",
    "The team reviews each case together before recommending a plan.",
    "A referral from your primary doctor is welcome but not required.",
    "Open surgery removes or fuses tissue, while a sealant aims to close the tear instead.",
    "Everyone's spine is different, so the plan we suggest is built around your history and goals.",
    "Parking is free, and the building has step-free access from the street.",
    "If numbness, weakness or loss of bladder control appears, seek emergency care at once.",
    "Questions after the procedure can be sent through the patient portal at any hour.",
    "We coordinate with your physical therapist so the exercises match the stage of healing.",
]

# Sentences with figures that are not outcome claims (durations, ages, years, prices, phone numbers, levels).
FIGURES = [
    "The visit takes about {m} minutes, and most people go home within {h} hours.",
    "{doctor} has {y} years of experience and has performed more than {k},{t:03d} procedures since {year}.",
    "Call {phone} or visit us at {street} {place} Boulevard.",
    "Patients aged {a} to {b} make up most of our practice.",
    "Treatment most often involves the L{l}-L{l1} or L5-S1 levels.",
    "A consultation costs ${price}, and many plans cover part of the fee.",
    "Plan on {w} to {w2} weeks of lighter activity after the injection.",
    "Our {place} office opened in {year} and is open until {clock} p.m. on weekdays.",
    "Follow-up visits are scheduled at {w} weeks, {mo} months and one year.",
    "Read our {s} signs that it is time to see a spine specialist.",
    "Most people take {d} days off work, depending on the job.",
]

# Outcome claims: each gets a qualifier, a vague qualifier, or nothing, at random.
CLAIMS = [
    "In our {year} registry, {p}% of patients reported meaningful {outcome}.",
    "Across {n} treated patients, the reported success rate was {p}%.",
    "Average Oswestry scores fell from {hi} points to {lo} points at one year.",
    "{word} out of ten patients would recommend the procedure to a friend.",
    "About {p}% of patients returned to {activity} within {w} weeks.",
    "VAS pain dropped from {hi} mm to {lo} mm in the first year.",
    "Patients were {word2} times more likely to avoid fusion surgery.",
    "Roughly two-thirds of patients reported lasting relief.",
    "Satisfaction held at {p}% two years after treatment.",
    "Fusion carries a revision rate above {q}% at ten years.",
]
QUALIFIERS = ["Individual outcomes vary.", "Individual results may vary.", "Results may vary.",
              "Individual timelines vary.", ""]

# FDA wording, true and overreaching.
FDA = [
    "The fibrin sealant used in the procedure is FDA-approved as a sealant.",
    "Our clinic offers an FDA-approved procedure for torn discs.",
    "Fibrin injection into the disc has not been approved by the FDA for disc repair.",
    "The sealant was cleared by the FDA in {year}, according to some websites.",
    "The Food and Drug Administration reviews drugs, devices and biologics before they are sold.",
    "Many patients ask whether the treatment is FDA approved; we answer that question openly.",
]
FDA_SCOPE = ("The fibrin sealant used in the procedure is FDA-approved as a sealant. Specific clinical "
             "applications, candidacy, and outcomes vary by patient.")
DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical "
              "advice, diagnosis, or treatment.")


def fixture_paragraphs(root: Path = ROOT) -> list[str]:
    """Paragraphs of the plain-text fixture drafts (blank-line separated), joined onto one line each."""
    paragraphs: list[str] = []
    for path in sorted((root / "fixtures").rglob("*")):
        if path.suffix not in FIXTURE_SUFFIXES or not path.is_file():
            continue
        for chunk in path.read_text(encoding="utf-8").split("\n\n"):
            text = " ".join(chunk.split())
            if len(text.split()) >= 6 and not text.startswith(("-", "•")):
                paragraphs.append(text)
    return paragraphs


class Composer:
    def __init__(self, seed: int, fixtures: list[str]) -> None:
        self.random = random.Random(seed)
        self.fixtures = fixtures

    def fill(self, template: str) -> str:
        r = self.random
        hi = r.randint(40, 80)
        w = r.randint(2, 6)
        level = r.randint(2, 4)
        values = {
            "m": r.choice([30, 40, 45, 60, 90]), "h": r.randint(2, 4), "y": r.randint(8, 30),
            "k": r.randint(1, 9), "t": r.randint(0, 999), "year": r.randint(1998, 2024),
            "phone": f"555-{r.randint(200, 999)}-{r.randint(1000, 9999)}", "street": r.randint(100, 9999),
            "place": r.choice(PLACES), "a": r.randint(25, 40), "b": r.randint(55, 75),
            "l": level, "l1": level + 1,
            "price": r.randint(150, 450), "w": w, "w2": w + r.randint(2, 6), "clock": r.randint(5, 8),
            "mo": r.choice([3, 6]), "s": r.randint(3, 9), "d": r.randint(1, 5), "p": r.randint(55, 95),
            "n": r.randint(80, 900), "outcome": r.choice(OUTCOME_NOUNS),
            "hi": hi, "lo": hi - r.randint(15, 35),
            "word": r.choice(["Seven", "Eight", "Nine"]), "word2": r.choice(["two", "three"]),
            "activity": r.choice(ACTIVITIES), "q": r.randint(8, 20), "doctor": r.choice(DOCTORS),
        }
        return template.format(**values)

    def paragraph(self) -> str:
        r = self.random
        kind = r.random()
        sentences = [r.choice(PLAIN) for _ in range(r.randint(2, 4))]
        if kind < 0.22:  # an outcome statistic
            sentences.insert(r.randint(0, len(sentences)), self.fill(r.choice(CLAIMS)))
            qualifier = r.choice(QUALIFIERS)
            if qualifier:
                sentences.append(qualifier)
        elif kind < 0.40:  # logistics with figures that are not claims
            sentences.insert(r.randint(0, len(sentences)), self.fill(r.choice(FIGURES)))
        elif kind < 0.47:  # an FDA mention
            sentences.insert(r.randint(0, len(sentences)), self.fill(r.choice(FDA)))
        elif kind < 0.55 and self.fixtures:
            return r.choice(self.fixtures)
        return " ".join(sentences)

    def draft(self, number: int, words: int) -> str:
        r = self.random
        title = (f"{r.choice(QUESTIONS)} {r.choice(TOPICS)} in {r.choice(PLACES)} "
                 f"(draft {number:05d}, {r.choice(CONDITIONS)})")
        parts = [title]
        count = len(title.split())
        while count < words:
            text = self.paragraph()
            parts.append(wrap(text) if r.random() < 0.5 else text)
            count += len(text.split())
        if r.random() < 0.6:
            parts.append(wrap(FDA_SCOPE))
        if r.random() < 0.85:
            parts.append(wrap(DISCLAIMER))
        return "\n\n".join(parts) + "\n"


def wrap(text: str, width: int = 88) -> str:
    """Hard-wrap a paragraph as hand-edited drafts often are."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def write_corpus(directory: Path, drafts: int = 500, words: int = 1300, seed: int = 20240501) -> int:
    """Write ``drafts`` drafts of about ``words`` words each; returns the total number of words."""
    directory.mkdir(parents=True, exist_ok=True)
    composer = Composer(seed, fixture_paragraphs())
    total = 0
    for number in range(drafts):
        text = composer.draft(number, words)
        total += len(text.split())
        (directory / f"draft-{number:05d}.txt").write_text(text, encoding="utf-8")
    return total


def write_single(path: Path, words: int = 2000, seed: int = 7) -> int:
    text = Composer(seed, fixture_paragraphs()).draft(99999, words)
    path.write_text(text, encoding="utf-8")
    return len(text.split())
