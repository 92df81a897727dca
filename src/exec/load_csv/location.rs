//! Where a LOAD CSV `FROM` string points: a `file:` URL (`file:///abs/path`,
//! `file:/abs/path` or `file://localhost/abs/path`, percent-decoded) or a plain path,
//! absolute or relative to the working directory. Other schemes (http, https, ftp, ...)
//! are refused: steward loads local files only.

use super::LoadCsvError;
use std::path::PathBuf;

/// The absolute path `location` names.
pub(crate) fn resolve(location: &str) -> Result<PathBuf, LoadCsvError> {
    if location.is_empty() {
        return Err(LoadCsvError::Empty);
    }
    let path = match scheme(location) {
        Some(s) if s.eq_ignore_ascii_case("file") => file_url(location, &location[s.len() + 1..])?,
        Some(_) => {
            return Err(LoadCsvError::NotLocal {
                location: location.to_string(),
            });
        }
        None => PathBuf::from(location),
    };
    // Relative to the working directory; `..` is kept as written (the file may not exist,
    // and the error should name the path that was tried).
    Ok(std::path::absolute(&path).unwrap_or(path))
}

/// The URL scheme of `location` (`https` in `https://...`), if it starts with one. A
/// single letter before the colon is a Windows drive (`C:\data.csv`), not a scheme.
fn scheme(location: &str) -> Option<&str> {
    let colon = location.find(':')?;
    let s = &location[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (valid && s.len() > 1).then_some(s)
}

/// The path of a `file:` URL, given what follows `file:`.
fn file_url(location: &str, rest: &str) -> Result<PathBuf, LoadCsvError> {
    let bad = |reason: &'static str| LoadCsvError::BadFileUrl {
        location: location.to_string(),
        reason,
    };
    let path = match rest.strip_prefix("//") {
        Some(authority_and_path) => {
            let slash = authority_and_path
                .find('/')
                .unwrap_or(authority_and_path.len());
            let host = &authority_and_path[..slash];
            if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
                return Err(bad(
                    "a file URL names a file on this computer (file:///path), not on another host",
                ));
            }
            &authority_and_path[slash..]
        }
        None => rest,
    };
    if !path.starts_with('/') {
        return Err(bad(
            "a file URL needs an absolute path (file:///path); write a relative path without file:",
        ));
    }
    if path.contains(['?', '#']) {
        return Err(bad(
            "a file URL cannot have a query (?) or a fragment (#); percent-encode them as %3F and %23",
        ));
    }
    let decoded = percent_decode(path).ok_or_else(|| {
        bad("'%' in a URL must be followed by two hex digits (write %25 for a percent sign)")
    })?;
    let text = String::from_utf8(decoded).map_err(|_| bad("the decoded path is not UTF-8"))?;
    Ok(PathBuf::from(text))
}

/// `%XX` escapes replaced by their bytes; `None` for a malformed escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn path(location: &str) -> PathBuf {
        resolve(location).unwrap_or_else(|e| panic!("{location}: {e}"))
    }

    fn refused(location: &str) -> String {
        match resolve(location) {
            Ok(p) => panic!("{location} resolved to {}", p.display()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn file_urls_are_percent_decoded_absolute_paths() {
        assert_eq!(path("file:///tmp/people.csv"), Path::new("/tmp/people.csv"));
        assert_eq!(path("FILE:///tmp/a%20b%25.csv"), Path::new("/tmp/a b%.csv"));
        assert_eq!(path("file:/tmp/x.csv"), Path::new("/tmp/x.csv"));
        assert_eq!(path("file://localhost/tmp/x.csv"), Path::new("/tmp/x.csv"));
        assert_eq!(
            path("file:///tmp/caf%C3%A9.csv"),
            Path::new("/tmp/café.csv")
        );
    }

    #[test]
    fn plain_paths_are_taken_as_written_relative_to_the_working_directory() {
        assert_eq!(path("/tmp/50%.csv"), Path::new("/tmp/50%.csv"));
        let cwd = std::env::current_dir().expect("a working directory");
        assert_eq!(path("data/people.csv"), cwd.join("data/people.csv"));
        assert_eq!(path("C:data.csv"), cwd.join("C:data.csv"));
    }

    #[test]
    fn remote_and_malformed_locations_are_refused_with_the_reason() {
        for remote in [
            "https://example.com/people.csv",
            "http://example.com/people.csv",
            "ftp://example.com/people.csv",
            "s3://bucket/people.csv",
        ] {
            assert_eq!(
                refused(remote),
                format!(
                    "cannot load {remote}: only local files can be loaded (a path, or a file:/// URL)"
                )
            );
        }
        assert_eq!(
            refused("file://server/people.csv"),
            "cannot load file://server/people.csv: a file URL names a file on this computer (file:///path), not on another host"
        );
        assert_eq!(
            refused("file:people.csv"),
            "cannot load file:people.csv: a file URL needs an absolute path (file:///path); write a relative path without file:"
        );
        assert_eq!(
            refused("file:///tmp/a.csv?x=1"),
            "cannot load file:///tmp/a.csv?x=1: a file URL cannot have a query (?) or a fragment (#); percent-encode them as %3F and %23"
        );
        assert_eq!(
            refused("file:///tmp/100%.csv"),
            "cannot load file:///tmp/100%.csv: '%' in a URL must be followed by two hex digits (write %25 for a percent sign)"
        );
        assert!(refused("file:///tmp/%+F.csv").contains("two hex digits"));
        assert_eq!(
            refused("file:///tmp/%FF.csv"),
            "cannot load file:///tmp/%FF.csv: the decoded path is not UTF-8"
        );
        assert_eq!(refused(""), "cannot load '': the file name is empty");
    }
}
