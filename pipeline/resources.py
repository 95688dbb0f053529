"""Where the data files shipped with evkg live.

In a wheel the top-level ``ontology/``, ``shapes/`` and ``queries/`` folders are
installed inside the package; in a source checkout they sit beside it.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``shapes``, ``queries``), installed or in the checkout."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"evkg data folder {name!r} is missing from {PACKAGE_DIR}")


def ontology_path() -> Path:
    return data_dir("ontology") / "evkg.ttl"


def shapes_path() -> Path:
    return data_dir("shapes") / "evkg.shacl.ttl"


def queries_dir() -> Path:
    return data_dir("queries")


def lexicon_path(name: str) -> Path:
    """A lexicon or alias table shipped in ``pipeline/resources/``."""
    return PACKAGE_DIR / "resources" / name
