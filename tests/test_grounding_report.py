"""The grounding report adds up, nothing unverified is kept, and web furniture never becomes a record."""

from __future__ import annotations

import re

import pytest
from conftest import SEED_DIR, FakeBackend, assert_citations_verify, dump
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from summarizer import grounding
from summarizer.errors import ArticleError
from summarizer.extraction.candidates import select_candidates
from summarizer.extraction.strategies import extract
from summarizer.grounding import align, casualty, places, statement
from summarizer.grounding.align import verify
from summarizer.ingest.article import make_article
from summarizer.ingest.load import load_many
from summarizer.language.numbers import find_numbers
from summarizer.schemas import AlignmentStatus, Citation, GroundingIssue, GroundingReport
from summarizer.settings import Settings

SENTENCE = Settings(strategy="sentence", max_retries=1)

# Named hand-written fixture: four casualty sentences, one per outcome the report counts.
FOUR_OUTCOMES = (
    "A car bomb killed 12 people in Homs on Sunday.\n\n"
    "The Observatory said 30 people were wounded in Damascus.\n\n"
    "SANA said 7 people died in Aleppo.\n\n"
    "Rebels said 40 fighters were killed near Idlib.\n"
)


def _consistent(report: GroundingReport) -> None:
    assert report.dropped_fields == sum(1 for i in report.issues if i.action == "dropped_field")
    assert report.dropped_records == sum(1 for i in report.issues if i.action == "dropped_record")
    assert report.not_merged == sum(1 for i in report.issues if i.action == "not_merged")
    assert sum(report.by_reason().values()) == len(report.issues)


def test_report_counts_kept_repaired_salvaged_and_dropped_apart():
    art = make_article(FOUR_OUTCOMES, id="four", published="2016-02-22")
    assert len(select_candidates(art).casualty) == 4
    fake = FakeBackend().enqueue(
        # 1: right first time -> kept
        {"killed": 12, "injured": None, "place": "Homs", "claimed_by": None},
        # 2: wrong, then right after the re-ask -> repaired
        {"killed": None, "injured": 31, "place": "Damascus", "claimed_by": "The Observatory"},
        {"killed": None, "injured": 30, "place": "Damascus", "claimed_by": "The Observatory"},
        # 3: a claimant the sentence does not name, twice -> salvaged without it
        {"killed": 7, "injured": None, "place": "Aleppo", "claimed_by": "Reuters"},
        {"killed": 7, "injured": None, "place": "Aleppo", "claimed_by": "Reuters"},
        # 4: neither figure is in the sentence, twice -> the record is dropped (two failed values)
        {"killed": 4, "injured": 5, "place": "Idlib", "claimed_by": "Rebels"},
        {"killed": 4, "injured": 5, "place": "Idlib", "claimed_by": "Rebels"},
    )
    out = extract(art, fake, SENTENCE)
    g = out.grounding
    assert (g.kept, g.repaired, g.salvaged, g.dropped_records, g.dropped_fields) == (1, 1, 1, 1, 2)
    assert g.kept + g.repaired + g.salvaged + g.dropped_records == 4  # every proposal once
    assert [(i.article_id, i.field, i.value, i.code, i.action) for i in g.issues] == [
        ("four", "claimed_by", "Reuters", "not_in_sentence", "dropped_field"),
        ("four", "killed", "4", "not_in_text", "dropped_field"),  # inside the dropped record, still counted
        ("four", "injured", "5", "not_in_text", "dropped_record"),
    ]
    assert g.by_reason() == {"dropped_field:not_in_sentence": 1, "dropped_field:not_in_text": 1,
                             "dropped_record:not_in_text": 1}
    _consistent(g)
    assert [(c.killed.value if c.killed else None, c.injured.value if c.injured else None,
             c.claimed_by.value if c.claimed_by else None) for c in out.casualties] == [
        (12, None, None), (None, 30, "The Observatory"), (7, None, None)]
    assert "'31' does not occur in the cited text" in fake.history[2].messages[-1]["content"]
    assert assert_citations_verify(dump(out), {art.id: art.text}) >= 9


def test_reports_add_up_across_articles():
    a = GroundingReport(kept=1, repaired=2, salvaged=3, dropped_records=1, dropped_fields=1, not_merged=1, issues=[
        GroundingIssue(record="casualty", field="killed", value="57", reason="r", code="not_in_text",
                       action="dropped_record"),
        GroundingIssue(record="casualty", field="place", value="Geneva", reason="r", code="not_in_sentence",
                       action="dropped_field"),
        GroundingIssue(record="event", field="place", value="null", reason="r", code="no_place",
                       action="not_merged")])
    total = GroundingReport()
    total.add(a)
    total.add(a)
    assert total.model_dump(exclude={"issues"}) == {"kept": 2, "repaired": 4, "salvaged": 6, "dropped_records": 2,
                                                    "dropped_fields": 2, "set_aside": 0, "not_merged": 2,
                                                    "read_from_text": 0}
    assert total.by_reason() == {"dropped_field:not_in_sentence": 2, "dropped_record:not_in_text": 2,
                                 "not_merged:no_place": 2}
    _consistent(total)


