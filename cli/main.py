"""The `creatormatch` command: the app, the global --debug option, and what an unexpected error looks like.

The only layer that prints, and the one place exit codes are decided. Commands import the offline jobs
(`training`) and the service lazily, so `creatormatch --help` stays fast.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from cli import authenticity, data, model, query, serve, verify
from cli.common import EXIT_INTERNAL, EXIT_INTERRUPTED
from creatormatch.config import get_settings

if TYPE_CHECKING:
    from types import CodeType

    from typer._click import Context

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command killed by a closed pipe
DEBUG_HINT = "hint: run again with --debug (or CREATORMATCH_DEBUG=1) to see the traceback, and report it"
# An internal error names the innermost frame in the project's own code, not in a library it called.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("creatormatch", "training", "service", "cli")


@dataclass
class _Run:
    """What the root callback learnt from the command line, for main() to use when a command fails."""

    debug: bool = False


_RUN = _Run()


class _RootGroup(TyperGroup):
    """The root command group: a Ctrl-C that no command handled ends as one line and exit 130."""

    def invoke(self, ctx: Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # now, so that a reader gone away is caught here and not at exit
            return result
        except BrokenPipeError as exc:
            if not _stdout_gone():  # another pipe (a subprocess, a socket): an error like any other, which
                raise _NotTheOutput from exc  # click would otherwise end without a word, as for the output
            # The reader of the output went away (`creatormatch search ... | head`): nothing to say and nowhere to
            # say it. Exit as a command killed by SIGPIPE does (click would exit 1, which here means a bug).
            _stdout_to_devnull()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except KeyboardInterrupt:
            # typer would otherwise exit 130 without a word (older versions: "Aborted!" and exit 1).
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None


class _NotTheOutput(Exception):  # noqa: N818 (carries the error, is not one)
    """Carries a BrokenPipeError that was not the output's past click, which exits 1 silently on any EPIPE."""


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _stdout_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (poll reports an error on the write end)."""
    return _gone(sys.stdout)


def _gone(stream: Any) -> bool:
    """Whether the stream is a pipe whose reader has closed it."""
    import select

    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no file descriptor, or no poll on this platform
        return False


# Rich tracebacks off: main() turns an unexpected error into one line (the traceback only with --debug).
app = typer.Typer(add_completion=False, no_args_is_help=True, cls=_RootGroup, pretty_exceptions_enable=False,
                  help="Find niche-aligned, engaged and authentic micro-influencers for a brand.")
app.add_typer(data.app)
app.add_typer(serve.app)
app.add_typer(verify.app)
app.add_typer(query.app)
app.add_typer(authenticity.app, name="authenticity")
app.add_typer(model.app, name="model")


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="On an unexpected error, print the full traceback "
                                        "(CREATORMATCH_DEBUG=1 does the same).")] = False,
) -> None:
    _RUN.debug = debug


def _debug_wanted() -> bool:
    if _RUN.debug:
        return True
    try:
        return get_settings().debug
    except ValueError:  # invalid settings: not worth a second error on top of the first
        return False


def _command_names() -> dict[CodeType, str]:
    """Command name ("build", "authenticity train") of the code of each command function."""
    names: dict[CodeType, str] = {}

    def collect(group: typer.Typer, prefix: str) -> None:
        for command in group.registered_commands:
            if command.callback is not None:
                function = command.callback.__name__
                names[command.callback.__code__] = prefix + (command.name or function.lower().replace("_", "-"))
        for sub in group.registered_groups:
            if sub.typer_instance is not None:
                # A group added without a name (one module's commands) puts its commands at this level.
                collect(sub.typer_instance, f"{prefix}{sub.name} " if isinstance(sub.name, str) else prefix)

    collect(app, "")
    return names


def _describe_internal_error(exc: BaseException) -> str:
    """One line for an unexpected error: the command, the exception and the innermost frame of project code.

    Args:
        exc: the exception, with its traceback.

    Returns:
        Such as "internal error in build: ValueError: bad value (at creatormatch/features.py:123)".
    """
    names = _command_names()
    frames = list(traceback.walk_tb(exc.__traceback__))
    command = next((names[f.f_code] for f, _ in reversed(frames) if f.f_code in names), None)
    where = None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(PROJECT_ROOT) and path.relative_to(PROJECT_ROOT).parts[0] in PROJECT_PACKAGES:
            where = f"{path.relative_to(PROJECT_ROOT).as_posix()}:{frame.lineno}"
            break
    message = str(exc).strip().splitlines()
    what = type(exc).__name__ + (f": {message[0]}" if message else "")
    return (f"internal error in {command}" if command else "internal error") + f": {what}" + \
        (f" (at {where})" if where else "")


def main() -> None:
    """Entry point of the `creatormatch` command: exit 0 ok, 1 internal error, 2 bad input, 130 interrupted, 141
    the output's reader went away."""
    _RUN.debug = False
    try:
        app()
    except SystemExit as done:
        # Before any command runs (`creatormatch --help | head`), click and rich (which writes the help, and then
        # points stdout at /dev/null itself) end a write to a closed output with exit 1.
        broken = done.__context__
        if (done.code == 1 and isinstance(broken, OSError) and broken.errno == errno.EPIPE
                and not _gone(sys.__stderr__)):  # rich points stdout at /dev/null whichever stream broke
            if _stdout_gone():
                _stdout_to_devnull()
            sys.exit(EXIT_BROKEN_PIPE)
        raise
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as caught:
        exc = caught.__cause__ if isinstance(caught, _NotTheOutput) and caught.__cause__ is not None else caught
        debug = _debug_wanted()
        if debug:
            typer.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
        typer.echo(f"error: {_describe_internal_error(exc)}", err=True)
        if not debug:
            typer.echo(DEBUG_HINT, err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
