//! Which console of which server, and the Nova call for it (pure; the protocol is
//! console-nova's, shared with console-huawei).

use console_core::validate::ResourceId;
use console_core::{Error, HttpRequest, Result, Url};
use console_nova::versions::Range;
use console_nova::{ConsoleType, Microversion};

/// Which console to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// This type.
    Type(ConsoleType),
    /// What the server has, tried in Horizon's `AUTO` order ([`ConsoleType::AUTO`]: noVNC,
    /// SPICE, RDP, serial, WebMKS), the first the server can give.
    Auto,
}

/// A console request for one server: checked once, when made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    server_id: ResourceId,
    choice: Choice,
    microversion: Option<Microversion>,
}

impl ConsoleRequest {
    /// A noVNC console of `server_id`; a bad id is an `InvalidInput` naming `server_id`.
    pub fn new(server_id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            server_id: ResourceId::new("server_id", server_id)?,
            choice: Choice::Type(ConsoleType::NoVnc),
            microversion: None,
        })
    }

    /// The request a provider-neutral [`Target`](console_core::Target) describes: no region
    /// (the cloud's configuration names it), options `type` (a Nova console type such as
    /// `novnc`, or `auto`; default `novnc`) and `microversion`.
    ///
    /// ```
    /// use console_core::Target;
    /// use console_openstack::ConsoleRequest;
    /// let t = Target::new("srv").option("type", "auto");
    /// assert_eq!(ConsoleRequest::from_target(&t)?, ConsoleRequest::new("srv")?.auto());
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn from_target(target: &console_core::Target) -> Result<Self> {
        let mut options = target.reader("openstack");
        options.no_region("the region is the cloud's, in clouds.yaml or OS_REGION_NAME")?;
        let kind = options.text("type")?;
        let mv = options.text("microversion")?;
        options.finish()?;
        let mut r = Self::new(target.instance_id())?;
        r = match kind.as_deref() {
            None => r,
            Some("auto") => r.auto(),
            Some(t) => r.console_type(t.parse()?),
        };
        if let Some(mv) = mv {
            r = r.microversion(mv.parse()?)?;
        }
        Ok(r)
    }

    /// Asks for `console_type`.
    pub fn console_type(mut self, console_type: ConsoleType) -> Self {
        self.choice = Choice::Type(console_type);
        self
    }

    /// Asks for whatever the server has, in Horizon's `AUTO` order.
    pub fn auto(mut self) -> Self {
        self.choice = Choice::Auto;
        self
    }

    /// Uses `microversion` instead of negotiating one; a type it does not have is an
    /// `InvalidInput` naming the field, before anything is sent.
    ///
    /// ```
    /// use console_nova::{ConsoleType, Microversion};
    /// use console_openstack::ConsoleRequest;
    /// let r = ConsoleRequest::new("srv")?.console_type(ConsoleType::WebMks);
    /// assert!(r.clone().microversion(Microversion::new(2, 8)).is_ok());
    /// assert!(r.microversion(Microversion::new(2, 6)).is_err());
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn microversion(mut self, microversion: Microversion) -> Result<Self> {
        if let Choice::Type(t) = self.choice {
            console_nova::request::call(t, Some(microversion))?;
        } else if microversion.major != 2 {
            return Err(Error::invalid_input(
                "microversion",
                format!("{microversion} is not 2.N"),
            ));
        }
        self.microversion = Some(microversion);
        Ok(self)
    }

    /// The server id.
    pub fn server_id(&self) -> &str {
        self.server_id.as_str()
    }

    /// The console asked for.
    pub fn choice(&self) -> Choice {
        self.choice
    }

    /// The microversion given, if any.
    pub fn given_microversion(&self) -> Option<Microversion> {
        self.microversion
    }
}

