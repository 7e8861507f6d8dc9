try SignalBench.run(Array(CommandLine.arguments.dropFirst()))
