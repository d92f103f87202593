//! The off-chain worker: relays open jobs to the TEE matcher and its signed results to the pool.
//!
//! On every block a validator imports, when its node has matcher URLs (the node's
//! `--matcher-url` flag, once per replica, or the persistent off-chain storage key
//! [`MATCHER_URL_KEY`], one URL per line), the worker takes up to [`Config::MaxRelaysPerBlock`]
//! open jobs round-robin and, for each job that is due:
//!
//! 1. takes the job's off-chain storage lock, so two workers (of consecutive blocks) never send
//!    the same job at once;
//! 2. `POST`s a SCALE [`JobRequest`] to `{url}/v1/jobs` with a deadline of
//!    [`Config::MatcherDeadlineMillis`] for the whole answer, headers and body;
//! 3. checks the answer as the pool will ([`Pallet::validate_result`]) and submits it as an
//!    authorized `submit_result` transaction: no account, no fee. Every validator may relay the
//!    same round; the pool's `(case, round, part)` tag lets one in.
//!
//! **Failover.** The URLs are asked in turn, starting with the one that answered last
//! ([`PREFERRED_KEY`]): an answer that is not a result the pool would take (no connection, a
//! timeout, an error status, a malformed, misaddressed or forged result, a replica behind the
//! finalized head) sends the same request to the next URL within the same run, so a dead
//! replica costs at most one deadline per block, and a refused connection none.
//!
//! **Coverage gaps.** A matcher that cannot open batches of the case's window answers `422`
//! with a signed [`CoverageGap`] instead of a result. The worker asks the next URL (a replica
//! that holds the keys answers with a result); when none can, it submits the gap as an
//! authorized `report_gap` transaction (unless the same gap is already on chain), and backs off
//! as after a failure: the job stays open for a matcher that holds the keys.
//!
//! A job is due again [`Config::RelayIntervalBlocks`] blocks after a round's last part or a
//! "nothing new" answer (standing matching while its window is open), and at the next block
//! after any other part, so a round of many parts reaches the chain part after part. Failures (timeouts, refused connections,
//! error statuses, malformed or invalid results) back off exponentially, up to
//! [`MAX_BACKOFF_BLOCKS`]. The worker runs beside block production and never blocks it.

use crate::{pallet::*, MatchResultOf};
use alloc::{format, vec, vec::Vec};
use codec::{Decode, DecodeAll, Encode, MaxEncodedLen};
use epichain_primitives::{
	diagnosis::CaseId,
	matching::{CoverageGap, JobRequest, JOB_PATH},
};
use frame_support::pallet_prelude::*;
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::offchain::{
	http,
	storage::StorageValueRef,
	storage_lock::{BlockAndTime, StorageLock},
	Duration, HttpError, StorageKind,
};

/// Persistent off-chain storage key of the matcher's base URL (raw UTF-8 bytes, for example
/// `http://127.0.0.1:8545`). The node's `--matcher-url` flag writes it.
pub const MATCHER_URL_KEY: &[u8] = b"epichain/matcher-url";

/// Persistent off-chain storage key of the index (`u32`) of the URL that answered last: the
/// first one asked next time.
pub const PREFERRED_KEY: &[u8] = b"epichain/matcher-url/preferred";

/// Prefix of a job's relay state key in persistent off-chain storage.
const STATE_PREFIX: &[u8] = b"epichain/notifications/relay/";
/// Prefix of a job's lock key.
const LOCK_PREFIX: &[u8] = b"epichain/notifications/lock/";
/// Key of the round-robin cursor.
const CURSOR_KEY: &[u8] = b"epichain/notifications/cursor";

/// The longest pause after repeated failures, in blocks.
pub const MAX_BACKOFF_BLOCKS: u32 = 64;

const LOG_TARGET: &str = "notifications::relay";

/// Why relaying a job failed. Logged by case id; never carries matcher data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayError {
	/// The request could not be sent (bad URL, connection refused).
	Unreachable,
	/// No complete answer (headers and body) before the deadline.
	Timeout,
	/// The matcher's finalized view does not have the job yet, is at another round, or is
	/// still catching up (`404`, `409`, `503`): asked again at the next block, no backoff.
	NotReady,
	/// Any other HTTP status.
	Status(u16),
	/// The answer is larger than the largest valid result.
	Oversize,
	/// The answer does not decode, or answers another case, round or part.
	Malformed,
	/// The pool would refuse the result (its `InvalidTransaction` code; `BadProof` is a forged
	/// signature).
	Invalid(InvalidTransaction),
	/// The pool refused the transaction.
	Pool,
	/// No matcher asked could judge the case's window whole: batches of it are sealed to keys
	/// they do not hold. Their signed gap was submitted (or is already on chain); the job
	/// stays open and is asked again after a backoff.
	IncompleteCoverage,
}

