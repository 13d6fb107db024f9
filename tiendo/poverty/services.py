"""Writes of the poverty review: importing a household file, recording a commune's steps,
a province's own standard. Each in one transaction with its audit records.

`review_import` streams the file in chunks (`files.household_chunks`), classifies each chunk
with numpy and writes its households straight into the table (COPY on PostgreSQL, batched
INSERTs on SQLite): no Python object per household outlives its chunk. Checks that need the
whole file (duplicate household ids) and every count run in SQL afterwards. Any problem
undoes everything. Then the counts go into the data elements of every reviewed commune for
the review year, through `datavalues_save` (source "poverty review"), so the engine judges
the poverty targets from the households and adds them up to every level.
"""

import contextlib
import datetime
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import user_scope
from tiendo.audit.services import Actor, Change, audit_record, audit_records
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.errors import InvalidInput, NotFound, Problem, text_problems
from tiendo.indicators.models import DataElement
from tiendo.lib import periods
from tiendo.lib.poverty import MIDDLE_INCOME, NEAR_POOR, POOR, Standard, classify, standard_for_year
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import OrgUnitResolver
from tiendo.poverty.files import (
    Slow,
    household_batches_fast,
    household_chunks,
    national_standards,
)
from tiendo.poverty.models import (
    KEY_SHIFT,
    Household,
    LocalStandard,
    Review,
    ReviewStep,
    households_of,
    year_table,
)

MAX_PROBLEMS = 1000
SOURCE = "poverty review"
ELEMENTS = ("households_total", "poor_households", "near_poor_households",
            "households_exited_poverty")
HOUSEHOLD_COLUMNS = ["key", "review_id", "year", "household_id", "name", "urban", "members",
                     "income", "flags", "deprivation_count", "classification", "line"]
BATCH = 5000


