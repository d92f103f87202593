//! Reading trajectories: the CSV a locator's system exports and the GPX people export from
//! phones and trackers.
//!
//! These files are the locator's *input*. They are plaintext and stay on the locator's machine:
//! the client turns them into sealed batches (see [`crate::batches`]) and nothing else leaves.
//!
//! CSV: a header row, then one fix or one stay per row. Columns (any order, extra columns
//! ignored):
//! - `pseudonym`: the owner's pseudonym *of that day*, 0x-hex (what the device handed over);
//!   optional when the owner is given on the command line;
//! - `time`: Unix seconds or RFC 3339 (`2026-11-22T08:30:00Z`): a fix; or instead
//! - `start` and `end` (same formats): a stay the locator already knows (an app that logs on
//!   change of place, a venue's visit). A row whose `end` is empty or equal to `start` is a
//!   fix. A stay across midnight is split into its days, which needs the owner's pseudonym of
//!   each day: name the owner on the command line instead of a `pseudonym` column;
//! - `lat`, `lon`: WGS84 degrees; or instead `geohash`: the 9-character cell;
//! - `source` (optional): `gnss`, `wifi`, `transit-gate`, `venue-check-in`, `camera`,
//!   `bluetooth`, `cellular` or `manual` (default `gnss`).
//!
//! GPX: every track point with a time is a fix; the owner comes from the command line.
//!
//! Fixes become stays by the rules of [`crate::stays`]; [`Trajectory::stays`] applies them.

use std::{collections::BTreeMap, path::Path};

use anyhow::{anyhow, bail, Context, Result};
use epichain_primitives::{
	csi::{Source, Stay},
	geohash::{self, Geohash, POINT_PRECISION},
	pseudonym::Pseudonym,
	DayIndex, SECONDS_PER_DAY,
};

pub use crate::stays::Fix;
use crate::{
	keys::{parse_hex32, DayKey},
	stays::{self, MergeRules, OwnedStay},
};

/// What a trajectory file holds: fixes (moments) and stays the writer already knew.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trajectory {
	/// Moments, merged into stays by [`Trajectory::stays`].
	pub fixes: Vec<Fix>,
	/// Explicit stays, already split at midnight.
	pub stays: Vec<OwnedStay>,
}

impl Trajectory {
	/// Rows read: fixes plus explicit stays (before splitting at midnight).
	pub fn len(&self) -> usize {
		self.fixes.len() + self.stays.len()
	}

	/// True when nothing was read.
	pub fn is_empty(&self) -> bool {
		self.fixes.is_empty() && self.stays.is_empty()
	}

	/// Adds another file's contents.
	pub fn extend(&mut self, other: Trajectory) {
		self.fixes.extend(other.fixes);
		self.stays.extend(other.stays);
	}

	/// Every stay: the fixes merged under `rules`, and the explicit stays.
	pub fn stays(&self, rules: &MergeRules) -> Vec<OwnedStay> {
		stays::merge(&self.fixes, &self.stays, rules)
	}
}

/// Who owns fixes that carry no pseudonym: the device's public day keys
/// (`epichain keys export`), one pseudonym per day.
#[derive(Clone, Debug, Default)]
pub struct Owner {
	days: BTreeMap<DayIndex, Pseudonym>,
}

impl Owner {
	/// From an export of day keys.
	pub fn from_day_keys(keys: &[DayKey]) -> Result<Self> {
		let days = keys.iter().map(|k| Ok((k.day, k.pseudonym_bytes()?))).collect::<Result<_>>()?;
		Ok(Self { days })
	}

	fn on(&self, day: DayIndex) -> Result<Pseudonym> {
		self.days
			.get(&day)
			.copied()
			.ok_or_else(|| anyhow!("the owner's key export has no pseudonym for day {day}"))
	}
}

/// The source named `name` in a CSV file.
pub fn parse_source(name: &str) -> Result<Source> {
	Ok(match name.trim().to_ascii_lowercase().as_str() {
		"" | "gnss" | "gps" => Source::Gnss,
		"wifi" | "wi-fi" => Source::WiFi,
		"transit-gate" | "transit" => Source::TransitGate,
		"venue-check-in" | "venue" | "check-in" => Source::VenueCheckIn,
		"camera" => Source::Camera,
		"bluetooth" | "ble" => Source::Bluetooth,
		"cellular" => Source::Cellular,
		"manual" => Source::Manual,
		other => bail!("unknown source {other:?}"),
	})
}

