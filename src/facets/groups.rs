//! Facet groups: the distinct (countries, cities, year) combinations of the
//! corpus, numbered densely.
//!
//! Every passage of a document carries the same facet values, so the index
//! stores, besides the filterable country/city/year fields, one small number
//! per passage: its group. Counting facets over a result set is then a
//! count of matching passages per group ([`crate::search::matched`]), and
//! each group's values are added once at the end ([`FacetGroups::counts`]).
//! The table of groups is a file in the index generation ([`GROUPS_FILE`]).

use super::{country_to_u64, value_name, Facet, FacetCounts, FacetValue, PerFacet, Year};
use crate::error::{Error, Result};
use crate::gazetteer::CountryCode;
use crate::scratch::{Pool, Reusable};
use crate::segment_cache::PerSegment;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use tantivy::columnar::Column;
use tantivy::SegmentReader;

/// File name of the group table in an index generation.
pub const GROUPS_FILE: &str = "facet-groups.bin";
/// Name of the per-passage group field.
pub const GROUP_FIELD: &str = "facet_group";

const MAGIC: &[u8; 8] = b"RSFGRP01";

/// The facet values of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct GroupValues {
    /// Countries, as [`country_to_u64`] values.
    pub countries: Vec<u64>,
    /// Cities (GeoNames ids).
    pub cities: Vec<u64>,
    /// The year.
    pub year: Option<u64>,
}

impl GroupValues {
    /// The values of a document's facets.
    pub(crate) fn new(
        countries: &[CountryCode],
        cities: &[u32],
        year: Option<Year>,
    ) -> GroupValues {
        GroupValues {
            countries: countries.iter().map(|c| country_to_u64(*c)).collect(),
            cities: cities.iter().map(|c| u64::from(*c)).collect(),
            year: year.map(u64::from),
        }
    }

    /// The group's values of one facet.
    fn of(&self, facet: Facet) -> Vec<u64> {
        match facet {
            Facet::Country => self.countries.clone(),
            Facet::City => self.cities.clone(),
            Facet::Year => self.year.into_iter().collect(),
        }
    }
}

/// The numbered groups of an index; shared by the indexing threads while
/// building (interning), read-only when searching.
#[derive(Debug, Default)]
pub struct FacetGroups {
    groups: Vec<GroupValues>,
    ids: Mutex<HashMap<GroupValues, u64>>,
    pending: Mutex<Vec<GroupValues>>,
    dense: OnceLock<Dense>,
    /// Per segment, the group of every passage (read on first use).
    by_segment: PerSegment<Vec<u32>>,
}

/// The sealed table laid out for counting: the distinct values of the three
/// facets numbered densely in one space (countries, then cities, then
/// years), and each group's values as one slice of those numbers. Counting
/// a result set is then array increments over one slice per group, no
/// hashing.
#[derive(Debug, Default)]
struct Dense {
    /// Dense number → (facet, raw value).
    values: Vec<(Facet, u64)>,
    /// Group `g`'s values are `items[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Dense {
    fn build(groups: &[GroupValues]) -> Dense {
        let mut d = Dense::default();
        let mut number: FxHashMap<(Facet, u64), u32> = FxHashMap::default();
        for f in Facet::ALL {
            for g in groups {
                for v in g.of(f) {
                    number.entry((f, v)).or_insert_with(|| {
                        d.values.push((f, v));
                        (d.values.len() - 1) as u32
                    });
                }
            }
        }
        d.starts.push(0);
        for g in groups {
            for f in Facet::ALL {
                d.items.extend(g.of(f).into_iter().map(|v| number[&(f, v)]));
            }
            d.starts.push(d.items.len() as u32);
        }
        d
    }
}

/// Stands for "no group" in a segment's group array.
const NO_GROUP: u32 = u32::MAX;

impl FacetGroups {
    /// The group number of a combination of values, adding it if new.
    pub(crate) fn intern(&self, values: GroupValues) -> u64 {
        let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(id) = ids.get(&values) {
            return *id;
        }
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let id = (self.groups.len() + pending.len()) as u64;
        pending.push(values.clone());
        ids.insert(values, id);
        id
    }

    /// Number of groups (after [`FacetGroups::seal`]).
    pub(crate) fn len(&self) -> usize {
        self.groups.len()
    }

    /// Moves the groups interned so far into the table.
    pub(crate) fn seal(&mut self) {
        let pending = std::mem::take(self.pending.get_mut().unwrap_or_else(|p| p.into_inner()));
        self.groups.extend(pending);
        self.dense = OnceLock::new();
    }

