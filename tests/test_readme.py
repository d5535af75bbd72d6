"""Every example of README.md works as printed, on the corpus it names (seeds/, indexed as `quotes index`
with no argument indexes it, in a directory of its own).

Each ```console block is a session: `$ quotes ...` lines are run in order, and what follows each, up to
the next `$`, is what it prints (stderr, then stdout, as a terminal shows a command whose stdout is a pipe).
Two things differ from one clone to another and are set aside: the seconds a run took, and the ids of the
seed article's quotations (made from the file's path on disk).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SEED_TITLE = "OpenAI chief seeks Korean partners in global AI competition"


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


def sessions() -> list[list[tuple[str, str]]]:
    """Each console block as (command, expected output) pairs."""
    found = []
    for block in blocks("console"):
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        found.append([(command, "\n".join(out) + "\n" if out else "") for command, out in steps])
    return found


def comparable(text: str) -> str:
    text = re.sub(r"\(\d+\.\ds\)", "(N.Ns)", text)
    return "\n".join(re.sub(r"^[0-9a-f]{8}(?=  )", "<id>", line) if SEED_TITLE in line else line
                     for line in text.split("\n"))


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A directory holding a copy of seeds/, as a fresh clone does."""
    d = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "seeds", d / "seeds")
    return d


def run(command: str) -> tuple[int, str]:
    """A README command through the CLI: its exit status, and its stderr then stdout."""
    stdin = None
    if " | " in command:  # echo '...' | quotes ...
        feed, command = command.split(" | ", 1)
        stdin = shlex.split(feed)[1] + "\n"
    args = shlex.split(command)
    assert args[0] == "quotes", command
    result = CliRunner().invoke(app, args[1:], input=stdin)
    return result.exit_code, result.stderr + result.stdout


def test_the_first_commands_are_the_two_of_a_fresh_clone():
    first = blocks("")[0]
    assert first == ('pip install . && quotes index && quotes search "global initiative"\n'
                     "pip install -e '.[test]' && pytest\n")


def test_every_console_example_prints_what_the_readme_shows(clone, monkeypatch):
    monkeypatch.chdir(clone)
    examples = sessions()
    assert len(examples) >= 5 and examples[0][0][0] == "quotes index"
    for session in examples:
        for command, expected in session:
            status, printed = run(command)
            assert comparable(printed) == comparable(expected), command
            no_hit = "0 quotations" in expected.splitlines()[-1] if expected else False
            assert status == (1 if no_hit else 0), command


def test_the_python_example_runs_on_the_same_index(clone):
    (code,) = blocks("python")
    subprocess.run([sys.executable, "-m", "quotes", "index"], cwd=clone, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", code], cwd=clone, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Sam Altman | Stargate is meant to be a truly global initiative | cue_after" in result.stdout


def test_the_readme_is_for_users():
    assert not re.search(r"#\d+\b", README)  # no issue numbers
    assert not re.search(r"\b(tests|quotes)/\w+\.py\b|\.\./shared", README)  # no internal paths
    for doc in ("docs/benchmarks.md", "docs/architecture.md"):
        assert f"]({doc})" in README and (ROOT / doc).is_file()
