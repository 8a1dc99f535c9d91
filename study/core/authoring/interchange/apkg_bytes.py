"""The bytes of an Anki package below its SQLite files: zstd-compressed members and protobuf
messages (varints and bytes only). The one module importing ``zstandard``.

Imports nothing of the other interchange modules but ``bounded``, so each of them may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import zstandard

from study.core.authoring.interchange.bounded import ImportRefused

ZstdError = zstandard.ZstdError
"""What a damaged zstd stream raises."""


def zstd_reader(raw: IO[bytes]) -> IO[bytes]:
    """A reader of the decompressed bytes of a zstd stream (read it in chunks)."""
    reader: IO[bytes] = zstandard.ZstdDecompressor().stream_reader(raw)
    return reader


_DAMAGED = "the package is damaged or not made by Anki"


class PackageError(ImportRefused):
    """The file is not an Anki package this tool can read; the message says why."""


def unzstd(data: bytes, limit: int) -> bytes | None:
    """zstd-compressed bytes decompressed (at most ``limit`` of them), None if damaged."""
    try:
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=limit)
    except zstandard.ZstdError:
        return None


def _proto(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """The (field number, value) pairs of a protobuf message (varints and bytes only)."""
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while True:
            if i >= len(data) or shift > 63:
                raise PackageError(f"a truncated or overlong number in the package: {_DAMAGED}")
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            yield number, varint()
        elif wire == 2:
            size = varint()
            yield number, data[i : i + size]
            i += size
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
        else:
            raise PackageError(f"unreadable settings in the package: {_DAMAGED}")
