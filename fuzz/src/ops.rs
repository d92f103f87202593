//! What a runtime fuzz input says: a program of [`Op`]s, read from bytes with [`Op::read`] and
//! written back with [`Op::write`] (the seed corpus is written that way).
//!
//! Fields are small selectors rather than raw values, so that most programs reach the pallets'
//! logic (a batch signed by a real locator, sealed to a real key id, of a plausible day) while
//! every selector also reaches its refusals (a stranger signs, the key id is unknown, the day
//! is in the future, an entry has one byte too many). [`Op::Raw`] covers the rest: arbitrary
//! bytes decoded as a call.

use crate::wire::{Reader, Writer};

/// One step of a runtime fuzz program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
	/// Finish the block and start the next one after `gap`.
	NextBlock(Gap),
	/// An authority call through `sudo`, signed by the sudo key.
	Authority(AuthorityCall),
	/// An authority call signed by account `who` directly: never the authority's origin.
	Usurp {
		/// The account that signs, `who % 8` among the keyring accounts.
		who: u8,
		/// The authority call, built as for [`Op::Authority`].
		call: AuthorityCall,
	},
	/// A locator's CSI batch, as a general (authorized) transaction.
	Batch(BatchSpec),
	/// A diagnostician's endorsement, as a general (authorized) transaction.
	Endorse(EndorseSpec),
	/// A diagnostician's revocation, as a general (authorized) transaction.
	Revoke(RevokeSpec),
	/// A matcher's signed result, as a general (authorized) transaction.
	Result(ResultSpec),
	/// `register_location` signed by `who` (a venue registering its own cell, or not).
	RegisterLocation {
		/// The account that signs, `who % 8` among the keyring accounts (1, Bob, is the
		/// genesis venue in `xn76urx`).
		who: u8,
		/// The cell to register.
		cell: CellSpec,
		/// The operator named, `% 8` among the keyring accounts; `None` names none (a venue
		/// then operates the cell itself).
		operator: Option<u8>,
		/// The surface material as its SCALE index, `material % 8` (0 is `Unknown`).
		material: u8,
	},
	/// `mark_cleaned` signed by `who`.
	MarkCleaned {
		/// The account that signs, `who % 8` among the keyring accounts.
		who: u8,
		/// The cell to mark cleaned.
		cell: CellSpec,
	},
	/// Arbitrary bytes decoded as a call, signed by `who` or, if `general`, with no signer.
	Raw {
		/// The account that signs, `who % 8` among the keyring accounts; unused if `general`.
		who: u8,
		/// Submit as a general transaction with no signer (the low bit of its byte).
		general: bool,
		/// The call's SCALE encoding, at most 4,096 bytes; one that does not decode, or a
		/// `sudo` call, is skipped.
		call: Vec<u8>,
	},
}

/// How far the next block's slot is from the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
	/// `max(n, 1)` slots of 6 s.
	Slots(u8),
	/// `n % 49` hours (and one slot).
	Hours(u8),
	/// `n % 21` days (and one slot): far enough to cross the 14-day retention window.
	Days(u8),
}

/// A cell near the synthetic base cell: `variant` picks one of 256 neighbours at 9
/// characters, `precision` (1 + `precision % 12`) truncates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CellSpec {
	/// The cell's length: `1 + precision % 12` characters, at most the base cell's 9.
	pub precision: u8,
	/// XORed into the low 8 bits of the base cell `xn76urx4d` (its last two characters).
	pub variant: u8,
}

