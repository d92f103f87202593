//! # Matcher attestation: the evidence, and the one rule that admits it
//!
//! A matcher enclave is the only party that can read a region's CSI, so the chain registers
//! one only on evidence it checks itself ([`admit`]), never on a hash an operator typed in.
//!
//! ## Evidence
//! - [`Evidence::Dcap`]: an Intel SGX or TDX DCAP quote with its collateral (PCK CRLs, TCB
//!   info, QE identity and their issuer chains, as a PCCS serves them). Verified by
//!   [`dcap-qvl`](https://crates.io/crates/dcap-qvl) against Intel's SGX root CA, which that
//!   crate carries, at the chain's clock.
//! - [`Evidence::Simulation`]: no hardware isolation at all. Admitted only where the caller
//!   says genesis allows it (`pallet-matchers` stores that flag; dev and local chains set it).
//!
//! ## The rule ([`admit`], in this order)
//! 1. The quote verifies: signatures from the quote up to Intel's root, collateral signed and
//!    in date, nothing revoked, not a debug enclave ([`Refusal::QuoteInvalid`],
//!    [`Refusal::CollateralExpired`], [`Refusal::CollateralNotYetValid`],
//!    [`Refusal::CollateralMalformed`]).
//! 2. Its TCB status is one the region accepts ([`Policy::accepted_tcb`];
//!    [`Refusal::TcbStatusRefused`]). `Revoked` never is.
//! 3. Its measurement ([`measurement_of`]) is on the region's allow-list
//!    ([`Policy::measurements`]; [`Refusal::MeasurementNotAllowed`]).
//! 4. Its report data binds the matcher's signing and sealing keys: the first 32 bytes are
//!    [`epichain_primitives::signing::matcher_report_data`] of the keys being registered
//!    ([`Refusal::ReportDataMismatch`]). The last 32 bytes are the enclave's to use.
//!
//! The same rule serves wherever a matcher must prove itself: the chain's registry and a
//! replica asking another for the region's keys.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "std")]
use alloc::{format, string::String, vec::Vec};
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use epichain_primitives::signing::matcher_report_data;
use scale_info::TypeInfo;
use sp_crypto_hashing::blake2_256;

/// The largest quote accepted, in bytes (SGX quotes with their PCK chain are about 4.6 KiB,
/// TDX ones about 5 KiB).
pub const MAX_QUOTE_LEN: u32 = 16 * 1024;
/// The largest collateral item accepted, in bytes (a PCK CRL grows with revocations; Intel's
/// are a few KiB today).
pub const MAX_COLLATERAL_ITEM_LEN: u32 = 64 * 1024;
/// The most measurements a region's allow-list holds.
pub const MAX_MEASUREMENTS: u32 = 16;
/// The most TCB statuses a policy names (there are eight acceptable ones).
pub const MAX_TCB_STATUSES: u32 = 8;

/// A quote's bytes.
pub type QuoteBytes = BoundedVec<u8, ConstU32<MAX_QUOTE_LEN>>;
/// One collateral item's bytes (PEM, JSON or DER, as a PCCS serves it).
pub type CollateralItem = BoundedVec<u8, ConstU32<MAX_COLLATERAL_ITEM_LEN>>;

/// The collateral a DCAP quote is verified against, as a PCCS serves it (`QuoteCollateralV3`):
/// PEM issuer chains, DER CRLs, TCB info and QE identity JSON with their signatures.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct DcapCollateral {
	/// The PCK CRL's issuer chain (PEM).
	pub pck_crl_issuer_chain: CollateralItem,
	/// Intel's root CA CRL (DER).
	pub root_ca_crl: CollateralItem,
	/// The PCK CRL (DER).
	pub pck_crl: CollateralItem,
	/// The TCB info's issuer chain (PEM).
	pub tcb_info_issuer_chain: CollateralItem,
	/// The TCB info (JSON).
	pub tcb_info: CollateralItem,
	/// The TCB info's signature.
	pub tcb_info_signature: CollateralItem,
	/// The QE identity's issuer chain (PEM).
	pub qe_identity_issuer_chain: CollateralItem,
	/// The QE identity (JSON).
	pub qe_identity: CollateralItem,
	/// The QE identity's signature.
	pub qe_identity_signature: CollateralItem,
	/// The PCK certificate chain (PEM), when the quote does not carry it.
	pub pck_certificate_chain: Option<CollateralItem>,
}

