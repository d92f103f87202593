//! The rule against real quotes ([`crate::samples`]).
//!
//! Expected measurements and report data are read from the quote's bytes at the offsets
//! Intel's quote layout publishes (SGX quote v3, TDX quote v4), not through dcap-qvl's parser.

use super::*;

use crate::samples::*;

/// 2025-08-01T00:00:00Z: after both windows.
const AFTER: u64 = 1_754_006_400;
/// 2025-05-01T00:00:00Z: before the collateral was issued.
const BEFORE: u64 = 1_746_057_600;

// SGX quote v3: a 48-byte header, then the 384-byte report body; MRENCLAVE at body offset 64,
// report data at body offset 320.
const SGX_MRENCLAVE: core::ops::Range<usize> = 112..144;
const SGX_REPORT_DATA: core::ops::Range<usize> = 368..432;
// TDX quote v4: a 48-byte header, then the TD report body; MRTD at body offset 136, RTMR0..3
// at 328..520, report data at 520.
const TDX_MRTD: core::ops::Range<usize> = 184..232;
const TDX_RTMRS: core::ops::Range<usize> = 376..568;
const TDX_REPORT_DATA: core::ops::Range<usize> = 568..632;

fn sgx() -> (Vec<u8>, DcapCollateral) {
	(SGX_QUOTE.to_vec(), collateral(SGX_COLLATERAL))
}

fn tdx() -> (Vec<u8>, DcapCollateral) {
	(TDX_QUOTE.to_vec(), collateral(TDX_COLLATERAL))
}

fn allowing(measurement: [u8; 32], tcb: &[TcbStatus]) -> Policy {
	Policy {
		measurements: BoundedVec::truncate_from(vec![measurement]),
		accepted_tcb: BoundedVec::truncate_from(tcb.to_vec()),
	}
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
	bytes.try_into().expect("the range has the array's length")
}

#[test]
fn intels_sgx_sample_quote_verifies_and_says_what_the_quote_bytes_say() {
	let (quote, collateral) = sgx();
	let quoted = verify_quote(&quote, &collateral, IN_DATE).expect("Intel's sample verifies");
	assert_eq!(quoted.tee, Tee::Sgx);
	assert_eq!(quoted.measurement, array::<32>(&quote[SGX_MRENCLAVE]));
	assert_eq!(quoted.report_data, array::<64>(&quote[SGX_REPORT_DATA]));
	assert_eq!(&quoted.report_data[..13], b"Hello, world!");
	// Intel grades this platform so (its TCB info, signed in the collateral).
	assert_eq!(quoted.tcb, Some(TcbStatus::ConfigurationAndSwHardeningNeeded));
}

#[test]
fn intels_tdx_sample_quote_verifies_and_its_measurement_covers_mrtd_and_every_rtmr() {
	let (quote, collateral) = tdx();
	let quoted = verify_quote(&quote, &collateral, IN_DATE).expect("Intel's sample verifies");
	assert_eq!(quoted.tee, Tee::Tdx);
	let mut registers = quote[TDX_MRTD].to_vec();
	registers.extend_from_slice(&quote[TDX_RTMRS]);
	assert_eq!(quoted.measurement, blake2_256(&registers));
	assert_eq!(quoted.report_data, array::<64>(&quote[TDX_REPORT_DATA]));
	assert_eq!(quoted.tcb, Some(TcbStatus::UpToDate));
}

#[test]
fn a_quote_with_any_byte_of_its_report_or_signature_changed_is_refused() {
	let (quote, collateral) = sgx();
	// The measurement, the report data, the quote's signature (from 436) and the quoting
	// enclave's report (from 564).
	for at in [SGX_MRENCLAVE.start, SGX_REPORT_DATA.start + 1, 436, 600] {
		let mut tampered = quote.clone();
		tampered[at] ^= 0x01;
		assert_eq!(
			verify_quote(&tampered, &collateral, IN_DATE),
			Err(Refusal::QuoteInvalid),
			"byte {at} changed"
		);
	}
	assert_eq!(verify_quote(&quote[..600], &collateral, IN_DATE), Err(Refusal::QuoteInvalid));
	assert_eq!(verify_quote(&[], &collateral, IN_DATE), Err(Refusal::QuoteInvalid));
}

