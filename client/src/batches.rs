//! From stays to sealed, signed `Csi::submit_batch` calls.
//!
//! Stays are grouped by day and by cell prefix (one batch covers one prefix, at least as long as
//! the locator's region), then by owner: each owner's stays of a group form entries of at most
//! `MaxStaysPerEntry` stays in time order, and entries fill batches up to
//! `MaxEntriesPerBatch` entries and `stays_per_batch` stays. Stays the chain would refuse
//! (outside the locator's region, or dated outside the days it accepts) are counted by reason
//! and never sent.

use std::collections::BTreeMap;

use epichain_primitives::{
	csi::{EntryPlain, PoolSlots, SealingKeyId, Stay, X25519Public, POOL_SLOTS},
	geohash::Geohash,
	pseudonym::Pseudonym,
	sealing::{seal_batch, seal_batch_in_slot},
	DayIndex,
};

use crate::{runtime, stays::OwnedStay};

/// The chain's bounds on batches (`Csi` constants).
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
	/// Entries (owners) per batch.
	pub max_entries: u32,
	/// Stays per entry.
	pub max_stays_per_entry: u32,
	/// Stays per batch the client aims for (at most the per-locator, per-block quota).
	pub stays_per_batch: u32,
	/// Days back a batch may be dated.
	pub max_age_days: u32,
}

/// Where a group of stays goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
	/// Day of the stays.
	pub day: DayIndex,
	/// Cell prefix every stay lies in.
	pub prefix: Geohash,
}

/// A batch before sealing.
#[derive(Clone, Debug)]
pub struct Plan {
	/// Day and prefix.
	pub group: Group,
	/// One entry per owner chunk.
	pub entries: Vec<EntryPlain>,
}

impl Plan {
	/// Stays in the batch.
	pub fn stays(&self) -> usize {
		self.entries.iter().map(|e| e.stays.len()).sum()
	}
}

/// Stays left out, by the runtime error the chain would answer with.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
	/// Outside the locator's region (`Csi::OutsideRegion`).
	pub outside_region: usize,
	/// Dated before the oldest accepted day or after today (`Csi::DayOutOfRange`).
	pub day_out_of_range: usize,
}

/// Plans the batches for `stays` of a locator whose region is `region`, `today` by the chain's
/// clock, with batch prefixes of `prefix_len` characters.
pub fn plan(
	stays: &[OwnedStay],
	region: &[u8],
	today: DayIndex,
	prefix_len: usize,
	bounds: Bounds,
) -> (Vec<Plan>, Skipped) {
	let prefix_len =
		prefix_len.max(region.len()).min(epichain_primitives::geohash::POINT_PRECISION);
	let oldest = today.saturating_sub(bounds.max_age_days);
	let mut skipped = Skipped::default();
	let mut groups: BTreeMap<Group, BTreeMap<Pseudonym, Vec<Stay>>> = BTreeMap::new();
	for OwnedStay { owner, stay } in stays {
		if !stay.geohash.is_within(region) {
			skipped.outside_region += 1;
			continue;
		}
		let day = stay.day();
		if day < oldest || day > today {
			skipped.day_out_of_range += 1;
			continue;
		}
		let group = Group { day, prefix: stay.geohash.truncate(prefix_len) };
		groups.entry(group).or_default().entry(*owner).or_default().push(*stay);
	}
	let mut plans = Vec::new();
	for (group, owners) in groups {
		let mut current = Plan { group, entries: Vec::new() };
		let mut count = 0usize;
		for (owner, mut owned) in owners {
			owned.sort_by_key(|s| (s.start, s.end));
			for chunk in owned.chunks(bounds.max_stays_per_entry as usize) {
				if current.entries.len() as u32 >= bounds.max_entries
					|| count + chunk.len() > bounds.stays_per_batch as usize
				{
					plans
						.push(std::mem::replace(&mut current, Plan { group, entries: Vec::new() }));
					count = 0;
				}
				count += chunk.len();
				current.entries.push(EntryPlain { owner, stays: chunk.to_vec() });
			}
		}
		if !current.entries.is_empty() {
			plans.push(current);
		}
	}
	(plans, skipped)
}

/// Seals `plan` to matcher key `key_id` (`public`) and returns the signed `submit_batch` call of
/// `locator`. With `first_slot`, the batch occupies the locator's pool slots from that one
/// ([`SlotBook`]); without, from a random one (enough for one batch in flight at a time).
pub fn seal_and_sign(
	plan: &Plan,
	key_id: SealingKeyId,
	public: &X25519Public,
	genesis: &[u8; 32],
	locator: &subxt_signer::sr25519::Keypair,
	first_slot: Option<u32>,
) -> anyhow::Result<subxt::transactions::StaticPayload<runtime::csi::calls::SubmitBatch>> {
	let (day, prefix) = (plan.group.day, plan.group.prefix);
	let sealed = match first_slot {
		Some(slot) => seal_batch_in_slot(slot, public, key_id, day, prefix, &plan.entries),
		None => seal_batch(public, key_id, day, prefix, &plan.entries),
	}
	.map_err(|e| anyhow::anyhow!("sealing a batch: {e:?}"))?;
	let payload =
		epichain_primitives::signing::batch_payload(genesis, &sealed.header, &sealed.entries);
	let signature = locator.sign(&payload);
	Ok(runtime::tx().csi().submit_batch(
		locator.public_key().to_account_id(),
		runtime::runtime_types::pallet_csi::types::CsiBatch {
			header: subxt::utils::Static(sealed.header),
			entries: sealed.entries,
		},
		runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(signature.0),
	))
}

/// The pool slots held by one locator's batches in flight
/// ([`epichain_primitives::csi::PoolSlots`]). Each batch is sealed in slots none of its
/// siblings hold, so the pool never turns a batch away for a slot of the same locator; a batch
/// that finds no free slots waits until one of its siblings lands or is refused.
#[derive(Default)]
pub struct SlotBook {
	/// Bit `s` set: slot `s` is held.
	held: std::sync::Mutex<u32>,
	freed: tokio::sync::Notify,
}

/// Slots reserved in a [`SlotBook`], given back when dropped.
pub struct SlotReservation {
	book: std::sync::Arc<SlotBook>,
	slots: PoolSlots,
}

impl SlotReservation {
	/// The first reserved slot: seal the batch in it.
	pub fn first(&self) -> u32 {
		self.slots.first
	}
}

impl Drop for SlotReservation {
	fn drop(&mut self) {
		let mut held = self.book.held.lock().expect("not poisoned");
		for s in self.slots.iter() {
			*held &= !(1 << s);
		}
		drop(held);
		self.book.freed.notify_waiters();
	}
}

impl SlotBook {
	/// Reserves `count` consecutive free slots (wrapping), waiting for some to be given back
	/// when none are free.
	pub async fn reserve(self: &std::sync::Arc<Self>, count: u32) -> SlotReservation {
		let count = count.clamp(1, POOL_SLOTS);
		loop {
			let freed = self.freed.notified();
			tokio::pin!(freed);
			freed.as_mut().enable();
			{
				let mut held = self.held.lock().expect("not poisoned");
				for first in 0..POOL_SLOTS {
					let slots = PoolSlots { first, count };
					if slots.iter().all(|s| *held & (1 << s) == 0) {
						for s in slots.iter() {
							*held |= 1 << s;
						}
						return SlotReservation { book: self.clone(), slots };
					}
				}
			}
			freed.await;
		}
	}
}

