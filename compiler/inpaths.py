"""Input files: a path a command reads is opened only if it is a regular file.

    with open_input(path) as stream:          # binary; NotRegularFile for a device, pipe, socket, folder
        data = stream.read()

`/dev/zero`, `/dev/random`, a named pipe (FIFO) or a socket never end (or never begin: opening a
FIFO waits for a writer), so a reader given one would hang or fill the memory. The file is opened
without waiting (`O_NONBLOCK`, which a FIFO honours and a regular file ignores), its kind is read
from the open descriptor (`fstat`, so a path swapped between a check and the open cannot slip
through), and anything but a regular file is refused. The refusal is an `OSError` whose `strerror`
says what the path is, so the readers' existing `except OSError` turn it into their own error
(MeterDataError, UsageError) naming the file.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path names a device, a pipe, a socket or a directory, not a file."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO), not a regular file: it may never end; save the data to a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file: it may never end; save the data to a file"
    return "not a regular file"


def open_input(path: str | os.PathLike) -> BinaryIO:
    """Open `path` for reading in binary mode; NotRegularFile (an OSError, errno EINVAL) unless it is a
    regular file (a symbolic link is followed to what it names). Never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, _kind(mode), os.fspath(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        raw = io.FileIO(fd, "rb", closefd=True)
        raw.name = os.fspath(path)  # as open(path) names it: readers put it in their messages
        return io.BufferedReader(raw)
    except BaseException:
        os.close(fd)
        raise


def open_input_text(path: str | os.PathLike, *, encoding: str = "utf-8", newline: str | None = None) -> io.TextIOWrapper:
    """`open_input` decoded as text (the arguments of `open`)."""
    return io.TextIOWrapper(open_input(path), encoding=encoding, newline=newline)