@dataclass
class ImportOutcome:
    year: int | None = None
    households: int = 0
    communes: int = 0
    replaced: int = 0
    stored: bool = False
    fast: bool = False  # read by the column-wise reader (else row by row, precisely)
    # The unique index on (year, household_id) was in force for the whole load, so no id
    # is repeated; else `_duplicates` looks for the repeats.
    unique: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # by step, for the benchmark
    tally: "_Tally | None" = None  # the column-wise reader's counts, as it read

    def lap(self, step: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - started
        return now


FIRST_YEAR, LAST_YEAR = 2000, 2100  # review years accepted


def review_year_check(year: int, *, line: int | None = None) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput([Problem(_("a review year from %(first)s to %(last)s") % {
            "first": FIRST_YEAR, "last": LAST_YEAR}, line, "year", str(year))])


def review_date(year: int) -> datetime.date:
    """The date a review's codes are read on: the end of its year (a 2024 review is on the
    old map, a 2025 one on today's)."""
    review_year_check(year)
    return periods.year(year).end


def standards_for(province_id: int | None) -> list[Standard]:
    """The standards a province's reviews use: its own first, then the national ones."""
    own = []
    if province_id is not None:
        by_code = {s.code: s for s in national_standards()}
        for local in LocalStandard.objects.filter(province_id=province_id):
            base = by_code.get(local.based_on)
            if base is None:
                continue
            own.append(Standard(
                code=local.code, name_vi=local.name, name_en=local.name,
                first_year=local.first_year, last_year=local.last_year,
                rural_line=local.rural_line, urban_line=local.urban_line,
                rural_middle=local.rural_middle, urban_middle=local.urban_middle,
                indicators=base.indicators, poor_min_deprivations=base.poor_min_deprivations))
    return [*own, *national_standards()]


def _province_of(path: str, provinces: dict[str, int]) -> int | None:
    for part in path.strip("/").split("/"):
        if part in provinces:
            return provinces[part]
    return None


def review_import(
    *, data: bytes | Path, name: str, actor: Actor, year: int | None = None,
    standard_code: str | None = None, check_scope: bool = True, comment: str = "",
) -> ImportOutcome:
    """Store a household file (one review year): all of it, or nothing when any row is
    wrong (InvalidInput lists the problems with line and column, at most MAX_PROBLEMS).
    A commune's review for that year already stored is replaced (audited)."""
    problems: list[Problem] = []
    national = national_standards()
    if standard_code:
        named = next((s for s in national if s.code == standard_code), None)
        if named is None:
            raise InvalidInput([Problem(_("unknown poverty standard"), field="standard",
                                        value=standard_code)])
    else:
        named = None

    def columns_for(value: int) -> Standard:
        found = named or standard_for_year(national, value)
        if found is None:
            raise InvalidInput([Problem(_("no poverty standard for the year %(year)s")
                                        % {"year": value}, field="year", value=str(value))])
        return found

    scope = user_scope(actor.user) if check_scope and actor.user is not None else None
    started = time.perf_counter()
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint, for loading again below
                outcome, reviews = _load(data, name, actor, scope, columns_for, year, problems)
        except IntegrityError:
            # The unique index refused a household id (twice in the file, or stored for the
            # year by another commune's review): the file is loaded again without that index
            # so that `_duplicates` lists every repeat with its line; all of it is undone.
            problems.clear()
            _unique_index_dropped()
            outcome, reviews = _load(data, name, actor, scope, columns_for, year, problems)
            outcome.unique = False
        started = time.perf_counter()
        if not problems and not outcome.unique and outcome.year is not None and reviews:
            problems.extend(_duplicates(outcome.year))
        if problems:
            raise InvalidInput(_capped(problems))
        if outcome.year is None:
            raise InvalidInput([Problem(_("the file has no households"))])
        review_ids = [r.id for r in reviews.values()]
        started = outcome.lap("duplicates", started)
        _count(review_ids, outcome.year, outcome.tally)
        started = outcome.lap("counts", started)
        _transitions(outcome.year, review_ids)
        later = list(Review.objects.filter(year=outcome.year + 1).values_list("id", flat=True))
        if later:
            _transitions(outcome.year + 1, later)
        targets = Review.objects.filter(id__in=review_ids + later)
        started = outcome.lap("transitions", started)
        _save_values(targets, actor, comment)
        started = outcome.lap("data values", started)
        outcome.communes = len(reviews)
        outcome.stored = True
        totals = Review.objects.filter(id__in=review_ids)
        outcome.counts = {
            "households": sum(r.households for r in totals),
            "poor": sum(r.poor for r in totals),
            "near_poor": sum(r.near_poor for r in totals),
        }
    outcome.lap("commit", started)
    return outcome


def _load(data, name, actor, scope, columns_for, year, problems):
    """The column-wise reader when it takes the file, else the precise one. A household id
    the unique index refuses raises IntegrityError (from either)."""
    if not name.lower().endswith(".xlsx"):
        # Slow: the fast reader did not take the file as plainly right; the precise one reads
        # it all, from a clean savepoint.
        with contextlib.suppress(Slow), transaction.atomic():
            outcome, reviews = _load_fast(data, name, actor, scope, columns_for, year)
            outcome.fast = True
            return outcome, reviews
    return _load_precise(data, name, actor, scope, columns_for, year, problems)


def _unique_index_dropped() -> None:
    """The unique index on (year, household_id) dropped in the transaction (so it comes back
    when the failed import is undone; the table is locked until then)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(_unique_name())}")


def _unique_name() -> str:
    return next(c.name for c in Household._meta.constraints
                if c.fields == ("household_id", "year"))


class _Units:
    """Commune codes of a file resolved on the review's date, once each: the unit, or the
    text of why its households are refused; and the commune's review for the year."""

    def __init__(self, scope, actor: Actor, name: str, outcome: ImportOutcome) -> None:
        self.scope, self.actor, self.name, self.outcome = scope, actor, name, outcome
        self.resolver = OrgUnitResolver(queryset=OrgUnit.objects.filter(
            kind=OrgUnit.Kind.COMMUNE))
        self.provinces = {str(pk): pk for pk in OrgUnit.objects.filter(
            kind=OrgUnit.Kind.PROVINCE).values_list("id", flat=True)}
        self.local = LocalStandard.objects.exists()
        self.reviews: dict[int, Review] = {}  # commune id → its review for the year
        self.units: dict[str, object] = {}  # commune code → resolved unit, or a refusal text
        self.review_of: dict[str, int] = {}  # commune code → review id
        self.province_of: dict[str, int] = {}  # commune code → province id
        self.standard_of: dict[str, Standard] = {}  # commune code → standard applied
        self.province_standards: dict[int | None, list[Standard]] = {}
        # Leave the households of replaced reviews in place (a large load on PostgreSQL
        # drops the year's partition with them: `_FreshYear`).
        self.keep_households = False

    def resolve(self, codes, year: int, used: Standard) -> None:
        on = review_date(year)
        opened = []
        # In the order met, so that a file grouped by commune gets its reviews' ids, and so
        # its households' keys, in file order (the key's index is then built from rows
        # already sorted).
        for code in [c for c in dict.fromkeys(codes) if c not in self.units]:
            unit = self.resolver.get(code=code, on=on)
            if unit is None:
                self.units[code] = _("unknown commune on the map of %(date)s") % {
                    "date": on.strftime("%d/%m/%Y")}
            elif self.scope is not None and not self.scope.can_enter(unit):
                self.units[code] = _("outside your scope")
            else:
                self.units[code] = unit
                province = _province_of(unit.path, self.provinces) or 0
                applied = (_standard_of(province, year, used, self.province_standards)
                           if self.local else used)
                self.province_of[code] = province
                self.standard_of[code] = applied
                opened.append((unit, applied))
        for unit, review in _reviews_open(opened, year, self.actor, self.name, self.outcome,
                                          keep_households=self.keep_households):
            self.reviews[unit.id] = review
            self.review_of[unit.code] = review.id


def _load_precise(data, name, actor, scope, columns_for, year, problems):
    """The file read row by row (`household_chunks`), every problem located; the households
    written chunk by chunk. Returns the outcome so far and the reviews by commune."""
    outcome = ImportOutcome()
    units = _Units(scope, actor, name, outcome)
    local, province_standards = units.local, units.province_standards
    started = time.perf_counter()
    for used, chunk in household_chunks(data, name, columns_for=columns_for, year=year,
                                        problems=problems):
        if outcome.year is None and chunk.ok.any():
            outcome.year = int(chunk.year[chunk.ok][0])
            review_year_check(outcome.year, line=int(chunk.lines[chunk.ok][0]))
        review_year = outcome.year
        if review_year is None:
            continue  # no good row yet: the problems are listed
        wrong_year = chunk.ok & (chunk.year != review_year)
        for index in np.flatnonzero(wrong_year)[:MAX_PROBLEMS]:
            problems.append(Problem(_("one review year per file (%(year)s)")
                                    % {"year": review_year}, int(chunk.lines[index]),
                                    "year", str(chunk.year[index])))
        ok = chunk.ok & ~wrong_year
        units.resolve(chunk.commune, review_year, used)
        n = len(chunk.commune)
        review_ids = np.fromiter(map(units.review_of.get, chunk.commune, [0] * n),
                                 dtype=np.int64, count=n)
        province_ids = np.fromiter(map(units.province_of.get, chunk.commune, [0] * n),
                                   dtype=np.int64, count=n) if local else None
        for index in np.flatnonzero(ok & (review_ids == 0)):
            if len(problems) > MAX_PROBLEMS:
                break
            code = chunk.commune[index]
            problems.append(Problem(units.units[code], int(chunk.lines[index]), "commune",
                                    code))
        ok &= review_ids != 0
        if problems:
            continue
        kind, count, mask = _classify_chunk(used, chunk, province_ids, local, review_year,
                                            province_standards)
        _write_households(chunk, review_ids, review_year, kind, count, mask)
        outcome.households += len(kind)
    outcome.lap("read, check, classify and write", started)
    return outcome, units.reviews


def _load_fast(data, name, actor, scope, columns_for, year):
    """The file read column-wise by `household_batches_fast`, classified with numpy and
    written as whole buffers (binary COPY on PostgreSQL, into a table of its own for a large
    load: `_FreshYear`). Raises Slow as soon as anything needs the precise reader (which then
    locates it): an unknown commune or one outside the scope included."""
    outcome = ImportOutcome()
    outcome.tally = _Tally()
    units = _Units(scope, actor, name, outcome)
    started = time.perf_counter()
    fresh = None
    with _HouseholdWriter() as writer:
        for used, batch in household_batches_fast(data, columns_for=columns_for, year=year):
            if outcome.year is None:
                outcome.year = batch.year
                try:
                    review_year_check(batch.year)
                except InvalidInput:
                    raise Slow from None
                fresh = _FreshYear.begin(data, batch.year)
                if fresh is not None:
                    # The year's rows stored before go with their table (those of communes
                    # not in this file are copied over first).
                    units.keep_households = True
                    writer.table = fresh.table
            if not units.units.keys() >= set(batch.communes):
                writer.pause()  # resolving queries the database: no COPY may be under way
            units.resolve(batch.communes, batch.year, used)
            review_of = np.array([units.review_of.get(c, 0) for c in batch.communes],
                                 dtype=np.int64)
            if (review_of == 0).any():
                raise Slow  # an unknown commune, or one outside the scope: located there
            review_ids = review_of[batch.commune]
            kind, count, mask = _classify_batch(used, batch, units)
            writer.write(batch, review_ids, kind, count, mask)
            outcome.tally.add(review_of, batch.commune, kind, mask)
            outcome.households += len(batch)
        started = outcome.lap("read, check, classify and write", started)
    if not outcome.households:
        raise Slow
    started = outcome.lap("write (PostgreSQL finishing the COPY)", started)
    if fresh is not None:
        fresh.finish([r.id for r in units.reviews.values()], outcome)
    return outcome, units.reviews


# The first key of the advisory locks on a commune's review of a year (LOCK_KEY + year).
LOCK_KEY = 0x7E00_0000

ROW_BYTES = 60  # about a household's line in a file, to guess its count from its size
REBUILD_FROM = 100_000  # households a load needs to go into a table of its own


def _year_lock(cursor, year: int) -> None:
    """The year's partition to this transaction until its commit (the communes' locks use
    the same first key with their ids, all above 0)."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_KEY + year])


def _year_partition(year: int) -> None:
    """On PostgreSQL, the year's partition of the household table, made if missing. Two
    imports making it at once: the second waits for the first's commit, then finds it."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [year_table(year)])
        if cursor.fetchone()[0] is not None:
            return
        _year_lock(cursor, year)
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {quote(year_table(year))} PARTITION OF "
                       f"{quote(Household._meta.db_table)} FOR VALUES IN ({int(year)})")


