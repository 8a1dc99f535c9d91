"""study: learn a body of facts in the terminal with spaced repetition and mock exams."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("study")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.1.0"

__all__ = ["__version__"]
