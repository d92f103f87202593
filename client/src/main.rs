//! `epichain`: the command line of an epichain region, for every role.

use clap::Parser;

#[tokio::main]
async fn main() {
	let cli = epichain_client::cli::Cli::parse();
	if let Err(error) = epichain_client::cli::run(cli).await {
		eprintln!("error: {error:#}");
		std::process::exit(1);
	}
}
