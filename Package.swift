// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Built-in templates live in the top-level `templates/` folder (Sources/Journal/templates is a
/// link to it) and are compiled into the binary, so an installed rapport needs no resource files.
let builtInTemplates = [
    "templates/one-on-one.md.mustache",
    "templates/person.md.mustache",
    "templates/digest.md.mustache",
    "templates/digest.html.mustache",
    "templates/prep.md.mustache",
]

let package = Package(
    name: "rapport",
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
        .library(name: "GitStore", targets: ["GitStore"]),
        .library(name: "JournalModel", targets: ["JournalModel"]),
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "Digest", targets: ["Digest"]),
        .library(name: "Age", targets: ["Age"]),
        .executable(name: "rapport-age", targets: ["rapport-age"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libgit2 as pkg-config says, shared: distribution updates reach it, and other packages
        // can depend on GitStore, Journal, Digest and Age.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        // The connection gate (docs/Transport.md): libgit2's public stream API, no linker tricks.
        .target(name: "CConnections", dependencies: ["CGit2"]),
        .target(name: "GitStore", dependencies: ["CGit2", "CConnections", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Age", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Pure values and parsers (entries, people, front matter, dates, settings): no file, no git,
        // no clock, so the fuzz target and the parser tests need nothing else.
        .target(name: "JournalModel", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(
            name: "Journal",
            dependencies: [
                "JournalModel",
                "GitStore",
                "Age",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: builtInTemplates.map { .embedInCode($0) }),
        // The synthetic journal behind `rapport demo` and the evaluation's ground truth.
        .target(name: "JournalDemo", dependencies: ["Journal", "GitStore", "Age"]),
        .target(name: "Digest", dependencies: ["Journal"]),
        .executableTarget(
            name: "rapport",
            dependencies: ["Journal", "Digest", "JournalDemo", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "rapport-age", dependencies: ["Age"]),
        .executableTarget(name: "rapport-fuzz", dependencies: ["JournalModel"]),
        // The signals measured against generated ground truth (`make eval`, docs/Evaluation.md);
        // not part of the rapport executable.
        .target(name: "Evaluation", dependencies: ["Journal", "JournalDemo", "Digest", "GitStore"]),
        .executableTarget(name: "rapport-eval", dependencies: ["Evaluation"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GitStoreTests", dependencies: ["GitStore", "TestSupport"]),
        .testTarget(name: "AgeTests", dependencies: ["Age", "TestSupport"]),
        .testTarget(name: "JournalModelTests", dependencies: ["JournalModel", "rapport-fuzz"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "JournalDemo", "GitStore", "TestSupport"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "Journal", "JournalDemo", "Evaluation", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["rapport", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
