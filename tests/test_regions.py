"""Regions: names resolve like country names (case, accents, spacing, slugs; the closest names on a near
miss), every UN M49 sub-region and intermediate region is one, and an unknown region stops like an
unknown country."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DATA
from trafficking_reports.errors import UnknownRegionError
from trafficking_reports.regions import all_regions, resolve_region


def members_in_table(field: str, name: str) -> tuple[str, ...]:
    countries = pd.read_csv(DATA / "countries.csv", keep_default_na=False, na_values=[""])
    return tuple(sorted(countries.loc[countries[field] == name, "iso3"]))


@pytest.mark.parametrize("typed", ["Central Asia", "central asia", "  CENTRAL   asia ", "central-asia", "Céntral Asia"])
def test_a_region_resolves_whatever_the_case_accents_spacing_or_slug(typed):
    region = resolve_region(typed)
    assert (region.name, region.field, region.level) == ("Central Asia", "sub_region", "sub-region")
    assert region.members == members_in_table("sub_region", "Central Asia")
    assert region.slug == "central-asia"


def test_an_intermediate_region_resolves_too():
    region = resolve_region("caribbean")
    assert (region.name, region.field, region.level) == ("Caribbean", "intermediate_region", "intermediate region")
    assert region.members == members_in_table("intermediate_region", "Caribbean")


def test_every_sub_region_and_intermediate_region_is_a_region():
    countries = pd.read_csv(DATA / "countries.csv", keep_default_na=False, na_values=[""])
    expected = set(countries["sub_region"].dropna()) | set(countries["intermediate_region"].dropna())
    regions = all_regions()
    assert {r.name for r in regions} == expected
    assert len({r.slug for r in regions}) == len(regions)  # one folder each
    assert all(r.members for r in regions)


@pytest.mark.parametrize("typed, closest", [("Centrl Asia", "Central Asia"), ("Carribean", "Caribbean"),
                                            ("Sub Saharan Afrika", "Sub-Saharan Africa"),
                                            ("south east asia", "South-eastern Asia")])
def test_a_near_miss_names_the_closest_regions(typed, closest):
    with pytest.raises(UnknownRegionError) as err:
        resolve_region(typed)
    message = str(err.value)
    assert repr(typed) in message
    assert f"Closest: {closest}" in message


def test_a_name_far_from_any_region_is_refused_without_suggestions():
    with pytest.raises(UnknownRegionError) as err:
        resolve_region("Atlantis 7")
    assert "Closest" not in str(err.value)


def test_a_country_is_not_a_region():
    with pytest.raises(UnknownRegionError):
        resolve_region("Kazakhstan")


def test_an_unknown_region_exits_like_an_unknown_country_and_writes_nothing(tmp_path, capsys):
    from trafficking_reports.cli import main

    out = tmp_path / "out"
    region_status = main(["report", "--region", "Centrl Asia", "--out", str(out)])
    region_error = capsys.readouterr().err
    country_status = main(["report", "Kazakstan", "--out", str(out)])
    assert region_status == country_status == 2
    assert "Unknown region 'Centrl Asia'" in region_error and "Closest: Central Asia" in region_error
    assert not out.exists()
