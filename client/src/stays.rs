//! From what locators observe to what the chain records: fixes become stays.
//!
//! A locator observes *moments* (a Wi-Fi access point sees a phone, a gate is passed, a venue
//! is checked into) or already knows *stays* (an app that logs on change of place). The chain
//! records stays ([`Stay`]: a cell, from when to when), so moments are merged first, per owner
//! and per source, in time order:
//!
//! - **Merge gap.** Consecutive fixes of one owner from one source in one cell merge into one
//!   stay while the gap between them is at most the source's merge gap ([`MergeRules`];
//!   defaults: satellite, camera and Bluetooth 5 min, Wi-Fi and cellular 10 min, gates and
//!   diaries never). A fix in another cell, or after a longer gap, starts a new stay.
//! - **Check-in pairs.** Venue check-ins of one owner in one cell pair up in time order: the
//!   first is the check-in, the next the check-out, one stay of up to 12 hours. A check-in
//!   with no check-out within 12 hours is a moment (a stay of zero length): nobody knows how
//!   long the person stayed.
//! - **Midnight.** Fixes of one day carry that day's pseudonym, so stays never cross midnight.
//!   An explicit stay (a CSV row with `start` and `end`) that crosses midnight is split into
//!   its days, each with the owner's pseudonym of that day.
//!
//! The result is sorted by (owner, start), so the same input always gives the same stays.

use std::collections::BTreeMap;

use epichain_primitives::{
	csi::{Source, Stay},
	pseudonym::Pseudonym,
};

use crate::trajectory::Fix;

/// A stay and its owner (the pseudonym of the stay's day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnedStay {
	/// The owner's pseudonym of the stay's day.
	pub owner: Pseudonym,
	/// The stay.
	pub stay: Stay,
}

impl OwnedStay {
	/// The order of [`merge`]'s output: owner, start, end, cell, source.
	pub fn key(&self) -> (Pseudonym, u64, u64, u64, u8) {
		let s = &self.stay;
		(self.owner, s.start, s.end, s.geohash.to_bits(), s.source as u8)
	}
}

/// How fixes merge into stays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeRules {
	/// Longest gap between two fixes of one stay, in seconds, by source tag (0: never merge).
	pub gap_secs: [u64; 8],
	/// Longest check-in to check-out, in seconds.
	pub check_in_max_secs: u64,
}

impl Default for MergeRules {
	/// Satellite, camera and Bluetooth 5 min (a phone or beacon reports often); Wi-Fi and
	/// cellular 10 min (an access point sees an idle phone every few minutes); gates and diaries
	/// never (each is a moment); check-in to check-out up to 12 hours.
	fn default() -> Self {
		let mut gap_secs = [0; 8];
		for source in Source::ALL {
			gap_secs[source as usize] = match source {
				Source::Gnss | Source::Camera | Source::Bluetooth => 5 * 60,
				Source::WiFi | Source::Cellular => 10 * 60,
				Source::TransitGate | Source::VenueCheckIn | Source::Manual => 0,
			};
		}
		Self { gap_secs, check_in_max_secs: 12 * 3_600 }
	}
}

impl MergeRules {
	/// The merge gap of `source`, in seconds.
	pub fn gap(&self, source: Source) -> u64 {
		self.gap_secs[source as usize]
	}
}

