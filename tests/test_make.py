"""The Makefile with hostile or careless values: `make clean` never empties the wrong folder, and
user values (COUNTRY, REPORTS, ...) reach the program as data, never as shell or make code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from trafficking_reports.paths import PROJECT_ROOT

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="GNU make is not installed")
USER_VARIABLES = ("COUNTRY", "REGION", "REPORTS", "JOBS", "N", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")


def make(checkout: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if k not in USER_VARIABLES and not k.startswith("TR_")}
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", str(checkout), *args],
                          env={**clean_env, **(env or {})}, capture_output=True, text=True, timeout=120)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A stand-in checkout (the real Makefile and clean script, a tracked-looking tree), so that a
    broken guard would delete this copy and not the real one."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "Makefile", root)
    shutil.copy(PROJECT_ROOT / "scripts" / "clean_reports.py", root / "scripts")
    for rel in ("src/pkg.py", "data/facts.csv", "reports/.gitkeep", "reports/KAZ/KAZ.pdf", "reports/index.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    # Never hand REPORTS=/ to a clean recipe that is not the guarded one.
    dry = make(root, "-n", "clean", "REPORTS=/")
    assert dry.stdout.strip().endswith("scripts/clean_reports.py") and "find" not in dry.stdout, dry.stdout
    return root


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("reports", ["", " ", "/", ".", "..", "CHECKOUT", "src", "data", "reports/.."])
def test_clean_refuses_what_is_not_a_reports_folder(checkout, reports):
    before = files(checkout)
    result = make(checkout, "clean", f"REPORTS={reports.replace('CHECKOUT', str(checkout))}")
    assert result.returncode != 0 and "refusing to delete" in result.stderr
    assert files(checkout) == before


def test_clean_refuses_an_empty_exported_reports(checkout):
    before = files(checkout)
    result = make(checkout, "clean", env={"REPORTS": ""})
    assert result.returncode != 0 and "REPORTS is empty" in result.stderr
    assert files(checkout) == before


def test_clean_refuses_a_folder_outside_that_holds_other_things(checkout, tmp_path):
    other = tmp_path / "my documents"
    other.mkdir()
    (other / "thesis.tex").write_text("x")
    result = make(checkout, "clean", f"REPORTS={other}")
    assert result.returncode != 0 and "does not look like a reports folder" in result.stderr
    assert (other / "thesis.tex").exists()


def test_clean_empties_a_folder_with_spaces_and_nothing_else(checkout):
    named = checkout / "my reports"
    (named / "KAZ").mkdir(parents=True)
    (named / "KAZ" / ".build.json").write_text("{}")
    (named / ".gitkeep").write_text("")
    for neighbour in ("my", "reports"):  # what `find my reports` would have emptied
        (checkout / neighbour).mkdir(exist_ok=True)
        (checkout / neighbour / "keep.txt").write_text("x")
    result = make(checkout, "clean", "REPORTS=my reports")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in named.iterdir()) == [".gitkeep"]
    assert (checkout / "my" / "keep.txt").exists() and (checkout / "reports" / "keep.txt").exists()


def test_clean_empties_the_default_reports_folder_but_keeps_gitkeep(checkout):
    result = make(checkout, "clean")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (checkout / "reports").iterdir()] == [".gitkeep"]
    assert (checkout / "src" / "pkg.py").exists() and (checkout / "data" / "facts.csv").exists()


def venv_ready() -> bool:
    return make(PROJECT_ROOT, "-q", ".venv/.installed").returncode == 0


HOSTILE = ['x"; touch {p}; echo "', "x'; touch {p}; echo '", "`touch {p}`", "$(touch {p})", "$(shell touch {p})",
           "$$(touch {p})"]


@pytest.mark.parametrize("variable, unknown", [("COUNTRY", "Unknown country"), ("REGION", "Unknown region")])
@pytest.mark.parametrize("template", HOSTILE)
def test_a_hostile_country_or_region_is_unknown_and_runs_nothing(tmp_path, template, variable, unknown):
    if not venv_ready():
        pytest.skip("the virtual environment is not bootstrapped (make would install it)")
    pwned = tmp_path / "pwned"
    result = make(PROJECT_ROOT, "report", f"{variable}={template.format(p=pwned)}", f"REPORTS={tmp_path / 'out'}")
    assert result.returncode != 0
    assert unknown in result.stderr
    assert not pwned.exists() and not (PROJECT_ROOT / "pwned").exists()
    assert not (tmp_path / "out").exists()  # stopped before writing anything


def test_an_unknown_country_still_names_the_closest(tmp_path):
    if not venv_ready():
        pytest.skip("the virtual environment is not bootstrapped (make would install it)")
    result = make(PROJECT_ROOT, "report", "COUNTRY=Kazakstan", f"REPORTS={tmp_path / 'out'}")
    assert result.returncode != 0 and "Closest: Kazakhstan (KAZ)" in result.stderr


def test_an_unknown_region_names_the_closest_and_exits_as_an_unknown_country_does(tmp_path):
    if not venv_ready():
        pytest.skip("the virtual environment is not bootstrapped (make would install it)")
    region = make(PROJECT_ROOT, "report", "REGION=Centrl Asia", f"REPORTS={tmp_path / 'out'}")
    country = make(PROJECT_ROOT, "report", "COUNTRY=Kazakstan", f"REPORTS={tmp_path / 'out'}")
    assert "Closest: Central Asia" in region.stderr
    assert region.returncode == country.returncode != 0


def test_help_prints_hostile_values_without_running_them(tmp_path):
    pwned = tmp_path / "pwned"
    result = make(PROJECT_ROOT, "help", f'COUNTRY=x"; touch {pwned}; echo "', f"JOBS=`touch {pwned}`")
    assert result.returncode == 0 and not pwned.exists()
    assert f'COUNTRY=x"; touch {pwned}; echo "' in result.stdout
