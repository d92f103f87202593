//! Prints signed reports made by the TCN reference implementation, one per line:
//! `report <seed> <j1> <j2> <signed report hex> <tcn hex>,<tcn hex>,...`.
//! Inputs are synthetic: fixed key seeds, a short and a maximal memo.

use std::io::Cursor;

fn main() {
	println!("# Signed reports made by the TCN reference implementation (crate tcn 0.4.1),");
	println!("# written by tcn-reference/ (cargo run --release --locked > ../tcn-reference.txt).");
	println!("# report <rak seed byte> <j1> <j2> <memo type> <signed report hex> <disclosed TCNs hex, comma-separated; - for none>");
	let cases: [(u8, u16, u16, &[u8]); 3] =
		[(1, 1, 1, b""), (2, 5, 40, b"fever"), (3, 300, 301, &[7u8; 255])];
	for (seed, j1, j2, memo) in cases {
		let rak = tcn::ReportAuthorizationKey::read(Cursor::new([seed; 32])).expect("32-byte key");
		let signed = rak
			.create_report(tcn::MemoType::CovidWatchV1, memo.to_vec(), j1, j2)
			.expect("a valid report");
		let mut bytes = Vec::new();
		signed.write(Cursor::new(&mut bytes)).expect("serializes");
		let tcns: Vec<String> = signed
			.verify()
			.expect("verifies")
			.temporary_contact_numbers()
			.map(|t| hex::encode(t.0))
			.collect();
		let tcns = if tcns.is_empty() { "-".to_string() } else { tcns.join(",") };
		println!("report {seed} {j1} {j2} CovidWatchV1 {} {tcns}", hex::encode(&bytes));
	}
}
