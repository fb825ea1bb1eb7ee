"""`python -m loti_cli` runs the `loti` command."""

from loti_cli.cli import main

main()
