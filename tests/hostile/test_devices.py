"""A device, a named pipe or a folder given where a file is read is refused at once, by name (issue 14:
`tariffc inspect /dev/zero` and `compare` on `/dev/zero` never ended). One mechanism,
`compiler/inpaths.py` `open_input`, used by every reader: meter files, `.tariff` files, scenarios."""

from __future__ import annotations

import os
import signal

import pytest

from tariffc.compiler.inpaths import NotRegularFile, open_input

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"),
                                reason="needs /dev/zero and named pipes (POSIX)")

PERIOD = ("--start", "2025-07-01", "--end", "2025-07-31")
COMMANDS = {
    "inspect": lambda path: ("inspect", path),
    "compare": lambda path: ("compare", "E-1", "--intervals", path, *PERIOD),
    "bill": lambda path: ("bill", "E-1", "--intervals", path, *PERIOD),
    "impact --scenario": lambda path: ("impact", "--scenario", path),
    "check": lambda path: ("check", path),
    "ingest": lambda path: ("ingest", path, "--out", os.path.join(os.path.dirname(str(path)) or ".", "dataset")),
}


class Hung(BaseException):
    pass


@pytest.fixture
def deadline():
    """Fail (instead of waiting for ever) if the command under test does not end in 30 s."""
    def hung(signum, frame):
        raise Hung("the command did not end in 30 s")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(params=["device", "fifo"])
def endless(request, tmp_path):
    if request.param == "device":
        return "/dev/zero"
    path = tmp_path / "meter.xml"  # a pipe named like a meter file, with no writer: open() would wait
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_reader_refuses_a_device_or_a_pipe_at_once(run, deadline, endless, command):
    code, text = run(*COMMANDS[command](endless))
    assert code in (1, 2), text
    assert endless in text and ("device" in text or "pipe" in text or "not a regular file" in text
                                or "not a .tariff file" in text), text


def test_open_input_says_what_the_path_is(tmp_path, deadline):
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    for path, words in (("/dev/zero", "a device"), (fifo, "a pipe (FIFO)"), (tmp_path, "a directory")):
        with pytest.raises(NotRegularFile) as caught:
            open_input(path)
        assert words in caught.value.strerror and caught.value.filename == str(path)
    regular = tmp_path / "f.csv"
    regular.write_bytes(b"x")
    link = tmp_path / "link.csv"
    link.symlink_to(regular)
    with open_input(link) as stream:  # a link to a regular file is read, and named as given
        assert stream.read() == b"x" and stream.name == str(link)
