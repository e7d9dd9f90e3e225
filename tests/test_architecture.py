"""The shape of the code, checked: SQL only in the store layer, no analytics in the app's pages, pages reach
numbers only through the Corpus, modules of one concern and modest size, no class checks on embedding backends,
settings and error codes documented, the served app configured like the checkout's."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from analytics import config, errors

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "analytics"
STORE = PACKAGE / "store"
APP = PACKAGE / "app"


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def code_of(path: Path) -> str:
    """The file without its comments and docstrings (only code and string literals that are not docstrings)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            body[0] = ast.Pass()
    return ast.unparse(tree)


SQL = re.compile(r"\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW)|"
                 r"DROP\s+TABLE|COPY\s+\w+\s+TO)\b")
SQL_CALLS = re.compile(r"\.(execute|sql|register|unregister)\(")


def test_sql_is_only_in_the_store_layer():
    found = []
    for path in python_files(PACKAGE):
        if STORE in path.parents:
            continue
        code = code_of(path)
        found += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in SQL.finditer(code)]
        found += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in SQL_CALLS.finditer(code)]
    assert not found, found


ANALYTICS_IN_PAGES = re.compile(r"\b(groupby|rolling|value_counts|period_start|pivot_table|crosstab|resample)\b")


def test_the_app_counts_nothing_itself_and_asks_only_the_corpus():
    pages = python_files(APP)
    assert len(python_files(APP / "pages")) == 9
    found = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in pages for m in ANALYTICS_IN_PAGES.finditer(code_of(p))]
    assert not found, found
    for page in python_files(APP / "pages"):
        tree = ast.parse(page.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert "analytics.store" not in imported and "store" not in names, page.name
        assert "duckdb" not in imported and "import duckdb" not in page.read_text(encoding="utf-8"), page.name
    top = (REPO / "app.py").read_text(encoding="utf-8")
    assert "from analytics.app.frame import main" in top and len(code_of(REPO / "app.py").splitlines()) <= 4


def test_no_module_outside_the_store_layer_is_a_grab_bag():
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in python_files(PACKAGE)
             if STORE not in p.parents}
    too_long = {str(p.relative_to(REPO)): n for p, n in sizes.items() if n > 350}
    assert not too_long, too_long


def test_no_stage_asks_an_embedding_backend_its_class():
    found = [f"{p.relative_to(REPO)}:{i}" for p in python_files(PACKAGE)
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"isinstance\([^)]*backend|type\(backend\)|Backend\b.*__name__", line)]
    assert not found, found


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name in config.SETTINGS if f"`{name}`" not in readme]
    assert not missing, missing


def test_the_error_catalogue_has_unique_codes_each_with_a_fix_and_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    codes = [m.code for m in errors.CATALOGUE.values()]
    assert len(codes) == len(set(codes)) == len([v for v in vars(errors).values() if isinstance(v, errors.Message)])
    for message in errors.CATALOGUE.values():
        assert message.cause and message.fix, message.code
        assert f"| {message.code} |" in readme, message.code
    used = "\n".join(code_of(p) for p in python_files(PACKAGE) if p.name != "errors.py")
    unused = [name for name, value in vars(errors).items() if isinstance(value, errors.Message)
              and not re.search(rf"\b{name}\b", used)]
    assert not unused, unused


def test_the_served_app_is_configured_like_the_checkout():
    from analytics.app.server import SERVER_OPTIONS

    toml = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flat = {f"{section}.{key}": value for section, values in toml.items() for key, value in values.items()}
    assert flat == SERVER_OPTIONS


def test_the_public_api_is_exported():
    import analytics

    assert {"Corpus", "Filters", "NarrativeError", "StoreOutdatedError"} <= set(analytics.__all__)
    for name in analytics.__all__:
        assert hasattr(analytics, name), name


@pytest.mark.parametrize("package", ["store", "entities", "topics", "embeddings", "timeline"])
def test_each_package_re_exports_its_api(package):
    import importlib

    module = importlib.import_module(f"analytics.{package}")
    assert module.__all__ and all(hasattr(module, name) for name in module.__all__)


def test_every_package_is_in_the_wheel():
    """pyproject lists the packages (corpora/ is mapped into the package): a new package must be added there."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert found | {"analytics.corpora"} == listed
