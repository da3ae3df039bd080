"""`python -m consistency` runs the command line."""

from consistency.cli import main

main()
