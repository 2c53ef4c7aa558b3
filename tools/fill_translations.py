"""Fills translations kept in a JSON file into a .ts: the German of a set of texts written
apart from the .ts (``tools/translations_de_window.json``: the window, the queue, the
detail pane and the conversation), for the .ts to take them over.

    .venv/bin/python tools/fill_translations.py     # then: .venv/bin/python tools/translations.py

1. Unless ``--no-update``, ``pyside6-lupdate`` first brings the .ts up to date with the code,
   as ``tools/translations.py`` does, so that every text wrapped is in it.
2. Every unfinished message of the .ts whose context and source the JSON holds gets the
   JSON's translation and is finished. A finished translation is kept as it is (the .ts has
   the last word); nothing else of the file changes, byte for byte.

The JSON is an object of contexts (the class a ``self.tr`` call is written in, or ``words``
for ``words.tr``), each an object of English sources exactly as lupdate files them, each
with its German: a string, or for a text with a count (``%n``) a list of two forms, for one
and for more::

    {"MainWindow": {"Save search": "Suche speichern",
                    "%n ticket(s)": ["%n Ticket", "%n Tickets"]}}

A translation that loses or adds a placeholder (``{name}``), a count or a keyboard
mnemonic (``&``) is refused: nothing is written. A message with a disambiguation is never
filled (the JSON cannot name one).

Options: ``--json FILE`` (default: the window's), ``--ts FILE`` (default: the German .ts),
``--no-update`` (fill the .ts as it is, without lupdate), ``--dry-run`` (no lupdate and
nothing written: what the .ts as it is would take). The exit status is 1 when a translation
is refused.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from xml.sax.saxutils import unescape

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE / "translations_de_window.json"

PLACEHOLDER = re.compile(r"\{(\w*)\}")
COUNT = re.compile(r"%L?n")
MNEMONIC = re.compile(r"&(?=[^&\s])")

_CONTEXT = re.compile(r"<context>(?P<body>.*?)</context>", re.S)
_NAME = re.compile(r"<name>(?P<name>.*?)</name>", re.S)
_MESSAGE = re.compile(r"<message(?P<attributes>[^>]*)>(?P<body>.*?)</message>", re.S)
_SOURCE = re.compile(r"<source>(?P<text>.*?)</source>", re.S)
_COMMENT = re.compile(r"<comment>", re.S)
_UNFINISHED = re.compile(r'<translation type="unfinished"(?:\s*/>|>.*?</translation>)', re.S)
_ENTITIES = {"&apos;": "'", "&quot;": '"'}

Translation = str | list[str]


def _translations_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations", HERE / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def escape(text: str) -> str:
    """``text`` as lupdate writes it in a .ts."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;").replace("'", "&apos;")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"&#x{ord(m.group()):x};", text)


def _unescape(text: str) -> str:
    text = re.sub(r"&#x([0-9a-fA-F]+);", lambda m: chr(int(m.group(1), 16)), text)
    return unescape(text, _ENTITIES)


# --------------------------------------------------------------------------- the JSON


def problems(source: str, translation: Translation) -> list[str]:
    """Why ``translation`` cannot stand for ``source`` (nothing: it can)."""
    numerus = bool(COUNT.search(source))
    where = repr(source)
    if numerus != isinstance(translation, list):
        wanted = "a list of two forms" if numerus else "a string"
        return [f"{where}: the translation is to be {wanted}"]
    forms = translation if isinstance(translation, list) else [translation]
    if numerus and len(forms) != 2:
        return [f"{where}: {len(forms)} forms, German has two (one, more)"]
    found = []
    for text in forms:
        if not isinstance(text, str) or not text.strip():
            found.append(f"{where}: an empty translation")
        elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
            found.append(f"{where}: {text!r} has other placeholders")
        elif COUNT.findall(text) != COUNT.findall(source):
            found.append(f"{where}: {text!r} has another count")
        elif len(MNEMONIC.findall(text)) != len(MNEMONIC.findall(source)):
            found.append(f"{where}: {text!r} has another keyboard mnemonic")
    return found


