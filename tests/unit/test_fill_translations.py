"""tools/fill_translations.py: translations kept in a JSON file fill the unfinished messages
of a .ts, as lupdate would have written them, and leave every other byte as it was; a
translation that loses a placeholder, a count or a mnemonic is refused. The window's JSON
keeps them all."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    path = ROOT / "tools" / "fill_translations.py"
    spec = importlib.util.spec_from_file_location("fill_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = _tool()

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message>
        <source>Save search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message numerus="yes">
        <source>%n ticket(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <comment>ticket state</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>words</name>
    <message>
        <source>The chosen queue&apos;s tickets</source>
        <translation type="unfinished">Alte Tickets</translation>
    </message>
</context>
</TS>
"""

GERMAN = {
    "MainWindow": {
        "Save search": "Suche <speichern>",
        "&File": "&Akte",
        "%n ticket(s)": ["%n Ticket", "%n Tickets"],
        "Open": "Offen",
    },
    "words": {"The chosen queue's tickets": "Die Tickets der „gewählten“ Warteschlange"},
    "Elsewhere": {"Gone": "Weg"},
}


def test_unfinished_messages_are_filled_and_the_rest_is_kept() -> None:
    result = tool.fill(TS, GERMAN)
    assert result.filled == [
        ("MainWindow", "Save search"),
        ("MainWindow", "%n ticket(s)"),
        ("words", "The chosen queue's tickets"),
    ]
    # Finished already (kept), with a disambiguation (never filled), not in the .ts.
    assert result.missing == [
        ("MainWindow", "&File"),
        ("MainWindow", "Open"),
        ("Elsewhere", "Gone"),
    ]
    expected = (
        TS.replace(
            '<translation type="unfinished"></translation>\n    </message>\n    <message>\n'
            "        <source>&amp;File",
            "<translation>Suche &lt;speichern&gt;</translation>\n    </message>\n    <message>\n"
            "        <source>&amp;File",
        )
        .replace(
            '<translation type="unfinished">\n'
            "            <numerusform></numerusform>\n"
            "            <numerusform></numerusform>",
            "<translation>\n"
            "            <numerusform>%n Ticket</numerusform>\n"
            "            <numerusform>%n Tickets</numerusform>",
        )
        .replace(
            '<translation type="unfinished">Alte Tickets</translation>',
            "<translation>Die Tickets der „gewählten“ Warteschlange</translation>",
        )
    )
    assert result.text == expected
    assert tool.fill(result.text, GERMAN).filled == []


def test_a_translation_that_loses_what_the_source_has_is_refused(tmp_path: Path) -> None:
    broken = {
        "MainWindow": {
            "Database: {database}": "Datenbank: {db}",
            "&File": "Datei",
            "%n ticket(s)": "%n Tickets",
            "%n note(s)": ["%n Notiz", "Notizen"],
            "Quit": " ",
        }
    }
    assert len(tool.check(broken)) == 5
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(broken), encoding="utf-8")
    ts = tmp_path / "support_console_de.ts"
    ts.write_text(TS, encoding="utf-8")
    assert tool.main(["--json", str(source), "--ts", str(ts), "--no-update"]) == 1
    assert ts.read_text(encoding="utf-8") == TS


def test_the_file_is_written_in_place_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "german.json"
    source.write_text(json.dumps(GERMAN, ensure_ascii=False), encoding="utf-8")
    ts = tmp_path / "support_console_de.ts"
    ts.write_bytes(TS.replace("\n", "\r\n").encode("utf-8"))
    assert tool.main(["--json", str(source), "--ts", str(ts), "--no-update", "--dry-run"]) == 0
    assert ts.read_bytes() == TS.replace("\n", "\r\n").encode("utf-8")
    assert tool.main(["--json", str(source), "--ts", str(ts), "--no-update"]) == 0
    written = ts.read_bytes().decode("utf-8")
    assert "<translation>Suche &lt;speichern&gt;</translation>\r\n" in written
    assert written.count("\r\n") == TS.count("\n") and "\n" not in written.replace("\r\n", "")


def test_the_window_s_translations_keep_their_placeholders() -> None:
    translations = tool.load(tool.DEFAULT_JSON)
    assert tool.check(translations) == []
    assert sum(len(messages) for messages in translations.values()) > 100
