"""Committee names and pages: the one place that knows what a committee code stands for.

The Senate schedule prints a short committee name ("Intelligence", "Aging") and a code
(``SLIN00``); readers want the official name ("Senate Select Committee on Intelligence") and a
page they can open. Codes ending in ``00`` are full committees; a subcommittee's code shares its
parent's first four letters (``SSFR09`` is a Foreign Relations subcommittee).

The House Committee Repository files the Helsinki Commission under a committee code of its own;
it is the commission the ``csce`` source crawls, so its records take that commission's name and
code (one row on the index, one feed).
"""

from __future__ import annotations

from dataclasses import dataclass

from hearing_watch.sources import get_source


@dataclass(frozen=True)
class Committee:
    name: str  # the official name, with the chamber: "Senate Committee on Foreign Relations"
    page: str  # the committee's hearings page on senate.gov: where a reader finds a meeting


# Every committee the Senate schedule files meetings under: standing, select, special and the
# joint committees the Senate hosts. The pages are each committee's own site's hearings page.
SENATE_COMMITTEES: dict[str, Committee] = {
    "SSAF00": Committee(
        "Senate Committee on Agriculture, Nutrition, and Forestry",
        "https://www.agriculture.senate.gov/hearings",
    ),
    "SSAP00": Committee(
        "Senate Committee on Appropriations", "https://www.appropriations.senate.gov/hearings"
    ),
    "SSAS00": Committee(
        "Senate Committee on Armed Services", "https://www.armed-services.senate.gov/hearings"
    ),
    "SSBK00": Committee(
        "Senate Committee on Banking, Housing, and Urban Affairs",
        "https://www.banking.senate.gov/hearings",
    ),
    "SSBU00": Committee("Senate Committee on the Budget", "https://www.budget.senate.gov/hearings"),
    "SSCM00": Committee(
        "Senate Committee on Commerce, Science, and Transportation",
        "https://www.commerce.senate.gov/hearings",
    ),
    "SSEG00": Committee(
        "Senate Committee on Energy and Natural Resources",
        "https://www.energy.senate.gov/hearings",
    ),
    "SSEV00": Committee(
        "Senate Committee on Environment and Public Works",
        "https://www.epw.senate.gov/public/index.cfm/hearings",
    ),
    "SSFI00": Committee("Senate Committee on Finance", "https://www.finance.senate.gov/hearings"),
    "SSFR00": Committee(
        "Senate Committee on Foreign Relations", "https://www.foreign.senate.gov/hearings"
    ),
    "SSHR00": Committee(
        "Senate Committee on Health, Education, Labor, and Pensions",
        "https://www.help.senate.gov/hearings",
    ),
    "SSGA00": Committee(
        "Senate Committee on Homeland Security and Governmental Affairs",
        "https://www.hsgac.senate.gov/hearings",
    ),
    "SSJU00": Committee(
        "Senate Committee on the Judiciary", "https://www.judiciary.senate.gov/hearings"
    ),
    "SSRA00": Committee(
        "Senate Committee on Rules and Administration", "https://www.rules.senate.gov/hearings"
    ),
    "SSSB00": Committee(
        "Senate Committee on Small Business and Entrepreneurship",
        "https://www.sbc.senate.gov/public/index.cfm/hearings",
    ),
    "SSVA00": Committee(
        "Senate Committee on Veterans' Affairs", "https://www.veterans.senate.gov/hearings"
    ),
    "SLIA00": Committee(
        "Senate Committee on Indian Affairs", "https://www.indian.senate.gov/hearings"
    ),
    "SLIN00": Committee(
        "Senate Select Committee on Intelligence", "https://www.intelligence.senate.gov/hearings"
    ),
    "SLET00": Committee("Senate Select Committee on Ethics", "https://www.ethics.senate.gov"),
    "SPAG00": Committee(
        "Senate Special Committee on Aging", "https://www.aging.senate.gov/hearings"
    ),
    "SCNC00": Committee(
        "Senate Caucus on International Narcotics Control", "https://www.drugcaucus.senate.gov"
    ),
    "JSEC00": Committee(
        "Joint Economic Committee", "https://www.jec.senate.gov/public/index.cfm/hearings-calendar"
    ),
    "JSLC00": Committee("Joint Committee on the Library", "https://www.senate.gov/committees/"),
    "JSPR00": Committee("Joint Committee on Printing", "https://www.senate.gov/committees/"),
    "JSTX00": Committee("Joint Committee on Taxation", "https://www.jct.gov"),
}
# A code the table does not know yet: the Senate's list of its committees is still a page a
# reader can go on from.
SENATE_COMMITTEES_PAGE = "https://www.senate.gov/committees/index.htm"

HELSINKI_SOURCE = "csce"
# How the House Committee Repository names the Helsinki Commission.
_HELSINKI_NAMES = ("commission on security and cooperation in europe", "helsinki commission")


def senate_committee(code: str, printed_name: str = "") -> Committee:
    """The official name and page of the committee (or a subcommittee's parent) of ``code``.

    A code the table does not know keeps the printed short name, with the chamber in front."""
    code = code.strip().upper()
    known = SENATE_COMMITTEES.get(code) or SENATE_COMMITTEES.get(code[:4] + "00")
    if known is not None:
        return known
    return Committee(_senate_name(printed_name.strip()), SENATE_COMMITTEES_PAGE)


def _senate_name(name: str) -> str:
    if not name or name.lower().startswith(("senate", "joint", "commission")):
        return name
    if name.startswith(("Committee", "Subcommittee", "Select", "Special")):
        return f"Senate {name}"
    return f"Senate Committee on {name}"


def is_subcommittee(code: str) -> bool:
    """Whether a Senate or House committee code names a subcommittee (not ``..00``)."""
    code = code.strip()
    return len(code) >= 4 and code[-2:].isdigit() and code[-2:] != "00"


def canonical_commission(name: str, code: str) -> tuple[str, str]:
    """A committee that is one of the crawled commissions takes that commission's name and code:
    the House repository's Helsinki Commission is ``csce``'s commission."""
    if name.strip().lower().startswith(_HELSINKI_NAMES):
        source = get_source(HELSINKI_SOURCE)
        return source.commission, source.commission_code
    return name, code
