"""The open licences an output may be gifted under (FP4), as SPDX identifiers."""

from __future__ import annotations

import difflib
import re

from loti_cli.core.suggest import closest

OPEN_CONTENT: tuple[str, ...] = (
    "OGL-UK-3.0",
    "OGL-UK-2.0",
    "OGL-UK-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-3.0",
    "CC-BY-SA-3.0",
    "CC0-1.0",
    "ODbL-1.0",
    "ODC-By-1.0",
    "PDDL-1.0",
)
"""Open licences for documents and data: the Open Government Licence, Creative Commons
attribution (and share-alike) and public-domain dedications, and the Open Data Commons ones."""

OSI_APPROVED: tuple[str, ...] = (
    "0BSD",
    "AAL",
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "APL-1.0",
    "APSL-1.0",
    "APSL-1.1",
    "APSL-1.2",
    "APSL-2.0",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-1.0-cl8",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-LBNL",
    "BSL-1.0",
    "BlueOak-1.0.0",
    "CAL-1.0",
    "CAL-1.0-Combined-Work-Exception",
    "CATOSL-1.1",
    "CDDL-1.0",
    "CECILL-2.1",
    "CERN-OHL-P-2.0",
    "CERN-OHL-S-2.0",
    "CERN-OHL-W-2.0",
    "CNRI-Python",
    "CPAL-1.0",
    "CPL-1.0",
    "CUA-OPL-1.0",
    "ECL-1.0",
    "ECL-2.0",
    "EFL-1.0",
    "EFL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUDatagrid",
    "EUPL-1.1",
    "EUPL-1.2",
    "Entessa",
    "Fair",
    "Frameworx-1.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "IPA",
    "IPL-1.0",
    "ISC",
    "Intel",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LPL-1.0",
    "LPL-1.02",
    "LPPL-1.3c",
    "LiLiQ-P-1.1",
    "LiLiQ-R-1.1",
    "LiLiQ-Rplus-1.1",
    "MIT",
    "MIT-0",
    "MIT-Modern-Variant",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MirOS",
    "Motosoto",
    "MulanPSL-2.0",
    "Multics",
    "NASA-1.3",
    "NCSA",
    "NGPL",
    "NPOSL-3.0",
    "NTP",
    "Naumen",
    "Nokia",
    "OCLC-2.0",
    "OFL-1.1",
    "OFL-1.1-RFN",
    "OFL-1.1-no-RFN",
    "OGTSL",
    "OLDAP-2.8",
    "OSET-PL-2.1",
    "OSL-1.0",
    "OSL-2.0",
    "OSL-2.1",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "Python-2.0",
    "QPL-1.0",
    "RPL-1.1",
    "RPL-1.5",
    "RPSL-1.0",
    "RSCPL",
    "SISSL",
    "SPL-1.0",
    "SimPL-2.0",
    "Sleepycat",
    "UCL-1.0",
    "UPL-1.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "VSL-1.0",
    "W3C",
    "Watcom-1.0",
    "Xnet",
    "ZPL-2.0",
    "ZPL-2.1",
    "Zlib",
)
"""Software licences approved by the Open Source Initiative, by their current SPDX identifiers
(deprecated ones such as `GPL-3.0` are left out: write `GPL-3.0-only` or `GPL-3.0-or-later`)."""

OPEN_LICENCES: tuple[str, ...] = (*OPEN_CONTENT, *OSI_APPROVED)

_BY_FOLD = {licence.casefold(): licence for licence in OPEN_LICENCES}


def open_licence(identifier: str) -> str | None:
    """The canonical spelling of an open licence identifier (any letter case), else None."""
    return _BY_FOLD.get(identifier.strip().casefold())


_FAMILY = re.compile(r"[a-z]+")


def closest_licence(identifier: str) -> str | None:
    """The open licence `identifier` most probably meant, for a "did you mean".

    A licence of the same family (`OGL-3.0` -> `OGL-UK-3.0`, `GPL-3.0` -> `GPL-3.0-only`) is
    preferred to a merely similar spelling of another one (`OSL-3.0`).
    """
    folded = identifier.strip().casefold()
    family = _FAMILY.match(folded)
    if family:
        kin = [
            licence
            for licence in OPEN_LICENCES
            if (match := _FAMILY.match(licence.casefold())) and match[0] == family[0]
        ]
        if kin:
            ratio = {k: difflib.SequenceMatcher(None, folded, k.casefold()).ratio() for k in kin}
            return max(kin, key=lambda k: ratio[k])
    return closest(identifier, OPEN_LICENCES, cutoff=0.7)
