"""python -m digest: the command line."""

from .cli import main

main()
