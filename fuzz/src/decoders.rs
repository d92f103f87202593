//! The decoders harness: arbitrary bytes into every parser of `epichain-primitives`, the
//! sealing open path and the SCALE decoding of the types extrinsics carry. Each must answer
//! with an error, never a panic; what decodes must re-encode to the same bytes (one encoding
//! per value, so a signed payload cannot be re-encoded into a different one); and a sealed
//! entry that was altered in any way must not open.

use crate::{runtime::material, wire::Reader};
use codec::{DecodeAll, DecodeLimit, Encode};
use epichain_primitives::{
	csi::{self, BatchHeader, EntryPlain, Source, Stay, STAY_WIRE_LEN},
	diagnosis::{ConsentedPseudonym, DayWindow},
	geohash::{self, Geohash},
	matching::RiskParams,
	pseudonym,
	sealing::{self, SealingSecret},
	tcn::SignedReport,
};
use epichain_runtime::{Runtime, RuntimeCall, UncheckedExtrinsic};
use std::sync::OnceLock;

/// Decoders the first byte of an input chooses from.
pub const DECODERS: u8 = 9;

/// Runs the decoder the first byte of `input` picks on the rest. Panics if a property breaks.
pub fn run(input: &[u8]) {
	let mut r = Reader::new(input);
	match r.u8() % DECODERS {
		0 => stay(&mut r),
		1 => plaintext(&mut r),
		2 => geohashes(r.rest()),
		3 => report(r.rest()),
		4 => open(&mut r),
		5 => scale(&mut r),
		6 => risk(&mut r),
		7 => windows(&mut r),
		_ => signatures(&mut r),
	}
}

fn header(r: &mut Reader) -> BatchHeader {
	let mut ephemeral = [0u8; 32];
	ephemeral.iter_mut().for_each(|b| *b = r.u8());
	BatchHeader {
		key_id: r.u32(),
		ephemeral,
		day: r.u32(),
		cell_prefix: Geohash::parse(b"xn76u").expect("a geohash"),
	}
}

fn stay(r: &mut Reader) {
	let day = r.u32();
	let mut wire = [0u8; STAY_WIRE_LEN];
	wire.iter_mut().for_each(|b| *b = r.u8());
	if let Ok(s) = Stay::from_wire(day, &wire) {
		assert_eq!(s.to_wire(day), Ok(wire), "a stay re-encodes to its wire bytes");
		assert_eq!(s.day(), day, "a stay decoded for a day lies in that day");
		assert!(s.start <= s.end, "a decoded stay never runs backwards");
	}
}

fn plaintext(r: &mut Reader) {
	let header = header(r);
	let bytes = r.rest();
	if let Ok(entry) = EntryPlain::from_plaintext(&header, bytes) {
		assert_eq!(entry.to_plaintext(&header).as_deref(), Ok(bytes), "an entry re-encodes");
	}
	let _ = csi::stays_in_entry(bytes.len());
	// Any bytes are at most one kind of entry, and a device entry's stays are those of its
	// ciphertext.
	if let Some(shape) = csi::EntryShape::of(bytes) {
		match shape.kind {
			csi::EntryKind::Locator => assert_eq!(shape.device_key, None),
			csi::EntryKind::Device => {
				assert_eq!(csi::stays_in_entry(bytes.len()), None, "never both kinds");
				assert_eq!(bytes.len(), csi::device_entry_len(shape.stays) as usize);
			},
		}
	}
}

fn geohashes(bytes: &[u8]) {
	if let Ok(g) = Geohash::parse(bytes) {
		assert_eq!(g.as_bytes(), bytes, "a parsed geohash keeps its text");
		assert_eq!(Geohash::from_bits(g.to_bits(), g.len()), Ok(g), "bits round-trip");
		assert!(g.is_within(&bytes[..bytes.len() / 2]), "a geohash lies within its prefixes");
		let _ = geohash::decode(bytes).expect("a valid geohash decodes to a cell");
		let _ = geohash::neighbours(bytes).expect("a valid geohash has neighbours");
		let _ = g.truncate(bytes.len() / 2 + 1);
	} else {
		assert!(geohash::decode(bytes).is_err() && geohash::neighbours(bytes).is_err());
	}
	let _ = geohash::is_valid_region(bytes);
	if bytes.len() >= 9 {
		let bits = u64::from_le_bytes(bytes[1..9].try_into().expect("8 bytes"));
		let _ = Geohash::from_bits(bits, bytes[0] as usize);
	}
	if let Ok(g) = Geohash::decode_all(&mut &bytes[..]) {
		assert_eq!(g.encode(), bytes, "one encoding per geohash");
		assert!(geohash::is_valid(g.as_bytes()), "SCALE decodes valid geohashes only");
	}
}

