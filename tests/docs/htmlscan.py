"""Read the built HTML: every element carrying `data-rate`, with its visible text (markers excluded)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class RateCells(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str, str]] = []  # (address, text, css class)
        self.history: list[list[str]] = []  # rows of history tables: cell texts
        self._stack: list[dict] = []
        self._in_history = 0
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        frame = {"tag": tag, "rate": a.get("data-rate"), "cls": a.get("class", ""), "text": [], "skip": tag == "sup"}
        self._stack.append(frame)
        if tag == "table" and "history" in frame["cls"].split():
            self._in_history += 1
        if tag == "tr" and self._in_history:
            self._row = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self._stack:
            frame = self._stack.pop()
            text = "".join(frame["text"]).strip()
            if frame["rate"] is not None:
                self.cells.append((frame["rate"], text, frame["cls"]))
            if frame["tag"] == "td" and self._row is not None:
                self._row.append(text)
            if frame["tag"] == "tr" and self._row is not None:
                if self._row:
                    self.history.append(self._row)
                self._row = None
            if frame["tag"] == "table" and "history" in frame["cls"].split():
                self._in_history -= 1
            if not frame["skip"] and self._stack:
                self._stack[-1]["text"].append(text if frame["tag"] != "td" else text)
            if frame["tag"] == tag:
                break

    def handle_data(self, data):
        if self._stack and not self._stack[-1]["skip"]:
            self._stack[-1]["text"].append(data)


def scan(path: Path) -> RateCells:
    parser = RateCells()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser
