//! Paths into a product: `power.input_voltage`, `radio[*].bands[*]`, `connector[function=trailer]`.
//!
//! `[*]` visits every item of an array; on a single table it visits that table, so
//! `ammunition[*].caliber` reads both `[ammunition]` and `[[ammunition]]`. `[key=a|b]` keeps
//! the items whose `key` is one of the listed values (case-insensitive).

use std::fmt;

use crate::input::{Node, Span, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    segments: Vec<Segment>,
    text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    Key(String),
    Each,
    /// `[2]`: one item of an array (0-based), as reports write concrete paths.
    Index(usize),
    Filter {
        key: String,
        values: Vec<String>,
    },
}

/// A node a path reached, with the concrete path to it (`radio[0].bands[1]`).
#[derive(Clone, Debug)]
pub struct Match<'a> {
    pub node: &'a Node,
    pub path: String,
    /// The key that led to the node, when the last step was a key: a missing child is
    /// reported there (`[power]`), not across the whole table.
    pub key_span: Option<Span>,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut segments = Vec::new();
        for part in text.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !is_key(key) {
                return Err(format!(
                    "`{part}` is not a key (letters, digits, `_` and `-`)"
                ));
            }
            segments.push(Segment::Key(key.to_owned()));
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else {
                    return Err(format!("`{part}` has an unclosed `[`"));
                };
                let selector = &inner[..close];
                rest = &inner[close + 1..];
                if selector == "*" {
                    segments.push(Segment::Each);
                } else if let Ok(index) = selector.parse::<usize>() {
                    segments.push(Segment::Index(index));
                } else if let Some((key, values)) = selector.split_once('=') {
                    let values: Vec<String> =
                        values.split('|').map(|v| v.trim().to_owned()).collect();
                    if !is_key(key.trim()) || values.iter().any(String::is_empty) {
                        return Err(format!(
                            "`[{selector}]` is not a filter like `[use=tx]` or `[use=tx|txrx]`"
                        ));
                    }
                    segments.push(Segment::Filter {
                        key: key.trim().to_owned(),
                        values,
                    });
                } else {
                    return Err(format!(
                        "`[{selector}]` is neither `[*]` nor a filter like `[use=tx]`"
                    ));
                }
            }
            if !rest.is_empty() {
                return Err(format!("unexpected `{rest}` after `]`"));
            }
        }
        Ok(Path {
            segments,
            text: text.to_owned(),
        })
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Every node the path reaches, in document order, with its concrete path.
    pub fn select<'a>(&self, root: &'a Node) -> Vec<Match<'a>> {
        select(&self.segments, root)
    }

    /// Every node the path reaches, in document order, and nothing else: for conditions and
    /// look-ups, which need no concrete path written.
    pub fn nodes<'a>(&self, root: &'a Node) -> Vec<&'a Node> {
        let mut out = Vec::new();
        let mut walk = Walk {
            paths: false,
            found: &mut |node, _, _| out.push(node),
        };
        walk.run(&self.segments, root, None, &mut String::new());
        out
    }

    /// Whether any node the path reaches passes `test` (asked until one does): for
    /// conditions, which need neither the nodes kept nor a concrete path written.
    pub fn any<'a>(&self, root: &'a Node, mut test: impl FnMut(&'a Node) -> bool) -> bool {
        let mut passed = false;
        let mut walk = Walk {
            paths: false,
            found: &mut |node, _, _| passed = passed || test(node),
        };
        walk.run(&self.segments, root, None, &mut String::new());
        passed
    }

    /// The deepest node that exists on the way to this path, for placing "missing" findings
    /// on the table where the value belongs.
    pub fn deepest<'a>(&self, root: &'a Node) -> Match<'a> {
        (0..=self.segments.len())
            .rev()
            .find_map(|depth| select(&self.segments[..depth], root).into_iter().next())
            .unwrap_or(Match {
                node: root,
                path: String::new(),
                key_span: None,
            })
    }
}

fn select<'a>(segments: &[Segment], root: &'a Node) -> Vec<Match<'a>> {
    let mut out = Vec::new();
    let mut walk = Walk {
        paths: true,
        found: &mut |node, key_span: Option<&Span>, path: &str| {
            out.push(Match {
                node,
                path: path.to_owned(),
                key_span: key_span.cloned(),
            })
        },
    };
    // Room for a usual concrete path at once, not by doublings as it grows.
    walk.run(segments, root, None, &mut String::with_capacity(64));
    out
}

/// A depth-first walk along a path's segments, which visits what it reaches in document
/// order. The concrete path is one buffer, grown and cut back on the way, and copied only
/// for a node reached; `paths: false` does not write it at all.
struct Walk<'f, 'a> {
    paths: bool,
    found: &'f mut dyn FnMut(&'a Node, Option<&'a Span>, &str),
}

