//! The seed corpus: the pallets' test scenarios written as fuzz programs, so that libFuzzer
//! starts from inputs that reach every call's success and its refusals. `fuzz/corpus/*/seed-*`
//! are these, written by `EPICHAIN_WRITE_SEEDS=1 cargo test -p epichain-fuzz`.
//!
//! Accounts are `who % 8` of the keyring: 0 Alice (sudo), 1 Bob (a venue in `xn76`), 2 Charlie,
//! 3 Dave, 4 Eve (a locator anywhere), 5 Ferdie (a diagnostician), 6 One and 7 Two (unfunded).
//! Matcher 0 signs with key 0 and seals to key 1.

use crate::ops::{
	large, program, AuthorityCall as A, BatchSpec, CellSpec, EndorseSpec, Gap, Op, ResultSpec,
	RevokeSpec,
};
use crate::wire::Writer;

const BOB: u8 = 1;
const CHARLIE: u8 = 2;
const EVE: u8 = 4;
const FERDIE: u8 = 5;

/// `xn76u`, five characters.
const AREA: CellSpec = CellSpec { precision: 4, variant: 0 };
/// `xn76urx`, seven characters: a place.
const PLACE: CellSpec = CellSpec { precision: 6, variant: 0 };

fn next(hours: u8) -> Op {
	Op::NextBlock(if hours == 0 { Gap::Slots(1) } else { Gap::Hours(hours) })
}

fn days(n: u8) -> Op {
	Op::NextBlock(Gap::Days(n))
}

/// Eve's valid batch for today: two entries of eight stays in `xn76u`, a fresh ephemeral key.
fn eve_batch() -> BatchSpec {
	BatchSpec {
		locator: EVE,
		signer: EVE,
		key: 0,
		day: 0,
		cell: AREA,
		entries: 2,
		stays: 8,
		odd: u16::MAX,
		ephemeral: 0,
	}
}

/// Ferdie's valid endorsement of `patient`'s case `nullifier`: onset yesterday, four consents.
fn ferdie_endorses(patient: u8, nullifier: u8) -> EndorseSpec {
	EndorseSpec {
		diagnostician: FERDIE,
		signer: FERDIE,
		patient,
		nullifier,
		onset_days_ago: 1,
		last_days_ago: 0,
		consents: 4,
		forge: 0,
	}
}

/// Matcher 0's valid round-0 result for `case`: three exposures and one infected place.
fn matcher_result(case: u8) -> ResultSpec {
	ResultSpec {
		key: 0,
		signer: 0,
		case,
		round: 0,
		as_of: 0,
		exposures: 3,
		variant: 0,
		cells: 1,
		cell: PLACE,
		tamper: 0,
		part: 0,
	}
}

