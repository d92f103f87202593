//! The judgement of presence (Wen et al.'s close contact, public health guidance's High / Low,
//! Song et al.'s place-based exposure and logistic probability), on stays.
//!
//! For each of the case's stays inside its window (and in a block up to the result's `as_of`),
//! every other owner's stay that overlaps it in time is judged:
//! - **Close contact**: both stays come from precise sources
//!   ([`Source::is_precise`](epichain_primitives::csi::Source::is_precise)) and their
//!   cells' centres are within the close-contact distance.
//! - **Venue co-presence**: either stay comes from a place-level source (a Wi-Fi access point, a
//!   venue check-in, a gate, a cell tower, a diary): its cell is the place, not the person, so
//!   the two count as co-present when their cells agree to `venue_precision` characters, and
//!   the probability assumes `venue_distance_cm`. A precise stay beside a place-level one is
//!   judged by this rule too: the place-level stay cannot say more.
//!
//! The overlap is the time both were there. An owner's contact on a day is the **union** of
//! its overlaps with the case (never counted twice): **High** when the close-contact part
//! reaches `min_duration_secs` or the whole reaches `venue_min_duration_secs`, **Low**
//! otherwise. The probability uses the contact's minutes, the overlaps' mean distance
//! (weighted by length) and the surface of the registered place where most of it happened.
//!
//! **Place-based (indirect) exposure** (Song et al.): when the case stayed at a registered
//! location, anyone present there after the case left, within the survival time of the place's
//! surface material (`survival_secs`), is exposed at [`RiskLevel::Indirect`]. Its probability
//! falls with the time between the case leaving and the person arriving. Places nobody
//! registered give no place-based exposure: the chain knows neither their surface nor whether
//! they are indoors. A person with both a direct and an indirect exposure on one day gets one
//! exposure at the direct level, with the higher probability.
//!
//! Every registered location the case was in during the window is listed, at the location's
//! own precision (a venue registered at 9 characters as such, its 7-character block too if
//! that is registered), as visited before or after the endorsement.
//!
//! The judgement depends only on the index's contents and its inputs, and its output is sorted,
//! so two enclaves holding the same chain state sign identical results.

use std::collections::{BTreeMap, BTreeSet};

use epichain_primitives::{
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::{Exposure, InfectedCell, RiskLevel, RiskParams, SurfaceMaterial},
	pseudonym::Pseudonym,
	traits::InfectionSource,
	DayIndex,
};

use crate::index::{distance_m, Index, IndexedStay, INDEX_PRECISION, METRES_PER_DEGREE};

/// What the judgement found for one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
	/// Exposed person-days, sorted by (day, fingerprint).
	pub exposures: Vec<Exposure>,
	/// For each exposure (same order), what the exposed person's own report shows.
	pub details: Vec<ContactDetail>,
	/// Registered cells the case visited, sorted, each with the last day it was there.
	pub cells: Vec<InfectedCell>,
}

/// Registered locations' surface materials by cell (any precision the locations pallet allows).
pub type Materials = std::collections::HashMap<Geohash, SurfaceMaterial>;

/// Every registered location's cell. Only these can become Infected, so a result names no other
/// cell: a case's unregistered whereabouts never reach a block.
pub type Registered = std::collections::HashSet<Geohash>;

/// Active cases' pseudonym-days (day, fingerprint) at the judging block. A result never
/// names them: joined with the case's endorsement, such a notification would say which case
/// exposed which.
pub type Cases = std::collections::HashSet<(DayIndex, [u8; 16])>;

/// The material of the most specific registered location holding `cell` (`Unknown` if none).
pub fn material_at(materials: &Materials, cell: &Geohash) -> SurfaceMaterial {
	if materials.is_empty() {
		return SurfaceMaterial::Unknown;
	}
	(1..=cell.len())
		.rev()
		.find_map(|p| materials.get(&cell.truncate(p)).copied())
		.unwrap_or(SurfaceMaterial::Unknown)
}

/// The most specific registered location holding `cell`, if any.
pub fn registered_place(registered: &Registered, cell: &Geohash) -> Option<Geohash> {
	(1..=cell.len()).rev().map(|p| cell.truncate(p)).find(|c| registered.contains(c))
}

/// How an exposure was judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
	/// Within the close-contact distance, both located precisely.
	Close,
	/// At the same place as the case (some of the contact judged by the venue rule).
	Venue,
	/// At a place after the case left it (place-based exposure).
	Indirect,
}

/// The measured contact behind one exposure (for the exposed person's pull query only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactDetail {
	/// How it was judged.
	pub kind: ContactKind,
	/// Minutes together with the case (the union of the overlaps), or for a place-based
	/// exposure the minutes present while the virus could survive there.
	pub minutes: u32,
	/// Mean distance of the overlaps, in centimetres (0 for a place-based exposure).
	pub mean_distance_cm: u32,
	/// The surface of the place where most of the contact happened.
	pub material: SurfaceMaterial,
	/// For a place-based exposure: minutes between the case leaving and the person arriving.
	pub minutes_after_case: u32,
}

