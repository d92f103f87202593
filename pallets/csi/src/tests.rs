//! Behaviour of the locator whitelist, batch submission and retention.

use crate::{mock::*, *};
use codec::Encode;
use epichain_primitives::{
	csi::{EntryPlain, Source, Stay},
	geohash::{self, Geohash},
	sealing::{seal_batch, SealingSecret},
	SECONDS_PER_DAY,
};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{Authorize, Hooks},
	weights::Weight,
};
use sp_core::H256;
use sp_runtime::{testing::TestSignature, DispatchError};

const GATE: u64 = 10;
const VENUE: u64 = 11;
const STRANGER: u64 = 99;
const CELL: &[u8] = b"xn76u";

fn tokyo_locators() -> Vec<(u64, LocatorKind, Vec<u8>)> {
	vec![
		(GATE, LocatorKind::TransitGate, b"xn7".to_vec()),
		(VENUE, LocatorKind::Venue, b"xn76".to_vec()),
	]
}

/// The matcher's signing key.
fn matcher_signer() -> sp_core::ed25519::Pair {
	use sp_core::Pair;
	sp_core::ed25519::Pair::from_seed(&[0xA1; 32])
}

/// Matcher 0 makes `public` its current sealing key, endorsed with its signing key.
fn rotate(public: [u8; 32]) {
	use sp_core::Pair;
	let signer = matcher_signer();
	let binding = epichain_primitives::signing::matcher_report_data(&signer.public().0, &public);
	assert_ok!(MatcherRegistry::rotate_sealing_key(
		RuntimeOrigin::root(),
		0,
		public,
		signer.sign(&binding).0
	));
}

/// Registers a matcher with a fresh sealing secret valid for 60 days around now.
fn matcher() -> (SealingSecret, u32) {
	use sp_core::Pair;
	let secret = SealingSecret::generate();
	// SIMULATION evidence, as on a dev chain.
	pallet_matchers::SimulationAllowed::<Test>::put(true);
	assert_ok!(MatcherRegistry::register_matcher(
		RuntimeOrigin::root(),
		matcher_signer().public().0,
		secret.public(),
		Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
		0,
		T0 + 60 * SECONDS_PER_DAY,
	));
	let key = pallet_matchers::Matchers::<Test>::get(0).unwrap().current_key;
	(secret, key)
}

/// `entries` synthetic owners with `stays` stays each, in cell [`CELL`] on `day`.
fn plain(day: u32, entries: usize, stays: usize) -> Vec<EntryPlain> {
	let prefix = Geohash::parse(CELL).unwrap().to_bits() << 20;
	(0..entries)
		.map(|e| EntryPlain {
			owner: [e as u8 + 1; 32],
			stays: (0..stays)
				.map(|p| Stay {
					start: day as u64 * SECONDS_PER_DAY + 600 * p as u64,
					end: day as u64 * SECONDS_PER_DAY + 600 * p as u64 + 300,
					geohash: Geohash::from_bits(
						prefix | (e * 64 + p) as u64,
						geohash::POINT_PRECISION,
					)
					.unwrap(),
					source: Source::Gnss,
				})
				.collect(),
		})
		.collect()
}

fn sealed_to(key: &SealingSecret, key_id: u32, day: u32, entries: usize, stays: usize) -> CsiBatch {
	let sealed = seal_batch(
		&key.public(),
		key_id,
		day,
		Geohash::parse(CELL).unwrap(),
		&plain(day, entries, stays),
	)
	.unwrap();
	CsiBatch { header: sealed.header, entries: sealed.entries }
}

fn sign(locator: u64, batch: &CsiBatch) -> TestSignature {
	let genesis = System::block_hash(0);
	TestSignature(locator, batch_signing_payload(genesis.as_ref(), batch).to_vec())
}

/// The transaction pool's verdict, through the same `authorize` path `AuthorizeCall` takes.
fn pool(locator: u64, batch: &CsiBatch) -> Result<(), TransactionValidityError> {
	pool_signed(locator, batch, sign(locator, batch))
}

fn pool_signed(
	locator: u64,
	batch: &CsiBatch,
	signature: TestSignature,
) -> Result<(), TransactionValidityError> {
	let call = Call::<Test>::submit_batch { locator, batch: batch.clone(), signature };
	call.authorize(TransactionSource::External).expect("submit_batch is authorized").map(|_| ())
}

