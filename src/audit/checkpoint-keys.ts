import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { err, ok, type Result } from "../shared/index.ts";

/**
 * The Ed25519 keys of the audit checkpoints (issue 13). A private key is PEM (`BEGIN PRIVATE
 * KEY`) or the base64 of its PKCS#8 DER; a public key is PEM (`BEGIN PUBLIC KEY`), the base64 of
 * its SPKI DER, or derived from a private key in either form. Only node:crypto, so the
 * configuration can check AUDIT_CHECKPOINT_KEY before anything starts.
 */

const isPem = (text: string): boolean => text.includes("-----BEGIN");

const der = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "base64");

function ed25519(key: KeyObject, what: string): Result<KeyObject, string> {
  return key.asymmetricKeyType === "ed25519"
    ? ok(key)
    : err(`${what} is a ${key.asymmetricKeyType ?? "symmetric"} key, not Ed25519`);
}

/** An Ed25519 private key from PEM or base64 PKCS#8; the error says what is wrong with it. */
export function parseCheckpointPrivateKey(text: string): Result<KeyObject, string> {
  const trimmed = text.trim();
  try {
    const key = isPem(trimmed)
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: der(trimmed), format: "der", type: "pkcs8" });
    return ed25519(key, "the key");
  } catch {
    return err("not an Ed25519 private key (PEM or base64 PKCS#8 expected)");
  }
}

/** An Ed25519 public key from PEM or base64 SPKI, or derived from a private key. */
export function parseCheckpointPublicKey(text: string): Result<KeyObject, string> {
  const trimmed = text.trim();
  if (/PRIVATE KEY-----/.test(trimmed) || !isPem(trimmed)) {
    const priv = parseCheckpointPrivateKey(trimmed);
    if (priv.ok) return ok(createPublicKey(priv.value));
    if (isPem(trimmed)) return priv;
  }
  try {
    const key = isPem(trimmed)
      ? createPublicKey(trimmed)
      : createPublicKey({ key: der(trimmed), format: "der", type: "spki" });
    return ed25519(key, "the key");
  } catch {
    return err("not an Ed25519 public key (PEM or base64 SPKI, or a private key to derive it from)");
  }
}
