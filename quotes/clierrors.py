"""How the command line reports what goes wrong: one stderr line naming the problem and the fix.

A bad command line (an unknown command or option, a missing argument, a value an option refuses) is one
line `error: ...` and exit status 2, read from the parameter that refused it rather than written per
option; output that cannot be written (a full disk) is one line and status 1. Only the CLI imports this.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup


class OneLineUsageErrors(TyperGroup):
    """The app's command group: a bad command line (an unknown command or option, a missing argument, a
    value its option refuses) is one stderr line naming the problem and the fix, status 2, instead of the
    usage and a boxed panel. `--help` and `quotes` alone (the help) are untouched."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with _usage_reported(None):
            return super().make_context(info_name, args, parent, **extra)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[_COMMAND_KEY] = name  # for an error that the parser raises without naming its command
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        with _usage_reported(ctx), output_reported():
            return super().invoke(ctx)


# typer names BadParameter but not its base, the error every bad command line raises (typer vendors click).
_UsageError: type[Exception] = typer.BadParameter.__mro__[1]
_COMMAND_KEY = "quotes.command"


@contextmanager
def _usage_reported(group_ctx: Any) -> Iterator[None]:
    """Turn a usage error into one stderr line and exit status 2; `quotes` alone still prints the help."""
    try:
        yield
    except _UsageError as e:
        if type(e).__name__ == "NoArgsIsHelpError":
            raise
        ctx = getattr(e, "ctx", None)
        if ctx is not None:
            path, group = ctx.command_path, isinstance(ctx.command, TyperGroup)
        else:  # an option given no value: the parser names no command, the group knows which it chose
            command = group_ctx.meta.get(_COMMAND_KEY) if group_ctx is not None else None
            path = " ".join(x for x in (group_ctx.command_path if group_ctx else "quotes", command) if x)
            group = command is None
        fail(_usage_message(e, path, group), code=2)


def _usage_message(e: Any, path: str, group: bool) -> str:
    """What is wrong with the command line `path` and how to put it right, in one line.

    Read from the error's parameter (its name, type, bounds, choices, default) rather than written per
    option: a missing argument gives the command's example, a refused value the rule and a good value.
    """
    lists = f"`{path} --help` lists the " + ("commands" if group else "options")
    kind = type(e).__name__
    param = getattr(e, "param", None)
    if kind == "NoSuchOption":
        close = f"did you mean {' or '.join(sorted(e.possibilities))}?" if e.possibilities else lists
        return f"no option {e.option_name} for `{path}`: {close}"
    if kind == "MissingParameter" and param is not None:
        help_text = (e.ctx.command.help if e.ctx is not None else None) or ""
        example = next((line.split("Example:", 1)[1].strip() for line in help_text.splitlines()
                        if line.strip().startswith("Example:")), None)
        what = param.human_readable_name
        return f"`{path}` needs {what}; " + (f"e.g. `{example}`" if example else lists)
    if kind == "BadParameter" and param is not None and (rule := _value_rule(param, e.message)):
        name = max(param.opts, key=len) if param.param_type_name == "option" else param.human_readable_name
        got = f" (got {e.message.split(' is not ', 1)[0]})" if " is not " in e.message else ""
        good = _good_value(param)
        return f"{name} must be {rule}{got}" + (f"; try {name} {good}" if good is not None else f"; {lists}")
    sentences = [x[:1].lower() + x[1:] for x in e.format_message().rstrip(".").split(". ")]
    message = "; ".join(sentences)
    return message if "did you mean" in message else f"{message}; {lists}"


def _value_rule(param: Any, message: str) -> str | None:
    """What a value of this parameter must be ("one of direct, partial", "at least 1"); None if unknown."""
    kind = param.type
    choices = getattr(kind, "choices", None)
    if choices:
        return "one of " + ", ".join(str(c) for c in choices)
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    bounds = " and ".join(x for x in (
        None if low is None else f"{'more than' if kind.min_open else 'at least'} {low}",
        None if high is None else f"{'less than' if kind.max_open else 'at most'} {high}") if x)
    if "is not in the range" in message:
        return bounds
    what = {"integer": "a whole number", "float": "a number"}.get(kind.name.removesuffix(" range"))
    if what is None:
        return None
    return f"{what} of {bounds}" if bounds else what


def _good_value(param: Any) -> str | None:
    """A value the parameter takes: its default, else its first choice, else its lower bound."""
    if param.default is not None and not isinstance(param.default, bool):
        return str(param.default)
    choices = getattr(param.type, "choices", None)
    if choices:
        return str(choices[0])
    low = getattr(param.type, "min", None)
    return None if low is None else str(low)


@contextmanager
def output_reported() -> Iterator[None]:
    """Turn a failure to write the output (`> file` on a full disk) into one stderr line and status 1.

    The library reports its own files as QuotesErrors, so what reaches here is the command's output.
    A closed pipe (`| head`) is left to typer, which exits quietly.
    """
    try:
        yield
    except OSError as e:
        if e.errno == errno.EPIPE:
            raise
        try:  # what stdout still buffers goes nowhere, so that the exit does not fail writing it again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # no file descriptor: a test runner's captured output
            pass
        if e.filename:
            fail(f"{e.filename}: {e.strerror or e}; check that it exists and can be read and written")
        fail(f"cannot write the output: {e.strerror or e}; free some space or send it elsewhere")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