fn rejected(e: Error<Test>) -> Result<(), TransactionValidityError> {
	Err(InvalidTransaction::Custom(e.encode()[0]).into())
}

/// Pool check, then dispatch with the authorized origin, as a block would.
fn submit(locator: u64, batch: CsiBatch) -> Result<(), TransactionValidityError> {
	pool(locator, &batch)?;
	let signature = sign(locator, &batch);
	Csi::submit_batch(frame_system::RawOrigin::Authorized.into(), locator, batch, signature)
		.expect("a batch the pool accepts dispatches");
	Ok(())
}

fn next_block() {
	System::set_block_number(System::block_number() + 1);
}

#[test]
fn authority_manages_the_locator_whitelist() {
	new_test_ext(vec![], || {
		let region: Region = b"xn76".to_vec().try_into().unwrap();
		assert_noop!(
			Csi::register_locator(
				RuntimeOrigin::signed(1),
				GATE,
				LocatorKind::TransitGate,
				region.clone(),
				H256::zero()
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Csi::register_locator(
				RuntimeOrigin::root(),
				GATE,
				LocatorKind::TransitGate,
				b"xn7a".to_vec().try_into().unwrap(),
				H256::zero()
			),
			Error::<Test>::InvalidRegion
		);
		assert_ok!(Csi::register_locator(
			RuntimeOrigin::root(),
			GATE,
			LocatorKind::TransitGate,
			region.clone(),
			H256::repeat_byte(3)
		));
		System::assert_last_event(
			Event::LocatorRegistered { locator: GATE, kind: LocatorKind::TransitGate, region }
				.into(),
		);
		assert_eq!(Locators::<Test>::get(GATE).unwrap().status, LocatorStatus::Active);
		assert_noop!(
			Csi::register_locator(
				RuntimeOrigin::root(),
				GATE,
				LocatorKind::Venue,
				Region::default(),
				H256::zero()
			),
			Error::<Test>::AlreadyLocator
		);

		assert_noop!(
			Csi::suspend_locator(RuntimeOrigin::signed(GATE), GATE),
			DispatchError::BadOrigin
		);
		assert_noop!(Csi::resume_locator(RuntimeOrigin::root(), GATE), Error::<Test>::NotSuspended);
		assert_ok!(Csi::suspend_locator(RuntimeOrigin::root(), GATE));
		System::assert_last_event(Event::LocatorSuspended { locator: GATE }.into());
		assert_noop!(
			Csi::suspend_locator(RuntimeOrigin::root(), GATE),
			Error::<Test>::LocatorSuspended
		);
		assert_ok!(Csi::resume_locator(RuntimeOrigin::root(), GATE));
		System::assert_last_event(Event::LocatorResumed { locator: GATE }.into());

		assert_ok!(Csi::remove_locator(RuntimeOrigin::root(), GATE));
		System::assert_last_event(Event::LocatorRemoved { locator: GATE }.into());
		assert_eq!(LocatorCount::<Test>::get(), 0);
		for call in [Csi::suspend_locator, Csi::resume_locator, Csi::remove_locator] {
			assert_noop!(call(RuntimeOrigin::root(), STRANGER), Error::<Test>::NotLocator);
		}
	});
}

#[test]
fn a_locator_stores_a_batch_only_the_matcher_can_open() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let batch = sealed_to(&secret, key, DAY0, 3, 8);
		assert_eq!(submit(GATE, batch.clone()), Ok(()));
		System::assert_last_event(
			Event::BatchSubmitted {
				locator: GATE,
				day: DAY0,
				seq: 0,
				key_id: key,
				entries: 3,
				stays: 24,
			}
			.into(),
		);
		let stats = Days::<Test>::get(DAY0).unwrap();
		assert_eq!((stats.batches, stats.entries, stats.stays), (1, 3, 24));
		let listed = Csi::batches_of_day(DAY0, 0, 10);
		assert_eq!(listed.len(), 1);
		assert_eq!(listed[0].meta.ephemeral, batch.header.ephemeral);
		assert_eq!(listed[0].meta.cell_prefix, batch.header.cell_prefix);

		// State holds no entry bytes; the matcher, given the header, opens every entry.
		assert!(!Batches::<Test>::get(DAY0, 0)
			.unwrap()
			.encode()
			.windows(16)
			.any(|w| w == &batch.entries[0][..16]));
		let opener = secret.batch_opener(&batch.header).unwrap();
		for (i, entry) in batch.entries.iter().enumerate() {
			assert_eq!(opener.open(i as u32, entry).unwrap(), plain(DAY0, 3, 8)[i]);
		}
	});
}

