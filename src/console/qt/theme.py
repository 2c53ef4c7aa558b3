"""The console's colours and its theme switch.

Two schemes, light and dark, each a :class:`Colours`: the palette's colours and every colour
the windows use by name (row tints, the clocks' state colours, the conversation's cards, the
handover board's sections, the report's tones and bars, the outlines of controls). Nothing
in ``console.qt`` writes a colour of its own: it asks :func:`colours` for the scheme of a
palette, or gives a label a tone (:func:`set_tone`) that the style sheet colours.

A theme is a palette plus a style sheet (``resources/styles``), both made from the scheme's
colours. :func:`apply_theme` sets them on the application: "light" and "dark" on the Fusion
style with this module's palettes, "system" with the platform's style and palette, or with
ours where the platform's style cannot show the colour scheme the operating system asks for
(Qt tells it through ``QStyleHints.colorScheme``). Widgets that keep colours of their own
follow a switch through their palette-change events; models re-colour with ``restyle()``.

:meth:`Colours.pairs` lists every foreground the console draws on every background it draws
it on, with the contrast it must reach; ``tests/qt/test_theme.py`` checks them all.

Printed and exported documents (the handover's PDF and HTML page) keep their own colours:
they are read on paper or in a browser, whatever the console's theme.
"""

from __future__ import annotations

import atexit
import importlib
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from console.services.handover import Section
from console.services.report_table import Tone

__all__ = [
    "CONTROL_CONTRAST",
    "DARK",
    "DECORATIONS",
    "LIGHT",
    "TEXT_CONTRAST",
    "THEMES",
    "Colours",
    "LabelTone",
    "Pair",
    "Scheme",
    "Theme",
    "apply_theme",
    "colours",
    "contrast",
    "follow_palette",
    "luminance",
    "scheme_of",
    "set_tone",
    "style_sheet",
]

Theme = Literal["system", "light", "dark"]
THEMES: tuple[Theme, ...] = get_args(Theme)
Scheme = Literal["light", "dark"]
LabelTone = Literal["ok", "alarm", "problem", "caution", "quiet"]

TEXT_CONTRAST = 4.5  # WCAG 2.x, level AA: text of normal size
CONTROL_CONTRAST = 3.0  # WCAG 2.x, 1.4.11: a control's outline, a chart's bar

