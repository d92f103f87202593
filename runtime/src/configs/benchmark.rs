//! What the contact-tracing pallets' benchmarks need from the runtime: a clock, registered
//! locations, a signing key and a registered matcher.

use crate::{AccountId, Runtime, Signature};
use sp_core::crypto::KeyTypeId;
use sp_runtime::{traits::IdentifyAccount, MultiSigner};

/// Clock and locator signatures for the tracing pallets' benchmarks.
pub struct Helper;

impl epichain_primitives::traits::BenchmarkClock for Helper {
	fn set_time(secs: u64) {
		pallet_timestamp::Now::<Runtime>::put(secs * 1_000);
	}
}

/// Venue check-ins (csi) and infected cells (notifications) need a registered location.
impl epichain_primitives::traits::BenchmarkLocations for Helper {
	fn register_location(cell: &epichain_primitives::geohash::Geohash) {
		let _ = pallet_locations::Pallet::<Runtime>::do_register(
			*cell,
			None,
			pallet_locations::SurfaceMaterial::Unknown,
		);
	}
}

/// Locators and diagnosticians sign with one sr25519 benchmark key.
impl epichain_primitives::traits::BenchmarkSigner<AccountId, Signature> for Helper {
	fn sign(payload: &[u8]) -> (AccountId, Signature) {
		const KEY: KeyTypeId = KeyTypeId(*b"epib");
		let public = sp_io::crypto::sr25519_generate(KEY, Some(b"//epichain-benchmark".to_vec()));
		let signature = sp_io::crypto::sr25519_sign(KEY, &public, payload)
			.expect("the key was just generated in the keystore; qed");
		(MultiSigner::from(public).into_account(), Signature::from(signature))
	}
}

impl pallet_notifications::BenchmarkHelper for Helper {
	fn register_signer(key: &[u8; 32]) {
		pallet_matchers::SimulationAllowed::<Runtime>::put(true);
		let _ = pallet_matchers::Pallet::<Runtime>::register_matcher(
			frame_system::RawOrigin::Root.into(),
			*key,
			[0x5a; 32],
			alloc::boxed::Box::new(pallet_matchers::Evidence::Simulation { measurement: [1; 32] }),
			0,
			u64::MAX / 2,
		);
	}
}