@dataclass
class _FreshYear:
    """A large load of a year on PostgreSQL (at least REBUILD_FROM households, and at least
    half as many as the year holds): its rows are copied into a new table with no index,
    whose two indexes are then built by one sort each (keeping them up to date row by row
    cost as much as all the rest of the COPY), and which then replaces the year's partition.
    Only this year's rows are sorted: the other years' partitions are not touched. All in
    the import's transaction; the household table is locked until the commit."""

    year: int
    table: str

    @classmethod
    def begin(cls, data, year: int) -> "_FreshYear | None":
        if connection.vendor != "postgresql":
            return None
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        coming = size // ROW_BYTES
        with connection.cursor() as cursor:
            # Live rows as the statistics last saw them (a count would read the whole year).
            cursor.execute("SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = %s",
                           [year_table(year)])
            row = cursor.fetchone()
            present = max(int(row[0]), 0) if row else 0
            if coming < REBUILD_FROM or coming < present // 2:
                return None
            _year_lock(cursor, year)  # another large load of the year waits for this commit
            fresh = cls(year, f"{year_table(year)}_load")
            quote = connection.ops.quote_name
            # The partition's own CHECK on the year: attaching then needs no pass over it.
            cursor.execute(
                f"CREATE TABLE {quote(fresh.table)} (LIKE {quote(Household._meta.db_table)} "
                f"INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
                f"CHECK (year = {int(year)}))")
        return fresh

    def finish(self, review_ids: list[int], outcome: ImportOutcome) -> None:
        """The year's households of other reviews copied over, the indexes built, the table
        attached in place of the year's partition, fresh statistics. The unique index's
        build is the duplicate check: when it fails, the repeats are listed (InvalidInput;
        the import is undone)."""
        started = time.perf_counter()
        quote = connection.ops.quote_name
        table, partition = quote(self.table), quote(year_table(self.year))
        parent = quote(Household._meta.db_table)
        columns = ", ".join(quote(c) for c in HOUSEHOLD_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [year_table(self.year)])
            if cursor.fetchone()[0] is not None:
                # The year's other reviews, by their keys (`review_id <> ALL(…)` over the
                # whole year took 111 s for the country).
                kept = sorted(set(Review.objects.filter(year=self.year).values_list(
                    "id", flat=True)) - set(review_ids))
                if kept:
                    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} "
                                   f"FROM {partition} p WHERE {_of_reviews('p', kept, self.year)}")
                cursor.execute(f"DROP TABLE {partition}")
                started = outcome.lap("households of other reviews kept", started)
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")  # fewer, longer runs
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT "
                           f"{quote(year_table(self.year) + '_pkey')} PRIMARY KEY (key, year)")
            started = outcome.lap("index poverty_household_pkey", started)
            try:
                with transaction.atomic():
                    cursor.execute(f"CREATE UNIQUE INDEX {quote(year_table(self.year) + '_id')} "
                                   f"ON {table} "
                                   f"(household_id varchar_pattern_ops, year)")
            except IntegrityError:
                raise InvalidInput(_capped(_duplicates(self.year, table=self.table))
                                   ) from None
            started = outcome.lap(f"index {_unique_name()}", started)
            cursor.execute(f"ALTER TABLE {table} RENAME TO {partition}")
            cursor.execute(f"ALTER TABLE {parent} ATTACH PARTITION {partition} "
                           f"FOR VALUES IN ({int(self.year)})")
            cursor.execute(f"ANALYZE {partition}")
            cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves here
            outcome.lap("attach and analyze", started)


