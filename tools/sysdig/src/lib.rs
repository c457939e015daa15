//! The sysdig and csysdig command lines, composed from the scap stages in one process.
//!
//! Not built yet: see the project issues.