/// Parses a time: Unix seconds or RFC 3339.
pub fn parse_time(text: &str) -> Result<u64> {
	let text = text.trim();
	if let Ok(secs) = text.parse::<u64>() {
		return Ok(secs);
	}
	let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
		.with_context(|| format!("{text:?} is neither Unix seconds nor RFC 3339"))?;
	u64::try_from(at.unix_timestamp()).map_err(|_| anyhow!("{text:?} is before 1970"))
}

/// The 9-character cell of a WGS84 position.
pub fn cell_of(lat: f64, lon: f64) -> Result<Geohash> {
	geohash::encode(lat, lon, POINT_PRECISION).map_err(|e| anyhow!("position {lat},{lon}: {e:?}"))
}

/// Reads a trajectory file, CSV or GPX by extension. `owner` is required for GPX and for CSV
/// files without a `pseudonym` column.
pub fn read_file(path: &Path, owner: Option<&Owner>) -> Result<Trajectory> {
	let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
	let file =
		std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
	let fixes = match ext.as_str() {
		"gpx" => read_gpx(std::io::BufReader::new(file), owner)
			.map(|fixes| Trajectory { fixes, stays: Vec::new() }),
		"csv" => read_csv(file, owner),
		_ => bail!("{}: expected a .csv or .gpx file", path.display()),
	};
	fixes.with_context(|| format!("reading {}", path.display()))
}

/// Reads CSV fixes and stays (see the module documentation for the columns).
pub fn read_csv(reader: impl std::io::Read, owner: Option<&Owner>) -> Result<Trajectory> {
	let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
	let headers = csv.headers()?.clone();
	let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
	let (pseudonym, lat, lon, cell, source) =
		(column("pseudonym"), column("lat"), column("lon"), column("geohash"), column("source"));
	let (start, end) = match (column("time"), column("start")) {
		(Some(time), _) => (time, None),
		(None, Some(start)) => (start, column("end")),
		(None, None) => bail!("no `time` column (a fix) or `start` column (a stay)"),
	};
	if cell.is_none() && (lat.is_none() || lon.is_none()) {
		bail!("no position: give `lat` and `lon` columns, or a `geohash` column");
	}
	if pseudonym.is_none() && owner.is_none() {
		bail!("no `pseudonym` column: name the owner (--owner <key export>)");
	}
	let mut out = Trajectory::default();
	for (row, record) in csv.records().enumerate() {
		let record = record?;
		let field = |i: usize| record.get(i).unwrap_or("");
		let line = row + 2;
		let from = parse_time(field(start)).with_context(|| format!("line {line}"))?;
		let until = match end.map(field).filter(|t| !t.trim().is_empty()) {
			Some(t) => parse_time(t).with_context(|| format!("line {line}"))?,
			None => from,
		};
		if until < from {
			bail!("line {line}: the stay ends before it starts");
		}
		let cell = match cell {
			Some(i) => Geohash::parse(field(i).as_bytes())
				.ok()
				.filter(|g| g.len() == POINT_PRECISION)
				.ok_or_else(|| anyhow!("line {line}: not a 9-character geohash"))?,
			None => {
				let number = |i: Option<usize>| -> Result<f64> {
					field(i.expect("checked above"))
						.parse()
						.map_err(|_| anyhow!("line {line}: bad coordinate"))
				};
				cell_of(number(lat)?, number(lon)?).with_context(|| format!("line {line}"))?
			},
		};
		let source = match source {
			Some(i) => parse_source(field(i)).with_context(|| format!("line {line}"))?,
			None => Source::Gnss,
		};
		let given = pseudonym
			.map(field)
			.filter(|p| !p.is_empty())
			.map(|p| parse_hex32(p).with_context(|| format!("line {line}: pseudonym")))
			.transpose()?;
		let owner_on = |day: DayIndex| -> Result<Pseudonym> {
			match given {
				Some(p) => Ok(p),
				None => owner
					.ok_or_else(|| anyhow!("line {line}: no pseudonym and no --owner"))?
					.on(day),
			}
		};
		let (first_day, last_day) =
			(epichain_primitives::day_of_secs(from), epichain_primitives::day_of_secs(until));
		if from == until {
			out.fixes.push(Fix { owner: owner_on(first_day)?, unix_secs: from, cell, source });
			continue;
		}
		if first_day != last_day && given.is_some() {
			bail!(
				"line {line}: the stay crosses midnight, so each of its days needs the owner's \
				 pseudonym of that day: name the owner (--owner <key export>) instead of a \
				 `pseudonym` column"
			);
		}
		for day in first_day..=last_day {
			let midnight = day as u64 * SECONDS_PER_DAY;
			let stay = Stay {
				start: from.max(midnight),
				end: until.min(midnight + SECONDS_PER_DAY - 1),
				geohash: cell,
				source,
			};
			out.stays.push(OwnedStay { owner: owner_on(day)?, stay });
		}
	}
	Ok(out)
}