def _capped(problems: list[Problem]) -> list[Problem]:
    ordered = sorted(problems, key=lambda p: p.line if p.line is not None else 0)
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    return [*ordered[:MAX_PROBLEMS],
            Problem(_("only the first %(count)s problems are listed; fix them and check the "
                      "file again") % {"count": MAX_PROBLEMS})]


def _reviews_open(opened: list, year: int, actor: Actor, name: str, outcome: ImportOutcome,
                  *, keep_households: bool = False) -> list[tuple]:
    """The communes' reviews for the year, created or emptied if stored before (unless
    `keep_households`), with one audit record each ("create" or "replace"): a few queries
    for all of them."""
    if not opened:
        return []
    if not keep_households:
        _year_partition(year)
    ids = [unit.id for unit, _standard in opened]
    if connection.vendor == "postgresql":
        # Two imports of the same commune's year: the second waits here for the first to
        # commit, then replaces what it stored (SQLite lets one writer in at a time).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, id) FROM "
                           "(SELECT unnest(%s::int[]) AS id) AS communes",
                           [LOCK_KEY + year, sorted(ids)])
    existing = {r.commune_id: r for r in Review.objects.filter(commune_id__in=ids, year=year)}
    replaced = [existing[i] for i in ids if i in existing]
    if replaced:
        ids = [r.id for r in replaced] if not keep_households else []
        for start in range(0, len(ids), 200):  # SQLite parses at most 1.000 nested ORs
            Household.objects.filter(households_of(ids[start:start + 200])).delete()
        for (unit, standard) in opened:
            review = existing.get(unit.id)
            if review is not None:
                review.old = {"households": review.households, "poor": review.poor,
                              "near_poor": review.near_poor, "source": review.source}
                review.standard, review.source = standard.code, name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Review._meta.db_table} SET standard = %s, source = %s, "
                f"stored_at = %s WHERE id = %s",
                [(r.standard, r.source, now, r.id) for r in replaced])
        outcome.replaced += len(replaced)
    created = Review.objects.bulk_create([
        Review(commune_id=unit.id, year=year, standard=standard.code, source=name)
        for unit, standard in opened if unit.id not in existing])
    created_by_commune = {r.commune_id: r for r in created}
    result, changes_new, changes_replaced = [], [], []
    for unit, _standard in opened:
        review = existing.get(unit.id) or created_by_commune[unit.id]
        result.append((unit, review))
        change = Change(entity_id=review.id, key=f"{unit.code}/{year}", new={"source": name},
                        old=getattr(review, "old", None))
        (changes_replaced if unit.id in existing else changes_new).append(change)
    audit_records(actor=actor, action="create", entity="poverty.review", changes=changes_new)
    audit_records(actor=actor, action="replace", entity="poverty.review",
                  changes=changes_replaced)
    return result


def _standard_of(province: int, year: int, used: Standard, cache) -> Standard:
    """The standard a province's commune is classified with: its own for the year if it has
    one over the same indicators, else the national one the file was read under."""
    if province not in cache:
        cache[province] = standards_for(province or None)
    standard = standard_for_year(cache[province], year) or used
    return standard if standard.indicators == used.indicators else used


def _classify_chunk(used, chunk, province_ids, local, year, cache):
    """Classes of a chunk; a province with its own standard gets its own lines."""
    if not local:
        return classify(used, urban=chunk.urban, income=chunk.income, flags=chunk.flags)
    kind = np.zeros(len(chunk.lines), dtype=np.int8)
    count = np.zeros(len(chunk.lines), dtype=np.int8)
    mask = np.zeros(len(chunk.lines), dtype=np.int32)
    for province in np.unique(province_ids):
        standard = _standard_of(int(province), year, used, cache)
        select = province_ids == province
        k, c, m = classify(standard, urban=chunk.urban[select], income=chunk.income[select],
                           flags=chunk.flags[select])
        kind[select], count[select], mask[select] = k, c, m
    return kind, count, mask