/// Merges `fixes` into stays under `rules` and adds the explicit `stays`; sorted by (owner,
/// start).
pub fn merge(fixes: &[Fix], stays: &[OwnedStay], rules: &MergeRules) -> Vec<OwnedStay> {
	let mut streams: BTreeMap<(Pseudonym, u8), Vec<&Fix>> = BTreeMap::new();
	for fix in fixes {
		streams.entry((fix.owner, fix.source as u8)).or_default().push(fix);
	}
	let mut out: Vec<OwnedStay> = stays.to_vec();
	for ((owner, _), mut stream) in streams {
		stream.sort_by_key(|f| (f.unix_secs, f.cell.to_bits()));
		let source = stream[0].source;
		let at = |f: &Fix, end: u64| OwnedStay {
			owner,
			stay: Stay { start: f.unix_secs, end, geohash: f.cell, source },
		};
		if source == Source::VenueCheckIn {
			// Pair check-ins per cell, in time order.
			let mut open: BTreeMap<u64, &Fix> = BTreeMap::new();
			for fix in stream {
				let cell = fix.cell.to_bits();
				match open.remove(&cell) {
					Some(check_in)
						if fix.unix_secs - check_in.unix_secs <= rules.check_in_max_secs =>
					{
						out.push(at(check_in, fix.unix_secs))
					},
					Some(check_in) => {
						out.push(at(check_in, check_in.unix_secs));
						open.insert(cell, fix);
					},
					None => {
						open.insert(cell, fix);
					},
				}
			}
			out.extend(open.into_values().map(|f| at(f, f.unix_secs)));
			continue;
		}
		let gap = rules.gap(source);
		let mut current: Option<OwnedStay> = None;
		for fix in stream {
			match &mut current {
				Some(c)
					if c.stay.geohash == fix.cell
						&& fix.unix_secs - c.stay.end <= gap
						&& gap > 0 =>
				{
					c.stay.end = fix.unix_secs
				},
				_ => {
					out.extend(current.take());
					current = Some(at(fix, fix.unix_secs));
				},
			}
		}
		out.extend(current);
	}
	out.sort_by_key(OwnedStay::key);
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::geohash::Geohash;

	const T: u64 = 20_000 * 86_400 + 9 * 3_600;

	fn fix(owner: u8, minute: u64, cell: &str, source: Source) -> Fix {
		Fix {
			owner: [owner; 32],
			unix_secs: T + minute * 60,
			cell: Geohash::parse(cell.as_bytes()).unwrap(),
			source,
		}
	}

	fn spans(stays: &[OwnedStay]) -> Vec<(u8, u64, u64)> {
		stays.iter().map(|s| (s.owner[0], (s.stay.start - T) / 60, (s.stay.end - T) / 60)).collect()
	}

	#[test]
	fn wifi_sightings_within_the_gap_merge_into_one_stay() {
		let ap = "xn76urx66";
		let fixes: Vec<Fix> =
			[0, 4, 13, 23, 34, 40].iter().map(|m| fix(1, *m, ap, Source::WiFi)).collect();
		// 0..=23 within 10 minutes of each other; 34 comes 11 minutes later.
		assert_eq!(spans(&merge(&fixes, &[], &MergeRules::default())), [(1, 0, 23), (1, 34, 40)]);
	}

	#[test]
	fn a_fix_in_another_cell_or_from_another_source_starts_another_stay() {
		let fixes = [
			fix(1, 0, "xn76urx66", Source::Gnss),
			fix(1, 2, "xn76urx66", Source::Gnss),
			fix(1, 4, "xn76urx67", Source::Gnss),
			fix(1, 6, "xn76urx66", Source::Gnss),
			fix(1, 3, "xn76urx66", Source::WiFi),
			fix(2, 1, "xn76urx66", Source::Gnss),
		];
		let got = spans(&merge(&fixes, &[], &MergeRules::default()));
		assert_eq!(got, [(1, 0, 2), (1, 3, 3), (1, 4, 4), (1, 6, 6), (2, 1, 1)]);
	}

	#[test]
	fn check_ins_pair_with_their_check_outs_up_to_twelve_hours() {
		let venue = "xn76urx66";
		let fixes = [
			fix(1, 0, venue, Source::VenueCheckIn),
			fix(1, 50, venue, Source::VenueCheckIn),
			fix(1, 120, venue, Source::VenueCheckIn),
			// No check-out within 12 hours: a moment.
			fix(1, 120 + 13 * 60, venue, Source::VenueCheckIn),
		];
		let got = spans(&merge(&fixes, &[], &MergeRules::default()));
		assert_eq!(got, [(1, 0, 50), (1, 120, 120), (1, 900, 900)]);
	}

	#[test]
	fn gate_passages_are_moments() {
		let gate = "xn76urx66";
		let fixes = [fix(1, 0, gate, Source::TransitGate), fix(1, 1, gate, Source::TransitGate)];
		assert_eq!(spans(&merge(&fixes, &[], &MergeRules::default())), [(1, 0, 0), (1, 1, 1)]);
	}
}
