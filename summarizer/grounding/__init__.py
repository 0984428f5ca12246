"""Grounding: every value kept points at the exact characters that support it.

The model proposes, this module disposes. Evidence first: the record's evidence quote is aligned
to the article (``align.locate``: exact, normalized, or - prose only - fuzzy); then each field
is located *inside the evidence's own sentence* and gets its own sub-span citation. Numbers are
found by value (``numbers.find_numbers``), so "57" never grounds in a sentence that says "25".

Where a value may be found (decided here; tested in ``tests/test_grounding.py`` and
``tests/test_attribution.py``):

* figures and claimants: the evidence's own sentence(s) only; a claimant relayed by someone else
  keeps the chain ("the provincial governor" via "the agency"; ``attribution.relay_chains``);
* places: the evidence's sentence. A place named only in the sentence before is kept - marked
  ``inferred``, citing those words - only when the evidence's sentence names no place of its own
  ("The Monitor said 57 people … were killed by two car bombs" after "The bombings in … Northtown");
  if it does ("In Southport, …"), the nearby place is rejected. The dateline is never a place: it
  says where the reporter was, not where the event happened;
* speakers, their roles, perpetrators and participants: the sentence, or the one before, since the
  evidence may call them "he", "it" or "the group". A quote must be words inside quotation marks
  that the sentence gives to that speaker by a speech verb (``attribution``);
* event kinds: the proposed kind must be borne out by the sentence's words ("bomb", "air strike",
  "agreement"…); otherwise the issue is recorded and the kind is read from the words instead;
* vague quantities ("dozens", "scores", "hundreds") are kept as written, value null, citation
  ``inferred``, when the model proposed a conventional reading of them (24 for "dozens"); no
  number is ever invented.

``ground_casualty``, ``ground_statement`` and ``ground_event`` turn a proposal into a grounded
record plus the list of problems; ``drafts`` raises those problems as validation errors so
instructor re-asks with them, and ``extract`` counts what is kept, repaired, salvaged or dropped.
Every record is verified citation by citation before it leaves this module.
"""

from .casualty import ground_casualty, has_casualty_figure, has_other_figure
from .event import ground_event
from .outcome import Outcome
from .statement import ground_statement, quoted_spans

__all__ = ["Outcome", "ground_casualty", "ground_event", "ground_statement", "has_casualty_figure",
           "has_other_figure", "quoted_spans"]
