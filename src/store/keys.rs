//! Key layout (placeholder until the sled store lands).
