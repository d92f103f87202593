//! The runtime API locators, apps, the matcher and the client read the registry through.

use crate::{CurrentSealingKey, MatcherId, MatcherInfo};
use epichain_primitives::traits::MatcherSigningKey;

sp_api::decl_runtime_apis! {
	/// Reading the matcher registry.
	pub trait MatchersApi {
		/// The sealing key to seal CSI to now: the serving matcher's current key, or `None`
		/// when no matcher serves (a batch sealed now would be refused).
		fn current_sealing_key() -> Option<CurrentSealingKey>;
		/// Matcher `id`'s record.
		fn matcher(id: MatcherId) -> Option<MatcherInfo>;
		/// The matcher registered with `signing_key`, revoked or not.
		fn matcher_of(signing_key: MatcherSigningKey) -> Option<MatcherId>;
	}
}