/// Reads the timed track points of a GPX file, all owned by `owner`.
pub fn read_gpx(reader: impl std::io::BufRead, owner: Option<&Owner>) -> Result<Vec<Fix>> {
	let owner = owner.ok_or_else(|| anyhow!("a GPX track needs its owner (--owner)"))?;
	let gpx = gpx::read(reader).map_err(|e| anyhow!("not GPX: {e}"))?;
	let mut fixes = Vec::new();
	let mut untimed = 0usize;
	let points = gpx
		.tracks
		.iter()
		.flat_map(|t| t.segments.iter())
		.flat_map(|s| s.points.iter())
		.chain(gpx.waypoints.iter());
	for point in points {
		let Some(at) = point.time else {
			untimed += 1;
			continue;
		};
		let at: time::OffsetDateTime = at.into();
		let unix_secs =
			u64::try_from(at.unix_timestamp()).map_err(|_| anyhow!("a point before 1970"))?;
		let position = point.point();
		let cell = cell_of(position.y(), position.x())?;
		let day = (unix_secs / SECONDS_PER_DAY) as DayIndex;
		fixes.push(Fix { owner: owner.on(day)?, unix_secs, cell, source: Source::Gnss });
	}
	if fixes.is_empty() && untimed > 0 {
		bail!("none of the {untimed} GPX points has a time");
	}
	Ok(fixes)
}

/// Writes stays as CSV with the columns `pseudonym,start,end,geohash,source` (a fix is a row
/// whose `end` equals its `start`).
pub fn write_csv(writer: impl std::io::Write, stays: &[OwnedStay]) -> Result<()> {
	let mut csv = csv::Writer::from_writer(writer);
	csv.write_record(["pseudonym", "start", "end", "geohash", "source"])?;
	for s in stays {
		csv.write_record([
			crate::keys::hex0x(&s.owner),
			s.stay.start.to_string(),
			s.stay.end.to_string(),
			s.stay.geohash.as_str().to_string(),
			source_name(s.stay.source).to_string(),
		])?;
	}
	csv.flush()?;
	Ok(())
}