/// The runtime seeds, by name.
pub fn runtime() -> Vec<(&'static str, Vec<u8>)> {
	let b = eve_batch;
	vec![
		(
			"csi-batches",
			program(&[
				Op::Batch(b()),
				Op::Batch(BatchSpec { ephemeral: 7, ..b() }),
				Op::Batch(BatchSpec { ephemeral: 7, ..b() }),
				Op::Batch(BatchSpec { signer: FERDIE, ..b() }),
				Op::Batch(BatchSpec { locator: CHARLIE, signer: CHARLIE, ..b() }),
				Op::Batch(BatchSpec { entries: 0, ..b() }),
				Op::Batch(BatchSpec { entries: large(1_025, 0x8000), stays: 1, ..b() }),
				Op::Batch(BatchSpec { stays: large(65, 0x80) as u8, ..b() }),
				Op::Batch(BatchSpec {
					entries: large(400, 0x8000),
					stays: large(45, 0x80) as u8,
					..b()
				}),
				Op::Batch(BatchSpec { odd: 1, ..b() }),
				Op::Batch(BatchSpec { key: 0x80 + 99, ..b() }),
				Op::Batch(BatchSpec { day: 1, ..b() }),
				Op::Batch(BatchSpec { day: 0xfd, ..b() }),
				next(0),
				Op::Batch(BatchSpec { day: 0xff, ..b() }),
			]),
		),
		(
			"locator-lifecycle",
			program(&[
				Op::Authority(A::SuspendLocator { who: EVE }),
				Op::Batch(b()),
				Op::Authority(A::ResumeLocator { who: EVE }),
				Op::Batch(b()),
				Op::Authority(A::RegisterLocator { who: CHARLIE, kind: 1, region: 3 }),
				Op::Batch(BatchSpec { locator: CHARLIE, signer: CHARLIE, ..b() }),
				Op::Authority(A::RegisterLocator { who: CHARLIE, kind: 1, region: 5 }),
				Op::Authority(A::RemoveLocator { who: EVE }),
				next(1),
				Op::Batch(b()),
			]),
		),
		(
			"venue-location",
			program(&[
				Op::RegisterLocation { who: BOB, cell: PLACE, operator: None, material: 7 },
				Op::RegisterLocation { who: CHARLIE, cell: PLACE, operator: None, material: 1 },
				Op::Batch(BatchSpec { locator: BOB, signer: BOB, cell: PLACE, ..b() }),
				next(2),
				Op::Authority(A::MarkInfected { cell: PLACE }),
				Op::MarkCleaned { who: CHARLIE, cell: PLACE },
				Op::MarkCleaned { who: BOB, cell: PLACE },
				Op::Authority(A::MarkInfected { cell: PLACE }),
				days(15),
				Op::MarkCleaned { who: BOB, cell: PLACE },
				Op::Authority(A::RegisterLocation {
					cell: CellSpec { precision: 2, variant: 0 },
					operator: None,
					material: 0,
				}),
			]),
		),
		(
			"endorse-and-notify",
			program(&[
				Op::RegisterLocation { who: BOB, cell: PLACE, operator: None, material: 6 },
				Op::Endorse(ferdie_endorses(1, 1)),
				next(0),
				Op::Result(matcher_result(0)),
				Op::Result(matcher_result(0)),
				Op::Result(ResultSpec { round: 1, exposures: 0, cells: 0, ..matcher_result(0) }),
				Op::Endorse(ferdie_endorses(1, 1)),
				Op::Endorse(EndorseSpec { forge: 1, ..ferdie_endorses(2, 2) }),
				Op::Endorse(EndorseSpec { forge: 2, ..ferdie_endorses(2, 2) }),
				Op::Endorse(EndorseSpec { signer: BOB, ..ferdie_endorses(2, 2) }),
				Op::Endorse(EndorseSpec {
					diagnostician: BOB,
					signer: BOB,
					..ferdie_endorses(2, 2)
				}),
				Op::Endorse(EndorseSpec {
					consents: 16,
					last_days_ago: 0,
					onset_days_ago: 19,
					..ferdie_endorses(3, 3)
				}),
				Op::Endorse(ferdie_endorses(4, 4)),
				next(1),
				Op::Result(ResultSpec { key: 1, ..matcher_result(1) }),
				Op::Result(ResultSpec { tamper: 1, ..matcher_result(1) }),
				Op::Result(ResultSpec { signer: 2, ..matcher_result(1) }),
				Op::Result(ResultSpec { case: 9, ..matcher_result(1) }),
				Op::Result(ResultSpec { exposures: large(1_025, 0x8000), ..matcher_result(1) }),
				Op::Result(matcher_result(1)),
				Op::Revoke(RevokeSpec { diagnostician: FERDIE, signer: BOB, case: 0, reason: 0 }),
				Op::Revoke(RevokeSpec {
					diagnostician: FERDIE,
					signer: FERDIE,
					case: 0,
					reason: 0,
				}),
				Op::Authority(A::ForceRevoke { case: 1, reason: 3 }),
				Op::Authority(A::ForceRevoke { case: 1, reason: 3 }),
			]),
		),
		(
			"diagnosticians",
			program(&[
				Op::Authority(A::RegisterDiagnostician { who: CHARLIE, region: 2 }),
				Op::Authority(A::RegisterDiagnostician { who: CHARLIE, region: 5 }),
				Op::Endorse(EndorseSpec {
					diagnostician: CHARLIE,
					signer: CHARLIE,
					..ferdie_endorses(5, 5)
				}),
				Op::Authority(A::SuspendDiagnostician { who: FERDIE }),
				Op::Endorse(ferdie_endorses(6, 6)),
				Op::Authority(A::ResumeDiagnostician { who: FERDIE }),
				Op::Endorse(ferdie_endorses(6, 6)),
				Op::Authority(A::RemoveDiagnostician { who: CHARLIE }),
				next(0),
				Op::Revoke(RevokeSpec {
					diagnostician: CHARLIE,
					signer: CHARLIE,
					case: 0,
					reason: 1,
				}),
			]),
		),
		(
			"matcher-keys",
			program(&[
				Op::Authority(A::RotateSealingKey { matcher: 0, sealing: 2 }),
				Op::Authority(A::RotateSealingKey { matcher: 0, sealing: 2 }),
				Op::Batch(BatchSpec { key: 0x80, ..b() }),
				Op::Batch(b()),
				next(7),
				Op::Batch(BatchSpec { key: 0x80, ..b() }),
				Op::Authority(A::RegisterMatcher {
					signer: 1,
					sealing: 3,
					from_days_ago: 0,
					until_days: 30,
				}),
				Op::Authority(A::RegisterMatcher {
					signer: 1,
					sealing: 4,
					from_days_ago: 0,
					until_days: 30,
				}),
				Op::Authority(A::RegisterMatcher {
					signer: 2,
					sealing: 0,
					from_days_ago: 0,
					until_days: 30,
				}),
				Op::Authority(A::RenewAttestation { matcher: 0, until_days: 60 }),
				Op::Authority(A::RenewAttestation { matcher: 0, until_days: 2 }),
				days(15),
				Op::Batch(BatchSpec { key: 0x80, ..b() }),
				Op::Batch(b()),
				Op::Authority(A::RevokeMatcher { matcher: 1 }),
				Op::Authority(A::RevokeMatcher { matcher: 1 }),
				Op::Batch(BatchSpec { key: 1, ..b() }),
			]),
		),
		(
			"retention",
			program(&[
				Op::RegisterLocation { who: BOB, cell: PLACE, operator: None, material: 2 },
				Op::Batch(b()),
				Op::Batch(BatchSpec { locator: BOB, signer: BOB, cell: PLACE, ..b() }),
				Op::Endorse(ferdie_endorses(7, 7)),
				next(0),
				Op::Result(matcher_result(0)),
				days(8),
				Op::Batch(b()),
				days(8),
				Op::Batch(b()),
				days(20),
				days(20),
				Op::Endorse(ferdie_endorses(7, 7)),
			]),
		),
		(
			"usurpers",
			program(&[
				Op::Usurp {
					who: BOB,
					call: A::RegisterMatcher {
						signer: 3,
						sealing: 5,
						from_days_ago: 0,
						until_days: 30,
					},
				},
				Op::Usurp { who: EVE, call: A::RegisterLocator { who: EVE, kind: 0, region: 0 } },
				Op::Usurp {
					who: FERDIE,
					call: A::RegisterDiagnostician { who: FERDIE, region: 0 },
				},
				Op::Usurp { who: BOB, call: A::MarkInfected { cell: PLACE } },
				Op::Usurp { who: CHARLIE, call: A::ForceRevoke { case: 0, reason: 0 } },
				Op::Usurp { who: 6, call: A::RevokeMatcher { matcher: 0 } },
				Op::Usurp {
					who: 0,
					call: A::SetRiskParams {
						distance_cm: 100,
						min_duration_secs: 60,
						slopes: [0; 3],
						materials: vec![],
					},
				},
			]),
		),
		(
			"risk-params",
			program(&[
				Op::Authority(A::SetRiskParams {
					distance_cm: 150,
					min_duration_secs: 600,
					slopes: [(-1_500i32) as u32, 150, (-800i32) as u32],
					materials: vec![(7, 300), (1, (-200i32) as u32)],
				}),
				Op::Authority(A::SetRiskParams {
					distance_cm: 0,
					min_duration_secs: 600,
					slopes: [0; 3],
					materials: vec![],
				}),
				Op::Authority(A::SetRiskParams {
					distance_cm: 200,
					min_duration_secs: 900,
					slopes: [u32::MAX; 3],
					materials: vec![(5, 1), (5, 2)],
				}),
			]),
		),
		(
			"raw-calls",
			program(&[
				Op::Raw { who: BOB, general: false, call: vec![0, 0, 8, 1, 2] },
				Op::Raw { who: BOB, general: true, call: vec![0, 0, 0] },
				Op::Raw { who: 7, general: false, call: vec![0, 0, 0] },
				Op::Raw { who: EVE, general: true, call: vec![8, 4, 0xff, 0xff] },
			]),
		),
	]
}

