// swift-tools-version:6.0
// ecgs: an interactive environment for 12-lead ECG anomaly detection.
// One target per layer; imports only go down (see README, "Architecture").
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", "haswell"])]

let package = Package(
    name: "ecgs",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ecgs", targets: ["ecgs"]),
        .executable(name: "ecgs-bench", targets: ["ecgs-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        // System libraries through pkg-config.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),

        // Numerics.
        .target(name: "TensorCore", dependencies: ["CBLAS"], swiftSettings: optimised),
        .target(name: "NN", dependencies: ["TensorCore"], swiftSettings: optimised),
        .target(name: "Optim", dependencies: ["TensorCore", "NN"], swiftSettings: optimised),
        .target(name: "Models", dependencies: ["TensorCore", "NN"], swiftSettings: optimised),

        // Signals, files, evaluation, rendering.
        .target(name: "Signal", swiftSettings: optimised),
        .target(name: "Formats", dependencies: ["TensorCore", "CHDF5", "ZIPFoundation"]),
        .target(name: "Evaluation"),
        .target(name: "Render"),

        // The domain.
        .target(name: "ECGKit",
                dependencies: ["TensorCore", "NN", "Optim", "Models", "Signal", "Formats", "Evaluation", "SwiftCSV"],
                swiftSettings: optimised),

        // The language, its command library, the REPL and the executables.
        .target(name: "Script"),
        .target(name: "Commands", dependencies: ["Script", "ECGKit", "Render", "Formats"]),
        .target(name: "REPL", dependencies: ["Script", "CEditLine"]),
        .executableTarget(name: "ecgs", dependencies: [
            "REPL", "Commands", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ecgs-bench", dependencies: [
            "TensorCore", "NN", "Optim", "Models", "Signal", "Formats", "ECGKit", "Script", "Commands", "REPL",
        ], swiftSettings: optimised),

        // Tests.
        .target(name: "TestSupport", dependencies: ["TensorCore", "Script"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"],
                    exclude: ["Fixtures", "Kernels/Fixtures"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "OptimTests", dependencies: ["Optim", "NN", "TensorCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "NN", "TensorCore", "Formats", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SignalTests", dependencies: ["Signal", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ECGKitTests", dependencies: ["ECGKit", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "TestSupport"]),
        .testTarget(name: "ScriptTests", dependencies: ["Script", "Commands", "REPL", "TestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "Script", "Commands", "TestSupport"]),
    ]
)
