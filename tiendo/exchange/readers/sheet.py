"""An .xlsx laid out like a DHIS2 CSV: a heading row naming the columns, one value a row."""

from collections.abc import Callable, Iterator

from tiendo.data.services import RawValue
from tiendo.errors import Problem
from tiendo.exchange import files


def sheet_values(sheet, *, problems: list[Problem], warnings: list[Problem],
                 progress: Callable[[float], None] | None) -> Iterator[RawValue]:
    """The rows of a sheet with DHIS2 CSV columns (dataelement, period, orgunit, value, ...)
    found by name in its first row. `progress` hears how far through the sheet it is."""
    header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    columns = [files.cell_text(cell).lower() for cell in header]
    total = sheet.max_row if isinstance(sheet.max_row, int) else 0
    position = {name: index for index, name in enumerate(columns) if name}
    names = {name: f"{files.column_letter(position[name] + 1)} ({name})"
             for name in ("dataelement", "period", "orgunit", "value")}
    for optional in ("categoryoptioncombo", "comment", "estimate"):
        if optional in position:
            names[optional] = f"{files.column_letter(position[optional] + 1)} ({optional})"
    field_names = {"element": names["dataelement"], "period": names["period"],
                   "unit": names["orgunit"], "value": names["value"],
                   "part": names.get("categoryoptioncombo", "categoryoptioncombo"),
                   "comment": names.get("comment", "comment"),
                   "estimate": names.get("estimate", "estimate")}

    def text(cells, name) -> str:
        index = position.get(name)
        return files.cell_text(cells[index]) if index is not None and index < len(cells) else ""

    for number, cells in files.sheet_rows(sheet, sheet_name=sheet.title):
        if number == 1 or not any(cell is not None for cell in cells):
            continue
        if progress is not None and total and number % 5000 == 0:
            progress(min(0.99, number / total))
        raw = cells[position["value"]] if position["value"] < len(cells) else None
        try:
            value, was_text = files.cell_number(raw)
        except files.CellError as error:
            problems.append(Problem(str(error), number, names["value"], str(raw), sheet.title))
            continue
        if was_text:
            value = files.text_number(value, number, names["value"], sheet.title, warnings)
        yield RawValue(line=number, element=text(cells, "dataelement"),
                       period=text(cells, "period"), unit=text(cells, "orgunit"),
                       part=text(cells, "categoryoptioncombo"), value=value,
                       comment=text(cells, "comment"), estimate=text(cells, "estimate"),
                       names=field_names, sheet=sheet.title)