STYLES = Path(__file__).resolve().parent.parent / "resources" / "styles"
_TOKEN = re.compile(r"@([a-z][a-z0-9_]*)")
_IMAGE = re.compile(r"url\(styles:([\w.-]+)\)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ORIGINAL_STYLE = "console_original_style"  # the platform's style, before Fusion replaced it
_STYLE_IN_USE = "console_style_in_use"  # the name of the style set last
_THEME = "console_theme"  # the theme last applied
_FOLLOWING = "console_follows_color_scheme"
_APPLYING = "console_applying_theme"


# --------------------------------------------------------------------------- contrast


def luminance(colour: QColor) -> float:
    """Relative luminance of an opaque colour, 0 (black) to 1 (white), as WCAG 2.x has it."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    """WCAG 2.x contrast ratio of two opaque colours: 1 (none) to 21 (black on white)."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True, slots=True)
class Pair:
    """``foreground`` drawn on ``background``; ``where`` names them for people. It must reach
    ``minimum`` (:data:`TEXT_CONTRAST` for text, :data:`CONTROL_CONTRAST` for outlines and
    bars)."""

    where: str
    foreground: QColor
    background: QColor
    minimum: float = TEXT_CONTRAST

    @property
    def ratio(self) -> float:
        return contrast(self.foreground, self.background)


# --------------------------------------------------------------------------- the schemes


def _c(value: str) -> QColor:
    return QColor(value)


@dataclass(frozen=True, eq=False)
class Colours:
    """Every colour of one scheme. The first group makes the palette (:meth:`palette`); the
    others are the console's own, by what they show."""

    scheme: Scheme

    # The palette.
    window: QColor
    window_text: QColor
    base: QColor
    alternate_base: QColor
    text: QColor
    button: QColor
    button_text: QColor
    highlight: QColor
    highlighted_text: QColor
    tooltip_base: QColor
    tooltip_text: QColor
    quiet: QColor  # the palette's placeholder text; muted labels, paused countdowns
    link: QColor
    link_visited: QColor
    disabled_text: QColor
    disabled_base: QColor
    disabled_button: QColor
    disabled_highlight: QColor
    light: QColor  # the bevels Fusion draws with
    midlight: QColor
    mid: QColor  # rules between the parts of a pane
    dark: QColor
    shadow: QColor

    # How a clock stands: fine, the warning levels (first threshold first), breached. Also
    # the colours of success, caution and failure elsewhere (connected, limits, errors).
    ok: QColor
    warnings: tuple[QColor, QColor, QColor]
    alarm: QColor
    # Text on a fill of one of the colours above (a progress bar, a badge): the one of the
    # two that reads better on it.
    ink_on_dark: QColor
    ink_on_light: QColor

    # The queue's rows by warning level, 1 to 3 thresholds crossed and 4 breached.
    tints: tuple[QColor, QColor, QColor, QColor]

    # The banner that says the database is unreachable.
    banner: QColor
    on_banner: QColor

    # The conversation's cards: an internal note, the customer's words, the team's.
    note_fill: QColor
    note_border: QColor
    note_badge: QColor
    customer_fill: QColor
    customer_border: QColor
    agent_fill: QColor
    agent_border: QColor

    # The handover board: each section's accent (its bar and badge) and band (its row).
    sections: Mapping[Section, QColor]
    bands: Mapping[Section, QColor]
    empty_band: QColor  # a section without tickets

    # The SLA report's chart bars by tone (its text takes the state colours).
    bars: Mapping[Tone, QColor]

    # Outlines of controls, and lines.
    frame: QColor  # line edits, spin boxes, combo boxes, buttons, group boxes
    indicator: QColor  # check boxes, radio buttons, the grips of splitter handles
    focus: QColor  # the control with the keyboard focus, a hovered one
    grid: QColor  # table grid lines, the report chart's

    # ------------------------------------------------------------------ by meaning

    def tint(self, level: int) -> QColor | None:
        """The queue row's background at a warning level (None: the view's own)."""
        return self.tints[level - 1] if 1 <= level <= len(self.tints) else None

    def tone(self, tone: Tone) -> QColor:
        """The text colour of a report figure's tone."""
        return {
            Tone.GOOD: self.ok,
            Tone.FAIR: self.warnings[0],
            Tone.POOR: self.alarm,
            Tone.QUIET: self.quiet,
        }[tone]

    def ink_on(self, fill: QColor) -> QColor:
        """Text on ``fill``: the light or the dark ink, whichever contrasts more."""
        light, dark = self.ink_on_dark, self.ink_on_light
        return light if contrast(light, fill) >= contrast(dark, fill) else dark

    # ------------------------------------------------------------------ the palette

    def palette(self) -> QPalette:
        """The scheme's palette, every role of every colour group set."""
        role = QPalette.ColorRole
        roles = {
            role.Window: self.window,
            role.WindowText: self.window_text,
            role.Base: self.base,
            role.AlternateBase: self.alternate_base,
            role.Text: self.text,
            role.Button: self.button,
            role.ButtonText: self.button_text,
            role.BrightText: self.ink_on_dark,
            role.Highlight: self.highlight,
            role.HighlightedText: self.highlighted_text,
            role.ToolTipBase: self.tooltip_base,
            role.ToolTipText: self.tooltip_text,
            role.PlaceholderText: self.quiet,
            role.Link: self.link,
            role.LinkVisited: self.link_visited,
            role.Light: self.light,
            role.Midlight: self.midlight,
            role.Mid: self.mid,
            role.Dark: self.dark,
            role.Shadow: self.shadow,
        }
        if hasattr(role, "Accent"):  # Qt 6.6
            roles[role.Accent] = self.highlight
        disabled = {
            role.WindowText: self.disabled_text,
            role.Text: self.disabled_text,
            role.ButtonText: self.disabled_text,
            role.PlaceholderText: self.disabled_text,
            role.Base: self.disabled_base,
            role.Button: self.disabled_button,
            role.Highlight: self.disabled_highlight,
        }
        palette = QPalette()
        group = QPalette.ColorGroup
        for colour_group in (group.Active, group.Inactive, group.Disabled):
            for which, colour in roles.items():
                palette.setColor(colour_group, which, colour)
        for which, colour in disabled.items():
            palette.setColor(group.Disabled, which, colour)
        return palette

    # ------------------------------------------------------------------ the checks

    def pairs(self) -> list[Pair]:
        """Every foreground the console draws on every background it draws it on."""
        found: list[Pair] = []

        def add(where: str, fg: QColor, bg: QColor, minimum: float = TEXT_CONTRAST) -> None:
            found.append(Pair(where, fg, bg, minimum))

        palette = self.palette()
        group = QPalette.ColorGroup
        for colour_group in (group.Active, group.Inactive, group.Disabled):
            for fg_role, bg_role in PALETTE_PAIRS:
                if colour_group == group.Disabled and (fg_role, bg_role) in ENABLED_ONLY:
                    continue
                add(
                    f"palette {colour_group.name} {fg_role.name} on {bg_role.name}",
                    palette.color(colour_group, fg_role),
                    palette.color(colour_group, bg_role),
                )

        surfaces = {
            "window": self.window,
            "base": self.base,
            "alternate base": self.alternate_base,
        }
        inks = {
            "quiet": self.quiet,
            "ok": self.ok,
            **{f"warning {n}": c for n, c in enumerate(self.warnings, 1)},
            "alarm": self.alarm,
            "link": self.link,
        }
        for surface, background in surfaces.items():
            for ink, foreground in inks.items():
                add(f"{ink} on {surface}", foreground, background)

        for level, tint in enumerate(self.tints, 1):
            for ink, foreground in (
                ("text", self.text),
                ("quiet", self.quiet),
                ("alarm", self.alarm),
            ):
                add(f"queue: {ink} on the level {level} tint", foreground, tint)

        for fill in (self.ok, *self.warnings, self.alarm, self.quiet):
            add(f"ink on the fill {fill.name()}", self.ink_on(fill), fill)
        add("the offline banner", self.on_banner, self.banner)

        cards = {
            "note": self.note_fill,
            "customer": self.customer_fill,
            "agent": self.agent_fill,
        }
        for card, fill in cards.items():
            for ink, foreground in (
                ("text", self.text),
                ("quiet", self.quiet),
                ("ok", self.ok),
                ("alarm", self.alarm),
                ("note badge", self.note_badge),
                ("link", self.link),
            ):
                add(f"conversation: {ink} on a {card} card", foreground, fill)

        for section in Section:
            accent, band = self.sections[section], self.bands[section]
            add(f"handover: the {section} badge", self.ink_on(accent), accent)
            add(f"handover: text on the {section} band", self.text, band)
            add(f"handover: quiet on the {section} band", self.quiet, band)
        add("handover: quiet on an empty band", self.quiet, self.empty_band)

        for tone, bar in self.bars.items():
            add(f"report: the {tone.value} bar", bar, self.base, CONTROL_CONTRAST)

        for outline, colour in (
            ("frame", self.frame),
            ("indicator", self.indicator),
            ("focus", self.focus),
        ):
            for surface, background in (*surfaces.items(), ("button", self.button)):
                add(f"the {outline} outline on {surface}", colour, background, CONTROL_CONTRAST)
        return found

    # ------------------------------------------------------------------ the style sheet

    def tokens(self) -> dict[str, QColor]:
        """The colours a style sheet names as ``@name``: each colour field by its name, a
        tuple's by its name and number from 1, a mapping's by its name and key."""
        found: dict[str, QColor] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, QColor):
                found[field.name] = value
            elif isinstance(value, tuple):
                for number, colour in enumerate(value, 1):
                    found[f"{field.name}{number}"] = colour
            elif isinstance(value, Mapping):
                for key, colour in value.items():
                    found[f"{field.name}_{getattr(key, 'value', key)}"] = colour
        return found


