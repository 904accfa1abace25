"""The helpline team's console: triage, transcripts, annotations, exports, accounts and audit."""
