#!/bin/sh
# Builds and runs a throwaway package that depends on rapport's library products by path, as
# another project would: GitStore, Age, Journal and Digest link against the system's libgit2.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SWIFT=${SWIFT:-swift}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# SwiftPM names a path dependency after its folder, lower-cased.
NAME=$(basename "$ROOT" | tr '[:upper:]' '[:lower:]')
mkdir -p "$WORK/Sources/Dependent"
cat > "$WORK/Package.swift" <<PACKAGE
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "Dependent",
    dependencies: [.package(path: "$ROOT")],
    targets: [.executableTarget(name: "Dependent", dependencies: [
        .product(name: "GitStore", package: "$NAME"), .product(name: "Age", package: "$NAME"),
        .product(name: "Journal", package: "$NAME"), .product(name: "Digest", package: "$NAME"),
    ])])
PACKAGE
cat > "$WORK/Sources/Dependent/main.swift" <<'SOURCE'
import Age
import Digest
import Foundation
import GitStore
import Journal

let identity = AgeIdentity()
let repository = try Repository.create(at: NSTemporaryDirectory() + "dependent-\(getpid())")
let sealed = try Age.encrypt(Data("hello".utf8), to: [identity.recipient])
let opened = try Age.decrypt(sealed, identities: [identity])
print(identity.recipient.description.hasPrefix("age1"), (try? repository.head()) == nil, opened == Data("hello".utf8),
      PrepSheet.recentCount > 0)
SOURCE
$SWIFT build --package-path "$WORK" 2>&1 | tail -3
OUT=$("$WORK/.build/debug/Dependent")
echo "$OUT"
[ "$OUT" = "true true true true" ]
