"""One module per upstream source. Each turns a publisher's file into tidy facts.

Run them all with `python -m trafficking_reports import-data` (or `make data`).
"""

from . import ti_cpi, tip_global_law_enforcement, tip_tiers, un_m49, unodc_glotip

# un_m49 first: the others resolve countries against the table it writes.
ALL = (un_m49, unodc_glotip, ti_cpi, tip_tiers, tip_global_law_enforcement)