/// What a matcher presents to be registered, renewed or given a region's keys.
// The calls that take it box it, so the DCAP variant's size costs nothing there.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum Evidence {
	/// SIMULATION: no hardware isolation, nothing verified. Admitted only where genesis
	/// allows simulation (development and local chains); the measurement is recorded as given.
	Simulation {
		/// The simulation build's measurement (it names itself as simulation).
		measurement: [u8; 32],
	},
	/// An Intel SGX or TDX DCAP quote and the collateral it verifies against.
	Dcap {
		/// The quote (version 3 for SGX, 4 or 5 for TDX).
		quote: QuoteBytes,
		/// Its collateral.
		collateral: DcapCollateral,
	},
}

impl Evidence {
	/// blake2-256 of the evidence's SCALE encoding: what the registry keeps as the
	/// matcher's `attestation_hash`.
	pub fn hash(&self) -> [u8; 32] {
		blake2_256(&self.encode())
	}
}

/// The kind of isolation evidence showed.
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
pub enum Tee {
	/// SIMULATION: no hardware isolation (development and local chains only).
	Simulation,
	/// An Intel SGX enclave, by DCAP quote.
	Sgx,
	/// An Intel TDX trust domain, by DCAP quote.
	Tdx,
}

/// A platform's TCB status, as Intel's TCB info grades it. `Revoked` has no variant: it is
/// never accepted.
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
pub enum TcbStatus {
	/// Fully patched.
	UpToDate,
	/// Patched; software mitigations are needed in the enclave.
	SwHardeningNeeded,
	/// Patched; the platform's configuration needs a change (e.g. hyper-threading).
	ConfigurationNeeded,
	/// Both of the above.
	ConfigurationAndSwHardeningNeeded,
	/// Missing microcode or firmware updates.
	OutOfDate,
	/// Out of date and needs a configuration change.
	OutOfDateConfigurationNeeded,
	/// TDX 1.5: launched on an out-of-date TCB, updated since; a relaunch is advised.
	TdRelaunchAdvised,
	/// The above, with a configuration change needed.
	TdRelaunchAdvisedConfigurationNeeded,
}

impl TcbStatus {
	/// The status named as dcap-qvl (and Intel's TCB info) names it; `None` for `Revoked`
	/// and anything unknown.
	pub fn from_intel_name(name: &str) -> Option<Self> {
		Some(match name {
			"UpToDate" => Self::UpToDate,
			"SWHardeningNeeded" => Self::SwHardeningNeeded,
			"ConfigurationNeeded" => Self::ConfigurationNeeded,
			"ConfigurationAndSWHardeningNeeded" => Self::ConfigurationAndSwHardeningNeeded,
			"OutOfDate" => Self::OutOfDate,
			"OutOfDateConfigurationNeeded" => Self::OutOfDateConfigurationNeeded,
			"TDRelaunchAdvised" => Self::TdRelaunchAdvised,
			"TDRelaunchAdvisedConfigurationNeeded" => Self::TdRelaunchAdvisedConfigurationNeeded,
			_ => return None,
		})
	}
}

/// What a region accepts as a matcher: set by its authority.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Policy {
	/// Measurements of the matcher builds the region runs (SGX MRENCLAVE; for TDX, see
	/// [`measurement_of`]). Empty: no hardware matcher is admitted.
	pub measurements: BoundedVec<[u8; 32], ConstU32<MAX_MEASUREMENTS>>,
	/// The TCB statuses accepted.
	pub accepted_tcb: BoundedVec<TcbStatus, ConstU32<MAX_TCB_STATUSES>>,
}