/// A call only the region's authority may make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorityCall {
	/// `register_matcher`, with SIMULATION evidence of a fixed measurement (the development
	/// genesis allows it).
	RegisterMatcher {
		/// The signing key: matcher ed25519 key `signer % 4`.
		signer: u8,
		/// The sealing key: 0 is the all-zero key the registry refuses, else the public key of
		/// the secret `[sealing; 32]`.
		sealing: u8,
		/// The attestation is valid from this many days before now.
		from_days_ago: u8,
		/// The attestation is valid until `until_days - 7` days from now (in the past below 7).
		until_days: u8,
	},
	/// `rotate_sealing_key`, endorsed by signing key `matcher % 4` (the matcher's own when it
	/// was registered with that signer, as matcher 0 is; otherwise refused by name).
	RotateSealingKey {
		/// The matcher's id, `matcher % 4`.
		matcher: u8,
		/// The new sealing key, chosen as [`AuthorityCall::RegisterMatcher`]'s `sealing`.
		sealing: u8,
	},
	/// `renew_attestation`.
	RenewAttestation {
		/// The matcher's id, `matcher % 4`.
		matcher: u8,
		/// The new end, as [`AuthorityCall::RegisterMatcher`]'s `until_days`. Also the
		/// SIMULATION evidence's measurement's repeated byte.
		until_days: u8,
	},
	/// `revoke_matcher`.
	RevokeMatcher {
		/// The matcher's id, `matcher % 4`.
		matcher: u8,
	},
	/// `register_locator`.
	RegisterLocator {
		/// The locator's account, `who % 8` among the keyring accounts.
		who: u8,
		/// The locator kind, `kind % 6` over TransitGate, WiFi, Venue, AppGateway, Camera and
		/// Other. Also the metadata hash's repeated byte.
		kind: u8,
		/// The region, `region % 6` over `""`, `xn`, `xn76`, `9q`, `xn76urx` and `ai` (not a
		/// geohash).
		region: u8,
	},
	/// `suspend_locator`.
	SuspendLocator {
		/// The locator's account, `who % 8` among the keyring accounts.
		who: u8,
	},
	/// `resume_locator`.
	ResumeLocator {
		/// The locator's account, `who % 8` among the keyring accounts.
		who: u8,
	},
	/// `remove_locator`.
	RemoveLocator {
		/// The locator's account, `who % 8` among the keyring accounts.
		who: u8,
	},
	/// `register_diagnostician`.
	RegisterDiagnostician {
		/// The diagnostician's account, `who % 8` among the keyring accounts. Also the
		/// certificate hash's repeated byte.
		who: u8,
		/// The jurisdiction, chosen as [`AuthorityCall::RegisterLocator`]'s `region`.
		region: u8,
	},
	/// `suspend_diagnostician`.
	SuspendDiagnostician {
		/// The diagnostician's account, `who % 8` among the keyring accounts.
		who: u8,
	},
	/// `resume_diagnostician`.
	ResumeDiagnostician {
		/// The diagnostician's account, `who % 8` among the keyring accounts.
		who: u8,
	},
	/// `remove_diagnostician`.
	RemoveDiagnostician {
		/// The diagnostician's account, `who % 8` among the keyring accounts.
		who: u8,
	},
	/// `force_revoke`.
	ForceRevoke {
		/// The case's id.
		case: u8,
		/// The reason, `reason % 4` over FalsePositive, EnteredInError, ConsentWithdrawn and
		/// Fraud.
		reason: u8,
	},
	/// `mark_infected`.
	MarkInfected {
		/// The cell to mark infected.
		cell: CellSpec,
	},
	/// `register_location`, as the authority.
	RegisterLocation {
		/// The cell to register.
		cell: CellSpec,
		/// The operator named, `% 8` among the keyring accounts, or none.
		operator: Option<u8>,
		/// The surface material as its SCALE index, `material % 8` (0 is `Unknown`).
		material: u8,
	},
	/// `set_risk_params`; the parameters not given here keep their defaults.
	SetRiskParams {
		/// The close-contact distance in centimetres.
		distance_cm: u32,
		/// The close-contact duration in seconds.
		min_duration_secs: u32,
		/// The intercept and the per-minute and per-metre coefficients, in thousandths, each
		/// cast to `i32`.
		slopes: [u32; 3],
		/// Each material's coefficient: the material as its SCALE index (`% 8`) and the
		/// coefficient cast to `i32`. At most 9 are read; the call keeps its bound of 8.
		materials: Vec<(u8, u32)>,
	},
}

