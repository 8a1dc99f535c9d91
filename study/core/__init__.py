"""The domain of ``study``: no Textual, no Rich (an import-linter contract checks it).

Rooms by feature, each a package whose ``__init__`` says what lives there and what it may import:

- ``decks``: deck files to cards (YAML reading, validation, loading, caches, catalog, watching);
- ``progress``: the progress database (log and states, schema, backup, doctor, carry-over, sync);
- ``scheduling``: FSRS and the fitting of its parameters;
- ``grading``: typed, list and order answers;
- ``review``: today's queue, the study session, counts, the card browser's model;
- ``exams``: mock exams (questions, sitting, marking, records, paper, exam-date plan);
- ``authoring``: writing decks, drafting from a text, Anki/CSV/Markdown interchange;
- ``stats``: the statistics.

Beside them: the basics (``clock``, ``paths``, ``disk``, ``words``, ``batches``), which import
no room, and the settings (``config`` reads ``config.toml``, reporting a ``decks.model.Problem``;
``settings`` rewrites it, with the workload from ``scheduling.fitting``).

``service`` sits on top of the features for the CLI and the terminal UI only.
"""