impl Judgement {
	/// This judgement without the exposures of `cases`' pseudonym-days.
	pub fn without_cases(mut self, cases: &Cases) -> Judgement {
		if cases.is_empty() {
			return self;
		}
		(self.exposures, self.details) = self
			.exposures
			.iter()
			.zip(&self.details)
			.filter(|(e, _)| !cases.contains(&(e.day, e.fingerprint)))
			.map(|(e, d)| (*e, *d))
			.unzip();
		self
	}

	/// What this judgement adds to `earlier` (a judgement of the same case at an earlier
	/// block): exposures that are new or whose risk or probability changed, and cells not
	/// listed before. Both inputs are sorted, and so is the output.
	pub fn since(&self, earlier: &Judgement) -> Judgement {
		let known: BTreeMap<(DayIndex, [u8; 16]), &Exposure> =
			earlier.exposures.iter().map(|e| ((e.day, e.fingerprint), e)).collect();
		let (exposures, details) = self
			.exposures
			.iter()
			.zip(&self.details)
			.filter(|(e, _)| known.get(&(e.day, e.fingerprint)).is_none_or(|k| *k != *e))
			.map(|(e, d)| (*e, *d))
			.unzip();
		// A cell is new, or the case's last visit there is later than reported (a late upload).
		let old_cells: BTreeMap<Geohash, DayIndex> =
			earlier.cells.iter().map(|c| (c.cell, c.day)).collect();
		let cells = self
			.cells
			.iter()
			.filter(|c| old_cells.get(&c.cell).is_none_or(|day| *day < c.day))
			.copied()
			.collect();
		Judgement { exposures, details, cells }
	}
}

/// A case as the judgement needs it.
pub struct Case<'a> {
	/// The infectious window.
	pub window: DayWindow,
	/// The case's pseudonyms by day.
	pub pseudonyms: &'a [(DayIndex, Pseudonym)],
	/// Unix second of the endorsement (visits after it infect as `VisitAfterEndorsement`).
	pub endorsed_at: u64,
	/// Only stays that arrived in this block or before count (the result's `as_of`).
	pub up_to: u32,
	/// The case's own stays count only if they arrived in this block or before (the
	/// endorsement's): no locator can add whereabouts to a case after it is endorsed.
	pub frozen_at: u32,
	/// Surface materials of registered locations.
	pub materials: &'a Materials,
	/// Registered locations: the only cells a judgement reports, and the only places of
	/// place-based exposure.
	pub registered: &'a Registered,
}

/// Judges `case` against everything in `index` under `params`; the cells reported are the
/// registered locations the case was in, each at its own precision.
pub fn judge(index: &Index, case: &Case, params: &RiskParams) -> Judgement {
	let case_owners: BTreeSet<u32> =
		case.pseudonyms.iter().filter_map(|(_, p)| index.owner_id(p)).collect();
	let stays: Vec<IndexedStay> = case
		.pseudonyms
		.iter()
		.filter(|(day, _)| case.window.contains(*day))
		.flat_map(|(_, p)| index.stays_of(p))
		.filter(|s| s.block <= case.up_to.min(case.frozen_at))
		.filter(|s| case.window.contains(epichain_primitives::day_of_secs(s.start)))
		.collect();
	// The case's stays are independent: scan them on every core, then merge. Everything found
	// is sorted before it is summed, so the result is the same on any machine.
	let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
	let chunk = stays.len().div_ceil(threads).max(1);
	let scans: Vec<Scan> = std::thread::scope(|s| {
		let handles: Vec<_> = stays
			.chunks(chunk)
			.map(|part| s.spawn(|| scan(index, part, &case_owners, case, params)))
			.collect();
		handles.into_iter().map(|h| h.join().expect("a scan does not panic")).collect()
	});
	let mut total = Scan::default();
	for part in scans {
		total.merge(part);
	}
	let mut people: BTreeMap<(DayIndex, u32), (Vec<Overlap>, Vec<Later>)> = BTreeMap::new();
	for (key, overlaps) in total.direct {
		people.entry(key).or_default().0 = overlaps;
	}
	for (key, later) in total.indirect {
		people.entry(key).or_default().1 = later;
	}
	let mut exposures: Vec<(Exposure, ContactDetail)> = people
		.into_iter()
		.map(|((day, owner), (mut overlaps, mut later))| {
			overlaps.sort_by(Overlap::order);
			later.sort_by_key(|l| (l.lag_secs, l.present_secs, l.material as u8));
			let (risk, probability_ppm, detail) = assess(params, &overlaps, &later);
			let exposure =
				Exposure { fingerprint: index.fingerprint_of(owner), day, risk, probability_ppm };
			(exposure, detail)
		})
		.collect();
	exposures.sort_by_key(|(e, _)| (e.day, e.fingerprint));
	let (exposures, details) = exposures.into_iter().unzip();
	Judgement {
		exposures,
		details,
		cells: total
			.cells
			.into_iter()
			.map(|(cell, (source, day))| InfectedCell { cell, source, day })
			.collect(),
	}
}

