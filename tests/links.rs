//! Every link in the repository's Markdown stays inside the repository and resolves: a relative
//! link names a file (or folder) of the repository and, with `#anchor`, a heading of that file;
//! no link is an absolute path. No file refers to a path outside the repository (the team's
//! shared folder next to it, this machine's work folder), and every `docs/<page>.md` a file
//! mentions exists. Web links (`https:`,
//! `mailto:`) are not followed.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's files, relative to its root: tracked and not ignored ones (so that a file
/// about to be committed is checked too); without git, a walk that skips build output.
fn files() -> Vec<PathBuf> {
    let output = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output();
    if let Some(output) = output.ok().filter(|o| o.status.success()) {
        return output
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
            .filter(|path| root().join(path).is_file())
            .collect();
    }
    let mut out = Vec::new();
    walk(&root(), Path::new(""), &mut out);
    out
}

fn walk(dir: &Path, relative: &Path, out: &mut Vec<PathBuf>) {
    const SKIP: [&str; 7] = [
        ".git",
        "target",
        "node_modules",
        "dist",
        ".build",
        "lib",
        "corpus",
    ];
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name();
        let path = relative.join(&name);
        if entry.path().is_dir() {
            if !SKIP.contains(&name.to_string_lossy().as_ref()) {
                walk(&entry.path(), &path, out);
            }
        } else {
            out.push(path);
        }
    }
}

/// Lines outside fenced code blocks, with inline code spans blanked when `blank_code`.
fn prose_lines(text: &str, blank_code: bool) -> Vec<(usize, String)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut prose = String::with_capacity(line.len());
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            }
            prose.push(if blank_code && in_code && c != '`' {
                ' '
            } else {
                c
            });
        }
        out.push((number + 1, prose));
    }
    out
}

/// The targets of `[text](target)`, `![alt](target)` and `[label]: target`.
fn link_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let end = after.find([')', ' ']).unwrap_or(after.len());
        targets.push(after[..end].trim_matches(['<', '>']).to_owned());
        rest = &after[end..];
    }
    let trimmed = line.trim_start();
    if let Some(definition) = trimmed
        .strip_prefix('[')
        .and_then(|t| t.split_once("]:"))
        .map(|(_, target)| target.trim())
    {
        if let Some(target) = definition.split_whitespace().next() {
            targets.push(target.to_owned());
        }
    }
    targets
}

/// GitHub's anchor for a heading: the text lower-cased, links reduced to their text, punctuation
/// other than `-` and `_` dropped, spaces made hyphens.
fn slug(heading: &str) -> String {
    let mut text = String::new();
    let mut rest = heading;
    while let Some(start) = rest.find("](") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        rest = &after[after.find(')').map_or(after.len(), |i| i + 1)..];
    }
    text.push_str(rest);
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor of a Markdown file, duplicates numbered as GitHub numbers them.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(text, false) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let base = slug(heading.trim().trim_end_matches('#').trim());
        let count = seen.entry(base.clone()).or_default();
        out.insert(if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        });
        *count += 1;
    }
    out
}

/// `from`'s folder joined with `target`, normalised; `None` when it climbs out of the repository.
fn resolve(from: &Path, target: &str) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    for component in from
        .parent()
        .unwrap_or(Path::new(""))
        .join(target)
        .components()
    {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !path.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

#[test]
fn markdown_links_stay_inside_the_repository_and_resolve() {
    let files = files();
    let set: BTreeSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    let is_folder = |path: &Path| {
        set.iter()
            .any(|file| file.starts_with(path) && *file != path)
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
    {
        let text = fs::read_to_string(root().join(file)).unwrap();
        for (number, line) in prose_lines(&text, true) {
            for target in link_targets(&line) {
                let at = format!("{}:{number}: {target}", file.display());
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (path, anchor) = match target.split_once('#') {
                    Some((path, anchor)) => (path, Some(anchor)),
                    None => (target.as_str(), None),
                };
                if path.starts_with('/') || path.starts_with('~') {
                    problems.push(format!("{at}: an absolute path"));
                    continue;
                }
                let resolved = if path.is_empty() {
                    Some(file.clone())
                } else {
                    resolve(file, path)
                };
                let Some(resolved) = resolved else {
                    problems.push(format!("{at}: leads out of the repository"));
                    continue;
                };
                if !set.contains(resolved.as_path()) && !is_folder(&resolved) {
                    problems.push(format!("{at}: no such file in the repository"));
                    continue;
                }
                if let Some(anchor) =
                    anchor.filter(|_| resolved.extension().is_some_and(|e| e == "md"))
                {
                    let target_text = fs::read_to_string(root().join(&resolved)).unwrap();
                    if !anchors(&target_text).contains(anchor) {
                        problems.push(format!(
                            "{at}: no heading #{anchor} in {}",
                            resolved.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: is the extraction broken?"
    );
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_file_points_outside_the_repository() {
    let mut problems = Vec::new();
    for file in files() {
        let Ok(text) = fs::read_to_string(root().join(&file)) else {
            continue; // not text
        };
        for (number, line) in text.lines().enumerate() {
            // Spelt in two pieces so that this file does not match itself.
            for needle in [concat!("../", "shared/"), concat!("/wo", "rk/")] {
                if line.contains(needle) {
                    problems.push(format!("{}:{}: {needle}", file.display(), number + 1));
                }
            }
            // Mentions of the docs, in code comments too, must name a page that exists.
            let mut rest = line;
            while let Some(start) = rest.find("docs/") {
                let name: String = rest[start + 5..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                let name = name.trim_end_matches('.');
                if name.ends_with(".md") && !root().join("docs").join(name).is_file() {
                    problems.push(format!(
                        "{}:{}: docs/{name} does not exist",
                        file.display(),
                        number + 1
                    ));
                }
                rest = &rest[start + 5..];
            }
        }
    }
    assert!(
        problems.is_empty(),
        "paths outside the repository:\n{}",
        problems.join("\n")
    );
}

#[test]
fn slugs_follow_github() {
    assert_eq!(
        slug("3. The address section (2.1 and 2.3)"),
        "3-the-address-section-21-and-23"
    );
    assert_eq!(
        slug("Adding a field or an operation"),
        "adding-a-field-or-an-operation"
    );
    assert_eq!(slug("`paging` — the [rule](x.md)"), "paging--the-rule");
    assert_eq!(
        anchors("# A\n## A\n```\n# not a heading\n```\n### B `c`"),
        ["a", "a-1", "b-c"].map(str::to_owned).into()
    );
}
