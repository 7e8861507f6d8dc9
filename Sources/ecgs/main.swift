print("ecgs")
