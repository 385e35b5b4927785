"""Developer tools: the benchmark (`make bench`), the evaluation against the gold (`make eval`) and
the synthetic corpus generator (`python -m briefgen.tools.generate`)."""
