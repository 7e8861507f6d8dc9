do { try KernelBench.run(Array(CommandLine.arguments.dropFirst())) } catch { print(error) }
