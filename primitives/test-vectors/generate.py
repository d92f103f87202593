#!/usr/bin/env python3
"""Regenerates pseudonym.txt and sealing.txt with an independent implementation (pyca/cryptography).

The Rust tests must agree with what this script writes: two implementations of the same
construction, so a mistake in either shows up as a mismatch. All inputs are synthetic.
Usage: python3 generate.py   (needs `pip install cryptography`)
"""
import hashlib, os, struct
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw
ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz"
DAY = 20778


def hkdf(salt, ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def synthetic(label):
    return hashlib.sha256(b"epichain test vector " + label).digest()


def pseudonym(seed, day):
    sk = hkdf(b"epichain/pseudonym/v1", seed, b"epichain/pseudonym/day" + struct.pack(">I", day))
    pk = Ed25519PrivateKey.from_private_bytes(sk).public_key().public_bytes(*RAW)
    return pk, hashlib.blake2b(pk, digest_size=16).digest()


def geobits(h):
    v = 0
    for c in h:
        v = v * 32 + ALPHABET.index(c)
    return v


def stay(start, end, cell, source):
    """The 11-byte wire stay: geohash bits (45) | start (17) | end (17) | source (3) | 0 (6)."""
    return ((geobits(cell) << 43) | (start << 26) | (end << 9) | (source << 6)).to_bytes(11, "big")


def one_time_cipher(salt, matcher_pk, secret, key_id, day, prefix):
    """The AES-GCM cipher of a one-time key (a batch's, or a device entry's), and its public key."""
    one_time = X25519PrivateKey.from_private_bytes(secret)
    public = one_time.public_key().public_bytes(*RAW)
    shared = one_time.exchange(X25519PublicKey.from_public_bytes(matcher_pk))
    info = (b"epichain/csi-batch-key" + struct.pack(">II", key_id, day) + public + matcher_pk
            + bytes([len(prefix)]) + prefix.encode())
    return AESGCM(hkdf(salt, shared, info)), public


def seal(matcher_pk, eph_sk, key_id, day, prefix, entries):
    aead, eph_pk = one_time_cipher(b"epichain/csi-seal/v2", matcher_pk, eph_sk, key_id, day, prefix)
    aad = b"epichain/csi-entry" + struct.pack(">I", day)
    return eph_pk, [aead.encrypt(b"\0" * 8 + struct.pack(">I", i), e, aad) for i, e in enumerate(entries)]


with open(os.path.join(HERE, "pseudonym.txt"), "w") as f:
    f.write("# Daily pseudonym derivation vectors (see src/pseudonym.rs), written by generate.py.\n")
    f.write("# seed(hex) day pseudonym(hex) fingerprint(hex)\n")
    for label, day in [(b"device-a", 0), (b"device-a", DAY), (b"device-a", DAY + 1), (b"device-b", DAY)]:
        seed = synthetic(label)
        pk, fp = pseudonym(seed, day)
        f.write(f"{seed.hex()} {day} {pk.hex()} {fp.hex()}\n")

matcher_sk, eph_sk = synthetic(b"matcher"), synthetic(b"ephemeral")
matcher_pk = X25519PrivateKey.from_private_bytes(matcher_sk).public_key().public_bytes(*RAW)
# Entry 0: one transit-gate passage (a stay of zero length); entry 1: eight 10-minute GNSS
# stays, 15 minutes apart.
entries = [
    b"\x11" * 32 + stay(28800, 28800, "xn76urx66", 2),
    b"\x22" * 32 + b"".join(stay(30000 + 900 * i, 30600 + 900 * i, "xn76urx6d", 0) for i in range(8)),
]
eph_pk, sealed = seal(matcher_pk, eph_sk, 7, DAY, "xn76u", entries)


def seal_device(matcher_pk, dev_sk, key_id, day, prefix, entry):
    """A device-sealed entry: tag, version, the device's one-time key, then its ciphertext."""
    aead, dev_pk = one_time_cipher(b"epichain/csi-device-seal/v1", matcher_pk, dev_sk, key_id, day, prefix)
    aad = b"epichain/csi-entry" + struct.pack(">I", day)
    return b"\xde\x01" + dev_pk + aead.encrypt(b"\0" * 12, entry, aad)


# A venue check-in sealed by the visitor's phone: 40 minutes at the venue's cell.
device_sk = synthetic(b"device one-time")
device_entry = seal_device(matcher_pk, device_sk, 7, DAY, "xn76urx66",
                           b"\x33" * 32 + stay(43200, 45600, "xn76urx66", 3))
with open(os.path.join(HERE, "sealing.txt"), "w") as f:
    f.write("# Sealing vectors (see src/sealing.rs), written by generate.py: key id 7, day 20778,\n")
    f.write("# cell prefix xn76u; entry_0 one transit-gate passage, entry_1 eight GNSS stays;\n")
    f.write("# device_entry: a venue check-in sealed by the visitor's phone (cell prefix xn76urx66).\n")
    for name, v in [("matcher_secret", matcher_sk), ("matcher_public", matcher_pk),
                    ("ephemeral_secret", eph_sk), ("ephemeral_public", eph_pk),
                    ("entry_0", sealed[0]), ("entry_1", sealed[1]),
                    ("device_secret", device_sk), ("device_entry", device_entry)]:
        f.write(f"{name} {v.hex()}\n")