impl Default for Policy {
	/// No measurement allowed yet; fully patched platforms, and those that only need software
	/// hardening (most SGX platforms), accepted.
	fn default() -> Self {
		Self {
			measurements: BoundedVec::new(),
			accepted_tcb: BoundedVec::truncate_from(alloc::vec![
				TcbStatus::UpToDate,
				TcbStatus::SwHardeningNeeded
			]),
		}
	}
}

/// Why evidence was not admitted. Each is a named error of the pallet that asked.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Refusal {
	/// Simulation evidence where genesis does not allow simulation.
	SimulationNotAllowed,
	/// The quote does not verify: malformed, a signature or certificate that does not check
	/// out, revoked, a debug enclave, or collateral that does not belong to it.
	QuoteInvalid,
	/// A PEM chain or JSON document of the collateral is not UTF-8.
	CollateralMalformed,
	/// The collateral (TCB info, QE identity, a CRL or a certificate) is past its date.
	CollateralExpired,
	/// The collateral was issued after the chain's clock.
	CollateralNotYetValid,
	/// The platform's TCB status is not one the region accepts.
	TcbStatusRefused,
	/// The enclave's measurement is not on the region's allow-list.
	MeasurementNotAllowed,
	/// The report data does not bind the keys being registered.
	ReportDataMismatch,
}

/// What a verified quote says.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct Quoted {
	/// SGX or TDX.
	pub tee: Tee,
	/// The measurement ([`measurement_of`]).
	pub measurement: [u8; 32],
	/// The 64 bytes of report data the enclave put in the quote.
	pub report_data: [u8; 64],
	/// The platform's TCB status; `None` when Intel names one this crate does not know.
	pub tcb: Option<TcbStatus>,
}

/// What was admitted: recorded by the registry and named in its events.
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
pub struct Admitted {
	/// SGX, TDX, or SIMULATION.
	pub tee: Tee,
	/// The measurement.
	pub measurement: [u8; 32],
	/// The platform's TCB status (`None` in simulation).
	pub tcb: Option<TcbStatus>,
}

#[cfg(feature = "std")]
/// The measurement of a quoted report: an SGX enclave's MRENCLAVE; for a TDX trust domain,
/// `blake2_256(MRTD || RTMR0 || RTMR1 || RTMR2 || RTMR3)` (the initial image and every
/// runtime measurement register, so the kernel, command line and application are covered).
pub fn measurement_of(report: &dcap_qvl::quote::Report) -> [u8; 32] {
	if let dcap_qvl::quote::Report::SgxEnclave(enclave) = report {
		return enclave.mr_enclave;
	}
	// Every other report is a TD 1.0 report or extends one; all-zero otherwise, which no
	// allow-list holds.
	let Some(td) = report.as_td10() else { return [0; 32] };
	let mut registers = Vec::with_capacity(5 * 48);
	for register in [&td.mr_td, &td.rt_mr0, &td.rt_mr1, &td.rt_mr2, &td.rt_mr3] {
		registers.extend_from_slice(register);
	}
	blake2_256(&registers)
}

#[cfg(feature = "std")]
fn report_data_of(report: &dcap_qvl::quote::Report) -> [u8; 64] {
	match report {
		dcap_qvl::quote::Report::SgxEnclave(enclave) => enclave.report_data,
		other => other.as_td10().map_or([0; 64], |td| td.report_data),
	}
}

#[cfg(feature = "std")]
fn utf8(item: &CollateralItem) -> Result<String, Refusal> {
	String::from_utf8(item.to_vec()).map_err(|_| Refusal::CollateralMalformed)
}

#[cfg(feature = "std")]
impl DcapCollateral {
	fn to_qvl(&self) -> Result<dcap_qvl::QuoteCollateralV3, Refusal> {
		Ok(dcap_qvl::QuoteCollateralV3 {
			pck_crl_issuer_chain: utf8(&self.pck_crl_issuer_chain)?,
			root_ca_crl: self.root_ca_crl.to_vec(),
			pck_crl: self.pck_crl.to_vec(),
			tcb_info_issuer_chain: utf8(&self.tcb_info_issuer_chain)?,
			tcb_info: utf8(&self.tcb_info)?,
			tcb_info_signature: self.tcb_info_signature.to_vec(),
			qe_identity_issuer_chain: utf8(&self.qe_identity_issuer_chain)?,
			qe_identity: utf8(&self.qe_identity)?,
			qe_identity_signature: self.qe_identity_signature.to_vec(),
			pck_certificate_chain: self.pck_certificate_chain.as_ref().map(utf8).transpose()?,
		})
	}
}

