//! Runs one encoding fixture from `fixtures/core/`: the function maps `input` to `output`
//! exactly, and the round trip through its inverse gives `input` back.

use console_core::encoding::{decode, encode_uri_component};
use serde_json::Value;

pub(crate) async fn run(name: &str, json: &str) {
    let fixture: Value = serde_json::from_str(json).expect("fixture is JSON");
    let field = |k: &str| {
        fixture[k]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: `{k}` must be a string"))
            .to_owned()
    };
    let (input, output) = (field("input"), field("output"));
    match field("function").as_str() {
        "encode_uri_component" => {
            assert_eq!(encode_uri_component(&input), output, "{name}: encode");
            assert_eq!(decode(&output).unwrap(), input, "{name}: round trip");
        }
        "decode" => {
            assert_eq!(decode(&input).unwrap(), output, "{name}: decode");
            // Decoding is only undone by encoding where the input was encoded to begin with.
            if input != output {
                assert_eq!(encode_uri_component(&output), input, "{name}: round trip");
            }
        }
        other => panic!("{name}: unknown function {other:?}"),
    }
}
