"""Tables as CSV (UTF-8 with BOM, so Excel opens Cyrillic right) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.services.validation import CONTROLS_RE

Cell = str | int | None


# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection; the
# tab per OWASP, since spreadsheets strip it before parsing; a carriage return, the other
# such character, goes with the control characters).
FORMULA_STARTS = ("=", "+", "-", "@", "\t")


def _safe(value: Cell) -> Cell:
    """A cell as typed, inert: no control characters (openpyxl refuses the whole file for
    one; rows stored before input was cleaned may hold them), no formula."""
    if not isinstance(value, str):
        return value
    value = CONTROLS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_safe(name) for name in header])
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    # Imported when an export is asked for: openpyxl holds 16 MB in every process otherwise.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([_safe(name) for name in header])
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for index, name in enumerate(header, 1):
        width = max([len(str(name))] + [len(str(r[index - 1] or "")) for r in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
