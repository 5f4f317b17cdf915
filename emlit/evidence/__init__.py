"""Evidence links between claims: relation classifier, linking stage, curated map, analysis."""
