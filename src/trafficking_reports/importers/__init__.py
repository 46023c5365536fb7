"""One module per upstream source. Each turns a publisher's file into tidy facts.

Run them all with `python -m trafficking_reports import-data` (or `make data`).
"""

from . import (
    natural_earth,
    ti_cpi,
    ti_cpi_2025,
    tip_2025_transcription,
    tip_cia_factbook,
    tip_global_law_enforcement,
    tip_tiers,
    tip_web_lists,
    tip_wikipedia_2018,
    un_m49,
    unodc_glotip,
    untc_protocol,
    walkfree_gsi,
)

# un_m49 first: the others resolve countries against the table it writes.
ALL = (un_m49, unodc_glotip, ti_cpi, ti_cpi_2025, tip_tiers, tip_global_law_enforcement, tip_wikipedia_2018,
       tip_cia_factbook, tip_web_lists, tip_2025_transcription, walkfree_gsi, untc_protocol, natural_earth)