DECORATIONS = frozenset(
    {"light", "midlight", "mid", "dark", "shadow", "grid"}
    | {"note_border", "customer_border", "agent_border"}
)
"""Colours drawn beside text, never under it or as it (bevels, rules, lines, the borders of
the conversation's cards): :meth:`Colours.pairs` needs not check them. The inks
(``ink_on_dark``, ``ink_on_light``) are checked on every fill that picks them."""


PALETTE_PAIRS = tuple(
    (QPalette.ColorRole[fg], QPalette.ColorRole[bg])
    for fg, bg in (
        ("WindowText", "Window"),
        ("WindowText", "AlternateBase"),  # the handover's banner and form
        ("Text", "Base"),
        ("Text", "AlternateBase"),
        ("ButtonText", "Button"),
        ("ButtonText", "Mid"),  # a pressed or checked button (controls.qss)
        ("HighlightedText", "Highlight"),
        ("ToolTipText", "ToolTipBase"),
        ("PlaceholderText", "Base"),
        ("PlaceholderText", "Window"),
        ("PlaceholderText", "AlternateBase"),
        ("Link", "Base"),
        ("LinkVisited", "Base"),
        ("Link", "Window"),
    )
)
"""The palette's own pairs: text roles on the backgrounds they are drawn on."""
ENABLED_ONLY = frozenset({(QPalette.ColorRole.ButtonText, QPalette.ColorRole.Mid)})
"""Pairs no disabled widget shows (a disabled button is never drawn pressed: controls.qss)."""


