//! From what locators observe to what the chain records: fixes become stays. The one home of
//! this rule: the Rust client (`epichain submit`, `locator submit`, `load`), the simulation's
//! locators and the citizen's app (through the wasm primitives' `deviceStays`) all run it.
//!
//! A locator observes *moments* (a Wi-Fi access point sees a phone, a gate is passed, a venue
//! is checked into, a phone samples its satellite position) or already knows *stays* (an app
//! that logs on change of place). The chain records stays ([`Stay`]: a cell, from when to
//! when), so moments are merged first, per owner and per source, in time order:
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
//! - **Over or not** ([`settle`]). A device that hands in its own stays as it goes hands in
//!   only those that are over: the last stay of a stream is still open while its last fix is
//!   within the merge gap of now (an unpaired check-in, within the check-in limit). Its fixes
//!   stay on the device, so a hand-in never cuts a stay in two.
//!
//! The result is sorted by (owner, start), so the same input always gives the same stays.

use crate::{
	csi::{Source, Stay},
	geohash::Geohash,
	pseudonym::Pseudonym,
	DayIndex,
};

/// One located moment of one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
	/// The owner's pseudonym of the fix's day.
	pub owner: Pseudonym,
	/// When, in Unix seconds.
	pub unix_secs: u64,
	/// Where: the 9-character cell.
	pub cell: Geohash,
	/// How it was observed.
	pub source: Source,
}

impl Fix {
	/// The fix's day index.
	pub fn day(&self) -> DayIndex {
		crate::day_of_secs(self.unix_secs)
	}
}

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

	/// Whether `stay`, the last of its stream, may still grow at unix second `now`: a fix
	/// within its source's merge gap of its end (for a check-in still unpaired, within the
	/// check-in limit of it) would extend it.
	pub fn is_open(&self, stay: &Stay, now: u64) -> bool {
		let since = now.saturating_sub(stay.end);
		match stay.source {
			Source::VenueCheckIn => stay.start == stay.end && since <= self.check_in_max_secs,
			source => self.gap(source) > 0 && since <= self.gap(source),
		}
	}
}

/// `fixes` in stream order: by owner, then source, then time (then cell, so the order is total).
fn in_stream_order(fixes: &[Fix]) -> Vec<&Fix> {
	let mut sorted: Vec<&Fix> = fixes.iter().collect();
	sorted.sort_by_key(|f| (f.owner, f.source as u8, f.unix_secs, f.cell.to_bits()));
	sorted
}

