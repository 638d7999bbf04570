"""Webhook signature tests for the ModelsLab / Phota callback endpoint.

Vectors are RFC 4231 (HMAC-SHA256) and FIPS 180-2 ("abc"), not real secrets.
"""
import hashlib, hmac

from app.hooks import verify_signature  # used for modelslab.com and api.photalabs.com callbacks

RFC4231_CASE1_KEY = bytes.fromhex("0b" * 20)
RFC4231_CASE1_DATA = b"Hi There"
RFC4231_CASE1_MAC = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
SHA1_ABC = "a9993e364706816aba3e25717850c26c9cd0d89d"
MD5_EMPTY = "d41d8cd98f00b204e9800998ecf8427e"

def test_rfc4231_case1():
    mac = hmac.new(RFC4231_CASE1_KEY, RFC4231_CASE1_DATA, hashlib.sha256).hexdigest()
    assert mac == RFC4231_CASE1_MAC
    assert verify_signature(RFC4231_CASE1_KEY, RFC4231_CASE1_DATA, RFC4231_CASE1_MAC)

def test_digest_abc():
    assert hashlib.sha256(b"abc").hexdigest() == SHA256_ABC
