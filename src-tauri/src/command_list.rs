//! One list of commands: the handlers the shell registers (`lib.rs`), the commands declared
//! to Tauri's capability system (`build.rs`), the ones the windows are allowed to call
//! (`capabilities/default.json`) and the ones the UI calls (`ui/src/api/client.ts`) are the
//! same set. A command added to one and forgotten in another fails here, not in the field
//! (as "command not allowed" or a button that does nothing).

use std::collections::BTreeSet;

const LIB: &str = include_str!("lib.rs");
const BUILD: &str = include_str!("../build.rs");
const CAPABILITY: &str = include_str!("../capabilities/default.json");
const CLIENT: &str = include_str!("../../ui/src/api/client.ts");

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("{start:?} not found"));
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &text[from..from + len]
}

/// The words inside each pair of `quote` in `text`: every second piece of the split, from
/// the second (the first lies before any quote).
fn quoted(text: &str, quote: char) -> impl Iterator<Item = &str> {
    text.split(quote).skip(1).step_by(2)
}

fn registered(lib: &str) -> BTreeSet<String> {
    between(lib, "tauri::generate_handler![", "])")
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

fn declared(build: &str) -> BTreeSet<String> {
    quoted(between(build, "const COMMANDS: &[&str] = &[", "];"), '"')
        .map(str::to_owned)
        .collect()
}

fn allowed(capability: &str) -> BTreeSet<String> {
    quoted(capability, '"')
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

fn called(client: &str) -> BTreeSet<String> {
    // Each piece after a `call<` begins with one call (the first piece precedes them all).
    client
        .split("call<")
        .skip(1)
        .filter_map(|rest| quoted(rest, '\'').next())
        .map(str::to_owned)
        .collect()
}

/// Where the four lists disagree with the handlers `lib` registers.
fn disagreements(lib: &str, build: &str, capability: &str, client: &str) -> Vec<String> {
    let registered = registered(lib);
    let mut found = Vec::new();
    for (what, set) in [
        ("build.rs COMMANDS", declared(build)),
        ("capabilities/default.json", allowed(capability)),
        ("ui/src/api/client.ts", called(client)),
    ] {
        let missing: Vec<_> = registered.difference(&set).collect();
        let extra: Vec<_> = set.difference(&registered).collect();
        if !missing.is_empty() || !extra.is_empty() {
            found.push(format!(
                "{what}: missing {missing:?}, not registered in lib.rs {extra:?}"
            ));
        }
    }
    found
}

#[test]
fn the_shell_the_capability_and_the_ui_list_the_same_commands() {
    assert!(registered(LIB).len() > 50, "{:?}", registered(LIB));
    assert_eq!(
        disagreements(LIB, BUILD, CAPABILITY, CLIENT),
        Vec::<String>::new()
    );
}

#[test]
fn a_command_forgotten_in_any_list_is_named() {
    let without = |text: &str, what: &str| text.replacen(what, "", 1);
    let cases = [
        disagreements(
            &without(LIB, "commands::session::sign_out,"),
            BUILD,
            CAPABILITY,
            CLIENT,
        ),
        disagreements(LIB, &without(BUILD, "\"sign_out\","), CAPABILITY, CLIENT),
        disagreements(
            LIB,
            BUILD,
            &without(CAPABILITY, "\"allow-sign-out\","),
            CLIENT,
        ),
        disagreements(
            LIB,
            BUILD,
            CAPABILITY,
            &without(CLIENT, "call<void>('sign_out')"),
        ),
    ];
    for found in cases {
        assert!(
            !found.is_empty() && found.iter().all(|f| f.contains("sign_out")),
            "{found:?}"
        );
    }
}
