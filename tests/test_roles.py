"""The role of a number, read from its words (``grounding.roles``), and the gate that keeps every
number whose role is not a toll out of the tolls, whatever the model answers.

The plain forms of a toll are found on generated sentences (hypothesis), not on one example each.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.grounding import ground_casualty, roles
from summarizer.grounding.roles import Role, Status
from summarizer.ingest.article import make_article

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
         11: "eleven", 12: "twelve", 19: "nineteen", 20: "twenty", 46: "forty-six"}
numbers = st.one_of(st.integers(2, 999).map(str), st.sampled_from([w for v, w in WORDS.items() if v > 1]))
people = st.sampled_from(["people", "passengers", "civilians", "workers", "residents", "soldiers", "children"])
places = st.sampled_from(["Northtown", "Port Vale", "Westbury", "Eastham County", "Lakeside"])
days = st.sampled_from(["on Monday", "on Thursday", "late Friday", "early Sunday", ""])
claimants = st.sampled_from(["police said", "officials said", "the sheriff's office said", "state media reported"])


def _role(sentence: str, number: str) -> roles.Reading:
    rd = roles.reading_at(sentence, sentence.index(number), sentence.index(number) + len(number))
    assert rd is not None, sentence
    return rd


def _kept(sentence: str, killed: int | None = None, injured: int | None = None):
    art = make_article(sentence, id="gen")
    return ground_casualty(art, evidence=sentence, killed=killed, injured=injured, place=None, claimed_by=None)


def _value(n: str) -> int:
    return next((v for v, w in WORDS.items() if w == n), None) or int(n)


@settings(max_examples=40, deadline=None)
@given(n=numbers, m=numbers, place=places, day=days)
def test_the_n_dead_and_m_wounded(n, m, place, day):
    s = f"In addition to the {n} dead, {m} people were wounded in {place} {day}.".replace(" .", ".")
    assert _role(s, f"the {n} dead"[4:4 + len(n)]).role == Role.KILLED
    out = _kept(s, killed=_value(n))
    assert out.record is not None and out.record.killed.value == _value(n)


@settings(max_examples=40, deadline=None)
@given(n=numbers, who=people, place=places, day=days, claim=claimants)
def test_n_people_died(n, who, place, day, claim):
    s = f"{n.capitalize()} {who} died in {place} {day}, {claim}.".replace(" ,", ",")
    rd = roles.reading_at(s, 0)
    assert rd is not None and rd.role == Role.KILLED and rd.status == Status.CURRENT
    out = _kept(s, killed=_value(n))
    assert out.record is not None and out.record.killed.value == _value(n)


@settings(max_examples=40, deadline=None)
@given(n=numbers, verb=st.sampled_from(["stands at", "now stands at", "rose to", "has risen to", "climbed to"]),
       place=places)
def test_the_death_toll_stands_at(n, verb, place):
    s = f"The death toll in {place} {verb} {n}, officials said."
    assert _role(s, f" {n},"[1:-1]).role == Role.KILLED
    out = _kept(s, killed=_value(n))
    assert out.record is not None and out.record.killed.value == _value(n)


@settings(max_examples=40, deadline=None)
@given(who=st.sampled_from(["passenger", "woman", "man", "child", "worker", "police officer", "pedestrian"]),
       verb=st.sampled_from(["was killed", "was killed instantly", "has been killed"]), day=days, place=places)
def test_a_passenger_was_killed_counts_one(who, verb, day, place):
    article = "an" if who[0] in "aeiou" else "a"
    s = f"{article.capitalize()} {who} {verb} {day} when a car lost control near {place}.".replace("  ", " ")
    found = roles.singular_counts(s, 0, len(s))
    assert [(f.words.lower(), f.role) for f in found] == [(f"{article} {who}", Role.KILLED)]
    out = _kept(s, killed=1)
    assert out.record is not None and out.record.killed.value == 1
    assert out.record.killed.citation.text.lower() == f"{article} {who}"


@settings(max_examples=40, deadline=None)
@given(a=st.integers(2, 9), b=st.integers(2, 9), c=st.sampled_from(["one", "two", "three"]),
       p=st.permutations(["Nebraska", "Wisconsin", "Kansas", "Iowa"]))
def test_per_place_deaths_in_a_round_up(a, b, c, p):
    s = f"There were at least {a} deaths in {p[0]}, {b} in {p[1]} and {c} in {p[2]}."
    got = [(rd.text, rd.role) for rd in roles.read_roles(s)]
    assert got == [(str(a), Role.KILLED), (str(b), Role.KILLED), (c, Role.KILLED)]
    out = _kept(s, killed=b)
    assert out.record is not None and out.record.killed.value == b


# --- the gate: numbers of other roles are never tolls ----------------------------------------------

NOT_TOLLS = [
    ("Get alerts from the KXYZ 12 news desk after the crash killed nobody.", 12, "identifier"),
    ("The crash on Route 9 killed nobody, police said.", 9, "identifier"),
    ("Flight 447 crashed and killed everyone aboard, officials said.", 447, "identifier"),
    ("Temperatures 10 to 35 degrees below normal killed crops.", 35, "measure"),
    ("Up to 10,000 new cases a week could be reported by December, killing many.", 10000, "cases"),
    ("The 27-year-old gunman killed himself.", 27, "age"),
    ("The storm killed cattle worth $12 million.", 12, "money"),
]


def test_numbers_of_other_roles_are_refused_whatever_the_model_answers():
    for sentence, value, role in NOT_TOLLS:
        out = _kept(sentence, killed=value)
        assert out.record is None, sentence
        codes = {i.code for i in out.issues}
        refused = {"wrong_role", "projection", "counts_things", "not_a_casualty_figure", "not_in_text"}
        assert codes & refused, (sentence, codes)
        n = next(rd for rd in roles.read_roles(sentence) if rd.text.split()[0].replace(",", "") == str(value))
        assert not (n.is_casualty and n.status == Status.CURRENT), (sentence, n)
        assert n.role.value == role or n.status == Status.PROJECTION, (sentence, n.role, n.why())


def test_a_recalled_toll_stays_background():
    s = "It was the deadliest attack since the nightclub shooting that killed 49 people in 2016."
    out = _kept(s, killed=49)
    assert out.record is not None and out.record.background is True


def test_a_projection_is_not_a_toll():
    s = "Officials fear as many as 300 people could die if the dam breaks."
    rd = next(r for r in roles.read_roles(s) if r.text == "300")
    assert rd.status == Status.PROJECTION
    out = _kept(s, killed=300)
    assert out.record is None and "projection" in {i.code for i in out.issues}


def test_other_roles_are_read_from_the_text_beside_the_toll():
    s = ("The flood killed 12 people, 40 others were injured, 3,000 residents were evacuated "
         "and 7 people are still missing, officials said.")
    out = _kept(s, killed=12)
    r = out.record
    assert r is not None
    got = {k: (getattr(r, k).value if getattr(r, k) else None)
           for k in ("killed", "missing", "displaced", "hospitalized", "arrested", "cases")}
    assert got == {"killed": 12, "missing": 7, "displaced": 3000, "hospitalized": None, "arrested": None,
                   "cases": None}


def test_explain_names_the_rule_and_the_verdict():
    s = "Get alerts from the KXYZ 12 news desk."
    rd = roles.reading_at(s, s.index("12"))
    text = roles.explain(s, rd)
    assert "identifier" in text and "KXYZ" in text and "never kept as a casualty figure" in text


def test_a_figure_with_no_time_of_its_own_takes_the_time_of_the_sentence_before():
    text = ("Since the war began in 2011, the country has been devastated. "
            "Some 7.6 million people have been internally displaced, the agency said.")
    art = make_article(text, id="bg")
    s = text.index("Some")
    out = ground_casualty(art, evidence=text[s:], killed=None, injured=None, place=None, claimed_by=None)
    assert out.record is not None and out.record.displaced.value == 7_600_000 and out.record.background is True
    today = "The storm hit on Monday. Some 3,000 people were evacuated, the agency said."
    art = make_article(today, id="now")
    s = today.index("Some")
    out = ground_casualty(art, evidence=today[s:], killed=None, injured=None, place=None, claimed_by=None)
    assert out.record is not None and out.record.displaced.value == 3000 and out.record.background is False


def test_other_roles_reach_the_briefing_and_its_views_killed_first():
    from conftest import FakeBackend

    from summarizer import brief

    fake = FakeBackend(default={"killed": 12, "injured": None, "place": "Northtown", "claimed_by": "officials"})
    b = brief(["The flood killed 12 people in Northtown on Monday and 3,000 residents were evacuated, "
               "officials said."], model=fake)
    e = b.events[0]
    assert (e.killed.best, e.displaced.best) == (12, 3000)
    assert e.displaced.claims[0].claimant == "officials"
    md = b.to_markdown()
    assert "**Killed**" in md and "**Displaced**" in md and md.index("**Killed**") < md.index("**Displaced**")
    html = b.to_html()
    assert "Displaced" in html


def test_a_cluster_with_no_deaths_shows_no_death_figure():
    from conftest import FakeBackend

    from summarizer import brief

    fake = FakeBackend(default={"killed": None, "injured": None, "place": None, "claimed_by": None})
    b = brief(["About 3,000 residents were evacuated from Northtown on Monday as the river rose, "
               "officials said."], model=fake)
    assert all(not e.killed.claims for e in b.events)
    assert any(e.displaced.best == 3000 for e in b.events)
    assert "**Killed**" not in b.to_markdown()