#[test]
fn collateral_past_its_date_is_refused_as_expired_and_before_it_as_not_yet_valid() {
	for (quote, collateral) in [sgx(), tdx()] {
		assert_eq!(verify_quote(&quote, &collateral, AFTER), Err(Refusal::CollateralExpired));
		assert_eq!(verify_quote(&quote, &collateral, BEFORE), Err(Refusal::CollateralNotYetValid));
	}
}

#[test]
fn collateral_changed_or_from_another_platform_is_refused() {
	let (quote, mut changed) = sgx();
	let mut tcb_info = changed.tcb_info.to_vec();
	let at = tcb_info.iter().position(|b| *b == b'7').expect("a digit in the TCB info");
	tcb_info[at] = b'8';
	changed.tcb_info = BoundedVec::truncate_from(tcb_info);
	assert_eq!(verify_quote(&quote, &changed, IN_DATE), Err(Refusal::QuoteInvalid));

	// The TDX platform's collateral for the SGX quote.
	let (_, other) = tdx();
	assert_eq!(verify_quote(&quote, &other, IN_DATE), Err(Refusal::QuoteInvalid));

	let (_, mut not_text) = sgx();
	not_text.qe_identity = BoundedVec::truncate_from(vec![0xff, 0xfe]);
	assert_eq!(verify_quote(&quote, &not_text, IN_DATE), Err(Refusal::CollateralMalformed));
}

#[test]
fn a_platform_whose_tcb_status_the_region_does_not_accept_is_refused() {
	// Intel grades the SGX sample's platform ConfigurationAndSWHardeningNeeded; the default
	// policy accepts UpToDate and SWHardeningNeeded only.
	let (quote, collateral) = sgx();
	let quoted = verify_quote(&quote, &collateral, IN_DATE).unwrap();
	let mut policy = Policy {
		measurements: BoundedVec::truncate_from(vec![quoted.measurement]),
		..Policy::default()
	};
	assert_eq!(quoted.admit(&[1; 32], &[2; 32], &policy), Err(Refusal::TcbStatusRefused));
	// A status Intel names that this crate does not know is never accepted.
	let unknown = Quoted { tcb: None, ..quoted };
	policy.accepted_tcb = BoundedVec::truncate_from(vec![
		TcbStatus::UpToDate,
		TcbStatus::ConfigurationAndSwHardeningNeeded,
	]);
	assert_eq!(unknown.admit(&[1; 32], &[2; 32], &policy), Err(Refusal::TcbStatusRefused));
}

#[test]
fn a_verified_quote_with_a_measurement_off_the_allow_list_is_refused() {
	let (quote, collateral) = sgx();
	let quoted = verify_quote(&quote, &collateral, IN_DATE).unwrap();
	let status = [TcbStatus::ConfigurationAndSwHardeningNeeded];
	let mut other = quoted.measurement;
	other[0] ^= 0x80;
	assert_eq!(
		quoted.admit(&[1; 32], &[2; 32], &allowing(other, &status)),
		Err(Refusal::MeasurementNotAllowed)
	);
	assert_eq!(
		quoted.admit(
			&[1; 32],
			&[2; 32],
			&Policy { measurements: BoundedVec::new(), ..allowing(other, &status) }
		),
		Err(Refusal::MeasurementNotAllowed)
	);
}

#[test]
fn a_verified_allowed_quote_whose_report_data_binds_other_keys_is_refused() {
	// Intel's sample binds "Hello, world!", not any matcher's keys: everything else passes.
	for ((quote, collateral), status) in
		[(sgx(), TcbStatus::ConfigurationAndSwHardeningNeeded), (tdx(), TcbStatus::UpToDate)]
	{
		let quoted = verify_quote(&quote, &collateral, IN_DATE).unwrap();
		let evidence = Evidence::Dcap {
			quote: BoundedVec::truncate_from(quote.clone()),
			collateral: collateral.clone(),
		};
		assert_eq!(
			admit(
				&evidence,
				&[1; 32],
				&[2; 32],
				&allowing(quoted.measurement, &[status]),
				false,
				IN_DATE
			),
			Err(Refusal::ReportDataMismatch)
		);
	}
}

