"""Issue 22 item 4: perpetrators only where the text says who did this happening's act, with the
basis (claimed, named, charged, suspected, carried out, denied) and who says so; disputed when the
articles disagree. Hand-written sentences (invented for these tests); grounding, merge and render,
no model."""

from __future__ import annotations

import pytest

from summarizer.extraction import options
from summarizer.extraction.candidates import select_candidates
from summarizer.grounding.context import article_facts
from summarizer.grounding.event import ground_event
from summarizer.grounding.perpetrators import how_done
from summarizer.ingest.article import make_article
from summarizer.language.names import derive_actors
from summarizer.language.sentences import split_sentences
from summarizer.merge.events import merge
from summarizer.render.markdown import to_markdown
from summarizer.render.report import to_html
from summarizer.schemas import ArticleExtraction, GroundingReport


def _art(text: str, id: str = "a"):  # type: ignore[no-untyped-def]
    return make_article(text, id=id, published="2026-01-05")


def _ground(text: str, name: str, kind: str | None = "bombing", evidence: str | None = None):  # type: ignore[no-untyped-def]
    art = _art(text)
    out = ground_event(art, evidence=evidence or text, kind=kind, place=None, perpetrators=[name])
    assert out.record is not None
    return out


def _kept(text: str, name: str, kind: str | None = "bombing") -> list[dict]:
    r = _ground(text, name, kind).record
    return [{"value": p.value, "basis": p.basis, "claimed_by": p.claimed_by.value if p.claimed_by else None}
            for p in r.perpetrators]


# --- the words that say who did it, and their basis ------------------------------------------------

@pytest.mark.parametrize(("text", "name", "basis"), [
    ("The Northern Front claimed responsibility for the blast.", "The Northern Front", "claimed"),
    ("Both blasts were claimed by the Northern Front.", "Northern Front", "claimed"),
    ("The gunman, identified as John Carver, 41, was a former employee.", "John Carver", "named"),
    ("Major Nadim Hale has been identified as the gunman in the shooting.", "Major Nadim Hale", "named"),
    ("A second bomber was named by police as Omar Lee, 30.", "Omar Lee", "named"),
    ("The gunman has been identified as an army officer, Major Nadim Hale.", "Major Nadim Hale", "named"),
    ("Officials on Tuesday named the two bombers as Ann Roe Smith and Omar Lee.", "Ann Roe Smith", "named"),
    ("Officials on Tuesday named the two bombers as Ann Roe Smith and Omar Lee.", "Omar Lee", "named"),
    ("John Carver was charged on Monday with six counts of murder.", "John Carver", "charged"),
    ("Police said the suspected gunman, John Carver, was in custody.", "John Carver", "suspected"),
    ("John Carver, who is suspected of the shooting, was detained.", "John Carver", "suspected"),
    ("The bombing was carried out by the Northern Front, police said.", "Northern Front", "carried_out"),
    ("Government forces launched fresh airstrikes on the villages, killing 12.", "Government forces", "carried_out"),
    ("Omar Lee and his two accomplices drove a hired van into pedestrians.", "Omar Lee", "carried_out"),
    ("The Northern Front denied any involvement in the bombing.", "The Northern Front", "denied"),
])
def test_each_cue_says_who_did_it_and_how(text: str, name: str, basis: str) -> None:
    i = text.index(name)
    done = how_done(text, i, i + len(name))
    assert done is not None and done.basis == basis


@pytest.mark.parametrize(("text", "name"), [
    ("Premier Ann Roy condemned the attack as cowardly.", "Premier Ann Roy"),
    ("The government responded to the bombing with new checkpoints.", "The government"),
    ("The FBI is investigating the shooting.", "The FBI"),
    ("Police arrested a man, John Carver, after the attack.", "John Carver"),
    ("Police arrested the gunman an hour later.", "Police"),
    ("State media reported the bombing on Sunday.", "State media"),
    ("The community was attacked during prayers.", "The community"),
    ("John Carver was charged with fraud on Monday after the shooting.", "John Carver"),
    ("Police shot the attackers dead within minutes.", "Police"),
])
def test_those_who_did_not_do_it_are_never_named(text: str, name: str) -> None:
    i = text.index(name)
    assert how_done(text, i, i + len(name)) is None or how_done(text, i, i + len(name)).basis == "denied"
    assert _kept(text, name, "shooting") == []


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("The gunman has been identified as an army officer, Major Nadim Hale.", "an army officer", "shooting"),
    ("It was the deadliest Mass shooting in the province.", "Mass", "shooting"),
    ("A Suicide bomber struck the market in Eastby.", "Suicide", "bombing"),
    ("A Drone struck the plane on approach.", "Drone", "airstrike"),
])
def test_a_word_that_qualifies_the_event_is_no_perpetrator(text: str, name: str, kind: str) -> None:
    assert _kept(text, name, kind) == []


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("The earthquake, which scientists said was carried out by the Pacific plate, hit Eastby.", "the Pacific plate",
     "earthquake"),
    ("The storm, claimed by the Front, hit Northtown.", "the Front", "storm"),
    ("The crash was blamed on the Acme Airline, investigators said.", "the Acme Airline", "air_crash"),
    ("The tariff was carried out by the Commerce Ministry.", "the Commerce Ministry", "trade_measure"),
    ("The summit was carried out by the Foreign Ministry.", "the Foreign Ministry", "summit"),
])
def test_nobody_perpetrates_a_natural_event_an_accident_a_policy_or_a_meeting(text: str, name: str,
                                                                             kind: str) -> None:
    out = _ground(text, name, kind)
    assert out.record.perpetrators == []
    assert any(i.code == "not_who_did_it" for i in out.issues)


