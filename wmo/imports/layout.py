"""Where each declared column sits in a file's rows, the length limit of each, and the rows that
do not fit the file's header (the importer framework's first look at a row)."""

from dataclasses import dataclass

from .problems import ImportProblem
from .reading import header_names

DELIMITER_NAMES = {",": "een komma (,)", ";": "een puntkomma (;)", "\t": "een tab",
                   "|": "een verticale streep (|)", ":": "een dubbele punt (:)"}  # fmt: skip


@dataclass
class Layout:
    """Where each declared column sits in a file's rows, and the length limit of each."""

    header: list[str]
    positions: list[tuple[str, int]]
    absent: list[str]
    width: int
    limits: dict[str, tuple[int, str]]
    short: list[tuple[str, int, str]]
    id_rules: list  # the id field's validators beyond its length (wmo/identifiers.py)

    def row(self, cells: list[str]) -> dict[str, str]:
        count = len(cells)
        row = {name: (cells[at] if at < count else "") for name, at in self.positions}
        for name in self.absent:
            row[name] = ""
        return row

    def misfit(self, line: int, cells: list[str], delimiter: str | None) -> ImportProblem | None:
        """A row that does not fit the header: its values would land in the wrong columns or be
        reported for the wrong cause, so the row is reported for this alone."""
        if (
            self.header
            and cells[0].lstrip("\ufeff").lower() == self.header[0]
            and (header_names(cells) == self.header)
        ):
            return ImportProblem(line, "", "", "Deze regel herhaalt de kopregel; zijn twee bestanden "
                                               "achter elkaar geplakt?")  # fmt: skip
        if delimiter is None:
            return None
        width = self.width
        if width > 1 and len(cells) == 1:
            other = next((d for d in (",", ";", "\t", "|") if d != delimiter and d in cells[0]),
                         None)  # fmt: skip
            if other:
                return ImportProblem(line, "", "", (
                    f"Deze regel is gescheiden door {DELIMITER_NAMES[other]}, de kopregel door "
                    f"{DELIMITER_NAMES[delimiter]}. Gebruik in het hele bestand hetzelfde "
                    "scheidingsteken."
                ))  # fmt: skip
        if len(cells) > width and any(cells[width:]):
            return ImportProblem(line, "", "", (
                f"Deze regel heeft {len(cells)} kolommen, de kopregel {width}. Staat er "
                f"{DELIMITER_NAMES[delimiter]} in een waarde? Zet zo'n waarde tussen "
                "aanhalingstekens."
            ))  # fmt: skip
        return None
