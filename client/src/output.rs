//! What the command line prints: JSON for programs, text for people, and the epichain events a
//! transaction or a block emitted.

use anyhow::Result;
use serde_json::{json, Value};

use crate::{connection, keys::hex0x};

/// Prints `value` as JSON, or `text` for people.
pub fn emit(json_mode: bool, value: &Value, text: impl FnOnce() -> String) {
	if json_mode {
		println!("{value}");
	} else {
		println!("{}", text());
	}
}

/// Prints where a transaction landed and the epichain events it emitted.
pub fn report_included(included: &connection::Included, json_mode: bool) -> Result<()> {
	let events = event_lines(included.events.iter())?;
	let v = json!({
		"block": included.block_number,
		"blockHash": format!("{:?}", included.block_hash),
		"events": events,
	});
	emit(json_mode, &v, || {
		let mut text = format!("in block #{}", included.block_number);
		for e in &events {
			text.push_str(&format!("\n  {e}"));
		}
		text
	});
	Ok(())
}

/// The pallets whose events `watch` and transaction reports show.
const EPICHAIN_PALLETS: [&str; 10] = [
	"Csi",
	"Diagnosis",
	"Locations",
	"Matchers",
	"Notifications",
	"Sudo",
	"Council",
	"CouncilMembership",
	"Session",
	"Validators",
];

/// The epichain events among `events`, one line each: `Pallet::Event {fields as JSON}`.
pub fn event_lines<'a>(
	events: impl Iterator<
		Item = Result<subxt::events::Event<'a, connection::Config>, subxt::error::EventsError>,
	>,
) -> Result<Vec<String>> {
	let mut lines = Vec::new();
	for event in events {
		let event = event?;
		if !EPICHAIN_PALLETS.contains(&event.pallet_name()) {
			continue;
		}
		let fields = event
			.decode_fields_unchecked_as::<subxt::ext::scale_value::Composite<()>>()
			.map(|f| {
				readable(&subxt::ext::scale_value::Value {
					value: subxt::ext::scale_value::ValueDef::Composite(f),
					context: (),
				})
				.to_string()
			})
			.unwrap_or_default();
		lines.push(format!("{}::{} {}", event.pallet_name(), event.event_name(), fields));
	}
	Ok(lines)
}

/// An event field as JSON, with byte arrays (accounts, keys, fingerprints) as 0x-hex.
fn readable(value: &subxt::ext::scale_value::Value<()>) -> Value {
	use subxt::ext::scale_value::{Composite, Primitive, ValueDef};
	fn bytes(values: &[subxt::ext::scale_value::Value<()>]) -> Option<Vec<u8>> {
		values
			.iter()
			.map(|v| match &v.value {
				ValueDef::Primitive(Primitive::U128(n)) if *n < 256 => Some(*n as u8),
				_ => None,
			})
			.collect()
	}
	match &value.value {
		ValueDef::Composite(Composite::Named(fields)) => {
			Value::Object(fields.iter().map(|(k, v)| (k.clone(), readable(v))).collect())
		},
		ValueDef::Composite(Composite::Unnamed(items)) => {
			if items.len() >= 16 {
				if let Some(b) = bytes(items) {
					return Value::String(hex0x(&b));
				}
			}
			match items.as_slice() {
				[one] => readable(one),
				_ => Value::Array(items.iter().map(readable).collect()),
			}
		},
		ValueDef::Variant(v) => {
			let inner = readable(&subxt::ext::scale_value::Value {
				value: ValueDef::Composite(v.values.clone()),
				context: (),
			});
			if inner == Value::Array(vec![]) || inner.is_null() {
				Value::String(v.name.clone())
			} else {
				json!({ &v.name: inner })
			}
		},
		ValueDef::Primitive(Primitive::Bool(b)) => Value::Bool(*b),
		ValueDef::Primitive(Primitive::U128(n)) => json!(*n as u64),
		ValueDef::Primitive(Primitive::I128(n)) => json!(*n as i64),
		ValueDef::Primitive(Primitive::String(s)) => Value::String(s.clone()),
		other => Value::String(format!("{other:?}")),
	}
}
