//! TLS against a local HTTPS server whose certificate comes from a private CA (as on-premises
//! CloudTower installs have): refused by default, accepted with the custom CA option, and
//! accepted with verification explicitly turned off.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use console_core::error::ErrorKind;
use console_core::{HttpRequest, Method, Transport, Url};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, SanType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

struct Pki {
    ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

fn private_ca() -> Pki {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
    leaf.subject_alt_names = vec![
        SanType::DnsName("localhost".try_into().unwrap()),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
    ];
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        server: Arc::new(server),
    }
}

/// A minimal HTTPS server on 127.0.0.1: answers CloudTower's login and VNC requests.
async fn serve(config: Arc<rustls::ServerConfig>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake is the point of some tests: just drop the connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_string();
                let body = if head.starts_with("POST /v2/api/login") {
                    r#"{"task_id":"t","data":{"token":"tls-login-token"}}"#
                } else {
                    r#"{"data":{"vnc":{"raw_token":"r0","token":"dG9rZW4=","vm_uuid":"u","cluster_ip":"192.168.5.2","host_ip":"192.168.5.4"}}}"#
                };
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

fn smartx(endpoint: &str) -> console_smartx::ClientBuilder {
    console_smartx::Client::builder(
        endpoint,
        console_smartx::Credentials::login("admin", "pw", console_smartx::UserSource::Local),
    )
    .retry(console_core::RetryPolicy::none())
}

#[tokio::test]
async fn a_private_ca_is_refused_by_default_and_accepted_when_given() {
    let pki = private_ca();
    let addr = serve(pki.server.clone()).await;
    let endpoint = format!("https://127.0.0.1:{}", addr.port());
    let req = console_smartx::ConsoleRequest::new("vm-1").unwrap();

    let e = smartx(&endpoint)
        .build()
        .unwrap()
        .console(&req)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(!e.is_retryable());

    let console = smartx(&endpoint)
        .ca_certificate_pem(pki.ca_pem.as_bytes())
        .unwrap()
        .build()
        .unwrap()
        .console(&req)
        .await
        .unwrap();
    assert_eq!(
        console.websocket_url(),
        Some(
            format!(
                "wss://127.0.0.1:{}/websockify/?token=dG9rZW4%3D&uuid=u&host=192.168.5.4",
                addr.port()
            )
            .as_str()
        )
    );

    smartx(&endpoint)
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap()
        .console(&req)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_core_transport_verifies_tls_and_takes_a_custom_ca() {
    let pki = private_ca();
    let addr = serve(pki.server.clone()).await;
    let req = HttpRequest::new(
        Method::POST,
        Url::parse(&format!("https://127.0.0.1:{}/api", addr.port())).unwrap(),
    );

    let e = Transport::new().unwrap().send(&req).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(!e.is_retryable());

    let resp = Transport::builder()
        .add_root_certificate_pem(pki.ca_pem.as_bytes())
        .unwrap()
        .build()
        .unwrap()
        .send(&req)
        .await
        .unwrap();
    assert_eq!(resp.status, 200);

    // A different CA does not open the door.
    let other = private_ca();
    let e = Transport::builder()
        .add_root_certificate_pem(other.ca_pem.as_bytes())
        .unwrap()
        .build()
        .unwrap()
        .send(&req)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(!e.is_retryable());
}