# --- nothing whose citation fails verification is ever kept --------------------------------


def _shifted(article, start, end, status=AlignmentStatus.EXACT):
    """A citation one character off: right length, wrong characters."""
    return Citation(article_id=article.id, start=start + 1, end=end + 1, text=article.text[start:end], status=status)


SANA = ("Syria’s official SANA news agency, for its part, quoted the governor of Homs as saying that "
        "25 people had been killed and 39 injured by the twin blasts.")


@pytest.mark.parametrize("where", ["grounding", "alignment"])
def test_record_with_a_citation_that_fails_verification_is_dropped(monkeypatch, where):
    art = make_article(SANA + "\n", id="sana", published="2016-02-22")
    for module in (casualty, statement, places) if where == "grounding" else (align,):
        monkeypatch.setattr(module, "cite", _shifted)
    outcomes = [
        grounding.ground_casualty(art, evidence=SANA, killed=25, injured=39, place="Homs", claimed_by="SANA"),
        grounding.ground_statement(art, evidence=SANA, speaker="SANA", quote=None),
        grounding.ground_event(art, evidence=SANA, kind="bombing", place="Homs", perpetrators=[]),
    ]
    # The invariant: a record either leaves with every citation verified, or not at all.
    for out in outcomes:
        if out.record is None:
            assert out.issues[-1].code == "citation_unverified"
            assert out.issues[-1].action == "dropped_record"
        else:
            assert all(verify(c, art) for c in _walk(out.record))
    assert outcomes[0].record is None  # its figures are cited by grounding, its evidence by alignment
    assert sum(o.record is None for o in outcomes) == (3 if where == "alignment" else 2)
    # and through the pipeline: nothing kept, every drop counted
    fake = FakeBackend(default={"killed": 25, "injured": 39, "place": "Homs", "claimed_by": "SANA"})
    out = extract(art, fake, SENTENCE)
    assert (out.casualties, out.statements, out.events) == ([], [], [])
    assert out.grounding.dropped_records >= 1 and out.grounding.kept == 0
    _consistent(out.grounding)


# --- property: whatever grounding keeps, every citation is the article's own characters ------

_WORDS = ["Homs", "killed", "wounded", "said", "SANA", "25", "57", "eight", "dozens", "at least", "Kerry", "“",
          "”", "’", "'", '"', "\u200b", "\u00ad", "\u202e", "é", "e\u0301", "İ", "ß", "حمص", "Москва", "🙂", ".",
          ",", " ", "\n", "\u00a0", "according to", "told", "citing", "bomb", "attack", "agreement"]
_text = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=3)), min_size=3, max_size=40).map(
    lambda parts: " ".join(parts))


def _walk(o: object) -> list[Citation]:
    if isinstance(o, Citation):
        return [o]
    if hasattr(type(o), "model_fields"):
        return [c for n in type(o).model_fields for c in _walk(getattr(o, n))]
    if isinstance(o, list):
        return [c for x in o for c in _walk(x)]
    return []


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(_text, st.data())
def test_property_every_kept_citation_verifies(text, data):
    try:
        art = make_article(text, id="prop", published="2016-02-22")
    except ArticleError:
        assume(False)
    n = len(art.text)
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(i, n))
    evidence = data.draw(st.sampled_from([art.text[i:j], art.text[i:j].replace("’", "'"), art.text]))
    assume(evidence.strip())
    words = re.findall(r"\w+", art.text) or ["x"]
    name = data.draw(st.one_of(st.none(), st.sampled_from(words), st.text(max_size=8)))
    number = data.draw(st.one_of(st.none(), st.sampled_from([v.value for v in find_numbers(art.text) if v.value]
                                                            or [25]), st.integers(0, 1000)))
    outs = [
        grounding.ground_casualty(art, evidence=evidence, killed=number, injured=None, place=name, claimed_by=name),
        grounding.ground_statement(art, evidence=evidence, speaker=name, quote=data.draw(st.sampled_from(
            [None, art.text[i:j], name or ""]))),
        grounding.ground_event(art, evidence=evidence, kind=data.draw(st.sampled_from(["bombing", "other", "x"])),
                               place=name, perpetrators=[name] if name else []),
    ]
    for out in outs:
        assert all(i.action in {"dropped_field", "dropped_record"} for i in out.issues)
        assert all(i.code != "other" for i in out.issues), [i.reason for i in out.issues]  # every reason counted
        if out.record is None:
            assert sum(1 for i in out.issues if i.action == "dropped_record") == 1 or not out.issues
            continue
        assert not any(i.action == "dropped_record" for i in out.issues)
        for c in _walk(out.record):
            assert art.text[c.start:c.end] == c.text
            assert verify(c, art)
        killed = getattr(out.record, "killed", None)
        if killed is not None and killed.value is not None:
            assert killed.value == number  # a number is kept only as proposed, never a neighbour


