//! serde_json's error messages in the words of the file formats: a user
//! editing a questionnaire sees "expected a whole number", not "expected
//! i32", and the position once, not twice.
//!
//! serde's messages are stable text (`invalid type: …, expected …`,
//! `missing field …`, the parser's syntax messages); a message this does not
//! recognise is passed on as it is, so nothing is ever lost.

/// One JSON error in plain words: what the file holds and, when known, what belongs there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plain {
    /// What was found, e.g. `the text "7"`.
    pub found: String,
    /// What belongs there, e.g. `a whole number`.
    pub expected: Option<String>,
}

/// The error's message in plain words, without the position serde appends.
pub(crate) fn plain(err: &serde_json::Error) -> Plain {
    let message = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    plain_message(message.strip_suffix(&suffix).unwrap_or(&message))
}

fn plain_message(message: &str) -> Plain {
    let found_expected = |found: String, expected: &str| Plain {
        found,
        expected: Some(expected.to_string()),
    };
    if let Some(field) = message.strip_prefix("missing field ") {
        // serde reports it where the object ends.
        return found_expected(
            format!("no field {field} in the object that ends here"),
            &format!("the required field {field}"),
        );
    }
    let repeated = message
        .strip_prefix(crate::json::DUPLICATE_KEY)
        .or_else(|| message.strip_prefix("duplicate field "));
    if let Some(key) = repeated {
        return found_expected(
            format!("the key {key} a second time in one object"),
            "each key once per object (the first value would be silently replaced)",
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((value, expected)) = rest.split_once(", expected ") {
            return found_expected(format!("unknown value {value}"), expected);
        }
    }
    if let Some((found, expected)) = message.split_once(", expected ") {
        return found_expected(plain_value(found), &plain_type(expected));
    }
    syntax(message)
}

/// `invalid type: string "7"` → `the text "7"`; `integer `-5`` → `-5`.
fn plain_value(found: &str) -> String {
    let value = found
        .strip_prefix("invalid type: ")
        .or_else(|| found.strip_prefix("invalid value: "))
        .unwrap_or(found);
    let quoted = |s: &str| {
        s.strip_prefix('`')
            .and_then(|s| s.strip_suffix('`'))
            .map(str::to_string)
    };
    if let Some(text) = value.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for kind in ["integer ", "floating point ", "boolean "] {
        if let Some(number) = value.strip_prefix(kind).and_then(quoted) {
            return number;
        }
    }
    match value {
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        "unit value" => "null".into(),
        other => other.into(),
    }
}

/// Rust's type names as the formats call them.
fn plain_type(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a non-negative whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a sequence" => "a list".into(),
        "a map" => "an object".into(),
        "a boolean" => "true or false".into(),
        other if other.starts_with("struct ") => "an object".into(),
        other => other.into(),
    }
}

/// The parser's messages.
fn syntax(message: &str) -> Plain {
    let (found, expected) = match message {
        "EOF while parsing a value" => ("the end of the file", "a value"),
        "EOF while parsing an object" => ("the end of the file inside an object", "a closing `}`"),
        "EOF while parsing a list" => ("the end of the file inside a list", "a closing `]`"),
        "EOF while parsing a string" => ("the end of the file inside a text", "a closing `\"`"),
        "expected value" => (
            "a character that cannot start a value",
            "a value: an object, a list, a \"text\", a number, true, false or null",
        ),
        "key must be a string" => (
            "a key that is not a \"quoted\" text",
            "keys in double quotes",
        ),
        "trailing comma" => (
            "a comma before a closing bracket",
            "no comma after the last element",
        ),
        "trailing characters" => (
            "more text after the end of the value",
            "the file to end after its closing bracket",
        ),
        "recursion limit exceeded" => (
            "brackets nested more than 128 deep",
            "at most 128 levels of nesting",
        ),
        "invalid number" => ("a malformed number", "a number such as 3, -1 or 0.75"),
        "number out of range" => (
            "a number out of range",
            "a number between about -1.8e308 and 1.8e308",
        ),
        other => {
            if let Some(wanted) = other.strip_prefix("expected ") {
                return Plain {
                    found: "another character".into(),
                    expected: Some(wanted.into()),
                };
            }
            if other.starts_with("control character") {
                (
                    "a control character (such as a line break) inside a text",
                    "`\\n` for a line break inside a text",
                )
            } else {
                return Plain {
                    found: other.into(),
                    expected: None,
                };
            }
        }
    };
    Plain {
        found: found.into(),
        expected: Some(expected.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shape {
        min: i32,
        #[serde(default)]
        n: Option<u64>,
        #[serde(default)]
        max_missing: usize,
        #[serde(default)]
        weight: f64,
        #[serde(default)]
        labels: Vec<String>,
    }

    fn of(text: &str) -> (String, Option<String>) {
        let err = serde_json::from_str::<Shape>(text).unwrap_err();
        let p = plain(&err);
        (p.found, p.expected)
    }

    fn pair(found: &str, expected: &str) -> (String, Option<String>) {
        (found.to_string(), Some(expected.to_string()))
    }

    #[test]
    fn type_errors_name_the_formats_types() {
        assert_eq!(
            of(r#"{"min":"7"}"#),
            pair(r#"the text "7""#, "a whole number")
        );
        assert_eq!(of(r#"{"min":1.5}"#), pair("1.5", "a whole number"));
        assert_eq!(
            of(r#"{"min":1,"weight":1e400}"#),
            pair(
                "a number out of range",
                "a number between about -1.8e308 and 1.8e308"
            )
        );
        assert_eq!(
            of(r#"{"min":1,"n":-5}"#),
            pair("-5", "a non-negative whole number")
        );
        assert_eq!(
            of(r#"{"min":1,"max_missing":-1}"#),
            pair("-1", "a non-negative whole number")
        );
        assert_eq!(
            of(r#"{"min":1,"weight":"2"}"#),
            pair(r#"the text "2""#, "a number")
        );
        assert_eq!(of(r#"{"min":1,"labels":{}}"#), pair("an object", "a list"));
        assert_eq!(of(r#"[[1]]"#), pair("a list", "a whole number"));
        assert_eq!(of(r#"{"min":1,"colour":1}"#).0, "unknown field `colour`");
        assert_eq!(
            of(r#"{"n":1}"#),
            pair(
                "no field `min` in the object that ends here",
                "the required field `min`"
            )
        );
    }

    #[test]
    fn syntax_errors_in_plain_words_without_the_position() {
        assert_eq!(of(""), pair("the end of the file", "a value"));
        assert_eq!(
            of("x"),
            pair(
                "a character that cannot start a value",
                "a value: an object, a list, a \"text\", a number, true, false or null"
            )
        );
        assert_eq!(
            of(r#"{"min":1,,}"#),
            pair(
                "a key that is not a \"quoted\" text",
                "keys in double quotes"
            )
        );
        assert_eq!(
            of(r#"{"min":1,}"#),
            pair(
                "a comma before a closing bracket",
                "no comma after the last element"
            )
        );
        assert_eq!(of(r#"{"min" 1}"#), pair("another character", "`:`"));
        assert_eq!(
            of(r#"{"min":1"#),
            pair("the end of the file inside an object", "a closing `}`")
        );
        let deep = format!("{{\"labels\":{}", "[".repeat(200));
        assert_eq!(of(&deep), pair("a list", "a string"));
        let err = serde_json::from_str::<serde_json::Value>(&"[".repeat(200)).unwrap_err();
        assert_eq!(
            plain(&err),
            Plain {
                found: "brackets nested more than 128 deep".into(),
                expected: Some("at most 128 levels of nesting".into())
            }
        );
    }
}
