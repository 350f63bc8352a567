//! Structured: the bytes choose a shipped rulebook (any version) and draw a
//! scenario from its fact schema, written as JSON or TOML text, then read,
//! evaluated with a trace (options set now and then) and asked "why not?".
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    verdict_fuzz::evaluate_structured(data);
});