/// Reads the chain's batch bounds.
pub fn bounds(chain: &crate::connection::Connection) -> anyhow::Result<Bounds> {
	let constant = |name: &str| chain.constant_u32("Csi", name);
	Ok(Bounds {
		max_entries: constant("MaxEntriesPerBatch")?,
		max_stays_per_entry: constant("MaxStaysPerEntry")?,
		stays_per_batch: constant("MaxStaysPerLocatorPerBlock")?,
		max_age_days: constant("MaxBatchAgeDays")?,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::csi::BatchHeader;
	use epichain_primitives::{csi::Source, pseudonym::DeviceSeed, SECONDS_PER_DAY};

	const DAY: DayIndex = 20_000;
	const BOUNDS: Bounds =
		Bounds { max_entries: 3, max_stays_per_entry: 4, stays_per_batch: 10, max_age_days: 2 };

	fn fix(person: u8, day: DayIndex, minute: u64, cell: &str) -> OwnedStay {
		let at = day as u64 * SECONDS_PER_DAY + minute * 60;
		OwnedStay {
			owner: DeviceSeed::from_bytes([person; 32]).pseudonym(day),
			stay: Stay::fix(at, Geohash::parse(cell.as_bytes()).unwrap(), Source::Gnss),
		}
	}

	#[test]
	fn plans_respect_every_bound_and_keep_every_accepted_stay() {
		let mut stays = Vec::new();
		for person in 1..=5u8 {
			for minute in 0..7 {
				stays.push(fix(person, DAY, minute * 10, "xn76urx4e"));
			}
		}
		let (plans, skipped) = plan(&stays, b"xn7", DAY, 5, BOUNDS);
		assert_eq!(skipped, Skipped::default());
		assert_eq!(plans.iter().map(Plan::stays).sum::<usize>(), 35);
		for p in &plans {
			assert!(p.entries.len() <= 3 && p.stays() <= 10, "{p:?}");
			assert!(p.entries.iter().all(|e| e.stays.len() <= 4));
			assert_eq!(p.group.prefix.as_str(), "xn76u");
			for e in &p.entries {
				assert!(e.stays.windows(2).all(|w| w[0].start <= w[1].start));
			}
		}
	}

	#[test]
	fn refused_stays_are_counted_by_reason() {
		let stays = [
			fix(1, DAY, 0, "xn76urx4e"),
			fix(1, DAY, 1, "u4pruydqq"),     // outside the region
			fix(1, DAY - 3, 1, "xn76urx4e"), // older than MaxBatchAgeDays
			fix(1, DAY + 1, 1, "xn76urx4e"), // tomorrow
			fix(1, DAY - 2, 1, "xn76urx4e"), // the oldest accepted day
		];
		let (plans, skipped) = plan(&stays, b"xn", DAY, 5, BOUNDS);
		assert_eq!(skipped, Skipped { outside_region: 1, day_out_of_range: 2 });
		assert_eq!(plans.len(), 2, "one per day");
	}

	#[test]
	fn the_batch_signature_covers_what_the_pallet_verifies() {
		let header = BatchHeader {
			key_id: 3,
			ephemeral: [7; 32],
			day: DAY,
			cell_prefix: Geohash::parse(b"xn76u").unwrap(),
		};
		let entries = vec![vec![1u8, 2, 3], vec![4u8; 40]];
		let batch = pallet_csi::CsiBatch { header: header.clone(), entries: entries.clone() };
		assert_eq!(
			epichain_primitives::signing::batch_payload(&[5; 32], &header, &entries),
			pallet_csi::batch_signing_payload(&[5; 32], &batch)
		);
	}

	#[tokio::test]
	async fn a_slot_book_never_hands_out_a_held_slot() {
		let book = std::sync::Arc::new(SlotBook::default());
		let a = book.reserve(6).await;
		let b = book.reserve(6).await;
		let c = book.reserve(4).await;
		let mut held: Vec<u32> = [&a, &b, &c].iter().flat_map(|r| r.slots.iter()).collect();
		held.sort();
		held.dedup();
		assert_eq!(held.len(), POOL_SLOTS as usize, "three reservations, no slot twice");
		// Every slot is held: the next reservation waits until a sibling gives its slots back.
		let waiting = tokio::spawn({
			let book = book.clone();
			async move { book.reserve(2).await.slots }
		});
		tokio::time::sleep(std::time::Duration::from_millis(100)).await;
		assert!(!waiting.is_finished(), "no two free slots yet");
		drop(b);
		let got = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
			.await
			.expect("the freed slots are handed out")
			.unwrap();
		assert!(!got.overlaps(&a.slots) && !got.overlaps(&c.slots));
	}
}
