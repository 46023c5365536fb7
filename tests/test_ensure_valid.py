"""validate.ensure_valid: the fast guard a build calls before it reads the data."""

from __future__ import annotations

import time

import pytest

from conftest import append_fact
from trafficking_reports import validate
from trafficking_reports.validate import DataValidationError, ensure_valid


def test_valid_data_is_stamped_and_a_second_call_does_not_validate_again(mini_data, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    digest = ensure_valid(mini_data, cache)
    assert [p.read_text().strip() for p in cache.iterdir()] == [digest]
    monkeypatch.setattr(validate, "validate", lambda root: pytest.fail("validated unchanged data again"))
    started = time.perf_counter()
    assert ensure_valid(mini_data, cache) == digest
    assert time.perf_counter() - started < 0.1


def test_invalid_data_raises_naming_file_line_and_column_and_is_not_stamped(mini_data, tmp_path):
    number = append_fact(mini_data, "KAZ,unodc_offences,2013,,abc,exact,offences,src_a,primary,r,,transcribed,")
    with pytest.raises(DataValidationError, match=f"facts/unodc_glotip.csv, line {number}, column value"):
        ensure_valid(mini_data, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_a_change_to_the_data_makes_the_stamp_stale(mini_data, tmp_path):
    cache = tmp_path / "cache"
    ensure_valid(mini_data, cache)
    append_fact(mini_data, "KAZ,unodc_offences,2013,,-3,exact,offences,src_a,primary,r,,transcribed,")
    with pytest.raises(DataValidationError, match="'-3' is not a non-negative whole number"):
        ensure_valid(mini_data, cache)
