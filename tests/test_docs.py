"""The documentation stays true: every `intake` command, `make` target and source path it names
exists.

Commands are read from the README and `docs/*.md`: code blocks line by line, and inline code
that starts with `intake `. Each must walk the real command tree to a command, use only options
that command (or the `intake` group) has, and answer `--help`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
FENCE = re.compile(r"^```.*?$(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`(intake [^`]+)`")
INTAKE = re.compile(r"^\s*(?:[A-Z_]+=\S+\s+)*(?:\S*/)?intake\s+(?P<args>.*)$")
"""A shell line that runs `intake` (perhaps as `.venv/bin/intake`, after variable settings)."""
MAKE = re.compile(r"(?:^|\s)make\s+(?P<target>[a-z][a-z-]*)")
SHELL_BREAKS = re.compile(r"\s(?:&&|\|\||\||;|>|<)\s")
SOURCE_PATH = re.compile(
    r"`((?:tests|pipeline|db|dashboards|migrations|benchmarks|deploy)/(?:[\w/.-]*/|[\w/.-]*\.py))`"
)
"""Inline code naming a folder or a Python file of the project (a moved test leaves none behind)."""


@dataclass(frozen=True)
class Mention:
    doc: str
    line: str

    def __str__(self) -> str:
        return f"{self.doc}: {self.line.strip()}"


def _mentions() -> list[Mention]:
    found: list[Mention] = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in FENCE.findall(text):
            lines = block.splitlines()
            found += [Mention(path.name, line) for line in lines if INTAKE.search(line)]
        spans = INLINE.findall(FENCE.sub("", text))
        found += [Mention(path.name, " ".join(span.split())) for span in spans]
    return found


def _make_mentions() -> list[Mention]:
    return [
        Mention(path.name, line)
        for path in DOCS
        for block in FENCE.findall(path.read_text(encoding="utf-8"))
        for line in block.splitlines()
        if MAKE.search(line.split("#")[0])
    ]


def _args(line: str) -> list[str]:
    match = INTAKE.search(line)
    assert match is not None
    command = SHELL_BREAKS.split(match["args"])[0]
    return shlex.split(command, comments=True)


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")  # typer vendors its own click: no isinstance


def _options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


MENTIONS = _mentions()


def test_the_docs_name_intake_commands_at_all() -> None:
    assert len(MENTIONS) > 20  # the README's cheat sheet alone has more


@pytest.mark.parametrize("mention", MENTIONS, ids=str)
def test_every_intake_command_the_docs_name_exists_with_its_options(mention: Mention) -> None:
    group = typer.main.get_command(app)
    args = _args(mention.line)
    known_globals = _options(group)
    while args and args[0] in known_globals:
        args.pop(0)
    path: list[str] = []
    command: Any = group
    while _is_group(command) and args and not args[0].startswith("-"):
        name = args.pop(0)
        sub = command.get_command(None, name)
        assert sub is not None, f"{mention}: `intake {' '.join([*path, name])}` is no command"
        path.append(name)
        command = sub
    if args == ["--help"]:
        args = []
    elif _is_group(command):
        pytest.fail(f"{mention}: names a group, not a command")
    unknown = {arg.split("=")[0] for arg in args if arg.startswith("--")} - _options(command)
    assert not unknown, f"{mention}: `intake {' '.join(path)}` has no option {sorted(unknown)}"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("mention", _make_mentions(), ids=str)
def test_every_make_target_the_docs_name_exists(mention: Mention) -> None:
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    for match in MAKE.finditer(mention.line.split("#")[0]):
        assert match["target"] in targets, f"{mention}: no `make {match['target']}`"


@pytest.mark.parametrize(
    "mention",
    sorted(
        {
            Mention(path.name, match)
            for path in DOCS
            for match in SOURCE_PATH.findall(path.read_text(encoding="utf-8"))
        },
        key=str,
    ),
    ids=str,
)
def test_every_source_file_and_folder_the_docs_name_exists(mention: Mention) -> None:
    assert (ROOT / mention.line).exists(), f"{mention}: no such file or folder"
