"""Actor tables (``pipeline/resources/actors.json``, ``--aliases FILE``): read and validated.

A table is checked against a JSON Schema (``jsonschema``) before anything uses it, so a bad
file gets one line naming the file, the entry and the field, never an internal error:

* the file must be a regular file of at most ``MAX_BYTES`` (not ``/dev/zero``, a FIFO, a folder),
  UTF-8 JSON, not nested absurdly deep;
* every actor has a ``name`` and a ``type`` (Person, Organization, Country, Group), and
  ``aliases``, ``demonyms`` and ``seats`` are lists of names (``"aliases": "abc"`` is an error,
  not the aliases a, b, c); unknown fields are errors (a typo would be silently ignored);
* ``wikidata``, when given, is a Wikidata item id ("Q159"): the actor is ``owl:sameAs`` it;
* an alias that is a common English word ("the", "it") would match everywhere: an error;
* in a user's table, a name or alias that already names a different built-in actor would
  silently take it over: an error.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Union

import jsonschema

from .errors import UsageProblem
from .resources import lexicon_path

MAX_BYTES = 10_000_000
ACTOR_TYPES = ("Person", "Organization", "Country", "Group")

_NAME = {"type": "string", "minLength": 1, "maxLength": 300, "pattern": r"\S"}
_NAMES = {"type": "array", "items": _NAME}
_ACTOR = {
    "type": "object",
    "required": ["name", "type"],
    "properties": {"name": _NAME, "type": {"enum": list(ACTOR_TYPES)}, "aliases": _NAMES,
                   "demonyms": _NAMES, "seats": _NAMES, "state": _NAME,
                   "wikidata": {"type": "string", "pattern": "^Q[1-9][0-9]*$"}, "_comment": {"type": "string"}},
    "additionalProperties": False,
}
ACTOR_LIST_SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array", "items": _ACTOR}
ACTOR_TABLE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["actors"],
    "properties": {"actors": ACTOR_LIST_SCHEMA, "not_actors": _NAMES, "_comment": {"type": "string"}},
    "additionalProperties": False,
}


class AliasFileError(UsageProblem):
    """An actor table that cannot be used (exit status 2: it was given on the command line)."""


def read_alias_table(path: Union[str, Path]) -> Union[dict, list]:
    """The validated contents of the actor table at ``path`` (a list of actors, or an object with
    ``actors``); raises :class:`AliasFileError` with one line naming file, entry and field."""
    path = Path(path)
    data = _read_json(path)
    schema = ACTOR_LIST_SCHEMA if isinstance(data, list) else ACTOR_TABLE_SCHEMA
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        raise AliasFileError(f"{_where(path, data, list(error.absolute_path))}: {_short(error.message)}")
    actors = data if isinstance(data, list) else data["actors"]
    _check_names(path, data, actors)
    return data


def _read_json(path: Path):
    try:
        info = os.stat(path)
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise AliasFileError(f"{path}: not a regular file (a device, FIFO or folder cannot be an actor table)")
    if info.st_size > MAX_BYTES:
        raise AliasFileError(f"{path}: {info.st_size} bytes, more than an actor table can be ({MAX_BYTES})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AliasFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AliasFileError(f"{path}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise AliasFileError(f"{path}: JSON nested too deeply to be an actor table") from None


def _where(path: Path, data, location: list) -> str:
    """"file: actor 3 ('Name'), field 'aliases'" for a place in the table."""
    if not isinstance(data, list):
        if not location or location[0] != "actors":
            return f"{path}" + (f": field {location[0]!r}" if location else "")
        location = location[1:]
        data = data["actors"]
    if not location:
        return f"{path}: the actor list"
    index, rest = location[0], location[1:]
    entry = data[index] if isinstance(index, int) and index < len(data) else None
    name = entry.get("name") if isinstance(entry, dict) else None
    label = f"actor {index}" + (f" ({_short(repr(name), 60)})" if isinstance(name, str) else "")
    if rest:
        label += f", field {rest[0]!r}" + (f" item {rest[1]}" if len(rest) > 1 else "")
    return f"{path}: {label}"


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _check_names(path: Path, data, actors: list[dict]) -> None:
    from .ingest import _ENGLISH_WORDS  # the function words English prose is made of

    for index, actor in enumerate(actors):
        for field in ("aliases", "demonyms", "seats"):
            for item, alias in enumerate(actor.get(field, ())):
                if alias.strip().lower() in _ENGLISH_WORDS and not alias.isupper():
                    where = _where(path, data, ["actors", index, field, item] if isinstance(data, dict)
                                   else [index, field, item])
                    raise AliasFileError(f"{where}: {alias!r} is a common word, not a name: it would match "
                                         f"everywhere")
    builtin_path = lexicon_path("actors.json")
    if path.resolve() == Path(builtin_path).resolve():
        return
    builtin = read_alias_table(builtin_path)
    owner = {}
    for actor in builtin["actors"] if isinstance(builtin, dict) else builtin:
        for name in (actor["name"], *actor.get("aliases", ())):
            owner.setdefault(name, actor["name"])
    for index, actor in enumerate(actors):
        for field, names in (("name", [actor["name"]]), ("aliases", actor.get("aliases", ()))):
            for item, name in enumerate(names):
                taken = owner.get(name)
                if taken is not None and taken != actor["name"]:
                    location = [index, field] + ([item] if field == "aliases" else [])
                    where = _where(path, data, ["actors", *location] if isinstance(data, dict) else location)
                    raise AliasFileError(f"{where}: {name!r} already names the built-in actor {taken!r}; "
                                         f"add it as an alias of {taken!r} instead of taking it over")
