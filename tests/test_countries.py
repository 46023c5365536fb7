import pytest

from trafficking_reports.countries import CountryResolver, UnknownCountryError, normalise, subregion_peers


@pytest.fixture
def resolver():
    return CountryResolver.from_data()


@pytest.mark.parametrize("name, iso3", [
    ("Burma", "MMR"), ("Kyrgyz Republic", "KGZ"), ("Cote d'Ivoire", "CIV"), ("Côte d'Ivoire", "CIV"),
    ("Congo, Republic of the", "COG"), ("Congo, Democratic Republic of the", "COD"), ("Korea, South", "KOR"),
    ("Korea, North", "PRK"), ("Gambia, The", "GMB"), ("Kosovo", "XKX"), ("KSV", "XKX"), ("KOS", "XKX"),
    ("Curacao", "CUW"), ("Curaçao", "CUW"), ("Turkey", "TUR"), ("Turkiye", "TUR"), ("Türkiye", "TUR"),
    ("kaz", "KAZ"), ("  Kazakhstan ", "KAZ"), ("Russian Federation", "RUS"), ("China (PRC)", "CHN"),
])
def test_state_department_and_upstream_spellings_resolve(resolver, name, iso3):
    assert resolver.resolve(name) == iso3


def test_unknown_country_lists_closest_names(resolver):
    with pytest.raises(UnknownCountryError) as err:
        resolver.resolve("Kazakstan")
    assert "Kazakhstan (KAZ)" in str(err.value)


def test_every_alias_points_to_a_known_country(resolver):
    assert set(resolver.aliases["iso3"]) <= set(resolver.countries["iso3"])
    assert (resolver.aliases["reviewed"] == "yes").all()


def test_normalise_ignores_case_accents_quotes_and_spacing():
    assert normalise("  CÔTE  d’Ivoire ") == normalise("cote d'ivoire")


def test_subregion_peers_of_kazakhstan():
    assert subregion_peers("KAZ") == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
