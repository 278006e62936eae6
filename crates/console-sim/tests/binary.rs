//! The standalone binary and the admin listener: what scripts and other languages' test
//! suites rely on.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use console_sim::{ProviderKind, Sim};
use serde_json::Value;

#[test]
fn the_binary_prints_endpoints_then_credentials_as_json() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_console-sim"))
        .arg("--no-rate-limit")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let endpoints: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let creds: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    for name in [
        "tencent",
        "aliyun",
        "huawei",
        "keystone",
        "cloudtower",
        "admin",
    ] {
        let url = endpoints[name].as_str().unwrap_or_default();
        assert!(url.starts_with("http://127.0.0.1:"), "{name}: {url}");
    }
    assert_eq!(
        creds["tencent"]["secret_id"],
        console_sim::TENCENT_SECRET_ID
    );
    assert_eq!(creds["instances"]["running"], console_sim::RUNNING);
}

#[test]
fn the_binary_refuses_unknown_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_console-sim"))
        .args(["--port", "nosuch=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no API is named nosuch"));
}

#[tokio::test]
async fn faults_and_inventory_change_over_the_admin_listener() {
    let sim = Sim::start().await.unwrap();
    let http = reqwest::Client::new();
    let admin = sim.admin_url();
    let r = http
        .post(format!("{admin}/faults/tencent"))
        .body(r#"{"fault":"too_many_requests","retry_after":"3"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let r = http.post(sim.tencent_url()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    // The fault was used up: the next request reaches the API (and fails its signature check).
    let r = http.post(sim.tencent_url()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("AuthFailure"));

    let r = http
        .put(format!("{admin}/instances/huawei/vm-1"))
        .body("stopped")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let r = http
        .post(format!("{admin}/faults/nosuch"))
        .body(r#"{"fault":"reset"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r = http
        .post(format!("{admin}/faults/aliyun"))
        .body(r#"{"fault":"nonsense"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let n = http
        .get(format!("{admin}/requests/tencent"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let n: Value = serde_json::from_str(&n).unwrap();
    assert_eq!(n["requests"], 2);
    assert_eq!(sim.requests(ProviderKind::Tencent), 2);
    sim.shutdown().await;
}