/// A CSI batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BatchSpec {
	/// The locator the batch names.
	pub locator: u8,
	/// Who signs it (the locator itself when equal).
	pub signer: u8,
	/// The sealing key id: the current key of matcher `key` below 0x80, else `key - 0x80`.
	pub key: u8,
	/// The batch's day relative to today, as `i8 % 4`.
	pub day: u8,
	/// The batch's cell prefix.
	pub cell: CellSpec,
	/// Entries in the batch: a [`count`] of at most 1,100 (the bound is 1,024).
	pub entries: u16,
	/// Stays in each entry: a [`count`] of at most 70 (the bound is 64).
	pub stays: u8,
	/// The entry that carries one stray byte, if it is in range.
	pub odd: u16,
	/// The ephemeral key: fresh when 0, else one of 255 fixed ones (replays).
	pub ephemeral: u8,
}

/// A diagnostician's endorsement of a patient's case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct EndorseSpec {
	/// The diagnostician the endorsement names.
	pub diagnostician: u8,
	/// Who signs it.
	pub signer: u8,
	/// The patient (a synthetic device seed).
	pub patient: u8,
	/// The case's nullifier (one of 256).
	pub nullifier: u8,
	/// The onset, days before today.
	pub onset_days_ago: u8,
	/// The end of the window, days before today.
	pub last_days_ago: u8,
	/// Consented pseudonyms: the window's last day and the days before it (at most 16), in day
	/// order.
	pub consents: u8,
	/// Bit 0: one consent is signed by another patient. Bit 1: the window is changed after
	/// the diagnostician signed. Bits 2-3: valid until an hour ahead (0, 3), a past block (1)
	/// or too far ahead (2).
	pub forge: u8,
}

/// A diagnostician's revocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RevokeSpec {
	/// The diagnostician the revocation names, `% 8` among the keyring accounts.
	pub diagnostician: u8,
	/// Who signs it, `% 8` among the keyring accounts.
	pub signer: u8,
	/// The case's id.
	pub case: u8,
	/// Bits 0-1: the reason. Bits 2-3: valid until as an endorsement's `forge` bits 2-3.
	pub reason: u8,
}

/// A matcher's result for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ResultSpec {
	/// The ed25519 key that signs (one of four matcher keys).
	pub key: u8,
	/// The signer the result names: the signing key when 0, else key `signer - 1`.
	pub signer: u8,
	/// The case's id.
	pub case: u8,
	/// The result's round.
	pub round: u8,
	/// The block the result is as of: this many blocks before the open one.
	pub as_of: u8,
	/// Exposures: a [`count`] of at most 1,100 (the bound is 1,024).
	pub exposures: u16,
	/// Which fingerprints and days the exposures name.
	pub variant: u8,
	/// Infected cells: a [`count`] of at most 260 (the bound is 256).
	pub cells: u16,
	/// The first infected cell; the next ones' variants count up from it.
	pub cell: CellSpec,
	/// Nonzero: the result is altered after it was signed.
	pub tamper: u8,
	/// The part (low 2 bits) and, less one, the number of parts (next 2 bits).
	pub part: u8,
}

const OPS: u8 = 10;

/// A count read from a field: up to 8 unless the field's `large` bit is set, then up to
/// `max_large - 1` (the other bits modulo `max_large`). Most programs stay small and fast; the
/// bounds stay one bit away.
pub fn count(field: u16, large: u16, max_large: u16) -> u16 {
	if field & large == 0 {
		field % 9
	} else {
		(field & (large - 1)) % max_large
	}
}

/// The field value [`count`] reads as `n`, for `n` above 8 (with `large` set).
pub const fn large(n: u16, large: u16) -> u16 {
	n | large
}
const AUTHORITY_CALLS: u8 = 16;

impl CellSpec {
	fn read(r: &mut Reader) -> Self {
		Self { precision: r.u8(), variant: r.u8() }
	}

	fn write(&self, w: &mut Writer) {
		w.u8(self.precision).u8(self.variant);
	}
}

fn read_option(r: &mut Reader) -> Option<u8> {
	match r.u8() {
		0 => None,
		_ => Some(r.u8()),
	}
}

fn write_option(w: &mut Writer, v: Option<u8>) {
	match v {
		None => w.u8(0),
		Some(v) => w.u8(1).u8(v),
	};
}