#[cfg(feature = "std")]
impl DcapCollateral {
	/// Reads collateral as dcap-qvl writes a PCCS's answer (`QuoteCollateralV3` as JSON, byte
	/// fields in hex), refusing an item beyond [`MAX_COLLATERAL_ITEM_LEN`].
	pub fn from_pccs_json(json: &[u8]) -> Result<Self, String> {
		let c: dcap_qvl::QuoteCollateralV3 = serde_json::from_slice(json)
			.map_err(|e| format!("not PCCS collateral JSON (QuoteCollateralV3): {e}"))?;
		let item = |name: &str, bytes: Vec<u8>| {
			CollateralItem::try_from(bytes).map_err(|b| {
				format!("{name}: {} bytes, more than {MAX_COLLATERAL_ITEM_LEN}", b.len())
			})
		};
		Ok(Self {
			pck_crl_issuer_chain: item("pck_crl_issuer_chain", c.pck_crl_issuer_chain.into())?,
			root_ca_crl: item("root_ca_crl", c.root_ca_crl)?,
			pck_crl: item("pck_crl", c.pck_crl)?,
			tcb_info_issuer_chain: item("tcb_info_issuer_chain", c.tcb_info_issuer_chain.into())?,
			tcb_info: item("tcb_info", c.tcb_info.into())?,
			tcb_info_signature: item("tcb_info_signature", c.tcb_info_signature)?,
			qe_identity_issuer_chain: item(
				"qe_identity_issuer_chain",
				c.qe_identity_issuer_chain.into(),
			)?,
			qe_identity: item("qe_identity", c.qe_identity.into())?,
			qe_identity_signature: item("qe_identity_signature", c.qe_identity_signature)?,
			pck_certificate_chain: c
				.pck_certificate_chain
				.map(|chain| item("pck_certificate_chain", chain.into()))
				.transpose()?,
		})
	}
}

#[cfg(feature = "std")]
/// Names a dcap-qvl refusal. The library reports by message; these are its messages for
/// dates (dcap-qvl 0.7.1, pinned exactly, and each pinned by a test with Intel's collateral):
/// "TCBInfo expired", "QE Identity expired", webpki's `CertExpired` and `CrlExpired`; "... issue
/// date is in the future", `CertNotValidYet`. Everything else is the quote's fault.
fn name_refusal(message: &str) -> Refusal {
	let has = |needle: &str| message.contains(needle);
	if has("expired") || has("Expired") {
		Refusal::CollateralExpired
	} else if has("in the future") || has("NotValidYet") {
		Refusal::CollateralNotYetValid
	} else {
		Refusal::QuoteInvalid
	}
}

/// Verifies a DCAP quote against its collateral at unix second `now`, from the quote up to
/// Intel's root CA: step 1 of the [crate] rule. Native; the runtime reaches it through
/// [`dcap_quotes::verify`].
#[cfg(feature = "std")]
pub fn verify_quote(
	quote: &[u8],
	collateral: &DcapCollateral,
	now: u64,
) -> Result<Quoted, Refusal> {
	let collateral = collateral.to_qvl()?;
	let verified = dcap_qvl::verify::QuoteVerifier::new_prod()
		.with_config::<dcap_qvl::configs::RustCryptoConfig>()
		.verify(quote, &collateral, now)
		.map_err(|e| name_refusal(&format!("{e:#}")))?;
	let tee = if verified.report.is_sgx() { Tee::Sgx } else { Tee::Tdx };
	Ok(Quoted {
		tee,
		measurement: measurement_of(&verified.report),
		report_data: report_data_of(&verified.report),
		tcb: TcbStatus::from_intel_name(&verified.status),
	})
}