#[test]
fn the_pool_refuses_everyone_but_active_locators() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let batch = sealed_to(&secret, key, DAY0, 1, 1);
		assert_eq!(pool(STRANGER, &batch), rejected(Error::NotLocator));
		assert_ok!(Csi::suspend_locator(RuntimeOrigin::root(), GATE));
		assert_eq!(pool(GATE, &batch), rejected(Error::LocatorSuspended));
		assert_ok!(Csi::resume_locator(RuntimeOrigin::root(), GATE));
		assert_eq!(pool(GATE, &batch), Ok(()));
		// A signed origin cannot dispatch it either: only the pool's authorization can.
		assert_noop!(
			Csi::submit_batch(RuntimeOrigin::signed(GATE), GATE, batch.clone(), sign(GATE, &batch)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn signatures_bind_the_locator_and_the_whole_batch() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let batch = sealed_to(&secret, key, DAY0, 2, 2);
		let bad_proof = Err(InvalidTransaction::BadProof.into());
		assert_eq!(pool_signed(GATE, &batch, sign(VENUE, &batch)), bad_proof);
		let mut altered = batch.clone();
		altered.entries[1][5] ^= 1;
		assert_eq!(pool_signed(GATE, &altered, sign(GATE, &batch)), bad_proof);
		let other_chain = TestSignature(GATE, batch_signing_payload(&[1; 32], &batch).to_vec());
		assert_eq!(pool_signed(GATE, &batch, other_chain), bad_proof);
	});
}

#[test]
fn batches_must_lie_in_the_locators_region_and_within_bounds() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		// VENUE may write in xn76 only; a batch for xn0m (Osaka) is outside.
		let mut outside = sealed_to(&secret, key, DAY0, 1, 1);
		outside.header.cell_prefix = Geohash::parse(b"xn0m").unwrap();
		assert_eq!(pool(VENUE, &outside), rejected(Error::OutsideRegion));

		let mut empty = sealed_to(&secret, key, DAY0, 1, 1);
		empty.entries.clear();
		assert_eq!(pool(GATE, &empty), rejected(Error::EmptyBatch));
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0, 17, 1)),
			rejected(Error::TooManyEntries)
		);
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0, 1, 65)),
			rejected(Error::EntryTooLarge)
		);
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0, 4, 64)),
			rejected(Error::BatchTooLarge)
		);
		for len in [0, 47, 58, 60] {
			let mut malformed = sealed_to(&secret, key, DAY0, 1, 1);
			malformed.entries[0].resize(len, 0);
			assert_eq!(pool(GATE, &malformed), rejected(Error::MalformedEntry), "length {len}");
		}
		// A prefix finer than a stay's cell (9 characters) can hold no stay: refused in the pool,
		// where before it took block space and only the enclave found every entry outside it.
		for prefix in [&b"xn76urx66d"[..], b"xn76urx66dkp"] {
			let mut too_fine = sealed_to(&secret, key, DAY0, 1, 1);
			too_fine.header.cell_prefix = Geohash::parse(prefix).unwrap();
			assert_eq!(pool(GATE, &too_fine), rejected(Error::PrefixTooPrecise));
		}
		let mut nine = sealed_to(&secret, key, DAY0, 1, 1);
		nine.header.cell_prefix = Geohash::parse(b"xn76urx66").unwrap();
		assert_eq!(
			pool(GATE, &nine),
			Ok(()),
			"a prefix of a stay's precision is the finest allowed"
		);
	});
}

#[test]
fn days_out_of_range_are_refused() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0 + 1, 1, 1)),
			rejected(Error::DayOutOfRange)
		);
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0 - 3, 1, 1)),
			rejected(Error::DayOutOfRange)
		);
		assert_eq!(pool(GATE, &sealed_to(&secret, key, DAY0 - 2, 1, 1)), Ok(()));
	});
}