/// The microversion to ask `console_type` at: the one given (checked against the server's
/// range when known), else negotiated from the range: the type's first remote-consoles
/// microversion (2.6, 2.8 for WebMKS, 2.99 for spice-direct) when the server has it, else the
/// pre-2.6 action at the server's highest microversion up to 2.5, else (a server without
/// microversions) the action with no header. What cannot work is an `InvalidInput` saying why.
///
/// ```
/// use console_nova::{versions::Range, ConsoleType, Microversion};
/// use console_openstack::request::choose_microversion;
/// let mv = Microversion::new;
/// let range = Some(Range { min: mv(2, 1), max: mv(2, 96) });
/// assert_eq!(choose_microversion(ConsoleType::NoVnc, None, range)?, Some(mv(2, 6)));
/// assert_eq!(choose_microversion(ConsoleType::WebMks, None, range)?, Some(mv(2, 8)));
/// let old = Some(Range { min: mv(2, 1), max: mv(2, 3) });
/// assert_eq!(choose_microversion(ConsoleType::NoVnc, None, old)?, Some(mv(2, 3)));
/// assert!(choose_microversion(ConsoleType::SpiceDirect, None, range).is_err());
/// # Ok::<(), console_core::Error>(())
/// ```
pub fn choose_microversion(
    console_type: ConsoleType,
    given: Option<Microversion>,
    range: Option<Range>,
) -> Result<Option<Microversion>> {
    if let Some(mv) = given {
        if let Some(r) = range {
            if mv < r.min || mv > r.max {
                return Err(Error::invalid_input(
                    "microversion",
                    format!(
                        "{mv} is outside what the server serves ({} to {})",
                        r.min, r.max
                    ),
                ));
            }
        }
        console_nova::request::call(console_type, Some(mv))?;
        return Ok(Some(mv));
    }
    let Some(r) = range else {
        return match console_type.action() {
            Some(_) => Ok(None),
            None => Err(Error::invalid_input(
                "console_type",
                format!(
                    "the server has no microversions; {console_type} needs {}",
                    console_type.since()
                ),
            )),
        };
    };
    let since = console_type.since();
    if r.max >= since {
        return Ok(Some(since.max(r.min)));
    }
    if console_type.action().is_some() && r.min <= Microversion::LAST_GET_VNC_CONSOLE {
        return Ok(Some(r.max.min(Microversion::LAST_GET_VNC_CONSOLE)));
    }
    Err(Error::invalid_input(
        "console_type",
        format!(
            "the server serves microversions {} to {}; {console_type} needs {since} or higher",
            r.min, r.max
        ),
    ))
}

/// The call for `console_type` at `microversion` on `server_id`, under the compute API's
/// versioned root `endpoint`: console-nova's request, with the microversion also in the newer
/// `OpenStack-API-Version` header, as openstackclient sends it.
pub fn build_for(
    endpoint: &Url,
    server_id: &str,
    console_type: ConsoleType,
    microversion: Option<Microversion>,
) -> Result<HttpRequest> {
    let call = console_nova::request::call(console_type, microversion)?;
    let mut request = console_nova::request::build(endpoint, server_id, &call);
    if let Some(mv) = microversion {
        request.set_header("OpenStack-API-Version", format!("compute {mv}"));
    }
    Ok(request)
}