/// The level, probability and detail of one person-day from its overlaps with the case and
/// its place-based presences (both sorted).
fn assess(
	params: &RiskParams,
	overlaps: &[Overlap],
	later: &[Later],
) -> (RiskLevel, u32, ContactDetail) {
	let indirect = later
		.iter()
		.map(|l| {
			let minutes = minutes(l.present_secs);
			let lag = l.lag_secs.min(u32::MAX as u64) as u32;
			(params.indirect_probability_ppm(minutes, lag, l.material), minutes, l)
		})
		.max_by_key(|(p, _, l)| (*p, core::cmp::Reverse(l.lag_secs)));
	if overlaps.is_empty() {
		let (p, minutes, l) = indirect.expect("a person-day has an overlap or a later presence");
		let detail = ContactDetail {
			kind: ContactKind::Indirect,
			minutes,
			mean_distance_cm: 0,
			material: l.material,
			minutes_after_case: (l.lag_secs / 60).min(u32::MAX as u64) as u32,
		};
		return (RiskLevel::Indirect, p, detail);
	}
	let together = union_secs(overlaps.iter());
	let close = union_secs(overlaps.iter().filter(|o| !o.venue));
	let risk = if close >= params.min_duration_secs as u64
		|| together >= params.venue_min_duration_secs as u64
	{
		RiskLevel::High
	} else {
		RiskLevel::Low
	};
	// Each overlap weighs by its length (plus one second, so moments count too).
	let weight = |o: &Overlap| (o.to - o.from + 1) as f64;
	let total_weight: f64 = overlaps.iter().map(weight).sum();
	let mean_m = overlaps.iter().map(|o| o.distance_m * weight(o)).sum::<f64>() / total_weight;
	let mut by_material = [0u64; 8];
	for o in overlaps {
		by_material[o.material as usize] += o.to - o.from + 1;
	}
	let material = overlaps
		.iter()
		.map(|o| o.material)
		.max_by_key(|m| (by_material[*m as usize], core::cmp::Reverse(*m as u8)))
		.unwrap_or(SurfaceMaterial::Unknown);
	let n = minutes(together);
	let mut p = params.probability_ppm(n, (mean_m * 1_000.0).round() as u32, material);
	if let Some((q, _, _)) = indirect {
		p = p.max(q);
	}
	let kind =
		if overlaps.iter().any(|o| o.venue) { ContactKind::Venue } else { ContactKind::Close };
	let detail = ContactDetail {
		kind,
		minutes: n,
		mean_distance_cm: (mean_m * 100.0).round() as u32,
		material,
		minutes_after_case: 0,
	};
	(risk, p, detail)
}

/// Whole minutes of `secs`, rounded to the nearest.
fn minutes(secs: u64) -> u32 {
	((secs + 30) / 60).min(u32::MAX as u64) as u32
}

/// The length of the union of closed intervals (sorted by start), in seconds.
fn union_secs<'a>(overlaps: impl Iterator<Item = &'a Overlap>) -> u64 {
	let mut total = 0;
	let mut current: Option<(u64, u64)> = None;
	for o in overlaps {
		current = match current {
			Some((from, to)) if o.from <= to => Some((from, to.max(o.to))),
			Some((from, to)) => {
				total += to - from;
				Some((o.from, o.to))
			},
			None => Some((o.from, o.to)),
		};
	}
	total + current.map_or(0, |(from, to)| to - from)
}

/// Time an owner spent with the case: both present from `from` to `to` (inclusive).
#[derive(Clone, Copy, Debug)]
struct Overlap {
	from: u64,
	to: u64,
	/// The judged (close) or assumed (venue) distance.
	distance_m: f64,
	/// Judged by the venue rule.
	venue: bool,
	/// The surface of the registered place where the case was.
	material: SurfaceMaterial,
}

impl Overlap {
	fn order(a: &Overlap, b: &Overlap) -> core::cmp::Ordering {
		let key = |o: &Overlap| (o.from, o.to, o.venue, o.distance_m.to_bits(), o.material as u8);
		key(a).cmp(&key(b))
	}
}

/// Presence at a registered place after the case left it.
#[derive(Clone, Copy, Debug)]
struct Later {
	/// Seconds present within the survival time.
	present_secs: u64,
	/// Seconds between the case leaving and the person arriving.
	lag_secs: u64,
	/// The place's surface.
	material: SurfaceMaterial,
}