def _write_households(chunk, review_ids, year, kind, count, mask) -> None:
    names = chunk.name if chunk.name is not None else None
    keys = (review_ids << KEY_SHIFT) | chunk.lines.astype(np.int64)
    rows = zip(
        keys.tolist(), review_ids.tolist(), [year] * len(kind), chunk.household_id,
        names if names is not None else [""] * len(kind), chunk.urban.tolist(),
        chunk.members.tolist(), chunk.income.tolist(), mask.tolist(), count.tolist(),
        kind.tolist(), chunk.lines.tolist(), strict=True)
    table = Household._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            names_sql = ", ".join(quote(c) for c in HOUSEHOLD_COLUMNS)
            with connection.wrap_database_errors, cursor.cursor.copy(
                    f"COPY {quote(table)} ({names_sql}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "int2", "text", "text", "bool", "int2", "int8",
                                "int4", "int2", "int2", "int4"])
                for row in rows:
                    copy.write_row(row)
        else:
            _insert_rows(cursor, rows)


def _classify_batch(used: Standard, batch, units: "_Units"):
    """Classes of a batch read by the fast reader; a province with its own standard gets
    its own lines (communes grouped by the standard applied)."""
    if not units.local:
        return classify(used, urban=batch.urban, income=batch.income, flags=batch.flags)
    applied = [units.standard_of[c] for c in batch.communes]
    codes = sorted({s.code for s in applied})
    if len(codes) == 1:
        return classify(applied[0], urban=batch.urban, income=batch.income, flags=batch.flags)
    group = np.array([codes.index(s.code) for s in applied], dtype=np.int64)[batch.commune]
    n = len(batch)
    kind, count = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    mask = np.zeros(n, dtype=np.int32)
    for number, code in enumerate(codes):
        standard = next(s for s in applied if s.code == code)
        select = np.flatnonzero(group == number)
        k, c, m = classify(standard, urban=batch.urban[select], income=batch.income[select],
                           flags=batch.flags[select])
        kind[select], count[select], mask[select] = k, c, m
    return kind, count, mask


# The households in PostgreSQL's binary COPY format: per household the field count, then
# each field's length and value, big-endian: the fixed-width fields first as one numpy record
# (`_FIXED`), then the household id and the name with their lengths. The server parses it for
# about three quarters of the CPU of the same rows as CSV text.
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8  # no flags, no header extension
_BINARY_TRAILER = b"\xff\xff"
_FIXED_FIELDS = [("key", ">i8"), ("review_id", ">i8"), ("year", ">i2"), ("urban", "u1"),
                 ("members", ">i2"), ("income", ">i8"), ("flags", ">i4"),
                 ("deprivation_count", ">i2"), ("classification", ">i2"), ("line", ">i4")]
_BINARY_COLUMNS = [name for name, _type in _FIXED_FIELDS] + ["household_id", "name"]
_FIXED = np.dtype([("fields", ">i2"), *(field for name, kind in _FIXED_FIELDS
                                         for field in ((f"{name}_size", ">i4"), (name, kind))),
                   ("household_id_size", ">i4")])


def _binary_rows(batch, review_ids, lines, kind, count, mask) -> memoryview:
    """A batch's households as the rows of a binary COPY (no signature, no trailer)."""
    import pyarrow as pa
    from pyarrow import compute as pc

    n = len(batch)
    fixed = np.empty(n, dtype=_FIXED)
    fixed["fields"] = len(_BINARY_COLUMNS)
    for name, kind_ in _FIXED_FIELDS:
        fixed[f"{name}_size"] = np.dtype(kind_).itemsize
    fixed["key"] = (review_ids << KEY_SHIFT) | lines
    fixed["review_id"], fixed["year"], fixed["urban"] = review_ids, batch.year, batch.urban
    fixed["members"], fixed["income"], fixed["flags"] = batch.members, batch.income, mask
    fixed["deprivation_count"], fixed["classification"], fixed["line"] = count, kind, lines
    ids = batch.household_id.cast(pa.binary())
    fixed["household_id_size"] = pc.binary_length(ids).to_numpy(zero_copy_only=False)
    if batch.name is not None:
        names = batch.name.cast(pa.binary())
        name_size = pc.binary_length(names).to_numpy(zero_copy_only=False).astype(">i4")
    else:
        names = pa.repeat(pa.scalar(b"", pa.binary()), n)
        name_size = np.zeros(n, dtype=">i4")

    def column(values: np.ndarray):
        width = values.dtype.itemsize
        return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), n, [
            None, pa.py_buffer(values)]).cast(pa.binary())

    rows = pc.binary_join_element_wise(column(fixed), ids, column(name_size), names,
                                       pa.scalar(b"", pa.binary()))
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32,
                            count=rows.offset + len(rows) + 1)
    return memoryview(rows.buffers()[2])[offsets[rows.offset]:offsets[-1]]