def load(path: Path) -> dict[str, dict[str, Translation]]:
    """The JSON's translations by context and source."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise SystemExit(f"{path}: an object of contexts, each an object of sources, is expected")
    return data


def check(translations: Mapping[str, Mapping[str, Translation]]) -> list[str]:
    return [
        f"{context}: {problem}"
        for context, messages in translations.items()
        for source, translation in messages.items()
        for problem in problems(source, translation)
    ]


# --------------------------------------------------------------------------- the .ts


@dataclass(frozen=True, slots=True)
class Message:
    """An unfinished message of a .ts: where its ``<translation>`` element is."""

    context: str
    source: str
    numerus: bool
    start: int  # of the <translation> element in the file's text
    end: int
    indent: str  # the <translation> element's


def unfinished(text: str) -> Iterator[Message]:
    """The unfinished messages of a .ts without a disambiguation."""
    for context in _CONTEXT.finditer(text):
        body = context.group("body")
        offset = context.start("body")
        named = _NAME.search(body)
        name = _unescape(named.group("name")) if named else ""
        for message in _MESSAGE.finditer(body):
            inner = message.group("body")
            source = _SOURCE.search(inner)
            translation = _UNFINISHED.search(inner)
            if source is None or translation is None or _COMMENT.search(inner):
                continue
            start = offset + message.start("body") + translation.start()
            line_start = text.rfind("\n", 0, start) + 1
            yield Message(
                name,
                _unescape(source.group("text")),
                'numerus="yes"' in message.group("attributes"),
                start,
                offset + message.start("body") + translation.end(),
                text[line_start:start],
            )


def finished(message: Message, translation: Translation, newline: str = "\n") -> str:
    """The ``<translation>`` element of ``message`` with ``translation``, as lupdate writes
    it (its lines ending in ``newline``)."""
    if not message.numerus:
        assert isinstance(translation, str)
        return f"<translation>{escape(translation)}</translation>"
    indent = f"{newline}{message.indent}"
    forms = "".join(
        f"{indent}    <numerusform>{escape(form)}</numerusform>" for form in translation
    )
    return f"<translation>{forms}{indent}</translation>"


@dataclass(frozen=True, slots=True)
class Filled:
    text: str  # the .ts with the translations
    filled: list[tuple[str, str]]  # (context, source) of each message filled
    missing: list[tuple[str, str]]  # in the JSON, not unfinished in the .ts


def fill(text: str, translations: Mapping[str, Mapping[str, Translation]]) -> Filled:
    """``text`` (a .ts) with the unfinished messages the JSON holds filled."""
    pieces: list[str] = []
    done: list[tuple[str, str]] = []
    newline = "\r\n" if "\r\n" in text else "\n"
    last = 0
    for message in unfinished(text):
        translation = translations.get(message.context, {}).get(message.source)
        if translation is None or isinstance(translation, list) != message.numerus:
            continue
        pieces += [text[last : message.start], finished(message, translation, newline)]
        last = message.end
        done.append((message.context, message.source))
    pieces.append(text[last:])
    filled = set(done)
    wanted = [(c, s) for c, messages in translations.items() for s in messages]
    missing = [key for key in wanted if key not in filled]
    return Filled("".join(pieces), done, missing)


def update(ts: Path) -> None:
    """Bring ``ts`` up to date with the code, as tools/translations.py does."""
    tools = _translations_module()
    language = ts.stem.rsplit("_", 1)[-1]
    subprocess.run(tools.lupdate_command(ts, language), check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="the translations")
    parser.add_argument("--ts", type=Path, default=None, help="the .ts (default: the German)")
    parser.add_argument("--no-update", action="store_true", help="do not run lupdate first")
    parser.add_argument("--dry-run", action="store_true", help="no lupdate, write nothing")
    args = parser.parse_args(argv)
    ts: Path = args.ts if args.ts is not None else _translations_module().ts_file("de")
    translations = load(args.json)
    refused = check(translations)
    if refused:
        print("\n".join(["refused, nothing written:", *refused]), file=sys.stderr)
        return 1
    if not args.no_update and not args.dry_run:
        update(ts)
    result = fill(ts.read_bytes().decode("utf-8"), translations)
    if not args.dry_run and result.filled:
        ts.write_bytes(result.text.encode("utf-8"))
    verb = "would fill" if args.dry_run else "filled"
    print(f"{ts}: {verb} {len(result.filled)} message(s) from {args.json.name}")
    if result.missing:
        print(f"{len(result.missing)} of the JSON's texts were not unfinished there (translated")
        print("already, or no longer in the code):")
        for context, source in result.missing:
            print(f"  {context}: {source!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
