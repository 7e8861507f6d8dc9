print("ecgs-bench")
