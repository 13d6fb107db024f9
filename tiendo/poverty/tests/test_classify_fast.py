"""The file classifier's fast path (pyarrow columns, texts per distinct combination) writes
the same bytes as a plain loop over the households with `classify_one` and `explain`, and
hands anything unusual to the precise reader, which still locates every problem."""

import csv
import io
import random

import pytest

from tiendo.errors import InvalidInput
from tiendo.lib.poverty import CLASSES, classify_one, explain, mask_codes
from tiendo.poverty import files
from tiendo.poverty.files import OUTPUT_COLUMNS, classify_file, national_standards

STANDARDS = {2025: national_standards()[0], 2027: national_standards()[1]}
COLUMNS = ["household_id", "commune", "area", "members", "income_per_capita", "year",
           *dict.fromkeys(STANDARDS[2025].columns + STANDARDS[2027].columns)]


def households(n=1500, seed=16):
    """Rows of both standards' years, interleaved: incomes at, one đồng above and below
    every line and band end, and random ones; 2 and 3 deprivations more often than not."""
    rng = random.Random(seed)
    rows = []
    for number in range(n):
        year = rng.choice((2025, 2027))
        standard = STANDARDS[year]
        urban = rng.random() < 0.5
        edges = [standard.line(urban)] + ([standard.middle(urban)]
                                          if standard.has_middle_band else [])
        income = (rng.choice(edges) + rng.choice((-1, 0, 1)) if rng.random() < 0.7
                  else rng.randrange(0, 5_000_000))
        k = len(standard.indicators)
        count = rng.choice((2, 3, 2, 3, 0, 1, 4, k))
        deprived = set(rng.sample(range(k), count))
        hid = rng.choice((f"H{number}", f"H,{number}", f'H"{number}"'))
        flags = {c: "1" if i in deprived else "0" for i, c in enumerate(standard.columns)}
        rows.append({"household_id": hid, "commune": f"{rng.randrange(25_000, 25_100)}",
                     "area": "urban" if urban else "rural", "members": rng.randrange(1, 9),
                     "income_per_capita": income, "year": year,
                     **{c: flags.get(c, rng.choice("01")) for c in COLUMNS[6:]}})
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([row[c] for c in COLUMNS] for row in rows)
    return out.getvalue().encode()


