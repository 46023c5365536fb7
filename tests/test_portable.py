"""Runs where its users are (issue #13): the bootstrap finds a browser, git and the fonts with no apt or dpkg
on the PATH, says what to install when there is no browser, still installs Debian's packages as root where apt
exists (CI); the reports carry their own fonts, so a PDF renders Cyrillic with no system font at all."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import append_fact
from trafficking_reports import browser, fonts, hashing
from trafficking_reports.paths import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "system_packages.sh"
CHROMIUM = "/usr/bin/chromium"
# What the bootstrap, make, the report build and Debian's chromium wrapper call by name. Never dpkg, apt or a
# browser: the point is a machine without them.
TOOLS = ("bash", "sh", "env", "dirname", "id", "grep", "sed", "uname", "cat", "readlink", "mkdir", "rm", "ls",
         "head", "tr", "cut", "git", "make")
ABSENT = ("dpkg", "dpkg-query", "apt", "apt-get", *browser.PATH_NAMES)
CYRILLIC = "Закон о противодействии"  # the Cyrillic test string of test_report_integration, added to a data copy


def bare_path(folder: Path, tools: tuple[str, ...] = TOOLS, fakes: dict[str, str] | None = None) -> str:
    """A PATH of symlinks to the named tools only, plus fake commands (name -> shell script body)."""
    folder.mkdir(parents=True, exist_ok=True)
    for tool in tools:
        found = shutil.which(tool)
        if found:
            (folder / tool).symlink_to(found)
    for name, body in (fakes or {}).items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    for name in ABSENT:
        assert name in (fakes or {}) or shutil.which(name, path=str(folder)) is None
    return str(folder)


def environment(tmp_path: Path, path: str, **extra: str) -> dict[str, str]:
    """No TR_CHROMIUM unless given, a HOME with no ~/Applications, no browser that playwright downloaded, and
    this checkout's code (absolute: the report's kernel runs in another folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TR_")}
    (tmp_path / "home").mkdir(exist_ok=True)
    env.update(PATH=path, HOME=str(tmp_path / "home"), PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "no-browsers"),
               PYTHONPATH=str(PROJECT_ROOT / "src"), TR_PYTHON=sys.executable)
    env.update(extra)
    return env


def bootstrap(mode: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), mode], env=env, capture_output=True, text=True, timeout=120)


