"""A code writer that records, for every line it writes, the `.tariff` location it came from
(Jinja's `CodeGenerator.write`/`debug_info`): the generated module carries the map as LINE_MAP,
pairs (generated line, LOC key), so a traceback can be read back to the sheet."""

from __future__ import annotations


class Writer:
    def __init__(self):
        self.lines: list[str] = []
        self.map: list[tuple[int, int]] = []  # (generated line, LOC key), in order
        self.depth = 0

    def line(self, text: str = "", loc: int | None = None) -> None:
        """Write one line at the current indentation; `loc`: the LOC key of the rule it computes."""
        pad = "    " * self.depth
        for piece in text.split("\n"):  # a rendered record may span lines: count every one
            self.lines.append(pad + piece if piece else "")
        if loc is not None:
            number = len(self.lines) - text.count("\n")
            if not self.map or self.map[-1][1] != loc:
                self.map.append((number, loc))

    def unmapped(self) -> None:
        """Lines from here on compute no rule of their own (module scaffolding)."""
        self.map.append((len(self.lines) + 1, 0))

    def indent(self) -> None:
        self.depth += 1

    def dedent(self) -> None:
        self.depth -= 1

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"
