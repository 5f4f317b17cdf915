"""The evidence graph (networkx) built from the store, and its exports."""
