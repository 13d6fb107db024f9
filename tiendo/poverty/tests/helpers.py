"""Household files for the tests."""

import csv
import io

from tiendo.poverty.files import national_standards

COLUMNS = ["household_id", "commune", "area", "members", "income_per_capita", "year",
           *national_standards()[0].columns]


def household_file(rows: list[dict], columns=COLUMNS) -> bytes:
    """A CSV of households; each row gives what differs from a rural household of 4 with
    1.000.000 đ and no deprivation; `deprived` lists indicator codes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        deprived = set(row.get("deprived", ()))
        full = {"area": "rural", "members": 4, "income_per_capita": 1_000_000, "year": 2024,
                **row}
        writer.writerow([full.get(c, "1" if c[2:] in deprived else "0") if c.startswith("d_")
                         and c not in row else full.get(c, "") for c in columns])
    return out.getvalue().encode()
