"""Who a role noun is: "the union", "the federation president", "the department" name a body or a
person the same article names in full ("the local branch of the Textile Workers Union", "The
president of the Canadian Steel Producers Federation, Marc Tremblay"). Read once per article
(``ArticleFacts.referents``); merging shows the full name wherever a record gives the role noun.

Rules, all general:
- a body is a run of two or more capitalized words ending in an organisation word of the lexicon
  (``[kinds] organization`` in actors.toml: union, federation, department, ministry ...); each
  of its tails ("union", "workers union") named with "the" refers to it when no other body of the
  article ends that way; a name with "of" is named by its head ("the school" of "Dubai School of
  Government", never "the government");
- whoever speaks for a named body ("a spokesman for Keystone Textiles"; ``[referents] speaks_for``
  in actors.toml) is "the spokesman" of that body;
- a person in apposition with a role of a body ("Maria Lopez, president of the local branch of the
  Textile Workers Union"; "The president of the Federation, Marc Tremblay,") is "the <body's last
  word> <role>" ("the union president") and "the <role>" when the article gives that role to no one else.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .. import lexicon
from ..language.patterns import capitalized_run
from ..schemas import Referent

_NAME = r"[A-Z][a-z’'\-]+(?: [A-Z]\.)?(?: [A-Z][a-z’'\-]+){1,2}"
_ROLE = r"[a-z]+(?:-[a-z]+)?"
_OF = r"of (?:the )?(?:[a-z]+(?: [a-z]+)? of (?:the )?)?"


def _bodies(text: str) -> list[str]:
    lex = lexicon.current()
    org = lex.actor_kind_words["organization"]
    out: list[str] = []
    for m in lex.compiled("capitalized_run", capitalized_run).finditer(text):
        words = m.group().split()
        if words and words[0] == "The":
            words = words[1:]
        if len(words) >= 2 and org.fullmatch(re.sub(r"\W+$", "", words[-1])) and " ".join(words) not in out:
            out.append(" ".join(words))
    return out


def _people(text: str, bodies: list[str]) -> list[tuple[str, str, str]]:
    """(person, role, body) for each apposition of a person with a role of a named body."""
    alt = "|".join(re.escape(b) for b in sorted(bodies, key=len, reverse=True))
    if not alt:
        return []
    after = re.compile(rf"(?P<person>{_NAME}), (?:the )?(?P<role>{_ROLE}) {_OF}(?P<body>{alt})\b")
    before = re.compile(rf"\b[Tt]he (?P<role>{_ROLE}) {_OF}(?P<body>{alt}), (?P<person>{_NAME}),")
    found = []
    for pattern in (after, before):
        for m in pattern.finditer(text):
            person = m.group("person")
            if person.split()[0] in ("The", "A", "An"):
                continue
            found.append((person, m.group("role"), m.group("body")))
    return found


def _speakers_for(text: str) -> list[tuple[str, str]]:
    """(role, body) for "a spokesman for <Body>": the role's words speak for the body."""
    lex = lexicon.current()
    roles = lex.data["actors"].get("referents", {}).get("speaks_for", [])
    if not roles:
        return []
    run = lex.compiled("capitalized_run", capitalized_run).pattern
    pattern = re.compile(rf"\b(?:[Aa]n?|[Tt]he) (?P<role>{'|'.join(roles)}) for (?:the )?(?P<body>{run})")
    return [(m.group("role").lower(), m.group("body")) for m in pattern.finditer(text)]


def referents_in(text: str) -> list[Referent]:
    """Every role noun the article gives one full name for, in order of the words."""
    claims: dict[str, set[str]] = defaultdict(set)
    bodies = _bodies(text)
    for body in bodies:
        words = body.split()
        particle = next((i for i, w in enumerate(words) if w.islower()), None)
        if particle is not None:  # "Dubai School of Government" is a school, never "the government"
            claims[f"the {words[particle - 1].lower()}"].add(body)
            continue
        for i in range(1, len(words)):
            tail = " ".join(words[i:]).lower()
            claims[f"the {tail}"].add(body)
    for role, body in _speakers_for(text):
        claims[f"the {role}"].add(body)
    for person, role, body in _people(text, bodies):
        claims[f"the {body.split()[-1].lower()} {role}"].add(person)
        claims[f"the {role}"].add(person)
    return [Referent(words=w, name=next(iter(names))) for w, names in sorted(claims.items()) if len(names) == 1]
