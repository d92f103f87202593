//! Benchmarks of `pallet_diagnosis` (frame-benchmarking v2). Consent and report signatures are
//! made with the runtime's ed25519 host functions in the benchmark keystore.

use super::*;
use alloc::{format, vec, vec::Vec};
use codec::Encode;
use epichain_primitives::{
	diagnosis::{ConsentedPseudonym, DayWindow},
	signing::consent_message,
	tcn::{MemoType, SignedReport, MAX_MEMO_LEN},
	traits::{BenchmarkClock as _, BenchmarkSigner as _},
};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::{crypto::KeyTypeId, H256};
use sp_runtime::traits::Zero;

/// A fixed point in time for benchmarks: 2026-11-21T12:00:00Z (day 20778).
const NOW: u64 = 1_795_262_400;

/// The benchmark keystore's key type for patients' pseudonyms and phones' report keys.
const KEY: KeyTypeId = KeyTypeId(*b"dgnb");

fn jurisdiction() -> Region {
	b"xn7".to_vec().try_into().expect("3 < 12; qed")
}

/// An ed25519 key of the benchmark keystore, derived from `name`.
fn key(name: &str) -> sp_core::ed25519::Public {
	sp_io::crypto::ed25519_generate(KEY, Some(format!("//{name}").into_bytes()))
}

fn ed25519_sign(public: &sp_core::ed25519::Public, message: &[u8]) -> [u8; 64] {
	sp_io::crypto::ed25519_sign(KEY, public, message)
		.expect("the key was just generated in the keystore; qed")
		.0
}

/// The benchmark diagnostician, registered and active.
fn diagnostician<T: Config>() -> T::AccountId {
	let (who, _) = T::BenchmarkHelper::sign(&[]);
	if !Diagnosticians::<T>::contains_key(&who) {
		Pallet::<T>::do_register(&who, jurisdiction(), H256::zero()).expect("new; qed");
	}
	who
}

/// A signed report disclosing 100 TCNs with the longest memo (the most bytes to verify).
fn report(name: &str) -> SignedReport {
	let rvk = key(name);
	let mut report = SignedReport {
		rvk: rvk.0,
		tck: [0x33; 32],
		j1: 1,
		j2: 100,
		memo_type: MemoType::CoEpiV1,
		memo: vec![0x11; MAX_MEMO_LEN as usize].try_into().expect("at the bound; qed"),
		signature: [0; 64],
	};
	report.signature = ed25519_sign(&rvk, &report.report_bytes());
	report
}

/// A valid endorsement of `p` pseudonyms (the last `p` days, today included) and `r` reports,
/// its diagnostician and signature.
fn endorsement<T: Config>(
	p: u32,
	r: u32,
	salt: u32,
) -> (T::AccountId, EndorsementOf<T>, T::DiagnosticianSignature) {
	T::BenchmarkHelper::set_time(NOW);
	let who = diagnostician::<T>();
	let today = Pallet::<T>::today();
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let nullifier = sp_io::hashing::blake2_256(&(b"benchmark-case", salt).encode());
	let window = DayWindow { first: today + 1 - p.max(1), last: today };
	let pseudonyms: Vec<ConsentedPseudonym> = (window.first..=window.last)
		.map(|day| {
			let public = key(&format!("patient-{salt}-{day}"));
			let message = consent_message(genesis.as_ref(), &who.encode(), &nullifier, day);
			ConsentedPseudonym {
				day,
				pseudonym: public.0,
				consent: ed25519_sign(&public, &message),
			}
		})
		.collect();
	let reports: Vec<SignedReport> = (0..r).map(|i| report(&format!("phone-{salt}-{i}"))).collect();
	let endorsement = Endorsement {
		nullifier,
		window,
		pseudonyms: pseudonyms.try_into().expect("p <= MaxPseudonyms; qed"),
		reports: reports.try_into().expect("r <= MaxReportsPerCase; qed"),
		valid_until: valid_until::<T>(),
	};
	let (signer, signature) =
		T::BenchmarkHelper::sign(&endorsement_signing_payload(genesis.as_ref(), &endorsement));
	assert!(signer == who, "the helper signs with one account");
	(who, endorsement, signature)
}

/// Endorses a case of `p` pseudonyms and `r` reports; returns its id and diagnostician.
fn endorsed<T: Config>(p: u32, r: u32, salt: u32) -> (CaseId, T::AccountId) {
	let (who, endorsement, signature) = endorsement::<T>(p, r, salt);
	let case = NextCaseId::<T>::get();
	Pallet::<T>::endorse_case(RawOrigin::Authorized.into(), who.clone(), endorsement, signature)
		.expect("valid; qed");
	(case, who)
}

