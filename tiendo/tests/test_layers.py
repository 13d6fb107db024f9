"""The house rules of docs/architecture.md, read from the source (ast), not from memory:

- the engine (`tiendo/lib/`) imports neither Django nor a database driver nor the rest of
  the project;
- a face (an app's `views`, `api`, `cli`, `urls`) imports no other face; the face kit
  (`tiendo/web/`, `tiendo/api/kit.py`) and the mounting points (`tiendo/urls.py`,
  `tiendo/api/app.py`, `tiendo/cli.py`) are where faces meet;
- what lies below the faces (models, services, selectors, analytics…) imports no face and
  no part of the face kit;
- no name starting with "_" is imported from another module;
- no face opens a transaction (combining writes is a service's job) or makes an ORM query
  of its own (`Model.objects…`: a selector reads).

Each rule is a function returning the offending lines, so a failure names file and line.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the tiendo package
FACE_NAMES = {"views", "api", "cli", "urls"}
KIT = ("tiendo.web", "tiendo.api")
MOUNTS = {"tiendo.urls", "tiendo.api.app", "tiendo.cli"}
DATABASE_DRIVERS = {"psycopg", "psycopg2", "sqlite3"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported (for `from a import b`: a, and a.b when b is one)
    names: tuple[str, ...]
    line: int
    path: Path

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.path.relative_to(ROOT.parent)}:{self.line}: {self.target}{names}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name in ("conftest.py", "testing.py")


@dataclass(frozen=True)
class Source:
    path: Path
    tree: ast.AST

    @property
    def module(self) -> str:
        return _module_name(self.path)

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT.parent))


def _sources() -> list[Source]:
    return [Source(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(ROOT.rglob("*.py"))
            if "migrations" not in p.parts and not _is_test(p)]


def _imports(source: Source) -> list[Import]:
    found = []
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Import):
            found += [Import(source.module, alias.name, (), node.lineno, source.path)
                      for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = tuple(alias.name for alias in node.names)
            found.append(Import(source.module, node.module, names, node.lineno, source.path))
            # `from tiendo.data import views` imports the module tiendo.data.views
            package = ROOT.parent / node.module.replace(".", "/")
            found += [Import(source.module, f"{node.module}.{name}", (), node.lineno,
                             source.path)
                      for name in names if (package / f"{name}.py").exists()
                      or (package / name / "__init__.py").exists()]
    return found


SOURCES = _sources()
ALL = [imp for source in SOURCES for imp in _imports(source)]


def _is_face(module: str) -> bool:
    parts = module.split(".")
    return (module not in MOUNTS and not _is_kit(module) and len(parts) >= 3
            and (parts[2] in FACE_NAMES or parts[2] == "templatetags"))


def _is_kit(module: str) -> bool:
    return any(module == kit or module.startswith(kit + ".") for kit in KIT)


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def engine_outside_imports(imports) -> list[Import]:
    return [imp for imp in imports if imp.module.startswith("tiendo.lib")
            and (imp.target.split(".")[0] in {"django", *DATABASE_DRIVERS}
                 or (imp.target.startswith("tiendo") and not imp.target.startswith("tiendo.lib")))]


def faces_importing_faces(imports) -> list[Import]:
    """An app's urls.py mounts that app's views: the one face-to-face import allowed."""
    return [imp for imp in imports if _is_face(imp.module) and _is_face(imp.target)
            and imp.target != imp.module
            and not (imp.module == _app(imp.module) + ".urls"
                     and imp.target == _app(imp.module) + ".views")]


def below_importing_faces(imports) -> list[Import]:
    return [imp for imp in imports
            if imp.module.startswith("tiendo.") and not _is_face(imp.module)
            and not _is_kit(imp.module) and imp.module not in MOUNTS
            and (_is_face(imp.target) or _is_kit(imp.target))]


def private_names_across_modules(imports) -> list[Import]:
    return [imp for imp in imports if imp.target.startswith("tiendo")
            and any(name.startswith("_") for name in imp.names)]


def database_work_in_faces(sources: list[Source]) -> list[str]:
    found = []
    for source in sources:
        module = source.module
        if not (_is_face(module) or _is_kit(module) or module in MOUNTS):
            continue
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Attribute) and node.attr in ("atomic", "set_rollback",
                                                                 "objects"):
                found.append(f"{source.where}:{node.lineno}: {node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module == "django.db" and any(
                    alias.name in ("transaction", "connection") for alias in node.names):
                found.append(f"{source.where}:{node.lineno}: django.db")
    return found


def test_the_engine_imports_no_django_no_database_and_nothing_above_it():
    assert [str(i) for i in engine_outside_imports(ALL)] == []


def test_no_face_imports_another_face():
    assert [str(i) for i in faces_importing_faces(ALL)] == []


def test_nothing_below_the_faces_imports_a_face():
    assert [str(i) for i in below_importing_faces(ALL)] == []


def test_no_private_name_is_imported_from_another_module():
    assert [str(i) for i in private_names_across_modules(ALL)] == []


def test_no_face_opens_a_transaction_or_queries_the_database():
    assert database_work_in_faces(SOURCES) == []


def _fake(name: str, text: str) -> Source:
    """A made-up module at a path inside the package (nothing is written)."""
    return Source(ROOT / name, ast.parse(text))


@pytest.mark.parametrize(("rule", "name", "text", "bad"), [
    (engine_outside_imports, "lib/x.py", "from django.db import models", True),
    (engine_outside_imports, "lib/x.py", "import psycopg", True),
    (engine_outside_imports, "lib/x.py", "from tiendo.data.models import DataValue", True),
    (engine_outside_imports, "lib/x.py", "from tiendo.lib.periods import Period", False),
    (faces_importing_faces, "plans/views.py", "from tiendo.data.views import entry", True),
    (faces_importing_faces, "plans/views.py", "from tiendo.data import views", True),
    (faces_importing_faces, "reports/api.py", "from tiendo.reports.views import X", True),
    (faces_importing_faces, "plans/views.py", "from tiendo.web.http import page", False),
    (faces_importing_faces, "plans/views.py", "from tiendo.plans.selectors import x", False),
    (faces_importing_faces, "plans/urls.py", "from tiendo.plans import views", False),
    (faces_importing_faces, "plans/urls.py", "from tiendo.data import views", True),
    (below_importing_faces, "data/services.py", "from tiendo.web.http import page", True),
    (below_importing_faces, "data/services.py", "from tiendo.plans.api import router", True),
    (below_importing_faces, "data/services.py", "from tiendo.plans.models import T", False),
    (private_names_across_modules, "plans/views.py", "from tiendo.data.x import _n", True),
    (private_names_across_modules, "plans/views.py", "from tiendo.data.x import n", False),
])
def test_each_import_rule_tells_a_bad_import_from_a_good_one(rule, name, text, bad):
    assert bool(rule(_imports(_fake(name, text)))) is bad


@pytest.mark.parametrize(("name", "text", "bad"), [
    ("plans/views.py", "from django.db import transaction", True),
    ("plans/api.py", "import django.db\nwith django.db.transaction.atomic():\n    pass", True),
    ("plans/services.py", "from django.db import transaction", False),
    ("plans/views.py", "from tiendo.plans.services import target_save", False),
    ("plans/views.py", "Indicator.objects.filter(code='x').first()", True),
    ("plans/selectors.py", "Indicator.objects.filter(code='x').first()", False),
])
def test_the_database_rule_tells_a_face_that_writes_or_reads_itself(name, text, bad):
    assert bool(database_work_in_faces([_fake(name, text)])) is bad
