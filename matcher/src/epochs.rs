//! Who makes the matcher's sealing epochs, and when.
//!
//! Writers seal each epoch's CSI to the key the chain names as the matcher's current one, and
//! every key is shredded a fixed lifetime after it was made. One replica of a matcher makes the
//! keys (the *key maker*: a matcher started without `--provision-from`); the others are
//! *standbys* that take each new key from it ([`crate::replica`]).
//!
//! A key maker gone for good would leave the region sealing to one key for ever: the data
//! written late in that key's life would be shredded with it long before its 14 days are up.
//! So a standby makes the next key itself once the epoch is `take_over_after` seconds overdue
//! **and the key maker does not answer**. A key maker that answers is never competed with,
//! even late (its authority may not have registered its key yet): two makers would make two
//! different keys of one epoch number, and neither replica could take the other's.
//!
//! The chain decides which key is current: no replica makes a key while the chain names one
//! its enclave does not hold (a returning key maker whose standby took over takes the newer
//! keys from it instead of rotating back). A standby that took over is the key maker from then
//! on; the old key maker restarted with `--provision-from` it is a standby.

use epichain_enclave::Enclave;

use crate::{
	registrar::{MatcherId, Registrar},
	replica::{Peer, PeerError},
};

/// How long a standby waits, after the next epoch was due, before it makes the key itself
/// (when the key maker does not answer): an hour of a day's epoch.
pub const TAKE_OVER_AFTER_SECS: u64 = 3_600;

/// How often a standby asks the key maker while an epoch is overdue and the key maker answers
/// with nothing new.
const ASK_EVERY_SECS: u64 = 30;

/// A replica's part in making sealing epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
	/// Makes each epoch when it is due.
	Maker,
	/// Takes each epoch from the key maker, and makes one only when the key maker has not
	/// answered `take_over_after` seconds past the epoch's end.
	Standby {
		/// Seconds past the epoch's end.
		take_over_after: u64,
	},
}

/// What a replica does about its sealing epochs at one look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
	/// No epoch is due.
	Wait,
	/// The chain's current key of this matcher is one the enclave does not hold: another
	/// replica made it. Take it from a replica; never make a key over it.
	Adopt,
	/// A standby's epoch is overdue: ask the key maker, and make the key only if it does not
	/// answer.
	AskMaker,
	/// Make the next epoch and have it registered.
	Make,
}

impl Role {
	/// When the epoch after the one made at unix second `newest` is due for this replica.
	pub fn due_at(self, newest: u64, epoch_secs: u64) -> u64 {
		let late = match self {
			Role::Maker => 0,
			Role::Standby { take_over_after } => take_over_after,
		};
		newest.saturating_add(epoch_secs).saturating_add(late)
	}

	/// The step at unix second `now`, for an enclave whose newest epoch was made at `newest`;
	/// `chain_key_held` says whether the enclave holds the chain's current key of its matcher
	/// (read only when an epoch is due).
	pub fn step(
		self,
		newest: u64,
		now: u64,
		epoch_secs: u64,
		chain_key_held: impl FnOnce() -> bool,
	) -> Step {
		if now < self.due_at(newest, epoch_secs) {
			Step::Wait
		} else if !chain_key_held() {
			Step::Adopt
		} else if self == Role::Maker {
			Step::Make
		} else {
			Step::AskMaker
		}
	}
}

/// A replica's key making: its role, the replica it takes keys from, and when it last asked.
pub struct KeyMaking {
	role: Role,
	epoch_secs: u64,
	peer: Option<Peer>,
	genesis: [u8; 32],
	matcher: MatcherId,
	quiet_until: u64,
}

impl KeyMaking {
	/// Key making for matcher `matcher` on chain `genesis`, epochs `epoch_secs` long: a
	/// standby of `peer` taking over after `take_over_after` seconds, or the key maker.
	pub fn new(
		peer: Option<Peer>,
		take_over_after: u64,
		epoch_secs: u64,
		genesis: [u8; 32],
		matcher: MatcherId,
	) -> Self {
		let role = match peer {
			Some(_) => Role::Standby { take_over_after },
			None => Role::Maker,
		};
		Self { role, epoch_secs, peer, genesis, matcher, quiet_until: 0 }
	}

	/// Its role now (a standby that took over is the key maker).
	pub fn role(&self) -> Role {
		self.role
	}

	/// Takes the epochs the replica it follows has and `enclave` does not; the epochs added.
	pub async fn refresh(&self, enclave: &dyn Enclave) -> Result<Vec<u32>, PeerError> {
		match &self.peer {
			Some(peer) => peer.refresh(self.genesis, enclave).await,
			None => Err(PeerError::Refused(
				"no replica to take keys from (start with --provision-from a running replica)"
					.into(),
			)),
		}
	}

	/// Where the replica it takes keys from serves (`(none)` for a key maker without one).
	pub fn peer_url(&self) -> &str {
		self.peer.as_ref().map_or("(none)", Peer::url)
	}

