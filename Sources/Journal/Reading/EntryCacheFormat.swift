import Foundation
import GitStore
import JournalModel

// The entry cache's keys, values and binary record format (the cache itself: EntryCache.swift).

/// A blob id's 20 bytes as a value that hashes without an allocation.
struct BlobKey: Hashable, Sendable {
    let high: UInt64
    let middle: UInt64
    let low: UInt32

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 20 else { return nil }
        high = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        middle = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        low = bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    init?(_ id: ObjectID) {
        guard let key = id.bytes.withUnsafeBytes({ BlobKey($0) }) else { return nil }
        self = key
    }

    func append(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: high) { bytes += $0 }
        withUnsafeBytes(of: middle) { bytes += $0 }
        withUnsafeBytes(of: low) { bytes += $0 }
    }
}

/// What reading one entry file's Markdown gave: its parsed front matter and body, or the parse
/// error (so a broken file is not parsed again either, and is still reported every time).
enum ParsedFile: Sendable {
    case document(FrontMatterDocument)
    case malformed(FrontMatterError)
}

/// Reads the cache's binary records; every read checks its bounds.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func byte() -> UInt8? {
        guard offset < buffer.count else { return nil }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func number() -> Int? {
        var value = 0, shift = 0
        while let byte = byte() {
            value |= Int(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 56 { return nil }
        }
        return nil
    }

    mutating func string() -> String? {
        guard let count = number(), count <= buffer.count - offset else { return nil }
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]), as: UTF8.self)
    }

    mutating func optionalString() -> String?? {
        guard let flag = byte() else { return nil }
        if flag == 0 { return .some(nil) }
        guard let text = string() else { return nil }
        return .some(text)
    }
}

extension [UInt8] {
    mutating func appendNumber(_ value: Int) {
        var rest = UInt(value)
        while rest >= 0x80 {
            append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        append(UInt8(rest))
    }

    mutating func appendString(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            appendNumber(bytes.count)
            append(contentsOf: bytes)
        }
    }

    mutating func appendOptional(_ text: String?) {
        guard let text else { return append(0) }
        append(1)
        appendString(text)
    }
}

extension ParsedFile {
    /// The first byte of a record (after its hash and flags): the file did not parse.
    static let malformedTag: UInt8 = 0

    func write(to bytes: inout [UInt8]) {
        switch self {
        case .malformed(let error):
            bytes.append(ParsedFile.malformedTag)
            bytes.appendNumber(error.line)
            bytes.appendString(error.message)
        case .document(let document):
            bytes.append(1)
            document.write(to: &bytes)
        }
    }

    static func read(from reader: inout ByteReader) -> ParsedFile? {
        switch reader.byte() {
        case 0:
            guard let line = reader.number(), let message = reader.string() else { return nil }
            return .malformed(FrontMatterError(line: line, message: message))
        case 1:
            return FrontMatterDocument.read(from: &reader).map(ParsedFile.document)
        default:
            return nil
        }
    }
}

extension ParsedFile {
    /// Whether a plain file's parse could hold text meant to be private: a one-on-one's `private`
    /// or a recognition's `visibility` set to anything but the public values.
    var mayBePrivate: Bool {
        guard case .document(let document) = self else { return true }
        let flag = document["private"], visibility = document["visibility"]
        return !(flag == nil || flag == .null || flag == .boolean(false))
            || !(visibility == nil || visibility == .null || visibility == .scalar("team"))
    }
}

extension FrontMatterDocument {
    /// Every string the parse holds is ASCII: the raw lines, the values read from them (a YAML
    /// escape can spell a non-ASCII letter in ASCII) and the body.
    var isAllASCII: Bool {
        func ascii(_ text: String?) -> Bool { text?.utf8.allSatisfy { $0 < 0x80 } ?? true }
        guard ascii(body) else { return false }
        for field in fields {
            guard ascii(field.key), ascii(field.valueRaw), ascii(field.trailingRaw), ascii(field.inlineComment) else { return false }
            switch field.value {
            case .scalar(let text): if !ascii(text) { return false }
            case .list(let items): if !items.allSatisfy(ascii) { return false }
            case .null, .boolean, .other: break
            }
        }
        return true
    }

    func write(to bytes: inout [UInt8]) {
        bytes.append((byteOrderMark ? 1 : 0) | (closingHasNewline ? 2 : 0))
        bytes.appendString(openingLine)
        bytes.appendString(closingLine)
        bytes.appendNumber(bodyLine)
        bytes.appendString(body)
        bytes.appendNumber(fields.count)
        for field in fields {
            bytes.appendOptional(field.key)
            bytes.appendString(field.valueRaw)
            bytes.appendOptional(field.trailingRaw)
            bytes.appendOptional(field.inlineComment)
            bytes.appendString(field.lineEnding)
            bytes.appendNumber(field.line)
            switch field.value {
            case .null: bytes.append(0)
            case .scalar(let text): bytes.append(1); bytes.appendString(text)
            case .boolean(let value): bytes.append(value ? 3 : 2)
            case .list(let items):
                bytes.append(4)
                bytes.appendNumber(items.count)
                for item in items { bytes.appendString(item) }
            case .other: bytes.append(5)
            }
        }
    }

    static func read(from reader: inout ByteReader) -> FrontMatterDocument? {
        guard let flags = reader.byte(), let opening = reader.string(), let closing = reader.string(),
              let bodyLine = reader.number(), let body = reader.string(), let count = reader.number(), count < 100_000 else { return nil }
        var fields: [Field] = []
        fields.reserveCapacity(count)
        for _ in 0..<count {
            guard let key = reader.optionalString(), let valueRaw = reader.string(), let trailing = reader.optionalString(),
                  let comment = reader.optionalString(), let ending = reader.string(), let line = reader.number(),
                  let tag = reader.byte() else { return nil }
            let value: YAMLValue
            switch tag {
            case 0: value = .null
            case 1:
                guard let text = reader.string() else { return nil }
                value = .scalar(text)
            case 2, 3: value = .boolean(tag == 3)
            case 4:
                guard let items = reader.number(), items < 100_000 else { return nil }
                var list: [String] = []
                for _ in 0..<items {
                    guard let item = reader.string() else { return nil }
                    list.append(item)
                }
                value = .list(list)
            case 5: value = .other
            default: return nil
            }
            fields.append(Field(key: key, valueRaw: valueRaw, trailingRaw: trailing, inlineComment: comment, lineEnding: ending,
                                line: line, value: value))
        }
        var document = FrontMatterDocument(fields: [], body: body)
        document.fields = fields
        document.bodyLine = bodyLine
        document.byteOrderMark = flags & 1 != 0
        document.closingHasNewline = flags & 2 != 0
        document.openingLine = opening
        document.closingLine = closing
        return document
    }
}
