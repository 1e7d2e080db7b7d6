"""CLI commands beyond the core ones in :mod:`hearing_watch.cli`, one module per area.

Each module decorates its commands with ``@cli.command()`` from ``hearing_watch.cli``; the bottom of
``cli.py`` imports them so they register.
"""