fn report(bytes: &[u8]) {
	if let Ok(report) = SignedReport::from_bytes(bytes) {
		assert_eq!(report.to_bytes(), bytes, "a report re-encodes to its bytes");
		let _ = report.check_shape();
		let _ = report.verify();
		let _ = report.temporary_contact_numbers();
	}
}

/// A batch of two entries sealed to [`secret`], once per process.
fn sealed() -> &'static (BatchHeader, Vec<Vec<u8>>) {
	static SEALED: OnceLock<(BatchHeader, Vec<Vec<u8>>)> = OnceLock::new();
	SEALED.get_or_init(|| {
		let day = 20_778;
		let cell = Geohash::parse(b"xn76u").expect("a geohash");
		let at = |i: u64| Stay {
			start: day as u64 * epichain_primitives::SECONDS_PER_DAY + 600 * i,
			end: day as u64 * epichain_primitives::SECONDS_PER_DAY + 600 * i + 300,
			geohash: Geohash::parse(b"xn76urx4d").expect("a geohash"),
			source: Source::Gnss,
		};
		let entries = [
			EntryPlain { owner: [1; 32], stays: (0..3).map(at).collect() },
			EntryPlain { owner: [2; 32], stays: vec![at(5)] },
		];
		let batch =
			sealing::seal_batch_with_ephemeral([9; 32], &secret().public(), 1, day, cell, &entries)
				.expect("seals");
		(batch.header, batch.entries)
	})
}

fn secret() -> &'static SealingSecret {
	static SECRET: OnceLock<SealingSecret> = OnceLock::new();
	SECRET.get_or_init(|| SealingSecret::from_bytes([0x5e; 32]))
}

fn open(r: &mut Reader) {
	let (sealed_header, entries) = sealed();
	match r.u8() % 3 {
		// An arbitrary header and ciphertext.
		0 => {
			let header = header(r);
			let index = r.u32();
			let ciphertext = r.rest();
			if let Ok(opener) = secret().batch_opener(&header) {
				let _ = opener.open(index, ciphertext);
			}
		},
		// A sealed entry with bytes flipped, cut or appended: it must not open.
		1 => {
			let index = r.u8() as usize % entries.len();
			let mut ciphertext = entries[index].clone();
			let edits = r.rest();
			for pair in edits.chunks(2) {
				match pair {
					[0, n] => ciphertext.truncate(ciphertext.len().saturating_sub(1 + *n as usize)),
					[1, n] => ciphertext.push(*n),
					[at, x] => {
						let at = *at as usize % ciphertext.len().max(1);
						if let Some(b) = ciphertext.get_mut(at) {
							*b ^= x;
						}
					},
					_ => {},
				}
			}
			let opener = secret().batch_opener(sealed_header).expect("the sealed header opens");
			if ciphertext != entries[index] {
				assert!(opener.open(index as u32, &ciphertext).is_err(), "an altered entry opened");
			} else {
				assert!(opener.open(index as u32, &ciphertext).is_ok(), "the sealed entry opens");
			}
		},
		// The right ciphertext under a header or an index it was not sealed with.
		_ => {
			let mut other = sealed_header.clone();
			let (what, x) = (r.u8() % 3, r.u32());
			let mut index = 0u32;
			match what {
				0 => other.day ^= x.max(1),
				1 => other.ephemeral[x as usize % 32] ^= (x >> 8) as u8 | 1,
				_ => index = x.max(1),
			}
			if let Ok(opener) = secret().batch_opener(&other) {
				assert!(opener.open(index, &entries[0]).is_err(), "an entry opened out of place");
			}
		},
	}
}

/// Decodes with the runtime's depth limit; what decodes must re-encode to the same bytes.
fn roundtrip<T: codec::Decode + Encode>(bytes: &[u8], what: &str) {
	if let Ok(value) =
		T::decode_all_with_depth_limit(frame_support::MAX_EXTRINSIC_DEPTH, &mut &bytes[..])
	{
		assert_eq!(value.encode(), bytes, "{what}: one encoding per value");
	}
}

