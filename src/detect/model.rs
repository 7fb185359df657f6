//! The built-in tables (word frequencies and character n-gram models of
//! every engine language) and the naive-Bayes scorer over them.
//!
//! The tables come from `data/langid/langid.bin`, written by
//! `data/langid/gen_langid.py` (see the README there for the sources and the
//! byte layout). A cost is a negative natural logarithm of a probability,
//! times [`SCALE`], in one byte.
//!
//! At load time the sparse n-gram tables (each n-gram lists only the
//! languages that have seen it) are turned into dense rows per script: for
//! every n-gram, the back-off cost of every language of the script, so that
//! scoring a character is one or two hash look-ups and one row addition.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::script::Script;
use crate::lang::Language;

/// Cost units per nat (a cost byte `q` stands for probability `exp(-q / SCALE)`).
const SCALE: f32 = 8.0;

/// Longest character n-gram of the tables.
const MAX_ORDER: usize = 4;

/// First bytes of the table.
const MAGIC: &[u8] = b"RLID4\n";

/// Multiply-xorshift mixer for keys that are already well spread.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        let x = (n ^ (n >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        self.0 = x ^ (x >> 29);
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Key of a character n-gram or context: its characters, 16 bits each.
fn gram_key(chars: &[char]) -> u64 {
    chars.iter().fold(0u64, |k, &c| {
        let c = u32::from(c);
        (k << 16) | u64::from(c.min(0xFFFF))
    })
}

/// Key of a lower-cased word: FNV-1a over its characters.
fn word_key(chars: &[char]) -> u64 {
    chars.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| {
        (h ^ u64::from(u32::from(c))).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What the tables know about one language.
#[derive(Debug, Clone)]
pub(crate) struct LangModel {
    /// The engine language.
    pub lang: Language,
    /// Its script.
    pub script: Script,
    /// Cost (nats) of leaving the word table: `-ln` of the share of running
    /// text that its words do not cover (0 without a word table).
    pub oov: f32,
    /// Position of the language in its script group.
    pub slot: usize,
}

/// The dense character model of the languages of one script.
pub(crate) struct Group {
    /// Table indices of the languages, in slot order.
    pub members: Vec<usize>,
    /// Row offset (into `rows`) of every n-gram some member has seen.
    ngrams: KeyMap<u32>,
    /// Row offset of the back-off costs of every context.
    contexts: KeyMap<u32>,
    /// Rows of `members.len()` costs each.
    rows: Vec<u8>,
    /// Cost of a character a language has never seen.
    unseen: Vec<u8>,
}

impl Group {
    fn row(&self, offset: u32) -> &[u8] {
        let start = offset as usize;
        &self.rows[start..start + self.members.len()]
    }
}

/// The parsed tables.
pub(crate) struct Tables {
    pub langs: Vec<LangModel>,
    /// One group per script, indexed like [`Script::ALL`] (None: no language).
    pub groups: Vec<Option<Group>>,
    /// (language index, cost) entries of every word in the word table.
    words: KeyMap<(u32, u8)>,
    word_entries: Vec<(u8, u8)>,
}

/// A reader over the decompressed bytes.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| format!("langid table truncated at byte {}", self.pos))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A length-prefixed list of (language index, cost) pairs.
    fn entries(&mut self, nlangs: usize) -> Result<&'a [u8], String> {
        let n = usize::from(self.u8()?);
        let raw = self.take(2 * n)?;
        if raw.chunks(2).any(|e| usize::from(e[0]) >= nlangs) {
            return Err(format!(
                "langid table: bad language index before byte {}",
                self.pos
            ));
        }
        Ok(raw)
    }

    /// A front-coded n-gram of 16-bit characters: the number of characters
    /// shared with `prev`, then the count and the other characters.
    fn gram(&mut self, prev: &[char]) -> Result<Vec<char>, String> {
        let shared = usize::from(self.u8()?);
        let n = usize::from(self.u8()?);
        let mut gram = prev
            .get(..shared)
            .ok_or("langid table: bad n-gram prefix")?
            .to_vec();
        for _ in 0..n {
            let c = self.u16()?;
            gram.push(char::from_u32(u32::from(c)).ok_or("langid table: bad character")?);
        }
        Ok(gram)
    }
}

/// A sparse n-gram table: key → (n-gram, entries).
type Sparse<'a> = Vec<(Vec<char>, &'a [u8])>;

