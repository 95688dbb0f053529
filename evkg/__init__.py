"""evkg: news articles to an RDF knowledge graph of who blamed whom, and when.

The import name of the ``pipeline`` package's Python API (:mod:`pipeline.api`); ``pipeline``
stays importable for everything else.
"""

from pipeline import __version__
from pipeline.api import Claim, build, extract_text
from pipeline.report import report

__all__ = ["Claim", "__version__", "build", "extract_text", "report"]
