//! Soroban transactions end to end inside the crate: simulate (as the RPC
//! does), assemble like the SDK, sign, apply; then archival and restore.
//! Uses the release contract Wasm at artifacts/stream.wasm (scripts/test.sh
//! builds it before `cargo test`).

use devnet::apply::{sign, submit};
use devnet::config::Settings;
use devnet::ledger::keys::{account_bytes, account_id_from_seed};
use devnet::ledger::{root_seed, Ledger};
use devnet::simulate::{simulate, Options, Simulation};
use soroban_env_host::xdr::{
    ContractExecutable, ContractIdPreimage, ContractIdPreimageFromAddress, CreateAccountOp,
    CreateContractArgsV2, Hash, HostFunction, InvokeContractArgs, InvokeHostFunctionOp,
    InvokeHostFunctionResult, Limits, Memo, MuxedAccount, Operation, OperationBody,
    OperationResult, OperationResultTr, Preconditions, ReadXdr, ScAddress, ScVal, SequenceNumber,
    SorobanTransactionDataExt, Transaction, TransactionExt, TransactionMeta, TransactionResult,
    TransactionResultResult, Uint256, Uint256 as U,
};

const PASSPHRASE: &str = "Soroban Apply Test ; 2026";

fn wasm() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../artifacts/stream.wasm");
    std::fs::read(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run scripts/build-contract.sh first)"))
}

struct Net {
    l: Ledger,
    user: [u8; 32],
}

impl Net {
    fn new() -> Net {
        let mut l = Ledger::genesis(PASSPHRASE, Settings::default());
        let root = root_seed(PASSPHRASE);
        let user = [3u8; 32];
        let t = self::tx(
            &l,
            &root,
            OperationBody::CreateAccount(CreateAccountOp {
                destination: account_id_from_seed(&user),
                starting_balance: 100_000_000_000,
            }),
        );
        let env = sign(&l.network_id, t, &[root]);
        submit(&mut l, &env).unwrap();
        Net { l, user }
    }

    /// Simulates, assembles (footprint, resources, auth, fee) and submits.
    fn invoke(&mut self, f: HostFunction) -> (TransactionResult, TransactionMeta, Transaction) {
        let t = self.assemble(f);
        (self.send(t.clone()).0, self.send_meta(), t)
    }

    fn assemble(&self, f: HostFunction) -> Transaction {
        let op = OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
            host_function: f.clone(),
            auth: Default::default(),
        });
        let t = tx(&self.l, &self.user, op);
        let env = sign(&self.l.network_id, t.clone(), &[self.user]);
        let sim = simulate(
            &self.l,
            &env,
            Options {
                auth_mode: None,
                use_address_v2: false,
                instruction_leeway: None,
            },
        )
        .unwrap();
        let Simulation::Invoke { data, auth, .. } = sim else {
            panic!("simulation failed: {sim:?}");
        };
        let min_fee = data.resource_fee;
        let mut t = t;
        t.fee = (100 + min_fee) as u32;
        t.ext = TransactionExt::V1(data);
        t.operations = vec![Operation {
            source_account: None,
            body: OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
                host_function: f,
                auth: auth.try_into().unwrap(),
            }),
        }]
        .try_into()
        .unwrap();
        t
    }

    fn send(&mut self, t: Transaction) -> (TransactionResult, [u8; 32]) {
        let env = sign(&self.l.network_id, t, &[self.user]);
        let hash =
            submit(&mut self.l, &env).unwrap_or_else(|r| panic!("rejected: {:?}", r.result.result));
        let rec = &self.l.txs[&hash];
        (
            TransactionResult::from_xdr(&rec.result_xdr, Limits::none()).unwrap(),
            hash,
        )
    }

    fn balance(&self) -> i64 {
        let id = account_id_from_seed(&self.user);
        match self
            .l
            .entries
            .get(&devnet::ledger::keys::account_key(&id))
            .map(|e| &e.entry.data)
        {
            Some(soroban_env_host::xdr::LedgerEntryData::Account(a)) => a.balance,
            _ => panic!("no account"),
        }
    }

    fn send_meta(&self) -> TransactionMeta {
        let rec = self.l.txs.values().max_by_key(|r| r.ledger).unwrap();
        TransactionMeta::from_xdr(&rec.meta_xdr, Limits::none()).unwrap()
    }
}

fn tx(l: &Ledger, source: &[u8; 32], body: OperationBody) -> Transaction {
    let id = account_id_from_seed(source);
    let seq = match l
        .entries
        .get(&devnet::ledger::keys::account_key(&id))
        .map(|e| &e.entry.data)
    {
        Some(soroban_env_host::xdr::LedgerEntryData::Account(a)) => a.seq_num.0,
        _ => panic!("no account"),
    };
    Transaction {
        source_account: MuxedAccount::Ed25519(Uint256(account_bytes(&id))),
        fee: 100,
        seq_num: SequenceNumber(seq + 1),
        cond: Preconditions::None,
        memo: Memo::None,
        operations: vec![Operation {
            source_account: None,
            body,
        }]
        .try_into()
        .unwrap(),
        ext: TransactionExt::V0,
    }
}