/// The stays of one stream (one owner, one source, in time order).
fn merge_stream(stream: &[&Fix], rules: &MergeRules, out: &mut Vec<OwnedStay>) {
	let Some(first) = stream.first() else { return };
	let (owner, source) = (first.owner, first.source);
	let at = |f: &Fix, end: u64| OwnedStay {
		owner,
		stay: Stay { start: f.unix_secs, end, geohash: f.cell, source },
	};
	if source == Source::VenueCheckIn {
		// Pair check-ins per cell, in time order; the unpaired ones are moments.
		let mut open: Vec<&Fix> = Vec::new();
		for &fix in stream {
			match open.iter().position(|o| o.cell == fix.cell) {
				Some(i) => {
					let check_in = open.swap_remove(i);
					if fix.unix_secs - check_in.unix_secs <= rules.check_in_max_secs {
						out.push(at(check_in, fix.unix_secs));
					} else {
						out.push(at(check_in, check_in.unix_secs));
						open.push(fix);
					}
				},
				None => open.push(fix),
			}
		}
		out.extend(open.into_iter().map(|f| at(f, f.unix_secs)));
		return;
	}
	let gap = rules.gap(source);
	let mut current: Option<OwnedStay> = None;
	for &fix in stream {
		match &mut current {
			Some(c)
				if c.stay.geohash == fix.cell && fix.unix_secs - c.stay.end <= gap && gap > 0 =>
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

/// Merges `fixes` into stays under `rules` and adds the explicit `stays`; sorted by (owner,
/// start).
pub fn merge(fixes: &[Fix], stays: &[OwnedStay], rules: &MergeRules) -> Vec<OwnedStay> {
	let mut out: Vec<OwnedStay> = stays.to_vec();
	for stream in in_stream_order(fixes).chunk_by(|a, b| (a.owner, a.source) == (b.owner, b.source))
	{
		merge_stream(stream, rules, &mut out);
	}
	out.sort_by_key(OwnedStay::key);
	out
}

/// Splits `fixes` at unix second `now` into the stays that are over (sorted by owner and
/// start) and the fixes of the stays still open ([`MergeRules::is_open`]), which a device
/// keeps for its next hand-in (by owner and source, each in time order). Every fix is in
/// exactly one of the two.
pub fn settle(fixes: &[Fix], now: u64, rules: &MergeRules) -> (Vec<OwnedStay>, Vec<Fix>) {
	let mut over = Vec::new();
	let mut kept: Vec<Fix> = Vec::new();
	for stream in in_stream_order(fixes).chunk_by(|a, b| (a.owner, a.source) == (b.owner, b.source))
	{
		let from = over.len();
		merge_stream(stream, rules, &mut over);
		// The stream's last stay by start: only it can still grow.
		let Some(last) = (from..over.len()).max_by_key(|&i| (over[i].stay.start, over[i].stay.end))
		else {
			continue;
		};
		if rules.is_open(&over[last].stay, now) {
			let s = over.swap_remove(last).stay;
			kept.extend(
				stream
					.iter()
					.filter(|f| f.cell == s.geohash && (s.start..=s.end).contains(&f.unix_secs))
					.map(|f| **f),
			);
		}
	}
	over.sort_by_key(OwnedStay::key);
	(over, kept)
}

#[cfg(test)]
mod tests {
	use super::*;

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

	#[test]
	fn a_stay_still_within_its_gap_of_now_stays_on_the_device_with_all_its_fixes() {
		let (home, shop) = ("xn76urx66", "xn76urx67");
		// Home from minute 0 to 20, the shop from 22 on; now is minute 25.
		let fixes: Vec<Fix> = [0, 5, 10, 15, 20]
			.iter()
			.map(|m| fix(1, *m, home, Source::Gnss))
			.chain([22, 24].iter().map(|m| fix(1, *m, shop, Source::Gnss)))
			.collect();
		let rules = MergeRules::default();
		let (over, kept) = settle(&fixes, T + 25 * 60, &rules);
		assert_eq!(spans(&over), [(1, 0, 20)], "home is over: the phone left it");
		assert_eq!(kept, fixes[5..], "the shop is still going on");
		// Handed in later, the kept fixes make the whole shop stay: nothing cut, nothing twice.
		let later: Vec<Fix> =
			kept.iter().copied().chain([fix(1, 27, shop, Source::Gnss)]).collect();
		let (over, kept) = settle(&later, T + 40 * 60, &rules);
		assert_eq!((spans(&over), kept), (vec![(1, 22, 27)], vec![]));
	}

	#[test]
	fn settling_keeps_every_fix_in_exactly_one_place() {
		let rules = MergeRules::default();
		let cells = ["xn76urx66", "xn76urx67", "xn76urx6k"];
		let sources = [Source::Gnss, Source::WiFi, Source::VenueCheckIn, Source::TransitGate];
		let fixes: Vec<Fix> = (0..60u64)
			.map(|i| {
				let source = sources[(i % 4) as usize];
				fix((i % 3) as u8, i * 7 % 50, cells[(i % 5 % 3) as usize], source)
			})
			.collect();
		for now in [T, T + 30 * 60, T + 55 * 60, T + 24 * 3_600] {
			let (over, kept) = settle(&fixes, now, &rules);
			// What is over and what is kept, merged again, is exactly what all the fixes make.
			let mut whole = merge(&kept, &over, &rules);
			whole.sort_by_key(OwnedStay::key);
			assert_eq!(whole, merge(&fixes, &[], &rules), "at {now}");
		}
	}
}