def plain_loop(rows, chunk_size, lang) -> str:
    """The reference: one household at a time, in the file classifier's order (within a
    chunk of rows, the households of each standard together, in year order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for start in range(0, len(rows), chunk_size):
        chunk = rows[start:start + chunk_size]
        for year in sorted({row["year"] for row in chunk}):
            standard = STANDARDS[year]
            for row in (r for r in chunk if r["year"] == year):
                urban = row["area"] == "urban"
                income = int(row["income_per_capita"])
                result = classify_one(standard, urban=urban, income=income,
                                      flags=[int(row[c]) for c in standard.columns])
                writer.writerow([row["household_id"], result.code, result.deprivation_count,
                                 ";".join(mask_codes(standard, result.mask)), standard.code,
                                 explain(standard, urban=urban, income=income,
                                         kind=result.classification, mask=result.mask,
                                         lang=lang)])
    return out.getvalue()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("chunk_size", [1000, 97])
def test_the_fast_path_writes_what_the_plain_loop_writes(lang, chunk_size, monkeypatch):
    rows = households()
    data = as_csv(rows)
    fast, precise = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:  # the fast path alone, no falling back
        patch.setattr(files, "household_chunks", None)
        assert classify_file(data, "h.csv", fast, lang=lang, chunk_size=chunk_size) \
            == len(rows)
    classify_file(data, "h.csv", precise, lang=lang, chunk_size=chunk_size, fast=False)
    expected = plain_loop(rows, chunk_size, lang)
    assert fast.getvalue() == expected
    assert precise.getvalue() == expected
    written = list(csv.DictReader(io.StringIO(fast.getvalue())))
    assert {r["classification"] for r in written} == set(CLASSES)
    assert {r["deprivation_count"] for r in written} >= {"2", "3"}


def test_the_fast_path_writes_to_a_file_the_same_bytes(tmp_path):
    rows = households(300)
    source = tmp_path / "h.csv"
    source.write_bytes(b"\xef\xbb\xbf" + as_csv(rows))
    with open(tmp_path / "out.csv", "w", encoding="utf-8", newline="") as out:
        classify_file(source, source.name, out, chunk_size=128)
    assert (tmp_path / "out.csv").read_text("utf-8") == plain_loop(rows, 128, "vi")


def test_an_unusual_cell_after_the_first_chunk_gives_the_precise_output():
    rows = households(400)
    rows[350] = {**rows[350], "area": " Urban", "members": " 3"}  # accepted, not plainly
    fast, precise = io.StringIO(), io.StringIO()
    classify_file(as_csv(rows), "h.csv", fast, chunk_size=100)
    classify_file(as_csv(rows), "h.csv", precise, chunk_size=100, fast=False)
    assert fast.getvalue() == precise.getvalue()
    assert fast.getvalue().count("\n") == 401


def test_a_bad_cell_after_the_first_chunk_is_located_as_before():
    rows = households(400)
    rows[350] = {**rows[350], "d_water": "x", "income_per_capita": "-5"}
    with pytest.raises(InvalidInput) as error:
        classify_file(as_csv(rows), "h.csv", io.StringIO(), chunk_size=100)
    located = {(p.line, p.field) for p in error.value.problems}
    assert located == {(352, "d_water"), (352, "income_per_capita")}


def test_an_id_a_spreadsheet_would_run_is_written_neutralised_on_both_paths():
    rows = households(300)
    rows[250] = {**rows[250], "household_id": '=HYPERLINK("http://x","y")'}
    fast, precise = io.StringIO(), io.StringIO()
    classify_file(as_csv(rows), "h.csv", fast, chunk_size=100)
    classify_file(as_csv(rows), "h.csv", precise, chunk_size=100, fast=False)
    assert fast.getvalue() == precise.getvalue()
    ids = [line["household_id"] for line in csv.DictReader(io.StringIO(fast.getvalue()))]
    neutral = '\'=HYPERLINK("http://x","y")'
    others = [row["household_id"] for row in rows[:250] + rows[251:]]
    assert sorted(ids) == sorted([*others, neutral])


def test_a_file_read_in_many_blocks_gives_the_same_bytes(tmp_path, monkeypatch):
    rows = households(400, seed=11)
    source = tmp_path / "h.csv"
    source.write_bytes(b"\xef\xbb\xbf" + as_csv(rows))
    fast, precise = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:  # the fast path alone, cut anywhere in a line
        patch.setattr(files, "FILE_BLOCK", 997)
        patch.setattr(files, "household_chunks", None)
        assert classify_file(source, "h.csv", fast, chunk_size=128) == len(rows)
    classify_file(source, "h.csv", precise, chunk_size=128, fast=False)
    assert fast.getvalue() == precise.getvalue() == plain_loop(rows, 128, "vi")


def test_a_standard_of_many_indicators_gives_the_same_bytes(monkeypatch):
    """More indicators than a table of every combination holds: the texts found by value."""
    from tiendo.lib.poverty import standard_from

    k = files._Texts.DIRECT + 2
    standard = standard_from({
        "code": "LOCAL,17", "name_vi": "Chuẩn địa phương", "first_year": 2025,
        "last_year": 2025, "lines": {"rural": 2_000_000, "urban": 2_500_000},
        "indicators": [{"code": f"i{n}", "vi": f"chỉ số \"{n}\""} for n in range(k)]})
    rng = random.Random(5)
    columns = ["household_id", "commune", "area", "members", "income_per_capita", "year",
               *standard.columns]
    rows = [[f"H{n}", "25001", rng.choice(("urban", "rural")), "3",
             str(rng.choice((2_000_000, 2_000_001, 2_500_000, 2_500_001, 7, 10**9))), "2025",
             *(rng.choice("0001") for _ in range(k))] for n in range(700)]
    data = "\n".join(",".join(row) for row in [columns, *rows]).encode()
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for row in rows:
        urban, income = row[2] == "urban", int(row[4])
        result = classify_one(standard, urban=urban, income=income,
                              flags=[int(v) for v in row[6:]])
        writer.writerow([row[0], result.code, result.deprivation_count,
                         ";".join(mask_codes(standard, result.mask)), standard.code,
                         explain(standard, urban=urban, income=income,
                                 kind=result.classification, mask=result.mask, lang="en")])
    fast = io.StringIO()
    with monkeypatch.context() as patch:  # the fast path alone
        patch.setattr(files, "household_chunks", None)
        classify_file(data, "h.csv", fast, standard=standard, lang="en", chunk_size=256)
    assert fast.getvalue() == expected.getvalue()
