"""Ingest (pipeline/ingest.py) on dirty input: every bad input becomes one ``InputProblem`` that
names it and says why, with a status (failed | skipped | warning); nothing raises except a path
that does not exist (a usage error). No spaCy here: these tests are fast.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import (InputProblem, UsageError, check_encoding, decode_bytes, english_note, printable,
                             read_inputs)
from pipeline.model import Document

ENGLISH = ("Russian President Vladimir Putin said on Tuesday that Ukraine was behind the attack on "
           "Crocus City Hall, a claim that Kyiv denied. The Islamic State group claimed responsibility "
           "for the massacre, and US officials said they had warned Moscow about it.")
GERMAN = ("Der russische Präsident Wladimir Putin sagte am Dienstag, die Ukraine stecke hinter dem "
          "Anschlag auf die Crocus City Hall. Kiew wies das zurück. Die Terrormiliz Islamischer Staat "
          "reklamierte den Anschlag für sich, und amerikanische Beamte erklärten, sie hätten Moskau gewarnt.")
RUSSIAN = ("Президент России Владимир Путин заявил во вторник, что за нападением на Крокус Сити Холл "
           "стоит Украина. Киев это отрицает. Группировка Исламское государство взяла на себя "
           "ответственность за теракт, а американские чиновники заявили, что предупреждали Москву.")


def read(*paths, **kwargs) -> list:
    return list(read_inputs(list(paths), **kwargs))


def documents(items) -> dict[str, Document]:
    return {d.id: d for d in items if isinstance(d, Document)}


def problems(items, status=None) -> list[InputProblem]:
    return [p for p in items if isinstance(p, InputProblem) and (status is None or p.status == status)]


def only_problem(items, status="failed") -> InputProblem:
    found = problems(items)
    assert len(found) == 1, found
    assert found[0].status == status, found[0]
    return found[0]


def write_jsonl(path: Path, *lines) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


# Text files ---------------------------------------------------------------------------------


def test_a_good_file_is_one_document_with_its_dateline(tmp_path):
    (tmp_path / "a.txt").write_text("date 2024-03-27\n" + ENGLISH, encoding="utf-8")
    items = read(tmp_path / "a.txt")
    assert problems(items) == []
    doc = documents(items)["a"]
    assert doc.published.isoformat() == "2024-03-27" and doc.origin == str(tmp_path / "a.txt")


@pytest.mark.parametrize("content, reason", [(b"", "empty file"), (b"  \n\t\r\n ", "only whitespace")])
def test_empty_and_whitespace_only_files_fail(tmp_path, content, reason):
    (tmp_path / "e.txt").write_bytes(content)
    problem = only_problem(read(tmp_path / "e.txt"))
    assert str(tmp_path / "e.txt") in str(problem) and reason in problem.reason and problem.doc_id == "e"


def test_binary_file_fails(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert "binary file" in only_problem(read(tmp_path / "b.txt")).reason


@pytest.mark.parametrize("codec, bom, warned", [
    ("utf-8", codecs.BOM_UTF8, False),
    ("utf-16-le", codecs.BOM_UTF16_LE, True), ("utf-16-be", codecs.BOM_UTF16_BE, True),
    ("utf-32-le", codecs.BOM_UTF32_LE, True), ("utf-32-be", codecs.BOM_UTF32_BE, True),
])
def test_byte_order_marks_are_honoured(tmp_path, codec, bom, warned):
    text = ENGLISH + " Zakharova — «Москва»."
    (tmp_path / "u.txt").write_bytes(bom + text.encode(codec))
    items = read(tmp_path / "u.txt")
    assert documents(items)["u"].text == text
    assert [p.status for p in problems(items)] == (["warning"] if warned else [])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_not_taken_for_binary(tmp_path, codec):
    (tmp_path / "w.txt").write_bytes(ENGLISH.encode(codec))
    items = read(tmp_path / "w.txt")
    assert documents(items)["w"].text == ENGLISH
    assert codec.upper() in only_problem(items, "warning").reason


def test_undecodable_bytes_fall_back_to_cp1252_with_a_warning(tmp_path):
    (tmp_path / "c.txt").write_bytes("Café owners in Moscow said “no” — ".encode("cp1252") + ENGLISH.encode())
    items = read(tmp_path / "c.txt")
    assert documents(items)["c"].text.startswith("Café owners in Moscow said “no” — ")
    warning = only_problem(items, "warning")
    assert "not valid UTF-8" in warning.reason and "cp1252" in warning.reason and warning.doc_id == "c"


def test_the_fallback_encoding_is_configurable(tmp_path):
    (tmp_path / "k.txt").write_bytes("Ошибка в Москве".encode("koi8_r"))
    items = read(tmp_path / "k.txt", encoding_fallback="koi8-r", check_english=False)
    assert documents(items)["k"].text == "Ошибка в Москве"
    assert "koi8" in only_problem(items, "warning").reason
    failed = read(tmp_path / "k.txt", encoding_fallback=None)
    assert "no fallback encoding" in only_problem(failed).reason


@pytest.mark.parametrize("name", ["no-such-codec", "utf-16", "rot13"])
def test_an_unusable_fallback_encoding_is_a_usage_error(name):
    with pytest.raises(UsageError):
        check_encoding(name)
    assert check_encoding("none") is None and check_encoding("latin-1") == "iso8859-1"


def test_a_missing_path_is_a_usage_error_before_anything_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    items = read_inputs([tmp_path / "a.txt", tmp_path / "nope"])
    with pytest.raises(UsageError, match="nope"):
        next(items)


def test_unknown_extensions_are_skipped_with_a_note(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "README").write_text("hello", encoding="utf-8")
    items = read(tmp_path)
    assert sorted(p.status for p in problems(items)) == ["skipped", "skipped"]
    assert any("'.pdf'" in p.reason for p in problems(items))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_fails(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    path.chmod(0)
    try:
        assert "cannot read file" in only_problem(read(path)).reason
    finally:
        path.chmod(0o644)


def test_an_unreadable_file_fails_simulated(tmp_path):
    """The same as root would see it, with the read failing as chmod 000 makes it fail."""
    (tmp_path / "secret.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "fine.txt").write_text(ENGLISH, encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    with mock.patch.object(Path, "read_bytes", read_bytes):
        items = read(tmp_path)
    problem = only_problem(items)
    assert problem.origin == str(tmp_path / "secret.txt") and "Permission denied" in problem.reason
    assert set(documents(items)) == {"fine"}


def test_an_unreadable_folder_fails_without_stopping_the_rest(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    with mock.patch("pipeline.ingest.os.scandir", scandir):
        items = read(tmp_path)
    assert "cannot read directory" in only_problem(items).reason and set(documents(items)) == {"a"}


# Folders and links --------------------------------------------------------------------------


def test_symlink_loops_and_broken_links_do_not_stop_the_batch(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)  # loop
    (root / "self").symlink_to(".", target_is_directory=True)  # loop
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "ping.txt").symlink_to(root / "pong.txt")
    (root / "pong.txt").symlink_to(root / "ping.txt")  # a loop of file links
    items = read(root)
    assert set(documents(items)) == {"a"}
    by_origin = {Path(p.origin).name: p for p in problems(items)}
    assert by_origin["up"].status == by_origin["self"].status == "skipped"
    assert "loop" in by_origin["up"].reason and "loop" in by_origin["self"].reason
    assert by_origin["dangling.txt"].reason == "broken symbolic link"
    assert by_origin["ping.txt"].reason == by_origin["pong.txt"].reason == "symbolic link loop"


def test_a_top_level_symlink_loop_fails(tmp_path):
    (tmp_path / "x.txt").symlink_to(tmp_path / "x.txt")
    assert only_problem(read(tmp_path / "x.txt")).reason == "symbolic link loop"


def test_the_same_file_given_twice_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    items = read(tmp_path, tmp_path / "a.txt", tmp_path / "." / "a.txt")
    assert set(documents(items)) == {"a"}
    assert [p.status for p in problems(items)] == ["skipped", "skipped"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block for ever
    assert "not a regular file" in only_problem(read(tmp_path), "skipped").reason


def test_hidden_files_and_folders_are_ignored(tmp_path):
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / ".notes.txt").write_text(ENGLISH, encoding="utf-8")
    assert read(tmp_path) == []


# Duplicates and order -----------------------------------------------------------------------


def test_duplicate_ids_first_in_sorted_path_order_wins_whatever_the_argument_order(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"{ENGLISH} From {folder}.", encoding="utf-8")
    write_jsonl(tmp_path / "c.jsonl", {"id": "x", "text": "From c."}, {"id": "y", "text": "Y."},
                {"id": "y", "text": "Y again."})
    forward = read(tmp_path / "a", tmp_path / "b", tmp_path / "c.jsonl")
    backward = read(tmp_path / "c.jsonl", tmp_path / "b", tmp_path / "a")
    assert forward == backward
    docs = documents(forward)
    assert docs["x"].text.endswith("From a.") and docs["y"].text == "Y."
    duplicates = [p for p in problems(forward) if "duplicate document id" in p.reason]
    assert [(p.origin, p.status) for p in duplicates] == [
        (str(tmp_path / "b" / "x.txt"), "failed"), (f"{tmp_path / 'c.jsonl'}:1 (id x)", "failed"),
        (f"{tmp_path / 'c.jsonl'}:3 (id y)", "failed")]
    assert all(str(tmp_path / "a" / "x.txt") in p.reason for p in duplicates[:2])


# JSON Lines ---------------------------------------------------------------------------------


def test_each_bad_jsonl_line_is_named_by_line_and_id(tmp_path):
    path = write_jsonl(
        tmp_path / "feed.jsonl",
        {"id": "good", "text": ENGLISH, "title": "T", "published": "2024-03-27"},
        "{not json",
        {"id": "notext"},
        {"id": "nulltext", "text": None},
        {"id": "numtext", "text": 42},
        {"id": "listtext", "text": ["a"]},
        {"text": "no id"},
        {"id": None, "text": "null id"},
        {"id": 3.5, "text": "float id"},
        {"id": True, "text": "bool id"},
        {"id": ["x"], "text": "list id"},
        {"id": "  ", "text": "blank id"},
        {"id": "blank", "text": "   "},
        ["an", "array"],
        "",
        "   ",
        {"id": 7, "text": ENGLISH},
        '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
    )
    items = read(path)
    assert set(documents(items)) == {"good", "7"}
    assert documents(items)["good"].published.isoformat() == "2024-03-27"
    reasons = {p.origin: p.reason for p in problems(items)}
    o = str(path)
    assert reasons == {
        f"{o}:2": "malformed JSON line: Expecting property name enclosed in double quotes (column 2)",
        f"{o}:3 (id notext)": "record has no 'text'",
        f"{o}:4 (id nulltext)": "record's 'text' is null",
        f"{o}:5 (id numtext)": "record's 'text' is an integer, not a string",
        f"{o}:6 (id listtext)": "record's 'text' is an array, not a string",
        f"{o}:7": "record has no 'id'",
        f"{o}:8": "record's 'id' is null",
        f"{o}:9": "record's 'id' is a number, not a string or an integer",
        f"{o}:10": "record's 'id' is a boolean, not a string or an integer",
        f"{o}:11": "record's 'id' is an array, not a string or an integer",
        f"{o}:12": "record's 'id' is empty",
        f"{o}:13 (id blank)": "empty document (no text)",
        f"{o}:14": "JSON line is an array, not an object",
        f"{o}:18": "malformed JSON line: nested too deeply",
    }
    assert all(p.status == "failed" for p in problems(items))


def test_gzipped_jsonl_and_a_truncated_one(tmp_path):
    good = tmp_path / "a.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as handle:
        for n in range(50):
            handle.write(json.dumps({"id": f"d{n}", "text": f"{ENGLISH} {n}"}) + "\n")
    assert len(documents(read(good))) == 50 and problems(read(good)) == []
    truncated = tmp_path / "b.jsonl.gz"
    truncated.write_bytes(good.read_bytes()[:-300])
    items = read(truncated)
    problem = only_problem(items)
    assert problem.origin == str(truncated) and "cannot read file" in problem.reason
    not_gzip = tmp_path / "c.jsonl.gz"
    not_gzip.write_text('{"id": "x", "text": "y"}\n', encoding="utf-8")
    assert "cannot read file" in only_problem(read(not_gzip)).reason


def test_jsonl_in_utf16_and_binary_jsonl(tmp_path):
    wide = tmp_path / "w.jsonl"
    wide.write_bytes(codecs.BOM_UTF16_LE + (json.dumps({"id": "w", "text": ENGLISH}) + "\r\n").encode("utf-16-le"))
    items = read(wide)
    assert documents(items)["w"].text == ENGLISH and only_problem(items, "warning")
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b'{"id": "b"}\n\x00\x01\x02\x03')
    assert "binary" in only_problem(read(binary)).reason
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"\n\n")
    assert "empty file" in only_problem(read(empty)).reason


def test_a_cp1252_jsonl_line_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(json.dumps({"id": "c", "text": "Café " + ENGLISH}, ensure_ascii=False).encode("cp1252") + b"\n")
    items = read(path)
    assert documents(items)["c"].text.startswith("Café ")
    warning = only_problem(items, "warning")
    assert warning.origin == f"{path}:1 (id c)" and "cp1252" in warning.reason


def test_lone_surrogates_are_replaced_keeping_offsets(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s\\udc00", "text": "Putin \\ud800 blamed Kyiv. \\ud83d\\ude00 ok", '
                    '"title": "T\\udfff"}\n', encoding="utf-8")
    items = read(path)
    (doc,) = documents(items).values()
    assert doc.text == "Putin \ufffd blamed Kyiv. \U0001F600 ok" and doc.title == "T\ufffd"
    assert doc.id == "s\\udc00"  # escaped, not replaced: distinct ids stay distinct
    assert "2 lone surrogate(s)" in only_problem(items, "warning").reason
    for item in items:
        for value in (getattr(item, "text", ""), getattr(item, "id", ""), str(item)):
            value.encode("utf-8")  # nothing left that cannot be written


def test_names_are_printed_on_one_line(tmp_path):
    path = write_jsonl(tmp_path / "f.jsonl", {"id": "evil\nid\u2028\x1b[31m", "text": "x"},
                       {"id": "evil\nid\u2028\x1b[31m", "text": "again"})
    (problem,) = problems(read(path))
    assert "\n" not in str(problem) and "\u2028" not in str(problem) and "\x1b" not in str(problem)
    assert "evil\\x0aid\\u2028\\x1b[31m" in str(problem)


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
def test_undecodable_file_names(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(ENGLISH.encode())
    (doc,) = documents(read(tmp_path)).values()
    assert doc.id == "caf\\xe9" and doc.origin.endswith("caf\\xe9.txt")
    doc.origin.encode("utf-8")


# Non-English ---------------------------------------------------------------------------------


def test_non_english_text_is_processed_with_a_warning(tmp_path):
    for name, text in (("de", GERMAN), ("ru", RUSSIAN), ("en", ENGLISH)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    items = read(tmp_path)
    assert set(documents(items)) == {"de", "ru", "en"}
    warnings = {p.doc_id: p.reason for p in problems(items)}
    assert set(warnings) == {"de", "ru"} and all(p.status == "warning" for p in problems(items))
    assert "non-Latin" in warnings["ru"] and "English" in warnings["de"]


def test_the_english_check_leaves_real_articles_alone():
    root = Path(__file__).resolve().parent.parent / "data" / "articles"
    for path in sorted(root.glob("*.txt")):
        assert english_note(path.read_text(encoding="utf-8")) is None, path.name
    assert english_note("Kremlin: no comment.") is None  # too short to judge


def test_printable():
    assert printable("a\tb\nc\u202ed\udce9") == "a\\x09b\\x0ac\\u202ed\\xe9"
    assert len(printable("x" * 500)) == 200


# Properties -----------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400))
def test_any_bytes_in_a_text_file_never_raise(tmp_path, raw):
    path = tmp_path / "any.txt"
    path.write_bytes(raw)
    items = read(path)
    assert len(items) >= 1
    for item in items:
        if isinstance(item, Document):
            item.text.encode("utf-8")
            assert item.text.strip() and "\x00" not in item.text
        else:
            assert item.status in ("failed", "warning") and "\n" not in str(item)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.one_of(
    st.fixed_dictionaries({"id": st.one_of(st.text(max_size=20), st.integers(), st.none(), st.floats()),
                           "text": st.one_of(st.text(max_size=200), st.integers(), st.none())}),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8)), max_size=8))
def test_any_json_lines_never_raise(tmp_path, records):
    path = tmp_path / "any.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = read(path)
    for item in items:
        if isinstance(item, Document):
            item.text.encode("utf-8")
            item.id.encode("utf-8")
        else:
            assert "\n" not in str(item)
            str(item).encode("utf-8")


@settings(max_examples=50, deadline=None)
@given(raw=st.binary(max_size=200), fallback=st.sampled_from(["cp1252", "latin-1", None]))
def test_decode_bytes_either_decodes_or_says_why(raw, fallback):
    try:
        text, warning = decode_bytes(raw, fallback)
    except ValueError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and (warning is None or isinstance(warning, str))
