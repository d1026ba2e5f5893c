//! Network profiles: the devnet's network settings as data.
//!
//! A profile (`devnet/profiles/<name>.json`, compiled in) lists every setting
//! with its value, the source it comes from and what it means, plus the cost
//! model parameters. `testnet` extends `pubnet` with the values that differ.
//! A settings file (`--settings FILE`, a flat JSON object of `name: value`)
//! overrides any value; its entries are attributed to that file. The README's
//! settings table is rendered from the pubnet profile by `markdown_table` (a
//! test checks it is current).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// The profiles compiled into the binary: (name, JSON).
pub const BUILTIN: &[(&str, &str)] = &[
    ("pubnet", include_str!("../../profiles/pubnet.json")),
    ("testnet", include_str!("../../profiles/testnet.json")),
];

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "pubnet";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    profile: String,
    #[serde(default)]
    extends: Option<String>,
    about: String,
    #[serde(default)]
    sources: BTreeMap<String, String>,
    #[serde(default)]
    settings: BTreeMap<String, EntryFile>,
    #[serde(default)]
    cost_params: Option<CostParamsFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    value: Value,
    source: String,
    #[serde(default)]
    about: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct CostParamsFile {
    source: String,
    #[serde(default)]
    about: Option<String>,
    cpu: Vec<(i64, i64)>,
    mem: Vec<(i64, i64)>,
}

/// One setting: its value, where the value comes from, and what it means.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub value: Value,
    /// A human-readable source (a key of the profile's `sources` is expanded).
    pub source: String,
    pub about: String,
}

/// A resolved profile: every setting with its source, and the cost model.
#[derive(Clone, Debug)]
pub struct Profile {
    pub name: String,
    pub about: String,
    pub entries: BTreeMap<String, Entry>,
    pub cost_source: String,
    pub cost_about: String,
    pub cpu_cost_params: Vec<(i64, i64)>,
    pub mem_cost_params: Vec<(i64, i64)>,
}

fn parse(name: &str) -> Result<ProfileFile, String> {
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        format!(
            "unknown profile {name:?}: expected one of {}",
            names.join(", ")
        )
    })?;
    serde_json::from_str(text).map_err(|e| format!("profile {name}: {e}"))
}

impl Profile {
    /// A built-in profile by name (`pubnet`, `testnet`).
    pub fn builtin(name: &str) -> Result<Profile, String> {
        let file = parse(name)?;
        let mut profile = match &file.extends {
            Some(base) => Profile::builtin(base)?,
            None => Profile {
                name: String::new(),
                about: String::new(),
                entries: BTreeMap::new(),
                cost_source: String::new(),
                cost_about: String::new(),
                cpu_cost_params: Vec::new(),
                mem_cost_params: Vec::new(),
            },
        };
        profile.name = file.profile.clone();
        profile.about = file.about.clone();
        let expand = |s: &str| {
            file.sources
                .get(s)
                .cloned()
                .unwrap_or_else(|| s.to_string())
        };
        for (key, e) in &file.settings {
            let about = match (&e.about, profile.entries.get(key)) {
                (Some(a), _) => a.clone(),
                (None, Some(base)) => base.about.clone(),
                (None, None) => return Err(format!("profile {name}: {key} has no `about`")),
            };
            profile.entries.insert(
                key.clone(),
                Entry {
                    value: e.value.clone(),
                    source: expand(&e.source),
                    about,
                },
            );
        }
        if let Some(c) = &file.cost_params {
            profile.cost_source = expand(&c.source);
            profile.cost_about = c.about.clone().unwrap_or_default();
            profile.cpu_cost_params = c.cpu.clone();
            profile.mem_cost_params = c.mem.clone();
        }
        Ok(profile)
    }

    /// Applies a settings file: a flat JSON object `{"name": value, ...}`;
    /// `cpu_cost_params` / `mem_cost_params` take `[[const, linear], ...]`.
    /// Unknown names are an error naming them.
    pub fn with_overrides(mut self, path: &Path) -> Result<Profile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read settings file {}: {e}", path.display()))?;
        let map: BTreeMap<String, Value> = serde_json::from_str(&text).map_err(|e| {
            format!(
                "settings file {}: expected a JSON object of setting names and values: {e}",
                path.display()
            )
        })?;
        let source = format!("settings file `{}`", path.display());
        for (key, value) in map {
            let pairs = |v: Value| -> Result<Vec<(i64, i64)>, String> {
                serde_json::from_value(v).map_err(|e| {
                    format!(
                        "settings file {}: {key}: expected [[const, linear], ...]: {e}",
                        path.display()
                    )
                })
            };
            match key.as_str() {
                "cpu_cost_params" => {
                    self.cpu_cost_params = pairs(value)?;
                    self.cost_source = source.clone();
                }
                "mem_cost_params" => {
                    self.mem_cost_params = pairs(value)?;
                    self.cost_source = source.clone();
                }
                _ => {
                    let known = self.entries.keys().cloned().collect::<Vec<_>>().join(", ");
                    let Some(e) = self.entries.get_mut(&key) else {
                        return Err(format!(
                            "settings file {}: unknown setting {key:?} (known: {known})",
                            path.display()
                        ));
                    };
                    e.value = value;
                    e.source = source.clone();
                }
            }
        }
        Ok(self)
    }

    /// The settings as one JSON object of values (what `Settings` deserializes).
    pub fn values(&self) -> Value {
        let mut m: serde_json::Map<String, Value> = self
            .entries
            .iter()
            .map(|(k, e)| (k.clone(), e.value.clone()))
            .collect();
        m.insert("profile".into(), Value::String(self.name.clone()));
        m.insert(
            "cpu_cost_params".into(),
            serde_json::to_value(&self.cpu_cost_params).unwrap_or_default(),
        );
        m.insert(
            "mem_cost_params".into(),
            serde_json::to_value(&self.mem_cost_params).unwrap_or_default(),
        );
        Value::Object(m)
    }

    /// The Markdown table of every setting, its value and its source.
    pub fn markdown_table(&self) -> String {
        let mut out = format!(
            "Profile `{}`: {}.\n\n| setting | value | meaning | source |\n| --- | ---: | --- | --- |\n",
            self.name, self.about
        );
        let mut sources: Vec<String> = Vec::new();
        let mut cite = |s: &str| -> usize {
            match sources.iter().position(|x| x == s) {
                Some(i) => i + 1,
                None => {
                    sources.push(s.to_string());
                    sources.len()
                }
            }
        };
        for (k, e) in &self.entries {
            let n = cite(&e.source);
            out.push_str(&format!(
                "| `{k}` | {} | {} | [{n}] |\n",
                group_digits(&e.value),
                e.about
            ));
        }
        let n = cite(&self.cost_source);
        out.push_str(&format!(
            "| cost model | {} CPU / {} memory parameters | {} | [{n}] |\n\nSources:\n\n",
            self.cpu_cost_params.len(),
            self.mem_cost_params.len(),
            self.cost_about
        ));
        for (i, s) in sources.iter().enumerate() {
            out.push_str(&format!("{}. {s}\n", i + 1));
        }
        out
    }
}

/// `1234567` -> `1,234,567` (other JSON values as they are).
fn group_digits(v: &Value) -> String {
    let Some(n) = v.as_i64() else {
        return v.to_string();
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}