LIGHT = Colours(
    scheme="light",
    window=_c("#f3f4f6"),
    window_text=_c("#1b1f24"),
    base=_c("#ffffff"),
    alternate_base=_c("#f3f5f8"),
    text=_c("#1b1f24"),
    button=_c("#e8ebef"),
    button_text=_c("#1b1f24"),
    highlight=_c("#1f5fb4"),
    highlighted_text=_c("#ffffff"),
    tooltip_base=_c("#fdfbea"),
    tooltip_text=_c("#1b1f24"),
    quiet=_c("#535d68"),
    link=_c("#0b57c4"),
    link_visited=_c("#6a3db0"),
    disabled_text=_c("#5f6873"),
    disabled_base=_c("#f3f4f6"),
    disabled_button=_c("#eceef1"),
    disabled_highlight=_c("#5f6873"),
    light=_c("#ffffff"),
    midlight=_c("#dde1e6"),
    mid=_c("#b6bdc5"),
    dark=_c("#8e969f"),
    shadow=_c("#5c636a"),
    ok=_c("#1d7332"),
    warnings=(_c("#8a5700"), _c("#a34500"), _c("#b0360f")),
    alarm=_c("#b3261e"),
    ink_on_dark=_c("#ffffff"),
    ink_on_light=_c("#16191d"),
    tints=(_c("#fff3d1"), _c("#ffe3c0"), _c("#fcd6c2"), _c("#f8d4d4")),
    banner=_c("#b3261e"),
    on_banner=_c("#ffffff"),
    note_fill=_c("#fcf0cd"),
    note_border=_c("#d9ab3a"),
    note_badge=_c("#6e4a00"),
    customer_fill=_c("#f1f3f5"),
    customer_border=_c("#c6ccd3"),
    agent_fill=_c("#e3ecf8"),
    agent_border=_c("#98b5dc"),
    sections={
        Section.BREACHED: _c("#b3261e"),
        Section.WILL_BREACH: _c("#a34500"),
        Section.RESUMING: _c("#1f5fb4"),
        Section.PAUSED: _c("#535d68"),
        Section.UNASSIGNED: _c("#6a3db0"),
    },
    bands={
        Section.BREACHED: _c("#f9e0de"),
        Section.WILL_BREACH: _c("#fbe8d8"),
        Section.RESUMING: _c("#e1eaf7"),
        Section.PAUSED: _c("#e9ecef"),
        Section.UNASSIGNED: _c("#ede5f6"),
    },
    empty_band=_c("#f1f2f4"),
    bars={
        Tone.GOOD: _c("#2e7d32"),
        Tone.FAIR: _c("#b86e00"),
        Tone.POOR: _c("#c62828"),
        Tone.QUIET: _c("#8a929b"),
    },
    frame=_c("#787f88"),
    indicator=_c("#6b737c"),
    focus=_c("#1f5fb4"),
    grid=_c("#d3d8de"),
)

