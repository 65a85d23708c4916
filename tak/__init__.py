"""Reading TAK exports (nightly takdump JSON and PubVersion gzip) into the catalog."""
