"""AWS services: lazily built clients, Secrets Manager, KMS, SQS and Powertools idempotency."""