impl AuthorityCall {
	fn read(r: &mut Reader) -> Self {
		use AuthorityCall::*;
		match r.u8() % AUTHORITY_CALLS {
			0 => RegisterMatcher {
				signer: r.u8(),
				sealing: r.u8(),
				from_days_ago: r.u8(),
				until_days: r.u8(),
			},
			1 => RotateSealingKey { matcher: r.u8(), sealing: r.u8() },
			2 => RenewAttestation { matcher: r.u8(), until_days: r.u8() },
			3 => RevokeMatcher { matcher: r.u8() },
			4 => RegisterLocator { who: r.u8(), kind: r.u8(), region: r.u8() },
			5 => SuspendLocator { who: r.u8() },
			6 => ResumeLocator { who: r.u8() },
			7 => RemoveLocator { who: r.u8() },
			8 => RegisterDiagnostician { who: r.u8(), region: r.u8() },
			9 => SuspendDiagnostician { who: r.u8() },
			10 => ResumeDiagnostician { who: r.u8() },
			11 => RemoveDiagnostician { who: r.u8() },
			12 => ForceRevoke { case: r.u8(), reason: r.u8() },
			13 => MarkInfected { cell: CellSpec::read(r) },
			14 => RegisterLocation {
				cell: CellSpec::read(r),
				operator: read_option(r),
				material: r.u8(),
			},
			_ => SetRiskParams {
				distance_cm: r.u32(),
				min_duration_secs: r.u32(),
				slopes: [r.u32(), r.u32(), r.u32()],
				materials: (0..r.u8() % 10).map(|_| (r.u8(), r.u32())).collect(),
			},
		}
	}

	fn write(&self, w: &mut Writer) {
		use AuthorityCall::*;
		match self {
			RegisterMatcher { signer, sealing, from_days_ago, until_days } => {
				w.u8(0).u8(*signer).u8(*sealing).u8(*from_days_ago).u8(*until_days)
			},
			RotateSealingKey { matcher, sealing } => w.u8(1).u8(*matcher).u8(*sealing),
			RenewAttestation { matcher, until_days } => w.u8(2).u8(*matcher).u8(*until_days),
			RevokeMatcher { matcher } => w.u8(3).u8(*matcher),
			RegisterLocator { who, kind, region } => w.u8(4).u8(*who).u8(*kind).u8(*region),
			SuspendLocator { who } => w.u8(5).u8(*who),
			ResumeLocator { who } => w.u8(6).u8(*who),
			RemoveLocator { who } => w.u8(7).u8(*who),
			RegisterDiagnostician { who, region } => w.u8(8).u8(*who).u8(*region),
			SuspendDiagnostician { who } => w.u8(9).u8(*who),
			ResumeDiagnostician { who } => w.u8(10).u8(*who),
			RemoveDiagnostician { who } => w.u8(11).u8(*who),
			ForceRevoke { case, reason } => w.u8(12).u8(*case).u8(*reason),
			MarkInfected { cell } => {
				w.u8(13);
				cell.write(w);
				w
			},
			RegisterLocation { cell, operator, material } => {
				w.u8(14);
				cell.write(w);
				write_option(w, *operator);
				w.u8(*material)
			},
			SetRiskParams { distance_cm, min_duration_secs, slopes, materials } => {
				w.u8(15).u32(*distance_cm).u32(*min_duration_secs);
				slopes.iter().for_each(|s| {
					w.u32(*s);
				});
				w.u8(materials.len() as u8);
				materials.iter().for_each(|(m, v)| {
					w.u8(*m).u32(*v);
				});
				w
			},
		};
	}
}

