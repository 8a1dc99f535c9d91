"""The commands of ``study``: one module per command or group of commands, each imported
only when one of its commands runs.

The table of every command, with its arguments and the function that runs it, is
``_table`` (the deck-writing and exam lines in ``_table_authoring`` and ``_table_exam``);
``_parser`` builds the one argparse parser from it; ``_common`` is what the commands share.
"""