/// The furthest block a signed message may be valid until from the current one.
fn valid_until<T: Config>() -> u32 {
	let now: u32 = frame_system::Pallet::<T>::block_number().try_into().unwrap_or(u32::MAX);
	now.saturating_add(T::MaxSignedValidity::get())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_diagnostician() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("diagnostician", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), jurisdiction(), H256::zero());
		assert!(Diagnosticians::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn suspend_diagnostician() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = diagnostician::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert_eq!(
			Diagnosticians::<T>::get(&who).map(|d| d.status),
			Some(DiagnosticianStatus::Suspended)
		);
		Ok(())
	}

	#[benchmark]
	fn resume_diagnostician() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = diagnostician::<T>();
		Diagnosticians::<T>::mutate(&who, |d| {
			if let Some(d) = d {
				d.status = DiagnosticianStatus::Suspended
			}
		});
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert_eq!(
			Diagnosticians::<T>::get(&who).map(|d| d.status),
			Some(DiagnosticianStatus::Active)
		);
		Ok(())
	}

	#[benchmark]
	fn remove_diagnostician() -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (_, who) = endorsed::<T>(1, 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Diagnosticians::<T>::contains_key(&who));
		Ok(())
	}

	/// Dispatch of an endorsement of `p` pseudonyms and `r` reports (state writes; the
	/// signatures are checked in `authorize_endorse_case`).
	#[benchmark]
	fn endorse_case(
		p: Linear<1, { T::MaxPseudonyms::get().min(T::RetentionDays::get()) }>,
		r: Linear<0, { T::MaxReportsPerCase::get() }>,
	) {
		let (who, endorsement, signature) = endorsement::<T>(p, r, 1);
		#[extrinsic_call]
		_(RawOrigin::Authorized, who, endorsement, signature);
		assert_eq!(NextCaseId::<T>::get(), 1);
	}

	/// The pool's validation of an endorsement: state checks, the diagnostician's signature,
	/// `p` consent signatures and `r` report signatures.
	#[benchmark]
	fn authorize_endorse_case(
		p: Linear<1, { T::MaxPseudonyms::get().min(T::RetentionDays::get()) }>,
		r: Linear<0, { T::MaxReportsPerCase::get() }>,
	) -> Result<(), BenchmarkError> {
		let (diagnostician, endorsement, signature) = endorsement::<T>(p, r, 2);
		let call = Call::<T>::endorse_case { diagnostician, endorsement, signature };
		#[block]
		{
			use frame_support::pallet_prelude::{Authorize, TransactionSource};
			call.authorize(TransactionSource::External)
				.ok_or("endorse_case is authorized")?
				.map_err(|_| "a valid endorsement passes")?;
		}
		Ok(())
	}

	/// The pool's validation of a diagnostician's revocation.
	#[benchmark]
	fn authorize_revoke_endorsement() -> Result<(), BenchmarkError> {
		let (case, diagnostician) = endorsed::<T>(1, 0, 3);
		let reason = RevocationReason::FalsePositive;
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let valid_until = valid_until::<T>();
		let (_, signature) = T::BenchmarkHelper::sign(&revocation_signing_payload(
			genesis.as_ref(),
			case,
			reason,
			valid_until,
		));
		let call =
			Call::<T>::revoke_endorsement { diagnostician, case, reason, valid_until, signature };
		#[block]
		{
			use frame_support::pallet_prelude::{Authorize, TransactionSource};
			call.authorize(TransactionSource::External)
				.ok_or("revoke_endorsement is authorized")?
				.map_err(|_| "a valid revocation passes")?;
		}
		Ok(())
	}

	/// Dispatch of a diagnostician's revocation of a case of `p` pseudonyms with the most
	/// reports.
	#[benchmark]
	fn revoke_endorsement(p: Linear<1, { T::MaxPseudonyms::get().min(T::RetentionDays::get()) }>) {
		let (case, who) = endorsed::<T>(p, T::MaxReportsPerCase::get(), 4);
		let (_, signature) = T::BenchmarkHelper::sign(&[]);
		let valid_until = valid_until::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Authorized,
			who,
			case,
			RevocationReason::FalsePositive,
			valid_until,
			signature,
		);
		assert!(Cases::<T>::get(case).is_some_and(|c| c.status != CaseStatus::Active));
	}

	/// The authority's revocation of a case of `p` pseudonyms with the most reports.
	#[benchmark]
	fn force_revoke(
		p: Linear<1, { T::MaxPseudonyms::get().min(T::RetentionDays::get()) }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::AuthorityOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (case, _) = endorsed::<T>(p, T::MaxReportsPerCase::get(), 5);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, case, RevocationReason::Fraud);
		assert!(Cases::<T>::get(case).is_some_and(|c| c.status != CaseStatus::Active));
		Ok(())
	}

	/// One pruning step removing an expired active case of `p` pseudonyms and `r` reports.
	#[benchmark]
	fn prune_case(
		p: Linear<1, { T::MaxPseudonyms::get().min(T::RetentionDays::get()) }>,
		r: Linear<0, { T::MaxReportsPerCase::get() }>,
	) {
		let (case, _) = endorsed::<T>(p, r, 6);
		T::BenchmarkHelper::set_time(NOW + T::RetentionDays::get() as u64 * 86_400);
		let budget =
			T::DbWeight::get().reads(2).saturating_add(<T as Config>::WeightInfo::prune_case(
				T::MaxPseudonyms::get(),
				T::MaxReportsPerCase::get(),
			));
		#[block]
		{
			Pallet::<T>::on_idle(BlockNumberFor::<T>::from(2u32), budget);
		}
		assert!(Cases::<T>::get(case).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::bench_ext(), crate::mock::Test);
}
