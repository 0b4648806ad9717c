//! Reading JSON input the same way everywhere: a UTF-8 byte-order mark at
//! the start is skipped (Notepad and Excel write one), and a key given twice
//! in one object is refused with its position instead of the last one
//! silently winning.
//!
//! Every JSON file a user hands the tool — questionnaire, norms, profile,
//! partial norms, results and their provenance — goes through [`from_str`].
//! Owns parsing only; the words of its errors are in `error/json.rs`.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// The start of serde_json's message for a key given twice, which
/// `error/json.rs` puts in plain words.
pub(crate) const DUPLICATE_KEY: &str = "duplicate key ";

/// Parses `text` as a `T`, after skipping a byte-order mark and checking
/// that no object names a key twice.
///
/// # Errors
/// serde_json's error, with line and column: syntax, shape, or
/// `duplicate key "a"` at the second `"a"`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The shape first, so a file with several faults names the one serde
    // finds first, in the words of the format; then the repeated keys.
    let value = serde_json::from_str(text)?;
    serde_json::from_str::<UniqueKeys>(text)?;
    Ok(value)
}

/// Any JSON value in which no object has the same key twice.
///
/// serde's derived structs refuse a repeated field themselves, but maps
/// (`"scales": {"a": …, "a": …}`) keep the last value; walking the
/// document once first catches both, at the second key.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E: de::Error>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("{DUPLICATE_KEY}{key:?}")));
            }
            map.next_value::<UniqueKeys>()?;
        }
        Ok(UniqueKeys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let map: BTreeMap<String, u8> = from_str("\u{feff}{\"a\": 1}").unwrap();
        assert_eq!(map["a"], 1);
    }

    #[test]
    fn a_repeated_key_in_a_nested_map_is_refused_where_it_is() {
        let text = "{\"scales\": {\n  \"a\": 1,\n  \"a\": 2\n}}";
        let err = from_str::<serde_json::Value>(text).unwrap_err();
        assert!(err.to_string().starts_with("duplicate key \"a\""), "{err}");
        assert_eq!((err.line(), err.column()), (3, 5)); // the closing quote of the second "a"
    }

    #[test]
    fn the_same_key_in_sibling_objects_is_fine() {
        let text = r#"[{"a": 1}, {"a": 2, "b": {"a": 3}}]"#;
        assert!(from_str::<serde_json::Value>(text).is_ok());
    }
}
