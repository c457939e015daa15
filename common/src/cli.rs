//! Command-line pieces shared by the scap binaries, flattened into each tool's own `Args`.

use clap::Args;

/// Where a stage reads its input.
#[derive(Args, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct InputArgs {
    /// Read from FILE instead of stdin (`-` is stdin)
    ///
    /// The format is recognized from the data: a scap stream (plain or zstd), a .scap trace
    /// (plain or gzip).
    #[arg(short = 'r', long = "read", value_name = "FILE", default_value = "-")]
    pub read: String,
}

/// Where a stage writes its stream.
#[derive(Args, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct OutputArgs {
    /// Write the stream to FILE instead of stdout
    #[arg(short = 'w', long = "write", value_name = "FILE")]
    pub write: Option<String>,
    /// Compress the stream with zstd
    #[arg(short = 'z', long = "compress")]
    pub compress: bool,
    /// Write binary output even when stdout is a terminal
    #[arg(long)]
    pub force: bool,
}

/// What a classic (getopt_long-style) option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// A flag.
    Nothing,
    /// A value, attached (`-n10`, `--numevents=10`) or in the next word.
    Value,
    /// A value only when attached (`-B<probe>`, `--bpf=<probe>`).
    Optional,
}

/// One thing found on a classic command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    /// An option.
    Opt {
        /// Its short letter (`-` for a long-only option).
        short: char,
        /// Its long name, empty when it was given in short form.
        long: String,
        /// Its value, if it has one.
        value: Option<String>,
    },
    /// A word that is not an option.
    Plain(String),
    /// The words after `--`, all taken as they are.
    Rest(Vec<String>),
}

/// A command line getopt_long would refuse, worded as getopt words it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GetoptError {
    /// A long option that does not exist.
    #[error("unrecognized option '--{0}'")]
    UnknownLong(String),
    /// `--flag=value` for a flag.
    #[error("option '--{0}' doesn't allow an argument")]
    LongTakesNothing(String),
    /// A long option that needs a value, last on the line.
    #[error("option '--{0}' requires an argument")]
    LongNeedsValue(String),
    /// A short option that does not exist.
    #[error("invalid option -- '{0}'")]
    UnknownShort(char),
    /// A short option that needs a value, last on the line.
    #[error("option requires an argument -- '{0}'")]
    ShortNeedsValue(char),
}

/// Reads `argv` (without the program name) the way getopt_long does for sysdig and csysdig:
/// short options bundle (`-qv`), values attach or follow (`-p"%evt.num"`, `-n 10`, `-zw f`),
/// long options take `--name=value` or `--name value`, options may come after other words, and
/// `--` ends the options. `short` and `long` say which options exist and what they take (`long`
/// also gives the short letter a long option stands for). Each option and word goes to `on`, in
/// order; the first error, from `on` or from the command line, ends the walk.
pub fn getopt<E: From<GetoptError>>(
    argv: &[String],
    short: impl Fn(char) -> Option<Takes>,
    long: impl Fn(&str) -> Option<(char, Takes)>,
    mut on: impl FnMut(Word) -> Result<(), E>,
) -> Result<(), E> {
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a == "--" {
            return on(Word::Rest(argv[i..].to_vec()));
        }
        if let Some(text) = a.strip_prefix("--") {
            let (name, attached) = match text.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (text, None),
            };
            let Some((letter, takes)) = long(name) else { return Err(GetoptError::UnknownLong(name.into()).into()) };
            let value = match (takes, attached) {
                (Takes::Nothing, Some(_)) => return Err(GetoptError::LongTakesNothing(name.into()).into()),
                (Takes::Nothing, None) => None,
                (Takes::Optional, attached) | (Takes::Value, attached @ Some(_)) => attached,
                (Takes::Value, None) => {
                    let v = argv.get(i).cloned().ok_or_else(|| GetoptError::LongNeedsValue(name.into()))?;
                    i += 1;
                    Some(v)
                }
            };
            on(Word::Opt { short: letter, long: name.to_string(), value })?;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            for (k, &c) in chars.iter().enumerate() {
                let Some(takes) = short(c) else { return Err(GetoptError::UnknownShort(c).into()) };
                if takes == Takes::Nothing {
                    on(Word::Opt { short: c, long: String::new(), value: None })?;
                    continue;
                }
                let rest: String = chars[k + 1..].iter().collect();
                let value = match takes {
                    _ if !rest.is_empty() => Some(rest),
                    Takes::Optional => None,
                    _ => {
                        let v = argv.get(i).cloned().ok_or(GetoptError::ShortNeedsValue(c))?;
                        i += 1;
                        Some(v)
                    }
                };
                on(Word::Opt { short: c, long: String::new(), value })?;
                break;
            }
            continue;
        }
        on(Word::Plain(a.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn walk(line: &str) -> Result<Vec<Word>, GetoptError> {
        let argv: Vec<String> = line.split(' ').map(String::from).collect();
        let short = |c| match c {
            'q' | 'v' => Some(Takes::Nothing),
            'n' | 'w' => Some(Takes::Value),
            'B' => Some(Takes::Optional),
            _ => None,
        };
        let long = |n: &str| match n {
            "quiet" => Some(('q', Takes::Nothing)),
            "numevents" => Some(('n', Takes::Value)),
            "bpf" => Some(('B', Takes::Optional)),
            _ => None,
        };
        let mut got = Vec::new();
        getopt(&argv, short, long, |w| {
            got.push(w);
            Ok::<_, GetoptError>(())
        })?;
        Ok(got)
    }

    fn opt(short: char, long: &str, value: Option<&str>) -> Word {
        Word::Opt { short, long: long.into(), value: value.map(String::from) }
    }

    #[test]
    fn bundles_attached_and_following_values() {
        assert_eq!(
            walk("-qvn10 a -w f --numevents=3 --numevents 4 -B --bpf=x b").unwrap(),
            vec![
                opt('q', "", None),
                opt('v', "", None),
                opt('n', "", Some("10")),
                Word::Plain("a".into()),
                opt('w', "", Some("f")),
                opt('n', "numevents", Some("3")),
                opt('n', "numevents", Some("4")),
                opt('B', "", None),
                opt('B', "bpf", Some("x")),
                Word::Plain("b".into()),
            ]
        );
        assert_eq!(
            walk("a -- -q b").unwrap(),
            vec![Word::Plain("a".into()), Word::Rest(vec!["-q".into(), "b".into()])]
        );
        assert_eq!(walk("-").unwrap(), vec![Word::Plain("-".into())]);
    }

    #[test]
    fn refusals_are_worded_as_getopt_words_them() {
        let err = |line| walk(line).unwrap_err().to_string();
        assert_eq!(err("-y"), "invalid option -- 'y'");
        assert_eq!(err("-qn"), "option requires an argument -- 'n'");
        assert_eq!(err("--nope"), "unrecognized option '--nope'");
        assert_eq!(err("--quiet=1"), "option '--quiet' doesn't allow an argument");
        assert_eq!(err("--numevents"), "option '--numevents' requires an argument");
    }
}