# -- the search order ---------------------------------------------------------------------------------
def fake_browser(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_browser_search_order(tmp_path, monkeypatch):
    monkeypatch.delenv("TR_CHROMIUM", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert browser.find_chromium() is None
    app = fake_browser(tmp_path / "home" / "Applications" / "Chromium.app" / "Contents" / "MacOS" / "Chromium")
    assert browser.find_chromium() == str(app)  # a macOS application in ~/Applications
    chrome = fake_browser(tmp_path / "bin" / "google-chrome-stable")
    assert browser.find_chromium() == str(chrome)  # the PATH comes before the applications
    chromium = fake_browser(tmp_path / "bin" / "chromium-browser")
    assert browser.find_chromium() == str(chromium)  # and in it, the Debian and Ubuntu names first
    monkeypatch.setenv("TR_CHROMIUM", "/opt/my/chrome")
    assert browser.find_chromium() == "/opt/my/chrome"  # TR_CHROMIUM first (preflight checks it runs)


# -- the bootstrap without apt ------------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.skipif(not (Path(CHROMIUM).exists() and shutil.which("make")), reason="needs Debian's chromium and make")
def test_with_no_apt_a_browser_given_by_tr_chromium_builds_a_report(tmp_path):
    path = bare_path(tmp_path / "bin", TOOLS + ("pdffonts", "pdftotext"))
    env = environment(tmp_path, path, TR_CHROMIUM=CHROMIUM)
    for mode in ("build", "test"):
        result = bootstrap(mode, env)
        assert result.returncode == 0, result.stderr
        assert "apt-get" not in result.stderr
    found = subprocess.run([sys.executable, "-m", "trafficking_reports.browser"], env=env, capture_output=True,
                           text=True, timeout=60)
    assert found.stdout.strip() == CHROMIUM
    located = subprocess.run([sys.executable, "-m", "trafficking_reports.fonts"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert Path(located.stdout.strip()) == fonts.source_dir()

    # `make report` in this environment, its packages taken as installed (-o: make must not pip-install into
    # the environment running these tests; the stamp rule's system check is the bootstrap run above).
    venv = Path(sys.executable).parent.parent
    out = tmp_path / "out"
    result = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(PROJECT_ROOT), "-o", f"{venv}/.installed",
                             "report", f"VENV={venv}", "COUNTRY=Kazakhstan", f"REPORTS={out}"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "KAZ" / "KAZ.html").stat().st_size > 10_000 and (out / "KAZ" / "KAZ.pdf").stat().st_size > 10_000
    for name in fonts.FILES:
        assert (out / "fonts" / name).read_bytes() == (fonts.source_dir() / name).read_bytes()


def test_with_no_browser_anywhere_the_bootstrap_names_the_install_command(tmp_path):
    env = environment(tmp_path, bare_path(tmp_path / "bin"))
    result = bootstrap("build", env)
    assert result.returncode != 0
    assert f"{sys.executable} -m playwright install chromium" in result.stderr
    assert "TR_CHROMIUM" in result.stderr and "~/Applications" not in result.stderr  # paths written out
    assert str(Path(env["HOME"]) / "Applications" / "Chromium.app") in result.stderr


def test_with_no_browser_anywhere_a_report_stops_before_writing(tmp_path):
    env = environment(tmp_path, bare_path(tmp_path / "bin"))
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "trafficking_reports", "report", "--out", str(out), "--",
                             "Kazakhstan"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"{sys.executable} -m playwright install chromium" in result.stderr and "TR_CHROMIUM" in result.stderr
    assert not out.exists()


def test_with_no_git_and_no_apt_the_bootstrap_says_how_to_install_it(tmp_path):
    tools = tuple(t for t in TOOLS if t != "git")
    result = bootstrap("test", environment(tmp_path, bare_path(tmp_path / "bin", tools), TR_CHROMIUM=CHROMIUM))
    assert result.returncode != 0
    assert "git is not on the PATH: install git (macOS: xcode-select --install" in result.stderr
    assert "pdffonts is not on the PATH: install poppler" in result.stderr


# -- Debian: CI as root installs with apt; a user is told the command; Ubuntu's chromium is not used ------
def fake_apt(folder: Path, uid: int, distribution: str) -> tuple[dict[str, str], Path]:
    """dpkg-query that knows no package, apt-get that records its arguments, id saying who we are, and the
    distribution's os-release."""
    log = folder.parent / "apt.log"
    os_release = folder.parent / "os-release"
    os_release.write_text({"debian": "ID=debian\n", "ubuntu": "ID=ubuntu\nID_LIKE=debian\n"}[distribution])
    fakes = {"dpkg-query": "exit 1", "dpkg": "exit 1", "apt-get": f'echo "$*" >> {log}', "id": f"echo {uid}"}
    return fakes, os_release


@pytest.mark.parametrize("uid", [0, 1000])
def test_on_debian_missing_packages_come_from_apt(tmp_path, uid):
    tools = tuple(t for t in TOOLS if t not in ("git", "id"))
    fakes, os_release = fake_apt(tmp_path / "bin", uid, "debian")
    path = bare_path(tmp_path / "bin", tools, fakes=fakes)
    result = bootstrap("test", environment(tmp_path, path, TR_OS_RELEASE=str(os_release)))
    log = tmp_path / "apt.log"
    if uid == 0:
        assert result.returncode == 0, result.stderr
        assert log.read_text().splitlines() == [
            "update -qq",
            "install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-dejavu-extra git poppler-utils"]
    else:
        assert result.returncode != 0 and not log.exists()
        assert ("Run as root:  apt-get update && apt-get install -y --no-install-recommends chromium git "
                "poppler-utils") in result.stderr  # fonts are not asked of a user: the reports carry theirs


def test_on_ubuntu_the_browser_comes_from_playwright_and_the_rest_from_apt(tmp_path):
    tools = tuple(t for t in TOOLS if t not in ("git", "id"))
    fakes, os_release = fake_apt(tmp_path / "bin", 0, "ubuntu")
    path = bare_path(tmp_path / "bin", tools, fakes=fakes)
    result = bootstrap("test", environment(tmp_path, path, TR_OS_RELEASE=str(os_release)))
    assert result.returncode != 0
    assert f"{sys.executable} -m playwright install --with-deps chromium" in result.stderr
    assert (tmp_path / "apt.log").read_text().splitlines()[-1] == (
        "install -y -qq --no-install-recommends fonts-dejavu-core fonts-dejavu-extra git poppler-utils")


# -- fonts --------------------------------------------------------------------------------------------
def test_fonts_are_copied_once_and_restored(tmp_path):
    fonts.publish(tmp_path)
    copies = [tmp_path / rel for rel in fonts.published()]
    assert all(c.read_bytes() == (fonts.source_dir() / c.name).read_bytes() for c in copies)
    stamps = [c.stat().st_mtime_ns for c in copies]
    fonts.publish(tmp_path)
    assert [c.stat().st_mtime_ns for c in copies] == stamps  # unchanged bytes are not rewritten
    copies[0].write_bytes(b"broken")
    copies[1].unlink()
    fonts.publish(tmp_path)
    assert all(c.read_bytes() == (fonts.source_dir() / c.name).read_bytes() for c in copies)
    assert not list((tmp_path / fonts.FOLDER).glob(".*"))  # no partial files left


def test_the_stylesheet_loads_only_fonts_that_are_published():
    css = (PROJECT_ROOT / "src" / "trafficking_reports" / "report.css").read_text(encoding="utf-8")
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert sorted(urls) == sorted(f"../{rel}" for rel in fonts.published() if rel.endswith(".ttf"))


def test_a_changed_font_changes_the_digests(tmp_path, monkeypatch):
    copy = tmp_path / "ttf"
    shutil.copytree(fonts.source_dir(), copy, ignore=lambda d, names: [n for n in names if n not in fonts.FILES])
    monkeypatch.setattr(fonts, "source_dir", lambda: copy)
    before = hashing.tree_digest(), hashing.code_digest()
    moved = tmp_path / "elsewhere" / "ttf"
    shutil.copytree(copy, moved)
    monkeypatch.setattr(fonts, "source_dir", lambda: moved)
    assert (hashing.tree_digest(), hashing.code_digest()) == before  # where the environment lives does not count
    (moved / "DejaVuSans.ttf").write_bytes((moved / "DejaVuSans.ttf").read_bytes() + b"\0")
    after = hashing.tree_digest(), hashing.code_digest()
    assert after[0] != before[0] and after[1] != before[1]


def no_font_config(folder: Path) -> Path:
    """A fontconfig configuration with the system's rendering rules (conf.d: hinting, antialiasing) and no
    font directory: Chromium sees no system font at all."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                      '<fontconfig><include ignore_missing="yes">/etc/fonts/conf.d</include>'
                      f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>\n")
    return config


def pdf_layout(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.integration
@pytest.mark.skipif(not (all(shutil.which(t) for t in ("fc-list", "pdffonts", "pdftotext"))
                         and Path(CHROMIUM).exists()),
                    reason="needs fontconfig's fc-list, poppler's pdffonts and pdftotext, and Debian's chromium")
def test_with_no_system_font_the_pdf_renders_cyrillic_in_our_dejavu(tmp_path, data_copy):
    config = no_font_config(tmp_path / "fontconfig")
    env = environment(tmp_path, os.environ["PATH"], FONTCONFIG_FILE=str(config), TR_DATA_DIR=str(data_copy))
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and listed.stdout.strip() == ""  # the system's DejaVu is hidden
    append_fact(data_copy, f"KAZ,policy_event,2020,,{CYRILLIC},exact,text,seed_blog_2014,secondary,test row,"
                f"{CYRILLIC},,a test row in a copy of the data", "qualitative/policy.csv")

    def report(out: Path, env: dict) -> Path:
        result = subprocess.run([sys.executable, "-m", "trafficking_reports", "report", "--out", str(out), "--",
                                 "KAZ"], env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return out / "KAZ" / "KAZ.pdf"

    pdf = report(tmp_path / "hidden", env)
    text = pdf_layout(pdf)
    assert CYRILLIC in re.sub(r"\s+", " ", text)
    assert "Anti-trafficking efforts in Kazakhstan" in text and "Page 1 of" in text
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    names = {row[0].split("+")[-1] for row in rows}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"} <= names
    assert names <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique",
                     "DejaVuSansMono", "DejaVuSansMono-Bold"}  # no Type 3 stand-ins for a missing face
    assert all(row[-5] == "yes" for row in rows)  # embedded
    # The figures are <img> SVGs, which cannot load the page's fonts: their text is drawn as outlines.
    html = (pdf.parent / "KAZ.html").read_text(encoding="utf-8")
    figures = [base64.b64decode(b).decode() for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]
    assert len(figures) >= 4 and not any("<text" in svg for svg in figures)
    # With the system's fonts visible, the words sit in the same places.
    shown = report(tmp_path / "shown", {k: v for k, v in env.items() if k != "FONTCONFIG_FILE"})
    assert pdf_layout(shown) == text
