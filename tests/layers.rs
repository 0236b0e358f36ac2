//! The core's floors (ARCHITECTURE.md, "Floors"): a module imports only from
//! its own floor or lower ones, the imports have no cycle, and every module
//! of `src/` is on a floor. Imports are read with syn from every `crate::…`
//! and `super::…` path outside `#[cfg(test)]` items.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The table of ARCHITECTURE.md: module → floor.
fn floors() -> BTreeMap<String, u32> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let start = text
        .find("<!-- floors")
        .expect("the floors table in ARCHITECTURE.md");
    let end = text.find("<!-- /floors -->").unwrap();
    let mut out = BTreeMap::new();
    for line in text[start..end].lines() {
        let Some(rest) = line.strip_prefix("floor ") else {
            continue;
        };
        let (head, modules) = rest.split_once(':').unwrap();
        let n: u32 = head.split_whitespace().next().unwrap().parse().unwrap();
        for m in modules.split_whitespace() {
            assert!(
                out.insert(m.to_string(), n).is_none(),
                "{m} is on two floors"
            );
        }
    }
    out
}

/// Every module of `src/` ("a", "a/b") with its file.
fn modules() -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(base).unwrap().with_extension("");
                let mut name = rel.to_string_lossy().replace('\\', "/");
                if let Some(parent) = name.strip_suffix("/mod") {
                    name = parent.to_string();
                }
                if name != "lib" {
                    out.insert(name, p);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root().join("src"), &root().join("src"), &mut out);
    out
}

/// The paths a file names, as segments after `crate`/`super` resolved
/// against the module's own path.
struct Paths {
    module: Vec<String>,
    found: Vec<Vec<String>>,
}

impl Paths {
    fn absolute(&self, segs: &[String]) -> Option<Vec<String>> {
        let first = segs.first()?;
        if first == "crate" {
            return Some(segs[1..].to_vec());
        }
        if first == "super" {
            let mut base = self.module.clone();
            let mut rest = segs;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            return Some(base);
        }
        None
    }

    fn tree(&mut self, prefix: &mut Vec<String>, t: &syn::UseTree) {
        match t {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut v = prefix.clone();
                v.push(n.ident.to_string());
                if let Some(a) = self.absolute(&v) {
                    self.found.push(a);
                }
            }
            syn::UseTree::Rename(r) => {
                let mut v = prefix.clone();
                v.push(r.ident.to_string());
                if let Some(a) = self.absolute(&v) {
                    self.found.push(a);
                }
            }
            syn::UseTree::Glob(_) => {
                if let Some(a) = self.absolute(prefix) {
                    self.found.push(a);
                }
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(prefix, t);
                }
            }
        }
    }
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        let attrs = match i {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(x) => &x.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => return syn::visit::visit_item(self, i),
        };
        if !is_test(attrs) {
            syn::visit::visit_item(self, i);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(a) = self.absolute(&segs) {
            self.found.push(a);
        }
        syn::visit::visit_path(self, p);
    }
}

/// The modules each module imports (the longest module prefix of each path).
fn imports(modules: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, file) in modules {
        let ast = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        let module: Vec<String> = name.split('/').map(String::from).collect();
        // `super::` is the parent of the module: of a/b (a/b.rs, or a/b/mod.rs), a.
        let mut p = Paths {
            module,
            found: Vec::new(),
        };
        p.visit_file(&ast);
        let mut deps = BTreeSet::new();
        for path in p.found {
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("/"))
                .find(|m| modules.contains_key(m));
            if let Some(t) = target
                && &t != name
                // A submodule may use its parent.
                && !name.starts_with(&format!("{t}/"))
            {
                deps.insert(t);
            }
        }
        out.insert(name.clone(), deps);
    }
    out
}

#[test]
fn every_module_is_on_a_floor_and_imports_only_from_its_floor_or_below() {
    let floors = floors();
    let modules = modules();
    let missing: Vec<_> = modules
        .keys()
        .filter(|m| !floors.contains_key(*m))
        .collect();
    assert!(
        missing.is_empty(),
        "put these modules on a floor in ARCHITECTURE.md: {missing:?}"
    );
    let gone: Vec<_> = floors
        .keys()
        .filter(|m| !modules.contains_key(*m))
        .collect();
    assert!(
        gone.is_empty(),
        "ARCHITECTURE.md names modules that do not exist: {gone:?}"
    );
    let deps = imports(&modules);
    let mut up = Vec::new();
    for (m, ds) in &deps {
        for d in ds {
            if floors[d] > floors[m] {
                up.push(format!(
                    "{m} (floor {}) imports {d} (floor {})",
                    floors[m], floors[d]
                ));
            }
        }
    }
    assert!(
        up.is_empty(),
        "imports from a higher floor:\n{}",
        up.join("\n")
    );
    // Enough imports were seen for the check to mean something.
    assert!(
        deps["cases"].contains("db") && deps["db"].contains("evidence/store"),
        "{deps:?}"
    );
    assert!(
        deps["import/formats"].contains("import/mapping")
            && deps["import/formats"].contains("import/values"),
        "super:: paths are read: {:?}",
        deps["import/formats"]
    );
}

#[test]
fn the_imports_have_no_cycle() {
    let deps = imports(&modules());
    // Depth-first search for a back edge.
    fn visit<'a>(
        m: &'a str,
        deps: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let i = stack.iter().position(|s| *s == m).unwrap();
                let mut cycle: Vec<String> = stack[i..].iter().map(|s| s.to_string()).collect();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(m, 1);
        stack.push(m);
        for d in &deps[m] {
            if let Some(c) = visit(d, deps, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(m, 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in deps.keys() {
        if let Some(c) = visit(m, &deps, &mut state, &mut Vec::new()) {
            panic!("an import cycle: {}", c.join(" → "));
        }
    }
}

/// The check can fail: a made-up lower module importing a higher one is
/// caught (so a test that passes means something).
#[test]
fn an_import_from_a_higher_floor_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("time.rs");
    std::fs::write(
        &file,
        "use crate::db::Journal;\nfn f() { crate::protect::unlock(); }\n",
    )
    .unwrap();
    let mut modules = modules();
    modules.insert("time".into(), file);
    let deps = imports(&modules);
    assert!(
        deps["time"].contains("db") && deps["time"].contains("protect"),
        "{:?}",
        deps["time"]
    );
    let floors = floors();
    assert!(floors["protect"] > floors["time"]);
}