    /// Builds the counting table now rather than on the first count.
    pub(crate) fn prepare(&self) {
        self.dense();
    }

    /// The table laid out for counting (built on first use, after sealing).
    fn dense(&self) -> &Dense {
        self.dense.get_or_init(|| Dense::build(&self.groups))
    }

    /// The group of every passage of a segment ([`NO_GROUP`] where none),
    /// read from its column once and kept: counting then indexes an array
    /// instead of decoding the column for every matching passage (a
    /// generation's segments never change).
    pub(crate) fn segment_groups(&self, reader: &SegmentReader) -> Arc<Vec<u32>> {
        self.by_segment.get(reader, |reader| {
            let column: Option<Column<u64>> = reader.fast_fields().u64(GROUP_FIELD).ok();
            (0..reader.max_doc())
                .map(|doc| {
                    column
                        .as_ref()
                        .and_then(|c| c.first(doc))
                        .and_then(|g| u32::try_from(g).ok())
                        .unwrap_or(NO_GROUP)
                })
                .collect()
        })
    }

    /// The values of a group.
    pub(crate) fn get(&self, id: u64) -> Option<&GroupValues> {
        self.groups.get(id as usize)
    }

    /// Writes the table (sealed first) to `dir`. The file is replaced, never
    /// rewritten in place: an updated generation shares files with the live
    /// one through hard links.
    pub(crate) fn save(&mut self, dir: &Path) -> Result<()> {
        self.seal();
        let mut out = Vec::with_capacity(16 + self.groups.len() * 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.groups.len() as u64).to_le_bytes());
        for g in &self.groups {
            out.extend_from_slice(&(g.year.unwrap_or(0) as u16).to_le_bytes());
            out.extend_from_slice(&(g.countries.len() as u32).to_le_bytes());
            for c in &g.countries {
                out.extend_from_slice(&(*c as u16).to_le_bytes());
            }
            out.extend_from_slice(&(g.cities.len() as u32).to_le_bytes());
            for c in &g.cities {
                out.extend_from_slice(&(*c as u32).to_le_bytes());
            }
        }
        let path = dir.join(GROUPS_FILE);
        let tmp = dir.join(format!("{GROUPS_FILE}.tmp"));
        std::fs::write(&tmp, out).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }

    /// Reads the table of an index generation.
    pub(crate) fn load(dir: &Path) -> Result<FacetGroups> {
        let path = dir.join(GROUPS_FILE);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let bad = || {
            Error::Damaged(format!(
                "{} is damaged: rebuild the index with `repsearch index`",
                path.display()
            ))
        };
        let mut r = Reader(&bytes);
        if r.take(8).ok_or_else(bad)? != MAGIC {
            return Err(bad());
        }
        let n = r.u64().ok_or_else(bad)? as usize;
        let mut groups = Vec::with_capacity(n.min(bytes.len()));
        let mut ids = HashMap::with_capacity(n.min(bytes.len()));
        for id in 0..n {
            let year = r.u16().ok_or_else(bad)?;
            let nc = r.u32().ok_or_else(bad)? as usize;
            let countries = (0..nc)
                .map(|_| r.u16().map(u64::from))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(bad)?;
            let nci = r.u32().ok_or_else(bad)? as usize;
            let cities = (0..nci)
                .map(|_| r.u32().map(u64::from))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(bad)?;
            let g = GroupValues {
                countries,
                cities,
                year: (year != 0).then_some(u64::from(year)),
            };
            ids.insert(g.clone(), id as u64);
            groups.push(g);
        }
        Ok(FacetGroups {
            groups,
            ids: Mutex::new(ids),
            pending: Mutex::default(),
            dense: OnceLock::new(),
            by_segment: PerSegment::default(),
        })
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// Count arrays a thread keeps for reuse.
const POOLED_COUNT_ARRAYS: usize = 4;
/// Largest count array kept: a table of 2^22 groups.
const COUNT_ARRAY_BYTES: usize = 1 << 24;

thread_local! {
    /// Per-group count arrays, given back by [`FacetGroups::counts`].
    static COUNT_ARRAYS: Pool<Vec<u32>> =
        const { Pool::new(POOLED_COUNT_ARRAYS, COUNT_ARRAY_BYTES) };
}

/// The `top` most frequent values of a count table, most frequent first
/// (ties: the larger year, the smaller code or id).
fn top_values(facet: Facet, mut v: Vec<(u64, u64)>, top: usize) -> Vec<FacetValue> {
    let order = |a: &(u64, u64), b: &(u64, u64)| match facet {
        Facet::Year => b.1.cmp(&a.1).then(b.0.cmp(&a.0)),
        _ => b.1.cmp(&a.1).then(a.0.cmp(&b.0)),
    };
    if v.len() > top && top > 0 {
        v.select_nth_unstable_by(top - 1, order);
        v.truncate(top);
    }
    v.sort_unstable_by(order);
    v.into_iter()
        .take(top)
        .map(|(raw, count)| FacetValue {
            value: value_name(facet, raw),
            count,
            raw,
        })
        .collect()
}

impl FacetCounts {
    /// Counts of several parts of an index (its shards), summed by value,
    /// the `top` most frequent of each facet first, ordered as the counts
    /// of one index are.
    pub(crate) fn sum(parts: Vec<FacetCounts>, top: usize) -> FacetCounts {
        let mut out = FacetCounts::default();
        for f in Facet::ALL {
            let mut total: std::collections::BTreeMap<u64, u64> = Default::default();
            for p in &parts {
                for v in p.get(f) {
                    *total.entry(v.raw).or_default() += v.count;
                }
            }
            *out.get_mut(f) = top_values(f, total.into_iter().collect(), top);
        }
        out
    }
}

impl FacetGroups {
    /// A zeroed array of passages per group: one slot per group and a last
    /// one for passages without a group (reused from query to query).
    pub(crate) fn count_array(&self) -> Vec<u32> {
        let mut v = COUNT_ARRAYS.with(Pool::take);
        v.resize(self.len() + 1, 0);
        v
    }

    /// The `top` most frequent values of each facet over passages counted
    /// per group (an array from [`FacetGroups::count_array`], zeroed and
    /// kept for the next query).
    pub(crate) fn counts(&self, mut per_group: Vec<u32>, top: usize) -> FacetCounts {
        let dense = self.dense();
        let n_groups = self.len();
        let mut tables: PerFacet<Vec<(u64, u64)>> = PerFacet::default();
        per_group.resize(n_groups + 1, 0);
        per_group[n_groups] = 0; // passages without a group
                                 // (a count interrupted by a panic leaves its slots set: the pool
                                 // does not keep its scratch)
        let mut s = SCRATCH.with(Pool::take);
        if s.counts.len() < dense.values.len() {
            s.counts.resize(dense.values.len(), 0);
        }
        // value slots set by this query: tracked one by one when few
        // (a table may hold many cities), else found by one scan of the
        // table, which spares a test per increment; the matched
        // passages bound the groups, hence the slots, they set
        let matched: u64 = per_group[..n_groups].iter().map(|&n| u64::from(n)).sum();
        let scan = matched >= (dense.values.len() / 8) as u64;
        take_matched_groups(&mut per_group[..n_groups], &mut s.groups);
        s.add_group_values(dense, scan);
        s.drain_into(dense, scan, &mut tables);
        SCRATCH.with(|p| p.give(s));
        COUNT_ARRAYS.with(|p| p.give(per_group));
        let mut out = FacetCounts::default();
        for f in Facet::ALL {
            *out.get_mut(f) = top_values(f, std::mem::take(&mut tables[f]), top);
        }
        out
    }
}

/// The groups that matched, with their passages, found by a scan of the
/// per-group array (eight slots tested at once), which is reset on the way.
fn take_matched_groups(per_group: &mut [u32], groups: &mut Vec<(u32, u32)>) {
    groups.clear();
    for (c, chunk) in per_group.chunks_mut(8).enumerate() {
        if chunk.iter().fold(0, |a, &n| a | n) == 0 {
            continue;
        }
        for (i, slot) in chunk.iter_mut().enumerate() {
            if *slot != 0 {
                groups.push(((c * 8 + i) as u32, std::mem::take(slot)));
            }
        }
    }
}

impl Scratch {
    /// Adds the passages of each matched group to its values' slots,
    /// noting the slots set unless the table is to be scanned.
    fn add_group_values(&mut self, dense: &Dense, scan: bool) {
        let (starts, items) = (&dense.starts[..], &dense.items[..]);
        let counts: &mut [u32] = &mut self.counts;
        for &(g, n) in &self.groups {
            let g = g as usize;
            let values = &items[starts[g] as usize..starts[g + 1] as usize];
            if scan {
                for &v in values {
                    counts[v as usize] += n;
                }
            } else {
                for &v in values {
                    let slot = &mut counts[v as usize];
                    if *slot == 0 {
                        self.touched.push(v);
                    }
                    *slot += n;
                }
            }
        }
    }

    /// Moves the counted values into per-facet tables, zeroing their slots.
    fn drain_into(&mut self, dense: &Dense, scan: bool, tables: &mut PerFacet<Vec<(u64, u64)>>) {
        let mut take = |i: usize, c: u32| {
            let (f, raw) = dense.values[i];
            tables[f].push((raw, u64::from(c)));
        };
        if scan {
            for (i, slot) in self.counts.iter_mut().enumerate() {
                if *slot > 0 {
                    take(i, std::mem::take(slot));
                }
            }
        } else {
            for i in self.touched.drain(..) {
                take(i as usize, std::mem::take(&mut self.counts[i as usize]));
            }
        }
    }
}

/// A thread's reusable value counts for [`FacetGroups::counts`]
/// (all zero between calls), sized by the index's distinct facet values:
/// a query with few matches resets only the slots it touched, one with
/// many scans the table once.
#[derive(Default)]
struct Scratch {
    /// Passages per value (a value's count is at most the index's passages).
    counts: Vec<u32>,
    touched: Vec<u32>,
    /// The matched groups and their passages.
    groups: Vec<(u32, u32)>,
}

impl Reusable for Scratch {
    /// Empties the lists; the counts are left zero by every count
    /// (checked in debug builds).
    fn clear(&mut self) {
        debug_assert!(self.counts.iter().all(|&c| c == 0));
        self.touched.clear();
        self.groups.clear();
    }
    fn bytes(&self) -> usize {
        self.counts.bytes() + self.touched.bytes() + self.groups.bytes()
    }
}

/// Largest scratch kept: 2^22 distinct facet values.
const SCRATCH_BYTES: usize = 1 << 24;

thread_local! {
    /// The thread's scratch (one: a count does not re-enter another).
    static SCRATCH: Pool<Scratch> = const { Pool::new(1, SCRATCH_BYTES) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_interned_and_round_trip_through_the_file() {
        let jp = CountryCode::new("JP").unwrap();
        let lt = CountryCode::new("LT").unwrap();
        let mut g = FacetGroups::default();
        let a = g.intern(GroupValues::new(&[lt, jp], &[593116], Some(2018)));
        let b = g.intern(GroupValues::new(&[lt], &[], None));
        assert_eq!(
            g.intern(GroupValues::new(&[lt, jp], &[593116], Some(2018))),
            a
        );
        assert_ne!(a, b);
        let dir = tempfile::tempdir().unwrap();
        g.save(dir.path()).unwrap();
        let back = FacetGroups::load(dir.path()).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back.get(a), g.get(a));
        assert_eq!(back.get(b).unwrap().year, None);
        // a loaded table goes on numbering after its last group
        assert_eq!(back.intern(GroupValues::new(&[jp], &[], None)), 2);
    }

    #[test]
    fn counts_add_each_groups_values_once_per_matched_passage() {
        let jp = CountryCode::new("JP").unwrap();
        let lt = CountryCode::new("LT").unwrap();
        let mut g = FacetGroups::default();
        let a = g.intern(GroupValues::new(&[lt, jp], &[593116], Some(2018)));
        let b = g.intern(GroupValues::new(&[lt], &[], None));
        let c = g.intern(GroupValues::new(&[jp], &[593116, 1850147], Some(2018)));
        g.seal();
        // passages counted per group, as a search hands them over (the
        // last slot: passages without a group); c not matched at first
        let (a, b, c) = (a as usize, b as usize, c as usize);
        let count = |passages: &[(usize, u32)]| {
            let mut per_group = g.count_array();
            for &(group, n) in passages {
                per_group[group] += n;
            }
            g.counts(per_group, 10)
        };
        let counts = count(&[(a, 4), (b, 2), (g.len(), 1)]);
        let raw = |v: &[FacetValue]| v.iter().map(|x| (x.raw, x.count)).collect::<Vec<_>>();
        assert_eq!(
            raw(&counts.country),
            [(country_to_u64(lt), 6), (country_to_u64(jp), 4)]
        );
        assert_eq!(raw(&counts.city), [(593116, 4)]);
        assert_eq!(raw(&counts.year), [(2018, 4)]);
        // the arrays are reused, and were left zeroed
        let counts = count(&[(c, 5)]);
        assert_eq!(raw(&counts.city), [(593116, 5), (1850147, 5)]);
        assert_eq!(raw(&counts.country), [(country_to_u64(jp), 5)]);
        assert!(count(&[]).country.is_empty());
        assert!(g.count_array().iter().all(|&n| n == 0));
    }

    #[test]
    fn a_damaged_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(GROUPS_FILE),
            b"RSFGRP01\x05\0\0\0\0\0\0\0\x01",
        )
        .unwrap();
        let err = FacetGroups::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("rebuild"), "{err}");
    }
}