DARK = Colours(
    scheme="dark",
    window=_c("#25272b"),
    window_text=_c("#e8eaed"),
    base=_c("#1c1e21"),
    alternate_base=_c("#24272b"),
    text=_c("#e8eaed"),
    button=_c("#34373c"),
    button_text=_c("#e8eaed"),
    highlight=_c("#2c64b0"),
    highlighted_text=_c("#ffffff"),
    tooltip_base=_c("#3a3d43"),
    tooltip_text=_c("#f1f3f5"),
    quiet=_c("#a3abb4"),
    link=_c("#8cb9ff"),
    link_visited=_c("#c6a6ff"),
    disabled_text=_c("#959ca4"),
    disabled_base=_c("#222428"),
    disabled_button=_c("#2b2e32"),
    disabled_highlight=_c("#3c4048"),
    light=_c("#4a4e55"),
    midlight=_c("#3d4147"),
    mid=_c("#5f656d"),
    dark=_c("#141518"),
    shadow=_c("#000000"),
    ok=_c("#6fcf85"),
    warnings=(_c("#f0c24c"), _c("#f6a456"), _c("#f88c6f")),
    alarm=_c("#ff8f87"),
    ink_on_dark=_c("#ffffff"),
    ink_on_light=_c("#16191d"),
    tints=(_c("#3a3418"), _c("#45311a"), _c("#4b2a1f"), _c("#4f2228")),
    banner=_c("#8f1d17"),
    on_banner=_c("#ffffff"),
    note_fill=_c("#38321f"),
    note_border=_c("#8a7335"),
    note_badge=_c("#f0c24c"),
    customer_fill=_c("#282b2f"),
    customer_border=_c("#4b5057"),
    agent_fill=_c("#1f2c3e"),
    agent_border=_c("#3e5d88"),
    sections={
        Section.BREACHED: _c("#ff8f87"),
        Section.WILL_BREACH: _c("#f6a456"),
        Section.RESUMING: _c("#7db0f5"),
        Section.PAUSED: _c("#a3abb4"),
        Section.UNASSIGNED: _c("#c4a2f0"),
    },
    bands={
        Section.BREACHED: _c("#3f2628"),
        Section.WILL_BREACH: _c("#3b3025"),
        Section.RESUMING: _c("#22304a"),
        Section.PAUSED: _c("#2f3236"),
        Section.UNASSIGNED: _c("#332a42"),
    },
    empty_band=_c("#272a2e"),
    bars={
        Tone.GOOD: _c("#5fc77a"),
        Tone.FAIR: _c("#e9ae48"),
        Tone.POOR: _c("#f47a72"),
        Tone.QUIET: _c("#8e959d"),
    },
    frame=_c("#7c848d"),
    indicator=_c("#9ba3ac"),
    focus=_c("#6ea7f5"),
    grid=_c("#41464d"),
)

SCHEMES: Mapping[Scheme, Colours] = {"light": LIGHT, "dark": DARK}


def scheme_of(palette: QPalette) -> Scheme:
    """Whether ``palette`` is dark: its Base, where most text is read, is."""
    return "dark" if palette.color(QPalette.ColorRole.Base).lightness() < 128 else "light"


def colours(palette: QPalette | None = None) -> Colours:
    """The colours of ``palette``'s scheme (None: the application's palette)."""
    return SCHEMES[scheme_of(palette if palette is not None else QGuiApplication.palette())]


# --------------------------------------------------------------------------- style sheets


@cache
def _template(name: str) -> str:
    """A file of ``resources/styles``, without the comments of a style sheet (they name
    tokens)."""
    text = (STYLES / name).read_text(encoding="utf-8")
    return _COMMENT.sub("", text) if name.endswith(".qss") else text


