"""KMS encryption of OAuth tokens, bound to an encryption context naming the provider, portal and realm."""

from __future__ import annotations

from typing import Any


class KmsTokenCipher:
    def __init__(self, kms_client: Any, key_id: str) -> None:
        self._kms = kms_client
        self._key_id = key_id

    def encrypt(self, plaintext: str, context: dict[str, str]) -> bytes:
        result = self._kms.encrypt(KeyId=self._key_id, Plaintext=plaintext.encode("utf-8"), EncryptionContext=context)
        return bytes(result["CiphertextBlob"])

    def decrypt(self, ciphertext: bytes, context: dict[str, str]) -> str:
        result = self._kms.decrypt(CiphertextBlob=ciphertext, EncryptionContext=context, KeyId=self._key_id)
        return bytes(result["Plaintext"]).decode("utf-8")