/// The CSV name of a source.
pub fn source_name(source: Source) -> &'static str {
	match source {
		Source::Gnss => "gnss",
		Source::WiFi => "wifi",
		Source::TransitGate => "transit-gate",
		Source::VenueCheckIn => "venue-check-in",
		Source::Camera => "camera",
		Source::Bluetooth => "bluetooth",
		Source::Cellular => "cellular",
		Source::Manual => "manual",
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::pseudonym::DeviceSeed;

	const DAY: DayIndex = 20_000;

	fn owner() -> (DeviceSeed, Owner) {
		let seed = DeviceSeed::from_bytes([9; 32]);
		let keys = [DayKey::of(&seed, DAY), DayKey::of(&seed, DAY + 1)];
		(seed.clone(), Owner::from_day_keys(&keys).unwrap())
	}

	#[test]
	fn csv_rows_become_fixes_of_the_right_day_owner() {
		let (seed, owner) = owner();
		let t = DAY as u64 * SECONDS_PER_DAY + 3_600;
		let text = format!(
			"time,lat,lon,source\n{t},35.0,139.0,wifi\n{},35.0,139.0,\n",
			t + SECONDS_PER_DAY
		);
		let fixes = read_csv(text.as_bytes(), Some(&owner)).unwrap().fixes;
		assert_eq!(fixes.len(), 2);
		assert_eq!(fixes[0].owner, seed.pseudonym(DAY));
		assert_eq!(fixes[1].owner, seed.pseudonym(DAY + 1), "each day has its own pseudonym");
		assert_eq!(fixes[0].source, Source::WiFi);
		assert_eq!(fixes[0].cell, cell_of(35.0, 139.0).unwrap());
	}

	#[test]
	fn csv_round_trips_through_write_csv() {
		let (seed, _) = owner();
		let base = DAY as u64 * SECONDS_PER_DAY;
		let (owner, geohash) = (seed.pseudonym(DAY), cell_of(-33.9, 18.4).unwrap());
		let gate = Stay { start: base + 60, end: base + 60, geohash, source: Source::TransitGate };
		let visit = Stay { start: base + 600, end: base + 4_200, geohash, source: Source::Manual };
		let stays = [OwnedStay { owner, stay: gate }, OwnedStay { owner, stay: visit }];
		let mut out = Vec::new();
		write_csv(&mut out, &stays).unwrap();
		let read = read_csv(out.as_slice(), None).unwrap();
		let fix = Fix { owner, unix_secs: base + 60, cell: geohash, source: Source::TransitGate };
		assert_eq!(read, Trajectory { fixes: vec![fix], stays: vec![stays[1]] });
		assert_eq!(read.stays(&MergeRules::default()), stays.to_vec());
	}

	#[test]
	fn a_stay_across_midnight_is_split_into_its_days_owners() {
		let (seed, owner) = owner();
		let midnight = (DAY as u64 + 1) * SECONDS_PER_DAY;
		let text = format!(
			"start,end,geohash,source\n{},{},xn76urx66,venue-check-in\n",
			midnight - 3_600,
			midnight + 1_800
		);
		let read = read_csv(text.as_bytes(), Some(&owner)).unwrap();
		let got: Vec<_> = read.stays.iter().map(|s| (s.owner, s.stay.start, s.stay.end)).collect();
		assert_eq!(
			got,
			[
				(seed.pseudonym(DAY), midnight - 3_600, midnight - 1),
				(seed.pseudonym(DAY + 1), midnight, midnight + 1_800)
			]
		);
		// With a pseudonym column the next day's pseudonym is unknown: a named error.
		let text = format!(
			"pseudonym,start,end,geohash\n{},{},{},xn76urx66\n",
			crate::keys::hex0x(&seed.pseudonym(DAY)),
			midnight - 60,
			midnight + 60
		);
		let e = read_csv(text.as_bytes(), None).unwrap_err();
		assert!(format!("{e:#}").contains("line 2: the stay crosses midnight"), "{e:#}");
		let backwards = "start,end,geohash\n100,50,xn76urx66\n";
		let e = read_csv(backwards.as_bytes(), Some(&owner)).unwrap_err();
		assert!(format!("{e:#}").contains("line 2: the stay ends before it starts"), "{e:#}");
	}

	#[test]
	fn bad_rows_are_named_errors() {
		let (_, owner) = owner();
		let bad_time = "time,lat,lon\nyesterday,35,139\n";
		let e = read_csv(bad_time.as_bytes(), Some(&owner)).unwrap_err();
		assert!(format!("{e:#}").contains("line 2"), "{e:#}");
		assert!(read_csv("time,lat\n1,2\n".as_bytes(), Some(&owner)).is_err(), "no position");
		assert!(read_csv("time,lat,lon\n1,2,3\n".as_bytes(), None).is_err(), "no owner");
		let outside = format!("time,lat,lon\n{},35,139\n", (DAY as u64 + 5) * SECONDS_PER_DAY);
		let e = read_csv(outside.as_bytes(), Some(&owner)).unwrap_err();
		assert!(format!("{e:#}").contains("no pseudonym for day"), "{e:#}");
	}

	#[test]
	fn gpx_track_points_with_times_are_read() {
		let (seed, owner) = owner();
		let gpx = r#"<?xml version="1.0"?>
<gpx version="1.1" creator="epichain-test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><trkseg>
  <trkpt lat="35.0" lon="139.0"><time>2024-10-04T00:01:00Z</time></trkpt>
  <trkpt lat="35.0001" lon="139.0"><time>2024-10-04T00:02:00Z</time></trkpt>
  <trkpt lat="35.0002" lon="139.0"></trkpt>
 </trkseg></trk>
</gpx>"#;
		// 2024-10-04 is day 20_000.
		let fixes = read_gpx(gpx.as_bytes(), Some(&owner)).unwrap();
		assert_eq!(fixes.len(), 2, "the untimed point is skipped");
		assert_eq!(fixes[0].unix_secs, 20_000 * SECONDS_PER_DAY + 60);
		assert_eq!(fixes[1].owner, seed.pseudonym(DAY));
		assert!(read_gpx(gpx.as_bytes(), None).is_err(), "a track needs an owner");
	}
}