class _HouseholdWriter:
    """Households written a batch at a time: on PostgreSQL each batch, in the binary COPY
    format (`_binary_rows`), goes into one COPY (paused only while new communes are looked
    up), sent by a second thread (psycopg's queued writer) while the next batch is read, so
    that reading and PostgreSQL's work overlap; elsewhere batched INSERTs."""

    def __init__(self) -> None:
        self.cursor = None
        self.copy = None  # the COPY under way: (its context manager, the psycopg Copy)
        self.table = Household._meta.db_table  # on PostgreSQL, or a `_FreshYear`'s

    def __enter__(self):
        self.cursor = connection.cursor()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.copy is not None:
                with connection.wrap_database_errors:  # a repeated id: Django's IntegrityError
                    if exc[0] is None:
                        self.copy[1].write(_BINARY_TRAILER)
                    self.copy[0].__exit__(*exc)
        finally:
            self.copy = None
            self.cursor.close()

    def pause(self) -> None:
        """Ends the COPY under way (the connection is free for other queries)."""
        if self.copy is not None:
            (manager, copy), self.copy = self.copy, None
            with connection.wrap_database_errors:
                copy.write(_BINARY_TRAILER)
                manager.__exit__(None, None, None)

    def _copy(self):
        if self.copy is None:
            from psycopg.copy import QueuedLibpqWriter

            quote = connection.ops.quote_name
            columns = ", ".join(quote(c) for c in _BINARY_COLUMNS)
            raw = self.cursor.cursor
            manager = raw.copy(
                f"COPY {quote(self.table)} ({columns}) FROM STDIN "
                f"(FORMAT binary)", writer=QueuedLibpqWriter(raw))
            with connection.wrap_database_errors:
                self.copy = (manager, manager.__enter__())
                self.copy[1].write(_BINARY_SIGNATURE)
        return self.copy[1]

    def write(self, batch, review_ids, kind, count, mask) -> None:
        n = len(batch)
        lines = np.arange(batch.first_line, batch.first_line + n, dtype=np.int64)
        if connection.vendor != "postgresql":
            names = batch.name.to_pylist() if batch.name is not None else [""] * n
            rows = zip(((review_ids << KEY_SHIFT) | lines).tolist(), review_ids.tolist(),
                       [batch.year] * n, batch.household_id.to_pylist(),
                       names, batch.urban.tolist(), batch.members.tolist(),
                       batch.income.tolist(), mask.tolist(), count.tolist(), kind.tolist(),
                       lines.tolist(), strict=True)
            _insert_rows(self.cursor, rows)
            return
        data = _binary_rows(batch, review_ids, lines, kind, count, mask)
        with connection.wrap_database_errors:
            self._copy().write(data)


class _Tally:
    """Counts by class and households deprived by indicator, per review, added up batch by
    batch as the column-wise reader goes (its reviews hold exactly the households it
    writes), so no pass over the table is needed afterwards."""

    def __init__(self) -> None:
        self.width = max((len(s.indicators) for s in national_standards()), default=0)
        self.slot: dict[int, int] = {}  # review id → row of the arrays
        self.classes = np.zeros((0, 4), dtype=np.int64)  # by tiendo.lib.poverty code
        self.deprived = np.zeros((0, self.width), dtype=np.int64)

    def add(self, review_of: np.ndarray, commune: np.ndarray, kind: np.ndarray,
            mask: np.ndarray) -> None:
        """`review_of`: the review of each of the batch's communes; `commune`: each
        household's commune (an index into it)."""
        slots = np.array([self.slot.setdefault(r, len(self.slot)) for r in review_of.tolist()],
                         dtype=np.int64)
        size = len(self.slot)
        if size > len(self.classes):
            grow = size - len(self.classes)
            self.classes = np.vstack([self.classes, np.zeros((grow, 4), np.int64)])
            self.deprived = np.vstack([self.deprived, np.zeros((grow, self.width), np.int64)])
        row = slots[commune]
        self.classes += np.bincount(row * 4 + kind, minlength=size * 4).reshape(size, 4)
        deprived = mask != 0  # most households are deprived on nothing
        row, mask = row[deprived], mask[deprived]
        for bit in range(self.width):
            self.deprived[:, bit] += np.bincount(row[(mask >> bit) & 1 == 1], minlength=size)

    def rows(self) -> dict[int, tuple[int, ...]]:
        """As `_count`'s query gives them: review id → (households, poor, near-poor, middle
        income, deprived on each indicator…)."""
        return {review: (review, int(self.classes[i].sum()), int(self.classes[i, POOR]),
                         int(self.classes[i, NEAR_POOR]), int(self.classes[i, MIDDLE_INCOME]),
                         *(int(v) for v in self.deprived[i]))
                for review, i in self.slot.items()}


def _insert_rows(cursor, rows) -> None:
    table = Household._meta.db_table
    placeholders = ", ".join(["%s"] * len(HOUSEHOLD_COLUMNS))
    sql = f'INSERT INTO "{table}" ({", ".join(HOUSEHOLD_COLUMNS)}) VALUES ({placeholders})'
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)


