"""Checks every generated Word file must pass: the element order of ECMA-376 for the
elements we write, and LibreOffice opening it and converting it to PDF."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tiendo.reports.ooxml import SAME_RANK, SEQUENCES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARTS_CHECKED = ("word/document.xml", "word/header", "word/footer")


def _name(element) -> str:
    return "w:" + etree.QName(element).localname if etree.QName(element).namespace == W else (
        etree.QName(element).text)


def order_problems(data: bytes) -> list[str]:
    """Where the document's XML leaves the schema's sequences: a child out of order, a child
    the sequence does not know, a cell or a body not ending as the schema wants."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(PARTS_CHECKED)]
        for part in names:
            root = etree.fromstring(archive.read(part))
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                name = _name(element)
                if name in SEQUENCES:
                    sequence = SEQUENCES[name]
                    last = -1
                    for child in element:
                        child_name = SAME_RANK.get(_name(child), _name(child))
                        if child_name not in sequence:
                            problems.append(f"{part}: {child_name} inside {name}")
                            continue
                        rank = sequence.index(child_name)
                        if rank < last:
                            problems.append(f"{part}: {child_name} after "
                                            f"{sequence[last]} inside {name}")
                        last = max(last, rank)
                if name == "w:tc" and (len(element) == 0 or _name(element[-1]) != "w:p"):
                    problems.append(f"{part}: a table cell must end with a paragraph")
                if name == "w:body":
                    children = [_name(child) for child in element]
                    if children[-1:] != ["w:sectPr"] or children[-2:-1] != ["w:p"]:
                        problems.append(f"{part}: the body must end with a paragraph and "
                                        f"sectPr, not {children[-2:]}")
    return problems


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed: tools/test installs "
                    "libreoffice-writer-nogui from tools/debian-packages-test")
    return path


def docx_to_pdf(data: bytes, folder: Path, name: str) -> Path:
    """The .docx converted by LibreOffice headless, with a profile of its own (two test legs
    run at once); fails with LibreOffice's output when the conversion fails."""
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    profile = folder / "lo-profile"
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        capture_output=True, text=True, timeout=180)
    pdf = folder / f"{name}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


def pdf_pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
