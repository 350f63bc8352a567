//! Arbitrary bytes as a TOML and as a JSON scenario for the NL withdrawal rulebook.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(text) = verdict_fuzz::utf8(data) {
        verdict_fuzz::scenario(text);
    }
});
