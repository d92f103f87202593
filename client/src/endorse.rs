//! Endorsements and revocations as a diagnostician builds them. What is signed is
//! `epichain_primitives::signing`'s, the one definition the runtime verifies with.

use anyhow::{anyhow, Context, Result};
use codec::Decode;
use epichain_primitives::{
	diagnosis::{CaseNullifier, ConsentedPseudonym, DayWindow},
	signing,
	tcn::SignedReport,
};
use subxt::utils::Static;

use crate::{consent::Consent, keys::parse_hex32, runtime};

/// An endorsement being built.
pub struct Endorsement {
	/// The case nullifier.
	pub nullifier: CaseNullifier,
	/// The infectious window.
	pub window: DayWindow,
	/// Consented pseudonyms, one per day.
	pub pseudonyms: Vec<ConsentedPseudonym>,
	/// TCN proximity reports.
	pub reports: Vec<SignedReport>,
	/// The last block it may be included at.
	pub valid_until: u32,
}

impl Endorsement {
	/// From a patient's consent file and hex-encoded TCN reports, valid until block
	/// `valid_until`.
	pub fn from_consent(consent: &Consent, reports: &[String], valid_until: u32) -> Result<Self> {
		let pseudonyms = consent
			.pseudonyms
			.iter()
			.map(|p| {
				let signature: [u8; 64] = epichain_primitives::hex0x::decode_array(&p.consent)
					.map_err(|e| anyhow!("day {}: a consent signature is 64 bytes: {e}", p.day))?;
				Ok(ConsentedPseudonym {
					day: p.day,
					pseudonym: parse_hex32(&p.pseudonym)?,
					consent: signature,
				})
			})
			.collect::<Result<_>>()?;
		let reports = reports
			.iter()
			.map(|r| {
				let bytes = epichain_primitives::hex0x::decode(r).context("a report is hex")?;
				SignedReport::decode(&mut &bytes[..]).map_err(|e| anyhow!("not a TCN report: {e}"))
			})
			.collect::<Result<_>>()?;
		Ok(Self {
			nullifier: parse_hex32(&consent.nullifier).context("nullifier")?,
			window: DayWindow { first: consent.first, last: consent.last },
			pseudonyms,
			reports,
			valid_until,
		})
	}

	/// What the diagnostician signs ([`signing::endorsement_payload`]).
	pub fn signing_payload(&self, genesis: &[u8; 32]) -> [u8; 32] {
		signing::endorsement_payload(
			genesis,
			&self.nullifier,
			&self.window,
			&self.pseudonyms,
			&self.reports,
			self.valid_until,
		)
	}
}

/// The `Diagnosis::endorse_case` call.
pub fn call(
	diagnostician: subxt::utils::AccountId32,
	e: Endorsement,
	signature: [u8; 64],
) -> subxt::transactions::StaticPayload<runtime::diagnosis::calls::EndorseCase> {
	use runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec;
	runtime::tx().diagnosis().endorse_case(
		diagnostician,
		runtime::runtime_types::pallet_diagnosis::types::Endorsement {
			nullifier: e.nullifier,
			window: Static(e.window),
			pseudonyms: BoundedVec(e.pseudonyms.into_iter().map(Static).collect()),
			reports: BoundedVec(e.reports.into_iter().map(Static).collect()),
			valid_until: e.valid_until,
		},
		runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(signature),
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use epichain_primitives::{diagnosis::case_nullifier, pseudonym::DeviceSeed};
	use runtime::runtime_types::pallet_diagnosis::types::RevocationReason as R;

	#[test]
	fn the_signed_messages_are_the_pallets_own() {
		let genesis = [4u8; 32];
		let nullifier = case_nullifier(b"lab", b"case-7");
		let seed = DeviceSeed::from_bytes([1; 32]);
		let pseudonyms: Vec<_> = (100..=102)
			.map(|d| {
				ConsentedPseudonym::sign(&seed.pseudonym_key(d), &genesis, &[2; 32], &nullifier)
			})
			.collect();
		let window = DayWindow { first: 100, last: 102 };
		let ours = Endorsement {
			nullifier,
			window,
			pseudonyms: pseudonyms.clone(),
			reports: vec![],
			valid_until: 77,
		};
		let theirs = pallet_diagnosis::Endorsement::<
			frame_support::traits::ConstU32<16>,
			frame_support::traits::ConstU32<4>,
		> {
			nullifier,
			window,
			pseudonyms: pseudonyms.try_into().unwrap(),
			reports: Default::default(),
			valid_until: 77,
		};
		assert_eq!(
			ours.signing_payload(&genesis),
			pallet_diagnosis::endorsement_signing_payload(&genesis, &theirs)
		);
		for (ours, theirs) in [
			(R::FalsePositive, pallet_diagnosis::RevocationReason::FalsePositive),
			(R::EnteredInError, pallet_diagnosis::RevocationReason::EnteredInError),
			(R::ConsentWithdrawn, pallet_diagnosis::RevocationReason::ConsentWithdrawn),
			(R::Fraud, pallet_diagnosis::RevocationReason::Fraud),
		] {
			assert_eq!(
				signing::revocation_payload(&genesis, 9, &ours, 77),
				pallet_diagnosis::revocation_signing_payload(&genesis, 9, theirs, 77)
			);
		}
	}
}
