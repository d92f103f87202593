#!/usr/bin/env python3
"""The key ceremony of an epichain region: every secret is made where it is used, and the chain
spec is built from public keys only.

    # on each validator's machine (its keystore and node key stay there)
    scripts/ceremony.py validator --region tokyo --name tokyo-1 --base-path /var/lib/epichain \
        --address /dns/v1.tokyo.example/tcp/30333 --out public/
    # by each council member (the secret file goes to the member's signer, never to anyone else)
    scripts/ceremony.py member --name health-dept --secret ~/health-dept.secret.json --out public/
    # by anyone, from the collected public/ files: every party rebuilds it and compares the hash
    scripts/ceremony.py spec --region tokyo --public public/ --out spec/
    # before launch: no key in the spec may come from the public development phrase
    scripts/ceremony.py verify spec/tokyo-raw.json

The spec's genesis is the region's template preset (`epichain-node export-chain-spec --chain
tokyo`: names, ids, properties; no keys) with the validators' Aura and GRANDPA keys, the
council's members, the genesis endowments and the boot nodes filled in. The same public files give
the same spec, byte for byte, so every party can check the genesis hash before starting.

Progress goes to stderr; the public files and specs are the only outputs. No secret is ever
printed, passed on a command line, or written outside the node's keystore, its network key and
the member's secret file (mode 0600).
"""

import argparse
import glob
import hashlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE = os.environ.get(
    "EPICHAIN_NODE",
    os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/epichain/target")),
        "release",
        "epichain-node",
    ),
)
# The runtime's GENESIS_ENDOWMENT: 1,000,000 tokens of 10^12 planck, for years of fees.
ENDOWMENT = 1_000_000 * 10**12
# Key types of the node's keystore (sp_core::crypto::KeyTypeId).
AURA, GRANDPA = b"aura", b"gran"
# The well-known development accounts (sp_keyring) and the region placeholders' paths.
DEV_NAMES = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie", "One", "Two"]


def say(*parts):
    print("ceremony:", *parts, file=sys.stderr, flush=True)


def fail(message):
    print(f"ceremony: error: {message}", file=sys.stderr)
    sys.exit(1)


def node(*args, stdin=None):
    if not os.access(NODE, os.X_OK):
        fail(f"no node binary at {NODE}; run scripts/build.sh or set EPICHAIN_NODE")
    done = subprocess.run([NODE, *args], input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"epichain-node {args[0]} {args[1] if len(args) > 1 else ''}: {done.stderr.strip()}")
    return done


def generate(scheme):
    """A fresh key: (secret phrase, public key hex without 0x)."""
    key = json.loads(node("key", "generate", "--scheme", scheme, "--output-type", "json", "--words", "24").stdout)
    return key["secretPhrase"], key["publicKey"][2:]


def public_of(scheme, suri):
    key = json.loads(node("key", "inspect", "--scheme", scheme, "--output-type", "json", suri).stdout)
    return key["publicKey"][2:]


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def ss58_to_hex(address):
    """The 32-byte key of an SS58 address (one- or two-byte network prefix)."""
    n = 0
    for c in address:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    prefix = 2 if raw and raw[0] & 0x40 else 1
    return raw[prefix:prefix + 32].hex()


def template(region):
    """The region's template spec (plain) from the node's built-in presets."""
    return json.loads(node("export-chain-spec", "--chain", region).stdout)