def _in(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def _of_reviews(alias: str, review_ids: list[int], year: int) -> str:
    """SQL for the households of these reviews of a year (its partition on PostgreSQL):
    ranges of the key (its index) for a few reviews, else the review column (a pass over
    the year, cheaper for many)."""
    if len(review_ids) > 200:
        which = f"{alias}.review_id IN ({_in(review_ids)})"
    else:
        which = " OR ".join(f"({alias}.key >= {int(r) << KEY_SHIFT} AND "
                            f"{alias}.key < {(int(r) + 1) << KEY_SHIFT})" for r in review_ids
                            ) or "FALSE"
    return f"{alias}.year = {int(year)} AND ({which})"


def _duplicates(year: int, *, table: str | None = None) -> list[Problem]:
    """A household id twice in the year's reviews (this file, or another commune's review
    already stored for the year), in the household table or `table` (a `_FreshYear`'s): a
    located problem per repeated line."""
    table = connection.ops.quote_name(table or Household._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_id, MIN(line), MAX(line), COUNT(*) FROM {table} "
            f"WHERE year = %s GROUP BY household_id HAVING COUNT(*) > 1 LIMIT %s",
            [year, MAX_PROBLEMS + 1])
        found = cursor.fetchall()
    return [Problem(_("household id already on line %(line)s") % {"line": first}, last,
                    "household_id", hid) for hid, first, last, _count in found]


def _count(review_ids: list[int], year: int, tally: _Tally | None = None) -> None:
    """Counts by class and deprivations by indicator onto each review: from the tally the
    column-wise reader kept, else in SQL."""
    table = Household._meta.db_table
    width = max((len(s.indicators) for s in national_standards()), default=0)
    bits = ", ".join(f"SUM((flags >> {i}) & 1)" for i in range(width))
    if tally is not None:
        rows = tally.rows()
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT review_id, COUNT(*), "
                f"SUM(CASE WHEN classification = {POOR} THEN 1 ELSE 0 END), "
                f"SUM(CASE WHEN classification = {NEAR_POOR} THEN 1 ELSE 0 END), "
                f"SUM(CASE WHEN classification = {MIDDLE_INCOME} THEN 1 ELSE 0 END), {bits} "
                f"FROM {table} h WHERE {_of_reviews('h', review_ids, year)} "
                f"GROUP BY review_id")
            rows = {row[0]: row for row in cursor.fetchall()}
    by_code = {s.code: s for s in national_standards()}
    for own in LocalStandard.objects.filter(based_on__in=by_code):
        by_code[own.code] = by_code[own.based_on]
    updates = []
    for review in Review.objects.filter(id__in=review_ids):
        row = rows.get(review.id)
        k = len(by_code[review.standard].indicators) if review.standard in by_code else width
        review.households, review.poor, review.near_poor, review.middle_income = (
            (int(row[1]), int(row[2]), int(row[3]), int(row[4])) if row else (0, 0, 0, 0))
        review.deprivations = [int(v) for v in row[5:5 + k]] if row else [0] * k
        updates.append((review.households, review.poor, review.near_poor,
                        review.middle_income, json.dumps(review.deprivations), review.id))
    _reviews_update({"households": "int", "poor": "int", "near_poor": "int",
                     "middle_income": "int", "deprivations": "jsonb"}, updates)


def _reviews_update(columns: dict[str, str], rows: list[tuple]) -> None:
    """Reviews updated: each row has the values of `columns` (name → PostgreSQL type), then
    the review's id. On PostgreSQL one statement for all (the country's 3.321 communes one
    UPDATE at a time took about a second), elsewhere one per review."""
    table = Review._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sets = ", ".join(f"{name} = %s" for name in columns)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)
            return
        names = [*columns, "id"]
        types = [*columns.values(), "bigint"]
        values = [list(column) for column in zip(*rows, strict=True)] or [[]] * len(names)
        cursor.execute(
            f"UPDATE {table} AS r SET {', '.join(f'{n} = v.{n}' for n in columns)} "
            f"FROM unnest({', '.join(f'%s::text[]::{t}[]' for t in types)}) "
            f"AS v({', '.join(names)}) WHERE r.id = v.id",
            [[None if v is None else str(v) for v in column] for column in values])


def _transitions(year: int, review_ids: list[int]) -> None:
    """Poor households of each review against the year before, matched by household id:
    new (absent before), fell in (present, not poor before), left (poor before, not poor
    now), gone (poor before in this commune, absent now anywhere), start = poor before
    among those present now + gone, so start + new + fell in − left − gone = end.

    Only the poor of either year are joined (a few in a hundred), each looked up in the
    other year's unique id index: joining the two years' every household (27 M each for
    the country) took 11–19 s. Whether a review has households of the year before at all
    is then asked only of the reviews neither side matched, stopping at the first match."""
    review_table = Review._meta.db_table
    # Asked of the reviews (their year's index): the households' unique index begins with
    # the id.
    before = Review.objects.filter(year=year - 1, households__gt=0).exists()
    if not before:  # no household reviewed the year before: every poor one is new
        reviews = list(Review.objects.filter(id__in=review_ids))
        _transitions_save(reviews, {r.id: (r.poor, 0, 0, 0, 0) for r in reviews}, {})
        return
    table, table_before = _households_table(year), _households_table(year - 1)
    # review id → [new, fell in, left, poor before among those present now, matched]
    moves = {review_id: [0, 0, 0, 0, 0] for review_id in review_ids}
    gone: dict[int, int] = {}
    with connection.cursor() as cursor, _probed_by_index(cursor):
        cursor.execute(  # the poor now, and what they were
            f"SELECT h.review_id, "
            f"SUM(CASE WHEN p.household_id IS NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN p.classification <> {POOR} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN p.household_id IS NOT NULL THEN 1 ELSE 0 END) "
            f"FROM {table} h LEFT JOIN {table_before} p "
            f"ON p.year = %s AND p.household_id = h.household_id "
            f"WHERE h.classification = {POOR} AND {_of_reviews('h', review_ids, year)} "
            f"GROUP BY h.review_id", [year - 1])
        for review_id, new, fell, matched in cursor.fetchall():
            moves[review_id][0:2] = int(new), int(fell)
            moves[review_id][4] += int(matched)
        cursor.execute(  # the poor before, and what they are now (or where they were)
            f"SELECT h.review_id, CASE WHEN h.household_id IS NULL THEN pr.commune_id END, "
            f"SUM(CASE WHEN h.classification <> {POOR} THEN 1 ELSE 0 END), COUNT(*) "
            f"FROM {table_before} p JOIN {review_table} pr ON pr.id = p.review_id "
            f"LEFT JOIN {table} h ON h.year = %s AND h.household_id = p.household_id "
            f"WHERE p.year = %s AND p.classification = {POOR} GROUP BY 1, 2",
            [year, year - 1])
        for review_id, commune_id, left, present in cursor.fetchall():
            if review_id is None:
                gone[commune_id] = int(present)
            elif review_id in moves:
                moves[review_id][2] = int(left)
                moves[review_id][3] = int(present)
                moves[review_id][4] += int(present)
        unmatched = [review_id for review_id, move in moves.items() if not move[4]]
        if unmatched:
            cursor.execute(
                f"SELECT r.id FROM {review_table} r WHERE r.id IN ({_in(unmatched)}) "
                f"AND EXISTS (SELECT 1 FROM {table} h JOIN {table_before} p "
                f"ON p.year = %s AND p.household_id = h.household_id WHERE h.year = %s "
                f"AND h.key >= r.id * {1 << KEY_SHIFT} AND h.key < (r.id + 1) * "
                f"{1 << KEY_SHIFT})", [year - 1, year])
            for (review_id,) in cursor.fetchall():
                moves[review_id][4] = 1
    _transitions_save(Review.objects.filter(id__in=review_ids), moves, gone)


