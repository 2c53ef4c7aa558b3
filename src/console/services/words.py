"""The one door through which a text made outside a Qt object is translated: the services'
texts, and the module-level functions and constants of ``console.qt``. Qt-free: by default
a text stays English; :func:`console.qt.i18n.install_language` points :func:`use` at Qt's
translators when the console starts.

Written so that ``pyside6-lupdate`` finds every text, with the context ``words`` (its Python
parser takes the name before ``.tr`` as the context):

- ``words.tr("Breached")``; with values, ``words.tr("due in {span}").format(span=...)``:
  ``format`` after ``tr``, never an f-string inside it.
- A count: ``words.tr("%n working day(s)", "", days)``. The translation has a form per
  number; in English "(s)" is dropped for 1 and becomes "s" otherwise (:func:`english`).
- A constant, made at import before any language is chosen:
  ``BREACHED = words.QT_TR_NOOP("Breached")``, shown with ``words.tr(BREACHED)``.
- A disambiguation, when one English text needs two translations:
  ``words.tr("Open", "ticket state")``.

Always spelled ``words.tr`` (``from console.services import words``): a bare ``tr`` would
be filed under no context and never found.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CONTEXT", "QT_TR_NOOP", "Translate", "english", "english_plural", "tr", "use"]

CONTEXT = "words"

# (context, text, disambiguation, n) -> the text in the chosen language, with %n replaced,
# as QCoreApplication.translate has it.
Translate = Callable[[str, str, str | None, int], str]

_PLURAL_S = re.compile(r"\(s\)")
_COUNT = re.compile(r"%L?n")


def english_plural(text: str, n: int) -> str:
    """The English form of a text with a count: "(s)" dropped for 1, else "s"."""
    return _PLURAL_S.sub("" if n == 1 else "s", text)


def english(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` itself, as English: with a count (``n`` ≥ 0) in :func:`english_plural`'s
    form, ``%n`` replaced by ``n`` (``%Ln`` with thousands separators)."""
    if n < 0:
        return text
    return _COUNT.sub(lambda m: f"{n:,}" if m.group() == "%Ln" else str(n), english_plural(text, n))


_translate: Translate = english


def use(translate: Translate | None) -> None:
    """Translate from now on with ``translate`` (None: English again)."""
    global _translate
    _translate = translate if translate is not None else english


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the console's language (``n``: the count for ``%n``, or -1)."""
    return _translate(CONTEXT, text, disambiguation, n)


def _mark(text: str) -> str:
    return text


# Named as Qt's marker so that lupdate finds the text; it returns it unchanged.
QT_TR_NOOP: Callable[[str], str] = _mark
