"""``evkg explain``: why a sentence gives the claims it gives, and why not others.

Runs the real pipeline (spaCy, extraction, date resolution) on one text and reports the
actors found, the reported-statement frames, each claim with the construction that produced
it, and each candidate a guard dropped with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .lexicon import load_lexicon
from .nlp import load_nlp
from .resolve import resolve_date


@dataclass(frozen=True)
class Explanation:
    actors: list[dict]
    frames: list[dict]
    claims: list[dict]
    dropped: list[dict]

    def as_json(self) -> dict:
        return {"actors": self.actors, "frames": self.frames, "claims": self.claims, "dropped": self.dropped}


def explain(text: str, published: Optional[date] = None, actor_files: tuple[str, ...] = ()) -> Explanation:
    from .extract import read

    lexicon = load_lexicon(actor_files)
    doc = load_nlp(actor_files)(text)
    reading = read(doc, lexicon, published, trace=True)
    index = reading.actors
    actors = [{"text": doc.text[m.start:m.end], "name": m.canonical or m.name, "type": m.type,
               "role": m.role, "state": m.state} for m in (index.by_head[i] for i in index.heads)]
    frames = [{"family": f.family, "sources": [s.canonical or s.name for s in f.sources], "cue": doc[f.cue].text,
               "content": " ".join(_clause(doc, root) for root in f.content), "hedged": f.hedged,
               "time": f.time.text if f.time else None} for f in reading.frames.frames]
    claims = []
    for found in reading.ledger.found:
        claim = found.claim
        said_on = resolve_date(claim.time.text, published) if claim.time else None
        claims.append({"kind": claim.kind, "claimant": claim.claimant.canonical or claim.claimant.name,
                       "targets": [t.canonical or t.name for t in claim.targets], "hedged": claim.hedged,
                       "cue": claim.cue, "time": claim.time.text if claim.time else None,
                       "said_on": said_on.isoformat() if said_on else None, "construction": found.construction})
    dropped = [{"construction": d.construction, "cue": d.cue, "reason": d.reason} for d in reading.ledger.dropped]
    return Explanation(actors, frames, claims, dropped)


def _clause(doc, root: int) -> str:
    tokens = list(doc[root].subtree)
    return doc[tokens[0].i: tokens[-1].i + 1].text


def format_explanation(explanation: Explanation) -> str:
    lines = ["actors:"]
    lines += [f"  {a['text']!r} -> {a['name']} ({a['type']}"
              + (f", role {a['role']}" if a["role"] else "") + (f", of {a['state']}" if a["state"] else "") + ")"
              for a in explanation.actors] or ["  (none)"]
    lines.append("frames:")
    lines += [f"  {f['family']}: {', '.join(f['sources'])} --{f['cue']}--> {f['content']!r}"
              + (" [hedged]" if f["hedged"] else "") + (f" [time: {f['time']}]" if f["time"] else "")
              for f in explanation.frames] or ["  (none)"]
    lines.append("claims:")
    lines += [f"  {c['claimant']} {c['kind']} {', '.join(c['targets'])}" + (" [hedged]" if c["hedged"] else "")
              + (f" [said on {c['said_on'] or c['time']}]" if c["time"] else "")
              + f"  (cue {c['cue']!r}, construction {c['construction']})" for c in explanation.claims] or ["  (none)"]
    lines.append("dropped:")
    lines += [f"  {d['construction']} at {d['cue']!r}: {d['reason']}" for d in explanation.dropped] or ["  (none)"]
    return "\n".join(lines)
