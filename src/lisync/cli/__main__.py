"""``python -m lisync.cli``: the console script without installing it."""

from lisync.cli import main

main()
