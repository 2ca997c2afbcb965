"""Sealing a ballot while voting is open: authenticated encryption (AES-256-GCM) under a key
derived from GOVSVC_HASH_KEY, so that whoever holds the database but not the application's key
can neither read a sealed ballot nor change it unnoticed.

- The key is per campaign: HMAC-SHA256(hash key, "survey.ballot-inbox" ‖ campaign id) through
  govsvc.crypto.keyed_hash, so it is never stored and rotates with GOVSVC_HASH_KEY (which must
  therefore stay the same while a campaign is open, as it must for the printed codes anyway).
- A fresh 96-bit random nonce per entry; the campaign id and the entry's id are authenticated
  data, so an entry cannot be moved to another campaign or row.
- The plaintext is padded to a bucket (at least 4 KiB, then powers of two), so the length of a
  sealed entry tells at most which bucket its opinions' total length falls in.

The `cryptography` package gives the AEAD (the standard library has none); it is the usual
Python binding of OpenSSL's primitives and ships as a wheel.
"""
from __future__ import annotations

import json
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govsvc.crypto import keyed_hash

NONCE = 12
MIN_BUCKET = 4096
VERSION = b"\x01"


class SealError(ValueError):
    """An entry that does not open: altered, from another campaign, or sealed under another key."""


def _aead(campaign_id: int) -> AESGCM:
    return AESGCM(bytes.fromhex(keyed_hash("survey.ballot-inbox", f"campaign:{int(campaign_id)}")))


def _aad(campaign_id: int, entry_id: str) -> bytes:
    return f"govsvc survey ballot v1|{int(campaign_id)}|{entry_id}".encode()


def bucket(size: int) -> int:
    """The padded length for a plaintext of `size` bytes (its 4-byte length prefix included)."""
    size += 4
    padded = MIN_BUCKET
    while padded < size:
        padded *= 2
    return padded


def seal(campaign_id: int, entry_id: str, payload: dict) -> bytes:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    plain = struct.pack(">I", len(body)) + body
    plain += bytes(bucket(len(body)) - len(plain))
    nonce = os.urandom(NONCE)
    return VERSION + nonce + _aead(campaign_id).encrypt(nonce, plain, _aad(campaign_id, entry_id))


def open_sealed(campaign_id: int, entry_id: str, blob: bytes) -> dict:
    blob = bytes(blob)
    if blob[:1] != VERSION or len(blob) < 1 + NONCE + 16:
        raise SealError("unknown format")
    nonce, ciphertext = blob[1:1 + NONCE], blob[1 + NONCE:]
    try:
        plain = _aead(campaign_id).decrypt(nonce, ciphertext, _aad(campaign_id, entry_id))
    except InvalidTag:
        raise SealError("does not open") from None
    (size,) = struct.unpack(">I", plain[:4])
    return json.loads(plain[4:4 + size])
