//! `epichain-node`: the validator binary of an epichain region.

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are Substrate's own error types for a node's
// commands and services; boxing them would only hide which one a caller got.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