/// What a scan of some of the case's stays found.
#[derive(Default)]
struct Scan {
	/// (day of the other's stay, other's owner id) -> overlaps with the case.
	direct: BTreeMap<(DayIndex, u32), Vec<Overlap>>,
	/// (day of the other's stay, other's owner id) -> presences after the case left.
	indirect: BTreeMap<(DayIndex, u32), Vec<Later>>,
	/// Cells visited: before the endorsement winning over after, and the last day.
	cells: BTreeMap<Geohash, (InfectionSource, DayIndex)>,
}

impl Scan {
	fn visit(&mut self, cell: Geohash, source: InfectionSource, day: DayIndex) {
		self.cells
			.entry(cell)
			.and_modify(|(s, d)| {
				if source == InfectionSource::VisitBeforeEndorsement {
					*s = source
				}
				*d = (*d).max(day);
			})
			.or_insert((source, day));
	}

	fn merge(&mut self, other: Scan) {
		for (key, overlaps) in other.direct {
			self.direct.entry(key).or_default().extend(overlaps);
		}
		for (key, later) in other.indirect {
			self.indirect.entry(key).or_default().extend(later);
		}
		for (cell, (source, day)) in other.cells {
			self.visit(cell, source, day);
		}
	}
}

/// The index cells (at [`INDEX_PRECISION`]) that hold every stay inside `place`.
fn cells_of_place(place: &Geohash) -> Vec<u64> {
	if place.len() >= INDEX_PRECISION {
		return vec![place.truncate(INDEX_PRECISION).to_bits()];
	}
	let extra = 5 * (INDEX_PRECISION - place.len()) as u32;
	let base = place.to_bits() << extra;
	(0..1u64 << extra).map(|i| base | i).collect()
}

