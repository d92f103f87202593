//! The close-contact judgement (Wen et al.; public health guidance's High / Low; Song et al.'s
//! logistic probability).
//!
//! For each of the case's points inside its window, every other owner's point within
//! [`PAIR_TOLERANCE_SECS`](crate::index::PAIR_TOLERANCE_SECS) and within the close-contact
//! distance marks the other point's minute as a contact minute for its owner (the other's
//! minutes, so the tolerance cannot stretch a stay). An owner's exposure on
//! a day is the number of distinct contact minutes: **High** when it reaches the close-contact
//! duration, **Low** otherwise. The probability uses the exposure's minutes, the mean of each
//! minute's closest distance and an unknown surface. Every cell (at the locations pallet's precision) the case was in
//! during the window is listed, as visited before or after the endorsement.
//!
//! The judgement depends only on the index's contents and its inputs, and its output is sorted,
//! so two enclaves holding the same chain state sign identical results.

use std::collections::{BTreeMap, BTreeSet};

use epichain_primitives::{
	diagnosis::DayWindow,
	geohash::Geohash,
	matching::{Exposure, InfectedCell, RiskLevel, RiskParams, SurfaceMaterial},
	pseudonym::{fingerprint, Pseudonym},
	traits::InfectionSource,
	DayIndex, SECONDS_PER_DAY,
};

use crate::index::{distance_m, Index, IndexedPoint, METRES_PER_DEGREE};

/// What the judgement found for one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
	/// Exposed person-days, sorted by (day, fingerprint).
	pub exposures: Vec<Exposure>,
	/// For each exposure (same order), what the exposed person's own report shows.
	pub details: Vec<ContactDetail>,
	/// Registered cells the case visited, sorted.
	pub cells: Vec<InfectedCell>,
}

/// Registered locations' surface materials by cell (any precision the locations pallet allows).
pub type Materials = std::collections::HashMap<Geohash, SurfaceMaterial>;

/// Every registered location's cell. Only these can become Infected, so a result names no other
/// cell: a case's unregistered whereabouts never reach a block.
pub type Registered = std::collections::HashSet<Geohash>;

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

/// The measured contact behind one exposure (for the exposed person's pull query only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactDetail {
	/// Distinct minutes within the close-contact distance.
	pub minutes: u32,
	/// Mean of each minute's closest distance, in centimetres.
	pub mean_distance_cm: u32,
	/// The surface most of the contact minutes were on.
	pub material: SurfaceMaterial,
}

impl Judgement {
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
		let old_cells: BTreeSet<Geohash> = earlier.cells.iter().map(|c| c.cell).collect();
		let cells = self.cells.iter().filter(|c| !old_cells.contains(&c.cell)).copied().collect();
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
	/// Only points that arrived in this block or before count (the result's `as_of`).
	pub up_to: u32,
	/// Surface materials of registered locations.
	pub materials: &'a Materials,
	/// Registered locations: the only cells a judgement reports.
	pub registered: &'a Registered,
}

/// Judges `case` against everything in `index` under `params`; cells are reported at
/// `cell_precision`, and only if they are registered locations.
pub fn judge(index: &Index, case: &Case, params: &RiskParams, cell_precision: usize) -> Judgement {
	let case_owners: BTreeSet<u32> =
		case.pseudonyms.iter().filter_map(|(_, p)| index.owner_id(p)).collect();
	let points: Vec<&IndexedPoint> = case
		.pseudonyms
		.iter()
		.filter(|(day, _)| case.window.contains(*day))
		.flat_map(|(_, p)| index.points_of(p))
		.filter(|p| p.block <= case.up_to)
		.filter(|p| case.window.contains((p.unix_secs / SECONDS_PER_DAY) as DayIndex))
		.collect();
	// Case points are independent: scan them on every core, then merge. The merge (set union,
	// closest distance per minute) does not depend on the split, so the result is the same on
	// any machine.
	let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
	let chunk = points.len().div_ceil(threads).max(1);
	let scans: Vec<Scan> = std::thread::scope(|s| {
		let handles: Vec<_> = points
			.chunks(chunk)
			.map(|part| s.spawn(|| scan(index, part, &case_owners, case, params, cell_precision)))
			.collect();
		handles.into_iter().map(|h| h.join().expect("a scan does not panic")).collect()
	});
	let mut total = Scan::default();
	for part in scans {
		total.merge(part);
	}
	let mut exposures: Vec<(Exposure, ContactDetail)> = total
		.contacts
		.into_iter()
		.map(|((day, owner), minutes)| {
			let n = minutes.len() as u32;
			let mean_m =
				minutes.values().map(|(d, _)| d).sum::<f64>() / minutes.len().max(1) as f64;
			let material = most_common(minutes.values().map(|(_, m)| *m));
			let risk = if n as u64 * 60 >= params.min_duration_secs as u64 {
				RiskLevel::High
			} else {
				RiskLevel::Low
			};
			let exposure = Exposure {
				fingerprint: fingerprint(&index.owner(owner)),
				day,
				risk,
				probability_ppm: params.probability_ppm(
					n,
					(mean_m * 1_000.0).round() as u32,
					material,
				),
			};
			(
				exposure,
				ContactDetail {
					minutes: n,
					mean_distance_cm: (mean_m * 100.0).round() as u32,
					material,
				},
			)
		})
		.collect();
	exposures.sort_by(|(a, _), (b, _)| (a.day, a.fingerprint).cmp(&(b.day, b.fingerprint)));
	let (exposures, details) = exposures.into_iter().unzip();
	Judgement {
		exposures,
		details,
		cells: total
			.cells
			.into_iter()
			.map(|(cell, source)| InfectedCell { cell, source })
			.collect(),
	}
}

