"""The one error every meter-data reader raises.

A reader either returns a complete series or raises `MeterDataError`; the message names where
the problem is (file and line for CSV, the XML element for Green Button) and the offending value.
"""

from __future__ import annotations


class MeterDataError(Exception):
    """Bad meter-data input, with the place it was found.

    `file` is the source name, `line` a 1-based CSV line (or XML line when the parser knows it),
    `element` a description of the XML element ("IntervalReading 15 of IntervalBlock …/173").
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        element: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.element = element
        super().__init__(self.render())

    def __reduce__(self):
        # pickled as its fields (dask ships errors between processes); the default would rebuild it
        # from the rendered text as its message, and render the place twice
        return _meter_data_error, (type(self), self.message, self.file, self.line, self.element)

    def render(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message}"
        if self.element:
            text += f" (in {self.element})"
        return text


def _meter_data_error(cls, message, file, line, element):
    return cls(message, file=file, line=line, element=element)
