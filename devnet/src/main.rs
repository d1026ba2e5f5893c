//! `devnet [--host 127.0.0.1] [--port 8000] [--ledger-interval-ms N]
//!         [--state FILE] [--passphrase P]`
//!
//! Prints one line `devnet ready {json}` on stdout once it accepts requests
//! (with the bound port, so `--port 0` picks a free one), and exits cleanly on
//! SIGTERM or SIGINT after saving the state file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use devnet::config::{self, Settings};
use devnet::ledger::Ledger;
use devnet::node::Node;
use devnet::{persist, server};

struct Args {
    host: String,
    port: u16,
    ledger_interval_ms: Option<u64>,
    state: Option<PathBuf>,
    passphrase: String,
    exit_with_stdin: bool,
    profile: String,
    settings_file: Option<PathBuf>,
    settings_table: bool,
    pending_wait_ms: u64,
    frozen_clock: bool,
}

const USAGE: &str = "usage: devnet [--host 127.0.0.1] [--port 8000] [--profile pubnet|testnet] [--settings FILE]
              [--ledger-interval-ms MS] [--state FILE] [--passphrase P]
  --profile NAME         network settings: pubnet (default) or testnet
  --settings FILE        a JSON object of setting names and values overriding the profile's
  --settings-table       print the profile's settings as a Markdown table and exit
  --ledger-interval-ms N close a ledger every N ms (default: the profile's 5000); 0: only on
                         devnet_closeLedger and devnet_warp (friendbot closes one itself)
  --pending-wait-ms N    getTransaction of a queued transaction waits up to N ms for its ledger
                         (default 0: NOT_FOUND at once, like stellar-rpc; tests use it for speed)
  --frozen-clock         ledger time moves only by devnet_warp (deterministic tests): every ledger
                         closes at the previous close time
  --port 0               pick a free port (printed in the ready line)
  --exit-with-stdin      shut down when stdin closes (a parent that dies, even by SIGKILL, stops it)";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        host: "127.0.0.1".into(),
        port: 8000,
        ledger_interval_ms: None,
        profile: config::profile::DEFAULT_PROFILE.into(),
        settings_file: None,
        settings_table: false,
        pending_wait_ms: 0,
        frozen_clock: false,
        state: None,
        passphrase: config::DEFAULT_PASSPHRASE.into(),
        exit_with_stdin: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--host" => a.host = value()?,
            "--port" => {
                a.port = value()?
                    .parse()
                    .map_err(|_| "--port must be a number 0-65535".to_string())?
            }
            "--ledger-interval-ms" => {
                a.ledger_interval_ms = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--ledger-interval-ms must be a number".to_string())?,
                )
            }
            "--state" => a.state = Some(PathBuf::from(value()?)),
            "--passphrase" => a.passphrase = value()?,
            "--exit-with-stdin" => a.exit_with_stdin = true,
            "--profile" => a.profile = value()?,
            "--settings" => a.settings_file = Some(PathBuf::from(value()?)),
            "--settings-table" => a.settings_table = true,
            "--frozen-clock" => a.frozen_clock = true,
            "--pending-wait-ms" => {
                a.pending_wait_ms = value()?
                    .parse()
                    .map_err(|_| "--pending-wait-ms must be a number".to_string())?
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("devnet: {e}");
            std::process::exit(2);
        }
    };
    let profile = config::Profile::builtin(&args.profile).and_then(|p| match &args.settings_file {
        Some(f) => p.with_overrides(f),
        None => Ok(p),
    });
    let (profile, settings) = match profile.and_then(|p| Settings::from_profile(&p).map(|s| (p, s)))
    {
        Ok(x) => x,
        Err(e) => {
            eprintln!("devnet: {e}");
            std::process::exit(2);
        }
    };
    if args.settings_table {
        print!("{}", profile.markdown_table());
        return;
    }
    let ledger = match &args.state {
        Some(path) => match persist::load(path, &args.passphrase, settings.clone()) {
            Ok(Some(l)) => l,
            Ok(None) => Ledger::genesis(&args.passphrase, settings.clone()),
            Err(e) => {
                eprintln!("devnet: {e}");
                std::process::exit(1);
            }
        },
        None => Ledger::genesis(&args.passphrase, settings),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let code = runtime.block_on(run(args, ledger));
    std::process::exit(code);
}

async fn run(args: Args, ledger: Ledger) -> i32 {
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("devnet: cannot listen on {}:{}: {e}", args.host, args.port);
            return 1;
        }
    };
    let addr = listener.local_addr().expect("bound address");
    let base = format!("http://{}:{}", args.host, addr.port());
    let mut ledger = ledger;
    ledger.frozen_clock = args.frozen_clock;
    let interval_ms = args
        .ledger_interval_ms
        .unwrap_or(ledger.settings.ledger_close_ms);
    let node = Arc::new(
        Node::new(ledger, args.state.clone())
            .with_timer(interval_ms > 0)
            .with_pending_wait(Duration::from_millis(args.pending_wait_ms)),
    );
    node.set_friendbot_url(format!("{base}/friendbot"));
    let interval = (interval_ms > 0).then(|| Duration::from_millis(interval_ms));
    tokio::spawn(server::ticker(node.clone(), interval));
    let ready = serde_json::json!({
        "rpcUrl": format!("{base}/rpc"),
        "friendbotUrl": format!("{base}/friendbot"),
        "passphrase": args.passphrase,
        "port": addr.port(),
        "profile": node.read().settings.profile.clone(),
    });
    println!("devnet ready {ready}");
    let served = axum::serve(listener, server::router(node.clone()))
        .with_graceful_shutdown(shutdown_signal(args.exit_with_stdin))
        .await;
    if let Err(e) = served {
        eprintln!("devnet: server error: {e}");
    }
    let n = node.clone();
    match tokio::task::spawn_blocking(move || n.save()).await {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            eprintln!("devnet: saving state at shutdown failed: {e}");
            1
        }
        Err(_) => 1,
    }
}

async fn shutdown_signal(exit_with_stdin: bool) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let (stdin_closed_tx, stdin_closed) = tokio::sync::oneshot::channel::<()>();
    if exit_with_stdin {
        // A blocking read on stdin returns when the parent's end closes.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            let _ = stdin_closed_tx.send(());
        });
    } else {
        std::mem::forget(stdin_closed_tx);
    }
    tokio::select! {
        _ = term.recv() => {},
        _ = tokio::signal::ctrl_c() => {},
        _ = stdin_closed => {},
    }
}
