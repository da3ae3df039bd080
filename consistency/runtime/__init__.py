"""The models at run time: NLI and embedding backends, device and dtype policy, model resolution."""