def write_private(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def write_public(path, value):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    say("wrote", path)


def cmd_validator(args):
    chain_id = template(args.region)["id"]
    chain_dir = os.path.join(args.base_path, "chains", chain_id)
    keystore = os.path.join(chain_dir, "keystore")
    if os.path.isdir(keystore) and os.listdir(keystore):
        fail(f"{keystore} already holds keys; a validator's keys are made once")
    os.makedirs(keystore, mode=0o700, exist_ok=True)
    keys = {}
    for name, scheme, key_type in [("aura", "sr25519", AURA), ("grandpa", "ed25519", GRANDPA)]:
        phrase, public = generate(scheme)
        # The node's LocalKeystore: file <hex key type><hex public key> holding the JSON secret.
        write_private(os.path.join(keystore, key_type.hex() + public), json.dumps(phrase))
        keys[name] = "0x" + public
        say(f"{name} key ({scheme}) made in {keystore}")
    network = os.path.join(chain_dir, "network")
    os.makedirs(network, mode=0o700, exist_ok=True)
    node_key = os.path.join(network, "secret_ed25519")
    if os.path.exists(node_key):
        fail(f"{node_key} exists already")
    peer_id = node("key", "generate-node-key", "--file", node_key).stderr.strip().splitlines()[-1]
    os.chmod(node_key, 0o600)
    say(f"node key made in {network}; peer id {peer_id}")
    public = {"role": "validator", "name": args.name, "region": args.region, **keys, "peerId": peer_id}
    if args.address:
        public["bootNode"] = f"{args.address}/p2p/{peer_id}"
    write_public(os.path.join(args.out, f"validator-{args.name}.json"), public)


def cmd_member(args):
    phrase, public = generate("sr25519")
    write_private(args.secret, json.dumps({"name": args.name, "secretPhrase": phrase, "scheme": "sr25519"}) + "\n")
    say(f"secret of {args.name} written to {args.secret} (mode 0600): move it to the member's signer")
    write_public(os.path.join(args.out, f"member-{args.name}.json"), {"role": "member", "name": args.name, "account": "0x" + public})


def load_public(directory, role):
    found = []
    for path in sorted(glob.glob(os.path.join(directory, f"{role}-*.json"))):
        with open(path) as f:
            value = json.load(f)
        if value.get("role") != role:
            fail(f"{path} is not a {role}'s public file")
        found.append(value)
    return found


def hex32(value, what):
    if not re.fullmatch(r"0x[0-9a-f]{64}", value or ""):
        fail(f"{what} is not a 32-byte 0x-hex key: {value!r}")
    return value


def cmd_spec(args):
    validators = load_public(args.public, "validator")
    members = load_public(args.public, "member")
    if not validators:
        fail(f"no validator-*.json in {args.public}")
    if not members:
        fail(f"no member-*.json in {args.public}")
    for v in validators:
        if v.get("region") != args.region:
            fail(f"validator {v['name']} made its keys for {v.get('region')}, not {args.region}")
    spec = template(args.region)
    patch = spec["genesis"]["runtimeGenesis"]["patch"]
    aura = [hex32(v["aura"], f"validator {v['name']}'s aura key") for v in validators]
    grandpa = [hex32(v["grandpa"], f"validator {v['name']}'s grandpa key") for v in validators]
    council = [hex32(m["account"], f"member {m['name']}'s account") for m in members]
    for keys, what in [(aura, "aura"), (grandpa, "grandpa"), (council, "council")]:
        if len(set(keys)) != len(keys):
            fail(f"two {what} keys are the same")
    to_ss58 = lambda k: json.loads(node("key", "inspect", "--public", "--output-type", "json", k).stdout)["ss58PublicKey"]
    # A validator is its Aura key's account; pallet-session hands its keys to Aura and GRANDPA.
    patch["session"] = {
        "keys": [[to_ss58(a), to_ss58(a), {"aura": to_ss58(a), "grandpa": to_ss58(g)}] for a, g in zip(aura, grandpa)]
    }
    patch["councilMembership"] = {"members": [to_ss58(k) for k in council]}
    # Validators (as their Aura account) and members pay their own fees.
    patch["balances"] = {"balances": [[to_ss58(k), ENDOWMENT] for k in aura + council]}
    spec["bootNodes"] = [v["bootNode"] for v in validators if v.get("bootNode")]
    os.makedirs(args.out, exist_ok=True)
    plain = os.path.join(args.out, f"{args.region}.json")
    with open(plain, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    raw = node("export-chain-spec", "--chain", plain, "--raw").stdout
    raw_path = os.path.join(args.out, f"{args.region}-raw.json")
    with open(raw_path, "w") as f:
        f.write(raw)
    digest = hashlib.sha256(raw.encode()).hexdigest()
    say(f"{len(validators)} validators, {len(members)} council members; wrote {plain} and {raw_path}")
    say(f"sha256 of the raw spec: {digest} (every party compares this before starting)")
    verify(raw_path)


def dev_keys(region_names):
    """Public keys (hex) of every well-known development secret: the keyring's accounts and
    stashes in both schemes, and the regional placeholders' paths."""
    uris = []
    for name in DEV_NAMES:
        uris += [f"//{name}", f"//{name}//stash"]
    for region in region_names:
        for n in range(1, 9):
            uris += [f"//epichain//{region}//validator-{n}", f"//epichain//{region}//council-{n}"]
        uris.append(f"//epichain//{region}//authority")
    known = {}
    for uri in uris:
        for scheme in ["sr25519", "ed25519"]:
            known[public_of(scheme, uri)] = f"{uri} ({scheme})"
    return known


def verify(path):
    with open(path) as f:
        spec = json.load(f)
    # The runtime blob is compressed code, not genesis state: leave it out.
    genesis = spec.get("genesis", {})
    genesis.get("runtimeGenesis", {}).pop("code", None)
    genesis.get("raw", {}).get("top", {}).pop("0x3a636f6465", None)
    text = json.dumps(spec).lower()
    # Hex keys and raw storage (whose keys and values embed account ids) are searched as text;
    # SS58 addresses of a plain spec are decoded first.
    for address in set(re.findall(r'"([1-9A-HJ-NP-Za-km-z]{47,48})"', json.dumps(spec))):
        text += " " + ss58_to_hex(address)
    region = spec.get("id", "").removeprefix("epichain_")
    known = dev_keys(sorted({region, "tokyo", "osaka"}))
    leaked = sorted(label for key, label in known.items() if key in text)
    if leaked:
        fail(f"{path} holds development keys that anyone can sign with: {', '.join(leaked)}")
    say(f"{path}: no development key ({len(known)} checked)")


def cmd_verify(args):
    for path in args.specs:
        verify(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validator", help="make a validator's keys in its own keystore")
    v.add_argument("--region", required=True, help="the region's template preset (tokyo, osaka)")
    v.add_argument("--name", required=True)
    v.add_argument("--base-path", required=True, help="the node's --base-path")
    v.add_argument("--address", help="the node's public p2p multiaddress without /p2p (a boot node)")
    v.add_argument("--out", required=True, help="where the public file goes")
    m = sub.add_parser("member", help="make a council member's account key")
    m.add_argument("--name", required=True)
    m.add_argument("--secret", required=True, help="the secret file (created, mode 0600)")
    m.add_argument("--out", required=True, help="where the public file goes")
    s = sub.add_parser("spec", help="build the region's chain spec from the public files")
    s.add_argument("--region", required=True)
    s.add_argument("--public", required=True, help="directory of validator-*.json and member-*.json")
    s.add_argument("--out", required=True)
    c = sub.add_parser("verify", help="refuse specs holding development keys")
    c.add_argument("specs", nargs="+")
    args = parser.parse_args()
    {"validator": cmd_validator, "member": cmd_member, "spec": cmd_spec, "verify": cmd_verify}[args.command](args)


if __name__ == "__main__":
    main()
