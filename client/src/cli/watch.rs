//! `epichain watch`: follow finalized blocks and print epichain events.

use anyhow::Result;
use clap::Args;
use serde_json::json;

use crate::{connection::Connection, output::event_lines};

/// `watch` options.
#[derive(Args, Debug)]
pub struct WatchArgs {
	/// Stop after this many finalized blocks (default: run until interrupted).
	#[arg(long)]
	pub blocks: Option<u64>,
}

/// Follows finalized blocks and prints their epichain events.
pub async fn run(chain: &Connection, args: WatchArgs, json_mode: bool) -> Result<()> {
	let mut blocks = chain.api.stream_blocks().await?;
	let mut seen = 0u64;
	while let Some(block) = blocks.next().await {
		let block = block?;
		let at = block.at().await?;
		let events = at.events().fetch().await?;
		let lines = event_lines(events.iter())?;
		if json_mode {
			println!("{}", json!({ "block": block.number(), "events": lines }));
		} else {
			println!("#{} finalized", block.number());
			for l in &lines {
				println!("  {l}");
			}
		}
		seen += 1;
		if args.blocks.is_some_and(|n| seen >= n) {
			break;
		}
	}
	Ok(())
}
