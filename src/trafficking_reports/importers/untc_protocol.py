"""Status of the UN Trafficking in Persons Protocol (January 2014 snapshot) -> data/facts/untc_protocol.csv.

The UN Treaty Collection's status table of the Protocol to Prevent, Suppress and Punish
Trafficking in Persons, Especially Women and Children (chapter XVIII-12-a), as scraped in
January 2014. Per participant: the date of signature, and the date and kind of the act by
which it consented to be bound ("31 Jul 2008 a": accession; no letter: ratification).

It is a SNAPSHOT: a state missing from it had not consented by January 2014 as far as this
copy shows, and may have since. Reports say "not recorded as a party as of January 2014",
never "not a party". Later parties come in only where an official copy confirms them
(curation/, not this importer).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from ..countries import CountryResolver
from .common import UpstreamFormatError, import_facts, require_file

RAW_FILE = Path("untc_treaties") / "18-12-a_trafficking_protocol_2014.csv"
SNAPSHOT = "January 2014"
KINDS = {"": "ratification", "a": "accession", "A": "acceptance", "AA": "approval", "d": "succession"}
ACT = re.compile(r"^(\d{1,2} [A-Z][a-z]{2} \d{4})(?:\s+(a|A|AA|d))?$")
NOT_A_STATE = {"European Union"}  # a regional organisation: no country report
SOURCE = {
    "source_id": "untc_tip_protocol_2014",
    "publisher": "United Nations, Office of Legal Affairs, Treaty Section",
    "title": "Multilateral Treaties Deposited with the Secretary-General, chapter XVIII, 12.a: Protocol to "
             "Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children (status)",
    "edition": f"status as of {SNAPSHOT} (latest action listed: 13 Dec 2013)",
    "url": "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-a&chapter=18",
    "date_published": "2014-01",
    "licence": "United Nations depositary record (public)",
    "note": "A snapshot: states that joined after January 2014 are not in it. Scraped by github zmjones/untreaties "
            "(treaties/18-12-a.csv, commit 003ce130, file last changed 2014-01-27); no footnotes, declarations "
            "or withdrawals.",
}


def parse_date(text: str, where: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%d %b %Y").date()
    except ValueError:
        raise UpstreamFormatError(f"{where}: expected a date like '31 Jul 2008', found {text!r}") from None


def build(raw_dir: Path, data_dir: Path) -> pd.DataFrame:
    path = require_file(raw_dir / RAW_FILE)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    if len(raw.columns) != 3 or raw.columns[0] != "Participant" or raw.columns[1] != "Signature":
        raise UpstreamFormatError(f"{path}: expected columns Participant, Signature and the act of consent; found "
                                  f"{list(raw.columns)}")
    resolver = CountryResolver.from_data(data_dir)
    rows = []
    for idx, (name, signed, act) in enumerate(raw.itertuples(index=False, name=None)):
        where = f"{path}: row {idx + 2}"
        name = name.strip()
        if name in NOT_A_STATE:
            continue
        iso3 = resolver.iso3_or_none(name)
        if iso3 is None:
            raise UpstreamFormatError(f"{where}: participant {name!r} not in data/country_aliases.csv")
        base = {"country_iso3": iso3, "value_qualifier": "exact", "source_id": SOURCE["source_id"],
                "copy_type": "primary"}
        if signed.strip():
            day = parse_date(signed.strip(), where)
            rows.append({**base, "indicator": "tip_protocol_signature", "period": day.year,
                         "value": day.isoformat(), "unit": "date",
                         "locator": f"{RAW_FILE.name}, row {idx + 2}, column Signature: {signed.strip()!r}"})
        if act.strip():
            match = ACT.match(act.strip())
            if not match:
                raise UpstreamFormatError(f"{where}: expected '31 Jul 2008' and an optional a/A/AA/d, found {act!r}")
            day = parse_date(match.group(1), where)
            locator = f"{RAW_FILE.name}, row {idx + 2}, column Ratification...: {act.strip()!r}"
            rows.append({**base, "indicator": "tip_protocol_consent", "period": day.year, "value": day.isoformat(),
                         "unit": "date", "locator": locator})
            rows.append({**base, "indicator": "tip_protocol_consent_kind", "period": day.year,
                         "value": KINDS[match.group(2) or ""], "unit": "text", "locator": locator})
    return pd.DataFrame(rows)


def run(raw_dir: Path, data_dir: Path) -> dict:
    return import_facts(build, raw_dir, data_dir, "untc_protocol.csv", [(SOURCE, RAW_FILE)])