#[test]
fn report_data_that_binds_the_keys_admits_and_binds_only_those_keys() {
	let (quote, collateral) = sgx();
	let real = verify_quote(&quote, &collateral, IN_DATE).unwrap();
	let (signing, sealing) = ([0x11; 32], [0x22; 32]);
	// The report data a matcher enclave with these keys would put in its quote.
	let mut report_data = [0x5a; 64];
	report_data[..32].copy_from_slice(&matcher_report_data(&signing, &sealing));
	let quoted = Quoted { report_data, ..real };
	let policy = allowing(quoted.measurement, &[TcbStatus::ConfigurationAndSwHardeningNeeded]);
	assert_eq!(
		quoted.admit(&signing, &sealing, &policy),
		Ok(Admitted {
			tee: Tee::Sgx,
			measurement: quoted.measurement,
			tcb: Some(TcbStatus::ConfigurationAndSwHardeningNeeded)
		})
	);
	assert_eq!(quoted.admit(&sealing, &signing, &policy), Err(Refusal::ReportDataMismatch));
	assert_eq!(quoted.admit(&signing, &[0x23; 32], &policy), Err(Refusal::ReportDataMismatch));
}

#[test]
fn simulation_is_admitted_only_where_allowed_and_names_itself() {
	let evidence = Evidence::Simulation { measurement: [9; 32] };
	let policy = Policy::default();
	assert_eq!(
		admit(&evidence, &[1; 32], &[2; 32], &policy, true, IN_DATE),
		Ok(Admitted { tee: Tee::Simulation, measurement: [9; 32], tcb: None })
	);
	assert_eq!(
		admit(&evidence, &[1; 32], &[2; 32], &policy, false, IN_DATE),
		Err(Refusal::SimulationNotAllowed)
	);
}

#[test]
fn intel_names_every_acceptable_status_and_revoked_is_not_one() {
	for (name, status) in [
		("UpToDate", TcbStatus::UpToDate),
		("SWHardeningNeeded", TcbStatus::SwHardeningNeeded),
		("ConfigurationNeeded", TcbStatus::ConfigurationNeeded),
		("ConfigurationAndSWHardeningNeeded", TcbStatus::ConfigurationAndSwHardeningNeeded),
		("OutOfDate", TcbStatus::OutOfDate),
		("OutOfDateConfigurationNeeded", TcbStatus::OutOfDateConfigurationNeeded),
		("TDRelaunchAdvised", TcbStatus::TdRelaunchAdvised),
		("TDRelaunchAdvisedConfigurationNeeded", TcbStatus::TdRelaunchAdvisedConfigurationNeeded),
	] {
		assert_eq!(TcbStatus::from_intel_name(name), Some(status));
		// dcap-qvl's own names are Intel's.
		let qvl: dcap_qvl::TcbStatus =
			serde_json::from_str(&format!("\"{name}\"")).expect("a dcap-qvl status");
		assert_eq!(qvl.to_string(), name);
	}
	assert_eq!(TcbStatus::from_intel_name("Revoked"), None);
}

#[test]
fn real_evidence_fits_its_bounds_and_its_size_is_known() {
	for (quote, collateral) in [sgx(), tdx()] {
		let evidence =
			Evidence::Dcap { quote: BoundedVec::truncate_from(quote.clone()), collateral };
		let encoded = evidence.encode();
		assert!(quote.len() < MAX_QUOTE_LEN as usize);
		assert_eq!(Evidence::decode(&mut &encoded[..]), Ok(evidence));
		// An authority's call, a few a year.
		eprintln!("DCAP evidence: {} bytes", encoded.len());
		assert!(encoded.len() < 24 * 1024, "{} bytes", encoded.len());
	}
}

#[test]
fn the_committed_scale_collateral_is_the_json_one() {
	let encoded = collateral(TDX_COLLATERAL).encode();
	if std::env::var_os("EPICHAIN_WRITE_SAMPLES").is_some() {
		std::fs::write(
			concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/tdx-collateral.scale"),
			&encoded,
		)
		.unwrap();
	}
	assert_eq!(TDX_COLLATERAL_SCALE, &encoded[..]);
	assert_eq!(tdx_collateral(), collateral(TDX_COLLATERAL));
}

#[cfg(feature = "host-function")]
#[test]
fn the_host_function_answers_as_the_verifier() {
	let (quote, collateral) = tdx();
	assert_eq!(
		dcap_quotes::verify(&quote, collateral.clone(), IN_DATE),
		verify_quote(&quote, &collateral, IN_DATE)
	);
	assert_eq!(dcap_quotes::verify(&quote, collateral, AFTER), Err(Refusal::CollateralExpired));
}