	/// One look at unix second `now`: makes, takes or waits for the next epoch.
	pub async fn look(&mut self, enclave: &dyn Enclave, registrar: &Registrar, now: u64) {
		if now < self.quiet_until {
			return;
		}
		let newest = enclave.newest_epoch_at().unwrap_or(0);
		let current = if self.role.due_at(newest, self.epoch_secs) <= now {
			match registrar.current_sealing_key(self.matcher).await {
				Ok(current) => current,
				Err(e) => {
					tracing::warn!("reading matcher {}'s sealing key: {e}", self.matcher);
					return;
				},
			}
		} else {
			None
		};
		let held = || current.is_none_or(|k| enclave.knows_sealing_key(&k));
		match self.role.step(newest, now, self.epoch_secs, held) {
			Step::Wait => {},
			Step::Adopt => match self.refresh(enclave).await {
				Ok(added) => tracing::info!(
					"the chain's sealing key of matcher {} was made by another replica: epochs \
					 {added:?} provisioned from {}",
					self.matcher,
					self.peer_url()
				),
				Err(e) => {
					tracing::error!(
						"the chain's sealing key of matcher {} was made by another replica, and \
						 this one makes no key over it; taking it from {}: {e}",
						self.matcher,
						self.peer_url()
					);
					self.quiet_until = now + ASK_EVERY_SECS;
				},
			},
			Step::AskMaker => match self.refresh(enclave).await {
				Ok(added) if !added.is_empty() => tracing::info!(
					"sealing epochs {added:?} provisioned from the key maker {}",
					self.peer_url()
				),
				Ok(_) => {
					tracing::info!(
						"the next sealing epoch is overdue; the key maker {} answers, so this \
						 standby waits for its key",
						self.peer_url()
					);
					self.quiet_until = now + ASK_EVERY_SECS;
				},
				Err(PeerError::Unreachable(why)) => {
					tracing::warn!(
						"the key maker has made no sealing key {} s past the epoch's end and \
						 does not answer ({why}): this replica takes over making them",
						now.saturating_sub(newest + self.epoch_secs)
					);
					self.role = Role::Maker;
					self.make(enclave, registrar, now).await;
				},
				Err(e) => {
					tracing::warn!("the next sealing epoch is overdue; {e}");
					self.quiet_until = now + ASK_EVERY_SECS;
				},
			},
			Step::Make => self.make(enclave, registrar, now).await,
		}
	}

	async fn make(&mut self, enclave: &dyn Enclave, registrar: &Registrar, now: u64) {
		match enclave.new_epoch(now) {
			Ok(public) => {
				if let Err(e) = registrar.rotate(self.matcher, public, enclave).await {
					tracing::warn!("rotating the sealing key: {e}");
				}
			},
			// Writers keep sealing to the current key; tried again at the next look.
			Err(e) => tracing::error!("no new sealing epoch: {e}"),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const DAY: u64 = 86_400;

	#[test]
	fn the_key_maker_makes_each_epoch_when_it_is_due() {
		let maker = Role::Maker;
		assert_eq!(maker.step(1_000, 1_000 + DAY - 1, DAY, || true), Step::Wait);
		assert_eq!(maker.step(1_000, 1_000 + DAY, DAY, || true), Step::Make);
	}

	#[test]
	fn a_standby_asks_the_key_maker_only_once_the_epoch_is_overdue_by_its_margin() {
		let standby = Role::Standby { take_over_after: 3_600 };
		assert_eq!(standby.step(0, DAY, DAY, || true), Step::Wait);
		assert_eq!(standby.step(0, DAY + 3_599, DAY, || true), Step::Wait);
		assert_eq!(standby.step(0, DAY + 3_600, DAY, || true), Step::AskMaker);
	}

	#[test]
	fn no_replica_makes_a_key_over_one_the_chain_names_that_it_does_not_hold() {
		for role in [Role::Maker, Role::Standby { take_over_after: 0 }] {
			assert_eq!(role.step(0, 10 * DAY, DAY, || false), Step::Adopt, "{role:?}");
		}
	}

	#[test]
	fn the_chain_is_read_only_when_an_epoch_is_due() {
		let step = Role::Maker.step(0, 10, DAY, || panic!("read the chain while nothing is due"));
		assert_eq!(step, Step::Wait);
	}

	#[tokio::test]
	async fn a_key_maker_that_is_gone_does_not_answer_and_one_that_refuses_does() {
		// Nobody listens on the port of a listener just closed.
		let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
		let gone = Peer::new(&format!("http://127.0.0.1:{port}"));
		assert!(matches!(gone.signing_key().await, Err(PeerError::Unreachable(_))));

		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let url = format!("http://{}", listener.local_addr().unwrap());
		let app = axum::Router::new().route(
			"/v1/attestation",
			axum::routing::get(|| async { axum::http::StatusCode::SERVICE_UNAVAILABLE }),
		);
		tokio::spawn(async move { axum::serve(listener, app).await });
		let refusing = Peer::new(&url);
		assert!(matches!(refusing.signing_key().await, Err(PeerError::Refused(_))));
	}
}