# --- web furniture never becomes a record ---------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return {a.id[:3]: a for a in load_many([SEED_DIR]).articles}


FURNITURE = {
    "003": ["UNITED24 - Make a charitable donation in support of Ukraine!", "Join the GlobalSecurity.org mailing list"],
    "004": ["file photo"],
    "002": ["People inspect the site of a two bomb blasts in Homs.\u00a0—\u00a0REUTERS",
            "More ISIS Lists Attacks On Gulf States As Saudi Threatens To Enter Syria"],
}


def test_seed_furniture_is_detected_as_noise(seed):
    for aid, lines in FURNITURE.items():
        art = seed[aid]
        assert [art.text[s:e] for s, e in art.noise] == lines


@pytest.mark.parametrize("aid", sorted(FURNITURE))
def test_web_furniture_proposed_as_evidence_never_becomes_a_record(seed, aid):
    art = seed[aid]
    answer = {"casualties": [], "statements": [], "events": []}
    for line in FURNITURE[aid]:
        answer["casualties"].append({"evidence": line, "killed": 24, "injured": 2, "place": "Homs",
                                     "claimed_by": "GlobalSecurity.org"})  # "UNITED24" holds a 24
        answer["statements"].append({"evidence": line, "speaker": "UNITED24", "speaker_role": None,
                                     "quote": line})
        answer["events"].append({"evidence": line, "kind": "attack", "place": "Gulf States",
                                 "perpetrators": ["ISIS"], "participants": []})
    fake = FakeBackend(default_strategy="whole", default=answer)
    out = extract(art, fake, Settings(strategy="whole", max_retries=1))
    furniture = [(s, e) for s, e in art.noise]
    for c in _walk(out):
        assert not any(c.start < e and s < c.end for s, e in furniture), c
    kept_from_furniture = [r for r in out.casualties + out.statements + out.events
                           if any(r.evidence.text in line or line in r.evidence.text for line in FURNITURE[aid])]
    assert kept_from_furniture == []
    g = out.grounding
    assert g.kept == g.repaired == g.salvaged == 0
    assert g.dropped_records == len(g.issues) > 0
    assert {i.code for i in g.issues} == {"evidence_not_found"}
    _consistent(g)


def test_sentence_candidates_never_touch_furniture(seed):
    for aid in FURNITURE:
        art = seed[aid]
        c = select_candidates(art)
        for s in c.casualty + c.statement + c.event:
            assert not art.is_noise(s.start, s.end), s.text
            assert not any(line == s.text for line in FURNITURE[aid])


def test_briefing_report_is_the_sum_of_the_articles_reports():
    from summarizer.pipeline import brief_articles

    arts = [make_article(FOUR_OUTCOMES, id=f"four-{k}", published="2016-02-22") for k in (1, 2)]
    fake = FakeBackend(default={"killed": 7, "injured": None, "place": "Aleppo", "claimed_by": "Reuters"})
    b = brief_articles(arts, SENTENCE, fake)
    per_article = [s.grounding for s in b.sources]
    for name in ("kept", "repaired", "salvaged", "dropped_records", "dropped_fields", "set_aside"):
        assert getattr(b.grounding, name) == sum(getattr(g, name) for g in per_article), name
    assert b.grounding.salvaged == 2  # "SANA said 7 people died in Aleppo", claimant dropped, in each article
    assert len(b.grounding.issues) == sum(len(g.issues) for g in per_article)
    _consistent(b.grounding)


@pytest.mark.parametrize("reasks,expected", [(0, (1, 0, 0, 1, 0)), (1, (0, 1, 0, 1, 0))])
def test_whole_answer_salvage_counts_each_record_on_its_own(reasks, expected):
    """One bad record fails the whole answer; when the re-asks run out, the good record beside it
    is kept (repaired if re-asks happened), the bad one dropped - neither is 'salvaged'."""
    art = make_article(SANA + "\n", id="sana", published="2016-02-22")
    answer = {"casualties": [
        {"evidence": SANA, "killed": 25, "injured": 39, "place": "Homs", "claimed_by": "SANA"},
        {"evidence": "Officials said 57 people were killed in Homs.", "killed": 57, "injured": None,
         "place": "Homs", "claimed_by": "Officials"},
    ], "statements": [], "events": []}
    fake = FakeBackend(default_strategy="whole", default=answer)
    out = extract(art, fake, Settings(strategy="whole", max_retries=reasks))
    g = out.grounding
    assert len(fake.history) == reasks + 1
    assert (g.kept, g.repaired, g.salvaged, g.dropped_records, g.dropped_fields) == expected
    assert [(i.field, i.code, i.action) for i in g.issues] == [("evidence", "evidence_not_found", "dropped_record")]
    assert [c.killed.value for c in out.casualties] == [25]
    _consistent(g)
