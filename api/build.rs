//! The generated types come from `metadata/epichain.scale`, which the subxt macro reads at
//! compile time without telling cargo: without this, a build after `metadata/update.sh` could
//! reuse types generated from the previous runtime.

fn main() {
	println!("cargo:rerun-if-changed=metadata/epichain.scale");
}