fn scan(
	index: &Index,
	stays: &[IndexedStay],
	case_owners: &BTreeSet<u32>,
	case: &Case,
	params: &RiskParams,
) -> Scan {
	let max_m = params.distance_cm as f64 / 100.0;
	let venue_m = params.venue_distance_cm as f64 / 100.0;
	let venue_precision = params.venue_precision as usize;
	let bound = (max_m * 1.01 + 0.01).powi(2);
	let mut found = Scan::default();
	let mut areas: rustc_hash::FxHashMap<Geohash, Vec<u64>> = Default::default();
	for stay in stays {
		let source = if stay.start < case.endorsed_at {
			InfectionSource::VisitBeforeEndorsement
		} else {
			InfectionSource::VisitAfterEndorsement
		};
		for precision in 1..=stay.cell.len() {
			let cell = stay.cell.truncate(precision);
			if case.registered.contains(&cell) {
				found.visit(cell, source, epichain_primitives::day_of_secs(stay.start));
			}
		}
		let material = material_at(case.materials, &stay.cell);
		let area = areas
			.entry(stay.cell.truncate(INDEX_PRECISION))
			.or_insert_with(|| Index::area(&stay.cell));
		let venue_cell = stay.cell.truncate(venue_precision);
		// A flat-earth bound rejects most candidates before the haversine.
		let metres_per_lon = METRES_PER_DEGREE * stay.lat.to_radians().cos();
		for other in index.present(area, stay.start, stay.end) {
			if other.block > case.up_to || case_owners.contains(&other.owner) {
				continue;
			}
			let (from, to) = (stay.start.max(other.start), stay.end.min(other.end));
			let overlap = if stay.source.is_precise() && other.source.is_precise() {
				let (dy, dx) = (
					(other.lat - stay.lat) * METRES_PER_DEGREE,
					(other.lon - stay.lon) * metres_per_lon,
				);
				if dy * dy + dx * dx > bound {
					continue;
				}
				let d = distance_m(stay, &other);
				if d > max_m {
					continue;
				}
				Overlap { from, to, distance_m: d, venue: false, material }
			} else if other.cell.truncate(venue_precision) == venue_cell {
				Overlap { from, to, distance_m: venue_m, venue: true, material }
			} else {
				continue;
			};
			found
				.direct
				.entry((epichain_primitives::day_of_secs(other.start), other.owner))
				.or_default()
				.push(overlap);
		}
		// Place-based exposure: presence at the registered place after the case left.
		let Some(place) = registered_place(case.registered, &stay.cell) else { continue };
		let survival = params.survival_of(material) as u64;
		if survival == 0 {
			continue;
		}
		let (from, to) = (stay.end + 1, stay.end + survival);
		for other in index.present(&cells_of_place(&place), from, to) {
			if other.block > case.up_to
				|| case_owners.contains(&other.owner)
				|| !other.cell.is_within(place.as_bytes())
			{
				continue;
			}
			let (arrived, left) = (other.start.max(from), other.end.min(to));
			found
				.indirect
				.entry((epichain_primitives::day_of_secs(other.start), other.owner))
				.or_default()
				.push(Later {
					present_secs: left - arrived,
					lag_secs: arrived - stay.end,
					material,
				});
		}
	}
	found
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::{
		csi::{EntryPlain, Source, Stay},
		geohash,
		pseudonym::fingerprint,
	};

	/// 2026-11-21T09:00:00Z, day 20778.
	const T: u64 = 1_795_251_600;
	const DAY: DayIndex = 20_778;
	const CASE: Pseudonym = [1; 32];

	/// The 9-character cell at (lat, lon).
	fn at(lat: f64, lon: f64) -> Geohash {
		geohash::encode(lat, lon, 9).unwrap()
	}

	/// `owner` located by satellite at `cell` for `minutes` from `start`.
	fn stay(owner: Pseudonym, cell: Geohash, start: u64, minutes: u64) -> EntryPlain {
		at_place(owner, cell, start, start + 60 * minutes, Source::Gnss)
	}

	/// `owner` at `cell` from `start` to `end`, as `source` saw it.
	fn at_place(
		owner: Pseudonym,
		cell: Geohash,
		start: u64,
		end: u64,
		source: Source,
	) -> EntryPlain {
		EntryPlain { owner, stays: vec![Stay { start, end, geohash: cell, source }] }
	}

	fn of(j: &Judgement, p: Pseudonym) -> Option<(Exposure, ContactDetail)> {
		let i = j.exposures.iter().position(|e| e.fingerprint == fingerprint(&p))?;
		Some((j.exposures[i], j.details[i]))
	}

	static NO_MATERIALS: std::sync::LazyLock<Materials> = std::sync::LazyLock::new(Materials::new);

	/// The cafe and the shop of these tests are registered places.
	static REGISTERED: std::sync::LazyLock<Registered> = std::sync::LazyLock::new(|| {
		[at(35.6581, 139.7017).truncate(7), at(35.6600, 139.7000).truncate(7)].into()
	});

	fn case() -> Case<'static> {
		static PSEUDONYMS: [(DayIndex, Pseudonym); 1] = [(DAY, CASE)];
		Case {
			window: DayWindow { first: DAY - 2, last: DAY },
			pseudonyms: &PSEUDONYMS,
			endorsed_at: T + 3_600,
			up_to: u32::MAX,
			frozen_at: u32::MAX,
			materials: &NO_MATERIALS,
			registered: &REGISTERED,
		}
	}

	fn judge_with(entries: &[EntryPlain]) -> Judgement {
		let mut index = Index::new();
		for e in entries {
			index.insert(e, 1);
		}
		judge(&index, &case(), &RiskParams::default())
	}

	/// A cell next to `cell`'s centre: the 9-character cell `metres` east of it.
	fn east_of(cell: Geohash, metres: f64) -> Geohash {
		let c = geohash::decode(cell.as_bytes()).unwrap();
		let dlon = metres / (111_320.0 * c.lat.to_radians().cos());
		at(c.lat, c.lon + dlon)
	}

	#[test]
	fn the_surface_of_the_registered_place_weighs_the_probability() {
		let cafe = at(35.6581, 139.7017);
		let entries = [stay(CASE, cafe, T, 30), stay([2; 32], cafe, T, 20)];
		let mut index = Index::new();
		for e in &entries {
			index.insert(e, 1);
		}
		let params = RiskParams::default();
		// The cafe is registered at 7 characters with plastic surfaces; the 9-character stay
		// cell lies inside it.
		let materials: Materials = [(cafe.truncate(7), SurfaceMaterial::Plastic)].into();
		let plastic = judge(&index, &Case { materials: &materials, ..case() }, &params);
		let unknown = judge(&index, &case(), &params);
		assert_eq!(plastic.details[0].material, SurfaceMaterial::Plastic);
		assert_eq!(
			plastic.exposures[0].probability_ppm,
			params.probability_ppm(20, 0, SurfaceMaterial::Plastic)
		);
		assert_eq!(
			unknown.exposures[0].probability_ppm,
			params.probability_ppm(20, 0, SurfaceMaterial::Unknown)
		);
		assert!(plastic.exposures[0].probability_ppm > unknown.exposures[0].probability_ppm);
		// A more specific registration wins.
		let copper: Materials = [
			(cafe.truncate(7), SurfaceMaterial::Plastic),
			(cafe.truncate(9), SurfaceMaterial::Copper),
		]
		.into();
		assert_eq!(material_at(&copper, &cafe), SurfaceMaterial::Copper);
		assert_eq!(material_at(&copper, &at(0.0, 0.0)), SurfaceMaterial::Unknown);
	}

	#[test]
	fn fifteen_minutes_in_the_same_cell_is_high_fourteen_is_low() {
		let cafe = at(35.6581, 139.7017);
		let j = judge_with(&[
			stay(CASE, cafe, T, 30),
			stay([2; 32], cafe, T, 15),
			stay([3; 32], cafe, T + 600, 14),
		]);
		assert_eq!(j.exposures.len(), 2);
		let (two, three) = (of(&j, [2; 32]).unwrap().0, of(&j, [3; 32]).unwrap().0);
		assert_eq!((two.risk, two.day), (RiskLevel::High, DAY));
		assert_eq!(three.risk, RiskLevel::Low);
		assert!(two.probability_ppm > three.probability_ppm);
		assert_eq!(
			j.cells,
			vec![InfectedCell {
				cell: cafe.truncate(7),
				source: InfectionSource::VisitBeforeEndorsement,
				day: DAY,
			}]
		);
	}

	#[test]
	fn distance_is_judged_between_cell_centres_at_the_csi_resolution() {
		let cafe = at(35.6581, 139.7017);
		// The next 9-character cell east is about 4 m away, beyond 2 m: not a contact.
		let next = east_of(cafe, 4.0);
		assert_ne!(next, cafe);
		let j = judge_with(&[stay(CASE, cafe, T, 20), stay([2; 32], next, T, 20)]);
		assert!(j.exposures.is_empty());
		// With the distance raised to 5 m it is one.
		let mut index = Index::new();
		index.insert(&stay(CASE, cafe, T, 20), 1);
		index.insert(&stay([2; 32], next, T, 20), 1);
		let params = RiskParams { distance_cm: 500, ..RiskParams::default() };
		let j = judge(&index, &case(), &params);
		assert_eq!(j.exposures.len(), 1);
		assert_eq!(j.exposures[0].risk, RiskLevel::High);
	}

	#[test]
	fn contacts_are_found_across_an_index_cell_border() {
		// Two stays 4 m apart on either side of a 7-character cell border, with a 5 m rule.
		let west = at(35.658_1, 139.701_7);
		let border = geohash::decode(west.truncate(7).as_bytes()).unwrap();
		let a = at(35.658_1, border.lon + border.lon_err - 0.000_02);
		let b = east_of(a, 4.0);
		assert_ne!(a.truncate(7), b.truncate(7), "the two stays straddle the border");
		let mut index = Index::new();
		index.insert(&stay(CASE, a, T, 16), 1);
		index.insert(&stay([2; 32], b, T, 16), 1);
		let params = RiskParams { distance_cm: 500, ..RiskParams::default() };
		let j = judge(&index, &case(), &params);
		assert_eq!(j.exposures.len(), 1);
		assert_eq!(j.exposures[0].risk, RiskLevel::High);
	}

	#[test]
	fn time_must_overlap_and_the_window_bounds_the_case() {
		let cafe = at(35.6581, 139.7017);
		// Same open-air cell (no registered place), an hour later: no contact.
		let street = at(35.6700, 139.7100);
		assert!(judge_with(&[stay(CASE, street, T, 20), stay([2; 32], street, T + 3_600, 20)])
			.exposures
			.is_empty());
		// The case's stays outside its window are ignored.
		let before = T - 3 * 86_400;
		let j = judge_with(&[stay(CASE, cafe, before, 20), stay([2; 32], cafe, before, 20)]);
		assert!(j.exposures.is_empty() && j.cells.is_empty());
	}

	/// A result names registered places only: the case's other whereabouts (here a park that
	/// nobody registered) would otherwise reach a block in the clear, though the chain could
	/// never mark them Infected.
	#[test]
	fn only_registered_places_are_reported() {
		let (cafe, park) = (at(35.6581, 139.7017), at(35.6700, 139.7100));
		let j = judge_with(&[stay(CASE, cafe, T, 10), stay(CASE, park, T + 7_200, 10)]);
		let cells: Vec<Geohash> = j.cells.iter().map(|c| c.cell).collect();
		assert_eq!(cells, vec![cafe.truncate(7)]);
		assert!(!REGISTERED.contains(&park.truncate(7)));
	}

	/// A place is Infected from the case's visit: the cell names the last day the case was
	/// there, and a later visit (a late upload) is reported again in a later round.
	#[test]
	fn a_cell_names_the_last_day_the_case_was_there_and_a_later_visit_is_new() {
		let cafe = at(35.6581, 139.7017);
		let mut index = Index::new();
		index.insert(&stay(CASE, cafe, T - 86_400, 10), 1);
		index.insert(&stay(CASE, cafe, T - 2 * 86_400, 10), 1);
		let first = judge(&index, &case(), &RiskParams::default());
		let days = |j: &Judgement| j.cells.iter().map(|c| (c.cell, c.day)).collect::<Vec<_>>();
		assert_eq!(days(&first), vec![(cafe.truncate(7), DAY - 1)]);
		index.insert(&stay(CASE, cafe, T, 10), 2);
		let second = judge(&index, &case(), &RiskParams::default());
		assert_eq!(days(&second), vec![(cafe.truncate(7), DAY)]);
		assert_eq!(second.since(&first).cells, second.cells);
		assert!(second.since(&second).cells.is_empty());
	}

	#[test]
	fn visits_after_the_endorsement_are_marked_so_and_results_are_deterministic() {
		let cafe = at(35.6581, 139.7017);
		let shop = at(35.6600, 139.7000);
		let entries =
			[stay(CASE, cafe, T, 5), stay(CASE, shop, T + 7_200, 5), stay([2; 32], cafe, T, 5)];
		let j = judge_with(&entries);
		let after = j.cells.iter().find(|c| c.cell == shop.truncate(7)).unwrap();
		assert_eq!(after.source, InfectionSource::VisitAfterEndorsement);
		let mut reversed = entries.to_vec();
		reversed.reverse();
		assert_eq!(judge_with(&reversed), j, "insertion order does not change the result");
	}

	/// The table: two people at one table for 50 minutes, each seen by the venue's
	/// Wi-Fi every 5 minutes (merged into one stay each by the writer), never within a minute
	/// of each other. Per-sample pairing found nothing; presence finds a High contact.
	#[test]
	fn sparse_sightings_that_never_align_are_a_high_contact_at_the_venue() {
		let ap = at(35.6581, 139.7017);
		let j = judge_with(&[
			at_place(CASE, ap, T, T + 50 * 60, Source::WiFi),
			at_place([2; 32], ap, T + 150, T + 50 * 60 + 150, Source::WiFi),
		]);
		let (e, d) = of(&j, [2; 32]).unwrap();
		assert_eq!((e.risk, d.kind, d.minutes), (RiskLevel::High, ContactKind::Venue, 48));
		assert_eq!(d.mean_distance_cm, RiskParams::default().venue_distance_cm);
	}

	#[test]
	fn a_check_in_and_check_out_pair_counts_for_the_whole_visit() {
		let venue = at(35.6581, 139.7017);
		let j = judge_with(&[
			at_place(CASE, venue, T, T + 70 * 60, Source::VenueCheckIn),
			at_place([2; 32], venue, T + 10 * 60, T + 90 * 60, Source::VenueCheckIn),
			at_place([3; 32], venue, T + 62 * 60, T + 80 * 60, Source::VenueCheckIn),
		]);
		let (two, d) = of(&j, [2; 32]).unwrap();
		assert_eq!((two.risk, d.minutes), (RiskLevel::High, 60));
		let (three, d) = of(&j, [3; 32]).unwrap();
		assert_eq!((three.risk, d.minutes), (RiskLevel::Low, 8));
	}

	/// Two locators saw the case at once (its stays overlap): the person beside it was there
	/// 10 minutes, not 10 + 8.
	#[test]
	fn overlapping_case_stays_are_counted_once() {
		let cafe = at(35.6581, 139.7017);
		let j = judge_with(&[
			EntryPlain {
				owner: CASE,
				stays: vec![
					Stay { start: T, end: T + 500, geohash: cafe, source: Source::Gnss },
					Stay { start: T + 120, end: T + 600, geohash: cafe, source: Source::Bluetooth },
				],
			},
			stay([2; 32], cafe, T, 10),
		]);
		let (e, d) = of(&j, [2; 32]).unwrap();
		assert_eq!((e.risk, d.minutes, d.kind), (RiskLevel::Low, 10, ContactKind::Close));
	}

	/// A satellite fix beside a venue check-in is judged by the venue rule: the check-in
	/// cannot place its owner closer than the venue. Outside the venue's cell, nothing.
	#[test]
	fn a_precise_stay_beside_a_place_level_one_follows_the_venue_rule() {
		let venue = at(35.6581, 139.7017);
		let same_venue = east_of(venue, 4.0);
		assert_eq!(same_venue.truncate(8), venue.truncate(8));
		let elsewhere = east_of(venue, 60.0);
		assert_ne!(elsewhere.truncate(8), venue.truncate(8));
		let j = judge_with(&[
			at_place(CASE, venue, T, T + 1_800, Source::VenueCheckIn),
			stay([2; 32], same_venue, T, 20),
			stay([3; 32], elsewhere, T, 20),
		]);
		let (e, d) = of(&j, [2; 32]).unwrap();
		assert_eq!((e.risk, d.kind), (RiskLevel::High, ContactKind::Venue));
		assert!(of(&j, [3; 32]).is_none());
		// Two satellite stays 4 m apart are judged by distance: beyond 2 m, no contact.
		let j = judge_with(&[stay(CASE, venue, T, 30), stay([2; 32], same_venue, T, 20)]);
		assert!(of(&j, [2; 32]).is_none());
	}

	/// Song et al.: someone at the place after the case left, while the virus survives there,
	/// is exposed at its own level; the later the arrival, the lower the probability, and after
	/// the survival time, nothing.
	#[test]
	fn later_visitors_within_the_survival_time_are_exposed_indirectly() {
		let cafe = at(35.6581, 139.7017);
		let seat = east_of(cafe, 4.0);
		let j = judge_with(&[
			stay(CASE, cafe, T, 30),
			stay([2; 32], seat, T + 40 * 60, 30),
			stay([3; 32], seat, T + 150 * 60, 30),
			stay([4; 32], seat, T + 30 * 60 + 3 * 3_600 + 60, 30),
		]);
		let (soon, d) = of(&j, [2; 32]).unwrap();
		assert_eq!(
			(soon.risk, d.kind, d.minutes_after_case),
			(RiskLevel::Indirect, ContactKind::Indirect, 10)
		);
		let (late, d) = of(&j, [3; 32]).unwrap();
		assert_eq!((late.risk, d.minutes_after_case), (RiskLevel::Indirect, 120));
		assert!(soon.probability_ppm > late.probability_ppm);
		assert!(of(&j, [4; 32]).is_none(), "after the aerosol's 3 hours");
	}

	#[test]
	fn a_plastic_place_exposes_the_next_days_visitors_on_their_own_day() {
		let cafe = at(35.6581, 139.7017);
		let materials: Materials = [(cafe.truncate(7), SurfaceMaterial::Plastic)].into();
		let mut index = Index::new();
		index.insert(&stay(CASE, cafe, T, 30), 1);
		index.insert(&stay([2; 32], cafe, T + 86_400, 30), 1);
		index.insert(&stay([3; 32], cafe, T + 4 * 86_400, 30), 1);
		let j = judge(&index, &Case { materials: &materials, ..case() }, &RiskParams::default());
		let (e, d) = of(&j, [2; 32]).unwrap();
		assert_eq!(
			(e.risk, e.day, d.material),
			(RiskLevel::Indirect, DAY + 1, SurfaceMaterial::Plastic)
		);
		assert!(of(&j, [3; 32]).is_none(), "after plastic's 72 hours");
	}

	#[test]
	fn direct_and_indirect_on_one_day_are_one_exposure_at_the_higher_level() {
		let cafe = at(35.6581, 139.7017);
		let j = judge_with(&[
			EntryPlain {
				owner: CASE,
				stays: vec![
					Stay { start: T, end: T + 1_800, geohash: cafe, source: Source::Gnss },
					Stay { start: T + 3_600, end: T + 3_900, geohash: cafe, source: Source::Gnss },
				],
			},
			EntryPlain {
				owner: [2; 32],
				stays: vec![Stay {
					start: T + 1_500,
					end: T + 3_780,
					geohash: cafe,
					source: Source::Gnss,
				}],
			},
		]);
		assert_eq!(j.exposures.len(), 1);
		let (e, d) = of(&j, [2; 32]).unwrap();
		assert_eq!((e.risk, d.kind), (RiskLevel::Low, ContactKind::Close));
		assert_eq!(d.minutes, 8, "5 minutes before the case left, 3 after it came back");
	}

	/// Places nobody registered give no place-based exposure: the chain knows neither their
	/// surface nor whether they are indoors.
	#[test]
	fn unregistered_places_give_no_indirect_exposure() {
		let street = at(35.6700, 139.7100);
		assert!(registered_place(&REGISTERED, &street).is_none());
		let j = judge_with(&[stay(CASE, street, T, 30), stay([2; 32], street, T + 40 * 60, 30)]);
		assert!(j.exposures.is_empty());
	}

	/// A venue registered at 9 characters becomes Infected as such: results name every
	/// registered location the case was in at the location's own precision, not at one
	/// precision for all (a 9-character venue was never Infected before).
	#[test]
	fn registered_locations_are_reported_at_their_own_precision() {
		let cafe = at(35.6581, 139.7017);
		let registered: Registered = [cafe, cafe.truncate(7), cafe.truncate(6)].into();
		let mut index = Index::new();
		index.insert(&stay(CASE, cafe, T, 10), 1);
		let j = judge(&index, &Case { registered: &registered, ..case() }, &RiskParams::default());
		let cells: BTreeSet<Geohash> = j.cells.iter().map(|c| c.cell).collect();
		assert_eq!(cells, registered.into_iter().collect());
	}

	/// The rule: a locator that writes made-up whereabouts for a case after its
	/// endorsement exposes nobody; other people's late records still count.
	#[test]
	fn a_cases_records_written_after_its_endorsement_never_count() {
		let (cafe, bar) = (at(35.6581, 139.7017), at(35.6600, 139.7000));
		let mut index = Index::new();
		index.insert(&stay(CASE, cafe, T, 30), 5);
		index.insert(&stay([2; 32], cafe, T, 20), 9);
		// Written in block 9, after the endorsement in block 6.
		index.insert(&stay(CASE, bar, T + 7_200, 30), 9);
		index.insert(&stay([3; 32], bar, T + 7_200, 30), 9);
		let j = judge(&index, &Case { frozen_at: 6, ..case() }, &RiskParams::default());
		assert!(of(&j, [2; 32]).is_some(), "a late record of someone else counts");
		assert!(of(&j, [3; 32]).is_none(), "the case's late record does not");
		assert!(j.cells.iter().all(|c| c.cell != bar.truncate(7)));
	}
}
