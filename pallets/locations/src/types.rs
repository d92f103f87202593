//! Types of the locations pallet: a cell's state and record, what it remembers of its
//! infections and history, and what queries see.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use epichain_primitives::{diagnosis::CaseId, matching::SurfaceMaterial, traits::InfectionSource};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// A region prefix: 0 (the whole world) to 12 geohash characters.
pub type Prefix = BoundedVec<u8, ConstU32<12>>;

/// A location's infection state (Song et al.'s EmptyStatus / InfectedStatus / CleanStatus).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum CellState {
	/// Registered, never visited or infected.
	Empty,
	/// An endorsed case was here. Infected until `since` plus the infection window.
	Infected {
		/// The last infection (unix seconds): the end of the day of the case's last visit
		/// (which for a visit today is tonight), or the moment the authority declared it.
		since: u64,
		/// Infections since the cell was last not Infected.
		cases: u32,
	},
	/// Visited, cleaned, or decayed; `since` is when it became Clean (unix seconds).
	Clean {
		/// When it became Clean.
		since: u64,
	},
}

/// Song et al.'s transitions, as recorded in a cell's history.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Transition {
	/// GenerateContract: the location was registered.
	Registered,
	/// NormalUserCheckin: check-ins were written there.
	CheckedIn,
	/// InfectedUserUpdate / InfectedUserCheckin / a cluster declared by the authority.
	Infected(InfectionSource),
	/// LocationisCleaned.
	Cleaned,
	/// Wait14Days.
	Decayed,
	/// A revoked case's infection was withdrawn.
	Withdrawn,
}

/// A registered location.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct LocationInfo<AccountId> {
	/// Its state as last written (apply [`crate::Pallet::effective_state`] for the state now).
	pub state: CellState,
	/// Who may mark it cleaned besides the authority.
	pub operator: Option<AccountId>,
	/// Its surfaces (Song et al.'s material factor in the infection probability).
	pub material: SurfaceMaterial,
	/// Who keeps it Infected: present exactly while `state` is Infected.
	pub infection: Option<Infection>,
}

/// The most cases one Infected cell remembers by name; older ones are pinned.
pub const MAX_ATTRIBUTED_CASES: u32 = 16;

/// Who made a cell Infected, so that a revoked case's part can be withdrawn.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Infection {
	/// The cell's state before this infection began, restored when every infection behind it
	/// is withdrawn (meaningless while `pinned` is set: a pinned infection is never withdrawn).
	pub before: CellState,
	/// The cases whose visits infected it, each with the time its infection counts from.
	pub cases: BoundedVec<(CaseId, u64), ConstU32<MAX_ATTRIBUTED_CASES>>,
	/// The latest time an infection that no revocation withdraws counts from: one the
	/// authority declared, one recorded before infections were attributed (storage version
	/// 0), or a case's that no longer fit `cases` (its oldest).
	pub pinned: Option<u64>,
}

impl Infection {
	/// The time the cell's infection counts from: the latest of its infections.
	pub fn since(&self) -> Option<u64> {
		self.cases.iter().map(|(_, at)| *at).chain(self.pinned).max()
	}

	/// Adds an infection from `at` by `case` (`None`: not withdrawable).
	pub(crate) fn add(&mut self, case: Option<CaseId>, at: u64) {
		let Some(case) = case else {
			self.pinned = self.pinned.max(Some(at));
			return;
		};
		if let Some(entry) = self.cases.iter_mut().find(|(c, _)| *c == case) {
			entry.1 = entry.1.max(at);
			return;
		}
		if self.cases.is_full() {
			// The oldest named infection is kept, but can no longer be withdrawn.
			if let Some(oldest) = (0..self.cases.len()).min_by_key(|i| self.cases[*i].1) {
				let (_, old_at) = self.cases.remove(oldest);
				self.pinned = self.pinned.max(Some(old_at));
			}
		}
		let _ = self.cases.try_push((case, at));
	}
}

/// One entry of a cell's history.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct HistoryEntry {
	/// When (unix seconds).
	pub at: u64,
	/// What happened.
	pub transition: Transition,
}

/// A location as queries see it: the state with decay applied at the query's time.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct LocationView<AccountId> {
	/// The state now.
	pub state: CellState,
	/// Who may mark it cleaned besides the authority.
	pub operator: Option<AccountId>,
	/// Its surfaces.
	pub material: SurfaceMaterial,
	/// Check-ins written there today.
	pub visits_today: u32,
}

/// Why a transition does not apply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TransitionError {
	/// Registering a cell that is already a location.
	LocationExists,
	/// Cleaning a cell that is not Infected.
	NotInfected,
	/// Decay is never an explicit event; it happens when the window is over.
	NotExpired,
}