/// The most frequent material (the lower code on a tie).
fn most_common(materials: impl Iterator<Item = SurfaceMaterial>) -> SurfaceMaterial {
	let mut counts = [0u32; 8];
	let mut seen = [SurfaceMaterial::Unknown; 8];
	for m in materials {
		counts[m as usize] += 1;
		seen[m as usize] = m;
	}
	let best = (0..8).max_by_key(|&i| (counts[i], core::cmp::Reverse(i))).unwrap_or(0);
	seen[best]
}

/// What a scan of some of the case's points found.
#[derive(Default)]
struct Scan {
	/// (day of the other's point, other's owner id) -> contact minute -> closest distance.
	/// (day of the other's point, other's owner id) -> contact minute -> closest distance and
	/// the surface there.
	contacts: BTreeMap<(DayIndex, u32), BTreeMap<u64, (f64, SurfaceMaterial)>>,
	/// Cells visited, before the endorsement winning over after.
	cells: BTreeMap<Geohash, InfectionSource>,
}

impl Scan {
	fn contact(&mut self, key: (DayIndex, u32), minute: u64, d: f64, m: SurfaceMaterial) {
		// The closest case point wins; at equal distance the lower material code, so the
		// merge does not depend on the split.
		self.contacts
			.entry(key)
			.or_default()
			.entry(minute)
			.and_modify(|(closest, material)| {
				if (d, m as u8) < (*closest, *material as u8) {
					(*closest, *material) = (d, m);
				}
			})
			.or_insert((d, m));
	}

	fn visit(&mut self, cell: Geohash, source: InfectionSource) {
		self.cells
			.entry(cell)
			.and_modify(|s| {
				if source == InfectionSource::VisitBeforeEndorsement {
					*s = source
				}
			})
			.or_insert(source);
	}

	fn merge(&mut self, other: Scan) {
		for (key, minutes) in other.contacts {
			for (minute, (d, m)) in minutes {
				self.contact(key, minute, d, m);
			}
		}
		for (cell, source) in other.cells {
			self.visit(cell, source);
		}
	}
}