# --- the act must be this happening ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name"), [
    ("Troops loyal to President Ann Roy launched attacks across several provinces, rights groups said.",
     "Troops loyal to President Ann Roy"),
    ("The Northern Front has carried out attacks in the past.", "The Northern Front"),
    ("The Northern Front has claimed responsibility for similar bombings in recent years.", "The Northern Front"),
    ("The Northern Front has launched a series of bombings across the north since 2019.", "The Northern Front"),
])
def test_an_indefinite_or_earlier_act_names_no_perpetrator_of_this_event(text: str, name: str) -> None:
    out = _ground(text, name, "other_attack")
    assert out.record.perpetrators == []
    assert any(i.code == "not_who_did_it" for i in out.issues)


@pytest.mark.parametrize(("text", "name"), [
    ("Government forces launched fresh airstrikes on several villages, killing at least 30 people.",
     "Government forces"),
    ("The Northern Front claimed responsibility for Sunday's bombing.", "The Northern Front"),
    ("The Northern Front claimed responsibility for the attacks.", "The Northern Front"),
])
def test_a_definite_act_or_one_with_its_own_toll_keeps_its_perpetrator(text: str, name: str) -> None:
    assert [p["value"] for p in _kept(text, name)] == [name]


# --- who says so -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name", "claimant"), [
    ("Detectives have named the third bomber as 22-year-old Omar Lee.", "Omar Lee", "Detectives"),
    ("A second bomber was named by police as Omar Lee, 30.", "Omar Lee", "police"),
    ("The gunman, identified as John Carver, 41, was a former patient, according to prosecutor Maria Lopez.",
     "John Carver", "Maria Lopez"),
    ("The Northern Front claimed responsibility for the blast.", "The Northern Front", None),
    ("The bombing was carried out by the Northern Front, police said.", "Northern Front", "police"),
    ("State media said the bombing was carried out by the Northern Front.", "Northern Front", "State media"),
    # a source of another clause says nothing of who did it
    ("One of the bombers, Omar Lee, had worked at the market, though police said he had no record.", "Omar Lee",
     None),
    # the speech ends where the article's own clause begins
    ("Envoy Ann Roe said Sunday a truce had been agreed, but violence went on, with scores killed in two attacks "
     "claimed by the Northern Front.", "Northern Front", None),
    ("Envoy Ann Roe said the talks would resume; scores died in two attacks claimed by the Northern Front.",
     "Northern Front", None),
])
def test_each_perpetrator_carries_who_says_so(text: str, name: str, claimant: str | None) -> None:
    assert [p["claimed_by"] for p in _kept(text, name, "shooting")] == [claimant]


def test_a_sentence_naming_the_gunman_is_asked_as_an_event_and_read_from_the_text() -> None:
    text = ("A gunman opened fire at the clinic in Eastby on Thursday. The gunman, identified as John Carver, 41, "
            "was a former patient, according to prosecutor Maria Lopez.")
    art = _art(text)
    second = split_sentences(art.text)[1]
    assert any(s.start == second.start for s in select_candidates(art).event)
    opts = options.event(art, second)
    assert opts.answer is not None and opts.answer.perpetrator == "John Carver"


# --- disputed ------------------------------------------------------------------------------------------

def _extraction(art, events):  # type: ignore[no-untyped-def]
    return ArticleExtraction(article_id=art.id, sha256=art.sha256, published=art.published, strategy="fixture",
                             casualties=[], events=events, actors=derive_actors(events, [], []),
                             grounding=GroundingReport(), facts=article_facts(art))


