"""evkg: news articles to an RDF knowledge graph of actors, events, claims and sources."""

__version__ = "0.1.0"
