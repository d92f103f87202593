//! From what locators observe to what the chain records: fixes become stays. The rule has one
//! home, [`epichain_primitives::stays`], which the citizen's app also runs (compiled to
//! WebAssembly); the client uses it from there.

pub use epichain_primitives::stays::{merge, settle, Fix, MergeRules, OwnedStay};
