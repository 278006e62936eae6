//! CloudTower credential sources and their chain, over HTTP against the emulator: the
//! environment, a named profile of the profile file, and what the chain says when neither is
//! there.

use std::sync::Arc;

use console_core::credentials::{ChainSettings, ProvideCredentials};
use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_sim::{Sim, RUNNING};
use console_smartx::credentials::sources::{self, Environment, ProfileFile};
use console_smartx::{Client, ConsoleRequest};

fn client(sim: &Sim, p: Arc<dyn ProvideCredentials<console_smartx::Credentials>>) -> Client {
    Client::builder_with(sim.smartx_url(), p).build().unwrap()
}

fn target() -> ConsoleRequest {
    ConsoleRequest::new(RUNNING).unwrap()
}

#[tokio::test]
async fn the_environment_a_named_profile_and_the_chain() {
    let sim = Sim::start().await.unwrap();
    let env = MapEnv::new([
        ("CLOUDTOWER_USERNAME", console_sim::SMARTX_USERNAME),
        ("CLOUDTOWER_PASSWORD", console_sim::SMARTX_PASSWORD),
    ]);
    client(&sim, Arc::new(Environment::new(Arc::new(env))))
        .console(&target())
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[default]\nusername = admin\npassword = not-the-password\n[lab]\nusername = {}\npassword = {}\nuser_source = LOCAL\n",
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD
        ),
    )
    .unwrap();
    let env = Arc::new(MapEnv::new([(
        "CLOUDTOWER_CREDENTIALS_FILE",
        file.display().to_string(),
    )]));
    client(
        &sim,
        Arc::new(ProfileFile::new(env.clone(), Some("lab".into()))),
    )
    .console(&target())
    .await
    .unwrap();
    let e = client(&sim, Arc::new(ProfileFile::new(env.clone(), None)))
        .console(&target())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert!(!format!("{e} {e:?}").contains("not-the-password"));
    let lab = ChainSettings::default().profile("lab");
    client(&sim, sources::chain(env, &lab).unwrap())
        .console(&target())
        .await
        .unwrap();

    let e = client(
        &sim,
        sources::chain(Arc::new(MapEnv::default()), &lab).unwrap(),
    )
    .console(&target())
    .await
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("environment: neither CLOUDTOWER_TOKEN nor CLOUDTOWER_USERNAME is set")
            && text.contains("profile file: no home directory to look in"),
        "{text}"
    );
    sim.shutdown().await;
}
