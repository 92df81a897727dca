//! Record bytes (placeholder until the codec lands).

/// Encoding or decoding failed.
#[derive(Debug, thiserror::Error)]
#[error("codec error")]
pub struct CodecError;
