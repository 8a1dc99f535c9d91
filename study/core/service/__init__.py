"""The facade on top of the core, for the CLI and the terminal UI only: ``Service``.

``Service`` is built in three layers, each a module: ``base`` (the settings, the scheduler, the
clock and the progress store), ``decks`` (the decks, loaded or their catalog standing in), and
``facade`` (study sessions, counts, exams, statistics, backups), each layer passing the core
features the parts they use. No core feature imports this package.
"""

from study.core.service.facade import Service

__all__ = ["Service"]
