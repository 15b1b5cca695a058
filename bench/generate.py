"""Seeded generator of realistic CV bibliographies.

``generate_bib(n, seed)`` returns the text of a .bib file with ``n`` entries
of the types the CV's publication groups select:

* ``@article`` (most of them; a few with ``pubstate = {submitted}``) with
  journal, volume, number, pages and a unique doi;
* ``@dataset`` with publisher and url;
* ``@misc`` with howpublished;
* ``@phdthesis`` with school.

Years run from 1990 to 2025; each entry has 1-12 authors, some of them with
LaTeX-escaped names (``M{\\"u}ller``, ``Bj{\\o}rk``, ``Garc{\\'\\i}a``);
titles carry brace-protected acronyms and place names.  The CV owner
("Liu, L." / "Liu, Lin") is an author of most entries; the others name the
owner as a contributing author (``contribution = {Contributing author}``), as
a real CV does.  A few authors are people of the roster (``cv_roster``), so
markers are exercised; every roster person appears at least once.

The same ``(n, seed, roster)`` always gives the same text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence

OWNER_FORMS = ["Liu, L.", "Liu, L.", "Liu, L.", "Liu, Lin"]

# Surnames as they are written in BibTeX; a few need LaTeX escapes.
SURNAMES = [
    "Chen", "Zhang", "Wang", "Li", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Hu", "Guo", "He", "Lin",
    "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng",
    "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng", "Wei", "Su",
    "Lu", "Ding", "Ren", "Shen", "Yao", "Lu", "Jiang", "Cui", "Zhong", "Tan", "Lu", "Fan", "Wan",
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker",
    "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans",
    "Schaefer", "Zebker", "Larson", "Bartsch", "Parsekian", "Jafarov", "Panda", "Natali", "Khan",
    "Bevis", "Wahr", "Rignot", "Mouginot", "Kääb", "Schmidt", "Fischer", "Weber", "Wagner",
    "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun",
    "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Rossi", "Russo",
    "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi",
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
    "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Nowak", "Kowalski", "Novak",
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Johansson", "Karlsson",
    "van Dam", "van der Berg", "de Vries", "de Jong", "O'Brien", "MacDonald", "McCarthy",
    "Singh", "Kumar", "Sharma", "Gupta", "Patel", "Das", "Reddy", "Rao",
    "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida",
]
# The escaped ones: ``plain()`` in cvsphinx and pybtex's LaTeX decoder both meet them.
ESCAPED_SURNAMES = [
    'M{\\"u}ller', "Bj{\\o}rk", "Garc{\\'\\i}a", 'Sch{\\"a}fer', 'No{\\"e}l', 'B{\\"u}rgmann',
    "Mart{\\'\\i}nez", "Gonz{\\'a}lez", "P{\\'e}rez", "Fern{\\'a}ndez", "Hern{\\'a}ndez",
    "Andr{\\'e}", "Fran{\\c{c}}ois", "K{\\aa}rlsson", "{\\O}stergaard", 'Kr{\\"o}ger',
    "Dvo{\\v{r}}{\\'a}k", "{\\L}ukasiewicz", "S{\\o}rensen", 'J{\\"a}rvinen',
]
GIVEN_INITIALS = "ABCDEFGHJKLMNOPRSTVWXYZ"
GIVEN_FULL = [
    "Andreas", "Anna", "Bo", "Carlos", "Claire", "David", "Elena", "Emma", "Feng", "Hao", "Hui",
    "Ingrid", "Jan", "Jia", "Jun", "Kevin", "Kristine", "Lars", "Lei", "Maria", "Mei", "Ming",
    "Nina", "Olga", "Pablo", "Qing", "Rui", "Sara", "Sofia", "Tao", "Tom", "Wei", "Xin", "Yang",
    "Yi", "Ying", "Yong", "Zhen", "Zhi", "Jos{\\'e}", "Ren{\\'e}", "J{\\\"o}rg", "S{\\o}ren",
]

# Title pieces: braces protect acronyms and proper nouns, as in the real refs.bib.
ACRONYMS = [
    "{InSAR}", "{GPS}", "{GNSS}", "{GRACE}", "{SMAP}", "{ASCAT}", "{SAR}", "{ALOS-2}", "{Sentinel-1}",
    "{ICESat}", "{MODIS}", "{Landsat}", "{LiDAR}", "{ReSALT}", "{CryoSat-2}", "{TerraSAR-X}",
]
PLACES = [
    "{Alaska}", "{Greenland}", "{Antarctica}", "{Svalbard}", "{Tibetan Plateau}",
    "{Qinghai-Tibet Plateau}", "{Tien Shan}", "{Himalaya}", "{Arctic}", "{Siberia}", "{Barrow}",
    "{Prudhoe Bay}", "{Hong Kong}", "{Canadian Arctic Archipelago}", "{Yukon}", "{Andes}",
]
NOUNS = [
    "permafrost", "active layer thickness", "ground subsidence", "surface deformation",
    "rock glaciers", "thermokarst lakes", "glacier mass balance", "ice sheet elevation",
    "soil moisture", "freeze/thaw cycles", "seasonal uplift", "sea level change",
    "groundwater storage", "landslide kinematics", "snow water equivalent", "ice velocity",
    "terrestrial water storage", "coastal erosion", "surface water extent", "earthquake deformation",
    "post-seismic relaxation", "glacial isostatic adjustment", "retrogressive thaw slumps",
    "debris-covered glaciers", "ice-wedge polygons", "wildfire impacts", "carbon feedbacks",
]
VERBS = [
    "Mapping", "Monitoring", "Quantifying", "Detecting", "Characterizing", "Inferring",
    "Estimating", "Modelling", "Observing", "Constraining", "Reconstructing", "Understanding",
]
LINKS = ["using", "from", "with", "derived from", "inferred from", "constrained by", "revealed by"]
METHODS = [
    "interferometry", "reflectometry", "deep learning", "time series analysis", "field surveys",
    "ground-penetrating radar", "multi-temporal imagery", "Bayesian inversion", "a physical model",
    "numerical simulations", "satellite gravimetry", "persistent scatterers",
]

JOURNALS = [
    "Remote Sensing of Environment", "Remote Sensing", "The Cryosphere", "Geophysical Research Letters",
    "Journal of Geophysical Research: Earth Surface", "Journal of Geophysical Research: Solid Earth",
    "Earth and Planetary Science Letters", "Environmental Research Letters",
    "IEEE Transactions on Geoscience and Remote Sensing",
    "IEEE Journal of Selected Topics in Applied Earth Observations and Remote Sensing",
    "Permafrost and Periglacial Processes", "Geophysical Journal International",
    "Earth Surface Processes and Landforms", "Scientific Reports", "Nature Communications",
    "Journal of Glaciology", "Annals of Glaciology", "Geomorphology", "Water Resources Research",
    "Earth-Science Reviews", "Science China Earth Sciences", "Chinese Journal of Geophysics",
    "Journal of Hydrology", "Soil Science Society of America Journal", "Geophysics",
    "Earth System Science Data", "Hydrology {\\&} Earth System Sciences",
]
DOI_PREFIXES = ["10.1016", "10.3390", "10.5194", "10.1029", "10.1088", "10.1109", "10.1002", "10.1038",
                "10.1093", "10.1017", "10.1007", "10.1190", "10.1080", "10.1111"]
PUBLISHERS = [("PANGAEA", "https://doi.pangaea.de/10.1594/PANGAEA.{n}"),
              ("ORNL DAAC", "https://doi.org/10.3334/ORNLDAAC/{n}"),
              ("Zenodo", "https://doi.org/10.5281/zenodo.{n}"),
              ("National Snow and Ice Data Center", "https://nsidc.org/data/nsidc-{n}"),
              ("Arctic Data Center", "https://arcticdata.io/catalog/view/doi:10.18739/A2{n}")]
NEWSLETTERS = [
    "Changing Ice: A Newsletter of Cryosphere Research in Alaska", "CUHK Sustainable Campus",
    "Mountain Views", "EOS Science News", "Frozen Ground", "IEEE GRSS Newsletter",
    "Permafrost Newsletter", "The Conversation",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SCHOOLS = ["The Chinese University of Hong Kong", "University of Colorado at Boulder", "Stanford University",
           "Wuhan University", "University of Alaska Fairbanks", "ETH Z{\\\"u}rich",
           "Technical University of Denmark", "Universit{\\'e} Grenoble Alpes"]

# Entry type mix: (type, weight).
TYPES = [("article", 78), ("dataset", 8), ("misc", 12), ("phdthesis", 2)]


def roster_bib_names(roster: Iterable[dict]) -> list[list[str]]:
    """For each roster person, the BibTeX forms of their name ("Hu, Y.", "Hu, Yan")."""
    forms: list[list[str]] = []
    for person in roster:
        parts = str(person["name"]).split()
        last, given = parts[-1], parts[:-1]
        tokens = [t for g in given for t in re.split(r"[.\s]+", g) if t]
        initials = " ".join(f"{t[0]}." for t in tokens)
        full = " ".join(given)
        forms.append([f"{last}, {initials}", f"{last}, {full}"] if tokens else [last])
    return forms


class _Gen:
    def __init__(self, seed: int, roster_forms: Sequence[Sequence[str]]) -> None:
        self.rng = random.Random(seed)
        self.roster_forms = list(roster_forms)
        self.next_roster = 0
        self.keys: set[str] = set()
        self.dois = 0

    # -- people ---------------------------------------------------------------
    def person(self) -> str:
        rng = self.rng
        last = rng.choice(ESCAPED_SURNAMES) if rng.random() < 0.08 else rng.choice(SURNAMES)
        last = last.replace("Kääb", "K{\\\"a}{\\\"a}b")
        roll = rng.random()
        if roll < 0.15:
            given = rng.choice(GIVEN_FULL)
        elif roll < 0.55:
            given = f"{rng.choice(GIVEN_INITIALS)}. {rng.choice(GIVEN_INITIALS)}."
        else:
            given = f"{rng.choice(GIVEN_INITIALS)}."
        return f"{last}, {given}"  # "van Dam, T.": the von part stays with the surname

    def roster_person(self, pick_in_order: bool) -> str:
        if pick_in_order:
            forms = self.roster_forms[self.next_roster % len(self.roster_forms)]
            self.next_roster += 1
        else:
            forms = self.rng.choice(self.roster_forms)
        return forms[0] if self.rng.random() < 0.8 or len(forms) == 1 else forms[1]

    def authors(self, index: int, etype: str) -> tuple[list[str], bool]:
        rng = self.rng
        if etype == "phdthesis":
            return [rng.choice(OWNER_FORMS)], True
        count = min(12, max(1, int(rng.triangular(1, 12, 4))))
        people = [self.person() for _ in range(count)]
        owner = rng.random() < 0.9
        if owner:
            pos = 0 if rng.random() < 0.35 else rng.randrange(count)
            people[pos] = rng.choice(OWNER_FORMS)
        # A few entries have a supervisee; the first ones walk the roster so all appear.
        if self.roster_forms and (index < 3 * len(self.roster_forms) or rng.random() < 0.12) and count > 1:
            free = [i for i, p in enumerate(people) if not p.startswith("Liu, L")]
            if free:
                people[rng.choice(free)] = self.roster_person(index < 3 * len(self.roster_forms))
        # No author twice in one entry (a real list never has that).
        seen: set[str] = set()
        unique = []
        for p in people:
            if p not in seen:
                seen.add(p)
                unique.append(p)
        return unique, owner

    # -- text -----------------------------------------------------------------
    def title(self) -> str:
        rng = self.rng
        shape = rng.random()
        noun, other_noun = rng.sample(NOUNS, 2)
        place = rng.choice(PLACES)
        acronym, other_acronym = rng.sample(ACRONYMS, 2)
        if shape < 0.35:
            text = f"{rng.choice(VERBS)} {noun} in {place} {rng.choice(LINKS)} {acronym} data and {rng.choice(METHODS)}"
        elif shape < 0.6:
            text = f"{noun.capitalize()} {rng.choice(LINKS)} {acronym} and {other_acronym} observations"
        elif shape < 0.8:
            text = (f"{rng.choice(VERBS)} {noun} over {place}, {rng.randint(1990, 2020)}--{rng.randint(2021, 2025)}: "
                    f"{{A}} case study with {rng.choice(METHODS)}")
        else:
            text = f"{{{rng.choice(['Pre-ABoVE', 'ABoVE', 'CCI', 'ESA', 'NASA'])}}}: {noun} and {other_noun} in {place}"
        return text[0].upper() + text[1:]

    def key(self, first_author: str, year: int, title: str) -> str:
        last = first_author.split(",")[0]
        last = re.sub(r"\\.|[^A-Za-z]", "", last.replace("{\\o}", "o").replace("{\\O}", "O")).lower() or "anon"
        word = next((w for w in re.sub(r"[^A-Za-z ]", " ", title).lower().split()
                     if w not in {"a", "an", "the", "of", "in", "on", "and"}), "x")
        key = f"{last}{year}{word}"
        base, suffix = key, 0
        while key in self.keys:
            suffix += 1
            key = f"{base}{chr(ord('a') + (suffix - 1) % 26)}{'' if suffix <= 26 else suffix // 26}"
        self.keys.add(key)
        return key

    def entry(self, index: int) -> str:
        rng = self.rng
        etype = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        year = rng.randint(1990, 2025)
        authors, owner = self.authors(index, etype)
        title = self.title()
        fields: list[tuple[str, str]] = [("author", " and ".join(authors)), ("title", title)]
        if not owner:
            fields.append(("contribution", "Contributing author"))
        if etype == "article":
            fields.append(("journal", rng.choice(JOURNALS)))
            fields.append(("year", str(year)))
            submitted = rng.random() < 0.04
            if submitted:
                fields.append(("pubstate", "submitted"))
            else:
                fields.append(("volume", str(rng.randint(1, 250))))
                if rng.random() < 0.7:
                    fields.append(("number", str(rng.randint(1, 24))))
                if rng.random() < 0.8:
                    first = rng.randint(1, 9000)
                    fields.append(("pages", f"{first}--{first + rng.randint(3, 30)}"))
                else:
                    fields.append(("pages", f"e{year}GL{rng.randint(10000, 99999):06d}"))
                self.dois += 1
                fields.append(("doi", f"{rng.choice(DOI_PREFIXES)}/cv.{year}.{self.dois:06d}"))
        elif etype == "dataset":
            publisher, url = rng.choice(PUBLISHERS)
            fields += [("publisher", publisher), ("year", str(year)),
                       ("url", url.format(n=800000 + index))]
        elif etype == "misc":
            fields += [("howpublished", f"{rng.choice(NEWSLETTERS)}, Volume {rng.randint(1, 40)}, "
                                        f"No {rng.randint(1, 12)}, {rng.choice(MONTHS)} {year}"),
                       ("year", str(year))]
        else:
            fields += [("school", rng.choice(SCHOOLS)), ("year", str(year))]
        key = self.key(authors[0], year, title)
        width = max(len(name) for name, _ in fields)
        body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
        return f"@{etype}{{{key},\n{body}\n}}\n"


def generate_bib(n: int, seed: int = 20240601, roster: Iterable[dict] = ()) -> str:
    """The text of a .bib file with ``n`` entries; same arguments, same text."""
    gen = _Gen(seed, roster_bib_names(roster))
    header = (f"% Generated by bench/generate.py: {n} entries, seed {seed}.\n"
              "% Synthetic data for the benchmark; not real publications.\n\n")
    return header + "\n".join(gen.entry(i) for i in range(n))


def change_one_title(text: str, marker: str) -> str:
    """The same .bib text with the first entry's title changed: it starts with ``marker``.

    Handles ``title = {...}`` and ``title = "..."``.
    """
    return re.sub(r"(\n[ \t]*title\s*=\s*[{\"])", lambda m: m.group(1) + marker + " ", text, count=1,
                  flags=re.IGNORECASE)


if __name__ == "__main__":  # python -m bench.generate 20 > sample.bib
    import sys

    print(generate_bib(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
