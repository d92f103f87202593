//! Benchmarks of `pallet_matchers` (frame-benchmarking v2).

use super::*;

use alloc::{boxed::Box, vec::Vec};

use epichain_primitives::traits::BenchmarkClock;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::pallet_prelude::BlockNumberFor;

/// The ed25519 public key of seed `[0x4d; 32]`, and its endorsement of sealing key `[9; 32]`
/// (the signature of `matcher_report_data(ENDORSING_SIGNER, [9; 32])`; the pallet's tests
/// check both against sp-core's signing).
pub(crate) const ENDORSING_SIGNER: [u8; 32] = [
	0x62, 0xa6, 0x11, 0xb4, 0x72, 0xd8, 0x9b, 0x0e, 0x5f, 0xc9, 0x3c, 0x06, 0x9b, 0x9f, 0x70, 0x0b,
	0x4c, 0x55, 0x2d, 0x55, 0xbc, 0x0e, 0x87, 0xb5, 0x60, 0x08, 0xef, 0x17, 0xb6, 0xb2, 0xbe, 0xbe,
];
pub(crate) const ENDORSEMENT_OF_9S: [u8; 64] = [
	0x66, 0x99, 0xb5, 0x1f, 0x68, 0x08, 0x04, 0xc3, 0x78, 0xa1, 0x51, 0xf9, 0x80, 0x62, 0xe2, 0xae,
	0x75, 0xcb, 0x94, 0x20, 0x83, 0x4b, 0xf5, 0xca, 0x15, 0x7e, 0x90, 0xd4, 0xd1, 0x0c, 0x73, 0xc8,
	0xef, 0x1a, 0x39, 0x0a, 0x9c, 0x39, 0x19, 0x2e, 0xad, 0xbb, 0xb7, 0xd1, 0x90, 0xe6, 0x91, 0x1e,
	0x1d, 0xf8, 0x4b, 0x0f, 0xc6, 0x74, 0x38, 0x8a, 0x72, 0x0a, 0x9a, 0x9b, 0x90, 0x8c, 0xcd, 0x0c,
];

/// A fixed point in time for benchmarks: 2026-11-21T00:00:00Z.
const NOW: u64 = 1_795_219_200;

/// SIMULATION evidence, admitted: benchmarks of the calls weigh the registry's own work, and
/// [`benchmarks::verify_dcap_quote`] weighs a quote's verification on top.
fn simulation<T: Config>() -> Box<Evidence> {
	SimulationAllowed::<T>::put(true);
	Box::new(Evidence::Simulation { measurement: [1; 32] })
}

/// The serving matcher, or (when none serves) a new one with keys derived from its id, valid
/// from time 0 on; returns its id and its current sealing key id.
pub(crate) fn register_current_matcher<T: Config>() -> (MatcherId, SealingKeyId) {
	// One matcher at a time: the one serving, if any.
	if let Some(&matcher) = Lineup::<T>::get().first() {
		if let Some(info) = Matchers::<T>::get(matcher) {
			if Pallet::<T>::is_active(&info, Pallet::<T>::now()) {
				return (matcher, info.current_key);
			}
		}
	}
	let seed = NextMatcherId::<T>::get();
	let mut signing = [0xAA; 32];
	signing[..4].copy_from_slice(&seed.to_le_bytes());
	let mut sealing = [0x55; 32];
	sealing[..4].copy_from_slice(&seed.to_le_bytes());
	if Pallet::<T>::now() < NOW {
		T::BenchmarkHelper::set_time(NOW);
	}
	let origin = T::AuthorityOrigin::try_successful_origin().expect("authority origin; qed");
	Pallet::<T>::register_matcher(origin, signing, sealing, simulation::<T>(), 0, u64::MAX)
		.expect("fresh keys; qed");
	let matcher = NextMatcherId::<T>::get() - 1;
	(matcher, Matchers::<T>::get(matcher).expect("just registered; qed").current_key)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_matcher() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let evidence = simulation::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, [7; 32], [8; 32], evidence, 0, u64::MAX);
		assert!(MatcherBySigner::<T>::contains_key([7; 32]));
		Ok(())
	}

	/// With the endorsement's signature checked.
	#[benchmark]
	fn rotate_sealing_key() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::register_matcher(
			origin.clone(),
			ENDORSING_SIGNER,
			[8; 32],
			simulation::<T>(),
			0,
			u64::MAX,
		)
		.map_err(|_| BenchmarkError::Weightless)?;
		let matcher = NextMatcherId::<T>::get() - 1;
		let old = Matchers::<T>::get(matcher).ok_or(BenchmarkError::Weightless)?.current_key;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, matcher, [9; 32], ENDORSEMENT_OF_9S);
		assert!(SealingKeys::<T>::get(old).and_then(|k| k.retired_at).is_some());
		Ok(())
	}

	#[benchmark]
	fn renew_attestation() -> Result<(), BenchmarkError> {
		let (matcher, _) = register_current_matcher::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let evidence = simulation::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, matcher, evidence, u64::MAX - 1);
		Ok(())
	}

	#[benchmark]
	fn revoke_matcher() -> Result<(), BenchmarkError> {
		let (matcher, _) = register_current_matcher::<T>();
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, matcher);
		assert!(Matchers::<T>::get(matcher).is_some_and(|m| m.revoked));
		Ok(())
	}

	/// One shredding step of `on_idle`: a key past the retention window leaves state.
	#[benchmark]
	fn shred_sealing_key() {
		let (_, key) = register_current_matcher::<T>();
		T::BenchmarkHelper::set_time(NOW + Pallet::<T>::key_lifetime_secs());
		let step = <T as Config>::WeightInfo::shred_sealing_key();
		let budget = T::DbWeight::get().reads(2).saturating_add(step);
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(1u32), budget);
		}
		assert!(!SealingKeys::<T>::contains_key(key));
	}

	/// Verifying a real DCAP quote (Intel's TDX sample: a v4 quote and the larger PCK CRL of
	/// the samples) up to Intel's root, at a time its collateral is in date, through the
	/// `dcap_quotes` host function. What `register_matcher` and `renew_attestation` add for
	/// DCAP evidence.
	#[benchmark]
	fn verify_dcap_quote() {
		use epichain_attestation::{dcap_quotes, samples};
		let collateral = samples::tdx_collateral();
		let verified;
		#[block]
		{
			verified = dcap_quotes::verify(samples::TDX_QUOTE, collateral, samples::IN_DATE);
		}
		assert!(verified.is_ok());
	}

	/// A policy of the most measurements and statuses.
	#[benchmark]
	fn set_attestation_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let policy = Policy {
			measurements: (0..epichain_attestation::MAX_MEASUREMENTS)
				.map(|i| [i as u8; 32])
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| BenchmarkError::Weightless)?,
			accepted_tcb: Policy::default().accepted_tcb,
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy.clone());
		assert_eq!(AttestationPolicy::<T>::get(), policy);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}