def _briefing(*stories: tuple[str, str, list[str]]):  # type: ignore[no-untyped-def]
    exs, arts = [], []
    for i, (text, sentence, names) in enumerate(stories):
        art = _art(text, id=f"a{i}")
        arts.append(art)
        out = ground_event(art, evidence=sentence, kind="bombing", place="Aleppo", perpetrators=names)
        assert out.record is not None
        exs.append(_extraction(art, [out.record]))
    return merge(exs), arts


def _main(b):  # type: ignore[no-untyped-def]
    return next(e for e in b.events if not e.background)


def test_two_groups_each_blamed_by_its_own_claimant_are_disputed_and_shown_so() -> None:
    s1 = "State media said the bombing in Aleppo on Sunday was carried out by the Northern Front."
    s2 = "Opposition activists said the bombing in Aleppo on Sunday was carried out by the Army of the South."
    b, arts = _briefing((s1, s1, ["the Northern Front"]), (s2, s2, ["the Army of the South"]))
    e = _main(b)
    assert e.perpetrators_disputed is True
    got = sorted((c["name"], c["basis"], c["claimant"]) for c in e.model_dump()["perpetrator_claims"])
    assert got == [("the Army of the South", "carried_out", "Opposition activists"),
                   ("the Northern Front", "carried_out", "State media")]
    md = to_markdown(b)
    assert "## Who did it" in md and "— **disputed**" in md
    assert "| the Northern Front | carried it out | State media |" in md
    html = to_html(b, arts)
    assert "who did it is disputed: the Army of the South (carried it out, says Opposition activists)" in " ".join(
        s.text for s in b.narrative)
    assert 'class="badge disputed">disputed</span>: ' in html and "carried it out, says" in html


def test_a_claim_and_a_denial_are_disputed() -> None:
    s1 = "The bombing in Aleppo on Sunday was carried out by the Northern Front, police said."
    s2 = "The Northern Front denied any involvement in the bombing in Aleppo on Sunday."
    b, _ = _briefing((s1, s1, ["the Northern Front"]), (s2, s2, ["The Northern Front"]))
    e = _main(b)
    assert e.perpetrators_disputed is True
    assert sorted(c.basis for c in e.perpetrator_claims) == ["carried_out", "denied"]
    assert [c.claimant for c in e.perpetrator_claims if c.basis == "carried_out"] == ["police"]
    assert len(e.perpetrators) == 1  # the denier is a side of the dispute, not a second perpetrator


def test_attackers_named_and_the_group_that_claims_them_are_not_a_dispute() -> None:
    s1 = "Police named the bombers in Aleppo as Omar Lee and Ann Roe Smith."
    s2 = "The Northern Front claimed responsibility for the bombing in Aleppo on Sunday."
    b, _ = _briefing((s1, s1, ["Omar Lee", "Ann Roe Smith"]), (s2, s2, ["The Northern Front"]))
    e = _main(b)
    assert e.perpetrators_disputed is False
    assert sorted((c.name, c.basis) for c in e.perpetrator_claims) == [
        ("Ann Roe Smith", "named"), ("Omar Lee", "named"), ("The Northern Front", "claimed")]
    md = to_markdown(b)
    assert "— not disputed" in md and "| The Northern Front | claimed it | _its own claim_ |" in md


def test_the_gunman_named_in_a_sentence_with_no_place_joins_the_story_s_incident() -> None:
    text = ("A gunman opened fire at a clinic in Aleppo on Thursday, killing two people, police said. "
            "The gunman, identified as John Carver, 41, was a former patient.")
    art = _art(text)
    first, second = (s.text for s in split_sentences(art.text))
    shooting = ground_event(art, evidence=first, kind="shooting", place="Aleppo", perpetrators=[]).record
    named = ground_event(art, evidence=second, kind=None, place=None, perpetrators=["John Carver"]).record
    assert shooting is not None and named is not None and named.place is None
    e = _main(merge([_extraction(art, [shooting, named])]))
    assert e.label == "Shooting in Aleppo"
    assert [(c.name, c.basis) for c in e.perpetrator_claims] == [("John Carver", "named")]


def test_the_act_a_named_doer_did_is_the_sentence_s_conflict_kind_not_its_truce() -> None:
    art = _art("Bombings claimed by the Northern Front in Aleppo killed 12 people on Sunday, despite the truce.")
    s = split_sentences(art.text)[0]
    assert any(c.start == s.start for c in select_candidates(art).event)
    opts = options.event(art, s)
    assert opts.answer is not None and opts.answer.kind == "bombing"
    assert opts.answer.perpetrator in ("the Northern Front", "Northern Front")