impl<'a> Walk<'_, 'a> {
    fn run(
        &mut self,
        segments: &[Segment],
        node: &'a Node,
        key_span: Option<&'a Span>,
        path: &mut String,
    ) {
        let Some((segment, rest)) = segments.split_first() else {
            return (self.found)(node, key_span, path);
        };
        let mark = path.len();
        match segment {
            Segment::Key(key) => {
                if let Some(entry) = node.entry(key) {
                    if self.paths {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                    }
                    self.run(rest, &entry.node, Some(&entry.key_span), path);
                }
            }
            Segment::Index(index) => {
                if let Value::Array(items) = &node.value {
                    if let Some(item) = items.get(*index) {
                        self.index(*index, path);
                        self.run(rest, item, None, path);
                    }
                }
            }
            Segment::Each => self.each(rest, node, key_span, path, |_| true),
            Segment::Filter { key, values } => self.each(rest, node, key_span, path, |node| {
                node.get(key)
                    .and_then(Node::as_str)
                    .is_some_and(|v| values.iter().any(|w| w.eq_ignore_ascii_case(v)))
            }),
        }
        path.truncate(mark);
    }

    /// `[*]` or a filter: every item of an array that `keep` keeps, or a single table itself.
    fn each(
        &mut self,
        rest: &[Segment],
        node: &'a Node,
        key_span: Option<&'a Span>,
        path: &mut String,
        keep: impl Fn(&Node) -> bool,
    ) {
        let Value::Array(items) = &node.value else {
            if keep(node) {
                self.run(rest, node, key_span, path);
            }
            return;
        };
        let mark = path.len();
        for (i, item) in items.iter().enumerate().filter(|(_, item)| keep(item)) {
            self.index(i, path);
            self.run(rest, item, None, path);
            path.truncate(mark);
        }
    }

    fn index(&self, index: usize, path: &mut String) {
        if self.paths {
            path.push('[');
            path.push_str(itoa::Buffer::new().format(index));
            path.push(']');
        }
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{parse, Format, Limits};

    fn doc(text: &str) -> Node {
        parse(text.as_bytes(), Format::Toml, &Limits::default())
            .unwrap()
            .root
    }

    fn paths(path: &str, root: &Node) -> Vec<String> {
        Path::parse(path)
            .unwrap()
            .select(root)
            .into_iter()
            .map(|m| m.path)
            .collect()
    }

    #[test]
    fn each_visits_arrays_and_single_tables() {
        let single = doc("[ammunition]\ncaliber = \"a\"\n");
        assert_eq!(
            paths("ammunition[*].caliber", &single),
            ["ammunition.caliber"]
        );
        let many = doc("[[ammunition]]\ncaliber = \"a\"\n[[ammunition]]\ncaliber = \"b\"\n");
        assert_eq!(
            paths("ammunition[*].caliber", &many),
            ["ammunition[0].caliber", "ammunition[1].caliber"]
        );
    }

    #[test]
    fn filters_keep_matching_items() {
        let root =
            doc("[[radio]]\nbands = [{ use = \"tx\" }, { use = \"RX\" }, { use = \"txrx\" }]\n");
        assert_eq!(
            paths("radio[*].bands[use=rx|txrx]", &root),
            ["radio[0].bands[1]", "radio[0].bands[2]"]
        );
    }

    #[test]
    fn an_index_reaches_one_item_as_reports_write_it() {
        let root = doc("[[radio]]\nbands = [\"a\", \"b\"]\n");
        assert_eq!(paths("radio[0].bands[1]", &root), ["radio[0].bands[1]"]);
        assert!(paths("radio[0].bands[2]", &root).is_empty());
    }

    #[test]
    fn deepest_stops_at_the_last_existing_table() {
        let root = doc("[power]\nsource = \"vehicle\"\n");
        let m = Path::parse("power.surge_withstand.voltage")
            .unwrap()
            .deepest(&root);
        assert_eq!(m.path, "power");
    }

    #[test]
    fn nodes_and_any_see_the_nodes_select_reaches() {
        let root = doc(concat!(
            "[[radio]]\nbands = [{ use = \"tx\" }, { use = \"rx\" }]\n",
            "[[radio]]\nbands = [{ use = \"rx\" }]\n[power]\nsource = \"vehicle\"\n",
        ));
        for path in [
            "radio[*].bands[*].use",
            "radio[*].bands[use=rx]",
            "radio[1].bands[0]",
            "power[*].source",
            "power.missing",
        ] {
            let path = Path::parse(path).unwrap();
            let selected: Vec<*const Node> = path
                .select(&root)
                .iter()
                .map(|m| m.node as *const Node)
                .collect();
            let nodes: Vec<*const Node> = path
                .nodes(&root)
                .into_iter()
                .map(|n| n as *const Node)
                .collect();
            assert_eq!(selected, nodes, "{path}");
            let is_rx = |n: &Node| {
                n.as_str() == Some("rx") || n.get("use").and_then(Node::as_str) == Some("rx")
            };
            assert_eq!(path.any(&root, |_| true), !nodes.is_empty(), "{path}");
            assert_eq!(
                path.any(&root, is_rx),
                path.nodes(&root).into_iter().any(is_rx),
                "{path}"
            );
        }
    }

    #[test]
    fn malformed_paths_are_rejected() {
        for bad in ["", "a..b", "a[", "a[x]", "a[*]b", "a b", "a[-1]"] {
            assert!(Path::parse(bad).is_err(), "{bad}");
        }
    }
}
