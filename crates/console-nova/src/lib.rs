//! The Nova compute API's console calls as pure functions, shared by every crate that speaks
//! Nova (`console-openstack`, and `console-huawei` for Huawei's Nova-compatible API) and owned
//! by none of them: microversions, console types and the rules tying them together, request
//! bodies, the answers and Nova's faults, and the version document.
//!
//! Nothing here knows a provider: errors and consoles carry the [`console_core::Provider`]
//! the caller passes.
//!
//! ```
//! use console_nova::{request, ConsoleType, Microversion};
//! let call = request::call(ConsoleType::NoVnc, Some(Microversion::new(2, 6)))?;
//! assert_eq!(call.path_tail, "remote-consoles");
//! assert_eq!(call.body.to_string(), r#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#);
//! # Ok::<(), console_core::Error>(())
//! ```

pub mod console_type;
pub mod microversion;
pub mod request;
pub mod response;
pub mod versions;

pub use console_type::ConsoleType;
pub use microversion::Microversion;