impl Quoted {
	/// Steps 2 to 4 of the [crate] rule: TCB status, measurement, the keys' binding.
	pub fn admit(
		&self,
		signing_key: &[u8; 32],
		sealing_key: &[u8; 32],
		policy: &Policy,
	) -> Result<Admitted, Refusal> {
		let tcb = self.tcb.filter(|s| policy.accepted_tcb.contains(s));
		let Some(tcb) = tcb else { return Err(Refusal::TcbStatusRefused) };
		if !policy.measurements.contains(&self.measurement) {
			return Err(Refusal::MeasurementNotAllowed);
		}
		if self.report_data[..32] != matcher_report_data(signing_key, sealing_key) {
			return Err(Refusal::ReportDataMismatch);
		}
		Ok(Admitted { tee: self.tee, measurement: self.measurement, tcb: Some(tcb) })
	}
}

/// The rule: admits `evidence` for a matcher with these keys under the region's `policy` at
/// unix second `now`, or names why not. Simulation is admitted only if `simulation_allowed`.
pub fn admit(
	evidence: &Evidence,
	signing_key: &[u8; 32],
	sealing_key: &[u8; 32],
	policy: &Policy,
	simulation_allowed: bool,
	now: u64,
) -> Result<Admitted, Refusal> {
	match evidence {
		Evidence::Simulation { measurement } if simulation_allowed => {
			Ok(Admitted { tee: Tee::Simulation, measurement: *measurement, tcb: None })
		},
		Evidence::Simulation { .. } => Err(Refusal::SimulationNotAllowed),
		Evidence::Dcap { quote, collateral } => {
			verify(&quote[..], collateral, now)?.admit(signing_key, sealing_key, policy)
		},
	}
}

/// Step 1 of the [crate] rule where this build runs it: in a runtime, through the node's
/// [`dcap_quotes`] host function.
#[cfg(feature = "host-function")]
fn verify(quote: &[u8], collateral: &DcapCollateral, now: u64) -> Result<Quoted, Refusal> {
	dcap_quotes::verify(quote, collateral.clone(), now)
}

/// Step 1 of the [crate] rule where this build runs it: natively ([`verify_quote`]), as an
/// enclave does, with no host-function machinery linked.
#[cfg(all(feature = "std", not(feature = "host-function")))]
fn verify(quote: &[u8], collateral: &DcapCollateral, now: u64) -> Result<Quoted, Refusal> {
	verify_quote(quote, collateral, now)
}

#[cfg(not(any(feature = "std", feature = "host-function")))]
compile_error!("epichain-attestation without `std` runs in a runtime: enable `host-function`");

/// DCAP quote verification as a host function: the runtime's wasm cannot link dcap-qvl (see
/// this crate's manifest), so every node runs [`verify_quote`] natively for it, on the same
/// inputs with the same result. A node registers [`dcap_quotes::HostFunctions`] with its
/// executor; light clients (smoldot) instantiate the runtime with unresolved imports allowed
/// and never call it. Feature `host-function` (the runtime and the node; not an enclave).
#[cfg(feature = "host-function")]
#[sp_runtime_interface::runtime_interface]
pub trait DcapQuotes {
	/// Verifies `quote` against `collateral` at unix second `now` ([`verify_quote`]).
	fn verify(
		quote: sp_runtime_interface::pass_by::PassFatPointerAndRead<&[u8]>,
		collateral: sp_runtime_interface::pass_by::PassFatPointerAndDecode<DcapCollateral>,
		now: u64,
	) -> sp_runtime_interface::pass_by::AllocateAndReturnByCodec<Result<Quoted, Refusal>> {
		verify_quote(quote, &collateral, now)
	}
}

// Every native build has the samples (the linker drops them where unused), so a test needs no
// feature that would give the node's tree a second build; the runtime's benchmarks ask for
// `samples`.
#[cfg(any(feature = "std", feature = "samples"))]
pub mod samples;
#[cfg(test)]
mod tests;