/// A matcher's answer that the pool would take.
enum Answer<T: Config> {
	/// A result and its signature.
	Result(MatchResultOf<T>, [u8; 64]),
	/// A later round found nothing new.
	NothingNew,
	/// A signed coverage gap; `known` when the same gap is already on chain.
	Gap { gap: CoverageGap, signature: [u8; 64], known: bool },
}

/// What the worker remembers about a job between runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct RelayState {
	/// The first block at which the job is due again.
	pub next_attempt: u32,
	/// Failures in a row (the backoff exponent).
	pub failures: u32,
}

/// What one relay attempt did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relayed {
	/// A result (part `part` of `parts` of round `round`) was submitted to the pool.
	Submitted {
		/// The job's round the result answers.
		round: u32,
		/// The result's part of the round (from 0).
		part: u32,
		/// How many parts the round has.
		parts: u32,
		/// Exposures in the result.
		exposures: u32,
	},
	/// The matcher found nothing new since the last round.
	NothingNew,
	/// The job is not due yet, or another worker holds its lock.
	Skipped,
}

fn key(prefix: &[u8], case: CaseId) -> Vec<u8> {
	let mut k = prefix.to_vec();
	k.extend_from_slice(&case.to_le_bytes());
	k
}

/// The matcher URLs this node was given (one per line under [`MATCHER_URL_KEY`]), if any.
pub fn matcher_url() -> Option<Vec<u8>> {
	sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, MATCHER_URL_KEY)
		.filter(|u| !u.is_empty())
}

/// The URLs of `stored` (one per line), in the order they were given.
pub fn matcher_urls(stored: &str) -> Vec<&str> {
	stored.lines().map(str::trim).filter(|u| !u.is_empty()).collect()
}

impl<T: Config> Pallet<T> {
	/// The off-chain worker's run at block `n`.
	pub fn relay_jobs(n: BlockNumberFor<T>) {
		let Some(stored) = matcher_url() else { return };
		let Ok(stored) = core::str::from_utf8(&stored) else {
			log::warn!(target: LOG_TARGET, "the matcher URL is not UTF-8; not relaying");
			return;
		};
		let urls = matcher_urls(stored);
		if urls.is_empty() {
			return;
		}
		let now: u32 = n.try_into().unwrap_or(u32::MAX);
		for case in Self::relay_batch() {
			match Self::relay_job(&urls, case, now) {
				Ok(Relayed::Submitted { round, part, parts, exposures }) => log::info!(
					target: LOG_TARGET,
					"case {case}: round {round} part {}/{parts} relayed ({exposures} exposures)",
					part + 1
				),
				Ok(_) => {},
				Err(e) => log::debug!(target: LOG_TARGET, "case {case}: {e:?}"),
			}
		}
	}

	/// The next jobs in round-robin order, and the cursor moved past them.
	fn relay_batch() -> Vec<CaseId> {
		let max = T::MaxRelaysPerBlock::get();
		let cursor = StorageValueRef::persistent(CURSOR_KEY);
		let from = cursor.get::<CaseId>().ok().flatten().unwrap_or(0);
		let mut cases = Self::open_jobs(from, max);
		if (cases.len() as u32) < max {
			let wrapped = Self::open_jobs(0, max - cases.len() as u32);
			cases.extend(wrapped.into_iter().filter(|c| *c < from));
		}
		// Next run starts after the last job served (wrapped ones included), so every open job
		// gets its turn.
		cursor.set(&cases.last().map_or(0, |c| c.saturating_add(1)));
		cases
	}

