#!/usr/bin/env python3
"""Generate `langid.bin`, the language-identification tables of repsearch.

Sources (see README.md in this folder for versions, licences and the byte
layout):

* wordfreq 3.1.1 (PyPI), its "small" word-frequency lists: a word table
  (frequent words and their frequency per language) and, derived from the same
  lists, a character 4-gram model of each language.
* whatlang 0.18.0 (crates.io), its trigram profiles, for the engine languages
  that wordfreq does not cover (et, eo, ne, yi; mixed into be), and its
  Cyrillic / Latin alphabets.
* stop-words 0.10.1 (crates.io): NLTK's Belarusian and Nepali and
  stopwords-iso's Estonian and Esperanto stop words, the word tables of those
  languages.
* Serbian (Cyrillic) is wordfreq's Serbo-Croatian ("sh", Latin script) list
  transliterated to Cyrillic; Belarusian's character model comes from the
  Russian list respelt by the regular rules of Belarusian spelling (see
  pseudo_belarusian), Nepali's from the Hindi list, each mixed with whatlang's
  profile of the language.

Usage:  pip install wordfreq==3.1.1
        python3 gen_langid.py [--whatlang-src DIR] [--stop-words-src DIR] [--output FILE]

An output name ending in .zst is compressed with the `zstd` command-line tool
(Debian package zstd).
"""

import argparse
import glob
import json
import math
import os
import re
import struct
import subprocess
import sys
import zlib
from collections import defaultdict

import wordfreq

MAGIC = b"RLID4\n"
SCALE = 8.0
# Scripts in the order of `Script::ALL` (src/detect/script.rs).
SCRIPTS = ["Latin", "Cyrillic", "Greek", "Armenian", "Hebrew", "Arabic", "Devanagari", "Tamil"]
SCRIPT_OF = {
    "ru": "Cyrillic", "uk": "Cyrillic", "be": "Cyrillic", "sr": "Cyrillic", "el": "Greek",
    "hy": "Armenian", "yi": "Hebrew", "ar": "Arabic", "fa": "Arabic", "hi": "Devanagari",
    "ne": "Devanagari", "ta": "Tamil",
}
MAX_ORDER = 4
# Word-table size: lt ru en lv pl uk (the languages the engine must get right), others.
WORDS_CORE = int(os.environ.get("LANGID_WORDS_CORE", 40000))
WORDS_MAIN = int(os.environ.get("LANGID_WORDS_MAIN", 15000))
WORDS_OTHER = int(os.environ.get("LANGID_WORDS_OTHER", 4000))
CORE = {"lt", "ru", "en"}
MAIN = {"lv", "pl", "uk"}
# Weight of a word in the character model: (freq / min_freq) ** ALPHA.
ALPHA = 0.5
# n-grams whose weighted count is below this are dropped (order >= 2).
MIN_COUNT = {n: c * float(os.environ.get("LANGID_PRUNE", 1)) for n, c in {2: 6.0, 3: 10.0, 4: 16.0}.items()}
WB_KAPPA = 1.0
# Frequencies given to stop words (languages without a wordfreq list).
STOP_ZIPF = 0.05
STOP_SHARE = 0.2
# The out-of-vocabulary share of a language is at least 1 - MAX_COVERAGE.
MAX_COVERAGE = 0.95
# Languages without a wordfreq list whose character model starts from a
# related language's list: (that language, weight of whatlang's own profile
# against it). Belarusian respells the Russian words (see pseudo_belarusian).
RELATED = {
    "be": ("ru", 0.3),
    "ne": ("hi", 2.0),
}

