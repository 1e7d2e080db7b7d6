"""Imports every command module so that its commands register on the ``cli`` group."""

import hearing_watch.commands.genspider
import hearing_watch.commands.notify
import hearing_watch.commands.serve
import hearing_watch.commands.status  # noqa: F401
