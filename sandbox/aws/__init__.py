"""The AWS stand-in: moto in server mode, provisioned from template.yaml."""