# Engine languages in the order of Language::ALL (lang.rs), with their whatlang names.
LANGS = [
    ("lt", "Lit"), ("ru", "Rus"), ("en", "Eng"), ("lv", "Lav"), ("pl", "Pol"),
    ("uk", "Ukr"), ("be", "Bel"), ("de", "Deu"), ("fr", "Fra"), ("es", "Spa"),
    ("it", "Ita"), ("pt", "Por"), ("nl", "Nld"), ("sv", "Swe"), ("da", "Dan"),
    ("nb", "Nob"), ("fi", "Fin"), ("et", "Est"), ("hu", "Hun"), ("ro", "Ron"),
    ("cs", "Ces"), ("sr", "Srp"), ("el", "Ell"), ("tr", "Tur"), ("ca", "Cat"),
    ("id", "Ind"), ("eo", "Epo"), ("hy", "Hye"), ("ar", "Ara"), ("fa", "Pes"),
    ("hi", "Hin"), ("ne", "Nep"), ("ta", "Tam"), ("yi", "Yid"),
]

SH_TO_SR = [
    ("lj", "љ"), ("nj", "њ"), ("dž", "џ"), ("a", "а"), ("b", "б"), ("c", "ц"),
    ("č", "ч"), ("ć", "ћ"), ("d", "д"), ("đ", "ђ"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ј"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
    ("š", "ш"), ("t", "т"), ("u", "у"), ("v", "в"), ("z", "з"), ("ž", "ж"),
]
SR_LATIN = set("abcčćdđefghijklmnoprsštuvzž")


def is_word_char(ch):
    return ch.isalpha() or ch == "'" or 0x300 <= ord(ch) < 0x370 or (
        0x900 <= ord(ch) < 0x980) or (0xB80 <= ord(ch) < 0xC00) or (
        0x591 <= ord(ch) < 0x5C8) or (0x610 <= ord(ch) < 0x61B) or (
        0x64B <= ord(ch) < 0x660)


def clean(word):
    """The word as the engine's tokenizer would see it, or None."""
    word = word.replace("\u2019", "'").lower()
    if not word or not all(is_word_char(ch) for ch in word):
        return None
    if word.startswith("'") or word.endswith("'"):
        return None
    return word


def to_cyrillic(word):
    if not set(word) <= SR_LATIN:
        return None
    out, i = [], 0
    while i < len(word):
        for lat, cyr in SH_TO_SR:
            if word.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
    return "".join(out)


SCRIPT_RANGES = {
    "el": [(0x370, 0x400), (0x1F00, 0x2000)],
    "ar": [(0x600, 0x700), (0x750, 0x780)],
    "fa": [(0x600, 0x700), (0x750, 0x780)],
    "hi": [(0x900, 0x980)],
    "ta": [(0xB80, 0xC00)],
}
# Letters missing from whatlang's alphabets that the languages use today.
EXTRA_LETTERS = {"Ron": "șț", "Tur": "âîû"}


def in_alphabet(word, code, alphabet):
    """Whether every letter of the word belongs to the language's alphabet."""
    if alphabet:
        return all(ch in alphabet or ch == "'" for ch in word)
    ranges = SCRIPT_RANGES.get(code)
    if ranges:
        return all(any(a <= ord(ch) < b for a, b in ranges) for ch in word)
    return True


def wordfreq_list(code, alphabet):
    """(word, frequency) pairs, most frequent first, or None.

    Words with letters outside the language's alphabet (loans, other
    languages' words in the source texts) are dropped, so that letters such as
    ў or ł stay unseen in languages that do not use them.
    """
    src = "sh" if code == "sr" else code
    if src not in wordfreq.available_languages("small"):
        return None
    out = {}
    for word, freq in wordfreq.get_frequency_dict(src, "small").items():
        word = clean(word)
        if word is None:
            continue
        if code == "sr":
            word = to_cyrillic(word)
            if word is None:
                continue
        if not in_alphabet(word, code, alphabet):
            continue
        out[word] = out.get(word, 0.0) + freq
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


RU_VOWELS = set("аеёиоуыэюя")
BE_VOWELS = set("аеёіоуыэюя")
BE_HARD = set("рчшжц")
BE_SOFTENERS = set("еёиюяь")
BE_HARD_VOWEL = {"и": "ы", "е": "э", "ё": "о", "ю": "у", "я": "а", "ь": ""}


def pseudo_belarusian(word):
    """A Russian word respelt with the regular rules of Belarusian spelling.

    wordfreq has no Belarusian list; Belarusian spelling differs from Russian
    by regular, mostly phonetic rules (akanye, hard р ч ш ж ц, soft т д
    becoming ц дз, і for и, ў for non-syllabic в/у, шч for щ, -нне for -ние).
    The respelt words are not real vocabulary, but their letter statistics are
    close to real Belarusian text, which is all the character model needs.
    """
    w = word.replace("щ", "шч").replace("ъ", "'")
    for ru, be in (("ться", "цца"), ("тся", "цца"), ("ние", "нне"), ("ния", "ння"),
                   ("нию", "нню"), ("нием", "ннем"), ("тие", "ццё"), ("тия", "цця"),
                   ("ые", "ыя"), ("ие", "ия")):
        if w.endswith(ru):
            w = w[: -len(ru)] + be
            break
    # Stress is not written; pick one vowel per word (deterministically) as
    # stressed, so that о (kept only under stress) and я (for е just before
    # the stress) get about their real share.
    nvowels = sum(ch in RU_VOWELS for ch in w)
    stressed = zlib.crc32(word.encode()) % nvowels if nvowels else 0
    out = []
    softened = False  # the previous letter is a soft т or д respelt as ц, дз
    vowel = -1
    for i, ch in enumerate(w):
        prev = next((o[-1] for o in reversed(out) if o), "")
        nxt = w[i + 1] if i + 1 < len(w) else ""
        was_softened, softened = softened, False
        if ch in RU_VOWELS:
            vowel += 1
        if was_softened and ch == "и":
            ch = "і"
        elif prev in BE_HARD and ch in BE_HARD_VOWEL and not was_softened:
            ch = BE_HARD_VOWEL[ch]
        elif ch == "и":
            ch = "і"
        elif ch == "т" and nxt in BE_SOFTENERS:
            ch, softened = "ц", True
        elif ch == "д" and nxt in BE_SOFTENERS:
            ch, softened = "дз", True
        elif ch == "о" and vowel != stressed:
            ch = "а"
        elif ch == "е" and vowel == stressed - 1 and prev and prev not in BE_VOWELS:
            ch = "я"
        elif ch == "в" and (not prev or prev in BE_VOWELS) and (not nxt or nxt not in RU_VOWELS):
            ch = "ў" if prev else "у"
        out.append(ch)
    return "".join(out)


def whatlang_profiles(src_dir):
    text = open(os.path.join(src_dir, "src/trigrams/profiles.rs"), encoding="utf-8").read()
    profiles = {}
    for block in re.split(r"\(\s*Lang::", text)[1:]:
        name = block[: block.index(",")]
        tris = re.findall(r"Trigram\('(.|\\')', '(.|\\')', '(.|\\')'\)", block.split("]", 1)[0])
        profiles[name] = ["".join(c.replace("\\'", "'") for c in t) for t in tris]
    return profiles


def word_ngram_counts(words):
    """Weighted n-gram counts {order: {ngram: count}} of padded words."""
    counts = {n: defaultdict(float) for n in range(1, MAX_ORDER + 1)}
    fmin = min(f for _, f in words)
    for word, freq in words:
        w = (freq / fmin) ** ALPHA
        padded = " " + word + " "
        for i in range(1, len(padded)):
            for n in range(1, MAX_ORDER + 1):
                if i - n + 1 < 0:
                    break
                counts[n][padded[i - n + 1 : i + 1]] += w
    return counts


def trigram_profile_counts(trigrams, alphabet):
    """Pseudo counts from a ranked trigram profile (Zipf weights)."""
    counts = {n: defaultdict(float) for n in range(1, 4)}
    for rank, tri in enumerate(trigrams):
        if tri[1] == " " or tri[0] == " " and tri[2] == " ":
            continue
        w = 1000.0 / (rank + 10)
        counts[3][tri] += w
        # the bigram ending the trigram and the unigram ending it
        counts[2][tri[1:]] += w
        counts[1][tri[2:]] += w
        if tri[0] == " ":
            counts[2][tri[:2]] += w
            counts[1][tri[1]] += w
    for ch in alphabet:
        counts[1][ch] += 1.0
    return counts


def witten_bell(counts, max_order):
    """Interpolated Witten-Bell model: (probs {ngram: p}, backoffs {context: weight})."""
    probs, backoffs = {}, {}
    total = sum(counts[1].values())
    vocab = len(counts[1]) + 50
    for g, c in counts[1].items():
        probs[g] = (c + 0.5) / (total + 0.5 * vocab)
    unseen = 0.5 / (total + 0.5 * vocab)
    for n in range(2, max_order + 1):
        ctx_total = defaultdict(float)
        ctx_types = defaultdict(int)
        for g, c in counts[n].items():
            ctx_total[g[:-1]] += c
            ctx_types[g[:-1]] += 1
        for g, c in counts[n].items():
            h = g[:-1]
            if c < MIN_COUNT[n]:
                continue
            lam = ctx_types[h] * WB_KAPPA / (ctx_total[h] + ctx_types[h] * WB_KAPPA)
            lower = lower_prob(probs, g[1:], unseen)
            probs[g] = (c + ctx_types[h] * WB_KAPPA * lower) / (ctx_total[h] + ctx_types[h] * WB_KAPPA)
            backoffs[h] = lam
    return probs, backoffs, unseen


def lower_prob(probs, g, unseen):
    bo = 1.0
    while g:
        if g in probs:
            return bo * probs[g]
        g = g[1:]
    return unseen


def cost(p):
    return min(255, max(0, round(-math.log(p) * SCALE)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_src = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/whatlang-0.18.0")))
    ap.add_argument("--whatlang-src", default=default_src[-1] if default_src else None)
    default_sw = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/stop-words-0.10.1")))
    ap.add_argument("--stop-words-src", default=default_sw[-1] if default_sw else None)
    ap.add_argument("--output", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "langid.bin"))
    args = ap.parse_args()
    profiles = whatlang_profiles(args.whatlang_src)
    alphabets = {}
    for script in ("cyrillic", "latin"):
        src = open(os.path.join(args.whatlang_src, f"src/alphabets/{script}.rs"), encoding="utf-8").read()
        for name, alpha in re.findall(r'const ([A-Z]{3}): &str = "([^"]+)"', src):
            alphabets[name.capitalize()] = alpha + EXTRA_LETTERS.get(name.capitalize(), "")

    models = []  # per language: (probs, backoffs, unseen)
    orders = []
    coverage = []  # per language: share of running text covered by its word table
    words_out = defaultdict(list)
    for idx, (code, wl) in enumerate(LANGS):
        words = wordfreq_list(code, alphabets.get(wl))
        stop = None if words else stopword_list(code, args.stop_words_src)
        covered = 0.0
        for word, freq in stop or []:
            words_out[word].append((idx, cost(freq)))
            covered += freq
        if code in RELATED:
            # Character model from a related language's words (respelt for
            # Belarusian) plus whatlang's profile of the language itself.
            base, share = RELATED[code]
            related = wordfreq_list(base, alphabets.get(dict(LANGS).get(base)))
            if code == "be":
                pseudo = defaultdict(float)
                for word, freq in related:
                    pseudo[pseudo_belarusian(word)] += freq
                related = sorted(pseudo.items(), key=lambda kv: -kv[1])
            counts = word_ngram_counts(related)
            prof = trigram_profile_counts(profiles.get(wl, []), alphabets.get(wl, ""))
            mass = sum(counts[1].values()) / sum(prof[1].values()) * share
            for n, table in prof.items():
                for g, c in table.items():
                    counts[n][g] += c * mass
            order = MAX_ORDER
        elif words:
            counts = word_ngram_counts(words)
            order = MAX_ORDER
            limit = WORDS_CORE if code in CORE else WORDS_MAIN if code in MAIN else WORDS_OTHER
            for word, freq in words[:limit]:
                words_out[word].append((idx, cost(freq)))
                covered += freq
        else:
            counts = trigram_profile_counts(profiles.get(wl, []), alphabets.get(wl, ""))
            order = 3
        probs, backoffs, unseen = witten_bell(counts, order)
        models.append((probs, backoffs, unseen))
        orders.append(order)
        coverage.append(min(covered, MAX_COVERAGE))
        print(f"{code}: {'wordfreq' if words else 'whatlang'} words={len(words or stop or [])} "
              f"coverage={covered:.3f} ngrams={len(probs)} contexts={len(backoffs)}", file=sys.stderr)
    write_binary(args.output, models, orders, coverage, words_out)


def stopword_list(code, src_dir):
    """(word, frequency) pairs from the stop-words crate, or None.

    NLTK's Belarusian and Nepali lists are ordered by frequency: they get
    Zipf frequencies STOP_ZIPF / (rank + 2). The stopwords-iso lists (et, eo)
    are alphabetical: each word gets an equal share of STOP_SHARE.
    """
    nltk = {"be": "belarusian", "ne": "nepali"}
    if code in nltk:
        with open(os.path.join(src_dir, "src/nltk", nltk[code]), encoding="utf-8") as f:
            words = [w.strip() for w in f if w.strip()]
        if code == "be":
            # The list spells some і with the Latin letter i.
            words = [w.replace("i", "і") for w in words]
        ranked = True
    else:
        with open(os.path.join(src_dir, "src/iso/stopwords-iso.json"), encoding="utf-8") as f:
            words = json.load(f).get(code)
        if not words:
            return None
        ranked = False
    out = {}
    for rank, word in enumerate(words):
        word = clean(word)
        if word and word not in out:
            out[word] = STOP_ZIPF / (rank + 2) if ranked else STOP_SHARE / len(words)
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


def write_binary(path, models, orders, coverage, words_out):
    """Writes the tables in the binary layout that src/detect/model.rs reads."""
    ngrams, contexts = defaultdict(list), defaultdict(list)
    for idx, (probs, backoffs, _) in enumerate(models):
        for g, p in probs.items():
            ngrams[g].append((idx, cost(p)))
        for h, b in backoffs.items():
            if cost(b) > 0:
                contexts[h].append((idx, cost(b)))
    out = bytearray(MAGIC)
    out.append(len(LANGS))
    for idx, (code, _) in enumerate(LANGS):
        out.append(len(code))
        out += code.encode()
        out.append(SCRIPTS.index(SCRIPT_OF.get(code, "Latin")))
        out.append(orders[idx])
        out.append(cost(models[idx][2]))
        out.append(cost(1.0 - coverage[idx]))
    for table in (ngrams, contexts):
        keys = sorted(k for k in table if all(ord(ch) <= 0xFFFF for ch in k))
        out += struct.pack("<I", len(keys))
        prev = ""
        for key in keys:
            # Front coding, as for the words below, in 16-bit characters.
            shared = 0
            while shared < min(len(key), len(prev)) and key[shared] == prev[shared]:
                shared += 1
            out.append(shared)
            out.append(len(key) - shared)
            for ch in key[shared:]:
                out += struct.pack("<H", ord(ch))
            write_entries(out, table[key])
            prev = key
    out += struct.pack("<I", len(words_out))
    prev = b""
    for word in sorted(words_out):
        # Front coding: bytes shared with the previous word, then the rest.
        raw = word.encode()
        shared = 0
        while shared < min(len(raw), len(prev), 255) and raw[shared] == prev[shared]:
            shared += 1
        out.append(shared)
        out.append(len(raw) - shared)
        out += raw[shared:]
        write_entries(out, words_out[word])
        prev = raw
    with open(path, "wb") as f:
        f.write(zstd_compress(bytes(out)) if path.endswith(".zst") else bytes(out))
    print(f"{path}: {len(ngrams)} n-grams, {len(contexts)} contexts, {len(words_out)} words, "
          f"{len(out)} bytes before compression", file=sys.stderr)


def write_entries(out, entries):
    out.append(len(entries))
    for i, c in entries:
        out += bytes((i, c))


def zstd_compress(data):
    """Compresses with the zstd command-line tool (Debian package zstd)."""
    return subprocess.run(["zstd", "-19", "-q", "-c"], input=data, check=True,
                          stdout=subprocess.PIPE).stdout


if __name__ == "__main__":
    main()
