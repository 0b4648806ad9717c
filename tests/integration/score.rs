//! `servicefit score` end to end.

use crate::support::Workdir;

#[test]
fn roles_lists_builtin_profiles() {
    let out = Workdir::new().command(&["roles"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for id in [
        "general",
        "retail",
        "hospitality",
        "healthcare",
        "financial-services",
        "travel",
        "contact-centre",
    ] {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
}
