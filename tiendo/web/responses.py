"""Files sent to the browser: the download header, and a page's table as .xlsx or .csv."""

from urllib.parse import quote

from django.http import HttpResponse

from tiendo.exchange.tables import XLSX_TYPE, csv_text, xlsx_bytes


def _ascii_filename(filename: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = (
        f"attachment; filename=\"{_ascii_filename(filename)}\"; "
        f"filename*=UTF-8''{quote(filename)}"
    )
    return response


def table_response(
    *, title: str, headers: list[str], rows: list[list], fmt: str, filename: str
) -> HttpResponse:
    """The table as a download: `fmt` "xlsx" or "csv"; `filename` without extension."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(title=title, headers=headers, rows=rows),
                                content_type=XLSX_TYPE)
        return attachment(response, f"{filename}.xlsx")
    if fmt == "csv":
        response = HttpResponse(csv_text(headers=headers, rows=rows).encode("utf-8"),
                                content_type="text/csv; charset=utf-8")
        return attachment(response, f"{filename}.csv")
    raise ValueError(f"unknown table format {fmt!r}")