impl Op {
	/// Reads the next op; `None` once the input is used up.
	pub fn read(r: &mut Reader) -> Option<Self> {
		if r.is_empty() {
			return None;
		}
		Some(match r.u8() % OPS {
			0 => Op::NextBlock(match r.u8() % 3 {
				0 => Gap::Slots(r.u8()),
				1 => Gap::Hours(r.u8()),
				_ => Gap::Days(r.u8()),
			}),
			1 => Op::Authority(AuthorityCall::read(r)),
			2 => Op::Usurp { who: r.u8(), call: AuthorityCall::read(r) },
			3 => Op::Batch(BatchSpec {
				locator: r.u8(),
				signer: r.u8(),
				key: r.u8(),
				day: r.u8(),
				cell: CellSpec::read(r),
				entries: r.u16(),
				stays: r.u8(),
				odd: r.u16(),
				ephemeral: r.u8(),
			}),
			4 => Op::Endorse(EndorseSpec {
				diagnostician: r.u8(),
				signer: r.u8(),
				patient: r.u8(),
				nullifier: r.u8(),
				onset_days_ago: r.u8(),
				last_days_ago: r.u8(),
				consents: r.u8(),
				forge: r.u8(),
			}),
			5 => Op::Revoke(RevokeSpec {
				diagnostician: r.u8(),
				signer: r.u8(),
				case: r.u8(),
				reason: r.u8(),
			}),
			6 => Op::Result(ResultSpec {
				key: r.u8(),
				signer: r.u8(),
				case: r.u8(),
				round: r.u8(),
				as_of: r.u8(),
				exposures: r.u16(),
				variant: r.u8(),
				cells: r.u16(),
				cell: CellSpec::read(r),
				tamper: r.u8(),
				part: r.u8(),
			}),
			7 => Op::RegisterLocation {
				who: r.u8(),
				cell: CellSpec::read(r),
				operator: read_option(r),
				material: r.u8(),
			},
			8 => Op::MarkCleaned { who: r.u8(), cell: CellSpec::read(r) },
			_ => Op::Raw { who: r.u8(), general: r.u8() & 1 == 1, call: r.bytes(4096) },
		})
	}

	/// Appends this op the way [`Op::read`] reads it.
	pub fn write(&self, w: &mut Writer) {
		match self {
			Op::NextBlock(gap) => {
				w.u8(0);
				match gap {
					Gap::Slots(n) => w.u8(0).u8(*n),
					Gap::Hours(n) => w.u8(1).u8(*n),
					Gap::Days(n) => w.u8(2).u8(*n),
				};
			},
			Op::Authority(call) => {
				w.u8(1);
				call.write(w);
			},
			Op::Usurp { who, call } => {
				w.u8(2).u8(*who);
				call.write(w);
			},
			Op::Batch(b) => {
				w.u8(3).u8(b.locator).u8(b.signer).u8(b.key).u8(b.day);
				b.cell.write(w);
				w.u16(b.entries).u8(b.stays).u16(b.odd).u8(b.ephemeral);
			},
			Op::Endorse(e) => {
				w.u8(4)
					.u8(e.diagnostician)
					.u8(e.signer)
					.u8(e.patient)
					.u8(e.nullifier)
					.u8(e.onset_days_ago)
					.u8(e.last_days_ago)
					.u8(e.consents)
					.u8(e.forge);
			},
			Op::Revoke(v) => {
				w.u8(5).u8(v.diagnostician).u8(v.signer).u8(v.case).u8(v.reason);
			},
			Op::Result(v) => {
				w.u8(6).u8(v.key).u8(v.signer).u8(v.case).u8(v.round).u8(v.as_of);
				w.u16(v.exposures).u8(v.variant).u16(v.cells);
				v.cell.write(w);
				w.u8(v.tamper);
				w.u8(v.part);
			},
			Op::RegisterLocation { who, cell, operator, material } => {
				w.u8(7).u8(*who);
				cell.write(w);
				write_option(w, *operator);
				w.u8(*material);
			},
			Op::MarkCleaned { who, cell } => {
				w.u8(8).u8(*who);
				cell.write(w);
			},
			Op::Raw { who, general, call } => {
				w.u8(9).u8(*who).u8(*general as u8).bytes(call);
			},
		}
	}
}

/// The bytes of a program.
pub fn program(ops: &[Op]) -> Vec<u8> {
	let mut w = Writer::default();
	ops.iter().for_each(|op| op.write(&mut w));
	w.finish()
}

/// The ops a program's bytes read as.
pub fn ops_of(bytes: &[u8]) -> Vec<Op> {
	let mut r = Reader::new(bytes);
	core::iter::from_fn(|| Op::read(&mut r)).collect()
}