/// The decoder seeds, by name: one valid input per decoder.
pub fn decoders() -> Vec<(&'static str, Vec<u8>)> {
	let mut seeds = Vec::new();
	let mut seed = |name, f: &dyn Fn(&mut Writer)| {
		let mut w = Writer::default();
		f(&mut w);
		seeds.push((name, w.finish()));
	};
	// A 10-minute satellite stay at 08:20 in `xn76urx4d`.
	seed("stay", &|w| {
		w.u8(0).u32(20_778);
		[0xedu8, 0x0e, 0x6d, 0x5f, 0xa4, 0x61, 0xd4, 0xc0, 0xef, 0x10, 0x00].iter().for_each(|b| {
			w.u8(*b);
		});
	});
	seed("geohash", &|w| {
		w.u8(2);
		b"xn76urx4d".iter().for_each(|b| {
			w.u8(*b);
		});
	});
	seed("sealed-entry-intact", &|w| {
		w.u8(4).u8(1).u8(0);
	});
	seed("sealed-entry-flipped", &|w| {
		w.u8(4).u8(1).u8(1).u8(40).u8(0x80);
	});
	seed("sealed-entry-moved", &|w| {
		w.u8(4).u8(2).u8(2).u32(1);
	});
	seed("risk", &|w| {
		w.u8(6).u8(1).u8(7).u32(400).u32(200).u32(900);
		w.u32((-2_000i32) as u32).u32(200).u32((-1_000i32) as u32).u32(15).u32(1_000).u8(7);
	});
	seed("window", &|w| {
		w.u8(7).u32(20_777).u32(20_778).u32(20_776).u32(8);
	});
	seeds
}