fn scale(r: &mut Reader) {
	let which = r.u8();
	let bytes = r.rest();
	match which % 8 {
		0 => roundtrip::<pallet_csi::CsiBatch>(bytes, "CsiBatch"),
		1 => roundtrip::<pallet_diagnosis::EndorsementOf<Runtime>>(bytes, "Endorsement"),
		2 => roundtrip::<pallet_notifications::MatchResultOf<Runtime>>(bytes, "MatchResult"),
		3 => roundtrip::<RiskParams>(bytes, "RiskParams"),
		4 => roundtrip::<ConsentedPseudonym>(bytes, "ConsentedPseudonym"),
		5 => roundtrip::<epichain_primitives::matching::JobRequest>(bytes, "JobRequest"),
		6 => {
			let _ = RuntimeCall::decode_all_with_depth_limit(
				frame_support::MAX_EXTRINSIC_DEPTH,
				&mut &bytes[..],
			);
		},
		_ => {
			if let Ok(xt) = UncheckedExtrinsic::decode_all_with_depth_limit(
				frame_support::MAX_EXTRINSIC_DEPTH,
				&mut &bytes[..],
			) {
				let _ = xt.encode();
			}
		},
	}
}

fn risk(r: &mut Reader) {
	let materials = (0..r.u8() % 9).map(|_| (material(r.u8()), r.u32() as i32)).collect::<Vec<_>>();
	let params = RiskParams {
		distance_cm: r.u32(),
		min_duration_secs: r.u32(),
		intercept_milli: r.u32() as i32,
		per_minute_milli: r.u32() as i32,
		per_metre_milli: r.u32() as i32,
		materials: frame_support::BoundedVec::truncate_from(materials),
		..RiskParams::default()
	};
	let _ = params.is_valid();
	let (minutes, metres, m) = (r.u32(), r.u32(), material(r.u8()));
	let _ = params.logit_milli(minutes, metres, m);
	let p = params.probability_ppm(minutes, metres, m);
	assert!(p <= 1_000_000, "a probability is at most one million ppm: {p}");
	// Place-based exposure: any survival table and lag.
	let survival = (0..r.u8() % 9).map(|_| (material(r.u8()), r.u32())).collect::<Vec<_>>();
	let params = RiskParams {
		venue_precision: r.u8(),
		per_lag_hour_milli: r.u32() as i32,
		survival_secs: frame_support::BoundedVec::truncate_from(survival),
		..params
	};
	let _ = params.is_valid();
	assert!(params.longest_survival() >= params.survival_of(m), "the longest is the longest");
	let p = params.indirect_probability_ppm(minutes, r.u32(), m);
	assert!(p <= 1_000_000, "a probability is at most one million ppm: {p}");
}

fn windows(r: &mut Reader) {
	let (onset, isolation, day) = (r.u32(), r.u32(), r.u32());
	let window = DayWindow::from_onset(onset, isolation);
	let days = window.days();
	assert_eq!(days == 0, !window.contains(window.first), "an empty window holds no day");
	let _ = window.contains(day);
	let _ = DayWindow { first: onset, last: isolation }.days();
	// `entry_len` sizes entries the chain bounds (64 stays); it is not fed untrusted counts.
	let stays = r.u32() % 1_000_000;
	let len = csi::entry_len(stays) as usize;
	assert_eq!(csi::stays_in_entry(len), (stays > 0).then_some(stays), "lengths round-trip");
}

fn signatures(r: &mut Reader) {
	let mut pseudonym = [0u8; 32];
	pseudonym.iter_mut().for_each(|b| *b = r.u8());
	let mut signature = [0u8; 64];
	signature.iter_mut().for_each(|b| *b = r.u8());
	let message = r.rest();
	if pseudonym::verify(&pseudonym, message, &signature) {
		let longer = [message, &[0]].concat();
		assert!(
			!pseudonym::verify(&pseudonym, &longer, &signature),
			"a signature binds its message"
		);
	}
	let consent = ConsentedPseudonym { day: 20_778, pseudonym, consent: signature };
	let _ = consent.verify(message, b"diagnostician", &[0; 32]);
}