impl Tables {
    /// Parses the generated tables.
    pub(super) fn parse(data: &[u8]) -> Result<Tables, String> {
        let mut r = Reader { data, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("langid table: unknown format".to_string());
        }
        let nlangs = usize::from(r.u8()?);
        let mut langs = Vec::with_capacity(nlangs);
        let mut unseen = Vec::with_capacity(nlangs);
        let mut slots = vec![0usize; Script::ALL.len()];
        for _ in 0..nlangs {
            let len = usize::from(r.u8()?);
            let code = std::str::from_utf8(r.take(len)?).map_err(|e| e.to_string())?;
            let lang = Language::from_code(code)
                .ok_or_else(|| format!("langid table: unknown language {code}"))?;
            let script = *Script::ALL
                .get(usize::from(r.u8()?))
                .ok_or("langid table: bad script")?;
            let _order = r.u8()?;
            unseen.push(r.u8()?);
            let oov = f32::from(r.u8()?) / SCALE;
            let slot = slots[script.index()];
            slots[script.index()] += 1;
            langs.push(LangModel {
                lang,
                script,
                oov,
                slot,
            });
        }
        let mut sparse: [Sparse; 2] = [Vec::new(), Vec::new()];
        for table in &mut sparse {
            let n = r.u32()? as usize;
            table.reserve(n);
            let mut prev = Vec::new();
            for _ in 0..n {
                let gram = r.gram(&prev)?;
                let entries = r.entries(nlangs)?;
                if !gram.is_empty() && gram.len() <= MAX_ORDER {
                    table.push((gram.clone(), entries));
                }
                prev = gram;
            }
        }
        let nwords = r.u32()? as usize;
        let mut words = KeyMap::default();
        words.reserve(nwords);
        let mut word_entries = Vec::new();
        let mut word: Vec<u8> = Vec::new();
        for _ in 0..nwords {
            // Front coding: bytes shared with the previous word, then the rest.
            let shared = usize::from(r.u8()?);
            let len = usize::from(r.u8()?);
            if shared > word.len() {
                return Err("langid table: bad word prefix".to_string());
            }
            word.truncate(shared);
            word.extend_from_slice(r.take(len)?);
            let text = std::str::from_utf8(&word).map_err(|e| format!("langid table: {e}"))?;
            let chars: Vec<char> = text.chars().collect();
            let entries = r.entries(nlangs)?;
            let start = word_entries.len() as u32;
            word_entries.extend(entries.chunks(2).map(|e| (e[0], e[1])));
            words.insert(word_key(&chars), (start, entries.len() as u8 / 2));
        }
        let groups = Script::ALL
            .iter()
            .map(|&script| {
                let members: Vec<usize> =
                    (0..nlangs).filter(|&i| langs[i].script == script).collect();
                (!members.is_empty()).then(|| build_group(&langs, &unseen, members, &sparse))
            })
            .collect();
        Ok(Tables {
            langs,
            groups,
            words,
            word_entries,
        })
    }
}

/// Builds the dense rows of one script group from the sparse tables.
fn build_group(
    langs: &[LangModel],
    unseen: &[u8],
    members: Vec<usize>,
    sparse: &[Sparse; 2],
) -> Group {
    let width = members.len();
    let slot_of = |lang: u8| -> Option<usize> {
        let m = &langs[usize::from(lang)];
        members.contains(&usize::from(lang)).then_some(m.slot)
    };
    let mut group = Group {
        unseen: members.iter().map(|&i| unseen[i]).collect(),
        members: members.clone(),
        ngrams: KeyMap::default(),
        contexts: KeyMap::default(),
        rows: Vec::new(),
    };
    if width < 2 {
        return group;
    }
    // Contexts first: missing = no back-off cost (0).
    for (gram, entries) in &sparse[1] {
        let mut row = vec![0u8; width];
        let mut any = false;
        for e in entries.chunks(2) {
            if let Some(s) = slot_of(e[0]) {
                row[s] = e[1];
                any = true;
            }
        }
        if any {
            group
                .contexts
                .insert(gram_key(gram), group.rows.len() as u32);
            group.rows.extend_from_slice(&row);
        }
    }
    // N-grams by increasing length, so that every suffix row exists already.
    let mut order: Vec<&(Vec<char>, &[u8])> = sparse[0].iter().collect();
    order.sort_by_key(|(g, _)| g.len());
    let mut row = vec![0u8; width];
    let mut have = vec![false; width];
    for (gram, entries) in order {
        have.iter_mut().for_each(|h| *h = false);
        let mut any = false;
        for e in entries.chunks(2) {
            if let Some(s) = slot_of(e[0]) {
                row[s] = e[1];
                have[s] = true;
                any = true;
            }
        }
        if !any {
            continue;
        }
        if have.iter().any(|h| !h) {
            // Back-off cost of the missing languages: context weight plus the
            // cost of the longest shorter suffix that has a row.
            let mut extra = vec![0u32; width];
            let mut k = gram.len();
            let mut base: Option<&[u8]> = None;
            while k > 1 {
                let ctx = &gram[gram.len() - k..gram.len() - 1];
                if let Some(&off) = group.contexts.get(&gram_key(ctx)) {
                    for (x, &b) in extra.iter_mut().zip(group.row(off)) {
                        *x += u32::from(b);
                    }
                }
                k -= 1;
                if let Some(&off) = group.ngrams.get(&gram_key(&gram[gram.len() - k..])) {
                    base = Some(group.row(off));
                    break;
                }
            }
            for s in 0..width {
                if !have[s] {
                    let b = base.map_or(group.unseen[s], |r| r[s]);
                    row[s] = (extra[s] + u32::from(b)).min(255) as u8;
                }
            }
        }
        group.ngrams.insert(gram_key(gram), group.rows.len() as u32);
        group.rows.extend_from_slice(&row);
    }
    group
}

