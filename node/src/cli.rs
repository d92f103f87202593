//! Command-line interface: the standard sc-cli node flags and subcommands.

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management (generate, inspect, insert into a node's keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (prefer `export-chain-spec`, which needs no node config).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of `--chain` (a name or a path), plain or `--raw`.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallet weights, storage, block execution, this machine.
	#[cfg(feature = "benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// The node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Flags of a running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// The TEE matcher's base URL (for example `http://127.0.0.1:8545`). The off-chain worker
	/// relays open matching jobs to it and submits its signed results. Give it once per
	/// replica (or as a comma-separated list): the worker asks them in turn, starting with the
	/// one that answered last, and fails over to the next within the same block. Stored in the
	/// node's persistent off-chain storage, so it stays set across restarts; pass an empty
	/// string to clear it.
	#[arg(long, value_name = "URL", value_delimiter = ',')]
	pub matcher_url: Vec<String>,
}
