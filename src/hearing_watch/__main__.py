"""``python -m hearing_watch`` runs the command line."""

from hearing_watch.cli import main

main()