	/// Relays job `case` if it is due at block `now` and no other worker holds it, asking the
	/// matchers at `urls` in turn.
	pub fn relay_job(urls: &[&str], case: CaseId, now: u32) -> Result<Relayed, RelayError> {
		let state_key = key(STATE_PREFIX, case);
		let state_ref = StorageValueRef::persistent(&state_key);
		let state: RelayState = state_ref.get().ok().flatten().unwrap_or_default();
		if now < state.next_attempt {
			return Ok(Relayed::Skipped);
		}
		let lock_key = key(LOCK_PREFIX, case);
		let mut lock =
			StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
				&lock_key,
				1,
				Duration::from_millis(
					T::MatcherDeadlineMillis::get()
						.saturating_mul(urls.len().max(1) as u64)
						.saturating_add(1_000),
				),
			);
		let Ok(_guard) = lock.try_lock() else { return Ok(Relayed::Skipped) };
		let outcome = Self::ask_in_turn(urls, case);
		let next = match outcome {
			// More parts of the round to come: ask for the next one as soon as the matcher's
			// finalized view has this one.
			Ok(Relayed::Submitted { part, parts, .. }) if part.saturating_add(1) < parts => {
				RelayState { next_attempt: now.saturating_add(1), failures: 0 }
			},
			Ok(_) => RelayState {
				next_attempt: now.saturating_add(T::RelayIntervalBlocks::get()),
				failures: 0,
			},
			// Finality lags the best block by a few blocks: a job the matcher has not seen yet
			// is asked about again at the next block.
			Err(RelayError::NotReady) => {
				RelayState { next_attempt: now.saturating_add(1), failures: state.failures }
			},
			Err(_) => RelayState {
				next_attempt: now.saturating_add(backoff(state.failures)),
				failures: state.failures.saturating_add(1),
			},
		};
		state_ref.set(&next);
		outcome
	}

	/// Asks the matchers at `urls` in turn, from the one that answered last, until one answers
	/// with a result or "nothing new" that the pool takes. When none does: the first coverage
	/// gap one signed is submitted and the answer is [`RelayError::NotReady`] if one was only
	/// behind (asked again at the next block), else [`RelayError::IncompleteCoverage`] if one
	/// signed a gap, else the first one's error.
	fn ask_in_turn(urls: &[&str], case: CaseId) -> Result<Relayed, RelayError> {
		let job = Jobs::<T>::get(case).ok_or(RelayError::Invalid(InvalidTransaction::Stale))?;
		let asked = JobRequest {
			case,
			round: job.next_round,
			part: job.in_progress.map_or(0, |p| p.next_part),
		};
		let preferred = StorageValueRef::persistent(PREFERRED_KEY);
		let first = preferred.get::<u32>().ok().flatten().unwrap_or(0) as usize;
		let (mut first_error, mut behind, mut gap) = (None, false, None);
		for turn in 0..urls.len() {
			let index = first.saturating_add(turn) % urls.len();
			let answer = Self::ask(urls[index], &asked).and_then(|answer| match answer {
				Answer::Result(result, signature) => {
					Self::submit_result_of(&asked, result, signature)
				},
				Answer::NothingNew => Ok(Relayed::NothingNew),
				Answer::Gap { gap: g, signature, known } => {
					gap.get_or_insert((g, signature, known));
					Err(RelayError::IncompleteCoverage)
				},
			});
			match answer {
				// A transaction the pool refused carried a valid result: another validator's
				// relay of it, most likely. Another replica's would be refused too.
				Err(RelayError::Pool) => return Err(RelayError::Pool),
				Err(e) => {
					log::debug!(
						target: LOG_TARGET,
						"case {case}: matcher {} of {}: {e:?}",
						index + 1,
						urls.len()
					);
					behind |= e == RelayError::NotReady;
					first_error.get_or_insert(e);
				},
				Ok(relayed) => {
					if turn > 0 {
						log::info!(
							target: LOG_TARGET,
							"case {case}: failed over to matcher {} of {}",
							index + 1,
							urls.len()
						);
						preferred.set(&(index as u32));
					}
					return Ok(relayed);
				},
			}
		}
		if let Some((gap, signature, known)) = gap {
			if !known {
				submit_authorized::<T>(Call::<T>::report_gap { gap, signature })?;
				log::warn!(
					target: LOG_TARGET,
					"case {case}: round {}: no matcher holds the keys of {} batches of days {}..={} 					 in its window; coverage gap reported, the job stays open",
					gap.round,
					gap.batches,
					gap.first_day,
					gap.last_day
				);
			}
			if !behind {
				return Err(RelayError::IncompleteCoverage);
			}
		}
		Err(if behind {
			RelayError::NotReady
		} else {
			first_error.unwrap_or(RelayError::Unreachable)
		})
	}

	/// Asks the matcher at `url` for `asked`: its answer, checked as the pool will check it.
	fn ask(url: &str, asked: &JobRequest) -> Result<Answer<T>, RelayError> {
		let deadline = sp_io::offchain::timestamp()
			.add(Duration::from_millis(T::MatcherDeadlineMillis::get()));
		let endpoint = format!("{}{}", url.trim_end_matches('/'), JOB_PATH);
		let pending = http::Request::post(&endpoint, vec![asked.encode()])
			.add_header("Content-Type", "application/octet-stream")
			.deadline(deadline)
			.send()
			.map_err(|_| RelayError::Unreachable)?;
		let response = pending
			.try_wait(deadline)
			.map_err(|_| RelayError::Timeout)?
			.map_err(|_| RelayError::Unreachable)?;
		let limit = match response.code {
			200 => MatchResultOf::<T>::max_encoded_len() + 64,
			204 => return Ok(Answer::NothingNew),
			422 => CoverageGap::max_encoded_len() + 64,
			404 | 409 | 503 => return Err(RelayError::NotReady),
			code => return Err(RelayError::Status(code)),
		};
		let is_gap = response.code == 422;
		// The body is read under the same deadline: a matcher (or a proxy) that stalls after
		// its headers must not hold this worker thread, or the node's few worker threads
		// would all end up waiting on it and the validator would stop relaying.
		let mut reader = response.body();
		reader.deadline(deadline);
		let body: Vec<u8> = reader.by_ref().take(limit + 1).collect();
		match reader.error() {
			None => {},
			Some(HttpError::DeadlineReached) => return Err(RelayError::Timeout),
			Some(_) => return Err(RelayError::Unreachable),
		}
		if body.len() > limit {
			return Err(RelayError::Oversize);
		}
		let invalid = |e: TransactionValidityError| match e {
			TransactionValidityError::Invalid(i) => RelayError::Invalid(i),
			TransactionValidityError::Unknown(_) => RelayError::Invalid(InvalidTransaction::Call),
		};
		if is_gap {
			let (gap, signature) = decode_gap(&body, asked)?;
			let known =
				InvalidTransaction::Custom(epichain_primitives::error_index(&Error::<T>::GapKnown));
			return match Self::validate_gap(&gap, &signature) {
				Ok(_) => Ok(Answer::Gap { gap, signature, known: false }),
				Err(TransactionValidityError::Invalid(i)) if i == known => {
					Ok(Answer::Gap { gap, signature, known: true })
				},
				Err(e) => Err(invalid(e)),
			};
		}
		let (result, signature) = decode_answer::<T>(&body, asked)?;
		Self::validate_result(&result, &signature).map_err(invalid)?;
		Ok(Answer::Result(result, signature))
	}

	/// Submits `result`, the answer to `asked`, as an authorized transaction.
	fn submit_result_of(
		asked: &JobRequest,
		result: MatchResultOf<T>,
		signature: [u8; 64],
	) -> Result<Relayed, RelayError> {
		let JobRequest { round, part, .. } = *asked;
		let (exposures, parts) = (result.exposures.len() as u32, result.parts);
		submit_authorized::<T>(Call::<T>::submit_result { result, signature })?;
		Ok(Relayed::Submitted { round, part, parts, exposures })
	}
}