def _households_table(year: int) -> str:
    """The households of a year, for a join: its partition on PostgreSQL (through the
    partitioned table the planner judges the join by the parent's statistics, which it
    never has, and probed the previous year's index 27 M times instead of a hash join)."""
    if connection.vendor == "postgresql":
        return connection.ops.quote_name(year_table(year))
    return connection.ops.quote_name(Household._meta.db_table)


@contextlib.contextmanager
def _probed_by_index(cursor):
    """On PostgreSQL, queries run without hash or merge joins: the transitions look the poor
    of one year (a few in a hundred) up in the other year's unique id index, rather than
    hash the other year whole (national, the households gone: 4 s instead of 9 s)."""
    if connection.vendor != "postgresql":
        yield
        return
    names = ("enable_hashjoin", "enable_mergejoin")
    cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
    before = cursor.fetchone()
    for name in names:
        cursor.execute("SELECT set_config(%s, 'off', true)", [name])
    yield  # on an error the transaction is undone, and these settings with it
    for name, value in zip(names, before, strict=True):
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _transitions_save(reviews, moves: dict, gone: dict) -> None:
    """moves: review id → (new, fell in, left, poor before among those present now,
    matched: above 0 when any of its households was reviewed the year before); gone:
    commune id → poor before, absent now."""
    updates = []
    for review in reviews:
        new, fell, left, present_poor, matched = (int(v or 0)
                                                  for v in moves.get(review.id, (0,) * 5))
        # Compared only where the households were reviewed the year before (matched by id).
        review.has_previous = matched > 0
        review.poor_new, review.poor_fell_in, review.poor_left = new, fell, left
        review.poor_gone = int(gone.get(review.commune_id, 0))
        review.poor_start = present_poor + review.poor_gone
        updates.append((review.has_previous, review.poor_new, review.poor_fell_in,
                        review.poor_left, review.poor_gone, review.poor_start, review.id))
    _reviews_update({"has_previous": "boolean", "poor_new": "int", "poor_fell_in": "int",
                     "poor_left": "int", "poor_gone": "int", "poor_start": "int"}, updates)


def _save_values(reviews, actor: Actor, comment: str = "") -> None:
    """The review's counts as data values of each commune for the review year."""
    elements = {e.code: e for e in DataElement.objects.filter(code__in=ELEMENTS)}
    missing = [code for code in ELEMENTS if code not in elements]
    if missing:
        raise NotFound(_("data elements missing from the catalogue: %(codes)s")
                       % {"codes": ", ".join(missing)})
    values = []
    for review in reviews.select_related("commune"):
        period = periods.year(review.year)
        figures = {"households_total": review.households, "poor_households": review.poor,
                   "near_poor_households": review.near_poor}
        if review.has_previous:
            figures["households_exited_poverty"] = review.poor_left
        for code, number in figures.items():
            values.append(ValueInput(element=elements[code], org_unit=review.commune,
                                     period=period, value=Decimal(number),
                                     comment=comment))
    datavalues_save(values=values, actor=actor.name, user=actor.user, source=SOURCE)


def review_step_record(*, commune: OrgUnit, year: int, step: str, done_on: datetime.date,
                       result: str, actor: Actor) -> ReviewStep:
    """Record (or correct) a step of the commune's review procedure, audited."""
    if step not in ReviewStep.Step.values:
        raise InvalidInput([Problem(_("unknown step"), field="step", value=step)])
    problems = text_problems({"result": result})
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        record, created = ReviewStep.objects.get_or_create(
            commune=commune, year=year, step=step,
            defaults={"done_on": done_on, "result": result})
        old = None if created else {"done_on": record.done_on.isoformat(),
                                    "result": record.result}
        if not created:
            record.done_on, record.result = done_on, result
            record.save(update_fields=["done_on", "result"])
        audit_record(actor=actor, action="create" if created else "update",
                     entity="poverty.step", entity_id=record.id,
                     key=f"{commune.code}/{year}/{step}", old=old,
                     new={"done_on": done_on.isoformat(), "result": result})
    return record

