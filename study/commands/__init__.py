"""Sub-commands beyond the basic ones: each module here has ``register(command)``.

``study.cli`` imports every module of this package whose name does not start
with ``_`` and lets it add its commands, so features stay in their own files.
"""
