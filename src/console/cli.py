"""The command line. Qt is imported only when the window is asked for, so that
commands stay fast and run on machines without a display."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from console import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-console",
        description="A desktop console for support teams working under contractual SLAs. "
        "Without a command, opens the console window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.command is None:
        from console.app import run_gui

        return run_gui([])
    parser.error(f"unknown command {args.command!r}")
    return 2