#[test]
fn only_current_sealing_keys_are_accepted() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key + 1, DAY0, 1, 1)),
			rejected(Error::UnknownSealingKey)
		);

		let next = SealingSecret::generate();
		rotate(next.public());
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0, 1, 1)),
			Ok(()),
			"inside the grace period"
		);
		set_time(T0 + 12 * 3_600 + 3_600);
		assert_eq!(
			pool(GATE, &sealed_to(&secret, key, DAY0, 1, 1)),
			rejected(Error::ExpiredSealingKey)
		);
		assert_eq!(pool(GATE, &sealed_to(&next, key + 1, DAY0, 1, 1)), Ok(()));

		assert_ok!(MatcherRegistry::revoke_matcher(RuntimeOrigin::root(), 0));
		assert_eq!(
			pool(GATE, &sealed_to(&next, key + 1, DAY0, 1, 1)),
			rejected(Error::MatcherInactive)
		);
	});
}

#[test]
fn a_one_time_key_is_used_once() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let batch = sealed_to(&secret, key, DAY0, 1, 1);
		assert_eq!(submit(GATE, batch.clone()), Ok(()));
		next_block();
		assert_eq!(pool(GATE, &batch), rejected(Error::EphemeralKeyReused));
		assert_eq!(pool(VENUE, &batch), rejected(Error::EphemeralKeyReused));
	});
}

/// The pool's verdict with the tags the batch provides.
fn pool_tags(locator: u64, batch: &CsiBatch) -> Vec<Vec<u8>> {
	let call = Call::<Test>::submit_batch {
		locator,
		batch: batch.clone(),
		signature: sign(locator, batch),
	};
	let (valid, _) = call
		.authorize(TransactionSource::External)
		.expect("submit_batch is authorized")
		.expect("the batch is valid on its own");
	valid.provides
}

/// A model of the transaction pool's admission rule: a transaction whose tags are all new is
/// admitted, one that provides a tag a transaction of equal priority already provides is not.
#[derive(Default)]
struct PoolModel {
	tags: Vec<Vec<u8>>,
}

impl PoolModel {
	fn admit(&mut self, tags: Vec<Vec<u8>>) -> bool {
		if tags.iter().any(|t| self.tags.contains(t)) {
			return false;
		}
		self.tags.extend(tags);
		true
	}
}

#[test]
fn a_flooding_locator_holds_at_most_its_quota_in_the_pool() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		// The pool validates against the best block's state, for the block after it: the
		// locator's usage of that block is not known there, so every batch is valid on its own.
		// Quota 200: the gate offers twelve batches of 64 stays (768 stays) at once.
		let mut pool = PoolModel::default();
		let mut held = 0;
		for _ in 0..12 {
			let batch = sealed_to(&secret, key, DAY0, 1, 64);
			if pool.admit(pool_tags(GATE, &batch)) {
				held += 64;
			}
		}
		assert!(held >= 64, "the locator's first batch is admitted");
		assert!(held <= 200, "the pool holds {held} stays of one locator, over its quota");
		// The flood takes nothing from another locator.
		let venue = sealed_to(&secret, key, DAY0, 1, 64);
		assert!(pool.admit(pool_tags(VENUE, &venue)), "the venue's batch is admitted");
	});
}

#[test]
fn batches_in_distinct_slots_share_the_pool_up_to_the_quota() {
	use epichain_primitives::{csi::PoolSlots, sealing::seal_batch_in_slot};
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		// Quota 200, 16 slots: 10 stays take 1 slot, 64 stays take 6.
		assert_eq!((PoolSlots::needed(10, 200), PoolSlots::needed(64, 200)), (1, 6));
		let in_slot = |slot: u32, stays: usize| {
			let sealed = seal_batch_in_slot(
				slot,
				&secret.public(),
				key,
				DAY0,
				Geohash::parse(CELL).unwrap(),
				&plain(DAY0, 1, stays),
			)
			.unwrap();
			CsiBatch { header: sealed.header, entries: sealed.entries }
		};
		let mut pool = PoolModel::default();
		// Two 64-stay batches in slots 0-5 and 6-11, four 10-stay ones in 12-15.
		for (slot, stays) in [(0, 64), (6, 64), (12, 10), (13, 10), (14, 10), (15, 10)] {
			assert!(pool.admit(pool_tags(GATE, &in_slot(slot, stays))), "slot {slot}");
		}
		// 168 of 200 stays are held: every slot is taken, so even one stay waits.
		for slot in 0..16 {
			assert!(!pool.admit(pool_tags(GATE, &in_slot(slot, 1))), "slot {slot} is taken");
		}
		// Slots are per locator.
		assert!(pool.admit(pool_tags(VENUE, &in_slot(0, 64))));
	});
}