/// Submits `call` to the pool as an authorized transaction (no account, no fee).
fn submit_authorized<T: Config>(call: Call<T>) -> Result<(), RelayError> {
	let xt =
		<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
	SubmitTransaction::<T, Call<T>>::submit_transaction(xt).map_err(|_| RelayError::Pool)
}

/// Decodes the matcher's `422` body: its signed coverage gap for the round `asked` for.
pub fn decode_gap(body: &[u8], asked: &JobRequest) -> Result<(CoverageGap, [u8; 64]), RelayError> {
	let (gap, signature) =
		<(CoverageGap, [u8; 64])>::decode_all(&mut &body[..]).map_err(|_| RelayError::Malformed)?;
	if (gap.case, gap.round) != (asked.case, asked.round) {
		return Err(RelayError::Malformed);
	}
	Ok((gap, signature))
}

/// Decodes the matcher's `200` body: the result `asked` for, and its signature.
pub fn decode_answer<T: Config>(
	body: &[u8],
	asked: &JobRequest,
) -> Result<(MatchResultOf<T>, [u8; 64]), RelayError> {
	let (result, signature) = <(MatchResultOf<T>, [u8; 64])>::decode_all(&mut &body[..])
		.map_err(|_| RelayError::Malformed)?;
	if (result.case, result.round, result.part) != (asked.case, asked.round, asked.part) {
		return Err(RelayError::Malformed);
	}
	Ok((result, signature))
}

/// Blocks to wait after `failures` failures in a row: 1, 2, 4, ... up to
/// [`MAX_BACKOFF_BLOCKS`].
pub fn backoff(failures: u32) -> u32 {
	1u32.checked_shl(failures).unwrap_or(u32::MAX).min(MAX_BACKOFF_BLOCKS)
}
