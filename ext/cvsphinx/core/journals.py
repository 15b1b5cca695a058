"""AASTeX's journal macros, as NASA ADS writes them in BibTeX (journal = {\\apj}).

An ADS export names the journal of an article by a TeX macro (``\\apj``, ``\\mnras``,
``\\aap`` ...) that only AASTeX, or ADS's stand-alone ``aas_macros.sty``, defines;
read as plain text the field would show a backslash and a code.  The table holds
each macro with the abbreviation AASTeX typesets for it and the journal's full
name, in plain Unicode.  The set and abbreviations are those of AASTeX 6.3.1
(``aastex631.cls``, 6.3.1f, 2021-01-29; unchanged in AASTeX 7.0.1, 2025-05-09),
which the ADS help page "Journal Macros"
(https://ui.adsabs.harvard.edu/help/actions/journal-macros) lists, together with
``\\bac``, which only ADS's ``aas_macros.sty`` (taken from AASTeX 5.2) defines, and
AASTeX's aliases (``\\astap``, ``\\apjlett``, ``\\apjsupp``, ``\\applopt``) and
long forms (``\\memsocai``, ``\\aspconf``).
"""

from __future__ import annotations

AAS_JOURNALS: dict[str, tuple[str, str]] = {
    "aap": ("A&A", "Astronomy and Astrophysics"),
    "aapr": ("A&A Rv", "Astronomy and Astrophysics Review"),
    "aaps": ("A&AS", "Astronomy and Astrophysics Supplement Series"),
    "aas": ("AAS Meeting Abstracts", "American Astronomical Society Meeting Abstracts"),
    "actaa": ("AcA", "Acta Astronomica"),
    "aj": ("AJ", "The Astronomical Journal"),
    "ao": ("ApOpt", "Applied Optics"),
    "apj": ("ApJ", "The Astrophysical Journal"),
    "apjl": ("ApJL", "The Astrophysical Journal Letters"),
    "apjlett": ("ApJL", "The Astrophysical Journal Letters"),
    "apjs": ("ApJS", "The Astrophysical Journal Supplement Series"),
    "apjsupp": ("ApJS", "The Astrophysical Journal Supplement Series"),
    "aplett": ("Astrophys. Lett.", "Astrophysical Letters"),
    "applopt": ("ApOpt", "Applied Optics"),
    "apspr": ("Astrophys. Space Phys. Res.", "Astrophysics and Space Physics Reviews"),
    "apss": ("Ap&SS", "Astrophysics and Space Science"),
    "araa": ("ARA&A", "Annual Review of Astronomy and Astrophysics"),
    "aspconf": ("Ast. Soc. of the Pac. Conference Series", "Astronomical Society of the Pacific Conference Series"),
    "astap": ("A&A", "Astronomy and Astrophysics"),
    "azh": ("AZh", "Astronomicheskii Zhurnal"),
    "baas": ("BAAS", "Bulletin of the American Astronomical Society"),
    "bac": ("Bull. astr. Inst. Czechosl.", "Bulletin of the Astronomical Institutes of Czechoslovakia"),
    "bain": ("BAN", "Bulletin of the Astronomical Institutes of the Netherlands"),
    "caa": ("ChA&A", "Chinese Astronomy and Astrophysics"),
    "cjaa": ("ChJA&A", "Chinese Journal of Astronomy and Astrophysics"),
    "dps": ("AAS/DPS Meeting Abstracts", "AAS Division for Planetary Sciences Meeting Abstracts"),
    "fcp": ("FCPh", "Fundamentals of Cosmic Physics"),
    "gca": ("GeoCoA", "Geochimica et Cosmochimica Acta"),
    "grl": ("Geophys. Res. Lett.", "Geophysical Research Letters"),
    "iaucirc": ("IAUC", "IAU Circulars"),
    "icarus": ("Icarus", "Icarus"),
    "jaavso": ("JAAVSO", "Journal of the American Association of Variable Star Observers"),
    "jcap": ("JCAP", "Journal of Cosmology and Astroparticle Physics"),
    "jcp": ("JChPh", "The Journal of Chemical Physics"),
    "jgr": ("J. Geophys. Res.", "Journal of Geophysical Research"),
    "jqsrt": ("JQSRT", "Journal of Quantitative Spectroscopy and Radiative Transfer"),
    "jrasc": ("JRASC", "Journal of the Royal Astronomical Society of Canada"),
    "maps": ("M&PS", "Meteoritics and Planetary Science"),
    "memras": ("MmRAS", "Memoirs of the Royal Astronomical Society"),
    "memsai": ("Mem. Soc. Astron. Italiana", "Memorie della Società Astronomica Italiana"),
    "memsocai": ("Mem. Società Astronomica Italiana", "Memorie della Società Astronomica Italiana"),
    "mnras": ("MNRAS", "Monthly Notices of the Royal Astronomical Society"),
    "na": ("NewA", "New Astronomy"),
    "nar": ("NewAR", "New Astronomy Reviews"),
    "nat": ("Nature", "Nature"),
    "nphysa": ("NuPhA", "Nuclear Physics A"),
    "pasa": ("PASA", "Publications of the Astronomical Society of Australia"),
    "pasj": ("PASJ", "Publications of the Astronomical Society of Japan"),
    "pasp": ("PASP", "Publications of the Astronomical Society of the Pacific"),
    "physrep": ("PhR", "Physics Reports"),
    "physscr": ("PhyS", "Physica Scripta"),
    "planss": ("Planet. Space Sci.", "Planetary and Space Science"),
    "pra": ("PhRvA", "Physical Review A"),
    "prb": ("PhRvB", "Physical Review B"),
    "prc": ("PhRvC", "Physical Review C"),
    "prd": ("PhRvD", "Physical Review D"),
    "pre": ("PhRvE", "Physical Review E"),
    "prl": ("PhRvL", "Physical Review Letters"),
    "procspie": ("Proc. SPIE", "Proceedings of the SPIE"),
    "psj": ("PSJ", "The Planetary Science Journal"),
    "qjras": ("QJRAS", "Quarterly Journal of the Royal Astronomical Society"),
    "rmxaa": ("RMxAA", "Revista Mexicana de Astronomía y Astrofísica"),
    "skytel": ("S&T", "Sky and Telescope"),
    "solphys": ("SoPh", "Solar Physics"),
    "sovast": ("Soviet Ast.", "Soviet Astronomy"),
    "ssr": ("SSRv", "Space Science Reviews"),
    "zap": ("ZA", "Zeitschrift für Astrophysik"),
}


def journal_macro(name: str, full: bool = False) -> str | None:
    """The journal a macro name (without backslash) stands for, abbreviated as AASTeX prints it or in full;
    None if it is not one."""
    entry = AAS_JOURNALS.get(name)
    if entry is None:
        return None
    return entry[1] if full else entry[0]