#[test]
fn in_a_block_the_per_block_quota_defers_batches_to_the_next_block() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		// Quota 200 stays per block, checked as the block is built (the pool's own bound is
		// the slots above): three batches of 64 fit, the fourth waits.
		for _ in 0..3 {
			assert_eq!(submit(GATE, sealed_to(&secret, key, DAY0, 1, 64)), Ok(()));
		}
		let fourth = sealed_to(&secret, key, DAY0, 1, 64);
		assert_eq!(pool(GATE, &fourth), Err(InvalidTransaction::ExhaustsResources.into()));
		assert_noop!(
			Csi::submit_batch(
				frame_system::RawOrigin::Authorized.into(),
				GATE,
				fourth.clone(),
				sign(GATE, &fourth)
			),
			Error::<Test>::LocatorQuotaExceeded
		);
		// Another locator has its own quota; the next block resets it.
		assert_eq!(submit(VENUE, sealed_to(&secret, key, DAY0, 1, 64)), Ok(()));
		next_block();
		assert_eq!(submit(GATE, fourth), Ok(()));
	});
}

#[test]
fn pruning_removes_exactly_the_days_older_than_retention() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		// Batches dated DAY0 - 2, DAY0 - 1 and DAY0.
		for back in [2, 1, 0] {
			assert_eq!(submit(GATE, sealed_to(&secret, key, DAY0 - back, 1, 1)), Ok(()));
			assert_eq!(submit(VENUE, sealed_to(&secret, key, DAY0 - back, 1, 1)), Ok(()));
		}
		// Day DAY0 - 2 expires when today reaches DAY0 + 12.
		set_time(T0 + 11 * SECONDS_PER_DAY);
		Csi::on_idle(2, Weight::MAX);
		assert_eq!(Days::<Test>::iter().count(), 3);
		set_time(T0 + 12 * SECONDS_PER_DAY);
		Csi::on_idle(3, Weight::MAX);
		assert!(Days::<Test>::get(DAY0 - 2).is_none());
		assert_eq!(Batches::<Test>::iter_prefix(DAY0 - 2).count(), 0);
		assert_eq!(UsedEphemeralKeys::<Test>::iter_prefix(DAY0 - 2).count(), 0);
		System::assert_has_event(Event::DayPruned { day: DAY0 - 2, batches: 2 }.into());
		assert_eq!(Batches::<Test>::iter().count(), 4);
		assert_eq!(OldestDay::<Test>::get(), Some(DAY0 - 1));
		Csi::do_try_state().unwrap();
	});
}

#[test]
fn pruning_stops_when_idle_weight_runs_out() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		for _ in 0..3 {
			assert_eq!(submit(GATE, sealed_to(&secret, key, DAY0, 1, 1)), Ok(()));
		}
		set_time(T0 + 14 * SECONDS_PER_DAY);
		assert_eq!(Csi::on_idle(2, Weight::zero()), Weight::zero());
		let step = <() as WeightInfo>::prune_batch();
		let base = <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads(1);
		assert_eq!(Csi::on_idle(2, base + step * 2), base + step * 2);
		assert_eq!(Batches::<Test>::iter_prefix(DAY0).count(), 1);
		Csi::do_try_state().unwrap();
		Csi::on_idle(3, Weight::MAX);
		assert_eq!(Batches::<Test>::iter().count(), 0);
		assert_eq!(Days::<Test>::iter().count(), 0);
	});
}

