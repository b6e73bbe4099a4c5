"""DynamoDB storage: every key of the single application table is built in table_keys; nothing scans."""