/// The request for `target` at `endpoint` without negotiation: its type (the first of `AUTO`
/// for an automatic choice) at the microversion given, else the type's first remote-consoles
/// microversion.
///
/// ```
/// use console_openstack::{request, ConsoleRequest};
/// let ep = console_core::Url::parse("http://nova.example/compute/v2.1").unwrap();
/// let req = request::build(&ep, &ConsoleRequest::new("srv")?)?;
/// assert_eq!(req.url.path(), "/compute/v2.1/servers/srv/remote-consoles");
/// assert_eq!(req.header("OpenStack-API-Version"), Some("compute 2.6"));
/// # Ok::<(), console_core::Error>(())
/// ```
pub fn build(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    let t = match target.choice {
        Choice::Type(t) => t,
        Choice::Auto => ConsoleType::AUTO[0],
    };
    let mv = target.microversion.unwrap_or_else(|| t.since());
    build_for(endpoint, target.server_id(), t, Some(mv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;

    fn mv(m: u16) -> Microversion {
        Microversion::new(2, m)
    }

    #[test]
    fn negotiation_picks_the_least_that_works() {
        let range = |a, b| {
            Some(Range {
                min: mv(a),
                max: mv(b),
            })
        };
        for (t, r, want) in [
            (ConsoleType::NoVnc, range(1, 99), Some(mv(6))),
            (ConsoleType::Serial, range(1, 60), Some(mv(6))),
            (ConsoleType::WebMks, range(1, 99), Some(mv(8))),
            (ConsoleType::SpiceDirect, range(1, 99), Some(mv(99))),
            (ConsoleType::NoVnc, range(10, 90), Some(mv(10))),
            (ConsoleType::NoVnc, range(1, 5), Some(mv(5))),
            (ConsoleType::RdpHtml5, range(1, 2), Some(mv(2))),
            (ConsoleType::NoVnc, None, None),
        ] {
            assert_eq!(choose_microversion(t, None, r).unwrap(), want, "{t} {r:?}");
        }
        for (t, r) in [
            (ConsoleType::WebMks, range(1, 7)),
            (ConsoleType::WebMks, None),
            (ConsoleType::SpiceDirect, range(1, 98)),
        ] {
            let e = choose_microversion(t, None, r).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{t} {r:?}");
            assert!(e.to_string().contains("console_type"), "{e}");
        }
    }

    #[test]
    fn a_given_microversion_is_checked_not_negotiated() {
        let r = Some(Range {
            min: mv(1),
            max: mv(60),
        });
        assert_eq!(
            choose_microversion(ConsoleType::NoVnc, Some(mv(2)), r).unwrap(),
            Some(mv(2))
        );
        assert_eq!(
            choose_microversion(ConsoleType::NoVnc, Some(mv(80)), None).unwrap(),
            Some(mv(80))
        );
        let e = choose_microversion(ConsoleType::NoVnc, Some(mv(80)), r).unwrap_err();
        assert!(e.to_string().contains("outside"), "{e}");
        let r2 = Some(Range {
            min: mv(10),
            max: mv(60),
        });
        // The range's ends are in it.
        assert_eq!(
            choose_microversion(ConsoleType::NoVnc, Some(mv(10)), r2).unwrap(),
            Some(mv(10))
        );
        assert_eq!(
            choose_microversion(ConsoleType::NoVnc, Some(mv(60)), r2).unwrap(),
            Some(mv(60))
        );
        assert!(choose_microversion(ConsoleType::NoVnc, Some(mv(6)), r2).is_err());
        assert!(choose_microversion(ConsoleType::WebMks, Some(mv(5)), r).is_err());
    }

    #[test]
    fn requests_are_checked_when_made() {
        assert!(ConsoleRequest::new("a/b").is_err());
        let r = ConsoleRequest::new("srv").unwrap();
        assert_eq!(r.choice(), Choice::Type(ConsoleType::NoVnc));
        assert_eq!(r.clone().auto().choice(), Choice::Auto);
        assert!(r
            .clone()
            .auto()
            .microversion(Microversion::new(3, 0))
            .is_err());
        let r = r
            .console_type(ConsoleType::Serial)
            .microversion(mv(5))
            .unwrap();
        assert_eq!(r.given_microversion(), Some(mv(5)));
        let ep = Url::parse("http://h/compute/v2.1").unwrap();
        let req = build(&ep, &r).unwrap();
        assert_eq!(req.url.path(), "/compute/v2.1/servers/srv/action");
        assert_eq!(req.header("X-OpenStack-Nova-API-Version"), Some("2.5"));
        assert_eq!(req.header("OpenStack-API-Version"), Some("compute 2.5"));
        let req = build_for(&ep, "srv", ConsoleType::NoVnc, None).unwrap();
        assert_eq!(req.header("OpenStack-API-Version"), None);
        let auto = build(&ep, &ConsoleRequest::new("s").unwrap().auto()).unwrap();
        assert_eq!(auto.url.path(), "/compute/v2.1/servers/s/remote-consoles");
    }
}
