// swift-tools-version:6.0
import Foundation
import PackageDescription

/// libgit2 and the libraries it uses are linked in from their static archives when the system
/// has all of them (Debian's libgit2-dev and the -dev packages it depends on install them): a
/// process then starts about 4 ms sooner, not loading and relocating nine shared libraries (a
/// tenth of a recording). GSSAPI, which has no archive, stays shared. Linked in that way, the
/// TLS library's parse of the system's CA bundle is also put off from start-up to the first
/// transfer (`--wrap`, Sources/CCertificates). Elsewhere, or with RAPPORT_SHARED_LIBGIT2=1 in
/// the environment, libgit2 is linked as pkg-config says.
let libgit2Archives = ["git2", "mbedtls", "mbedx509", "mbedcrypto", "http_parser", "ssh2", "crypto", "pcre2-8", "z"]
let linksLibgit2Statically = ProcessInfo.processInfo.environment["RAPPORT_SHARED_LIBGIT2"] != "1"
    && ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"].contains { folder in
    libgit2Archives.allSatisfy { FileManager.default.fileExists(atPath: "\(folder)/lib\($0).a") }
        && FileManager.default.fileExists(atPath: "\(folder)/libgssapi_krb5.so.2")
}
let libgit2Linking: [LinkerSetting] = linksLibgit2Statically
    ? [.unsafeFlags((libgit2Archives.map { "-l:lib\($0).a" }
                     + ["-l:libgssapi_krb5.so.2", "-lrt", "--wrap=mbedtls_x509_crt_parse_file"]).flatMap { ["-Xlinker", $0] })]
    : [.linkedLibrary("git2")]
let certificateSettings: [CSetting] = linksLibgit2Statically ? [.define("RAPPORT_DEFERS_CA_CERTIFICATES")] : []

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
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
        .library(name: "GitStore", targets: ["GitStore"]),
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
        .systemLibrary(name: "CGit2", pkgConfig: linksLibgit2Statically ? nil : "libgit2", providers: [.apt(["libgit2-dev"])]),
        .target(name: "CCertificates", cSettings: certificateSettings),
        .target(name: "GitStore", dependencies: ["CGit2", "CCertificates", .product(name: "Crypto", package: "swift-crypto")],
                linkerSettings: libgit2Linking),
        .target(name: "Age", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Journal",
            dependencies: [
                "GitStore",
                "Age",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: builtInTemplates.map { .embedInCode($0) }),
        .target(name: "Digest", dependencies: ["Journal"]),
        .executableTarget(
            name: "rapport",
            dependencies: ["Journal", "GitStore", "Digest", "Age", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "rapport-age", dependencies: ["Age"]),
        .executableTarget(name: "rapport-fuzz", dependencies: ["Journal"]),
        // The signals measured against generated ground truth (`make eval`, docs/Evaluation.md);
        // not part of the rapport executable.
        .target(name: "Evaluation", dependencies: ["Journal", "Digest", "GitStore"]),
        .executableTarget(name: "rapport-eval", dependencies: ["Evaluation"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GitStoreTests", dependencies: ["GitStore", "TestSupport"]),
        .testTarget(name: "AgeTests", dependencies: ["Age", "TestSupport"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "GitStore", "TestSupport"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "Journal", "Evaluation", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["rapport", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
