//! Population tiers: the sizes of town the place rules compare a town's
//! population with, smallest first. A rule asks for a bigger town the
//! weaker its evidence: a word for a town before the name vouches for a
//! hamlet, a name alone out of context only for a regional city.

/// Any populated place (after a word for a town: в селе Бокино).
pub(crate) const HAMLET: u32 = 1_000;
/// A village or a small town (Prienai has 9,000 people).
pub(crate) const VILLAGE: u32 = 5_000;
/// A small town.
pub(crate) const SMALL_TOWN: u32 = 10_000;
/// A town.
pub(crate) const TOWN: u32 = 15_000;
/// A large town.
pub(crate) const LARGE_TOWN: u32 = 20_000;
/// A small city.
pub(crate) const SMALL_CITY: u32 = 50_000;
/// A city.
pub(crate) const CITY: u32 = 100_000;
/// A large city.
pub(crate) const LARGE_CITY: u32 = 150_000;
/// A regional centre.
pub(crate) const REGIONAL_CITY: u32 = 200_000;
/// A major city.
pub(crate) const MAJOR_CITY: u32 = 300_000;
/// A big city.
pub(crate) const BIG_CITY: u32 = 400_000;
/// A great city (a list of them is not a person's name).
pub(crate) const GREAT_CITY: u32 = 500_000;
/// A city of a million.
pub(crate) const MILLION_CITY: u32 = 1_000_000;
/// A metropolis.
pub(crate) const METROPOLIS: u32 = 2_000_000;
/// A megacity.
pub(crate) const MEGACITY: u32 = 5_000_000;
/// One of the world's largest cities.
pub(crate) const WORLD_CITY: u32 = 6_000_000;
