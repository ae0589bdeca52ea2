"""The `creatormatch` command line: the top floor, which imports the core, the offline jobs and the service."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # here, not in cli.common, so that run() can use it before importing anything else


def run() -> None:
    """Entry point of the `creatormatch` command (`cli.main.main` once its modules are imported).

    A Ctrl-C while the command's modules are still being imported (the first few tenths of a second) ends as the
    same one line and exit code as one during the command, instead of a traceback.
    """
    try:
        from cli.main import main
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    main()
