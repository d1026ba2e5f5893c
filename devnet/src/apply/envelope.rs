//! Envelopes: the v1 form of any envelope (v0, v1, fee bump), the hashes that
//! are signed and that identify a transaction, and signing (friendbot, tests).

use soroban_env_host::xdr::{
    DecoratedSignature, FeeBumpTransaction, Hash, MuxedAccount, Operation, OperationBody,
    Preconditions, Transaction, TransactionEnvelope, TransactionExt, TransactionSignaturePayload,
    TransactionSignaturePayloadTaggedTransaction, TransactionV1Envelope,
};

use crate::ledger::{sha256, xdr_bytes};

pub fn is_soroban_op(op: &Operation) -> bool {
    matches!(
        op.body,
        OperationBody::InvokeHostFunction(_)
            | OperationBody::ExtendFootprintTtl(_)
            | OperationBody::RestoreFootprint(_)
    )
}

pub fn is_soroban_envelope(env: &TransactionEnvelope) -> bool {
    normalize(env).0.operations.iter().any(is_soroban_op)
}

/// A v1 transaction, its signatures, and the fee bump around it (if any).
pub type Normalized = (
    Transaction,
    Vec<DecoratedSignature>,
    Option<(FeeBumpTransaction, Vec<DecoratedSignature>)>,
);

/// The v1 transaction, its signatures, and the fee bump around it (if any).
pub fn normalize(env: &TransactionEnvelope) -> Normalized {
    match env {
        TransactionEnvelope::TxV0(v0) => {
            let t = &v0.tx;
            let tx = Transaction {
                source_account: MuxedAccount::Ed25519(t.source_account_ed25519.clone()),
                fee: t.fee,
                seq_num: t.seq_num.clone(),
                cond: match &t.time_bounds {
                    Some(tb) => Preconditions::Time(tb.clone()),
                    None => Preconditions::None,
                },
                memo: t.memo.clone(),
                operations: t.operations.clone(),
                ext: TransactionExt::V0,
            };
            (tx, v0.signatures.to_vec(), None)
        }
        TransactionEnvelope::Tx(v1) => (v1.tx.clone(), v1.signatures.to_vec(), None),
        TransactionEnvelope::TxFeeBump(fb) => {
            let soroban_env_host::xdr::FeeBumpTransactionInnerTx::Tx(inner) = &fb.tx.inner_tx;
            (
                inner.tx.clone(),
                inner.signatures.to_vec(),
                Some((fb.tx.clone(), fb.signatures.to_vec())),
            )
        }
    }
}

pub fn tx_hash(network_id: &[u8; 32], tx: &Transaction) -> [u8; 32] {
    sha256(&xdr_bytes(&TransactionSignaturePayload {
        network_id: Hash(*network_id),
        tagged_transaction: TransactionSignaturePayloadTaggedTransaction::Tx(tx.clone()),
    }))
}

pub fn fee_bump_hash(network_id: &[u8; 32], fb: &FeeBumpTransaction) -> [u8; 32] {
    sha256(&xdr_bytes(&TransactionSignaturePayload {
        network_id: Hash(*network_id),
        tagged_transaction: TransactionSignaturePayloadTaggedTransaction::TxFeeBump(fb.clone()),
    }))
}

/// Hash of any envelope (what sendTransaction answers with).
pub fn envelope_hash(network_id: &[u8; 32], env: &TransactionEnvelope) -> [u8; 32] {
    let (tx, _, fb) = normalize(env);
    match fb {
        Some((fb, _)) => fee_bump_hash(network_id, &fb),
        None => tx_hash(network_id, &tx),
    }
}

/// Signs a transaction (used by friendbot and tests).
pub fn sign(network_id: &[u8; 32], tx: Transaction, seeds: &[[u8; 32]]) -> TransactionEnvelope {
    use ed25519_dalek::Signer;
    let hash = tx_hash(network_id, &tx);
    let signatures: Vec<DecoratedSignature> = seeds
        .iter()
        .map(|s| {
            let key = crate::ledger::keys::signing_key(s);
            let pk = key.verifying_key().to_bytes();
            DecoratedSignature {
                hint: soroban_env_host::xdr::SignatureHint([pk[28], pk[29], pk[30], pk[31]]),
                signature: soroban_env_host::xdr::Signature(
                    key.sign(&hash)
                        .to_bytes()
                        .to_vec()
                        .try_into()
                        .expect("64 bytes"),
                ),
            }
        })
        .collect();
    TransactionEnvelope::Tx(TransactionV1Envelope {
        tx,
        signatures: signatures.try_into().expect("few signatures"),
    })
}