/// Thirty simulated days of writing, with the matcher rotating its key daily as it must
/// (keys older than retention are shredded): state stays bounded by the retention window.
#[test]
fn state_stays_bounded_over_a_thirty_day_run() {
	new_test_ext(tokyo_locators(), || {
		let (mut secret, mut key) = matcher();
		let mut peak = 0;
		for d in 0..30u32 {
			set_time(T0 + d as u64 * SECONDS_PER_DAY + 3_600);
			if d > 0 {
				secret = SealingSecret::generate();
				rotate(secret.public());
				key += 1;
			}
			for _ in 0..4 {
				next_block();
				assert_eq!(submit(GATE, sealed_to(&secret, key, DAY0 + d, 2, 8)), Ok(()));
			}
			Csi::on_idle(System::block_number(), Weight::MAX);
			MatcherRegistry::on_idle(System::block_number(), Weight::MAX);
			Csi::do_try_state().unwrap();
			let batches = Batches::<Test>::iter().count();
			peak = peak.max(batches);
			assert!(Days::<Test>::iter().all(|(day, _)| day + 14 > DAY0 + d), "day {d}");
			assert!(batches <= 14 * 4, "day {d}: {batches} batches");
		}
		assert_eq!(peak, 14 * 4);
		assert_eq!(Days::<Test>::iter().count(), 14);
		assert_eq!(UsedEphemeralKeys::<Test>::iter().count(), 14 * 4);
		assert!(pallet_matchers::SealingKeys::<Test>::iter().count() <= 15);
	});
}

#[test]
fn genesis_whitelists_locators() {
	new_test_ext(tokyo_locators(), || {
		assert_eq!(LocatorCount::<Test>::get(), 2);
		assert_eq!(Locators::<Test>::get(VENUE).unwrap().region.to_vec(), b"xn76".to_vec());
	});
}

#[test]
fn a_venues_batch_counts_one_check_in_per_entry_and_nothing_else() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		assert_eq!(submit(GATE, sealed_to(&secret, key, DAY0, 2, 1)), Ok(()));
		assert_eq!(submit(VENUE, sealed_to(&secret, key, DAY0, 3, 1)), Ok(()));
		let seen = CHECK_INS.with(|c| c.borrow().clone());
		assert_eq!(seen, vec![(Geohash::parse(CELL).unwrap(), DAY0, 3)]);
		use epichain_primitives::traits::VenueLocators;
		assert!(Csi::is_active_venue_for(&VENUE, &Geohash::parse(b"xn76urx").unwrap()));
		assert!(!Csi::is_active_venue_for(
			&VENUE,
			&Geohash::parse(b"xn7a").unwrap_or(Geohash::parse(b"xn0").unwrap())
		));
		assert!(!Csi::is_active_venue_for(&GATE, &Geohash::parse(b"xn76urx").unwrap()));
	});
}

/// A venue's batch of visits its visitors' phones sealed: the venue's own one-time key in the
/// header, one device entry per visit, each under the phone's own one-time key.
fn visits(key: &SealingSecret, key_id: u32, day: u32, sealed: &[Vec<u8>]) -> CsiBatch {
	let mut batch =
		seal_batch(&key.public(), key_id, day, Geohash::parse(CELL).unwrap(), &[]).unwrap();
	batch.entries.extend(sealed.iter().cloned());
	CsiBatch { header: batch.header, entries: batch.entries }
}

/// One visit sealed on a phone, with its own one-time key.
fn phone_visit(key: &SealingSecret, key_id: u32, day: u32, owner: usize) -> Vec<u8> {
	let entry = plain(day, owner + 1, 1).pop().unwrap();
	epichain_primitives::sealing::seal_device_entry(
		&key.public(),
		key_id,
		day,
		Geohash::parse(CELL).unwrap(),
		&entry,
	)
	.unwrap()
}

#[test]
fn a_venue_stores_visits_its_visitors_phones_sealed_and_only_the_matcher_opens_them() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let sealed: Vec<_> = (0..3).map(|i| phone_visit(&secret, key, DAY0, i)).collect();
		let batch = visits(&secret, key, DAY0, &sealed);
		assert_eq!(submit(VENUE, batch.clone()), Ok(()));
		System::assert_has_event(
			Event::BatchSubmitted {
				locator: VENUE,
				day: DAY0,
				seq: 0,
				key_id: key,
				entries: 3,
				stays: 3,
			}
			.into(),
		);
		assert_eq!(UsedDeviceKeys::<Test>::iter_prefix(DAY0).count(), 3);
		assert_eq!(DeviceKeyCount::<Test>::get(DAY0), 3);
		let opener = secret.batch_opener(&batch.header).unwrap();
		for (i, entry) in batch.entries.iter().enumerate() {
			assert_eq!(opener.open(i as u32, entry).unwrap(), plain(DAY0, i + 1, 1).pop().unwrap());
		}
		Csi::do_try_state().unwrap();
	});
}