fn return_value(meta: &TransactionMeta) -> ScVal {
    match meta {
        TransactionMeta::V4(m) => m
            .soroban_meta
            .as_ref()
            .and_then(|s| s.return_value.clone())
            .expect("return value"),
        _ => panic!("expected TransactionMetaV4"),
    }
}

fn deploy(net: &mut Net) -> ScAddress {
    let (r, meta, _) = net.invoke(HostFunction::UploadContractWasm(wasm().try_into().unwrap()));
    assert!(
        matches!(r.result, TransactionResultResult::TxSuccess(_)),
        "{r:?}"
    );
    // Writing a new code entry pays rent, reported in the Soroban meta.
    match &meta {
        TransactionMeta::V4(m) => match &m.soroban_meta.as_ref().expect("soroban meta").ext {
            soroban_env_host::xdr::SorobanTransactionMetaExt::V1(f) => {
                assert!(
                    f.rent_fee_charged > 0
                        && f.total_refundable_resource_fee_charged >= f.rent_fee_charged
                )
            }
            other => panic!("expected fee details, got {other:?}"),
        },
        _ => panic!("expected meta v4"),
    }
    let ScVal::Bytes(hash) = return_value(&meta) else {
        panic!("upload returns the hash")
    };
    let create = HostFunction::CreateContractV2(CreateContractArgsV2 {
        contract_id_preimage: ContractIdPreimage::Address(ContractIdPreimageFromAddress {
            address: ScAddress::Account(account_id_from_seed(&net.user)),
            salt: U([9; 32]),
        }),
        executable: ContractExecutable::Wasm(Hash(hash.as_slice().try_into().unwrap())),
        constructor_args: Default::default(),
    });
    let (r, meta, _) = net.invoke(create);
    assert!(
        matches!(r.result, TransactionResultResult::TxSuccess(_)),
        "{r:?}"
    );
    let ScVal::Address(addr) = return_value(&meta) else {
        panic!("create returns the address")
    };
    addr
}

fn call(addr: &ScAddress, name: &str) -> HostFunction {
    HostFunction::InvokeContract(InvokeContractArgs {
        contract_address: addr.clone(),
        function_name: name.try_into().unwrap(),
        args: Default::default(),
    })
}

#[test]
fn upload_deploy_and_invoke_return_values_through_meta_v4() {
    let mut net = Net::new();
    let entries_before = net.l.entries.len();
    let addr = deploy(&mut net);
    assert!(net.l.entries.len() > entries_before);
    let balance_before = net.balance();
    let (r, meta, t) = net.invoke(call(&addr, "stream_count"));
    assert!(matches!(r.result, TransactionResultResult::TxSuccess(_)));
    assert_eq!(return_value(&meta), ScVal::U64(0));
    // The unused refundable fee comes back: less than the declared fee is
    // charged, more than the inclusion fee, and exactly that leaves the account.
    assert!(
        r.fee_charged > 100 && r.fee_charged < i64::from(t.fee),
        "{} of {}",
        r.fee_charged,
        t.fee
    );
    assert_eq!(balance_before - net.balance(), r.fee_charged);
}

#[test]
fn archived_entries_fail_invocations_until_restored() {
    let mut net = Net::new();
    let addr = deploy(&mut net);
    let stale = net.assemble(call(&addr, "stream_count"));
    // Jump past every TTL: the contract instance and code are archived.
    let t = net.l.next_close_time();
    net.l
        .close_ledger(vec![], t + 60, Settings::default().min_persistent_ttl + 10);
    let (r, _) = net.send(stale);
    match r.result {
        TransactionResultResult::TxFailed(ops) => assert_eq!(
            ops[0],
            OperationResult::OpInner(OperationResultTr::InvokeHostFunction(
                InvokeHostFunctionResult::EntryArchived
            ))
        ),
        other => panic!("expected entry archived, got {other:?}"),
    }
    // A fresh simulation declares the automatic restore; the call then succeeds.
    let fresh = net.assemble(call(&addr, "stream_count"));
    let TransactionExt::V1(data) = &fresh.ext else {
        unreachable!()
    };
    assert!(
        matches!(data.ext, SorobanTransactionDataExt::V1(_)),
        "simulation marks archived entries for restore"
    );
    let (r, _) = net.send(fresh);
    assert!(
        matches!(r.result, TransactionResultResult::TxSuccess(_)),
        "{r:?}"
    );
}
