"""The deterministic summary paragraph: the briefing's fallback, written without a model."""

from __future__ import annotations

from ..grounding import kinds
from ..schemas import BASIS_WORDS, Briefing, Claim, NarrativeSentence

# --- the deterministic template ---------------------------------------------------------------


def _fmt_claim(c: Claim) -> str:
    who = c.claimant or "unattributed"
    if c.via:
        who += f" (via {c.via})"
    return f"{who}: {c.words}"




def template(b: Briefing) -> list[NarrativeSentence]:
    """One sentence per day event, each stating only what its records hold."""
    out = []
    names = {a.id: a.name for a in b.actors}
    for e in b.events:
        if e.background:
            continue
        cits = [c for claim in e.killed.claims for c in claim.citations][:6] or e.citations[:2]
        head = e.label + (f" on {e.date.isoformat()}" if e.date else "")
        parts = []
        k = e.killed
        if k.claims:
            sources = f"{k.independent_sources} source{'s' * (k.independent_sources != 1)}"
            if k.disputed:
                parts.append(f"reported tolls range from {k.low} to {k.high} killed ({sources}, disputed; "
                             f"best estimate {k.best})")
            else:
                parts.append(f"{k.claims[0].words} killed ({sources})")
            parts.append("; ".join(_fmt_claim(c) for c in k.claims))
        if e.perpetrator_claims:  # each as the text gives it: "suspected" stays suspected
            sides = "; ".join(f"{c.name} ({BASIS_WORDS[c.basis]}{f', says {c.claimant}' if c.claimant else ''})"
                              for c in e.perpetrator_claims)
            parts.append(f"who did it{' is disputed' if e.perpetrators_disputed else ''}: {sides}")
        elif e.perpetrators:
            verb = "claimed by or attributed to" if kinds.is_incident(e.kind) else "involving"
            parts.append(f"{verb} " + ", ".join(names.get(p, p) for p in e.perpetrators))
        if not parts:
            parts.append(f"reported by {len(e.articles)} article{'s' * (len(e.articles) != 1)}")
        text = head + ": " + "; ".join(parts) + "."
        out.append(NarrativeSentence(text=text, refs=[e.id], citations=cits))
    return out
