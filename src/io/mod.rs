//! Import and export of maps.

pub mod picture;