def _fill(text: str, scheme: Colours) -> str:
    """``text`` with each ``@name`` replaced by the colour ``scheme`` names so (ValueError
    for a name it does not know)."""
    tokens = scheme.tokens()

    def colour(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in tokens:
            raise ValueError(f"styles: @{name} is not a colour of the {scheme.scheme} scheme")
        return tokens[name].name()

    return _TOKEN.sub(colour, text)


_IMAGES: dict[Scheme, Path] = {}


def _images(scheme: Colours) -> Path:
    """A folder of the style sheets' images (``resources/styles/*.svg``, whose colours are
    tokens too) in ``scheme``'s colours; made once per scheme and run. A folder per scheme:
    Qt caches a style sheet's images by their path."""
    folder = _IMAGES.get(scheme.scheme)
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix=f"support-console-{scheme.scheme}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        for image in sorted(STYLES.glob("*.svg")):
            (folder / image.name).write_text(_fill(_template(image.name), scheme), encoding="utf-8")
        _IMAGES[scheme.scheme] = folder
    return folder


def style_sheet(scheme: Colours, *, controls: bool = True) -> str:
    """The application's style sheet in ``scheme``'s colours: ``console.qss`` (the console's
    own widgets) and, with ``controls``, ``controls.qss`` (the outlines of Fusion's controls).

    An ``@name`` in a template is the colour :meth:`Colours.tokens` names so (ValueError for
    a name it does not know); ``url(styles:name.svg)`` is that image in the same colours."""
    names = ["console.qss", "controls.qss"] if controls else ["console.qss"]
    sheet = "\n".join(_fill(_template(name), scheme) for name in names)
    if _IMAGE.search(sheet):
        folder = _images(scheme).as_posix()
        sheet = _IMAGE.sub(lambda found: f'url("{folder}/{found.group(1)}")', sheet)
    return sheet


def set_tone(widget: QWidget, tone: LabelTone | None) -> None:
    """Colour ``widget``'s text by what it says (None: the usual colour). The style sheet
    gives each tone its colour, so a theme switch re-colours it with no help."""
    value = tone or ""
    if widget.property("tone") == value:
        return
    widget.setProperty("tone", value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class _PaletteFollower(QObject):
    """Calls back when the palette of the widget it filters changes."""

    def __init__(self, widget: QWidget, changed: Callable[[], object]) -> None:
        super().__init__(widget)
        self._changed = changed
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._changed()
        return False


def follow_palette(widget: QWidget, changed: Callable[[], object]) -> None:
    """Call ``changed`` whenever ``widget``'s palette changes (a theme switch): for what
    keeps colours of its own outside a widget, such as an item model."""
    _PaletteFollower(widget, changed)


# --------------------------------------------------------------------------- the switch


def _platform_scheme(app: QApplication) -> Scheme | None:
    """The colour scheme the operating system asks for, when Qt can tell."""
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    if scheme == Qt.ColorScheme.Light:
        return "light"
    return None


def _ask_platform(app: QApplication, wanted: Theme) -> None:
    """Tell the platform the scheme wanted (window frames follow it, Qt 6.8+)."""
    hints = app.styleHints()
    if wanted == "system":
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        return
    if hasattr(hints, "setColorScheme"):
        scheme = Qt.ColorScheme.Dark if wanted == "dark" else Qt.ColorScheme.Light
        hints.setColorScheme(scheme)


def _set_style(app: QApplication, name: str) -> None:
    if app.property(_STYLE_IN_USE) != name.lower():
        app.setStyle(name)
        app.setProperty(_STYLE_IN_USE, name.lower())


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the application to ``theme`` ("system", "light" or "dark"; an unknown name
    is "system"): its style, palette and style sheet. Every window and dialog repaints in
    the new colours; the icons follow when the icon module offers ``refresh()``."""
    if app.property(_APPLYING):  # the platform answered our own request (see _ask_platform)
        return
    wanted: Theme = "system"
    for known in THEMES:
        if theme == known:
            wanted = known
    original = app.property(_ORIGINAL_STYLE)
    if not isinstance(original, str):
        original = app.style().name()
        app.setProperty(_ORIGINAL_STYLE, original)
        app.setProperty(_STYLE_IN_USE, original.lower())
    app.setProperty(_THEME, wanted)
    app.setProperty(_APPLYING, True)
    try:
        _switch(app, wanted, original)
    finally:
        app.setProperty(_APPLYING, False)
    _follow_the_platform(app)
    _refresh_icons()


def _switch(app: QApplication, wanted: Theme, original: str) -> None:
    # Without this, setting a style sheet puts back the palette each widget had when the
    # last one was set, undoing the colours it was given since (a clock's, a label's).
    QCoreApplication.setAttribute(
        Qt.ApplicationAttribute.AA_UseStyleSheetPropagationInWidgetStyles, True
    )
    _ask_platform(app, wanted)
    if wanted == "system":
        _set_style(app, original)
        app.setPalette(QPalette())  # the platform's
        told, shown = _platform_scheme(app), scheme_of(app.palette())
        if told is None or told == shown:
            app.setStyleSheet(style_sheet(SCHEMES[shown], controls=original.lower() == "fusion"))
        else:  # the platform's style cannot show the scheme the system asks for
            _own(app, told)
    else:
        _own(app, wanted)


def _own(app: QApplication, scheme: Scheme) -> None:
    _set_style(app, "Fusion")
    app.setPalette(SCHEMES[scheme].palette())
    # After the palette: a sheet's palette(...) colours are read as it polishes each widget.
    app.setStyleSheet(style_sheet(SCHEMES[scheme]))


def _follow_the_platform(app: QApplication) -> None:
    """While the theme is "system", a change of the system's colour scheme switches too."""
    if app.property(_FOLLOWING):
        return
    app.setProperty(_FOLLOWING, True)

    def changed(_: object) -> None:
        if app.property(_THEME) == "system":
            apply_theme(app, "system")

    app.styleHints().colorSchemeChanged.connect(changed)


def _refresh_icons() -> None:
    """Icons drawn for a scheme are drawn again (the icon module may not be there yet)."""
    try:
        icons = importlib.import_module("console.qt.icons")
    except ImportError:
        return
    refresh = getattr(icons, "refresh", None)
    if callable(refresh):
        refresh()
