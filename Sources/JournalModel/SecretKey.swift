import Foundation

/// An age secret key (`AGE-SECRET-KEY-1...`, in either case, as Bech32 allows) in bytes that are
/// about to be committed or printed. A journal file never needs one, so its presence means a
/// link, a template or a paste is about to leak the reader's identity (docs/Trust.md).
package enum SecretKey {
    package static let marker = Array("age-secret-key-1".utf8)

    package static func appears(in data: Data) -> Bool {
        data.withUnsafeBytes { Bytes.containsIgnoringASCIICase(marker, in: $0) }
    }
}
