"""The source documents by title. The site cites a document by its title, sheet and line, never by
the file name of its text extraction (`003_0151a6ffdf35ceb2.txt`), which means nothing to a reader.

Titles as the documents print them on their first page (see /work/shared/seeds/README.md); a
document not listed here is cited by the name the `.tariff` file gives it.
"""

from __future__ import annotations

DOCUMENTS = {
    "000_79608a8414d10c22.txt": "CPAU data-access guide (MyCPAU, Green Button Download, Utilismart CSV)",
    "001_9dba2339623c1de7.txt": "CPAU CustomerConnect advanced-meter pilot and AMI rollout",
    "002_da73166ccd9ea770.txt": "Staff Report 11212, FY 2021 Electric Rates and Financial Plan "
                                "(Finance Committee, 5 May 2020)",
    "003_0151a6ffdf35ceb2.txt": "Finance Committee Agenda Packet, 15 April 2025 "
                                "(FY 2026 electric and gas rates)",
}


def title(document: str) -> str:
    """The title of a source document, given the file name a `source` statement names."""
    return DOCUMENTS.get(document, document)


def cite(document: str, sheet: str | None = None, line: int | None = None) -> str:
    """`Title, sheet, line N`: how a page cites a place in a source document."""
    parts = [title(document)] + ([sheet] if sheet else []) + ([f"line {line}"] if line else [])
    return ", ".join(parts)