/// Tunable weights of the scorer.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// A word costs at most this many nats more than in its best language,
    /// so that one foreign name cannot outvote a sentence.
    pub word_cap: f32,
    /// Cost (nats) added once per text, per table language; lower favours it.
    pub prior: Vec<f32>,
}

/// Sums the costs of words for the languages of one script.
pub(crate) struct Scorer<'a> {
    tables: &'a Tables,
    group: &'a Group,
    params: &'a Params,
    /// Accumulated cost of the text per group slot.
    pub totals: Vec<f32>,
    padded: Vec<char>,
    sums: Vec<u32>,
    char_cost: Vec<f32>,
}

impl<'a> Scorer<'a> {
    /// A scorer for the languages of `group`.
    pub(super) fn new(tables: &'a Tables, group: &'a Group, params: &'a Params) -> Self {
        let totals = group
            .members
            .iter()
            .map(|&i| params.prior.get(i).copied().unwrap_or(0.0))
            .collect();
        Scorer {
            tables,
            group,
            params,
            totals,
            padded: Vec::with_capacity(32),
            sums: vec![0; group.members.len()],
            char_cost: vec![0.0; group.members.len()],
        }
    }

    /// How far the best language leads the second (cost difference).
    pub(super) fn margin(&self) -> f32 {
        let (mut best, mut second) = (f32::INFINITY, f32::INFINITY);
        for &t in &self.totals {
            if t < best {
                second = best;
                best = t;
            } else if t < second {
                second = t;
            }
        }
        second - best
    }

    /// The cost of one lower-cased word in every language of the group, by
    /// slot, before [`Scorer::add_cost`] caps it: a function of the word and
    /// the tables only.
    pub(super) fn word_cost(&mut self, word: &[char]) -> &[f32] {
        let g = self.group;
        self.padded.clear();
        self.padded.push(' ');
        self.padded.extend_from_slice(word);
        self.padded.push(' ');
        // Integer sums of cost bytes: exact and quick.
        let sums = &mut self.sums;
        sums.iter_mut().for_each(|s| *s = 0);
        for i in 1..self.padded.len() {
            let mut k = MAX_ORDER.min(i + 1);
            loop {
                let gram = &self.padded[i + 1 - k..=i];
                if let Some(&off) = g.ngrams.get(&gram_key(gram)) {
                    add_row(sums, g.row(off));
                    break;
                }
                if k == 1 {
                    add_row(sums, &g.unseen);
                    break;
                }
                if let Some(&off) = g.contexts.get(&gram_key(&gram[..k - 1])) {
                    add_row(sums, g.row(off));
                }
                k -= 1;
            }
        }
        // Word cost: mixture of the word table and the character model,
        // -ln(f(word) + (1 - coverage) * P_char(word)).
        for (s, &i) in g.members.iter().enumerate() {
            self.char_cost[s] = sums[s] as f32 / SCALE + self.tables.langs[i].oov;
        }
        if let Some(&(start, len)) = self.tables.words.get(&word_key(word)) {
            let entries =
                &self.tables.word_entries[start as usize..start as usize + usize::from(len)];
            for &(lang, cost) in entries {
                let m = &self.tables.langs[usize::from(lang)];
                if m.script == self.tables.langs[g.members[0]].script {
                    let a = f32::from(cost) / SCALE;
                    let b = self.char_cost[m.slot];
                    self.char_cost[m.slot] = a.min(b) - (-(a - b).abs()).exp().ln_1p();
                }
            }
        }
        &self.char_cost
    }

    /// Adds the cost of a word (from [`Scorer::word_cost`]) to the totals,
    /// at most [`Params::word_cap`] above its cost in its best language.
    pub(super) fn add_cost(&mut self, cost: &[f32]) {
        let best = cost.iter().copied().fold(f32::INFINITY, f32::min);
        let cap = best + self.params.word_cap;
        for (total, &w) in self.totals.iter_mut().zip(cost) {
            *total += w.min(cap);
        }
    }
}

fn add_row(sums: &mut [u32], row: &[u8]) {
    for (s, &c) in sums.iter_mut().zip(row) {
        *s += u32::from(c);
    }
}