#[test]
fn a_device_entry_is_stored_once_whoever_batches_it_again() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let visit = phone_visit(&secret, key, DAY0, 0);
		// Twice in one batch.
		let twice = visits(&secret, key, DAY0, &[visit.clone(), visit.clone()]);
		assert_eq!(pool(VENUE, &twice), rejected(Error::DeviceKeyReused));
		assert_eq!(submit(VENUE, visits(&secret, key, DAY0, std::slice::from_ref(&visit))), Ok(()));
		next_block();
		// Replayed in a fresh batch, by the venue or by another locator of the region.
		let replay = visits(&secret, key, DAY0, &[phone_visit(&secret, key, DAY0, 1), visit]);
		assert_eq!(pool(VENUE, &replay), rejected(Error::DeviceKeyReused));
		assert_eq!(pool(GATE, &replay), rejected(Error::DeviceKeyReused));
		assert_eq!(DeviceKeyCount::<Test>::get(DAY0), 1);
	});
}

#[test]
fn two_pending_batches_never_carry_the_same_device_entry() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let visit = phone_visit(&secret, key, DAY0, 0);
		let a = visits(&secret, key, DAY0, std::slice::from_ref(&visit));
		let b = visits(&secret, key, DAY0, std::slice::from_ref(&visit));
		let device_key = &visit[2..34];
		let (mut ta, mut tb) = (pool_tags(VENUE, &a), pool_tags(GATE, &b));
		ta.retain(|t| t.ends_with(device_key));
		tb.retain(|t| t.ends_with(device_key));
		assert_eq!(ta.len(), 1);
		assert_eq!(ta, tb, "the pool admits only one of them");
		let mut model = PoolModel::default();
		assert!(model.admit(pool_tags(VENUE, &a)));
		assert!(!model.admit(pool_tags(GATE, &b)));
	});
}

#[test]
fn device_entries_with_a_foreign_tag_or_a_broken_length_are_malformed() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let visit = phone_visit(&secret, key, DAY0, 0);
		let mut version_2 = visit.clone();
		version_2[1] = 2;
		assert_eq!(
			pool(VENUE, &visits(&secret, key, DAY0, &[version_2])),
			rejected(Error::MalformedEntry)
		);
		let mut longer = visit.clone();
		longer.push(0);
		assert_eq!(
			pool(VENUE, &visits(&secret, key, DAY0, &[longer])),
			rejected(Error::MalformedEntry)
		);
		assert_eq!(UsedDeviceKeys::<Test>::iter().count(), 0);
	});
}

#[test]
fn device_keys_are_pruned_with_their_day_and_weighed() {
	new_test_ext(tokyo_locators(), || {
		let (secret, key) = matcher();
		let sealed: Vec<_> = (0..3).map(|i| phone_visit(&secret, key, DAY0, i)).collect();
		let batch = visits(&secret, key, DAY0, &sealed);
		let db = <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get();
		assert_eq!(Csi::device_entries_weight(&batch, false), db.reads(3));
		assert_eq!(Csi::device_entries_weight(&batch, true), db.reads_writes(4, 4));
		assert_eq!(
			Csi::device_entries_weight(&sealed_to(&secret, key, DAY0, 3, 1), true),
			Weight::zero()
		);
		assert_eq!(submit(VENUE, batch), Ok(()));
		set_time(T0 + 14 * SECONDS_PER_DAY);
		// One batch step and two key steps: one key is left, and the day.
		let step = <() as WeightInfo>::prune_batch();
		assert_eq!(Csi::on_idle(2, db.reads(1) + step * 3), db.reads(1) + step * 3);
		assert_eq!(DeviceKeyCount::<Test>::get(DAY0), 1);
		assert!(Days::<Test>::get(DAY0).is_some());
		Csi::do_try_state().unwrap();
		Csi::on_idle(3, Weight::MAX);
		assert_eq!(UsedDeviceKeys::<Test>::iter().count(), 0);
		assert_eq!(DeviceKeyCount::<Test>::iter().count(), 0);
		assert_eq!(Days::<Test>::iter().count(), 0);
		Csi::do_try_state().unwrap();
	});
}