fn scan(
	index: &Index,
	points: &[&IndexedPoint],
	case_owners: &BTreeSet<u32>,
	case: &Case,
	params: &RiskParams,
	cell_precision: usize,
) -> Scan {
	let max_m = params.distance_cm as f64 / 100.0;
	let bound = (max_m * 1.01 + 0.01).powi(2);
	let mut found = Scan::default();
	let mut areas: rustc_hash::FxHashMap<Geohash, [Option<u64>; 9]> = Default::default();
	for point in points {
		let source = if point.unix_secs < case.endorsed_at {
			InfectionSource::VisitBeforeEndorsement
		} else {
			InfectionSource::VisitAfterEndorsement
		};
		let cell = point.cell.truncate(cell_precision);
		if case.registered.contains(&cell) {
			found.visit(cell, source);
		}
		let material = material_at(case.materials, &point.cell);
		let area = *areas
			.entry(point.cell.truncate(crate::index::INDEX_PRECISION))
			.or_insert_with(|| Index::area(&point.cell));
		// A flat-earth bound rejects most candidates before the haversine.
		let metres_per_lon = METRES_PER_DEGREE * point.lat.to_radians().cos();
		for other in index.near_in(point, area) {
			if other.block > case.up_to || case_owners.contains(&other.owner) {
				continue;
			}
			let (dy, dx) = (
				(other.lat - point.lat) * METRES_PER_DEGREE,
				(other.lon - point.lon) * metres_per_lon,
			);
			if dy * dy + dx * dx > bound {
				continue;
			}
			let d = distance_m(point, other);
			if d <= max_m {
				let other_day = (other.unix_secs / SECONDS_PER_DAY) as DayIndex;
				found.contact((other_day, other.owner), other.unix_secs / 60, d, material);
			}
		}
	}
	found
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::{
		csi::{CsiPoint, EntryPlain, Source},
		geohash,
	};

	/// 2026-11-21T09:00:00Z, day 20778.
	const T: u64 = 1_795_251_600;
	const DAY: DayIndex = 20_778;
	const CASE: Pseudonym = [1; 32];

	/// The 9-character cell at (lat, lon).
	fn at(lat: f64, lon: f64) -> Geohash {
		geohash::encode(lat, lon, 9).unwrap()
	}

	/// `owner` staying at `cell` for `minutes`, one point a minute from `start`.
	fn stay(owner: Pseudonym, cell: Geohash, start: u64, minutes: u64) -> EntryPlain {
		EntryPlain {
			owner,
			points: (0..minutes)
				.map(|m| CsiPoint {
					unix_secs: start + 60 * m,
					geohash: cell,
					source: Source::Gnss,
				})
				.collect(),
		}
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
			materials: &NO_MATERIALS,
			registered: &REGISTERED,
		}
	}

	fn judge_with(entries: &[EntryPlain]) -> Judgement {
		let mut index = Index::new();
		for e in entries {
			index.insert(e, 1);
		}
		judge(&index, &case(), &RiskParams::default(), 7)
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
		// The cafe is registered at 7 characters with plastic surfaces; the 9-character point
		// cell lies inside it.
		let materials: Materials = [(cafe.truncate(7), SurfaceMaterial::Plastic)].into();
		let plastic = judge(&index, &Case { materials: &materials, ..case() }, &params, 7);
		let unknown = judge(&index, &case(), &params, 7);
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
		let of =
			|p: Pseudonym| j.exposures.iter().find(|e| e.fingerprint == fingerprint(&p)).unwrap();
		assert_eq!((of([2; 32]).risk, of([2; 32]).day), (RiskLevel::High, DAY));
		assert_eq!(of([3; 32]).risk, RiskLevel::Low);
		assert!(of([2; 32]).probability_ppm > of([3; 32]).probability_ppm);
		assert_eq!(
			j.cells,
			vec![InfectedCell {
				cell: cafe.truncate(7),
				source: InfectionSource::VisitBeforeEndorsement
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
		let j = judge(&index, &case(), &params, 7);
		assert_eq!(j.exposures.len(), 1);
		assert_eq!(j.exposures[0].risk, RiskLevel::High);
	}

	#[test]
	fn contacts_are_found_across_an_index_cell_border() {
		// Two points 4 m apart on either side of a 7-character cell border, with a 5 m rule.
		let west = at(35.658_1, 139.701_7);
		let border = geohash::decode(west.truncate(7).as_bytes()).unwrap();
		let a = at(35.658_1, border.lon + border.lon_err - 0.000_02);
		let b = east_of(a, 4.0);
		assert_ne!(a.truncate(7), b.truncate(7), "the two points straddle the border");
		let mut index = Index::new();
		index.insert(&stay(CASE, a, T, 16), 1);
		index.insert(&stay([2; 32], b, T, 16), 1);
		let params = RiskParams { distance_cm: 500, ..RiskParams::default() };
		let j = judge(&index, &case(), &params, 7);
		assert_eq!(j.exposures.len(), 1);
		assert_eq!(j.exposures[0].risk, RiskLevel::High);
	}

	#[test]
	fn time_must_overlap_and_the_window_bounds_the_case() {
		let cafe = at(35.6581, 139.7017);
		// Same place, an hour later: no contact.
		assert!(judge_with(&[stay(CASE, cafe, T, 20), stay([2; 32], cafe, T + 3_600, 20)])
			.exposures
			.is_empty());
		// The case's points outside its window are ignored.
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
}
