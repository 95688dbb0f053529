"""The ontology's fixed vocabularies as plain strings (claim kinds, actor and event types, figure
measures and qualifiers), apart from pipeline.vocab so that reading them does not import rdflib:
``evkg query`` checks its parameters against them, and rdflib's import is a good part of a
query's start-up. pipeline.vocab re-exports them with the ontology's terms.
"""

CLAIM_KINDS = ("accuses", "claims_responsibility", "denies", "disputes", "confirms", "warns")
ACTOR_TYPES = ("Person", "Organization", "Country", "Group")
# Every event class below evkg:Event; their hierarchy is read from the ontology (event_parents).
EVENT_TYPES = ("Attack", "Bombing", "Shooting", "Killing", "Poisoning", "Kidnapping", "Cyberattack", "Accident",
               "Crash", "Fire", "Detention", "Sanction", "Warning", "ElectionFraud")
FIGURE_MEASURES = ("killed", "injured", "missing", "detained")
FIGURE_QUALIFIERS = ("exactly", "at least", "more than", "about", "up to", "fewer than")
